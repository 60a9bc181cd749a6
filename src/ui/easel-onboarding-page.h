/* easel-onboarding-page.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "easel-accounts.h"

G_BEGIN_DECLS

#define EASEL_TYPE_ONBOARDING_PAGE (easel_onboarding_page_get_type ())

G_DECLARE_FINAL_TYPE (EaselOnboardingPage, easel_onboarding_page, EASEL, ONBOARDING_PAGE, AdwBin)

GtkWidget *easel_onboarding_page_new            (void);
void       easel_onboarding_page_set_accounts   (EaselOnboardingPage *self,
                                                 EaselAccounts       *accounts);
gboolean   easel_onboarding_page_get_needed     (EaselOnboardingPage *self);
void       easel_onboarding_page_set_can_browse (EaselOnboardingPage *self,
                                                 gboolean             can_browse);

G_END_DECLS
