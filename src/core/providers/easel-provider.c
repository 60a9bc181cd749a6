/* easel-provider.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The plug-in point for image generation services. The job engine and the
 * UI only ever see this interface; adding a provider means one file pair
 * implementing it and one line in easel-provider-registry.c.
 *
 * Operations a provider does not implement fail with
 * EASEL_ERROR_UNSUPPORTED, so callers can use every entry point on every
 * provider and show the error where the capability flags were ignored. */

#include "config.h"

#include "easel-provider.h"

#include <glib/gi18n.h>

#include "easel-error.h"

G_DEFINE_INTERFACE (EaselProvider, easel_provider, G_TYPE_OBJECT)

static void
easel_provider_default_init (EaselProviderInterface *iface)
{
  g_object_interface_install_property (iface,
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS)));
  g_object_interface_install_property (iface,
    g_param_spec_string ("token", NULL, NULL, NULL,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS)));
}

/**
 * easel_cost_estimate_clear:
 * @self: an estimate
 *
 * Frees what @self holds and zeroes it.
 */
void
easel_cost_estimate_clear (EaselCostEstimate *self)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->basis, g_free);
  self->micros = 0;
  self->exact = FALSE;
}

/**
 * easel_remote_page_new:
 *
 * Returns: (transfer full): an empty page
 */
EaselRemotePage *
easel_remote_page_new (void)
{
  EaselRemotePage *self = g_new0 (EaselRemotePage, 1);

  self->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_remote_job_unref);
  return self;
}

/**
 * easel_remote_page_free:
 * @self: (nullable) (transfer full): a page
 */
void
easel_remote_page_free (EaselRemotePage *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->jobs);
  g_free (self->next_cursor);
  g_free (self);
}

static void
report_unsupported (EaselProvider       *self,
                    gpointer             source_tag,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  /* Translators: %s is a provider name such as "Replicate" */
  g_task_report_new_error (self, callback, user_data, source_tag,
                           EASEL_ERROR, EASEL_ERROR_UNSUPPORTED,
                           _("%s cannot do this"), easel_provider_get_display_name (self));
}

/**
 * easel_provider_get_id:
 * @self: a provider
 *
 * Returns: the provider's stable id, such as "replicate"
 */
const char *
easel_provider_get_id (EaselProvider *self)
{
  g_return_val_if_fail (EASEL_IS_PROVIDER (self), NULL);

  return EASEL_PROVIDER_GET_IFACE (self)->get_id (self);
}

/**
 * easel_provider_get_display_name:
 * @self: a provider
 *
 * Returns: the provider's name for people
 */
const char *
easel_provider_get_display_name (EaselProvider *self)
{
  g_return_val_if_fail (EASEL_IS_PROVIDER (self), NULL);

  return EASEL_PROVIDER_GET_IFACE (self)->get_display_name (self);
}

/**
 * easel_provider_get_capabilities:
 * @self: a provider
 *
 * Returns: what the provider can do
 */
EaselProviderCapabilities
easel_provider_get_capabilities (EaselProvider *self)
{
  g_return_val_if_fail (EASEL_IS_PROVIDER (self), 0);

  return EASEL_PROVIDER_GET_IFACE (self)->get_capabilities (self);
}

/**
 * easel_provider_get_notice:
 * @self: a provider
 *
 * Returns: (nullable): a caution the user should read before using the
 *   provider (third-party proxies), translated
 */
const char *
easel_provider_get_notice (EaselProvider *self)
{
  EaselProviderInterface *iface;

  g_return_val_if_fail (EASEL_IS_PROVIDER (self), NULL);

  iface = EASEL_PROVIDER_GET_IFACE (self);
  return iface->get_notice ? iface->get_notice (self) : NULL;
}

/**
 * easel_provider_estimate_cost:
 * @self: a provider
 * @spec: a job
 * @estimate: (out caller-allocates): the estimate
 * @error: return location for a #GError
 *
 * Estimates what running @spec will cost, before anything is sent.
 *
 * Returns: %TRUE with @estimate filled in, %FALSE when @spec cannot be priced
 */
gboolean
easel_provider_estimate_cost (EaselProvider      *self,
                              EaselJobSpec       *spec,
                              EaselCostEstimate  *estimate,
                              GError            **error)
{
  g_return_val_if_fail (EASEL_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (estimate != NULL, FALSE);

  *estimate = (EaselCostEstimate) { 0 };
  return EASEL_PROVIDER_GET_IFACE (self)->estimate_cost (self, spec, estimate, error);
}

/**
 * easel_provider_actual_cost:
 * @self: a provider
 * @job: a finished job
 * @cost: (out caller-allocates): what it cost
 *
 * Computes what a finished job cost, following the provider's billing
 * rules for failed, cancelled and aborted jobs.
 *
 * Returns: %TRUE with @cost filled in, %FALSE when it cannot be known
 */
gboolean
easel_provider_actual_cost (EaselProvider     *self,
                            EaselRemoteJob    *job,
                            EaselCostEstimate *cost)
{
  g_return_val_if_fail (EASEL_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (job != NULL, FALSE);
  g_return_val_if_fail (cost != NULL, FALSE);

  *cost = (EaselCostEstimate) { 0 };
  return EASEL_PROVIDER_GET_IFACE (self)->actual_cost (self, job, cost);
}

/**
 * easel_provider_watch:
 * @self: a provider
 * @job: a submitted job
 *
 * Starts watching @job: streaming where the provider streams, polling
 * otherwise. Updates arrive on the current thread-default main context.
 *
 * Returns: (transfer full): the watch
 */
EaselJobWatch *
easel_provider_watch (EaselProvider  *self,
                      EaselRemoteJob *job)
{
  g_return_val_if_fail (EASEL_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (job != NULL, NULL);

  return EASEL_PROVIDER_GET_IFACE (self)->watch (self, job);
}

/**
 * easel_provider_describe_params_async:
 * @self: a provider
 * @model: see the interface
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Describes the parameters of @model, for the editor.
 */
void
easel_provider_describe_params_async (EaselProvider      *self,
                                      const char         *model,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  EaselProviderInterface *iface;

  g_return_if_fail (EASEL_IS_PROVIDER (self));

  iface = EASEL_PROVIDER_GET_IFACE (self);
  if (iface->describe_params_async == NULL)
    {
      report_unsupported (self, easel_provider_describe_params_async, callback, user_data);
      return;
    }
  iface->describe_params_async (self, model, cancellable, callback, user_data);
}

/**
 * easel_provider_describe_params_finish:
 * @self: a provider
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type EaselParam): the parameters, or %NULL with @error set
 */
GPtrArray *
easel_provider_describe_params_finish (EaselProvider  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  g_return_val_if_fail (EASEL_IS_PROVIDER (self), NULL);

  if (g_async_result_is_tagged (result, easel_provider_describe_params_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return EASEL_PROVIDER_GET_IFACE (self)->describe_params_finish (self, result, error);
}

/**
 * easel_provider_submit_async:
 * @self: a provider
 * @spec: see the interface
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Submits @spec. The remote id is known as soon as this returns; a submit that may or may not have been accepted fails with %EASEL_ERROR_AMBIGUOUS and must be reconciled.
 */
void
easel_provider_submit_async (EaselProvider      *self,
                             EaselJobSpec       *spec,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  EaselProviderInterface *iface;

  g_return_if_fail (EASEL_IS_PROVIDER (self));

  iface = EASEL_PROVIDER_GET_IFACE (self);
  if (iface->submit_async == NULL)
    {
      report_unsupported (self, easel_provider_submit_async, callback, user_data);
      return;
    }
  iface->submit_async (self, spec, cancellable, callback, user_data);
}

/**
 * easel_provider_submit_finish:
 * @self: a provider
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the submitted job, or %NULL with @error set
 */
EaselRemoteJob *
easel_provider_submit_finish (EaselProvider  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (EASEL_IS_PROVIDER (self), NULL);

  if (g_async_result_is_tagged (result, easel_provider_submit_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return EASEL_PROVIDER_GET_IFACE (self)->submit_finish (self, result, error);
}

/**
 * easel_provider_cancel_async:
 * @self: a provider
 * @remote_id: see the interface
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Cancels a running job.
 */
void
easel_provider_cancel_async (EaselProvider      *self,
                             const char         *remote_id,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  EaselProviderInterface *iface;

  g_return_if_fail (EASEL_IS_PROVIDER (self));

  iface = EASEL_PROVIDER_GET_IFACE (self);
  if (iface->cancel_async == NULL)
    {
      report_unsupported (self, easel_provider_cancel_async, callback, user_data);
      return;
    }
  iface->cancel_async (self, remote_id, cancellable, callback, user_data);
}

/**
 * easel_provider_cancel_finish:
 * @self: a provider
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the job was cancelled
 */
gboolean
easel_provider_cancel_finish (EaselProvider  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (EASEL_IS_PROVIDER (self), FALSE);

  if (g_async_result_is_tagged (result, easel_provider_cancel_async))
    return g_task_propagate_boolean (G_TASK (result), error);
  return EASEL_PROVIDER_GET_IFACE (self)->cancel_finish (self, result, error);
}

/**
 * easel_provider_run_action_async:
 * @self: a provider
 * @parent: see the interface
 * @action: see the interface
 * @spec: see the interface
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs @action (a Midjourney button) on the finished job @parent; @action must be one of @parent's buttons.
 */
void
easel_provider_run_action_async (EaselProvider      *self,
                                 EaselRemoteJob     *parent,
                                 const char         *action,
                                 EaselJobSpec       *spec,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  EaselProviderInterface *iface;

  g_return_if_fail (EASEL_IS_PROVIDER (self));

  iface = EASEL_PROVIDER_GET_IFACE (self);
  if (iface->run_action_async == NULL)
    {
      report_unsupported (self, easel_provider_run_action_async, callback, user_data);
      return;
    }
  iface->run_action_async (self, parent, action, spec, cancellable, callback, user_data);
}

/**
 * easel_provider_run_action_finish:
 * @self: a provider
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the new job, or %NULL with @error set
 */
EaselRemoteJob *
easel_provider_run_action_finish (EaselProvider  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (EASEL_IS_PROVIDER (self), NULL);

  if (g_async_result_is_tagged (result, easel_provider_run_action_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return EASEL_PROVIDER_GET_IFACE (self)->run_action_finish (self, result, error);
}

/**
 * easel_provider_upload_reference_async:
 * @self: a provider
 * @file: see the interface
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Makes a local image available to the provider.
 */
void
easel_provider_upload_reference_async (EaselProvider      *self,
                                       GFile              *file,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  EaselProviderInterface *iface;

  g_return_if_fail (EASEL_IS_PROVIDER (self));

  iface = EASEL_PROVIDER_GET_IFACE (self);
  if (iface->upload_reference_async == NULL)
    {
      report_unsupported (self, easel_provider_upload_reference_async, callback, user_data);
      return;
    }
  iface->upload_reference_async (self, file, cancellable, callback, user_data);
}

/**
 * easel_provider_upload_reference_finish:
 * @self: a provider
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): what to pass to the provider for the image (a URL)
 */
char *
easel_provider_upload_reference_finish (EaselProvider  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  g_return_val_if_fail (EASEL_IS_PROVIDER (self), NULL);

  if (g_async_result_is_tagged (result, easel_provider_upload_reference_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return EASEL_PROVIDER_GET_IFACE (self)->upload_reference_finish (self, result, error);
}

/**
 * easel_provider_list_remote_jobs_async:
 * @self: a provider
 * @cursor: see the interface
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Lists the provider's jobs, one page at a time, newest first.
 */
void
easel_provider_list_remote_jobs_async (EaselProvider      *self,
                                       const char         *cursor,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  EaselProviderInterface *iface;

  g_return_if_fail (EASEL_IS_PROVIDER (self));

  iface = EASEL_PROVIDER_GET_IFACE (self);
  if (iface->list_remote_jobs_async == NULL)
    {
      report_unsupported (self, easel_provider_list_remote_jobs_async, callback, user_data);
      return;
    }
  iface->list_remote_jobs_async (self, cursor, cancellable, callback, user_data);
}

/**
 * easel_provider_list_remote_jobs_finish:
 * @self: a provider
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a page of jobs, or %NULL with @error set
 */
EaselRemotePage *
easel_provider_list_remote_jobs_finish (EaselProvider  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  g_return_val_if_fail (EASEL_IS_PROVIDER (self), NULL);

  if (g_async_result_is_tagged (result, easel_provider_list_remote_jobs_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return EASEL_PROVIDER_GET_IFACE (self)->list_remote_jobs_finish (self, result, error);
}

/**
 * easel_provider_validate_credentials_async:
 * @self: a provider
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Checks the token with a cheap authenticated request.
 */
void
easel_provider_validate_credentials_async (EaselProvider      *self,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data)
{
  EaselProviderInterface *iface;

  g_return_if_fail (EASEL_IS_PROVIDER (self));

  iface = EASEL_PROVIDER_GET_IFACE (self);
  if (iface->validate_credentials_async == NULL)
    {
      report_unsupported (self, easel_provider_validate_credentials_async, callback, user_data);
      return;
    }
  iface->validate_credentials_async (self,  cancellable, callback, user_data);
}

/**
 * easel_provider_validate_credentials_finish:
 * @self: a provider
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the token works
 */
gboolean
easel_provider_validate_credentials_finish (EaselProvider  *self,
                                            GAsyncResult   *result,
                                            GError        **error)
{
  g_return_val_if_fail (EASEL_IS_PROVIDER (self), FALSE);

  if (g_async_result_is_tagged (result, easel_provider_validate_credentials_async))
    return g_task_propagate_boolean (G_TASK (result), error);
  return EASEL_PROVIDER_GET_IFACE (self)->validate_credentials_finish (self, result, error);
}

/**
 * easel_provider_find_submitted_async:
 * @self: a provider
 * @spec: a job whose submit may or may not have reached the provider
 * @sent_after: when it was sent at the earliest (µs since the epoch)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Looks for remote jobs that may be @spec's, to reconcile a submit whose
 * outcome is unknown (UseAPI: running jobs whose replyRef is @spec's local
 * id; Replicate: recent predictions with the same model and input).
 */
void
easel_provider_find_submitted_async (EaselProvider       *self,
                                     EaselJobSpec        *spec,
                                     gint64               sent_after,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  EaselProviderInterface *iface;

  g_return_if_fail (EASEL_IS_PROVIDER (self));
  g_return_if_fail (spec != NULL);

  iface = EASEL_PROVIDER_GET_IFACE (self);
  if (iface->find_submitted_async == NULL)
    {
      report_unsupported (self, easel_provider_find_submitted_async, callback, user_data);
      return;
    }
  iface->find_submitted_async (self, spec, sent_after, cancellable, callback, user_data);
}

/**
 * easel_provider_find_submitted_finish:
 * @self: a provider
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type EaselRemoteJob): the
 *   candidates, best first (empty when none), or %NULL with @error set
 *   when the provider could not be asked
 */
GPtrArray *
easel_provider_find_submitted_finish (EaselProvider  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (EASEL_IS_PROVIDER (self), NULL);

  if (g_async_result_is_tagged (result, easel_provider_find_submitted_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return EASEL_PROVIDER_GET_IFACE (self)->find_submitted_finish (self, result, error);
}

/**
 * easel_provider_describe_request:
 * @self: a provider
 * @spec: a job
 * @error: return location for a #GError
 *
 * Shows exactly what easel_provider_submit_async() would send for @spec,
 * as the user should see it: for Midjourney the full prompt with its `--`
 * parameters, for Replicate the prediction's `input` object as indented
 * JSON. Providers build it with the same code their submit uses, so the
 * two cannot drift apart. Nothing is sent.
 *
 * Returns: (transfer full): the request, or %NULL with @error set when
 *   submitting @spec would fail before anything is sent (an invalid
 *   parameter, %EASEL_ERROR_INVALID_PARAMETER), or %EASEL_ERROR_UNSUPPORTED
 */
char *
easel_provider_describe_request (EaselProvider  *self,
                                 EaselJobSpec   *spec,
                                 GError        **error)
{
  EaselProviderInterface *iface;

  g_return_val_if_fail (EASEL_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = EASEL_PROVIDER_GET_IFACE (self);
  if (iface->describe_request == NULL)
    {
      /* Translators: %s is a provider name such as "Replicate" */
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED,
                   _("%s cannot show its requests"), easel_provider_get_display_name (self));
      return NULL;
    }
  return iface->describe_request (self, spec, error);
}
