/* easel-window.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The main window: the prompt editor on the start side, the gallery in the
 * middle and the job sidebar on the end side. Both side panes are AdwFlaps
 * (libadwaita 1.2 has no split views) that fold away on a narrow window, the
 * job sidebar first since it is the least needed while writing prompts.
 *
 * Until an account makes images, an onboarding page replaces the panes
 * (EaselOnboardingPage decides when); the header bar's spending indicator
 * (EaselSpendingButton) shows today's spending otherwise.
 *
 * Whether a pane is shown is remembered only while the window is wide enough
 * to show it beside the gallery: folding hides a pane without the user
 * asking, so that must not overwrite the user's choice.
 */

#include "config.h"

#include "easel-window.h"

#include <glib/gi18n.h>

#include "easel-editor-pane.h"
#include "easel-gallery-view.h"
#include "easel-job-sidebar.h"
#include "easel-onboarding-page.h"
#include "easel-spending-button.h"

struct _EaselWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  EaselAccounts        *accounts;   /* nullable */
  gboolean              browsing;   /* the library without an account */
  guint                 compact_id; /* applies the header bar's width */
  guint                 spinner_id; /* shows the spinner of a slow start */

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwFlap              *editor_flap;
  AdwFlap              *jobs_flap;
  EaselEditorPane      *editor_pane;
  EaselGalleryView     *gallery_view;
  EaselJobSidebar      *job_sidebar;
  GtkStack             *main_stack;
  EaselOnboardingPage  *onboarding_page;
  EaselSpendingButton  *spending_button;
  GtkWidget            *editor_button;
  GtkWidget            *jobs_button;
  GtkWidget            *starting_spinner;
};

G_DEFINE_FINAL_TYPE (EaselWindow, easel_window, ADW_TYPE_APPLICATION_WINDOW)

/**
 * easel_window_new:
 * @application: (nullable): the application
 *
 * Returns: (transfer none): a new main window, owned by GTK's window list
 */
EaselWindow *
easel_window_new (EaselApplication *application)
{
  g_return_val_if_fail (application == NULL || EASEL_IS_APPLICATION (application), NULL);

  return g_object_new (EASEL_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * easel_window_get_editor_pane:
 * @self: an #EaselWindow
 *
 * Returns: (transfer none): the prompt editor pane
 */
GtkWidget *
easel_window_get_editor_pane (EaselWindow *self)
{
  g_return_val_if_fail (EASEL_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->editor_pane);
}

/**
 * easel_window_get_gallery_view:
 * @self: an #EaselWindow
 *
 * Returns: (transfer none): the gallery
 */
GtkWidget *
easel_window_get_gallery_view (EaselWindow *self)
{
  g_return_val_if_fail (EASEL_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->gallery_view);
}

/**
 * easel_window_get_job_sidebar:
 * @self: an #EaselWindow
 *
 * Returns: (transfer none): the job sidebar
 */
GtkWidget *
easel_window_get_job_sidebar (EaselWindow *self)
{
  g_return_val_if_fail (EASEL_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->job_sidebar);
}

/**
 * easel_window_set_job_queue:
 * @self: an #EaselWindow
 * @queue: (nullable): the application's job queue
 *
 * Shows @queue's jobs in the job sidebar.
 */
void
easel_window_set_job_queue (EaselWindow   *self,
                            EaselJobQueue *queue)
{
  g_return_if_fail (EASEL_IS_WINDOW (self));
  g_return_if_fail (queue == NULL || EASEL_IS_JOB_QUEUE (queue));

  easel_job_sidebar_set_queue (self->job_sidebar, queue);
  easel_gallery_view_set_job_queue (self->gallery_view, queue);
  easel_editor_pane_set_job_queue (self->editor_pane, queue);
  easel_spending_button_set_job_queue (self->spending_button, queue);
}

/* First run: the onboarding page instead of the panes while no account
 * makes images, unless the user chose to browse the library. The pane
 * toggles would act on hidden panes, so they hide too.
 *
 * Until the accounts are listed (the store's rows: quick, and before any
 * token is read from the keyring) neither shows, so a first run does not
 * flash the panes and a returning user does not flash the onboarding;
 * whichever it is then fades in. */
/* A start that takes long (a large library migrating, a slow disk) shows
 * a spinner; a quick one shows nothing. */
#define SPINNER_DELAY_MS 700

static gboolean
show_spinner (gpointer user_data)
{
  EaselWindow *self = user_data;

  self->spinner_id = 0;
  gtk_widget_set_visible (self->starting_spinner, TRUE);
  gtk_spinner_start (GTK_SPINNER (self->starting_spinner));
  return G_SOURCE_REMOVE;
}

static void
update_onboarding (EaselWindow *self)
{
  gboolean needed = easel_onboarding_page_get_needed (self->onboarding_page);
  gboolean starting = self->accounts != NULL && !easel_accounts_get_listed (self->accounts);
  gboolean onboarding;

  /* Browsing lasts until an account exists: removing the last one brings
   * the page back. */
  if (!needed && !starting)
    self->browsing = FALSE;
  onboarding = needed && !self->browsing;

  gtk_stack_set_visible_child_name (self->main_stack,
                                    starting ? "starting" : onboarding ? "onboarding" : "panes");
  if (starting && self->spinner_id == 0 && !gtk_widget_get_visible (self->starting_spinner))
    self->spinner_id = g_timeout_add (SPINNER_DELAY_MS, show_spinner, self);
  else if (!starting)
    {
      g_clear_handle_id (&self->spinner_id, g_source_remove);
      gtk_spinner_stop (GTK_SPINNER (self->starting_spinner));
      gtk_widget_set_visible (self->starting_spinner, FALSE);
    }
  gtk_widget_set_visible (self->editor_button, !onboarding && !starting);
  gtk_widget_set_visible (self->jobs_button, !onboarding && !starting);
  gtk_widget_set_child_visible (GTK_WIDGET (self->spending_button), !onboarding && !starting);
}

static void
browse_cb (EaselWindow *self)
{
  self->browsing = TRUE;
  update_onboarding (self);
}

static void
gallery_changed_cb (EaselWindow *self)
{
  GListModel *model = easel_gallery_view_get_model (self->gallery_view);

  easel_onboarding_page_set_can_browse (self->onboarding_page,
                                        model != NULL && g_list_model_get_n_items (model) > 0);
}

/**
 * easel_window_set_accounts:
 * @self: an #EaselWindow
 * @accounts: (nullable): the application's accounts, listed or not yet
 *
 * Shows the onboarding page while no account makes images, and lets the
 * prompt editor offer the providers and accounts. Until @accounts are
 * listed (#EaselAccounts:listed) the window shows neither the panes nor
 * the onboarding page; give it the accounts before presenting it.
 */
void
easel_window_set_accounts (EaselWindow   *self,
                           EaselAccounts *accounts)
{
  g_return_if_fail (EASEL_IS_WINDOW (self));
  g_return_if_fail (accounts == NULL || EASEL_IS_ACCOUNTS (accounts));

  /* The page first: it must know whether it is needed when the window
   * hears that the accounts are listed, or the panes would flash. */
  easel_onboarding_page_set_accounts (self->onboarding_page, accounts);
  easel_editor_pane_set_accounts (self->editor_pane, accounts);
  if (self->accounts != accounts)
    {
      if (self->accounts != NULL)
        g_signal_handlers_disconnect_by_func (self->accounts, update_onboarding, self);
      g_set_object (&self->accounts, accounts);
      if (accounts != NULL)
        g_signal_connect_object (accounts, "notify::listed", G_CALLBACK (update_onboarding), self,
                                 G_CONNECT_SWAPPED);
    }
  update_onboarding (self);
}

/**
 * easel_window_set_library:
 * @self: an #EaselWindow
 * @library: the image library
 * @thumbnailer: the thumbnailer of the library's images
 *
 * Shows @library in the gallery. Called once, when the library is open.
 */
void
easel_window_set_library (EaselWindow      *self,
                          EaselLibrary     *library,
                          EaselThumbnailer *thumbnailer)
{
  g_return_if_fail (EASEL_IS_WINDOW (self));

  easel_gallery_view_set_library (self->gallery_view, library, thumbnailer);
  easel_editor_pane_set_library (self->editor_pane, library);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "reuse-settings")),
                               library != NULL);
  g_signal_connect_object (easel_gallery_view_get_model (self->gallery_view), "items-changed",
                           G_CALLBACK (gallery_changed_cb), self, G_CONNECT_SWAPPED);
  gallery_changed_cb (self);
}

/**
 * easel_window_show_toast:
 * @self: an #EaselWindow
 * @message: what to tell the user
 */
void
easel_window_show_toast (EaselWindow *self,
                         const char  *message)
{
  g_return_if_fail (EASEL_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
save_window_state (EaselWindow *self)
{
  int width, height;

  if (gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_boolean (self->settings, "window-maximized", TRUE);
      return;
    }

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", FALSE);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);
}

static gboolean
easel_window_close_request (GtkWindow *window)
{
  save_window_state (EASEL_WINDOW (window));

  return GTK_WINDOW_CLASS (easel_window_parent_class)->close_request (window);
}

static const char *
flap_setting (EaselWindow *self,
              AdwFlap     *flap)
{
  return flap == self->editor_flap ? "show-editor" : "show-jobs";
}

static void
flap_folded_cb (EaselWindow *self,
                GParamSpec  *pspec,
                AdwFlap     *flap)
{
  /* The flaps are locked, so folding leaves reveal-flap alone: hide the
   * pane when it no longer fits, and show it again on a wide window if the
   * user wants it. */
  if (adw_flap_get_folded (flap))
    adw_flap_set_reveal_flap (flap, FALSE);
  else
    adw_flap_set_reveal_flap (flap, g_settings_get_boolean (self->settings,
                                                            flap_setting (self, flap)));
}

static void
flap_revealed_cb (EaselWindow *self,
                  GParamSpec  *pspec,
                  AdwFlap     *flap)
{
  if (!adw_flap_get_folded (flap))
    g_settings_set_boolean (self->settings, flap_setting (self, flap),
                            adw_flap_get_reveal_flap (flap));
}

static void
add_flap_action (EaselWindow *self,
                 const char  *name,
                 AdwFlap     *flap)
{
  g_autoptr(GPropertyAction) action = g_property_action_new (name, flap, "reveal-flap");

  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
}

/* win.show-job: the job sidebar's "Show in Gallery". On a window too
 * narrow for the sidebar beside the gallery, the sidebar folds away so the
 * gallery shows. */
static void
show_job_cb (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  EaselWindow *self = EASEL_WINDOW (user_data);

  easel_gallery_view_show_job (self->gallery_view, g_variant_get_int64 (parameter));
  if (adw_flap_get_folded (self->jobs_flap))
    adw_flap_set_reveal_flap (self->jobs_flap, FALSE);
  if (adw_flap_get_folded (self->editor_flap))
    adw_flap_set_reveal_flap (self->editor_flap, FALSE);
}

/* Shows the editor, unfolding it over the gallery on a narrow window. */
static void
reveal_editor (EaselWindow *self)
{
  if (adw_flap_get_folded (self->jobs_flap))
    adw_flap_set_reveal_flap (self->jobs_flap, FALSE);
  adw_flap_set_reveal_flap (self->editor_flap, TRUE);
}

/* win.reuse-settings: the image viewer's "Reuse Settings". */
static void
reuse_settings_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  EaselWindow *self = EASEL_WINDOW (user_data);

  reveal_editor (self);
  easel_editor_pane_reuse_image (self->editor_pane, g_variant_get_string (parameter, NULL));
}

static void
focus_prompt_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  EaselWindow *self = EASEL_WINDOW (user_data);

  reveal_editor (self);
  easel_editor_pane_focus_prompt (self->editor_pane);
}

/* win.show-toast: for dialogs that close before their news is read. */
static void
show_toast_cb (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  easel_window_show_toast (EASEL_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

static const GActionEntry win_actions[] = {
  { .name = "show-job", .activate = show_job_cb, .parameter_type = "x" },
  { .name = "reuse-settings", .activate = reuse_settings_cb, .parameter_type = "s" },
  { .name = "focus-prompt", .activate = focus_prompt_cb },
  { .name = "show-toast", .activate = show_toast_cb, .parameter_type = "s" },
};

static void
easel_window_constructed (GObject *object)
{
  EaselWindow *self = EASEL_WINDOW (object);

  G_OBJECT_CLASS (easel_window_parent_class)->constructed (object);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

/* At this width and below, the header bar's spending indicator shows the
 * amount alone, leaving the title its room (libadwaita 1.2 has no
 * breakpoints: the window's own allocation decides). */
#define COMPACT_WIDTH 600

static gboolean
apply_compact (gpointer user_data)
{
  EaselWindow *self = user_data;

  self->compact_id = 0;
  easel_spending_button_set_compact (self->spending_button,
                                     gtk_widget_get_width (GTK_WIDGET (self)) <= COMPACT_WIDTH);
  return G_SOURCE_REMOVE;
}

static void
easel_window_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  EaselWindow *self = EASEL_WINDOW (widget);
  gboolean compact = width <= COMPACT_WIDTH;

  GTK_WIDGET_CLASS (easel_window_parent_class)->size_allocate (widget, width, height, baseline);

  /* The label changes after this allocation, not during it. */
  if (compact != easel_spending_button_get_compact (self->spending_button) && self->compact_id == 0)
    self->compact_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_compact, self, NULL);
}

static void
easel_window_dispose (GObject *object)
{
  EaselWindow *self = EASEL_WINDOW (object);

  g_clear_handle_id (&self->compact_id, g_source_remove);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  g_clear_object (&self->accounts);
  gtk_widget_dispose_template (GTK_WIDGET (self), EASEL_TYPE_WINDOW);

  G_OBJECT_CLASS (easel_window_parent_class)->dispose (object);
}

static void
easel_window_finalize (GObject *object)
{
  EaselWindow *self = EASEL_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (easel_window_parent_class)->finalize (object);
}

static void
easel_window_class_init (EaselWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = easel_window_constructed;
  object_class->dispose = easel_window_dispose;
  object_class->finalize = easel_window_finalize;

  widget_class->size_allocate = easel_window_size_allocate;
  window_class->close_request = easel_window_close_request;

  g_type_ensure (EASEL_TYPE_EDITOR_PANE);
  g_type_ensure (EASEL_TYPE_GALLERY_VIEW);
  g_type_ensure (EASEL_TYPE_JOB_SIDEBAR);
  g_type_ensure (EASEL_TYPE_ONBOARDING_PAGE);
  g_type_ensure (EASEL_TYPE_SPENDING_BUTTON);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EaselWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, EaselWindow, editor_flap);
  gtk_widget_class_bind_template_child (widget_class, EaselWindow, jobs_flap);
  gtk_widget_class_bind_template_child (widget_class, EaselWindow, editor_pane);
  gtk_widget_class_bind_template_child (widget_class, EaselWindow, gallery_view);
  gtk_widget_class_bind_template_child (widget_class, EaselWindow, job_sidebar);
  gtk_widget_class_bind_template_child (widget_class, EaselWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, EaselWindow, onboarding_page);
  gtk_widget_class_bind_template_child (widget_class, EaselWindow, spending_button);
  gtk_widget_class_bind_template_child (widget_class, EaselWindow, editor_button);
  gtk_widget_class_bind_template_child (widget_class, EaselWindow, jobs_button);
  gtk_widget_class_bind_template_child (widget_class, EaselWindow, starting_spinner);
  gtk_widget_class_bind_template_callback (widget_class, update_onboarding);
  gtk_widget_class_bind_template_callback (widget_class, browse_cb);
  gtk_widget_class_bind_template_callback (widget_class, flap_folded_cb);
  gtk_widget_class_bind_template_callback (widget_class, flap_revealed_cb);
}

static void
easel_window_init (EaselWindow *self)
{
  self->settings = g_settings_new (BASE_APP_ID);

  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  adw_flap_set_reveal_flap (self->editor_flap,
                            g_settings_get_boolean (self->settings, "show-editor"));
  adw_flap_set_reveal_flap (self->jobs_flap,
                            g_settings_get_boolean (self->settings, "show-jobs"));

  add_flap_action (self, "toggle-editor", self->editor_flap);
  add_flap_action (self, "toggle-jobs", self->jobs_flap);
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
  /* Until the library is open there is no image to reuse. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "reuse-settings")),
                               FALSE);
}
