/* easel-cli.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The headless command line. main() asks easel_cli_handles() first: a
 * subcommand, --help or --version never needs a display and never starts
 * GTK, so scripts and tests can run Easel on a machine without one. Anything
 * else (no arguments, GApplication's own options) opens the window.
 *
 * Each command is a row of one table: its name, synopsis, summary and option
 * help, and its handler. A command whose handler is NULL is listed, but says
 * plainly that it is not available in this version.
 */

#include "config.h"

#include "easel-cli.h"
#include "easel-cli-account.h"
#include "easel-cli-jobs.h"
#include "easel-cli-search.h"
#include "easel-cli-template.h"
#include "easel-cli-verify.h"

#include <stdio.h>

#include <glib/gi18n.h>

typedef int (*EaselCliHandler) (int argc, char **argv, FILE *out, FILE *err);

typedef struct
{
  const char      *name;
  const char      *synopsis;  /* untranslated: option names are not translated */
  const char      *summary;   /* translatable */
  const char      *details;   /* translatable; option help */
  EaselCliHandler  handler;
} EaselCliCommand;

static const EaselCliCommand commands[] = {
  {
    "generate",
    "easel generate [OPTION…] PROMPT…",
    N_("Run image generation jobs"),
    N_("  --provider ID        replicate or midjourney\n"
       "  --model NAME         the model to run\n"
       "  --account NAME       the account to charge\n"
       "  --param KEY=VALUE    a model parameter (repeatable)\n"
       "  --count N            jobs per prompt\n"
       "  --from-file FILE     one prompt per line\n"
       "  --template NAME      expand a saved template\n"
       "  --var KEY=VALUE      a value of a {{variable}}; repeat a KEY for several\n"
       "  --dry-run            print the jobs, their estimated cost and the budget\n"
       "                       left, send nothing\n"
       "  --yes                run a batch larger than the batch-confirm-size setting\n"
       "  --no-wait            return once the jobs are queued\n"
       "\n"
       "Every prompt is expanded first: {a|b} and Midjourney’s {a, b} give one job\n"
       "per choice, {{name}} takes each value of a variable; write \\{ \\} \\| \\,\n"
       "for the characters themselves.\n"),
    easel_cli_generate,
  },
  {
    "template",
    "easel template list | show NAME [--version N] | save NAME (--file FILE | -) [OPTION…] | "
    "rename NAME NEW-NAME | delete NAME",
    N_("List, show, save, rename or delete prompt templates"),
    N_("  --version N          show that version (show)\n"
       "  --file FILE          read the prompt from FILE, or - for standard input (save)\n"
       "  --negative TEXT      the negative prompt (save)\n"
       "  --provider ID        the provider it is for (save)\n"
       "  --model NAME         the model it is for (save)\n"
       "  --param KEY=VALUE    a model parameter, repeatable (save)\n"
       "  --var-default K=V    the default of variable K (save)\n"
       "  --var-value K=V      a value of variable K, repeatable (save)\n"
       "\n"
       "Saving under an existing name adds a version; options not given keep their\n"
       "value from the current version.\n"),
    easel_cli_template,
  },
  {
    "jobs",
    "easel jobs [--state STATE] [--limit N] [--json]",
    N_("List jobs"),
    N_("  --state STATE        only jobs in this state\n"
       "  --limit N            at most the N newest jobs (default 100)\n"
       "  --json               machine-readable output\n"),
    easel_cli_jobs,
  },
  {
    "resume",
    "easel resume",
    N_("Run every unfinished job to a terminal state"),
    NULL,
    easel_cli_resume,
  },
  {
    "search",
    "easel search QUERY [--limit N] [--json] [--sort ORDER] [--trash]",
    N_("Query the library with the gallery’s query language"),
    N_("  --limit N            at most N results (default 50)\n"
       "  --json               machine-readable output\n"
       "  --sort ORDER         newest (default), oldest or rating\n"
       "  --trash              search the trash instead of the library\n"
       "\n"
       "The query is what the gallery’s search entry takes: words, \"phrases\",\n"
       "provider: model: tag: rating:>=N fav:yes after:DATE before:DATE ar:16:9 job:N\n"
       "template:\"NAME\" var:KEY=VALUE.\n"
       "Exit status: 0 when the search ran, even with no results; 1 when the\n"
       "library cannot be read; 2 when the query is not valid.\n"),
    easel_cli_search,
  },
  {
    "account",
    "easel account add PROVIDER NAME [--token-stdin] [--default] | list [--json] | remove NAME | test NAME",
    N_("Add, list, remove or test provider accounts"),
    N_("  --token-stdin        read the token from standard input (always: a token is\n"
       "                       never taken from the command line; typed without echo)\n"
       "  --default            make the new account its provider’s default\n"
       "  --json               machine-readable list (never includes tokens)\n"
       "\n"
       "Providers: replicate, midjourney (UseAPI.net), openrouter. Tokens go to the\n"
       "desktop keyring. REPLICATE_API_TOKEN, USEAPI_API_TOKEN and OPENROUTER_API_KEY\n"
       "override it and are listed as accounts “from environment”.\n"),
    easel_cli_account,
  },
  {
    "verify",
    "easel verify [--repair] [--json]",
    N_("Check every library file against its hash"),
    N_("  --repair             repair what can be repaired\n"
       "  --json               machine-readable output\n"),
    easel_cli_verify,
  },
  {
    "import",
    "easel import …",
    N_("Import images and history from other tools"),
    NULL,
    NULL,
  },
  {
    "export",
    "easel export …",
    N_("Export images and their metadata"),
    NULL,
    NULL,
  },
};

static const EaselCliCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (commands[i].name, name))
        return &commands[i];
    }
  return NULL;
}

static gboolean
is_help_option (const char *arg)
{
  return g_str_equal (arg, "--help") || g_str_equal (arg, "-h") || g_str_equal (arg, "-?");
}

static gboolean
is_version_option (const char *arg)
{
  return g_str_equal (arg, "--version") || g_str_equal (arg, "-v");
}

/**
 * easel_cli_handles:
 * @argc: the argument count
 * @argv: (array length=argc): the arguments
 *
 * Whether the command line asks for something the headless command line
 * does (a subcommand, help or the version) rather than for the window.
 *
 * Returns: %TRUE to call easel_cli_run(), %FALSE to start the application
 */
gboolean
easel_cli_handles (int    argc,
                   char **argv)
{
  const char *first;

  g_return_val_if_fail (argc >= 0, FALSE);

  if (argc < 2)
    return FALSE;

  first = argv[1];

  /* Options of GApplication itself (--gapplication-service for D-Bus
   * activation, for instance) are left to it. */
  if (first[0] == '-')
    return is_help_option (first) || is_version_option (first);

  return TRUE;
}

static void
print_usage (FILE *out)
{
  int width = 0;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    width = MAX (width, (int) g_utf8_strlen (commands[i].name, -1));

  fprintf (out, "%s\n", _("Usage:"));
  fprintf (out, "  easel                      %s\n", _("Open the window"));
  fprintf (out, "  easel COMMAND [OPTION…]    %s\n", _("Run a command without a window"));
  fprintf (out, "\n%s\n", _("Commands:"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const EaselCliCommand *command = &commands[i];

      fprintf (out, "  %-*s  %s%s\n", width, command->name, _(command->summary),
               command->handler == NULL ? _(" (not available yet)") : "");
    }

  fprintf (out, "  %-*s  %s\n", width, "help", _("Show help for a command"));
  fprintf (out, "\n%s\n", _("Options:"));
  fprintf (out, "  -h, --help     %s\n", _("Show this help"));
  fprintf (out, "  -v, --version  %s\n", _("Show the version"));
  fprintf (out, "\n%s\n", _("Run “easel help COMMAND” for the options of a command."));
}

static void
print_command_help (const EaselCliCommand *command,
                    FILE                  *out)
{
  fprintf (out, "%s\n  %s\n\n%s\n", _("Usage:"), command->synopsis, _(command->summary));
  if (command->details != NULL)
    fprintf (out, "\n%s\n%s", _("Options:"), _(command->details));
  if (command->handler == NULL)
    fprintf (out, "\n%s\n", _("This command is not available in this version of Easel yet."));
}

static int
unknown_command (const char *name,
                 FILE       *err)
{
  /* Translators: %s is a command name the user typed */
  fprintf (err, _("easel: unknown command “%s”\n"), name);
  fprintf (err, "%s\n", _("Run “easel --help” for the list of commands."));
  return EASEL_CLI_STATUS_USAGE;
}

static int
run_help (int    argc,
          char **argv,
          FILE  *out,
          FILE  *err)
{
  const EaselCliCommand *command;

  if (argc < 3)
    {
      print_usage (out);
      return EASEL_CLI_STATUS_OK;
    }

  command = find_command (argv[2]);
  if (command == NULL)
    return unknown_command (argv[2], err);

  print_command_help (command, out);
  return EASEL_CLI_STATUS_OK;
}

/**
 * easel_cli_run:
 * @argc: the argument count
 * @argv: (array length=argc): the arguments, @argv[0] being the program
 * @out: where results and help go
 * @err: where errors go
 *
 * Runs the headless command line.
 *
 * Returns: an #EaselCliStatus, used as the exit status
 */
int
easel_cli_run (int    argc,
               char **argv,
               FILE  *out,
               FILE  *err)
{
  const EaselCliCommand *command;
  const char *name;

  g_return_val_if_fail (argc >= 1, EASEL_CLI_STATUS_USAGE);
  g_return_val_if_fail (argv != NULL, EASEL_CLI_STATUS_USAGE);
  g_return_val_if_fail (out != NULL, EASEL_CLI_STATUS_USAGE);
  g_return_val_if_fail (err != NULL, EASEL_CLI_STATUS_USAGE);

  if (argc < 2 || is_help_option (argv[1]))
    {
      print_usage (out);
      return EASEL_CLI_STATUS_OK;
    }

  if (is_version_option (argv[1]))
    {
      fprintf (out, "%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EASEL_CLI_STATUS_OK;
    }

  name = argv[1];
  if (name[0] == '-')
    {
      /* Translators: %s is an option the user typed */
      fprintf (err, _("easel: unknown option “%s”\n"), name);
      fprintf (err, "%s\n", _("Run “easel --help” for the list of commands."));
      return EASEL_CLI_STATUS_USAGE;
    }

  if (g_str_equal (name, "help"))
    return run_help (argc, argv, out, err);

  command = find_command (name);
  if (command == NULL)
    return unknown_command (name, err);

  for (int i = 2; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        break;
      if (is_help_option (argv[i]))
        {
          print_command_help (command, out);
          return EASEL_CLI_STATUS_OK;
        }
    }

  if (command->handler == NULL)
    {
      /* Translators: the first %s is a command name, the second a version */
      fprintf (err, _("easel %s: not available yet in Easel %s\n"), name, PACKAGE_VERSION);
      return EASEL_CLI_STATUS_FAILED;
    }

  return command->handler (argc - 1, argv + 1, out, err);
}
