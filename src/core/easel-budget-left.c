/* easel-budget-left.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the budget leaves for a provider, for the editor's batch preview. It
 * reads the same ledger sums as the queue's budget check
 * (easel_job_store_spending()), on the store's thread, with a copy of the
 * limits taken on the calling thread. */

#include "config.h"

#include "easel-budget-left.h"

#include "easel-job-store.h"

typedef struct
{
  char   *provider;
  gint64  limits[2][2];   /* [overall, provider][day, month], 0 = none */
  gint64  day_start;
  gint64  month_start;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_free (request->provider);
  g_free (request);
}

/* The smaller of two remainders, -1 standing for "no limit". */
static gint64
tighter (gint64 a,
         gint64 b)
{
  if (a < 0)
    return b;
  if (b < 0)
    return a;
  return MIN (a, b);
}

static gint64
left_of (gint64 limit,
           gint64 spent)
{
  if (limit <= 0)
    return -1;
  return MAX (limit - spent, 0);
}

static gpointer
left_in_thread (EaselDb   *db,
                gpointer   data,
                GError   **error)
{
  Request *request = data;
  EaselBudgetLeft left = { -1, -1 };
  const char *providers[] = { NULL, request->provider };

  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      gint64 day = 0, month = 0;

      if (i == 1 && request->provider == NULL)
        break;
      if (request->limits[i][0] <= 0 && request->limits[i][1] <= 0)
        continue;
      if (!easel_job_store_spending (db, providers[i], request->day_start, request->month_start,
                                     &day, &month, error))
        return NULL;
      left.day = tighter (left.day, left_of (request->limits[i][0], day));
      left.month = tighter (left.month, left_of (request->limits[i][1], month));
    }

  return g_memdup2 (&left, sizeof left);
}

static void
left_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  EaselBudgetLeft *left;

  left = easel_store_run_finish (EASEL_STORE (object), result, &error);
  if (left == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, left, g_free);
}

/**
 * easel_budget_left_async:
 * @budget: the spending limits
 * @store: the store holding the ledger
 * @provider: (nullable): a provider id, or %NULL for the overall limits only
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Works out how much may still be spent today and this month by @provider,
 * counting settled costs and the estimates of jobs still running, as the
 * queue's budget check does.
 */
void
easel_budget_left_async (EaselBudget         *budget,
                         EaselStore          *store,
                         const char          *provider,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_return_if_fail (EASEL_IS_BUDGET (budget));
  g_return_if_fail (EASEL_IS_STORE (store));

  task = g_task_new (budget, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_budget_left_async);

  request = g_new0 (Request, 1);
  request->provider = g_strdup (provider);
  request->limits[0][0] = easel_budget_get_limit (budget, NULL, EASEL_BUDGET_DAY);
  request->limits[0][1] = easel_budget_get_limit (budget, NULL, EASEL_BUDGET_MONTH);
  if (provider != NULL)
    {
      request->limits[1][0] = easel_budget_get_limit (budget, provider, EASEL_BUDGET_DAY);
      request->limits[1][1] = easel_budget_get_limit (budget, provider, EASEL_BUDGET_MONTH);
    }
  request->day_start = easel_budget_period_start (EASEL_BUDGET_DAY, NULL);
  request->month_start = easel_budget_period_start (EASEL_BUDGET_MONTH, NULL);

  easel_store_run_full_async (store, left_in_thread, request, request_free, g_free, cancellable,
                              left_cb, g_steal_pointer (&task));
}

/**
 * easel_budget_left_finish:
 * @budget: the spending limits
 * @result: the result
 * @left: (out caller-allocates): what remains
 * @error: return location for a #GError
 *
 * Returns: %TRUE with @left filled in, %FALSE with @error set
 */
gboolean
easel_budget_left_finish (EaselBudget      *budget,
                          GAsyncResult     *result,
                          EaselBudgetLeft  *left,
                          GError          **error)
{
  g_autofree EaselBudgetLeft *value = NULL;

  g_return_val_if_fail (g_task_is_valid (result, budget), FALSE);
  g_return_val_if_fail (left != NULL, FALSE);

  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value == NULL)
    return FALSE;
  *left = *value;
  return TRUE;
}
