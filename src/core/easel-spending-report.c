/* easel-spending-report.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Spending today and this month, read from the ledger on the store's
 * thread, for the preferences' Spending page and the main window's
 * spending indicator. The period bounds are local midnights computed on
 * the calling thread, so a day with a DST change is still a whole day. */

#include "config.h"

#include "easel-spending-report.h"

#include "easel-budget.h"
#include "easel-job-store.h"

typedef struct
{
  EaselSpendingReport *report;
  gint64               day_start;
  gint64               month_start;
  GArray              *bounds;   /* gint64: each day's start, then the next month's; NULL without days */
} Load;

static void
load_free (Load *load)
{
  g_clear_pointer (&load->report, easel_spending_report_free);
  g_clear_pointer (&load->bounds, g_array_unref);
  g_free (load);
}

/**
 * easel_spending_report_free:
 * @self: (transfer full): a report
 */
void
easel_spending_report_free (EaselSpendingReport *self)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->days, g_array_unref);
  g_free (self);
}

static gpointer
load_in_thread (EaselDb   *db,
                gpointer   data,
                GError   **error)
{
  Load *load = data;
  EaselSpendingReport *report = load->report;
  g_autoptr(GArray) days = NULL;

  for (guint i = 0; i <= EASEL_SPENDING_REPORT_N_PROVIDERS; i++)
    {
      const char *provider = i < EASEL_SPENDING_REPORT_N_PROVIDERS ? report->providers[i] : NULL;

      if (!easel_job_store_spending (db, provider, load->day_start, load->month_start,
                                     &report->day[i], &report->month[i], error))
        return NULL;
    }
  if (load->bounds != NULL)
    {
      days = g_array_new (FALSE, TRUE, sizeof (gint64));
      for (guint i = 0; i + 1 < load->bounds->len; i++)
        {
          gint64 micros;

          if (!easel_job_store_spending_between (db, NULL, g_array_index (load->bounds, gint64, i),
                                                 g_array_index (load->bounds, gint64, i + 1), &micros, error))
            return NULL;
          g_array_append_val (days, micros);
        }
    }
  report->days = g_steal_pointer (&days);
  return g_steal_pointer (&load->report);
}

/**
 * easel_spending_report_load_async:
 * @store: an open store
 * @with_days: whether to read each of the last %EASEL_SPENDING_REPORT_N_DAYS days too
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads the ledger on the store's thread.
 */
void
easel_spending_report_load_async (EaselStore          *store,
                                  gboolean             with_days,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  Load *load;

  g_return_if_fail (EASEL_IS_STORE (store));

  load = g_new0 (Load, 1);
  load->report = g_new0 (EaselSpendingReport, 1);
  load->report->providers[0] = "replicate";
  load->report->providers[1] = "midjourney";
  load->day_start = easel_budget_period_start (EASEL_BUDGET_DAY, now);
  load->month_start = easel_budget_period_start (EASEL_BUDGET_MONTH, now);
  if (with_days)
    {
      g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now),
                                                             g_date_time_get_month (now),
                                                             g_date_time_get_day_of_month (now), 0, 0, 0);

      /* Each day's start from local midnight, so a day of summer time
       * change is one day, not 23 or 25 hours. */
      load->report->today = EASEL_SPENDING_REPORT_N_DAYS - 1;
      load->bounds = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (int i = -(EASEL_SPENDING_REPORT_N_DAYS - 1); i <= 1; i++)
        {
          g_autoptr(GDateTime) day = g_date_time_add_days (midnight, i);
          gint64 start = g_date_time_to_unix (day) * G_USEC_PER_SEC;

          g_array_append_val (load->bounds, start);
        }
    }

  easel_store_run_full_async (store, load_in_thread, load, (GDestroyNotify) load_free,
                              (GDestroyNotify) easel_spending_report_free, cancellable, callback, user_data);
}

/**
 * easel_spending_report_load_finish:
 * @store: the store
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the report, or %NULL with @error set
 */
EaselSpendingReport *
easel_spending_report_load_finish (EaselStore    *store,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (EASEL_IS_STORE (store), NULL);

  return easel_store_run_finish (store, result, error);
}
