/* test-preferences-memory.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The preferences window without a Secret Service (the session bus
 * address points at a socket that does not exist, so libsecret fails at
 * once and tokens are kept in memory): the Accounts page says plainly that
 * tokens last for this session only and how to keep them, never offering a
 * file; an account's "jobs at once" reads "Default" for 0 and takes the
 * word back. The Midjourney channels of a UseAPI.net account in the
 * environment come from the emulator, one of them in the 596 state, whose
 * Reset button sends the real reset request. The Spending page's chart
 * over a ledger with rows on several days, and over an empty one.
 * Screenshots of each. */

#include "config.h"

#include <string.h>

#include "easel-accounts.h"
#include "easel-emulator.h"
#include "easel-preferences-window.h"
#include "easel-spending-chart.h"
#include "easel-test-async.h"
#include "easel-test-dirs.h"
#include "easel-test-util.h"
#include "easel-useapi-provider.h"

#define RESET_KEY "POST /v3/midjourney/accounts/reset/{channel}"
#define SECOND_CHANNEL "9876543210987654321"

typedef struct
{
  GSettings       *settings;
  EaselStore      *store;
  EaselImageStore *images;
  EaselSecrets    *secrets;
  EaselAccounts   *accounts;
  GtkWidget       *window;
} Fixture;

static GtkWidget *
child (Fixture    *f,
       const char *name)
{
  GtkWidget *widget = GTK_WIDGET (gtk_widget_get_template_child (f->window, EASEL_TYPE_PREFERENCES_WINDOW, name));

  g_assert_nonnull (widget);
  return widget;
}

static void
screenshot (Fixture    *f,
            const char *page,
            const char *name)
{
  g_autofree char *path = NULL;

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (f->window), page);
  easel_test_wait_painted (f->window);
  path = easel_test_save_screenshot (f->window, name);
  g_test_message ("Screenshot: %s", path);
}

/* Scrolls @widget's page so that @widget is at the top. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  graphene_point_t point;

  g_assert_nonnull (scrolled);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_true (gtk_widget_compute_point (widget, scrolled, &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + point.y - 12);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = easel_test_make_dir ("easel-preferences-memory");
  g_autofree char *db = g_build_filename (dir, "easel.sqlite", NULL);
  g_autofree char *root = g_build_filename (dir, "images", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  f->settings = g_settings_new (BASE_APP_ID);
  f->store = easel_store_new (db);
  g_assert_true (easel_store_open_sync (f->store, &error));
  f->images = easel_image_store_new (root);
  f->secrets = easel_secrets_new ();
  f->accounts = easel_accounts_new (f->store, f->secrets);
  easel_accounts_bind_settings (f->accounts, f->settings);
  easel_accounts_load_async (f->accounts, NULL, easel_test_result_cb, &result);
  easel_test_wait_result (&result);
  g_assert_true (easel_accounts_load_finish (f->accounts, result, &error));

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  f->window = GTK_WIDGET (easel_preferences_window_new (f->settings));
  easel_preferences_window_set_engine (EASEL_PREFERENCES_WINDOW (f->window), f->accounts, f->store, f->images, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 720, 900);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->accounts);
  g_clear_object (&f->secrets);
  g_clear_object (&f->images);
  easel_store_close (f->store);
  g_clear_object (&f->store);
  g_settings_reset (f->settings, "budget-daily");
  g_clear_object (&f->settings);
}

static GtkWidget *
find_spin (GtkWidget *widget)
{
  if (GTK_IS_SPIN_BUTTON (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_spin (c);

      if (found != NULL)
        return found;
    }
  return NULL;
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

static gboolean
max_jobs_is_3 (gpointer user_data)
{
  EaselAccount *account = easel_accounts_find (user_data, "work");

  return account != NULL && easel_account_get_max_jobs (account) == 3;
}

static void
test_keyring_warning (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(EaselAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkWidget *group = child (f, "keyring_group");
  GtkWidget *spin;
  TextWait wait;

  /* The keyring is found missing at the first use. */
  easel_accounts_add_async (f->accounts, "replicate", "work", "r8_memory-token-0123456789", FALSE, NULL,
                            easel_test_result_cb, &result);
  easel_test_wait_result (&result);
  account = easel_accounts_add_finish (f->accounts, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (easel_account_get_source (account), ==, EASEL_ACCOUNT_SOURCE_MEMORY);
  g_assert_true (easel_secrets_get_in_memory (f->secrets));

  g_assert_true (gtk_widget_get_visible (group));
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)), ==,
                   "Tokens Last Only for This Session");
  text = easel_test_text_of (group);
  g_assert_nonnull (strstr (text, easel_secrets_get_problem (f->secrets)));
  g_assert_nonnull (strstr (text, "until Easel quits"));
  g_assert_nonnull (strstr (text, "install or unlock a keyring"));
  g_assert_nonnull (strstr (text, "GNOME Keyring"));
  g_assert_nonnull (strstr (text, "REPLICATE_API_TOKEN"));
  /* Never a plaintext file: "never written to a file" is the only mention. */
  g_assert_null (strstr (text, "plain"));
  g_assert_null (strstr (text, "in a file"));
  g_assert_null (strstr (text, ".txt"));

  /* Jobs at once: 0 shows as "Default", and the subtitle says so. */
  wait = (TextWait) { child (f, "accounts_group"), "for this session only" };
  g_assert_true (easel_test_spin_until (shows_text, &wait, 5000));
  spin = find_spin (child (f, "accounts_group"));
  g_assert_nonnull (spin);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "Default");
  wait.text = "jobs at once: the provider’s setting";
  g_assert_true (shows_text (&wait));
  screenshot (f, "accounts", "preferences-keyring-memory");

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 3);
  g_assert_true (easel_test_spin_until (max_jobs_is_3, f->accounts, 5000));
  wait.text = "up to 3 jobs at once";
  g_assert_true (easel_test_spin_until (shows_text, &wait, 5000));

  /* The rows were rebuilt: typing the word back means 0. */
  spin = find_spin (child (f, "accounts_group"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "3");
  gtk_editable_set_text (GTK_EDITABLE (spin), "Default");
  gtk_spin_button_update (GTK_SPIN_BUTTON (spin));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 0);
  wait.text = "jobs at once: the provider’s setting";
  g_assert_true (easel_test_spin_until (shows_text, &wait, 5000));
}

static gboolean
has_reset_button (gpointer user_data)
{
  return easel_test_find_button (user_data, "_Reset") != NULL;
}

typedef struct
{
  EaselEmulator *emulator;
  GtkWidget     *group;
} ResetWait;

static gboolean
was_reset (gpointer user_data)
{
  ResetWait *wait = user_data;

  return easel_emulator_get_request_count (wait->emulator, RESET_KEY) == 1 &&
         easel_test_find_button (wait->group, "_Reset") == NULL;
}

static void
test_channels (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(EaselEmulator) emulator = easel_emulator_new ();
  g_autoptr(EaselAccounts) accounts = NULL;
  g_autoptr(EaselProvider) provider = NULL;
  g_autoptr(EaselJobSpec) spec = NULL;
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *useapi = NULL;
  g_autofree char *text = NULL;
  GtkWidget *group = child (f, "channels_group");
  ResetWait reset_wait;
  TextWait wait;

  g_assert_true (easel_emulator_listen (emulator, 0, &error));
  easel_emulator_add_channel (emulator, SECOND_CHANNEL, 3, 3, 1);
  origin = easel_emulator_dup_origin (emulator);
  useapi = g_strconcat (origin, "/v3/midjourney", NULL);
  g_setenv ("EASEL_USEAPI_URL", useapi, TRUE);
  g_setenv ("USEAPI_API_TOKEN", "user:1-preferences-channels", TRUE);

  /* The environment's UseAPI.net account. */
  accounts = easel_accounts_new (f->store, f->secrets);
  easel_accounts_load_async (accounts, NULL, easel_test_result_cb, &result);
  easel_test_wait_result (&result);
  g_assert_true (easel_accounts_load_finish (accounts, result, &error));
  g_clear_object (&result);

  /* A job that meets a CAPTCHA puts its channel in the 596 state. */
  provider = easel_accounts_lookup ("midjourney", NULL, accounts, &error);
  g_assert_no_error (error);
  spec = easel_job_spec_new ("x", "midjourney", "captcha-me please");
  easel_provider_submit_async (provider, spec, NULL, easel_test_result_cb, &result);
  easel_test_wait_result (&result);
  job = easel_provider_submit_finish (provider, result, &error);
  g_assert_null (job);
  g_assert_nonnull (error);
  g_clear_error (&error);

  easel_preferences_window_set_engine (EASEL_PREFERENCES_WINDOW (f->window), accounts, f->store, f->images, NULL);
  g_signal_emit_by_name (child (f, "channels_button"), "clicked");
  g_assert_true (easel_test_spin_until (has_reset_button, group, 10000));
  wait = (TextWait) { group, SECOND_CHANNEL };
  g_assert_true (easel_test_spin_until (shows_text, &wait, 5000));
  text = easel_test_text_of (group);
  g_assert_nonnull (strstr (text, EASEL_EMULATOR_DEFAULT_CHANNEL "\n"));
  g_assert_nonnull (strstr (text, "out of rotation"));
  g_assert_nonnull (strstr (text, "then reset the channel"));
  g_assert_nonnull (strstr (text, "3 jobs at once (3 images, 1 videos)"));
  g_assert_false (gtk_widget_get_visible (child (f, "channels_status_row")));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (f->window), "accounts");
  easel_test_wait_painted (f->window);
  scroll_to (group);
  screenshot (f, "accounts", "preferences-channels");

  /* Reset: the request, a toast, and the list again without the 596. */
  g_assert_cmpuint (easel_emulator_get_request_count (emulator, RESET_KEY), ==, 0);
  g_signal_emit_by_name (easel_test_find_button (group, "_Reset"), "clicked");
  reset_wait = (ResetWait) { emulator, group };
  g_assert_true (easel_test_spin_until (was_reset, &reset_wait, 10000));
  wait = (TextWait) { group, EASEL_EMULATOR_DEFAULT_CHANNEL };
  g_assert_true (easel_test_spin_until (shows_text, &wait, 5000));
  g_clear_pointer (&text, g_free);
  text = easel_test_text_of (group);
  g_assert_null (strstr (text, "out of rotation"));
  scroll_to (group);
  screenshot (f, "accounts", "preferences-channels-reset");

  easel_preferences_window_set_engine (EASEL_PREFERENCES_WINDOW (f->window), f->accounts, f->store, f->images, NULL);
  g_unsetenv ("USEAPI_API_TOKEN");
  g_unsetenv ("EASEL_USEAPI_URL");
}

typedef struct
{
  gint64 at;
  gint64 micros;
} Spent;

static gpointer
insert_ledger (EaselDb   *db,
               gpointer   data,
               GError   **error)
{
  GArray *rows = data;

  for (guint i = 0; i < rows->len; i++)
    {
      Spent *spent = &g_array_index (rows, Spent, i);
      g_autofree char *sql =
        g_strdup_printf ("INSERT INTO jobs (id, uuid, provider, model, spec, state, created_at, updated_at) VALUES "
                         "(%u, 'job-%u', 'replicate', 'black-forest-labs/flux-dev', '{}', 'succeeded', "
                         "%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ");"
                         "INSERT INTO ledger (job_id, provider, kind, micros, at) VALUES "
                         "(%u, 'replicate', 'estimate', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "), "
                         "(%u, 'replicate', 'actual', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ");",
                         i + 1, i + 1, spent->at, spent->at,
                         i + 1, spent->micros, spent->at, i + 1, spent->micros, spent->at);

      if (!easel_db_exec (db, sql, error))
        return NULL;
    }
  return GINT_TO_POINTER (TRUE);
}

static gboolean
has_description (gpointer user_data)
{
  return easel_spending_chart_get_description (user_data) != NULL;
}

static gboolean
description_has (gpointer user_data)
{
  TextWait *wait = user_data;
  const char *description = easel_spending_chart_get_description (EASEL_SPENDING_CHART (wait->widget));

  return description != NULL && strstr (description, wait->text) != NULL;
}

static void
test_spending_chart (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) noon = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                     g_date_time_get_day_of_month (now), 12, 0, 0);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Spent));
  g_autoptr(GError) error = NULL;
  EaselSpendingChart *chart = EASEL_SPENDING_CHART (child (f, "chart"));
  const char *description;
  TextWait wait;
  struct { int days_ago; gint64 micros; } spent[] = {
    { 0, 1240000 }, { 3, 4000000 }, { 3, 500000 }, { 10, 500000 }, { 29, 2000000 },
    { 30, 9000000 },   /* before the 30 days: not shown */
  };

  /* Nothing yet: the chart says so in words. */
  g_assert_true (easel_test_spin_until (has_description, chart, 10000));
  g_assert_cmpuint (easel_spending_chart_get_n_days (chart), ==, 30);
  g_assert_cmpstr (easel_spending_chart_get_description (chart), ==, "Nothing spent in the last 30 days");
  screenshot (f, "spending", "preferences-spending-empty");

  for (guint i = 0; i < G_N_ELEMENTS (spent); i++)
    {
      g_autoptr(GDateTime) at = g_date_time_add_days (noon, -spent[i].days_ago);
      Spent row = { g_date_time_to_unix (at) * G_USEC_PER_SEC, spent[i].micros };

      /* Today at noon may be still to come: a minute ago then. */
      if (spent[i].days_ago == 0)
        row.at = MIN (row.at, g_get_real_time () - 60 * G_USEC_PER_SEC);
      g_array_append_val (rows, row);
    }
  g_assert_nonnull (easel_store_run_sync (f->store, insert_ledger, rows, &error));
  g_assert_no_error (error);

  /* A budget change reads the ledger again. */
  g_settings_set_int64 (f->settings, "budget-daily", 3000000);
  wait = (TextWait) { GTK_WIDGET (chart), "Daily budget $3.00" };
  g_assert_true (easel_test_spin_until (description_has, &wait, 10000));
  description = easel_spending_chart_get_description (chart);
  g_test_message ("Chart: %s", description);
  g_assert_nonnull (strstr (description, "Last 30 days: $8.24 spent on 4 of them."));
  g_assert_nonnull (strstr (description, "Most on "));
  g_assert_nonnull (strstr (description, ": $4.50."));
  g_assert_nonnull (strstr (description, "Today: $1.24."));
  g_assert_nonnull (strstr (description, "Daily budget $3.00, gone over on 1 day."));
  screenshot (f, "spending", "preferences-spending");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (f, "spending", "preferences-spending-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *address = NULL;

  /* Before anything touches D-Bus: a bus that is not there. */
  address = g_strdup_printf ("unix:path=%s/no-such-bus", g_get_tmp_dir ());
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  g_unsetenv ("REPLICATE_API_TOKEN");
  g_unsetenv ("USEAPI_API_TOKEN");
  g_unsetenv ("OPENROUTER_API_KEY");

  if (!easel_test_init_ui (&argc, &argv))
    return 0;

  g_test_add ("/Easel/PreferencesMemory/keyring-warning", Fixture, NULL,
              fixture_set_up, test_keyring_warning, fixture_tear_down);
  g_test_add ("/Easel/PreferencesMemory/channels", Fixture, NULL,
              fixture_set_up, test_channels, fixture_tear_down);
  g_test_add ("/Easel/PreferencesMemory/spending-chart", Fixture, NULL,
              fixture_set_up, test_spending_chart, fixture_tear_down);

  return g_test_run ();
}
