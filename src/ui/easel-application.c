/* easel-application.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "easel-application.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-accounts.h"
#include "easel-budget.h"
#include "easel-downloader.h"
#include "easel-error.h"
#include "easel-image-store.h"
#include "easel-library.h"
#include "easel-metainfo.h"
#include "easel-preferences-window.h"
#include "easel-store.h"
#include "easel-thumbnailer.h"
#include "easel-useapi-provider.h"
#include "easel-window.h"

struct _EaselApplication
{
  AdwApplication   parent_instance;

  GSettings       *settings;
  GCancellable    *cancellable;
  GPtrArray       *pending;      /* job requests handed over before the queue was ready */
  EaselStore      *store;
  EaselSecrets    *secrets;
  EaselAccounts   *accounts;
  EaselImageStore *images;
  EaselDownloader *downloader;
  EaselBudget     *budget;
  EaselJobQueue   *queue;
  EaselLibrary    *library;
  EaselThumbnailer *thumbnailer;
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

/**
 * easel_application_get_job_queue:
 * @self: an #EaselApplication
 *
 * Returns: (transfer none) (nullable): the job queue, once the library is open
 */
EaselJobQueue *
easel_application_get_job_queue (EaselApplication *self)
{
  g_return_val_if_fail (EASEL_IS_APPLICATION (self), NULL);

  return self->queue;
}

/**
 * easel_application_get_accounts:
 * @self: an #EaselApplication
 *
 * Returns: (transfer none): the accounts (empty until the library is open
 *   and they are listed; their tokens follow from the keyring)
 */
EaselAccounts *
easel_application_get_accounts (EaselApplication *self)
{
  g_return_val_if_fail (EASEL_IS_APPLICATION (self), NULL);

  return self->accounts;
}

/* The engine: the store opens on its own thread, the gallery shows the
 * library at once, and the accounts are listed from the store (which
 * decides between the panes and the onboarding page), then read their
 * tokens from the keyring; until both are done the windows show no jobs,
 * so no job asks for a token that is not there yet. */

static char *
job_excerpt (EaselJob *job)
{
  g_autofree char *flat = g_strdup (easel_job_get_prompt (job));

  g_strdelimit (flat, "\r\n\t", ' ');
  if (g_utf8_strlen (flat, -1) <= 60)
    return g_steal_pointer (&flat);
  return g_strconcat (g_utf8_substring (flat, 0, 59), "…", NULL);
}

/* The job's outputs are in the library now: tell the galleries. An output
 * is the absolute path of the original, named by its hash. */
static void
report_new_images (EaselApplication *self,
                   EaselJob         *job)
{
  const char * const *outputs = easel_job_get_outputs (job);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) hashes = NULL;

  if (self->library == NULL || outputs == NULL)
    return;

  for (guint i = 0; outputs[i] != NULL; i++)
    {
      g_autofree char *name = g_path_get_basename (outputs[i]);
      char *dot = strrchr (name, '.');

      if (dot != NULL)
        *dot = '\0';
      if (*name != '\0')
        g_strv_builder_add (builder, name);
    }

  hashes = g_strv_builder_end (builder);
  if (hashes[0] != NULL)
    easel_library_images_added (self->library, (const char * const *) hashes);
}

static void
job_finished_cb (EaselApplication *self,
                 EaselJob         *job,
                 EaselJobQueue    *queue)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  EaselJobState state = easel_job_get_state (job);

  if (state == EASEL_JOB_SUCCEEDED)
    report_new_images (self, job);

  /* Only when the user is not looking at Easel. */
  if ((window != NULL && gtk_window_is_active (window)) ||
      !g_settings_get_boolean (self->settings, "notify-finished") ||
      state == EASEL_JOB_CANCELLED)
    return;

  notification = g_notification_new (state == EASEL_JOB_SUCCEEDED ? _("Image Ready")
                                     : state == EASEL_JOB_NEEDS_ATTENTION ? _("Job Needs Attention")
                                     : _("Job Failed"));
  body = job_excerpt (job);
  if (state != EASEL_JOB_SUCCEEDED && easel_job_get_error_message (job) != NULL)
    {
      g_autofree char *excerpt = g_steal_pointer (&body);

      body = g_strdup_printf ("%s\n%s", excerpt, easel_job_get_error_message (job));
    }
  g_notification_set_body (notification, body);
  g_application_send_notification (G_APPLICATION (self), "job-finished", notification);
}

static void
enqueued_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EaselApplication) self = user_data;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  jobs = easel_job_queue_enqueue_finish (EASEL_JOB_QUEUE (object), result, &error);
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (jobs == NULL && EASEL_IS_WINDOW (window))
    easel_window_show_toast (EASEL_WINDOW (window), error->message);
}

static void
enqueue_pending (EaselApplication *self)
{
  g_autoptr(GPtrArray) pending = g_steal_pointer (&self->pending);

  if (pending != NULL && pending->len > 0)
    easel_job_queue_enqueue_async (self->queue, pending, NULL, enqueued_cb, g_object_ref (self));
}

/* `easel generate` with a window open hands its jobs over. */
static void
enqueue_action_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  EaselApplication *self = EASEL_APPLICATION (user_data);
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;

  requests = easel_job_requests_from_json (g_variant_get_string (parameter, NULL), &error);
  if (requests == NULL)
    {
      g_warning ("Refusing jobs handed over: %s", error->message);
      return;
    }

  if (self->pending == NULL)
    self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_job_request_free);
  g_ptr_array_extend_and_steal (self->pending, g_steal_pointer (&requests));
  if (self->queue != NULL)
    enqueue_pending (self);
}

static void
show_queue_in_windows (EaselApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (EASEL_IS_WINDOW (l->data))
        easel_window_set_job_queue (l->data, self->queue);
    }
}

/* The gallery shows as soon as the library is open, without waiting for
 * the accounts' tokens from the keyring. */
static void
show_library_in_windows (EaselApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (EASEL_IS_WINDOW (l->data))
        easel_window_set_library (l->data, self->library, self->thumbnailer);
    }
}

static void
queue_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(EaselApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!easel_job_queue_load_finish (EASEL_JOB_QUEUE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot load the jobs: %s", error->message);
}

static void
thumbnail_cache_size_changed_cb (EaselApplication *self,
                                 const char       *key,
                                 GSettings        *settings)
{
  if (self->thumbnailer != NULL)
    easel_thumbnailer_set_max_cache_size (self->thumbnailer,
                                          g_settings_get_uint64 (settings, "thumbnail-cache-size"));
}

static void
accounts_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(EaselApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Accounts that failed to load are listed with their problem; the
   * engine starts either way. */
  if (!easel_accounts_load_finish (EASEL_ACCOUNTS (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Cannot load the accounts: %s", error->message);
    }
  if (self->settings == NULL)
    return;   /* shut down meanwhile */

  self->queue = easel_job_queue_new (self->store, self->downloader, self->budget,
                                     easel_accounts_lookup, g_object_ref (self->accounts),
                                     g_object_unref);
  easel_job_queue_bind_settings (self->queue, self->settings);
  easel_accounts_bind_queue (self->accounts, self->queue);
  g_signal_connect_object (self->queue, "job-finished", G_CALLBACK (job_finished_cb), self,
                           G_CONNECT_SWAPPED);

  show_queue_in_windows (self);
  easel_job_queue_load_async (self->queue, self->cancellable, queue_loaded_cb, g_object_ref (self));
  enqueue_pending (self);
}

static void
store_opened_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(EaselApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!easel_store_open_finish (EASEL_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Cannot open the library: %s", error->message);
          /* The windows wait for the accounts to be listed: the store
           * cannot answer, so that lists the environment's alone. */
          easel_accounts_load_async (self->accounts, self->cancellable, NULL, NULL);
        }
      return;
    }
  if (self->settings == NULL)
    return;   /* shut down meanwhile */

  self->images = easel_image_store_new (NULL);
  self->library = easel_library_new (self->store, self->images);
  self->thumbnailer = easel_thumbnailer_new (self->images, NULL);
  g_signal_connect_object (self->settings, "changed::thumbnail-cache-size",
                           G_CALLBACK (thumbnail_cache_size_changed_cb), self, G_CONNECT_SWAPPED);
  thumbnail_cache_size_changed_cb (self, NULL, self->settings);
  self->downloader = easel_downloader_new (self->images, 4);
  self->budget = easel_budget_new ();
  easel_budget_bind_settings (self->budget, self->settings);
  show_library_in_windows (self);
  easel_accounts_load_async (self->accounts, self->cancellable, accounts_loaded_cb, g_object_ref (self));
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
  EaselPreferencesWindow *window = easel_preferences_window_new (self->settings);

  /* Nothing of the engine before the library is open: no account can be
   * added to a store that is still opening. */
  if (self->images != NULL)
    easel_preferences_window_set_engine (window, self->accounts, self->store, self->images,
                                         self->thumbnailer);
  /* app.preferences-page: one page of it, such as the spending indicator's
   * "Budgets…"; the page names are those of the preferences' .ui. */
  if (parameter != NULL)
    adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window),
                                                  g_variant_get_string (parameter, NULL));
  present_over_active_window (self, GTK_WINDOW (window));
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

static void
toast (EaselApplication *self,
       const char       *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (EASEL_IS_WINDOW (window))
    easel_window_show_toast (EASEL_WINDOW (window), message);
}

static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EaselApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    toast (self, error->message);
}

/* The provider's billing page, for jobs refused for lack of credit. */
static void
open_billing_action_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  EaselApplication *self = EASEL_APPLICATION (user_data);
  const char *provider = g_variant_get_string (parameter, NULL);
  const char *uri;

  if (g_str_equal (provider, "replicate"))
    uri = "https://replicate.com/account/billing";
  else if (g_str_equal (provider, "midjourney"))
    uri = "https://useapi.net/docs/subscription";
  else
    return;

  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, launched_cb, g_object_ref (self));
}

typedef struct
{
  EaselApplication *self;
  GPtrArray        *channels;
  guint             pending;
  guint             reset;
} Reset;

static void
reset_free (Reset *reset)
{
  g_clear_object (&reset->self);
  g_clear_pointer (&reset->channels, g_ptr_array_unref);
  g_free (reset);
}

static void
reset_done (Reset *reset)
{
  if (reset->reset > 0)
    toast (reset->self, _("The Midjourney channel is back in rotation"));
  else
    toast (reset->self, _("No Midjourney channel was waiting for a reset"));
  if (reset->self->queue != NULL)
    easel_job_queue_set_paused (reset->self->queue, FALSE);
  reset_free (reset);
}

static void
channel_reset_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Reset *reset = user_data;
  g_autoptr(GError) error = NULL;

  if (easel_useapi_provider_reset_channel_finish (EASEL_USEAPI_PROVIDER (object), result, &error))
    reset->reset++;
  else
    toast (reset->self, error->message);

  if (--reset->pending == 0)
    reset_done (reset);
}

static void
channels_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Reset *reset = user_data;
  g_autoptr(GError) error = NULL;

  reset->channels = easel_useapi_provider_list_channels_finish (EASEL_USEAPI_PROVIDER (object), result, &error);
  if (reset->channels == NULL)
    {
      toast (reset->self, error->message);
      reset_free (reset);
      return;
    }

  for (guint i = 0; i < reset->channels->len; i++)
    {
      EaselUseapiChannel *channel = g_ptr_array_index (reset->channels, i);

      if (channel->error == NULL)
        continue;
      reset->pending++;
      easel_useapi_provider_reset_channel_async (EASEL_USEAPI_PROVIDER (object), channel->channel,
                                                 NULL, channel_reset_cb, reset);
    }
  if (reset->pending == 0)
    reset_done (reset);
}

/* After a 596: the user cleared the notice or CAPTCHA in Discord; put the
 * account's flagged channels back into rotation. */
static void
reset_channel_action_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  EaselApplication *self = EASEL_APPLICATION (user_data);
  g_autoptr(EaselProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  Reset *reset;

  if (self->accounts == NULL)
    return;
  provider = easel_accounts_lookup ("midjourney", g_variant_get_string (parameter, NULL),
                                    self->accounts, &error);
  if (provider == NULL)
    {
      toast (self, error->message);
      return;
    }

  reset = g_new0 (Reset, 1);
  reset->self = g_object_ref (self);
  easel_useapi_provider_list_channels_async (EASEL_USEAPI_PROVIDER (provider), NULL,
                                             channels_listed_cb, reset);
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_action_cb },
  { .name = "preferences", .activate = preferences_action_cb },
  { .name = "preferences-page", .activate = preferences_action_cb, .parameter_type = "s" },
  { .name = "shortcuts", .activate = shortcuts_action_cb },
  { .name = "quit", .activate = quit_action_cb },
  { .name = "open-billing", .activate = open_billing_action_cb, .parameter_type = "s" },
  { .name = "reset-channel", .activate = reset_channel_action_cb, .parameter_type = "s" },
  { .name = "enqueue", .activate = enqueue_action_cb, .parameter_type = "s" },
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

  self->cancellable = g_cancellable_new ();
  self->secrets = easel_secrets_new ();
  self->store = easel_store_new (NULL);
  /* The windows have the accounts from the start: until they are listed
   * (just after the store opens) they show neither the panes nor the
   * onboarding page. */
  self->accounts = easel_accounts_new (self->store, self->secrets);
  easel_accounts_bind_settings (self->accounts, self->settings);
  easel_store_open_async (self->store, self->cancellable, store_opened_cb, g_object_ref (self));
}

static void
easel_application_activate (GApplication *application)
{
  EaselApplication *self = EASEL_APPLICATION (application);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    {
      window = GTK_WINDOW (easel_window_new (self));
      easel_window_set_accounts (EASEL_WINDOW (window), self->accounts);
      if (self->library != NULL)
        easel_window_set_library (EASEL_WINDOW (window), self->library, self->thumbnailer);
      if (self->queue != NULL)
        easel_window_set_job_queue (EASEL_WINDOW (window), self->queue);
    }

  gtk_window_present (window);
}

static void
easel_application_shutdown (GApplication *application)
{
  EaselApplication *self = EASEL_APPLICATION (application);

  G_APPLICATION_CLASS (easel_application_parent_class)->shutdown (application);

  /* Everything the jobs did is in the store already; unfinished jobs go
   * on at the next start. */
  g_cancellable_cancel (self->cancellable);
  if (self->queue != NULL)
    g_object_run_dispose (G_OBJECT (self->queue));
  g_clear_object (&self->queue);
  g_clear_object (&self->thumbnailer);
  g_clear_object (&self->library);
  g_clear_object (&self->accounts);
  g_clear_object (&self->secrets);
  if (self->store != NULL)
    easel_store_close (self->store);
  g_clear_object (&self->store);
  g_clear_object (&self->downloader);
  g_clear_object (&self->images);
  g_clear_object (&self->budget);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_object (&self->settings);
}

static void
easel_application_dispose (GObject *object)
{
  EaselApplication *self = EASEL_APPLICATION (object);

  g_clear_object (&self->queue);
  g_clear_object (&self->thumbnailer);
  g_clear_object (&self->library);
  g_clear_object (&self->accounts);
  g_clear_object (&self->secrets);
  g_clear_object (&self->store);
  g_clear_object (&self->downloader);
  g_clear_object (&self->images);
  g_clear_object (&self->budget);
  g_clear_object (&self->cancellable);
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
