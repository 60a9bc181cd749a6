/* bench-store.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How fast the store writes, and what it costs the main loop.
 *
 * Inserts 100,000 jobs and 100,000 images in batched transactions through
 * the asynchronous API while a high-priority 1 ms timer on the main thread
 * measures how late each of its ticks is, then times single-row updates
 * submitted one after the other (the job engine's typical write). The rows
 * are built on the store's thread, so the main thread only submits and
 * collects, as the application does. Run with `meson test --benchmark`. */

#include "config.h"

#include <stdlib.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "easel-store.h"
#include "easel-test-dirs.h"

#define N_ROWS       100000
#define BATCH_SIZE   1000
#define N_ROUND_TRIPS 2000
#define TICK_US      1000

/* The main-loop probe */

typedef struct
{
  gint64  last;
  GArray *stalls;        /* gint64 us: how much later than 1 ms each tick came */
} Probe;

static gboolean
probe_tick_cb (gpointer user_data)
{
  Probe *probe = user_data;
  gint64 now = g_get_monotonic_time ();

  if (probe->last != 0)
    {
      gint64 stall = MAX (0, now - probe->last - TICK_US);

      g_array_append_val (probe->stalls, stall);
    }
  probe->last = now;
  return G_SOURCE_CONTINUE;
}

static void
probe_reset (Probe *probe)
{
  probe->last = 0;
  g_array_set_size (probe->stalls, 0);
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Sorts @values and returns its @percentile-th percentile (0–100). */
static gint64
percentile (GArray *values,
            double  percent)
{
  guint index;

  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_int64);
  index = (guint) ((values->len - 1) * percent / 100.0 + 0.5);
  return g_array_index (values, gint64, index);
}

static void
print_stalls (const char *label,
              Probe      *probe)
{
  g_autoptr(GArray) copy = g_array_copy (probe->stalls);

  g_print ("  main loop %-22s %6u ticks, longest stall %6.2f ms, p99 %5.2f ms, median %5.2f ms\n",
           label, copy->len,
           percentile (copy, 100) / 1000.0,
           percentile (copy, 99) / 1000.0,
           percentile (copy, 50) / 1000.0);
}

/* Work on the store's thread */

typedef struct
{
  int first;
  int count;
} Batch;

#define JOB_SQL \
  "INSERT INTO jobs (uuid, batch, provider, account, model, prompt, spec, state, remote_id, " \
  "  progress, created_at, submitted_at, started_at, finished_at, updated_at) " \
  "VALUES (?1, ?2, 'replicate', '', 'black-forest-labs/flux-schnell', ?3, ?4, 'succeeded', ?5, " \
  "  100, ?6, ?6, ?6, ?6, ?6)"

#define IMAGE_SQL \
  "INSERT INTO images (hash, path, width, height, mime, bytes, created_at, job_id, provider, " \
  "  model, prompt, params, seed, rating) " \
  "VALUES (?1, ?2, 1024, 1024, 'image/png', 1234567, ?3, ?4, 'replicate', " \
  "  'black-forest-labs/flux-schnell', ?5, '{\"num_inference_steps\":4}', ?6, ?7)"

static const char * const subjects[] = {
  "a red fox in the snow", "a lighthouse at dusk", "portrait of an old sailor",
  "a bowl of ramen, studio lighting", "isometric city block", "a cat astronaut",
};

static gboolean
insert_job (EaselDb  *db,
            int       n,
            GError  **error)
{
  sqlite3_stmt *stmt = easel_db_prepare (db, JOB_SQL, error);
  char uuid[48], batch[32], prompt[128], spec[256], remote_id[32];

  if (stmt == NULL)
    return FALSE;

  g_snprintf (uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", n);
  g_snprintf (batch, sizeof batch, "batch-%d", n / 4);
  g_snprintf (prompt, sizeof prompt, "%s, variation %d", subjects[n % G_N_ELEMENTS (subjects)], n);
  g_snprintf (spec, sizeof spec,
              "{\"provider\":\"replicate\",\"model\":\"black-forest-labs/flux-schnell\","
              "\"prompt\":\"%s\",\"params\":{\"num_inference_steps\":4,\"seed\":%d}}",
              prompt, n);
  g_snprintf (remote_id, sizeof remote_id, "r%08dx", n);

  easel_db_bind_text (stmt, 1, uuid);
  easel_db_bind_text (stmt, 2, batch);
  easel_db_bind_text (stmt, 3, prompt);
  easel_db_bind_text (stmt, 4, spec);
  easel_db_bind_text (stmt, 5, remote_id);
  easel_db_bind_int64 (stmt, 6, g_get_real_time ());
  return easel_db_step (db, stmt, error) == SQLITE_DONE;
}

static gboolean
insert_image (EaselDb  *db,
              int       n,
              GError  **error)
{
  sqlite3_stmt *stmt = easel_db_prepare (db, IMAGE_SQL, error);
  char hash[65], path[80], prompt[128];

  if (stmt == NULL)
    return FALSE;

  g_snprintf (hash, sizeof hash, "%064x", n);
  g_snprintf (path, sizeof path, "%.2s/%s.png", hash + 62, hash);
  g_snprintf (prompt, sizeof prompt, "%s, variation %d", subjects[n % G_N_ELEMENTS (subjects)], n);

  easel_db_bind_text (stmt, 1, hash);
  easel_db_bind_text (stmt, 2, path);
  easel_db_bind_int64 (stmt, 3, g_get_real_time ());
  easel_db_bind_int64 (stmt, 4, n + 1);        /* the job of the same number */
  easel_db_bind_text (stmt, 5, prompt);
  easel_db_bind_int64 (stmt, 6, n * 7919);
  easel_db_bind_int64 (stmt, 7, n % 6);
  return easel_db_step (db, stmt, error) == SQLITE_DONE;
}

static gpointer
insert_batch (EaselDb   *db,
              Batch     *batch,
              gboolean (*insert) (EaselDb *, int, GError **),
              GError   **error)
{
  if (!easel_db_begin (db, error))
    return NULL;
  for (int n = batch->first; n < batch->first + batch->count; n++)
    if (!insert (db, n, error))
      return NULL;    /* the store rolls back */
  if (!easel_db_commit (db, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
insert_jobs_func (EaselDb   *db,
                  gpointer   data,
                  GError   **error)
{
  return insert_batch (db, data, insert_job, error);
}

static gpointer
insert_images_func (EaselDb   *db,
                    gpointer   data,
                    GError   **error)
{
  return insert_batch (db, data, insert_image, error);
}

static gpointer
update_job_func (EaselDb   *db,
                 gpointer   data,
                 GError   **error)
{
  sqlite3_stmt *stmt = easel_db_prepare (db,
                                         "UPDATE jobs SET state = ?2, progress = ?3, "
                                         "remote_status = ?2, updated_at = ?4 WHERE id = ?1",
                                         error);
  int id = GPOINTER_TO_INT (data);

  if (stmt == NULL)
    return NULL;
  easel_db_bind_int64 (stmt, 1, id);
  easel_db_bind_text (stmt, 2, id % 2 ? "running" : "downloading");
  easel_db_bind_int64 (stmt, 3, id % 100);
  easel_db_bind_int64 (stmt, 4, g_get_real_time ());
  if (easel_db_step (db, stmt, error) != SQLITE_DONE)
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

/* The main thread */

typedef struct
{
  EaselStore *store;
  guint       n_pending;
  guint       n_failed;
  gint64      submitted_at;
  GArray     *round_trips;
  int         next_update;
} Bench;

static void
batch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;

  if (easel_store_run_finish (EASEL_STORE (source), result, &error) == NULL)
    {
      g_printerr ("bench-store: %s\n", error->message);
      bench->n_failed++;
    }
  bench->n_pending--;
}

static void submit_update (Bench *bench);

static void
update_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;
  gint64 round_trip = g_get_monotonic_time () - bench->submitted_at;

  if (easel_store_run_finish (EASEL_STORE (source), result, &error) == NULL)
    {
      g_printerr ("bench-store: %s\n", error->message);
      bench->n_failed++;
    }
  g_array_append_val (bench->round_trips, round_trip);
  bench->n_pending--;

  if (bench->next_update < N_ROUND_TRIPS)
    submit_update (bench);
}

static void
submit_update (Bench *bench)
{
  /* Spread over the table, so the pages touched are not all cached. */
  int id = 1 + (int) (((gint64) bench->next_update * 7919) % N_ROWS);

  bench->next_update++;
  bench->n_pending++;
  bench->submitted_at = g_get_monotonic_time ();
  easel_store_run_async (bench->store, update_job_func, GINT_TO_POINTER (id), NULL,
                         NULL, update_done_cb, bench);
}

static void
run_until_done (Bench *bench)
{
  while (bench->n_pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
stop_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gint64
file_size (const char *path)
{
  GStatBuf buf;

  return g_stat (path, &buf) == 0 ? (gint64) buf.st_size : 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("easel-bench-store-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autoptr(GArray) round_trips = g_array_new (FALSE, FALSE, sizeof (gint64));
  Probe probe = { .stalls = g_array_new (FALSE, FALSE, sizeof (gint64)) };
  Bench bench = { .round_trips = round_trips };
  gboolean stop = FALSE;
  gint64 start, elapsed;
  guint timer;

  if (dir == NULL)
    {
      g_printerr ("bench-store: %s\n", error->message);
      return EXIT_FAILURE;
    }
  path = g_build_filename (dir, "easel.db", NULL);
  wal = g_strconcat (path, "-wal", NULL);

  bench.store = easel_store_new (path);
  if (!easel_store_open_sync (bench.store, &error))
    {
      g_printerr ("bench-store: %s\n", error->message);
      return EXIT_FAILURE;
    }

  g_print ("Store benchmark: SQLite %s, WAL, synchronous=NORMAL, %s\n",
           sqlite3_libversion (), path);

  timer = g_timeout_add_full (G_PRIORITY_HIGH, 1, probe_tick_cb, &probe, NULL);

  /* What the probe sees with nothing else going on: the floor. */
  g_timeout_add (500, stop_cb, &stop);
  while (!stop)
    g_main_context_iteration (NULL, TRUE);
  print_stalls ("idle (baseline):", &probe);

  /* Bulk inserts: every batch submitted at once, as an import would. */
  probe_reset (&probe);
  start = g_get_monotonic_time ();
  for (int kind = 0; kind < 2; kind++)
    for (int first = 0; first < N_ROWS; first += BATCH_SIZE)
      {
        Batch *batch = g_new (Batch, 1);

        batch->first = first;
        batch->count = MIN (BATCH_SIZE, N_ROWS - first);
        bench.n_pending++;
        easel_store_run_async (bench.store, kind == 0 ? insert_jobs_func : insert_images_func,
                               batch, g_free, NULL, batch_done_cb, &bench);
      }
  elapsed = g_get_monotonic_time () - start;
  g_print ("  submitting %d batches took %.2f ms on the main thread\n",
           2 * N_ROWS / BATCH_SIZE, elapsed / 1000.0);
  run_until_done (&bench);
  elapsed = g_get_monotonic_time () - start;

  g_print ("  inserted %d jobs + %d images in transactions of %d rows: %.2f s, %.0f rows/s\n",
           N_ROWS, N_ROWS, BATCH_SIZE, elapsed / 1e6, 2.0 * N_ROWS / (elapsed / 1e6));
  print_stalls ("during the inserts:", &probe);

  /* Single-row updates, one after the other, each waiting for the last. */
  probe_reset (&probe);
  start = g_get_monotonic_time ();
  submit_update (&bench);
  run_until_done (&bench);
  elapsed = g_get_monotonic_time () - start;
  {
    g_autoptr(GArray) copy = g_array_copy (round_trips);

    g_print ("  %d single-row updates in sequence: %.2f s; round trip median %.0f us, "
             "p99 %.0f us, longest %.0f us\n",
             N_ROUND_TRIPS, elapsed / 1e6,
             (double) percentile (copy, 50), (double) percentile (copy, 99),
             (double) percentile (copy, 100));
  }
  print_stalls ("during the updates:", &probe);

  g_print ("  database %.1f MB, write-ahead log %.1f MB\n",
           file_size (path) / 1e6, file_size (wal) / 1e6);

  g_source_remove (timer);
  easel_store_close (bench.store);
  g_clear_object (&bench.store);
  g_array_unref (probe.stalls);
  easel_test_remove_tree (dir);

  return bench.n_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
