/* easel-template-store.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The template library (tables of migration 3), on the store's thread.
 *
 * Every save is a new version: a template's versions are never changed or
 * removed, so a job that names a template and version can always show
 * what it was made from. Deleting marks the template (deleted_at) and
 * keeps its rows, for the same reason and for `template:"Name"` searches.
 *
 * Names are unique without regard to case, including deleted templates
 * (the column is UNIQUE COLLATE NOCASE). Saving a new template under the
 * name of a deleted one brings that one back with a new version, so its
 * old jobs and the new ones share a name and an id; renaming onto the name
 * of a deleted template is refused instead, since that would take the
 * name from jobs that still use it.
 *
 * The main thread checks what it can (names, syntax) before anything goes
 * to the store; the store thread does the rest in one transaction. */

#include "config.h"

#include "easel-template-store.h"

#include <string.h>

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "easel-error.h"
#include "easel-json.h"

#define MAX_NAME_CHARS 100

#define TEMPLATE_COLUMNS \
  "t.id, t.name, t.current_version, t.created_at, t.deleted_at, v.version, v.body, v.negative, " \
  "v.variables, v.provider, v.model, v.params, v.created_at"

/* EaselTemplate */

G_DEFINE_BOXED_TYPE (EaselTemplate, easel_template, easel_template_copy, easel_template_free)

static GPtrArray *
variables_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) easel_template_variable_free);
}

/**
 * easel_template_new:
 * @name: the template's name
 * @body: its prompt
 *
 * Returns: (transfer full): a template never saved (id 0), with no
 *   variables, provider, model or parameters
 */
EaselTemplate *
easel_template_new (const char *name,
                    const char *body)
{
  EaselTemplate *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);

  self = g_new0 (EaselTemplate, 1);
  self->name = g_strdup (name);
  self->body = g_strdup (body);
  self->negative = g_strdup ("");
  self->variables = variables_new ();
  return self;
}

/* A deep copy (json_node_copy() shares objects and arrays). */
static JsonObject *
object_copy (JsonObject *object)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) copy = NULL;
  g_autofree char *text = NULL;

  if (object == NULL)
    return NULL;
  node = json_node_init_object (json_node_alloc (), object);
  text = json_to_string (node, FALSE);
  copy = easel_json_parse (text, strlen (text), NULL);
  return copy != NULL && JSON_NODE_HOLDS_OBJECT (copy) ? json_node_dup_object (copy) : json_object_new ();
}

/**
 * easel_template_copy:
 * @self: a template
 *
 * Returns: (transfer full): a deep copy of @self
 */
EaselTemplate *
easel_template_copy (const EaselTemplate *self)
{
  EaselTemplate *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = easel_template_new (self->name, self->body);
  copy->id = self->id;
  copy->version = self->version;
  copy->latest_version = self->latest_version;
  g_free (copy->negative);
  copy->negative = g_strdup (self->negative ? self->negative : "");
  for (guint i = 0; self->variables != NULL && i < self->variables->len; i++)
    g_ptr_array_add (copy->variables, easel_template_variable_copy (g_ptr_array_index (self->variables, i)));
  copy->provider = g_strdup (self->provider);
  copy->model = g_strdup (self->model);
  copy->params = object_copy (self->params);
  copy->created_at = self->created_at;
  copy->updated_at = self->updated_at;
  copy->deleted_at = self->deleted_at;
  return copy;
}

/**
 * easel_template_free:
 * @self: (nullable) (transfer full): a template
 */
void
easel_template_free (EaselTemplate *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->body);
  g_free (self->negative);
  g_clear_pointer (&self->variables, g_ptr_array_unref);
  g_free (self->provider);
  g_free (self->model);
  g_clear_pointer (&self->params, json_object_unref);
  g_free (self);
}

/* The store */

struct _EaselTemplateStore
{
  GObject     parent_instance;

  EaselStore *store;
};

G_DEFINE_FINAL_TYPE (EaselTemplateStore, easel_template_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
easel_template_store_finalize (GObject *object)
{
  EaselTemplateStore *self = EASEL_TEMPLATE_STORE (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (easel_template_store_parent_class)->finalize (object);
}

static void
easel_template_store_class_init (EaselTemplateStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = easel_template_store_finalize;

  /**
   * EaselTemplateStore::changed:
   * @self: the template store
   *
   * Emitted after a save, rename or delete succeeded, before its callback
   * runs, so lists of templates can be read again.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
easel_template_store_init (EaselTemplateStore *self)
{
}

/**
 * easel_template_store_new:
 * @store: the open store
 *
 * Returns: (transfer full): the template library of @store
 */
EaselTemplateStore *
easel_template_store_new (EaselStore *store)
{
  EaselTemplateStore *self;

  g_return_val_if_fail (EASEL_IS_STORE (store), NULL);

  self = g_object_new (EASEL_TYPE_TEMPLATE_STORE, NULL);
  self->store = g_object_ref (store);
  return self;
}

/**
 * easel_template_store_get_store:
 * @self: a template store
 *
 * Returns: (transfer none): the store
 */
EaselStore *
easel_template_store_get_store (EaselTemplateStore *self)
{
  g_return_val_if_fail (EASEL_IS_TEMPLATE_STORE (self), NULL);

  return self->store;
}

/* Work for the store's thread */

typedef struct
{
  gint64         id;
  char          *name;
  int            version;
  EaselTemplate *template_;
} Request;

static void
request_free (Request *request)
{
  g_free (request->name);
  g_clear_pointer (&request->template_, easel_template_free);
  g_free (request);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

/* A template from a row of TEMPLATE_COLUMNS. A damaged variables or
 * params column is read as empty rather than hiding the template. */
static EaselTemplate *
template_from_row (sqlite3_stmt *stmt)
{
  const char *body = (const char *) sqlite3_column_text (stmt, 6);
  const char *variables = (const char *) sqlite3_column_text (stmt, 8);
  const char *params = (const char *) sqlite3_column_text (stmt, 11);
  EaselTemplate *template_ = easel_template_new ((const char *) sqlite3_column_text (stmt, 1),
                                                 body != NULL ? body : "");

  template_->id = sqlite3_column_int64 (stmt, 0);
  template_->latest_version = sqlite3_column_int (stmt, 2);
  template_->created_at = sqlite3_column_int64 (stmt, 3);
  template_->deleted_at = sqlite3_column_int64 (stmt, 4);
  template_->version = sqlite3_column_int (stmt, 5);
  g_free (template_->negative);
  template_->negative = g_strdup (sqlite3_column_text (stmt, 7) ? (const char *) sqlite3_column_text (stmt, 7) : "");
  if (variables != NULL)
    {
      g_autoptr(GError) error = NULL;
      GPtrArray *parsed = easel_template_variables_from_json (variables, &error);

      if (parsed != NULL)
        {
          g_ptr_array_unref (template_->variables);
          template_->variables = parsed;
        }
      else
        g_warning ("Template %" G_GINT64_FORMAT " version %d: %s", template_->id, template_->version,
                   error->message);
    }
  template_->provider = column_text (stmt, 9);
  template_->model = column_text (stmt, 10);
  if (params != NULL)
    {
      g_autoptr(JsonNode) node = easel_json_parse (params, strlen (params), NULL);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        template_->params = json_node_dup_object (node);
    }
  template_->updated_at = sqlite3_column_int64 (stmt, 12);
  return template_;
}

static void
set_not_found (GError     **error,
               gint64       id,
               const char  *name)
{
  if (name != NULL)
    g_set_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_NOT_FOUND,
                 _("There is no template named “%s”"), name);
  else
    g_set_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_NOT_FOUND,
                 _("Template %" G_GINT64_FORMAT " does not exist"), id);
}

static EaselTemplate *
load_in_db (EaselDb     *db,
            gint64       id,
            const char  *name,
            int          version,
            GError     **error)
{
  const char *sql =
    "SELECT " TEMPLATE_COLUMNS " FROM templates t JOIN template_versions v ON v.template_id = t.id "
    "AND v.version = CASE WHEN ?3 > 0 THEN ?3 ELSE t.current_version END "
    "WHERE CASE WHEN ?2 IS NOT NULL THEN t.name = ?2 AND t.deleted_at IS NULL ELSE t.id = ?1 END";
  sqlite3_stmt *stmt = easel_db_prepare (db, sql, error);
  EaselTemplate *template_;
  int rc;

  if (stmt == NULL)
    return NULL;
  easel_db_bind_int64 (stmt, 1, id);
  easel_db_bind_text (stmt, 2, name);
  easel_db_bind_int64 (stmt, 3, version);
  rc = easel_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_DONE)
    {
      if (version > 0)
        /* Translators: %d is a version number */
        g_set_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_NOT_FOUND,
                     _("The template has no version %d"), version);
      else
        set_not_found (error, id, name);
      return NULL;
    }
  template_ = template_from_row (stmt);
  sqlite3_reset (stmt);
  return template_;
}

static gpointer
load_func (EaselDb   *db,
           gpointer   data,
           GError   **error)
{
  Request *request = data;

  return load_in_db (db, request->id, request->name, request->version, error);
}

static gpointer
list_func (EaselDb   *db,
           gpointer   data,
           GError   **error)
{
  Request *request = data;
  const char *list_sql =
    "SELECT " TEMPLATE_COLUMNS " FROM templates t JOIN template_versions v ON v.template_id = t.id "
    "AND v.version = t.current_version WHERE t.deleted_at IS NULL ORDER BY t.name, t.id";
  const char *versions_sql =
    "SELECT " TEMPLATE_COLUMNS " FROM templates t JOIN template_versions v ON v.template_id = t.id "
    "WHERE t.id = ? ORDER BY v.version DESC";
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_template_free);
  sqlite3_stmt *stmt = easel_db_prepare (db, request->id > 0 ? versions_sql : list_sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (request->id > 0)
    easel_db_bind_int64 (stmt, 1, request->id);
  while ((rc = easel_db_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (templates, template_from_row (stmt));
  if (rc < 0)
    return NULL;
  if (request->id > 0 && templates->len == 0)
    {
      set_not_found (error, request->id, NULL);
      return NULL;
    }
  return g_steal_pointer (&templates);
}

/* Whether @name is free for template @id (0: a new one). Sets
 * @deleted_owner to a deleted template holding it, if any. */
static gboolean
check_name (EaselDb     *db,
            const char  *name,
            gint64       id,
            gint64      *deleted_owner,
            GError     **error)
{
  sqlite3_stmt *stmt = easel_db_prepare (db, "SELECT id, deleted_at IS NOT NULL, name FROM templates "
                                             "WHERE name = ? AND id != ?", error);
  int rc;

  *deleted_owner = 0;
  if (stmt == NULL)
    return FALSE;
  easel_db_bind_text (stmt, 1, name);
  easel_db_bind_int64 (stmt, 2, id);
  rc = easel_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      g_autofree char *owner_name = column_text (stmt, 2);
      gboolean deleted = sqlite3_column_int (stmt, 1) != 0;
      gint64 owner = sqlite3_column_int64 (stmt, 0);

      sqlite3_reset (stmt);
      if (deleted && id == 0)
        {
          *deleted_owner = owner;
          return TRUE;
        }
      if (deleted)
        g_set_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_CONSTRAINT,
                     _("A deleted template is named “%s”, and its jobs still find it by that name: choose another name"),
                     owner_name);
      else
        g_set_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_CONSTRAINT,
                     _("A template named “%s” already exists: choose another name"), owner_name);
      return FALSE;
    }
  return TRUE;
}

/* The template @id, current version and whether it is deleted. */
static gboolean
read_current (EaselDb   *db,
              gint64     id,
              int       *current,
              GError   **error)
{
  sqlite3_stmt *stmt = easel_db_prepare (db, "SELECT current_version FROM templates "
                                             "WHERE id = ? AND deleted_at IS NULL", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  easel_db_bind_int64 (stmt, 1, id);
  rc = easel_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_DONE)
    {
      set_not_found (error, id, NULL);
      return FALSE;
    }
  *current = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static char *
params_to_json (JsonObject *params)
{
  g_autoptr(JsonNode) node = NULL;

  if (params == NULL)
    return NULL;
  node = json_node_init_object (json_node_alloc (), params);
  return json_to_string (node, FALSE);
}

static gpointer
save_func (EaselDb   *db,
           gpointer   data,
           GError   **error)
{
  Request *request = data;
  EaselTemplate *template_ = request->template_;
  g_autofree char *variables = easel_template_variables_to_json (template_->variables);
  g_autofree char *params = params_to_json (template_->params);
  gint64 now = g_get_real_time ();
  gint64 id = template_->id;
  gint64 deleted_owner = 0;
  int version = 1;
  sqlite3_stmt *stmt;

  if (!easel_db_exec (db, "BEGIN IMMEDIATE", error))
    return NULL;

  if (!check_name (db, template_->name, id, &deleted_owner, error))
    goto rollback;

  if (id > 0 || deleted_owner > 0)
    {
      if (deleted_owner > 0)
        {
          /* The name of a deleted template: it comes back. */
          id = deleted_owner;
          stmt = easel_db_prepare (db, "SELECT current_version FROM templates WHERE id = ?", error);
          if (stmt == NULL)
            goto rollback;
          easel_db_bind_int64 (stmt, 1, id);
          if (easel_db_step (db, stmt, error) != SQLITE_ROW)
            goto rollback;
          version = sqlite3_column_int (stmt, 0) + 1;
          sqlite3_reset (stmt);
        }
      else
        {
          if (!read_current (db, id, &version, error))
            goto rollback;
          version++;
        }

      stmt = easel_db_prepare (db, "UPDATE templates SET name = ?, current_version = ?, updated_at = ?, "
                                   "deleted_at = NULL WHERE id = ?", error);
      if (stmt == NULL)
        goto rollback;
      easel_db_bind_text (stmt, 1, template_->name);
      easel_db_bind_int64 (stmt, 2, version);
      easel_db_bind_int64 (stmt, 3, now);
      easel_db_bind_int64 (stmt, 4, id);
      if (easel_db_step (db, stmt, error) != SQLITE_DONE)
        goto rollback;
    }
  else
    {
      stmt = easel_db_prepare (db, "INSERT INTO templates (name, current_version, created_at, updated_at) "
                                   "VALUES (?, 1, ?, ?)", error);
      if (stmt == NULL)
        goto rollback;
      easel_db_bind_text (stmt, 1, template_->name);
      easel_db_bind_int64 (stmt, 2, now);
      easel_db_bind_int64 (stmt, 3, now);
      if (easel_db_step (db, stmt, error) != SQLITE_DONE)
        goto rollback;
      id = easel_db_last_insert_rowid (db);
    }

  stmt = easel_db_prepare (db, "INSERT INTO template_versions (template_id, version, body, negative, "
                               "variables, provider, model, params, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto rollback;
  easel_db_bind_int64 (stmt, 1, id);
  easel_db_bind_int64 (stmt, 2, version);
  easel_db_bind_text (stmt, 3, template_->body);
  easel_db_bind_text (stmt, 4, template_->negative ? template_->negative : "");
  easel_db_bind_text (stmt, 5, variables);
  easel_db_bind_text (stmt, 6, template_->provider);
  easel_db_bind_text (stmt, 7, template_->model);
  easel_db_bind_text (stmt, 8, params);
  easel_db_bind_int64 (stmt, 9, now);
  if (easel_db_step (db, stmt, error) != SQLITE_DONE)
    goto rollback;

  if (!easel_db_exec (db, "COMMIT", error))
    goto rollback;
  return load_in_db (db, id, NULL, version, error);

rollback:
  easel_db_exec (db, "ROLLBACK", NULL);
  return NULL;
}

static gpointer
rename_func (EaselDb   *db,
             gpointer   data,
             GError   **error)
{
  Request *request = data;
  gint64 deleted_owner;
  sqlite3_stmt *stmt;
  int current;

  if (!easel_db_exec (db, "BEGIN IMMEDIATE", error))
    return NULL;
  if (!read_current (db, request->id, &current, error) ||
      !check_name (db, request->name, request->id, &deleted_owner, error))
    goto rollback;
  if (deleted_owner > 0)
    {
      g_set_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_CONSTRAINT,
                   _("A deleted template is named “%s”, and its jobs still find it by that name: choose another name"),
                   request->name);
      goto rollback;
    }

  stmt = easel_db_prepare (db, "UPDATE templates SET name = ?, updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto rollback;
  easel_db_bind_text (stmt, 1, request->name);
  easel_db_bind_int64 (stmt, 2, g_get_real_time ());
  easel_db_bind_int64 (stmt, 3, request->id);
  if (easel_db_step (db, stmt, error) != SQLITE_DONE || !easel_db_exec (db, "COMMIT", error))
    goto rollback;
  return GINT_TO_POINTER (TRUE);

rollback:
  easel_db_exec (db, "ROLLBACK", NULL);
  return NULL;
}

static gpointer
delete_func (EaselDb   *db,
             gpointer   data,
             GError   **error)
{
  Request *request = data;
  sqlite3_stmt *stmt = easel_db_prepare (db, "UPDATE templates SET deleted_at = ? "
                                             "WHERE id = ? AND deleted_at IS NULL", error);

  if (stmt == NULL)
    return NULL;
  easel_db_bind_int64 (stmt, 1, g_get_real_time ());
  easel_db_bind_int64 (stmt, 2, request->id);
  if (easel_db_step (db, stmt, error) != SQLITE_DONE)
    return NULL;
  if (easel_db_changes (db) == 0)
    {
      set_not_found (error, request->id, NULL);
      return NULL;
    }
  return GINT_TO_POINTER (TRUE);
}

/* Running it */

typedef struct
{
  GDestroyNotify destroy;
  gboolean       edit;
} Call;

static void
ran_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaselTemplateStore *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer value;

  value = easel_store_run_finish (EASEL_STORE (object), result, &error);
  if (value == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (call->edit)
    g_signal_emit (self, signals[CHANGED], 0);
  g_task_return_pointer (task, value, call->destroy);
}

static void
run (EaselTemplateStore  *self,
     EaselStoreFunc       func,
     Request             *request,
     GDestroyNotify       result_destroy,
     gboolean             edit,
     gpointer             source_tag,
     GCancellable        *cancellable,
     GAsyncReadyCallback  callback,
     gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  call->destroy = result_destroy;
  call->edit = edit;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, g_free);
  /* Edits are not cancelled once asked for: their outcome is the truth. */
  easel_store_run_full_async (self->store, func, request, (GDestroyNotify) request_free, result_destroy,
                              edit ? NULL : cancellable, ran_cb, task);
}

static gboolean
fail_early (EaselTemplateStore   *self,
            GError               *error,
            gpointer              source_tag,
            GAsyncReadyCallback   callback,
            gpointer              user_data)
{
  g_task_report_error (self, callback, user_data, source_tag, error);
  return FALSE;
}

/* The form names are kept in: NFC, spaces trimmed. */
static char *
normalize_name (const char  *name,
                GError     **error)
{
  g_autofree char *normal = NULL;
  glong length;

  if (!g_utf8_validate (name, -1, NULL) || (normal = g_utf8_normalize (name, -1, G_NORMALIZE_NFC)) == NULL)
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                           _("A template name must be UTF-8 text"));
      return NULL;
    }
  g_strstrip (normal);
  length = g_utf8_strlen (normal, -1);
  for (const char *p = normal; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        {
          g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                               _("A template name cannot contain control characters"));
          return NULL;
        }
    }
  if (length < 1 || length > MAX_NAME_CHARS)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                   _("A template name must have from 1 to %d characters"), MAX_NAME_CHARS);
      return NULL;
    }
  return g_steal_pointer (&normal);
}

static gboolean
check_template (const EaselTemplate  *template_,
                GError              **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (!easel_template_validate (template_->body, error))
    return FALSE;
  for (guint i = 0; template_->variables != NULL && i < template_->variables->len; i++)
    {
      EaselTemplateVariable *variable = g_ptr_array_index (template_->variables, i);

      if (!easel_template_variable_name_is_valid (variable->name))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("“%s” is not a variable name: use letters, digits, “_” and “-”"), variable->name);
          return FALSE;
        }
      if (!g_hash_table_add (seen, variable->name))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("The template has two variables named “%s”"), variable->name);
          return FALSE;
        }
      if (variable->default_value != NULL && !g_utf8_validate (variable->default_value, -1, NULL))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                       _("The values of variable “%s” are not a list of text"), variable->name);
          return FALSE;
        }
      for (guint k = 0; variable->values != NULL && variable->values[k] != NULL; k++)
        {
          if (!g_utf8_validate (variable->values[k], -1, NULL))
            {
              g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                           _("The values of variable “%s” are not a list of text"), variable->name);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* Public API */

/**
 * easel_template_store_list_async:
 * @self: a template store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Reads the current version of every template that is not deleted.
 */
void
easel_template_store_list_async (EaselTemplateStore  *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_TEMPLATE_STORE (self));

  run (self, list_func, g_new0 (Request, 1), (GDestroyNotify) g_ptr_array_unref, FALSE,
       easel_template_store_list_async, cancellable, callback, user_data);
}

/**
 * easel_template_store_list_finish:
 * @self: a template store
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type EaselTemplate): the
 *   templates sorted by name without regard to case, or %NULL with @error
 */
GPtrArray *
easel_template_store_list_finish (EaselTemplateStore  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * easel_template_store_load_async:
 * @self: a template store
 * @id: a template id, or 0 to look it up by @name
 * @name: (nullable): a template name (without regard to case), when @id is 0
 * @version: the version wanted, 0 for the current one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Reads one version of a template. By name, only templates that are not
 * deleted are found; by id, deleted ones too (with @deleted_at set), so
 * the jobs of a deleted template can still show it.
 */
void
easel_template_store_load_async (EaselTemplateStore  *self,
                                 gint64               id,
                                 const char          *name,
                                 int                  version,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Request *request;

  g_return_if_fail (EASEL_IS_TEMPLATE_STORE (self));
  g_return_if_fail ((id > 0) != (name != NULL));
  g_return_if_fail (version >= 0);

  request = g_new0 (Request, 1);
  request->id = id;
  request->version = version;
  if (name != NULL)
    {
      GError *error = NULL;

      request->name = normalize_name (name, &error);
      if (request->name == NULL)
        {
          request_free (request);
          fail_early (self, error, easel_template_store_load_async, callback, user_data);
          return;
        }
    }
  run (self, load_func, request, (GDestroyNotify) easel_template_free, FALSE,
       easel_template_store_load_async, cancellable, callback, user_data);
}

/**
 * easel_template_store_load_finish:
 * @self: a template store
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the template, or %NULL with @error
 *   (%EASEL_STORE_ERROR_NOT_FOUND when there is no such template or version)
 */
EaselTemplate *
easel_template_store_load_finish (EaselTemplateStore  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * easel_template_store_save_async:
 * @self: a template store
 * @template_: what to save; its @id says which template (0 for a new one),
 *   its @version, @latest_version and times are ignored
 * @cancellable: (nullable): a #GCancellable, which cannot stop a save
 *   once it is asked for
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Saves @template_ as a new version: version 1 of a new template, or the
 * next version of template @id (renaming it if its name changed). Names
 * are unique without regard to case; a new template with the name of a
 * deleted one brings that one back with a new version.
 */
void
easel_template_store_save_async (EaselTemplateStore  *self,
                                 const EaselTemplate *template_,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GError *error = NULL;
  Request *request;
  char *name;

  g_return_if_fail (EASEL_IS_TEMPLATE_STORE (self));
  g_return_if_fail (template_ != NULL && template_->name != NULL && template_->body != NULL);

  name = normalize_name (template_->name, &error);
  if (name == NULL || !check_template (template_, &error))
    {
      g_free (name);
      fail_early (self, error, easel_template_store_save_async, callback, user_data);
      return;
    }

  request = g_new0 (Request, 1);
  request->template_ = easel_template_copy (template_);
  g_free (request->template_->name);
  request->template_->name = name;
  run (self, save_func, request, (GDestroyNotify) easel_template_free, TRUE,
       easel_template_store_save_async, cancellable, callback, user_data);
}

/**
 * easel_template_store_save_finish:
 * @self: a template store
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the template as saved (id, version, times),
 *   or %NULL with @error: %EASEL_ERROR_INVALID_PARAMETER for a bad name,
 *   body or variable, %EASEL_STORE_ERROR_CONSTRAINT when the name is taken,
 *   %EASEL_STORE_ERROR_NOT_FOUND when template @id is gone
 */
EaselTemplate *
easel_template_store_save_finish (EaselTemplateStore  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * easel_template_store_rename_async:
 * @self: a template store
 * @id: a template id
 * @name: its new name
 * @cancellable: (nullable): a #GCancellable, which cannot stop a rename
 *   once it is asked for
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Renames a template without adding a version.
 */
void
easel_template_store_rename_async (EaselTemplateStore  *self,
                                   gint64               id,
                                   const char          *name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GError *error = NULL;
  Request *request;
  char *normal;

  g_return_if_fail (EASEL_IS_TEMPLATE_STORE (self));
  g_return_if_fail (id > 0);
  g_return_if_fail (name != NULL);

  normal = normalize_name (name, &error);
  if (normal == NULL)
    {
      fail_early (self, error, easel_template_store_rename_async, callback, user_data);
      return;
    }
  request = g_new0 (Request, 1);
  request->id = id;
  request->name = normal;
  run (self, rename_func, request, NULL, TRUE, easel_template_store_rename_async, cancellable, callback, user_data);
}

/**
 * easel_template_store_rename_finish:
 * @self: a template store
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE once renamed, or %FALSE with @error as for
 *   easel_template_store_save_finish()
 */
gboolean
easel_template_store_rename_finish (EaselTemplateStore  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

/**
 * easel_template_store_delete_async:
 * @self: a template store
 * @id: a template id
 * @cancellable: (nullable): a #GCancellable, which cannot stop a delete
 *   once it is asked for
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Deletes a template from the list. Its versions stay, so the jobs made
 * from it still show where they came from.
 */
void
easel_template_store_delete_async (EaselTemplateStore  *self,
                                   gint64               id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Request *request;

  g_return_if_fail (EASEL_IS_TEMPLATE_STORE (self));
  g_return_if_fail (id > 0);

  request = g_new0 (Request, 1);
  request->id = id;
  run (self, delete_func, request, NULL, TRUE, easel_template_store_delete_async, cancellable, callback, user_data);
}

/**
 * easel_template_store_delete_finish:
 * @self: a template store
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE once deleted, or %FALSE with %EASEL_STORE_ERROR_NOT_FOUND
 *   when there is no such template, or it was already deleted
 */
gboolean
easel_template_store_delete_finish (EaselTemplateStore  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

/**
 * easel_template_store_list_versions_async:
 * @self: a template store
 * @id: a template id (deleted templates too)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Reads every version of a template.
 */
void
easel_template_store_list_versions_async (EaselTemplateStore  *self,
                                          gint64               id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  Request *request;

  g_return_if_fail (EASEL_IS_TEMPLATE_STORE (self));
  g_return_if_fail (id > 0);

  request = g_new0 (Request, 1);
  request->id = id;
  run (self, list_func, request, (GDestroyNotify) g_ptr_array_unref, FALSE,
       easel_template_store_list_versions_async, cancellable, callback, user_data);
}

/**
 * easel_template_store_list_versions_finish:
 * @self: a template store
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type EaselTemplate): the
 *   versions, newest first, or %NULL with @error
 */
GPtrArray *
easel_template_store_list_versions_finish (EaselTemplateStore  *self,
                                           GAsyncResult        *result,
                                           GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
