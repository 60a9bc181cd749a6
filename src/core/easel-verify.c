/* easel-verify.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `easel verify`: every file of the image store against its hash, and the
 * library's rows against the files.
 *
 * One pass on a worker thread walks the store in hash order (its layout
 * "ab/cd/abcd….ext" sorts by hash) next to the rows, read through the
 * store in chunks ordered by hash, like a merge join: memory stays flat at
 * any library size, and every file is read once, streamed through SHA-256.
 * A row whose file is there and hashes right is fine; a row without its
 * file is missing; a file whose content no longer matches its name (or
 * that cannot be read) is corrupt; a file no row uses is an orphan; an
 * ".incoming-*" temp file older than an hour is the leftover of an import
 * that was interrupted (a younger one may be a download in progress, and
 * is not touched). Orphans, leftovers and damaged files are hashed, since
 * each may hold the very content a row has lost.
 *
 * Repairs come after the walk, and only with `repair`; without it the same
 * plan is made and nothing is changed, so a check can say what a repair
 * would fix. Nothing is ever deleted except those leftovers:
 *
 *   1. every file whose content does not match its name is moved aside to
 *      "<root>/corrupt/";
 *   2. a row whose file is missing (or was just moved aside) gets back a
 *      file of the right content found elsewhere in the store (an orphan,
 *      a leftover, a file under another row's name), moved to its path;
 *   3. leftovers nobody needed are removed.
 *
 * Rows are left as they are: the schema has no field to mark an image
 * whose file is lost, so such images are reported as unrepairable.
 *
 * Cancelling stops the walk; once repairs have started they are finished,
 * and the report says what was done. Progress (rows checked out of the
 * rows counted at the start) is sampled on the caller's main context a few
 * times per second, never once per file. */

#include "config.h"

#include "easel-verify.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "easel-db.h"

#define HASH_LENGTH 64
#define CHUNK_ROWS 512
#define READ_BUFFER_SIZE (256 * 1024)
#define PROGRESS_INTERVAL_MS 250
#define STALE_TEMP_S (60 * 60)
#define TEMP_PREFIX ".incoming-"
#define CORRUPT_DIR "corrupt"

/* Entries and reports */

static EaselVerifyEntry *
entry_new (const char *hash,
           const char *relative_path,
           const char *actual_hash,
           char       *message)
{
  EaselVerifyEntry *entry = g_new0 (EaselVerifyEntry, 1);

  entry->hash = g_strdup (hash);
  entry->relative_path = g_strdup (relative_path);
  entry->actual_hash = g_strdup (actual_hash);
  entry->message = message;
  return entry;
}

static void
entry_free (gpointer data)
{
  EaselVerifyEntry *entry = data;

  g_free (entry->hash);
  g_free (entry->relative_path);
  g_free (entry->actual_hash);
  g_free (entry->message);
  g_free (entry);
}

static void
entry_set_message (EaselVerifyEntry *entry,
                   char             *message)
{
  g_free (entry->message);
  entry->message = message;
}

G_DEFINE_BOXED_TYPE (EaselVerifyReport,
                     easel_verify_report,
                     easel_verify_report_ref,
                     easel_verify_report_unref)

static EaselVerifyReport *
report_new (gboolean repair)
{
  EaselVerifyReport *report = g_new0 (EaselVerifyReport, 1);

  g_atomic_ref_count_init (&report->ref_count);
  report->repair = repair;
  report->missing = g_ptr_array_new_with_free_func (entry_free);
  report->corrupt = g_ptr_array_new_with_free_func (entry_free);
  report->repaired = g_ptr_array_new_with_free_func (entry_free);
  report->orphans = g_ptr_array_new_with_free_func (entry_free);
  report->leftovers = g_ptr_array_new_with_free_func (entry_free);
  report->unrepairable = g_ptr_array_new_with_free_func (entry_free);
  return report;
}

/**
 * easel_verify_report_ref:
 * @self: a report
 *
 * Returns: (transfer full): @self
 */
EaselVerifyReport *
easel_verify_report_ref (EaselVerifyReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * easel_verify_report_unref:
 * @self: (transfer full): a report
 */
void
easel_verify_report_unref (EaselVerifyReport *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_ptr_array_unref (self->missing);
  g_ptr_array_unref (self->corrupt);
  g_ptr_array_unref (self->repaired);
  g_ptr_array_unref (self->orphans);
  g_ptr_array_unref (self->leftovers);
  g_ptr_array_unref (self->unrepairable);
  g_free (self);
}

/**
 * easel_verify_report_is_clean:
 * @self: a report
 *
 * Whether every image of the library has its file, intact, after the run:
 * nothing missing or corrupt was found, or (with repairs) everything that
 * was found has been repaired. Orphans and leftovers do not count: no
 * image is damaged by them.
 *
 * Returns: %TRUE when no problem remains
 */
gboolean
easel_verify_report_is_clean (EaselVerifyReport *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->repair)
    return self->unrepairable->len == 0;
  return self->missing->len == 0 && self->corrupt->len == 0;
}

/* The run */

typedef struct
{
  char *hash;
  char *path;
} Row;

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->hash);
  g_free (row->path);
  g_free (row);
}

/* A row without an intact file; freed by row_free(). */
typedef struct
{
  Row               row;
  EaselVerifyEntry *entry;      /* in missing or corrupt */
  struct _Source   *damaged;    /* the file at its path, if any */
} Broken;

/* A file that is not where its content belongs: what a broken row may get
 * back, or what must be moved aside. */
typedef struct _Source
{
  char             *path;         /* relative to the root, where it is now */
  char             *actual_hash;  /* nullable: unreadable */
  gboolean          set_aside;    /* its content does not match its name */
  gboolean          leftover;     /* removed by a repair unless used */
  gboolean          used;
  GPtrArray        *list;         /* the report's list holding @entry */
  EaselVerifyEntry *entry;
} Source;

static void
source_free (gpointer data)
{
  Source *source = data;

  g_free (source->path);
  g_free (source->actual_hash);
  g_free (source);
}

typedef struct
{
  EaselStore          *store;
  EaselImageStore     *images;
  char                *root;
  gboolean             repair;
  EaselVerifyProgress  progress;
  gpointer             progress_data;
  GSource             *timer;
  guint64              shown_checked;
  guint64              shown_total;
  gboolean             shown;

  GMutex               mutex;     /* guards checked and total */
  guint64              checked;
  guint64              total;

  /* The worker's own, then the report's. */
  EaselVerifyReport   *report;
  GPtrArray           *rows;      /* Row: the current chunk */
  guint                next_row;
  char                *after;     /* the last hash read */
  gboolean             rows_done;
  GPtrArray           *broken;    /* Broken */
  GPtrArray           *sources;   /* Source */
  GHashTable          *by_hash;   /* actual hash → Source, borrowed */
  guint8              *buffer;
} Verify;

static void
verify_free (gpointer data)
{
  Verify *verify = data;

  g_assert (verify->timer == NULL);
  g_clear_object (&verify->store);
  g_clear_object (&verify->images);
  g_free (verify->root);
  g_mutex_clear (&verify->mutex);
  g_clear_pointer (&verify->report, easel_verify_report_unref);
  g_clear_pointer (&verify->rows, g_ptr_array_unref);
  g_free (verify->after);
  g_clear_pointer (&verify->broken, g_ptr_array_unref);
  g_clear_pointer (&verify->by_hash, g_hash_table_unref);
  g_clear_pointer (&verify->sources, g_ptr_array_unref);
  g_free (verify->buffer);
  g_free (verify);
}

static void
count_checked (Verify *verify)
{
  g_mutex_lock (&verify->mutex);
  verify->checked++;
  g_mutex_unlock (&verify->mutex);
  verify->report->checked++;
}

/* Reading the rows, on the store's thread */

static gpointer
count_rows_func (EaselDb  *db,
                 gpointer  data,
                 GError  **error)
{
  guint64 *count = data;
  sqlite3_stmt *stmt = easel_db_prepare (db, "SELECT count(*) FROM images", error);

  if (stmt == NULL || easel_db_step (db, stmt, error) != SQLITE_ROW)
    return NULL;
  *count = (guint64) sqlite3_column_int64 (stmt, 0);
  return GINT_TO_POINTER (TRUE);
}

static gpointer
read_rows_func (EaselDb  *db,
                gpointer  data,
                GError  **error)
{
  const char *after = data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (row_free);
  sqlite3_stmt *stmt;
  int rc;

  /* The primary key's order: the store's file order. */
  stmt = easel_db_prepare (
    db, "SELECT hash, path FROM images WHERE hash > ?1 ORDER BY hash LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  easel_db_bind_text (stmt, 1, after);
  easel_db_bind_int64 (stmt, 2, CHUNK_ROWS);
  while ((rc = easel_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      Row *row = g_new0 (Row, 1);

      row->hash = easel_db_column_text_dup (stmt, 0);
      row->path = easel_db_column_text_dup (stmt, 1);
      g_ptr_array_add (rows, row);
    }
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&rows);
}

/* Files */

/* The SHA-256 of a regular file, read in chunks. */
static char *
hash_file (Verify        *verify,
           const char    *relative,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree char *path = g_build_filename (verify->root, relative, NULL);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  GStatBuf st;
  gssize n;
  int fd;

  /* Never a symbolic link, and never open a FIFO, which would block. */
  if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                           _("it is not a regular file"));
      return NULL;
    }

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return NULL;
    }
#ifdef POSIX_FADV_SEQUENTIAL
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  stream = g_unix_input_stream_new (fd, TRUE);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  while ((n = g_input_stream_read (stream, verify->buffer, READ_BUFFER_SIZE, cancellable, error)) > 0)
    {
      g_checksum_update (checksum, verify->buffer, n);
      verify->report->bytes += (guint64) n;
    }
  if (n < 0)
    return NULL;

  return g_strdup (g_checksum_get_string (checksum));
}

/* The hash a store file's name holds, if it is a store name. */
static char *
dup_name_hash (const char *relative)
{
  if (!easel_image_store_is_relative_path (relative))
    return NULL;
  return g_strndup (relative + 6, HASH_LENGTH);
}

static Source *
add_source (Verify           *verify,
            const char       *relative,
            const char       *actual_hash,
            GPtrArray        *list,
            EaselVerifyEntry *entry)
{
  Source *source = g_new0 (Source, 1);

  source->path = g_strdup (relative);
  source->actual_hash = g_strdup (actual_hash);
  source->list = list;
  source->entry = entry;
  g_ptr_array_add (verify->sources, source);
  if (actual_hash != NULL && !g_hash_table_contains (verify->by_hash, actual_hash))
    g_hash_table_insert (verify->by_hash, source->actual_hash, source);
  return source;
}

static void
add_broken (Verify           *verify,
            const Row        *row,
            EaselVerifyEntry *entry,
            Source           *damaged)
{
  Broken *broken = g_new0 (Broken, 1);

  broken->row.hash = g_strdup (row->hash);
  broken->row.path = g_strdup (row->path);
  broken->entry = entry;
  broken->damaged = damaged;
  g_ptr_array_add (verify->broken, broken);
}

/* A file no row uses: reported, and kept as a possible source. */
static gboolean
add_orphan (Verify        *verify,
            const char    *relative,
            gboolean       has_row,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *name_hash = dup_name_hash (relative);
  g_autofree char *actual = NULL;
  g_autoptr(GError) local_error = NULL;
  EaselVerifyEntry *entry;
  Source *source;
  char *message;

  actual = hash_file (verify, relative, cancellable, &local_error);
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (actual == NULL)
    /* Translators: %s is the system's reason */
    message =
      g_strdup_printf (_("No image of the library uses this file, and it cannot be read: %s."),
                       local_error->message);
  else if (name_hash != NULL && !g_str_equal (name_hash, actual))
    message = g_strdup (
      _("No image of the library uses this file, and its content does not match its name."));
  else if (has_row)
    message = g_strdup (_("Another copy of an image of the library, under another name."));
  else
    message = g_strdup (_("No image of the library uses this file."));

  entry = entry_new (name_hash, relative, actual, message);
  g_ptr_array_add (verify->report->orphans, entry);
  source = add_source (verify, relative, actual, verify->report->orphans, entry);
  source->set_aside = name_hash != NULL && actual != NULL && !g_str_equal (name_hash, actual);
  return TRUE;
}

/* The file of @row is at its path: is it intact? */
static gboolean
check_row_file (Verify        *verify,
                const Row     *row,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autofree char *actual = NULL;
  g_autoptr(GError) local_error = NULL;
  EaselVerifyEntry *entry;
  Source *damaged;

  actual = hash_file (verify, row->path, cancellable, &local_error);
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  count_checked (verify);
  if (actual != NULL && g_str_equal (actual, row->hash))
    {
      verify->report->ok++;
      return TRUE;
    }

  if (actual == NULL)
    entry = entry_new (row->hash, row->path, NULL,
                       /* Translators: %s is the system's reason */
                       g_strdup_printf (_("The file cannot be read: %s."), local_error->message));
  else
    entry =
      entry_new (row->hash, row->path, actual,
                 g_strdup (_("The file’s content has changed: it no longer matches its hash.")));
  g_ptr_array_add (verify->report->corrupt, entry);

  damaged = add_source (verify, row->path, actual, verify->report->corrupt, entry);
  damaged->set_aside = TRUE;
  add_broken (verify, row, entry, damaged);
  return TRUE;
}

/* The rows, merged with the files */

/* Sets @row to the next row not merged yet, %NULL after the last. */
static gboolean
peek_row (Verify     *verify,
          const Row **row,
          GError    **error)
{
  *row = NULL;
  while (verify->rows == NULL || verify->next_row >= verify->rows->len)
    {
      GPtrArray *rows;

      if (verify->rows_done)
        return TRUE;

      rows = easel_store_run_sync (verify->store, read_rows_func, verify->after, error);
      if (rows == NULL)
        return FALSE;
      g_clear_pointer (&verify->rows, g_ptr_array_unref);
      verify->rows = rows;
      verify->next_row = 0;
      verify->rows_done = rows->len < CHUNK_ROWS;
      if (rows->len > 0)
        {
          g_free (verify->after);
          verify->after = g_strdup (((Row *) g_ptr_array_index (rows, rows->len - 1))->hash);
        }

      /* A row whose path is not its hash's cannot be merged with the
       * files, nor repaired without changing it. */
      for (guint i = 0; i < rows->len;)
        {
          Row *bad = g_ptr_array_index (rows, i);
          g_autofree char *name_hash = dup_name_hash (bad->path);

          if (name_hash != NULL && g_str_equal (name_hash, bad->hash))
            {
              i++;
              continue;
            }

          count_checked (verify);
          g_ptr_array_add (
            verify->report->corrupt,
            entry_new (bad->hash, bad->path, NULL,
                       g_strdup (_("The library names a wrong file for this image."))));
          g_ptr_array_add (verify->report->unrepairable,
                           entry_new (bad->hash, bad->path, NULL,
                                      g_strdup (_("The library names a wrong file for this image; "
                                                  "its row must be corrected by hand."))));
          g_ptr_array_remove_index (rows, i);
        }
    }
  *row = g_ptr_array_index (verify->rows, verify->next_row);
  return TRUE;
}

/* Rows before @hash (all of them, for %NULL) whose file was not met. */
static gboolean
finish_rows_before (Verify      *verify,
                    const char  *hash,
                    GError     **error)
{
  const Row *row;

  for (;;)
    {
      if (!peek_row (verify, &row, error))
        return FALSE;
      if (row == NULL || (hash != NULL && strcmp (row->hash, hash) >= 0))
        return TRUE;

      EaselVerifyEntry *entry = entry_new (row->hash, row->path, NULL,
                                           g_strdup (_("The file is missing.")));

      count_checked (verify);
      g_ptr_array_add (verify->report->missing, entry);
      add_broken (verify, row, entry, NULL);
      verify->next_row++;
    }
}

/* A file under a store name ("ab/cd/<hash>.<ext>"), in hash order. */
static gboolean
visit_store_file (Verify        *verify,
                  const char    *relative,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *hash = dup_name_hash (relative);
  const Row *row;

  if (!finish_rows_before (verify, hash, error) || !peek_row (verify, &row, error))
    return FALSE;

  if (row != NULL && g_str_equal (row->hash, hash))
    {
      if (g_str_equal (row->path, relative))
        {
          verify->next_row++;
          return check_row_file (verify, row, cancellable, error);
        }
      /* Another extension: the row's own file comes next, or is missing. */
      return add_orphan (verify, relative, TRUE, cancellable, error);
    }

  return add_orphan (verify, relative, FALSE, cancellable, error);
}

/* Walking the store */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in a folder, sorted; empty when it cannot be read. */
static GPtrArray *
list_sorted (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

static gboolean
is_fanout_name (const char *name)
{
  return g_ascii_isxdigit (name[0]) && !g_ascii_isupper (name[0]) &&
         g_ascii_isxdigit (name[1]) && !g_ascii_isupper (name[1]) &&
         name[2] == '\0';
}

static gboolean
visit_unexpected (Verify        *verify,
                  const char    *relative,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *path = g_build_filename (verify->root, relative, NULL);
  GStatBuf st;

  if (g_lstat (path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      g_ptr_array_add (
        verify->report->orphans,
        entry_new (NULL, relative, NULL,
                   g_strdup (_("A folder that does not belong in the image store."))));
      return TRUE;
    }
  return add_orphan (verify, relative, FALSE, cancellable, error);
}

static gboolean
visit_temp (Verify        *verify,
            const char    *relative,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *path = g_build_filename (verify->root, relative, NULL);
  g_autofree char *actual = NULL;
  g_autoptr(GError) local_error = NULL;
  EaselVerifyEntry *entry;
  Source *source;
  GStatBuf st;

  /* A younger one may be a download being stored right now. */
  if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode) ||
      g_get_real_time () / G_USEC_PER_SEC - st.st_mtime <= STALE_TEMP_S)
    return TRUE;

  actual = hash_file (verify, relative, cancellable, &local_error);
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  entry = entry_new (NULL, relative, actual,
                     g_strdup (_("Left over by an import that was interrupted.")));
  g_ptr_array_add (verify->report->leftovers, entry);
  source = add_source (verify, relative, actual, verify->report->leftovers, entry);
  source->leftover = TRUE;
  return TRUE;
}

static gboolean
walk_fanout (Verify        *verify,
             const char    *first,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *first_path = g_build_filename (verify->root, first, NULL);
  g_autoptr(GPtrArray) seconds = list_sorted (first_path);

  for (guint i = 0; i < seconds->len; i++)
    {
      const char *second = g_ptr_array_index (seconds, i);
      g_autofree char *second_relative = g_build_filename (first, second, NULL);
      g_autofree char *second_path = g_build_filename (verify->root, second_relative, NULL);
      g_autoptr(GPtrArray) names = NULL;
      GStatBuf st;

      if (!is_fanout_name (second) || g_lstat (second_path, &st) != 0 || !S_ISDIR (st.st_mode))
        {
          if (!visit_unexpected (verify, second_relative, cancellable, error))
            return FALSE;
          continue;
        }

      names = list_sorted (second_path);
      for (guint k = 0; k < names->len; k++)
        {
          g_autofree char *relative =
            g_build_filename (second_relative, g_ptr_array_index (names, k), NULL);
          gboolean ok;

          if (easel_image_store_is_relative_path (relative))
            ok = visit_store_file (verify, relative, cancellable, error);
          else
            ok = visit_unexpected (verify, relative, cancellable, error);
          if (!ok)
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
walk_store (Verify        *verify,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GPtrArray) names = list_sorted (verify->root);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (verify->root, name, NULL);
      GStatBuf st;
      gboolean ok;

      if (g_lstat (path, &st) != 0)
        continue;

      if (S_ISDIR (st.st_mode) && g_str_equal (name, CORRUPT_DIR))
        ok = TRUE;
      else if (S_ISDIR (st.st_mode) && is_fanout_name (name))
        ok = walk_fanout (verify, name, cancellable, error);
      else if (g_str_has_prefix (name, TEMP_PREFIX))
        ok = visit_temp (verify, name, cancellable, error);
      else
        ok = visit_unexpected (verify, name, cancellable, error);
      if (!ok)
        return FALSE;
    }

  return finish_rows_before (verify, NULL, error);
}

/* Repairs */

static gboolean
move_file (Verify      *verify,
           const char  *from,
           const char  *to,
           GError     **error)
{
  g_autofree char *from_path = g_build_filename (verify->root, from, NULL);
  g_autofree char *to_path = g_build_filename (verify->root, to, NULL);
  g_autofree char *to_dir = g_path_get_dirname (to_path);
  GStatBuf st;
  int saved_errno;

  /* A lost rename (a power cut) leaves the file where it was, for the
   * next run to find: no need to sync the folders. */
  if (g_mkdir_with_parents (to_dir, 0700) != 0)
    saved_errno = errno;
  else if (g_lstat (to_path, &st) == 0)
    saved_errno = EEXIST;   /* never over another file */
  else if (g_rename (from_path, to_path) != 0)
    saved_errno = errno;
  else
    return TRUE;

  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       g_strerror (saved_errno));
  return FALSE;
}

/* Moves @source to "corrupt/", under a name that is free there. */
static gboolean
set_aside (Verify  *verify,
           Source  *source,
           GError **error)
{
  g_autofree char *base = g_path_get_basename (source->path);
  const char *dot = strchr (base, '.');
  g_autofree char *stem = dot != NULL ? g_strndup (base, (gsize) (dot - base)) : g_strdup (base);

  for (guint n = 0; n < 1000; n++)
    {
      g_autofree char *name = n == 0 ? g_strdup (base)
                                     : g_strdup_printf ("%s-%u%s", stem, n, dot != NULL ? dot : "");
      g_autofree char *target = g_build_filename (CORRUPT_DIR, name, NULL);
      g_autoptr(GError) local_error = NULL;

      if (move_file (verify, source->path, target, &local_error))
        {
          g_free (source->path);
          source->path = g_steal_pointer (&target);
          return TRUE;
        }
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, g_strerror (EEXIST));
  return FALSE;
}

static void
repair_set_aside (Verify *verify)
{
  for (guint i = 0; i < verify->sources->len; i++)
    {
      Source *source = g_ptr_array_index (verify->sources, i);
      g_autoptr(GError) error = NULL;

      if (!source->set_aside)
        continue;

      if (set_aside (verify, source, &error))
        entry_set_message (
          source->entry,
          /* Translators: the first %s says what was wrong, the second is a file */
          g_strdup_printf (_("%s Moved to “%s”."), source->entry->message, source->path));
      else
        entry_set_message (
          source->entry,
          /* Translators: the first %s says what was wrong, the second the reason */
          g_strdup_printf (_("%s It cannot be moved aside: %s."), source->entry->message,
                           error->message));
    }
}

/* Whether @broken can get its file back, and in a repair, gets it. */
static gboolean
restore (Verify  *verify,
         Broken  *broken,
         char   **message)
{
  Source *source = g_hash_table_lookup (verify->by_hash, broken->row.hash);
  g_autoptr(GError) error = NULL;
  g_autofree char *from = NULL;

  if (source == NULL || source->used)
    {
      *message =
        g_strdup (_("No intact copy of the file was found. The library still lists the image."));
      return FALSE;
    }

  if (verify->repair)
    {
      /* Its damaged file must be out of the way first. */
      if (broken->damaged != NULL && g_str_equal (broken->damaged->path, broken->row.path))
        {
          *message =
            g_strdup (_("An intact copy was found, but the damaged file cannot be moved aside."));
          return FALSE;
        }
      if (!move_file (verify, source->path, broken->row.path, &error))
        {
          /* Translators: the first %s is a file, the second the reason */
          *message =
            g_strdup_printf (_("An intact copy is in “%s”, but it cannot be moved back: %s."),
                             source->path, error->message);
          return FALSE;
        }
    }

  source->used = TRUE;
  from = g_steal_pointer (&source->path);
  source->path = g_strdup (broken->row.path);
  /* Translators: %s is a file */
  *message = g_strdup_printf (_("Restored from “%s”."), from);

  /* Back where it belongs: no longer an orphan or a leftover. */
  if (verify->repair && source->list != verify->report->corrupt)
    g_ptr_array_remove (source->list, source->entry);
  else if (!verify->repair)
    entry_set_message (
      source->entry,
      /* Translators: the first %s says what the file is, the second is a file */
      g_strdup_printf (_("%s It holds the content of “%s”, which a repair restores."),
                       source->entry->message, broken->row.path));
  return TRUE;
}

static void
repair (Verify *verify)
{
  EaselVerifyReport *report = verify->report;

  if (verify->repair)
    repair_set_aside (verify);

  for (guint i = 0; i < verify->broken->len; i++)
    {
      Broken *broken = g_ptr_array_index (verify->broken, i);
      g_autofree char *message = NULL;

      if (restore (verify, broken, &message))
        {
          if (verify->repair)
            g_ptr_array_add (report->repaired,
                             entry_new (broken->row.hash, broken->row.path, broken->row.hash,
                                        g_steal_pointer (&message)));
        }
      else
        g_ptr_array_add (report->unrepairable, entry_new (broken->row.hash, broken->row.path, NULL,
                                                          g_steal_pointer (&message)));
    }

  for (guint i = 0; i < verify->sources->len; i++)
    {
      Source *source = g_ptr_array_index (verify->sources, i);
      g_autofree char *path = NULL;

      if (!source->leftover || source->used)
        continue;
      if (!verify->repair)
        {
          entry_set_message (
            source->entry, g_strdup_printf (_("%s A repair removes it."), source->entry->message));
          continue;
        }

      path = g_build_filename (verify->root, source->path, NULL);
      if (g_unlink (path) == 0)
        entry_set_message (source->entry,
                           g_strdup_printf (_("%s Removed."), source->entry->message));
      else
        entry_set_message (
          source->entry,
          /* Translators: the first %s says what the file is, the second the reason */
          g_strdup_printf (_("%s It cannot be removed: %s."), source->entry->message,
                           g_strerror (errno)));
    }
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Verify *verify = task_data;
  GError *error = NULL;
  guint64 total = 0;

  verify->report = report_new (verify->repair);
  verify->broken = g_ptr_array_new_with_free_func (row_free);
  verify->sources = g_ptr_array_new_with_free_func (source_free);
  verify->by_hash = g_hash_table_new (g_str_hash, g_str_equal);
  verify->buffer = g_malloc (READ_BUFFER_SIZE);
  verify->after = g_strdup ("");

  if (easel_store_run_sync (verify->store, count_rows_func, &total, &error) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_mutex_lock (&verify->mutex);
  verify->total = total;
  g_mutex_unlock (&verify->mutex);

  if (!walk_store (verify, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* From here on, whatever is started is finished and reported. */
  repair (verify);

  g_debug (
    "Verified %" G_GUINT64_FORMAT " images (%" G_GUINT64_FORMAT " bytes): %u missing, %u corrupt, "
    "%u repaired, %u orphans, %u leftovers, %u unrepairable",
    verify->report->checked, verify->report->bytes, verify->report->missing->len,
    verify->report->corrupt->len, verify->report->repaired->len, verify->report->orphans->len,
    verify->report->leftovers->len, verify->report->unrepairable->len);
  g_task_return_pointer (task, easel_verify_report_ref (verify->report),
                         (GDestroyNotify) easel_verify_report_unref);
}

/* Progress and results, on the caller's main context */

static void
show_progress (Verify   *verify,
               gboolean  final)
{
  guint64 checked, total;

  if (verify->progress == NULL)
    return;

  g_mutex_lock (&verify->mutex);
  checked = verify->checked;
  total = MAX (verify->total, checked);
  g_mutex_unlock (&verify->mutex);

  if (final)
    total = checked;
  if (verify->shown && checked == verify->shown_checked && total == verify->shown_total)
    return;

  verify->shown = TRUE;
  verify->shown_checked = checked;
  verify->shown_total = total;
  verify->progress (checked, total, verify->progress_data);
}

static gboolean
progress_cb (gpointer user_data)
{
  show_progress (user_data, FALSE);
  return G_SOURCE_CONTINUE;
}

static void
verify_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Verify *verify = g_task_get_task_data (task);
  GError *error = NULL;
  EaselVerifyReport *report;

  report = g_task_propagate_pointer (G_TASK (result), &error);

  if (verify->timer != NULL)
    {
      g_source_destroy (verify->timer);
      g_clear_pointer (&verify->timer, g_source_unref);
    }
  if (report != NULL)
    show_progress (verify, TRUE);

  if (report != NULL)
    g_task_return_pointer (task, report, (GDestroyNotify) easel_verify_report_unref);
  else
    g_task_return_error (task, error);
}

/**
 * easel_verify_run_async:
 * @store: the library's database, open
 * @images: the store of the originals
 * @repair: whether to repair what can be repaired (see the design note in
 *   easel-verify.c), or only to look
 * @progress: (nullable) (scope notified): called on the caller's main
 *   context while the run goes on
 * @progress_data: data for @progress, kept alive by the caller until
 *   @callback is called
 * @cancellable: (nullable): a #GCancellable; it stops the check, not a
 *   repair under way
 * @callback: called with the report
 * @user_data: data for @callback
 *
 * Checks every file of the image store against its hash and the library,
 * on a worker thread, and with @repair fixes what it can. Never deletes
 * anything but temp files of interrupted imports older than an hour.
 */
void
easel_verify_run_async (EaselStore          *store,
                        EaselImageStore     *images,
                        gboolean             repair,
                        EaselVerifyProgress  progress,
                        gpointer             progress_data,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) worker = NULL;
  GTask *task;
  Verify *verify;

  g_return_if_fail (EASEL_IS_STORE (store));
  g_return_if_fail (EASEL_IS_IMAGE_STORE (images));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  verify = g_new0 (Verify, 1);
  verify->store = g_object_ref (store);
  verify->images = g_object_ref (images);
  verify->root = g_strdup (easel_image_store_get_root (images));
  verify->repair = !!repair;
  verify->progress = progress;
  verify->progress_data = progress_data;
  g_mutex_init (&verify->mutex);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_verify_run_async);
  g_task_set_task_data (task, verify, verify_free);
  /* A report of repairs made is delivered even if cancelled meanwhile. */
  g_task_set_check_cancellable (task, FALSE);

  if (progress != NULL)
    {
      verify->timer = g_timeout_source_new (PROGRESS_INTERVAL_MS);
      g_source_set_callback (verify->timer, progress_cb, verify, NULL);
      g_source_set_static_name (verify->timer, "[easel] verify progress");
      g_source_attach (verify->timer, g_task_get_context (task));
    }

  /* The worker's task only borrows @verify, which @task owns and frees on
   * this thread. */
  worker = g_task_new (NULL, cancellable, verify_done_cb, task);
  g_task_set_source_tag (worker, verify_thread);
  g_task_set_task_data (worker, verify, NULL);
  g_task_set_check_cancellable (worker, FALSE);
  g_task_run_in_thread (worker, verify_thread);
}

/**
 * easel_verify_run_finish:
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the report, or %NULL with @error set (the
 *   database could not be read, or %G_IO_ERROR_CANCELLED before any
 *   repair)
 */
EaselVerifyReport *
easel_verify_run_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, easel_verify_run_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
