/* easel-secrets.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Tokens in the desktop keyring (the Secret Service, through libsecret),
 * one item per provider and account under one schema.
 *
 * Without a usable Secret Service (no session bus, nothing providing
 * org.freedesktop.secrets, a keyring that cannot be created or unlocked)
 * libsecret fails within milliseconds (TOOLCHAIN.md §4). The first such
 * failure switches this object to memory for the rest of the session:
 * tokens then live in a hash table and are gone when Easel quits, and
 * :in-memory and :problem say so, so the interface can tell the user why
 * and what to do. Nothing is ever written to a file instead. A keyring that
 * does not answer at all (an invisible unlock prompt) is given up on after
 * CALL_TIMEOUT_S and treated the same way. */

#include "config.h"

#include "easel-secrets.h"

#include <string.h>

#include <glib/gi18n.h>

#define CALL_TIMEOUT_S 10

struct _EaselSecrets
{
  GObject     parent_instance;

  GHashTable *memory;      /* "provider\naccount" → token, when in memory */
  char       *problem;     /* why the keyring is not used, or NULL */
};

G_DEFINE_FINAL_TYPE (EaselSecrets, easel_secrets, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_IN_MEMORY,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
} Op;

typedef struct
{
  Op            op;
  char         *provider;
  char         *account;
  char         *label;
  char         *token;
  GCancellable *inner;       /* cancelled by the caller's cancellable or the timeout */
  GCancellable *outer;
  gulong        outer_id;
  guint         timeout_id;
  gboolean      timed_out;
} Call;

/**
 * easel_secret_free:
 * @secret: (nullable): a token
 *
 * Overwrites @secret before freeing it, so a token does not linger in
 * freed memory.
 */
void
easel_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static void
call_free (Call *call)
{
  if (call->outer_id != 0)
    g_cancellable_disconnect (call->outer, call->outer_id);
  g_clear_handle_id (&call->timeout_id, g_source_remove);
  g_clear_object (&call->outer);
  g_clear_object (&call->inner);
  g_free (call->provider);
  g_free (call->account);
  g_free (call->label);
  easel_secret_free (call->token);
  g_free (call);
}

/**
 * easel_secrets_get_schema:
 *
 * The one schema of Easel's keyring items: attributes `provider` (a
 * provider id) and `account` (the account's name).
 *
 * Returns: (transfer none): the schema
 */
const SecretSchema *
easel_secrets_get_schema (void)
{
  static const SecretSchema schema = {
    .name = "io.github.easelstudio.Easel.Token",
    .flags = SECRET_SCHEMA_NONE,
    .attributes = {
      { .name = "provider", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
      { .name = "account", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
      { .name = NULL },
    },
  };

  return &schema;
}

static char *
memory_key (const char *provider,
            const char *account)
{
  return g_strdup_printf ("%s\n%s", provider, account);
}

/* The keyring failed: from now on tokens are kept in memory. */
static void
fall_back (EaselSecrets *self,
           const Call   *call,
           const GError *error)
{
  if (self->problem != NULL)
    return;

  if (call->timed_out)
    self->problem = g_strdup (_("The keyring did not answer."));
  else if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN))
    self->problem = g_strdup (_("No keyring service is running."));
  else
    /* Translators: the keyring's own error message */
    self->problem = g_strdup_printf (_("The keyring cannot be used: %s"), error->message);

  g_debug ("Keeping tokens in memory: %s", self->problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_MEMORY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

/* Runs @call against the in-memory store and completes @task. */
static void
run_in_memory (EaselSecrets *self,
               GTask        *task,
               Call         *call)
{
  g_autofree char *key = memory_key (call->provider, call->account);

  switch (call->op)
    {
    case OP_STORE:
      g_hash_table_replace (self->memory, g_steal_pointer (&key), g_strdup (call->token));
      g_task_return_boolean (task, TRUE);
      break;
    case OP_LOOKUP:
      g_task_return_pointer (task, g_strdup (g_hash_table_lookup (self->memory, key)),
                             (GDestroyNotify) easel_secret_free);
      break;
    case OP_CLEAR:
      g_task_return_boolean (task, g_hash_table_remove (self->memory, key));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
secret_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaselSecrets *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *token = NULL;
  gboolean ok = FALSE;

  switch (call->op)
    {
    case OP_STORE:
      ok = secret_password_store_finish (result, &error);
      break;
    case OP_LOOKUP:
      token = secret_password_lookup_finish (result, &error);
      ok = error == NULL;
      break;
    case OP_CLEAR:
      /* Clearing a missing item is FALSE without an error. */
      ok = secret_password_clear_finish (result, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (error == NULL)
    {
      if (call->op == OP_LOOKUP)
        {
          /* Copied so that it is wiped, not freed by libsecret's allocator. */
          g_autofree char *copy = token ? g_strdup (token) : NULL;

          secret_password_free (token);
          g_task_return_pointer (task, g_steal_pointer (&copy), (GDestroyNotify) easel_secret_free);
        }
      else
        g_task_return_boolean (task, ok);
      return;
    }

  if (call->outer != NULL && g_cancellable_is_cancelled (call->outer))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
      return;
    }

  fall_back (self, call, error);
  run_in_memory (self, task, call);
}

static gboolean
call_timeout_cb (gpointer user_data)
{
  Call *call = user_data;

  call->timeout_id = 0;
  call->timed_out = TRUE;
  g_cancellable_cancel (call->inner);
  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *outer,
                    GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

static void
start (EaselSecrets        *self,
       Call                *call,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data,
       gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  const SecretSchema *schema = easel_secrets_get_schema ();

  g_task_set_source_tag (task, source_tag);
  /* The outcome is reported even when the caller cancelled meanwhile: a
   * token that was stored is stored. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  if (self->problem != NULL)
    {
      run_in_memory (self, task, call);
      g_object_unref (task);
      return;
    }

  call->inner = g_cancellable_new ();
  if (cancellable != NULL)
    {
      call->outer = g_object_ref (cancellable);
      call->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb),
                                              g_object_ref (call->inner), g_object_unref);
    }
  call->timeout_id = g_timeout_add_seconds (CALL_TIMEOUT_S, call_timeout_cb, call);

  switch (call->op)
    {
    case OP_STORE:
      secret_password_store (schema, SECRET_COLLECTION_DEFAULT, call->label, call->token,
                             call->inner, secret_done_cb, task,
                             "provider", call->provider, "account", call->account, NULL);
      break;
    case OP_LOOKUP:
      secret_password_lookup (schema, call->inner, secret_done_cb, task,
                              "provider", call->provider, "account", call->account, NULL);
      break;
    case OP_CLEAR:
      secret_password_clear (schema, call->inner, secret_done_cb, task,
                             "provider", call->provider, "account", call->account, NULL);
      break;
    default:
      g_assert_not_reached ();
    }
}

static Call *
call_new (Op          op,
          const char *provider,
          const char *account)
{
  Call *call = g_new0 (Call, 1);

  call->op = op;
  call->provider = g_strdup (provider);
  call->account = g_strdup (account);
  return call;
}

/**
 * easel_secrets_new:
 *
 * Returns: (transfer full): the token store, on the keyring until it fails
 */
EaselSecrets *
easel_secrets_new (void)
{
  return g_object_new (EASEL_TYPE_SECRETS, NULL);
}

/**
 * easel_secrets_get_in_memory:
 * @self: the token store
 *
 * Returns: whether tokens are kept in memory for this session only,
 *   because the keyring cannot be used (see easel_secrets_get_problem())
 */
gboolean
easel_secrets_get_in_memory (EaselSecrets *self)
{
  g_return_val_if_fail (EASEL_IS_SECRETS (self), FALSE);

  return self->problem != NULL;
}

/**
 * easel_secrets_get_problem:
 * @self: the token store
 *
 * Returns: (nullable): why the keyring is not used, for people, or %NULL
 *   while it is
 */
const char *
easel_secrets_get_problem (EaselSecrets *self)
{
  g_return_val_if_fail (EASEL_IS_SECRETS (self), NULL);

  return self->problem;
}

/**
 * easel_secrets_store_async:
 * @self: the token store
 * @provider: a provider id
 * @account: an account name
 * @label: the item's label, for people (shown by Seahorse)
 * @token: the token
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Stores @token in the default collection, replacing the account's token,
 * or in memory when the keyring cannot be used.
 */
void
easel_secrets_store_async (EaselSecrets        *self,
                           const char          *provider,
                           const char          *account,
                           const char          *label,
                           const char          *token,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Call *call;

  g_return_if_fail (EASEL_IS_SECRETS (self));
  g_return_if_fail (provider != NULL && account != NULL && label != NULL && token != NULL);

  call = call_new (OP_STORE, provider, account);
  call->label = g_strdup (label);
  call->token = g_strdup (token);
  start (self, call, cancellable, callback, user_data, easel_secrets_store_async);
}

/**
 * easel_secrets_store_finish:
 * @self: the token store
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the token is stored (in memory if
 *   easel_secrets_get_in_memory() says so now)
 */
gboolean
easel_secrets_store_finish (EaselSecrets  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == easel_secrets_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * easel_secrets_lookup_async:
 * @self: the token store
 * @provider: a provider id
 * @account: an account name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
easel_secrets_lookup_async (EaselSecrets        *self,
                            const char          *provider,
                            const char          *account,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_SECRETS (self));
  g_return_if_fail (provider != NULL && account != NULL);

  start (self, call_new (OP_LOOKUP, provider, account), cancellable, callback, user_data,
         easel_secrets_lookup_async);
}

/**
 * easel_secrets_lookup_finish:
 * @self: the token store
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the token, free it with
 *   easel_secret_free(); %NULL without @error when there is none
 */
char *
easel_secrets_lookup_finish (EaselSecrets  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == easel_secrets_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * easel_secrets_clear_async:
 * @self: the token store
 * @provider: a provider id
 * @account: an account name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
easel_secrets_clear_async (EaselSecrets        *self,
                           const char          *provider,
                           const char          *account,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_SECRETS (self));
  g_return_if_fail (provider != NULL && account != NULL);

  start (self, call_new (OP_CLEAR, provider, account), cancellable, callback, user_data,
         easel_secrets_clear_async);
}

/**
 * easel_secrets_clear_finish:
 * @self: the token store
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE if a token was removed, %FALSE without @error if there
 *   was none
 */
gboolean
easel_secrets_clear_finish (EaselSecrets  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == easel_secrets_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
easel_secrets_finalize (GObject *object)
{
  EaselSecrets *self = EASEL_SECRETS (object);

  g_clear_pointer (&self->memory, g_hash_table_unref);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (easel_secrets_parent_class)->finalize (object);
}

static void
easel_secrets_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  EaselSecrets *self = EASEL_SECRETS (object);

  switch (prop_id)
    {
    case PROP_IN_MEMORY:
      g_value_set_boolean (value, easel_secrets_get_in_memory (self));
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_secrets_class_init (EaselSecretsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = easel_secrets_finalize;
  object_class->get_property = easel_secrets_get_property;

  /**
   * EaselSecrets:in-memory:
   *
   * Whether tokens are kept in memory for this session only.
   */
  properties[PROP_IN_MEMORY] =
    g_param_spec_boolean ("in-memory", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselSecrets:problem:
   *
   * Why the keyring is not used, or %NULL.
   */
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
easel_secrets_init (EaselSecrets *self)
{
  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) easel_secret_free);
}
