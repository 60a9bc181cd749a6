/* easel-job-row.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One job in the job sidebar, as a card: the prompt, provider and model,
 * the state in words, progress, elapsed time and cost, thumbnails of the
 * outputs, the Midjourney buttons, and an error with what to do about it.
 *
 * Rows are recycled by the list view, so everything a row shows comes from
 * its current job: texts through bindings in the template, the rest through
 * a GSignalGroup whose handlers all go when the job changes. Timers exist
 * only while the row is on screen and needs them: a pulse for an active
 * job whose provider reports no percentage, a one-second clock for a job
 * that runs.
 *
 * The job.* actions report to the sidebar (which passes them to the queue)
 * or forward to the window's and application's actions (show the job in the
 * gallery, Preferences, billing, reset a Midjourney channel). A forwarded
 * action is enabled, and its button shown, only when the window or the
 * application really has that action, so no button does nothing. */

#include "config.h"

#include "easel-job-row.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-budget.h"
#include "easel-job-sidebar.h"
#include "easel-provider-registry.h"

#define N_THUMBNAILS 4
#define THUMBNAIL_SIZE 52
#define PULSE_INTERVAL_MS 150

struct _EaselJobRow
{
  AdwBin              parent_instance;

  EaselJob           *job;
  EaselJobThumbnails *thumbnails;
  GSignalGroup       *job_signals;
  GCancellable       *thumbnail_cancellable;
  GStrv               shown_buttons;
  guint               pulse_id;
  guint               clock_id;

  /* Template widgets */
  GtkLabel           *subtitle_label;
  GtkButton          *cancel_button;
  GtkButton          *retry_button;
  GtkButton          *gallery_button;
  GtkLabel           *state_label;
  GtkLabel           *meta_label;
  GtkProgressBar     *progress_bar;
  GtkWidget          *thumbnail_box;
  GtkFlowBox         *button_box;
  GtkWidget          *error_box;
  GtkLabel           *error_label;
  GtkLabel           *remedy_label;
  GtkButton          *remedy_button;

  GtkImage           *thumbnail_images[N_THUMBNAILS];
};

G_DEFINE_FINAL_TYPE (EaselJobRow, easel_job_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_JOB,
  PROP_THUMBNAILS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* How a forwarded action names the job to the window or application
 * action, depending on that action's parameter type. */
typedef enum
{
  FORWARD_NOTHING,
  FORWARD_JOB,      /* "x": the job's id, "s": its uuid */
  FORWARD_PROVIDER, /* "s": the provider id */
  FORWARD_ACCOUNT,  /* "s": the account name */
} ForwardArgument;

typedef struct
{
  const char      *name;
  const char      *prefix;
  const char      *target;
  ForwardArgument  argument;
  gboolean         remedy;   /* offered for an error, see remedies[] */
} Forward;

static const Forward forwards[] = {
  { "job.show-in-gallery", "win", "show-job", FORWARD_JOB, FALSE },
  { "job.open-preferences", "app", "preferences", FORWARD_NOTHING, TRUE },
  { "job.open-billing", "app", "open-billing", FORWARD_PROVIDER, TRUE },
  { "job.reset-channel", "app", "reset-channel", FORWARD_ACCOUNT, TRUE },
};

/* What the row offers for an error code (see easel_error_code_to_string()):
 * a button that goes where the problem can be fixed and, when the button
 * makes the job's own remedy text moot, a shorter note. */
typedef struct
{
  const char *code;
  const char *action;
  const char *label;
  const char *note;
} Remedy;

static const Remedy remedies[] = {
  { "needs-attention", "job.reset-channel", N_("Reset Channel"),
    N_("Clear Midjourney’s notice or solve the CAPTCHA in Discord, then reset the channel.") },
  { "unauthorized", "job.open-preferences", N_("Open Preferences"), NULL },
  { "insecure-url", "job.open-preferences", N_("Open Preferences"), NULL },
  { "budget-exceeded", "job.open-preferences", N_("Open Preferences"), NULL },
  { "payment-required", "job.open-billing", N_("Open Billing"), NULL },
  { "rate-limited", NULL, NULL, N_("Waiting for a free slot; Easel tries again by itself.") },
};

/* Midjourney buttons whose labels are emoji get a symbolic icon (emoji
 * fonts are not a given) and a name for tooltips and screen readers. */
typedef struct
{
  const char *button;
  const char *icon;
  const char *name;
} ButtonIcon;

static const ButtonIcon button_icons[] = {
  { "🔄", "media-playlist-shuffle-symbolic", N_("Reroll") },
  { "⬅️", "go-previous-symbolic", N_("Pan Left") },
  { "➡️", "go-next-symbolic", N_("Pan Right") },
  { "⬆️", "go-up-symbolic", N_("Pan Up") },
  { "⬇️", "go-down-symbolic", N_("Pan Down") },
};

static const char * const state_classes[] = { "accent", "success", "warning", "error", "dim-label" };

static EaselJobState
job_state (EaselJobRow *self)
{
  return self->job ? easel_job_get_state (self->job) : EASEL_JOB_QUEUED;
}

static gboolean
is_retryable_state (EaselJobState state)
{
  return state == EASEL_JOB_FAILED || state == EASEL_JOB_CANCELLED ||
         state == EASEL_JOB_NEEDS_ATTENTION;
}

static const Remedy *
find_remedy (const char *code)
{
  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (remedies); i++)
    {
      if (g_str_equal (remedies[i].code, code))
        return &remedies[i];
    }
  return NULL;
}

static const Forward *
find_forward (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (forwards); i++)
    {
      if (g_str_equal (forwards[i].name, name))
        return &forwards[i];
    }
  g_return_val_if_reached (NULL);
}

static GActionGroup *
forward_group (EaselJobRow   *self,
               const Forward *forward)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *application;

  if (g_str_equal (forward->prefix, "win"))
    return GTK_IS_APPLICATION_WINDOW (root) ? G_ACTION_GROUP (root) : NULL;

  application = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  return application ? G_ACTION_GROUP (application) : NULL;
}

/* Finds the window or application action behind @forward and the
 * parameter it takes for the current job. Returns FALSE when there is no
 * such action, it is disabled, or it takes a parameter the row cannot
 * give. */
static gboolean
lookup_forward (EaselJobRow    *self,
                const Forward  *forward,
                GVariant      **parameter)
{
  GActionGroup *group = forward_group (self, forward);
  const GVariantType *type;

  *parameter = NULL;
  if (self->job == NULL || group == NULL ||
      !g_action_group_has_action (group, forward->target) ||
      !g_action_group_get_action_enabled (group, forward->target))
    return FALSE;

  type = g_action_group_get_action_parameter_type (group, forward->target);
  if (type == NULL)
    return forward->argument != FORWARD_JOB;

  if (g_variant_type_equal (type, G_VARIANT_TYPE_INT64) && forward->argument == FORWARD_JOB)
    *parameter = g_variant_new_int64 (easel_job_get_id (self->job));
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_STRING))
    {
      switch (forward->argument)
        {
        case FORWARD_JOB:
          *parameter = g_variant_new_string (easel_job_get_uuid (self->job));
          break;
        case FORWARD_PROVIDER:
          *parameter = g_variant_new_string (easel_job_get_provider (self->job));
          break;
        case FORWARD_ACCOUNT:
          *parameter = g_variant_new_string (easel_job_get_account (self->job));
          break;
        case FORWARD_NOTHING:
        default:
          break;
        }
    }

  if (*parameter != NULL)
    g_variant_ref_sink (*parameter);
  return *parameter != NULL;
}

static gboolean
forward_available (EaselJobRow *self,
                   const char  *name)
{
  g_autoptr(GVariant) parameter = NULL;

  return lookup_forward (self, find_forward (name), &parameter);
}

static void
set_action (EaselJobRow *self,
            const char  *name,
            GtkButton   *button,
            gboolean     enabled)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), name, enabled);
  gtk_widget_set_visible (GTK_WIDGET (button), enabled);
}

static void
update_remedy (EaselJobRow *self)
{
  EaselJobState state = job_state (self);
  const char *message = self->job ? easel_job_get_error_message (self->job) : NULL;
  const char *remedy_text = self->job ? easel_job_get_remedy (self->job) : NULL;
  const Remedy *remedy = self->job ? find_remedy (easel_job_get_error_code (self->job)) : NULL;
  gboolean has_button = FALSE;

  /* At most one remedy action is on: the one for this error, if the
   * window or application has it. */
  for (guint i = 0; i < G_N_ELEMENTS (forwards); i++)
    {
      const char *name = forwards[i].name;
      gboolean enabled;

      if (!forwards[i].remedy)
        continue;
      enabled = remedy != NULL && g_strcmp0 (remedy->action, name) == 0 &&
                forward_available (self, name);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), name, enabled);
      has_button |= enabled;
    }

  if (has_button)
    {
      gtk_button_set_label (self->remedy_button, _(remedy->label));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->remedy_button), remedy->action);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->remedy_button), has_button);

  /* The note replaces the job's remedy only where the row offers the way
   * out itself (a 429 needs no button: the queue waits by itself). */
  if (remedy != NULL && remedy->note != NULL && (remedy->action == NULL || has_button))
    remedy_text = _(remedy->note);

  gtk_label_set_label (self->error_label, message);
  gtk_label_set_label (self->remedy_label, remedy_text);
  gtk_widget_set_visible (GTK_WIDGET (self->remedy_label), remedy_text != NULL && *remedy_text != '\0');
  gtk_widget_set_visible (self->error_box,
                          message != NULL && *message != '\0' && state != EASEL_JOB_SUCCEEDED);
}

static void
update_actions (EaselJobRow *self)
{
  EaselJobState state = job_state (self);
  gboolean succeeded = self->job != NULL && state == EASEL_JOB_SUCCEEDED;
  const char * const *outputs = self->job ? easel_job_get_outputs (self->job) : NULL;
  const char * const *buttons = self->job ? easel_job_get_buttons (self->job) : NULL;

  set_action (self, "job.cancel", self->cancel_button,
              self->job != NULL && !easel_job_state_is_terminal (state));
  set_action (self, "job.retry", self->retry_button,
              self->job != NULL && is_retryable_state (state));
  set_action (self, "job.show-in-gallery", self->gallery_button,
              succeeded && outputs != NULL && outputs[0] != NULL &&
              forward_available (self, "job.show-in-gallery"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "job.button",
                                 succeeded && buttons != NULL && buttons[0] != NULL);
  update_remedy (self);
}

static char *
format_elapsed (gint64 usec)
{
  gint64 seconds = MAX (usec, 0) / G_USEC_PER_SEC;

  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d",
                            seconds / 3600, (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

static void
update_meta (EaselJobRow *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->job != NULL)
    {
      gint64 started = easel_job_get_started_at (self->job);
      gint64 finished = easel_job_get_finished_at (self->job);
      gint64 cost = easel_job_get_cost (self->job);

      if (started > 0 && (finished > 0 || easel_job_get_active (self->job)))
        {
          g_autofree char *elapsed = format_elapsed ((finished > 0 ? finished : g_get_real_time ()) - started);

          g_string_append (text, elapsed);
        }
      if (cost >= 0)
        {
          g_autofree char *money = easel_format_money (cost);

          if (text->len > 0)
            g_string_append (text, " · ");
          g_string_append (text, money);
        }
    }

  gtk_label_set_label (self->meta_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->meta_label), text->len > 0);
}

static gboolean
pulse_cb (gpointer user_data)
{
  EaselJobRow *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static gboolean
clock_cb (gpointer user_data)
{
  EaselJobRow *self = user_data;

  update_meta (self);
  return G_SOURCE_CONTINUE;
}

/* Starts or stops the pulse and the clock: they run only while the row is
 * mapped and its job needs them. */
static void
update_timers (EaselJobRow *self)
{
  EaselJobState state = job_state (self);
  gboolean live = self->job != NULL && gtk_widget_get_mapped (GTK_WIDGET (self));
  gboolean pulsing = live && gtk_widget_get_visible (GTK_WIDGET (self->progress_bar)) &&
                     easel_job_get_progress (self->job) < 0;
  gboolean ticking = live && (state == EASEL_JOB_RUNNING || state == EASEL_JOB_DOWNLOADING) &&
                     easel_job_get_started_at (self->job) > 0;

  if (pulsing && self->pulse_id == 0)
    {
      gtk_progress_bar_pulse (self->progress_bar);
      self->pulse_id = g_timeout_add (PULSE_INTERVAL_MS, pulse_cb, self);
      g_source_set_name_by_id (self->pulse_id, "[easel] job row pulse");
    }
  else if (!pulsing)
    g_clear_handle_id (&self->pulse_id, g_source_remove);

  if (ticking && self->clock_id == 0)
    {
      self->clock_id = g_timeout_add_seconds (1, clock_cb, self);
      g_source_set_name_by_id (self->clock_id, "[easel] job row clock");
    }
  else if (!ticking)
    g_clear_handle_id (&self->clock_id, g_source_remove);
}

static void
update_progress (EaselJobRow *self)
{
  EaselJobState state = job_state (self);
  gboolean shown = self->job != NULL && !easel_job_state_is_terminal (state) &&
                   state != EASEL_JOB_QUEUED;

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), shown);
  if (shown && easel_job_get_progress (self->job) >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, easel_job_get_progress (self->job) / 100.0);
  update_timers (self);
}

static const char *
state_class (EaselJobState state)
{
  switch (state)
    {
    case EASEL_JOB_SUBMITTING:
    case EASEL_JOB_SUBMITTED:
    case EASEL_JOB_RUNNING:
    case EASEL_JOB_DOWNLOADING:
      return "accent";
    case EASEL_JOB_SUCCEEDED:
      return "success";
    case EASEL_JOB_NEEDS_ATTENTION:
      return "warning";
    case EASEL_JOB_FAILED:
      return "error";
    case EASEL_JOB_QUEUED:
    case EASEL_JOB_CANCELLED:
    default:
      return "dim-label";
    }
}

static void
thumbnail_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GtkImage) image = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = easel_job_thumbnails_load_finish (EASEL_JOB_THUMBNAILS (object), result, &error);
  if (texture != NULL)
    gtk_image_set_from_paintable (image, GDK_PAINTABLE (texture));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("No thumbnail: %s", error->message);
      gtk_image_set_from_icon_name (image, "image-missing-symbolic");
    }
}

static void
update_thumbnails (EaselJobRow *self)
{
  const char * const *outputs = self->job ? easel_job_get_outputs (self->job) : NULL;
  guint n_outputs = outputs ? g_strv_length ((char **) outputs) : 0;

  g_cancellable_cancel (self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail_cancellable);

  gtk_widget_set_visible (self->thumbnail_box, n_outputs > 0);
  if (n_outputs > 0)
    self->thumbnail_cancellable = g_cancellable_new ();

  for (guint i = 0; i < N_THUMBNAILS; i++)
    {
      GtkImage *image = self->thumbnail_images[i];
      g_autoptr(GdkTexture) texture = NULL;

      gtk_image_clear (image);
      /* Empty slots keep their place so thumbnails line up across rows. */
      gtk_widget_set_opacity (GTK_WIDGET (image), i < n_outputs ? 1.0 : 0.0);
      if (i >= n_outputs)
        continue;

      texture = easel_job_thumbnails_lookup (self->thumbnails, outputs[i]);
      if (texture != NULL)
        gtk_image_set_from_paintable (image, GDK_PAINTABLE (texture));
      else
        easel_job_thumbnails_load_async (self->thumbnails, outputs[i],
                                         self->thumbnail_cancellable,
                                         thumbnail_loaded_cb, g_object_ref (image));
    }
}

static GtkWidget *
new_job_button (const char *button)
{
  GtkWidget *widget = gtk_button_new ();
  g_autofree char *name = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (button_icons); i++)
    {
      if (g_str_equal (button_icons[i].button, button))
        {
          gtk_button_set_icon_name (GTK_BUTTON (widget), button_icons[i].icon);
          name = g_strdup (_(button_icons[i].name));
          break;
        }
    }

  if (name == NULL)
    {
      gtk_button_set_label (GTK_BUTTON (widget), button);
      if ((button[0] == 'U' || button[0] == 'V') && g_ascii_isdigit (button[1]) && button[2] == '\0')
        name = button[0] == 'U'
               /* Translators: a Midjourney button's tooltip; %c is the image's number in the grid */
               ? g_strdup_printf (_("Upscale Image %c"), button[1])
               /* Translators: a Midjourney button's tooltip; %c is the image's number in the grid */
               : g_strdup_printf (_("Vary Image %c"), button[1]);
    }

  if (name != NULL)
    {
      gtk_widget_set_tooltip_text (widget, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
    }
  gtk_actionable_set_action_name (GTK_ACTIONABLE (widget), "job.button");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (widget), "s", button);
  gtk_widget_add_css_class (widget, "easel-job-small-button");
  gtk_widget_add_css_class (widget, "flat");
  return widget;
}

static void
update_buttons (EaselJobRow *self)
{
  const char * const *buttons = NULL;
  GtkWidget *child;

  if (job_state (self) == EASEL_JOB_SUCCEEDED)
    buttons = easel_job_get_buttons (self->job);
  if (buttons != NULL && buttons[0] == NULL)
    buttons = NULL;

  /* Recycled rows mostly show the same kind of job: keep the buttons
   * when they are the same. */
  if (buttons == NULL ? self->shown_buttons == NULL
                      : self->shown_buttons != NULL &&
                        g_strv_equal ((const char * const *) self->shown_buttons, buttons))
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->button_box))) != NULL)
    gtk_flow_box_remove (self->button_box, child);
  g_clear_pointer (&self->shown_buttons, g_strfreev);

  for (guint i = 0; buttons != NULL && buttons[i] != NULL; i++)
    {
      gtk_flow_box_append (self->button_box, new_job_button (buttons[i]));
      /* Only the button takes the focus, not the flow box's child too. */
      gtk_widget_set_focusable (gtk_widget_get_last_child (GTK_WIDGET (self->button_box)), FALSE);
    }
  self->shown_buttons = g_strdupv ((char **) buttons);
  gtk_widget_set_visible (GTK_WIDGET (self->button_box), buttons != NULL);
}

static void
update_state (EaselJobRow *self)
{
  const char *class = state_class (job_state (self));

  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    {
      if (!g_str_equal (state_classes[i], class))
        gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), state_classes[i]);
    }
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), class);

  update_progress (self);
  update_meta (self);
  update_buttons (self);
  update_actions (self);
}

static char *
dup_model_name (const char *model)
{
  const char *slash;

  /* "owner/name:version" reads as "name". */
  if (model == NULL)
    return NULL;
  slash = strrchr (model, '/');
  if (slash != NULL)
    model = slash + 1;
  return g_strndup (model, strcspn (model, ":"));
}

static void
update_subtitle (EaselJobRow *self)
{
  g_autofree char *model = NULL;
  g_autofree char *subtitle = NULL;
  const EaselProviderInfo *info;
  const char *provider;

  if (self->job == NULL)
    return;

  provider = easel_job_get_provider (self->job);
  info = easel_provider_registry_lookup (provider);
  model = dup_model_name (easel_job_get_model (self->job));

  subtitle = g_strdup (info ? info->display_name : provider);
  if (model != NULL && *model != '\0' && g_ascii_strcasecmp (model, provider) != 0)
    {
      g_autofree char *provider_name = g_steal_pointer (&subtitle);

      subtitle = g_strconcat (provider_name, " · ", model, NULL);
    }

  gtk_label_set_label (self->subtitle_label, subtitle);
}

/* Tooltips are asked for when they are shown: setting one is costly, and
 * the list view binds hundreds of rows again when jobs move. */
static gboolean
query_prompt_tooltip_cb (EaselJobRow *self,
                         int          x,
                         int          y,
                         gboolean     keyboard,
                         GtkTooltip  *tooltip)
{
  if (self->job == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, easel_job_get_prompt (self->job));
  return TRUE;
}

static gboolean
query_subtitle_tooltip_cb (EaselJobRow *self,
                           int          x,
                           int          y,
                           gboolean     keyboard,
                           GtkTooltip  *tooltip)
{
  g_autofree char *text = NULL;
  const char *account;

  if (self->job == NULL)
    return FALSE;

  account = easel_job_get_account (self->job);
  if (account != NULL && *account != '\0')
    /* Translators: a job's model, then the account it runs on */
    text = g_strdup_printf (_("%s on account “%s”"), easel_job_get_model (self->job), account);
  else
    text = g_strdup (easel_job_get_model (self->job));

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/**
 * easel_job_row_new:
 * @thumbnails: where the row gets its output thumbnails
 *
 * Returns: (transfer floating): a row without a job
 */
GtkWidget *
easel_job_row_new (EaselJobThumbnails *thumbnails)
{
  g_return_val_if_fail (EASEL_IS_JOB_THUMBNAILS (thumbnails), NULL);

  return g_object_new (EASEL_TYPE_JOB_ROW,
                       "thumbnails", thumbnails,
                       NULL);
}

/**
 * easel_job_row_get_job:
 * @self: a job row
 *
 * Returns: (transfer none) (nullable): the job the row shows
 */
EaselJob *
easel_job_row_get_job (EaselJobRow *self)
{
  g_return_val_if_fail (EASEL_IS_JOB_ROW (self), NULL);

  return self->job;
}

/**
 * easel_job_row_set_job:
 * @self: a job row
 * @job: (nullable): the job to show
 *
 * Shows @job, forgetting everything about the previous one: its handlers,
 * timers and thumbnail loads.
 */
void
easel_job_row_set_job (EaselJobRow *self,
                       EaselJob    *job)
{
  g_return_if_fail (EASEL_IS_JOB_ROW (self));
  g_return_if_fail (job == NULL || EASEL_IS_JOB (job));

  if (!g_set_object (&self->job, job))
    return;

  g_signal_group_set_target (self->job_signals, job);
  if (job != NULL)
    {
      update_subtitle (self);
      update_state (self);
      update_thumbnails (self);
    }
  else
    {
      /* An unbound row is not shown: it keeps its widgets as they are
       * until its next job (often the same one again, as GTK 4.8's list
       * view binds its rows again whenever jobs move). */
      update_timers (self);
      g_cancellable_cancel (self->thumbnail_cancellable);
      g_clear_object (&self->thumbnail_cancellable);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

static char *
prompt_text_cb (gpointer    unused,
                const char *prompt)
{
  /* The excerpt shows a multi-line prompt on one flowing paragraph. */
  g_auto(GStrv) words = g_strsplit_set (prompt ? prompt : "", " \t\r\n", -1);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, words[i]);
    }

  if (text->len == 0)
    return g_strdup (_("No prompt"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
state_text_cb (gpointer      unused,
               EaselJobState state,
               int           progress)
{
  switch (state)
    {
    case EASEL_JOB_QUEUED:
      return g_strdup (_("Queued"));
    case EASEL_JOB_SUBMITTING:
      return g_strdup (_("Sending…"));
    case EASEL_JOB_SUBMITTED:
      return g_strdup (_("Submitted"));
    case EASEL_JOB_RUNNING:
      if (progress >= 0)
        /* Translators: a job's state with its progress in percent */
        return g_strdup_printf (_("Running %d %%"), progress);
      return g_strdup (_("Running"));
    case EASEL_JOB_DOWNLOADING:
      return g_strdup (_("Downloading"));
    case EASEL_JOB_SUCCEEDED:
      return g_strdup (_("Done"));
    case EASEL_JOB_FAILED:
      return g_strdup (_("Failed"));
    case EASEL_JOB_CANCELLED:
      return g_strdup (_("Cancelled"));
    case EASEL_JOB_NEEDS_ATTENTION:
      return g_strdup (_("Needs attention"));
    default:
      return NULL;
    }
}

static gboolean
has_text_cb (gpointer    unused,
             const char *text)
{
  return text != NULL && *text != '\0';
}

static void
report_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EaselJobRow *self = EASEL_JOB_ROW (widget);
  GtkWidget *sidebar = gtk_widget_get_ancestor (widget, EASEL_TYPE_JOB_SIDEBAR);
  g_autoptr(EaselJob) job = NULL;

  if (self->job == NULL || sidebar == NULL)
    return;

  /* A handler may drop the job from the model and so recycle this row. */
  job = g_object_ref (self->job);
  if (g_str_equal (action_name, "job.cancel"))
    g_signal_emit_by_name (sidebar, "cancel-job", job);
  else if (g_str_equal (action_name, "job.retry"))
    g_signal_emit_by_name (sidebar, "retry-job", job);
  else if (g_str_equal (action_name, "job.button"))
    g_signal_emit_by_name (sidebar, "run-job-action", job, g_variant_get_string (parameter, NULL));
}

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  EaselJobRow *self = EASEL_JOB_ROW (widget);
  const Forward *forward = find_forward (action_name);
  g_autoptr(GVariant) target_parameter = NULL;
  g_autofree char *target = NULL;

  if (!lookup_forward (self, forward, &target_parameter))
    return;

  target = g_strconcat (forward->prefix, ".", forward->target, NULL);
  gtk_widget_activate_action_variant (widget, target, target_parameter);
}

static void
easel_job_row_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (easel_job_row_parent_class)->map (widget);

  update_timers (EASEL_JOB_ROW (widget));
}

static void
easel_job_row_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (easel_job_row_parent_class)->unmap (widget);

  update_timers (EASEL_JOB_ROW (widget));
}

static void
easel_job_row_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (easel_job_row_parent_class)->root (widget);

  /* The window's and application's actions are known from now on. */
  update_actions (EASEL_JOB_ROW (widget));
}

static void
easel_job_row_dispose (GObject *object)
{
  EaselJobRow *self = EASEL_JOB_ROW (object);

  easel_job_row_set_job (self, NULL);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), EASEL_TYPE_JOB_ROW);

  G_OBJECT_CLASS (easel_job_row_parent_class)->dispose (object);
}

static void
easel_job_row_finalize (GObject *object)
{
  EaselJobRow *self = EASEL_JOB_ROW (object);

  g_clear_object (&self->job_signals);
  g_clear_object (&self->thumbnails);
  g_clear_pointer (&self->shown_buttons, g_strfreev);

  G_OBJECT_CLASS (easel_job_row_parent_class)->finalize (object);
}

static void
easel_job_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  EaselJobRow *self = EASEL_JOB_ROW (object);

  switch (prop_id)
    {
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;
    case PROP_THUMBNAILS:
      g_value_set_object (value, self->thumbnails);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_job_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  EaselJobRow *self = EASEL_JOB_ROW (object);

  switch (prop_id)
    {
    case PROP_JOB:
      easel_job_row_set_job (self, g_value_get_object (value));
      break;
    case PROP_THUMBNAILS:
      self->thumbnails = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_job_row_class_init (EaselJobRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = easel_job_row_dispose;
  object_class->finalize = easel_job_row_finalize;
  object_class->get_property = easel_job_row_get_property;
  object_class->set_property = easel_job_row_set_property;

  widget_class->map = easel_job_row_map;
  widget_class->unmap = easel_job_row_unmap;
  widget_class->root = easel_job_row_root;

  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL, EASEL_TYPE_JOB,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THUMBNAILS] =
    g_param_spec_object ("thumbnails", NULL, NULL, EASEL_TYPE_JOB_THUMBNAILS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (EASEL_TYPE_JOB);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-job-row.ui");
  /* Bound only so tests can find them. */
  gtk_widget_class_bind_template_child_full (widget_class, "prompt_label", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "waiting_label", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, EaselJobRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, EaselJobRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, EaselJobRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, EaselJobRow, gallery_button);
  gtk_widget_class_bind_template_child (widget_class, EaselJobRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, EaselJobRow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, EaselJobRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, EaselJobRow, thumbnail_box);
  gtk_widget_class_bind_template_child (widget_class, EaselJobRow, button_box);
  gtk_widget_class_bind_template_child (widget_class, EaselJobRow, error_box);
  gtk_widget_class_bind_template_child (widget_class, EaselJobRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, EaselJobRow, remedy_label);
  gtk_widget_class_bind_template_child (widget_class, EaselJobRow, remedy_button);
  gtk_widget_class_bind_template_callback (widget_class, prompt_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, state_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, has_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, query_prompt_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, query_subtitle_tooltip_cb);

  gtk_widget_class_install_action (widget_class, "job.cancel", NULL, report_action);
  gtk_widget_class_install_action (widget_class, "job.retry", NULL, report_action);
  gtk_widget_class_install_action (widget_class, "job.button", "s", report_action);
  for (guint i = 0; i < G_N_ELEMENTS (forwards); i++)
    gtk_widget_class_install_action (widget_class, forwards[i].name, NULL, forward_action);
}

/* What the row does again when its job changes. */
static const struct
{
  const char *signal;
  GCallback   callback;
} job_handlers[] = {
  { "notify::state", G_CALLBACK (update_state) },
  { "notify::progress", G_CALLBACK (update_progress) },
  { "notify::started-at", G_CALLBACK (update_state) },
  { "notify::finished-at", G_CALLBACK (update_meta) },
  { "notify::cost", G_CALLBACK (update_meta) },
  { "notify::error-message", G_CALLBACK (update_remedy) },
  { "notify::remedy", G_CALLBACK (update_remedy) },
  { "notify::buttons", G_CALLBACK (update_state) },
  { "notify::outputs", G_CALLBACK (update_thumbnails) },
};

static void
easel_job_row_init (EaselJobRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_THUMBNAILS; i++)
    {
      GtkWidget *image = gtk_image_new ();

      gtk_image_set_pixel_size (GTK_IMAGE (image), THUMBNAIL_SIZE);
      gtk_widget_set_size_request (image, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
      gtk_widget_set_overflow (image, GTK_OVERFLOW_HIDDEN);
      gtk_widget_add_css_class (image, "easel-job-thumbnail");
      gtk_box_append (GTK_BOX (self->thumbnail_box), image);
      self->thumbnail_images[i] = GTK_IMAGE (image);
    }

  self->job_signals = g_signal_group_new (EASEL_TYPE_JOB);
  for (guint i = 0; i < G_N_ELEMENTS (job_handlers); i++)
    g_signal_group_connect_object (self->job_signals, job_handlers[i].signal,
                                   job_handlers[i].callback, self, G_CONNECT_SWAPPED);
}
