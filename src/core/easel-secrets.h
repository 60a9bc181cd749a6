/* easel-secrets.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define EASEL_TYPE_SECRETS (easel_secrets_get_type ())

G_DECLARE_FINAL_TYPE (EaselSecrets, easel_secrets, EASEL, SECRETS, GObject)

const SecretSchema *easel_secrets_get_schema        (void);

EaselSecrets       *easel_secrets_new               (void);
gboolean            easel_secrets_get_in_memory     (EaselSecrets         *self);
const char         *easel_secrets_get_problem       (EaselSecrets         *self);

void                easel_secrets_store_async       (EaselSecrets         *self,
                                                     const char           *provider,
                                                     const char           *account,
                                                     const char           *label,
                                                     const char           *token,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean            easel_secrets_store_finish      (EaselSecrets         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void                easel_secrets_lookup_async      (EaselSecrets         *self,
                                                     const char           *provider,
                                                     const char           *account,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
char               *easel_secrets_lookup_finish     (EaselSecrets         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void                easel_secrets_clear_async       (EaselSecrets         *self,
                                                     const char           *provider,
                                                     const char           *account,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean            easel_secrets_clear_finish      (EaselSecrets         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

void                easel_secret_free               (char                 *secret);

G_END_DECLS
