/* easel-image-canvas.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The viewer's image: best fit by default, zoom with Ctrl+scroll, pinch or
 * the viewer's keys, pan by dragging or scrolling once the image is larger
 * than the canvas, and a double click to switch between best fit and 100 %.
 *
 * The zoom is in device pixels per image pixel, so 100 % shows every pixel
 * of the image on its own pixel of the screen, at any scale factor. The
 * view is kept as the image point at the canvas centre; zooming keeps the
 * point under the pointer (or the pinch) where it is. Best fit never
 * enlarges an image beyond 100 %. */

#include "config.h"

#include "easel-image-canvas.h"

#include <math.h>

#define ZOOM_STEP 1.25
#define MAX_ZOOM  16.0
#define SCROLL_PAN_PIXELS 48.0

struct _EaselImageCanvas
{
  GtkWidget     parent_instance;

  GdkPaintable *paintable;
  gboolean      fit;
  double        zoom;        /* when not fitting */
  double        center_x;    /* the image point at the canvas centre */
  double        center_y;

  double        pointer_x;
  double        pointer_y;
  double        drag_center_x;
  double        drag_center_y;
  double        pinch_zoom;
  double        notified_zoom;
  guint         notify_idle;
};

G_DEFINE_FINAL_TYPE (EaselImageCanvas, easel_image_canvas, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PAINTABLE,
  PROP_FIT,
  PROP_ZOOM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * easel_image_canvas_new:
 *
 * Returns: (transfer floating): a new, empty canvas
 */
GtkWidget *
easel_image_canvas_new (void)
{
  return g_object_new (EASEL_TYPE_IMAGE_CANVAS, NULL);
}

static gboolean
image_size (EaselImageCanvas *self,
            double           *width,
            double           *height)
{
  if (self->paintable == NULL)
    return FALSE;

  *width = gdk_paintable_get_intrinsic_width (self->paintable);
  *height = gdk_paintable_get_intrinsic_height (self->paintable);
  return *width > 0 && *height > 0;
}

static double
fit_zoom (EaselImageCanvas *self)
{
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double image_width, image_height;

  if (!image_size (self, &image_width, &image_height) || width <= 0 || height <= 0)
    return 1.0;

  return MIN (1.0, MIN (width * scale_factor / image_width, height * scale_factor / image_height));
}

static double
effective_zoom (EaselImageCanvas *self)
{
  return self->fit ? fit_zoom (self) : self->zoom;
}

/* Logical pixels per image pixel. */
static double
view_scale (EaselImageCanvas *self)
{
  return effective_zoom (self) / gtk_widget_get_scale_factor (GTK_WIDGET (self));
}

static void
clamp_axis (double *center,
            double  image_extent,
            double  view_extent,
            double  scale)
{
  double half = view_extent / (2 * scale);

  if (image_extent * scale <= view_extent)
    *center = image_extent / 2;
  else
    *center = CLAMP (*center, half, image_extent - half);
}

static void
clamp_center (EaselImageCanvas *self)
{
  double image_width, image_height, scale = view_scale (self);

  if (!image_size (self, &image_width, &image_height))
    return;

  clamp_axis (&self->center_x, image_width, gtk_widget_get_width (GTK_WIDGET (self)), scale);
  clamp_axis (&self->center_y, image_height, gtk_widget_get_height (GTK_WIDGET (self)), scale);
}

static gboolean
can_pan (EaselImageCanvas *self)
{
  double image_width, image_height, scale = view_scale (self);

  if (!image_size (self, &image_width, &image_height))
    return FALSE;

  return image_width * scale > gtk_widget_get_width (GTK_WIDGET (self)) + 0.5 ||
         image_height * scale > gtk_widget_get_height (GTK_WIDGET (self)) + 0.5;
}

static void
update_cursor (EaselImageCanvas *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), can_pan (self) ? "grab" : NULL);
}

/* Zooms to @zoom keeping the image point under (@x, @y) in place. */
static void
zoom_at (EaselImageCanvas *self,
         double            zoom,
         double            x,
         double            y)
{
  double old_scale = view_scale (self);
  double min_zoom = fit_zoom (self);
  double image_x, image_y, new_scale;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  gboolean was_fit = self->fit;
  double old_zoom = effective_zoom (self);

  if (self->paintable == NULL)
    return;

  image_x = self->center_x + (x - width / 2.0) / old_scale;
  image_y = self->center_y + (y - height / 2.0) / old_scale;

  /* Zooming out stops at best fit, and snaps to it. */
  if (zoom <= min_zoom * 1.001)
    {
      self->fit = TRUE;
      self->zoom = min_zoom;
    }
  else
    {
      self->fit = FALSE;
      self->zoom = MIN (zoom, MAX_ZOOM);
    }

  new_scale = view_scale (self);
  self->center_x = image_x - (x - width / 2.0) / new_scale;
  self->center_y = image_y - (y - height / 2.0) / new_scale;
  clamp_center (self);
  update_cursor (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (was_fit != self->fit)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
  if (old_zoom != effective_zoom (self))
    {
      self->notified_zoom = effective_zoom (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
}

static void
zoom_at_centre (EaselImageCanvas *self,
                double            zoom)
{
  zoom_at (self, zoom,
           gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

/**
 * easel_image_canvas_get_paintable:
 * @self: a canvas
 *
 * Returns: (transfer none) (nullable): what the canvas shows
 */
GdkPaintable *
easel_image_canvas_get_paintable (EaselImageCanvas *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE_CANVAS (self), NULL);

  return self->paintable;
}

/**
 * easel_image_canvas_set_paintable:
 * @self: a canvas
 * @paintable: (nullable): the image to show
 *
 * Shows @paintable at best fit.
 */
void
easel_image_canvas_set_paintable (EaselImageCanvas *self,
                                  GdkPaintable     *paintable)
{
  double width, height;

  g_return_if_fail (EASEL_IS_IMAGE_CANVAS (self));
  g_return_if_fail (paintable == NULL || GDK_IS_PAINTABLE (paintable));

  if (!g_set_object (&self->paintable, paintable))
    return;

  if (image_size (self, &width, &height))
    {
      self->center_x = width / 2;
      self->center_y = height / 2;
    }
  self->fit = TRUE;
  update_cursor (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAINTABLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/**
 * easel_image_canvas_get_fit:
 * @self: a canvas
 *
 * Returns: whether the image is shown at best fit
 */
gboolean
easel_image_canvas_get_fit (EaselImageCanvas *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE_CANVAS (self), FALSE);

  return self->fit;
}

/**
 * easel_image_canvas_set_fit:
 * @self: a canvas
 * @fit: %TRUE for best fit, %FALSE for 100 %
 */
void
easel_image_canvas_set_fit (EaselImageCanvas *self,
                            gboolean          fit)
{
  g_return_if_fail (EASEL_IS_IMAGE_CANVAS (self));

  if (fit)
    zoom_at_centre (self, 0);
  else
    zoom_at_centre (self, 1.0);
}

/**
 * easel_image_canvas_get_zoom:
 * @self: a canvas
 *
 * Returns: the zoom, 1.0 for one device pixel per image pixel
 */
double
easel_image_canvas_get_zoom (EaselImageCanvas *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE_CANVAS (self), 1.0);

  return effective_zoom (self);
}

/**
 * easel_image_canvas_set_zoom:
 * @self: a canvas
 * @zoom: the zoom, 1.0 for one device pixel per image pixel
 *
 * Zooms around the centre; at or below best fit, the canvas fits.
 */
void
easel_image_canvas_set_zoom (EaselImageCanvas *self,
                             double            zoom)
{
  g_return_if_fail (EASEL_IS_IMAGE_CANVAS (self));

  zoom_at_centre (self, zoom);
}

/**
 * easel_image_canvas_zoom_in:
 * @self: a canvas
 */
void
easel_image_canvas_zoom_in (EaselImageCanvas *self)
{
  g_return_if_fail (EASEL_IS_IMAGE_CANVAS (self));

  zoom_at_centre (self, effective_zoom (self) * ZOOM_STEP);
}

/**
 * easel_image_canvas_zoom_out:
 * @self: a canvas
 */
void
easel_image_canvas_zoom_out (EaselImageCanvas *self)
{
  g_return_if_fail (EASEL_IS_IMAGE_CANVAS (self));

  zoom_at_centre (self, effective_zoom (self) / ZOOM_STEP);
}

static void
drag_begin_cb (EaselImageCanvas *self,
               double            x,
               double            y,
               GtkGestureDrag   *gesture)
{
  if (!can_pan (self))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->drag_center_x = self->center_x;
  self->drag_center_y = self->center_y;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
}

static void
drag_update_cb (EaselImageCanvas *self,
                double            dx,
                double            dy,
                GtkGestureDrag   *gesture)
{
  double scale = view_scale (self);

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->center_x = self->drag_center_x - dx / scale;
  self->center_y = self->drag_center_y - dy / scale;
  clamp_center (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (EaselImageCanvas *self,
             double            dx,
             double            dy,
             GtkGestureDrag   *gesture)
{
  update_cursor (self);
}

static void
motion_cb (EaselImageCanvas         *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *controller)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static gboolean
scroll_cb (EaselImageCanvas         *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (self->paintable == NULL)
    return FALSE;

  if (state & GDK_CONTROL_MASK)
    {
      zoom_at (self, effective_zoom (self) * pow (ZOOM_STEP, -dy), self->pointer_x, self->pointer_y);
      return TRUE;
    }

  if (!can_pan (self))
    return FALSE;

  if (state & GDK_SHIFT_MASK)
    {
      double swap = dx;

      dx = dy;
      dy = swap;
    }
  self->center_x += dx * SCROLL_PAN_PIXELS / view_scale (self);
  self->center_y += dy * SCROLL_PAN_PIXELS / view_scale (self);
  clamp_center (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static void
pinch_begin_cb (EaselImageCanvas *self,
                GdkEventSequence *sequence,
                GtkGesture       *gesture)
{
  self->pinch_zoom = effective_zoom (self);
}

static void
pinch_scale_changed_cb (EaselImageCanvas *self,
                        double            scale,
                        GtkGestureZoom   *gesture)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  zoom_at (self, self->pinch_zoom * scale, x, y);
}

static void
pressed_cb (EaselImageCanvas *self,
            int               n_press,
            double            x,
            double            y,
            GtkGestureClick  *gesture)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (n_press != 2 || self->paintable == NULL)
    return;

  if (self->fit)
    zoom_at (self, 1.0, x, y);
  else
    zoom_at (self, 0, x, y);
}

static void
easel_image_canvas_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  EaselImageCanvas *self = EASEL_IMAGE_CANVAS (widget);
  double width, height;

  *minimum = 0;
  *natural = 0;
  if (image_size (self, &width, &height))
    *natural = MIN (512, (int) ceil ((orientation == GTK_ORIENTATION_HORIZONTAL ? width : height) /
                                     gtk_widget_get_scale_factor (widget)));
}

static gboolean
notify_zoom_cb (gpointer user_data)
{
  EaselImageCanvas *self = user_data;

  self->notify_idle = 0;
  if (self->notified_zoom != effective_zoom (self))
    {
      self->notified_zoom = effective_zoom (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
  return G_SOURCE_REMOVE;
}

static void
easel_image_canvas_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  EaselImageCanvas *self = EASEL_IMAGE_CANVAS (widget);

  clamp_center (self);
  update_cursor (self);
  /* At best fit the zoom follows the size; say so after the layout, not
   * in the middle of it (a zoom label would need another layout). */
  if (self->notified_zoom != effective_zoom (self) && self->notify_idle == 0)
    self->notify_idle = g_idle_add (notify_zoom_cb, self);
}

static void
easel_image_canvas_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  EaselImageCanvas *self = EASEL_IMAGE_CANVAS (widget);
  int scale_factor = gtk_widget_get_scale_factor (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double image_width, image_height, scale, x, y;

  if (!image_size (self, &image_width, &image_height))
    return;

  scale = view_scale (self);
  /* On whole device pixels, so that 100 % is sharp. */
  x = round ((width / 2.0 - self->center_x * scale) * scale_factor) / scale_factor;
  y = round ((height / 2.0 - self->center_y * scale) * scale_factor) / scale_factor;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gdk_paintable_snapshot (self->paintable, GDK_SNAPSHOT (snapshot),
                          image_width * scale, image_height * scale);
  gtk_snapshot_restore (snapshot);
  gtk_snapshot_pop (snapshot);
}

static void
easel_image_canvas_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EaselImageCanvas *self = EASEL_IMAGE_CANVAS (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      g_value_set_object (value, self->paintable);
      break;
    case PROP_FIT:
      g_value_set_boolean (value, self->fit);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, effective_zoom (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_image_canvas_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  EaselImageCanvas *self = EASEL_IMAGE_CANVAS (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      easel_image_canvas_set_paintable (self, g_value_get_object (value));
      break;
    case PROP_FIT:
      easel_image_canvas_set_fit (self, g_value_get_boolean (value));
      break;
    case PROP_ZOOM:
      easel_image_canvas_set_zoom (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_image_canvas_dispose (GObject *object)
{
  EaselImageCanvas *self = EASEL_IMAGE_CANVAS (object);

  g_clear_object (&self->paintable);
  g_clear_handle_id (&self->notify_idle, g_source_remove);

  G_OBJECT_CLASS (easel_image_canvas_parent_class)->dispose (object);
}

static void
easel_image_canvas_class_init (EaselImageCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = easel_image_canvas_get_property;
  object_class->set_property = easel_image_canvas_set_property;
  object_class->dispose = easel_image_canvas_dispose;

  widget_class->measure = easel_image_canvas_measure;
  widget_class->size_allocate = easel_image_canvas_size_allocate;
  widget_class->snapshot = easel_image_canvas_snapshot;

  properties[PROP_PAINTABLE] =
    g_param_spec_object ("paintable", NULL, NULL,
                         GDK_TYPE_PAINTABLE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIT] =
    g_param_spec_boolean ("fit", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL,
                         0.0, MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "easel-image-canvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
easel_image_canvas_init (EaselImageCanvas *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->fit = TRUE;
  self->zoom = 1.0;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect_swapped (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect_swapped (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect_swapped (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect_swapped (gesture, "begin", G_CALLBACK (pinch_begin_cb), self);
  g_signal_connect_swapped (gesture, "scale-changed", G_CALLBACK (pinch_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  g_signal_connect_swapped (gesture, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (controller, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_swapped (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
