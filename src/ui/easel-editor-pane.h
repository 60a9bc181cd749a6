/* easel-editor-pane.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "easel-accounts.h"
#include "easel-job-queue.h"
#include "easel-library.h"

G_BEGIN_DECLS

#define EASEL_TYPE_EDITOR_PANE (easel_editor_pane_get_type ())

G_DECLARE_FINAL_TYPE (EaselEditorPane, easel_editor_pane, EASEL, EDITOR_PANE, AdwBin)

void     easel_editor_pane_set_accounts   (EaselEditorPane *self,
                                           EaselAccounts   *accounts);
void     easel_editor_pane_set_job_queue  (EaselEditorPane *self,
                                           EaselJobQueue   *queue);
void     easel_editor_pane_set_library    (EaselEditorPane *self,
                                           EaselLibrary    *library);
void     easel_editor_pane_reuse_image    (EaselEditorPane *self,
                                           const char      *hash);
void     easel_editor_pane_focus_prompt   (EaselEditorPane *self);

G_END_DECLS
