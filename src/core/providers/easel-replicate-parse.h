/* easel-replicate-parse.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "easel-provider.h"

G_BEGIN_DECLS

EaselRemoteJob  *easel_replicate_parse_prediction (JsonNode    *node,
                                                   GError     **error);
EaselRemotePage *easel_replicate_parse_page       (JsonNode    *node,
                                                   GError     **error);
GPtrArray       *easel_replicate_parse_schema     (JsonNode    *model,
                                                   GError     **error);
char            *easel_replicate_parse_file       (JsonNode    *node,
                                                   GError     **error);
EaselRemoteState easel_replicate_parse_status     (const char  *status);
int              easel_replicate_parse_progress   (const char  *logs);
int              easel_replicate_classify         (guint        status,
                                                   JsonNode    *body,
                                                   char       **message,
                                                   gpointer     user_data);

G_END_DECLS
