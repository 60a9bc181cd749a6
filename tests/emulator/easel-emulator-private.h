/* easel-emulator-private.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the emulator's source files share: the instance structure, the
 * request pipeline (replies, errors, SSE streams, body parsing), the
 * emulator clock, the fault engine and the image renderer. Each API family
 * lives in its own file and contributes a route table.
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "easel-emulator.h"

G_BEGIN_DECLS

typedef enum
{
  EMU_API_NONE,          /* the emulator's own paths (stats, fake CDNs) */
  EMU_API_REPLICATE,
  EMU_API_USEAPI,
  EMU_API_OPENROUTER,
} EmuApi;

/* ---- Faults (easel-emulator-faults.c) ---------------------------------- */

typedef enum
{
  EMU_POST_NONE,
  EMU_POST_DROP,         /* headers + part of the body, then the socket closes */
  EMU_POST_TRUNCATE,     /* a complete response whose JSON is cut short */
  EMU_POST_MALFORMED,    /* a complete response that is not valid JSON */
} EmuPostFault;

/* What the fault rules decided for one request. */
typedef struct
{
  guint        status;       /* 0, or an error status that replaces the reply */
  int          retry_after;  /* seconds for Retry-After, or -1 for none */
  EmuPostFault post;
  guint        latency_ms;   /* added before the request is handled */
  guint        slow_sse_ms;  /* minimum gap between SSE events */
} EmuFaultOutcome;

typedef struct _EmuFaults EmuFaults;

EmuFaults *emu_faults_parse    (const char       *spec,
                                GError          **error);
void       emu_faults_free     (EmuFaults        *faults);
void       emu_faults_evaluate (EmuFaults        *faults,
                                const char       *method,
                                const char       *path,
                                const char       *template,
                                EmuFaultOutcome  *outcome);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EmuFaults, emu_faults_free)

/* ---- Images (easel-emulator-png.c) ------------------------------------- */

typedef enum
{
  EMU_IMAGE_PNG,
  EMU_IMAGE_JPEG,
} EmuImageFormat;

#define EMU_MAX_SIDE 512

void        emu_image_fit     (guint           nominal_width,
                               guint           nominal_height,
                               guint          *width,
                               guint          *height);
GdkPixbuf  *emu_image_draw    (const char     *key,
                               guint           variant,
                               guint           width,
                               guint           height);
GdkPixbuf  *emu_image_draw_grid (const char   *key,
                                 guint         width,
                                 guint         height);
GBytes     *emu_image_encode  (GdkPixbuf      *pixbuf,
                               EmuImageFormat  format);
const char *emu_image_mime    (EmuImageFormat  format);
guint64     emu_hash64        (const char     *text,
                               guint64         salt);

/* ---- Requests ----------------------------------------------------------- */

typedef struct _EmuRequest EmuRequest;
typedef struct _EmuStream EmuStream;

typedef void (*EmuHandler) (EaselEmulator *self,
                            EmuRequest    *req);

typedef struct
{
  const char *method;
  const char *template;      /* "/v1/predictions/{id}": {x} matches one segment */
  EmuApi      api;
  gboolean    open;          /* no Authorization needed (the fake CDNs) */
  EmuHandler  handler;
} EmuRoute;

struct _EmuRequest
{
  EaselEmulator     *self;
  SoupServerMessage *msg;
  const EmuRoute    *route;
  EmuApi             api;
  const char        *method;     /* interned by libsoup */
  char              *path;
  char              *key;        /* "METHOD /template", the statistics key */
  GStrv              params;     /* decoded {placeholder} values, in order */
  GHashTable        *query;      /* decoded query, or NULL */
  char              *token;
  EmuFaultOutcome    fault;
  EmuStream         *stream;
  GDestroyNotify     detach;     /* told when the exchange ends (client gone) */
  gpointer           detach_data;
  gulong             finished_id;
  guint              replied : 1;
  guint              paused : 1;
  guint              closed : 1;
};

typedef struct
{
  JsonObject *fields;            /* JSON body, or the text parts of a form */
  GHashTable *files;             /* part name -> EmuFormFile */
} EmuForm;

typedef struct
{
  char   *filename;
  char   *content_type;
  GBytes *bytes;
} EmuFormFile;

/* ---- The instance ------------------------------------------------------- */

typedef struct _EmuReplicate EmuReplicate;
typedef struct _EmuUseapi EmuUseapi;

typedef void (*EmuTimerFunc) (EaselEmulator *self,
                              gpointer       data);

struct _EaselEmulator
{
  GObject       parent_instance;

  SoupServer   *server;
  GMainContext *context;
  char         *origin;

  guint         queued_ms;
  guint         running_ms;
  guint         latency_min_ms;
  guint         latency_max_ms;
  guint         page_size;
  guint         output_ttl_s;
  gboolean      verbose;

  /* The emulator clock: real time, or frozen and moved by advance(). */
  gboolean      manual_clock;
  gint64        clock_base_ms;
  gint64        mono_base_us;
  gint64        wall_base_us;
  GSequence    *timers;          /* EmuTimer, ordered by due time */
  GHashTable   *timer_ids;       /* id -> GSequenceIter */
  guint         next_timer_id;
  GSource      *timer_source;

  GHashTable   *sources;         /* real-time GSources we own: id -> GSource */
  guint         next_source_id;

  GRand        *rand;            /* ids, default seeds, latency */
  EmuFaults    *faults;
  char          hmac_key[33];    /* signs the fake Discord links */

  GHashTable   *requests;        /* "METHOD /template" -> count */
  GHashTable   *submits;
  guint         total_requests;
  GHashTable   *live;            /* EmuRequest set */

  EmuReplicate *replicate;
  EmuUseapi    *useapi;
  double        openrouter_usage;   /* credits spent, for GET /api/v1/key */
};

extern const EmuRoute emu_replicate_routes[];
extern const EmuRoute emu_useapi_routes[];
extern const EmuRoute emu_openrouter_routes[];

EmuReplicate *emu_replicate_new   (EaselEmulator *self);
void          emu_replicate_free  (EmuReplicate  *state);
EmuUseapi    *emu_useapi_new      (EaselEmulator *self);
void          emu_useapi_free     (EmuUseapi     *state);
void          emu_useapi_add_channel (EaselEmulator *self,
                                      const char    *channel,
                                      guint          max_jobs,
                                      guint          max_image_jobs,
                                      guint          max_video_jobs);

/* ---- Clock and timers (easel-emulator.c) -------------------------------- */

gint64  emu_now_ms          (EaselEmulator *self);
char   *emu_format_time     (EaselEmulator *self,
                             gint64         at_ms,
                             guint          fraction_digits);
char   *emu_format_clock    (EaselEmulator *self,
                             gint64         at_ms);
gint64  emu_wall_seconds    (EaselEmulator *self,
                             gint64         at_ms);
gint64  emu_wall_ms         (EaselEmulator *self,
                             gint64         at_ms);
guint   emu_clock_schedule  (EaselEmulator *self,
                             guint64        delay_ms,
                             EmuTimerFunc   func,
                             gpointer       data);
void    emu_clock_cancel    (EaselEmulator *self,
                             guint         *id);
guint   emu_timeout_add     (EaselEmulator *self,
                             guint          delay_ms,
                             GSourceFunc    func,
                             gpointer       data);
void    emu_timeout_remove  (EaselEmulator *self,
                             guint         *id);
char   *emu_random_id       (EaselEmulator *self,
                             const char    *alphabet,
                             guint          length);
char   *emu_uuid            (EaselEmulator *self);
char   *emu_url             (EaselEmulator *self,
                             const char    *format,
                             ...) G_GNUC_PRINTF (2, 3);
char   *emu_escape_segment  (const char    *segment);

/* ---- Request pipeline (easel-emulator.c) -------------------------------- */

const char *emu_request_header    (EmuRequest  *req,
                                   const char  *name);
const char *emu_request_query     (EmuRequest  *req,
                                   const char  *name);
GBytes     *emu_request_body      (EmuRequest  *req);
JsonObject *emu_request_json      (EmuRequest  *req,
                                   GError     **error);
EmuForm    *emu_request_form      (EmuRequest  *req,
                                   GError     **error);
void        emu_form_free         (EmuForm     *form);
const char *emu_form_string       (EmuForm     *form,
                                   const char  *name);
gboolean    emu_form_boolean      (EmuForm     *form,
                                   const char  *name,
                                   gboolean     fallback);
gboolean    emu_form_has          (EmuForm     *form,
                                   const char  *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EmuForm, emu_form_free)

void        emu_count_submit      (EmuRequest  *req);
void        emu_set_header        (EmuRequest  *req,
                                   const char  *name,
                                   const char  *value);
void        emu_reply_bytes       (EmuRequest  *req,
                                   guint        status,
                                   const char  *content_type,
                                   GBytes      *body);
void        emu_reply_json        (EmuRequest  *req,
                                   guint        status,
                                   JsonNode    *node);
void        emu_reply_object      (EmuRequest  *req,
                                   guint        status,
                                   JsonObject  *object);
void        emu_reply_empty       (EmuRequest  *req,
                                   guint        status);
void        emu_reply_text        (EmuRequest  *req,
                                   guint        status,
                                   const char  *text);
void        emu_reply_error       (EmuRequest  *req,
                                   guint        status,
                                   const char  *format,
                                   ...) G_GNUC_PRINTF (3, 4);
void        emu_request_on_detach (EmuRequest    *req,
                                   GDestroyNotify detach,
                                   gpointer       data);

/* Server-sent events on a chunked response. Each request has at most one
 * stream; it lives as long as the request. */
EmuStream  *emu_stream_begin      (EmuRequest  *req,
                                   guint        gap_ms);
void        emu_stream_data       (EmuStream   *stream,
                                   const char  *json);
void        emu_stream_comment    (EmuStream   *stream,
                                   const char  *comment);
void        emu_stream_keepalive  (EmuStream   *stream,
                                   guint        every_ms,
                                   const char  *comment);
void        emu_stream_end        (EmuStream   *stream);

/* ---- JSON helpers ------------------------------------------------------- */

char       *emu_json_to_string    (JsonNode    *node);
const char *emu_json_get_string   (JsonObject  *object,
                                   const char  *member);
gboolean    emu_json_get_int      (JsonObject  *object,
                                   const char  *member,
                                   gint64      *value);
gboolean    emu_json_get_boolean  (JsonObject  *object,
                                   const char  *member,
                                   gboolean     fallback);
JsonNode   *emu_json_object_node  (JsonObject  *object);

/* Marker words that prompts can carry (documented in --help). */
#define EMU_MARK_MODERATE "moderate-me"
#define EMU_MARK_CAPTCHA  "captcha-me"
#define EMU_MARK_FAIL     "fail-me"
#define EMU_MARK_CHATTY   "chatty-me"
#define EMU_MARK_RAMBLE   "ramble-me"
#define EMU_MARK_EMPTY    "empty-me"

gboolean    emu_has_marker        (const char  *text,
                                   const char  *marker);

G_END_DECLS
