/* easel-spending-report.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "easel-store.h"

G_BEGIN_DECLS

/* The image providers whose spending is reported one by one. */
#define EASEL_SPENDING_REPORT_N_PROVIDERS 2

/* The days of EaselSpendingReport.days: the last 30, today included. */
#define EASEL_SPENDING_REPORT_N_DAYS 30

/**
 * EaselSpendingReport:
 * @providers: the provider ids, in the order of @day and @month
 * @day: spent today per provider, then all providers (USD micros)
 * @month: spent this month per provider, then all providers
 * @days: (nullable): gint64 USD micros for each of the last
 *   %EASEL_SPENDING_REPORT_N_DAYS days (local time), oldest first, when asked for
 * @today: the index of today in @days (the last)
 *
 * What the ledger says was spent (or is reserved by jobs still running)
 * today and this month, in local time.
 */
typedef struct
{
  const char *providers[EASEL_SPENDING_REPORT_N_PROVIDERS];
  gint64      day[EASEL_SPENDING_REPORT_N_PROVIDERS + 1];
  gint64      month[EASEL_SPENDING_REPORT_N_PROVIDERS + 1];
  GArray     *days;
  guint       today;
} EaselSpendingReport;

void                 easel_spending_report_load_async  (EaselStore           *store,
                                                        gboolean              with_days,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
EaselSpendingReport *easel_spending_report_load_finish (EaselStore           *store,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void                 easel_spending_report_free        (EaselSpendingReport  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselSpendingReport, easel_spending_report_free)

G_END_DECLS
