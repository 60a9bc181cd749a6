/* easel-downloader.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "easel-http-client.h"
#include "easel-image-store.h"

G_BEGIN_DECLS

/**
 * EaselDownloadKind:
 * @EASEL_DOWNLOAD_KIND_IMAGE: a PNG, JPEG, WebP or GIF image, decoded to
 *   check it
 * @EASEL_DOWNLOAD_KIND_VIDEO: an MP4, WebM or GIF clip, checked by its
 *   signature and structure only
 *
 * What a download must turn out to be.
 */
typedef enum
{
  EASEL_DOWNLOAD_KIND_IMAGE,
  EASEL_DOWNLOAD_KIND_VIDEO,
} EaselDownloadKind;

/**
 * EaselStoredFile:
 * @hash: the SHA-256 of the content, 64 lowercase hex digits
 * @relative_path: where it is below the store's root ("ab/cd/abcd….png")
 * @mime: the sniffed MIME type ("image/png", "video/mp4" …)
 * @size: the size in bytes
 * @width: the width in pixels, 0 for a video
 * @height: the height in pixels, 0 for a video
 *
 * A verified file in the #EaselImageStore.
 */
typedef struct
{
  /*< private >*/
  gatomicrefcount  ref_count;

  /*< public >*/
  char            *hash;
  char            *relative_path;
  char            *mime;
  guint64          size;
  guint            width;
  guint            height;
} EaselStoredFile;

#define EASEL_TYPE_STORED_FILE (easel_stored_file_get_type ())

GType            easel_stored_file_get_type   (void) G_GNUC_CONST;
EaselStoredFile *easel_stored_file_ref        (EaselStoredFile *self);
void             easel_stored_file_unref      (EaselStoredFile *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselStoredFile, easel_stored_file_unref)

/* Large enough for an 8K PNG; Replicate and Midjourney outputs are far smaller. */
#define EASEL_DOWNLOADER_DEFAULT_MAX_SIZE (64 * 1024 * 1024)

#define EASEL_TYPE_DOWNLOADER (easel_downloader_get_type ())

G_DECLARE_FINAL_TYPE (EaselDownloader, easel_downloader, EASEL, DOWNLOADER, GObject)

EaselDownloader *easel_downloader_new                (EaselImageStore      *store,
                                                      guint                 max_concurrent);
EaselImageStore *easel_downloader_get_store          (EaselDownloader      *self);
guint            easel_downloader_get_max_concurrent (EaselDownloader      *self);
void             easel_downloader_set_max_attempts   (EaselDownloader      *self,
                                                      guint                 max_attempts);
void             easel_downloader_set_sleep_func     (EaselDownloader      *self,
                                                      EaselHttpSleepFunc    func,
                                                      gpointer              user_data);
void             easel_downloader_set_max_size       (EaselDownloader      *self,
                                                      gsize                 max_size);
void             easel_downloader_fetch_async        (EaselDownloader      *self,
                                                      const char           *url,
                                                      EaselDownloadKind     kind,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
EaselStoredFile *easel_downloader_fetch_finish       (EaselDownloader      *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

gboolean         easel_downloader_check_url          (const char           *url,
                                                      GError              **error);

G_END_DECLS
