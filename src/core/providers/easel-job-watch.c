/* easel-job-watch.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The handle on one submitted job being watched, whatever the provider does
 * underneath (an SSE stream, adaptive polling). The provider feeds it
 * snapshots; the job queue and the UI listen to "updated" and "finished",
 * always on the main context the watch was created on.
 *
 * "finished" is emitted once: with the terminal snapshot, or with the error
 * that ended watching (the job itself may still be running then: the queue
 * decides whether to watch again or to reconcile). Stopping a watch
 * (easel_job_watch_stop) emits nothing. */

#include "config.h"

#include "easel-job-watch.h"

struct _EaselJobWatch
{
  GObject         parent_instance;

  char           *remote_id;
  EaselRemoteJob *job;
  GError         *error;
  GCancellable   *cancellable;
  guint           request_count;
  gboolean        finished;
};

G_DEFINE_FINAL_TYPE (EaselJobWatch, easel_job_watch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REMOTE_ID,
  PROP_JOB,
  PROP_FINISHED,
  PROP_REQUEST_COUNT,
  N_PROPS
};

enum {
  UPDATED,
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/**
 * easel_job_watch_new:
 * @remote_id: the provider's id of the job
 *
 * Returns: (transfer full): a new watch; providers create it
 */
EaselJobWatch *
easel_job_watch_new (const char *remote_id)
{
  g_return_val_if_fail (remote_id != NULL, NULL);

  return g_object_new (EASEL_TYPE_JOB_WATCH, "remote-id", remote_id, NULL);
}

/**
 * easel_job_watch_get_remote_id:
 * @self: a watch
 *
 * Returns: (transfer none): the provider's id of the job
 */
const char *
easel_job_watch_get_remote_id (EaselJobWatch *self)
{
  g_return_val_if_fail (EASEL_IS_JOB_WATCH (self), NULL);

  return self->remote_id;
}

/**
 * easel_job_watch_get_job:
 * @self: a watch
 *
 * Returns: (transfer none) (nullable): the latest snapshot
 */
EaselRemoteJob *
easel_job_watch_get_job (EaselJobWatch *self)
{
  g_return_val_if_fail (EASEL_IS_JOB_WATCH (self), NULL);

  return self->job;
}

/**
 * easel_job_watch_get_finished:
 * @self: a watch
 *
 * Returns: whether watching has ended
 */
gboolean
easel_job_watch_get_finished (EaselJobWatch *self)
{
  g_return_val_if_fail (EASEL_IS_JOB_WATCH (self), FALSE);

  return self->finished;
}

/**
 * easel_job_watch_get_error:
 * @self: a watch
 *
 * Returns: (transfer none) (nullable): the error that ended watching
 */
const GError *
easel_job_watch_get_error (EaselJobWatch *self)
{
  g_return_val_if_fail (EASEL_IS_JOB_WATCH (self), NULL);

  return self->error;
}

/**
 * easel_job_watch_get_request_count:
 * @self: a watch
 *
 * Returns: how many HTTP requests watching this job has taken
 */
guint
easel_job_watch_get_request_count (EaselJobWatch *self)
{
  g_return_val_if_fail (EASEL_IS_JOB_WATCH (self), 0);

  return self->request_count;
}

/**
 * easel_job_watch_get_cancellable:
 * @self: a watch
 *
 * Returns: (transfer none): the cancellable the provider's requests use;
 *   cancelled by easel_job_watch_stop()
 */
GCancellable *
easel_job_watch_get_cancellable (EaselJobWatch *self)
{
  g_return_val_if_fail (EASEL_IS_JOB_WATCH (self), NULL);

  return self->cancellable;
}

/**
 * easel_job_watch_stop:
 * @self: a watch
 *
 * Stops watching without emitting "finished". The remote job is not
 * cancelled: that is easel_provider_cancel_async().
 */
void
easel_job_watch_stop (EaselJobWatch *self)
{
  g_return_if_fail (EASEL_IS_JOB_WATCH (self));

  self->finished = TRUE;
  g_cancellable_cancel (self->cancellable);
}

/**
 * easel_job_watch_count_request:
 * @self: a watch
 *
 * Counts one HTTP request made for this job.
 */
void
easel_job_watch_count_request (EaselJobWatch *self)
{
  g_return_if_fail (EASEL_IS_JOB_WATCH (self));

  self->request_count++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST_COUNT]);
}

static void
finish (EaselJobWatch *self)
{
  self->finished = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
  g_signal_emit (self, signals[FINISHED], 0, self->job, self->error);
}

/**
 * easel_job_watch_update:
 * @self: a watch
 * @job: (transfer none): a new snapshot
 *
 * Records @job and emits "updated"; emits "finished" too when @job is in a
 * terminal state. Ignored once the watch has finished or was stopped.
 */
void
easel_job_watch_update (EaselJobWatch  *self,
                        EaselRemoteJob *job)
{
  g_return_if_fail (EASEL_IS_JOB_WATCH (self));
  g_return_if_fail (job != NULL);

  if (self->finished)
    return;

  g_clear_pointer (&self->job, easel_remote_job_unref);
  self->job = easel_remote_job_ref (job);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
  g_signal_emit (self, signals[UPDATED], 0, job);

  if (easel_remote_job_is_terminal (job) && !self->finished)
    finish (self);
}

/**
 * easel_job_watch_fail:
 * @self: a watch
 * @error: why watching ended
 *
 * Ends watching with @error. Ignored once the watch has finished or was
 * stopped.
 */
void
easel_job_watch_fail (EaselJobWatch *self,
                      const GError  *error)
{
  g_return_if_fail (EASEL_IS_JOB_WATCH (self));
  g_return_if_fail (error != NULL);

  if (self->finished)
    return;

  g_clear_error (&self->error);
  self->error = g_error_copy (error);
  finish (self);
}

static void
easel_job_watch_finalize (GObject *object)
{
  EaselJobWatch *self = EASEL_JOB_WATCH (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->remote_id, g_free);
  g_clear_pointer (&self->job, easel_remote_job_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (easel_job_watch_parent_class)->finalize (object);
}

static void
easel_job_watch_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EaselJobWatch *self = EASEL_JOB_WATCH (object);

  switch (prop_id)
    {
    case PROP_REMOTE_ID:
      g_value_set_string (value, self->remote_id);
      break;
    case PROP_JOB:
      g_value_set_boxed (value, self->job);
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, self->finished);
      break;
    case PROP_REQUEST_COUNT:
      g_value_set_uint (value, self->request_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_job_watch_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  EaselJobWatch *self = EASEL_JOB_WATCH (object);

  switch (prop_id)
    {
    case PROP_REMOTE_ID:
      self->remote_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_job_watch_class_init (EaselJobWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = easel_job_watch_finalize;
  object_class->get_property = easel_job_watch_get_property;
  object_class->set_property = easel_job_watch_set_property;

  properties[PROP_REMOTE_ID] =
    g_param_spec_string ("remote-id", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_JOB] =
    g_param_spec_boxed ("job", NULL, NULL, EASEL_TYPE_REMOTE_JOB,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_FINISHED] =
    g_param_spec_boolean ("finished", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_REQUEST_COUNT] =
    g_param_spec_uint ("request-count", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EaselJobWatch::updated:
   * @self: the watch
   * @job: the new snapshot
   */
  signals[UPDATED] =
    g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  EASEL_TYPE_REMOTE_JOB | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * EaselJobWatch::finished:
   * @self: the watch
   * @job: (nullable): the last snapshot
   * @error: (nullable): the error that ended watching
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  EASEL_TYPE_REMOTE_JOB | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
easel_job_watch_init (EaselJobWatch *self)
{
  self->cancellable = g_cancellable_new ();
}
