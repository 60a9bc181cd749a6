/* test-useapi-parse.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "easel-error.h"
#include "easel-openrouter-client.h"
#include "easel-test-json.h"
#include "easel-useapi-parse.h"

#define JOB_ID "j1101093015123456789i-u12345-c1234567890123456789-bot:midjourney"

static void
test_job_completed (void)
{
  g_autoptr(JsonNode) node = easel_test_json (
    "{\"jobid\":\"" JOB_ID "\",\"verb\":\"imagine\",\"jobType\":\"image\",\"status\":\"completed\","
    "\"created\":\"2026-01-01T09:30:15.123Z\",\"updated\":\"2026-01-01T09:31:02.456Z\","
    "\"request\":{\"prompt\":\"a lighthouse --ar 3:2\",\"replyRef\":\"local-7f3c\"},"
    "\"response\":{\"content\":\"**a lighthouse**\",\"progress_percent\":100,"
    "\"attachments\":[{\"url\":\"https://cdn.discordapp.com/attachments/1/2/name_uuid.png?ex=1&is=2&hm=3\","
    "\"proxy_url\":\"https://media.discordapp.net/x\",\"filename\":\"name_uuid.png\",\"width\":2448,\"height\":1632}],"
    "\"buttons\":[\"U1\",\"U2\",\"U3\",\"U4\",\"🔄\",\"V1\",\"V2\",\"V3\",\"V4\"],"
    "\"imageUx\":[{\"id\":1,\"url\":\"https://cdn.midjourney.com/u/0_0.jpeg\"}],\"future\":{}}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselRemoteJob) job = easel_useapi_parse_job (node, &error);
  EaselRemoteOutput *output;

  g_assert_no_error (error);
  g_assert_cmpstr (job->remote_id, ==, JOB_ID);
  g_assert_cmpint (job->state, ==, EASEL_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpstr (job->local_id, ==, "local-7f3c");
  g_assert_cmpstr (job->prompt, ==, "a lighthouse --ar 3:2");
  g_assert_cmpstr (job->job_type, ==, "image");
  g_assert_cmpuint (job->outputs->len, ==, 1);
  output = g_ptr_array_index (job->outputs, 0);
  g_assert_cmpint (output->width, ==, 2448);
  g_assert_cmpint (output->height, ==, 1632);
  g_assert_cmpuint (g_strv_length (job->buttons), ==, 9);
  g_assert_true (easel_remote_job_has_button (job, "🔄"));
  g_assert_false (easel_remote_job_has_button (job, "U5"));
  g_assert_nonnull (job->completed_at);
}

static void
test_job_states (void)
{
  const struct { const char *json; EaselRemoteState state; int progress; const char *error; } cases[] = {
    { "{\"jobid\":\"j\",\"status\":\"created\"}", EASEL_REMOTE_STATE_QUEUED, -1, NULL },
    { "{\"jobid\":\"j\",\"status\":\"started\"}", EASEL_REMOTE_STATE_RUNNING, -1, NULL },
    { "{\"jobid\":\"j\",\"status\":\"progress\",\"response\":{\"progress_percent\":46}}", EASEL_REMOTE_STATE_RUNNING, 46, NULL },
    { "{\"jobid\":\"j\",\"status\":\"moderated\"}", EASEL_REMOTE_STATE_MODERATED, -1, NULL },
    { "{\"jobid\":\"j\",\"status\":\"failed\",\"error\":\"Job cancelled by user\"}", EASEL_REMOTE_STATE_FAILED, -1, "Job cancelled by user" },
    { "{\"jobid\":\"j\",\"status\":\"failed\",\"error\":\"x\",\"errorDetails\":\"y\"}", EASEL_REMOTE_STATE_FAILED, -1, "x (y)" },
    { "{\"jobid\":\"j\",\"status\":\"cancelled\"}", EASEL_REMOTE_STATE_CANCELLED, -1, NULL },
    { "{\"jobid\":\"j\",\"status\":\"queued_elsewhere\"}", EASEL_REMOTE_STATE_UNKNOWN, -1, NULL },
    /* jobId spelling (running list, buttons) */
    { "{\"jobId\":\"j\",\"status\":\"created\"}", EASEL_REMOTE_STATE_QUEUED, -1, NULL },
    /* response.replyRef when the request has none; videoUx for video jobs */
    { "{\"jobid\":\"j\",\"status\":\"completed\",\"jobType\":\"video\",\"response\":{\"replyRef\":\"r\",\"videoUx\":[{\"id\":1,\"url\":\"https://cdn.midjourney.com/v/0.mp4\"}]}}",
      EASEL_REMOTE_STATE_SUCCEEDED, 100, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = easel_test_json (cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(EaselRemoteJob) job = easel_useapi_parse_job (node, &error);

      g_assert_no_error (error);
      g_assert_cmpint (job->state, ==, cases[i].state);
      g_assert_cmpint (job->progress, ==, cases[i].progress);
      g_assert_cmpstr (job->error_message, ==, cases[i].error);
    }
}

static void
test_job_malformed (void)
{
  const char *cases[] = {
    "{\"status\":\"completed\"}",
    "{\"jobid\":\"j\"}",
    "{\"jobid\":\"j\",\"status\":\"progress\",\"response\":{\"progress_percent\":146}}",
    "{\"jobid\":\"j\",\"status\":\"progress\",\"response\":{\"progress_percent\":\"46\"}}",
    "{\"jobid\":\"j\",\"status\":\"completed\",\"response\":{\"attachments\":{}}}",
    "{\"jobid\":\"j\",\"status\":\"completed\",\"response\":{\"attachments\":[\"https://x\"]}}",
    "{\"jobid\":\"j\",\"status\":\"completed\",\"response\":{\"attachments\":[{\"url\":5}]}}",
    "{\"jobid\":\"j\",\"status\":\"completed\",\"response\":{\"attachments\":[{\"url\":\"https://x\",\"width\":-3}]}}",
    "{\"jobid\":\"j\",\"status\":\"completed\",\"response\":{\"buttons\":[1]}}",
    "{\"jobid\":\"j\",\"status\":\"completed\",\"request\":[]}",
    "{\"jobid\":\"\",\"status\":\"completed\"}",
  };
  g_autoptr(GPtrArray) hostile = easel_test_hostile_documents ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_ptr_array_add (hostile, g_strdup (cases[i]));

  for (guint i = 0; i < hostile->len; i++)
    {
      g_autoptr(JsonNode) node = easel_test_json (g_ptr_array_index (hostile, i));
      g_autoptr(GError) error = NULL;
      g_autoptr(EaselRemoteJob) job = easel_useapi_parse_job (node, &error);

      if (job != NULL)
        g_error ("accepted: %s", (char *) g_ptr_array_index (hostile, i));
      g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
    }
}

static void
test_hostile_urls_and_buttons (void)
{
  g_autoptr(JsonNode) node = easel_test_json (
    "{\"jobid\":\"j\",\"status\":\"completed\",\"response\":{"
    "\"attachments\":[{\"url\":\"file:///etc/passwd\"},{\"url\":\"javascript:alert(1)\"},{\"url\":\"https://ok.test/a.png\"}],"
    "\"buttons\":[\"\",\"U1\",\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"]}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselRemoteJob) job = easel_useapi_parse_job (node, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (job->outputs->len, ==, 1);
  g_assert_cmpuint (g_strv_length (job->buttons), ==, 1);
}

static void
test_running (void)
{
  g_autoptr(JsonNode) node = easel_test_json (
    "{\"total\":2,\"images\":1,\"videos\":1,\"channels\":{"
    "\"1234567890123456789\":{\"total\":2,\"maxJobs\":3,\"jobs\":["
    "{\"jobId\":\"" JOB_ID "\",\"channel\":\"1234567890123456789\",\"jobType\":\"image\",\"created\":\"2026-01-01T12:00:00.123Z\",\"elapsed\":\"00:41\"},"
    "{\"jobId\":\"j2v\",\"jobType\":\"video\"},{\"nojob\":1},7]},"
    "\"999\":[]}}");
  g_autoptr(JsonNode) empty = easel_test_json ("{\"total\":0}");
  g_autoptr(JsonNode) bad = easel_test_json ("[]");
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselRemotePage) page = easel_useapi_parse_running (node, &error);
  g_autoptr(EaselRemotePage) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (page->jobs->len, ==, 2);
  g_assert_null (page->next_cursor);
  none = easel_useapi_parse_running (empty, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->jobs->len, ==, 0);
  g_assert_null (easel_useapi_parse_running (bad, &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
}

static void
test_accounts (void)
{
  g_autoptr(JsonNode) map = easel_test_json (
    "{\"123\":{\"discord\":\"MTI...xyz\",\"maxJobs\":3,\"maxImageJobs\":3,\"maxVideoJobs\":1},"
    "\"456\":{\"maxJobs\":12,\"error\":\"Pending moderation\"},\"bad\":5}");
  g_autoptr(JsonNode) array = easel_test_json ("[{\"channel\":\"789\",\"maxJobs\":15},{\"nochannel\":1}]");
  g_autoptr(JsonNode) bad = easel_test_json ("\"nope\"");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) a = easel_useapi_parse_accounts (map, &error);
  g_autoptr(GPtrArray) b = NULL;
  EaselUseapiChannel *c;

  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 2);
  for (guint i = 0; i < a->len; i++)
    {
      c = g_ptr_array_index (a, i);
      if (g_str_equal (c->channel, "456"))
        {
          g_assert_cmpint (c->max_jobs, ==, 12);
          g_assert_cmpstr (c->error, ==, "Pending moderation");
        }
      else
        g_assert_cmpint (c->max_video_jobs, ==, 1);
    }

  b = easel_useapi_parse_accounts (array, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (b->len, ==, 1);

  g_assert_null (easel_useapi_parse_accounts (bad, &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
}

static void
test_classify (void)
{
  g_autoptr(JsonNode) body = easel_test_json ("{\"error\":\"Account has no subscription\",\"code\":402}");
  g_autofree char *m1 = NULL, *m2 = NULL, *m3 = NULL, *m4 = NULL;

  g_assert_cmpint (easel_useapi_classify (402, body, &m1, NULL), ==, -1);
  g_assert_cmpstr (m1, ==, "Account has no subscription");
  g_assert_cmpint (easel_useapi_classify (596, NULL, &m2, NULL), ==, EASEL_ERROR_NEEDS_ATTENTION);
  g_assert_cmpint (easel_useapi_classify (504, NULL, &m3, NULL), ==, EASEL_ERROR_UNTRACKED);
  g_assert_cmpint (easel_useapi_classify (422, NULL, &m4, NULL), ==, EASEL_ERROR_MODERATED);
}

static void
test_openrouter (void)
{
  g_autoptr(JsonNode) ok = easel_test_json (
    "{\"id\":\"gen-1\",\"object\":\"chat.completion\",\"model\":\"openai/gpt-4o-mini\","
    "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"a cabin --ar 3:2\"}}],"
    "\"usage\":{\"prompt_tokens\":41,\"completion_tokens\":22,\"total_tokens\":63}}");
  const struct { const char *json; int code; } errors[] = {
    { "{\"error\":{\"code\":402,\"message\":\"Insufficient credits\"}}", EASEL_ERROR_PAYMENT_REQUIRED },
    { "{\"error\":{\"code\":429,\"message\":\"Rate limited\"}}", EASEL_ERROR_RATE_LIMITED },
    { "{\"error\":{\"code\":403,\"message\":\"Flagged\"}}", EASEL_ERROR_MODERATED },
    { "{\"error\":{\"code\":502,\"message\":\"Upstream down\"}}", EASEL_ERROR_UNAVAILABLE },
    { "{\"error\":{\"message\":\"no code\"}}", EASEL_ERROR_FAILED },
    { "{\"choices\":[]}", EASEL_ERROR_INVALID_RESPONSE },
    { "{\"choices\":[{\"message\":{\"content\":5}}]}", EASEL_ERROR_INVALID_RESPONSE },
    { "{\"choices\":[7]}", EASEL_ERROR_INVALID_RESPONSE },
    { "[]", EASEL_ERROR_INVALID_RESPONSE },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselCompletion) completion = easel_openrouter_parse_completion (ok, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (completion->content, ==, "a cabin --ar 3:2");
  g_assert_cmpint (completion->prompt_tokens, ==, 41);
  g_assert_cmpint (completion->completion_tokens, ==, 22);

  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    {
      g_autoptr(JsonNode) node = easel_test_json (errors[i].json);
      g_autoptr(GError) e = NULL;
      g_autoptr(EaselCompletion) c = easel_openrouter_parse_completion (node, &e);

      g_assert_null (c);
      g_assert_error (e, EASEL_ERROR, errors[i].code);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Easel/UseapiParse/job-completed", test_job_completed);
  g_test_add_func ("/Easel/UseapiParse/job-states", test_job_states);
  g_test_add_func ("/Easel/UseapiParse/job-malformed", test_job_malformed);
  g_test_add_func ("/Easel/UseapiParse/hostile-urls-and-buttons", test_hostile_urls_and_buttons);
  g_test_add_func ("/Easel/UseapiParse/running", test_running);
  g_test_add_func ("/Easel/UseapiParse/accounts", test_accounts);
  g_test_add_func ("/Easel/UseapiParse/classify", test_classify);
  g_test_add_func ("/Easel/OpenrouterParse/completion", test_openrouter);

  return g_test_run ();
}
