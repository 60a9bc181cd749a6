/* easel-remote-job.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * EaselRemoteState:
 * @EASEL_REMOTE_STATE_UNKNOWN: a status the provider's documentation does
 *   not list; surfaced as it is, never guessed
 * @EASEL_REMOTE_STATE_QUEUED: accepted, not started (Replicate `starting`,
 *   UseAPI `created`)
 * @EASEL_REMOTE_STATE_RUNNING: running (Replicate `processing`, UseAPI
 *   `started` and `progress`)
 * @EASEL_REMOTE_STATE_SUCCEEDED: finished with outputs
 * @EASEL_REMOTE_STATE_FAILED: finished with an error
 * @EASEL_REMOTE_STATE_CANCELLED: cancelled (Replicate `canceled`)
 * @EASEL_REMOTE_STATE_ABORTED: its deadline passed before it started
 *   (Replicate `aborted`; not billed)
 * @EASEL_REMOTE_STATE_MODERATED: refused by moderation
 *
 * A job's state at the provider.
 */
typedef enum
{
  EASEL_REMOTE_STATE_UNKNOWN,
  EASEL_REMOTE_STATE_QUEUED,
  EASEL_REMOTE_STATE_RUNNING,
  EASEL_REMOTE_STATE_SUCCEEDED,
  EASEL_REMOTE_STATE_FAILED,
  EASEL_REMOTE_STATE_CANCELLED,
  EASEL_REMOTE_STATE_ABORTED,
  EASEL_REMOTE_STATE_MODERATED,
} EaselRemoteState;

/**
 * EaselRemoteOutput:
 * @url: where to download it
 * @width: width in pixels, or 0 when unknown
 * @height: height in pixels, or 0 when unknown
 * @content_type: (nullable): the MIME type when the provider says it
 *
 * One output file of a job.
 */
typedef struct
{
  char *url;
  int   width;
  int   height;
  char *content_type;
} EaselRemoteOutput;

/**
 * EaselRemoteJob:
 * @remote_id: the provider's id of the job
 * @local_id: (nullable): Easel's id, when the provider echoes it back
 * @model: (nullable): the model
 * @prompt: (nullable): the prompt as the provider recorded it
 * @job_type: (nullable): "image" or "video" where the provider says
 * @state: the state
 * @status: the provider's own word for the state
 * @progress: percent done, or -1 when unknown
 * @outputs: (element-type EaselRemoteOutput): the outputs, empty until done
 * @buttons: (nullable): the actions the provider offers on the result
 *   (Midjourney U1–U4, V1–V4 …), exactly as it lists them
 * @error_message: (nullable): the provider's error text
 * @predict_time: billed seconds of compute, or -1 when unknown
 * @created_at: (nullable): when the provider created it
 * @completed_at: (nullable): when it finished
 * @input: (nullable): the inputs as the provider echoes them
 * @data_removed: whether the provider has deleted inputs and outputs
 *
 * A snapshot of a job at the provider, parsed from one reply.
 */
typedef struct
{
  /*< private >*/
  gatomicrefcount   ref_count;

  /*< public >*/
  char             *remote_id;
  char             *local_id;
  char             *model;
  char             *prompt;
  char             *job_type;
  EaselRemoteState  state;
  char             *status;
  int               progress;
  GPtrArray        *outputs;
  GStrv             buttons;
  char             *error_message;
  double            predict_time;
  GDateTime        *created_at;
  GDateTime        *completed_at;
  JsonObject       *input;
  gboolean          data_removed;
} EaselRemoteJob;

#define EASEL_TYPE_REMOTE_JOB (easel_remote_job_get_type ())

GType              easel_remote_job_get_type     (void) G_GNUC_CONST;
EaselRemoteJob    *easel_remote_job_new          (const char       *remote_id);
EaselRemoteJob    *easel_remote_job_ref          (EaselRemoteJob   *self);
void               easel_remote_job_unref        (EaselRemoteJob   *self);
void               easel_remote_job_add_output   (EaselRemoteJob   *self,
                                                  const char       *url,
                                                  int               width,
                                                  int               height,
                                                  const char       *content_type);
gboolean           easel_remote_job_is_terminal  (EaselRemoteJob   *self);
gboolean           easel_remote_job_has_button   (EaselRemoteJob   *self,
                                                  const char       *button);
const char        *easel_remote_state_to_string  (EaselRemoteState  state);
gboolean           easel_remote_state_is_terminal (EaselRemoteState state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselRemoteJob, easel_remote_job_unref)

G_END_DECLS
