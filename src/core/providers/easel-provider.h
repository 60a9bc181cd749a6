/* easel-provider.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "easel-job-spec.h"
#include "easel-job-watch.h"
#include "easel-param.h"
#include "easel-remote-job.h"

G_BEGIN_DECLS

#define EASEL_TYPE_PROVIDER (easel_provider_get_type ())

G_DECLARE_INTERFACE (EaselProvider, easel_provider, EASEL, PROVIDER, GObject)

/**
 * EaselProviderCapabilities:
 * @EASEL_PROVIDER_CAN_CANCEL: running jobs can be cancelled
 * @EASEL_PROVIDER_CAN_STREAM: progress arrives as a stream, not by polling
 * @EASEL_PROVIDER_HAS_ACTIONS: finished jobs offer actions (Midjourney buttons)
 * @EASEL_PROVIDER_CAN_UPLOAD: local reference images can be uploaded
 * @EASEL_PROVIDER_CAN_LIST_HISTORY: past jobs can be listed (not only running ones)
 * @EASEL_PROVIDER_NEGATIVE_PROMPT: models may take a negative prompt
 * @EASEL_PROVIDER_THIRD_PARTY: an unofficial proxy whose availability is not
 *   guaranteed (see easel_provider_get_notice())
 */
typedef enum
{
  EASEL_PROVIDER_CAN_CANCEL       = 1 << 0,
  EASEL_PROVIDER_CAN_STREAM       = 1 << 1,
  EASEL_PROVIDER_HAS_ACTIONS      = 1 << 2,
  EASEL_PROVIDER_CAN_UPLOAD       = 1 << 3,
  EASEL_PROVIDER_CAN_LIST_HISTORY = 1 << 4,
  EASEL_PROVIDER_NEGATIVE_PROMPT  = 1 << 5,
  EASEL_PROVIDER_THIRD_PARTY      = 1 << 6,
} EaselProviderCapabilities;

/**
 * EaselCostEstimate:
 * @micros: the estimate in millionths of a US dollar
 * @exact: whether the provider bills exactly this (a per-image price) or it
 *   is an estimate (per-second billing, subscription time)
 * @basis: (nullable): how it was computed, for the user
 */
typedef struct
{
  gint64    micros;
  gboolean  exact;
  char     *basis;
} EaselCostEstimate;

void easel_cost_estimate_clear (EaselCostEstimate *self);

/**
 * EaselRemotePage:
 * @jobs: (element-type EaselRemoteJob): the jobs on this page, newest first
 * @next_cursor: (nullable): what to pass for the next page, %NULL on the last
 */
typedef struct
{
  GPtrArray *jobs;
  char      *next_cursor;
} EaselRemotePage;

EaselRemotePage *easel_remote_page_new  (void);
void             easel_remote_page_free (EaselRemotePage *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselRemotePage, easel_remote_page_free)

struct _EaselProviderInterface
{
  GTypeInterface parent_iface;

  const char                *(*get_id)                  (EaselProvider        *self);
  const char                *(*get_display_name)        (EaselProvider        *self);
  EaselProviderCapabilities  (*get_capabilities)        (EaselProvider        *self);
  const char                *(*get_notice)              (EaselProvider        *self);

  void                       (*describe_params_async)   (EaselProvider        *self,
                                                         const char           *model,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
  GPtrArray                 *(*describe_params_finish)  (EaselProvider        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

  gboolean                   (*estimate_cost)           (EaselProvider        *self,
                                                         EaselJobSpec         *spec,
                                                         EaselCostEstimate    *estimate,
                                                         GError              **error);
  gboolean                   (*actual_cost)             (EaselProvider        *self,
                                                         EaselRemoteJob       *job,
                                                         EaselCostEstimate    *cost);

  void                       (*submit_async)            (EaselProvider        *self,
                                                         EaselJobSpec         *spec,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
  EaselRemoteJob            *(*submit_finish)           (EaselProvider        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

  EaselJobWatch             *(*watch)                   (EaselProvider        *self,
                                                         EaselRemoteJob       *job);

  void                       (*cancel_async)            (EaselProvider        *self,
                                                         const char           *remote_id,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
  gboolean                   (*cancel_finish)           (EaselProvider        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

  void                       (*run_action_async)        (EaselProvider        *self,
                                                         EaselRemoteJob       *parent,
                                                         const char           *action,
                                                         EaselJobSpec         *spec,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
  EaselRemoteJob            *(*run_action_finish)       (EaselProvider        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

  void                       (*upload_reference_async)  (EaselProvider        *self,
                                                         GFile                *file,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
  char                      *(*upload_reference_finish) (EaselProvider        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

  void                       (*list_remote_jobs_async)  (EaselProvider        *self,
                                                         const char           *cursor,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
  EaselRemotePage           *(*list_remote_jobs_finish) (EaselProvider        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

  void                       (*find_submitted_async)    (EaselProvider        *self,
                                                         EaselJobSpec         *spec,
                                                         gint64                sent_after,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
  GPtrArray                 *(*find_submitted_finish)   (EaselProvider        *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

  void                       (*validate_credentials_async)  (EaselProvider        *self,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
  gboolean                   (*validate_credentials_finish) (EaselProvider        *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

  char                      *(*describe_request)        (EaselProvider        *self,
                                                         EaselJobSpec         *spec,
                                                         GError              **error);
};

const char                *easel_provider_get_id                      (EaselProvider        *self);
const char                *easel_provider_get_display_name            (EaselProvider        *self);
EaselProviderCapabilities  easel_provider_get_capabilities            (EaselProvider        *self);
const char                *easel_provider_get_notice                  (EaselProvider        *self);
void                       easel_provider_describe_params_async       (EaselProvider        *self,
                                                                       const char           *model,
                                                                       GCancellable         *cancellable,
                                                                       GAsyncReadyCallback   callback,
                                                                       gpointer              user_data);
GPtrArray                 *easel_provider_describe_params_finish      (EaselProvider        *self,
                                                                       GAsyncResult         *result,
                                                                       GError              **error);
gboolean                   easel_provider_estimate_cost               (EaselProvider        *self,
                                                                       EaselJobSpec         *spec,
                                                                       EaselCostEstimate    *estimate,
                                                                       GError              **error);
gboolean                   easel_provider_actual_cost                 (EaselProvider        *self,
                                                                       EaselRemoteJob       *job,
                                                                       EaselCostEstimate    *cost);
void                       easel_provider_submit_async                (EaselProvider        *self,
                                                                       EaselJobSpec         *spec,
                                                                       GCancellable         *cancellable,
                                                                       GAsyncReadyCallback   callback,
                                                                       gpointer              user_data);
EaselRemoteJob            *easel_provider_submit_finish               (EaselProvider        *self,
                                                                       GAsyncResult         *result,
                                                                       GError              **error);
EaselJobWatch             *easel_provider_watch                       (EaselProvider        *self,
                                                                       EaselRemoteJob       *job);
void                       easel_provider_cancel_async                (EaselProvider        *self,
                                                                       const char           *remote_id,
                                                                       GCancellable         *cancellable,
                                                                       GAsyncReadyCallback   callback,
                                                                       gpointer              user_data);
gboolean                   easel_provider_cancel_finish               (EaselProvider        *self,
                                                                       GAsyncResult         *result,
                                                                       GError              **error);
void                       easel_provider_run_action_async            (EaselProvider        *self,
                                                                       EaselRemoteJob       *parent,
                                                                       const char           *action,
                                                                       EaselJobSpec         *spec,
                                                                       GCancellable         *cancellable,
                                                                       GAsyncReadyCallback   callback,
                                                                       gpointer              user_data);
EaselRemoteJob            *easel_provider_run_action_finish           (EaselProvider        *self,
                                                                       GAsyncResult         *result,
                                                                       GError              **error);
void                       easel_provider_upload_reference_async      (EaselProvider        *self,
                                                                       GFile                *file,
                                                                       GCancellable         *cancellable,
                                                                       GAsyncReadyCallback   callback,
                                                                       gpointer              user_data);
char                      *easel_provider_upload_reference_finish     (EaselProvider        *self,
                                                                       GAsyncResult         *result,
                                                                       GError              **error);
void                       easel_provider_list_remote_jobs_async      (EaselProvider        *self,
                                                                       const char           *cursor,
                                                                       GCancellable         *cancellable,
                                                                       GAsyncReadyCallback   callback,
                                                                       gpointer              user_data);
EaselRemotePage           *easel_provider_list_remote_jobs_finish     (EaselProvider        *self,
                                                                       GAsyncResult         *result,
                                                                       GError              **error);
void                       easel_provider_find_submitted_async        (EaselProvider        *self,
                                                                       EaselJobSpec         *spec,
                                                                       gint64                sent_after,
                                                                       GCancellable         *cancellable,
                                                                       GAsyncReadyCallback   callback,
                                                                       gpointer              user_data);
GPtrArray                 *easel_provider_find_submitted_finish       (EaselProvider        *self,
                                                                       GAsyncResult         *result,
                                                                       GError              **error);
void                       easel_provider_validate_credentials_async  (EaselProvider        *self,
                                                                       GCancellable         *cancellable,
                                                                       GAsyncReadyCallback   callback,
                                                                       gpointer              user_data);
gboolean                   easel_provider_validate_credentials_finish (EaselProvider        *self,
                                                                       GAsyncResult         *result,
                                                                       GError              **error);
char                      *easel_provider_describe_request            (EaselProvider        *self,
                                                                       EaselJobSpec         *spec,
                                                                       GError              **error);

G_END_DECLS
