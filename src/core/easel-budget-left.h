/* easel-budget-left.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "easel-budget.h"
#include "easel-store.h"

G_BEGIN_DECLS

/**
 * EaselBudgetLeft:
 * @day: what may still be spent today, USD micros, -1 when no daily limit
 *   applies
 * @month: what may still be spent this month, USD micros, -1 when no
 *   monthly limit applies
 *
 * The remaining budget of one provider: the smaller of what its own limit
 * and the overall limit leave, never below 0.
 */
typedef struct
{
  gint64 day;
  gint64 month;
} EaselBudgetLeft;

void     easel_budget_left_async  (EaselBudget          *budget,
                                   EaselStore           *store,
                                   const char           *provider,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
gboolean easel_budget_left_finish (EaselBudget          *budget,
                                   GAsyncResult         *result,
                                   EaselBudgetLeft      *left,
                                   GError              **error);

G_END_DECLS
