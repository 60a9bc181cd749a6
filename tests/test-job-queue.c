/* test-job-queue.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The job engine end to end against the in-process emulator: lifecycles,
 * crashes at every state (the queue and the store are dropped mid-job and
 * opened again) with exactly one submit per job, capacity, budgets, the
 * ledger, cancel, retry, faults and bad downloads. */

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "easel-budget.h"
#include "easel-downloader.h"
#include "easel-emulator.h"
#include "easel-error.h"
#include "easel-image-store.h"
#include "easel-job-queue.h"
#include "easel-provider-registry.h"
#include "easel-reference.h"
#include "easel-replicate-provider.h"
#include "easel-store.h"
#include "easel-template.h"
#include "easel-template-store.h"
#include "easel-useapi-provider.h"
#include "easel-test-dirs.h"
#include "easel-test-gallery.h"

#define REPLICATE_SUBMIT "POST /v1/models/{owner}/{name}/predictions"
#define USEAPI_SUBMIT "POST /v3/midjourney/jobs/imagine"
#define REPLICATE_UPLOAD "POST /v1/files"
#define IMAGE_MODEL "black-forest-labs/flux-dev"

typedef struct
{
  EaselEmulator   *emulator;
  char            *origin;
  char            *db_path;
  char            *image_root;
  EaselStore      *store;
  EaselImageStore *images;
  EaselDownloader *downloader;
  EaselBudget     *budget;
  EaselJobQueue   *queue;
  gboolean         streaming;
} Fixture;

static void
fast_sleep (guint       delay_ms,
            GSourceFunc wake,
            gpointer    wake_data,
            gpointer    user_data)
{
  g_timeout_add (5, wake, wake_data);
}

static EaselProvider *
lookup (const char  *id,
        const char  *account,
        gpointer     user_data,
        GError     **error)
{
  Fixture *f = user_data;
  g_autofree char *url = g_strconcat (f->origin, g_str_equal (id, "replicate") ? "/v1" : "/v3/midjourney", NULL);
  EaselProvider *provider = easel_provider_registry_create (id, url, "sentinel-token", error);

  if (provider == NULL)
    return NULL;
  easel_http_client_set_sleep_func (easel_http_provider_get_client (EASEL_HTTP_PROVIDER (provider)),
                                    fast_sleep, NULL);
  if (EASEL_IS_REPLICATE_PROVIDER (provider))
    easel_replicate_provider_set_poll_delays (EASEL_REPLICATE_PROVIDER (provider), 20, 100);
  else
    {
      easel_useapi_provider_set_poll_delays (EASEL_USEAPI_PROVIDER (provider), 20, 100);
      easel_useapi_provider_set_streaming (EASEL_USEAPI_PROVIDER (provider), f->streaming);
    }
  return provider;
}

/* One "life" of the app: a store, a downloader and a queue. */
static void
open_engine (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = easel_store_new (f->db_path);
  easel_store_open_sync (f->store, &error);
  g_assert_no_error (error);
  f->images = easel_image_store_new (f->image_root);
  f->downloader = easel_downloader_new (f->images, 4);
  f->queue = easel_job_queue_new (f->store, f->downloader, f->budget, lookup, f, NULL);
  easel_job_queue_set_retry_delay (f->queue, 250);
}

/* A crash: everything in memory is dropped, the store closed. */
static void
close_engine (Fixture *f)
{
  g_object_run_dispose (G_OBJECT (f->queue));
  g_clear_object (&f->queue);
  easel_store_close (f->store);
  g_clear_object (&f->store);
  g_clear_object (&f->downloader);
  g_clear_object (&f->images);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = easel_test_make_dir ("easel-queue");

  g_assert_no_error (error);
  f->db_path = g_build_filename (dir, "easel.db", NULL);
  f->image_root = g_build_filename (dir, "images", NULL);
  f->emulator = easel_emulator_new ();
  easel_emulator_set_job_duration (f->emulator, 30, 150);
  easel_emulator_listen (f->emulator, 0, &error);
  g_assert_no_error (error);
  f->origin = easel_emulator_dup_origin (f->emulator);
  f->budget = easel_budget_new ();
  f->streaming = TRUE;
  open_engine (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->queue != NULL)
    close_engine (f);
  for (int i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_clear_object (&f->budget);
  g_clear_object (&f->emulator);
  g_free (f->origin);
  g_free (f->db_path);
  g_free (f->image_root);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  g_error ("%s timed out", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

static void
spin_until (gboolean  (*condition) (Fixture *f),
            Fixture    *f,
            const char *what)
{
  guint id = g_timeout_add_seconds (30, watchdog_cb, (gpointer) what);

  while (!condition (f))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GPtrArray *
requests_for (const char *provider,
              const char *model,
              guint       n,
              const char *prompt)
{
  GPtrArray *requests = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_job_request_free);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s %u", prompt, i);
      g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("x", model, text);

      g_ptr_array_add (requests, easel_job_request_new (provider, NULL, spec));
    }
  return requests;
}

static GPtrArray *
enqueue (Fixture    *f,
         GPtrArray  *requests,
         GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  easel_job_queue_enqueue_async (f->queue, requests, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return easel_job_queue_enqueue_finish (f->queue, result, error);
}

static void
load (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  easel_job_queue_load_async (f->queue, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (easel_job_queue_load_finish (f->queue, result, &error));
  g_assert_no_error (error);
}

static gboolean
all_finished (Fixture *f)
{
  return easel_job_queue_get_n_active (f->queue) == 0;
}

static EaselJob *
job_at (Fixture *f,
        guint    i)
{
  g_autoptr(EaselJob) job = g_list_model_get_item (G_LIST_MODEL (f->queue), i);

  return job;   /* the queue keeps it alive */
}

static gint64
query_int (Fixture    *f,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (f->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static guint
count_files (const char *root)
{
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n += count_files (path);
      else
        n++;
    }
  return n;
}

static void
test_lifecycle (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) replicate = requests_for ("replicate", "black-forest-labs/flux-schnell", 3, "a fox");
  g_autoptr(GPtrArray) midjourney = requests_for ("midjourney", "midjourney", 2, "a castle");
  g_autoptr(GPtrArray) a = NULL, b = NULL;
  g_autoptr(GError) error = NULL;

  a = enqueue (f, replicate, &error);
  g_assert_no_error (error);
  b = enqueue (f, midjourney, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, 5);

  spin_until (all_finished, f, "lifecycle");

  for (guint i = 0; i < 5; i++)
    {
      EaselJob *job = job_at (f, i);
      const char * const *outputs = easel_job_get_outputs (job);

      g_assert_cmpint (easel_job_get_state (job), ==, EASEL_JOB_SUCCEEDED);
      g_assert_nonnull (outputs);
      g_assert_true (g_file_test (outputs[0], G_FILE_TEST_IS_REGULAR));
      g_assert_cmpint (easel_job_get_cost (job), >=, 0);
    }
  /* A Midjourney grid offers its buttons. */
  g_assert_true (g_strv_contains (easel_job_get_buttons (job_at (f, 3)), "U1"));

  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, REPLICATE_SUBMIT), ==, 3);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, USEAPI_SUBMIT), ==, 2);

  close_engine (f);
  g_assert_cmpint (query_int (f, "SELECT COUNT(*) FROM jobs WHERE state = 'succeeded'"), ==, 5);
  g_assert_cmpint (query_int (f, "SELECT COUNT(*) FROM images"), ==, 5);
  g_assert_cmpint (query_int (f, "SELECT COUNT(*) FROM job_outputs WHERE state = 'done'"), ==, 5);
  g_assert_cmpint (query_int (f, "SELECT COUNT(*) FROM ledger WHERE kind = 'estimate'"), ==, 5);
  g_assert_cmpint (query_int (f, "SELECT COUNT(*) FROM ledger WHERE kind = 'actual'"), ==, 5);
  /* Replicate's official price table: 3 images × $0.003. */
  g_assert_cmpint (query_int (f, "SELECT SUM(micros) FROM ledger WHERE kind = 'actual' AND provider = 'replicate'"), ==, 9000);
  g_assert_cmpuint (count_files (f->image_root), ==, 5);
}

typedef struct
{
  EaselJobState  state;
  const char    *provider;
  const char    *model;
  const char    *faults;
} CrashCase;

static const CrashCase crash_cases[] = {
  { EASEL_JOB_QUEUED, "replicate", "black-forest-labs/flux-schnell", NULL },
  /* Latency on the submit so the crash falls while it is in flight. */
  { EASEL_JOB_SUBMITTING, "replicate", "black-forest-labs/flux-schnell", "POST /v1/*:latency 400" },
  { EASEL_JOB_SUBMITTING, "midjourney", "midjourney", "POST /v3/*:latency 400" },
  { EASEL_JOB_SUBMITTED, "midjourney", "midjourney", NULL },
  { EASEL_JOB_RUNNING, "midjourney", "midjourney", NULL },
  { EASEL_JOB_DOWNLOADING, "replicate", "black-forest-labs/flux-schnell", "GET /_emulator/*:latency 400" },
};

static const CrashCase *current_case;

static gboolean
reached_state (Fixture *f)
{
  /* "Submitting" counts once the requests have reached the server (they
   * wait there in the latency fault): a crash before they leave is the
   * other, easier case. */
  if (current_case->state == EASEL_JOB_SUBMITTING)
    {
      const char *submit = g_str_equal (current_case->provider, "replicate") ? REPLICATE_SUBMIT : USEAPI_SUBMIT;

      if (easel_emulator_get_request_count (f->emulator, submit) < 3)
        return FALSE;
    }

  /* For the later states, wait until no other job is between "submitting
   * is written" and "the request reached the server": a crash there is a
   * submit whose outcome is truly unknown (see the submitting cases). */
  if (current_case->state != EASEL_JOB_SUBMITTING)
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (f->queue)); i++)
      {
        if (easel_job_get_state (job_at (f, i)) == EASEL_JOB_SUBMITTING)
          return FALSE;
      }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (f->queue)); i++)
    {
      if (easel_job_get_state (job_at (f, i)) == current_case->state)
        return TRUE;
    }
  return FALSE;
}

static void
test_crash (Fixture       *f,
            gconstpointer  data)
{
  const CrashCase *c = data;
  g_autoptr(GPtrArray) requests = requests_for (c->provider, c->model, 3, "a crash");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  const char *submit = g_str_equal (c->provider, "replicate") ? REPLICATE_SUBMIT : USEAPI_SUBMIT;
  g_autoptr(GHashTable) remote_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  current_case = c;
  /* Polling, so a job can be seen "running" and "submitted" reliably. */
  f->streaming = FALSE;
  /* Long enough that a job caught mid-submit still runs when the next
   * start reconciles (UseAPI only lists running jobs). */
  easel_emulator_set_job_duration (f->emulator, 100, c->state == EASEL_JOB_SUBMITTING ? 3000 : 600);
  if (c->faults != NULL)
    g_assert_true (easel_emulator_set_faults (f->emulator, c->faults, &error));
  if (c->state == EASEL_JOB_QUEUED)
    easel_job_queue_set_paused (f->queue, TRUE);

  jobs = enqueue (f, requests, &error);
  g_assert_no_error (error);
  if (c->state != EASEL_JOB_QUEUED)
    spin_until (reached_state, f, "reaching the state");

  /* Crash, then start again without the faults. */
  close_engine (f);
  g_assert_true (easel_emulator_set_faults (f->emulator, "", &error));
  open_engine (f);
  load (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, 3);
  spin_until (all_finished, f, "resuming");

  for (guint i = 0; i < 3; i++)
    {
      EaselJob *job = job_at (f, i);

      if (easel_job_get_state (job) != EASEL_JOB_SUCCEEDED)
        g_error ("job %u: %s: %s", i, easel_job_state_to_string (easel_job_get_state (job)),
                 easel_job_get_error_message (job));
      /* The jobs have the same input: each must hold a remote job of its own. */
      g_assert_true (g_hash_table_add (remote_ids, g_strdup (easel_job_get_remote_id (job))));
    }
  /* Exactly one submit per job: nothing was sent twice. */
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, submit), ==, 3);
}

static void
test_reconcile_identical (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = requests_for ("replicate", "black-forest-labs/flux-schnell", 3, "same input");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GHashTable) remote_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  guint succeeded = 0, attention = 0;

  /* Three jobs with the same input; the first submit gets a 503, so its
   * outcome is unknown (nothing was created). Reconciling finds the other
   * two jobs' predictions, which match its input exactly: neither may be
   * taken, as that would show one remote job as two. */
  f->streaming = FALSE;
  easel_emulator_set_job_duration (f->emulator, 100, 400);
  g_assert_true (easel_emulator_set_faults (f->emulator, "POST /v1/*:503 x1", &error));
  easel_job_queue_set_retry_delay (f->queue, 20);
  jobs = enqueue (f, requests, &error);
  g_assert_no_error (error);
  spin_until (all_finished, f, "identical jobs");

  for (guint i = 0; i < 3; i++)
    {
      EaselJob *job = job_at (f, i);

      if (easel_job_get_state (job) == EASEL_JOB_SUCCEEDED)
        {
          succeeded++;
          g_assert_true (g_hash_table_add (remote_ids, (gpointer) easel_job_get_remote_id (job)));
        }
      else
        {
          g_assert_cmpint (easel_job_get_state (job), ==, EASEL_JOB_NEEDS_ATTENTION);
          attention++;
        }
    }
  g_assert_cmpuint (succeeded, ==, 2);
  g_assert_cmpuint (attention, ==, 1);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, REPLICATE_SUBMIT), ==, 2);
}

static void
test_budget (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = requests_for ("replicate", "black-forest-labs/flux-1.1-pro", 3, "a fox");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  /* $0.10 a day; three images at $0.04 would be $0.12. */
  easel_budget_set_limit (f->budget, NULL, EASEL_BUDGET_DAY, 100000);
  jobs = enqueue (f, requests, &error);
  g_assert_null (jobs);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_BUDGET_EXCEEDED);
  g_assert_nonnull (strstr (error->message, "$0.12"));
  g_assert_nonnull (strstr (error->message, "$0.02 over"));
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emulator), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, 0);
  g_clear_error (&error);

  /* Two fit; then the reserved estimates count against the third. */
  g_ptr_array_set_size (requests, 2);
  jobs = enqueue (f, requests, &error);
  g_assert_no_error (error);
  g_clear_pointer (&jobs, g_ptr_array_unref);
  g_ptr_array_set_size (requests, 1);
  jobs = enqueue (f, requests, &error);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_BUDGET_EXCEEDED);
  g_clear_error (&error);

  /* A per-provider limit. */
  easel_budget_set_limit (f->budget, NULL, EASEL_BUDGET_DAY, 0);
  easel_budget_set_limit (f->budget, "replicate", EASEL_BUDGET_MONTH, 50000);
  jobs = enqueue (f, requests, &error);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_BUDGET_EXCEEDED);
  g_assert_nonnull (strstr (error->message, "replicate"));

  spin_until (all_finished, f, "budget jobs");
  close_engine (f);
  g_assert_cmpint (query_int (f, "SELECT COUNT(*) FROM jobs"), ==, 2);
}

static gboolean
failed_job_is_free (Fixture *f)
{
  return all_finished (f);
}

static void
test_failed_not_billed (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = requests_for ("replicate", "black-forest-labs/flux-dev", 1, "please fail-me");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  EaselJob *job, *retry;

  jobs = enqueue (f, requests, &error);
  g_assert_no_error (error);
  spin_until (failed_job_is_free, f, "failing");
  job = job_at (f, 0);
  g_assert_cmpint (easel_job_get_state (job), ==, EASEL_JOB_FAILED);
  g_assert_nonnull (easel_job_get_error_message (job));
  g_assert_cmpint (easel_job_get_cost (job), ==, 0);

  /* Retry: a new attempt that records what it retries. */
  retry = easel_job_queue_retry (f->queue, job, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (easel_job_get_attempt (retry), ==, 2);
  g_assert_cmpint (easel_job_get_retry_of (retry), ==, easel_job_get_id (job));
  spin_until (all_finished, f, "retrying");

  close_engine (f);
  g_assert_cmpint (query_int (f, "SELECT SUM(micros) FROM ledger WHERE kind = 'actual'"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT COUNT(*) FROM jobs WHERE retry_of IS NOT NULL"), ==, 1);
}

static gboolean
one_running (Fixture *f)
{
  return easel_job_get_state (job_at (f, 0)) == EASEL_JOB_RUNNING;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = requests_for ("midjourney", "midjourney", 2, "slow");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  f->streaming = FALSE;
  easel_emulator_set_job_duration (f->emulator, 20, 20000);
  easel_job_queue_set_concurrency (f->queue, "midjourney", NULL, 1);
  jobs = enqueue (f, requests, &error);
  g_assert_no_error (error);
  spin_until (one_running, f, "running");

  /* The second waits for the slot: cancelling it sends nothing. */
  g_assert_cmpint (easel_job_get_state (job_at (f, 1)), ==, EASEL_JOB_QUEUED);
  easel_job_queue_cancel (f->queue, job_at (f, 1));
  g_assert_cmpint (easel_job_get_state (job_at (f, 1)), ==, EASEL_JOB_CANCELLED);

  /* The running one is cancelled at the provider. */
  easel_job_queue_cancel (f->queue, job_at (f, 0));
  spin_until (all_finished, f, "cancelling");
  g_assert_cmpint (easel_job_get_state (job_at (f, 0)), ==, EASEL_JOB_CANCELLED);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, USEAPI_SUBMIT), ==, 1);
  g_assert_cmpuint (easel_emulator_get_request_count (f->emulator, "DELETE /v3/midjourney/jobs/{jobid}"), ==, 1);
}

static gboolean
all_submitting (Fixture *f)
{
  return easel_emulator_get_request_count (f->emulator, USEAPI_SUBMIT) >= 1 &&
         easel_job_get_state (job_at (f, 0)) == EASEL_JOB_SUBMITTING;
}

static void
test_cancel_submitting (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = requests_for ("midjourney", "midjourney", 1, "cancel me early");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  /* Cancelled while its submit is on the way: the submit is not
   * abandoned (it may have been accepted); once the provider names the
   * job, it is cancelled there. */
  f->streaming = FALSE;
  easel_emulator_set_job_duration (f->emulator, 20, 20000);
  g_assert_true (easel_emulator_set_faults (f->emulator, "POST /v3/*:latency 300", &error));
  jobs = enqueue (f, requests, &error);
  g_assert_no_error (error);
  spin_until (all_submitting, f, "submitting");
  easel_job_queue_cancel (f->queue, job_at (f, 0));
  spin_until (all_finished, f, "cancelling while submitting");

  g_assert_cmpint (easel_job_get_state (job_at (f, 0)), ==, EASEL_JOB_CANCELLED);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, USEAPI_SUBMIT), ==, 1);
  g_assert_cmpuint (easel_emulator_get_request_count (f->emulator, "DELETE /v3/midjourney/jobs/{jobid}"), ==, 1);
}

static void
test_capacity (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = requests_for ("midjourney", "midjourney", 8, "busy");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  /* The channel takes 3; so does the queue: never a 429. */
  f->streaming = FALSE;
  jobs = enqueue (f, requests, &error);
  g_assert_no_error (error);
  spin_until (all_finished, f, "capacity");
  g_assert_cmpuint (easel_emulator_get_request_count (f->emulator, USEAPI_SUBMIT), ==, 8);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, USEAPI_SUBMIT), ==, 8);
}

static void
test_capacity_taken (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = requests_for ("midjourney", "midjourney", 6, "crowded");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  /* The queue thinks it has 6 slots, but another client holds some of
   * the channel's: 429s, the jobs wait and all succeed. */
  f->streaming = FALSE;
  easel_job_queue_set_concurrency (f->queue, "midjourney", NULL, 6);
  jobs = enqueue (f, requests, &error);
  g_assert_no_error (error);
  spin_until (all_finished, f, "capacity taken");
  for (guint i = 0; i < 6; i++)
    g_assert_cmpint (easel_job_get_state (job_at (f, i)), ==, EASEL_JOB_SUCCEEDED);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, USEAPI_SUBMIT), ==, 6);
  g_assert_cmpuint (easel_emulator_get_request_count (f->emulator, USEAPI_SUBMIT), >, 6);
}

static guint max_live_seen;

static void
count_live_cb (EaselJob   *job,
               GParamSpec *pspec,
               Fixture    *f)
{
  guint live = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (f->queue)); i++)
    live += easel_job_state_is_live_remote (easel_job_get_state (job_at (f, i)));
  max_live_seen = MAX (max_live_seen, live);
}

static void
test_video_slots (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = requests_for ("midjourney", "midjourney", 3, "a short clip");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  /* Midjourney caps video jobs apart from image jobs (maxVideoJobs). */
  for (guint i = 0; i < requests->len; i++)
    {
      g_autoptr(JsonNode) yes = json_node_init_boolean (json_node_alloc (), TRUE);

      easel_job_spec_set_param (((EaselJobRequest *) g_ptr_array_index (requests, i))->spec, "video", yes);
    }
  f->streaming = FALSE;
  max_live_seen = 0;
  easel_job_queue_set_kind_concurrency (f->queue, "midjourney", NULL, TRUE, 1);
  jobs = enqueue (f, requests, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < jobs->len; i++)
    g_signal_connect (g_ptr_array_index (jobs, i), "notify::state", G_CALLBACK (count_live_cb), f);
  spin_until (all_finished, f, "video jobs");

  g_assert_cmpuint (max_live_seen, ==, 1);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (easel_job_get_state (job_at (f, i)), ==, EASEL_JOB_SUCCEEDED);
}

static void
test_settings_slots (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.easelstudio.Easel");
  g_autoptr(GPtrArray) requests = requests_for ("midjourney", "midjourney", 3, "a settings clip");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  guint used, max_jobs;

  g_settings_set_uint (settings, "replicate-concurrency", 7);
  easel_job_queue_bind_settings (f->queue, settings);
  easel_job_queue_get_slots (f->queue, "replicate", NULL, &used, &max_jobs);
  g_assert_cmpuint (max_jobs, ==, 7);

  /* Changes apply at once. */
  g_settings_set_uint (settings, "replicate-concurrency", 2);
  g_settings_set_uint (settings, "midjourney-video-concurrency", 1);
  easel_job_queue_get_slots (f->queue, "replicate", NULL, &used, &max_jobs);
  g_assert_cmpuint (max_jobs, ==, 2);

  for (guint i = 0; i < requests->len; i++)
    {
      g_autoptr(JsonNode) yes = json_node_init_boolean (json_node_alloc (), TRUE);

      easel_job_spec_set_param (((EaselJobRequest *) g_ptr_array_index (requests, i))->spec, "video", yes);
    }
  f->streaming = FALSE;
  max_live_seen = 0;
  jobs = enqueue (f, requests, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < jobs->len; i++)
    g_signal_connect (g_ptr_array_index (jobs, i), "notify::state", G_CALLBACK (count_live_cb), f);
  spin_until (all_finished, f, "video jobs from settings");
  g_assert_cmpuint (max_live_seen, ==, 1);

  g_settings_reset (settings, "replicate-concurrency");
  g_settings_reset (settings, "midjourney-video-concurrency");
}

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = requests_for ("replicate", "black-forest-labs/flux-schnell", 10, "stormy");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (easel_emulator_set_faults (f->emulator,
                                            "seed=7;GET /v1/predictions/*:503 30%;GET /v1/predictions/*:drop 10%;"
                                            "POST /v1/*:503 20%;GET /_emulator/*:truncate 20%;latency 0-30",
                                            &error));
  jobs = enqueue (f, requests, &error);
  g_assert_no_error (error);
  spin_until (all_finished, f, "faults");

  /* Every job ends, each with a reason when it did not succeed. */
  for (guint i = 0; i < 10; i++)
    {
      EaselJob *job = job_at (f, i);

      g_assert_false (easel_job_get_active (job));
      if (easel_job_get_state (job) != EASEL_JOB_SUCCEEDED)
        g_assert_nonnull (easel_job_get_error_message (job));
    }
  /* An ambiguous submit is never resent. */
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, REPLICATE_SUBMIT), <=, 10);
}

static void
test_bad_download (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = requests_for ("replicate", "black-forest-labs/flux-schnell", 1, "garbage");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (easel_emulator_set_faults (f->emulator, "GET /_emulator/*:malformed", &error));
  jobs = enqueue (f, requests, &error);
  g_assert_no_error (error);
  spin_until (all_finished, f, "bad download");

  g_assert_cmpint (easel_job_get_state (job_at (f, 0)), ==, EASEL_JOB_FAILED);
  g_assert_nonnull (strstr (easel_job_get_error_message (job_at (f, 0)), "could not be saved"));
  close_engine (f);
  g_assert_cmpuint (count_files (f->image_root), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT COUNT(*) FROM images"), ==, 0);
}

static void
test_bad_token (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = requests_for ("nope", "x", 1, "nothing");
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  jobs = enqueue (f, requests, &error);
  g_assert_null (jobs);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_NOT_FOUND);
}

static EaselTemplate *
save_template (Fixture       *f,
               EaselTemplate *template_)
{
  g_autoptr(EaselTemplateStore) templates = easel_template_store_new (f->store);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EaselTemplate *saved;

  easel_template_store_save_async (templates, template_, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  saved = easel_template_store_save_finish (templates, result, &error);
  g_assert_no_error (error);
  return saved;
}

/* A templated batch keeps where each job came from: template, version and
 * bindings in the job's row, one job_bindings row per variable, through
 * the JSON handed from the command line, a restart, and a retry. Nothing
 * is sent: the queue is paused. */
static void
test_template_provenance (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(EaselTemplate) template_ = easel_template_new ("Fox study", "a {{subject}} {in snow|at night}");
  g_autoptr(EaselTemplate) saved = NULL;
  g_autoptr(GPtrArray) expansions = NULL;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_job_request_free);
  g_autoptr(GPtrArray) handed = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *sql = NULL;
  const char *values[] = { "red fox", "wolf", NULL };
  EaselJob *retried;

  g_ptr_array_add (template_->variables, easel_template_variable_new ("subject", "cat", values));
  saved = save_template (f, template_);
  g_assert_cmpint (saved->version, ==, 1);

  expansions = easel_template_expand (saved->body, saved->variables, NULL, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expansions->len, ==, 4);
  for (guint i = 0; i < expansions->len; i++)
    {
      EaselExpansion *expansion = g_ptr_array_index (expansions, i);
      g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("x", "black-forest-labs/flux-schnell", expansion->prompt);
      EaselJobRequest *request = easel_job_request_new ("replicate", NULL, spec);

      easel_job_request_set_template (request, saved->id, saved->version, expansion->bindings);
      g_ptr_array_add (requests, request);
    }

  /* Handed over as JSON (from `easel generate` to the window), intact. */
  json = easel_job_requests_to_json (requests);
  handed = easel_job_requests_from_json (json, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < handed->len; i++)
    {
      EaselJobRequest *request = g_ptr_array_index (handed, i);

      g_assert_cmpint (request->template_id, ==, saved->id);
      g_assert_cmpint (request->template_version, ==, 1);
      g_assert_cmpstr (json_object_get_string_member (request->template_bindings, "subject"), ==,
                       i < 2 ? "red fox" : "wolf");
    }

  easel_job_queue_set_paused (f->queue, TRUE);
  jobs = enqueue (f, handed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 4);
  g_assert_cmpint (easel_job_get_template_id (g_ptr_array_index (jobs, 0)), ==, saved->id);
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emulator), ==, 0);

  close_engine (f);
  sql = g_strdup_printf ("SELECT COUNT(*) FROM jobs WHERE template_id = %" G_GINT64_FORMAT
                         " AND template_version = 1 AND template_bindings IS NOT NULL", saved->id);
  g_assert_cmpint (query_int (f, sql), ==, 4);
  g_assert_cmpint (query_int (f, "SELECT COUNT(*) FROM job_bindings"), ==, 4);
  g_assert_cmpint (query_int (f, "SELECT COUNT(*) FROM job_bindings b JOIN jobs j ON j.id = b.job_id "
                                 "WHERE b.name = 'subject' AND b.value = 'red fox' AND j.prompt LIKE 'a red fox %'"), ==, 2);
  g_assert_cmpint (query_int (f, "SELECT COUNT(*) FROM jobs WHERE prompt = 'a wolf at night' AND "
                                 "json_extract (template_bindings, '$.subject') = 'wolf'"), ==, 1);

  /* After a restart the jobs still know; a retry keeps the provenance. */
  open_engine (f);
  easel_job_queue_set_paused (f->queue, TRUE);
  load (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      EaselJob *job = job_at (f, i);

      g_assert_cmpint (easel_job_get_template_id (job), ==, saved->id);
      g_assert_cmpint (easel_job_get_template_version (job), ==, 1);
      g_assert_nonnull (easel_job_get_template_bindings (job));
    }
  easel_job_queue_cancel (f->queue, job_at (f, 3));
  g_assert_cmpint (easel_job_get_state (job_at (f, 3)), ==, EASEL_JOB_CANCELLED);
  retried = easel_job_queue_retry (f->queue, job_at (f, 3), &error);
  g_assert_no_error (error);
  g_assert_cmpint (easel_job_get_template_id (retried), ==, saved->id);
  g_assert_cmpstr (json_object_get_string_member (easel_job_get_template_bindings (retried), "subject"), ==, "wolf");
  while (g_list_model_get_n_items (G_LIST_MODEL (f->queue)) < 5)
    g_main_context_iteration (NULL, TRUE);
  close_engine (f);
  g_assert_cmpint (query_int (f, "SELECT COUNT(*) FROM job_bindings"), ==, 5);
  g_assert_cmpint (query_int (f, "SELECT COUNT(*) FROM jobs WHERE retry_of IS NOT NULL AND template_id IS NOT NULL"), ==, 1);

  /* A literal brace cannot go to Midjourney, which would expand it again:
   * the batch is refused before anything is written. */
  open_engine (f);
  {
    g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("x", "midjourney", "a {red, blue} car");
    g_autoptr(GPtrArray) braced = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_job_request_free);

    g_ptr_array_add (braced, easel_job_request_new ("midjourney", NULL, spec));
    refused = enqueue (f, braced, &error);
    g_assert_null (refused);
    g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
    g_assert_nonnull (strstr (error->message, "braces"));
  }
  close_engine (f);
  g_assert_cmpint (query_int (f, "SELECT COUNT(*) FROM jobs"), ==, 5);
}

/* Reference images */

/* A reference as the editor makes it: a PNG checked and kept by hash. */
static EaselReference *
keep_reference (Fixture    *f,
                const char *name,
                guint32     seed)
{
  g_autofree char *dir = easel_test_make_dir ("easel-originals");
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EaselReference *reference;

  easel_test_write_art (path, 96, 64, seed);
  easel_reference_new_from_file_async (file, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  reference = easel_reference_new_from_file_finish (result, &error);
  g_assert_no_error (error);
  /* The original goes: the kept copy is what is uploaded. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  return reference;
}

static GPtrArray *
one_request (const char   *provider,
             EaselJobSpec *spec)
{
  GPtrArray *requests = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_job_request_free);

  g_ptr_array_add (requests, easel_job_request_new (provider, NULL, spec));
  return requests;
}

/* The inputs of a prediction as the emulator keeps them. */
static JsonObject *
prediction_input (Fixture    *f,
                  const char *remote_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselProvider) provider = lookup ("replicate", NULL, f, &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(EaselRemotePage) page = NULL;

  g_assert_no_error (error);
  easel_provider_list_remote_jobs_async (provider, NULL, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  page = easel_provider_list_remote_jobs_finish (provider, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < page->jobs->len; i++)
    {
      EaselRemoteJob *job = g_ptr_array_index (page->jobs, i);

      if (g_str_equal (job->remote_id, remote_id))
        return json_object_ref (job->input);
    }
  g_error ("no prediction %s", remote_id);
  return NULL;
}

static void
test_reference_upload (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(EaselReference) reference = keep_reference (f, "photo.png", 3);
  g_autoptr(EaselJobSpec) local = easel_job_spec_new ("x", IMAGE_MODEL, "a fox from a photo");
  g_autoptr(EaselJobSpec) remote = easel_job_spec_new ("x", IMAGE_MODEL, "a fox from an address");
  g_autofree char *files_prefix = g_strconcat (f->origin, "/v1/files/", NULL);
  g_autofree char *address = g_strconcat (f->origin, "/public/fox.png", NULL);
  g_autofree char *stored = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(JsonObject) input = NULL;
  g_autoptr(GError) error = NULL;

  easel_job_spec_add_reference (local, "image", easel_reference_get_hash (reference), NULL);
  easel_job_spec_add_reference (remote, "image", NULL, address);
  requests = one_request ("replicate", local);
  g_ptr_array_add (requests, easel_job_request_new ("replicate", NULL, remote));
  jobs = enqueue (f, requests, &error);
  g_assert_no_error (error);
  spin_until (all_finished, f, "jobs with references");

  for (guint i = 0; i < 2; i++)
    if (easel_job_get_state (job_at (f, i)) != EASEL_JOB_SUCCEEDED)
      g_error ("job %u: %s", i, easel_job_get_error_message (job_at (f, i)));

  /* The local file went up once, through the files API, and the
   * prediction got its address; the address went in as it was. */
  g_assert_cmpuint (easel_emulator_get_request_count (f->emulator, REPLICATE_UPLOAD), ==, 1);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, REPLICATE_SUBMIT), ==, 2);
  input = prediction_input (f, easel_job_get_remote_id (job_at (f, 0)));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (input, "image"), files_prefix));
  g_assert_cmpstr (json_object_get_string_member (input, "prompt"), ==, "a fox from a photo");
  g_clear_pointer (&input, json_object_unref);
  input = prediction_input (f, easel_job_get_remote_id (job_at (f, 1)));
  g_assert_cmpstr (json_object_get_string_member (input, "image"), ==, address);

  /* The store keeps the spec as the user chose it: the hash, not the
   * upload's address, which expires. */
  close_engine (f);
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (f->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT spec FROM jobs ORDER BY id LIMIT 1", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    stored = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
  g_assert_nonnull (strstr (stored, easel_reference_get_hash (reference)));
  g_assert_null (strstr (stored, "/v1/files/"));
}

static void
test_reference_failures (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(EaselReference) kept = keep_reference (f, "kept.png", 4);
  g_autoptr(EaselReference) deleted = keep_reference (f, "deleted.png", 5);
  g_autoptr(EaselJobSpec) refused = easel_job_spec_new ("x", IMAGE_MODEL, "upload refused");
  g_autoptr(EaselJobSpec) missing = easel_job_spec_new ("x", IMAGE_MODEL, "cache deleted");
  g_autoptr(EaselJobSpec) midjourney = easel_job_spec_new ("x", "midjourney", "a local image prompt");
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  EaselJob *job;

  /* The token is refused for uploads only: the submit would work. */
  g_assert_true (easel_emulator_set_faults (f->emulator, "POST /v1/files:401", &error));
  g_assert_true (g_file_delete (easel_reference_get_file (deleted), NULL, &error));
  g_assert_no_error (error);

  easel_job_spec_add_reference (refused, "image", easel_reference_get_hash (kept), NULL);
  easel_job_spec_add_reference (missing, "image", easel_reference_get_hash (deleted), NULL);
  easel_job_spec_add_reference (midjourney, EASEL_REFERENCE_ROLE_IMAGE_PROMPT,
                                easel_reference_get_hash (kept), NULL);
  requests = one_request ("replicate", refused);
  g_ptr_array_add (requests, easel_job_request_new ("replicate", NULL, missing));
  g_ptr_array_add (requests, easel_job_request_new ("midjourney", NULL, midjourney));
  jobs = enqueue (f, requests, &error);
  g_assert_no_error (error);
  spin_until (all_finished, f, "failing references");

  job = job_at (f, 0);
  g_assert_cmpint (easel_job_get_state (job), ==, EASEL_JOB_FAILED);
  g_assert_cmpstr (easel_job_get_error_code (job), ==, easel_error_code_to_string (EASEL_ERROR_UNAUTHORIZED));
  g_assert_true (g_str_has_prefix (easel_job_get_error_message (job), "Cannot upload a reference image: "));
  g_assert_cmpint (easel_job_get_cost (job), ==, 0);

  job = job_at (f, 1);
  g_assert_cmpint (easel_job_get_state (job), ==, EASEL_JOB_FAILED);
  g_assert_cmpstr (easel_job_get_error_code (job), ==, easel_error_code_to_string (EASEL_ERROR_NOT_FOUND));
  g_assert_nonnull (strstr (easel_job_get_error_message (job), "add the image again"));

  /* Midjourney cannot take a local file as an image prompt: it says so. */
  job = job_at (f, 2);
  g_assert_cmpint (easel_job_get_state (job), ==, EASEL_JOB_FAILED);
  g_assert_nonnull (strstr (easel_job_get_error_message (job), "address of an image on the web"));
  /* Easel has no Blend or Describe to offer: nothing promises them. */
  g_assert_null (strstr (easel_job_get_error_message (job), "Blend"));

  /* Never sent without its reference. */
  g_assert_cmpuint (easel_emulator_get_request_count (f->emulator, REPLICATE_UPLOAD), ==, 1);
  g_assert_cmpuint (easel_emulator_get_request_count (f->emulator, REPLICATE_SUBMIT), ==, 0);
  g_assert_cmpuint (easel_emulator_get_request_count (f->emulator, USEAPI_SUBMIT), ==, 0);
}

static gboolean
upload_reached_server (Fixture *f)
{
  return easel_emulator_get_request_count (f->emulator, REPLICATE_UPLOAD) >= 1;
}

static void
test_reference_crash (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(EaselReference) reference = keep_reference (f, "photo.png", 6);
  g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("x", IMAGE_MODEL, "crash while uploading");
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  /* The crash falls while the upload waits at the server. */
  g_assert_true (easel_emulator_set_faults (f->emulator, "POST /v1/files:latency 600", &error));
  easel_job_spec_add_reference (spec, "image", easel_reference_get_hash (reference), NULL);
  requests = one_request ("replicate", spec);
  jobs = enqueue (f, requests, &error);
  g_assert_no_error (error);
  spin_until (upload_reached_server, f, "the upload");
  g_assert_cmpint (easel_job_get_state (job_at (f, 0)), ==, EASEL_JOB_QUEUED);
  g_assert_cmpstr (easel_job_get_waiting_reason (job_at (f, 0)), ==, "Uploading reference images…");

  close_engine (f);
  g_assert_true (easel_emulator_set_faults (f->emulator, "", &error));
  open_engine (f);
  load (f);
  spin_until (all_finished, f, "resuming");

  g_assert_cmpint (easel_job_get_state (job_at (f, 0)), ==, EASEL_JOB_SUCCEEDED);
  /* The upload was done again (it costs nothing), the submit once. */
  g_assert_cmpuint (easel_emulator_get_request_count (f->emulator, REPLICATE_UPLOAD), ==, 2);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, REPLICATE_SUBMIT), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func, data) \
  g_test_add ("/Easel/JobQueue/" path, Fixture, data, fixture_setup, func, fixture_teardown)

  ADD ("lifecycle", test_lifecycle, NULL);
  ADD ("crash/queued", test_crash, &crash_cases[0]);
  ADD ("crash/submitting-replicate", test_crash, &crash_cases[1]);
  ADD ("crash/submitting-midjourney", test_crash, &crash_cases[2]);
  ADD ("crash/submitted", test_crash, &crash_cases[3]);
  ADD ("crash/running", test_crash, &crash_cases[4]);
  ADD ("crash/downloading", test_crash, &crash_cases[5]);
  ADD ("reconcile-identical", test_reconcile_identical, NULL);
  ADD ("budget", test_budget, NULL);
  ADD ("failed-not-billed", test_failed_not_billed, NULL);
  ADD ("cancel", test_cancel, NULL);
  ADD ("cancel-submitting", test_cancel_submitting, NULL);
  ADD ("capacity", test_capacity, NULL);
  ADD ("capacity-taken", test_capacity_taken, NULL);
  ADD ("video-slots", test_video_slots, NULL);
  ADD ("settings-slots", test_settings_slots, NULL);
  ADD ("faults", test_faults, NULL);
  ADD ("bad-download", test_bad_download, NULL);
  ADD ("unknown-provider", test_bad_token, NULL);
  ADD ("template-provenance", test_template_provenance, NULL);
  ADD ("reference/upload", test_reference_upload, NULL);
  ADD ("reference/failures", test_reference_failures, NULL);
  ADD ("reference/crash", test_reference_crash, NULL);
#undef ADD

  return g_test_run ();
}
