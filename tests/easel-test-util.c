/* easel-test-util.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Helpers shared by the UI tests: start GTK under the test display (or skip
 * when there is none), spin the main loop until a condition holds with a
 * deadline instead of sleeping, wait until a widget has really been painted,
 * and save a PNG of it for a human to look at. */

#include "config.h"

#include "easel-test-util.h"

#include <locale.h>

#include <adwaita.h>

/**
 * easel_test_init_ui:
 * @argc: the test's argument count
 * @argv: the test's arguments
 *
 * Initialises GTest, GTK and libadwaita for a UI test, or prints a TAP plan
 * that skips everything when there is no display.
 *
 * Returns: %TRUE to go on, %FALSE when the caller should return 0 at once
 */
gboolean
easel_test_init_ui (int    *argc,
                    char ***argv)
{
  g_autofree char *system_data_dirs = NULL;
  g_auto(GStrv) data_dirs = NULL;
  g_autoptr(GPtrArray) mime_dirs = NULL;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      /* gtk_test_init() would abort; do not probe with gtk_init_check()
       * either, it breaks a later gtk_test_init(). */
      g_print ("1..0 # SKIP no display\n");
      return FALSE;
    }

  /* What gtk_test_init() does, but with isolated XDG directories. The
   * isolation points the XDG variables at /dev/null from g_test_init() on,
   * and the *system* data directories at a temporary directory once
   * g_test_run() starts, which would hide the icon theme and the MIME
   * database (gdk-pixbuf then cannot tell an SVG): read the real system
   * directories first and pin the MIME database to them. */
  system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  if (system_data_dirs == NULL || system_data_dirs[0] == '\0')
    {
      g_free (system_data_dirs);
      system_data_dirs = g_strdup ("/usr/local/share:/usr/share");
    }

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  data_dirs = g_strsplit (system_data_dirs, ":", -1);
  mime_dirs = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; data_dirs[i] != NULL; i++)
    g_ptr_array_add (mime_dirs, g_build_filename (data_dirs[i], "mime", NULL));
  g_ptr_array_add (mime_dirs, NULL);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);
  g_setenv ("XDG_DATA_DIRS", system_data_dirs, TRUE);

  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");
  gtk_init ();
  adw_init ();
  gtk_icon_theme_get_for_display (gdk_display_get_default ());

  return TRUE;
}

typedef struct
{
  gboolean timed_out;
} Deadline;

static gboolean
deadline_cb (gpointer user_data)
{
  Deadline *deadline = user_data;

  deadline->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * easel_test_spin_until:
 * @condition: returns %TRUE once what the test waits for has happened
 * @user_data: data for @condition
 * @timeout_ms: the deadline
 *
 * Iterates the default main context until @condition holds or the deadline
 * passes.
 *
 * Returns: %TRUE if @condition held, %FALSE on timeout
 */
gboolean
easel_test_spin_until (GSourceFunc condition,
                       gpointer    user_data,
                       guint       timeout_ms)
{
  Deadline deadline = { FALSE };
  guint id;

  id = g_timeout_add (timeout_ms, deadline_cb, &deadline);

  while (!condition (user_data))
    {
      if (deadline.timed_out)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (id);
  return TRUE;
}

typedef struct
{
  GtkWidget *widget;
  guint      paints;
} PaintCount;

static void
after_paint_cb (GdkFrameClock *clock,
                PaintCount    *count)
{
  /* An idle window paints once per request: ask for the second frame. */
  if (++count->paints < 2)
    gtk_widget_queue_draw (count->widget);
}

static gboolean
painted_twice (gpointer user_data)
{
  PaintCount *count = user_data;

  return count->paints >= 2;
}

/**
 * easel_test_wait_painted:
 * @widget: a widget in a window that is being presented
 *
 * Waits until @widget is mapped and its frame clock has painted twice since
 * the call, so a snapshot of it holds the current state (a snapshot taken
 * while a redraw is pending is empty). Fails the test after 10 seconds.
 */
void
easel_test_wait_painted (GtkWidget *widget)
{
  PaintCount count = { widget, 0 };
  GdkFrameClock *clock;
  gulong handler;

  g_assert_true (GTK_IS_WIDGET (widget));

  if (!easel_test_spin_until ((GSourceFunc) gtk_widget_get_mapped, widget, 10000))
    g_error ("%s was not mapped within 10 s", G_OBJECT_TYPE_NAME (widget));

  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);

  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &count);
  gtk_widget_queue_draw (widget);
  if (!easel_test_spin_until (painted_twice, &count, 10000))
    g_error ("%s was not painted within 10 s", G_OBJECT_TYPE_NAME (widget));
  g_signal_handler_disconnect (clock, handler);
}

/**
 * easel_test_save_screenshot:
 * @widget: a painted widget (see easel_test_wait_painted())
 * @name: a file name without extension, such as "main-window"
 *
 * Renders @widget with its window's renderer and saves it as a PNG in
 * `$EASEL_TEST_SCREENSHOT_DIR`, or in the test's temporary directory when
 * that is unset.
 *
 * Returns: (transfer full): the path of the PNG
 */
char *
easel_test_save_screenshot (GtkWidget  *widget,
                            const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  const char *dir;
  GskRenderer *renderer;
  int width, height;

  g_assert_true (GTK_IS_WIDGET (widget));
  g_assert_nonnull (name);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  /* A widget with a redraw pending snapshots to nothing: wait for another
   * frame and try again (an animation may still be running). */
  paintable = gtk_widget_paintable_new (widget);
  for (guint attempt = 0; node == NULL && attempt < 50; attempt++)
    {
      if (attempt > 0)
        easel_test_wait_painted (widget);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_assert_nonnull (renderer);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);

  dir = g_getenv ("EASEL_TEST_SCREENSHOT_DIR");
  if (dir == NULL || dir[0] == '\0')
    dir = g_get_tmp_dir ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  file_name = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);

  return g_steal_pointer (&path);
}

/**
 * easel_test_reset_settings:
 *
 * Puts every key of the application's settings back to its default (the
 * memory backend keeps them between the tests of one program).
 */
void
easel_test_reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_auto(GStrv) keys = g_settings_schema_list_keys (
    g_settings_schema_source_lookup (g_settings_schema_source_get_default (), BASE_APP_ID, TRUE));

  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

/**
 * easel_test_load_style:
 * @dark: whether to show the dark style
 *
 * Loads the style sheets the application loads (AdwApplication does it
 * from the resource base path; these tests have no application) and forces
 * the light or the dark colour scheme.
 */
void
easel_test_load_style (gboolean dark)
{
  static GtkCssProvider *light_provider, *dark_provider;
  GdkDisplay *display = gdk_display_get_default ();

  if (light_provider == NULL)
    {
      light_provider = gtk_css_provider_new ();
      gtk_css_provider_load_from_resource (light_provider, RESOURCE_PATH "/style.css");
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (light_provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      dark_provider = gtk_css_provider_new ();
      gtk_css_provider_load_from_resource (dark_provider, RESOURCE_PATH "/style-dark.css");
    }

  if (dark)
    gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (dark_provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  else
    gtk_style_context_remove_provider_for_display (display, GTK_STYLE_PROVIDER (dark_provider));

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
}

static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, text);
}

/**
 * easel_test_text_of:
 * @widget: a widget
 *
 * Returns: (transfer full): the text of every visible label under @widget,
 *   one a line
 */
char *
easel_test_text_of (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);

  collect_text (widget, text);
  return g_string_free (text, FALSE);
}

/**
 * easel_test_find_button:
 * @widget: a widget
 * @label: a button's label, mnemonic included ("_Reset")
 *
 * Returns: (transfer none) (nullable): the first button under @widget
 *   (or @widget itself) with @label
 */
GtkWidget *
easel_test_find_button (GtkWidget  *widget,
                        const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = easel_test_find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}
