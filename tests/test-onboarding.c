/* test-onboarding.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* First run, over a real engine under a private keyring: with no account
 * the main window shows the onboarding page; an account added through its
 * dialog (the token tested against the emulator first, a bad one refused)
 * brings the three panes, and removing it brings the page back. A token in
 * the environment is an account: no page. The header bar's spending
 * indicator shows the ledger's day and month and follows a budget change,
 * and shows the amount alone in a narrow window. At start-up the window
 * waits for the accounts to be listed (not for their tokens) and then
 * shows the panes or the page, never one before the other.
 * Screenshots: the page light, dark and 600 px wide, the dialog, the
 * spending popover, and the main window 440 px wide. */

#include "config.h"

#include <string.h>

#include "easel-account-dialog.h"
#include "easel-account-form.h"
#include "easel-accounts.h"
#include "easel-budget.h"
#include "easel-emulator.h"
#include "easel-library.h"
#include "easel-onboarding-page.h"
#include "easel-spending-button.h"
#include "easel-test-async.h"
#include "easel-test-dirs.h"
#include "easel-test-library.h"
#include "easel-test-util.h"
#include "easel-thumbnailer.h"
#include "easel-window.h"

typedef struct
{
  GSettings       *settings;
  EaselStore      *store;
  EaselImageStore *images;
  EaselDownloader *downloader;
  EaselBudget     *budget;
  EaselSecrets    *secrets;
  EaselAccounts   *accounts;
  EaselJobQueue   *queue;
  EaselWindow     *window;
} Fixture;

static GtkWidget *
window_child (Fixture    *f,
              const char *name)
{
  GtkWidget *widget = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->window), EASEL_TYPE_WINDOW, name));

  g_assert_nonnull (widget);
  return widget;
}

static const char *
visible_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (window_child (f, "main_stack")));
}

static gboolean
shows_onboarding (gpointer user_data)
{
  return g_strcmp0 (visible_page (user_data), "onboarding") == 0;
}

static gboolean
shows_panes (gpointer user_data)
{
  return g_strcmp0 (visible_page (user_data), "panes") == 0;
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_autofree char *path = NULL;

  easel_test_wait_painted (widget);
  path = easel_test_save_screenshot (widget, name);
  g_test_message ("Screenshot: %s", path);
}

static EaselAccounts *
load_accounts (Fixture *f)
{
  g_autoptr(EaselAccounts) accounts = easel_accounts_new (f->store, f->secrets);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  easel_accounts_bind_settings (accounts, f->settings);
  easel_accounts_load_async (accounts, NULL, easel_test_result_cb, &result);
  easel_test_wait_result (&result);
  g_assert_true (easel_accounts_load_finish (accounts, result, &error));
  return g_steal_pointer (&accounts);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = easel_test_make_dir ("easel-onboarding");
  g_autofree char *db = g_build_filename (dir, "easel.sqlite", NULL);
  g_autofree char *root = g_build_filename (dir, "images", NULL);
  g_autoptr(GError) error = NULL;

  f->settings = g_settings_new (BASE_APP_ID);
  f->store = easel_store_new (db);
  g_assert_true (easel_store_open_sync (f->store, &error));
  f->images = easel_image_store_new (root);
  f->downloader = easel_downloader_new (f->images, 1);
  f->budget = easel_budget_new ();
  easel_budget_bind_settings (f->budget, f->settings);
  f->secrets = easel_secrets_new ();
  f->accounts = load_accounts (f);
  f->queue = easel_job_queue_new (f->store, f->downloader, f->budget, easel_accounts_lookup,
                                  g_object_ref (f->accounts), g_object_unref);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  f->window = easel_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 760);
  easel_window_set_job_queue (f->window, f->queue);
  easel_window_set_accounts (f->window, f->accounts);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->queue);
  g_clear_object (&f->accounts);
  g_clear_object (&f->secrets);
  g_clear_object (&f->budget);
  g_clear_object (&f->downloader);
  g_clear_object (&f->images);
  easel_store_close (f->store);
  g_clear_object (&f->store);
  g_settings_reset (f->settings, "budget-daily");
  g_settings_reset (f->settings, "budget-monthly");
  g_settings_reset (f->settings, "provider-budgets");
  g_clear_object (&f->settings);
}

static gboolean
no_dialog (gpointer user_data)
{
  return !gtk_widget_get_visible (user_data);
}

static EaselAccountDialog *
open_dialog (Fixture    *f,
             const char *provider)
{
  GtkWidget *page = window_child (f, "onboarding_page");
  GListModel *toplevels = gtk_window_get_toplevels ();

  g_assert_true (gtk_widget_activate_action (page, "onboarding.add-account", "s", provider));
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (EASEL_IS_ACCOUNT_DIALOG (window))
        return EASEL_ACCOUNT_DIALOG (window);
    }
  g_assert_not_reached ();
}

static GtkWidget *
form_child (EaselAccountDialog *dialog,
            const char         *name)
{
  GtkWidget *form = easel_account_dialog_get_form (dialog);

  return GTK_WIDGET (gtk_widget_get_template_child (form, EASEL_TYPE_ACCOUNT_FORM, name));
}

typedef struct
{
  GtkWidget  *widget;
  const char *text;
} TextWait;

static gboolean
shows_text (gpointer user_data)
{
  TextWait *wait = user_data;
  g_autofree char *text = easel_test_text_of (wait->widget);

  return strstr (text, wait->text) != NULL;
}

/* The dialog's test result: a label marked as a success or an error. */
static GtkWidget *
find_status (GtkWidget  *widget,
             const char *css_class)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) && gtk_widget_has_css_class (widget, css_class))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_status (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_error (gpointer user_data)
{
  return find_status (user_data, "error") != NULL;
}

static gboolean
has_success (gpointer user_data)
{
  return find_status (user_data, "success") != NULL;
}

static void
test_onboarding_first_run (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(EaselEmulator) emulator = easel_emulator_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *url = NULL;
  g_autofree char *page_text = NULL;
  EaselAccountDialog *dialog;
  GtkWidget *page = window_child (f, "onboarding_page");

  g_assert_true (easel_emulator_listen (emulator, 0, &error));
  origin = easel_emulator_dup_origin (emulator);
  url = g_strconcat (origin, "/v1", NULL);
  g_setenv ("EASEL_REPLICATE_URL", url, TRUE);

  /* No account: the page, with both providers' costs and buttons, and no
   * pane toggles (they would act on hidden panes). */
  g_assert_true (easel_test_spin_until (shows_onboarding, f, 5000));
  g_assert_false (gtk_widget_get_visible (window_child (f, "editor_button")));
  g_assert_false (gtk_widget_get_visible (window_child (f, "jobs_button")));
  g_assert_false (gtk_widget_get_child_visible (window_child (f, "spending_button")));
  g_assert_nonnull (easel_test_find_button (page, "Add _Replicate Account…"));
  g_assert_nonnull (easel_test_find_button (page, "Add _UseAPI.net Account…"));
  g_assert_false (gtk_widget_get_visible (easel_test_find_button (page, "_Browse the Library Without an Account")));
  page_text = easel_test_text_of (page);
  g_assert_nonnull (strstr (page_text, "$0.003"));
  g_assert_nonnull (strstr (page_text, "can get the account banned"));
  /* The demo hint is for development builds, the ones made in the source tree. */
  g_assert_true ((strstr (page_text, "./build-aux/dev demo") != NULL) == DEVELOPMENT_BUILD);
  screenshot (GTK_WIDGET (f->window), "onboarding");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (GTK_WIDGET (f->window), "onboarding-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 600, 760);
  screenshot (GTK_WIDGET (f->window), "onboarding-narrow");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 760);

  /* The dialog: format warnings as the token is typed, a refused token
   * stays in the dialog, a good one tests fine before it is saved. */
  dialog = open_dialog (f, "replicate");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (dialog, "name_row"))), ==, "replicate");
  g_assert_false (gtk_widget_get_visible (form_child (dialog, "provider_row")));
  gtk_editable_set_text (GTK_EDITABLE (form_child (dialog, "token_row")), "not a token");
  g_assert_true (gtk_widget_get_visible (form_child (dialog, "warning_label")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (form_child (dialog, "warning_label"))), "r8_"));

  gtk_editable_set_text (GTK_EDITABLE (form_child (dialog, "token_row")), "r8_invalid-token-01234567");
  g_assert_false (gtk_widget_get_visible (form_child (dialog, "warning_label")));
  g_signal_emit_by_name (easel_test_find_button (GTK_WIDGET (dialog), "_Test Connection"), "clicked");
  g_assert_true (easel_test_spin_until (has_error, dialog, 20000));
  g_test_message ("Refused: %s", gtk_label_get_text (GTK_LABEL (find_status (GTK_WIDGET (dialog), "error"))));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->accounts)), ==, 0);

  gtk_editable_set_text (GTK_EDITABLE (form_child (dialog, "token_row")), "r8_onboarding-token-0123");
  g_signal_emit_by_name (easel_test_find_button (GTK_WIDGET (dialog), "_Test Connection"), "clicked");
  g_assert_true (easel_test_spin_until (has_success, dialog, 20000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->accounts)), ==, 0);
  screenshot (GTK_WIDGET (dialog), "onboarding-dialog");

  /* Add: the dialog closes and the panes appear. */
  g_object_ref (dialog);
  g_signal_emit_by_name (easel_test_find_button (GTK_WIDGET (dialog), "_Add"), "clicked");
  g_assert_true (easel_test_spin_until (shows_panes, f, 20000));
  g_assert_true (easel_test_spin_until (no_dialog, dialog, 5000));
  g_object_unref (dialog);
  g_assert_true (gtk_widget_get_visible (window_child (f, "editor_button")));
  g_assert_cmpint (easel_account_get_source (easel_accounts_find (f->accounts, "replicate")), ==,
                   EASEL_ACCOUNT_SOURCE_KEYRING);

  /* Removing the last account brings the page back. */
  easel_accounts_remove_async (f->accounts, "replicate", NULL, easel_test_result_cb, &result);
  easel_test_wait_result (&result);
  g_assert_true (easel_accounts_remove_finish (f->accounts, result, &error));
  g_assert_true (easel_test_spin_until (shows_onboarding, f, 5000));

  g_unsetenv ("EASEL_REPLICATE_URL");
}

static void
test_onboarding_environment (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(EaselAccounts) with_env = NULL;

  g_assert_true (easel_test_spin_until (shows_onboarding, f, 5000));
  g_setenv ("REPLICATE_API_TOKEN", "r8_from-the-environment-01", TRUE);
  with_env = load_accounts (f);
  easel_window_set_accounts (f->window, with_env);
  g_assert_true (easel_test_spin_until (shows_panes, f, 5000));
  g_unsetenv ("REPLICATE_API_TOKEN");
}

/* Start-up without a flash: a window given accounts that are not listed
 * yet shows neither the panes nor the onboarding page; once listed (from
 * the store's rows, before the keyring has answered for any token) it
 * shows the right one, never the other on the way. */
typedef struct
{
  Fixture      *f;
  GString      *pages;       /* every page shown, one a line */
  GAsyncResult *result;      /* the load's */
  char         *at_listed;   /* the page when the accounts were listed */
  gboolean      loaded_at_listed;
} Startup;

static void
page_changed_cb (GtkStack   *stack,
                 GParamSpec *pspec,
                 Startup    *startup)
{
  g_string_append_printf (startup->pages, "%s\n", gtk_stack_get_visible_child_name (stack));
}

static void
listed_cb (EaselAccounts *accounts,
           GParamSpec    *pspec,
           Startup       *startup)
{
  g_free (startup->at_listed);
  startup->at_listed = g_strdup (visible_page (startup->f));
  startup->loaded_at_listed = startup->result != NULL;
}

static gboolean
is_visible (gpointer user_data)
{
  return gtk_widget_get_visible (user_data);
}

/* @slow: the store answers only after the start spinner showed. */
static void
start_up (Fixture  *f,
          Startup  *startup,
          gboolean  slow)
{
  g_autoptr(EaselAccounts) fresh = easel_accounts_new (f->store, f->secrets);
  g_autoptr(GError) error = NULL;
  GtkWidget *stack = window_child (f, "main_stack");
  gulong handler;

  *startup = (Startup) { f, g_string_new (NULL), NULL, NULL, FALSE };
  easel_accounts_bind_settings (fresh, f->settings);
  easel_window_set_accounts (f->window, fresh);
  g_assert_cmpstr (visible_page (f), ==, "starting");
  g_assert_false (gtk_widget_get_visible (window_child (f, "editor_button")));
  g_assert_false (gtk_widget_get_child_visible (window_child (f, "spending_button")));
  g_assert_false (gtk_widget_get_visible (window_child (f, "starting_spinner")));
  if (slow)
    g_assert_true (easel_test_spin_until (is_visible, window_child (f, "starting_spinner"), 5000));

  handler = g_signal_connect (stack, "notify::visible-child-name", G_CALLBACK (page_changed_cb), startup);
  g_signal_connect (fresh, "notify::listed", G_CALLBACK (listed_cb), startup);
  easel_accounts_load_async (fresh, NULL, easel_test_result_cb, &startup->result);
  easel_test_wait_result (&startup->result);
  g_assert_true (easel_accounts_load_finish (fresh, startup->result, &error));
  g_assert_true (easel_accounts_get_listed (fresh));
  g_signal_handler_disconnect (stack, handler);
  g_signal_handlers_disconnect_by_data (fresh, startup);
  g_clear_object (&startup->result);
  g_assert_false (gtk_widget_get_visible (window_child (f, "starting_spinner")));
  easel_window_set_accounts (f->window, f->accounts);
}

static void
test_onboarding_startup (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(EaselAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  Startup startup;

  /* First run: the onboarding page, and never the panes before it. */
  start_up (f, &startup, TRUE);
  g_assert_cmpstr (startup.at_listed, ==, "onboarding");
  g_assert_cmpstr (startup.pages->str, ==, "onboarding\n");
  g_string_free (startup.pages, TRUE);
  g_free (startup.at_listed);

  /* A returning user, whose token is in the keyring: the panes as soon as
   * the account is listed, while its token is still being read, and never
   * the onboarding page. */
  easel_accounts_add_async (f->accounts, "replicate", "studio", "r8_startup-token-0123456789", FALSE, NULL,
                            easel_test_result_cb, &result);
  easel_test_wait_result (&result);
  account = easel_accounts_add_finish (f->accounts, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (easel_account_get_source (account), ==, EASEL_ACCOUNT_SOURCE_KEYRING);
  g_clear_object (&result);

  start_up (f, &startup, FALSE);
  g_assert_cmpstr (startup.at_listed, ==, "panes");
  g_assert_false (startup.loaded_at_listed);
  g_assert_cmpstr (startup.pages->str, ==, "panes\n");
  g_assert_true (gtk_widget_get_visible (window_child (f, "editor_button")));
  g_string_free (startup.pages, TRUE);
  g_free (startup.at_listed);

  easel_accounts_remove_async (f->accounts, "studio", NULL, easel_test_result_cb, &result);
  easel_test_wait_result (&result);
  g_assert_true (easel_accounts_remove_finish (f->accounts, result, &error));
  g_assert_true (easel_test_spin_until (shows_onboarding, f, 5000));
}

static gpointer
insert_ledger (EaselDb   *db,
               gpointer   data,
               GError   **error)
{
  gint64 *at = data;   /* now, then the start of the month */
  g_autofree char *sql =
    g_strdup_printf ("INSERT INTO jobs (id, uuid, provider, model, spec, state, created_at, updated_at) VALUES "
                     "(1, 'a', 'replicate', 'black-forest-labs/flux-dev', '{}', 'succeeded', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "), "
                     "(2, 'b', 'midjourney', 'midjourney', '{}', 'succeeded', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ");"
                     "INSERT INTO ledger (job_id, provider, kind, micros, at) VALUES "
                     "(1, 'replicate', 'estimate', 1240000, %" G_GINT64_FORMAT "), "
                     "(1, 'replicate', 'actual', 1240000, %" G_GINT64_FORMAT "), "
                     "(2, 'midjourney', 'estimate', 2000000, %" G_GINT64_FORMAT "), "
                     "(2, 'midjourney', 'actual', 2000000, %" G_GINT64_FORMAT ");",
                     at[0], at[0], at[1], at[1], at[0], at[0], at[1], at[1]);

  return easel_db_exec (db, sql, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gboolean
button_label_is (gpointer user_data)
{
  TextWait *wait = user_data;
  const char *label = gtk_menu_button_get_label (GTK_MENU_BUTTON (adw_bin_get_child (ADW_BIN (wait->widget))));

  return g_strcmp0 (label, wait->text) == 0;
}

static void
test_onboarding_spending (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gint64 at[2] = { g_get_real_time (), easel_budget_period_start (EASEL_BUDGET_MONTH, now) };
  gboolean month_starts_today = at[1] >= easel_budget_period_start (EASEL_BUDGET_DAY, now);
  GtkWidget *button = window_child (f, "spending_button");
  GtkWidget *popover = easel_spending_button_get_popover (EASEL_SPENDING_BUTTON (button));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *provider_text = NULL;
  TextWait wait;

  g_assert_nonnull (easel_store_run_sync (f->store, insert_ledger, at, &error));
  g_assert_no_error (error);

  /* A job finishing makes the indicator read the ledger again. */
  g_signal_emit_by_name (f->queue, "items-changed", 0, 0, 0);
  wait = (TextWait) { button, month_starts_today ? "$3.24 today" : "$1.24 today" };
  g_assert_true (easel_test_spin_until (button_label_is, &wait, 10000));
  g_assert_true (gtk_widget_get_visible (button));
  text = easel_test_text_of (popover);
  g_assert_nonnull (strstr (text, "Today\n"));
  g_assert_nonnull (strstr (text, "This Month\n"));
  g_assert_nonnull (strstr (text, "$3.24\n"));
  g_assert_nonnull (strstr (text, "No budget set"));

  /* Budgets: the overall one and Replicate's show as level bars. */
  g_settings_set_int64 (f->settings, "budget-daily", 5000000);
  g_settings_set_int64 (f->settings, "budget-monthly", 3500000);
  g_settings_set_value (f->settings, "provider-budgets",
                        g_variant_new_parsed ("{'replicate': (@x 1500000, @x 0)}"));
  wait = (TextWait) { popover, "$3.24 of $3.50" };
  g_assert_true (easel_test_spin_until (shows_text, &wait, 5000));
  provider_text = easel_test_text_of (popover);
  g_assert_nonnull (strstr (provider_text, "Replicate\n$1.24 of $1.50"));
  g_assert_true (gtk_widget_has_css_class (adw_bin_get_child (ADW_BIN (button)), "warning"));

  gtk_menu_button_popup (GTK_MENU_BUTTON (adw_bin_get_child (ADW_BIN (button))));
  screenshot (popover, "spending-popover");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (popover, "spending-popover-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_popover_popdown (GTK_POPOVER (popover));

  /* A narrow window: the amount alone, so the title keeps its room; wide
   * again, the words come back. An account in the environment shows the
   * panes and so the indicator. */
  {
    g_autoptr(EaselAccounts) with_env = NULL;
    const char *amount = month_starts_today ? "$3.24" : "$1.24";
    g_autofree char *full = g_strdup_printf ("%s today", amount);
    GtkWidget *title = find_type (GTK_WIDGET (f->window), ADW_TYPE_WINDOW_TITLE);

    g_setenv ("REPLICATE_API_TOKEN", "r8_from-the-environment-01", TRUE);
    with_env = load_accounts (f);
    easel_window_set_accounts (f->window, with_env);
    g_assert_true (easel_test_spin_until (shows_panes, f, 5000));
    g_assert_true (gtk_widget_get_child_visible (button));

    gtk_window_set_default_size (GTK_WINDOW (f->window), 440, 760);
    wait = (TextWait) { button, amount };
    g_assert_true (easel_test_spin_until (button_label_is, &wait, 5000));
    g_assert_true (easel_spending_button_get_compact (EASEL_SPENDING_BUTTON (button)));
    screenshot (GTK_WIDGET (f->window), "main-window-440-spending");
    /* The title is not squeezed below its natural width. */
    {
      int natural;

      gtk_widget_measure (title, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      g_assert_cmpint (gtk_widget_get_width (title), >=, natural);
    }

    gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 760);
    wait = (TextWait) { button, full };
    g_assert_true (easel_test_spin_until (button_label_is, &wait, 5000));
    g_assert_false (easel_spending_button_get_compact (EASEL_SPENDING_BUTTON (button)));
    easel_window_set_accounts (f->window, f->accounts);
    g_unsetenv ("REPLICATE_API_TOKEN");
  }
}

/* Someone with a library but no account (the token went, or another
 * machine's library): the page offers to browse it, and browsing shows
 * the panes until an account exists. */
static gboolean
crossfade_done (gpointer user_data)
{
  Fixture *f = user_data;

  return !gtk_stack_get_transition_running (GTK_STACK (window_child (f, "main_stack")));
}

static gboolean
browse_offered (gpointer user_data)
{
  Fixture *f = user_data;
  GtkWidget *button = easel_test_find_button (window_child (f, "onboarding_page"),
                                              "_Browse the Library Without an Account");

  return button != NULL && gtk_widget_get_visible (button);
}

static void
test_onboarding_browse (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = easel_test_images_generate (20, 3, g_get_real_time () - G_TIME_SPAN_DAY,
                                                          G_TIME_SPAN_DAY);
  g_autofree char *cache = easel_test_make_dir ("thumbnails");
  g_autoptr(EaselLibrary) library = easel_library_new (f->store, f->images);
  g_autoptr(EaselThumbnailer) thumbnailer = easel_thumbnailer_new (f->images, cache);
  g_autoptr(GError) error = NULL;

  /* No library yet: nothing to browse. */
  g_assert_true (easel_test_spin_until (shows_onboarding, f, 5000));
  g_assert_false (browse_offered (f));

  g_assert_nonnull (easel_store_run_sync (f->store, easel_test_images_insert_func, rows, &error));
  g_assert_no_error (error);
  easel_window_set_library (f->window, library, thumbnailer);
  g_assert_true (easel_test_spin_until (browse_offered, f, 10000));
  screenshot (GTK_WIDGET (f->window), "onboarding-browse");

  g_assert_true (gtk_widget_activate_action (window_child (f, "onboarding_page"), "onboarding.browse", NULL));
  g_assert_true (easel_test_spin_until (shows_panes, f, 5000));
  g_assert_true (gtk_widget_get_visible (window_child (f, "editor_button")));
  g_assert_true (easel_test_spin_until (crossfade_done, f, 5000));
  screenshot (GTK_WIDGET (f->window), "onboarding-browsing");
}

int
main (int   argc,
      char *argv[])
{
  if (!easel_test_init_ui (&argc, &argv))
    return 0;

  if (g_getenv ("EASEL_TEST_KEYRING_DAEMON") == NULL)
    {
      g_print ("1..0 # SKIP needs gnome-keyring under build-aux/run-with-keyring\n");
      return 0;
    }
  /* What AdwApplication does for the app: its icon, from the resources. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    RESOURCE_PATH "/icons");
  g_unsetenv ("REPLICATE_API_TOKEN");
  g_unsetenv ("USEAPI_API_TOKEN");
  g_unsetenv ("OPENROUTER_API_KEY");

  g_test_add ("/Easel/Onboarding/first-run", Fixture, NULL,
              fixture_set_up, test_onboarding_first_run, fixture_tear_down);
  g_test_add ("/Easel/Onboarding/browse", Fixture, NULL,
              fixture_set_up, test_onboarding_browse, fixture_tear_down);
  g_test_add ("/Easel/Onboarding/environment", Fixture, NULL,
              fixture_set_up, test_onboarding_environment, fixture_tear_down);
  g_test_add ("/Easel/Onboarding/startup", Fixture, NULL,
              fixture_set_up, test_onboarding_startup, fixture_tear_down);
  g_test_add ("/Easel/Onboarding/spending", Fixture, NULL,
              fixture_set_up, test_onboarding_spending, fixture_tear_down);

  return g_test_run ();
}
