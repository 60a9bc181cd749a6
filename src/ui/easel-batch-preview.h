/* easel-batch-preview.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "easel-job-queue.h"

G_BEGIN_DECLS

#define EASEL_TYPE_BATCH_PREVIEW (easel_batch_preview_get_type ())

G_DECLARE_FINAL_TYPE (EaselBatchPreview, easel_batch_preview, EASEL, BATCH_PREVIEW, AdwWindow)

EaselBatchPreview *easel_batch_preview_new           (EaselJobQueue     *queue,
                                                      EaselProvider     *provider,
                                                      GPtrArray         *requests,
                                                      guint              confirm_size);
gboolean           easel_batch_preview_get_ready     (EaselBatchPreview *self);
const char        *easel_batch_preview_get_problem   (EaselBatchPreview *self);
gint64             easel_batch_preview_get_estimate  (EaselBatchPreview *self);
GListModel        *easel_batch_preview_get_prompts   (EaselBatchPreview *self);

G_END_DECLS
