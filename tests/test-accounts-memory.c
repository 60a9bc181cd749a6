/* test-accounts-memory.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Accounts without a Secret Service: the session bus address points at a
 * socket that does not exist, so libsecret fails at once. Tokens are then
 * kept in memory for the session and EaselSecrets says why; an account
 * added then is not written to the database; `easel account add` refuses,
 * saying how to fix it, and stores nothing anywhere. */

#include "config.h"

#include <string.h>

#include "easel-accounts.h"
#include "easel-secrets.h"
#include "easel-test-dirs.h"

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (*slot == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (*slot);
  return *slot;
}

static void
test_memory_fallback (void)
{
  g_autofree char *dir = easel_test_make_dir ("easel-memory");
  g_autofree char *path = g_build_filename (dir, "easel.sqlite", NULL);
  g_autoptr(EaselStore) store = easel_store_new (path);
  g_autoptr(EaselSecrets) secrets = easel_secrets_new ();
  g_autoptr(EaselAccounts) accounts = NULL;
  g_autoptr(EaselAccounts) again = NULL;
  g_autoptr(EaselAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  g_assert_true (easel_store_open_sync (store, &error));
  accounts = easel_accounts_new (store, secrets);
  easel_accounts_load_async (accounts, NULL, result_cb, &result);
  g_assert_true (easel_accounts_load_finish (accounts, wait_result (&result), &error));
  g_clear_object (&result);
  g_assert_false (easel_secrets_get_in_memory (secrets));

  easel_accounts_add_async (accounts, "replicate", "work", "r8_memory-token-0123456789", FALSE, NULL,
                            result_cb, &result);
  account = easel_accounts_add_finish (accounts, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (easel_account_get_source (account), ==, EASEL_ACCOUNT_SOURCE_MEMORY);
  g_assert_true (easel_account_get_is_default (account));
  g_assert_true (easel_secrets_get_in_memory (secrets));
  g_assert_nonnull (easel_secrets_get_problem (secrets));

  /* Usable for the session… */
  token = easel_accounts_dup_token (accounts, "replicate", NULL, &error);
  g_assert_cmpstr (token, ==, "r8_memory-token-0123456789");

  /* …and gone at the next start: no row was written. */
  g_clear_object (&result);
  again = easel_accounts_new (store, secrets);
  easel_accounts_load_async (again, NULL, result_cb, &result);
  g_assert_true (easel_accounts_load_finish (again, wait_result (&result), &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 0);
  easel_store_close (store);
}

static void
test_cli_refuses (void)
{
  g_autofree char *dir = easel_test_make_dir ("easel-memory-cli");
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *add[] = { g_getenv ("EASEL_BINARY"), "account", "add", "replicate", "work", "--token-stdin", NULL };
  const char *list[] = { g_getenv ("EASEL_BINARY"), "account", "list", "--json", NULL };

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", dir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "REPLICATE_API_TOKEN");
  process = g_subprocess_launcher_spawnv (launcher, add, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, "r8_memory-token-0123456789\n", NULL, &out, &err, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_nonnull (strstr (err, "the token was not stored"));
  g_assert_nonnull (strstr (err, "REPLICATE_API_TOKEN"));
  g_assert_null (strstr (out, "r8_memory"));
  g_assert_null (strstr (err, "r8_memory"));

  g_clear_object (&process);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  process = g_subprocess_launcher_spawnv (launcher, list, &error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpstr (g_strstrip (out), ==, "[]");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *address = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* Before anything touches D-Bus: a bus that is not there. */
  address = g_strdup_printf ("unix:path=%s/no-such-bus", g_get_tmp_dir ());
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  g_unsetenv ("DISPLAY");

  g_test_add_func ("/Easel/AccountsMemory/fallback", test_memory_fallback);
  g_test_add_func ("/Easel/AccountsMemory/cli-refuses", test_cli_refuses);

  return g_test_run ();
}
