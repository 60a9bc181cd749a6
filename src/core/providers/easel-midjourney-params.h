/* easel-midjourney-params.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * EASEL_MIDJOURNEY_PROMPT_MAX_LENGTH:
 *
 * The longest prompt UseAPI v3 accepts, in characters.
 */
#define EASEL_MIDJOURNEY_PROMPT_MAX_LENGTH 5000

/**
 * EaselMidjourneyParamKind:
 * @EASEL_MIDJOURNEY_PARAM_FLAG: a switch without a value; JSON `true` or
 *   `false` (`false` is the same as leaving it out)
 * @EASEL_MIDJOURNEY_PARAM_INTEGER: a whole number from @minimum to @maximum
 * @EASEL_MIDJOURNEY_PARAM_NUMBER: a number from @minimum to @maximum
 * @EASEL_MIDJOURNEY_PARAM_CHOICE: one of the numbers in @choices
 * @EASEL_MIDJOURNEY_PARAM_ENUM: one of the words in @words, a JSON string
 * @EASEL_MIDJOURNEY_PARAM_WORD: one word of letters, digits, `-`, `_` or `.`
 *   (a style name or a style-tuner code), a JSON string
 * @EASEL_MIDJOURNEY_PARAM_TEXT: free text, a comma-separated list: a JSON
 *   string, or an array of strings
 * @EASEL_MIDJOURNEY_PARAM_RATIO: `W:H` with positive whole numbers, a JSON string
 * @EASEL_MIDJOURNEY_PARAM_URLS: http(s) addresses, at most @maximum of them
 *   unless it is 0: a JSON string, or an array of strings
 * @EASEL_MIDJOURNEY_PARAM_REFERENCES: image addresses, numeric codes or
 *   `random`, each maybe with a `::weight`: a JSON string or array of strings
 * @EASEL_MIDJOURNEY_PARAM_CODES: a switch that may carry codes: JSON `true`,
 *   or a string or an array of strings of codes
 *
 * The kinds of value a Midjourney parameter takes, and their JSON form.
 * Strings of the list kinds are split (at commas for
 * %EASEL_MIDJOURNEY_PARAM_TEXT, at white space otherwise), so `"a, b"` and
 * `["a", "b"]` mean the same; easel_midjourney_parse_prompt() returns arrays.
 */
typedef enum
{
  EASEL_MIDJOURNEY_PARAM_FLAG,
  EASEL_MIDJOURNEY_PARAM_INTEGER,
  EASEL_MIDJOURNEY_PARAM_NUMBER,
  EASEL_MIDJOURNEY_PARAM_CHOICE,
  EASEL_MIDJOURNEY_PARAM_ENUM,
  EASEL_MIDJOURNEY_PARAM_WORD,
  EASEL_MIDJOURNEY_PARAM_TEXT,
  EASEL_MIDJOURNEY_PARAM_RATIO,
  EASEL_MIDJOURNEY_PARAM_URLS,
  EASEL_MIDJOURNEY_PARAM_REFERENCES,
  EASEL_MIDJOURNEY_PARAM_CODES,
} EaselMidjourneyParamKind;

/**
 * EaselMidjourneyVersion:
 * @EASEL_MIDJOURNEY_V1: `--v 1`
 * @EASEL_MIDJOURNEY_V2: `--v 2`
 * @EASEL_MIDJOURNEY_V3: `--v 3`
 * @EASEL_MIDJOURNEY_V4: `--v 4`
 * @EASEL_MIDJOURNEY_V5: `--v 5`
 * @EASEL_MIDJOURNEY_V5_1: `--v 5.1`
 * @EASEL_MIDJOURNEY_V5_2: `--v 5.2`
 * @EASEL_MIDJOURNEY_V6: `--v 6`
 * @EASEL_MIDJOURNEY_V6_1: `--v 6.1`
 * @EASEL_MIDJOURNEY_V7: `--v 7`
 * @EASEL_MIDJOURNEY_V8: `--v 8` (existence unconfirmed)
 * @EASEL_MIDJOURNEY_V8_1: `--v 8.1` (existence unconfirmed)
 * @EASEL_MIDJOURNEY_NIJI4: `--niji 4`
 * @EASEL_MIDJOURNEY_NIJI5: `--niji 5`
 * @EASEL_MIDJOURNEY_NIJI6: `--niji 6`
 * @EASEL_MIDJOURNEY_NIJI7: `--niji 7` (existence unconfirmed)
 *
 * Midjourney model versions, as flags for #EaselMidjourneyParam.versions.
 */
typedef enum
{
  EASEL_MIDJOURNEY_V1    = 1 << 0,
  EASEL_MIDJOURNEY_V2    = 1 << 1,
  EASEL_MIDJOURNEY_V3    = 1 << 2,
  EASEL_MIDJOURNEY_V4    = 1 << 3,
  EASEL_MIDJOURNEY_V5    = 1 << 4,
  EASEL_MIDJOURNEY_V5_1  = 1 << 5,
  EASEL_MIDJOURNEY_V5_2  = 1 << 6,
  EASEL_MIDJOURNEY_V6    = 1 << 7,
  EASEL_MIDJOURNEY_V6_1  = 1 << 8,
  EASEL_MIDJOURNEY_V7    = 1 << 9,
  EASEL_MIDJOURNEY_V8    = 1 << 10,
  EASEL_MIDJOURNEY_V8_1  = 1 << 11,
  EASEL_MIDJOURNEY_NIJI4 = 1 << 12,
  EASEL_MIDJOURNEY_NIJI5 = 1 << 13,
  EASEL_MIDJOURNEY_NIJI6 = 1 << 14,
  EASEL_MIDJOURNEY_NIJI7 = 1 << 15,
} EaselMidjourneyVersion;

/**
 * EaselMidjourneyParam:
 * @name: the long name without dashes, also the key in a parameter object
 * @aliases: other spellings Midjourney accepts, %NULL-terminated
 * @kind: the kind of value
 * @minimum: the smallest value of a number, or the fewest items of a list
 * @maximum: the largest value of a number, or the most addresses of
 *   %EASEL_MIDJOURNEY_PARAM_URLS (0 for no limit)
 * @choices: (nullable) (array length=n_choices): the numbers of
 *   %EASEL_MIDJOURNEY_PARAM_CHOICE
 * @n_choices: the length of @choices
 * @words: (nullable) (array zero-terminated=1): the words of
 *   %EASEL_MIDJOURNEY_PARAM_ENUM
 * @default_value: (nullable): Midjourney's default as written in a prompt,
 *   or %NULL when it is the account's setting or nothing
 * @help: short help, untranslated: pass it through gettext()
 * @versions: the #EaselMidjourneyVersion flags of the versions it works
 *   with, or 0 for all
 * @requires: (nullable): the parameter it only works together with
 *
 * One documented Midjourney prompt parameter.
 */
typedef struct
{
  const char                *name;
  const char                *aliases[3];
  EaselMidjourneyParamKind   kind;
  double                     minimum;
  double                     maximum;
  const double              *choices;
  guint                      n_choices;
  const char *const         *words;
  const char                *default_value;
  const char                *help;
  guint                      versions;
  const char                *requires;
} EaselMidjourneyParam;

const EaselMidjourneyParam *easel_midjourney_params_get_all  (guint              *n_params);
const EaselMidjourneyParam *easel_midjourney_params_lookup   (const char         *name);
gboolean                    easel_midjourney_params_validate (JsonObject         *params,
                                                              GError            **error);
char                       *easel_midjourney_build_prompt    (const char *const  *image_urls,
                                                              const char         *text,
                                                              JsonObject         *params,
                                                              GError            **error);
gboolean                    easel_midjourney_parse_prompt    (const char         *prompt,
                                                              char             ***out_image_urls,
                                                              char              **out_text,
                                                              JsonObject        **out_params,
                                                              GError            **error);

G_END_DECLS
