/* easel-budget.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Spending limits: one per day and one per month overall, and the same per
 * provider. A limit of 0 means none. The job queue asks easel_budget_check()
 * with what the ledger says was spent (settled costs, plus the estimates of
 * jobs still running) before it writes a single job, so a batch over budget
 * is refused before anything is sent, with a message that says by how much.
 *
 * Money is counted in millionths of a US dollar (micros) everywhere. */

#include "config.h"

#include "easel-budget.h"

#include <glib/gi18n.h>

#include "easel-error.h"

struct _EaselBudget
{
  GObject     parent_instance;

  GHashTable *limits;   /* "provider\nperiod" → gint64 micros ("" = overall) */
  GSettings  *settings;
};

G_DEFINE_FINAL_TYPE (EaselBudget, easel_budget, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
limit_key (const char        *provider,
           EaselBudgetPeriod  period)
{
  return g_strdup_printf ("%s\n%d", provider ? provider : "", period);
}

/**
 * easel_budget_new:
 *
 * Returns: (transfer full): a budget without limits
 */
EaselBudget *
easel_budget_new (void)
{
  return g_object_new (EASEL_TYPE_BUDGET, NULL);
}

/**
 * easel_budget_set_limit:
 * @self: a budget
 * @provider: (nullable): a provider id, or %NULL for the overall limit
 * @period: the period
 * @micros: the limit in USD micros, 0 for none
 */
void
easel_budget_set_limit (EaselBudget       *self,
                        const char        *provider,
                        EaselBudgetPeriod  period,
                        gint64             micros)
{
  g_return_if_fail (EASEL_IS_BUDGET (self));

  if (micros > 0)
    g_hash_table_replace (self->limits, limit_key (provider, period), g_memdup2 (&micros, sizeof micros));
  else
    {
      g_autofree char *key = limit_key (provider, period);

      g_hash_table_remove (self->limits, key);
    }
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * easel_budget_get_limit:
 * @self: a budget
 * @provider: (nullable): a provider id, or %NULL for the overall limit
 * @period: the period
 *
 * Returns: the limit in USD micros, 0 for none
 */
gint64
easel_budget_get_limit (EaselBudget       *self,
                        const char        *provider,
                        EaselBudgetPeriod  period)
{
  g_autofree char *key = NULL;
  gint64 *limit;

  g_return_val_if_fail (EASEL_IS_BUDGET (self), 0);

  key = limit_key (provider, period);
  limit = g_hash_table_lookup (self->limits, key);
  return limit ? *limit : 0;
}

static void
load_settings (EaselBudget *self)
{
  g_autoptr(GVariant) providers = NULL;
  GVariantIter iter;
  const char *provider;
  gint64 day, month;

  g_hash_table_remove_all (self->limits);
  easel_budget_set_limit (self, NULL, EASEL_BUDGET_DAY, g_settings_get_int64 (self->settings, "budget-daily"));
  easel_budget_set_limit (self, NULL, EASEL_BUDGET_MONTH, g_settings_get_int64 (self->settings, "budget-monthly"));

  providers = g_settings_get_value (self->settings, "provider-budgets");
  g_variant_iter_init (&iter, providers);
  while (g_variant_iter_next (&iter, "{&s(xx)}", &provider, &day, &month))
    {
      easel_budget_set_limit (self, provider, EASEL_BUDGET_DAY, day);
      easel_budget_set_limit (self, provider, EASEL_BUDGET_MONTH, month);
    }
}

static void
settings_changed_cb (EaselBudget *self,
                     const char  *key,
                     GSettings   *settings)
{
  if (g_str_has_prefix (key, "budget-") || g_str_equal (key, "provider-budgets"))
    load_settings (self);
}

/**
 * easel_budget_bind_settings:
 * @self: a budget
 * @settings: the application's settings (keys `budget-daily`,
 *   `budget-monthly` and `provider-budgets`)
 *
 * Loads the limits from @settings and follows their changes.
 */
void
easel_budget_bind_settings (EaselBudget *self,
                            GSettings   *settings)
{
  g_return_if_fail (EASEL_IS_BUDGET (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_set_object (&self->settings, settings);
  g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  load_settings (self);
}

/**
 * easel_format_money:
 * @micros: an amount in USD micros
 *
 * Returns: (transfer full): the amount for people: "$1.25", or with three
 *   decimals below a cent ("$0.003")
 */
char *
easel_format_money (gint64 micros)
{
  double dollars = micros / 1e6;

  if (micros != 0 && ABS (micros) < 10000)
    /* Translators: an amount in US dollars below one cent */
    return g_strdup_printf (_("$%.3f"), dollars);
  /* Translators: an amount in US dollars */
  return g_strdup_printf (_("$%.2f"), dollars);
}

/**
 * easel_budget_period_start:
 * @period: a period
 * @now: (nullable): the current time, %NULL for now
 *
 * Returns: when the current @period began, in µs since the epoch
 */
gint64
easel_budget_period_start (EaselBudgetPeriod  period,
                           GDateTime         *now)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) start = NULL;

  local = now ? g_date_time_to_local (now) : g_date_time_new_now_local ();
  start = g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local),
                                 period == EASEL_BUDGET_DAY ? g_date_time_get_day_of_month (local) : 1,
                                 0, 0, 0);
  return g_date_time_to_unix (start) * G_USEC_PER_SEC;
}

static gboolean
check_one (EaselBudget          *self,
           const EaselSpending  *spending,
           EaselBudgetPeriod     period,
           GError              **error)
{
  gint64 limit = easel_budget_get_limit (self, spending->provider, period);
  gint64 spent = period == EASEL_BUDGET_DAY ? spending->day : spending->month;
  g_autofree char *batch_text = NULL, *left_text = NULL, *limit_text = NULL, *over_text = NULL;
  gint64 left;

  if (limit <= 0 || spending->batch <= 0 || spent + spending->batch <= limit)
    return TRUE;

  left = MAX (limit - spent, 0);
  batch_text = easel_format_money (spending->batch);
  left_text = easel_format_money (left);
  limit_text = easel_format_money (limit);
  over_text = easel_format_money (spent + spending->batch - limit);

  if (spending->provider == NULL)
    g_set_error (error, EASEL_ERROR, EASEL_ERROR_BUDGET_EXCEEDED,
                 period == EASEL_BUDGET_DAY
                 /* Translators: amounts of money: the batch, what remains, the budget, the excess */
                 ? _("These jobs would cost about %s, but only %s of today’s budget of %s is left: %s over")
                 : _("These jobs would cost about %s, but only %s of this month’s budget of %s is left: %s over"),
                 batch_text, left_text, limit_text, over_text);
  else
    g_set_error (error, EASEL_ERROR, EASEL_ERROR_BUDGET_EXCEEDED,
                 period == EASEL_BUDGET_DAY
                 /* Translators: a provider id, then amounts: the batch, what remains, the budget, the excess */
                 ? _("These %s jobs would cost about %s, but only %s of today’s %s budget is left: %s over")
                 : _("These %s jobs would cost about %s, but only %s of this month’s %s budget is left: %s over"),
                 spending->provider, batch_text, left_text, limit_text, over_text);
  return FALSE;
}

/**
 * easel_budget_check:
 * @self: a budget
 * @spending: (array length=n_spending): what was spent and what a batch adds,
 *   overall (provider %NULL) and per provider
 * @n_spending: the length of @spending
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the batch fits every limit, %FALSE with
 *   %EASEL_ERROR_BUDGET_EXCEEDED saying by how much otherwise
 */
gboolean
easel_budget_check (EaselBudget          *self,
                    const EaselSpending  *spending,
                    guint                 n_spending,
                    GError              **error)
{
  g_return_val_if_fail (EASEL_IS_BUDGET (self), FALSE);
  g_return_val_if_fail (spending != NULL || n_spending == 0, FALSE);

  for (guint i = 0; i < n_spending; i++)
    {
      if (!check_one (self, &spending[i], EASEL_BUDGET_DAY, error) ||
          !check_one (self, &spending[i], EASEL_BUDGET_MONTH, error))
        return FALSE;
    }
  return TRUE;
}

static void
easel_budget_finalize (GObject *object)
{
  EaselBudget *self = EASEL_BUDGET (object);

  g_clear_pointer (&self->limits, g_hash_table_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (easel_budget_parent_class)->finalize (object);
}

static void
easel_budget_class_init (EaselBudgetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = easel_budget_finalize;

  /**
   * EaselBudget::changed:
   *
   * A limit changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
easel_budget_init (EaselBudget *self)
{
  self->limits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}
