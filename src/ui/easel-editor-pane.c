/* easel-editor-pane.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The prompt editor pane. The editor arrives with its own issue; until then
 * the pane says plainly that there is nothing to generate with. */

#include "config.h"

#include "easel-editor-pane.h"

struct _EaselEditorPane
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (EaselEditorPane, easel_editor_pane, ADW_TYPE_BIN)

static void
easel_editor_pane_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), EASEL_TYPE_EDITOR_PANE);

  G_OBJECT_CLASS (easel_editor_pane_parent_class)->dispose (object);
}

static void
easel_editor_pane_class_init (EaselEditorPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = easel_editor_pane_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-editor-pane.ui");
}

static void
easel_editor_pane_init (EaselEditorPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
