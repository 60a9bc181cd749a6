/* test-prompt-history.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The prompt history and the per-model settings on a real store in a
 * temporary folder: recording and reuse, newest first even when the clock
 * steps back, search in any case and script with LIKE's wildcards taken
 * literally, forgetting, the bound on the table's size, damaged rows, and
 * cancellation. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "easel-error.h"
#include "easel-model-settings.h"
#include "easel-prompt-history.h"
#include "easel-test-async.h"

typedef struct
{
  char         *db_path;
  EaselStore   *store;
  GAsyncResult *result;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->store = easel_test_open_store ("history", &f->db_path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->result);
  easel_test_close_store (f->store);
  g_free (f->db_path);
}

static void
begin (Fixture *f)
{
  g_clear_object (&f->result);
}

static JsonObject *
object_from (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gboolean
objects_equal (JsonObject *a,
               JsonObject *b)
{
  g_autoptr(JsonNode) na = json_node_init_object (json_node_alloc (), a);
  g_autoptr(JsonNode) nb = json_node_init_object (json_node_alloc (), b);

  return json_node_equal (na, nb);
}

static void
record (Fixture    *f,
        const char *prompt,
        const char *negative,
        const char *model,
        const char *params)
{
  g_autoptr(JsonObject) object = params != NULL ? object_from (params) : NULL;
  g_autoptr(GError) error = NULL;

  begin (f);
  easel_prompt_history_record_async (f->store, prompt, negative, "replicate", model, object,
                                     NULL, easel_test_result_cb, &f->result);
  g_assert_true (easel_prompt_history_record_finish (f->store, easel_test_wait_result (&f->result), &error));
  g_assert_no_error (error);
}

static GPtrArray *
search (Fixture    *f,
        const char *text,
        guint       limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries;

  begin (f);
  easel_prompt_history_search_async (f->store, text, limit, NULL, easel_test_result_cb, &f->result);
  entries = easel_prompt_history_search_finish (f->store, easel_test_wait_result (&f->result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (entries);
  return entries;
}

static const char *
prompt_at (GPtrArray *entries,
           guint      i)
{
  return ((EaselHistoryEntry *) g_ptr_array_index (entries, i))->prompt;
}

static void
test_record_and_recent (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(EaselHistoryEntry) copy = NULL;
  EaselHistoryEntry *entry;

  record (f, "a red fox", NULL, "black-forest-labs/flux-schnell", "{\"num_outputs\": 1}");
  record (f, "a blue whale", "blurry", "stability-ai/sdxl", NULL);
  record (f, "a green frog", NULL, "black-forest-labs/flux-schnell", NULL);

  entries = search (f, NULL, 0);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (prompt_at (entries, 0), ==, "a green frog");
  g_assert_cmpstr (prompt_at (entries, 1), ==, "a blue whale");
  g_assert_cmpstr (prompt_at (entries, 2), ==, "a red fox");

  entry = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (entry->negative, ==, "blurry");
  g_assert_cmpstr (entry->provider, ==, "replicate");
  g_assert_cmpstr (entry->model, ==, "stability-ai/sdxl");
  g_assert_null (entry->params);
  g_assert_cmpuint (entry->uses, ==, 1);
  entry = g_ptr_array_index (entries, 2);
  g_assert_cmpstr (entry->negative, ==, "");
  g_assert_cmpint (entry->used_at, <=, g_get_real_time ());
  g_assert_cmpint (entry->used_at, >, g_get_real_time () - 60 * G_USEC_PER_SEC);

  /* Using the fox again: one entry, used twice, newest, with the new
   * parameters. */
  record (f, "a red fox", NULL, "black-forest-labs/flux-schnell", "{\"num_outputs\": 3}");
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = search (f, "", 0);
  g_assert_cmpuint (entries->len, ==, 3);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->prompt, ==, "a red fox");
  g_assert_cmpuint (entry->uses, ==, 2);
  g_assert_cmpint (json_object_get_int_member (entry->params, "num_outputs"), ==, 3);

  /* The same prompt for another model is another entry. */
  record (f, "a red fox", NULL, "black-forest-labs/flux-dev", NULL);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = search (f, NULL, 2);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((EaselHistoryEntry *) entries->pdata[0])->model, ==, "black-forest-labs/flux-dev");
  g_assert_cmpstr (((EaselHistoryEntry *) entries->pdata[1])->model, ==, "black-forest-labs/flux-schnell");

  copy = easel_history_entry_copy (g_ptr_array_index (entries, 1));
  g_assert_cmpstr (copy->prompt, ==, "a red fox");
  g_assert_true (objects_equal (copy->params, ((EaselHistoryEntry *) entries->pdata[1])->params));
}

static void
test_blank_and_invalid (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  record (f, "", NULL, "m/m", NULL);
  record (f, "  \n\t ", NULL, "m/m", NULL);
  entries = search (f, NULL, 0);
  g_assert_cmpuint (entries->len, ==, 0);

  begin (f);
  easel_prompt_history_record_async (f->store, "caf\xc3", NULL, "replicate", "m/m", NULL, NULL, easel_test_result_cb, &f->result);
  g_assert_false (easel_prompt_history_record_finish (f->store, easel_test_wait_result (&f->result), &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  begin (f);
  easel_prompt_history_search_async (f->store, "caf\xc3", 0, NULL, easel_test_result_cb, &f->result);
  g_assert_null (easel_prompt_history_search_finish (f->store, easel_test_wait_result (&f->result), &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
}

static void
assert_finds (Fixture    *f,
              const char *text,
              const char *first_expected,
              ...)
{
  g_autoptr(GPtrArray) entries = search (f, text, 0);
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  va_list args;

  va_start (args, first_expected);
  for (const char *e = first_expected; e != NULL; e = va_arg (args, const char *))
    g_ptr_array_add (expected, (gpointer) e);
  va_end (args);

  for (guint i = 0; i < entries->len; i++)
    g_test_message ("“%s” found “%s”", text, prompt_at (entries, i));
  g_assert_cmpuint (entries->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (prompt_at (entries, i), ==, expected->pdata[i]);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  /* Oldest first; searches list newest first. */
  record (f, "A Red Fox in the snow", NULL, "m/m", NULL);
  record (f, "100% cotton shirt", NULL, "m/m", NULL);
  record (f, "100 foxes", NULL, "m/m", NULL);
  record (f, "snake_case label", NULL, "m/m", NULL);
  record (f, "snakeXcase label", NULL, "m/m", NULL);
  record (f, "a back\\slash", NULL, "m/m", NULL);
  record (f, "Ärger über die Straße", NULL, "m/m", NULL);
  record (f, "robert'); DROP TABLE prompt_history;--", NULL, "m/m", NULL);
  record (f, "ΣΊΣΥΦΟΣ pushing a rock", NULL, "m/m", NULL);

  assert_finds (f, "fox", "100 foxes", "A Red Fox in the snow", NULL);
  assert_finds (f, "FOX red", "A Red Fox in the snow", NULL);
  assert_finds (f, "  snow   red  ", "A Red Fox in the snow", NULL);
  assert_finds (f, "fox whale", NULL);

  /* LIKE's wildcards and its escape character are literal. */
  assert_finds (f, "100%", "100% cotton shirt", NULL);
  assert_finds (f, "%", "100% cotton shirt", NULL);
  assert_finds (f, "snake_case", "snake_case label", NULL);
  assert_finds (f, "_", "robert'); DROP TABLE prompt_history;--", "snake_case label", NULL);
  assert_finds (f, "\\", "a back\\slash", NULL);
  assert_finds (f, "k\\s", "a back\\slash", NULL);

  /* Case beyond ASCII, and ß folding to ss. */
  assert_finds (f, "ärger", "Ärger über die Straße", NULL);
  assert_finds (f, "ÜBER STRASSE", "Ärger über die Straße", NULL);
  assert_finds (f, "σίσυφος", "ΣΊΣΥΦΟΣ pushing a rock", NULL);

  /* Quotes and SQL in the query are only text. */
  assert_finds (f, "'); DROP", "robert'); DROP TABLE prompt_history;--", NULL);
  assert_finds (f, "' OR 1=1 --", NULL);
  {
    g_autoptr(GPtrArray) all = search (f, NULL, 0);
    g_autoptr(GPtrArray) limited = search (f, "a", 2);

    g_assert_cmpuint (all->len, ==, 9);
    g_assert_cmpuint (limited->len, ==, 2);
    g_assert_cmpstr (prompt_at (limited, 0), ==, "ΣΊΣΥΦΟΣ pushing a rock");
  }
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  record (f, "keep me", NULL, "m/m", NULL);
  record (f, "forget me", NULL, "m/m", NULL);
  entries = search (f, "forget", 0);
  g_assert_cmpuint (entries->len, ==, 1);
  id = ((EaselHistoryEntry *) entries->pdata[0])->id;

  begin (f);
  easel_prompt_history_delete_async (f->store, id, NULL, easel_test_result_cb, &f->result);
  g_assert_true (easel_prompt_history_delete_finish (f->store, easel_test_wait_result (&f->result), &error));
  g_assert_no_error (error);

  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = search (f, NULL, 0);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (prompt_at (entries, 0), ==, "keep me");

  begin (f);
  easel_prompt_history_delete_async (f->store, id, NULL, easel_test_result_cb, &f->result);
  g_assert_false (easel_prompt_history_delete_finish (f->store, easel_test_wait_result (&f->result), &error));
  g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_NOT_FOUND);
}

static void
test_bounded (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *fill = g_strdup_printf (
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
    "INSERT INTO prompt_history (prompt, provider, model, used_at) "
    "SELECT 'old prompt ' || i, 'replicate', 'm/m', i FROM n;",
    EASEL_PROMPT_HISTORY_MAX);

  easel_test_exec_sql (f->db_path, fill);
  entries = search (f, NULL, 0);
  g_assert_cmpuint (entries->len, ==, EASEL_PROMPT_HISTORY_MAX);
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* One more forgets the least recently used. */
  record (f, "the newest", NULL, "m/m", NULL);
  entries = search (f, NULL, 0);
  g_assert_cmpuint (entries->len, ==, EASEL_PROMPT_HISTORY_MAX);
  g_assert_cmpstr (prompt_at (entries, 0), ==, "the newest");
  g_assert_cmpstr (prompt_at (entries, entries->len - 1), ==, "old prompt 2");
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* Reusing an old one moves it to the front and forgets nothing. */
  record (f, "old prompt 2", NULL, "m/m", NULL);
  entries = search (f, NULL, 0);
  g_assert_cmpuint (entries->len, ==, EASEL_PROMPT_HISTORY_MAX);
  g_assert_cmpstr (prompt_at (entries, 0), ==, "old prompt 2");
  g_assert_cmpstr (prompt_at (entries, entries->len - 1), ==, "old prompt 3");
}

static void
test_clock_backwards (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *sql = g_strdup_printf ("INSERT INTO prompt_history (prompt, provider, model, used_at) "
                                          "VALUES ('from the future', 'replicate', 'm/m', %" G_GINT64_FORMAT ");",
                                          g_get_real_time () + G_TIME_SPAN_DAY);

  easel_test_exec_sql (f->db_path, sql);
  record (f, "recorded now", NULL, "m/m", NULL);
  entries = search (f, NULL, 0);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (prompt_at (entries, 0), ==, "recorded now");
}

static void
test_damaged_params (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;

  easel_test_exec_sql (f->db_path, "INSERT INTO prompt_history (prompt, provider, model, params, used_at) "
               "VALUES ('damaged', 'replicate', 'm/m', '{not json', 1), "
               "       ('an array', 'replicate', 'm/m', '[1, 2]', 2);");
  entries = search (f, NULL, 0);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (prompt_at (entries, 1), ==, "damaged");
  g_assert_null (((EaselHistoryEntry *) entries->pdata[0])->params);
  g_assert_null (((EaselHistoryEntry *) entries->pdata[1])->params);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  record (f, "something", NULL, "m/m", NULL);

  begin (f);
  easel_prompt_history_search_async (f->store, NULL, 0, cancellable, easel_test_result_cb, &f->result);
  g_cancellable_cancel (cancellable);
  entries = easel_prompt_history_search_finish (f->store, easel_test_wait_result (&f->result), &error);
  g_assert_null (entries);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Model settings */

static JsonObject *
load_settings (Fixture    *f,
               const char *provider,
               const char *model)
{
  g_autoptr(GError) error = NULL;
  JsonObject *params;

  begin (f);
  easel_model_settings_load_async (f->store, provider, model, NULL, easel_test_result_cb, &f->result);
  params = easel_model_settings_load_finish (f->store, easel_test_wait_result (&f->result), &error);
  g_assert_no_error (error);
  return params;
}

static void
save_settings (Fixture    *f,
               const char *provider,
               const char *model,
               JsonObject *params)
{
  g_autoptr(GError) error = NULL;

  begin (f);
  easel_model_settings_save_async (f->store, provider, model, params, NULL, easel_test_result_cb, &f->result);
  g_assert_true (easel_model_settings_save_finish (f->store, easel_test_wait_result (&f->result), &error));
  g_assert_no_error (error);
}

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonObject) none = load_settings (f, "replicate", "black-forest-labs/flux-schnell");
  g_autoptr(JsonObject) flux = object_from ("{\"aspect_ratio\": \"16:9\", \"num_outputs\": 2, "
                                            "\"go_fast\": false, \"prompt_strength\": 0.25}");
  g_autoptr(JsonObject) mj = object_from ("{\"ar\": \"3:2\", \"no\": [\"cats\", \"dogs\"], "
                                          "\"style\": \"raw\", \"chaos\": 10}");
  g_autoptr(JsonObject) flux2 = object_from ("{\"aspect_ratio\": \"1:1\"}");
  g_autoptr(JsonObject) loaded = NULL;
  g_autoptr(JsonObject) loaded_mj = NULL;

  g_assert_null (none);

  save_settings (f, "replicate", "black-forest-labs/flux-schnell", flux);
  save_settings (f, "midjourney", "midjourney", mj);
  /* Changing the object afterwards changes nothing saved. */
  json_object_set_int_member (flux, "num_outputs", 4);

  loaded = load_settings (f, "replicate", "black-forest-labs/flux-schnell");
  g_assert_nonnull (loaded);
  g_assert_cmpint (json_object_get_int_member (loaded, "num_outputs"), ==, 2);
  g_assert_false (json_object_get_boolean_member (loaded, "go_fast"));
  g_assert_cmpfloat (json_object_get_double_member (loaded, "prompt_strength"), ==, 0.25);
  loaded_mj = load_settings (f, "midjourney", "midjourney");
  g_assert_true (objects_equal (loaded_mj, mj));

  /* A save replaces, it does not merge. */
  save_settings (f, "replicate", "black-forest-labs/flux-schnell", flux2);
  g_clear_pointer (&loaded, json_object_unref);
  loaded = load_settings (f, "replicate", "black-forest-labs/flux-schnell");
  g_assert_true (objects_equal (loaded, flux2));

  /* Another provider's model of the same name is another model. */
  g_clear_pointer (&loaded, json_object_unref);
  loaded = load_settings (f, "midjourney", "black-forest-labs/flux-schnell");
  g_assert_null (loaded);
}

static void
test_settings_damaged (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonObject) loaded = NULL;
  g_autoptr(JsonObject) good = object_from ("{\"seed\": 7}");

  easel_test_exec_sql (f->db_path, "INSERT INTO model_settings (provider, model, params, updated_at) VALUES "
               "('replicate', 'a/broken', '{\"seed\": ', 1), ('replicate', 'a/array', '[]', 1);");
  loaded = load_settings (f, "replicate", "a/broken");
  g_assert_null (loaded);
  loaded = load_settings (f, "replicate", "a/array");
  g_assert_null (loaded);

  /* The next save repairs it. */
  save_settings (f, "replicate", "a/broken", good);
  loaded = load_settings (f, "replicate", "a/broken");
  g_assert_true (objects_equal (loaded, good));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/Easel/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("PromptHistory/record-and-recent", test_record_and_recent);
  ADD ("PromptHistory/blank-and-invalid", test_blank_and_invalid);
  ADD ("PromptHistory/search", test_search);
  ADD ("PromptHistory/delete", test_delete);
  ADD ("PromptHistory/bounded", test_bounded);
  ADD ("PromptHistory/clock-backwards", test_clock_backwards);
  ADD ("PromptHistory/damaged-params", test_damaged_params);
  ADD ("PromptHistory/cancel", test_cancel);
  ADD ("ModelSettings/save-and-load", test_settings);
  ADD ("ModelSettings/damaged", test_settings_damaged);
#undef ADD

  return g_test_run ();
}
