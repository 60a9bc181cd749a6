/* easel-job-spec.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "easel-job-spec.h"

G_DEFINE_BOXED_TYPE (EaselJobSpec, easel_job_spec, easel_job_spec_ref, easel_job_spec_unref)

/**
 * easel_job_spec_new:
 * @local_id: Easel's id for the job
 * @model: the model
 * @prompt: (nullable): the prompt
 *
 * Returns: (transfer full): a new job spec with no parameters
 */
EaselJobSpec *
easel_job_spec_new (const char *local_id,
                    const char *model,
                    const char *prompt)
{
  EaselJobSpec *self;

  g_return_val_if_fail (local_id != NULL, NULL);
  g_return_val_if_fail (model != NULL, NULL);

  self = g_new0 (EaselJobSpec, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->local_id = g_strdup (local_id);
  self->model = g_strdup (model);
  self->prompt = g_strdup (prompt ? prompt : "");
  self->params = json_object_new ();
  return self;
}

/**
 * easel_job_spec_ref:
 * @self: a job spec
 *
 * Returns: (transfer full): @self
 */
EaselJobSpec *
easel_job_spec_ref (EaselJobSpec *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * easel_job_spec_unref:
 * @self: (transfer full): a job spec
 */
void
easel_job_spec_unref (EaselJobSpec *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->local_id);
  g_free (self->model);
  g_free (self->prompt);
  g_clear_pointer (&self->params, json_object_unref);
  g_strfreev (self->image_urls);
  g_free (self);
}

/**
 * easel_job_spec_set_param:
 * @self: a job spec
 * @name: the parameter's name
 * @value: (transfer none): its value
 *
 * Sets a parameter, replacing an earlier value.
 */
void
easel_job_spec_set_param (EaselJobSpec *self,
                          const char   *name,
                          JsonNode     *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  json_object_set_member (self->params, name, json_node_copy (value));
}
