/* easel-useapi-parse.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "easel-provider.h"

G_BEGIN_DECLS

/**
 * EaselUseapiChannel:
 * @channel: the Midjourney DM channel id
 * @max_jobs: concurrent jobs allowed, or 0 when not given
 * @max_image_jobs: concurrent image jobs allowed, or 0
 * @max_video_jobs: concurrent video jobs allowed, or 0
 * @error: (nullable): why the channel is out of rotation (596: a
 *   moderation notice or CAPTCHA waits in Discord)
 *
 * One configured UseAPI channel (a Midjourney account).
 */
typedef struct
{
  char *channel;
  int   max_jobs;
  int   max_image_jobs;
  int   max_video_jobs;
  char *error;
} EaselUseapiChannel;

void              easel_useapi_channel_free   (EaselUseapiChannel *self);

EaselRemoteState  easel_useapi_parse_status   (const char  *status);
EaselRemoteJob   *easel_useapi_parse_job      (JsonNode    *node,
                                               GError     **error);
EaselRemotePage  *easel_useapi_parse_running  (JsonNode    *node,
                                               GError     **error);
GPtrArray        *easel_useapi_parse_accounts (JsonNode    *node,
                                               GError     **error);
int               easel_useapi_classify       (guint        status,
                                               JsonNode    *body,
                                               char       **message,
                                               gpointer     user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselUseapiChannel, easel_useapi_channel_free)

G_END_DECLS
