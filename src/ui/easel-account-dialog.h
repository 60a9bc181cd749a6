/* easel-account-dialog.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "easel-accounts.h"

G_BEGIN_DECLS

#define EASEL_TYPE_ACCOUNT_DIALOG (easel_account_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EaselAccountDialog, easel_account_dialog, EASEL, ACCOUNT_DIALOG, AdwWindow)

EaselAccountDialog *easel_account_dialog_new      (GtkWindow          *parent,
                                                   EaselAccounts      *accounts,
                                                   const char         *provider);
GtkWidget          *easel_account_dialog_get_form (EaselAccountDialog *self);

G_END_DECLS
