/* easel-error.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define EASEL_ERROR (easel_error_quark ())

/**
 * EaselError:
 * @EASEL_ERROR_FAILED: something failed that has no better code
 * @EASEL_ERROR_NETWORK: the server could not be reached (DNS, refused, TLS)
 * @EASEL_ERROR_TIMEOUT: the server did not answer in time
 * @EASEL_ERROR_AMBIGUOUS: a request that costs money may or may not have
 *   been accepted (timeout, dropped connection or server error after it was
 *   sent); the job must be reconciled with the provider, never resent blindly
 * @EASEL_ERROR_BAD_REQUEST: the provider refused the parameters (400, 412, 413)
 * @EASEL_ERROR_UNAUTHORIZED: the token is missing, wrong or revoked (401)
 * @EASEL_ERROR_PAYMENT_REQUIRED: the account has no subscription or credit (402)
 * @EASEL_ERROR_FORBIDDEN: the account may not do this (403)
 * @EASEL_ERROR_NOT_FOUND: the model, job or channel does not exist (404)
 * @EASEL_ERROR_CONFLICT: the action was already done (409)
 * @EASEL_ERROR_GONE: the job has expired at the provider (410)
 * @EASEL_ERROR_INVALID_INPUT: the provider rejected an input value (422)
 * @EASEL_ERROR_MODERATED: the prompt or an image was refused by moderation
 * @EASEL_ERROR_RATE_LIMITED: too many requests, or no free slot (429)
 * @EASEL_ERROR_SERVER: the provider had an internal error (5xx)
 * @EASEL_ERROR_UNAVAILABLE: the provider or model is temporarily unavailable (502, 503)
 * @EASEL_ERROR_NEEDS_ATTENTION: the Midjourney channel waits for a
 *   moderation notice or CAPTCHA to be cleared in Discord (596)
 * @EASEL_ERROR_UNTRACKED: the job was queued but the proxy cannot track it (UseAPI 504)
 * @EASEL_ERROR_INVALID_RESPONSE: the server's reply was not what the protocol says
 * @EASEL_ERROR_TOO_LARGE: a reply or a file is larger than allowed
 * @EASEL_ERROR_INSECURE_URL: an endpoint uses plain http:// to a non-loopback host,
 *   or is not a usable URL
 * @EASEL_ERROR_INVALID_PARAMETER: a parameter is out of range before anything is sent
 * @EASEL_ERROR_UNSUPPORTED: the provider cannot do this
 * @EASEL_ERROR_BUDGET_EXCEEDED: the jobs would cost more than a budget allows
 *
 * Error codes of the %EASEL_ERROR domain. Each has a remedy for the user,
 * see easel_error_get_remedy().
 */
typedef enum
{
  EASEL_ERROR_FAILED,
  EASEL_ERROR_NETWORK,
  EASEL_ERROR_TIMEOUT,
  EASEL_ERROR_AMBIGUOUS,
  EASEL_ERROR_BAD_REQUEST,
  EASEL_ERROR_UNAUTHORIZED,
  EASEL_ERROR_PAYMENT_REQUIRED,
  EASEL_ERROR_FORBIDDEN,
  EASEL_ERROR_NOT_FOUND,
  EASEL_ERROR_CONFLICT,
  EASEL_ERROR_GONE,
  EASEL_ERROR_INVALID_INPUT,
  EASEL_ERROR_MODERATED,
  EASEL_ERROR_RATE_LIMITED,
  EASEL_ERROR_SERVER,
  EASEL_ERROR_UNAVAILABLE,
  EASEL_ERROR_NEEDS_ATTENTION,
  EASEL_ERROR_UNTRACKED,
  EASEL_ERROR_INVALID_RESPONSE,
  EASEL_ERROR_TOO_LARGE,
  EASEL_ERROR_INSECURE_URL,
  EASEL_ERROR_INVALID_PARAMETER,
  EASEL_ERROR_UNSUPPORTED,
  EASEL_ERROR_BUDGET_EXCEEDED,
} EaselError;

GQuark      easel_error_quark          (void);
const char *easel_error_code_to_string (EaselError    code);
int         easel_error_code_from_string (const char *name);
const char *easel_error_remedy_for_code  (const char *name);
const char *easel_error_get_remedy     (const GError *error);
gboolean    easel_error_is_retryable   (const GError *error);

G_END_DECLS
