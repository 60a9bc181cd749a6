/* easel-job-spec.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * EaselJobSpec:
 * @local_id: Easel's own id of the job; sent to the provider where it has a
 *   field for it (UseAPI `replyRef`) so a lost submit can be recognized
 * @model: the model: `owner/name`, `owner/name:version` (Replicate), or
 *   `midjourney`
 * @prompt: the prompt text
 * @params: the parameters, by the provider's names
 * @image_urls: (nullable): reference images the provider can fetch
 * @references: (nullable) (element-type EaselJobSpecReference): reference
 *   images by role, placed where their role says only when the job is
 *   submitted (see easel_job_spec_add_reference())
 *
 * What one job asks a provider for. Reference counted; treat it as
 * immutable once handed to a provider.
 */
typedef struct
{
  /*< private >*/
  gatomicrefcount  ref_count;

  /*< public >*/
  char            *local_id;
  char            *model;
  char            *prompt;
  JsonObject      *params;
  GStrv            image_urls;
  GPtrArray       *references;
} EaselJobSpec;

/**
 * EaselJobSpecReference:
 * @role: what the image is for: a role id from easel_reference_roles()
 * @hash: (nullable): the SHA-256 of a local file Easel keeps (see
 *   easel_reference_find_file()), uploaded when the job is submitted
 * @url: (nullable): the address the provider fetches the image from
 *
 * A reference image of a job spec; @hash, @url or both are set.
 */
typedef struct
{
  char *role;
  char *hash;
  char *url;
} EaselJobSpecReference;

#define EASEL_TYPE_JOB_SPEC (easel_job_spec_get_type ())

GType         easel_job_spec_get_type   (void) G_GNUC_CONST;
EaselJobSpec *easel_job_spec_new        (const char   *local_id,
                                         const char   *model,
                                         const char   *prompt);
EaselJobSpec *easel_job_spec_ref        (EaselJobSpec *self);
void          easel_job_spec_unref      (EaselJobSpec *self);
void          easel_job_spec_set_param  (EaselJobSpec *self,
                                         const char   *name,
                                         JsonNode     *value);
void          easel_job_spec_add_reference (EaselJobSpec *self,
                                            const char   *role,
                                            const char   *hash_or_null,
                                            const char   *url_or_null);

char         *easel_job_spec_to_json    (EaselJobSpec *self);
EaselJobSpec *easel_job_spec_new_from_json (const char *json,
                                            GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselJobSpec, easel_job_spec_unref)

G_END_DECLS
