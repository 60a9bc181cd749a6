/* easel-model-catalog.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "easel-provider.h"
#include "easel-store.h"

G_BEGIN_DECLS

/**
 * EASEL_MODEL_CATALOG_MAX_AGE:
 *
 * How long a cached parameter description is used without asking the
 * provider again, in microseconds (7 days).
 */
#define EASEL_MODEL_CATALOG_MAX_AGE (7 * G_TIME_SPAN_DAY)

/**
 * EaselCatalogEntry:
 * @provider: the provider id, such as "replicate"
 * @model: the model as the provider knows it
 * @title: the model's name for people, translated
 * @description: one sentence on what it is good for, translated
 *
 * A model the editor offers without anything to type.
 */
typedef struct
{
  const char *provider;
  const char *model;
  const char *title;
  const char *description;
} EaselCatalogEntry;

const EaselCatalogEntry *easel_model_catalog_get_curated   (guint                *n_entries);
gboolean                 easel_model_name_is_valid         (const char           *model,
                                                            GError              **error);

void                     easel_model_catalog_describe_async  (EaselStore           *store,
                                                              EaselProvider        *provider,
                                                              const char           *model,
                                                              gboolean              refresh,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
GPtrArray               *easel_model_catalog_describe_finish (EaselStore           *store,
                                                              GAsyncResult         *result,
                                                              gboolean             *from_cache,
                                                              GError              **error);

G_END_DECLS
