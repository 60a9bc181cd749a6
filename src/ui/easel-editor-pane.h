/* easel-editor-pane.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define EASEL_TYPE_EDITOR_PANE (easel_editor_pane_get_type ())

G_DECLARE_FINAL_TYPE (EaselEditorPane, easel_editor_pane, EASEL, EDITOR_PANE, AdwBin)

G_END_DECLS
