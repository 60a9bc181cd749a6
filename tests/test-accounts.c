/* test-accounts.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Accounts with a real Secret Service: run under build-aux/run-with-keyring
 * (a private bus with an unlocked gnome-keyring). Tokens round-trip through
 * the keyring and come back after a restart; defaults move when the default
 * goes; the environment overrides; the queue's lookup uses the tokens; the
 * connection test maps the provider's errors. And the sentinel run: a token
 * added with `easel account add` drives real jobs against the emulator,
 * then every file under the test's HOME and XDG dirs, the database, the
 * settings file and the captured logs are searched for it: it appears
 * nowhere. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "easel-accounts.h"
#include "easel-emulator.h"
#include "easel-error.h"
#include "easel-secrets.h"
#include "easel-test-dirs.h"

#define SENTINEL "r8_SENTINEL-6f1c0d2b9a7e4c35-do-not-leak"

/* The wrapper's dirs (where the keyring daemon lives), taken before GTest
 * isolates the test's own. */
static char *outer_dirs[5];

typedef struct
{
  char          *dir;
  EaselStore    *store;
  EaselSecrets  *secrets;
  EaselAccounts *accounts;
} Fixture;

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
deadline_cb (gpointer user_data)
{
  g_error ("Timed out");
  return G_SOURCE_REMOVE;
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  guint id = g_timeout_add_seconds (30, deadline_cb, NULL);

  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return *slot;
}

static EaselAccounts *
load_accounts (Fixture *f)
{
  g_autoptr(EaselAccounts) accounts = easel_accounts_new (f->store, f->secrets);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  easel_accounts_load_async (accounts, NULL, result_cb, &result);
  g_assert_true (easel_accounts_load_finish (accounts, wait_result (&result), &error));
  g_assert_no_error (error);
  return g_steal_pointer (&accounts);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  g_unsetenv ("REPLICATE_API_TOKEN");
  g_unsetenv ("USEAPI_API_TOKEN");
  g_unsetenv ("OPENROUTER_API_KEY");
  f->dir = easel_test_make_dir ("easel-accounts");
  path = g_build_filename (f->dir, "easel.sqlite", NULL);
  f->store = easel_store_new (path);
  g_assert_true (easel_store_open_sync (f->store, &error));
  g_assert_no_error (error);
  f->secrets = easel_secrets_new ();
  f->accounts = load_accounts (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* Leave the keyring as it was for the next case. */
  for (guint n; (n = g_list_model_get_n_items (G_LIST_MODEL (f->accounts))) > 0;)
    {
      g_autoptr(EaselAccount) account = g_list_model_get_item (G_LIST_MODEL (f->accounts), n - 1);
      g_autoptr(GAsyncResult) result = NULL;

      if (easel_account_get_source (account) == EASEL_ACCOUNT_SOURCE_ENVIRONMENT)
        break;
      easel_accounts_remove_async (f->accounts, easel_account_get_name (account), NULL, result_cb, &result);
      g_assert_true (easel_accounts_remove_finish (f->accounts, wait_result (&result), NULL));
    }
  g_clear_object (&f->accounts);
  g_clear_object (&f->secrets);
  easel_store_close (f->store);
  g_clear_object (&f->store);
  g_free (f->dir);
}

static EaselAccount *
add (Fixture    *f,
     const char *provider,
     const char *name,
     const char *token,
     gboolean    make_default)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EaselAccount *account;

  easel_accounts_add_async (f->accounts, provider, name, token, make_default, NULL, result_cb, &result);
  account = easel_accounts_add_finish (f->accounts, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  return account;
}

static char *
keyring_lookup (EaselSecrets *secrets,
                const char   *provider,
                const char   *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token;

  easel_secrets_lookup_async (secrets, provider, name, NULL, result_cb, &result);
  token = easel_secrets_lookup_finish (secrets, wait_result (&result), &error);
  g_assert_no_error (error);
  return token;
}

static void
test_secrets_round_trip (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *gone = NULL;
  g_autofree char *by_tool = NULL;
  g_autofree char *label = NULL;
  const char *argv[] = { "secret-tool", "search", "--all", "provider", "replicate", "account", "round", NULL };

  easel_secrets_store_async (f->secrets, "replicate", "round", "Easel: Replicate token (round)",
                             "r8_round-trip-token-0123", NULL, result_cb, &stored);
  g_assert_true (easel_secrets_store_finish (f->secrets, wait_result (&stored), &error));
  g_assert_no_error (error);
  g_assert_false (easel_secrets_get_in_memory (f->secrets));

  found = keyring_lookup (f->secrets, "replicate", "round");
  g_assert_cmpstr (found, ==, "r8_round-trip-token-0123");

  /* It is a real keyring item, with the schema, attributes and label. */
  if (g_find_program_in_path ("secret-tool") != NULL &&
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                    &by_tool, NULL, NULL, NULL))
    {
      g_assert_nonnull (strstr (by_tool, "schema = io.github.easelstudio.Easel.Token"));
      g_assert_nonnull (strstr (by_tool, "label = Easel: Replicate token (round)"));
    }

  easel_secrets_clear_async (f->secrets, "replicate", "round", NULL, result_cb, &cleared);
  g_assert_true (easel_secrets_clear_finish (f->secrets, wait_result (&cleared), &error));
  gone = keyring_lookup (f->secrets, "replicate", "round");
  g_assert_null (gone);
}

static void
test_accounts_persist (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(EaselAccount) work = add (f, "replicate", "work", "r8_work-token-0123456789", FALSE);
  g_autoptr(EaselAccount) play = add (f, "replicate", "play", "r8_play-token-0123456789", TRUE);
  g_autoptr(EaselAccounts) again = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  EaselAccount *reloaded;

  /* The first account became the default; --default moved it. */
  g_assert_false (easel_account_get_is_default (work));
  g_assert_true (easel_account_get_is_default (play));
  g_assert_cmpint (easel_account_get_source (work), ==, EASEL_ACCOUNT_SOURCE_KEYRING);

  /* Names are unique whatever their case. */
  easel_accounts_add_async (f->accounts, "midjourney", "WORK", "user:1-abcdefabcdefabcdef", FALSE, NULL,
                            result_cb, &result);
  g_assert_null (easel_accounts_add_finish (f->accounts, wait_result (&result), &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_CONFLICT);
  g_clear_error (&error);

  /* A restart reads the tokens back from the keyring. */
  again = load_accounts (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  reloaded = easel_accounts_find (again, "play");
  g_assert_nonnull (reloaded);
  g_assert_true (easel_account_get_is_default (reloaded));
  g_assert_null (easel_account_get_problem (reloaded));
  token = easel_accounts_dup_token (again, "replicate", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "r8_play-token-0123456789");

  /* Removing the default makes the other one the default, also after a restart. */
  g_clear_object (&result);
  g_clear_pointer (&token, g_free);
  easel_accounts_remove_async (f->accounts, "play", NULL, result_cb, &result);
  g_assert_true (easel_accounts_remove_finish (f->accounts, wait_result (&result), &error));
  g_assert_true (easel_account_get_is_default (easel_accounts_find (f->accounts, "work")));
  g_clear_object (&again);
  again = load_accounts (f);
  g_assert_true (easel_account_get_is_default (easel_accounts_find (again, "work")));
  token = keyring_lookup (f->secrets, "replicate", "play");
  g_assert_null (token);
}

static void
test_accounts_environment (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(EaselAccount) work = add (f, "replicate", "work", "r8_work-token-0123456789", FALSE);
  g_autoptr(EaselAccounts) with_env = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *named = NULL;
  EaselAccount *env;

  g_setenv ("REPLICATE_API_TOKEN", "r8_from-the-environment-01", TRUE);
  with_env = load_accounts (f);
  env = easel_accounts_find (with_env, "REPLICATE_API_TOKEN");
  g_assert_nonnull (env);
  g_assert_cmpint (easel_account_get_source (env), ==, EASEL_ACCOUNT_SOURCE_ENVIRONMENT);
  g_assert_true (easel_account_get_is_default (env));
  g_assert_false (easel_account_get_is_default (easel_accounts_find (with_env, "work")));

  /* The default is the environment's; a named account is still its own. */
  token = easel_accounts_dup_token (with_env, "replicate", "", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "r8_from-the-environment-01");
  named = easel_accounts_dup_token (with_env, "replicate", "work", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (named, ==, "r8_work-token-0123456789");

  /* It cannot be removed, only unset. */
  easel_accounts_remove_async (with_env, "REPLICATE_API_TOKEN", NULL, result_cb, &result);
  g_assert_false (easel_accounts_remove_finish (with_env, wait_result (&result), &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED);
  g_unsetenv ("REPLICATE_API_TOKEN");
}

static void
test_accounts_checks (void)
{
  struct {
    const char *provider;
    const char *token;
    guint       n_warnings;
  } cases[] = {
    { "replicate", "r8_0123456789abcdefghij", 0 },
    { "replicate", "", 1 },
    { "replicate", "r8_0123 456789abcdefghij", 1 },
    { "replicate", "sk-or-v1-0123456789abcdef", 1 },
    { "midjourney", "user:1234-abcdefghijklmnop", 0 },
    { "midjourney", "r8_0123456789abcdefghij", 1 },
    { "openrouter", "sk-or-v1-0123456789abcdef", 0 },
    { "openrouter", "short", 2 },
  };
  const char *bad_names[] = { "", " work", "work ", "a\tb", "REPLICATE_API_TOKEN",
                              "01234567890123456789012345678901234567890123456789012345678901234" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) warnings = easel_accounts_check_token (cases[i].provider, cases[i].token);

      g_assert_cmpuint (g_strv_length (warnings), ==, cases[i].n_warnings);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    g_assert_false (easel_accounts_check_name (bad_names[i], NULL));
  g_assert_true (easel_accounts_check_name ("Work (Replicate) ✓", NULL));
}

static void
test_accounts_lookup_and_test (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(EaselEmulator) emulator = easel_emulator_new ();
  g_autoptr(EaselAccount) good = NULL;
  g_autoptr(EaselAccount) bad = NULL;
  g_autoptr(EaselAccount) router = NULL;
  g_autoptr(EaselProvider) provider = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *replicate = NULL;
  g_autofree char *openrouter = NULL;

  g_assert_true (easel_emulator_listen (emulator, 0, &error));
  origin = easel_emulator_dup_origin (emulator);
  replicate = g_strconcat (origin, "/v1", NULL);
  openrouter = g_strconcat (origin, "/api/v1", NULL);
  g_setenv ("EASEL_REPLICATE_URL", replicate, TRUE);
  g_setenv ("EASEL_OPENROUTER_URL", openrouter, TRUE);

  /* No account yet: the lookup says what to do. */
  provider = easel_accounts_lookup ("replicate", NULL, f->accounts, &error);
  g_assert_null (provider);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "easel account add replicate"));
  g_clear_error (&error);

  good = add (f, "replicate", "good", "r8_good-token-0123456789", FALSE);
  bad = add (f, "replicate", "bad", "r8_invalid-token-01234567", FALSE);
  router = add (f, "openrouter", "router", "sk-or-v1-0123456789abcdef", FALSE);
  provider = easel_accounts_lookup ("replicate", NULL, f->accounts, &error);
  g_assert_no_error (error);
  g_assert_nonnull (provider);
  g_clear_object (&provider);
  provider = easel_accounts_lookup ("replicate", "router", f->accounts, &error);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  easel_accounts_test_async (f->accounts, "good", NULL, result_cb, &result);
  g_assert_true (easel_accounts_test_finish (f->accounts, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  easel_accounts_test_async (f->accounts, "bad", NULL, result_cb, &result);
  g_assert_false (easel_accounts_test_finish (f->accounts, wait_result (&result), &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_UNAUTHORIZED);
  g_assert_nonnull (easel_error_get_remedy (error));
  g_clear_error (&error);
  g_clear_object (&result);

  easel_accounts_test_async (f->accounts, "router", NULL, result_cb, &result);
  g_assert_true (easel_accounts_test_finish (f->accounts, wait_result (&result), &error));
  g_assert_no_error (error);

  g_unsetenv ("EASEL_REPLICATE_URL");
  g_unsetenv ("EASEL_OPENROUTER_URL");
}

/* The sentinel run */

typedef struct
{
  char    *out;
  char    *err;
  int      status;
  gboolean done;
} Run;

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &run->out, &run->err, NULL);
  run->status = g_subprocess_get_if_exited (G_SUBPROCESS (object))
                ? g_subprocess_get_exit_status (G_SUBPROCESS (object)) : -1;
  run->done = TRUE;
}

static void
run_easel (const char * const *env,
           const char         *input,
           Run                *run,
           GString            *logs,
           ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  guint id;
  va_list ap;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  g_subprocess_launcher_unsetenv (launcher, "REPLICATE_API_TOKEN");
  g_subprocess_launcher_unsetenv (launcher, "USEAPI_API_TOKEN");
  g_ptr_array_add (argv, (char *) g_getenv ("EASEL_BINARY"));
  va_start (ap, logs);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  memset (run, 0, sizeof *run);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input, NULL, communicated_cb, run);
  id = g_timeout_add_seconds (90, deadline_cb, NULL);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  g_string_append_printf (logs, "%s\n%s\n", run->out, run->err);
}

static guint
scan_tree (const char *path,
           const char *needle,
           GPtrArray  *hits)
{
  GStatBuf buf;
  guint files = 0;

  if (path == NULL || g_lstat (path, &buf) != 0)
    return 0;
  if (S_ISDIR (buf.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          files += scan_tree (child, needle, hits);
        }
    }
  else if (S_ISREG (buf.st_mode))
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_get_contents (path, &contents, &length, NULL) &&
          g_strstr_len (contents, length, needle) != NULL)
        g_ptr_array_add (hits, g_strdup (path));
      files++;
    }
  return files;
}

static void
test_sentinel (void)
{
  g_autoptr(EaselEmulator) emulator = easel_emulator_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) logs = g_string_new (NULL);
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *origin = NULL;
  g_autofree char *replicate = NULL;
  g_autofree char *data = easel_test_make_dir ("easel-sentinel-data");
  g_autofree char *config = easel_test_make_dir ("easel-sentinel-config");
  g_autofree char *cache = easel_test_make_dir ("easel-sentinel-cache");
  g_autofree char *keyfile = NULL;
  const char *roots[] = { g_get_home_dir (), g_get_user_data_dir (), g_get_user_config_dir (),
                          g_get_user_cache_dir (), g_get_user_runtime_dir (), data, config, cache };
  Run run;
  guint files = 0;

  g_assert_true (easel_emulator_listen (emulator, 0, &error));
  easel_emulator_set_job_duration (emulator, 50, 200);
  origin = easel_emulator_dup_origin (emulator);
  replicate = g_strconcat (origin, "/v1", NULL);
  keyfile = g_build_filename (config, "settings.keyfile", NULL);

  {
    /* Settings in a key file, so what the run wrote can be searched. */
    const char *env[] = {
      "XDG_DATA_HOME", data, "XDG_CONFIG_HOME", config, "XDG_CACHE_HOME", cache,
      "GSETTINGS_BACKEND", "keyfile", "EASEL_REPLICATE_URL", replicate,
      "G_MESSAGES_DEBUG", "all", "GIO_USE_PROXY_RESOLVER", "dummy", NULL,
    };

    run_easel (env, SENTINEL "\n", &run, logs, "account", "add", "replicate", "sentinel", "--token-stdin", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_clear_pointer (&run.out, g_free);
    g_clear_pointer (&run.err, g_free);

    run_easel (env, NULL, &run, logs, "generate", "--provider", "replicate", "--account", "sentinel",
               "--count", "2", "a lighthouse at dusk", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "succeeded"));
    g_clear_pointer (&run.out, g_free);
    g_clear_pointer (&run.err, g_free);

    run_easel (env, NULL, &run, logs, "account", "list", "--json", NULL);
    g_assert_nonnull (strstr (run.out, "\"sentinel\""));
    g_clear_pointer (&run.out, g_free);
    g_clear_pointer (&run.err, g_free);
    run_easel (env, NULL, &run, logs, "jobs", "--json", NULL);
    g_clear_pointer (&run.out, g_free);
    g_clear_pointer (&run.err, g_free);
  }
  /* The jobs really ran on the token from the keyring: nothing else had one. */
  g_assert_cmpuint (easel_emulator_get_submit_count (emulator, "POST /v1/models/{owner}/{name}/predictions"), ==, 2);

  /* The logs, with debug output on. */
  g_assert_null (strstr (logs->str, SENTINEL));
  g_assert_null (strstr (logs->str, "SENTINEL-6f1c"));

  /* Every file: the database (and its WAL), images, settings, caches,
   * and the dirs the keyring daemon was given (its keyring is encrypted). */
  for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
    files += scan_tree (roots[i], "SENTINEL-6f1c", hits);
  for (guint i = 0; i < G_N_ELEMENTS (outer_dirs); i++)
    files += scan_tree (outer_dirs[i], "SENTINEL-6f1c", hits);
  for (guint i = 0; i < hits->len; i++)
    g_test_message ("sentinel found in %s", (char *) g_ptr_array_index (hits, i));
  g_assert_cmpuint (hits->len, ==, 0);
  /* The scan saw the database and the settings the run wrote. */
  g_assert_cmpuint (files, >, 3);
  g_assert_true (g_file_test (keyfile, G_FILE_TEST_EXISTS) ||
                 g_file_test (data, G_FILE_TEST_IS_DIR));
}

int
main (int   argc,
      char *argv[])
{
  const char *names[] = { "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    outer_dirs[i] = g_strdup (g_getenv (names[i]));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (g_getenv ("EASEL_TEST_KEYRING_DAEMON") == NULL)
    {
      g_print ("1..0 # SKIP needs gnome-keyring under build-aux/run-with-keyring\n");
      return 0;
    }

  g_test_add ("/Easel/Accounts/secrets-round-trip", Fixture, NULL, fixture_setup, test_secrets_round_trip, fixture_teardown);
  g_test_add ("/Easel/Accounts/persist", Fixture, NULL, fixture_setup, test_accounts_persist, fixture_teardown);
  g_test_add ("/Easel/Accounts/environment", Fixture, NULL, fixture_setup, test_accounts_environment, fixture_teardown);
  g_test_add_func ("/Easel/Accounts/checks", test_accounts_checks);
  g_test_add ("/Easel/Accounts/lookup-and-test", Fixture, NULL, fixture_setup, test_accounts_lookup_and_test, fixture_teardown);
  g_test_add_func ("/Easel/Accounts/sentinel", test_sentinel);

  return g_test_run ();
}
