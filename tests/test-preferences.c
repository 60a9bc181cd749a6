/* test-preferences.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The preferences window's five pages over a real engine: an account added
 * through the Accounts page lands in the keyring (run-with-keyring with
 * the display kept: the keyring is unlocked, so nothing prompts), token
 * warnings show as they are typed, the Spending page reads the ledger, the
 * Library page verifies the library, the Network page refuses plain http
 * to another host and takes it to loopback, and Behaviour rows are bound
 * to their settings. Each page is saved as a screenshot. */

#include "config.h"

#include <string.h>

#include "easel-account-form.h"
#include "easel-accounts.h"
#include "easel-preferences-window.h"
#include "easel-test-dirs.h"
#include "easel-test-util.h"

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

static gboolean
has_accounts (gpointer user_data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (user_data)) > 0;
}

static gboolean
is_sensitive (gpointer user_data)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (user_data));
}

static gboolean
has_subtitle (gpointer user_data)
{
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (user_data));

  return subtitle != NULL && strstr (subtitle, "of $5.00") != NULL;
}

static GtkWidget *
child (GtkWidget  *window,
       const char *name)
{
  GtkWidget *widget = GTK_WIDGET (gtk_widget_get_template_child (window, EASEL_TYPE_PREFERENCES_WINDOW, name));

  g_assert_nonnull (widget);
  return widget;
}

static GtkWidget *
form_child (GtkWidget  *window,
            const char *name)
{
  GtkWidget *form = child (window, "add_form");
  GtkWidget *widget = GTK_WIDGET (gtk_widget_get_template_child (form, EASEL_TYPE_ACCOUNT_FORM, name));

  g_assert_nonnull (widget);
  return widget;
}

static void
show_page (GtkWidget  *window,
           const char *page)
{
  g_autofree char *path = NULL;
  g_autofree char *name = g_strconcat ("preferences-", page, NULL);

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), page);
  easel_test_wait_painted (window);
  path = easel_test_save_screenshot (window, name);
  g_test_message ("Screenshot: %s", path);
}

static void
test_preferences_pages (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_autofree char *dir = easel_test_make_dir ("easel-preferences");
  g_autofree char *db = g_build_filename (dir, "easel.sqlite", NULL);
  g_autofree char *root = g_build_filename (dir, "images", NULL);
  g_autoptr(EaselStore) store = easel_store_new (db);
  g_autoptr(EaselImageStore) images = easel_image_store_new (root);
  g_autoptr(EaselThumbnailer) thumbnailer = NULL;
  g_autoptr(EaselSecrets) secrets = easel_secrets_new ();
  g_autoptr(EaselAccounts) accounts = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  EaselPreferencesWindow *window;
  GtkWidget *w;

  g_assert_true (easel_store_open_sync (store, &error));
  thumbnailer = easel_thumbnailer_new (images, NULL);
  accounts = easel_accounts_new (store, secrets);
  easel_accounts_bind_settings (accounts, settings);
  easel_accounts_load_async (accounts, NULL, result_cb, &result);
  g_assert_true (easel_test_spin_until (has_result, &result, 20000));
  g_assert_true (easel_accounts_load_finish (accounts, result, &error));

  window = easel_preferences_window_new (settings);
  easel_preferences_window_set_engine (window, accounts, store, images, thumbnailer);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 760);
  gtk_window_present (GTK_WINDOW (window));
  w = GTK_WIDGET (window);

  /* Accounts: nothing yet; a wrong-looking token warns as it is typed. */
  g_assert_true (gtk_widget_get_visible (child (w, "no_accounts_row")));
  g_assert_false (gtk_widget_get_visible (child (w, "keyring_group")));
  g_assert_false (gtk_widget_get_sensitive (child (w, "add_button")));
  gtk_editable_set_text (GTK_EDITABLE (form_child (w, "name_row")), "studio");
  gtk_editable_set_text (GTK_EDITABLE (form_child (w, "token_row")), "not a token");
  g_assert_true (gtk_widget_get_visible (form_child (w, "warning_label")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (form_child (w, "warning_label"))), "r8_"));
  gtk_editable_set_text (GTK_EDITABLE (form_child (w, "token_row")), "r8_preferences-token-0123");
  g_assert_false (gtk_widget_get_visible (form_child (w, "warning_label")));
  g_assert_true (gtk_widget_get_sensitive (child (w, "add_button")));
  g_signal_emit_by_name (child (w, "add_button"), "clicked");
  g_assert_true (easel_test_spin_until (has_accounts, accounts, 20000));
  g_assert_false (gtk_widget_get_visible (child (w, "no_accounts_row")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (w, "token_row"))), ==, "");
  g_assert_cmpint (easel_account_get_source (easel_accounts_find (accounts, "studio")), ==,
                   EASEL_ACCOUNT_SOURCE_KEYRING);
  token = easel_accounts_dup_token (accounts, "replicate", NULL, &error);
  g_assert_cmpstr (token, ==, "r8_preferences-token-0123");
  show_page (w, "accounts");

  /* Spending: the ledger, read on the store's thread. */
  g_settings_set_int64 (settings, "budget-daily", 5000000);
  g_assert_true (easel_test_spin_until (has_subtitle, child (w, "spent_today_row"), 10000));
  show_page (w, "spending");

  /* Library: verify an (empty) library, with progress, to the end. */
  g_signal_emit_by_name (child (w, "verify_button"), "clicked");
  g_assert_true (easel_test_spin_until (is_sensitive, child (w, "verify_button"), 20000));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (w, "verify_row"))), "intact"));
  show_page (w, "library");

  /* Network: plain http to another host is refused and not saved. */
  gtk_editable_set_text (GTK_EDITABLE (child (w, "replicate_url_row")), "http://example.com/v1");
  g_signal_emit_by_name (child (w, "replicate_url_row"), "apply");
  g_assert_cmpstr (g_settings_get_string (settings, "replicate-url"), ==, "");
  g_assert_true (gtk_widget_get_visible (child (w, "endpoint_label")));
  show_page (w, "network");
  gtk_editable_set_text (GTK_EDITABLE (child (w, "replicate_url_row")), "http://127.0.0.1:8080/v1");
  g_signal_emit_by_name (child (w, "replicate_url_row"), "apply");
  {
    g_autofree char *url = g_settings_get_string (settings, "replicate-url");
    g_autofree char *used = easel_accounts_dup_url (accounts, "replicate");

    g_assert_cmpstr (url, ==, "http://127.0.0.1:8080/v1");
    if (g_getenv ("EASEL_REPLICATE_URL") == NULL)
      g_assert_cmpstr (used, ==, url);
  }

  /* Behaviour: rows are the settings. */
  gtk_switch_set_active (GTK_SWITCH (child (w, "notify_switch")), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "notify-finished"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (w, "batch_confirm_spin")), 250);
  g_assert_cmpint (g_settings_get_uint (settings, "batch-confirm-size"), ==, 250);
  show_page (w, "behaviour");

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&result);
  easel_accounts_remove_async (accounts, "studio", NULL, result_cb, &result);
  g_assert_true (easel_test_spin_until (has_result, &result, 20000));
  g_assert_true (easel_accounts_remove_finish (accounts, result, &error));
  g_settings_reset (settings, "replicate-url");
  g_settings_reset (settings, "notify-finished");
  g_settings_reset (settings, "batch-confirm-size");
  g_settings_reset (settings, "budget-daily");
  easel_store_close (store);
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

  g_test_add_func ("/Easel/Preferences/pages", test_preferences_pages);

  return g_test_run ();
}
