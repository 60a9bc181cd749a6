/* easel-spending-chart.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A small bar chart of what each of the last days cost, drawn with
 * GtkSnapshot: a bar of its real height for each day with spending
 * (today's in the accent colour, a day over the budget in the budget
 * line's) over a faint baseline, the daily budget as a labelled line, the
 * first day and today named below, and a plain sentence instead of bars
 * when nothing was spent. The figures are the accessible description too,
 * and each bar's day and amount its tooltip. */

#include "config.h"

#include "easel-spending-chart.h"

#include <glib/gi18n.h>

#include "easel-budget.h"

#define GAP 2.0
#define BARS_HEIGHT 96
#define LABEL_GAP 4.0
#define MIN_BAR 2.0

struct _EaselSpendingChart
{
  GtkWidget  parent_instance;

  GArray    *days;        /* gint64 micros per day */
  guint      today;       /* index of today */
  gint64     daily_limit; /* 0 for none */
  GDateTime *now;         /* when the days were set, to name them */
  char      *description;
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

static GDateTime *
day_date (EaselSpendingChart *self,
          guint               index)
{
  return g_date_time_add_days (self->now, (int) index - (int) self->today);
}

static char *
day_name (EaselSpendingChart *self,
          guint               index)
{
  g_autoptr(GDateTime) date = NULL;

  if (index == self->today)
    return g_strdup (_("Today"));
  date = day_date (self, index);
  /* Translators: a day in the spending chart, a g_date_time_format() format */
  return g_date_time_format (date, C_("spending chart day", "%b %-d"));
}

static gint64
total (EaselSpendingChart *self)
{
  gint64 sum = 0;

  for (guint i = 0; i < self->days->len; i++)
    sum += g_array_index (self->days, gint64, i);
  return sum;
}

static char *
describe (EaselSpendingChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *sum = NULL;
  g_autofree char *peak_money = NULL;
  g_autofree char *peak_day = NULL;
  g_autofree char *today_money = NULL;
  guint peak = 0, spending_days = 0, over = 0;

  if (total (self) <= 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Nothing spent in the last day",
                                         "Nothing spent in the last %u days", self->days->len),
                            self->days->len);

  for (guint i = 0; i < self->days->len; i++)
    {
      gint64 value = g_array_index (self->days, gint64, i);

      if (value > g_array_index (self->days, gint64, peak))
        peak = i;
      if (value > 0)
        spending_days++;
      if (self->daily_limit > 0 && value > self->daily_limit)
        over++;
    }
  sum = easel_format_money (total (self));
  peak_money = easel_format_money (g_array_index (self->days, gint64, peak));
  peak_day = day_name (self, peak);
  /* Translators: the number of days, then money */
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Last %u day: %s spent on %u of them.",
                                             "Last %u days: %s spent on %u of them.", self->days->len),
                          self->days->len, sum, spending_days);
  g_string_append_c (text, ' ');
  if (peak == self->today)
    /* Translators: money */
    g_string_append_printf (text, _("Most today: %s."), peak_money);
  else
    /* Translators: a day ("Nov 3"), then money */
    g_string_append_printf (text, _("Most on %s: %s."), peak_day, peak_money);
  if (self->today < self->days->len)
    {
      today_money = easel_format_money (g_array_index (self->days, gint64, self->today));
      g_string_append_c (text, ' ');
      /* Translators: money */
      g_string_append_printf (text, _("Today: %s."), today_money);
    }
  if (self->daily_limit > 0)
    {
      g_autofree char *limit = easel_format_money (self->daily_limit);

      g_string_append_c (text, ' ');
      if (over > 0)
        /* Translators: money, then a number of days */
        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Daily budget %s, gone over on %u day.",
                                                   "Daily budget %s, gone over on %u days.", over),
                                limit, over);
      else
        /* Translators: money */
        g_string_append_printf (text, _("Daily budget %s, never gone over."), limit);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * easel_spending_chart_set_days:
 * @self: a chart
 * @micros: (array length=n_days): the cost of each day, USD micros, oldest first
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
  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = g_date_time_new_now_local ();
  g_free (self->description);
  self->description = describe (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->description, -1);
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

/**
 * easel_spending_chart_get_description:
 * @self: a chart
 *
 * What the chart shows in words, as given to assistive technologies:
 * the total, the costliest day, today and the daily budget, or that
 * nothing was spent.
 *
 * Returns: (nullable): the description, %NULL before days are set
 */
const char *
easel_spending_chart_get_description (EaselSpendingChart *self)
{
  g_return_val_if_fail (EASEL_IS_SPENDING_CHART (self), NULL);

  return self->description;
}

static PangoLayout *
caption_layout (GtkWidget  *widget,
                const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (0.83));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static void
draw_text (GtkSnapshot   *snapshot,
           PangoLayout   *layout,
           double         x,
           double         y,
           const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static double
bar_width (EaselSpendingChart *self,
           double              width)
{
  return (width - GAP * (self->days->len - 1)) / self->days->len;
}

/* Whether a bar rises into the box from @x to @x + @text_width, above
 * @bottom; @room is the height of a bar of @top micros. */
static gboolean
crosses (EaselSpendingChart *self,
         double              bar,
         double              x,
         double              text_width,
         double              bottom,
         double              room,
         gint64              top)
{
  for (guint i = 0; i < self->days->len; i++)
    {
      gint64 value = g_array_index (self->days, gint64, i);
      double left = i * (bar + GAP);
      double bar_top = BARS_HEIGHT - 1 - MAX (MIN_BAR, room * (double) value / (double) top);

      if (value > 0 && left + bar > x && left < x + text_width && bar_top < bottom)
        return TRUE;
    }
  return FALSE;
}

static void
easel_spending_chart_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  EaselSpendingChart *self = EASEL_SPENDING_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = BARS_HEIGHT;
  gint64 top = self->daily_limit;
  GdkRGBA color, dim, faint, accent, warning = { 0.90, 0.38, 0.0, 1.0 };
  g_autoptr(PangoLayout) first_label = NULL;
  g_autoptr(PangoLayout) today_label = NULL;
  g_autofree char *first_name = NULL;
  int text_width, text_height;
  double bar, headroom;

  if (self->days->len == 0 || width <= 0)
    return;

#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, &color);
#else
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
#endif
  dim = faint = color;
  faint.alpha *= 0.35;
  dim.alpha *= 0.55;
  color.alpha *= 0.45;
  /* The accent of the style sheet is not reachable from C in GTK 4.8. */
  accent = (GdkRGBA) { 0.21, 0.52, 0.89, 1.0 };
  bar = bar_width (self, width);

  /* The baseline, and below it the first day and today. */
  gtk_snapshot_append_color (snapshot, &faint, &GRAPHENE_RECT_INIT (0, height - 1, width, 1));
  first_name = day_name (self, 0);
  first_label = caption_layout (widget, first_name);
  draw_text (snapshot, first_label, 0, height + LABEL_GAP, &dim);
  if (self->today > 0 && self->today < self->days->len)
    {
      int first_width;
      double x;

      today_label = caption_layout (widget, _("Today"));
      pango_layout_get_pixel_size (today_label, &text_width, NULL);
      pango_layout_get_pixel_size (first_label, &first_width, NULL);
      x = MIN (width - text_width, self->today * (bar + GAP) + bar - text_width);
      /* Too narrow for both: the first day alone says where the bars start. */
      if (x >= first_width + 12)
        draw_text (snapshot, today_label, x, height + LABEL_GAP, &dim);
    }

  if (total (self) <= 0)
    {
      g_autoptr(PangoLayout) empty = gtk_widget_create_pango_layout (widget, self->description);

      pango_layout_set_width (empty, (int) (width * PANGO_SCALE));
      pango_layout_set_alignment (empty, PANGO_ALIGN_CENTER);
      pango_layout_set_wrap (empty, PANGO_WRAP_WORD_CHAR);
      pango_layout_get_pixel_size (empty, NULL, &text_height);
      draw_text (snapshot, empty, 0, (height - text_height) / 2, &dim);
      return;
    }

  /* Room above the highest bar for the budget's label. */
  {
    g_autoptr(PangoLayout) probe = caption_layout (widget, "$");

    pango_layout_get_pixel_size (probe, NULL, &text_height);
  }
  headroom = self->daily_limit > 0 ? text_height + 2 : 0;
  for (guint i = 0; i < self->days->len; i++)
    top = MAX (top, g_array_index (self->days, gint64, i));

  for (guint i = 0; i < self->days->len; i++)
    {
      gint64 value = g_array_index (self->days, gint64, i);
      double h;

      if (value <= 0)
        continue;
      h = MAX (MIN_BAR, (height - 1 - headroom) * (double) value / (double) top);
      /* Today in the accent colour; a day over the budget in its colour. */
      gtk_snapshot_append_color (snapshot,
                                 i == self->today ? &accent
                                 : self->daily_limit > 0 && value > self->daily_limit ? &warning : &color,
                                 &GRAPHENE_RECT_INIT (i * (bar + GAP), height - 1 - h, bar, h));
    }

  if (self->daily_limit > 0)
    {
      double y = height - 1 - (height - 1 - headroom) * (double) self->daily_limit / (double) top;
      g_autofree char *money = easel_format_money (self->daily_limit);
      /* Translators: money, on the daily budget's line in the chart */
      g_autofree char *text = g_strdup_printf (_("Daily budget %s"), money);
      g_autoptr(PangoLayout) label = caption_layout (widget, text);
      GdkRGBA line = warning;
      double label_x, label_y;

      line.alpha = 0.8;
      gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (0, y - 0.5, width, 1));
      pango_layout_get_pixel_size (label, &text_width, &text_height);
      /* Above the line at its right end, or its left end, where no bar
       * rises through it; over every bar when both are taken. */
      label_y = MAX (0, y - text_height - 1);
      label_x = width - text_width;
      if (crosses (self, bar, label_x, text_width, label_y + text_height, height - 1 - headroom, top))
        label_x = 0;
      if (crosses (self, bar, label_x, text_width, label_y + text_height, height - 1 - headroom, top))
        {
          label_x = width - text_width;
          label_y = 0;
        }
      draw_text (snapshot, label, label_x, label_y, &warning);
    }
}

static gboolean
easel_spending_chart_query_tooltip (GtkWidget  *widget,
                                    int         x,
                                    int         y,
                                    gboolean    keyboard,
                                    GtkTooltip *tooltip)
{
  EaselSpendingChart *self = EASEL_SPENDING_CHART (widget);
  double bar;
  guint index;
  g_autofree char *name = NULL;
  g_autofree char *money = NULL;
  g_autofree char *text = NULL;

  if (self->days->len == 0 || keyboard)
    return FALSE;
  bar = bar_width (self, gtk_widget_get_width (widget));
  index = (guint) CLAMP (x / (bar + GAP), 0, self->days->len - 1);
  name = day_name (self, index);
  money = easel_format_money (g_array_index (self->days, gint64, index));
  /* Translators: a day ("Nov 3" or "Today"), then money */
  text = g_strdup_printf (_("%s: %s"), name, money);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
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
    {
      g_autoptr(PangoLayout) probe = caption_layout (widget, "Today");
      int text_height;

      pango_layout_get_pixel_size (probe, NULL, &text_height);
      *minimum = *natural = BARS_HEIGHT + LABEL_GAP + text_height;
    }
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
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->description, g_free);

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
  widget_class->query_tooltip = easel_spending_chart_query_tooltip;
  gtk_widget_class_set_css_name (widget_class, "spending-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
easel_spending_chart_init (EaselSpendingChart *self)
{
  self->days = g_array_new (FALSE, TRUE, sizeof (gint64));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Spending per day"), -1);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}
