/* easel-cli-template.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

int easel_cli_template (int    argc,
                        char **argv,
                        FILE  *out,
                        FILE  *err);

G_END_DECLS
