/* easel-http-client.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "easel-error.h"

G_BEGIN_DECLS

/**
 * EaselHttpFlags:
 * @EASEL_HTTP_NONE: retried only when the server provably did not take the
 *   request (429, or no connection was made)
 * @EASEL_HTTP_IDEMPOTENT: safe to repeat: also retried after timeouts,
 *   dropped connections, truncated replies and 5xx
 * @EASEL_HTTP_BILLABLE: creates paid work: never repeated after an
 *   ambiguous failure, which fails with %EASEL_ERROR_AMBIGUOUS instead
 * @EASEL_HTTP_STREAM: do not read the body of a successful reply; return its
 *   stream (server-sent events)
 * @EASEL_HTTP_NO_JSON: a successful body is not JSON (downloads)
 */
typedef enum
{
  EASEL_HTTP_NONE       = 0,
  EASEL_HTTP_IDEMPOTENT = 1 << 0,
  EASEL_HTTP_BILLABLE   = 1 << 1,
  EASEL_HTTP_STREAM     = 1 << 2,
  EASEL_HTTP_NO_JSON    = 1 << 3,
} EaselHttpFlags;

typedef struct _EaselHttpRequest EaselHttpRequest;

/**
 * EaselHttpResponse:
 * @status: the HTTP status
 * @headers: the response headers
 * @body: (nullable): the body, unless %EASEL_HTTP_STREAM
 * @json: (nullable): the body parsed as JSON, when it is JSON
 * @stream: (nullable): the open body with %EASEL_HTTP_STREAM
 * @attempts: how many requests it took
 */
typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
  JsonNode           *json;
  GInputStream       *stream;
  guint               attempts;
} EaselHttpResponse;

/**
 * EaselHttpClassifyFunc:
 * @status: an HTTP status that is not a success
 * @body: (nullable): the parsed error body
 * @message: (out) (transfer full) (nullable): the provider's explanation
 * @user_data: user data
 *
 * Maps a provider's error reply to an #EaselError code and extracts its
 * message. Return -1 to use the generic mapping for @status.
 */
typedef int (*EaselHttpClassifyFunc) (guint      status,
                                      JsonNode  *body,
                                      char     **message,
                                      gpointer   user_data);

/**
 * EaselHttpSleepFunc:
 * @delay_ms: how long to wait
 * @wake: call this once the time has passed
 * @wake_data: data for @wake
 * @user_data: user data
 *
 * Waits before a retry. Tests install one that records the delays and
 * wakes at once, so backoff is tested without real sleeps.
 */
typedef void (*EaselHttpSleepFunc) (guint       delay_ms,
                                    GSourceFunc wake,
                                    gpointer    wake_data,
                                    gpointer    user_data);

#define EASEL_HTTP_DEFAULT_MAX_RESPONSE_SIZE (8 * 1024 * 1024)

EaselHttpRequest  *easel_http_request_new             (const char         *method,
                                                       const char         *path);
void               easel_http_request_free            (EaselHttpRequest   *self);
void               easel_http_request_set_flags       (EaselHttpRequest   *self,
                                                       EaselHttpFlags      flags);
void               easel_http_request_add_header      (EaselHttpRequest   *self,
                                                       const char         *name,
                                                       const char         *value);
void               easel_http_request_set_json        (EaselHttpRequest   *self,
                                                       JsonNode           *body);
void               easel_http_request_set_body        (EaselHttpRequest   *self,
                                                       const char         *content_type,
                                                       GBytes             *body);
void               easel_http_request_set_multipart   (EaselHttpRequest   *self,
                                                       SoupMultipart      *multipart);
void               easel_http_request_set_max_size    (EaselHttpRequest   *self,
                                                       gsize               max_size);

void               easel_http_response_free           (EaselHttpResponse  *self);

gboolean           easel_http_check_url               (const char         *url,
                                                       GError            **error);
gboolean           easel_http_url_is_loopback         (const char         *url);
guint              easel_http_backoff_delay           (guint               attempt,
                                                       const char         *retry_after,
                                                       GDateTime          *now,
                                                       double              jitter);
int                easel_http_status_to_error         (guint               status);
char              *easel_http_escape_segment          (const char         *segment);

#define EASEL_TYPE_HTTP_CLIENT (easel_http_client_get_type ())

G_DECLARE_FINAL_TYPE (EaselHttpClient, easel_http_client, EASEL, HTTP_CLIENT, GObject)

EaselHttpClient   *easel_http_client_new              (const char           *provider_name,
                                                       const char           *base_url,
                                                       const char           *token,
                                                       GError              **error);
const char        *easel_http_client_get_base_url     (EaselHttpClient      *self);
const char        *easel_http_client_get_provider_name (EaselHttpClient     *self);
void               easel_http_client_set_classify_func (EaselHttpClient     *self,
                                                        EaselHttpClassifyFunc func,
                                                        gpointer             user_data);
void               easel_http_client_set_sleep_func   (EaselHttpClient      *self,
                                                       EaselHttpSleepFunc    func,
                                                       gpointer              user_data);
void               easel_http_client_set_max_attempts (EaselHttpClient      *self,
                                                       guint                 max_attempts);
void               easel_http_client_set_timeout      (EaselHttpClient      *self,
                                                       guint                 seconds);
guint              easel_http_client_get_request_count (EaselHttpClient     *self);
void               easel_http_client_send_async       (EaselHttpClient      *self,
                                                       EaselHttpRequest     *request,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
EaselHttpResponse *easel_http_client_send_finish      (EaselHttpClient      *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselHttpRequest, easel_http_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselHttpResponse, easel_http_response_free)

G_END_DECLS
