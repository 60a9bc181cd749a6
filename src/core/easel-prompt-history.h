/* easel-prompt-history.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "easel-store.h"

G_BEGIN_DECLS

/**
 * EASEL_PROMPT_HISTORY_MAX:
 *
 * How many prompts the history keeps; recording one more forgets the
 * least recently used.
 */
#define EASEL_PROMPT_HISTORY_MAX 5000

/**
 * EaselHistoryEntry:
 * @id: the entry's id, for easel_prompt_history_delete_async()
 * @prompt: the prompt
 * @negative: the negative prompt, empty when there was none
 * @provider: the provider id, such as "replicate"
 * @model: the model
 * @params: (nullable): the parameters used last with this prompt
 * @uses: how many times it was used
 * @used_at: when it was last used, in microseconds since the Unix epoch
 *
 * One remembered prompt. The same prompt with the same negative prompt,
 * provider and model is one entry, whatever the parameters.
 */
typedef struct
{
  gint64      id;
  char       *prompt;
  char       *negative;
  char       *provider;
  char       *model;
  JsonObject *params;
  guint       uses;
  gint64      used_at;
} EaselHistoryEntry;

#define EASEL_TYPE_HISTORY_ENTRY (easel_history_entry_get_type ())

GType              easel_history_entry_get_type      (void) G_GNUC_CONST;
EaselHistoryEntry *easel_history_entry_copy          (const EaselHistoryEntry *self);
void               easel_history_entry_free          (EaselHistoryEntry       *self);

void               easel_prompt_history_record_async  (EaselStore           *store,
                                                       const char           *prompt,
                                                       const char           *negative,
                                                       const char           *provider,
                                                       const char           *model,
                                                       JsonObject           *params,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean           easel_prompt_history_record_finish (EaselStore           *store,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void               easel_prompt_history_search_async  (EaselStore           *store,
                                                       const char           *text,
                                                       guint                 limit,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
GPtrArray         *easel_prompt_history_search_finish (EaselStore           *store,
                                                       GAsyncResult         *result,
                                                       GError              **error);

void               easel_prompt_history_delete_async  (EaselStore           *store,
                                                       gint64                id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean           easel_prompt_history_delete_finish (EaselStore           *store,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselHistoryEntry, easel_history_entry_free)

G_END_DECLS
