/* easel-job-thumbnails.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Small thumbnails of job outputs for the job sidebar. Decoding happens on
 * a worker thread (the main loop is sacred, DESIGN.md rule 1); the main
 * thread only puts the finished texture in a small LRU cache, so that rows
 * recycled while scrolling show their images again without decoding them
 * twice. */

#include "config.h"

#include "easel-job-thumbnails.h"
#include "easel-texture-lru.h"

#include <math.h>

struct _EaselJobThumbnails
{
  GObject     parent_instance;

  int              size;
  EaselTextureLru *cache;   /* by path */
};

G_DEFINE_FINAL_TYPE (EaselJobThumbnails, easel_job_thumbnails, G_TYPE_OBJECT)

/**
 * easel_job_thumbnails_new:
 * @size: the side in pixels of the square thumbnails
 * @max_cached: how many thumbnails to keep
 *
 * Returns: (transfer full): a thumbnail loader with an empty cache
 */
EaselJobThumbnails *
easel_job_thumbnails_new (int   size,
                          guint max_cached)
{
  EaselJobThumbnails *self;

  g_return_val_if_fail (size > 0, NULL);
  g_return_val_if_fail (max_cached > 0, NULL);

  self = g_object_new (EASEL_TYPE_JOB_THUMBNAILS, NULL);
  self->size = size;
  self->cache = easel_texture_lru_new (max_cached);
  return self;
}

/**
 * easel_job_thumbnails_lookup:
 * @self: a thumbnail loader
 * @path: an image file
 *
 * Returns: (transfer full) (nullable): the cached thumbnail of @path
 */
GdkTexture *
easel_job_thumbnails_lookup (EaselJobThumbnails *self,
                             const char         *path)
{
  g_return_val_if_fail (EASEL_IS_JOB_THUMBNAILS (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return easel_texture_lru_lookup (self->cache, path);
}

/* Runs on a worker thread: scales the image so that its shorter side is
 * @size pixels (never up) and crops the middle square. */
static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  EaselJobThumbnails *self = source_object;
  const char *path = task_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GdkPixbuf) square = NULL;
  g_autoptr(GError) error = NULL;
  int width, height;
  double scale;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (gdk_pixbuf_get_file_info (path, &width, &height) == NULL || width <= 0 || height <= 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "%s is not an image", path);
      return;
    }

  scale = MIN (1.0, (double) self->size / MIN (width, height));
  pixbuf = gdk_pixbuf_new_from_file_at_scale (path,
                                              MAX (1, (int) round (width * scale)),
                                              MAX (1, (int) round (height * scale)),
                                              FALSE, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  square = easel_pixbuf_middle_square (oriented);
  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (square), g_object_unref);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  EaselJobThumbnails *self = EASEL_JOB_THUMBNAILS (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  GError *error = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (texture == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  easel_texture_lru_insert (self->cache, g_task_get_task_data (G_TASK (result)), texture);
  g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
}

/**
 * easel_job_thumbnails_load_async:
 * @self: a thumbnail loader
 * @path: an image file
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the thumbnail
 * @user_data: data for @callback
 *
 * Decodes a thumbnail of @path on a worker thread and caches it.
 */
void
easel_job_thumbnails_load_async (EaselJobThumbnails  *self,
                                 const char          *path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;

  g_return_if_fail (EASEL_IS_JOB_THUMBNAILS (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_job_thumbnails_load_async);

  /* The worker has no cancellable of its own: a thumbnail decoded for a
   * row that went away is still worth caching. */
  worker = g_task_new (self, NULL, loaded_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, load_in_thread);
  g_task_set_task_data (worker, g_strdup (path), g_free);
  g_task_run_in_thread (worker, load_in_thread);
}

/**
 * easel_job_thumbnails_load_finish:
 * @self: a thumbnail loader
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the thumbnail, or %NULL with @error set
 */
GdkTexture *
easel_job_thumbnails_load_finish (EaselJobThumbnails  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (EASEL_IS_JOB_THUMBNAILS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
easel_job_thumbnails_finalize (GObject *object)
{
  EaselJobThumbnails *self = EASEL_JOB_THUMBNAILS (object);

  g_clear_pointer (&self->cache, easel_texture_lru_free);

  G_OBJECT_CLASS (easel_job_thumbnails_parent_class)->finalize (object);
}

static void
easel_job_thumbnails_class_init (EaselJobThumbnailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = easel_job_thumbnails_finalize;
}

static void
easel_job_thumbnails_init (EaselJobThumbnails *self)
{
}
