/* easel-cli-jobs.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

int easel_cli_generate (int    argc,
                        char **argv,
                        FILE  *out,
                        FILE  *err);
int easel_cli_jobs     (int    argc,
                        char **argv,
                        FILE  *out,
                        FILE  *err);
int easel_cli_resume   (int    argc,
                        char **argv,
                        FILE  *out,
                        FILE  *err);

/* Shared by the commands */
JsonNode     *easel_cli_parse_value (const char    *text);
gboolean      easel_cli_parse_params (GStrv         params,
                                      JsonObject   *object,
                                      const char   *command,
                                      FILE         *err);
char         *easel_cli_read_text   (const char    *path,
                                     GError       **error);
void          easel_cli_result_cb   (GObject       *object,
                                     GAsyncResult  *result,
                                     gpointer       user_data);
GAsyncResult *easel_cli_wait_for    (GAsyncResult **slot);

G_END_DECLS
