/* easel-model-settings.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The editor's last parameters for each model (table model_settings of
 * migration 3), so that choosing a model again brings its settings back.
 * Reads and writes run on the store's thread. */

#include "config.h"

#include "easel-model-settings.h"

#include "easel-json.h"
#include "easel-store-task.h"

typedef struct
{
  char *provider;
  char *model;
  char *params;    /* JSON text; NULL when loading */
} Settings;

static void
settings_free (Settings *settings)
{
  g_free (settings->provider);
  g_free (settings->model);
  g_free (settings->params);
  g_free (settings);
}

static Settings *
settings_new (const char *provider,
              const char *model)
{
  Settings *settings = g_new0 (Settings, 1);

  settings->provider = g_strdup (provider);
  settings->model = g_strdup (model);
  return settings;
}

/* What the store's thread gives back from a load: the object, or none. */
typedef struct
{
  JsonObject *params;
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->params, json_object_unref);
  g_free (loaded);
}

static gpointer
load_func (EaselDb   *db,
           gpointer   data,
           GError   **error)
{
  Settings *settings = data;
  Loaded *loaded = g_new0 (Loaded, 1);
  sqlite3_stmt *stmt;
  int rc;

  stmt = easel_db_prepare (db, "SELECT params FROM model_settings WHERE provider = ? AND model = ?", error);
  if (stmt == NULL)
    goto fail;
  easel_db_bind_text (stmt, 1, settings->provider);
  easel_db_bind_text (stmt, 2, settings->model);
  rc = easel_db_step (db, stmt, error);
  if (rc < 0)
    goto fail;

  if (rc == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(GError) parse_error = NULL;

      /* Damaged settings are as good as none: the editor starts from the
       * defaults, and the next save replaces them. */
      loaded->params = easel_json_object_parse (text != NULL ? text : "", &parse_error);
      if (loaded->params == NULL)
        g_message ("Ignoring the damaged settings of %s model %s: %s", settings->provider,
                   settings->model, parse_error->message);
    }
  sqlite3_reset (stmt);
  return loaded;

fail:
  loaded_free (loaded);
  return NULL;
}

/**
 * easel_model_settings_load_async:
 * @store: an open store
 * @provider: a provider id
 * @model: a model of @provider
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the settings
 * @user_data: data for @callback
 *
 * Reads the parameters last saved for @model.
 */
void
easel_model_settings_load_async (EaselStore          *store,
                                 const char          *provider,
                                 const char          *model,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_STORE (store));
  g_return_if_fail (provider != NULL);
  g_return_if_fail (model != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  easel_store_task_run (store, load_func, settings_new (provider, model), (GDestroyNotify) settings_free,
                        (GDestroyNotify) loaded_free, EASEL_STORE_TASK_READ, cancellable, callback,
                        user_data, easel_model_settings_load_async);
}

/**
 * easel_model_settings_load_finish:
 * @store: the store
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the saved parameters, or %NULL
 *   without @error when nothing (readable) was saved for the model, or
 *   %NULL with @error set when the store failed
 */
JsonObject *
easel_model_settings_load_finish (EaselStore    *store,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  Loaded *loaded = easel_store_task_finish (store, result, easel_model_settings_load_async, error);
  JsonObject *params;

  if (loaded == NULL)
    return NULL;
  params = g_steal_pointer (&loaded->params);
  loaded_free (loaded);
  return params;
}

static gpointer
save_func (EaselDb   *db,
           gpointer   data,
           GError   **error)
{
  Settings *settings = data;
  sqlite3_stmt *stmt;

  stmt = easel_db_prepare (db,
    "INSERT INTO model_settings (provider, model, params, updated_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (provider, model) DO UPDATE SET params = excluded.params, updated_at = excluded.updated_at",
    error);
  if (stmt == NULL)
    return NULL;
  easel_db_bind_text (stmt, 1, settings->provider);
  easel_db_bind_text (stmt, 2, settings->model);
  easel_db_bind_text (stmt, 3, settings->params);
  easel_db_bind_int64 (stmt, 4, g_get_real_time ());
  if (easel_db_step (db, stmt, error) != SQLITE_DONE)
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

/**
 * easel_model_settings_save_async:
 * @store: an open store
 * @provider: a provider id
 * @model: a model of @provider
 * @params: the parameters to remember for @model
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when they are saved
 * @user_data: data for @callback
 *
 * Remembers @params for @model, replacing what was saved before. The
 * object is copied at once: changing it afterwards changes nothing saved.
 */
void
easel_model_settings_save_async (EaselStore          *store,
                                 const char          *provider,
                                 const char          *model,
                                 JsonObject          *params,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Settings *settings;

  g_return_if_fail (EASEL_IS_STORE (store));
  g_return_if_fail (provider != NULL);
  g_return_if_fail (model != NULL);
  g_return_if_fail (params != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  settings = settings_new (provider, model);
  settings->params = easel_json_object_to_string (params);

  easel_store_task_run (store, save_func, settings, (GDestroyNotify) settings_free, NULL,
                        EASEL_STORE_TASK_WRITE, cancellable, callback, user_data,
                        easel_model_settings_save_async);
}

/**
 * easel_model_settings_save_finish:
 * @store: the store
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the settings were saved
 */
gboolean
easel_model_settings_save_finish (EaselStore    *store,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return easel_store_task_finish (store, result, easel_model_settings_save_async, error) != NULL;
}
