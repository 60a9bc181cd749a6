/* easel-json.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "easel-json.h"

#include <math.h>

#include "easel-error.h"

#include <string.h>

static gboolean
wrong_type (const char  *member,
            const char  *expected,
            GError     **error)
{
  g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
               "“%s” is not %s", member, expected);
  return FALSE;
}

/**
 * easel_json_expect_object:
 * @node: (nullable): a node
 * @what: what the object is, for the message
 * @error: return location for a #GError
 *
 * Returns: (transfer none) (nullable): the object held by @node
 */
JsonObject *
easel_json_expect_object (JsonNode    *node,
                          const char  *what,
                          GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                   "the %s is not a JSON object", what);
      return NULL;
    }
  return json_node_get_object (node);
}

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

/**
 * easel_json_get_string:
 * @object: an object
 * @member: a member name
 * @required: whether a missing or null member is an error
 * @out: (out) (transfer none): the string, or %NULL when absent
 * @error: return location for a #GError
 *
 * Returns: %FALSE with @error set when the member has another type, is
 *   missing but required, or is not valid UTF-8
 */
gboolean
easel_json_get_string (JsonObject  *object,
                       const char  *member,
                       gboolean     required,
                       const char **out,
                       GError     **error)
{
  JsonNode *node = get_member (object, member);

  *out = NULL;
  if (node == NULL)
    {
      if (required)
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                       "“%s” is missing", member);
          return FALSE;
        }
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (member, "a string", error);

  *out = json_node_get_string (node);
  if (!g_utf8_validate (*out, -1, NULL))
    {
      *out = NULL;
      return wrong_type (member, "valid UTF-8", error);
    }
  return TRUE;
}

/**
 * easel_json_get_number:
 * @object: an object
 * @member: a member name
 * @out: (inout): left alone when the member is absent
 * @error: return location for a #GError
 *
 * Returns: %FALSE with @error set when the member is not a finite number
 */
gboolean
easel_json_get_number (JsonObject  *object,
                       const char  *member,
                       double      *out,
                       GError     **error)
{
  JsonNode *node = get_member (object, member);
  double value;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return wrong_type (member, "a number", error);

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      value = (double) json_node_get_int (node);
      break;
    case G_TYPE_DOUBLE:
      value = json_node_get_double (node);
      break;
    default:
      return wrong_type (member, "a number", error);
    }

  if (!isfinite (value))
    return wrong_type (member, "a finite number", error);
  *out = value;
  return TRUE;
}

/**
 * easel_json_get_int:
 * @object: an object
 * @member: a member name
 * @min: the smallest value accepted
 * @max: the largest value accepted
 * @out: (inout): left alone when the member is absent
 * @error: return location for a #GError
 *
 * Returns: %FALSE with @error set when the member is not an integer in range
 */
gboolean
easel_json_get_int (JsonObject  *object,
                    const char  *member,
                    gint64       min,
                    gint64       max,
                    gint64      *out,
                    GError     **error)
{
  double value = NAN;

  if (get_member (object, member) == NULL)
    return TRUE;
  if (!easel_json_get_number (object, member, &value, error))
    return FALSE;
  if (value != floor (value) || value < (double) min || value > (double) max)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                   "“%s” is out of range", member);
      return FALSE;
    }
  *out = (gint64) value;
  return TRUE;
}

/**
 * easel_json_get_bool:
 * @object: an object
 * @member: a member name
 * @out: (inout): left alone when the member is absent
 * @error: return location for a #GError
 *
 * Returns: %FALSE with @error set when the member is not a boolean
 */
gboolean
easel_json_get_bool (JsonObject  *object,
                     const char  *member,
                     gboolean    *out,
                     GError     **error)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_type (member, "a boolean", error);
  *out = json_node_get_boolean (node);
  return TRUE;
}

/**
 * easel_json_get_object:
 * @object: an object
 * @member: a member name
 * @error: return location for a #GError
 *
 * Returns: (transfer none) (nullable): the member's object, or %NULL when it
 *   is absent (no error) or not an object (@error set)
 */
JsonObject *
easel_json_get_object (JsonObject  *object,
                       const char  *member,
                       GError     **error)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      wrong_type (member, "an object", error);
      return NULL;
    }
  return json_node_get_object (node);
}

/**
 * easel_json_get_array:
 * @object: an object
 * @member: a member name
 * @error: return location for a #GError
 *
 * Returns: (transfer none) (nullable): the member's array, or %NULL when it
 *   is absent (no error) or not an array (@error set)
 */
JsonArray *
easel_json_get_array (JsonObject  *object,
                      const char  *member,
                      GError     **error)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      wrong_type (member, "an array", error);
      return NULL;
    }
  return json_node_get_array (node);
}

/**
 * easel_json_parse_time:
 * @text: (nullable): an ISO 8601 time
 *
 * Returns: (transfer full) (nullable): the time, or %NULL when @text is not one
 */
GDateTime *
easel_json_parse_time (const char *text)
{
  g_autoptr(GTimeZone) utc = NULL;

  if (text == NULL || text[0] == '\0')
    return NULL;

  utc = g_time_zone_new_utc ();
  return g_date_time_new_from_iso8601 (text, utc);
}

/**
 * easel_json_is_http_url:
 * @text: (nullable): a URL from a server
 *
 * Returns: whether @text is an absolute http(s) URL with a host; anything
 *   else (file:, data:, javascript:, relative paths) is never followed
 */
gboolean
easel_json_is_http_url (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (text == NULL)
    return FALSE;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  return g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0;
}

/* json-glib 1.6 parses recursively without a depth limit, so a few hundred
 * thousand brackets overflow the stack; it turns "\u0000" into a NUL that
 * silently cuts the string short; and it ignores a second document after a
 * newline, which is what two events run together (a missing blank line)
 * look like. All three are refused before parsing. */
static gboolean
check_json_text (const char  *data,
                 gsize        len,
                 GError     **error)
{
  gboolean in_string = FALSE;
  gboolean ended = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (ended && !g_ascii_isspace (c))
        {
          g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                               "there is more than one JSON value");
          return FALSE;
        }

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if (c == '\\' && i + 1 < len)
            {
              i++;
              if (data[i] == 'u' && i + 4 < len &&
                  g_ascii_strncasecmp (data + i + 1, "0000", 4) == 0)
                {
                  g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                                       "a string contains a NUL character");
                  return FALSE;
                }
            }
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > EASEL_JSON_MAX_DEPTH)
            {
              g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                           "the JSON is nested more than %d levels deep", EASEL_JSON_MAX_DEPTH);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        ended = --depth == 0;
    }

  return TRUE;
}

/**
 * easel_json_parse:
 * @data: JSON text from a server
 * @length: its length in bytes
 * @error: return location for a #GError
 *
 * Parses one JSON document safely: refuses text that is not UTF-8, holds a
 * NUL byte or a `\u0000` escape, nests deeper than %EASEL_JSON_MAX_DEPTH
 * (json-glib 1.6 recurses without a limit and would overflow the stack), or
 * holds a second document after the first.
 *
 * Returns: (transfer full): the root node, or %NULL with @error set
 *   (%EASEL_ERROR_INVALID_RESPONSE)
 */
JsonNode *
easel_json_parse (const char  *data,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length == 0)
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE, "the reply is empty");
      return NULL;
    }

  if (memchr (data, '\0', length) != NULL || !g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                           "the data is not UTF-8 text");
      return NULL;
    }

  if (!check_json_text (data, length, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE, "%s", local_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE, "the reply is empty");
      return NULL;
    }

  return json_parser_steal_root (parser);
}

/**
 * easel_json_node_get_number:
 * @node: (nullable): a JSON node
 * @out: (out): return location for the number
 *
 * Reads a JSON number, integer or not.
 *
 * Returns: %TRUE if @node holds a finite number
 */
gboolean
easel_json_node_get_number (JsonNode *node,
                            double   *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out = (double) json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *out = json_node_get_double (node);
      return isfinite (*out);
    default:
      return FALSE;
    }
}

/**
 * easel_json_format_number:
 * @value: a number
 *
 * Returns: (transfer full): @value as the shortest text, the same in every
 *   locale ("0.25", never "0,25")
 */
char *
easel_json_format_number (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", value));
}

/**
 * easel_json_object_parse:
 * @text: JSON text, such as a column written by
 *   easel_json_object_to_string()
 * @error: return location for a #GError
 *
 * Parses @text as safely as easel_json_parse() does a reply, and checks
 * that it is an object.
 *
 * Returns: (transfer full): the object, or %NULL with @error set
 *   (%EASEL_ERROR_INVALID_RESPONSE)
 */
JsonObject *
easel_json_object_parse (const char  *text,
                         GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_return_val_if_fail (text != NULL, NULL);

  node = easel_json_parse (text, strlen (text), error);
  if (node == NULL)
    return NULL;
  object = easel_json_expect_object (node, "JSON text", error);
  return object != NULL ? json_object_ref (object) : NULL;
}

/**
 * easel_json_object_to_string:
 * @object: an object
 *
 * Returns: (transfer full): @object as compact JSON text
 */
char *
easel_json_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  node = json_node_init_object (json_node_alloc (), object);
  return json_to_string (node, FALSE);
}
