/* easel-sse-parser.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * EaselSseEvent:
 * @type: the event type; "message" when the stream named none
 * @data: the data lines of the event joined with "\n"
 * @id: (nullable): the last event ID the stream set, or %NULL
 *
 * One event of a `text/event-stream`.
 */
typedef struct
{
  char *type;
  char *data;
  char *id;
} EaselSseEvent;

void easel_sse_event_free (EaselSseEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselSseEvent, easel_sse_event_free)

typedef struct _EaselSseParser EaselSseParser;

EaselSseParser *easel_sse_parser_new       (gsize            max_event_size);
void            easel_sse_parser_free      (EaselSseParser  *self);
gboolean        easel_sse_parser_feed      (EaselSseParser  *self,
                                            const char      *data,
                                            gsize            len,
                                            GError         **error);
gboolean        easel_sse_parser_next      (EaselSseParser  *self,
                                            EaselSseEvent  **out_event);
gboolean        easel_sse_parser_finish    (EaselSseParser  *self,
                                            GError         **error);
gint64          easel_sse_parser_get_retry (EaselSseParser  *self);
const char     *easel_sse_parser_get_last_event_id (EaselSseParser *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselSseParser, easel_sse_parser_free)

/**
 * EaselUseapiEventKind:
 * @EASEL_USEAPI_EVENT_UNKNOWN: an event name this version of Easel does not know
 * @EASEL_USEAPI_EVENT_INITIALIZED: the stream is open; carries the job ID
 * @EASEL_USEAPI_EVENT_CREATED: `midjourney_created`
 * @EASEL_USEAPI_EVENT_STARTED: `midjourney_started`
 * @EASEL_USEAPI_EVENT_PROGRESS: `midjourney_progress`
 * @EASEL_USEAPI_EVENT_COMPLETED: `midjourney_completed`
 * @EASEL_USEAPI_EVENT_FAILED: `midjourney_failed`
 * @EASEL_USEAPI_EVENT_MODERATED: `midjourney_moderated`
 * @EASEL_USEAPI_EVENT_ERROR: the generic `error` event
 *
 * The events of a UseAPI v3 Midjourney stream.
 */
typedef enum
{
  EASEL_USEAPI_EVENT_UNKNOWN,
  EASEL_USEAPI_EVENT_INITIALIZED,
  EASEL_USEAPI_EVENT_CREATED,
  EASEL_USEAPI_EVENT_STARTED,
  EASEL_USEAPI_EVENT_PROGRESS,
  EASEL_USEAPI_EVENT_COMPLETED,
  EASEL_USEAPI_EVENT_FAILED,
  EASEL_USEAPI_EVENT_MODERATED,
  EASEL_USEAPI_EVENT_ERROR,
} EaselUseapiEventKind;

/**
 * EaselUseapiStreamEvent:
 * @kind: what the event is
 * @name: the event name as sent, also for unknown events
 * @seq: the per-stream sequence number, or -1 when absent
 * @job_id: (nullable): the job ID of an `initialized` event
 * @message: (nullable): the `message` text, or for an `error` event its
 *   `error` text when it has no message
 * @job: (nullable): the job object (the shape of `GET /jobs/{jobid}`)
 *
 * The decoded `data` of one UseAPI v3 stream event. The job object is not
 * checked here beyond being an object; the job parser does that.
 */
typedef struct
{
  EaselUseapiEventKind  kind;
  char                 *name;
  gint64                seq;
  char                 *job_id;
  char                 *message;
  JsonObject           *job;
} EaselUseapiStreamEvent;

EaselUseapiStreamEvent *easel_useapi_stream_event_parse (const char             *data,
                                                         gssize                  length,
                                                         GError                **error);
void                    easel_useapi_stream_event_free  (EaselUseapiStreamEvent *event);
gboolean                easel_useapi_event_kind_is_terminal (EaselUseapiEventKind kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselUseapiStreamEvent, easel_useapi_stream_event_free)

G_END_DECLS
