/* easel-job-store.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "easel-budget.h"
#include "easel-db.h"
#include "easel-job.h"

G_BEGIN_DECLS

/**
 * EaselJobRecord:
 *
 * A copy of a job's row, made on the main thread and written on the store
 * thread (or read there and turned into an #EaselJob on the main thread).
 */
typedef struct
{
  gint64         id;
  char          *uuid;
  char          *batch;
  char          *provider;
  char          *account;
  char          *model;
  char          *prompt;
  char          *spec_json;
  EaselJobState  state;
  char          *remote_id;
  char          *remote_status;
  int            progress;
  char          *buttons_json;
  guint          attempt;
  gint64         retry_of;
  gint64         parent_id;
  char          *action;
  guint          requests;
  char          *error_code;
  char          *error_message;
  gint64         created_at;
  gint64         submitted_at;
  gint64         started_at;
  gint64         finished_at;
  gint64         estimate;
  gint64         cost;          /* -1 when not settled */
  gboolean       estimate_exact;
  char          *estimate_basis;
  GStrv          outputs;       /* relative image paths, when read */
  gint64         template_id;   /* 0: none */
  int            template_version;
  char          *template_bindings;  /* JSON object, or NULL */
} EaselJobRecord;

/**
 * EaselOutputRecord:
 *
 * One output of a job: where to download it and, once done, the image.
 */
typedef struct
{
  gint64  job_id;
  int     position;
  char   *url;
  int     width;
  int     height;
  char   *content_type;
  char   *image_hash;
  char   *image_path;
  char   *mime;
  gint64  bytes;
  char   *error;
} EaselOutputRecord;

EaselJobRecord    *easel_job_record_new_from_job  (EaselJob           *job);
EaselJob          *easel_job_record_to_job        (EaselJobRecord     *record,
                                                   const char         *image_root,
                                                   GError            **error);
void               easel_job_record_free          (EaselJobRecord     *record);
void               easel_output_record_free       (EaselOutputRecord  *record);

/* Store thread */
gboolean           easel_job_store_insert         (EaselDb            *db,
                                                   GPtrArray          *records,
                                                   EaselBudget        *budget,
                                                   GError            **error);
gboolean           easel_job_store_check_budget   (EaselDb            *db,
                                                   GPtrArray          *records,
                                                   EaselBudget        *budget,
                                                   GError            **error);
gboolean           easel_job_store_update         (EaselDb            *db,
                                                   EaselJobRecord     *record,
                                                   GError            **error);
GPtrArray         *easel_job_store_load           (EaselDb            *db,
                                                   guint               finished_limit,
                                                   GError            **error);
GPtrArray         *easel_job_store_list           (EaselDb            *db,
                                                   const char         *state,
                                                   guint               limit,
                                                   GError            **error);
gboolean           easel_job_store_set_outputs    (EaselDb            *db,
                                                   gint64              job_id,
                                                   GPtrArray          *outputs,
                                                   GError            **error);
GPtrArray         *easel_job_store_get_outputs    (EaselDb            *db,
                                                   gint64              job_id,
                                                   GError            **error);
gboolean           easel_job_store_finish         (EaselDb            *db,
                                                   EaselJobRecord     *record,
                                                   GPtrArray          *outputs,
                                                   gboolean            settle,
                                                   GError            **error);
gboolean           easel_job_store_remote_id_known (EaselDb           *db,
                                                   const char         *provider,
                                                   const char         *remote_id,
                                                   GError            **error);
gboolean           easel_job_store_spending_between (EaselDb          *db,
                                                   const char         *provider,
                                                   gint64              from,
                                                   gint64              to,
                                                   gint64             *micros,
                                                   GError            **error);
gboolean           easel_job_store_spending       (EaselDb            *db,
                                                   const char         *provider,
                                                   gint64              day_start,
                                                   gint64              month_start,
                                                   gint64             *day,
                                                   gint64             *month,
                                                   GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselJobRecord, easel_job_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselOutputRecord, easel_output_record_free)

G_END_DECLS
