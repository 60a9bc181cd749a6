/* easel-template.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * EaselTemplateVariable:
 * @name: the name used as `{{name}}` in the text: ASCII letters, digits,
 *   `_` and `-`, starting with a letter or `_`
 * @default_value: (nullable): the value used when @values is empty
 * @values: (nullable): the values to expand to, one result each
 *
 * A variable of a template, as stored in `template_versions.variables`.
 */
typedef struct
{
  char  *name;
  char  *default_value;
  GStrv  values;
} EaselTemplateVariable;

/**
 * EaselExpansion:
 * @prompt: one expanded prompt
 * @bindings: the value each variable took for it (name → string), in the
 *   order the variables first appear; only the variables the prompt used
 *
 * One result of easel_template_expand().
 */
typedef struct
{
  char       *prompt;
  JsonObject *bindings;
} EaselExpansion;

#define EASEL_TYPE_TEMPLATE_VARIABLE (easel_template_variable_get_type ())
#define EASEL_TYPE_EXPANSION (easel_expansion_get_type ())

GType                  easel_template_variable_get_type   (void) G_GNUC_CONST;
EaselTemplateVariable *easel_template_variable_new        (const char                  *name,
                                                           const char                  *default_value,
                                                           const char * const          *values);
EaselTemplateVariable *easel_template_variable_copy       (const EaselTemplateVariable *self);
void                   easel_template_variable_free       (EaselTemplateVariable       *self);
gboolean               easel_template_variable_name_is_valid (const char               *name);

char                  *easel_template_variables_to_json   (GPtrArray                   *variables);
GPtrArray             *easel_template_variables_from_json (const char                  *json,
                                                           GError                     **error);

GType                  easel_expansion_get_type           (void) G_GNUC_CONST;
EaselExpansion        *easel_expansion_copy               (const EaselExpansion        *self);
void                   easel_expansion_free               (EaselExpansion              *self);

gboolean               easel_template_validate            (const char                  *text,
                                                           GError                     **error);
GPtrArray             *easel_template_expand              (const char                  *text,
                                                           GPtrArray                   *variables,
                                                           JsonObject                  *values,
                                                           guint                        max_results,
                                                           GError                     **error);
gboolean               easel_template_count               (const char                  *text,
                                                           GPtrArray                   *variables,
                                                           JsonObject                  *values,
                                                           guint64                     *count,
                                                           GError                     **error);
GStrv                  easel_template_get_variable_names  (const char                  *text);
GStrv                  easel_template_values_split        (const char                  *text);
char                  *easel_template_values_join         (const char * const          *values);
gboolean               easel_template_check_for_provider  (const char                  *prompt,
                                                           const char                  *provider,
                                                           GError                     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselTemplateVariable, easel_template_variable_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselExpansion, easel_expansion_free)

G_END_DECLS
