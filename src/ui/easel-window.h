/* easel-window.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "easel-application.h"
#include "easel-job-queue.h"
#include "easel-library.h"
#include "easel-thumbnailer.h"

G_BEGIN_DECLS

#define EASEL_TYPE_WINDOW (easel_window_get_type ())

G_DECLARE_FINAL_TYPE (EaselWindow, easel_window, EASEL, WINDOW, AdwApplicationWindow)

EaselWindow *easel_window_new                (EaselApplication *application);
GtkWidget   *easel_window_get_editor_pane    (EaselWindow      *self);
GtkWidget   *easel_window_get_gallery_view   (EaselWindow      *self);
GtkWidget   *easel_window_get_job_sidebar    (EaselWindow      *self);
void         easel_window_set_job_queue      (EaselWindow      *self,
                                              EaselJobQueue    *queue);
void         easel_window_set_accounts       (EaselWindow      *self,
                                              EaselAccounts    *accounts);
void         easel_window_set_library        (EaselWindow      *self,
                                              EaselLibrary     *library,
                                              EaselThumbnailer *thumbnailer);
void         easel_window_show_toast         (EaselWindow      *self,
                                              const char       *message);

G_END_DECLS
