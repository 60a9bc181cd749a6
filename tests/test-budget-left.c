/* test-budget-left.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the budget leaves: no limit, the overall and the provider's limits,
 * the tighter of the two, running jobs counted by their estimates, and
 * never below zero. */

#include "config.h"

#include "easel-budget-left.h"
#include "easel-job-store.h"
#include "easel-test-dirs.h"

typedef struct
{
  EaselStore  *store;
  EaselBudget *budget;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = easel_test_make_dir ("easel-budget-left");
  g_autofree char *path = g_build_filename (dir, "easel.db", NULL);

  f->store = easel_store_new (path);
  easel_store_open_sync (f->store, &error);
  g_assert_no_error (error);
  f->budget = easel_budget_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  easel_store_close (f->store);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->budget);
}

static gpointer
insert_func (EaselDb   *db,
             gpointer   data,
             GError   **error)
{
  return GINT_TO_POINTER (easel_job_store_insert (db, data, NULL, error));
}

/* A queued job of @provider whose estimate is @micros. */
static void
add_job (Fixture    *f,
         const char *provider,
         gint64      micros)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_job_record_free);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(EaselJobSpec) spec = easel_job_spec_new (uuid, "some/model", "a fox");
  g_autoptr(EaselJob) job = easel_job_new (uuid, provider, "", spec);
  g_autoptr(GError) error = NULL;
  EaselJobRecord *record;

  easel_job_set_estimate (job, micros);
  record = easel_job_record_new_from_job (job);
  record->batch = g_strdup (uuid);
  record->created_at = g_get_real_time ();
  g_ptr_array_add (records, record);
  g_assert_true (easel_store_run_sync (f->store, insert_func, records, &error));
  g_assert_no_error (error);
}

static void
left_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static EaselBudgetLeft
get_left (Fixture    *f,
          const char *provider)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EaselBudgetLeft left = { 0, 0 };

  easel_budget_left_async (f->budget, f->store, provider, NULL, left_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (easel_budget_left_finish (f->budget, result, &left, &error));
  g_assert_no_error (error);
  return left;
}

static void
test_no_limit (Fixture       *f,
               gconstpointer  data)
{
  EaselBudgetLeft left;

  add_job (f, "replicate", 3000);
  left = get_left (f, "replicate");
  g_assert_cmpint (left.day, ==, -1);
  g_assert_cmpint (left.month, ==, -1);
  left = get_left (f, NULL);
  g_assert_cmpint (left.day, ==, -1);
}

static void
test_limits (Fixture       *f,
             gconstpointer  data)
{
  EaselBudgetLeft left;

  easel_budget_set_limit (f->budget, NULL, EASEL_BUDGET_DAY, 1000000);
  easel_budget_set_limit (f->budget, "replicate", EASEL_BUDGET_MONTH, 50000);
  add_job (f, "replicate", 30000);
  add_job (f, "midjourney", 200000);

  /* Replicate: its own monthly limit; the overall daily one counts both. */
  left = get_left (f, "replicate");
  g_assert_cmpint (left.day, ==, 1000000 - 230000);
  g_assert_cmpint (left.month, ==, 20000);

  /* Midjourney has no limit of its own. */
  left = get_left (f, "midjourney");
  g_assert_cmpint (left.day, ==, 770000);
  g_assert_cmpint (left.month, ==, -1);

  /* The tighter limit wins, and nothing is ever below zero. */
  easel_budget_set_limit (f->budget, "replicate", EASEL_BUDGET_DAY, 10000);
  left = get_left (f, "replicate");
  g_assert_cmpint (left.day, ==, 0);
  easel_budget_set_limit (f->budget, "replicate", EASEL_BUDGET_DAY, 500000);
  left = get_left (f, "replicate");
  g_assert_cmpint (left.day, ==, 470000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/Easel/BudgetLeft/no-limit", Fixture, NULL, fixture_setup, test_no_limit, fixture_teardown);
  g_test_add ("/Easel/BudgetLeft/limits", Fixture, NULL, fixture_setup, test_limits, fixture_teardown);

  return g_test_run ();
}
