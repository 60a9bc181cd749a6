/* easel-cli-jobs.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `easel generate`, `easel jobs` and `easel resume`: the job engine without
 * a window. They use the same store, queue and downloader as the window,
 * so jobs queued here show up there and the other way round, and a run
 * that is killed is finished by `easel resume` without sending anything
 * twice (the queue reconciles jobs caught mid-submit). */

#include "config.h"

#include "easel-cli-jobs.h"

#include <errno.h>
#include <string.h>

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "easel-budget.h"
#include "easel-budget-left.h"
#include "easel-cli.h"
#include "easel-cli-account.h"
#include "easel-downloader.h"
#include "easel-error.h"
#include "easel-image-store.h"
#include "easel-job-queue.h"
#include "easel-job-store.h"
#include "easel-provider-registry.h"
#include "easel-store.h"
#include "easel-template.h"
#include "easel-template-store.h"

#define MAX_PROMPT_FILE (16 * 1024 * 1024)
/* The most jobs one command queues (also what a window takes at once). */
#define MAX_BATCH 10000
#define DEFAULT_BATCH_CONFIRM_SIZE 100

typedef struct
{
  EaselStore      *store;
  EaselImageStore *images;
  EaselDownloader *downloader;
  EaselBudget     *budget;
  GSettings       *settings;
  EaselAccounts   *accounts;
  EaselJobQueue   *queue;
  GMainLoop       *loop;
  GPtrArray       *watched;    /* EaselJob we report on */
  FILE            *out;
  FILE            *err;
  GError          *error;
  guint            done;
  gboolean         interrupted;
} Engine;

static void
engine_free (Engine *engine)
{
  if (engine->watched != NULL)
    {
      for (guint i = 0; i < engine->watched->len; i++)
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (engine->watched, i), engine);
      g_ptr_array_unref (engine->watched);
    }
  if (engine->queue != NULL)
    g_object_run_dispose (G_OBJECT (engine->queue));
  g_clear_object (&engine->queue);
  if (engine->store != NULL)
    easel_store_close (engine->store);
  g_clear_object (&engine->store);
  g_clear_object (&engine->downloader);
  g_clear_object (&engine->images);
  g_clear_object (&engine->budget);
  g_clear_object (&engine->accounts);
  g_clear_object (&engine->settings);
  g_clear_pointer (&engine->loop, g_main_loop_unref);
  g_clear_error (&engine->error);
  g_free (engine);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Engine, engine_free)

static Engine *
engine_open (FILE    *out,
             FILE    *err,
             GError **error)
{
  g_autoptr(Engine) engine = g_new0 (Engine, 1);

  engine->out = out;
  engine->err = err;
  engine->loop = g_main_loop_new (NULL, FALSE);
  engine->watched = g_ptr_array_new_with_free_func (g_object_unref);
  engine->store = easel_store_new (NULL);
  if (!easel_store_open_sync (engine->store, error))
    return NULL;

  engine->images = easel_image_store_new (NULL);
  engine->downloader = easel_downloader_new (engine->images, 4);
  engine->budget = easel_budget_new ();
  engine->settings = easel_cli_dup_settings ();
  if (engine->settings != NULL)
    easel_budget_bind_settings (engine->budget, engine->settings);
  /* Tokens are read from the keyring before any job can ask for one. */
  engine->accounts = easel_cli_load_accounts (engine->store, engine->settings, error);
  if (engine->accounts == NULL)
    return NULL;

  engine->queue = easel_job_queue_new (engine->store, engine->downloader, engine->budget,
                                       easel_accounts_lookup, g_object_ref (engine->accounts),
                                       g_object_unref);
  if (engine->settings != NULL)
    easel_job_queue_bind_settings (engine->queue, engine->settings);
  easel_accounts_bind_queue (engine->accounts, engine->queue);
  return g_steal_pointer (&engine);
}

static gboolean
quit_cb (gpointer user_data)
{
  Engine *engine = user_data;

  engine->interrupted = TRUE;
  g_main_loop_quit (engine->loop);
  return G_SOURCE_CONTINUE;
}

/* Runs the loop until @done or a signal; SIGINT and SIGTERM stop at once:
 * everything is in the store, and `easel resume` picks it up. */
static void
engine_run (Engine *engine)
{
  guint sigint = g_unix_signal_add (SIGINT, quit_cb, engine);
  guint sigterm = g_unix_signal_add (SIGTERM, quit_cb, engine);

  g_main_loop_run (engine->loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
}

static char *
excerpt (const char *text)
{
  g_autofree char *flat = g_strdup (text ? text : "");

  g_strdelimit (flat, "\r\n\t", ' ');
  if (g_utf8_strlen (flat, -1) <= 48)
    return g_steal_pointer (&flat);
  return g_strconcat (g_utf8_substring (flat, 0, 47), "…", NULL);
}

static void
report_job (Engine   *engine,
            EaselJob *job)
{
  g_autofree char *short_prompt = excerpt (easel_job_get_prompt (job));
  EaselJobState state = easel_job_get_state (job);
  int progress = easel_job_get_progress (job);

  if (state == EASEL_JOB_RUNNING && progress >= 0)
    fprintf (engine->out, "job %" G_GINT64_FORMAT " (%s): %s %d%%\n", easel_job_get_id (job),
             short_prompt, easel_job_state_to_string (state), progress);
  else
    fprintf (engine->out, "job %" G_GINT64_FORMAT " (%s): %s\n", easel_job_get_id (job),
             short_prompt, easel_job_state_to_string (state));

  if (state == EASEL_JOB_SUCCEEDED)
    {
      const char * const *outputs = easel_job_get_outputs (job);

      for (guint i = 0; outputs != NULL && outputs[i] != NULL; i++)
        fprintf (engine->out, "  %s\n", outputs[i]);
    }
  if (easel_job_state_is_terminal (state) && easel_job_get_error_message (job) != NULL)
    {
      fprintf (engine->err, "job %" G_GINT64_FORMAT ": %s\n", easel_job_get_id (job),
               easel_job_get_error_message (job));
      if (easel_job_get_remedy (job) != NULL)
        fprintf (engine->err, "  %s\n", easel_job_get_remedy (job));
    }
  fflush (engine->out);
}

static void
job_changed_cb (EaselJob   *job,
                GParamSpec *pspec,
                Engine     *engine)
{
  /* Progress is news only while running. */
  if (g_str_equal (pspec->name, "progress") && easel_job_get_state (job) != EASEL_JOB_RUNNING)
    return;
  report_job (engine, job);
}

static void
job_finished_cb (EaselJobQueue *queue,
                 EaselJob      *job,
                 Engine        *engine)
{
  if (!g_ptr_array_find (engine->watched, job, NULL))
    return;
  engine->done++;
  if (engine->done >= engine->watched->len)
    g_main_loop_quit (engine->loop);
}

static void
watch_jobs (Engine    *engine,
            GPtrArray *jobs)
{
  for (guint i = 0; i < jobs->len; i++)
    {
      EaselJob *job = g_ptr_array_index (jobs, i);

      g_ptr_array_add (engine->watched, g_object_ref (job));
      g_signal_connect (job, "notify::state", G_CALLBACK (job_changed_cb), engine);
      g_signal_connect (job, "notify::progress", G_CALLBACK (job_changed_cb), engine);
      if (!easel_job_get_active (job))
        engine->done++;
    }
  g_signal_connect (engine->queue, "job-finished", G_CALLBACK (job_finished_cb), engine);
}

static int
outcome (Engine *engine)
{
  if (engine->interrupted)
    {
      fprintf (engine->err, "%s\n", _("Interrupted. Run “easel resume” to finish the jobs."));
      return EASEL_CLI_STATUS_FAILED;
    }
  for (guint i = 0; i < engine->watched->len; i++)
    {
      if (easel_job_get_state (g_ptr_array_index (engine->watched, i)) != EASEL_JOB_SUCCEEDED)
        return EASEL_CLI_STATUS_FAILED;
    }
  return EASEL_CLI_STATUS_OK;
}

/**
 * easel_cli_result_cb:
 * @object: the source object
 * @result: the result
 * @user_data: a `GAsyncResult **` to store a reference to @result in
 *
 * A callback for easel_cli_wait_for().
 */
void
easel_cli_result_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * easel_cli_wait_for:
 * @slot: where easel_cli_result_cb() stores the result
 *
 * Runs the main context until the result is there: commands run one
 * operation at a time.
 *
 * Returns: (transfer none): the result
 */
GAsyncResult *
easel_cli_wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* With a window open, its queue runs the jobs (GApplication's D-Bus
 * interface: org.freedesktop.Application.ActivateAction "enqueue"). */
static gboolean
hand_to_window (GPtrArray  *requests,
                GError    **error)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) owner = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *json = NULL;
  g_autofree char *path = NULL;
  GVariantBuilder parameters;
  gboolean has_owner = FALSE;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return FALSE;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    return FALSE;

  owner = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", APP_ID), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 2000, NULL, NULL);
  if (owner == NULL)
    return FALSE;
  g_variant_get (owner, "(b)", &has_owner);
  if (!has_owner)
    return FALSE;

  json = easel_job_requests_to_json (requests);
  path = g_strconcat ("/", APP_ID, NULL);
  g_strdelimit (path, ".", '/');
  g_variant_builder_init (&parameters, G_VARIANT_TYPE ("av"));
  g_variant_builder_add (&parameters, "v", g_variant_new_string (json));
  reply = g_dbus_connection_call_sync (bus, APP_ID, path, "org.freedesktop.Application", "ActivateAction",
                                       g_variant_new ("(sava{sv})", "enqueue", &parameters, NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, error);
  return reply != NULL;
}

/* generate */

/**
 * easel_cli_parse_value:
 * @text: a parameter value as typed
 *
 * Returns: (transfer full): @text as JSON when it is a number, boolean,
 *   array or quoted string, otherwise as a string
 */
JsonNode *
easel_cli_parse_value (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  /* Numbers, booleans, arrays and quoted strings are JSON; anything else
   * ("16:9", "a fox") is a string. */
  if (json_parser_load_from_data (parser, text, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL &&
      !JSON_NODE_HOLDS_OBJECT (root))
    return json_node_copy (root);
  return json_node_init_string (json_node_alloc (), text);
}

/**
 * easel_cli_parse_params:
 * @params: (nullable): --param options, KEY=VALUE each
 * @object: where to set them
 * @command: the command, for the message
 * @err: where the error goes
 *
 * Returns: whether every option was KEY=VALUE
 */
gboolean
easel_cli_parse_params (GStrv        params,
                        JsonObject  *object,
                        const char  *command,
                        FILE        *err)
{
  for (guint i = 0; params != NULL && params[i] != NULL; i++)
    {
      const char *eq = strchr (params[i], '=');
      g_autofree char *key = NULL;

      if (eq == NULL || eq == params[i])
        {
          /* Translators: the first %s is a command such as generate */
          fprintf (err, _("easel %s: “%s” is not KEY=VALUE\n"), command, params[i]);
          return FALSE;
        }
      key = g_strndup (params[i], eq - params[i]);
      json_object_set_member (object, key, easel_cli_parse_value (eq + 1));
    }
  return TRUE;
}

/**
 * easel_cli_read_text:
 * @path: a file, or "-" for standard input
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the UTF-8 text of @path (at most 16 MiB), or
 *   %NULL with @error set
 */
char *
easel_cli_read_text (const char  *path,
                     GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (g_str_equal (path, "-"))
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
      g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();

      if (g_output_stream_splice (mem, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
        return NULL;
      length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (mem));
      contents = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (mem)), length);
    }
  else if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  if (length > MAX_PROMPT_FILE || strlen (contents) != length || !g_utf8_validate (contents, length, NULL))
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   _("“%s” is not a UTF-8 text file"), path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

static GPtrArray *
read_prompts (const char  *path,
              GError     **error)
{
  g_autofree char *contents = easel_cli_read_text (path, error);
  g_auto(GStrv) lines = NULL;
  GPtrArray *prompts;

  if (contents == NULL)
    return NULL;

  prompts = g_ptr_array_new_with_free_func (g_free);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (line[0] != '\0' && line[0] != '#')
        g_ptr_array_add (prompts, g_strdup (line));
    }
  return prompts;
}

static const char *
default_model (const char *provider)
{
  if (g_str_equal (provider, "midjourney"))
    return "midjourney";
  return "black-forest-labs/flux-schnell";
}

/* --var KEY=VALUE, repeatable: KEY → the list of its values. */
static JsonObject *
parse_vars (GStrv    vars,
            FILE    *err)
{
  g_autoptr(JsonObject) values = json_object_new ();

  for (guint i = 0; vars != NULL && vars[i] != NULL; i++)
    {
      const char *eq = strchr (vars[i], '=');
      g_autofree char *key = NULL;
      JsonArray *list;

      if (eq == NULL || eq == vars[i])
        {
          fprintf (err, _("easel generate: “%s” is not KEY=VALUE\n"), vars[i]);
          return NULL;
        }
      key = g_strndup (vars[i], eq - vars[i]);
      if (!easel_template_variable_name_is_valid (key))
        {
          fprintf (err, _("easel generate: “%s” is not a variable name: use letters, digits, “_” and “-”\n"), key);
          return NULL;
        }
      if (!json_object_has_member (values, key))
        json_object_set_array_member (values, key, json_array_new ());
      list = json_object_get_array_member (values, key);
      json_array_add_string_element (list, eq + 1);
    }
  return g_steal_pointer (&values);
}

/* Every --var names a variable of the text expanded. */
static gboolean
check_vars_used (JsonObject *values,
                 GPtrArray  *texts,
                 FILE       *err)
{
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonObjectIter iter;
  const char *name;

  for (guint i = 0; i < texts->len; i++)
    {
      g_auto(GStrv) names = easel_template_get_variable_names (g_ptr_array_index (texts, i));

      for (guint k = 0; names[k] != NULL; k++)
        g_hash_table_add (used, g_strdup (names[k]));
    }

  json_object_iter_init (&iter, values);
  while (json_object_iter_next (&iter, &name, NULL))
    {
      if (!g_hash_table_contains (used, name))
        {
          fprintf (err, _("easel generate: --var %s: no {{%s}} in the prompt\n"), name, name);
          return FALSE;
        }
    }
  return TRUE;
}

static EaselTemplate *
load_template (Engine      *engine,
               const char  *name,
               GError     **error)
{
  g_autoptr(EaselTemplateStore) templates = easel_template_store_new (engine->store);
  g_autoptr(GAsyncResult) result = NULL;

  easel_template_store_load_async (templates, 0, name, 0, NULL, easel_cli_result_cb, &result);
  return easel_template_store_load_finish (templates, easel_cli_wait_for (&result), error);
}

static char *
bindings_text (JsonObject *bindings)
{
  g_autoptr(GString) text = g_string_new (NULL);
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (bindings == NULL)
    return g_strdup ("");
  json_object_iter_init (&iter, bindings);
  while (json_object_iter_next (&iter, &name, &value))
    g_string_append_printf (text, "%s%s=%s", text->len > 0 ? ", " : "", name, json_node_get_string (value));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* What the limits leave, today and this month, before the batch: the
 * smallest of the overall and the provider's limits; -1 for no limit. */
static gboolean
remaining_budget (Engine      *engine,
                  const char  *provider,
                  gint64      *day,
                  gint64      *month,
                  GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  EaselBudgetLeft left;

  easel_budget_left_async (engine->budget, engine->store, provider, NULL, easel_cli_result_cb, &result);
  if (!easel_budget_left_finish (engine->budget, easel_cli_wait_for (&result), &left, error))
    return FALSE;
  *day = left.day;
  *month = left.month;
  return TRUE;
}

static void
print_remaining (FILE   *out,
                 gint64  left,
                 gint64  total,
                 const char *period_text)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (left < 0)
    return;
  before = easel_format_money (left);
  after = easel_format_money (left - total);
  /* Translators: the first %s is "today" or "this month", the others amounts of money */
  fprintf (out, _("Budget left %s: %s, %s after this batch\n"), period_text, before, after);
}

/* Lists the jobs of a dry run with their cost, the total and the budget. */
static gboolean
print_dry_run (Engine       *engine,
               GPtrArray    *requests,
               const char   *provider,
               const char   *model,
               EaselTemplate *template_,
               JsonObject   *param_object,
               GPtrArray    *bindings_of,
               FILE         *out,
               GError      **error)
{
  g_autoptr(EaselProvider) priced = NULL;
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), param_object);
  g_autofree char *param_text = json_to_string (node, FALSE);
  g_autofree char *money = NULL;
  gint64 total = 0, day, month;

  priced = easel_provider_registry_lookup_env (provider, NULL, NULL, error);
  if (priced == NULL)
    return FALSE;

  if (template_ != NULL)
    /* Translators: %u jobs on provider (model), from template “name” version N */
    fprintf (out, g_dngettext (GETTEXT_PACKAGE, "%u job on %s (%s) from template “%s” version %d:\n",
                               "%u jobs on %s (%s) from template “%s” version %d:\n", requests->len),
             requests->len, provider, model, template_->name, template_->version);
  else
    fprintf (out, g_dngettext (GETTEXT_PACKAGE, "%u job on %s (%s):\n", "%u jobs on %s (%s):\n",
                               requests->len),
             requests->len, provider, model);

  for (guint i = 0; i < requests->len; i++)
    {
      EaselJobRequest *request = g_ptr_array_index (requests, i);
      EaselCostEstimate estimate = { 0 };
      g_autofree char *cost = NULL;
      g_autofree char *bindings = NULL;

      if (!easel_provider_estimate_cost (priced, request->spec, &estimate, error))
        {
          easel_cost_estimate_clear (&estimate);
          g_prefix_error (error, _("Job %u: "), i + 1);
          return FALSE;
        }
      total += estimate.micros;
      cost = easel_format_money (estimate.micros);
      easel_cost_estimate_clear (&estimate);
      fprintf (out, "  %u. %s  %s  %s\n", i + 1, request->spec->prompt, param_text, cost);
      bindings = bindings_text (g_ptr_array_index (bindings_of, i));
      if (bindings[0] != '\0')
        fprintf (out, "     %s\n", bindings);
    }

  money = easel_format_money (total);
  /* Translators: %s is an amount of money */
  fprintf (out, _("Estimated cost: %s.\n"), money);
  if (!remaining_budget (engine, provider, &day, &month, error))
    return FALSE;
  if (day < 0 && month < 0)
    fprintf (out, "%s\n", _("No budget limit is set."));
  print_remaining (out, day, total, _("today"));
  print_remaining (out, month, total, _("this month"));
  return TRUE;
}

static guint
batch_confirm_size (Engine *engine)
{
  if (engine->settings == NULL)
    return DEFAULT_BATCH_CONFIRM_SIZE;
  return g_settings_get_uint (engine->settings, "batch-confirm-size");
}

static void
print_error (FILE         *err,
             const GError *error)
{
  fprintf (err, "easel generate: %s\n", error->message);
  if (error->domain == EASEL_ERROR && easel_error_get_remedy (error) != NULL)
    fprintf (err, "  %s\n", easel_error_get_remedy (error));
}

int
easel_cli_generate (int    argc,
                    char **argv,
                    FILE  *out,
                    FILE  *err)
{
  g_autofree char *provider = NULL, *model = NULL, *account = NULL, *from_file = NULL, *template_name = NULL;
  g_auto(GStrv) params = NULL, vars = NULL, rest = NULL;
  gboolean dry_run = FALSE, no_wait = FALSE, yes = FALSE;
  int count = 1;
  GOptionEntry entries[] = {
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider, NULL, "ID" },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model, NULL, "NAME" },
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, NULL, "NAME" },
    { "param", 0, 0, G_OPTION_ARG_STRING_ARRAY, &params, NULL, "KEY=VALUE" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, NULL, "N" },
    { "from-file", 0, 0, G_OPTION_ARG_FILENAME, &from_file, NULL, "FILE" },
    { "template", 0, 0, G_OPTION_ARG_STRING, &template_name, NULL, "NAME" },
    { "var", 0, 0, G_OPTION_ARG_STRING_ARRAY, &vars, NULL, "KEY=VALUE" },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, NULL, NULL },
    { "no-wait", 0, 0, G_OPTION_ARG_NONE, &no_wait, NULL, NULL },
    { "yes", 0, 0, G_OPTION_ARG_NONE, &yes, NULL, NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GPtrArray) prompts = NULL;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_job_request_free);
  g_autoptr(GPtrArray) bindings_of = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonObject) param_object = json_object_new ();
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(EaselTemplate) template_ = NULL;
  g_autoptr(Engine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  guint confirm_size;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (err, "easel generate: %s\n", error->message);
      return EASEL_CLI_STATUS_USAGE;
    }

  if (count < 1 || count > 1000)
    {
      fprintf (err, "easel generate: %s\n", _("--count must be from 1 to 1000"));
      return EASEL_CLI_STATUS_USAGE;
    }
  if (provider != NULL && easel_provider_registry_lookup (provider) == NULL)
    {
      fprintf (err, _("easel generate: unknown provider “%s”\n"), provider);
      return EASEL_CLI_STATUS_USAGE;
    }
  values = parse_vars (vars, err);
  if (values == NULL)
    return EASEL_CLI_STATUS_USAGE;

  if (!easel_cli_parse_params (params, param_object, "generate", err))
    return EASEL_CLI_STATUS_USAGE;

  if ((template_name != NULL) + (from_file != NULL) + (rest != NULL) > 1)
    {
      fprintf (err, "easel generate: %s\n",
               _("give prompts either as arguments, with --from-file or with --template"));
      return EASEL_CLI_STATUS_USAGE;
    }
  if (from_file != NULL)
    {
      prompts = read_prompts (from_file, &error);
      if (prompts == NULL)
        {
          fprintf (err, "easel generate: %s\n", error->message);
          return EASEL_CLI_STATUS_FAILED;
        }
    }
  else if (rest != NULL)
    {
      prompts = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (prompts, g_strjoinv (" ", rest));
    }
  else if (template_name == NULL)
    {
      fprintf (err, "easel generate: %s\n", _("no prompt given"));
      return EASEL_CLI_STATUS_USAGE;
    }
  if (prompts != NULL && prompts->len == 0)
    {
      fprintf (err, "easel generate: %s\n", _("no prompt given"));
      return EASEL_CLI_STATUS_USAGE;
    }

  engine = engine_open (out, err, &error);
  if (engine == NULL)
    {
      fprintf (err, "easel generate: %s\n", error->message);
      return EASEL_CLI_STATUS_FAILED;
    }

  /* A template brings its prompt, provider, model and parameters; the
   * options given here win. */
  if (template_name != NULL)
    {
      template_ = load_template (engine, template_name, &error);
      if (template_ == NULL)
        {
          print_error (err, error);
          return EASEL_CLI_STATUS_FAILED;
        }
      prompts = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (prompts, g_strdup (template_->body));
      if (provider == NULL && template_->provider != NULL &&
          easel_provider_registry_lookup (template_->provider) != NULL)
        {
          provider = g_strdup (template_->provider);
          if (model == NULL)
            model = g_strdup (template_->model);
        }
      if (template_->params != NULL)
        {
          JsonObjectIter iter;
          const char *key;
          JsonNode *value;

          json_object_iter_init (&iter, template_->params);
          while (json_object_iter_next (&iter, &key, &value))
            if (!json_object_has_member (param_object, key))
              json_object_set_member (param_object, key, json_node_copy (value));
        }
    }
  if (provider == NULL)
    provider = g_strdup ("replicate");
  if (model == NULL)
    model = g_strdup (default_model (provider));
  if (template_ != NULL && template_->negative != NULL && template_->negative[0] != '\0')
    {
      /* Midjourney's negative prompt is its --no parameter. */
      const char *key = g_str_equal (provider, "midjourney") ? "no" : "negative_prompt";

      if (!json_object_has_member (param_object, key))
        json_object_set_string_member (param_object, key, template_->negative);
    }

  if (!check_vars_used (values, prompts, err))
    return EASEL_CLI_STATUS_USAGE;

  /* Every prompt expands: {a|b}, {a, b} and {{variables}}. */
  for (guint i = 0; i < prompts->len; i++)
    {
      g_autoptr(GPtrArray) expansions = NULL;

      expansions = easel_template_expand (g_ptr_array_index (prompts, i),
                                          template_ != NULL ? template_->variables : NULL,
                                          values, MAX_BATCH, &error);
      if (expansions == NULL)
        {
          if (from_file != NULL)
            /* Translators: %u is a line of prompts, counting only prompts */
            g_prefix_error (&error, _("Prompt %u: "), i + 1);
          print_error (err, error);
          return EASEL_CLI_STATUS_FAILED;
        }
      if ((guint64) requests->len + (guint64) expansions->len * count > MAX_BATCH)
        {
          fprintf (err, _("easel generate: more than %d jobs at once; split the batch\n"), MAX_BATCH);
          return EASEL_CLI_STATUS_FAILED;
        }

      for (guint k = 0; k < expansions->len; k++)
        for (int c = 0; c < count; c++)
          {
            EaselExpansion *expansion = g_ptr_array_index (expansions, k);
            g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("cli", model, expansion->prompt);
            EaselJobRequest *request;

            json_object_unref (spec->params);
            spec->params = json_object_ref (param_object);
            request = easel_job_request_new (provider, account, spec);
            if (template_ != NULL)
              easel_job_request_set_template (request, template_->id, template_->version, expansion->bindings);
            g_ptr_array_add (requests, request);
            g_ptr_array_add (bindings_of, json_object_ref (expansion->bindings));
          }
    }

  if (dry_run)
    {
      if (!print_dry_run (engine, requests, provider, model, template_, param_object, bindings_of, out, &error))
        {
          print_error (err, error);
          return EASEL_CLI_STATUS_FAILED;
        }
      /* The budget is checked as queueing would, without queueing. */
      easel_job_queue_estimate_async (engine->queue, requests, NULL, easel_cli_result_cb, &result);
      easel_job_queue_estimate_finish (engine->queue, easel_cli_wait_for (&result), &error);
      if (error != NULL)
        {
          print_error (err, error);
          return EASEL_CLI_STATUS_FAILED;
        }
      confirm_size = batch_confirm_size (engine);
      if (requests->len > confirm_size)
        /* Translators: %u is a number of jobs */
        fprintf (out, _("More than %u jobs: running them needs --yes.\n"), confirm_size);
      fprintf (out, "%s\n", _("Nothing was sent."));
      return EASEL_CLI_STATUS_OK;
    }

  confirm_size = batch_confirm_size (engine);
  if (requests->len > confirm_size && !yes)
    {
      /* Translators: the first %u is a number of jobs, the second the batch-confirm-size setting */
      fprintf (err, _("easel generate: this makes %u jobs, more than %u; check them with --dry-run, then "
                      "run again with --yes\n"), requests->len, confirm_size);
      return EASEL_CLI_STATUS_FAILED;
    }

  if (hand_to_window (requests, &error))
    {
      fprintf (out, g_dngettext (GETTEXT_PACKAGE, "Handed %u job to the open Easel window\n",
                                 "Handed %u jobs to the open Easel window\n", requests->len),
               requests->len);
      return EASEL_CLI_STATUS_OK;
    }
  if (error != NULL)
    {
      fprintf (err, "easel generate: %s\n", error->message);
      return EASEL_CLI_STATUS_FAILED;
    }

  /* The budget is checked in the same transaction that queues the jobs:
   * an over-budget batch is refused before anything is sent. */
  easel_job_queue_enqueue_async (engine->queue, requests, NULL, easel_cli_result_cb, &result);
  jobs = easel_job_queue_enqueue_finish (engine->queue, easel_cli_wait_for (&result), &error);
  if (jobs == NULL)
    {
      print_error (err, error);
      return EASEL_CLI_STATUS_FAILED;
    }

  if (no_wait)
    {
      /* Queued in the store: the window or `easel resume` runs them. */
      easel_job_queue_set_paused (engine->queue, TRUE);
      for (guint i = 0; i < jobs->len; i++)
        fprintf (out, "job %" G_GINT64_FORMAT ": queued\n", easel_job_get_id (g_ptr_array_index (jobs, i)));
      return EASEL_CLI_STATUS_OK;
    }

  watch_jobs (engine, jobs);
  for (guint i = 0; i < jobs->len; i++)
    report_job (engine, g_ptr_array_index (jobs, i));
  if (engine->done < engine->watched->len)
    engine_run (engine);
  return outcome (engine);
}

/* resume */

int
easel_cli_resume (int    argc,
                  char **argv,
                  FILE  *out,
                  FILE  *err)
{
  g_autoptr(Engine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) active = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  GListModel *model;

  if (argc > 1)
    {
      fprintf (err, _("easel resume: unexpected argument “%s”\n"), argv[1]);
      return EASEL_CLI_STATUS_USAGE;
    }

  engine = engine_open (out, err, &error);
  if (engine == NULL)
    {
      fprintf (err, "easel resume: %s\n", error->message);
      return EASEL_CLI_STATUS_FAILED;
    }

  /* Only the unfinished jobs matter here. */
  easel_job_queue_set_paused (engine->queue, FALSE);
  easel_job_queue_load_async (engine->queue, NULL, easel_cli_result_cb, &result);
  if (!easel_job_queue_load_finish (engine->queue, easel_cli_wait_for (&result), &error))
    {
      fprintf (err, "easel resume: %s\n", error->message);
      return EASEL_CLI_STATUS_FAILED;
    }

  model = G_LIST_MODEL (engine->queue);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(EaselJob) job = g_list_model_get_item (model, i);

      if (easel_job_get_active (job))
        g_ptr_array_add (active, g_object_ref (job));
    }

  if (active->len == 0)
    {
      fprintf (out, "%s\n", _("No unfinished jobs."));
      return EASEL_CLI_STATUS_OK;
    }

  fprintf (out, g_dngettext (GETTEXT_PACKAGE, "Resuming %u job\n", "Resuming %u jobs\n", active->len),
           active->len);
  watch_jobs (engine, active);
  for (guint i = 0; i < active->len; i++)
    report_job (engine, g_ptr_array_index (active, i));
  if (engine->done < engine->watched->len)
    engine_run (engine);
  return outcome (engine);
}

/* jobs */

typedef struct
{
  char  *state;
  guint  limit;
} ListArgs;

static gpointer
list_in_thread (EaselDb   *db,
                gpointer   data,
                GError   **error)
{
  ListArgs *args = data;

  return easel_job_store_list (db, args->state, args->limit, error);
}

int
easel_cli_jobs (int    argc,
                char **argv,
                FILE  *out,
                FILE  *err)
{
  g_autofree char *state = NULL;
  gboolean json = FALSE;
  int limit = 100;
  GOptionEntry entries[] = {
    { "state", 0, 0, G_OPTION_ARG_STRING, &state, NULL, "STATE" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, NULL, "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(EaselStore) store = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  EaselJobState parsed;
  ListArgs args;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (err, "easel jobs: %s\n", error->message);
      return EASEL_CLI_STATUS_USAGE;
    }
  if (state != NULL && !easel_job_state_from_string (state, &parsed))
    {
      fprintf (err, _("easel jobs: unknown state “%s”\n"), state);
      return EASEL_CLI_STATUS_USAGE;
    }
  if (limit < 1)
    limit = 1;

  store = easel_store_new (NULL);
  if (!easel_store_open_sync (store, &error))
    {
      fprintf (err, "easel jobs: %s\n", error->message);
      return EASEL_CLI_STATUS_FAILED;
    }

  args.state = state;
  args.limit = (guint) limit;
  records = easel_store_run_sync (store, list_in_thread, &args, &error);
  easel_store_close (store);
  if (records == NULL)
    {
      fprintf (err, "easel jobs: %s\n", error->message);
      return EASEL_CLI_STATUS_FAILED;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < records->len; i++)
        {
          EaselJobRecord *r = g_ptr_array_index (records, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, r->id);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, easel_job_state_to_string (r->state));
          json_builder_set_member_name (builder, "provider");
          json_builder_add_string_value (builder, r->provider);
          json_builder_set_member_name (builder, "model");
          json_builder_add_string_value (builder, r->model);
          json_builder_set_member_name (builder, "prompt");
          json_builder_add_string_value (builder, r->prompt);
          json_builder_set_member_name (builder, "attempt");
          json_builder_add_int_value (builder, r->attempt);
          json_builder_set_member_name (builder, "created_at");
          json_builder_add_int_value (builder, r->created_at);
          json_builder_set_member_name (builder, "estimate_micros");
          json_builder_add_int_value (builder, r->estimate);
          json_builder_set_member_name (builder, "cost_micros");
          if (r->cost >= 0)
            json_builder_add_int_value (builder, r->cost);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "error_code");
          if (r->error_code != NULL)
            json_builder_add_string_value (builder, r->error_code);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "error");
          if (r->error_message != NULL)
            json_builder_add_string_value (builder, r->error_message);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "outputs");
          json_builder_begin_array (builder);
          for (guint k = 0; r->outputs != NULL && r->outputs[k] != NULL; k++)
            json_builder_add_string_value (builder, r->outputs[k]);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      text = json_to_string (root, TRUE);
      fprintf (out, "%s\n", text);
      return EASEL_CLI_STATUS_OK;
    }

  for (guint i = 0; i < records->len; i++)
    {
      EaselJobRecord *r = g_ptr_array_index (records, i);
      g_autofree char *short_prompt = excerpt (r->prompt);

      fprintf (out, "%6" G_GINT64_FORMAT "  %-15s  %-10s  %s\n", r->id,
               easel_job_state_to_string (r->state), r->provider, short_prompt);
    }
  return EASEL_CLI_STATUS_OK;
}
