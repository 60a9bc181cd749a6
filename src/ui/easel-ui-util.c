/* easel-ui-util.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Small helpers the gallery's widgets share. */

#include "config.h"

#include "easel-ui-util.h"

/**
 * easel_widget_show_toast:
 * @widget: a widget inside an #AdwToastOverlay
 * @message: what to tell the user
 *
 * Shows @message in the nearest toast overlay around @widget.
 */
void
easel_widget_show_toast (GtkWidget  *widget,
                         const char *message)
{
  GtkWidget *overlay;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (message != NULL);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      g_debug ("No toast overlay for: %s", message);
      return;
    }

  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

/**
 * easel_widget_has_window_action:
 * @widget: a widget
 * @name: an action of the window, without "win."
 *
 * Whether the window @widget is in has the action @name and it is
 * enabled, so that a button for it does something.
 *
 * Returns: %TRUE if the window has the action
 */
gboolean
easel_widget_has_window_action (GtkWidget  *widget,
                                const char *name)
{
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  root = gtk_widget_get_root (widget);
  return G_IS_ACTION_GROUP (root) &&
         g_action_group_has_action (G_ACTION_GROUP (root), name) &&
         g_action_group_get_action_enabled (G_ACTION_GROUP (root), name);
}
