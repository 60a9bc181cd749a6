/* easel-account.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One account at a provider, as the interface shows it. It never holds
 * the token: EaselAccounts keeps tokens apart, so binding or printing an
 * account cannot reveal one. */

#include "config.h"

#include "easel-account-private.h"

struct _EaselAccount
{
  GObject             parent_instance;

  char               *provider;
  char               *name;
  EaselAccountSource  source;
  gboolean            is_default;
  guint               max_jobs;
  char               *problem;
};

G_DEFINE_FINAL_TYPE (EaselAccount, easel_account, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (EaselAccountSource, easel_account_source,
                    G_DEFINE_ENUM_VALUE (EASEL_ACCOUNT_SOURCE_KEYRING, "keyring"),
                    G_DEFINE_ENUM_VALUE (EASEL_ACCOUNT_SOURCE_MEMORY, "memory"),
                    G_DEFINE_ENUM_VALUE (EASEL_ACCOUNT_SOURCE_ENVIRONMENT, "environment"))

enum {
  PROP_0,
  PROP_PROVIDER,
  PROP_NAME,
  PROP_SOURCE,
  PROP_IS_DEFAULT,
  PROP_MAX_JOBS,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

EaselAccount *
easel_account_new (const char         *provider,
                   const char         *name,
                   EaselAccountSource  source)
{
  EaselAccount *self = g_object_new (EASEL_TYPE_ACCOUNT, NULL);

  self->provider = g_strdup (provider);
  self->name = g_strdup (name);
  self->source = source;
  return self;
}

void
easel_account_set_is_default (EaselAccount *self,
                              gboolean      is_default)
{
  is_default = !!is_default;
  if (self->is_default == is_default)
    return;
  self->is_default = is_default;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_DEFAULT]);
}

void
easel_account_set_max_jobs (EaselAccount *self,
                            guint         max_jobs)
{
  if (self->max_jobs == max_jobs)
    return;
  self->max_jobs = max_jobs;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_JOBS]);
}

void
easel_account_set_problem (EaselAccount *self,
                           const char   *problem)
{
  if (g_strcmp0 (self->problem, problem) == 0)
    return;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

/**
 * easel_account_get_provider:
 * @self: an account
 *
 * Returns: the provider id ("replicate", "midjourney", "openrouter")
 */
const char *
easel_account_get_provider (EaselAccount *self)
{
  g_return_val_if_fail (EASEL_IS_ACCOUNT (self), NULL);

  return self->provider;
}

/**
 * easel_account_get_name:
 * @self: an account
 *
 * Returns: the account's name, unique among all accounts; an environment
 *   account is named after its variable
 */
const char *
easel_account_get_name (EaselAccount *self)
{
  g_return_val_if_fail (EASEL_IS_ACCOUNT (self), NULL);

  return self->name;
}

/**
 * easel_account_get_is_default:
 * @self: an account
 *
 * Returns: whether jobs that name no account use this one
 */
gboolean
easel_account_get_is_default (EaselAccount *self)
{
  g_return_val_if_fail (EASEL_IS_ACCOUNT (self), FALSE);

  return self->is_default;
}

/**
 * easel_account_get_source:
 * @self: an account
 *
 * Returns: where the token lives
 */
EaselAccountSource
easel_account_get_source (EaselAccount *self)
{
  g_return_val_if_fail (EASEL_IS_ACCOUNT (self), EASEL_ACCOUNT_SOURCE_KEYRING);

  return self->source;
}

/**
 * easel_account_get_max_jobs:
 * @self: an account
 *
 * Returns: how many of the account's jobs may run at once, or 0 for the
 *   provider's setting
 */
guint
easel_account_get_max_jobs (EaselAccount *self)
{
  g_return_val_if_fail (EASEL_IS_ACCOUNT (self), 0);

  return self->max_jobs;
}

/**
 * easel_account_get_problem:
 * @self: an account
 *
 * Returns: (nullable): why the account cannot be used (its token is
 *   missing from the keyring, …), or %NULL
 */
const char *
easel_account_get_problem (EaselAccount *self)
{
  g_return_val_if_fail (EASEL_IS_ACCOUNT (self), NULL);

  return self->problem;
}

/**
 * easel_account_source_to_string:
 * @source: a source
 *
 * Returns: the source's stable name, for `--json` output
 */
const char *
easel_account_source_to_string (EaselAccountSource source)
{
  switch (source)
    {
    case EASEL_ACCOUNT_SOURCE_KEYRING:
      return "keyring";
    case EASEL_ACCOUNT_SOURCE_MEMORY:
      return "memory";
    case EASEL_ACCOUNT_SOURCE_ENVIRONMENT:
      return "environment";
    default:
      g_return_val_if_reached ("keyring");
    }
}

static void
easel_account_finalize (GObject *object)
{
  EaselAccount *self = EASEL_ACCOUNT (object);

  g_free (self->provider);
  g_free (self->name);
  g_free (self->problem);

  G_OBJECT_CLASS (easel_account_parent_class)->finalize (object);
}

static void
easel_account_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  EaselAccount *self = EASEL_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_string (value, self->provider);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SOURCE:
      g_value_set_enum (value, self->source);
      break;
    case PROP_IS_DEFAULT:
      g_value_set_boolean (value, self->is_default);
      break;
    case PROP_MAX_JOBS:
      g_value_set_uint (value, self->max_jobs);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_account_class_init (EaselAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = easel_account_finalize;
  object_class->get_property = easel_account_get_property;

  properties[PROP_PROVIDER] = g_param_spec_string ("provider", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_SOURCE] = g_param_spec_enum ("source", NULL, NULL, EASEL_TYPE_ACCOUNT_SOURCE,
                                               EASEL_ACCOUNT_SOURCE_KEYRING, flags);
  properties[PROP_IS_DEFAULT] = g_param_spec_boolean ("is-default", NULL, NULL, FALSE, flags);
  properties[PROP_MAX_JOBS] = g_param_spec_uint ("max-jobs", NULL, NULL, 0, 50, 0, flags);
  properties[PROP_PROBLEM] = g_param_spec_string ("problem", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
easel_account_init (EaselAccount *self)
{
}
