/* test-template.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Template expansion, table-driven: what each text expands to and in
 * which order, with which bindings; that the count agrees with the
 * expansion everywhere; every error with the character it points at;
 * limits (nesting, size, huge products refused, not truncated); the
 * variable list's JSON; and what may go to Midjourney. */

#include "config.h"

#include <string.h>

#include "easel-error.h"
#include "easel-template.h"

/* Test messages go into TAP output, which must stay valid UTF-8 text. */
static void
message_text (const char *text)
{
  g_autofree char *escaped = g_strescape (text, NULL);

  g_test_message ("“%s”", escaped);
}

static GPtrArray *
variables_of (const char *json)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *variables;

  if (json == NULL)
    return NULL;
  variables = easel_template_variables_from_json (json, &error);
  g_assert_no_error (error);
  return variables;
}

static JsonObject *
object_of (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (json == NULL)
    return NULL;
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return json_node_dup_object (json_parser_get_root (parser));
}

static char *
bindings_text (JsonObject *bindings)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), bindings);

  return json_to_string (node, FALSE);
}

typedef struct
{
  const char *text;
  const char *variables;   /* JSON, or NULL */
  const char *values;      /* JSON object, or NULL */
  const char *expected[9]; /* prompts, then NULL */
  const char *bindings[9]; /* JSON of each prompt's bindings, or NULL for {} */
} Case;

static const Case cases[] = {
  { "a fox", NULL, NULL, { "a fox" } },
  { "", NULL, NULL, { "" } },
  { "a {red|blue} car", NULL, NULL, { "a red car", "a blue car" } },
  /* providers.md §2: four jobs, the last choice fastest. */
  { "a {red, blue} car --s {100, 500}", NULL, NULL,
    { "a red car --s 100", "a red car --s 500", "a blue car --s 100", "a blue car --s 500" } },
  { "--ar {1:1, 16:9}", NULL, NULL, { "--ar 1:1", "--ar 16:9" } },
  { "{a|b}{1|2}", NULL, NULL, { "a1", "a2", "b1", "b2" } },
  { "{a|}x", NULL, NULL, { "ax", "x" } },
  { "{|a}", NULL, NULL, { "", "a" } },
  { "x{}y", NULL, NULL, { "xy" } },
  { "{ solo }", NULL, NULL, { "solo" } },
  { "{ red , blue }", NULL, NULL, { "red", "blue" } },
  { "{red, white|blue}", NULL, NULL, { "red, white", "blue" } },
  { "{a|{b|c}}", NULL, NULL, { "a", "b", "c" } },
  { "{a, {b|c} d}!", NULL, NULL, { "a!", "b d!", "c d!" } },
  { "{{a|b}}", NULL, NULL, { "a", "b" } },
  { "{{a|b}|c}", NULL, NULL, { "a", "b", "c" } },
  { "a|b, c", NULL, NULL, { "a|b, c" } },
  { "\\{a\\} \\| \\, \\\\ \\n \\", NULL, NULL, { "{a} | , \\ \\n \\" } },
  { "{x\\, y, z}", NULL, NULL, { "x, y", "z" } },
  { "{x\\|y|z}", NULL, NULL, { "x|y", "z" } },
  { "🦊 {赤|青} ü", NULL, NULL, { "🦊 赤 ü", "🦊 青 ü" } },
  { "{{subject}}", "[{\"name\":\"subject\",\"default\":\"cat\",\"values\":[\"fox\",\"wolf\"]}]", NULL,
    { "fox", "wolf" }, { "{\"subject\":\"fox\"}", "{\"subject\":\"wolf\"}" } },
  { "a {{ subject }} and {{subject}}", "[{\"name\":\"subject\",\"values\":[\"fox\",\"owl\"]}]", NULL,
    { "a fox and fox", "a owl and owl" }, { "{\"subject\":\"fox\"}", "{\"subject\":\"owl\"}" } },
  { "{{subject}}", "[{\"name\":\"subject\",\"default\":\"cat\",\"values\":[]}]", NULL,
    { "cat" }, { "{\"subject\":\"cat\"}" } },
  { "{{subject}}", "[{\"name\":\"subject\",\"default\":\"\"}]", NULL, { "" }, { "{\"subject\":\"\"}" } },
  { "{{subject}}", "[{\"name\":\"subject\",\"values\":[\"fox\",\"wolf\"]}]", "{\"subject\":\"owl\"}",
    { "owl" }, { "{\"subject\":\"owl\"}" } },
  { "{{subject}}", NULL, "{\"subject\":[\"a\",\"b\"],\"unused\":\"x\"}",
    { "a", "b" }, { "{\"subject\":\"a\"}", "{\"subject\":\"b\"}" } },
  /* Variable values are text, never expanded again. */
  { "{{v}}", NULL, "{\"v\":\"{a|b}\"}", { "{a|b}" }, { "{\"v\":\"{a|b}\"}" } },
  /* Variables vary where they are first used, in reading order. */
  { "{{a}} {x|y} {{b}}", "[{\"name\":\"a\",\"values\":[\"1\",\"2\"]},{\"name\":\"b\",\"values\":[\"p\",\"q\"]}]", NULL,
    { "1 x p", "1 x q", "1 y p", "1 y q", "2 x p", "2 x q", "2 y p", "2 y q" },
    { "{\"a\":\"1\",\"b\":\"p\"}", "{\"a\":\"1\",\"b\":\"q\"}", "{\"a\":\"1\",\"b\":\"p\"}", "{\"a\":\"1\",\"b\":\"q\"}",
      "{\"a\":\"2\",\"b\":\"p\"}", "{\"a\":\"2\",\"b\":\"q\"}", "{\"a\":\"2\",\"b\":\"p\"}", "{\"a\":\"2\",\"b\":\"q\"}" } },
  /* A variable only inside an alternative is chosen with it only. */
  { "{{{a}}|cat}", NULL, "{\"a\":[\"x\",\"y\"]}", { "x", "y", "cat" },
    { "{\"a\":\"x\"}", "{\"a\":\"y\"}", "{}" } },
  { "{{{a}}|{{a}}!} {{a}}", NULL, "{\"a\":[\"x\",\"y\"]}", { "x x", "y y", "x! x", "y! y" },
    { "{\"a\":\"x\"}", "{\"a\":\"y\"}", "{\"a\":\"x\"}", "{\"a\":\"y\"}" } },
};

static void
test_template_expand (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(GPtrArray) variables = variables_of (c->variables);
      g_autoptr(JsonObject) values = object_of (c->values);
      g_autoptr(GPtrArray) results = NULL;
      g_autoptr(GError) error = NULL;
      guint64 count = 0;
      guint n = 0;

      message_text (c->text);
      while (n < G_N_ELEMENTS (c->expected) && c->expected[n] != NULL)
        n++;

      results = easel_template_expand (c->text, variables, values, 100, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (results->len, ==, n);
      for (guint k = 0; k < n; k++)
        {
          EaselExpansion *expansion = g_ptr_array_index (results, k);
          g_autofree char *bindings = bindings_text (expansion->bindings);

          g_assert_cmpstr (expansion->prompt, ==, c->expected[k]);
          g_assert_cmpstr (bindings, ==, c->bindings[k] != NULL ? c->bindings[k] : "{}");
        }

      g_assert_true (easel_template_count (c->text, variables, values, &count, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (count, ==, n);
      g_assert_true (easel_template_validate (c->text, &error));
      g_assert_no_error (error);

      /* Exactly enough is allowed; one less is refused, not truncated. */
      if (n > 1)
        {
          g_autoptr(GPtrArray) refused = easel_template_expand (c->text, variables, values, n - 1, &error);

          g_assert_null (refused);
          g_assert_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE);
        }
    }
}

static void
test_template_copy (void)
{
  g_autoptr(JsonObject) values = object_of ("{\"s\":\"fox\"}");
  g_autoptr(GPtrArray) results = easel_template_expand ("a {{s}}", NULL, values, 1, NULL);
  g_autoptr(EaselExpansion) copy = easel_expansion_copy (g_ptr_array_index (results, 0));
  g_autoptr(EaselTemplateVariable) variable = easel_template_variable_new ("s", "d", (const char *[]) { "a", "b", NULL });
  g_autoptr(EaselTemplateVariable) variable_copy = easel_template_variable_copy (variable);

  g_ptr_array_set_size (results, 0);
  g_assert_cmpstr (copy->prompt, ==, "a fox");
  g_assert_cmpstr (json_object_get_string_member (copy->bindings, "s"), ==, "fox");
  g_assert_cmpstr (variable_copy->name, ==, "s");
  g_assert_cmpstr (variable_copy->default_value, ==, "d");
  g_assert_cmpstrv (variable_copy->values, ((const char *[]) { "a", "b", NULL }));
  g_assert_true (G_TYPE_IS_BOXED (EASEL_TYPE_EXPANSION));
  g_assert_true (G_TYPE_IS_BOXED (EASEL_TYPE_TEMPLATE_VARIABLE));
}

typedef struct
{
  const char *text;
  const char *variables;
  const char *values;
  int         code;
  const char *message_has;   /* including where, as "character N" */
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "a {b", NULL, NULL, EASEL_ERROR_INVALID_PARAMETER, "brace at character 3 is never closed" },
  { "{a|{b}", NULL, NULL, EASEL_ERROR_INVALID_PARAMETER, "brace at character 1 is never closed" },
  { "a } b", NULL, NULL, EASEL_ERROR_INVALID_PARAMETER, "brace at character 3 closes nothing" },
  { "{a}}", NULL, NULL, EASEL_ERROR_INVALID_PARAMETER, "brace at character 4 closes nothing" },
  { "🦊ü{", NULL, NULL, EASEL_ERROR_INVALID_PARAMETER, "character 3 is never closed" },
  { "ab\\{ {{}}", NULL, NULL, EASEL_ERROR_INVALID_PARAMETER, "Empty variable name at character 6" },
  { "x {{ }}", NULL, NULL, EASEL_ERROR_INVALID_PARAMETER, "Empty variable name at character 3" },
  { "é {{my var}}", NULL, NULL, EASEL_ERROR_INVALID_PARAMETER, "“my var” at character 3 is not a variable name" },
  { "{{ü}}", NULL, NULL, EASEL_ERROR_INVALID_PARAMETER, "“ü” at character 1 is not a variable name" },
  { "{{9lives}}", NULL, NULL, EASEL_ERROR_INVALID_PARAMETER, "“9lives” at character 1 is not a variable name" },
  { "a {{x}} {{x}}", NULL, NULL, EASEL_ERROR_INVALID_PARAMETER, "Unknown variable “x” at character 3" },
  { "東京 {{s}}", "[{\"name\":\"s\"}]", NULL, EASEL_ERROR_INVALID_PARAMETER,
    "Variable “s” at character 4 has no value" },
  { "{{s}}", "[{\"name\":\"s\",\"values\":[]}]", NULL, EASEL_ERROR_INVALID_PARAMETER, "has no value" },
  { "- {{s}}", NULL, "{\"s\":4}", EASEL_ERROR_INVALID_PARAMETER,
    "The value given for variable “s” (character 3) must be text" },
  { "{{s}}", NULL, "{\"s\":[]}", EASEL_ERROR_INVALID_PARAMETER, "non-empty list" },
  { "{{s}}", NULL, "{\"s\":[\"a\",1]}", EASEL_ERROR_INVALID_PARAMETER, "must be text" },
  { "ok \xff", NULL, NULL, EASEL_ERROR_INVALID_PARAMETER, "not valid UTF-8 at character 4" },
  { "{a|{b|{c|{d|{e|{f|{g|{h|{i}}}}}}}}}", NULL, NULL, EASEL_ERROR_INVALID_PARAMETER,
    "brace at character 25 is nested too deep: at most 8" },
};

static void
test_template_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr(GPtrArray) variables = variables_of (c->variables);
      g_autoptr(JsonObject) values = object_of (c->values);
      g_autoptr(GPtrArray) results = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) count_error = NULL;
      guint64 count = 99;

      message_text (c->text);
      results = easel_template_expand (c->text, variables, values, 100, &error);
      g_assert_null (results);
      g_assert_error (error, EASEL_ERROR, c->code);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, c->message_has));

      /* Counting fails the same way. */
      g_assert_false (easel_template_count (c->text, variables, values, &count, &count_error));
      g_assert_cmpstr (count_error->message, ==, error->message);
    }
}

static void
test_template_nesting_limit (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  /* Eight levels are fine: one result per level. */
  for (guint i = 0; i < 8; i++)
    g_string_append_printf (text, "{%u|", i);
  g_string_append (text, "x");
  for (guint i = 0; i < 8; i++)
    g_string_append_c (text, '}');
  results = easel_template_expand (text->str, NULL, NULL, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 9);
  g_assert_cmpstr (((EaselExpansion *) g_ptr_array_index (results, 8))->prompt, ==, "x");
}

static void
test_template_huge (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *many = NULL;
  guint64 count = 0;
  gint64 start;

  /* 2^40 prompts are counted at once, and refused. */
  for (guint i = 0; i < 40; i++)
    g_string_append (text, "{a|b}");
  start = g_get_monotonic_time ();
  g_assert_true (easel_template_count (text->str, NULL, NULL, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, G_GUINT64_CONSTANT (1) << 40);
  results = easel_template_expand (text->str, NULL, NULL, 10000, &error);
  g_assert_null (results);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "1099511627776 prompts"));
  g_clear_error (&error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  /* Beyond 2^64: refused as uncountable. */
  for (guint i = 0; i < 40; i++)
    g_string_append (text, "{a|b}");
  g_assert_false (easel_template_count (text->str, NULL, NULL, &count, &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* Too many braces. */
  many = g_strnfill (1001 * 3, 'x');
  for (guint i = 0; i < 1001; i++)
    memcpy (many + 3 * i, "{a}", 3);
  g_assert_false (easel_template_validate (many, &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "character 3001"));
  g_clear_error (&error);

  /* Too long. */
  g_free (many);
  many = g_strnfill (64 * 1024 + 1, 'x');
  g_assert_false (easel_template_validate (many, &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* A long plain text is no work. */
  many[64 * 1024] = '\0';
  results = easel_template_expand (many, NULL, NULL, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);

  /* Variables count too: 3 × 2 × 2 = 12. */
  {
    g_autoptr(JsonObject) values = object_of ("{\"a\":[\"1\",\"2\",\"3\"],\"b\":[\"x\",\"y\"]}");

    g_assert_true (easel_template_count ("{{a}} {{b}} {{a}} {p|q}", NULL, values, &count, &error));
    g_assert_cmpuint (count, ==, 12);
  }
}

static void
test_template_variable_names (void)
{
  const struct { const char *text; const char *names[4]; } name_cases[] = {
    { "no variables", { NULL } },
    { "{{b}} {{ a }} {{b}}", { "b", "a", NULL } },
    { "\\{{c}} {{d}}", { "d", NULL } },
    { "{{x}} still typing {", { "x", NULL } },
    { "{{{a}}|{{b}}}", { "a", "b", NULL } },
    { "{{bad name}} {{ok}}", { "ok", NULL } },
    { "{{a|b}}", { NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (name_cases); i++)
    {
      g_auto(GStrv) names = easel_template_get_variable_names (name_cases[i].text);

      message_text (name_cases[i].text);
      g_assert_cmpstrv (names, name_cases[i].names);
    }
}

static void
test_template_variables_json (void)
{
  const char *json = "[{\"name\":\"subject\",\"default\":\"fox\",\"values\":[\"fox\",\"wolf\"]},"
                     "{\"name\":\"style\",\"default\":null,\"values\":[]}]";
  const char *bad[] = {
    "{}", "[1]", "[{}]", "[{\"name\":\"a b\"}]", "[{\"name\":\"a\"},{\"name\":\"a\"}]",
    "[{\"name\":\"a\",\"default\":3}]", "[{\"name\":\"a\",\"values\":\"x\"}]",
    "[{\"name\":\"a\",\"values\":[null]}]", "not json",
  };
  g_autoptr(GPtrArray) variables = variables_of (json);
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *written = NULL;
  EaselTemplateVariable *first, *second;

  g_assert_cmpuint (variables->len, ==, 2);
  first = g_ptr_array_index (variables, 0);
  second = g_ptr_array_index (variables, 1);
  g_assert_cmpstr (first->name, ==, "subject");
  g_assert_cmpstr (first->default_value, ==, "fox");
  g_assert_cmpstrv (first->values, ((const char *[]) { "fox", "wolf", NULL }));
  g_assert_null (second->default_value);
  g_assert_null (second->values);

  written = easel_template_variables_to_json (variables);
  g_assert_cmpstr (written, ==, json);
  again = variables_of (written);
  g_assert_cmpuint (again->len, ==, 2);

  g_free (written);
  written = easel_template_variables_to_json (NULL);
  g_assert_cmpstr (written, ==, "[]");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) parsed = easel_template_variables_from_json (bad[i], &error);

      message_text (bad[i]);
      g_assert_null (parsed);
      g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
    }

  g_assert_true (easel_template_variable_name_is_valid ("_a-1"));
  g_assert_false (easel_template_variable_name_is_valid ("-a"));
  g_assert_false (easel_template_variable_name_is_valid (""));
  g_assert_false (easel_template_variable_name_is_valid ("ü"));
}

static void
test_template_provider_check (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = easel_template_expand ("a \\{literal\\} {red, blue} car", NULL, NULL, 10, &error);

  g_assert_no_error (error);
  /* Other providers take braces as text. */
  g_assert_true (easel_template_check_for_provider (((EaselExpansion *) g_ptr_array_index (results, 0))->prompt,
                                                    "replicate", &error));
  g_assert_no_error (error);
  /* Midjourney would expand them again on its side: refused, saying where. */
  g_assert_false (easel_template_check_for_provider (((EaselExpansion *) g_ptr_array_index (results, 0))->prompt,
                                                     "midjourney", &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "character 3"));
  g_clear_error (&error);
  g_assert_true (easel_template_check_for_provider ("a red car --ar 16:9", "midjourney", &error));
  g_assert_no_error (error);
}

/* The editor's one-line value lists: "|" separates, "\|" is a bar. */
static void
test_template_values_line (void)
{
  static const struct
  {
    const char *line;
    const char *values[4];
  } lines[] = {
    { "", { NULL } },
    { " | |", { NULL } },
    { "red fox | snowy owl", { "red fox", "snowy owl", NULL } },
    { "a \\| b|c", { "a | b", "c", NULL } },
    { "C:\\art | x\\\\", { "C:\\art", "x\\", NULL } },
    { "\\\\\\|", { "\\|", NULL } },
    { "café ☕|日本", { "café ☕", "日本", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_auto(GStrv) values = easel_template_values_split (lines[i].line);
      g_auto(GStrv) again = NULL;
      g_autofree char *line = NULL;

      g_test_message ("%s", lines[i].line);
      g_assert_true (g_strv_equal ((const char * const *) values, lines[i].values));
      /* Joined and split again, the values are the same. */
      line = easel_template_values_join ((const char * const *) values);
      again = easel_template_values_split (line);
      g_assert_true (g_strv_equal ((const char * const *) again, lines[i].values));
    }

  {
    const char *values[] = { "a|b", "back\\slash", "plain", NULL };
    g_autofree char *line = easel_template_values_join (values);

    g_assert_cmpstr (line, ==, "a\\|b | back\\\\slash | plain");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Easel/Template/expand", test_template_expand);
  g_test_add_func ("/Easel/Template/copy", test_template_copy);
  g_test_add_func ("/Easel/Template/errors", test_template_errors);
  g_test_add_func ("/Easel/Template/nesting-limit", test_template_nesting_limit);
  g_test_add_func ("/Easel/Template/huge", test_template_huge);
  g_test_add_func ("/Easel/Template/variable-names", test_template_variable_names);
  g_test_add_func ("/Easel/Template/variables-json", test_template_variables_json);
  g_test_add_func ("/Easel/Template/provider-check", test_template_provider_check);
  g_test_add_func ("/Easel/Template/values-line", test_template_values_line);

  return g_test_run ();
}
