/* easel-job-queue.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "easel-budget.h"
#include "easel-downloader.h"
#include "easel-job.h"
#include "easel-provider.h"
#include "easel-store.h"

G_BEGIN_DECLS

/**
 * EaselProviderLookup:
 * @provider: a provider id
 * @account: an account name, "" for the provider's default account
 * @user_data: user data
 * @error: return location for a #GError
 *
 * Finds the provider object for one account (its token and endpoint).
 * The queue caches what it returns, one per provider and account.
 *
 * Returns: (transfer full) (nullable): the provider, or %NULL with @error set
 */
typedef EaselProvider *(*EaselProviderLookup) (const char  *provider,
                                               const char  *account,
                                               gpointer     user_data,
                                               GError     **error);

/**
 * EaselJobRequest:
 * @provider: the provider id
 * @account: (nullable): the account, %NULL for the default one
 * @spec: what to run
 * @template_id: the template the prompt was expanded from, 0 for none
 * @template_version: that template's version
 * @template_bindings: (nullable): the value of each of its variables
 *
 * One job to enqueue.
 */
typedef struct
{
  char         *provider;
  char         *account;
  EaselJobSpec *spec;
  gint64        template_id;
  int           template_version;
  JsonObject   *template_bindings;
} EaselJobRequest;

EaselJobRequest *easel_job_request_new          (const char      *provider,
                                                 const char      *account,
                                                 EaselJobSpec    *spec);
void             easel_job_request_set_template (EaselJobRequest *self,
                                                 gint64           template_id,
                                                 int              version,
                                                 JsonObject      *bindings);
void             easel_job_request_free         (EaselJobRequest *self);

char            *easel_job_requests_to_json   (GPtrArray   *requests);
GPtrArray       *easel_job_requests_from_json (const char  *json,
                                               GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselJobRequest, easel_job_request_free)

#define EASEL_TYPE_JOB_QUEUE (easel_job_queue_get_type ())

G_DECLARE_FINAL_TYPE (EaselJobQueue, easel_job_queue, EASEL, JOB_QUEUE, GObject)

EaselJobQueue *easel_job_queue_new               (EaselStore           *store,
                                                  EaselDownloader      *downloader,
                                                  EaselBudget          *budget,
                                                  EaselProviderLookup   lookup,
                                                  gpointer              lookup_data,
                                                  GDestroyNotify        lookup_destroy);
EaselStore    *easel_job_queue_get_store         (EaselJobQueue        *self);
EaselBudget   *easel_job_queue_get_budget        (EaselJobQueue        *self);

void           easel_job_queue_load_async        (EaselJobQueue        *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean       easel_job_queue_load_finish       (EaselJobQueue        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void           easel_job_queue_estimate_async    (EaselJobQueue        *self,
                                                  GPtrArray            *requests,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gint64         easel_job_queue_estimate_finish   (EaselJobQueue        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void           easel_job_queue_enqueue_async     (EaselJobQueue        *self,
                                                  GPtrArray            *requests,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray     *easel_job_queue_enqueue_finish    (EaselJobQueue        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void           easel_job_queue_cancel            (EaselJobQueue        *self,
                                                  EaselJob             *job);
EaselJob      *easel_job_queue_retry             (EaselJobQueue        *self,
                                                  EaselJob             *job,
                                                  GError              **error);
EaselJob      *easel_job_queue_run_action        (EaselJobQueue        *self,
                                                  EaselJob             *job,
                                                  const char           *action,
                                                  GError              **error);
void           easel_job_queue_set_paused        (EaselJobQueue        *self,
                                                  gboolean              paused);
gboolean       easel_job_queue_get_paused        (EaselJobQueue        *self);
void           easel_job_queue_clear_finished    (EaselJobQueue        *self);
guint          easel_job_queue_get_n_active      (EaselJobQueue        *self);
guint          easel_job_queue_get_n_finished    (EaselJobQueue        *self);
EaselJob      *easel_job_queue_lookup            (EaselJobQueue        *self,
                                                  gint64                id);

void           easel_job_queue_set_concurrency   (EaselJobQueue        *self,
                                                  const char           *provider,
                                                  const char           *account,
                                                  guint                 max_jobs);
void           easel_job_queue_bind_settings     (EaselJobQueue        *self,
                                                  GSettings            *settings);
void           easel_job_queue_set_kind_concurrency (EaselJobQueue     *self,
                                                     const char        *provider,
                                                     const char        *account,
                                                     gboolean           video,
                                                     guint              max_jobs);
void           easel_job_queue_forget_providers  (EaselJobQueue        *self,
                                                  const char           *provider);
void           easel_job_queue_set_retry_delay   (EaselJobQueue        *self,
                                                  guint                 delay_ms);
void           easel_job_queue_get_slots         (EaselJobQueue        *self,
                                                  const char           *provider,
                                                  const char           *account,
                                                  guint                *used,
                                                  guint                *max_jobs);
char          *easel_job_queue_dup_slots_summary (EaselJobQueue        *self);

G_END_DECLS
