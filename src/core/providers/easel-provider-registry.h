/* easel-provider-registry.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "easel-provider.h"

G_BEGIN_DECLS

/**
 * EaselProviderInfo:
 * @id: the provider id ("replicate", "midjourney", …)
 * @display_name: the name for people
 * @url_variable: the environment variable overriding the endpoint
 * @default_url: the official endpoint
 * @token_variable: the environment variable that may hold a token
 *
 * What the registry knows of a provider before one is created.
 */
typedef struct
{
  const char *id;
  const char *display_name;
  const char *url_variable;
  const char *default_url;
  const char *token_variable;
} EaselProviderInfo;

const EaselProviderInfo *easel_provider_registry_list     (guint       *n_providers);
const EaselProviderInfo *easel_provider_registry_lookup   (const char  *id);
char                    *easel_provider_registry_dup_url  (const char  *id);
EaselProvider           *easel_provider_registry_create   (const char  *id,
                                                           const char  *base_url,
                                                           const char  *token,
                                                           GError     **error);

EaselProvider           *easel_provider_registry_lookup_env (const char  *id,
                                                             const char  *account,
                                                             gpointer     user_data,
                                                             GError     **error);

G_END_DECLS
