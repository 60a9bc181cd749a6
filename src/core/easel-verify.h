/* easel-verify.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "easel-image-store.h"
#include "easel-store.h"

G_BEGIN_DECLS

/**
 * EaselVerifyProgress:
 * @checked: how many images of the library have been checked
 * @total: how many there are
 * @user_data: the data given with the function
 *
 * Progress of easel_verify_run_async(), on the caller's main context, a
 * few times per second at most, and once more at the end.
 */
typedef void (*EaselVerifyProgress) (guint64  checked,
                                     guint64  total,
                                     gpointer user_data);

/**
 * EaselVerifyEntry:
 * @hash: (nullable): the hash the file should have: its row's, or the one
 *   its name holds; %NULL when neither says
 * @relative_path: the file, relative to the image store's root
 * @actual_hash: (nullable): what its content hashes to; %NULL when it was
 *   not read (missing, unreadable)
 * @message: what was found, or done, in a sentence for the user
 *
 * One file in an #EaselVerifyReport.
 */
typedef struct
{
  char *hash;
  char *relative_path;
  char *actual_hash;
  char *message;
} EaselVerifyEntry;

/**
 * EaselVerifyReport:
 * @repair: whether repairs were made (easel verify --repair)
 * @checked: how many images (rows of the library) were checked
 * @ok: how many of them had their file, intact, as it was found
 * @bytes: how many bytes were read and hashed
 * @missing: (element-type EaselVerifyEntry): images whose file was missing
 * @corrupt: (element-type EaselVerifyEntry): images whose file no longer
 *   matches its hash, or cannot be read, or whose row names a wrong path
 * @repaired: (element-type EaselVerifyEntry): what the repair fixed
 * @orphans: (element-type EaselVerifyEntry): files in the store that no
 *   image of the library uses (left as they are)
 * @leftovers: (element-type EaselVerifyEntry): temp files of interrupted
 *   imports, older than an hour (removed by a repair)
 * @unrepairable: (element-type EaselVerifyEntry): images still without an
 *   intact file after the run, that a repair cannot restore (in a run
 *   without @repair: those that `--repair` would not fix either)
 *
 * What easel_verify_run_async() found and did.
 */
typedef struct
{
  /*< private >*/
  gatomicrefcount  ref_count;

  /*< public >*/
  gboolean         repair;
  guint64          checked;
  guint64          ok;
  guint64          bytes;
  GPtrArray       *missing;
  GPtrArray       *corrupt;
  GPtrArray       *repaired;
  GPtrArray       *orphans;
  GPtrArray       *leftovers;
  GPtrArray       *unrepairable;
} EaselVerifyReport;

#define EASEL_TYPE_VERIFY_REPORT (easel_verify_report_get_type ())

GType              easel_verify_report_get_type (void) G_GNUC_CONST;
EaselVerifyReport *easel_verify_report_ref      (EaselVerifyReport    *self);
void               easel_verify_report_unref    (EaselVerifyReport    *self);
gboolean           easel_verify_report_is_clean (EaselVerifyReport    *self);

void               easel_verify_run_async       (EaselStore           *store,
                                                 EaselImageStore      *images,
                                                 gboolean              repair,
                                                 EaselVerifyProgress   progress,
                                                 gpointer              progress_data,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
EaselVerifyReport *easel_verify_run_finish      (GAsyncResult         *result,
                                                 GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselVerifyReport, easel_verify_report_unref)

G_END_DECLS
