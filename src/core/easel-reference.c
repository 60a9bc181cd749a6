/* easel-reference.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reference images: what the user drops on the editor, checked before a
 * job can carry it.
 *
 * A local file is judged by its content, never its name: its size first
 * (from the file system, so an oversized file is refused without reading
 * it), then its type by magic bytes, its structure and declared pixel size
 * and an actual decode (easel-media-check.c, as for downloads). A copy is
 * then kept under its SHA-256 in `$XDG_DATA_HOME/easel/references`, an
 * EaselImageStore of its own (atomic write, fsync), so the job can still
 * upload it on submit after the user moved or deleted the original; the
 * job spec names it by hash only (easel_job_spec_add_reference()).
 *
 * An address is checked like a provider's output URL (the downloader's
 * easel_downloader_check_url()), and is never fetched here: the provider
 * fetches it.
 *
 * Roles say what a reference is for, per provider: Midjourney's image
 * prompt, style reference and omni reference (addresses only: Midjourney
 * fetches them, and Easel does not publish files), Replicate's image
 * inputs of the current model (uploaded through the files API). */

#include "config.h"

#include "easel-reference.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-downloader.h"
#include "easel-error.h"
#include "easel-image-store.h"
#include "easel-image-type.h"
#include "easel-media-check.h"
#include "easel-param.h"

/* A decode proves the file is an image; a small one is enough for that. */
#define CHECK_DECODE_SIDE 256

/* Roles */

G_DEFINE_BOXED_TYPE (EaselReferenceRole, easel_reference_role,
                     easel_reference_role_copy, easel_reference_role_free)

/**
 * easel_reference_role_new:
 * @id: the role's id
 * @title: its translated name
 * @local_files: whether local files can be used in it
 * @max: how many images it takes, 0 for no limit
 *
 * Returns: (transfer full): a role
 */
EaselReferenceRole *
easel_reference_role_new (const char *id,
                          const char *title,
                          gboolean    local_files,
                          int         max)
{
  EaselReferenceRole *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (max >= 0, NULL);

  self = g_new0 (EaselReferenceRole, 1);
  self->id = g_strdup (id);
  self->title = g_strdup (title != NULL ? title : id);
  self->local_files = local_files;
  self->max = max;
  return self;
}

/**
 * easel_reference_role_copy:
 * @self: a role
 *
 * Returns: (transfer full): a copy of @self
 */
EaselReferenceRole *
easel_reference_role_copy (const EaselReferenceRole *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return easel_reference_role_new (self->id, self->title, self->local_files, self->max);
}

/**
 * easel_reference_role_free:
 * @self: (nullable): a role
 */
void
easel_reference_role_free (EaselReferenceRole *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->title);
  g_free (self);
}

/**
 * easel_reference_roles:
 * @provider_id: a provider id, such as "replicate" or "midjourney"
 * @params: (nullable) (element-type EaselParam): the parameters of the
 *   current model, from easel_provider_describe_params_async()
 *
 * What reference images can be used for with a provider and model.
 * Midjourney: the image prompt, the style reference (`--sref`) and the
 * omni reference (`--oref`, one image), all addresses only. Replicate: one
 * role per image input of the model (%EASEL_PARAM_IMAGE), named after the
 * parameter, one image each, local files allowed (they are uploaded);
 * none when @params is %NULL.
 *
 * Returns: (transfer container) (element-type EaselReferenceRole): the
 *   roles, most useful first; empty when the provider takes no references
 */
GPtrArray *
easel_reference_roles (const char *provider_id,
                       GPtrArray  *params)
{
  GPtrArray *roles = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_reference_role_free);

  g_return_val_if_fail (provider_id != NULL, roles);

  if (g_str_equal (provider_id, "midjourney"))
    {
      /* Imagine fetches every one of them itself (providers.md §1.7);
       * only Blend and Describe take files. */
      g_ptr_array_add (roles, easel_reference_role_new (EASEL_REFERENCE_ROLE_IMAGE_PROMPT,
                                                        _("Image Prompt"), FALSE, 0));
      g_ptr_array_add (roles, easel_reference_role_new (EASEL_REFERENCE_ROLE_SREF,
                                                        _("Style (--sref)"), FALSE, 0));
      g_ptr_array_add (roles, easel_reference_role_new (EASEL_REFERENCE_ROLE_OREF,
                                                        _("Omni (--oref)"), FALSE, 1));
    }
  else if (g_str_equal (provider_id, "replicate") && params != NULL)
    {
      for (guint i = 0; i < params->len; i++)
        {
          const EaselParam *param = g_ptr_array_index (params, i);

          if (param->type == EASEL_PARAM_IMAGE)
            g_ptr_array_add (roles, easel_reference_role_new (param->name, param->title, TRUE, 1));
        }
    }

  return roles;
}

/* Placing a reference in a spec */

static void
append_to_list_param (JsonObject *params,
                      const char *name,
                      const char *url)
{
  JsonNode *existing = json_object_get_member (params, name);
  g_autoptr(JsonArray) array = json_array_new ();

  if (existing != NULL && JSON_NODE_HOLDS_ARRAY (existing))
    {
      JsonArray *old = json_node_get_array (existing);

      for (guint i = 0; i < json_array_get_length (old); i++)
        json_array_add_element (array, json_node_copy (json_array_get_element (old, i)));
    }
  else if (existing != NULL && !JSON_NODE_HOLDS_NULL (existing))
    json_array_add_element (array, json_node_copy (existing));

  json_array_add_string_element (array, url);
  json_object_set_array_member (params, name, g_steal_pointer (&array));
}

/**
 * easel_reference_place:
 * @provider_id: the provider the spec is for
 * @spec: a job spec about to be sent (or shown)
 * @role: a role id from easel_reference_roles()
 * @url: the address the provider fetches the image from (a public address,
 *   or what easel_provider_upload_reference_async() returned)
 * @error: return location for a #GError
 *
 * Puts @url where @role says: for Midjourney, the image prompts
 * (@spec's image_urls), `sref` (added to any style references there) or
 * `oref`; for Replicate, the parameter named @role (replacing its value).
 * The job queue does this on submit for every reference of a spec; an
 * editor can do it on a copy to show what will be sent.
 *
 * Returns: %TRUE on success; %FALSE with %EASEL_ERROR_UNSUPPORTED for a
 *   role the provider does not have, or %EASEL_ERROR_INVALID_PARAMETER
 *   for a second omni reference
 */
gboolean
easel_reference_place (const char    *provider_id,
                       EaselJobSpec  *spec,
                       const char    *role,
                       const char    *url,
                       GError       **error)
{
  g_return_val_if_fail (provider_id != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (role != NULL, FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  if (g_str_equal (provider_id, "midjourney"))
    {
      if (g_str_equal (role, EASEL_REFERENCE_ROLE_IMAGE_PROMPT))
        {
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

          if (spec->image_urls != NULL)
            g_strv_builder_addv (builder, (const char **) spec->image_urls);
          g_strv_builder_add (builder, url);
          g_strfreev (spec->image_urls);
          spec->image_urls = g_strv_builder_end (builder);
          return TRUE;
        }
      if (g_str_equal (role, EASEL_REFERENCE_ROLE_SREF))
        {
          append_to_list_param (spec->params, role, url);
          return TRUE;
        }
      if (g_str_equal (role, EASEL_REFERENCE_ROLE_OREF))
        {
          JsonNode *existing = json_object_get_member (spec->params, role);

          if (existing != NULL && !JSON_NODE_HOLDS_NULL (existing) &&
              !(JSON_NODE_HOLDS_VALUE (existing) &&
                g_strcmp0 (json_node_get_string (existing), url) == 0))
            {
              g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                           _("Midjourney takes only one omni reference (--oref)"));
              return FALSE;
            }
          json_object_set_string_member (spec->params, role, url);
          return TRUE;
        }
    }
  else if (g_str_equal (provider_id, "replicate") && role[0] != '\0')
    {
      json_object_set_string_member (spec->params, role, url);
      return TRUE;
    }

  g_set_error (error, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED,
               /* Translators: %s is what a reference image is used for, such as “image” */
               _("This provider has no use for a reference image as “%s”"), role);
  return FALSE;
}

/* The kept copies */

static EaselImageStore *
references_store_new (void)
{
  g_autofree char *root = g_build_filename (g_get_user_data_dir (), "easel", "references", NULL);

  return easel_image_store_new (root);
}

/**
 * easel_reference_find_file:
 * @hash: the SHA-256 of a reference image Easel kept, as 64 lowercase hex
 *   digits
 * @error: return location for a #GError
 *
 * Finds the copy easel_reference_new_from_file_async() kept. Looks at the
 * file system: call it on a worker thread, or where a few stat() calls do
 * not matter.
 *
 * Returns: (transfer full): the kept file, or %NULL with
 *   %EASEL_ERROR_NOT_FOUND when it was deleted
 */
GFile *
easel_reference_find_file (const char  *hash,
                           GError     **error)
{
  static const char *const mimes[] = { "image/png", "image/jpeg", "image/webp", "image/gif" };
  g_autoptr(EaselImageStore) store = NULL;

  g_return_val_if_fail (easel_image_store_is_hash (hash), NULL);

  store = references_store_new ();
  for (guint i = 0; i < G_N_ELEMENTS (mimes); i++)
    {
      g_autofree char *relative = easel_image_store_build_relative_path (hash, easel_media_get_extension (mimes[i]));
      g_autofree char *path = easel_image_store_dup_path (store, relative);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_file_new_for_path (path);
    }

  g_set_error (error, EASEL_ERROR, EASEL_ERROR_NOT_FOUND,
               _("A reference image is no longer in Easel’s folder of references (%s); add the "
                 "image again"), easel_image_store_get_root (store));
  return NULL;
}

/* The object */

struct _EaselReference
{
  GObject               parent_instance;

  EaselReferenceSource  source;
  char                 *name;
  char                 *url;
  char                 *hash;
  char                 *mime;
  guint                 width;
  guint                 height;
  guint64               size;
  GFile                *file;
  char                 *role;
};

enum {
  PROP_0,
  PROP_ROLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (EaselReference, easel_reference, G_TYPE_OBJECT)

static char *
format_size (guint64 size)
{
  return g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
}

static gboolean
fail_too_large (GError     **error,
                const char  *name,
                guint64      size)
{
  g_autofree char *actual = format_size (size);
  g_autofree char *limit = format_size (EASEL_REFERENCE_MAX_SIZE);

  g_set_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE,
               /* Translators: “photo.png” is 12.5 MiB: reference images can be at most 10.0 MiB */
               _("“%s” is %s: reference images can be at most %s"), name, actual, limit);
  return FALSE;
}

/* Reads @file whole, refusing it from its size alone when it is larger
 * than a reference may be, and again if it grew since. */
static GBytes *
read_limited (GFile         *file,
              const char    *name,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree guint8 *buffer = NULL;
  gsize capacity, n_read = 0;
  goffset size;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED,
                   _("“%s” is not a file"), name);
      return NULL;
    }

  size = g_file_info_get_size (info);
  if (size > EASEL_REFERENCE_MAX_SIZE)
    {
      fail_too_large (error, name, (guint64) size);
      return NULL;
    }

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  /* One byte more than expected tells a file that grew meanwhile. */
  capacity = (gsize) MAX (size, 0) + 1;
  buffer = g_malloc (capacity);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, capacity, &n_read,
                                cancellable, error))
    return NULL;

  if (n_read == capacity)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_FAILED,
                   _("“%s” changed while it was read; try again"), name);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&buffer), n_read);
}

/* Runs on a worker thread. */
static void
load_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(EaselReference) self = NULL;
  g_autoptr(EaselImageStore) store = NULL;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) decode_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *path = NULL;
  const guint8 *data;
  const char *mime;
  GError *error = NULL;
  guint width, height;
  gsize size;

  name = g_file_get_basename (file);
  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    {
      g_free (name);
      name = g_file_get_parse_name (file);
    }

  bytes = read_limited (file, name, cancellable, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  data = g_bytes_get_data (bytes, &size);
  mime = easel_image_type_sniff (data, size);
  if (mime == NULL)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED,
                               _("“%s” is not a PNG, JPEG, WebP or GIF image"), name);
      return;
    }

  if (!easel_media_inspect (mime, data, size, &width, &height))
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_INVALID_INPUT,
                               _("“%s” is damaged or incomplete"), name);
      return;
    }
  if ((guint64) width * height > EASEL_MEDIA_MAX_PIXELS)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_TOO_LARGE,
                               /* Translators: “huge.png” is 20000 × 20000 pixels: too large … */
                               _("“%s” is %u × %u pixels: too large for a reference image"),
                               name, width, height);
      return;
    }

  loader = easel_media_decode (bytes, mime, CHECK_DECODE_SIDE, &decode_error);
  if (loader == NULL)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_INVALID_INPUT,
                               /* Translators: the second %s is the reason */
                               _("“%s” cannot be read as an image: %s"), name, decode_error->message);
      return;
    }

  self = g_object_new (EASEL_TYPE_REFERENCE, NULL);
  self->source = EASEL_REFERENCE_FILE;
  self->name = g_steal_pointer (&name);
  self->hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  self->mime = g_strdup (mime);
  self->width = width;
  self->height = height;
  self->size = size;

  store = references_store_new ();
  relative = easel_image_store_import_bytes (store, bytes, self->hash, easel_media_get_extension (mime),
                                             cancellable, &error);
  if (relative == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  path = easel_image_store_dup_path (store, relative);
  self->file = g_file_new_for_path (path);

  g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
}

/**
 * easel_reference_new_from_file_async:
 * @file: a local image file
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the reference
 * @user_data: data for @callback
 *
 * Checks @file on a worker thread and keeps a copy of it (see the design
 * note at the top of this file).
 */
void
easel_reference_new_from_file_async (GFile               *file,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_reference_new_from_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_file_thread);
}

/**
 * easel_reference_new_from_file_finish:
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the reference, with no role yet; or %NULL with
 *   %EASEL_ERROR_TOO_LARGE (over %EASEL_REFERENCE_MAX_SIZE, or too many
 *   pixels), %EASEL_ERROR_UNSUPPORTED (not a PNG, JPEG, WebP or GIF
 *   image, whatever its name), %EASEL_ERROR_INVALID_INPUT (damaged or
 *   truncated) or an I/O error; each message names the file
 */
EaselReference *
easel_reference_new_from_file_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == easel_reference_new_from_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * easel_reference_new_from_url:
 * @url: the address of an image, as the user pasted or dropped it
 * @error: return location for a #GError
 *
 * Checks @url without fetching it: an https:// address (http:// only to
 * this computer), without a user name or password, at most
 * %EASEL_REFERENCE_MAX_URL_LENGTH bytes, and nothing a prompt could not
 * carry (white space, control characters, quotes, angle brackets, braces).
 * White space around it is ignored.
 *
 * Returns: (transfer full): the reference, with no role yet; or %NULL with
 *   %EASEL_ERROR_INSECURE_URL
 */
EaselReference *
easel_reference_new_from_url (const char  *url,
                              GError     **error)
{
  g_autoptr(EaselReference) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *path = NULL;
  g_autofree char *last = NULL;
  const char *slash;

  g_return_val_if_fail (url != NULL, NULL);

  trimmed = g_strstrip (g_strdup (url));
  if (strlen (trimmed) > EASEL_REFERENCE_MAX_URL_LENGTH)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INSECURE_URL,
                   _("The address is too long: at most %d characters can be used"),
                   EASEL_REFERENCE_MAX_URL_LENGTH);
      return NULL;
    }
  if (!g_utf8_validate (trimmed, -1, NULL))
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INSECURE_URL,
                   _("The address is not valid text"));
      return NULL;
    }
  if (!easel_downloader_check_url (trimmed, error))
    return NULL;
  for (const char *p = trimmed; *p != '\0'; p++)
    {
      /* Nothing that would end the address in a prompt, or mark it up. */
      if ((guchar) *p <= 0x20 || *p == 0x7f || strchr ("<>{}\"\\^`|", *p) != NULL)
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INSECURE_URL,
                       _("The address contains spaces or characters that are not allowed "
                         "in web addresses"));
          return NULL;
        }
    }

  self = g_object_new (EASEL_TYPE_REFERENCE, NULL);
  self->source = EASEL_REFERENCE_URL;
  self->url = g_steal_pointer (&trimmed);

  /* The name shown: the last segment of the path, else the host. */
  uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);
  path = g_strdup (g_uri_get_path (uri));
  while (g_str_has_suffix (path, "/"))
    path[strlen (path) - 1] = '\0';
  slash = strrchr (path, '/');
  last = g_strdup (slash != NULL ? slash + 1 : path);
  if (last[0] != '\0' && g_utf8_validate (last, -1, NULL))
    self->name = g_steal_pointer (&last);
  else
    self->name = g_strdup (g_uri_get_host (uri));

  return g_steal_pointer (&self);
}

/**
 * easel_reference_get_source:
 * @self: a reference
 *
 * Returns: whether @self is a local file or an address
 */
EaselReferenceSource
easel_reference_get_source (EaselReference *self)
{
  g_return_val_if_fail (EASEL_IS_REFERENCE (self), EASEL_REFERENCE_FILE);

  return self->source;
}

/**
 * easel_reference_get_name:
 * @self: a reference
 *
 * Returns: a short name to show: the file's name, or the last part of the
 *   address
 */
const char *
easel_reference_get_name (EaselReference *self)
{
  g_return_val_if_fail (EASEL_IS_REFERENCE (self), NULL);

  return self->name;
}

/**
 * easel_reference_get_url:
 * @self: a reference
 *
 * Returns: (nullable): the address of a %EASEL_REFERENCE_URL reference
 */
const char *
easel_reference_get_url (EaselReference *self)
{
  g_return_val_if_fail (EASEL_IS_REFERENCE (self), NULL);

  return self->url;
}

/**
 * easel_reference_get_hash:
 * @self: a reference
 *
 * Returns: (nullable): the SHA-256 of a %EASEL_REFERENCE_FILE reference,
 *   64 lowercase hex digits
 */
const char *
easel_reference_get_hash (EaselReference *self)
{
  g_return_val_if_fail (EASEL_IS_REFERENCE (self), NULL);

  return self->hash;
}

/**
 * easel_reference_get_mime:
 * @self: a reference
 *
 * Returns: (nullable): the type sniffed from a file's content
 */
const char *
easel_reference_get_mime (EaselReference *self)
{
  g_return_val_if_fail (EASEL_IS_REFERENCE (self), NULL);

  return self->mime;
}

/**
 * easel_reference_get_width:
 * @self: a reference
 *
 * Returns: a file's width in pixels, 0 for an address
 */
guint
easel_reference_get_width (EaselReference *self)
{
  g_return_val_if_fail (EASEL_IS_REFERENCE (self), 0);

  return self->width;
}

/**
 * easel_reference_get_height:
 * @self: a reference
 *
 * Returns: a file's height in pixels, 0 for an address
 */
guint
easel_reference_get_height (EaselReference *self)
{
  g_return_val_if_fail (EASEL_IS_REFERENCE (self), 0);

  return self->height;
}

/**
 * easel_reference_get_size:
 * @self: a reference
 *
 * Returns: a file's size in bytes, 0 for an address
 */
guint64
easel_reference_get_size (EaselReference *self)
{
  g_return_val_if_fail (EASEL_IS_REFERENCE (self), 0);

  return self->size;
}

/**
 * easel_reference_get_file:
 * @self: a reference
 *
 * Returns: (transfer none) (nullable): the copy Easel keeps of a
 *   %EASEL_REFERENCE_FILE reference (not the file the user chose)
 */
GFile *
easel_reference_get_file (EaselReference *self)
{
  g_return_val_if_fail (EASEL_IS_REFERENCE (self), NULL);

  return self->file;
}

/**
 * easel_reference_get_role:
 * @self: a reference
 *
 * Returns: (nullable): the id of the role @self is used in
 */
const char *
easel_reference_get_role (EaselReference *self)
{
  g_return_val_if_fail (EASEL_IS_REFERENCE (self), NULL);

  return self->role;
}

/**
 * easel_reference_set_role:
 * @self: a reference
 * @role: (nullable): a role id from easel_reference_roles()
 */
void
easel_reference_set_role (EaselReference *self,
                          const char     *role)
{
  g_return_if_fail (EASEL_IS_REFERENCE (self));

  if (g_strcmp0 (self->role, role) == 0)
    return;
  g_free (self->role);
  self->role = g_strdup (role);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

static void
easel_reference_finalize (GObject *object)
{
  EaselReference *self = EASEL_REFERENCE (object);

  g_free (self->name);
  g_free (self->url);
  g_free (self->hash);
  g_free (self->mime);
  g_clear_object (&self->file);
  g_free (self->role);

  G_OBJECT_CLASS (easel_reference_parent_class)->finalize (object);
}

static void
easel_reference_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EaselReference *self = EASEL_REFERENCE (object);

  switch (prop_id)
    {
    case PROP_ROLE:
      g_value_set_string (value, self->role);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_reference_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  EaselReference *self = EASEL_REFERENCE (object);

  switch (prop_id)
    {
    case PROP_ROLE:
      easel_reference_set_role (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_reference_class_init (EaselReferenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = easel_reference_finalize;
  object_class->get_property = easel_reference_get_property;
  object_class->set_property = easel_reference_set_property;

  /**
   * EaselReference:role:
   *
   * The id of the role the reference is used in, %NULL while it has none.
   */
  properties[PROP_ROLE] =
    g_param_spec_string ("role", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
easel_reference_init (EaselReference *self)
{
}
