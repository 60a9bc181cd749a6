/* easel-prompt-history.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Recent prompts, for Up/Down in an empty editor and for search. Each
 * distinct (prompt, negative, provider, model) is one row of
 * prompt_history (migration 3) with its last parameters, a use count and
 * the time of its last use; everything runs on the store's thread.
 *
 * "Newest first" must hold even when the wall clock steps back, so a use
 * is stamped with the later of now and just after the newest stamp. The
 * table is kept to EASEL_PROMPT_HISTORY_MAX rows in the same transaction
 * that records a use.
 *
 * Search is case-insensitive for all of Unicode, which SQLite's LIKE is
 * not (it folds ASCII only): every word of the query must occur in the
 * prompt once both are case-folded in C. LIKE still narrows the rows
 * first, with the longest ASCII word of the query bound as a parameter,
 * its wildcards escaped, but only among prompts of printable ASCII: in
 * others, case folding can turn letters into ASCII ("Straße" holds
 * "strasse"), which only the check in C sees. The table is bounded, so the
 * scan is too. */

#include "config.h"

#include "easel-prompt-history.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-error.h"
#include "easel-json.h"
#include "easel-store-task.h"

G_DEFINE_BOXED_TYPE (EaselHistoryEntry, easel_history_entry,
                     easel_history_entry_copy, easel_history_entry_free)

/**
 * easel_history_entry_copy:
 * @self: an entry
 *
 * Returns: (transfer full): a deep copy of @self
 */
EaselHistoryEntry *
easel_history_entry_copy (const EaselHistoryEntry *self)
{
  EaselHistoryEntry *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->prompt = g_strdup (self->prompt);
  copy->negative = g_strdup (self->negative);
  copy->provider = g_strdup (self->provider);
  copy->model = g_strdup (self->model);
  copy->params = self->params != NULL ? json_object_ref (self->params) : NULL;
  return copy;
}

/**
 * easel_history_entry_free:
 * @self: (nullable) (transfer full): an entry
 */
void
easel_history_entry_free (EaselHistoryEntry *self)
{
  if (self == NULL)
    return;

  g_free (self->prompt);
  g_free (self->negative);
  g_free (self->provider);
  g_free (self->model);
  g_clear_pointer (&self->params, json_object_unref);
  g_free (self);
}

/* Recording */

typedef struct
{
  char   *prompt;
  char   *negative;
  char   *provider;
  char   *model;
  char   *params;     /* JSON text, or NULL */
  gint64  now;
} Record;

static void
record_free (Record *record)
{
  g_free (record->prompt);
  g_free (record->negative);
  g_free (record->provider);
  g_free (record->model);
  g_free (record->params);
  g_free (record);
}

static gpointer
record_func (EaselDb   *db,
             gpointer   data,
             GError   **error)
{
  Record *record = data;
  sqlite3_stmt *stmt;

  if (!easel_db_begin (db, error))
    return NULL;

  stmt = easel_db_prepare (db,
    "INSERT INTO prompt_history (prompt, negative, provider, model, params, uses, used_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, 1, "
    "        max (?6, coalesce ((SELECT max (used_at) FROM prompt_history), 0) + 1)) "
    "ON CONFLICT (prompt, negative, provider, model) DO UPDATE "
    "SET uses = uses + 1, used_at = excluded.used_at, params = excluded.params",
    error);
  if (stmt == NULL)
    goto rollback;
  easel_db_bind_text (stmt, 1, record->prompt);
  easel_db_bind_text (stmt, 2, record->negative);
  easel_db_bind_text (stmt, 3, record->provider);
  easel_db_bind_text (stmt, 4, record->model);
  easel_db_bind_text (stmt, 5, record->params);
  easel_db_bind_int64 (stmt, 6, record->now);
  if (easel_db_step (db, stmt, error) != SQLITE_DONE)
    goto rollback;

  /* Forget what fell off the end; the index on used_at finds the cut. */
  stmt = easel_db_prepare (db,
    "DELETE FROM prompt_history WHERE used_at < "
    "(SELECT used_at FROM prompt_history ORDER BY used_at DESC LIMIT 1 OFFSET ?1)",
    error);
  if (stmt == NULL)
    goto rollback;
  easel_db_bind_int64 (stmt, 1, EASEL_PROMPT_HISTORY_MAX - 1);
  if (easel_db_step (db, stmt, error) != SQLITE_DONE)
    goto rollback;

  if (!easel_db_commit (db, error))
    goto rollback;
  return GINT_TO_POINTER (TRUE);

rollback:
  easel_db_rollback (db);
  return NULL;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }
  return TRUE;
}

/**
 * easel_prompt_history_record_async:
 * @store: an open store
 * @prompt: the prompt that was submitted
 * @negative: (nullable): its negative prompt
 * @provider: the provider id
 * @model: the model
 * @params: (nullable): the parameters it was submitted with
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when it is recorded
 * @user_data: data for @callback
 *
 * Remembers a use of @prompt: a new entry, or one more use of the entry
 * with the same prompt, negative prompt, provider and model, which takes
 * @params and becomes the newest. A prompt of only white space is not
 * recorded (and that is not an error). The oldest entries beyond
 * %EASEL_PROMPT_HISTORY_MAX are forgotten.
 */
void
easel_prompt_history_record_async (EaselStore          *store,
                                   const char          *prompt,
                                   const char          *negative,
                                   const char          *provider,
                                   const char          *model,
                                   JsonObject          *params,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Record *record;

  g_return_if_fail (EASEL_IS_STORE (store));
  g_return_if_fail (prompt != NULL);
  g_return_if_fail (provider != NULL && provider[0] != '\0');
  g_return_if_fail (model != NULL && model[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!g_utf8_validate (prompt, -1, NULL) || (negative != NULL && !g_utf8_validate (negative, -1, NULL)))
    {
      g_task_report_new_error (store, callback, user_data, easel_prompt_history_record_async,
                               EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                               _("The prompt is not valid text"));
      return;
    }

  if (is_blank (prompt))
    {
      GTask *task = g_task_new (store, cancellable, callback, user_data);

      g_task_set_source_tag (task, easel_prompt_history_record_async);
      g_task_return_pointer (task, GINT_TO_POINTER (TRUE), NULL);
      g_object_unref (task);
      return;
    }

  record = g_new0 (Record, 1);
  record->prompt = g_strdup (prompt);
  record->negative = g_strdup (negative != NULL ? negative : "");
  record->provider = g_strdup (provider);
  record->model = g_strdup (model);
  record->params = params != NULL ? easel_json_object_to_string (params) : NULL;
  record->now = g_get_real_time ();

  easel_store_task_run (store, record_func, record, (GDestroyNotify) record_free, NULL,
                        EASEL_STORE_TASK_WRITE, cancellable, callback, user_data,
                        easel_prompt_history_record_async);
}

/**
 * easel_prompt_history_record_finish:
 * @store: the store
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the use was recorded (or there was nothing to record)
 */
gboolean
easel_prompt_history_record_finish (EaselStore    *store,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return easel_store_task_finish (store, result, easel_prompt_history_record_async, error) != NULL;
}

/* Searching */

typedef struct
{
  GStrv  words;      /* case-folded */
  char  *pattern;    /* for LIKE, or NULL */
  guint  limit;
} Search;

static void
search_free (Search *search)
{
  g_strfreev (search->words);
  g_free (search->pattern);
  g_free (search);
}

static char *
fold (const char *text)
{
  g_autofree char *normal = g_utf8_normalize (text, -1, G_NORMALIZE_DEFAULT_COMPOSE);

  return g_utf8_casefold (normal != NULL ? normal : text, -1);
}

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isprint (*p))
        return FALSE;
    }
  return TRUE;
}

/* A LIKE pattern matching @word anywhere, with `%`, `_` and the escape
 * character itself taken literally (ESCAPE '\'). */
static char *
like_pattern (const char *word)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

static Search *
search_new (const char *text,
            guint       limit)
{
  Search *search = g_new0 (Search, 1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) words = g_strsplit_set (text != NULL ? text : "", " \t\r\n\f\v", -1);
  const char *longest_ascii = NULL;

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *folded = NULL;

      if (words[i][0] == '\0' || is_blank (words[i]))
        continue;
      folded = fold (words[i]);
      g_strv_builder_add (builder, folded);
      if (is_ascii (words[i]) && (longest_ascii == NULL || strlen (words[i]) > strlen (longest_ascii)))
        longest_ascii = words[i];
    }

  search->words = g_strv_builder_end (builder);
  search->pattern = longest_ascii != NULL ? like_pattern (longest_ascii) : NULL;
  search->limit = limit > 0 ? limit : EASEL_PROMPT_HISTORY_MAX;
  return search;
}

static gboolean
matches (Search     *search,
         const char *prompt)
{
  g_autofree char *folded = NULL;

  if (search->words[0] == NULL)
    return TRUE;

  folded = fold (prompt);
  for (guint i = 0; search->words[i] != NULL; i++)
    {
      if (strstr (folded, search->words[i]) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gpointer
search_func (EaselDb   *db,
             gpointer   data,
             GError   **error)
{
  Search *search = data;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_history_entry_free);
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  stmt = easel_db_prepare (db,
    "SELECT id, prompt, negative, provider, model, params, uses, used_at FROM prompt_history "
    "WHERE ?1 IS NULL OR prompt LIKE ?1 ESCAPE '\\' OR prompt GLOB '*[^ -~]*' "
    "ORDER BY used_at DESC, id DESC",
    error);
  if (stmt == NULL)
    return NULL;
  easel_db_bind_text (stmt, 1, search->pattern);

  while (entries->len < search->limit && (rc = easel_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *prompt = (const char *) sqlite3_column_text (stmt, 1);
      EaselHistoryEntry *entry;

      if (prompt == NULL || !matches (search, prompt))
        continue;

      entry = g_new0 (EaselHistoryEntry, 1);
      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->prompt = g_strdup (prompt);
      entry->negative = easel_db_column_text_dup (stmt, 2);
      entry->provider = easel_db_column_text_dup (stmt, 3);
      entry->model = easel_db_column_text_dup (stmt, 4);
      /* Damaged parameters lose only themselves, not the prompt. */
      if (sqlite3_column_text (stmt, 5) != NULL)
        entry->params = easel_json_object_parse ((const char *) sqlite3_column_text (stmt, 5), NULL);
      entry->uses = (guint) CLAMP (sqlite3_column_int64 (stmt, 6), 0, G_MAXUINT);
      entry->used_at = sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (entries, entry);
    }
  if (entries->len < search->limit && rc < 0)
    return NULL;

  /* A statement stopped early keeps its read transaction open. */
  sqlite3_reset (stmt);
  return g_steal_pointer (&entries);
}

/**
 * easel_prompt_history_search_async:
 * @store: an open store
 * @text: (nullable): words to look for, or %NULL or "" for the most recent
 * @limit: the most entries wanted, or 0 for all
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the entries
 * @user_data: data for @callback
 *
 * Finds remembered prompts, most recently used first. Every word of @text
 * must occur in the prompt, in any case and anywhere (so "Fox fo" finds
 * "a red fox"); the negative prompt is not searched.
 */
void
easel_prompt_history_search_async (EaselStore          *store,
                                   const char          *text,
                                   guint                limit,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_STORE (store));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      g_task_report_new_error (store, callback, user_data, easel_prompt_history_search_async,
                               EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                               _("The search is not valid text"));
      return;
    }

  easel_store_task_run (store, search_func, search_new (text, limit), (GDestroyNotify) search_free,
                        (GDestroyNotify) g_ptr_array_unref, EASEL_STORE_TASK_READ,
                        cancellable, callback, user_data, easel_prompt_history_search_async);
}

/**
 * easel_prompt_history_search_finish:
 * @store: the store
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type EaselHistoryEntry): the entries,
 *   newest first (maybe none), or %NULL with @error set
 */
GPtrArray *
easel_prompt_history_search_finish (EaselStore    *store,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return easel_store_task_finish (store, result, easel_prompt_history_search_async, error);
}

/* Forgetting */

static gpointer
delete_func (EaselDb   *db,
             gpointer   data,
             GError   **error)
{
  gint64 *id = data;
  sqlite3_stmt *stmt = easel_db_prepare (db, "DELETE FROM prompt_history WHERE id = ?", error);

  if (stmt == NULL)
    return NULL;
  easel_db_bind_int64 (stmt, 1, *id);
  if (easel_db_step (db, stmt, error) != SQLITE_DONE)
    return NULL;
  if (easel_db_changes (db) == 0)
    {
      g_set_error_literal (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_NOT_FOUND,
                           _("The prompt is no longer in the history"));
      return NULL;
    }
  return GINT_TO_POINTER (TRUE);
}

/**
 * easel_prompt_history_delete_async:
 * @store: an open store
 * @id: an entry's #EaselHistoryEntry.id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when it is forgotten
 * @user_data: data for @callback
 *
 * Forgets one entry.
 */
void
easel_prompt_history_delete_async (EaselStore          *store,
                                   gint64               id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_STORE (store));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  easel_store_task_run (store, delete_func, g_memdup2 (&id, sizeof id), g_free, NULL,
                        EASEL_STORE_TASK_WRITE, cancellable, callback, user_data,
                        easel_prompt_history_delete_async);
}

/**
 * easel_prompt_history_delete_finish:
 * @store: the store
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the entry was forgotten; %FALSE with
 *   %EASEL_STORE_ERROR_NOT_FOUND when there was no such entry
 */
gboolean
easel_prompt_history_delete_finish (EaselStore    *store,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return easel_store_task_finish (store, result, easel_prompt_history_delete_async, error) != NULL;
}
