/* easel-application.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "easel-application.h"

#include <glib/gi18n.h>

#include "easel-metainfo.h"
#include "easel-preferences-window.h"
#include "easel-window.h"

struct _EaselApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (EaselApplication, easel_application, ADW_TYPE_APPLICATION)

/**
 * easel_application_new:
 * @application_id: the application ID
 * @flags: flags for #GApplication
 *
 * Returns: (transfer full): a new #EaselApplication
 */
EaselApplication *
easel_application_new (const char        *application_id,
                       GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  /* The resource base path is set explicitly because the development build's
   * application ID (…Easel.Devel) would otherwise give another path. */
  return g_object_new (EASEL_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

/**
 * easel_application_get_settings:
 * @self: an #EaselApplication
 *
 * Returns: (transfer none): the application's settings
 */
GSettings *
easel_application_get_settings (EaselApplication *self)
{
  g_return_val_if_fail (EASEL_IS_APPLICATION (self), NULL);

  return self->settings;
}

static void
apply_color_scheme (EaselApplication *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  AdwColorScheme scheme;

  switch (g_settings_get_enum (self->settings, "color-scheme"))
    {
    case 1:
      scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
      break;
    case 2:
      scheme = ADW_COLOR_SCHEME_FORCE_DARK;
      break;
    default:
      /* Follow the system, light when it has no preference. */
      scheme = ADW_COLOR_SCHEME_PREFER_LIGHT;
      break;
    }

  adw_style_manager_set_color_scheme (style_manager, scheme);
}

static void
color_scheme_changed_cb (EaselApplication *self,
                         const char       *key,
                         GSettings        *settings)
{
  apply_color_scheme (self);
}

/* Shows a secondary window (About, Preferences, Shortcuts) over the window
 * the user is working in. */
static void
present_over_active_window (EaselApplication *self,
                            GtkWindow        *window)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_set_transient_for (window, parent);
  gtk_window_set_application (window, GTK_APPLICATION (self));
  gtk_window_present (window);
}

static GtkWidget *
about_window_from_metainfo (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(EaselMetainfo) info = NULL;
  const char *developers[] = { NULL, NULL };
  g_autofree char *copyright = NULL;
  g_autofree char *comments = NULL;
  const char *data;
  gsize size;
  GtkWidget *about;

  bytes = g_resources_lookup_data (RESOURCE_PATH "/metainfo.xml",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  data = g_bytes_get_data (bytes, &size);
  info = easel_metainfo_parse (data, size, error);
  if (info == NULL)
    return NULL;

  /* The About window's text field shows plain text: use the summary. */
  comments = g_strdup (info->summary);
  developers[0] = info->developer_name;
  /* Translators: the copyright line in the About window */
  copyright = g_strdup_printf (_("© 2026 %s"), info->developer_name ? info->developer_name : "");

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application-icon", APP_ID,
                        "application-name", info->name,
                        "developer-name", info->developer_name,
                        "version", info->release_version ? info->release_version : PACKAGE_VERSION,
                        "comments", comments,
                        "website", info->homepage,
                        "issue-url", info->bugtracker,
                        "copyright", copyright,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: replace with your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);

  if (info->developer_name != NULL)
    adw_about_window_set_developers (ADW_ABOUT_WINDOW (about), developers);
  if (info->release_notes != NULL)
    {
      adw_about_window_set_release_notes (ADW_ABOUT_WINDOW (about), info->release_notes);
      adw_about_window_set_release_notes_version (ADW_ABOUT_WINDOW (about),
                                                  info->release_version);
    }

  return about;
}

/**
 * easel_application_show_about:
 * @self: an #EaselApplication
 *
 * Shows the About window, built from the bundled AppStream metainfo.
 *
 * Returns: (transfer none) (nullable): the About window
 */
GtkWindow *
easel_application_show_about (EaselApplication *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *about;

  g_return_val_if_fail (EASEL_IS_APPLICATION (self), NULL);

  about = about_window_from_metainfo (&error);
  if (about == NULL)
    {
      /* The metainfo is compiled in; failing here is a packaging bug. */
      g_critical ("Cannot build the About window: %s", error->message);
      return NULL;
    }

  present_over_active_window (self, GTK_WINDOW (about));

  return GTK_WINDOW (about);
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  easel_application_show_about (EASEL_APPLICATION (user_data));
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  EaselApplication *self = EASEL_APPLICATION (user_data);

  present_over_active_window (self, GTK_WINDOW (easel_preferences_window_new (self->settings)));
}

static void
shortcuts_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  EaselApplication *self = EASEL_APPLICATION (user_data);
  g_autoptr(GtkBuilder) builder = NULL;

  builder = gtk_builder_new_from_resource (RESOURCE_PATH "/easel-shortcuts-window.ui");
  present_over_active_window (self, GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window")));
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  EaselApplication *self = EASEL_APPLICATION (user_data);
  GList *windows;

  /* Close the windows first so each saves its state, as on a normal close. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);

  g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_action_cb },
  { .name = "preferences", .activate = preferences_action_cb },
  { .name = "shortcuts", .activate = shortcuts_action_cb },
  { .name = "quit", .activate = quit_action_cb },
};

static const struct
{
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.shortcuts", { "<Control>question", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.toggle-editor", { "F9", NULL } },
  { "win.toggle-jobs", { "<Control>j", NULL } },
};

static void
easel_application_startup (GApplication *application)
{
  EaselApplication *self = EASEL_APPLICATION (application);

  G_APPLICATION_CLASS (easel_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           app_accels[i].action,
                                           app_accels[i].accels);

  gtk_window_set_default_icon_name (APP_ID);

  self->settings = g_settings_new (BASE_APP_ID);
  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (color_scheme_changed_cb), self,
                           G_CONNECT_SWAPPED);
  apply_color_scheme (self);
}

static void
easel_application_activate (GApplication *application)
{
  EaselApplication *self = EASEL_APPLICATION (application);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (easel_window_new (self));

  gtk_window_present (window);
}

static void
easel_application_shutdown (GApplication *application)
{
  EaselApplication *self = EASEL_APPLICATION (application);

  G_APPLICATION_CLASS (easel_application_parent_class)->shutdown (application);

  g_clear_object (&self->settings);
}

static void
easel_application_dispose (GObject *object)
{
  EaselApplication *self = EASEL_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (easel_application_parent_class)->dispose (object);
}

static void
easel_application_class_init (EaselApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = easel_application_dispose;

  app_class->startup = easel_application_startup;
  app_class->activate = easel_application_activate;
  app_class->shutdown = easel_application_shutdown;
}

static void
easel_application_init (EaselApplication *self)
{
}
