/* easel-thumbnail-cache.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "easel-thumbnailer.h"

G_BEGIN_DECLS

#define EASEL_TYPE_THUMBNAIL_CACHE (easel_thumbnail_cache_get_type ())

G_DECLARE_FINAL_TYPE (EaselThumbnailCache, easel_thumbnail_cache, EASEL, THUMBNAIL_CACHE, GObject)

EaselThumbnailCache *easel_thumbnail_cache_new         (EaselThumbnailer     *thumbnailer,
                                                        guint                 max_textures);
EaselThumbnailer    *easel_thumbnail_cache_get_thumbnailer (EaselThumbnailCache *self);
GdkTexture          *easel_thumbnail_cache_lookup      (EaselThumbnailCache  *self,
                                                        const char           *hash,
                                                        EaselThumbnailSize    size,
                                                        int                   side);
void                 easel_thumbnail_cache_load_async  (EaselThumbnailCache  *self,
                                                        const char           *hash,
                                                        const char           *relative_path,
                                                        EaselThumbnailSize    size,
                                                        int                   side,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GdkTexture          *easel_thumbnail_cache_load_finish (EaselThumbnailCache  *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

G_END_DECLS
