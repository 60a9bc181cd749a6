/* easel-cli-account.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>

#include <gio/gio.h>

#include "easel-accounts.h"
#include "easel-store.h"

G_BEGIN_DECLS

GSettings     *easel_cli_dup_settings  (void);
EaselAccounts *easel_cli_load_accounts (EaselStore  *store,
                                        GSettings   *settings,
                                        GError     **error);
int            easel_cli_account       (int          argc,
                                        char       **argv,
                                        FILE        *out,
                                        FILE        *err);

G_END_DECLS
