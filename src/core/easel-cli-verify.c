/* easel-cli-verify.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `easel verify [--repair] [--json]`: EaselVerify on the library of
 * $XDG_DATA_HOME/easel, with progress on standard error (one line updated
 * in place on a terminal, a plain line every few seconds otherwise), the
 * report on standard output, and exit status 0 only when every image has
 * its file, intact (or has it again after --repair). Ctrl+C stops a check
 * cleanly; a repair under way is finished first. */

#include "config.h"

#include "easel-cli-verify.h"

#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "easel-cli.h"
#include "easel-image-store.h"
#include "easel-store.h"
#include "easel-verify.h"

#define PLAIN_PROGRESS_INTERVAL_US (5 * G_USEC_PER_SEC)

typedef struct
{
  FILE          *err;
  gboolean       tty;
  gboolean       line_open;
  gint64         last_line;
  GCancellable  *cancellable;
  GAsyncResult  *result;
} Run;

static void
progress_cb (guint64  checked,
             guint64  total,
             gpointer user_data)
{
  Run *run = user_data;
  g_autofree char *line = NULL;
  gint64 now = g_get_monotonic_time ();

  /* Translators: progress of easel verify; the numbers count images */
  line =
    g_strdup_printf (_("Checking images: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " (%d%%)"),
                     checked, total, total > 0 ? (int) (checked * 100 / total) : 100);

  if (run->tty)
    {
      /* Back to the start of the line, and clear it. */
      fprintf (run->err, "\r\033[K%s", line);
      run->line_open = TRUE;
    }
  else if (checked == total || now - run->last_line >= PLAIN_PROGRESS_INTERVAL_US)
    {
      fprintf (run->err, "%s\n", line);
      run->last_line = now;
    }
  fflush (run->err);
}

static void
end_progress (Run *run)
{
  if (run->line_open)
    fputc ('\n', run->err);
  run->line_open = FALSE;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->result = g_object_ref (result);
}

static gboolean
interrupt_cb (gpointer user_data)
{
  Run *run = user_data;

  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

/* Output */

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_entries (JsonBuilder *builder,
             const char  *name,
             GPtrArray   *entries)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      EaselVerifyEntry *entry = g_ptr_array_index (entries, i);

      json_builder_begin_object (builder);
      add_nullable_string (builder, "hash", entry->hash);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, entry->relative_path);
      add_nullable_string (builder, "actual_hash", entry->actual_hash);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, entry->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
print_json (EaselVerifyReport *report,
            FILE              *out)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "repair");
  json_builder_add_boolean_value (builder, report->repair);
  json_builder_set_member_name (builder, "clean");
  json_builder_add_boolean_value (builder, easel_verify_report_is_clean (report));
  json_builder_set_member_name (builder, "checked");
  json_builder_add_int_value (builder, (gint64) report->checked);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_int_value (builder, (gint64) report->ok);
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, (gint64) report->bytes);
  add_entries (builder, "missing", report->missing);
  add_entries (builder, "corrupt", report->corrupt);
  add_entries (builder, "repaired", report->repaired);
  add_entries (builder, "orphans", report->orphans);
  add_entries (builder, "leftovers", report->leftovers);
  add_entries (builder, "unrepairable", report->unrepairable);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  fprintf (out, "%s\n", text);
}

static void
print_entries (FILE       *out,
               const char *title,
               GPtrArray  *entries)
{
  if (entries->len == 0)
    return;

  fprintf (out, "\n%s\n", title);
  for (guint i = 0; i < entries->len; i++)
    {
      EaselVerifyEntry *entry = g_ptr_array_index (entries, i);

      fprintf (out, "  %s\n    %s\n", entry->relative_path, entry->message);
    }
}

static void
print_text (EaselVerifyReport *report,
            FILE              *out)
{
  g_autofree char *size = g_format_size (report->bytes);
  guint problems = report->missing->len + report->corrupt->len;

  /* Translators: the first number counts images, %s is an amount of data such as “12 MB” */
  fprintf (out, g_dngettext (GETTEXT_PACKAGE, "Checked %" G_GUINT64_FORMAT " image (%s read): ",
                             "Checked %" G_GUINT64_FORMAT " images (%s read): ", report->checked),
           report->checked, size);
  /* Translators: continues “Checked N images (M read): ” */
  fprintf (out, _("%" G_GUINT64_FORMAT " intact, %u missing, %u corrupt, %u orphaned files.\n"),
           report->ok, report->missing->len, report->corrupt->len, report->orphans->len);

  print_entries (out, _("Missing:"), report->missing);
  print_entries (out, _("Corrupt:"), report->corrupt);
  print_entries (out, _("Orphaned files (no image of the library uses them; left as they are):"),
                 report->orphans);
  print_entries (out, _("Left over by interrupted imports:"), report->leftovers);
  print_entries (out, _("Repaired:"), report->repaired);
  print_entries (
    out, report->repair ? _("Cannot be repaired:") : _("Cannot be repaired, even with --repair:"),
    report->unrepairable);

  fputc ('\n', out);
  if (easel_verify_report_is_clean (report))
    fprintf (out, "%s\n",
             problems > 0 ? _("Everything was repaired.") : _("Every image is intact."));
  else if (!report->repair && report->unrepairable->len < problems)
    fprintf (out, "%s\n", _("Run “easel verify --repair” to repair what can be repaired."));
  else
    fprintf (out, g_dngettext (GETTEXT_PACKAGE, "%u image has lost its file.\n",
                               "%u images have lost their file.\n", report->unrepairable->len),
             report->unrepairable->len);
}

/**
 * easel_cli_verify:
 * @argc: the argument count
 * @argv: (array length=argc): the arguments, @argv[0] being "verify"
 * @out: where the report goes
 * @err: where progress and errors go
 *
 * Returns: an #EaselCliStatus: %EASEL_CLI_STATUS_OK when every image of
 *   the library has its file, intact, after the run
 */
int
easel_cli_verify (int    argc,
                  char **argv,
                  FILE  *out,
                  FILE  *err)
{
  gboolean repair = FALSE, json = FALSE;
  g_auto(GStrv) rest = NULL;
  GOptionEntry entries[] = {
    { "repair", 0, 0, G_OPTION_ARG_NONE, &repair, NULL, NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, NULL, NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(EaselStore) store = NULL;
  g_autoptr(EaselImageStore) images = NULL;
  g_autoptr(EaselVerifyReport) report = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  guint sigint, sigterm;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (err, "easel verify: %s\n", error->message);
      return EASEL_CLI_STATUS_USAGE;
    }
  if (rest != NULL)
    {
      /* Translators: %s is an argument the user typed */
      fprintf (err, _("easel verify: unexpected argument “%s”\n"), rest[0]);
      return EASEL_CLI_STATUS_USAGE;
    }

  store = easel_store_new (NULL);
  if (!easel_store_open_sync (store, &error))
    {
      fprintf (err, "easel verify: %s\n", error->message);
      return EASEL_CLI_STATUS_FAILED;
    }
  images = easel_image_store_new (NULL);

  run.err = err;
  run.tty = isatty (fileno (err));
  run.last_line = g_get_monotonic_time ();
  run.cancellable = cancellable;
  sigint = g_unix_signal_add (SIGINT, interrupt_cb, &run);
  sigterm = g_unix_signal_add (SIGTERM, interrupt_cb, &run);

  easel_verify_run_async (store, images, repair, progress_cb, &run, cancellable, done_cb, &run);
  while (run.result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  end_progress (&run);

  report = easel_verify_run_finish (run.result, &error);
  g_clear_object (&run.result);
  easel_store_close (store);

  if (report == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fprintf (err, "easel verify: %s\n", _("Interrupted; nothing was changed."));
      else
        fprintf (err, "easel verify: %s\n", error->message);
      return EASEL_CLI_STATUS_FAILED;
    }

  if (json)
    print_json (report, out);
  else
    print_text (report, out);
  fflush (out);

  return easel_verify_report_is_clean (report) ? EASEL_CLI_STATUS_OK : EASEL_CLI_STATUS_FAILED;
}
