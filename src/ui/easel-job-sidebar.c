/* easel-job-sidebar.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The job sidebar: every job of the queue, active ones first, with counts,
 * the slots in use per account, pause/resume and "clear finished" above.
 *
 * The list shows any GListModel of EaselJob (the queue itself in the app, a
 * GListStore in tests) through a GtkSortListModel. Jobs move between the
 * groups when their state changes, so the sidebar watches every job's state:
 * one handler per job, kept in an array parallel to the model, which also
 * keeps the per-state counts of the header without walking the model.
 *
 * State changes are coalesced into one re-sort before the next frame. A
 * re-sort makes GTK 4.8's list view bind again every row it keeps (up to
 * 200, most of them off screen), so a burst of finished jobs must cost one
 * re-sort, and binding a row must stay cheap (see easel-job-row.c).
 *
 * What the user asks of a job comes out as signals (cancel-job, retry-job,
 * run-job-action, clear-finished). Their default handlers pass them to the
 * queue when one is set; without a queue they do nothing else, and whoever
 * set the model connects to them. */

#include "config.h"

#include "easel-job-sidebar.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-job-row.h"
#include "easel-job-thumbnails.h"

#define THUMBNAIL_PIXELS 128
#define THUMBNAILS_CACHED 256

typedef struct
{
  EaselJobSidebar *sidebar;
  EaselJob        *job;
  EaselJobState    state;
  gulong           handler;
} Watch;

struct _EaselJobSidebar
{
  AdwBin               parent_instance;

  GListModel          *model;
  EaselJobQueue       *queue;
  GBinding            *paused_binding;
  GBinding            *slots_binding;
  gboolean             paused;
  char                *slots_summary;

  GtkSorter           *sorter;
  GtkSortListModel    *sorted;
  EaselJobThumbnails  *thumbnails;
  GPtrArray           *watches;
  guint                counts[EASEL_JOB_NEEDS_ATTENTION + 1];
  guint                resort_id;

  /* Template widgets */
  GtkStack            *stack;
  GtkListView         *list_view;
  GtkLabel            *counts_label;
  GtkButton           *pause_button;
};

G_DEFINE_FINAL_TYPE (EaselJobSidebar, easel_job_sidebar, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_QUEUE,
  PROP_PAUSED,
  PROP_SLOTS_SUMMARY,
  N_PROPS
};

enum {
  CANCEL_JOB,
  RETRY_JOB,
  RUN_JOB_ACTION,
  CLEAR_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Jobs being worked on first, then those waiting, then finished ones. */
static int
state_group (EaselJobState state)
{
  if (state == EASEL_JOB_QUEUED)
    return 1;
  return easel_job_state_is_terminal (state) ? 2 : 0;
}

static int
compare_times (gint64 a,
               gint64 b)
{
  return (a > b) - (a < b);
}

static int
compare_jobs (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  EaselJob *job_a = (EaselJob *) a;
  EaselJob *job_b = (EaselJob *) b;
  int group_a = state_group (easel_job_get_state (job_a));
  int group_b = state_group (easel_job_get_state (job_b));
  int order;

  if (group_a != group_b)
    return group_a - group_b;

  /* Finished jobs newest first; the others in the order they were queued,
   * which is the order the queue sends them in. */
  if (group_a == 2)
    {
      order = compare_times (easel_job_get_finished_at (job_b), easel_job_get_finished_at (job_a));
      if (order == 0)
        order = compare_times (easel_job_get_id (job_b), easel_job_get_id (job_a));
      return order;
    }

  order = compare_times (easel_job_get_created_at (job_a), easel_job_get_created_at (job_b));
  if (order == 0)
    order = compare_times (easel_job_get_id (job_a), easel_job_get_id (job_b));
  return order;
}

static void
update_counts (EaselJobSidebar *self)
{
  guint running = self->counts[EASEL_JOB_SUBMITTING] + self->counts[EASEL_JOB_SUBMITTED] +
                  self->counts[EASEL_JOB_RUNNING] + self->counts[EASEL_JOB_DOWNLOADING];
  guint queued = self->counts[EASEL_JOB_QUEUED];
  guint finished = self->watches->len - running - queued;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;

  if (self->paused)
    g_ptr_array_add (parts, g_strdup (_("Paused")));
  if (running > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u running", "%u running", running), running));
  if (queued > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u queued", "%u queued", queued), queued));
  if (finished > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u finished", "%u finished", finished), finished));
  g_ptr_array_add (parts, NULL);

  text = g_strjoinv (" · ", (char **) parts->pdata);
  gtk_label_set_label (self->counts_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->counts_label), text[0] != '\0');

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "jobs.clear-finished", finished > 0);
}

static gboolean
resort_cb (gpointer user_data)
{
  EaselJobSidebar *self = user_data;

  self->resort_id = 0;
  gtk_sorter_changed (self->sorter, GTK_SORTER_CHANGE_DIFFERENT);
  return G_SOURCE_REMOVE;
}

static void
job_state_changed_cb (EaselJob   *job,
                      GParamSpec *pspec,
                      Watch      *watch)
{
  EaselJobSidebar *self = watch->sidebar;
  EaselJobState state = easel_job_get_state (job);

  self->counts[watch->state]--;
  self->counts[state]++;
  watch->state = state;
  update_counts (self);

  /* Before the next frame is laid out (GDK_PRIORITY_REDRAW is lower). */
  if (self->resort_id == 0)
    {
      self->resort_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, resort_cb, self, NULL);
      g_source_set_name_by_id (self->resort_id, "[easel] job sidebar resort");
    }
}

static Watch *
watch_new (EaselJobSidebar *self,
           EaselJob        *job)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->sidebar = self;
  watch->job = g_object_ref (job);
  watch->state = easel_job_get_state (job);
  watch->handler = g_signal_connect (job, "notify::state", G_CALLBACK (job_state_changed_cb), watch);
  self->counts[watch->state]++;
  return watch;
}

static void
watch_free (Watch *watch)
{
  watch->sidebar->counts[watch->state]--;
  g_signal_handler_disconnect (watch->job, watch->handler);
  g_object_unref (watch->job);
  g_free (watch);
}

static void
model_items_changed_cb (EaselJobSidebar *self,
                        guint            position,
                        guint            removed,
                        guint            added,
                        GListModel      *model)
{
  guint old_len;

  g_ptr_array_remove_range (self->watches, position, removed);

  /* Open a gap and fill it: one move however many jobs came. */
  old_len = self->watches->len;
  g_ptr_array_set_size (self->watches, old_len + added);
  memmove (self->watches->pdata + position + added, self->watches->pdata + position,
           (old_len - position) * sizeof (gpointer));
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(EaselJob) job = g_list_model_get_item (model, position + i);

      self->watches->pdata[position + i] = watch_new (self, job);
    }

  gtk_stack_set_visible_child_name (self->stack, self->watches->len > 0 ? "jobs" : "empty");
  update_counts (self);
}

/**
 * easel_job_sidebar_get_model:
 * @self: a job sidebar
 *
 * Returns: (transfer none) (nullable): the jobs shown
 */
GListModel *
easel_job_sidebar_get_model (EaselJobSidebar *self)
{
  g_return_val_if_fail (EASEL_IS_JOB_SIDEBAR (self), NULL);

  return self->model;
}

/**
 * easel_job_sidebar_set_model:
 * @self: a job sidebar
 * @jobs: (nullable): a list of #EaselJob
 *
 * Shows @jobs. Use easel_job_sidebar_set_queue() to show the queue's jobs
 * and have the sidebar's actions act on them.
 */
void
easel_job_sidebar_set_model (EaselJobSidebar *self,
                             GListModel      *jobs)
{
  g_return_if_fail (EASEL_IS_JOB_SIDEBAR (self));
  g_return_if_fail (jobs == NULL || G_IS_LIST_MODEL (jobs));
  g_return_if_fail (jobs == NULL || g_type_is_a (g_list_model_get_item_type (jobs), EASEL_TYPE_JOB));

  if (self->model == jobs)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, model_items_changed_cb, self);
  g_ptr_array_set_size (self->watches, 0);
  g_set_object (&self->model, jobs);

  if (jobs != NULL)
    g_signal_connect_object (jobs, "items-changed", G_CALLBACK (model_items_changed_cb),
                             self, G_CONNECT_SWAPPED);
  model_items_changed_cb (self, 0, 0, jobs ? g_list_model_get_n_items (jobs) : 0, jobs);
  gtk_sort_list_model_set_model (self->sorted, jobs);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * easel_job_sidebar_get_queue:
 * @self: a job sidebar
 *
 * Returns: (transfer none) (nullable): the queue the actions act on
 */
EaselJobQueue *
easel_job_sidebar_get_queue (EaselJobSidebar *self)
{
  g_return_val_if_fail (EASEL_IS_JOB_SIDEBAR (self), NULL);

  return self->queue;
}

/**
 * easel_job_sidebar_set_queue:
 * @self: a job sidebar
 * @queue: (nullable): the job queue
 *
 * Shows the jobs of @queue (it is the model) and its pause state and slots,
 * and passes the user's actions to it. With %NULL, the sidebar forgets the
 * queue and its model; actions then only emit the sidebar's signals.
 */
void
easel_job_sidebar_set_queue (EaselJobSidebar *self,
                             EaselJobQueue   *queue)
{
  gboolean showed_queue;

  g_return_if_fail (EASEL_IS_JOB_SIDEBAR (self));
  g_return_if_fail (queue == NULL || EASEL_IS_JOB_QUEUE (queue));

  if (self->queue == queue)
    return;

  showed_queue = self->queue != NULL && self->model == G_LIST_MODEL (self->queue);
  g_clear_pointer (&self->paused_binding, g_binding_unbind);
  g_clear_pointer (&self->slots_binding, g_binding_unbind);
  g_set_object (&self->queue, queue);

  if (queue != NULL)
    {
      self->paused_binding = g_object_bind_property (queue, "paused", self, "paused",
                                                     G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      self->slots_binding = g_object_bind_property (queue, "slots-summary", self, "slots-summary",
                                                    G_BINDING_SYNC_CREATE);
      easel_job_sidebar_set_model (self, G_LIST_MODEL (queue));
    }
  else
    {
      easel_job_sidebar_set_slots_summary (self, NULL);
      if (showed_queue)
        easel_job_sidebar_set_model (self, NULL);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUE]);
}

/**
 * easel_job_sidebar_get_paused:
 * @self: a job sidebar
 *
 * Returns: whether the sidebar shows the queue as paused
 */
gboolean
easel_job_sidebar_get_paused (EaselJobSidebar *self)
{
  g_return_val_if_fail (EASEL_IS_JOB_SIDEBAR (self), FALSE);

  return self->paused;
}

static char *
pause_tooltip_cb (gpointer unused,
                  gboolean paused)
{
  return g_strdup (paused ? _("Resume Sending Jobs") : _("Pause Sending Jobs"));
}

/**
 * easel_job_sidebar_set_paused:
 * @self: a job sidebar
 * @paused: whether the queue is paused
 *
 * With a queue, this pauses or resumes it (the jobs.pause action does the
 * same).
 */
void
easel_job_sidebar_set_paused (EaselJobSidebar *self,
                              gboolean         paused)
{
  g_autofree char *label = NULL;

  g_return_if_fail (EASEL_IS_JOB_SIDEBAR (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  self->paused = paused;
  label = pause_tooltip_cb (NULL, paused);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pause_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  update_counts (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

/**
 * easel_job_sidebar_get_slots_summary:
 * @self: a job sidebar
 *
 * Returns: (nullable): the slots in use per account, as shown
 */
const char *
easel_job_sidebar_get_slots_summary (EaselJobSidebar *self)
{
  g_return_val_if_fail (EASEL_IS_JOB_SIDEBAR (self), NULL);

  return self->slots_summary;
}

/**
 * easel_job_sidebar_set_slots_summary:
 * @self: a job sidebar
 * @summary: (nullable): the slots in use per account, such as
 *   "Replicate 2/4 · Midjourney 1/3"
 *
 * Set from the queue when there is one.
 */
void
easel_job_sidebar_set_slots_summary (EaselJobSidebar *self,
                                     const char      *summary)
{
  g_return_if_fail (EASEL_IS_JOB_SIDEBAR (self));

  if (g_strcmp0 (self->slots_summary, summary) == 0)
    return;

  g_free (self->slots_summary);
  self->slots_summary = g_strdup (summary);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLOTS_SUMMARY]);
}

static void
show_error (EaselJobSidebar *self,
            const GError    *error)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *title = NULL;

  if (overlay == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }

  title = g_markup_escape_text (error->message, -1);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

static void
easel_job_sidebar_real_cancel_job (EaselJobSidebar *self,
                                   EaselJob        *job)
{
  if (self->queue != NULL)
    easel_job_queue_cancel (self->queue, job);
}

static void
easel_job_sidebar_real_retry_job (EaselJobSidebar *self,
                                  EaselJob        *job)
{
  g_autoptr(GError) error = NULL;

  if (self->queue != NULL && easel_job_queue_retry (self->queue, job, &error) == NULL)
    show_error (self, error);
}

static void
easel_job_sidebar_real_run_job_action (EaselJobSidebar *self,
                                       EaselJob        *job,
                                       const char      *action)
{
  g_autoptr(GError) error = NULL;

  if (self->queue != NULL && easel_job_queue_run_action (self->queue, job, action, &error) == NULL)
    show_error (self, error);
}

static void
easel_job_sidebar_real_clear_finished (EaselJobSidebar *self)
{
  if (self->queue != NULL)
    easel_job_queue_clear_finished (self->queue);
}

static void
clear_finished_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  g_signal_emit (widget, signals[CLEAR_FINISHED], 0);
}

static void
setup_row_cb (EaselJobSidebar *self,
              GtkListItem     *item)
{
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, easel_job_row_new (self->thumbnails));
}

static void
bind_row_cb (EaselJobSidebar *self,
             GtkListItem     *item)
{
  easel_job_row_set_job (EASEL_JOB_ROW (gtk_list_item_get_child (item)),
                         gtk_list_item_get_item (item));
}

static void
unbind_row_cb (EaselJobSidebar *self,
               GtkListItem     *item)
{
  easel_job_row_set_job (EASEL_JOB_ROW (gtk_list_item_get_child (item)), NULL);
}

static char *
pause_icon_cb (gpointer unused,
               gboolean paused)
{
  return g_strdup (paused ? "media-playback-start-symbolic" : "media-playback-pause-symbolic");
}

static char *
slots_tooltip_cb (gpointer    unused,
                  const char *summary)
{
  return g_strdup (_("Jobs running on each account, of the most it may run at once"));
}

static gboolean
has_text_cb (gpointer    unused,
             const char *text)
{
  return text != NULL && *text != '\0';
}

static void
easel_job_sidebar_dispose (GObject *object)
{
  EaselJobSidebar *self = EASEL_JOB_SIDEBAR (object);

  g_clear_pointer (&self->paused_binding, g_binding_unbind);
  g_clear_pointer (&self->slots_binding, g_binding_unbind);
  g_clear_object (&self->queue);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, model_items_changed_cb, self);
  g_clear_object (&self->model);
  g_ptr_array_set_size (self->watches, 0);
  g_clear_handle_id (&self->resort_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), EASEL_TYPE_JOB_SIDEBAR);

  g_clear_object (&self->sorted);
  g_clear_object (&self->sorter);

  G_OBJECT_CLASS (easel_job_sidebar_parent_class)->dispose (object);
}

static void
easel_job_sidebar_finalize (GObject *object)
{
  EaselJobSidebar *self = EASEL_JOB_SIDEBAR (object);

  g_ptr_array_unref (self->watches);
  g_clear_object (&self->thumbnails);
  g_free (self->slots_summary);

  G_OBJECT_CLASS (easel_job_sidebar_parent_class)->finalize (object);
}

static void
easel_job_sidebar_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EaselJobSidebar *self = EASEL_JOB_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_QUEUE:
      g_value_set_object (value, self->queue);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_SLOTS_SUMMARY:
      g_value_set_string (value, self->slots_summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_job_sidebar_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EaselJobSidebar *self = EASEL_JOB_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      easel_job_sidebar_set_model (self, g_value_get_object (value));
      break;
    case PROP_QUEUE:
      easel_job_sidebar_set_queue (self, g_value_get_object (value));
      break;
    case PROP_PAUSED:
      easel_job_sidebar_set_paused (self, g_value_get_boolean (value));
      break;
    case PROP_SLOTS_SUMMARY:
      easel_job_sidebar_set_slots_summary (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_job_sidebar_class_init (EaselJobSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = easel_job_sidebar_dispose;
  object_class->finalize = easel_job_sidebar_finalize;
  object_class->get_property = easel_job_sidebar_get_property;
  object_class->set_property = easel_job_sidebar_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUEUE] =
    g_param_spec_object ("queue", NULL, NULL, EASEL_TYPE_JOB_QUEUE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SLOTS_SUMMARY] =
    g_param_spec_string ("slots-summary", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EaselJobSidebar::cancel-job:
   * @self: the sidebar
   * @job: the job to cancel
   *
   * The user asked to cancel @job. The default handler cancels it in the
   * queue, if there is one.
   */
  signals[CANCEL_JOB] =
    g_signal_new_class_handler ("cancel-job", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (easel_job_sidebar_real_cancel_job),
                                NULL, NULL, NULL, G_TYPE_NONE, 1, EASEL_TYPE_JOB);

  /**
   * EaselJobSidebar::retry-job:
   * @self: the sidebar
   * @job: a failed, cancelled or needs-attention job
   *
   * The user asked to run @job again. The default handler queues a retry
   * and shows a toast if the queue refuses.
   */
  signals[RETRY_JOB] =
    g_signal_new_class_handler ("retry-job", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (easel_job_sidebar_real_retry_job),
                                NULL, NULL, NULL, G_TYPE_NONE, 1, EASEL_TYPE_JOB);

  /**
   * EaselJobSidebar::run-job-action:
   * @self: the sidebar
   * @job: a succeeded job
   * @action: one of @job's buttons
   *
   * The user pressed one of @job's Midjourney buttons. The default handler
   * queues the action's job.
   */
  signals[RUN_JOB_ACTION] =
    g_signal_new_class_handler ("run-job-action", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (easel_job_sidebar_real_run_job_action),
                                NULL, NULL, NULL, G_TYPE_NONE, 2, EASEL_TYPE_JOB, G_TYPE_STRING);

  /**
   * EaselJobSidebar::clear-finished:
   * @self: the sidebar
   *
   * The user asked to remove the finished jobs from the list. The default
   * handler clears them from the queue.
   */
  signals[CLEAR_FINISHED] =
    g_signal_new_class_handler ("clear-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (easel_job_sidebar_real_clear_finished),
                                NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-job-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, EaselJobSidebar, stack);
  gtk_widget_class_bind_template_child (widget_class, EaselJobSidebar, list_view);
  gtk_widget_class_bind_template_child (widget_class, EaselJobSidebar, counts_label);
  gtk_widget_class_bind_template_child (widget_class, EaselJobSidebar, pause_button);
  /* Bound only so tests can find them. */
  gtk_widget_class_bind_template_child_full (widget_class, "clear_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "slots_label", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, pause_icon_cb);
  gtk_widget_class_bind_template_callback (widget_class, pause_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, slots_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, has_text_cb);

  gtk_widget_class_install_property_action (widget_class, "jobs.pause", "paused");
  gtk_widget_class_install_action (widget_class, "jobs.clear-finished", NULL, clear_finished_action);
}

static void
easel_job_sidebar_init (EaselJobSidebar *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkNoSelection) selection = NULL;
  g_autofree char *pause_label = NULL;

  self->watches = g_ptr_array_new_with_free_func ((GDestroyNotify) watch_free);
  self->thumbnails = easel_job_thumbnails_new (THUMBNAIL_PIXELS, THUMBNAILS_CACHED);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->sorter = GTK_SORTER (gtk_custom_sorter_new (compare_jobs, NULL, NULL));
  self->sorted = gtk_sort_list_model_new (NULL, g_object_ref (self->sorter));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row_cb), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  pause_label = pause_tooltip_cb (NULL, self->paused);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pause_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, pause_label,
                                  -1);
  model_items_changed_cb (self, 0, 0, 0, NULL);
}
