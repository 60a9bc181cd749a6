/* easel-gallery-model.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "easel-image.h"
#include "easel-library.h"
#include "easel-query.h"

G_BEGIN_DECLS

#define EASEL_TYPE_GALLERY_MODEL (easel_gallery_model_get_type ())

G_DECLARE_FINAL_TYPE (EaselGalleryModel, easel_gallery_model, EASEL, GALLERY_MODEL, GObject)

const char        *easel_gallery_model_get_image_hash   (EaselImage          *image);

EaselGalleryModel *easel_gallery_model_new              (EaselLibrary        *library);
EaselLibrary      *easel_gallery_model_get_library      (EaselGalleryModel   *self);
EaselQuery        *easel_gallery_model_get_query        (EaselGalleryModel   *self);
void               easel_gallery_model_set_query        (EaselGalleryModel   *self,
                                                         EaselQuery          *query);
void               easel_gallery_model_reload           (EaselGalleryModel   *self);
void               easel_gallery_model_set_paging       (EaselGalleryModel   *self,
                                                         guint                page_size,
                                                         guint                max_pages);
gboolean           easel_gallery_model_get_loading      (EaselGalleryModel   *self);
gboolean           easel_gallery_model_is_busy          (EaselGalleryModel   *self);
guint              easel_gallery_model_get_n_resident   (EaselGalleryModel   *self);
EaselImage        *easel_gallery_model_peek             (EaselGalleryModel   *self,
                                                         guint                position);
gboolean           easel_gallery_model_find             (EaselGalleryModel   *self,
                                                         EaselImage          *image,
                                                         guint               *position);
void               easel_gallery_model_dup_hashes_async (EaselGalleryModel   *self,
                                                         const guint         *positions,
                                                         guint                n_positions,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GStrv              easel_gallery_model_dup_hashes_finish (EaselGalleryModel  *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);

G_END_DECLS
