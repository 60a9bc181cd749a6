/* easel-reference.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "easel-job-spec.h"

G_BEGIN_DECLS

/* What providers take per reference image (providers.md §1.6, §3.3). */
#define EASEL_REFERENCE_MAX_SIZE (10 * 1024 * 1024)
#define EASEL_REFERENCE_MAX_URL_LENGTH 2048

/* Midjourney's roles (easel_reference_roles() for "midjourney"). */
#define EASEL_REFERENCE_ROLE_IMAGE_PROMPT "image_prompt"
#define EASEL_REFERENCE_ROLE_SREF "sref"
#define EASEL_REFERENCE_ROLE_OREF "oref"

/**
 * EaselReferenceSource:
 * @EASEL_REFERENCE_FILE: a local file, kept by Easel and uploaded on submit
 * @EASEL_REFERENCE_URL: the address of an image on the web
 *
 * Where a reference image came from.
 */
typedef enum
{
  EASEL_REFERENCE_FILE,
  EASEL_REFERENCE_URL,
} EaselReferenceSource;

/**
 * EaselReferenceRole:
 * @id: what the role is called in a job spec (see easel_job_spec_add_reference())
 * @title: a translated name for the user
 * @local_files: whether the provider can take a local file in this role
 *   (uploaded on submit); %FALSE where only a public address works
 * @max: how many images the role takes, 0 for no limit
 *
 * What a reference image is used for, such as Midjourney's style reference.
 */
typedef struct
{
  char     *id;
  char     *title;
  gboolean  local_files;
  int       max;
} EaselReferenceRole;

#define EASEL_TYPE_REFERENCE_ROLE (easel_reference_role_get_type ())

GType               easel_reference_role_get_type (void) G_GNUC_CONST;
EaselReferenceRole *easel_reference_role_new      (const char               *id,
                                                   const char               *title,
                                                   gboolean                  local_files,
                                                   int                       max);
EaselReferenceRole *easel_reference_role_copy     (const EaselReferenceRole *self);
void                easel_reference_role_free     (EaselReferenceRole       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselReferenceRole, easel_reference_role_free)

GPtrArray          *easel_reference_roles         (const char               *provider_id,
                                                   GPtrArray                *params);

#define EASEL_TYPE_REFERENCE (easel_reference_get_type ())

G_DECLARE_FINAL_TYPE (EaselReference, easel_reference, EASEL, REFERENCE, GObject)

void                  easel_reference_new_from_file_async  (GFile                *file,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
EaselReference       *easel_reference_new_from_file_finish (GAsyncResult         *result,
                                                            GError              **error);
EaselReference       *easel_reference_new_from_url         (const char           *url,
                                                            GError              **error);

EaselReferenceSource  easel_reference_get_source           (EaselReference       *self);
const char           *easel_reference_get_name             (EaselReference       *self);
const char           *easel_reference_get_url              (EaselReference       *self);
const char           *easel_reference_get_hash             (EaselReference       *self);
const char           *easel_reference_get_mime             (EaselReference       *self);
guint                 easel_reference_get_width            (EaselReference       *self);
guint                 easel_reference_get_height           (EaselReference       *self);
guint64               easel_reference_get_size             (EaselReference       *self);
GFile                *easel_reference_get_file             (EaselReference       *self);
const char           *easel_reference_get_role             (EaselReference       *self);
void                  easel_reference_set_role             (EaselReference       *self,
                                                            const char           *role);

GFile                *easel_reference_find_file            (const char           *hash,
                                                            GError              **error);
gboolean              easel_reference_place                (const char           *provider_id,
                                                            EaselJobSpec         *spec,
                                                            const char           *role,
                                                            const char           *url,
                                                            GError              **error);

G_END_DECLS
