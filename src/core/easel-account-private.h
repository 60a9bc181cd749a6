/* easel-account-private.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "easel-account.h"

G_BEGIN_DECLS

/* Only EaselAccounts creates and changes accounts. */
EaselAccount *easel_account_new          (const char         *provider,
                                          const char         *name,
                                          EaselAccountSource  source);
void          easel_account_set_is_default (EaselAccount     *self,
                                            gboolean          is_default);
void          easel_account_set_max_jobs (EaselAccount       *self,
                                          guint               max_jobs);
void          easel_account_set_problem  (EaselAccount       *self,
                                          const char         *problem);

G_END_DECLS
