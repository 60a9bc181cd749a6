/* main.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "easel-application.h"
#include "easel-cli.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(EaselApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Subcommands, --help and --version never need a display. */
  if (easel_cli_handles (argc, argv))
    return easel_cli_run (argc, argv, stdout, stderr);

  g_set_application_name (APP_NAME);
  app = easel_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
