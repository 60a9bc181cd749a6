/* test-verify.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `easel verify` and EaselVerify against a real library in a temp folder
 * ($XDG_DATA_HOME/easel: the database and the image store), damaged on
 * purpose: a flipped byte, a missing file, an orphan, a file under the
 * wrong extension, temp files of interrupted imports old and new, a folder
 * where a file should be, a row naming a wrong path. A check must report
 * each and change nothing (the whole tree is compared before and after);
 * a repair must fix what it can, delete nothing but old temp files, and
 * report the rest. The command line is run as a separate process on the
 * same folder. Waiting spins the main context with a deadline. */

#include "config.h"

#include <string.h>
#include <utime.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "easel-image-store.h"
#include "easel-store.h"
#include "easel-test-dirs.h"
#include "easel-verify.h"

#define DEADLINE_SECONDS 60
#define N_LARGE 48
#define LARGE_SIZE (4 * 1024 * 1024)

typedef struct
{
  char            *data_dir;   /* $XDG_DATA_HOME for the command line */
  char            *root;
  EaselStore      *store;
  EaselImageStore *images;
  guint            seed;
} Fixture;

/* Waiting */

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for (gpointer *slot)
{
  gboolean timed_out = FALSE;
  guint deadline = g_timeout_add_seconds (DEADLINE_SECONDS, deadline_cb, &timed_out);

  while (*slot == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (deadline);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The library */

static gpointer
insert_row_func (EaselDb  *db,
                 gpointer  data,
                 GError  **error)
{
  const char * const *row = data;
  sqlite3_stmt *stmt;

  stmt =
    easel_db_prepare (db,
                      "INSERT INTO images (hash, path, width, height, mime, bytes, created_at) "
                      "VALUES (?1, ?2, 64, 48, 'image/png', 100, 0)",
                      error);
  if (stmt == NULL)
    return NULL;
  easel_db_bind_text (stmt, 1, row[0]);
  easel_db_bind_text (stmt, 2, row[1]);
  if (easel_db_step (db, stmt, error) != SQLITE_DONE)
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
insert_row (Fixture    *f,
            const char *hash,
            const char *relative)
{
  const char *row[] = { hash, relative };
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (easel_store_run_sync (f->store, insert_row_func, row, &error));
  g_assert_no_error (error);
}

/* A small real PNG, different for every call. */
static GBytes *
make_png (Fixture *f)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize length = 0;

  gdk_pixbuf_fill (pixbuf, 0x10203000u + (++f->seed) * 0x01030500u);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, length);
}

typedef struct
{
  char   *hash;
  char   *relative;
  GBytes *bytes;
} Image;

static void
image_free (Image *image)
{
  g_free (image->hash);
  g_free (image->relative);
  g_bytes_unref (image->bytes);
  g_free (image);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Image, image_free)

/* An image of the library: its file under @extension, its row. */
static Image *
add_image (Fixture    *f,
           const char *extension)
{
  Image *image = g_new0 (Image, 1);
  g_autoptr(GError) error = NULL;

  image->bytes = make_png (f);
  image->hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, image->bytes);
  image->relative =
    easel_image_store_import_bytes (f->images, image->bytes, image->hash, extension, NULL, &error);
  g_assert_no_error (error);
  insert_row (f, image->hash, image->relative);
  return image;
}

static char *
path_of (Fixture    *f,
         const char *relative)
{
  return g_build_filename (f->root, relative, NULL);
}

static char *
hash_of_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, length);
}

static void
write_file (const char *path,
            GBytes     *bytes,
            gint64      age_seconds)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  if (age_seconds > 0)
    {
      struct utimbuf times;

      times.actime = times.modtime = (time_t) (g_get_real_time () / G_USEC_PER_SEC - age_seconds);
      g_assert_cmpint (g_utime (path, &times), ==, 0);
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every file and folder below @path with its content's hash: a picture of
 * the tree, to show a check changed nothing. */
static void
snapshot_into (const char *path,
               const char *relative,
               GString    *out)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);
      g_autofree char *child_relative =
        g_build_filename (relative, g_ptr_array_index (names, i), NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          g_string_append_printf (out, "%s/\n", child_relative);
          snapshot_into (child, child_relative, out);
        }
      else
        {
          g_autofree char *hash = hash_of_file (child);

          g_string_append_printf (out, "%s %s\n", child_relative, hash);
        }
    }
}

static char *
snapshot (Fixture *f)
{
  GString *out = g_string_new (NULL);

  snapshot_into (f->root, "", out);
  return g_string_free (out, FALSE);
}

/* Running */

typedef struct
{
  GThread *main_thread;
  guint    calls;
  guint    off_main;
  guint64  last_checked;
  guint64  last_total;
  gboolean went_back;
} Progress;

static void
progress_cb (guint64  checked,
             guint64  total,
             gpointer user_data)
{
  Progress *progress = user_data;

  progress->calls++;
  if (g_thread_self () != progress->main_thread)
    progress->off_main++;
  if (checked < progress->last_checked || checked > total)
    progress->went_back = TRUE;
  progress->last_checked = checked;
  progress->last_total = total;
}

static EaselVerifyReport *
run_verify (Fixture   *f,
            gboolean   repair,
            Progress  *progress)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EaselVerifyReport *report;

  easel_verify_run_async (f->store, f->images, repair, progress != NULL ? progress_cb : NULL,
                          progress, NULL, result_cb, &result);
  wait_for ((gpointer *) &result);
  report = easel_verify_run_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

/* The entry of @list about @relative, or NULL. */
static EaselVerifyEntry *
find_entry (GPtrArray  *list,
            const char *relative)
{
  for (guint i = 0; i < list->len; i++)
    {
      EaselVerifyEntry *entry = g_ptr_array_index (list, i);

      if (g_str_equal (entry->relative_path, relative))
        return entry;
    }
  return NULL;
}

static void
assert_listed (GPtrArray  *list,
               const char *relative)
{
  EaselVerifyEntry *entry = find_entry (list, relative);

  if (entry == NULL)
    g_error ("%s is not listed", relative);
  g_assert_nonnull (entry->message);
  g_assert_cmpstr (entry->message, !=, "");
}

/* Fixture */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *db = NULL;
  g_autoptr(GError) error = NULL;

  f->data_dir = easel_test_make_dir ("verify");
  f->root = g_build_filename (f->data_dir, "easel", "images", NULL);
  db = g_build_filename (f->data_dir, "easel", "easel.db", NULL);
  f->store = easel_store_new (db);
  g_assert_true (easel_store_open_sync (f->store, &error));
  g_assert_no_error (error);
  f->images = easel_image_store_new (f->root);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  easel_store_close (f->store);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->images);
  easel_test_remove_tree (f->data_dir);
  g_free (f->data_dir);
  g_free (f->root);
}

/* Tests */

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(EaselVerifyReport) report = run_verify (f, TRUE, NULL);

  /* No image store yet: nothing to check, nothing created. */
  g_assert_cmpuint (report->checked, ==, 0);
  g_assert_true (easel_verify_report_is_clean (report));
  g_assert_false (g_file_test (f->root, G_FILE_TEST_EXISTS));
}

static void
test_clean (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Image) a = add_image (f, "png");
  g_autoptr(Image) b = add_image (f, "png");
  g_autoptr(Image) c = add_image (f, "jpg");   /* the name is what counts, not the content */
  g_autoptr(EaselVerifyReport) report = run_verify (f, FALSE, NULL);

  g_assert_cmpuint (report->checked, ==, 3);
  g_assert_cmpuint (report->ok, ==, 3);
  g_assert_cmpuint (report->bytes, ==, g_bytes_get_size (a->bytes) + g_bytes_get_size (b->bytes) +
                                       g_bytes_get_size (c->bytes));
  g_assert_cmpuint (report->missing->len, ==, 0);
  g_assert_cmpuint (report->corrupt->len, ==, 0);
  g_assert_cmpuint (report->orphans->len, ==, 0);
  g_assert_cmpuint (report->leftovers->len, ==, 0);
  g_assert_cmpuint (report->unrepairable->len, ==, 0);
  g_assert_true (easel_verify_report_is_clean (report));
}

/* The damaged library of the next tests. */
typedef struct
{
  Image *good[2];
  Image *corrupt;       /* a flipped byte, no other copy */
  Image *corrupt_copy;  /* a flipped byte, an intact copy under a stray name */
  Image *missing;       /* gone */
  Image *in_temp;       /* gone, but an old temp file holds it */
  Image *other_ext;     /* its file is under another extension */
  Image *folder;        /* a folder where its file should be */
  char  *orphan;        /* a valid image no row uses */
  char  *stray;         /* the copy of corrupt_copy */
  char  *old_temp;      /* garbage left by an interrupted import */
  char  *old_temp_image;
  char  *new_temp;      /* an import under way */
  char  *bad_row;       /* a row naming another hash's path */
} Damage;

static void
flip_byte (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  contents[length / 2] ^= 0x40;
  g_assert_true (g_file_set_contents (path, contents, length, &error));
}

static void
damage_library (Fixture *f,
                Damage  *d)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) orphan_bytes = NULL;
  g_autoptr(GBytes) garbage = g_bytes_new_static ("half a file", 11);
  g_autofree char *orphan_hash = NULL;
  g_autofree char *bad_hash = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (d->good); i++)
    d->good[i] = add_image (f, "png");

  d->corrupt = add_image (f, "png");
  path = path_of (f, d->corrupt->relative);
  flip_byte (path);
  g_clear_pointer (&path, g_free);

  d->corrupt_copy = add_image (f, "png");
  d->stray = g_strdup ("ab/cd/copy-of-something.png");
  path = path_of (f, d->stray);
  write_file (path, d->corrupt_copy->bytes, 0);
  g_clear_pointer (&path, g_free);
  path = path_of (f, d->corrupt_copy->relative);
  flip_byte (path);
  g_clear_pointer (&path, g_free);

  d->missing = add_image (f, "png");
  path = path_of (f, d->missing->relative);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_clear_pointer (&path, g_free);

  d->in_temp = add_image (f, "png");
  path = path_of (f, d->in_temp->relative);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_clear_pointer (&path, g_free);
  d->old_temp_image = g_strdup (".incoming-OLD2");
  path = path_of (f, d->old_temp_image);
  write_file (path, d->in_temp->bytes, 2 * 60 * 60);
  g_clear_pointer (&path, g_free);

  /* Its row says .png; the store holds it as .jpg. */
  d->other_ext = g_new0 (Image, 1);
  d->other_ext->bytes = make_png (f);
  d->other_ext->hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, d->other_ext->bytes);
  d->other_ext->relative = easel_image_store_build_relative_path (d->other_ext->hash, "png");
  g_free (easel_image_store_import_bytes (f->images, d->other_ext->bytes, d->other_ext->hash, "jpg",
                                         NULL, &error));
  g_assert_no_error (error);
  insert_row (f, d->other_ext->hash, d->other_ext->relative);

  d->folder = add_image (f, "png");
  path = path_of (f, d->folder->relative);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  g_clear_pointer (&path, g_free);

  orphan_bytes = make_png (f);
  orphan_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, orphan_bytes);
  d->orphan =
    easel_image_store_import_bytes (f->images, orphan_bytes, orphan_hash, "png", NULL, &error);
  g_assert_no_error (error);

  d->old_temp = g_strdup (".incoming-OLD1");
  path = path_of (f, d->old_temp);
  write_file (path, garbage, 3 * 60 * 60);
  g_clear_pointer (&path, g_free);

  d->new_temp = g_strdup (".incoming-NEW1");
  path = path_of (f, d->new_temp);
  write_file (path, garbage, 0);
  g_clear_pointer (&path, g_free);

  /* A row whose path holds another hash. */
  bad_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "bad row", -1);
  d->bad_row = g_strdup (d->good[0]->relative);
  insert_row (f, bad_hash, d->bad_row);
}

static void
damage_clear (Damage *d)
{
  for (guint i = 0; i < G_N_ELEMENTS (d->good); i++)
    image_free (d->good[i]);
  image_free (d->corrupt);
  image_free (d->corrupt_copy);
  image_free (d->missing);
  image_free (d->in_temp);
  image_free (d->other_ext);
  image_free (d->folder);
  g_free (d->orphan);
  g_free (d->stray);
  g_free (d->old_temp);
  g_free (d->old_temp_image);
  g_free (d->new_temp);
  g_free (d->bad_row);
}

static void
test_check_reports (Fixture       *f,
                    gconstpointer  data)
{
  Damage d = { { NULL } };
  g_autoptr(EaselVerifyReport) report = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *other_ext_file = NULL;
  EaselVerifyEntry *entry;

  damage_library (f, &d);
  before = snapshot (f);
  report = run_verify (f, FALSE, NULL);
  after = snapshot (f);

  /* A check changes nothing. */
  g_assert_cmpstr (before, ==, after);
  g_assert_false (report->repair);
  g_assert_false (easel_verify_report_is_clean (report));

  g_assert_cmpuint (report->checked, ==, 9);
  g_assert_cmpuint (report->ok, ==, 2);

  g_assert_cmpuint (report->missing->len, ==, 3);
  assert_listed (report->missing, d.missing->relative);
  assert_listed (report->missing, d.in_temp->relative);
  assert_listed (report->missing, d.other_ext->relative);

  g_assert_cmpuint (report->corrupt->len, ==, 4);
  assert_listed (report->corrupt, d.corrupt->relative);
  assert_listed (report->corrupt, d.corrupt_copy->relative);
  assert_listed (report->corrupt, d.folder->relative);
  assert_listed (report->corrupt, d.bad_row);
  entry = find_entry (report->corrupt, d.corrupt->relative);
  g_assert_cmpstr (entry->hash, ==, d.corrupt->hash);
  g_assert_nonnull (entry->actual_hash);
  g_assert_cmpstr (entry->actual_hash, !=, d.corrupt->hash);
  g_assert_null (find_entry (report->corrupt, d.folder->relative)->actual_hash);

  other_ext_file = easel_image_store_build_relative_path (d.other_ext->hash, "jpg");
  g_assert_cmpuint (report->orphans->len, ==, 3);
  assert_listed (report->orphans, d.orphan);
  assert_listed (report->orphans, d.stray);
  assert_listed (report->orphans, other_ext_file);
  entry = find_entry (report->orphans, d.stray);
  g_assert_null (entry->hash);
  g_assert_cmpstr (entry->actual_hash, ==, d.corrupt_copy->hash);

  /* The new temp file may be a download being stored: not touched. */
  g_assert_cmpuint (report->leftovers->len, ==, 2);
  assert_listed (report->leftovers, d.old_temp);
  assert_listed (report->leftovers, d.old_temp_image);
  g_assert_null (find_entry (report->leftovers, d.new_temp));

  /* What a repair could not fix either. */
  g_assert_cmpuint (report->repaired->len, ==, 0);
  g_assert_cmpuint (report->unrepairable->len, ==, 4);
  assert_listed (report->unrepairable, d.corrupt->relative);
  assert_listed (report->unrepairable, d.missing->relative);
  assert_listed (report->unrepairable, d.folder->relative);
  assert_listed (report->unrepairable, d.bad_row);

  damage_clear (&d);
}

static void
assert_intact (Fixture     *f,
               const Image *image)
{
  g_autofree char *path = path_of (f, image->relative);
  g_autofree char *hash = hash_of_file (path);

  g_assert_cmpstr (hash, ==, image->hash);
}

static void
assert_exists (Fixture    *f,
               const char *relative,
               gboolean    exists)
{
  g_autofree char *path = path_of (f, relative);

  if (g_file_test (path, G_FILE_TEST_EXISTS) != exists)
    g_error ("%s %s", relative, exists ? "is missing" : "is still there");
}

static void
test_repair (Fixture       *f,
             gconstpointer  data)
{
  Damage d = { { NULL } };
  g_autoptr(EaselVerifyReport) report = NULL;
  g_autoptr(EaselVerifyReport) again = NULL;
  g_autofree char *other_ext_file = NULL;
  g_autofree char *corrupt_name = NULL;
  g_autofree char *corrupt_copy_name = NULL;
  g_autofree char *folder_name = NULL;
  g_autofree char *aside = NULL;

  damage_library (f, &d);
  report = run_verify (f, TRUE, NULL);
  g_assert_true (report->repair);

  /* Restored: from an old temp file, from another extension, and over a
   * damaged file from a stray copy. */
  g_assert_cmpuint (report->repaired->len, ==, 3);
  assert_listed (report->repaired, d.in_temp->relative);
  assert_listed (report->repaired, d.other_ext->relative);
  assert_listed (report->repaired, d.corrupt_copy->relative);
  assert_intact (f, d.in_temp);
  assert_intact (f, d.other_ext);
  assert_intact (f, d.corrupt_copy);
  assert_intact (f, d.good[0]);
  assert_intact (f, d.good[1]);
  other_ext_file = easel_image_store_build_relative_path (d.other_ext->hash, "jpg");
  assert_exists (f, other_ext_file, FALSE);
  assert_exists (f, d.stray, FALSE);
  assert_exists (f, d.old_temp_image, FALSE);

  /* Damaged files are moved aside, never deleted. */
  corrupt_name = g_path_get_basename (d.corrupt->relative);
  aside = g_build_filename ("corrupt", corrupt_name, NULL);
  assert_exists (f, aside, TRUE);
  assert_exists (f, d.corrupt->relative, FALSE);
  g_clear_pointer (&aside, g_free);
  corrupt_copy_name = g_path_get_basename (d.corrupt_copy->relative);
  aside = g_build_filename ("corrupt", corrupt_copy_name, NULL);
  assert_exists (f, aside, TRUE);
  g_clear_pointer (&aside, g_free);
  folder_name = g_path_get_basename (d.folder->relative);
  aside = g_build_filename ("corrupt", folder_name, NULL);
  assert_exists (f, aside, TRUE);
  g_assert_nonnull (
    strstr (find_entry (report->corrupt, d.corrupt->relative)->message, "corrupt/"));

  /* Old garbage is removed; an import under way and orphans stay. */
  assert_exists (f, d.old_temp, FALSE);
  assert_exists (f, d.new_temp, TRUE);
  assert_exists (f, d.orphan, TRUE);
  g_assert_cmpuint (report->leftovers->len, ==, 1);
  assert_listed (report->leftovers, d.old_temp);
  g_assert_cmpuint (report->orphans->len, ==, 1);
  assert_listed (report->orphans, d.orphan);

  /* What could not be repaired: no intact copy anywhere, and a row that
   * names the wrong file. Rows are kept. */
  g_assert_cmpuint (report->unrepairable->len, ==, 4);
  assert_listed (report->unrepairable, d.corrupt->relative);
  assert_listed (report->unrepairable, d.missing->relative);
  assert_listed (report->unrepairable, d.folder->relative);
  assert_listed (report->unrepairable, d.bad_row);
  g_assert_false (easel_verify_report_is_clean (report));

  /* A second look: only those are left, as missing files now. */
  again = run_verify (f, FALSE, NULL);
  g_assert_cmpuint (again->ok, ==, 5);
  g_assert_cmpuint (again->missing->len, ==, 3);
  g_assert_cmpuint (again->corrupt->len, ==, 1);
  g_assert_cmpuint (again->orphans->len, ==, 1);
  g_assert_cmpuint (again->leftovers->len, ==, 0);
  g_assert_cmpuint (again->unrepairable->len, ==, 4);

  damage_clear (&d);
}

static void
test_repair_everything (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Image) moved = add_image (f, "png");
  g_autoptr(Image) good = add_image (f, "png");
  g_autoptr(EaselVerifyReport) report = NULL;
  g_autoptr(EaselVerifyReport) again = NULL;
  g_autofree char *path = path_of (f, moved->relative);
  g_autofree char *stray = path_of (f, "00/00/lost-and-found");

  write_file (stray, moved->bytes, 0);
  g_assert_cmpint (g_unlink (path), ==, 0);

  report = run_verify (f, TRUE, NULL);
  g_assert_cmpuint (report->missing->len, ==, 1);
  g_assert_cmpuint (report->repaired->len, ==, 1);
  g_assert_cmpuint (report->unrepairable->len, ==, 0);
  g_assert_true (easel_verify_report_is_clean (report));
  assert_intact (f, moved);

  again = run_verify (f, FALSE, NULL);
  g_assert_true (easel_verify_report_is_clean (again));
  g_assert_cmpuint (again->ok, ==, 2);
}

static void
test_progress (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(EaselVerifyReport) report = NULL;
  Progress progress = { g_thread_self (), 0, 0, 0, 0, FALSE };
  gint64 start;
  double seconds;

  /* Large enough files for the run to last a while. */
  for (guint i = 0; i < N_LARGE; i++)
    {
      g_autofree guint32 *words = g_new (guint32, LARGE_SIZE / 4);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *hash = NULL;
      g_autofree char *relative = NULL;
      g_autofree char *path = NULL;

      for (gsize k = 0; k < LARGE_SIZE / 4; k++)
        words[k] = g_random_int ();
      bytes = g_bytes_new_take (g_steal_pointer (&words), LARGE_SIZE);
      hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
      relative = easel_image_store_build_relative_path (hash, "png");
      path = path_of (f, relative);
      write_file (path, bytes, 0);
      insert_row (f, hash, relative);
    }

  start = g_get_monotonic_time ();
  report = run_verify (f, FALSE, &progress);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  g_assert_cmpuint (report->checked, ==, N_LARGE);
  g_assert_cmpuint (report->ok, ==, N_LARGE);
  g_assert_cmpuint (progress.off_main, ==, 0);
  g_assert_false (progress.went_back);
  g_assert_cmpuint (progress.last_checked, ==, N_LARGE);
  g_assert_cmpuint (progress.last_total, ==, N_LARGE);

  /* Coalesced: a few calls a second, not one per file; and some while
   * the run goes on, when it lasts long enough to show them. */
  g_test_message ("%u progress calls in %.2f s", progress.calls, seconds);
  g_assert_cmpuint (progress.calls, >=, 1);
  g_assert_cmpuint (progress.calls, <=, (guint) (seconds * 4) + 2);
  if (seconds > 0.75)
    g_assert_cmpuint (progress.calls, >=, 2);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Image) image = add_image (f, "png");
  g_autoptr(GBytes) garbage = g_bytes_new_static ("x", 1);
  g_autofree char *temp = path_of (f, ".incoming-OLD");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  write_file (temp, garbage, 2 * 60 * 60);
  before = snapshot (f);

  g_cancellable_cancel (cancellable);
  easel_verify_run_async (f->store, f->images, TRUE, NULL, NULL, cancellable, result_cb, &result);
  wait_for ((gpointer *) &result);
  g_assert_null (easel_verify_run_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  after = snapshot (f);
  g_assert_cmpstr (before, ==, after);
}

/* The command line */

typedef struct
{
  char *out;
  char *err;
  int   status;
} Cli;

static void
cli_clear (Cli *cli)
{
  g_clear_pointer (&cli->out, g_free);
  g_clear_pointer (&cli->err, g_free);
}

typedef struct
{
  Cli      *cli;
  gboolean  done;
} CliWait;

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CliWait *wait = user_data;
  GSubprocess *process = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (process, result, &wait->cli->out, &wait->cli->err, &error);
  g_assert_no_error (error);
  wait->cli->status =
    g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  wait->done = TRUE;
}

static gboolean
wait_done (gpointer data)
{
  return ((CliWait *) data)->done;
}

static Cli
run_cli (Fixture    *f,
         const char *first,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Cli cli = { NULL, NULL, -1 };
  CliWait wait = { &cli, FALSE };
  gboolean timed_out = FALSE;
  guint deadline;
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("EASEL_BINARY"));
  g_ptr_array_add (argv, (char *) "verify");
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", f->data_dir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  deadline = g_timeout_add_seconds (DEADLINE_SECONDS, deadline_cb, &timed_out);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, &wait);
  while (!wait_done (&wait) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (deadline);
  return cli;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(Image) a = add_image (f, "png");
  g_autoptr(Image) b = add_image (f, "png");
  g_autoptr(Image) c = add_image (f, "png");
  g_autoptr(JsonObject) json = NULL;
  g_autofree char *a_path = path_of (f, a->relative);
  g_autofree char *b_path = path_of (f, b->relative);
  g_autofree char *stray = path_of (f, ".incoming-OLD");
  JsonArray *missing;
  Cli cli;

  if (g_getenv ("EASEL_BINARY") == NULL)
    {
      g_test_skip ("EASEL_BINARY is not set");
      return;
    }

  /* Intact: status 0, a summary, progress on standard error. */
  cli = run_cli (f, NULL);
  g_assert_cmpint (cli.status, ==, 0);
  g_assert_nonnull (strstr (cli.out, "Checked 3 images"));
  g_assert_nonnull (strstr (cli.out, "Every image is intact."));
  g_assert_nonnull (strstr (cli.err, "3 of 3 (100%)"));
  g_assert_null (strstr (cli.err, "\r"));   /* not a terminal: plain lines */
  cli_clear (&cli);

  /* One file moved to a temp name long ago, one damaged for good. */
  write_file (stray, a->bytes, 2 * 60 * 60);
  g_assert_cmpint (g_unlink (a_path), ==, 0);
  flip_byte (b_path);

  cli = run_cli (f, "--json", NULL);
  g_assert_cmpint (cli.status, ==, 1);
  json = parse_object (cli.out);
  g_assert_false (json_object_get_boolean_member (json, "repair"));
  g_assert_false (json_object_get_boolean_member (json, "clean"));
  g_assert_cmpint (json_object_get_int_member (json, "checked"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json, "ok"), ==, 1);
  missing = json_object_get_array_member (json, "missing");
  g_assert_cmpuint (json_array_get_length (missing), ==, 1);
  g_assert_cmpstr (
    json_object_get_string_member (json_array_get_object_element (missing, 0), "hash"), ==,
    a->hash);
  g_assert_cmpstr (
    json_object_get_string_member (json_array_get_object_element (missing, 0), "path"), ==,
    a->relative);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json, "corrupt")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json, "leftovers")), ==,
                    1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json, "unrepairable")), ==,
                    1);
  g_clear_pointer (&json, json_object_unref);
  cli_clear (&cli);

  /* The text report says what is wrong and what to do. */
  cli = run_cli (f, NULL);
  g_assert_cmpint (cli.status, ==, 1);
  g_assert_nonnull (strstr (cli.out, a->relative));
  g_assert_nonnull (strstr (cli.out, b->relative));
  g_assert_nonnull (strstr (cli.out, "easel verify --repair"));
  cli_clear (&cli);

  /* A repair restores one; the damaged one remains a problem. */
  cli = run_cli (f, "--repair", NULL);
  g_assert_cmpint (cli.status, ==, 1);
  g_assert_nonnull (strstr (cli.out, "Repaired:"));
  g_assert_nonnull (strstr (cli.out, "Cannot be repaired:"));
  assert_intact (f, a);
  g_assert_false (g_file_test (b_path, G_FILE_TEST_EXISTS));
  cli_clear (&cli);

  /* Once the damaged image's file is back, all is well. */
  write_file (b_path, b->bytes, 0);
  cli = run_cli (f, "--repair", NULL);
  g_assert_cmpint (cli.status, ==, 0);
  cli_clear (&cli);
  cli = run_cli (f, "--json", NULL);
  g_assert_cmpint (cli.status, ==, 0);
  json = parse_object (cli.out);
  g_assert_true (json_object_get_boolean_member (json, "clean"));
  g_assert_cmpint (json_object_get_int_member (json, "ok"), ==, 3);
  cli_clear (&cli);

  /* Usage errors. */
  cli = run_cli (f, "--frobnicate", NULL);
  g_assert_cmpint (cli.status, ==, 2);
  cli_clear (&cli);
  cli = run_cli (f, "extra", NULL);
  g_assert_cmpint (cli.status, ==, 2);
  cli_clear (&cli);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/Easel/Verify/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("empty", test_empty);
  ADD ("clean", test_clean);
  ADD ("check-reports", test_check_reports);
  ADD ("repair", test_repair);
  ADD ("repair-everything", test_repair_everything);
  ADD ("progress", test_progress);
  ADD ("cancel", test_cancel);
  ADD ("cli", test_cli);

#undef ADD

  return g_test_run ();
}
