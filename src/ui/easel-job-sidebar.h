/* easel-job-sidebar.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define EASEL_TYPE_JOB_SIDEBAR (easel_job_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (EaselJobSidebar, easel_job_sidebar, EASEL, JOB_SIDEBAR, AdwBin)

G_END_DECLS
