/* easel-useapi-parse.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Pure parsers for UseAPI.net's Midjourney v3 replies (providers.md §1):
 * job objects, the running-jobs list, the accounts list and error bodies.
 * Every node's type is checked; unknown members and statuses are kept as
 * they are (an unknown status becomes EASEL_REMOTE_STATE_UNKNOWN, never a
 * guess). Where the documentation is UNCONFIRMED (the shape of GET
 * /accounts, videoUx) both plausible shapes are accepted. */

#include "config.h"

#include "easel-useapi-parse.h"

#include <string.h>

#include "easel-error.h"
#include "easel-json.h"

#define MAX_LIST 1000
#define MAX_BUTTON_LENGTH 64

/**
 * easel_useapi_channel_free:
 * @self: (nullable) (transfer full): a channel
 */
void
easel_useapi_channel_free (EaselUseapiChannel *self)
{
  if (self == NULL)
    return;

  g_free (self->channel);
  g_free (self->error);
  g_free (self);
}

/**
 * easel_useapi_parse_status:
 * @status: a job's status
 *
 * Returns: the state; `cancelled` (v2, and v3's webhook example) is
 *   accepted too
 */
EaselRemoteState
easel_useapi_parse_status (const char *status)
{
  static const struct { const char *name; EaselRemoteState state; } map[] = {
    { "created", EASEL_REMOTE_STATE_QUEUED },
    { "started", EASEL_REMOTE_STATE_RUNNING },
    { "progress", EASEL_REMOTE_STATE_RUNNING },
    { "completed", EASEL_REMOTE_STATE_SUCCEEDED },
    { "failed", EASEL_REMOTE_STATE_FAILED },
    { "moderated", EASEL_REMOTE_STATE_MODERATED },
    { "cancelled", EASEL_REMOTE_STATE_CANCELLED },
  };

  if (status == NULL)
    return EASEL_REMOTE_STATE_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    {
      if (g_str_equal (status, map[i].name))
        return map[i].state;
    }
  return EASEL_REMOTE_STATE_UNKNOWN;
}

static gboolean
parse_media (EaselRemoteJob *job,
             JsonArray      *array,
             gboolean        attachments,
             GError        **error)
{
  guint n = json_array_get_length (array);

  if (n > MAX_LIST)
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE, "too many attachments");
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *object;
      const char *url = NULL, *content_type = NULL;
      gint64 width = 0, height = 0;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                               "an attachment is not an object");
          return FALSE;
        }
      object = json_node_get_object (item);
      if (!easel_json_get_string (object, "url", TRUE, &url, error) ||
          !easel_json_get_int (object, "width", 0, 100000, &width, error) ||
          !easel_json_get_int (object, "height", 0, 100000, &height, error))
        return FALSE;
      if (attachments && !easel_json_get_string (object, "content_type", FALSE, &content_type, error))
        return FALSE;

      if (easel_json_is_http_url (url))
        easel_remote_job_add_output (job, url, (int) width, (int) height, content_type);
    }

  return TRUE;
}

static GStrv
parse_buttons (JsonArray  *array,
               GError    **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = json_array_get_length (array);

  if (n > MAX_LIST)
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE, "too many buttons");
      return NULL;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *label;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                               "a button is not a string");
          return NULL;
        }
      label = json_node_get_string (item);
      if (label[0] == '\0' || strlen (label) > MAX_BUTTON_LENGTH || !g_utf8_validate (label, -1, NULL))
        continue;
      g_strv_builder_add (builder, label);
    }

  return g_strv_builder_end (builder);
}

/**
 * easel_useapi_parse_job:
 * @node: a job object (`GET /jobs/{jobid}`, a submit reply, or the `job`
 *   of a stream event)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the job, or %NULL with @error set
 */
EaselRemoteJob *
easel_useapi_parse_job (JsonNode  *node,
                        GError   **error)
{
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object, *request, *response;
  JsonArray *array;
  const char *id = NULL, *status = NULL, *job_type = NULL, *created = NULL, *updated = NULL;
  const char *prompt = NULL, *reply_ref = NULL, *error_text = NULL, *details = NULL, *parent = NULL;
  gint64 progress = -1;

  object = easel_json_expect_object (node, "job", &local_error);
  if (object == NULL ||
      !easel_json_get_string (object, "jobid", FALSE, &id, &local_error) ||
      !easel_json_get_string (object, "status", TRUE, &status, &local_error) ||
      !easel_json_get_string (object, "jobType", FALSE, &job_type, &local_error) ||
      !easel_json_get_string (object, "created", FALSE, &created, &local_error) ||
      !easel_json_get_string (object, "updated", FALSE, &updated, &local_error) ||
      !easel_json_get_string (object, "error", FALSE, &error_text, &local_error) ||
      !easel_json_get_string (object, "errorDetails", FALSE, &details, &local_error) ||
      !easel_json_get_string (object, "parentJobId", FALSE, &parent, &local_error))
    goto fail;

  /* v3 examples use "jobid"; the running list and buttons use "jobId". */
  if (id == NULL && !easel_json_get_string (object, "jobId", TRUE, &id, &local_error))
    goto fail;
  if (id[0] == '\0' || strlen (id) > 512)
    {
      g_set_error_literal (&local_error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE, "the job id is unusable");
      goto fail;
    }

  job = easel_remote_job_new (id);
  job->status = g_strdup (status);
  job->state = easel_useapi_parse_status (status);
  job->job_type = g_strdup (job_type);
  job->model = g_strdup ("midjourney");
  job->created_at = easel_json_parse_time (created);
  if (easel_remote_state_is_terminal (job->state))
    job->completed_at = easel_json_parse_time (updated);

  request = easel_json_get_object (object, "request", &local_error);
  if (local_error != NULL)
    goto fail;
  if (request != NULL)
    {
      if (!easel_json_get_string (request, "prompt", FALSE, &prompt, &local_error) ||
          !easel_json_get_string (request, "replyRef", FALSE, &reply_ref, &local_error))
        goto fail;
      job->input = json_object_ref (request);
    }

  response = easel_json_get_object (object, "response", &local_error);
  if (local_error != NULL)
    goto fail;
  if (response != NULL)
    {
      const char *response_ref = NULL;

      if (!easel_json_get_int (response, "progress_percent", 0, 100, &progress, &local_error) ||
          !easel_json_get_string (response, "replyRef", FALSE, &response_ref, &local_error))
        goto fail;
      if (reply_ref == NULL)
        reply_ref = response_ref;

      if ((array = easel_json_get_array (response, "attachments", &local_error)) != NULL &&
          !parse_media (job, array, TRUE, &local_error))
        goto fail;
      if (local_error != NULL)
        goto fail;

      /* A video job's result is in videoUx (shape UNCONFIRMED: the same
       * {id, url} cells as imageUx are assumed). Images fall back to the
       * imageUx cells when there is no attachment. */
      if (job->outputs->len == 0 &&
          (array = easel_json_get_array (response, "videoUx", &local_error)) != NULL &&
          !parse_media (job, array, FALSE, &local_error))
        goto fail;
      if (job->outputs->len == 0 &&
          (array = easel_json_get_array (response, "imageUx", &local_error)) != NULL &&
          !parse_media (job, array, FALSE, &local_error))
        goto fail;
      if (local_error != NULL)
        goto fail;

      if ((array = easel_json_get_array (response, "buttons", &local_error)) != NULL &&
          (job->buttons = parse_buttons (array, &local_error)) == NULL)
        goto fail;
      if (local_error != NULL)
        goto fail;
    }

  job->prompt = g_strdup (prompt);
  job->local_id = g_strdup (reply_ref);
  job->progress = job->state == EASEL_REMOTE_STATE_SUCCEEDED ? 100 : (int) progress;
  if (error_text != NULL)
    job->error_message = details ? g_strdup_printf ("%s (%s)", error_text, details) : g_strdup (error_text);

  return g_steal_pointer (&job);

fail:
  g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "UseAPI job: ");
  return NULL;
}

/**
 * easel_useapi_parse_running:
 * @node: the `GET /jobs` reply
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the running jobs on one page (the list is not
 *   paginated), or %NULL with @error set
 */
EaselRemotePage *
easel_useapi_parse_running (JsonNode  *node,
                            GError   **error)
{
  g_autoptr(EaselRemotePage) page = easel_remote_page_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *object, *channels;
  JsonObjectIter iter;
  const char *channel_id;
  JsonNode *channel_node;

  object = easel_json_expect_object (node, "running job list", &local_error);
  channels = object ? easel_json_get_object (object, "channels", &local_error) : NULL;
  if (local_error != NULL)
    goto fail;
  if (channels == NULL)
    return g_steal_pointer (&page);

  json_object_iter_init (&iter, channels);
  while (json_object_iter_next (&iter, &channel_id, &channel_node))
    {
      JsonArray *jobs;

      if (!JSON_NODE_HOLDS_OBJECT (channel_node))
        continue;
      jobs = easel_json_get_array (json_node_get_object (channel_node), "jobs", NULL);
      for (guint i = 0; jobs != NULL && i < json_array_get_length (jobs) && page->jobs->len < MAX_LIST; i++)
        {
          JsonNode *item = json_array_get_element (jobs, i);
          JsonObject *entry;
          const char *id = NULL, *job_type = NULL, *created = NULL;
          EaselRemoteJob *job;

          if (!JSON_NODE_HOLDS_OBJECT (item))
            continue;
          entry = json_node_get_object (item);
          if (!easel_json_get_string (entry, "jobId", TRUE, &id, NULL) || id[0] == '\0')
            continue;
          easel_json_get_string (entry, "jobType", FALSE, &job_type, NULL);
          easel_json_get_string (entry, "created", FALSE, &created, NULL);

          job = easel_remote_job_new (id);
          job->state = EASEL_REMOTE_STATE_RUNNING;
          job->job_type = g_strdup (job_type);
          job->model = g_strdup ("midjourney");
          job->created_at = easel_json_parse_time (created);
          g_ptr_array_add (page->jobs, job);
        }
    }

  return g_steal_pointer (&page);

fail:
  g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "UseAPI running jobs: ");
  return NULL;
}

static EaselUseapiChannel *
parse_channel (const char *fallback_id,
               JsonObject *object)
{
  EaselUseapiChannel *channel;
  const char *id = NULL, *error_text = NULL;
  gint64 max_jobs = 0, max_image = 0, max_video = 0;

  easel_json_get_string (object, "channel", FALSE, &id, NULL);
  if (id == NULL)
    id = fallback_id;
  if (id == NULL || id[0] == '\0')
    return NULL;

  easel_json_get_int (object, "maxJobs", 0, 1000, &max_jobs, NULL);
  easel_json_get_int (object, "maxImageJobs", 0, 1000, &max_image, NULL);
  easel_json_get_int (object, "maxVideoJobs", 0, 1000, &max_video, NULL);
  /* v2 calls the state "pendingModMessage"; v3's name is UNCONFIRMED. */
  if (!easel_json_get_string (object, "error", FALSE, &error_text, NULL) || error_text == NULL)
    easel_json_get_string (object, "pendingModMessage", FALSE, &error_text, NULL);

  channel = g_new0 (EaselUseapiChannel, 1);
  channel->channel = g_strdup (id);
  channel->max_jobs = (int) max_jobs;
  channel->max_image_jobs = (int) max_image;
  channel->max_video_jobs = (int) max_video;
  channel->error = g_strdup (error_text);
  return channel;
}

/**
 * easel_useapi_parse_accounts:
 * @node: the `GET /accounts` reply: an object keyed by channel (as in v2)
 *   or an array of channel objects (the v3 shape is UNCONFIRMED)
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type EaselUseapiChannel): the
 *   channels, or %NULL with @error set
 */
GPtrArray *
easel_useapi_parse_accounts (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(GPtrArray) channels = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_useapi_channel_free);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array) && i < MAX_LIST; i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          EaselUseapiChannel *channel;

          if (JSON_NODE_HOLDS_OBJECT (item) &&
              (channel = parse_channel (NULL, json_node_get_object (item))) != NULL)
            g_ptr_array_add (channels, channel);
        }
      return g_steal_pointer (&channels);
    }

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *id;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &id, &value))
        {
          EaselUseapiChannel *channel;

          if (channels->len < MAX_LIST && JSON_NODE_HOLDS_OBJECT (value) &&
              (channel = parse_channel (id, json_node_get_object (value))) != NULL)
            g_ptr_array_add (channels, channel);
        }
      return g_steal_pointer (&channels);
    }

  g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                       "UseAPI accounts: the reply is neither an object nor an array");
  return NULL;
}

/**
 * easel_useapi_classify:
 * @status: the HTTP status
 * @body: (nullable): the error body (`{"error", "errorDetails", "code"}`)
 * @message: (out): UseAPI's explanation
 * @user_data: unused
 *
 * An #EaselHttpClassifyFunc for UseAPI.net. Beyond the generic mapping:
 * 422 is Midjourney's moderation, 504 means the job was queued in Discord
 * but cannot be tracked (it runs: never resubmit), 596 a channel waiting
 * for a moderation notice or CAPTCHA to be cleared.
 *
 * Returns: the #EaselError code, or -1 for the generic mapping
 */
int
easel_useapi_classify (guint      status,
                       JsonNode  *body,
                       char     **message,
                       gpointer   user_data)
{
  JsonObject *object = body && JSON_NODE_HOLDS_OBJECT (body) ? json_node_get_object (body) : NULL;
  const char *text = NULL, *details = NULL;

  *message = NULL;
  if (object != NULL)
    {
      easel_json_get_string (object, "error", FALSE, &text, NULL);
      easel_json_get_string (object, "errorDetails", FALSE, &details, NULL);
      if (text != NULL && details != NULL)
        *message = g_strdup_printf ("%s (%s)", text, details);
      else if (text != NULL)
        *message = g_strdup (text);
    }

  switch (status)
    {
    case 422:
      return EASEL_ERROR_MODERATED;
    case 504:
      return EASEL_ERROR_UNTRACKED;
    case 596:
      return EASEL_ERROR_NEEDS_ATTENTION;
    default:
      return -1;
    }
}
