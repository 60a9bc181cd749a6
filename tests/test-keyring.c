/* test-keyring.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Checks the keyring test harness itself: under build-aux/run-with-keyring
 * there is a private, unlocked Secret Service on a private bus, so secrets
 * stored by a test never reach the developer's real keyring. The account
 * tests of a later issue stand on this. */

#include "config.h"

#include <libsecret/secret.h>

static const SecretSchema *
test_schema (void)
{
  static const SecretSchema schema = {
    .name = BASE_APP_ID ".Test",
    .flags = SECRET_SCHEMA_NONE,
    .attributes = {
      { .name = "account", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
      { .name = NULL },
    },
  };

  return &schema;
}

static void
test_keyring_private_bus (void)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  const char *marker = g_getenv ("EASEL_TEST_KEYRING");

  /* The wrapper marks its environment and has no display. */
  g_assert_cmpstr (marker, ==, "1");
  g_assert_nonnull (address);
  g_assert_null (g_getenv ("DISPLAY"));
}

static void
test_keyring_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  gboolean ok;

  if (g_getenv ("EASEL_TEST_KEYRING_DAEMON") == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }

  ok = secret_password_store_sync (test_schema (), SECRET_COLLECTION_DEFAULT,
                                   "Easel test secret", "sentinel-not-a-token",
                                   NULL, &error, "account", "test", NULL);
  g_assert_no_error (error);
  g_assert_true (ok);

  found = secret_password_lookup_sync (test_schema (), NULL, &error, "account", "test", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "sentinel-not-a-token");

  ok = secret_password_clear_sync (test_schema (), NULL, &error, "account", "test", NULL);
  g_assert_no_error (error);
  g_assert_true (ok);

  g_clear_pointer (&found, g_free);
  found = secret_password_lookup_sync (test_schema (), NULL, &error, "account", "test", NULL);
  g_assert_no_error (error);
  g_assert_null (found);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("EASEL_TEST_KEYRING") == NULL)
    {
      g_print ("1..0 # SKIP not run under build-aux/run-with-keyring\n");
      return 0;
    }

  g_test_add_func ("/Easel/Keyring/private-bus", test_keyring_private_bus);
  g_test_add_func ("/Easel/Keyring/round-trip", test_keyring_round_trip);

  return g_test_run ();
}
