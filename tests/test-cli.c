/* test-cli.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "easel-cli.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

/* "easel" followed by the arguments, NULL-terminated. */
static GPtrArray *
build_argv (const char *first,
            va_list     ap)
{
  GPtrArray *args = g_ptr_array_new ();

  g_ptr_array_add (args, (char *) "easel");
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  g_ptr_array_add (args, NULL);
  return args;
}

/* Runs the command line in process, capturing what it prints. */
static CliResult
run_cli (const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = NULL;
  CliResult result = { 0 };
  char *out_buf = NULL, *err_buf = NULL;
  size_t out_len = 0, err_len = 0;
  FILE *out, *err;
  va_list ap;

  va_start (ap, first);
  args = build_argv (first, ap);
  va_end (ap);

  out = open_memstream (&out_buf, &out_len);
  err = open_memstream (&err_buf, &err_len);
  result.status = easel_cli_run (args->len - 1, (char **) args->pdata, out, err);
  fclose (out);
  fclose (err);

  result.out = g_strdup (out_buf);
  result.err = g_strdup (err_buf);
  free (out_buf);
  free (err_buf);
  return result;
}

static gboolean
handles (const char *first,
         ...)
{
  g_autoptr(GPtrArray) args = NULL;
  va_list ap;

  va_start (ap, first);
  args = build_argv (first, ap);
  va_end (ap);

  return easel_cli_handles (args->len - 1, (char **) args->pdata);
}

static void
test_cli_handles (void)
{
  char *no_args[] = { (char *) "easel", NULL };

  /* No argument opens the window; GApplication keeps its own options. */
  g_assert_false (easel_cli_handles (1, no_args));
  g_assert_false (handles ("--gapplication-service", NULL));

  g_assert_true (handles ("--help", NULL));
  g_assert_true (handles ("-h", NULL));
  g_assert_true (handles ("--version", NULL));
  g_assert_true (handles ("generate", "a fox", NULL));
  g_assert_true (handles ("no-such-command", NULL));
}

static void
test_cli_version (void)
{
  CliResult r = run_cli ("--version", NULL);

  g_assert_cmpint (r.status, ==, EASEL_CLI_STATUS_OK);
  g_assert_cmpstr (r.out, ==, "easel " PACKAGE_VERSION "\n");
  g_assert_cmpstr (r.err, ==, "");
  cli_result_clear (&r);
}

static void
test_cli_help_lists_commands (void)
{
  /* The subcommands DESIGN.md names. */
  const char *expected[] = { "generate", "jobs", "resume", "search", "template", "account",
                             "verify", "import", "export", "help" };
  CliResult r = run_cli ("--help", NULL);

  g_assert_cmpint (r.status, ==, EASEL_CLI_STATUS_OK);
  g_assert_cmpstr (r.err, ==, "");
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *row = g_strdup_printf ("\n  %s ", expected[i]);

      if (strstr (r.out, row) == NULL)
        g_error ("“%s” missing from --help:\n%s", expected[i], r.out);
    }
  g_assert_nonnull (strstr (r.out, "--version"));
  cli_result_clear (&r);
}

static void
test_cli_command_help (void)
{
  CliResult r = run_cli ("generate", "--help", NULL);
  CliResult h = run_cli ("help", "generate", NULL);

  g_assert_cmpint (r.status, ==, EASEL_CLI_STATUS_OK);
  g_assert_nonnull (strstr (r.out, "easel generate [OPTION…] PROMPT…"));
  g_assert_nonnull (strstr (r.out, "--dry-run"));
  g_assert_cmpstr (r.out, ==, h.out);
  cli_result_clear (&r);
  cli_result_clear (&h);
}

static void
test_cli_unavailable_command (void)
{
  CliResult r = run_cli ("export", "out.tar", NULL);

  g_assert_cmpint (r.status, ==, EASEL_CLI_STATUS_FAILED);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, "not available yet"));
  cli_result_clear (&r);
}

static void
test_cli_unknown (void)
{
  CliResult r = run_cli ("frobnicate", NULL);
  CliResult o = run_cli ("--frobnicate", NULL);
  CliResult h = run_cli ("help", "frobnicate", NULL);

  g_assert_cmpint (r.status, ==, EASEL_CLI_STATUS_USAGE);
  g_assert_nonnull (strstr (r.err, "unknown command “frobnicate”"));
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpint (o.status, ==, EASEL_CLI_STATUS_USAGE);
  g_assert_nonnull (strstr (o.err, "unknown option"));
  g_assert_cmpint (h.status, ==, EASEL_CLI_STATUS_USAGE);
  cli_result_clear (&r);
  cli_result_clear (&o);
  cli_result_clear (&h);
}

/* The installed binary answers --help and --version with no display and no
 * session bus at all. */
static void
test_cli_binary_headless (void)
{
  const char *binary = g_getenv ("EASEL_BINARY");
  const char *cases[][2] = { { "--version", "easel " PACKAGE_VERSION }, { "--help", "generate" } };
  g_auto(GStrv) env = NULL;

  if (binary == NULL)
    {
      g_test_skip ("EASEL_BINARY is not set");
      return;
    }

  env = g_get_environ ();
  env = g_environ_unsetenv (env, "DISPLAY");
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
  env = g_environ_setenv (env, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent", TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *argv[] = { binary, cases[i][0], NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GError) error = NULL;
      int status;

      g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                    &out, &err, &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      g_assert_nonnull (strstr (out, cases[i][1]));
      g_assert_cmpstr (err, ==, "");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Easel/Cli/handles", test_cli_handles);
  g_test_add_func ("/Easel/Cli/version", test_cli_version);
  g_test_add_func ("/Easel/Cli/help-lists-commands", test_cli_help_lists_commands);
  g_test_add_func ("/Easel/Cli/command-help", test_cli_command_help);
  g_test_add_func ("/Easel/Cli/unavailable-command", test_cli_unavailable_command);
  g_test_add_func ("/Easel/Cli/unknown", test_cli_unknown);
  g_test_add_func ("/Easel/Cli/binary-headless", test_cli_binary_headless);

  return g_test_run ();
}
