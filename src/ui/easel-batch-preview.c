/* easel-batch-preview.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The batch preview: every prompt the editor's template expands to, what
 * the batch is estimated to cost and what the budget leaves, before
 * anything is queued. The queue's own dry run (easel_job_queue_estimate)
 * prices the jobs and checks them against the budget, so the preview
 * refuses exactly what queueing would refuse, with the same reason. A
 * batch larger than the confirmation size needs one more explicit tick.
 *
 * The prompts are a GtkListView over a string list, so a batch of
 * thousands opens as fast as one of three. */

#include "config.h"

#include "easel-batch-preview.h"

#include <glib/gi18n.h>

#include "easel-budget-left.h"

struct _EaselBatchPreview
{
  AdwWindow        parent_instance;

  EaselJobQueue   *queue;
  EaselProvider   *provider;
  GPtrArray       *requests;
  guint            priced;        /* requests priced so far */
  gint64           price;         /* their total */
  gboolean         price_exact;
  guint            price_id;
  gboolean         budget_checked;
  guint            confirm_size;
  GtkStringList   *prompts;
  GCancellable    *cancellable;
  gint64           estimate;
  char            *problem;
  gboolean         estimated;
  gboolean         queueing;

  /* Template widgets */
  GtkButton       *queue_button;
  GtkLabel        *jobs_label;
  GtkSpinner      *cost_spinner;
  GtkLabel        *cost_label;
  GtkLabel        *budget_label;
  GtkLabel        *problem_label;
  GtkCheckButton  *confirm_check;
  GtkListView     *prompt_list;
};

G_DEFINE_FINAL_TYPE (EaselBatchPreview, easel_batch_preview, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  QUEUED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * easel_batch_preview_get_ready:
 * @self: a preview
 *
 * Returns: whether the batch is priced, fits the budget, is confirmed if it
 *   must be, and can be queued
 */
gboolean
easel_batch_preview_get_ready (EaselBatchPreview *self)
{
  g_return_val_if_fail (EASEL_IS_BATCH_PREVIEW (self), FALSE);

  return self->estimated && self->budget_checked && self->problem == NULL && !self->queueing &&
         (self->requests->len <= self->confirm_size ||
          gtk_check_button_get_active (self->confirm_check));
}

/**
 * easel_batch_preview_get_problem:
 * @self: a preview
 *
 * Returns: (nullable): why the batch cannot be queued (over budget, an
 *   invalid job, a failed submit), or %NULL
 */
const char *
easel_batch_preview_get_problem (EaselBatchPreview *self)
{
  g_return_val_if_fail (EASEL_IS_BATCH_PREVIEW (self), NULL);

  return self->problem;
}

/**
 * easel_batch_preview_get_estimate:
 * @self: a preview
 *
 * Returns: the estimated cost of the batch in USD micros, -1 until known
 *   (or when a job cannot be priced)
 */
gint64
easel_batch_preview_get_estimate (EaselBatchPreview *self)
{
  g_return_val_if_fail (EASEL_IS_BATCH_PREVIEW (self), -1);

  return self->estimated ? self->estimate : -1;
}

/**
 * easel_batch_preview_get_prompts:
 * @self: a preview
 *
 * Returns: (transfer none): the prompts listed, one per job
 */
GListModel *
easel_batch_preview_get_prompts (EaselBatchPreview *self)
{
  g_return_val_if_fail (EASEL_IS_BATCH_PREVIEW (self), NULL);

  return G_LIST_MODEL (self->prompts);
}

static void
update_ready (EaselBatchPreview *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->queue_button), easel_batch_preview_get_ready (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
set_problem (EaselBatchPreview *self,
             const char        *problem)
{
  g_free (self->problem);
  self->problem = g_strdup (problem);
  gtk_label_set_label (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  update_ready (self);
}

/* The queue's dry run: whether the batch fits the budget and every job is
 * valid, with the reason when not. */
static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(EaselBatchPreview) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 total;

  total = easel_job_queue_estimate_finish (EASEL_JOB_QUEUE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->budget_checked = TRUE;
  if (total < 0)
    set_problem (self, error->message);
  else
    update_ready (self);
}

/* The cost, priced job by job through the provider in slices, so that a
 * batch of thousands never holds the main loop; it is known even when the
 * budget refuses the batch. */
static gboolean
price_cb (gpointer user_data)
{
  EaselBatchPreview *self = user_data;
  g_autofree char *money = NULL;
  guint end = MIN (self->priced + 200, self->requests->len);

  for (; self->priced < end; self->priced++)
    {
      EaselJobRequest *request = g_ptr_array_index (self->requests, self->priced);
      EaselCostEstimate estimate = { 0 };
      g_autoptr(GError) error = NULL;

      if (!easel_provider_estimate_cost (self->provider, request->spec, &estimate, &error))
        {
          self->price_id = 0;
          gtk_widget_set_visible (GTK_WIDGET (self->cost_spinner), FALSE);
          gtk_label_set_label (self->cost_label, _("Unknown"));
          /* Translators: %u is the position of a job in the batch, from 1 */
          g_prefix_error (&error, _("Job %u: "), self->priced + 1);
          set_problem (self, error->message);
          return G_SOURCE_REMOVE;
        }
      self->price += estimate.micros;
      self->price_exact = self->price_exact && estimate.exact;
      easel_cost_estimate_clear (&estimate);
    }
  if (self->priced < self->requests->len)
    return G_SOURCE_CONTINUE;

  self->price_id = 0;
  self->estimated = TRUE;
  self->estimate = self->price;
  money = easel_format_money (self->price);
  if (self->price_exact)
    gtk_label_set_label (self->cost_label, money);
  else
    {
      /* Translators: an estimated amount of money */
      g_autofree char *about = g_strdup_printf (_("≈ %s"), money);

      gtk_label_set_label (self->cost_label, about);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->cost_spinner), FALSE);
  gtk_spinner_set_spinning (self->cost_spinner, FALSE);
  update_ready (self);
  return G_SOURCE_REMOVE;
}

static char *
format_left (gint64      micros,
             const char *period)
{
  g_autofree char *money = easel_format_money (micros);

  /* Translators: an amount of money, then "today" or "this month" */
  return g_strdup_printf (_("%s %s"), money, period);
}

static void
budget_left_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EaselBatchPreview) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;
  g_autofree char *text = NULL;
  g_autofree char *day = NULL;
  g_autofree char *month = NULL;
  EaselBudgetLeft left;

  if (!easel_budget_left_finish (EASEL_BUDGET (object), result, &left, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->budget_label, error->message);
      return;
    }

  if (left.day >= 0)
    g_strv_builder_add (builder, day = format_left (left.day, _("today")));
  if (left.month >= 0)
    g_strv_builder_add (builder, month = format_left (left.month, _("this month")));
  parts = g_strv_builder_end (builder);
  text = parts[0] != NULL ? g_strjoinv ("\n", parts) : g_strdup (_("No limit set"));
  gtk_label_set_label (self->budget_label, text);
}

static void
enqueued_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EaselBatchPreview) self = user_data;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  self->queueing = FALSE;
  jobs = easel_job_queue_enqueue_finish (EASEL_JOB_QUEUE (object), result, &error);
  if (jobs == NULL)
    {
      set_problem (self, error->message);
      return;
    }

  g_signal_emit (self, signals[QUEUED], 0, jobs);
  gtk_window_close (GTK_WINDOW (self));
}

static void
queue_clicked_cb (EaselBatchPreview *self)
{
  if (!easel_batch_preview_get_ready (self))
    return;

  self->queueing = TRUE;
  update_ready (self);
  /* Not cancellable: once asked, the batch is either queued whole or
   * refused whole, and the window stays until it knows which. */
  easel_job_queue_enqueue_async (self->queue, self->requests, NULL, enqueued_cb, g_object_ref (self));
}

static void
confirm_toggled_cb (EaselBatchPreview *self)
{
  update_ready (self);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_item_set_child (item, label);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  GtkStringObject *string = gtk_list_item_get_item (item);
  g_autofree char *text = NULL;

  /* Translators: the position of a job in the batch, then its prompt */
  text = g_strdup_printf (_("%u. %s"), gtk_list_item_get_position (item) + 1,
                          gtk_string_object_get_string (string));
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

/**
 * easel_batch_preview_new:
 * @queue: the job queue
 * @provider: the provider (and account) of the jobs, which prices them
 * @requests: (element-type EaselJobRequest): the jobs, all for @provider
 * @confirm_size: batches of more jobs than this need an explicit tick
 *
 * Returns: (transfer full): a new preview; it emits ::queued with the jobs
 *   and closes once they are queued
 */
EaselBatchPreview *
easel_batch_preview_new (EaselJobQueue *queue,
                         EaselProvider *provider,
                         GPtrArray     *requests,
                         guint          confirm_size)
{
  EaselBatchPreview *self;
  g_autofree char *count = NULL;
  g_autofree char *button = NULL;
  EaselJobRequest *first;
  EaselBudget *budget;

  g_return_val_if_fail (EASEL_IS_JOB_QUEUE (queue), NULL);
  g_return_val_if_fail (EASEL_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (requests != NULL && requests->len > 0, NULL);

  self = g_object_new (EASEL_TYPE_BATCH_PREVIEW, NULL);
  self->queue = g_object_ref (queue);
  self->provider = g_object_ref (provider);
  self->requests = g_ptr_array_ref (requests);
  self->price_exact = TRUE;
  self->confirm_size = confirm_size;

  for (guint i = 0; i < requests->len; i++)
    gtk_string_list_append (self->prompts, ((EaselJobRequest *) g_ptr_array_index (requests, i))->spec->prompt);

  count = g_strdup_printf ("%u", requests->len);
  gtk_label_set_label (self->jobs_label, count);
  button = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Queue %u Job", "_Queue %u Jobs", requests->len),
                            requests->len);
  gtk_button_set_label (self->queue_button, button);

  if (requests->len > confirm_size)
    {
      g_autofree char *confirm = NULL;

      /* Translators: %u is a number of jobs, over the confirmation size */
      confirm = g_strdup_printf (_("Yes, queue all %u jobs"), requests->len);
      gtk_check_button_set_label (self->confirm_check, confirm);
      gtk_widget_set_visible (GTK_WIDGET (self->confirm_check), TRUE);
    }

  /* Work the user waits for: not behind every idle of the window. */
  self->price_id = g_idle_add_full (G_PRIORITY_DEFAULT, price_cb, self, NULL);
  easel_job_queue_estimate_async (queue, requests, self->cancellable, checked_cb, g_object_ref (self));

  first = g_ptr_array_index (requests, 0);
  budget = easel_job_queue_get_budget (queue);
  if (budget != NULL)
    easel_budget_left_async (budget, easel_job_queue_get_store (queue), first->provider,
                             self->cancellable, budget_left_cb, g_object_ref (self));
  else
    gtk_label_set_label (self->budget_label, _("No limit set"));

  return self;
}

static void
easel_batch_preview_dispose (GObject *object)
{
  EaselBatchPreview *self = EASEL_BATCH_PREVIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->price_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), EASEL_TYPE_BATCH_PREVIEW);

  G_OBJECT_CLASS (easel_batch_preview_parent_class)->dispose (object);
}

static void
easel_batch_preview_finalize (GObject *object)
{
  EaselBatchPreview *self = EASEL_BATCH_PREVIEW (object);

  g_clear_object (&self->queue);
  g_clear_object (&self->provider);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_object (&self->prompts);
  g_clear_object (&self->cancellable);
  g_free (self->problem);

  G_OBJECT_CLASS (easel_batch_preview_parent_class)->finalize (object);
}

static void
easel_batch_preview_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EaselBatchPreview *self = EASEL_BATCH_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, easel_batch_preview_get_ready (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_batch_preview_class_init (EaselBatchPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = easel_batch_preview_dispose;
  object_class->finalize = easel_batch_preview_finalize;
  object_class->get_property = easel_batch_preview_get_property;

  /**
   * EaselBatchPreview:ready:
   *
   * Whether the batch can be queued now.
   */
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EaselBatchPreview::queued:
   * @self: the preview
   * @jobs: (element-type EaselJob): the jobs queued
   *
   * The batch is in the queue; the preview closes next.
   */
  signals[QUEUED] = g_signal_new ("queued", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-batch-preview.ui");
  gtk_widget_class_bind_template_child (widget_class, EaselBatchPreview, queue_button);
  gtk_widget_class_bind_template_child (widget_class, EaselBatchPreview, jobs_label);
  gtk_widget_class_bind_template_child (widget_class, EaselBatchPreview, cost_spinner);
  gtk_widget_class_bind_template_child (widget_class, EaselBatchPreview, cost_label);
  gtk_widget_class_bind_template_child (widget_class, EaselBatchPreview, budget_label);
  gtk_widget_class_bind_template_child (widget_class, EaselBatchPreview, problem_label);
  gtk_widget_class_bind_template_child (widget_class, EaselBatchPreview, confirm_check);
  gtk_widget_class_bind_template_child (widget_class, EaselBatchPreview, prompt_list);
  gtk_widget_class_bind_template_callback (widget_class, queue_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_toggled_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
easel_batch_preview_init (EaselBatchPreview *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->prompts = gtk_string_list_new (NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), NULL);
  gtk_list_view_set_factory (self->prompt_list, factory);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->prompts)));
  gtk_list_view_set_model (self->prompt_list, GTK_SELECTION_MODEL (selection));
}
