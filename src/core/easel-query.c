/* easel-query.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The gallery's query language, shared by the search entry and
 * `easel search`:
 *
 *   red fox                  every word, as a prefix: "red*" AND "fox*"
 *   "red fox"                a phrase (an unclosed quote, while typing, is
 *                            a phrase whose last word is a prefix)
 *   provider:replicate       model:flux-schnell      tag:fox (repeatable)
 *   rating:4 rating:>=4 rating:<=2 (also > and <)    fav:yes | fav:no
 *   after:2026-01-01 before:2026-02-01 (local days; before is exclusive)
 *   ar:16:9 (within 3 %)     ar:portrait | landscape | square
 *   job:123
 *   template:"Name"          images of jobs made from that template, any
 *                            version, deleted or not (case-insensitive)
 *   var:subject=fox          images of jobs whose template variable took
 *                            that value (exact); var:subject="red fox"
 *
 * A value may be quoted ("tag:"sci fi"", doubling a quote inside). Field
 * names are ASCII letters followed by a colon; anything else with a colon
 * is free text only when quoted, so that "http://…" is an unknown field
 * rather than silently searching for "http".
 *
 * Parsing compiles at once to what the library runs, and never to SQL that
 * contains user text: the conditions are constant strings with `?`
 * placeholders, and every value typed goes into a value array bound later.
 * Free text becomes one FTS5 query, bound as one value too, in which every
 * word is a double-quoted string (quotes doubled): inside quotes FTS5 sees
 * no operators, column filters, NEAR, `*` or `^`, only text for the
 * tokenizer. Words with nothing the tokenizer would index (punctuation,
 * emoji) are dropped, so a query of only punctuation has no free text.
 *
 * An error carries the byte offset and length of the offending part, for
 * the search entry to underline and the command line to point at. */

#include "config.h"

#include "easel-query.h"
#include "easel-query-private.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-db.h"
#include "easel-template.h"

#define MAX_QUERY_BYTES 4096
#define MAX_TERMS 64
#define MAX_TAG_CHARS 100
#define ASPECT_TOLERANCE 0.03

/* Errors with a place */

typedef struct
{
  int offset;
  int length;
} EaselQueryErrorPrivate;

static void
easel_query_error_private_init (EaselQueryErrorPrivate *priv)
{
  priv->offset = -1;
  priv->length = 0;
}

static void
easel_query_error_private_copy (const EaselQueryErrorPrivate *src,
                                EaselQueryErrorPrivate       *dest)
{
  *dest = *src;
}

static void
easel_query_error_private_clear (EaselQueryErrorPrivate *priv)
{
}

G_DEFINE_EXTENDED_ERROR (EaselQueryError, easel_query_error)

/**
 * easel_query_error_get_offset:
 * @error: an error
 *
 * Where in the query text the problem is, for the search entry to
 * underline: a byte offset into the text given to easel_query_parse().
 *
 * Returns: the byte offset of the problem, or -1 if @error is not in the
 *   %EASEL_QUERY_ERROR domain
 */
int
easel_query_error_get_offset (const GError *error)
{
  g_return_val_if_fail (error != NULL, -1);

  if (error->domain != EASEL_QUERY_ERROR)
    return -1;
  return easel_query_error_get_private (error)->offset;
}

/**
 * easel_query_error_get_length:
 * @error: an error
 *
 * Returns: how many bytes from easel_query_error_get_offset() the problem
 *   spans (at least 1 when the offset is inside the text, 0 at its end), or
 *   0 if @error is not in the %EASEL_QUERY_ERROR domain
 */
int
easel_query_error_get_length (const GError *error)
{
  g_return_val_if_fail (error != NULL, 0);

  if (error->domain != EASEL_QUERY_ERROR)
    return 0;
  return easel_query_error_get_private (error)->length;
}

G_GNUC_PRINTF (5, 6)
static void
set_error (GError          **error,
           EaselQueryError   code,
           gsize             offset,
           gsize             length,
           const char       *format,
           ...)
{
  EaselQueryErrorPrivate *priv;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  *error = g_error_new_valist (EASEL_QUERY_ERROR, code, format, args);
  va_end (args);

  priv = easel_query_error_get_private (*error);
  priv->offset = (int) offset;
  priv->length = (int) length;
}

/* The type */

struct _EaselQuery
{
  GObject    parent_instance;

  char      *text;
  EaselSort  sort;
  gboolean   show_trashed;

  /* What the text compiles to; immutable once parsed. */
  char      *match;      /* FTS5 query, or NULL */
  GString   *filters;    /* user conditions joined by AND, or empty */
  GArray    *values;     /* EaselQueryValue */
  guint      n_filters;
};

G_DEFINE_FINAL_TYPE (EaselQuery, easel_query, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (EaselSort, easel_sort,
  G_DEFINE_ENUM_VALUE (EASEL_SORT_NEWEST, "newest"),
  G_DEFINE_ENUM_VALUE (EASEL_SORT_OLDEST, "oldest"),
  G_DEFINE_ENUM_VALUE (EASEL_SORT_RATING, "rating"))

enum {
  PROP_0,
  PROP_TEXT,
  PROP_SORT,
  PROP_SHOW_TRASHED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
value_clear (gpointer data)
{
  EaselQueryValue *value = data;

  g_clear_pointer (&value->text, g_free);
}

static GArray *
values_new (void)
{
  GArray *values = g_array_new (FALSE, TRUE, sizeof (EaselQueryValue));

  g_array_set_clear_func (values, value_clear);
  return values;
}

static GArray *
values_copy (GArray *values)
{
  GArray *copy = values_new ();

  for (guint i = 0; i < values->len; i++)
    {
      EaselQueryValue value = g_array_index (values, EaselQueryValue, i);

      value.text = g_strdup (value.text);
      g_array_append_val (copy, value);
    }
  return copy;
}

static void
easel_query_finalize (GObject *object)
{
  EaselQuery *self = EASEL_QUERY (object);

  g_free (self->text);
  g_free (self->match);
  g_string_free (self->filters, TRUE);
  g_array_unref (self->values);

  G_OBJECT_CLASS (easel_query_parent_class)->finalize (object);
}

static void
easel_query_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  EaselQuery *self = EASEL_QUERY (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_SORT:
      g_value_set_enum (value, self->sort);
      break;
    case PROP_SHOW_TRASHED:
      g_value_set_boolean (value, self->show_trashed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_query_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  EaselQuery *self = EASEL_QUERY (object);

  switch (prop_id)
    {
    case PROP_SORT:
      easel_query_set_sort (self, g_value_get_enum (value));
      break;
    case PROP_SHOW_TRASHED:
      easel_query_set_show_trashed (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_query_class_init (EaselQueryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = easel_query_finalize;
  object_class->get_property = easel_query_get_property;
  object_class->set_property = easel_query_set_property;

  /**
   * EaselQuery:text:
   *
   * The text the query was parsed from.
   */
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * EaselQuery:sort:
   *
   * The order of the results.
   */
  properties[PROP_SORT] =
    g_param_spec_enum ("sort", NULL, NULL,
                       EASEL_TYPE_SORT, EASEL_SORT_NEWEST,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselQuery:show-trashed:
   *
   * Whether the query is over the trash (only images in the trash) rather
   * than the library (only images not in the trash).
   */
  properties[PROP_SHOW_TRASHED] =
    g_param_spec_boolean ("show-trashed", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
easel_query_init (EaselQuery *self)
{
  self->text = g_strdup ("");
  self->filters = g_string_new (NULL);
  self->values = values_new ();
}

/* Tags */

/**
 * easel_query_normalize_tag:
 * @tag: a tag as typed
 * @error: return location for a #GError
 *
 * The form tags are stored and compared in: Unicode NFC, spaces trimmed
 * and runs of white space made one space. Tags compare without regard to
 * ASCII case.
 *
 * Returns: (transfer full): the tag, or %NULL with %EASEL_QUERY_ERROR_INVALID
 *   when it is not UTF-8, is empty, has control characters or is longer
 *   than 100 characters
 */
char *
easel_query_normalize_tag (const char  *tag,
                           GError     **error)
{
  g_autofree char *normal = NULL;
  GString *result;
  gboolean space = FALSE;

  g_return_val_if_fail (tag != NULL, NULL);

  if (!g_utf8_validate (tag, -1, NULL) ||
      (normal = g_utf8_normalize (tag, -1, G_NORMALIZE_NFC)) == NULL)
    {
      set_error (error, EASEL_QUERY_ERROR_INVALID, 0, strlen (tag), "%s",
                 _("A tag must be UTF-8 text"));
      return NULL;
    }

  result = g_string_new (NULL);
  for (const char *p = normal; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = result->len > 0;
          continue;
        }
      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        {
          g_string_free (result, TRUE);
          set_error (error, EASEL_QUERY_ERROR_INVALID, 0, strlen (tag), "%s",
                     _("A tag cannot contain control characters"));
          return NULL;
        }
      if (space)
        g_string_append_c (result, ' ');
      space = FALSE;
      g_string_append_unichar (result, c);
    }

  if (result->len == 0 || g_utf8_strlen (result->str, -1) > MAX_TAG_CHARS)
    {
      g_string_free (result, TRUE);
      set_error (error, EASEL_QUERY_ERROR_INVALID, 0, strlen (tag),
                 _("A tag must have from 1 to %d characters"), MAX_TAG_CHARS);
      return NULL;
    }
  return g_string_free (result, FALSE);
}

/* The parser */

typedef struct
{
  const char *text;
  EaselQuery *query;
  GString    *match;
  guint       n_terms;
} Parser;

/* A span of the text: a word, a phrase or a field's value. */
typedef struct
{
  gsize     start;       /* byte offsets into the text */
  gsize     end;
  char     *value;       /* unquoted */
  gboolean  quoted;
  gboolean  closed;      /* quoted and the closing quote was there */
} Span;

static void
span_clear (Span *span)
{
  g_clear_pointer (&span->value, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Span, span_clear)

static gboolean
is_space_at (const char *p)
{
  return *p != '\0' && g_unichar_isspace (g_utf8_get_char (p));
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!is_space_at (p))
      return FALSE;
  return TRUE;
}

/* Reads a quoted string starting at the quote at @start: "" inside is one
 * quote; an unclosed quote runs to the end of the text. */
static void
read_quoted (Parser *parser,
             gsize   start,
             Span   *span)
{
  GString *value = g_string_new (NULL);
  const char *p = parser->text + start + 1;

  span->start = start;
  span->quoted = TRUE;
  span->closed = FALSE;
  while (*p != '\0')
    {
      if (*p == '"' && p[1] == '"')
        {
          g_string_append_c (value, '"');
          p += 2;
        }
      else if (*p == '"')
        {
          span->closed = TRUE;
          p++;
          break;
        }
      else
        g_string_append_c (value, *p++);
    }
  span->end = p - parser->text;
  span->value = g_string_free (value, FALSE);
}

/* Reads everything up to the next white space. */
static void
read_bare (Parser *parser,
           gsize   start,
           Span   *span)
{
  const char *p = parser->text + start;

  while (*p != '\0' && !is_space_at (p))
    p = g_utf8_next_char (p);
  span->start = start;
  span->end = p - parser->text;
  span->value = g_strndup (parser->text + start, span->end - start);
  span->quoted = FALSE;
  span->closed = FALSE;
}

/* Whether the tokenizer (unicode61: letters, numbers, private use) would
 * find a token in @text. Anything else only separates tokens. */
static gboolean
has_token_chars (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      switch (g_unichar_type (g_utf8_get_char (p)))
        {
        case G_UNICODE_LOWERCASE_LETTER:
        case G_UNICODE_MODIFIER_LETTER:
        case G_UNICODE_OTHER_LETTER:
        case G_UNICODE_TITLECASE_LETTER:
        case G_UNICODE_UPPERCASE_LETTER:
        case G_UNICODE_DECIMAL_NUMBER:
        case G_UNICODE_LETTER_NUMBER:
        case G_UNICODE_OTHER_NUMBER:
        case G_UNICODE_PRIVATE_USE:
          return TRUE;
        default:
          break;
        }
    }
  return FALSE;
}

/* Appends @span's text to the FTS5 query as one double-quoted string, the
 * only FTS5 syntax user text ever gets. */
static void
add_text (Parser   *parser,
          Span     *span,
          gboolean  prefix)
{
  if (!has_token_chars (span->value))
    return;

  if (parser->match->len > 0)
    g_string_append_c (parser->match, ' ');
  g_string_append_c (parser->match, '"');
  for (const char *p = span->value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (parser->match, '"');
      g_string_append_c (parser->match, *p);
    }
  g_string_append_c (parser->match, '"');
  if (prefix)
    g_string_append_c (parser->match, '*');
}

static void
add_condition (Parser     *parser,
               const char *sql)
{
  EaselQuery *query = parser->query;

  if (query->filters->len > 0)
    g_string_append (query->filters, " AND ");
  g_string_append (query->filters, sql);
  query->n_filters++;
}

static void
add_int (Parser *parser,
         gint64  number)
{
  EaselQueryValue value = { EASEL_QUERY_VALUE_INT64, number, 0, NULL };

  g_array_append_val (parser->query->values, value);
}

static void
add_double (Parser *parser,
            double  number)
{
  EaselQueryValue value = { EASEL_QUERY_VALUE_DOUBLE, 0, number, NULL };

  g_array_append_val (parser->query->values, value);
}

static void
add_string (Parser *parser,
            char   *text)
{
  EaselQueryValue value = { EASEL_QUERY_VALUE_TEXT, 0, 0, text };

  g_array_append_val (parser->query->values, value);
}

/* A LIKE pattern matching @text literally (with ESCAPE '\'). */
static char *
escape_like (const char *prefix,
             const char *text)
{
  GString *pattern = g_string_new (prefix);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  return g_string_free (pattern, FALSE);
}

typedef gboolean (*FieldFunc) (Parser      *parser,
                               const char  *name,
                               Span        *value,
                               GError     **error);

static gboolean
bad_value (Span        *value,
           GError     **error,
           const char  *message)
{
  set_error (error, EASEL_QUERY_ERROR_INVALID, value->start, value->end - value->start,
             "%s", message);
  return FALSE;
}

static gboolean
parse_provider (Parser      *parser,
                const char  *name,
                Span        *value,
                GError     **error)
{
  /* Provider ids are lowercase ASCII: compared exactly, so the index works. */
  add_condition (parser, "i.provider = ?");
  add_string (parser, g_ascii_strdown (value->value, -1));
  return TRUE;
}

static gboolean
parse_model (Parser      *parser,
             const char  *name,
             Span        *value,
             GError     **error)
{
  /* The model itself or its name after the owner: "flux-schnell" finds
   * "black-forest-labs/flux-schnell". The few model names are listed
   * first, one index seek each (a loose index scan), and matched without
   * regard to ASCII case; then the index finds their images. */
  add_condition (parser,
                 "i.model IN (WITH RECURSIVE m (name) AS (SELECT min (model) FROM images "
                 "UNION ALL SELECT (SELECT min (model) FROM images WHERE model > m.name) FROM m "
                 "WHERE m.name IS NOT NULL) "
                 "SELECT name FROM m WHERE name LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')");
  add_string (parser, escape_like ("", value->value));
  add_string (parser, escape_like ("%/", value->value));
  return TRUE;
}

static gboolean
parse_tag (Parser      *parser,
           const char  *name,
           Span        *value,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *tag = easel_query_normalize_tag (value->value, &local_error);

  if (tag == NULL)
    return bad_value (value, error, local_error->message);

  add_condition (parser,
                 "i.hash IN (SELECT it.image_hash FROM image_tags it "
                 "JOIN tags t ON t.id = it.tag_id WHERE t.name = ?)");
  add_string (parser, tag);
  return TRUE;
}

static gboolean
parse_rating (Parser      *parser,
              const char  *name,
              Span        *value,
              GError     **error)
{
  static const struct { const char *op; const char *sql; } ops[] = {
    { ">=", "i.rating >= ?" },
    { "<=", "i.rating <= ?" },
    { ">", "i.rating > ?" },
    { "<", "i.rating < ?" },
    { "=", "i.rating = ?" },
    { "", "i.rating = ?" },
  };
  const char *text = value->value;

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      gsize length = strlen (ops[i].op);

      if (strncmp (text, ops[i].op, length) != 0)
        continue;
      if (text[length] >= '0' && text[length] <= '5' && text[length + 1] == '\0')
        {
          add_condition (parser, ops[i].sql);
          add_int (parser, text[length] - '0');
          return TRUE;
        }
      break;
    }
  return bad_value (value, error,
                    _("“rating:” takes a number from 0 to 5, such as rating:4 or rating:>=3"));
}

static gboolean
parse_fav (Parser      *parser,
           const char  *name,
           Span        *value,
           GError     **error)
{
  if (g_ascii_strcasecmp (value->value, "yes") == 0 ||
      g_ascii_strcasecmp (value->value, "true") == 0)
    add_condition (parser, "i.favourite = 1");
  else if (g_ascii_strcasecmp (value->value, "no") == 0 ||
           g_ascii_strcasecmp (value->value, "false") == 0)
    add_condition (parser, "i.favourite = 0");
  else
    return bad_value (value, error, _("“fav:” takes yes or no"));
  return TRUE;
}

/* The start of a local day written YYYY-MM-DD, in µs since the epoch. */
static gboolean
parse_day (const char *text,
           gint64     *start)
{
  g_autoptr(GDateTime) day = NULL;
  guint year, month, dayn;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  dayn = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (year < 1 || !g_date_valid_dmy (dayn, month, year))
    return FALSE;

  day = g_date_time_new_local (year, month, dayn, 0, 0, 0);
  if (day == NULL)
    return FALSE;
  *start = g_date_time_to_unix (day) * G_USEC_PER_SEC;
  return TRUE;
}

static gboolean
parse_date (Parser      *parser,
            const char  *name,
            Span        *value,
            GError     **error)
{
  gint64 start;

  if (!parse_day (value->value, &start))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a field name such as after or before */
      message = g_strdup_printf (_("“%s:” takes a date such as 2026-01-31"), name);
      return bad_value (value, error, message);
    }

  add_condition (parser, g_str_equal (name, "after") ? "i.created_at >= ?" : "i.created_at < ?");
  add_int (parser, start);
  return TRUE;
}

static gboolean
parse_aspect (Parser      *parser,
              const char  *name,
              Span        *value,
              GError     **error)
{
  const char *text = value->value;
  guint64 width, height;
  const char *colon;
  g_autofree char *left = NULL;

  /* Portrait, square and landscape split all images in three. The
   * expression is the one the images_aspect index is on (a height of 0
   * makes it NULL, which matches nothing). */
  if (g_ascii_strcasecmp (text, "square") == 0)
    text = "1:1";
  else if (g_ascii_strcasecmp (text, "portrait") == 0)
    {
      add_condition (parser, "i.width * 1.0 / i.height < ?");
      add_double (parser, 1.0 - ASPECT_TOLERANCE);
      return TRUE;
    }
  else if (g_ascii_strcasecmp (text, "landscape") == 0)
    {
      add_condition (parser, "i.width * 1.0 / i.height > ?");
      add_double (parser, 1.0 + ASPECT_TOLERANCE);
      return TRUE;
    }

  colon = strchr (text, ':');
  if (colon == NULL)
    return bad_value (value, error,
                      _("“ar:” takes a ratio such as 16:9, or portrait, landscape or square"));
  left = g_strndup (text, colon - text);
  if (!g_ascii_string_to_unsigned (left, 10, 1, 100000, &width, NULL) ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 1, 100000, &height, NULL))
    return bad_value (value, error,
                      _("“ar:” takes a ratio such as 16:9, or portrait, landscape or square"));

  /* Within 3 % of the ratio: 1344×768 is a 16:9 image (1.75 for 1.78). */
  add_condition (parser, "i.width * 1.0 / i.height BETWEEN ? AND ?");
  add_double (parser, (double) width / height * (1.0 - ASPECT_TOLERANCE));
  add_double (parser, (double) width / height * (1.0 + ASPECT_TOLERANCE));
  return TRUE;
}

static gboolean
parse_job (Parser      *parser,
           const char  *name,
           Span        *value,
           GError     **error)
{
  guint64 id;

  if (!g_ascii_string_to_unsigned (value->value, 10, 1, G_MAXINT64, &id, NULL))
    return bad_value (value, error, _("“job:” takes a job number, such as job:12"));

  add_condition (parser, "i.job_id = ?");
  add_int (parser, (gint64) id);
  return TRUE;
}

/* Template names as the template store keeps them: NFC, spaces trimmed;
 * the column compares without regard to ASCII case. */
static gboolean
parse_template (Parser      *parser,
                const char  *name,
                Span        *value,
                GError     **error)
{
  g_autofree char *normal = g_utf8_normalize (value->value, -1, G_NORMALIZE_NFC);

  if (normal == NULL)
    return bad_value (value, error, _("“template:” takes a template name, such as template:\"Fox study\""));
  g_strstrip (normal);

  /* Deleted templates too: their jobs still carry the name. */
  add_condition (parser,
                 "i.job_id IN (SELECT j.id FROM jobs j WHERE j.template_id IN "
                 "(SELECT t.id FROM templates t WHERE t.name = ?))");
  add_string (parser, g_steal_pointer (&normal));
  return TRUE;
}

static gboolean
parse_var (Parser      *parser,
           const char  *name,
           Span        *value,
           GError     **error)
{
  const char *eq = strchr (value->value, '=');
  g_autofree char *key = NULL;

  if (eq == NULL || eq == value->value)
    return bad_value (value, error, _("“var:” takes a template variable as KEY=VALUE"));
  key = g_strndup (value->value, eq - value->value);
  if (!easel_template_variable_name_is_valid (key))
    return bad_value (value, error,
                      _("“var:” takes a template variable as KEY=VALUE; a KEY has letters, digits, “_” and “-”"));

  /* Names and values are compared exactly, through job_bindings_name_value. */
  add_condition (parser,
                 "i.job_id IN (SELECT b.job_id FROM job_bindings b WHERE b.name = ? AND b.value = ?)");
  add_string (parser, g_steal_pointer (&key));
  add_string (parser, g_strdup (eq + 1));
  return TRUE;
}

static const struct
{
  const char *name;
  FieldFunc   parse;
} fields[] = {
  { "provider", parse_provider },
  { "model", parse_model },
  { "tag", parse_tag },
  { "rating", parse_rating },
  { "fav", parse_fav },
  { "after", parse_date },
  { "before", parse_date },
  { "ar", parse_aspect },
  { "job", parse_job },
  { "template", parse_template },
  { "var", parse_var },
};

/* The length of a field name at @p ("rating" in "rating:4"), or 0. */
static gsize
field_name_length (const char *p)
{
  gsize length = 0;

  while (g_ascii_isalpha (p[length]))
    length++;
  return length > 0 && p[length] == ':' ? length : 0;
}

static gboolean
parse_field (Parser      *parser,
             gsize        start,
             gsize        name_length,
             gsize       *end,
             GError     **error)
{
  g_autofree char *name = g_ascii_strdown (parser->text + start, name_length);
  gsize value_start = start + name_length + 1;
  g_auto(Span) value = { 0 };

  if (parser->text[value_start] == '"')
    read_quoted (parser, value_start, &value);
  else
    read_bare (parser, value_start, &value);

  /* var:subject="red fox": the value after KEY= may be quoted. */
  if (!value.quoted && g_str_equal (name, "var"))
    {
      const char *eq = strchr (value.value, '=');

      if (eq != NULL && eq[1] == '"')
        {
          gsize quote = value_start + (eq + 1 - value.value);
          g_autofree char *key = g_strndup (value.value, eq + 1 - value.value);
          g_auto(Span) quoted = { 0 };

          read_quoted (parser, quote, &quoted);
          g_free (value.value);
          value.value = g_strconcat (key, quoted.value, NULL);
          value.end = quoted.end;
        }
    }
  *end = value.end;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (!g_str_equal (fields[i].name, name))
        continue;

      if (is_blank (value.value))
        {
          /* Translators: %s is a field name such as tag or rating */
          set_error (error, EASEL_QUERY_ERROR_INVALID, start, value.end - start,
                     _("“%s:” needs a value"), name);
          return FALSE;
        }
      return fields[i].parse (parser, name, &value, error);
    }

  /* Translators: %s is what the user typed before a colon */
  set_error (error, EASEL_QUERY_ERROR_INVALID, start, name_length + 1,
             _("Unknown filter “%.*s:”. To search for text with a colon, put it in quotes."),
             (int) name_length, parser->text + start);
  return FALSE;
}

static gboolean
parse (Parser  *parser,
       GError **error)
{
  const char *text = parser->text;
  gsize length = strlen (text);
  const char *invalid = NULL;
  gsize pos = 0;

  if (!g_utf8_validate (text, length, &invalid))
    {
      set_error (error, EASEL_QUERY_ERROR_INVALID, invalid - text, 1, "%s",
                 _("The search is not valid UTF-8 text"));
      return FALSE;
    }
  if (length > MAX_QUERY_BYTES)
    {
      const char *limit = g_utf8_find_prev_char (text, text + MAX_QUERY_BYTES + 1);

      set_error (error, EASEL_QUERY_ERROR_INVALID, limit - text, length - (limit - text),
                 _("The search is too long: at most %d bytes"), MAX_QUERY_BYTES);
      return FALSE;
    }

  for (;;)
    {
      gsize name_length;

      while (is_space_at (text + pos))
        pos = g_utf8_next_char (text + pos) - text;
      if (text[pos] == '\0')
        return TRUE;

      if (++parser->n_terms > MAX_TERMS)
        {
          set_error (error, EASEL_QUERY_ERROR_INVALID, pos, length - pos,
                     _("The search has too many terms: at most %d"), MAX_TERMS);
          return FALSE;
        }

      if (text[pos] == '"')
        {
          g_auto(Span) phrase = { 0 };

          /* While typing, the last word of an open phrase is a prefix. */
          read_quoted (parser, pos, &phrase);
          add_text (parser, &phrase, !phrase.closed);
          pos = phrase.end;
        }
      else if ((name_length = field_name_length (text + pos)) > 0)
        {
          if (!parse_field (parser, pos, name_length, &pos, error))
            return FALSE;
        }
      else
        {
          g_auto(Span) word = { 0 };

          read_bare (parser, pos, &word);
          add_text (parser, &word, TRUE);
          pos = word.end;
        }
    }
}

/**
 * easel_query_parse:
 * @text: what the user typed
 * @error: return location for a #GError
 *
 * Parses @text in the gallery's query language (described in
 * easel-query.c). A query is empty when @text has no filter and no free
 * text with something to search for.
 *
 * Parsing never touches the database. Errors are in the
 * %EASEL_QUERY_ERROR domain, with the place of the problem in
 * easel_query_error_get_offset() and easel_query_error_get_length(); the
 * message names the field at fault and how to write it.
 *
 * Returns: (transfer full): the query sorted newest first and not over the
 *   trash, or %NULL with @error set
 */
EaselQuery *
easel_query_parse (const char  *text,
                   GError     **error)
{
  g_autoptr(EaselQuery) query = NULL;
  g_autoptr(GString) match = g_string_new (NULL);
  Parser parser = { 0 };

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  query = g_object_new (EASEL_TYPE_QUERY, NULL);
  parser.text = text;
  parser.query = query;
  parser.match = match;
  if (!parse (&parser, error))
    return NULL;

  g_free (query->text);
  query->text = g_strdup (text);
  if (match->len > 0)
    query->match = g_strdup (match->str);
  return g_steal_pointer (&query);
}

/**
 * easel_query_copy:
 * @self: a query
 *
 * Returns: (transfer full): a new query with the same text, sort and trash
 *   setting
 */
EaselQuery *
easel_query_copy (EaselQuery *self)
{
  EaselQuery *copy;

  g_return_val_if_fail (EASEL_IS_QUERY (self), NULL);

  copy = g_object_new (EASEL_TYPE_QUERY, NULL);
  g_free (copy->text);
  copy->text = g_strdup (self->text);
  copy->sort = self->sort;
  copy->show_trashed = self->show_trashed;
  copy->match = g_strdup (self->match);
  g_string_assign (copy->filters, self->filters->str);
  g_array_unref (copy->values);
  copy->values = values_copy (self->values);
  copy->n_filters = self->n_filters;
  return copy;
}

/**
 * easel_query_get_text:
 * @self: a query
 *
 * Returns: the text the query was parsed from
 */
const char *
easel_query_get_text (EaselQuery *self)
{
  g_return_val_if_fail (EASEL_IS_QUERY (self), NULL);

  return self->text;
}

/**
 * easel_query_is_empty:
 * @self: a query
 *
 * Returns: whether the query has neither a filter nor free text, so it
 *   matches every image (of the library or of the trash)
 */
gboolean
easel_query_is_empty (EaselQuery *self)
{
  g_return_val_if_fail (EASEL_IS_QUERY (self), TRUE);

  return self->match == NULL && self->n_filters == 0;
}

/**
 * easel_query_has_text:
 * @self: a query
 *
 * Returns: whether the query has free text (words or phrases) to search
 *   for, as opposed to filters only
 */
gboolean
easel_query_has_text (EaselQuery *self)
{
  g_return_val_if_fail (EASEL_IS_QUERY (self), FALSE);

  return self->match != NULL;
}

/**
 * easel_query_get_sort:
 * @self: a query
 *
 * Returns: the order of the results
 */
EaselSort
easel_query_get_sort (EaselQuery *self)
{
  g_return_val_if_fail (EASEL_IS_QUERY (self), EASEL_SORT_NEWEST);

  return self->sort;
}

/**
 * easel_query_set_sort:
 * @self: a query
 * @sort: the order of the results
 *
 * Sets the order of the results.
 */
void
easel_query_set_sort (EaselQuery *self,
                      EaselSort   sort)
{
  g_return_if_fail (EASEL_IS_QUERY (self));
  g_return_if_fail (sort <= EASEL_SORT_RATING);

  if (self->sort == sort)
    return;
  self->sort = sort;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT]);
}

/**
 * easel_query_get_show_trashed:
 * @self: a query
 *
 * Returns: whether the query is over the trash
 */
gboolean
easel_query_get_show_trashed (EaselQuery *self)
{
  g_return_val_if_fail (EASEL_IS_QUERY (self), FALSE);

  return self->show_trashed;
}

/**
 * easel_query_set_show_trashed:
 * @self: a query
 * @show_trashed: %TRUE for the images in the trash, %FALSE (the default)
 *   for the others
 *
 * Chooses between the library and the trash: a query never mixes them.
 */
void
easel_query_set_show_trashed (EaselQuery *self,
                              gboolean    show_trashed)
{
  g_return_if_fail (EASEL_IS_QUERY (self));

  show_trashed = !!show_trashed;
  if (self->show_trashed == show_trashed)
    return;
  self->show_trashed = show_trashed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_TRASHED]);
}

/* The SQL form */

/**
 * easel_query_compile:
 * @self: a query
 *
 * Returns: (transfer full): the query's SQL, a copy that does not change
 *   when @self does
 */
EaselQuerySql *
easel_query_compile (EaselQuery *self)
{
  EaselQuerySql *sql;

  g_return_val_if_fail (EASEL_IS_QUERY (self), NULL);

  sql = g_new0 (EaselQuerySql, 1);
  sql->trashed = self->show_trashed;
  sql->sort = self->sort;
  sql->match = g_strdup (self->match);
  sql->n_filters = self->n_filters;
  sql->values = values_copy (self->values);
  sql->filters = g_strconcat (self->show_trashed ? "i.trashed_at IS NOT NULL" : "i.trashed_at IS NULL",
                              self->n_filters > 0 ? " AND " : "", self->filters->str, NULL);
  return sql;
}

/**
 * easel_query_sql_free:
 * @sql: (nullable) (transfer full): compiled SQL
 */
void
easel_query_sql_free (EaselQuerySql *sql)
{
  if (sql == NULL)
    return;

  g_free (sql->filters);
  g_free (sql->match);
  g_array_unref (sql->values);
  g_free (sql);
}

/**
 * easel_query_sql_get_fts_rowid:
 * @sql: compiled SQL
 *
 * Returns: the expression giving an images rowid from an `images_fts` row
 *   (rowids of images in the trash are negated there)
 */
const char *
easel_query_sql_get_fts_rowid (EaselQuerySql *sql)
{
  return sql->trashed ? "-images_fts.rowid" : "images_fts.rowid";
}

/**
 * easel_query_sql_get_fts_range:
 * @sql: compiled SQL
 *
 * Returns: the condition on `images_fts` rows for the trash or the rest
 */
const char *
easel_query_sql_get_fts_range (EaselQuerySql *sql)
{
  return sql->trashed ? "images_fts.rowid < 0" : "images_fts.rowid > 0";
}

/**
 * easel_query_sql_dup_where:
 * @sql: compiled SQL
 *
 * The whole condition on `images i` as one clause: the filters, then the
 * free text as a set of rowids. Bind the filters' values with
 * easel_query_sql_bind_filters(), then @sql->match if it is not %NULL.
 *
 * Returns: (transfer full): the condition
 */
char *
easel_query_sql_dup_where (EaselQuerySql *sql)
{
  if (sql->match == NULL)
    return g_strdup (sql->filters);

  /* The unary + keeps the set from being used to look rows up one by one:
   * this form is for sets too large for that (easel-library.c). */
  return g_strconcat (sql->filters, " AND +i.rowid IN (SELECT ", easel_query_sql_get_fts_rowid (sql),
                      " FROM images_fts WHERE images_fts MATCH ? AND ",
                      easel_query_sql_get_fts_range (sql), ")", NULL);
}

/**
 * easel_query_sql_get_order_by:
 * @sql: compiled SQL
 *
 * Returns: the `ORDER BY` terms on `images i`, ending with the rowid so
 *   that the order is total
 */
const char *
easel_query_sql_get_order_by (EaselQuerySql *sql)
{
  switch (sql->sort)
    {
    case EASEL_SORT_OLDEST:
      return "i.created_at ASC, i.rowid ASC";
    case EASEL_SORT_RATING:
      return "i.rating DESC, i.created_at DESC, i.rowid DESC";
    case EASEL_SORT_NEWEST:
    default:
      return "i.created_at DESC, i.rowid DESC";
    }
}

/**
 * easel_query_sql_bind_filters:
 * @sql: compiled SQL
 * @stmt: a statement containing @sql->filters
 * @index: the index of the filters' first `?`
 *
 * Binds the filters' values.
 *
 * Returns: the index of the next `?`
 */
int
easel_query_sql_bind_filters (EaselQuerySql *sql,
                              sqlite3_stmt  *stmt,
                              int            index)
{
  for (guint i = 0; i < sql->values->len; i++, index++)
    {
      EaselQueryValue *value = &g_array_index (sql->values, EaselQueryValue, i);

      switch (value->type)
        {
        case EASEL_QUERY_VALUE_INT64:
          easel_db_bind_int64 (stmt, index, value->int64);
          break;
        case EASEL_QUERY_VALUE_DOUBLE:
          easel_db_bind_double (stmt, index, value->number);
          break;
        case EASEL_QUERY_VALUE_TEXT:
        default:
          easel_db_bind_text (stmt, index, value->text);
          break;
        }
    }
  return index;
}
