/* easel-error.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The error domain every provider maps its HTTP statuses and error bodies
 * to. The GError message says what happened (with the provider's own words
 * where it gave any); the remedy says what the user can do about it. */

#include "config.h"

#include "easel-error.h"

#include <glib/gi18n.h>

G_DEFINE_QUARK (easel-error-quark, easel_error)

/**
 * easel_error_code_to_string:
 * @code: an #EaselError
 *
 * Returns: a stable, untranslated name for @code, for logs and `--json`
 */
const char *
easel_error_code_to_string (EaselError code)
{
  switch (code)
    {
    case EASEL_ERROR_FAILED: return "failed";
    case EASEL_ERROR_NETWORK: return "network";
    case EASEL_ERROR_TIMEOUT: return "timeout";
    case EASEL_ERROR_AMBIGUOUS: return "ambiguous";
    case EASEL_ERROR_BAD_REQUEST: return "bad-request";
    case EASEL_ERROR_UNAUTHORIZED: return "unauthorized";
    case EASEL_ERROR_PAYMENT_REQUIRED: return "payment-required";
    case EASEL_ERROR_FORBIDDEN: return "forbidden";
    case EASEL_ERROR_NOT_FOUND: return "not-found";
    case EASEL_ERROR_CONFLICT: return "conflict";
    case EASEL_ERROR_GONE: return "gone";
    case EASEL_ERROR_INVALID_INPUT: return "invalid-input";
    case EASEL_ERROR_MODERATED: return "moderated";
    case EASEL_ERROR_RATE_LIMITED: return "rate-limited";
    case EASEL_ERROR_SERVER: return "server";
    case EASEL_ERROR_UNAVAILABLE: return "unavailable";
    case EASEL_ERROR_NEEDS_ATTENTION: return "needs-attention";
    case EASEL_ERROR_UNTRACKED: return "untracked";
    case EASEL_ERROR_INVALID_RESPONSE: return "invalid-response";
    case EASEL_ERROR_TOO_LARGE: return "too-large";
    case EASEL_ERROR_INSECURE_URL: return "insecure-url";
    case EASEL_ERROR_INVALID_PARAMETER: return "invalid-parameter";
    case EASEL_ERROR_UNSUPPORTED: return "unsupported";
    case EASEL_ERROR_BUDGET_EXCEEDED: return "budget-exceeded";
    default: return "unknown";
    }
}

/**
 * easel_error_get_remedy:
 * @error: a #GError
 *
 * Returns: (nullable): what the user can do about @error, translated, or
 *   %NULL when there is nothing to add to the message
 */
const char *
easel_error_get_remedy (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != EASEL_ERROR)
    return NULL;

  switch ((EaselError) error->code)
    {
    case EASEL_ERROR_NETWORK:
      return _("Check the network connection and the provider’s address in Preferences, then try again.");
    case EASEL_ERROR_TIMEOUT:
      return _("The provider is slow to answer. Try again in a moment.");
    case EASEL_ERROR_AMBIGUOUS:
      return _("Easel will check with the provider whether the job was accepted before doing anything else, so it is not charged twice.");
    case EASEL_ERROR_BAD_REQUEST:
    case EASEL_ERROR_INVALID_INPUT:
    case EASEL_ERROR_INVALID_PARAMETER:
      return _("Correct the parameters and submit again.");
    case EASEL_ERROR_UNAUTHORIZED:
      return _("Check the account’s token in Preferences → Accounts; it may have been revoked.");
    case EASEL_ERROR_PAYMENT_REQUIRED:
      return _("Add credit or renew the subscription on the provider’s website.");
    case EASEL_ERROR_FORBIDDEN:
      return _("The account is not allowed to do this. Check its plan and permissions on the provider’s website.");
    case EASEL_ERROR_NOT_FOUND:
      return _("Check the model name or account; it may have been renamed or removed.");
    case EASEL_ERROR_CONFLICT:
      return _("This was already done; the earlier result is kept.");
    case EASEL_ERROR_GONE:
      return _("The provider no longer keeps this job.");
    case EASEL_ERROR_MODERATED:
      return _("Change the prompt or the reference images and try again.");
    case EASEL_ERROR_RATE_LIMITED:
      return _("Easel waits and tries again by itself.");
    case EASEL_ERROR_SERVER:
    case EASEL_ERROR_UNAVAILABLE:
      return _("The provider has a problem. Try again later.");
    case EASEL_ERROR_NEEDS_ATTENTION:
      return _("Open Discord, acknowledge Midjourney’s moderation notice or solve the CAPTCHA, then press Reset for this channel in Preferences → Accounts.");
    case EASEL_ERROR_UNTRACKED:
      return _("The job is probably running. Lower the channel’s job limit for a few minutes; do not submit it again.");
    case EASEL_ERROR_INVALID_RESPONSE:
      return _("The provider answered something Easel does not understand. Try again later; if it persists, report it.");
    case EASEL_ERROR_TOO_LARGE:
      return _("Use a smaller file.");
    case EASEL_ERROR_INSECURE_URL:
      return _("Use an https:// address; plain http:// is only allowed for this computer (localhost).");
    case EASEL_ERROR_BUDGET_EXCEEDED:
      return _("Raise the budget in Preferences → Spending, or send fewer or cheaper jobs.");
    case EASEL_ERROR_UNSUPPORTED:
    case EASEL_ERROR_FAILED:
    default:
      return NULL;
    }
}

/**
 * easel_error_is_retryable:
 * @error: a #GError
 *
 * Whether an idempotent request that failed with @error may be tried again
 * after a pause. Never use this alone for a request that costs money: see
 * %EASEL_ERROR_AMBIGUOUS.
 *
 * Returns: %TRUE if trying again later may succeed
 */
gboolean
easel_error_is_retryable (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain != EASEL_ERROR)
    return FALSE;

  switch ((EaselError) error->code)
    {
    case EASEL_ERROR_NETWORK:
    case EASEL_ERROR_TIMEOUT:
    case EASEL_ERROR_RATE_LIMITED:
    case EASEL_ERROR_SERVER:
    case EASEL_ERROR_UNAVAILABLE:
    case EASEL_ERROR_INVALID_RESPONSE:
      return TRUE;
    case EASEL_ERROR_FAILED:
    case EASEL_ERROR_AMBIGUOUS:
    case EASEL_ERROR_BAD_REQUEST:
    case EASEL_ERROR_UNAUTHORIZED:
    case EASEL_ERROR_PAYMENT_REQUIRED:
    case EASEL_ERROR_FORBIDDEN:
    case EASEL_ERROR_NOT_FOUND:
    case EASEL_ERROR_CONFLICT:
    case EASEL_ERROR_GONE:
    case EASEL_ERROR_INVALID_INPUT:
    case EASEL_ERROR_MODERATED:
    case EASEL_ERROR_NEEDS_ATTENTION:
    case EASEL_ERROR_UNTRACKED:
    case EASEL_ERROR_TOO_LARGE:
    case EASEL_ERROR_INSECURE_URL:
    case EASEL_ERROR_INVALID_PARAMETER:
    case EASEL_ERROR_UNSUPPORTED:
    case EASEL_ERROR_BUDGET_EXCEEDED:
    default:
      return FALSE;
    }
}

/**
 * easel_error_code_from_string:
 * @name: (nullable): a name from easel_error_code_to_string()
 *
 * Returns: the code, or -1 when @name names none
 */
int
easel_error_code_from_string (const char *name)
{
  if (name == NULL)
    return -1;
  for (int code = EASEL_ERROR_FAILED; code <= EASEL_ERROR_BUDGET_EXCEEDED; code++)
    {
      if (g_str_equal (easel_error_code_to_string (code), name))
        return code;
    }
  return -1;
}

/**
 * easel_error_remedy_for_code:
 * @name: (nullable): a name from easel_error_code_to_string()
 *
 * Returns: (nullable): the remedy for errors of that code, as
 *   easel_error_get_remedy() gives it
 */
const char *
easel_error_remedy_for_code (const char *name)
{
  int code = easel_error_code_from_string (name);
  GError error = { EASEL_ERROR, code, (char *) "" };

  if (code < 0)
    return NULL;
  error.domain = EASEL_ERROR;
  return easel_error_get_remedy (&error);
}
