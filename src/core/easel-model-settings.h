/* easel-model-settings.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "easel-store.h"

G_BEGIN_DECLS

void        easel_model_settings_load_async  (EaselStore           *store,
                                              const char           *provider,
                                              const char           *model,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
JsonObject *easel_model_settings_load_finish (EaselStore           *store,
                                              GAsyncResult         *result,
                                              GError              **error);

void        easel_model_settings_save_async  (EaselStore           *store,
                                              const char           *provider,
                                              const char           *model,
                                              JsonObject           *params,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean    easel_model_settings_save_finish (EaselStore           *store,
                                              GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
