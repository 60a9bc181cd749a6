/* easel-replicate-parse.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Pure parsers for Replicate's replies (providers.md §3): prediction
 * objects, list pages, a model's OpenAPI input schema, file objects and
 * error bodies. They check the type of every node they read, ignore members
 * they do not know, and never follow a URL that is not http(s). Tested
 * table-driven in tests/test-replicate-parse.c and fuzzed. */

#include "config.h"

#include "easel-replicate-parse.h"

#include <string.h>

#include "easel-error.h"
#include "easel-json.h"

/**
 * easel_replicate_parse_status:
 * @status: a prediction's status
 *
 * Returns: the state for @status; an undocumented status is
 *   %EASEL_REMOTE_STATE_UNKNOWN, never a guess
 */
EaselRemoteState
easel_replicate_parse_status (const char *status)
{
  static const struct { const char *name; EaselRemoteState state; } map[] = {
    { "starting", EASEL_REMOTE_STATE_QUEUED },
    { "processing", EASEL_REMOTE_STATE_RUNNING },
    { "succeeded", EASEL_REMOTE_STATE_SUCCEEDED },
    { "failed", EASEL_REMOTE_STATE_FAILED },
    { "canceled", EASEL_REMOTE_STATE_CANCELLED },
    { "aborted", EASEL_REMOTE_STATE_ABORTED },
  };

  if (status == NULL)
    return EASEL_REMOTE_STATE_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    {
      if (g_str_equal (status, map[i].name))
        return map[i].state;
    }
  return EASEL_REMOTE_STATE_UNKNOWN;
}

/**
 * easel_replicate_parse_progress:
 * @logs: (nullable): a prediction's logs
 *
 * Reads the last tqdm-style progress ("  45%|████▌  | 9/20") from @logs,
 * as Replicate's own clients do.
 *
 * Returns: the percentage, or -1 when the logs show none
 */
int
easel_replicate_parse_progress (const char *logs)
{
  int found = -1;

  if (logs == NULL)
    return -1;

  for (const char *p = strchr (logs, '%'); p != NULL; p = strchr (p + 1, '%'))
    {
      const char *start = p;
      guint64 value = 0;
      g_autofree char *digits = NULL;

      if (p[1] != '|')
        continue;
      while (start > logs && g_ascii_isdigit (start[-1]) && p - start < 3)
        start--;
      if (start == p)
        continue;
      digits = g_strndup (start, p - start);
      if (g_ascii_string_to_unsigned (digits, 10, 0, 100, &value, NULL))
        found = (int) value;
    }

  return found;
}

static gboolean
add_output (EaselRemoteJob *job,
            JsonNode       *node,
            GError        **error)
{
  const char *url;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                           "an output is not a URL string");
      return FALSE;
    }

  url = json_node_get_string (node);
  /* Outputs that are not http(s) URLs (text models, data: URIs, hostile
   * values) are not files to download. */
  if (easel_json_is_http_url (url))
    easel_remote_job_add_output (job, url, 0, 0, NULL);
  return TRUE;
}

static gboolean
parse_output (EaselRemoteJob *job,
              JsonObject     *object,
              GError        **error)
{
  JsonNode *output = json_object_get_member (object, "output");

  if (output == NULL || JSON_NODE_HOLDS_NULL (output))
    return TRUE;

  if (JSON_NODE_HOLDS_ARRAY (output))
    {
      JsonArray *array = json_node_get_array (output);
      guint n = json_array_get_length (array);

      if (n > 1000)
        {
          g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                               "too many outputs");
          return FALSE;
        }
      for (guint i = 0; i < n; i++)
        {
          if (!add_output (job, json_array_get_element (array, i), error))
            return FALSE;
        }
      return TRUE;
    }

  if (JSON_NODE_HOLDS_OBJECT (output))
    return TRUE;   /* a model with structured output: nothing to download */

  return add_output (job, output, error);
}

/**
 * easel_replicate_parse_prediction:
 * @node: a prediction object
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the job, or %NULL with @error set
 */
EaselRemoteJob *
easel_replicate_parse_prediction (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object, *metrics, *input;
  const char *id, *status, *model = NULL, *logs = NULL, *created = NULL, *completed = NULL;
  JsonNode *error_node;
  gboolean data_removed = FALSE;

  object = easel_json_expect_object (node, "prediction", &local_error);
  if (object == NULL ||
      !easel_json_get_string (object, "id", TRUE, &id, &local_error) ||
      !easel_json_get_string (object, "status", TRUE, &status, &local_error) ||
      !easel_json_get_string (object, "model", FALSE, &model, &local_error) ||
      !easel_json_get_string (object, "logs", FALSE, &logs, &local_error) ||
      !easel_json_get_string (object, "created_at", FALSE, &created, &local_error) ||
      !easel_json_get_string (object, "completed_at", FALSE, &completed, &local_error) ||
      !easel_json_get_bool (object, "data_removed", &data_removed, &local_error))
    goto fail;

  if (id[0] == '\0')
    {
      g_set_error_literal (&local_error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE, "“id” is empty");
      goto fail;
    }

  job = easel_remote_job_new (id);
  job->status = g_strdup (status);
  job->state = easel_replicate_parse_status (status);
  job->model = g_strdup (model);
  job->data_removed = data_removed;
  job->created_at = easel_json_parse_time (created);
  job->completed_at = easel_json_parse_time (completed);
  job->progress = easel_replicate_parse_progress (logs);
  if (job->state == EASEL_REMOTE_STATE_SUCCEEDED)
    job->progress = 100;

  error_node = json_object_get_member (object, "error");
  if (error_node != NULL && !JSON_NODE_HOLDS_NULL (error_node))
    {
      if (JSON_NODE_HOLDS_VALUE (error_node) && json_node_get_value_type (error_node) == G_TYPE_STRING)
        job->error_message = g_strdup (json_node_get_string (error_node));
      else
        job->error_message = json_to_string (error_node, FALSE);
    }

  metrics = easel_json_get_object (object, "metrics", &local_error);
  if (local_error != NULL)
    goto fail;
  if (metrics != NULL && !easel_json_get_number (metrics, "predict_time", &job->predict_time, &local_error))
    goto fail;
  if (job->predict_time < 0 && job->predict_time != -1)
    job->predict_time = -1;

  input = easel_json_get_object (object, "input", &local_error);
  if (local_error != NULL)
    goto fail;
  if (input != NULL)
    {
      const char *prompt = NULL;

      job->input = json_object_ref (input);
      if (easel_json_get_string (input, "prompt", FALSE, &prompt, NULL))
        job->prompt = g_strdup (prompt);
    }

  if (!parse_output (job, object, &local_error))
    goto fail;

  return g_steal_pointer (&job);

fail:
  g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "Replicate prediction: ");
  return NULL;
}

static char *
cursor_from_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *query;
  const char *cursor;

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  if (uri == NULL || (query = g_uri_get_query (uri)) == NULL)
    return NULL;

  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    return NULL;
  cursor = g_hash_table_lookup (params, "cursor");
  return cursor != NULL && cursor[0] != '\0' ? g_strdup (cursor) : NULL;
}

/**
 * easel_replicate_parse_page:
 * @node: a page of the prediction list
 * @error: return location for a #GError
 *
 * Predictions that cannot be parsed are skipped, so one odd entry does not
 * hide a whole page of history.
 *
 * Returns: (transfer full): the page, or %NULL with @error set
 */
EaselRemotePage *
easel_replicate_parse_page (JsonNode  *node,
                            GError   **error)
{
  g_autoptr(EaselRemotePage) page = easel_remote_page_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonArray *results;
  const char *next = NULL;

  object = easel_json_expect_object (node, "page", &local_error);
  if (object == NULL ||
      !easel_json_get_string (object, "next", FALSE, &next, &local_error))
    goto fail;

  results = easel_json_get_array (object, "results", &local_error);
  if (local_error != NULL)
    goto fail;
  if (results == NULL)
    {
      g_set_error_literal (&local_error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                           "“results” is missing");
      goto fail;
    }

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      g_autoptr(GError) item_error = NULL;
      EaselRemoteJob *job = easel_replicate_parse_prediction (json_array_get_element (results, i),
                                                              &item_error);

      if (job != NULL)
        g_ptr_array_add (page->jobs, job);
      else
        g_debug ("Skipping a prediction in the list: %s", item_error->message);
    }

  if (next != NULL)
    page->next_cursor = cursor_from_url (next);

  return g_steal_pointer (&page);

fail:
  g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "Replicate prediction list: ");
  return NULL;
}

/* Resolves {"$ref": "#/components/schemas/Name"} and
 * {"allOf": [{"$ref": …}]} (how Cog describes enums) within @schemas. */
static JsonObject *
resolve_property (JsonObject *property,
                  JsonObject *schemas)
{
  JsonArray *all_of;
  const char *ref = NULL;

  all_of = easel_json_get_array (property, "allOf", NULL);
  if (all_of != NULL && json_array_get_length (all_of) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (all_of, 0)))
    property = json_array_get_object_element (all_of, 0);

  if (easel_json_get_string (property, "$ref", FALSE, &ref, NULL) && ref != NULL &&
      g_str_has_prefix (ref, "#/components/schemas/") && schemas != NULL)
    {
      JsonObject *target = easel_json_get_object (schemas, ref + strlen ("#/components/schemas/"), NULL);

      if (target != NULL)
        return target;
    }

  return property;
}

static GStrv
enum_choices (JsonArray *values)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < json_array_get_length (values) && i < 1000; i++)
    {
      JsonNode *value = json_array_get_element (values, i);

      if (!JSON_NODE_HOLDS_VALUE (value))
        continue;
      switch (json_node_get_value_type (value))
        {
        case G_TYPE_STRING:
          g_strv_builder_add (builder, json_node_get_string (value));
          break;
        case G_TYPE_INT64:
          {
            g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));

            g_strv_builder_add (builder, text);
          }
          break;
        case G_TYPE_DOUBLE:
          {
            g_autofree char *text = easel_json_format_number (json_node_get_double (value));

            g_strv_builder_add (builder, text);
          }
          break;
        default:
          break;
        }
    }

  return g_strv_builder_end (builder);
}

static EaselParam *
param_from_property (const char *name,
                     JsonObject *property,
                     JsonObject *schemas,
                     GStrv       required)
{
  JsonObject *resolved = resolve_property (property, schemas);
  EaselParam *param;
  const char *type = NULL, *format = NULL, *title = NULL, *description = NULL;
  JsonArray *values;
  gint64 order = G_MAXINT;
  JsonNode *default_node;

  easel_json_get_string (resolved, "type", FALSE, &type, NULL);
  easel_json_get_string (property, "format", FALSE, &format, NULL);
  if (format == NULL)
    easel_json_get_string (resolved, "format", FALSE, &format, NULL);
  values = easel_json_get_array (resolved, "enum", NULL);

  if (values != NULL)
    param = easel_param_new (name, EASEL_PARAM_ENUM);
  else if (g_strcmp0 (type, "integer") == 0)
    param = easel_param_new (name, EASEL_PARAM_INTEGER);
  else if (g_strcmp0 (type, "number") == 0)
    param = easel_param_new (name, EASEL_PARAM_NUMBER);
  else if (g_strcmp0 (type, "boolean") == 0)
    param = easel_param_new (name, EASEL_PARAM_BOOLEAN);
  else if (g_strcmp0 (type, "string") == 0 && g_strcmp0 (format, "uri") == 0)
    param = easel_param_new (name, EASEL_PARAM_IMAGE);
  else if (g_strcmp0 (type, "string") == 0)
    param = easel_param_new (name, g_str_has_suffix (name, "prompt") ? EASEL_PARAM_TEXT : EASEL_PARAM_STRING);
  else
    param = easel_param_new (name, EASEL_PARAM_JSON);   /* arrays, objects, unknown types */

  if (values != NULL)
    param->choices = enum_choices (values);

  if (easel_json_get_string (property, "title", FALSE, &title, NULL) && title != NULL)
    {
      g_free (param->title);
      param->title = g_strdup (title);
    }
  if (easel_json_get_string (property, "description", FALSE, &description, NULL) && description != NULL)
    param->help = g_strdup (description);

  param->has_minimum = easel_json_get_number (property, "minimum", &param->minimum, NULL) &&
                       json_object_has_member (property, "minimum");
  param->has_maximum = easel_json_get_number (property, "maximum", &param->maximum, NULL) &&
                       json_object_has_member (property, "maximum");

  default_node = json_object_get_member (property, "default");
  if (default_node != NULL && !JSON_NODE_HOLDS_NULL (default_node) &&
      easel_param_check (param, default_node, NULL))
    param->default_value = json_node_copy (default_node);

  if (easel_json_get_int (property, "x-order", 0, G_MAXINT, &order, NULL))
    param->order = (int) MIN (order, G_MAXINT);
  param->required = required != NULL && g_strv_contains ((const char * const *) required, name);

  return param;
}

static int
compare_params (gconstpointer a,
                gconstpointer b)
{
  const EaselParam *pa = *(EaselParam **) a;
  const EaselParam *pb = *(EaselParam **) b;

  if (pa->order != pb->order)
    return pa->order < pb->order ? -1 : 1;
  return g_strcmp0 (pa->name, pb->name);
}

/**
 * easel_replicate_parse_schema:
 * @model: a model object (`GET /v1/models/{owner}/{name}`)
 * @error: return location for a #GError
 *
 * Turns the model's OpenAPI `Input` schema into parameter descriptions:
 * enums become choices, numbers keep their bounds, `format: uri` strings
 * become image slots. Properties of other types (arrays, objects, no type)
 * become %EASEL_PARAM_JSON, which the editor offers as text.
 *
 * Returns: (transfer container) (element-type EaselParam): the parameters
 *   in `x-order`, or %NULL with @error set
 */
GPtrArray *
easel_replicate_parse_schema (JsonNode  *model,
                              GError   **error)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_param_free);
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) required = NULL;
  JsonObject *object, *version, *openapi, *components, *schemas, *input, *properties;
  JsonArray *required_array;
  JsonObjectIter iter;
  const char *name;
  JsonNode *property;

  object = easel_json_expect_object (model, "model", &local_error);
  if (object == NULL)
    goto fail;

  version = easel_json_get_object (object, "latest_version", &local_error);
  openapi = version ? easel_json_get_object (version, "openapi_schema", &local_error) : NULL;
  components = openapi ? easel_json_get_object (openapi, "components", &local_error) : NULL;
  schemas = components ? easel_json_get_object (components, "schemas", &local_error) : NULL;
  input = schemas ? easel_json_get_object (schemas, "Input", &local_error) : NULL;
  properties = input ? easel_json_get_object (input, "properties", &local_error) : NULL;
  if (local_error != NULL)
    goto fail;
  if (properties == NULL)
    {
      g_set_error_literal (&local_error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                           "the model publishes no input schema");
      goto fail;
    }

  required_array = easel_json_get_array (input, "required", NULL);
  if (required_array != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; i < json_array_get_length (required_array); i++)
        {
          JsonNode *item = json_array_get_element (required_array, i);

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (item));
        }
      required = g_strv_builder_end (builder);
    }

  json_object_iter_init (&iter, properties);
  while (json_object_iter_next (&iter, &name, &property))
    {
      EaselParam *param;

      if (!JSON_NODE_HOLDS_OBJECT (property) || !g_utf8_validate (name, -1, NULL))
        continue;
      param = param_from_property (name, json_node_get_object (property), schemas, required);
      if (param != NULL)
        g_ptr_array_add (params, param);
    }

  g_ptr_array_sort (params, compare_params);
  return g_steal_pointer (&params);

fail:
  g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "Replicate model schema: ");
  return NULL;
}

/**
 * easel_replicate_parse_file:
 * @node: a file object (`POST /v1/files`)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the file's `urls.get`, to use as an input value
 */
char *
easel_replicate_parse_file (JsonNode  *node,
                            GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonObject *object, *urls;
  const char *get = NULL;

  object = easel_json_expect_object (node, "file", &local_error);
  urls = object ? easel_json_get_object (object, "urls", &local_error) : NULL;
  if (urls != NULL)
    easel_json_get_string (urls, "get", TRUE, &get, &local_error);
  else if (local_error == NULL)
    g_set_error_literal (&local_error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE, "“urls” is missing");

  if (get != NULL && !easel_json_is_http_url (get))
    g_set_error_literal (&local_error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                         "“urls.get” is not an http(s) URL");

  if (local_error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "Replicate file: ");
      return NULL;
    }
  return g_strdup (get);
}

/**
 * easel_replicate_classify:
 * @status: the HTTP status
 * @body: (nullable): the error body (`{"title", "detail", "status"}`)
 * @message: (out): Replicate's explanation
 * @user_data: unused
 *
 * An #EaselHttpClassifyFunc for Replicate.
 *
 * Returns: the #EaselError code, or -1 for the generic mapping
 */
int
easel_replicate_classify (guint      status,
                          JsonNode  *body,
                          char     **message,
                          gpointer   user_data)
{
  JsonObject *object = body && JSON_NODE_HOLDS_OBJECT (body) ? json_node_get_object (body) : NULL;
  const char *detail = NULL, *title = NULL;

  *message = NULL;
  if (object != NULL)
    {
      easel_json_get_string (object, "detail", FALSE, &detail, NULL);
      easel_json_get_string (object, "title", FALSE, &title, NULL);
      if (detail != NULL)
        *message = g_strdup (detail);
      else if (title != NULL)
        *message = g_strdup (title);
    }

  return -1;
}
