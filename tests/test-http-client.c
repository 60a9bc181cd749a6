/* test-http-client.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The retry rules of EaselHttpClient against a scripted in-process server:
 * each test queues the replies the server gives, in order, and checks what
 * the client did (attempts, delays asked for, the error code). Backoff
 * delays go through a sleep function that records them and wakes at once,
 * so nothing here sleeps. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "easel-http-client.h"

typedef enum
{
  REPLY_STATUS,      /* status + body */
  REPLY_DROP,        /* close the connection without a reply */
  REPLY_TRUNCATE,    /* promise a long body, send part, close */
} ReplyKind;

typedef struct
{
  ReplyKind   kind;
  guint       status;
  const char *body;
  const char *retry_after;
  const char *content_type;
} Reply;

typedef struct
{
  SoupServer       *server;
  EaselHttpClient  *client;
  char             *base_url;
  GQueue            replies;
  GArray           *delays;
  guint             requests;
  char             *last_authorization;
  char             *last_body;
  EaselHttpResponse *response;
  GError           *error;
  gboolean          done;
} Fixture;

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;
  Reply *reply = g_queue_pop_head (&f->replies);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);

  f->requests++;
  g_free (f->last_authorization);
  f->last_authorization = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                  "Authorization"));
  g_free (f->last_body);
  f->last_body = g_strndup (request_body->data, request_body->length);

  if (reply == NULL)
    {
      soup_server_message_set_status (msg, 500, NULL);
      return;
    }

  switch (reply->kind)
    {
    case REPLY_DROP:
      {
        GIOStream *stream = soup_server_message_steal_connection (msg);

        g_io_stream_close (stream, NULL, NULL);
        g_object_unref (stream);
      }
      break;

    case REPLY_TRUNCATE:
      {
        GIOStream *stream = soup_server_message_steal_connection (msg);
        const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           "Content-Length: 1000\r\n\r\n{\"id\": \"abc\", ";

        g_output_stream_write_all (g_io_stream_get_output_stream (stream), head, strlen (head),
                                   NULL, NULL, NULL);
        g_io_stream_close (stream, NULL, NULL);
        g_object_unref (stream);
      }
      break;

    case REPLY_STATUS:
    default:
      soup_server_message_set_status (msg, reply->status, NULL);
      if (reply->retry_after != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Retry-After", reply->retry_after);
      if (reply->body != NULL)
        soup_server_message_set_response (msg, reply->content_type ? reply->content_type : "application/json",
                                          SOUP_MEMORY_COPY, reply->body, strlen (reply->body));
      break;
    }

  g_free (reply);
}

static void
record_sleep (guint       delay_ms,
              GSourceFunc wake,
              gpointer    wake_data,
              gpointer    user_data)
{
  Fixture *f = user_data;

  g_array_append_val (f->delays, delay_ms);
  g_idle_add (wake, wake_data);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *origin = NULL;

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (f->server);
  origin = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  f->base_url = g_strconcat (origin, "v1", NULL);

  f->client = easel_http_client_new ("Test", f->base_url, "sentinel-token-0000", &error);
  g_assert_no_error (error);
  f->delays = g_array_new (FALSE, FALSE, sizeof (guint));
  easel_http_client_set_sleep_func (f->client, record_sleep, f);
  easel_http_client_set_timeout (f->client, 5);
  g_queue_init (&f->replies);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_queue_clear_full (&f->replies, g_free);
  g_clear_object (&f->client);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_array_unref (f->delays);
  g_free (f->base_url);
  g_free (f->last_authorization);
  g_free (f->last_body);
  g_clear_pointer (&f->response, easel_http_response_free);
  g_clear_error (&f->error);
}

static void
queue_reply (Fixture    *f,
             ReplyKind   kind,
             guint       status,
             const char *body,
             const char *retry_after)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->kind = kind;
  reply->status = status;
  reply->body = body;
  reply->retry_after = retry_after;
  g_queue_push_tail (&f->replies, reply);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  f->response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &f->error);
  f->done = TRUE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  g_error ("The request did not finish within 10 s");
  return G_SOURCE_REMOVE;
}

static void
run (Fixture          *f,
     const char       *method,
     const char       *path,
     EaselHttpFlags    flags,
     const char       *json)
{
  EaselHttpRequest *request = easel_http_request_new (method, path);
  guint deadline;

  easel_http_request_set_flags (request, flags);
  if (json != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (json, strlen (json));

      easel_http_request_set_body (request, "application/json", body);
    }

  f->done = FALSE;
  deadline = g_timeout_add_seconds (10, deadline_cb, NULL);
  easel_http_client_send_async (f->client, request, NULL, send_cb, f);
  while (!f->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (deadline);
}

static void
test_success (Fixture       *f,
              gconstpointer  data)
{
  queue_reply (f, REPLY_STATUS, 200, "{\"ok\": true}", NULL);
  run (f, "GET", "things/1", EASEL_HTTP_IDEMPOTENT, NULL);

  g_assert_no_error (f->error);
  g_assert_cmpuint (f->response->status, ==, 200);
  g_assert_cmpuint (f->response->attempts, ==, 1);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (f->response->json));
  g_assert_cmpstr (f->last_authorization, ==, "Bearer sentinel-token-0000");
}

static void
test_get_retries_5xx (Fixture       *f,
                      gconstpointer  data)
{
  queue_reply (f, REPLY_STATUS, 503, NULL, NULL);
  queue_reply (f, REPLY_STATUS, 502, NULL, NULL);
  queue_reply (f, REPLY_STATUS, 200, "{}", NULL);
  run (f, "GET", "x", EASEL_HTTP_IDEMPOTENT, NULL);

  g_assert_no_error (f->error);
  g_assert_cmpuint (f->requests, ==, 3);
  g_assert_cmpuint (f->response->attempts, ==, 3);
  g_assert_cmpuint (f->delays->len, ==, 2);
  /* Exponential with equal jitter: [500, 1000] then [1000, 2000] ms. */
  g_assert_cmpuint (g_array_index (f->delays, guint, 0), >=, 500);
  g_assert_cmpuint (g_array_index (f->delays, guint, 0), <=, 1000);
  g_assert_cmpuint (g_array_index (f->delays, guint, 1), >=, 1000);
  g_assert_cmpuint (g_array_index (f->delays, guint, 1), <=, 2000);
}

static void
test_get_gives_up (Fixture       *f,
                   gconstpointer  data)
{
  easel_http_client_set_max_attempts (f->client, 3);
  for (guint i = 0; i < 3; i++)
    queue_reply (f, REPLY_STATUS, 500, "{\"detail\": \"boom\"}", NULL);
  run (f, "GET", "x", EASEL_HTTP_IDEMPOTENT, NULL);

  g_assert_error (f->error, EASEL_ERROR, EASEL_ERROR_SERVER);
  g_assert_nonnull (strstr (f->error->message, "boom"));
  g_assert_nonnull (strstr (f->error->message, "Test"));
  g_assert_cmpuint (f->requests, ==, 3);
}

static void
test_retry_after (Fixture       *f,
                  gconstpointer  data)
{
  /* A billable POST is retried on 429: the server said it did not take it. */
  queue_reply (f, REPLY_STATUS, 429, "{\"detail\": \"Request was throttled.\"}", "7");
  queue_reply (f, REPLY_STATUS, 201, "{\"id\": \"p1\"}", NULL);
  run (f, "POST", "predictions", EASEL_HTTP_BILLABLE, "{\"input\": {}}");

  g_assert_no_error (f->error);
  g_assert_cmpuint (f->requests, ==, 2);
  g_assert_cmpuint (f->delays->len, ==, 1);
  g_assert_cmpuint (g_array_index (f->delays, guint, 0), >=, 7000);
  g_assert_cmpstr (f->last_body, ==, "{\"input\": {}}");
}

static void
test_billable_5xx_is_ambiguous (Fixture       *f,
                                gconstpointer  data)
{
  queue_reply (f, REPLY_STATUS, 500, NULL, NULL);
  queue_reply (f, REPLY_STATUS, 201, "{\"id\": \"p2\"}", NULL);
  run (f, "POST", "predictions", EASEL_HTTP_BILLABLE, "{}");

  g_assert_error (f->error, EASEL_ERROR, EASEL_ERROR_AMBIGUOUS);
  g_assert_cmpuint (f->requests, ==, 1);   /* never sent twice */
  g_assert_cmpuint (f->delays->len, ==, 0);
}

static void
test_billable_drop_is_ambiguous (Fixture       *f,
                                 gconstpointer  data)
{
  queue_reply (f, REPLY_DROP, 0, NULL, NULL);
  queue_reply (f, REPLY_STATUS, 201, "{}", NULL);
  run (f, "POST", "predictions", EASEL_HTTP_BILLABLE, "{}");

  g_assert_error (f->error, EASEL_ERROR, EASEL_ERROR_AMBIGUOUS);
  g_assert_cmpuint (f->requests, ==, 1);
}

static void
test_billable_truncated_is_ambiguous (Fixture       *f,
                                      gconstpointer  data)
{
  queue_reply (f, REPLY_TRUNCATE, 0, NULL, NULL);
  run (f, "POST", "predictions", EASEL_HTTP_BILLABLE, "{}");

  g_assert_error (f->error, EASEL_ERROR, EASEL_ERROR_AMBIGUOUS);
  g_assert_cmpuint (f->requests, ==, 1);
}

static void
test_get_drop_retried (Fixture       *f,
                       gconstpointer  data)
{
  queue_reply (f, REPLY_DROP, 0, NULL, NULL);
  queue_reply (f, REPLY_TRUNCATE, 0, NULL, NULL);
  queue_reply (f, REPLY_STATUS, 200, "{\"id\": \"x\"}", NULL);
  run (f, "GET", "x", EASEL_HTTP_IDEMPOTENT, NULL);

  g_assert_no_error (f->error);
  g_assert_cmpuint (f->requests, ==, 3);
}

static void
test_malformed_json (Fixture       *f,
                     gconstpointer  data)
{
  easel_http_client_set_max_attempts (f->client, 2);
  queue_reply (f, REPLY_STATUS, 200, "{\"id\": ", NULL);
  queue_reply (f, REPLY_STATUS, 200, "[1, 2,,]", NULL);
  run (f, "GET", "x", EASEL_HTTP_IDEMPOTENT, NULL);
  g_assert_error (f->error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);

  g_clear_error (&f->error);
  queue_reply (f, REPLY_STATUS, 201, "not json at all", NULL);
  run (f, "POST", "predictions", EASEL_HTTP_BILLABLE, "{}");
  g_assert_error (f->error, EASEL_ERROR, EASEL_ERROR_AMBIGUOUS);

  g_clear_error (&f->error);
  queue_reply (f, REPLY_STATUS, 200, "{\"bad\": \"\xff\xfe\"}", NULL);
  run (f, "POST", "cancel", EASEL_HTTP_NONE, "{}");
  g_assert_error (f->error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *big = g_strnfill (EASEL_HTTP_DEFAULT_MAX_RESPONSE_SIZE + 10, 'a');
  EaselHttpRequest *request;

  /* With a Content-Length the client refuses before reading. */
  queue_reply (f, REPLY_STATUS, 200, big, NULL);
  run (f, "GET", "x", EASEL_HTTP_IDEMPOTENT, NULL);
  g_assert_error (f->error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE);

  /* A small cap on one request. */
  g_clear_error (&f->error);
  queue_reply (f, REPLY_STATUS, 200, "{\"a\": \"0123456789012345678901234567890123456789\"}", NULL);
  request = easel_http_request_new ("GET", "x");
  easel_http_request_set_max_size (request, 16);
  f->done = FALSE;
  easel_http_client_send_async (f->client, request, NULL, send_cb, f);
  while (!f->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (f->error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE);
}

static void
test_status_mapping (Fixture       *f,
                     gconstpointer  data)
{
  const struct { guint status; int code; } cases[] = {
    { 400, EASEL_ERROR_BAD_REQUEST },
    { 401, EASEL_ERROR_UNAUTHORIZED },
    { 402, EASEL_ERROR_PAYMENT_REQUIRED },
    { 403, EASEL_ERROR_FORBIDDEN },
    { 404, EASEL_ERROR_NOT_FOUND },
    { 409, EASEL_ERROR_CONFLICT },
    { 410, EASEL_ERROR_GONE },
    { 412, EASEL_ERROR_BAD_REQUEST },
    { 413, EASEL_ERROR_BAD_REQUEST },
    { 422, EASEL_ERROR_INVALID_INPUT },
    { 596, EASEL_ERROR_NEEDS_ATTENTION },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_clear_error (&f->error);
      f->requests = 0;
      queue_reply (f, REPLY_STATUS, cases[i].status, "{\"error\": \"nope\"}", NULL);
      run (f, "POST", "jobs", EASEL_HTTP_BILLABLE, "{}");
      g_assert_error (f->error, EASEL_ERROR, cases[i].code);
      g_assert_nonnull (strstr (f->error->message, "nope"));
      g_assert_cmpuint (f->requests, ==, 1);
      g_assert_nonnull (easel_error_get_remedy (f->error));
    }
}

static void
test_connection_refused (Fixture       *f,
                         gconstpointer  data)
{
  /* Nothing listens any more: nothing was sent, so even a billable request
   * may be tried again, and finally fails as a network error. */
  easel_http_client_set_max_attempts (f->client, 2);
  soup_server_disconnect (f->server);
  run (f, "POST", "predictions", EASEL_HTTP_BILLABLE, "{}");

  g_assert_error (f->error, EASEL_ERROR, EASEL_ERROR_NETWORK);
  g_assert_cmpuint (f->delays->len, ==, 1);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  queue_reply (f, REPLY_STATUS, 200, "{}", NULL);
  f->done = FALSE;
  easel_http_client_send_async (f->client, easel_http_request_new ("GET", "x"), cancellable, send_cb, f);
  g_cancellable_cancel (cancellable);
  while (!f->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_check_url (void)
{
  const struct { const char *url; gboolean ok; } cases[] = {
    { "https://api.replicate.com/v1", TRUE },
    { "http://127.0.0.1:8080/v1", TRUE },
    { "http://localhost/v1", TRUE },
    { "http://[::1]:9/x", TRUE },
    { "http://api.replicate.com/v1", FALSE },
    { "http://10.0.0.1/v1", FALSE },
    { "ftp://example.org/", FALSE },
    { "file:///etc/passwd", FALSE },
    { "javascript:alert(1)", FALSE },
    { "https://user:pass@example.org/", FALSE },
    { "not a url", FALSE },
    { "", FALSE },
    { "https://", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = easel_http_check_url (cases[i].url, &error);

      if (ok != cases[i].ok)
        g_error ("easel_http_check_url (\"%s\") gave %d", cases[i].url, ok);
      if (!ok)
        g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INSECURE_URL);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(EaselHttpClient) client = easel_http_client_new ("X", "http://example.org/v1", NULL, &error);

    g_assert_null (client);
    g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INSECURE_URL);
  }
}

static void
test_backoff_delay (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 1, 1, 12, 0, 0);

  g_assert_cmpuint (easel_http_backoff_delay (1, NULL, now, 0.0), ==, 500);
  g_assert_cmpuint (easel_http_backoff_delay (1, NULL, now, 1.0), ==, 1000);
  g_assert_cmpuint (easel_http_backoff_delay (3, NULL, now, 0.0), ==, 2000);
  /* Capped at a minute. */
  g_assert_cmpuint (easel_http_backoff_delay (12, NULL, now, 1.0), ==, 60000);
  g_assert_cmpuint (easel_http_backoff_delay (1000, NULL, now, 1.0), ==, 60000);
  /* Retry-After in seconds, as an HTTP date, capped, and garbage ignored. */
  g_assert_cmpuint (easel_http_backoff_delay (1, "30", now, 0.0), ==, 30000);
  g_assert_cmpuint (easel_http_backoff_delay (1, " 2 ", now, 0.0), ==, 2000);
  g_assert_cmpuint (easel_http_backoff_delay (1, "Thu, 01 Jan 2026 12:00:45 GMT", now, 0.0), ==, 45000);
  g_assert_cmpuint (easel_http_backoff_delay (1, "Thu, 01 Jan 2026 11:00:00 GMT", now, 0.0), ==, 500);
  g_assert_cmpuint (easel_http_backoff_delay (1, "999999999", now, 0.0), ==, 600000);
  g_assert_cmpuint (easel_http_backoff_delay (1, "-5", now, 0.0), ==, 500);
  g_assert_cmpuint (easel_http_backoff_delay (1, "soon", now, 0.0), ==, 500);
  g_assert_cmpuint (easel_http_backoff_delay (2, "0", now, 0.5), ==, 1500);
}

static void
test_escape_segment (void)
{
  g_autofree char *a = easel_http_escape_segment ("../../v1/account");
  g_autofree char *b = easel_http_escape_segment ("j1i-u1-c2-bot:midjourney");
  g_autofree char *c = easel_http_escape_segment ("a?b#c d");

  g_assert_null (strchr (a, '/'));
  g_assert_cmpstr (b, ==, "j1i-u1-c2-bot:midjourney");
  g_assert_cmpstr (c, ==, "a%3Fb%23c%20d");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/Easel/HttpClient/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("success", test_success);
  ADD ("get-retries-5xx", test_get_retries_5xx);
  ADD ("get-gives-up", test_get_gives_up);
  ADD ("retry-after", test_retry_after);
  ADD ("billable-5xx-is-ambiguous", test_billable_5xx_is_ambiguous);
  ADD ("billable-drop-is-ambiguous", test_billable_drop_is_ambiguous);
  ADD ("billable-truncated-is-ambiguous", test_billable_truncated_is_ambiguous);
  ADD ("get-drop-retried", test_get_drop_retried);
  ADD ("malformed-json", test_malformed_json);
  ADD ("too-large", test_too_large);
  ADD ("status-mapping", test_status_mapping);
  ADD ("connection-refused", test_connection_refused);
  ADD ("cancel", test_cancel);
#undef ADD
  g_test_add_func ("/Easel/HttpClient/check-url", test_check_url);
  g_test_add_func ("/Easel/HttpClient/backoff-delay", test_backoff_delay);
  g_test_add_func ("/Easel/HttpClient/escape-segment", test_escape_segment);

  return g_test_run ();
}
