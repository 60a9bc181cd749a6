/* easel-cli-account.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `easel account add PROVIDER NAME [--token-stdin] [--default] | list
 * [--json] | remove NAME | test NAME`: the accounts of the window, from a
 * terminal. A token is only ever read from standard input (without echo
 * on a terminal), never from the command line, where `ps` and the shell's
 * history would show it; nothing prints one. Without a keyring a token
 * could not outlive the command, so `add` refuses rather than pretend. */

#include "config.h"

#include "easel-cli-account.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "easel-accounts.h"
#include "easel-cli.h"
#include "easel-error.h"
#include "easel-secrets.h"

#define MAX_TOKEN_BYTES 16384

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/**
 * easel_cli_dup_settings:
 *
 * Returns: (transfer full) (nullable): the application's settings, or
 *   %NULL when the schema is not installed (an uninstalled run)
 */
GSettings *
easel_cli_dup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL || (schema = g_settings_schema_source_lookup (source, BASE_APP_ID, TRUE)) == NULL)
    return NULL;
  return g_settings_new (BASE_APP_ID);
}

/**
 * easel_cli_load_accounts:
 * @store: an open store
 * @settings: (nullable): the application's settings
 * @error: return location for a #GError
 *
 * Loads the accounts, waiting on the thread's default main context: the
 * command line's engine has nothing else to do meanwhile.
 *
 * Returns: (transfer full) (nullable): the accounts
 */
EaselAccounts *
easel_cli_load_accounts (EaselStore  *store,
                         GSettings   *settings,
                         GError     **error)
{
  g_autoptr(EaselSecrets) secrets = easel_secrets_new ();
  g_autoptr(EaselAccounts) accounts = easel_accounts_new (store, secrets);
  g_autoptr(GAsyncResult) result = NULL;

  if (settings != NULL)
    easel_accounts_bind_settings (accounts, settings);
  easel_accounts_load_async (accounts, NULL, result_cb, &result);
  if (!easel_accounts_load_finish (accounts, wait_for (&result), error))
    return NULL;
  return g_steal_pointer (&accounts);
}

/* Reads one token from standard input: a line typed without echo on a
 * terminal, otherwise everything piped in. */
static char *
read_token (const char  *provider,
            FILE        *err,
            GError     **error)
{
  g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  gboolean echo_off = FALSE;
  guint8 buffer[512];
  gssize n;

  if (tty)
    {
      /* Translators: a prompt; %s is a provider name */
      fprintf (err, _("Token for %s (not shown): "), easel_accounts_provider_name (provider));
      fflush (err);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          quiet.c_lflag |= ECHONL;
          echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }

  while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, error)) > 0)
    {
      g_byte_array_append (bytes, buffer, (guint) n);
      if (bytes->len > MAX_TOKEN_BYTES)
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE,
                       _("The standard input is too long to be a token"));
          n = -1;
          break;
        }
      if (tty && memchr (buffer, '\n', (gsize) n) != NULL)
        break;
    }
  explicit_bzero (buffer, sizeof buffer);

  if (echo_off)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);

  if (n < 0)
    {
      explicit_bzero (bytes->data, bytes->len);
      return NULL;
    }

  {
    char *token = g_strndup ((const char *) bytes->data, bytes->len);

    explicit_bzero (bytes->data, bytes->len);
    /* A trailing newline from echo or a file is not part of the token. */
    return g_strstrip (token);
  }
}

static int
usage (FILE *err)
{
  fprintf (err, "%s\n", _("Usage: easel account add PROVIDER NAME [--token-stdin] [--default] | "
                          "list [--json] | remove NAME | test NAME"));
  return EASEL_CLI_STATUS_USAGE;
}

static int
run_add (EaselAccounts *accounts,
         const char    *provider,
         const char    *name,
         gboolean       make_default,
         FILE          *out,
         FILE          *err)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(EaselAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) warnings = NULL;
  EaselSecrets *secrets = easel_accounts_get_secrets (accounts);
  char *token;

  token = read_token (provider, err, &error);
  if (token == NULL)
    {
      fprintf (err, "easel account: %s\n", error->message);
      return EASEL_CLI_STATUS_FAILED;
    }

  warnings = easel_accounts_check_token (provider, token);
  for (guint i = 0; warnings[i] != NULL; i++)
    /* Translators: a warning about the form of a token */
    fprintf (err, _("easel account: warning: %s\n"), warnings[i]);

  easel_accounts_add_async (accounts, provider, name, token, make_default, NULL, result_cb, &result);
  easel_secret_free (token);
  account = easel_accounts_add_finish (accounts, wait_for (&result), &error);
  if (account == NULL)
    {
      fprintf (err, "easel account: %s\n", error->message);
      return EASEL_CLI_STATUS_FAILED;
    }

  if (easel_account_get_source (account) == EASEL_ACCOUNT_SOURCE_MEMORY)
    {
      const char *variable = NULL;

      /* The token would die with this process: say so, keep nothing. */
      if (g_str_equal (provider, "replicate"))
        variable = "REPLICATE_API_TOKEN";
      else if (g_str_equal (provider, "midjourney"))
        variable = "USEAPI_API_TOKEN";
      else
        variable = "OPENROUTER_API_KEY";
      fprintf (err, "easel account: %s\n", easel_secrets_get_problem (secrets));
      fprintf (err, _("easel account: the token was not stored: there is no keyring to keep it. "
                      "Start a keyring (gnome-keyring or KeePassXC with Secret Service), "
                      "or set %s in the environment instead.\n"), variable);
      return EASEL_CLI_STATUS_FAILED;
    }

  /* Translators: an account name, then a provider name */
  fprintf (out, _("Added the account “%s” (%s); its token is in the keyring.\n"),
           easel_account_get_name (account), easel_accounts_provider_name (provider));
  if (easel_account_get_is_default (account))
    fprintf (out, "%s\n", _("It is the default account of its provider."));
  return EASEL_CLI_STATUS_OK;
}

static const char *
source_label (EaselAccountSource source)
{
  switch (source)
    {
    case EASEL_ACCOUNT_SOURCE_KEYRING:
      return _("keyring");
    case EASEL_ACCOUNT_SOURCE_MEMORY:
      return _("this session only");
    case EASEL_ACCOUNT_SOURCE_ENVIRONMENT:
      return _("from environment");
    default:
      g_return_val_if_reached ("");
    }
}

static int
run_list (EaselAccounts *accounts,
          gboolean       json,
          FILE          *out,
          FILE          *err)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (accounts));
  EaselSecrets *secrets = easel_accounts_get_secrets (accounts);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(EaselAccount) account = g_list_model_get_item (G_LIST_MODEL (accounts), i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, easel_account_get_name (account));
          json_builder_set_member_name (builder, "provider");
          json_builder_add_string_value (builder, easel_account_get_provider (account));
          json_builder_set_member_name (builder, "source");
          json_builder_add_string_value (builder, easel_account_source_to_string (easel_account_get_source (account)));
          json_builder_set_member_name (builder, "default");
          json_builder_add_boolean_value (builder, easel_account_get_is_default (account));
          json_builder_set_member_name (builder, "max_jobs");
          json_builder_add_int_value (builder, easel_account_get_max_jobs (account));
          json_builder_set_member_name (builder, "problem");
          if (easel_account_get_problem (account) != NULL)
            json_builder_add_string_value (builder, easel_account_get_problem (account));
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      fprintf (out, "%s\n", text);
    }
  else if (n == 0)
    fprintf (out, "%s\n", _("No accounts. Add one with “easel account add PROVIDER NAME”."));
  else
    {
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(EaselAccount) account = g_list_model_get_item (G_LIST_MODEL (accounts), i);
          g_autofree char *limit = NULL;

          if (easel_account_get_max_jobs (account) > 0)
            /* Translators: how many jobs of an account run at once */
            limit = g_strdup_printf (_(", %u jobs at once"), easel_account_get_max_jobs (account));
          fprintf (out, "%s%s\t%s (%s%s)\n", easel_account_get_is_default (account) ? "* " : "  ",
                   easel_account_get_name (account),
                   easel_accounts_provider_name (easel_account_get_provider (account)),
                   source_label (easel_account_get_source (account)), limit ? limit : "");
          if (easel_account_get_problem (account) != NULL)
            fprintf (out, "\t%s\n", easel_account_get_problem (account));
        }
      fprintf (out, "%s\n", _("* the default account of its provider"));
    }

  if (easel_secrets_get_in_memory (secrets))
    fprintf (err, "easel account: %s\n", easel_secrets_get_problem (secrets));
  return EASEL_CLI_STATUS_OK;
}

static int
run_remove (EaselAccounts *accounts,
            const char    *name,
            FILE          *out,
            FILE          *err)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  easel_accounts_remove_async (accounts, name, NULL, result_cb, &result);
  if (!easel_accounts_remove_finish (accounts, wait_for (&result), &error))
    {
      fprintf (err, "easel account: %s\n", error->message);
      return EASEL_CLI_STATUS_FAILED;
    }
  /* Translators: an account name */
  fprintf (out, _("Removed the account “%s” and its token.\n"), name);
  return EASEL_CLI_STATUS_OK;
}

static int
run_test (EaselAccounts *accounts,
          const char    *name,
          FILE          *out,
          FILE          *err)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  easel_accounts_test_async (accounts, name, NULL, result_cb, &result);
  if (!easel_accounts_test_finish (accounts, wait_for (&result), &error))
    {
      const char *remedy = easel_error_get_remedy (error);

      /* Translators: an account name, then what went wrong */
      fprintf (err, _("easel account: “%s”: %s\n"), name, error->message);
      if (remedy != NULL)
        fprintf (err, "  %s\n", remedy);
      return EASEL_CLI_STATUS_FAILED;
    }
  /* Translators: an account name */
  fprintf (out, _("The account “%s” works: the provider accepted its token.\n"), name);
  return EASEL_CLI_STATUS_OK;
}

/**
 * easel_cli_account:
 * @argc: the argument count
 * @argv: (array length=argc): the arguments, @argv[0] being "account"
 * @out: where results go
 * @err: where prompts and errors go
 *
 * Returns: an #EaselCliStatus
 */
int
easel_cli_account (int    argc,
                   char **argv,
                   FILE  *out,
                   FILE  *err)
{
  gboolean token_stdin = FALSE, make_default = FALSE, json = FALSE;
  g_auto(GStrv) rest = NULL;
  GOptionEntry entries[] = {
    { "token-stdin", 0, 0, G_OPTION_ARG_NONE, &token_stdin, NULL, NULL },
    { "default", 0, 0, G_OPTION_ARG_NONE, &make_default, NULL, NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(EaselStore) store = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(EaselAccounts) accounts = NULL;
  g_autoptr(GError) error = NULL;
  const char *verb;
  guint n_args;
  int status;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (err, "easel account: %s\n", error->message);
      return EASEL_CLI_STATUS_USAGE;
    }
  if (rest == NULL)
    return usage (err);

  verb = rest[0];
  n_args = g_strv_length (rest) - 1;
  if (!((g_str_equal (verb, "add") && n_args == 2) ||
        (g_str_equal (verb, "list") && n_args == 0) ||
        ((g_str_equal (verb, "remove") || g_str_equal (verb, "test")) && n_args == 1)))
    return usage (err);
  if ((token_stdin || make_default) && !g_str_equal (verb, "add"))
    return usage (err);
  if (json && !g_str_equal (verb, "list"))
    return usage (err);
  if (g_str_equal (verb, "add") && !g_strv_contains (easel_accounts_list_provider_ids (), rest[1]))
    {
      /* Translators: a provider id the user typed */
      fprintf (err, _("easel account: there is no provider called “%s” (replicate, midjourney or openrouter)\n"),
               rest[1]);
      return EASEL_CLI_STATUS_USAGE;
    }

  store = easel_store_new (NULL);
  if (!easel_store_open_sync (store, &error))
    {
      fprintf (err, "easel account: %s\n", error->message);
      return EASEL_CLI_STATUS_FAILED;
    }
  settings = easel_cli_dup_settings ();
  accounts = easel_cli_load_accounts (store, settings, &error);
  if (accounts == NULL)
    {
      fprintf (err, "easel account: %s\n", error->message);
      easel_store_close (store);
      return EASEL_CLI_STATUS_FAILED;
    }

  if (g_str_equal (verb, "add"))
    status = run_add (accounts, rest[1], rest[2], make_default, out, err);
  else if (g_str_equal (verb, "list"))
    status = run_list (accounts, json, out, err);
  else if (g_str_equal (verb, "remove"))
    status = run_remove (accounts, rest[1], out, err);
  else
    status = run_test (accounts, rest[1], out, err);

  g_clear_object (&accounts);
  easel_store_close (store);
  return status;
}
