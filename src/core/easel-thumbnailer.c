/* easel-thumbnailer.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Thumbnails of the library's originals, in two sizes, cached on disk.
 *
 * The cache is named by content: "<root>/<side>/<ab>/<sha256>.jpg" (or
 * ".png"), with <side> 256 or 512 and <ab> the first two hex digits of the
 * hash, so no folder holds more than a few hundred files at 100,000 images
 * and an original that changes hash simply gets a new thumbnail. A
 * thumbnail is JPEG (quality 85) when it is opaque and PNG when it has any
 * transparency: at this quality a JPEG of a photographic AI image is about
 * a sixth of the size of the PNG (46 KB against 300 KB at 512 pixels, so
 * 100,000 images need some 5 GB rather than over 30), and it decodes fast; both
 * loaders are built into every gdk-pixbuf, while WebP needs an extra
 * loader that a system or runtime may lack. The cache is a cache: it is not
 * fsync'd, and a file that is damaged anyway (a power cut, a disk error)
 * fails to decode and is made again.
 *
 * All the work (reading, decoding, scaling, encoding, writing, scanning)
 * runs on a private GThreadPool of 2 to 4 threads, never on the main loop.
 * The pool takes the most recent request first: in a scrolling gallery the
 * rows just bound are the ones on screen, and the requests of rows that
 * scrolled away have usually been cancelled by the time a thread gets to
 * them; a cancelled request is dropped before it reads or decodes anything.
 * An original is sniffed and its structure checked (easel-media-check.c)
 * before it is decoded, so a corrupt or hostile file gets an error, never
 * a crash or a gigabyte allocation. Decoding asks the loader for the
 * thumbnail's size, which JPEG honours while it decodes.
 *
 * Each file is written to a temp name in its folder and renamed, so a
 * reader sees no file or a whole one. With a maximum size, the bytes
 * written are counted; once over it, one scan of the cache removes the
 * least recently used files (by modification time, which a cache hit
 * refreshes at most hourly) until it is 10% under, so scans are rare. The
 * first one happens when a maximum is set. Scanning 200,000 files took
 * 0.6 s here with the folders in the page cache and 2.6 s cold, on one
 * worker thread, while the others go on making thumbnails.
 *
 * Results go back to the caller's main context through idles; a worker
 * never drops the last reference to a task, so the thumbnailer is always
 * finalized on its own thread, where it can join the pool. */

#include "config.h"

#include "easel-thumbnailer.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "easel-error.h"
#include "easel-media-check.h"

#define MIN_THREADS 2
#define MAX_THREADS 4
#define JPEG_QUALITY "85"
#define HASH_LENGTH 64
/* Far beyond any provider's output (the downloader stops at 64 MB). */
#define MAX_ORIGINAL_SIZE (512 * 1024 * 1024)
/* A cached thumbnail of 512 × 512 pixels is well under this. */
#define MAX_CACHED_SIZE (8 * 1024 * 1024)
#define TOUCH_INTERVAL_S (60 * 60)
#define STALE_TEMP_S (60 * 60)
#define EVICT_TO_PERCENT 90
#define TEMP_PREFIX ".tmp-"

static const guint sides[] = { 256, 512 };

enum {
  CACHED_JPEG,   /* looked for first: most thumbnails are opaque */
  CACHED_PNG,
};

static const struct
{
  const char *extension;
  const char *mime;
  const char *type;   /* for gdk_pixbuf_save_to_buffer() */
} cached_formats[] = {
  [CACHED_JPEG] = { "jpg", "image/jpeg", "jpeg" },
  [CACHED_PNG] = { "png", "image/png", "png" },
};

struct _EaselThumbnailer
{
  GObject          parent_instance;

  EaselImageStore *images;
  char            *cache_root;
  GMainContext    *context;     /* where jobs without a task let go of us */
  GThreadPool     *pool;
  gsize            next_seq;    /* atomic */

  GMutex           mutex;       /* guards the fields below */
  guint64          max_cache_size;
  guint64          cache_size;
  gboolean         cache_size_known;
  gboolean         evicting;    /* an eviction is queued or running */
};

enum {
  PROP_0,
  PROP_IMAGE_STORE,
  PROP_CACHE_ROOT,
  PROP_MAX_CACHE_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (EaselThumbnailer, easel_thumbnailer, G_TYPE_OBJECT)

typedef enum
{
  JOB_LOAD,
  JOB_SIZE,
  JOB_CLEAR,
  JOB_EVICT,
} JobKind;

typedef struct
{
  JobKind             kind;
  gsize               seq;
  GTask              *task;     /* owned, except for JOB_EVICT */
  EaselThumbnailer   *self;     /* JOB_EVICT only: owned, let go on self->context */
  char               *hash;
  char               *relative_path;
  EaselThumbnailSize  size;
} Job;

static void
job_free (Job *job)
{
  g_free (job->hash);
  g_free (job->relative_path);
  g_free (job);
}

/**
 * easel_thumbnail_size_get_pixels:
 * @size: a thumbnail size
 *
 * Returns: the longest side of thumbnails of @size, in pixels
 */
guint
easel_thumbnail_size_get_pixels (EaselThumbnailSize size)
{
  g_return_val_if_fail (size < G_N_ELEMENTS (sides), 0);

  return sides[size];
}

/* Handing results back */

typedef struct
{
  GTask          *task;
  gpointer        result;
  GDestroyNotify  result_destroy;
  GError         *error;
} Completion;

static gboolean
complete_cb (gpointer user_data)
{
  Completion *completion = user_data;

  if (completion->error != NULL)
    g_task_return_error (completion->task, completion->error);
  else
    g_task_return_pointer (completion->task, completion->result, completion->result_destroy);
  g_object_unref (completion->task);
  g_free (completion);
  return G_SOURCE_REMOVE;
}

static void
attach_idle (GMainContext *context,
             GSourceFunc   func,
             gpointer      data,
             const char   *name)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, context);
  g_source_unref (source);
}

/* Takes @job's task, @result and @error; the task is completed and let go
 * on its own context. */
static void
complete_job (Job            *job,
              gpointer        result,
              GDestroyNotify  result_destroy,
              GError         *error)
{
  Completion *completion = g_new0 (Completion, 1);

  completion->task = g_steal_pointer (&job->task);
  completion->result = result;
  completion->result_destroy = result_destroy;
  completion->error = error;
  attach_idle (g_task_get_context (completion->task), complete_cb, completion,
               "[easel] thumbnail result");
}

static gboolean
release_cb (gpointer user_data)
{
  g_object_unref (user_data);
  return G_SOURCE_REMOVE;
}

/* Paths */

static char *
build_cache_dir (EaselThumbnailer   *self,
                 const char         *hash,
                 EaselThumbnailSize  size)
{
  char side[16];
  char fanout[3] = { hash[0], hash[1], '\0' };

  g_snprintf (side, sizeof side, "%u", sides[size]);
  return g_build_filename (self->cache_root, side, fanout, NULL);
}

static char *
build_cache_path (const char *dir,
                  const char *hash,
                  guint       format)
{
  g_autofree char *name = g_strconcat (hash, ".", cached_formats[format].extension, NULL);

  return g_build_filename (dir, name, NULL);
}

/* Reading */

/* Reads a whole regular file of at most @max_size bytes. Errors are in
 * the G_IO_ERROR domain, or EASEL_ERROR_TOO_LARGE. */
static GBytes *
read_file (const char  *path,
           gsize        max_size,
           GStatBuf    *out_stat,
           GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autofree guint8 *data = NULL;
  GStatBuf st;
  gsize length = 0;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return NULL;
    }
  stream = g_unix_input_stream_new (fd, TRUE);

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, _("Not a regular file"));
      return NULL;
    }
  if ((guint64) st.st_size > max_size)
    {
      g_autofree char *limit = g_format_size (max_size);

      /* Translators: %s is a size such as “512 MB” */
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE, _("The file is larger than %s"),
                   limit);
      return NULL;
    }

  /* A file shorter than it was gives what is there: checked later. */
  data = g_malloc (MAX (st.st_size, 1));
  if (!g_input_stream_read_all (stream, data, (gsize) st.st_size, &length, NULL, error))
    return NULL;

  if (out_stat != NULL)
    *out_stat = st;
  return g_bytes_new_take (g_steal_pointer (&data), length);
}

/* Cache size accounting */

/* With the mutex held: whether an eviction should be queued now, and
 * if so, marks one as queued. */
static gboolean
want_eviction_locked (EaselThumbnailer *self)
{
  if (self->max_cache_size == 0 || self->evicting)
    return FALSE;
  if (self->cache_size_known && self->cache_size <= self->max_cache_size)
    return FALSE;
  self->evicting = TRUE;
  return TRUE;
}

static void
push_job (EaselThumbnailer *self,
          Job              *job)
{
  job->seq = (gsize) g_atomic_pointer_add (&self->next_seq, 1);
  /* Cannot fail: the pool is not exclusive, so no thread is made here. */
  g_thread_pool_push (self->pool, job, NULL);
}

static void
queue_eviction (EaselThumbnailer *self)
{
  Job *job = g_new0 (Job, 1);

  job->kind = JOB_EVICT;
  job->self = g_object_ref (self);
  push_job (self, job);
}

static void
account_cache_change (EaselThumbnailer *self,
                      gint64            delta)
{
  gboolean evict;

  g_mutex_lock (&self->mutex);
  if (self->cache_size_known)
    self->cache_size = (guint64) MAX (0, (gint64) self->cache_size + delta);
  evict = want_eviction_locked (self);
  g_mutex_unlock (&self->mutex);

  if (evict)
    queue_eviction (self);
}

/* Loading */

static gboolean
is_opaque (GdkPixbuf *pixbuf)
{
  const guint8 *pixels;
  int width, height, stride;

  if (!gdk_pixbuf_get_has_alpha (pixbuf))
    return TRUE;

  pixels = gdk_pixbuf_read_pixels (pixbuf);
  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      if (pixels[(gsize) y * stride + (gsize) x * 4 + 3] != 0xff)
        return FALSE;
  return TRUE;
}

/* A cached thumbnail of @size, or NULL when there is none that decodes.
 * A damaged one is removed, so that it is made again. */
static GdkPixbuf *
load_cached (EaselThumbnailer   *self,
             const char         *dir,
             const char         *hash,
             EaselThumbnailSize  size)
{
  for (guint i = 0; i < G_N_ELEMENTS (cached_formats); i++)
    {
      g_autofree char *path = build_cache_path (dir, hash, i);
      g_autoptr(GdkPixbufLoader) loader = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      GdkPixbuf *pixbuf;
      GStatBuf st;
      const guint8 *data;
      gsize length;
      guint width, height;

      bytes = read_file (path, MAX_CACHED_SIZE, &st, &error);
      if (bytes == NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            g_debug ("Cannot read the thumbnail %s: %s", path, error->message);
          continue;
        }

      /* A half-written file decodes into half an image: check it is whole. */
      data = g_bytes_get_data (bytes, &length);
      if (g_strcmp0 (easel_media_sniff (data, length), cached_formats[i].mime) == 0 &&
          easel_media_inspect (cached_formats[i].mime, data, length, &width, &height))
        loader = easel_media_decode (bytes, cached_formats[i].mime, 0, &error);
      pixbuf = loader != NULL ? gdk_pixbuf_loader_get_pixbuf (loader) : NULL;
      if (pixbuf == NULL ||
          (guint) MAX (gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf)) > sides[size])
        {
          g_debug ("Making the damaged thumbnail %s again: %s", path,
                   error != NULL ? error->message : "not a thumbnail");
          if (g_unlink (path) == 0)
            account_cache_change (self, -(gint64) st.st_size);
          continue;
        }

      /* Least recently used, at the cost of one write an hour at most. */
      if (g_get_real_time () / G_USEC_PER_SEC - st.st_mtime > TOUCH_INTERVAL_S)
        g_utime (path, NULL);
      return g_object_ref (pixbuf);
    }
  return NULL;
}

/* Writes @pixbuf to the cache: a temp file in the same folder, renamed
 * over the final name. Failing only costs making it again next time. */
static void
store_cached (EaselThumbnailer *self,
              const char       *dir,
              const char       *hash,
              GdkPixbuf        *pixbuf)
{
  g_autofree char *buffer = NULL;
  g_autofree char *temp = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0, written = 0;
  guint format;
  int fd;

  format = is_opaque (pixbuf) ? CACHED_JPEG : CACHED_PNG;
  if (format == CACHED_JPEG)
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, cached_formats[format].type, &error,
                               "quality", JPEG_QUALITY, NULL);
  else
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, cached_formats[format].type, &error, NULL);
  if (error != NULL)
    {
      g_debug ("Cannot encode a thumbnail of %s: %s", hash, error->message);
      return;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_debug ("Cannot create the thumbnail folder %s: %s", dir, g_strerror (errno));
      return;
    }

  temp = g_build_filename (dir, TEMP_PREFIX "XXXXXX", NULL);
  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_debug ("Cannot create a thumbnail in %s: %s", dir, g_strerror (errno));
      return;
    }

  while (written < length)
    {
      gssize n = write (fd, buffer + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      written += (gsize) n;
    }

  path = build_cache_path (dir, hash, format);
  if (close (fd) != 0 || written < length || g_rename (temp, path) != 0)
    {
      g_debug ("Cannot write the thumbnail %s: %s", path, g_strerror (errno));
      g_unlink (temp);
      return;
    }

  account_cache_change (self, (gint64) length);
}

static void
set_original_error (GError     **error,
                    const char  *path,
                    GError      *cause)
{
  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    /* Translators: %s is a file */
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("The image file “%s” is missing. Run “easel verify --repair” to look for it."),
                 path);
  else if (g_error_matches (cause, EASEL_ERROR, EASEL_ERROR_TOO_LARGE))
    /* Translators: the first %s is a file, the second the reason */
    g_set_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE,
                 _("The image file “%s” cannot be shown: %s"), path, cause->message);
  else
    /* Translators: the first %s is a file, the second the reason */
    g_set_error (
      error, EASEL_ERROR, EASEL_ERROR_FAILED,
      _("The image file “%s” cannot be read: %s. Run “easel verify” to check the library."), path,
      cause->message);
}

static GdkPixbuf *
make_thumbnail (EaselThumbnailer    *self,
                const Job           *job,
                GCancellable        *cancellable,
                GError             **error)
{
  g_autofree char *path = easel_image_store_dup_path (self->images, job->relative_path);
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GdkPixbuf *pixbuf;
  const char *mime;
  const guint8 *data;
  gsize length;
  guint width, height, side = sides[job->size];
  int fit_width, fit_height;

  bytes = read_file (path, MAX_ORIGINAL_SIZE, NULL, &local_error);
  if (bytes == NULL)
    {
      set_original_error (error, path, local_error);
      return NULL;
    }

  data = g_bytes_get_data (bytes, &length);
  mime = easel_media_sniff (data, length);
  if (easel_media_is_video (mime))
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED,
                           _("Videos have no thumbnails"));
      return NULL;
    }
  if (mime == NULL || !easel_media_inspect (mime, data, length, &width, &height))
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_FAILED,
                   _("The image file “%s” is damaged or not an image. Run “easel verify” to check "
                      "the library."),
                   path);
      return NULL;
    }
  if ((guint64) width * height > EASEL_MEDIA_MAX_PIXELS)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE,
                   _("The image file “%s” is too large to show (%u × %u pixels)"), path, width,
                   height);
      return NULL;
    }

  /* The last moment a request for a row scrolled away costs nothing. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  loader = easel_media_decode (bytes, mime, side, &local_error);
  if (loader == NULL)
    {
      if (g_error_matches (local_error, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_original_error (error, path, local_error);
      return NULL;
    }

  /* Animations are decoded whole, at their own size. */
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (easel_media_fit_size (gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf), side,
                            &fit_width, &fit_height))
    {
      scaled = gdk_pixbuf_scale_simple (pixbuf, fit_width, fit_height, GDK_INTERP_BILINEAR);
      pixbuf = scaled;
    }

  return gdk_pixbuf_apply_embedded_orientation (pixbuf);
}

static GdkPixbuf *
load_thumbnail (EaselThumbnailer  *self,
                const Job         *job,
                GCancellable      *cancellable,
                GError           **error)
{
  g_autofree char *dir = NULL;
  GdkPixbuf *pixbuf;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  dir = build_cache_dir (self, job->hash, job->size);
  pixbuf = load_cached (self, dir, job->hash, job->size);
  if (pixbuf != NULL)
    return pixbuf;

  pixbuf = make_thumbnail (self, job, cancellable, error);
  if (pixbuf != NULL)
    store_cached (self, dir, job->hash, pixbuf);
  return pixbuf;
}

/* Scanning the cache */

typedef struct
{
  char    *path;
  gint64   mtime_ns;
  guint64  size;
} CacheFile;

static void
cache_file_clear (gpointer data)
{
  g_free (((CacheFile *) data)->path);
}

static int
compare_by_age (gconstpointer a,
                gconstpointer b)
{
  const CacheFile *fa = a, *fb = b;

  return (fa->mtime_ns > fb->mtime_ns) - (fa->mtime_ns < fb->mtime_ns);
}

static gboolean
is_fanout_name (const char *name)
{
  return g_ascii_isxdigit (name[0]) && g_ascii_isxdigit (name[1]) && name[2] == '\0';
}

/* Visits every file of the cache's layout (and nothing else below the
 * root). Stale temp files are removed on the way; with @remove_all,
 * everything is, and the emptied folders too. Returns the total size of
 * what is left; @files (nullable) gets every thumbnail left. */
static guint64
walk_cache (EaselThumbnailer  *self,
            gboolean           remove_all,
            GArray            *files,
            GError           **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint64 total = 0;

  for (guint s = 0; s < G_N_ELEMENTS (sides); s++)
    {
      char side[16];
      g_autofree char *side_dir = NULL;
      g_autoptr(GDir) dir = NULL;
      const char *fanout;

      g_snprintf (side, sizeof side, "%u", sides[s]);
      side_dir = g_build_filename (self->cache_root, side, NULL);
      dir = g_dir_open (side_dir, 0, NULL);
      if (dir == NULL)
        continue;

      while ((fanout = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *fanout_dir = NULL;
          g_autoptr(GDir) inner = NULL;
          const char *name;

          if (!is_fanout_name (fanout))
            continue;
          fanout_dir = g_build_filename (side_dir, fanout, NULL);
          inner = g_dir_open (fanout_dir, 0, NULL);
          if (inner == NULL)
            continue;

          while ((name = g_dir_read_name (inner)) != NULL)
            {
              g_autofree char *path = g_build_filename (fanout_dir, name, NULL);
              gboolean temp = g_str_has_prefix (name, TEMP_PREFIX);
              GStatBuf st;

              if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
                continue;

              if (remove_all || (temp && now - st.st_mtime > STALE_TEMP_S))
                {
                  int saved_errno = g_unlink (path) == 0 ? 0 : errno;

                  if (saved_errno != 0 && saved_errno != ENOENT && error != NULL && *error == NULL)
                    /* Translators: the first %s is a file, the second the system's reason */
                    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                 _("Cannot remove the thumbnail “%s”: %s"), path,
                                 g_strerror (saved_errno));
                  continue;
                }

              total += (guint64) st.st_size;
              if (files != NULL && !temp)
                {
                  CacheFile file = {
                    .path = g_steal_pointer (&path),
                    .mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) +
                                st.st_mtim.tv_nsec,
                    .size = (guint64) st.st_size,
                  };

                  g_array_append_val (files, file);
                }
            }

          if (remove_all)
            g_rmdir (fanout_dir);
        }

      if (remove_all)
        g_rmdir (side_dir);
    }

  return total;
}

static guint64
measure_cache (EaselThumbnailer *self)
{
  guint64 total = walk_cache (self, FALSE, NULL, NULL);
  gboolean evict;

  g_mutex_lock (&self->mutex);
  self->cache_size = total;
  self->cache_size_known = TRUE;
  evict = want_eviction_locked (self);
  g_mutex_unlock (&self->mutex);

  if (evict)
    queue_eviction (self);
  return total;
}

static void
trim_cache (EaselThumbnailer *self)
{
  g_autoptr(GArray) files = g_array_new (FALSE, FALSE, sizeof (CacheFile));
  guint64 total, max, target;

  g_array_set_clear_func (files, cache_file_clear);
  total = walk_cache (self, FALSE, files, NULL);

  g_mutex_lock (&self->mutex);
  max = self->max_cache_size;
  g_mutex_unlock (&self->mutex);

  if (max > 0 && total > max)
    {
      target = max - max / 100 * (100 - EVICT_TO_PERCENT);
      g_array_sort (files, compare_by_age);
      for (guint i = 0; i < files->len && total > target; i++)
        {
          CacheFile *file = &g_array_index (files, CacheFile, i);

          if (g_unlink (file->path) == 0 || errno == ENOENT)
            total -= file->size;
        }
      g_debug ("Thumbnail cache trimmed to %" G_GUINT64_FORMAT " bytes (at most %" G_GUINT64_FORMAT
               ")",
               total, max);
    }

  /* Writes that landed during the scan may be missed here: the next
   * scan counts them. */
  g_mutex_lock (&self->mutex);
  self->cache_size = total;
  self->cache_size_known = TRUE;
  self->evicting = FALSE;
  g_mutex_unlock (&self->mutex);
}

/* The pool */

static void
run_job (gpointer data,
         gpointer pool_data)
{
  Job *job = data;
  GError *error = NULL;

  switch (job->kind)
    {
    case JOB_LOAD:
      {
        EaselThumbnailer *self = g_task_get_source_object (job->task);
        GdkPixbuf *pixbuf = load_thumbnail (self, job, g_task_get_cancellable (job->task), &error);

        complete_job (job, pixbuf, g_object_unref, error);
      }
      break;

    case JOB_SIZE:
      {
        EaselThumbnailer *self = g_task_get_source_object (job->task);
        guint64 *size = g_new (guint64, 1);

        *size = measure_cache (self);
        complete_job (job, size, g_free, NULL);
      }
      break;

    case JOB_CLEAR:
      {
        EaselThumbnailer *self = g_task_get_source_object (job->task);

        walk_cache (self, TRUE, NULL, &error);
        g_mutex_lock (&self->mutex);
        self->cache_size = 0;
        self->cache_size_known = TRUE;
        g_mutex_unlock (&self->mutex);
        complete_job (job, error == NULL ? GINT_TO_POINTER (TRUE) : NULL, NULL, error);
      }
      break;

    case JOB_EVICT:
      {
        EaselThumbnailer *self = g_steal_pointer (&job->self);

        trim_cache (self);
        attach_idle (self->context, release_cb, self, "[easel] thumbnail cache trimmed");
      }
      break;

    default:
      g_assert_not_reached ();
    }

  job_free (job);
}

/* Most recent first. */
static int
compare_jobs (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const Job *ja = a, *jb = b;

  return (ja->seq < jb->seq) - (ja->seq > jb->seq);
}

/* Public API */

/**
 * easel_thumbnailer_new:
 * @images: the store of the originals
 * @cache_root: (nullable): the thumbnail cache folder; %NULL for
 *   `$XDG_CACHE_HOME/easel/thumbnails`
 *
 * Returns: (transfer full): a thumbnailer with no size limit
 */
EaselThumbnailer *
easel_thumbnailer_new (EaselImageStore *images,
                       const char      *cache_root)
{
  g_return_val_if_fail (EASEL_IS_IMAGE_STORE (images), NULL);

  return g_object_new (EASEL_TYPE_THUMBNAILER,
                       "image-store", images,
                       "cache-root", cache_root,
                       NULL);
}

/**
 * easel_thumbnailer_get_image_store:
 * @self: a thumbnailer
 *
 * Returns: (transfer none): the store of the originals
 */
EaselImageStore *
easel_thumbnailer_get_image_store (EaselThumbnailer *self)
{
  g_return_val_if_fail (EASEL_IS_THUMBNAILER (self), NULL);

  return self->images;
}

/**
 * easel_thumbnailer_get_cache_root:
 * @self: a thumbnailer
 *
 * Returns: the absolute path of the thumbnail cache folder
 */
const char *
easel_thumbnailer_get_cache_root (EaselThumbnailer *self)
{
  g_return_val_if_fail (EASEL_IS_THUMBNAILER (self), NULL);

  return self->cache_root;
}

/**
 * easel_thumbnailer_get_max_cache_size:
 * @self: a thumbnailer
 *
 * Returns: the size the cache is kept under, in bytes; 0 for no limit
 */
guint64
easel_thumbnailer_get_max_cache_size (EaselThumbnailer *self)
{
  guint64 max;

  g_return_val_if_fail (EASEL_IS_THUMBNAILER (self), 0);

  g_mutex_lock (&self->mutex);
  max = self->max_cache_size;
  g_mutex_unlock (&self->mutex);
  return max;
}

/**
 * easel_thumbnailer_set_max_cache_size:
 * @self: a thumbnailer
 * @max_cache_size: in bytes; 0 for no limit
 *
 * Keeps the cache under @max_cache_size by removing the least recently
 * used thumbnails, on a worker thread, whenever it grows past it. Setting
 * a limit measures the cache once (on a worker thread) and trims it if it
 * is already larger.
 */
void
easel_thumbnailer_set_max_cache_size (EaselThumbnailer *self,
                                      guint64           max_cache_size)
{
  gboolean changed, evict;

  g_return_if_fail (EASEL_IS_THUMBNAILER (self));

  g_mutex_lock (&self->mutex);
  changed = self->max_cache_size != max_cache_size;
  self->max_cache_size = max_cache_size;
  evict = changed && want_eviction_locked (self);
  g_mutex_unlock (&self->mutex);

  if (evict)
    queue_eviction (self);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CACHE_SIZE]);
}

/**
 * easel_thumbnailer_load_async:
 * @self: a thumbnailer
 * @hash: the SHA-256 of the original, as in the library
 * @relative_path: the original's path in the image store, as in the library
 * @size: which thumbnail
 * @cancellable: (nullable): a #GCancellable; cancel it when the thumbnail is
 *   no longer wanted (a row scrolled away), and no work is done for it
 * @callback: called on the thread-default main context of the caller
 * @user_data: data for @callback
 *
 * Loads the cached thumbnail of an image, or makes it from the original
 * when it is missing or unreadable, on a worker thread. The most recent
 * request is served first.
 */
void
easel_thumbnailer_load_async (EaselThumbnailer    *self,
                              const char          *hash,
                              const char          *relative_path,
                              EaselThumbnailSize   size,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *extension;
  Job *job;

  g_return_if_fail (EASEL_IS_THUMBNAILER (self));
  g_return_if_fail (hash != NULL);
  g_return_if_fail (relative_path != NULL);
  g_return_if_fail (size == EASEL_THUMBNAIL_SMALL || size == EASEL_THUMBNAIL_LARGE);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_thumbnailer_load_async);

  /* The hash names a file in the cache: it must be the original's. */
  if (!easel_image_store_is_relative_path (relative_path) ||
      strlen (hash) != HASH_LENGTH ||
      strncmp (relative_path + 6, hash, HASH_LENGTH) != 0)
    {
      /* Translators: %s is a file name from the library */
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                               _("“%s” is not an image of the library"), relative_path);
      return;
    }

  /* Nothing to read: the name says what the content was sniffed as. */
  extension = strrchr (relative_path, '.') + 1;
  if (easel_media_is_video (easel_media_mime_for_extension (extension)))
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED,
                               _("Videos have no thumbnails"));
      return;
    }

  job = g_new0 (Job, 1);
  job->kind = JOB_LOAD;
  job->task = g_steal_pointer (&task);
  job->hash = g_strdup (hash);
  job->relative_path = g_strdup (relative_path);
  job->size = size;
  push_job (self, job);
}

/**
 * easel_thumbnailer_load_finish:
 * @self: a thumbnailer
 * @result: the result
 * @error: return location for a #GError
 *
 * The thumbnail, decoded, for gdk_texture_new_for_pixbuf(). Errors:
 * %EASEL_ERROR_UNSUPPORTED for a video (or a format this computer cannot
 * decode); %G_IO_ERROR_NOT_FOUND when the original is missing;
 * %EASEL_ERROR_FAILED when it is damaged; %EASEL_ERROR_TOO_LARGE;
 * %G_IO_ERROR_CANCELLED.
 *
 * Returns: (transfer full): the thumbnail, at most 256 or 512 pixels on
 *   its longest side
 */
GdkPixbuf *
easel_thumbnailer_load_finish (EaselThumbnailer  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (EASEL_IS_THUMBNAILER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, easel_thumbnailer_load_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
push_task_job (EaselThumbnailer    *self,
               JobKind              kind,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  /* Report what was done, even if cancelled meanwhile. */
  g_task_set_check_cancellable (job->task, FALSE);
  push_job (self, job);
}

/**
 * easel_thumbnailer_get_cache_size_async:
 * @self: a thumbnailer
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the size
 * @user_data: data for @callback
 *
 * Measures the thumbnail cache on a worker thread.
 */
void
easel_thumbnailer_get_cache_size_async (EaselThumbnailer    *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_THUMBNAILER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  push_task_job (self, JOB_SIZE, easel_thumbnailer_get_cache_size_async, cancellable, callback,
                 user_data);
}

/**
 * easel_thumbnailer_get_cache_size_finish:
 * @self: a thumbnailer
 * @result: the result
 * @size: (out) (optional): the size of the cached files, in bytes
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
easel_thumbnailer_get_cache_size_finish (EaselThumbnailer  *self,
                                         GAsyncResult      *result,
                                         guint64           *size,
                                         GError           **error)
{
  g_autofree guint64 *total = NULL;

  g_return_val_if_fail (EASEL_IS_THUMBNAILER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, easel_thumbnailer_get_cache_size_async),
                        FALSE);

  total = g_task_propagate_pointer (G_TASK (result), error);
  if (total == NULL)
    return FALSE;
  if (size != NULL)
    *size = *total;
  return TRUE;
}

/**
 * easel_thumbnailer_clear_async:
 * @self: a thumbnailer
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Removes every cached thumbnail, on a worker thread. Thumbnails are made
 * again when they are next asked for.
 */
void
easel_thumbnailer_clear_async (EaselThumbnailer    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_THUMBNAILER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  push_task_job (self, JOB_CLEAR, easel_thumbnailer_clear_async, cancellable, callback, user_data);
}

/**
 * easel_thumbnailer_clear_finish:
 * @self: a thumbnailer
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when every thumbnail was removed
 */
gboolean
easel_thumbnailer_clear_finish (EaselThumbnailer  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (EASEL_IS_THUMBNAILER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, easel_thumbnailer_clear_async), FALSE);

  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

/* GObject */

static void
easel_thumbnailer_constructed (GObject *object)
{
  EaselThumbnailer *self = EASEL_THUMBNAILER (object);
  guint n_threads = CLAMP (g_get_num_processors (), MIN_THREADS, MAX_THREADS);

  G_OBJECT_CLASS (easel_thumbnailer_parent_class)->constructed (object);

  g_assert (self->images != NULL);
  self->context = g_main_context_ref_thread_default ();
  /* Shared threads: cannot fail. */
  self->pool = g_thread_pool_new (run_job, NULL, (int) n_threads, FALSE, NULL);
  g_thread_pool_set_sort_function (self->pool, compare_jobs, NULL);
}

static void
easel_thumbnailer_finalize (GObject *object)
{
  EaselThumbnailer *self = EASEL_THUMBNAILER (object);

  /* Every queued job holds a reference on us, so the pool is idle, or
   * just finishing the job that let go of us. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_clear_object (&self->images);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->cache_root);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (easel_thumbnailer_parent_class)->finalize (object);
}

static void
easel_thumbnailer_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EaselThumbnailer *self = EASEL_THUMBNAILER (object);

  switch (prop_id)
    {
    case PROP_IMAGE_STORE:
      g_value_set_object (value, self->images);
      break;
    case PROP_CACHE_ROOT:
      g_value_set_string (value, self->cache_root);
      break;
    case PROP_MAX_CACHE_SIZE:
      g_value_set_uint64 (value, easel_thumbnailer_get_max_cache_size (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_thumbnailer_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EaselThumbnailer *self = EASEL_THUMBNAILER (object);

  switch (prop_id)
    {
    case PROP_IMAGE_STORE:
      self->images = g_value_dup_object (value);
      break;
    case PROP_CACHE_ROOT:
      {
        g_autofree char *root = g_value_dup_string (value);

        if (root == NULL)
          root = g_build_filename (g_get_user_cache_dir (), "easel", "thumbnails", NULL);
        self->cache_root = g_canonicalize_filename (root, NULL);
      }
      break;
    case PROP_MAX_CACHE_SIZE:
      easel_thumbnailer_set_max_cache_size (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_thumbnailer_class_init (EaselThumbnailerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = easel_thumbnailer_constructed;
  object_class->finalize = easel_thumbnailer_finalize;
  object_class->get_property = easel_thumbnailer_get_property;
  object_class->set_property = easel_thumbnailer_set_property;

  /**
   * EaselThumbnailer:image-store:
   *
   * The store of the originals.
   */
  properties[PROP_IMAGE_STORE] =
    g_param_spec_object ("image-store", NULL, NULL,
                         EASEL_TYPE_IMAGE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselThumbnailer:cache-root:
   *
   * The thumbnail cache folder; %NULL at construction for
   * `$XDG_CACHE_HOME/easel/thumbnails`.
   */
  properties[PROP_CACHE_ROOT] =
    g_param_spec_string ("cache-root", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselThumbnailer:max-cache-size:
   *
   * The size the cache is kept under, in bytes; 0 for no limit.
   */
  properties[PROP_MAX_CACHE_SIZE] =
    g_param_spec_uint64 ("max-cache-size", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
easel_thumbnailer_init (EaselThumbnailer *self)
{
  g_mutex_init (&self->mutex);
}
