/* easel-job-sidebar.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "easel-job-queue.h"

G_BEGIN_DECLS

#define EASEL_TYPE_JOB_SIDEBAR (easel_job_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (EaselJobSidebar, easel_job_sidebar, EASEL, JOB_SIDEBAR, AdwBin)

GListModel    *easel_job_sidebar_get_model         (EaselJobSidebar *self);
void           easel_job_sidebar_set_model         (EaselJobSidebar *self,
                                                    GListModel      *jobs);
EaselJobQueue *easel_job_sidebar_get_queue         (EaselJobSidebar *self);
void           easel_job_sidebar_set_queue         (EaselJobSidebar *self,
                                                    EaselJobQueue   *queue);
gboolean       easel_job_sidebar_get_paused        (EaselJobSidebar *self);
void           easel_job_sidebar_set_paused        (EaselJobSidebar *self,
                                                    gboolean         paused);
const char    *easel_job_sidebar_get_slots_summary (EaselJobSidebar *self);
void           easel_job_sidebar_set_slots_summary (EaselJobSidebar *self,
                                                    const char      *summary);

G_END_DECLS
