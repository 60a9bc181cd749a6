/* easel-image.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define EASEL_TYPE_IMAGE (easel_image_get_type ())

G_DECLARE_FINAL_TYPE (EaselImage, easel_image, EASEL, IMAGE, GObject)

EaselImage         *easel_image_new            (const char         *hash);
const char         *easel_image_get_hash       (EaselImage         *self);
const char         *easel_image_get_path       (EaselImage         *self);
int                 easel_image_get_width      (EaselImage         *self);
int                 easel_image_get_height     (EaselImage         *self);
const char         *easel_image_get_mime       (EaselImage         *self);
gint64              easel_image_get_bytes      (EaselImage         *self);
gint64              easel_image_get_created_at (EaselImage         *self);
gint64              easel_image_get_job_id     (EaselImage         *self);
const char         *easel_image_get_provider   (EaselImage         *self);
const char         *easel_image_get_model      (EaselImage         *self);
const char         *easel_image_get_prompt     (EaselImage         *self);
const char         *easel_image_get_params     (EaselImage         *self);
gint64              easel_image_get_seed       (EaselImage         *self);
int                 easel_image_get_rating     (EaselImage         *self);
gboolean            easel_image_get_favourite  (EaselImage         *self);
gboolean            easel_image_get_trashed    (EaselImage         *self);
const char * const *easel_image_get_tags       (EaselImage         *self);
void                easel_image_set_path       (EaselImage         *self,
                                                const char         *path);
void                easel_image_set_width      (EaselImage         *self,
                                                int                 width);
void                easel_image_set_height     (EaselImage         *self,
                                                int                 height);
void                easel_image_set_mime       (EaselImage         *self,
                                                const char         *mime);
void                easel_image_set_bytes      (EaselImage         *self,
                                                gint64              bytes);
void                easel_image_set_created_at (EaselImage         *self,
                                                gint64              created_at);
void                easel_image_set_job_id     (EaselImage         *self,
                                                gint64              job_id);
void                easel_image_set_provider   (EaselImage         *self,
                                                const char         *provider);
void                easel_image_set_model      (EaselImage         *self,
                                                const char         *model);
void                easel_image_set_prompt     (EaselImage         *self,
                                                const char         *prompt);
void                easel_image_set_params     (EaselImage         *self,
                                                const char         *params);
void                easel_image_set_seed       (EaselImage         *self,
                                                gint64              seed);
void                easel_image_set_rating     (EaselImage         *self,
                                                int                 rating);
void                easel_image_set_favourite  (EaselImage         *self,
                                                gboolean            favourite);
void                easel_image_set_trashed    (EaselImage         *self,
                                                gboolean            trashed);
void                easel_image_set_tags       (EaselImage         *self,
                                                const char * const *tags);
void                easel_image_update_from    (EaselImage         *self,
                                                EaselImage         *fresher);

G_END_DECLS
