/* easel-image-store.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EASEL_TYPE_IMAGE_STORE (easel_image_store_get_type ())

G_DECLARE_FINAL_TYPE (EaselImageStore, easel_image_store, EASEL, IMAGE_STORE, GObject)

EaselImageStore *easel_image_store_new                   (const char           *root);
const char      *easel_image_store_get_root              (EaselImageStore      *self);
char            *easel_image_store_build_relative_path   (const char           *sha256_hex,
                                                          const char           *extension);
gboolean         easel_image_store_is_relative_path      (const char           *relative);
gboolean         easel_image_store_is_hash               (const char           *text);
char            *easel_image_store_dup_path              (EaselImageStore      *self,
                                                          const char           *relative);
GFile           *easel_image_store_write_temp            (EaselImageStore      *self,
                                                          GBytes               *bytes,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
char            *easel_image_store_import_file           (EaselImageStore      *self,
                                                          GFile                *temp_file,
                                                          const char           *sha256_hex,
                                                          const char           *extension,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
char            *easel_image_store_import_bytes          (EaselImageStore      *self,
                                                          GBytes               *bytes,
                                                          const char           *sha256_hex,
                                                          const char           *extension,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
void             easel_image_store_import_file_async     (EaselImageStore      *self,
                                                          GFile                *temp_file,
                                                          const char           *sha256_hex,
                                                          const char           *extension,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
char            *easel_image_store_import_file_finish    (EaselImageStore      *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS
