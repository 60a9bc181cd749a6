/* test-model-catalog.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The model catalog against the emulator and a real store: the curated
 * list (every Replicate entry must be a model the emulator serves, with a
 * schema), typed model names, parameter descriptions through JSON and
 * back, and the schema cache: fresh, refreshed, stale, from another Easel,
 * damaged, and what is returned when the provider cannot be reached. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "easel-emulator.h"
#include "easel-error.h"
#include "easel-http-provider.h"
#include "easel-model-catalog.h"
#include "easel-provider-registry.h"
#include "easel-test-async.h"

#define TOKEN "r8_catalogtest0001"
#define SCHNELL "black-forest-labs/flux-schnell"

typedef struct
{
  EaselEmulator *emulator;
  char          *origin;
  char          *db_path;
  EaselStore    *store;
  GAsyncResult  *result;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->emulator = easel_emulator_new ();
  easel_emulator_listen (f->emulator, 0, &error);
  g_assert_no_error (error);
  f->origin = easel_emulator_dup_origin (f->emulator);

  f->store = easel_test_open_store ("catalog", &f->db_path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->result);
  easel_test_close_store (f->store);
  g_clear_object (&f->emulator);
  g_free (f->origin);
  g_free (f->db_path);

  for (int i = 0; i < 20 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

/* A new provider each time, so that nothing is remembered but the store's
 * cache. @base is a URL, or NULL for the emulator. */
static EaselProvider *
new_provider (Fixture    *f,
              const char *id,
              const char *base)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = base != NULL ? g_strdup (base)
                                      : g_strconcat (f->origin, g_str_equal (id, "replicate") ? "/v1" : "/v3/midjourney", NULL);
  EaselProvider *provider = easel_provider_registry_create (id, url, TOKEN, &error);

  g_assert_no_error (error);
  if (EASEL_IS_HTTP_PROVIDER (provider))
    {
      EaselHttpClient *client = easel_http_provider_get_client (EASEL_HTTP_PROVIDER (provider));

      easel_http_client_set_sleep_func (client, easel_test_fast_sleep, NULL);
      easel_http_client_set_max_attempts (client, 2);
    }
  return provider;
}

static GPtrArray *
describe (Fixture        *f,
          EaselProvider  *provider,
          const char     *model,
          gboolean        refresh,
          gboolean       *from_cache,
          GError        **error)
{
  g_clear_object (&f->result);
  easel_model_catalog_describe_async (f->store, provider, model, refresh, NULL, easel_test_result_cb, &f->result);
  return easel_model_catalog_describe_finish (f->store, easel_test_wait_result (&f->result), from_cache, error);
}

static void
set_faults (Fixture    *f,
            const char *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (easel_emulator_set_faults (f->emulator, spec, &error));
  g_assert_no_error (error);
}

/* The curated list */

static void
test_curated (Fixture       *f,
              gconstpointer  data)
{
  const EaselCatalogEntry *entries;
  guint n, n_midjourney = 0;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *wanted[] = { "flux-schnell", "flux-dev", "flux-1.1-pro", "sdxl", "ideogram", "recraft" };

  entries = easel_model_catalog_get_curated (&n);
  g_assert_cmpuint (n, ==, 7);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EaselProvider) provider = new_provider (f, entries[i].provider, NULL);
      g_autoptr(GPtrArray) params = NULL;
      gboolean from_cache = TRUE;

      g_assert_nonnull (entries[i].title);
      g_assert_cmpstr (entries[i].title, !=, "");
      g_assert_nonnull (entries[i].description);
      g_assert_true (g_hash_table_add (seen, (gpointer) entries[i].model));

      if (g_str_equal (entries[i].provider, "midjourney"))
        n_midjourney++;
      else
        {
          g_assert_cmpstr (entries[i].provider, ==, "replicate");
          g_assert_true (easel_model_name_is_valid (entries[i].model, &error));
          g_assert_no_error (error);
        }

      /* Each is a model the provider describes, with a prompt. */
      params = describe (f, provider, entries[i].model, FALSE, &from_cache, &error);
      g_assert_no_error (error);
      g_assert_false (from_cache);
      if (g_str_equal (entries[i].provider, "replicate"))
        g_assert_nonnull (easel_params_find (params, "prompt"));
      else
        g_assert_nonnull (easel_params_find (params, "ar"));
    }
  g_assert_cmpuint (n_midjourney, ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < n; j++)
        found |= strstr (entries[j].model, wanted[i]) != NULL;
      g_assert_true (found);
    }
}

static void
test_model_names (void)
{
  const char *valid[] = {
    "a/b", "black-forest-labs/flux-schnell", "owner/name.v2_x", "stability-ai/sdxl:7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc",
  };
  const char *invalid[] = {
    "", "flux", "/b", "a/", "a/b/c", "../x", "a/..", "./b", "a/b:", "a /b", "a/b c", ":v", "a/b:c:d",
    "a/b?x=1", "a/b#f", "ä/b", "a\\b", "https://replicate.com/a/b", "a/b\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", valid[i]);
      g_assert_true (easel_model_name_is_valid (valid[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (easel_model_name_is_valid (invalid[i], &error));
      g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

/* Parameter descriptions as JSON */

static void
assert_params_equal (GPtrArray *a,
                     GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      EaselParam *pa = g_ptr_array_index (a, i), *pb = g_ptr_array_index (b, i);

      g_assert_cmpstr (pa->name, ==, pb->name);
      g_assert_cmpstr (pa->title, ==, pb->title);
      g_assert_cmpstr (pa->help, ==, pb->help);
      g_assert_cmpint (pa->type, ==, pb->type);
      g_assert_cmpint (pa->required, ==, pb->required);
      g_assert_cmpint (pa->has_minimum, ==, pb->has_minimum);
      g_assert_cmpint (pa->has_maximum, ==, pb->has_maximum);
      if (pa->has_minimum)
        g_assert_cmpfloat (pa->minimum, ==, pb->minimum);
      if (pa->has_maximum)
        g_assert_cmpfloat (pa->maximum, ==, pb->maximum);
      g_assert_cmpint (pa->order, ==, pb->order);
      g_assert_true ((pa->choices == NULL) == (pb->choices == NULL));
      if (pa->choices != NULL)
        g_assert_true (g_strv_equal ((const char * const *) pa->choices, (const char * const *) pb->choices));
      g_assert_true ((pa->default_value == NULL) == (pb->default_value == NULL));
      if (pa->default_value != NULL)
        g_assert_true (json_node_equal (pa->default_value, pb->default_value));
    }
}

static GPtrArray *
round_trip (GPtrArray *params)
{
  g_autoptr(JsonNode) node = easel_params_to_json (params);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *back;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  back = easel_params_from_json (json_parser_get_root (parser), &error);
  g_assert_no_error (error);
  return back;
}

static void
test_params_json (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(EaselProvider) replicate = new_provider (f, "replicate", NULL);
  g_autoptr(EaselProvider) midjourney = new_provider (f, "midjourney", NULL);
  const char *models[] = { "stability-ai/sdxl", "ideogram-ai/ideogram-v3-quality", "midjourney" };
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_param_free);
  g_autoptr(GPtrArray) back = NULL;
  EaselParam *param;

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) params = describe (f, i < 2 ? replicate : midjourney, models[i], FALSE, NULL, &error);
      g_autoptr(GPtrArray) copy = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (params->len, >, 3);
      copy = round_trip (params);
      assert_params_equal (params, copy);
    }

  /* Every field, odd text, a negative order and an object default. */
  param = easel_param_new ("weird “name” ✓", EASEL_PARAM_ASPECT_RATIO);
  param->help = g_strdup ("line one\nline two \"quoted\"");
  param->required = TRUE;
  param->has_minimum = TRUE;
  param->minimum = -0.5;
  param->order = -3;
  param->default_value = json_from_string ("{\"a\": [1, 2.5, null]}", NULL);
  g_ptr_array_add (made, param);
  param = easel_param_new ("e", EASEL_PARAM_ENUM);
  param->choices = g_strsplit ("x,,y", ",", -1);
  param->has_maximum = TRUE;
  param->maximum = 1e12;
  g_ptr_array_add (made, param);
  for (EaselParamType type = EASEL_PARAM_STRING; type <= EASEL_PARAM_ASPECT_RATIO; type++)
    g_ptr_array_add (made, easel_param_new ("t", type));
  back = round_trip (made);
  assert_params_equal (made, back);
  g_clear_pointer (&back, g_ptr_array_unref);

  /* An empty list is a list. */
  g_ptr_array_set_size (made, 0);
  back = round_trip (made);
  g_assert_cmpuint (back->len, ==, 0);
}

static void
test_params_json_invalid (void)
{
  const char *bad[] = {
    "{}",
    "[1]",
    "[{}]",
    "[{\"name\": \"a\"}]",
    "[{\"name\": \"a\", \"type\": \"colour\"}]",
    "[{\"name\": \"\", \"type\": \"string\"}]",
    "[{\"name\": 3, \"type\": \"string\"}]",
    "[{\"name\": \"a\", \"type\": \"string\", \"required\": \"yes\"}]",
    "[{\"name\": \"a\", \"type\": \"integer\", \"minimum\": \"0\"}]",
    "[{\"name\": \"a\", \"type\": \"enum\", \"choices\": [\"x\", 2]}]",
    "[{\"name\": \"a\", \"type\": \"enum\", \"choices\": \"x\"}]",
    "[{\"name\": \"a\", \"type\": \"string\", \"order\": 1.5}]",
    "[{\"name\": \"a\", \"type\": \"string\"}, null]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = json_from_string (bad[i], &error);
      g_autoptr(GPtrArray) params = NULL;

      g_assert_no_error (error);
      params = easel_params_from_json (node, &error);
      g_test_message ("%s: %s", bad[i], error ? error->message : "(accepted)");
      g_assert_null (params);
      g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE);
    }
}

static void
test_negative_prompt (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(EaselProvider) replicate = new_provider (f, "replicate", NULL);
  g_autoptr(EaselProvider) midjourney = new_provider (f, "midjourney", NULL);
  g_autoptr(GPtrArray) sdxl = describe (f, replicate, "stability-ai/sdxl", FALSE, NULL, NULL);
  g_autoptr(GPtrArray) flux = describe (f, replicate, SCHNELL, FALSE, NULL, NULL);
  g_autoptr(GPtrArray) mj = describe (f, midjourney, "midjourney", FALSE, NULL, NULL);

  g_assert_nonnull (easel_params_find (sdxl, "negative_prompt"));
  g_assert_cmpint (easel_params_find (sdxl, "negative_prompt")->type, ==, EASEL_PARAM_TEXT);
  g_assert_null (easel_params_find (flux, "negative_prompt"));
  g_assert_null (easel_params_find (mj, "negative_prompt"));
  g_assert_nonnull (easel_params_find (mj, "no"));
  g_assert_null (easel_params_find (flux, ""));
}

/* The cache */

static guint
schema_requests (Fixture *f)
{
  return easel_emulator_get_request_count (f->emulator, "GET /v1/models/{owner}/{name}");
}

static void
test_cache (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) third = NULL;
  g_autoptr(GError) error = NULL;
  gboolean from_cache = TRUE;

  {
    g_autoptr(EaselProvider) provider = new_provider (f, "replicate", NULL);

    first = describe (f, provider, SCHNELL, FALSE, &from_cache, &error);
    g_assert_no_error (error);
    g_assert_false (from_cache);
    g_assert_cmpuint (schema_requests (f), ==, 1);
  }
  {
    /* Fresh in the cache: no request, the same description. */
    g_autoptr(EaselProvider) provider = new_provider (f, "replicate", NULL);

    second = describe (f, provider, SCHNELL, FALSE, &from_cache, &error);
    g_assert_no_error (error);
    g_assert_true (from_cache);
    g_assert_cmpuint (schema_requests (f), ==, 1);
    assert_params_equal (first, second);
  }
  {
    /* Refresh asks even so, and keeps the answer. */
    g_autoptr(EaselProvider) provider = new_provider (f, "replicate", NULL);

    third = describe (f, provider, SCHNELL, TRUE, &from_cache, &error);
    g_assert_no_error (error);
    g_assert_false (from_cache);
    g_assert_cmpuint (schema_requests (f), ==, 2);
    assert_params_equal (first, third);
  }
  {
    /* A versioned name is its own entry. */
    g_autoptr(EaselProvider) provider = new_provider (f, "replicate", NULL);
    g_autoptr(GPtrArray) versioned = NULL;

    versioned = describe (f, provider, "stability-ai/sdxl:7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc",
                          FALSE, &from_cache, &error);
    g_assert_no_error (error);
    g_assert_false (from_cache);
    g_assert_nonnull (easel_params_find (versioned, "negative_prompt"));
  }
  {
    /* Older than the limit: asked again. */
    g_autoptr(EaselProvider) provider = new_provider (f, "replicate", NULL);
    g_autoptr(GPtrArray) params = NULL;
    g_autofree char *sql = g_strdup_printf ("UPDATE model_schemas SET fetched_at = fetched_at - %" G_GINT64_FORMAT,
                                            EASEL_MODEL_CATALOG_MAX_AGE + G_TIME_SPAN_MINUTE);

    easel_test_exec_sql (f->db_path, sql);
    params = describe (f, provider, SCHNELL, FALSE, &from_cache, &error);
    g_assert_no_error (error);
    g_assert_false (from_cache);
    g_assert_cmpuint (schema_requests (f), ==, 4);
  }
  {
    /* Written by another Easel: asked again. */
    g_autoptr(EaselProvider) provider = new_provider (f, "replicate", NULL);
    g_autoptr(GPtrArray) params = NULL;

    easel_test_exec_sql (f->db_path, "UPDATE model_schemas SET params = json_set (params, '$.easel', '0.0.1-older')");
    params = describe (f, provider, SCHNELL, FALSE, &from_cache, &error);
    g_assert_no_error (error);
    g_assert_false (from_cache);
    g_assert_cmpuint (schema_requests (f), ==, 5);
  }
  {
    /* Damaged: asked again, and repaired. */
    g_autoptr(EaselProvider) provider = new_provider (f, "replicate", NULL);
    g_autoptr(GPtrArray) params = NULL;

    easel_test_exec_sql (f->db_path, "UPDATE model_schemas SET params = '{\"params\": [{\"name\": 1}]}'");
    params = describe (f, provider, SCHNELL, FALSE, &from_cache, &error);
    g_assert_no_error (error);
    g_assert_false (from_cache);
    g_assert_cmpuint (schema_requests (f), ==, 6);
    assert_params_equal (first, params);
    g_clear_pointer (&params, g_ptr_array_unref);
    params = describe (f, provider, SCHNELL, FALSE, &from_cache, &error);
    g_assert_true (from_cache);
  }
}

static void
test_stale_fallback (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GError) error = NULL;
  gboolean from_cache = FALSE;
  g_autofree char *age = g_strdup_printf ("UPDATE model_schemas SET fetched_at = fetched_at - %" G_GINT64_FORMAT,
                                          EASEL_MODEL_CATALOG_MAX_AGE * 3);

  {
    g_autoptr(EaselProvider) provider = new_provider (f, "replicate", NULL);

    first = describe (f, provider, SCHNELL, FALSE, &from_cache, &error);
    g_assert_no_error (error);
  }
  easel_test_exec_sql (f->db_path, age);

  {
    /* The server fails: the stale copy is better than nothing. */
    g_autoptr(EaselProvider) provider = new_provider (f, "replicate", NULL);
    g_autoptr(GPtrArray) params = NULL;

    set_faults (f, "GET /v1/models/*:503");
    params = describe (f, provider, SCHNELL, FALSE, &from_cache, &error);
    g_assert_no_error (error);
    g_assert_true (from_cache);
    assert_params_equal (first, params);
    set_faults (f, "");
  }
  {
    /* No server at all, even when asked to refresh. */
    g_autoptr(EaselProvider) provider = new_provider (f, "replicate", "http://127.0.0.1:1/v1");
    g_autoptr(GPtrArray) params = NULL;

    params = describe (f, provider, SCHNELL, TRUE, &from_cache, &error);
    g_assert_no_error (error);
    g_assert_true (from_cache);
    assert_params_equal (first, params);
  }
  {
    /* Nothing cached: the error is the user's to see. */
    g_autoptr(EaselProvider) provider = new_provider (f, "replicate", "http://127.0.0.1:1/v1");
    g_autoptr(GPtrArray) params = NULL;

    params = describe (f, provider, "black-forest-labs/flux-dev", FALSE, &from_cache, &error);
    g_assert_null (params);
    g_assert_error (error, EASEL_ERROR, EASEL_ERROR_NETWORK);
    g_assert_false (from_cache);
    g_clear_error (&error);
  }
  {
    /* A model that is gone is not covered up by its stale description. */
    g_autoptr(EaselProvider) provider = new_provider (f, "replicate", NULL);
    g_autoptr(GPtrArray) params = NULL;

    easel_test_exec_sql (f->db_path, "INSERT INTO model_schemas (provider, model, params, fetched_at) "
                 "SELECT provider, 'nobody/nothing', params, fetched_at FROM model_schemas");
    params = describe (f, provider, "nobody/nothing", FALSE, &from_cache, &error);
    g_assert_null (params);
    g_assert_error (error, EASEL_ERROR, EASEL_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  {
    /* Nor is a malformed name. */
    g_autoptr(EaselProvider) provider = new_provider (f, "replicate", NULL);
    g_autoptr(GPtrArray) params = describe (f, provider, "not a model", FALSE, &from_cache, &error);

    g_assert_null (params);
    g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  }
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(EaselProvider) provider = new_provider (f, "replicate", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->result);
  easel_model_catalog_describe_async (f->store, provider, SCHNELL, FALSE, cancellable, easel_test_result_cb, &f->result);
  g_cancellable_cancel (cancellable);
  params = easel_model_catalog_describe_finish (f->store, easel_test_wait_result (&f->result), NULL, &error);
  g_assert_null (params);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/Easel/ModelCatalog/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("curated", test_curated);
  g_test_add_func ("/Easel/ModelCatalog/model-names", test_model_names);
  ADD ("params-json", test_params_json);
  g_test_add_func ("/Easel/ModelCatalog/params-json-invalid", test_params_json_invalid);
  ADD ("negative-prompt", test_negative_prompt);
  ADD ("cache", test_cache);
  ADD ("stale-fallback", test_stale_fallback);
  ADD ("cancel", test_cancel);
#undef ADD

  return g_test_run ();
}
