/* easel-image-details.h
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

#define EASEL_TYPE_IMAGE_DETAILS (easel_image_details_get_type ())

G_DECLARE_FINAL_TYPE (EaselImageDetails, easel_image_details, EASEL, IMAGE_DETAILS, AdwBin)

EaselImage    *easel_image_details_get_image (EaselImageDetails *self);
void           easel_image_details_set_image (EaselImageDetails *self,
                                              EaselImage        *image);
EaselJobQueue *easel_image_details_get_queue (EaselImageDetails *self);
void           easel_image_details_set_queue (EaselImageDetails *self,
                                              EaselJobQueue     *queue);

G_END_DECLS
