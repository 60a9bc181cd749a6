/* test-sse-parser.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Every stream case runs at several chunk sizes, down to one byte, and
 * must give the same events each time: chunk boundaries must never
 * matter. */

#include "config.h"

#include <string.h>

#include <glib.h>

#include "easel-error.h"
#include "easel-json.h"
#include "easel-sse-parser.h"

#define MAX_EVENTS 4

typedef struct
{
  const char *type;
  const char *data;
  const char *id;
} Expected;

typedef struct
{
  const char *name;
  const char *input;
  gssize      length;          /* -1 for strlen */
  gsize       max_event_size;  /* 0 for 4096 */
  int         feed_error;      /* an EaselError, or -1 */
  gboolean    ends_mid_event;
  gint64      retry;           /* expected get_retry () */
  Expected    events[MAX_EVENTS];
} StreamCase;

static const StreamCase stream_cases[] = {
  { "basic", "data: hello\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "hello", NULL } } },
  { "multi-data", "data: a\ndata: b\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "a\nb", NULL } } },
  { "event-type", "event: update\ndata: x\n\ndata: y\n\n", -1, 0, -1, FALSE, -1,
    { { "update", "x", NULL }, { "message", "y", NULL } } },
  { "lf", "data: a\ndata: b\n\ndata: c\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "a\nb", NULL }, { "message", "c", NULL } } },
  { "crlf", "data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n", -1, 0, -1, FALSE, -1,
    { { "message", "a\nb", NULL }, { "message", "c", NULL } } },
  { "cr", "data: a\rdata: b\r\rdata: c\r\r", -1, 0, -1, FALSE, -1,
    { { "message", "a\nb", NULL }, { "message", "c", NULL } } },
  { "mixed-endings", "data: a\r\ndata: b\rdata: c\n\r\n", -1, 0, -1, FALSE, -1,
    { { "message", "a\nb\nc", NULL } } },
  /* "\r\r\n" is two line endings, CR then CRLF, so a blank line. */
  { "cr-crlf", "data: a\r\r\ndata: b\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "a", NULL }, { "message", "b", NULL } } },
  { "comment", ": OPENROUTER PROCESSING\n\ndata: x\n\n: OPENROUTER PROCESSING\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "x", NULL } } },
  { "comment-inside-event", "data: a\n: keep-alive\ndata: b\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "a\nb", NULL } } },
  { "no-space", "data:x\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "x", NULL } } },
  { "only-one-space-removed", "data:  x \n\n", -1, 0, -1, FALSE, -1,
    { { "message", " x ", NULL } } },
  { "colon-in-value", "data: a: b\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "a: b", NULL } } },
  { "field-without-colon", "data\n\ndata\ndata\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "", NULL }, { "message", "\n", NULL } } },
  { "empty-data", "data:\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "", NULL } } },
  { "unknown-field", "foo: bar\nDATA: no\ndata: x\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "x", NULL } } },
  { "event-without-data", "event: ping\n\ndata: x\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "x", NULL } } },
  { "id", "id: 42\ndata: x\n\ndata: y\n\nid\ndata: z\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "x", "42" }, { "message", "y", "42" }, { "message", "z", NULL } } },
  { "retry", "retry: 3000\n\ndata: x\n\n", -1, 0, -1, FALSE, 3000,
    { { "message", "x", NULL } } },
  { "retry-invalid", "retry: 3a\nretry: -5\nretry:\nretry: 1e3\n\n", -1, 0, -1, FALSE, -1,
    { { NULL } } },
  { "retry-huge", "retry: 99999999999999999999999999\n\n", -1, 0, -1, FALSE, -1,
    { { NULL } } },
  { "bom", "\xef\xbb\xbf" "data: x\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "x", NULL } } },
  /* Only one BOM is dropped; the second one is part of the field name. */
  { "bom-twice", "\xef\xbb\xbf\xef\xbb\xbf" "data: x\n\ndata: y\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "y", NULL } } },
  { "not-a-bom", "\xef\xbb\x80: z\ndata: x\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "x", NULL } } },
  { "utf8", "data: café ☕ 𝄞\n\n", -1, 0, -1, FALSE, -1,
    { { "message", "café ☕ 𝄞", NULL } } },
  { "empty-stream", "", -1, 0, -1, FALSE, -1,
    { { NULL } } },
  { "ends-mid-event", "data: x\n\ndata: y\n", -1, 0, -1, TRUE, -1,
    { { "message", "x", NULL } } },
  { "ends-mid-line", "data: x\n\ndata: y", -1, 0, -1, TRUE, -1,
    { { "message", "x", NULL } } },
  { "ends-after-event-field", "event: update\n", -1, 0, -1, TRUE, -1,
    { { NULL } } },
  { "ends-in-bom", "\xef\xbb", -1, 0, -1, TRUE, -1,
    { { NULL } } },
  { "ends-in-comment", "data: x\n\n: keep-al", -1, 0, -1, FALSE, -1,
    { { "message", "x", NULL } } },
  { "too-large-line", "data: 0123456789abcdef\n\n", -1, 16, EASEL_ERROR_TOO_LARGE, FALSE, -1,
    { { NULL } } },
  { "too-large-event", "data: 0123\ndata: 4567\ndata: 89ab\ndata: cdef\n\n", -1, 16,
    EASEL_ERROR_TOO_LARGE, FALSE, -1,
    { { NULL } } },
  { "events-before-too-large", "data: ok\n\ndata: 0123456789abcdef\n\n", -1, 16,
    EASEL_ERROR_TOO_LARGE, FALSE, -1,
    { { "message", "ok", NULL } } },
  { "comment-not-counted",
    ": 0123456789abcdef0123456789abcdef0123456789abcdef\ndata: x\n\n", -1, 16, -1, FALSE, -1,
    { { "message", "x", NULL } } },
  { "size-resets-per-event", "data: 0123456\n\ndata: 0123456\n\n", -1, 16, -1, FALSE, -1,
    { { "message", "0123456", NULL }, { "message", "0123456", NULL } } },
  { "invalid-utf8", "data: ok\n\ndata: \xff\xfe\n\n", -1, 0, EASEL_ERROR_INVALID_RESPONSE, FALSE, -1,
    { { "message", "ok", NULL } } },
  { "overlong-utf8", "data: \xc0\xaf\n\n", -1, 0, EASEL_ERROR_INVALID_RESPONSE, FALSE, -1,
    { { NULL } } },
  { "nul-byte", "data: a\0b\n\n", 11, 0, EASEL_ERROR_INVALID_RESPONSE, FALSE, -1,
    { { NULL } } },
  { "nul-in-id", "id: 1\0" "2\ndata: x\n\n", 17, 0, EASEL_ERROR_INVALID_RESPONSE, FALSE, -1,
    { { NULL } } },
};

typedef struct
{
  GPtrArray *events;
  GError    *error;
  gboolean   finished;
  GError    *finish_error;
  gint64     retry;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->events, g_ptr_array_unref);
  g_clear_error (&outcome->error);
  g_clear_error (&outcome->finish_error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

/* Feeds @len bytes of @input in chunks of @chunk bytes (0: all at once). */
static void
run_parser (const char *input,
            gsize       len,
            gsize       max_event_size,
            gsize       chunk,
            Outcome    *outcome)
{
  g_autoptr(EaselSseParser) parser = easel_sse_parser_new (max_event_size);
  EaselSseEvent *event;
  gsize offset = 0;

  outcome->events = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_sse_event_free);

  do
    {
      gsize n = chunk == 0 ? len - offset : MIN (chunk, len - offset);

      if (!easel_sse_parser_feed (parser, input + offset, n, &outcome->error))
        break;
      offset += n;
      while (easel_sse_parser_next (parser, &event))
        g_ptr_array_add (outcome->events, event);
    }
  while (offset < len);

  /* Events completed before an error can still be taken. */
  while (easel_sse_parser_next (parser, &event))
    g_ptr_array_add (outcome->events, event);

  outcome->finished = easel_sse_parser_finish (parser, &outcome->finish_error);
  outcome->retry = easel_sse_parser_get_retry (parser);
}

static void
test_stream (gconstpointer data)
{
  const StreamCase *tc = data;
  gsize len = tc->length < 0 ? strlen (tc->input) : (gsize) tc->length;
  static const gsize chunks[] = { 0, 1, 2, 3, 5, 7, 64 };

  for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
    {
      g_auto(Outcome) outcome = { NULL, };
      guint n_expected = 0;

      g_test_message ("chunks of %" G_GSIZE_FORMAT " bytes", chunks[c]);
      run_parser (tc->input, len, tc->max_event_size ? tc->max_event_size : 4096,
                  chunks[c], &outcome);

      if (tc->feed_error >= 0)
        {
          g_assert_error (outcome.error, EASEL_ERROR, tc->feed_error);
          g_assert_false (outcome.finished);
        }
      else
        {
          g_assert_no_error (outcome.error);
          if (tc->ends_mid_event)
            {
              g_assert_error (outcome.finish_error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
              g_assert_false (outcome.finished);
            }
          else
            {
              g_assert_no_error (outcome.finish_error);
              g_assert_true (outcome.finished);
            }
        }

      while (n_expected < MAX_EVENTS && tc->events[n_expected].type != NULL)
        n_expected++;
      g_assert_cmpuint (outcome.events->len, ==, n_expected);

      for (guint i = 0; i < n_expected; i++)
        {
          EaselSseEvent *event = g_ptr_array_index (outcome.events, i);

          g_assert_cmpstr (event->type, ==, tc->events[i].type);
          g_assert_cmpstr (event->data, ==, tc->events[i].data);
          g_assert_cmpstr (event->id, ==, tc->events[i].id);
        }

      g_assert_cmpint (outcome.retry, ==, tc->retry);
    }
}

/* A CRLF split between two chunks is one line ending, not two. */
static void
test_split_crlf (void)
{
  static const char *const chunks[] = { "data: a\r", "\ndata: b\r", "\n\r", "\n" };
  g_autoptr(EaselSseParser) parser = easel_sse_parser_new (1024);
  g_autoptr(EaselSseEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      g_assert_true (easel_sse_parser_feed (parser, chunks[i], strlen (chunks[i]), &error));
      g_assert_no_error (error);
      if (i < 2)
        g_assert_false (easel_sse_parser_next (parser, &event));
    }

  g_assert_true (easel_sse_parser_next (parser, &event));
  g_assert_cmpstr (event->data, ==, "a\nb");
  g_clear_pointer (&event, easel_sse_event_free);
  g_assert_false (easel_sse_parser_next (parser, &event));
  g_assert_true (easel_sse_parser_finish (parser, &error));
  g_assert_no_error (error);
}

/* An event is delivered as soon as its blank line arrives, not later. */
static void
test_incremental (void)
{
  g_autoptr(EaselSseParser) parser = easel_sse_parser_new (1024);
  g_autoptr(EaselSseEvent) event = NULL;

  g_assert_true (easel_sse_parser_feed (parser, "data: 1\n", 8, NULL));
  g_assert_false (easel_sse_parser_next (parser, &event));
  g_assert_true (easel_sse_parser_feed (parser, "\n", 1, NULL));
  g_assert_true (easel_sse_parser_next (parser, &event));
  g_assert_cmpstr (event->data, ==, "1");
  g_assert_true (easel_sse_parser_feed (parser, NULL, 0, NULL));
  g_assert_cmpstr (easel_sse_parser_get_last_event_id (parser), ==, NULL);
}

static void
test_fails_for_good (void)
{
  g_autoptr(EaselSseParser) parser = easel_sse_parser_new (1024);
  g_autoptr(GError) error = NULL;

  g_assert_false (easel_sse_parser_feed (parser, "data: \xff\n", 8, &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  g_assert_false (easel_sse_parser_feed (parser, "data: x\n\n", 9, &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  g_assert_false (easel_sse_parser_finish (parser, &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
}

/* A hostile server sending an endless line or endless data lines: memory
 * must stay bounded by the limit, and the parser must say so early. */
static void
test_unbounded_input (void)
{
  g_autoptr(EaselSseParser) parser = easel_sse_parser_new (64 * 1024);
  g_autoptr(GError) error = NULL;
  char chunk[4096];
  guint fed = 0;

  memset (chunk, 'x', sizeof chunk);
  g_assert_true (easel_sse_parser_feed (parser, "data: ", 6, NULL));
  while (easel_sse_parser_feed (parser, chunk, sizeof chunk, &error))
    g_assert_cmpuint (++fed, <, 100);

  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE);
  g_assert_cmpuint (fed, ==, 15);
}

/* The example of docs/providers.md §1.10, with its elisions filled in and
 * the blank lines that end each event (the document leaves them out). */
static const char useapi_stream[] =
  ": keep-alive\n"
  "data: {\"event\":\"initialized\",\"message\":\"Stream initialized\","
  "\"jobId\":\"j1101093015123456789i-u12345-c1234567890123456789-bot:midjourney\","
  "\"seq\":0,\"ts\":\"09:30:15.200\"}\n"
  "\n"
  "data: {\"event\":\"midjourney_created\",\"job\":{\"jobid\":"
  "\"j1101093015123456789i-u12345-c1234567890123456789-bot:midjourney\","
  "\"verb\":\"imagine\",\"jobType\":\"image\",\"status\":\"created\"},\"seq\":1,\"ts\":\"09:30:15.900\"}\r\n"
  "\r\n"
  "data: {\"event\":\"midjourney_progress\",\"job\":{\"status\":\"progress\","
  "\"response\":{\"progress_percent\":46}},\"seq\":4,\"ts\":\"09:30:40.100\"}\n"
  "\n"
  "data: {\"event\":\"midjourney_completed\",\"job\":{\"status\":\"completed\","
  "\"response\":{\"progress_percent\":100,\"buttons\":[\"U1\",\"U2\",\"U3\",\"U4\",\"🔄\"],"
  "\"imageUx\":[{\"id\":1,\"url\":\"https://cdn.midjourney.com/u/0_0.jpeg\"}]}},"
  "\"seq\":7,\"ts\":\"09:31:02.500\"}\n"
  "\n";

static void
test_useapi_stream (void)
{
  static const EaselUseapiEventKind kinds[] = {
    EASEL_USEAPI_EVENT_INITIALIZED, EASEL_USEAPI_EVENT_CREATED,
    EASEL_USEAPI_EVENT_PROGRESS, EASEL_USEAPI_EVENT_COMPLETED,
  };
  static const gint64 seqs[] = { 0, 1, 4, 7 };
  static const gsize chunks[] = { 1, 0 };

  for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
    {
      g_auto(Outcome) outcome = { NULL, };

      run_parser (useapi_stream, strlen (useapi_stream), 64 * 1024, chunks[c], &outcome);
      g_assert_no_error (outcome.error);
      g_assert_true (outcome.finished);
      g_assert_cmpuint (outcome.events->len, ==, G_N_ELEMENTS (kinds));

      for (guint i = 0; i < outcome.events->len; i++)
        {
          EaselSseEvent *sse = g_ptr_array_index (outcome.events, i);
          g_autoptr(EaselUseapiStreamEvent) event = NULL;
          g_autoptr(GError) error = NULL;

          event = easel_useapi_stream_event_parse (sse->data, -1, &error);
          g_assert_no_error (error);
          g_assert_cmpint (event->kind, ==, kinds[i]);
          g_assert_cmpint (event->seq, ==, seqs[i]);
          g_assert_cmpint (easel_useapi_event_kind_is_terminal (event->kind), ==, i == 3);

          if (i == 0)
            {
              g_assert_cmpstr (event->job_id, ==,
                               "j1101093015123456789i-u12345-c1234567890123456789-bot:midjourney");
              g_assert_cmpstr (event->message, ==, "Stream initialized");
              g_assert_null (event->job);
            }
          else
            {
              g_assert_nonnull (event->job);
              g_assert_null (event->job_id);
            }

          if (i == 2)
            {
              JsonObject *response = json_object_get_object_member (event->job, "response");

              g_assert_cmpint (json_object_get_int_member (response, "progress_percent"), ==, 46);
            }
        }
    }
}

/* The document's example as written, without blank lines, is one event
 * whose data is four JSON documents: that must fail to decode, not crash. */
static void
test_useapi_stream_without_blank_lines (void)
{
  static const char stream[] =
    "data: {\"event\":\"initialized\",\"jobId\":\"j11\",\"seq\":0}\n"
    "data: {\"event\":\"midjourney_created\",\"job\":{},\"seq\":1}\n"
    "\n";
  g_auto(Outcome) outcome = { NULL, };
  g_autoptr(EaselUseapiStreamEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  run_parser (stream, strlen (stream), 4096, 1, &outcome);
  g_assert_cmpuint (outcome.events->len, ==, 1);

  event = easel_useapi_stream_event_parse (((EaselSseEvent *) outcome.events->pdata[0])->data, -1, &error);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
  g_assert_null (event);
}

typedef struct
{
  const char           *name;
  const char           *data;
  EaselUseapiEventKind  kind;
  gint64                seq;
  const char           *job_id;
  const char           *message;
  gboolean              has_job;
} EventCase;

static const EventCase event_cases[] = {
  { "initialized", "{\"event\":\"initialized\",\"message\":\"Stream initialized\",\"jobId\":\"j1\",\"seq\":0,\"ts\":\"09:30:15.200\"}",
    EASEL_USEAPI_EVENT_INITIALIZED, 0, "j1", "Stream initialized", FALSE },
  { "created", "{\"event\":\"midjourney_created\",\"job\":{\"status\":\"created\"},\"seq\":1}",
    EASEL_USEAPI_EVENT_CREATED, 1, NULL, NULL, TRUE },
  { "started", "{\"event\":\"midjourney_started\",\"job\":{},\"seq\":2}",
    EASEL_USEAPI_EVENT_STARTED, 2, NULL, NULL, TRUE },
  { "progress", "{\"event\":\"midjourney_progress\",\"job\":{\"response\":{\"progress_percent\":46}},\"seq\":4}",
    EASEL_USEAPI_EVENT_PROGRESS, 4, NULL, NULL, TRUE },
  { "completed", "{\"event\":\"midjourney_completed\",\"job\":{},\"seq\":7}",
    EASEL_USEAPI_EVENT_COMPLETED, 7, NULL, NULL, TRUE },
  { "failed", "{\"event\":\"midjourney_failed\",\"job\":{\"error\":\"Job cancelled by user\"},\"seq\":3}",
    EASEL_USEAPI_EVENT_FAILED, 3, NULL, NULL, TRUE },
  { "moderated", "{\"event\":\"midjourney_moderated\",\"job\":{},\"seq\":3}",
    EASEL_USEAPI_EVENT_MODERATED, 3, NULL, NULL, TRUE },
  { "error", "{\"event\":\"error\",\"error\":\"Channel pending moderation\",\"seq\":2}",
    EASEL_USEAPI_EVENT_ERROR, 2, NULL, "Channel pending moderation", FALSE },
  { "unknown", "{\"event\":\"midjourney_queued\",\"seq\":5,\"extra\":[1,2,3]}",
    EASEL_USEAPI_EVENT_UNKNOWN, 5, NULL, NULL, FALSE },
  { "no-seq", "{\"event\":\"error\",\"message\":\"x\",\"seq\":null}",
    EASEL_USEAPI_EVENT_ERROR, -1, NULL, "x", FALSE },
  { "whitespace", " \n{ \"event\" : \"midjourney_started\" , \"job\" : { } }\n ",
    EASEL_USEAPI_EVENT_STARTED, -1, NULL, NULL, TRUE },
};

static void
test_event (gconstpointer data)
{
  const EventCase *tc = data;
  g_autoptr(EaselUseapiStreamEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  event = easel_useapi_stream_event_parse (tc->data, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
  g_assert_cmpint (event->kind, ==, tc->kind);
  g_assert_cmpint (event->seq, ==, tc->seq);
  g_assert_cmpstr (event->job_id, ==, tc->job_id);
  g_assert_cmpstr (event->message, ==, tc->message);
  g_assert_cmpint (event->job != NULL, ==, tc->has_job);
  g_assert_nonnull (event->name);
}

typedef struct
{
  const char *name;
  const char *data;
  gssize      length;
  const char *message_part;   /* expected in the message, for context */
} BadEventCase;

static const BadEventCase bad_event_cases[] = {
  { "not-json", "{\"event\":", -1, "Invalid stream event" },
  { "done-marker", "[DONE]", -1, "Invalid stream event" },
  { "empty", "", -1, "Invalid stream event" },
  { "array", "[{\"event\":\"initialized\"}]", -1, "not a JSON object" },
  { "string", "\"initialized\"", -1, "not a JSON object" },
  { "no-event", "{\"seq\":1}", -1, "“event” is missing" },
  { "event-number", "{\"event\":5}", -1, "“event” is not a string" },
  { "event-object", "{\"event\":{}}", -1, "“event” is not a string" },
  { "seq-string", "{\"event\":\"midjourney_started\",\"job\":{},\"seq\":\"1\"}", -1, "midjourney_started" },
  { "seq-negative", "{\"event\":\"initialized\",\"jobId\":\"j\",\"seq\":-1}", -1, "“seq”" },
  { "seq-fraction", "{\"event\":\"initialized\",\"jobId\":\"j\",\"seq\":1.5}", -1, "“seq”" },
  { "seq-huge", "{\"event\":\"initialized\",\"jobId\":\"j\",\"seq\":99999999999999999999999999}", -1, "“seq”" },
  { "seq-inf", "{\"event\":\"initialized\",\"jobId\":\"j\",\"seq\":1e400}", -1, "“seq”" },
  { "initialized-without-job-id", "{\"event\":\"initialized\",\"seq\":0}", -1, "“jobId” is missing" },
  { "job-id-empty", "{\"event\":\"initialized\",\"jobId\":\"\",\"seq\":0}", -1, "“jobId” is empty" },
  { "job-id-number", "{\"event\":\"initialized\",\"jobId\":12,\"seq\":0}", -1, "“jobId” is not a string" },
  { "job-string", "{\"event\":\"midjourney_progress\",\"job\":\"x\"}", -1, "“job” is not an object" },
  { "job-array", "{\"event\":\"midjourney_completed\",\"job\":[]}", -1, "midjourney_completed" },
  { "job-missing", "{\"event\":\"midjourney_progress\",\"seq\":3}", -1, "“job” is missing" },
  { "message-number", "{\"event\":\"error\",\"message\":1}", -1, "“message” is not a string" },
  { "invalid-utf8", "{\"event\":\"\xff\"}", -1, "not UTF-8" },
  { "nul-byte", "{\"event\":\"a\0b\"}", 15, "not UTF-8" },
  { "escaped-nul", "{\"event\":\"initialized\",\"jobId\":\"j\\u0000x\",\"seq\":0}", -1, "NUL" },
};

static void
test_bad_event (gconstpointer data)
{
  const BadEventCase *tc = data;
  g_autoptr(EaselUseapiStreamEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  event = easel_useapi_stream_event_parse (tc->data, tc->length, &error);
  g_assert_null (event);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
  g_assert_true (g_str_has_prefix (error->message, "Invalid stream event"));
  g_assert_nonnull (strstr (error->message, tc->message_part));
}

/* json-glib recurses without a limit; nesting must be refused before it
 * can overflow the stack, and brackets inside strings must not count. */
static void
test_deeply_nested (void)
{
  static const guint depths[] = { 60, EASEL_JSON_MAX_DEPTH - 2, EASEL_JSON_MAX_DEPTH, 1000, 1000000 };

  for (guint d = 0; d < G_N_ELEMENTS (depths); d++)
    {
      g_autoptr(GString) json = g_string_new ("{\"event\":\"midjourney_progress\",\"job\":{\"a\":");
      g_autoptr(EaselUseapiStreamEvent) event = NULL;
      g_autoptr(GError) error = NULL;

      for (guint i = 0; i < depths[d]; i++)
        g_string_append_c (json, '[');
      for (guint i = 0; i < depths[d]; i++)
        g_string_append_c (json, ']');
      g_string_append (json, "}}");

      event = easel_useapi_stream_event_parse (json->str, json->len, &error);
      if (depths[d] + 2 <= EASEL_JSON_MAX_DEPTH)
        {
          g_assert_no_error (error);
          g_assert_nonnull (event);
        }
      else
        {
          g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
          g_assert_nonnull (strstr (error->message, "nested"));
        }
    }

  {
    g_autoptr(GString) json = g_string_new ("{\"event\":\"error\",\"message\":\"");
    g_autoptr(EaselUseapiStreamEvent) event = NULL;
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < 10000; i++)
      g_string_append (json, "[{\\\"");
    g_string_append (json, "\"}");

    event = easel_useapi_stream_event_parse (json->str, json->len, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (strlen (event->message), ==, 30000);
  }
}

static void
test_terminal_kinds (void)
{
  g_assert_false (easel_useapi_event_kind_is_terminal (EASEL_USEAPI_EVENT_UNKNOWN));
  g_assert_false (easel_useapi_event_kind_is_terminal (EASEL_USEAPI_EVENT_INITIALIZED));
  g_assert_false (easel_useapi_event_kind_is_terminal (EASEL_USEAPI_EVENT_PROGRESS));
  g_assert_false (easel_useapi_event_kind_is_terminal (EASEL_USEAPI_EVENT_ERROR));
  g_assert_true (easel_useapi_event_kind_is_terminal (EASEL_USEAPI_EVENT_COMPLETED));
  g_assert_true (easel_useapi_event_kind_is_terminal (EASEL_USEAPI_EVENT_FAILED));
  g_assert_true (easel_useapi_event_kind_is_terminal (EASEL_USEAPI_EVENT_MODERATED));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (stream_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/Easel/SseParser/%s", stream_cases[i].name);

      g_test_add_data_func (path, &stream_cases[i], test_stream);
    }
  g_test_add_func ("/Easel/SseParser/split-crlf", test_split_crlf);
  g_test_add_func ("/Easel/SseParser/incremental", test_incremental);
  g_test_add_func ("/Easel/SseParser/fails-for-good", test_fails_for_good);
  g_test_add_func ("/Easel/SseParser/unbounded-input", test_unbounded_input);
  g_test_add_func ("/Easel/SseParser/useapi-stream", test_useapi_stream);
  g_test_add_func ("/Easel/SseParser/useapi-stream-without-blank-lines",
                   test_useapi_stream_without_blank_lines);

  for (guint i = 0; i < G_N_ELEMENTS (event_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/Easel/UseapiStreamEvent/%s", event_cases[i].name);

      g_test_add_data_func (path, &event_cases[i], test_event);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_event_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/Easel/UseapiStreamEvent/bad/%s", bad_event_cases[i].name);

      g_test_add_data_func (path, &bad_event_cases[i], test_bad_event);
    }
  g_test_add_func ("/Easel/UseapiStreamEvent/deeply-nested", test_deeply_nested);
  g_test_add_func ("/Easel/UseapiStreamEvent/terminal-kinds", test_terminal_kinds);

  return g_test_run ();
}
