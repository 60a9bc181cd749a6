/* easel-job-poller.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "easel-http-client.h"
#include "easel-job-watch.h"

G_BEGIN_DECLS

typedef EaselRemoteJob *(*EaselJobParseFunc) (JsonNode  *node,
                                              GError   **error);

void easel_job_poller_start (EaselJobWatch     *watch,
                             EaselHttpClient   *client,
                             const char        *path,
                             EaselJobParseFunc  parse,
                             guint              first_ms,
                             guint              max_ms,
                             EaselRemoteJob    *initial);

G_END_DECLS
