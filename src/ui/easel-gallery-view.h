/* easel-gallery-view.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "easel-job-queue.h"
#include "easel-library.h"
#include "easel-thumbnailer.h"

G_BEGIN_DECLS

#define EASEL_TYPE_GALLERY_VIEW (easel_gallery_view_get_type ())

G_DECLARE_FINAL_TYPE (EaselGalleryView, easel_gallery_view, EASEL, GALLERY_VIEW, AdwBin)

void                easel_gallery_view_set_library  (EaselGalleryView *self,
                                                     EaselLibrary     *library,
                                                     EaselThumbnailer *thumbnailer);
EaselLibrary       *easel_gallery_view_get_library  (EaselGalleryView *self);
void                easel_gallery_view_set_job_queue (EaselGalleryView *self,
                                                      EaselJobQueue    *queue);
GListModel         *easel_gallery_view_get_model    (EaselGalleryView *self);
GtkSelectionModel  *easel_gallery_view_get_selection (EaselGalleryView *self);
void                easel_gallery_view_search       (EaselGalleryView *self,
                                                     const char       *text);
void                easel_gallery_view_show_job     (EaselGalleryView *self,
                                                     gint64            job_id);
void                easel_gallery_view_open         (EaselGalleryView *self,
                                                     guint             position);
gboolean            easel_gallery_view_get_viewing  (EaselGalleryView *self);
const char         *easel_gallery_view_get_summary  (EaselGalleryView *self);

G_END_DECLS
