/* easel-prompt-enhancer-private.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* For tests: the cleaning of a model's answer, without a server. */

#pragma once

#include "easel-prompt-enhancer.h"

G_BEGIN_DECLS

char *easel_prompt_enhancer_clean (const char  *reply,
                                   GError     **error);

G_END_DECLS
