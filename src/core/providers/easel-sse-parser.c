/* easel-sse-parser.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* An incremental parser for `text/event-stream` (the WHATWG HTML standard,
 * "Server-sent events", section "Parsing an event stream"), and a decoder
 * for the JSON that UseAPI v3 puts in each event's data.
 *
 * Bytes are fed as they arrive, in chunks of any size; complete events are
 * queued and taken with easel_sse_parser_next(). Since a chunk holds at
 * most one event per six bytes ("data\n\n"), the queue stays in proportion
 * to the chunk the caller read, as long as callers drain it after every
 * feed.
 *
 * The parser keeps only the line being read and the event being built, and
 * fails with %EASEL_ERROR_TOO_LARGE as soon as they would pass the limit
 * given at construction: a hostile server cannot make it grow without
 * bound. Comment lines are skipped without being kept at all.
 *
 * Deviations from the standard, on purpose: bytes that are not UTF-8 and
 * NUL bytes fail the stream (the standard decodes with replacement
 * characters), since both mean the stream is not what the provider
 * documents; and easel_sse_parser_finish() reports an event cut off by the
 * end of the stream, which the standard silently drops, because for a job
 * stream that means the job's state is unknown.
 */

#include "config.h"

#include "easel-sse-parser.h"

#include <string.h>

#include "easel-error.h"
#include "easel-json.h"

/* A job from GET /jobs/{jobid} nests about five levels deep. */

struct _EaselSseParser
{
  gsize    max_event_size;
  GString *line;
  GString *data;
  GString *event_type;
  char    *last_event_id;
  gint64   retry;
  GQueue   events;
  guint    bom_matched;
  guint    bom_done : 1;
  guint    last_was_cr : 1;
  guint    in_comment : 1;
  guint    failed : 1;
};

static const guchar utf8_bom[] = { 0xEF, 0xBB, 0xBF };

/**
 * easel_sse_event_free:
 * @event: (nullable) (transfer full): an #EaselSseEvent
 *
 * Frees @event.
 */
void
easel_sse_event_free (EaselSseEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->type);
  g_free (event->data);
  g_free (event->id);
  g_free (event);
}

/**
 * easel_sse_parser_new:
 * @max_event_size: the largest event, in bytes, that the parser accepts:
 *   its data, its type and the line being read together
 *
 * Creates a parser for one event stream.
 *
 * Returns: (transfer full): a new parser
 */
EaselSseParser *
easel_sse_parser_new (gsize max_event_size)
{
  EaselSseParser *self;

  g_return_val_if_fail (max_event_size > 0, NULL);

  self = g_new0 (EaselSseParser, 1);
  self->max_event_size = max_event_size;
  self->line = g_string_new (NULL);
  self->data = g_string_new (NULL);
  self->event_type = g_string_new (NULL);
  self->retry = -1;
  g_queue_init (&self->events);

  return self;
}

/**
 * easel_sse_parser_free:
 * @self: (nullable) (transfer full): an #EaselSseParser
 *
 * Frees @self and the events nobody took.
 */
void
easel_sse_parser_free (EaselSseParser *self)
{
  if (self == NULL)
    return;

  g_string_free (self->line, TRUE);
  g_string_free (self->data, TRUE);
  g_string_free (self->event_type, TRUE);
  g_free (self->last_event_id);
  g_queue_clear_full (&self->events, (GDestroyNotify) easel_sse_event_free);
  g_free (self);
}

static gboolean
fail (EaselSseParser  *self,
      GError         **error,
      EaselError       code,
      const char      *message)
{
  self->failed = TRUE;
  g_set_error_literal (error, EASEL_ERROR, code, message);
  return FALSE;
}

static gboolean
append_to_line (EaselSseParser  *self,
                const char      *bytes,
                gsize            len,
                GError         **error)
{
  if (len == 0 || self->in_comment)
    return TRUE;

  /* A comment is recognised by its first byte and never stored, so
   * keep-alives cannot count towards the limit. */
  if (self->line->len == 0 && bytes[0] == ':')
    {
      self->in_comment = TRUE;
      return TRUE;
    }

  if (len > self->max_event_size ||
      self->line->len + self->data->len + self->event_type->len > self->max_event_size - len)
    return fail (self, error, EASEL_ERROR_TOO_LARGE,
                 "An event of the event stream is larger than allowed");

  g_string_append_len (self->line, bytes, len);
  return TRUE;
}

static void
dispatch_event (EaselSseParser *self)
{
  EaselSseEvent *event;

  /* An event without data lines is not dispatched, but it still ends the
   * event: its type does not carry over. */
  if (self->data->len == 0)
    {
      g_string_truncate (self->event_type, 0);
      return;
    }

  /* Every data line appended a "\n"; the last one is not part of the data. */
  g_string_truncate (self->data, self->data->len - 1);

  event = g_new0 (EaselSseEvent, 1);
  event->type = g_strdup (self->event_type->len > 0 ? self->event_type->str : "message");
  event->data = g_strndup (self->data->str, self->data->len);
  event->id = g_strdup (self->last_event_id);
  g_queue_push_tail (&self->events, event);

  g_string_truncate (self->data, 0);
  g_string_truncate (self->event_type, 0);
}

static void
process_field (EaselSseParser *self,
               const char     *field,
               gsize           field_len,
               const char     *value)
{
#define FIELD_IS(name) (field_len == strlen (name) && memcmp (field, name, field_len) == 0)
  if (FIELD_IS ("data"))
    {
      g_string_append (self->data, value);
      g_string_append_c (self->data, '\n');
    }
  else if (FIELD_IS ("event"))
    {
      g_string_assign (self->event_type, value);
    }
  else if (FIELD_IS ("id"))
    {
      /* An empty ID resets it: the standard's "no Last-Event-ID". */
      g_free (self->last_event_id);
      self->last_event_id = value[0] != '\0' ? g_strdup (value) : NULL;
    }
  else if (FIELD_IS ("retry"))
    {
      guint64 retry;

      /* Only ASCII digits count; a value that does not fit is as invalid
       * as one with other characters, and both are ignored. */
      if (value[0] != '\0' && strspn (value, "0123456789") == strlen (value) &&
          g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &retry, NULL))
        self->retry = (gint64) retry;
    }
  /* Any other field is ignored, as the standard says. */
#undef FIELD_IS
}

static gboolean
process_line (EaselSseParser  *self,
              GError         **error)
{
  const char *line = self->line->str;
  gsize len = self->line->len;
  const char *colon;
  const char *value;

  if (self->in_comment)
    {
      self->in_comment = FALSE;
      return TRUE;
    }

  if (len == 0)
    {
      dispatch_event (self);
      return TRUE;
    }

  if (memchr (line, '\0', len) != NULL)
    return fail (self, error, EASEL_ERROR_INVALID_RESPONSE,
                 "The event stream contains a NUL byte");
  if (!g_utf8_validate_len (line, len, NULL))
    return fail (self, error, EASEL_ERROR_INVALID_RESPONSE,
                 "The event stream is not valid UTF-8");

  /* "field: value", "field:value" or a bare "field" with an empty value. */
  colon = memchr (line, ':', len);
  if (colon == NULL)
    {
      process_field (self, line, len, "");
    }
  else
    {
      value = colon + 1;
      if (*value == ' ')
        value++;
      process_field (self, line, colon - line, value);
    }

  g_string_truncate (self->line, 0);
  return TRUE;
}

/* Holds back the first bytes of the stream while they may be a byte order
 * mark, which is dropped, and advances @p past the bytes it consumed. */
static gboolean
skip_bom (EaselSseParser  *self,
          const char     **p,
          const char      *end,
          GError         **error)
{
  while (!self->bom_done && *p < end)
    {
      if ((guchar) **p == utf8_bom[self->bom_matched])
        {
          (*p)++;
          if (++self->bom_matched == sizeof utf8_bom)
            self->bom_done = TRUE;
        }
      else
        {
          /* Not a BOM after all: the bytes held back are ordinary data
           * (and not UTF-8, which the line check reports). */
          self->bom_done = TRUE;
          return append_to_line (self, (const char *) utf8_bom, self->bom_matched, error);
        }
    }

  return TRUE;
}

/**
 * easel_sse_parser_feed:
 * @self: an #EaselSseParser
 * @data: (array length=len): the next bytes of the stream
 * @len: the number of bytes in @data
 * @error: return location for a #GError
 *
 * Parses the next bytes of the stream. Chunks may split lines, line
 * endings and UTF-8 sequences anywhere. Take the events it completed with
 * easel_sse_parser_next().
 *
 * Errors are %EASEL_ERROR_TOO_LARGE when an event passes the limit, and
 * %EASEL_ERROR_INVALID_RESPONSE when a line is not UTF-8 or contains a NUL
 * byte. After an error the parser refuses further data; events completed
 * before the error can still be taken.
 *
 * Returns: %TRUE on success, %FALSE with @error set
 */
gboolean
easel_sse_parser_feed (EaselSseParser  *self,
                       const char      *data,
                       gsize            len,
                       GError         **error)
{
  const char *p;
  const char *end;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->failed)
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                           "The event stream already failed");
      return FALSE;
    }

  if (len == 0)
    return TRUE;

  p = data;
  end = data + len;

  if (!skip_bom (self, &p, end, error))
    return FALSE;

  while (p < end)
    {
      const char *eol;

      /* A CR ends a line at once; an LF right after it, maybe in the next
       * chunk, belongs to the same line ending. */
      if (self->last_was_cr)
        {
          self->last_was_cr = FALSE;
          if (*p == '\n')
            {
              p++;
              continue;
            }
        }

      for (eol = p; eol < end && *eol != '\n' && *eol != '\r'; eol++)
        ;

      if (!append_to_line (self, p, eol - p, error))
        return FALSE;

      if (eol == end)
        break;

      self->last_was_cr = (*eol == '\r');
      p = eol + 1;

      if (!process_line (self, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * easel_sse_parser_next:
 * @self: an #EaselSseParser
 * @out_event: (out) (transfer full): return location for the event
 *
 * Takes the oldest complete event that has not been taken yet.
 *
 * Returns: %TRUE if there was one
 */
gboolean
easel_sse_parser_next (EaselSseParser  *self,
                       EaselSseEvent  **out_event)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out_event != NULL, FALSE);

  *out_event = g_queue_pop_head (&self->events);
  return *out_event != NULL;
}

/**
 * easel_sse_parser_finish:
 * @self: an #EaselSseParser
 * @error: return location for a #GError
 *
 * Tells the parser the stream has ended. Events already completed can
 * still be taken.
 *
 * Returns: %TRUE if the stream ended between events; %FALSE with
 *   %EASEL_ERROR_INVALID_RESPONSE if it ended in the middle of one (a line
 *   without its ending, or fields without the blank line that dispatches
 *   them), or with the error that stopped the parser earlier
 */
gboolean
easel_sse_parser_finish (EaselSseParser  *self,
                         GError         **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->failed)
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                           "The event stream already failed");
      return FALSE;
    }

  /* A comment cut short loses nothing; anything else that is pending does. */
  if ((!self->bom_done && self->bom_matched > 0) ||
      (self->line->len > 0 && !self->in_comment) ||
      self->data->len > 0 || self->event_type->len > 0)
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                           "The event stream ended in the middle of an event");
      return FALSE;
    }

  return TRUE;
}

/**
 * easel_sse_parser_get_retry:
 * @self: an #EaselSseParser
 *
 * Returns: the reconnection time in milliseconds the stream asked for with
 *   a `retry` field, or -1 if it did not
 */
gint64
easel_sse_parser_get_retry (EaselSseParser *self)
{
  g_return_val_if_fail (self != NULL, -1);

  return self->retry;
}

/**
 * easel_sse_parser_get_last_event_id:
 * @self: an #EaselSseParser
 *
 * Returns: (nullable): the last event ID the stream set, for a
 *   `Last-Event-ID` header when reconnecting, or %NULL
 */
const char *
easel_sse_parser_get_last_event_id (EaselSseParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->last_event_id;
}

static const struct {
  const char           *name;
  EaselUseapiEventKind  kind;
} event_names[] = {
  { "initialized", EASEL_USEAPI_EVENT_INITIALIZED },
  { "midjourney_created", EASEL_USEAPI_EVENT_CREATED },
  { "midjourney_started", EASEL_USEAPI_EVENT_STARTED },
  { "midjourney_progress", EASEL_USEAPI_EVENT_PROGRESS },
  { "midjourney_completed", EASEL_USEAPI_EVENT_COMPLETED },
  { "midjourney_failed", EASEL_USEAPI_EVENT_FAILED },
  { "midjourney_moderated", EASEL_USEAPI_EVENT_MODERATED },
  { "error", EASEL_USEAPI_EVENT_ERROR },
};

static EaselUseapiEventKind
event_kind_from_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (event_names); i++)
    {
      if (g_str_equal (name, event_names[i].name))
        return event_names[i].kind;
    }

  return EASEL_USEAPI_EVENT_UNKNOWN;
}

/* Member errors come from easel-json.c, naming the member; the event's
 * name is added to them here. */
static gboolean
decode_event (JsonObject              *root,
              EaselUseapiStreamEvent  *event,
              GError                 **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *name;
  const char *job_id;
  const char *message;
  const char *error_text;
  JsonObject *job;
  gboolean job_event;

  if (!easel_json_get_string (root, "event", TRUE, &name, error))
    return FALSE;
  event->name = g_strdup (name);
  event->kind = event_kind_from_name (name);
  job_event = event->kind >= EASEL_USEAPI_EVENT_CREATED && event->kind <= EASEL_USEAPI_EVENT_MODERATED;

  /* json-glib 1.6 does not fail on integers that do not fit into a gint64:
   * it wraps them to negative numbers, or to -1 past 64 bits, so the lower
   * bound also catches overflow. A sequence number of a single stream
   * never comes near the upper one. */
  if (!easel_json_get_int (root, "seq", 0, G_MAXUINT32, &event->seq, error) ||
      !easel_json_get_string (root, "jobId", event->kind == EASEL_USEAPI_EVENT_INITIALIZED,
                              &job_id, error) ||
      !easel_json_get_string (root, "message", FALSE, &message, error) ||
      !easel_json_get_string (root, "error", FALSE, &error_text, error))
    goto fail;

  if (event->kind == EASEL_USEAPI_EVENT_INITIALIZED && job_id[0] == '\0')
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                           "“jobId” is empty");
      goto fail;
    }
  event->job_id = g_strdup (job_id);
  event->message = g_strdup (message != NULL ? message : error_text);

  job = easel_json_get_object (root, "job", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }
  if (job == NULL && job_event)
    {
      /* The job events exist to carry the job. */
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                           "“job” is missing");
      goto fail;
    }
  if (job != NULL)
    event->job = json_object_ref (job);

  return TRUE;

fail:
  g_prefix_error (error, "event “%s”: ", name);
  return FALSE;
}

/**
 * easel_useapi_stream_event_parse:
 * @data: (array length=length): the data of one event of a UseAPI v3 stream
 * @length: the length of @data, or -1 if it is nul-terminated
 * @error: return location for a #GError
 *
 * Decodes the JSON a UseAPI v3 stream sends in each event, such as
 * `{"event":"midjourney_progress","job":{…},"seq":4,"ts":"09:30:40.100"}`.
 * An event name Easel does not know is not an error: it is returned as
 * %EASEL_USEAPI_EVENT_UNKNOWN with its name, for the caller to skip.
 *
 * Returns: (transfer full): the event, or %NULL with @error set to
 *   %EASEL_ERROR_INVALID_RESPONSE
 */
EaselUseapiStreamEvent *
easel_useapi_stream_event_parse (const char  *data,
                                 gssize       length,
                                 GError     **error)
{
  g_autoptr(EaselUseapiStreamEvent) event = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize len;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = length < 0 ? strlen (data) : (gsize) length;

  root = easel_json_parse (data, len, error);
  if (root == NULL)
    {
      g_prefix_error (error, "Invalid stream event: ");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                           "Invalid stream event: the data is not a JSON object");
      return NULL;
    }

  event = g_new0 (EaselUseapiStreamEvent, 1);
  event->seq = -1;

  if (!decode_event (json_node_get_object (root), event, error))
    {
      g_prefix_error (error, "Invalid stream event: ");
      return NULL;
    }

  return g_steal_pointer (&event);
}

/**
 * easel_useapi_stream_event_free:
 * @event: (nullable) (transfer full): an #EaselUseapiStreamEvent
 *
 * Frees @event and drops its reference on the job object.
 */
void
easel_useapi_stream_event_free (EaselUseapiStreamEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->name);
  g_free (event->job_id);
  g_free (event->message);
  g_clear_pointer (&event->job, json_object_unref);
  g_free (event);
}

/**
 * easel_useapi_event_kind_is_terminal:
 * @kind: an #EaselUseapiEventKind
 *
 * Whether the job has reached its final state with this event. A client
 * must keep the stream open until then: a job whose stream is dropped
 * holds a concurrency slot for 14 minutes unless it is deleted.
 *
 * Returns: %TRUE for completed, failed and moderated
 */
gboolean
easel_useapi_event_kind_is_terminal (EaselUseapiEventKind kind)
{
  switch (kind)
    {
    case EASEL_USEAPI_EVENT_COMPLETED:
    case EASEL_USEAPI_EVENT_FAILED:
    case EASEL_USEAPI_EVENT_MODERATED:
      return TRUE;
    case EASEL_USEAPI_EVENT_UNKNOWN:
    case EASEL_USEAPI_EVENT_INITIALIZED:
    case EASEL_USEAPI_EVENT_CREATED:
    case EASEL_USEAPI_EVENT_STARTED:
    case EASEL_USEAPI_EVENT_PROGRESS:
    case EASEL_USEAPI_EVENT_ERROR:
    default:
      return FALSE;
    }
}
