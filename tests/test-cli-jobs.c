/* test-cli-jobs.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The real `easel` binary against the in-process emulator: generate runs
 * jobs to the end; a generate killed with SIGKILL or SIGTERM mid-run is
 * finished by `easel resume` without any job submitted twice; jobs lists
 * them; bad command lines fail with status 2. */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "easel-emulator.h"
#include "easel-test-dirs.h"

#define REPLICATE_SUBMIT "POST /v1/models/{owner}/{name}/predictions"
#define USEAPI_SUBMIT "POST /v3/midjourney/jobs/imagine"

typedef struct
{
  EaselEmulator *emulator;
  char          *origin;
  char          *data_dir;
  GSubprocess   *process;
  char          *out;
  char          *err;
  int            status;
  gboolean       done;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->data_dir = easel_test_make_dir ("easel-cli");
  g_assert_no_error (error);
  f->emulator = easel_emulator_new ();
  easel_emulator_set_job_duration (f->emulator, 100, 900);
  easel_emulator_listen (f->emulator, 0, &error);
  g_assert_no_error (error);
  f->origin = easel_emulator_dup_origin (f->emulator);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->process);
  g_clear_object (&f->emulator);
  g_free (f->origin);
  g_free (f->data_dir);
  g_free (f->out);
  g_free (f->err);
}

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&f->out, g_free);
  g_clear_pointer (&f->err, g_free);
  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &f->out, &f->err, &error);
  g_assert_no_error (error);
  f->status = g_subprocess_get_if_exited (G_SUBPROCESS (object))
              ? g_subprocess_get_exit_status (G_SUBPROCESS (object)) : -1;
  f->done = TRUE;
}

/* Starts `easel ARGS…` with the emulator's endpoints and a private data
 * directory; the main loop keeps serving the emulator meanwhile. */
static void
start (Fixture    *f,
       const char *first,
       ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *replicate = g_strconcat (f->origin, "/v1", NULL);
  g_autofree char *useapi = g_strconcat (f->origin, "/v3/midjourney", NULL);
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("EASEL_BINARY"));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", f->data_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "EASEL_REPLICATE_URL", replicate, TRUE);
  g_subprocess_launcher_setenv (launcher, "EASEL_USEAPI_URL", useapi, TRUE);
  g_subprocess_launcher_setenv (launcher, "REPLICATE_API_TOKEN", "r8_sentinel-cli", TRUE);
  g_subprocess_launcher_setenv (launcher, "USEAPI_API_TOKEN", "user:1-sentinel-cli", TRUE);
  g_subprocess_launcher_setenv (launcher, "GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "Easel", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");

  g_clear_object (&f->process);
  f->done = FALSE;
  f->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (f->process, NULL, NULL, communicated_cb, f);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits for the command to end; one that hangs is killed and its output,
 * with Easel's debug log, goes into the failure message. */
static void
wait_done (Fixture    *f,
           const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (90, watchdog_cb, &timed_out);

  while (!f->done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    {
      g_source_remove (id);
      return;
    }
  g_subprocess_force_exit (f->process);
  while (!f->done)
    g_main_context_iteration (NULL, TRUE);
  g_error ("%s timed out\nstdout:\n%s\nstderr:\n%s", what, f->out, f->err);
}

static void
test_generate (Fixture       *f,
               gconstpointer  data)
{
  start (f, "generate", "--count", "2", "--param", "num_outputs=2", "a red fox", NULL);
  wait_done (f, "generate");

  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "succeeded"));
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, REPLICATE_SUBMIT), ==, 2);
  /* Four saved images are listed. */
  g_assert_nonnull (strstr (f->out, ".png"));
  /* The token never reaches the output. */
  g_assert_null (strstr (f->out, "sentinel"));
  g_assert_null (strstr (f->err, "sentinel"));
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  start (f, "generate", "--dry-run", "--count", "3", "--model", "black-forest-labs/flux-1.1-pro", "a fox", NULL);
  wait_done (f, "dry run");

  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "3 jobs"));
  g_assert_nonnull (strstr (f->out, "$0.12"));
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emulator), ==, 0);
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  const char *cases[][4] = {
    { "generate", NULL },
    { "generate", "--provider", "nope", "x" },
    { "generate", "--param", "novalue", "x" },
    { "generate", "--count", "0", "x" },
    { "jobs", "--state", "sleeping", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      start (f, cases[i][0], cases[i][1], cases[i][2], cases[i][3], NULL);
      wait_done (f, "usage");
      g_assert_cmpint (f->status, ==, 2);
      g_assert_cmpstr (f->err, !=, "");
    }

  /* A parameter out of range is refused before anything is sent. */
  start (f, "generate", "--provider", "midjourney", "--param", "chaos=500", "x", NULL);
  wait_done (f, "bad parameter");
  g_assert_cmpint (f->status, ==, 1);
  g_assert_nonnull (strstr (f->err, "chaos"));
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emulator), ==, 0);
}

static gboolean
submitted_some (Fixture    *f,
                const char *submit)
{
  return easel_emulator_get_submit_count (f->emulator, submit) >= 2;
}

static void
test_kill_and_resume (Fixture       *f,
                      gconstpointer  data)
{
  int sig = GPOINTER_TO_INT (data);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *jobs;
  guint succeeded = 0;
  gboolean timed_out = FALSE;
  guint id;

  /* Eight jobs on a slow emulator, four at a time: killed mid-run, some
   * queued, some being sent, some running. (Replicate: a UseAPI job whose
   * creating stream dies sticks for 14 minutes, as UseAPI documents.) */
  easel_emulator_set_job_duration (f->emulator, 300, 1500);
  start (f, "generate", "--count", "8", "a lighthouse", NULL);
  id = g_timeout_add_seconds (60, watchdog_cb, &timed_out);
  while (!submitted_some (f, REPLICATE_SUBMIT) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);

  if (sig == SIGKILL)
    g_subprocess_force_exit (f->process);
  else
    g_subprocess_send_signal (f->process, sig);
  wait_done (f, "killed generate");
  g_assert_cmpint (f->status, !=, 0);

  start (f, "resume", NULL);
  wait_done (f, "resume");

  start (f, "jobs", "--json", NULL);
  wait_done (f, "jobs");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, f->out, -1, NULL));
  jobs = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (jobs), ==, 8);

  /* Every job ended. A job killed after "submitting" was written but
   * before its request left cannot be told from one whose request was
   * lost: it needs attention and is not resent. All others succeeded, and
   * no job was submitted twice. */
  for (guint i = 0; i < 8; i++)
    {
      const char *state = json_object_get_string_member (json_array_get_object_element (jobs, i), "state");

      if (g_str_equal (state, "succeeded"))
        succeeded++;
      else
        g_assert_cmpstr (state, ==, "needs-attention");
    }
  g_assert_cmpuint (succeeded, >=, 4);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, REPLICATE_SUBMIT), ==, succeeded);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (g_getenv ("EASEL_BINARY") == NULL)
    {
      g_print ("1..0 # SKIP EASEL_BINARY is not set\n");
      return 0;
    }

#define ADD(path, func, data) \
  g_test_add ("/Easel/CliJobs/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("generate", test_generate, NULL);
  ADD ("dry-run", test_dry_run, NULL);
  ADD ("usage-errors", test_usage_errors, NULL);
  ADD ("kill-and-resume/sigkill", test_kill_and_resume, GINT_TO_POINTER (SIGKILL));
  ADD ("kill-and-resume/sigterm", test_kill_and_resume, GINT_TO_POINTER (SIGTERM));
  ADD ("kill-and-resume/sigint", test_kill_and_resume, GINT_TO_POINTER (SIGINT));
#undef ADD

  return g_test_run ();
}
