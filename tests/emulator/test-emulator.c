/* test-emulator.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The emulator against an async libsoup client on the same main context.
 * Most tests freeze the emulator clock and move it by hand, so job
 * lifecycles take no real time and every state can be observed; a
 * watchdog turns any hang into a failure.
 */

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "easel-emulator.h"

#define REPLICATE_TOKEN  "r8_test-token"
#define USEAPI_TOKEN     "user:1-test-token"
#define OPENROUTER_TOKEN "sk-or-v1-test-token"
#define SDXL_VERSION     "7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc"
#define QUEUED_MS        100
#define RUNNING_MS       400
#define JOB_MS           (QUEUED_MS + RUNNING_MS)

typedef struct
{
  EaselEmulator *emu;
  char          *origin;
  SoupSession   *session;
} Fixture;

typedef struct
{
  SoupMessage *msg;
  GBytes      *body;
  GError      *error;
  guint        status;
  gboolean     done;
  gint64       started_us;
  gint64       elapsed_us;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_object (&reply->msg);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->emu = easel_emulator_new ();
  easel_emulator_set_manual_clock (f->emu, TRUE);
  easel_emulator_set_job_duration (f->emu, QUEUED_MS, RUNNING_MS);
  g_assert_true (easel_emulator_listen (f->emu, 0, &error));
  g_assert_no_error (error);
  f->origin = easel_emulator_dup_origin (f->emu);
  g_assert_true (g_str_has_prefix (f->origin, "http://127.0.0.1:"));
  g_assert_false (g_str_has_suffix (f->origin, "/"));

  f->session = soup_session_new_with_options ("proxy-resolver", NULL,
                                              "timeout", 10,
                                              "max-conns", 32,
                                              "max-conns-per-host", 16,
                                              NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  soup_session_abort (f->session);
  g_clear_object (&f->session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->emu);
  g_free (f->origin);
}

/* ---- Main loop helpers -------------------------------------------------- */

static gboolean
watchdog_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until *@done, failing after 10 seconds. */
static void
spin_until (const gboolean *done)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, watchdog_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out waiting for the emulator");
  g_source_remove (id);
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
spin_brief_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets real time pass while serving: network work, pacing, keep-alives. */
static void
spin_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, spin_brief_cb, &done);
  spin_until (&done);
}

/* Moves the manual clock and lets the replies it caused go out. */
static void
advance (Fixture *f,
         guint64  ms)
{
  easel_emulator_advance (f->emu, ms);
  drain ();
}

typedef struct
{
  Fixture    *f;
  const char *key;
  guint       count;
} CountWait;

static gboolean
count_reached_cb (gpointer data)
{
  CountWait *wait = data;

  return easel_emulator_get_request_count (wait->f->emu, wait->key) >= wait->count;
}

/* Waits until the emulator has received @count requests for @key. */
static void
wait_requests (Fixture    *f,
               const char *key,
               guint       count)
{
  CountWait wait = { f, key, count };
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, watchdog_cb, &timed_out);

  while (!count_reached_cb (&wait) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out waiting for %u × %s", count, key);
  g_source_remove (id);
}

/* ---- HTTP helpers ------------------------------------------------------- */

static SoupMessage *
message_new (Fixture    *f,
             const char *method,
             const char *path,
             const char *token)
{
  g_autofree char *url = g_str_has_prefix (path, "http") ? g_strdup (path)
                                                         : g_strconcat (f->origin, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  return msg;
}

static void
set_header (SoupMessage *msg,
            const char  *name,
            const char  *value)
{
  soup_message_headers_replace (soup_message_get_request_headers (msg), name, value);
}

static void
set_json_body (SoupMessage *msg,
               const char  *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Reply *reply = data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &reply->error);
  reply->status = soup_message_get_status (reply->msg);
  reply->elapsed_us = g_get_monotonic_time () - reply->started_us;
  reply->done = TRUE;
}

/* Sends @msg (taking it) without waiting. */
static Reply *
start (Fixture     *f,
       SoupMessage *msg)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->msg = msg;
  reply->started_us = g_get_monotonic_time ();
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, send_cb, reply);
  return reply;
}

static Reply *
finish (Reply *reply)
{
  spin_until (&reply->done);
  return reply;
}

static Reply *
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *json)
{
  SoupMessage *msg = message_new (f, method, path, token);

  if (json != NULL)
    set_json_body (msg, json);
  return finish (start (f, msg));
}

static const char *
reply_header (Reply      *reply,
              const char *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (reply->msg), name);
}

static char *
reply_text (Reply *reply)
{
  g_assert_no_error (reply->error);
  return g_strndup (g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body));
}

static JsonNode *
parse_json (GBytes  *bytes,
            GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), error))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *reply_object (Reply *reply);

/* The JSON object answered to a request, which must have @status. */
static JsonObject *
request_object (Fixture    *f,
                const char *method,
                const char *path,
                const char *token,
                const char *json,
                guint       status)
{
  g_autoptr(Reply) reply = request (f, method, path, token, json);

  g_assert_cmpuint (reply->status, ==, status);
  return reply_object (reply);
}

static JsonObject *
reply_object (Reply *reply)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_no_error (reply->error);
  node = parse_json (reply->body, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* The first match of a JSONPath expression such as "$.response.buttons[0]". */
static JsonNode *
jpath (JsonObject *object,
       const char *expression)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) matches = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  json_node_set_object (root, object);
  matches = json_path_query (expression, root, &error);
  g_assert_no_error (error);
  array = json_node_get_array (matches);
  if (json_array_get_length (array) == 0)
    return NULL;
  return json_node_copy (json_array_get_element (array, 0));
}

static char *
jstr (JsonObject *object,
      const char *expression)
{
  g_autoptr(JsonNode) node = jpath (object, expression);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  return json_node_dup_string (node);
}

static void
assert_jstr (JsonObject *object,
             const char *expression,
             const char *expected)
{
  g_autofree char *value = jstr (object, expression);

  g_assert_cmpstr (value, ==, expected);
}

/* @text as a JSON string literal, quotes and escapes included. */
static char *
json_quote (const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return json_to_string (node, FALSE);
}

static gint64
jint (JsonObject *object,
      const char *expression)
{
  g_autoptr(JsonNode) node = jpath (object, expression);

  g_assert_nonnull (node);
  return json_node_get_int (node);
}

static gboolean
jnull (JsonObject *object,
       const char *expression)
{
  g_autoptr(JsonNode) node = jpath (object, expression);

  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static guint
jlen (JsonObject *object,
      const char *expression)
{
  g_autoptr(JsonNode) node = jpath (object, expression);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_get_length (json_node_get_array (node));
}

/* The type is named, not sniffed: sniffing needs the shared MIME database,
 * which G_TEST_OPTION_ISOLATE_DIRS hides. */
static GdkPixbuf *
decode_image (GBytes *bytes)
{
  gboolean jpeg = g_bytes_get_size (bytes) > 2 &&
                  memcmp (g_bytes_get_data (bytes, NULL), "\xff\xd8", 2) == 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type (jpeg ? "jpeg" : "png", &error);

  g_assert_no_error (error);
  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, bytes, &error));
  g_assert_no_error (error);
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static void
assert_png (GBytes *bytes,
            int     width,
            int     height)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  g_assert_cmpuint (g_bytes_get_size (bytes), >, 8);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
  pixbuf = decode_image (bytes);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, height);
}

/* ---- Replicate ---------------------------------------------------------- */

static JsonObject *
create_prediction (Fixture    *f,
                   const char *model,
                   const char *input)
{
  g_autofree char *path = g_strdup_printf ("/v1/models/%s/predictions", model);
  g_autofree char *body = g_strdup_printf ("{\"input\": %s}", input);

  return request_object (f, "POST", path, REPLICATE_TOKEN, body, 201);
}

static JsonObject *
get_prediction (Fixture    *f,
                const char *id)
{
  g_autofree char *path = g_strdup_printf ("/v1/predictions/%s", id);

  return request_object (f, "GET", path, REPLICATE_TOKEN, NULL, 200);
}

static GBytes *
download (Fixture    *f,
          const char *url,
          guint       expected_status)
{
  g_autoptr(Reply) reply = request (f, "GET", url, NULL, NULL);

  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, expected_status);
  return g_bytes_ref (reply->body);
}

static void
test_replicate_lifecycle (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) created = create_prediction (f, "black-forest-labs/flux-schnell",
    "{\"prompt\": \"a lighthouse at dusk\", \"aspect_ratio\": \"3:2\", \"num_outputs\": 2, "
    "\"seed\": 42, \"output_format\": \"png\"}");
  g_autofree char *id = jstr (created, "$.id");
  g_autofree char *status = jstr (created, "$.status");
  g_autofree char *version = jstr (created, "$.version");
  g_autofree char *model = jstr (created, "$.model");
  g_autofree char *get_url = jstr (created, "$.urls.get");
  g_autofree char *expected_get = g_strdup_printf ("%s/v1/predictions/%s", f->origin, id);
  g_autoptr(JsonObject) running = NULL;
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autofree char *out0 = NULL;
  g_autofree char *out1 = NULL;
  g_autofree char *logs = NULL;
  g_autoptr(GBytes) png0 = NULL;
  g_autoptr(GBytes) png1 = NULL;
  g_autoptr(GBytes) png_again = NULL;

  g_assert_cmpstr (status, ==, "starting");
  g_assert_cmpstr (version, ==, "hidden");
  g_assert_cmpstr (model, ==, "black-forest-labs/flux-schnell");
  g_assert_cmpstr (get_url, ==, expected_get);
  g_assert_true (jnull (created, "$.output"));
  g_assert_true (jnull (created, "$.started_at"));
  g_assert_cmpuint (strlen (id), ==, 26);
  g_assert_cmpint (jint (created, "$.input.num_outputs"), ==, 2);
  assert_jstr (created, "$.source", "api");

  advance (f, QUEUED_MS + 1);
  running = get_prediction (f, id);
  {
    g_autofree char *s = jstr (running, "$.status");
    g_autofree char *started = jstr (running, "$.started_at");

    g_assert_cmpstr (s, ==, "processing");
    g_assert_nonnull (started);
  }

  advance (f, RUNNING_MS);
  done = get_prediction (f, id);
  assert_jstr (done, "$.status", "succeeded");
  g_assert_cmpuint (jlen (done, "$.output"), ==, 2);
  g_assert_false (jnull (done, "$.metrics.predict_time"));
  g_assert_false (jnull (done, "$.metrics.total_time"));
  g_assert_false (jnull (done, "$.completed_at"));
  logs = jstr (done, "$.logs");
  g_assert_nonnull (strstr (logs, "Using seed: 42"));
  g_assert_nonnull (strstr (logs, "100%|"));
  g_assert_nonnull (strstr (logs, "4/4"));

  /* 3:2 at about a megapixel is 1248×832, scaled to a 512 px long side. */
  out0 = jstr (done, "$.output[0]");
  out1 = jstr (done, "$.output[1]");
  g_assert_true (g_str_has_prefix (out0, f->origin));
  png0 = download (f, out0, 200);
  png1 = download (f, out1, 200);
  assert_png (png0, 512, 341);
  assert_png (png1, 512, 341);
  g_assert_false (g_bytes_equal (png0, png1));

  /* Same prompt and seed, same picture. */
  again = create_prediction (f, "black-forest-labs/flux-schnell",
    "{\"prompt\": \"a lighthouse at dusk\", \"aspect_ratio\": \"3:2\", \"num_outputs\": 2, "
    "\"seed\": 42, \"output_format\": \"png\"}");
  advance (f, JOB_MS + 1);
  {
    g_autofree char *again_id = jstr (again, "$.id");
    g_autoptr(JsonObject) again_done = get_prediction (f, again_id);
    g_autofree char *again_out = jstr (again_done, "$.output[0]");

    png_again = download (f, again_out, 200);
    g_assert_true (g_bytes_equal (png0, png_again));
  }
}

static void
test_replicate_single_output (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) created = create_prediction (f, "black-forest-labs/flux-1.1-pro",
    "{\"prompt\": \"a portrait\", \"aspect_ratio\": \"custom\", \"width\": 768, \"height\": 1024, "
    "\"output_format\": \"jpg\"}");
  g_autofree char *id = jstr (created, "$.id");
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(JsonNode) output = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  advance (f, JOB_MS + 1);
  done = get_prediction (f, id);
  output = jpath (done, "$.output");
  g_assert_true (JSON_NODE_HOLDS_VALUE (output));
  g_assert_true (g_str_has_suffix (json_node_get_string (output), ".jpg"));
  bytes = download (f, json_node_get_string (output), 200);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), 2, "\xff\xd8", 2);
  pixbuf = decode_image (bytes);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 384);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 512);
}

static void
test_replicate_prefer_wait (Fixture       *f,
                            gconstpointer  data)
{
  SoupMessage *msg = message_new (f, "POST", "/v1/models/black-forest-labs/flux-schnell/predictions",
                                  REPLICATE_TOKEN);
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) timeout_reply = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) partial = NULL;

  set_header (msg, "Prefer", "wait");
  set_json_body (msg, "{\"input\": {\"prompt\": \"a cat\"}}");
  reply = start (f, msg);
  wait_requests (f, "POST /v1/models/{owner}/{name}/predictions", 1);
  drain ();
  g_assert_false (reply->done);

  advance (f, JOB_MS + 1);
  finish (reply);
  g_assert_cmpuint (reply->status, ==, 201);
  object = reply_object (reply);
  assert_jstr (object, "$.status", "succeeded");

  /* wait=1 on a longer job: the reply comes after a second with the
   * prediction still starting. */
  easel_emulator_set_job_duration (f->emu, 5000, 5000);
  msg = message_new (f, "POST", "/v1/models/black-forest-labs/flux-schnell/predictions",
                     REPLICATE_TOKEN);
  set_header (msg, "Prefer", "wait=1");
  set_json_body (msg, "{\"input\": {\"prompt\": \"a dog\"}}");
  timeout_reply = start (f, msg);
  wait_requests (f, "POST /v1/models/{owner}/{name}/predictions", 2);
  advance (f, 999);
  g_assert_false (timeout_reply->done);
  advance (f, 1);
  finish (timeout_reply);
  g_assert_cmpuint (timeout_reply->status, ==, 201);
  partial = reply_object (timeout_reply);
  assert_jstr (partial, "$.status", "starting");
}

static void
test_replicate_cancel (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonObject) created = create_prediction (f, "black-forest-labs/flux-dev",
                                                     "{\"prompt\": \"a tree\"}");
  g_autofree char *id = jstr (created, "$.id");
  g_autofree char *path = g_strdup_printf ("/v1/predictions/%s/cancel", id);
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) missing = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) later = NULL;

  advance (f, QUEUED_MS + 1);
  reply = request (f, "POST", path, REPLICATE_TOKEN, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  object = reply_object (reply);
  assert_jstr (object, "$.status", "canceled");
  g_assert_false (jnull (object, "$.metrics.predict_time"));

  advance (f, JOB_MS);
  later = get_prediction (f, id);
  assert_jstr (later, "$.status", "canceled");
  g_assert_true (jnull (later, "$.output"));

  missing = request (f, "POST", "/v1/predictions/doesnotexist/cancel", REPLICATE_TOKEN, NULL);
  g_assert_cmpuint (missing->status, ==, 404);
}

static char *
create_with_header (Fixture    *f,
                    const char *header,
                    const char *value,
                    guint       expected_status)
{
  SoupMessage *msg = message_new (f, "POST", "/v1/models/black-forest-labs/flux-schnell/predictions",
                                  REPLICATE_TOKEN);
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonObject) object = NULL;

  set_header (msg, header, value);
  set_json_body (msg, "{\"input\": {\"prompt\": \"a deadline\"}}");
  reply = finish (start (f, msg));
  g_assert_cmpuint (reply->status, ==, expected_status);
  if (expected_status != 201)
    return NULL;
  object = reply_object (reply);
  g_assert_false (jnull (object, "$.deadline"));
  return jstr (object, "$.id");
}

static void
test_replicate_cancel_after (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *aborted_id = NULL;
  g_autofree char *canceled_id = NULL;
  g_autofree char *long_id = NULL;
  g_autoptr(JsonObject) aborted = NULL;
  g_autoptr(JsonObject) canceled = NULL;
  g_autoptr(JsonObject) still = NULL;

  /* Not started by the deadline: aborted. */
  easel_emulator_set_job_duration (f->emu, 5000, 1000);
  aborted_id = create_with_header (f, "Cancel-After", "2s", 201);
  long_id = create_with_header (f, "Cancel-After", "1h30m", 201);
  advance (f, 2000);
  aborted = get_prediction (f, aborted_id);
  assert_jstr (aborted, "$.status", "aborted");
  g_assert_true (jnull (aborted, "$.started_at"));
  g_assert_false (jnull (aborted, "$.completed_at"));

  /* Running at the deadline: canceled. */
  easel_emulator_set_job_duration (f->emu, 100, 60000);
  canceled_id = create_with_header (f, "Cancel-After", "1m", 201);
  advance (f, 60000);
  canceled = get_prediction (f, canceled_id);
  assert_jstr (canceled, "$.status", "canceled");

  still = get_prediction (f, long_id);
  assert_jstr (still, "$.status", "succeeded");

  g_assert_null (create_with_header (f, "Cancel-After", "soon", 400));
}

static GStrv
page_ids (JsonObject *page)
{
  JsonArray *results = json_object_get_array_member (page, "results");
  GStrv ids = g_new0 (char *, json_array_get_length (results) + 1);

  for (guint i = 0; i < json_array_get_length (results); i++)
    ids[i] = g_strdup (json_object_get_string_member (json_array_get_object_element (results, i), "id"));
  return ids;
}

static JsonObject *
get_page (Fixture    *f,
          const char *url)
{
  return request_object (f, "GET", url, REPLICATE_TOKEN, NULL, 200);
}

static void
test_replicate_pagination (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) page1 = NULL;
  g_autoptr(JsonObject) page2 = NULL;
  g_autoptr(JsonObject) page3 = NULL;
  g_autoptr(JsonObject) back = NULL;
  g_auto(GStrv) ids1 = NULL;
  g_auto(GStrv) ids2 = NULL;
  g_auto(GStrv) ids3 = NULL;
  g_auto(GStrv) ids_back = NULL;
  g_autofree char *next1 = NULL;
  g_autofree char *next2 = NULL;
  g_autofree char *prev3 = NULL;

  easel_emulator_set_page_size (f->emu, 3);
  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *input = g_strdup_printf ("{\"prompt\": \"picture %u\"}", i);
      g_autoptr(JsonObject) created = create_prediction (f, "black-forest-labs/flux-schnell", input);

      g_ptr_array_add (ids, jstr (created, "$.id"));
    }

  page1 = get_page (f, "/v1/predictions");
  ids1 = page_ids (page1);
  g_assert_cmpuint (g_strv_length (ids1), ==, 3);
  g_assert_cmpstr (ids1[0], ==, ids->pdata[6]);
  g_assert_cmpstr (ids1[2], ==, ids->pdata[4]);
  g_assert_true (jnull (page1, "$.previous"));
  next1 = jstr (page1, "$.next");
  g_assert_true (g_str_has_prefix (next1, f->origin));

  page2 = get_page (f, next1);
  ids2 = page_ids (page2);
  g_assert_cmpuint (g_strv_length (ids2), ==, 3);
  g_assert_cmpstr (ids2[0], ==, ids->pdata[3]);
  g_assert_false (jnull (page2, "$.previous"));
  next2 = jstr (page2, "$.next");

  page3 = get_page (f, next2);
  ids3 = page_ids (page3);
  g_assert_cmpuint (g_strv_length (ids3), ==, 1);
  g_assert_cmpstr (ids3[0], ==, ids->pdata[0]);
  g_assert_true (jnull (page3, "$.next"));

  prev3 = jstr (page3, "$.previous");
  back = get_page (f, prev3);
  ids_back = page_ids (back);
  g_assert_true (g_strv_equal ((const char * const *) ids_back, (const char * const *) ids2));

  {
    g_autoptr(Reply) bad = request (f, "GET", "/v1/predictions?cursor=bm9wZQ", REPLICATE_TOKEN, NULL);

    g_assert_cmpuint (bad->status, ==, 404);
  }
}

static void
test_replicate_files (Fixture       *f,
                      gconstpointer  data)
{
  static const char content[] = "\x89PNG pretend image bytes";
  g_autoptr(SoupMultipart) multipart = soup_multipart_new ("multipart/form-data");
  g_autoptr(GBytes) file_bytes = g_bytes_new_static (content, sizeof content - 1);
  g_autoptr(GBytes) metadata = g_bytes_new_static ("{\"purpose\": \"reference\"}", 24);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file_bytes);
  g_autofree char *id = NULL;
  g_autofree char *get_url = NULL;
  g_autofree char *path = NULL;
  g_autofree char *download_path = NULL;
  SoupMessage *msg;

  soup_multipart_append_form_file (multipart, "content", "ref.png", "image/png", file_bytes);
  soup_multipart_append_form_file (multipart, "metadata", "blob", "application/json", metadata);
  msg = message_new (f, "POST", "/v1/files", REPLICATE_TOKEN);
  soup_multipart_to_message (multipart, soup_message_get_request_headers (msg), &body);
  soup_message_set_request_body_from_bytes (msg, NULL, body);
  reply = finish (start (f, msg));
  g_assert_cmpuint (reply->status, ==, 201);

  object = reply_object (reply);
  id = jstr (object, "$.id");
  g_assert_nonnull (id);
  g_assert_cmpint (jint (object, "$.size"), ==, sizeof content - 1);
  {
    g_autofree char *ct = jstr (object, "$.content_type");
    g_autofree char *sum = jstr (object, "$.checksums.sha256");
    g_autofree char *purpose = jstr (object, "$.metadata.purpose");
    g_autofree char *name = jstr (object, "$.name");

    g_assert_cmpstr (ct, ==, "image/png");
    g_assert_cmpstr (sum, ==, sha256);
    g_assert_cmpstr (purpose, ==, "reference");
    g_assert_cmpstr (name, ==, "ref.png");
  }
  g_assert_false (jnull (object, "$.created_at"));
  g_assert_false (jnull (object, "$.expires_at"));
  get_url = jstr (object, "$.urls.get");
  path = g_strdup_printf ("%s/v1/files/%s", f->origin, id);
  g_assert_cmpstr (get_url, ==, path);

  {
    g_autoptr(Reply) got = request (f, "GET", get_url, REPLICATE_TOKEN, NULL);

    g_assert_cmpuint (got->status, ==, 200);
  }
  download_path = g_strdup_printf ("/v1/files/%s/download", id);
  {
    g_autoptr(Reply) got = request (f, "GET", download_path, REPLICATE_TOKEN, NULL);

    g_assert_cmpuint (got->status, ==, 200);
    g_assert_true (g_bytes_equal (got->body, file_bytes));
  }
  {
    g_autoptr(Reply) deleted = request (f, "DELETE", get_url, REPLICATE_TOKEN, NULL);

    g_assert_cmpuint (deleted->status, ==, 204);
  }
  {
    g_autoptr(Reply) gone = request (f, "GET", get_url, REPLICATE_TOKEN, NULL);

    g_assert_cmpuint (gone->status, ==, 404);
  }
  {
    g_autoptr(Reply) empty = request (f, "POST", "/v1/files", REPLICATE_TOKEN, "{}");

    g_assert_cmpuint (empty->status, ==, 400);
  }
}

static void
assert_problem (Reply      *reply,
                guint       status,
                const char *detail_part)
{
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *detail = NULL;

  g_assert_cmpuint (reply->status, ==, status);
  object = reply_object (reply);
  detail = jstr (object, "$.detail");
  g_assert_nonnull (detail);
  if (detail_part != NULL)
    g_assert_nonnull (strstr (detail, detail_part));
  if (status != 429)
    g_assert_cmpint (jint (object, "$.status"), ==, status);
}

static void
test_replicate_errors (Fixture       *f,
                       gconstpointer  data)
{
  const char *create = "/v1/models/black-forest-labs/flux-schnell/predictions";
  const char *prompt = "{\"input\": {\"prompt\": \"x\"}}";

  {
    g_autoptr(Reply) reply = request (f, "POST", create, NULL, prompt);
    g_autoptr(JsonObject) object = NULL;
    g_autofree char *title = NULL;

    assert_problem (reply, 401, NULL);
    object = reply_object (reply);
    title = jstr (object, "$.title");
    g_assert_cmpstr (title, ==, "Unauthenticated");
  }
  {
    g_autoptr(Reply) reply = request (f, "POST", create, "r8_invalid", prompt);

    assert_problem (reply, 401, "authentication token");
  }
  {
    g_autoptr(Reply) reply = request (f, "POST", create, "r8_unpaid", prompt);

    assert_problem (reply, 402, "credit");
  }
  {
    g_autoptr(Reply) reply = request (f, "POST", create, "r8_ratelimited", prompt);

    assert_problem (reply, 429, "Request was throttled. Your rate limit resets in ~1s.");
    g_assert_cmpstr (reply_header (reply, "Retry-After"), ==, "1");
  }
  {
    g_autoptr(Reply) reply = request (f, "POST", "/v1/models/nobody/nothing/predictions",
                                      REPLICATE_TOKEN, prompt);
    g_autofree char *text = reply_text (reply);

    g_assert_cmpuint (reply->status, ==, 404);
    g_assert_cmpstr (text, ==, "{\"detail\":\"Not found.\",\"status\":404}");
  }
  {
    g_autoptr(Reply) reply = request (f, "POST", create, REPLICATE_TOKEN,
                                      "{\"input\": {\"prompt\": \"x\", \"num_outputs\": 9}}");
    g_autoptr(JsonObject) object = NULL;
    g_autofree char *field = NULL;
    g_autofree char *type = NULL;

    assert_problem (reply, 422, "input.num_outputs");
    object = reply_object (reply);
    field = jstr (object, "$.invalid_fields[0].field");
    type = jstr (object, "$.invalid_fields[0].type");
    g_assert_cmpstr (field, ==, "input.num_outputs");
    g_assert_cmpstr (type, ==, "less_than_or_equal");
  }
  {
    g_autoptr(Reply) reply = request (f, "POST", create, REPLICATE_TOKEN,
                                      "{\"input\": {\"prompt\": \"x\", \"aspect_ratio\": \"7:3\"}}");

    assert_problem (reply, 422, "aspect_ratio must be one of");
  }
  {
    g_autoptr(Reply) reply = request (f, "POST", create, REPLICATE_TOKEN,
                                      "{\"input\": {\"prompt\": 5, \"go_fast\": \"yes\"}}");
    g_autoptr(JsonObject) object = NULL;

    assert_problem (reply, 422, "Invalid type");
    object = reply_object (reply);
    g_assert_cmpuint (jlen (object, "$.invalid_fields"), ==, 2);
  }
  {
    g_autoptr(Reply) reply = request (f, "POST", create, REPLICATE_TOKEN, "{\"input\": {}}");

    assert_problem (reply, 422, "prompt is required");
  }
  {
    g_autoptr(Reply) reply = request (f, "POST", "/v1/models/black-forest-labs/flux-dev/predictions",
                                      REPLICATE_TOKEN,
                                      "{\"input\": {\"prompt\": \"x\", \"image\": \"not a url\"}}");

    assert_problem (reply, 422, "uri");
  }
  {
    g_autoptr(Reply) reply = request (f, "POST", "/v1/predictions", REPLICATE_TOKEN,
                                      "{\"version\": \"0000\", \"input\": {\"prompt\": \"x\"}}");

    g_autoptr(JsonObject) object = NULL;

    assert_problem (reply, 422, "does not exist");
    object = reply_object (reply);
    assert_jstr (object, "$.invalid_fields[0].field", "version");
  }
  {
    g_autoptr(Reply) reply = request (f, "POST", "/v1/predictions", REPLICATE_TOKEN,
                                      "{\"version\": \"" SDXL_VERSION "\", \"input\": {\"prompt\": \"x\"}}");
    g_autoptr(JsonObject) object = NULL;
    g_autofree char *model = NULL;
    g_autofree char *version = NULL;

    g_assert_cmpuint (reply->status, ==, 201);
    object = reply_object (reply);
    model = jstr (object, "$.model");
    version = jstr (object, "$.version");
    g_assert_cmpstr (model, ==, "stability-ai/sdxl");
    g_assert_cmpstr (version, ==, SDXL_VERSION);
  }
  {
    g_autoptr(Reply) reply = request (f, "POST", create, REPLICATE_TOKEN, "{not json");

    assert_problem (reply, 400, NULL);
  }
  {
    g_autoptr(Reply) reply = request (f, "GET", "/v1/predictions/nope", REPLICATE_TOKEN, NULL);

    assert_problem (reply, 404, "Not found.");
  }
}

static void
test_replicate_schema (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(Reply) reply = request (f, "GET", "/v1/models/black-forest-labs/flux-schnell",
                                    REPLICATE_TOKEN, NULL);
  g_autoptr(Reply) dev = NULL;
  g_autoptr(JsonObject) model = NULL;
  g_autoptr(JsonObject) dev_model = NULL;
  g_autofree char *ref = NULL;
  g_autofree char *format = NULL;
  g_autofree char *prompt_type = NULL;

  g_assert_cmpuint (reply->status, ==, 200);
  model = reply_object (reply);
  prompt_type = jstr (model, "$.latest_version.openapi_schema.components.schemas.Input.properties.prompt.type");
  g_assert_cmpstr (prompt_type, ==, "string");
  ref = jstr (model, "$.latest_version.openapi_schema.components.schemas.Input.properties.aspect_ratio.allOf[0]['$ref']");
  g_assert_cmpstr (ref, ==, "#/components/schemas/aspect_ratio");
  g_assert_cmpuint (jlen (model, "$.latest_version.openapi_schema.components.schemas.aspect_ratio.enum"), ==, 11);
  g_assert_cmpint (jint (model, "$.latest_version.openapi_schema.components.schemas.Input.properties.num_outputs.maximum"), ==, 4);
  g_assert_cmpint (jint (model, "$.latest_version.openapi_schema.components.schemas.Input.properties.seed['x-order']"), ==, 4);

  dev = request (f, "GET", "/v1/models/black-forest-labs/flux-dev", REPLICATE_TOKEN, NULL);
  dev_model = reply_object (dev);
  format = jstr (dev_model, "$.latest_version.openapi_schema.components.schemas.Input.properties.image.format");
  g_assert_cmpstr (format, ==, "uri");

  {
    g_autoptr(Reply) missing = request (f, "GET", "/v1/models/nobody/nothing", REPLICATE_TOKEN, NULL);

    g_assert_cmpuint (missing->status, ==, 404);
  }
}

static void
test_replicate_retention (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) done = NULL;
  g_autoptr(JsonObject) removed = NULL;
  g_autoptr(GBytes) ok = NULL;
  g_autoptr(GBytes) gone = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;

  easel_emulator_set_output_ttl (f->emu, 60);
  created = create_prediction (f, "black-forest-labs/flux-schnell", "{\"prompt\": \"ephemeral\"}");
  id = jstr (created, "$.id");
  advance (f, JOB_MS + 1);
  done = get_prediction (f, id);
  url = jstr (done, "$.output[0]");
  ok = download (f, url, 200);

  advance (f, 60 * 1000);
  gone = download (f, url, 404);
  removed = get_prediction (f, id);
  g_assert_true (json_object_get_boolean_member (removed, "data_removed"));
  g_assert_true (jnull (removed, "$.output"));
  assert_jstr (removed, "$.status", "succeeded");
}

static void
test_replicate_markers (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) nsfw = create_prediction (f, "black-forest-labs/flux-schnell",
                                                  "{\"prompt\": \"please moderate-me\"}");
  g_autoptr(JsonObject) broken = create_prediction (f, "black-forest-labs/flux-schnell",
                                                    "{\"prompt\": \"fail-me now\"}");
  g_autofree char *nsfw_id = jstr (nsfw, "$.id");
  g_autofree char *broken_id = jstr (broken, "$.id");
  g_autoptr(JsonObject) nsfw_done = NULL;
  g_autoptr(JsonObject) broken_done = NULL;
  g_autofree char *nsfw_error = NULL;
  g_autofree char *broken_status = NULL;

  advance (f, JOB_MS + 1);
  nsfw_done = get_prediction (f, nsfw_id);
  broken_done = get_prediction (f, broken_id);
  nsfw_error = jstr (nsfw_done, "$.error");
  broken_status = jstr (broken_done, "$.status");
  g_assert_true (g_str_has_prefix (nsfw_error, "NSFW content detected"));
  g_assert_cmpstr (broken_status, ==, "failed");
  g_assert_true (jnull (broken_done, "$.output"));
  g_assert_false (jnull (broken_done, "$.error"));
}

/* ---- UseAPI ------------------------------------------------------------- */

#define IMAGINE "/v3/midjourney/jobs/imagine"
#define IMAGINE_KEY "POST /v3/midjourney/jobs/imagine"

typedef struct
{
  GPtrArray *events;     /* JsonObject */
  guint      comments;
} Sse;

static void
sse_clear (Sse *sse)
{
  g_clear_pointer (&sse->events, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sse, sse_clear)

static void
parse_sse (GBytes *body,
           Sse    *sse)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  sse->events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], ":"))
        sse->comments++;
      else if (g_str_has_prefix (lines[i], "data: ") && !g_str_equal (lines[i], "data: [DONE]"))
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GBytes) bytes = g_bytes_new (lines[i] + 6, strlen (lines[i] + 6));
          g_autoptr(JsonNode) node = parse_json (bytes, &error);

          g_assert_no_error (error);
          g_ptr_array_add (sse->events, json_object_ref (json_node_get_object (node)));
        }
    }
}

static Reply *
start_imagine (Fixture    *f,
               const char *json)
{
  SoupMessage *msg = message_new (f, "POST", IMAGINE, USEAPI_TOKEN);

  set_json_body (msg, json);
  return start (f, msg);
}

/* Submits with stream:false and returns the created job. */
static JsonObject *
imagine (Fixture    *f,
         const char *prompt)
{
  g_autofree char *quoted = json_quote (prompt);
  g_autofree char *json = g_strdup_printf ("{\"prompt\": %s, \"stream\": false}", quoted);
  g_autoptr(Reply) reply = finish (start_imagine (f, json));

  g_assert_cmpuint (reply->status, ==, 201);
  return reply_object (reply);
}

static JsonObject *
get_job (Fixture    *f,
         const char *jobid)
{
  g_autofree char *path = g_strdup_printf ("/v3/midjourney/jobs/%s", jobid);

  return request_object (f, "GET", path, USEAPI_TOKEN, NULL, 200);
}

static void
assert_status (JsonObject *job,
               const char *expected)
{
  assert_jstr (job, "$.status", expected);
}

static void
test_useapi_imagine_sse (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(Reply) reply = start_imagine (f, "{\"prompt\": \"a fox in the snow --ar 3:2\", "
                                             "\"replyRef\": \"ref-42\"}");
  g_auto(Sse) sse = { 0 };
  g_autoptr(GRegex) id_format = g_regex_new ("^j[0-9]{19,20}i-u1-c1234567890123456789-bot:midjourney$",
                                             0, 0, NULL);
  const char *expected[] = {
    "initialized", "midjourney_created", "midjourney_started", "midjourney_progress",
  };
  JsonObject *last;
  g_autofree char *jobid = NULL;
  g_autofree char *url = NULL;
  g_autofree char *ref1 = NULL;
  g_autofree char *ref2 = NULL;
  g_autoptr(GBytes) grid = NULL;
  guint previous_percent = 0;

  wait_requests (f, IMAGINE_KEY, 1);
  advance (f, JOB_MS + 1);
  finish (reply);
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_true (g_str_has_prefix (reply_header (reply, "Content-Type"), "text/event-stream"));

  parse_sse (reply->body, &sse);
  g_assert_cmpuint (sse.events->len, >=, 6);
  g_assert_cmpuint (sse.comments, >=, 1);
  for (guint i = 0; i < sse.events->len; i++)
    {
      JsonObject *event = sse.events->pdata[i];
      const char *name = json_object_get_string_member (event, "event");
      const char *ts = json_object_get_string_member (event, "ts");

      g_assert_cmpint (json_object_get_int_member (event, "seq"), ==, i);
      g_assert_true (g_regex_match_simple ("^[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}$", ts, 0, 0));
      if (i < G_N_ELEMENTS (expected))
        g_assert_cmpstr (name, ==, expected[i]);
      if (g_str_equal (name, "midjourney_progress"))
        {
          guint percent = jint (event, "$.job.response.progress_percent");

          g_assert_cmpuint (percent, >, previous_percent);
          previous_percent = percent;
        }
    }

  {
    JsonObject *first = sse.events->pdata[0];
    const char *message = json_object_get_string_member (first, "message");

    g_assert_cmpstr (message, ==, "Stream initialized");
    jobid = g_strdup (json_object_get_string_member (first, "jobId"));
    g_assert_true (g_regex_match (id_format, jobid, 0, NULL));
  }

  last = sse.events->pdata[sse.events->len - 1];
  g_assert_cmpstr (json_object_get_string_member (last, "event"), ==, "midjourney_completed");
  assert_jstr (last, "$.job.status", "completed");
  g_assert_cmpint (jint (last, "$.job.response.progress_percent"), ==, 100);
  ref1 = jstr (last, "$.job.request.replyRef");
  ref2 = jstr (last, "$.job.response.replyRef");
  g_assert_cmpstr (ref1, ==, "ref-42");
  g_assert_cmpstr (ref2, ==, "ref-42");
  g_assert_cmpuint (jlen (last, "$.job.response.buttons"), ==, 9);
  g_assert_cmpuint (jlen (last, "$.job.response.imageUx"), ==, 4);

  url = jstr (last, "$.job.response.attachments[0].url");
  g_assert_nonnull (strstr (url, "/_emulator/cdn.discordapp.com/attachments/1234567890123456789/"));
  g_assert_nonnull (strstr (url, "?ex="));
  g_assert_nonnull (strstr (url, "&is="));
  g_assert_nonnull (strstr (url, "&hm="));
  grid = download (f, url, 200);
  assert_png (grid, jint (last, "$.job.response.attachments[0].width"),
              jint (last, "$.job.response.attachments[0].height"));
  assert_png (grid, 512, 341);

  g_assert_cmpuint (easel_emulator_get_submit_count (f->emu, IMAGINE_KEY), ==, 1);
}

static void
test_useapi_polling (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) created = imagine (f, "a koi pond --seed 7");
  g_autofree char *jobid = jstr (created, "$.jobid");
  g_autoptr(JsonObject) started = NULL;
  g_autoptr(JsonObject) progress = NULL;
  g_autoptr(JsonObject) done = NULL;
  g_autofree char *cell = NULL;
  g_autofree char *first_button = NULL;

  assert_status (created, "created");
  {
    g_autofree char *verb = jstr (created, "$.verb");
    g_autofree char *type = jstr (created, "$.jobType");

    g_assert_cmpstr (verb, ==, "imagine");
    g_assert_cmpstr (type, ==, "image");
  }

  advance (f, QUEUED_MS);
  started = get_job (f, jobid);
  assert_status (started, "started");

  advance (f, RUNNING_MS / 7 + 1);
  progress = get_job (f, jobid);
  assert_status (progress, "progress");
  g_assert_cmpint (jint (progress, "$.response.progress_percent"), ==, 15);

  advance (f, RUNNING_MS);
  done = get_job (f, jobid);
  assert_status (done, "completed");
  first_button = jstr (done, "$.response.buttons[0]");
  g_assert_cmpstr (first_button, ==, "U1");

  /* cdn.midjourney.com wants a browser User-Agent, then serves a JPEG. */
  cell = jstr (done, "$.response.imageUx[2].url");
  {
    g_autoptr(Reply) blocked = request (f, "GET", cell, NULL, NULL);
    SoupMessage *msg = message_new (f, "GET", cell, NULL);
    g_autoptr(Reply) ok = NULL;
    g_autoptr(GdkPixbuf) pixbuf = NULL;

    g_assert_cmpuint (blocked->status, ==, 403);
    set_header (msg, "User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Easel");
    ok = finish (start (f, msg));
    g_assert_cmpuint (ok->status, ==, 200);
    g_assert_cmpstr (reply_header (ok, "Content-Type"), ==, "image/jpeg");
    pixbuf = decode_image (ok->body);
    g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 512);
  }

  {
    g_autoptr(Reply) missing = request (f, "GET", "/v3/midjourney/jobs/j000-nope", USEAPI_TOKEN, NULL);
    g_autoptr(JsonObject) object = reply_object (missing);

    g_assert_cmpuint (missing->status, ==, 404);
    g_assert_cmpint (jint (object, "$.code"), ==, 404);
  }
}

static void
test_useapi_capacity (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(Reply) busy = NULL;
  g_autoptr(JsonObject) busy_body = NULL;
  g_autoptr(Reply) list = NULL;
  g_autoptr(JsonObject) running = NULL;
  g_autoptr(JsonObject) elsewhere = NULL;
  g_autofree char *elsewhere_id = NULL;

  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (jobs, imagine (f, "busy work"));

  busy = finish (start_imagine (f, "{\"prompt\": \"one too many\", \"stream\": false}"));
  g_assert_cmpuint (busy->status, ==, 429);
  busy_body = reply_object (busy);
  g_assert_cmpint (jint (busy_body, "$.code"), ==, 429);
  g_assert_false (jnull (busy_body, "$.error"));
  g_assert_cmpuint (jlen (busy_body, "$.executingJobs"), ==, 3);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emu, IMAGINE_KEY), ==, 3);
  g_assert_cmpuint (easel_emulator_get_request_count (f->emu, IMAGINE_KEY), ==, 4);

  /* Finished jobs leave the running list. */
  advance (f, JOB_MS + 1);
  list = request (f, "GET", "/v3/midjourney/jobs", USEAPI_TOKEN, NULL);
  g_assert_cmpuint (list->status, ==, 200);
  running = reply_object (list);
  g_assert_cmpint (jint (running, "$.total"), ==, 0);

  /* Again, and this time look at the running list while they run. */
  g_ptr_array_set_size (jobs, 0);
  easel_emulator_set_job_duration (f->emu, 120000, 1000);
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (jobs, imagine (f, "busy work"));
  advance (f, 61 * 1000);
  {
    g_autoptr(Reply) again = request (f, "GET", "/v3/midjourney/jobs", USEAPI_TOKEN, NULL);
    g_autoptr(JsonObject) object = reply_object (again);
    g_autofree char *first_job = jstr (object, "$.channels['1234567890123456789'].jobs[0].jobId");
    g_autofree char *expected = jstr (jobs->pdata[0], "$.jobid");
    g_autofree char *elapsed = jstr (object, "$.channels['1234567890123456789'].jobs[0].elapsed");
    g_autofree char *type = jstr (object, "$.channels['1234567890123456789'].jobs[0].jobType");
    g_autofree char *channel = jstr (object, "$.channels['1234567890123456789'].jobs[0].channel");
    g_autofree char *created = jstr (object, "$.channels['1234567890123456789'].jobs[0].created");

    g_assert_cmpint (jint (object, "$.total"), ==, 3);
    g_assert_cmpint (jint (object, "$.images"), ==, 3);
    g_assert_cmpint (jint (object, "$.videos"), ==, 0);
    g_assert_cmpint (jint (object, "$.channels['1234567890123456789'].total"), ==, 3);
    g_assert_cmpint (jint (object, "$.channels['1234567890123456789'].maxJobs"), ==, 3);
    g_assert_cmpint (jint (object, "$.channels['1234567890123456789'].maxImageJobs"), ==, 3);
    g_assert_cmpint (jint (object, "$.channels['1234567890123456789'].maxVideoJobs"), ==, 3);
    g_assert_cmpuint (jlen (object, "$.channels['1234567890123456789'].jobs"), ==, 3);
    g_assert_cmpstr (first_job, ==, expected);
    g_assert_cmpstr (elapsed, ==, "01:01");
    g_assert_cmpstr (type, ==, "image");
    g_assert_cmpstr (channel, ==, "1234567890123456789");
    g_assert_true (g_str_has_suffix (created, "Z"));
  }

  /* A second channel takes the overflow. */
  easel_emulator_add_channel (f->emu, "9876543210987654321", 1, 1, 1);
  elsewhere = imagine (f, "overflow");
  elsewhere_id = jstr (elsewhere, "$.jobid");
  g_assert_nonnull (strstr (elsewhere_id, "-c9876543210987654321-"));
  {
    g_autoptr(Reply) full = finish (start_imagine (f, "{\"prompt\": \"x\", \"stream\": false}"));

    g_assert_cmpuint (full->status, ==, 429);
  }
  {
    g_autoptr(Reply) pinned = finish (start_imagine (f, "{\"prompt\": \"x\", \"stream\": false, "
                                                        "\"channel\": \"111\"}"));

    g_assert_cmpuint (pinned->status, ==, 404);
  }
}

static void
test_useapi_moderation (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Reply) captcha = finish (start_imagine (f, "{\"prompt\": \"captcha-me please\", "
                                                       "\"stream\": false}"));
  g_autoptr(JsonObject) captcha_body = NULL;
  g_autoptr(Reply) blocked = NULL;
  g_autoptr(Reply) accounts = NULL;
  g_autoptr(JsonObject) accounts_body = NULL;
  g_autoptr(Reply) reset = NULL;
  g_autoptr(Reply) reset_missing = NULL;
  g_autoptr(JsonObject) after = NULL;

  g_assert_cmpuint (captcha->status, ==, 596);
  captcha_body = reply_object (captcha);
  g_assert_cmpint (jint (captcha_body, "$.code"), ==, 596);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emu, IMAGINE_KEY), ==, 0);

  blocked = finish (start_imagine (f, "{\"prompt\": \"innocent\", \"stream\": false}"));
  g_assert_cmpuint (blocked->status, ==, 596);

  accounts = request (f, "GET", "/v3/midjourney/accounts", USEAPI_TOKEN, NULL);
  accounts_body = reply_object (accounts);
  g_assert_false (jnull (accounts_body, "$['1234567890123456789'].error"));
  g_assert_cmpint (jint (accounts_body, "$['1234567890123456789'].maxJobs"), ==, 3);

  reset = request (f, "POST", "/v3/midjourney/accounts/reset/1234567890123456789", USEAPI_TOKEN, NULL);
  g_assert_cmpuint (reset->status, ==, 204);
  reset_missing = request (f, "POST", "/v3/midjourney/accounts/reset/42", USEAPI_TOKEN, NULL);
  g_assert_cmpuint (reset_missing->status, ==, 404);

  after = imagine (f, "innocent");
  assert_status (after, "created");
  {
    g_autoptr(Reply) again = request (f, "GET", "/v3/midjourney/accounts", USEAPI_TOKEN, NULL);
    g_autoptr(JsonObject) object = reply_object (again);

    g_assert_true (jnull (object, "$['1234567890123456789'].error"));
  }
}

static JsonObject *
press (Fixture    *f,
       const char *jobid,
       const char *button,
       guint       expected_status)
{
  g_autofree char *quoted_id = json_quote (jobid);
  g_autofree char *quoted_button = json_quote (button);
  g_autofree char *json = g_strdup_printf ("{\"jobId\": %s, \"button\": %s, \"stream\": false}",
                                           quoted_id, quoted_button);

  return request_object (f, "POST", "/v3/midjourney/jobs/button", USEAPI_TOKEN, json,
                         expected_status);
}

static gboolean
has_button (JsonObject *job,
            const char *button)
{
  g_autoptr(JsonNode) node = jpath (job, "$.response.buttons");
  JsonArray *buttons = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (buttons); i++)
    if (g_str_equal (json_array_get_string_element (buttons, i), button))
      return TRUE;
  return FALSE;
}

static void
test_useapi_buttons (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) grid = imagine (f, "a castle");
  g_autofree char *grid_id = jstr (grid, "$.jobid");
  g_autoptr(JsonObject) early = press (f, grid_id, "U1", 400);
  g_autoptr(JsonObject) upscale = NULL;
  g_autoptr(JsonObject) repeat = NULL;
  g_autoptr(JsonObject) upscale_done = NULL;
  g_autoptr(JsonObject) parent_done = NULL;
  g_autoptr(JsonObject) bad = NULL;
  g_autoptr(JsonObject) unknown = NULL;
  g_autoptr(JsonObject) animate = NULL;
  g_autoptr(JsonObject) variation = NULL;
  g_autofree char *upscale_id = NULL;
  g_autofree char *repeat_id = NULL;
  g_autofree char *parent_link = NULL;
  g_autofree char *animate_id = NULL;

  advance (f, JOB_MS + 1);
  upscale = press (f, grid_id, "U1", 201);
  upscale_id = jstr (upscale, "$.jobid");
  parent_link = jstr (upscale, "$.parentJobId");
  g_assert_cmpstr (parent_link, ==, grid_id);
  assert_jstr (upscale, "$.verb", "button");

  /* Execute-once: the same child again, nothing new billed. */
  repeat = press (f, grid_id, "U1", 200);
  repeat_id = jstr (repeat, "$.jobid");
  g_assert_cmpstr (repeat_id, ==, upscale_id);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emu, "POST /v3/midjourney/jobs/button"), ==, 1);

  /* V buttons may run again and again. */
  variation = press (f, grid_id, "V2", 201);
  {
    g_autoptr(JsonObject) variation2 = press (f, grid_id, "V2", 201);
    g_autofree char *a = jstr (variation, "$.jobid");
    g_autofree char *b = jstr (variation2, "$.jobid");

    g_assert_cmpstr (a, !=, b);
  }

  advance (f, JOB_MS + 1);
  upscale_done = get_job (f, upscale_id);
  assert_status (upscale_done, "completed");
  g_assert_true (has_button (upscale_done, "Vary (Strong)"));
  g_assert_true (has_button (upscale_done, "Vary (Subtle)"));
  g_assert_true (has_button (upscale_done, "Upscale (Subtle)"));
  g_assert_true (has_button (upscale_done, "Upscale (Creative)"));
  g_assert_true (has_button (upscale_done, "Zoom Out 2x"));
  g_assert_true (has_button (upscale_done, "Zoom Out 1.5x"));
  g_assert_true (has_button (upscale_done, "Custom Zoom"));
  g_assert_true (has_button (upscale_done, "⬅️"));
  g_assert_true (has_button (upscale_done, "Animate (High motion)"));
  g_assert_true (has_button (upscale_done, "Animate (Low motion)"));
  g_assert_false (has_button (upscale_done, "U1"));
  g_assert_cmpuint (jlen (upscale_done, "$.response.attachments"), ==, 1);

  parent_done = get_job (f, grid_id);
  g_assert_cmpuint (jlen (parent_done, "$.children"), ==, 3);

  bad = press (f, grid_id, "U9", 400);
  unknown = press (f, "j0000000000000000000i-u1-c1-bot:midjourney", "U1", 404);
  {
    g_autoptr(JsonObject) zoom = press (f, upscale_id, "Custom Zoom", 400);
    g_autofree char *message = jstr (zoom, "$.error");

    g_assert_nonnull (strstr (message, "prompt"));
  }

  animate = press (f, upscale_id, "Animate (Low motion)", 201);
  animate_id = jstr (animate, "$.jobid");
  g_assert_nonnull (strstr (animate_id, "v-u1-"));
  assert_jstr (animate, "$.jobType", "video");
}

static void
test_useapi_delete (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonObject) job = imagine (f, "to be cancelled");
  g_autofree char *jobid = jstr (job, "$.jobid");
  g_autofree char *path = g_strdup_printf ("/v3/midjourney/jobs/%s", jobid);
  g_autoptr(Reply) deleted = NULL;
  g_autoptr(Reply) again = NULL;
  g_autoptr(Reply) missing = NULL;
  g_autoptr(JsonObject) failed = NULL;
  g_autofree char *error = NULL;

  advance (f, QUEUED_MS + 1);
  deleted = request (f, "DELETE", path, USEAPI_TOKEN, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  g_assert_cmpuint (g_bytes_get_size (deleted->body), ==, 0);

  failed = get_job (f, jobid);
  assert_status (failed, "failed");
  error = jstr (failed, "$.error");
  g_assert_cmpstr (error, ==, "Job cancelled by user");
  {
    g_autoptr(Reply) list = request (f, "GET", "/v3/midjourney/jobs", USEAPI_TOKEN, NULL);
    g_autoptr(JsonObject) object = reply_object (list);

    g_assert_cmpint (jint (object, "$.total"), ==, 0);
  }

  again = request (f, "DELETE", path, USEAPI_TOKEN, NULL);
  g_assert_cmpuint (again->status, ==, 400);
  missing = request (f, "DELETE", "/v3/midjourney/jobs/j1-nope", USEAPI_TOKEN, NULL);
  g_assert_cmpuint (missing->status, ==, 404);

  /* After 62 days a job is gone for good. */
  advance (f, (guint64) 63 * 24 * 3600 * 1000);
  {
    g_autoptr(Reply) expired = request (f, "GET", path, USEAPI_TOKEN, NULL);
    g_autoptr(Reply) expired_delete = request (f, "DELETE", path, USEAPI_TOKEN, NULL);

    g_assert_cmpuint (expired->status, ==, 410);
    g_assert_cmpuint (expired_delete->status, ==, 410);
  }
}

static void
test_useapi_markers (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) moderated = imagine (f, "moderate-me please");
  g_autoptr(JsonObject) failing = imagine (f, "fail-me please");
  g_autofree char *moderated_id = jstr (moderated, "$.jobid");
  g_autofree char *failing_id = jstr (failing, "$.jobid");
  g_autoptr(JsonObject) moderated_done = NULL;
  g_autoptr(JsonObject) failing_done = NULL;

  advance (f, JOB_MS + 1);
  moderated_done = get_job (f, moderated_id);
  failing_done = get_job (f, failing_id);
  assert_status (moderated_done, "moderated");
  assert_status (failing_done, "failed");
  g_assert_false (jnull (failing_done, "$.error"));
  g_assert_false (jnull (moderated_done, "$.error"));
}

static Reply *
post_multipart (Fixture       *f,
                const char    *path,
                SoupMultipart *multipart)
{
  SoupMessage *msg = message_new (f, "POST", path, USEAPI_TOKEN);
  g_autoptr(GBytes) body = NULL;

  soup_multipart_to_message (multipart, soup_message_get_request_headers (msg), &body);
  soup_message_set_request_body_from_bytes (msg, NULL, body);
  return finish (start (f, msg));
}

static void
test_useapi_blend_describe_seed (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GBytes) small = g_bytes_new_static ("\x89PNG small image", 16);
  g_autoptr(SoupMultipart) blend = soup_multipart_new ("multipart/form-data");
  g_autoptr(Reply) blended = NULL;
  g_autoptr(JsonObject) blend_job = NULL;
  g_autoptr(JsonObject) blend_done = NULL;
  g_autofree char *blend_id = NULL;

  soup_multipart_append_form_file (blend, "imageBlob_1", "a.png", "image/png", small);
  soup_multipart_append_form_file (blend, "imageBlob_2", "b.png", "image/png", small);
  soup_multipart_append_form_string (blend, "imageUrl_3", "https://example.org/c.png");
  soup_multipart_append_form_string (blend, "blendDimensions", "Portrait");
  soup_multipart_append_form_string (blend, "stream", "false");
  blended = post_multipart (f, "/v3/midjourney/jobs/blend", blend);
  g_assert_cmpuint (blended->status, ==, 201);
  blend_job = reply_object (blended);
  blend_id = jstr (blend_job, "$.jobid");
  advance (f, JOB_MS + 1);
  blend_done = get_job (f, blend_id);
  assert_status (blend_done, "completed");
  /* Portrait: 2:3. */
  g_assert_cmpint (jint (blend_done, "$.response.attachments[0].height"), ==, 512);
  g_assert_cmpint (jint (blend_done, "$.response.attachments[0].width"), ==, 341);

  {
    g_autoptr(SoupMultipart) one = soup_multipart_new ("multipart/form-data");
    g_autoptr(Reply) reply = NULL;

    soup_multipart_append_form_file (one, "imageBlob_1", "a.png", "image/png", small);
    reply = post_multipart (f, "/v3/midjourney/jobs/blend", one);
    g_assert_cmpuint (reply->status, ==, 400);
  }
  {
    gsize size = 10 * 1024 * 1024 + 1;
    g_autoptr(GBytes) huge = g_bytes_new_take (g_malloc0 (size), size);
    g_autoptr(SoupMultipart) big = soup_multipart_new ("multipart/form-data");
    g_autoptr(Reply) reply = NULL;
    g_autoptr(JsonObject) object = NULL;
    g_autofree char *message = NULL;

    soup_multipart_append_form_file (big, "imageBlob_1", "a.png", "image/png", huge);
    soup_multipart_append_form_file (big, "imageBlob_2", "b.png", "image/png", small);
    reply = post_multipart (f, "/v3/midjourney/jobs/blend", big);
    g_assert_cmpuint (reply->status, ==, 400);
    object = reply_object (reply);
    message = jstr (object, "$.error");
    g_assert_nonnull (strstr (message, "10 MB"));
  }
  {
    g_autoptr(Reply) reply = request (f, "POST", "/v3/midjourney/jobs/blend", USEAPI_TOKEN,
                                      "{\"imageUrl_1\": \"https://e.org/a.png\", "
                                      "\"imageUrl_2\": \"https://e.org/b.png\", "
                                      "\"blendDimensions\": \"Round\"}");

    g_assert_cmpuint (reply->status, ==, 400);
  }

  /* describe: four suggestions in the content */
  {
    g_autoptr(Reply) reply = request (f, "POST", "/v3/midjourney/jobs/describe", USEAPI_TOKEN,
                                      "{\"imageUrl\": \"https://example.org/photo.jpg\", "
                                      "\"stream\": false}");
    g_autoptr(JsonObject) job = reply_object (reply);
    g_autofree char *id = jstr (job, "$.jobid");
    g_autoptr(JsonObject) done = NULL;
    g_autofree char *content = NULL;

    g_assert_cmpuint (reply->status, ==, 201);
    advance (f, JOB_MS + 1);
    done = get_job (f, id);
    assert_status (done, "completed");
    content = jstr (done, "$.response.content");
    g_assert_nonnull (strstr (content, "1️⃣"));
    g_assert_nonnull (strstr (content, "4️⃣"));
  }

  /* seed: once per job */
  {
    g_autofree char *json = g_strdup_printf ("{\"jobId\": \"%s\", \"stream\": false}", blend_id);
    g_autoptr(Reply) first = request (f, "POST", "/v3/midjourney/jobs/seed", USEAPI_TOKEN, json);
    g_autoptr(Reply) second = request (f, "POST", "/v3/midjourney/jobs/seed", USEAPI_TOKEN, json);
    g_autoptr(JsonObject) a = reply_object (first);
    g_autoptr(JsonObject) b = reply_object (second);
    g_autofree char *a_id = jstr (a, "$.jobid");
    g_autofree char *b_id = jstr (b, "$.jobid");
    g_autoptr(JsonObject) done = NULL;

    g_assert_cmpuint (first->status, ==, 201);
    g_assert_cmpuint (second->status, ==, 200);
    g_assert_cmpstr (a_id, ==, b_id);
    advance (f, JOB_MS + 1);
    done = get_job (f, a_id);
    assert_status (done, "completed");
    g_assert_false (jnull (done, "$.response.seed"));
    g_assert_cmpuint (jlen (done, "$.response.attachments"), ==, 4);
  }
}

static void
test_useapi_accounts (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Reply) created = request (f, "POST", "/v3/midjourney/accounts", USEAPI_TOKEN,
                                      "{\"discord\": \"MTIzNDU2Nzg5.secret.token-xyz\", \"maxJobs\": 2}");
  g_autoptr(Reply) updated = request (f, "POST", "/v3/midjourney/accounts", USEAPI_TOKEN,
                                      "{\"discord\": \"MTIzNDU2Nzg5.secret.token-xyz\", \"maxJobs\": 3}");
  g_autoptr(Reply) too_many = request (f, "POST", "/v3/midjourney/accounts", USEAPI_TOKEN,
                                       "{\"discord\": \"MTIother\", \"maxJobs\": 16}");
  g_autoptr(Reply) missing = request (f, "POST", "/v3/midjourney/accounts", USEAPI_TOKEN,
                                      "{\"maxJobs\": 2}");
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *masked = NULL;
  g_autofree char *channel = NULL;

  g_assert_cmpuint (created->status, ==, 201);
  object = reply_object (created);
  masked = jstr (object, "$.discord");
  channel = jstr (object, "$.channel");
  g_assert_cmpstr (masked, ==, "MTI...xyz");
  g_assert_cmpuint (strlen (channel), ==, 19);
  g_assert_cmpint (jint (object, "$.maxJobs"), ==, 2);
  g_assert_cmpint (jint (object, "$.maxImageJobs"), ==, 2);
  g_assert_cmpuint (updated->status, ==, 200);
  g_assert_cmpuint (too_many->status, ==, 400);
  g_assert_cmpuint (missing->status, ==, 400);

  {
    g_autofree char *path = g_strdup_printf ("/v3/midjourney/accounts/%s", channel);
    g_autoptr(Reply) got = request (f, "GET", path, USEAPI_TOKEN, NULL);

    g_assert_cmpuint (got->status, ==, 200);
  }
  {
    g_autoptr(Reply) reply = request (f, "GET", "/v3/midjourney/accounts", "user:1-invalid", NULL);
    g_autoptr(JsonObject) body = reply_object (reply);
    g_autofree char *error = jstr (body, "$.error");

    g_assert_cmpuint (reply->status, ==, 401);
    g_assert_cmpstr (error, ==, "Unauthorized");
  }
  {
    g_autoptr(Reply) reply = request (f, "GET", "/v3/midjourney/accounts", "user:1-unpaid", NULL);
    g_autoptr(JsonObject) body = reply_object (reply);
    g_autofree char *error = jstr (body, "$.error");

    g_assert_cmpuint (reply->status, ==, 402);
    g_assert_cmpstr (error, ==, "Account has no subscription or subscription expired");
  }
}

/* ---- OpenRouter --------------------------------------------------------- */

#define CHAT "/api/v1/chat/completions"

static void
test_openrouter_completion (Fixture       *f,
                            gconstpointer  data)
{
  const char *body = "{\"model\": \"openai/gpt-4o-mini\", \"messages\": ["
                     "{\"role\": \"system\", \"content\": \"Rewrite as a prompt.\"},"
                     "{\"role\": \"user\", \"content\": \"cozy cabin in snow\"}]}";
  g_autoptr(Reply) reply = request (f, "POST", CHAT, OPENROUTER_TOKEN, body);
  g_autoptr(Reply) again = request (f, "POST", CHAT, OPENROUTER_TOKEN, body);
  g_autoptr(JsonObject) object = reply_object (reply);
  g_autoptr(JsonObject) object2 = reply_object (again);
  g_autofree char *content = jstr (object, "$.choices[0].message.content");
  g_autofree char *content2 = jstr (object2, "$.choices[0].message.content");
  g_autofree char *id = jstr (object, "$.id");
  g_autofree char *streamed = NULL;
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(Reply) stream = NULL;
  g_auto(Sse) sse = { 0 };
  g_autofree char *text = NULL;
  JsonObject *last;

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_true (g_str_has_prefix (content, "cozy cabin in snow, "));
  g_assert_cmpstr (content, ==, content2);
  g_assert_true (g_str_has_prefix (id, "gen-"));
  g_assert_cmpstr (reply_header (reply, "X-Generation-Id"), ==, id);
  g_assert_cmpint (jint (object, "$.usage.total_tokens"), ==,
                   jint (object, "$.usage.prompt_tokens") + jint (object, "$.usage.completion_tokens"));
  assert_jstr (object, "$.choices[0].finish_reason", "stop");

  streamed = g_strdup_printf ("{\"model\": \"openai/gpt-4o-mini\", \"stream\": true, \"messages\": "
                              "[{\"role\": \"user\", \"content\": \"cozy cabin in snow\"}]}");
  stream = request (f, "POST", CHAT, OPENROUTER_TOKEN, streamed);
  g_assert_cmpuint (stream->status, ==, 200);
  text = reply_text (stream);
  g_assert_nonnull (strstr (text, ": OPENROUTER PROCESSING\n"));
  g_assert_true (g_str_has_suffix (text, "data: [DONE]\n\n"));
  parse_sse (stream->body, &sse);
  for (guint i = 0; i < sse.events->len; i++)
    {
      g_autofree char *delta = jstr (sse.events->pdata[i], "$.choices[0].delta.content");

      g_string_append (joined, delta);
    }
  g_assert_cmpstr (joined->str, ==, content);
  last = sse.events->pdata[sse.events->len - 1];
  g_assert_false (jnull (last, "$.usage.total_tokens"));

  {
    g_autoptr(Reply) key = request (f, "GET", "/api/v1/key", OPENROUTER_TOKEN, NULL);
    g_autoptr(JsonObject) key_body = reply_object (key);

    g_assert_cmpuint (key->status, ==, 200);
    g_assert_false (jnull (key_body, "$.data.usage"));
    g_assert_false (jnull (key_body, "$.data.is_free_tier"));
  }
}

static void
test_openrouter_errors (Fixture       *f,
                        gconstpointer  data)
{
  const char *body = "{\"model\": \"emulator/error-in-body\", \"messages\": "
                     "[{\"role\": \"user\", \"content\": \"hello\"}]}";
  g_autoptr(Reply) reply = request (f, "POST", CHAT, OPENROUTER_TOKEN, body);
  g_autoptr(JsonObject) object = reply_object (reply);
  g_autofree char *message = jstr (object, "$.error.message");

  /* The documented "error in a 200 body". */
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpint (jint (object, "$.error.code"), ==, 502);
  g_assert_nonnull (message);
  g_assert_true (jnull (object, "$.choices"));

  {
    g_autoptr(Reply) unpaid = request (f, "POST", CHAT, "sk-or-v1-unpaid", body);
    g_autoptr(JsonObject) error = reply_object (unpaid);
    g_autofree char *text = jstr (error, "$.error.message");

    g_assert_cmpuint (unpaid->status, ==, 402);
    g_assert_cmpint (jint (error, "$.error.code"), ==, 402);
    g_assert_true (g_str_has_prefix (text, "Insufficient credits"));
  }
  {
    g_autoptr(Reply) invalid = request (f, "POST", CHAT, "sk-or-v1-invalid", body);
    g_autoptr(JsonObject) error = reply_object (invalid);

    g_assert_cmpuint (invalid->status, ==, 401);
    g_assert_cmpint (jint (error, "$.error.code"), ==, 401);
  }
  {
    g_autoptr(Reply) limited = request (f, "POST", CHAT, "sk-or-v1-ratelimited", body);

    g_assert_cmpuint (limited->status, ==, 429);
    g_assert_cmpstr (reply_header (limited, "Retry-After"), ==, "1");
  }
  {
    g_autoptr(Reply) bad = request (f, "POST", CHAT, OPENROUTER_TOKEN, "{\"model\": \"openai/x\"}");

    g_assert_cmpuint (bad->status, ==, 400);
  }
  {
    g_autoptr(Reply) streaming = request (f, "POST", CHAT, OPENROUTER_TOKEN,
                                          "{\"model\": \"emulator/error-in-body\", \"stream\": true, "
                                          "\"messages\": [{\"role\": \"user\", \"content\": "
                                          "\"a long enough idea to stream\"}]}");
    g_auto(Sse) sse = { 0 };
    JsonObject *last;

    g_assert_cmpuint (streaming->status, ==, 200);
    parse_sse (streaming->body, &sse);
    last = sse.events->pdata[sse.events->len - 1];
    g_assert_cmpint (jint (last, "$.error.code"), ==, 502);
  }
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emu, "POST " CHAT), ==, 0);
}

/* ---- Faults ------------------------------------------------------------- */

static void
set_faults (Fixture    *f,
            const char *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (easel_emulator_set_faults (f->emu, spec, &error));
  g_assert_no_error (error);
}

static guint
post_sdxl (Fixture *f)
{
  g_autoptr(Reply) reply = request (f, "POST", "/v1/predictions", REPLICATE_TOKEN,
                                    "{\"version\": \"" SDXL_VERSION "\", \"input\": {\"prompt\": \"x\"}}");

  return reply->status;
}

static void
test_faults_status_count (Fixture       *f,
                          gconstpointer  data)
{
  set_faults (f, "POST /v1/predictions: 503 x2");

  {
    g_autoptr(Reply) reply = request (f, "POST", "/v1/predictions", REPLICATE_TOKEN,
                                      "{\"version\": \"" SDXL_VERSION "\", \"input\": {\"prompt\": \"x\"}}");
    g_autoptr(JsonObject) object = reply_object (reply);

    g_assert_cmpuint (reply->status, ==, 503);
    g_assert_cmpint (jint (object, "$.status"), ==, 503);
  }
  g_assert_cmpuint (post_sdxl (f), ==, 503);
  g_assert_cmpuint (post_sdxl (f), ==, 201);
  g_assert_cmpuint (post_sdxl (f), ==, 201);
  g_assert_cmpuint (easel_emulator_get_request_count (f->emu, "POST /v1/predictions"), ==, 4);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emu, "POST /v1/predictions"), ==, 2);

  /* 429 with a chosen Retry-After, scoped by the route template. */
  set_faults (f, "GET /v1/predictions/{id}: 429 retry-after=7 x1");
  {
    g_autoptr(Reply) reply = request (f, "GET", "/v1/predictions/anything", REPLICATE_TOKEN, NULL);
    g_autoptr(JsonObject) object = reply_object (reply);
    g_autofree char *detail = jstr (object, "$.detail");

    g_assert_cmpuint (reply->status, ==, 429);
    g_assert_cmpstr (reply_header (reply, "Retry-After"), ==, "7");
    g_assert_nonnull (strstr (detail, "~7s"));
  }
  {
    g_autoptr(Reply) reply = request (f, "GET", "/v1/predictions/anything", REPLICATE_TOKEN, NULL);

    g_assert_cmpuint (reply->status, ==, 404);
  }

  /* after=N lets the first requests through. */
  set_faults (f, "/v3/midjourney/*: 502 after=1 x1");
  {
    g_autoptr(Reply) first = request (f, "GET", "/v3/midjourney/jobs", USEAPI_TOKEN, NULL);
    g_autoptr(Reply) second = request (f, "GET", "/v3/midjourney/jobs", USEAPI_TOKEN, NULL);
    g_autoptr(Reply) third = request (f, "GET", "/v3/midjourney/jobs", USEAPI_TOKEN, NULL);
    g_autoptr(JsonObject) object = reply_object (second);

    g_assert_cmpuint (first->status, ==, 200);
    g_assert_cmpuint (second->status, ==, 502);
    g_assert_cmpint (jint (object, "$.code"), ==, 502);
    g_assert_cmpuint (third->status, ==, 200);
  }
}

static GString *
failure_pattern (const char *spec)
{
  g_autoptr(EaselEmulator) emu = easel_emulator_new ();
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr(GError) error = NULL;
  Fixture f = { emu, NULL, session };
  GString *pattern = g_string_new (NULL);

  g_assert_true (easel_emulator_listen (emu, 0, &error));
  g_assert_true (easel_emulator_set_faults (emu, spec, &error));
  f.origin = easel_emulator_dup_origin (emu);
  for (guint i = 0; i < 24; i++)
    {
      g_autoptr(Reply) reply = request (&f, "GET", "/v1/account", REPLICATE_TOKEN, NULL);

      g_string_append_c (pattern, reply->status == 500 ? 'x' : '.');
    }
  soup_session_abort (session);
  drain ();
  g_free (f.origin);
  return pattern;
}

static void
test_faults_seeded (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GString) a = failure_pattern ("GET /v1/account: 500 50%; seed=3");
  g_autoptr(GString) b = failure_pattern ("seed=3; GET /v1/account: 500 50%");
  g_autoptr(GString) c = failure_pattern ("GET /v1/account: 500 50%; seed=4");

  g_assert_cmpstr (a->str, ==, b->str);
  g_assert_cmpstr (a->str, !=, c->str);
  g_assert_nonnull (strchr (a->str, 'x'));
  g_assert_nonnull (strchr (a->str, '.'));
}

static void
test_faults_latency (Fixture       *f,
                     gconstpointer  data)
{
  set_faults (f, "GET /v1/account: latency 150-160");
  {
    g_autoptr(Reply) slow = request (f, "GET", "/v1/account", REPLICATE_TOKEN, NULL);
    g_autoptr(Reply) fast = request (f, "GET", "/v3/midjourney/jobs", USEAPI_TOKEN, NULL);

    g_assert_cmpuint (slow->status, ==, 200);
    g_assert_cmpint (slow->elapsed_us, >=, 150 * 1000);
    g_assert_cmpint (fast->elapsed_us, <, 150 * 1000);
  }

  set_faults (f, NULL);
  easel_emulator_set_latency (f->emu, 60, 80);
  {
    g_autoptr(Reply) reply = request (f, "GET", "/v3/midjourney/jobs", USEAPI_TOKEN, NULL);

    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_cmpint (reply->elapsed_us, >=, 60 * 1000);
  }
}

static void
test_faults_drop (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Reply) dropped = NULL;
  g_autoptr(Reply) list = NULL;
  g_autoptr(JsonObject) page = NULL;

  set_faults (f, "GET /v1/models/*: drop");
  dropped = request (f, "GET", "/v1/models/black-forest-labs/flux-schnell", REPLICATE_TOKEN, NULL);
  g_assert_nonnull (dropped->error);
  g_assert_null (dropped->body);

  /* A dropped create still created the prediction: the ambiguous case. */
  set_faults (f, "POST /v1/models/*/predictions: drop x1");
  {
    g_autoptr(Reply) reply = request (f, "POST", "/v1/models/black-forest-labs/flux-schnell/predictions",
                                      REPLICATE_TOKEN, "{\"input\": {\"prompt\": \"lost reply\"}}");

    g_assert_nonnull (reply->error);
  }
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emu, "POST /v1/models/{owner}/{name}/predictions"), ==, 1);
  list = request (f, "GET", "/v1/predictions", REPLICATE_TOKEN, NULL);
  page = reply_object (list);
  assert_jstr (page, "$.results[0].input.prompt", "lost reply");

  /* The next request on a fresh connection works. */
  {
    g_autoptr(Reply) ok = request (f, "GET", "/v1/models/black-forest-labs/flux-schnell", REPLICATE_TOKEN, NULL);

    g_assert_cmpuint (ok->status, ==, 200);
  }
}

static void
test_faults_bodies (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Reply) full = request (f, "GET", "/v1/models/black-forest-labs/flux-schnell", REPLICATE_TOKEN, NULL);

  set_faults (f, "GET /v1/models/{owner}/{name}: truncate x1; GET /v1/account: malformed");
  {
    g_autoptr(Reply) cut = request (f, "GET", "/v1/models/black-forest-labs/flux-schnell", REPLICATE_TOKEN, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = NULL;

    g_assert_no_error (cut->error);
    g_assert_cmpuint (cut->status, ==, 200);
    g_assert_cmpuint (g_bytes_get_size (cut->body), <, g_bytes_get_size (full->body));
    node = parse_json (cut->body, &error);
    g_assert_null (node);
    g_assert_nonnull (error);
  }
  {
    g_autoptr(Reply) bad = request (f, "GET", "/v1/account", REPLICATE_TOKEN, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = NULL;

    g_assert_no_error (bad->error);
    g_assert_cmpuint (bad->status, ==, 200);
    node = parse_json (bad->body, &error);
    g_assert_null (node);
    g_assert_nonnull (error);
  }
}

static void
test_faults_sse (Fixture       *f,
                 gconstpointer  data)
{
  /* Slow SSE: at least 40 ms between events. */
  set_faults (f, "POST " IMAGINE ": slow-sse 40");
  {
    g_autoptr(Reply) reply = start_imagine (f, "{\"prompt\": \"slowly\"}");
    g_auto(Sse) sse = { 0 };
    gint64 begun;

    wait_requests (f, IMAGINE_KEY, 1);
    begun = g_get_monotonic_time ();
    advance (f, JOB_MS + 1);
    finish (reply);
    g_assert_no_error (reply->error);
    parse_sse (reply->body, &sse);
    g_assert_cmpuint (sse.events->len, ==, 10);
    g_assert_cmpint (g_get_monotonic_time () - begun, >=, 9 * 40 * 1000);
  }

  /* A stream dropped mid-body is a client error, and the job it created
   * sticks in "progress", holding its slot, as UseAPI documents. */
  set_faults (f, "POST " IMAGINE ": drop x1");
  {
    g_autoptr(Reply) reply = start_imagine (f, "{\"prompt\": \"dropped\"}");
    g_autoptr(Reply) list = NULL;
    g_autoptr(JsonObject) object = NULL;

    finish (reply);
    g_assert_nonnull (reply->error);
    spin_for (50);   /* the server notices the broken connection */
    advance (f, 10 * 60 * 1000);
    list = request (f, "GET", "/v3/midjourney/jobs", USEAPI_TOKEN, NULL);
    object = reply_object (list);
    g_assert_cmpint (jint (object, "$.total"), ==, 1);
    advance (f, 5 * 60 * 1000);
    {
      g_autoptr(Reply) later = request (f, "GET", "/v3/midjourney/jobs", USEAPI_TOKEN, NULL);
      g_autoptr(JsonObject) later_object = reply_object (later);

      g_assert_cmpint (jint (later_object, "$.total"), ==, 0);
    }
  }

  /* A truncated event: the stream ends cleanly after half a JSON object. */
  set_faults (f, "POST " IMAGINE ": truncate x1");
  {
    g_autoptr(Reply) reply = start_imagine (f, "{\"prompt\": \"cut short\"}");
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GBytes) second = NULL;

    finish (reply);
    text = reply_text (reply);
    lines = g_strsplit (text, "\n\n", -1);
    g_assert_true (g_str_has_prefix (lines[0], "data: "));
    g_assert_true (g_str_has_prefix (lines[2], "data: "));
    second = g_bytes_new (lines[2] + 6, strlen (lines[2] + 6));
    node = parse_json (second, &error);
    g_assert_nonnull (error);
  }
}

static void
test_faults_invalid (Fixture       *f,
                     gconstpointer  data)
{
  static const struct { const char *spec; const char *part; } cases[] = {
    { "GET /x: 7000", "Fault rule 1" },
    { "GET /x: 500; GET /y: teapot", "Fault rule 2 (“GET /y: teapot”)" },
    { "latency", "latency needs" },
    { "POST /v1/x: drop 120%", "120%" },
    { "POST /v1/x: drop x0", "x0" },
    { "a b c: 500", "scope" },
    { "GET /x: truncate retry-after=3", "retry-after" },
    { "seed=banana", "seed" },
    { ": 500", "empty scope" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (easel_emulator_set_faults (f->emu, cases[i].spec, &error));
      g_assert_error (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS);
      if (strstr (error->message, cases[i].part) == NULL)
        g_error ("“%s” gave “%s”, which does not mention “%s”", cases[i].spec, error->message,
                 cases[i].part);
    }

  set_faults (f, "seed=9; GET /v1/*: 500 10% retry-after=2;\n"
                 "*: latency 1-2; POST: slow-sse=5; /api/v1/*: malformed x3 after=1; ");
  set_faults (f, "");
}

static void
test_stats (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Reply) stats = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonObject *requests;
  JsonObject *submits;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonObject) created = create_prediction (f, "black-forest-labs/flux-schnell",
                                                         "{\"prompt\": \"counted\"}");
      g_autofree char *id = jstr (created, "$.id");
      g_autoptr(JsonObject) got = get_prediction (f, id);
    }
  {
    g_autoptr(JsonObject) job = imagine (f, "counted");
    g_autoptr(Reply) unauthorised = request (f, "GET", "/v3/midjourney/jobs", NULL, NULL);
  }

  stats = request (f, "GET", "/_emulator/stats", NULL, NULL);
  g_assert_cmpuint (stats->status, ==, 200);
  object = reply_object (stats);
  requests = json_object_get_object_member (object, "requests");
  submits = json_object_get_object_member (object, "submits");
  g_assert_cmpint (json_object_get_int_member (requests, "POST /v1/models/{owner}/{name}/predictions"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (requests, "GET /v1/predictions/{id}"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (requests, IMAGINE_KEY), ==, 1);
  g_assert_cmpint (json_object_get_int_member (requests, "GET /v3/midjourney/jobs"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (submits, "POST /v1/models/{owner}/{name}/predictions"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (submits, IMAGINE_KEY), ==, 1);
  g_assert_false (json_object_has_member (submits, "GET /v1/predictions/{id}"));
  g_assert_false (json_object_has_member (requests, "GET /_emulator/stats"));
  g_assert_cmpint (json_object_get_int_member (object, "total_requests"), ==, 6);
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emu), ==, 6);
  g_assert_cmpuint (easel_emulator_get_request_count (f->emu, "GET /v1/predictions/{id}"), ==, 2);

  easel_emulator_reset_counts (f->emu);
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emu), ==, 0);
}

static void
test_real_clock (Fixture       *f,
                 gconstpointer  data)
{
  SoupMessage *msg;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonObject) object = NULL;

  /* Without the manual clock, jobs move on real time. */
  easel_emulator_set_manual_clock (f->emu, FALSE);
  easel_emulator_set_job_duration (f->emu, 20, 40);
  msg = message_new (f, "POST", "/v1/models/black-forest-labs/flux-schnell/predictions", REPLICATE_TOKEN);
  set_header (msg, "Prefer", "wait=5");
  set_json_body (msg, "{\"input\": {\"prompt\": \"real time\"}}");
  reply = finish (start (f, msg));
  g_assert_cmpuint (reply->status, ==, 201);
  object = reply_object (reply);
  assert_jstr (object, "$.status", "succeeded");
  g_assert_cmpint (reply->elapsed_us, <, 2 * G_USEC_PER_SEC);

  /* An SSE stream on real time, with its keep-alive. */
  {
    g_autoptr(Reply) stream = start_imagine (f, "{\"prompt\": \"live\"}");
    g_auto(Sse) sse = { 0 };

    finish (stream);
    parse_sse (stream->body, &sse);
    g_assert_cmpstr (json_object_get_string_member (sse.events->pdata[sse.events->len - 1], "event"),
                     ==, "midjourney_completed");
  }
  spin_for (10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/Emulator/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("replicate/lifecycle", test_replicate_lifecycle);
  ADD ("replicate/single-output", test_replicate_single_output);
  ADD ("replicate/prefer-wait", test_replicate_prefer_wait);
  ADD ("replicate/cancel", test_replicate_cancel);
  ADD ("replicate/cancel-after", test_replicate_cancel_after);
  ADD ("replicate/pagination", test_replicate_pagination);
  ADD ("replicate/files", test_replicate_files);
  ADD ("replicate/errors", test_replicate_errors);
  ADD ("replicate/schema", test_replicate_schema);
  ADD ("replicate/retention", test_replicate_retention);
  ADD ("replicate/markers", test_replicate_markers);
  ADD ("useapi/imagine-sse", test_useapi_imagine_sse);
  ADD ("useapi/polling", test_useapi_polling);
  ADD ("useapi/capacity", test_useapi_capacity);
  ADD ("useapi/moderation", test_useapi_moderation);
  ADD ("useapi/buttons", test_useapi_buttons);
  ADD ("useapi/delete", test_useapi_delete);
  ADD ("useapi/markers", test_useapi_markers);
  ADD ("useapi/blend-describe-seed", test_useapi_blend_describe_seed);
  ADD ("useapi/accounts", test_useapi_accounts);
  ADD ("openrouter/completion", test_openrouter_completion);
  ADD ("openrouter/errors", test_openrouter_errors);
  ADD ("faults/status-count", test_faults_status_count);
  ADD ("faults/seeded", test_faults_seeded);
  ADD ("faults/latency", test_faults_latency);
  ADD ("faults/drop", test_faults_drop);
  ADD ("faults/bodies", test_faults_bodies);
  ADD ("faults/sse", test_faults_sse);
  ADD ("faults/invalid", test_faults_invalid);
  ADD ("stats", test_stats);
  ADD ("real-clock", test_real_clock);

#undef ADD

  return g_test_run ();
}
