/* easel-gallery-item.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One cell of the gallery grid: the thumbnail cropped to a square, with
 * small badges for a favourite, a rating and a video, and a check mark
 * when selected.
 *
 * Cells are recycled as the grid scrolls, so binding must be cheap: the
 * badges follow the image through expressions in the template, and the
 * thumbnail comes from the cache at once or from the thumbnailer's worker
 * threads. A cell that gets another image cancels the load of the previous
 * one, so a fast scroll does not queue thousands of decodes.
 *
 * The cell is square: its height is its width, which the grid sets from
 * the thumbnail size the user chose. The thumbnail comes cut to the cell's
 * size in device pixels (see easel-thumbnail-cache.c), from the large
 * thumbnail only when the small one would have to be enlarged. */

#include "config.h"

#include "easel-gallery-item.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-error.h"
#include "easel-gallery-model.h"

struct _EaselGalleryItem
{
  GtkWidget            parent_instance;

  EaselImage          *image;
  EaselThumbnailCache *cache;
  GCancellable        *cancellable;
  gulong               path_handler;
  int                  shown_side;      /* the side of the thumbnail shown or loading, 0 for none */
  gboolean             selected;

  /* Template widgets */
  GtkWidget           *overlay;
  GtkPicture          *picture;
  GtkImage            *fallback_icon;
  GtkWidget           *check_badge;
};

G_DEFINE_FINAL_TYPE (EaselGalleryItem, easel_gallery_item, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_IMAGE,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * easel_gallery_item_new:
 * @cache: where thumbnails come from
 *
 * Returns: (transfer floating): an empty cell
 */
GtkWidget *
easel_gallery_item_new (EaselThumbnailCache *cache)
{
  EaselGalleryItem *self;

  g_return_val_if_fail (EASEL_IS_THUMBNAIL_CACHE (cache), NULL);

  self = g_object_new (EASEL_TYPE_GALLERY_ITEM, NULL);
  self->cache = g_object_ref (cache);
  return GTK_WIDGET (self);
}

/**
 * easel_gallery_item_get_image:
 * @self: a cell
 *
 * Returns: (transfer none) (nullable): the image shown
 */
EaselImage *
easel_gallery_item_get_image (EaselGalleryItem *self)
{
  g_return_val_if_fail (EASEL_IS_GALLERY_ITEM (self), NULL);

  return self->image;
}

/**
 * easel_gallery_item_get_paintable:
 * @self: a cell
 *
 * Returns: (transfer none) (nullable): the thumbnail shown, for a drag icon
 */
GdkPaintable *
easel_gallery_item_get_paintable (EaselGalleryItem *self)
{
  g_return_val_if_fail (EASEL_IS_GALLERY_ITEM (self), NULL);

  return gtk_picture_get_paintable (self->picture);
}

/* The cell's side in device pixels, 0 before it is allocated. */
static int
cell_side (EaselGalleryItem *self)
{
  int side = MIN (gtk_widget_get_width (GTK_WIDGET (self)), gtk_widget_get_height (GTK_WIDGET (self)));

  return side * gtk_widget_get_scale_factor (GTK_WIDGET (self));
}

/* The thumbnail that covers a cell of @side pixels without enlarging it:
 * thumbnails fit their longest side into 256 or 512 pixels, and the square
 * crop shows the shortest one. */
static EaselThumbnailSize
wanted_size (EaselGalleryItem *self,
             int               side)
{
  int width = easel_image_get_width (self->image);
  int height = easel_image_get_height (self->image);
  double shortest;

  if (width <= 0 || height <= 0)
    return EASEL_THUMBNAIL_SMALL;

  shortest = easel_thumbnail_size_get_pixels (EASEL_THUMBNAIL_SMALL) * (double) MIN (width, height) /
             MAX (width, height);
  return side > shortest * 1.1 ? EASEL_THUMBNAIL_LARGE : EASEL_THUMBNAIL_SMALL;
}

static char *
relative_path (EaselImage *image)
{
  const char *hash = easel_gallery_model_get_image_hash (image);
  const char *path = easel_image_get_path (image);
  g_autofree char *basename = NULL;

  if (hash == NULL || path == NULL || strlen (hash) < 4)
    return NULL;

  /* The store's layout: "ab/cd/<hash>.<extension>". */
  basename = g_path_get_basename (path);
  return g_strdup_printf ("%.2s/%.2s/%s", hash, hash + 2, basename);
}

static void
show_fallback (EaselGalleryItem *self,
               const char       *icon_name)
{
  gtk_image_set_from_icon_name (self->fallback_icon, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (self->fallback_icon), icon_name != NULL);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(EaselGalleryItem) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = easel_thumbnail_cache_load_finish (EASEL_THUMBNAIL_CACHE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (texture != NULL)
    {
      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
      show_fallback (self, NULL);
    }
  else if (g_error_matches (error, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED))
    show_fallback (self, "video-x-generic-symbolic");
  else
    {
      g_debug ("No thumbnail for %s: %s", easel_gallery_model_get_image_hash (self->image),
               error->message);
      show_fallback (self, "image-missing-symbolic");
    }
}

static void
cancel_load (EaselGalleryItem *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static void
load_thumbnail (EaselGalleryItem *self)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *relative = NULL;
  EaselThumbnailSize size;
  const char *hash;
  int side = cell_side (self);

  /* Off screen, or not allocated yet: map() and size_allocate() come back
   * here. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      side <= 0 || side == self->shown_side || self->image == NULL || self->cache == NULL ||
      (relative = relative_path (self->image)) == NULL)
    return;

  hash = easel_gallery_model_get_image_hash (self->image);
  size = wanted_size (self, side);
  cancel_load (self);
  self->shown_side = side;

  texture = easel_thumbnail_cache_lookup (self->cache, hash, size, side);
  if (texture != NULL)
    {
      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
      show_fallback (self, NULL);
      return;
    }

  /* What is shown meanwhile stays: nothing for a new image, the old size
   * when the cell grows or shrinks. */
  self->cancellable = g_cancellable_new ();
  easel_thumbnail_cache_load_async (self->cache, hash, relative, size, side, self->cancellable,
                                    loaded_cb, g_object_ref (self));
}

static void
path_changed_cb (EaselGalleryItem *self,
                 GParamSpec       *pspec,
                 EaselImage       *image)
{
  /* A placeholder got its data, or the file moved. */
  self->shown_side = 0;
  load_thumbnail (self);
}

static void
update_accessible (EaselGalleryItem *self)
{
  const char *prompt = self->image ? easel_image_get_prompt (self->image) : NULL;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  prompt && *prompt ? prompt : _("Image"),
                                  -1);
}

/**
 * easel_gallery_item_set_image:
 * @self: a cell
 * @image: (nullable): the image to show
 *
 * Shows @image, loading its thumbnail; %NULL cancels the load.
 */
void
easel_gallery_item_set_image (EaselGalleryItem *self,
                              EaselImage       *image)
{
  g_return_if_fail (EASEL_IS_GALLERY_ITEM (self));
  g_return_if_fail (image == NULL || EASEL_IS_IMAGE (image));

  if (self->image == image)
    return;

  cancel_load (self);
  if (self->image != NULL)
    g_clear_signal_handler (&self->path_handler, self->image);
  g_set_object (&self->image, image);
  self->shown_side = 0;
  show_fallback (self, NULL);
  gtk_picture_set_paintable (self->picture, NULL);

  if (image != NULL)
    {
      self->path_handler = g_signal_connect_object (image, "notify::path",
                                                    G_CALLBACK (path_changed_cb), self,
                                                    G_CONNECT_SWAPPED);
      load_thumbnail (self);
      update_accessible (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE]);
}

static char *
rating_text_cb (gpointer unused,
                int      rating)
{
  /* Translators: a rating badge on a thumbnail, %d is 1 to 5 */
  return rating > 0 ? g_strdup_printf (_("★ %d"), rating) : NULL;
}

static gboolean
is_rated_cb (gpointer unused,
             int      rating)
{
  return rating > 0;
}

static gboolean
is_video_cb (gpointer    unused,
             const char *mime)
{
  return mime != NULL && g_str_has_prefix (mime, "video/");
}

static gboolean
query_tooltip_cb (EaselGalleryItem *self,
                  int               x,
                  int               y,
                  gboolean          keyboard_mode,
                  GtkTooltip       *tooltip)
{
  const char *prompt = self->image ? easel_image_get_prompt (self->image) : NULL;
  g_autofree char *text = NULL;

  if (prompt == NULL || *prompt == '\0')
    return FALSE;

  /* Asked for only when shown: setting a tooltip on every bind costs. */
  if (g_utf8_strlen (prompt, -1) > 240)
    text = g_strconcat (g_utf8_substring (prompt, 0, 239), "…", NULL);
  gtk_tooltip_set_text (tooltip, text ? text : prompt);
  return TRUE;
}

static GtkSizeRequestMode
easel_gallery_item_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
easel_gallery_item_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  EaselGalleryItem *self = EASEL_GALLERY_ITEM (widget);
  int child_min, child_nat;

  gtk_widget_measure (self->overlay, orientation, -1, &child_min, &child_nat, NULL, NULL);

  /* Square: as high as wide. The width is the size request the view sets,
   * also as the natural width: the grid counts its columns from the
   * natural width, which must not follow the thumbnail's pixels. */
  if (orientation == GTK_ORIENTATION_VERTICAL && for_size > 0)
    *minimum = *natural = MAX (child_min, for_size);
  else
    *minimum = *natural = child_min;
}

static void
easel_gallery_item_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  EaselGalleryItem *self = EASEL_GALLERY_ITEM (widget);
  int side = MIN (width, height);

  /* The thumbnail is cut to the cell's size: the first allocation, or a
   * new size, loads it (before the picture is allocated). */
  if (self->image != NULL && cell_side (self) != self->shown_side)
    load_thumbnail (self);

  gtk_widget_allocate (self->overlay, side, side, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT ((width - side) / 2,
                                                                            (height - side) / 2)));
}

/* GTK 4.8's grid keeps a thousand cells bound around what is on screen,
 * unmapped; only the mapped ones load and hold a thumbnail. The cache
 * keeps the textures of cells that just scrolled away. */
static void
easel_gallery_item_map (GtkWidget *widget)
{
  EaselGalleryItem *self = EASEL_GALLERY_ITEM (widget);

  GTK_WIDGET_CLASS (easel_gallery_item_parent_class)->map (widget);

  self->shown_side = 0;
  load_thumbnail (self);
}

static void
easel_gallery_item_unmap (GtkWidget *widget)
{
  EaselGalleryItem *self = EASEL_GALLERY_ITEM (widget);

  cancel_load (self);
  self->shown_side = 0;
  gtk_picture_set_paintable (self->picture, NULL);

  GTK_WIDGET_CLASS (easel_gallery_item_parent_class)->unmap (widget);
}

static void
easel_gallery_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EaselGalleryItem *self = EASEL_GALLERY_ITEM (object);

  switch (prop_id)
    {
    case PROP_IMAGE:
      g_value_set_object (value, self->image);
      break;
    case PROP_SELECTED:
      g_value_set_boolean (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_gallery_item_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  EaselGalleryItem *self = EASEL_GALLERY_ITEM (object);

  switch (prop_id)
    {
    case PROP_IMAGE:
      easel_gallery_item_set_image (self, g_value_get_object (value));
      break;
    case PROP_SELECTED:
      if (self->selected != g_value_get_boolean (value))
        {
          self->selected = g_value_get_boolean (value);
          gtk_widget_set_visible (self->check_badge, self->selected);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_gallery_item_dispose (GObject *object)
{
  EaselGalleryItem *self = EASEL_GALLERY_ITEM (object);

  cancel_load (self);
  if (self->image != NULL)
    g_clear_signal_handler (&self->path_handler, self->image);
  g_clear_object (&self->image);
  gtk_widget_dispose_template (GTK_WIDGET (self), EASEL_TYPE_GALLERY_ITEM);

  G_OBJECT_CLASS (easel_gallery_item_parent_class)->dispose (object);
}

static void
easel_gallery_item_finalize (GObject *object)
{
  EaselGalleryItem *self = EASEL_GALLERY_ITEM (object);

  g_clear_object (&self->cache);

  G_OBJECT_CLASS (easel_gallery_item_parent_class)->finalize (object);
}

static void
easel_gallery_item_class_init (EaselGalleryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = easel_gallery_item_get_property;
  object_class->set_property = easel_gallery_item_set_property;
  object_class->dispose = easel_gallery_item_dispose;
  object_class->finalize = easel_gallery_item_finalize;

  widget_class->get_request_mode = easel_gallery_item_get_request_mode;
  widget_class->measure = easel_gallery_item_measure;
  widget_class->size_allocate = easel_gallery_item_size_allocate;
  widget_class->map = easel_gallery_item_map;
  widget_class->unmap = easel_gallery_item_unmap;

  properties[PROP_IMAGE] =
    g_param_spec_object ("image", NULL, NULL,
                         EASEL_TYPE_IMAGE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_boolean ("selected", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-gallery-item.ui");
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryItem, overlay);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryItem, picture);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryItem, fallback_icon);
  gtk_widget_class_bind_template_child (widget_class, EaselGalleryItem, check_badge);
  gtk_widget_class_bind_template_callback (widget_class, rating_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, is_rated_cb);
  gtk_widget_class_bind_template_callback (widget_class, is_video_cb);

  gtk_widget_class_set_css_name (widget_class, "easel-gallery-item");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
easel_gallery_item_init (EaselGalleryItem *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
}
