/* easel-replicate-provider.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "easel-http-client.h"
#include "easel-http-provider.h"
#include "easel-provider.h"

G_BEGIN_DECLS

#define EASEL_REPLICATE_DEFAULT_URL "https://api.replicate.com/v1"

#define EASEL_TYPE_REPLICATE_PROVIDER (easel_replicate_provider_get_type ())

G_DECLARE_FINAL_TYPE (EaselReplicateProvider, easel_replicate_provider, EASEL, REPLICATE_PROVIDER, EaselHttpProvider)

void             easel_replicate_provider_set_poll_delays (EaselReplicateProvider *self,
                                                           guint                   first_ms,
                                                           guint                   max_ms);
void             easel_replicate_provider_set_prefer_wait (EaselReplicateProvider *self,
                                                           guint                   seconds);
void             easel_replicate_provider_set_cancel_after (EaselReplicateProvider *self,
                                                            const char             *duration);
gboolean         easel_replicate_price_per_image          (const char             *model,
                                                           gint64                 *micros);
gboolean         easel_replicate_split_model              (const char             *model,
                                                           char                  **owner,
                                                           char                  **name,
                                                           char                  **version,
                                                           GError                **error);

G_END_DECLS
