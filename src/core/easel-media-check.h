/* easel-media-check.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* 100 megapixels: beyond any provider's output (an 8192 × 8192 upscale is
 * 67), and 400 MB once decoded. */
#define EASEL_MEDIA_MAX_PIXELS (100 * 1000 * 1000)

const char      *easel_media_sniff              (const guint8  *data,
                                                 gsize          length);
const char      *easel_media_sniff_video        (const guint8  *data,
                                                 gsize          length);
gboolean         easel_media_is_video           (const char    *mime);
const char      *easel_media_get_extension      (const char    *mime);
const char      *easel_media_mime_for_extension (const char    *extension);
gboolean         easel_media_inspect            (const char    *mime,
                                                 const guint8  *data,
                                                 gsize          length,
                                                 guint         *width,
                                                 guint         *height);
gboolean         easel_media_fit_size           (int            width,
                                                 int            height,
                                                 guint          max_side,
                                                 int           *fit_width,
                                                 int           *fit_height);
GdkPixbufLoader *easel_media_decode             (GBytes        *bytes,
                                                 const char    *mime,
                                                 guint          max_side,
                                                 GError       **error);

G_END_DECLS
