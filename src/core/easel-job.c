/* easel-job.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One job as the UI sees it: every field the job sidebar shows is a
 * property with change notification, so rows bind to it. Only the job queue
 * changes a job (the setters are for it and for loading from the store);
 * the store holds the truth across restarts. */

#include "config.h"

#include "easel-job.h"

#include <glib/gi18n.h>

struct _EaselJob
{
  GObject        parent_instance;

  gint64         id;
  char          *uuid;
  char          *provider;
  char          *account;
  EaselJobSpec  *spec;
  EaselJobState  state;
  int            progress;
  char          *remote_id;
  char          *remote_status;
  char          *error_code;
  char          *error_message;
  char          *remedy;
  char          *waiting_reason;
  char          *action;
  gint64         parent_id;
  guint          attempt;
  gint64         retry_of;
  guint          requests;
  gint64         created_at;
  gint64         started_at;
  gint64         finished_at;
  gint64         estimate;
  gint64         cost;
  GStrv          buttons;
  GStrv          outputs;
  gint64         template_id;
  int            template_version;
  JsonObject    *template_bindings;
};

G_DEFINE_FINAL_TYPE (EaselJob, easel_job, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (EaselJobState, easel_job_state,
  G_DEFINE_ENUM_VALUE (EASEL_JOB_QUEUED, "queued"),
  G_DEFINE_ENUM_VALUE (EASEL_JOB_SUBMITTING, "submitting"),
  G_DEFINE_ENUM_VALUE (EASEL_JOB_SUBMITTED, "submitted"),
  G_DEFINE_ENUM_VALUE (EASEL_JOB_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (EASEL_JOB_DOWNLOADING, "downloading"),
  G_DEFINE_ENUM_VALUE (EASEL_JOB_SUCCEEDED, "succeeded"),
  G_DEFINE_ENUM_VALUE (EASEL_JOB_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (EASEL_JOB_CANCELLED, "cancelled"),
  G_DEFINE_ENUM_VALUE (EASEL_JOB_NEEDS_ATTENTION, "needs-attention"))

enum {
  PROP_0,
  PROP_ID,
  PROP_UUID,
  PROP_PROVIDER,
  PROP_ACCOUNT,
  PROP_MODEL,
  PROP_PROMPT,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_REMOTE_ID,
  PROP_ERROR_MESSAGE,
  PROP_REMEDY,
  PROP_WAITING_REASON,
  PROP_REQUESTS,
  PROP_STARTED_AT,
  PROP_FINISHED_AT,
  PROP_COST,
  PROP_BUTTONS,
  PROP_OUTPUTS,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * easel_job_state_to_string:
 * @state: a state
 *
 * Returns: the state's stable name, as stored and as `--json` prints it
 */
const char *
easel_job_state_to_string (EaselJobState state)
{
  static GEnumClass *klass;
  GEnumValue *value;

  /* Kept for the life of the process: states are named all the time. */
  if (g_once_init_enter (&klass))
    g_once_init_leave (&klass, g_type_class_ref (EASEL_TYPE_JOB_STATE));

  value = g_enum_get_value (klass, state);
  return value ? value->value_nick : "unknown";
}

/**
 * easel_job_state_from_string:
 * @text: a state's name
 * @state: (out): the state
 *
 * Returns: whether @text names a state
 */
gboolean
easel_job_state_from_string (const char    *text,
                             EaselJobState *state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (EASEL_TYPE_JOB_STATE);
  GEnumValue *value;

  g_return_val_if_fail (state != NULL, FALSE);

  if (text == NULL || (value = g_enum_get_value_by_nick (klass, text)) == NULL)
    return FALSE;
  *state = value->value;
  return TRUE;
}

/**
 * easel_job_state_is_terminal:
 * @state: a state
 *
 * Returns: whether a job in @state will not change by itself any more
 */
gboolean
easel_job_state_is_terminal (EaselJobState state)
{
  return state == EASEL_JOB_SUCCEEDED || state == EASEL_JOB_FAILED ||
         state == EASEL_JOB_CANCELLED || state == EASEL_JOB_NEEDS_ATTENTION;
}

/**
 * easel_job_state_is_live_remote:
 * @state: a state
 *
 * Returns: whether a job in @state may exist at the provider and still run
 *   there, so that it must not be sent again
 */
gboolean
easel_job_state_is_live_remote (EaselJobState state)
{
  return state == EASEL_JOB_SUBMITTING || state == EASEL_JOB_SUBMITTED ||
         state == EASEL_JOB_RUNNING;
}

/**
 * easel_job_new:
 * @uuid: Easel's id of the job
 * @provider: the provider id
 * @account: the account name
 * @spec: what to run
 *
 * Returns: (transfer full): a queued job
 */
EaselJob *
easel_job_new (const char   *uuid,
               const char   *provider,
               const char   *account,
               EaselJobSpec *spec)
{
  EaselJob *self;

  g_return_val_if_fail (uuid != NULL, NULL);
  g_return_val_if_fail (provider != NULL, NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  self = g_object_new (EASEL_TYPE_JOB, NULL);
  self->uuid = g_strdup (uuid);
  self->provider = g_strdup (provider);
  self->account = g_strdup (account ? account : "");
  self->spec = easel_job_spec_ref (spec);
  self->created_at = g_get_real_time ();
  return self;
}

#define GETTER(type, name, fallback) \
  type \
  easel_job_get_##name (EaselJob *self) \
  { \
    g_return_val_if_fail (EASEL_IS_JOB (self), fallback); \
    return self->name; \
  }

/* Accessors of the job's fields; each returns the field as it is
 * (transfer none for pointers). */
GETTER (gint64, id, 0)
GETTER (const char *, uuid, NULL)
GETTER (const char *, provider, NULL)
GETTER (const char *, account, NULL)
GETTER (EaselJobSpec *, spec, NULL)
GETTER (EaselJobState, state, EASEL_JOB_QUEUED)
GETTER (int, progress, -1)
GETTER (const char *, remote_id, NULL)
GETTER (const char *, remote_status, NULL)
GETTER (const char *, error_code, NULL)
GETTER (const char *, error_message, NULL)
GETTER (const char *, remedy, NULL)
GETTER (const char *, waiting_reason, NULL)
GETTER (const char *, action, NULL)
GETTER (gint64, parent_id, 0)
GETTER (guint, attempt, 1)
GETTER (gint64, retry_of, 0)
GETTER (guint, requests, 0)
GETTER (gint64, created_at, 0)
GETTER (gint64, started_at, 0)
GETTER (gint64, finished_at, 0)
GETTER (gint64, estimate, 0)
GETTER (gint64, cost, -1)

#undef GETTER

/**
 * easel_job_get_model:
 * @self: a job
 *
 * Returns: the model
 */
const char *
easel_job_get_model (EaselJob *self)
{
  g_return_val_if_fail (EASEL_IS_JOB (self), NULL);

  return self->spec->model;
}

/**
 * easel_job_get_prompt:
 * @self: a job
 *
 * Returns: the prompt
 */
const char *
easel_job_get_prompt (EaselJob *self)
{
  g_return_val_if_fail (EASEL_IS_JOB (self), NULL);

  return self->spec->prompt;
}

/**
 * easel_job_get_buttons:
 * @self: a job
 *
 * Returns: (transfer none) (nullable): the actions the provider offers on
 *   the finished job (Midjourney buttons)
 */
const char * const *
easel_job_get_buttons (EaselJob *self)
{
  g_return_val_if_fail (EASEL_IS_JOB (self), NULL);

  return (const char * const *) self->buttons;
}

/**
 * easel_job_get_outputs:
 * @self: a job
 *
 * Returns: (transfer none) (nullable): absolute paths of the saved outputs
 */
const char * const *
easel_job_get_outputs (EaselJob *self)
{
  g_return_val_if_fail (EASEL_IS_JOB (self), NULL);

  return (const char * const *) self->outputs;
}

/**
 * easel_job_get_active:
 * @self: a job
 *
 * Returns: whether the job is not finished
 */
gboolean
easel_job_get_active (EaselJob *self)
{
  g_return_val_if_fail (EASEL_IS_JOB (self), FALSE);

  return !easel_job_state_is_terminal (self->state);
}

/**
 * easel_job_is_video:
 * @self: a job
 *
 * Returns: whether the job makes a video (Midjourney `--video`, or an
 *   animate button)
 */
gboolean
easel_job_is_video (EaselJob *self)
{
  JsonNode *video;

  g_return_val_if_fail (EASEL_IS_JOB (self), FALSE);

  if (self->action != NULL && g_str_has_prefix (self->action, "Animate"))
    return TRUE;
  video = json_object_get_member (self->spec->params, "video");
  return video != NULL && JSON_NODE_HOLDS_VALUE (video) &&
         json_node_get_value_type (video) == G_TYPE_BOOLEAN && json_node_get_boolean (video);
}

static void
notify (EaselJob *self,
        guint     prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/**
 * easel_job_set_id:
 * @self: a job
 * @id: its row id in the store
 */
void
easel_job_set_id (EaselJob *self,
                  gint64    id)
{
  g_return_if_fail (EASEL_IS_JOB (self));

  if (self->id != id)
    {
      self->id = id;
      notify (self, PROP_ID);
    }
}

/**
 * easel_job_set_state:
 * @self: a job
 * @state: the new state
 *
 * Also stamps when the job started running and when it finished.
 */
void
easel_job_set_state (EaselJob      *self,
                     EaselJobState  state)
{
  gboolean was_active;

  g_return_if_fail (EASEL_IS_JOB (self));

  if (self->state == state)
    return;

  was_active = !easel_job_state_is_terminal (self->state);
  self->state = state;

  if (state == EASEL_JOB_RUNNING && self->started_at == 0)
    {
      self->started_at = g_get_real_time ();
      notify (self, PROP_STARTED_AT);
    }
  if (easel_job_state_is_terminal (state) && self->finished_at == 0)
    {
      self->finished_at = g_get_real_time ();
      notify (self, PROP_FINISHED_AT);
    }
  if (!easel_job_state_is_terminal (state))
    {
      if (self->finished_at != 0)
        {
          self->finished_at = 0;
          notify (self, PROP_FINISHED_AT);
        }
    }
  if (state != EASEL_JOB_QUEUED && self->waiting_reason != NULL)
    {
      g_clear_pointer (&self->waiting_reason, g_free);
      notify (self, PROP_WAITING_REASON);
    }

  notify (self, PROP_STATE);
  if (was_active != !easel_job_state_is_terminal (state))
    notify (self, PROP_ACTIVE);
}

/**
 * easel_job_set_progress:
 * @self: a job
 * @progress: percent done, or -1 when unknown
 */
void
easel_job_set_progress (EaselJob *self,
                        int       progress)
{
  g_return_if_fail (EASEL_IS_JOB (self));

  progress = CLAMP (progress, -1, 100);
  if (self->progress != progress)
    {
      self->progress = progress;
      notify (self, PROP_PROGRESS);
    }
}

/**
 * easel_job_set_remote:
 * @self: a job
 * @remote_id: (nullable): the provider's id
 * @remote_status: (nullable): the provider's word for the state
 */
void
easel_job_set_remote (EaselJob   *self,
                      const char *remote_id,
                      const char *remote_status)
{
  g_return_if_fail (EASEL_IS_JOB (self));

  if (set_string (&self->remote_id, remote_id))
    notify (self, PROP_REMOTE_ID);
  set_string (&self->remote_status, remote_status);
}

/**
 * easel_job_set_error:
 * @self: a job
 * @code: (nullable): a stable error code (see easel_error_code_to_string())
 * @message: (nullable): what happened
 * @remedy: (nullable): what the user can do
 */
void
easel_job_set_error (EaselJob   *self,
                     const char *code,
                     const char *message,
                     const char *remedy)
{
  g_return_if_fail (EASEL_IS_JOB (self));

  set_string (&self->error_code, code);
  if (set_string (&self->error_message, message))
    notify (self, PROP_ERROR_MESSAGE);
  if (set_string (&self->remedy, remedy))
    notify (self, PROP_REMEDY);
}

/**
 * easel_job_set_waiting_reason:
 * @self: a job
 * @reason: (nullable): why a queued job is not sent yet
 */
void
easel_job_set_waiting_reason (EaselJob   *self,
                              const char *reason)
{
  g_return_if_fail (EASEL_IS_JOB (self));

  if (set_string (&self->waiting_reason, reason))
    notify (self, PROP_WAITING_REASON);
}

/**
 * easel_job_set_action:
 * @self: a job
 * @parent_id: the job whose result the action runs on
 * @action: (nullable): the action (a Midjourney button)
 */
void
easel_job_set_action (EaselJob   *self,
                      gint64      parent_id,
                      const char *action)
{
  g_return_if_fail (EASEL_IS_JOB (self));

  self->parent_id = parent_id;
  set_string (&self->action, action);
}

/**
 * easel_job_set_attempt:
 * @self: a job
 * @attempt: which attempt this is, from 1
 * @retry_of: the job this one retries, or 0
 */
void
easel_job_set_attempt (EaselJob *self,
                       guint     attempt,
                       gint64    retry_of)
{
  g_return_if_fail (EASEL_IS_JOB (self));

  self->attempt = MAX (attempt, 1);
  self->retry_of = retry_of;
}

/**
 * easel_job_add_requests:
 * @self: a job
 * @n: HTTP requests made for the job
 */
void
easel_job_add_requests (EaselJob *self,
                        guint     n)
{
  g_return_if_fail (EASEL_IS_JOB (self));

  if (n == 0)
    return;
  self->requests += n;
  notify (self, PROP_REQUESTS);
}

/**
 * easel_job_set_times:
 * @self: a job
 * @created_at: when it was queued (µs since the epoch)
 * @started_at: when it started running, or 0
 * @finished_at: when it finished, or 0
 */
void
easel_job_set_times (EaselJob *self,
                     gint64    created_at,
                     gint64    started_at,
                     gint64    finished_at)
{
  g_return_if_fail (EASEL_IS_JOB (self));

  self->created_at = created_at;
  self->started_at = started_at;
  self->finished_at = finished_at;
  notify (self, PROP_STARTED_AT);
  notify (self, PROP_FINISHED_AT);
}

/**
 * easel_job_set_estimate:
 * @self: a job
 * @micros: the estimated cost in USD micros
 */
void
easel_job_set_estimate (EaselJob *self,
                        gint64    micros)
{
  g_return_if_fail (EASEL_IS_JOB (self));

  self->estimate = micros;
}

/**
 * easel_job_set_cost:
 * @self: a job
 * @micros: the actual cost in USD micros, or -1 while unknown
 */
void
easel_job_set_cost (EaselJob *self,
                    gint64    micros)
{
  g_return_if_fail (EASEL_IS_JOB (self));

  if (self->cost != micros)
    {
      self->cost = micros;
      notify (self, PROP_COST);
    }
}

/**
 * easel_job_set_template:
 * @self: a job
 * @template_id: the template the job's prompt was expanded from, 0 for none
 * @version: the template's version
 * @bindings: (nullable): the value of each variable (name → text)
 *
 * Records where the job's prompt came from. Set before the job is queued,
 * or when it is loaded; it never changes afterwards.
 */
void
easel_job_set_template (EaselJob   *self,
                        gint64      template_id,
                        int         version,
                        JsonObject *bindings)
{
  g_return_if_fail (EASEL_IS_JOB (self));

  self->template_id = MAX (template_id, 0);
  self->template_version = template_id > 0 ? version : 0;
  g_clear_pointer (&self->template_bindings, json_object_unref);
  if (template_id > 0 && bindings != NULL)
    self->template_bindings = json_object_ref (bindings);
}

/**
 * easel_job_get_template_id:
 * @self: a job
 *
 * Returns: the id of the template the job was made from, 0 for none
 */
gint64
easel_job_get_template_id (EaselJob *self)
{
  g_return_val_if_fail (EASEL_IS_JOB (self), 0);

  return self->template_id;
}

/**
 * easel_job_get_template_version:
 * @self: a job
 *
 * Returns: the version of the template the job was made from, 0 for none
 */
int
easel_job_get_template_version (EaselJob *self)
{
  g_return_val_if_fail (EASEL_IS_JOB (self), 0);

  return self->template_version;
}

/**
 * easel_job_get_template_bindings:
 * @self: a job
 *
 * Returns: (transfer none) (nullable): the value each of the template's
 *   variables took for this job (name → text); do not change it
 */
JsonObject *
easel_job_get_template_bindings (EaselJob *self)
{
  g_return_val_if_fail (EASEL_IS_JOB (self), NULL);

  return self->template_bindings;
}

/**
 * easel_job_set_buttons:
 * @self: a job
 * @buttons: (nullable): the actions the provider offers
 */
void
easel_job_set_buttons (EaselJob           *self,
                       const char * const *buttons)
{
  g_return_if_fail (EASEL_IS_JOB (self));

  g_strfreev (self->buttons);
  self->buttons = g_strdupv ((char **) buttons);
  notify (self, PROP_BUTTONS);
}

/**
 * easel_job_set_outputs:
 * @self: a job
 * @paths: (nullable): absolute paths of the saved outputs
 */
void
easel_job_set_outputs (EaselJob           *self,
                       const char * const *paths)
{
  g_return_if_fail (EASEL_IS_JOB (self));

  g_strfreev (self->outputs);
  self->outputs = g_strdupv ((char **) paths);
  notify (self, PROP_OUTPUTS);
}

static void
easel_job_finalize (GObject *object)
{
  EaselJob *self = EASEL_JOB (object);

  g_free (self->uuid);
  g_free (self->provider);
  g_free (self->account);
  g_clear_pointer (&self->spec, easel_job_spec_unref);
  g_free (self->remote_id);
  g_free (self->remote_status);
  g_free (self->error_code);
  g_free (self->error_message);
  g_free (self->remedy);
  g_free (self->waiting_reason);
  g_free (self->action);
  g_strfreev (self->buttons);
  g_strfreev (self->outputs);
  g_clear_pointer (&self->template_bindings, json_object_unref);

  G_OBJECT_CLASS (easel_job_parent_class)->finalize (object);
}

static void
easel_job_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  EaselJob *self = EASEL_JOB (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_UUID: g_value_set_string (value, self->uuid); break;
    case PROP_PROVIDER: g_value_set_string (value, self->provider); break;
    case PROP_ACCOUNT: g_value_set_string (value, self->account); break;
    case PROP_MODEL: g_value_set_string (value, self->spec->model); break;
    case PROP_PROMPT: g_value_set_string (value, self->spec->prompt); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_PROGRESS: g_value_set_int (value, self->progress); break;
    case PROP_REMOTE_ID: g_value_set_string (value, self->remote_id); break;
    case PROP_ERROR_MESSAGE: g_value_set_string (value, self->error_message); break;
    case PROP_REMEDY: g_value_set_string (value, self->remedy); break;
    case PROP_WAITING_REASON: g_value_set_string (value, self->waiting_reason); break;
    case PROP_REQUESTS: g_value_set_uint (value, self->requests); break;
    case PROP_STARTED_AT: g_value_set_int64 (value, self->started_at); break;
    case PROP_FINISHED_AT: g_value_set_int64 (value, self->finished_at); break;
    case PROP_COST: g_value_set_int64 (value, self->cost); break;
    case PROP_BUTTONS: g_value_set_boxed (value, self->buttons); break;
    case PROP_OUTPUTS: g_value_set_boxed (value, self->outputs); break;
    case PROP_ACTIVE: g_value_set_boolean (value, !easel_job_state_is_terminal (self->state)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_job_class_init (EaselJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = easel_job_finalize;
  object_class->get_property = easel_job_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UUID] = g_param_spec_string ("uuid", NULL, NULL, NULL, flags);
  properties[PROP_PROVIDER] = g_param_spec_string ("provider", NULL, NULL, NULL, flags);
  properties[PROP_ACCOUNT] = g_param_spec_string ("account", NULL, NULL, NULL, flags);
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, NULL, flags);
  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, EASEL_TYPE_JOB_STATE,
                                              EASEL_JOB_QUEUED, flags);
  properties[PROP_PROGRESS] = g_param_spec_int ("progress", NULL, NULL, -1, 100, -1, flags);
  properties[PROP_REMOTE_ID] = g_param_spec_string ("remote-id", NULL, NULL, NULL, flags);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  properties[PROP_REMEDY] = g_param_spec_string ("remedy", NULL, NULL, NULL, flags);
  properties[PROP_WAITING_REASON] = g_param_spec_string ("waiting-reason", NULL, NULL, NULL, flags);
  properties[PROP_REQUESTS] = g_param_spec_uint ("requests", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_STARTED_AT] = g_param_spec_int64 ("started-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FINISHED_AT] = g_param_spec_int64 ("finished-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_COST] = g_param_spec_int64 ("cost", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_BUTTONS] = g_param_spec_boxed ("buttons", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_OUTPUTS] = g_param_spec_boxed ("outputs", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, TRUE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
easel_job_init (EaselJob *self)
{
  self->state = EASEL_JOB_QUEUED;
  self->progress = -1;
  self->attempt = 1;
  self->cost = -1;
}
