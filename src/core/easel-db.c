/* easel-db.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A thin, synchronous layer over one sqlite3 connection. It belongs to the
 * EaselStore worker thread, so it has no locking of its own and the
 * connection is opened with SQLITE_OPEN_NOMUTEX.
 *
 * Statements are prepared once and cached by their SQL text, which is why
 * that text must be a constant: user data is always bound, never pasted
 * into SQL. A cached statement is reset and its bindings cleared each time
 * it is handed out, so a caller never sees the previous caller's values.
 * The store calls easel_db_release_statements() after every work item: a
 * statement left half-stepped would otherwise hold a read snapshot open and
 * keep the WAL from being checkpointed.
 *
 * The bind helpers do not return errors. A bind that fails (an index out of
 * range, a value over SQLite's size limit) is remembered for the calling
 * thread, and the next easel_db_step() on that statement fails with it, so
 * a write can never go ahead with a value silently missing.
 */

#include "config.h"

#include "easel-db.h"

#include <glib/gi18n.h>

struct _EaselDb
{
  sqlite3    *handle;
  char       *path;
  GHashTable *statements;    /* SQL text (owned) → sqlite3_stmt (owned) */
  GThread    *owner;         /* the only thread that may use the connection */
};

G_DEFINE_QUARK (easel-store-error-quark, easel_store_error)

/* Per-thread map of statements whose last bind failed → the error. */
static void
bind_failures_free (gpointer data)
{
  g_hash_table_unref (data);
}

static GPrivate bind_failures_key = G_PRIVATE_INIT (bind_failures_free);

static GHashTable *
get_bind_failures (gboolean create)
{
  GHashTable *failures = g_private_get (&bind_failures_key);

  if (failures == NULL && create)
    {
      failures = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_error_free);
      g_private_set (&bind_failures_key, failures);
    }
  return failures;
}

static void
forget_bind_failure (sqlite3_stmt *stmt)
{
  GHashTable *failures = get_bind_failures (FALSE);

  if (failures != NULL)
    g_hash_table_remove (failures, stmt);
}

static EaselStoreError
code_for_result (int rc)
{
  /* Extended result codes are on: the primary code is the low byte. */
  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return EASEL_STORE_ERROR_CORRUPT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return EASEL_STORE_ERROR_BUSY;
    case SQLITE_CONSTRAINT:
      return EASEL_STORE_ERROR_CONSTRAINT;
    case SQLITE_FULL:
      return EASEL_STORE_ERROR_FULL;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return EASEL_STORE_ERROR_READONLY;
    default:
      return EASEL_STORE_ERROR_FAILED;
    }
}

static const char *
prefix_for_code (EaselStoreError code)
{
  switch (code)
    {
    case EASEL_STORE_ERROR_CORRUPT:
      return _("The library database is damaged");
    case EASEL_STORE_ERROR_BUSY:
      return _("The library database is locked by another program");
    case EASEL_STORE_ERROR_CONSTRAINT:
      return _("The library database refused the change");
    case EASEL_STORE_ERROR_FULL:
      return _("The disk is full");
    case EASEL_STORE_ERROR_READONLY:
      return _("The library database cannot be written");
    case EASEL_STORE_ERROR_FAILED:
    case EASEL_STORE_ERROR_TOO_NEW:
    case EASEL_STORE_ERROR_NOT_FOUND:
    default:
      return _("The library database reported an error");
    }
}

static void
set_sqlite_error (int          rc,
                  const char  *detail,
                  GError     **error)
{
  EaselStoreError code = code_for_result (rc);

  g_set_error (error, EASEL_STORE_ERROR, code, "%s: %s",
               prefix_for_code (code), detail ? detail : sqlite3_errstr (rc));
}

static void
record_bind_failure (sqlite3_stmt *stmt,
                     int           index,
                     int           rc)
{
  GHashTable *failures = get_bind_failures (TRUE);
  GError *error = NULL;

  if (g_hash_table_contains (failures, stmt))
    return;

  set_sqlite_error (rc, sqlite3_errmsg (sqlite3_db_handle (stmt)), &error);
  g_prefix_error (&error, "Parameter %d: ", index);
  g_hash_table_insert (failures, stmt, error);
}

static gboolean
take_bind_failure (sqlite3_stmt  *stmt,
                   GError       **error)
{
  GHashTable *failures = get_bind_failures (FALSE);
  gpointer failure;

  if (failures == NULL || !g_hash_table_steal_extended (failures, stmt, NULL, &failure))
    return FALSE;

  g_propagate_error (error, failure);
  return TRUE;
}

static void
finalize_statement (gpointer data)
{
  forget_bind_failure (data);
  sqlite3_finalize (data);
}

/**
 * easel_db_open:
 * @path: the database file, created if it does not exist
 * @error: return location for a #GError
 *
 * Opens a connection to @path. Nothing is read or written yet, so a file
 * that is not a database only fails on the first statement. The connection
 * may be used on the calling thread only.
 *
 * Returns: (transfer full): the connection, or %NULL with @error set
 */
EaselDb *
easel_db_open (const char  *path,
               GError     **error)
{
  sqlite3 *handle = NULL;
  EaselDb *self;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rc = sqlite3_open_v2 (path, &handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (rc, handle ? sqlite3_errmsg (handle) : NULL, error);
      sqlite3_close (handle);
      return NULL;
    }

  sqlite3_extended_result_codes (handle, 1);

  self = g_new0 (EaselDb, 1);
  self->handle = handle;
  self->path = g_strdup (path);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  self->owner = g_thread_self ();
  return self;
}

/**
 * easel_db_free:
 * @self: (nullable) (transfer full): an #EaselDb
 *
 * Finalizes the cached statements and closes the connection. A transaction
 * still open is rolled back by SQLite.
 */
void
easel_db_free (EaselDb *self)
{
  int rc;

  if (self == NULL)
    return;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  rc = sqlite3_close (self->handle);
  if (rc != SQLITE_OK)
    {
      /* Only possible if someone prepared statements on the raw handle and
       * kept them: let SQLite close once they are gone rather than leak. */
      g_warning ("Closing %s: %s", self->path, sqlite3_errmsg (self->handle));
      sqlite3_close_v2 (self->handle);
    }
  g_free (self->path);
  g_free (self);
}

/**
 * easel_db_get_path:
 * @self: an #EaselDb
 *
 * Returns: the database file this connection was opened on
 */
const char *
easel_db_get_path (EaselDb *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->path;
}

/**
 * easel_db_get_handle:
 * @self: an #EaselDb
 *
 * The raw connection, for what the helpers do not cover. Statements
 * prepared on it are the caller's to finalize.
 *
 * Returns: (transfer none): the connection
 */
sqlite3 *
easel_db_get_handle (EaselDb *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->handle;
}

/**
 * easel_db_set_error:
 * @self: an #EaselDb
 * @rc: the SQLite result code that was returned
 * @error: return location for a #GError
 *
 * Sets @error from @rc and the connection's last error message, in the
 * %EASEL_STORE_ERROR domain.
 */
void
easel_db_set_error (EaselDb  *self,
                    int       rc,
                    GError  **error)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (rc != SQLITE_OK);

  set_sqlite_error (rc, sqlite3_errmsg (self->handle), error);
}

/**
 * easel_db_exec:
 * @self: an #EaselDb
 * @sql: one or more SQL statements, with no user data in them
 * @error: return location for a #GError
 *
 * Runs a script, such as a migration or a `PRAGMA`. Rows that statements
 * return are ignored; use easel_db_prepare() to read them.
 *
 * Returns: %TRUE if every statement ran
 */
gboolean
easel_db_exec (EaselDb     *self,
               const char  *sql,
               GError     **error)
{
  char *message = NULL;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_assert (self->owner == g_thread_self ());

  rc = sqlite3_exec (self->handle, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (rc, message, error);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/**
 * easel_db_prepare:
 * @self: an #EaselDb
 * @sql: exactly one SQL statement, a constant string: values go in `?`
 *   parameters, never in the text
 * @error: return location for a #GError
 *
 * Returns the cached statement for @sql, preparing it the first time. It is
 * reset and has no bindings. Do not hand the same SQL out twice at once (for
 * example in a nested loop over its own rows): both would be one statement.
 *
 * Returns: (transfer none): the statement, owned by @self, or %NULL with
 *   @error set
 */
sqlite3_stmt *
easel_db_prepare (EaselDb     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  const char *tail = NULL;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_assert (self->owner == g_thread_self ());

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      /* sqlite3_reset() repeats the last step's error, which its caller has
       * already been given. */
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      forget_bind_failure (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK)
    {
      easel_db_set_error (self, rc, error);
      return NULL;
    }

  if (stmt == NULL || !is_blank (tail))
    {
      sqlite3_finalize (stmt);
      g_set_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_FAILED,
                   "Expected exactly one SQL statement in “%s”", sql);
      return NULL;
    }

  /* A new statement may reuse the address of one freed earlier. */
  forget_bind_failure (stmt);
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

/**
 * easel_db_step:
 * @self: an #EaselDb
 * @stmt: a statement of @self
 * @error: return location for a #GError
 *
 * Runs @stmt to its next row. On failure (including an earlier failed
 * bind on @stmt) the statement is reset, so it can be used again.
 *
 * Returns: %SQLITE_ROW, %SQLITE_DONE, or -1 with @error set
 */
int
easel_db_step (EaselDb       *self,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  int rc;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (stmt != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);
  g_assert (sqlite3_db_handle (stmt) == self->handle);

  if (take_bind_failure (stmt, error))
    {
      sqlite3_reset (stmt);
      return -1;
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;

  easel_db_set_error (self, rc, error);
  sqlite3_reset (stmt);
  return -1;
}

static void
release_statement_cb (gpointer key,
                      gpointer value,
                      gpointer user_data)
{
  if (sqlite3_stmt_busy (value))
    sqlite3_reset (value);
}

/**
 * easel_db_release_statements:
 * @self: an #EaselDb
 *
 * Resets every cached statement that was not stepped to its end, so that
 * none holds a read snapshot open. The store calls this after each work
 * item; statements handed out before are then reset.
 */
void
easel_db_release_statements (EaselDb *self)
{
  g_return_if_fail (self != NULL);

  g_hash_table_foreach (self->statements, release_statement_cb, NULL);
}

static gboolean
run_simple (EaselDb     *self,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt = easel_db_prepare (self, sql, error);

  return stmt != NULL && easel_db_step (self, stmt, error) == SQLITE_DONE;
}

/**
 * easel_db_begin:
 * @self: an #EaselDb
 * @error: return location for a #GError
 *
 * Starts a write transaction (`BEGIN IMMEDIATE`), so that a lock conflict
 * shows up here, after the busy timeout, rather than in the middle of it.
 * Transactions do not nest.
 *
 * Returns: %TRUE if the transaction started
 */
gboolean
easel_db_begin (EaselDb  *self,
                GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return run_simple (self, "BEGIN IMMEDIATE", error);
}

/**
 * easel_db_commit:
 * @self: an #EaselDb
 * @error: return location for a #GError
 *
 * Commits the transaction. If this fails the transaction is still open:
 * call easel_db_rollback().
 *
 * Returns: %TRUE if the transaction was committed
 */
gboolean
easel_db_commit (EaselDb  *self,
                 GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return run_simple (self, "COMMIT", error);
}

/**
 * easel_db_rollback:
 * @self: an #EaselDb
 *
 * Rolls back the open transaction, if there is one. Meant for error paths,
 * so it does not return an error: a failure is logged.
 */
void
easel_db_rollback (EaselDb *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (self != NULL);

  if (!easel_db_in_transaction (self))
    return;

  /* Statements still stepping would make ROLLBACK fail with SQLITE_BUSY. */
  easel_db_release_statements (self);
  if (!run_simple (self, "ROLLBACK", &error))
    g_warning ("Could not roll back a transaction in %s: %s", self->path, error->message);
}

/**
 * easel_db_in_transaction:
 * @self: an #EaselDb
 *
 * Returns: %TRUE if a transaction is open
 */
gboolean
easel_db_in_transaction (EaselDb *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return !sqlite3_get_autocommit (self->handle);
}

/**
 * easel_db_last_insert_rowid:
 * @self: an #EaselDb
 *
 * Returns: the rowid of the last row inserted on this connection
 */
gint64
easel_db_last_insert_rowid (EaselDb *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return sqlite3_last_insert_rowid (self->handle);
}

/**
 * easel_db_changes:
 * @self: an #EaselDb
 *
 * Returns: the number of rows the last `INSERT`, `UPDATE` or `DELETE`
 *   changed
 */
gint64
easel_db_changes (EaselDb *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return sqlite3_changes64 (self->handle);
}

static void
check_bind (sqlite3_stmt *stmt,
            int           index,
            int           rc)
{
  if (rc != SQLITE_OK)
    record_bind_failure (stmt, index, rc);
}

/**
 * easel_db_bind_text:
 * @stmt: a statement
 * @index: the parameter, counting from 1
 * @value: (nullable): the text, copied; %NULL binds SQL `NULL`
 *
 * Binds @value to parameter @index. A failure is reported by the next
 * easel_db_step() on @stmt.
 */
void
easel_db_bind_text (sqlite3_stmt *stmt,
                    int           index,
                    const char   *value)
{
  g_return_if_fail (stmt != NULL);

  if (value == NULL)
    check_bind (stmt, index, sqlite3_bind_null (stmt, index));
  else
    check_bind (stmt, index, sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT));
}

/**
 * easel_db_bind_int64:
 * @stmt: a statement
 * @index: the parameter, counting from 1
 * @value: the integer
 *
 * Binds @value to parameter @index. A failure is reported by the next
 * easel_db_step() on @stmt.
 */
void
easel_db_bind_int64 (sqlite3_stmt *stmt,
                     int           index,
                     gint64        value)
{
  g_return_if_fail (stmt != NULL);

  check_bind (stmt, index, sqlite3_bind_int64 (stmt, index, value));
}

/**
 * easel_db_bind_double:
 * @stmt: a statement
 * @index: the parameter, counting from 1
 * @value: the number
 *
 * Binds @value to parameter @index. A failure is reported by the next
 * easel_db_step() on @stmt.
 */
void
easel_db_bind_double (sqlite3_stmt *stmt,
                      int           index,
                      double        value)
{
  g_return_if_fail (stmt != NULL);

  check_bind (stmt, index, sqlite3_bind_double (stmt, index, value));
}

/**
 * easel_db_bind_null:
 * @stmt: a statement
 * @index: the parameter, counting from 1
 *
 * Binds SQL `NULL` to parameter @index. A failure is reported by the next
 * easel_db_step() on @stmt.
 */
void
easel_db_bind_null (sqlite3_stmt *stmt,
                    int           index)
{
  g_return_if_fail (stmt != NULL);

  check_bind (stmt, index, sqlite3_bind_null (stmt, index));
}

/**
 * easel_db_column_text_dup:
 * @stmt: a statement on a row
 * @column: the column, counting from 0
 *
 * Returns: (transfer full) (nullable): a copy of the column's text, or
 *   %NULL if it is SQL `NULL`
 */
char *
easel_db_column_text_dup (sqlite3_stmt *stmt,
                          int           column)
{
  g_return_val_if_fail (stmt != NULL, NULL);

  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}
