/* easel-spending-button.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The header bar's spending indicator: "$1.24 today", and a popover with
 * today and this month against the budgets (overall, and per provider
 * where the provider has a budget of its own) as level bars, and a way to
 * the budgets in the preferences.
 *
 * The ledger is read on the store's thread (EaselSpendingReport) when the
 * queue is set, when jobs are added (their estimates are reserved) and
 * when they finish (the actual cost replaces the estimate). Reads never
 * overlap: a change during a read asks for one more. A budget change only
 * redraws, from the last report. */

#include "config.h"

#include "easel-spending-button.h"

#include <glib/gi18n.h>

#include "easel-accounts.h"
#include "easel-budget.h"
#include "easel-spending-report.h"

struct _EaselSpendingButton
{
  AdwBin               parent_instance;

  GSettings           *settings;
  EaselBudget         *budget;
  EaselJobQueue       *queue;
  GCancellable        *cancellable;
  EaselSpendingReport *report;
  gboolean             loading;
  gboolean             stale;
  gboolean             compact;

  GtkMenuButton       *button;
  GtkPopover          *popover;
  GtkBox              *content;
};

G_DEFINE_FINAL_TYPE (EaselSpendingButton, easel_spending_button, ADW_TYPE_BIN)

/* The share of a budget above which a level bar turns to a warning. */
#define NEAR_LIMIT 0.8

static void load (EaselSpendingButton *self);

static GtkWidget *
level_bar (gint64 spent,
           gint64 limit)
{
  GtkWidget *bar = gtk_level_bar_new_for_interval (0, 1);
  GtkLevelBar *level = GTK_LEVEL_BAR (bar);

  /* Budgets run the other way from batteries: full is bad. */
  gtk_level_bar_remove_offset_value (level, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (level, GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (level, GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_level_bar_add_offset_value (level, "easel-budget-fine", NEAR_LIMIT);
  gtk_level_bar_add_offset_value (level, "easel-budget-near", 0.9999);
  gtk_level_bar_add_offset_value (level, "easel-budget-over", 1.0);
  gtk_level_bar_set_value (level, MIN (1.0, (double) spent / limit));
  return bar;
}

static char *
amount_text (gint64 spent,
             gint64 limit)
{
  g_autofree char *money = easel_format_money (spent);
  g_autofree char *of = NULL;

  if (limit <= 0)
    return g_steal_pointer (&money);
  of = easel_format_money (limit);
  /* Translators: money spent, then the budget */
  return g_strdup_printf (_("%s of %s"), money, of);
}

static void
add_line (EaselSpendingButton *self,
          const char          *title,
          gint64               spent,
          gint64               limit,
          gboolean             show_unbudgeted)
{
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (title);
  g_autofree char *amount = amount_text (spent, limit);
  GtkWidget *value = gtk_label_new (amount);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (value, "numeric");
  gtk_box_append (GTK_BOX (row), name);
  gtk_box_append (GTK_BOX (row), value);
  gtk_box_append (GTK_BOX (line), row);
  if (limit > 0)
    {
      GtkWidget *bar = level_bar (spent, limit);

      gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      gtk_box_append (GTK_BOX (line), bar);
    }
  else if (show_unbudgeted)
    {
      GtkWidget *none = gtk_label_new (_("No budget set"));

      gtk_label_set_xalign (GTK_LABEL (none), 0);
      gtk_widget_add_css_class (none, "dim-label");
      gtk_widget_add_css_class (none, "caption");
      gtk_box_append (GTK_BOX (line), none);
    }
  gtk_box_append (self->content, line);
}

static void
add_period (EaselSpendingButton *self,
            EaselBudgetPeriod    period)
{
  EaselSpendingReport *report = self->report;
  gint64 *values = period == EASEL_BUDGET_DAY ? report->day : report->month;
  GtkWidget *heading = gtk_label_new (period == EASEL_BUDGET_DAY ? _("Today") : _("This Month"));

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (self->content, heading);
  add_line (self, _("All Providers"), values[EASEL_SPENDING_REPORT_N_PROVIDERS],
            easel_budget_get_limit (self->budget, NULL, period), TRUE);
  for (guint i = 0; i < EASEL_SPENDING_REPORT_N_PROVIDERS; i++)
    {
      gint64 limit = easel_budget_get_limit (self->budget, report->providers[i], period);

      if (limit > 0)
        add_line (self, easel_accounts_provider_name (report->providers[i]), values[i], limit, FALSE);
    }
}

/* The highest share of any budget that is set, today or this month. */
static double
highest_share (EaselSpendingButton *self)
{
  double share = 0;

  for (EaselBudgetPeriod period = EASEL_BUDGET_DAY; period <= EASEL_BUDGET_MONTH; period++)
    {
      gint64 *values = period == EASEL_BUDGET_DAY ? self->report->day : self->report->month;

      for (guint i = 0; i <= EASEL_SPENDING_REPORT_N_PROVIDERS; i++)
        {
          const char *provider = i < EASEL_SPENDING_REPORT_N_PROVIDERS ? self->report->providers[i] : NULL;
          gint64 limit = easel_budget_get_limit (self->budget, provider, period);

          if (limit > 0)
            share = MAX (share, (double) values[i] / limit);
        }
    }
  return share;
}

/* "$1.24 today", or just "$1.24" where the header bar is short of room;
 * the accessible label always says what the amount is. */
static void
update_label (EaselSpendingButton *self)
{
  g_autofree char *today = NULL;
  g_autofree char *label = NULL;

  if (self->report == NULL)
    return;
  today = easel_format_money (self->report->day[EASEL_SPENDING_REPORT_N_PROVIDERS]);
  /* Translators: money spent today, in the header bar */
  label = g_strdup_printf (_("%s today"), today);
  gtk_menu_button_set_label (self->button, self->compact ? today : label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
update (EaselSpendingButton *self)
{
  GtkWidget *child, *budgets;
  double share;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->content))) != NULL)
    gtk_box_remove (self->content, child);
  gtk_widget_set_visible (GTK_WIDGET (self), self->report != NULL);
  if (self->report == NULL)
    return;

  update_label (self);

  share = highest_share (self);
  gtk_widget_remove_css_class (GTK_WIDGET (self->button), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->button), "error");
  if (share >= 1.0)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "error");
  else if (share >= NEAR_LIMIT)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "warning");

  add_period (self, EASEL_BUDGET_DAY);
  gtk_box_append (self->content, gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  add_period (self, EASEL_BUDGET_MONTH);
  budgets = gtk_button_new_with_mnemonic (_("_Budgets…"));
  gtk_widget_add_css_class (budgets, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (budgets), "app.preferences-page");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (budgets), "s", "spending");
  gtk_widget_set_margin_top (budgets, 6);
  gtk_box_append (self->content, budgets);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(EaselSpendingButton) self = user_data;
  g_autoptr(EaselSpendingReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = easel_spending_report_load_finish (EASEL_STORE (object), result, &error);
  if (report == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (report == NULL)
    {
      /* The last figures stay; the indicator says they may be old. */
      g_autofree char *tooltip = g_strdup_printf (_("Cannot read the spending: %s"), error->message);

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);
    }
  else
    {
      g_clear_pointer (&self->report, easel_spending_report_free);
      self->report = g_steal_pointer (&report);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), _("Spending Today and This Month"));
      update (self);
    }
  if (self->stale)
    load (self);
}

static void
load (EaselSpendingButton *self)
{
  if (self->queue == NULL)
    return;
  if (self->loading)
    {
      self->stale = TRUE;
      return;
    }
  self->loading = TRUE;
  self->stale = FALSE;
  easel_spending_report_load_async (easel_job_queue_get_store (self->queue), FALSE, self->cancellable,
                                    loaded_cb, g_object_ref (self));
}

static void
settings_changed_cb (EaselSpendingButton *self,
                     const char          *key)
{
  /* The budget object reads the settings first: it connected first. */
  if (g_str_has_prefix (key, "budget-") || g_str_equal (key, "provider-budgets"))
    update (self);
}

/**
 * easel_spending_button_new:
 *
 * Returns: (transfer floating): a new indicator, hidden until it has a
 *   queue and has read the ledger
 */
GtkWidget *
easel_spending_button_new (void)
{
  return g_object_new (EASEL_TYPE_SPENDING_BUTTON, NULL);
}

/**
 * easel_spending_button_set_job_queue:
 * @self: the indicator
 * @queue: (nullable): the job queue, whose store holds the ledger
 *
 * Reads the ledger now and again whenever jobs are added or finish.
 */
void
easel_spending_button_set_job_queue (EaselSpendingButton *self,
                                     EaselJobQueue       *queue)
{
  g_return_if_fail (EASEL_IS_SPENDING_BUTTON (self));
  g_return_if_fail (queue == NULL || EASEL_IS_JOB_QUEUE (queue));

  if (self->queue == queue)
    return;
  if (self->queue != NULL)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  g_set_object (&self->queue, queue);
  if (queue != NULL)
    {
      g_signal_connect_swapped (queue, "job-finished", G_CALLBACK (load), self);
      g_signal_connect_swapped (queue, "items-changed", G_CALLBACK (load), self);
    }
  load (self);
}

/**
 * easel_spending_button_set_compact:
 * @self: the indicator
 * @compact: whether to show the amount alone
 *
 * On a narrow window the header bar has no room for "$1.24 today" beside
 * the title: the indicator then shows "$1.24" (its accessible label and
 * popover still say what it is).
 */
void
easel_spending_button_set_compact (EaselSpendingButton *self,
                                   gboolean             compact)
{
  g_return_if_fail (EASEL_IS_SPENDING_BUTTON (self));

  compact = !!compact;
  if (self->compact == compact)
    return;
  self->compact = compact;
  update_label (self);
}

/**
 * easel_spending_button_get_compact:
 * @self: the indicator
 *
 * Returns: whether the indicator shows the amount alone
 */
gboolean
easel_spending_button_get_compact (EaselSpendingButton *self)
{
  g_return_val_if_fail (EASEL_IS_SPENDING_BUTTON (self), FALSE);

  return self->compact;
}

/**
 * easel_spending_button_get_popover:
 * @self: the indicator
 *
 * Returns: (transfer none): its popover
 */
GtkWidget *
easel_spending_button_get_popover (EaselSpendingButton *self)
{
  g_return_val_if_fail (EASEL_IS_SPENDING_BUTTON (self), NULL);

  return GTK_WIDGET (self->popover);
}

static void
easel_spending_button_dispose (GObject *object)
{
  EaselSpendingButton *self = EASEL_SPENDING_BUTTON (object);

  g_cancellable_cancel (self->cancellable);
  if (self->queue != NULL)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  g_clear_object (&self->queue);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  G_OBJECT_CLASS (easel_spending_button_parent_class)->dispose (object);
}

static void
easel_spending_button_finalize (GObject *object)
{
  EaselSpendingButton *self = EASEL_SPENDING_BUTTON (object);

  g_clear_pointer (&self->report, easel_spending_report_free);
  g_clear_object (&self->budget);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (easel_spending_button_parent_class)->finalize (object);
}

static void
easel_spending_button_class_init (EaselSpendingButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = easel_spending_button_dispose;
  object_class->finalize = easel_spending_button_finalize;
}

static void
easel_spending_button_init (EaselSpendingButton *self)
{
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (BASE_APP_ID);
  self->budget = easel_budget_new ();
  easel_budget_bind_settings (self->budget, self->settings);
  g_signal_connect_swapped (self->settings, "changed", G_CALLBACK (settings_changed_cb), self);

  self->content = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));
  gtk_widget_set_size_request (GTK_WIDGET (self->content), 260, -1);
  gtk_widget_add_css_class (GTK_WIDGET (self->content), "easel-spending-popover");
  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_child (self->popover, GTK_WIDGET (self->content));
  self->button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_popover (self->button, GTK_WIDGET (self->popover));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), _("Spending Today and This Month"));
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->button));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
