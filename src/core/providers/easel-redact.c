/* easel-redact.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What may reach a log. Secrets (API tokens, Discord tokens, Authorization
 * values) and values that identify an account (UseAPI job ids carry the
 * UseAPI user number and the Discord channel; Discord and Midjourney CDN
 * URLs carry channel, message, user name and job UUID, and live signatures)
 * are replaced by a short hash: two log lines about the same job still match
 * up, but nothing in them can be used or traced back.
 *
 * Everything the HTTP layer logs goes through easel_redact_text() or
 * easel_redact_url(); the redaction test runs whole provider sessions with
 * a sentinel token and searches the captured logs for it. */

#include "config.h"

#include "easel-redact.h"

#include <string.h>

/**
 * easel_redact_hash:
 * @value: a sensitive value
 *
 * Returns: (transfer full): a short, stable stand-in for @value such as
 *   "«#1a2b3c4d»"
 */
char *
easel_redact_hash (const char *value)
{
  g_autofree char *digest = NULL;

  g_return_val_if_fail (value != NULL, NULL);

  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, value, -1);
  return g_strdup_printf ("«#%.8s»", digest);
}

typedef struct
{
  const char *pattern;
  GRegex     *regex;
} Rule;

/* Longest, most specific first. */
static Rule rules[] = {
  /* Authorization header values and bearer tokens of any shape */
  { "(?i)(authorization|bearer|token|api[_-]?key|discord)(\"?\\s*[:=]\\s*\"?|\\s+)(Bearer\\s+)?[^\\s\",;}]+" },
  /* UseAPI v3 job ids: j<digits><i|v>-u<user>-c<channel>-bot:midjourney */
  { "j\\d+[iv]-u\\d+-c\\d+-bot:midjourney" },
  /* Discord user tokens: three base64url parts separated by dots */
  { "[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{20,}" },
  /* Replicate (r8_), OpenRouter (sk-or-v1-), generic sk- keys, UseAPI user:N-… tokens */
  { "\\br8_[A-Za-z0-9_-]+" },
  { "\\bsk-[A-Za-z0-9_-]{8,}" },
  { "\\buser:\\d+-[A-Za-z0-9_-]+" },
  { "\\bwhsec_[A-Za-z0-9+/=_-]+" },
  /* CDN URLs identifying a Discord channel/message/user or a Midjourney job */
  { "https?://(cdn\\.discordapp\\.com|media\\.discordapp\\.net|cdn\\.midjourney\\.com)/[^\\s\"']*" },
};

static gboolean
replace_cb (const GMatchInfo *match_info,
            GString          *result,
            gpointer          user_data)
{
  g_autofree char *whole = g_match_info_fetch (match_info, 0);
  g_autofree char *key = g_match_info_fetch (match_info, 1);
  g_autofree char *sep = g_match_info_fetch (match_info, 2);
  g_autofree char *hash = easel_redact_hash (whole);

  /* Keep "Authorization: " and the like so the log still reads. */
  if (GPOINTER_TO_INT (user_data) == 0 && key != NULL && key[0] != '\0')
    g_string_append_printf (result, "%s%s%s", key, sep ? sep : "", hash);
  else
    g_string_append (result, hash);
  return FALSE;
}

static void
ensure_rules (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
        rules[i].regex = g_regex_new (rules[i].pattern, G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&initialized, 1);
    }
}

/**
 * easel_redact_text:
 * @text: (nullable): text that may hold secrets or identifying values
 *
 * Returns: (transfer full): @text with every secret and identifying value
 *   replaced by a short hash
 */
char *
easel_redact_text (const char *text)
{
  g_autofree char *current = NULL;

  if (text == NULL)
    return NULL;

  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup ("«invalid UTF-8»");

  ensure_rules ();
  current = g_strdup (text);
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      char *next;

      if (rules[i].regex == NULL)
        continue;
      next = g_regex_replace_eval (rules[i].regex, current, -1, 0, 0,
                                   replace_cb, GINT_TO_POINTER (i), NULL);
      if (next != NULL)
        {
          g_free (current);
          current = next;
        }
    }

  return g_steal_pointer (&current);
}

/**
 * easel_redact_url:
 * @url: (nullable): a URL about to be logged
 *
 * Drops the query (signatures, tokens) and the fragment, and hashes what
 * identifies an account (see easel_redact_text()).
 *
 * Returns: (transfer full): a URL safe to log
 */
char *
easel_redact_url (const char *url)
{
  g_autofree char *without_query = NULL;
  const char *cut;

  if (url == NULL)
    return NULL;

  cut = strpbrk (url, "?#");
  without_query = cut ? g_strndup (url, cut - url) : g_strdup (url);
  if (cut != NULL && *cut == '?')
    {
      g_autofree char *redacted = easel_redact_text (without_query);

      return g_strconcat (redacted, "?…", NULL);
    }
  return easel_redact_text (without_query);
}
