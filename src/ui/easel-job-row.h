/* easel-job-row.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "easel-job.h"
#include "easel-job-thumbnails.h"

G_BEGIN_DECLS

#define EASEL_TYPE_JOB_ROW (easel_job_row_get_type ())

G_DECLARE_FINAL_TYPE (EaselJobRow, easel_job_row, EASEL, JOB_ROW, AdwBin)

GtkWidget *easel_job_row_new     (EaselJobThumbnails *thumbnails);
EaselJob  *easel_job_row_get_job (EaselJobRow        *self);
void       easel_job_row_set_job (EaselJobRow        *self,
                                  EaselJob           *job);

G_END_DECLS
