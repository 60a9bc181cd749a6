/* test-application.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Runs the real application with g_application_run(), drives it through its
 * actions as a user would, and quits it with app.quit. */

#include "config.h"

#include <adwaita.h>

#include "easel-application.h"
#include "easel-preferences-window.h"
#include "easel-test-util.h"
#include "easel-window.h"

typedef struct
{
  EaselApplication *app;
  GtkWindow        *main_window;
  gboolean          checked;
} Fixture;

static GtkWindow *
find_window (EaselApplication *app,
             GType             type)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
        return l->data;
    }
  return NULL;
}

static void
check_accels (EaselApplication *app,
              const char       *action,
              const char       *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  g_assert_nonnull (accels);
  g_assert_true (g_strv_contains ((const char * const *) accels, accel));
}

static gboolean
no_windows (gpointer user_data)
{
  return gtk_application_get_windows (GTK_APPLICATION (user_data)) == NULL;
}

static void
check_screenshot (Fixture        *f,
                  AdwColorScheme  scheme,
                  const char     *name)
{
  g_autofree char *path = NULL;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
  easel_test_wait_painted (GTK_WIDGET (f->main_window));
  path = easel_test_save_screenshot (GTK_WIDGET (f->main_window), name);
}

static void
check_about (Fixture *f)
{
  g_autofree char *path = NULL;
  GtkWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "about", NULL);
  about = find_window (f->app, ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (about) == f->main_window);

  /* Built from the bundled metainfo. */
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, APP_NAME);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  g_assert_cmpstr (adw_about_window_get_developer_name (ADW_ABOUT_WINDOW (about)), ==, "The Easel developers");
  g_assert_true (g_str_has_prefix (adw_about_window_get_website (ADW_ABOUT_WINDOW (about)), "https://"));
  g_assert_nonnull (adw_about_window_get_release_notes (ADW_ABOUT_WINDOW (about)));
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);

  easel_test_wait_painted (GTK_WIDGET (about));
  path = easel_test_save_screenshot (GTK_WIDGET (about), "about");
  gtk_window_close (about);
}

static void
check_preferences (Fixture *f)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  GSettings *settings = easel_application_get_settings (f->app);
  g_autofree char *path = NULL;
  GtkWindow *preferences;
  AdwComboRow *style_row;

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  preferences = find_window (f->app, EASEL_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  easel_test_wait_painted (GTK_WIDGET (preferences));
  path = easel_test_save_screenshot (GTK_WIDGET (preferences), "preferences");

  /* The style row is bound to the setting, and the setting to the style. */
  style_row = ADW_COMBO_ROW (gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                            EASEL_TYPE_PREFERENCES_WINDOW,
                                                            "style_row"));
  g_assert_cmpuint (adw_combo_row_get_selected (style_row), ==, 0);
  adw_combo_row_set_selected (style_row, 2);
  g_assert_cmpint (g_settings_get_enum (settings, "color-scheme"), ==, 2);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style_manager), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style_manager));

  g_settings_set_string (settings, "color-scheme", "force-light");
  g_assert_cmpuint (adw_combo_row_get_selected (style_row), ==, 1);
  g_assert_false (adw_style_manager_get_dark (style_manager));

  g_settings_reset (settings, "color-scheme");
  gtk_window_close (preferences);
}

static void
check_shortcuts (Fixture *f)
{
  GtkWindow *shortcuts;

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "shortcuts", NULL);
  shortcuts = find_window (f->app, GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  easel_test_wait_painted (GTK_WIDGET (shortcuts));
  gtk_window_close (shortcuts);
}

static gboolean
run_checks_cb (gpointer user_data)
{
  Fixture *f = user_data;
  const char *actions[] = { "about", "preferences", "shortcuts", "quit" };

  f->main_window = find_window (f->app, EASEL_TYPE_WINDOW);
  g_assert_nonnull (f->main_window);
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (f->app)) == f->main_window);
  g_object_add_weak_pointer (G_OBJECT (f->main_window), (gpointer *) &f->main_window);

  /* The screenshots of the README and the metainfo: the real application
   * with its style sheets, light and dark. */
  check_screenshot (f, ADW_COLOR_SCHEME_FORCE_LIGHT, "main-window");
  check_screenshot (f, ADW_COLOR_SCHEME_FORCE_DARK, "main-window-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->app), actions[i]));

  check_accels (f->app, "app.quit", "<Control>q");
  check_accels (f->app, "app.preferences", "<Control>comma");
  check_accels (f->app, "app.shortcuts", "<Control>question");
  check_accels (f->app, "win.toggle-editor", "F9");

  check_about (f);
  check_preferences (f);
  check_shortcuts (f);

  /* A second activation (say, from the desktop file) reuses the window. */
  g_application_activate (G_APPLICATION (f->app));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (f->app))), >=, 1);
  g_assert_true (find_window (f->app, EASEL_TYPE_WINDOW) == f->main_window);

  f->checked = TRUE;
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
  g_assert_true (easel_test_spin_until (no_windows, f->app, 5000));

  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *app,
             Fixture      *f)
{
  if (!f->checked)
    g_timeout_add (50, run_checks_cb, f);
}

static void
test_application_actions (void)
{
  Fixture f = { 0 };
  int status;

  f.app = easel_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (f.app, "activate", G_CALLBACK (activate_cb), &f);

  status = g_application_run (G_APPLICATION (f.app), 0, NULL);

  g_assert_cmpint (status, ==, 0);
  g_assert_true (f.checked);
  g_assert_null (f.main_window);   /* finalized by quitting */
  g_assert_finalize_object (f.app);
}

int
main (int   argc,
      char *argv[])
{
  if (!easel_test_init_ui (&argc, &argv))
    return 0;

  g_test_add_func ("/Easel/Application/actions", test_application_actions);

  return g_test_run ();
}
