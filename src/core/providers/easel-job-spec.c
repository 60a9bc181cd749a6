/* easel-job-spec.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "easel-job-spec.h"

#include "easel-error.h"
#include "easel-image-store.h"
#include "easel-json.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (EaselJobSpec, easel_job_spec, easel_job_spec_ref, easel_job_spec_unref)

static void
reference_free (EaselJobSpecReference *reference)
{
  g_free (reference->role);
  g_free (reference->hash);
  g_free (reference->url);
  g_free (reference);
}

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
  g_clear_pointer (&self->references, g_ptr_array_unref);
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

/**
 * easel_job_spec_add_reference:
 * @self: a job spec
 * @role: what the image is for: a role id from easel_reference_roles()
 * @hash_or_null: (nullable): the SHA-256 (64 lowercase hex digits) of a
 *   local file Easel keeps, from easel_reference_get_hash()
 * @url_or_null: (nullable): the address of the image
 *
 * Adds a reference image, by the hash of a local file (uploaded through
 * the provider when the job is submitted) or by address. Either way the
 * job queue puts the image's address where @role says only on submit (see
 * easel_reference_place()), so the spec keeps what the user chose.
 */
void
easel_job_spec_add_reference (EaselJobSpec *self,
                              const char   *role,
                              const char   *hash_or_null,
                              const char   *url_or_null)
{
  EaselJobSpecReference *reference;

  g_return_if_fail (self != NULL);
  g_return_if_fail (role != NULL && role[0] != '\0');
  g_return_if_fail (hash_or_null != NULL || url_or_null != NULL);
  g_return_if_fail (hash_or_null == NULL || easel_image_store_is_hash (hash_or_null));

  if (self->references == NULL)
    self->references = g_ptr_array_new_with_free_func ((GDestroyNotify) reference_free);

  reference = g_new0 (EaselJobSpecReference, 1);
  reference->role = g_strdup (role);
  reference->hash = g_strdup (hash_or_null);
  reference->url = g_strdup (url_or_null);
  g_ptr_array_add (self->references, reference);
}

static void
add_optional_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/**
 * easel_job_spec_to_json:
 * @self: a job spec
 *
 * Returns: (transfer full): @self as JSON, as the store keeps it
 */
char *
easel_job_spec_to_json (EaselJobSpec *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "local_id");
  json_builder_add_string_value (builder, self->local_id);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, self->model);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, self->prompt);
  json_builder_set_member_name (builder, "params");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), self->params));
  if (self->image_urls != NULL)
    {
      json_builder_set_member_name (builder, "image_urls");
      json_builder_begin_array (builder);
      for (guint i = 0; self->image_urls[i] != NULL; i++)
        json_builder_add_string_value (builder, self->image_urls[i]);
      json_builder_end_array (builder);
    }
  if (self->references != NULL && self->references->len > 0)
    {
      json_builder_set_member_name (builder, "references");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->references->len; i++)
        {
          EaselJobSpecReference *reference = g_ptr_array_index (self->references, i);

          json_builder_begin_object (builder);
          add_optional_string (builder, "role", reference->role);
          add_optional_string (builder, "hash", reference->hash);
          add_optional_string (builder, "url", reference->url);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Strict: a reference that cannot be read must fail the spec rather than
 * be dropped, or the job would be sent without it. */
static gboolean
read_references (EaselJobSpec  *spec,
                 JsonObject    *object,
                 GError       **error)
{
  JsonNode *node = json_object_get_member (object, "references");
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                           "job spec: “references” is not an array");
      return FALSE;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *role = NULL, *hash = NULL, *url = NULL;
      JsonObject *reference;

      reference = easel_json_expect_object (item, "job spec reference", error);
      if (reference == NULL ||
          !easel_json_get_string (reference, "role", TRUE, &role, error) ||
          !easel_json_get_string (reference, "hash", FALSE, &hash, error) ||
          !easel_json_get_string (reference, "url", FALSE, &url, error))
        return FALSE;
      if (role[0] == '\0' || (hash == NULL && url == NULL) || (hash != NULL && !easel_image_store_is_hash (hash)))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                       "job spec: reference %u is incomplete", i);
          return FALSE;
        }
      easel_job_spec_add_reference (spec, role, hash, url);
    }
  return TRUE;
}

/**
 * easel_job_spec_new_from_json:
 * @json: what easel_job_spec_to_json() wrote
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the spec, or %NULL with @error set
 */
EaselJobSpec *
easel_job_spec_new_from_json (const char  *json,
                              GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(EaselJobSpec) spec = NULL;
  JsonObject *object, *params;
  JsonArray *urls;
  const char *local_id = NULL, *model = NULL, *prompt = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  root = easel_json_parse (json, strlen (json), error);
  if (root == NULL)
    return NULL;
  object = easel_json_expect_object (root, "job spec", error);
  if (object == NULL ||
      !easel_json_get_string (object, "local_id", TRUE, &local_id, error) ||
      !easel_json_get_string (object, "model", TRUE, &model, error) ||
      !easel_json_get_string (object, "prompt", FALSE, &prompt, error))
    return NULL;

  spec = easel_job_spec_new (local_id, model, prompt);
  params = easel_json_get_object (object, "params", error);
  if (params == NULL && error != NULL && *error != NULL)
    return NULL;
  if (params != NULL)
    {
      json_object_unref (spec->params);
      spec->params = json_object_ref (params);
    }

  urls = easel_json_get_array (object, "image_urls", NULL);
  if (urls != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; i < json_array_get_length (urls); i++)
        {
          JsonNode *item = json_array_get_element (urls, i);

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (item));
        }
      spec->image_urls = g_strv_builder_end (builder);
    }

  if (!read_references (spec, object, error))
    return NULL;

  return g_steal_pointer (&spec);
}
