/* bench-jobs.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The job engine under load (a meson benchmark, not a test: it prints
 * figures, it does not judge them). 200 jobs x 4 outputs run against the
 * emulator in a separate process with realistic latency: 160 Replicate
 * jobs (polling, 4 outputs each) and 40 Midjourney jobs (SSE, one grid
 * each). While they run, a high-priority 1 ms timer measures how late the
 * main loop dispatches it: the longest stall and the p99 stall.
 *
 * Figures: wall time, main-loop stalls, CPU per completed job, HTTP
 * requests per completed job per provider (from the emulator's counters),
 * peak RSS. Targets are in DESIGN.md. */

#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <libsoup/soup.h>

#include "easel-budget.h"
#include "easel-downloader.h"
#include "easel-image-store.h"
#include "easel-job-queue.h"
#include "easel-provider-registry.h"
#include "easel-store.h"
#include "easel-test-dirs.h"

static guint N_REPLICATE = 160;
static guint N_MIDJOURNEY = 40;

static char *origin;
static GArray *lateness;        /* gint64 µs */
static gint64 expected_tick;

static gboolean
tick_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 late = MAX (now - expected_tick, 0);

  g_array_append_val (lateness, late);
  expected_tick = now + 1000;
  return G_SOURCE_CONTINUE;
}

static EaselProvider *
lookup (const char  *id,
        const char  *account,
        gpointer     user_data,
        GError     **error)
{
  g_autofree char *url = g_strconcat (origin, g_str_equal (id, "replicate") ? "/v1" : "/v3/midjourney", NULL);

  return easel_provider_registry_create (id, url, "bench-token", error);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* CPU time of the calling thread only: the main loop's own share (HTTP,
 * SSE, JSON, scheduling), without the worker threads that hash and decode. */
static double
thread_cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static guint n_active = 1;

static gboolean
calibrated_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* What the 1 kHz stall sampler alone costs the main thread, in CPU seconds
 * per second, so that its share can be taken out of the engine's figure. */
static double
sampler_cost (void)
{
  gboolean done = FALSE;
  double before = thread_cpu_seconds ();
  guint tick;

  expected_tick = g_get_monotonic_time () + 1000;
  tick = g_timeout_add_full (G_PRIORITY_HIGH, 1, tick_cb, NULL, NULL);
  g_timeout_add (2000, calibrated_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_array_set_size (lateness, 0);
  return (thread_cpu_seconds () - before) / 2.0;
}

static void
n_active_cb (EaselJobQueue *queue)
{
  n_active = easel_job_queue_get_n_active (queue);
}

static JsonObject *
fetch_stats (void)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autofree char *url = g_strconcat (origin, "/_emulator/stats", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (body == NULL || !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                                   g_bytes_get_size (body), NULL))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static guint
sum_prefix (JsonObject *requests,
            const char *prefix)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  guint total = 0;

  json_object_iter_init (&iter, requests);
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (strstr (key, prefix) != NULL)
        total += (guint) json_node_get_int (value);
    }
  return total;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("easel-bench-XXXXXX", &error);
  g_autofree char *db_path = NULL, *image_root = NULL, *emulator_path = NULL, *line = NULL;
  g_autoptr(GSubprocess) emulator = NULL;
  g_autoptr(GDataInputStream) emulator_out = NULL;
  g_autoptr(EaselStore) store = NULL;
  g_autoptr(EaselImageStore) images = NULL;
  g_autoptr(EaselDownloader) downloader = NULL;
  g_autoptr(EaselJobQueue) queue = NULL;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_job_request_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(JsonObject) stats = NULL;
  JsonObject *counts;
  gint64 start, wall;
  double cpu_start, cpu, main_cpu_start, main_cpu, sampler_rate, engine_cpu;
  guint tick, succeeded = 0, replicate_requests, useapi_requests;
  struct rusage usage;

  g_assert_no_error (error);
  if (g_getenv ("BENCH_REPLICATE") != NULL)
    N_REPLICATE = (guint) g_ascii_strtoull (g_getenv ("BENCH_REPLICATE"), NULL, 10);
  if (g_getenv ("BENCH_MIDJOURNEY") != NULL)
    N_MIDJOURNEY = (guint) g_ascii_strtoull (g_getenv ("BENCH_MIDJOURNEY"), NULL, 10);
  db_path = g_build_filename (dir, "easel.db", NULL);
  image_root = g_build_filename (dir, "images", NULL);
  lateness = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* meson sets G_TEST_BUILDDIR to the tests' build directory. */
  emulator_path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                    "emulator", "easel-emulator", NULL);
  emulator = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, emulator_path,
                               "--port", "0", "--latency", "20-80", "--job-seconds", "2", NULL);
  g_assert_no_error (error);
  emulator_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (emulator));
  line = g_data_input_stream_read_line (emulator_out, NULL, NULL, &error);
  g_assert_no_error (error);
  origin = g_strdup (g_strstrip (line));

  store = easel_store_new (db_path);
  easel_store_open_sync (store, &error);
  g_assert_no_error (error);
  images = easel_image_store_new (image_root);
  downloader = easel_downloader_new (images, 8);
  queue = easel_job_queue_new (store, downloader, NULL, lookup, NULL, NULL);
  easel_job_queue_set_concurrency (queue, "replicate", NULL, 16);
  easel_job_queue_set_concurrency (queue, "midjourney", NULL, 3);

  for (guint i = 0; i < N_REPLICATE + N_MIDJOURNEY; i++)
    {
      gboolean mj = i >= N_REPLICATE;
      g_autofree char *prompt = g_strdup_printf ("benchmark %u: a lighthouse at dusk", i);
      g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("b", mj ? "midjourney" : "black-forest-labs/flux-schnell",
                                                         prompt);

      if (!mj)
        {
          g_autoptr(JsonNode) four = json_node_init_int (json_node_alloc (), 4);

          easel_job_spec_set_param (spec, "num_outputs", four);
        }
      g_ptr_array_add (requests, easel_job_request_new (mj ? "midjourney" : "replicate", NULL, spec));
    }

  sampler_rate = sampler_cost ();
  start = g_get_monotonic_time ();
  cpu_start = cpu_seconds ();
  main_cpu_start = thread_cpu_seconds ();
  expected_tick = g_get_monotonic_time () + 1000;
  tick = g_timeout_add_full (G_PRIORITY_HIGH, 1, tick_cb, NULL, NULL);

  easel_job_queue_enqueue_async (queue, requests, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  jobs = easel_job_queue_enqueue_finish (queue, result, &error);
  g_assert_no_error (error);

  /* Counted on change, not on every loop iteration: the figures are the
   * engine's, not the benchmark's. */
  g_signal_connect (queue, "notify::n-active", G_CALLBACK (n_active_cb), NULL);
  n_active_cb (queue);
  while (n_active > 0)
    {
      static gint64 last_report;

      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () - last_report > 5 * G_USEC_PER_SEC)
        {
          last_report = g_get_monotonic_time ();
          g_printerr ("%u jobs active after %.0f s\n", easel_job_queue_get_n_active (queue),
                      (last_report - start) / 1e6);
          if (g_getenv ("BENCH_DEBUG") != NULL && easel_job_queue_get_n_active (queue) < 20)
            for (guint k = 0; k < jobs->len; k++)
              {
                EaselJob *j = g_ptr_array_index (jobs, k);

                if (easel_job_get_active (j))
                  g_printerr ("  %s %s %s %d\n", easel_job_get_provider (j),
                              easel_job_state_to_string (easel_job_get_state (j)),
                              easel_job_get_error_message (j) ? easel_job_get_error_message (j) : "",
                              easel_job_get_progress (j));
              }
        }
    }

  g_source_remove (tick);
  wall = g_get_monotonic_time () - start;
  cpu = cpu_seconds () - cpu_start;
  main_cpu = thread_cpu_seconds () - main_cpu_start;

  for (guint i = 0; i < jobs->len; i++)
    succeeded += easel_job_get_state (g_ptr_array_index (jobs, i)) == EASEL_JOB_SUCCEEDED;

  stats = fetch_stats ();
  counts = stats ? json_object_get_object_member (stats, "requests") : NULL;
  replicate_requests = counts ? sum_prefix (counts, "/v1/") : 0;
  useapi_requests = counts ? sum_prefix (counts, "/v3/midjourney/") : 0;

  g_array_sort (lateness, compare_int64);
  getrusage (RUSAGE_SELF, &usage);

  g_print ("jobs: %u submitted, %u succeeded (%u Replicate x 4 outputs, %u Midjourney grids)\n",
           jobs->len, succeeded, N_REPLICATE, N_MIDJOURNEY);
  g_print ("wall time: %.1f s\n", wall / 1e6);
  g_print ("main-loop stall: longest %.1f ms, p99 %.2f ms, median %.2f ms (%u ticks)\n",
           g_array_index (lateness, gint64, lateness->len - 1) / 1000.0,
           g_array_index (lateness, gint64, lateness->len * 99 / 100) / 1000.0,
           g_array_index (lateness, gint64, lateness->len / 2) / 1000.0, lateness->len);
  g_print ("app CPU: %.2f s in all, %.2f ms per completed job (downloads, hashing and decoding included)\n",
           cpu, succeeded ? cpu * 1000.0 / succeeded : 0.0);
  /* The sampler costs less while the loop is awake anyway: an upper bound
   * of its share, so the engine's figure is a lower bound. */
  engine_cpu = MAX (main_cpu - sampler_rate * wall / 1e6, 0.0);
  g_print ("main-thread CPU: %.2f s in all, %.2f ms per completed job (no hashing or decoding); "
           "less the stall sampler's %.2f s: %.2f ms per job\n",
           main_cpu, succeeded ? main_cpu * 1000.0 / succeeded : 0.0,
           sampler_rate * wall / 1e6, succeeded ? engine_cpu * 1000.0 / succeeded : 0.0);
  g_print ("HTTP requests per job: Replicate %.2f (API only; downloads are separate), Midjourney %.2f\n",
           replicate_requests / (double) N_REPLICATE, useapi_requests / (double) N_MIDJOURNEY);
  g_print ("peak RSS: %.1f MB\n", usage.ru_maxrss / 1024.0);

  g_object_run_dispose (G_OBJECT (queue));
  easel_store_close (store);
  g_subprocess_force_exit (emulator);
  g_subprocess_wait (emulator, NULL, NULL);
  easel_test_remove_tree (dir);
  return succeeded == jobs->len ? 0 : 1;
}
