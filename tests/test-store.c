/* test-store.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* EaselStore and EaselDb against real database files in a temporary
 * folder: opening, the order work runs in, errors, migrations from every
 * earlier schema version, files that must be left alone, the schema's
 * constraints, closing, threads, and a main loop that keeps running while
 * the store works. Waiting is done by spinning the main context until a
 * condition holds, with a deadline; nothing sleeps on the main thread. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "easel-store.h"
#include "easel-test-async.h"
#include "easel-test-dirs.h"


/* Helpers */

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    {
      g_unlink (path);
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names in @path, sorted and joined with spaces. */
static char *
list_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, (char *) name);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* Store functions used by many tests */

static gpointer
exec_func (EaselDb   *db,
           gpointer   data,
           GError   **error)
{
  return easel_db_exec (db, data, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/* Prepares and steps one statement, so errors come through easel_db_step. */
static gpointer
step_func (EaselDb   *db,
           gpointer   data,
           GError   **error)
{
  sqlite3_stmt *stmt = easel_db_prepare (db, data, error);

  if (stmt == NULL || easel_db_step (db, stmt, error) < 0)
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

/* The first column of the first row, as a newly allocated gint64. */
static gpointer
int_func (EaselDb   *db,
          gpointer   data,
          GError   **error)
{
  sqlite3_stmt *stmt = easel_db_prepare (db, data, error);
  gint64 *value;
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = easel_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;
  value = g_new0 (gint64, 1);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int64 (stmt, 0);
  return value;
}

static gpointer
text_func (EaselDb   *db,
           gpointer   data,
           GError   **error)
{
  sqlite3_stmt *stmt = easel_db_prepare (db, data, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = easel_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_DONE)
    return g_strdup ("");
  return easel_db_column_text_dup (stmt, 0);
}

static void
store_exec (EaselStore *store,
            const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (easel_store_run_sync (store, exec_func, (gpointer) sql, &error));
  g_assert_no_error (error);
}

static gint64
store_int (EaselStore *store,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *value = easel_store_run_sync (store, int_func, (gpointer) sql, &error);

  g_assert_no_error (error);
  g_assert_nonnull (value);
  return *value;
}

static char *
store_text (EaselStore *store,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  char *text = easel_store_run_sync (store, text_func, (gpointer) sql, &error);

  g_assert_no_error (error);
  return text;
}

static char *
read_file (const char *path,
           gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

/* A job, an image of it, an output and an estimate, all with id 1. */
#define SEED_HASH "8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4"
#define SEED_SQL \
  "INSERT INTO jobs (id, uuid, provider, model, spec, state, created_at, updated_at) " \
  "  VALUES (1, 'seed', 'replicate', 'flux-schnell', '{}', 'succeeded', 1, 2);" \
  "INSERT INTO images (hash, path, width, height, mime, bytes, created_at, job_id) " \
  "  VALUES ('" SEED_HASH "', '8f/" SEED_HASH ".png', 64, 64, 'image/png', 100, 3, 1);" \
  "INSERT INTO job_outputs (job_id, position, url, image_hash, state) " \
  "  VALUES (1, 0, 'https://example.com/0.png', '" SEED_HASH "', 'done');" \
  "INSERT INTO ledger (job_id, provider, kind, micros, at) " \
  "  VALUES (1, 'replicate', 'estimate', 3000, 1);"

typedef struct
{
  char       *dir;
  char       *path;
  EaselStore *store;
} Fixture;

static void
fixture_init (Fixture  *f,
              gboolean  open)
{
  g_autoptr(GError) error = NULL;

  f->dir = easel_test_make_dir ("easel-store");
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "easel.db", NULL);
  f->store = easel_store_new (f->path);

  if (open)
    {
      g_assert_true (easel_store_open_sync (f->store, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_clear (Fixture *f)
{
  if (f->store != NULL)
    {
      easel_store_close (f->store);
      g_assert_finalize_object (g_steal_pointer (&f->store));
    }
  rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->path, g_free);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  fixture_init (f, TRUE);
}

static void
fixture_setup_closed (Fixture       *f,
                      gconstpointer  data)
{
  fixture_init (f, FALSE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  fixture_clear (f);
}

/* Opening */

static void
test_store_open (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *journal_mode = NULL;
  int latest = easel_store_get_n_migrations ();

  g_assert_cmpint (latest, >=, 1);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (easel_store_get_path (f->store), ==, f->path);
  g_assert_cmpint (easel_store_get_schema_version (f->store), ==, latest);

  journal_mode = store_text (f->store, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");
  g_assert_cmpint (store_int (f->store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (store_int (f->store, "PRAGMA synchronous"), ==, 1); /* NORMAL */
  g_assert_cmpint (store_int (f->store, "PRAGMA busy_timeout"), >, 0);
  g_assert_cmpint (store_int (f->store, "PRAGMA user_version"), ==, latest);
  g_assert_cmpint (store_int (f->store,
                              "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                              "('jobs', 'job_outputs', 'images', 'ledger', 'meta')"), ==, 5);

  /* Opening an open store is a no-op. */
  g_assert_true (easel_store_open_sync (f->store, &error));
  g_assert_no_error (error);

  /* And it opens again, at the same version, with what was written. */
  store_exec (f->store, SEED_SQL);
  easel_store_close (f->store);
  g_assert_finalize_object (g_steal_pointer (&f->store));

  f->store = easel_store_new (f->path);
  g_assert_cmpint (easel_store_get_schema_version (f->store), ==, 0);
  g_assert_true (easel_store_open_sync (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (easel_store_get_schema_version (f->store), ==, latest);
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM jobs WHERE uuid = 'seed'"), ==, 1);
}

static void
test_store_open_default_path (void)
{
  g_autoptr(EaselStore) store = easel_store_new (NULL);
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "easel", "easel.db", NULL);
  g_autofree char *dir = g_path_get_dirname (expected);
  g_autoptr(GError) error = NULL;
  GStatBuf buf;

  g_assert_cmpstr (easel_store_get_path (store), ==, expected);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));

  g_assert_true (easel_store_open_sync (store, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (dir, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0700);

  easel_store_close (store);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static gpointer
insert_meta_func (EaselDb   *db,
                  gpointer   data,
                  GError   **error)
{
  sqlite3_stmt *stmt = easel_db_prepare (db, "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                                         error);

  if (stmt == NULL)
    return NULL;
  easel_db_bind_text (stmt, 1, data);
  easel_db_bind_text (stmt, 2, "value");
  if (easel_db_step (db, stmt, error) != SQLITE_DONE)
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
test_store_open_async (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  EaselTestWait open_wait = { 0 };
  EaselTestWait run_wait = { 0 };

  easel_store_open_async (f->store, NULL, easel_test_wait_cb, &open_wait);
  /* Queued behind the open, so it finds the database open. */
  easel_store_run_async (f->store, insert_meta_func, (gpointer) "after-open", NULL,
                         NULL, easel_test_wait_cb, &run_wait);
  g_assert_false (open_wait.done);

  easel_test_wait_for (&open_wait.done);
  g_assert_true (easel_store_open_finish (f->store, open_wait.result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (easel_store_get_schema_version (f->store), ==, easel_store_get_n_migrations ());

  easel_test_wait_for (&run_wait.done);
  g_assert_nonnull (easel_store_run_finish (f->store, run_wait.result, &error));
  g_assert_no_error (error);

  easel_test_wait_clear (&open_wait);
  easel_test_wait_clear (&run_wait);
}

static void
test_store_not_open (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (easel_store_run_sync (f->store, exec_func, (gpointer) "SELECT 1", &error));
  g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_FAILED);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

/* Order */

typedef struct
{
  GArray *order;      /* written on the worker only */
  guint   index;
} OrderItem;

static gpointer
record_order_func (EaselDb   *db,
                   gpointer   data,
                   GError   **error)
{
  OrderItem *item = data;

  g_array_append_val (item->order, item->index);
  return GINT_TO_POINTER (TRUE);
}

typedef struct
{
  guint n_done;
  guint n_expected;
  guint n_failed;
  gboolean all_done;
} Counter;

static void
counter_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Counter *counter = user_data;
  g_autoptr(GError) error = NULL;

  if (easel_store_run_finish (EASEL_STORE (source), result, &error) == NULL)
    counter->n_failed++;
  counter->n_done++;
  counter->all_done = counter->n_done == counter->n_expected;
}

static void
test_store_fifo (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  EaselTestWait write_wait = { 0 };
  EaselTestWait read_wait = { 0 };
  Counter counter = { .n_expected = 200 };
  g_autofree gint64 *count = NULL;

  /* A write then a read, submitted together: the read sees the write. */
  easel_store_run_async (f->store, insert_meta_func, (gpointer) "fifo", NULL,
                         NULL, easel_test_wait_cb, &write_wait);
  easel_store_run_full_async (f->store, int_func,
                              (gpointer) "SELECT count(*) FROM meta WHERE key = 'fifo'", NULL,
                              g_free, NULL, easel_test_wait_cb, &read_wait);
  easel_test_wait_for (&read_wait.done);
  count = easel_store_run_finish (f->store, read_wait.result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (*count, ==, 1);
  easel_test_wait_for (&write_wait.done);

  /* Many items run in exactly the order they were submitted. */
  for (guint i = 0; i < counter.n_expected; i++)
    {
      OrderItem *item = g_new0 (OrderItem, 1);

      item->order = order;
      item->index = i;
      easel_store_run_async (f->store, record_order_func, item, g_free,
                             NULL, counter_cb, &counter);
    }
  easel_test_wait_for (&counter.all_done);
  g_assert_cmpuint (counter.n_failed, ==, 0);
  g_assert_cmpuint (order->len, ==, counter.n_expected);
  for (guint i = 0; i < order->len; i++)
    g_assert_cmpuint (g_array_index (order, guint, i), ==, i);

  easel_test_wait_clear (&write_wait);
  easel_test_wait_clear (&read_wait);
}

static void
test_store_sync_between_async (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  EaselTestWait first = { 0 };
  EaselTestWait last = { 0 };

  easel_store_run_async (f->store, insert_meta_func, (gpointer) "first", NULL,
                         NULL, easel_test_wait_cb, &first);
  /* Goes through the same queue, so it sees the first write... */
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM meta"), ==, 1);
  /* ...whose callback comes only when the main context runs again. */
  g_assert_false (first.done);

  easel_store_run_async (f->store, insert_meta_func, (gpointer) "last", NULL,
                         NULL, easel_test_wait_cb, &last);
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM meta"), ==, 2);

  easel_test_wait_for (&first.done);
  easel_test_wait_for (&last.done);
  g_assert_nonnull (easel_store_run_finish (f->store, first.result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (easel_store_run_finish (f->store, last.result, &error));
  g_assert_no_error (error);

  easel_test_wait_clear (&first);
  easel_test_wait_clear (&last);
}

/* Errors */

typedef struct
{
  const char      *name;
  const char      *setup;     /* run first, must succeed */
  const char      *sql;       /* one statement that must fail */
  EaselStoreError  code;
  const char      *prefix;    /* the user-facing start of the message */
  const char      *detail;    /* SQLite's words, at the end */
} ErrorCase;

#define REFUSED "The library database refused the change"
#define REPORTED "The library database reported an error"

static const ErrorCase error_cases[] = {
  { "duplicate uuid", NULL,
    "INSERT INTO jobs (uuid, provider, model, spec, state, created_at, updated_at) "
    "VALUES ('seed', 'replicate', 'm', '{}', 'queued', 1, 1)",
    EASEL_STORE_ERROR_CONSTRAINT, REFUSED,
    "UNIQUE constraint failed: jobs.uuid" },
  { "job state", NULL,
    "INSERT INTO jobs (uuid, provider, model, spec, state, created_at, updated_at) "
    "VALUES ('new', 'replicate', 'm', '{}', 'exploded', 1, 1)",
    EASEL_STORE_ERROR_CONSTRAINT, REFUSED,
    "CHECK constraint failed: job_state" },
  { "job state update", NULL,
    "UPDATE jobs SET state = 'done' WHERE id = 1",
    EASEL_STORE_ERROR_CONSTRAINT, REFUSED,
    "CHECK constraint failed: job_state" },
  { "job without spec", NULL,
    "INSERT INTO jobs (uuid, provider, model, state, created_at, updated_at) "
    "VALUES ('new', 'replicate', 'm', 'queued', 1, 1)",
    EASEL_STORE_ERROR_CONSTRAINT, REFUSED,
    "NOT NULL constraint failed: jobs.spec" },
  { "rating above 5", NULL,
    "UPDATE images SET rating = 6",
    EASEL_STORE_ERROR_CONSTRAINT, REFUSED,
    "CHECK constraint failed: image_rating" },
  { "rating below 0", NULL,
    "UPDATE images SET rating = -1",
    EASEL_STORE_ERROR_CONSTRAINT, REFUSED,
    "CHECK constraint failed: image_rating" },
  { "image hash", NULL,
    "INSERT INTO images (hash, path, width, height, mime, bytes, created_at) "
    "VALUES ('ABC', 'a.png', 1, 1, 'image/png', 1, 1)",
    EASEL_STORE_ERROR_CONSTRAINT, REFUSED,
    "CHECK constraint failed: image_hash_sha256" },
  { "output state", NULL,
    "UPDATE job_outputs SET state = 'lost'",
    EASEL_STORE_ERROR_CONSTRAINT, REFUSED,
    "CHECK constraint failed: job_output_state" },
  { "ledger kind", NULL,
    "INSERT INTO ledger (job_id, provider, kind, micros, at) "
    "VALUES (1, 'replicate', 'refund', 1, 1)",
    EASEL_STORE_ERROR_CONSTRAINT, REFUSED,
    "CHECK constraint failed: ledger_kind" },
  { "second estimate", NULL,
    "INSERT INTO ledger (job_id, provider, kind, micros, at) "
    "VALUES (1, 'replicate', 'estimate', 1, 1)",
    EASEL_STORE_ERROR_CONSTRAINT, REFUSED, "UNIQUE constraint failed" },
  { "foreign key", NULL,
    "INSERT INTO job_outputs (job_id, position, url) VALUES (999, 0, 'https://example.com/x.png')",
    EASEL_STORE_ERROR_CONSTRAINT, REFUSED,
    "FOREIGN KEY constraint failed" },
  { "syntax", NULL,
    "SELEC 1",
    EASEL_STORE_ERROR_FAILED, REPORTED, "syntax error" },
  { "no such table", NULL,
    "SELECT * FROM no_such_table",
    EASEL_STORE_ERROR_FAILED, REPORTED, "no such table: no_such_table" },
  { "two statements", NULL,
    "SELECT 1; SELECT 2",
    EASEL_STORE_ERROR_FAILED, "Expected exactly one SQL statement", "SELECT 2" },
  { "read-only", "PRAGMA query_only = 1",
    "INSERT INTO meta (key, value) VALUES ('k', 'v')",
    EASEL_STORE_ERROR_READONLY, "The library database cannot be written", "readonly database" },
  { "disk full", "PRAGMA max_page_count = 1",
    "INSERT INTO meta (key, value) VALUES ('big', randomblob (1000000))",
    EASEL_STORE_ERROR_FULL, "The disk is full", "database or disk is full" },
};

static void
check_error_case (const ErrorCase *c,
                  const GError    *error)
{
  g_test_message ("%s: %s", c->name, error ? error->message : "no error");
  g_assert_error (error, EASEL_STORE_ERROR, (int) c->code);
  g_assert_true (g_str_has_prefix (error->message, c->prefix));
  g_assert_nonnull (strstr (error->message, c->detail));
}

static void
test_store_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) sync_error = NULL;
      Fixture f = { 0 };
      EaselTestWait wait = { 0 };

      fixture_init (&f, TRUE);
      store_exec (f.store, SEED_SQL);
      if (c->setup != NULL)
        store_exec (f.store, c->setup);

      /* Through the asynchronous path... */
      easel_store_run_async (f.store, step_func, (gpointer) c->sql, NULL,
                             NULL, easel_test_wait_cb, &wait);
      easel_test_wait_for (&wait.done);
      g_assert_null (easel_store_run_finish (f.store, wait.result, &error));
      check_error_case (c, error);

      /* ...and the blocking one. */
      g_assert_null (easel_store_run_sync (f.store, step_func, (gpointer) c->sql, &sync_error));
      check_error_case (c, sync_error);

      /* The failed statement changed nothing. */
      g_assert_cmpint (store_int (f.store, "SELECT count(*) FROM jobs"), ==, 1);
      g_assert_cmpint (store_int (f.store, "SELECT count(*) FROM ledger"), ==, 1);

      easel_test_wait_clear (&wait);
      fixture_clear (&f);
    }
}

static gpointer
begin_without_waiting_func (EaselDb   *db,
                            gpointer   data,
                            GError   **error)
{
  if (!easel_db_exec (db, "PRAGMA busy_timeout = 0", error) || !easel_db_begin (db, error))
    return NULL;
  easel_db_rollback (db);
  return GINT_TO_POINTER (TRUE);
}

static void
test_store_busy (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *other = NULL;

  /* Another process holds the write lock. */
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_null (easel_store_run_sync (f->store, begin_without_waiting_func, NULL, &error));
  g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_BUSY);
  g_assert_true (g_str_has_prefix (error->message, "The library database is locked"));
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (other), ==, SQLITE_OK);

  g_assert_nonnull (easel_store_run_sync (f->store, begin_without_waiting_func, NULL, &error));
  g_assert_no_error (error);
}

static gpointer
statement_cache_func (EaselDb   *db,
                      gpointer   data,
                      GError   **error)
{
  const char *sql = "SELECT ?1";
  sqlite3_stmt *stmt = easel_db_prepare (db, sql, error);
  sqlite3_stmt *again;
  GError *local_error = NULL;

  g_assert_nonnull (stmt);
  easel_db_bind_int64 (stmt, 1, 42);
  g_assert_cmpint (easel_db_step (db, stmt, error), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, 42);

  /* The same SQL gives the same statement, reset, without bindings. */
  again = easel_db_prepare (db, sql, error);
  g_assert_true (again == stmt);
  g_assert_cmpint (easel_db_step (db, again, error), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_type (again, 0), ==, SQLITE_NULL);

  /* A failed bind fails the next step instead of running without it. */
  stmt = easel_db_prepare (db, sql, error);
  easel_db_bind_text (stmt, 9, "nowhere");
  g_assert_cmpint (easel_db_step (db, stmt, &local_error), ==, -1);
  g_assert_error (local_error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (local_error->message, "Parameter 9"));
  g_clear_error (&local_error);

  /* The statement is usable again afterwards. */
  stmt = easel_db_prepare (db, sql, error);
  easel_db_bind_double (stmt, 1, 0.5);
  g_assert_cmpint (easel_db_step (db, stmt, error), ==, SQLITE_ROW);
  g_assert_cmpfloat (sqlite3_column_double (stmt, 0), ==, 0.5);

  stmt = easel_db_prepare (db, sql, error);
  easel_db_bind_text (stmt, 1, "text with 'quotes'; DROP TABLE jobs; --");
  g_assert_cmpint (easel_db_step (db, stmt, error), ==, SQLITE_ROW);
  {
    g_autofree char *text = easel_db_column_text_dup (stmt, 0);

    g_assert_cmpstr (text, ==, "text with 'quotes'; DROP TABLE jobs; --");
  }

  stmt = easel_db_prepare (db, sql, error);
  easel_db_bind_null (stmt, 1);
  g_assert_cmpint (easel_db_step (db, stmt, error), ==, SQLITE_ROW);
  g_assert_null (easel_db_column_text_dup (stmt, 0));

  /* Left on a row: released after the item, so it holds no snapshot. */
  stmt = easel_db_prepare (db, "SELECT id FROM jobs", error);
  g_assert_cmpint (easel_db_step (db, stmt, error), ==, SQLITE_ROW);
  return stmt;
}

static gpointer
statement_busy_func (EaselDb   *db,
                     gpointer   data,
                     GError   **error)
{
  return GINT_TO_POINTER (sqlite3_stmt_busy (data) ? 2 : 1);
}

static void
test_store_statements (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gpointer stmt;

  store_exec (f->store, SEED_SQL);
  stmt = easel_store_run_sync (f->store, statement_cache_func, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stmt);
  g_assert_true (easel_store_run_sync (f->store, statement_busy_func, stmt, &error) ==
                 GINT_TO_POINTER (1));
  g_assert_no_error (error);
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM jobs"), ==, 1);
}

static gpointer
fail_in_transaction_func (EaselDb   *db,
                          gpointer   data,
                          GError   **error)
{
  if (!easel_db_begin (db, error) ||
      !easel_db_exec (db, "INSERT INTO meta (key, value) VALUES ('half-done', 'x')", error))
    return NULL;
  g_set_error_literal (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_NOT_FOUND, "On purpose");
  return NULL;
}

static void
test_store_rollback_on_error (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (easel_store_run_sync (f->store, fail_in_transaction_func, NULL, &error));
  g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_NOT_FOUND);

  /* Rolled back, and no transaction is left for the next item. */
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM meta WHERE key = 'half-done'"),
                   ==, 0);
  store_exec (f->store, "BEGIN IMMEDIATE; INSERT INTO meta (key) VALUES ('next'); COMMIT");
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM meta WHERE key = 'next'"), ==, 1);
}

/* Migrations */

typedef struct
{
  int         since;      /* the schema version that has the table */
  const char *insert;
  const char *check;      /* must count exactly one row */
} Sample;

static const Sample samples[] = {
  { 1,
    "INSERT INTO jobs (id, uuid, batch, provider, account, model, prompt, spec, state, remote_id, "
    "  buttons, created_at, updated_at) "
    "VALUES (1, 'sample-job', 'b1', 'midjourney', 'main', 'v7', 'a fox', '{\"prompt\":\"a fox\"}', "
    "  'succeeded', 'r-1', '[\"U1\"]', 10, 20)",
    "SELECT count(*) FROM jobs WHERE uuid = 'sample-job' AND state = 'succeeded' "
    "AND prompt = 'a fox' AND buttons = '[\"U1\"]'" },
  { 1,
    "INSERT INTO jobs (id, uuid, provider, model, spec, state, parent_id, action, created_at, "
    "  updated_at) "
    "VALUES (2, 'sample-child', 'midjourney', 'v7', '{}', 'queued', 1, 'U1', 11, 21)",
    "SELECT count(*) FROM jobs WHERE uuid = 'sample-child' AND parent_id = 1" },
  { 1,
    "INSERT INTO images (hash, path, width, height, mime, bytes, created_at, job_id, prompt, "
    "  rating, favourite) "
    "VALUES ('" SEED_HASH "', 'x.png', 64, 32, 'image/png', 100, 30, 1, 'a fox', 4, 1)",
    "SELECT count(*) FROM images WHERE hash = '" SEED_HASH "' AND rating = 4 AND job_id = 1" },
  { 1,
    "INSERT INTO job_outputs (job_id, position, url, image_hash, state) "
    "VALUES (1, 0, 'https://example.com/0.png', '" SEED_HASH "', 'done')",
    "SELECT count(*) FROM job_outputs WHERE job_id = 1 AND image_hash = '" SEED_HASH "'" },
  { 1,
    "INSERT INTO ledger (job_id, provider, account, kind, micros, exact, basis, at) "
    "VALUES (1, 'midjourney', 'main', 'actual', 40000, 1, 'relax', 40)",
    "SELECT count(*) FROM ledger WHERE job_id = 1 AND micros = 40000" },
  { 4,
    "INSERT INTO accounts (name, provider, is_default, max_jobs, created_at) "
    "VALUES ('work', 'replicate', 1, 2, 50)",
    "SELECT count(*) FROM accounts WHERE name = 'WORK' AND provider = 'replicate' AND is_default = 1" },
  { 1,
    "INSERT INTO meta (key, value) VALUES ('sample', 'kept')",
    "SELECT count(*) FROM meta WHERE key = 'sample' AND value = 'kept'" },
};

static gint64
db_int (EaselDb    *db,
        const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = easel_db_prepare (db, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpint (easel_db_step (db, stmt, &error), ==, SQLITE_ROW);
  g_assert_no_error (error);
  return sqlite3_column_int64 (stmt, 0);
}

static void
test_store_migrations (void)
{
  int latest = easel_store_get_n_migrations ();

  /* Every earlier version, and the latest (a plain re-open). */
  for (int version = 0; version <= latest; version++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EaselDb) db = NULL;
      Fixture f = { 0 };
      EaselTestWait wait = { 0 };

      g_test_message ("From version %d", version);
      fixture_init (&f, FALSE);

      db = easel_db_open (f.path, &error);
      g_assert_no_error (error);
      g_assert_true (easel_store_migrate_to (db, version, &error));
      g_assert_no_error (error);
      g_assert_cmpint (db_int (db, "PRAGMA user_version"), ==, version);
      for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
        if (samples[i].since <= version)
          {
            g_assert_true (easel_db_exec (db, samples[i].insert, &error));
            g_assert_no_error (error);
          }
      g_clear_pointer (&db, easel_db_free);

      g_assert_true (easel_store_open_sync (f.store, &error));
      g_assert_no_error (error);
      g_assert_cmpint (easel_store_get_schema_version (f.store), ==, latest);
      g_assert_cmpint (store_int (f.store, "PRAGMA user_version"), ==, latest);
      for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
        if (samples[i].since <= version)
          g_assert_cmpint (store_int (f.store, samples[i].check), ==, 1);

      easel_store_check_integrity_async (f.store, NULL, easel_test_wait_cb, &wait);
      easel_test_wait_for (&wait.done);
      g_assert_true (easel_store_check_integrity_finish (f.store, wait.result, &error));
      g_assert_no_error (error);

      easel_test_wait_clear (&wait);
      fixture_clear (&f);
    }
}

/* Files that must be left alone */

typedef struct
{
  const char *name;
  const char *journal_mode;
} TooNewCase;

static void
test_store_too_new (void)
{
  static const TooNewCase cases[] = {
    { "rollback journal", "DELETE" },
    { "write-ahead log", "WAL" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EaselDb) db = NULL;
      g_autofree char *script = NULL;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      g_autofree char *listing = NULL;
      gsize before_length, after_length;
      Fixture f = { 0 };

      g_test_message ("%s", cases[i].name);
      fixture_init (&f, FALSE);

      /* A database from a future Easel, made with SQLite directly. */
      script = g_strdup_printf ("PRAGMA journal_mode = %s;"
                                "CREATE TABLE jobs (id INTEGER PRIMARY KEY, future TEXT);"
                                "INSERT INTO jobs (future) VALUES ('keep me');"
                                "PRAGMA user_version = %u;",
                                cases[i].journal_mode, easel_store_get_n_migrations () + 1);
      {
        sqlite3 *raw = NULL;

        g_assert_cmpint (sqlite3_open (f.path, &raw), ==, SQLITE_OK);
        g_assert_cmpint (sqlite3_exec (raw, script, NULL, NULL, NULL), ==, SQLITE_OK);
        g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);
      }
      before = read_file (f.path, &before_length);

      g_assert_false (easel_store_open_sync (f.store, &error));
      g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_TOO_NEW);
      g_assert_nonnull (strstr (error->message, f.path));
      g_clear_error (&error);
      g_assert_cmpint (easel_store_get_schema_version (f.store), ==, 0);

      /* Work fails; it does not reach the file. */
      g_assert_null (easel_store_run_sync (f.store, exec_func,
                                           (gpointer) "DELETE FROM jobs", &error));
      g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_FAILED);
      g_clear_error (&error);

      easel_store_close (f.store);
      after = read_file (f.path, &after_length);
      g_assert_cmpmem (before, before_length, after, after_length);
      listing = list_dir (f.dir);
      g_assert_cmpstr (listing, ==, "easel.db");

      /* Migrating by hand refuses it too. */
      db = easel_db_open (f.path, &error);
      g_assert_no_error (error);
      g_assert_false (easel_store_migrate_to (db, easel_store_get_n_migrations (), &error));
      g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_TOO_NEW);
      g_clear_pointer (&db, easel_db_free);

      fixture_clear (&f);
    }
}

typedef struct
{
  const char *name;
  gsize       length;
  guint8      first_bytes[24];  /* then a deterministic pattern up to length */
} GarbageCase;

static void
test_store_corrupt (void)
{
  static const GarbageCase cases[] = {
    { "text", 23, "this is not a database\n" },
    { "random bytes", 4096, { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' } },
    { "damaged header", 1024, "SQLite format 3" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *contents = g_malloc (cases[i].length);
      g_autofree char *after = NULL;
      g_autofree char *listing = NULL;
      g_autoptr(GRand) rand = g_rand_new_with_seed (i + 1);
      gsize after_length;
      Fixture f = { 0 };

      g_test_message ("%s", cases[i].name);
      fixture_init (&f, FALSE);

      for (gsize j = 0; j < cases[i].length; j++)
        contents[j] = j < sizeof cases[i].first_bytes && cases[i].first_bytes[j] != 0
                      ? cases[i].first_bytes[j] : (guint8) g_rand_int (rand);
      /* "SQLite format 3\0" is the real magic: keep its terminating NUL. */
      if (cases[i].first_bytes[0] == 'S')
        contents[15] = 0;
      g_file_set_contents (f.path, (const char *) contents, cases[i].length, &error);
      g_assert_no_error (error);

      g_assert_false (easel_store_open_sync (f.store, &error));
      g_test_message ("%s", error->message);
      g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_CORRUPT);
      g_assert_nonnull (strstr (error->message, f.path));
      g_clear_error (&error);

      easel_store_close (f.store);
      after = read_file (f.path, &after_length);
      g_assert_cmpmem (contents, cases[i].length, after, after_length);
      listing = list_dir (f.dir);
      g_assert_cmpstr (listing, ==, "easel.db");

      fixture_clear (&f);
    }
}

static void
test_store_empty_file (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* An empty file is an empty database to SQLite: it becomes a library. */
  g_file_set_contents (f->path, "", 0, &error);
  g_assert_no_error (error);
  g_assert_true (easel_store_open_sync (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (easel_store_get_schema_version (f->store), ==, easel_store_get_n_migrations ());
}

/* The schema */

static void
test_store_cascade (Fixture       *f,
                    gconstpointer  data)
{
  store_exec (f->store, SEED_SQL);
  store_exec (f->store,
              "INSERT INTO job_outputs (job_id, position, url) "
              "  VALUES (1, 1, 'https://example.com/1.png');"
              "INSERT INTO jobs (id, uuid, provider, model, spec, state, parent_id, retry_of, "
              "  created_at, updated_at) "
              "  VALUES (2, 'child', 'midjourney', 'v7', '{}', 'queued', 1, 1, 5, 5);"
              "INSERT INTO job_outputs (job_id, position, url, image_hash) "
              "  VALUES (2, 0, 'https://example.com/2.png', '" SEED_HASH "');"
              "INSERT INTO ledger (job_id, provider, kind, micros, at) "
              "  VALUES (1, 'replicate', 'actual', 2500, 9);");
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM job_outputs WHERE job_id = 1"),
                   ==, 2);

  store_exec (f->store, "DELETE FROM jobs WHERE id = 1");

  /* The job's outputs go with it... */
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM job_outputs WHERE job_id = 1"),
                   ==, 0);
  /* ...what it made and what it cost stay, without it. */
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM images WHERE job_id IS NULL"), ==, 1);
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM ledger WHERE job_id IS NULL"), ==, 2);
  g_assert_cmpint (store_int (f->store,
                              "SELECT count(*) FROM jobs WHERE id = 2 AND parent_id IS NULL "
                              "AND retry_of IS NULL"), ==, 1);

  /* Deleting an image leaves the output that made it, without it. */
  store_exec (f->store, "DELETE FROM images");
  g_assert_cmpint (store_int (f->store,
                              "SELECT count(*) FROM job_outputs WHERE job_id = 2 "
                              "AND image_hash IS NULL"), ==, 1);

  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
}

static void
test_store_integrity (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  EaselTestWait wait = { 0 };

  store_exec (f->store, SEED_SQL);
  easel_store_check_integrity_async (f->store, NULL, easel_test_wait_cb, &wait);
  easel_test_wait_for (&wait.done);
  g_assert_true (easel_store_check_integrity_finish (f->store, wait.result, &error));
  g_assert_no_error (error);
  easel_test_wait_clear (&wait);

  /* An output of a job that does not exist, written with the checks off. */
  store_exec (f->store,
              "PRAGMA foreign_keys = OFF;"
              "INSERT INTO job_outputs (job_id, position, url) "
              "  VALUES (999, 0, 'https://example.com');"
              "PRAGMA foreign_keys = ON;");
  easel_store_check_integrity_async (f->store, NULL, easel_test_wait_cb, &wait);
  easel_test_wait_for (&wait.done);
  g_assert_false (easel_store_check_integrity_finish (f->store, wait.result, &error));
  g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "job_outputs refers to a missing row of jobs"));
  easel_test_wait_clear (&wait);
}

/* Closing */

static gpointer
count_runs_func (EaselDb   *db,
                 gpointer   data,
                 GError   **error)
{
  g_atomic_int_inc ((int *) data);
  return GINT_TO_POINTER (TRUE);
}

static void
test_store_close (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Counter counter = { .n_expected = 50 };
  EaselTestWait wait = { 0 };
  int runs = 0;

  /* Closing finishes the queued work first; its callbacks still come. */
  for (guint i = 0; i < counter.n_expected; i++)
    easel_store_run_async (f->store, count_runs_func, &runs, NULL, NULL, counter_cb, &counter);
  easel_store_close (f->store);
  g_assert_cmpint (g_atomic_int_get (&runs), ==, counter.n_expected);
  easel_test_wait_for (&counter.all_done);
  g_assert_cmpuint (counter.n_failed, ==, 0);

  /* Twice is fine. */
  easel_store_close (f->store);

  /* Later work fails, both ways, without running. */
  easel_store_run_async (f->store, count_runs_func, &runs, NULL, NULL, easel_test_wait_cb, &wait);
  easel_test_wait_for (&wait.done);
  g_assert_null (easel_store_run_finish (f->store, wait.result, &error));
  g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_FAILED);
  g_clear_error (&error);
  easel_test_wait_clear (&wait);

  g_assert_null (easel_store_run_sync (f->store, count_runs_func, &runs, &error));
  g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_false (easel_store_open_sync (f->store, &error));
  g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_FAILED);
  g_assert_cmpint (g_atomic_int_get (&runs), ==, counter.n_expected);
}

static void
test_store_close_unopened (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = easel_test_make_dir ("easel-store");
  g_autofree char *path = g_build_filename (dir, "never.db", NULL);
  EaselStore *store;

  g_assert_no_error (error);

  /* Closed without ever being used. */
  store = easel_store_new (path);
  easel_store_close (store);
  easel_store_close (store);
  g_assert_finalize_object (store);

  /* Dropped while open, without closing: dispose closes it. */
  store = easel_store_new (path);
  g_assert_true (easel_store_open_sync (store, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (store);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  rm_rf (dir);
}

/* Threads and the main loop */

#define N_THREADS 4
#define N_PER_THREAD 250

typedef struct
{
  EaselStore *store;
  guint       index;
  Counter     counter;
  guint       n_wrong_thread;
  GThread    *thread;
} ThreadState;

static gpointer
insert_numbered_func (EaselDb   *db,
                      gpointer   data,
                      GError   **error)
{
  g_autofree char *key = g_strdup_printf ("key-%u", GPOINTER_TO_UINT (data));

  return insert_meta_func (db, key, error);
}

static void
thread_item_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ThreadState *state = user_data;

  if (g_thread_self () != state->thread)
    state->n_wrong_thread++;
  counter_cb (source, result, &state->counter);
}

static gpointer
submitting_thread (gpointer data)
{
  ThreadState *state = data;
  GMainContext *context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  state->thread = g_thread_self ();
  state->counter.n_expected = N_PER_THREAD;

  for (guint i = 0; i < N_PER_THREAD; i++)
    easel_store_run_async (state->store, insert_numbered_func,
                           GUINT_TO_POINTER (state->index * N_PER_THREAD + i), NULL,
                           NULL, thread_item_done_cb, state);

  /* Every callback comes on this thread's own context. */
  while (!state->counter.all_done)
    g_main_context_iteration (context, TRUE);

  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  return NULL;
}

static void
test_store_concurrent (Fixture       *f,
                       gconstpointer  data)
{
  ThreadState states[N_THREADS] = { { 0 } };
  GThread *threads[N_THREADS];
  Counter counter = { .n_expected = 1000 };

  for (guint i = 0; i < N_THREADS; i++)
    {
      states[i].store = f->store;
      states[i].index = i;
      threads[i] = g_thread_new ("submitter", submitting_thread, &states[i]);
    }

  /* The main thread submits too, at the same time. */
  for (guint i = 0; i < counter.n_expected; i++)
    easel_store_run_async (f->store, insert_numbered_func,
                           GUINT_TO_POINTER (N_THREADS * N_PER_THREAD + i), NULL,
                           NULL, counter_cb, &counter);
  easel_test_wait_for (&counter.all_done);
  g_assert_cmpuint (counter.n_failed, ==, 0);

  for (guint i = 0; i < N_THREADS; i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpuint (states[i].counter.n_done, ==, N_PER_THREAD);
      g_assert_cmpuint (states[i].counter.n_failed, ==, 0);
      g_assert_cmpuint (states[i].n_wrong_thread, ==, 0);
    }

  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM meta"), ==,
                   N_THREADS * N_PER_THREAD + counter.n_expected);
}

static gpointer
sleep_func (EaselDb   *db,
            gpointer   data,
            GError   **error)
{
  g_usleep (200 * 1000);
  return GINT_TO_POINTER (TRUE);
}

static gboolean
tick_cb (gpointer user_data)
{
  guint *ticks = user_data;

  (*ticks)++;
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  EaselTestWait  wait;
  guint     *ticks;
  guint      ticks_at_completion;
} SleepWait;

static void
sleep_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SleepWait *sleep_wait = user_data;

  sleep_wait->ticks_at_completion = *sleep_wait->ticks;
  easel_test_wait_cb (source, result, &sleep_wait->wait);
}

static void
test_store_main_loop_runs (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint ticks = 0;
  SleepWait sleep_wait = { .ticks = &ticks };
  guint timer;

  timer = g_timeout_add_full (G_PRIORITY_HIGH, 1, tick_cb, &ticks, NULL);
  easel_store_run_async (f->store, sleep_func, NULL, NULL, NULL, sleep_done_cb, &sleep_wait);
  g_assert_false (sleep_wait.wait.done);

  easel_test_wait_for (&sleep_wait.wait.done);
  g_source_remove (timer);
  g_assert_nonnull (easel_store_run_finish (f->store, sleep_wait.wait.result, &error));
  g_assert_no_error (error);

  /* A blocked main thread would have ticked at most once, after the item. */
  g_test_message ("%u ticks of 1 ms while the item slept 200 ms", sleep_wait.ticks_at_completion);
  g_assert_cmpuint (sleep_wait.ticks_at_completion, >=, 5);
  easel_test_wait_clear (&sleep_wait.wait);
}

/* Cancellation and ownership */

typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean started;
  gboolean open;
} Gate;

static gpointer
gate_func (EaselDb   *db,
           gpointer   data,
           GError   **error)
{
  Gate *gate = data;

  g_mutex_lock (&gate->mutex);
  gate->started = TRUE;
  g_cond_broadcast (&gate->cond);
  while (!gate->open)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);

  return insert_meta_func (db, (gpointer) "behind-gate", error);
}

static void
gate_wait_started (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  while (!gate->started)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);
}

static void
gate_open (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  gate->open = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->mutex);
}

static void
test_store_cancel (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GCancellable) before = g_cancellable_new ();
  g_autoptr(GCancellable) queued = g_cancellable_new ();
  g_autoptr(GCancellable) running = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  EaselTestWait wait_before = { 0 };
  EaselTestWait wait_queued = { 0 };
  EaselTestWait wait_running = { 0 };
  Gate gate = { 0 };
  int runs = 0;

  g_mutex_init (&gate.mutex);
  g_cond_init (&gate.cond);

  /* Cancelled before it was submitted: never runs. */
  g_cancellable_cancel (before);
  easel_store_run_async (f->store, count_runs_func, &runs, NULL, before,
                         easel_test_wait_cb, &wait_before);

  /* Running, then cancelled: runs to the end and says so. */
  easel_store_run_async (f->store, gate_func, &gate, NULL, running, easel_test_wait_cb, &wait_running);
  /* Waiting behind it, then cancelled: never runs. */
  easel_store_run_async (f->store, count_runs_func, &runs, NULL, queued,
                         easel_test_wait_cb, &wait_queued);

  gate_wait_started (&gate);
  g_cancellable_cancel (running);
  g_cancellable_cancel (queued);
  gate_open (&gate);

  easel_test_wait_for (&wait_before.done);
  g_assert_null (easel_store_run_finish (f->store, wait_before.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  easel_test_wait_for (&wait_running.done);
  g_assert_nonnull (easel_store_run_finish (f->store, wait_running.result, &error));
  g_assert_no_error (error);

  easel_test_wait_for (&wait_queued.done);
  g_assert_null (easel_store_run_finish (f->store, wait_queued.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_cmpint (runs, ==, 0);
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM meta WHERE key = 'behind-gate'"),
                   ==, 1);

  easel_test_wait_clear (&wait_before);
  easel_test_wait_clear (&wait_running);
  easel_test_wait_clear (&wait_queued);
  g_cond_clear (&gate.cond);
  g_mutex_clear (&gate.mutex);
}

typedef struct
{
  GThread *main_thread;
  guint    data_destroyed;
  guint    data_destroyed_elsewhere;
  guint    results_destroyed;
  gboolean done;
} Ownership;

static Ownership *ownership;

static void
data_destroy (gpointer data)
{
  ownership->data_destroyed++;
  if (g_thread_self () != ownership->main_thread)
    ownership->data_destroyed_elsewhere++;
  g_free (data);
}

static void
result_destroy (gpointer data)
{
  g_atomic_int_inc ((int *) &ownership->results_destroyed);
  g_free (data);
}

static gpointer
dup_func (EaselDb   *db,
          gpointer   data,
          GError   **error)
{
  return g_strdup (data);
}

static void
ignore_result_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ownership->done = TRUE;
}

static void
test_store_ownership (Fixture       *f,
                      gconstpointer  data)
{
  Ownership own = { .main_thread = g_thread_self () };
  g_autoptr(GError) error = NULL;
  EaselTestWait wait = { 0 };
  g_autofree char *text = NULL;

  ownership = &own;

  /* The data is freed on the caller's thread; an uncollected result is
   * freed with its destroy notify. */
  easel_store_run_full_async (f->store, dup_func, g_strdup ("uncollected"), data_destroy,
                              result_destroy, NULL, ignore_result_cb, NULL);
  easel_test_wait_for (&own.done);
  g_assert_cmpuint (own.data_destroyed, ==, 1);
  g_assert_cmpuint (own.data_destroyed_elsewhere, ==, 0);
  g_assert_cmpuint (g_atomic_int_get (&own.results_destroyed), ==, 1);

  /* A collected result is the caller's. */
  easel_store_run_full_async (f->store, dup_func, g_strdup ("collected"), data_destroy,
                              result_destroy, NULL, easel_test_wait_cb, &wait);
  easel_test_wait_for (&wait.done);
  text = easel_store_run_finish (f->store, wait.result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "collected");
  easel_test_wait_clear (&wait);
  g_assert_cmpuint (own.data_destroyed, ==, 2);
  g_assert_cmpuint (g_atomic_int_get (&own.results_destroyed), ==, 1);

  ownership = NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, setup, func) \
  g_test_add ("/Easel/Store/" path, Fixture, NULL, setup, func, fixture_teardown)

  ADD ("open", fixture_setup, test_store_open);
  g_test_add_func ("/Easel/Store/open-default-path", test_store_open_default_path);
  ADD ("open-async", fixture_setup_closed, test_store_open_async);
  ADD ("not-open", fixture_setup_closed, test_store_not_open);
  ADD ("fifo", fixture_setup, test_store_fifo);
  ADD ("sync-between-async", fixture_setup, test_store_sync_between_async);
  g_test_add_func ("/Easel/Store/errors", test_store_errors);
  ADD ("busy", fixture_setup, test_store_busy);
  ADD ("statements", fixture_setup, test_store_statements);
  ADD ("rollback-on-error", fixture_setup, test_store_rollback_on_error);
  g_test_add_func ("/Easel/Store/migrations", test_store_migrations);
  g_test_add_func ("/Easel/Store/too-new", test_store_too_new);
  g_test_add_func ("/Easel/Store/corrupt", test_store_corrupt);
  ADD ("empty-file", fixture_setup_closed, test_store_empty_file);
  ADD ("cascade", fixture_setup, test_store_cascade);
  ADD ("integrity", fixture_setup, test_store_integrity);
  ADD ("close", fixture_setup, test_store_close);
  g_test_add_func ("/Easel/Store/close-unopened", test_store_close_unopened);
  ADD ("concurrent", fixture_setup, test_store_concurrent);
  ADD ("main-loop-runs", fixture_setup, test_store_main_loop_runs);
  ADD ("cancel", fixture_setup, test_store_cancel);
  ADD ("ownership", fixture_setup, test_store_ownership);

#undef ADD

  return g_test_run ();
}
