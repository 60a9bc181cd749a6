/* easel-cli.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/**
 * EaselCliStatus:
 * @EASEL_CLI_STATUS_OK: everything asked for succeeded
 * @EASEL_CLI_STATUS_FAILED: the command ran and something failed
 * @EASEL_CLI_STATUS_USAGE: the command line itself was wrong
 *
 * Exit statuses of the `easel` command line.
 */
typedef enum
{
  EASEL_CLI_STATUS_OK = 0,
  EASEL_CLI_STATUS_FAILED = 1,
  EASEL_CLI_STATUS_USAGE = 2,
} EaselCliStatus;

gboolean easel_cli_handles (int     argc,
                            char  **argv);
int      easel_cli_run     (int     argc,
                            char  **argv,
                            FILE   *out,
                            FILE   *err);

G_END_DECLS
