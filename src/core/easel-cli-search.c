/* easel-cli-search.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `easel search`: the gallery's query language on the command line. It
 * opens the same library as the window (EaselLibrary over the store), so
 * what it prints is what the gallery shows for the same query.
 *
 * Exit status: 0 when the search ran, whether or not anything matched (so
 * scripts can tell "nothing" from "broken"); 2 for a query that does not
 * parse, with the message and a caret under the problem on stderr; 1 when
 * the library cannot be read. */

#include "config.h"

#include "easel-cli-search.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "easel-cli.h"
#include "easel-json.h"
#include "easel-library.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT 100000
#define EXCERPT_CHARS 60

/* The prompt on one line: runs of white space made one space, cut with
 * an ellipsis at @width characters. */
static char *
one_line (const char *text,
          glong       width)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          space = line->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (line, ' ');
      space = FALSE;
      g_string_append_unichar (line, c);
    }

  if (g_utf8_strlen (line->str, -1) > width)
    {
      g_autofree char *cut = g_utf8_substring (line->str, 0, width - 1);

      g_string_assign (line, cut);
      g_string_append (line, "…");
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static const char *
stars (int rating)
{
  static const char * const all[] = { "☆☆☆☆☆", "★☆☆☆☆", "★★☆☆☆", "★★★☆☆", "★★★★☆", "★★★★★" };

  return all[CLAMP (rating, 0, 5)];
}

/* The query again, with a caret line under the part the error is about. */
static void
print_query_error (FILE         *err,
                   const char   *text,
                   const GError *error)
{
  int offset = easel_query_error_get_offset (error);
  int length = easel_query_error_get_length (error);
  g_autofree char *shown = g_utf8_make_valid (text, -1);
  g_autofree char *before = NULL;
  g_autofree char *span = NULL;
  glong column, width;

  fprintf (err, "easel search: %s\n", error->message);
  if (offset < 0 || (gsize) offset > strlen (text))
    return;

  /* The text before the offset is valid UTF-8 (the parser stops at the
   * first invalid byte), so columns count characters. */
  before = g_utf8_make_valid (text, offset);
  span = g_utf8_make_valid (text + offset, MAX (length, 0));
  column = g_utf8_strlen (before, -1);
  width = MAX (g_utf8_strlen (span, -1), 1);

  g_strdelimit (shown, "\t\r\n", ' ');
  fprintf (err, "  %s\n  %*s^", shown, (int) column, "");
  for (glong i = 1; i < width; i++)
    fputc ('~', err);
  fputc ('\n', err);
}

static void
set_int_or_null (JsonObject *object,
                 const char *name,
                 gint64      value,
                 gboolean    known)
{
  if (known)
    json_object_set_int_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

/* One image as JSON; JsonObject keeps the members in this order, and a
 * NULL string is a JSON null. */
static JsonNode *
image_to_json (EaselImage *image)
{
  g_autoptr(JsonObject) object = json_object_new ();
  const char *params = easel_image_get_params (image);
  const char * const *tags = easel_image_get_tags (image);
  JsonArray *tag_array = json_array_new ();
  JsonNode *params_node = NULL;

  json_object_set_string_member (object, "hash", easel_image_get_hash (image));
  json_object_set_string_member (object, "path", easel_image_get_path (image));
  json_object_set_int_member (object, "width", easel_image_get_width (image));
  json_object_set_int_member (object, "height", easel_image_get_height (image));
  json_object_set_string_member (object, "mime", easel_image_get_mime (image));
  json_object_set_int_member (object, "bytes", easel_image_get_bytes (image));
  json_object_set_int_member (object, "created_at", easel_image_get_created_at (image));
  set_int_or_null (object, "job_id", easel_image_get_job_id (image), easel_image_get_job_id (image) > 0);
  json_object_set_string_member (object, "provider", easel_image_get_provider (image));
  json_object_set_string_member (object, "model", easel_image_get_model (image));
  json_object_set_string_member (object, "prompt", easel_image_get_prompt (image));

  /* Parameters are a JSON object in the store: embedded as one. */
  if (params != NULL)
    params_node = easel_json_parse (params, strlen (params), NULL);
  if (params_node != NULL)
    json_object_set_member (object, "params", params_node);
  else
    json_object_set_null_member (object, "params");

  set_int_or_null (object, "seed", easel_image_get_seed (image), easel_image_get_seed (image) >= 0);
  json_object_set_int_member (object, "rating", easel_image_get_rating (image));
  json_object_set_boolean_member (object, "favourite", easel_image_get_favourite (image));
  json_object_set_boolean_member (object, "trashed", easel_image_get_trashed (image));
  for (guint i = 0; tags[i] != NULL; i++)
    json_array_add_string_element (tag_array, tags[i]);
  json_object_set_array_member (object, "tags", tag_array);

  return json_node_init_object (json_node_alloc (), object);
}

static void
print_json (FILE       *out,
            const char *text,
            guint       total,
            GPtrArray  *images)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "query");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, total);
  json_builder_set_member_name (builder, "images");
  json_builder_begin_array (builder);
  for (guint i = 0; i < images->len; i++)
    json_builder_add_value (builder, image_to_json (g_ptr_array_index (images, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, TRUE);
  fprintf (out, "%s\n", json);
}

static void
print_text (FILE      *out,
            FILE      *err,
            guint      total,
            GPtrArray *images)
{
  for (guint i = 0; i < images->len; i++)
    {
      EaselImage *image = g_ptr_array_index (images, i);
      g_autofree char *prompt = one_line (easel_image_get_prompt (image), EXCERPT_CHARS);
      const char *path = easel_image_get_path (image);

      fprintf (out, "%s  %s  %s\n", path != NULL ? path : easel_image_get_hash (image),
               stars (easel_image_get_rating (image)), prompt);
    }

  if (images->len < total)
    /* Translators: a note after a truncated list of search results */
    fprintf (err, g_dngettext (GETTEXT_PACKAGE,
                               "Showing %u of %u matching image; use --limit for more.\n",
                               "Showing %u of %u matching images; use --limit for more.\n", total),
             images->len, total);
}

static gboolean
parse_sort (const char *name,
            EaselSort  *sort)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (EASEL_TYPE_SORT);
  GEnumValue *value = g_enum_get_value_by_nick (klass, name);

  if (value == NULL)
    return FALSE;
  *sort = value->value;
  return TRUE;
}

int
easel_cli_search (int    argc,
                  char **argv,
                  FILE  *out,
                  FILE  *err)
{
  g_autofree char *sort_name = NULL;
  g_auto(GStrv) rest = NULL;
  gboolean json = FALSE;
  gboolean trash = FALSE;
  int limit = DEFAULT_LIMIT;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, NULL, "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort_name, NULL, "ORDER" },
    { "trash", 0, 0, G_OPTION_ARG_NONE, &trash, NULL, NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(EaselQuery) query = NULL;
  g_autoptr(EaselStore) store = NULL;
  g_autoptr(EaselImageStore) images = NULL;
  g_autoptr(EaselLibrary) library = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  EaselSort sort = EASEL_SORT_NEWEST;
  guint total;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (err, "easel search: %s\n", error->message);
      return EASEL_CLI_STATUS_USAGE;
    }
  if (limit < 1 || limit > MAX_LIMIT)
    {
      fprintf (err, _("easel search: --limit must be from 1 to %d\n"), MAX_LIMIT);
      return EASEL_CLI_STATUS_USAGE;
    }
  if (sort_name != NULL && !parse_sort (sort_name, &sort))
    {
      fprintf (err, _("easel search: unknown order “%s” (newest, oldest or rating)\n"), sort_name);
      return EASEL_CLI_STATUS_USAGE;
    }

  /* Several arguments are one query, as if typed with spaces. */
  text = rest != NULL ? g_strjoinv (" ", rest) : g_strdup ("");
  query = easel_query_parse (text, &error);
  if (query == NULL)
    {
      print_query_error (err, text, error);
      return EASEL_CLI_STATUS_USAGE;
    }
  easel_query_set_sort (query, sort);
  easel_query_set_show_trashed (query, trash);

  store = easel_store_new (NULL);
  if (!easel_store_open_sync (store, &error))
    {
      fprintf (err, "easel search: %s\n", error->message);
      return EASEL_CLI_STATUS_FAILED;
    }
  images = easel_image_store_new (NULL);
  library = easel_library_new (store, images);

  total = easel_library_count_sync (library, query, &error);
  if (error == NULL)
    results = easel_library_fetch_sync (library, query, 0, (guint) limit, &error);
  easel_store_close (store);
  if (results == NULL)
    {
      fprintf (err, "easel search: %s\n", error->message);
      return EASEL_CLI_STATUS_FAILED;
    }

  if (json)
    print_json (out, text, total, results);
  else
    print_text (out, err, total, results);
  return EASEL_CLI_STATUS_OK;
}
