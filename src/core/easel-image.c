/* easel-image.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One image of the library, as the gallery shows it: every field is a
 * read-only property with change notification, so list items and the
 * viewer bind to it. EaselLibrary makes them from the database; the
 * gallery's paged model keeps one object per image and refreshes it in
 * place with easel_image_update_from(), so a rating or a tag changed
 * anywhere shows everywhere without rebinding. */

#include "config.h"

#include "easel-image.h"

struct _EaselImage
{
  GObject   parent_instance;

  char     *hash;
  char     *path;
  int       width;
  int       height;
  char     *mime;
  gint64    bytes;
  gint64    created_at;
  gint64    job_id;
  char     *provider;
  char     *model;
  char     *prompt;
  char     *params;
  gint64    seed;
  int       rating;
  gboolean  favourite;
  gboolean  trashed;
  GStrv     tags;
};

G_DEFINE_FINAL_TYPE (EaselImage, easel_image, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HASH,
  PROP_PATH,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_MIME,
  PROP_BYTES,
  PROP_CREATED_AT,
  PROP_JOB_ID,
  PROP_PROVIDER,
  PROP_MODEL,
  PROP_PROMPT,
  PROP_PARAMS,
  PROP_SEED,
  PROP_RATING,
  PROP_FAVOURITE,
  PROP_TRASHED,
  PROP_TAGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const no_tags[] = { NULL };

static void
easel_image_finalize (GObject *object)
{
  EaselImage *self = EASEL_IMAGE (object);

  g_free (self->hash);
  g_free (self->path);
  g_free (self->mime);
  g_free (self->provider);
  g_free (self->model);
  g_free (self->prompt);
  g_free (self->params);
  g_strfreev (self->tags);

  G_OBJECT_CLASS (easel_image_parent_class)->finalize (object);
}

static void
easel_image_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  EaselImage *self = EASEL_IMAGE (object);

  switch (prop_id)
    {
    case PROP_HASH:
      g_value_set_string (value, self->hash);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;
    case PROP_MIME:
      g_value_set_string (value, self->mime);
      break;
    case PROP_BYTES:
      g_value_set_int64 (value, self->bytes);
      break;
    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    case PROP_JOB_ID:
      g_value_set_int64 (value, self->job_id);
      break;
    case PROP_PROVIDER:
      g_value_set_string (value, self->provider);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;
    case PROP_PARAMS:
      g_value_set_string (value, self->params);
      break;
    case PROP_SEED:
      g_value_set_int64 (value, self->seed);
      break;
    case PROP_RATING:
      g_value_set_int (value, self->rating);
      break;
    case PROP_FAVOURITE:
      g_value_set_boolean (value, self->favourite);
      break;
    case PROP_TRASHED:
      g_value_set_boolean (value, self->trashed);
      break;
    case PROP_TAGS:
      g_value_set_boxed (value, easel_image_get_tags (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_image_class_init (EaselImageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = easel_image_finalize;
  object_class->get_property = easel_image_get_property;

  /**
   * EaselImage:hash:
   *
   * The SHA-256 of the file, 64 lowercase hex digits.
   */
  properties[PROP_HASH] =
    g_param_spec_string ("hash", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselImage:path:
   *
   * The absolute path of the original in the image store, or %NULL when the
   * stored path is not a store path.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselImage:width:
   *
   * The width in pixels.
   */
  properties[PROP_WIDTH] =
    g_param_spec_int ("width", NULL, NULL,
                      0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselImage:height:
   *
   * The height in pixels.
   */
  properties[PROP_HEIGHT] =
    g_param_spec_int ("height", NULL, NULL,
                      0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselImage:mime:
   *
   * The media type of the original, such as `image/png`.
   */
  properties[PROP_MIME] =
    g_param_spec_string ("mime", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselImage:bytes:
   *
   * The size of the original in bytes.
   */
  properties[PROP_BYTES] =
    g_param_spec_int64 ("bytes", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselImage:created-at:
   *
   * When the image was saved, in µs since the epoch.
   */
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselImage:job-id:
   *
   * The job that made the image, or 0.
   */
  properties[PROP_JOB_ID] =
    g_param_spec_int64 ("job-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselImage:provider:
   *
   * The provider id, such as `replicate`.
   */
  properties[PROP_PROVIDER] =
    g_param_spec_string ("provider", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselImage:model:
   *
   * The model, such as `black-forest-labs/flux-schnell`.
   */
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselImage:prompt:
   *
   * The prompt.
   */
  properties[PROP_PROMPT] =
    g_param_spec_string ("prompt", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselImage:params:
   *
   * The parameters of the job, a JSON object as text.
   */
  properties[PROP_PARAMS] =
    g_param_spec_string ("params", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselImage:seed:
   *
   * The seed, or -1 when none is known.
   */
  properties[PROP_SEED] =
    g_param_spec_int64 ("seed", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselImage:rating:
   *
   * The rating, from 0 (none) to 5.
   */
  properties[PROP_RATING] =
    g_param_spec_int ("rating", NULL, NULL,
                      0, 5, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselImage:favourite:
   *
   * Whether the image is a favourite.
   */
  properties[PROP_FAVOURITE] =
    g_param_spec_boolean ("favourite", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselImage:trashed:
   *
   * Whether the image is in the trash.
   */
  properties[PROP_TRASHED] =
    g_param_spec_boolean ("trashed", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselImage:tags:
   *
   * The tags, sorted.
   */
  properties[PROP_TAGS] =
    g_param_spec_boxed ("tags", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
easel_image_init (EaselImage *self)
{
  self->seed = -1;
}

/**
 * easel_image_new:
 * @hash: the SHA-256 of the image's file, 64 lowercase hex digits
 *
 * Creates an image with only its hash set; EaselLibrary fills in the rest.
 *
 * Returns: (transfer full): a new #EaselImage
 */
EaselImage *
easel_image_new (const char *hash)
{
  EaselImage *self;

  g_return_val_if_fail (hash != NULL, NULL);

  self = g_object_new (EASEL_TYPE_IMAGE, NULL);
  self->hash = g_strdup (hash);
  return self;
}

/**
 * easel_image_get_hash:
 * @self: an image
 *
 * Returns: the SHA-256 of the file, 64 lowercase hex digits
 */
const char *
easel_image_get_hash (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), NULL);

  return self->hash;
}

/**
 * easel_image_get_path:
 * @self: an image
 *
 * Returns: (nullable): the absolute path of the original in the image store,
 *   or %NULL when the stored path is not a store path
 */
const char *
easel_image_get_path (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), NULL);

  return self->path;
}

/**
 * easel_image_get_width:
 * @self: an image
 *
 * Returns: the width in pixels
 */
int
easel_image_get_width (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), 0);

  return self->width;
}

/**
 * easel_image_get_height:
 * @self: an image
 *
 * Returns: the height in pixels
 */
int
easel_image_get_height (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), 0);

  return self->height;
}

/**
 * easel_image_get_mime:
 * @self: an image
 *
 * Returns: (nullable): the media type of the original, such as `image/png`,
 *   or %NULL when unknown
 */
const char *
easel_image_get_mime (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), NULL);

  return self->mime;
}

/**
 * easel_image_get_bytes:
 * @self: an image
 *
 * Returns: the size of the original in bytes
 */
gint64
easel_image_get_bytes (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), 0);

  return self->bytes;
}

/**
 * easel_image_get_created_at:
 * @self: an image
 *
 * Returns: when the image was saved, in µs since the epoch
 */
gint64
easel_image_get_created_at (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), 0);

  return self->created_at;
}

/**
 * easel_image_get_job_id:
 * @self: an image
 *
 * Returns: the job that made the image, or 0
 */
gint64
easel_image_get_job_id (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), 0);

  return self->job_id;
}

/**
 * easel_image_get_provider:
 * @self: an image
 *
 * Returns: (nullable): the provider id, such as `replicate`, or %NULL when
 *   unknown
 */
const char *
easel_image_get_provider (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), NULL);

  return self->provider;
}

/**
 * easel_image_get_model:
 * @self: an image
 *
 * Returns: (nullable): the model, such as `black-forest-labs/flux-schnell`,
 *   or %NULL when unknown
 */
const char *
easel_image_get_model (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), NULL);

  return self->model;
}

/**
 * easel_image_get_prompt:
 * @self: an image
 *
 * Returns: (nullable): the prompt, or %NULL when unknown
 */
const char *
easel_image_get_prompt (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), NULL);

  return self->prompt;
}

/**
 * easel_image_get_params:
 * @self: an image
 *
 * Returns: (nullable): the parameters of the job, a JSON object as text, or
 *   %NULL when unknown
 */
const char *
easel_image_get_params (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), NULL);

  return self->params;
}

/**
 * easel_image_get_seed:
 * @self: an image
 *
 * Returns: the seed, or -1 when none is known
 */
gint64
easel_image_get_seed (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), -1);

  return self->seed;
}

/**
 * easel_image_get_rating:
 * @self: an image
 *
 * Returns: the rating, from 0 (none) to 5
 */
int
easel_image_get_rating (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), 0);

  return self->rating;
}

/**
 * easel_image_get_favourite:
 * @self: an image
 *
 * Returns: whether the image is a favourite
 */
gboolean
easel_image_get_favourite (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), FALSE);

  return self->favourite;
}

/**
 * easel_image_get_trashed:
 * @self: an image
 *
 * Returns: whether the image is in the trash
 */
gboolean
easel_image_get_trashed (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), FALSE);

  return self->trashed;
}

/**
 * easel_image_get_tags:
 * @self: an image
 *
 * Returns: (array zero-terminated=1) (transfer none): the tags, sorted,
 *   never %NULL
 */
const char * const *
easel_image_get_tags (EaselImage *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE (self), NULL);

  return self->tags != NULL ? (const char * const *) self->tags : no_tags;
}

/**
 * easel_image_set_path:
 * @self: an image
 * @path: (nullable): the absolute path of the original in the image store, or %NULL when the stored path is not a store path
 *
 * Sets #EaselImage:path, notifying only if it changes. For the library
 * and tests; everyone else edits through #EaselLibrary.
 */
void
easel_image_set_path (EaselImage *self,
                      const char *path)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));

  if (g_strcmp0 (self->path, path) == 0)
    return;
  g_free (self->path);
  self->path = g_strdup (path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
}

/**
 * easel_image_set_width:
 * @self: an image
 * @width: the width in pixels
 *
 * Sets #EaselImage:width, notifying only if it changes. For the library
 * and tests; everyone else edits through #EaselLibrary.
 */
void
easel_image_set_width (EaselImage *self,
                       int         width)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));

  if (self->width == width)
    return;
  self->width = width;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
}

/**
 * easel_image_set_height:
 * @self: an image
 * @height: the height in pixels
 *
 * Sets #EaselImage:height, notifying only if it changes. For the library
 * and tests; everyone else edits through #EaselLibrary.
 */
void
easel_image_set_height (EaselImage *self,
                        int         height)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));

  if (self->height == height)
    return;
  self->height = height;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEIGHT]);
}

/**
 * easel_image_set_mime:
 * @self: an image
 * @mime: (nullable): the media type of the original, such as `image/png`
 *
 * Sets #EaselImage:mime, notifying only if it changes. For the library
 * and tests; everyone else edits through #EaselLibrary.
 */
void
easel_image_set_mime (EaselImage *self,
                      const char *mime)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));

  if (g_strcmp0 (self->mime, mime) == 0)
    return;
  g_free (self->mime);
  self->mime = g_strdup (mime);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIME]);
}

/**
 * easel_image_set_bytes:
 * @self: an image
 * @bytes: the size of the original in bytes
 *
 * Sets #EaselImage:bytes, notifying only if it changes. For the library
 * and tests; everyone else edits through #EaselLibrary.
 */
void
easel_image_set_bytes (EaselImage *self,
                       gint64      bytes)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));

  if (self->bytes == bytes)
    return;
  self->bytes = bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES]);
}

/**
 * easel_image_set_created_at:
 * @self: an image
 * @created_at: when the image was saved, in µs since the epoch
 *
 * Sets #EaselImage:created-at, notifying only if it changes. For the library
 * and tests; everyone else edits through #EaselLibrary.
 */
void
easel_image_set_created_at (EaselImage *self,
                            gint64      created_at)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));

  if (self->created_at == created_at)
    return;
  self->created_at = created_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

/**
 * easel_image_set_job_id:
 * @self: an image
 * @job_id: the job that made the image, or 0
 *
 * Sets #EaselImage:job-id, notifying only if it changes. For the library
 * and tests; everyone else edits through #EaselLibrary.
 */
void
easel_image_set_job_id (EaselImage *self,
                        gint64      job_id)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));

  if (self->job_id == job_id)
    return;
  self->job_id = job_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB_ID]);
}

/**
 * easel_image_set_provider:
 * @self: an image
 * @provider: (nullable): the provider id, such as `replicate`
 *
 * Sets #EaselImage:provider, notifying only if it changes. For the library
 * and tests; everyone else edits through #EaselLibrary.
 */
void
easel_image_set_provider (EaselImage *self,
                          const char *provider)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));

  if (g_strcmp0 (self->provider, provider) == 0)
    return;
  g_free (self->provider);
  self->provider = g_strdup (provider);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER]);
}

/**
 * easel_image_set_model:
 * @self: an image
 * @model: (nullable): the model, such as `black-forest-labs/flux-schnell`
 *
 * Sets #EaselImage:model, notifying only if it changes. For the library
 * and tests; everyone else edits through #EaselLibrary.
 */
void
easel_image_set_model (EaselImage *self,
                       const char *model)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));

  if (g_strcmp0 (self->model, model) == 0)
    return;
  g_free (self->model);
  self->model = g_strdup (model);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * easel_image_set_prompt:
 * @self: an image
 * @prompt: (nullable): the prompt
 *
 * Sets #EaselImage:prompt, notifying only if it changes. For the library
 * and tests; everyone else edits through #EaselLibrary.
 */
void
easel_image_set_prompt (EaselImage *self,
                        const char *prompt)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));

  if (g_strcmp0 (self->prompt, prompt) == 0)
    return;
  g_free (self->prompt);
  self->prompt = g_strdup (prompt);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROMPT]);
}

/**
 * easel_image_set_params:
 * @self: an image
 * @params: (nullable): the parameters of the job, a JSON object as text
 *
 * Sets #EaselImage:params, notifying only if it changes. For the library
 * and tests; everyone else edits through #EaselLibrary.
 */
void
easel_image_set_params (EaselImage *self,
                        const char *params)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));

  if (g_strcmp0 (self->params, params) == 0)
    return;
  g_free (self->params);
  self->params = g_strdup (params);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARAMS]);
}

/**
 * easel_image_set_seed:
 * @self: an image
 * @seed: the seed, or -1 when none is known
 *
 * Sets #EaselImage:seed, notifying only if it changes. For the library
 * and tests; everyone else edits through #EaselLibrary.
 */
void
easel_image_set_seed (EaselImage *self,
                      gint64      seed)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));

  if (self->seed == seed)
    return;
  self->seed = seed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
}

/**
 * easel_image_set_rating:
 * @self: an image
 * @rating: the rating, from 0 (none) to 5
 *
 * Sets #EaselImage:rating, notifying only if it changes. For the library
 * and tests; everyone else edits through #EaselLibrary.
 */
void
easel_image_set_rating (EaselImage *self,
                        int         rating)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));
  g_return_if_fail (rating >= 0 && rating <= 5);

  if (self->rating == rating)
    return;
  self->rating = rating;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATING]);
}

/**
 * easel_image_set_favourite:
 * @self: an image
 * @favourite: whether the image is a favourite
 *
 * Sets #EaselImage:favourite, notifying only if it changes. For the library
 * and tests; everyone else edits through #EaselLibrary.
 */
void
easel_image_set_favourite (EaselImage *self,
                           gboolean    favourite)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));

  favourite = !!favourite;
  if (self->favourite == favourite)
    return;
  self->favourite = favourite;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAVOURITE]);
}

/**
 * easel_image_set_trashed:
 * @self: an image
 * @trashed: whether the image is in the trash
 *
 * Sets #EaselImage:trashed, notifying only if it changes. For the library
 * and tests; everyone else edits through #EaselLibrary.
 */
void
easel_image_set_trashed (EaselImage *self,
                         gboolean    trashed)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));

  trashed = !!trashed;
  if (self->trashed == trashed)
    return;
  self->trashed = trashed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRASHED]);
}

/**
 * easel_image_set_tags:
 * @self: an image
 * @tags: (nullable) (array zero-terminated=1): the tags, sorted
 *
 * Sets #EaselImage:tags, notifying only if it changes. For the library
 * and tests; everyone else edits through #EaselLibrary.
 */
void
easel_image_set_tags (EaselImage         *self,
                      const char * const *tags)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));

  if (g_strv_equal (easel_image_get_tags (self), tags != NULL ? tags : no_tags))
    return;
  g_strfreev (self->tags);
  self->tags = tags != NULL && tags[0] != NULL ? g_strdupv ((char **) tags) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAGS]);
}

/**
 * easel_image_update_from:
 * @self: an image
 * @fresher: the same image (same hash) read again
 *
 * Copies every field of @fresher into @self, notifying once per field that
 * changed, after all of them are set. This keeps @self the one object the
 * gallery and the viewer hold for its image.
 */
void
easel_image_update_from (EaselImage *self,
                         EaselImage *fresher)
{
  g_return_if_fail (EASEL_IS_IMAGE (self));
  g_return_if_fail (EASEL_IS_IMAGE (fresher));
  g_return_if_fail (g_strcmp0 (self->hash, fresher->hash) == 0);

  if (self == fresher)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  easel_image_set_path (self, fresher->path);
  easel_image_set_width (self, fresher->width);
  easel_image_set_height (self, fresher->height);
  easel_image_set_mime (self, fresher->mime);
  easel_image_set_bytes (self, fresher->bytes);
  easel_image_set_created_at (self, fresher->created_at);
  easel_image_set_job_id (self, fresher->job_id);
  easel_image_set_provider (self, fresher->provider);
  easel_image_set_model (self, fresher->model);
  easel_image_set_prompt (self, fresher->prompt);
  easel_image_set_params (self, fresher->params);
  easel_image_set_seed (self, fresher->seed);
  easel_image_set_rating (self, fresher->rating);
  easel_image_set_favourite (self, fresher->favourite);
  easel_image_set_trashed (self, fresher->trashed);
  easel_image_set_tags (self, easel_image_get_tags (fresher));
  g_object_thaw_notify (G_OBJECT (self));
}
