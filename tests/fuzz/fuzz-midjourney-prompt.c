/* fuzz-midjourney-prompt.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Fuzzes the Midjourney prompt parser, validator and builder.
 *
 * An input is a prompt. It is parsed; valid parameters are built back into
 * a prompt, which must parse to the same image addresses, text and
 * parameters, and build to the same prompt again. An input that starts
 * with "{" and is a small JSON object is also taken as a parameter object:
 * whatever validates must build (unless too long), and what it builds must
 * read back valid and build to the same prompt.
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "easel-error.h"
#include "easel-midjourney-params.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define CHECK(cond) G_STMT_START { if (!(cond)) { g_printerr ("check failed: %s\n", #cond); abort (); } } G_STMT_END

static void
check_error (const GError *error)
{
  CHECK (g_error_matches (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER));
  CHECK (g_utf8_validate (error->message, -1, NULL));
}

static gboolean
objects_equal (JsonObject *a,
               JsonObject *b)
{
  g_autoptr(JsonNode) node_a = json_node_init_object (json_node_alloc (), a);
  g_autoptr(JsonNode) node_b = json_node_init_object (json_node_alloc (), b);

  return json_node_equal (node_a, node_b);
}

/* @prompt was built: it must be short enough, read back, validate, and
 * build to itself. */
static void
check_built (const char *prompt,
             char      **urls,
             const char *text,
             JsonObject *params)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) urls2 = NULL;
  g_autofree char *text2 = NULL;
  g_autoptr(JsonObject) params2 = NULL;
  g_autofree char *again = NULL;

  CHECK (g_utf8_validate (prompt, -1, NULL));
  CHECK (strchr (prompt, '\n') == NULL);
  CHECK (g_utf8_strlen (prompt, -1) <= EASEL_MIDJOURNEY_PROMPT_MAX_LENGTH);

  if (!easel_midjourney_parse_prompt (prompt, &urls2, &text2, &params2, &error))
    {
      g_printerr ("built “%s” does not parse: %s\n", prompt, error->message);
      abort ();
    }
  if (!easel_midjourney_params_validate (params2, &error))
    {
      g_printerr ("built “%s” does not validate: %s\n", prompt, error->message);
      abort ();
    }

  if (urls != NULL)
    {
      CHECK (g_strv_equal ((const char *const *) urls, (const char *const *) urls2));
      CHECK (g_strcmp0 (text, text2) == 0);
      CHECK (objects_equal (params, params2));
    }

  again = easel_midjourney_build_prompt ((const char *const *) urls2, text2, params2, &error);
  if (again == NULL || !g_str_equal (again, prompt))
    {
      g_printerr ("“%s” builds to “%s” (%s)\n", prompt, again, error ? error->message : "");
      abort ();
    }
}

static void
fuzz_prompt (const char *prompt)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) urls = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) params = NULL;
  g_autofree char *built = NULL;
  gboolean valid;

  /* As prompt text, with nothing else. */
  built = easel_midjourney_build_prompt (NULL, prompt, NULL, &error);
  if (built == NULL)
    check_error (error);
  g_clear_error (&error);
  g_clear_pointer (&built, g_free);

  if (!easel_midjourney_parse_prompt (prompt, &urls, &text, &params, &error))
    {
      check_error (error);
      CHECK (urls == NULL && text == NULL && params == NULL);
      return;
    }
  CHECK (g_utf8_validate (text, -1, NULL));

  valid = easel_midjourney_params_validate (params, &error);
  if (!valid)
    check_error (error);
  g_clear_error (&error);

  built = easel_midjourney_build_prompt ((const char *const *) urls, text, params, &error);
  if (built == NULL)
    {
      /* Building validates the same parameters; it may also refuse an
       * image address or the length. */
      check_error (error);
      return;
    }
  CHECK (valid);

  check_built (built, urls, text, params);
}

static void
fuzz_params (const uint8_t *data,
             size_t         size)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *built = NULL;
  JsonObject *params;
  guint brackets = 0;

  /* json-glib itself overflows the stack on deep nesting: stay shallow. */
  for (size_t i = 0; i < size; i++)
    brackets += data[i] == '[' || data[i] == '{';
  if (size > 4096 || brackets > 32 ||
      !json_parser_load_from_data (parser, (const char *) data, size, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;

  params = json_node_get_object (json_parser_get_root (parser));
  if (!easel_midjourney_params_validate (params, &error))
    {
      check_error (error);
      return;
    }

  built = easel_midjourney_build_prompt (NULL, "x", params, &error);
  if (built == NULL)
    {
      check_error (error);
      CHECK (strstr (error->message, "characters long") != NULL);
      return;
    }

  check_built (built, NULL, NULL, NULL);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *prompt = g_strndup ((const char *) data, size);

  fuzz_prompt (prompt);
  if (size > 0 && data[0] == '{')
    fuzz_params (data, size);

  return 0;
}
