/* easel-budget.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * EaselBudgetPeriod:
 * @EASEL_BUDGET_DAY: the current calendar day, local time
 * @EASEL_BUDGET_MONTH: the current calendar month, local time
 */
typedef enum
{
  EASEL_BUDGET_DAY,
  EASEL_BUDGET_MONTH,
} EaselBudgetPeriod;

/**
 * EaselSpending:
 * @provider: (nullable): a provider id, or %NULL for all providers
 * @day: spent and reserved today, USD micros
 * @month: spent and reserved this month, USD micros
 * @batch: what the jobs being checked would add, USD micros
 */
typedef struct
{
  const char *provider;
  gint64      day;
  gint64      month;
  gint64      batch;
} EaselSpending;

#define EASEL_TYPE_BUDGET (easel_budget_get_type ())

G_DECLARE_FINAL_TYPE (EaselBudget, easel_budget, EASEL, BUDGET, GObject)

EaselBudget *easel_budget_new            (void);
void         easel_budget_set_limit      (EaselBudget         *self,
                                          const char          *provider,
                                          EaselBudgetPeriod    period,
                                          gint64               micros);
gint64       easel_budget_get_limit      (EaselBudget         *self,
                                          const char          *provider,
                                          EaselBudgetPeriod    period);
void         easel_budget_bind_settings  (EaselBudget         *self,
                                          GSettings           *settings);
gboolean     easel_budget_check          (EaselBudget         *self,
                                          const EaselSpending *spending,
                                          guint                n_spending,
                                          GError             **error);
gint64       easel_budget_period_start   (EaselBudgetPeriod    period,
                                          GDateTime           *now);
char        *easel_format_money          (gint64               micros);

G_END_DECLS
