/* test-gallery.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The gallery in the main window over a real library of 1,000 generated
 * images with real PNG files and a real thumbnailer: the grid and its
 * thumbnails, search (with a query that does not parse, and one that
 * matches nothing), filters, sort, thumbnail sizes, selection and bulk
 * actions with undo, the keys, the viewer with its metadata panel, new
 * images arriving from jobs, win.show-job, the empty state, and what a
 * drag offers. Screenshots of each state go to $EASEL_TEST_SCREENSHOT_DIR. */

#include "config.h"

#include <adwaita.h>

#include "easel-file-content.h"
#include "easel-gallery-item.h"
#include "easel-gallery-model.h"
#include "easel-gallery-view.h"
#include "easel-image-details.h"
#include "easel-image-viewer.h"
#include "easel-test-dirs.h"
#include "easel-test-gallery.h"
#include "easel-provider-registry.h"
#include "easel-test-util.h"
#include "easel-window.h"

#define N_IMAGES 1000
#define DISTINCT_FILES 160
#define FILE_PIXELS 320

typedef struct
{
  char             *dir;
  char             *root;
  EaselStore       *store;
  EaselImageStore  *images;
  EaselLibrary     *library;
  EaselThumbnailer *thumbnailer;
  GPtrArray        *rows;
  EaselWindow      *window;
  EaselGalleryView *gallery;
} Fixture;

static gpointer
exec_func (EaselDb   *db,
           gpointer   data,
           GError   **error)
{
  return easel_db_exec (db, data, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

static EaselGalleryModel *
model_of (Fixture *f)
{
  return EASEL_GALLERY_MODEL (easel_gallery_view_get_model (f->gallery));
}

static guint
n_results (Fixture *f)
{
  return g_list_model_get_n_items (easel_gallery_view_get_model (f->gallery));
}

static gboolean
settled (gpointer data)
{
  Fixture *f = data;

  return !easel_gallery_model_is_busy (model_of (f));
}

static void
wait_settled (Fixture *f)
{
  g_assert_true (easel_test_spin_until (settled, f, 20000));
}

/* Every cell on screen shows its thumbnail. */
static gboolean
thumbnails_shown (gpointer data)
{
  Fixture *f = data;
  GtkWidget *grid = template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "grid_view");
  guint shown = 0;

  if (!gtk_widget_get_mapped (grid))
    return FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (grid); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *item = gtk_widget_get_first_child (child);

      if (!EASEL_IS_GALLERY_ITEM (item) || !gtk_widget_get_child_visible (child) ||
          easel_gallery_item_get_image (EASEL_GALLERY_ITEM (item)) == NULL)
        continue;
      if (easel_gallery_item_get_paintable (EASEL_GALLERY_ITEM (item)) == NULL)
        return FALSE;
      shown++;
    }
  return shown > 0;
}

static void
wait_thumbnails (Fixture *f)
{
  wait_settled (f);
  g_assert_true (easel_test_spin_until (thumbnails_shown, f, 20000));
  easel_test_wait_painted (GTK_WIDGET (f->window));
}

static void
wait_ms (guint ms)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add_once (ms, (GSourceOnceFunc) g_main_loop_quit, loop);
  g_main_loop_run (loop);
}

/* Waits until an edit went through the library and the model. */
typedef gboolean (*Check) (Fixture *f, gconstpointer data);

typedef struct
{
  Fixture       *f;
  Check          check;
  gconstpointer  data;
} Until;

static gboolean
until_cb (gpointer user_data)
{
  Until *until = user_data;

  return settled (until->f) && until->check (until->f, until->data);
}

static void
wait_until (Fixture       *f,
            Check          check,
            gconstpointer  data)
{
  Until until = { f, check, data };

  g_assert_true (easel_test_spin_until (until_cb, &until, 20000));
}

static gboolean
transitions_done (gpointer data)
{
  Fixture *f = data;
  const char *stacks[] = { "view_stack", "content_stack" };

  for (guint i = 0; i < G_N_ELEMENTS (stacks); i++)
    if (gtk_stack_get_transition_running (template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, stacks[i])))
      return FALSE;
  return TRUE;
}

static void
screenshot (Fixture    *f,
            const char *name)
{
  g_autofree char *path = NULL;

  /* Not in the middle of a crossfade, nor of a toast's or a revealer's
   * animation. */
  g_assert_true (easel_test_spin_until (transitions_done, f, 5000));
  wait_ms (300);
  easel_test_wait_painted (GTK_WIDGET (f->window));
  path = easel_test_save_screenshot (GTK_WIDGET (f->window), name);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static const char *
visible_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW,
                                                           "content_stack"));
}

static void
open_library (Fixture *f,
              guint    n_images)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *cache = NULL;

  f->dir = easel_test_make_dir ("gallery");
  db_path = g_build_filename (f->dir, "easel.db", NULL);
  f->root = g_build_filename (f->dir, "images", NULL);
  cache = g_build_filename (f->dir, "thumbnails", NULL);
  f->store = easel_store_new (db_path);
  g_assert_true (easel_store_open_sync (f->store, &error));
  g_assert_no_error (error);
  f->images = easel_image_store_new (f->root);
  f->library = easel_library_new (f->store, f->images);
  f->thumbnailer = easel_thumbnailer_new (f->images, cache);

  /* Over the last month, the newest first in the gallery. */
  f->rows = easel_test_images_generate (n_images, 5,
                                        g_get_real_time () - 30 * G_TIME_SPAN_DAY, 30 * G_TIME_SPAN_DAY);
  if (n_images > 0)
    {
      g_assert_nonnull (easel_store_run_sync (f->store, easel_test_images_insert_func, f->rows, &error));
      g_assert_no_error (error);
      easel_test_write_files (f->rows, f->root, FILE_PIXELS, DISTINCT_FILES);
    }
}

static void
open_window (Fixture *f,
             int      width,
             int      height)
{
  f->window = easel_window_new (NULL);
  g_object_ref (f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  f->gallery = EASEL_GALLERY_VIEW (easel_window_get_gallery_view (f->window));
  gtk_window_present (GTK_WINDOW (f->window));
  easel_window_set_library (f->window, f->library, f->thumbnailer);
  easel_test_wait_painted (GTK_WIDGET (f->window));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  easel_test_reset_settings ();
  easel_test_load_style (FALSE);
  open_library (f, GPOINTER_TO_UINT (data));
  open_window (f, 1280, 800);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->window);
  /* Let cancelled thumbnail loads come back. */
  wait_ms (200);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->thumbnailer);
  g_clear_object (&f->library);
  easel_store_close (f->store);
  g_clear_object (&f->store);
  g_clear_object (&f->images);
  g_clear_pointer (&f->rows, g_ptr_array_unref);
  g_free (f->root);
  g_free (f->dir);
  easel_test_load_style (FALSE);
}

static guint
library_count (Fixture    *f,
               const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselQuery) query = easel_query_parse (text, &error);
  guint count;

  g_assert_no_error (error);
  count = easel_library_count_sync (f->library, query, &error);
  g_assert_no_error (error);
  return count;
}

static EaselImage *
lookup (Fixture    *f,
        const char *hash)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselQuery) query = easel_query_parse ("", &error);
  g_autoptr(GPtrArray) all = NULL;

  easel_query_set_show_trashed (query, FALSE);
  all = easel_library_fetch_sync (f->library, query, 0, N_IMAGES * 2, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    if (g_str_equal (easel_image_get_hash (all->pdata[i]), hash))
      return g_object_ref (all->pdata[i]);
  return NULL;
}

static char *
hash_at (Fixture *f,
         guint    position)
{
  g_autoptr(EaselImage) item = g_list_model_get_item (easel_gallery_view_get_model (f->gallery), position);

  wait_settled (f);
  return g_strdup (easel_gallery_model_get_image_hash (item));
}

/* The grid */

static void
test_grid (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *summary = NULL;
  GtkWidget *grid = template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "grid_view");
  int before;

  wait_thumbnails (f);
  g_assert_cmpstr (visible_page (f), ==, "grid");
  g_assert_cmpuint (n_results (f), ==, library_count (f, ""));
  summary = g_strdup_printf ("%u images", n_results (f));
  g_assert_cmpstr (easel_gallery_view_get_summary (f->gallery), ==, summary);

  /* The newest image first. */
  {
    g_autofree char *first = hash_at (f, 0);
    g_autoptr(GError) error = NULL;
    g_autoptr(EaselQuery) query = easel_query_parse ("", &error);
    g_autoptr(GPtrArray) page = easel_library_fetch_sync (f->library, query, 0, 1, &error);

    g_assert_cmpstr (first, ==, easel_image_get_hash (page->pdata[0]));
  }
  screenshot (f, "gallery");

  /* Larger thumbnails: fewer columns, cells at least that wide. */
  before = gtk_widget_get_width (gtk_widget_get_first_child (grid));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.zoom-in", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.zoom-in", NULL));
  wait_thumbnails (f);
  g_assert_cmpint (gtk_widget_get_width (gtk_widget_get_first_child (grid)), >, before);
  screenshot (f, "gallery-large");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.zoom-reset", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.zoom-out", NULL));
  easel_test_wait_painted (GTK_WIDGET (f->window));
  g_assert_cmpint (gtk_widget_get_width (gtk_widget_get_first_child (grid)), <, before);

  /* Scrolling to the end loads the last page and its thumbnails. */
  {
    GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (grid));

    /* Twice more: rows further down are measured as they come into view. */
    for (guint i = 0; i < 3; i++)
      {
        gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
        easel_test_wait_painted (grid);
      }
    wait_thumbnails (f);
  }

  /* Sort, through the toolbar's action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.sort", "s", "rating"));
  wait_settled (f);
  {
    g_autoptr(EaselImage) first = g_list_model_get_item (easel_gallery_view_get_model (f->gallery), 0);

    wait_settled (f);
    g_assert_cmpint (easel_image_get_rating (first), ==, 5);
  }
  wait_thumbnails (f);
  screenshot (f, "gallery-by-rating");
}

static void
test_dark (Fixture       *f,
           gconstpointer  data)
{
  easel_test_load_style (TRUE);
  wait_thumbnails (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.select-all", NULL));
  screenshot (f, "gallery-dark");
}

/* Search */

static void
search (Fixture    *f,
        const char *text)
{
  easel_gallery_view_search (f->gallery, text);
  /* The entry waits a little before it searches. */
  wait_ms (300);
  wait_settled (f);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *entry = template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "search_entry");
  GtkRevealer *error_revealer = template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "error_revealer");
  guint all;

  wait_thumbnails (f);
  all = n_results (f);

  /* Ctrl+F's action focuses the entry. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.search", NULL));
  g_assert_true (gtk_widget_has_focus (entry) || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), entry));

  search (f, "fox");
  g_assert_cmpuint (n_results (f), ==, library_count (f, "fox"));
  g_assert_cmpuint (n_results (f), >, 0);
  g_assert_cmpuint (n_results (f), <, all);
  g_assert_cmpstr (visible_page (f), ==, "grid");
  g_assert_true (g_str_has_suffix (easel_gallery_view_get_summary (f->gallery), "results"));
  wait_thumbnails (f);
  screenshot (f, "gallery-search");

  /* A query that does not parse: the results stay, the entry says why. */
  search (f, "fox rating:>=9");
  g_assert_true (gtk_revealer_get_reveal_child (error_revealer));
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_cmpuint (n_results (f), ==, library_count (f, "fox"));
  g_assert_cmpstr (gtk_label_get_label (template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "error_label")), !=, "");
  screenshot (f, "gallery-search-error");

  /* Odd input never crashes. */
  search (f, "\"unclosed phrase");
  search (f, "provider: model:\"\" tag:");
  search (f, "ünïcödé 東京 🦊 'quotes' \"\" -- ; DROP TABLE images;");
  wait_settled (f);

  /* Nothing matches. */
  search (f, "zebracorn");
  g_assert_false (gtk_revealer_get_reveal_child (error_revealer));
  g_assert_cmpuint (n_results (f), ==, 0);
  g_assert_cmpstr (visible_page (f), ==, "no-results");
  screenshot (f, "gallery-no-results");

  /* Clearing brings everything back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.clear-search", NULL));
  wait_settled (f);
  g_assert_cmpuint (n_results (f), ==, all);

  /* Filters: favourites and a provider, shown as chips. */
  gtk_switch_set_active (template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "favourites_switch"), TRUE);
  wait_settled (f);
  g_assert_cmpuint (n_results (f), ==, library_count (f, "fav:yes"));
  adw_combo_row_set_selected (template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "provider_row"), 1);
  wait_settled (f);
  g_assert_cmpuint (n_results (f), ==, library_count (f, "fav:yes provider:replicate"));
  g_assert_true (gtk_revealer_get_reveal_child (template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW,
                                                                "chips_revealer")));
  wait_thumbnails (f);
  screenshot (f, "gallery-filters");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.clear-filters", NULL));
  wait_settled (f);
  g_assert_cmpuint (n_results (f), ==, all);
}

/* Selection and bulk actions */

static GtkSelectionModel *
selection_of (Fixture *f)
{
  return easel_gallery_view_get_selection (f->gallery);
}

static gboolean
rating_is (Fixture       *f,
           gconstpointer  data)
{
  const struct { const char *hash; int rating; } *want = data;
  g_autoptr(EaselImage) image = lookup (f, want->hash);

  return image != NULL && easel_image_get_rating (image) == want->rating;
}

static gboolean
is_favourite (Fixture       *f,
              gconstpointer  hash)
{
  g_autoptr(EaselImage) image = lookup (f, hash);

  return image != NULL && easel_image_get_favourite (image);
}

typedef struct
{
  const char *query;
  guint       count;
} Count;

static gboolean
count_is (Fixture       *f,
          gconstpointer  data)
{
  const Count *want = data;

  return library_count (f, want->query) == want->count;
}

static gboolean
results_are (Fixture       *f,
             gconstpointer  data)
{
  return n_results (f) == GPOINTER_TO_UINT (data);
}

static void
test_selection (Fixture       *f,
                gconstpointer  data)
{
  GtkRevealer *bar = template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "selection_revealer");
  g_autofree char *first = NULL;
  g_autofree char *third = NULL;
  guint all;

  wait_thumbnails (f);
  all = n_results (f);
  g_assert_false (gtk_revealer_get_reveal_child (bar));

  gtk_selection_model_select_item (selection_of (f), 0, TRUE);
  gtk_selection_model_select_item (selection_of (f), 2, FALSE);
  gtk_selection_model_select_range (selection_of (f), 5, 3, FALSE);
  g_assert_true (gtk_revealer_get_reveal_child (bar));
  g_assert_cmpstr (gtk_label_get_label (template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "selection_label")),
                   ==, "5 Selected");
  first = hash_at (f, 0);
  third = hash_at (f, 2);
  easel_test_wait_painted (GTK_WIDGET (f->window));
  screenshot (f, "gallery-selection");

  /* Rate (the "4" key), favour ("F"), tag. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.rate", "i", 4));
  wait_until (f, rating_is, &(struct { const char *hash; int rating; }) { third, 4 });
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.favourite", NULL));
  wait_until (f, is_favourite, first);
  gtk_editable_set_text (template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "tag_entry"), "keeper");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.tag", NULL));
  wait_until (f, count_is, &(Count) { "tag:keeper", 5 });

  /* The badges show it. */
  wait_thumbnails (f);
  screenshot (f, "gallery-rated");

  /* Trash, with an undo toast. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.trash", NULL));
  wait_until (f, results_are, GUINT_TO_POINTER (all - 5));
  g_assert_false (gtk_revealer_get_reveal_child (bar));
  screenshot (f, "gallery-trashed");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.undo-trash", NULL));
  wait_until (f, results_are, GUINT_TO_POINTER (all));

  /* Select all, tag all: pages never loaded are collected first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.select-all", NULL));
  g_assert_cmpstr (gtk_label_get_label (template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "selection_label")),
                   !=, "0 Selected");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.add-tag", "s", "everything"));
  wait_until (f, count_is, &(Count) { "tag:everything", all });
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.select-none", NULL));
  g_assert_false (gtk_revealer_get_reveal_child (bar));
}

/* The keys of gallery conventions are bound to the gallery's actions. */
static void
test_keys (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->gallery));
  const struct
  {
    const char *trigger;
    const char *action;
  } expected[] = {
    { "0", "gallery.rate" }, { "3", "gallery.rate" }, { "5", "gallery.rate" },
    { "f", "gallery.favourite" }, { "Delete", "gallery.trash" },
    { "<Control>plus", "gallery.zoom-in" }, { "<Control>minus", "gallery.zoom-out" },
    { "<Control>0", "gallery.zoom-reset" }, { "<Control>f", "gallery.search" },
  };

  for (guint e = 0; e < G_N_ELEMENTS (expected); e++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
        {
          g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

          if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
            continue;
          for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !found; k++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), k);
              g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
              GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

              found = g_str_equal (trigger, expected[e].trigger) && GTK_IS_NAMED_ACTION (action) &&
                      g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                                   expected[e].action);
            }
        }
      if (!found)
        g_error ("%s is not bound to %s", expected[e].trigger, expected[e].action);
    }

  /* Ctrl+A is the grid's own. */
  g_assert_true (gtk_widget_activate_action (template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "grid_view"),
                                             "list.select-all", NULL));
  g_assert_cmpuint (gtk_bitset_get_size (gtk_selection_model_get_selection (selection_of (f))), ==,
                    n_results (f));
}

/* The viewer */

static EaselImageViewer *
viewer_of (Fixture *f)
{
  return template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "viewer");
}

/* What the viewer shows follows the library once the model heard of it. */
static gboolean
viewer_rating_is (Fixture       *f,
                  gconstpointer  data)
{
  EaselImage *image = easel_image_viewer_get_image (viewer_of (f));

  return image != NULL && easel_image_get_rating (image) == GPOINTER_TO_INT (data);
}

static gboolean
viewer_has_tag (Fixture       *f,
                gconstpointer  data)
{
  EaselImage *image = easel_image_viewer_get_image (viewer_of (f));
  const char * const *tags = image ? easel_image_get_tags (image) : NULL;

  return tags != NULL && g_strv_contains (tags, data);
}

static gboolean
viewer_loaded (gpointer data)
{
  return easel_image_viewer_get_loaded (data);
}

static void
test_viewer (Fixture       *f,
             gconstpointer  data)
{
  EaselImageViewer *viewer = viewer_of (f);
  EaselImageDetails *details = template_child (viewer, EASEL_TYPE_IMAGE_VIEWER, "details");
  g_autofree char *hash = NULL;
  g_autofree char *path = NULL;
  EaselTestImage *row = NULL;

  /* The image to look at gets a full-size original. */
  hash = hash_at (f, 1);
  for (guint i = 0; i < f->rows->len; i++)
    if (g_str_equal (((EaselTestImage *) f->rows->pdata[i])->hash, hash))
      row = f->rows->pdata[i];
  g_assert_nonnull (row);
  path = g_build_filename (f->root, row->path, NULL);
  g_assert_cmpint (g_unlink (path), ==, 0);
  easel_test_write_art (path, row->width, row->height, 4242);

  /* Without the side panes, as one looks at images. */
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "toggle-editor", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "toggle-jobs", NULL);
  wait_thumbnails (f);

  /* Enter (or a double click) on a cell. */
  g_signal_emit_by_name (template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "grid_view"), "activate", 1);
  g_assert_true (easel_gallery_view_get_viewing (f->gallery));
  g_assert_true (easel_test_spin_until (viewer_loaded, viewer, 10000));
  g_assert_cmpstr (easel_gallery_model_get_image_hash (easel_image_viewer_get_image (viewer)), ==, hash);
  g_assert_true (easel_image_details_get_image (details) == easel_image_viewer_get_image (viewer));
  g_assert_cmpstr (gtk_label_get_label (template_child (details, EASEL_TYPE_IMAGE_DETAILS, "prompt_label")),
                   ==, row->prompt ? row->prompt : "No prompt");
  /* The editor takes the image's settings. */
  g_assert_true (gtk_widget_get_visible (template_child (details, EASEL_TYPE_IMAGE_DETAILS, "reuse_button")));
  screenshot (f, "gallery-viewer");

  /* Zoom in the viewer: 100 %, in, back to fit. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.zoom-toggle", NULL));
  screenshot (f, "gallery-viewer-100");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.zoom-fit", NULL));

  /* Rate it with the keys' action: the panel follows. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "gallery.rate", "i", 3));
  wait_until (f, viewer_rating_is, GINT_TO_POINTER (3));
  wait_until (f, rating_is, &(struct { const char *hash; int rating; }) { hash, 3 });
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "gallery.add-tag", "s", "hero shot"));
  wait_until (f, viewer_has_tag, "hero shot");
  g_assert_cmpuint (library_count (f, "tag:\"hero shot\""), ==, 1);
  screenshot (f, "gallery-viewer-rated");

  /* Arrow keys step through the results. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.next", NULL));
  g_assert_cmpuint (easel_image_viewer_get_position (viewer), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.arrow", "i", -1));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.arrow", "i", -1));
  g_assert_cmpuint (easel_image_viewer_get_position (viewer), ==, 0);
  /* At the first image there is no previous one. */
  gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.previous", NULL);
  g_assert_cmpuint (easel_image_viewer_get_position (viewer), ==, 0);

  /* Copy puts the image on the clipboard as a texture. */
  g_assert_true (easel_test_spin_until (viewer_loaded, viewer, 10000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.copy", NULL));
  g_assert_true (gdk_content_formats_contain_gtype (gdk_clipboard_get_formats (gtk_widget_get_clipboard (GTK_WIDGET (viewer))),
                                                    GDK_TYPE_TEXTURE));

  /* Trash from the viewer: it shows the next image. */
  {
    g_autofree char *next = hash_at (f, 1);
    guint before = n_results (f);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "gallery.trash", NULL));
    wait_until (f, results_are, GUINT_TO_POINTER (before - 1));
    g_assert_cmpstr (easel_gallery_model_get_image_hash (easel_image_viewer_get_image (viewer)), ==, next);
  }

  /* Escape returns, with the image selected. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.close", NULL));
  g_assert_false (easel_gallery_view_get_viewing (f->gallery));
  g_assert_true (gtk_selection_model_is_selected (selection_of (f), 0));
  easel_test_wait_painted (GTK_WIDGET (f->window));
}

/* The Midjourney buttons of a grid job, in the viewer's panel: they run
 * the action as a new job of the queue (paused here, and its provider
 * points at a closed loopback port, so nothing is sent). */
static EaselProvider *
offline_provider (const char  *provider,
                  const char  *account,
                  gpointer     user_data,
                  GError     **error)
{
  return easel_provider_registry_create (provider, "http://127.0.0.1:9", "sentinel-token", error);
}

static gboolean
queue_loaded (gpointer data)
{
  return *(gboolean *) data;
}

static void
queue_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (easel_job_queue_load_finish (EASEL_JOB_QUEUE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

typedef struct
{
  GListModel *model;
  guint       before;
} QueueCount;

static gboolean
queue_grew (gpointer data)
{
  QueueCount *count = data;

  return g_list_model_get_n_items (count->model) > count->before;
}

static gboolean
buttons_shown (gpointer data)
{
  EaselImageDetails *details = data;

  return gtk_widget_get_visible (template_child (details, EASEL_TYPE_IMAGE_DETAILS, "buttons_group"));
}

static GtkWidget *
find_button (GtkWidget  *parent,
             const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (parent); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child))
        {
          GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (child));
          const char *button = NULL;

          if (target != NULL)
            g_variant_get (target, "(x&s)", NULL, &button);
          if (g_strcmp0 (button, label) == 0)
            return child;
        }
      if ((found = find_button (child, label)) != NULL)
        return found;
    }
  return NULL;
}

static void
test_job_buttons (Fixture       *f,
                  gconstpointer  data)
{
  EaselImageViewer *viewer = viewer_of (f);
  EaselImageDetails *details = template_child (viewer, EASEL_TYPE_IMAGE_VIEWER, "details");
  g_autoptr(EaselDownloader) downloader = easel_downloader_new (f->images, 1);
  g_autoptr(EaselBudget) budget = easel_budget_new ();
  g_autoptr(EaselJobQueue) queue = NULL;
  g_autoptr(GError) error = NULL;
  EaselTestImage *row = NULL;
  g_autofree char *sql = NULL;
  GtkWidget *button;
  gboolean loaded = FALSE;
  gint64 job_id;
  EaselJob *grid, *upscale;
  guint before;

  /* A finished Midjourney grid job made some of the images. */
  for (guint i = f->rows->len; i-- > 0 && row == NULL;)
    if (((EaselTestImage *) f->rows->pdata[i])->job_id > 0 && ((EaselTestImage *) f->rows->pdata[i])->trashed_at == 0)
      row = f->rows->pdata[i];
  g_assert_nonnull (row);
  job_id = row->job_id;
  sql = g_strdup_printf ("UPDATE jobs SET provider = 'midjourney', model = 'midjourney', remote_id = 'remote-grid', "
                         "spec = json_object ('local_id', uuid, 'model', 'midjourney', 'prompt', 'a lighthouse'), "
                         "buttons = '[\"U1\",\"U2\",\"U3\",\"U4\",\"V1\",\"V2\",\"V3\",\"V4\",\"🔄\"]' "
                         "WHERE id = %" G_GINT64_FORMAT, job_id);
  g_assert_nonnull (easel_store_run_sync (f->store, exec_func, sql, &error));
  g_assert_no_error (error);

  queue = easel_job_queue_new (f->store, downloader, budget, offline_provider, NULL, NULL);
  easel_job_queue_set_paused (queue, TRUE);
  easel_job_queue_load_async (queue, NULL, queue_loaded_cb, &loaded);
  g_assert_true (easel_test_spin_until (queue_loaded, &loaded, 10000));
  grid = easel_job_queue_lookup (queue, job_id);
  g_assert_nonnull (grid);
  easel_window_set_job_queue (f->window, queue);
  before = g_list_model_get_n_items (G_LIST_MODEL (queue));

  /* The job's images, then the first of them in the viewer. */
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "show-job", g_variant_new_int64 (job_id));
  wait_thumbnails (f);
  g_signal_emit_by_name (template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "grid_view"), "activate", 0);
  g_assert_true (easel_test_spin_until (viewer_loaded, viewer, 10000));
  g_assert_true (easel_test_spin_until (buttons_shown, details, 10000));
  for (guint i = 0; i < 9; i++)
    g_assert_nonnull (find_button (GTK_WIDGET (details),
                                   (const char *[]) { "U1", "U2", "U3", "U4", "V1", "V2", "V3", "V4", "🔄" }[i]));
  screenshot (f, "gallery-viewer-buttons");

  /* U2 queues an upscale of the grid as a new job. */
  button = find_button (GTK_WIDGET (details), "U2");
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (easel_test_spin_until (queue_grew, &(QueueCount) { G_LIST_MODEL (queue), before }, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, before + 1);
  upscale = NULL;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (queue)); i++)
    {
      g_autoptr(EaselJob) job = g_list_model_get_item (G_LIST_MODEL (queue), i);

      if (easel_job_get_parent_id (job) == job_id)
        upscale = easel_job_queue_lookup (queue, easel_job_get_id (job));
    }
  g_assert_nonnull (upscale);
  g_assert_cmpstr (easel_job_get_action (upscale), ==, "U2");
  g_assert_cmpint (easel_job_get_parent_id (upscale), ==, job_id);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.close", NULL));
  easel_window_set_job_queue (f->window, NULL);
}

/* New images from running jobs appear without a reload. */
static void
test_new_images (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = easel_test_images_generate (4, 99, g_get_real_time (), G_USEC_PER_SEC);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) hashes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  guint before;

  wait_thumbnails (f);
  before = n_results (f);
  for (guint i = 0; i < rows->len; i++)
    {
      EaselTestImage *row = rows->pdata[i];

      row->rowid = N_IMAGES + 1 + i;
      row->trashed_at = 0;
      row->created_at = g_get_real_time () + i;
      g_strv_builder_add (builder, row->hash);
    }
  g_assert_nonnull (easel_store_run_sync (f->store, easel_test_images_insert_func, rows, &error));
  easel_test_write_files (rows, f->root, FILE_PIXELS, 0);
  hashes = g_strv_builder_end (builder);
  easel_library_images_added (f->library, (const char * const *) hashes);
  wait_settled (f);

  g_assert_cmpuint (n_results (f), ==, before + 4);
  first = hash_at (f, 0);
  g_assert_cmpstr (first, ==, ((EaselTestImage *) rows->pdata[3])->hash);
  wait_thumbnails (f);
  screenshot (f, "gallery-new-images");
}

/* win.show-job: the job sidebar's "Show in Gallery". */
static void
test_show_job (Fixture       *f,
               gconstpointer  data)
{
  EaselTestImage *row = NULL;
  g_autofree char *text = NULL;

  for (guint i = f->rows->len; i-- > 0 && row == NULL;)
    if (((EaselTestImage *) f->rows->pdata[i])->job_id > 0 && ((EaselTestImage *) f->rows->pdata[i])->trashed_at == 0)
      row = f->rows->pdata[i];
  g_assert_nonnull (row);

  wait_thumbnails (f);
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (f->window), "show-job"));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "show-job", g_variant_new_int64 (row->job_id));
  wait_settled (f);
  text = g_strdup_printf ("job:%" G_GINT64_FORMAT, row->job_id);
  g_assert_cmpstr (gtk_editable_get_text (template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "search_entry")),
                   ==, text);
  g_assert_cmpuint (n_results (f), ==, library_count (f, text));
  g_assert_cmpuint (n_results (f), >=, 1);
  wait_thumbnails (f);
  screenshot (f, "gallery-show-job");
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  wait_settled (f);
  g_assert_cmpstr (visible_page (f), ==, "empty");
  g_assert_cmpstr (easel_gallery_view_get_summary (f->gallery), ==, "0 images");
  screenshot (f, "gallery-empty");

  /* Searching an empty library: no results rather than "no images". */
  search (f, "fox");
  g_assert_cmpstr (visible_page (f), ==, "no-results");
}

/* What a drag of thumbnails offers. */

typedef struct
{
  gboolean done;
  gboolean ok;
} Written;

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Written *written = user_data;
  g_autoptr(GError) error = NULL;

  written->ok = gdk_content_provider_write_mime_type_finish (GDK_CONTENT_PROVIDER (object), result, &error);
  g_assert_no_error (error);
  written->done = TRUE;
}

static gboolean
is_written (gpointer data)
{
  return ((Written *) data)->done;
}

static void
test_drag_content (Fixture       *f,
                   gconstpointer  data)
{
  EaselTestImage *row = g_ptr_array_index (f->rows, f->rows->len - 1);
  g_autofree char *path = g_build_filename (f->root, row->path, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) other = g_file_new_for_path (f->root);
  g_autoptr(GdkContentProvider) one = easel_file_content_new ((GFile *[]) { file }, 1, "image/png");
  g_autoptr(GdkContentProvider) two = easel_file_content_new ((GFile *[]) { file, other }, 2, NULL);
  g_autoptr(GdkContentFormats) formats = gdk_content_provider_ref_formats (one);
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  Written written = { FALSE, FALSE };

  /* One image: its file, and its bytes as an image/png. */
  g_assert_true (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST));
  g_assert_true (gdk_content_formats_contain_mime_type (formats, "image/png"));
  gdk_content_provider_write_mime_type_async (one, "image/png", stream, G_PRIORITY_DEFAULT, NULL,
                                              written_cb, &written);
  g_assert_true (easel_test_spin_until (is_written, &written, 5000));
  g_assert_true (written.ok);
  g_assert_true (g_output_stream_close (stream, NULL, NULL));
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  expected = g_file_load_bytes (file, NULL, NULL, NULL);
  g_assert_true (g_bytes_equal (bytes, expected));

  /* Two: the files only. */
  g_clear_pointer (&formats, gdk_content_formats_unref);
  formats = gdk_content_provider_ref_formats (two);
  g_assert_true (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST));
  g_assert_false (gdk_content_formats_contain_mime_type (formats, "image/png"));
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_assert_true (gdk_content_provider_get_value (two, &value, NULL));
  g_assert_cmpuint (g_slist_length (gdk_file_list_get_files (g_value_get_boxed (&value))), ==, 2);
}

/* A video output plays in the viewer instead of being decoded as an image;
 * its cell shows a video badge over the fallback icon. */
static void
test_video (Fixture       *f,
            gconstpointer  data)
{
  EaselImageViewer *viewer = viewer_of (f);
  GtkStack *media_stack = template_child (viewer, EASEL_TYPE_IMAGE_VIEWER, "media_stack");
  GtkVideo *video = template_child (viewer, EASEL_TYPE_IMAGE_VIEWER, "video");
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *expected = NULL;
  GFile *playing;

  /* The newest output is a video: the library says so, and a new query
   * (here: another sort order) reads it again. */
  hash = hash_at (f, 0);
  sql = g_strdup_printf ("UPDATE images SET mime = 'video/mp4' WHERE hash = '%s'", hash);
  g_assert_nonnull (easel_store_run_sync (f->store, exec_func, sql, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.sort", "s", "oldest"));
  wait_settled (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->gallery), "gallery.sort", "s", "newest"));
  wait_settled (f);
  {
    g_autofree char *first = hash_at (f, 0);

    g_assert_cmpstr (first, ==, hash);
  }

  g_signal_emit_by_name (template_child (f->gallery, EASEL_TYPE_GALLERY_VIEW, "grid_view"), "activate", 0);
  g_assert_true (easel_test_spin_until (viewer_loaded, viewer, 10000));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (media_stack), ==, "video");
  playing = gtk_video_get_file (video);
  g_assert_nonnull (playing);
  expected = g_strdup (easel_image_get_path (easel_image_viewer_get_image (viewer)));
  g_assert_true (g_path_is_absolute (expected));
  g_assert_cmpstr (g_file_peek_path (playing), ==, expected);

  /* The next one is an image again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.next", NULL));
  g_assert_true (easel_test_spin_until (viewer_loaded, viewer, 10000));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (media_stack), ==, "image");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.close", NULL));
}

/* The keys are in the shortcuts window. */
static void
test_shortcuts_window (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PATH "/easel-shortcuts-window.ui");
  GtkWindow *window = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));
  g_autofree char *path = NULL;

  g_assert_nonnull (window);
  easel_test_load_style (FALSE);
  gtk_window_set_default_size (window, 1100, 760);
  gtk_window_present (window);
  easel_test_wait_painted (GTK_WIDGET (window));
  path = easel_test_save_screenshot (GTK_WIDGET (window), "shortcuts");
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  if (!easel_test_init_ui (&argc, &argv))
    return 0;

#define ADD(name, n, func) \
  g_test_add ("/Easel/Gallery/" name, Fixture, GUINT_TO_POINTER (n), fixture_set_up, func, fixture_tear_down)

  ADD ("grid", N_IMAGES, test_grid);
  ADD ("search", N_IMAGES, test_search);
  ADD ("selection", N_IMAGES, test_selection);
  ADD ("keys", N_IMAGES, test_keys);
  ADD ("viewer", N_IMAGES, test_viewer);
  ADD ("job-buttons", N_IMAGES, test_job_buttons);
  ADD ("new-images", N_IMAGES, test_new_images);
  ADD ("show-job", N_IMAGES, test_show_job);
  ADD ("empty", 0, test_empty);
  ADD ("dark", N_IMAGES, test_dark);
  ADD ("drag-content", 4, test_drag_content);
  ADD ("video", 4, test_video);
  g_test_add_func ("/Easel/Gallery/shortcuts-window", test_shortcuts_window);

  return g_test_run ();
}
