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
  const char    *settings;   /* keyfile lines for [io/github/easelstudio/Easel], or NULL */
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
  if (f->settings != NULL)
    {
      /* Settings the command reads: the keyfile backend, in the test's folder. */
      g_autofree char *config = g_build_filename (f->data_dir, "config", NULL);
      g_autofree char *dir = g_build_filename (config, "glib-2.0", "settings", NULL);
      g_autofree char *keyfile = g_build_filename (dir, "keyfile", NULL);
      g_autofree char *contents = g_strconcat ("[io/github/easelstudio/Easel]\n", f->settings, NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_assert_true (g_file_set_contents (keyfile, contents, -1, NULL));
      g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
      g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
    }

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

/* Saves a template through `easel template save`. */
static void
save_template (Fixture    *f,
               const char *name,
               const char *body,
               ...)
{
  g_autofree char *path = g_build_filename (f->data_dir, "template.txt", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;

  g_assert_true (g_file_set_contents (path, body, -1, NULL));
  va_start (ap, body);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  while (argv->len < 4)
    g_ptr_array_add (argv, NULL);

  start (f, "template", "save", name, "--file", path, g_ptr_array_index (argv, 0), g_ptr_array_index (argv, 1),
         g_ptr_array_index (argv, 2), g_ptr_array_index (argv, 3), NULL);
  wait_done (f, "template save");
  g_assert_cmpint (f->status, ==, 0);
}

static void
test_template_dry_run (Fixture       *f,
                       gconstpointer  data)
{
  save_template (f, "Fox study", "a {{subject}} {in snow|at night}\n",
                 "--var-value", "subject=red fox", "--var-value", "subject=owl", NULL);
  g_assert_nonnull (strstr (f->out, "version 1"));

  /* Each expanded prompt with its bindings and cost, the total, the budget. */
  f->settings = "budget-daily=1000000\n";
  start (f, "generate", "--dry-run", "--template", "fox STUDY", "--model", "black-forest-labs/flux-1.1-pro", NULL);
  wait_done (f, "template dry run");
  g_test_message ("%s%s", f->out, f->err);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "4 jobs on replicate (black-forest-labs/flux-1.1-pro) from template "));
  g_assert_nonnull (strstr (f->out, "  1. a red fox in snow  {}  $0.04\n     subject=red fox\n"));
  g_assert_nonnull (strstr (f->out, "  2. a red fox at night  {}  $0.04\n"));
  g_assert_nonnull (strstr (f->out, "  4. a owl at night  {}  $0.04\n     subject=owl\n"));
  g_assert_nonnull (strstr (f->out, "Estimated cost: $0.16."));
  g_assert_nonnull (strstr (f->out, "Budget left today: $1.00, $0.84 after this batch"));
  g_assert_nonnull (strstr (f->out, "Nothing was sent."));

  /* --var pins the values; inline prompts expand too; a --var the
   * prompt does not use is refused. */
  start (f, "generate", "--dry-run", "--template", "Fox study", "--var", "subject=cat", NULL);
  wait_done (f, "template dry run with --var");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "2 jobs"));
  g_assert_nonnull (strstr (f->out, "a cat at night"));
  start (f, "generate", "--dry-run", "a {red, blue} car --ar {1:1, 16:9}", NULL);
  wait_done (f, "permutations");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "4 jobs"));
  g_assert_nonnull (strstr (f->out, "  4. a blue car --ar 16:9"));
  start (f, "generate", "--dry-run", "--template", "Fox study", "--var", "colour=red", NULL);
  wait_done (f, "unknown --var");
  g_assert_cmpint (f->status, ==, 2);
  g_assert_nonnull (strstr (f->err, "colour"));

  /* Syntax errors say where. */
  start (f, "generate", "--dry-run", "a {red|blue car", NULL);
  wait_done (f, "bad template");
  g_assert_cmpint (f->status, ==, 1);
  g_assert_nonnull (strstr (f->err, "character 3"));

  /* Over the budget: the dry run says so, and a real run sends nothing. */
  f->settings = "budget-daily=100000\n";
  start (f, "generate", "--dry-run", "--template", "Fox study", "--model", "black-forest-labs/flux-1.1-pro", NULL);
  wait_done (f, "over budget dry run");
  g_assert_cmpint (f->status, ==, 1);
  g_assert_cmpstr (f->err, !=, "");
  start (f, "generate", "--template", "Fox study", "--model", "black-forest-labs/flux-1.1-pro", NULL);
  wait_done (f, "over budget");
  g_assert_cmpint (f->status, ==, 1);
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emulator), ==, 0);
}

static void
test_template_generate (Fixture       *f,
                        gconstpointer  data)
{
  save_template (f, "Lights", "a {{subject}} at dusk", "--var-default", "subject=lighthouse", NULL);
  /* Version 2 keeps the default and changes the prompt. */
  save_template (f, "lights", "a {{subject}} at {dusk|dawn}", NULL);
  g_assert_nonnull (strstr (f->out, "version 2"));

  start (f, "generate", "--template", "Lights", "--var", "subject=owl", "--var", "subject=lamp", NULL);
  wait_done (f, "template generate");
  g_test_message ("%s%s", f->out, f->err);
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, REPLICATE_SUBMIT), ==, 4);

  /* The images are found by template and by variable. */
  start (f, "search", "template:\"LIGHTS\"", NULL);
  wait_done (f, "search template");
  g_assert_cmpint (f->status, ==, 0);
  {
    g_auto(GStrv) lines = g_strsplit (f->out, "\n", -1);

    g_assert_cmpuint (g_strv_length (lines) - 1, ==, 4);
  }
  start (f, "search", "var:subject=owl", NULL);
  wait_done (f, "search var");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "a owl at dusk"));
  g_assert_nonnull (strstr (f->out, "a owl at dawn"));
  g_assert_null (strstr (f->out, "lamp"));

  /* A deleted template's images are still found by its name. */
  start (f, "template", "delete", "Lights", NULL);
  wait_done (f, "delete");
  g_assert_cmpint (f->status, ==, 0);
  start (f, "search", "template:Lights var:subject=lamp", NULL);
  wait_done (f, "search deleted template");
  g_assert_nonnull (strstr (f->out, "a lamp at dawn"));
  start (f, "template", "list", NULL);
  wait_done (f, "list");
  g_assert_cmpstr (f->out, ==, "");
}

static void
test_template_commands (Fixture       *f,
                        gconstpointer  data)
{
  save_template (f, "Owls", "an owl, {ink|pencil}", "--provider", "midjourney", NULL);
  save_template (f, "Cats", "a cat", NULL);

  start (f, "template", "list", NULL);
  wait_done (f, "list");
  g_assert_cmpstr (f->out, ==, "Cats  (version 1)  a cat\nOwls  (version 1)  an owl, {ink|pencil}\n");

  start (f, "template", "show", "owls", NULL);
  wait_done (f, "show");
  g_assert_nonnull (strstr (f->out, "Provider: midjourney\n"));
  g_assert_nonnull (strstr (f->out, "\nan owl, {ink|pencil}\n"));

  /* Names are unique without regard to case. */
  start (f, "template", "rename", "Cats", "OWLS", NULL);
  wait_done (f, "rename clash");
  g_assert_cmpint (f->status, ==, 1);
  g_assert_nonnull (strstr (f->err, "already exists"));

  /* A template's own provider is used, with Midjourney's model. */
  start (f, "generate", "--dry-run", "--template", "Owls", NULL);
  wait_done (f, "midjourney dry run");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "2 jobs on midjourney (midjourney)"));

  start (f, "template", "show", "Owls", "--version", "2", NULL);
  wait_done (f, "missing version");
  g_assert_cmpint (f->status, ==, 1);
  g_assert_nonnull (strstr (f->err, "no version 2"));

  start (f, "template", "frobnicate", NULL);
  wait_done (f, "bad action");
  g_assert_cmpint (f->status, ==, 2);
  start (f, "template", "save", "x", NULL);
  wait_done (f, "save without a prompt");
  g_assert_cmpint (f->status, ==, 2);
  start (f, "generate", "--template", "Nobody", NULL);
  wait_done (f, "unknown template");
  g_assert_cmpint (f->status, ==, 1);
  g_assert_nonnull (strstr (f->err, "Nobody"));
}

/* Batches larger than batch-confirm-size need --yes. */
static void
test_confirm_gate (Fixture       *f,
                   gconstpointer  data)
{
  f->settings = "batch-confirm-size=uint32 3\n";
  start (f, "generate", "a {b|c|d|e}", NULL);
  wait_done (f, "gate");
  g_assert_cmpint (f->status, ==, 1);
  g_assert_nonnull (strstr (f->err, "--yes"));
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emulator), ==, 0);

  start (f, "generate", "--dry-run", "a {b|c|d|e}", NULL);
  wait_done (f, "gate dry run");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_nonnull (strstr (f->out, "needs --yes"));

  start (f, "generate", "--yes", "a {b|c|d}", "--count", "1", NULL);
  wait_done (f, "three");
  g_assert_cmpint (f->status, ==, 0);
  start (f, "generate", "--yes", "a {b|c|d|e}", NULL);
  wait_done (f, "gate with --yes");
  g_assert_cmpint (f->status, ==, 0);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, REPLICATE_SUBMIT), ==, 7);
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
  ADD ("template-dry-run", test_template_dry_run, NULL);
  ADD ("template-generate", test_template_generate, NULL);
  ADD ("template-commands", test_template_commands, NULL);
  ADD ("confirm-gate", test_confirm_gate, NULL);
  ADD ("kill-and-resume/sigkill", test_kill_and_resume, GINT_TO_POINTER (SIGKILL));
  ADD ("kill-and-resume/sigterm", test_kill_and_resume, GINT_TO_POINTER (SIGTERM));
  ADD ("kill-and-resume/sigint", test_kill_and_resume, GINT_TO_POINTER (SIGINT));
#undef ADD

  return g_test_run ();
}
