/* easel-store.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "easel-db.h"

G_BEGIN_DECLS

#define EASEL_TYPE_STORE (easel_store_get_type ())

G_DECLARE_FINAL_TYPE (EaselStore, easel_store, EASEL, STORE, GObject)

/**
 * EaselStoreFunc:
 * @db: the store's connection
 * @data: the data given with the function
 * @error: return location for a #GError
 *
 * Work that runs on the store's thread, with the database to itself.
 *
 * It returns a pointer: %NULL with @error set on failure, anything else on
 * success. A function with nothing to give back returns
 * `GINT_TO_POINTER (TRUE)`; one that returns an allocated result passes a
 * destroy notify to easel_store_run_full_async(), so the result is freed
 * even when nobody collects it.
 *
 * A function that fails with a transaction open has it rolled back. One
 * that succeeds but leaves a transaction open is a bug: the transaction is
 * rolled back and the call fails.
 *
 * Returns: (nullable): the result, for easel_store_run_finish()
 */
typedef gpointer (*EaselStoreFunc) (EaselDb  *db,
                                    gpointer  data,
                                    GError  **error);

EaselStore  *easel_store_new                    (const char           *path);
const char  *easel_store_get_path               (EaselStore           *self);
int          easel_store_get_schema_version     (EaselStore           *self);

gboolean     easel_store_open_sync              (EaselStore           *self,
                                                 GError              **error);
void         easel_store_open_async             (EaselStore           *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean     easel_store_open_finish            (EaselStore           *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

void         easel_store_run_async              (EaselStore           *self,
                                                 EaselStoreFunc        func,
                                                 gpointer              data,
                                                 GDestroyNotify        data_destroy,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
void         easel_store_run_full_async         (EaselStore           *self,
                                                 EaselStoreFunc        func,
                                                 gpointer              data,
                                                 GDestroyNotify        data_destroy,
                                                 GDestroyNotify        result_destroy,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gpointer     easel_store_run_finish             (EaselStore           *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
gpointer     easel_store_run_sync               (EaselStore           *self,
                                                 EaselStoreFunc        func,
                                                 gpointer              data,
                                                 GError              **error);

void         easel_store_check_integrity_async  (EaselStore           *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean     easel_store_check_integrity_finish (EaselStore           *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

void         easel_store_close                  (EaselStore           *self);

guint        easel_store_get_n_migrations       (void);
gboolean     easel_store_migrate_to             (EaselDb              *db,
                                                 int                   version,
                                                 GError              **error);

G_END_DECLS
