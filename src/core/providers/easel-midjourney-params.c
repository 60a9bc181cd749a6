/* easel-midjourney-params.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Midjourney's prompt parameters (docs/providers.md §2): one table that
 * describes them, a validator for a JSON object of values, and a builder
 * and a parser of the prompt text UseAPI forwards to Discord.
 *
 * A prompt is `[image URLs] text [--parameters]`. The parser reads the
 * parameters it knows into JSON and leaves everything else in the text
 * exactly as written: unknown parameters (newer than this table, or
 * deprecated ones) and known ones whose value holds a permutation
 * (`--ar {1:1, 16:9}`), which expands into several jobs and has no single
 * value. Building parses the text the same way, so a parameter typed into
 * the text and the same one set in the editor are caught as a conflict.
 * parse → build → parse gives the same result again; the fuzzer checks it.
 *
 * The documented facts come from docs.midjourney.com for V6.x and before.
 * Everything marked UNCONFIRMED below (V7 details, V8, V8.1, Niji 7) comes
 * from third-party pages only, so the checks are permissive there: a
 * version whose existence is unconfirmed is accepted and not restricted
 * further, and where the documentation is silent the value is let through
 * for Midjourney to judge.
 */

#include "config.h"

#include "easel-midjourney-params.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "easel-error.h"
#include "easel-json.h"

#define MJ(v) EASEL_MIDJOURNEY_##v
#define V5_UP (MJ (V5) | MJ (V5_1) | MJ (V5_2) | V6_UP)
#define V6_UP (MJ (V6) | MJ (V6_1) | V7_UP)
#define V7_UP (MJ (V7) | MJ (V8) | MJ (V8_1))
#define NIJI5_UP (MJ (NIJI5) | NIJI6_UP)
#define NIJI6_UP (MJ (NIJI6) | MJ (NIJI7))
/* UNCONFIRMED: reported by third parties only (providers.md §2, §7.10).
 * Nothing is refused for these versions. */
#define UNCONFIRMED_VERSIONS (MJ (V8) | MJ (V8_1) | MJ (NIJI7))

#define EM_DASH "\xe2\x80\x94"

static const double version_choices[] = { 1, 2, 3, 4, 5, 5.1, 5.2, 6, 6.1, 7, 8, 8.1 };
static const double niji_choices[] = { 4, 5, 6, 7 };
static const double quality_choices[] = { 0.25, 0.5, 1, 2, 4 };
static const double batch_choices[] = { 1, 2, 4 };
static const char *const motion_words[] = { "low", "high", NULL };

/* The order of this table is the order of the parameters in a built prompt. */
static const EaselMidjourneyParam params_table[] = {
  { .name = "ar", .aliases = { "aspect" }, .kind = EASEL_MIDJOURNEY_PARAM_RATIO,
    .default_value = "1:1",
    .help = N_("Aspect ratio as width:height in whole numbers, such as 16:9") },
  /* UNCONFIRMED: 8 and 8.1 (third party, "default as of June 2026"). */
  { .name = "version", .aliases = { "v" }, .kind = EASEL_MIDJOURNEY_PARAM_CHOICE,
    .choices = version_choices, .n_choices = G_N_ELEMENTS (version_choices),
    .help = N_("Model version; without it the account’s setting applies") },
  /* UNCONFIRMED: Niji 7 (third party, January 2026). */
  { .name = "niji", .kind = EASEL_MIDJOURNEY_PARAM_CHOICE,
    .choices = niji_choices, .n_choices = G_N_ELEMENTS (niji_choices),
    .help = N_("Niji model version, for anime and illustration") },
  /* The values allowed depend on the version, see quality_rules. */
  { .name = "quality", .aliases = { "q" }, .kind = EASEL_MIDJOURNEY_PARAM_CHOICE,
    .choices = quality_choices, .n_choices = G_N_ELEMENTS (quality_choices),
    .default_value = "1",
    .help = N_("GPU time spent on the initial grid; the values allowed depend on the version") },
  { .name = "chaos", .aliases = { "c" }, .kind = EASEL_MIDJOURNEY_PARAM_INTEGER,
    .minimum = 0, .maximum = 100, .default_value = "0",
    .help = N_("How different the images of the grid are from each other") },
  /* V3 used a much larger scale; the V7 scale reportedly differs from V6
   * (UNCONFIRMED), so only the documented 0–1000 is checked. */
  { .name = "stylize", .aliases = { "s" }, .kind = EASEL_MIDJOURNEY_PARAM_INTEGER,
    .minimum = 0, .maximum = 1000, .default_value = "100",
    .help = N_("How strongly Midjourney’s own aesthetic is applied") },
  /* The V5.2/Niji 5 chart shows 0–1000; the current range is 0–3000. */
  { .name = "weird", .aliases = { "w" }, .kind = EASEL_MIDJOURNEY_PARAM_INTEGER,
    .minimum = 0, .maximum = 3000, .default_value = "0",
    .versions = V5_UP | NIJI5_UP,
    .help = N_("How unconventional the images are") },
  /* UNCONFIRMED: V7 only, from a third party. */
  { .name = "exp", .kind = EASEL_MIDJOURNEY_PARAM_INTEGER,
    .minimum = 0, .maximum = 100, .default_value = "0", .versions = V7_UP,
    .help = N_("Experimental aesthetics: more detail and dynamism (V7)") },
  /* raw from V5.1, V4 4a/4b/4c, Niji 5 cute/expressive/original/scenic,
   * and style-tuner codes: any single word is let through. */
  { .name = "style", .kind = EASEL_MIDJOURNEY_PARAM_WORD,
    .versions = MJ (V4) | MJ (V5_1) | MJ (V5_2) | V6_UP | NIJI5_UP,
    .help = N_("A style such as “raw”, or a style-tuner code") },
  /* UNCONFIRMED: V7 shorthand, from a third party; also a video parameter. */
  { .name = "raw", .kind = EASEL_MIDJOURNEY_PARAM_FLAG, .versions = V7_UP,
    .help = N_("Less automatic beautification, closer to the prompt") },
  /* UNCONFIRMED: V7 only, from a third party. */
  { .name = "draft", .kind = EASEL_MIDJOURNEY_PARAM_FLAG, .versions = V7_UP,
    .help = N_("Draft mode: about ten times faster at half the GPU cost, lower quality (V7)") },
  /* Documented for V6, V6.1 and Niji 6; later versions UNCONFIRMED. */
  { .name = "personalize", .aliases = { "p" }, .kind = EASEL_MIDJOURNEY_PARAM_CODES,
    .versions = V6_UP | NIJI6_UP,
    .help = N_("Apply your personalization profile, or the profile and moodboard codes given") },
  /* The range depends on the version, see range_rules. */
  { .name = "iw", .kind = EASEL_MIDJOURNEY_PARAM_NUMBER,
    .minimum = 0, .maximum = 3, .default_value = "1",
    .help = N_("Weight of the image prompts against the text") },
  { .name = "sref", .kind = EASEL_MIDJOURNEY_PARAM_REFERENCES, .minimum = 1,
    .versions = V6_UP | NIJI6_UP,
    .help = N_("Style references: image addresses, style codes or “random”") },
  { .name = "sw", .kind = EASEL_MIDJOURNEY_PARAM_INTEGER,
    .minimum = 0, .maximum = 1000, .default_value = "100",
    .versions = V6_UP | NIJI6_UP,
    .help = N_("Weight of the style references") },
  /* V6: 1–4; V7: 1–6 per a third party (UNCONFIRMED), see range_rules. */
  { .name = "sv", .kind = EASEL_MIDJOURNEY_PARAM_INTEGER,
    .minimum = 1, .maximum = 6, .default_value = "4",
    .versions = V6_UP | NIJI6_UP,
    .help = N_("Version of the style-reference algorithm") },
  { .name = "cref", .kind = EASEL_MIDJOURNEY_PARAM_URLS, .minimum = 1,
    .versions = MJ (V6) | MJ (V6_1) | MJ (NIJI6),
    .help = N_("Character references: addresses of images of a character (V6 only)") },
  { .name = "cw", .kind = EASEL_MIDJOURNEY_PARAM_INTEGER,
    .minimum = 0, .maximum = 100, .default_value = "100",
    .versions = MJ (V6) | MJ (V6_1) | MJ (NIJI6), .requires = "cref",
    .help = N_("Character weight: 0 keeps only the face, 100 also hair and clothes") },
  /* UNCONFIRMED: from third parties; V7 only. */
  { .name = "oref", .kind = EASEL_MIDJOURNEY_PARAM_URLS, .minimum = 1, .maximum = 1,
    .versions = V7_UP,
    .help = N_("Omni-reference: the address of an image of a person or object to include (V7, doubles the GPU cost)") },
  { .name = "ow", .kind = EASEL_MIDJOURNEY_PARAM_INTEGER,
    .minimum = 1, .maximum = 1000, .default_value = "100",
    .versions = V7_UP, .requires = "oref",
    .help = N_("Weight of the omni-reference") },
  { .name = "seed", .kind = EASEL_MIDJOURNEY_PARAM_INTEGER,
    .minimum = 0, .maximum = 4294967295.0,
    .help = N_("Starting point of the generation: the same seed and prompt give nearly the same images") },
  /* V7 support UNCONFIRMED (listed by one third party): not refused. */
  { .name = "stop", .kind = EASEL_MIDJOURNEY_PARAM_INTEGER,
    .minimum = 10, .maximum = 100, .default_value = "100",
    .help = N_("Stop generating at this percentage, for softer, less detailed images") },
  /* Officially V1–V3, 5.x and 6; V7 per a third party; Niji not documented. */
  { .name = "tile", .kind = EASEL_MIDJOURNEY_PARAM_FLAG,
    .versions = MJ (V1) | MJ (V2) | MJ (V3) | V5_UP | MJ (NIJI4) | NIJI5_UP,
    .help = N_("Make images that repeat seamlessly as tiles") },
  /* The upper bound depends on the plan (Basic 4, Standard 10, Pro and
   * Mega 40), which Easel does not know: only the highest is checked. */
  { .name = "repeat", .aliases = { "r" }, .kind = EASEL_MIDJOURNEY_PARAM_INTEGER,
    .minimum = 2, .maximum = 40,
    .help = N_("Run the prompt several times, each run a separate job (Fast and Turbo only)") },
  { .name = "no", .kind = EASEL_MIDJOURNEY_PARAM_TEXT, .minimum = 1,
    .help = N_("Things to leave out of the image, separated by commas") },
  /* Before 2025 this asked for a video of the grid being made; UseAPI v3
   * uses it to ask for an image-to-video job. */
  { .name = "video", .kind = EASEL_MIDJOURNEY_PARAM_FLAG,
    .help = N_("Make a short video from the first image") },
  { .name = "motion", .kind = EASEL_MIDJOURNEY_PARAM_ENUM, .words = motion_words,
    .default_value = "low", .requires = "video",
    .help = N_("How much the video moves") },
  { .name = "loop", .kind = EASEL_MIDJOURNEY_PARAM_FLAG, .requires = "video",
    .help = N_("End the video on its first frame") },
  { .name = "end", .kind = EASEL_MIDJOURNEY_PARAM_URLS, .minimum = 1, .maximum = 1,
    .requires = "video",
    .help = N_("The address of an image for the last frame of the video") },
  /* UNCONFIRMED: the values 1, 2 and 4 come from a third party. */
  { .name = "bs", .kind = EASEL_MIDJOURNEY_PARAM_CHOICE,
    .choices = batch_choices, .n_choices = G_N_ELEMENTS (batch_choices),
    .requires = "video",
    .help = N_("How many videos to make; the cost grows with it") },
  { .name = "relax", .kind = EASEL_MIDJOURNEY_PARAM_FLAG,
    .help = N_("Run this job in Relax mode (Standard plan and up)") },
  { .name = "fast", .kind = EASEL_MIDJOURNEY_PARAM_FLAG,
    .help = N_("Run this job in Fast mode") },
  { .name = "turbo", .kind = EASEL_MIDJOURNEY_PARAM_FLAG,
    .help = N_("Run this job in Turbo mode, faster at twice the cost") },
  { .name = "stealth", .kind = EASEL_MIDJOURNEY_PARAM_FLAG,
    .help = N_("Keep the images off the public gallery (Pro and Mega plans)") },
  { .name = "public", .kind = EASEL_MIDJOURNEY_PARAM_FLAG,
    .help = N_("Show the images in the public gallery") },
};

static const struct {
  const char *param;
  double      value;
  guint       version;
  const char *label;
} versions[] = {
  { "version", 1, MJ (V1), "--version 1" },
  { "version", 2, MJ (V2), "--version 2" },
  { "version", 3, MJ (V3), "--version 3" },
  { "version", 4, MJ (V4), "--version 4" },
  { "version", 5, MJ (V5), "--version 5" },
  { "version", 5.1, MJ (V5_1), "--version 5.1" },
  { "version", 5.2, MJ (V5_2), "--version 5.2" },
  { "version", 6, MJ (V6), "--version 6" },
  { "version", 6.1, MJ (V6_1), "--version 6.1" },
  { "version", 7, MJ (V7), "--version 7" },
  { "version", 8, MJ (V8), "--version 8" },
  { "version", 8.1, MJ (V8_1), "--version 8.1" },
  { "niji", 4, MJ (NIJI4), "--niji 4" },
  { "niji", 5, MJ (NIJI5), "--niji 5" },
  { "niji", 6, MJ (NIJI6), "--niji 6" },
  { "niji", 7, MJ (NIJI7), "--niji 7" },
};

static const double quality_low[] = { 0.25, 0.5, 1 };
static const double quality_v6_1[] = { 0.25, 0.5, 1, 2 };
/* UNCONFIRMED: 1, 2 and 4 for V7 come from third parties. */
static const double quality_v7[] = { 1, 2, 4 };

/* The documented quality values per version; versions not listed here
 * take any value of the table. */
static const struct {
  guint         versions;
  const double *choices;
  guint         n_choices;
} quality_rules[] = {
  { MJ (V5_2) | MJ (V6) | MJ (NIJI5), quality_low, G_N_ELEMENTS (quality_low) },
  { MJ (V6_1), quality_v6_1, G_N_ELEMENTS (quality_v6_1) },
  { MJ (V7), quality_v7, G_N_ELEMENTS (quality_v7) },
};

/* Ranges narrower than the table's for some versions. */
static const struct {
  const char *param;
  guint       versions;
  double      minimum;
  double      maximum;
} range_rules[] = {
  { "iw", MJ (V4) | MJ (NIJI5) | MJ (NIJI6), 0, 2 },
  { "sv", MJ (V6) | MJ (V6_1), 1, 4 },
};

/* Parameters that cannot be given together. */
static const struct {
  const char *a;
  const char *b;
} exclusive[] = {
  { "version", "niji" },
  { "relax", "fast" },
  { "relax", "turbo" },
  { "fast", "turbo" },
  { "stealth", "public" },
  /* --repeat works in Fast and Turbo mode only. */
  { "repeat", "relax" },
};

/**
 * easel_midjourney_params_get_all:
 * @n_params: (out): return location for the number of parameters
 *
 * Returns: (array length=n_params) (transfer none): the documented
 *   parameters, in the order easel_midjourney_build_prompt() writes them
 */
const EaselMidjourneyParam *
easel_midjourney_params_get_all (guint *n_params)
{
  g_return_val_if_fail (n_params != NULL, NULL);

  *n_params = G_N_ELEMENTS (params_table);
  return params_table;
}

static const EaselMidjourneyParam *
lookup_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (params_table); i++)
    {
      if (g_str_equal (params_table[i].name, name))
        return &params_table[i];
    }

  return NULL;
}

/**
 * easel_midjourney_params_lookup:
 * @name: a parameter name or alias without the dashes, such as "chaos" or "c"
 *
 * Returns: (nullable) (transfer none): the parameter, or %NULL if @name is
 *   not a documented parameter
 */
const EaselMidjourneyParam *
easel_midjourney_params_lookup (const char *name)
{
  const EaselMidjourneyParam *param;

  g_return_val_if_fail (name != NULL, NULL);

  param = lookup_name (name);
  if (param != NULL)
    return param;

  for (guint i = 0; i < G_N_ELEMENTS (params_table); i++)
    {
      for (guint j = 0; j < G_N_ELEMENTS (params_table[i].aliases); j++)
        {
          if (g_strcmp0 (params_table[i].aliases[j], name) == 0)
            return &params_table[i];
        }
    }

  return NULL;
}

/* Words ---------------------------------------------------------------- */

/* Whether @word opens a parameter: "--" or an em dash (what macOS makes of
 * a typed "--") with something after it. */
static gboolean
starts_parameter (const char *word)
{
  if (g_str_has_prefix (word, "--"))
    return word[2] != '\0';
  if (g_str_has_prefix (word, EM_DASH))
    return word[strlen (EM_DASH)] != '\0';
  return FALSE;
}

static const char *
parameter_name (const char *word)
{
  g_assert (starts_parameter (word));

  return word + (word[0] == '-' ? 2 : strlen (EM_DASH));
}

/* Splits @text at runs of white space: this is also what flattens newlines. */
static GPtrArray *
split_words (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;
      for (start = p; *p != '\0' && !g_ascii_isspace (*p); p++)
        ;
      g_ptr_array_add (words, g_strndup (start, p - start));
    }

  return words;
}

static void
append_word (GString    *out,
             const char *word)
{
  if (out->len > 0)
    g_string_append_c (out, ' ');
  g_string_append (out, word);
}

static char *
join_words (char  **words,
            guint   n_words)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n_words; i++)
    append_word (out, words[i]);

  return g_string_free (out, FALSE);
}

/* "<https://…>", as Discord writes links, is the same address. */
static char *
strip_angle_brackets (const char *word)
{
  gsize len = strlen (word);

  if (len >= 2 && word[0] == '<' && word[len - 1] == '>')
    return g_strndup (word + 1, len - 2);
  return g_strdup (word);
}

static gboolean
looks_like_url (const char *word)
{
  return g_ascii_strncasecmp (word, "http://", 7) == 0 ||
         g_ascii_strncasecmp (word, "https://", 8) == 0;
}

static gboolean
is_url (const char *text)
{
  if (!looks_like_url (text))
    return FALSE;

  /* GUri lets through characters a prompt cannot carry, or that Discord
   * would take for markup. */
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || *p == 0x7f || strchr ("<>{}\"\\^`|", *p) != NULL)
        return FALSE;
    }

  return easel_json_is_http_url (text);
}

static gboolean
is_code (const char *word)
{
  if (word[0] == '\0')
    return FALSE;

  for (const char *p = word; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
        return FALSE;
    }

  return TRUE;
}

/* Numbers -------------------------------------------------------------- */

/* A number as people write them: "2", ".25", "6.1"; an exponent is read
 * too, since that is how very small numbers are written back. */
static gboolean
parse_number (const char *word,
              double     *out_value)
{
  char *end = NULL;

  if (strspn (word, "0123456789.eE+-") != strlen (word) ||
      strpbrk (word, "0123456789") == NULL)
    return FALSE;

  *out_value = g_ascii_strtod (word, &end);
  return end != NULL && *end == '\0' && isfinite (*out_value);
}

/* A value of %EASEL_MIDJOURNEY_PARAM_CHOICE: a number, or a string holding
 * one, since an editor offering the choices as a list has them as text. */
static gboolean
get_choice (JsonNode *node,
            double   *out_value)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return parse_number (json_node_get_string (node), out_value);
  return easel_json_node_get_number (node, out_value);
}

/* The shortest decimal that reads back as @value: plainly written where
 * 17 decimals are enough, with an exponent otherwise. */
static void
format_number (double  value,
               char   *buf)
{
  static const char conversions[] = { 'f', 'g' };

  for (guint c = 0; c < G_N_ELEMENTS (conversions); c++)
    {
      if (conversions[c] == 'f' && fabs (value) >= 1e15)
        continue;

      for (guint precision = 0; precision <= 17; precision++)
        {
          char format[8];

          g_snprintf (format, sizeof format, "%%.%u%c", precision, conversions[c]);
          g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, format, value);
          if (g_ascii_strtod (buf, NULL) == value)
            return;
        }
    }

  g_ascii_dtostr (buf, G_ASCII_DTOSTR_BUF_SIZE, value);
}

static gboolean
has_choice (const double *choices,
            guint         n_choices,
            double        value)
{
  for (guint i = 0; i < n_choices; i++)
    {
      if (fabs (choices[i] - value) < 1e-9)
        return TRUE;
    }

  return FALSE;
}

static char *
format_choices (const double *choices,
                guint         n_choices)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n_choices; i++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      format_number (choices[i], buf);
      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, buf);
    }

  return g_string_free (out, FALSE);
}

static gboolean
parse_ratio (const char *text,
             guint32    *out_width,
             guint32    *out_height)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  guint64 width;
  guint64 height;

  if (g_strv_length (parts) != 2 ||
      strspn (parts[0], "0123456789") != strlen (parts[0]) ||
      strspn (parts[1], "0123456789") != strlen (parts[1]) ||
      !g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXUINT32, &width, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXUINT32, &height, NULL))
    return FALSE;

  *out_width = width;
  *out_height = height;
  return TRUE;
}

/* Values --------------------------------------------------------------- */

static gboolean
is_set (JsonObject *params,
        const char *name)
{
  JsonNode *node = json_object_get_member (params, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  return TRUE;
}

/* A value as it would appear in a prompt, for messages. */
static char *
describe_scalar (JsonNode *node)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double number;

  if (JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup ("[…]");
  if (JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup ("{…}");
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_STRING:
      return g_utf8_make_valid (json_node_get_string (node), -1);
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      if (!easel_json_node_get_number (node, &number))
        return g_strdup ("?");
      format_number (number, buf);
      return g_strdup (buf);
    }
}

static char *
describe_value (JsonNode *node)
{
  JsonArray *array;
  GString *out;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return describe_scalar (node);

  array = json_node_get_array (node);
  out = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *item = describe_scalar (json_array_get_element (array, i));

      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, item);
    }

  return g_string_free (out, FALSE);
}

static gboolean
fail_value (GError                     **error,
            const EaselMidjourneyParam  *param,
            JsonNode                    *node)
{
  g_autofree char *value = describe_value (node);

  switch (param->kind)
    {
    case EASEL_MIDJOURNEY_PARAM_FLAG:
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   _("--%s is a switch: its value must be true or false, not %s."),
                   param->name, value);
      break;
    case EASEL_MIDJOURNEY_PARAM_INTEGER:
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   _("--%s must be a whole number, not %s."), param->name, value);
      break;
    case EASEL_MIDJOURNEY_PARAM_NUMBER:
    case EASEL_MIDJOURNEY_PARAM_CHOICE:
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   _("--%s must be a number, not %s."), param->name, value);
      break;
    case EASEL_MIDJOURNEY_PARAM_ENUM:
    case EASEL_MIDJOURNEY_PARAM_WORD:
    case EASEL_MIDJOURNEY_PARAM_TEXT:
    case EASEL_MIDJOURNEY_PARAM_RATIO:
    case EASEL_MIDJOURNEY_PARAM_URLS:
    case EASEL_MIDJOURNEY_PARAM_REFERENCES:
    case EASEL_MIDJOURNEY_PARAM_CODES:
    default:
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   _("--%s must be text, not %s."), param->name, value);
      break;
    }

  return FALSE;
}

static gboolean
fail_range (GError                     **error,
            const EaselMidjourneyParam  *param,
            const char                  *version_label,
            JsonNode                    *node,
            double                       minimum,
            double                       maximum)
{
  g_autofree char *value_buf = describe_value (node);
  char min_buf[G_ASCII_DTOSTR_BUF_SIZE];
  char max_buf[G_ASCII_DTOSTR_BUF_SIZE];

  format_number (minimum, min_buf);
  format_number (maximum, max_buf);

  if (version_label != NULL)
    g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                 /* Translators: the second %s is a version, such as “--version 6.1” */
                 _("--%s %s is not allowed with %s: use a number from %s to %s."),
                 param->name, value_buf, version_label, min_buf, max_buf);
  else if (param->kind == EASEL_MIDJOURNEY_PARAM_INTEGER)
    g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                 _("--%s %s is out of range: use a whole number from %s to %s."),
                 param->name, value_buf, min_buf, max_buf);
  else
    g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                 _("--%s %s is out of range: use a number from %s to %s."),
                 param->name, value_buf, min_buf, max_buf);

  return FALSE;
}

static gboolean
fail_choice (GError                     **error,
             const EaselMidjourneyParam  *param,
             const char                  *version_label,
             JsonNode                    *node,
             const double                *choices,
             guint                        n_choices)
{
  g_autofree char *allowed = format_choices (choices, n_choices);
  g_autofree char *value_buf = describe_value (node);

  if (version_label != NULL)
    g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                 /* Translators: the second %s is a version, such as “--version 6.1” */
                 _("--%s %s is not allowed with %s: use one of %s."),
                 param->name, value_buf, version_label, allowed);
  else
    g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                 _("--%s %s is not allowed: use one of %s."),
                 param->name, value_buf, allowed);

  return FALSE;
}

/* Splits a value of one of the list kinds into its items: at commas for
 * free text, at white space otherwise; each item is trimmed, its inner
 * white space collapsed, and empty items are dropped. */
static GPtrArray *
get_items (const EaselMidjourneyParam  *param,
           JsonNode                    *node,
           GError                     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) strings = g_ptr_array_new ();

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (strings, json_array_get_element (array, i));
    }
  else
    g_ptr_array_add (strings, node);

  for (guint i = 0; i < strings->len; i++)
    {
      JsonNode *element = g_ptr_array_index (strings, i);
      const char *text;
      g_auto(GStrv) pieces = NULL;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          fail_value (error, param, node);
          return NULL;
        }

      text = json_node_get_string (element);
      if (!g_utf8_validate (text, -1, NULL))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("The value of --%s is not valid text."), param->name);
          return NULL;
        }

      if (param->kind == EASEL_MIDJOURNEY_PARAM_TEXT)
        pieces = g_strsplit (text, ",", -1);
      else
        pieces = g_strsplit_set (text, " \t\n\r\f\v", -1);

      for (guint j = 0; pieces[j] != NULL; j++)
        {
          g_autoptr(GPtrArray) words = split_words (pieces[j]);

          if (words->len > 0)
            g_ptr_array_add (items, join_words ((char **) words->pdata, words->len));
        }
    }

  return g_steal_pointer (&items);
}

static gboolean
check_item (const EaselMidjourneyParam  *param,
            const char                  *item,
            GError                     **error)
{
  g_autoptr(GPtrArray) words = split_words (item);
  g_autofree char *target = NULL;
  const char *weight;

  /* Anything the parser would read differently cannot be a value. */
  if (strchr (item, '{') != NULL || strchr (item, '}') != NULL)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   _("--%s %s is not allowed: permutations in braces can only be written in the prompt text."),
                   param->name, item);
      return FALSE;
    }
  /* Not even a bare "--": the "," that joins items would make "--," of it. */
  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      if (g_str_has_prefix (word, "--") || g_str_has_prefix (word, EM_DASH))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("The value of --%s contains another parameter, %s."),
                       param->name, word);
          return FALSE;
        }
    }

  switch (param->kind)
    {
    case EASEL_MIDJOURNEY_PARAM_URLS:
      if (!is_url (item))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("--%s %s is not allowed: use an http:// or https:// address."),
                       param->name, item);
          return FALSE;
        }
      return TRUE;

    case EASEL_MIDJOURNEY_PARAM_REFERENCES:
      /* An address or a code, maybe weighted: "URL::2". */
      weight = g_strrstr (item, "::");
      if (weight != NULL && weight[2] != '\0' &&
          strspn (weight + 2, "0123456789.") == strlen (weight + 2))
        target = g_strndup (item, weight - item);
      else
        target = g_strdup (item);

      if (!is_url (target) && !g_str_equal (target, "random") &&
          (target[0] == '\0' || strspn (target, "0123456789") != strlen (target)))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("--%s %s is not allowed: use image addresses, style codes or “random”."),
                       param->name, item);
          return FALSE;
        }
      return TRUE;

    case EASEL_MIDJOURNEY_PARAM_CODES:
      if (!is_code (item))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("--%s %s is not allowed: use codes of letters and digits."),
                       param->name, item);
          return FALSE;
        }
      return TRUE;

    case EASEL_MIDJOURNEY_PARAM_FLAG:
    case EASEL_MIDJOURNEY_PARAM_INTEGER:
    case EASEL_MIDJOURNEY_PARAM_NUMBER:
    case EASEL_MIDJOURNEY_PARAM_CHOICE:
    case EASEL_MIDJOURNEY_PARAM_ENUM:
    case EASEL_MIDJOURNEY_PARAM_WORD:
    case EASEL_MIDJOURNEY_PARAM_TEXT:
    case EASEL_MIDJOURNEY_PARAM_RATIO:
    default:
      return TRUE;
    }
}

static gboolean
check_list (const EaselMidjourneyParam  *param,
            JsonNode                    *node,
            GError                     **error)
{
  g_autoptr(GPtrArray) items = get_items (param, node, error);

  if (items == NULL)
    return FALSE;

  if (items->len == 0)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   _("--%s needs a value."), param->name);
      return FALSE;
    }
  if (param->maximum > 0 && items->len > param->maximum)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   ngettext ("--%s takes at most %u web address.",
                             "--%s takes at most %u web addresses.",
                             (gulong) param->maximum),
                   param->name, (guint) param->maximum);
      return FALSE;
    }

  for (guint i = 0; i < items->len; i++)
    {
      if (!check_item (param, g_ptr_array_index (items, i), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
check_value (const EaselMidjourneyParam  *param,
             JsonNode                    *node,
             GError                     **error)
{
  gboolean is_string = JSON_NODE_HOLDS_VALUE (node) &&
                       json_node_get_value_type (node) == G_TYPE_STRING;
  const char *text = is_string ? json_node_get_string (node) : NULL;
  guint32 width;
  guint32 height;
  double value;

  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   _("The value of --%s is not valid text."), param->name);
      return FALSE;
    }

  switch (param->kind)
    {
    case EASEL_MIDJOURNEY_PARAM_FLAG:
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return fail_value (error, param, node);
      return TRUE;

    case EASEL_MIDJOURNEY_PARAM_INTEGER:
      if (!easel_json_node_get_number (node, &value) || value != floor (value))
        return fail_value (error, param, node);
      if (value < param->minimum || value > param->maximum)
        return fail_range (error, param, NULL, node, param->minimum, param->maximum);
      return TRUE;

    case EASEL_MIDJOURNEY_PARAM_NUMBER:
      if (!easel_json_node_get_number (node, &value))
        return fail_value (error, param, node);
      if (value < param->minimum || value > param->maximum)
        return fail_range (error, param, NULL, node, param->minimum, param->maximum);
      return TRUE;

    case EASEL_MIDJOURNEY_PARAM_CHOICE:
      if (!get_choice (node, &value))
        return fail_value (error, param, node);
      if (!has_choice (param->choices, param->n_choices, value))
        return fail_choice (error, param, NULL, node, param->choices, param->n_choices);
      return TRUE;

    case EASEL_MIDJOURNEY_PARAM_ENUM:
      if (text == NULL)
        return fail_value (error, param, node);
      for (guint i = 0; param->words[i] != NULL; i++)
        {
          if (g_ascii_strcasecmp (text, param->words[i]) == 0)
            return TRUE;
        }
      {
        g_autofree char *allowed = g_strjoinv (", ", (char **) param->words);

        g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                     _("--%s %s is not allowed: use one of %s."), param->name, text, allowed);
      }
      return FALSE;

    case EASEL_MIDJOURNEY_PARAM_WORD:
      if (text == NULL)
        return fail_value (error, param, node);
      if (!is_code (text))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("--%s %s is not allowed: use a single word."), param->name, text);
          return FALSE;
        }
      return TRUE;

    case EASEL_MIDJOURNEY_PARAM_RATIO:
      if (text == NULL)
        return fail_value (error, param, node);
      if (!parse_ratio (text, &width, &height))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("--%s %s is not allowed: use two whole numbers above zero, width:height, such as 16:9."),
                       param->name, text);
          return FALSE;
        }
      return TRUE;

    case EASEL_MIDJOURNEY_PARAM_CODES:
      /* A bare --personalize uses the default profile. */
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        return TRUE;
      return check_list (param, node, error);

    case EASEL_MIDJOURNEY_PARAM_TEXT:
    case EASEL_MIDJOURNEY_PARAM_URLS:
    case EASEL_MIDJOURNEY_PARAM_REFERENCES:
    default:
      return check_list (param, node, error);
    }
}

/* The version the parameters ask for, 0 when they leave it to the
 * account's setting. */
static guint
find_version (JsonObject  *params,
              const char **out_label)
{
  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    {
      JsonNode *node = json_object_get_member (params, versions[i].param);
      double value;

      if (node != NULL && get_choice (node, &value) && fabs (value - versions[i].value) < 1e-9)
        {
          *out_label = versions[i].label;
          return versions[i].version;
        }
    }

  *out_label = NULL;
  return 0;
}

static gboolean
check_combinations (JsonObject  *params,
                    GError     **error)
{
  const char *label;
  guint version;
  double value;

  for (guint i = 0; i < G_N_ELEMENTS (exclusive); i++)
    {
      if (is_set (params, exclusive[i].a) && is_set (params, exclusive[i].b))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("--%s and --%s cannot be used together."),
                       exclusive[i].a, exclusive[i].b);
          return FALSE;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (params_table); i++)
    {
      const EaselMidjourneyParam *param = &params_table[i];

      if (param->requires != NULL && is_set (params, param->name) &&
          !is_set (params, param->requires))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("--%s only works together with --%s."), param->name, param->requires);
          return FALSE;
        }
    }

  /* The rest depends on a version that the parameters name; with the
   * account's default, or a version only third parties describe, anything
   * goes. */
  version = find_version (params, &label);
  if (version == 0 || (version & UNCONFIRMED_VERSIONS) != 0)
    goto quality_and_oref;

  for (guint i = 0; i < G_N_ELEMENTS (params_table); i++)
    {
      const EaselMidjourneyParam *param = &params_table[i];

      if (param->versions == 0 || (param->versions & version) != 0 ||
          !is_set (params, param->name))
        continue;
      /* --raw is also a video parameter, whatever the version. */
      if (g_str_equal (param->name, "raw") && is_set (params, "video"))
        continue;

      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   /* Translators: the second %s is a version, such as “--version 6.1” */
                   _("--%s is not available with %s."), param->name, label);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (range_rules); i++)
    {
      JsonNode *node = json_object_get_member (params, range_rules[i].param);

      if ((range_rules[i].versions & version) != 0 && node != NULL &&
          easel_json_node_get_number (node, &value) &&
          (value < range_rules[i].minimum || value > range_rules[i].maximum))
        return fail_range (error, lookup_name (range_rules[i].param), label, node,
                           range_rules[i].minimum, range_rules[i].maximum);
    }

  for (guint i = 0; i < G_N_ELEMENTS (quality_rules); i++)
    {
      JsonNode *node = json_object_get_member (params, "quality");

      if ((quality_rules[i].versions & version) != 0 && node != NULL &&
          get_choice (node, &value) &&
          !has_choice (quality_rules[i].choices, quality_rules[i].n_choices, value))
        return fail_choice (error, lookup_name ("quality"), label, node,
                            quality_rules[i].choices, quality_rules[i].n_choices);
    }

quality_and_oref:
  /* UNCONFIRMED (third party): --quality 4 is experimental and does not
   * work with --oref. */
  if (is_set (params, "oref") && json_object_get_member (params, "quality") != NULL &&
      get_choice (json_object_get_member (params, "quality"), &value) && value == 4)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   _("--%s and --%s cannot be used together."), "quality 4", "oref");
      return FALSE;
    }

  return TRUE;
}

/**
 * easel_midjourney_params_validate:
 * @params: parameter values keyed by long name without dashes, such as
 *   `{"chaos": 20, "ar": "16:9", "no": ["cats", "dogs"], "tile": true}`
 * @error: return location for a #GError
 *
 * Checks each value against its documented kind and range, then the
 * combinations: versions a parameter works with, ranges and quality values
 * that depend on the version, parameters that need another one (the video
 * parameters need `video`) and ones that exclude each other. A JSON `null`
 * is the same as leaving the parameter out. Aliases such as "c" are not
 * accepted as keys.
 *
 * Returns: %TRUE if Midjourney should accept the values; %FALSE with
 *   %EASEL_ERROR_INVALID_PARAMETER and a translated message naming the
 *   parameter, the value and what is allowed
 */
gboolean
easel_midjourney_params_validate (JsonObject  *params,
                                  GError     **error)
{
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  members = json_object_get_members (params);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      const EaselMidjourneyParam *param = easel_midjourney_params_lookup (key);

      if (param != NULL && !g_str_equal (param->name, key))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("Unknown Midjourney parameter “%s”: use “%s”."), key, param->name);
          return FALSE;
        }
      if (param == NULL)
        {
          g_autofree char *valid_key = g_utf8_make_valid (key, -1);

          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("Unknown Midjourney parameter “%s”."), valid_key);
          return FALSE;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (params_table); i++)
    {
      JsonNode *node = json_object_get_member (params, params_table[i].name);

      if (node != NULL && !JSON_NODE_HOLDS_NULL (node) &&
          !check_value (&params_table[i], node, error))
        return FALSE;
    }

  return check_combinations (params, error);
}

/* Parsing -------------------------------------------------------------- */

typedef struct
{
  GPtrArray  *urls;
  GPtrArray  *text;       /* words */
  JsonObject *params;
  GHashTable *verbatim;   /* names of known parameters left in the text */
} Prompt;

static void
prompt_clear (Prompt *prompt)
{
  g_clear_pointer (&prompt->urls, g_ptr_array_unref);
  g_clear_pointer (&prompt->text, g_ptr_array_unref);
  g_clear_pointer (&prompt->params, json_object_unref);
  g_clear_pointer (&prompt->verbatim, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Prompt, prompt_clear)

static gboolean
fail_words (GError                     **error,
            const EaselMidjourneyParam  *param,
            char                       **words,
            guint                        n_words)
{
  g_autofree char *value = join_words (words, n_words);

  if (param->kind == EASEL_MIDJOURNEY_PARAM_FLAG)
    g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                 _("--%s takes no value, but “%s” follows it."), param->name, value);
  else if (n_words == 0 ||
           param->kind == EASEL_MIDJOURNEY_PARAM_TEXT ||
           param->kind == EASEL_MIDJOURNEY_PARAM_URLS ||
           param->kind == EASEL_MIDJOURNEY_PARAM_REFERENCES ||
           param->kind == EASEL_MIDJOURNEY_PARAM_CODES)
    g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                 _("--%s needs a value."), param->name);
  else if (param->kind == EASEL_MIDJOURNEY_PARAM_INTEGER)
    g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                 _("--%s needs a whole number, not “%s”."), param->name, value);
  else if (param->kind == EASEL_MIDJOURNEY_PARAM_NUMBER ||
           param->kind == EASEL_MIDJOURNEY_PARAM_CHOICE)
    g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                 _("--%s needs a number, not “%s”."), param->name, value);
  else
    g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                 _("--%s takes one value, not “%s”."), param->name, value);

  return FALSE;
}

static JsonNode *
value_from_words (const EaselMidjourneyParam  *param,
                  char                       **words,
                  guint                        n_words,
                  GError                     **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GString) joined = NULL;
  g_autoptr(JsonArray) array = NULL;
  gint64 integer;
  double number;

  switch (param->kind)
    {
    case EASEL_MIDJOURNEY_PARAM_FLAG:
      if (n_words != 0)
        break;
      json_node_set_boolean (node, TRUE);
      return g_steal_pointer (&node);

    case EASEL_MIDJOURNEY_PARAM_INTEGER:
      if (n_words != 1 ||
          !g_ascii_string_to_signed (words[0], 10, G_MININT64, G_MAXINT64, &integer, NULL))
        break;
      json_node_set_int (node, integer);
      return g_steal_pointer (&node);

    case EASEL_MIDJOURNEY_PARAM_NUMBER:
    case EASEL_MIDJOURNEY_PARAM_CHOICE:
      /* Always a double, so that "--v 5" and "--v 5.0" read back alike. */
      if (n_words != 1 || !parse_number (words[0], &number))
        break;
      json_node_set_double (node, number);
      return g_steal_pointer (&node);

    case EASEL_MIDJOURNEY_PARAM_ENUM:
    case EASEL_MIDJOURNEY_PARAM_WORD:
    case EASEL_MIDJOURNEY_PARAM_RATIO:
      if (n_words != 1)
        break;
      if (param->kind == EASEL_MIDJOURNEY_PARAM_ENUM)
        {
          g_autofree char *word = g_ascii_strdown (words[0], -1);

          json_node_set_string (node, word);
        }
      else
        json_node_set_string (node, words[0]);
      return g_steal_pointer (&node);

    case EASEL_MIDJOURNEY_PARAM_CODES:
    case EASEL_MIDJOURNEY_PARAM_TEXT:
    case EASEL_MIDJOURNEY_PARAM_URLS:
    case EASEL_MIDJOURNEY_PARAM_REFERENCES:
    default:
      if (n_words == 0 && param->kind == EASEL_MIDJOURNEY_PARAM_CODES)
        {
          json_node_set_boolean (node, TRUE);
          return g_steal_pointer (&node);
        }

      /* The words make one string, which splits into items the same way
       * as a string given to the validator. */
      joined = g_string_new (NULL);
      for (guint i = 0; i < n_words; i++)
        {
          g_autofree char *word = strip_angle_brackets (words[i]);

          append_word (joined, param->kind == EASEL_MIDJOURNEY_PARAM_TEXT ? words[i] : word);
        }
      json_node_set_string (node, joined->str);
      items = get_items (param, node, error);
      if (items == NULL)
        return NULL;
      if (items->len == 0)
        break;

      /* A new node: json-glib 1.6 cannot turn a value node into an array
       * node (json_node_init() leaves the old value pointer behind). */
      array = json_array_sized_new (items->len);
      for (guint i = 0; i < items->len; i++)
        json_array_add_string_element (array, g_ptr_array_index (items, i));
      return json_node_init_array (json_node_alloc (), array);
    }

  fail_words (error, param, words, n_words);
  return NULL;
}

static gboolean
parse_prompt (const char  *prompt,
              Prompt      *out,
              GError     **error)
{
  g_autoptr(GPtrArray) words = NULL;
  guint i;

  if (!g_utf8_validate (prompt, -1, NULL))
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                           _("The prompt is not valid text."));
      return FALSE;
    }

  out->urls = g_ptr_array_new_with_free_func (g_free);
  out->text = g_ptr_array_new_with_free_func (g_free);
  out->params = json_object_new ();
  out->verbatim = g_hash_table_new (g_str_hash, g_str_equal);

  words = split_words (prompt);

  /* Image prompts come first; a link later on is part of the text. */
  for (i = 0; i < words->len; i++)
    {
      g_autofree char *url = strip_angle_brackets (g_ptr_array_index (words, i));

      if (!looks_like_url (url))
        break;
      g_ptr_array_add (out->urls, g_steal_pointer (&url));
    }

  while (i < words->len)
    {
      const char *word = g_ptr_array_index (words, i);
      const EaselMidjourneyParam *param;
      g_autofree char *name = NULL;
      gboolean verbatim = FALSE;
      guint end;

      if (!starts_parameter (word))
        {
          g_ptr_array_add (out->text, g_strdup (word));
          i++;
          continue;
        }

      /* A parameter's value is every word up to the next parameter. */
      for (end = i + 1; end < words->len && !starts_parameter (g_ptr_array_index (words, end)); end++)
        ;

      name = g_ascii_strdown (parameter_name (word), -1);
      param = easel_midjourney_params_lookup (name);

      for (guint j = i; j < end; j++)
        {
          const char *w = g_ptr_array_index (words, j);

          if (strchr (w, '{') != NULL || strchr (w, '}') != NULL)
            verbatim = TRUE;
        }

      if (param != NULL &&
          (json_object_has_member (out->params, param->name) ||
           g_hash_table_contains (out->verbatim, param->name)))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("--%s is given twice."), param->name);
          return FALSE;
        }

      if (param == NULL || verbatim)
        {
          /* See the design note: kept as written, em dash and all. */
          if (param != NULL)
            g_hash_table_add (out->verbatim, (gpointer) param->name);
          for (guint j = i; j < end; j++)
            g_ptr_array_add (out->text, g_strdup (g_ptr_array_index (words, j)));
        }
      else
        {
          JsonNode *value = value_from_words (param, (char **) words->pdata + i + 1,
                                              end - i - 1, error);

          if (value == NULL)
            return FALSE;
          json_object_set_member (out->params, param->name, value);
        }

      i = end;
    }

  return TRUE;
}

/**
 * easel_midjourney_parse_prompt:
 * @prompt: a prompt as written for Midjourney, such as
 *   "https://example.org/a.png a fox --ar 16:9 --v 7 --no cats, dogs"
 * @out_image_urls: (out) (optional) (transfer full) (array zero-terminated=1):
 *   return location for the image prompts, the links at the start
 * @out_text: (out) (optional) (transfer full): return location for the text,
 *   with white space collapsed and unknown parameters kept as written
 * @out_params: (out) (optional) (transfer full): return location for the
 *   known parameters, keyed by long name, in the forms the
 *   #EaselMidjourneyParamKind documents (lists as arrays, numbers of
 *   %EASEL_MIDJOURNEY_PARAM_NUMBER and %EASEL_MIDJOURNEY_PARAM_CHOICE as
 *   doubles)
 * @error: return location for a #GError
 *
 * Splits a pasted prompt into its parts. An em dash counts as "--".
 * Parameters are read, not validated: see easel_midjourney_params_validate().
 *
 * Returns: %TRUE on success; %FALSE with %EASEL_ERROR_INVALID_PARAMETER
 *   when a known parameter is given twice or its value cannot be read
 */
gboolean
easel_midjourney_parse_prompt (const char   *prompt,
                               char       ***out_image_urls,
                               char        **out_text,
                               JsonObject  **out_params,
                               GError      **error)
{
  g_auto(Prompt) parsed = { NULL, };

  g_return_val_if_fail (prompt != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!parse_prompt (prompt, &parsed, error))
    return FALSE;

  if (out_image_urls != NULL)
    {
      g_ptr_array_add (parsed.urls, NULL);
      *out_image_urls = (char **) g_ptr_array_free (g_steal_pointer (&parsed.urls), FALSE);
    }
  if (out_text != NULL)
    *out_text = join_words ((char **) parsed.text->pdata, parsed.text->len);
  if (out_params != NULL)
    *out_params = g_steal_pointer (&parsed.params);

  return TRUE;
}

/* Building ------------------------------------------------------------- */

static void
append_param (GString                    *out,
              const EaselMidjourneyParam *param,
              JsonNode                   *node)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *joined = NULL;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double value = 0;

  append_word (out, "--");
  g_string_append (out, param->name);

  switch (param->kind)
    {
    case EASEL_MIDJOURNEY_PARAM_FLAG:
      return;

    case EASEL_MIDJOURNEY_PARAM_INTEGER:
      easel_json_node_get_number (node, &value);
      g_string_append_printf (out, " %" G_GINT64_FORMAT, (gint64) value);
      return;

    case EASEL_MIDJOURNEY_PARAM_NUMBER:
    case EASEL_MIDJOURNEY_PARAM_CHOICE:
      get_choice (node, &value);
      format_number (value, buf);
      append_word (out, buf);
      return;

    case EASEL_MIDJOURNEY_PARAM_ENUM:
      joined = g_ascii_strdown (json_node_get_string (node), -1);
      append_word (out, joined);
      return;

    case EASEL_MIDJOURNEY_PARAM_WORD:
    case EASEL_MIDJOURNEY_PARAM_RATIO:
      append_word (out, json_node_get_string (node));
      return;

    case EASEL_MIDJOURNEY_PARAM_CODES:
    case EASEL_MIDJOURNEY_PARAM_TEXT:
    case EASEL_MIDJOURNEY_PARAM_URLS:
    case EASEL_MIDJOURNEY_PARAM_REFERENCES:
    default:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        return;
      /* Validated already, so this cannot fail. */
      items = get_items (param, node, NULL);
      g_ptr_array_add (items, NULL);
      joined = g_strjoinv (param->kind == EASEL_MIDJOURNEY_PARAM_TEXT ? ", " : " ",
                           (char **) items->pdata);
      append_word (out, joined);
      return;
    }
}

/* UseAPI counts like JavaScript's String.length, in UTF-16 code units
 * (UNCONFIRMED, but the larger of the plausible counts). */
static gsize
prompt_length (const char *prompt)
{
  gsize length = 0;

  for (const char *p = prompt; *p != '\0'; p = g_utf8_next_char (p))
    length += g_utf8_get_char (p) > 0xffff ? 2 : 1;

  return length;
}

/**
 * easel_midjourney_build_prompt:
 * @image_urls: (nullable) (array zero-terminated=1): http(s) addresses of
 *   image prompts
 * @text: (nullable): the prompt text; white space, newlines included, is
 *   collapsed to single spaces
 * @params: (nullable): parameter values, as for
 *   easel_midjourney_params_validate()
 * @error: return location for a #GError
 *
 * Writes the prompt UseAPI sends to Midjourney: the image addresses, the
 * text, then the parameters in the order of
 * easel_midjourney_params_get_all(), such as
 * "https://example.org/a.png a fox --ar 16:9 --version 7 --no cats, dogs".
 *
 * Parameters already written in @text are kept and validated with
 * @params; the same parameter in both is an error unless the values are
 * the same.
 *
 * Returns: (transfer full): the prompt, or %NULL with
 *   %EASEL_ERROR_INVALID_PARAMETER when an address or parameter is invalid,
 *   a parameter conflicts with @text, the prompt is empty, or it is longer
 *   than %EASEL_MIDJOURNEY_PROMPT_MAX_LENGTH
 */
char *
easel_midjourney_build_prompt (const char *const  *image_urls,
                               const char         *text,
                               JsonObject         *params,
                               GError            **error)
{
  g_auto(Prompt) parsed = { NULL, };
  g_autoptr(JsonObject) merged = json_object_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GList) members = NULL;
  gsize length;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; image_urls != NULL && image_urls[i] != NULL; i++)
    {
      if (!g_utf8_validate (image_urls[i], -1, NULL) || !is_url (image_urls[i]))
        {
          g_autofree char *url = g_utf8_make_valid (image_urls[i], -1);

          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("The image prompt %s is not an http:// or https:// address."), url);
          return NULL;
        }
    }

  if (!parse_prompt (text != NULL ? text : "", &parsed, error))
    return NULL;

  if (params != NULL)
    members = json_object_get_members (params);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (params, key);
      JsonNode *in_text = json_object_get_member (parsed.params, key);

      if (JSON_NODE_HOLDS_NULL (node))
        continue;

      if (g_hash_table_contains (parsed.verbatim, key) ||
          (in_text != NULL && !json_node_equal (in_text, node)))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("The prompt text already has --%s with another value."), key);
          return NULL;
        }
      json_object_set_member (merged, key, json_node_copy (node));
    }

  g_list_free (g_steal_pointer (&members));
  members = json_object_get_members (parsed.params);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (!json_object_has_member (merged, l->data))
        json_object_set_member (merged, l->data,
                                json_node_copy (json_object_get_member (parsed.params, l->data)));
    }

  if (!easel_midjourney_params_validate (merged, error))
    return NULL;

  for (guint i = 0; image_urls != NULL && image_urls[i] != NULL; i++)
    append_word (out, image_urls[i]);
  for (guint i = 0; i < parsed.urls->len; i++)
    append_word (out, g_ptr_array_index (parsed.urls, i));
  for (guint i = 0; i < parsed.text->len; i++)
    append_word (out, g_ptr_array_index (parsed.text, i));

  for (guint i = 0; i < G_N_ELEMENTS (params_table); i++)
    {
      if (is_set (merged, params_table[i].name))
        append_param (out, &params_table[i], json_object_get_member (merged, params_table[i].name));
    }

  if (out->len == 0)
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                           _("The prompt is empty."));
      return NULL;
    }

  length = prompt_length (out->str);
  if (length > EASEL_MIDJOURNEY_PROMPT_MAX_LENGTH)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   ngettext ("The prompt is %lu character long, but at most %d are allowed.",
                             "The prompt is %lu characters long, but at most %d are allowed.",
                             length),
                   (unsigned long) length, EASEL_MIDJOURNEY_PROMPT_MAX_LENGTH);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
