/* easel-image-canvas.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EASEL_TYPE_IMAGE_CANVAS (easel_image_canvas_get_type ())

G_DECLARE_FINAL_TYPE (EaselImageCanvas, easel_image_canvas, EASEL, IMAGE_CANVAS, GtkWidget)

GtkWidget    *easel_image_canvas_new           (void);
GdkPaintable *easel_image_canvas_get_paintable (EaselImageCanvas *self);
void          easel_image_canvas_set_paintable (EaselImageCanvas *self,
                                                GdkPaintable     *paintable);
gboolean      easel_image_canvas_get_fit       (EaselImageCanvas *self);
void          easel_image_canvas_set_fit       (EaselImageCanvas *self,
                                                gboolean          fit);
double        easel_image_canvas_get_zoom      (EaselImageCanvas *self);
void          easel_image_canvas_set_zoom      (EaselImageCanvas *self,
                                                double            zoom);
void          easel_image_canvas_zoom_in       (EaselImageCanvas *self);
void          easel_image_canvas_zoom_out      (EaselImageCanvas *self);

G_END_DECLS
