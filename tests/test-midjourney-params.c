/* test-midjourney-params.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "easel-error.h"
#include "easel-midjourney-params.h"

static JsonObject *
object_from_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_params_equal (JsonObject *params,
                     const char *expected_json)
{
  g_autoptr(JsonObject) expected = object_from_json (expected_json);
  g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), params);
  g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), expected);

  if (!json_node_equal (a, b))
    {
      g_autofree char *got = json_to_string (a, FALSE);

      g_error ("parameters %s, expected %s", got, expected_json);
    }
}

/* The table ------------------------------------------------------------ */

static void
test_table (void)
{
  static const char *const documented[] = {
    "ar", "aspect", "chaos", "c", "stylize", "s", "weird", "w", "version", "v",
    "quality", "q", "iw", "sref", "sw", "sv", "cref", "cw", "oref", "ow", "style",
    "raw", "exp", "draft", "relax", "fast", "turbo", "repeat", "r", "p",
    "personalize", "stealth", "public", "video", "motion", "loop", "end", "bs",
    "tile", "seed", "stop", "no", "niji",
  };
  g_autoptr(GHashTable) spellings = g_hash_table_new (g_str_hash, g_str_equal);
  const EaselMidjourneyParam *all;
  guint n;

  all = easel_midjourney_params_get_all (&n);
  g_assert_cmpuint (n, >=, 35);

  for (guint i = 0; i < n; i++)
    {
      const EaselMidjourneyParam *param = &all[i];

      g_assert_true (g_hash_table_add (spellings, (gpointer) param->name));
      for (guint j = 0; j < G_N_ELEMENTS (param->aliases) && param->aliases[j] != NULL; j++)
        g_assert_true (g_hash_table_add (spellings, (gpointer) param->aliases[j]));

      g_assert_true (param->help != NULL && param->help[0] != '\0');
      g_assert_true (easel_midjourney_params_lookup (param->name) == param);

      switch (param->kind)
        {
        case EASEL_MIDJOURNEY_PARAM_INTEGER:
        case EASEL_MIDJOURNEY_PARAM_NUMBER:
          g_assert_cmpfloat (param->minimum, <, param->maximum);
          break;
        case EASEL_MIDJOURNEY_PARAM_CHOICE:
          g_assert_nonnull (param->choices);
          g_assert_cmpuint (param->n_choices, >, 0);
          break;
        case EASEL_MIDJOURNEY_PARAM_ENUM:
          g_assert_nonnull (param->words);
          break;
        case EASEL_MIDJOURNEY_PARAM_FLAG:
        case EASEL_MIDJOURNEY_PARAM_WORD:
        case EASEL_MIDJOURNEY_PARAM_TEXT:
        case EASEL_MIDJOURNEY_PARAM_RATIO:
        case EASEL_MIDJOURNEY_PARAM_URLS:
        case EASEL_MIDJOURNEY_PARAM_REFERENCES:
        case EASEL_MIDJOURNEY_PARAM_CODES:
        default:
          break;
        }

      if (param->requires != NULL)
        g_assert_nonnull (easel_midjourney_params_lookup (param->requires));

      /* The documented default must pass validation. */
      if (param->default_value != NULL && param->requires == NULL)
        {
          g_autofree char *prompt = g_strdup_printf ("x --%s %s", param->name, param->default_value);
          g_autoptr(JsonObject) params = NULL;
          g_autoptr(GError) error = NULL;

          g_assert_true (easel_midjourney_parse_prompt (prompt, NULL, NULL, &params, &error));
          g_assert_no_error (error);
          g_assert_true (easel_midjourney_params_validate (params, &error));
          g_assert_no_error (error);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (documented); i++)
    {
      g_test_message ("%s", documented[i]);
      g_assert_nonnull (easel_midjourney_params_lookup (documented[i]));
    }

  g_assert_true (easel_midjourney_params_lookup ("c") == easel_midjourney_params_lookup ("chaos"));
  g_assert_true (easel_midjourney_params_lookup ("aspect") == easel_midjourney_params_lookup ("ar"));
  g_assert_true (easel_midjourney_params_lookup ("r") == easel_midjourney_params_lookup ("repeat"));
  g_assert_true (easel_midjourney_params_lookup ("p") == easel_midjourney_params_lookup ("personalize"));
  g_assert_null (easel_midjourney_params_lookup ("hd"));
  g_assert_null (easel_midjourney_params_lookup (""));
}

/* Validation ----------------------------------------------------------- */

static const char *const valid_params[] = {
  "{}",
  "{\"chaos\": 0}",
  "{\"chaos\": 100}",
  "{\"stylize\": 1000}",
  "{\"stylize\": 250.0}",
  "{\"weird\": 3000}",
  "{\"ar\": \"16:9\"}",
  "{\"ar\": \"139:100\"}",
  "{\"version\": 7, \"quality\": 4}",
  "{\"version\": 6.1, \"quality\": 2}",
  "{\"version\": 5.2, \"quality\": 0.25}",
  "{\"niji\": 5, \"quality\": 0.5}",
  "{\"quality\": \"0.25\"}",
  "{\"version\": \"6.1\", \"quality\": \"2\"}",
  "{\"version\": 6, \"cref\": \"https://example.org/a.png\", \"cw\": 0}",
  "{\"version\": 6.1, \"cref\": [\"https://example.org/a.png\", \"https://example.org/b.png\"]}",
  "{\"version\": 7, \"oref\": \"https://example.org/a.png\", \"ow\": 1000}",
  "{\"seed\": 0}",
  "{\"seed\": 4294967295}",
  "{\"stop\": 10}",
  "{\"stop\": 100}",
  "{\"iw\": 3}",
  "{\"iw\": 0.5, \"version\": 4}",
  "{\"sw\": 1000}",
  "{\"sv\": 6, \"version\": 7}",
  "{\"sv\": 4, \"version\": 6}",
  "{\"exp\": 100, \"version\": 7}",
  "{\"repeat\": 40}",
  "{\"fast\": true, \"repeat\": 4}",
  "{\"video\": true, \"motion\": \"high\", \"loop\": true, \"end\": \"https://example.org/e.png\", \"bs\": 4}",
  "{\"video\": true, \"motion\": \"HIGH\"}",
  "{\"video\": true, \"raw\": true, \"version\": 6}",
  "{\"raw\": true, \"version\": 7}",
  "{\"no\": \"cats, dogs\"}",
  "{\"no\": [\"cats\", \"red dogs\"]}",
  "{\"tile\": true}",
  "{\"tile\": false}",
  "{\"chaos\": null}",
  "{\"sref\": [\"https://example.org/s.png::2\", \"123456\", \"random\"]}",
  "{\"sref\": \"https://example.org/s.png 42::0.5\"}",
  "{\"personalize\": true}",
  "{\"personalize\": false}",
  "{\"personalize\": \"abc123 def-456\"}",
  "{\"style\": \"raw\"}",
  "{\"style\": \"random-64\"}",
  "{\"draft\": true}",
  "{\"relax\": true}",
  "{\"stealth\": true}",
  "{\"public\": true}",
  /* UNCONFIRMED versions restrict nothing. */
  "{\"version\": 8}",
  "{\"version\": 8.1, \"cref\": \"https://example.org/a.png\", \"quality\": 0.25}",
  "{\"niji\": 7, \"oref\": \"https://example.org/a.png\"}",
};

static void
test_validate_ok (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid_params); i++)
    {
      g_autoptr(JsonObject) params = object_from_json (valid_params[i]);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", valid_params[i]);
      g_assert_true (easel_midjourney_params_validate (params, &error));
      g_assert_no_error (error);
    }
}

typedef struct
{
  const char *json;
  const char *message;   /* the whole message, or a part of it */
} InvalidCase;

static const InvalidCase invalid_params[] = {
  { "{\"chaos\": 101}", "--chaos 101 is out of range: use a whole number from 0 to 100." },
  { "{\"chaos\": -1}", "--chaos -1 is out of range: use a whole number from 0 to 100." },
  { "{\"chaos\": 2.5}", "--chaos must be a whole number, not 2.5." },
  { "{\"chaos\": \"10\"}", "--chaos must be a whole number, not 10." },
  /* json-glib 1.6 reads integers past 64 bits as -1 (and 2^63…2^64-1 as
   * negative numbers): still out of range, whatever the message says. */
  { "{\"chaos\": 99999999999999999999999}", "--chaos -1 is out of range" },
  { "{\"seed\": 9223372036854775808}", "--seed -9223372036854775808 is out of range" },
  { "{\"stylize\": 1001}", "from 0 to 1000" },
  { "{\"stylize\": true}", "--stylize must be a whole number" },
  { "{\"weird\": 3001}", "--weird 3001 is out of range: use a whole number from 0 to 3000." },
  { "{\"seed\": 4294967296}", "--seed 4294967296 is out of range: use a whole number from 0 to 4294967295." },
  { "{\"seed\": -1}", "--seed -1" },
  { "{\"seed\": 1e300}", "--seed 1e+300 is out of range" },
  { "{\"stop\": 9}", "from 10 to 100" },
  { "{\"stop\": 101}", "from 10 to 100" },
  { "{\"iw\": 3.5}", "--iw 3.5 is out of range: use a number from 0 to 3." },
  { "{\"sw\": 1001}", "--sw 1001" },
  { "{\"cw\": 101, \"cref\": \"https://example.org/a.png\"}", "--cw 101" },
  { "{\"ow\": 0, \"oref\": \"https://example.org/a.png\"}", "from 1 to 1000" },
  { "{\"exp\": 101}", "--exp 101" },
  { "{\"repeat\": 1}", "--repeat 1 is out of range: use a whole number from 2 to 40." },
  { "{\"repeat\": 41}", "from 2 to 40" },
  { "{\"sv\": 7}", "--sv 7" },
  { "{\"quality\": 3}", "--quality 3 is not allowed: use one of 0.25, 0.5, 1, 2, 4." },
  { "{\"quality\": \"high\"}", "--quality must be a number" },
  { "{\"version\": 7, \"quality\": 0.5}", "--quality 0.5 is not allowed with --version 7: use one of 1, 2, 4." },
  { "{\"version\": 6.1, \"quality\": 4}", "--quality 4 is not allowed with --version 6.1: use one of 0.25, 0.5, 1, 2." },
  { "{\"version\": 6, \"quality\": 2}", "with --version 6: use one of 0.25, 0.5, 1." },
  { "{\"version\": 5.2, \"quality\": 2}", "with --version 5.2" },
  { "{\"niji\": 5, \"quality\": 2}", "with --niji 5" },
  { "{\"version\": 7, \"cref\": \"https://example.org/a.png\"}", "--cref is not available with --version 7." },
  { "{\"version\": 6.1, \"oref\": \"https://example.org/a.png\"}", "--oref is not available with --version 6.1." },
  { "{\"niji\": 6, \"oref\": \"https://example.org/a.png\"}", "--oref is not available with --niji 6." },
  { "{\"version\": 6, \"exp\": 10}", "--exp is not available with --version 6." },
  { "{\"version\": 6.1, \"draft\": true}", "--draft is not available" },
  { "{\"version\": 6.1, \"raw\": true}", "--raw is not available" },
  { "{\"version\": 4, \"weird\": 10}", "--weird is not available with --version 4." },
  { "{\"version\": 5, \"sref\": \"random\"}", "--sref is not available" },
  { "{\"version\": 4, \"iw\": 2.5}", "--iw 2.5 is not allowed with --version 4: use a number from 0 to 2." },
  { "{\"niji\": 6, \"iw\": 3}", "with --niji 6" },
  { "{\"version\": 6, \"sv\": 5}", "--sv 5 is not allowed with --version 6: use a number from 1 to 4." },
  { "{\"version\": 9}", "--version 9 is not allowed: use one of 1, 2, 3, 4, 5, 5.1, 5.2, 6, 6.1, 7, 8, 8.1." },
  { "{\"version\": 6.2}", "--version 6.2" },
  { "{\"niji\": 3}", "--niji 3 is not allowed: use one of 4, 5, 6, 7." },
  { "{\"version\": 7, \"niji\": 6}", "--version and --niji cannot be used together." },
  { "{\"relax\": true, \"turbo\": true}", "--relax and --turbo cannot be used together." },
  { "{\"fast\": true, \"turbo\": true}", "--fast and --turbo" },
  { "{\"stealth\": true, \"public\": true}", "--stealth and --public" },
  { "{\"repeat\": 3, \"relax\": true}", "--repeat and --relax" },
  { "{\"oref\": \"https://example.org/a.png\", \"quality\": 4}", "--quality 4 and --oref cannot be used together." },
  { "{\"motion\": \"high\"}", "--motion only works together with --video." },
  { "{\"loop\": true}", "--loop only works together with --video." },
  { "{\"end\": \"https://example.org/e.png\"}", "--end only works together with --video." },
  { "{\"bs\": 2}", "--bs only works together with --video." },
  { "{\"video\": false, \"motion\": \"low\"}", "--motion only works together with --video." },
  { "{\"cw\": 50}", "--cw only works together with --cref." },
  { "{\"ow\": 50}", "--ow only works together with --oref." },
  { "{\"motion\": \"medium\", \"video\": true}", "--motion medium is not allowed: use one of low, high." },
  { "{\"bs\": 3, \"video\": true}", "--bs 3 is not allowed: use one of 1, 2, 4." },
  { "{\"ar\": \"16:9:1\"}", "--ar 16:9:1 is not allowed: use two whole numbers above zero, width:height, such as 16:9." },
  { "{\"ar\": \"1.5:1\"}", "--ar 1.5:1" },
  { "{\"ar\": \"0:1\"}", "--ar 0:1" },
  { "{\"ar\": \"-16:9\"}", "--ar -16:9" },
  { "{\"ar\": \"+16:9\"}", "--ar +16:9" },
  { "{\"ar\": \"99999999999999999999:1\"}", "--ar 99999999999999999999:1" },
  { "{\"ar\": \"16x9\"}", "--ar 16x9" },
  { "{\"ar\": \":\"}", "--ar :" },
  { "{\"ar\": 16}", "--ar must be text, not 16." },
  { "{\"tile\": \"yes\"}", "--tile is a switch: its value must be true or false, not yes." },
  { "{\"tile\": 1}", "--tile is a switch" },
  { "{\"c\": 10}", "Unknown Midjourney parameter “c”: use “chaos”." },
  { "{\"aspect\": \"1:1\"}", "use “ar”" },
  { "{\"hd\": true}", "Unknown Midjourney parameter “hd”." },
  { "{\"--ar\": \"1:1\"}", "Unknown Midjourney parameter “--ar”." },
  { "{\"no\": \"\"}", "--no needs a value." },
  { "{\"no\": \" , ,\"}", "--no needs a value." },
  { "{\"no\": []}", "--no needs a value." },
  { "{\"no\": [1]}", "--no must be text, not 1." },
  { "{\"no\": {\"a\": 1}}", "--no must be text" },
  { "{\"no\": \"cats --ar 2:1\"}", "The value of --no contains another parameter, --ar." },
  { "{\"no\": \"cats —tile\"}", "another parameter, —tile." },
  /* Found by fuzz-midjourney-prompt: "--no a, --, b" reads back as an
   * unknown parameter "--,". */
  { "{\"no\": \"a, --, b\"}", "The value of --no contains another parameter, --." },
  { "{\"no\": [\"a\", \"—\"]}", "contains another parameter, —." },
  { "{\"no\": \"{cats, dogs}\"}", "permutations in braces can only be written in the prompt text" },
  { "{\"cref\": \"ftp://example.org/a.png\"}", "--cref ftp://example.org/a.png is not allowed: use an http:// or https:// address." },
  { "{\"cref\": \"https:///a.png\"}", "--cref https:///a.png" },
  { "{\"cref\": \"https://example.org/<a>.png\"}", "use an http:// or https:// address" },
  { "{\"oref\": [\"https://example.org/1.png\", \"https://example.org/2.png\"]}", "--oref takes at most 1 web address." },
  { "{\"sref\": \"abc\"}", "--sref abc is not allowed: use image addresses, style codes or “random”." },
  { "{\"sref\": \"::2\"}", "--sref ::2" },
  { "{\"personalize\": \"bad!code\"}", "--personalize bad!code is not allowed: use codes of letters and digits." },
  { "{\"personalize\": 5}", "--personalize must be text" },
  { "{\"style\": \"raw cute\"}", "--style raw cute is not allowed: use a single word." },
  { "{\"style\": \"\"}", "use a single word" },
  { "{\"style\": [\"raw\"]}", "--style must be text" },
};

static void
test_validate_invalid (gconstpointer data)
{
  const InvalidCase *tc = data;
  g_autoptr(JsonObject) params = object_from_json (tc->json);
  g_autoptr(GError) error = NULL;

  g_assert_false (easel_midjourney_params_validate (params, &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  if (strstr (error->message, tc->message) == NULL)
    g_error ("message “%s” lacks “%s”", error->message, tc->message);
}

static void
test_validate_invalid_utf8 (void)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) params2 = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (params, "no", "caf\xe9");
  g_assert_false (easel_midjourney_params_validate (params, &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (error->message, ==, "The value of --no is not valid text.");
  g_clear_error (&error);

  json_object_set_string_member (params2, "ar\xff", "1:1");
  g_assert_false (easel_midjourney_params_validate (params2, &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* Building ------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *urls[3];
  const char *text;
  const char *params;    /* JSON, or NULL */
  const char *expected;
} BuildCase;

static const BuildCase build_cases[] = {
  { "providers-example", { "https://example.org/ref.png" }, "a lighthouse at dusk, oil painting",
    "{\"ar\": \"3:2\", \"version\": 7, \"stylize\": 250}",
    "https://example.org/ref.png a lighthouse at dusk, oil painting --ar 3:2 --version 7 --stylize 250" },
  { "stable-order", { NULL }, "a fox",
    "{\"tile\": true, \"seed\": 12, \"no\": \"cats\", \"chaos\": 5, \"ar\": \"1:1\", \"quality\": 0.5}",
    "a fox --ar 1:1 --quality 0.5 --chaos 5 --seed 12 --tile --no cats" },
  { "flatten-newlines", { NULL }, "  a fox\n\n  in the snow\r\n\tat night  ", NULL,
    "a fox in the snow at night" },
  { "no-list", { NULL }, "a garden", "{\"no\": [\"cats\", \"red  dogs \"]}",
    "a garden --no cats, red dogs" },
  { "no-string", { NULL }, "a garden", "{\"no\": \"cats,dogs,, \"}",
    "a garden --no cats, dogs" },
  { "numbers", { NULL }, "x",
    "{\"iw\": 1.5, \"seed\": 4294967295, \"stylize\": 250.0, \"version\": 6.1, \"quality\": 0.25}",
    "x --version 6.1 --quality 0.25 --stylize 250 --iw 1.5 --seed 4294967295" },
  { "choice-strings", { NULL }, "x", "{\"version\": \"7\", \"quality\": \"2\"}",
    "x --version 7 --quality 2" },
  { "flags", { NULL }, "x", "{\"tile\": false, \"relax\": true, \"stealth\": true, \"chaos\": null}",
    "x --relax --stealth" },
  { "personalize-flag", { NULL }, "x", "{\"personalize\": true}", "x --personalize" },
  { "personalize-codes", { NULL }, "x", "{\"personalize\": [\"abc\", \"def\"]}", "x --personalize abc def" },
  { "references", { NULL }, "x",
    "{\"version\": 6, \"sref\": \"https://a.example/s.png::2   random\", \"cref\": [\"https://a.example/c.png\"], \"cw\": 20}",
    "x --version 6 --sref https://a.example/s.png::2 random --cref https://a.example/c.png --cw 20" },
  { "video", { "https://example.org/start.png" }, "the sea",
    "{\"video\": true, \"motion\": \"High\", \"loop\": true, \"bs\": 2, \"raw\": true}",
    "https://example.org/start.png the sea --raw --video --motion high --loop --bs 2" },
  { "several-images", { "https://a.example/1.png", "http://b.example/2.jpg" }, "blend", NULL,
    "https://a.example/1.png http://b.example/2.jpg blend" },
  { "images-only", { "https://a.example/1.png" }, NULL, "{\"iw\": 2}",
    "https://a.example/1.png --iw 2" },
  { "same-param-in-text", { NULL }, "a fox --ar 16:9", "{\"ar\": \"16:9\"}", "a fox --ar 16:9" },
  { "other-param-in-text", { NULL }, "a fox --AR 16:9 --c 5", "{\"version\": 7}",
    "a fox --ar 16:9 --version 7 --chaos 5" },
  { "em-dash-in-text", { NULL }, "a fox —ar 2:3 —no cats", NULL, "a fox --ar 2:3 --no cats" },
  { "unknown-param-in-text", { NULL }, "a fox --hd --foo bar", "{\"chaos\": 5}",
    "a fox --hd --foo bar --chaos 5" },
  { "permutation-in-text", { NULL }, "a {red, blue} car --s {100, 500}", "{\"ar\": \"1:1\"}",
    "a {red, blue} car --s {100, 500} --ar 1:1" },
  { "image-in-text", { "https://a.example/1.png" }, "https://a.example/2.png a cat", NULL,
    "https://a.example/1.png https://a.example/2.png a cat" },
  { "lone-dashes", { NULL }, "a -- b — c", NULL, "a -- b — c" },
  { "unicode", { NULL }, "“Café” ☕ 𝄞", "{\"no\": \"naïve\"}", "“Café” ☕ 𝄞 --no naïve" },
};

static void
test_build (gconstpointer data)
{
  const BuildCase *tc = data;
  g_autoptr(JsonObject) params = tc->params ? object_from_json (tc->params) : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *again = NULL;
  g_auto(GStrv) urls = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) parsed = NULL;

  prompt = easel_midjourney_build_prompt (tc->urls[0] ? tc->urls : NULL, tc->text, params, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (prompt, ==, tc->expected);

  /* Reading it back and building again gives the same prompt. */
  g_assert_true (easel_midjourney_parse_prompt (prompt, &urls, &text, &parsed, &error));
  g_assert_no_error (error);
  again = easel_midjourney_build_prompt ((const char *const *) urls, text, parsed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, prompt);
}

typedef struct
{
  const char *name;
  const char *url;
  const char *text;
  const char *params;
  const char *message;
} BuildErrorCase;

static const BuildErrorCase build_error_cases[] = {
  { "conflict", NULL, "a fox --ar 16:9", "{\"ar\": \"1:1\"}",
    "The prompt text already has --ar with another value." },
  { "conflict-alias", NULL, "a fox --s 100", "{\"stylize\": 200}", "already has --stylize" },
  { "conflict-em-dash", NULL, "a fox —tile", "{\"tile\": false}", "already has --tile" },
  { "conflict-permutation", NULL, "a fox --ar {1:1, 2:3}", "{\"ar\": \"1:1\"}", "already has --ar" },
  { "invalid-in-text", NULL, "a fox --chaos 500", NULL, "--chaos 500 is out of range" },
  { "unreadable-in-text", NULL, "a fox --chaos lots", NULL, "--chaos needs a whole number, not “lots”." },
  { "twice-in-text", NULL, "a fox --ar 1:1 --aspect 2:3", NULL, "--ar is given twice." },
  { "mixed-in-text-and-params", NULL, "a fox --relax", "{\"turbo\": true}",
    "--relax and --turbo cannot be used together." },
  { "unknown-key", NULL, "a fox", "{\"v\": 7}", "Unknown Midjourney parameter “v”: use “version”." },
  { "empty", NULL, NULL, NULL, "The prompt is empty." },
  { "blank", NULL, " \n\t ", "{\"tile\": false}", "The prompt is empty." },
  { "bad-url-scheme", "ftp://example.org/a.png", "x", NULL,
    "The image prompt ftp://example.org/a.png is not an http:// or https:// address." },
  { "bad-url-space", "https://example.org/a b.png", "x", NULL, "is not an http:// or https:// address" },
  { "bad-url-no-host", "https://", "x", NULL, "is not an http:// or https:// address" },
  { "bad-url-utf8", "https://example.org/\xff.png", "x", NULL, "is not an http:// or https:// address" },
  { "fuzz-bare-dashes", NULL, "pe --no xt,--,ps", NULL, "contains another parameter, --." },
  { "text-not-utf8", NULL, "caf\xe9", NULL, "The prompt is not valid text." },
};

static void
test_build_error (gconstpointer data)
{
  const BuildErrorCase *tc = data;
  g_autoptr(JsonObject) params = tc->params ? object_from_json (tc->params) : NULL;
  const char *urls[] = { tc->url, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;

  prompt = easel_midjourney_build_prompt (urls, tc->text, params, &error);
  g_assert_null (prompt);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  if (strstr (error->message, tc->message) == NULL)
    g_error ("message “%s” lacks “%s”", error->message, tc->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_build_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JsonObject) params = object_from_json ("{\"ar\": \"1:1\"}");

  /* " --ar 1:1" is 9 characters: 4991 + 9 is exactly the limit. */
  for (guint i = 0; i < 4991; i++)
    g_string_append_c (text, 'a');
  prompt = easel_midjourney_build_prompt (NULL, text->str, params, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (prompt), ==, 5000);
  g_clear_pointer (&prompt, g_free);

  g_string_append_c (text, 'a');
  prompt = easel_midjourney_build_prompt (NULL, text->str, params, &error);
  g_assert_null (prompt);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_assert_nonnull (strstr (error->message, "5001"));
  g_assert_nonnull (strstr (error->message, "5000"));
  g_clear_error (&error);

  /* Characters outside the BMP count twice, as in JavaScript. */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 2495; i++)
    g_string_append (text, "𝄞");
  prompt = easel_midjourney_build_prompt (NULL, text->str, params, &error);
  g_assert_no_error (error);
  g_clear_pointer (&prompt, g_free);
  g_string_append (text, "𝄞");
  prompt = easel_midjourney_build_prompt (NULL, text->str, params, &error);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_assert_null (prompt);
  g_clear_error (&error);

  /* A megabyte of text fails cleanly. */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "word --x ");
  prompt = easel_midjourney_build_prompt (NULL, text->str, NULL, &error);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_assert_null (prompt);
}

/* Parsing -------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *prompt;
  const char *urls[3];
  const char *text;
  const char *params;
} ParseCase;

static const ParseCase parse_cases[] = {
  { "example", "https://x.example/y.png a fox --ar 16:9 --v 7 --s 250 --no cats, dogs",
    { "https://x.example/y.png" }, "a fox",
    "{\"ar\": \"16:9\", \"version\": 7.0, \"stylize\": 250, \"no\": [\"cats\", \"dogs\"]}" },
  { "em-dash", "a fox —ar 16:9 —v 6.1 —tile", { NULL }, "a fox",
    "{\"ar\": \"16:9\", \"version\": 6.1, \"tile\": true}" },
  { "unknown-kept", "a fox --hd --ar 2:3 --foo bar baz —upbeta", { NULL },
    "a fox --hd --foo bar baz —upbeta", "{\"ar\": \"2:3\"}" },
  { "permutation-kept", "a {red, blue} car --s {100, 500} --ar 1:1", { NULL },
    "a {red, blue} car --s {100, 500}", "{\"ar\": \"1:1\"}" },
  { "angle-brackets", "<https://a.example/1.png> <https://a.example/2.png> cat --cref <https://a.example/c.png>",
    { "https://a.example/1.png", "https://a.example/2.png" }, "cat",
    "{\"cref\": [\"https://a.example/c.png\"]}" },
  { "case", "X --AR 1:1 --Tile --MOTION High --video", { NULL }, "X",
    "{\"ar\": \"1:1\", \"tile\": true, \"motion\": \"high\", \"video\": true}" },
  { "newlines", "a\nfox\r\n\n--ar 1:1\n--c 20\n", { NULL }, "a fox", "{\"ar\": \"1:1\", \"chaos\": 20}" },
  { "aliases", "x --aspect 2:1 --c 1 --s 2 --w 3 --q 2 --r 4 --p", { NULL }, "x",
    "{\"ar\": \"2:1\", \"chaos\": 1, \"stylize\": 2, \"weird\": 3, \"quality\": 2.0, \"repeat\": 4, \"personalize\": true}" },
  { "personalize-codes", "x --p abc def", { NULL }, "x", "{\"personalize\": [\"abc\", \"def\"]}" },
  { "sref", "x --sref https://a.example/s.png::2 123 random --sw 50", { NULL }, "x",
    "{\"sref\": [\"https://a.example/s.png::2\", \"123\", \"random\"], \"sw\": 50}" },
  { "no-odd-commas", "x --no ,cats,, red  dogs ,", { NULL }, "x", "{\"no\": [\"cats\", \"red dogs\"]}" },
  { "numbers", "x --iw .5 --q .25 --niji 6", { NULL }, "x",
    "{\"iw\": 0.5, \"quality\": 0.25, \"niji\": 6.0}" },
  { "empty", "", { NULL }, "", "{}" },
  { "blank", " \n ", { NULL }, "", "{}" },
  { "only-params", "--ar 1:1", { NULL }, "", "{\"ar\": \"1:1\"}" },
  { "only-url", "https://a.example/1.png", { "https://a.example/1.png" }, "", "{}" },
  { "lone-dashes", "a -- b — c", { NULL }, "a -- b — c", "{}" },
  { "url-in-text", "a https://a.example/1.png b", { NULL }, "a https://a.example/1.png b", "{}" },
  /* Parsing does not validate: out-of-range values are read. */
  { "not-validated", "x --chaos 500 --seed -4", { NULL }, "x", "{\"chaos\": 500, \"seed\": -4}" },
  { "huge-seed", "x --seed 9223372036854775807", { NULL }, "x", "{\"seed\": 9223372036854775807}" },
};

static void
test_parse (gconstpointer data)
{
  const ParseCase *tc = data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) urls = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) params = NULL;
  guint n_urls = 0;

  g_assert_true (easel_midjourney_parse_prompt (tc->prompt, &urls, &text, &params, &error));
  g_assert_no_error (error);

  while (n_urls < G_N_ELEMENTS (tc->urls) && tc->urls[n_urls] != NULL)
    n_urls++;
  g_assert_cmpuint (g_strv_length (urls), ==, n_urls);
  for (guint i = 0; i < n_urls; i++)
    g_assert_cmpstr (urls[i], ==, tc->urls[i]);

  g_assert_cmpstr (text, ==, tc->text);
  assert_params_equal (params, tc->params);

  /* The outputs are optional. */
  g_assert_true (easel_midjourney_parse_prompt (tc->prompt, NULL, NULL, NULL, NULL));
}

typedef struct
{
  const char *name;
  const char *prompt;
  const char *message;
} ParseErrorCase;

static const ParseErrorCase parse_error_cases[] = {
  { "no-value", "x --ar", "--ar needs a value." },
  { "two-values", "x --ar 1:1 2:3", "--ar takes one value, not “1:1 2:3”." },
  { "text-after-params", "x --v 7 and then more", "--version needs a number, not “7 and then more”." },
  { "not-integer", "x --chaos abc", "--chaos needs a whole number, not “abc”." },
  { "fraction-for-integer", "x --s 2.5", "--stylize needs a whole number" },
  { "integer-overflow", "x --seed 99999999999999999999999", "--seed needs a whole number" },
  { "number-overflow", "x --iw 1e400", "--iw needs a number, not “1e400”." },
  { "not-a-number", "x --q high", "--quality needs a number" },
  { "hex", "x --q 0x1", "--quality needs a number" },
  { "nan", "x --iw nan", "--iw needs a number" },
  { "flag-with-value", "x --tile yes", "--tile takes no value, but “yes” follows it." },
  { "twice", "x --ar 1:1 --aspect 2:3", "--ar is given twice." },
  { "twice-em-dash", "x --tile —tile", "--tile is given twice." },
  { "twice-with-permutation", "x --ar {1:1, 2:1} --ar 3:2", "--ar is given twice." },
  { "empty-list", "x --no , ,", "--no needs a value." },
  { "invalid-utf8", "caf\xe9 --ar 1:1", "The prompt is not valid text." },
};

static void
test_parse_error (gconstpointer data)
{
  const ParseErrorCase *tc = data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) urls = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) params = NULL;

  g_assert_false (easel_midjourney_parse_prompt (tc->prompt, &urls, &text, &params, &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  if (strstr (error->message, tc->message) == NULL)
    g_error ("message “%s” lacks “%s”", error->message, tc->message);
  g_assert_null (urls);
  g_assert_null (text);
  g_assert_null (params);
}

/* Prompts as people paste them: parse, validate, build, parse again. */
static const char *const round_trips[] = {
  "https://example.org/ref.png a lighthouse at dusk, oil painting --ar 3:2 --v 7 --s 250",
  "a snow-buried log cabin at night, warm window glow, falling snow, cinematic --ar 3:2",
  "cute robot :: watercolor::2 --niji 6 --style raw --no text, watermark",
  "portrait --v 6 --cref https://a.example/me.png --cw 0 --sref random --sv 4",
  "<https://a.example/start.png> waves --video --motion high --loop --bs 1",
  "a {red, blue} car --s {100, 500} --chaos 10 --fast --repeat 2",
  "macro photo of moss —ar 4:5 —q 2 —v 7 —exp 20 —draft —seed 4294967295",
};

static void
test_round_trip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (round_trips); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) urls = NULL;
      g_auto(GStrv) urls2 = NULL;
      g_autofree char *text = NULL;
      g_autofree char *text2 = NULL;
      g_autoptr(JsonObject) params = NULL;
      g_autoptr(JsonObject) params2 = NULL;
      g_autofree char *built = NULL;
      g_autoptr(JsonNode) a = NULL;
      g_autoptr(JsonNode) b = NULL;

      g_test_message ("%s", round_trips[i]);
      g_assert_true (easel_midjourney_parse_prompt (round_trips[i], &urls, &text, &params, &error));
      g_assert_no_error (error);
      g_assert_true (easel_midjourney_params_validate (params, &error));
      g_assert_no_error (error);
      built = easel_midjourney_build_prompt ((const char *const *) urls, text, params, &error);
      g_assert_no_error (error);

      g_assert_true (easel_midjourney_parse_prompt (built, &urls2, &text2, &params2, &error));
      g_assert_no_error (error);
      g_assert_true (g_strv_equal ((const char *const *) urls, (const char *const *) urls2));
      g_assert_cmpstr (text, ==, text2);
      a = json_node_init_object (json_node_alloc (), params);
      b = json_node_init_object (json_node_alloc (), params2);
      g_assert_true (json_node_equal (a, b));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Easel/MidjourneyParams/table", test_table);
  g_test_add_func ("/Easel/MidjourneyParams/validate/ok", test_validate_ok);
  for (guint i = 0; i < G_N_ELEMENTS (invalid_params); i++)
    {
      g_autofree char *path = g_strdup_printf ("/Easel/MidjourneyParams/validate/invalid/%u", i);

      g_test_add_data_func (path, &invalid_params[i], test_validate_invalid);
    }
  g_test_add_func ("/Easel/MidjourneyParams/validate/invalid-utf8", test_validate_invalid_utf8);

  for (guint i = 0; i < G_N_ELEMENTS (build_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/Easel/MidjourneyParams/build/%s", build_cases[i].name);

      g_test_add_data_func (path, &build_cases[i], test_build);
    }
  for (guint i = 0; i < G_N_ELEMENTS (build_error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/Easel/MidjourneyParams/build/error/%s",
                                               build_error_cases[i].name);

      g_test_add_data_func (path, &build_error_cases[i], test_build_error);
    }
  g_test_add_func ("/Easel/MidjourneyParams/build/length", test_build_length);

  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/Easel/MidjourneyParams/parse/%s", parse_cases[i].name);

      g_test_add_data_func (path, &parse_cases[i], test_parse);
    }
  for (guint i = 0; i < G_N_ELEMENTS (parse_error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/Easel/MidjourneyParams/parse/error/%s",
                                               parse_error_cases[i].name);

      g_test_add_data_func (path, &parse_error_cases[i], test_parse_error);
    }
  g_test_add_func ("/Easel/MidjourneyParams/round-trip", test_round_trip);

  return g_test_run ();
}
