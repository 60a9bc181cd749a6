/* easel-prompt-enhancer.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* "Enhance prompt": an idea goes to a small chat model on OpenRouter with
 * the target image model's prompt conventions, and the rewritten prompt
 * comes back as a suggestion the user accepts or discards.
 *
 * Chat models do not always answer with the prompt alone, whatever they
 * are told: they open with "Sure! Here is…", wrap the prompt in quotes,
 * bold or a code block, explain it afterwards, or add Midjourney
 * parameters nobody asked for. The answer is therefore cleaned
 * defensively (easel_prompt_enhancer_clean()), and what is left must be a
 * plausible prompt: not empty, not cut off, not an essay. The editor owns
 * the parameters, so `--` parameters are always removed from a
 * suggestion. */

#include "config.h"

#include "easel-prompt-enhancer.h"
#include "easel-prompt-enhancer-private.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-error.h"

#define MAX_IDEA_LENGTH 4000
#define MAX_TOKENS 400
#define TEMPERATURE 0.7

/* The conventions are instructions for a model, not text for people, and
 * stay in English: image models read English best. */
static const char midjourney_conventions[] =
  "Midjourney prompts are short, comma-separated descriptive phrases, most important first: "
  "subject, setting, style or medium, lighting, colour, composition. Do not write any "
  "parameters such as --ar, --v or --stylize (the editor adds them), and no image URLs.";
static const char flux_conventions[] =
  "FLUX prompts are one to three natural-language sentences describing the scene in concrete "
  "detail, like a precise caption. FLUX has no negative prompt: describe what should be in the "
  "image, never what should not. No keyword lists, no weights, no parameters.";
static const char sdxl_conventions[] =
  "Stable Diffusion XL prompts are concise comma-separated keywords and short phrases: the "
  "subject first, then style, medium, lighting, and quality tags such as \"highly detailed\", "
  "\"sharp focus\", \"professional photograph\". Leave out what belongs in a negative prompt.";
static const char ideogram_conventions[] =
  "Ideogram prompts are natural sentences. Any words that must appear in the image go in double "
  "quotes, spelled exactly, with where they appear and in what lettering style.";
static const char generic_conventions[] =
  "Write a clear, specific description of the image in one or two sentences: subject, setting, "
  "style or medium, lighting and composition.";

/**
 * easel_prompt_conventions:
 * @provider_id: (nullable): the provider of the target model
 * @model: (nullable): the target model
 *
 * How prompts for a model are best written, as instructions for the
 * language model that rewrites them: Midjourney takes short descriptive
 * phrases (without `--` parameters, which the editor adds), FLUX natural
 * sentences without a negative prompt, SDXL concise keywords with quality
 * tags, Ideogram sentences with the words to draw in quotes; other models
 * get general advice.
 *
 * Returns: (transfer none): the conventions, in English
 */
const char *
easel_prompt_conventions (const char *provider_id,
                          const char *model)
{
  g_autofree char *lower = g_ascii_strdown (model != NULL ? model : "", -1);

  if (g_strcmp0 (provider_id, "midjourney") == 0 || g_str_has_prefix (lower, "midjourney"))
    return midjourney_conventions;
  if (strstr (lower, "flux") != NULL)
    return flux_conventions;
  if (strstr (lower, "sdxl") != NULL || strstr (lower, "stable-diffusion") != NULL)
    return sdxl_conventions;
  if (strstr (lower, "ideogram") != NULL)
    return ideogram_conventions;
  return generic_conventions;
}

/* Cleaning an answer */

static gboolean
has_word (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_isalnum (g_utf8_get_char (p)))
        return TRUE;
    }
  return FALSE;
}

/* The inside of the first fenced code block, if there is one. */
static char *
unfence (const char *text)
{
  const char *fence = strstr (text, "```");
  const char *start, *end;

  if (fence == NULL)
    return g_strdup (text);

  /* The rest of the fence's line is a language name. */
  start = strchr (fence, '\n');
  if (start == NULL)
    return g_strdup (fence + 3);
  start++;
  end = strstr (start, "```");
  return end != NULL ? g_strndup (start, end - start) : g_strdup (start);
}

static const char * const openers[] = {
  "sure", "certainly", "of course", "here is", "here's", "here’s", "okay", "ok,", "absolutely",
  "great", "below is",
};

/* "Prompt:", "**Enhanced prompt:**", "Midjourney prompt -" and the like at
 * the start of @line: where the prompt itself starts, or @line. */
static const char *
skip_label (const char *line)
{
  const char *colon = NULL;
  g_autoptr(GString) label = g_string_new (NULL);
  g_autofree char *lower = NULL;

  for (const char *p = line; *p != '\0' && p - line < 48; p++)
    {
      if (*p == ':')
        {
          colon = p;
          break;
        }
      if (*p != '*' && *p != '_' && *p != '#')
        g_string_append_c (label, *p);
    }
  if (colon == NULL)
    return line;

  lower = g_ascii_strdown (g_strstrip (label->str), -1);
  if (!g_str_has_suffix (lower, "prompt") && !g_str_equal (lower, "suggestion"))
    return line;

  colon++;
  while (*colon == '*' || *colon == '_' || g_ascii_isspace (*colon))
    colon++;
  return colon;
}

static gboolean
is_preamble (const char *line,
             gboolean    more_follows)
{
  g_autofree char *lower = g_ascii_strdown (line, -1);
  gsize length;

  g_strchomp (lower);
  length = strlen (lower);
  while (length > 0 && (lower[length - 1] == '*' || lower[length - 1] == '_'))
    lower[--length] = '\0';
  if (length > 0 && lower[length - 1] == ':')
    return TRUE;
  if (!more_follows)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (openers); i++)
    {
      if (g_str_has_prefix (lower, openers[i]))
        return TRUE;
    }
  return FALSE;
}

/* The first paragraph that is not a preamble, its lines joined. */
static char *
first_paragraph (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *paragraph = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      gboolean more_follows = FALSE;

      if (line[0] == '\0')
        {
          if (paragraph->len > 0)
            break;
          continue;
        }

      for (guint j = i + 1; lines[j] != NULL && !more_follows; j++)
        more_follows = has_word (lines[j]);
      if (paragraph->len == 0 && is_preamble (line, more_follows))
        continue;

      if (paragraph->len > 0)
        g_string_append_c (paragraph, ' ');
      g_string_append (paragraph, skip_label (line));
    }
  return g_string_free (paragraph, FALSE);
}

static const struct
{
  const char *open;
  const char *close;
} wrappers[] = {
  { "**", "**" }, { "__", "__" }, { "*", "*" }, { "_", "_" }, { "`", "`" },
  { "\"", "\"" }, { "“", "”" }, { "„", "“" }, { "«", "»" }, { "'", "'" }, { "‘", "’" },
};

/* Removes one pair of quotes or emphasis around all of @text, in place.
 * A pair is only taken off when nothing inside closes it, so that
 * `"OPEN" sign, "CLOSED" behind` keeps its quotes. */
static gboolean
unwrap (char *text)
{
  gsize length = strlen (text);

  for (guint i = 0; i < G_N_ELEMENTS (wrappers); i++)
    {
      gsize open = strlen (wrappers[i].open), close = strlen (wrappers[i].close);
      g_autofree char *inside = NULL;

      if (length < open + close || !g_str_has_prefix (text, wrappers[i].open) ||
          !g_str_has_suffix (text, wrappers[i].close))
        continue;

      inside = g_strndup (text + open, length - open - close);
      if (strstr (inside, wrappers[i].close) != NULL || strstr (inside, wrappers[i].open) != NULL)
        continue;

      g_strstrip (inside);
      memcpy (text, inside, strlen (inside) + 1);
      return TRUE;
    }
  return FALSE;
}

/* Cuts @text where Midjourney parameters start: "--" (or the em dash that
 * Midjourney also accepts) after white space, followed by a letter. */
static void
cut_parameters (char *text)
{
  for (char *p = text; *p != '\0'; p++)
    {
      gboolean after_space = p == text || g_ascii_isspace (p[-1]);

      if (!after_space)
        continue;
      if ((g_str_has_prefix (p, "--") && g_ascii_isalpha (p[2])) ||
          (g_str_has_prefix (p, "—") && g_ascii_isalpha (p[strlen ("—")])))
        {
          *p = '\0';
          return;
        }
    }
}

static char *
collapse_spaces (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/**
 * easel_prompt_enhancer_clean:
 * @reply: what the model answered
 * @error: return location for a #GError
 *
 * Takes the prompt out of a chat model's answer: the inside of a code
 * block if there is one, the first paragraph after any preamble ("Sure!
 * Here is…:"), without a "Prompt:" label, list marks, emphasis, quotes
 * around all of it or `--` parameters, on one line.
 *
 * Returns: (transfer full): the prompt, or %NULL with
 *   %EASEL_ERROR_INVALID_RESPONSE when no word is left or it is longer than
 *   %EASEL_PROMPT_ENHANCER_MAX_LENGTH characters
 */
char *
easel_prompt_enhancer_clean (const char  *reply,
                             GError     **error)
{
  g_autofree char *unfenced = NULL;
  g_autofree char *paragraph = NULL;
  g_autofree char *prompt = NULL;
  char *start;
  glong length;

  g_return_val_if_fail (reply != NULL, NULL);

  unfenced = unfence (reply);
  paragraph = first_paragraph (unfenced);

  /* List marks and headings. */
  start = paragraph;
  while (*start == '#' || *start == '>')
    start++;
  if ((start[0] == '-' || start[0] == '*' || start[0] == '+') && start[1] == ' ')
    start += 2;
  g_strstrip (start);

  /* Quotes and emphasis may hold the parameters ("**"a fox --ar 3:2"**")
   * or stand before them ("a fox" --ar 3:2). */
  while (unwrap (start))
    ;
  cut_parameters (start);
  g_strstrip (start);
  while (unwrap (start))
    ;

  prompt = collapse_spaces (start);
  g_strchomp (prompt);
  for (gsize n = strlen (prompt); n > 0 && (prompt[n - 1] == ',' || prompt[n - 1] == ';'); n--)
    prompt[n - 1] = '\0';
  g_strchomp (prompt);

  if (!has_word (prompt))
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                           _("OpenRouter suggested nothing for this idea. Try again, or say a little more."));
      return NULL;
    }

  length = g_utf8_strlen (prompt, -1);
  if (length > EASEL_PROMPT_ENHANCER_MAX_LENGTH)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                   /* Translators: %ld is a number of characters */
                   _("The suggestion is %ld characters long, too long to be a prompt. Try again."),
                   length);
      return NULL;
    }

  return g_steal_pointer (&prompt);
}

/* Asking */

static void
completed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(EaselCompletion) completion = NULL;
  GError *error = NULL;
  char *prompt;

  completion = easel_openrouter_client_complete_finish (EASEL_OPENROUTER_CLIENT (source), result, &error);
  if (completion == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_strcmp0 (completion->finish_reason, "length") == 0)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                               _("The suggestion was cut off before it ended. Try again, or shorten the idea."));
      return;
    }
  if (g_strcmp0 (completion->finish_reason, "content_filter") == 0)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_MODERATED,
                               _("OpenRouter’s content filter stopped the suggestion."));
      return;
    }

  prompt = easel_prompt_enhancer_clean (completion->content, &error);
  if (prompt == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, prompt, g_free);
}

/**
 * easel_prompt_enhance_async:
 * @client: an OpenRouter client with a key
 * @idea: what the user wrote
 * @provider_id: (nullable): the provider of the target model
 * @model: (nullable): the target model
 * @cancellable: (nullable): a #GCancellable (the editor cancels when the
 *   idea changes or the suggestion is discarded)
 * @callback: called with the suggestion
 * @user_data: data for @callback
 *
 * Asks %EASEL_PROMPT_ENHANCER_MODEL to rewrite @idea as a prompt for
 * @model, following easel_prompt_conventions(). Only the network is
 * involved, asynchronously: typing never waits for it.
 */
void
easel_prompt_enhance_async (EaselOpenrouterClient *client,
                            const char            *idea,
                            const char            *provider_id,
                            const char            *model,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *system_prompt = NULL;

  g_return_if_fail (EASEL_IS_OPENROUTER_CLIENT (client));
  g_return_if_fail (idea != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_prompt_enhance_async);

  if (!g_utf8_validate (idea, -1, NULL) || !has_word (idea))
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                               _("Write an idea to enhance first."));
      return;
    }
  if (g_utf8_strlen (idea, -1) > MAX_IDEA_LENGTH)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                               /* Translators: %d is a number of characters */
                               _("The idea is too long to enhance: at most %d characters."),
                               MAX_IDEA_LENGTH);
      return;
    }

  system_prompt = g_strdup_printf ("You turn a short idea into one prompt for the image generation "
                                   "model %s. %s Keep the subject and intent of the idea and add "
                                   "concrete visual detail. Reply with the prompt alone, on one line: "
                                   "no introduction, no quotes around it, no markdown, no explanation.",
                                   model != NULL && model[0] != '\0' ? model : "in use",
                                   easel_prompt_conventions (provider_id, model));

  easel_openrouter_client_complete_async (client, EASEL_PROMPT_ENHANCER_MODEL, system_prompt, idea,
                                          MAX_TOKENS, TEMPERATURE, cancellable, completed_cb,
                                          g_steal_pointer (&task));
}

/**
 * easel_prompt_enhance_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the suggested prompt, on one line, or %NULL
 *   with @error set: OpenRouter's errors (%EASEL_ERROR_PAYMENT_REQUIRED,
 *   %EASEL_ERROR_RATE_LIMITED, %EASEL_ERROR_UNAUTHORIZED, an error in the
 *   body …), or %EASEL_ERROR_INVALID_RESPONSE for an answer that is not a
 *   usable prompt
 */
char *
easel_prompt_enhance_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, easel_prompt_enhance_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
