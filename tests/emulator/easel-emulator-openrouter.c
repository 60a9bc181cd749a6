/* easel-emulator-openrouter.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* OpenRouter's OpenAI-compatible chat completions (providers.md §4), as
 * Easel's prompt helper uses them. The answer is derived from the last
 * user message alone, so tests can predict it: the idea, then a few
 * descriptors chosen by a hash of it. Streams send the documented
 * ": OPENROUTER PROCESSING" comments, word-sized deltas, a final chunk
 * with usage and "data: [DONE]". Errors use {"error": {"code", "message"}};
 * upstream failures come as HTTP 200 with the error in the body (or, when
 * streaming, as a final chunk with an "error" member). Marker words in the
 * idea make the answer chatty, overlong or blank, as real models sometimes
 * are (see --help).
 */

#include "config.h"

#include "easel-emulator-private.h"

#include <string.h>

#define DEFAULT_MODEL   "openai/gpt-4o-mini"
#define ERROR_IN_BODY   "error-in-body"
#define STREAM_GAP_MS   10
#define PROCESSING      "OPENROUTER PROCESSING"

static const char *const moods[] = {
  "atmospheric", "serene", "dramatic", "whimsical", "melancholic", "vibrant", "mysterious",
  "nostalgic",
};
static const char *const lights[] = {
  "soft golden hour light", "volumetric fog and rim light", "warm window glow",
  "overcast diffuse light", "neon reflections", "moonlit blue shadows",
};
static const char *const media[] = {
  "oil painting", "cinematic photograph, 35mm", "watercolor illustration",
  "digital matte painting", "isometric 3D render", "ink and wash sketch",
};
static const char *const ratios[] = { "1:1", "3:2", "2:3", "16:9" };

/* The text of a message's content: a string, or an array of parts. */
static char *
message_text (JsonObject *message)
{
  JsonNode *content;
  GString *text;
  JsonArray *parts;

  if (!json_object_has_member (message, "content"))
    return g_strdup ("");
  content = json_object_get_member (message, "content");
  if (JSON_NODE_HOLDS_VALUE (content) && json_node_get_value_type (content) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (content));
  if (!JSON_NODE_HOLDS_ARRAY (content))
    return g_strdup ("");

  text = g_string_new (NULL);
  parts = json_node_get_array (content);
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonNode *part = json_array_get_element (parts, i);
      const char *value;

      if (!JSON_NODE_HOLDS_OBJECT (part))
        continue;
      value = emu_json_get_string (json_node_get_object (part), "text");
      if (value != NULL)
        g_string_append_printf (text, "%s%s", text->len ? " " : "", value);
    }
  return g_string_free (text, FALSE);
}

static char *
compose_reply (const char *idea)
{
  g_autofree char *clean = g_strstrip (g_strdup (idea));
  g_autofree char *prompt = NULL;
  guint64 h;

  if (emu_has_marker (clean, EMU_MARK_EMPTY))
    return g_strdup (" \n ");

  if (clean[0] == '\0')
    {
      g_free (clean);
      clean = g_strdup ("a quiet landscape");
    }
  h = emu_hash64 (clean, 0x0e);
  prompt = g_strdup_printf ("%s, %s mood, %s, %s, highly detailed --ar %s",
                            clean,
                            moods[h % G_N_ELEMENTS (moods)],
                            lights[(h >> 8) % G_N_ELEMENTS (lights)],
                            media[(h >> 16) % G_N_ELEMENTS (media)],
                            ratios[(h >> 24) % G_N_ELEMENTS (ratios)]);

  /* What chat models do when they do not follow "only the prompt". */
  if (emu_has_marker (clean, EMU_MARK_CHATTY))
    return g_strdup_printf ("Sure! Here is an enhanced prompt:\n\n**\"%s\"**\n\n"
                            "This version adds mood, lighting and a medium.", prompt);

  if (emu_has_marker (clean, EMU_MARK_RAMBLE))
    {
      GString *text = g_string_new (prompt);

      while (text->len < 20000)
        g_string_append (text, ", and many more intricate details");
      return g_string_free (text, FALSE);
    }

  return g_steal_pointer (&prompt);
}

/* Roughly four characters a token, as a tokenizer would count prose. */
static guint
count_tokens (const char *text)
{
  return (guint) (strlen (text) + 3) / 4;
}

static JsonObject *
base_object (const char *id,
             const char *model,
             const char *object_type,
             gint64      created)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "provider", "Emulator");
  json_object_set_string_member (object, "model", model);
  json_object_set_string_member (object, "object", object_type);
  json_object_set_int_member (object, "created", created);
  return object;
}

static JsonObject *
usage_object (guint prompt_tokens,
              guint completion_tokens)
{
  JsonObject *usage = json_object_new ();

  json_object_set_int_member (usage, "prompt_tokens", prompt_tokens);
  json_object_set_int_member (usage, "completion_tokens", completion_tokens);
  json_object_set_int_member (usage, "total_tokens", prompt_tokens + completion_tokens);
  return usage;
}

static JsonObject *
upstream_error (void)
{
  JsonObject *error = json_object_new ();
  JsonObject *metadata = json_object_new ();

  json_object_set_int_member (error, "code", 502);
  json_object_set_string_member (error, "message", "Provider returned error");
  json_object_set_string_member (metadata, "provider_name", "Emulator");
  json_object_set_string_member (metadata, "raw", "upstream model failed (emulated)");
  json_object_set_object_member (error, "metadata", metadata);
  return error;
}

static void
stream_object (EmuStream  *stream,
               JsonObject *object)
{
  g_autoptr(JsonNode) node = emu_json_object_node (object);
  g_autofree char *text = emu_json_to_string (node);

  emu_stream_data (stream, text);
}

static JsonObject *
chunk (const char *id,
       const char *model,
       gint64      created,
       const char *content,
       const char *finish_reason)
{
  JsonObject *object = base_object (id, model, "chat.completion.chunk", created);
  JsonArray *choices = json_array_new ();
  JsonObject *choice = json_object_new ();
  JsonObject *delta = json_object_new ();

  json_object_set_string_member (delta, "role", "assistant");
  json_object_set_string_member (delta, "content", content);
  json_object_set_int_member (choice, "index", 0);
  json_object_set_object_member (choice, "delta", delta);
  if (finish_reason != NULL)
    {
      json_object_set_string_member (choice, "finish_reason", finish_reason);
      json_object_set_string_member (choice, "native_finish_reason", finish_reason);
    }
  else
    {
      json_object_set_null_member (choice, "finish_reason");
      json_object_set_null_member (choice, "native_finish_reason");
    }
  json_object_set_null_member (choice, "logprobs");
  json_array_add_object_element (choices, choice);
  json_object_set_array_member (object, "choices", choices);
  return object;
}

static void
stream_completion (EmuRequest *req,
                   const char *id,
                   const char *model,
                   gint64      created,
                   const char *reply,
                   const char *finish_reason,
                   guint       prompt_tokens,
                   guint       completion_tokens,
                   gboolean    fail)
{
  EmuStream *stream = emu_stream_begin (req, STREAM_GAP_MS);
  g_auto(GStrv) words = g_strsplit (reply, " ", -1);
  guint n_words = g_strv_length (words);
  JsonObject *last;

  emu_stream_comment (stream, PROCESSING);
  emu_stream_keepalive (stream, 1000, PROCESSING);

  for (guint i = 0; i < n_words; i++)
    {
      g_autofree char *piece = g_strdup_printf ("%s%s", words[i], i + 1 < n_words ? " " : "");

      /* A failing upstream gives up after a couple of words. */
      if (fail && i == 2)
        {
          last = chunk (id, model, created, "", "error");
          json_object_set_object_member (last, "error", upstream_error ());
          stream_object (stream, last);
          emu_stream_end (stream);
          return;
        }
      stream_object (stream, chunk (id, model, created, piece, NULL));
    }

  last = chunk (id, model, created, "", finish_reason);
  json_object_set_object_member (last, "usage", usage_object (prompt_tokens, completion_tokens));
  stream_object (stream, last);
  emu_stream_data (stream, "[DONE]");
  emu_stream_end (stream);
}

static void
completions_handler (EaselEmulator *self,
                     EmuRequest    *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = emu_request_json (req, &error);
  g_autofree char *idea = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *id = NULL;
  g_autofree char *random = NULL;
  const char *model;
  const char *finish_reason = "stop";
  JsonArray *messages;
  JsonObject *object;
  JsonArray *choices;
  JsonObject *choice;
  JsonObject *message;
  guint prompt_tokens = 0;
  guint completion_tokens;
  gint64 max_tokens = 0;
  gint64 created;
  gboolean fail;

  if (body == NULL)
    {
      emu_reply_error (req, 400, "Invalid JSON body: %s", error->message);
      return;
    }

  model = json_object_has_member (body, "model") ? emu_json_get_string (body, "model") : DEFAULT_MODEL;
  if (model == NULL || strchr (model, '/') == NULL)
    {
      emu_reply_error (req, 400, "%s is not a valid model ID",
                       model ? model : "(not a string)");
      return;
    }

  if (!json_object_has_member (body, "messages") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (body, "messages")) ||
      json_array_get_length (json_object_get_array_member (body, "messages")) == 0)
    {
      emu_reply_error (req, 400, "Input required: specify \"prompt\" or \"messages\"");
      return;
    }

  if (json_object_has_member (body, "max_tokens") &&
      (!emu_json_get_int (body, "max_tokens", &max_tokens) || max_tokens < 1))
    {
      emu_reply_error (req, 400, "max_tokens must be a positive integer");
      return;
    }

  messages = json_object_get_array_member (body, "messages");
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonNode *node = json_array_get_element (messages, i);
      g_autofree char *text = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          emu_reply_error (req, 400, "messages[%u] must be an object with role and content", i);
          return;
        }
      text = message_text (json_node_get_object (node));
      prompt_tokens += 4 + count_tokens (text);
      if (g_strcmp0 (emu_json_get_string (json_node_get_object (node), "role"), "user") == 0)
        {
          g_free (idea);
          idea = g_steal_pointer (&text);
        }
    }

  if (emu_has_marker (idea, EMU_MARK_MODERATE))
    {
      JsonObject *outer = json_object_new ();
      JsonObject *inner = json_object_new ();
      JsonObject *metadata = json_object_new ();
      JsonArray *reasons = json_array_new ();
      g_autofree char *text = g_strdup_printf ("%s requires moderation on Emulator. Your input "
                                               "was flagged for \"harassment\"", model);

      json_array_add_string_element (reasons, "harassment");
      json_object_set_array_member (metadata, "reasons", reasons);
      json_object_set_string_member (metadata, "flagged_input", idea);
      json_object_set_string_member (metadata, "provider_name", "Emulator");
      json_object_set_string_member (metadata, "model_slug", model);
      json_object_set_int_member (inner, "code", 403);
      json_object_set_string_member (inner, "message", text);
      json_object_set_object_member (inner, "metadata", metadata);
      json_object_set_object_member (outer, "error", inner);
      emu_reply_object (req, 403, outer);
      return;
    }

  fail = strstr (model, ERROR_IN_BODY) != NULL || emu_has_marker (idea, EMU_MARK_FAIL);
  reply = compose_reply (idea ? idea : "");
  completion_tokens = count_tokens (reply);
  if (max_tokens > 0 && completion_tokens > max_tokens)
    {
      /* Cut at the token budget, as a model would stop. */
      reply[MIN (strlen (reply), (gsize) max_tokens * 4)] = '\0';
      completion_tokens = (guint) max_tokens;
      finish_reason = "length";
    }

  created = emu_wall_seconds (self, emu_now_ms (self));
  random = emu_random_id (self, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 20);
  id = g_strdup_printf ("gen-%" G_GINT64_FORMAT "-%s", created, random);
  emu_set_header (req, "X-Generation-Id", id);

  if (!fail)
    {
      emu_count_submit (req);
      self->openrouter_usage += prompt_tokens * 0.00000015 + completion_tokens * 0.0000006;
    }

  if (emu_json_get_boolean (body, "stream", FALSE))
    {
      stream_completion (req, id, model, created, reply, finish_reason, prompt_tokens,
                         completion_tokens, fail);
      return;
    }

  /* Documented: an upstream failure is HTTP 200 with the error in the body. */
  if (fail)
    {
      object = json_object_new ();
      json_object_set_object_member (object, "error", upstream_error ());
      emu_reply_object (req, 200, object);
      return;
    }

  object = base_object (id, model, "chat.completion", created);
  choices = json_array_new ();
  choice = json_object_new ();
  message = json_object_new ();
  json_object_set_null_member (choice, "logprobs");
  json_object_set_string_member (choice, "finish_reason", finish_reason);
  json_object_set_string_member (choice, "native_finish_reason", finish_reason);
  json_object_set_int_member (choice, "index", 0);
  json_object_set_string_member (message, "role", "assistant");
  json_object_set_string_member (message, "content", reply);
  json_object_set_null_member (message, "refusal");
  json_object_set_null_member (message, "reasoning");
  json_object_set_object_member (choice, "message", message);
  json_array_add_object_element (choices, choice);
  json_object_set_array_member (object, "choices", choices);
  json_object_set_object_member (object, "usage", usage_object (prompt_tokens, completion_tokens));
  emu_reply_object (req, 200, object);
}

static void
key_handler (EaselEmulator *self,
             EmuRequest    *req)
{
  JsonObject *object = json_object_new ();
  JsonObject *data = json_object_new ();
  JsonObject *limit = json_object_new ();
  gsize length = strlen (req->token);
  g_autofree char *label = length > 14
                           ? g_strdup_printf ("%.12s...%s", req->token, req->token + length - 3)
                           : g_strdup ("sk-or-v1-...");

  json_object_set_string_member (data, "label", label);
  json_object_set_null_member (data, "limit");
  json_object_set_null_member (data, "limit_remaining");
  json_object_set_double_member (data, "usage", self->openrouter_usage);
  json_object_set_boolean_member (data, "is_free_tier", FALSE);
  json_object_set_boolean_member (data, "is_provisioning_key", FALSE);
  json_object_set_int_member (limit, "requests", 200);
  json_object_set_string_member (limit, "interval", "10s");
  json_object_set_object_member (data, "rate_limit", limit);
  json_object_set_object_member (object, "data", data);
  emu_reply_object (req, 200, object);
}

static void
models_handler (EaselEmulator *self,
                EmuRequest    *req)
{
  static const struct { const char *id, *name, *prompt, *completion; guint context; } list[] = {
    { "openai/gpt-4o-mini", "OpenAI: GPT-4o-mini", "0.00000015", "0.0000006", 128000 },
    { "anthropic/claude-3.5-haiku", "Anthropic: Claude 3.5 Haiku", "0.0000008", "0.000004", 200000 },
    { "meta-llama/llama-3.3-70b-instruct:free", "Meta: Llama 3.3 70B Instruct (free)", "0", "0", 131072 },
  };
  JsonObject *object = json_object_new ();
  JsonArray *data = json_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (list); i++)
    {
      JsonObject *model = json_object_new ();
      JsonObject *pricing = json_object_new ();

      json_object_set_string_member (model, "id", list[i].id);
      json_object_set_string_member (model, "name", list[i].name);
      json_object_set_int_member (model, "context_length", list[i].context);
      json_object_set_string_member (pricing, "prompt", list[i].prompt);
      json_object_set_string_member (pricing, "completion", list[i].completion);
      json_object_set_object_member (model, "pricing", pricing);
      json_array_add_object_element (data, model);
    }
  json_object_set_array_member (object, "data", data);
  emu_reply_object (req, 200, object);
}

const EmuRoute emu_openrouter_routes[] = {
  { "POST", "/api/v1/chat/completions", EMU_API_OPENROUTER, FALSE, completions_handler },
  { "GET", "/api/v1/key", EMU_API_OPENROUTER, FALSE, key_handler },
  { "GET", "/api/v1/models", EMU_API_OPENROUTER, TRUE, models_handler },
  { NULL }
};
