/* easel-image-viewer.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "easel-image.h"
#include "easel-job-queue.h"

G_BEGIN_DECLS

#define EASEL_TYPE_IMAGE_VIEWER (easel_image_viewer_get_type ())

G_DECLARE_FINAL_TYPE (EaselImageViewer, easel_image_viewer, EASEL, IMAGE_VIEWER, AdwBin)

void        easel_image_viewer_show          (EaselImageViewer *self,
                                              GListModel       *model,
                                              guint             position);
void        easel_image_viewer_clear         (EaselImageViewer *self);
EaselImage *easel_image_viewer_get_image     (EaselImageViewer *self);
guint       easel_image_viewer_get_position  (EaselImageViewer *self);
gboolean    easel_image_viewer_get_loaded    (EaselImageViewer *self);
void        easel_image_viewer_step          (EaselImageViewer *self,
                                              int               delta);
void        easel_image_viewer_set_queue     (EaselImageViewer *self,
                                              EaselJobQueue    *queue);

G_END_DECLS
