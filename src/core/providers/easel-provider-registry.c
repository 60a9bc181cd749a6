/* easel-provider-registry.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Maps provider ids to their implementations. Adding a provider is one
 * line in the table below (and its file pair). */

#include "config.h"

#include "easel-provider-registry.h"

#include <glib/gi18n.h>

#include "easel-error.h"
#include "easel-http-client.h"
#include "easel-replicate-provider.h"
#include "easel-useapi-provider.h"

typedef struct
{
  EaselProviderInfo info;
  GType (*get_type) (void);
} Entry;

static const Entry entries[] = {
  { { "replicate", "Replicate", "EASEL_REPLICATE_URL", EASEL_REPLICATE_DEFAULT_URL, "REPLICATE_API_TOKEN" },
    easel_replicate_provider_get_type },
  { { "midjourney", "Midjourney (UseAPI.net)", "EASEL_USEAPI_URL", EASEL_USEAPI_DEFAULT_URL, "USEAPI_API_TOKEN" },
    easel_useapi_provider_get_type },
};

/**
 * easel_provider_registry_list:
 * @n_providers: (out): the number of providers
 *
 * Returns: (array length=n_providers) (transfer none): every provider
 */
const EaselProviderInfo *
easel_provider_registry_list (guint *n_providers)
{
  static EaselProviderInfo infos[G_N_ELEMENTS (entries)];

  g_return_val_if_fail (n_providers != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    infos[i] = entries[i].info;
  *n_providers = G_N_ELEMENTS (entries);
  return infos;
}

static const Entry *
find (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      if (g_str_equal (entries[i].info.id, id))
        return &entries[i];
    }
  return NULL;
}

/**
 * easel_provider_registry_lookup:
 * @id: a provider id
 *
 * Returns: (transfer none) (nullable): what is known of @id
 */
const EaselProviderInfo *
easel_provider_registry_lookup (const char *id)
{
  const Entry *entry;

  g_return_val_if_fail (id != NULL, NULL);

  entry = find (id);
  return entry ? &entry->info : NULL;
}

/**
 * easel_provider_registry_dup_url:
 * @id: a provider id
 *
 * Returns: (transfer full) (nullable): the endpoint to use: the
 *   environment's override, or the official one
 */
char *
easel_provider_registry_dup_url (const char *id)
{
  const Entry *entry;
  const char *url;

  g_return_val_if_fail (id != NULL, NULL);

  entry = find (id);
  if (entry == NULL)
    return NULL;

  url = g_getenv (entry->info.url_variable);
  return g_strdup (url != NULL && url[0] != '\0' ? url : entry->info.default_url);
}

/**
 * easel_provider_registry_create:
 * @id: a provider id
 * @base_url: (nullable): the endpoint, or %NULL for
 *   easel_provider_registry_dup_url()
 * @token: (nullable): the account's token
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a provider for one account, or %NULL when @id
 *   is unknown or the endpoint is refused (plain http to another host)
 */
EaselProvider *
easel_provider_registry_create (const char  *id,
                                const char  *base_url,
                                const char  *token,
                                GError     **error)
{
  g_autofree char *url = NULL;
  const Entry *entry;

  g_return_val_if_fail (id != NULL, NULL);

  entry = find (id);
  if (entry == NULL)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_NOT_FOUND,
                   _("There is no provider called “%s”"), id);
      return NULL;
    }

  url = base_url ? g_strdup (base_url) : easel_provider_registry_dup_url (id);
  if (!easel_http_check_url (url, error))
    return NULL;

  return g_object_new (entry->get_type (), "base-url", url, "token", token, NULL);
}

/**
 * easel_provider_registry_lookup_env:
 * @id: a provider id
 * @account: (nullable): an account name (ignored: the environment holds one
 *   token per provider)
 * @user_data: unused
 * @error: return location for a #GError
 *
 * An #EaselProviderLookup that takes tokens from the environment
 * (`REPLICATE_API_TOKEN`, `USEAPI_API_TOKEN`) and endpoints from
 * `EASEL_*_URL`.
 *
 * Returns: (transfer full) (nullable): the provider
 */
EaselProvider *
easel_provider_registry_lookup_env (const char  *id,
                                    const char  *account,
                                    gpointer     user_data,
                                    GError     **error)
{
  const Entry *entry;
  const char *token;

  g_return_val_if_fail (id != NULL, NULL);

  entry = find (id);
  if (entry == NULL)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_NOT_FOUND,
                   _("There is no provider called “%s”"), id);
      return NULL;
    }

  token = g_getenv (entry->info.token_variable);
  if (token == NULL || token[0] == '\0')
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_UNAUTHORIZED,
                   /* Translators: a provider name, then an environment variable */
                   _("No token for %s: set %s"), entry->info.display_name, entry->info.token_variable);
      return NULL;
    }

  return easel_provider_registry_create (id, NULL, token, error);
}
