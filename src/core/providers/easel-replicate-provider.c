/* easel-replicate-provider.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Replicate (providers.md §3). Official models are created through
 * /models/{owner}/{name}/predictions and billed per output from a price
 * table; versioned models ("owner/name:version") through /predictions and
 * billed per second of hardware time (metrics.predict_time × rate).
 *
 * Submitting asks the server to hold the reply a little (Prefer: wait), so
 * fast models finish in one request; then the job is polled with adaptive
 * delays, short at first and backing off to a few seconds, which keeps the
 * average well under three requests per job. Replicate has no idempotency
 * key: a submit that fails ambiguously is reconciled by the job engine
 * through list_remote_jobs, never resent here. */

#include "config.h"

#include "easel-replicate-provider.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-error.h"

#define CLIENT(self) (easel_http_provider_get_client (EASEL_HTTP_PROVIDER (self)))
#include "easel-image-type.h"
#include "easel-job-poller.h"
#include "easel-json.h"
#include "easel-replicate-parse.h"

#define DEFAULT_PREFER_WAIT 10           /* seconds */
#define DEFAULT_FIRST_POLL_MS 1000
#define DEFAULT_MAX_POLL_MS 5000
#define MAX_UPLOAD_SIZE (100 * 1024 * 1024)
#define MAX_DATA_URI_SIZE (256 * 1024)
#define MAX_REFERENCE_SIZE (10 * 1024 * 1024)

/* Hardware rate assumed for time-billed models whose hardware is not
 * known: an A100 80 GB, USD per second (providers.md §3.5, third-party
 * transcription of replicate.com/pricing). */
#define DEFAULT_RATE_MICROS_PER_SECOND 1400.0
#define DEFAULT_ESTIMATED_SECONDS 10.0

struct _EaselReplicateProvider
{
  EaselHttpProvider  parent_instance;

  GHashTable      *schemas;        /* model → GPtrArray of EaselParam */
  char            *cancel_after;
  guint            first_poll_ms;
  guint            max_poll_ms;
  guint            prefer_wait;
};

static void provider_iface_init (EaselProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EaselReplicateProvider, easel_replicate_provider, EASEL_TYPE_HTTP_PROVIDER,
                               G_IMPLEMENT_INTERFACE (EASEL_TYPE_PROVIDER, provider_iface_init))

/* Per-image prices of official models, USD micros (providers.md §3.5; the
 * first four from a 2026-10-07 transcription of replicate.com/pricing, the
 * rest third-party and UNCONFIRMED). */
static const struct
{
  const char *model;
  gint64      micros;
} prices[] = {
  { "black-forest-labs/flux-schnell", 3000 },
  { "black-forest-labs/flux-dev", 25000 },
  { "black-forest-labs/flux-1.1-pro", 40000 },
  { "black-forest-labs/flux-1.1-pro-ultra", 60000 },
  { "black-forest-labs/flux-pro", 55000 },
  { "ideogram-ai/ideogram-v3-quality", 90000 },
  { "ideogram-ai/ideogram-v2-turbo", 50000 },
  { "recraft-ai/recraft-v3", 40000 },
};

/**
 * easel_replicate_price_per_image:
 * @model: an official model, "owner/name"
 * @micros: (out): its price per output image in USD micros
 *
 * Returns: whether the price of @model is known
 */
gboolean
easel_replicate_price_per_image (const char *model,
                                 gint64     *micros)
{
  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (micros != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (prices); i++)
    {
      if (g_str_equal (prices[i].model, model))
        {
          *micros = prices[i].micros;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
valid_name_part (const char *part)
{
  if (part == NULL || part[0] == '\0' || strlen (part) > 128)
    return FALSE;
  for (const char *p = part; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
        return FALSE;
    }
  return !g_str_equal (part, ".") && !g_str_equal (part, "..");
}

/**
 * easel_replicate_split_model:
 * @model: a model name as a user may type it
 * @owner: (out) (optional): the owner
 * @name: (out) (optional): the model's name
 * @version: (out) (optional) (nullable): the version id, %NULL when none
 * @error: return location for a #GError
 *
 * Splits "owner/name" or "owner/name:version", refusing anything that
 * could reach another path: each part is 1 to 128 letters, digits, `-`,
 * `_` or `.`, and not `.` or `..`.
 *
 * Returns: %TRUE if @model is well formed; %FALSE with
 *   %EASEL_ERROR_INVALID_PARAMETER otherwise
 */
gboolean
easel_replicate_split_model (const char  *model,
                             char       **owner,
                             char       **name,
                             char       **version,
                             GError     **error)
{
  g_auto(GStrv) at_version = NULL;
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (model != NULL, FALSE);

  at_version = g_strsplit (model, ":", 2);
  parts = g_strsplit (at_version[0] ? at_version[0] : "", "/", 3);
  if (g_strv_length (parts) != 2 || !valid_name_part (parts[0]) || !valid_name_part (parts[1]) ||
      (at_version[1] != NULL && !valid_name_part (at_version[1])))
    {
      g_autofree char *shown = g_utf8_make_valid (model, -1);

      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   _("“%s” is not a Replicate model; use owner/name or owner/name:version"), shown);
      return FALSE;
    }

  if (owner != NULL)
    *owner = g_strdup (parts[0]);
  if (name != NULL)
    *name = g_strdup (parts[1]);
  if (version != NULL)
    *version = g_strdup (at_version[1]);
  return TRUE;
}

/**
 * easel_replicate_provider_set_poll_delays:
 * @self: the provider
 * @first_ms: the delay before the first poll
 * @max_ms: the longest delay between polls
 */
void
easel_replicate_provider_set_poll_delays (EaselReplicateProvider *self,
                                          guint                   first_ms,
                                          guint                   max_ms)
{
  g_return_if_fail (EASEL_IS_REPLICATE_PROVIDER (self));

  self->first_poll_ms = first_ms;
  self->max_poll_ms = MAX (max_ms, first_ms);
}

/**
 * easel_replicate_provider_set_prefer_wait:
 * @self: the provider
 * @seconds: how long the server may hold a submit until the job is done
 *   (Prefer: wait=N, at most 60), or 0 not to ask
 */
void
easel_replicate_provider_set_prefer_wait (EaselReplicateProvider *self,
                                          guint                   seconds)
{
  g_return_if_fail (EASEL_IS_REPLICATE_PROVIDER (self));

  self->prefer_wait = MIN (seconds, 60);
}

/**
 * easel_replicate_provider_set_cancel_after:
 * @self: the provider
 * @duration: (nullable): a deadline such as "30m" or "90s", sent as
 *   Cancel-After: a job not started by then ends `aborted` (not billed), a
 *   running one `canceled`; %NULL sends no deadline
 */
void
easel_replicate_provider_set_cancel_after (EaselReplicateProvider *self,
                                           const char             *duration)
{
  g_return_if_fail (EASEL_IS_REPLICATE_PROVIDER (self));

  g_free (self->cancel_after);
  self->cancel_after = g_strdup (duration);
}

static const char *
replicate_get_id (EaselProvider *provider)
{
  return "replicate";
}

static const char *
replicate_get_display_name (EaselProvider *provider)
{
  return "Replicate";
}

static EaselProviderCapabilities
replicate_get_capabilities (EaselProvider *provider)
{
  return EASEL_PROVIDER_CAN_CANCEL | EASEL_PROVIDER_CAN_UPLOAD |
         EASEL_PROVIDER_CAN_LIST_HISTORY | EASEL_PROVIDER_NEGATIVE_PROMPT;
}

static guint
output_count (EaselJobSpec *spec)
{
  JsonNode *node = json_object_get_member (spec->params, "num_outputs");

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    return (guint) CLAMP (json_node_get_int (node), 1, 100);
  return 1;
}

static gboolean
replicate_estimate_cost (EaselProvider      *provider,
                         EaselJobSpec       *spec,
                         EaselCostEstimate  *estimate,
                         GError            **error)
{
  g_autofree char *owner = NULL, *name = NULL, *version = NULL, *model = NULL;
  gint64 price;
  guint n = output_count (spec);

  if (!easel_replicate_split_model (spec->model, &owner, &name, &version, error))
    return FALSE;

  model = g_strdup_printf ("%s/%s", owner, name);
  if (version == NULL && easel_replicate_price_per_image (model, &price))
    {
      estimate->micros = price * n;
      estimate->exact = TRUE;
      /* Translators: %u is a number of images */
      estimate->basis = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image at the official price",
                                                      "%u images at the official price", n), n);
      return TRUE;
    }

  /* Time-billed: a rough guess until the job reports its predict time. */
  estimate->micros = (gint64) (DEFAULT_ESTIMATED_SECONDS * DEFAULT_RATE_MICROS_PER_SECOND);
  estimate->exact = FALSE;
  estimate->basis = g_strdup (_("Billed by the second; estimated at 10 s on an A100 GPU"));
  return TRUE;
}

static gboolean
replicate_actual_cost (EaselProvider     *provider,
                       EaselRemoteJob    *job,
                       EaselCostEstimate *cost)
{
  g_autofree char *owner = NULL, *name = NULL, *version = NULL, *model = NULL;
  gint64 price;

  /* Not started before its deadline: never billed. */
  if (job->state == EASEL_REMOTE_STATE_ABORTED)
    {
      cost->exact = TRUE;
      return TRUE;
    }

  if (job->model != NULL && easel_replicate_split_model (job->model, &owner, &name, &version, NULL) &&
      version == NULL)
    {
      model = g_strdup_printf ("%s/%s", owner, name);
      if (easel_replicate_price_per_image (model, &price))
        {
          /* Official models bill per output; a failed or cancelled job has none. */
          cost->micros = job->state == EASEL_REMOTE_STATE_SUCCEEDED ? price * job->outputs->len : 0;
          cost->exact = TRUE;
          return TRUE;
        }
    }

  /* Time-billed models bill the compute time used, cancelled ones too. */
  if (job->predict_time >= 0)
    {
      cost->micros = (gint64) (job->predict_time * DEFAULT_RATE_MICROS_PER_SECOND + 0.5);
      cost->exact = FALSE;
      cost->basis = g_strdup_printf (_("%.1f s of GPU time"), job->predict_time);
      return TRUE;
    }

  return FALSE;
}

/* describe_params */

static void
schema_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaselReplicateProvider *self = g_task_get_source_object (task);
  g_autoptr(EaselHttpResponse) response = NULL;
  g_autoptr(GPtrArray) params = NULL;
  GError *error = NULL;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL || (params = easel_replicate_parse_schema (response->json, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_hash_table_replace (self->schemas, g_strdup (g_task_get_task_data (task)), g_ptr_array_ref (params));
  g_task_return_pointer (task, g_steal_pointer (&params), (GDestroyNotify) g_ptr_array_unref);
}

static void
replicate_describe_params_async (EaselProvider       *provider,
                                 const char          *model,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  EaselReplicateProvider *self = EASEL_REPLICATE_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *owner = NULL, *name = NULL, *version = NULL, *path = NULL;
  GPtrArray *cached;
  GError *error = NULL;

  g_task_set_source_tag (task, replicate_describe_params_async);

  if (!easel_replicate_split_model (model, &owner, &name, &version, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_set_task_data (task, g_strdup_printf ("%s/%s", owner, name), g_free);
  cached = g_hash_table_lookup (self->schemas, g_task_get_task_data (task));
  if (cached != NULL)
    {
      g_task_return_pointer (task, g_ptr_array_ref (cached), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  path = g_strdup_printf ("models/%s/%s", owner, name);
  easel_http_client_send_async (CLIENT (self), easel_http_request_new ("GET", path),
                                cancellable, schema_cb, g_steal_pointer (&task));
}

static GPtrArray *
replicate_describe_params_finish (EaselProvider  *provider,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* submit */

static JsonNode *
build_input (EaselJobSpec *spec)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_builder_begin_object (builder);
  if (!json_object_has_member (spec->params, "prompt") && spec->prompt[0] != '\0')
    {
      json_builder_set_member_name (builder, "prompt");
      json_builder_add_string_value (builder, spec->prompt);
    }
  json_object_iter_init (&iter, spec->params);
  while (json_object_iter_next (&iter, &name, &value))
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_value (builder, json_node_copy (value));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
job_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(EaselHttpResponse) response = NULL;
  EaselRemoteJob *job;
  GError *error = NULL;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  job = easel_replicate_parse_prediction (response->json, &error);
  if (job == NULL)
    {
      /* The server took a billable request but its reply cannot be read:
       * whether a job exists is unknown. */
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_AMBIGUOUS,
                               _("Replicate accepted the job but its reply cannot be read: %s"),
                               error->message);
      g_error_free (error);
      return;
    }

  g_task_return_pointer (task, job, (GDestroyNotify) easel_remote_job_unref);
}

/* Checks the input against the model's schema when this provider has
 * read it (describe_params), so a value out of range is refused before
 * anything is sent. Only for unversioned models: the schema read is the
 * latest version's, which a pinned version may not share. Inputs the
 * schema does not describe are left to the server. */
static gboolean
check_input (EaselReplicateProvider  *self,
             const char              *model,
             JsonObject              *input,
             GError                 **error)
{
  GPtrArray *schema = g_hash_table_lookup (self->schemas, model);

  if (schema == NULL)
    return TRUE;

  for (guint i = 0; i < schema->len; i++)
    {
      EaselParam *param = g_ptr_array_index (schema, i);

      if (!easel_param_check (param, json_object_get_member (input, param->name), error))
        return FALSE;
    }
  return TRUE;
}

/* The one place a prediction request is put together, for submit and for
 * describe_request: its body, and the path it is posted to. */
static JsonNode *
build_request (EaselReplicateProvider  *self,
               EaselJobSpec            *spec,
               char                   **path,
               GError                 **error)
{
  g_autofree char *owner = NULL, *name = NULL, *version = NULL, *model = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) input = NULL;

  if (!easel_replicate_split_model (spec->model, &owner, &name, &version, error))
    return NULL;

  input = build_input (spec);
  model = g_strdup_printf ("%s/%s", owner, name);
  if (version == NULL && !check_input (self, model, json_node_get_object (input), error))
    return NULL;

  json_builder_begin_object (builder);
  if (version != NULL)
    {
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, version);
    }
  json_builder_set_member_name (builder, "input");
  json_builder_add_value (builder, g_steal_pointer (&input));
  json_builder_end_object (builder);

  if (path != NULL)
    *path = version != NULL ? g_strdup ("predictions")
                            : g_strdup_printf ("models/%s/%s/predictions", owner, name);
  return json_builder_get_root (builder);
}

static void
replicate_submit_async (EaselProvider       *provider,
                        EaselJobSpec        *spec,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  EaselReplicateProvider *self = EASEL_REPLICATE_PROVIDER (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = NULL, *wait = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(EaselHttpRequest) request = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, replicate_submit_async);

  body = build_request (self, spec, &path, &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  request = easel_http_request_new ("POST", path);
  easel_http_request_set_flags (request, EASEL_HTTP_BILLABLE);
  easel_http_request_set_json (request, body);
  if (self->prefer_wait > 0)
    {
      wait = g_strdup_printf ("wait=%u", self->prefer_wait);
      easel_http_request_add_header (request, "Prefer", wait);
    }
  if (self->cancel_after != NULL)
    easel_http_request_add_header (request, "Cancel-After", self->cancel_after);

  easel_http_client_send_async (CLIENT (self), g_steal_pointer (&request), cancellable,
                                job_cb, g_steal_pointer (&task));
}

static EaselRemoteJob *
replicate_submit_finish (EaselProvider  *provider,
                         GAsyncResult   *result,
                         GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* describe_request: the input object submit would send */

static char *
replicate_describe_request (EaselProvider  *provider,
                            EaselJobSpec   *spec,
                            GError        **error)
{
  g_autoptr(JsonNode) body = build_request (EASEL_REPLICATE_PROVIDER (provider), spec, NULL, error);

  if (body == NULL)
    return NULL;
  return json_to_string (json_object_get_member (json_node_get_object (body), "input"), TRUE);
}

/* watch: adaptive polling */

static EaselJobWatch *
replicate_watch (EaselProvider  *provider,
                 EaselRemoteJob *job)
{
  EaselReplicateProvider *self = EASEL_REPLICATE_PROVIDER (provider);
  EaselJobWatch *watch = easel_job_watch_new (job->remote_id);
  g_autofree char *escaped = easel_http_escape_segment (job->remote_id);
  g_autofree char *path = g_strdup_printf ("predictions/%s", escaped);

  /* The snapshot we already have (from the submit or the list) is emitted
   * first, so a job that finished within Prefer: wait costs no poll. */
  easel_job_poller_start (watch, CLIENT (self), path, easel_replicate_parse_prediction,
                          self->first_poll_ms, self->max_poll_ms,
                          job->status != NULL ? job : NULL);
  return watch;
}

/* cancel */

static void
cancel_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(EaselHttpResponse) response = NULL;
  GError *error = NULL;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
replicate_cancel_async (EaselProvider       *provider,
                        const char          *remote_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  EaselReplicateProvider *self = EASEL_REPLICATE_PROVIDER (provider);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *escaped = easel_http_escape_segment (remote_id);
  g_autofree char *path = g_strdup_printf ("predictions/%s/cancel", escaped);
  EaselHttpRequest *request = easel_http_request_new ("POST", path);

  g_task_set_source_tag (task, replicate_cancel_async);
  /* Cancelling twice is harmless: safe to retry. */
  easel_http_request_set_flags (request, EASEL_HTTP_IDEMPOTENT);
  easel_http_client_send_async (CLIENT (self), request, cancellable, cancel_cb, task);
}

static gboolean
replicate_cancel_finish (EaselProvider  *provider,
                         GAsyncResult   *result,
                         GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* upload_reference */

typedef struct
{
  GBytes *contents;
  char   *content_type;
  char   *basename;
} Upload;

static void
upload_free (Upload *upload)
{
  g_clear_pointer (&upload->contents, g_bytes_unref);
  g_free (upload->content_type);
  g_free (upload->basename);
  g_free (upload);
}

static char *
data_uri (Upload *upload)
{
  gsize size;
  const guchar *data = g_bytes_get_data (upload->contents, &size);
  g_autofree char *base64 = g_base64_encode (data, size);

  return g_strdup_printf ("data:%s;base64,%s", upload->content_type, base64);
}

static void
file_uploaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(EaselHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  char *url = NULL;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (response != NULL)
    url = easel_replicate_parse_file (response->json, &error);

  if (url != NULL)
    {
      g_task_return_pointer (task, url, g_free);
      return;
    }

  /* Small files can go inline as data URIs when the files API is not
   * available, as Replicate's own clients do; never for errors that the
   * user must fix. */
  if (g_bytes_get_size (upload->contents) <= MAX_DATA_URI_SIZE &&
      !g_error_matches (error, EASEL_ERROR, EASEL_ERROR_UNAUTHORIZED) &&
      !g_error_matches (error, EASEL_ERROR, EASEL_ERROR_PAYMENT_REQUIRED) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("File upload failed (%s); sending the image inline", error->message);
      g_task_return_pointer (task, data_uri (upload), g_free);
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

static void
file_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaselReplicateProvider *self = g_task_get_source_object (task);
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *content_type = NULL;
  EaselHttpRequest *request;
  GCancellable *cancellable;
  Upload *upload;
  GError *error = NULL;
  gsize size;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &size, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (size > MAX_REFERENCE_SIZE)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_TOO_LARGE,
                               _("The image is larger than 10 MB"));
      return;
    }

  /* Judge the file by its content, not its name. */
  content_type = g_strdup (easel_image_type_sniff ((const guint8 *) contents, size));
  if (content_type == NULL)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                               _("The file is not a PNG, JPEG, WebP or GIF image"));
      return;
    }

  upload = g_new0 (Upload, 1);
  upload->contents = g_bytes_new_take (g_steal_pointer (&contents), size);
  upload->content_type = g_steal_pointer (&content_type);
  upload->basename = g_file_get_basename (G_FILE (object));
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);

  multipart = soup_multipart_new ("multipart/form-data");
  /* The server never sees the local name: only a neutral one. */
  soup_multipart_append_form_file (multipart, "content", "reference",
                                   upload->content_type, upload->contents);

  request = easel_http_request_new ("POST", "files");
  easel_http_request_set_multipart (request, multipart);
  cancellable = g_task_get_cancellable (task);
  easel_http_client_send_async (CLIENT (self), request, cancellable,
                                file_uploaded_cb, g_steal_pointer (&task));
}

static void
replicate_upload_reference_async (EaselProvider       *provider,
                                  GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, replicate_upload_reference_async);
  g_file_load_contents_async (file, cancellable, file_loaded_cb, task);
}

static char *
replicate_upload_reference_finish (EaselProvider  *provider,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* list_remote_jobs */

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(EaselHttpResponse) response = NULL;
  EaselRemotePage *page;
  GError *error = NULL;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL || (page = easel_replicate_parse_page (response->json, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, page, (GDestroyNotify) easel_remote_page_free);
}

static void
replicate_list_remote_jobs_async (EaselProvider       *provider,
                                  const char          *cursor,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  EaselReplicateProvider *self = EASEL_REPLICATE_PROVIDER (provider);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = NULL;

  g_task_set_source_tag (task, replicate_list_remote_jobs_async);
  if (cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);

      path = g_strdup_printf ("predictions?cursor=%s", escaped);
    }
  else
    path = g_strdup ("predictions");

  easel_http_client_send_async (CLIENT (self), easel_http_request_new ("GET", path),
                                cancellable, page_cb, task);
}

static EaselRemotePage *
replicate_list_remote_jobs_finish (EaselProvider  *provider,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* find_submitted: recent predictions with the same model and input */

typedef struct
{
  EaselJobSpec *spec;
  gint64        sent_after;
} Find;

static void
find_free (Find *find)
{
  easel_job_spec_unref (find->spec);
  g_free (find);
}

static gboolean
same_model (const char *spec_model,
            const char *prediction_model)
{
  g_autofree char *owner = NULL, *name = NULL, *version = NULL, *base = NULL;

  if (prediction_model == NULL || !easel_replicate_split_model (spec_model, &owner, &name, &version, NULL))
    return FALSE;
  base = g_strdup_printf ("%s/%s", owner, name);
  return g_str_equal (base, prediction_model);
}

static int
compare_created (gconstpointer a,
                 gconstpointer b)
{
  EaselRemoteJob *ja = *(EaselRemoteJob **) a;
  EaselRemoteJob *jb = *(EaselRemoteJob **) b;

  if (ja->created_at == NULL || jb->created_at == NULL)
    return 0;
  return g_date_time_compare (ja->created_at, jb->created_at);
}

static void
find_page_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Find *find = g_task_get_task_data (task);
  g_autoptr(EaselHttpResponse) response = NULL;
  g_autoptr(EaselRemotePage) page = NULL;
  GPtrArray *found;
  GError *error = NULL;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL || (page = easel_replicate_parse_page (response->json, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  found = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_remote_job_unref);
  for (guint i = 0; i < page->jobs->len; i++)
    {
      EaselRemoteJob *job = g_ptr_array_index (page->jobs, i);
      JsonNode *prompt = job->input ? json_object_get_member (job->input, "prompt") : NULL;
      /* Clocks differ: allow a minute before the moment it was sent. */
      gint64 created = job->created_at ? g_date_time_to_unix (job->created_at) * G_USEC_PER_SEC : 0;

      if (created < find->sent_after - 60 * G_USEC_PER_SEC || !same_model (find->spec->model, job->model))
        continue;
      if (prompt == NULL || !JSON_NODE_HOLDS_VALUE (prompt) ||
          json_node_get_value_type (prompt) != G_TYPE_STRING ||
          g_strcmp0 (json_node_get_string (prompt), find->spec->prompt) != 0)
        continue;
      g_ptr_array_add (found, easel_remote_job_ref (job));
    }

  g_ptr_array_sort (found, compare_created);
  g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

static void
replicate_find_submitted_async (EaselProvider       *provider,
                                EaselJobSpec        *spec,
                                gint64               sent_after,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (provider, cancellable, callback, user_data);
  Find *find = g_new0 (Find, 1);

  g_task_set_source_tag (task, replicate_find_submitted_async);
  find->spec = easel_job_spec_ref (spec);
  find->sent_after = sent_after;
  g_task_set_task_data (task, find, (GDestroyNotify) find_free);

  /* The newest page: a lost submit is minutes old at most. */
  easel_http_client_send_async (CLIENT (provider), easel_http_request_new ("GET", "predictions"),
                                cancellable, find_page_cb, task);
}

static GPtrArray *
replicate_find_submitted_finish (EaselProvider  *provider,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* validate_credentials */

static void
replicate_validate_credentials_async (EaselProvider       *provider,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  EaselReplicateProvider *self = EASEL_REPLICATE_PROVIDER (provider);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, replicate_validate_credentials_async);
  /* GET /v1/account: the cheapest authenticated call. */
  easel_http_client_send_async (CLIENT (self), easel_http_request_new ("GET", "account"),
                                cancellable, cancel_cb, task);
}

static gboolean
replicate_validate_credentials_finish (EaselProvider  *provider,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* GObject */

static void
easel_replicate_provider_finalize (GObject *object)
{
  EaselReplicateProvider *self = EASEL_REPLICATE_PROVIDER (object);

  g_clear_pointer (&self->schemas, g_hash_table_unref);
  g_clear_pointer (&self->cancel_after, g_free);

  G_OBJECT_CLASS (easel_replicate_provider_parent_class)->finalize (object);
}

static void
easel_replicate_provider_class_init (EaselReplicateProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EaselHttpProviderClass *http_class = EASEL_HTTP_PROVIDER_CLASS (klass);

  object_class->finalize = easel_replicate_provider_finalize;

  http_class->client_name = "Replicate";
  http_class->default_url = EASEL_REPLICATE_DEFAULT_URL;
  http_class->classify = easel_replicate_classify;
}

static void
easel_replicate_provider_init (EaselReplicateProvider *self)
{
  self->schemas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->first_poll_ms = DEFAULT_FIRST_POLL_MS;
  self->max_poll_ms = DEFAULT_MAX_POLL_MS;
  self->prefer_wait = DEFAULT_PREFER_WAIT;
  /* A job still queued after half an hour is not worth waiting for; the
   * form follows Replicate's examples ("2m"; the full grammar is
   * UNCONFIRMED). */
  self->cancel_after = g_strdup ("30m");
}

static void
provider_iface_init (EaselProviderInterface *iface)
{
  iface->get_id = replicate_get_id;
  iface->get_display_name = replicate_get_display_name;
  iface->get_capabilities = replicate_get_capabilities;
  iface->describe_params_async = replicate_describe_params_async;
  iface->describe_params_finish = replicate_describe_params_finish;
  iface->estimate_cost = replicate_estimate_cost;
  iface->actual_cost = replicate_actual_cost;
  iface->submit_async = replicate_submit_async;
  iface->submit_finish = replicate_submit_finish;
  iface->watch = replicate_watch;
  iface->cancel_async = replicate_cancel_async;
  iface->cancel_finish = replicate_cancel_finish;
  iface->upload_reference_async = replicate_upload_reference_async;
  iface->upload_reference_finish = replicate_upload_reference_finish;
  iface->list_remote_jobs_async = replicate_list_remote_jobs_async;
  iface->list_remote_jobs_finish = replicate_list_remote_jobs_finish;
  iface->find_submitted_async = replicate_find_submitted_async;
  iface->find_submitted_finish = replicate_find_submitted_finish;
  iface->validate_credentials_async = replicate_validate_credentials_async;
  iface->validate_credentials_finish = replicate_validate_credentials_finish;
  iface->describe_request = replicate_describe_request;
}
