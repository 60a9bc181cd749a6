/* easel-library.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "easel-image.h"
#include "easel-image-store.h"
#include "easel-query.h"
#include "easel-store.h"

G_BEGIN_DECLS

#define EASEL_TYPE_LIBRARY (easel_library_get_type ())

G_DECLARE_FINAL_TYPE (EaselLibrary, easel_library, EASEL, LIBRARY, GObject)

EaselLibrary    *easel_library_new                  (EaselStore           *store,
                                                     EaselImageStore      *images);
EaselStore      *easel_library_get_store            (EaselLibrary         *self);
EaselImageStore *easel_library_get_image_store      (EaselLibrary         *self);

void             easel_library_count_async          (EaselLibrary         *self,
                                                     EaselQuery           *query,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
guint            easel_library_count_finish         (EaselLibrary         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
guint            easel_library_count_sync           (EaselLibrary         *self,
                                                     EaselQuery           *query,
                                                     GError              **error);

void             easel_library_fetch_async          (EaselLibrary         *self,
                                                     EaselQuery           *query,
                                                     guint                 offset,
                                                     guint                 limit,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GPtrArray       *easel_library_fetch_finish         (EaselLibrary         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
GPtrArray       *easel_library_fetch_sync           (EaselLibrary         *self,
                                                     EaselQuery           *query,
                                                     guint                 offset,
                                                     guint                 limit,
                                                     GError              **error);

void             easel_library_lookup_async         (EaselLibrary         *self,
                                                     const char           *hash,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
EaselImage      *easel_library_lookup_finish        (EaselLibrary         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

void             easel_library_position_async       (EaselLibrary         *self,
                                                     EaselQuery           *query,
                                                     const char           *hash,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
int              easel_library_position_finish      (EaselLibrary         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

void             easel_library_set_rating_async     (EaselLibrary         *self,
                                                     const char * const   *hashes,
                                                     int                   rating,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean         easel_library_set_rating_finish    (EaselLibrary         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void             easel_library_set_favourite_async  (EaselLibrary         *self,
                                                     const char * const   *hashes,
                                                     gboolean              favourite,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean         easel_library_set_favourite_finish (EaselLibrary         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void             easel_library_set_trashed_async    (EaselLibrary         *self,
                                                     const char * const   *hashes,
                                                     gboolean              trashed,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean         easel_library_set_trashed_finish   (EaselLibrary         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void             easel_library_add_tag_async        (EaselLibrary         *self,
                                                     const char * const   *hashes,
                                                     const char           *tag,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean         easel_library_add_tag_finish       (EaselLibrary         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void             easel_library_remove_tag_async     (EaselLibrary         *self,
                                                     const char * const   *hashes,
                                                     const char           *tag,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean         easel_library_remove_tag_finish    (EaselLibrary         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

void             easel_library_list_tags_async      (EaselLibrary         *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GStrv            easel_library_list_tags_finish     (EaselLibrary         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

void             easel_library_images_added         (EaselLibrary         *self,
                                                     const char * const   *hashes);

G_END_DECLS
