/* test-reference-tray.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The reference tray under real drops: the "drop" signal of its own drop
 * target and of one forwarded to a larger widget (as the editor pane
 * does) is emitted with the values GTK delivers — a GdkFileList (file
 * managers, Easel's gallery), a GFile, a browser's text — holding a valid
 * image, a file over 10 MB, a text file named .png and addresses, and the
 * tray's references, roles, validity and messages are checked. Screenshots
 * go to $EASEL_TEST_SCREENSHOT_DIR. */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <adwaita.h>

#include "easel-param.h"
#include "easel-reference-tray.h"
#include "easel-test-dirs.h"
#include "easel-test-gallery.h"
#include "easel-test-util.h"

typedef struct
{
  char               *dir;
  GtkWindow          *window;
  GtkWidget          *pane;      /* stands for the editor pane */
  EaselReferenceTray *tray;
  GtkDropTarget      *forwarded; /* on @pane */
  guint               changes;
} Fixture;

static void
changed_cb (EaselReferenceTray *tray,
            Fixture            *f)
{
  f->changes++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  GtkWidget *tray;

  f->dir = easel_test_make_dir ("easel-tray");
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 380, 330);

  f->pane = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (f->pane, "easel-side-pane");
  tray = easel_reference_tray_new ();
  gtk_widget_set_margin_start (tray, 18);
  gtk_widget_set_margin_end (tray, 18);
  gtk_widget_set_margin_top (tray, 12);
  gtk_widget_set_margin_bottom (tray, 12);
  gtk_widget_set_vexpand (tray, TRUE);
  gtk_box_append (GTK_BOX (f->pane), tray);
  gtk_window_set_child (f->window, f->pane);
  f->tray = EASEL_REFERENCE_TRAY (tray);
  g_signal_connect (f->tray, "changed", G_CALLBACK (changed_cb), f);

  /* The editor pane takes drops over its whole area. */
  f->forwarded = easel_reference_tray_create_drop_target (f->tray);
  gtk_widget_add_controller (f->pane, GTK_EVENT_CONTROLLER (f->forwarded));

  gtk_window_present (f->window);
}

static gboolean
is_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  EaselReferenceTray *tray = f->tray;

  /* The window, the tray and everything they held go: no leak. */
  g_object_add_weak_pointer (G_OBJECT (tray), (gpointer *) &tray);
  g_object_ref (f->window);
  gtk_window_destroy (f->window);
  g_assert_finalize_object (f->window);
  /* A file still being checked on a worker thread holds the tray until
   * its task comes back (cancelled). */
  g_assert_true (easel_test_spin_until (is_gone, &tray, 10000));
  g_free (f->dir);
}

/* The tray's own drop target, as GTK would deliver a drop over it. */
static GtkDropTarget *
own_drop_target (Fixture *f)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->tray));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  g_error ("the tray has no drop target");
  return NULL;
}

static gboolean
emit_drop (GtkDropTarget *target,
           const GValue  *value)
{
  gboolean handled = FALSE;
  const GType *types;
  gsize n_types;
  gboolean accepted = FALSE;

  /* The target must ask for the type the value holds, or GTK would never
   * deliver it. */
  types = gtk_drop_target_get_gtypes (target, &n_types);
  for (gsize i = 0; i < n_types; i++)
    accepted |= G_VALUE_HOLDS (value, types[i]);
  g_assert_true (accepted);

  g_signal_emit_by_name (target, "drop", value, 10.0, 10.0, &handled);
  return handled;
}

static gboolean
drop_files (GtkDropTarget *target,
            GFile        **files,
            gsize          n_files)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (files, n_files));
  return emit_drop (target, &value);
}

static gboolean
drop_file (GtkDropTarget *target,
           GFile         *file)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, file);
  return emit_drop (target, &value);
}

static gboolean
drop_text (GtkDropTarget *target,
           const char    *text)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, text);
  return emit_drop (target, &value);
}

static gboolean
not_busy (gpointer user_data)
{
  Fixture *f = user_data;

  return !easel_reference_tray_is_busy (f->tray);
}

static void
wait_idle (Fixture *f)
{
  g_assert_true (easel_test_spin_until (not_busy, f, 20000));
}

static GFile *
png_file (Fixture    *f,
          const char *name,
          int         width,
          int         height,
          guint32     seed)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);

  easel_test_write_art (path, width, height, seed);
  return g_file_new_for_path (path);
}

static GFile *
oversized_file (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "scan.png", NULL);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

  /* 12 MiB that take no room on disk. */
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "\x89PNG\r\n\x1a\n", 8), ==, 8);
  g_assert_cmpint (ftruncate (fd, 12 * 1024 * 1024), ==, 0);
  close (fd);
  return g_file_new_for_path (path);
}

static GFile *
text_file (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "notes.png", NULL);

  g_assert_true (g_file_set_contents (path, "Remember to buy paint.\n", -1, NULL));
  return g_file_new_for_path (path);
}

static EaselParam *
image_param (const char *name,
             const char *title)
{
  EaselParam *param = easel_param_new (name, EASEL_PARAM_IMAGE);

  g_free (param->title);
  param->title = g_strdup (title);
  return param;
}

static GPtrArray *
replicate_roles (void)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_param_free);

  g_ptr_array_add (params, easel_param_new ("prompt", EASEL_PARAM_TEXT));
  g_ptr_array_add (params, image_param ("image", "Image"));
  g_ptr_array_add (params, image_param ("mask", "Mask"));
  return easel_reference_roles ("replicate", params);
}

static EaselReference *
reference_at (Fixture *f,
              guint    i)
{
  g_autoptr(GPtrArray) references = easel_reference_tray_get_references (f->tray);

  g_assert_cmpuint (i, <, references->len);
  return g_ptr_array_index (references, i);   /* the tray keeps it alive */
}

static guint
n_references (Fixture *f)
{
  g_autoptr(GPtrArray) references = easel_reference_tray_get_references (f->tray);

  return references->len;
}

static gboolean
valid (Fixture *f)
{
  gboolean value;

  g_object_get (f->tray, "valid", &value, NULL);
  return value;
}

static void
screenshot (Fixture    *f,
            const char *name)
{
  g_autofree char *path = NULL;

  /* Past the message revealer's animation. */
  for (gint64 end = g_get_monotonic_time () + 400 * 1000; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  easel_test_wait_painted (GTK_WIDGET (f->window));
  path = easel_test_save_screenshot (GTK_WIDGET (f->window), name);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_replicate_drops (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) roles = replicate_roles ();
  g_autoptr(GFile) valid_png = png_file (f, "fox.png", 320, 200, 11);
  g_autoptr(GFile) other_png = png_file (f, "owl.png", 200, 300, 12);
  g_autoptr(GFile) big = oversized_file (f);
  g_autoptr(GFile) notes = text_file (f);
  GFile *dropped[] = { valid_png, big, notes };
  const char *message;

  easel_reference_tray_set_roles (f->tray, roles);
  g_assert_true (valid (f));
  g_assert_false (easel_reference_tray_is_busy (f->tray));
  screenshot (f, "reference-tray-empty");

  /* What a file manager, or Easel's gallery, drops on the tray itself. */
  g_assert_true (drop_files (own_drop_target (f), dropped, G_N_ELEMENTS (dropped)));
  g_assert_true (easel_reference_tray_is_busy (f->tray));
  wait_idle (f);

  g_assert_cmpuint (n_references (f), ==, 1);
  g_assert_cmpstr (easel_reference_get_name (reference_at (f, 0)), ==, "fox.png");
  g_assert_cmpstr (easel_reference_get_role (reference_at (f, 0)), ==, "image");
  g_assert_nonnull (easel_reference_get_hash (reference_at (f, 0)));
  g_assert_cmpuint (f->changes, ==, 1);
  g_assert_true (valid (f));
  g_assert_null (easel_reference_tray_get_problem (f->tray));

  /* Both refusals say which file and why; the size is given. */
  message = easel_reference_tray_get_message (f->tray);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "“scan.png” is 12.0\xc2\xa0MiB: reference images can be at most 10.0\xc2\xa0MiB"));
  g_assert_nonnull (strstr (message, "“notes.png” is not a PNG, JPEG, WebP or GIF image"));
  screenshot (f, "reference-tray-refused");

  /* A browser's address, dropped anywhere on the pane: it takes the free
   * role, and the new drop replaces the old message. */
  g_assert_true (drop_text (f->forwarded, "https://images.example.org/moodboard/heron.webp\r\n"));
  g_assert_false (easel_reference_tray_is_busy (f->tray));
  g_assert_cmpuint (n_references (f), ==, 2);
  g_assert_cmpint (easel_reference_get_source (reference_at (f, 1)), ==, EASEL_REFERENCE_URL);
  g_assert_cmpstr (easel_reference_get_url (reference_at (f, 1)), ==,
                   "https://images.example.org/moodboard/heron.webp");
  g_assert_cmpstr (easel_reference_get_role (reference_at (f, 1)), ==, "mask");
  g_assert_null (easel_reference_tray_get_message (f->tray));
  g_assert_true (valid (f));
  g_assert_cmpuint (f->changes, ==, 2);

  /* One GFile more: each role takes one image, so the tray is invalid
   * and says why. */
  g_assert_true (drop_file (own_drop_target (f), other_png));
  wait_idle (f);
  g_assert_cmpuint (n_references (f), ==, 3);
  g_assert_false (valid (f));
  g_assert_cmpstr (easel_reference_tray_get_problem (f->tray), ==, "Image takes only 1 image.");
  screenshot (f, "reference-tray-replicate");

  /* The same image again is refused. */
  g_assert_true (drop_file (f->forwarded, valid_png));
  wait_idle (f);
  g_assert_cmpuint (n_references (f), ==, 3);
  g_assert_nonnull (strstr (easel_reference_tray_get_message (f->tray), "“fox.png” is already among"));

  /* A model with one image input: the references keep "image" where they
   * had it, the others are put there too. */
  g_ptr_array_set_size (roles, 1);
  easel_reference_tray_set_roles (f->tray, roles);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (easel_reference_get_role (reference_at (f, i)), ==, "image");
  g_assert_false (valid (f));

  /* A model without image inputs. */
  easel_reference_tray_set_roles (f->tray, NULL);
  g_assert_false (valid (f));
  g_assert_nonnull (strstr (easel_reference_tray_get_problem (f->tray), "takes no reference images"));

  easel_reference_tray_clear (f->tray);
  g_assert_cmpuint (n_references (f), ==, 0);
  g_assert_true (valid (f));
  g_assert_null (easel_reference_tray_get_message (f->tray));
  g_assert_null (easel_reference_tray_get_problem (f->tray));
}

static void
test_midjourney (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) roles = easel_reference_roles ("midjourney", NULL);
  g_autoptr(GFile) local = png_file (f, "castle.png", 256, 256, 21);
  GFile *files[] = { NULL };
  const char *problem;

  easel_reference_tray_set_roles (f->tray, roles);

  /* Addresses are what Midjourney takes. */
  easel_reference_tray_add_url (f->tray, "https://cdn.example.org/refs/castle-sketch.png");
  easel_reference_tray_add_url (f->tray, "https://cdn.example.org/refs/watercolour.jpg");
  g_assert_cmpuint (n_references (f), ==, 2);
  g_assert_cmpstr (easel_reference_get_role (reference_at (f, 0)), ==, EASEL_REFERENCE_ROLE_IMAGE_PROMPT);
  g_assert_true (valid (f));

  /* A local file cannot be an image prompt: the tray says so plainly and
   * what to do instead. */
  easel_reference_tray_add_file (f->tray, local);
  wait_idle (f);
  g_assert_cmpuint (n_references (f), ==, 3);
  g_assert_false (valid (f));
  problem = easel_reference_tray_get_problem (f->tray);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "Image Prompt needs the public web address of an image"));
  g_assert_nonnull (strstr (problem, "Add Link…"));
  /* Easel has neither in its editor: nothing promises them. */
  g_assert_null (strstr (problem, "Blend"));
  g_assert_null (strstr (problem, "Describe"));

  /* The second image as a style reference. */
  easel_reference_set_role (reference_at (f, 1), EASEL_REFERENCE_ROLE_SREF);
  screenshot (f, "reference-tray-midjourney");

  /* Addresses that cannot be used, dropped as text and as a file list. */
  g_assert_true (drop_text (f->forwarded, "http://example.org/plain-http.png"));
  g_assert_nonnull (strstr (easel_reference_tray_get_message (f->tray), "cannot be used: only https://"));
  g_assert_true (drop_text (f->forwarded, "Just some words, not an address"));
  g_assert_nonnull (strstr (easel_reference_tray_get_message (f->tray), "not a web address"));
  files[0] = g_file_new_for_uri ("sftp://example.org/photo.png");
  g_assert_true (drop_files (f->forwarded, files, 1));
  g_clear_object (&files[0]);
  g_assert_nonnull (strstr (easel_reference_tray_get_message (f->tray), "only files on this computer"));
  g_assert_cmpuint (n_references (f), ==, 3);
}

static void
test_remove_while_loading (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) roles = replicate_roles ();
  g_autoptr(GFile) file = png_file (f, "heavy.png", 1600, 1200, 31);

  easel_reference_tray_set_roles (f->tray, roles);
  easel_reference_tray_add_file (f->tray, file);
  g_assert_true (easel_reference_tray_is_busy (f->tray));

  /* Cleared before the check ends: nothing arrives afterwards. */
  easel_reference_tray_clear (f->tray);
  g_assert_false (easel_reference_tray_is_busy (f->tray));
  for (gint64 end = g_get_monotonic_time () + 500 * 1000; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (n_references (f), ==, 0);
  g_assert_cmpuint (f->changes, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;

  if (!easel_test_init_ui (&argc, &argv))
    return 0;

  /* The application's style sheet, which AdwApplication would load. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, RESOURCE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

#define ADD(path, func) \
  g_test_add ("/Easel/ReferenceTray/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("replicate-drops", test_replicate_drops);
  ADD ("midjourney", test_midjourney);
  ADD ("remove-while-loading", test_remove_while_loading);
#undef ADD

  return g_test_run ();
}
