/* easel-accounts.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "easel-account.h"
#include "easel-job-queue.h"
#include "easel-provider.h"
#include "easel-secrets.h"
#include "easel-store.h"

G_BEGIN_DECLS

#define EASEL_TYPE_ACCOUNTS (easel_accounts_get_type ())

G_DECLARE_FINAL_TYPE (EaselAccounts, easel_accounts, EASEL, ACCOUNTS, GObject)

EaselAccounts  *easel_accounts_new                 (EaselStore           *store,
                                                    EaselSecrets         *secrets);
EaselSecrets   *easel_accounts_get_secrets         (EaselAccounts        *self);
gboolean        easel_accounts_get_listed          (EaselAccounts        *self);
void            easel_accounts_bind_settings       (EaselAccounts        *self,
                                                    GSettings            *settings);
void            easel_accounts_bind_queue          (EaselAccounts        *self,
                                                    EaselJobQueue        *queue);

void            easel_accounts_load_async          (EaselAccounts        *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean        easel_accounts_load_finish         (EaselAccounts        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

EaselAccount   *easel_accounts_find                (EaselAccounts        *self,
                                                    const char           *name);
EaselAccount   *easel_accounts_get_default         (EaselAccounts        *self,
                                                    const char           *provider);

void            easel_accounts_add_async           (EaselAccounts        *self,
                                                    const char           *provider,
                                                    const char           *name,
                                                    const char           *token,
                                                    gboolean              make_default,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
EaselAccount   *easel_accounts_add_finish          (EaselAccounts        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void            easel_accounts_remove_async        (EaselAccounts        *self,
                                                    const char           *name,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean        easel_accounts_remove_finish       (EaselAccounts        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void            easel_accounts_set_default_async   (EaselAccounts        *self,
                                                    const char           *name,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean        easel_accounts_set_default_finish  (EaselAccounts        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void            easel_accounts_set_max_jobs_async  (EaselAccounts        *self,
                                                    const char           *name,
                                                    guint                 max_jobs,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean        easel_accounts_set_max_jobs_finish (EaselAccounts        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void            easel_accounts_test_async          (EaselAccounts        *self,
                                                    const char           *name,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
void            easel_accounts_test_token_async    (EaselAccounts        *self,
                                                    const char           *provider,
                                                    const char           *token,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean        easel_accounts_test_finish         (EaselAccounts        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

EaselProvider  *easel_accounts_lookup              (const char           *provider,
                                                    const char           *account,
                                                    gpointer              accounts,
                                                    GError              **error);
char           *easel_accounts_dup_token           (EaselAccounts        *self,
                                                    const char           *provider,
                                                    const char           *account,
                                                    GError              **error);
char           *easel_accounts_dup_url             (EaselAccounts        *self,
                                                    const char           *provider);

const char     *easel_accounts_provider_name       (const char           *provider);
const char * const *easel_accounts_list_provider_ids (void);
GStrv           easel_accounts_check_token         (const char           *provider,
                                                    const char           *token);
gboolean        easel_accounts_check_name          (const char           *name,
                                                    GError              **error);

G_END_DECLS
