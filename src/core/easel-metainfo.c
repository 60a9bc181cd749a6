/* easel-metainfo.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A small reader for the application's own AppStream metainfo, so the About
 * window shows what the software centre shows (name, summary, developer,
 * links, the newest release notes) from one source of truth.
 *
 * It is deliberately not a general AppStream parser: it understands the
 * elements we write, skips translated variants (xml:lang) because the
 * translations come from the gettext catalogue instead, and rebuilds
 * description markup with every text node escaped.
 */

#include "config.h"

#include "easel-metainfo.h"

#include <string.h>

#include <glib/gi18n.h>

typedef enum
{
  TARGET_NONE,
  TARGET_ID,
  TARGET_NAME,
  TARGET_SUMMARY,
  TARGET_DEVELOPER_NAME,
  TARGET_LICENSE,
  TARGET_URL,
  TARGET_DESCRIPTION,
  TARGET_RELEASE_NOTES,
} Target;

typedef struct
{
  EaselMetainfo *info;
  GPtrArray     *stack;          /* element names, borrowed from the parser */
  GString       *text;           /* text of the current leaf element */
  GString       *markup;         /* description markup being built */
  char          *url_type;
  Target         target;
  guint          skip_depth;     /* > 0 while inside an element we ignore */
  guint          n_releases;
  guint          translatable : 1;
  guint          in_description : 1;
} ParseState;

static const char *
parent_element (ParseState *state,
                guint       up)
{
  if (state->stack->len < up + 1)
    return NULL;
  return g_ptr_array_index (state->stack, state->stack->len - 1 - up);
}

static gboolean
is_markup_element (const char *name)
{
  return g_str_equal (name, "p") || g_str_equal (name, "ul") ||
         g_str_equal (name, "ol") || g_str_equal (name, "li") ||
         g_str_equal (name, "em") || g_str_equal (name, "code");
}

static gboolean
is_text_block (const char *name)
{
  return g_str_equal (name, "p") || g_str_equal (name, "li");
}

/* Collapses runs of white space the way the ITS rules for metainfo do when
 * the strings are extracted for translation, so that gettext finds them. */
static char *
normalize_space (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean pending_space = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isspace (*p))
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static char *
translate (ParseState *state,
           const char *text)
{
  g_autofree char *normal = normalize_space (text);

  if (!state->translatable || normal[0] == '\0')
    return g_steal_pointer (&normal);
  return g_strdup (g_dgettext (GETTEXT_PACKAGE, normal));
}

static void
start_element_cb (GMarkupParseContext  *context,
                  const char           *element_name,
                  const char          **attribute_names,
                  const char          **attribute_values,
                  gpointer              user_data,
                  GError              **error)
{
  ParseState *state = user_data;
  const char *parent = parent_element (state, 0);
  const char *grandparent = parent_element (state, 1);
  const char *url_type = NULL;
  gboolean translate_no = FALSE;
  gboolean localized = FALSE;

  g_ptr_array_add (state->stack, (gpointer) element_name);

  if (state->skip_depth > 0)
    {
      state->skip_depth++;
      return;
    }

  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      if (g_str_equal (attribute_names[i], "xml:lang"))
        localized = TRUE;
      else if (g_str_equal (attribute_names[i], "translate") &&
               g_str_equal (attribute_values[i], "no"))
        translate_no = TRUE;
      else if (g_str_equal (attribute_names[i], "type"))
        url_type = attribute_values[i];
    }

  /* Translations merged into the file are ignored: see the design note. */
  if (localized)
    {
      state->skip_depth = 1;
      return;
    }

  if (state->in_description)
    {
      if (!is_markup_element (element_name))
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                       "Unexpected element <%s> in a description", element_name);
          return;
        }
      if (is_text_block (element_name))
        g_string_truncate (state->text, 0);
      else if (!g_str_equal (element_name, "em") && !g_str_equal (element_name, "code"))
        g_string_append_printf (state->markup, "<%s>", element_name);
      else
        g_string_append_printf (state->text, "<%s>", element_name);
      return;
    }

  g_string_truncate (state->text, 0);
  state->target = TARGET_NONE;
  state->translatable = !translate_no;

  if (g_strcmp0 (parent, "component") == 0)
    {
      if (g_str_equal (element_name, "id"))
        state->target = TARGET_ID;
      else if (g_str_equal (element_name, "name"))
        state->target = TARGET_NAME;
      else if (g_str_equal (element_name, "summary"))
        state->target = TARGET_SUMMARY;
      else if (g_str_equal (element_name, "developer_name"))
        state->target = TARGET_DEVELOPER_NAME;
      else if (g_str_equal (element_name, "project_license"))
        state->target = TARGET_LICENSE;
      else if (g_str_equal (element_name, "url"))
        {
          state->target = TARGET_URL;
          g_free (state->url_type);
          state->url_type = g_strdup (url_type);
        }
      else if (g_str_equal (element_name, "description"))
        {
          state->target = TARGET_DESCRIPTION;
          state->in_description = TRUE;
          g_string_truncate (state->markup, 0);
        }
    }
  else if (g_strcmp0 (parent, "developer") == 0 &&
           g_strcmp0 (grandparent, "component") == 0 &&
           g_str_equal (element_name, "name"))
    {
      state->target = TARGET_DEVELOPER_NAME;
    }
  else if (g_strcmp0 (parent, "release") == 0 &&
           g_str_equal (element_name, "description") &&
           state->n_releases == 1)
    {
      state->target = TARGET_RELEASE_NOTES;
      state->in_description = TRUE;
      g_string_truncate (state->markup, 0);
    }
  else if (g_strcmp0 (parent, "releases") == 0 &&
           g_str_equal (element_name, "release"))
    {
      state->n_releases++;
      if (state->n_releases == 1)
        {
          for (guint i = 0; attribute_names[i] != NULL; i++)
            {
              if (g_str_equal (attribute_names[i], "version"))
                state->info->release_version = g_strdup (attribute_values[i]);
              else if (g_str_equal (attribute_names[i], "date"))
                state->info->release_date = g_strdup (attribute_values[i]);
            }
        }
    }
}

static void
replace_string (char       **field,
                char        *value)
{
  g_free (*field);
  *field = value;
}

static void
end_element_cb (GMarkupParseContext  *context,
                const char           *element_name,
                gpointer              user_data,
                GError              **error)
{
  ParseState *state = user_data;

  g_ptr_array_set_size (state->stack, state->stack->len - 1);

  if (state->skip_depth > 0)
    {
      state->skip_depth--;
      return;
    }

  if (state->in_description)
    {
      if (g_str_equal (element_name, "description"))
        {
          char *markup = g_strdup (state->markup->str);

          state->in_description = FALSE;
          if (state->target == TARGET_DESCRIPTION)
            replace_string (&state->info->description, markup);
          else
            replace_string (&state->info->release_notes, markup);
          state->target = TARGET_NONE;
        }
      else if (is_text_block (element_name))
        {
          g_autofree char *text = translate (state, state->text->str);

          g_string_append_printf (state->markup, "<%s>%s</%s>",
                                  element_name, text, element_name);
          g_string_truncate (state->text, 0);
        }
      else if (g_str_equal (element_name, "em") || g_str_equal (element_name, "code"))
        g_string_append_printf (state->text, "</%s>", element_name);
      else
        g_string_append_printf (state->markup, "</%s>", element_name);
      return;
    }

  switch (state->target)
    {
    case TARGET_ID:
      replace_string (&state->info->id, normalize_space (state->text->str));
      break;
    case TARGET_NAME:
      replace_string (&state->info->name, translate (state, state->text->str));
      break;
    case TARGET_SUMMARY:
      replace_string (&state->info->summary, translate (state, state->text->str));
      break;
    case TARGET_DEVELOPER_NAME:
      replace_string (&state->info->developer_name, translate (state, state->text->str));
      break;
    case TARGET_LICENSE:
      replace_string (&state->info->project_license, normalize_space (state->text->str));
      break;
    case TARGET_URL:
      if (g_strcmp0 (state->url_type, "homepage") == 0)
        replace_string (&state->info->homepage, normalize_space (state->text->str));
      else if (g_strcmp0 (state->url_type, "bugtracker") == 0)
        replace_string (&state->info->bugtracker, normalize_space (state->text->str));
      break;
    case TARGET_NONE:
    case TARGET_DESCRIPTION:
    case TARGET_RELEASE_NOTES:
    default:
      break;
    }

  state->target = TARGET_NONE;
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 text_len,
         gpointer              user_data,
         GError              **error)
{
  ParseState *state = user_data;
  g_autofree char *escaped = NULL;

  if (state->skip_depth > 0)
    return;

  if (!state->in_description)
    {
      if (state->target != TARGET_NONE)
        g_string_append_len (state->text, text, text_len);
      return;
    }

  /* Inside descriptions the text is re-emitted as markup, so escape it. */
  escaped = g_markup_escape_text (text, text_len);
  g_string_append (state->text, escaped);
}

static const GMarkupParser parser = {
  .start_element = start_element_cb,
  .end_element = end_element_cb,
  .text = text_cb,
};

/**
 * easel_metainfo_parse:
 * @data: the metainfo XML
 * @length: the length of @data, or -1 if it is nul-terminated
 * @error: return location for a #GError
 *
 * Reads the fields of #EaselMetainfo from AppStream metainfo.
 *
 * Returns: (transfer full): the fields, or %NULL with @error set when @data
 *   is not well-formed or lacks a component ID or name
 */
EaselMetainfo *
easel_metainfo_parse (const char  *data,
                      gssize       length,
                      GError     **error)
{
  g_autoptr(EaselMetainfo) info = g_new0 (EaselMetainfo, 1);
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) markup = g_string_new (NULL);
  ParseState state = {
    .info = info,
    .stack = stack,
    .text = text,
    .markup = markup,
  };
  gboolean ok;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &state, NULL);
  ok = g_markup_parse_context_parse (context, data, length, error) &&
       g_markup_parse_context_end_parse (context, error);
  g_free (state.url_type);

  if (!ok)
    {
      g_prefix_error (error, "Invalid metainfo: ");
      return NULL;
    }

  if (info->id == NULL || info->id[0] == '\0' || info->name == NULL || info->name[0] == '\0')
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_MISSING_ATTRIBUTE,
                           "Invalid metainfo: the component has no ID or name");
      return NULL;
    }

  return g_steal_pointer (&info);
}

/**
 * easel_metainfo_free:
 * @self: (nullable) (transfer full): an #EaselMetainfo
 *
 * Frees @self and its fields.
 */
void
easel_metainfo_free (EaselMetainfo *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->name);
  g_free (self->summary);
  g_free (self->developer_name);
  g_free (self->project_license);
  g_free (self->homepage);
  g_free (self->bugtracker);
  g_free (self->description);
  g_free (self->release_version);
  g_free (self->release_date);
  g_free (self->release_notes);
  g_free (self);
}
