/* easel-thumbnail-cache.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The gallery's thumbnails as textures, most recently used first. The
 * thumbnailer decodes (and makes, when missing) the cached thumbnail on a
 * worker thread; another worker crops it to the middle square and scales
 * it to the cell's size in device pixels. A texture that is drawn at its
 * own size costs the renderer a copy rather than a filtered scale on every
 * frame of a scroll, which matters most where there is no GPU (software
 * GL, the cairo renderer), and it takes less memory: a 176-pixel cell needs
 * 121 KiB where the 256-pixel thumbnail needs 256 KiB.
 *
 * The cache is small on purpose: it holds what is on screen and a few
 * screens around it, so scrolling back shows thumbnails at once, while
 * memory stays flat however far the user scrolls (and the renderer keeps a
 * copy of each texture it draws). A load that is cancelled because its
 * cell went off screen is not cached. */

#include "config.h"

#include "easel-thumbnail-cache.h"
#include "easel-texture-lru.h"

struct _EaselThumbnailCache
{
  GObject           parent_instance;

  EaselThumbnailer *thumbnailer;
  EaselTextureLru  *cache;
};

typedef struct
{
  char *key;
  int   side;
} Load;

G_DEFINE_FINAL_TYPE (EaselThumbnailCache, easel_thumbnail_cache, G_TYPE_OBJECT)

static char *
make_key (const char         *hash,
          EaselThumbnailSize  size,
          int                 side)
{
  return g_strdup_printf ("%s/%d/%d", hash, size, side);
}

static void
load_free (Load *load)
{
  g_free (load->key);
  g_free (load);
}

/**
 * easel_thumbnail_cache_new:
 * @thumbnailer: where thumbnails come from
 * @max_textures: how many textures to keep
 *
 * Returns: (transfer full): an empty cache
 */
EaselThumbnailCache *
easel_thumbnail_cache_new (EaselThumbnailer *thumbnailer,
                           guint             max_textures)
{
  EaselThumbnailCache *self;

  g_return_val_if_fail (EASEL_IS_THUMBNAILER (thumbnailer), NULL);
  g_return_val_if_fail (max_textures > 0, NULL);

  self = g_object_new (EASEL_TYPE_THUMBNAIL_CACHE, NULL);
  self->thumbnailer = g_object_ref (thumbnailer);
  self->cache = easel_texture_lru_new (max_textures);
  return self;
}

/**
 * easel_thumbnail_cache_get_thumbnailer:
 * @self: a cache
 *
 * Returns: (transfer none): the thumbnailer
 */
EaselThumbnailer *
easel_thumbnail_cache_get_thumbnailer (EaselThumbnailCache *self)
{
  g_return_val_if_fail (EASEL_IS_THUMBNAIL_CACHE (self), NULL);

  return self->thumbnailer;
}

/**
 * easel_thumbnail_cache_lookup:
 * @self: a cache
 * @hash: an image's hash
 * @size: which thumbnail
 * @side: the square's side in device pixels, 0 for the whole thumbnail
 *
 * Returns: (transfer full) (nullable): the cached texture
 */
GdkTexture *
easel_thumbnail_cache_lookup (EaselThumbnailCache *self,
                              const char          *hash,
                              EaselThumbnailSize   size,
                              int                  side)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (EASEL_IS_THUMBNAIL_CACHE (self), NULL);
  g_return_val_if_fail (hash != NULL, NULL);

  key = make_key (hash, size, side);
  return easel_texture_lru_lookup (self->cache, key);
}

/* Runs on a worker thread: the middle square of the thumbnail, at @side
 * pixels (never enlarged). */
static void
crop_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GdkPixbuf *thumbnail = task_data;
  Load *load = g_object_get_data (G_OBJECT (task), "load");
  g_autoptr(GdkPixbuf) square = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  square = easel_pixbuf_middle_square (thumbnail);
  if (load->side <= 0 || load->side >= gdk_pixbuf_get_width (square))
    g_task_return_pointer (task, g_steal_pointer (&square), g_object_unref);
  else
    g_task_return_pointer (task, gdk_pixbuf_scale_simple (square, load->side, load->side,
                                                          GDK_INTERP_BILINEAR),
                           g_object_unref);
}

static void
cropped_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  EaselThumbnailCache *self = EASEL_THUMBNAIL_CACHE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GError *error = NULL;

  pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  texture = gdk_texture_new_for_pixbuf (pixbuf);
  easel_texture_lru_insert (self->cache, ((Load *) g_task_get_task_data (task))->key, texture);
  g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaselThumbnailCache *self = g_task_get_source_object (task);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GTask) crop = NULL;
  GError *error = NULL;

  pixbuf = easel_thumbnailer_load_finish (EASEL_THUMBNAILER (object), result, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  crop = g_task_new (self, g_task_get_cancellable (task), cropped_cb, g_object_ref (task));
  g_task_set_source_tag (crop, crop_in_thread);
  g_task_set_task_data (crop, g_steal_pointer (&pixbuf), g_object_unref);
  g_object_set_data (G_OBJECT (crop), "load", g_task_get_task_data (task));
  g_task_run_in_thread (crop, crop_in_thread);
}

/**
 * easel_thumbnail_cache_load_async:
 * @self: a cache
 * @hash: an image's hash
 * @relative_path: the image's path in the image store
 * @size: which thumbnail
 * @side: the square's side in device pixels, 0 for the whole thumbnail
 * @cancellable: (nullable): cancelled when the thumbnail is no longer wanted
 * @callback: called with the texture
 * @user_data: data for @callback
 *
 * Loads a thumbnail through the thumbnailer, cut to the middle square of
 * @side pixels, and caches it.
 */
void
easel_thumbnail_cache_load_async (EaselThumbnailCache *self,
                                  const char          *hash,
                                  const char          *relative_path,
                                  EaselThumbnailSize   size,
                                  int                  side,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Load *load;

  g_return_if_fail (EASEL_IS_THUMBNAIL_CACHE (self));
  g_return_if_fail (hash != NULL);
  g_return_if_fail (relative_path != NULL);
  g_return_if_fail (size <= EASEL_THUMBNAIL_LARGE);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_thumbnail_cache_load_async);
  load = g_new0 (Load, 1);
  load->key = make_key (hash, size, side);
  load->side = side;
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);

  easel_thumbnailer_load_async (self->thumbnailer, hash, relative_path, size, cancellable,
                                loaded_cb, g_steal_pointer (&task));
}

/**
 * easel_thumbnail_cache_load_finish:
 * @self: a cache
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the thumbnail, or %NULL with @error set
 */
GdkTexture *
easel_thumbnail_cache_load_finish (EaselThumbnailCache  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (EASEL_IS_THUMBNAIL_CACHE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
easel_thumbnail_cache_finalize (GObject *object)
{
  EaselThumbnailCache *self = EASEL_THUMBNAIL_CACHE (object);

  g_clear_pointer (&self->cache, easel_texture_lru_free);
  g_clear_object (&self->thumbnailer);

  G_OBJECT_CLASS (easel_thumbnail_cache_parent_class)->finalize (object);
}

static void
easel_thumbnail_cache_class_init (EaselThumbnailCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = easel_thumbnail_cache_finalize;
}

static void
easel_thumbnail_cache_init (EaselThumbnailCache *self)
{
}
