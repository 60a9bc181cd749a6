/* easel-preferences-window.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Preferences. Every row is bound to a GSettings key, so a change applies at
 * once and there is no Apply button. Later issues add the Accounts,
 * Spending, Library and Network pages. */

#include "config.h"

#include "easel-preferences-window.h"

struct _EaselPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  /* Template widgets */
  AdwComboRow          *style_row;
};

G_DEFINE_FINAL_TYPE (EaselPreferencesWindow, easel_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The combo row lists the styles in the order of the schema's enum. */
static const char * const style_nicks[] = { "default", "force-light", "force-dark" };

static gboolean
style_get_mapping (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (style_nicks); i++)
    {
      if (g_str_equal (nick, style_nicks[i]))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }
  return FALSE;
}

static GVariant *
style_set_mapping (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (style_nicks))
    return NULL;
  return g_variant_new_string (style_nicks[selected]);
}

/**
 * easel_preferences_window_new:
 * @settings: the application's settings
 *
 * Returns: (transfer none): a new preferences window
 */
EaselPreferencesWindow *
easel_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (EASEL_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}

static void
easel_preferences_window_constructed (GObject *object)
{
  EaselPreferencesWindow *self = EASEL_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (easel_preferences_window_parent_class)->constructed (object);

  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                style_get_mapping, style_set_mapping,
                                NULL, NULL);
}

static void
easel_preferences_window_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  EaselPreferencesWindow *self = EASEL_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_preferences_window_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  EaselPreferencesWindow *self = EASEL_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_preferences_window_dispose (GObject *object)
{
  EaselPreferencesWindow *self = EASEL_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), EASEL_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (easel_preferences_window_parent_class)->dispose (object);
}

static void
easel_preferences_window_class_init (EaselPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = easel_preferences_window_constructed;
  object_class->dispose = easel_preferences_window_dispose;
  object_class->get_property = easel_preferences_window_get_property;
  object_class->set_property = easel_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EaselPreferencesWindow, style_row);
}

static void
easel_preferences_window_init (EaselPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
