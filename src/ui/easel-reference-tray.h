/* easel-reference-tray.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "easel-reference.h"

G_BEGIN_DECLS

#define EASEL_TYPE_REFERENCE_TRAY (easel_reference_tray_get_type ())

G_DECLARE_FINAL_TYPE (EaselReferenceTray, easel_reference_tray, EASEL, REFERENCE_TRAY, AdwBin)

GtkWidget     *easel_reference_tray_new                (void);
void           easel_reference_tray_set_roles          (EaselReferenceTray *self,
                                                        GPtrArray          *roles);
void           easel_reference_tray_add_file           (EaselReferenceTray *self,
                                                        GFile              *file);
void           easel_reference_tray_add_url            (EaselReferenceTray *self,
                                                        const char         *url);
GPtrArray     *easel_reference_tray_get_references     (EaselReferenceTray *self);
void           easel_reference_tray_clear              (EaselReferenceTray *self);
gboolean       easel_reference_tray_is_busy            (EaselReferenceTray *self);
gboolean       easel_reference_tray_get_valid          (EaselReferenceTray *self);
const char    *easel_reference_tray_get_message        (EaselReferenceTray *self);
const char    *easel_reference_tray_get_problem        (EaselReferenceTray *self);
GtkDropTarget *easel_reference_tray_create_drop_target (EaselReferenceTray *self);

G_END_DECLS
