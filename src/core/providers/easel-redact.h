/* easel-redact.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *easel_redact_hash (const char *value);
char *easel_redact_url  (const char *url);
char *easel_redact_text (const char *text);

G_END_DECLS
