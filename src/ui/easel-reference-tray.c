/* easel-reference-tray.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The reference images of the job being written, as a row of removable
 * thumbnails, each with its role (a drop-down when the provider has
 * several). Images arrive by drag and drop — files from a file manager,
 * addresses from a browser, thumbnails from Easel's own gallery (a
 * GdkFileList of the originals) — or through "Add Image…" and a pasted
 * address.
 *
 * Files are checked and kept by EaselReference on a worker thread, and
 * their thumbnails decoded on another (scaled down while decoding, by the
 * type sniffed from the content, not by the shared MIME database), so a
 * 10 MB drop never stalls typing. While any is being checked the tray is
 * busy. A refused image does not appear: a message under the tray says
 * why (too large, and how large; not an image; an address that cannot be
 * used) until it is dismissed or the next drop.
 *
 * The tray is valid when every reference has a role that can take it: a
 * local file in a role that needs an address (Midjourney's image prompt,
 * --sref, --oref) or more images than a role takes make it invalid, and
 * a line under the tray says what to do instead. */

#include "config.h"

#include "easel-reference-tray.h"

#include <glib/gi18n.h>

#include "easel-media-check.h"

/* The thumbnails are the middle square of the image, drawn 80 pixels
 * wide: decoded so the square has enough pixels for a scale of 2 in most
 * shapes. */
#define THUMBNAIL_SIDE 80
#define THUMBNAIL_DECODE_SIDE 320

struct _EaselReferenceTray
{
  AdwBin                parent_instance;

  GtkStack             *stack;
  GtkFlowBox           *flow_box;
  GtkRevealer          *message_revealer;
  GtkLabel             *message_label;
  GtkLabel             *problem_label;
  GtkWidget            *url_button;
  GtkPopover           *url_popover;
  GtkEntry             *url_entry;
  GtkLabel             *url_error;

  GPtrArray            *roles;      /* EaselReferenceRole */
  GPtrArray            *items;      /* Item, in the order they were added */
  GString              *message;
  char                 *problem;
  GtkFileChooserNative *chooser;
  gboolean              assigning;  /* roles are being picked: one "changed" at the end */
  gboolean              valid;
  gboolean              busy;
};

typedef struct
{
  EaselReferenceTray *tray;         /* borrowed: the tray owns the item */
  EaselReference     *reference;    /* NULL while the file is checked */
  char               *name;
  GCancellable       *cancellable;
  GtkWidget          *widget;       /* the item's box, in the flow box */
  GtkWidget          *frame;        /* holds the thumbnail, icon or spinner */
  GtkWidget          *role_box;
  GtkDropDown        *dropdown;
  gboolean            updating;     /* the drop-down is being refilled */
} Item;

enum {
  PROP_0,
  PROP_VALID,
  PROP_BUSY,
  PROP_MESSAGE,
  PROP_PROBLEM,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (EaselReferenceTray, easel_reference_tray, ADW_TYPE_BIN)

static void update_state (EaselReferenceTray *self);

/* Messages */

static void
append_message (EaselReferenceTray *self,
                const char         *text)
{
  if (self->message->len > 0)
    g_string_append_c (self->message, '\n');
  g_string_append (self->message, text);
  gtk_label_set_text (self->message_label, self->message->str);
  gtk_revealer_set_reveal_child (self->message_revealer, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
clear_message (EaselReferenceTray *self)
{
  if (self->message->len == 0)
    return;
  g_string_truncate (self->message, 0);
  gtk_revealer_set_reveal_child (self->message_revealer, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
dismiss_clicked_cb (EaselReferenceTray *self)
{
  clear_message (self);
}

/* Roles */

static const EaselReferenceRole *
find_role (EaselReferenceTray *self,
           const char         *id)
{
  for (guint i = 0; id != NULL && i < self->roles->len; i++)
    {
      const EaselReferenceRole *role = g_ptr_array_index (self->roles, i);

      if (g_str_equal (role->id, id))
        return role;
    }
  return NULL;
}

static guint
count_in_role (EaselReferenceTray *self,
               const char         *id,
               Item               *except)
{
  guint n = 0;

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item != except && item->reference != NULL &&
          g_strcmp0 (easel_reference_get_role (item->reference), id) == 0)
        n++;
    }
  return n;
}

/* The first role with room that can take @item, else the first with
 * room, else the first: a tray that cannot hold it says why. */
static const char *
pick_role (EaselReferenceTray *self,
           Item               *item)
{
  gboolean local = easel_reference_get_source (item->reference) == EASEL_REFERENCE_FILE;

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->roles->len; i++)
      {
        const EaselReferenceRole *role = g_ptr_array_index (self->roles, i);

        if (pass == 0 && local && !role->local_files)
          continue;
        if (role->max > 0 && count_in_role (self, role->id, item) >= (guint) role->max)
          continue;
        return role->id;
      }

  if (self->roles->len > 0)
    return ((EaselReferenceRole *) g_ptr_array_index (self->roles, 0))->id;
  return NULL;
}

static void
dropdown_selected_cb (GtkDropDown *dropdown,
                      GParamSpec  *pspec,
                      Item        *item)
{
  EaselReferenceTray *self = item->tray;
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (item->updating || selected >= self->roles->len)
    return;

  /* role_changed_cb() does the rest. */
  easel_reference_set_role (item->reference,
                            ((EaselReferenceRole *) g_ptr_array_index (self->roles, selected))->id);
}

/* The role under the thumbnail: a drop-down when there is a choice. */
static void
fill_role_box (Item *item)
{
  EaselReferenceTray *self = item->tray;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (item->role_box)) != NULL)
    gtk_box_remove (GTK_BOX (item->role_box), child);
  item->dropdown = NULL;

  if (item->reference == NULL)
    return;

  if (self->roles->len > 1)
    {
      g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
      g_autofree char *label = NULL;
      guint selected = GTK_INVALID_LIST_POSITION;

      for (guint i = 0; i < self->roles->len; i++)
        {
          const EaselReferenceRole *role = g_ptr_array_index (self->roles, i);

          gtk_string_list_append (titles, role->title);
          if (g_strcmp0 (role->id, easel_reference_get_role (item->reference)) == 0)
            selected = i;
        }

      item->updating = TRUE;
      item->dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&titles)), NULL));
      gtk_drop_down_set_selected (item->dropdown, selected);
      item->updating = FALSE;
      gtk_widget_add_css_class (GTK_WIDGET (item->dropdown), "flat");
      /* Translators: %s is the name of an image, such as photo.png */
      label = g_strdup_printf (_("Role of “%s”"), item->name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (item->dropdown),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_widget_set_tooltip_text (GTK_WIDGET (item->dropdown), _("What the image is used for"));
      g_signal_connect (item->dropdown, "notify::selected", G_CALLBACK (dropdown_selected_cb), item);
      gtk_box_append (GTK_BOX (item->role_box), GTK_WIDGET (item->dropdown));
    }
  else
    {
      const EaselReferenceRole *role = find_role (self, easel_reference_get_role (item->reference));
      GtkWidget *label = gtk_label_new (role != NULL ? role->title : _("Not used"));

      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 12);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (item->role_box), label);
    }
}

/* A role set from the drop-down or by the editor (easel_reference_set_role()). */
static void
role_changed_cb (EaselReference *reference,
                 GParamSpec     *pspec,
                 Item           *item)
{
  EaselReferenceTray *self = item->tray;

  if (self->assigning)
    return;
  fill_role_box (item);
  update_state (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* State */

static void
set_problem (EaselReferenceTray *self,
             char               *problem)   /* (transfer full) */
{
  if (g_strcmp0 (self->problem, problem) == 0)
    {
      g_free (problem);
      return;
    }
  g_free (self->problem);
  self->problem = problem;
  gtk_label_set_text (self->problem_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

/* Why @item cannot be sent as it is, or %NULL. */
static char *
dup_item_problem (EaselReferenceTray *self,
                  Item               *item)
{
  const EaselReferenceRole *role;

  if (self->roles->len == 0)
    return g_strdup (_("This model takes no reference images: choose a model with an image "
                       "input, or remove them."));

  role = find_role (self, easel_reference_get_role (item->reference));
  if (role == NULL)
    /* Translators: %s is the name of an image, such as photo.png */
    return g_strdup_printf (_("Choose what “%s” is used for."), item->name);

  if (easel_reference_get_source (item->reference) == EASEL_REFERENCE_FILE && !role->local_files)
    /* Translators: %s is a role such as “Style (--sref)”. Easel has no
     * Blend or Describe in its editor, so this offers only what works. */
    return g_strdup_printf (_("Midjourney cannot use files from this computer: %s needs the "
                              "public web address of an image. Remove the file and use Add Link… "
                              "instead."),
                            role->title);

  if (role->max > 0 && count_in_role (self, role->id, NULL) > (guint) role->max)
    return g_strdup_printf (ngettext ("%s takes only %d image.", "%s takes only %d images.", role->max),
                            role->title, role->max);

  return NULL;
}

static void
update_state (EaselReferenceTray *self)
{
  g_autofree char *problem = NULL;
  gboolean busy = FALSE;
  gboolean valid;

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      g_autofree char *item_problem = NULL;

      if (item->reference == NULL)
        {
          busy = TRUE;
          continue;
        }

      item_problem = dup_item_problem (self, item);
      if (item_problem != NULL)
        {
          gtk_widget_add_css_class (item->widget, "error");
          gtk_widget_set_tooltip_text (item->frame, item_problem);
          if (problem == NULL)
            problem = g_steal_pointer (&item_problem);
        }
      else
        {
          gtk_widget_remove_css_class (item->widget, "error");
          gtk_widget_set_tooltip_text (item->frame, item->name);
        }
    }

  valid = problem == NULL;
  set_problem (self, g_steal_pointer (&problem));
  gtk_stack_set_visible_child_name (self->stack, self->items->len > 0 ? "items" : "empty");

  if (self->valid != valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }
  if (self->busy != busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

/* Items */

static void
item_free (Item *item)
{
  if (item->reference != NULL)
    g_signal_handlers_disconnect_by_data (item->reference, item);
  g_cancellable_cancel (item->cancellable);
  g_clear_object (&item->cancellable);
  g_clear_object (&item->reference);
  g_free (item->name);
  g_free (item);
}

static Item *
find_item_by_cancellable (EaselReferenceTray *self,
                          GCancellable       *cancellable)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->cancellable == cancellable)
        return item;
    }
  return NULL;
}

static void
set_frame_child (Item      *item,
                 GtkWidget *child)
{
  gtk_center_box_set_center_widget (GTK_CENTER_BOX (item->frame), child);
}

static void
remove_item (EaselReferenceTray *self,
             Item               *item)
{
  gtk_flow_box_remove (self->flow_box, item->widget);
  g_ptr_array_remove (self->items, item);
}

static void
remove_clicked_cb (GtkButton *button,
                   Item      *item)
{
  EaselReferenceTray *self = item->tray;
  gboolean loaded = item->reference != NULL;

  remove_item (self, item);
  update_state (self);
  if (loaded)
    g_signal_emit (self, signals[CHANGED], 0);
}

static Item *
add_item (EaselReferenceTray *self,
          const char         *name)
{
  Item *item = g_new0 (Item, 1);
  GtkWidget *overlay, *remove, *label;
  g_autofree char *remove_label = NULL;

  item->tray = self;
  item->name = g_strdup (name);
  item->cancellable = g_cancellable_new ();

  item->widget = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  gtk_widget_add_css_class (item->widget, "easel-reference-item");

  overlay = gtk_overlay_new ();
  gtk_widget_set_halign (overlay, GTK_ALIGN_CENTER);
  item->frame = gtk_center_box_new ();
  gtk_widget_set_size_request (item->frame, THUMBNAIL_SIDE, THUMBNAIL_SIDE);
  gtk_widget_set_overflow (item->frame, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (item->frame, "easel-reference-thumbnail");
  gtk_widget_set_tooltip_text (item->frame, name);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), item->frame);

  remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_halign (remove, GTK_ALIGN_END);
  gtk_widget_set_valign (remove, GTK_ALIGN_START);
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_add_css_class (remove, "osd");
  gtk_widget_add_css_class (remove, "easel-reference-remove");
  /* Translators: %s is the name of an image, such as photo.png */
  remove_label = g_strdup_printf (_("Remove “%s”"), name);
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), item);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), remove);
  gtk_box_append (GTK_BOX (item->widget), overlay);

  label = gtk_label_new (name);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 12);
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (item->widget), label);

  item->role_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_halign (item->role_box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (item->widget), item->role_box);

  gtk_flow_box_append (self->flow_box, item->widget);
  g_ptr_array_add (self->items, item);
  return item;
}

/* Takes @reference into @item, once it has passed every check. */
static void
item_set_reference (Item           *item,
                    EaselReference *reference)
{
  EaselReferenceTray *self = item->tray;

  item->reference = g_object_ref (reference);
  self->assigning = TRUE;
  easel_reference_set_role (reference, pick_role (self, item));
  self->assigning = FALSE;
  fill_role_box (item);
  g_signal_connect (reference, "notify::role", G_CALLBACK (role_changed_cb), item);
}

static gboolean
is_duplicate (EaselReferenceTray *self,
              EaselReference     *reference)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->reference == NULL || item->reference == reference)
        continue;
      if ((easel_reference_get_hash (reference) != NULL &&
           g_strcmp0 (easel_reference_get_hash (item->reference), easel_reference_get_hash (reference)) == 0) ||
          (easel_reference_get_url (reference) != NULL &&
           g_strcmp0 (easel_reference_get_url (item->reference), easel_reference_get_url (reference)) == 0))
        return TRUE;
    }
  return FALSE;
}

static void
refuse_duplicate (EaselReferenceTray *self,
                  EaselReference     *reference)
{
  g_autofree char *text = NULL;

  /* Translators: %s is the name of an image, such as photo.png */
  text = g_strdup_printf (_("“%s” is already among the reference images"),
                          easel_reference_get_name (reference));
  append_message (self, text);
}

/* Thumbnails: decoded on a worker thread by the sniffed type, scaled down
 * while decoding. */

static void
thumbnail_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  EaselReference *reference = task_data;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GdkPixbuf) square = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  GError *error = NULL;
  gsize length;
  int width, height, side;

  if (!g_file_load_contents (easel_reference_get_file (reference), cancellable,
                             &contents, &length, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  loader = easel_media_decode (bytes, easel_reference_get_mime (reference), THUMBNAIL_DECODE_SIDE, &error);
  if (loader == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The middle square, so every thumbnail has the same shape. */
  oriented = gdk_pixbuf_apply_embedded_orientation (gdk_pixbuf_loader_get_pixbuf (loader));
  width = gdk_pixbuf_get_width (oriented);
  height = gdk_pixbuf_get_height (oriented);
  side = MIN (width, height);
  square = gdk_pixbuf_new_subpixbuf (oriented, (width - side) / 2, (height - side) / 2, side, side);
  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (square), g_object_unref);
}

static void
thumbnail_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(EaselReferenceTray) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *picture;
  Item *item;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      (item = find_item_by_cancellable (self, g_task_get_cancellable (G_TASK (result)))) == NULL)
    return;

  if (texture == NULL)
    {
      /* The image passed its checks: only its preview is missing. */
      g_debug ("No thumbnail for %s: %s", item->name, error->message);
      set_frame_child (item, gtk_image_new_from_icon_name ("image-x-generic-symbolic"));
      return;
    }

  picture = gtk_image_new_from_paintable (GDK_PAINTABLE (texture));
  gtk_image_set_pixel_size (GTK_IMAGE (picture), THUMBNAIL_SIDE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, item->name, -1);
  set_frame_child (item, picture);
}

static void
load_thumbnail (EaselReferenceTray *self,
                Item               *item)
{
  g_autoptr(GTask) task = g_task_new (NULL, item->cancellable, thumbnail_cb, g_object_ref (self));

  g_task_set_source_tag (task, load_thumbnail);
  g_task_set_task_data (task, g_object_ref (item->reference), g_object_unref);
  g_task_run_in_thread (task, thumbnail_thread);
}

static void
reference_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(EaselReferenceTray) self = user_data;
  g_autoptr(EaselReference) reference = NULL;
  g_autoptr(GError) error = NULL;
  Item *item;

  reference = easel_reference_new_from_file_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      (item = find_item_by_cancellable (self, g_task_get_cancellable (G_TASK (result)))) == NULL)
    return;   /* removed, cleared or disposed meanwhile */

  if (reference == NULL)
    {
      remove_item (self, item);
      append_message (self, error->message);
      update_state (self);
      return;
    }

  if (is_duplicate (self, reference))
    {
      remove_item (self, item);
      refuse_duplicate (self, reference);
      update_state (self);
      return;
    }

  item_set_reference (item, reference);
  load_thumbnail (self, item);
  update_state (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Adding */

/**
 * easel_reference_tray_add_file:
 * @self: a tray
 * @file: a local image file
 *
 * Checks @file on a worker thread (see EaselReference) and shows it as
 * soon as it passes, with a role picked for it; or says why it was
 * refused. The tray is busy meanwhile.
 */
void
easel_reference_tray_add_file (EaselReferenceTray *self,
                               GFile              *file)
{
  g_autofree char *name = NULL;
  Item *item;

  g_return_if_fail (EASEL_IS_REFERENCE_TRAY (self));
  g_return_if_fail (G_IS_FILE (file));

  name = g_file_get_basename (file);
  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    {
      g_free (name);
      name = g_file_get_parse_name (file);
    }

  item = add_item (self, name);
  set_frame_child (item, g_object_new (GTK_TYPE_SPINNER,
                                       "spinning", TRUE,
                                       "width-request", 24,
                                       "height-request", 24,
                                       NULL));
  easel_reference_new_from_file_async (file, item->cancellable, reference_loaded_cb, g_object_ref (self));
  update_state (self);
}

/* Adds @url, or says why it cannot be used. */
static gboolean
try_add_url (EaselReferenceTray  *self,
             const char          *url,
             GError             **error)
{
  g_autoptr(EaselReference) reference = NULL;
  GtkWidget *icon;
  Item *item;

  reference = easel_reference_new_from_url (url, error);
  if (reference == NULL)
    return FALSE;

  if (is_duplicate (self, reference))
    {
      refuse_duplicate (self, reference);
      return TRUE;
    }

  item = add_item (self, easel_reference_get_name (reference));
  icon = gtk_image_new_from_icon_name ("web-browser-symbolic");
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
  gtk_widget_add_css_class (icon, "dim-label");
  set_frame_child (item, icon);
  gtk_widget_set_tooltip_text (item->frame, easel_reference_get_url (reference));
  item_set_reference (item, reference);
  update_state (self);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/**
 * easel_reference_tray_add_url:
 * @self: a tray
 * @url: the address of an image, as pasted or dropped
 *
 * Shows @url as a reference, with a role picked for it, or says why it
 * cannot be used (see easel_reference_new_from_url()). Nothing is fetched:
 * the provider fetches it.
 */
void
easel_reference_tray_add_url (EaselReferenceTray *self,
                              const char         *url)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (EASEL_IS_REFERENCE_TRAY (self));
  g_return_if_fail (url != NULL);

  if (!try_add_url (self, url, &error))
    append_message (self, error->message);
}

/* A file from a drop: local files are checked, web addresses (a browser's
 * text/uri-list becomes GFiles too) are taken as addresses. */
static void
add_dropped_file (EaselReferenceTray *self,
                  GFile              *file)
{
  g_autofree char *uri = NULL;
  g_autofree char *text = NULL;

  if (g_file_is_native (file))
    {
      easel_reference_tray_add_file (self, file);
      return;
    }

  uri = g_file_get_uri (file);
  if (g_file_has_uri_scheme (file, "https") || g_file_has_uri_scheme (file, "http"))
    {
      easel_reference_tray_add_url (self, uri);
      return;
    }

  /* Translators: %s is an address such as sftp://host/photo.png */
  text = g_strdup_printf (_("“%s” cannot be used: only files on this computer and addresses "
                            "of images on the web can be"), uri);
  append_message (self, text);
}

/* Dropped text: a text/uri-list (comments start with "#") or addresses,
 * one a line. */
static void
add_dropped_text (EaselReferenceTray *self,
                  const char         *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean any = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (line[0] == '\0' || line[0] == '#')
        continue;
      any = TRUE;
      if (g_ascii_strncasecmp (line, "file://", 7) == 0)
        {
          g_autoptr(GFile) file = g_file_new_for_uri (line);

          add_dropped_file (self, file);
        }
      else
        easel_reference_tray_add_url (self, line);
    }

  if (!any)
    append_message (self, _("The dropped text holds no image address"));
}

static gboolean
drop_cb (GtkDropTarget      *target,
         const GValue       *value,
         double              x,
         double              y,
         EaselReferenceTray *self)
{
  /* Each drop starts afresh: the message is about this one. */
  clear_message (self);

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));

      if (files == NULL)
        return FALSE;
      for (GSList *l = files; l != NULL; l = l->next)
        add_dropped_file (self, l->data);
      g_slist_free (files);
      return TRUE;
    }

  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    {
      add_dropped_file (self, g_value_get_object (value));
      return TRUE;
    }

  if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) != NULL)
    {
      add_dropped_text (self, g_value_get_string (value));
      return TRUE;
    }

  return FALSE;
}

/**
 * easel_reference_tray_create_drop_target:
 * @self: a tray
 *
 * Makes a drop target that adds what is dropped on it to @self, exactly as
 * dropping on the tray does: files (a GdkFileList, as file managers and
 * Easel's gallery offer, or one GFile), and addresses from a browser
 * (text/uri-list or plain text). Add it to a larger widget, such as the
 * whole editor pane, to accept drops there. It does nothing once @self is
 * finalized.
 *
 * Returns: (transfer full): a new drop target, for gtk_widget_add_controller()
 */
GtkDropTarget *
easel_reference_tray_create_drop_target (EaselReferenceTray *self)
{
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE, G_TYPE_STRING };
  GtkDropTarget *target;

  g_return_val_if_fail (EASEL_IS_REFERENCE_TRAY (self), NULL);

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, 0);
  return target;
}

/* Add Image… and the address popover */

static void
chooser_response_cb (GtkNativeDialog    *dialog,
                     int                 response,
                     EaselReferenceTray *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      clear_message (self);
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);

          easel_reference_tray_add_file (self, file);
        }
    }

  g_clear_object (&self->chooser);
}

static void
add_file_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  EaselReferenceTray *self = EASEL_REFERENCE_TRAY (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }

  self->chooser = gtk_file_chooser_native_new (_("Add Reference Images"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  /* Only a hint for the chooser: every file is judged by its content. */
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/webp");
  gtk_file_filter_add_mime_type (filter, "image/gif");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
url_popover_show_cb (EaselReferenceTray *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->url_error), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
}

static void
url_entry_activate_cb (EaselReferenceTray *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->url_entry));
  g_autoptr(GError) error = NULL;

  /* The error stays beside the entry, so the address can be fixed. */
  clear_message (self);
  if (!try_add_url (self, text, &error))
    {
      gtk_label_set_text (self->url_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->url_error), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->url_entry), "error");
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->url_entry), "error");
  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), "");
  gtk_popover_popdown (self->url_popover);
}

/* Public API */

/**
 * easel_reference_tray_new:
 *
 * Returns: (transfer floating): an empty tray with no roles
 */
GtkWidget *
easel_reference_tray_new (void)
{
  return g_object_new (EASEL_TYPE_REFERENCE_TRAY, NULL);
}

/**
 * easel_reference_tray_set_roles:
 * @self: a tray
 * @roles: (nullable) (element-type EaselReferenceRole): what references
 *   can be used for with the current provider and model, from
 *   easel_reference_roles(); %NULL or empty when it takes none
 *
 * Sets the roles (copied). References keep their role where the new
 * roles have it; the others get one picked anew.
 */
void
easel_reference_tray_set_roles (EaselReferenceTray *self,
                                GPtrArray          *roles)
{
  gboolean changed = FALSE;

  g_return_if_fail (EASEL_IS_REFERENCE_TRAY (self));

  self->assigning = TRUE;
  g_ptr_array_set_size (self->roles, 0);
  for (guint i = 0; roles != NULL && i < roles->len; i++)
    g_ptr_array_add (self->roles, easel_reference_role_copy (g_ptr_array_index (roles, i)));

  /* First clear the roles that are gone, so that picking anew sees only
   * the references that keep theirs. */
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->reference != NULL && find_role (self, easel_reference_get_role (item->reference)) == NULL &&
          easel_reference_get_role (item->reference) != NULL)
        {
          easel_reference_set_role (item->reference, NULL);
          changed = TRUE;
        }
    }
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->reference == NULL)
        continue;
      if (easel_reference_get_role (item->reference) == NULL)
        {
          easel_reference_set_role (item->reference, pick_role (self, item));
          changed |= easel_reference_get_role (item->reference) != NULL;
        }
      fill_role_box (item);
    }
  self->assigning = FALSE;

  update_state (self);
  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * easel_reference_tray_get_references:
 * @self: a tray
 *
 * The references that passed their checks, each with its role (see
 * easel_reference_get_role()); files still being checked are not among
 * them (see easel_reference_tray_is_busy()). For a job spec, call
 * easel_job_spec_add_reference() with each one's role, hash and address.
 *
 * Returns: (transfer full) (element-type EaselReference): the references,
 *   in the order they were added
 */
GPtrArray *
easel_reference_tray_get_references (EaselReferenceTray *self)
{
  GPtrArray *references = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (EASEL_IS_REFERENCE_TRAY (self), references);

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->reference != NULL)
        g_ptr_array_add (references, g_object_ref (item->reference));
    }
  return references;
}

/**
 * easel_reference_tray_clear:
 * @self: a tray
 *
 * Removes every reference, stops the checks still running, and hides the
 * message. The roles stay.
 */
void
easel_reference_tray_clear (EaselReferenceTray *self)
{
  gboolean had_references = FALSE;

  g_return_if_fail (EASEL_IS_REFERENCE_TRAY (self));

  while (self->items->len > 0)
    {
      Item *item = g_ptr_array_index (self->items, self->items->len - 1);

      had_references |= item->reference != NULL;
      remove_item (self, item);
    }
  clear_message (self);
  update_state (self);
  if (had_references)
    g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * easel_reference_tray_is_busy:
 * @self: a tray
 *
 * Returns: whether files are still being checked (a job should wait for them)
 */
gboolean
easel_reference_tray_is_busy (EaselReferenceTray *self)
{
  g_return_val_if_fail (EASEL_IS_REFERENCE_TRAY (self), FALSE);

  return self->busy;
}

/**
 * easel_reference_tray_get_valid:
 * @self: a tray
 *
 * Returns: whether every reference has a role that can take it (see
 *   #EaselReferenceTray:valid)
 */
gboolean
easel_reference_tray_get_valid (EaselReferenceTray *self)
{
  g_return_val_if_fail (EASEL_IS_REFERENCE_TRAY (self), FALSE);

  return self->valid;
}

/**
 * easel_reference_tray_get_message:
 * @self: a tray
 *
 * Returns: (nullable): why the images dropped or added last were refused,
 *   one line each, or %NULL
 */
const char *
easel_reference_tray_get_message (EaselReferenceTray *self)
{
  g_return_val_if_fail (EASEL_IS_REFERENCE_TRAY (self), NULL);

  return self->message->len > 0 ? self->message->str : NULL;
}

/**
 * easel_reference_tray_get_problem:
 * @self: a tray
 *
 * Returns: (nullable): why the tray is not valid and what to do instead,
 *   or %NULL when it is valid
 */
const char *
easel_reference_tray_get_problem (EaselReferenceTray *self)
{
  g_return_val_if_fail (EASEL_IS_REFERENCE_TRAY (self), NULL);

  return self->problem;
}

/* GObject */

static void
easel_reference_tray_dispose (GObject *object)
{
  EaselReferenceTray *self = EASEL_REFERENCE_TRAY (object);

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (object), EASEL_TYPE_REFERENCE_TRAY);
  /* Cancels the checks and thumbnails still running; their widgets, which
   * point at them, went with the template. */
  g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (easel_reference_tray_parent_class)->dispose (object);
}

static void
easel_reference_tray_finalize (GObject *object)
{
  EaselReferenceTray *self = EASEL_REFERENCE_TRAY (object);

  g_ptr_array_unref (self->items);
  g_ptr_array_unref (self->roles);
  g_string_free (self->message, TRUE);
  g_free (self->problem);

  G_OBJECT_CLASS (easel_reference_tray_parent_class)->finalize (object);
}

static void
easel_reference_tray_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  EaselReferenceTray *self = EASEL_REFERENCE_TRAY (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, easel_reference_tray_get_message (self));
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_reference_tray_class_init (EaselReferenceTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = easel_reference_tray_dispose;
  object_class->finalize = easel_reference_tray_finalize;
  object_class->get_property = easel_reference_tray_get_property;

  /**
   * EaselReferenceTray:valid:
   *
   * Whether every reference has a role that can take it: %FALSE while a
   * reference has no role, a local file sits in a role that needs an
   * address, or a role holds more images than it takes.
   */
  properties[PROP_VALID] = g_param_spec_boolean ("valid", NULL, NULL, TRUE, flags);

  /**
   * EaselReferenceTray:busy:
   *
   * Whether files are still being checked.
   */
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, flags);

  /**
   * EaselReferenceTray:message:
   *
   * Why the images dropped or added last were refused, or %NULL.
   */
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, flags);

  /**
   * EaselReferenceTray:problem:
   *
   * Why the tray is not valid, or %NULL.
   */
  properties[PROP_PROBLEM] = g_param_spec_string ("problem", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EaselReferenceTray::changed:
   *
   * The references or their roles changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-reference-tray.ui");
  gtk_widget_class_bind_template_child (widget_class, EaselReferenceTray, stack);
  gtk_widget_class_bind_template_child (widget_class, EaselReferenceTray, flow_box);
  gtk_widget_class_bind_template_child (widget_class, EaselReferenceTray, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, EaselReferenceTray, message_label);
  gtk_widget_class_bind_template_child (widget_class, EaselReferenceTray, problem_label);
  gtk_widget_class_bind_template_child (widget_class, EaselReferenceTray, url_button);
  gtk_widget_class_bind_template_child (widget_class, EaselReferenceTray, url_popover);
  gtk_widget_class_bind_template_child (widget_class, EaselReferenceTray, url_entry);
  gtk_widget_class_bind_template_child (widget_class, EaselReferenceTray, url_error);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "references.add-file", NULL, add_file_action);
}

static void
easel_reference_tray_init (EaselReferenceTray *self)
{
  self->roles = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_reference_role_free);
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  self->message = g_string_new (NULL);
  self->valid = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_add_controller (GTK_WIDGET (self),
                             GTK_EVENT_CONTROLLER (easel_reference_tray_create_drop_target (self)));
}
