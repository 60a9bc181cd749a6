/* test-query.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The query language, table-driven: what each kind of text compiles to
 * (the FTS5 query, the SQL conditions and their bound values), the errors
 * and where they point, and text that tries to get SQL or FTS5 syntax
 * through. The invariant checked on every query that parses: the SQL is
 * made of the parser's constant fragments and `?` only, and the FTS5 query
 * is a list of double-quoted strings. Running these queries against a real
 * database is test-library.c's part. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "easel-query.h"
#include "easel-query-private.h"


/* Test messages go into TAP output, which must stay valid UTF-8 text. */
static void
message_text (const char *text)
{
  g_autofree char *escaped = g_strescape (text, NULL);

  g_test_message ("“%s”", escaped);
}

/* Helpers */

/* The bound values, as "i:4 t:replicate d:1.778". */
static char *
describe_values (EaselQuerySql *sql)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < sql->values->len; i++)
    {
      EaselQueryValue *value = &g_array_index (sql->values, EaselQueryValue, i);

      if (i > 0)
        g_string_append_c (text, ' ');
      switch (value->type)
        {
        case EASEL_QUERY_VALUE_INT64:
          g_string_append_printf (text, "i:%" G_GINT64_FORMAT, value->int64);
          break;
        case EASEL_QUERY_VALUE_DOUBLE:
          g_string_append_printf (text, "d:%.3f", value->number);
          break;
        case EASEL_QUERY_VALUE_TEXT:
        default:
          g_string_append_printf (text, "t:%s", value->text);
          break;
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Whether @match is what the parser may produce: double-quoted strings
 * (quotes inside doubled), each maybe followed by '*', one space apart. */
static gboolean
is_quoted_list (const char *match)
{
  const char *p = match;

  while (*p != '\0')
    {
      if (*p++ != '"')
        return FALSE;
      for (;;)
        {
          if (*p == '\0')
            return FALSE;
          if (*p == '"' && p[1] == '"')
            p += 2;
          else if (*p == '"')
            break;
          else
            p++;
        }
      p++;
      if (*p == '*')
        p++;
      if (*p == ' ')
        {
          p++;
          if (*p == '\0')
            return FALSE;
        }
      else if (*p != '\0')
        return FALSE;
    }
  return TRUE;
}

#define MODEL \
  "i.model IN (WITH RECURSIVE m (name) AS (SELECT min (model) FROM images " \
  "UNION ALL SELECT (SELECT min (model) FROM images WHERE model > m.name) FROM m " \
  "WHERE m.name IS NOT NULL) SELECT name FROM m WHERE name LIKE ? ESCAPE '\\' " \
  "OR name LIKE ? ESCAPE '\\')"

#define TEMPLATE \
  "i.job_id IN (SELECT j.id FROM jobs j WHERE j.template_id IN " \
  "(SELECT t.id FROM templates t WHERE t.name = ?))"
#define VAR "i.job_id IN (SELECT b.job_id FROM job_bindings b WHERE b.name = ? AND b.value = ?)"

/* Every condition the parser can write, so a test can tell that the SQL
 * holds nothing else. */
static const char * const fragments[] = {
  "i.trashed_at IS NULL",
  "i.trashed_at IS NOT NULL",
  "i.provider = ?",
  MODEL,
  "i.hash IN (SELECT it.image_hash FROM image_tags it JOIN tags t ON t.id = it.tag_id "
  "WHERE t.name = ?)",
  "i.rating >= ?",
  "i.rating <= ?",
  "i.rating > ?",
  "i.rating < ?",
  "i.rating = ?",
  "i.favourite = 1",
  "i.favourite = 0",
  "i.created_at >= ?",
  "i.created_at < ?",
  "i.width * 1.0 / i.height < ?",
  "i.width * 1.0 / i.height > ?",
  "i.width * 1.0 / i.height BETWEEN ? AND ?",
  "i.job_id = ?",
  TEMPLATE,
  VAR,
};

/* Checks that @sql->filters is a chain of fragments joined by " AND ",
 * with one bound value per placeholder, and that the FTS5 query is quoted
 * strings only. */
static void
assert_constant_sql (EaselQuerySql *sql)
{
  g_autofree char *where = easel_query_sql_dup_where (sql);
  const char *rest = sql->filters;
  guint placeholders = 0;

  while (*rest != '\0')
    {
      gboolean found = FALSE;

      for (guint k = 0; k < G_N_ELEMENTS (fragments) && !found; k++)
        {
          gsize length = strlen (fragments[k]);

          if (strncmp (rest, fragments[k], length) == 0 &&
              (rest[length] == '\0' || g_str_has_prefix (rest + length, " AND ")))
            {
              rest += length;
              if (*rest != '\0')
                rest += strlen (" AND ");
              found = TRUE;
            }
        }
      if (!found)
        g_error ("Unexpected SQL in “%s” at “%s”", sql->filters, rest);
    }

  for (const char *p = sql->filters; *p != '\0'; p++)
    if (*p == '?')
      placeholders++;
  g_assert_cmpuint (placeholders, ==, sql->values->len);

  if (sql->match != NULL)
    {
      g_assert_true (is_quoted_list (sql->match));
      g_assert_nonnull (strstr (where, "images_fts MATCH ?"));
    }
  else
    g_assert_cmpstr (where, ==, sql->filters);
}

/* Parsing that succeeds */

typedef struct
{
  const char *text;
  const char *match;      /* NULL: no free text */
  const char *filters;    /* after the trash condition; NULL: none */
  const char *values;
  gboolean    empty;
} ParseCase;

#define T "i.trashed_at IS NULL"

static const ParseCase parse_cases[] = {
  /* Nothing */
  { "", NULL, NULL, "", TRUE },
  { "   \t  ", NULL, NULL, "", TRUE },
  { "!!! ... ---", NULL, NULL, "", TRUE },
  { "\"\"", NULL, NULL, "", TRUE },
  { "\"", NULL, NULL, "", TRUE },

  /* Free text: every word a prefix, phrases exact, an open phrase a prefix */
  { "fox", "\"fox\"*", NULL, "", FALSE },
  { "red fox", "\"red\"* \"fox\"*", NULL, "", FALSE },
  { "  red   fox  ", "\"red\"* \"fox\"*", NULL, "", FALSE },
  { "\"red fox\"", "\"red fox\"", NULL, "", FALSE },
  { "\"red fo", "\"red fo\"*", NULL, "", FALSE },
  { "\"red fox\" den", "\"red fox\" \"den\"*", NULL, "", FALSE },
  { "\"say \"\"hi\"\"\"", "\"say \"\"hi\"\"\"", NULL, "", FALSE },
  { "it's", "\"it's\"*", NULL, "", FALSE },
  { "sci-fi", "\"sci-fi\"*", NULL, "", FALSE },
  { "16:9", "\"16:9\"*", NULL, "", FALSE },
  { "\"a: b\"", "\"a: b\"", NULL, "", FALSE },
  { "fox !!!", "\"fox\"*", NULL, "", FALSE },

  /* Fields */
  { "provider:replicate", NULL, "i.provider = ?", "t:replicate", FALSE },
  { "Provider:Replicate", NULL, "i.provider = ?", "t:replicate", FALSE },
  { "model:flux-schnell", NULL,
    MODEL, "t:flux-schnell t:%/flux-schnell", FALSE },
  { "model:a_b%c", NULL,
    MODEL, "t:a\\_b\\%c t:%/a\\_b\\%c", FALSE },
  { "tag:fox", NULL,
    "i.hash IN (SELECT it.image_hash FROM image_tags it JOIN tags t ON t.id = it.tag_id "
    "WHERE t.name = ?)", "t:fox", FALSE },
  { "tag:\"  sci   fi \"", NULL,
    "i.hash IN (SELECT it.image_hash FROM image_tags it JOIN tags t ON t.id = it.tag_id "
    "WHERE t.name = ?)", "t:sci fi", FALSE },
  { "tag:a tag:b", NULL,
    "i.hash IN (SELECT it.image_hash FROM image_tags it JOIN tags t ON t.id = it.tag_id "
    "WHERE t.name = ?) AND i.hash IN (SELECT it.image_hash FROM image_tags it JOIN tags t "
    "ON t.id = it.tag_id WHERE t.name = ?)", "t:a t:b", FALSE },
  { "rating:4", NULL, "i.rating = ?", "i:4", FALSE },
  { "rating:=0", NULL, "i.rating = ?", "i:0", FALSE },
  { "rating:>=3", NULL, "i.rating >= ?", "i:3", FALSE },
  { "rating:<=2", NULL, "i.rating <= ?", "i:2", FALSE },
  { "rating:>4", NULL, "i.rating > ?", "i:4", FALSE },
  { "rating:<1", NULL, "i.rating < ?", "i:1", FALSE },
  { "fav:yes", NULL, "i.favourite = 1", "", FALSE },
  { "FAV:No", NULL, "i.favourite = 0", "", FALSE },
  { "fav:true", NULL, "i.favourite = 1", "", FALSE },
  { "ar:16:9", NULL, "i.width * 1.0 / i.height BETWEEN ? AND ?", "d:1.724 d:1.831", FALSE },
  { "ar:square", NULL, "i.width * 1.0 / i.height BETWEEN ? AND ?", "d:0.970 d:1.030", FALSE },
  { "ar:portrait", NULL, "i.width * 1.0 / i.height < ?", "d:0.970", FALSE },
  { "ar:Landscape", NULL, "i.width * 1.0 / i.height > ?", "d:1.030", FALSE },
  { "job:123", NULL, "i.job_id = ?", "i:123", FALSE },
  { "template:\"Fox study\"", NULL, TEMPLATE, "t:Fox study", FALSE },
  { "template:\"  Fox  \" fox", "\"fox\"*", TEMPLATE, "t:Fox", FALSE },
  { "template:Cafe\xcc\x81", NULL, TEMPLATE, "t:Caf\xc3\xa9", FALSE },
  { "var:subject=fox", NULL, VAR, "t:subject t:fox", FALSE },
  { "var:subject=\"red fox\" den", "\"den\"*", VAR, "t:subject t:red fox", FALSE },
  { "var:\"subject=red fox\"", NULL, VAR, "t:subject t:red fox", FALSE },
  { "var:s=", NULL, VAR, "t:s t:", FALSE },
  { "var:s=a=b var:t=x", NULL, VAR " AND " VAR, "t:s t:a=b t:t t:x", FALSE },
  { "var:s=\"it\"\"s\"", NULL, VAR, "t:s t:it\"s", FALSE },

  /* Together */
  { "provider:replicate rating:>=4 red fox fav:yes", "\"red\"* \"fox\"*",
    "i.provider = ? AND i.rating >= ? AND i.favourite = 1", "t:replicate i:4", FALSE },

  /* Unicode: passed to the tokenizer as typed */
  { "Café", "\"Café\"*", NULL, "", FALSE },
  { "שלום עולם", "\"שלום\"* \"עולם\"*", NULL, "", FALSE },
  { "cafe\xcc\x81", "\"cafe\xcc\x81\"*", NULL, "", FALSE },
  { "🦊", NULL, NULL, "", TRUE },
  { "🦊 fox 🎨", "\"fox\"*", NULL, "", FALSE },
  { "\xcc\x81\xcc\x81", NULL, NULL, "", TRUE },
  { "\xe2\x80\x8f\xd7\x90", "\"\xe2\x80\x8f\xd7\x90\"*", NULL, "", FALSE },
  { "fox\xc2\xa0" "den", "\"fox\"* \"den\"*", NULL, "", FALSE },
  { "東京 タワー", "\"東京\"* \"タワー\"*", NULL, "", FALSE },
};

static void
test_query_parse (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      const ParseCase *c = &parse_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(EaselQuery) query = NULL;
      g_autoptr(EaselQuerySql) sql = NULL;
      g_autofree char *filters = NULL;
      g_autofree char *values = NULL;

      message_text (c->text);
      query = easel_query_parse (c->text, &error);
      g_assert_no_error (error);
      g_assert_nonnull (query);
      g_assert_cmpstr (easel_query_get_text (query), ==, c->text);
      g_assert_cmpint (easel_query_is_empty (query), ==, c->empty);
      g_assert_cmpint (easel_query_has_text (query), ==, c->match != NULL);

      sql = easel_query_compile (query);
      g_assert_cmpstr (sql->match, ==, c->match);
      filters = c->filters != NULL ? g_strconcat (T " AND ", c->filters, NULL) : g_strdup (T);
      g_assert_cmpstr (sql->filters, ==, filters);
      values = describe_values (sql);
      g_assert_cmpstr (values, ==, c->values);
      assert_constant_sql (sql);
    }
}

static void
test_query_dates (void)
{
  g_autoptr(GDateTime) after = g_date_time_new_local (2026, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) before = g_date_time_new_local (2024, 2, 29, 0, 0, 0);
  g_autoptr(EaselQuery) query = NULL;
  g_autoptr(EaselQuerySql) sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *values = NULL;

  /* Local midnight; before is exclusive (created_at < that midnight). */
  query = easel_query_parse ("after:2026-01-01 before:2024-02-29", &error);
  g_assert_no_error (error);
  sql = easel_query_compile (query);
  g_assert_cmpstr (sql->filters, ==, T " AND i.created_at >= ? AND i.created_at < ?");
  expected = g_strdup_printf ("i:%" G_GINT64_FORMAT " i:%" G_GINT64_FORMAT,
                              g_date_time_to_unix (after) * G_USEC_PER_SEC,
                              g_date_time_to_unix (before) * G_USEC_PER_SEC);
  values = describe_values (sql);
  g_assert_cmpstr (values, ==, expected);
}

/* Errors */

typedef struct
{
  const char      *text;
  EaselQueryError  code;
  int              offset;
  int              length;
  const char      *message;   /* a part of the message */
} ErrorCase;

static const ErrorCase error_cases[] = {
  /* Unknown fields, named */
  { "foo:bar", EASEL_QUERY_ERROR_INVALID, 0, 4, "“foo:”" },
  { "red prompt:x", EASEL_QUERY_ERROR_INVALID, 4, 7, "“prompt:”" },
  { "http://example.com", EASEL_QUERY_ERROR_INVALID, 0, 5, "“http:”" },
  { "a NEAR:b", EASEL_QUERY_ERROR_INVALID, 2, 5, "“NEAR:”" },

  /* Empty values */
  { "tag:", EASEL_QUERY_ERROR_INVALID, 0, 4, "“tag:” needs a value" },
  { "red tag: fox", EASEL_QUERY_ERROR_INVALID, 4, 4, "needs a value" },
  { "tag:\"\"", EASEL_QUERY_ERROR_INVALID, 0, 6, "needs a value" },
  { "tag:\"   \"", EASEL_QUERY_ERROR_INVALID, 0, 9, "needs a value" },
  { "provider:", EASEL_QUERY_ERROR_INVALID, 0, 9, "“provider:”" },
  { "model:", EASEL_QUERY_ERROR_INVALID, 0, 6, "“model:”" },

  /* Values */
  { "rating:6", EASEL_QUERY_ERROR_INVALID, 7, 1, "rating" },
  { "rating:-1", EASEL_QUERY_ERROR_INVALID, 7, 2, "rating" },
  { "rating:>=", EASEL_QUERY_ERROR_INVALID, 7, 2, "rating" },
  { "rating:four", EASEL_QUERY_ERROR_INVALID, 7, 4, "rating" },
  { "rating:45", EASEL_QUERY_ERROR_INVALID, 7, 2, "rating" },
  { "rating:=>4", EASEL_QUERY_ERROR_INVALID, 7, 3, "rating" },
  { "fav:maybe", EASEL_QUERY_ERROR_INVALID, 4, 5, "fav" },
  { "after:2026-13-01", EASEL_QUERY_ERROR_INVALID, 6, 10, "“after:”" },
  { "before:2026-02-30", EASEL_QUERY_ERROR_INVALID, 7, 10, "“before:”" },
  { "after:yesterday", EASEL_QUERY_ERROR_INVALID, 6, 9, "2026-01-31" },
  { "after:2026-1-1", EASEL_QUERY_ERROR_INVALID, 6, 8, "after" },
  { "ar:wide", EASEL_QUERY_ERROR_INVALID, 3, 4, "ar" },
  { "ar:16:0", EASEL_QUERY_ERROR_INVALID, 3, 4, "ar" },
  { "ar:16x9", EASEL_QUERY_ERROR_INVALID, 3, 4, "ar" },
  { "ar:-16:9", EASEL_QUERY_ERROR_INVALID, 3, 5, "ar" },
  { "job:0", EASEL_QUERY_ERROR_INVALID, 4, 1, "job" },
  { "job:12a", EASEL_QUERY_ERROR_INVALID, 4, 3, "job" },
  { "job:99999999999999999999", EASEL_QUERY_ERROR_INVALID, 4, 20, "job" },
  { "tag:\"a\x01" "b\"", EASEL_QUERY_ERROR_INVALID, 4, 5, "control" },

  /* Templates */
  { "template:", EASEL_QUERY_ERROR_INVALID, 0, 9, "“template:” needs a value" },
  { "fox template:\"  \"", EASEL_QUERY_ERROR_INVALID, 4, 13, "needs a value" },
  { "var:subject", EASEL_QUERY_ERROR_INVALID, 4, 7, "KEY=VALUE" },
  { "var:=fox", EASEL_QUERY_ERROR_INVALID, 4, 4, "KEY=VALUE" },
  { "fox var:my\xc3\xa9=fox", EASEL_QUERY_ERROR_INVALID, 8, 8, "KEY=VALUE" },
  { "var:9=fox", EASEL_QUERY_ERROR_INVALID, 4, 5, "KEY" },

  /* The first problem is the one reported */
  { "rating:9 foo:bar", EASEL_QUERY_ERROR_INVALID, 7, 1, "rating" },

  /* Text that is not UTF-8 (the offset is the first bad byte) */
  { "\xff", EASEL_QUERY_ERROR_INVALID, 0, 1, "UTF-8" },
  { "fox \xc3", EASEL_QUERY_ERROR_INVALID, 4, 1, "UTF-8" },
  { "caf\xc3\xa9 \xc0\xaf", EASEL_QUERY_ERROR_INVALID, 6, 1, "UTF-8" },
  { "\xed\xa0\x80", EASEL_QUERY_ERROR_INVALID, 0, 1, "UTF-8" },
  { "ok \xf8\x88\x80\x80\x80", EASEL_QUERY_ERROR_INVALID, 3, 1, "UTF-8" },
};

static void
test_query_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) copy = NULL;
      g_autoptr(EaselQuery) query = NULL;

      message_text (c->text);
      query = easel_query_parse (c->text, &error);
      g_assert_null (query);
      g_assert_error (error, EASEL_QUERY_ERROR, (int) c->code);
      g_assert_cmpint (easel_query_error_get_offset (error), ==, c->offset);
      g_assert_cmpint (easel_query_error_get_length (error), ==, c->length);
      g_assert_nonnull (strstr (error->message, c->message));

      /* The place survives a copy (GTask and friends copy errors). */
      copy = g_error_copy (error);
      g_assert_cmpint (easel_query_error_get_offset (copy), ==, c->offset);
      g_assert_cmpint (easel_query_error_get_length (copy), ==, c->length);
    }

  /* Other domains have no place. */
  {
    g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "no");

    g_assert_cmpint (easel_query_error_get_offset (other), ==, -1);
    g_assert_cmpint (easel_query_error_get_length (other), ==, 0);
  }
}

/* Hostile text */

static const char * const attacks[] = {
  "'; DROP TABLE images; --",
  "\" OR 1=1",
  "\" OR 1=1 --",
  "' OR '1'='1",
  "fox\" OR \"1\"=\"1",
  "NEAR(a b)",
  "NEAR(\"a\" \"b\", 2)",
  "a AND b OR NOT c",
  "{prompt model}: fox",
  "prompt : fox",
  "- fox",
  "*",
  "^x",
  "x*",
  "\"fox\"*",
  "+fox",
  "(fox OR den)",
  "fox) OR (1=1",
  "\"\"\"",
  "\"\"\"\"\"",
  "tag:\"'; DELETE FROM tags; --\"",
  "provider:'OR'1'='1",
  "model:%",
  "model:\"x' OR 1=1 --\"",
  "tag:\"\\\"",
  "a\\",
  "%_%",
  "$1 ?1 ?999 :name @x",
  "/* comment */",
  "\x01\x02\x03",
  "\xe2\x80\xae" "evil",
};

static void
test_query_injection (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EaselQuery) query = NULL;
      g_autoptr(EaselQuerySql) sql = NULL;

      message_text (attacks[i]);
      query = easel_query_parse (attacks[i], &error);
      if (query == NULL)
        {
          /* Refusing is fine, as long as it is a query error with a place. */
          g_assert_error (error, EASEL_QUERY_ERROR, EASEL_QUERY_ERROR_INVALID);
          g_assert_cmpint (easel_query_error_get_offset (error), >=, 0);
          continue;
        }
      sql = easel_query_compile (query);
      assert_constant_sql (sql);
    }
}

static void
test_query_long (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) words = g_string_new (NULL);
  g_autoptr(EaselQuery) query = NULL;
  g_autoptr(EaselQuerySql) sql = NULL;
  g_autoptr(GError) error = NULL;
  gsize last_word;

  /* 4096 bytes is the limit; one more is an error placed at the limit. */
  for (guint i = 0; i < 4096; i++)
    g_string_append_c (text, 'a');
  query = easel_query_parse (text->str, &error);
  g_assert_no_error (error);
  g_clear_object (&query);

  g_string_append_c (text, 'b');
  query = easel_query_parse (text->str, &error);
  g_assert_null (query);
  g_assert_error (error, EASEL_QUERY_ERROR, EASEL_QUERY_ERROR_INVALID);
  g_assert_cmpint (easel_query_error_get_offset (error), ==, 4096);
  g_clear_error (&error);

  /* The limit falls inside a character: the error starts at that character. */
  g_string_truncate (text, 4095);
  g_string_append (text, "é");
  query = easel_query_parse (text->str, &error);
  g_assert_error (error, EASEL_QUERY_ERROR, EASEL_QUERY_ERROR_INVALID);
  g_assert_cmpint (easel_query_error_get_offset (error), ==, 4095);
  g_clear_error (&error);

  /* 64 terms parse; the 65th is an error placed on it. */
  for (guint i = 0; i < 64; i++)
    g_string_append_printf (words, "w%u ", i);
  query = easel_query_parse (words->str, &error);
  g_assert_no_error (error);
  sql = easel_query_compile (query);
  g_assert_true (is_quoted_list (sql->match));
  g_clear_object (&query);

  last_word = words->len;
  g_string_append (words, "tag:x");
  query = easel_query_parse (words->str, &error);
  g_assert_null (query);
  g_assert_error (error, EASEL_QUERY_ERROR, EASEL_QUERY_ERROR_INVALID);
  g_assert_cmpint (easel_query_error_get_offset (error), ==, (int) last_word);
}

/* The object */

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_query_object (void)
{
  g_autoptr(EaselQuery) query = easel_query_parse ("fox tag:den", NULL);
  g_autoptr(EaselQuery) copy = NULL;
  g_autoptr(EaselQuerySql) sql = NULL;
  g_autoptr(EaselQuerySql) copy_sql = NULL;
  g_autofree char *text = NULL;
  guint sort_notes = 0, trash_notes = 0;
  EaselSort sort;

  g_assert_cmpint (easel_query_get_sort (query), ==, EASEL_SORT_NEWEST);
  g_assert_false (easel_query_get_show_trashed (query));

  g_signal_connect (query, "notify::sort", G_CALLBACK (notify_cb), &sort_notes);
  g_signal_connect (query, "notify::show-trashed", G_CALLBACK (notify_cb), &trash_notes);
  easel_query_set_sort (query, EASEL_SORT_RATING);
  easel_query_set_sort (query, EASEL_SORT_RATING);
  easel_query_set_show_trashed (query, TRUE);
  easel_query_set_show_trashed (query, 2);
  g_assert_cmpuint (sort_notes, ==, 1);
  g_assert_cmpuint (trash_notes, ==, 1);

  g_object_get (query, "sort", &sort, "text", &text, NULL);
  g_assert_cmpint (sort, ==, EASEL_SORT_RATING);
  g_assert_cmpstr (text, ==, "fox tag:den");

  /* The SQL follows the settings, and a copy is the same query. */
  sql = easel_query_compile (query);
  g_assert_true (sql->trashed);
  g_assert_true (g_str_has_prefix (sql->filters, "i.trashed_at IS NOT NULL AND "));
  g_assert_cmpstr (easel_query_sql_get_order_by (sql), ==,
                   "i.rating DESC, i.created_at DESC, i.rowid DESC");
  g_assert_cmpstr (easel_query_sql_get_fts_range (sql), ==, "images_fts.rowid < 0");

  copy = easel_query_copy (query);
  copy_sql = easel_query_compile (copy);
  g_assert_cmpstr (copy_sql->filters, ==, sql->filters);
  g_assert_cmpstr (copy_sql->match, ==, sql->match);
  g_assert_cmpint (copy_sql->sort, ==, sql->sort);
  g_assert_cmpstr (easel_query_get_text (copy), ==, "fox tag:den");

  /* A compiled query does not follow later changes. */
  easel_query_set_show_trashed (query, FALSE);
  g_assert_true (sql->trashed);

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&query));
}

typedef struct
{
  const char *text;
  const char *normal;   /* NULL: refused */
} TagCase;

static void
test_query_tags (void)
{
  static const TagCase cases[] = {
    { "fox", "fox" },
    { "  Red   Fox  ", "Red Fox" },
    { "cafe\xcc\x81", "café" },
    { "a\tb\nc", "a b c" },
    { "🦊", "🦊" },
    { "", NULL },
    { "   ", NULL },
    { "a\x01" "b", NULL },
    { "a\xe2\x80\x8b" "b", NULL },  /* zero width space: a format character */
    { "\xff", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normal = easel_query_normalize_tag (cases[i].text, &error);

      g_assert_cmpstr (normal, ==, cases[i].normal);
      if (cases[i].normal == NULL)
        g_assert_error (error, EASEL_QUERY_ERROR, EASEL_QUERY_ERROR_INVALID);
      else
        g_assert_no_error (error);
    }

  {
    g_autoptr(GString) tag = g_string_new (NULL);
    g_autoptr(GError) error = NULL;
    g_autofree char *normal = NULL;

    for (guint i = 0; i < 100; i++)
      g_string_append (tag, "é");
    normal = easel_query_normalize_tag (tag->str, &error);
    g_assert_no_error (error);
    g_clear_pointer (&normal, g_free);
    g_string_append_c (tag, 'x');
    normal = easel_query_normalize_tag (tag->str, &error);
    g_assert_null (normal);
    g_assert_error (error, EASEL_QUERY_ERROR, EASEL_QUERY_ERROR_INVALID);
  }
}

/* Random text never crashes and always gives a query or a placed error. */
static void
test_query_random (void)
{
  static const char * const pieces[] = {
    "fox", " ", "\"", "\"\"", ":", "tag:", "rating:", ">=", "4", "é", "🦊", "\xcc\x81",
    "model:", "ar:", "16:9", "*", "^", "(", ")", "'", ";", "--", "NEAR", "\t", "\xff",
    "after:", "2026-01-01", "fav:", "yes", "var:", "=", "template:", "\xc3",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);

  for (guint round = 0; round < 5000; round++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(EaselQuery) query = NULL;
      guint n = g_rand_int_range (rand, 0, 12);

      for (guint i = 0; i < n; i++)
        g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);

      query = easel_query_parse (text->str, &error);
      if (query != NULL)
        {
          g_autoptr(EaselQuerySql) sql = easel_query_compile (query);

          g_assert_no_error (error);
          assert_constant_sql (sql);
        }
      else
        {
          g_assert_true (error->domain == EASEL_QUERY_ERROR);
          g_assert_cmpint (easel_query_error_get_offset (error), >=, 0);
          g_assert_cmpint (easel_query_error_get_offset (error) + easel_query_error_get_length (error),
                           <=, (int) text->len);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Easel/Query/parse", test_query_parse);
  g_test_add_func ("/Easel/Query/dates", test_query_dates);
  g_test_add_func ("/Easel/Query/errors", test_query_errors);
  g_test_add_func ("/Easel/Query/injection", test_query_injection);
  g_test_add_func ("/Easel/Query/long", test_query_long);
  g_test_add_func ("/Easel/Query/object", test_query_object);
  g_test_add_func ("/Easel/Query/tags", test_query_tags);
  g_test_add_func ("/Easel/Query/random", test_query_random);

  return g_test_run ();
}
