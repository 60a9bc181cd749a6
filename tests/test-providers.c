/* test-providers.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The real provider code against the emulator, in process: whole job
 * lifecycles over HTTP and SSE, the documented errors, faults, capacity,
 * moderation, buttons, uploads and pagination.
 *
 * All log output of every test (G_MESSAGES_DEBUG=all) is captured, and at
 * the end of each test it must not contain the sentinel tokens, UseAPI job
 * ids or CDN URLs (the redaction rule of DESIGN.md). */

#include "config.h"

#include <string.h>

#include "easel-emulator.h"
#include "easel-error.h"
#include "easel-openrouter-client.h"
#include "easel-provider-registry.h"
#include "easel-replicate-provider.h"
#include "easel-useapi-provider.h"

#define SENTINEL "sentinelTOKEN"
#define REPLICATE_TOKEN "r8_" SENTINEL "0001"
#define USEAPI_TOKEN "user:4242-" SENTINEL "0002"
#define OPENROUTER_TOKEN "sk-or-v1-" SENTINEL "0003"
#define SDXL "stability-ai/sdxl:7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc"

static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].length < 0)
        g_string_append_printf (captured_log, "%s=%s ", fields[i].key, (const char *) fields[i].value);
    }
  g_string_append_c (captured_log, '\n');

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

typedef struct
{
  EaselEmulator  *emulator;
  char           *origin;
  EaselProvider  *replicate;
  EaselProvider  *midjourney;
  GAsyncResult   *result;
  GArray         *delays;
} Fixture;

static void
record_sleep (guint       delay_ms,
              GSourceFunc wake,
              gpointer    wake_data,
              gpointer    user_data)
{
  Fixture *f = user_data;

  g_array_append_val (f->delays, delay_ms);
  g_timeout_add (5, wake, wake_data);
}

static EaselProvider *
create_provider (Fixture    *f,
                 const char *id,
                 const char *path,
                 const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (f->origin, path, NULL);
  EaselProvider *provider = easel_provider_registry_create (id, url, token, &error);

  g_assert_no_error (error);
  return provider;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_string_truncate (captured_log, 0);
  f->emulator = easel_emulator_new ();
  easel_emulator_set_job_duration (f->emulator, 20, 80);
  easel_emulator_listen (f->emulator, 0, &error);
  g_assert_no_error (error);
  f->origin = easel_emulator_dup_origin (f->emulator);
  f->delays = g_array_new (FALSE, FALSE, sizeof (guint));

  f->replicate = create_provider (f, "replicate", "/v1", REPLICATE_TOKEN);
  easel_replicate_provider_set_poll_delays (EASEL_REPLICATE_PROVIDER (f->replicate), 20, 100);
  easel_http_client_set_sleep_func (easel_http_provider_get_client (EASEL_HTTP_PROVIDER (f->replicate)),
                                    record_sleep, f);

  f->midjourney = create_provider (f, "midjourney", "/v3/midjourney", USEAPI_TOKEN);
  easel_useapi_provider_set_poll_delays (EASEL_USEAPI_PROVIDER (f->midjourney), 20, 100);
  easel_http_client_set_sleep_func (easel_http_provider_get_client (EASEL_HTTP_PROVIDER (f->midjourney)),
                                    record_sleep, f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_object_run_dispose (G_OBJECT (f->midjourney));
  g_clear_object (&f->replicate);
  g_clear_object (&f->midjourney);
  g_clear_object (&f->result);
  g_clear_object (&f->emulator);
  g_array_unref (f->delays);
  g_free (f->origin);

  /* Let cancelled reads and closing sockets settle. */
  for (int i = 0; i < 20 && g_main_context_iteration (NULL, FALSE); i++)
    ;

  /* Nothing secret or account-identifying reached the log. */
  if (strstr (captured_log->str, SENTINEL) != NULL ||
      strstr (captured_log->str, "-bot:midjourney") != NULL ||
      strstr (captured_log->str, "hm=") != NULL)
    g_error ("The log holds a secret or an identifying value:\n%s", captured_log->str);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  g_printerr ("%s", captured_log->str);
  g_error ("Timed out after 20 s");
  return G_SOURCE_REMOVE;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_null (f->result);
  f->result = g_object_ref (result);
}

/* Spins until an async operation started with result_cb has finished. */
static GAsyncResult *
wait_result (Fixture *f)
{
  guint id = g_timeout_add_seconds (20, watchdog_cb, NULL);

  g_clear_object (&f->result);
  while (f->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return f->result;
}

static void
begin (Fixture *f)
{
  g_clear_object (&f->result);
}

static EaselRemoteJob *
submit (Fixture       *f,
        EaselProvider *provider,
        EaselJobSpec  *spec,
        GError       **error)
{
  begin (f);
  easel_provider_submit_async (provider, spec, NULL, result_cb, f);
  while (f->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return easel_provider_submit_finish (provider, f->result, error);
}

static void
count_update (EaselJobWatch  *watch,
              EaselRemoteJob *job,
              GPtrArray      *updates)
{
  g_ptr_array_add (updates, easel_remote_job_ref (job));
}

/* Watches @job to the end. Returns the updates seen. */
static GPtrArray *
watch_to_end (EaselProvider  *provider,
              EaselRemoteJob *job,
              EaselJobWatch **out_watch)
{
  GPtrArray *updates = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_remote_job_unref);
  EaselJobWatch *watch = easel_provider_watch (provider, job);
  guint id = g_timeout_add_seconds (20, watchdog_cb, NULL);

  g_signal_connect (watch, "updated", G_CALLBACK (count_update), updates);
  while (!easel_job_watch_get_finished (watch))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  *out_watch = watch;
  return updates;
}

/* Replicate */

static void
test_replicate_lifecycle (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("local-1", "black-forest-labs/flux-schnell",
                                                     "a lighthouse at dusk, oil painting");
  g_autoptr(JsonNode) n = json_node_init_int (json_node_alloc (), 2);
  g_autoptr(JsonNode) ar = json_node_init_string (json_node_alloc (), "16:9");
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(EaselJobWatch) watch = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError) error = NULL;
  EaselCostEstimate estimate, cost;
  EaselRemoteJob *final;
  guint requests;

  easel_job_spec_set_param (spec, "num_outputs", n);
  easel_job_spec_set_param (spec, "aspect_ratio", ar);

  g_assert_true (easel_provider_estimate_cost (f->replicate, spec, &estimate, &error));
  g_assert_cmpint (estimate.micros, ==, 6000);
  g_assert_true (estimate.exact);
  easel_cost_estimate_clear (&estimate);

  job = submit (f, f->replicate, spec, &error);
  g_assert_no_error (error);
  g_assert_nonnull (job->remote_id);

  updates = watch_to_end (f->replicate, job, &watch);
  g_assert_null (easel_job_watch_get_error (watch));
  final = easel_job_watch_get_job (watch);
  g_assert_cmpint (final->state, ==, EASEL_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpuint (final->outputs->len, ==, 2);
  g_assert_true (g_str_has_prefix (((EaselRemoteOutput *) g_ptr_array_index (final->outputs, 0))->url,
                                   f->origin));

  /* Prefer: wait and adaptive polling: at most three requests for the job. */
  requests = easel_emulator_get_total_requests (f->emulator);
  g_assert_cmpuint (requests, <=, 3);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, "POST /v1/models/{owner}/{name}/predictions"), ==, 1);

  g_assert_true (easel_provider_actual_cost (f->replicate, final, &cost));
  g_assert_cmpint (cost.micros, ==, 6000);
  easel_cost_estimate_clear (&cost);
}

static void
test_replicate_versioned (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("local-2", SDXL, "a red fox");
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(EaselJobWatch) watch = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError) error = NULL;
  EaselCostEstimate estimate, cost;

  g_assert_true (easel_provider_estimate_cost (f->replicate, spec, &estimate, &error));
  g_assert_false (estimate.exact);
  easel_cost_estimate_clear (&estimate);

  job = submit (f, f->replicate, spec, &error);
  g_assert_no_error (error);
  updates = watch_to_end (f->replicate, job, &watch);
  g_assert_cmpint (easel_job_watch_get_job (watch)->state, ==, EASEL_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, "POST /v1/predictions"), ==, 1);

  /* Billed by the second of GPU time. */
  g_assert_true (easel_provider_actual_cost (f->replicate, easel_job_watch_get_job (watch), &cost));
  g_assert_cmpint (cost.micros, >=, 0);
  g_assert_false (cost.exact);
  easel_cost_estimate_clear (&cost);
}

static void
test_replicate_bad_model (Fixture       *f,
                          gconstpointer  data)
{
  const char *bad[] = { "../../account", "owner/name/extra", "noslash", "a/b:../../x", "" };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("x", bad[i], "p");
      g_autoptr(EaselRemoteJob) job = submit (f, f->replicate, spec, &error);

      g_assert_null (job);
      g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
      g_clear_error (&error);
    }
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emulator), ==, 0);

  {
    g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("x", "nobody/nothing", "p");
    g_autoptr(EaselRemoteJob) job = submit (f, f->replicate, spec, &error);

    g_assert_null (job);
    g_assert_error (error, EASEL_ERROR, EASEL_ERROR_NOT_FOUND);
  }
}

static void
test_replicate_invalid_input (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("x", "black-forest-labs/flux-schnell", "p");
  g_autoptr(JsonNode) n = json_node_init_int (json_node_alloc (), 99);
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(GError) error = NULL;

  easel_job_spec_set_param (spec, "num_outputs", n);
  job = submit (f, f->replicate, spec, &error);
  g_assert_null (job);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_INPUT);
}

static void
test_replicate_failed_and_moderated (Fixture       *f,
                                     gconstpointer  data)
{
  const char *prompts[] = { "please fail-me now", "moderate-me" };

  for (guint i = 0; i < G_N_ELEMENTS (prompts); i++)
    {
      g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("x", "black-forest-labs/flux-schnell", prompts[i]);
      g_autoptr(EaselRemoteJob) job = NULL;
      g_autoptr(EaselJobWatch) watch = NULL;
      g_autoptr(GPtrArray) updates = NULL;
      g_autoptr(GError) error = NULL;
      EaselCostEstimate cost;

      job = submit (f, f->replicate, spec, &error);
      g_assert_no_error (error);
      updates = watch_to_end (f->replicate, job, &watch);
      g_assert_cmpint (easel_job_watch_get_job (watch)->state, ==, EASEL_REMOTE_STATE_FAILED);
      g_assert_nonnull (easel_job_watch_get_job (watch)->error_message);

      /* A failed job of an official model is not billed. */
      g_assert_true (easel_provider_actual_cost (f->replicate, easel_job_watch_get_job (watch), &cost));
      g_assert_cmpint (cost.micros, ==, 0);
      easel_cost_estimate_clear (&cost);
    }
}

static void
test_replicate_cancel (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("x", "black-forest-labs/flux-dev", "slow one");
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(EaselJobWatch) watch = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError) error = NULL;

  easel_emulator_set_job_duration (f->emulator, 50, 5000);
  easel_replicate_provider_set_prefer_wait (EASEL_REPLICATE_PROVIDER (f->replicate), 0);
  job = submit (f, f->replicate, spec, &error);
  g_assert_no_error (error);
  g_assert_false (easel_remote_job_is_terminal (job));

  begin (f);
  easel_provider_cancel_async (f->replicate, job->remote_id, NULL, result_cb, f);
  g_assert_true (easel_provider_cancel_finish (f->replicate, wait_result (f), &error));
  g_assert_no_error (error);

  updates = watch_to_end (f->replicate, job, &watch);
  g_assert_cmpint (easel_job_watch_get_job (watch)->state, ==, EASEL_REMOTE_STATE_CANCELLED);
}

static void
test_replicate_aborted (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("x", "black-forest-labs/flux-schnell", "queued too long");
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(EaselJobWatch) watch = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError) error = NULL;
  EaselCostEstimate cost;

  /* Not started before its Cancel-After deadline: aborted, and free. */
  easel_emulator_set_job_duration (f->emulator, 3000, 100);
  easel_replicate_provider_set_prefer_wait (EASEL_REPLICATE_PROVIDER (f->replicate), 0);
  easel_replicate_provider_set_cancel_after (EASEL_REPLICATE_PROVIDER (f->replicate), "1s");
  job = submit (f, f->replicate, spec, &error);
  g_assert_no_error (error);
  updates = watch_to_end (f->replicate, job, &watch);
  g_assert_cmpint (easel_job_watch_get_job (watch)->state, ==, EASEL_REMOTE_STATE_ABORTED);
  g_assert_true (easel_provider_actual_cost (f->replicate, easel_job_watch_get_job (watch), &cost));
  g_assert_cmpint (cost.micros, ==, 0);
  easel_cost_estimate_clear (&cost);
}

static void
test_replicate_pagination (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  g_autoptr(GError) error = NULL;
  guint pages = 0;

  easel_emulator_set_page_size (f->emulator, 4);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *prompt = g_strdup_printf ("fox %u", i);
      g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("x", "black-forest-labs/flux-schnell", prompt);
      g_autoptr(EaselRemoteJob) job = submit (f, f->replicate, spec, &error);

      g_assert_no_error (error);
    }

  do
    {
      g_autoptr(EaselRemotePage) page = NULL;

      begin (f);
      easel_provider_list_remote_jobs_async (f->replicate, cursor, NULL, result_cb, f);
      page = easel_provider_list_remote_jobs_finish (f->replicate, wait_result (f), &error);
      g_assert_no_error (error);
      for (guint i = 0; i < page->jobs->len; i++)
        g_hash_table_add (seen, g_strdup (((EaselRemoteJob *) g_ptr_array_index (page->jobs, i))->remote_id));
      g_free (cursor);
      cursor = g_strdup (page->next_cursor);
      pages++;
    }
  while (cursor != NULL && pages < 20);

  g_assert_cmpuint (g_hash_table_size (seen), ==, 10);
  g_assert_cmpuint (pages, ==, 3);
}

static void
test_replicate_describe (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_prompt = FALSE, has_ratio = FALSE;

  begin (f);
  easel_provider_describe_params_async (f->replicate, "black-forest-labs/flux-schnell", NULL, result_cb, f);
  params = easel_provider_describe_params_finish (f->replicate, wait_result (f), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < params->len; i++)
    {
      EaselParam *p = g_ptr_array_index (params, i);

      if (g_str_equal (p->name, "prompt"))
        has_prompt = p->required;
      if (g_str_equal (p->name, "aspect_ratio"))
        has_ratio = p->type == EASEL_PARAM_ENUM && p->choices != NULL;
    }
  g_assert_true (has_prompt);
  g_assert_true (has_ratio);

  /* Cached: no second request. */
  g_clear_pointer (&params, g_ptr_array_unref);
  easel_emulator_reset_counts (f->emulator);
  begin (f);
  easel_provider_describe_params_async (f->replicate, "black-forest-labs/flux-schnell", NULL, result_cb, f);
  params = easel_provider_describe_params_finish (f->replicate, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emulator), ==, 0);
}

static const guint8 tiny_png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
  0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
  0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
  0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

static GFile *
write_temp (const char *name,
            const void *data,
            gsize       size)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, size, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static void
test_replicate_upload (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GFile) png = write_temp ("reference.txt", tiny_png, sizeof tiny_png);
  g_autoptr(GFile) text = write_temp ("looks-like.png", "hello, not an image", 19);
  g_autofree char *big_data = g_malloc0 (11 * 1024 * 1024);
  g_autoptr(GFile) big = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  char *refused;

  memcpy (big_data, tiny_png, sizeof tiny_png);
  big = write_temp ("big.png", big_data, 11 * 1024 * 1024);

  /* Judged by content: a PNG named .txt is accepted … */
  begin (f);
  easel_provider_upload_reference_async (f->replicate, png, NULL, result_cb, f);
  url = easel_provider_upload_reference_finish (f->replicate, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, f->origin) || g_str_has_prefix (url, "data:image/png"));
  g_assert_cmpuint (easel_emulator_get_request_count (f->emulator, "POST /v1/files"), ==, 1);

  /* … text named .png is not, and neither is a file over 10 MB. */
  begin (f);
  easel_provider_upload_reference_async (f->replicate, text, NULL, result_cb, f);
  refused = easel_provider_upload_reference_finish (f->replicate, wait_result (f), &error);
  g_assert_null (refused);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  begin (f);
  easel_provider_upload_reference_async (f->replicate, big, NULL, result_cb, f);
  refused = easel_provider_upload_reference_finish (f->replicate, wait_result (f), &error);
  g_assert_null (refused);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE);
  g_assert_cmpuint (easel_emulator_get_request_count (f->emulator, "POST /v1/files"), ==, 1);
}

static void
check_credentials (Fixture       *f,
                   EaselProvider *provider,
                   int            expected)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  begin (f);
  easel_provider_validate_credentials_async (provider, NULL, result_cb, f);
  ok = easel_provider_validate_credentials_finish (provider, wait_result (f), &error);
  if (expected < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, EASEL_ERROR, expected);
      g_assert_nonnull (easel_error_get_remedy (error));
    }
}

static void
test_credentials (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(EaselProvider) bad_replicate = create_provider (f, "replicate", "/v1", "r8_invalid-" SENTINEL);
  g_autoptr(EaselProvider) unpaid_replicate = create_provider (f, "replicate", "/v1", "r8_unpaid-" SENTINEL);
  g_autoptr(EaselProvider) bad_midjourney = create_provider (f, "midjourney", "/v3/midjourney", "user:1-invalid" SENTINEL);
  g_autoptr(EaselProvider) unpaid_midjourney = create_provider (f, "midjourney", "/v3/midjourney", "user:1-unpaid" SENTINEL);

  check_credentials (f, f->replicate, -1);
  check_credentials (f, f->midjourney, -1);
  check_credentials (f, bad_replicate, EASEL_ERROR_UNAUTHORIZED);
  check_credentials (f, unpaid_replicate, EASEL_ERROR_PAYMENT_REQUIRED);
  check_credentials (f, bad_midjourney, EASEL_ERROR_UNAUTHORIZED);
  check_credentials (f, unpaid_midjourney, EASEL_ERROR_PAYMENT_REQUIRED);
}

static void
test_replicate_429_backoff (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("x", "black-forest-labs/flux-schnell", "fox");
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (easel_emulator_set_faults (f->emulator, "POST /v1/models/*:429 x2 retry-after=3", &error));
  job = submit (f, f->replicate, spec, &error);
  g_assert_no_error (error);
  g_assert_nonnull (job);
  /* Two refusals, each waited out for at least the Retry-After. */
  g_assert_cmpuint (f->delays->len, ==, 2);
  g_assert_cmpuint (g_array_index (f->delays, guint, 0), >=, 3000);
  g_assert_cmpuint (g_array_index (f->delays, guint, 1), >=, 3000);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, "POST /v1/models/{owner}/{name}/predictions"), ==, 1);
}

static void
test_replicate_ambiguous (Fixture       *f,
                          gconstpointer  data)
{
  const char *faults[] = { "POST /v1/models/*:drop x1", "POST /v1/models/*:truncate x1",
                           "POST /v1/models/*:malformed x1", "POST /v1/models/*:503 x1" };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("x", "black-forest-labs/flux-schnell", "fox");
      g_autoptr(EaselRemoteJob) job = NULL;
      g_autoptr(GError) error = NULL;

      easel_emulator_reset_counts (f->emulator);
      g_assert_true (easel_emulator_set_faults (f->emulator, faults[i], &error));
      job = submit (f, f->replicate, spec, &error);
      g_assert_null (job);
      g_assert_error (error, EASEL_ERROR, EASEL_ERROR_AMBIGUOUS);
      /* Never sent twice. */
      g_assert_cmpuint (easel_emulator_get_request_count (f->emulator, "POST /v1/models/{owner}/{name}/predictions"), ==, 1);
    }
}

static void
test_replicate_poll_faults (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("x", "black-forest-labs/flux-dev", "fox");
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(EaselJobWatch) watch = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError) error = NULL;

  easel_emulator_set_job_duration (f->emulator, 20, 400);
  easel_replicate_provider_set_prefer_wait (EASEL_REPLICATE_PROVIDER (f->replicate), 0);
  job = submit (f, f->replicate, spec, &error);
  g_assert_no_error (error);

  /* Polls are GETs: dropped, truncated, malformed and 5xx replies are retried. */
  g_assert_true (easel_emulator_set_faults (f->emulator,
                                            "GET /v1/predictions/*:drop x1;"
                                            "GET /v1/predictions/*:truncate x1;"
                                            "GET /v1/predictions/*:malformed x1;"
                                            "GET /v1/predictions/*:502 x1", &error));
  updates = watch_to_end (f->replicate, job, &watch);
  g_assert_null (easel_job_watch_get_error (watch));
  g_assert_cmpint (easel_job_watch_get_job (watch)->state, ==, EASEL_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpuint (easel_job_watch_get_request_count (watch), >=, 5);
}

/* Midjourney through UseAPI v3 */

static EaselJobSpec *
mj_spec (const char *local_id,
         const char *prompt)
{
  return easel_job_spec_new (local_id, "midjourney", prompt);
}

static void
test_midjourney_stream (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(EaselJobSpec) spec = mj_spec ("local-mj-1", "a lighthouse at dusk");
  g_autoptr(JsonNode) ar = json_node_init_string (json_node_alloc (), "3:2");
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(EaselJobWatch) watch = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError) error = NULL;
  EaselRemoteJob *final;
  int last_progress = -1;

  easel_job_spec_set_param (spec, "ar", ar);
  job = submit (f, f->midjourney, spec, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (job->remote_id, "-bot:midjourney"));
  g_assert_cmpstr (job->local_id, ==, "local-mj-1");

  updates = watch_to_end (f->midjourney, job, &watch);
  g_assert_null (easel_job_watch_get_error (watch));
  final = easel_job_watch_get_job (watch);
  g_assert_cmpint (final->state, ==, EASEL_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpuint (final->outputs->len, >=, 1);
  g_assert_true (easel_remote_job_has_button (final, "U1"));
  g_assert_nonnull (strstr (final->prompt, "--ar 3:2"));

  /* Progress only moves forward. */
  for (guint i = 0; i < updates->len; i++)
    {
      EaselRemoteJob *u = g_ptr_array_index (updates, i);

      g_assert_cmpint (u->progress, >=, last_progress < 0 ? -1 : last_progress);
      if (u->progress >= 0)
        last_progress = u->progress;
    }
  g_assert_cmpint (last_progress, ==, 100);

  /* The stream carried everything: one request, no polling. */
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emulator), ==, 1);
  g_assert_cmpuint (easel_emulator_get_request_count (f->emulator, "GET /v3/midjourney/jobs/{jobid}"), ==, 0);
}

static void
test_midjourney_polling (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(EaselJobSpec) spec = mj_spec ("local-mj-2", "a fox");
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(EaselJobWatch) watch = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError) error = NULL;

  easel_useapi_provider_set_streaming (EASEL_USEAPI_PROVIDER (f->midjourney), FALSE);
  job = submit (f, f->midjourney, spec, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->local_id, ==, "local-mj-2");
  updates = watch_to_end (f->midjourney, job, &watch);
  g_assert_cmpint (easel_job_watch_get_job (watch)->state, ==, EASEL_REMOTE_STATE_SUCCEEDED);
  g_assert_cmpuint (easel_emulator_get_request_count (f->emulator, "GET /v3/midjourney/jobs/{jobid}"), >=, 1);
}

static gboolean
polled_twice (gpointer user_data)
{
  return easel_emulator_get_request_count (user_data, "GET /v3/midjourney/jobs/{jobid}") >= 2;
}

static void
test_midjourney_stream_drop (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(EaselJobSpec) spec = mj_spec ("local-mj-3", "a fox in the snow");
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(EaselJobWatch) watch = NULL;
  g_autoptr(GError) error = NULL;
  guint id;

  /* The stream breaks at its second event, after it named the job. As
   * UseAPI's SSE guide warns, the job then sticks in "progress" and holds
   * its slot: the watch falls back to polling (so the job is never lost
   * from sight), and DELETE frees the slot at once. */
  g_assert_true (easel_emulator_set_faults (f->emulator, "POST /v3/midjourney/jobs/imagine:drop x1", &error));
  job = submit (f, f->midjourney, spec, &error);
  g_assert_no_error (error);
  g_assert_nonnull (job->remote_id);

  watch = easel_provider_watch (f->midjourney, job);
  id = g_timeout_add_seconds (20, watchdog_cb, NULL);
  while (!polled_twice (f->emulator))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (easel_job_watch_get_finished (watch));
  g_assert_cmpint (easel_job_watch_get_job (watch)->state, ==, EASEL_REMOTE_STATE_RUNNING);

  begin (f);
  easel_provider_cancel_async (f->midjourney, job->remote_id, NULL, result_cb, f);
  g_assert_true (easel_provider_cancel_finish (f->midjourney, wait_result (f), &error));
  g_assert_no_error (error);
  while (!easel_job_watch_get_finished (watch))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  g_assert_cmpint (easel_job_watch_get_job (watch)->state, ==, EASEL_REMOTE_STATE_FAILED);
  g_assert_cmpstr (easel_job_watch_get_job (watch)->error_message, ==, "Job cancelled by user");
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, "POST /v3/midjourney/jobs/imagine"), ==, 1);
}

static void
test_midjourney_validation (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(EaselJobSpec) spec = mj_spec ("x", "a fox");
  g_autoptr(JsonNode) chaos = json_node_init_int (json_node_alloc (), 500);
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(GError) error = NULL;
  EaselCostEstimate estimate;

  easel_job_spec_set_param (spec, "chaos", chaos);
  g_assert_false (easel_provider_estimate_cost (f->midjourney, spec, &estimate, &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  job = submit (f, f->midjourney, spec, &error);
  g_assert_null (job);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  /* Refused before anything was sent. */
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emulator), ==, 0);
}

static void
test_midjourney_capacity (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(EaselJobSpec) first = mj_spec ("a", "first");
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_remote_job_unref);

  easel_emulator_set_job_duration (f->emulator, 20, 10000);
  easel_useapi_provider_set_streaming (EASEL_USEAPI_PROVIDER (f->midjourney), FALSE);
  easel_http_client_set_max_attempts (easel_http_provider_get_client (EASEL_HTTP_PROVIDER (f->midjourney)), 2);

  /* The default channel takes three jobs at once. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("slot-%u", i);
      g_autoptr(EaselJobSpec) spec = mj_spec (id, "busy");
      EaselRemoteJob *j = submit (f, f->midjourney, spec, &error);

      g_assert_no_error (error);
      g_ptr_array_add (jobs, j);
    }

  /* A fourth gets 429: retried (it was not accepted), then given up. */
  job = submit (f, f->midjourney, first, &error);
  g_assert_null (job);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_RATE_LIMITED);
  g_clear_error (&error);
  g_assert_cmpuint (f->delays->len, ==, 1);
  g_assert_cmpuint (easel_emulator_get_submit_count (f->emulator, "POST /v3/midjourney/jobs/imagine"), ==, 3);

  /* The running list shows the three, for reconciliation. */
  {
    g_autoptr(EaselRemotePage) page = NULL;

    begin (f);
    easel_provider_list_remote_jobs_async (f->midjourney, NULL, NULL, result_cb, f);
    page = easel_provider_list_remote_jobs_finish (f->midjourney, wait_result (f), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (page->jobs->len, ==, 3);
  }

  /* Cancelling one frees its slot (DELETE jobs/{id}). */
  begin (f);
  easel_provider_cancel_async (f->midjourney, ((EaselRemoteJob *) g_ptr_array_index (jobs, 0))->remote_id,
                               NULL, result_cb, f);
  g_assert_true (easel_provider_cancel_finish (f->midjourney, wait_result (f), &error));
  g_assert_no_error (error);
  g_clear_pointer (&job, easel_remote_job_unref);
  job = submit (f, f->midjourney, first, &error);
  g_assert_no_error (error);
  g_assert_nonnull (job);
}

static void
test_midjourney_captcha (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(EaselJobSpec) spec = mj_spec ("x", "captcha-me please");
  g_autoptr(EaselJobSpec) normal = mj_spec ("y", "a quiet lake");
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GError) error = NULL;
  EaselUseapiChannel *channel;

  job = submit (f, f->midjourney, spec, &error);
  g_assert_null (job);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_NEEDS_ATTENTION);
  g_assert_nonnull (strstr (easel_error_get_remedy (error), "Reset"));
  g_clear_error (&error);

  /* The channel says so … */
  begin (f);
  easel_useapi_provider_list_channels_async (EASEL_USEAPI_PROVIDER (f->midjourney), NULL, result_cb, f);
  channels = easel_useapi_provider_list_channels_finish (EASEL_USEAPI_PROVIDER (f->midjourney), wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (channels->len, >=, 1);
  channel = g_ptr_array_index (channels, 0);
  g_assert_cmpstr (channel->channel, ==, EASEL_EMULATOR_DEFAULT_CHANNEL);
  g_assert_nonnull (channel->error);

  /* … stays out of rotation … */
  job = submit (f, f->midjourney, normal, &error);
  g_assert_null (job);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_NEEDS_ATTENTION);
  g_clear_error (&error);

  /* … until it is reset. */
  begin (f);
  easel_useapi_provider_reset_channel_async (EASEL_USEAPI_PROVIDER (f->midjourney), channel->channel,
                                             NULL, result_cb, f);
  g_assert_true (easel_useapi_provider_reset_channel_finish (EASEL_USEAPI_PROVIDER (f->midjourney),
                                                             wait_result (f), &error));
  g_assert_no_error (error);
  job = submit (f, f->midjourney, normal, &error);
  g_assert_no_error (error);
  g_assert_nonnull (job);
}

static void
test_midjourney_moderated (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(EaselJobSpec) spec = mj_spec ("x", "moderate-me");
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(EaselJobWatch) watch = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError) error = NULL;
  EaselCostEstimate cost;

  job = submit (f, f->midjourney, spec, &error);
  g_assert_no_error (error);
  updates = watch_to_end (f->midjourney, job, &watch);
  g_assert_cmpint (easel_job_watch_get_job (watch)->state, ==, EASEL_REMOTE_STATE_MODERATED);
  g_assert_true (easel_provider_actual_cost (f->midjourney, easel_job_watch_get_job (watch), &cost));
  g_assert_cmpint (cost.micros, ==, 0);
  easel_cost_estimate_clear (&cost);
}

static void
test_midjourney_buttons (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(EaselJobSpec) spec = mj_spec ("grid", "a castle");
  g_autoptr(EaselJobSpec) child_spec = mj_spec ("upscale", "");
  g_autoptr(EaselRemoteJob) job = NULL, child = NULL, again = NULL, refused = NULL;
  g_autoptr(EaselJobWatch) watch = NULL, child_watch = NULL;
  g_autoptr(GPtrArray) updates = NULL, child_updates = NULL;
  g_autoptr(GError) error = NULL;
  EaselRemoteJob *grid;

  job = submit (f, f->midjourney, spec, &error);
  g_assert_no_error (error);
  updates = watch_to_end (f->midjourney, job, &watch);
  grid = easel_job_watch_get_job (watch);
  g_assert_cmpint (grid->state, ==, EASEL_REMOTE_STATE_SUCCEEDED);

  /* A button the job does not offer is refused without a request. */
  easel_emulator_reset_counts (f->emulator);
  begin (f);
  easel_provider_run_action_async (f->midjourney, grid, "U9", child_spec, NULL, result_cb, f);
  refused = easel_provider_run_action_finish (f->midjourney, wait_result (f), &error);
  g_assert_null (refused);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emulator), ==, 0);

  begin (f);
  easel_provider_run_action_async (f->midjourney, grid, "U2", child_spec, NULL, result_cb, f);
  child = easel_provider_run_action_finish (f->midjourney, wait_result (f), &error);
  g_assert_no_error (error);
  child_updates = watch_to_end (f->midjourney, child, &child_watch);
  g_assert_cmpint (easel_job_watch_get_job (child_watch)->state, ==, EASEL_REMOTE_STATE_SUCCEEDED);
  g_assert_true (easel_remote_job_has_button (easel_job_watch_get_job (child_watch), "Vary (Strong)"));

  /* U buttons run once: pressing again gives the same child. */
  begin (f);
  easel_provider_run_action_async (f->midjourney, grid, "U2", child_spec, NULL, result_cb, f);
  again = easel_provider_run_action_finish (f->midjourney, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->remote_id, ==, child->remote_id);
}

static void
test_midjourney_upload_refused (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GFile) png = write_temp ("ref.png", tiny_png, sizeof tiny_png);
  g_autoptr(GError) error = NULL;
  char *url;

  begin (f);
  easel_provider_upload_reference_async (f->midjourney, png, NULL, result_cb, f);
  url = easel_provider_upload_reference_finish (f->midjourney, wait_result (f), &error);
  g_assert_null (url);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "address of an image on the web"));
  g_assert_null (strstr (error->message, "Blend"));
  g_assert_true (easel_provider_get_capabilities (f->midjourney) & EASEL_PROVIDER_THIRD_PARTY);
  g_assert_nonnull (easel_provider_get_notice (f->midjourney));
}

static void
test_midjourney_blend (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(EaselJobWatch) watch = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (images, g_bytes_new_static (tiny_png, sizeof tiny_png));
  begin (f);
  easel_useapi_provider_blend_async (EASEL_USEAPI_PROVIDER (f->midjourney), "b", images, "Square",
                                     NULL, result_cb, f);
  g_assert_null (easel_useapi_provider_blend_finish (EASEL_USEAPI_PROVIDER (f->midjourney), wait_result (f), &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  g_ptr_array_add (images, g_bytes_new_static (tiny_png, sizeof tiny_png));
  begin (f);
  easel_useapi_provider_blend_async (EASEL_USEAPI_PROVIDER (f->midjourney), "b", images, "Square",
                                     NULL, result_cb, f);
  job = easel_useapi_provider_blend_finish (EASEL_USEAPI_PROVIDER (f->midjourney), wait_result (f), &error);
  g_assert_no_error (error);
  updates = watch_to_end (f->midjourney, job, &watch);
  g_assert_cmpint (easel_job_watch_get_job (watch)->state, ==, EASEL_REMOTE_STATE_SUCCEEDED);
}

static void
test_midjourney_describe_params (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(GError) error = NULL;
  gboolean chaos = FALSE;

  begin (f);
  easel_provider_describe_params_async (f->midjourney, "midjourney", NULL, result_cb, f);
  params = easel_provider_describe_params_finish (f->midjourney, wait_result (f), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < params->len; i++)
    {
      EaselParam *p = g_ptr_array_index (params, i);

      if (g_str_equal (p->name, "chaos"))
        chaos = p->has_minimum && p->minimum == 0 && p->maximum == 100 &&
                p->default_value != NULL && json_node_get_value_type (p->default_value) == G_TYPE_INT64 &&
                json_node_get_int (p->default_value) == 0;
      /* Every documented default is kept, numbers as numbers. */
      if (g_str_equal (p->name, "stylize") || g_str_equal (p->name, "iw") ||
          g_str_equal (p->name, "ar") || g_str_equal (p->name, "quality"))
        g_assert_nonnull (p->default_value);
    }
  g_assert_true (chaos);
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emulator), ==, 0);
}

/* describe_request: what the user is shown is what the server receives */

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
set_int (EaselJobSpec *spec,
         const char   *name,
         gint64        value)
{
  g_autoptr(JsonNode) node = json_node_init_int (json_node_alloc (), value);

  easel_job_spec_set_param (spec, name, node);
}

static void
set_string (EaselJobSpec *spec,
            const char   *name,
            const char   *value)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), value);

  easel_job_spec_set_param (spec, name, node);
}

static void
test_replicate_describe_request (Fixture       *f,
                                 gconstpointer  data)
{
  const char *models[] = { "black-forest-labs/flux-schnell", SDXL };

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("x", models[i], "a lighthouse at dusk, “oil”");
      g_autoptr(EaselRemoteJob) job = NULL;
      g_autoptr(JsonNode) shown = NULL;
      g_autoptr(JsonNode) received = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      set_int (spec, "num_outputs", 2);
      set_int (spec, "seed", 42);
      if (i == 0)
        set_string (spec, "aspect_ratio", "16:9");
      else
        set_string (spec, "negative_prompt", "blurry, text");

      text = easel_provider_describe_request (f->replicate, spec, &error);
      g_assert_no_error (error);
      /* Indented for people, one member per line. */
      g_assert_nonnull (strstr (text, "\n  \"seed\" : 42"));
      shown = parse_json (text);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (shown));
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "prompt"), ==,
                       "a lighthouse at dusk, “oil”");

      job = submit (f, f->replicate, spec, &error);
      g_assert_no_error (error);
      g_assert_nonnull (job->input);
      received = json_node_init_object (json_node_alloc (), job->input);
      g_assert_true (json_node_equal (shown, received));
    }
}

static void
test_replicate_describe_request_invalid (Fixture       *f,
                                         gconstpointer  data)
{
  g_autoptr(EaselJobSpec) bad_model = easel_job_spec_new ("x", "../etc/passwd", "p");
  g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("x", "black-forest-labs/flux-schnell", "p");
  g_autoptr(EaselJobSpec) no_prompt = easel_job_spec_new ("x", "black-forest-labs/flux-schnell", "");
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = easel_provider_describe_request (f->replicate, bad_model, &error);
  g_assert_null (text);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  /* Once the schema is known, a value out of its range is refused by both,
   * before anything is sent. */
  begin (f);
  easel_provider_describe_params_async (f->replicate, "black-forest-labs/flux-schnell", NULL, result_cb, f);
  params = easel_provider_describe_params_finish (f->replicate, wait_result (f), &error);
  g_assert_no_error (error);
  easel_emulator_reset_counts (f->emulator);

  set_int (spec, "num_outputs", 99);
  text = easel_provider_describe_request (f->replicate, spec, &error);
  g_assert_null (text);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "from 1 to 4"));
  g_clear_error (&error);
  job = submit (f, f->replicate, spec, &error);
  g_assert_null (job);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  /* The schema requires a prompt. */
  text = easel_provider_describe_request (f->replicate, no_prompt, &error);
  g_assert_null (text);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emulator), ==, 0);
}

static void
test_midjourney_describe_request (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(EaselJobSpec) spec = mj_spec ("local-describe", "a fox   in the\nsnow");
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *urls[] = { "https://example.org/ref.png", NULL };

  spec->image_urls = g_strdupv ((char **) urls);
  set_string (spec, "ar", "16:9");
  set_int (spec, "chaos", 20);
  set_string (spec, "no", "cats, dogs");

  text = easel_provider_describe_request (f->midjourney, spec, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "https://example.org/ref.png a fox in the snow --"));
  g_assert_nonnull (strstr (text, "--ar 16:9"));
  g_assert_nonnull (strstr (text, "--chaos 20"));
  g_assert_nonnull (strstr (text, "--no cats, dogs"));

  /* Polling: the job as the server recorded it carries the prompt it got. */
  easel_useapi_provider_set_streaming (EASEL_USEAPI_PROVIDER (f->midjourney), FALSE);
  job = submit (f, f->midjourney, spec, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->prompt, ==, text);
}

static void
test_midjourney_describe_request_invalid (Fixture       *f,
                                          gconstpointer  data)
{
  g_autoptr(EaselJobSpec) spec = mj_spec ("x", "a fox --chaos 10");
  g_autoptr(EaselJobSpec) bad_url = mj_spec ("x", "a fox");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *urls[] = { "file:///home/me/ref.png", NULL };

  /* The same parameter in the text and the form with different values. */
  set_int (spec, "chaos", 20);
  text = easel_provider_describe_request (f->midjourney, spec, &error);
  g_assert_null (text);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  set_int (spec, "chaos", 101);
  text = easel_provider_describe_request (f->midjourney, spec, &error);
  g_assert_null (text);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  bad_url->image_urls = g_strdupv ((char **) urls);
  text = easel_provider_describe_request (f->midjourney, bad_url, &error);
  g_assert_null (text);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_assert_cmpuint (easel_emulator_get_total_requests (f->emulator), ==, 0);
}

/* OpenRouter */

static void
test_openrouter (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *url = g_strconcat (f->origin, "/api/v1", NULL);
  g_autoptr(EaselOpenrouterClient) client = NULL;
  g_autoptr(EaselOpenrouterClient) unpaid = NULL;
  g_autoptr(EaselCompletion) completion = NULL;
  g_autoptr(GError) error = NULL;
  EaselCompletion *failed;

  client = easel_openrouter_client_new (url, OPENROUTER_TOKEN, &error);
  g_assert_no_error (error);
  begin (f);
  easel_openrouter_client_complete_async (client, "openai/gpt-4o-mini", "Rewrite as a prompt.",
                                          "cozy cabin in snow", 300, 0.7, NULL, result_cb, f);
  completion = easel_openrouter_client_complete_finish (client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (completion->content);
  g_assert_cmpstr (completion->content, !=, "");

  /* An error in a 200 body */
  begin (f);
  easel_openrouter_client_complete_async (client, "test/error-in-body", NULL, "x", 0, -1, NULL, result_cb, f);
  failed = easel_openrouter_client_complete_finish (client, wait_result (f), &error);
  g_assert_null (failed);
  g_assert_nonnull (error);
  g_assert_true (error->domain == EASEL_ERROR);
  g_clear_error (&error);

  unpaid = easel_openrouter_client_new (url, "sk-or-v1-unpaid" SENTINEL, &error);
  begin (f);
  easel_openrouter_client_complete_async (unpaid, "openai/gpt-4o-mini", NULL, "x", 0, -1, NULL, result_cb, f);
  failed = easel_openrouter_client_complete_finish (unpaid, wait_result (f), &error);
  g_assert_null (failed);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_PAYMENT_REQUIRED);
}

static void
test_registry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselProvider) nope = easel_provider_registry_create ("nope", NULL, NULL, &error);
  g_autoptr(EaselProvider) insecure = NULL;
  g_autoptr(EaselProvider) defaults = NULL;
  g_autofree char *url = NULL;
  guint n;

  g_assert_null (nope);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  insecure = easel_provider_registry_create ("replicate", "http://api.replicate.com/v1", NULL, &error);
  g_assert_null (insecure);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INSECURE_URL);
  g_clear_error (&error);

  g_setenv ("EASEL_USEAPI_URL", "http://127.0.0.1:1/v3/midjourney", TRUE);
  url = easel_provider_registry_dup_url ("midjourney");
  g_assert_cmpstr (url, ==, "http://127.0.0.1:1/v3/midjourney");
  g_unsetenv ("EASEL_USEAPI_URL");

  easel_provider_registry_list (&n);
  g_assert_cmpuint (n, ==, 2);
  defaults = easel_provider_registry_create ("replicate", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (easel_provider_get_id (defaults), ==, "replicate");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

#define ADD(path, func) \
  g_test_add ("/Easel/Providers/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("replicate/lifecycle", test_replicate_lifecycle);
  ADD ("replicate/versioned", test_replicate_versioned);
  ADD ("replicate/bad-model", test_replicate_bad_model);
  ADD ("replicate/invalid-input", test_replicate_invalid_input);
  ADD ("replicate/failed-and-moderated", test_replicate_failed_and_moderated);
  ADD ("replicate/cancel", test_replicate_cancel);
  ADD ("replicate/aborted", test_replicate_aborted);
  ADD ("replicate/pagination", test_replicate_pagination);
  ADD ("replicate/describe", test_replicate_describe);
  ADD ("replicate/upload", test_replicate_upload);
  ADD ("replicate/429-backoff", test_replicate_429_backoff);
  ADD ("replicate/ambiguous", test_replicate_ambiguous);
  ADD ("replicate/poll-faults", test_replicate_poll_faults);
  ADD ("credentials", test_credentials);
  ADD ("midjourney/stream", test_midjourney_stream);
  ADD ("midjourney/polling", test_midjourney_polling);
  ADD ("midjourney/stream-drop", test_midjourney_stream_drop);
  ADD ("midjourney/validation", test_midjourney_validation);
  ADD ("midjourney/capacity", test_midjourney_capacity);
  ADD ("midjourney/captcha", test_midjourney_captcha);
  ADD ("midjourney/moderated", test_midjourney_moderated);
  ADD ("midjourney/buttons", test_midjourney_buttons);
  ADD ("midjourney/upload-refused", test_midjourney_upload_refused);
  ADD ("midjourney/blend", test_midjourney_blend);
  ADD ("midjourney/describe-params", test_midjourney_describe_params);
  ADD ("replicate/describe-request", test_replicate_describe_request);
  ADD ("replicate/describe-request-invalid", test_replicate_describe_request_invalid);
  ADD ("midjourney/describe-request", test_midjourney_describe_request);
  ADD ("midjourney/describe-request-invalid", test_midjourney_describe_request_invalid);
  ADD ("openrouter", test_openrouter);
#undef ADD
  g_test_add_func ("/Easel/Providers/registry", test_registry);

  return g_test_run ();
}
