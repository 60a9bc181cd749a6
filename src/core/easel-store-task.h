/* easel-store-task.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "easel-store.h"

G_BEGIN_DECLS

/**
 * EaselStoreTaskFlags:
 * @EASEL_STORE_TASK_READ: a read; cancelling reports %G_IO_ERROR_CANCELLED
 *   even when the read already ran
 * @EASEL_STORE_TASK_WRITE: a write; what happened is reported even when the
 *   caller cancelled meanwhile, since a committed change is the truth
 */
typedef enum
{
  EASEL_STORE_TASK_READ,
  EASEL_STORE_TASK_WRITE,
} EaselStoreTaskFlags;

void     easel_store_task_run    (EaselStore           *store,
                                  EaselStoreFunc        func,
                                  gpointer              data,
                                  GDestroyNotify        data_destroy,
                                  GDestroyNotify        result_destroy,
                                  EaselStoreTaskFlags   flags,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data,
                                  gpointer              source_tag);
gpointer easel_store_task_finish (EaselStore           *store,
                                  GAsyncResult         *result,
                                  gpointer              source_tag,
                                  GError              **error);

G_END_DECLS
