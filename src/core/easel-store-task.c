/* easel-store-task.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The async operations of small store-backed services (prompt history,
 * model settings, the schema cache) are functions of the store itself:
 * their GTask has the store as its source object and the operation's own
 * source tag, so each _finish() checks it was given its own result.
 * easel_store_run_full_async() always reports what ran, cancelled or not;
 * a read here reports cancellation instead, which is what a caller whose
 * widget is going away needs. */

#include "config.h"

#include "easel-store-task.h"

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GDestroyNotify result_destroy = (GDestroyNotify) g_task_get_task_data (task);
  GError *error = NULL;
  gpointer value = easel_store_run_finish (EASEL_STORE (source), result, &error);

  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, result_destroy);
}

/**
 * easel_store_task_run:
 * @store: an open store
 * @func: the work, run on the store's thread
 * @data: data for @func
 * @data_destroy: (nullable): frees @data, on the calling thread
 * @result_destroy: (nullable): frees what @func returns when nobody
 *   collects it (not called for `GINT_TO_POINTER (TRUE)` when %NULL)
 * @flags: whether it reads or writes
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the calling thread's main context
 * @user_data: data for @callback
 * @source_tag: the public function that started it
 *
 * Runs @func on the store's thread in a #GTask whose source object is
 * @store and whose source tag is @source_tag.
 */
void
easel_store_task_run (EaselStore          *store,
                      EaselStoreFunc       func,
                      gpointer             data,
                      GDestroyNotify       data_destroy,
                      GDestroyNotify       result_destroy,
                      EaselStoreTaskFlags  flags,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             source_tag)
{
  GTask *task;

  g_return_if_fail (EASEL_IS_STORE (store));
  g_return_if_fail (func != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, (gpointer) result_destroy, NULL);
  if (flags == EASEL_STORE_TASK_WRITE)
    g_task_set_check_cancellable (task, FALSE);

  easel_store_run_full_async (store, func, data, data_destroy, result_destroy,
                              cancellable, run_done_cb, task);
}

/**
 * easel_store_task_finish:
 * @store: the store
 * @result: the #GAsyncResult given to the callback
 * @source_tag: the source tag given to easel_store_task_run()
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what the function returned, or
 *   %NULL with @error set
 */
gpointer
easel_store_task_finish (EaselStore    *store,
                         GAsyncResult  *result,
                         gpointer       source_tag,
                         GError       **error)
{
  g_return_val_if_fail (EASEL_IS_STORE (store), NULL);
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, source_tag), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
