/* easel-gallery-item.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "easel-image.h"
#include "easel-thumbnail-cache.h"

G_BEGIN_DECLS

#define EASEL_TYPE_GALLERY_ITEM (easel_gallery_item_get_type ())

G_DECLARE_FINAL_TYPE (EaselGalleryItem, easel_gallery_item, EASEL, GALLERY_ITEM, GtkWidget)

GtkWidget  *easel_gallery_item_new           (EaselThumbnailCache *cache);
EaselImage *easel_gallery_item_get_image     (EaselGalleryItem    *self);
void        easel_gallery_item_set_image     (EaselGalleryItem    *self,
                                              EaselImage          *image);
GdkPaintable *easel_gallery_item_get_paintable (EaselGalleryItem  *self);

G_END_DECLS
