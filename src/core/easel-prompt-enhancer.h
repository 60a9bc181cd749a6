/* easel-prompt-enhancer.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "easel-openrouter-client.h"

G_BEGIN_DECLS

/**
 * EASEL_PROMPT_ENHANCER_MODEL:
 *
 * The OpenRouter model that rewrites prompts: small, cheap and quick.
 */
#define EASEL_PROMPT_ENHANCER_MODEL "openai/gpt-4o-mini"

/**
 * EASEL_PROMPT_ENHANCER_MAX_LENGTH:
 *
 * The longest suggestion accepted, in characters; a longer answer is an
 * essay, not a prompt.
 */
#define EASEL_PROMPT_ENHANCER_MAX_LENGTH 2000

const char *easel_prompt_conventions    (const char             *provider_id,
                                         const char             *model);

void        easel_prompt_enhance_async  (EaselOpenrouterClient  *client,
                                         const char             *idea,
                                         const char             *provider_id,
                                         const char             *model,
                                         GCancellable           *cancellable,
                                         GAsyncReadyCallback     callback,
                                         gpointer                user_data);
char       *easel_prompt_enhance_finish (GAsyncResult           *result,
                                         GError                **error);

G_END_DECLS
