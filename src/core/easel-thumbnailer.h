/* easel-thumbnailer.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

#include "easel-image-store.h"

G_BEGIN_DECLS

/**
 * EaselThumbnailSize:
 * @EASEL_THUMBNAIL_SMALL: 256 pixels on the longest side
 * @EASEL_THUMBNAIL_LARGE: 512 pixels on the longest side
 *
 * The two sizes of cached thumbnails. Images smaller than the size keep
 * their own size: thumbnails are never scaled up.
 */
typedef enum
{
  EASEL_THUMBNAIL_SMALL,
  EASEL_THUMBNAIL_LARGE,
} EaselThumbnailSize;

#define EASEL_TYPE_THUMBNAILER (easel_thumbnailer_get_type ())

G_DECLARE_FINAL_TYPE (EaselThumbnailer, easel_thumbnailer, EASEL, THUMBNAILER, GObject)

guint             easel_thumbnail_size_get_pixels       (EaselThumbnailSize    size);

EaselThumbnailer *easel_thumbnailer_new                 (EaselImageStore      *images,
                                                         const char           *cache_root);
EaselImageStore  *easel_thumbnailer_get_image_store     (EaselThumbnailer     *self);
const char       *easel_thumbnailer_get_cache_root      (EaselThumbnailer     *self);
guint64           easel_thumbnailer_get_max_cache_size  (EaselThumbnailer     *self);
void              easel_thumbnailer_set_max_cache_size  (EaselThumbnailer     *self,
                                                         guint64               max_cache_size);

void              easel_thumbnailer_load_async          (EaselThumbnailer     *self,
                                                         const char           *hash,
                                                         const char           *relative_path,
                                                         EaselThumbnailSize    size,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GdkPixbuf        *easel_thumbnailer_load_finish         (EaselThumbnailer     *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void              easel_thumbnailer_get_cache_size_async  (EaselThumbnailer     *self,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean          easel_thumbnailer_get_cache_size_finish (EaselThumbnailer     *self,
                                                           GAsyncResult         *result,
                                                           guint64              *size,
                                                           GError              **error);

void              easel_thumbnailer_clear_async         (EaselThumbnailer     *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean          easel_thumbnailer_clear_finish        (EaselThumbnailer     *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

G_END_DECLS
