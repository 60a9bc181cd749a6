/* easel-emulator-faults.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The fault grammar (also printed by `easel-emulator --help`):
 *
 *   SPEC   = RULE { ";" RULE }                 (newlines work as ";" too)
 *   RULE   = "seed=" N
 *          | [ SCOPE ":" ] ACTION { MODIFIER }
 *   SCOPE  = [ METHOD ] PATH | METHOD          (shell globs; "*" crosses "/";
 *                                               PATH matches the request path
 *                                               or the route template, such as
 *                                               /v1/predictions/{id})
 *   ACTION = STATUS                            (400-599: the API's own error body)
 *          | "drop"                            (headers and half the body, then close)
 *          | "truncate"                        (body cut in half, Content-Length agrees)
 *          | "malformed"                       (body that is not JSON)
 *          | "latency" MIN[-MAX]               (extra delay, ms, uniform)
 *          | "slow-sse" MS                     (gap between SSE events)
 *   MODIFIER = N "%"                           (probability, default 100%)
 *          | "x" N                             (only the next N times it fires)
 *          | "after=" N                        (let the first N matches through)
 *          | "retry-after=" N                  (Retry-After seconds; 429 defaults to 1)
 *
 * Rules are tried in order. Latency and slow-sse rules add up; of the
 * others (status, drop, truncate, malformed) the first that fires wins,
 * and later ones are not consulted, so their counters do not move.
 * Status rules answer instead of the API; drop, truncate and malformed
 * strike after the request was handled, so a faulty POST still creates its
 * job (and counts as a submit). On an SSE stream they strike at the second
 * event. Randomness comes from one generator seeded by "seed=" (default 1),
 * so a run can be repeated exactly.
 */

#include "config.h"

#include "easel-emulator-private.h"

#include <stdlib.h>
#include <string.h>

typedef enum
{
  RULE_STATUS,
  RULE_DROP,
  RULE_TRUNCATE,
  RULE_MALFORMED,
  RULE_LATENCY,
  RULE_SLOW_SSE,
} RuleKind;

typedef struct
{
  GPatternSpec *method;     /* NULL: any */
  GPatternSpec *path;       /* NULL: any */
  RuleKind      kind;
  guint         status;
  int           retry_after;
  guint         min_ms;
  guint         max_ms;
  double        probability;
  gint64        remaining;  /* -1: unlimited */
  guint         skip;
  guint         seen;
} FaultRule;

struct _EmuFaults
{
  GPtrArray *rules;
  GRand     *rand;
};

static void
fault_rule_free (gpointer data)
{
  FaultRule *rule = data;

  g_clear_pointer (&rule->method, g_pattern_spec_free);
  g_clear_pointer (&rule->path, g_pattern_spec_free);
  g_free (rule);
}

void
emu_faults_free (EmuFaults *faults)
{
  g_ptr_array_unref (faults->rules);
  g_clear_pointer (&faults->rand, g_rand_free);
  g_free (faults);
}

static gboolean
parse_uint (const char *text,
            guint64     max,
            guint64    *value)
{
  char *end = NULL;
  guint64 v;

  if (text == NULL || !g_ascii_isdigit (text[0]))
    return FALSE;
  v = g_ascii_strtoull (text, &end, 10);
  if (end == text || *end != '\0' || v > max)
    return FALSE;
  *value = v;
  return TRUE;
}

/* "100", "100ms", "100-300", "100-300ms". */
static gboolean
parse_range (const char *text,
             guint      *min_ms,
             guint      *max_ms)
{
  g_autofree char *copy = g_strdup (text);
  char *dash;
  guint64 lo, hi;

  if (g_str_has_suffix (copy, "ms"))
    copy[strlen (copy) - 2] = '\0';

  dash = strchr (copy, '-');
  if (dash != NULL)
    {
      *dash = '\0';
      if (!parse_uint (copy, 600000, &lo) || !parse_uint (dash + 1, 600000, &hi) || hi < lo)
        return FALSE;
    }
  else
    {
      if (!parse_uint (copy, 600000, &lo))
        return FALSE;
      hi = lo;
    }

  *min_ms = (guint) lo;
  *max_ms = (guint) hi;
  return TRUE;
}

static gboolean
is_method (const char *token)
{
  for (const char *p = token; *p; p++)
    if (!g_ascii_isalpha (*p) && *p != '*' && *p != '?')
      return FALSE;
  return token[0] != '\0';
}

/* The non-empty, blank-separated words of @text. */
static GPtrArray *
split_words (const char *text)
{
  g_auto(GStrv) tokens = g_strsplit_set (text, " \t", -1);
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; tokens[i] != NULL; i++)
    if (tokens[i][0] != '\0')
      g_ptr_array_add (words, g_strdup (tokens[i]));
  return words;
}

static gboolean
parse_scope (FaultRule   *rule,
             const char  *scope,
             GError     **error)
{
  g_autoptr(GPtrArray) words = split_words (scope);

  if (words->len == 2)
    {
      g_autofree char *method = g_ascii_strup (g_ptr_array_index (words, 0), -1);

      rule->method = g_pattern_spec_new (method);
      rule->path = g_pattern_spec_new (g_ptr_array_index (words, 1));
      return TRUE;
    }

  if (words->len == 1)
    {
      const char *word = g_ptr_array_index (words, 0);

      if (word[0] == '/' || word[0] == '*')
        rule->path = g_pattern_spec_new (word);
      else if (is_method (word))
        {
          g_autofree char *method = g_ascii_strup (word, -1);

          rule->method = g_pattern_spec_new (method);
        }
      else
        {
          g_set_error (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS,
                       "scope “%s” is neither a method nor a path (paths start with / or *)",
                       word);
          return FALSE;
        }
      return TRUE;
    }

  g_set_error (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS,
               "scope “%s” should be “METHOD PATH”, “PATH” or “METHOD”", scope);
  return FALSE;
}

/* Splits "latency=5-10" and "latency 5-10" alike: returns the value part
 * of @word if it is "@name=value", or takes the next token. */
static const char *
action_value (const char  *word,
              const char  *name,
              GPtrArray   *words,
              guint       *next)
{
  gsize n = strlen (name);

  if (strncmp (word, name, n) == 0 && word[n] == '=')
    return word + n + 1;
  if (*next < words->len)
    return g_ptr_array_index (words, (*next)++);
  return NULL;
}

static gboolean
parse_action (FaultRule   *rule,
              const char  *text,
              GError     **error)
{
  g_autoptr(GPtrArray) words = split_words (text);
  const char *word;
  guint next = 1;
  guint64 value;

  if (words->len == 0)
    {
      g_set_error_literal (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS,
                           "no action");
      return FALSE;
    }

  word = g_ptr_array_index (words, 0);
  if (g_ascii_isdigit (word[0]))
    {
      if (!parse_uint (word, 999, &value) || value < 400 || value > 599)
        {
          g_set_error (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS,
                       "“%s” is not an HTTP error status (400–599)", word);
          return FALSE;
        }
      rule->kind = RULE_STATUS;
      rule->status = (guint) value;
    }
  else if (g_str_equal (word, "drop"))
    rule->kind = RULE_DROP;
  else if (g_str_equal (word, "truncate"))
    rule->kind = RULE_TRUNCATE;
  else if (g_str_equal (word, "malformed"))
    rule->kind = RULE_MALFORMED;
  else if (g_str_has_prefix (word, "latency"))
    {
      const char *range = action_value (word, "latency", words, &next);

      if ((word[7] != '\0' && word[7] != '=') || range == NULL ||
          !parse_range (range, &rule->min_ms, &rule->max_ms))
        {
          g_set_error (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS,
                       "latency needs MIN or MIN-MAX in milliseconds (≤ 600000)");
          return FALSE;
        }
      rule->kind = RULE_LATENCY;
    }
  else if (g_str_has_prefix (word, "slow-sse"))
    {
      const char *gap = action_value (word, "slow-sse", words, &next);
      guint max;

      if ((word[8] != '\0' && word[8] != '=') || gap == NULL ||
          !parse_range (gap, &rule->min_ms, &max) || max != rule->min_ms)
        {
          g_set_error (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS,
                       "slow-sse needs a gap in milliseconds (≤ 600000)");
          return FALSE;
        }
      rule->kind = RULE_SLOW_SSE;
    }
  else
    {
      g_set_error (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS,
                   "unknown action “%s” (expected an HTTP status 400–599, drop, truncate, "
                   "malformed, latency MIN[-MAX] or slow-sse MS)", word);
      return FALSE;
    }

  for (; next < words->len; next++)
    {
      const char *mod = g_ptr_array_index (words, next);
      gsize len = strlen (mod);

      if (len > 1 && mod[len - 1] == '%')
        {
          g_autofree char *number = g_strndup (mod, len - 1);
          char *end = NULL;
          double percent = g_ascii_strtod (number, &end);

          if (end == number || *end != '\0' || percent < 0 || percent > 100)
            {
              g_set_error (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS,
                           "“%s” is not a probability between 0%% and 100%%", mod);
              return FALSE;
            }
          rule->probability = percent / 100.0;
        }
      else if (mod[0] == 'x' && g_ascii_isdigit (mod[1]))
        {
          if (!parse_uint (mod + 1, G_MAXUINT32, &value) || value == 0)
            {
              g_set_error (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS,
                           "“%s” is not a count (x1, x2, …)", mod);
              return FALSE;
            }
          rule->remaining = (gint64) value;
        }
      else if (g_str_has_prefix (mod, "after="))
        {
          if (!parse_uint (mod + 6, G_MAXUINT32, &value))
            {
              g_set_error (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS,
                           "“%s” needs a number of requests", mod);
              return FALSE;
            }
          rule->skip = (guint) value;
        }
      else if (g_str_has_prefix (mod, "retry-after="))
        {
          if (rule->kind != RULE_STATUS)
            {
              g_set_error (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS,
                           "retry-after only goes with a status action");
              return FALSE;
            }
          if (!parse_uint (mod + 12, 86400, &value))
            {
              g_set_error (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS,
                           "“%s” needs seconds (0–86400)", mod);
              return FALSE;
            }
          rule->retry_after = (int) value;
        }
      else
        {
          g_set_error (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS,
                       "unknown modifier “%s” (expected N%%, xN, after=N or retry-after=N)",
                       mod);
          return FALSE;
        }
    }

  if (rule->kind == RULE_STATUS && rule->status == 429 && rule->retry_after < 0)
    rule->retry_after = 1;

  return TRUE;
}

static FaultRule *
parse_rule (const char  *text,
            GError     **error)
{
  FaultRule *rule = g_new0 (FaultRule, 1);
  const char *colon = strrchr (text, ':');
  g_autofree char *scope = NULL;
  const char *action = text;

  rule->probability = 1.0;
  rule->remaining = -1;
  rule->retry_after = -1;

  /* The last colon separates the scope: actions never contain one, paths
   * may (Midjourney job ids end in "bot:midjourney"). */
  if (colon != NULL)
    {
      scope = g_strstrip (g_strndup (text, colon - text));
      action = colon + 1;
      if (scope[0] == '\0')
        {
          g_set_error_literal (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS,
                               "empty scope before “:”");
          fault_rule_free (rule);
          return NULL;
        }
      if (!parse_scope (rule, scope, error))
        {
          fault_rule_free (rule);
          return NULL;
        }
    }

  if (!parse_action (rule, action, error))
    {
      fault_rule_free (rule);
      return NULL;
    }

  return rule;
}

/**
 * emu_faults_parse:
 * @spec: a fault specification
 * @error: return location for a #GError naming the bad rule
 *
 * Returns: (transfer full) (nullable): the rules, or %NULL on error
 */
EmuFaults *
emu_faults_parse (const char  *spec,
                  GError     **error)
{
  g_autoptr(EmuFaults) faults = g_new0 (EmuFaults, 1);
  g_auto(GStrv) parts = g_strsplit_set (spec, ";\n", -1);
  guint64 seed = 1;
  guint n = 0;

  faults->rules = g_ptr_array_new_with_free_func (fault_rule_free);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      char *text = g_strstrip (parts[i]);
      FaultRule *rule;

      if (text[0] == '\0')
        continue;
      n++;

      if (g_str_has_prefix (text, "seed=") || g_str_has_prefix (text, "seed "))
        {
          g_autofree char *value = g_strstrip (g_strdup (text + 5));

          if (!parse_uint (value, G_MAXUINT32, &seed))
            {
              g_set_error (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS,
                           "Fault rule %u (“%s”): the seed must be a number up to %u",
                           n, text, G_MAXUINT32);
              return NULL;
            }
          continue;
        }

      rule = parse_rule (text, &local_error);
      if (rule == NULL)
        {
          g_set_error (error, EASEL_EMULATOR_ERROR, EASEL_EMULATOR_ERROR_INVALID_FAULTS,
                       "Fault rule %u (“%s”): %s", n, text, local_error->message);
          return NULL;
        }
      g_ptr_array_add (faults->rules, rule);
    }

  faults->rand = g_rand_new_with_seed ((guint32) seed);
  return g_steal_pointer (&faults);
}

static gboolean
rule_matches (FaultRule  *rule,
              const char *method,
              const char *path,
              const char *template)
{
  if (rule->method != NULL && !g_pattern_spec_match_string (rule->method, method))
    return FALSE;
  if (rule->path != NULL &&
      !g_pattern_spec_match_string (rule->path, path) &&
      !(template != NULL && g_pattern_spec_match_string (rule->path, template)))
    return FALSE;
  return TRUE;
}

static guint
pick (EmuFaults *faults,
      guint      min_ms,
      guint      max_ms)
{
  if (max_ms <= min_ms)
    return min_ms;
  return min_ms + (guint) g_rand_int_range (faults->rand, 0, (gint32) (max_ms - min_ms + 1));
}

void
emu_faults_evaluate (EmuFaults       *faults,
                     const char      *method,
                     const char      *path,
                     const char      *template,
                     EmuFaultOutcome *outcome)
{
  gboolean decided = FALSE;

  for (guint i = 0; i < faults->rules->len; i++)
    {
      FaultRule *rule = g_ptr_array_index (faults->rules, i);
      gboolean terminal = rule->kind != RULE_LATENCY && rule->kind != RULE_SLOW_SSE;

      if (terminal && decided)
        continue;
      if (rule->remaining == 0)
        continue;
      if (!rule_matches (rule, method, path, template))
        continue;
      if (rule->seen < rule->skip)
        {
          rule->seen++;
          continue;
        }
      if (rule->probability < 1.0 && g_rand_double (faults->rand) >= rule->probability)
        continue;
      if (rule->remaining > 0)
        rule->remaining--;

      switch (rule->kind)
        {
        case RULE_STATUS:
          outcome->status = rule->status;
          outcome->retry_after = rule->retry_after;
          break;
        case RULE_DROP:
          outcome->post = EMU_POST_DROP;
          break;
        case RULE_TRUNCATE:
          outcome->post = EMU_POST_TRUNCATE;
          break;
        case RULE_MALFORMED:
          outcome->post = EMU_POST_MALFORMED;
          break;
        case RULE_LATENCY:
          outcome->latency_ms += pick (faults, rule->min_ms, rule->max_ms);
          break;
        case RULE_SLOW_SSE:
          outcome->slow_sse_ms = MAX (outcome->slow_sse_ms, rule->min_ms);
          break;
        default:
          g_assert_not_reached ();
        }
      decided = decided || terminal;
    }
}
