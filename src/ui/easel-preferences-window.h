/* easel-preferences-window.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "easel-accounts.h"
#include "easel-image-store.h"
#include "easel-store.h"
#include "easel-thumbnailer.h"

G_BEGIN_DECLS

#define EASEL_TYPE_PREFERENCES_WINDOW (easel_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (EaselPreferencesWindow, easel_preferences_window, EASEL, PREFERENCES_WINDOW, AdwPreferencesWindow)

EaselPreferencesWindow *easel_preferences_window_new        (GSettings              *settings);
void                    easel_preferences_window_set_engine (EaselPreferencesWindow *self,
                                                             EaselAccounts          *accounts,
                                                             EaselStore             *store,
                                                             EaselImageStore        *images,
                                                             EaselThumbnailer       *thumbnailer);

G_END_DECLS
