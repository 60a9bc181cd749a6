/* easel-openrouter-client.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "easel-http-client.h"

G_BEGIN_DECLS

#define EASEL_OPENROUTER_DEFAULT_URL "https://openrouter.ai/api/v1"

/**
 * EaselCompletion:
 * @id: (nullable): the generation id
 * @model: (nullable): the model that answered
 * @content: the answer
 * @finish_reason: (nullable): why it stopped
 * @prompt_tokens: tokens read, or -1
 * @completion_tokens: tokens written, or -1
 *
 * One chat completion.
 */
typedef struct
{
  char   *id;
  char   *model;
  char   *content;
  char   *finish_reason;
  gint64  prompt_tokens;
  gint64  completion_tokens;
} EaselCompletion;

void             easel_completion_free            (EaselCompletion *self);
EaselCompletion *easel_openrouter_parse_completion (JsonNode        *node,
                                                    GError         **error);
int              easel_openrouter_classify         (guint            status,
                                                    JsonNode        *body,
                                                    char           **message,
                                                    gpointer         user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselCompletion, easel_completion_free)

#define EASEL_TYPE_OPENROUTER_CLIENT (easel_openrouter_client_get_type ())

G_DECLARE_FINAL_TYPE (EaselOpenrouterClient, easel_openrouter_client, EASEL, OPENROUTER_CLIENT, GObject)

EaselOpenrouterClient *easel_openrouter_client_new             (const char             *base_url,
                                                                const char             *token,
                                                                GError                **error);
EaselHttpClient       *easel_openrouter_client_get_http_client (EaselOpenrouterClient  *self);
void                   easel_openrouter_client_complete_async  (EaselOpenrouterClient  *self,
                                                                const char             *model,
                                                                const char             *system_prompt,
                                                                const char             *user_prompt,
                                                                guint                   max_tokens,
                                                                double                  temperature,
                                                                GCancellable           *cancellable,
                                                                GAsyncReadyCallback     callback,
                                                                gpointer                user_data);
EaselCompletion       *easel_openrouter_client_complete_finish (EaselOpenrouterClient  *self,
                                                                GAsyncResult           *result,
                                                                GError                **error);

G_END_DECLS
