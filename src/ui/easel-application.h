/* easel-application.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "easel-accounts.h"
#include "easel-job-queue.h"

G_BEGIN_DECLS

#define EASEL_TYPE_APPLICATION (easel_application_get_type ())

G_DECLARE_FINAL_TYPE (EaselApplication, easel_application, EASEL, APPLICATION, AdwApplication)

EaselApplication *easel_application_new          (const char        *application_id,
                                                  GApplicationFlags  flags);
GSettings        *easel_application_get_settings (EaselApplication  *self);
GtkWindow        *easel_application_show_about   (EaselApplication  *self);
EaselJobQueue    *easel_application_get_job_queue (EaselApplication *self);
EaselAccounts    *easel_application_get_accounts (EaselApplication *self);

G_END_DECLS
