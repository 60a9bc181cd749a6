/* easel-model-catalog.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Which models the editor offers, and what parameters a model takes.
 *
 * The curated list is short on purpose: the official Replicate models
 * people start with, and Midjourney through UseAPI.net. Any other
 * Replicate model can be typed as owner/name[:version].
 *
 * Parameter descriptions come from the provider (a Replicate model's
 * OpenAPI input schema costs a request) and are cached in model_schemas
 * (migration 3) for EASEL_MODEL_CATALOG_MAX_AGE. The cached JSON is
 * {"easel": VERSION, "params": [...]}: a description written by another
 * Easel is stale, since the parameter table or the schema reader may have
 * changed. When the provider cannot be reached, a stale description is
 * better than an empty form, so it is returned and marked as cached. */

#include "config.h"

#include "easel-model-catalog.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-error.h"
#include "easel-json.h"
#include "easel-replicate-provider.h"

/* The current official models, as listed in providers.md §3.5; SDXL is a
 * community model, so it names its version. */
static const EaselCatalogEntry curated[] = {
  { "replicate", "black-forest-labs/flux-schnell", N_("FLUX.1 [schnell]"),
    N_("The fastest FLUX model: drafts and quick variations for a fraction of a cent") },
  { "replicate", "black-forest-labs/flux-dev", N_("FLUX.1 [dev]"),
    N_("Higher quality FLUX with more steps, guidance and image-to-image") },
  { "replicate", "black-forest-labs/flux-1.1-pro", N_("FLUX1.1 [pro]"),
    N_("Black Forest Labs’ best quality, prompt adherence and variety") },
  { "replicate", "stability-ai/sdxl:7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc",
    N_("Stable Diffusion XL"),
    N_("The classic open model, with negative prompts, schedulers and refiners; billed by the second") },
  { "replicate", "ideogram-ai/ideogram-v3-quality", N_("Ideogram 3.0"),
    N_("Realistic images and reliable lettering: put the words to draw in quotes") },
  { "replicate", "recraft-ai/recraft-v3", N_("Recraft V3"),
    N_("Long texts and a wide range of illustration and photo styles") },
  { "midjourney", "midjourney", N_("Midjourney"),
    N_("Midjourney through UseAPI.net, with its -- parameters, image prompts and buttons") },
};

/**
 * easel_model_catalog_get_curated:
 * @n_entries: (out): the number of entries
 *
 * The models the editor lists before anything is typed, Replicate's first.
 *
 * Returns: (transfer none) (array length=n_entries): the entries, with
 *   translated titles and descriptions
 */
const EaselCatalogEntry *
easel_model_catalog_get_curated (guint *n_entries)
{
  static EaselCatalogEntry *translated;

  g_return_val_if_fail (n_entries != NULL, NULL);

  if (g_once_init_enter (&translated))
    {
      EaselCatalogEntry *entries = g_new (EaselCatalogEntry, G_N_ELEMENTS (curated));

      for (guint i = 0; i < G_N_ELEMENTS (curated); i++)
        {
          entries[i] = curated[i];
          entries[i].title = g_dgettext (GETTEXT_PACKAGE, curated[i].title);
          entries[i].description = g_dgettext (GETTEXT_PACKAGE, curated[i].description);
        }
      g_once_init_leave (&translated, entries);
    }

  *n_entries = G_N_ELEMENTS (curated);
  return translated;
}

/**
 * easel_model_name_is_valid:
 * @model: a Replicate model name as the user typed it
 * @error: return location for a #GError
 *
 * Checks the form `owner/name` or `owner/name:version` (letters, digits,
 * `-`, `_` and `.` in each part), without asking Replicate whether the
 * model exists: easel_model_catalog_describe_async() does that.
 *
 * Returns: %TRUE if @model is well formed; %FALSE with
 *   %EASEL_ERROR_INVALID_PARAMETER and a message for the user otherwise
 */
gboolean
easel_model_name_is_valid (const char  *model,
                           GError     **error)
{
  g_return_val_if_fail (model != NULL, FALSE);

  return easel_replicate_split_model (model, NULL, NULL, NULL, error);
}

/* The cache, on the store's thread */

typedef struct
{
  char *provider;
  char *model;
  char *version;
  char *json;       /* what to write, or NULL when reading */
} CacheKey;

static void
cache_key_free (CacheKey *key)
{
  g_free (key->provider);
  g_free (key->model);
  g_free (key->version);
  g_free (key->json);
  g_free (key);
}

static CacheKey *
cache_key_new (const char *provider,
               const char *model)
{
  CacheKey *key = g_new0 (CacheKey, 1);
  const char *colon = strchr (model, ':');

  key->provider = g_strdup (provider);
  key->model = g_strdup (model);
  key->version = colon != NULL ? g_strdup (colon + 1) : NULL;
  return key;
}

typedef struct
{
  GPtrArray *params;       /* NULL when nothing usable is cached */
  gboolean   fresh;
} Cached;

static void
cached_free (Cached *cached)
{
  g_clear_pointer (&cached->params, g_ptr_array_unref);
  g_free (cached);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Cached, cached_free)

/* Reads the envelope written by write_cache_func(); anything else is as
 * good as nothing cached. */
static GPtrArray *
parse_cached (const char *text,
              gboolean   *same_version)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(JsonObject) object = easel_json_object_parse (text, &error);
  JsonNode *node = object != NULL ? json_object_get_member (object, "params") : NULL;

  if (node != NULL)
    params = easel_params_from_json (node, &error);
  if (params == NULL)
    {
      g_message ("Ignoring a damaged cached model schema: %s", error ? error->message : "no parameters");
      return NULL;
    }

  *same_version = g_strcmp0 (json_object_get_string_member_with_default (object, "easel", NULL),
                             PACKAGE_VERSION) == 0;
  return g_steal_pointer (&params);
}

static gpointer
read_cache_func (EaselDb   *db,
                 gpointer   data,
                 GError   **error)
{
  CacheKey *key = data;
  g_autoptr(Cached) cached = g_new0 (Cached, 1);
  sqlite3_stmt *stmt;
  int rc;

  stmt = easel_db_prepare (db, "SELECT params, fetched_at FROM model_schemas WHERE provider = ? AND model = ?",
                           error);
  if (stmt == NULL)
    return NULL;
  easel_db_bind_text (stmt, 1, key->provider);
  easel_db_bind_text (stmt, 2, key->model);
  rc = easel_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;

  if (rc == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    {
      gint64 age = g_get_real_time () - sqlite3_column_int64 (stmt, 1);
      gboolean same_version = FALSE;

      cached->params = parse_cached ((const char *) sqlite3_column_text (stmt, 0), &same_version);
      cached->fresh = same_version && age >= 0 && age < EASEL_MODEL_CATALOG_MAX_AGE;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&cached);
}

static gpointer
write_cache_func (EaselDb   *db,
                  gpointer   data,
                  GError   **error)
{
  CacheKey *key = data;
  sqlite3_stmt *stmt;

  stmt = easel_db_prepare (db,
    "INSERT INTO model_schemas (provider, model, version, params, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (provider, model) DO UPDATE "
    "SET version = excluded.version, params = excluded.params, fetched_at = excluded.fetched_at",
    error);
  if (stmt == NULL)
    return NULL;
  easel_db_bind_text (stmt, 1, key->provider);
  easel_db_bind_text (stmt, 2, key->model);
  easel_db_bind_text (stmt, 3, key->version);
  easel_db_bind_text (stmt, 4, key->json);
  easel_db_bind_int64 (stmt, 5, g_get_real_time ());
  if (easel_db_step (db, stmt, error) != SQLITE_DONE)
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

/* describe, on the main thread */

typedef struct
{
  EaselProvider *provider;
  char          *model;
  gboolean       refresh;
  GPtrArray     *stale;       /* a cached copy to fall back on */
  GPtrArray     *fetched;
} Describe;

static void
describe_free (Describe *describe)
{
  g_clear_object (&describe->provider);
  g_free (describe->model);
  g_clear_pointer (&describe->stale, g_ptr_array_unref);
  g_clear_pointer (&describe->fetched, g_ptr_array_unref);
  g_free (describe);
}

typedef struct
{
  GPtrArray *params;
  gboolean   from_cache;
} Described;

static void
described_free (Described *described)
{
  g_clear_pointer (&described->params, g_ptr_array_unref);
  g_free (described);
}

static void
return_params (GTask     *task,
               GPtrArray *params,
               gboolean   from_cache)
{
  Described *described = g_new0 (Described, 1);

  described->params = g_ptr_array_ref (params);
  described->from_cache = from_cache;
  g_task_return_pointer (task, described, (GDestroyNotify) described_free);
}

/* Errors after which the provider may answer later: a stale description
 * is offered meanwhile. Any other error (no such model, a refused token)
 * is the user's to see. */
static gboolean
is_transient (const GError *error)
{
  return g_error_matches (error, EASEL_ERROR, EASEL_ERROR_NETWORK) ||
         g_error_matches (error, EASEL_ERROR, EASEL_ERROR_TIMEOUT) ||
         g_error_matches (error, EASEL_ERROR, EASEL_ERROR_RATE_LIMITED) ||
         g_error_matches (error, EASEL_ERROR, EASEL_ERROR_SERVER) ||
         g_error_matches (error, EASEL_ERROR, EASEL_ERROR_UNAVAILABLE) ||
         g_error_matches (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
}

static void
cache_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Describe *describe = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The description is good even if it could not be kept. */
  if (easel_store_run_finish (EASEL_STORE (source), result, &error) == NULL)
    g_message ("Could not cache the parameters of %s: %s", describe->model, error->message);

  return_params (task, describe->fetched, FALSE);
}

static void
fetched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaselStore *store = g_task_get_source_object (task);
  Describe *describe = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) fetched = NULL;
  CacheKey *key;

  fetched = easel_provider_describe_params_finish (EASEL_PROVIDER (source), result, &error);
  if (fetched == NULL)
    {
      if (describe->stale != NULL && is_transient (error))
        {
          g_debug ("Using the cached parameters of %s: %s", describe->model, error->message);
          return_params (task, describe->stale, TRUE);
        }
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Providers may share what they return with their own cache: the
   * caller gets a copy of its own to change as it likes. */
  describe->fetched = g_ptr_array_copy (fetched, (GCopyFunc) easel_param_copy, NULL);
  g_ptr_array_set_free_func (describe->fetched, (GDestroyNotify) easel_param_free);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "easel");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "params");
  json_builder_add_value (builder, easel_params_to_json (describe->fetched));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  key = cache_key_new (easel_provider_get_id (describe->provider), describe->model);
  key->json = json_to_string (root, FALSE);
  /* Not cancellable: what was fetched is worth keeping. */
  easel_store_run_async (store, write_cache_func, key, (GDestroyNotify) cache_key_free, NULL,
                         cache_written_cb, g_steal_pointer (&task));
}

static void
cache_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Describe *describe = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(Cached) cached = easel_store_run_finish (EASEL_STORE (source), result, &error);
  GCancellable *cancellable;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* The cache only saves a request: without it, ask the provider. */
  if (cached == NULL)
    g_message ("Could not read the cached parameters of %s: %s", describe->model, error->message);
  else if (cached->params != NULL && cached->fresh && !describe->refresh)
    {
      return_params (task, cached->params, TRUE);
      return;
    }
  else
    describe->stale = g_steal_pointer (&cached->params);

  cancellable = g_task_get_cancellable (task);
  easel_provider_describe_params_async (describe->provider, describe->model, cancellable,
                                        fetched_cb, g_steal_pointer (&task));
}

/**
 * easel_model_catalog_describe_async:
 * @store: an open store
 * @provider: the provider of @model
 * @model: a model, such as one of easel_model_catalog_get_curated() or a
 *   name that passed easel_model_name_is_valid()
 * @refresh: whether to ask the provider even when a fresh description is
 *   cached
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the parameters
 * @user_data: data for @callback
 *
 * Finds out what parameters @model takes: from the cache when it holds a
 * description younger than %EASEL_MODEL_CATALOG_MAX_AGE, otherwise from
 * the provider, whose answer is then cached. When the provider cannot be
 * reached and an older description is cached, that one is used.
 *
 * The parameters tell the editor what to show: whether the model takes a
 * negative prompt is easel_params_find (params, "negative_prompt") != %NULL.
 */
void
easel_model_catalog_describe_async (EaselStore          *store,
                                    EaselProvider       *provider,
                                    const char          *model,
                                    gboolean             refresh,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;
  Describe *describe;

  g_return_if_fail (EASEL_IS_STORE (store));
  g_return_if_fail (EASEL_IS_PROVIDER (provider));
  g_return_if_fail (model != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_model_catalog_describe_async);

  describe = g_new0 (Describe, 1);
  describe->provider = g_object_ref (provider);
  describe->model = g_strdup (model);
  describe->refresh = refresh;
  g_task_set_task_data (task, describe, (GDestroyNotify) describe_free);

  easel_store_run_full_async (store, read_cache_func,
                              cache_key_new (easel_provider_get_id (provider), model),
                              (GDestroyNotify) cache_key_free, (GDestroyNotify) cached_free,
                              cancellable, cache_read_cb, task);
}

/**
 * easel_model_catalog_describe_finish:
 * @store: the store
 * @result: the #GAsyncResult given to the callback
 * @from_cache: (out) (optional): whether the description came from the
 *   cache (fresh, or stale because the provider could not be reached)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type EaselParam): the parameters, in
 *   the order to show them, or %NULL with @error set
 */
GPtrArray *
easel_model_catalog_describe_finish (EaselStore    *store,
                                     GAsyncResult  *result,
                                     gboolean      *from_cache,
                                     GError       **error)
{
  Described *described;
  GPtrArray *params;

  g_return_val_if_fail (EASEL_IS_STORE (store), NULL);
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, easel_model_catalog_describe_async), NULL);

  if (from_cache != NULL)
    *from_cache = FALSE;

  described = g_task_propagate_pointer (G_TASK (result), error);
  if (described == NULL)
    return NULL;

  if (from_cache != NULL)
    *from_cache = described->from_cache;
  params = g_steal_pointer (&described->params);
  described_free (described);
  return params;
}
