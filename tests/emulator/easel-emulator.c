/* easel-emulator.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The local provider emulator: one SoupServer that answers the Replicate,
 * UseAPI Midjourney v3 and OpenRouter APIs under their real paths, so that
 * the real provider code can be tested, benchmarked and demonstrated
 * offline. providers.md is the specification; where the emulator has to
 * guess (the document says UNCONFIRMED), the guess is marked in a comment.
 *
 * This file holds what the API families share:
 *
 *  - the request pipeline: route -> count -> faults -> latency -> auth ->
 *    handler. Every reply goes through emu_reply_bytes() or an SSE stream,
 *    which is where "after processing" faults (dropped connections,
 *    truncated or malformed bodies) are applied, so a faulty POST still
 *    creates its job, exactly the ambiguous case clients must reconcile.
 *
 *  - the emulator clock. Job lifecycles, Cancel-After deadlines,
 *    Prefer: wait timeouts and output expiry run on it. It follows real
 *    time, or, with easel_emulator_set_manual_clock(), stands still until
 *    easel_emulator_advance() moves it, which fires every due timer in
 *    order. Network behaviour (latency, SSE pacing, keep-alives) always
 *    uses real time.
 *
 *  - request bookkeeping. An EmuRequest lives from the handler call until
 *    libsoup reports the exchange finished (or the connection was stolen
 *    to drop it); families that keep a request waiting (Prefer: wait, SSE)
 *    register a detach callback to forget it when the client goes away.
 */

#include "config.h"

#include "easel-emulator-private.h"

#include <stdarg.h>
#include <string.h>

struct _EmuStream
{
  EmuRequest *req;
  GQueue      queue;           /* char *, SSE text to write */
  guint       gap_ms;
  guint       gap_id;
  guint       keepalive_id;
  char       *keepalive_comment;
  guint       n_data;          /* data events handed to libsoup */
  guint       n_appended;      /* chunks handed to libsoup */
  guint       n_written;       /* chunks libsoup has written */
  guint       drop_at_chunk;   /* drop the connection once this many are written */
  char       *drop_text;       /* the event the connection dies in */
  guint       drop_idle_id;
  gulong      wrote_chunk_id;
  guint       ending : 1;
  guint       ended : 1;
};

typedef struct
{
  guint        id;
  gint64       due_ms;
  EmuTimerFunc func;
  gpointer     data;
} EmuTimer;

typedef struct
{
  EaselEmulator *self;
  guint          id;
  GSourceFunc    func;
  gpointer       data;
} EmuTracked;

G_DEFINE_FINAL_TYPE (EaselEmulator, easel_emulator, G_TYPE_OBJECT)

G_DEFINE_QUARK (easel-emulator-error-quark, easel_emulator_error)

static void handle_request (EaselEmulator *self,
                            EmuRequest    *req);
static void request_close  (EmuRequest    *req);
static void stream_pump    (EmuStream     *stream);

static void stats_handler  (EaselEmulator *self,
                            EmuRequest    *req);
static void faults_handler (EaselEmulator *self,
                            EmuRequest    *req);
static void reset_handler  (EaselEmulator *self,
                            EmuRequest    *req);

static const EmuRoute core_routes[] = {
  { "GET", "/_emulator/stats", EMU_API_NONE, TRUE, stats_handler },
  { "POST", "/_emulator/faults", EMU_API_NONE, TRUE, faults_handler },
  { "POST", "/_emulator/reset", EMU_API_NONE, TRUE, reset_handler },
  { NULL }
};

/* ---- Clock ------------------------------------------------------------- */

gint64
emu_now_ms (EaselEmulator *self)
{
  if (self->manual_clock)
    return self->clock_base_ms;
  return self->clock_base_ms + (g_get_monotonic_time () - self->mono_base_us) / 1000;
}

static gint64
wall_us (EaselEmulator *self,
         gint64         at_ms)
{
  return self->wall_base_us + at_ms * 1000;
}

gint64
emu_wall_seconds (EaselEmulator *self,
                  gint64         at_ms)
{
  return wall_us (self, at_ms) / G_USEC_PER_SEC;
}

gint64
emu_wall_ms (EaselEmulator *self,
             gint64         at_ms)
{
  return wall_us (self, at_ms) / 1000;
}

/* "2026-01-01T09:30:15.123Z" (3 digits, UseAPI) or ".123456Z" (6, Replicate). */
char *
emu_format_time (EaselEmulator *self,
                 gint64         at_ms,
                 guint          fraction_digits)
{
  gint64 us = wall_us (self, at_ms);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autofree char *base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  guint fraction = us % G_USEC_PER_SEC;

  if (fraction_digits == 3)
    return g_strdup_printf ("%s.%03uZ", base, fraction / 1000);
  return g_strdup_printf ("%s.%06uZ", base, fraction);
}

/* "HH:MM:SS.mmm", the time of day UseAPI puts into SSE events. */
char *
emu_format_clock (EaselEmulator *self,
                  gint64         at_ms)
{
  gint64 us = wall_us (self, at_ms);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autofree char *base = g_date_time_format (dt, "%H:%M:%S");

  return g_strdup_printf ("%s.%03u", base, (guint) ((us % G_USEC_PER_SEC) / 1000));
}

static int
timer_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const EmuTimer *ta = a;
  const EmuTimer *tb = b;

  if (ta->due_ms != tb->due_ms)
    return ta->due_ms < tb->due_ms ? -1 : 1;
  return ta->id < tb->id ? -1 : ta->id > tb->id;
}

static void clock_rearm (EaselEmulator *self);

static void
clock_run_due (EaselEmulator *self,
               gint64         until_ms)
{
  for (;;)
    {
      GSequenceIter *first = g_sequence_get_begin_iter (self->timers);
      EmuTimer *timer;
      EmuTimerFunc func;
      gpointer data;

      if (g_sequence_iter_is_end (first))
        break;
      timer = g_sequence_get (first);
      if (timer->due_ms > until_ms)
        break;

      func = timer->func;
      data = timer->data;
      if (self->manual_clock)
        self->clock_base_ms = MAX (self->clock_base_ms, timer->due_ms);
      g_hash_table_remove (self->timer_ids, GUINT_TO_POINTER (timer->id));
      g_sequence_remove (first);
      func (self, data);
    }
}

static gboolean
clock_source_cb (gpointer user_data)
{
  EaselEmulator *self = user_data;

  g_clear_pointer (&self->timer_source, g_source_unref);
  clock_run_due (self, emu_now_ms (self));
  clock_rearm (self);
  return G_SOURCE_REMOVE;
}

static void
clock_rearm (EaselEmulator *self)
{
  GSequenceIter *first;
  EmuTimer *timer;
  gint64 delay;

  if (self->timer_source != NULL)
    {
      g_source_destroy (self->timer_source);
      g_clear_pointer (&self->timer_source, g_source_unref);
    }

  if (self->manual_clock)
    return;

  first = g_sequence_get_begin_iter (self->timers);
  if (g_sequence_iter_is_end (first))
    return;

  timer = g_sequence_get (first);
  delay = CLAMP (timer->due_ms - emu_now_ms (self), 0, G_MAXUINT);
  self->timer_source = g_timeout_source_new ((guint) delay);
  g_source_set_name (self->timer_source, "[easel-emulator] clock");
  g_source_set_callback (self->timer_source, clock_source_cb, self, NULL);
  g_source_attach (self->timer_source, self->context);
}

/* Runs @func after @delay_ms of emulator time. */
guint
emu_clock_schedule (EaselEmulator *self,
                    guint64        delay_ms,
                    EmuTimerFunc   func,
                    gpointer       data)
{
  EmuTimer *timer = g_new0 (EmuTimer, 1);
  GSequenceIter *iter;

  timer->id = ++self->next_timer_id;
  timer->due_ms = emu_now_ms (self) + (gint64) MIN (delay_ms, (guint64) G_MAXINT64 / 4);
  timer->func = func;
  timer->data = data;

  iter = g_sequence_insert_sorted (self->timers, timer, timer_compare, NULL);
  g_hash_table_insert (self->timer_ids, GUINT_TO_POINTER (timer->id), iter);
  clock_rearm (self);

  return timer->id;
}

void
emu_clock_cancel (EaselEmulator *self,
                  guint         *id)
{
  GSequenceIter *iter;

  if (*id == 0)
    return;

  iter = g_hash_table_lookup (self->timer_ids, GUINT_TO_POINTER (*id));
  if (iter != NULL)
    {
      g_hash_table_remove (self->timer_ids, GUINT_TO_POINTER (*id));
      g_sequence_remove (iter);
    }
  *id = 0;
}

/* ---- Real-time sources we own, so dispose can remove them all ---------- */

static gboolean
tracked_cb (gpointer user_data)
{
  EmuTracked *tracked = user_data;

  if (tracked->func (tracked->data))
    return G_SOURCE_CONTINUE;

  /* The callback data stays alive until this dispatch returns. */
  g_hash_table_remove (tracked->self->sources, GUINT_TO_POINTER (tracked->id));
  return G_SOURCE_REMOVE;
}

guint
emu_timeout_add (EaselEmulator *self,
                 guint          delay_ms,
                 GSourceFunc    func,
                 gpointer       data)
{
  GSource *source = g_timeout_source_new (delay_ms);
  EmuTracked *tracked = g_new0 (EmuTracked, 1);

  tracked->self = self;
  tracked->id = ++self->next_source_id;
  tracked->func = func;
  tracked->data = data;

  g_source_set_name (source, "[easel-emulator] timeout");
  g_source_set_callback (source, tracked_cb, tracked, g_free);
  g_source_attach (source, self->context);
  g_hash_table_insert (self->sources, GUINT_TO_POINTER (tracked->id), source);

  return tracked->id;
}

void
emu_timeout_remove (EaselEmulator *self,
                    guint         *id)
{
  if (*id != 0)
    g_hash_table_remove (self->sources, GUINT_TO_POINTER (*id));
  *id = 0;
}

static void
source_destroy (gpointer data)
{
  GSource *source = data;

  g_source_destroy (source);
  g_source_unref (source);
}

/* ---- Small helpers ------------------------------------------------------ */

char *
emu_random_id (EaselEmulator *self,
               const char    *alphabet,
               guint          length)
{
  gsize n = strlen (alphabet);
  char *id = g_malloc (length + 1);

  for (guint i = 0; i < length; i++)
    id[i] = alphabet[g_rand_int_range (self->rand, 0, (gint32) n)];
  id[length] = '\0';
  return id;
}

/* A version-4-looking UUID from the emulator's seeded generator. */
char *
emu_uuid (EaselEmulator *self)
{
  g_autofree char *hex = emu_random_id (self, "0123456789abcdef", 32);

  hex[12] = '4';
  hex[16] = "89ab"[g_rand_int_range (self->rand, 0, 4)];
  return g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

char *
emu_url (EaselEmulator *self,
         const char    *format,
         ...)
{
  g_autofree char *path = NULL;
  va_list args;

  va_start (args, format);
  path = g_strdup_vprintf (format, args);
  va_end (args);

  return g_strconcat (self->origin ? self->origin : "http://127.0.0.1", path, NULL);
}

char *
emu_escape_segment (const char *segment)
{
  return g_uri_escape_string (segment, ":@", FALSE);
}

gboolean
emu_has_marker (const char *text,
                const char *marker)
{
  g_autofree char *lower = NULL;

  if (text == NULL)
    return FALSE;
  lower = g_ascii_strdown (text, -1);
  return strstr (lower, marker) != NULL;
}

char *
emu_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

const char *
emu_json_get_string (JsonObject *object,
                     const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
emu_json_get_int (JsonObject *object,
                  const char *member,
                  gint64     *value)
{
  JsonNode *node;
  GType type;

  if (object == NULL || !json_object_has_member (object, member))
    return FALSE;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (d != (double) (gint64) d)
        return FALSE;
      *value = (gint64) d;
      return TRUE;
    }
  return FALSE;
}

/* A boolean, also when it came as text from a form ("true", "1", …). */
gboolean
emu_json_get_boolean (JsonObject *object,
                      const char *member,
                      gboolean    fallback)
{
  JsonNode *node;
  const char *text;

  if (object == NULL || !json_object_has_member (object, member))
    return fallback;
  node = json_object_get_member (object, member);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);

  text = emu_json_get_string (object, member);
  if (g_strcmp0 (text, "true") == 0 || g_strcmp0 (text, "1") == 0)
    return TRUE;
  if (g_strcmp0 (text, "false") == 0 || g_strcmp0 (text, "0") == 0)
    return FALSE;
  return fallback;
}

JsonNode *
emu_json_object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

/* ---- Request bodies ----------------------------------------------------- */

const char *
emu_request_header (EmuRequest *req,
                    const char *name)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg), name);
}

const char *
emu_request_query (EmuRequest *req,
                   const char *name)
{
  if (req->query == NULL)
    return NULL;
  return g_hash_table_lookup (req->query, name);
}

GBytes *
emu_request_body (EmuRequest *req)
{
  return soup_message_body_flatten (soup_server_message_get_request_body (req->msg));
}

JsonObject *
emu_request_json (EmuRequest  *req,
                  GError     **error)
{
  g_autoptr(GBytes) body = emu_request_body (req);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data = g_bytes_get_data (body, &length);
  JsonNode *root;

  if (length == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The request body is empty");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The request body is not a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static void
form_file_free (gpointer data)
{
  EmuFormFile *file = data;

  g_free (file->filename);
  g_free (file->content_type);
  g_bytes_unref (file->bytes);
  g_free (file);
}

void
emu_form_free (EmuForm *form)
{
  g_clear_pointer (&form->fields, json_object_unref);
  g_clear_pointer (&form->files, g_hash_table_unref);
  g_free (form);
}

static gboolean
form_add_multipart (EmuForm     *form,
                    EmuRequest  *req,
                    GBytes      *body,
                    GError     **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  g_autoptr(SoupMultipart) multipart = soup_multipart_new_from_message (headers, body);

  if (multipart == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The multipart body could not be parsed");
      return FALSE;
    }

  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part_headers;
      GBytes *part_body;
      g_autofree char *disposition = NULL;
      g_autoptr(GHashTable) params = NULL;
      const char *name;
      const char *filename;
      const char *content_type;

      if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body))
        continue;
      if (!soup_message_headers_get_content_disposition (part_headers, &disposition, &params))
        continue;
      name = g_hash_table_lookup (params, "name");
      if (name == NULL)
        continue;

      filename = g_hash_table_lookup (params, "filename");
      content_type = soup_message_headers_get_content_type (part_headers, NULL);
      if (filename != NULL ||
          (content_type != NULL && !g_str_has_prefix (content_type, "text/plain")))
        {
          EmuFormFile *file = g_new0 (EmuFormFile, 1);

          file->filename = g_strdup (filename);
          file->content_type = g_strdup (content_type ? content_type : "application/octet-stream");
          file->bytes = g_bytes_ref (part_body);
          g_hash_table_replace (form->files, g_strdup (name), file);
        }
      else
        {
          gsize length;
          const char *data = g_bytes_get_data (part_body, &length);
          g_autofree char *text = g_strndup (data, length);

          json_object_set_string_member (form->fields, name, text);
        }
    }
  return TRUE;
}

/* A request's parameters, whether sent as JSON, as multipart/form-data
 * (UseAPI v3 accepts both; blobs need multipart) or URL-encoded. */
EmuForm *
emu_request_form (EmuRequest  *req,
                  GError     **error)
{
  g_autoptr(EmuForm) form = g_new0 (EmuForm, 1);
  g_autoptr(GBytes) body = emu_request_body (req);
  const char *content_type;

  form->fields = json_object_new ();
  form->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, form_file_free);

  content_type = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (req->msg), NULL);

  if (g_bytes_get_size (body) == 0)
    return g_steal_pointer (&form);

  if (content_type != NULL && g_ascii_strcasecmp (content_type, "multipart/form-data") == 0)
    {
      if (!form_add_multipart (form, req, body, error))
        return NULL;
    }
  /* A JSON body sent with curl's default form type is still taken as JSON. */
  else if (content_type != NULL &&
           g_ascii_strcasecmp (content_type, "application/x-www-form-urlencoded") == 0 &&
           ((const char *) g_bytes_get_data (body, NULL))[0] != '{')
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_autoptr(GHashTable) fields = soup_form_decode (text);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, fields);
      while (g_hash_table_iter_next (&iter, &key, &value))
        json_object_set_string_member (form->fields, key, value);
    }
  else
    {
      JsonObject *object = emu_request_json (req, error);

      if (object == NULL)
        return NULL;
      json_object_unref (form->fields);
      form->fields = object;
    }

  return g_steal_pointer (&form);
}

const char *
emu_form_string (EmuForm    *form,
                 const char *name)
{
  return emu_json_get_string (form->fields, name);
}

gboolean
emu_form_has (EmuForm    *form,
              const char *name)
{
  return json_object_has_member (form->fields, name) ||
         g_hash_table_contains (form->files, name);
}

gboolean
emu_form_boolean (EmuForm    *form,
                  const char *name,
                  gboolean    fallback)
{
  return emu_json_get_boolean (form->fields, name, fallback);
}

/* ---- Replies ------------------------------------------------------------ */

static const char *
reason_phrase (guint status)
{
  /* Non-standard codes the providers use. */
  if (status == 596)
    return "Pending Moderation";
  return soup_status_get_phrase (status);
}

void
emu_set_header (EmuRequest *req,
                const char *name,
                const char *value)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), name, value);
}

typedef struct
{
  GIOStream *stream;
  GBytes    *bytes;
} DropData;

static void
drop_closed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
}

static void
drop_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DropData *data = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_io_stream_close_async (data->stream, G_PRIORITY_DEFAULT, NULL, drop_closed_cb, NULL);
  g_object_unref (data->stream);
  g_bytes_unref (data->bytes);
  g_free (data);
}

static void
append_header_cb (const char *name,
                  const char *value,
                  gpointer    user_data)
{
  g_string_append_printf (user_data, "%s: %s\r\n", name, value);
}

/* Writes @bytes on a connection taken from libsoup, then closes it. */
static void
write_and_close (GIOStream *stream,
                 GBytes    *bytes)
{
  DropData *data = g_new0 (DropData, 1);

  data->stream = stream;
  data->bytes = bytes;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, NULL, drop_written_cb, data);
}

/* Writes the head of a response and part of its body on the raw socket,
 * then closes it: the client sees a connection that died mid-body. */
static void
drop_connection (EmuRequest *req,
                 guint       status,
                 const char *content_type,
                 GBytes     *body)
{
  GString *raw = g_string_new (NULL);
  gsize length = body ? g_bytes_get_size (body) : 0;
  gsize keep = length / 2;

  g_string_append_printf (raw, "HTTP/1.1 %u %s\r\n", status, reason_phrase (status));
  soup_message_headers_foreach (soup_server_message_get_response_headers (req->msg),
                                append_header_cb, raw);
  if (content_type != NULL)
    g_string_append_printf (raw, "Content-Type: %s\r\n", content_type);
  /* No "Connection: close": the peer dies, it does not announce it (and
   * libsoup would then take the early EOF as the end of the body). */
  g_string_append_printf (raw, "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                          MAX (length, (gsize) 16));
  if (keep > 0)
    g_string_append_len (raw, g_bytes_get_data (body, NULL), keep);

  write_and_close (soup_server_message_steal_connection (req->msg), g_string_free_to_bytes (raw));
  request_close (req);
}

static GBytes *
truncate_bytes (GBytes *body)
{
  gsize length = g_bytes_get_size (body);

  return g_bytes_new_from_bytes (body, 0, length > 1 ? length / 2 : 0);
}

/* Still the right length and still text, but not JSON any more. */
static GBytes *
corrupt_bytes (GBytes *body)
{
  gsize length = g_bytes_get_size (body);
  const char *data = g_bytes_get_data (body, NULL);
  GString *out = g_string_new ("{'emulator': malformed, ");

  if (length > 1)
    g_string_append_len (out, data + 1, length - 1);
  return g_string_free_to_bytes (out);
}

void
emu_reply_bytes (EmuRequest *req,
                 guint       status,
                 const char *content_type,
                 GBytes     *body)
{
  g_autoptr(GBytes) payload = body ? g_bytes_ref (body) : NULL;
  SoupMessageHeaders *headers;

  g_return_if_fail (!req->replied);

  if (req->closed)
    return;
  req->replied = TRUE;

  switch (req->fault.post)
    {
    case EMU_POST_DROP:
      drop_connection (req, status, content_type, payload);
      return;
    case EMU_POST_TRUNCATE:
      if (payload != NULL)
        {
          GBytes *cut = truncate_bytes (payload);

          g_bytes_unref (payload);
          payload = cut;
        }
      break;
    case EMU_POST_MALFORMED:
      if (payload != NULL)
        {
          GBytes *bad = corrupt_bytes (payload);

          g_bytes_unref (payload);
          payload = bad;
        }
      break;
    case EMU_POST_NONE:
    default:
      break;
    }

  soup_server_message_set_status (req->msg, status, reason_phrase (status));
  headers = soup_server_message_get_response_headers (req->msg);
  if (content_type != NULL && payload != NULL)
    {
      soup_message_headers_replace (headers, "Content-Type", content_type);
      soup_message_body_append_bytes (soup_server_message_get_response_body (req->msg), payload);
    }

  if (req->paused)
    {
      req->paused = FALSE;
      soup_server_message_unpause (req->msg);
    }
}

void
emu_reply_json (EmuRequest *req,
                guint       status,
                JsonNode   *node)
{
  g_autofree char *text = emu_json_to_string (node);
  gsize length = strlen (text);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), length);

  json_node_unref (node);
  emu_reply_bytes (req, status, "application/json", bytes);
}

void
emu_reply_object (EmuRequest *req,
                  guint       status,
                  JsonObject *object)
{
  emu_reply_json (req, status, emu_json_object_node (object));
}

void
emu_reply_empty (EmuRequest *req,
                 guint       status)
{
  emu_reply_bytes (req, status, NULL, NULL);
}

void
emu_reply_text (EmuRequest *req,
                guint       status,
                const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  emu_reply_bytes (req, status, "text/plain; charset=utf-8", bytes);
}

static char *
default_error_message (EmuRequest *req,
                       guint       status)
{
  int retry = req->fault.retry_after >= 0 ? req->fault.retry_after : 30;

  switch (req->api)
    {
    case EMU_API_REPLICATE:
      switch (status)
        {
        case 401: return g_strdup ("You did not pass a valid authentication token");
        /* UNCONFIRMED: providers.md has no 402 body for Replicate; this is
         * the wording of Replicate's billing error as clients report it. */
        case 402: return g_strdup ("You have insufficient credit to run this model. "
                                   "Go to https://replicate.com/account/billing#billing "
                                   "to purchase credit. Once you purchase credit, please "
                                   "wait a few minutes before trying again.");
        case 404: return g_strdup ("Not found.");
        case 429: return g_strdup_printf ("Request was throttled. Your rate limit resets in ~%ds.",
                                          retry);
        default: break;
        }
      break;

    case EMU_API_USEAPI:
      switch (status)
        {
        case 401: return g_strdup ("Unauthorized");
        case 402: return g_strdup ("Account has no subscription or subscription expired");
        case 404: return g_strdup ("Not found");
        case 429: return g_strdup ("Too many requests, please retry later");
        default: break;
        }
      break;

    case EMU_API_OPENROUTER:
      switch (status)
        {
        case 401: return g_strdup (req->token ? "User not found." : "No auth credentials found");
        case 402: return g_strdup ("Insufficient credits. Add more using https://openrouter.ai/credits");
        case 429: return g_strdup ("Rate limit exceeded, please retry shortly");
        case 502: return g_strdup ("Provider returned error");
        case 503: return g_strdup ("No available model provider that meets your routing requirements");
        default: break;
        }
      break;

    case EMU_API_NONE:
    default:
      break;
    }

  return g_strdup (reason_phrase (status));
}

static const char *
replicate_title (guint status)
{
  switch (status)
    {
    case 401: return "Unauthenticated";
    case 402: return "Insufficient credit";
    default: return reason_phrase (status);
    }
}

/* An error in the shape of the request's API:
 *   Replicate   {"title": …, "detail": …, "status": n}  (404 and 429 without a title)
 *   UseAPI      {"error": …, "code": n}
 *   OpenRouter  {"error": {"code": n, "message": …}}
 * With a NULL @format, the API's usual wording for @status. */
void
emu_reply_error (EmuRequest *req,
                 guint       status,
                 const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  JsonObject *object = json_object_new ();

  if (format != NULL)
    {
      va_list args;

      va_start (args, format);
      message = g_strdup_vprintf (format, args);
      va_end (args);
    }
  else
    message = default_error_message (req, status);

  switch (req->api)
    {
    case EMU_API_REPLICATE:
      if (status != 404 && status != 429)
        json_object_set_string_member (object, "title", replicate_title (status));
      json_object_set_string_member (object, "detail", message);
      /* The documented 429 body carries the detail only. */
      if (status != 429)
        json_object_set_int_member (object, "status", status);
      break;

    case EMU_API_USEAPI:
      json_object_set_string_member (object, "error", message);
      json_object_set_int_member (object, "code", status);
      break;

    case EMU_API_OPENROUTER:
      {
        JsonObject *inner = json_object_new ();

        json_object_set_int_member (inner, "code", status);
        json_object_set_string_member (inner, "message", message);
        json_object_set_object_member (object, "error", inner);
      }
      break;

    case EMU_API_NONE:
    default:
      json_object_unref (object);
      emu_reply_text (req, status, message);
      return;
    }

  emu_reply_object (req, status, object);
}

void
emu_request_on_detach (EmuRequest    *req,
                       GDestroyNotify detach,
                       gpointer       data)
{
  req->detach = detach;
  req->detach_data = data;
}

void
emu_count_submit (EmuRequest *req)
{
  GHashTable *submits = req->self->submits;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (submits, req->key));

  g_hash_table_replace (submits, g_strdup (req->key), GUINT_TO_POINTER (n + 1));
}

/* ---- SSE streams -------------------------------------------------------- */

static void
stream_free (EmuStream *stream)
{
  EaselEmulator *self = stream->req->self;

  emu_timeout_remove (self, &stream->gap_id);
  emu_timeout_remove (self, &stream->keepalive_id);
  emu_timeout_remove (self, &stream->drop_idle_id);
  g_clear_signal_handler (&stream->wrote_chunk_id, stream->req->msg);
  g_queue_clear_full (&stream->queue, g_free);
  g_free (stream->keepalive_comment);
  g_free (stream->drop_text);
  g_free (stream);
}

/* Once everything before it is on the wire: a chunk header announcing the
 * whole event, half of it, and the connection dies mid-chunk (libsoup
 * takes an end of file between chunks as a clean end). The bytes go
 * straight to the socket, which is then shut down under libsoup: stealing
 * the connection would close the chunked encoder, which first writes a
 * proper end of body. */
static gboolean
stream_drop_cb (gpointer user_data)
{
  EmuStream *stream = user_data;
  GSocket *socket = soup_server_message_get_socket (stream->req->msg);
  gsize length = strlen (stream->drop_text);
  g_autofree char *raw = g_strdup_printf ("%" G_GSIZE_MODIFIER "x\r\n%.*s", length,
                                          (int) (length / 2), stream->drop_text);

  stream->drop_idle_id = 0;
  if (socket != NULL)
    {
      g_socket_send (socket, raw, strlen (raw), NULL, NULL);
      g_socket_shutdown (socket, TRUE, TRUE, NULL);
    }

  /* libsoup then fails to write the end of the body and finishes the
   * exchange, which detaches the request as for any client that left. */
  soup_message_body_complete (soup_server_message_get_response_body (stream->req->msg));
  soup_server_message_unpause (stream->req->msg);
  return G_SOURCE_REMOVE;
}

static void
stream_wrote_chunk_cb (SoupServerMessage *msg,
                       gpointer           user_data)
{
  EmuStream *stream = user_data;

  stream->n_written++;
  if (stream->drop_at_chunk > 0 && stream->n_written >= stream->drop_at_chunk &&
      stream->drop_idle_id == 0)
    stream->drop_idle_id = emu_timeout_add (stream->req->self, 0, stream_drop_cb, stream);
}

EmuStream *
emu_stream_begin (EmuRequest *req,
                  guint       gap_ms)
{
  EmuStream *stream;
  SoupMessageHeaders *headers;

  g_return_val_if_fail (!req->replied, NULL);
  g_return_val_if_fail (req->stream == NULL, NULL);

  stream = g_new0 (EmuStream, 1);
  stream->req = req;
  stream->gap_ms = MAX (gap_ms, req->fault.slow_sse_ms);
  g_queue_init (&stream->queue);
  req->stream = stream;
  req->replied = TRUE;

  headers = soup_server_message_get_response_headers (req->msg);
  soup_server_message_set_status (req->msg, 200, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_replace (headers, "Content-Type", "text/event-stream");
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_message_headers_replace (headers, "X-Accel-Buffering", "no");
  soup_message_body_set_accumulate (soup_server_message_get_response_body (req->msg), FALSE);

  stream->wrote_chunk_id = g_signal_connect (req->msg, "wrote-chunk",
                                             G_CALLBACK (stream_wrote_chunk_cb), stream);
  return stream;
}

static gboolean
stream_gap_cb (gpointer user_data)
{
  EmuStream *stream = user_data;

  stream->gap_id = 0;
  stream_pump (stream);
  return G_SOURCE_REMOVE;
}

static void
stream_append (EmuStream *stream,
               char      *text)
{
  SoupServerMessage *msg = stream->req->msg;

  soup_message_body_append (soup_server_message_get_response_body (msg),
                            SOUP_MEMORY_TAKE, text, strlen (text));
  stream->n_appended++;
  stream->req->paused = FALSE;
  soup_server_message_unpause (msg);
}

/* The second data event is where stream faults strike: the first one
 * (UseAPI's "initialized", OpenRouter's first delta) gets through. */
#define STREAM_FAULT_EVENT 2

static void
stream_pump (EmuStream *stream)
{
  EmuRequest *req = stream->req;

  while (!req->closed && stream->gap_id == 0 && stream->drop_at_chunk == 0)
    {
      char *text = g_queue_pop_head (&stream->queue);
      gboolean is_data;

      if (text == NULL)
        {
          if (stream->ending && !stream->ended)
            {
              stream->ended = TRUE;
              emu_timeout_remove (req->self, &stream->keepalive_id);
              soup_message_body_complete (soup_server_message_get_response_body (req->msg));
              soup_server_message_unpause (req->msg);
            }
          return;
        }

      is_data = g_str_has_prefix (text, "data:");
      if (is_data && stream->n_data + 1 == STREAM_FAULT_EVENT && req->fault.post != EMU_POST_NONE)
        {
          gsize length = strlen (text);

          switch (req->fault.post)
            {
            case EMU_POST_DROP:
              /* The connection dies in the middle of this event. */
              stream->drop_text = text;
              stream->drop_at_chunk = MAX (stream->n_appended, 1);
              if (stream->n_written >= stream->n_appended)
                stream->drop_idle_id = emu_timeout_add (req->self, 0, stream_drop_cb, stream);
              return;

            case EMU_POST_TRUNCATE:
              /* A cut event, then a clean end of stream. */
              {
                char *cut = g_strdup_printf ("%.*s\n\n", (int) (length / 2), text);

                g_free (text);
                text = cut;
                g_queue_clear_full (&stream->queue, g_free);
                stream->ending = TRUE;
              }
              break;

            case EMU_POST_MALFORMED:
              {
                char *bad = g_strdup_printf ("data: {'emulator': malformed, %s",
                                             text + strlen ("data: {"));

                g_free (text);
                text = bad;
              }
              break;

            case EMU_POST_NONE:
            default:
              break;
            }
        }

      stream_append (stream, text);
      if (is_data)
        {
          stream->n_data++;
          if (stream->gap_ms > 0)
            stream->gap_id = emu_timeout_add (req->self, stream->gap_ms, stream_gap_cb, stream);
        }
    }
}

void
emu_stream_data (EmuStream  *stream,
                 const char *json)
{
  if (stream->ending)
    return;
  g_queue_push_tail (&stream->queue, g_strdup_printf ("data: %s\n\n", json));
  stream_pump (stream);
}

void
emu_stream_comment (EmuStream  *stream,
                    const char *comment)
{
  if (stream->ending)
    return;
  g_queue_push_tail (&stream->queue, g_strdup_printf (": %s\n\n", comment));
  stream_pump (stream);
}

static gboolean
stream_keepalive_cb (gpointer user_data)
{
  EmuStream *stream = user_data;

  /* Only when the line is idle, like a proxy that pings quiet streams. */
  if (g_queue_is_empty (&stream->queue))
    emu_stream_comment (stream, stream->keepalive_comment);
  return G_SOURCE_CONTINUE;
}

void
emu_stream_keepalive (EmuStream  *stream,
                      guint       every_ms,
                      const char *comment)
{
  EaselEmulator *self = stream->req->self;

  emu_timeout_remove (self, &stream->keepalive_id);
  g_free (stream->keepalive_comment);
  stream->keepalive_comment = g_strdup (comment);
  stream->keepalive_id = emu_timeout_add (self, every_ms, stream_keepalive_cb, stream);
}

void
emu_stream_end (EmuStream *stream)
{
  stream->ending = TRUE;
  stream_pump (stream);
}

/* ---- Request lifecycle -------------------------------------------------- */

static void
emu_request_free (EmuRequest *req)
{
  g_clear_pointer (&req->stream, stream_free);
  g_clear_signal_handler (&req->finished_id, req->msg);
  g_clear_object (&req->msg);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->params, g_strfreev);
  g_free (req->path);
  g_free (req->key);
  g_free (req->token);
  g_free (req);
}

/* The exchange is over: libsoup finished it, or we stole the socket. */
static void
request_close (EmuRequest *req)
{
  GDestroyNotify detach = req->detach;

  if (req->closed)
    return;
  req->closed = TRUE;
  req->detach = NULL;

  if (detach != NULL)
    detach (req->detach_data);

  /* Frees @req. */
  g_hash_table_remove (req->self->live, req);
}

static void
request_finished_cb (SoupServerMessage *msg,
                     gpointer           user_data)
{
  EmuRequest *req = user_data;

  if (req->self->verbose)
    g_printerr ("%s %s -> %u\n", req->method, req->path, soup_server_message_get_status (msg));
  request_close (req);
}

/* ---- Routing ------------------------------------------------------------ */

static gboolean
route_match (const EmuRoute  *route,
             GStrv            segments,
             GStrv           *params)
{
  g_auto(GStrv) parts = g_strsplit (route->template, "/", -1);
  g_autoptr(GPtrArray) captured = NULL;

  if (g_strv_length (parts) != g_strv_length (segments))
    return FALSE;

  captured = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '{')
        {
          if (segments[i][0] == '\0')
            return FALSE;
          g_ptr_array_add (captured, g_strdup (segments[i]));
        }
      else if (!g_str_equal (parts[i], segments[i]))
        return FALSE;
    }

  g_ptr_array_add (captured, NULL);
  *params = (GStrv) g_ptr_array_free (g_steal_pointer (&captured), FALSE);
  return TRUE;
}

static EmuApi
api_for_path (const char *path)
{
  if (g_str_has_prefix (path, "/v1/") || g_str_equal (path, "/v1"))
    return EMU_API_REPLICATE;
  if (g_str_has_prefix (path, "/v3/midjourney/"))
    return EMU_API_USEAPI;
  if (g_str_has_prefix (path, "/api/v1/"))
    return EMU_API_OPENROUTER;
  return EMU_API_NONE;
}

/* Sets req->route, ->params and ->key; returns whether some route had the
 * path but not the method (a 405). */
static gboolean
route_request (EmuRequest *req)
{
  static const EmuRoute *tables[] = {
    core_routes, emu_replicate_routes, emu_useapi_routes, emu_openrouter_routes,
  };
  g_auto(GStrv) segments = g_strsplit (req->path, "/", -1);
  gboolean path_known = FALSE;

  for (guint i = 0; segments[i] != NULL; i++)
    {
      char *decoded = g_uri_unescape_string (segments[i], NULL);

      if (decoded != NULL)
        {
          g_free (segments[i]);
          segments[i] = decoded;
        }
    }

  req->api = api_for_path (req->path);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (const EmuRoute *route = tables[t]; route->method != NULL; route++)
      {
        GStrv params = NULL;

        if (!route_match (route, segments, &params))
          continue;
        if (!g_str_equal (route->method, req->method))
          {
            path_known = TRUE;
            g_strfreev (params);
            continue;
          }

        req->route = route;
        req->api = route->api;
        req->params = params;
        req->key = g_strdup_printf ("%s %s", req->method, route->template);
        return FALSE;
      }

  req->key = g_strdup_printf ("%s %s", req->method, req->path);
  return path_known;
}

/* Every API wants "Authorization: Bearer <token>" (Replicate also takes its
 * older "Token <token>"). Any non-empty token works, except the special
 * ones that stand for the documented account failures. */
static gboolean
check_auth (EaselEmulator *self,
            EmuRequest    *req)
{
  const char *header = emu_request_header (req, "Authorization");
  const char *token = NULL;

  if (header != NULL && g_ascii_strncasecmp (header, "Bearer ", 7) == 0)
    token = header + 7;
  else if (header != NULL && req->api == EMU_API_REPLICATE &&
           g_ascii_strncasecmp (header, "Token ", 6) == 0)
    token = header + 6;

  if (token != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (token));

      if (stripped[0] != '\0')
        req->token = g_steal_pointer (&stripped);
    }

  if (req->token == NULL)
    {
      emu_reply_error (req, 401, NULL);
      return FALSE;
    }
  if (strstr (req->token, "invalid") != NULL)
    {
      emu_reply_error (req, 401, NULL);
      return FALSE;
    }
  if (strstr (req->token, "unpaid") != NULL)
    {
      emu_reply_error (req, 402, NULL);
      return FALSE;
    }
  if (strstr (req->token, "ratelimited") != NULL)
    {
      req->fault.retry_after = 1;
      emu_set_header (req, "Retry-After", "1");
      emu_reply_error (req, 429, NULL);
      return FALSE;
    }
  return TRUE;
}

static void
handle_request (EaselEmulator *self,
                EmuRequest    *req)
{
  if (req->fault.status != 0)
    {
      if (req->fault.retry_after >= 0)
        {
          g_autofree char *value = g_strdup_printf ("%d", req->fault.retry_after);

          emu_set_header (req, "Retry-After", value);
        }
      emu_reply_error (req, req->fault.status, NULL);
      return;
    }

  if (req->route == NULL)
    {
      emu_reply_error (req, 404, NULL);
      return;
    }

  if (!req->route->open && !check_auth (self, req))
    return;

  req->route->handler (self, req);
}

typedef struct
{
  EmuRequest *req;
  guint       id;
} Delayed;

static gboolean
delayed_cb (gpointer user_data)
{
  Delayed *delayed = user_data;
  EmuRequest *req = delayed->req;

  /* A client that went away took this timer with it (delayed_detach). */
  emu_request_on_detach (req, NULL, NULL);
  g_free (delayed);
  handle_request (req->self, req);
  return G_SOURCE_REMOVE;
}

static void
delayed_detach (gpointer user_data)
{
  Delayed *delayed = user_data;

  emu_timeout_remove (delayed->req->self, &delayed->id);
  g_free (delayed);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  EaselEmulator *self = user_data;
  EmuRequest *req = g_new0 (EmuRequest, 1);
  gboolean wrong_method;
  guint latency = 0;
  guint n;

  req->self = self;
  req->msg = g_object_ref (msg);
  req->method = soup_server_message_get_method (msg);
  req->path = g_strdup (path);
  req->query = query ? g_hash_table_ref (query) : NULL;
  req->fault.retry_after = -1;
  g_hash_table_add (self->live, req);
  req->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (request_finished_cb), req);

  wrong_method = route_request (req);

  /* The control endpoints are not part of what is measured or faulted. */
  if (req->route != NULL && (req->route->handler == stats_handler ||
                             req->route->handler == faults_handler ||
                             req->route->handler == reset_handler))
    {
      req->route->handler (self, req);
      return;
    }

  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->requests, req->key));
  g_hash_table_replace (self->requests, g_strdup (req->key), GUINT_TO_POINTER (n + 1));
  self->total_requests++;

  if (wrong_method)
    {
      emu_reply_error (req, 405, "Method \"%s\" not allowed.", req->method);
      return;
    }

  if (self->faults != NULL)
    emu_faults_evaluate (self->faults, req->method, req->path,
                         req->route ? req->route->template : NULL, &req->fault);

  if (self->latency_max_ms > 0)
    latency = self->latency_min_ms +
              (self->latency_max_ms > self->latency_min_ms
               ? (guint) g_rand_int_range (self->rand, 0,
                                           (gint32) (self->latency_max_ms - self->latency_min_ms + 1))
               : 0);
  latency += req->fault.latency_ms;

  if (latency > 0)
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->req = req;
      delayed->id = emu_timeout_add (self, latency, delayed_cb, delayed);
      emu_request_on_detach (req, delayed_detach, delayed);
    }
  else
    handle_request (self, req);

  /* Whatever was not answered yet is answered from a callback later. */
  if (g_hash_table_contains (self->live, req) && !req->closed &&
      !req->replied && !req->paused)
    {
      req->paused = TRUE;
      soup_server_message_pause (msg);
    }
  else if (g_hash_table_contains (self->live, req) && req->stream != NULL &&
           g_queue_is_empty (&req->stream->queue) && req->stream->n_appended == 0)
    {
      soup_server_message_pause (msg);
    }
}

/* ---- Control endpoints -------------------------------------------------- */

static JsonObject *
counts_object (GHashTable *table)
{
  JsonObject *object = json_object_new ();
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (table), (GCompareFunc) strcmp);

  for (GList *l = keys; l != NULL; l = l->next)
    json_object_set_int_member (object, l->data,
                                GPOINTER_TO_UINT (g_hash_table_lookup (table, l->data)));
  return object;
}

static void
stats_handler (EaselEmulator *self,
               EmuRequest    *req)
{
  JsonObject *object = json_object_new ();

  json_object_set_object_member (object, "requests", counts_object (self->requests));
  json_object_set_object_member (object, "submits", counts_object (self->submits));
  json_object_set_int_member (object, "total_requests", self->total_requests);
  emu_reply_object (req, 200, object);
}

static void
faults_handler (EaselEmulator *self,
                EmuRequest    *req)
{
  g_autoptr(GBytes) body = emu_request_body (req);
  g_autofree char *spec = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_autoptr(GError) error = NULL;

  if (!easel_emulator_set_faults (self, spec, &error))
    emu_reply_text (req, 400, error->message);
  else
    emu_reply_empty (req, 204);
}

static void
reset_handler (EaselEmulator *self,
               EmuRequest    *req)
{
  easel_emulator_reset_counts (self);
  emu_reply_empty (req, 204);
}

/* ---- GObject ------------------------------------------------------------ */

static void
easel_emulator_dispose (GObject *object)
{
  EaselEmulator *self = (EaselEmulator *) object;

  /* Forget the exchanges in flight first: their detach callbacks would
   * reach into API state that is about to go away. */
  if (self->live != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, self->live);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          EmuRequest *req = key;

          req->closed = TRUE;
          req->detach = NULL;
        }
      g_hash_table_remove_all (self->live);
    }

  if (self->timer_source != NULL)
    {
      g_source_destroy (self->timer_source);
      g_clear_pointer (&self->timer_source, g_source_unref);
    }
  if (self->sources != NULL)
    g_hash_table_remove_all (self->sources);

  g_clear_pointer (&self->replicate, emu_replicate_free);
  g_clear_pointer (&self->useapi, emu_useapi_free);

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }

  G_OBJECT_CLASS (easel_emulator_parent_class)->dispose (object);
}

static void
easel_emulator_finalize (GObject *object)
{
  EaselEmulator *self = (EaselEmulator *) object;

  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_pointer (&self->sources, g_hash_table_unref);
  g_clear_pointer (&self->timer_ids, g_hash_table_unref);
  g_clear_pointer (&self->timers, g_sequence_free);
  g_clear_pointer (&self->requests, g_hash_table_unref);
  g_clear_pointer (&self->submits, g_hash_table_unref);
  g_clear_pointer (&self->faults, emu_faults_free);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->origin);

  G_OBJECT_CLASS (easel_emulator_parent_class)->finalize (object);
}

static void
easel_emulator_class_init (EaselEmulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = easel_emulator_dispose;
  object_class->finalize = easel_emulator_finalize;
}

static void
easel_emulator_init (EaselEmulator *self)
{
  g_autofree char *key = NULL;

  self->context = g_main_context_ref_thread_default ();
  self->queued_ms = 1500;
  self->running_ms = 4000;
  self->page_size = 20;
  self->output_ttl_s = 3600;
  /* Lets a test show its traffic without code changes. */
  self->verbose = g_getenv ("EASEL_EMULATOR_VERBOSE") != NULL;

  self->mono_base_us = g_get_monotonic_time ();
  self->wall_base_us = g_get_real_time ();
  self->timers = g_sequence_new (g_free);
  self->timer_ids = g_hash_table_new (NULL, NULL);
  self->sources = g_hash_table_new_full (NULL, NULL, NULL, source_destroy);

  /* Ids must not repeat across runs (a client's library outlives one
   * emulator process); pictures are reproducible through explicit seeds. */
  self->rand = g_rand_new ();
  key = emu_random_id (self, "0123456789abcdef", 32);
  memcpy (self->hmac_key, key, sizeof self->hmac_key);

  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->submits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->live = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) emu_request_free, NULL);

  self->server = soup_server_new ("server-header", "easel-emulator", NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);

  self->replicate = emu_replicate_new (self);
  self->useapi = emu_useapi_new (self);
}

/* ---- Public API --------------------------------------------------------- */

/**
 * easel_emulator_new:
 *
 * Creates an emulator serving on the thread-default main context. Call
 * easel_emulator_listen() before use.
 *
 * Returns: (transfer full): a new #EaselEmulator
 */
EaselEmulator *
easel_emulator_new (void)
{
  return g_object_new (EASEL_TYPE_EMULATOR, NULL);
}

/**
 * easel_emulator_listen:
 * @self: an #EaselEmulator
 * @port: a TCP port, or 0 for a free one
 * @error: return location for a #GError
 *
 * Starts serving on 127.0.0.1 only.
 *
 * Returns: %TRUE when listening
 */
gboolean
easel_emulator_listen (EaselEmulator  *self,
                       guint           port,
                       GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  GSList *uris;

  g_return_val_if_fail (EASEL_IS_EMULATOR (self), FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);
  g_return_val_if_fail (self->origin == NULL, FALSE);

  if (!soup_server_listen_local (self->server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, &local_error))
    {
      g_set_error (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_LISTEN,
                   "Cannot listen on 127.0.0.1:%u: %s", port, local_error->message);
      return FALSE;
    }

  uris = soup_server_get_uris (self->server);
  self->origin = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

/**
 * easel_emulator_dup_origin:
 * @self: an #EaselEmulator
 *
 * Returns: (transfer full) (nullable): "http://127.0.0.1:PORT" without a
 *   trailing slash, or %NULL before easel_emulator_listen()
 */
char *
easel_emulator_dup_origin (EaselEmulator *self)
{
  g_return_val_if_fail (EASEL_IS_EMULATOR (self), NULL);

  return g_strdup (self->origin);
}

/**
 * easel_emulator_set_job_duration:
 * @self: an #EaselEmulator
 * @queued_ms: how long a new job waits before it starts
 * @running_ms: how long it then runs
 *
 * Applies to jobs created afterwards (Replicate predictions and Midjourney
 * jobs alike). The defaults are 1500 and 4000 ms.
 */
void
easel_emulator_set_job_duration (EaselEmulator *self,
                                 guint          queued_ms,
                                 guint          running_ms)
{
  g_return_if_fail (EASEL_IS_EMULATOR (self));

  self->queued_ms = queued_ms;
  self->running_ms = running_ms;
}

/**
 * easel_emulator_set_faults:
 * @self: an #EaselEmulator
 * @spec: (nullable): a fault specification (see `easel-emulator --help`),
 *   or %NULL / "" for none
 * @error: return location for a #GError
 *
 * Replaces the fault rules. On error the previous rules stay.
 *
 * Returns: %TRUE if @spec parsed
 */
gboolean
easel_emulator_set_faults (EaselEmulator  *self,
                           const char     *spec,
                           GError        **error)
{
  EmuFaults *faults = NULL;

  g_return_val_if_fail (EASEL_IS_EMULATOR (self), FALSE);

  if (spec != NULL && spec[0] != '\0')
    {
      faults = emu_faults_parse (spec, error);
      if (faults == NULL)
        return FALSE;
    }

  g_clear_pointer (&self->faults, emu_faults_free);
  self->faults = faults;
  return TRUE;
}

/**
 * easel_emulator_set_latency:
 * @self: an #EaselEmulator
 * @min_ms: the shortest delay
 * @max_ms: the longest delay
 *
 * Delays every request by a uniformly random time in [@min_ms, @max_ms]
 * before it is handled. 0, 0 turns it off.
 */
void
easel_emulator_set_latency (EaselEmulator *self,
                            guint          min_ms,
                            guint          max_ms)
{
  g_return_if_fail (EASEL_IS_EMULATOR (self));

  self->latency_min_ms = MIN (min_ms, max_ms);
  self->latency_max_ms = MAX (min_ms, max_ms);
}

/**
 * easel_emulator_set_page_size:
 * @self: an #EaselEmulator
 * @n: predictions per page of `GET /v1/predictions` (default 20)
 */
void
easel_emulator_set_page_size (EaselEmulator *self,
                              guint          n)
{
  g_return_if_fail (EASEL_IS_EMULATOR (self));
  g_return_if_fail (n > 0);

  self->page_size = n;
}

/**
 * easel_emulator_set_output_ttl:
 * @self: an #EaselEmulator
 * @seconds: lifetime of outputs and signed links (default 3600)
 *
 * Replicate removes an API prediction's outputs this long after it
 * completed (the real retention is one hour); afterwards the output URLs
 * answer 404 and the prediction shows `data_removed: true`. Discord-style
 * attachment links are signed to expire after the same time; fetching the
 * job again signs fresh ones.
 */
void
easel_emulator_set_output_ttl (EaselEmulator *self,
                               guint          seconds)
{
  g_return_if_fail (EASEL_IS_EMULATOR (self));

  self->output_ttl_s = seconds;
}

/**
 * easel_emulator_add_channel:
 * @self: an #EaselEmulator
 * @channel: a Discord channel id (digits)
 * @max_jobs: concurrent jobs
 * @max_image_jobs: concurrent image jobs
 * @max_video_jobs: concurrent video jobs
 *
 * Configures (or reconfigures) a UseAPI Midjourney channel, as
 * `POST /accounts` would.
 */
void
easel_emulator_add_channel (EaselEmulator *self,
                            const char    *channel,
                            guint          max_jobs,
                            guint          max_image_jobs,
                            guint          max_video_jobs)
{
  g_return_if_fail (EASEL_IS_EMULATOR (self));
  g_return_if_fail (channel != NULL);

  emu_useapi_add_channel (self, channel, max_jobs, max_image_jobs, max_video_jobs);
}

/**
 * easel_emulator_set_manual_clock:
 * @self: an #EaselEmulator
 * @manual: whether job time only moves through easel_emulator_advance()
 *
 * With a manual clock, job lifecycles, deadlines, `Prefer: wait` timeouts
 * and output expiry stand still until the test advances the clock.
 */
void
easel_emulator_set_manual_clock (EaselEmulator *self,
                                 gboolean       manual)
{
  g_return_if_fail (EASEL_IS_EMULATOR (self));

  manual = !!manual;
  if (manual == self->manual_clock)
    return;

  if (manual)
    self->clock_base_ms = emu_now_ms (self);
  else
    self->mono_base_us = g_get_monotonic_time ();
  self->manual_clock = manual;
  clock_rearm (self);
}

/**
 * easel_emulator_advance:
 * @self: an #EaselEmulator
 * @ms: milliseconds of emulator time
 *
 * Moves a manual clock forward, running every timer that falls due on the
 * way, in order. Replies this causes are sent once the main loop runs.
 */
void
easel_emulator_advance (EaselEmulator *self,
                        guint64        ms)
{
  gint64 target;

  g_return_if_fail (EASEL_IS_EMULATOR (self));
  g_return_if_fail (self->manual_clock);

  target = self->clock_base_ms + (gint64) ms;
  clock_run_due (self, target);
  self->clock_base_ms = target;
}

/**
 * easel_emulator_get_request_count:
 * @self: an #EaselEmulator
 * @key: "METHOD /path-template", e.g. "GET /v1/predictions/{id}"
 *
 * Returns: how many requests were received for @key
 */
guint
easel_emulator_get_request_count (EaselEmulator *self,
                                  const char    *key)
{
  g_return_val_if_fail (EASEL_IS_EMULATOR (self), 0);
  g_return_val_if_fail (key != NULL, 0);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->requests, key));
}

/**
 * easel_emulator_get_submit_count:
 * @self: an #EaselEmulator
 * @key: "METHOD /path-template", e.g. "POST /v3/midjourney/jobs/imagine"
 *
 * Returns: how many requests for @key created a billable job
 */
guint
easel_emulator_get_submit_count (EaselEmulator *self,
                                 const char    *key)
{
  g_return_val_if_fail (EASEL_IS_EMULATOR (self), 0);
  g_return_val_if_fail (key != NULL, 0);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->submits, key));
}

/**
 * easel_emulator_get_total_requests:
 * @self: an #EaselEmulator
 *
 * Returns: all requests received, except those to the control endpoints
 */
guint
easel_emulator_get_total_requests (EaselEmulator *self)
{
  g_return_val_if_fail (EASEL_IS_EMULATOR (self), 0);

  return self->total_requests;
}

/**
 * easel_emulator_reset_counts:
 * @self: an #EaselEmulator
 *
 * Sets every request and submit count back to zero.
 */
void
easel_emulator_reset_counts (EaselEmulator *self)
{
  g_return_if_fail (EASEL_IS_EMULATOR (self));

  g_hash_table_remove_all (self->requests);
  g_hash_table_remove_all (self->submits);
  self->total_requests = 0;
}

/**
 * easel_emulator_set_verbose:
 * @self: an #EaselEmulator
 * @verbose: whether to log every finished exchange on stderr
 *
 * The environment variable `EASEL_EMULATOR_VERBOSE` turns it on for every
 * emulator, which helps when a test fails.
 */
void
easel_emulator_set_verbose (EaselEmulator *self,
                            gboolean       verbose)
{
  g_return_if_fail (EASEL_IS_EMULATOR (self));

  self->verbose = !!verbose;
}
