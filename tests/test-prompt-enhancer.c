/* test-prompt-enhancer.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* "Enhance prompt": the conventions chosen per model, the cleaning of
 * chat answers (table-driven), and whole requests against the emulator's
 * OpenRouter, including chatty, overlong and blank answers and the
 * documented errors (402, 401, 403, 429, errors in a 200 body). */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "easel-emulator.h"
#include "easel-error.h"
#include "easel-prompt-enhancer-private.h"
#include "easel-test-async.h"

#define TOKEN "sk-or-v1-enhancertest0001"
#define CHAT "POST /api/v1/chat/completions"

typedef struct
{
  EaselEmulator *emulator;
  char          *url;
  GAsyncResult  *result;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *origin = NULL;

  f->emulator = easel_emulator_new ();
  easel_emulator_listen (f->emulator, 0, &error);
  g_assert_no_error (error);
  origin = easel_emulator_dup_origin (f->emulator);
  f->url = g_strconcat (origin, "/api/v1", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->result);
  g_clear_object (&f->emulator);
  g_free (f->url);

  for (int i = 0; i < 20 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static guint sleeps;

static EaselOpenrouterClient *
new_client (Fixture    *f,
            const char *token)
{
  g_autoptr(GError) error = NULL;
  EaselOpenrouterClient *client = easel_openrouter_client_new (f->url, token, &error);

  g_assert_no_error (error);
  easel_http_client_set_sleep_func (easel_openrouter_client_get_http_client (client), easel_test_fast_sleep, &sleeps);
  easel_http_client_set_max_attempts (easel_openrouter_client_get_http_client (client), 3);
  return client;
}

static char *
enhance (Fixture                *f,
         EaselOpenrouterClient  *client,
         const char             *idea,
         const char             *provider,
         const char             *model,
         GCancellable           *cancellable,
         GError                **error)
{
  g_clear_object (&f->result);
  easel_prompt_enhance_async (client, idea, provider, model, cancellable, easel_test_result_cb, &f->result);
  return easel_prompt_enhance_finish (easel_test_wait_result (&f->result), error);
}

/* Conventions */

static void
test_conventions (void)
{
  const char *mj = easel_prompt_conventions ("midjourney", "midjourney");
  const char *schnell = easel_prompt_conventions ("replicate", "black-forest-labs/flux-schnell");
  const char *pro = easel_prompt_conventions ("replicate", "black-forest-labs/FLUX-1.1-pro");
  const char *sdxl = easel_prompt_conventions ("replicate", "stability-ai/sdxl:7762fd07");
  const char *ideogram = easel_prompt_conventions ("replicate", "ideogram-ai/ideogram-v3-quality");
  const char *generic = easel_prompt_conventions ("replicate", "recraft-ai/recraft-v3");

  g_assert_nonnull (strstr (mj, "comma-separated"));
  g_assert_nonnull (strstr (mj, "--ar"));
  g_assert_nonnull (strstr (mj, "Do not write any parameters"));
  g_assert_nonnull (strstr (schnell, "natural-language sentences"));
  g_assert_nonnull (strstr (schnell, "no negative prompt"));
  g_assert_true (pro == schnell);
  g_assert_nonnull (strstr (sdxl, "keywords"));
  g_assert_nonnull (strstr (sdxl, "quality tags"));
  g_assert_nonnull (strstr (ideogram, "double quotes"));

  g_assert_true (generic != mj && generic != schnell && generic != sdxl && generic != ideogram);
  g_assert_true (easel_prompt_conventions (NULL, NULL) == generic);
  g_assert_true (easel_prompt_conventions ("replicate", "") == generic);
  g_assert_true (easel_prompt_conventions ("replicate", "someone/my-model") == generic);
}

/* Cleaning */

static void
test_clean (void)
{
  const struct
  {
    const char *reply;
    const char *prompt;    /* NULL: refused */
  } cases[] = {
    { "a fox in the snow", "a fox in the snow" },
    { "  a fox in the snow  \n", "a fox in the snow" },
    { "Sure! Here is an enhanced prompt:\n\n**\"a fox, warm light --ar 3:2\"**\n\nThis version adds mood.",
      "a fox, warm light" },
    { "```\na fox, warm light\n```", "a fox, warm light" },
    { "```text\na fox\n```\nI kept it short.", "a fox" },
    { "Prompt: a fox, warm light", "a fox, warm light" },
    { "**Enhanced prompt:** a fox", "a fox" },
    { "Midjourney prompt - a fox", "Midjourney prompt - a fox" },
    { "Here's your prompt:\na fox\nin the snow\n\nNotes: none", "a fox in the snow" },
    { "Certainly!\na red fox", "a red fox" },
    { "Here's a cozy cabin in the snow", "Here's a cozy cabin in the snow" },
    { "“a misty forest at dawn”", "a misty forest at dawn" },
    { "'a misty forest'", "a misty forest" },
    { "\"OPEN\" sign, and \"CLOSED\" behind it", "\"OPEN\" sign, and \"CLOSED\" behind it" },
    { "A neon sign that reads \"OPEN\"", "A neon sign that reads \"OPEN\"" },
    { "- a fox", "a fox" },
    { "# a fox", "a fox" },
    { "> a fox", "a fox" },
    { "a fox --ar 16:9 --v 7", "a fox" },
    { "a fox, --ar 1:1", "a fox" },
    { "a fox —ar 2:3", "a fox" },
    { "\"a fox\" --ar 2:3", "a fox" },
    { "--ar 2:3 a fox", NULL },
    { "a well-lit room--dramatic", "a well-lit room--dramatic" },
    { "a fox -- calm", "a fox -- calm" },
    { "line one\nline two", "line one line two" },
    { "a\ttabbed   prompt", "a tabbed prompt" },
    { "Ärger über die Straße, „Bild“", "Ärger über die Straße, „Bild“" },
    { "   \n  ", NULL },
    { "", NULL },
    { "Here is the prompt:", NULL },
    { "**\"\"**", NULL },
    { "```\n```", NULL },
    { "...", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *prompt = easel_prompt_enhancer_clean (cases[i].reply, &error);
      g_autofree char *escaped = g_strescape (cases[i].reply, NULL);

      g_test_message ("case %u: %s", i, escaped);
      g_assert_cmpstr (prompt, ==, cases[i].prompt);
      if (cases[i].prompt == NULL)
        g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
      else
        g_assert_no_error (error);
    }
}

static void
test_clean_too_long (void)
{
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;

  while (g_utf8_strlen (reply->str, -1) <= EASEL_PROMPT_ENHANCER_MAX_LENGTH)
    g_string_append (reply, "ünd more ");
  prompt = easel_prompt_enhancer_clean (reply->str, &error);
  g_assert_null (prompt);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  /* At the limit, in characters not bytes, it is accepted. */
  g_string_truncate (reply, 0);
  for (guint i = 0; i < EASEL_PROMPT_ENHANCER_MAX_LENGTH; i++)
    g_string_append (reply, "ü");
  g_clear_pointer (&prompt, g_free);
  prompt = easel_prompt_enhancer_clean (reply->str, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_utf8_strlen (prompt, -1), ==, EASEL_PROMPT_ENHANCER_MAX_LENGTH);
}

/* Against the emulator */

static void
test_enhance (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(EaselOpenrouterClient) client = new_client (f, TOKEN);
  g_autoptr(GError) error = NULL;
  g_autofree char *mj = NULL;
  g_autofree char *flux = NULL;

  mj = enhance (f, client, "cozy cabin in snow", "midjourney", "midjourney", NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", mj);
  /* The emulator's model adds --ar anyway; the suggestion never has it. */
  g_assert_true (g_str_has_prefix (mj, "cozy cabin in snow, "));
  g_assert_true (g_str_has_suffix (mj, "highly detailed"));
  g_assert_null (strstr (mj, "--"));
  g_assert_null (strchr (mj, '\n'));

  flux = enhance (f, client, "  a lighthouse\nat dusk ", "replicate", "black-forest-labs/flux-dev", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (flux, "a lighthouse at dusk, "));
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, CHAT), ==, 2);
}

static void
test_enhance_chatty (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(EaselOpenrouterClient) client = new_client (f, TOKEN);
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;

  prompt = enhance (f, client, "a fox chatty-me", "replicate", "ideogram-ai/ideogram-v3-quality", NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", prompt);
  g_assert_true (g_str_has_prefix (prompt, "a fox chatty-me, "));
  g_assert_true (g_str_has_suffix (prompt, "highly detailed"));
  g_assert_null (strstr (prompt, "Sure"));
  g_assert_null (strstr (prompt, "This version"));
  g_assert_null (strchr (prompt, '*'));
  g_assert_null (strchr (prompt, '"'));
}

static void
test_enhance_bad_answers (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(EaselOpenrouterClient) client = new_client (f, TOKEN);
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;

  /* Rambling until max_tokens: cut off, refused. */
  prompt = enhance (f, client, "a castle ramble-me", "midjourney", "midjourney", NULL, &error);
  g_assert_null (prompt);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  prompt = enhance (f, client, "a castle empty-me", "midjourney", "midjourney", NULL, &error);
  g_assert_null (prompt);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  /* An upstream failure reported in a 200 body. */
  prompt = enhance (f, client, "a castle fail-me", "midjourney", "midjourney", NULL, &error);
  g_assert_null (prompt);
  g_assert_nonnull (error);
  g_assert_true (error->domain == EASEL_ERROR);
  g_assert_nonnull (strstr (error->message, "Provider returned error"));
  g_clear_error (&error);

  prompt = enhance (f, client, "moderate-me please", "midjourney", "midjourney", NULL, &error);
  g_assert_null (prompt);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_MODERATED);
}

static void
test_enhance_http_errors (Fixture       *f,
                          gconstpointer  data)
{
  const struct
  {
    const char *token;
    int         code;
  } cases[] = {
    { "sk-or-v1-unpaid", EASEL_ERROR_PAYMENT_REQUIRED },
    { "sk-or-v1-invalid", EASEL_ERROR_UNAUTHORIZED },
    { "sk-or-v1-ratelimited", EASEL_ERROR_RATE_LIMITED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EaselOpenrouterClient) client = new_client (f, cases[i].token);
      g_autoptr(GError) error = NULL;
      g_autofree char *prompt = NULL;

      prompt = enhance (f, client, "a fox", "replicate", "black-forest-labs/flux-schnell", NULL, &error);
      g_assert_null (prompt);
      g_assert_error (error, EASEL_ERROR, cases[i].code);
      g_test_message ("%s: %s", cases[i].token, error->message);
    }
}

static void
test_enhance_retry (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(EaselOpenrouterClient) client = new_client (f, TOKEN);
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;

  /* One 429, then an answer: asking again is safe for a completion. */
  g_assert_true (easel_emulator_set_faults (f->emulator, CHAT ":429 x1 retry-after=1", &error));
  sleeps = 0;
  prompt = enhance (f, client, "a fox", "replicate", "black-forest-labs/flux-schnell", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (prompt, "a fox, "));
  g_assert_cmpuint (sleeps, ==, 1);
  g_assert_cmpuint (easel_emulator_get_request_count (f->emulator, CHAT), ==, 2);
  g_clear_pointer (&prompt, g_free);

  /* A 402 is final: no second try. */
  g_assert_true (easel_emulator_set_faults (f->emulator, CHAT ":402", &error));
  easel_emulator_reset_counts (f->emulator);
  prompt = enhance (f, client, "a fox", "replicate", "black-forest-labs/flux-schnell", NULL, &error);
  g_assert_null (prompt);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_PAYMENT_REQUIRED);
  g_assert_cmpuint (easel_emulator_get_request_count (f->emulator, CHAT), ==, 1);
}

static void
test_enhance_invalid_idea (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(EaselOpenrouterClient) client = new_client (f, TOKEN);
  g_autoptr(GString) long_idea = g_string_new (NULL);
  const char *bad[] = { "", "   \n\t", "caf\xc3" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *prompt = enhance (f, client, bad[i], "midjourney", "midjourney", NULL, &error);

      g_assert_null (prompt);
      g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
    }

  while (long_idea->len < 5000)
    g_string_append (long_idea, "and then ");
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *prompt = enhance (f, client, long_idea->str, "midjourney", "midjourney", NULL, &error);

    g_assert_null (prompt);
    g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  }

  /* Nothing was sent. */
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emulator), ==, 0);
}

static void
test_enhance_cancel (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(EaselOpenrouterClient) client = new_client (f, TOKEN);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *prompt = NULL;

  easel_emulator_set_latency (f->emulator, 300, 300);
  g_clear_object (&f->result);
  easel_prompt_enhance_async (client, "a fox", "midjourney", "midjourney", cancellable, easel_test_result_cb, &f->result);
  g_cancellable_cancel (cancellable);
  prompt = easel_prompt_enhance_finish (easel_test_wait_result (&f->result), &error);
  g_assert_null (prompt);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Easel/PromptEnhancer/conventions", test_conventions);
  g_test_add_func ("/Easel/PromptEnhancer/clean", test_clean);
  g_test_add_func ("/Easel/PromptEnhancer/clean-too-long", test_clean_too_long);

#define ADD(path, func) \
  g_test_add ("/Easel/PromptEnhancer/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("enhance", test_enhance);
  ADD ("chatty", test_enhance_chatty);
  ADD ("bad-answers", test_enhance_bad_answers);
  ADD ("http-errors", test_enhance_http_errors);
  ADD ("retry", test_enhance_retry);
  ADD ("invalid-idea", test_enhance_invalid_idea);
  ADD ("cancel", test_enhance_cancel);
#undef ADD

  return g_test_run ();
}
