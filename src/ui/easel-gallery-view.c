/* easel-gallery-view.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The gallery of every image ever generated. It shows its empty state until
 * the library exists. */

#include "config.h"

#include "easel-gallery-view.h"

struct _EaselGalleryView
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (EaselGalleryView, easel_gallery_view, ADW_TYPE_BIN)

static void
easel_gallery_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), EASEL_TYPE_GALLERY_VIEW);

  G_OBJECT_CLASS (easel_gallery_view_parent_class)->dispose (object);
}

static void
easel_gallery_view_class_init (EaselGalleryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = easel_gallery_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-gallery-view.ui");
}

static void
easel_gallery_view_init (EaselGalleryView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
