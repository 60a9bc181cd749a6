/* easel-json.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define EASEL_JSON_MAX_DEPTH 128

/* Strict accessors for server JSON: a member of the wrong type is an error
 * (EASEL_ERROR_INVALID_RESPONSE naming the member), a missing optional one
 * is not. Nothing here trusts the shape of what a server sent. */

JsonObject *easel_json_expect_object   (JsonNode    *node,
                                        const char  *what,
                                        GError     **error);
gboolean    easel_json_get_string      (JsonObject  *object,
                                        const char  *member,
                                        gboolean     required,
                                        const char **out,
                                        GError     **error);
gboolean    easel_json_get_number      (JsonObject  *object,
                                        const char  *member,
                                        double      *out,
                                        GError     **error);
gboolean    easel_json_get_int         (JsonObject  *object,
                                        const char  *member,
                                        gint64       min,
                                        gint64       max,
                                        gint64      *out,
                                        GError     **error);
gboolean    easel_json_get_bool        (JsonObject  *object,
                                        const char  *member,
                                        gboolean    *out,
                                        GError     **error);
JsonObject *easel_json_get_object      (JsonObject  *object,
                                        const char  *member,
                                        GError     **error);
JsonArray  *easel_json_get_array       (JsonObject  *object,
                                        const char  *member,
                                        GError     **error);
GDateTime  *easel_json_parse_time      (const char  *text);
gboolean    easel_json_is_http_url     (const char  *text);
JsonNode   *easel_json_parse           (const char  *data,
                                        gsize        length,
                                        GError     **error);
char       *easel_json_format_number   (double       value);
gboolean    easel_json_node_get_number (JsonNode    *node,
                                        double      *out);
JsonObject *easel_json_object_parse    (const char  *text,
                                        GError     **error);
char       *easel_json_object_to_string (JsonObject *object);

G_END_DECLS
