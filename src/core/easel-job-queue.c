/* easel-job-queue.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The job engine (DESIGN.md, "Data flow of one job").
 *
 * A job exists in the store before it exists anywhere else: enqueue checks
 * the budget and writes the jobs and their estimates in one transaction,
 * and only then may the scheduler send them. Every state change is written
 * through the store's FIFO, and the "submitting" state is on disk before
 * the request leaves, so that after a crash a job caught mid-submit is
 * reconciled with the provider's own list, never sent again blindly. A
 * submit whose outcome stays unknown becomes needs-attention.
 *
 * The scheduler starts queued jobs in FIFO order while their account has a
 * free slot (a job holds its slot from submitting until the provider says
 * it is over). A provider that still answers 429 puts the job back in the
 * queue with a delay: another client may have taken the slots.
 *
 * Reference images that are local files are uploaded through the provider
 * just before the submit, while the job is still "queued" on disk: an
 * upload is not billed, so after a crash it is simply done again, and the
 * billable submit keeps its exactly-once journal. The spec in the store
 * keeps the references as the user chose them (by hash); the addresses go
 * only into the copy that is sent. A reference that cannot be found or
 * uploaded fails the job: it is never sent without it.
 *
 * Finished jobs are downloaded at once (outputs expire at the providers),
 * and the images, the outputs and the settled cost go into the store in one
 * transaction. The queue is a GListModel of EaselJob for the job sidebar;
 * the UI only calls the public functions and binds to the jobs' properties.
 */

#include "config.h"

#include "easel-job-queue.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-error.h"
#include "easel-job-store.h"
#include "easel-json.h"
#include "easel-provider-registry.h"
#include "easel-template.h"
#include "easel-reference.h"

#define FINISHED_TO_LOAD 200
#define RATE_LIMIT_DELAY_MS (15 * 1000)
#define WATCH_RETRY_DELAY_MS (5 * 1000)
#define WATCH_MAX_FAILURES 5
#define RECONCILE_MAX_TRIES 4
/* A lost submit is looked for 3 + 6 + 9 s after the first try: a list
 * lagging behind catches up in that time, and the job holds a slot. */
#define RECONCILE_DELAY_MS (3 * 1000)
#define DEFAULT_LIMIT_REPLICATE 4
#define DEFAULT_LIMIT_OTHER 3

typedef struct _Run Run;

struct _EaselJobQueue
{
  GObject              parent_instance;

  EaselStore          *store;
  EaselDownloader     *downloader;
  EaselBudget         *budget;
  EaselProviderLookup  lookup;
  gpointer             lookup_data;
  GDestroyNotify       lookup_destroy;

  GHashTable          *providers;     /* "provider\naccount" → EaselProvider */
  GPtrArray           *items;         /* EaselJob, in the order they were added */
  GHashTable          *runs;          /* EaselJob → Run, for unfinished jobs */
  GHashTable          *limits;        /* slot key → GUINT max */
  GHashTable          *used;          /* slot key → GUINT in use */
  GCancellable        *cancellable;   /* cancelled on dispose */

  guint                schedule_id;
  guint                wake_id;
  guint                retry_delay_ms;
  gboolean             paused;
  gboolean             disposed;
};

struct _Run
{
  EaselJobQueue  *queue;          /* borrowed */
  EaselJob       *job;
  EaselJobWatch  *watch;
  EaselRemoteJob *remote;         /* the last snapshot from the provider */
  EaselJobSpec   *resolved;       /* what is sent: the spec with its references in place */
  guint           next_reference; /* the next one to place in @resolved */
  GPtrArray      *outputs;        /* EaselOutputRecord while downloading */
  guint           downloads_left;
  guint           watch_requests; /* already counted into the job */
  guint           watch_failures;
  guint           reconcile_tries;
  gboolean        reconciling;    /* looking for a submit of unknown outcome */
  gint64          not_before;     /* µs, monotonic: do not send before */
  guint           timer_id;
  char           *slot_key;
  char           *kind_key;       /* slot_key + "\nimage" or "\nvideo" */
  gboolean        holds_slot;
  gboolean        cancel_requested;
  gboolean        busy;           /* an operation is in flight */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EaselJobQueue, easel_job_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_PAUSED,
  PROP_N_ACTIVE,
  PROP_N_FINISHED,
  PROP_SLOTS_SUMMARY,
  N_PROPS
};

enum {
  JOB_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void schedule             (EaselJobQueue  *self);
static void start_watch          (Run            *run);
static void start_reconcile      (Run            *run);
static void start_downloads      (Run            *run);
static void finish_job           (Run            *run,
                                  EaselJobState   state,
                                  const GError   *error,
                                  gboolean        settle);

/* Requests */

/**
 * easel_job_request_new:
 * @provider: a provider id
 * @account: (nullable): an account name
 * @spec: what to run
 *
 * Returns: (transfer full): a request
 */
EaselJobRequest *
easel_job_request_new (const char   *provider,
                       const char   *account,
                       EaselJobSpec *spec)
{
  EaselJobRequest *self;

  g_return_val_if_fail (provider != NULL, NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  self = g_new0 (EaselJobRequest, 1);
  self->provider = g_strdup (provider);
  self->account = g_strdup (account);
  self->spec = easel_job_spec_ref (spec);
  return self;
}

/**
 * easel_job_request_set_template:
 * @self: a request
 * @template_id: the template @self's prompt was expanded from, 0 for none
 * @version: the template's version, from 1
 * @bindings: (nullable): the value of each variable (name → text), as
 *   easel_template_expand() gives them
 *
 * Records where the job comes from: the store keeps it with the job and
 * one row per binding, for `template:` and `var:` searches.
 */
void
easel_job_request_set_template (EaselJobRequest *self,
                                gint64           template_id,
                                int              version,
                                JsonObject      *bindings)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (template_id >= 0);

  self->template_id = template_id;
  self->template_version = template_id > 0 ? version : 0;
  g_clear_pointer (&self->template_bindings, json_object_unref);
  if (template_id > 0 && bindings != NULL)
    self->template_bindings = json_object_ref (bindings);
}

/**
 * easel_job_request_free:
 * @self: (nullable) (transfer full): a request
 */
void
easel_job_request_free (EaselJobRequest *self)
{
  if (self == NULL)
    return;

  g_free (self->provider);
  g_free (self->account);
  easel_job_spec_unref (self->spec);
  g_clear_pointer (&self->template_bindings, json_object_unref);
  g_free (self);
}

/**
 * easel_job_requests_to_json:
 * @requests: (element-type EaselJobRequest): jobs to hand over
 *
 * Returns: (transfer full): @requests as JSON, for handing jobs from the
 *   command line to the open window
 */
char *
easel_job_requests_to_json (GPtrArray *requests)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (requests != NULL, NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < requests->len; i++)
    {
      EaselJobRequest *request = g_ptr_array_index (requests, i);
      g_autofree char *spec = easel_job_spec_to_json (request->spec);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "provider");
      json_builder_add_string_value (builder, request->provider);
      json_builder_set_member_name (builder, "account");
      json_builder_add_string_value (builder, request->account ? request->account : "");
      json_builder_set_member_name (builder, "spec");
      json_builder_add_string_value (builder, spec);
      if (request->template_id > 0)
        {
          json_builder_set_member_name (builder, "template_id");
          json_builder_add_int_value (builder, request->template_id);
          json_builder_set_member_name (builder, "template_version");
          json_builder_add_int_value (builder, request->template_version);
          if (request->template_bindings != NULL)
            {
              g_autoptr(JsonNode) bindings = json_node_init_object (json_node_alloc (),
                                                                    request->template_bindings);

              json_builder_set_member_name (builder, "template_bindings");
              json_builder_add_value (builder, json_node_copy (bindings));
            }
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* The provenance of a request handed over as JSON: a positive template
 * id and version, and bindings that map names to text. */
static gboolean
request_template_from_json (EaselJobRequest  *request,
                            JsonObject       *object,
                            GError          **error)
{
  JsonNode *id = json_object_get_member (object, "template_id");
  JsonNode *version = json_object_get_member (object, "template_version");
  JsonNode *bindings = json_object_get_member (object, "template_bindings");
  JsonObject *checked = NULL;

  if (!JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_INT64 ||
      json_node_get_int (id) < 1 || version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64 || json_node_get_int (version) < 1 ||
      json_node_get_int (version) > G_MAXINT)
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER, "bad template of a job");
      return FALSE;
    }
  if (bindings != NULL && !JSON_NODE_HOLDS_NULL (bindings))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (bindings))
        {
          g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER, "bad template bindings of a job");
          return FALSE;
        }
      checked = json_node_get_object (bindings);
      json_object_iter_init (&iter, checked);
      while (json_object_iter_next (&iter, &name, &value))
        {
          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            {
              g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                                   "bad template bindings of a job");
              return FALSE;
            }
        }
    }
  easel_job_request_set_template (request, json_node_get_int (id), (int) json_node_get_int (version), checked);
  return TRUE;
}

/**
 * easel_job_requests_from_json:
 * @json: what easel_job_requests_to_json() wrote
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type EaselJobRequest): the
 *   requests, or %NULL with @error set
 */
GPtrArray *
easel_job_requests_from_json (const char  *json,
                              GError     **error)
{
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_job_request_free);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  g_return_val_if_fail (json != NULL, NULL);

  root = easel_json_parse (json, strlen (json), error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER, "not a list of jobs");
      return NULL;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array) && i < 10000; i++)
    {
      JsonObject *object = easel_json_expect_object (json_array_get_element (array, i), "job", error);
      const char *provider = NULL, *account = NULL, *spec_json = NULL;
      g_autoptr(EaselJobSpec) spec = NULL;
      EaselJobRequest *request;

      if (object == NULL ||
          !easel_json_get_string (object, "provider", TRUE, &provider, error) ||
          !easel_json_get_string (object, "account", FALSE, &account, error) ||
          !easel_json_get_string (object, "spec", TRUE, &spec_json, error) ||
          (spec = easel_job_spec_new_from_json (spec_json, error)) == NULL)
        return NULL;
      request = easel_job_request_new (provider, account && account[0] ? account : NULL, spec);
      g_ptr_array_add (requests, request);
      if (json_object_has_member (object, "template_id") &&
          !request_template_from_json (request, object, error))
        return NULL;
    }
  return g_steal_pointer (&requests);
}

/* GListModel */

static GType
get_item_type (GListModel *model)
{
  return EASEL_TYPE_JOB;
}

static guint
get_n_items (GListModel *model)
{
  return EASEL_JOB_QUEUE (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  EaselJobQueue *self = EASEL_JOB_QUEUE (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Bookkeeping */

static char *
make_slot_key (const char *provider,
               const char *account)
{
  return g_strdup_printf ("%s\n%s", provider, account ? account : "");
}

static guint
slot_limit (EaselJobQueue *self,
            const char    *key)
{
  gpointer value;

  if (g_hash_table_lookup_extended (self->limits, key, NULL, &value))
    return GPOINTER_TO_UINT (value);
  return g_str_has_prefix (key, "replicate\n") ? DEFAULT_LIMIT_REPLICATE : DEFAULT_LIMIT_OTHER;
}

static guint
slot_used (EaselJobQueue *self,
           const char    *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->used, key));
}

static void
notify_counts (EaselJobQueue *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ACTIVE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FINISHED]);
}

static void
take_slot (Run *run)
{
  EaselJobQueue *self = run->queue;

  if (run->holds_slot)
    return;
  run->holds_slot = TRUE;
  g_hash_table_replace (self->used, g_strdup (run->slot_key),
                        GUINT_TO_POINTER (slot_used (self, run->slot_key) + 1));
  g_hash_table_replace (self->used, g_strdup (run->kind_key),
                        GUINT_TO_POINTER (slot_used (self, run->kind_key) + 1));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLOTS_SUMMARY]);
}

static void
release_slot (Run *run)
{
  EaselJobQueue *self = run->queue;
  guint used;

  if (!run->holds_slot)
    return;
  run->holds_slot = FALSE;
  used = slot_used (self, run->slot_key);
  g_hash_table_replace (self->used, g_strdup (run->slot_key), GUINT_TO_POINTER (used > 0 ? used - 1 : 0));
  used = slot_used (self, run->kind_key);
  g_hash_table_replace (self->used, g_strdup (run->kind_key), GUINT_TO_POINTER (used > 0 ? used - 1 : 0));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLOTS_SUMMARY]);
  schedule (self);
}

static void
run_free (Run *run)
{
  g_clear_handle_id (&run->timer_id, g_source_remove);
  if (run->watch != NULL)
    {
      g_signal_handlers_disconnect_by_data (run->watch, run);
      easel_job_watch_stop (run->watch);
      g_clear_object (&run->watch);
    }
  g_clear_pointer (&run->remote, easel_remote_job_unref);
  g_clear_pointer (&run->resolved, easel_job_spec_unref);
  g_clear_pointer (&run->outputs, g_ptr_array_unref);
  g_clear_object (&run->job);
  g_free (run->slot_key);
  g_free (run->kind_key);
  g_free (run);
}

static Run *
run_new (EaselJobQueue *self,
         EaselJob      *job)
{
  Run *run = g_new0 (Run, 1);

  run->queue = self;
  run->job = g_object_ref (job);
  run->slot_key = make_slot_key (easel_job_get_provider (job), easel_job_get_account (job));
  run->kind_key = g_strconcat (run->slot_key, easel_job_is_video (job) ? "\nvideo" : "\nimage", NULL);
  g_hash_table_insert (self->runs, job, run);
  return run;
}

static Run *
lookup_run (EaselJobQueue *self,
            EaselJob      *job)
{
  return g_hash_table_lookup (self->runs, job);
}

/* The store */

static gpointer
update_in_thread (EaselDb   *db,
                  gpointer   data,
                  GError   **error)
{
  return GINT_TO_POINTER (easel_job_store_update (db, data, error));
}

static void
store_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (easel_store_run_finish (EASEL_STORE (object), result, &error) == NULL && error != NULL)
    g_warning ("Cannot save a job: %s", error->message);
}

/* Writes @job's state. The store runs work in order, so the file always
 * follows the order of the changes. */
static void
persist (EaselJobQueue       *self,
         EaselJob            *job,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  if (easel_job_get_id (job) == 0)
    return;

  easel_store_run_async (self->store, update_in_thread, easel_job_record_new_from_job (job),
                         (GDestroyNotify) easel_job_record_free, NULL,
                         callback ? callback : store_done_cb, user_data);
}

static void
set_state (Run           *run,
           EaselJobState  state)
{
  gboolean was_active = easel_job_get_active (run->job);

  easel_job_set_state (run->job, state);
  persist (run->queue, run->job, NULL, NULL);
  if (was_active != easel_job_get_active (run->job))
    notify_counts (run->queue);
}

static void
set_error (EaselJob     *job,
           const GError *error)
{
  const char *code = error->domain == EASEL_ERROR ? easel_error_code_to_string (error->code) : "failed";

  easel_job_set_error (job, code, error->message, easel_error_get_remedy (error));
}

/* Providers */

static EaselProvider *
get_provider (EaselJobQueue  *self,
              EaselJob       *job,
              GError        **error)
{
  g_autofree char *key = make_slot_key (easel_job_get_provider (job), easel_job_get_account (job));
  EaselProvider *provider = g_hash_table_lookup (self->providers, key);

  if (provider != NULL)
    return provider;

  provider = self->lookup (easel_job_get_provider (job), easel_job_get_account (job),
                           self->lookup_data, error);
  if (provider == NULL)
    return NULL;
  g_hash_table_insert (self->providers, g_steal_pointer (&key), provider);
  return provider;
}

/* Finishing */

static gpointer
finish_in_thread (EaselDb   *db,
                  gpointer   data,
                  GError   **error)
{
  gpointer *args = data;

  return GINT_TO_POINTER (easel_job_store_finish (db, args[0], args[1], GPOINTER_TO_INT (args[2]), error));
}

static void
finish_args_free (gpointer data)
{
  gpointer *args = data;

  easel_job_record_free (args[0]);
  if (args[1] != NULL)
    g_ptr_array_unref (args[1]);
  g_free (args);
}

/* Ends a job: its state, error and cost are written with its outputs in
 * one transaction. */
static void
finish_job (Run           *run,
            EaselJobState  state,
            const GError  *error,
            gboolean       settle)
{
  EaselJobQueue *self = run->queue;
  g_autoptr(EaselJob) job = g_object_ref (run->job);
  EaselJobRecord *record;
  gpointer *args;

  release_slot (run);
  if (error != NULL)
    set_error (job, error);
  easel_job_set_state (job, state);

  record = easel_job_record_new_from_job (job);
  if (settle && run->remote != NULL)
    {
      EaselProvider *provider = get_provider (self, job, NULL);
      EaselCostEstimate cost = { 0 };

      if (provider != NULL && easel_provider_actual_cost (provider, run->remote, &cost))
        {
          record->cost = cost.micros;
          record->estimate_exact = cost.exact;
          record->estimate_basis = g_steal_pointer (&cost.basis);
          easel_job_set_cost (job, cost.micros);
        }
      easel_cost_estimate_clear (&cost);
    }
  else if (settle)
    {
      /* Never sent, or not billed: it cost nothing. */
      record->cost = 0;
      record->estimate_exact = TRUE;
      easel_job_set_cost (job, 0);
    }

  args = g_new0 (gpointer, 3);
  args[0] = record;
  args[1] = run->outputs ? g_ptr_array_ref (run->outputs) : NULL;
  args[2] = GINT_TO_POINTER (settle);
  easel_store_run_async (self->store, finish_in_thread, args, finish_args_free, NULL, store_done_cb, NULL);

  g_hash_table_remove (self->runs, job);
  notify_counts (self);
  g_signal_emit (self, signals[JOB_FINISHED], 0, job);
  schedule (self);
}

/* Operations in flight hold the queue and the job */

typedef struct
{
  EaselJobQueue *queue;   /* strong */
  EaselJob      *job;     /* strong */
} Op;

static Op *
op_new (EaselJobQueue *self,
        EaselJob      *job)
{
  Op *op = g_new0 (Op, 1);

  op->queue = g_object_ref (self);
  op->job = g_object_ref (job);
  return op;
}

static void
op_free (Op *op)
{
  g_clear_object (&op->queue);
  g_clear_object (&op->job);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, op_free)

/* The run of an operation's job, or NULL when the queue or the job has
 * gone since the operation started. */
static Run *
op_run (Op *op)
{
  if (op->queue->disposed)
    return NULL;
  return lookup_run (op->queue, op->job);
}

/* Downloads */

typedef struct
{
  EaselJobQueue     *queue;     /* strong */
  EaselJob          *job;       /* strong */
  GPtrArray         *outputs;   /* strong: the run's array */
  EaselOutputRecord *output;    /* in @outputs */
} Download;

static void
download_free (Download *download)
{
  g_clear_object (&download->queue);
  g_clear_object (&download->job);
  g_clear_pointer (&download->outputs, g_ptr_array_unref);
  g_free (download);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Download, download_free)

static void
downloads_done (Run *run)
{
  EaselJobQueue *self = run->queue;
  EaselImageStore *images = easel_downloader_get_store (self->downloader);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) failure = NULL;
  const char *last_error = NULL;
  guint saved = 0;

  for (guint i = 0; i < run->outputs->len; i++)
    {
      EaselOutputRecord *output = g_ptr_array_index (run->outputs, i);

      if (output->image_path != NULL)
        {
          g_ptr_array_add (paths, easel_image_store_dup_path (images, output->image_path));
          saved++;
        }
      else
        last_error = output->error;
    }
  g_ptr_array_add (paths, NULL);
  easel_job_set_outputs (run->job, (const char * const *) paths->pdata);

  if (saved == run->outputs->len)
    {
      easel_job_set_error (run->job, NULL, NULL, NULL);
      finish_job (run, EASEL_JOB_SUCCEEDED, NULL, TRUE);
      return;
    }

  /* The provider billed the job either way; what could be saved is kept. */
  failure = g_error_new (EASEL_ERROR, EASEL_ERROR_FAILED,
                         /* Translators: two numbers of outputs, then an error message */
                         _("%u of %u outputs could not be saved: %s"),
                         run->outputs->len - saved, run->outputs->len, last_error ? last_error : "");
  finish_job (run, saved > 0 ? EASEL_JOB_SUCCEEDED : EASEL_JOB_FAILED, failure, TRUE);
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Download) download = user_data;
  g_autoptr(EaselStoredFile) stored = NULL;
  g_autoptr(GError) error = NULL;
  EaselOutputRecord *output = download->output;
  Run *run;

  stored = easel_downloader_fetch_finish (EASEL_DOWNLOADER (object), result, &error);
  if (download->queue->disposed || (run = lookup_run (download->queue, download->job)) == NULL ||
      run->outputs != download->outputs)
    return;

  if (stored != NULL)
    {
      output->image_hash = g_strdup (stored->hash);
      output->image_path = g_strdup (stored->relative_path);
      output->mime = g_strdup (stored->mime);
      output->bytes = (gint64) stored->size;
      output->width = (int) stored->width;
      output->height = (int) stored->height;
    }
  else
    output->error = g_strdup (error->message);

  if (--run->downloads_left == 0)
    downloads_done (run);
}

/* What an output must turn out to be: a video job's outputs are videos
 * when the provider says so (content type or file extension); anything
 * else, posters included, must be an image. */
static EaselDownloadKind
output_kind (Run               *run,
             EaselOutputRecord *output)
{
  g_autoptr(GUri) uri = NULL;
  const char *path;

  if (!easel_job_is_video (run->job))
    return EASEL_DOWNLOAD_KIND_IMAGE;
  if (output->content_type != NULL && g_str_has_prefix (output->content_type, "video/"))
    return EASEL_DOWNLOAD_KIND_VIDEO;

  uri = g_uri_parse (output->url, G_URI_FLAGS_NONE, NULL);
  path = uri ? g_uri_get_path (uri) : NULL;
  if (path != NULL && (g_str_has_suffix (path, ".mp4") || g_str_has_suffix (path, ".webm")))
    return EASEL_DOWNLOAD_KIND_VIDEO;
  return EASEL_DOWNLOAD_KIND_IMAGE;
}

static void
download_all (Run *run)
{
  EaselJobQueue *self = run->queue;

  run->downloads_left = 0;
  for (guint i = 0; i < run->outputs->len; i++)
    run->downloads_left += ((EaselOutputRecord *) g_ptr_array_index (run->outputs, i))->image_path == NULL;

  if (run->downloads_left == 0)
    {
      downloads_done (run);
      return;
    }

  for (guint i = 0; i < run->outputs->len; i++)
    {
      EaselOutputRecord *output = g_ptr_array_index (run->outputs, i);
      Download *download;

      if (output->image_path != NULL)
        continue;
      download = g_new0 (Download, 1);
      download->queue = g_object_ref (self);
      download->job = g_object_ref (run->job);
      download->outputs = g_ptr_array_ref (run->outputs);
      download->output = output;
      easel_downloader_fetch_async (self->downloader, output->url, output_kind (run, output),
                                    self->cancellable, download_cb, download);
    }
}

static gpointer
set_outputs_in_thread (EaselDb   *db,
                       gpointer   data,
                       GError   **error)
{
  gpointer *args = data;

  return GINT_TO_POINTER (easel_job_store_set_outputs (db, *(gint64 *) args[0], args[1], error));
}

static void
outputs_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GError) error = NULL;
  Run *run;

  easel_store_run_finish (EASEL_STORE (object), result, &error);
  if ((run = op_run (op)) == NULL)
    return;
  if (error != NULL)
    g_warning ("Cannot save a job’s outputs: %s", error->message);
  download_all (run);
}

static void
outputs_args_free (gpointer data)
{
  gpointer *args = data;

  g_free (args[0]);
  g_ptr_array_unref (args[1]);
  g_free (args);
}

/* The provider is done with the job: save where its outputs are (so a
 * restart can resume the downloads), then download them. */
static void
start_downloads (Run *run)
{
  EaselJobQueue *self = run->queue;
  gpointer *args;
  gint64 *id;

  g_clear_pointer (&run->outputs, g_ptr_array_unref);
  run->outputs = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_output_record_free);
  for (guint i = 0; i < run->remote->outputs->len; i++)
    {
      EaselRemoteOutput *remote = g_ptr_array_index (run->remote->outputs, i);
      EaselOutputRecord *output = g_new0 (EaselOutputRecord, 1);

      output->job_id = easel_job_get_id (run->job);
      output->position = (int) i;
      output->url = g_strdup (remote->url);
      output->width = remote->width;
      output->height = remote->height;
      output->content_type = g_strdup (remote->content_type);
      g_ptr_array_add (run->outputs, output);
    }

  if (run->outputs->len == 0)
    {
      g_autoptr(GError) error = g_error_new_literal (EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                                                     run->remote->data_removed
                                                     ? _("The provider has already deleted the outputs")
                                                     : _("The provider reported no outputs"));

      finish_job (run, EASEL_JOB_FAILED, error, TRUE);
      return;
    }

  set_state (run, EASEL_JOB_DOWNLOADING);

  args = g_new0 (gpointer, 2);
  id = g_new (gint64, 1);
  *id = easel_job_get_id (run->job);
  args[0] = id;
  args[1] = g_ptr_array_ref (run->outputs);
  easel_store_run_async (self->store, set_outputs_in_thread, args, outputs_args_free, NULL,
                         outputs_saved_cb, op_new (self, run->job));
}

/* Watching */

static void
apply_snapshot (Run            *run,
                EaselRemoteJob *remote)
{
  EaselJobState before = easel_job_get_state (run->job);
  int progress_before = easel_job_get_progress (run->job);

  g_clear_pointer (&run->remote, easel_remote_job_unref);
  run->remote = easel_remote_job_ref (remote);

  easel_job_set_remote (run->job, remote->remote_id, remote->status);
  if (remote->buttons != NULL)
    easel_job_set_buttons (run->job, (const char * const *) remote->buttons);
  if (remote->progress >= 0)
    easel_job_set_progress (run->job, remote->progress);
  if (remote->state == EASEL_REMOTE_STATE_RUNNING)
    easel_job_set_state (run->job, EASEL_JOB_RUNNING);

  /* Write state changes at once, progress in steps of 10 %. */
  if (before != easel_job_get_state (run->job) ||
      easel_job_get_progress (run->job) / 10 != progress_before / 10)
    persist (run->queue, run->job, NULL, NULL);
}

static void
count_watch_requests (Run *run)
{
  guint total = run->watch ? easel_job_watch_get_request_count (run->watch) : 0;

  if (total > run->watch_requests)
    {
      easel_job_add_requests (run->job, total - run->watch_requests);
      run->watch_requests = total;
    }
}

static void
watch_updated_cb (EaselJobWatch  *watch,
                  EaselRemoteJob *remote,
                  Run            *run)
{
  count_watch_requests (run);
  if (!easel_remote_job_is_terminal (remote))
    apply_snapshot (run, remote);
}

static gboolean
rewatch_cb (gpointer user_data)
{
  Run *run = user_data;

  run->timer_id = 0;
  start_watch (run);
  return G_SOURCE_REMOVE;
}

static void
watch_finished_cb (EaselJobWatch  *watch,
                   EaselRemoteJob *remote,
                   const GError   *error,
                   Run            *run)
{
  g_autoptr(EaselJobWatch) finished = NULL;
  g_autoptr(GError) remote_error = NULL;

  count_watch_requests (run);
  g_signal_handlers_disconnect_by_data (watch, run);
  finished = g_steal_pointer (&run->watch);
  run->watch_requests = 0;

  if (error != NULL)
    {
      /* The job itself may well still be running: watch again later,
       * unless the provider says it is gone or we may not ask. */
      if (g_error_matches (error, EASEL_ERROR, EASEL_ERROR_NOT_FOUND) ||
          g_error_matches (error, EASEL_ERROR, EASEL_ERROR_GONE))
        {
          finish_job (run, EASEL_JOB_FAILED, error, FALSE);
          return;
        }
      if (g_error_matches (error, EASEL_ERROR, EASEL_ERROR_UNAUTHORIZED) ||
          ++run->watch_failures > WATCH_MAX_FAILURES)
        {
          finish_job (run, EASEL_JOB_NEEDS_ATTENTION, error, FALSE);
          return;
        }
      set_error (run->job, error);
      run->timer_id = g_timeout_add (WATCH_RETRY_DELAY_MS * run->watch_failures, rewatch_cb, run);
      return;
    }

  run->watch_failures = 0;
  apply_snapshot (run, remote);
  release_slot (run);

  switch (remote->state)
    {
    case EASEL_REMOTE_STATE_SUCCEEDED:
      start_downloads (run);
      return;

    case EASEL_REMOTE_STATE_CANCELLED:
      finish_job (run, EASEL_JOB_CANCELLED, NULL, TRUE);
      return;

    case EASEL_REMOTE_STATE_ABORTED:
      remote_error = g_error_new_literal (EASEL_ERROR, EASEL_ERROR_FAILED,
                                          _("The job did not start before its deadline and was not billed"));
      finish_job (run, EASEL_JOB_CANCELLED, remote_error, TRUE);
      return;

    case EASEL_REMOTE_STATE_MODERATED:
      remote_error = g_error_new (EASEL_ERROR, EASEL_ERROR_MODERATED, "%s",
                                  remote->error_message ? remote->error_message
                                                        : _("The prompt or an image was refused by moderation"));
      finish_job (run, EASEL_JOB_FAILED, remote_error, TRUE);
      return;

    case EASEL_REMOTE_STATE_FAILED:
      if (run->cancel_requested)
        {
          finish_job (run, EASEL_JOB_CANCELLED, NULL, TRUE);
          return;
        }
      remote_error = g_error_new (EASEL_ERROR, EASEL_ERROR_FAILED, "%s",
                                  remote->error_message ? remote->error_message : _("The job failed"));
      finish_job (run, EASEL_JOB_FAILED, remote_error, TRUE);
      return;

    case EASEL_REMOTE_STATE_UNKNOWN:
    case EASEL_REMOTE_STATE_QUEUED:
    case EASEL_REMOTE_STATE_RUNNING:
    default:
      remote_error = g_error_new (EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                                  _("The provider reported the unknown state “%s”"),
                                  remote->status ? remote->status : "?");
      finish_job (run, EASEL_JOB_NEEDS_ATTENTION, remote_error, FALSE);
      return;
    }
}

static void
start_watch (Run *run)
{
  EaselJobQueue *self = run->queue;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselRemoteJob) snapshot = NULL;
  EaselProvider *provider = get_provider (self, run->job, &error);

  if (provider == NULL)
    {
      finish_job (run, EASEL_JOB_NEEDS_ATTENTION, error, FALSE);
      return;
    }

  take_slot (run);
  snapshot = run->remote ? easel_remote_job_ref (run->remote)
                         : easel_remote_job_new (easel_job_get_remote_id (run->job));
  run->watch = easel_provider_watch (provider, snapshot);
  g_signal_connect (run->watch, "updated", G_CALLBACK (watch_updated_cb), run);
  g_signal_connect (run->watch, "finished", G_CALLBACK (watch_finished_cb), run);
}

/* Submitting */

static gboolean
wake_cb (gpointer user_data)
{
  EaselJobQueue *self = user_data;

  self->wake_id = 0;
  schedule (self);
  return G_SOURCE_REMOVE;
}

static void
requeue_later (Run          *run,
               const GError *error)
{
  EaselJobQueue *self = run->queue;

  release_slot (run);
  easel_job_set_waiting_reason (run->job, NULL);
  easel_job_set_state (run->job, EASEL_JOB_QUEUED);
  easel_job_set_waiting_reason (run->job, _("Waiting for a free slot"));
  persist (self, run->job, NULL, NULL);
  notify_counts (self);
  run->not_before = g_get_monotonic_time () + (gint64) self->retry_delay_ms * 1000;
  if (self->wake_id == 0)
    self->wake_id = g_timeout_add (self->retry_delay_ms, wake_cb, self);
}

static void
submitted (Run            *run,
           EaselRemoteJob *remote)
{
  EaselJobQueue *self = run->queue;

  g_clear_pointer (&run->remote, easel_remote_job_unref);
  run->remote = easel_remote_job_ref (remote);
  run->reconciling = FALSE;
  easel_job_set_remote (run->job, remote->remote_id, remote->status);
  easel_job_set_error (run->job, NULL, NULL, NULL);
  set_state (run, EASEL_JOB_SUBMITTED);

  if (run->cancel_requested)
    {
      EaselProvider *provider = get_provider (self, run->job, NULL);

      if (provider != NULL)
        easel_provider_cancel_async (provider, remote->remote_id, NULL, NULL, NULL);
    }
  start_watch (run);
}

static void
submit_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(EaselRemoteJob) remote = NULL;
  g_autoptr(GError) error = NULL;
  Run *run;

  if (easel_job_get_action (op->job) != NULL)
    remote = easel_provider_run_action_finish (EASEL_PROVIDER (object), result, &error);
  else
    remote = easel_provider_submit_finish (EASEL_PROVIDER (object), result, &error);

  if ((run = op_run (op)) == NULL)
    return;   /* shutting down: the store says "submitting"; the next start reconciles */
  run->busy = FALSE;
  easel_job_add_requests (run->job, 1);

  if (remote != NULL)
    {
      submitted (run, remote);
      return;
    }

  if (g_error_matches (error, EASEL_ERROR, EASEL_ERROR_AMBIGUOUS) ||
      g_error_matches (error, EASEL_ERROR, EASEL_ERROR_UNTRACKED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_error (run->job, error);
      start_reconcile (run);
      return;
    }

  if (g_error_matches (error, EASEL_ERROR, EASEL_ERROR_RATE_LIMITED) && !run->cancel_requested)
    {
      requeue_later (run, error);
      return;
    }

  if (g_error_matches (error, EASEL_ERROR, EASEL_ERROR_NEEDS_ATTENTION))
    {
      finish_job (run, EASEL_JOB_NEEDS_ATTENTION, error, TRUE);
      return;
    }

  /* Refused: nothing runs, nothing is billed. */
  finish_job (run, run->cancel_requested ? EASEL_JOB_CANCELLED : EASEL_JOB_FAILED, error, TRUE);
}

static EaselRemoteJob *
parent_snapshot (EaselJobQueue *self,
                 EaselJob      *job)
{
  EaselRemoteJob *parent = NULL;

  for (guint i = 0; i < self->items->len; i++)
    {
      EaselJob *candidate = g_ptr_array_index (self->items, i);

      if (easel_job_get_id (candidate) == easel_job_get_parent_id (job) &&
          easel_job_get_remote_id (candidate) != NULL)
        {
          parent = easel_remote_job_new (easel_job_get_remote_id (candidate));
          parent->state = easel_job_get_state (candidate) == EASEL_JOB_SUCCEEDED
                          ? EASEL_REMOTE_STATE_SUCCEEDED : EASEL_REMOTE_STATE_UNKNOWN;
          parent->buttons = g_strdupv ((char **) easel_job_get_buttons (candidate));
          break;
        }
    }
  return parent;
}

static void
submitting_saved_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GError) error = NULL;
  EaselProvider *provider;
  EaselJobSpec *spec;
  Run *run;

  easel_store_run_finish (EASEL_STORE (object), result, &error);
  if ((run = op_run (op)) == NULL)
    return;

  if (error != NULL)
    {
      /* Not on disk: do not send it. */
      finish_job (run, EASEL_JOB_FAILED, error, TRUE);
      return;
    }

  if (run->cancel_requested)
    {
      finish_job (run, EASEL_JOB_CANCELLED, NULL, TRUE);
      return;
    }

  provider = get_provider (op->queue, op->job, &error);
  if (provider == NULL)
    {
      finish_job (run, EASEL_JOB_FAILED, error, TRUE);
      return;
    }

  /* The submit is not cancellable: once it may have left, only the
   * provider can tell what happened. */
  spec = run->resolved != NULL ? run->resolved : easel_job_get_spec (op->job);
  if (easel_job_get_action (op->job) != NULL)
    {
      g_autoptr(EaselRemoteJob) parent = parent_snapshot (op->queue, op->job);

      if (parent == NULL)
        {
          g_autoptr(GError) missing = g_error_new_literal (EASEL_ERROR, EASEL_ERROR_NOT_FOUND,
                                                           _("The job this action belongs to is gone"));

          finish_job (run, EASEL_JOB_FAILED, missing, TRUE);
          return;
        }
      const char *action = easel_job_get_action (op->job);

      easel_provider_run_action_async (provider, parent, action, spec,
                                       NULL, submit_cb, g_steal_pointer (&op));
    }
  else
    easel_provider_submit_async (provider, spec, NULL, submit_cb, g_steal_pointer (&op));
}

static void
begin_submitting (Run *run)
{
  EaselJobQueue *self = run->queue;

  set_state (run, EASEL_JOB_SUBMITTING);
  /* Sent only once "submitting" is on disk. */
  persist (self, run->job, submitting_saved_cb, op_new (self, run->job));
}

/* Reference images: placed in a copy of the spec, local files uploaded
 * first, one at a time. The job stays "queued" (and holds its slot) until
 * they are all in place. */

static gboolean
references_done (Run *run)
{
  GPtrArray *references = easel_job_get_spec (run->job)->references;

  return references == NULL || run->next_reference >= references->len;
}

static void
fail_references (Run          *run,
                 const GError *error)
{
  finish_job (run, run->cancel_requested ? EASEL_JOB_CANCELLED : EASEL_JOB_FAILED,
              run->cancel_requested ? NULL : error, TRUE);
}

static void place_references (Run *run);

static void
reference_uploaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  EaselJobSpecReference *reference;
  Run *run;

  url = easel_provider_upload_reference_finish (EASEL_PROVIDER (object), result, &error);
  if ((run = op_run (op)) == NULL)
    return;   /* shutting down: still "queued" on disk, the next start uploads again */

  if (url == NULL)
    {
      g_prefix_error (&error, _("Cannot upload a reference image: "));
      fail_references (run, error);
      return;
    }

  reference = g_ptr_array_index (easel_job_get_spec (run->job)->references, run->next_reference);
  if (!easel_reference_place (easel_job_get_provider (run->job), run->resolved,
                              reference->role, url, &error))
    {
      fail_references (run, error);
      return;
    }
  run->next_reference++;
  place_references (run);
}

static void
find_reference_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GError *error = NULL;
  GFile *file = easel_reference_find_file (task_data, &error);

  if (file == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, file, g_object_unref);
}

static void
reference_found_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  EaselProvider *provider;
  GCancellable *cancellable;
  Run *run;

  file = g_task_propagate_pointer (G_TASK (result), &error);
  if ((run = op_run (op)) == NULL)
    return;

  if (file == NULL || run->cancel_requested ||
      (provider = get_provider (op->queue, op->job, &error)) == NULL)
    {
      fail_references (run, error);
      return;
    }

  cancellable = op->queue->cancellable;
  easel_provider_upload_reference_async (provider, file, cancellable,
                                         reference_uploaded_cb, g_steal_pointer (&op));
}

static void
place_references (Run *run)
{
  EaselJobQueue *self = run->queue;
  GPtrArray *references = easel_job_get_spec (run->job)->references;

  while (!references_done (run))
    {
      EaselJobSpecReference *reference = g_ptr_array_index (references, run->next_reference);
      g_autoptr(GError) error = NULL;

      if (run->cancel_requested)
        {
          fail_references (run, NULL);
          return;
        }

      if (reference->url == NULL)
        {
          g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, reference_found_cb,
                                              op_new (self, run->job));

          /* The kept copy is looked for off the main loop. */
          g_task_set_source_tag (task, find_reference_thread);
          g_task_set_task_data (task, g_strdup (reference->hash), g_free);
          g_task_run_in_thread (task, find_reference_thread);
          return;
        }

      if (!easel_reference_place (easel_job_get_provider (run->job), run->resolved,
                                  reference->role, reference->url, &error))
        {
          fail_references (run, error);
          return;
        }
      run->next_reference++;
    }

  if (run->cancel_requested)
    {
      fail_references (run, NULL);
      return;
    }

  easel_job_set_waiting_reason (run->job, NULL);
  begin_submitting (run);
}

static void
start_submit (Run *run)
{
  EaselJobSpec *spec = easel_job_get_spec (run->job);
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  take_slot (run);
  run->busy = TRUE;

  /* Placed already when a 429 put the job back in the queue. */
  if (spec->references == NULL || spec->references->len == 0 || run->resolved != NULL)
    {
      begin_submitting (run);
      return;
    }

  json = easel_job_spec_to_json (spec);
  run->resolved = easel_job_spec_new_from_json (json, &error);
  if (run->resolved == NULL)
    {
      finish_job (run, EASEL_JOB_FAILED, error, TRUE);
      return;
    }
  run->next_reference = 0;
  easel_job_set_waiting_reason (run->job, _("Uploading reference images…"));
  place_references (run);
}

/* Reconciling */

static gboolean
reconcile_again_cb (gpointer user_data)
{
  Run *run = user_data;

  run->timer_id = 0;
  start_reconcile (run);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  GPtrArray  *candidates;   /* EaselRemoteJob */
  GPtrArray  *unclaimed;    /* the candidates no stored job holds */
  char       *provider;
} Claim;

static void
claim_free (Claim *claim)
{
  g_ptr_array_unref (claim->candidates);
  g_clear_pointer (&claim->unclaimed, g_ptr_array_unref);
  g_free (claim->provider);
  g_free (claim);
}

static gpointer
claim_in_thread (EaselDb   *db,
                 gpointer   data,
                 GError   **error)
{
  Claim *claim = data;
  g_autoptr(GPtrArray) unclaimed = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_remote_job_unref);

  for (guint i = 0; i < claim->candidates->len; i++)
    {
      EaselRemoteJob *candidate = g_ptr_array_index (claim->candidates, i);
      g_autoptr(GError) local_error = NULL;

      if (easel_job_store_remote_id_known (db, claim->provider, candidate->remote_id, &local_error))
        continue;
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_ptr_array_add (unclaimed, easel_remote_job_ref (candidate));
    }
  return g_steal_pointer (&unclaimed);
}

/* Whether a listed job already holds @remote_id: the store may not have it
 * yet (its write is queued), and two jobs with the same input reconciling
 * at once must not both take the one remote job that matches. */
static gboolean
remote_id_taken (EaselJobQueue *self,
                 const char    *provider,
                 const char    *remote_id)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      EaselJob *job = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (easel_job_get_remote_id (job), remote_id) == 0 &&
          g_strcmp0 (easel_job_get_provider (job), provider) == 0)
        return TRUE;
    }
  return FALSE;
}

static guint
reconcile_delay (EaselJobQueue *self,
                 Run           *run)
{
  return MIN (self->retry_delay_ms, RECONCILE_DELAY_MS) * run->reconcile_tries;
}

/* Whether another job of @run's account has a submit on the way: the remote
 * job it is creating may already be listed, matching the same input, yet
 * not be known as that job's until its answer arrives. */
static gboolean
submit_in_flight (EaselJobQueue *self,
                  Run           *run)
{
  GHashTableIter iter;
  Run *other;

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &other))
    if (other != run && !other->reconciling && other->busy &&
        easel_job_get_state (other->job) == EASEL_JOB_SUBMITTING &&
        g_strcmp0 (other->slot_key, run->slot_key) == 0)
      return TRUE;
  return FALSE;
}

static void
claimed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) unclaimed = NULL;
  Run *run;

  unclaimed = easel_store_run_finish (EASEL_STORE (object), result, &error);
  g_object_set_data (G_OBJECT (op->job), "easel-claim", NULL);
  if ((run = op_run (op)) == NULL)
    return;
  run->busy = FALSE;

  /* Decided on the main thread, where claims cannot interleave; and not
   * while a sibling's submit is on the way, as its remote job would look
   * like this one's. Waiting for it does not use up a try. */
  if (unclaimed != NULL && unclaimed->len > 0 && submit_in_flight (op->queue, run))
    {
      run->timer_id = g_timeout_add (MAX (reconcile_delay (op->queue, run), 100), reconcile_again_cb, run);
      return;
    }
  for (guint i = 0; unclaimed != NULL && i < unclaimed->len; i++)
    {
      EaselRemoteJob *candidate = g_ptr_array_index (unclaimed, i);

      if (!remote_id_taken (op->queue, easel_job_get_provider (op->job), candidate->remote_id))
        {
          submitted (run, candidate);
          return;
        }
    }

  /* Not there (yet): a request still in flight or a list that lags
   * behind. Ask again a few times before giving up. */
  if (++run->reconcile_tries < RECONCILE_MAX_TRIES)
    {
      run->timer_id = g_timeout_add (reconcile_delay (op->queue, run),
                                     reconcile_again_cb, run);
      return;
    }

  {
    g_autoptr(GError) unknown = g_error_new_literal (EASEL_ERROR, EASEL_ERROR_AMBIGUOUS,
                                                     _("Easel cannot tell whether the provider accepted this job. "
                                                       "It was not sent again; check the provider’s dashboard, "
                                                       "then retry it or dismiss it."));

    finish_job (run, EASEL_JOB_NEEDS_ATTENTION, unknown, FALSE);
  }
}

static void
found_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  EaselStore *store;
  Claim *claim;
  Run *run;

  candidates = easel_provider_find_submitted_finish (EASEL_PROVIDER (object), result, &error);
  if ((run = op_run (op)) == NULL)
    return;
  easel_job_add_requests (run->job, 1);

  if (candidates == NULL)
    {
      run->busy = FALSE;
      if (++run->reconcile_tries < RECONCILE_MAX_TRIES && easel_error_is_retryable (error))
        {
          run->timer_id = g_timeout_add (reconcile_delay (op->queue, run),
                                         reconcile_again_cb, run);
          return;
        }
      finish_job (run, EASEL_JOB_NEEDS_ATTENTION, error, FALSE);
      return;
    }

  /* One remote job can be the answer for one local job only. */
  claim = g_new0 (Claim, 1);
  claim->candidates = g_steal_pointer (&candidates);
  claim->provider = g_strdup (easel_job_get_provider (op->job));
  g_object_set_data_full (G_OBJECT (op->job), "easel-claim", claim, (GDestroyNotify) claim_free);
  store = op->queue->store;
  easel_store_run_async (store, claim_in_thread, claim, NULL, NULL, claimed_cb, g_steal_pointer (&op));
}

static void
start_reconcile (Run *run)
{
  EaselJobQueue *self = run->queue;
  g_autoptr(GError) error = NULL;
  EaselProvider *provider = get_provider (self, run->job, &error);

  if (provider == NULL)
    {
      finish_job (run, EASEL_JOB_NEEDS_ATTENTION, error, FALSE);
      return;
    }

  take_slot (run);
  run->busy = TRUE;
  run->reconciling = TRUE;
  easel_provider_find_submitted_async (provider, easel_job_get_spec (run->job),
                                       easel_job_get_created_at (run->job),
                                       self->cancellable, found_cb, op_new (self, run->job));
}

/* Scheduling */

static gboolean
schedule_cb (gpointer user_data)
{
  EaselJobQueue *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 next_wake = 0;

  self->schedule_id = 0;
  if (self->paused || self->disposed)
    return G_SOURCE_REMOVE;

  /* FIFO: the items are in the order the jobs were queued. */
  for (guint i = 0; i < self->items->len; i++)
    {
      EaselJob *job = g_ptr_array_index (self->items, i);
      Run *run;

      if (easel_job_get_state (job) != EASEL_JOB_QUEUED || easel_job_get_id (job) == 0 ||
          (run = lookup_run (self, job)) == NULL || run->busy)
        continue;

      if (run->not_before > now)
        {
          next_wake = next_wake == 0 ? run->not_before : MIN (next_wake, run->not_before);
          continue;
        }

      if (slot_used (self, run->slot_key) >= slot_limit (self, run->slot_key))
        continue;
      /* Midjourney also caps image and video jobs separately. */
      if (g_hash_table_contains (self->limits, run->kind_key) &&
          slot_used (self, run->kind_key) >= slot_limit (self, run->kind_key))
        continue;

      start_submit (run);
    }

  if (next_wake != 0 && self->wake_id == 0)
    self->wake_id = g_timeout_add ((guint) MAX ((next_wake - now) / 1000, 1), wake_cb, self);

  return G_SOURCE_REMOVE;
}

/* Coalesces: many changes in one main-loop iteration schedule once. */
static void
schedule (EaselJobQueue *self)
{
  if (self->schedule_id == 0 && !self->disposed)
    self->schedule_id = g_idle_add_full (G_PRIORITY_DEFAULT, schedule_cb, self, NULL);
}

/* Adding jobs */

static void
add_jobs (EaselJobQueue *self,
          GPtrArray     *jobs)
{
  guint position = self->items->len;

  for (guint i = 0; i < jobs->len; i++)
    {
      EaselJob *job = g_ptr_array_index (jobs, i);

      g_ptr_array_add (self->items, g_object_ref (job));
      if (easel_job_get_active (job))
        run_new (self, job);
    }

  if (jobs->len > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, jobs->len);
      notify_counts (self);
    }
}

static void
resume_job (EaselJobQueue *self,
            EaselJob      *job)
{
  Run *run = lookup_run (self, job);

  if (run == NULL)
    return;

  switch (easel_job_get_state (job))
    {
    case EASEL_JOB_QUEUED:
      break;
    case EASEL_JOB_SUBMITTING:
      /* Caught mid-submit: ask the provider, never resend. */
      start_reconcile (run);
      break;
    case EASEL_JOB_SUBMITTED:
    case EASEL_JOB_RUNNING:
    case EASEL_JOB_DOWNLOADING:
      /* Watch again; a finished job reports its outputs (fresh URLs) and
       * the downloads start over for what is not saved yet. */
      start_watch (run);
      break;
    case EASEL_JOB_SUCCEEDED:
    case EASEL_JOB_FAILED:
    case EASEL_JOB_CANCELLED:
    case EASEL_JOB_NEEDS_ATTENTION:
    default:
      break;
    }
}

typedef struct
{
  GPtrArray *records;
} Load;

static gpointer
load_in_thread (EaselDb   *db,
                gpointer   data,
                GError   **error)
{
  return easel_job_store_load (db, FINISHED_TO_LOAD, error);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaselJobQueue *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  GError *error = NULL;
  const char *root = easel_image_store_get_root (easel_downloader_get_store (self->downloader));

  records = easel_store_run_finish (EASEL_STORE (object), result, &error);
  if (records == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < records->len; i++)
    {
      g_autoptr(GError) job_error = NULL;
      EaselJob *job = easel_job_record_to_job (g_ptr_array_index (records, i), root, &job_error);

      if (job == NULL)
        {
          g_warning ("Skipping an unreadable job: %s", job_error->message);
          continue;
        }
      if (easel_job_get_error_code (job) != NULL)
        easel_job_set_error (job, easel_job_get_error_code (job), easel_job_get_error_message (job),
                             easel_error_remedy_for_code (easel_job_get_error_code (job)));
      g_ptr_array_add (jobs, job);
    }

  add_jobs (self, jobs);
  for (guint i = 0; i < jobs->len; i++)
    resume_job (self, g_ptr_array_index (jobs, i));
  schedule (self);

  g_task_return_boolean (task, TRUE);
}

/**
 * easel_job_queue_load_async:
 * @self: a queue
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Loads every unfinished job and the newest finished ones from the store,
 * and resumes the unfinished ones: queued jobs wait for a slot, submitted
 * and running ones are watched again, and jobs caught mid-submit are
 * reconciled with the provider.
 */
void
easel_job_queue_load_async (EaselJobQueue       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (EASEL_IS_JOB_QUEUE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_job_queue_load_async);
  easel_store_run_async (self->store, load_in_thread, NULL, NULL, cancellable, loaded_cb, task);
}

/**
 * easel_job_queue_load_finish:
 * @self: a queue
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE once the jobs are loaded
 */
gboolean
easel_job_queue_load_finish (EaselJobQueue  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Builds the jobs of @requests with their estimates. */
static GPtrArray *
prepare_jobs (EaselJobQueue  *self,
              GPtrArray      *requests,
              GPtrArray     **out_records,
              GError        **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_job_record_free);
  g_autofree char *batch = g_uuid_string_random ();

  for (guint i = 0; i < requests->len; i++)
    {
      EaselJobRequest *request = g_ptr_array_index (requests, i);
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *json = easel_job_spec_to_json (request->spec);
      g_autoptr(EaselJobSpec) spec = easel_job_spec_new_from_json (json, error);
      g_autoptr(EaselJob) job = NULL;
      EaselCostEstimate estimate = { 0 };
      EaselJobRecord *record;
      EaselProvider *provider;

      if (spec == NULL)
        return NULL;
      /* Easel's id goes to the provider (replyRef) with the job. */
      g_free (spec->local_id);
      spec->local_id = g_strdup (uuid);

      /* Midjourney would expand braces again on its side (easel-template.c). */
      if (!easel_template_check_for_provider (spec->prompt, request->provider, error))
        {
          g_prefix_error (error, _("Job %u: "), i + 1);
          return NULL;
        }

      job = easel_job_new (uuid, request->provider, request->account, spec);
      easel_job_set_template (job, request->template_id, request->template_version, request->template_bindings);
      provider = get_provider (self, job, error);
      if (provider == NULL)
        return NULL;
      if (!easel_provider_estimate_cost (provider, spec, &estimate, error))
        {
          /* Translators: %u is the position of a job in a batch, from 1 */
          g_prefix_error (error, _("Job %u: "), i + 1);
          return NULL;
        }

      easel_job_set_estimate (job, estimate.micros);
      record = easel_job_record_new_from_job (job);
      record->batch = g_strdup (batch);
      record->estimate_exact = estimate.exact;
      record->estimate_basis = g_steal_pointer (&estimate.basis);
      g_ptr_array_add (records, record);
      g_ptr_array_add (jobs, g_steal_pointer (&job));
    }

  *out_records = g_steal_pointer (&records);
  return g_steal_pointer (&jobs);
}

static gpointer
estimate_in_thread (EaselDb   *db,
                    gpointer   data,
                    GError   **error)
{
  gpointer *args = data;
  GPtrArray *records = args[0];
  EaselBudget *budget = args[1];
  gint64 total = 0;

  for (guint i = 0; i < records->len; i++)
    total += ((EaselJobRecord *) g_ptr_array_index (records, i))->estimate;

  /* The check without the insert: a dry run says whether it would fit. */
  if (budget != NULL && !easel_job_store_check_budget (db, records, budget, error))
    return NULL;
  return g_memdup2 (&total, sizeof total);
}

static void
budget_args_free (gpointer data)
{
  gpointer *args = data;

  g_ptr_array_unref (args[0]);
  g_clear_object (&args[1]);
  g_free (args);
}

static gpointer
insert_in_thread (EaselDb   *db,
                  gpointer   data,
                  GError   **error)
{
  gpointer *args = data;

  if (!easel_job_store_insert (db, args[0], args[1], error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

/* A copy of the limits, so the store thread never reads what the main
 * thread may change. */
static EaselBudget *
snapshot_budget (EaselJobQueue *self,
                 GPtrArray     *records)
{
  EaselBudget *copy;
  EaselBudgetPeriod periods[] = { EASEL_BUDGET_DAY, EASEL_BUDGET_MONTH };

  if (self->budget == NULL)
    return NULL;

  copy = easel_budget_new ();
  for (guint p = 0; p < G_N_ELEMENTS (periods); p++)
    {
      easel_budget_set_limit (copy, NULL, periods[p], easel_budget_get_limit (self->budget, NULL, periods[p]));
      for (guint i = 0; i < records->len; i++)
        {
          const char *provider = ((EaselJobRecord *) g_ptr_array_index (records, i))->provider;

          easel_budget_set_limit (copy, provider, periods[p],
                                  easel_budget_get_limit (self->budget, provider, periods[p]));
        }
    }
  return copy;
}

static void
estimated_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree gint64 *total = NULL;
  GError *error = NULL;

  total = easel_store_run_finish (EASEL_STORE (object), result, &error);
  if (total == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, *total);
}

/**
 * easel_job_queue_estimate_async:
 * @self: a queue
 * @requests: (element-type EaselJobRequest): jobs that might be queued
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Validates and prices @requests and checks them against the budget,
 * without queueing anything (a dry run).
 */
void
easel_job_queue_estimate_async (EaselJobQueue       *self,
                                GPtrArray           *requests,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  GPtrArray *records = NULL;
  GError *error = NULL;
  gpointer *args;

  g_return_if_fail (EASEL_IS_JOB_QUEUE (self));
  g_return_if_fail (requests != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_job_queue_estimate_async);

  jobs = prepare_jobs (self, requests, &records, &error);
  if (jobs == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  args = g_new0 (gpointer, 2);
  args[0] = records;
  args[1] = snapshot_budget (self, records);
  easel_store_run_async (self->store, estimate_in_thread, args, budget_args_free, cancellable,
                         estimated_cb, g_steal_pointer (&task));
}

/**
 * easel_job_queue_estimate_finish:
 * @self: a queue
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: the estimated total in USD micros, or -1 with @error set
 */
gint64
easel_job_queue_estimate_finish (EaselJobQueue  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

static void
inserted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaselJobQueue *self = g_task_get_source_object (task);
  GPtrArray *jobs = g_object_get_data (G_OBJECT (task), "easel-jobs");
  GPtrArray *records = g_object_get_data (G_OBJECT (task), "easel-records");
  GError *error = NULL;

  if (easel_store_run_finish (EASEL_STORE (object), result, &error) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < jobs->len; i++)
    easel_job_set_id (g_ptr_array_index (jobs, i), ((EaselJobRecord *) g_ptr_array_index (records, i))->id);

  if (!self->disposed)
    {
      add_jobs (self, jobs);
      schedule (self);
    }
  g_task_return_pointer (task, g_ptr_array_ref (jobs), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * easel_job_queue_enqueue_async:
 * @self: a queue
 * @requests: (element-type EaselJobRequest): the jobs to queue
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Validates and prices the jobs, checks the batch against the budget and
 * writes the jobs to the store, all before anything is sent. Either the
 * whole batch is queued or none of it.
 */
void
easel_job_queue_enqueue_async (EaselJobQueue       *self,
                               GPtrArray           *requests,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  GPtrArray *records = NULL;
  GError *error = NULL;
  gpointer *args;

  g_return_if_fail (EASEL_IS_JOB_QUEUE (self));
  g_return_if_fail (requests != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_job_queue_enqueue_async);

  jobs = prepare_jobs (self, requests, &records, &error);
  if (jobs == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_object_set_data_full (G_OBJECT (task), "easel-jobs", g_ptr_array_ref (jobs),
                          (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data_full (G_OBJECT (task), "easel-records", g_ptr_array_ref (records),
                          (GDestroyNotify) g_ptr_array_unref);

  args = g_new0 (gpointer, 2);
  args[0] = records;
  args[1] = snapshot_budget (self, records);
  easel_store_run_async (self->store, insert_in_thread, args, budget_args_free, NULL,
                         inserted_cb, g_steal_pointer (&task));
}

/**
 * easel_job_queue_enqueue_finish:
 * @self: a queue
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type EaselJob): the queued jobs,
 *   or %NULL with @error set (%EASEL_ERROR_BUDGET_EXCEEDED when the batch
 *   does not fit the budget)
 */
GPtrArray *
easel_job_queue_enqueue_finish (EaselJobQueue  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Public operations */

/**
 * easel_job_queue_new:
 * @store: the open store
 * @downloader: the downloader (with its image store)
 * @budget: (nullable): the spending limits
 * @lookup: finds the provider of an account
 * @lookup_data: data for @lookup
 * @lookup_destroy: (nullable): frees @lookup_data
 *
 * Returns: (transfer full): an empty queue; call easel_job_queue_load_async()
 */
EaselJobQueue *
easel_job_queue_new (EaselStore          *store,
                     EaselDownloader     *downloader,
                     EaselBudget         *budget,
                     EaselProviderLookup  lookup,
                     gpointer             lookup_data,
                     GDestroyNotify       lookup_destroy)
{
  EaselJobQueue *self;

  g_return_val_if_fail (EASEL_IS_STORE (store), NULL);
  g_return_val_if_fail (EASEL_IS_DOWNLOADER (downloader), NULL);
  g_return_val_if_fail (budget == NULL || EASEL_IS_BUDGET (budget), NULL);
  g_return_val_if_fail (lookup != NULL, NULL);

  self = g_object_new (EASEL_TYPE_JOB_QUEUE, NULL);
  self->store = g_object_ref (store);
  self->downloader = g_object_ref (downloader);
  self->budget = budget ? g_object_ref (budget) : NULL;
  self->lookup = lookup;
  self->lookup_data = lookup_data;
  self->lookup_destroy = lookup_destroy;
  return self;
}

/**
 * easel_job_queue_get_store:
 * @self: a queue
 *
 * Returns: (transfer none): the store
 */
EaselStore *
easel_job_queue_get_store (EaselJobQueue *self)
{
  g_return_val_if_fail (EASEL_IS_JOB_QUEUE (self), NULL);

  return self->store;
}

/**
 * easel_job_queue_get_budget:
 * @self: a queue
 *
 * Returns: (transfer none) (nullable): the budget
 */
EaselBudget *
easel_job_queue_get_budget (EaselJobQueue *self)
{
  g_return_val_if_fail (EASEL_IS_JOB_QUEUE (self), NULL);

  return self->budget;
}

/**
 * easel_job_queue_cancel:
 * @self: a queue
 * @job: a job of @self
 *
 * Cancels @job: a queued job at once; a job being sent as soon as the
 * provider has named it; a running job at the provider. A job whose outputs
 * are being saved finishes saving them.
 */
void
easel_job_queue_cancel (EaselJobQueue *self,
                        EaselJob      *job)
{
  Run *run;
  EaselProvider *provider;

  g_return_if_fail (EASEL_IS_JOB_QUEUE (self));
  g_return_if_fail (EASEL_IS_JOB (job));

  run = lookup_run (self, job);
  if (run == NULL)
    {
      /* Needs attention: the user dismisses it. */
      if (easel_job_get_state (job) == EASEL_JOB_NEEDS_ATTENTION)
        {
          easel_job_set_state (job, EASEL_JOB_CANCELLED);
          persist (self, job, NULL, NULL);
          notify_counts (self);
        }
      return;
    }

  run->cancel_requested = TRUE;
  switch (easel_job_get_state (job))
    {
    case EASEL_JOB_QUEUED:
      if (!run->busy)
        finish_job (run, EASEL_JOB_CANCELLED, NULL, TRUE);
      break;

    case EASEL_JOB_SUBMITTED:
    case EASEL_JOB_RUNNING:
      provider = get_provider (self, job, NULL);
      if (provider != NULL && easel_job_get_remote_id (job) != NULL)
        easel_provider_cancel_async (provider, easel_job_get_remote_id (job), NULL, NULL, NULL);
      break;

    case EASEL_JOB_SUBMITTING:
    case EASEL_JOB_DOWNLOADING:
    case EASEL_JOB_SUCCEEDED:
    case EASEL_JOB_FAILED:
    case EASEL_JOB_CANCELLED:
    case EASEL_JOB_NEEDS_ATTENTION:
    default:
      break;
    }
}

static EaselJob *
enqueue_one (EaselJobQueue  *self,
             EaselJob       *model,
             EaselJobSpec   *spec,
             guint           attempt,
             gint64          retry_of,
             gint64          parent_id,
             const char     *action,
             GError        **error)
{
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_job_request_free);
  g_autoptr(GPtrArray) jobs = NULL;
  GPtrArray *records = NULL;
  EaselJob *job;
  gpointer *args;
  GTask *task;

  g_ptr_array_add (requests, easel_job_request_new (easel_job_get_provider (model),
                                                    easel_job_get_account (model), spec));
  jobs = prepare_jobs (self, requests, &records, error);
  if (jobs == NULL)
    return NULL;

  job = g_ptr_array_index (jobs, 0);
  /* A retry comes from the same template; an action's job does not. */
  if (retry_of > 0)
    easel_job_set_template (job, easel_job_get_template_id (model), easel_job_get_template_version (model),
                            easel_job_get_template_bindings (model));
  easel_job_set_attempt (job, attempt, retry_of);
  easel_job_set_action (job, parent_id, action);
  {
    EaselJobRecord *old = g_ptr_array_index (records, 0);
    EaselJobRecord *record = easel_job_record_new_from_job (job);

    record->batch = g_steal_pointer (&old->batch);
    record->estimate_exact = old->estimate_exact;
    record->estimate_basis = g_steal_pointer (&old->estimate_basis);
    easel_job_record_free (old);
    records->pdata[0] = record;
  }

  task = g_task_new (self, NULL, NULL, NULL);
  g_object_set_data_full (G_OBJECT (task), "easel-jobs", g_ptr_array_ref (jobs), (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data_full (G_OBJECT (task), "easel-records", g_ptr_array_ref (records), (GDestroyNotify) g_ptr_array_unref);
  args = g_new0 (gpointer, 2);
  args[0] = records;
  args[1] = snapshot_budget (self, records);
  easel_store_run_async (self->store, insert_in_thread, args, budget_args_free, NULL, inserted_cb, task);

  return job;
}

/**
 * easel_job_queue_retry:
 * @self: a queue
 * @job: a failed, cancelled or needs-attention job
 * @error: return location for a #GError
 *
 * Queues a new attempt of @job (a new job that records which one it
 * retries). A job that may still run at the provider is never retried.
 *
 * Returns: (transfer none) (nullable): the new job, which appears in the
 *   queue once written; %NULL with @error set when @job cannot be retried
 */
EaselJob *
easel_job_queue_retry (EaselJobQueue  *self,
                       EaselJob       *job,
                       GError        **error)
{
  g_return_val_if_fail (EASEL_IS_JOB_QUEUE (self), NULL);
  g_return_val_if_fail (EASEL_IS_JOB (job), NULL);

  if (!easel_job_state_is_terminal (easel_job_get_state (job)) ||
      easel_job_get_state (job) == EASEL_JOB_SUCCEEDED)
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                           _("Only a failed or cancelled job can be retried"));
      return NULL;
    }

  return enqueue_one (self, job, easel_job_get_spec (job), easel_job_get_attempt (job) + 1,
                      easel_job_get_id (job), easel_job_get_parent_id (job),
                      easel_job_get_action (job), error);
}

/**
 * easel_job_queue_run_action:
 * @self: a queue
 * @job: a succeeded job
 * @action: one of @job's buttons
 * @error: return location for a #GError
 *
 * Queues a job that runs @action (a Midjourney button) on @job's result.
 *
 * Returns: (transfer none) (nullable): the new job
 */
EaselJob *
easel_job_queue_run_action (EaselJobQueue  *self,
                            EaselJob       *job,
                            const char     *action,
                            GError        **error)
{
  const char * const *buttons;
  g_autoptr(EaselJobSpec) spec = NULL;

  g_return_val_if_fail (EASEL_IS_JOB_QUEUE (self), NULL);
  g_return_val_if_fail (EASEL_IS_JOB (job), NULL);
  g_return_val_if_fail (action != NULL, NULL);

  buttons = easel_job_get_buttons (job);
  if (easel_job_get_state (job) != EASEL_JOB_SUCCEEDED || buttons == NULL ||
      !g_strv_contains (buttons, action))
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   _("“%s” is not available on this job"), action);
      return NULL;
    }

  /* The action's own job carries no prompt of its own. */
  spec = easel_job_spec_new (easel_job_get_uuid (job), easel_job_get_model (job), "");
  return enqueue_one (self, job, spec, 1, 0, easel_job_get_id (job), action, error);
}

/**
 * easel_job_queue_set_paused:
 * @self: a queue
 * @paused: whether to stop sending queued jobs (running ones go on)
 */
void
easel_job_queue_set_paused (EaselJobQueue *self,
                            gboolean       paused)
{
  g_return_if_fail (EASEL_IS_JOB_QUEUE (self));

  paused = !!paused;
  if (self->paused == paused)
    return;
  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
  schedule (self);
}

/**
 * easel_job_queue_get_paused:
 * @self: a queue
 *
 * Returns: whether sending queued jobs is paused
 */
gboolean
easel_job_queue_get_paused (EaselJobQueue *self)
{
  g_return_val_if_fail (EASEL_IS_JOB_QUEUE (self), FALSE);

  return self->paused;
}

/**
 * easel_job_queue_clear_finished:
 * @self: a queue
 *
 * Removes finished jobs from the list (they stay in the store and their
 * images in the library).
 */
void
easel_job_queue_clear_finished (EaselJobQueue *self)
{
  g_return_if_fail (EASEL_IS_JOB_QUEUE (self));

  for (guint i = self->items->len; i > 0; i--)
    {
      EaselJob *job = g_ptr_array_index (self->items, i - 1);

      if (!easel_job_get_active (job))
        {
          g_ptr_array_remove_index (self->items, i - 1);
          g_list_model_items_changed (G_LIST_MODEL (self), i - 1, 1, 0);
        }
    }
  notify_counts (self);
}

/**
 * easel_job_queue_get_n_active:
 * @self: a queue
 *
 * Returns: how many jobs are not finished
 */
guint
easel_job_queue_get_n_active (EaselJobQueue *self)
{
  guint n = 0;

  g_return_val_if_fail (EASEL_IS_JOB_QUEUE (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    n += easel_job_get_active (g_ptr_array_index (self->items, i));
  return n;
}

/**
 * easel_job_queue_get_n_finished:
 * @self: a queue
 *
 * Returns: how many listed jobs are finished
 */
guint
easel_job_queue_get_n_finished (EaselJobQueue *self)
{
  g_return_val_if_fail (EASEL_IS_JOB_QUEUE (self), 0);

  return self->items->len - easel_job_queue_get_n_active (self);
}

/**
 * easel_job_queue_lookup:
 * @self: a queue
 * @id: a job's id in the store
 *
 * Returns: (transfer none) (nullable): the listed job with @id
 */
EaselJob *
easel_job_queue_lookup (EaselJobQueue *self,
                        gint64         id)
{
  g_return_val_if_fail (EASEL_IS_JOB_QUEUE (self), NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      EaselJob *job = g_ptr_array_index (self->items, i);

      if (easel_job_get_id (job) == id)
        return job;
    }
  return NULL;
}

/**
 * easel_job_queue_set_concurrency:
 * @self: a queue
 * @provider: a provider id
 * @account: (nullable): an account, %NULL or "" for the default one
 * @max_jobs: how many of its jobs may run at once, at least 1
 */
void
easel_job_queue_set_concurrency (EaselJobQueue *self,
                                 const char    *provider,
                                 const char    *account,
                                 guint          max_jobs)
{
  g_return_if_fail (EASEL_IS_JOB_QUEUE (self));
  g_return_if_fail (provider != NULL);

  g_hash_table_replace (self->limits, make_slot_key (provider, account), GUINT_TO_POINTER (MAX (max_jobs, 1)));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLOTS_SUMMARY]);
  schedule (self);
}

/**
 * easel_job_queue_set_kind_concurrency:
 * @self: a queue
 * @provider: a provider id
 * @account: (nullable): an account
 * @video: whether the limit is for video jobs (else image jobs)
 * @max_jobs: how many such jobs may run at once (Midjourney's
 *   maxImageJobs / maxVideoJobs), within the account's overall limit
 */
void
easel_job_queue_set_kind_concurrency (EaselJobQueue *self,
                                      const char    *provider,
                                      const char    *account,
                                      gboolean       video,
                                      guint          max_jobs)
{
  g_autofree char *key = NULL;

  g_return_if_fail (EASEL_IS_JOB_QUEUE (self));
  g_return_if_fail (provider != NULL);

  key = make_slot_key (provider, account);
  g_hash_table_replace (self->limits, g_strconcat (key, video ? "\nvideo" : "\nimage", NULL),
                        GUINT_TO_POINTER (MAX (max_jobs, 1)));
  schedule (self);
}

static void
concurrency_settings_changed_cb (EaselJobQueue *self,
                                 const char    *key,
                                 GSettings     *settings)
{
  if (key != NULL && !g_str_has_suffix (key, "-concurrency"))
    return;

  easel_job_queue_set_concurrency (self, "replicate", NULL,
                                   g_settings_get_uint (settings, "replicate-concurrency"));
  easel_job_queue_set_concurrency (self, "midjourney", NULL,
                                   g_settings_get_uint (settings, "midjourney-concurrency"));
  easel_job_queue_set_kind_concurrency (self, "midjourney", NULL, TRUE,
                                        g_settings_get_uint (settings, "midjourney-video-concurrency"));
}

/**
 * easel_job_queue_bind_settings:
 * @self: a queue
 * @settings: the application's settings (keys `replicate-concurrency`,
 *   `midjourney-concurrency` and `midjourney-video-concurrency`)
 *
 * Takes the default accounts' slot limits from @settings and follows their
 * changes: a raised limit starts waiting jobs at once, a lowered one lets the
 * running jobs finish.
 */
void
easel_job_queue_bind_settings (EaselJobQueue *self,
                               GSettings     *settings)
{
  g_return_if_fail (EASEL_IS_JOB_QUEUE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_signal_connect_object (settings, "changed", G_CALLBACK (concurrency_settings_changed_cb), self,
                           G_CONNECT_SWAPPED);
  concurrency_settings_changed_cb (self, NULL, settings);
}

/**
 * easel_job_queue_forget_providers:
 * @self: a queue
 * @provider: a provider id
 *
 * Drops the provider objects the queue keeps for @provider's accounts, so
 * the next job asks the lookup again: call it when an account's token,
 * the default account or the endpoint changed. Requests on the way finish
 * with the objects they started with.
 */
void
easel_job_queue_forget_providers (EaselJobQueue *self,
                                  const char    *provider)
{
  g_autofree char *prefix = NULL;
  GHashTableIter iter;
  const char *key;

  g_return_if_fail (EASEL_IS_JOB_QUEUE (self));
  g_return_if_fail (provider != NULL);

  prefix = g_strconcat (provider, "\n", NULL);
  g_hash_table_iter_init (&iter, self->providers);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    {
      if (g_str_has_prefix (key, prefix))
        g_hash_table_iter_remove (&iter);
    }
}

/**
 * easel_job_queue_set_retry_delay:
 * @self: a queue
 * @delay_ms: how long a job refused for lack of a free slot (429) waits
 *   before it is sent again
 */
void
easel_job_queue_set_retry_delay (EaselJobQueue *self,
                                 guint          delay_ms)
{
  g_return_if_fail (EASEL_IS_JOB_QUEUE (self));

  self->retry_delay_ms = MAX (delay_ms, 1);
}

/**
 * easel_job_queue_get_slots:
 * @self: a queue
 * @provider: a provider id
 * @account: (nullable): an account
 * @used: (out) (optional): slots in use
 * @max_jobs: (out) (optional): slots in all
 */
void
easel_job_queue_get_slots (EaselJobQueue *self,
                           const char    *provider,
                           const char    *account,
                           guint         *used,
                           guint         *max_jobs)
{
  g_autofree char *key = NULL;

  g_return_if_fail (EASEL_IS_JOB_QUEUE (self));
  g_return_if_fail (provider != NULL);

  key = make_slot_key (provider, account);
  if (used != NULL)
    *used = slot_used (self, key);
  if (max_jobs != NULL)
    *max_jobs = slot_limit (self, key);
}

/**
 * easel_job_queue_dup_slots_summary:
 * @self: a queue
 *
 * Returns: (transfer full): the slots in use per account with jobs, such as
 *   "replicate 2/4 · midjourney 1/3", or "" when none are in use
 */
char *
easel_job_queue_dup_slots_summary (EaselJobQueue *self)
{
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autoptr(GList) keys = NULL;

  g_return_val_if_fail (EASEL_IS_JOB_QUEUE (self), NULL);

  keys = g_list_sort (g_hash_table_get_keys (self->used), (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *key = l->data;
      g_auto(GStrv) parts = g_strsplit (key, "\n", 3);
      guint used = slot_used (self, key);

      if (used == 0 || (parts[1] != NULL && parts[2] != NULL))
        continue;
      const EaselProviderInfo *info = easel_provider_registry_lookup (parts[0]);
      g_autofree char *name = NULL;

      /* "Midjourney (UseAPI.net)" → "Midjourney": short enough for a header. */
      name = g_strdup (info != NULL ? info->display_name : parts[0]);
      if (strstr (name, " (") != NULL)
        *strstr (name, " (") = '\0';

      if (summary->len > 0)
        g_string_append (summary, " · ");
      g_string_append (summary, name);
      if (parts[1] != NULL && parts[1][0] != '\0')
        g_string_append_printf (summary, " (%s)", parts[1]);
      g_string_append_printf (summary, " %u/%u", used, slot_limit (self, key));
    }

  return g_string_free (g_steal_pointer (&summary), FALSE);
}

/* GObject */

static void
easel_job_queue_dispose (GObject *object)
{
  EaselJobQueue *self = EASEL_JOB_QUEUE (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->schedule_id, g_source_remove);
  g_clear_handle_id (&self->wake_id, g_source_remove);
  g_hash_table_remove_all (self->runs);

  G_OBJECT_CLASS (easel_job_queue_parent_class)->dispose (object);
}

static void
easel_job_queue_finalize (GObject *object)
{
  EaselJobQueue *self = EASEL_JOB_QUEUE (object);

  g_clear_pointer (&self->runs, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->providers, g_hash_table_unref);
  g_clear_pointer (&self->limits, g_hash_table_unref);
  g_clear_pointer (&self->used, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->downloader);
  g_clear_object (&self->budget);
  if (self->lookup_destroy != NULL)
    self->lookup_destroy (self->lookup_data);

  G_OBJECT_CLASS (easel_job_queue_parent_class)->finalize (object);
}

static void
easel_job_queue_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EaselJobQueue *self = EASEL_JOB_QUEUE (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_N_ACTIVE:
      g_value_set_uint (value, easel_job_queue_get_n_active (self));
      break;
    case PROP_N_FINISHED:
      g_value_set_uint (value, easel_job_queue_get_n_finished (self));
      break;
    case PROP_SLOTS_SUMMARY:
      g_value_take_string (value, easel_job_queue_dup_slots_summary (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_job_queue_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  EaselJobQueue *self = EASEL_JOB_QUEUE (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      easel_job_queue_set_paused (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_job_queue_class_init (EaselJobQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = easel_job_queue_dispose;
  object_class->finalize = easel_job_queue_finalize;
  object_class->get_property = easel_job_queue_get_property;
  object_class->set_property = easel_job_queue_set_property;

  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_ACTIVE] =
    g_param_spec_uint ("n-active", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_FINISHED] =
    g_param_spec_uint ("n-finished", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_SLOTS_SUMMARY] =
    g_param_spec_string ("slots-summary", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EaselJobQueue::job-finished:
   * @self: the queue
   * @job: a job that reached a terminal state
   */
  signals[JOB_FINISHED] =
    g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, EASEL_TYPE_JOB);
}

static void
easel_job_queue_init (EaselJobQueue *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->runs = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) run_free);
  self->providers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->limits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  self->retry_delay_ms = RATE_LIMIT_DELAY_MS;
}
