/* easel-spending-chart.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A small bar chart of what each day of the month cost, drawn with
 * GtkSnapshot: one bar per day (today's in the accent colour, days to come
 * empty), and a line at the daily budget when there is one. */

#include "config.h"

#include "easel-spending-chart.h"

#include <glib/gi18n.h>

#define GAP 2.0
#define MIN_HEIGHT 72

struct _EaselSpendingChart
{
  GtkWidget  parent_instance;

  GArray    *days;        /* gint64 micros per day */
  guint      today;       /* index of today */
  gint64     daily_limit; /* 0 for none */
};

G_DEFINE_FINAL_TYPE (EaselSpendingChart, easel_spending_chart, GTK_TYPE_WIDGET)

/**
 * easel_spending_chart_new:
 *
 * Returns: (transfer floating): an empty chart
 */
GtkWidget *
easel_spending_chart_new (void)
{
  return g_object_new (EASEL_TYPE_SPENDING_CHART, NULL);
}

/**
 * easel_spending_chart_set_days:
 * @self: a chart
 * @micros: (array length=n_days): the cost of each day, USD micros
 * @n_days: the number of days
 * @today: the index of today
 * @daily_limit: the daily budget, 0 for none
 */
void
easel_spending_chart_set_days (EaselSpendingChart *self,
                               const gint64       *micros,
                               guint               n_days,
                               guint               today,
                               gint64              daily_limit)
{
  g_return_if_fail (EASEL_IS_SPENDING_CHART (self));
  g_return_if_fail (micros != NULL || n_days == 0);

  g_array_set_size (self->days, 0);
  g_array_append_vals (self->days, micros, n_days);
  self->today = today;
  self->daily_limit = daily_limit;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * easel_spending_chart_get_n_days:
 * @self: a chart
 *
 * Returns: how many days the chart shows
 */
guint
easel_spending_chart_get_n_days (EaselSpendingChart *self)
{
  g_return_val_if_fail (EASEL_IS_SPENDING_CHART (self), 0);

  return self->days->len;
}

static void
easel_spending_chart_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  EaselSpendingChart *self = EASEL_SPENDING_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  gint64 top = self->daily_limit;
  GdkRGBA color, faint, accent, warning = { 0.90, 0.38, 0.0, 1.0 };
  double bar;

  if (self->days->len == 0 || width <= 0 || height <= 0)
    return;

  for (guint i = 0; i < self->days->len; i++)
    top = MAX (top, g_array_index (self->days, gint64, i));
  if (top <= 0)
    top = 1;

#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, &color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
#endif
  faint = color;
  faint.alpha *= 0.12;
  color.alpha *= 0.45;
  /* The accent of the style sheet is not reachable from C in GTK 4.8. */
  accent = (GdkRGBA) { 0.21, 0.52, 0.89, 1.0 };

  bar = (width - GAP * (self->days->len - 1)) / self->days->len;
  for (guint i = 0; i < self->days->len; i++)
    {
      gint64 value = g_array_index (self->days, gint64, i);
      double h = value > 0 ? MAX (1.0, height * (double) value / (double) top) : 0.0;
      double x = i * (bar + GAP);

      /* The empty track shows the days of the month. */
      gtk_snapshot_append_color (snapshot, &faint, &GRAPHENE_RECT_INIT (x, 0, bar, height));
      if (h > 0)
        gtk_snapshot_append_color (snapshot, i == self->today ? &accent : &color,
                                   &GRAPHENE_RECT_INIT (x, height - h, bar, h));
    }

  if (self->daily_limit > 0)
    {
      double y = height - height * (double) self->daily_limit / (double) top;

      gtk_snapshot_append_color (snapshot, &warning, &GRAPHENE_RECT_INIT (0, MAX (0, y - 1), width, 2));
    }
}

static void
easel_spending_chart_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_VERTICAL)
    *minimum = *natural = MIN_HEIGHT;
  else
    {
      *minimum = 62;
      *natural = 310;
    }
}

static void
easel_spending_chart_finalize (GObject *object)
{
  EaselSpendingChart *self = EASEL_SPENDING_CHART (object);

  g_clear_pointer (&self->days, g_array_unref);

  G_OBJECT_CLASS (easel_spending_chart_parent_class)->finalize (object);
}

static void
easel_spending_chart_class_init (EaselSpendingChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = easel_spending_chart_finalize;
  widget_class->snapshot = easel_spending_chart_snapshot;
  widget_class->measure = easel_spending_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "spending-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
easel_spending_chart_init (EaselSpendingChart *self)
{
  self->days = g_array_new (FALSE, TRUE, sizeof (gint64));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Spending per day this month"), -1);
}
