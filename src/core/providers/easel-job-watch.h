/* easel-job-watch.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "easel-remote-job.h"

G_BEGIN_DECLS

#define EASEL_TYPE_JOB_WATCH (easel_job_watch_get_type ())

G_DECLARE_FINAL_TYPE (EaselJobWatch, easel_job_watch, EASEL, JOB_WATCH, GObject)

EaselJobWatch  *easel_job_watch_new               (const char     *remote_id);
const char     *easel_job_watch_get_remote_id     (EaselJobWatch  *self);
EaselRemoteJob *easel_job_watch_get_job           (EaselJobWatch  *self);
gboolean        easel_job_watch_get_finished      (EaselJobWatch  *self);
const GError   *easel_job_watch_get_error         (EaselJobWatch  *self);
guint           easel_job_watch_get_request_count (EaselJobWatch  *self);
GCancellable   *easel_job_watch_get_cancellable   (EaselJobWatch  *self);
void            easel_job_watch_stop              (EaselJobWatch  *self);

/* For providers */
void            easel_job_watch_count_request     (EaselJobWatch  *self);
void            easel_job_watch_update            (EaselJobWatch  *self,
                                                   EaselRemoteJob *job);
void            easel_job_watch_fail              (EaselJobWatch  *self,
                                                   const GError   *error);

G_END_DECLS
