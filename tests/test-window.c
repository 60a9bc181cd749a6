/* test-window.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "easel-editor-pane.h"
#include "easel-gallery-view.h"
#include "easel-job-sidebar.h"
#include "easel-test-util.h"
#include "easel-window.h"

static EaselWindow *
new_window (int width,
            int height)
{
  EaselWindow *window = easel_window_new (NULL);

  /* Hold a reference of our own so the test can assert finalization. */
  g_object_ref (window);
  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  easel_test_wait_painted (GTK_WIDGET (window));
  return window;
}

static void
close_window (EaselWindow *window)
{
  gtk_window_close (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static AdwFlap *
get_flap (EaselWindow *window,
          const char  *name)
{
  return ADW_FLAP (gtk_widget_get_template_child (GTK_WIDGET (window), EASEL_TYPE_WINDOW, name));
}

static void
test_window_regions (void)
{
  EaselWindow *window;
  g_autofree char *path = NULL;
  GtkWidget *editor, *gallery, *jobs;

  easel_test_reset_settings ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  window = new_window (-1, -1);

  editor = easel_window_get_editor_pane (window);
  gallery = easel_window_get_gallery_view (window);
  jobs = easel_window_get_job_sidebar (window);
  g_assert_true (EASEL_IS_EDITOR_PANE (editor));
  g_assert_true (EASEL_IS_GALLERY_VIEW (gallery));
  g_assert_true (EASEL_IS_JOB_SIDEBAR (jobs));

  /* At the default size all three regions are on screen side by side. */
  for (GtkWidget *w = editor; w != NULL; w = (w == editor ? gallery : w == gallery ? jobs : NULL))
    {
      g_assert_true (gtk_widget_is_ancestor (w, GTK_WIDGET (window)));
      g_assert_true (gtk_widget_get_mapped (w));
      g_assert_cmpint (gtk_widget_get_width (w), >, 200);
    }
  g_assert_false (adw_flap_get_folded (get_flap (window, "editor_flap")));
  g_assert_false (adw_flap_get_folded (get_flap (window, "jobs_flap")));

  path = easel_test_save_screenshot (GTK_WIDGET (window), "window-regions");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  close_window (window);
}

static void
test_window_dark (void)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  g_autofree char *path = NULL;
  EaselWindow *window;

  easel_test_reset_settings ();
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  window = new_window (-1, -1);
  g_assert_true (adw_style_manager_get_dark (style_manager));

  path = easel_test_save_screenshot (GTK_WIDGET (window), "window-regions-dark");
  close_window (window);
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
}

static void
test_window_narrow (void)
{
  g_autofree char *path = NULL;
  EaselWindow *window;
  AdwFlap *jobs_flap, *editor_flap;

  easel_test_reset_settings ();

  /* Too narrow for the job sidebar beside the gallery and the editor. */
  window = new_window (760, 600);
  jobs_flap = get_flap (window, "jobs_flap");
  editor_flap = get_flap (window, "editor_flap");
  g_assert_true (adw_flap_get_folded (jobs_flap));
  g_assert_false (adw_flap_get_reveal_flap (jobs_flap));
  g_assert_false (adw_flap_get_folded (editor_flap));
  path = easel_test_save_screenshot (GTK_WIDGET (window), "main-window-narrow");
  close_window (window);

  /* Folding is not the user's choice: the setting still says "show". */
  {
    g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
    g_assert_true (g_settings_get_boolean (settings, "show-jobs"));
  }

  /* Phone-sized: both panes fold away, the gallery stays. */
  window = new_window (360, 600);
  g_assert_true (adw_flap_get_folded (get_flap (window, "jobs_flap")));
  g_assert_true (adw_flap_get_folded (get_flap (window, "editor_flap")));
  g_assert_false (adw_flap_get_reveal_flap (get_flap (window, "editor_flap")));
  g_assert_true (gtk_widget_get_mapped (easel_window_get_gallery_view (window)));
  close_window (window);
}

static void
test_window_state_saved (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  EaselWindow *window;
  int width, height;

  easel_test_reset_settings ();

  window = new_window (1000, 700);
  close_window (window);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* A new window opens at the saved size. */
  window = new_window (-1, -1);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 700);

  /* Hiding the job sidebar on a wide window is remembered. */
  g_assert_true (adw_flap_get_reveal_flap (get_flap (window, "jobs_flap")));
  g_action_group_activate_action (G_ACTION_GROUP (window), "toggle-jobs", NULL);
  g_assert_false (adw_flap_get_reveal_flap (get_flap (window, "jobs_flap")));
  g_assert_false (g_settings_get_boolean (settings, "show-jobs"));
  close_window (window);

  window = new_window (-1, -1);
  g_assert_false (adw_flap_get_reveal_flap (get_flap (window, "jobs_flap")));
  g_assert_true (adw_flap_get_reveal_flap (get_flap (window, "editor_flap")));
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  if (!easel_test_init_ui (&argc, &argv))
    return 0;

  g_test_add_func ("/Easel/Window/regions", test_window_regions);
  g_test_add_func ("/Easel/Window/dark", test_window_dark);
  g_test_add_func ("/Easel/Window/narrow", test_window_narrow);
  g_test_add_func ("/Easel/Window/state-saved", test_window_state_saved);

  return g_test_run ();
}
