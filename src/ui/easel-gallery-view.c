/* easel-gallery-view.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The gallery of every image ever generated: a toolbar with the search
 * entry (the library's query language), filters, sort and thumbnail size;
 * a grid of thumbnails over the paged gallery model, with keyboard and
 * rubber-band selection; an action bar for what the selection can do; and
 * the full-size viewer, which takes the gallery's place while it is open.
 *
 * What the user does to images (rate, favourite, tag, trash) goes through
 * the gallery.* actions. They act on the image in the viewer while it is
 * open, else on the selection. A selection may reach pages the model never
 * loaded (Ctrl+A on 100,000 images): their hashes are collected first, so
 * that the library can edit them and the model, which then knows where
 * they were, can update its items precisely.
 *
 * The gallery shows a spinner while the first count runs, "No Images Yet"
 * when the library is empty, and "No Results" when a search or a filter
 * matches nothing. A query that does not parse keeps the last results and
 * says what is wrong under the entry. */

#include "config.h"

#include "easel-gallery-view.h"

#include <glib/gi18n.h>

#include "easel-file-content.h"
#include "easel-gallery-item.h"
#include "easel-gallery-model.h"
#include "easel-image-viewer.h"
#include "easel-provider-registry.h"
#include "easel-thumbnail-cache.h"
#include "easel-ui-util.h"

#define TEXTURES_CACHED 192

static const int thumbnail_sizes[] = { 96, 128, 160, 200, 256, 320, 400 };
#define DEFAULT_THUMBNAIL_SIZE 160
#define CELL_PADDING 6      /* the grid cell's padding, style.css */
#define MAX_COLUMNS 64

struct _EaselGalleryView
{
  AdwBin               parent_instance;

  EaselLibrary        *library;
  EaselThumbnailCache *thumbnails;
  EaselJobQueue       *queue;
  EaselGalleryModel   *model;
  GtkMultiSelection   *selection;
  GCancellable        *cancellable;
  int                  thumbnail_size;
  EaselSort            sort;
  char                *summary;
  GStrv                undo_hashes;
  GPtrArray           *provider_ids;
  gboolean             query_active;   /* a search or filter narrows the results */
  gboolean             scroll_to_top;  /* new results: show them from the start */
  guint                scroll_idle;
  guint                columns_idle;
  char                *query_text;     /* what the results are for */

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  GtkStack            *view_stack;
  GtkSearchEntry      *search_entry;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  GtkRevealer         *chips_revealer;
  GtkBox              *chips_box;
  GtkStack            *content_stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *no_results_page;
  GtkGridView         *grid_view;
  GtkRevealer         *selection_revealer;
  GtkLabel            *selection_label;
  GtkMenuButton       *filter_button;
  GtkSwitch           *favourites_switch;
  AdwComboRow         *provider_row;
  AdwEntryRow         *model_row;
  GtkPopover          *tag_popover;
  GtkEntry            *tag_entry;
  EaselImageViewer    *viewer;
};

G_DEFINE_FINAL_TYPE (EaselGalleryView, easel_gallery_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_THUMBNAIL_SIZE,
  PROP_SORT,
  PROP_SUMMARY,
  PROP_VIEWING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct
{
  EaselSort   sort;
  const char *name;
} sorts[] = {
  { EASEL_SORT_NEWEST, "newest" },
  { EASEL_SORT_OLDEST, "oldest" },
  { EASEL_SORT_RATING, "rating" },
};

/* State */

static void
update_summary (EaselGalleryView *self)
{
  guint n_items = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  g_autofree char *summary = NULL;

  if (self->model == NULL || easel_gallery_model_get_loading (self->model))
    summary = g_strdup ("");
  else if (self->query_active)
    summary = g_strdup_printf (ngettext ("%u result", "%u results", n_items), n_items);
  else
    summary = g_strdup_printf (ngettext ("%u image", "%u images", n_items), n_items);

  if (g_strcmp0 (summary, self->summary) == 0)
    return;

  g_free (self->summary);
  self->summary = g_steal_pointer (&summary);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

static void
update_page (EaselGalleryView *self)
{
  guint n_items = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  const char *page;

  if (self->model == NULL)
    page = "empty";
  else if (n_items > 0)
    page = "grid";
  else if (easel_gallery_model_get_loading (self->model))
    page = "loading";
  else if (self->query_active)
    page = "no-results";
  else
    page = "empty";

  if (g_str_equal (page, "no-results"))
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
      g_autofree char *escaped = g_markup_escape_text (text, -1);
      g_autofree char *description = NULL;

      if (*text != '\0')
        /* Translators: %s is what the user searched for */
        description = g_strdup_printf (_("Nothing matches “%s”. Try other words, or fewer filters."), escaped);
      else
        description = g_strdup (_("No image matches the filters."));
      adw_status_page_set_description (self->no_results_page, description);
    }

  gtk_stack_set_visible_child_name (self->content_stack, page);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (page, "loading"));
  update_summary (self);
}

static GtkBitset *
dup_selection (EaselGalleryView *self)
{
  return self->selection ? gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection))
                         : gtk_bitset_new_empty ();
}

static void
update_selection (EaselGalleryView *self)
{
  g_autoptr(GtkBitset) selected = dup_selection (self);
  guint64 n_selected = gtk_bitset_get_size (selected);
  g_autofree char *label = NULL;
  gboolean viewing = easel_gallery_view_get_viewing (self);
  gboolean targets = viewing || n_selected > 0;

  /* Translators: how many images are selected */
  label = g_strdup_printf (ngettext ("%" G_GUINT64_FORMAT " Selected",
                                     "%" G_GUINT64_FORMAT " Selected", n_selected), n_selected);
  gtk_label_set_label (self->selection_label, label);
  gtk_revealer_set_reveal_child (self->selection_revealer, n_selected > 0);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.rate", targets);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.favourite", targets);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.trash", targets);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.tag", targets);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.untag", targets);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.add-tag", targets);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.remove-tag", targets);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.select-none", n_selected > 0);
}

static void
update_zoom_actions (EaselGalleryView *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.zoom-in",
                                 self->thumbnail_size < thumbnail_sizes[G_N_ELEMENTS (thumbnail_sizes) - 1]);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gallery.zoom-out",
                                 self->thumbnail_size > thumbnail_sizes[0]);
}

/* As many columns as cells of the chosen size fit, and no more: GTK 4.8's
 * grid keeps about 60 rows of max-columns cells bound around the screen,
 * so a generous maximum costs binds and memory on every scroll. */
static void
update_columns (EaselGalleryView *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->grid_view));
  double width = adjustment ? gtk_adjustment_get_page_size (adjustment) : 0;
  guint columns;

  if (width <= 0)
    return;

  columns = CLAMP ((guint) (width / (self->thumbnail_size + CELL_PADDING)), 1, MAX_COLUMNS);
  if (gtk_grid_view_get_max_columns (self->grid_view) != columns)
    gtk_grid_view_set_max_columns (self->grid_view, columns);
}

static gboolean
update_columns_cb (gpointer user_data)
{
  EaselGalleryView *self = user_data;

  self->columns_idle = 0;
  update_columns (self);
  return G_SOURCE_REMOVE;
}

/* The width changed: the grid is being allocated. GTK 4.8's grid view
 * must not get a new max-columns in the middle of its allocation (its
 * cached row heights no longer add up and it aborts), so the columns
 * follow just after, before the next frame. */
static void
page_size_changed_cb (EaselGalleryView *self)
{
  if (self->columns_idle == 0)
    self->columns_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_columns_cb, self, NULL);
}

static void
set_thumbnail_size (EaselGalleryView *self,
                    int               size)
{
  size = CLAMP (size, thumbnail_sizes[0], thumbnail_sizes[G_N_ELEMENTS (thumbnail_sizes) - 1]);
  if (self->thumbnail_size == size)
    return;

  self->thumbnail_size = size;
  update_zoom_actions (self);
  update_columns (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL_SIZE]);
}

/* The query: the search text, then the filters as fields */

static void
append_field (GString    *query,
              const char *field,
              const char *value)
{
  g_string_append_printf (query, " %s:\"", field);
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (query, '"');
      g_string_append_c (query, *p);
    }
  g_string_append_c (query, '"');
}

static const char *
selected_provider (EaselGalleryView *self)
{
  guint selected = adw_combo_row_get_selected (self->provider_row);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > self->provider_ids->len)
    return NULL;
  return g_ptr_array_index (self->provider_ids, selected - 1);
}

static char *
dup_model_filter (EaselGalleryView *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->model_row))));
}

static void
clear_filter_cb (GtkButton        *chip,
                 EaselGalleryView *self)
{
  const char *filter = g_object_get_data (G_OBJECT (chip), "filter");

  if (g_str_equal (filter, "fav"))
    gtk_switch_set_active (self->favourites_switch, FALSE);
  else if (g_str_equal (filter, "provider"))
    adw_combo_row_set_selected (self->provider_row, 0);
  else if (g_str_equal (filter, "model"))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->model_row), "");
      gtk_widget_activate_action (GTK_WIDGET (self), "gallery.apply-filters", NULL);
    }
}

static void
add_chip (EaselGalleryView *self,
          const char       *filter,
          const char       *label)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autofree char *tooltip = g_strdup_printf (_("Remove Filter “%s”"), label);

  gtk_box_append (GTK_BOX (box), gtk_label_new (label));
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("window-close-symbolic"));
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_add_css_class (button, "easel-filter-chip");
  g_object_set_data_full (G_OBJECT (button), "filter", g_strdup (filter), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (clear_filter_cb), self);
  gtk_box_append (self->chips_box, button);
}

static void
update_chips (EaselGalleryView *self)
{
  g_autofree char *model = dup_model_filter (self);
  const char *provider = selected_provider (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chips_box))) != NULL)
    gtk_box_remove (self->chips_box, child);

  if (gtk_switch_get_active (self->favourites_switch))
    add_chip (self, "fav", _("Favourites"));
  if (provider != NULL)
    {
      const EaselProviderInfo *info = easel_provider_registry_lookup (provider);
      /* Translators: a filter shown under the search entry */
      g_autofree char *label = g_strdup_printf (_("Provider: %s"), info ? info->display_name : provider);

      add_chip (self, "provider", label);
    }
  if (*model != '\0')
    {
      /* Translators: a filter shown under the search entry */
      g_autofree char *label = g_strdup_printf (_("Model: %s"), model);

      add_chip (self, "model", label);
    }

  gtk_revealer_set_reveal_child (self->chips_revealer,
                                 gtk_widget_get_first_child (GTK_WIDGET (self->chips_box)) != NULL);
}

static void
show_query_error (EaselGalleryView *self,
                  const GError     *error)
{
  if (error == NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
      gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
      return;
    }

  gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
  gtk_label_set_label (self->error_label, error->message);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

static void
apply_query (EaselGalleryView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GString) query_text = g_string_new (text);
  g_autoptr(EaselQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *model = dup_model_filter (self);
  const char *provider = selected_provider (self);
  gboolean filtered = FALSE;

  if (gtk_switch_get_active (self->favourites_switch))
    {
      g_string_append (query_text, " fav:yes");
      filtered = TRUE;
    }
  if (provider != NULL)
    {
      append_field (query_text, "provider", provider);
      filtered = TRUE;
    }
  if (*model != '\0')
    {
      append_field (query_text, "model", model);
      filtered = TRUE;
    }
  update_chips (self);

  query = easel_query_parse (query_text->str, &error);
  if (query == NULL)
    {
      /* The last results stay; the entry says what is wrong. */
      show_query_error (self, error);
      return;
    }
  show_query_error (self, NULL);

  easel_query_set_sort (query, self->sort);
  self->query_active = filtered || !easel_query_is_empty (query);

  /* The entry reports a search also when nothing changed (at start). */
  g_string_append_printf (query_text, "\n%d", self->sort);
  if (self->model != NULL && g_strcmp0 (self->query_text, query_text->str) == 0)
    {
      update_page (self);
      return;
    }
  g_free (self->query_text);
  self->query_text = self->model ? g_strdup (query_text->str) : NULL;

  if (self->model != NULL)
    {
      self->scroll_to_top = TRUE;
      easel_gallery_model_set_query (self->model, query);
    }
  update_page (self);
}

/* Editing what the user points at */

typedef enum
{
  EDIT_RATE,
  EDIT_FAVOURITE,
  EDIT_TRASH,
  EDIT_RESTORE,
  EDIT_ADD_TAG,
  EDIT_REMOVE_TAG,
} EditKind;

typedef struct
{
  EaselGalleryView *self;
  EditKind          kind;
  int               value;
  char             *tag;
  GStrv             hashes;
} Edit;

static void
edit_free (Edit *edit)
{
  g_clear_object (&edit->self);
  g_free (edit->tag);
  g_strfreev (edit->hashes);
  g_free (edit);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Edit, edit_free)

static void
trash_undo_cb (AdwToast         *toast,
               EaselGalleryView *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "gallery.undo-trash", NULL);
}

static void
edited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Edit) edit = user_data;
  EaselLibrary *library = EASEL_LIBRARY (object);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  switch (edit->kind)
    {
    case EDIT_RATE:
      ok = easel_library_set_rating_finish (library, result, &error);
      break;
    case EDIT_FAVOURITE:
      ok = easel_library_set_favourite_finish (library, result, &error);
      break;
    case EDIT_TRASH:
    case EDIT_RESTORE:
      ok = easel_library_set_trashed_finish (library, result, &error);
      break;
    case EDIT_ADD_TAG:
      ok = easel_library_add_tag_finish (library, result, &error);
      break;
    case EDIT_REMOVE_TAG:
    default:
      ok = easel_library_remove_tag_finish (library, result, &error);
      break;
    }

  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (edit->self->toast_overlay, adw_toast_new (error->message));
      return;
    }

  if (edit->kind == EDIT_TRASH)
    {
      guint n = g_strv_length (edit->hashes);
      g_autofree char *title = g_strdup_printf (ngettext ("%u image moved to the trash",
                                                          "%u images moved to the trash", n), n);
      AdwToast *toast = adw_toast_new (title);

      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (trash_undo_cb), edit->self, 0);
      g_strfreev (edit->self->undo_hashes);
      edit->self->undo_hashes = g_steal_pointer (&edit->hashes);
      adw_toast_overlay_add_toast (edit->self->toast_overlay, toast);
    }
}

static void
run_edit (EaselGalleryView *self,
          Edit             *edit)
{
  const char * const *hashes;

  if (self->library == NULL || edit->hashes == NULL || edit->hashes[0] == NULL)
    {
      edit_free (edit);
      return;
    }

  /* The callback owns @edit from here. */
  hashes = (const char * const *) edit->hashes;
  switch (edit->kind)
    {
    case EDIT_RATE:
      easel_library_set_rating_async (self->library, hashes, edit->value, self->cancellable,
                                      edited_cb, edit);
      break;
    case EDIT_FAVOURITE:
      easel_library_set_favourite_async (self->library, hashes, edit->value, self->cancellable,
                                         edited_cb, edit);
      break;
    case EDIT_TRASH:
    case EDIT_RESTORE:
      easel_library_set_trashed_async (self->library, hashes, edit->kind == EDIT_TRASH,
                                       self->cancellable, edited_cb, edit);
      break;
    case EDIT_ADD_TAG:
      easel_library_add_tag_async (self->library, hashes, edit->tag, self->cancellable,
                                   edited_cb, edit);
      break;
    case EDIT_REMOVE_TAG:
    default:
      easel_library_remove_tag_async (self->library, hashes, edit->tag, self->cancellable,
                                      edited_cb, edit);
      break;
    }
}

static void
hashes_collected_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Edit) edit = user_data;
  g_autoptr(GError) error = NULL;

  edit->hashes = easel_gallery_model_dup_hashes_finish (EASEL_GALLERY_MODEL (object), result, &error);
  if (edit->hashes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (edit->self->toast_overlay,
                                     adw_toast_new (_("The gallery changed meanwhile; try again")));
      return;
    }

  {
    Edit *owned = g_steal_pointer (&edit);

    run_edit (owned->self, owned);
  }
}

/* Whether every loaded image the user points at is a favourite; the
 * favourite action then removes them from the favourites. */
static gboolean
all_favourites (EaselGalleryView *self,
                GArray           *positions)
{
  for (guint i = 0; i < positions->len; i++)
    {
      EaselImage *image = easel_gallery_model_peek (self->model, g_array_index (positions, guint, i));

      if (image == NULL || !easel_image_get_favourite (image))
        return FALSE;
    }
  return positions->len > 0;
}

/* Runs @edit on the image in the viewer, or on the selection. */
static void
edit_targets (EaselGalleryView *self,
              Edit             *owned)
{
  g_autoptr(Edit) edit = owned;
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(GArray) positions = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  GtkBitsetIter iter;
  guint position;
  gboolean complete = TRUE;

  if (self->model == NULL)
    return;

  edit->self = g_object_ref (self);
  if (easel_gallery_view_get_viewing (self))
    {
      EaselImage *image = easel_image_viewer_get_image (self->viewer);
      const char *hash = image ? easel_gallery_model_get_image_hash (image) : NULL;

      if (hash == NULL)
        return;
      if (edit->kind == EDIT_FAVOURITE)
        edit->value = !easel_image_get_favourite (image);
      edit->hashes = g_strdupv ((char *[]) { (char *) hash, NULL });
      run_edit (self, g_steal_pointer (&edit));
      return;
    }

  selected = dup_selection (self);
  positions = g_array_new (FALSE, FALSE, sizeof (guint));
  builder = g_strv_builder_new ();
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      EaselImage *image = easel_gallery_model_peek (self->model, position);

      g_array_append_val (positions, position);
      if (image != NULL)
        g_strv_builder_add (builder, easel_gallery_model_get_image_hash (image));
      else
        complete = FALSE;
    }

  if (positions->len == 0)
    return;
  if (edit->kind == EDIT_FAVOURITE)
    edit->value = !all_favourites (self, positions);

  if (complete)
    {
      edit->hashes = g_strv_builder_end (builder);
      run_edit (self, g_steal_pointer (&edit));
      return;
    }

  easel_gallery_model_dup_hashes_async (self->model, (const guint *) positions->data, positions->len,
                                        self->cancellable, hashes_collected_cb, g_steal_pointer (&edit));
}

static Edit *
edit_new (EditKind    kind,
          int         value,
          const char *tag)
{
  Edit *edit = g_new0 (Edit, 1);

  edit->kind = kind;
  edit->value = value;
  edit->tag = g_strdup (tag);
  return edit;
}

static void
rate_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  edit_targets (EASEL_GALLERY_VIEW (widget),
                edit_new (EDIT_RATE, CLAMP (g_variant_get_int32 (parameter), 0, 5), NULL));
}

static void
favourite_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  edit_targets (EASEL_GALLERY_VIEW (widget), edit_new (EDIT_FAVOURITE, TRUE, NULL));
}

static void
trash_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  edit_targets (EASEL_GALLERY_VIEW (widget), edit_new (EDIT_TRASH, TRUE, NULL));
}

static void
undo_trash_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  EaselGalleryView *self = EASEL_GALLERY_VIEW (widget);
  Edit *edit;

  if (self->undo_hashes == NULL)
    return;

  edit = edit_new (EDIT_RESTORE, FALSE, NULL);
  edit->self = g_object_ref (self);
  edit->hashes = g_steal_pointer (&self->undo_hashes);
  run_edit (self, edit);
}

static void
tag (EaselGalleryView *self,
     EditKind          kind,
     const char       *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = easel_query_normalize_tag (text, &error);

  if (name == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  edit_targets (self, edit_new (kind, 0, name));
}

static void
tag_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  EaselGalleryView *self = EASEL_GALLERY_VIEW (widget);
  EditKind kind;
  const char *text;

  if (parameter != NULL)
    {
      text = g_variant_get_string (parameter, NULL);
      kind = g_str_equal (action_name, "gallery.add-tag") ? EDIT_ADD_TAG : EDIT_REMOVE_TAG;
    }
  else
    {
      text = gtk_editable_get_text (GTK_EDITABLE (self->tag_entry));
      kind = g_str_equal (action_name, "gallery.tag") ? EDIT_ADD_TAG : EDIT_REMOVE_TAG;
      gtk_popover_popdown (self->tag_popover);
    }

  tag (self, kind, text);
  if (parameter == NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
}

static void
tag_entry_activate_cb (EaselGalleryView *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "gallery.tag", NULL);
}

static void
run_job_button_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  EaselGalleryView *self = EASEL_GALLERY_VIEW (widget);
  g_autoptr(GError) error = NULL;
  const char *button;
  EaselJob *job;
  gint64 job_id;

  g_variant_get (parameter, "(x&s)", &job_id, &button);
  job = self->queue ? easel_job_queue_lookup (self->queue, job_id) : NULL;
  if (job == NULL)
    return;

  if (easel_job_queue_run_action (self->queue, job, button, &error) == NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
  else
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Job queued")));
}

/* Selection, search, sort and size */

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  EaselGalleryView *self = EASEL_GALLERY_VIEW (widget);

  if (self->selection == NULL)
    return;

  if (g_str_equal (action_name, "gallery.select-all"))
    gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->selection));
  else
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EaselGalleryView *self = EASEL_GALLERY_VIEW (widget);

  if (easel_gallery_view_get_viewing (self))
    g_signal_emit_by_name (self->viewer, "close");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
clear_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  EaselGalleryView *self = EASEL_GALLERY_VIEW (widget);

  gtk_switch_set_active (self->favourites_switch, FALSE);
  adw_combo_row_set_selected (self->provider_row, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->model_row), "");
  if (g_str_equal (action_name, "gallery.clear-search"))
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  apply_query (self);
}

static void
apply_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  apply_query (EASEL_GALLERY_VIEW (widget));
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EaselGalleryView *self = EASEL_GALLERY_VIEW (widget);
  guint i;

  if (g_str_equal (action_name, "gallery.zoom-reset"))
    {
      set_thumbnail_size (self, DEFAULT_THUMBNAIL_SIZE);
      return;
    }

  if (g_str_equal (action_name, "gallery.zoom-in"))
    {
      for (i = 0; i < G_N_ELEMENTS (thumbnail_sizes) - 1 && thumbnail_sizes[i] <= self->thumbnail_size; i++)
        ;
    }
  else
    {
      for (i = G_N_ELEMENTS (thumbnail_sizes) - 1; i > 0 && thumbnail_sizes[i] >= self->thumbnail_size; i--)
        ;
    }
  set_thumbnail_size (self, thumbnail_sizes[i]);
}

static void
search_changed_cb (EaselGalleryView *self)
{
  apply_query (self);
}

static void
stop_search_cb (EaselGalleryView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->grid_view));
}

static void
search_activate_cb (EaselGalleryView *self)
{
  /* Enter in the search entry goes to the results. */
  if (self->model != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->grid_view));
}

static void
filters_changed_cb (EaselGalleryView *self)
{
  apply_query (self);
}

/* The viewer */

static void
grid_activate_cb (EaselGalleryView *self,
                  guint             position)
{
  easel_gallery_view_open (self, position);
}

typedef struct
{
  EaselGalleryView *self;
  EaselImage       *image;
} Refocus;

static void
refocus_free (Refocus *refocus)
{
  g_object_unref (refocus->self);
  g_object_unref (refocus->image);
  g_free (refocus);
}

/* After the grid scrolled to it, the cell of the image the viewer showed
 * takes the focus, so the arrow keys go on from there. */
static gboolean
refocus_cb (GtkWidget     *grid,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  Refocus *refocus = user_data;

  for (GtkWidget *child = gtk_widget_get_first_child (grid); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *item = gtk_widget_get_first_child (child);

      if (EASEL_IS_GALLERY_ITEM (item) &&
          easel_gallery_item_get_image (EASEL_GALLERY_ITEM (item)) == refocus->image)
        {
          gtk_widget_grab_focus (child);
          break;
        }
    }
  return G_SOURCE_REMOVE;
}

static void
viewer_close_cb (EaselGalleryView *self)
{
  EaselImage *image = easel_image_viewer_get_image (self->viewer);
  guint position = easel_image_viewer_get_position (self->viewer);

  gtk_stack_set_visible_child_name (self->view_stack, "gallery");

  if (image != NULL && self->selection != NULL &&
      position < g_list_model_get_n_items (G_LIST_MODEL (self->selection)))
    {
      Refocus *refocus = g_new0 (Refocus, 1);

      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
      gtk_widget_activate_action (GTK_WIDGET (self->grid_view), "list.scroll-to-item", "u", position);
      refocus->self = g_object_ref (self);
      refocus->image = g_object_ref (image);
      gtk_widget_add_tick_callback (GTK_WIDGET (self->grid_view), refocus_cb, refocus,
                                    (GDestroyNotify) refocus_free);
    }
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->grid_view));

  easel_image_viewer_clear (self->viewer);
  update_selection (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEWING]);
}

/* The grid's cells */

static GdkContentProvider *
drag_prepare_cb (GtkDragSource    *source,
                 double            x,
                 double            y,
                 EaselGalleryView *self)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  EaselImage *image = easel_gallery_item_get_image (EASEL_GALLERY_ITEM (widget));
  GtkListItem *list_item = g_object_get_data (G_OBJECT (widget), "easel-list-item");
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  const char *mime = NULL;
  guint position;

  if (image == NULL || easel_image_get_path (image) == NULL || list_item == NULL)
    return NULL;

  position = gtk_list_item_get_position (list_item);
  if (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    {
      g_autoptr(GtkBitset) selected = dup_selection (self);
      GtkBitsetIter iter;
      guint selected_position;

      /* The selected images the model holds; a drag cannot wait for more. */
      for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &selected_position); more;
           more = gtk_bitset_iter_next (&iter, &selected_position))
        {
          EaselImage *selected_image = easel_gallery_model_peek (self->model, selected_position);

          if (selected_image != NULL && easel_image_get_path (selected_image) != NULL)
            g_ptr_array_add (files, g_file_new_for_path (easel_image_get_path (selected_image)));
        }
    }

  if (files->len == 0)
    g_ptr_array_add (files, g_file_new_for_path (easel_image_get_path (image)));
  if (files->len == 1)
    mime = easel_image_get_mime (image);

  return easel_file_content_new ((GFile * const *) files->pdata, files->len, mime);
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               gpointer       user_data)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);

  gtk_drag_source_set_icon (source, paintable,
                            gtk_widget_get_width (widget) / 2, gtk_widget_get_height (widget) / 2);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          EaselGalleryView         *self)
{
  GtkWidget *item = easel_gallery_item_new (self->thumbnails);
  GtkDragSource *source = gtk_drag_source_new ();

  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (drag_prepare_cb), self);
  g_signal_connect (source, "drag-begin", G_CALLBACK (drag_begin_cb), NULL);
  gtk_widget_add_controller (item, GTK_EVENT_CONTROLLER (source));

  g_object_set_data (G_OBJECT (item), "easel-list-item", list_item);
  g_object_bind_property (self, "thumbnail-size", item, "width-request", G_BINDING_SYNC_CREATE);
  g_object_bind_property (list_item, "selected", item, "selected", G_BINDING_SYNC_CREATE);
  gtk_list_item_set_child (list_item, item);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         EaselGalleryView         *self)
{
  easel_gallery_item_set_image (EASEL_GALLERY_ITEM (gtk_list_item_get_child (list_item)),
                                gtk_list_item_get_item (list_item));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           EaselGalleryView         *self)
{
  easel_gallery_item_set_image (EASEL_GALLERY_ITEM (gtk_list_item_get_child (list_item)), NULL);
}

static gboolean
scroll_to_top_cb (gpointer user_data)
{
  EaselGalleryView *self = user_data;

  self->scroll_idle = 0;
  if (self->model != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->grid_view), "list.scroll-to-item", "u", 0);
  return G_SOURCE_REMOVE;
}

static void
model_changed_cb (EaselGalleryView *self)
{
  /* New results start at the top, once the grid has taken them in (it
   * hears of them after this handler). */
  if (self->scroll_to_top && !easel_gallery_model_get_loading (self->model))
    {
      self->scroll_to_top = FALSE;
      if (self->scroll_idle == 0)
        self->scroll_idle = g_idle_add (scroll_to_top_cb, self);
    }
  update_page (self);
}

/* Public API */

/**
 * easel_gallery_view_set_library:
 * @self: a gallery
 * @library: the library
 * @thumbnailer: where thumbnails come from
 *
 * Shows @library's images. Called once, when the library is open.
 */
void
easel_gallery_view_set_library (EaselGalleryView *self,
                                EaselLibrary     *library,
                                EaselThumbnailer *thumbnailer)
{
  g_return_if_fail (EASEL_IS_GALLERY_VIEW (self));
  g_return_if_fail (EASEL_IS_LIBRARY (library));
  g_return_if_fail (EASEL_IS_THUMBNAILER (thumbnailer));
  g_return_if_fail (self->library == NULL);

  self->library = g_object_ref (library);
  self->thumbnails = easel_thumbnail_cache_new (thumbnailer, TEXTURES_CACHED);
  self->model = easel_gallery_model_new (library);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (model_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (model_changed_cb), self,
                           G_CONNECT_SWAPPED);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (update_selection), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (update_selection), self,
                           G_CONNECT_SWAPPED);
  gtk_grid_view_set_model (self->grid_view, GTK_SELECTION_MODEL (self->selection));

  apply_query (self);
  update_page (self);
}

/**
 * easel_gallery_view_get_library:
 * @self: a gallery
 *
 * Returns: (transfer none) (nullable): the library
 */
EaselLibrary *
easel_gallery_view_get_library (EaselGalleryView *self)
{
  g_return_val_if_fail (EASEL_IS_GALLERY_VIEW (self), NULL);

  return self->library;
}

/**
 * easel_gallery_view_set_job_queue:
 * @self: a gallery
 * @queue: (nullable): the job queue, for the costs and Midjourney buttons
 *   of the images' jobs
 */
void
easel_gallery_view_set_job_queue (EaselGalleryView *self,
                                  EaselJobQueue    *queue)
{
  g_return_if_fail (EASEL_IS_GALLERY_VIEW (self));
  g_return_if_fail (queue == NULL || EASEL_IS_JOB_QUEUE (queue));

  g_set_object (&self->queue, queue);
  easel_image_viewer_set_queue (self->viewer, queue);
}

/**
 * easel_gallery_view_get_model:
 * @self: a gallery
 *
 * Returns: (transfer none) (nullable): the gallery model, once there is a
 *   library
 */
GListModel *
easel_gallery_view_get_model (EaselGalleryView *self)
{
  g_return_val_if_fail (EASEL_IS_GALLERY_VIEW (self), NULL);

  return self->model ? G_LIST_MODEL (self->model) : NULL;
}

/**
 * easel_gallery_view_get_selection:
 * @self: a gallery
 *
 * Returns: (transfer none) (nullable): the grid's selection
 */
GtkSelectionModel *
easel_gallery_view_get_selection (EaselGalleryView *self)
{
  g_return_val_if_fail (EASEL_IS_GALLERY_VIEW (self), NULL);

  return self->selection ? GTK_SELECTION_MODEL (self->selection) : NULL;
}

/**
 * easel_gallery_view_search:
 * @self: a gallery
 * @text: a query, in the query language
 *
 * Puts @text in the search entry and searches for it at once.
 */
void
easel_gallery_view_search (EaselGalleryView *self,
                           const char       *text)
{
  g_return_if_fail (EASEL_IS_GALLERY_VIEW (self));
  g_return_if_fail (text != NULL);

  if (easel_gallery_view_get_viewing (self))
    g_signal_emit_by_name (self->viewer, "close");

  /* Replacing the text empties the entry first, which would search for
   * everything on the way: search once, for the new text. */
  g_signal_handlers_block_by_func (self->search_entry, search_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  gtk_editable_set_position (GTK_EDITABLE (self->search_entry), -1);
  g_signal_handlers_unblock_by_func (self->search_entry, search_changed_cb, self);
  apply_query (self);
}

/**
 * easel_gallery_view_show_job:
 * @self: a gallery
 * @job_id: a job's id
 *
 * Shows the images of one job: searches for `job:ID` without filters.
 */
void
easel_gallery_view_show_job (EaselGalleryView *self,
                             gint64            job_id)
{
  g_autofree char *text = NULL;

  g_return_if_fail (EASEL_IS_GALLERY_VIEW (self));

  gtk_switch_set_active (self->favourites_switch, FALSE);
  adw_combo_row_set_selected (self->provider_row, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->model_row), "");
  text = g_strdup_printf ("job:%" G_GINT64_FORMAT, job_id);
  easel_gallery_view_search (self, text);
}

/**
 * easel_gallery_view_open:
 * @self: a gallery
 * @position: a position in the results
 *
 * Opens the viewer on the image at @position.
 */
void
easel_gallery_view_open (EaselGalleryView *self,
                         guint             position)
{
  g_return_if_fail (EASEL_IS_GALLERY_VIEW (self));

  if (self->model == NULL || position >= g_list_model_get_n_items (G_LIST_MODEL (self->model)))
    return;

  gtk_stack_set_visible_child_name (self->view_stack, "viewer");
  easel_image_viewer_show (self->viewer, G_LIST_MODEL (self->model), position);
  update_selection (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEWING]);
}

/**
 * easel_gallery_view_get_viewing:
 * @self: a gallery
 *
 * Returns: whether the viewer is open
 */
gboolean
easel_gallery_view_get_viewing (EaselGalleryView *self)
{
  g_return_val_if_fail (EASEL_IS_GALLERY_VIEW (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "viewer") == 0;
}

/**
 * easel_gallery_view_get_summary:
 * @self: a gallery
 *
 * Returns: how many images or results there are, in words ("" while
 *   counting)
 */
const char *
easel_gallery_view_get_summary (EaselGalleryView *self)
{
  g_return_val_if_fail (EASEL_IS_GALLERY_VIEW (self), NULL);

  return self->summary;
}

/* GObject */

static void
easel_gallery_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EaselGalleryView *self = EASEL_GALLERY_VIEW (object);

  switch (prop_id)
    {
    case PROP_THUMBNAIL_SIZE:
      g_value_set_int (value, self->thumbnail_size);
      break;
    case PROP_SORT:
      for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
        if (sorts[i].sort == self->sort)
          g_value_set_string (value, sorts[i].name);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    case PROP_VIEWING:
      g_value_set_boolean (value, easel_gallery_view_get_viewing (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_gallery_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  EaselGalleryView *self = EASEL_GALLERY_VIEW (object);

  switch (prop_id)
    {
    case PROP_THUMBNAIL_SIZE:
      set_thumbnail_size (self, g_value_get_int (value));
      break;
    case PROP_SORT:
      for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
        if (g_strcmp0 (sorts[i].name, g_value_get_string (value)) == 0 && sorts[i].sort != self->sort)
          {
            self->sort = sorts[i].sort;
            apply_query (self);
            g_object_notify_by_pspec (object, pspec);
          }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_gallery_view_dispose (GObject *object)
{
  EaselGalleryView *self = EASEL_GALLERY_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->scroll_idle, g_source_remove);
  g_clear_handle_id (&self->columns_idle, g_source_remove);
  if (self->grid_view != NULL)
    gtk_grid_view_set_model (self->grid_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), EASEL_TYPE_GALLERY_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->thumbnails);
  g_clear_object (&self->library);
  g_clear_object (&self->queue);

  G_OBJECT_CLASS (easel_gallery_view_parent_class)->dispose (object);
}

static void
easel_gallery_view_finalize (GObject *object)
{
  EaselGalleryView *self = EASEL_GALLERY_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->query_text, g_free);
  g_clear_pointer (&self->undo_hashes, g_strfreev);
  g_clear_pointer (&self->provider_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (easel_gallery_view_parent_class)->finalize (object);
}

static void
add_key (GtkWidgetClass  *widget_class,
         guint            keyval,
         GdkModifierType  modifiers,
         const char      *action,
         const char      *format,
         int              value)
{
  if (format != NULL)
    gtk_widget_class_add_binding_action (widget_class, keyval, modifiers, action, format, value);
  else
    gtk_widget_class_add_binding_action (widget_class, keyval, modifiers, action, NULL);
}

static void
easel_gallery_view_class_init (EaselGalleryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = easel_gallery_view_get_property;
  object_class->set_property = easel_gallery_view_set_property;
  object_class->dispose = easel_gallery_view_dispose;
  object_class->finalize = easel_gallery_view_finalize;

  properties[PROP_THUMBNAIL_SIZE] =
    g_param_spec_int ("thumbnail-size", NULL, NULL,
                      thumbnail_sizes[0], thumbnail_sizes[G_N_ELEMENTS (thumbnail_sizes) - 1],
                      DEFAULT_THUMBNAIL_SIZE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SORT] =
    g_param_spec_string ("sort", NULL, NULL,
                         "newest",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEWING] =
    g_param_spec_boolean ("viewing", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (EASEL_TYPE_IMAGE_VIEWER);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-gallery-view.ui");
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, view_stack);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, error_label);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, chips_revealer);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, chips_box);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, content_stack);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, spinner);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, grid_view);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, selection_revealer);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, selection_label);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, filter_button);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, favourites_switch);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, provider_row);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, model_row);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, tag_popover);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryView, viewer);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, grid_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, viewer_close_cb);
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "gallery.rate", "i", rate_action);
  gtk_widget_class_install_action (widget_class, "gallery.favourite", NULL, favourite_action);
  gtk_widget_class_install_action (widget_class, "gallery.trash", NULL, trash_action);
  gtk_widget_class_install_action (widget_class, "gallery.undo-trash", NULL, undo_trash_action);
  gtk_widget_class_install_action (widget_class, "gallery.tag", NULL, tag_action);
  gtk_widget_class_install_action (widget_class, "gallery.untag", NULL, tag_action);
  gtk_widget_class_install_action (widget_class, "gallery.add-tag", "s", tag_action);
  gtk_widget_class_install_action (widget_class, "gallery.remove-tag", "s", tag_action);
  gtk_widget_class_install_action (widget_class, "gallery.run-job-button", "(xs)", run_job_button_action);
  gtk_widget_class_install_action (widget_class, "gallery.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "gallery.select-none", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "gallery.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "gallery.clear-search", NULL, clear_search_action);
  gtk_widget_class_install_action (widget_class, "gallery.clear-filters", NULL, clear_search_action);
  gtk_widget_class_install_action (widget_class, "gallery.apply-filters", NULL, apply_filters_action);
  gtk_widget_class_install_action (widget_class, "gallery.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "gallery.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "gallery.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_property_action (widget_class, "gallery.sort", "sort");

  /* Gallery conventions (Shotwell, Loupe): digits rate, F favours,
   * Delete trashes; they act on the selection, or the viewer's image. */
  for (int i = 0; i <= 5; i++)
    {
      add_key (widget_class, GDK_KEY_0 + i, 0, "gallery.rate", "i", i);
      add_key (widget_class, GDK_KEY_KP_0 + i, 0, "gallery.rate", "i", i);
    }
  add_key (widget_class, GDK_KEY_f, 0, "gallery.favourite", NULL, 0);
  add_key (widget_class, GDK_KEY_Delete, 0, "gallery.trash", NULL, 0);
  add_key (widget_class, GDK_KEY_KP_Delete, 0, "gallery.trash", NULL, 0);
  add_key (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "gallery.zoom-in", NULL, 0);
  add_key (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "gallery.zoom-in", NULL, 0);
  add_key (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "gallery.zoom-in", NULL, 0);
  add_key (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "gallery.zoom-out", NULL, 0);
  add_key (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "gallery.zoom-out", NULL, 0);
  add_key (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "gallery.zoom-reset", NULL, 0);

  gtk_widget_class_set_css_name (widget_class, "easel-gallery");
}

static void
easel_gallery_view_init (EaselGalleryView *self)
{
  g_autoptr(GtkStringList) providers = gtk_string_list_new (NULL);
  GtkListItemFactory *factory;
  GtkEventController *shortcuts;
  const EaselProviderInfo *info;
  guint n_providers;

  self->thumbnail_size = DEFAULT_THUMBNAIL_SIZE;
  self->sort = EASEL_SORT_NEWEST;
  self->summary = g_strdup ("");
  self->cancellable = g_cancellable_new ();
  self->provider_ids = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The bin's own child: not a bound template child, which
   * gtk_widget_dispose_template() would unparent behind AdwBin's back. */
  self->toast_overlay = ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self)));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_grid_view_set_factory (self->grid_view, factory);
  g_object_unref (factory);
  g_signal_connect_object (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->grid_view)),
                           "notify::page-size", G_CALLBACK (page_size_changed_cb), self, G_CONNECT_SWAPPED);

  /* The filters' providers, from the registry. */
  gtk_string_list_append (providers, _("Any Provider"));
  info = easel_provider_registry_list (&n_providers);
  for (guint i = 0; i < n_providers; i++)
    {
      gtk_string_list_append (providers, info[i].display_name);
      g_ptr_array_add (self->provider_ids, (gpointer) info[i].id);
    }
  adw_combo_row_set_model (self->provider_row, G_LIST_MODEL (providers));

  /* Ctrl+F searches wherever the focus is in the window. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_GLOBAL);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_f, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("gallery.search")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  update_zoom_actions (self);
  update_selection (self);
  update_page (self);
}
