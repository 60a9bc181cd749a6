/* easel-test-util.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean  easel_test_init_ui         (int           *argc,
                                      char        ***argv);
gboolean  easel_test_spin_until      (GSourceFunc    condition,
                                      gpointer       user_data,
                                      guint          timeout_ms);
void      easel_test_wait_painted    (GtkWidget     *widget);
char     *easel_test_save_screenshot (GtkWidget     *widget,
                                      const char    *name);
void      easel_test_reset_settings  (void);
void      easel_test_load_style      (gboolean       dark);
char     *easel_test_text_of         (GtkWidget     *widget);
GtkWidget *easel_test_find_button    (GtkWidget     *widget,
                                      const char    *label);

G_END_DECLS
