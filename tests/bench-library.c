/* bench-library.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How fast the library answers the gallery, at 100,000 images.
 *
 * Generates a library of 100,000 rows (no files) in a temporary folder:
 * varied prompts from word lists, five models, sizes, ratings, favourites,
 * tags and the trash over a year. Then, through the asynchronous API from
 * the main loop, as the gallery calls it:
 *
 *  - typing: words entered letter by letter ("l", "li", "lig", …), alone
 *    and with a filter, each keystroke a count and a first page of 100
 *    submitted together; latency until both have arrived;
 *  - count + first page of filters alone and of the whole library, in each
 *    order;
 *  - pages at deep offsets, positions, and bulk edits;
 *  - the very statements the library ran for the typing (captured with
 *    SQLite's profile hook) run again through the `sqlite3` command line
 *    on the same database, for the ratio of the library to bare SQLite;
 *  - the typing again after the store was closed and opened (closing runs
 *    PRAGMA optimize, which may give SQLite statistics and other plans).
 *
 * Run with `meson test --benchmark library` (add -v for the figures). */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "easel-library.h"
#include "easel-test-dirs.h"
#include "easel-test-library.h"

#define N_IMAGES  100000
#define PAGE      100
#define SEED      2026

static const char * const words[] = { "lighthouse", "astronaut", "watercolor", "cathedral" };
static const char * const filters[] = { "", "provider:replicate", "fav:yes", "rating:>=3", "tag:wip" };

/* Statistics */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *samples,
            double  p)
{
  g_autoptr(GArray) sorted = g_array_copy (samples);
  guint index;

  if (sorted->len == 0)
    return NAN;
  g_array_sort (sorted, compare_doubles);
  index = (guint) MAX (0, ceil (p * sorted->len) - 1);
  return g_array_index (sorted, double, MIN (index, sorted->len - 1));
}

static void
print_samples (const char *label,
               GArray     *samples)
{
  g_print ("    %-34s n=%3u  p50 %6.2f ms  p95 %6.2f ms  max %6.2f ms\n", label, samples->len,
           percentile (samples, 0.5), percentile (samples, 0.95), percentile (samples, 1.0));
}

/* Capturing what SQLite runs */

typedef struct
{
  GMutex     mutex;
  gboolean   on;
  GPtrArray *statements;   /* expanded SQL of the current search */
  gint64     nanoseconds;  /* inside SQLite, for the current search */
} Capture;

static int
profile_cb (unsigned  type,
            void     *user_data,
            void     *p,
            void     *x)
{
  Capture *capture = user_data;
  char *sql;

  g_mutex_lock (&capture->mutex);
  if (capture->on && (sql = sqlite3_expanded_sql (p)) != NULL)
    {
      g_ptr_array_add (capture->statements, g_strdup (sql));
      capture->nanoseconds += *(sqlite3_int64 *) x;
      sqlite3_free (sql);
    }
  g_mutex_unlock (&capture->mutex);
  return 0;
}

static gpointer
install_profile_func (EaselDb   *db,
                      gpointer   data,
                      GError   **error)
{
  sqlite3_trace_v2 (easel_db_get_handle (db), data != NULL ? SQLITE_TRACE_PROFILE : 0,
                    data != NULL ? profile_cb : NULL, data);
  return GINT_TO_POINTER (TRUE);
}

/* The library from the main loop */

typedef struct
{
  EaselStore      *store;
  EaselImageStore *images;
  EaselLibrary    *library;
  guint            pending;
  gint64           count;
  GAsyncResult    *result;
} Bench;

static void
wait_pending (Bench *bench)
{
  while (bench->pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

static double
elapsed_ms (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
count_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;

  bench->count = easel_library_count_finish (EASEL_LIBRARY (source), result, &error);
  if (error != NULL)
    g_error ("count: %s", error->message);
  bench->pending--;
}

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) images = easel_library_fetch_finish (EASEL_LIBRARY (source), result, &error);

  if (images == NULL)
    g_error ("fetch: %s", error->message);
  bench->pending--;
}

static void
edit_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Bench *bench = user_data;

  bench->result = g_object_ref (result);
  bench->pending--;
}

typedef gboolean (*EditFinish) (EaselLibrary  *self,
                                GAsyncResult  *result,
                                GError       **error);

static void
finish_edit (Bench      *bench,
             EditFinish  finish,
             const char *label,
             gint64      start)
{
  g_autoptr(GError) error = NULL;

  wait_pending (bench);
  if (!finish (bench->library, bench->result, &error))
    g_error ("%s: %s", label, error->message);
  g_clear_object (&bench->result);
  g_print ("    %-36s %7.1f ms\n", label, elapsed_ms (start));
}

/* Times a search as the gallery makes it: count and first page together. */
static double
search (Bench       *bench,
        const char  *text,
        EaselSort    sort,
        gboolean     with_count,
        guint        offset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselQuery) query = easel_query_parse (text, &error);
  gint64 start;

  if (query == NULL)
    g_error ("“%s”: %s", text, error->message);
  easel_query_set_sort (query, sort);

  start = g_get_monotonic_time ();
  if (with_count)
    {
      bench->pending++;
      easel_library_count_async (bench->library, query, NULL, count_cb, bench);
    }
  bench->pending++;
  easel_library_fetch_async (bench->library, query, offset, PAGE, NULL, fetch_cb, bench);
  wait_pending (bench);
  return elapsed_ms (start);
}

static char *
typed_query (const char *filter,
             const char *word,
             guint       letters)
{
  g_autofree char *prefix = g_strndup (word, letters);

  return filter[0] != '\0' ? g_strconcat (filter, " ", prefix, NULL) : g_steal_pointer (&prefix);
}

/* Typing each word letter by letter with each filter. */
static void
bench_typing (Bench      *bench,
              const char *title)
{
  g_autoptr(GArray) all_page = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) all_both = g_array_new (FALSE, FALSE, sizeof (double));

  g_print ("  %s\n", title);
  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    {
      g_autoptr(GArray) page = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) both = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *label_page = NULL;
      g_autofree char *label_both = NULL;

      for (guint w = 0; w < G_N_ELEMENTS (words); w++)
        for (guint n = 1; n <= strlen (words[w]); n++)
          {
            g_autofree char *text = typed_query (filters[f], words[w], n);
            double t_page = search (bench, text, EASEL_SORT_NEWEST, FALSE, 0);
            double t_both = search (bench, text, EASEL_SORT_NEWEST, TRUE, 0);

            g_array_append_val (page, t_page);
            g_array_append_val (both, t_both);
            if (g_getenv ("EASEL_BENCH_VERBOSE") != NULL)
              g_print ("      %-32s page %6.2f ms, count + page %6.2f ms, %" G_GINT64_FORMAT " images\n",
                       text, t_page, t_both, bench->count);
          }
      g_array_append_vals (all_page, page->data, page->len);
      g_array_append_vals (all_both, both->data, both->len);
      label_page = g_strdup_printf ("first page, %s", filters[f][0] ? filters[f] : "text only");
      label_both = g_strdup_printf ("count + first page, %s", filters[f][0] ? filters[f] : "text only");
      print_samples (label_page, page);
      print_samples (label_both, both);
    }
  print_samples ("first page, all keystrokes", all_page);
  print_samples ("count + first page, all keystrokes", all_both);
}

/* The same keystrokes, capturing SQL and SQLite's own time, then through
 * the sqlite3 command line. */
static void
bench_cli_ratio (Bench      *bench,
                 const char *db_path)
{
  g_autofree char *sqlite3 = g_find_program_in_path ("sqlite3");
  Capture capture = { 0 };
  g_autoptr(GPtrArray) searches = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GArray) library_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) inside_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cli_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) script = g_string_new (".output /dev/null\n.timer on\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *script_path = NULL;
  g_auto(GStrv) lines = NULL;
  guint line = 0;
  int status;

  g_print ("  the same keystrokes (count + first page) through the sqlite3 command line\n");
  if (sqlite3 == NULL)
    {
      g_print ("    sqlite3 is not installed: no ratio (apt-get install sqlite3)\n");
      return;
    }

  g_mutex_init (&capture.mutex);
  easel_store_run_sync (bench->store, install_profile_func, &capture, NULL);
  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    for (guint w = 0; w < G_N_ELEMENTS (words); w++)
      for (guint n = 1; n <= strlen (words[w]); n++)
        {
          g_autofree char *text = typed_query (filters[f], words[w], n);
          double ms;

          g_mutex_lock (&capture.mutex);
          capture.on = TRUE;
          capture.statements = g_ptr_array_new_with_free_func (g_free);
          capture.nanoseconds = 0;
          g_mutex_unlock (&capture.mutex);

          ms = search (bench, text, EASEL_SORT_NEWEST, TRUE, 0);

          g_mutex_lock (&capture.mutex);
          capture.on = FALSE;
          g_ptr_array_add (searches, g_steal_pointer (&capture.statements));
          g_array_append_val (library_ms, ms);
          ms = capture.nanoseconds / 1e6;
          g_array_append_val (inside_ms, ms);
          g_mutex_unlock (&capture.mutex);
        }
  easel_store_run_sync (bench->store, install_profile_func, NULL, NULL);
  g_mutex_clear (&capture.mutex);

  for (guint i = 0; i < searches->len; i++)
    {
      GPtrArray *statements = g_ptr_array_index (searches, i);

      for (guint k = 0; k < statements->len; k++)
        g_string_append_printf (script, "%s;\n", (char *) g_ptr_array_index (statements, k));
    }
  script_path = g_strconcat (db_path, ".bench.sql", NULL);
  g_file_set_contents (script_path, script->str, script->len, &error);
  g_assert_no_error (error);

  {
    const char *argv[] = { sqlite3, "-bail", "-init", script_path, db_path, ".quit", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, &out, &err, &status,
                  &error);
  }
  g_unlink (script_path);
  if (error != NULL || !g_spawn_check_wait_status (status, NULL))
    {
      g_print ("    sqlite3 failed: %s\n", error != NULL ? error->message : err);
      return;
    }

  /* "Run Time: real 0.002 user 0.001531 sys 0.000000", one per statement */
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; i < searches->len; i++)
    {
      GPtrArray *statements = g_ptr_array_index (searches, i);
      double total = 0;

      for (guint k = 0; k < statements->len; k++)
        {
          double real, user, sys;

          while (lines[line] != NULL && sscanf (lines[line], "Run Time: real %lf user %lf sys %lf",
                                                &real, &user, &sys) != 3)
            line++;
          if (lines[line] == NULL)
            {
              g_print ("    could not read the timings of sqlite3\n");
              return;
            }
          line++;
          /* real has millisecond resolution; CPU time is finer and, with
           * everything in the page cache, the same thing. */
          total += MAX (real, user + sys) * 1000;
        }
      g_array_append_val (cli_ms, total);
    }

  print_samples ("library, count + first page", library_ms);
  print_samples ("inside SQLite (profile hook)", inside_ms);
  print_samples ("sqlite3 command line, same SQL", cli_ms);
  g_print ("    ratio library / sqlite3: p50 %.2f, p95 %.2f\n",
           percentile (library_ms, 0.5) / percentile (cli_ms, 0.5),
           percentile (library_ms, 0.95) / percentile (cli_ms, 0.95));
  g_print ("    (the sqlite3 figures include preparing each statement, as the library's do; the\n"
           "     library's also include the store thread round trip and making EaselImage objects)\n");
}

static void
bench_browse (Bench *bench)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) month_ago = g_date_time_add_months (now, -1);
  g_autoptr(GDateTime) two_months_ago = g_date_time_add_months (now, -2);
  g_autofree char *month = g_date_time_format (two_months_ago, "after:%Y-%m-%d");
  g_autofree char *month_end = g_date_time_format (month_ago, "before:%Y-%m-%d");
  g_autofree char *dates = g_strconcat (month, " ", month_end, NULL);
  const char * const texts[] = {
    "", "provider:midjourney", "model:flux-schnell", "fav:yes", "rating:>=4", "tag:wip", "job:777",
    "ar:16:9", "ar:portrait", dates, "provider:replicate fav:no rating:>=2",
  };
  static const char * const sorts[] = { "newest", "oldest", "rating" };

  g_print ("  count + first page without text (median of 5)\n");
  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    for (EaselSort sort = EASEL_SORT_NEWEST; sort <= EASEL_SORT_RATING; sort++)
      {
        g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
        g_autofree char *label = g_strdup_printf ("“%s” %s", texts[t], sorts[sort]);

        for (guint i = 0; i < 5; i++)
          {
            double ms = search (bench, texts[t], sort, TRUE, 0);

            g_array_append_val (samples, ms);
          }
        g_print ("    %-52s %6.2f ms  (%" G_GINT64_FORMAT " images)\n", label, percentile (samples, 0.5),
                 bench->count);
      }
}

static void
bench_deep (Bench *bench)
{
  static const struct { const char *text; EaselSort sort; guint offset; } cases[] = {
    { "", EASEL_SORT_NEWEST, 0 },
    { "", EASEL_SORT_NEWEST, 10000 },
    { "", EASEL_SORT_NEWEST, 50000 },
    { "", EASEL_SORT_NEWEST, 95000 },
    { "", EASEL_SORT_RATING, 50000 },
    { "", EASEL_SORT_OLDEST, 95000 },
    { "a", EASEL_SORT_NEWEST, 50000 },
    { "provider:replicate", EASEL_SORT_NEWEST, 50000 },
    { "li", EASEL_SORT_NEWEST, 10000 },
  };

  g_print ("  a page of %d at an offset (median of 5)\n", PAGE);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));

      for (guint i = 0; i < 5; i++)
        {
          double ms = search (bench, cases[c].text, cases[c].sort, FALSE, cases[c].offset);

          g_array_append_val (samples, ms);
        }
      g_print ("    “%s” %s at %6u %32s %6.2f ms\n", cases[c].text,
               cases[c].sort == EASEL_SORT_NEWEST ? "newest" : cases[c].sort == EASEL_SORT_OLDEST ? "oldest" : "rating",
               cases[c].offset, "", percentile (samples, 0.5));
    }
}

static void
position_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;

  bench->count = easel_library_position_finish (EASEL_LIBRARY (source), result, &error);
  if (error != NULL)
    g_error ("position: %s", error->message);
  bench->pending--;
}

static void
bench_position (Bench     *bench,
                GPtrArray *rows)
{
  static const char * const texts[] = { "", "a", "provider:replicate", "l fav:no" };

  g_print ("  position of an image in the results\n");
  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    for (guint which = 0; which < 2; which++)
      {
        g_autoptr(EaselQuery) query = easel_query_parse (texts[t], NULL);
        /* The last one saved, and one from the middle. */
        EaselTestImage *row = g_ptr_array_index (rows, which == 0 ? rows->len - 1 : rows->len / 2);
        gint64 start = g_get_monotonic_time ();

        bench->pending++;
        easel_library_position_async (bench->library, query, row->hash, NULL, position_cb, bench);
        wait_pending (bench);
        g_print ("    “%s”, %-6s image: %6.2f ms (position %" G_GINT64_FORMAT ")\n", texts[t],
                 which == 0 ? "newest" : "middle", elapsed_ms (start), bench->count);
      }
}

static void
bench_edits (Bench     *bench,
             GPtrArray *rows)
{
  g_autoptr(GPtrArray) hashes = g_ptr_array_new ();
  gint64 start;

  for (guint i = 0; i < 1000; i++)
    g_ptr_array_add (hashes, ((EaselTestImage *) g_ptr_array_index (rows, i * 97 % rows->len))->hash);
  g_ptr_array_add (hashes, NULL);

  g_print ("  edits of 1,000 images in one call\n");
  start = g_get_monotonic_time ();
  bench->pending++;
  easel_library_set_rating_async (bench->library, (const char * const *) hashes->pdata, 5, NULL,
                                  edit_cb, bench);
  finish_edit (bench, easel_library_set_rating_finish, "rate", start);

  start = g_get_monotonic_time ();
  bench->pending++;
  easel_library_add_tag_async (bench->library, (const char * const *) hashes->pdata, "benchmark", NULL,
                               edit_cb, bench);
  finish_edit (bench, easel_library_add_tag_finish, "tag (re-indexes their text)", start);

  start = g_get_monotonic_time ();
  bench->pending++;
  easel_library_set_trashed_async (bench->library, (const char * const *) hashes->pdata, TRUE, NULL,
                                   edit_cb, bench);
  finish_edit (bench, easel_library_set_trashed_finish, "move to the trash", start);

  start = g_get_monotonic_time ();
  bench->pending++;
  easel_library_set_trashed_async (bench->library, (const char * const *) hashes->pdata, FALSE, NULL,
                                   edit_cb, bench);
  finish_edit (bench, easel_library_set_trashed_finish, "restore (undo)", start);

  start = g_get_monotonic_time ();
  bench->pending++;
  easel_library_remove_tag_async (bench->library, (const char * const *) hashes->pdata, "benchmark", NULL,
                                  edit_cb, bench);
  finish_edit (bench, easel_library_remove_tag_finish, "untag", start);
}

static gpointer
sizes_func (EaselDb   *db,
            gpointer   data,
            GError   **error)
{
  GString *text = data;
  sqlite3_stmt *stmt = easel_db_prepare (db, "SELECT CASE WHEN name LIKE 'images_fts%' THEN 'images_fts' "
                                             "ELSE 'other' END, sum (pgsize) FROM dbstat GROUP BY 1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = easel_db_step (db, stmt, error)) == SQLITE_ROW)
    g_string_append_printf (text, " %s %.1f MB", sqlite3_column_text (stmt, 0),
                            sqlite3_column_int64 (stmt, 1) / 1048576.0);
  return rc == SQLITE_DONE ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
bench_open (Bench       *bench,
            const char  *db_path,
            const char  *root)
{
  g_autoptr(GError) error = NULL;

  bench->store = easel_store_new (db_path);
  if (!easel_store_open_sync (bench->store, &error))
    g_error ("%s", error->message);
  bench->images = easel_image_store_new (root);
  bench->library = easel_library_new (bench->store, bench->images);
}

static void
bench_close (Bench *bench)
{
  g_clear_object (&bench->library);
  easel_store_close (bench->store);
  g_clear_object (&bench->store);
  g_clear_object (&bench->images);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("easel-bench-library-XXXXXX", &error);
  g_autofree char *db_path = NULL;
  g_autofree char *root = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GString) sizes = g_string_new (NULL);
  Bench bench = { 0 };
  gint64 now = g_get_real_time ();
  gint64 year = G_GINT64_CONSTANT (365) * 24 * 3600 * G_USEC_PER_SEC;
  gint64 start;
  GStatBuf buf;

  if (dir == NULL)
    {
      g_printerr ("bench-library: %s\n", error->message);
      return EXIT_FAILURE;
    }
  db_path = g_build_filename (dir, "easel.db", NULL);
  root = g_build_filename (dir, "images", NULL);

  g_print ("Library benchmark: %d images, SQLite %s, %s\n", N_IMAGES, sqlite3_libversion (), db_path);

  start = g_get_monotonic_time ();
  rows = easel_test_images_generate (N_IMAGES, SEED, now - year, year);
  g_print ("  generated the rows in %.2f s\n", elapsed_ms (start) / 1000);

  bench_open (&bench, db_path, root);
  start = g_get_monotonic_time ();
  if (easel_store_run_sync (bench.store, easel_test_images_insert_func, rows, &error) == NULL)
    g_error ("%s", error->message);
  g_print ("  inserted them with tags and the full-text index in one transaction: %.2f s, %.0f images/s\n",
           elapsed_ms (start) / 1000, N_IMAGES / (elapsed_ms (start) / 1000));
  easel_store_run_sync (bench.store, sizes_func, sizes, NULL);
  g_stat (db_path, &buf);
  g_print ("  database %.1f MB:%s\n", buf.st_size / 1048576.0, sizes->str);

  bench_typing (&bench, "typing, letter by letter (each keystroke a new search; no statistics yet)");
  bench_cli_ratio (&bench, db_path);
  bench_browse (&bench);
  bench_deep (&bench);
  bench_position (&bench, rows);
  bench_edits (&bench, rows);

  /* Closing runs PRAGMA optimize: SQLite may now plan with statistics. */
  bench_close (&bench);
  bench_open (&bench, db_path, root);
  bench_typing (&bench, "typing again after closing and opening the store (PRAGMA optimize ran)");
  bench_close (&bench);

  easel_test_remove_tree (dir);
  return EXIT_SUCCESS;
}
