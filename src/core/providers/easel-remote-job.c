/* easel-remote-job.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "easel-remote-job.h"

G_DEFINE_BOXED_TYPE (EaselRemoteJob, easel_remote_job, easel_remote_job_ref, easel_remote_job_unref)

static void
output_free (gpointer data)
{
  EaselRemoteOutput *output = data;

  g_free (output->url);
  g_free (output->content_type);
  g_free (output);
}

/**
 * easel_remote_job_new:
 * @remote_id: the provider's id
 *
 * Returns: (transfer full): an empty snapshot in the unknown state
 */
EaselRemoteJob *
easel_remote_job_new (const char *remote_id)
{
  EaselRemoteJob *self;

  g_return_val_if_fail (remote_id != NULL, NULL);

  self = g_new0 (EaselRemoteJob, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->remote_id = g_strdup (remote_id);
  self->state = EASEL_REMOTE_STATE_UNKNOWN;
  self->progress = -1;
  self->predict_time = -1;
  self->outputs = g_ptr_array_new_with_free_func (output_free);
  return self;
}

/**
 * easel_remote_job_ref:
 * @self: a snapshot
 *
 * Returns: (transfer full): @self
 */
EaselRemoteJob *
easel_remote_job_ref (EaselRemoteJob *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * easel_remote_job_unref:
 * @self: (transfer full): a snapshot
 */
void
easel_remote_job_unref (EaselRemoteJob *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->remote_id);
  g_free (self->local_id);
  g_free (self->model);
  g_free (self->prompt);
  g_free (self->job_type);
  g_free (self->status);
  g_ptr_array_unref (self->outputs);
  g_strfreev (self->buttons);
  g_free (self->error_message);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->completed_at, g_date_time_unref);
  g_clear_pointer (&self->input, json_object_unref);
  g_free (self);
}

/**
 * easel_remote_job_add_output:
 * @self: a snapshot
 * @url: the output's URL
 * @width: its width, or 0
 * @height: its height, or 0
 * @content_type: (nullable): its MIME type
 */
void
easel_remote_job_add_output (EaselRemoteJob *self,
                             const char     *url,
                             int             width,
                             int             height,
                             const char     *content_type)
{
  EaselRemoteOutput *output;

  g_return_if_fail (self != NULL);
  g_return_if_fail (url != NULL);

  output = g_new0 (EaselRemoteOutput, 1);
  output->url = g_strdup (url);
  output->width = MAX (width, 0);
  output->height = MAX (height, 0);
  output->content_type = g_strdup (content_type);
  g_ptr_array_add (self->outputs, output);
}

/**
 * easel_remote_state_is_terminal:
 * @state: a state
 *
 * Returns: whether a job in @state will not change any more
 */
gboolean
easel_remote_state_is_terminal (EaselRemoteState state)
{
  switch (state)
    {
    case EASEL_REMOTE_STATE_SUCCEEDED:
    case EASEL_REMOTE_STATE_FAILED:
    case EASEL_REMOTE_STATE_CANCELLED:
    case EASEL_REMOTE_STATE_ABORTED:
    case EASEL_REMOTE_STATE_MODERATED:
      return TRUE;
    case EASEL_REMOTE_STATE_UNKNOWN:
    case EASEL_REMOTE_STATE_QUEUED:
    case EASEL_REMOTE_STATE_RUNNING:
    default:
      return FALSE;
    }
}

/**
 * easel_remote_job_is_terminal:
 * @self: a snapshot
 *
 * Returns: whether the job will not change any more
 */
gboolean
easel_remote_job_is_terminal (EaselRemoteJob *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return easel_remote_state_is_terminal (self->state);
}

/**
 * easel_remote_job_has_button:
 * @self: a snapshot
 * @button: a button label, such as "U1"
 *
 * Returns: whether the provider offers @button on this job
 */
gboolean
easel_remote_job_has_button (EaselRemoteJob *self,
                             const char     *button)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (button != NULL, FALSE);

  return self->buttons != NULL &&
         g_strv_contains ((const char * const *) self->buttons, button);
}

/**
 * easel_remote_state_to_string:
 * @state: a state
 *
 * Returns: a stable, untranslated name for @state
 */
const char *
easel_remote_state_to_string (EaselRemoteState state)
{
  switch (state)
    {
    case EASEL_REMOTE_STATE_QUEUED: return "queued";
    case EASEL_REMOTE_STATE_RUNNING: return "running";
    case EASEL_REMOTE_STATE_SUCCEEDED: return "succeeded";
    case EASEL_REMOTE_STATE_FAILED: return "failed";
    case EASEL_REMOTE_STATE_CANCELLED: return "cancelled";
    case EASEL_REMOTE_STATE_ABORTED: return "aborted";
    case EASEL_REMOTE_STATE_MODERATED: return "moderated";
    case EASEL_REMOTE_STATE_UNKNOWN:
    default:
      return "unknown";
    }
}
