/* test-replicate-parse.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "easel-error.h"
#include "easel-replicate-parse.h"
#include "easel-test-json.h"

static void
test_prediction_succeeded (void)
{
  g_autoptr(JsonNode) node = easel_test_json (
    "{\"id\":\"q8h2\",\"model\":\"black-forest-labs/flux-schnell\",\"version\":\"hidden\","
    "\"status\":\"succeeded\",\"source\":\"api\",\"data_removed\":false,"
    "\"input\":{\"prompt\":\"a lighthouse at dusk\",\"num_outputs\":2},"
    "\"output\":[\"https://replicate.delivery/a/out-0.webp\",\"https://replicate.delivery/a/out-1.webp\"],"
    "\"error\":null,\"logs\":\"  0%|          | 0/4\\n 50%|#####     | 2/4\\n100%|##########| 4/4\\n\","
    "\"metrics\":{\"predict_time\":0.81,\"total_time\":1.02},"
    "\"created_at\":\"2026-01-01T09:30:15.1Z\",\"completed_at\":\"2026-01-01T09:30:16.1Z\","
    "\"urls\":{\"get\":\"https://api.replicate.com/v1/predictions/q8h2\"},\"unknown_field\":[1,2]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselRemoteJob) job = easel_replicate_parse_prediction (node, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (job->remote_id, ==, "q8h2");
  g_assert_cmpint (job->state, ==, EASEL_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpstr (job->model, ==, "black-forest-labs/flux-schnell");
  g_assert_cmpstr (job->prompt, ==, "a lighthouse at dusk");
  g_assert_cmpuint (job->outputs->len, ==, 2);
  g_assert_cmpfloat_with_epsilon (job->predict_time, 0.81, 1e-9);
  g_assert_cmpint (job->progress, ==, 100);
  g_assert_nonnull (job->created_at);
  g_assert_nonnull (job->completed_at);
  g_assert_false (job->data_removed);
}

static void
test_prediction_states (void)
{
  const struct { const char *json; EaselRemoteState state; guint outputs; int progress; } cases[] = {
    { "{\"id\":\"a\",\"status\":\"starting\"}", EASEL_REMOTE_STATE_QUEUED, 0, -1 },
    { "{\"id\":\"a\",\"status\":\"processing\",\"logs\":\"45%|####5     | 9/20\"}", EASEL_REMOTE_STATE_RUNNING, 0, 45 },
    { "{\"id\":\"a\",\"status\":\"failed\",\"error\":\"NSFW content detected\"}", EASEL_REMOTE_STATE_FAILED, 0, -1 },
    { "{\"id\":\"a\",\"status\":\"canceled\"}", EASEL_REMOTE_STATE_CANCELLED, 0, -1 },
    { "{\"id\":\"a\",\"status\":\"aborted\"}", EASEL_REMOTE_STATE_ABORTED, 0, -1 },
    /* An undocumented status is surfaced as unknown, never guessed. */
    { "{\"id\":\"a\",\"status\":\"paused\"}", EASEL_REMOTE_STATE_UNKNOWN, 0, -1 },
    /* Output as a single string */
    { "{\"id\":\"a\",\"status\":\"succeeded\",\"output\":\"https://x.test/o.png\"}", EASEL_REMOTE_STATE_SUCCEEDED, 1, 100 },
    /* Hostile or useless output URLs are not downloaded */
    { "{\"id\":\"a\",\"status\":\"succeeded\",\"output\":[\"file:///etc/passwd\",\"javascript:x\",\"data:image/png;base64,AA\",\"/relative\",\"https://ok.test/1.png\"]}",
      EASEL_REMOTE_STATE_SUCCEEDED, 1, 100 },
    /* Structured output (a text model): nothing to download */
    { "{\"id\":\"a\",\"status\":\"succeeded\",\"output\":{\"text\":\"hi\"}}", EASEL_REMOTE_STATE_SUCCEEDED, 0, 100 },
    /* data_removed after the 1-hour retention */
    { "{\"id\":\"a\",\"status\":\"succeeded\",\"output\":null,\"data_removed\":true}", EASEL_REMOTE_STATE_SUCCEEDED, 0, 100 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = easel_test_json (cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(EaselRemoteJob) job = easel_replicate_parse_prediction (node, &error);

      g_assert_no_error (error);
      g_assert_cmpint (job->state, ==, cases[i].state);
      g_assert_cmpuint (job->outputs->len, ==, cases[i].outputs);
      g_assert_cmpint (job->progress, ==, cases[i].progress);
    }
}

static void
test_prediction_malformed (void)
{
  const char *cases[] = {
    "{\"status\":\"succeeded\"}",                                /* no id */
    "{\"id\":\"a\"}",                                            /* no status */
    "{\"id\":7,\"status\":\"succeeded\"}",                       /* wrong types */
    "{\"id\":\"a\",\"status\":true}",
    "{\"id\":\"a\",\"status\":\"succeeded\",\"output\":[1,2]}",
    "{\"id\":\"a\",\"status\":\"succeeded\",\"metrics\":[]}",
    "{\"id\":\"a\",\"status\":\"succeeded\",\"metrics\":{\"predict_time\":\"fast\"}}",
    "{\"id\":\"a\",\"status\":\"succeeded\",\"input\":\"prompt\"}",
    "{\"id\":\"a\",\"status\":\"succeeded\",\"data_removed\":\"no\"}",
    "{\"id\":\"\",\"status\":\"succeeded\"}",
  };
  g_autoptr(GPtrArray) hostile = easel_test_hostile_documents ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_ptr_array_add (hostile, g_strdup (cases[i]));

  for (guint i = 0; i < hostile->len; i++)
    {
      g_autoptr(JsonNode) node = easel_test_json (g_ptr_array_index (hostile, i));
      g_autoptr(GError) error = NULL;
      g_autoptr(EaselRemoteJob) job = easel_replicate_parse_prediction (node, &error);

      g_assert_null (job);
      g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
      g_assert_true (g_str_has_prefix (error->message, "Replicate prediction: "));
    }
}

static void
test_page (void)
{
  g_autoptr(JsonNode) node = easel_test_json (
    "{\"previous\":null,\"next\":\"https://api.replicate.com/v1/predictions?cursor=cD0yMDI2\","
    "\"results\":[{\"id\":\"a\",\"status\":\"succeeded\"},{\"bad\":true},{\"id\":\"b\",\"status\":\"failed\"}]}");
  g_autoptr(JsonNode) last = easel_test_json ("{\"previous\":\"x\",\"next\":null,\"results\":[]}");
  g_autoptr(JsonNode) broken = easel_test_json ("{\"next\":null}");
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselRemotePage) page = easel_replicate_parse_page (node, &error);
  g_autoptr(EaselRemotePage) last_page = NULL;

  g_assert_no_error (error);
  /* The unreadable entry is skipped, not fatal. */
  g_assert_cmpuint (page->jobs->len, ==, 2);
  g_assert_cmpstr (page->next_cursor, ==, "cD0yMDI2");

  last_page = easel_replicate_parse_page (last, &error);
  g_assert_no_error (error);
  g_assert_null (last_page->next_cursor);

  g_assert_null (easel_replicate_parse_page (broken, &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
}

static void
test_schema (void)
{
  g_autoptr(JsonNode) node = easel_test_json (
    "{\"owner\":\"black-forest-labs\",\"name\":\"flux-schnell\",\"latest_version\":{\"id\":\"v1\","
    "\"openapi_schema\":{\"components\":{\"schemas\":{"
    "\"aspect_ratio\":{\"type\":\"string\",\"enum\":[\"1:1\",\"16:9\",\"9:16\"],\"title\":\"aspect_ratio\"},"
    "\"Input\":{\"type\":\"object\",\"required\":[\"prompt\"],\"properties\":{"
    "\"prompt\":{\"type\":\"string\",\"title\":\"Prompt\",\"x-order\":0,\"description\":\"What to draw\"},"
    "\"aspect_ratio\":{\"allOf\":[{\"$ref\":\"#/components/schemas/aspect_ratio\"}],\"default\":\"1:1\",\"x-order\":1},"
    "\"num_outputs\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":4,\"default\":1,\"x-order\":2},"
    "\"guidance\":{\"type\":\"number\",\"minimum\":0,\"maximum\":10,\"x-order\":3},"
    "\"go_fast\":{\"type\":\"boolean\",\"default\":true,\"x-order\":4},"
    "\"image\":{\"type\":\"string\",\"format\":\"uri\",\"x-order\":5},"
    "\"weird\":{\"type\":\"array\",\"items\":{}},"
    "\"bad_default\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":4,\"default\":99,\"x-order\":6}"
    "}}}}}}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) params = easel_replicate_parse_schema (node, &error);
  EaselParam *p;

  g_assert_no_error (error);
  g_assert_cmpuint (params->len, ==, 8);

  p = g_ptr_array_index (params, 0);
  g_assert_cmpstr (p->name, ==, "prompt");
  g_assert_cmpint (p->type, ==, EASEL_PARAM_TEXT);
  g_assert_true (p->required);
  g_assert_cmpstr (p->help, ==, "What to draw");

  p = g_ptr_array_index (params, 1);
  g_assert_cmpint (p->type, ==, EASEL_PARAM_ENUM);
  g_assert_cmpuint (g_strv_length (p->choices), ==, 3);
  g_assert_cmpstr (json_node_get_string (p->default_value), ==, "1:1");

  p = g_ptr_array_index (params, 2);
  g_assert_cmpint (p->type, ==, EASEL_PARAM_INTEGER);
  g_assert_true (p->has_minimum && p->has_maximum);
  g_assert_cmpfloat (p->maximum, ==, 4);

  p = g_ptr_array_index (params, 5);
  g_assert_cmpint (p->type, ==, EASEL_PARAM_IMAGE);

  /* A default outside its own bounds is dropped. */
  p = g_ptr_array_index (params, 6);
  g_assert_null (p->default_value);

  /* A type the editor has no control for is kept, as JSON; without an
   * x-order it comes last. */
  p = g_ptr_array_index (params, 7);
  g_assert_cmpstr (p->name, ==, "weird");
  g_assert_cmpint (p->type, ==, EASEL_PARAM_JSON);
  {
    g_autoptr(JsonNode) any = easel_test_json ("[1, {\"a\": null}]");

    g_assert_true (easel_param_check (p, any, NULL));
  }

  {
    g_autoptr(JsonNode) none = easel_test_json ("{\"latest_version\":null}");

    g_assert_null (easel_replicate_parse_schema (none, &error));
    g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
  }
}

static void
test_file (void)
{
  g_autoptr(JsonNode) ok = easel_test_json ("{\"id\":\"f1\",\"urls\":{\"get\":\"https://api.replicate.com/v1/files/f1\"}}");
  g_autoptr(JsonNode) hostile = easel_test_json ("{\"id\":\"f1\",\"urls\":{\"get\":\"file:///etc/shadow\"}}");
  g_autoptr(JsonNode) missing = easel_test_json ("{\"id\":\"f1\"}");
  g_autoptr(GError) error = NULL;
  g_autofree char *url = easel_replicate_parse_file (ok, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://api.replicate.com/v1/files/f1");
  g_assert_null (easel_replicate_parse_file (hostile, &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  g_assert_null (easel_replicate_parse_file (missing, &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
}

static void
test_classify (void)
{
  g_autoptr(JsonNode) problem = easel_test_json ("{\"title\":\"Unauthenticated\",\"detail\":\"You did not pass a valid authentication token\",\"status\":401}");
  g_autoptr(JsonNode) throttled = easel_test_json ("{\"detail\":\"Request was throttled. Your rate limit resets in ~30s.\"}");
  g_autofree char *m1 = NULL, *m2 = NULL, *m3 = NULL;

  g_assert_cmpint (easel_replicate_classify (401, problem, &m1, NULL), ==, -1);
  g_assert_cmpstr (m1, ==, "You did not pass a valid authentication token");
  easel_replicate_classify (429, throttled, &m2, NULL);
  g_assert_true (g_str_has_prefix (m2, "Request was throttled"));
  easel_replicate_classify (500, NULL, &m3, NULL);
  g_assert_null (m3);
}

static void
test_progress (void)
{
  g_assert_cmpint (easel_replicate_parse_progress (NULL), ==, -1);
  g_assert_cmpint (easel_replicate_parse_progress ("no bars"), ==, -1);
  g_assert_cmpint (easel_replicate_parse_progress ("100%|###| 4/4"), ==, 100);
  g_assert_cmpint (easel_replicate_parse_progress ("5%|  |\n17%|#  |"), ==, 17);
  g_assert_cmpint (easel_replicate_parse_progress ("9999%|"), ==, -1);
  g_assert_cmpint (easel_replicate_parse_progress ("%|%|%|"), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Easel/ReplicateParse/prediction-succeeded", test_prediction_succeeded);
  g_test_add_func ("/Easel/ReplicateParse/prediction-states", test_prediction_states);
  g_test_add_func ("/Easel/ReplicateParse/prediction-malformed", test_prediction_malformed);
  g_test_add_func ("/Easel/ReplicateParse/page", test_page);
  g_test_add_func ("/Easel/ReplicateParse/schema", test_schema);
  g_test_add_func ("/Easel/ReplicateParse/file", test_file);
  g_test_add_func ("/Easel/ReplicateParse/classify", test_classify);
  g_test_add_func ("/Easel/ReplicateParse/progress", test_progress);

  return g_test_run ();
}
