/* bench-gallery.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The gallery at 100,000 images, in the main window, as the application
 * starts it (store opened off the main loop, then the library, the
 * thumbnailer and the gallery model). Needs a display (Xvfb is fine):
 *
 *   dbus-run-session xvfb-run -a -s "-screen 0 1280x800x24" \
 *     meson test -C build --benchmark gallery
 *
 * 1. A library of N images (default 100,000): rows from easel-test-library.h
 *    in one transaction, and a real 256-pixel PNG for each (a few hundred
 *    drawn, hard links for the rest).
 * 2. Cold start, in a fresh process (this program run again): from the
 *    moment the parent spawns it to the first frame painted with the first
 *    page of the gallery (every visible cell showing its image's data), and
 *    to the first frame with every visible thumbnail. Run twice: with an
 *    empty thumbnail cache (thumbnails made from the originals) and with it
 *    filled (what every later start sees).
 * 3. Scrolling, driven by the frame clock: a smooth scroll (40 px a frame,
 *    a fast flick) over the first 30,000 pixels, once to fill the thumbnail
 *    cache and once measured; then top to bottom one screen a frame (every
 *    frame shows only cells it never showed). For each frame, the time the
 *    main thread spends in it (from the frame clock's "before-paint" to the
 *    end of "after-paint"): p50, p95, p99, max, frames over 16 ms, and the
 *    mean split into update and layout, rendering, and the rest.
 * 4. Memory: RSS after the first page, and the peak after scrolling.
 *
 * Prints figures, not verdicts. Usage: bench-gallery [N] */

#include "config.h"

#include <stdlib.h>

#include <adwaita.h>

#include "easel-gallery-item.h"
#include "easel-gallery-model.h"
#include "easel-gallery-view.h"
#include "easel-test-dirs.h"
#include "easel-test-gallery.h"
#include "easel-window.h"

#define FILE_PIXELS 256
#define DISTINCT_FILES 400
#define SMOOTH_STEP 40
#define SMOOTH_DISTANCE 30000

/* The parent: the library */

static void
build_library (const char *dir,
               guint       n_images)
{
  g_autofree char *db_path = g_build_filename (dir, "easel.db", NULL);
  g_autofree char *root = g_build_filename (dir, "images", NULL);
  g_autoptr(EaselStore) store = easel_store_new (db_path);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  start = g_get_monotonic_time ();
  if (!easel_store_open_sync (store, &error))
    g_error ("Cannot open the store: %s", error->message);
  rows = easel_test_images_generate (n_images, 42, g_get_real_time () - 365 * G_TIME_SPAN_DAY,
                                     365 * G_TIME_SPAN_DAY);
  if (easel_store_run_sync (store, easel_test_images_insert_func, rows, &error) == NULL)
    g_error ("Cannot insert the rows: %s", error->message);
  g_print ("library: %u rows in %.1f s\n", n_images, (g_get_monotonic_time () - start) / 1e6);

  start = g_get_monotonic_time ();
  easel_test_write_files (rows, root, FILE_PIXELS, DISTINCT_FILES);
  g_print ("library: %u files (%u drawn, the rest hard links) in %.1f s\n",
           n_images, MIN (n_images, DISTINCT_FILES), (g_get_monotonic_time () - start) / 1e6);
  easel_store_close (store);
}

static void
run_child (const char *self_path,
           const char *dir,
           const char *label)
{
  g_autofree char *spawned = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_monotonic_time ());
  const char *argv[] = { self_path, "--child", dir, spawned, label, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                     NULL, NULL, &status, &error))
    g_error ("Cannot run the measurement: %s", error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("The measurement failed: %s", error->message);
}

/* The child: the application's start, then scrolling */

typedef struct
{
  gint64            spawned;
  const char       *label;
  gboolean          scroll;
  GMainLoop        *loop;
  EaselStore       *store;
  EaselImageStore  *images;
  EaselLibrary     *library;
  EaselThumbnailer *thumbnailer;
  EaselWindow      *window;
  GtkWidget        *grid;

  gint64            first_frame;
  gint64            page_painted;
  gint64            thumbnails_painted;

  /* frame timing */
  gint64            frame_start;
  gint64            layout_start;
  gint64            paint_start;
  gint64            phase_sums[3];   /* update, layout, paint (µs) */
  GArray           *frames;          /* gint64 µs of main-thread work */
  gboolean          recording;
  double            target;
  double            step;
  guint             phase;
} Child;

static gint64
rss_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  return line ? g_ascii_strtoll (line + strlen (field), NULL, 10) : -1;
}

/* Which visible cells show their data, and their thumbnails. */
static void
count_cells (Child *child,
             guint *visible,
             guint *with_data,
             guint *with_thumbnail)
{
  int height = gtk_widget_get_height (child->grid);

  *visible = *with_data = *with_thumbnail = 0;
  for (GtkWidget *cell = gtk_widget_get_first_child (child->grid); cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    {
      GtkWidget *item = gtk_widget_get_first_child (cell);
      graphene_rect_t bounds;
      EaselImage *image;

      if (!EASEL_IS_GALLERY_ITEM (item) || !gtk_widget_get_child_visible (cell) ||
          !gtk_widget_compute_bounds (cell, child->grid, &bounds) ||
          bounds.origin.y + bounds.size.height <= 0 || bounds.origin.y >= height)
        continue;

      (*visible)++;
      image = easel_gallery_item_get_image (EASEL_GALLERY_ITEM (item));
      if (image != NULL && easel_gallery_model_get_image_hash (image) != NULL)
        (*with_data)++;
      if (easel_gallery_item_get_paintable (EASEL_GALLERY_ITEM (item)) != NULL)
        (*with_thumbnail)++;
    }
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
report_frames (Child      *child,
               const char *what)
{
  GArray *frames = child->frames;
  guint over = 0;

  if (frames->len == 0)
    return;

  g_array_sort (frames, compare_gint64);
  for (guint i = 0; i < frames->len; i++)
    if (g_array_index (frames, gint64, i) > 16000)
      over++;

#define PCT(p) (g_array_index (frames, gint64, MIN (frames->len - 1, (guint) (frames->len * (p)))) / 1000.0)
  g_print ("%s: %s: %u frames, main thread per frame p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, "
           "max %.1f ms; %u over 16 ms (mean: update and layout %.1f, rendering %.1f, the rest %.1f ms)\n",
           child->label, what, frames->len, PCT (0.5), PCT (0.95), PCT (0.99),
           g_array_index (frames, gint64, frames->len - 1) / 1000.0, over,
           child->phase_sums[0] / 1000.0 / frames->len, child->phase_sums[1] / 1000.0 / frames->len,
           child->phase_sums[2] / 1000.0 / frames->len);
#undef PCT
  g_array_set_size (frames, 0);
  memset (child->phase_sums, 0, sizeof child->phase_sums);
}

/* The frame's phases, as seen from handlers connected after GTK's own:
 * "before-paint" starts the frame, GTK has laid out by the end of
 * "layout" and rendered by the end of "paint". */
static void
before_paint_cb (GdkFrameClock *clock,
                 Child         *child)
{
  child->frame_start = g_get_monotonic_time ();
  child->layout_start = child->paint_start = 0;
}

static void
layout_cb (GdkFrameClock *clock,
           Child         *child)
{
  child->layout_start = g_get_monotonic_time ();
}

static void
paint_cb (GdkFrameClock *clock,
          Child         *child)
{
  child->paint_start = g_get_monotonic_time ();
}

static gboolean scroll_tick_cb (GtkWidget     *widget,
                                GdkFrameClock *clock,
                                gpointer       user_data);

static void
start_phase (Child *child)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (child->grid));

  gtk_adjustment_set_value (adjustment, 0);
  child->target = 0;
  switch (child->phase)
    {
    case 0:   /* fill the thumbnail cache along the smooth path */
    case 1:   /* smooth, measured */
      child->step = SMOOTH_STEP;
      break;
    case 2:   /* top to bottom, a screen a frame */
      child->step = gtk_adjustment_get_page_size (adjustment);
      break;
    default:
      g_print ("%s: peak RSS %.0f MiB after scrolling\n", child->label, rss_kib ("VmHWM:") / 1024.0);
      g_main_loop_quit (child->loop);
      return;
    }
  child->recording = child->phase > 0;
  gtk_widget_add_tick_callback (child->grid, scroll_tick_cb, child, NULL);
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Child *child = user_data;
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (widget));
  double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  if (child->phase < 2)
    end = MIN (end, SMOOTH_DISTANCE);

  child->target = MIN (child->target + child->step, end);
  gtk_adjustment_set_value (adjustment, child->target);
  if (child->target < end)
    return G_SOURCE_CONTINUE;

  if (child->phase == 1)
    report_frames (child, "smooth scroll, 40 px a frame, thumbnails cached");
  else if (child->phase == 2)
    report_frames (child, "top to bottom, a screen a frame");
  else
    g_array_set_size (child->frames, 0);
  child->phase++;
  start_phase (child);
  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Child         *child)
{
  gint64 now = g_get_monotonic_time ();
  guint visible, with_data, with_thumbnail;

  if (child->recording && child->frame_start > 0)
    {
      gint64 spent = now - child->frame_start;

      g_array_append_val (child->frames, spent);
      if (child->layout_start && child->paint_start)
        {
          child->phase_sums[0] += child->layout_start - child->frame_start;
          child->phase_sums[1] += child->paint_start - child->layout_start;
          child->phase_sums[2] += now - child->paint_start;
        }
    }
  child->frame_start = 0;

  if (child->first_frame == 0)
    child->first_frame = now;

  if (child->thumbnails_painted != 0 || child->grid == NULL || !gtk_widget_get_mapped (child->grid))
    return;

  count_cells (child, &visible, &with_data, &with_thumbnail);
  if (visible == 0)
    return;

  if (child->page_painted == 0 && with_data == visible)
    {
      child->page_painted = now;
      g_print ("%s: first painted gallery page (%u cells with their data) %.0f ms after the "
               "process was spawned; RSS %.0f MiB\n",
               child->label, visible, (now - child->spawned) / 1000.0, rss_kib ("VmRSS:") / 1024.0);
    }
  if (with_thumbnail == visible)
    {
      child->thumbnails_painted = now;
      g_print ("%s: every visible thumbnail painted %.0f ms after the process was spawned "
               "(first window frame at %.0f ms)\n",
               child->label, (now - child->spawned) / 1000.0, (child->first_frame - child->spawned) / 1000.0);
      if (child->scroll)
        start_phase (child);
      else
        g_main_loop_quit (child->loop);
    }
}

static void
store_opened_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Child *child = user_data;
  g_autoptr(GError) error = NULL;

  if (!easel_store_open_finish (EASEL_STORE (object), result, &error))
    g_error ("Cannot open the store: %s", error->message);

  child->library = easel_library_new (child->store, child->images);
  easel_window_set_library (child->window, child->library, child->thumbnailer);
}

static int
child_main (const char *dir,
            const char *spawned,
            const char *label)
{
  g_autofree char *db_path = g_build_filename (dir, "easel.db", NULL);
  g_autofree char *root = g_build_filename (dir, "images", NULL);
  g_autofree char *cache = g_build_filename (dir, "thumbnails", NULL);
  GtkWidget *gallery;
  GdkFrameClock *clock;
  Child child = { 0 };

  child.spawned = g_ascii_strtoll (spawned, NULL, 10);
  child.label = label;
  child.scroll = g_str_equal (label, "warm");
  child.frames = g_array_new (FALSE, FALSE, sizeof (gint64));
  child.loop = g_main_loop_new (NULL, FALSE);

  gtk_init ();
  adw_init ();
  {
    /* What AdwApplication would load from the resources. */
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (provider, RESOURCE_PATH "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  /* As the application does: the store opens on its own thread while the
   * window is built. */
  child.store = easel_store_new (db_path);
  child.images = easel_image_store_new (root);
  child.thumbnailer = easel_thumbnailer_new (child.images, cache);
  easel_store_open_async (child.store, NULL, store_opened_cb, &child);

  child.window = easel_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (child.window), 1280, 800);
  /* Looking at images: the gallery alone. */
  g_action_group_activate_action (G_ACTION_GROUP (child.window), "toggle-editor", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (child.window), "toggle-jobs", NULL);
  gallery = easel_window_get_gallery_view (child.window);
  child.grid = GTK_WIDGET (gtk_widget_get_template_child (gallery, EASEL_TYPE_GALLERY_VIEW, "grid_view"));
  gtk_window_present (GTK_WINDOW (child.window));

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (child.window));
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &child);
  g_signal_connect (clock, "layout", G_CALLBACK (layout_cb), &child);
  g_signal_connect (clock, "paint", G_CALLBACK (paint_cb), &child);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (after_paint_cb), &child);

  g_main_loop_run (child.loop);

  gtk_window_destroy (GTK_WINDOW (child.window));
  g_array_unref (child.frames);
  g_main_loop_unref (child.loop);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  guint n_images = 100000;

  if (argc == 5 && g_str_equal (argv[1], "--child"))
    return child_main (argv[2], argv[3], argv[4]);

  if (argc > 1)
    n_images = strtoul (argv[1], NULL, 10);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("bench-gallery needs a display: run it under xvfb-run\n");
      return 0;
    }

  dir = g_dir_make_tmp ("easel-bench-gallery-XXXXXX", NULL);
  g_assert_nonnull (dir);
  g_print ("gallery benchmark: %u images in %s\n", n_images, dir);
  build_library (dir, n_images);

  if (g_getenv ("EASEL_BENCH_WARM_ONLY") == NULL)
    run_child (argv[0], dir, "cold");
  run_child (argv[0], dir, "warm");

  easel_test_remove_tree (dir);
  return 0;
}
