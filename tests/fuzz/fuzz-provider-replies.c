/* fuzz-provider-replies.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Fuzzes every parser of provider replies: Replicate predictions, list
 * pages, model schemas and file objects; UseAPI jobs, running lists and
 * accounts; OpenRouter completions; and the error classifiers. The input
 * goes through easel_json_parse() as a server reply would. Besides the
 * sanitizers, the checks are that a parser returns either a value or an
 * error (never both, never neither) and that what it returns is sane:
 * outputs are http(s) URLs, progress is -1 or 0–100. */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "easel-error.h"
#include "easel-json.h"
#include "easel-openrouter-client.h"
#include "easel-replicate-parse.h"
#include "easel-useapi-parse.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* Parsers log skipped entries with g_debug; keep the output quiet. */
  g_log_set_writer_func (g_log_writer_default, NULL, NULL);
  g_setenv ("G_MESSAGES_DEBUG", "", TRUE);
  return 0;
}

static void
check_job (EaselRemoteJob *job,
           GError         *error)
{
  if ((job == NULL) == (error == NULL))
    abort ();
  if (job == NULL)
    {
      if (error->domain != EASEL_ERROR)
        abort ();
      return;
    }

  if (job->remote_id == NULL || job->remote_id[0] == '\0')
    abort ();
  if (job->progress < -1 || job->progress > 100)
    abort ();
  for (guint i = 0; i < job->outputs->len; i++)
    {
      EaselRemoteOutput *output = g_ptr_array_index (job->outputs, i);

      if (!easel_json_is_http_url (output->url) || output->width < 0 || output->height < 0)
        abort ();
    }
  easel_remote_job_unref (job);
}

static void
check_page (EaselRemotePage *page,
            GError          *error)
{
  if ((page == NULL) == (error == NULL))
    abort ();
  if (page != NULL)
    {
      for (guint i = 0; i < page->jobs->len; i++)
        {
          EaselRemoteJob *job = g_ptr_array_index (page->jobs, i);

          if (job->remote_id == NULL)
            abort ();
        }
      easel_remote_page_free (page);
    }
}

static void
check_array (GPtrArray *array,
             GError    *error)
{
  if ((array == NULL) == (error == NULL))
    abort ();
  if (array != NULL)
    g_ptr_array_unref (array);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  char *message = NULL;

  node = easel_json_parse ((const char *) data, size, NULL);
  if (node == NULL)
    return 0;

  check_job (easel_replicate_parse_prediction (node, &error), error);
  g_clear_error (&error);
  check_page (easel_replicate_parse_page (node, &error), error);
  g_clear_error (&error);
  check_array (easel_replicate_parse_schema (node, &error), error);
  g_clear_error (&error);
  g_free (easel_replicate_parse_file (node, &error));
  g_clear_error (&error);

  check_job (easel_useapi_parse_job (node, &error), error);
  g_clear_error (&error);
  check_page (easel_useapi_parse_running (node, &error), error);
  g_clear_error (&error);
  check_array (easel_useapi_parse_accounts (node, &error), error);
  g_clear_error (&error);

  {
    EaselCompletion *completion = easel_openrouter_parse_completion (node, &error);

    if ((completion == NULL) == (error == NULL))
      abort ();
    easel_completion_free (completion);
    g_clear_error (&error);
  }

  for (guint status = 400; status < 600; status += 13)
    {
      easel_replicate_classify (status, node, &message, NULL);
      g_free (message);
      easel_useapi_classify (status, node, &message, NULL);
      g_free (message);
      easel_openrouter_classify (status, node, &message, NULL);
      g_free (message);
    }

  return 0;
}
