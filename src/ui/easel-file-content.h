/* easel-file-content.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GdkContentProvider *easel_file_content_new (GFile * const *files,
                                            guint          n_files,
                                            const char    *mime_type);

G_END_DECLS
