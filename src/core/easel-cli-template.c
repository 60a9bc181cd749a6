/* easel-cli-template.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `easel template`: the template library for scripts, through the same
 * EaselTemplateStore as the editor. Saving under an existing name adds a
 * version of that template; what the options do not give is kept from
 * its current version. */

#include "config.h"

#include "easel-cli-template.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-cli.h"
#include "easel-cli-jobs.h"
#include "easel-db.h"
#include "easel-error.h"
#include "easel-provider-registry.h"
#include "easel-store.h"
#include "easel-template-store.h"

typedef struct
{
  EaselStore         *store;
  EaselTemplateStore *templates;
} Library;

static void
library_free (Library *library)
{
  if (library->store != NULL)
    easel_store_close (library->store);
  g_clear_object (&library->templates);
  g_clear_object (&library->store);
  g_free (library);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Library, library_free)

static Library *
library_open (GError **error)
{
  g_autoptr(Library) library = g_new0 (Library, 1);

  library->store = easel_store_new (NULL);
  if (!easel_store_open_sync (library->store, error))
    return NULL;
  library->templates = easel_template_store_new (library->store);
  return g_steal_pointer (&library);
}

static EaselTemplate *
load (Library     *library,
      const char  *name,
      int          version,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  easel_template_store_load_async (library->templates, 0, name, version, NULL, easel_cli_result_cb, &result);
  return easel_template_store_load_finish (library->templates, easel_cli_wait_for (&result), error);
}

static int
fail (FILE         *err,
      const char   *what,
      const GError *error)
{
  fprintf (err, "easel template %s: %s\n", what, error->message);
  return EASEL_CLI_STATUS_FAILED;
}

static char *
excerpt (const char *text)
{
  g_autofree char *flat = g_strdup (text);

  g_strdelimit (flat, "\r\n\t", ' ');
  if (g_utf8_strlen (flat, -1) <= 60)
    return g_steal_pointer (&flat);
  return g_strconcat (g_utf8_substring (flat, 0, 59), "…", NULL);
}

static int
run_list (int    argc,
          char **argv,
          FILE  *out,
          FILE  *err)
{
  g_autoptr(Library) library = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;

  if (argc > 1)
    {
      fprintf (err, _("easel template list: unexpected argument “%s”\n"), argv[1]);
      return EASEL_CLI_STATUS_USAGE;
    }
  library = library_open (&error);
  if (library == NULL)
    return fail (err, "list", error);

  easel_template_store_list_async (library->templates, NULL, easel_cli_result_cb, &result);
  templates = easel_template_store_list_finish (library->templates, easel_cli_wait_for (&result), &error);
  if (templates == NULL)
    return fail (err, "list", error);

  for (guint i = 0; i < templates->len; i++)
    {
      EaselTemplate *template_ = g_ptr_array_index (templates, i);
      g_autofree char *body = excerpt (template_->body);

      /* Translators: a template's name, its version, and the start of its prompt */
      fprintf (out, _("%s  (version %d)  %s\n"), template_->name, template_->version, body);
    }
  return EASEL_CLI_STATUS_OK;
}

static int
run_show (int    argc,
          char **argv,
          FILE  *out,
          FILE  *err)
{
  int version = 0;
  g_auto(GStrv) rest = NULL;
  GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_INT, &version, NULL, "N" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(Library) library = NULL;
  g_autoptr(EaselTemplate) template_ = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (err, "easel template show: %s\n", error->message);
      return EASEL_CLI_STATUS_USAGE;
    }
  if (rest == NULL || rest[0] == NULL || rest[1] != NULL || version < 0)
    {
      fprintf (err, "%s\n", _("easel template show: give one template name, and a version from 1"));
      return EASEL_CLI_STATUS_USAGE;
    }

  library = library_open (&error);
  if (library == NULL)
    return fail (err, "show", error);
  template_ = load (library, rest[0], version, &error);
  if (template_ == NULL)
    return fail (err, "show", error);

  fprintf (out, _("Name: %s\n"), template_->name);
  /* Translators: a version of a template, and its newest version */
  fprintf (out, _("Version: %d of %d\n"), template_->version, template_->latest_version);
  if (template_->provider != NULL)
    fprintf (out, _("Provider: %s\n"), template_->provider);
  if (template_->model != NULL)
    fprintf (out, _("Model: %s\n"), template_->model);
  if (template_->params != NULL && json_object_get_size (template_->params) > 0)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), template_->params);
      g_autofree char *params = json_to_string (node, FALSE);

      fprintf (out, _("Parameters: %s\n"), params);
    }
  if (template_->negative[0] != '\0')
    fprintf (out, _("Negative prompt: %s\n"), template_->negative);
  for (guint i = 0; i < template_->variables->len; i++)
    {
      EaselTemplateVariable *variable = g_ptr_array_index (template_->variables, i);
      g_autofree char *values = variable->values != NULL ? g_strjoinv (" | ", variable->values) : NULL;

      fprintf (out, _("Variable %s: default “%s”, values: %s\n"), variable->name,
               variable->default_value != NULL ? variable->default_value : "",
               values != NULL ? values : "—");
    }
  fprintf (out, "\n%s\n", template_->body);
  return EASEL_CLI_STATUS_OK;
}

/* KEY=VALUE with a valid variable name. */
static gboolean
split_var (const char  *option,
           const char  *text,
           char       **key,
           const char **value,
           FILE        *err)
{
  const char *eq = strchr (text, '=');

  if (eq != NULL && eq != text)
    {
      *key = g_strndup (text, eq - text);
      *value = eq + 1;
      if (easel_template_variable_name_is_valid (*key))
        return TRUE;
      g_clear_pointer (key, g_free);
    }
  fprintf (err, _("easel template save: %s “%s” is not NAME=VALUE with a variable name\n"), option, text);
  return FALSE;
}

static EaselTemplateVariable *
find_variable (GPtrArray  *variables,
               const char *name)
{
  for (guint i = 0; i < variables->len; i++)
    if (g_str_equal (((EaselTemplateVariable *) g_ptr_array_index (variables, i))->name, name))
      return g_ptr_array_index (variables, i);

  g_ptr_array_add (variables, easel_template_variable_new (name, NULL, NULL));
  return g_ptr_array_index (variables, variables->len - 1);
}

static int
run_save (int    argc,
          char **argv,
          FILE  *out,
          FILE  *err)
{
  g_autofree char *file = NULL, *negative = NULL, *provider = NULL, *model = NULL;
  g_auto(GStrv) params = NULL, defaults = NULL, values = NULL, rest = NULL;
  GOptionEntry entries[] = {
    { "file", 0, 0, G_OPTION_ARG_FILENAME, &file, NULL, "FILE" },
    { "negative", 0, 0, G_OPTION_ARG_STRING, &negative, NULL, "TEXT" },
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider, NULL, "ID" },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model, NULL, "NAME" },
    { "param", 0, 0, G_OPTION_ARG_STRING_ARRAY, &params, NULL, "KEY=VALUE" },
    { "var-default", 0, 0, G_OPTION_ARG_STRING_ARRAY, &defaults, NULL, "NAME=VALUE" },
    { "var-value", 0, 0, G_OPTION_ARG_STRING_ARRAY, &values, NULL, "NAME=VALUE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(Library) library = NULL;
  g_autoptr(EaselTemplate) current = NULL;
  g_autoptr(EaselTemplate) template_ = NULL;
  g_autoptr(EaselTemplate) saved = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  const char *source;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (err, "easel template save: %s\n", error->message);
      return EASEL_CLI_STATUS_USAGE;
    }
  /* The prompt comes from --file FILE, --file - or a lone "-" (standard input). */
  source = file;
  if (rest != NULL && rest[0] != NULL && rest[1] != NULL && g_str_equal (rest[1], "-") && rest[2] == NULL &&
      file == NULL)
    source = "-";
  else if (rest != NULL && rest[0] != NULL && rest[1] != NULL)
    source = NULL;
  if (rest == NULL || rest[0] == NULL || source == NULL)
    {
      fprintf (err, "%s\n", _("easel template save: give a name, and the prompt with --file FILE or - for standard input"));
      return EASEL_CLI_STATUS_USAGE;
    }
  if (provider != NULL && easel_provider_registry_lookup (provider) == NULL)
    {
      fprintf (err, _("easel template save: unknown provider “%s”\n"), provider);
      return EASEL_CLI_STATUS_USAGE;
    }

  body = easel_cli_read_text (source, &error);
  if (body == NULL)
    return fail (err, "save", error);
  g_strchomp (body);

  library = library_open (&error);
  if (library == NULL)
    return fail (err, "save", error);

  /* An existing template gets a new version that keeps what is not given. */
  current = load (library, rest[0], 0, &error);
  if (current == NULL && !g_error_matches (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_NOT_FOUND))
    return fail (err, "save", error);
  g_clear_error (&error);

  if (current != NULL)
    {
      template_ = easel_template_copy (current);
      g_free (template_->name);
      template_->name = g_strdup (rest[0]);
      g_free (template_->body);
      template_->body = g_steal_pointer (&body);
    }
  else
    template_ = easel_template_new (rest[0], body);

  if (negative != NULL)
    {
      g_free (template_->negative);
      template_->negative = g_strdup (negative);
    }
  if (provider != NULL)
    {
      g_free (template_->provider);
      template_->provider = g_strdup (provider);
    }
  if (model != NULL)
    {
      g_free (template_->model);
      template_->model = g_strdup (model);
    }
  if (params != NULL)
    {
      g_clear_pointer (&template_->params, json_object_unref);
      template_->params = json_object_new ();
      if (!easel_cli_parse_params (params, template_->params, "template save", err))
        return EASEL_CLI_STATUS_USAGE;
    }
  if (defaults != NULL || values != NULL)
    {
      g_ptr_array_set_size (template_->variables, 0);
      for (guint i = 0; defaults != NULL && defaults[i] != NULL; i++)
        {
          g_autofree char *key = NULL;
          const char *value;
          EaselTemplateVariable *variable;

          if (!split_var ("--var-default", defaults[i], &key, &value, err))
            return EASEL_CLI_STATUS_USAGE;
          variable = find_variable (template_->variables, key);
          g_free (variable->default_value);
          variable->default_value = g_strdup (value);
        }
      for (guint i = 0; values != NULL && values[i] != NULL; i++)
        {
          g_autofree char *key = NULL;
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
          const char *value;
          EaselTemplateVariable *variable;

          if (!split_var ("--var-value", values[i], &key, &value, err))
            return EASEL_CLI_STATUS_USAGE;
          variable = find_variable (template_->variables, key);
          if (variable->values != NULL)
            g_strv_builder_addv (builder, (const char **) variable->values);
          g_strv_builder_add (builder, value);
          g_strfreev (variable->values);
          variable->values = g_strv_builder_end (builder);
        }
    }

  easel_template_store_save_async (library->templates, template_, NULL, easel_cli_result_cb, &result);
  saved = easel_template_store_save_finish (library->templates, easel_cli_wait_for (&result), &error);
  if (saved == NULL)
    return fail (err, "save", error);

  /* Translators: a template's name and the version just saved */
  fprintf (out, _("Saved “%s” version %d\n"), saved->name, saved->version);
  return EASEL_CLI_STATUS_OK;
}

static int
run_rename_or_delete (int         argc,
                      char      **argv,
                      gboolean    rename,
                      FILE       *out,
                      FILE       *err)
{
  g_autoptr(Library) library = NULL;
  g_autoptr(EaselTemplate) template_ = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *what = rename ? "rename" : "delete";
  gboolean ok;

  if (argc != (rename ? 3 : 2))
    {
      fprintf (err, "%s\n", rename ? _("easel template rename: give the name and the new name")
                                   : _("easel template delete: give one template name"));
      return EASEL_CLI_STATUS_USAGE;
    }

  library = library_open (&error);
  if (library == NULL)
    return fail (err, what, error);
  template_ = load (library, argv[1], 0, &error);
  if (template_ == NULL)
    return fail (err, what, error);

  if (rename)
    {
      easel_template_store_rename_async (library->templates, template_->id, argv[2], NULL,
                                         easel_cli_result_cb, &result);
      ok = easel_template_store_rename_finish (library->templates, easel_cli_wait_for (&result), &error);
    }
  else
    {
      easel_template_store_delete_async (library->templates, template_->id, NULL, easel_cli_result_cb, &result);
      ok = easel_template_store_delete_finish (library->templates, easel_cli_wait_for (&result), &error);
    }
  if (!ok)
    return fail (err, what, error);

  if (rename)
    fprintf (out, _("Renamed “%s” to “%s”\n"), template_->name, argv[2]);
  else
    fprintf (out, _("Deleted “%s”; its jobs still show where they came from\n"), template_->name);
  return EASEL_CLI_STATUS_OK;
}

/**
 * easel_cli_template:
 * @argc: the argument count, @argv[0] being "template"
 * @argv: (array length=argc): the arguments
 * @out: where results go
 * @err: where errors go
 *
 * `easel template list | show | save | rename | delete`.
 *
 * Returns: an #EaselCliStatus
 */
int
easel_cli_template (int    argc,
                    char **argv,
                    FILE  *out,
                    FILE  *err)
{
  const char *action = argc > 1 ? argv[1] : NULL;

  if (action == NULL)
    {
      fprintf (err, "%s\n", _("easel template: give list, show, save, rename or delete"));
      return EASEL_CLI_STATUS_USAGE;
    }
  if (g_str_equal (action, "list"))
    return run_list (argc - 1, argv + 1, out, err);
  if (g_str_equal (action, "show"))
    return run_show (argc - 1, argv + 1, out, err);
  if (g_str_equal (action, "save"))
    return run_save (argc - 1, argv + 1, out, err);
  if (g_str_equal (action, "rename"))
    return run_rename_or_delete (argc - 1, argv + 1, TRUE, out, err);
  if (g_str_equal (action, "delete"))
    return run_rename_or_delete (argc - 1, argv + 1, FALSE, out, err);

  fprintf (err, _("easel template: unknown action “%s”; give list, show, save, rename or delete\n"), action);
  return EASEL_CLI_STATUS_USAGE;
}
