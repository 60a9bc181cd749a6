/* test-thumbnailer.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* EaselThumbnailer against real originals in an image store in a temp
 * folder: PNG, JPEG and WebP written by gdk-pixbuf, videos, damaged and
 * hostile files. What is checked is what can be seen from outside: the
 * pixbufs, the cache folder (which files exist, their inodes and times)
 * and the originals, which are removed to prove a cache hit never reads
 * them. The shared MIME database is hidden (isolated directories), as it
 * is on some systems. Waiting spins the main context with a deadline. */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "easel-error.h"
#include "easel-image-store.h"
#include "easel-media-check.h"
#include "easel-test-dirs.h"
#include "easel-thumbnailer.h"

#define DEADLINE_SECONDS 30
#define MAX_THREADS 4

/* ftyp (isom) and an empty moov box. */
static const guint8 mp4_minimal[] = {
  0x00, 0x00, 0x00, 0x14, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm',
  0x00, 0x00, 0x02, 0x00, 'i', 's', 'o', 'm',
  0x00, 0x00, 0x00, 0x08, 'm', 'o', 'o', 'v',
};

typedef struct
{
  char             *tmp;
  char             *cache;
  EaselImageStore  *images;
  EaselThumbnailer *thumbnailer;
} Fixture;

/* Waiting */

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*Condition) (gpointer data);

/* Spins the main context until @condition holds, failing after the
 * deadline. The tick wakes it up for conditions that change on other
 * threads. */
static void
spin_until (Condition condition,
            gpointer  data)
{
  gboolean timed_out = FALSE;
  guint deadline = g_timeout_add_seconds (DEADLINE_SECONDS, deadline_cb, &timed_out);
  guint tick = g_timeout_add (10, tick_cb, NULL);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
  if (!timed_out)
    g_source_remove (deadline);
  g_assert_false (timed_out);
}

static gboolean
pointer_is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Images */

/* A deterministic picture with detail (so JPEG has work to do), different
 * for every @seed. */
static GdkPixbuf *
make_pixbuf (int      width,
             int      height,
             gboolean alpha,
             guint    seed)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + (gsize) y * stride + (gsize) x * channels;

        p[0] = (guint8) (x * 255 / width + seed);
        p[1] = (guint8) (y * 255 / height + seed * 7);
        p[2] = (guint8) ((x ^ y) + seed * 13);
        if (alpha)
          p[3] = (guint8) (x < width / 2 ? 255 : 128);
      }
  return pixbuf;
}

static GBytes *
encode (GdkPixbuf  *pixbuf,
        const char *type)
{
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize length = 0;

  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, type, &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, length);
}

/* Stores @bytes under their hash, as the downloader does. */
static char *
store_bytes (Fixture     *f,
             GBytes      *bytes,
             const char  *extension,
             char       **out_hash)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  char *relative;

  relative = easel_image_store_import_bytes (f->images, bytes, hash, extension, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (relative);
  if (out_hash != NULL)
    *out_hash = g_steal_pointer (&hash);
  return relative;
}

static char *
store_image (Fixture     *f,
             int          width,
             int          height,
             const char  *type,
             guint        seed,
             char       **out_hash)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (width, height, FALSE, seed);
  g_autoptr(GBytes) bytes = encode (pixbuf, type);

  return store_bytes (f, bytes, g_str_equal (type, "jpeg") ? "jpg" : type, out_hash);
}

static gboolean
can_write (const char *type)
{
  g_autoptr(GSList) formats = gdk_pixbuf_get_formats ();

  for (GSList *l = formats; l != NULL; l = l->next)
    if (g_str_equal (gdk_pixbuf_format_get_name (l->data), type))
      return gdk_pixbuf_format_is_writable (l->data);
  return FALSE;
}

/* Loading */

static GdkPixbuf *
load (Fixture             *f,
      const char          *hash,
      const char          *relative,
      EaselThumbnailSize   size,
      GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  easel_thumbnailer_load_async (f->thumbnailer, hash, relative, size, NULL, result_cb, &result);
  spin_until (pointer_is_set, &result);
  return easel_thumbnailer_load_finish (f->thumbnailer, result, error);
}

static GdkPixbuf *
load_ok (Fixture            *f,
         const char         *hash,
         const char         *relative,
         EaselThumbnailSize  size)
{
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = load (f, hash, relative, size, &error);

  g_assert_no_error (error);
  g_assert_true (GDK_IS_PIXBUF (pixbuf));
  return pixbuf;
}

static guint64
cache_size (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint64 size = G_MAXUINT64;

  easel_thumbnailer_get_cache_size_async (f->thumbnailer, NULL, result_cb, &result);
  spin_until (pointer_is_set, &result);
  g_assert_true (easel_thumbnailer_get_cache_size_finish (f->thumbnailer, result, &size, &error));
  g_assert_no_error (error);
  return size;
}

/* The cache folder */

static void
collect_files (const char *path,
               GPtrArray  *files)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        collect_files (child, files);
      else
        g_ptr_array_add (files, g_steal_pointer (&child));
    }
}

/* Every file below the cache root, temp files included. */
static GPtrArray *
cache_files (Fixture *f)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  collect_files (f->cache, files);
  return files;
}

/* The one cached file of @hash at @size. */
static char *
cached_path (Fixture            *f,
             const char         *hash,
             EaselThumbnailSize  size)
{
  g_autofree char *side = g_strdup_printf ("%u", easel_thumbnail_size_get_pixels (size));
  g_autofree char *fanout = g_strndup (hash, 2);
  g_autofree char *jpg = g_strconcat (hash, ".jpg", NULL);
  g_autofree char *png = g_strconcat (hash, ".png", NULL);
  g_autofree char *jpg_path = g_build_filename (f->cache, side, fanout, jpg, NULL);
  g_autofree char *png_path = g_build_filename (f->cache, side, fanout, png, NULL);
  gboolean has_jpg = g_file_test (jpg_path, G_FILE_TEST_EXISTS);
  gboolean has_png = g_file_test (png_path, G_FILE_TEST_EXISTS);

  g_assert_true (has_jpg != has_png);
  return g_strdup (has_jpg ? jpg_path : png_path);
}

/* Whether @path is a whole image file: signature, structure and decode. */
static gboolean
is_whole_image (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  const char *mime;
  gsize length;
  guint width, height;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  mime = easel_media_sniff ((const guint8 *) contents, length);
  if (mime == NULL ||
      !easel_media_inspect (mime, (const guint8 *) contents, length, &width, &height))
    return FALSE;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  loader = easel_media_decode (bytes, mime, 0, NULL);
  return loader != NULL;
}

/* Fixture */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *root = NULL;

  f->tmp = easel_test_make_dir ("thumbnailer");
  root = g_build_filename (f->tmp, "images", NULL);
  f->cache = g_build_filename (f->tmp, "cache", NULL);
  f->images = easel_image_store_new (root);
  f->thumbnailer = easel_thumbnailer_new (f->images, f->cache);
}

static gboolean
weak_pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* Jobs still queued or trimming the cache hold references; they let go
   * on this thread once done. */
  g_object_add_weak_pointer (G_OBJECT (f->thumbnailer), (gpointer *) &f->thumbnailer);
  g_object_unref (f->thumbnailer);
  spin_until (weak_pointer_cleared, &f->thumbnailer);
  g_assert_finalize_object (f->images);
  easel_test_remove_tree (f->tmp);
  g_free (f->tmp);
  g_free (f->cache);
}

/* Tests */

static void
assert_thumbnail_size (GdkPixbuf *pixbuf,
                       int        width,
                       int        height,
                       guint      side)
{
  int longest = MAX (width, height);
  int shortest = MIN (width, height);
  int expected_long = MIN (longest, (int) side);
  /* Rounded to the nearest pixel, and never below one. */
  int expected_short = MAX (1, (int) (((gint64) shortest * expected_long + longest / 2) / longest));

  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, width >= height ? expected_long : expected_short);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, width >= height ? expected_short : expected_long);
}

static void
test_formats (Fixture       *f,
              gconstpointer  data)
{
  static const struct
  {
    const char *type;
    int         width;
    int         height;
  } cases[] = {
    { "png", 1024, 768 },
    { "jpeg", 768, 1024 },
    { "webp", 1200, 300 },
    { "png", 300, 200 },     /* smaller than the large size: kept */
    { "jpeg", 100, 40 },     /* smaller than both */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *hash = NULL;
      g_autofree char *relative = NULL;

      if (!can_write (cases[i].type))
        {
          g_test_message ("gdk-pixbuf cannot write %s here: not tested", cases[i].type);
          continue;
        }

      relative = store_image (f, cases[i].width, cases[i].height, cases[i].type, i, &hash);
      for (EaselThumbnailSize size = EASEL_THUMBNAIL_SMALL; size <= EASEL_THUMBNAIL_LARGE; size++)
        {
          g_autoptr(GdkPixbuf) made = load_ok (f, hash, relative, size);
          g_autoptr(GdkPixbuf) cached = load_ok (f, hash, relative, size);
          g_autofree char *path = cached_path (f, hash, size);

          assert_thumbnail_size (made, cases[i].width, cases[i].height,
                                 easel_thumbnail_size_get_pixels (size));
          assert_thumbnail_size (cached, cases[i].width, cases[i].height,
                                 easel_thumbnail_size_get_pixels (size));
          g_assert_true (is_whole_image (path));
          /* Opaque images are cached as JPEG. */
          g_assert_true (g_str_has_suffix (path, ".jpg"));
        }
    }
}

static void
test_alpha (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GdkPixbuf) original = make_pixbuf (640, 480, TRUE, 3);
  g_autoptr(GBytes) bytes = encode (original, "png");
  g_autofree char *hash = NULL;
  g_autofree char *relative = store_bytes (f, bytes, "png", &hash);
  g_autoptr(GdkPixbuf) made = load_ok (f, hash, relative, EASEL_THUMBNAIL_SMALL);
  g_autoptr(GdkPixbuf) cached = load_ok (f, hash, relative, EASEL_THUMBNAIL_SMALL);
  g_autofree char *path = cached_path (f, hash, EASEL_THUMBNAIL_SMALL);
  const guint8 *pixels = gdk_pixbuf_read_pixels (cached);

  /* Transparency survives: PNG, not JPEG. */
  g_assert_true (g_str_has_suffix (path, ".png"));
  g_assert_true (gdk_pixbuf_get_has_alpha (made));
  g_assert_true (gdk_pixbuf_get_has_alpha (cached));
  assert_thumbnail_size (cached, 640, 480, 256);
  g_assert_cmpint (pixels[3], ==, 255);
  g_assert_cmpint (pixels[(gdk_pixbuf_get_width (cached) - 1) * 4 + 3], ==, 128);
}

static void
test_cache_hit (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *hash = NULL;
  g_autofree char *relative = store_image (f, 900, 600, "png", 1, &hash);
  g_autofree char *original = easel_image_store_dup_path (f->images, relative);
  g_autoptr(GdkPixbuf) first = load_ok (f, hash, relative, EASEL_THUMBNAIL_LARGE);
  g_autofree char *path = cached_path (f, hash, EASEL_THUMBNAIL_LARGE);
  g_autoptr(GdkPixbuf) second = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf before, after;

  g_assert_cmpint (g_stat (path, &before), ==, 0);

  /* Without the original, only the cache can answer. */
  g_assert_cmpint (g_unlink (original), ==, 0);
  second = load_ok (f, hash, relative, EASEL_THUMBNAIL_LARGE);
  assert_thumbnail_size (second, 900, 600, 512);

  g_assert_cmpint (g_stat (path, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, ==, after.st_ino);
  g_assert_cmpint (before.st_mtim.tv_sec, ==, after.st_mtim.tv_sec);
  g_assert_cmpint (before.st_mtim.tv_nsec, ==, after.st_mtim.tv_nsec);

  /* The other size was never made: that needs the original. */
  g_assert_null (load (f, hash, relative, EASEL_THUMBNAIL_SMALL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "easel verify"));
}

static void
test_recreate (Fixture       *f,
               gconstpointer  data)
{
  static const char *const damage[] = {
    NULL,                 /* removed */
    "",                   /* empty */
    "not an image",       /* garbage */
    "truncate",           /* the first half of the real file */
  };
  g_autofree char *hash = NULL;
  g_autofree char *relative = store_image (f, 800, 800, "jpeg", 2, &hash);
  g_autoptr(GdkPixbuf) first = load_ok (f, hash, relative, EASEL_THUMBNAIL_SMALL);
  g_autofree char *path = cached_path (f, hash, EASEL_THUMBNAIL_SMALL);

  for (guint i = 0; i < G_N_ELEMENTS (damage); i++)
    {
      g_autoptr(GdkPixbuf) again = NULL;
      g_autofree char *contents = NULL;
      gsize length;

      if (damage[i] == NULL)
        g_assert_cmpint (g_unlink (path), ==, 0);
      else if (g_str_equal (damage[i], "truncate"))
        {
          g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
          g_assert_true (g_file_set_contents (path, contents, length / 2, NULL));
        }
      else
        g_assert_true (g_file_set_contents (path, damage[i], -1, NULL));
      g_assert_false (is_whole_image (path));

      again = load_ok (f, hash, relative, EASEL_THUMBNAIL_SMALL);
      assert_thumbnail_size (again, 800, 800, 256);
      g_assert_true (is_whole_image (path));
    }

  /* A thumbnail of the wrong size in the cache is not one. */
  {
    g_autoptr(GdkPixbuf) big = make_pixbuf (600, 600, FALSE, 9);
    g_autoptr(GBytes) bytes = encode (big, "jpeg");
    g_autoptr(GdkPixbuf) again = NULL;

    g_assert_true (
      g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
    again = load_ok (f, hash, relative, EASEL_THUMBNAIL_SMALL);
    assert_thumbnail_size (again, 800, 800, 256);
  }
}

/* Atomic writes: a reader polling the cache never sees a partial file
 * under a final name. */

typedef struct
{
  Fixture  *f;
  gboolean  stop;
  guint     seen;
  guint     partial;
} Watcher;

static gpointer
watch_thread (gpointer data)
{
  Watcher *watcher = data;

  while (!g_atomic_int_get (&watcher->stop))
    {
      g_autoptr(GPtrArray) files = cache_files (watcher->f);

      for (guint i = 0; i < files->len; i++)
        {
          const char *path = g_ptr_array_index (files, i);
          g_autofree char *name = g_path_get_basename (path);

          if (name[0] == '.')
            continue;   /* a temp file, still being written */
          if (!is_whole_image (path) && g_file_test (path, G_FILE_TEST_EXISTS))
            g_atomic_int_inc (&watcher->partial);
          g_atomic_int_inc (&watcher->seen);
        }
    }
  return NULL;
}

static void
test_atomic (Fixture       *f,
             gconstpointer  data)
{
  Watcher watcher = { f, FALSE, 0, 0 };
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) files = NULL;
  GThread *thread;
  guint done = 0;

  for (guint i = 0; i < 12; i++)
    {
      char *hash = NULL;

      g_ptr_array_add (paths, store_image (f, 1600, 1200, "png", 20 + i, &hash));
      g_ptr_array_add (hashes, hash);
    }

  thread = g_thread_new ("watcher", watch_thread, &watcher);
  for (guint i = 0; i < hashes->len; i++)
    for (EaselThumbnailSize size = EASEL_THUMBNAIL_SMALL; size <= EASEL_THUMBNAIL_LARGE; size++)
      {
        g_autoptr (GdkPixbuf) pixbuf =
          load_ok (f, g_ptr_array_index (hashes, i), g_ptr_array_index (paths, i), size);

        done++;
      }
  g_atomic_int_set (&watcher.stop, TRUE);
  g_thread_join (thread);

  g_test_message ("the watcher looked at %u files", watcher.seen);
  g_assert_cmpuint (watcher.seen, >, 0);
  g_assert_cmpuint (watcher.partial, ==, 0);

  /* No temp file is left, and every file is whole. */
  files = cache_files (f);
  g_assert_cmpuint (files->len, ==, done);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *name = g_path_get_basename (g_ptr_array_index (files, i));

      g_assert_cmpint (name[0], !=, '.');
      g_assert_true (is_whole_image (g_ptr_array_index (files, i)));
    }
}

/* A write that fails half-way (the file size limit stops it, as a full
 * disk would) leaves nothing: the thumbnail is still returned, and made
 * again next time. */
static void
test_failed_write (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *hash = NULL;
  g_autofree char *relative = store_image (f, 1200, 900, "png", 60, &hash);
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *path = NULL;
  struct rlimit saved, small;
  void (*saved_handler) (int);

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  small = saved;
  small.rlim_cur = 1000;
  saved_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small), ==, 0);

  {
    g_autoptr(GdkPixbuf) pixbuf = load_ok (f, hash, relative, EASEL_THUMBNAIL_LARGE);

    assert_thumbnail_size (pixbuf, 1200, 900, 512);
  }

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, saved_handler);

  files = cache_files (f);
  g_assert_cmpuint (files->len, ==, 0);

  {
    g_autoptr(GdkPixbuf) pixbuf = load_ok (f, hash, relative, EASEL_THUMBNAIL_LARGE);

    path = cached_path (f, hash, EASEL_THUMBNAIL_LARGE);
    g_assert_true (is_whole_image (path));
  }
}

/* Cancelling */

typedef struct
{
  guint   index;
  guint  *order;
  guint  *n_done;
  GError *error;
} Request;

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Request *request = user_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  pixbuf = easel_thumbnailer_load_finish (EASEL_THUMBNAILER (object), result, &request->error);
  request->order[request->index] = (*request->n_done)++;
}

typedef struct
{
  guint n_done;
  guint n_wanted;
} Counter;

static gboolean
counter_done (gpointer data)
{
  Counter *counter = data;

  return counter->n_done >= counter->n_wanted;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  enum { N = 24 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) files = NULL;
  Request requests[N] = { { 0 } };
  guint order[N];
  Counter counter = { 0, N };

  for (guint i = 0; i < N; i++)
    {
      char *hash = NULL;

      g_ptr_array_add (paths, store_image (f, 2000, 2000, "png", 40 + i, &hash));
      g_ptr_array_add (hashes, hash);
    }

  /* Already cancelled: nothing at all. */
  {
    g_autoptr(GCancellable) cancelled = g_cancellable_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    g_cancellable_cancel (cancelled);
    easel_thumbnailer_load_async (f->thumbnailer, g_ptr_array_index (hashes, 0),
                                  g_ptr_array_index (paths, 0), EASEL_THUMBNAIL_SMALL,
                                  cancelled, result_cb, &result);
    spin_until (pointer_is_set, &result);
    g_assert_null (easel_thumbnailer_load_finish (f->thumbnailer, result, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    files = cache_files (f);
    g_assert_cmpuint (files->len, ==, 0);
    g_clear_pointer (&files, g_ptr_array_unref);
  }

  /* A whole screen of rows scrolled away at once: only the requests a
   * thread had already started may do any work. */
  for (guint i = 0; i < N; i++)
    {
      requests[i].index = i;
      requests[i].order = order;
      requests[i].n_done = &counter.n_done;
      easel_thumbnailer_load_async (f->thumbnailer, g_ptr_array_index (hashes, i),
                                    g_ptr_array_index (paths, i), EASEL_THUMBNAIL_LARGE,
                                    cancellable, request_cb, &requests[i]);
    }
  g_cancellable_cancel (cancellable);
  spin_until (counter_done, &counter);

  for (guint i = 0; i < N; i++)
    {
      g_assert_error (requests[i].error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&requests[i].error);
    }
  files = cache_files (f);
  g_test_message ("%u of %u cancelled requests had started", files->len, N);
  g_assert_cmpuint (files->len, <=, MAX_THREADS);
}

static void
test_most_recent_first (Fixture       *f,
                        gconstpointer  data)
{
  enum { N = 16 };
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  Request requests[N] = { { 0 } };
  guint order[N];
  Counter counter = { 0, N };

  for (guint i = 0; i < N; i++)
    {
      char *hash = NULL;

      g_ptr_array_add (paths, store_image (f, 1500, 1500, "png", 80 + i, &hash));
      g_ptr_array_add (hashes, hash);
    }

  for (guint i = 0; i < N; i++)
    {
      requests[i].index = i;
      requests[i].order = order;
      requests[i].n_done = &counter.n_done;
      easel_thumbnailer_load_async (f->thumbnailer, g_ptr_array_index (hashes, i),
                                    g_ptr_array_index (paths, i), EASEL_THUMBNAIL_SMALL,
                                    NULL, request_cb, &requests[i]);
    }
  spin_until (counter_done, &counter);

  for (guint i = 0; i < N; i++)
    g_assert_no_error (requests[i].error);

  /* Whichever requests the idle threads took while the others were being
   * made (one a thread), the newest one was served next, not last. */
  g_test_message ("the newest request came back as number %u of %u", order[N - 1] + 1, N);
  g_assert_cmpuint (order[N - 1], <=, MAX_THREADS);
}

/* Eviction */

typedef struct
{
  Fixture *f;
  guint64  max;
} SizeCheck;

static gboolean
cache_within (gpointer data)
{
  SizeCheck *check = data;

  return cache_size (check->f) <= check->max;
}

static void
test_eviction (Fixture       *f,
               gconstpointer  data)
{
  enum { N = 10 };
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_path = NULL;
  g_autofree char *last_path = NULL;
  SizeCheck check = { f, 0 };
  guint64 one;
  GStatBuf st;

  for (guint i = 0; i < N; i++)
    {
      char *hash = NULL;

      g_ptr_array_add (paths, store_image (f, 700, 500, "png", 120 + i, &hash));
      g_ptr_array_add (hashes, hash);
    }

  /* How large one thumbnail is; they are all alike. */
  {
    g_autoptr (GdkPixbuf) pixbuf = load_ok (f, g_ptr_array_index (hashes, 0),
                                            g_ptr_array_index (paths, 0), EASEL_THUMBNAIL_SMALL);
    g_autofree char *path = cached_path (f, g_ptr_array_index (hashes, 0), EASEL_THUMBNAIL_SMALL);

    g_assert_cmpint (g_stat (path, &st), ==, 0);
    one = (guint64) st.st_size;
    g_assert_cmpuint (cache_size (f), ==, one);
  }

  /* Room for about four. */
  check.max = one * 4 + one / 2;
  easel_thumbnailer_set_max_cache_size (f->thumbnailer, check.max);
  g_assert_cmpuint (easel_thumbnailer_get_max_cache_size (f->thumbnailer), ==, check.max);

  for (guint i = 1; i < N; i++)
    {
      g_autoptr (GdkPixbuf) pixbuf = load_ok (f, g_ptr_array_index (hashes, i),
                                              g_ptr_array_index (paths, i), EASEL_THUMBNAIL_SMALL);

      /* Trimming runs on a worker thread after the write. */
      spin_until (cache_within, &check);
    }

  files = cache_files (f);
  g_assert_cmpuint (files->len, >=, 2);
  g_assert_cmpuint (files->len, <=, 4);

  /* The least recently used went first; the newest stayed. */
  {
    g_autofree char *fanout = g_strndup (g_ptr_array_index (hashes, N - 1), 2);
    g_autofree char *name = g_strconcat (g_ptr_array_index (hashes, N - 1), ".jpg", NULL);
    g_autofree char *first_fanout = g_strndup (g_ptr_array_index (hashes, 0), 2);
    g_autofree char *first_name = g_strconcat (g_ptr_array_index (hashes, 0), ".jpg", NULL);

    last_path = g_build_filename (f->cache, "256", fanout, name, NULL);
    first_path = g_build_filename (f->cache, "256", first_fanout, first_name, NULL);
    g_assert_true (g_file_test (last_path, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (first_path, G_FILE_TEST_EXISTS));
  }

  /* Clearing removes everything; thumbnails come back on demand. */
  easel_thumbnailer_clear_async (f->thumbnailer, NULL, result_cb, &result);
  spin_until (pointer_is_set, &result);
  g_assert_true (easel_thumbnailer_clear_finish (f->thumbnailer, result, &error));
  g_assert_no_error (error);
  g_clear_pointer (&files, g_ptr_array_unref);
  files = cache_files (f);
  g_assert_cmpuint (files->len, ==, 0);
  g_assert_cmpuint (cache_size (f), ==, 0);

  {
    g_autoptr (GdkPixbuf) pixbuf = load_ok (f, g_ptr_array_index (hashes, 0),
                                            g_ptr_array_index (paths, 0), EASEL_THUMBNAIL_SMALL);

    g_assert_cmpuint (cache_size (f), ==, one);
  }
}

static void
test_limit_trims_existing (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) files = NULL;
  SizeCheck check = { f, 0 };
  guint64 total;

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *hash = NULL;
      g_autofree char *relative = store_image (f, 400, 400, "jpeg", 160 + i, &hash);
      g_autoptr(GdkPixbuf) pixbuf = load_ok (f, hash, relative, EASEL_THUMBNAIL_SMALL);
    }

  /* A new thumbnailer on a full cache: setting a limit measures and trims. */
  g_object_unref (f->thumbnailer);
  f->thumbnailer = easel_thumbnailer_new (f->images, f->cache);
  total = cache_size (f);
  check.max = total / 2;
  easel_thumbnailer_set_max_cache_size (f->thumbnailer, check.max);
  spin_until (cache_within, &check);
  files = cache_files (f);
  g_assert_cmpuint (files->len, <, 6);
  g_assert_cmpuint (files->len, >, 0);
}

/* Errors */

static void
assert_load_error (Fixture    *f,
                   const char *hash,
                   const char *relative,
                   GQuark      domain,
                   int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;

  for (EaselThumbnailSize size = EASEL_THUMBNAIL_SMALL; size <= EASEL_THUMBNAIL_LARGE; size++)
    {
      g_clear_error (&error);
      g_assert_null (load (f, hash, relative, size, &error));
      g_assert_error (error, domain, code);
      g_test_message ("%s: %s", relative, error->message);
    }

  /* Nothing was cached. */
  files = cache_files (f);
  g_assert_cmpuint (files->len, ==, 0);
}

static void
test_video (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GBytes) mp4 = g_bytes_new_static (mp4_minimal, sizeof mp4_minimal);
  g_autofree char *hash = NULL;
  g_autofree char *relative = store_bytes (f, mp4, "mp4", &hash);
  g_autofree char *webm_relative = easel_image_store_build_relative_path (hash, "webm");
  g_autofree char *disguised = NULL;
  g_autofree char *disguised_hash = NULL;

  assert_load_error (f, hash, relative, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED);
  /* Known from the name alone: even without the file. */
  assert_load_error (f, hash, webm_relative, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED);

  /* A clip under an image name is still a clip. */
  disguised = store_bytes (f, mp4, "png", &disguised_hash);
  assert_load_error (f, disguised_hash, disguised, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED);
}

static void
test_corrupt (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (300, 200, FALSE, 200);
  g_autoptr(GBytes) png = encode (pixbuf, "png");
  g_autoptr(GBytes) jpeg = encode (pixbuf, "jpeg");
  g_autoptr(GBytes) half_png = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) / 2);
  g_autoptr(GBytes) half_jpeg = g_bytes_new_from_bytes (jpeg, 0, g_bytes_get_size (jpeg) / 2);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("this is not an image at all", 27);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autofree guint8 *huge = g_memdup2 (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  g_autoptr(GBytes) huge_bytes = NULL;
  g_autofree guint8 *scrambled = g_memdup2 (g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg));
  g_autoptr(GBytes) scrambled_bytes = NULL;
  struct
  {
    GBytes     *bytes;
    const char *extension;
    int         code;
  } cases[] = {
    { half_png, "png", EASEL_ERROR_FAILED },
    { half_jpeg, "jpg", EASEL_ERROR_FAILED },
    { garbage, "png", EASEL_ERROR_FAILED },
    { empty, "webp", EASEL_ERROR_FAILED },
    { NULL, "png", EASEL_ERROR_TOO_LARGE },
    { NULL, "jpg", EASEL_ERROR_FAILED },
  };

  /* A small PNG whose header claims 40000 × 40000 pixels (6.4 GB once
   * decoded): refused before decoding. */
  huge[16] = 0; huge[17] = 0; huge[18] = 0x9c; huge[19] = 0x40;
  huge[20] = 0; huge[21] = 0; huge[22] = 0x9c; huge[23] = 0x40;
  huge_bytes = g_bytes_new_static (huge, g_bytes_get_size (png));
  cases[4].bytes = huge_bytes;

  /* A JPEG whose entropy-coded data is noise, structure intact. */
  for (gsize i = g_bytes_get_size (jpeg) / 3; i < g_bytes_get_size (jpeg) - 2; i++)
    if (scrambled[i] != 0xff && scrambled[i + 1] != 0xff && scrambled[i - 1] != 0xff)
      scrambled[i] =
        (guint8) (scrambled[i] * 31 + 7) == 0xff ? 0x00 : (guint8) (scrambled[i] * 31 + 7);
  scrambled_bytes = g_bytes_new_static (scrambled, g_bytes_get_size (jpeg));
  cases[5].bytes = scrambled_bytes;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *hash = NULL;
      g_autofree char *relative = store_bytes (f, cases[i].bytes, cases[i].extension, &hash);
      g_autoptr(GError) error = NULL;

      if (i == 5)
        {
          /* libjpeg may make something of noise; either way, no crash. */
          g_autoptr(GdkPixbuf) result = load (f, hash, relative, EASEL_THUMBNAIL_SMALL, &error);

          g_assert_true ((result != NULL) != (error != NULL));
          continue;
        }
      assert_load_error (f, hash, relative, EASEL_ERROR, cases[i].code);
    }
}

static void
test_missing_and_bad_paths (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "gone", -1);
  g_autofree char *other = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "other", -1);
  g_autofree char *relative = easel_image_store_build_relative_path (hash, "png");
  g_autofree char *climbing = g_strconcat ("../", relative, NULL);

  assert_load_error (f, hash, relative, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  /* The hash names the cache file: it must be the original's. */
  assert_load_error (f, other, relative, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  assert_load_error (f, hash, climbing, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  assert_load_error (f, "abc", "ab/c", EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/Easel/Thumbnailer/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("formats", test_formats);
  ADD ("alpha", test_alpha);
  ADD ("cache-hit", test_cache_hit);
  ADD ("recreate", test_recreate);
  ADD ("atomic", test_atomic);
  ADD ("failed-write", test_failed_write);
  ADD ("cancel", test_cancel);
  ADD ("most-recent-first", test_most_recent_first);
  ADD ("eviction", test_eviction);
  ADD ("limit-trims-existing", test_limit_trims_existing);
  ADD ("video", test_video);
  ADD ("corrupt", test_corrupt);
  ADD ("missing-and-bad-paths", test_missing_and_bad_paths);

#undef ADD

  return g_test_run ();
}
