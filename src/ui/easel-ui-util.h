/* easel-ui-util.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void      easel_widget_show_toast         (GtkWidget  *widget,
                                           const char *message);
gboolean  easel_widget_has_window_action  (GtkWidget  *widget,
                                           const char *name);

G_END_DECLS
