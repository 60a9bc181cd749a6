/* easel-job.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "easel-job-spec.h"

G_BEGIN_DECLS

/**
 * EaselJobState:
 * @EASEL_JOB_QUEUED: saved, waiting for a free slot
 * @EASEL_JOB_SUBMITTING: being sent; if Easel stops now, the job is
 *   reconciled with the provider at the next start, never sent again blindly
 * @EASEL_JOB_SUBMITTED: the provider accepted it (the remote id is saved)
 * @EASEL_JOB_RUNNING: the provider reports it running
 * @EASEL_JOB_DOWNLOADING: finished at the provider; outputs being saved
 * @EASEL_JOB_SUCCEEDED: outputs saved in the library
 * @EASEL_JOB_FAILED: ended with an error
 * @EASEL_JOB_CANCELLED: cancelled
 * @EASEL_JOB_NEEDS_ATTENTION: Easel cannot tell what happened without the
 *   user (a submit whose outcome is unknown, a channel waiting for a CAPTCHA)
 *
 * The life of a job. Every change is written to the store.
 */
typedef enum
{
  EASEL_JOB_QUEUED,
  EASEL_JOB_SUBMITTING,
  EASEL_JOB_SUBMITTED,
  EASEL_JOB_RUNNING,
  EASEL_JOB_DOWNLOADING,
  EASEL_JOB_SUCCEEDED,
  EASEL_JOB_FAILED,
  EASEL_JOB_CANCELLED,
  EASEL_JOB_NEEDS_ATTENTION,
} EaselJobState;

#define EASEL_TYPE_JOB_STATE (easel_job_state_get_type ())
GType          easel_job_state_get_type       (void) G_GNUC_CONST;
const char    *easel_job_state_to_string      (EaselJobState  state);
gboolean       easel_job_state_from_string    (const char    *text,
                                               EaselJobState *state);
gboolean       easel_job_state_is_terminal    (EaselJobState  state);
gboolean       easel_job_state_is_live_remote (EaselJobState  state);

#define EASEL_TYPE_JOB (easel_job_get_type ())

G_DECLARE_FINAL_TYPE (EaselJob, easel_job, EASEL, JOB, GObject)

EaselJob      *easel_job_new                (const char     *uuid,
                                             const char     *provider,
                                             const char     *account,
                                             EaselJobSpec   *spec);
gint64         easel_job_get_id             (EaselJob       *self);
const char    *easel_job_get_uuid           (EaselJob       *self);
const char    *easel_job_get_provider       (EaselJob       *self);
const char    *easel_job_get_account        (EaselJob       *self);
const char    *easel_job_get_model          (EaselJob       *self);
const char    *easel_job_get_prompt         (EaselJob       *self);
EaselJobSpec  *easel_job_get_spec           (EaselJob       *self);
EaselJobState  easel_job_get_state          (EaselJob       *self);
int            easel_job_get_progress       (EaselJob       *self);
const char    *easel_job_get_remote_id      (EaselJob       *self);
const char    *easel_job_get_remote_status  (EaselJob       *self);
const char    *easel_job_get_error_code     (EaselJob       *self);
const char    *easel_job_get_error_message  (EaselJob       *self);
const char    *easel_job_get_remedy         (EaselJob       *self);
const char    *easel_job_get_waiting_reason (EaselJob       *self);
const char    *easel_job_get_action         (EaselJob       *self);
gint64         easel_job_get_parent_id      (EaselJob       *self);
guint          easel_job_get_attempt        (EaselJob       *self);
gint64         easel_job_get_retry_of       (EaselJob       *self);
guint          easel_job_get_requests       (EaselJob       *self);
gint64         easel_job_get_created_at     (EaselJob       *self);
gint64         easel_job_get_started_at     (EaselJob       *self);
gint64         easel_job_get_finished_at    (EaselJob       *self);
gint64         easel_job_get_estimate       (EaselJob       *self);
gint64         easel_job_get_cost           (EaselJob       *self);
const char * const *easel_job_get_buttons   (EaselJob       *self);
const char * const *easel_job_get_outputs   (EaselJob       *self);
gboolean       easel_job_get_active         (EaselJob       *self);
gboolean       easel_job_is_video           (EaselJob       *self);
gint64         easel_job_get_template_id    (EaselJob       *self);
int            easel_job_get_template_version (EaselJob     *self);
JsonObject    *easel_job_get_template_bindings (EaselJob    *self);

/* For the job queue and the store */
void           easel_job_set_id             (EaselJob       *self,
                                             gint64          id);
void           easel_job_set_state          (EaselJob       *self,
                                             EaselJobState   state);
void           easel_job_set_progress       (EaselJob       *self,
                                             int             progress);
void           easel_job_set_remote         (EaselJob       *self,
                                             const char     *remote_id,
                                             const char     *remote_status);
void           easel_job_set_error          (EaselJob       *self,
                                             const char     *code,
                                             const char     *message,
                                             const char     *remedy);
void           easel_job_set_waiting_reason (EaselJob       *self,
                                             const char     *reason);
void           easel_job_set_action         (EaselJob       *self,
                                             gint64          parent_id,
                                             const char     *action);
void           easel_job_set_attempt        (EaselJob       *self,
                                             guint           attempt,
                                             gint64          retry_of);
void           easel_job_add_requests       (EaselJob       *self,
                                             guint           n);
void           easel_job_set_times          (EaselJob       *self,
                                             gint64          created_at,
                                             gint64          started_at,
                                             gint64          finished_at);
void           easel_job_set_estimate       (EaselJob       *self,
                                             gint64          micros);
void           easel_job_set_cost           (EaselJob       *self,
                                             gint64          micros);
void           easel_job_set_buttons        (EaselJob       *self,
                                             const char * const *buttons);
void           easel_job_set_outputs        (EaselJob       *self,
                                             const char * const *paths);
void           easel_job_set_template       (EaselJob       *self,
                                             gint64          template_id,
                                             int             version,
                                             JsonObject     *bindings);

G_END_DECLS
