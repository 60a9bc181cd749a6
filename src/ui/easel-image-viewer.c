/* easel-image-viewer.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One image of the gallery's results at full size, with the metadata panel
 * beside it. The arrow keys (and the buttons on the sides) step through
 * the results the gallery shows; Escape goes back.
 *
 * The original is decoded on a worker thread; the viewer shows a spinner
 * meanwhile, and a step to another image cancels a decode still running.
 * Videos play in a GtkVideo.
 *
 * The viewer follows the gallery model: when its image moves (re-rated
 * while the gallery sorts by rating) it keeps showing it at its new
 * position; when it leaves the results (moved to the trash) it shows the
 * image that took its place, and closes when nothing is left. */

#include "config.h"

#include "easel-image-viewer.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-gallery-model.h"
#include "easel-image-canvas.h"
#include "easel-image-details.h"
#include "easel-ui-util.h"

struct _EaselImageViewer
{
  AdwBin                parent_instance;

  GListModel           *model;
  gulong                items_changed_handler;
  EaselImage           *image;
  guint                 position;
  gulong                path_handler;
  GCancellable         *cancellable;
  GdkTexture           *texture;
  GtkFileChooserNative *chooser;
  gboolean              loaded;

  /* Template widgets */
  AdwWindowTitle       *title;
  GtkStack             *media_stack;
  GtkSpinner           *spinner;
  EaselImageCanvas     *canvas;
  GtkVideo             *video;
  AdwStatusPage        *error_page;
  GtkButton            *zoom_button;
  GtkWidget            *zoom_box;
  AdwFlap              *flap;
  EaselImageDetails    *details;
};

G_DEFINE_FINAL_TYPE (EaselImageViewer, easel_image_viewer, ADW_TYPE_BIN)

enum {
  CLOSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void set_image (EaselImageViewer *self,
                       EaselImage       *image);

static gboolean
is_video (EaselImage *image)
{
  const char *mime = easel_image_get_mime (image);

  return mime != NULL && g_str_has_prefix (mime, "video/");
}

static void
update_title (EaselImageViewer *self)
{
  g_autofree char *excerpt = NULL;
  g_autofree char *subtitle = NULL;
  const char *prompt = self->image ? easel_image_get_prompt (self->image) : NULL;
  guint n_items = self->model ? g_list_model_get_n_items (self->model) : 0;

  if (prompt != NULL && *prompt != '\0')
    {
      excerpt = g_strdup (prompt);
      g_strdelimit (excerpt, "\r\n\t", ' ');
    }
  adw_window_title_set_title (ADW_WINDOW_TITLE (self->title), excerpt ? excerpt : _("Image"));

  if (n_items > 0)
    {
      /* Translators: which image of how many the viewer shows */
      subtitle = g_strdup_printf (_("%u of %u"), self->position + 1, n_items);
    }
  adw_window_title_set_subtitle (ADW_WINDOW_TITLE (self->title), subtitle ? subtitle : "");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.previous", self->position > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.next", self->position + 1 < n_items);
}

static void
update_zoom (EaselImageViewer *self)
{
  g_autofree char *label = NULL;
  gboolean image = g_str_equal (gtk_stack_get_visible_child_name (self->media_stack), "image");

  /* Translators: the zoom of the image viewer, %.0f is a percentage */
  label = g_strdup_printf (_("%.0f %%"), easel_image_canvas_get_zoom (self->canvas) * 100);
  gtk_button_set_label (self->zoom_button, label);

  gtk_widget_set_sensitive (self->zoom_box, image);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.copy", self->texture != NULL || self->loaded);
}

static void
zoom_changed_cb (EaselImageViewer *self)
{
  update_zoom (self);
}

static void
show_page (EaselImageViewer *self,
           const char       *name)
{
  gtk_stack_set_visible_child_name (self->media_stack, name);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (name, "loading"));
  update_zoom (self);
}

typedef struct
{
  GdkPixbuf *pixbuf;
} Decoded;

static void
decode_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  pixbuf = gdk_pixbuf_new_from_file (path, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, gdk_pixbuf_apply_embedded_orientation (pixbuf), g_object_unref);
}

static void
decoded_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  EaselImageViewer *self = EASEL_IMAGE_VIEWER (object);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;

  if (pixbuf == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      show_page (self, "error");
      return;
    }

  g_clear_object (&self->texture);
  self->texture = gdk_texture_new_for_pixbuf (pixbuf);
  self->loaded = TRUE;
  easel_image_canvas_set_paintable (self->canvas, GDK_PAINTABLE (self->texture));
  show_page (self, "image");
}

static void
load (EaselImageViewer *self)
{
  g_autoptr(GTask) task = NULL;
  const char *path = easel_image_get_path (self->image);

  if (path == NULL || easel_gallery_model_get_image_hash (self->image) == NULL)
    return;   /* a placeholder: its page is on the way */

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (is_video (self->image))
    {
      gtk_video_set_filename (self->video, path);
      self->loaded = TRUE;
      show_page (self, "video");
      return;
    }

  task = g_task_new (self, self->cancellable, decoded_cb, NULL);
  g_task_set_source_tag (task, load);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, decode_in_thread);
}

static void
path_changed_cb (EaselImageViewer *self)
{
  load (self);
  update_title (self);
}

static void
set_image (EaselImageViewer *self,
           EaselImage       *image)
{
  if (self->image == image)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->image != NULL)
    g_clear_signal_handler (&self->path_handler, self->image);
  g_set_object (&self->image, image);
  g_clear_object (&self->texture);
  self->loaded = FALSE;
  easel_image_canvas_set_paintable (self->canvas, NULL);
  gtk_video_set_file (self->video, NULL);
  easel_image_details_set_image (self->details, image);
  show_page (self, "loading");

  if (image != NULL)
    {
      self->path_handler = g_signal_connect_object (image, "notify::path",
                                                    G_CALLBACK (path_changed_cb), self,
                                                    G_CONNECT_SWAPPED);
      load (self);
    }
  update_title (self);
}

static void
show_position (EaselImageViewer *self,
               guint             position)
{
  g_autoptr(EaselImage) image = NULL;

  self->position = position;
  image = g_list_model_get_item (self->model, position);
  set_image (self, image);
  update_title (self);
}

static void
items_changed_cb (EaselImageViewer *self,
                  guint             position,
                  guint             removed,
                  guint             added,
                  GListModel       *model)
{
  guint n_items = g_list_model_get_n_items (model);
  guint found;

  if (self->image != NULL && EASEL_IS_GALLERY_MODEL (model) &&
      easel_gallery_model_find (EASEL_GALLERY_MODEL (model), self->image, &found))
    {
      self->position = found;
      update_title (self);
      return;
    }

  /* Gone from the results: show what took its place. */
  if (n_items == 0)
    {
      set_image (self, NULL);
      g_signal_emit (self, signals[CLOSE], 0);
      return;
    }
  show_position (self, MIN (self->position, n_items - 1));
}

/**
 * easel_image_viewer_show:
 * @self: a viewer
 * @model: the gallery's results (a #EaselGalleryModel)
 * @position: the image to show
 *
 * Shows the image at @position of @model and follows @model's changes.
 */
void
easel_image_viewer_show (EaselImageViewer *self,
                         GListModel       *model,
                         guint             position)
{
  g_return_if_fail (EASEL_IS_IMAGE_VIEWER (self));
  g_return_if_fail (G_IS_LIST_MODEL (model));
  g_return_if_fail (position < g_list_model_get_n_items (model));

  if (self->model != model)
    {
      if (self->model != NULL)
        g_clear_signal_handler (&self->items_changed_handler, self->model);
      g_set_object (&self->model, model);
      self->items_changed_handler = g_signal_connect_object (model, "items-changed",
                                                             G_CALLBACK (items_changed_cb), self,
                                                             G_CONNECT_SWAPPED);
    }
  show_position (self, position);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

/**
 * easel_image_viewer_clear:
 * @self: a viewer
 *
 * Lets go of the image and the model (and stops a video).
 */
void
easel_image_viewer_clear (EaselImageViewer *self)
{
  g_return_if_fail (EASEL_IS_IMAGE_VIEWER (self));

  set_image (self, NULL);
  if (self->model != NULL)
    g_clear_signal_handler (&self->items_changed_handler, self->model);
  g_clear_object (&self->model);
}

/**
 * easel_image_viewer_get_image:
 * @self: a viewer
 *
 * Returns: (transfer none) (nullable): the image shown
 */
EaselImage *
easel_image_viewer_get_image (EaselImageViewer *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE_VIEWER (self), NULL);

  return self->image;
}

/**
 * easel_image_viewer_get_position:
 * @self: a viewer
 *
 * Returns: the position of the image in the results
 */
guint
easel_image_viewer_get_position (EaselImageViewer *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE_VIEWER (self), 0);

  return self->position;
}

/**
 * easel_image_viewer_get_loaded:
 * @self: a viewer
 *
 * Returns: whether the image (or video) is shown, rather than a spinner
 */
gboolean
easel_image_viewer_get_loaded (EaselImageViewer *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE_VIEWER (self), FALSE);

  return self->loaded;
}

/**
 * easel_image_viewer_step:
 * @self: a viewer
 * @delta: how many images to go forward (negative: back)
 */
void
easel_image_viewer_step (EaselImageViewer *self,
                         int               delta)
{
  gint64 position;
  guint n_items;

  g_return_if_fail (EASEL_IS_IMAGE_VIEWER (self));

  if (self->model == NULL)
    return;

  n_items = g_list_model_get_n_items (self->model);
  position = CLAMP ((gint64) self->position + delta, 0, (gint64) n_items - 1);
  if (n_items > 0 && position != self->position)
    show_position (self, position);
}

/**
 * easel_image_viewer_set_queue:
 * @self: a viewer
 * @queue: (nullable): the job queue, for the metadata panel
 */
void
easel_image_viewer_set_queue (EaselImageViewer *self,
                              EaselJobQueue    *queue)
{
  g_return_if_fail (EASEL_IS_IMAGE_VIEWER (self));

  easel_image_details_set_queue (self->details, queue);
}

/* Actions */

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EaselImageViewer *self = EASEL_IMAGE_VIEWER (widget);
  int delta = g_str_equal (action_name, "viewer.next") ? 1 : -1;

  easel_image_viewer_step (self, delta);
}

/* The arrow keys follow the reading direction. */
static void
arrow_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  EaselImageViewer *self = EASEL_IMAGE_VIEWER (widget);
  int delta = g_variant_get_int32 (parameter);

  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    delta = -delta;
  easel_image_viewer_step (self, delta);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals[CLOSE], 0);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EaselImageViewer *self = EASEL_IMAGE_VIEWER (widget);

  if (g_str_equal (action_name, "viewer.zoom-in"))
    easel_image_canvas_zoom_in (self->canvas);
  else if (g_str_equal (action_name, "viewer.zoom-out"))
    easel_image_canvas_zoom_out (self->canvas);
  else if (g_str_equal (action_name, "viewer.zoom-fit"))
    easel_image_canvas_set_fit (self->canvas, TRUE);
  else
    easel_image_canvas_set_fit (self->canvas, !easel_image_canvas_get_fit (self->canvas));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EaselImageViewer *self = EASEL_IMAGE_VIEWER (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);

  if (self->texture != NULL)
    gdk_clipboard_set_texture (clipboard, self->texture);
  else if (self->image != NULL && easel_image_get_path (self->image) != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (easel_image_get_path (self->image));

      gdk_clipboard_set (clipboard, G_TYPE_FILE, file);
    }
  else
    return;

  easel_widget_show_toast (widget, _("Image copied"));
}

/* A file name from the first words of the prompt, "easel-<hash>" without. */
static char *
suggest_name (EaselImage *image)
{
  const char *prompt = easel_image_get_prompt (image);
  const char *path = easel_image_get_path (image);
  const char *dot = path ? strrchr (path, '.') : NULL;
  g_autoptr(GString) name = g_string_new (NULL);
  guint words = 0;
  gboolean gap = FALSE;

  for (const char *p = prompt; p != NULL && *p != '\0' && words < 8 && name->len < 60; p++)
    {
      if (g_ascii_isalnum (*p))
        {
          if (gap && name->len > 0)
            {
              g_string_append_c (name, '-');
              words++;
            }
          g_string_append_c (name, g_ascii_tolower (*p));
          gap = FALSE;
        }
      else
        gap = TRUE;
    }

  if (name->len == 0)
    {
      const char *hash = easel_gallery_model_get_image_hash (image);

      g_string_printf (name, "easel-%.12s", hash ? hash : "image");
    }
  if (dot != NULL && strchr (dot, '/') == NULL)
    g_string_append (name, dot);
  return g_string_free (g_steal_pointer (&name), FALSE);
}

static void
copied_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(EaselImageViewer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!g_file_copy_finish (G_FILE (object), result, &error))
    {
      /* Translators: %s says why */
      message = g_strdup_printf (_("Cannot save the image: %s"), error->message);
      easel_widget_show_toast (GTK_WIDGET (self), message);
      return;
    }

  easel_widget_show_toast (GTK_WIDGET (self), _("Image saved"));
}

static void
chooser_response_cb (EaselImageViewer     *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) destination = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GtkFileChooserNative) owned = g_steal_pointer (&self->chooser);

  if (response != GTK_RESPONSE_ACCEPT || self->image == NULL)
    return;

  destination = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  source = g_file_new_for_path (easel_image_get_path (self->image));
  /* Off the main loop: GIO copies on its worker threads. */
  g_file_copy_async (source, destination, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT,
                     NULL, NULL, NULL, copied_cb, g_object_ref (self));
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  EaselImageViewer *self = EASEL_IMAGE_VIEWER (widget);
  g_autofree char *name = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->image == NULL || easel_image_get_path (self->image) == NULL || self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Save Image"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  name = suggest_name (self->image);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
easel_image_viewer_dispose (GObject *object)
{
  EaselImageViewer *self = EASEL_IMAGE_VIEWER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->image != NULL)
    g_clear_signal_handler (&self->path_handler, self->image);
  g_clear_object (&self->image);
  if (self->model != NULL)
    g_clear_signal_handler (&self->items_changed_handler, self->model);
  g_clear_object (&self->model);
  g_clear_object (&self->texture);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), EASEL_TYPE_IMAGE_VIEWER);

  G_OBJECT_CLASS (easel_image_viewer_parent_class)->dispose (object);
}

static void
easel_image_viewer_class_init (EaselImageViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const guint zoom_in_keys[] = { GDK_KEY_plus, GDK_KEY_equal, GDK_KEY_KP_Add };
  const guint zoom_out_keys[] = { GDK_KEY_minus, GDK_KEY_KP_Subtract };

  object_class->dispose = easel_image_viewer_dispose;

  /**
   * EaselImageViewer::close:
   * @self: the viewer
   *
   * Emitted when the user goes back to the gallery.
   */
  signals[CLOSE] =
    g_signal_new ("close",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (EASEL_TYPE_IMAGE_CANVAS);
  g_type_ensure (EASEL_TYPE_IMAGE_DETAILS);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-image-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, EaselImageViewer, title);
  gtk_widget_class_bind_template_child (widget_class, EaselImageViewer, media_stack);
  gtk_widget_class_bind_template_child (widget_class, EaselImageViewer, spinner);
  gtk_widget_class_bind_template_child (widget_class, EaselImageViewer, canvas);
  gtk_widget_class_bind_template_child (widget_class, EaselImageViewer, video);
  gtk_widget_class_bind_template_child (widget_class, EaselImageViewer, error_page);
  gtk_widget_class_bind_template_child (widget_class, EaselImageViewer, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, EaselImageViewer, zoom_box);
  gtk_widget_class_bind_template_child (widget_class, EaselImageViewer, flap);
  gtk_widget_class_bind_template_child (widget_class, EaselImageViewer, details);
  gtk_widget_class_bind_template_callback (widget_class, zoom_changed_cb);

  gtk_widget_class_install_action (widget_class, "viewer.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "viewer.previous", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "viewer.next", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "viewer.arrow", "i", arrow_action);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-toggle", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "viewer.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "viewer.save-as", NULL, save_as_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "viewer.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "viewer.arrow", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "viewer.arrow", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "viewer.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "viewer.next", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (zoom_in_keys); i++)
    {
      gtk_widget_class_add_binding_action (widget_class, zoom_in_keys[i], 0, "viewer.zoom-in", NULL);
      gtk_widget_class_add_binding_action (widget_class, zoom_in_keys[i], GDK_CONTROL_MASK,
                                           "viewer.zoom-in", NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (zoom_out_keys); i++)
    {
      gtk_widget_class_add_binding_action (widget_class, zoom_out_keys[i], 0, "viewer.zoom-out", NULL);
      gtk_widget_class_add_binding_action (widget_class, zoom_out_keys[i], GDK_CONTROL_MASK,
                                           "viewer.zoom-out", NULL);
    }
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "viewer.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "viewer.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "viewer.save-as", NULL);
}

static void
easel_image_viewer_init (EaselImageViewer *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_title (self);
  update_zoom (self);
}
