/* test-editor.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The prompt editor in a real window, against the in-process emulator: the
 * model's parameters come from the emulator's schema, jobs go to a real
 * (paused) queue on a real store, and what the tests check is what the
 * queue got. Screenshots of the editor for Midjourney and a Replicate
 * model, narrow and wide, and of the batch preview. */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <libsoup/soup.h>

#include "easel-accounts.h"
#include "easel-batch-preview.h"
#include "easel-editor-pane.h"
#include "easel-gallery-view.h"
#include "easel-emulator.h"
#include "easel-image-store.h"
#include "easel-param-form.h"
#include "easel-provider-registry.h"
#include "easel-query.h"
#include "easel-reference-tray.h"
#include "easel-template-store.h"
#include "easel-test-dirs.h"
#include "easel-test-gallery.h"
#include "easel-test-library.h"
#include "easel-test-util.h"
#include "easel-thumbnailer.h"
#include "easel-window.h"

typedef struct
{
  EaselEmulator   *emulator;
  char            *dir;
  EaselStore      *store;
  EaselImageStore *images;
  EaselDownloader *downloader;
  EaselBudget     *budget;
  EaselJobQueue   *queue;
  EaselLibrary    *library;
  EaselSecrets    *secrets;
  EaselAccounts   *accounts;
  EaselThumbnailer *thumbnailer;
  EaselWindow     *window;
  EaselEditorPane *pane;
} Fixture;

static gpointer
child (Fixture    *f,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (f->pane), EASEL_TYPE_EDITOR_PANE, name);

  g_assert_nonnull (object);
  return object;
}

static void
wait_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
fixture_set_up_keep_env (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *url = NULL;
  g_autofree char *db_path = NULL;

  easel_test_reset_settings ();
  easel_test_load_style (FALSE);

  f->emulator = easel_emulator_new ();
  easel_emulator_listen (f->emulator, 0, &error);
  g_assert_no_error (error);
  origin = easel_emulator_dup_origin (f->emulator);
  url = g_strconcat (origin, "/v1", NULL);
  g_setenv ("EASEL_REPLICATE_URL", url, TRUE);
  g_free (url);
  url = g_strconcat (origin, "/v3/midjourney", NULL);
  g_setenv ("EASEL_USEAPI_URL", url, TRUE);
  g_free (url);
  url = g_strconcat (origin, "/api/v1", NULL);
  g_setenv ("EASEL_OPENROUTER_URL", url, TRUE);
  g_free (url);
  g_setenv ("REPLICATE_API_TOKEN", "sentinel-token", TRUE);
  g_setenv ("USEAPI_API_TOKEN", "sentinel-token", TRUE);

  f->dir = easel_test_make_dir ("editor");
  db_path = g_build_filename (f->dir, "easel.db", NULL);
  f->store = easel_store_new (db_path);
  g_assert_true (easel_store_open_sync (f->store, &error));
  g_assert_no_error (error);
  f->images = easel_image_store_new (f->dir);
  f->downloader = easel_downloader_new (f->images, 2);
  f->budget = easel_budget_new ();
  /* The accounts: the environment's (the keyring is not there). */
  f->secrets = easel_secrets_new ();
  f->accounts = easel_accounts_new (f->store, f->secrets);
  easel_accounts_load_async (f->accounts, NULL, loaded_cb, &result);
  g_assert_true (easel_test_spin_until (has_result, &result, 10000));
  g_assert_true (easel_accounts_load_finish (f->accounts, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  f->queue = easel_job_queue_new (f->store, f->downloader, f->budget,
                                  easel_accounts_lookup, g_object_ref (f->accounts), g_object_unref);
  /* What the editor queued is checked, not run. */
  easel_job_queue_set_paused (f->queue, TRUE);
  f->library = easel_library_new (f->store, f->images);
  url = g_build_filename (f->dir, "thumbnails", NULL);
  f->thumbnailer = easel_thumbnailer_new (f->images, url);

  f->window = easel_window_new (NULL);
  g_object_ref (f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1180, 760);
  f->pane = EASEL_EDITOR_PANE (easel_window_get_editor_pane (f->window));
  gtk_window_present (GTK_WINDOW (f->window));
  easel_window_set_library (f->window, f->library, f->thumbnailer);
  easel_window_set_accounts (f->window, f->accounts);
  easel_window_set_job_queue (f->window, f->queue);
  easel_test_wait_painted (GTK_WIDGET (f->window));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_unsetenv ("OPENROUTER_API_KEY");
  fixture_set_up_keep_env (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != (gpointer) f->window)
      gtk_window_destroy (l->data);
  g_list_free (toplevels);

  /* Parts of the window may outlive it a little (a tooltip keeps its
   * actions): they must not see the queue go. */
  easel_window_set_job_queue (f->window, NULL);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->window);
  wait_ms (100);
  g_object_run_dispose (G_OBJECT (f->queue));
  g_clear_object (&f->queue);
  g_clear_object (&f->thumbnailer);
  g_clear_object (&f->library);
  g_clear_object (&f->accounts);
  g_clear_object (&f->secrets);
  easel_store_close (f->store);
  g_clear_object (&f->store);
  g_clear_object (&f->downloader);
  g_clear_object (&f->images);
  g_clear_object (&f->budget);
  g_clear_object (&f->emulator);
  g_free (f->dir);
}

static EaselParamForm *
get_form (Fixture *f)
{
  GtkWidget *form = gtk_widget_get_first_child (child (f, "params_box"));

  g_assert_true (EASEL_IS_PARAM_FORM (form));
  return EASEL_PARAM_FORM (form);
}

static void
assert_same_json (JsonObject *a,
                  JsonObject *b)
{
  g_autoptr(JsonNode) node_a = json_node_init_object (json_node_alloc (), a);
  g_autoptr(JsonNode) node_b = json_node_init_object (json_node_alloc (), b);

  if (!json_node_equal (node_a, node_b))
    {
      g_autofree char *text_a = json_to_string (node_a, FALSE);
      g_autofree char *text_b = json_to_string (node_b, FALSE);

      g_error ("%s != %s", text_a, text_b);
    }
}

static void
set_prompt (Fixture    *f,
            const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (child (f, "prompt_view")), text, -1);
}

static char *
get_prompt (Fixture *f)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (child (f, "prompt_view"));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
generate_enabled (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_sensitive (child (f, "generate_button")) &&
         !gtk_widget_get_visible (child (f, "model_spinner"));
}

static void
wait_ready (Fixture *f)
{
  if (!easel_test_spin_until (generate_enabled, f, 10000))
    g_error ("The editor did not get ready: %s",
             gtk_label_get_label (child (f, "reason_label")));
}

static const char *
model_of (Fixture *f)
{
  return adw_action_row_get_subtitle (child (f, "model_row"));
}

static gboolean
model_is_flux_dev (Fixture *f)
{
  return g_strcmp0 (model_of (f), "black-forest-labs/flux-dev") == 0 &&
         !gtk_widget_get_visible (child (f, "model_spinner"));
}

static gboolean
history_has_one_row (gpointer data)
{
  Fixture *f = data;
  GtkWidget *list = child (f, "history_list");

  return gtk_widget_get_first_child (list) != NULL &&
         gtk_widget_get_next_sibling (gtk_widget_get_first_child (list)) == NULL;
}

static gpointer
set_params_func (EaselDb   *db,
                 gpointer   data,
                 GError   **error)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE images SET params = "
                                          "'{\"aspect_ratio\":\"16:9\",\"num_outputs\":3}' "
                                          "WHERE hash = '%s'", (const char *) data);

  return easel_db_exec (db, sql, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gboolean
has_jobs (gpointer data)
{
  gpointer *args = data;

  return g_list_model_get_n_items (G_LIST_MODEL (args[0])) >= GPOINTER_TO_UINT (args[1]);
}

static void
wait_jobs (Fixture *f,
           guint    n)
{
  gpointer args[] = { f->queue, GUINT_TO_POINTER (n) };

  if (!easel_test_spin_until (has_jobs, args, 10000))
    g_error ("%u jobs, not %u: %s %s", g_list_model_get_n_items (G_LIST_MODEL (f->queue)), n,
             gtk_label_get_label (child (f, "reason_label")), gtk_label_get_label (child (f, "submit_error_label")));
  wait_ms (50);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, n);
}

static EaselJob *
job_with_prompt (Fixture    *f,
                 const char *prompt)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (f->queue)); i++)
    {
      g_autoptr(EaselJob) job = g_list_model_get_item (G_LIST_MODEL (f->queue), i);

      if (g_strcmp0 (easel_job_get_prompt (job), prompt) == 0)
        return job;
    }
  return NULL;
}

/* The job queued last for @prompt. */
static EaselJob *
last_job_with_prompt (Fixture    *f,
                      const char *prompt)
{
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (f->queue)); i > 0; i--)
    {
      g_autoptr(EaselJob) job = g_list_model_get_item (G_LIST_MODEL (f->queue), i - 1);

      if (g_strcmp0 (easel_job_get_prompt (job), prompt) == 0)
        return job;
    }
  return NULL;
}

static void
select_provider (Fixture    *f,
                 const char *display_name)
{
  AdwComboRow *row = child (f, "provider_row");
  GListModel *names = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    {
      g_autoptr(GtkStringObject) name = g_list_model_get_item (names, i);

      if (g_str_equal (gtk_string_object_get_string (name), display_name))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
  g_assert_not_reached ();
}

/* Types @text in the model popover's search and picks the first row. */
static void
choose_model (Fixture    *f,
              const char *text)
{
  gtk_menu_button_popup (child (f, "model_button"));
  gtk_editable_set_text (child (f, "model_search"), text);
  g_signal_emit_by_name (child (f, "model_search"), "activate");
}

static gboolean
preview_open (gpointer data)
{
  EaselBatchPreview **out = data;
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (EASEL_IS_BATCH_PREVIEW (l->data) && gtk_widget_get_visible (l->data))
      *out = l->data;
  g_list_free (toplevels);
  return *out != NULL;
}

static EaselBatchPreview *
wait_preview (void)
{
  EaselBatchPreview *preview = NULL;

  g_assert_true (easel_test_spin_until (preview_open, &preview, 5000));
  return preview;
}

/* Priced, and refused or ready (once confirmed, if it must be). */
static gboolean
preview_settled (gpointer data)
{
  EaselBatchPreview *preview = data;
  GtkCheckButton *confirm = GTK_CHECK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (preview),
                                                                             EASEL_TYPE_BATCH_PREVIEW,
                                                                             "confirm_check"));
  gboolean ready;

  if (easel_batch_preview_get_estimate (preview) < 0)
    return FALSE;
  if (easel_batch_preview_get_problem (preview) != NULL)
    return TRUE;
  /* Ready but for the tick: tick, look, untick. */
  if (gtk_widget_get_visible (GTK_WIDGET (confirm)) && !gtk_check_button_get_active (confirm))
    {
      gtk_check_button_set_active (confirm, TRUE);
      ready = easel_batch_preview_get_ready (preview);
      gtk_check_button_set_active (confirm, FALSE);
      return ready;
    }
  return easel_batch_preview_get_ready (preview);
}

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_autofree char *path = NULL;

  wait_ms (300);
  easel_test_wait_painted (widget);
  path = easel_test_save_screenshot (widget, name);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

/* The Ctrl+Enter shortcut of the pane, which must run before the text view
 * would insert a line. */
static void
assert_shortcut (Fixture    *f,
                 const char *trigger,
                 const char *action)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->pane));
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      g_assert_cmpint (gtk_event_controller_get_propagation_phase (controller), ==, GTK_PHASE_CAPTURE);
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (controller)); k++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), k);
          g_autofree char *text = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
          GtkShortcutAction *named = gtk_shortcut_get_action (shortcut);

          if (strstr (text, trigger) != NULL && GTK_IS_NAMED_ACTION (named) &&
              g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (named)), action))
            found = TRUE;
        }
    }
  g_assert_true (found);
}

static gboolean
steps_restored (gpointer data)
{
  Fixture *f = data;
  g_autoptr(JsonObject) values = NULL;

  if (!generate_enabled (f))
    return FALSE;
  values = easel_param_form_get_values (get_form (f));
  return json_object_has_member (values, "num_inference_steps") &&
         json_object_get_int_member (values, "num_inference_steps") == 2;
}

static gboolean
reason_shown (gpointer data)
{
  return gtk_widget_get_visible (child (data, "reason_label"));
}

static void
test_generate (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(JsonObject) values = NULL;
  EaselJobSpec *spec;
  EaselJob *job;

  select_provider (f, "Replicate");
  /* One account: no account picker. */
  g_assert_false (gtk_widget_get_visible (child (f, "account_row")));
  choose_model (f, "schnell");
  g_assert_cmpstr (model_of (f), ==, "black-forest-labs/flux-schnell");

  /* Nothing to send yet: the button says why. */
  set_prompt (f, "");
  g_assert_true (easel_test_spin_until (reason_shown, f, 5000));
  g_assert_false (gtk_widget_get_sensitive (child (f, "generate_button")));

  set_prompt (f, "a red fox in the snow, watercolor");
  wait_ready (f);
  /* One job, priced. */
  g_assert_nonnull (strstr (gtk_label_get_label (child (f, "generate_label")), "$"));

  /* What will be sent: Replicate's JSON input, with the prompt. */
  gtk_expander_set_expanded (child (f, "request_expander"), TRUE);
  g_assert_nonnull (strstr (gtk_label_get_label (child (f, "request_label")), "\"prompt\""));
  g_assert_nonnull (strstr (gtk_label_get_label (child (f, "request_label")), "red fox"));

  screenshot (GTK_WIDGET (f->window), "editor-replicate");

  assert_shortcut (f, "<Control>Return", "editor.generate");
  assert_shortcut (f, "<Shift><Control>Return", "editor.preview");
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.generate", NULL);
  wait_jobs (f, 1);

  job = job_with_prompt (f, "a red fox in the snow, watercolor");
  g_assert_nonnull (job);
  g_assert_cmpstr (easel_job_get_provider (job), ==, "replicate");
  g_assert_cmpstr (easel_job_get_account (job), ==,
                   easel_account_get_name (easel_accounts_get_default (f->accounts, "replicate")));
  spec = easel_job_get_spec (job);
  g_assert_cmpstr (spec->model, ==, "black-forest-labs/flux-schnell");
  /* The parameters are the form's. */
  values = easel_param_form_get_values (get_form (f));
  assert_same_json (spec->params, values);
  g_clear_pointer (&values, json_object_unref);

  /* An edit is saved for the model and comes back with it. */
  values = json_object_new ();
  json_object_set_int_member (values, "num_inference_steps", 2);
  easel_param_form_set_values (get_form (f), values);
  g_clear_pointer (&values, json_object_unref);
  wait_ms (1000);
  choose_model (f, "flux-dev");
  g_assert_cmpstr (model_of (f), ==, "black-forest-labs/flux-dev");
  wait_ready (f);
  choose_model (f, "schnell");
  g_assert_true (easel_test_spin_until (steps_restored, f, 5000));
}


static AdwMessageDialog *
find_message_dialog (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  AdwMessageDialog *dialog = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      dialog = l->data;
  g_list_free (toplevels);
  return dialog;
}

static gboolean
template_error_shown (gpointer data)
{
  return gtk_widget_get_visible (child (data, "template_error_label"));
}

static gboolean
variables_shown (gpointer data)
{
  return gtk_widget_get_visible (child (data, "variables_group"));
}

static gboolean
template_open (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_visible (child (f, "template_label"));
}

static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_EXPANDER_ROW (widget) &&
      g_str_equal (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title))
    return widget;
  for (GtkWidget *w = gtk_widget_get_first_child (widget); w != NULL; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found = find_row (w, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Sets the values of the variable @name in its row. */
static void
set_variable (Fixture    *f,
              const char *name,
              const char *fallback,
              const char *values)
{
  AdwPreferencesGroup *group = child (f, "variables_group");
  g_autofree char *title = g_strdup_printf ("{{%s}}", name);
  GtkWidget *row = find_row (GTK_WIDGET (group), title);

  g_assert_nonnull (row);
  gtk_editable_set_text (g_object_get_data (G_OBJECT (row), "easel-default"), fallback);
  gtk_editable_set_text (g_object_get_data (G_OBJECT (row), "easel-values"), values);
}

static void
test_template_batch (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  EaselBatchPreview *preview;
  GtkCheckButton *confirm;
  AdwMessageDialog *dialog;
  GListModel *prompts;
  EaselJob *job;

  select_provider (f, "Replicate");
  choose_model (f, "schnell");
  set_prompt (f, "a {{animal}} {in the snow|at night}");
  g_assert_true (easel_test_spin_until (variables_shown, f, 5000));
  set_variable (f, "animal", "cat", "red fox | snowy owl");
  wait_ready (f);
  /* Two values, two alternatives: four jobs, priced. */
  g_assert_nonnull (strstr (gtk_label_get_label (child (f, "generate_label")), "Generate 4"));

  /* Saved as a template, so the jobs say where they came from. */
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.save-template-as", NULL);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "easel-entry"), "Animal studies");
  adw_message_dialog_response (dialog, "ok");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (easel_test_spin_until (template_open, f, 5000));
  g_assert_nonnull (strstr (gtk_label_get_label (child (f, "template_label")), "Animal studies"));

  /* A syntax error is shown where it is, and nothing can be sent. */
  set_prompt (f, "a {{animal}} {in the snow|at night");
  g_assert_true (easel_test_spin_until (template_error_shown, f, 5000));
  g_assert_false (gtk_widget_get_sensitive (child (f, "generate_button")));
  set_prompt (f, "a {{animal}} {in the snow|at night}");
  wait_ready (f);

  /* Over the confirmation size: one more tick. */
  g_settings_set_uint (settings, "batch-confirm-size", 3);
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.generate", NULL);
  preview = wait_preview ();
  prompts = easel_batch_preview_get_prompts (preview);
  g_assert_cmpuint (g_list_model_get_n_items (prompts), ==, 4);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (prompts), 0), ==, "a red fox in the snow");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (prompts), 3), ==, "a snowy owl at night");
  g_assert_true (easel_test_spin_until (preview_settled, preview, 5000));
  g_assert_null (easel_batch_preview_get_problem (preview));
  g_assert_cmpint (easel_batch_preview_get_estimate (preview), >, 0);
  confirm = GTK_CHECK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (preview), EASEL_TYPE_BATCH_PREVIEW,
                                                             "confirm_check"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (confirm)));
  g_assert_false (easel_batch_preview_get_ready (preview));
  gtk_check_button_set_active (confirm, TRUE);
  g_assert_true (easel_batch_preview_get_ready (preview));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, 0);
  screenshot (GTK_WIDGET (preview), "editor-preview");

  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (preview), EASEL_TYPE_BATCH_PREVIEW,
                                                        "queue_button"), "clicked");
  wait_jobs (f, 4);
  job = job_with_prompt (f, "a snowy owl in the snow");
  g_assert_nonnull (job);
  g_assert_cmpint (easel_job_get_template_id (job), >, 0);
  g_assert_cmpint (easel_job_get_template_version (job), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (easel_job_get_template_bindings (job), "animal"), ==,
                   "snowy owl");
}

static void
test_over_budget (Fixture       *f,
                  gconstpointer  data)
{
  EaselBatchPreview *preview;

  /* Less than one FLUX schnell image. */
  easel_budget_set_limit (f->budget, NULL, EASEL_BUDGET_DAY, 1000);
  select_provider (f, "Replicate");
  choose_model (f, "schnell");
  set_prompt (f, "a {lighthouse|harbour} at dusk");
  wait_ready (f);

  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.generate", NULL);
  preview = wait_preview ();
  g_assert_true (easel_test_spin_until (preview_settled, preview, 5000));
  g_assert_nonnull (easel_batch_preview_get_problem (preview));
  g_assert_false (easel_batch_preview_get_ready (preview));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (preview),
                                                                                       EASEL_TYPE_BATCH_PREVIEW,
                                                                                       "queue_button"))));
  screenshot (GTK_WIDGET (preview), "editor-preview-over-budget");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, 0);
}

static gboolean
press_key (Fixture *f,
           guint    keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (child (f, "prompt_view"));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
    }
  return handled;
}

static gboolean
prompt_is (gpointer data)
{
  gpointer *args = data;
  g_autofree char *text = get_prompt (args[0]);

  return g_str_equal (text, args[1]);
}

static void
wait_prompt (Fixture    *f,
             const char *text)
{
  gpointer args[] = { f, (gpointer) text };

  if (!easel_test_spin_until (prompt_is, args, 5000))
    {
      g_autofree char *prompt = get_prompt (f);

      g_error ("The prompt is “%s”, not “%s”", prompt, text);
    }
}

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  const char *prompts[] = { "first: a misty harbour", "second: a neon alley", "third: a quiet library" };

  select_provider (f, "Replicate");
  choose_model (f, "schnell");
  for (guint i = 0; i < G_N_ELEMENTS (prompts); i++)
    {
      set_prompt (f, prompts[i]);
      wait_ready (f);
      gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.generate", NULL);
      wait_jobs (f, i + 1);
      /* The history is written after the job is queued. */
      wait_ms (200);
    }

  /* Up in a prompt with text moves the cursor, nothing else. */
  g_assert_false (press_key (f, GDK_KEY_Up));

  set_prompt (f, "");
  g_assert_true (press_key (f, GDK_KEY_Up));
  wait_prompt (f, prompts[2]);
  g_assert_true (press_key (f, GDK_KEY_Up));
  wait_prompt (f, prompts[1]);
  g_assert_true (press_key (f, GDK_KEY_Up));
  wait_prompt (f, prompts[0]);
  g_assert_true (press_key (f, GDK_KEY_Down));
  wait_prompt (f, prompts[1]);
  g_assert_true (press_key (f, GDK_KEY_Down));
  g_assert_true (press_key (f, GDK_KEY_Down));
  wait_prompt (f, "");

  /* The popover searches. */
  gtk_menu_button_popup (child (f, "history_button"));
  gtk_editable_set_text (child (f, "history_search"), "neon");
  g_assert_true (easel_test_spin_until (history_has_one_row, f, 5000));
  g_signal_emit_by_name (child (f, "history_search"), "activate");
  wait_prompt (f, prompts[1]);
}

static void
test_reuse (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = easel_test_images_generate (1, 1, g_get_real_time (), 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) values = NULL;
  EaselTestImage *image = g_ptr_array_index (rows, 0);

  g_free (image->provider);
  image->provider = g_strdup ("replicate");
  g_free (image->model);
  image->model = g_strdup ("black-forest-labs/flux-dev");
  g_free (image->prompt);
  image->prompt = g_strdup ("an old map of an imaginary island");
  g_assert_nonnull (easel_store_run_sync (f->store, easel_test_images_insert_func, rows, &error));
  g_assert_no_error (error);
  g_assert_nonnull (easel_store_run_sync (f->store, set_params_func, image->hash, &error));
  g_assert_no_error (error);

  /* Start elsewhere: Midjourney. */
  select_provider (f, "Midjourney (UseAPI.net)");
  wait_ms (300);

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "reuse-settings"));
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "reuse-settings",
                                  g_variant_new_string (image->hash));
  wait_prompt (f, "an old map of an imaginary island");
  g_assert_true (easel_test_spin_until ((GSourceFunc) model_is_flux_dev, f, 5000));
  wait_ready (f);
  values = easel_param_form_get_values (get_form (f));
  g_assert_cmpint (json_object_get_int_member (values, "num_outputs"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (values, "aspect_ratio"), ==, "16:9");
}

static gboolean
suggestion_shown (gpointer data)
{
  Fixture *f = data;

  return gtk_revealer_get_child_revealed (child (f, "suggestion_revealer")) &&
         gtk_widget_get_visible (child (f, "accept_button"));
}

/* With an OpenRouter key, Enhance offers the emulator's suggestion beside
 * the idea; accepting replaces the prompt, undoably. */
static void
test_enhance (Fixture       *f,
              gconstpointer  data)
{
  GtkTextBuffer *buffer;
  const char *suggestion;

  g_assert_false (gtk_widget_get_visible (child (f, "enhance_bar")));
  fixture_tear_down (f, data);
  g_setenv ("OPENROUTER_API_KEY", "sentinel-token", TRUE);
  fixture_set_up_keep_env (f);
  g_assert_true (gtk_widget_get_visible (child (f, "enhance_bar")));

  select_provider (f, "Replicate");
  choose_model (f, "schnell");
  set_prompt (f, "fox, snow");
  g_signal_emit_by_name (child (f, "enhance_button"), "clicked");
  g_assert_true (easel_test_spin_until (suggestion_shown, f, 10000));
  suggestion = gtk_label_get_label (child (f, "suggestion_label"));
  g_assert_cmpstr (suggestion, !=, "");
  g_assert_cmpstr (suggestion, !=, "fox, snow");
  screenshot (GTK_WIDGET (f->window), "editor-enhance");

  g_signal_emit_by_name (child (f, "accept_button"), "clicked");
  wait_prompt (f, suggestion);
  buffer = gtk_text_view_get_buffer (child (f, "prompt_view"));
  g_assert_true (gtk_text_buffer_get_can_undo (buffer));
  gtk_text_buffer_undo (buffer);
  wait_prompt (f, "fox, snow");
  g_unsetenv ("OPENROUTER_API_KEY");
}

static GtkDropTarget *
pane_drop_target (Fixture *f)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->pane));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  g_error ("the editor pane has no drop target");
  return NULL;
}

static void
drop_file (Fixture    *f,
           const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean handled = FALSE;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_array (&file, 1));
  g_signal_emit_by_name (pane_drop_target (f), "drop", &value, 100.0, 300.0, &handled);
  g_assert_true (handled);
}

static EaselReferenceTray *
get_tray (Fixture *f)
{
  GtkWidget *tray = gtk_widget_get_first_child (child (f, "references_box"));

  g_assert_true (EASEL_IS_REFERENCE_TRAY (tray));
  return EASEL_REFERENCE_TRAY (tray);
}

static gboolean
tray_settled (gpointer data)
{
  gpointer *args = data;
  g_autoptr(GPtrArray) references = easel_reference_tray_get_references (get_tray (args[0]));

  return !easel_reference_tray_is_busy (get_tray (args[0])) &&
         references->len == GPOINTER_TO_UINT (args[1]);
}

static void
wait_references (Fixture *f,
                 guint    n)
{
  gpointer args[] = { f, GUINT_TO_POINTER (n) };

  g_assert_true (easel_test_spin_until (tray_settled, args, 10000));
}

/* Files dropped anywhere on the editor: an image is kept and goes with the
 * job in the model's image input; a file that is not an image, or too
 * large, is refused with a message and changes nothing. */
static void
test_drop_references (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  g_autoptr(GError) error = NULL;
  g_autofree char *png = g_build_filename (f->dir, "sketch.png", NULL);
  g_autofree char *text = g_build_filename (f->dir, "notes.png", NULL);
  g_autofree char *big = g_build_filename (f->dir, "huge.png", NULL);
  g_autofree char *junk = g_malloc0 (11 * 1024 * 1024);
  g_autofree char *png_data = NULL;
  gsize png_size;
  EaselJobSpec *spec;
  EaselJobSpecReference *reference;

  select_provider (f, "Replicate");
  choose_model (f, "flux-dev");
  g_assert_cmpstr (model_of (f), ==, "black-forest-labs/flux-dev");
  set_prompt (f, "a watercolor version of this sketch");
  wait_ready (f);

  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, png, "png", &error, NULL));
  g_assert_no_error (error);
  drop_file (f, png);
  wait_references (f, 1);

  /* Not an image, whatever its name says. */
  g_assert_true (g_file_set_contents (text, "just some notes", -1, &error));
  drop_file (f, text);
  wait_ms (300);
  wait_references (f, 1);
  g_assert_nonnull (easel_reference_tray_get_message (get_tray (f)));

  /* Over 10 MB: a PNG signature, then too much. */
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &png_data, &png_size, "png", &error, NULL));
  memcpy (junk, png_data, png_size);
  g_assert_true (g_file_set_contents (big, junk, 11 * 1024 * 1024, &error));
  drop_file (f, big);
  wait_ms (300);
  wait_references (f, 1);
  g_assert_nonnull (easel_reference_tray_get_message (get_tray (f)));
  screenshot (GTK_WIDGET (f->window), "editor-references");

  wait_ready (f);
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.generate", NULL);
  wait_jobs (f, 1);
  spec = easel_job_get_spec (job_with_prompt (f, "a watercolor version of this sketch"));
  g_assert_nonnull (spec->references);
  g_assert_cmpuint (spec->references->len, ==, 1);
  reference = g_ptr_array_index (spec->references, 0);
  g_assert_cmpstr (reference->role, ==, "image");
  g_assert_nonnull (reference->hash);
}


static void
test_midjourney (Fixture       *f,
                 gconstpointer  data)
{
  select_provider (f, "Midjourney (UseAPI.net)");
  set_prompt (f, "isometric cozy reading nook with plants, soft morning light");
  wait_ready (f);
  g_assert_cmpstr (model_of (f), ==, "midjourney");
  gtk_expander_set_expanded (child (f, "request_expander"), TRUE);
  g_assert_nonnull (strstr (gtk_label_get_label (child (f, "request_label")), "reading nook"));
  screenshot (GTK_WIDGET (f->window), "editor-midjourney");

  /* Narrow: the editor unfolds over the gallery. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 720);
  wait_ms (300);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.focus-prompt", NULL);
  screenshot (GTK_WIDGET (f->window), "editor-narrow");
}

static gboolean
model_is_schnell (Fixture *f)
{
  return g_strcmp0 (model_of (f), "black-forest-labs/flux-schnell") == 0 &&
         !gtk_widget_get_visible (child (f, "model_spinner"));
}

static gboolean
template_closed (Fixture *f)
{
  return !gtk_widget_get_visible (child (f, "template_label"));
}

/* The templates menu */

static gboolean
dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

static gboolean
no_dialog (gpointer data)
{
  return find_message_dialog () == NULL;
}

static AdwMessageDialog *
wait_dialog (void)
{
  g_assert_true (easel_test_spin_until (dialog_shown, NULL, 5000));
  return find_message_dialog ();
}

static void
close_dialog (AdwMessageDialog *dialog,
              const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_ms (50);
}

/* Answers the name dialog with @name. */
static void
answer_name (const char *name)
{
  AdwMessageDialog *dialog = wait_dialog ();

  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "easel-entry"), name);
  close_dialog (dialog, "ok");
}

static gboolean
template_label_has (gpointer data)
{
  gpointer *args = data;
  Fixture *f = args[0];

  return gtk_widget_get_visible (child (f, "template_label")) &&
         g_str_equal (gtk_label_get_label (child (f, "template_label")), args[1]);
}

static void
wait_template_label (Fixture    *f,
                     const char *text)
{
  gpointer args[] = { f, (gpointer) text };

  if (!easel_test_spin_until (template_label_has, args, 5000))
    g_error ("The template label is “%s” (%s), not “%s”", gtk_label_get_label (child (f, "template_label")),
             gtk_widget_get_visible (child (f, "template_label")) ? "shown" : "hidden", text);
}

/* The name dialog, back with why @name was refused. */
static AdwMessageDialog *
wait_refused_name (const char *name,
                   const char *reason)
{
  AdwMessageDialog *dialog = wait_dialog ();
  GtkWidget *problem = g_object_get_data (G_OBJECT (dialog), "easel-problem");

  g_assert_cmpstr (gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "easel-entry")), ==, name);
  g_assert_nonnull (problem);
  g_assert_true (gtk_widget_get_visible (problem));
  g_test_message ("%s", gtk_label_get_label (GTK_LABEL (problem)));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (problem)), reason));
  return dialog;
}

static guint
n_shown_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && gtk_widget_get_child_visible (row))
      n++;
  return n;
}

static gboolean
shows_one_row (gpointer data)
{
  return n_shown_rows (data) == 1;
}

/* The row of the chooser @dialog for @name (Open) or @version (Versions). */
static GtkListBoxRow *
chooser_row (AdwMessageDialog *dialog,
             const char       *name,
             int               version)
{
  GtkListBox *list = g_object_get_data (G_OBJECT (dialog), "easel-list");

  g_assert_nonnull (list);
  for (int i = 0; gtk_list_box_get_row_at_index (list, i) != NULL; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);
      EaselTemplate *template_ = g_object_get_data (G_OBJECT (row), "easel-template");

      if ((name != NULL && g_str_equal (template_->name, name)) || template_->version == version)
        return row;
    }
  return NULL;
}

static guint
n_rows (AdwMessageDialog *dialog)
{
  GtkListBox *list = g_object_get_data (G_OBJECT (dialog), "easel-list");
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

static void
choose_row (AdwMessageDialog *dialog,
            GtkListBoxRow    *row,
            const char       *response)
{
  g_assert_nonnull (row);
  gtk_list_box_select_row (g_object_get_data (G_OBJECT (dialog), "easel-list"), row);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "open"));
  close_dialog (dialog, response);
}

static void
generate (Fixture *f,
          guint    n_before,
          guint    n_new)
{
  wait_ready (f);
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.generate", NULL);
  /* A batch is shown first, and queued from there. */
  if (n_new > 1)
    {
      EaselBatchPreview *preview = wait_preview ();

      g_assert_true (easel_test_spin_until (preview_settled, preview, 5000));
      g_assert_null (easel_batch_preview_get_problem (preview));
      g_assert_cmpuint (g_list_model_get_n_items (easel_batch_preview_get_prompts (preview)), ==, n_new);
      g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (preview), EASEL_TYPE_BATCH_PREVIEW,
                                                            "queue_button"), "clicked");
    }
  wait_jobs (f, n_before + n_new);
  /* History and settings are written after the jobs are queued. */
  wait_ms (100);
}

/* The job made from @prompt names template @id (any when -1) at @version
 * with @animal for {{animal}}, or no template when @version is 0 (the
 * job queued last for @prompt).
 * Returns its template id. */
static gint64
assert_job_template (Fixture    *f,
                     const char *prompt,
                     gint64      id,
                     int         version,
                     const char *animal)
{
  EaselJob *job = last_job_with_prompt (f, prompt);

  if (job == NULL)
    g_error ("No job for “%s”", prompt);
  if (version == 0)
    {
      g_assert_cmpint (easel_job_get_template_id (job), ==, 0);
      g_assert_cmpint (easel_job_get_template_version (job), ==, 0);
      g_assert_true (easel_job_get_template_bindings (job) == NULL ||
                     json_object_get_size (easel_job_get_template_bindings (job)) == 0);
      return 0;
    }
  if (id < 0)
    g_assert_cmpint (easel_job_get_template_id (job), >, 0);
  else
    g_assert_cmpint (easel_job_get_template_id (job), ==, id);
  g_assert_cmpint (easel_job_get_template_version (job), ==, version);
  g_assert_cmpstr (json_object_get_string_member (easel_job_get_template_bindings (job), "animal"), ==, animal);
  return easel_job_get_template_id (job);
}

static const char *
variable_values (Fixture    *f,
                 const char *name)
{
  g_autofree char *title = g_strdup_printf ("{{%s}}", name);
  GtkWidget *row = find_row (child (f, "variables_group"), title);

  g_assert_nonnull (row);
  return gtk_editable_get_text (g_object_get_data (G_OBJECT (row), "easel-values"));
}

static gboolean
jobs_done (gpointer data)
{
  Fixture *f = data;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (f->queue)); i++)
    {
      g_autoptr(EaselJob) job = g_list_model_get_item (G_LIST_MODEL (f->queue), i);

      if (easel_job_get_state (job) != EASEL_JOB_SUCCEEDED)
        return FALSE;
    }
  return TRUE;
}

static guint
count_images (Fixture    *f,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselQuery) query = easel_query_parse (text, &error);
  guint n;

  g_assert_no_error (error);
  n = easel_library_count_sync (f->library, query, &error);
  g_assert_no_error (error);
  return n;
}

/* Save as Template, Save, Open, Versions, Rename and Delete, and what the
 * jobs made after each say about the template. */
static void
test_template_menu (Fixture       *f,
                    gconstpointer  data)
{
  AdwMessageDialog *dialog;
  GtkListBox *list;
  gint64 seaside;
  guint n = 0;

  easel_emulator_set_job_duration (f->emulator, 0, 0);
  select_provider (f, "Replicate");
  choose_model (f, "schnell");
  set_prompt (f, "a {{animal}} by the sea");
  g_assert_true (easel_test_spin_until (variables_shown, f, 5000));
  /* A value may hold a bar, escaped. */
  set_variable (f, "animal", "", "gull | fish \\| chips");

  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.save-template-as", NULL);
  answer_name ("Seaside");
  wait_template_label (f, "Seaside · version 1");

  /* Made from version 1: the jobs say so, with the values they took. */
  generate (f, n, 2);
  n += 2;
  seaside = assert_job_template (f, "a gull by the sea", -1, 1, "gull");
  assert_job_template (f, "a fish | chips by the sea", seaside, 1, "fish | chips");

  /* Edited, the prompt is no longer version 1: its jobs name no template. */
  set_prompt (f, "a {{animal}} by the sea at dawn");
  generate (f, n, 2);
  n += 2;
  assert_job_template (f, "a gull by the sea at dawn", 0, 0, NULL);

  /* Save: version 2, with another model and a third value. */
  choose_model (f, "flux-dev");
  g_assert_cmpstr (model_of (f), ==, "black-forest-labs/flux-dev");
  wait_ready (f);
  set_variable (f, "animal", "", "gull | fish \\| chips | seal");
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.save-template", NULL);
  wait_template_label (f, "Seaside · version 2");
  generate (f, n, 3);
  n += 3;
  assert_job_template (f, "a seal by the sea at dawn", seaside, 2, "seal");

  /* A second template, then Save as under the first's name, in another
   * case: refused, asked again with the reason beside the name; the
   * editor keeps its text and its template. */
  set_prompt (f, "a {{animal}} in the harbour");
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.save-template-as", NULL);
  answer_name ("Harbour");
  wait_template_label (f, "Harbour · version 1");
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.save-template-as", NULL);
  answer_name ("SEASIDE");
  dialog = wait_refused_name ("SEASIDE", "already exists");
  screenshot (GTK_WIDGET (dialog), "editor-template-name-taken");
  /* Typing clears the reason. */
  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "easel-entry"), "Seaside 2");
  g_assert_false (gtk_widget_get_visible (g_object_get_data (G_OBJECT (dialog), "easel-problem")));
  close_dialog (dialog, "cancel");
  wait_prompt (f, "a {{animal}} in the harbour");
  wait_template_label (f, "Harbour · version 1");

  /* Open: both, searchable; Seaside opens at its current version. */
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.open-template", NULL);
  dialog = wait_dialog ();
  g_assert_cmpuint (n_rows (dialog), ==, 2);
  list = g_object_get_data (G_OBJECT (dialog), "easel-list");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "open"));
  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "easel-search"), "SEA");
  g_assert_true (easel_test_spin_until (shows_one_row, list, 5000));
  g_assert_true (gtk_widget_get_child_visible (GTK_WIDGET (chooser_row (dialog, "Seaside", -1))));
  screenshot (GTK_WIDGET (dialog), "editor-template-open");
  /* From the keyboard: Enter in the search opens the row it leaves. */
  g_signal_emit_by_name (g_object_get_data (G_OBJECT (dialog), "easel-search"), "activate");
  g_assert_true (easel_test_spin_until (no_dialog, NULL, 5000));
  wait_prompt (f, "a {{animal}} by the sea at dawn");
  wait_template_label (f, "Seaside · version 2");
  g_assert_true (easel_test_spin_until ((GSourceFunc) model_is_flux_dev, f, 5000));
  g_assert_cmpstr (variable_values (f, "animal"), ==, "gull | fish \\| chips | seal");

  /* Versions: newest first; restoring version 1 brings back its text,
   * values and model, and jobs made then are version 1's. */
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.template-versions", NULL);
  dialog = wait_dialog ();
  g_assert_cmpuint (n_rows (dialog), ==, 2);
  g_assert_cmpint (((EaselTemplate *) g_object_get_data (G_OBJECT (gtk_list_box_get_row_at_index (g_object_get_data (G_OBJECT (dialog), "easel-list"), 0)), "easel-template"))->version, ==, 2);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Versions of “Seaside”");
  screenshot (GTK_WIDGET (dialog), "editor-template-versions");
  choose_row (dialog, chooser_row (dialog, NULL, 1), "open");
  wait_prompt (f, "a {{animal}} by the sea");
  wait_template_label (f, "Seaside · version 1");
  g_assert_true (easel_test_spin_until ((GSourceFunc) model_is_schnell, f, 5000));
  g_assert_cmpstr (variable_values (f, "animal"), ==, "gull | fish \\| chips");
  generate (f, n, 2);
  n += 2;
  assert_job_template (f, "a fish | chips by the sea", seaside, 1, "fish | chips");

  /* Rename onto another template's name: refused, asked again. */
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.rename-template", NULL);
  answer_name ("harbour");
  dialog = wait_refused_name ("harbour", "already exists");
  close_dialog (dialog, "cancel");
  wait_template_label (f, "Seaside · version 1");
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.rename-template", NULL);
  answer_name ("Coastal birds");
  wait_template_label (f, "Coastal birds · version 1");

  /* Delete asks first; Cancel keeps it. */
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.delete-template", NULL);
  dialog = wait_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete “Coastal birds”?");
  close_dialog (dialog, "cancel");
  wait_template_label (f, "Coastal birds · version 1");
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.delete-template", NULL);
  close_dialog (wait_dialog (), "delete");
  g_assert_true (easel_test_spin_until ((GSourceFunc) template_closed, f, 5000));
  /* The prompt stays, and its jobs now name no template. */
  wait_prompt (f, "a {{animal}} by the sea");
  generate (f, n, 2);
  n += 2;
  assert_job_template (f, "a gull by the sea", 0, 0, NULL);

  /* Open no longer lists it. */
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.open-template", NULL);
  dialog = wait_dialog ();
  g_assert_cmpuint (n_rows (dialog), ==, 1);
  g_assert_null (chooser_row (dialog, "Coastal birds", -1));
  close_dialog (dialog, "cancel");

  /* The jobs run; the gallery still finds the images of the deleted
   * template's jobs by its name, and by a value. */
  easel_job_queue_set_paused (f->queue, FALSE);
  g_assert_true (easel_test_spin_until (jobs_done, f, 30000));
  wait_ms (300);
  g_assert_cmpuint (count_images (f, "template:\"Coastal birds\""), ==, 2 + 3 + 2);
  g_assert_cmpuint (count_images (f, "template:\"Coastal birds\" var:animal=seal"), ==, 1);
  g_assert_cmpuint (count_images (f, "template:\"Seaside\""), ==, 0);
  g_assert_cmpuint (count_images (f, ""), ==, n);
}

/* What will be sent */

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GBytes **) user_data = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
}

/* The input of the prediction @id as the emulator received it. */
static JsonNode *
received_input (Fixture    *f,
                const char *id)
{
  g_autofree char *origin = easel_emulator_dup_origin (f->emulator);
  g_autofree char *url = g_strdup_printf ("%s/v1/predictions/%s", origin, id);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *prediction;

  soup_message_headers_append (soup_message_get_request_headers (message), "Authorization",
                               "Bearer sentinel-token");
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, read_cb, &bytes);
  g_assert_true (easel_test_spin_until (has_result, &bytes, 10000));
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  prediction = json_node_get_object (json_parser_get_root (parser));
  return json_node_copy (json_object_get_member (prediction, "input"));
}

static gboolean
job_submitted (gpointer data)
{
  return easel_job_get_remote_id (data) != NULL;
}

static gboolean
request_shows (gpointer data)
{
  gpointer *args = data;

  return strstr (gtk_label_get_label (child (args[0], "request_label")), args[1]) != NULL;
}

static void
wait_request_shows (Fixture    *f,
                    const char *text)
{
  gpointer args[] = { f, (gpointer) text };

  if (!easel_test_spin_until (request_shows, args, 5000))
    g_error ("“What will be sent” shows “%s”, without “%s”",
             gtk_label_get_label (child (f, "request_label")), text);
}

/* "What will be sent" is what is sent: for Replicate, the JSON input the
 * emulator then receives; for Midjourney, the prompt with its parameters;
 * and the reason when a value cannot be sent. */
static void
test_request_view (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) received = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  EaselJob *job;

  easel_emulator_set_job_duration (f->emulator, 0, 0);
  select_provider (f, "Replicate");
  choose_model (f, "schnell");
  set_prompt (f, "a lighthouse at dusk, “oil”");
  wait_ready (f);
  json_object_set_int_member (values, "seed", 42);
  json_object_set_string_member (values, "aspect_ratio", "16:9");
  easel_param_form_set_values (get_form (f), values);
  gtk_expander_set_expanded (child (f, "request_expander"), TRUE);
  wait_request_shows (f, "\"seed\" : 42");
  wait_ready (f);
  shown = g_strdup (gtk_label_get_label (child (f, "request_label")));

  easel_job_queue_set_paused (f->queue, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.generate", NULL);
  wait_jobs (f, 1);
  job = job_with_prompt (f, "a lighthouse at dusk, “oil”");
  g_assert_true (easel_test_spin_until (job_submitted, job, 10000));
  received = received_input (f, easel_job_get_remote_id (job));
  json_parser_load_from_data (parser, shown, -1, &error);
  g_assert_no_error (error);
  if (!json_node_equal (json_parser_get_root (parser), received))
    {
      g_autofree char *text = json_to_string (received, TRUE);

      g_error ("Shown:\n%s\nreceived:\n%s", shown, text);
    }

  /* Midjourney: the whole prompt, its parameters after "--". */
  select_provider (f, "Midjourney (UseAPI.net)");
  set_prompt (f, "a lighthouse at dusk");
  wait_ready (f);
  g_clear_pointer (&values, json_object_unref);
  values = json_object_new ();
  json_object_set_int_member (values, "chaos", 20);
  json_object_set_int_member (values, "stylize", 250);
  easel_param_form_set_values (get_form (f), values);
  wait_request_shows (f, "a lighthouse at dusk --");
  wait_request_shows (f, "--chaos 20");
  wait_request_shows (f, "--stylize 250");
  screenshot (GTK_WIDGET (f->window), "editor-request-midjourney");

  /* A value Midjourney refuses: the reason, not a request. */
  json_object_set_int_member (values, "chaos", 500);
  easel_param_form_set_values (get_form (f), values);
  g_assert_true (easel_test_spin_until (reason_shown, f, 5000));
  g_assert_false (gtk_widget_get_sensitive (child (f, "generate_button")));
  wait_request_shows (f, "out of range");
  wait_request_shows (f, "from 0 to 100");
  g_assert_null (strstr (gtk_label_get_label (child (f, "request_label")), "a lighthouse at dusk"));
  screenshot (GTK_WIDGET (f->window), "editor-request-invalid");
}

/* Midjourney and a file from this computer */

static gboolean
reason_is_references (gpointer data)
{
  return reason_shown (data) &&
         g_str_equal (gtk_label_get_label (child (data, "reason_label")), "Fix the reference images first");
}

static void
test_midjourney_local_file (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  g_autofree char *png = g_build_filename (f->dir, "sketch.png", NULL);
  g_autoptr(GError) error = NULL;
  EaselReferenceTray *tray;
  const char *problem;

  select_provider (f, "Midjourney (UseAPI.net)");
  set_prompt (f, "a cottage in this style");
  wait_ready (f);

  gdk_pixbuf_fill (pixbuf, 0xe66100ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, png, "png", &error, NULL));
  g_assert_no_error (error);
  drop_file (f, png);
  wait_references (f, 1);
  tray = get_tray (f);

  /* Plainly: imagine needs a public address, and what works instead,
   * which is a link: Easel offers no Blend or Describe, so none is
   * promised. */
  g_assert_false (easel_reference_tray_get_valid (tray));
  problem = easel_reference_tray_get_problem (tray);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "public web address"));
  g_assert_nonnull (strstr (problem, "Add Link…"));
  g_assert_null (strstr (problem, "Blend"));
  g_assert_null (strstr (problem, "Describe"));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (tray),
                                                                                   EASEL_TYPE_REFERENCE_TRAY,
                                                                                   "url_button"))));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (tray),
                                                                                   EASEL_TYPE_REFERENCE_TRAY,
                                                                                   "problem_label"))));
  /* Nothing is sent meanwhile, and the button says why in short. */
  g_assert_true (easel_test_spin_until (reason_is_references, f, 5000));
  g_assert_false (gtk_widget_get_sensitive (child (f, "generate_button")));
  screenshot (GTK_WIDGET (f->window), "editor-midjourney-local-file");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, 0);
}

static gboolean
negative_shown (gpointer data)
{
  return gtk_widget_get_visible (child (data, "negative_box"));
}

/* A template is its prompt and its negative prompt: jobs made after the
 * negative prompt changed do not claim the template either. */
static void
test_template_negative (Fixture       *f,
                        gconstpointer  data)
{
  GtkTextBuffer *negative;

  select_provider (f, "Replicate");
  choose_model (f, "sdxl");
  g_assert_true (easel_test_spin_until (negative_shown, f, 5000));
  set_prompt (f, "a quiet street after rain");
  negative = gtk_text_view_get_buffer (child (f, "negative_view"));
  gtk_text_buffer_set_text (negative, "blurry", -1);
  gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.save-template-as", NULL);
  answer_name ("Street");
  wait_template_label (f, "Street · version 1");

  generate (f, 0, 1);
  g_assert_cmpint (easel_job_get_template_version (last_job_with_prompt (f, "a quiet street after rain")), ==, 1);

  gtk_text_buffer_set_text (negative, "blurry, text", -1);
  generate (f, 1, 1);
  g_assert_cmpint (easel_job_get_template_id (last_job_with_prompt (f, "a quiet street after rain")), ==, 0);
}

/* The picture of Easel for its metainfo and README: a library, a prompt
 * being written, jobs running. `./build-aux/dev screenshots` copies it to
 * data/screenshots/. */
static gboolean
gallery_filled (gpointer data)
{
  Fixture *f = data;
  GListModel *model = easel_gallery_view_get_model (EASEL_GALLERY_VIEW (easel_window_get_gallery_view (f->window)));

  return model != NULL && g_list_model_get_n_items (model) >= 200;
}

static gboolean
jobs_running (gpointer data)
{
  Fixture *f = data;
  guint running = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (f->queue)); i++)
    {
      g_autoptr(EaselJob) job = g_list_model_get_item (G_LIST_MODEL (f->queue), i);

      if (easel_job_get_state (job) != EASEL_JOB_QUEUED)
        running++;
    }
  return running >= 2;
}

static void
test_showcase (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = easel_test_images_generate (240, 7, g_get_real_time () - 20 * G_TIME_SPAN_DAY,
                                                          20 * G_TIME_SPAN_DAY);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) hashes = NULL;
  g_autoptr(GError) error = NULL;
  const char *prompts[] = { "a lighthouse on a cliff at dawn, oil painting",
                            "a fox in a snowy birch forest, watercolor" };

  g_assert_nonnull (easel_store_run_sync (f->store, easel_test_images_insert_func, rows, &error));
  g_assert_no_error (error);
  easel_test_write_files (rows, f->dir, 320, 60);
  /* Reported as added at once into the empty grid of a window whose
   * gallery is three columns wide: the columns change while the grid is
   * allocated, which GTK 4.8's grid view must not see (it aborted). */
  for (guint i = 0; i < rows->len; i++)
    g_strv_builder_add (builder, ((EaselTestImage *) rows->pdata[i])->hash);
  hashes = g_strv_builder_end (builder);
  easel_library_images_added (f->library, (const char * const *) hashes);
  g_assert_true (easel_test_spin_until (gallery_filled, f, 20000));

  /* Two jobs on their way, the next prompt being written. */
  select_provider (f, "Replicate");
  choose_model (f, "schnell");
  for (guint i = 0; i < G_N_ELEMENTS (prompts); i++)
    {
      set_prompt (f, prompts[i]);
      wait_ready (f);
      gtk_widget_activate_action (GTK_WIDGET (f->pane), "editor.generate", NULL);
      wait_jobs (f, i + 1);
    }
  easel_job_queue_set_paused (f->queue, FALSE);
  g_assert_true (easel_test_spin_until (jobs_running, f, 20000));
  set_prompt (f, "a misty harbour at blue hour, {watercolor|ink wash}");
  wait_ms (1500);

  screenshot (GTK_WIDGET (f->window), "main-window-showcase");
  easel_test_load_style (TRUE);
  wait_ms (500);
  screenshot (GTK_WIDGET (f->window), "main-window-showcase-dark");
  easel_test_load_style (FALSE);
}

int
main (int   argc,
      char *argv[])
{
  if (!easel_test_init_ui (&argc, &argv))
    return 0;

  g_test_add ("/Easel/Editor/generate", Fixture, NULL, fixture_set_up, test_generate, fixture_tear_down);
  g_test_add ("/Easel/Editor/showcase", Fixture, NULL, fixture_set_up, test_showcase, fixture_tear_down);
  g_test_add ("/Easel/Editor/template-batch", Fixture, NULL, fixture_set_up, test_template_batch, fixture_tear_down);
  g_test_add ("/Easel/Editor/over-budget", Fixture, NULL, fixture_set_up, test_over_budget, fixture_tear_down);
  g_test_add ("/Easel/Editor/history", Fixture, NULL, fixture_set_up, test_history, fixture_tear_down);
  g_test_add ("/Easel/Editor/reuse", Fixture, NULL, fixture_set_up, test_reuse, fixture_tear_down);
  g_test_add ("/Easel/Editor/drop-references", Fixture, NULL, fixture_set_up, test_drop_references, fixture_tear_down);
  g_test_add ("/Easel/Editor/enhance", Fixture, NULL, fixture_set_up, test_enhance, fixture_tear_down);
  g_test_add ("/Easel/Editor/midjourney", Fixture, NULL, fixture_set_up, test_midjourney, fixture_tear_down);
  g_test_add ("/Easel/Editor/template-menu", Fixture, NULL, fixture_set_up, test_template_menu, fixture_tear_down);
  g_test_add ("/Easel/Editor/template-negative", Fixture, NULL, fixture_set_up, test_template_negative,
              fixture_tear_down);
  g_test_add ("/Easel/Editor/request-view", Fixture, NULL, fixture_set_up, test_request_view, fixture_tear_down);
  g_test_add ("/Easel/Editor/midjourney-local-file", Fixture, NULL, fixture_set_up, test_midjourney_local_file,
              fixture_tear_down);

  return g_test_run ();
}
