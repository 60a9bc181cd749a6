/* fuzz-sse-parser.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Fuzzes EaselSseParser and the UseAPI event decoder.
 *
 * Input layout: byte 0 picks the event size limit (16 bytes to 2 KiB),
 * byte 1 how many of the following bytes are chunk sizes (0 to 15), and
 * the rest is the stream. The stream is parsed once in one piece and once
 * in the chunks the input asks for; besides the sanitizers, the check is
 * that chunking never changes the result. The data of each event, and the
 * stream itself, also go through easel_useapi_stream_event_parse().
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "easel-error.h"
#include "easel-sse-parser.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct
{
  GPtrArray *events;
  int        error_code;   /* -1 when feeding succeeded */
  gboolean   finished;
  gint64     retry;
  char      *last_event_id;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->events, g_ptr_array_unref);
  g_clear_pointer (&run->last_event_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
drain (EaselSseParser *parser,
       Run            *run)
{
  EaselSseEvent *event;

  while (easel_sse_parser_next (parser, &event))
    g_ptr_array_add (run->events, event);
}

static void
run_parser (const char   *stream,
            gsize         len,
            gsize         max_event_size,
            const guint8 *chunks,
            gsize         n_chunks,
            Run          *run)
{
  g_autoptr(EaselSseParser) parser = easel_sse_parser_new (max_event_size);
  g_autoptr(GError) error = NULL;
  gsize offset = 0;

  run->events = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_sse_event_free);
  run->error_code = -1;

  for (guint i = 0; offset < len; i++)
    {
      gsize n = n_chunks > 0 ? (gsize) chunks[i % n_chunks] % 32 + 1 : len;

      n = MIN (n, len - offset);
      if (!easel_sse_parser_feed (parser, stream + offset, n, &error))
        {
          g_assert (error->domain == EASEL_ERROR);
          run->error_code = error->code;
          break;
        }
      offset += n;
      drain (parser, run);
    }
  drain (parser, run);

  g_clear_error (&error);
  run->finished = easel_sse_parser_finish (parser, &error);
  g_assert (run->finished == (error == NULL));
  run->retry = easel_sse_parser_get_retry (parser);
  run->last_event_id = g_strdup (easel_sse_parser_get_last_event_id (parser));
}

static void
decode (const char *data,
        gssize      len)
{
  g_autoptr(EaselUseapiStreamEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  event = easel_useapi_stream_event_parse (data, len, &error);
  if (event == NULL)
    {
      g_assert (g_error_matches (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE));
      return;
    }

  g_assert (event->name != NULL);
  g_assert (event->seq >= -1);
  if (event->kind == EASEL_USEAPI_EVENT_INITIALIZED)
    g_assert (event->job_id != NULL);
  if (event->kind >= EASEL_USEAPI_EVENT_CREATED && event->kind <= EASEL_USEAPI_EVENT_MODERATED)
    g_assert (event->job != NULL);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A critical (a failed precondition) is a finding too. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_auto(Run) whole = { NULL, };
  g_auto(Run) chunked = { NULL, };
  const guint8 *chunks;
  const char *stream;
  gsize max_event_size;
  gsize n_chunks;
  gsize len;

  if (size < 2)
    return 0;

  max_event_size = (gsize) 16 << (data[0] % 8);
  n_chunks = MIN ((gsize) data[1] % 16, size - 2);
  chunks = data + 2;
  stream = (const char *) data + 2 + n_chunks;
  len = size - 2 - n_chunks;

  run_parser (stream, len, max_event_size, NULL, 0, &whole);
  run_parser (stream, len, max_event_size, chunks, n_chunks, &chunked);

  if (whole.error_code != chunked.error_code ||
      whole.finished != chunked.finished ||
      whole.retry != chunked.retry ||
      g_strcmp0 (whole.last_event_id, chunked.last_event_id) != 0 ||
      whole.events->len != chunked.events->len)
    abort ();

  for (guint i = 0; i < whole.events->len; i++)
    {
      EaselSseEvent *a = g_ptr_array_index (whole.events, i);
      EaselSseEvent *b = g_ptr_array_index (chunked.events, i);

      if (g_strcmp0 (a->type, b->type) != 0 ||
          g_strcmp0 (a->data, b->data) != 0 ||
          g_strcmp0 (a->id, b->id) != 0)
        abort ();

      /* What the parser returns is UTF-8 without NULs, and never larger
       * than the limit. */
      g_assert (g_utf8_validate (a->data, -1, NULL));
      g_assert (strlen (a->data) <= max_event_size);
      decode (a->data, -1);
    }

  decode (stream, len);
  return 0;
}
