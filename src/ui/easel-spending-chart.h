/* easel-spending-chart.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EASEL_TYPE_SPENDING_CHART (easel_spending_chart_get_type ())

G_DECLARE_FINAL_TYPE (EaselSpendingChart, easel_spending_chart, EASEL, SPENDING_CHART, GtkWidget)

GtkWidget *easel_spending_chart_new        (void);
void       easel_spending_chart_set_days   (EaselSpendingChart *self,
                                            const gint64       *micros,
                                            guint               n_days,
                                            guint               today,
                                            gint64              daily_limit);
guint      easel_spending_chart_get_n_days (EaselSpendingChart *self);
const char *easel_spending_chart_get_description (EaselSpendingChart *self);

G_END_DECLS
