/* easel-editor-pane.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The prompt editor: provider, account and model pickers, the prompt (a
 * template), the model's parameter form, and the Generate button that says
 * how many jobs it will queue and what they are estimated to cost.
 *
 * Everything the button and the "what will be sent" view show is derived
 * from the editor's state by one function, update_now(), run shortly after
 * the last change (typing never waits for it). It expands the template,
 * builds the first jobs exactly as a submit would, prices them through the
 * provider and asks the provider how it would send the first one; the
 * reason the button is disabled, if it is, comes from the same pass. A
 * submit builds the jobs again, all of them, and hands them to the queue
 * (one job) or to the batch preview (more than one, or when asked).
 *
 * A model's parameters come from the model catalog (cached in the store, so
 * a model used before works offline); its last settings are loaded after
 * them and saved back a moment after each edit. Prompts and their settings
 * go to the prompt history once queued. */

#include "config.h"

#include "easel-editor-pane.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-batch-preview.h"
#include "easel-model-catalog.h"
#include "easel-model-settings.h"
#include "easel-param-form.h"
#include "easel-prompt-enhancer.h"
#include "easel-prompt-history.h"
#include "easel-provider-registry.h"
#include "easel-reference-tray.h"
#include "easel-template.h"
#include "easel-template-store.h"
#include "easel-ui-util.h"

/* How long after the last change the button and the request view follow. */
#define UPDATE_DELAY_MS 150
/* How long after the last parameter edit the model's settings are saved. */
#define SAVE_DELAY_MS 600
/* Above this many jobs the button does not price every one of them; the
 * preview does, through the queue. */
#define PRICE_LIMIT 500
/* The most jobs one submit may expand to. */
#define MAX_JOBS 10000
#define HISTORY_LIMIT 100

struct _EaselEditorPane
{
  AdwBin              parent_instance;

  EaselJobQueue      *queue;
  EaselAccounts      *accounts;
  EaselLibrary       *library;
  GSettings          *settings;
  GCancellable       *cancellable;        /* the pane's lifetime */
  GCancellable       *model_cancellable;  /* the model being loaded */
  GHashTable         *providers;          /* "id\naccount" → EaselProvider */

  GPtrArray          *provider_ids;       /* ids of providers with an account */
  GtkStringList      *provider_names;
  GStrv               account_list;       /* names of the selected provider's accounts */
  GtkStringList      *account_names;

  char               *model;
  GPtrArray          *params;             /* EaselParam of @model, NULL until loaded */
  char               *model_error;
  JsonObject         *pending_values;     /* to apply once @params are loaded */
  gboolean            applying;           /* filling the form: not a user edit */
  gboolean            filling;            /* reuse/history fills the pickers */

  guint               update_id;
  guint               save_id;
  gboolean            form_edited;        /* by the user, since the model's parameters came */
  char               *disabled_reason;

  /* templates */
  EaselTemplateStore *templates;
  EaselTemplate      *template;           /* the template open, or NULL */
  GHashTable         *variable_rows;      /* name → AdwExpanderRow, kept when unused */
  GStrv               variable_names;     /* the variables the prompt uses */

  /* enhance */
  EaselOpenrouterClient *openrouter;      /* NULL without a key */
  GCancellable       *enhance_cancellable;

  /* history */
  GPtrArray          *recent;             /* EaselHistoryEntry, newest first */
  int                 recent_index;       /* -1: not browsing */
  gboolean            recent_loading;
  int                 recent_pending_step;
  guint               history_search_id;
  GCancellable       *history_cancellable;

  /* Template widgets */
  GtkStack           *stack;
  AdwStatusPage      *status_page;
  GtkMenuButton      *history_button;
  GtkPopover         *history_popover;
  GtkSearchEntry     *history_search;
  GtkStack           *history_stack;
  GtkListBox         *history_list;
  GtkLabel           *history_empty_label;
  GtkMenuButton      *templates_button;
  GtkLabel           *template_label;
  AdwComboRow        *provider_row;
  AdwComboRow        *account_row;
  AdwActionRow       *model_row;
  GtkSpinner         *model_spinner;
  GtkMenuButton      *model_button;
  GtkPopover         *model_popover;
  GtkSearchEntry     *model_search;
  GtkLabel           *model_search_error;
  GtkListBox         *model_list;
  GtkWidget          *model_error_box;
  GtkLabel           *model_error_label;
  GtkTextView        *prompt_view;
  GtkLabel           *prompt_placeholder;
  GtkLabel           *template_error_label;
  GtkWidget          *enhance_bar;
  GtkButton          *enhance_button;
  GtkStack           *enhance_icon_stack;
  GtkSpinner         *enhance_spinner;
  GtkRevealer        *suggestion_revealer;
  GtkLabel           *suggestion_label;
  GtkLabel           *suggestion_error_label;
  GtkWidget          *accept_button;
  GtkWidget          *negative_box;
  GtkTextView        *negative_view;
  AdwPreferencesGroup *variables_group;
  GtkBox             *params_box;
  GtkExpander        *request_expander;
  GtkLabel           *request_label;
  GtkLabel           *submit_error_label;
  GtkLabel           *reason_label;
  GtkSpinButton      *count_spin;
  GtkButton          *generate_button;
  GtkLabel           *generate_label;

  GtkBox             *references_box;

  EaselParamForm     *form;
  EaselReferenceTray *tray;
};

G_DEFINE_FINAL_TYPE (EaselEditorPane, easel_editor_pane, ADW_TYPE_BIN)

static void schedule_update (EaselEditorPane *self);
static void load_model      (EaselEditorPane *self,
                             gboolean         refresh);

/* Accounts: the names of a provider's accounts, its default first. */
static GStrv
dup_accounts (EaselEditorPane *self,
              const char      *provider_id)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  EaselAccount *fallback;
  guint n;

  if (self->accounts == NULL)
    return g_strv_builder_end (builder);

  fallback = easel_accounts_get_default (self->accounts, provider_id);
  if (fallback != NULL)
    g_strv_builder_add (builder, easel_account_get_name (fallback));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EaselAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (g_str_equal (easel_account_get_provider (account), provider_id) && account != fallback)
        g_strv_builder_add (builder, easel_account_get_name (account));
    }
  return g_strv_builder_end (builder);
}

static char *
account_title (EaselEditorPane *self,
               const char      *name)
{
  EaselAccount *account = easel_accounts_find (self->accounts, name);

  if (account != NULL && easel_account_get_source (account) == EASEL_ACCOUNT_SOURCE_ENVIRONMENT)
    /* Translators: an account's name, whose token comes from the environment */
    return g_strdup_printf (_("%s (from environment)"), name);
  return g_strdup (name);
}

static const char *
get_provider_id (EaselEditorPane *self)
{
  guint selected = adw_combo_row_get_selected (self->provider_row);

  if (self->provider_ids == NULL || selected >= self->provider_ids->len)
    return NULL;
  return g_ptr_array_index (self->provider_ids, selected);
}

static const char *
get_account (EaselEditorPane *self)
{
  guint selected = adw_combo_row_get_selected (self->account_row);

  if (self->account_list == NULL || selected >= g_strv_length (self->account_list))
    return NULL;
  return self->account_list[selected];
}

/* The provider object of the selected account, created once and kept. */
static EaselProvider *
get_provider (EaselEditorPane  *self,
              GError          **error)
{
  const char *id = get_provider_id (self);
  const char *account = get_account (self);
  g_autofree char *key = NULL;
  EaselProvider *provider;

  if (id == NULL || account == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No account is chosen"));
      return NULL;
    }

  key = g_strconcat (id, "\n", account, NULL);
  provider = g_hash_table_lookup (self->providers, key);
  if (provider != NULL)
    return provider;

  provider = easel_accounts_lookup (id, account, self->accounts, error);
  if (provider == NULL)
    return NULL;
  g_hash_table_insert (self->providers, g_steal_pointer (&key), provider);
  return provider;
}

static EaselStore *
get_store (EaselEditorPane *self)
{
  return self->queue ? easel_job_queue_get_store (self->queue) : NULL;
}

/* Text */

static char *
dup_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_text (GtkTextView *view,
          const char  *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  /* One undoable step, so Ctrl+Z brings back what was there
   * (gtk_text_buffer_set_text() cannot be undone). */
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_insert (buffer, &start, text ? text : "", -1);
  gtk_text_buffer_end_user_action (buffer);
}

static char *
dup_negative (EaselEditorPane *self)
{
  g_autofree char *text = NULL;

  if (!gtk_widget_get_visible (self->negative_box))
    return NULL;
  text = g_strstrip (dup_text (self->negative_view));
  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
set_label_error (GtkLabel   *label,
                 const char *message)
{
  gtk_label_set_label (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL && message[0] != '\0');
}

static void
show_submit_error (EaselEditorPane *self,
                   const char      *message)
{
  set_label_error (self->submit_error_label, message);
}

/* Jobs */

/* The form's values plus what the editor shows outside the form (the
 * negative prompt). */
static JsonObject *
dup_values (EaselEditorPane *self)
{
  JsonObject *values = easel_param_form_get_values (self->form);
  g_autofree char *negative = dup_negative (self);

  if (values == NULL)
    values = json_object_new ();
  if (negative != NULL)
    json_object_set_string_member (values, "negative_prompt", negative);
  return values;
}

/* Variables: one expander row each, with a default and a list of values.
 * A row is kept when its variable leaves the prompt, so deleting and
 * retyping {{x}} loses nothing. The values are on one line, separated by
 * "|"; \| is a bar inside a value (easel_template_values_split()). */

static void variable_changed_cb (EaselEditorPane *self);

static GtkWidget *
variable_row_new (EaselEditorPane *self,
                  const char      *name)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *default_row = adw_entry_row_new ();
  GtkWidget *values_row = adw_entry_row_new ();
  g_autofree char *title = g_strdup_printf ("{{%s}}", name);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (default_row), _("Default"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (values_row), _("Values, Separated by |"));
  gtk_widget_set_tooltip_text (values_row, _("Each value makes its own prompts. Type \\| for a “|” inside a value."));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), default_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), values_row);
  g_object_set_data (G_OBJECT (row), "easel-default", default_row);
  g_object_set_data (G_OBJECT (row), "easel-values", values_row);
  g_signal_connect_object (default_row, "changed", G_CALLBACK (variable_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (values_row, "changed", G_CALLBACK (variable_changed_cb), self, G_CONNECT_SWAPPED);
  return row;
}

static AdwExpanderRow *
get_variable_row (EaselEditorPane *self,
                  const char      *name)
{
  GtkWidget *row = g_hash_table_lookup (self->variable_rows, name);

  if (row == NULL)
    {
      row = g_object_ref_sink (variable_row_new (self, name));
      g_hash_table_insert (self->variable_rows, g_strdup (name), row);
    }
  return ADW_EXPANDER_ROW (row);
}

static void
update_variable_subtitle (AdwExpanderRow *row)
{
  GtkEditable *default_row = g_object_get_data (G_OBJECT (row), "easel-default");
  GtkEditable *values_row = g_object_get_data (G_OBJECT (row), "easel-values");
  g_auto(GStrv) values = easel_template_values_split (gtk_editable_get_text (values_row));
  const char *fallback = gtk_editable_get_text (default_row);
  g_autofree char *subtitle = NULL;
  guint n = g_strv_length (values);

  if (n > 0)
    /* Translators: how many values a template variable has */
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u value", "%u values", n), n);
  else if (fallback[0] != '\0')
    /* Translators: a template variable's default value */
    subtitle = g_strdup_printf (_("Default: %s"), fallback);
  else
    subtitle = g_strdup (_("No value yet"));
  adw_expander_row_set_subtitle (row, subtitle);
}

static void
set_variable (EaselEditorPane             *self,
              const EaselTemplateVariable *variable)
{
  AdwExpanderRow *row = get_variable_row (self, variable->name);
  g_autofree char *values = easel_template_values_join ((const char * const *) variable->values);

  gtk_editable_set_text (g_object_get_data (G_OBJECT (row), "easel-default"),
                         variable->default_value ? variable->default_value : "");
  gtk_editable_set_text (g_object_get_data (G_OBJECT (row), "easel-values"), values);
  update_variable_subtitle (row);
}

/* The variables the prompt uses, as the rows say. */
static GPtrArray *
dup_variables (EaselEditorPane *self)
{
  GPtrArray *variables = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_template_variable_free);

  for (guint i = 0; self->variable_names != NULL && self->variable_names[i] != NULL; i++)
    {
      AdwExpanderRow *row = get_variable_row (self, self->variable_names[i]);
      const char *fallback = gtk_editable_get_text (g_object_get_data (G_OBJECT (row), "easel-default"));
      GtkEditable *values_row = g_object_get_data (G_OBJECT (row), "easel-values");
      g_auto(GStrv) values = easel_template_values_split (gtk_editable_get_text (values_row));

      g_ptr_array_add (variables, easel_template_variable_new (self->variable_names[i],
                                                               fallback[0] != '\0' ? fallback : NULL,
                                                               (const char * const *) values));
    }
  return variables;
}

static void
sync_variables (EaselEditorPane *self,
                const char      *prompt)
{
  g_auto(GStrv) names = easel_template_get_variable_names (prompt);

  if (self->variable_names != NULL && g_strv_equal ((const char * const *) names,
                                                    (const char * const *) self->variable_names))
    return;

  for (guint i = 0; self->variable_names != NULL && self->variable_names[i] != NULL; i++)
    adw_preferences_group_remove (self->variables_group,
                                  GTK_WIDGET (get_variable_row (self, self->variable_names[i])));
  g_strfreev (self->variable_names);
  self->variable_names = g_steal_pointer (&names);
  for (guint i = 0; self->variable_names[i] != NULL; i++)
    {
      AdwExpanderRow *row = get_variable_row (self, self->variable_names[i]);

      update_variable_subtitle (row);
      adw_preferences_group_add (self->variables_group, GTK_WIDGET (row));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->variables_group), self->variable_names[0] != NULL);
}

static void
variable_changed_cb (EaselEditorPane *self)
{
  for (guint i = 0; self->variable_names != NULL && self->variable_names[i] != NULL; i++)
    update_variable_subtitle (get_variable_row (self, self->variable_names[i]));
  schedule_update (self);
}

/* Whether the prompt and negative prompt are the open template's, so
 * that jobs may say they were made from it: an edit of either is not
 * that version. */
static gboolean
prompt_is_template (EaselEditorPane *self,
                    const char      *prompt)
{
  g_autofree char *body = NULL;
  g_autofree char *negative = NULL;
  g_autofree char *template_negative = NULL;

  if (self->template == NULL)
    return FALSE;
  body = g_strstrip (g_strdup (self->template->body));
  negative = dup_negative (self);
  template_negative = g_strstrip (g_strdup (self->template->negative ? self->template->negative : ""));
  return g_str_equal (body, prompt) &&
         g_str_equal (negative ? negative : "", template_negative);
}

/* The jobs a submit would queue: one per expansion of the template and per
 * copy asked for. Only the first @limit are built (0: all, up to
 * MAX_JOBS); @total is set to how many there would be. Template errors go
 * to @template_error, others to @error. */
static GPtrArray *
build_requests (EaselEditorPane  *self,
                guint             limit,
                guint64          *total,
                GError          **template_error,
                GError          **error)
{
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_job_request_free);
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(GPtrArray) expansions = NULL;
  g_autoptr(JsonObject) values = NULL;
  g_autofree char *prompt = NULL;
  const char *provider_id = get_provider_id (self);
  guint count = gtk_spin_button_get_value_as_int (self->count_spin);
  guint64 n_prompts = 0;
  g_autoptr(GPtrArray) references = NULL;
  gboolean templated;

  *total = 0;
  if (limit == 0)
    limit = MAX_JOBS;

  prompt = g_strstrip (dup_text (self->prompt_view));
  sync_variables (self, prompt);
  variables = dup_variables (self);
  if (!easel_template_count (prompt, variables, NULL, &n_prompts, template_error))
    return NULL;
  *total = n_prompts * count;

  if (self->model == NULL || provider_id == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("Choose a model first"));
      return NULL;
    }
  if (*total > MAX_JOBS)
    {
      /* Translators: %u is the most jobs one submit may queue */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("This would queue more than %u jobs; use fewer values"), MAX_JOBS);
      return NULL;
    }

  expansions = easel_template_expand (prompt, variables, NULL, MAX (n_prompts, 1), template_error);
  if (expansions == NULL)
    return NULL;

  values = dup_values (self);
  references = easel_reference_tray_get_references (self->tray);
  templated = prompt_is_template (self, prompt);
  for (guint e = 0; e < expansions->len && requests->len < limit; e++)
    {
      EaselExpansion *expansion = g_ptr_array_index (expansions, e);

      if (!easel_template_check_for_provider (expansion->prompt, provider_id, error))
        {
          if (expansions->len > 1)
            /* Translators: %u is the position of a prompt in a batch, from 1 */
            g_prefix_error (error, _("Prompt %u: "), e + 1);
          return NULL;
        }

      for (guint c = 0; c < count && requests->len < limit; c++)
        {
          g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("editor", self->model, expansion->prompt);
          EaselJobRequest *request;
          JsonObjectIter iter;
          const char *name;
          JsonNode *node;

          json_object_iter_init (&iter, values);
          while (json_object_iter_next (&iter, &name, &node))
            easel_job_spec_set_param (spec, name, json_node_copy (node));
          for (guint r = 0; r < references->len; r++)
            {
              EaselReference *reference = g_ptr_array_index (references, r);

              if (easel_reference_get_role (reference) == NULL)
                {
                  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                       _("This model takes no reference images; remove them first"));
                  return NULL;
                }
              easel_job_spec_add_reference (spec, easel_reference_get_role (reference),
                                            easel_reference_get_hash (reference),
                                            easel_reference_get_url (reference));
            }
          request = easel_job_request_new (provider_id, get_account (self), spec);
          /* Jobs say which template made them only when it did: the
           * prompt is the template's text, not an edit of it. */
          if (templated)
            easel_job_request_set_template (request, self->template->id, self->template->version,
                                            expansion->bindings);
          g_ptr_array_add (requests, request);
        }
    }

  return g_steal_pointer (&requests);
}

/* The button and the request view */

static char *
format_cost (gint64   micros,
             gboolean exact)
{
  g_autofree char *money = easel_format_money (micros);

  if (exact)
    return g_steal_pointer (&money);
  /* Translators: an estimated amount of money */
  return g_strdup_printf (_("≈ %s"), money);
}

static void
set_reason (EaselEditorPane *self,
            const char      *reason)
{
  if (g_strcmp0 (reason, self->disabled_reason) != 0)
    {
      g_free (self->disabled_reason);
      self->disabled_reason = g_strdup (reason);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.generate", reason == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.preview", reason == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->generate_button), reason);
  set_label_error (self->reason_label, reason);
}

static void
update_request_view (EaselEditorPane *self,
                     EaselProvider   *provider,
                     GPtrArray       *requests)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!gtk_expander_get_expanded (self->request_expander))
    return;

  if (provider == NULL || requests == NULL || requests->len == 0)
    {
      gtk_label_set_label (self->request_label, _("Nothing to send yet"));
      return;
    }

  text = easel_provider_describe_request (provider,
                                          ((EaselJobRequest *) g_ptr_array_index (requests, 0))->spec,
                                          &error);
  gtk_label_set_label (self->request_label, text ? text : error->message);
}

static void
update_now (EaselEditorPane *self)
{
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) template_error = NULL;
  g_autoptr(GError) cost_error = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *label = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *form_error = NULL;
  EaselProvider *provider;
  const char *reason = NULL;
  gint64 total_cost = 0;
  gboolean exact = TRUE;
  gboolean priced = FALSE;
  guint64 total = 0;

  g_clear_handle_id (&self->update_id, g_source_remove);
  prompt = g_strstrip (dup_text (self->prompt_view));
  provider = get_provider (self, NULL);

  requests = build_requests (self, PRICE_LIMIT, &total, &template_error, &error);
  set_label_error (self->template_error_label, template_error ? template_error->message : NULL);

  if (provider != NULL && requests != NULL && requests->len == total)
    {
      priced = TRUE;
      for (guint i = 0; i < requests->len && priced; i++)
        {
          EaselJobRequest *request = g_ptr_array_index (requests, i);
          EaselCostEstimate estimate = { 0 };

          /* A job the provider cannot price is one it would refuse. */
          priced = easel_provider_estimate_cost (provider, request->spec, &estimate, &cost_error);
          total_cost += estimate.micros;
          exact = exact && estimate.exact;
          easel_cost_estimate_clear (&estimate);
        }
    }

  /* The first reason is the one to act on first. */
  if (self->queue == NULL)
    reason = _("The library is still opening");
  else if (self->model_error != NULL)
    reason = _("The model’s parameters could not be loaded");
  else if (self->params == NULL)
    reason = _("Loading the model’s parameters…");
  else if (prompt[0] == '\0')
    reason = _("Write a prompt first");
  else if (template_error != NULL)
    reason = _("Fix the prompt’s template first");
  else if (error != NULL)
    reason = error->message;
  else if (!easel_param_form_is_valid (self->form))
    reason = form_error = easel_param_form_get_error (self->form);
  else if (easel_reference_tray_is_busy (self->tray))
    reason = _("Checking the reference images…");
  else if (!easel_reference_tray_get_valid (self->tray))
    /* The tray says what is wrong and what to do, beside the images. */
    reason = _("Fix the reference images first");
  else if (cost_error != NULL)
    reason = cost_error->message;

  if (priced)
    cost = format_cost (total_cost, exact);
  if (total <= 1)
    /* Translators: %s is the estimated cost of the job */
    label = priced ? g_strdup_printf (_("Generate · %s"), cost) : g_strdup (_("Generate"));
  else if (priced)
    /* Translators: %u is a number of jobs, %s their estimated cost */
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Generate %u · %s", "Generate %u · %s", total),
                             (guint) total, cost);
  else
    /* Translators: %u is a number of jobs */
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Generate %u", "Generate %u", total),
                             (guint) MIN (total, G_MAXUINT));

  gtk_label_set_label (self->generate_label, label);
  set_reason (self, reason);
  update_request_view (self, provider, requests);
}

static gboolean
update_timeout_cb (gpointer user_data)
{
  EaselEditorPane *self = user_data;

  self->update_id = 0;
  update_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_update (EaselEditorPane *self)
{
  g_clear_handle_id (&self->update_id, g_source_remove);
  self->update_id = g_timeout_add (UPDATE_DELAY_MS, update_timeout_cb, self);
}

static void
request_expanded_cb (EaselEditorPane *self)
{
  if (gtk_expander_get_expanded (self->request_expander))
    update_now (self);
}

/* The references' roles that are parameters of the model, for the form's
 * rules between parameters (Midjourney's --ow needs --oref). */
static void
update_image_values (EaselEditorPane *self)
{
  g_autoptr(GPtrArray) references = easel_reference_tray_get_references (self->tray);
  g_autoptr(JsonObject) values = json_object_new ();

  for (guint i = 0; i < references->len; i++)
    {
      EaselReference *reference = g_ptr_array_index (references, i);
      const char *role = easel_reference_get_role (reference);
      const char *url = easel_reference_get_url (reference);

      if (role != NULL && self->params != NULL && easel_params_find (self->params, role) != NULL)
        json_object_set_string_member (values, role, url ? url : easel_reference_get_hash (reference));
    }
  easel_param_form_set_image_values (self->form, values);
}

static void
references_changed_cb (EaselEditorPane *self)
{
  update_image_values (self);
  schedule_update (self);
}

/* Model settings */

static void
settings_saved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!easel_model_settings_save_finish (EASEL_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot save the model’s settings: %s", error->message);
}

static void
save_settings_now (EaselEditorPane *self)
{
  g_autoptr(JsonObject) values = NULL;
  const char *provider_id = get_provider_id (self);

  g_clear_handle_id (&self->save_id, g_source_remove);
  if (get_store (self) == NULL || self->params == NULL || provider_id == NULL || self->model == NULL)
    return;

  values = easel_param_form_get_values (self->form);
  if (values == NULL)
    return;
  easel_model_settings_save_async (get_store (self), provider_id, self->model, values,
                                   self->cancellable, settings_saved_cb, NULL);
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  EaselEditorPane *self = user_data;

  self->save_id = 0;
  save_settings_now (self);
  return G_SOURCE_REMOVE;
}

static void
form_changed_cb (EaselEditorPane *self)
{
  schedule_update (self);
  if (self->applying || self->params == NULL)
    return;
  self->form_edited = TRUE;
  g_clear_handle_id (&self->save_id, g_source_remove);
  self->save_id = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
}

static void
apply_values (EaselEditorPane *self,
              JsonObject      *values)
{
  self->applying = TRUE;
  if (values != NULL)
    easel_param_form_set_values (self->form, values);
  else
    easel_param_form_reset (self->form);
  self->applying = FALSE;
  schedule_update (self);
}

static void
settings_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(EaselEditorPane) self = user_data;
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(GError) error = NULL;

  values = easel_model_settings_load_finish (EASEL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_warning ("Cannot load the model’s settings: %s", error->message);
  /* What was typed into the form while they loaded is newer: it stays. */
  if (self->form_edited)
    return;
  apply_values (self, values);
}

/* Models */

/* Parameters the editor shows outside the form. */
static gboolean
is_prompt_param (const EaselParam *param)
{
  return g_str_equal (param->name, "prompt") || g_str_equal (param->name, "negative_prompt");
}

static void
set_model_error (EaselEditorPane *self,
                 const char      *message)
{
  g_free (self->model_error);
  self->model_error = g_strdup (message);
  gtk_label_set_label (self->model_error_label, message ? message : "");
  gtk_widget_set_visible (self->model_error_box, message != NULL);
}

static void
set_loading (EaselEditorPane *self,
             gboolean         loading)
{
  gtk_widget_set_visible (GTK_WIDGET (self->model_spinner), loading);
  gtk_spinner_set_spinning (self->model_spinner, loading);
}

static void
set_roles (EaselEditorPane *self)
{
  g_autoptr(GPtrArray) roles = NULL;

  if (get_provider_id (self) != NULL)
    roles = easel_reference_roles (get_provider_id (self), self->params);
  easel_reference_tray_set_roles (self->tray, roles);
  update_image_values (self);
}

static void
described_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(EaselEditorPane) self = user_data;
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(GPtrArray) form_params = NULL;
  g_autoptr(GError) error = NULL;
  gboolean from_cache = FALSE;

  params = easel_model_catalog_describe_finish (EASEL_STORE (object), result, &from_cache, &error);
  /* Cancelled, or the provider went with its last account meanwhile. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || get_provider_id (self) == NULL)
    return;

  set_loading (self, FALSE);
  if (params == NULL)
    {
      set_model_error (self, error->message);
      schedule_update (self);
      return;
    }

  self->params = g_ptr_array_ref (params);
  self->form_edited = FALSE;
  form_params = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_param_free);
  for (guint i = 0; i < params->len; i++)
    {
      EaselParam *param = g_ptr_array_index (params, i);

      if (!is_prompt_param (param))
        g_ptr_array_add (form_params, easel_param_copy (param));
    }

  self->applying = TRUE;
  easel_param_form_set_params (self->form, get_provider_id (self), form_params);
  self->applying = FALSE;
  gtk_widget_set_visible (self->negative_box, easel_params_find (params, "negative_prompt") != NULL);
  set_roles (self);

  if (self->pending_values != NULL)
    {
      g_autoptr(JsonObject) values = g_steal_pointer (&self->pending_values);

      apply_values (self, values);
    }
  else
    easel_model_settings_load_async (EASEL_STORE (object), get_provider_id (self), self->model,
                                     self->model_cancellable, settings_loaded_cb, g_object_ref (self));
  schedule_update (self);
}

static const char *
model_title (const char *provider_id,
             const char *model)
{
  const EaselCatalogEntry *entries;
  guint n;

  entries = easel_model_catalog_get_curated (&n);
  for (guint i = 0; i < n; i++)
    {
      if (g_str_equal (entries[i].provider, provider_id) && g_str_equal (entries[i].model, model))
        return _(entries[i].title);
    }
  return NULL;
}

static void
load_model (EaselEditorPane *self,
            gboolean         refresh)
{
  g_autoptr(GError) error = NULL;
  EaselProvider *provider;

  g_cancellable_cancel (self->model_cancellable);
  g_clear_object (&self->model_cancellable);
  g_clear_handle_id (&self->save_id, g_source_remove);
  g_clear_pointer (&self->params, g_ptr_array_unref);
  set_model_error (self, NULL);
  gtk_widget_set_visible (self->negative_box, FALSE);
  self->applying = TRUE;
  easel_param_form_set_params (self->form, get_provider_id (self), NULL);
  self->applying = FALSE;
  schedule_update (self);

  if (self->model == NULL || get_store (self) == NULL)
    return;

  provider = get_provider (self, &error);
  if (provider == NULL)
    {
      set_model_error (self, error->message);
      return;
    }

  self->model_cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  easel_model_catalog_describe_async (get_store (self), provider, self->model, refresh,
                                      self->model_cancellable, described_cb, g_object_ref (self));
}

static void
select_model (EaselEditorPane *self,
              const char      *model)
{
  const char *title;

  if (g_strcmp0 (model, self->model) == 0 && self->params != NULL)
    return;

  /* What was typed for the old model is saved before it goes. */
  if (self->save_id != 0)
    save_settings_now (self);

  g_free (self->model);
  self->model = g_strdup (model);

  title = model ? model_title (get_provider_id (self), model) : NULL;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->model_row), title ? title : _("Model"));
  adw_action_row_set_subtitle (self->model_row, model ? model : _("No model chosen"));
  load_model (self, FALSE);
}

static void
model_retry_clicked_cb (EaselEditorPane *self)
{
  load_model (self, TRUE);
}

static const char *
default_model (const char *provider_id)
{
  const EaselCatalogEntry *entries;
  guint n;

  entries = easel_model_catalog_get_curated (&n);
  for (guint i = 0; i < n; i++)
    {
      if (g_str_equal (entries[i].provider, provider_id))
        return entries[i].model;
    }
  return NULL;
}

/* The model popover: the curated models of the provider that match the
 * search, the current model, and any valid owner/name typed. */

static GtkWidget *
model_list_row_new (const char *model,
                    const char *title,
                    const char *description)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label;

  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);

  label = gtk_label_new (title ? title : model);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), label);

  label = gtk_label_new (description ? description : model);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "easel-model", g_strdup (model), g_free);
  gtk_widget_set_tooltip_text (row, model);
  return row;
}

static gboolean
matches (const char *haystack,
         const char *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static void
fill_model_list (EaselEditorPane *self)
{
  const char *provider_id = get_provider_id (self);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->model_search));
  g_autofree char *needle = NULL;
  g_autofree char *typed = g_strstrip (g_strdup (text));
  g_autoptr(GError) error = NULL;
  const EaselCatalogEntry *entries;
  gboolean typed_listed = FALSE;
  gboolean current_listed = FALSE;
  GtkWidget *child;
  guint n;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->model_list))) != NULL)
    gtk_list_box_remove (self->model_list, child);
  if (provider_id == NULL)
    return;

  needle = g_utf8_casefold (typed, -1);
  entries = easel_model_catalog_get_curated (&n);
  for (guint i = 0; i < n; i++)
    {
      if (!g_str_equal (entries[i].provider, provider_id))
        continue;
      if (g_str_equal (entries[i].model, typed))
        typed_listed = TRUE;
      if (g_strcmp0 (entries[i].model, self->model) == 0)
        current_listed = TRUE;
      if (needle[0] != '\0' && !matches (entries[i].model, needle) &&
          !matches (_(entries[i].title), needle) && !matches (_(entries[i].description), needle))
        continue;
      gtk_list_box_append (self->model_list,
                           model_list_row_new (entries[i].model, _(entries[i].title), _(entries[i].description)));
    }

  /* A model of one's own, chosen before, stays in the list. */
  if (self->model != NULL && !current_listed && matches (self->model, needle))
    gtk_list_box_prepend (self->model_list, model_list_row_new (self->model, NULL, _("Chosen by name")));

  /* Only Replicate runs models by name. */
  set_label_error (self->model_search_error, NULL);
  if (g_str_equal (provider_id, "replicate") && strchr (typed, '/') != NULL && !typed_listed &&
      g_strcmp0 (typed, self->model) != 0)
    {
      if (easel_model_name_is_valid (typed, &error))
        {
          g_autofree char *title = g_strdup_printf (_("Use “%s”"), typed);

          gtk_list_box_prepend (self->model_list,
                                model_list_row_new (typed, title, _("Its parameters are fetched from Replicate")));
        }
      else
        set_label_error (self->model_search_error, error->message);
    }

  gtk_list_box_select_row (self->model_list, gtk_list_box_get_row_at_index (self->model_list, 0));
}

static void
model_popover_show_cb (EaselEditorPane *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->model_search), "");
  fill_model_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->model_search));
}

static void
model_search_changed_cb (EaselEditorPane *self)
{
  fill_model_list (self);
}

static void
model_row_activated_cb (EaselEditorPane *self,
                        GtkListBoxRow   *row)
{
  const char *model = g_object_get_data (G_OBJECT (row), "easel-model");

  gtk_popover_popdown (self->model_popover);
  select_model (self, model);
}

static void
model_search_activate_cb (EaselEditorPane *self)
{
  GtkListBoxRow *row;

  /* Enter may come before the search entry's delayed "search-changed". */
  fill_model_list (self);
  row = gtk_list_box_get_selected_row (self->model_list);

  if (row == NULL)
    row = gtk_list_box_get_row_at_index (self->model_list, 0);
  if (row != NULL)
    model_row_activated_cb (self, row);
}

/* Providers and accounts */

static void
fill_accounts (EaselEditorPane *self)
{
  const char *provider_id = get_provider_id (self);
  guint n;

  g_clear_pointer (&self->account_list, g_strfreev);
  self->account_list = provider_id ? dup_accounts (self, provider_id) : g_new0 (char *, 1);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->account_names));
  gtk_string_list_splice (self->account_names, 0, n, NULL);
  for (guint i = 0; self->account_list[i] != NULL; i++)
    {
      g_autofree char *title = account_title (self, self->account_list[i]);

      gtk_string_list_append (self->account_names, title);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->account_row), g_strv_length (self->account_list) > 1);
}

static void
provider_selected_cb (EaselEditorPane *self)
{
  const char *provider_id = get_provider_id (self);

  fill_accounts (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->model_button),
                            provider_id != NULL && !g_str_equal (provider_id, "midjourney"));
  if (self->filling || provider_id == NULL)
    return;
  g_clear_pointer (&self->model, g_free);
  select_model (self, default_model (provider_id));
}

static void
account_selected_cb (EaselEditorPane *self)
{
  if (!self->filling && self->model != NULL)
    load_model (self, FALSE);
}

/* The providers with an account, again whenever the accounts change; the
 * provider and account chosen stay when they still can. */
static void
fill_providers (EaselEditorPane *self)
{
  g_autofree char *previous = g_strdup (get_provider_id (self));
  g_autofree char *previous_account = g_strdup (get_account (self));
  const EaselProviderInfo *infos;
  guint n, selected = 0;

  self->filling = TRUE;
  g_ptr_array_set_size (self->provider_ids, 0);
  gtk_string_list_splice (self->provider_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->provider_names)), NULL);
  infos = easel_provider_registry_list (&n);
  for (guint i = 0; i < n; i++)
    {
      g_auto(GStrv) accounts = dup_accounts (self, infos[i].id);

      if (accounts[0] == NULL)
        continue;
      if (g_strcmp0 (previous, infos[i].id) == 0)
        selected = self->provider_ids->len;
      g_ptr_array_add (self->provider_ids, g_strdup (infos[i].id));
      gtk_string_list_append (self->provider_names, infos[i].display_name);
    }
  self->filling = FALSE;

  if (self->provider_ids->len == 0)
    {
      g_cancellable_cancel (self->model_cancellable);
      set_loading (self, FALSE);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "editor");
  self->filling = TRUE;
  adw_combo_row_set_selected (self->provider_row, selected);
  fill_accounts (self);
  for (guint i = 0; previous_account != NULL && self->account_list[i] != NULL; i++)
    if (g_str_equal (self->account_list[i], previous_account))
      adw_combo_row_set_selected (self->account_row, i);
  self->filling = FALSE;

  /* A new provider (the first account ever, or the old one's last gone):
   * its first model. */
  if (g_strcmp0 (previous, get_provider_id (self)) != 0)
    provider_selected_cb (self);
  else if (g_strcmp0 (previous_account, get_account (self)) != 0)
    load_model (self, FALSE);
}

static gboolean
select_provider (EaselEditorPane *self,
                 const char      *provider_id)
{
  for (guint i = 0; i < self->provider_ids->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->provider_ids, i), provider_id))
        {
          self->filling = TRUE;
          adw_combo_row_set_selected (self->provider_row, i);
          self->filling = FALSE;
          return TRUE;
        }
    }
  return FALSE;
}

/* Filling the editor from the history or an image */

static void
fill_editor (EaselEditorPane *self,
             const char      *provider_id,
             const char      *model,
             const char      *prompt,
             const char      *negative,
             JsonObject      *params)
{
  g_autoptr(JsonObject) values = json_object_new ();
  const EaselProviderInfo *info = easel_provider_registry_lookup (provider_id);

  show_submit_error (self, NULL);
  set_text (self->prompt_view, prompt);
  set_text (self->negative_view, negative);

  if (!select_provider (self, provider_id))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a provider's name */
      message = g_strdup_printf (_("The prompt is filled in, but there is no %s account to run it with"),
                                 info ? info->display_name : provider_id);
      show_submit_error (self, message);
      return;
    }

  if (params != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init (&iter, params);
      while (json_object_iter_next (&iter, &name, &node))
        {
          if (g_str_equal (name, "negative_prompt") && JSON_NODE_HOLDS_VALUE (node))
            set_text (self->negative_view, json_node_get_string (node));
          else if (!g_str_equal (name, "prompt"))
            json_object_set_member (values, name, json_node_copy (node));
        }
    }

  g_clear_pointer (&self->pending_values, json_object_unref);
  self->pending_values = g_steal_pointer (&values);
  g_clear_pointer (&self->model, g_free);
  select_model (self, model);
  schedule_update (self);
}

/* History */

static void
history_recorded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!easel_prompt_history_record_finish (EASEL_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot record the prompt in the history: %s", error->message);
}

static void
record_history (EaselEditorPane *self)
{
  g_autofree char *prompt = g_strstrip (dup_text (self->prompt_view));
  g_autofree char *negative = dup_negative (self);
  g_autoptr(JsonObject) values = easel_param_form_get_values (self->form);

  if (get_store (self) == NULL || prompt[0] == '\0' || get_provider_id (self) == NULL || self->model == NULL)
    return;

  easel_prompt_history_record_async (get_store (self), prompt, negative, get_provider_id (self),
                                     self->model, values, self->cancellable, history_recorded_cb, NULL);
  /* Browsing starts again from the newest prompt. */
  g_clear_pointer (&self->recent, g_ptr_array_unref);
  self->recent_index = -1;
}

static GtkWidget *
history_row_new (EaselHistoryEntry *entry)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (entry->used_at / G_USEC_PER_SEC);
  g_autofree char *date = when ? g_date_time_format (when, "%x %R") : g_strdup ("");
  g_autofree char *details = NULL;
  GtkWidget *label;

  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);

  label = gtk_label_new (entry->prompt);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (label), 3);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_box_append (GTK_BOX (box), label);

  /* Translators: a model, then when a prompt was last used */
  details = g_strdup_printf (_("%s · %s"), entry->model ? entry->model : "", date);
  label = gtk_label_new (details);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
history_found_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(EaselEditorPane) self = user_data;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  entries = easel_prompt_history_search_finish (EASEL_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);

  if (entries == NULL || entries->len == 0)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->history_search));

      gtk_label_set_label (self->history_empty_label,
                           entries == NULL ? error->message
                           : text[0] != '\0' ? _("No prompt matches")
                           : _("Prompts appear here once generated"));
      gtk_stack_set_visible_child_name (self->history_stack, "empty");
      return;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      GtkWidget *row = history_row_new (g_ptr_array_index (entries, i));

      g_object_set_data_full (G_OBJECT (row), "easel-entry", g_ptr_array_ref (entries),
                              (GDestroyNotify) g_ptr_array_unref);
      g_object_set_data (G_OBJECT (row), "easel-index", GUINT_TO_POINTER (i));
      gtk_list_box_append (self->history_list, row);
    }
  gtk_stack_set_visible_child_name (self->history_stack, "list");
}

static void
search_history (EaselEditorPane *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->history_search));

  g_clear_handle_id (&self->history_search_id, g_source_remove);
  if (get_store (self) == NULL)
    return;

  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);
  self->history_cancellable = g_cancellable_new ();
  easel_prompt_history_search_async (get_store (self), text[0] != '\0' ? text : NULL, HISTORY_LIMIT,
                                     self->history_cancellable, history_found_cb, g_object_ref (self));
}

static void
history_popover_show_cb (EaselEditorPane *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->history_search), "");
  search_history (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->history_search));
}

static void
history_search_changed_cb (EaselEditorPane *self)
{
  search_history (self);
}

static void
history_stop_search_cb (EaselEditorPane *self)
{
  gtk_popover_popdown (self->history_popover);
}

static void
fill_from_entry (EaselEditorPane   *self,
                 EaselHistoryEntry *entry)
{
  fill_editor (self, entry->provider, entry->model, entry->prompt, entry->negative, entry->params);
}

static void
history_row_activated_cb (EaselEditorPane *self,
                          GtkListBoxRow   *row)
{
  GPtrArray *entries = g_object_get_data (G_OBJECT (row), "easel-entry");
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "easel-index"));

  gtk_popover_popdown (self->history_popover);
  fill_from_entry (self, g_ptr_array_index (entries, index));
  easel_editor_pane_focus_prompt (self);
}

static void
history_search_activate_cb (EaselEditorPane *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->history_list, 0);

  if (row != NULL && gtk_widget_get_visible (GTK_WIDGET (self->history_list)))
    history_row_activated_cb (self, row);
}

/* Up and Down in an empty prompt step through the recent prompts, like a
 * shell; they keep doing so while the prompt shows an entry unchanged. */

static gboolean
browsing_history (EaselEditorPane *self)
{
  g_autofree char *text = dup_text (self->prompt_view);

  if (text[0] == '\0')
    return TRUE;
  if (self->recent == NULL || self->recent_index < 0 || self->recent_index >= (int) self->recent->len)
    return FALSE;
  return g_str_equal (text, ((EaselHistoryEntry *) g_ptr_array_index (self->recent, self->recent_index))->prompt);
}

static void
step_history (EaselEditorPane *self,
              int              step)
{
  int index = self->recent_index + step;

  if (self->recent == NULL)
    return;

  if (index < 0)
    {
      self->recent_index = -1;
      set_text (self->prompt_view, "");
      return;
    }
  if (index >= (int) self->recent->len)
    {
      gtk_widget_error_bell (GTK_WIDGET (self->prompt_view));
      return;
    }

  self->recent_index = index;
  fill_from_entry (self, g_ptr_array_index (self->recent, index));
}

static void
recent_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(EaselEditorPane) self = user_data;
  g_autoptr(GError) error = NULL;

  self->recent_loading = FALSE;
  self->recent = easel_prompt_history_search_finish (EASEL_STORE (object), result, &error);
  if (self->recent == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_submit_error (self, error->message);
      return;
    }
  self->recent_index = -1;
  if (self->recent_pending_step != 0 && browsing_history (self))
    step_history (self, self->recent_pending_step);
  self->recent_pending_step = 0;
}

static gboolean
prompt_key_pressed_cb (EaselEditorPane       *self,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       GtkEventControllerKey *controller)
{
  int step;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK | GDK_SUPER_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  if (keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up)
    step = 1;
  else if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    step = -1;
  else
    return GDK_EVENT_PROPAGATE;

  if (!browsing_history (self))
    {
      self->recent_index = -1;
      return GDK_EVENT_PROPAGATE;
    }

  if (self->recent != NULL)
    step_history (self, step);
  else if (get_store (self) != NULL && step > 0)
    {
      self->recent_pending_step = step;
      if (!self->recent_loading)
        {
          self->recent_loading = TRUE;
          easel_prompt_history_search_async (get_store (self), NULL, HISTORY_LIMIT, self->cancellable,
                                             recent_loaded_cb, g_object_ref (self));
        }
    }
  return GDK_EVENT_STOP;
}

/* Enhance: the idea goes to OpenRouter with the model's conventions; the
 * suggestion shows under the prompt until accepted or discarded. A new
 * request cancels the one before; typing goes on meanwhile. */

static void
set_enhancing (EaselEditorPane *self,
               gboolean         busy)
{
  gtk_stack_set_visible_child_name (self->enhance_icon_stack, busy ? "busy" : "idle");
  gtk_spinner_set_spinning (self->enhance_spinner, busy);
}

static void
stop_enhancing (EaselEditorPane *self)
{
  g_cancellable_cancel (self->enhance_cancellable);
  g_clear_object (&self->enhance_cancellable);
  set_enhancing (self, FALSE);
}

static void
enhanced_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EaselEditorPane) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *suggestion = NULL;

  suggestion = easel_prompt_enhance_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_enhancing (self, FALSE);
  g_clear_object (&self->enhance_cancellable);
  gtk_label_set_label (self->suggestion_label, suggestion ? suggestion : "");
  gtk_widget_set_visible (GTK_WIDGET (self->suggestion_label), suggestion != NULL);
  set_label_error (self->suggestion_error_label, error ? error->message : NULL);
  gtk_widget_set_visible (self->accept_button, suggestion != NULL);
  gtk_revealer_set_reveal_child (self->suggestion_revealer, TRUE);
}

static void
enhance_clicked_cb (EaselEditorPane *self)
{
  g_autofree char *idea = g_strstrip (dup_text (self->prompt_view));

  if (self->openrouter == NULL)
    return;
  stop_enhancing (self);
  if (idea[0] == '\0')
    {
      set_label_error (self->suggestion_error_label, _("Write an idea first, then enhance it"));
      gtk_widget_set_visible (GTK_WIDGET (self->suggestion_label), FALSE);
      gtk_widget_set_visible (self->accept_button, FALSE);
      gtk_revealer_set_reveal_child (self->suggestion_revealer, TRUE);
      return;
    }

  self->enhance_cancellable = g_cancellable_new ();
  set_enhancing (self, TRUE);
  easel_prompt_enhance_async (self->openrouter, idea, get_provider_id (self), self->model,
                              self->enhance_cancellable, enhanced_cb, g_object_ref (self));
}

static void
accept_clicked_cb (EaselEditorPane *self)
{
  set_text (self->prompt_view, gtk_label_get_label (self->suggestion_label));
  gtk_revealer_set_reveal_child (self->suggestion_revealer, FALSE);
  easel_editor_pane_focus_prompt (self);
}

static void
discard_clicked_cb (EaselEditorPane *self)
{
  stop_enhancing (self);
  gtk_revealer_set_reveal_child (self->suggestion_revealer, FALSE);
}

static void
setup_enhance (EaselEditorPane *self)
{
  const char *key = g_getenv ("OPENROUTER_API_KEY");
  g_autoptr(GError) error = NULL;

  if (key == NULL || key[0] == '\0')
    return;
  self->openrouter = easel_openrouter_client_new (NULL, key, &error);
  if (self->openrouter == NULL)
    {
      g_warning ("Cannot use OpenRouter: %s", error->message);
      return;
    }
  gtk_widget_set_visible (self->enhance_bar, TRUE);
}

/* Templates */

static void
update_template_actions (EaselEditorPane *self)
{
  gboolean open = self->template != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.open-template", self->templates != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save-template-as", self->templates != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save-template", self->templates && open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.template-versions", self->templates && open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.rename-template", self->templates && open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.delete-template", self->templates && open);

  if (open)
    {
      /* Translators: a template's name and version number */
      g_autofree char *text = g_strdup_printf (_("%s · version %d"), self->template->name, self->template->version);

      gtk_label_set_label (self->template_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->template_label), text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->template_label), open);
}

static void
set_template (EaselEditorPane *self,
              EaselTemplate   *template_)
{
  g_clear_pointer (&self->template, easel_template_free);
  self->template = template_ ? easel_template_copy (template_) : NULL;
  update_template_actions (self);
}

/* Opens @template_ in the editor: its text, variables and, when it names
 * them, its provider, model and parameters. */
static void
apply_template (EaselEditorPane *self,
                EaselTemplate   *template_)
{
  if (template_->provider != NULL && template_->model != NULL)
    fill_editor (self, template_->provider, template_->model, template_->body, template_->negative,
                 template_->params);
  else
    {
      set_text (self->prompt_view, template_->body);
      set_text (self->negative_view, template_->negative);
    }

  for (guint i = 0; template_->variables != NULL && i < template_->variables->len; i++)
    set_variable (self, g_ptr_array_index (template_->variables, i));
  set_template (self, template_);
  update_now (self);
}

/* What the editor holds, as a template named @name. */
static EaselTemplate *
template_from_editor (EaselEditorPane *self,
                      const char      *name)
{
  g_autofree char *body = g_strstrip (dup_text (self->prompt_view));
  g_autofree char *negative = dup_negative (self);
  EaselTemplate *template_ = easel_template_new (name, body);

  g_free (template_->negative);
  template_->negative = g_strdup (negative ? negative : "");
  g_ptr_array_unref (template_->variables);
  sync_variables (self, body);
  template_->variables = dup_variables (self);
  template_->provider = g_strdup (get_provider_id (self));
  template_->model = g_strdup (self->model);
  template_->params = self->params ? easel_param_form_get_values (self->form) : NULL;
  return template_;
}

typedef void (*NameFunc) (EaselEditorPane *self,
                          const char      *name);

static void ask_name (EaselEditorPane *self,
                      const char      *heading,
                      const char      *name,
                      const char      *ok_label,
                      NameFunc         func,
                      const char      *problem);

static void save_as_named (EaselEditorPane *self,
                           const char      *name);

typedef struct
{
  EaselEditorPane *self;
  char            *name;
  gboolean         new_template;
} Save;

static void
template_saved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Save *save = user_data;
  g_autoptr(EaselEditorPane) self = save->self;
  g_autofree char *name = save->name;
  gboolean new_template = save->new_template;
  g_autoptr(EaselTemplate) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  g_free (save);
  saved = easel_template_store_save_finish (EASEL_TEMPLATE_STORE (object), result, &error);
  if (saved == NULL)
    {
      /* A name that cannot be used is asked for again, with the reason
       * beside it and the name as typed; the editor is untouched. */
      if (new_template)
        ask_name (self, _("Save as Template"), name, _("_Save"), save_as_named, error->message);
      else
        show_submit_error (self, error->message);
      return;
    }

  set_template (self, saved);
  /* Translators: a template's name and its new version number */
  message = g_strdup_printf (_("Saved “%s”, version %d"), saved->name, saved->version);
  easel_widget_show_toast (GTK_WIDGET (self), message);
}

static void
save_template (EaselEditorPane *self,
               gint64           id,
               const char      *name)
{
  g_autoptr(EaselTemplate) template_ = template_from_editor (self, name);
  Save *save = g_new0 (Save, 1);

  save->self = g_object_ref (self);
  save->name = g_strdup (name);
  save->new_template = id == 0;
  template_->id = id;
  show_submit_error (self, NULL);
  easel_template_store_save_async (self->templates, template_, NULL, template_saved_cb, save);
}

static void
name_entry_changed_cb (GtkEditable      *entry,
                       AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  const char *refused = g_object_get_data (G_OBJECT (dialog), "easel-refused");
  GtkWidget *problem = g_object_get_data (G_OBJECT (dialog), "easel-problem");

  /* The reason a name was refused goes once it is edited. */
  if (refused != NULL && problem != NULL && !g_str_equal (name, refused))
    {
      gtk_widget_set_visible (problem, FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
    }
  adw_message_dialog_set_response_enabled (dialog, "ok", name[0] != '\0');
}

static void
name_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  EaselEditorPane  *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "easel-entry");
  NameFunc func = g_object_get_data (G_OBJECT (dialog), "easel-func");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_str_equal (response, "ok") && name[0] != '\0')
    func (self, name);
}

/* Asks for a template's name, then calls @func with it. @problem, when
 * not %NULL, is why @name was refused, shown under it. */
static void
ask_name (EaselEditorPane *self,
          const char      *heading,
          const char      *name,
          const char      *ok_label,
          NameFunc         func,
          const char      *problem)
{
  GtkWidget *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *problem_label = gtk_label_new (problem);

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, NULL);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "ok", ok_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name"), -1);
  gtk_editable_set_text (GTK_EDITABLE (entry), name ? name : "");
  gtk_box_append (GTK_BOX (box), entry);

  gtk_label_set_wrap (GTK_LABEL (problem_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (problem_label), 0);
  gtk_widget_add_css_class (problem_label, "error");
  gtk_widget_set_visible (problem_label, problem != NULL);
  gtk_box_append (GTK_BOX (box), problem_label);
  if (problem != NULL)
    {
      gtk_widget_add_css_class (entry, "error");
      gtk_accessible_update_relation (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                      problem_label, NULL, -1);
    }

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_object_set_data (G_OBJECT (dialog), "easel-entry", entry);
  g_object_set_data (G_OBJECT (dialog), "easel-problem", problem_label);
  g_object_set_data_full (G_OBJECT (dialog), "easel-refused",
                          problem ? g_strstrip (g_strdup (name ? name : "")) : NULL, g_free);
  g_object_set_data (G_OBJECT (dialog), "easel-func", func);
  g_signal_connect (entry, "changed", G_CALLBACK (name_entry_changed_cb), dialog);
  name_entry_changed_cb (GTK_EDITABLE (entry), ADW_MESSAGE_DIALOG (dialog));
  g_signal_connect_object (dialog, "response", G_CALLBACK (name_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
save_as_named (EaselEditorPane *self,
               const char      *name)
{
  save_template (self, 0, name);
}

static void
save_template_as_action_cb (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  EaselEditorPane *self = EASEL_EDITOR_PANE (widget);

  ask_name (self, _("Save as Template"), self->template ? self->template->name : NULL, _("_Save"),
            save_as_named, NULL);
}

static void
save_template_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  EaselEditorPane *self = EASEL_EDITOR_PANE (widget);

  if (self->template != NULL)
    save_template (self, self->template->id, self->template->name);
}

typedef struct
{
  EaselEditorPane *self;
  gint64           id;
  char            *name;
} Rename;

static void rename_named (EaselEditorPane *self,
                          const char      *name);

static void
template_renamed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Rename *rename = user_data;
  g_autoptr(EaselEditorPane) self = rename->self;
  g_autofree char *name = rename->name;
  g_autoptr(GError) error = NULL;
  gint64 id = rename->id;

  g_free (rename);
  if (!easel_template_store_rename_finish (EASEL_TEMPLATE_STORE (object), result, &error))
    {
      /* Asked again, as typed, with the reason, while the template is
       * still the one open. */
      if (self->template != NULL && self->template->id == id)
        ask_name (self, _("Rename Template"), name, _("_Rename"), rename_named, error->message);
      else
        show_submit_error (self, error->message);
      return;
    }
  /* The name changes in the editor once the store took it. */
  if (self->template != NULL && self->template->id == id)
    {
      g_free (self->template->name);
      self->template->name = g_steal_pointer (&name);
      update_template_actions (self);
    }
}

static void
rename_named (EaselEditorPane *self,
              const char      *name)
{
  Rename *rename;

  if (self->template == NULL)
    return;
  rename = g_new0 (Rename, 1);
  rename->self = g_object_ref (self);
  rename->id = self->template->id;
  rename->name = g_strdup (name);
  easel_template_store_rename_async (self->templates, rename->id, name, NULL, template_renamed_cb, rename);
}

static void
rename_template_action_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  EaselEditorPane *self = EASEL_EDITOR_PANE (widget);

  if (self->template != NULL)
    ask_name (self, _("Rename Template"), self->template->name, _("_Rename"), rename_named, NULL);
}

static void
template_deleted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(EaselEditorPane) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!easel_template_store_delete_finish (EASEL_TEMPLATE_STORE (object), result, &error))
    show_submit_error (self, error->message);
  else
    set_template (self, NULL);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    EaselEditorPane  *self)
{
  if (g_str_equal (response, "delete") && self->template != NULL)
    easel_template_store_delete_async (self->templates, self->template->id, NULL,
                                       template_deleted_cb, g_object_ref (self));
}

static void
delete_template_action_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  EaselEditorPane *self = EASEL_EDITOR_PANE (widget);
  GtkWidget *dialog;

  if (self->template == NULL)
    return;

  /* Translators: %s is a template's name */
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), NULL,
                                   _("The prompt stays in the editor, and images made from the template keep its name."));
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Delete “%s”?"), self->template->name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Open and Versions: a message dialog around a searchable list of
 * templates (or of one template's versions). */

static GtkWidget *
template_row_new (EaselTemplate *template_,
                  gboolean       version)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = NULL;
  g_autofree char *body = g_strdup (template_->body);

  /* Templates are the user's text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (version)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (template_->updated_at / G_USEC_PER_SEC);
      g_autofree char *date = when ? g_date_time_format (when, "%x %R") : g_strdup ("");

      /* Translators: a template's version number, then when it was saved */
      title = g_strdup_printf (_("Version %d · %s"), template_->version, date);
      if (template_->version == template_->latest_version)
        {
          GtkWidget *current = gtk_label_new (_("Current"));

          gtk_widget_add_css_class (current, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), current);
        }
    }
  else
    title = g_strdup (template_->name);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  /* One line per line of the prompt would waste the list: spaces. */
  g_strdelimit (body, "\n\r\t", ' ');
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), body);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  g_object_set_data_full (G_OBJECT (row), "easel-template", easel_template_copy (template_),
                          (GDestroyNotify) easel_template_free);
  return row;
}

static void
chooser_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     EaselEditorPane  *self)
{
  GtkListBox *list = g_object_get_data (G_OBJECT (dialog), "easel-list");
  GtkListBoxRow *row = gtk_list_box_get_selected_row (list);

  if (g_str_equal (response, "open") && row != NULL)
    apply_template (self, g_object_get_data (G_OBJECT (row), "easel-template"));
}

static void
chooser_row_activated_cb (GtkListBox       *list,
                          GtkListBoxRow    *row,
                          AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "open");
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
chooser_selected_cb (GtkListBox       *list,
                     GtkListBoxRow    *row,
                     AdwMessageDialog *dialog)
{
  /* A dialog being destroyed unselects its row after its responses went
   * (gtk_window_destroy() unrealizes it first). */
  if (gtk_widget_get_realized (GTK_WIDGET (dialog)))
    adw_message_dialog_set_response_enabled (dialog, "open", row != NULL);
}

static gboolean
chooser_filter_cb (GtkListBoxRow *row,
                   gpointer       user_data)
{
  GtkEditable *search = user_data;
  EaselTemplate *template_ = g_object_get_data (G_OBJECT (row), "easel-template");
  g_autofree char *needle = g_utf8_casefold (gtk_editable_get_text (search), -1);

  return needle[0] == '\0' || matches (template_->name, needle) || matches (template_->body, needle);
}

static void
chooser_search_changed_cb (GtkSearchEntry *search,
                           GtkListBox     *list)
{
  gtk_list_box_invalidate_filter (list);
}

/* Enter in the search opens the selected row, else the first one shown. */
static void
chooser_search_activate_cb (GtkSearchEntry   *search,
                            AdwMessageDialog *dialog)
{
  GtkListBox *list = g_object_get_data (G_OBJECT (dialog), "easel-list");
  GtkListBoxRow *row = gtk_list_box_get_selected_row (list);

  for (int i = 0; row == NULL && gtk_list_box_get_row_at_index (list, i) != NULL; i++)
    if (gtk_widget_get_child_visible (GTK_WIDGET (gtk_list_box_get_row_at_index (list, i))))
      row = gtk_list_box_get_row_at_index (list, i);
  if (row == NULL)
    return;
  gtk_list_box_select_row (list, row);
  adw_message_dialog_response (dialog, "open");
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
show_chooser (EaselEditorPane *self,
              const char      *heading,
              const char      *open_label,
              GPtrArray       *templates,
              gboolean         versions)
{
  GtkWidget *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *search = gtk_search_entry_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  GtkWidget *placeholder = gtk_label_new (_("No template matches"));
  const char *body = NULL;

  if (templates->len == 0)
    body = _("Templates appear here once saved");
  else if (versions)
    body = _("A version you restore opens in the editor; saving it then makes it the newest version.");
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "open", open_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "open", FALSE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_filter_func (GTK_LIST_BOX (list), chooser_filter_cb, search, NULL);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (GTK_LIST_BOX (list), placeholder);
  g_object_set (search, "placeholder-text", _("Search Templates"), NULL);
  for (guint i = 0; i < templates->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list), template_row_new (g_ptr_array_index (templates, i), versions));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_search_entry_set_key_capture_widget (GTK_SEARCH_ENTRY (search), dialog);
  if (!versions && templates->len > 0)
    gtk_box_append (GTK_BOX (box), search);
  if (templates->len > 0)
    gtk_box_append (GTK_BOX (box), scroller);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_object_set_data (G_OBJECT (dialog), "easel-list", list);
  g_object_set_data (G_OBJECT (dialog), "easel-search", search);
  g_signal_connect (search, "search-changed", G_CALLBACK (chooser_search_changed_cb), list);
  g_signal_connect (search, "activate", G_CALLBACK (chooser_search_activate_cb), dialog);
  g_signal_connect (list, "row-selected", G_CALLBACK (chooser_selected_cb), dialog);
  g_signal_connect (list, "row-activated", G_CALLBACK (chooser_row_activated_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
templates_listed_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(EaselEditorPane) self = user_data;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;

  templates = easel_template_store_list_finish (EASEL_TEMPLATE_STORE (object), result, &error);
  if (templates == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_submit_error (self, error->message);
      return;
    }
  show_chooser (self, _("Open Template"), _("_Open"), templates, FALSE);
}

static void
open_template_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  EaselEditorPane *self = EASEL_EDITOR_PANE (widget);

  easel_template_store_list_async (self->templates, self->cancellable, templates_listed_cb, g_object_ref (self));
}

static void
versions_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(EaselEditorPane) self = user_data;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;

  versions = easel_template_store_list_versions_finish (EASEL_TEMPLATE_STORE (object), result, &error);
  if (versions == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_submit_error (self, error->message);
      return;
    }
  if (self->template != NULL)
    /* Translators: %s is a template's name */
    heading = g_strdup_printf (_("Versions of “%s”"), self->template->name);
  show_chooser (self, heading ? heading : _("Versions"), _("_Restore"), versions, TRUE);
}

static void
template_versions_action_cb (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  EaselEditorPane *self = EASEL_EDITOR_PANE (widget);

  if (self->template != NULL)
    easel_template_store_list_versions_async (self->templates, self->template->id, self->cancellable,
                                              versions_listed_cb, g_object_ref (self));
}

/* Submitting */

static void
enqueued_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EaselEditorPane) self = user_data;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  jobs = easel_job_queue_enqueue_finish (EASEL_JOB_QUEUE (object), result, &error);
  gtk_widget_set_sensitive (GTK_WIDGET (self->generate_button), TRUE);
  if (jobs == NULL)
    {
      show_submit_error (self, error->message);
      return;
    }
  record_history (self);
}

static void
preview_queued_cb (EaselEditorPane   *self,
                   GPtrArray         *jobs,
                   EaselBatchPreview *preview)
{
  record_history (self);
}

static void
submit (EaselEditorPane *self,
        gboolean         preview)
{
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  guint64 total = 0;

  /* The last edits count, even within the update delay. */
  update_now (self);
  show_submit_error (self, NULL);
  if (self->disabled_reason != NULL || self->queue == NULL)
    return;

  requests = build_requests (self, 0, &total, &error, &error);
  if (requests == NULL)
    {
      show_submit_error (self, error->message);
      return;
    }

  if (preview || requests->len > 1)
    {
      EaselProvider *provider = get_provider (self, NULL);
      EaselBatchPreview *dialog;

      if (provider == NULL)
        return;
      dialog = easel_batch_preview_new (self->queue, provider, requests,
                                                          g_settings_get_uint (self->settings, "batch-confirm-size"));

      g_signal_connect_object (dialog, "queued", G_CALLBACK (preview_queued_cb), self, G_CONNECT_SWAPPED);
      gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->generate_button), FALSE);
  easel_job_queue_enqueue_async (self->queue, requests, NULL, enqueued_cb, g_object_ref (self));
}

static void
generate_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  submit (EASEL_EDITOR_PANE (widget), FALSE);
}

static void
preview_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  submit (EASEL_EDITOR_PANE (widget), TRUE);
}

static void
focus_prompt_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  easel_editor_pane_focus_prompt (EASEL_EDITOR_PANE (widget));
}

static void
new_prompt_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  EaselEditorPane *self = EASEL_EDITOR_PANE (widget);

  set_text (self->prompt_view, "");
  set_text (self->negative_view, "");
  show_submit_error (self, NULL);
  easel_editor_pane_focus_prompt (self);
}

static void
count_changed_cb (EaselEditorPane *self)
{
  schedule_update (self);
}

static void
prompt_changed_cb (EaselEditorPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->prompt_view);

  gtk_widget_set_visible (GTK_WIDGET (self->prompt_placeholder), gtk_text_buffer_get_char_count (buffer) == 0);
  show_submit_error (self, NULL);
  schedule_update (self);
}

/* Public API */

static void
accounts_changed_cb (EaselEditorPane *self)
{
  /* A token changed: the provider objects made with the old ones go. */
  g_hash_table_remove_all (self->providers);
  fill_providers (self);
  schedule_update (self);
}

/**
 * easel_editor_pane_set_accounts:
 * @self: an #EaselEditorPane
 * @accounts: (nullable): the user's accounts, once loaded
 *
 * The editor offers the providers @accounts has accounts at, and follows
 * them as accounts are added and removed.
 */
void
easel_editor_pane_set_accounts (EaselEditorPane *self,
                                EaselAccounts   *accounts)
{
  g_return_if_fail (EASEL_IS_EDITOR_PANE (self));
  g_return_if_fail (accounts == NULL || EASEL_IS_ACCOUNTS (accounts));

  if (self->accounts == accounts)
    return;
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_func (self->accounts, accounts_changed_cb, self);
  g_set_object (&self->accounts, accounts);
  if (accounts != NULL)
    g_signal_connect_object (accounts, "items-changed", G_CALLBACK (accounts_changed_cb), self,
                             G_CONNECT_SWAPPED);
  accounts_changed_cb (self);
}

/**
 * easel_editor_pane_set_job_queue:
 * @self: an #EaselEditorPane
 * @queue: the job queue, once the library is open
 *
 * The editor queues jobs on @queue and keeps its history, templates and
 * model settings in @queue's store.
 */
void
easel_editor_pane_set_job_queue (EaselEditorPane *self,
                                 EaselJobQueue   *queue)
{
  g_return_if_fail (EASEL_IS_EDITOR_PANE (self));
  g_return_if_fail (queue == NULL || EASEL_IS_JOB_QUEUE (queue));

  if (!g_set_object (&self->queue, queue))
    return;
  g_clear_object (&self->templates);
  if (queue != NULL)
    self->templates = easel_template_store_new (easel_job_queue_get_store (queue));
  update_template_actions (self);
  g_clear_pointer (&self->recent, g_ptr_array_unref);
  load_model (self, FALSE);
}

/**
 * easel_editor_pane_set_library:
 * @self: an #EaselEditorPane
 * @library: (nullable): the image library
 *
 * Lets easel_editor_pane_reuse_image() look images up.
 */
void
easel_editor_pane_set_library (EaselEditorPane *self,
                               EaselLibrary    *library)
{
  g_return_if_fail (EASEL_IS_EDITOR_PANE (self));
  g_return_if_fail (library == NULL || EASEL_IS_LIBRARY (library));

  g_set_object (&self->library, library);
}

/* The reference images of the job that made an image, those still kept
 * (by hash) or still addressable (by URL); the job must be one the queue
 * holds. */
static void
restore_references (EaselEditorPane *self,
                    gint64           job_id)
{
  EaselJob *job = self->queue && job_id > 0 ? easel_job_queue_lookup (self->queue, job_id) : NULL;
  EaselJobSpec *spec = job ? easel_job_get_spec (job) : NULL;

  easel_reference_tray_clear (self->tray);
  if (spec == NULL || spec->references == NULL)
    return;

  for (guint i = 0; i < spec->references->len; i++)
    {
      EaselJobSpecReference *reference = g_ptr_array_index (spec->references, i);
      g_autoptr(GFile) file = NULL;

      if (reference->hash != NULL)
        file = easel_reference_find_file (reference->hash, NULL);
      if (file != NULL)
        easel_reference_tray_add_file (self->tray, file);
      else if (reference->url != NULL)
        easel_reference_tray_add_url (self->tray, reference->url);
    }
}

static void
image_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EaselEditorPane) self = user_data;
  g_autoptr(EaselImage) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) params = NULL;
  const char *params_json;

  image = easel_library_lookup_finish (EASEL_LIBRARY (object), result, &error);
  if (image == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_submit_error (self, error->message);
      return;
    }

  restore_references (self, easel_image_get_job_id (image));
  params_json = easel_image_get_params (image);
  if (params_json != NULL && params_json[0] != '\0')
    params = json_from_string (params_json, NULL);
  fill_editor (self, easel_image_get_provider (image), easel_image_get_model (image),
               easel_image_get_prompt (image), NULL,
               params != NULL && JSON_NODE_HOLDS_OBJECT (params) ? json_node_get_object (params) : NULL);
  easel_editor_pane_focus_prompt (self);
}

/**
 * easel_editor_pane_reuse_image:
 * @self: an #EaselEditorPane
 * @hash: an image's hash
 *
 * Fills the editor with the provider, model, prompt and parameters that
 * made the image.
 */
void
easel_editor_pane_reuse_image (EaselEditorPane *self,
                               const char      *hash)
{
  g_return_if_fail (EASEL_IS_EDITOR_PANE (self));
  g_return_if_fail (hash != NULL);

  if (self->library == NULL)
    return;
  easel_library_lookup_async (self->library, hash, self->cancellable, image_found_cb, g_object_ref (self));
}

/**
 * easel_editor_pane_focus_prompt:
 * @self: an #EaselEditorPane
 *
 * Moves the keyboard focus to the prompt.
 */
void
easel_editor_pane_focus_prompt (EaselEditorPane *self)
{
  g_return_if_fail (EASEL_IS_EDITOR_PANE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->prompt_view));
}

/* Object */

static void
easel_editor_pane_dispose (GObject *object)
{
  EaselEditorPane *self = EASEL_EDITOR_PANE (object);

  if (self->save_id != 0)
    save_settings_now (self);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->model_cancellable);
  g_cancellable_cancel (self->history_cancellable);
  g_cancellable_cancel (self->enhance_cancellable);
  g_clear_handle_id (&self->update_id, g_source_remove);
  g_clear_handle_id (&self->history_search_id, g_source_remove);

  /* The stack is AdwBin's child as well as a template child: let go of it
   * as the child first, so neither unparents it twice. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), EASEL_TYPE_EDITOR_PANE);

  g_clear_object (&self->queue);
  g_clear_object (&self->accounts);
  g_clear_object (&self->templates);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (easel_editor_pane_parent_class)->dispose (object);
}

static void
easel_editor_pane_finalize (GObject *object)
{
  EaselEditorPane *self = EASEL_EDITOR_PANE (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->model_cancellable);
  g_clear_object (&self->history_cancellable);
  g_clear_object (&self->enhance_cancellable);
  g_clear_object (&self->openrouter);
  g_clear_pointer (&self->providers, g_hash_table_unref);
  g_clear_pointer (&self->provider_ids, g_ptr_array_unref);
  g_clear_object (&self->provider_names);
  g_clear_pointer (&self->account_list, g_strfreev);
  g_clear_object (&self->account_names);
  g_clear_pointer (&self->params, g_ptr_array_unref);
  g_clear_pointer (&self->pending_values, json_object_unref);
  g_clear_pointer (&self->recent, g_ptr_array_unref);
  g_clear_pointer (&self->variable_rows, g_hash_table_unref);
  g_clear_pointer (&self->variable_names, g_strfreev);
  g_clear_pointer (&self->template, easel_template_free);
  g_free (self->model);
  g_free (self->model_error);
  g_free (self->disabled_reason);

  G_OBJECT_CLASS (easel_editor_pane_parent_class)->finalize (object);
}

static void
easel_editor_pane_class_init (EaselEditorPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = easel_editor_pane_dispose;
  object_class->finalize = easel_editor_pane_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-editor-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, stack);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, status_page);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, history_button);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, history_popover);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, history_search);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, history_stack);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, history_list);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, history_empty_label);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, templates_button);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, template_label);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, provider_row);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, account_row);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, model_row);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, model_spinner);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, model_button);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, model_popover);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, model_search);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, model_search_error);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, model_list);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, model_error_box);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, model_error_label);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, prompt_placeholder);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, template_error_label);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, enhance_bar);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, enhance_button);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, enhance_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, enhance_spinner);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, suggestion_revealer);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, suggestion_label);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, suggestion_error_label);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, accept_button);
  gtk_widget_class_bind_template_callback (widget_class, enhance_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, accept_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, discard_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, negative_box);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, negative_view);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, variables_group);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, params_box);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, references_box);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, request_expander);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, request_label);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, submit_error_label);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, reason_label);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, count_spin);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, generate_button);
  gtk_widget_class_bind_template_child (widget_class, EaselEditorPane, generate_label);
  gtk_widget_class_bind_template_callback (widget_class, history_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, provider_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, account_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, model_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, model_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, model_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, model_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, model_retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, request_expanded_cb);
  gtk_widget_class_bind_template_callback (widget_class, count_changed_cb);

  gtk_widget_class_install_action (widget_class, "editor.generate", NULL, generate_action_cb);
  gtk_widget_class_install_action (widget_class, "editor.preview", NULL, preview_action_cb);
  gtk_widget_class_install_action (widget_class, "editor.focus-prompt", NULL, focus_prompt_action_cb);
  gtk_widget_class_install_action (widget_class, "editor.new-prompt", NULL, new_prompt_action_cb);
  gtk_widget_class_install_action (widget_class, "editor.open-template", NULL, open_template_action_cb);
  gtk_widget_class_install_action (widget_class, "editor.save-template", NULL, save_template_action_cb);
  gtk_widget_class_install_action (widget_class, "editor.save-template-as", NULL, save_template_as_action_cb);
  gtk_widget_class_install_action (widget_class, "editor.template-versions", NULL, template_versions_action_cb);
  gtk_widget_class_install_action (widget_class, "editor.rename-template", NULL, rename_template_action_cb);
  gtk_widget_class_install_action (widget_class, "editor.delete-template", NULL, delete_template_action_cb);
}

static void
easel_editor_pane_init (EaselEditorPane *self)
{
  g_autoptr(GtkEventController) shortcuts = NULL;
  GtkEventController *keys;
  GtkTextBuffer *buffer;

  self->settings = g_settings_new (BASE_APP_ID);
  self->cancellable = g_cancellable_new ();
  self->providers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->provider_ids = g_ptr_array_new_with_free_func (g_free);
  self->provider_names = gtk_string_list_new (NULL);
  self->account_names = gtk_string_list_new (NULL);
  self->recent_index = -1;
  self->variable_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  g_type_ensure (EASEL_TYPE_PARAM_FORM);
  gtk_widget_init_template (GTK_WIDGET (self));

  adw_combo_row_set_model (self->provider_row, G_LIST_MODEL (self->provider_names));
  adw_combo_row_set_model (self->account_row, G_LIST_MODEL (self->account_names));

  self->form = EASEL_PARAM_FORM (easel_param_form_new ());
  gtk_box_append (self->params_box, GTK_WIDGET (self->form));
  g_signal_connect_object (self->form, "changed", G_CALLBACK (form_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->form, "notify::valid", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);

  /* Reference images: the tray under the prompt, and drops anywhere on
   * the pane go to it. */
  self->tray = EASEL_REFERENCE_TRAY (easel_reference_tray_new ());
  gtk_box_append (self->references_box, GTK_WIDGET (self->tray));
  g_signal_connect_object (self->tray, "changed", G_CALLBACK (references_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tray, "notify::busy", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tray, "notify::valid", G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self),
                             GTK_EVENT_CONTROLLER (easel_reference_tray_create_drop_target (self->tray)));

  buffer = gtk_text_view_get_buffer (self->prompt_view);
  gtk_text_buffer_set_enable_undo (buffer, TRUE);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (prompt_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_text_buffer_set_enable_undo (gtk_text_view_get_buffer (self->negative_view), TRUE);
  g_signal_connect_object (gtk_text_view_get_buffer (self->negative_view), "changed",
                           G_CALLBACK (schedule_update), self, G_CONNECT_SWAPPED);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (prompt_key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->prompt_view), keys);

  /* Ctrl+Enter must reach the pane before the text view inserts a line. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>Return|<Control>KP_Enter"),
                                                          gtk_named_action_new ("editor.generate")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control><Shift>Return|<Control><Shift>KP_Enter"),
                                                          gtk_named_action_new ("editor.preview")));
  gtk_widget_add_controller (GTK_WIDGET (self), g_steal_pointer (&shortcuts));

  fill_providers (self);
  setup_enhance (self);
  update_template_actions (self);
  update_now (self);
}
