/* easel-spending-button.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "easel-job-queue.h"

G_BEGIN_DECLS

#define EASEL_TYPE_SPENDING_BUTTON (easel_spending_button_get_type ())

G_DECLARE_FINAL_TYPE (EaselSpendingButton, easel_spending_button, EASEL, SPENDING_BUTTON, AdwBin)

GtkWidget *easel_spending_button_new           (void);
void       easel_spending_button_set_job_queue (EaselSpendingButton *self,
                                                EaselJobQueue       *queue);
GtkWidget *easel_spending_button_get_popover   (EaselSpendingButton *self);
void       easel_spending_button_set_compact   (EaselSpendingButton *self,
                                                gboolean             compact);
gboolean   easel_spending_button_get_compact   (EaselSpendingButton *self);

G_END_DECLS
