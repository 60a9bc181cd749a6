/* easel-test-json.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Parses @text for a parser test; NULL when it is not JSON at all (then
 * the parser under test gets NULL, which it must refuse cleanly too). */
static inline JsonNode *
easel_test_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

/* Hostile inputs every parser of server replies must refuse without
 * crashing: wrong types at the top, deep nesting, huge numbers. */
static inline GPtrArray *
easel_test_hostile_documents (void)
{
  GPtrArray *docs = g_ptr_array_new_with_free_func (g_free);
  GString *deep = g_string_new (NULL);

  g_ptr_array_add (docs, g_strdup ("null"));
  g_ptr_array_add (docs, g_strdup ("[]"));
  g_ptr_array_add (docs, g_strdup ("\"string\""));
  g_ptr_array_add (docs, g_strdup ("1e999"));
  g_ptr_array_add (docs, g_strdup ("{}"));
  g_ptr_array_add (docs, g_strdup ("{\"id\": 12, \"status\": [], \"jobid\": {}, \"choices\": 3}"));
  g_ptr_array_add (docs, g_strdup ("{\"id\": \"\", \"status\": \"\"}"));
  for (int i = 0; i < 2000; i++)
    g_string_append (deep, "{\"a\":");
  g_string_append (deep, "1");
  for (int i = 0; i < 2000; i++)
    g_string_append_c (deep, '}');
  g_ptr_array_add (docs, g_string_free (deep, FALSE));
  return docs;
}

G_END_DECLS
