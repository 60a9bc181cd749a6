/* easel-account-form.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "easel-accounts.h"

G_BEGIN_DECLS

#define EASEL_TYPE_ACCOUNT_FORM (easel_account_form_get_type ())

G_DECLARE_FINAL_TYPE (EaselAccountForm, easel_account_form, EASEL, ACCOUNT_FORM, AdwBin)

GtkWidget    *easel_account_form_new           (void);
void          easel_account_form_set_accounts  (EaselAccountForm     *self,
                                                EaselAccounts        *accounts);
void          easel_account_form_set_provider  (EaselAccountForm     *self,
                                                const char           *provider);
const char   *easel_account_form_get_provider  (EaselAccountForm     *self);
gboolean      easel_account_form_get_ready     (EaselAccountForm     *self);
void          easel_account_form_add_async     (EaselAccountForm     *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
EaselAccount *easel_account_form_add_finish    (EaselAccountForm     *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void          easel_account_form_test_async    (EaselAccountForm     *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean      easel_account_form_test_finish   (EaselAccountForm     *self,
                                                GAsyncResult         *result,
                                                GError              **error);
char         *easel_account_form_describe_added (EaselAccount        *account);
char         *easel_account_form_describe_error (const GError        *error);

G_END_DECLS
