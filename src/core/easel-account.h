/* easel-account.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * EaselAccountSource:
 * @EASEL_ACCOUNT_SOURCE_KEYRING: the token is in the desktop keyring
 * @EASEL_ACCOUNT_SOURCE_MEMORY: the token is kept in memory for this
 *   session only (no keyring)
 * @EASEL_ACCOUNT_SOURCE_ENVIRONMENT: the token comes from an environment
 *   variable (`REPLICATE_API_TOKEN`, …), which overrides the keyring
 *
 * Where an account's token lives.
 */
typedef enum
{
  EASEL_ACCOUNT_SOURCE_KEYRING,
  EASEL_ACCOUNT_SOURCE_MEMORY,
  EASEL_ACCOUNT_SOURCE_ENVIRONMENT,
} EaselAccountSource;

#define EASEL_TYPE_ACCOUNT_SOURCE (easel_account_source_get_type ())
#define EASEL_TYPE_ACCOUNT (easel_account_get_type ())

GType easel_account_source_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (EaselAccount, easel_account, EASEL, ACCOUNT, GObject)

const char         *easel_account_get_provider     (EaselAccount *self);
const char         *easel_account_get_name         (EaselAccount *self);
gboolean            easel_account_get_is_default   (EaselAccount *self);
EaselAccountSource  easel_account_get_source       (EaselAccount *self);
guint               easel_account_get_max_jobs     (EaselAccount *self);
const char         *easel_account_get_problem      (EaselAccount *self);
const char         *easel_account_source_to_string (EaselAccountSource source);

G_END_DECLS
