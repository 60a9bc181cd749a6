/* easel-gallery-view.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define EASEL_TYPE_GALLERY_VIEW (easel_gallery_view_get_type ())

G_DECLARE_FINAL_TYPE (EaselGalleryView, easel_gallery_view, EASEL, GALLERY_VIEW, AdwBin)

G_END_DECLS
