/* easel-http-client.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One long-lived SoupSession per provider account, and the rules for
 * talking to paid APIs:
 *
 *  - Idempotent requests (GET, cancel, DELETE) are retried with jittered
 *    exponential backoff after network errors, timeouts, truncated bodies,
 *    429 and 5xx, honouring Retry-After.
 *  - A request that creates paid work (EASEL_HTTP_BILLABLE) is repeated only
 *    when the server provably did not take it: a 429, or a connection that
 *    was never made. After a timeout, a dropped connection, a 5xx or an
 *    unreadable 2xx it fails with EASEL_ERROR_AMBIGUOUS and the job engine
 *    reconciles with the provider's job list instead (DESIGN.md rule 3).
 *  - Replies are read up to a size cap; bodies are parsed as JSON by
 *    json-glib, and what the provider said on an error is kept for the user.
 *  - Only https is spoken, except to loopback addresses (tests, the
 *    emulator, local gateways).
 *  - Logs name the method, a redacted URL, the status and the timing;
 *    never a header, a token or a body.
 *
 * Waiting between attempts goes through a sleep function that tests
 * replace, so backoff is tested without real sleeps. */

#include "config.h"

#include "easel-http-client.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-json.h"
#include "easel-redact.h"

#define DEFAULT_MAX_ATTEMPTS 5
#define BASE_DELAY_MS 1000
#define MAX_DELAY_MS (60 * 1000)
#define MAX_RETRY_AFTER_MS (10 * 60 * 1000)
#define READ_CHUNK 16384
/* A submit with Prefer: wait and an SSE stream each hold a connection for
 * the life of a job: libsoup's default of 2 per host would serialize jobs. */
#define MAX_CONNECTIONS 64
#define MAX_CONNECTIONS_PER_HOST 24

struct _EaselHttpRequest
{
  char               *method;
  char               *path;
  char               *content_type;
  GBytes             *body;
  GPtrArray          *headers;   /* name, value, name, value … */
  EaselHttpFlags      flags;
  gsize               max_size;
};

struct _EaselHttpClient
{
  GObject                parent_instance;

  SoupSession           *session;
  char                  *provider_name;
  char                  *base_url;
  char                  *authorization;
  char                  *user_agent;
  EaselHttpClassifyFunc  classify;
  gpointer               classify_data;
  EaselHttpSleepFunc     sleep;
  gpointer               sleep_data;
  guint                  max_attempts;
  guint                  request_count;
  GRand                 *rand;
};

G_DEFINE_FINAL_TYPE (EaselHttpClient, easel_http_client, G_TYPE_OBJECT)

/* Request descriptions */

/**
 * easel_http_request_new:
 * @method: the HTTP method
 * @path: a path below the client's base URL ("predictions/abc"), or an
 *   absolute URL (which must pass easel_http_check_url())
 *
 * Returns: (transfer full): a request without a body
 */
EaselHttpRequest *
easel_http_request_new (const char *method,
                        const char *path)
{
  EaselHttpRequest *self;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_new0 (EaselHttpRequest, 1);
  self->method = g_strdup (method);
  self->path = g_strdup (path);
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->max_size = EASEL_HTTP_DEFAULT_MAX_RESPONSE_SIZE;
  if (g_str_equal (method, "GET") || g_str_equal (method, "HEAD") || g_str_equal (method, "DELETE"))
    self->flags = EASEL_HTTP_IDEMPOTENT;
  return self;
}

/**
 * easel_http_request_free:
 * @self: (nullable) (transfer full): a request
 */
void
easel_http_request_free (EaselHttpRequest *self)
{
  if (self == NULL)
    return;

  g_free (self->method);
  g_free (self->path);
  g_free (self->content_type);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_ptr_array_unref (self->headers);
  g_free (self);
}

/**
 * easel_http_request_set_flags:
 * @self: a request
 * @flags: how the request may be retried and read
 */
void
easel_http_request_set_flags (EaselHttpRequest *self,
                              EaselHttpFlags    flags)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!((flags & EASEL_HTTP_IDEMPOTENT) && (flags & EASEL_HTTP_BILLABLE)));

  self->flags = flags;
}

/**
 * easel_http_request_add_header:
 * @self: a request
 * @name: a header name
 * @value: its value
 */
void
easel_http_request_add_header (EaselHttpRequest *self,
                               const char       *name,
                               const char       *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  g_ptr_array_add (self->headers, g_strdup (name));
  g_ptr_array_add (self->headers, g_strdup (value));
}

/**
 * easel_http_request_set_body:
 * @self: a request
 * @content_type: the body's MIME type
 * @body: the body
 */
void
easel_http_request_set_body (EaselHttpRequest *self,
                             const char       *content_type,
                             GBytes           *body)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (content_type != NULL);
  g_return_if_fail (body != NULL);

  g_free (self->content_type);
  self->content_type = g_strdup (content_type);
  g_clear_pointer (&self->body, g_bytes_unref);
  self->body = g_bytes_ref (body);
}

/**
 * easel_http_request_set_json:
 * @self: a request
 * @body: the JSON body
 */
void
easel_http_request_set_json (EaselHttpRequest *self,
                             JsonNode         *body)
{
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  g_return_if_fail (self != NULL);
  g_return_if_fail (body != NULL);

  text = json_to_string (body, FALSE);
  bytes = g_bytes_new_take (text, strlen (text));
  easel_http_request_set_body (self, "application/json", bytes);
}

/**
 * easel_http_request_set_multipart:
 * @self: a request
 * @multipart: a multipart/form-data body
 */
void
easel_http_request_set_multipart (EaselHttpRequest *self,
                                  SoupMultipart    *multipart)
{
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *content_type = NULL;
  GHashTable *params = NULL;
  const char *type;

  g_return_if_fail (self != NULL);
  g_return_if_fail (multipart != NULL);

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_multipart_to_message (multipart, headers, &body);
  type = soup_message_headers_get_content_type (headers, &params);
  /* Rebuild the header value with its boundary. */
  {
    g_autoptr(GString) value = g_string_new (type);
    GHashTableIter iter;
    gpointer key, val;

    if (params != NULL)
      {
        g_hash_table_iter_init (&iter, params);
        while (g_hash_table_iter_next (&iter, &key, &val))
          g_string_append_printf (value, "; %s=\"%s\"", (char *) key, (char *) val);
        g_hash_table_unref (params);
      }
    content_type = g_string_free (g_steal_pointer (&value), FALSE);
  }
  easel_http_request_set_body (self, content_type, body);
}

/**
 * easel_http_request_set_max_size:
 * @self: a request
 * @max_size: the largest reply body accepted, in bytes
 */
void
easel_http_request_set_max_size (EaselHttpRequest *self,
                                 gsize             max_size)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_size > 0);

  self->max_size = max_size;
}

/**
 * easel_http_response_free:
 * @self: (nullable) (transfer full): a response
 */
void
easel_http_response_free (EaselHttpResponse *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->headers, soup_message_headers_unref);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_clear_pointer (&self->json, json_node_unref);
  g_clear_object (&self->stream);
  g_free (self);
}

/* Pure helpers */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * easel_http_url_is_loopback:
 * @url: a URL
 *
 * Returns: whether @url points at this computer
 */
gboolean
easel_http_url_is_loopback (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (url != NULL, FALSE);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  return uri != NULL && host_is_loopback (g_uri_get_host (uri));
}

/**
 * easel_http_check_url:
 * @url: an endpoint or a URL from a server
 * @error: return location for a #GError
 *
 * Accepts https:// URLs, and http:// only to loopback addresses. Refuses
 * anything else, URLs with credentials in them, and unparsable ones.
 *
 * Returns: %TRUE if Easel may connect to @url
 */
gboolean
easel_http_check_url (const char  *url,
                      GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (url != NULL, FALSE);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INSECURE_URL,
                   _("“%s” is not a valid address"), url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0' || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INSECURE_URL,
                   _("“%s” is not a valid address"), url);
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (host))
    return TRUE;

  g_set_error (error, EASEL_ERROR, EASEL_ERROR_INSECURE_URL,
               _("Refusing the insecure address “%s”"), url);
  return FALSE;
}

/**
 * easel_http_backoff_delay:
 * @attempt: the attempt that just failed, from 1
 * @retry_after: (nullable): the server's Retry-After header
 * @now: (nullable): the current time, for an HTTP-date Retry-After
 * @jitter: a random number in [0, 1)
 *
 * The delay before the next attempt: exponential from one second, capped at
 * a minute, with "equal jitter" (half fixed, half random) so that many
 * clients do not retry in step. A Retry-After in seconds or as an HTTP date
 * wins when it asks for longer, up to ten minutes.
 *
 * Returns: the delay in milliseconds
 */
guint
easel_http_backoff_delay (guint       attempt,
                          const char *retry_after,
                          GDateTime  *now,
                          double      jitter)
{
  guint64 exp_ms;
  guint64 delay;

  attempt = CLAMP (attempt, 1, 16);
  jitter = CLAMP (jitter, 0.0, 1.0);
  exp_ms = MIN ((guint64) BASE_DELAY_MS << (attempt - 1), (guint64) MAX_DELAY_MS);
  delay = exp_ms / 2 + (guint64) (jitter * (exp_ms / 2));

  if (retry_after != NULL)
    {
      guint64 seconds = 0;
      g_autoptr(GDateTime) date = NULL;
      g_autofree char *trimmed = g_strstrip (g_strdup (retry_after));
      gint64 asked_ms = -1;

      if (g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXUINT32, &seconds, NULL))
        asked_ms = (gint64) seconds * 1000;
      else if (now != NULL && (date = soup_date_time_new_from_http_string (retry_after)) != NULL)
        asked_ms = MAX (g_date_time_difference (date, now) / 1000, 0);

      if (asked_ms >= 0)
        delay = MAX (delay, (guint64) MIN (asked_ms, (gint64) MAX_RETRY_AFTER_MS));
    }

  return (guint) delay;
}

/**
 * easel_http_status_to_error:
 * @status: an HTTP status that is not a success
 *
 * Returns: the generic #EaselError code for @status
 */
int
easel_http_status_to_error (guint status)
{
  switch (status)
    {
    case 400: case 412: case 413: return EASEL_ERROR_BAD_REQUEST;
    case 401: return EASEL_ERROR_UNAUTHORIZED;
    case 402: return EASEL_ERROR_PAYMENT_REQUIRED;
    case 403: return EASEL_ERROR_FORBIDDEN;
    case 404: return EASEL_ERROR_NOT_FOUND;
    case 408: return EASEL_ERROR_TIMEOUT;
    case 409: return EASEL_ERROR_CONFLICT;
    case 410: return EASEL_ERROR_GONE;
    case 422: return EASEL_ERROR_INVALID_INPUT;
    case 429: return EASEL_ERROR_RATE_LIMITED;
    case 502: case 503: return EASEL_ERROR_UNAVAILABLE;
    case 504: return EASEL_ERROR_TIMEOUT;
    case 596: return EASEL_ERROR_NEEDS_ATTENTION;
    default:
      if (status >= 500)
        return EASEL_ERROR_SERVER;
      return EASEL_ERROR_BAD_REQUEST;
    }
}

/**
 * easel_http_escape_segment:
 * @segment: an id from a server or the user
 *
 * Returns: (transfer full): @segment escaped to be one path segment, so a
 *   hostile id cannot reach another path
 */
char *
easel_http_escape_segment (const char *segment)
{
  g_return_val_if_fail (segment != NULL, NULL);

  /* ":" stays: UseAPI job ids contain it and its own client sends it raw. */
  return g_uri_escape_string (segment, ":", FALSE);
}

/* The client */

/**
 * easel_http_client_new:
 * @provider_name: the provider's name for people, used in messages
 * @base_url: (nullable): the API's base URL, including its version path,
 *   or %NULL for a client of absolute URLs only (downloads)
 * @token: (nullable): the bearer token
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a client, or %NULL when @base_url is refused
 */
EaselHttpClient *
easel_http_client_new (const char  *provider_name,
                       const char  *base_url,
                       const char  *token,
                       GError     **error)
{
  EaselHttpClient *self;
  g_return_val_if_fail (provider_name != NULL, NULL);

  if (base_url != NULL && !easel_http_check_url (base_url, error))
    return NULL;

  self = g_object_new (EASEL_TYPE_HTTP_CLIENT, NULL);
  self->provider_name = g_strdup (provider_name);
  if (base_url != NULL)
    self->base_url = g_str_has_suffix (base_url, "/")
                     ? g_strndup (base_url, strlen (base_url) - 1)
                     : g_strdup (base_url);
  if (token != NULL && token[0] != '\0')
    self->authorization = g_strconcat ("Bearer ", token, NULL);

  self->user_agent = g_strdup_printf ("Easel/%s (+https://github.com/easelstudio/easel)", PACKAGE_VERSION);
  /* Loopback traffic never goes through a proxy, whatever http_proxy says. */
  if (self->base_url != NULL && easel_http_url_is_loopback (self->base_url))
    self->session = soup_session_new_with_options ("timeout", 90,
                                                   "idle-timeout", 60,
                                                   "max-conns", MAX_CONNECTIONS,
                                                   "max-conns-per-host", MAX_CONNECTIONS_PER_HOST,
                                                   "proxy-resolver", NULL,
                                                   NULL);
  else
    self->session = soup_session_new_with_options ("timeout", 90,
                                                   "idle-timeout", 60,
                                                   "max-conns", MAX_CONNECTIONS,
                                                   "max-conns-per-host", MAX_CONNECTIONS_PER_HOST,
                                                   NULL);
  return self;
}

/**
 * easel_http_client_get_base_url:
 * @self: a client
 *
 * Returns: the base URL, without a trailing slash
 */
const char *
easel_http_client_get_base_url (EaselHttpClient *self)
{
  g_return_val_if_fail (EASEL_IS_HTTP_CLIENT (self), NULL);

  return self->base_url;
}

/**
 * easel_http_client_get_provider_name:
 * @self: a client
 *
 * Returns: the provider's name
 */
const char *
easel_http_client_get_provider_name (EaselHttpClient *self)
{
  g_return_val_if_fail (EASEL_IS_HTTP_CLIENT (self), NULL);

  return self->provider_name;
}

/**
 * easel_http_client_set_classify_func:
 * @self: a client
 * @func: (nullable): the provider's error mapping
 * @user_data: data for @func
 */
void
easel_http_client_set_classify_func (EaselHttpClient       *self,
                                     EaselHttpClassifyFunc  func,
                                     gpointer               user_data)
{
  g_return_if_fail (EASEL_IS_HTTP_CLIENT (self));

  self->classify = func;
  self->classify_data = user_data;
}

static void
default_sleep (guint       delay_ms,
               GSourceFunc wake,
               gpointer    wake_data,
               gpointer    user_data)
{
  g_timeout_add (delay_ms, wake, wake_data);
}

/**
 * easel_http_client_set_sleep_func:
 * @self: a client
 * @func: (nullable): how to wait between attempts; %NULL for a timeout
 * @user_data: data for @func
 */
void
easel_http_client_set_sleep_func (EaselHttpClient    *self,
                                  EaselHttpSleepFunc  func,
                                  gpointer            user_data)
{
  g_return_if_fail (EASEL_IS_HTTP_CLIENT (self));

  self->sleep = func ? func : default_sleep;
  self->sleep_data = func ? user_data : NULL;
}

/**
 * easel_http_client_set_max_attempts:
 * @self: a client
 * @max_attempts: attempts per request, at least 1
 */
void
easel_http_client_set_max_attempts (EaselHttpClient *self,
                                    guint            max_attempts)
{
  g_return_if_fail (EASEL_IS_HTTP_CLIENT (self));
  g_return_if_fail (max_attempts >= 1);

  self->max_attempts = max_attempts;
}

/**
 * easel_http_client_set_timeout:
 * @self: a client
 * @seconds: the I/O timeout
 */
void
easel_http_client_set_timeout (EaselHttpClient *self,
                               guint            seconds)
{
  g_return_if_fail (EASEL_IS_HTTP_CLIENT (self));

  soup_session_set_timeout (self->session, seconds);
}

/**
 * easel_http_client_get_request_count:
 * @self: a client
 *
 * Returns: how many HTTP requests the client has sent
 */
guint
easel_http_client_get_request_count (EaselHttpClient *self)
{
  g_return_val_if_fail (EASEL_IS_HTTP_CLIENT (self), 0);

  return self->request_count;
}

/* One request, possibly several attempts */

typedef struct
{
  EaselHttpClient   *client;     /* borrowed: the task holds a reference */
  EaselHttpRequest  *request;
  char              *url;
  char              *log_url;
  SoupMessage       *message;
  GInputStream      *stream;
  GByteArray        *buffer;
  guint              attempt;
  gint64             started_us;
} SendData;

static void
send_data_free (gpointer data)
{
  SendData *send = data;

  easel_http_request_free (send->request);
  g_free (send->url);
  g_free (send->log_url);
  g_clear_object (&send->message);
  g_clear_object (&send->stream);
  g_clear_pointer (&send->buffer, g_byte_array_unref);
  g_free (send);
}

static void start_attempt (GTask *task);

static gboolean
wake_cb (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;
  start_attempt (g_steal_pointer (&task));
  return G_SOURCE_REMOVE;
}

/* Takes the reference on @task. Returns FALSE (and leaves @task alone)
 * when no attempt is left. */
static gboolean
retry_later (GTask      *task,
             const char *retry_after,
             const char *why)
{
  SendData *send = g_task_get_task_data (task);
  EaselHttpClient *self = send->client;
  g_autoptr(GDateTime) now = NULL;
  guint delay;

  if (send->attempt >= self->max_attempts)
    return FALSE;

  now = g_date_time_new_now_utc ();
  delay = easel_http_backoff_delay (send->attempt, retry_after, now,
                                    g_rand_double (self->rand));
  g_debug ("%s %s: %s; attempt %u of %u in %u ms",
           send->request->method, send->log_url, why,
           send->attempt + 1, self->max_attempts, delay);
  self->sleep (delay, wake_cb, task, self->sleep_data);
  return TRUE;
}

static void
fail_with (GTask      *task,
           EaselError  code,
           const char *format,
           ...) G_GNUC_PRINTF (3, 4);

static void
fail_with (GTask      *task,
           EaselError  code,
           const char *format,
           ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_task_return_new_error (task, EASEL_ERROR, code, "%s", message);
  g_object_unref (task);
}

static gboolean
error_means_not_sent (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
         error->domain == G_RESOLVER_ERROR;
}

/* A failure after the request may have reached the server. */
static void
handle_transport_error (GTask        *task,
                        const GError *error)
{
  SendData *send = g_task_get_task_data (task);
  EaselHttpClient *self = send->client;
  EaselHttpFlags flags = send->request->flags;
  gboolean timed_out = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
      return;
    }

  g_debug ("%s %s: attempt %u failed: %s", send->request->method, send->log_url,
           send->attempt, error->message);

  if (error_means_not_sent (error) || (flags & EASEL_HTTP_IDEMPOTENT))
    {
      if (retry_later (task, NULL, error->message))
        return;
    }
  else if (flags & EASEL_HTTP_BILLABLE)
    {
      /* Translators: the first %s is a provider name, the second an error message */
      fail_with (task, EASEL_ERROR_AMBIGUOUS,
                 _("The connection to %s failed after the job was sent (%s); it may have been accepted"),
                 self->provider_name, error->message);
      return;
    }

  if (error_means_not_sent (error))
    fail_with (task, EASEL_ERROR_NETWORK, _("Cannot reach %s: %s"),
               self->provider_name, error->message);
  else if (timed_out)
    fail_with (task, EASEL_ERROR_TIMEOUT, _("%s did not answer in time"), self->provider_name);
  else
    fail_with (task, EASEL_ERROR_NETWORK, _("The connection to %s failed: %s"),
               self->provider_name, error->message);
}

static JsonNode *
parse_json (GBytes  *body,
            GError **error)
{
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  if (size == 0)
    return NULL;
  return easel_json_parse (data, size, error);
}

static char *
default_error_message (JsonNode *body)
{
  JsonObject *object;
  JsonNode *node;
  const char *members[] = { "detail", "error", "message", "title" };

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return NULL;

  object = json_node_get_object (body);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      node = json_object_get_member (object, members[i]);
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        return default_error_message (node);
    }
  return NULL;
}

static void
finish_response (GTask *task)
{
  SendData *send = g_task_get_task_data (task);
  EaselHttpClient *self = send->client;
  EaselHttpFlags flags = send->request->flags;
  guint status = soup_message_get_status (send->message);
  g_autoptr(EaselHttpResponse) response = g_new0 (EaselHttpResponse, 1);
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *message = NULL;
  int code = -1;

  response->status = status;
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (send->message));
  response->attempts = send->attempt;
  if (send->buffer != NULL)
    response->body = g_byte_array_free_to_bytes (g_steal_pointer (&send->buffer));

  g_debug ("%s %s → %u (%.0f ms, attempt %u)", send->request->method, send->log_url, status,
           (g_get_monotonic_time () - send->started_us) / 1000.0, send->attempt);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (flags & EASEL_HTTP_STREAM)
        {
          response->stream = g_steal_pointer (&send->stream);
          g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) easel_http_response_free);
          g_object_unref (task);
          return;
        }

      if (!(flags & EASEL_HTTP_NO_JSON) && response->body != NULL)
        {
          response->json = parse_json (response->body, &parse_error);
          if (parse_error != NULL)
            {
              if (flags & EASEL_HTTP_IDEMPOTENT && retry_later (task, NULL, "unreadable reply"))
                return;
              if (flags & EASEL_HTTP_BILLABLE)
                fail_with (task, EASEL_ERROR_AMBIGUOUS,
                           _("%s accepted the job but its reply cannot be read (%s)"),
                           self->provider_name, parse_error->message);
              else
                fail_with (task, EASEL_ERROR_INVALID_RESPONSE,
                           _("%s sent a reply that cannot be read: %s"),
                           self->provider_name, parse_error->message);
              return;
            }
        }

      g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify) easel_http_response_free);
      g_object_unref (task);
      return;
    }

  /* An error status: what did the provider say? */
  if (response->body != NULL)
    response->json = parse_json (response->body, NULL);
  if (self->classify != NULL)
    code = self->classify (status, response->json, &message, self->classify_data);
  if (code < 0)
    code = easel_http_status_to_error (status);
  if (message == NULL)
    message = default_error_message (response->json);

  if (status == 429 &&
      retry_later (task, soup_message_headers_get_one (response->headers, "Retry-After"), "429"))
    return;

  if (status >= 500 && status != 596 && code != EASEL_ERROR_UNTRACKED)
    {
      if ((flags & EASEL_HTTP_IDEMPOTENT) &&
          retry_later (task, soup_message_headers_get_one (response->headers, "Retry-After"),
                       soup_status_get_phrase (status)))
        return;
      if (flags & EASEL_HTTP_BILLABLE)
        code = EASEL_ERROR_AMBIGUOUS;
    }

  if (message != NULL)
    /* Translators: %s is a provider name, then its own error message, then an HTTP status */
    fail_with (task, code, _("%s: %s (HTTP %u)"), self->provider_name, message, status);
  else
    fail_with (task, code, _("%s answered “%s” (HTTP %u)"), self->provider_name,
               soup_status_get_phrase (status) ? soup_status_get_phrase (status) : "?", status);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *send = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      g_clear_pointer (&send->buffer, g_byte_array_unref);
      handle_transport_error (g_steal_pointer (&task), error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      g_input_stream_close_async (send->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      finish_response (g_steal_pointer (&task));
      return;
    }

  if (send->buffer->len + g_bytes_get_size (chunk) > send->request->max_size)
    {
      EaselHttpClient *self = send->client;

      g_input_stream_close_async (send->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      fail_with (g_steal_pointer (&task), EASEL_ERROR_TOO_LARGE,
                 _("The reply from %s is larger than %" G_GSIZE_FORMAT " bytes"),
                 self->provider_name, send->request->max_size);
      return;
    }

  g_byte_array_append (send->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (send->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
  g_steal_pointer (&task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *send = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  goffset length;

  send->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (send->stream == NULL)
    {
      handle_transport_error (g_steal_pointer (&task), error);
      return;
    }

  if ((send->request->flags & EASEL_HTTP_STREAM) &&
      SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (send->message)))
    {
      finish_response (g_steal_pointer (&task));
      return;
    }

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (send->message));
  if (length > 0 && (gsize) length > send->request->max_size)
    {
      g_input_stream_close_async (send->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      fail_with (g_steal_pointer (&task), EASEL_ERROR_TOO_LARGE,
                 _("The reply from %s is larger than %" G_GSIZE_FORMAT " bytes"),
                 send->client->provider_name, send->request->max_size);
      return;
    }

  send->buffer = g_byte_array_new ();
  g_input_stream_read_bytes_async (send->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
  g_steal_pointer (&task);
}

static void
start_attempt (GTask *task)
{
  SendData *send = g_task_get_task_data (task);
  EaselHttpClient *self = send->client;
  SoupMessageHeaders *headers;

  g_clear_object (&send->message);
  g_clear_object (&send->stream);
  g_clear_pointer (&send->buffer, g_byte_array_unref);

  send->message = soup_message_new (send->request->method, send->url);
  if (send->message == NULL)
    {
      fail_with (task, EASEL_ERROR_INSECURE_URL, _("“%s” is not a valid address"), send->log_url);
      return;
    }

  headers = soup_message_get_request_headers (send->message);
  if (self->authorization != NULL)
    soup_message_headers_replace (headers, "Authorization", self->authorization);
  /* Per message, not on the session: libsoup 3 would overwrite a request's own. */
  soup_message_headers_replace (headers, "User-Agent", self->user_agent);
  soup_message_headers_replace (headers, "Accept",
                                (send->request->flags & EASEL_HTTP_STREAM)
                                ? "text/event-stream, application/json"
                                : "application/json");
  for (guint i = 0; i + 1 < send->request->headers->len; i += 2)
    soup_message_headers_replace (headers,
                                  g_ptr_array_index (send->request->headers, i),
                                  g_ptr_array_index (send->request->headers, i + 1));
  if (send->request->body != NULL)
    soup_message_set_request_body_from_bytes (send->message, send->request->content_type,
                                              send->request->body);

  send->attempt++;
  self->request_count++;
  send->started_us = g_get_monotonic_time ();
  soup_session_send_async (self->session, send->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), send_cb, task);
}

/**
 * easel_http_client_send_async:
 * @self: a client
 * @request: (transfer full): the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Sends @request, retrying as its flags allow (see the design note).
 */
void
easel_http_client_send_async (EaselHttpClient     *self,
                              EaselHttpRequest    *request,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SendData *send;

  g_return_if_fail (EASEL_IS_HTTP_CLIENT (self));
  g_return_if_fail (request != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_http_client_send_async);

  send = g_new0 (SendData, 1);
  send->client = self;
  send->request = request;
  if (strstr (request->path, "://") != NULL)
    send->url = g_strdup (request->path);
  else if (self->base_url == NULL)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_INSECURE_URL,
                               "“%s” is not an absolute URL", request->path);
      return;
    }
  else
    send->url = g_strconcat (self->base_url, "/", request->path[0] == '/' ? request->path + 1 : request->path, NULL);
  send->log_url = easel_redact_url (send->url);
  g_task_set_task_data (task, send, send_data_free);

  if (!easel_http_check_url (send->url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  start_attempt (g_steal_pointer (&task));
}

/**
 * easel_http_client_send_finish:
 * @self: a client
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the successful response, or %NULL with @error
 *   set in the %EASEL_ERROR domain (or %G_IO_ERROR_CANCELLED)
 */
EaselHttpResponse *
easel_http_client_send_finish (EaselHttpClient  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (EASEL_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
easel_http_client_finalize (GObject *object)
{
  EaselHttpClient *self = EASEL_HTTP_CLIENT (object);

  soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_free (self->provider_name);
  g_free (self->base_url);
  if (self->authorization != NULL)
    memset (self->authorization, 0, strlen (self->authorization));
  g_free (self->authorization);
  g_free (self->user_agent);
  g_rand_free (self->rand);

  G_OBJECT_CLASS (easel_http_client_parent_class)->finalize (object);
}

static void
easel_http_client_class_init (EaselHttpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = easel_http_client_finalize;
}

static void
easel_http_client_init (EaselHttpClient *self)
{
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->sleep = default_sleep;
  self->rand = g_rand_new ();
}
