/* easel-openrouter-client.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* OpenRouter's OpenAI-compatible chat completions (providers.md §4), used
 * to rewrite prompts. Not an image provider, so not an EaselProvider.
 *
 * OpenRouter reports many errors with HTTP 200 and an `error` object in the
 * body; the parser treats that exactly like the same status code. Asking
 * again for a completion creates nothing lasting, so requests are retried
 * like idempotent ones (408, 429, 502, 503, honouring Retry-After). */

#include "config.h"

#include "easel-openrouter-client.h"

#include <glib/gi18n.h>

#include "easel-error.h"
#include "easel-json.h"

#define MAX_REPLY (2 * 1024 * 1024)

struct _EaselOpenrouterClient
{
  GObject          parent_instance;

  EaselHttpClient *client;
};

G_DEFINE_FINAL_TYPE (EaselOpenrouterClient, easel_openrouter_client, G_TYPE_OBJECT)

/**
 * easel_completion_free:
 * @self: (nullable) (transfer full): a completion
 */
void
easel_completion_free (EaselCompletion *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->model);
  g_free (self->content);
  g_free (self->finish_reason);
  g_free (self);
}

static gboolean
parse_error_object (JsonObject  *object,
                    guint       *code,
                    char       **message)
{
  JsonObject *error_object = easel_json_get_object (object, "error", NULL);
  const char *text = NULL;
  gint64 value = 0;

  if (error_object == NULL)
    return FALSE;

  easel_json_get_int (error_object, "code", 100, 999, &value, NULL);
  easel_json_get_string (error_object, "message", FALSE, &text, NULL);
  *code = (guint) value;
  *message = g_strdup (text ? text : _("unknown error"));
  return TRUE;
}

/**
 * easel_openrouter_parse_completion:
 * @node: a chat completion reply
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the completion, or %NULL with @error set (an
 *   `error` object in the body is mapped like its code)
 */
EaselCompletion *
easel_openrouter_parse_completion (JsonNode  *node,
                                   GError   **error)
{
  g_autoptr(EaselCompletion) completion = g_new0 (EaselCompletion, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *message = NULL;
  JsonObject *object, *choice, *reply, *usage;
  JsonArray *choices;
  const char *id = NULL, *model = NULL, *content = NULL, *finish = NULL;
  guint code = 0;

  object = easel_json_expect_object (node, "completion", &local_error);
  if (object == NULL)
    goto fail;

  if (parse_error_object (object, &code, &message))
    {
      int error_code = code != 0 ? easel_http_status_to_error (code) : EASEL_ERROR_FAILED;

      if (code == 403)
        error_code = EASEL_ERROR_MODERATED;
      g_set_error (error, EASEL_ERROR, error_code, "OpenRouter: %s", message);
      return NULL;
    }

  if (!easel_json_get_string (object, "id", FALSE, &id, &local_error) ||
      !easel_json_get_string (object, "model", FALSE, &model, &local_error))
    goto fail;

  choices = easel_json_get_array (object, "choices", &local_error);
  if (choices == NULL || json_array_get_length (choices) == 0 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (choices, 0)))
    {
      if (local_error == NULL)
        g_set_error_literal (&local_error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE, "no choices");
      goto fail;
    }

  choice = json_array_get_object_element (choices, 0);
  reply = easel_json_get_object (choice, "message", &local_error);
  if (reply == NULL)
    {
      if (local_error == NULL)
        g_set_error_literal (&local_error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE, "no message");
      goto fail;
    }
  if (!easel_json_get_string (reply, "content", TRUE, &content, &local_error) ||
      !easel_json_get_string (choice, "finish_reason", FALSE, &finish, &local_error))
    goto fail;

  completion->id = g_strdup (id);
  completion->model = g_strdup (model);
  completion->content = g_strdup (content);
  completion->finish_reason = g_strdup (finish);
  completion->prompt_tokens = -1;
  completion->completion_tokens = -1;

  usage = easel_json_get_object (object, "usage", NULL);
  if (usage != NULL)
    {
      easel_json_get_int (usage, "prompt_tokens", 0, G_MAXINT32, &completion->prompt_tokens, NULL);
      easel_json_get_int (usage, "completion_tokens", 0, G_MAXINT32, &completion->completion_tokens, NULL);
    }

  return g_steal_pointer (&completion);

fail:
  g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "OpenRouter completion: ");
  return NULL;
}

/**
 * easel_openrouter_classify:
 * @status: the HTTP status
 * @body: (nullable): the error body
 * @message: (out): OpenRouter's explanation
 * @user_data: unused
 *
 * An #EaselHttpClassifyFunc for OpenRouter: 403 is a moderation flag.
 *
 * Returns: the #EaselError code, or -1 for the generic mapping
 */
int
easel_openrouter_classify (guint      status,
                           JsonNode  *body,
                           char     **message,
                           gpointer   user_data)
{
  guint code = 0;

  *message = NULL;
  if (body != NULL && JSON_NODE_HOLDS_OBJECT (body))
    parse_error_object (json_node_get_object (body), &code, message);

  return status == 403 ? EASEL_ERROR_MODERATED : -1;
}

/**
 * easel_openrouter_client_new:
 * @base_url: (nullable): the endpoint, or %NULL for `EASEL_OPENROUTER_URL`
 *   or the official one
 * @token: the API key
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a client, or %NULL when the endpoint is refused
 */
EaselOpenrouterClient *
easel_openrouter_client_new (const char  *base_url,
                             const char  *token,
                             GError     **error)
{
  g_autoptr(EaselOpenrouterClient) self = NULL;
  const char *url = base_url;

  if (url == NULL)
    url = g_getenv ("EASEL_OPENROUTER_URL");
  if (url == NULL || url[0] == '\0')
    url = EASEL_OPENROUTER_DEFAULT_URL;

  self = g_object_new (EASEL_TYPE_OPENROUTER_CLIENT, NULL);
  self->client = easel_http_client_new ("OpenRouter", url, token, error);
  if (self->client == NULL)
    return NULL;
  easel_http_client_set_classify_func (self->client, easel_openrouter_classify, NULL);
  return g_steal_pointer (&self);
}

/**
 * easel_openrouter_client_get_http_client:
 * @self: a client
 *
 * Returns: (transfer none): the HTTP client
 */
EaselHttpClient *
easel_openrouter_client_get_http_client (EaselOpenrouterClient *self)
{
  g_return_val_if_fail (EASEL_IS_OPENROUTER_CLIENT (self), NULL);

  return self->client;
}

static void
complete_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(EaselHttpResponse) response = NULL;
  EaselCompletion *completion;
  GError *error = NULL;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL || (completion = easel_openrouter_parse_completion (response->json, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, completion, (GDestroyNotify) easel_completion_free);
}

/**
 * easel_openrouter_client_complete_async:
 * @self: a client
 * @model: the model, such as "openai/gpt-4o-mini"
 * @system_prompt: (nullable): instructions
 * @user_prompt: the user's text
 * @max_tokens: the most tokens to write, or 0 for the model's default
 * @temperature: sampling temperature (0–2), or a negative number for the default
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Asks for one chat completion.
 */
void
easel_openrouter_client_complete_async (EaselOpenrouterClient *self,
                                        const char            *model,
                                        const char            *system_prompt,
                                        const char            *user_prompt,
                                        guint                  max_tokens,
                                        double                 temperature,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  EaselHttpRequest *request;
  GTask *task;

  g_return_if_fail (EASEL_IS_OPENROUTER_CLIENT (self));
  g_return_if_fail (model != NULL);
  g_return_if_fail (user_prompt != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_openrouter_client_complete_async);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  if (max_tokens > 0)
    {
      json_builder_set_member_name (builder, "max_tokens");
      json_builder_add_int_value (builder, max_tokens);
    }
  if (temperature >= 0)
    {
      json_builder_set_member_name (builder, "temperature");
      json_builder_add_double_value (builder, CLAMP (temperature, 0.0, 2.0));
    }
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  if (system_prompt != NULL)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, "system");
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, system_prompt);
      json_builder_end_object (builder);
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "user");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, user_prompt);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  request = easel_http_request_new ("POST", "chat/completions");
  easel_http_request_set_flags (request, EASEL_HTTP_IDEMPOTENT);
  easel_http_request_set_json (request, body);
  easel_http_request_set_max_size (request, MAX_REPLY);
  easel_http_request_add_header (request, "HTTP-Referer", "https://github.com/easelstudio/easel");
  easel_http_request_add_header (request, "X-Title", "Easel");
  easel_http_client_send_async (self->client, request, cancellable, complete_cb, task);
}

/**
 * easel_openrouter_client_complete_finish:
 * @self: a client
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the completion, or %NULL with @error set
 */
EaselCompletion *
easel_openrouter_client_complete_finish (EaselOpenrouterClient  *self,
                                         GAsyncResult           *result,
                                         GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
easel_openrouter_client_finalize (GObject *object)
{
  EaselOpenrouterClient *self = EASEL_OPENROUTER_CLIENT (object);

  g_clear_object (&self->client);

  G_OBJECT_CLASS (easel_openrouter_client_parent_class)->finalize (object);
}

static void
easel_openrouter_client_class_init (EaselOpenrouterClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = easel_openrouter_client_finalize;
}

static void
easel_openrouter_client_init (EaselOpenrouterClient *self)
{
}
