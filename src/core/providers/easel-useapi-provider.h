/* easel-useapi-provider.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "easel-http-client.h"
#include "easel-http-provider.h"
#include "easel-provider.h"
#include "easel-useapi-parse.h"

G_BEGIN_DECLS

#define EASEL_USEAPI_DEFAULT_URL "https://api.useapi.net/v3/midjourney"

#define EASEL_TYPE_USEAPI_PROVIDER (easel_useapi_provider_get_type ())

G_DECLARE_FINAL_TYPE (EaselUseapiProvider, easel_useapi_provider, EASEL, USEAPI_PROVIDER, EaselHttpProvider)

void             easel_useapi_provider_set_streaming       (EaselUseapiProvider  *self,
                                                            gboolean              streaming);
void             easel_useapi_provider_set_poll_delays     (EaselUseapiProvider  *self,
                                                            guint                 first_ms,
                                                            guint                 max_ms);
void             easel_useapi_provider_set_channel         (EaselUseapiProvider  *self,
                                                            const char           *channel);

void             easel_useapi_provider_blend_async         (EaselUseapiProvider  *self,
                                                            const char           *local_id,
                                                            GPtrArray            *images,
                                                            const char           *dimensions,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
EaselRemoteJob  *easel_useapi_provider_blend_finish        (EaselUseapiProvider  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void             easel_useapi_provider_describe_async      (EaselUseapiProvider  *self,
                                                            const char           *local_id,
                                                            GBytes               *image,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
EaselRemoteJob  *easel_useapi_provider_describe_finish     (EaselUseapiProvider  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void             easel_useapi_provider_seed_async          (EaselUseapiProvider  *self,
                                                            const char           *local_id,
                                                            const char           *job_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
EaselRemoteJob  *easel_useapi_provider_seed_finish         (EaselUseapiProvider  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void             easel_useapi_provider_list_channels_async (EaselUseapiProvider  *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray       *easel_useapi_provider_list_channels_finish (EaselUseapiProvider *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void             easel_useapi_provider_reset_channel_async (EaselUseapiProvider  *self,
                                                            const char           *channel,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean         easel_useapi_provider_reset_channel_finish (EaselUseapiProvider *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

G_END_DECLS
