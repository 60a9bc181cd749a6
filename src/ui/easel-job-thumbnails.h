/* easel-job-thumbnails.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EASEL_TYPE_JOB_THUMBNAILS (easel_job_thumbnails_get_type ())

G_DECLARE_FINAL_TYPE (EaselJobThumbnails, easel_job_thumbnails, EASEL, JOB_THUMBNAILS, GObject)

EaselJobThumbnails *easel_job_thumbnails_new         (int                   size,
                                                      guint                 max_cached);
GdkTexture         *easel_job_thumbnails_lookup      (EaselJobThumbnails   *self,
                                                      const char           *path);
void                easel_job_thumbnails_load_async  (EaselJobThumbnails   *self,
                                                      const char           *path,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GdkTexture         *easel_job_thumbnails_load_finish (EaselJobThumbnails   *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

G_END_DECLS
