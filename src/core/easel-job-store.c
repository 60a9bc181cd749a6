/* easel-job-store.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The job queue's SQL. Everything named easel_job_store_* runs on the
 * store's thread (EaselStore), with records copied from and to EaselJob on
 * the main thread, so the main loop never waits for the disk.
 *
 * Spending is read from the ledger: for each job, its actual cost once
 * settled, otherwise its estimate while it may still cost money (live, or
 * needs-attention: an ambiguous submit may have been charged), otherwise
 * nothing. The budget check and the inserts of a batch share one
 * immediate transaction, so two batches cannot both squeeze under a limit. */

#include "config.h"

#include "easel-job-store.h"

#include <string.h>

#include <sqlite3.h>

#include "easel-error.h"
#include "easel-json.h"
#include "easel-store.h"

#define JOB_COLUMNS \
  "j.id, j.uuid, j.batch, j.provider, j.account, j.model, j.prompt, j.spec, j.state, " \
  "j.remote_id, j.remote_status, j.progress, j.buttons, j.attempt, j.retry_of, j.parent_id, " \
  "j.action, j.requests, j.error_code, j.error_message, j.created_at, j.submitted_at, " \
  "j.started_at, j.finished_at, " \
  "(SELECT micros FROM ledger WHERE job_id = j.id AND kind = 'estimate' ORDER BY id LIMIT 1), " \
  "(SELECT micros FROM ledger WHERE job_id = j.id AND kind = 'actual' ORDER BY id LIMIT 1), " \
  "j.template_id, j.template_version, j.template_bindings"

static char *
dup_text (sqlite3_stmt *stmt,
          int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text ? g_strdup ((const char *) text) : NULL;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_time (sqlite3_stmt *stmt,
           int           index,
           gint64        value)
{
  if (value > 0)
    sqlite3_bind_int64 (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
strv_to_json (const char * const *strv)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (strv == NULL)
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static GStrv
strv_from_json (const char *json)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (json == NULL || (root = easel_json_parse (json, strlen (json), NULL)) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;

  builder = g_strv_builder_new ();
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (item));
    }
  return g_strv_builder_end (builder);
}

/**
 * easel_job_record_new_from_job:
 * @job: a job
 *
 * Returns: (transfer full): a copy of @job's fields, safe to hand to the
 *   store thread
 */
EaselJobRecord *
easel_job_record_new_from_job (EaselJob *job)
{
  EaselJobRecord *record = g_new0 (EaselJobRecord, 1);
  EaselJobSpec *spec = easel_job_get_spec (job);

  record->id = easel_job_get_id (job);
  record->uuid = g_strdup (easel_job_get_uuid (job));
  record->provider = g_strdup (easel_job_get_provider (job));
  record->account = g_strdup (easel_job_get_account (job));
  record->model = g_strdup (spec->model);
  record->prompt = g_strdup (spec->prompt);
  record->spec_json = easel_job_spec_to_json (spec);
  record->state = easel_job_get_state (job);
  record->remote_id = g_strdup (easel_job_get_remote_id (job));
  record->remote_status = g_strdup (easel_job_get_remote_status (job));
  record->progress = easel_job_get_progress (job);
  record->buttons_json = strv_to_json (easel_job_get_buttons (job));
  record->attempt = easel_job_get_attempt (job);
  record->retry_of = easel_job_get_retry_of (job);
  record->parent_id = easel_job_get_parent_id (job);
  record->action = g_strdup (easel_job_get_action (job));
  record->requests = easel_job_get_requests (job);
  record->error_code = g_strdup (easel_job_get_error_code (job));
  record->error_message = g_strdup (easel_job_get_error_message (job));
  record->created_at = easel_job_get_created_at (job);
  record->started_at = easel_job_get_started_at (job);
  record->finished_at = easel_job_get_finished_at (job);
  record->estimate = easel_job_get_estimate (job);
  record->cost = easel_job_get_cost (job);
  record->template_id = easel_job_get_template_id (job);
  record->template_version = easel_job_get_template_version (job);
  if (record->template_id > 0 && easel_job_get_template_bindings (job) != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (),
                                                        easel_job_get_template_bindings (job));

      record->template_bindings = json_to_string (node, FALSE);
    }
  return record;
}

/**
 * easel_job_record_to_job:
 * @record: a record read from the store
 * @image_root: (nullable): the image store root, to make output paths absolute
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the job, or %NULL when the stored spec is unreadable
 */
EaselJob *
easel_job_record_to_job (EaselJobRecord  *record,
                         const char      *image_root,
                         GError         **error)
{
  g_autoptr(EaselJobSpec) spec = NULL;
  g_auto(GStrv) buttons = NULL;
  EaselJob *job;

  spec = easel_job_spec_new_from_json (record->spec_json, error);
  if (spec == NULL)
    return NULL;

  job = easel_job_new (record->uuid, record->provider, record->account, spec);
  easel_job_set_id (job, record->id);
  easel_job_set_state (job, record->state);
  easel_job_set_times (job, record->created_at, record->started_at, record->finished_at);
  easel_job_set_remote (job, record->remote_id, record->remote_status);
  easel_job_set_progress (job, record->progress);
  easel_job_set_attempt (job, record->attempt, record->retry_of);
  easel_job_set_action (job, record->parent_id, record->action);
  easel_job_add_requests (job, record->requests);
  easel_job_set_estimate (job, record->estimate);
  easel_job_set_cost (job, record->cost);
  if (record->error_message != NULL)
    easel_job_set_error (job, record->error_code, record->error_message, NULL);
  if (record->template_id > 0)
    {
      g_autoptr(JsonNode) bindings = NULL;

      if (record->template_bindings != NULL)
        bindings = easel_json_parse (record->template_bindings, strlen (record->template_bindings), NULL);
      easel_job_set_template (job, record->template_id, record->template_version,
                              bindings != NULL && JSON_NODE_HOLDS_OBJECT (bindings)
                              ? json_node_get_object (bindings) : NULL);
    }
  buttons = strv_from_json (record->buttons_json);
  if (buttons != NULL)
    easel_job_set_buttons (job, (const char * const *) buttons);
  if (record->outputs != NULL && image_root != NULL)
    {
      g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; record->outputs[i] != NULL; i++)
        g_ptr_array_add (paths, g_build_filename (image_root, record->outputs[i], NULL));
      g_ptr_array_add (paths, NULL);
      easel_job_set_outputs (job, (const char * const *) paths->pdata);
    }
  return job;
}

/**
 * easel_job_record_free:
 * @record: (nullable) (transfer full): a record
 */
void
easel_job_record_free (EaselJobRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->uuid);
  g_free (record->batch);
  g_free (record->provider);
  g_free (record->account);
  g_free (record->model);
  g_free (record->prompt);
  g_free (record->spec_json);
  g_free (record->remote_id);
  g_free (record->remote_status);
  g_free (record->buttons_json);
  g_free (record->action);
  g_free (record->error_code);
  g_free (record->error_message);
  g_free (record->estimate_basis);
  g_strfreev (record->outputs);
  g_free (record->template_bindings);
  g_free (record);
}

/**
 * easel_output_record_free:
 * @record: (nullable) (transfer full): a record
 */
void
easel_output_record_free (EaselOutputRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->url);
  g_free (record->content_type);
  g_free (record->image_hash);
  g_free (record->image_path);
  g_free (record->mime);
  g_free (record->error);
  g_free (record);
}

static gboolean
step_done (EaselDb       *db,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  return easel_db_step (db, stmt, error) == SQLITE_DONE;
}

#define SPENDING_SQL \
  "SELECT COALESCE (SUM (CASE WHEN a.micros IS NOT NULL THEN a.micros " \
  "  WHEN j.state IN ('queued', 'submitting', 'submitted', 'running', 'downloading', 'needs-attention') " \
  "  THEN e.micros ELSE 0 END), 0) " \
  "FROM ledger e JOIN jobs j ON j.id = e.job_id " \
  "LEFT JOIN ledger a ON a.job_id = e.job_id AND a.kind = 'actual' " \
  "WHERE e.kind = 'estimate' AND e.at >= ?1 AND (?2 IS NULL OR e.provider = ?2) " \
  "AND (?3 IS NULL OR e.at < ?3)"

/**
 * easel_job_store_spending_between:
 * @db: the database
 * @provider: (nullable): a provider id, or %NULL for all
 * @from: the start (µs, included)
 * @to: the end (µs, excluded), or 0 for none
 * @micros: (out): spent and reserved by jobs created in between
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
easel_job_store_spending_between (EaselDb     *db,
                                  const char  *provider,
                                  gint64       from,
                                  gint64       to,
                                  gint64      *micros,
                                  GError     **error)
{
  sqlite3_stmt *stmt = easel_db_prepare (db, SPENDING_SQL, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from);
  bind_text (stmt, 2, provider);
  if (to > 0)
    sqlite3_bind_int64 (stmt, 3, to);
  else
    sqlite3_bind_null (stmt, 3);
  if (easel_db_step (db, stmt, error) != SQLITE_ROW)
    return FALSE;
  *micros = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/**
 * easel_job_store_spending:
 * @db: the database
 * @provider: (nullable): a provider id, or %NULL for all
 * @day_start: when today began (µs)
 * @month_start: when this month began (µs)
 * @day: (out): spent and reserved today
 * @month: (out): spent and reserved this month
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
easel_job_store_spending (EaselDb     *db,
                          const char  *provider,
                          gint64       day_start,
                          gint64       month_start,
                          gint64      *day,
                          gint64      *month,
                          GError     **error)
{
  return easel_job_store_spending_between (db, provider, day_start, 0, day, error) &&
         easel_job_store_spending_between (db, provider, month_start, 0, month, error);
}

/**
 * easel_job_store_check_budget:
 * @db: the database
 * @records: (element-type EaselJobRecord): jobs with their estimates
 * @budget: the limits
 * @error: return location for a #GError
 *
 * Returns: whether @records fit @budget with what was spent so far
 */
gboolean
easel_job_store_check_budget (EaselDb      *db,
                              GPtrArray    *records,
                              EaselBudget  *budget,
                              GError      **error)
{
  g_autoptr(GArray) spending = g_array_new (FALSE, TRUE, sizeof (EaselSpending));
  gint64 day_start = easel_budget_period_start (EASEL_BUDGET_DAY, NULL);
  gint64 month_start = easel_budget_period_start (EASEL_BUDGET_MONTH, NULL);
  EaselSpending overall = { NULL, 0, 0, 0 };

  for (guint i = 0; i < records->len; i++)
    {
      EaselJobRecord *record = g_ptr_array_index (records, i);
      EaselSpending *entry = NULL;

      overall.batch += record->estimate;
      for (guint k = 0; k < spending->len; k++)
        {
          EaselSpending *s = &g_array_index (spending, EaselSpending, k);

          if (g_str_equal (s->provider, record->provider))
            entry = s;
        }
      if (entry == NULL)
        {
          EaselSpending s = { record->provider, 0, 0, 0 };

          if (!easel_job_store_spending (db, record->provider, day_start, month_start, &s.day, &s.month, error))
            return FALSE;
          g_array_append_val (spending, s);
          entry = &g_array_index (spending, EaselSpending, spending->len - 1);
        }
      entry->batch += record->estimate;
    }

  if (!easel_job_store_spending (db, NULL, day_start, month_start, &overall.day, &overall.month, error))
    return FALSE;
  g_array_append_val (spending, overall);

  return easel_budget_check (budget, (EaselSpending *) spending->data, spending->len, error);
}

/* One job_bindings row per variable of a templated job, for the
 * gallery's `var:` searches. */
static gboolean
insert_bindings (EaselDb         *db,
                 EaselJobRecord  *record,
                 GError         **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (record->template_id <= 0 || record->template_bindings == NULL)
    return TRUE;
  root = easel_json_parse (record->template_bindings, strlen (record->template_bindings), error);
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;

  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &name, &value))
    {
      sqlite3_stmt *stmt;

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        continue;
      stmt = easel_db_prepare (db, "INSERT INTO job_bindings (job_id, name, value) VALUES (?, ?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, record->id);
      bind_text (stmt, 2, name);
      bind_text (stmt, 3, json_node_get_string (value));
      if (!step_done (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * easel_job_store_insert:
 * @db: the database
 * @records: (element-type EaselJobRecord): new jobs; their ids are set
 * @budget: (nullable): the limits to respect
 * @error: return location for a #GError
 *
 * Inserts a batch of jobs with their estimates in the ledger, in one
 * transaction, after checking that the batch fits the budget.
 *
 * Returns: %TRUE on success; nothing is written otherwise
 */
gboolean
easel_job_store_insert (EaselDb      *db,
                        GPtrArray    *records,
                        EaselBudget  *budget,
                        GError      **error)
{
  const char *job_sql =
    "INSERT INTO jobs (uuid, batch, provider, account, model, prompt, spec, state, attempt, "
    "retry_of, parent_id, action, created_at, updated_at, template_id, template_version, template_bindings) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14, ?15, ?16)";
  const char *ledger_sql =
    "INSERT INTO ledger (job_id, provider, account, kind, micros, exact, basis, at) "
    "VALUES (?1, ?2, ?3, 'estimate', ?4, ?5, ?6, ?7)";

  if (!easel_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (budget != NULL && !easel_job_store_check_budget (db, records, budget, error))
    goto rollback;

  for (guint i = 0; i < records->len; i++)
    {
      EaselJobRecord *record = g_ptr_array_index (records, i);
      sqlite3_stmt *stmt = easel_db_prepare (db, job_sql, error);

      if (stmt == NULL)
        goto rollback;
      bind_text (stmt, 1, record->uuid);
      bind_text (stmt, 2, record->batch);
      bind_text (stmt, 3, record->provider);
      bind_text (stmt, 4, record->account ? record->account : "");
      bind_text (stmt, 5, record->model);
      bind_text (stmt, 6, record->prompt);
      bind_text (stmt, 7, record->spec_json);
      bind_text (stmt, 8, easel_job_state_to_string (record->state));
      sqlite3_bind_int64 (stmt, 9, record->attempt);
      bind_time (stmt, 10, record->retry_of);
      bind_time (stmt, 11, record->parent_id);
      bind_text (stmt, 12, record->action);
      sqlite3_bind_int64 (stmt, 13, record->created_at);
      bind_time (stmt, 14, record->template_id);
      if (record->template_id > 0)
        sqlite3_bind_int (stmt, 15, record->template_version);
      else
        sqlite3_bind_null (stmt, 15);
      bind_text (stmt, 16, record->template_id > 0 ? record->template_bindings : NULL);
      if (!step_done (db, stmt, error))
        goto rollback;
      record->id = easel_db_last_insert_rowid (db);

      if (!insert_bindings (db, record, error))
        goto rollback;

      stmt = easel_db_prepare (db, ledger_sql, error);
      if (stmt == NULL)
        goto rollback;
      sqlite3_bind_int64 (stmt, 1, record->id);
      bind_text (stmt, 2, record->provider);
      bind_text (stmt, 3, record->account ? record->account : "");
      sqlite3_bind_int64 (stmt, 4, record->estimate);
      sqlite3_bind_int (stmt, 5, record->estimate_exact);
      bind_text (stmt, 6, record->estimate_basis);
      sqlite3_bind_int64 (stmt, 7, record->created_at);
      if (!step_done (db, stmt, error))
        goto rollback;
    }

  return easel_db_exec (db, "COMMIT", error);

rollback:
  easel_db_exec (db, "ROLLBACK", NULL);
  return FALSE;
}

/**
 * easel_job_store_update:
 * @db: the database
 * @record: a job's current fields
 * @error: return location for a #GError
 *
 * Writes a job's state and everything that changes with it.
 *
 * Returns: %TRUE on success
 */
gboolean
easel_job_store_update (EaselDb         *db,
                        EaselJobRecord  *record,
                        GError         **error)
{
  const char *sql =
    "UPDATE jobs SET state = ?2, remote_id = ?3, remote_status = ?4, progress = ?5, buttons = ?6, "
    "requests = ?7, error_code = ?8, error_message = ?9, "
    "submitted_at = COALESCE (submitted_at, CASE WHEN ?3 IS NOT NULL THEN ?13 END), "
    "started_at = ?10, finished_at = ?11, updated_at = ?13 WHERE id = ?1";
  sqlite3_stmt *stmt = easel_db_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, record->id);
  bind_text (stmt, 2, easel_job_state_to_string (record->state));
  bind_text (stmt, 3, record->remote_id);
  bind_text (stmt, 4, record->remote_status);
  if (record->progress >= 0)
    sqlite3_bind_int (stmt, 5, record->progress);
  else
    sqlite3_bind_null (stmt, 5);
  bind_text (stmt, 6, record->buttons_json);
  sqlite3_bind_int64 (stmt, 7, record->requests);
  bind_text (stmt, 8, record->error_code);
  bind_text (stmt, 9, record->error_message);
  bind_time (stmt, 10, record->started_at);
  bind_time (stmt, 11, record->finished_at);
  sqlite3_bind_int64 (stmt, 13, g_get_real_time ());

  return step_done (db, stmt, error);
}

static EaselJobRecord *
read_record (sqlite3_stmt *stmt)
{
  EaselJobRecord *record = g_new0 (EaselJobRecord, 1);
  g_autofree char *state = NULL;

  record->id = sqlite3_column_int64 (stmt, 0);
  record->uuid = dup_text (stmt, 1);
  record->batch = dup_text (stmt, 2);
  record->provider = dup_text (stmt, 3);
  record->account = dup_text (stmt, 4);
  record->model = dup_text (stmt, 5);
  record->prompt = dup_text (stmt, 6);
  record->spec_json = dup_text (stmt, 7);
  state = dup_text (stmt, 8);
  if (!easel_job_state_from_string (state, &record->state))
    record->state = EASEL_JOB_NEEDS_ATTENTION;
  record->remote_id = dup_text (stmt, 9);
  record->remote_status = dup_text (stmt, 10);
  record->progress = sqlite3_column_type (stmt, 11) == SQLITE_NULL ? -1 : sqlite3_column_int (stmt, 11);
  record->buttons_json = dup_text (stmt, 12);
  record->attempt = (guint) sqlite3_column_int (stmt, 13);
  record->retry_of = sqlite3_column_int64 (stmt, 14);
  record->parent_id = sqlite3_column_int64 (stmt, 15);
  record->action = dup_text (stmt, 16);
  record->requests = (guint) sqlite3_column_int (stmt, 17);
  record->error_code = dup_text (stmt, 18);
  record->error_message = dup_text (stmt, 19);
  record->created_at = sqlite3_column_int64 (stmt, 20);
  record->submitted_at = sqlite3_column_int64 (stmt, 21);
  record->started_at = sqlite3_column_int64 (stmt, 22);
  record->finished_at = sqlite3_column_int64 (stmt, 23);
  record->estimate = sqlite3_column_int64 (stmt, 24);
  record->cost = sqlite3_column_type (stmt, 25) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 25);
  record->template_id = sqlite3_column_int64 (stmt, 26);
  record->template_version = sqlite3_column_int (stmt, 27);
  record->template_bindings = dup_text (stmt, 28);
  return record;
}

static gboolean
read_output_paths (EaselDb         *db,
                   EaselJobRecord  *record,
                   GError         **error)
{
  const char *sql =
    "SELECT i.path FROM job_outputs o JOIN images i ON i.hash = o.image_hash "
    "WHERE o.job_id = ?1 ORDER BY o.position";
  sqlite3_stmt *stmt = easel_db_prepare (db, sql, error);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record->id);
  while ((rc = easel_db_step (db, stmt, error)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    return FALSE;
  record->outputs = g_strv_builder_end (builder);
  return TRUE;
}

static GPtrArray *
read_records (EaselDb       *db,
              sqlite3_stmt  *stmt,
              GError       **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_job_record_free);
  int rc;

  while ((rc = easel_db_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (records, read_record (stmt));
  if (rc != SQLITE_DONE)
    return NULL;

  for (guint i = 0; i < records->len; i++)
    {
      if (!read_output_paths (db, g_ptr_array_index (records, i), error))
        return NULL;
    }
  return g_steal_pointer (&records);
}

/**
 * easel_job_store_load:
 * @db: the database
 * @finished_limit: how many of the newest finished jobs to load too
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type EaselJobRecord): every
 *   unfinished job and the newest finished ones, oldest first
 */
GPtrArray *
easel_job_store_load (EaselDb  *db,
                      guint     finished_limit,
                      GError  **error)
{
  const char *sql =
    "SELECT * FROM (SELECT " JOB_COLUMNS " FROM jobs j "
    "WHERE j.state IN ('queued', 'submitting', 'submitted', 'running', 'downloading') "
    "UNION ALL SELECT * FROM (SELECT " JOB_COLUMNS " FROM jobs j "
    "WHERE j.state IN ('succeeded', 'failed', 'cancelled', 'needs-attention') "
    "ORDER BY j.id DESC LIMIT ?1)) ORDER BY 1";
  sqlite3_stmt *stmt = easel_db_prepare (db, sql, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, finished_limit);
  return read_records (db, stmt, error);
}

/**
 * easel_job_store_list:
 * @db: the database
 * @state: (nullable): only jobs in this state
 * @limit: the most jobs to list (newest)
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type EaselJobRecord): the jobs,
 *   oldest first
 */
GPtrArray *
easel_job_store_list (EaselDb     *db,
                      const char  *state,
                      guint        limit,
                      GError     **error)
{
  const char *sql =
    "SELECT * FROM (SELECT " JOB_COLUMNS " FROM jobs j WHERE (?1 IS NULL OR j.state = ?1) "
    "ORDER BY j.id DESC LIMIT ?2) ORDER BY 1";
  sqlite3_stmt *stmt = easel_db_prepare (db, sql, error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, state);
  sqlite3_bind_int64 (stmt, 2, limit);
  return read_records (db, stmt, error);
}

/**
 * easel_job_store_set_outputs:
 * @db: the database
 * @job_id: a job
 * @outputs: (element-type EaselOutputRecord): its outputs, to download
 * @error: return location for a #GError
 *
 * Records the outputs a finished job reported, so that downloads resume
 * after a restart.
 *
 * Returns: %TRUE on success
 */
gboolean
easel_job_store_set_outputs (EaselDb    *db,
                             gint64      job_id,
                             GPtrArray  *outputs,
                             GError    **error)
{
  const char *sql =
    "INSERT INTO job_outputs (job_id, position, url, width, height, content_type) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT (job_id, position) DO UPDATE SET url = excluded.url "
    "WHERE job_outputs.state != 'done'";

  if (!easel_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  for (guint i = 0; i < outputs->len; i++)
    {
      EaselOutputRecord *output = g_ptr_array_index (outputs, i);
      sqlite3_stmt *stmt = easel_db_prepare (db, sql, error);

      if (stmt == NULL)
        goto rollback;
      sqlite3_bind_int64 (stmt, 1, job_id);
      sqlite3_bind_int (stmt, 2, output->position);
      bind_text (stmt, 3, output->url);
      sqlite3_bind_int (stmt, 4, output->width);
      sqlite3_bind_int (stmt, 5, output->height);
      bind_text (stmt, 6, output->content_type);
      if (!step_done (db, stmt, error))
        goto rollback;
    }
  return easel_db_exec (db, "COMMIT", error);

rollback:
  easel_db_exec (db, "ROLLBACK", NULL);
  return FALSE;
}

/**
 * easel_job_store_get_outputs:
 * @db: the database
 * @job_id: a job
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type EaselOutputRecord): the
 *   job's outputs, with the image of each one already saved
 */
GPtrArray *
easel_job_store_get_outputs (EaselDb  *db,
                             gint64    job_id,
                             GError  **error)
{
  const char *sql =
    "SELECT o.position, o.url, o.width, o.height, o.content_type, o.image_hash, i.path, i.mime, i.bytes "
    "FROM job_outputs o LEFT JOIN images i ON i.hash = o.image_hash "
    "WHERE o.job_id = ?1 ORDER BY o.position";
  g_autoptr(GPtrArray) outputs = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_output_record_free);
  sqlite3_stmt *stmt = easel_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job_id);
  while ((rc = easel_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      EaselOutputRecord *output = g_new0 (EaselOutputRecord, 1);

      output->job_id = job_id;
      output->position = sqlite3_column_int (stmt, 0);
      output->url = dup_text (stmt, 1);
      output->width = sqlite3_column_int (stmt, 2);
      output->height = sqlite3_column_int (stmt, 3);
      output->content_type = dup_text (stmt, 4);
      output->image_hash = dup_text (stmt, 5);
      output->image_path = dup_text (stmt, 6);
      output->mime = dup_text (stmt, 7);
      output->bytes = sqlite3_column_int64 (stmt, 8);
      g_ptr_array_add (outputs, output);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&outputs);
}

static gint64
seed_of (const char *spec_json)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *params;
  gint64 seed = -1;

  if (spec_json == NULL || (root = easel_json_parse (spec_json, strlen (spec_json), NULL)) == NULL ||
      (object = easel_json_expect_object (root, "spec", NULL)) == NULL ||
      (params = easel_json_get_object (object, "params", NULL)) == NULL)
    return -1;
  easel_json_get_int (params, "seed", 0, G_MAXINT64, &seed, NULL);
  return seed;
}

static char *
params_of (const char *spec_json)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *params;
  g_autoptr(JsonNode) node = NULL;

  if (spec_json == NULL || (root = easel_json_parse (spec_json, strlen (spec_json), NULL)) == NULL ||
      (object = easel_json_expect_object (root, "spec", NULL)) == NULL ||
      (params = easel_json_get_object (object, "params", NULL)) == NULL)
    return NULL;
  node = json_node_init_object (json_node_alloc (), params);
  return json_to_string (node, FALSE);
}

/**
 * easel_job_store_finish:
 * @db: the database
 * @record: the job's final fields
 * @outputs: (nullable) (element-type EaselOutputRecord): the outputs, with
 *   the saved image of each one that was saved
 * @settle: whether to record @record's cost as the actual cost
 * @error: return location for a #GError
 *
 * In one transaction: the library rows of the saved images, the outputs'
 * states, the job's final state and the settled cost.
 *
 * Returns: %TRUE on success
 */
gboolean
easel_job_store_finish (EaselDb         *db,
                        EaselJobRecord  *record,
                        GPtrArray       *outputs,
                        gboolean         settle,
                        GError         **error)
{
  const char *image_sql =
    "INSERT INTO images (hash, path, width, height, mime, bytes, created_at, job_id, provider, "
    "model, prompt, params, seed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
    "ON CONFLICT (hash) DO NOTHING";
  const char *output_sql =
    "UPDATE job_outputs SET image_hash = ?3, state = ?4, error = ?5 WHERE job_id = ?1 AND position = ?2";
  const char *ledger_sql =
    "INSERT INTO ledger (job_id, provider, account, kind, micros, exact, basis, at) "
    "SELECT ?1, ?2, ?3, 'actual', ?4, ?5, ?6, ?7 "
    "WHERE NOT EXISTS (SELECT 1 FROM ledger WHERE job_id = ?1 AND kind = 'actual')";
  g_autofree char *params = params_of (record->spec_json);
  gint64 seed = seed_of (record->spec_json);
  gint64 now = g_get_real_time ();

  if (!easel_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  for (guint i = 0; outputs != NULL && i < outputs->len; i++)
    {
      EaselOutputRecord *output = g_ptr_array_index (outputs, i);
      sqlite3_stmt *stmt;

      if (output->image_hash != NULL)
        {
          stmt = easel_db_prepare (db, image_sql, error);
          if (stmt == NULL)
            goto rollback;
          bind_text (stmt, 1, output->image_hash);
          bind_text (stmt, 2, output->image_path);
          sqlite3_bind_int (stmt, 3, output->width);
          sqlite3_bind_int (stmt, 4, output->height);
          bind_text (stmt, 5, output->mime);
          sqlite3_bind_int64 (stmt, 6, output->bytes);
          sqlite3_bind_int64 (stmt, 7, now);
          sqlite3_bind_int64 (stmt, 8, record->id);
          bind_text (stmt, 9, record->provider);
          bind_text (stmt, 10, record->model);
          bind_text (stmt, 11, record->prompt);
          bind_text (stmt, 12, params);
          if (seed >= 0)
            sqlite3_bind_int64 (stmt, 13, seed);
          else
            sqlite3_bind_null (stmt, 13);
          if (!step_done (db, stmt, error))
            goto rollback;
        }

      stmt = easel_db_prepare (db, output_sql, error);
      if (stmt == NULL)
        goto rollback;
      sqlite3_bind_int64 (stmt, 1, record->id);
      sqlite3_bind_int (stmt, 2, output->position);
      bind_text (stmt, 3, output->image_hash);
      bind_text (stmt, 4, output->image_hash != NULL ? "done" : "failed");
      bind_text (stmt, 5, output->error);
      if (!step_done (db, stmt, error))
        goto rollback;
    }

  if (!easel_job_store_update (db, record, error))
    goto rollback;

  if (settle && record->cost >= 0)
    {
      sqlite3_stmt *stmt = easel_db_prepare (db, ledger_sql, error);

      if (stmt == NULL)
        goto rollback;
      sqlite3_bind_int64 (stmt, 1, record->id);
      bind_text (stmt, 2, record->provider);
      bind_text (stmt, 3, record->account ? record->account : "");
      sqlite3_bind_int64 (stmt, 4, record->cost);
      sqlite3_bind_int (stmt, 5, record->estimate_exact);
      bind_text (stmt, 6, record->estimate_basis);
      sqlite3_bind_int64 (stmt, 7, now);
      if (!step_done (db, stmt, error))
        goto rollback;
    }

  return easel_db_exec (db, "COMMIT", error);

rollback:
  easel_db_exec (db, "ROLLBACK", NULL);
  return FALSE;
}

/**
 * easel_job_store_remote_id_known:
 * @db: the database
 * @provider: a provider id
 * @remote_id: a provider's job id
 * @error: return location for a #GError
 *
 * Returns: whether a job of ours already has @remote_id (so reconciliation
 *   does not claim one remote job for two local ones)
 */
gboolean
easel_job_store_remote_id_known (EaselDb     *db,
                                 const char  *provider,
                                 const char  *remote_id,
                                 GError     **error)
{
  sqlite3_stmt *stmt = easel_db_prepare (db, "SELECT 1 FROM jobs WHERE provider = ?1 AND remote_id = ?2", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, provider);
  bind_text (stmt, 2, remote_id);
  return easel_db_step (db, stmt, error) == SQLITE_ROW;
}
