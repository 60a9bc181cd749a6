/* easel-accounts.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The user's accounts at the providers, as a list model of EaselAccount.
 *
 * What is stored where: the name, provider, default flag and job limit of
 * each account are rows of the `accounts` table (migration 4); the token is
 * an item in the keyring (EaselSecrets) and nowhere else. Tokens are read
 * from the keyring once, asynchronously, by easel_accounts_load_async(), and
 * kept in memory, so easel_accounts_lookup() — the job queue's synchronous
 * EaselProviderLookup — never waits for D-Bus.
 *
 * The environment overrides the keyring: `REPLICATE_API_TOKEN`,
 * `USEAPI_API_TOKEN` and `OPENROUTER_API_KEY` each show as an account named
 * after the variable, "from environment", and are their provider's default
 * while set.
 *
 * Without a keyring (EaselSecrets:in-memory) an added account lives for the
 * session only: its row is not written either, so the next start does not
 * show an account whose token is gone. */

#include "config.h"

#include "easel-accounts.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-account-private.h"
#include "easel-error.h"
#include "easel-http-client.h"
#include "easel-http-provider.h"
#include "easel-openrouter-client.h"
#include "easel-provider-registry.h"
#include "easel-replicate-provider.h"
#include "easel-useapi-provider.h"

#define MAX_NAME_CHARS 64

typedef struct
{
  const char *id;
  const char *name;
  const char *token_variable;
  const char *url_variable;
  const char *default_url;
  const char *url_key;            /* GSettings key of a custom endpoint */
  const char *concurrency_key;    /* GSettings key of the jobs at once, or NULL */
  const char *prefix;             /* what tokens are known to start with */
} Kind;

static const Kind kinds[] = {
  { "replicate", "Replicate", "REPLICATE_API_TOKEN", "EASEL_REPLICATE_URL",
    EASEL_REPLICATE_DEFAULT_URL, "replicate-url", "replicate-concurrency", "r8_" },
  { "midjourney", "Midjourney (UseAPI.net)", "USEAPI_API_TOKEN", "EASEL_USEAPI_URL",
    EASEL_USEAPI_DEFAULT_URL, "useapi-url", "midjourney-concurrency", "user:" },
  { "openrouter", "OpenRouter", "OPENROUTER_API_KEY", "EASEL_OPENROUTER_URL",
    EASEL_OPENROUTER_DEFAULT_URL, "openrouter-url", NULL, "sk-or-" },
};

struct _EaselAccounts
{
  GObject       parent_instance;

  EaselStore   *store;
  EaselSecrets *secrets;
  GSettings    *settings;       /* nullable */
  GWeakRef      queue;
  GPtrArray    *items;          /* EaselAccount */
  GHashTable   *tokens;         /* folded name → token */
  GHashTable   *defaults;       /* provider → folded name of the chosen default (not environment) */
  gboolean      listed;
};

enum {
  PROP_0,
  PROP_LISTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EaselAccounts, easel_accounts, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* List model */

static GType
get_item_type (GListModel *model)
{
  return EASEL_TYPE_ACCOUNT;
}

static guint
get_n_items (GListModel *model)
{
  return EASEL_ACCOUNTS (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  EaselAccounts *self = EASEL_ACCOUNTS (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Helpers */

static const Kind *
find_kind (const char *provider)
{
  for (guint i = 0; provider != NULL && i < G_N_ELEMENTS (kinds); i++)
    {
      if (g_str_equal (kinds[i].id, provider))
        return &kinds[i];
    }
  return NULL;
}

static char *
fold (const char *name)
{
  return g_ascii_strdown (name, -1);
}

static const char *
env_token (const Kind *kind)
{
  const char *token = g_getenv (kind->token_variable);

  return token != NULL && token[0] != '\0' ? token : NULL;
}

static guint
find_index (EaselAccounts *self,
            const char    *name)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      if (g_ascii_strcasecmp (easel_account_get_name (g_ptr_array_index (self->items, i)), name) == 0)
        return i;
    }
  return G_MAXUINT;
}

static char *
make_label (const char *provider,
            const char *name)
{
  /* Translators: the keyring item's label, as Passwords and Keys shows it:
   * a provider ("Replicate"), then the account's name */
  return g_strdup_printf (_("Easel: %s token (%s)"), easel_accounts_provider_name (provider), name);
}

/* The effective defaults: an environment account, else the chosen one. */
static void
refresh_defaults (EaselAccounts *self)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      EaselAccount *account = g_ptr_array_index (self->items, i);
      const char *provider = easel_account_get_provider (account);
      g_autofree char *folded = fold (easel_account_get_name (account));
      gboolean is_default;

      if (easel_account_get_source (account) == EASEL_ACCOUNT_SOURCE_ENVIRONMENT)
        is_default = TRUE;
      else
        is_default = env_token (find_kind (provider)) == NULL &&
                     g_strcmp0 (g_hash_table_lookup (self->defaults, provider), folded) == 0;
      easel_account_set_is_default (account, is_default);
    }
}

static void
apply_to_queue (EaselAccounts *self,
                const char    *provider)
{
  g_autoptr(EaselJobQueue) queue = g_weak_ref_get (&self->queue);

  if (queue == NULL)
    return;

  for (guint i = 0; i < self->items->len; i++)
    {
      EaselAccount *account = g_ptr_array_index (self->items, i);
      const Kind *kind = find_kind (easel_account_get_provider (account));
      guint max_jobs = easel_account_get_max_jobs (account);

      if (max_jobs == 0 && self->settings != NULL && kind->concurrency_key != NULL)
        max_jobs = g_settings_get_uint (self->settings, kind->concurrency_key);
      if (max_jobs == 0)
        continue;
      easel_job_queue_set_concurrency (queue, kind->id, easel_account_get_name (account), max_jobs);
      /* Jobs that name no account run on the default one: its own limit
       * is theirs too. */
      if (easel_account_get_is_default (account) && easel_account_get_max_jobs (account) > 0)
        easel_job_queue_set_concurrency (queue, kind->id, NULL, max_jobs);
    }

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (provider == NULL || g_str_equal (provider, kinds[i].id))
        easel_job_queue_forget_providers (queue, kinds[i].id);
    }
}

static void
changed (EaselAccounts *self,
         const char    *provider,
         guint          position,
         guint          removed,
         guint          added)
{
  refresh_defaults (self);
  apply_to_queue (self, provider);
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

/**
 * easel_accounts_provider_name:
 * @provider: a provider id
 *
 * Returns: the provider's name for people, or @provider when unknown
 */
const char *
easel_accounts_provider_name (const char *provider)
{
  const Kind *kind = find_kind (provider);

  g_return_val_if_fail (provider != NULL, NULL);

  return kind != NULL ? kind->name : provider;
}

/**
 * easel_accounts_list_provider_ids:
 *
 * Returns: (transfer none): the ids of the providers that take accounts:
 *   the image providers and OpenRouter
 */
const char * const *
easel_accounts_list_provider_ids (void)
{
  static const char *ids[G_N_ELEMENTS (kinds) + 1];

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    ids[i] = kinds[i].id;
  return ids;
}

/**
 * easel_accounts_check_token:
 * @provider: a provider id
 * @token: a token as the user gave it
 *
 * A sanity check of a token's form, to catch a paste of the wrong thing:
 * nothing is sent anywhere.
 *
 * Returns: (transfer full): warnings for people, empty when the token looks
 *   plausible
 */
GStrv
easel_accounts_check_token (const char *provider,
                            const char *token)
{
  g_autoptr(GStrvBuilder) warnings = g_strv_builder_new ();
  const Kind *kind = find_kind (provider);

  g_return_val_if_fail (provider != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  if (token[0] == '\0')
    g_strv_builder_add (warnings, _("The token is empty."));
  else if (token[strcspn (token, " \t\r\n\v\f")] != '\0')
    g_strv_builder_add (warnings, _("The token contains spaces or line breaks; tokens have none. "
                                    "Copy it again from the provider’s page."));
  else if (!g_utf8_validate (token, -1, NULL))
    g_strv_builder_add (warnings, _("The token contains characters tokens never have."));
  else if (strlen (token) < 16)
    g_strv_builder_add (warnings, _("The token is shorter than tokens usually are."));

  if (kind != NULL && token[0] != '\0' && !g_str_has_prefix (token, kind->prefix))
    {
      /* Translators: a provider name, then the start of its tokens ("r8_") */
      g_autofree char *message = g_strdup_printf (_("%s tokens usually start with “%s”."),
                                                  kind->name, kind->prefix);

      g_strv_builder_add (warnings, message);
    }

  return g_strv_builder_end (warnings);
}

/**
 * easel_accounts_check_name:
 * @name: an account name
 * @error: return location for a #GError
 *
 * Returns: whether @name can name an account: 1 to 64 characters, no
 *   control characters, no space at either end, and not the name of a
 *   token variable
 */
gboolean
easel_accounts_check_name (const char  *name,
                           GError     **error)
{
  g_return_val_if_fail (name != NULL, FALSE);

  if (!g_utf8_validate (name, -1, NULL) || name[0] == '\0' ||
      g_utf8_strlen (name, -1) > MAX_NAME_CHARS || g_ascii_isspace (name[0]) ||
      g_ascii_isspace (name[strlen (name) - 1]))
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   _("An account name has 1 to %d characters, without spaces at either end"),
                   MAX_NAME_CHARS);
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("An account name cannot contain control characters"));
          return FALSE;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (g_ascii_strcasecmp (name, kinds[i].token_variable) == 0)
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("“%s” is the name of the environment’s account"), name);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * easel_accounts_new:
 * @store: the store (an open one before easel_accounts_load_async())
 * @secrets: the token store
 *
 * Returns: (transfer full): the accounts, empty until loaded
 */
EaselAccounts *
easel_accounts_new (EaselStore   *store,
                    EaselSecrets *secrets)
{
  EaselAccounts *self;

  g_return_val_if_fail (EASEL_IS_STORE (store), NULL);
  g_return_val_if_fail (EASEL_IS_SECRETS (secrets), NULL);

  self = g_object_new (EASEL_TYPE_ACCOUNTS, NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);
  return self;
}

/**
 * easel_accounts_get_listed:
 * @self: the accounts
 *
 * Returns: whether the accounts are listed (#EaselAccounts:listed)
 */
gboolean
easel_accounts_get_listed (EaselAccounts *self)
{
  g_return_val_if_fail (EASEL_IS_ACCOUNTS (self), FALSE);

  return self->listed;
}

/**
 * easel_accounts_get_secrets:
 * @self: the accounts
 *
 * Returns: (transfer none): the token store
 */
EaselSecrets *
easel_accounts_get_secrets (EaselAccounts *self)
{
  g_return_val_if_fail (EASEL_IS_ACCOUNTS (self), NULL);

  return self->secrets;
}

static void
settings_changed_cb (EaselAccounts *self,
                     const char    *key,
                     GSettings     *settings)
{
  if (key == NULL || g_str_has_suffix (key, "-url") || g_str_equal (key, "request-timeout") ||
      g_str_has_suffix (key, "-concurrency"))
    apply_to_queue (self, NULL);
}

/**
 * easel_accounts_bind_settings:
 * @self: the accounts
 * @settings: the application's settings
 *
 * Takes custom endpoints (`replicate-url`, `useapi-url`, `openrouter-url`),
 * the request timeout and the providers' job limits from @settings. The
 * `EASEL_*_URL` environment variables still win over the endpoints.
 */
void
easel_accounts_bind_settings (EaselAccounts *self,
                              GSettings     *settings)
{
  g_return_if_fail (EASEL_IS_ACCOUNTS (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_set_object (&self->settings, settings);
  g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

/**
 * easel_accounts_bind_queue:
 * @self: the accounts
 * @queue: the job queue (not kept alive)
 *
 * Gives @queue each account's job limit and makes it forget the provider
 * objects of an account whose token, default or endpoint changed.
 */
void
easel_accounts_bind_queue (EaselAccounts *self,
                           EaselJobQueue *queue)
{
  g_return_if_fail (EASEL_IS_ACCOUNTS (self));
  g_return_if_fail (EASEL_IS_JOB_QUEUE (queue));

  g_weak_ref_set (&self->queue, queue);
  apply_to_queue (self, NULL);
}

/**
 * easel_accounts_find:
 * @self: the accounts
 * @name: an account name (case does not matter)
 *
 * Returns: (transfer none) (nullable): the account
 */
EaselAccount *
easel_accounts_find (EaselAccounts *self,
                     const char    *name)
{
  guint i;

  g_return_val_if_fail (EASEL_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  i = find_index (self, name);
  return i != G_MAXUINT ? g_ptr_array_index (self->items, i) : NULL;
}

/**
 * easel_accounts_get_default:
 * @self: the accounts
 * @provider: a provider id
 *
 * Returns: (transfer none) (nullable): the account that jobs naming no
 *   account use
 */
EaselAccount *
easel_accounts_get_default (EaselAccounts *self,
                            const char    *provider)
{
  g_return_val_if_fail (EASEL_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      EaselAccount *account = g_ptr_array_index (self->items, i);

      if (easel_account_get_is_default (account) &&
          g_str_equal (easel_account_get_provider (account), provider))
        return account;
    }
  return NULL;
}

/* Loading */

typedef struct
{
  char    *name;
  char    *provider;
  gboolean is_default;
  guint    max_jobs;
} Row;

static void
row_free (Row *row)
{
  g_free (row->name);
  g_free (row->provider);
  g_free (row);
}

static gpointer
load_in_thread (EaselDb   *db,
                gpointer   data,
                GError   **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = easel_db_prepare (db, "SELECT name, provider, is_default, max_jobs FROM accounts "
                               "ORDER BY created_at, name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = easel_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      Row *row = g_new0 (Row, 1);

      row->name = easel_db_column_text_dup (stmt, 0);
      row->provider = easel_db_column_text_dup (stmt, 1);
      row->is_default = sqlite3_column_int (stmt, 2) != 0;
      row->max_jobs = (guint) CLAMP (sqlite3_column_int (stmt, 3), 0, 50);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&rows);
}

typedef struct
{
  GPtrArray *loaded;   /* EaselAccount */
  guint      pending;
} Load;

static void
load_free (Load *load)
{
  g_clear_pointer (&load->loaded, g_ptr_array_unref);
  g_free (load);
}

/* Lists the environment's accounts, then @loaded (the store's), at once:
 * what accounts there are is known before any token is read. */
static void
list_accounts (EaselAccounts *self,
               GPtrArray     *loaded)
{
  guint old = self->items->len;

  g_ptr_array_set_size (self->items, 0);
  /* The environment's accounts first: they are the defaults. */
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const char *token = env_token (&kinds[i]);

      if (token == NULL)
        continue;
      g_ptr_array_add (self->items, easel_account_new (kinds[i].id, kinds[i].token_variable,
                                                       EASEL_ACCOUNT_SOURCE_ENVIRONMENT));
    }
  for (guint i = 0; loaded != NULL && i < loaded->len; i++)
    g_ptr_array_add (self->items, g_object_ref (g_ptr_array_index (loaded, i)));
  changed (self, NULL, 0, old, self->items->len);
  if (!self->listed)
    {
      self->listed = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LISTED]);
    }
}

static void
load_done (GTask *task)
{
  EaselAccounts *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);

  /* The tokens are in: followers look again (a lookup that failed for want
   * of its token works now). */
  if (load->loaded->len > 0)
    changed (self, NULL, 0, self->items->len, self->items->len);
  g_task_return_boolean (task, TRUE);
}

typedef struct
{
  GTask        *task;
  EaselAccount *account;
} TokenLoad;

static void
token_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TokenLoad *token_load = user_data;
  g_autoptr(GTask) task = token_load->task;
  g_autoptr(EaselAccount) account = token_load->account;
  EaselAccounts *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *token;

  token = easel_secrets_lookup_finish (EASEL_SECRETS (object), result, &error);
  if (token != NULL)
    g_hash_table_replace (self->tokens, fold (easel_account_get_name (account)), token);
  else if (easel_secrets_get_in_memory (self->secrets))
    {
      /* Translators: the reason the keyring cannot be used */
      g_autofree char *problem = g_strdup_printf (_("The keyring is not available (%s) so the token "
                                                    "cannot be read."),
                                                  easel_secrets_get_problem (self->secrets));

      easel_account_set_problem (account, problem);
    }
  else
    easel_account_set_problem (account, error != NULL ? error->message
                               : _("The token is missing from the keyring. Remove the account and "
                                   "add it again."));

  g_free (token_load);
  if (--load->pending == 0)
    load_done (task);
}

static void
rows_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaselAccounts *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = easel_store_run_finish (EASEL_STORE (object), result, &error);
  if (rows == NULL)
    {
      /* The environment's accounts still work. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        list_accounts (self, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  load->loaded = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_remove_all (self->defaults);
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);
      EaselAccount *account;

      if (find_kind (row->provider) == NULL)
        continue;   /* a provider of a newer Easel */
      account = easel_account_new (row->provider, row->name, EASEL_ACCOUNT_SOURCE_KEYRING);
      easel_account_set_max_jobs (account, row->max_jobs);
      if (row->is_default)
        g_hash_table_replace (self->defaults, g_strdup (row->provider), fold (row->name));
      g_ptr_array_add (load->loaded, account);
    }
  list_accounts (self, load->loaded);

  load->pending = 1;
  for (guint i = 0; i < load->loaded->len; i++)
    {
      EaselAccount *account = g_ptr_array_index (load->loaded, i);
      TokenLoad *token_load = g_new0 (TokenLoad, 1);

      token_load->task = g_object_ref (task);
      token_load->account = g_object_ref (account);
      load->pending++;
      easel_secrets_lookup_async (self->secrets, easel_account_get_provider (account),
                                  easel_account_get_name (account), g_task_get_cancellable (task),
                                  token_loaded_cb, token_load);
    }
  if (--load->pending == 0)
    load_done (task);
}

/**
 * easel_accounts_load_async:
 * @self: the accounts
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads the accounts from the store and their tokens from the keyring,
 * and adds the environment's accounts. The accounts are listed as soon as
 * the store has answered, before their tokens are read (#EaselAccounts:listed
 * turns %TRUE then); once the tokens are in, items-changed tells again of
 * every stored account. An account whose token cannot be read is listed
 * with a problem (easel_account_get_problem()).
 */
void
easel_accounts_load_async (EaselAccounts       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (EASEL_IS_ACCOUNTS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_accounts_load_async);
  g_task_set_task_data (task, g_new0 (Load, 1), (GDestroyNotify) load_free);
  easel_store_run_full_async (self->store, load_in_thread, NULL, NULL,
                              (GDestroyNotify) g_ptr_array_unref, cancellable, rows_loaded_cb, task);
}

/**
 * easel_accounts_load_finish:
 * @self: the accounts
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the accounts are loaded
 */
gboolean
easel_accounts_load_finish (EaselAccounts  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Changes */

typedef struct
{
  char    *provider;
  char    *name;
  char    *token;
  gboolean make_default;
  guint    max_jobs;
  char    *new_default;   /* remove: the account that became the default */
} Change;

static void
change_free (Change *change)
{
  g_free (change->provider);
  g_free (change->name);
  easel_secret_free (change->token);
  g_free (change->new_default);
  g_free (change);
}

static Change *
change_new (const char *provider,
            const char *name)
{
  Change *change = g_new0 (Change, 1);

  change->provider = g_strdup (provider);
  change->name = g_strdup (name);
  return change;
}

static gpointer
insert_in_thread (EaselDb   *db,
                  gpointer   data,
                  GError   **error)
{
  Change *change = data;
  sqlite3_stmt *stmt;
  gboolean has_default;

  if (!easel_db_begin (db, error))
    return NULL;

  stmt = easel_db_prepare (db, "SELECT count(*) FROM accounts WHERE provider = ?1 AND is_default = 1", error);
  if (stmt == NULL)
    return NULL;
  easel_db_bind_text (stmt, 1, change->provider);
  if (easel_db_step (db, stmt, error) != SQLITE_ROW)
    return NULL;
  has_default = sqlite3_column_int (stmt, 0) > 0;
  change->make_default = change->make_default || !has_default;

  if (change->make_default)
    {
      stmt = easel_db_prepare (db, "UPDATE accounts SET is_default = 0 WHERE provider = ?1", error);
      if (stmt == NULL)
        return NULL;
      easel_db_bind_text (stmt, 1, change->provider);
      if (easel_db_step (db, stmt, error) != SQLITE_DONE)
        return NULL;
    }

  stmt = easel_db_prepare (db, "INSERT INTO accounts (name, provider, is_default, max_jobs, created_at) "
                               "VALUES (?1, ?2, ?3, 0, ?4)", error);
  if (stmt == NULL)
    return NULL;
  easel_db_bind_text (stmt, 1, change->name);
  easel_db_bind_text (stmt, 2, change->provider);
  easel_db_bind_int64 (stmt, 3, change->make_default);
  easel_db_bind_int64 (stmt, 4, g_get_real_time ());
  if (easel_db_step (db, stmt, error) != SQLITE_DONE)
    return NULL;

  if (!easel_db_commit (db, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
add_account (EaselAccounts      *self,
             Change             *change,
             EaselAccountSource  source)
{
  EaselAccount *account = easel_account_new (change->provider, change->name, source);

  g_hash_table_replace (self->tokens, fold (change->name), g_strdup (change->token));
  if (change->make_default || !g_hash_table_contains (self->defaults, change->provider))
    g_hash_table_replace (self->defaults, g_strdup (change->provider), fold (change->name));
  g_ptr_array_add (self->items, account);
  changed (self, change->provider, self->items->len - 1, 0, 1);
}

/* Completes @task once the keyring item is gone: with @error when there
 * is one, else with TRUE. */
static void
cleared_then_return_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = g_object_get_data (G_OBJECT (task), "easel-error");
  g_autoptr(GError) clear_error = NULL;

  if (!easel_secrets_clear_finish (EASEL_SECRETS (object), result, &clear_error) && clear_error != NULL)
    g_warning ("Cannot remove a token from the keyring: %s", clear_error->message);
  if (error != NULL)
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
inserted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaselAccounts *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (easel_store_run_finish (EASEL_STORE (object), result, &error) == NULL)
    {
      /* No row, no token: take it back out of the keyring, then fail. */
      if (g_error_matches (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_CONSTRAINT))
        {
          g_clear_error (&error);
          g_set_error (&error, EASEL_ERROR, EASEL_ERROR_CONFLICT,
                       _("There is already an account called “%s”"), change->name);
        }
      g_object_set_data_full (G_OBJECT (task), "easel-error", g_steal_pointer (&error),
                              (GDestroyNotify) g_error_free);
      easel_secrets_clear_async (self->secrets, change->provider, change->name, NULL,
                                 cleared_then_return_cb, g_steal_pointer (&task));
      return;
    }

  add_account (self, change, EASEL_ACCOUNT_SOURCE_KEYRING);
  g_task_return_pointer (task, g_object_ref (easel_accounts_find (self, change->name)), g_object_unref);
}

static void
token_stored_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaselAccounts *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!easel_secrets_store_finish (EASEL_SECRETS (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (easel_secrets_get_in_memory (self->secrets))
    {
      /* For this session only: no row either. */
      add_account (self, change, EASEL_ACCOUNT_SOURCE_MEMORY);
      g_task_return_pointer (task, g_object_ref (easel_accounts_find (self, change->name)), g_object_unref);
      return;
    }

  easel_store_run_async (self->store, insert_in_thread, change, NULL, NULL, inserted_cb,
                         g_steal_pointer (&task));
}

/**
 * easel_accounts_add_async:
 * @self: the accounts
 * @provider: a provider id
 * @name: a new account name (see easel_accounts_check_name())
 * @token: the token; see easel_accounts_check_token() for warnings to show
 *   first
 * @make_default: whether the account becomes its provider's default (the
 *   first account of a provider always does)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Stores @token in the keyring and the account in the store, or, without a
 * keyring, keeps both in memory for this session.
 */
void
easel_accounts_add_async (EaselAccounts       *self,
                          const char          *provider,
                          const char          *name,
                          const char          *token,
                          gboolean             make_default,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  Change *change;

  g_return_if_fail (EASEL_IS_ACCOUNTS (self));
  g_return_if_fail (provider != NULL && name != NULL && token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_accounts_add_async);
  g_task_set_check_cancellable (task, FALSE);

  if (find_kind (provider) == NULL)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_NOT_FOUND,
                               _("There is no provider called “%s”"), provider);
      return;
    }
  if (!easel_accounts_check_name (name, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (token[0] == '\0')
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                               _("The token is empty."));
      return;
    }
  if (easel_accounts_find (self, name) != NULL)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_CONFLICT,
                               _("There is already an account called “%s”"), name);
      return;
    }

  change = change_new (provider, name);
  change->token = g_strdup (token);
  change->make_default = make_default;
  g_task_set_task_data (task, change, (GDestroyNotify) change_free);
  label = make_label (provider, name);
  easel_secrets_store_async (self->secrets, provider, name, label, token, cancellable,
                             token_stored_cb, g_steal_pointer (&task));
}

/**
 * easel_accounts_add_finish:
 * @self: the accounts
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the new account, or %NULL with @error set
 */
EaselAccount *
easel_accounts_add_finish (EaselAccounts  *self,
                           GAsyncResult   *result,
                           GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Finds a stored (not environment) account for a change, or returns an
 * error on @task. */
static EaselAccount *
changeable (EaselAccounts *self,
            GTask         *task,
            const char    *name)
{
  EaselAccount *account = easel_accounts_find (self, name);

  if (account == NULL)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_NOT_FOUND,
                               _("There is no account called “%s”"), name);
      return NULL;
    }
  if (easel_account_get_source (account) == EASEL_ACCOUNT_SOURCE_ENVIRONMENT)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED,
                               /* Translators: an environment variable */
                               _("This account comes from the environment; unset %s to remove it"),
                               easel_account_get_name (account));
      return NULL;
    }
  return account;
}

static gpointer
delete_in_thread (EaselDb   *db,
                  gpointer   data,
                  GError   **error)
{
  Change *change = data;
  sqlite3_stmt *stmt;

  if (!easel_db_begin (db, error))
    return NULL;
  stmt = easel_db_prepare (db, "DELETE FROM accounts WHERE name = ?1", error);
  if (stmt == NULL)
    return NULL;
  easel_db_bind_text (stmt, 1, change->name);
  if (easel_db_step (db, stmt, error) != SQLITE_DONE)
    return NULL;

  /* The oldest account left becomes the default, if the default went. */
  stmt = easel_db_prepare (db, "UPDATE accounts SET is_default = 1 WHERE name = "
                               "(SELECT name FROM accounts WHERE provider = ?1 ORDER BY created_at, name LIMIT 1) "
                               "AND NOT EXISTS (SELECT 1 FROM accounts WHERE provider = ?1 AND is_default = 1) "
                               "RETURNING name", error);
  if (stmt == NULL)
    return NULL;
  easel_db_bind_text (stmt, 1, change->provider);
  switch (easel_db_step (db, stmt, error))
    {
    case SQLITE_ROW:
      change->new_default = easel_db_column_text_dup (stmt, 0);
      if (easel_db_step (db, stmt, error) != SQLITE_DONE)
        return NULL;
      break;
    case SQLITE_DONE:
      break;
    default:
      return NULL;
    }

  if (!easel_db_commit (db, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
remove_account (EaselAccounts *self,
                Change        *change)
{
  g_autofree char *folded = fold (change->name);
  guint i = find_index (self, change->name);

  g_hash_table_remove (self->tokens, folded);
  if (g_strcmp0 (g_hash_table_lookup (self->defaults, change->provider), folded) == 0)
    {
      g_hash_table_remove (self->defaults, change->provider);
      if (change->new_default == NULL)
        {
          /* Session accounts: the first one left. */
          for (guint k = 0; k < self->items->len; k++)
            {
              EaselAccount *other = g_ptr_array_index (self->items, k);

              if (k != i && g_str_equal (easel_account_get_provider (other), change->provider) &&
                  easel_account_get_source (other) != EASEL_ACCOUNT_SOURCE_ENVIRONMENT)
                {
                  change->new_default = g_strdup (easel_account_get_name (other));
                  break;
                }
            }
        }
      if (change->new_default != NULL)
        g_hash_table_replace (self->defaults, g_strdup (change->provider), fold (change->new_default));
    }
  if (i != G_MAXUINT)
    {
      g_ptr_array_remove_index (self->items, i);
      changed (self, change->provider, i, 1, 0);
    }
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaselAccounts *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (easel_store_run_finish (EASEL_STORE (object), result, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  remove_account (self, change);
  easel_secrets_clear_async (self->secrets, change->provider, change->name, NULL,
                             cleared_then_return_cb, g_steal_pointer (&task));
}

/**
 * easel_accounts_remove_async:
 * @self: the accounts
 * @name: an account's name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Removes the account and its token from the keyring. When it was the
 * default, the provider's oldest other account becomes the default.
 */
void
easel_accounts_remove_async (EaselAccounts       *self,
                             const char          *name,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  EaselAccount *account;
  Change *change;

  g_return_if_fail (EASEL_IS_ACCOUNTS (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_accounts_remove_async);
  g_task_set_check_cancellable (task, FALSE);
  if ((account = changeable (self, task, name)) == NULL)
    return;

  change = change_new (easel_account_get_provider (account), easel_account_get_name (account));
  g_task_set_task_data (task, change, (GDestroyNotify) change_free);
  if (easel_account_get_source (account) == EASEL_ACCOUNT_SOURCE_MEMORY)
    {
      remove_account (self, change);
      easel_secrets_clear_async (self->secrets, change->provider, change->name, NULL,
                                 cleared_then_return_cb, g_steal_pointer (&task));
      return;
    }
  easel_store_run_async (self->store, delete_in_thread, change, NULL, NULL, deleted_cb,
                         g_steal_pointer (&task));
}

/**
 * easel_accounts_remove_finish:
 * @self: the accounts
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the account is gone
 */
gboolean
easel_accounts_remove_finish (EaselAccounts  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
update_in_thread (EaselDb   *db,
                  gpointer   data,
                  GError   **error)
{
  Change *change = data;
  sqlite3_stmt *stmt;

  if (!easel_db_begin (db, error))
    return NULL;
  if (change->make_default)
    {
      stmt = easel_db_prepare (db, "UPDATE accounts SET is_default = 0 WHERE provider = ?1", error);
      if (stmt == NULL)
        return NULL;
      easel_db_bind_text (stmt, 1, change->provider);
      if (easel_db_step (db, stmt, error) != SQLITE_DONE)
        return NULL;
      stmt = easel_db_prepare (db, "UPDATE accounts SET is_default = 1 WHERE name = ?1", error);
    }
  else
    stmt = easel_db_prepare (db, "UPDATE accounts SET max_jobs = ?2 WHERE name = ?1", error);
  if (stmt == NULL)
    return NULL;
  easel_db_bind_text (stmt, 1, change->name);
  if (!change->make_default)
    easel_db_bind_int64 (stmt, 2, change->max_jobs);
  if (easel_db_step (db, stmt, error) != SQLITE_DONE)
    return NULL;
  if (!easel_db_commit (db, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
apply_update (EaselAccounts *self,
              Change        *change)
{
  EaselAccount *account = easel_accounts_find (self, change->name);

  if (account == NULL)
    return;
  if (change->make_default)
    g_hash_table_replace (self->defaults, g_strdup (change->provider), fold (change->name));
  else
    easel_account_set_max_jobs (account, change->max_jobs);
  /* The row is the same object: properties told the views already; the
   * queue needs the limits. */
  refresh_defaults (self);
  apply_to_queue (self, change->provider);
}

static void
updated_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaselAccounts *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (easel_store_run_finish (EASEL_STORE (object), result, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  apply_update (self, g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);
}

static void
update (EaselAccounts       *self,
        const char          *name,
        gboolean             make_default,
        guint                max_jobs,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data,
        gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  EaselAccount *account;
  Change *change;

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);
  if ((account = changeable (self, task, name)) == NULL)
    return;

  change = change_new (easel_account_get_provider (account), easel_account_get_name (account));
  change->make_default = make_default;
  change->max_jobs = MIN (max_jobs, 50);
  g_task_set_task_data (task, change, (GDestroyNotify) change_free);
  if (easel_account_get_source (account) == EASEL_ACCOUNT_SOURCE_MEMORY)
    {
      apply_update (self, change);
      g_task_return_boolean (task, TRUE);
      return;
    }
  easel_store_run_async (self->store, update_in_thread, change, NULL, NULL, updated_cb,
                         g_steal_pointer (&task));
}

/**
 * easel_accounts_set_default_async:
 * @self: the accounts
 * @name: an account's name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Makes the account its provider's default (an environment token still
 * wins while it is set).
 */
void
easel_accounts_set_default_async (EaselAccounts       *self,
                                  const char          *name,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_ACCOUNTS (self));
  g_return_if_fail (name != NULL);

  update (self, name, TRUE, 0, cancellable, callback, user_data, easel_accounts_set_default_async);
}

/**
 * easel_accounts_set_default_finish:
 * @self: the accounts
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
easel_accounts_set_default_finish (EaselAccounts  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * easel_accounts_set_max_jobs_async:
 * @self: the accounts
 * @name: an account's name
 * @max_jobs: how many of its jobs may run at once (at most 50), 0 for the
 *   provider's setting
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
easel_accounts_set_max_jobs_async (EaselAccounts       *self,
                                   const char          *name,
                                   guint                max_jobs,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_ACCOUNTS (self));
  g_return_if_fail (name != NULL);

  update (self, name, FALSE, max_jobs, cancellable, callback, user_data,
          easel_accounts_set_max_jobs_async);
}

/**
 * easel_accounts_set_max_jobs_finish:
 * @self: the accounts
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
easel_accounts_set_max_jobs_finish (EaselAccounts  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Tokens and providers */

/**
 * easel_accounts_dup_token:
 * @self: the accounts
 * @provider: a provider id
 * @account: (nullable): an account name, or %NULL or "" for the default
 * @error: return location for a #GError
 *
 * For clients that are not an #EaselProvider (OpenRouter); everything else
 * goes through easel_accounts_lookup(). Free the token with
 * easel_secret_free().
 *
 * Returns: (transfer full) (nullable): the token
 */
char *
easel_accounts_dup_token (EaselAccounts  *self,
                          const char     *provider,
                          const char     *account,
                          GError        **error)
{
  const Kind *kind;
  EaselAccount *found;
  const char *token;
  g_autofree char *folded = NULL;

  g_return_val_if_fail (EASEL_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  if ((kind = find_kind (provider)) == NULL)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_NOT_FOUND,
                   _("There is no provider called “%s”"), provider);
      return NULL;
    }

  if (account == NULL || account[0] == '\0')
    found = easel_accounts_get_default (self, provider);
  else
    found = easel_accounts_find (self, account);

  if (found == NULL && (account == NULL || account[0] == '\0'))
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_UNAUTHORIZED,
                   /* Translators: a provider name, then its id */
                   _("There is no %s account. Add one in Preferences or with “easel account add %s NAME”."),
                   kind->name, kind->id);
      return NULL;
    }
  if (found == NULL || !g_str_equal (easel_account_get_provider (found), provider))
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_NOT_FOUND,
                   /* Translators: an account name, then a provider name */
                   _("There is no account called “%s” at %s"), account, kind->name);
      return NULL;
    }

  if (easel_account_get_source (found) == EASEL_ACCOUNT_SOURCE_ENVIRONMENT)
    token = env_token (kind);
  else
    {
      folded = fold (easel_account_get_name (found));
      token = g_hash_table_lookup (self->tokens, folded);
    }
  if (token == NULL)
    {
      const char *problem = easel_account_get_problem (found);

      g_set_error (error, EASEL_ERROR, EASEL_ERROR_UNAUTHORIZED,
                   /* Translators: an account name, then why its token is missing */
                   _("The account “%s” has no token: %s"), easel_account_get_name (found),
                   problem != NULL ? problem : _("it is not loaded yet"));
      return NULL;
    }
  return g_strdup (token);
}

/**
 * easel_accounts_dup_url:
 * @self: the accounts
 * @provider: a provider id
 *
 * Returns: (transfer full) (nullable): the endpoint: the `EASEL_*_URL`
 *   variable, else the custom endpoint in the settings, else the official
 *   one; %NULL for an unknown provider
 */
char *
easel_accounts_dup_url (EaselAccounts *self,
                        const char    *provider)
{
  const Kind *kind;
  const char *env;
  g_autofree char *custom = NULL;

  g_return_val_if_fail (EASEL_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  if ((kind = find_kind (provider)) == NULL)
    return NULL;
  env = g_getenv (kind->url_variable);
  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  if (self->settings != NULL)
    custom = g_strstrip (g_settings_get_string (self->settings, kind->url_key));
  if (custom != NULL && custom[0] != '\0')
    return g_steal_pointer (&custom);
  return g_strdup (kind->default_url);
}

static void
apply_timeout (EaselAccounts   *self,
               EaselHttpClient *client)
{
  if (self->settings != NULL)
    easel_http_client_set_timeout (client, g_settings_get_uint (self->settings, "request-timeout"));
}

/* A provider object for @token at the configured endpoint, with the
 * configured request timeout. */
static EaselProvider *
create_provider (EaselAccounts  *self,
                 const char     *provider,
                 const char     *token,
                 GError        **error)
{
  g_autofree char *url = easel_accounts_dup_url (self, provider);
  g_autoptr(EaselProvider) object = NULL;

  if (easel_provider_registry_lookup (provider) == NULL)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_NOT_FOUND,
                   _("There is no provider called “%s”"), provider);
      return NULL;
    }
  object = easel_provider_registry_create (provider, url, token, error);
  if (object != NULL && EASEL_IS_HTTP_PROVIDER (object))
    apply_timeout (self, easel_http_provider_get_client (EASEL_HTTP_PROVIDER (object)));
  return g_steal_pointer (&object);
}

/**
 * easel_accounts_lookup:
 * @provider: a provider id
 * @account: (nullable): an account name, or %NULL or "" for the default
 * @accounts: (type EaselAccounts): the accounts
 * @error: return location for a #GError
 *
 * The #EaselProviderLookup over the accounts: give it to
 * easel_job_queue_new() with the accounts as its data. It never blocks:
 * tokens were read by easel_accounts_load_async().
 *
 * Returns: (transfer full) (nullable): the provider for the account
 */
EaselProvider *
easel_accounts_lookup (const char  *provider,
                       const char  *account,
                       gpointer     accounts,
                       GError     **error)
{
  EaselAccounts *self = accounts;
  g_autoptr(EaselProvider) object = NULL;
  char *token;

  g_return_val_if_fail (EASEL_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  if (easel_provider_registry_lookup (provider) == NULL)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_NOT_FOUND,
                   _("There is no provider called “%s”"), provider);
      return NULL;
    }
  token = easel_accounts_dup_token (self, provider, account, error);
  if (token == NULL)
    return NULL;

  object = create_provider (self, provider, token, error);
  easel_secret_free (token);
  return g_steal_pointer (&object);
}

/* Test connection */

static void
validated_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!easel_provider_validate_credentials_finish (EASEL_PROVIDER (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
key_checked_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(EaselHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Sends the provider's cheapest authenticated request with @token. */
static void
test_token (EaselAccounts *self,
            GTask         *task,
            const char    *provider,
            const char    *token)
{
  g_autofree char *url = easel_accounts_dup_url (self, provider);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;

  if (g_str_equal (provider, "openrouter"))
    {
      g_autoptr(EaselOpenrouterClient) client = easel_openrouter_client_new (url, token, &error);

      if (client == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      apply_timeout (self, easel_openrouter_client_get_http_client (client));
      /* GET /key describes the key itself: free, and 401 when it is wrong. */
      easel_http_client_send_async (easel_openrouter_client_get_http_client (client),
                                    easel_http_request_new ("GET", "key"), cancellable,
                                    key_checked_cb, g_object_ref (task));
      return;
    }

  {
    g_autoptr(EaselProvider) object = create_provider (self, provider, token, &error);

    if (object == NULL)
      {
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
    easel_provider_validate_credentials_async (object, cancellable, validated_cb, g_object_ref (task));
  }
}

/**
 * easel_accounts_test_async:
 * @self: the accounts
 * @name: an account's name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Checks the account's token with the provider's cheapest authenticated
 * request (Replicate `GET /account`, UseAPI `GET /accounts`, OpenRouter
 * `GET /key`). Nothing is billed.
 */
void
easel_accounts_test_async (EaselAccounts       *self,
                           const char          *name,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  EaselAccount *account;
  const char *provider;
  char *token;

  g_return_if_fail (EASEL_IS_ACCOUNTS (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_accounts_test_async);
  if ((account = easel_accounts_find (self, name)) == NULL)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_NOT_FOUND,
                               _("There is no account called “%s”"), name);
      return;
    }
  provider = easel_account_get_provider (account);
  token = easel_accounts_dup_token (self, provider, name, &error);
  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  test_token (self, task, provider, token);
  easel_secret_free (token);
}

/**
 * easel_accounts_test_token_async:
 * @self: the accounts
 * @provider: a provider id
 * @token: a token, not saved anywhere
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done; finish with easel_accounts_test_finish()
 * @user_data: data for @callback
 *
 * Like easel_accounts_test_async() for a token that is not an account yet,
 * so a token can be checked before it is saved. Uses the provider's
 * endpoint from the settings or the environment.
 */
void
easel_accounts_test_token_async (EaselAccounts       *self,
                                 const char          *provider,
                                 const char          *token,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EASEL_IS_ACCOUNTS (self));
  g_return_if_fail (provider != NULL);
  g_return_if_fail (token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_accounts_test_token_async);
  test_token (self, task, provider, token);
}

/**
 * easel_accounts_test_finish:
 * @self: the accounts
 * @result: the result
 * @error: return location for a #GError (in %EASEL_ERROR, with a remedy
 *   from easel_error_get_remedy())
 *
 * Returns: %TRUE when the provider accepted the token
 */
gboolean
easel_accounts_test_finish (EaselAccounts  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* GObject */

static void
easel_accounts_dispose (GObject *object)
{
  EaselAccounts *self = EASEL_ACCOUNTS (object);

  g_weak_ref_set (&self->queue, NULL);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (easel_accounts_parent_class)->dispose (object);
}

static void
easel_accounts_finalize (GObject *object)
{
  EaselAccounts *self = EASEL_ACCOUNTS (object);

  g_weak_ref_clear (&self->queue);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->defaults, g_hash_table_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (easel_accounts_parent_class)->finalize (object);
}

static void
easel_accounts_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EaselAccounts *self = EASEL_ACCOUNTS (object);

  switch (prop_id)
    {
    case PROP_LISTED:
      g_value_set_boolean (value, self->listed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_accounts_class_init (EaselAccountsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = easel_accounts_dispose;
  object_class->finalize = easel_accounts_finalize;
  object_class->get_property = easel_accounts_get_property;

  /**
   * EaselAccounts:listed:
   *
   * Whether the accounts are listed: the store's rows were read and the
   * environment's accounts added. Their tokens may still be on their way
   * from the keyring.
   */
  properties[PROP_LISTED] =
    g_param_spec_boolean ("listed", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
easel_accounts_init (EaselAccounts *self)
{
  g_weak_ref_init (&self->queue, NULL);
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) easel_secret_free);
  self->defaults = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}
