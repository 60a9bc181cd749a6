/* easel-useapi-provider.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Midjourney through UseAPI.net's v3 proxy (providers.md §1).
 *
 * Imagine jobs are submitted with stream:true: the reply is a server-sent
 * event stream, and the submit completes as soon as the stream names the
 * job (the `initialized` event, or the first job event). The stream is kept
 * open and handed to the watch, so progress arrives without polling. When
 * the stream drops early, or when a job is watched again after a restart,
 * the job is polled with GET jobs/{id} instead. Other jobs (buttons, blend,
 * describe, seed) use stream:false and polling.
 *
 * Every submit carries Easel's job id as replyRef, so a submit whose outcome
 * is unknown can be found again (GET jobs lists running jobs; each job
 * echoes its replyRef). UseAPI has no idempotency key: billable POSTs are
 * never repeated after an ambiguous failure.
 *
 * UseAPI drives the user's own Discord account; Midjourney's rules forbid
 * that, and UseAPI announced the end of its Midjourney service on 24 June
 * 2026. The provider says so (get_notice) and treats every undocumented
 * state as unknown rather than guessing. */

#include "config.h"

#include "easel-useapi-provider.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-error.h"

#define CLIENT(self) (easel_http_provider_get_client (EASEL_HTTP_PROVIDER (self)))
#include "easel-image-type.h"
#include "easel-job-poller.h"
#include "easel-json.h"
#include "easel-midjourney-params.h"
#include "easel-sse-parser.h"

#define DEFAULT_FIRST_POLL_MS 2000
#define DEFAULT_MAX_POLL_MS 5000
#define MAX_SSE_EVENT (1024 * 1024)
#define MAX_JSON_REPLY (4 * 1024 * 1024)
#define MAX_IMAGE_SIZE (10 * 1024 * 1024)
#define READ_CHUNK 8192

/* One fast GPU minute of a Standard plan ($30 for 15 h), the usual cost
 * of an image grid; an estimate, since Midjourney bills plan time. */
#define GRID_MICROS 33333

typedef struct _Stream Stream;

struct _EaselUseapiProvider
{
  EaselHttpProvider  parent_instance;

  char            *channel;
  GHashTable      *streams;         /* job id → Stream, while open or unclaimed */
  guint            first_poll_ms;
  guint            max_poll_ms;
  gboolean         streaming;
};

static void provider_iface_init (EaselProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EaselUseapiProvider, easel_useapi_provider, EASEL_TYPE_HTTP_PROVIDER,
                               G_IMPLEMENT_INTERFACE (EASEL_TYPE_PROVIDER, provider_iface_init))

static void start_polling (EaselUseapiProvider *self,
                           EaselJobWatch       *watch,
                           EaselRemoteJob      *initial);

/**
 * easel_useapi_provider_set_streaming:
 * @self: the provider
 * @streaming: whether imagine jobs stream their progress (the default) or
 *   are polled
 */
void
easel_useapi_provider_set_streaming (EaselUseapiProvider *self,
                                     gboolean             streaming)
{
  g_return_if_fail (EASEL_IS_USEAPI_PROVIDER (self));

  self->streaming = !!streaming;
}

/**
 * easel_useapi_provider_set_poll_delays:
 * @self: the provider
 * @first_ms: the delay before the first poll
 * @max_ms: the longest delay between polls
 */
void
easel_useapi_provider_set_poll_delays (EaselUseapiProvider *self,
                                       guint                first_ms,
                                       guint                max_ms)
{
  g_return_if_fail (EASEL_IS_USEAPI_PROVIDER (self));

  self->first_poll_ms = first_ms;
  self->max_poll_ms = MAX (max_ms, first_ms);
}

/**
 * easel_useapi_provider_set_channel:
 * @self: the provider
 * @channel: (nullable): the channel to pin jobs to, or %NULL to let UseAPI
 *   pick one with capacity
 */
void
easel_useapi_provider_set_channel (EaselUseapiProvider *self,
                                   const char          *channel)
{
  g_return_if_fail (EASEL_IS_USEAPI_PROVIDER (self));

  g_free (self->channel);
  self->channel = g_strdup (channel);
}

static const char *
useapi_get_id (EaselProvider *provider)
{
  return "midjourney";
}

static const char *
useapi_get_display_name (EaselProvider *provider)
{
  return _("Midjourney (UseAPI.net)");
}

static EaselProviderCapabilities
useapi_get_capabilities (EaselProvider *provider)
{
  return EASEL_PROVIDER_CAN_CANCEL | EASEL_PROVIDER_CAN_STREAM | EASEL_PROVIDER_HAS_ACTIONS |
         EASEL_PROVIDER_THIRD_PARTY;
}

static const char *
useapi_get_notice (EaselProvider *provider)
{
  return _("UseAPI.net is an unofficial service that drives your own Midjourney account through "
           "Discord; its availability is not guaranteed. Midjourney’s rules forbid automation, "
           "and your Midjourney or Discord account can be banned for it. UseAPI.net announced "
           "the end of its Midjourney service on 24 June 2026.");
}

/* describe_params: the documented parameter table as editor rows */

static EaselParam *
param_from_midjourney (const EaselMidjourneyParam *mj)
{
  EaselParam *param;

  switch (mj->kind)
    {
    case EASEL_MIDJOURNEY_PARAM_FLAG:
      param = easel_param_new (mj->name, EASEL_PARAM_BOOLEAN);
      break;
    case EASEL_MIDJOURNEY_PARAM_INTEGER:
      param = easel_param_new (mj->name, EASEL_PARAM_INTEGER);
      break;
    case EASEL_MIDJOURNEY_PARAM_NUMBER:
      param = easel_param_new (mj->name, EASEL_PARAM_NUMBER);
      break;
    case EASEL_MIDJOURNEY_PARAM_RATIO:
      param = easel_param_new (mj->name, EASEL_PARAM_ASPECT_RATIO);
      break;
    case EASEL_MIDJOURNEY_PARAM_CHOICE:
    case EASEL_MIDJOURNEY_PARAM_ENUM:
      param = easel_param_new (mj->name, EASEL_PARAM_ENUM);
      break;
    case EASEL_MIDJOURNEY_PARAM_URLS:
    case EASEL_MIDJOURNEY_PARAM_REFERENCES:
      param = easel_param_new (mj->name, EASEL_PARAM_IMAGE);
      break;
    case EASEL_MIDJOURNEY_PARAM_WORD:
    case EASEL_MIDJOURNEY_PARAM_TEXT:
    case EASEL_MIDJOURNEY_PARAM_CODES:
    default:
      param = easel_param_new (mj->name, EASEL_PARAM_STRING);
      break;
    }

  g_free (param->title);
  param->title = g_strconcat ("--", mj->name, NULL);
  param->help = g_strdup (g_dgettext (GETTEXT_PACKAGE, mj->help));

  if (mj->kind == EASEL_MIDJOURNEY_PARAM_INTEGER || mj->kind == EASEL_MIDJOURNEY_PARAM_NUMBER)
    {
      param->has_minimum = param->has_maximum = TRUE;
      param->minimum = mj->minimum;
      param->maximum = mj->maximum;
    }

  if (mj->kind == EASEL_MIDJOURNEY_PARAM_CHOICE && mj->choices != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; i < mj->n_choices; i++)
        {
          g_autofree char *text = easel_json_format_number (mj->choices[i]);

          g_strv_builder_add (builder, text);
        }
      param->choices = g_strv_builder_end (builder);
    }
  else if (mj->kind == EASEL_MIDJOURNEY_PARAM_ENUM && mj->words != NULL)
    param->choices = g_strdupv ((char **) mj->words);

  if (mj->default_value != NULL)
    {
      double number;
      char *end = NULL;

      /* The table writes defaults as in a prompt: numbers become numbers. */
      param->default_value = json_node_new (JSON_NODE_VALUE);
      number = g_ascii_strtod (mj->default_value, &end);
      if (mj->kind == EASEL_MIDJOURNEY_PARAM_INTEGER && end != NULL && *end == '\0')
        json_node_set_int (param->default_value, (gint64) number);
      else if (mj->kind == EASEL_MIDJOURNEY_PARAM_NUMBER && end != NULL && *end == '\0')
        json_node_set_double (param->default_value, number);
      else
        json_node_set_string (param->default_value, mj->default_value);
      if (!easel_param_check (param, param->default_value, NULL))
        g_clear_pointer (&param->default_value, json_node_unref);
    }

  return param;
}

static void
useapi_describe_params_async (EaselProvider       *provider,
                              const char          *model,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  GPtrArray *params = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_param_free);
  const EaselMidjourneyParam *all;
  guint n;

  g_task_set_source_tag (task, useapi_describe_params_async);

  all = easel_midjourney_params_get_all (&n);
  for (guint i = 0; i < n; i++)
    {
      EaselParam *param = param_from_midjourney (&all[i]);

      param->order = (int) i;
      g_ptr_array_add (params, param);
    }

  g_task_return_pointer (task, params, (GDestroyNotify) g_ptr_array_unref);
}

static GPtrArray *
useapi_describe_params_finish (EaselProvider  *provider,
                               GAsyncResult   *result,
                               GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* cost */

static double
param_number (JsonObject *params,
              const char *name,
              double      fallback)
{
  double value = fallback;

  if (!easel_json_get_number (params, name, &value, NULL))
    return fallback;
  return value;
}

static gboolean
param_set (JsonObject *params,
           const char *name)
{
  gboolean value = FALSE;
  JsonNode *node = json_object_get_member (params, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (easel_json_get_bool (params, name, &value, NULL) && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return value;
  return TRUE;
}

static gboolean
useapi_estimate_cost (EaselProvider      *provider,
                      EaselJobSpec       *spec,
                      EaselCostEstimate  *estimate,
                      GError            **error)
{
  double factor = 1.0;

  if (!easel_midjourney_params_validate (spec->params, error))
    return FALSE;

  /* Relax mode does not use metered fast time. */
  if (param_set (spec->params, "relax"))
    {
      estimate->micros = 0;
      estimate->exact = FALSE;
      estimate->basis = g_strdup (_("Relax mode: no fast GPU time"));
      return TRUE;
    }

  if (param_set (spec->params, "video"))
    factor *= 8 * MAX (param_number (spec->params, "bs", 1), 1);
  factor *= MAX (param_number (spec->params, "quality", 1), 0.25);
  if (param_set (spec->params, "draft"))
    factor /= 2;
  if (param_set (spec->params, "oref"))
    factor *= 2;
  if (param_set (spec->params, "turbo"))
    factor *= 2;

  estimate->micros = (gint64) (GRID_MICROS * factor + 0.5);
  estimate->exact = FALSE;
  estimate->basis = g_strdup (_("Fast GPU time of your Midjourney plan, estimated"));
  return TRUE;
}

static gboolean
useapi_actual_cost (EaselProvider     *provider,
                    EaselRemoteJob    *job,
                    EaselCostEstimate *cost)
{
  /* Midjourney does not charge fast time for moderated or failed jobs that
   * produced nothing; a finished job costs what was estimated, since the
   * plan's GPU time is not reported per job. */
  cost->exact = FALSE;
  if (job->state != EASEL_REMOTE_STATE_SUCCEEDED)
    {
      cost->micros = 0;
      return TRUE;
    }
  cost->micros = g_strcmp0 (job->job_type, "video") == 0 ? GRID_MICROS * 8 : GRID_MICROS;
  cost->basis = g_strdup (_("Fast GPU time of your Midjourney plan, estimated"));
  return TRUE;
}

/* Streams */

struct _Stream
{
  EaselUseapiProvider *self;          /* strong */
  GTask               *submit;        /* pending submit, or NULL */
  EaselJobWatch       *watch;         /* weak */
  GInputStream        *input;
  GCancellable        *cancellable;
  EaselSseParser      *parser;
  GByteArray          *json_body;     /* when the server answered plain JSON */
  EaselRemoteJob      *latest;
  char                *job_id;
  char                *local_id;
  guint                requests;
  gboolean             closed;
  gboolean             attached;   /* a watch took the stream over */
};

static void
stream_free (Stream *stream)
{
  g_clear_object (&stream->self);
  g_clear_object (&stream->submit);
  g_clear_weak_pointer (&stream->watch);
  g_clear_object (&stream->input);
  g_clear_object (&stream->cancellable);
  g_clear_pointer (&stream->parser, easel_sse_parser_free);
  g_clear_pointer (&stream->json_body, g_byte_array_unref);
  g_clear_pointer (&stream->latest, easel_remote_job_unref);
  g_free (stream->job_id);
  g_free (stream->local_id);
  g_free (stream);
}

/* Removing a stream can drop the last reference on the provider (the
 * stream holds one) while the table is in use: keep it alive until done. */
static void
streams_remove (EaselUseapiProvider *self,
                const char          *job_id)
{
  g_autofree char *key = g_strdup (job_id);

  g_object_ref (self);
  g_hash_table_remove (self->streams, key);
  g_object_unref (self);
}

static void
stream_complete_submit (Stream *stream)
{
  g_autoptr(GTask) task = g_steal_pointer (&stream->submit);
  EaselRemoteJob *job;

  if (task == NULL)
    return;

  if (stream->latest != NULL)
    job = easel_remote_job_ref (stream->latest);
  else
    {
      job = easel_remote_job_new (stream->job_id);
      job->state = EASEL_REMOTE_STATE_QUEUED;
      job->model = g_strdup ("midjourney");
    }
  if (job->local_id == NULL)
    job->local_id = g_strdup (stream->local_id);

  /* From now on the stream belongs to whoever watches the job. */
  g_hash_table_replace (stream->self->streams, g_strdup (stream->job_id), stream);
  g_task_return_pointer (task, job, (GDestroyNotify) easel_remote_job_unref);
}

/* Ends the stream. A pending submit fails (ambiguously: the server took
 * the request); a watch falls back to polling. */
static void
stream_close (Stream       *stream,
              const GError *error)
{
  EaselUseapiProvider *self = stream->self;
  gboolean owned_by_table;

  if (stream->closed)
    return;
  stream->closed = TRUE;
  g_cancellable_cancel (stream->cancellable);

  if (stream->submit != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&stream->submit);

      if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_AMBIGUOUS,
                                 _("The Midjourney job stream ended before it named the job (%s); "
                                   "the job may have been created"),
                                 error ? error->message : _("no more data"));
      stream_free (stream);
      return;
    }

  owned_by_table = stream->job_id != NULL &&
                   g_hash_table_lookup (self->streams, stream->job_id) == stream;

  /* Cancelled: the watch was stopped or the provider is going away. */
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (owned_by_table)
        streams_remove (self, stream->job_id);
      else
        stream_free (stream);
      return;
    }

  if (stream->watch != NULL && !easel_job_watch_get_finished (stream->watch))
    {
      g_debug ("Midjourney stream ended early (%s); polling instead",
               error ? error->message : "end of stream");
      start_polling (self, stream->watch, NULL);
      if (owned_by_table)
        streams_remove (self, stream->job_id);
      else
        stream_free (stream);
      return;
    }

  /* Nobody watches yet: keep the last snapshot in the table for them, but
   * not the connection. */
  g_clear_object (&stream->input);
  if (!owned_by_table)
    stream_free (stream);
  else if (stream->attached)
    streams_remove (self, stream->job_id);
}

static void
stream_publish (Stream         *stream,
                EaselRemoteJob *job)
{
  g_clear_pointer (&stream->latest, easel_remote_job_unref);
  stream->latest = easel_remote_job_ref (job);
  if (stream->job_id == NULL)
    stream->job_id = g_strdup (job->remote_id);

  if (stream->submit != NULL)
    stream_complete_submit (stream);
  if (stream->watch != NULL)
    easel_job_watch_update (stream->watch, job);
}

typedef enum
{
  EVENT_CONTINUE,   /* read on */
  EVENT_TERMINAL,   /* the job is over: stop reading */
  EVENT_CLOSED,     /* the stream was closed, and may be freed */
} EventOutcome;

static EventOutcome
stream_handle_event (Stream        *stream,
                     EaselSseEvent *event)
{
  g_autoptr(EaselUseapiStreamEvent) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselRemoteJob) job = NULL;

  parsed = easel_useapi_stream_event_parse (event->data, -1, &error);
  if (parsed == NULL)
    {
      /* One unreadable event is skipped; the next ones or polling tell. */
      g_debug ("Skipping a Midjourney stream event: %s", error->message);
      return EVENT_CONTINUE;
    }

  switch (parsed->kind)
    {
    case EASEL_USEAPI_EVENT_INITIALIZED:
      if (parsed->job_id != NULL && stream->job_id == NULL)
        {
          stream->job_id = g_strdup (parsed->job_id);
          stream_complete_submit (stream);
        }
      return EVENT_CONTINUE;

    case EASEL_USEAPI_EVENT_CREATED:
    case EASEL_USEAPI_EVENT_STARTED:
    case EASEL_USEAPI_EVENT_PROGRESS:
    case EASEL_USEAPI_EVENT_COMPLETED:
    case EASEL_USEAPI_EVENT_FAILED:
    case EASEL_USEAPI_EVENT_MODERATED:
      if (parsed->job != NULL)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), parsed->job);

          job = easel_useapi_parse_job (node, &error);
        }
      if (job == NULL)
        {
          g_debug ("Skipping a Midjourney job event: %s", error ? error->message : "no job");
          return EVENT_CONTINUE;
        }
      if (job->local_id == NULL)
        job->local_id = g_strdup (stream->local_id);
      stream_publish (stream, job);
      return easel_remote_job_is_terminal (job) ? EVENT_TERMINAL : EVENT_CONTINUE;

    case EASEL_USEAPI_EVENT_ERROR:
      {
        g_autoptr(GError) stream_error = g_error_new (EASEL_ERROR, EASEL_ERROR_FAILED, "%s",
                                                      parsed->message ? parsed->message : "error event");

        /* The job's real state is found by polling. */
        stream_close (stream, stream_error);
        return EVENT_CLOSED;
      }

    case EASEL_USEAPI_EVENT_UNKNOWN:
    default:
      g_debug ("Ignoring the unknown Midjourney stream event “%s”", parsed->name);
      return EVENT_CONTINUE;
    }
}

static void stream_read_more (Stream *stream);

static void
stream_finish_json (Stream *stream)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(GError) error = NULL;

  if (json_parser_load_from_data (parser, (const char *) stream->json_body->data,
                                  stream->json_body->len, &error))
    job = easel_useapi_parse_job (json_parser_get_root (parser), &error);

  if (job == NULL)
    {
      stream_close (stream, error);
      return;
    }

  if (job->local_id == NULL)
    job->local_id = g_strdup (stream->local_id);
  stream_publish (stream, job);
  /* Not a stream after all: the watch polls. */
  stream_close (stream, NULL);
}

static void
stream_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Stream *stream = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  EaselSseEvent *event = NULL;
  gsize size;
  const char *data;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (stream->closed)
    {
      /* Closed while a read was pending: the owner already let go. */
      if (stream->job_id == NULL || g_hash_table_lookup (stream->self->streams, stream->job_id) != stream)
        stream_free (stream);
      return;
    }

  if (bytes == NULL)
    {
      stream_close (stream, error);
      return;
    }

  data = g_bytes_get_data (bytes, &size);
  if (size == 0)
    {
      if (stream->json_body != NULL)
        stream_finish_json (stream);
      else if (!easel_sse_parser_finish (stream->parser, &error))
        stream_close (stream, error);
      else
        stream_close (stream, NULL);
      return;
    }

  if (stream->json_body != NULL)
    {
      if (stream->json_body->len + size > MAX_JSON_REPLY)
        {
          g_set_error_literal (&error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE, "the reply is too large");
          stream_close (stream, error);
          return;
        }
      g_byte_array_append (stream->json_body, (const guint8 *) data, size);
      stream_read_more (stream);
      return;
    }

  if (!easel_sse_parser_feed (stream->parser, data, size, &error))
    {
      stream_close (stream, error);
      return;
    }

  while (easel_sse_parser_next (stream->parser, &event))
    {
      g_autoptr(EaselSseEvent) owned = event;
      EventOutcome outcome = stream_handle_event (stream, owned);

      if (outcome == EVENT_CLOSED)
        return;
      if (outcome == EVENT_TERMINAL)
        {
          /* A terminal event: nothing more to read. Without a watch yet,
           * the stream stays in the table (closed) so the watch that comes
           * gets the result without a request. */
          if (!stream->closed)
            {
              stream->closed = TRUE;
              g_cancellable_cancel (stream->cancellable);
              /* Let the connection go now; only the snapshot is kept. */
              g_clear_object (&stream->input);
              if (stream->job_id == NULL)
                stream_free (stream);
              else if (stream->attached)
                streams_remove (stream->self, stream->job_id);
            }
          return;
        }
    }

  stream_read_more (stream);
}

static void
stream_read_more (Stream *stream)
{
  g_input_stream_read_bytes_async (stream->input, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   stream->cancellable, stream_read_cb, stream);
}

static void
stream_opened_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Stream *stream = user_data;
  g_autoptr(EaselHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  const char *content_type;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&stream->submit);

      g_task_return_error (task, g_steal_pointer (&error));
      stream_free (stream);
      return;
    }

  stream->requests = response->attempts;
  stream->input = g_steal_pointer (&response->stream);
  content_type = soup_message_headers_get_content_type (response->headers, NULL);
  if (g_strcmp0 (content_type, "text/event-stream") == 0)
    stream->parser = easel_sse_parser_new (MAX_SSE_EVENT);
  else
    stream->json_body = g_byte_array_new ();

  stream_read_more (stream);
}

/* Submitting */

static void
job_reply_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(EaselHttpResponse) response = NULL;
  EaselRemoteJob *job;
  GError *error = NULL;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  job = easel_useapi_parse_job (response->json, &error);
  if (job == NULL)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_AMBIGUOUS,
                               _("UseAPI.net accepted the job but its reply cannot be read: %s"),
                               error->message);
      g_error_free (error);
      return;
    }

  if (job->local_id == NULL)
    job->local_id = g_strdup (g_task_get_task_data (task));
  g_task_return_pointer (task, job, (GDestroyNotify) easel_remote_job_unref);
}

/* Posts a job-creating request. With @stream the reply is read as events. */
static void
post_job (EaselUseapiProvider *self,
          GTask               *task,
          const char          *path,
          JsonBuilder         *builder,
          SoupMultipart       *multipart,
          const char          *local_id,
          gboolean             stream_reply)
{
  EaselHttpRequest *request = easel_http_request_new ("POST", path);
  g_autoptr(JsonNode) body = NULL;

  g_task_set_task_data (task, g_strdup (local_id), g_free);

  if (multipart != NULL)
    {
      soup_multipart_append_form_string (multipart, "stream", stream_reply ? "true" : "false");
      if (local_id != NULL)
        soup_multipart_append_form_string (multipart, "replyRef", local_id);
      if (self->channel != NULL)
        soup_multipart_append_form_string (multipart, "channel", self->channel);
      easel_http_request_set_multipart (request, multipart);
    }
  else
    {
      json_builder_set_member_name (builder, "stream");
      json_builder_add_boolean_value (builder, stream_reply);
      if (local_id != NULL)
        {
          json_builder_set_member_name (builder, "replyRef");
          json_builder_add_string_value (builder, local_id);
        }
      if (self->channel != NULL)
        {
          json_builder_set_member_name (builder, "channel");
          json_builder_add_string_value (builder, self->channel);
        }
      json_builder_end_object (builder);
      body = json_builder_get_root (builder);
      easel_http_request_set_json (request, body);
    }

  if (stream_reply)
    {
      Stream *stream = g_new0 (Stream, 1);

      easel_http_request_set_flags (request, EASEL_HTTP_BILLABLE | EASEL_HTTP_STREAM);
      stream->self = g_object_ref (self);
      stream->submit = g_object_ref (task);
      stream->local_id = g_strdup (local_id);
      stream->cancellable = g_cancellable_new ();
      /* The stream outlives the submit: cancelling the submit only cancels
       * the opening request. */
      easel_http_client_send_async (CLIENT (self), request, g_task_get_cancellable (task),
                                    stream_opened_cb, stream);
      return;
    }

  easel_http_request_set_flags (request, EASEL_HTTP_BILLABLE);
  easel_http_request_set_max_size (request, MAX_JSON_REPLY);
  easel_http_client_send_async (CLIENT (self), request, g_task_get_cancellable (task),
                                job_reply_cb, g_object_ref (task));
}

/* The one place the imagine prompt is written, for submit and for
 * describe_request. Ranges are checked here, before anything is sent. */
static char *
imagine_prompt (EaselJobSpec  *spec,
                GError       **error)
{
  if (!easel_midjourney_params_validate (spec->params, error))
    return NULL;
  return easel_midjourney_build_prompt ((const char * const *) spec->image_urls,
                                        spec->prompt, spec->params, error);
}

static char *
useapi_describe_request (EaselProvider  *provider,
                         EaselJobSpec   *spec,
                         GError        **error)
{
  return imagine_prompt (spec, error);
}

static void
useapi_submit_async (EaselProvider       *provider,
                     EaselJobSpec        *spec,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  EaselUseapiProvider *self = EASEL_USEAPI_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *prompt = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, useapi_submit_async);

  prompt = imagine_prompt (spec, &error);
  if (prompt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, prompt);
  post_job (self, task, "jobs/imagine", builder, NULL, spec->local_id, self->streaming);
}

static EaselRemoteJob *
useapi_submit_finish (EaselProvider  *provider,
                      GAsyncResult   *result,
                      GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Watching */

static void
start_polling (EaselUseapiProvider *self,
               EaselJobWatch       *watch,
               EaselRemoteJob      *initial)
{
  g_autofree char *escaped = easel_http_escape_segment (easel_job_watch_get_remote_id (watch));
  g_autofree char *path = g_strdup_printf ("jobs/%s", escaped);

  easel_job_poller_start (watch, CLIENT (self), path, easel_useapi_parse_job,
                          self->first_poll_ms, self->max_poll_ms, initial);
}

typedef struct
{
  EaselJobWatch  *watch;   /* weak */
  EaselRemoteJob *job;
} Replay;

static gboolean
replay_cb (gpointer user_data)
{
  Replay *replay = user_data;

  if (replay->watch != NULL)
    easel_job_watch_update (replay->watch, replay->job);
  g_clear_weak_pointer (&replay->watch);
  easel_remote_job_unref (replay->job);
  g_free (replay);
  return G_SOURCE_REMOVE;
}

static EaselJobWatch *
useapi_watch (EaselProvider  *provider,
              EaselRemoteJob *job)
{
  EaselUseapiProvider *self = EASEL_USEAPI_PROVIDER (provider);
  EaselJobWatch *watch = easel_job_watch_new (job->remote_id);
  Stream *stream = g_hash_table_lookup (self->streams, job->remote_id);

  if (stream == NULL)
    {
      start_polling (self, watch, job->status != NULL ? job : NULL);
      return watch;
    }

  for (guint i = 0; i < stream->requests; i++)
    easel_job_watch_count_request (watch);

  if (stream->latest != NULL)
    {
      Replay *replay = g_new0 (Replay, 1);

      g_set_weak_pointer (&replay->watch, watch);
      replay->job = easel_remote_job_ref (stream->latest);
      g_idle_add_full (G_PRIORITY_DEFAULT, replay_cb, replay, NULL);
    }

  if (stream->closed)
    {
      /* The stream is over: its last snapshot is replayed above; poll if
       * it was not terminal. */
      gboolean terminal = stream->latest != NULL && easel_remote_job_is_terminal (stream->latest);

      streams_remove (self, job->remote_id);
      if (!terminal)
        start_polling (self, watch, NULL);
      return watch;
    }

  g_set_weak_pointer (&stream->watch, watch);
  stream->attached = TRUE;
  /* Stopping the watch abandons the stream. */
  g_signal_connect_object (easel_job_watch_get_cancellable (watch), "cancelled",
                           G_CALLBACK (g_cancellable_cancel), stream->cancellable,
                           G_CONNECT_SWAPPED);
  return watch;
}

/* cancel */

static void
boolean_reply_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(EaselHttpResponse) response = NULL;
  GError *error = NULL;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
useapi_cancel_async (EaselProvider       *provider,
                     const char          *remote_id,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  EaselUseapiProvider *self = EASEL_USEAPI_PROVIDER (provider);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *escaped = easel_http_escape_segment (remote_id);
  g_autofree char *path = g_strdup_printf ("jobs/%s", escaped);

  g_task_set_source_tag (task, useapi_cancel_async);
  /* DELETE frees the slot at once; the Discord message stays. */
  easel_http_client_send_async (CLIENT (self), easel_http_request_new ("DELETE", path),
                                cancellable, boolean_reply_cb, task);
}

static gboolean
useapi_cancel_finish (EaselProvider  *provider,
                      GAsyncResult   *result,
                      GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* run_action */

static void
useapi_run_action_async (EaselProvider       *provider,
                         EaselRemoteJob      *parent,
                         const char          *action,
                         EaselJobSpec        *spec,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  EaselUseapiProvider *self = EASEL_USEAPI_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_task_set_source_tag (task, useapi_run_action_async);

  /* Buttons come from the job itself, never from a list of our own. */
  if (parent->state != EASEL_REMOTE_STATE_SUCCEEDED || !easel_remote_job_has_button (parent, action))
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                               _("“%s” is not available on this job"), action);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jobId");
  json_builder_add_string_value (builder, parent->remote_id);
  json_builder_set_member_name (builder, "button");
  json_builder_add_string_value (builder, action);
  if (spec != NULL && spec->prompt != NULL && spec->prompt[0] != '\0')
    {
      json_builder_set_member_name (builder, "prompt");
      json_builder_add_string_value (builder, spec->prompt);
    }
  post_job (self, task, "jobs/button", builder, NULL, spec ? spec->local_id : NULL, FALSE);
}

static EaselRemoteJob *
useapi_run_action_finish (EaselProvider  *provider,
                          GAsyncResult   *result,
                          GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* upload_reference: not possible */

static void
useapi_upload_reference_async (EaselProvider       *provider,
                               GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_task_report_new_error (provider, callback, user_data, useapi_upload_reference_async,
                           EASEL_ERROR, EASEL_ERROR_UNSUPPORTED,
                           _("Midjourney only takes image prompts as addresses that anyone can "
                             "open; Easel does not publish your files. Use the address of an "
                             "image on the web instead."));
}

static char *
useapi_upload_reference_finish (EaselProvider  *provider,
                                GAsyncResult   *result,
                                GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* list_remote_jobs: running jobs only (UseAPI has no history) */

static void
running_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(EaselHttpResponse) response = NULL;
  EaselRemotePage *page;
  GError *error = NULL;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL || (page = easel_useapi_parse_running (response->json, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, page, (GDestroyNotify) easel_remote_page_free);
}

static void
useapi_list_remote_jobs_async (EaselProvider       *provider,
                               const char          *cursor,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  EaselUseapiProvider *self = EASEL_USEAPI_PROVIDER (provider);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, useapi_list_remote_jobs_async);
  if (cursor != NULL)
    {
      /* There is only one page. */
      g_task_return_pointer (task, easel_remote_page_new (), (GDestroyNotify) easel_remote_page_free);
      g_object_unref (task);
      return;
    }
  easel_http_client_send_async (CLIENT (self), easel_http_request_new ("GET", "jobs"),
                                cancellable, running_cb, task);
}

static EaselRemotePage *
useapi_list_remote_jobs_finish (EaselProvider  *provider,
                                GAsyncResult   *result,
                                GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* find_submitted: running jobs whose replyRef is ours */

typedef struct
{
  EaselJobSpec *spec;
  GPtrArray    *pending;   /* running job ids still to look at */
  GPtrArray    *found;
} Find;

static void
find_free (Find *find)
{
  easel_job_spec_unref (find->spec);
  g_clear_pointer (&find->pending, g_ptr_array_unref);
  g_clear_pointer (&find->found, g_ptr_array_unref);
  g_free (find);
}

static void find_next (GTask *task);

static void
find_job_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Find *find = g_task_get_task_data (task);
  g_autoptr(EaselHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  EaselRemoteJob *job;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      /* A job that finished or vanished meanwhile is simply not ours. */
      if (!g_error_matches (error, EASEL_ERROR, EASEL_ERROR_NOT_FOUND) &&
          !g_error_matches (error, EASEL_ERROR, EASEL_ERROR_GONE))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  else if ((job = easel_useapi_parse_job (response->json, NULL)) != NULL)
    {
      if (g_strcmp0 (job->local_id, find->spec->local_id) == 0)
        g_ptr_array_add (find->found, job);
      else
        easel_remote_job_unref (job);
    }

  find_next (g_steal_pointer (&task));
}

static void
find_next (GTask *task)
{
  Find *find = g_task_get_task_data (task);
  g_autofree char *escaped = NULL, *path = NULL;
  EaselRemoteJob *next;

  if (find->pending->len == 0 || find->found->len > 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&find->found), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }

  next = g_ptr_array_steal_index (find->pending, 0);
  escaped = easel_http_escape_segment (next->remote_id);
  easel_remote_job_unref (next);
  path = g_strdup_printf ("jobs/%s", escaped);
  easel_http_client_send_async (CLIENT (g_task_get_source_object (task)),
                                easel_http_request_new ("GET", path),
                                g_task_get_cancellable (task), find_job_cb, task);
}

static void
find_running_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Find *find = g_task_get_task_data (task);
  g_autoptr(EaselHttpResponse) response = NULL;
  g_autoptr(EaselRemotePage) page = NULL;
  GError *error = NULL;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL || (page = easel_useapi_parse_running (response->json, &error)) == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  find->pending = g_steal_pointer (&page->jobs);
  page->jobs = g_ptr_array_new ();
  find_next (task);
}

static void
useapi_find_submitted_async (EaselProvider       *provider,
                             EaselJobSpec        *spec,
                             gint64               sent_after,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (provider, cancellable, callback, user_data);
  Find *find = g_new0 (Find, 1);

  g_task_set_source_tag (task, useapi_find_submitted_async);
  find->spec = easel_job_spec_ref (spec);
  find->found = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_remote_job_unref);
  g_task_set_task_data (task, find, (GDestroyNotify) find_free);

  easel_http_client_send_async (CLIENT (provider), easel_http_request_new ("GET", "jobs"),
                                cancellable, find_running_cb, task);
}

static GPtrArray *
useapi_find_submitted_finish (EaselProvider  *provider,
                              GAsyncResult   *result,
                              GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Channels */

static void
channels_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(EaselHttpResponse) response = NULL;
  GPtrArray *channels;
  GError *error = NULL;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL || (channels = easel_useapi_parse_accounts (response->json, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, channels, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * easel_useapi_provider_list_channels_async:
 * @self: the provider
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Lists the Midjourney channels configured at UseAPI.net.
 */
void
easel_useapi_provider_list_channels_async (EaselUseapiProvider *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (EASEL_IS_USEAPI_PROVIDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_useapi_provider_list_channels_async);
  easel_http_client_send_async (CLIENT (self), easel_http_request_new ("GET", "accounts"),
                                cancellable, channels_cb, task);
}

/**
 * easel_useapi_provider_list_channels_finish:
 * @self: the provider
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type EaselUseapiChannel): the channels
 */
GPtrArray *
easel_useapi_provider_list_channels_finish (EaselUseapiProvider  *self,
                                            GAsyncResult         *result,
                                            GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * easel_useapi_provider_reset_channel_async:
 * @self: the provider
 * @channel: a channel in the 596 state
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Puts a channel back into rotation once the user has cleared Midjourney's
 * moderation notice or CAPTCHA in Discord.
 */
void
easel_useapi_provider_reset_channel_async (EaselUseapiProvider *self,
                                           const char          *channel,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GTask *task;
  g_autofree char *escaped = NULL, *path = NULL;
  EaselHttpRequest *request;

  g_return_if_fail (EASEL_IS_USEAPI_PROVIDER (self));
  g_return_if_fail (channel != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_useapi_provider_reset_channel_async);
  escaped = easel_http_escape_segment (channel);
  /* The documented form; UseAPI's example code comments say
   * accounts/{channel}/reset (UNCONFIRMED either way). */
  path = g_strdup_printf ("accounts/reset/%s", escaped);
  request = easel_http_request_new ("POST", path);
  easel_http_request_set_flags (request, EASEL_HTTP_IDEMPOTENT);
  easel_http_client_send_async (CLIENT (self), request, cancellable, boolean_reply_cb, task);
}

/**
 * easel_useapi_provider_reset_channel_finish:
 * @self: the provider
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the channel is back in rotation
 */
gboolean
easel_useapi_provider_reset_channel_finish (EaselUseapiProvider  *self,
                                            GAsyncResult         *result,
                                            GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* validate_credentials */

static void
useapi_validate_credentials_async (EaselProvider       *provider,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  EaselUseapiProvider *self = EASEL_USEAPI_PROVIDER (provider);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, useapi_validate_credentials_async);
  easel_http_client_send_async (CLIENT (self), easel_http_request_new ("GET", "accounts"),
                                cancellable, boolean_reply_cb, task);
}

static gboolean
useapi_validate_credentials_finish (EaselProvider  *provider,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Blend, describe, seed */

static const char *
image_type (GBytes *image)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);

  return easel_image_type_sniff (data, size);
}

static gboolean
check_image (GBytes  *image,
             GError **error)
{
  if (g_bytes_get_size (image) > MAX_IMAGE_SIZE)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE,
                   _("An image is larger than 10 MB"));
      return FALSE;
    }

  if (image_type (image) == NULL)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   _("A file is not a PNG, JPEG, WebP or GIF image"));
      return FALSE;
    }
  return TRUE;
}

static void
append_blob (SoupMultipart *multipart,
             const char    *field,
             GBytes        *image)
{
  /* A neutral file name: local names never leave the computer. */
  soup_multipart_append_form_file (multipart, field, "image", image_type (image), image);
}

/**
 * easel_useapi_provider_blend_async:
 * @self: the provider
 * @local_id: Easel's id for the job
 * @images: (element-type GBytes): two to five images, 10 MB each at most
 * @dimensions: (nullable): "Square", "Portrait" or "Landscape"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Blends local images (uploaded as multipart blobs).
 */
void
easel_useapi_provider_blend_async (EaselUseapiProvider *self,
                                   const char          *local_id,
                                   GPtrArray           *images,
                                   const char          *dimensions,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  GError *error = NULL;

  g_return_if_fail (EASEL_IS_USEAPI_PROVIDER (self));
  g_return_if_fail (images != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_useapi_provider_blend_async);

  if (images->len < 2 || images->len > 5)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                               _("Blend takes two to five images"));
      return;
    }
  if (dimensions != NULL && !g_str_equal (dimensions, "Square") &&
      !g_str_equal (dimensions, "Portrait") && !g_str_equal (dimensions, "Landscape"))
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                               _("Blend dimensions must be Square, Portrait or Landscape"));
      return;
    }

  multipart = soup_multipart_new ("multipart/form-data");
  for (guint i = 0; i < images->len; i++)
    {
      g_autofree char *field = g_strdup_printf ("imageBlob_%u", i + 1);

      if (!check_image (g_ptr_array_index (images, i), &error))
        {
          g_task_return_error (task, error);
          return;
        }
      append_blob (multipart, field, g_ptr_array_index (images, i));
    }
  if (dimensions != NULL)
    soup_multipart_append_form_string (multipart, "blendDimensions", dimensions);

  post_job (self, task, "jobs/blend", NULL, multipart, local_id, FALSE);
}

/**
 * easel_useapi_provider_blend_finish:
 * @self: the provider
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the submitted job
 */
EaselRemoteJob *
easel_useapi_provider_blend_finish (EaselUseapiProvider  *self,
                                    GAsyncResult         *result,
                                    GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * easel_useapi_provider_describe_async:
 * @self: the provider
 * @local_id: Easel's id for the job
 * @image: the image, 10 MB at most
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Asks Midjourney to describe a local image (field names UNCONFIRMED:
 * `imageBlob`, as in third-party v3 clients).
 */
void
easel_useapi_provider_describe_async (EaselUseapiProvider *self,
                                      const char          *local_id,
                                      GBytes              *image,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  GError *error = NULL;

  g_return_if_fail (EASEL_IS_USEAPI_PROVIDER (self));
  g_return_if_fail (image != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_useapi_provider_describe_async);

  if (!check_image (image, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  multipart = soup_multipart_new ("multipart/form-data");
  append_blob (multipart, "imageBlob", image);
  post_job (self, task, "jobs/describe", NULL, multipart, local_id, FALSE);
}

/**
 * easel_useapi_provider_describe_finish:
 * @self: the provider
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the submitted job
 */
EaselRemoteJob *
easel_useapi_provider_describe_finish (EaselUseapiProvider  *self,
                                       GAsyncResult         *result,
                                       GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * easel_useapi_provider_seed_async:
 * @self: the provider
 * @local_id: Easel's id for the job
 * @job_id: a completed image job
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Asks for the seed of a finished image job (execute-once).
 */
void
easel_useapi_provider_seed_async (EaselUseapiProvider *self,
                                  const char          *local_id,
                                  const char          *job_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_if_fail (EASEL_IS_USEAPI_PROVIDER (self));
  g_return_if_fail (job_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_useapi_provider_seed_async);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jobId");
  json_builder_add_string_value (builder, job_id);
  post_job (self, task, "jobs/seed", builder, NULL, local_id, FALSE);
}

/**
 * easel_useapi_provider_seed_finish:
 * @self: the provider
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the submitted job
 */
EaselRemoteJob *
easel_useapi_provider_seed_finish (EaselUseapiProvider  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* GObject */

static void
easel_useapi_provider_dispose (GObject *object)
{
  EaselUseapiProvider *self = EASEL_USEAPI_PROVIDER (object);
  GHashTableIter iter;
  gpointer value;

  /* Open streams hold a reference on the provider; closing them on dispose
   * breaks the cycle (run_dispose from the owner). */
  if (self->streams != NULL)
    {
      g_hash_table_iter_init (&iter, self->streams);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_cancellable_cancel (((Stream *) value)->cancellable);
    }

  G_OBJECT_CLASS (easel_useapi_provider_parent_class)->dispose (object);
}

static void
easel_useapi_provider_finalize (GObject *object)
{
  EaselUseapiProvider *self = EASEL_USEAPI_PROVIDER (object);

  g_clear_pointer (&self->streams, g_hash_table_unref);
  g_clear_pointer (&self->channel, g_free);

  G_OBJECT_CLASS (easel_useapi_provider_parent_class)->finalize (object);
}

static void
easel_useapi_provider_class_init (EaselUseapiProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EaselHttpProviderClass *http_class = EASEL_HTTP_PROVIDER_CLASS (klass);

  object_class->dispose = easel_useapi_provider_dispose;
  object_class->finalize = easel_useapi_provider_finalize;

  http_class->client_name = "UseAPI.net";
  http_class->default_url = EASEL_USEAPI_DEFAULT_URL;
  http_class->classify = easel_useapi_classify;
}

static void
easel_useapi_provider_init (EaselUseapiProvider *self)
{
  self->streams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) stream_free);
  self->first_poll_ms = DEFAULT_FIRST_POLL_MS;
  self->max_poll_ms = DEFAULT_MAX_POLL_MS;
  self->streaming = TRUE;
}

static void
provider_iface_init (EaselProviderInterface *iface)
{
  iface->get_id = useapi_get_id;
  iface->get_display_name = useapi_get_display_name;
  iface->get_capabilities = useapi_get_capabilities;
  iface->get_notice = useapi_get_notice;
  iface->describe_params_async = useapi_describe_params_async;
  iface->describe_params_finish = useapi_describe_params_finish;
  iface->estimate_cost = useapi_estimate_cost;
  iface->actual_cost = useapi_actual_cost;
  iface->submit_async = useapi_submit_async;
  iface->submit_finish = useapi_submit_finish;
  iface->watch = useapi_watch;
  iface->cancel_async = useapi_cancel_async;
  iface->cancel_finish = useapi_cancel_finish;
  iface->run_action_async = useapi_run_action_async;
  iface->run_action_finish = useapi_run_action_finish;
  iface->upload_reference_async = useapi_upload_reference_async;
  iface->upload_reference_finish = useapi_upload_reference_finish;
  iface->list_remote_jobs_async = useapi_list_remote_jobs_async;
  iface->list_remote_jobs_finish = useapi_list_remote_jobs_finish;
  iface->find_submitted_async = useapi_find_submitted_async;
  iface->find_submitted_finish = useapi_find_submitted_finish;
  iface->validate_credentials_async = useapi_validate_credentials_async;
  iface->validate_credentials_finish = useapi_validate_credentials_finish;
  iface->describe_request = useapi_describe_request;
}
