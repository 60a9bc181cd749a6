/* easel-param.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "easel-param.h"

#include <math.h>

#include <glib/gi18n.h>

#include "easel-error.h"
#include "easel-json.h"

G_DEFINE_BOXED_TYPE (EaselParam, easel_param, easel_param_copy, easel_param_free)

/**
 * easel_param_new:
 * @name: the parameter's name
 * @type: its type
 *
 * Returns: (transfer full): a new parameter description, titled @name
 */
EaselParam *
easel_param_new (const char     *name,
                 EaselParamType  type)
{
  EaselParam *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_new0 (EaselParam, 1);
  self->name = g_strdup (name);
  self->title = g_strdup (name);
  self->type = type;
  return self;
}

/**
 * easel_param_copy:
 * @self: a parameter description
 *
 * Returns: (transfer full): a deep copy of @self
 */
EaselParam *
easel_param_copy (const EaselParam *self)
{
  EaselParam *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->name = g_strdup (self->name);
  copy->title = g_strdup (self->title);
  copy->help = g_strdup (self->help);
  copy->choices = g_strdupv (self->choices);
  copy->default_value = self->default_value ? json_node_copy (self->default_value) : NULL;
  return copy;
}

/**
 * easel_param_free:
 * @self: (nullable) (transfer full): a parameter description
 */
void
easel_param_free (EaselParam *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->title);
  g_free (self->help);
  g_strfreev (self->choices);
  g_clear_pointer (&self->default_value, json_node_unref);
  g_free (self);
}

static gboolean
fail (GError          **error,
      const EaselParam *self,
      const char       *reason)
{
  /* Translators: the first %s is a parameter name, the second why its value is refused */
  g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
               _("“%s”: %s"), self->title ? self->title : self->name, reason);
  return FALSE;
}

/**
 * easel_param_check:
 * @self: a parameter description
 * @value: (nullable): a value for it
 * @error: return location for a #GError
 *
 * Checks @value against the type, bounds and choices of @self.
 *
 * Returns: %TRUE if @value may be sent
 */
gboolean
easel_param_check (const EaselParam  *self,
                   JsonNode          *value,
                   GError           **error)
{
  g_autofree char *reason = NULL;
  double number;

  g_return_val_if_fail (self != NULL, FALSE);

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    {
      if (self->required)
        return fail (error, self, _("a value is required"));
      return TRUE;
    }

  switch (self->type)
    {
    case EASEL_PARAM_INTEGER:
    case EASEL_PARAM_NUMBER:
      if (!easel_json_node_get_number (value, &number))
        return fail (error, self, _("must be a number"));
      if (self->type == EASEL_PARAM_INTEGER && number != floor (number))
        return fail (error, self, _("must be a whole number"));
      if ((self->has_minimum && number < self->minimum) ||
          (self->has_maximum && number > self->maximum))
        {
          if (self->has_minimum && self->has_maximum)
            /* Translators: a range of allowed values, such as "from 0 to 100" */
            reason = g_strdup_printf (_("must be from %g to %g"), self->minimum, self->maximum);
          else if (self->has_minimum)
            reason = g_strdup_printf (_("must be at least %g"), self->minimum);
          else
            reason = g_strdup_printf (_("must be at most %g"), self->maximum);
          return fail (error, self, reason);
        }
      return TRUE;

    case EASEL_PARAM_BOOLEAN:
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_BOOLEAN)
        return fail (error, self, _("must be on or off"));
      return TRUE;

    case EASEL_PARAM_ENUM:
      if (self->choices != NULL)
        {
          g_autofree char *text = NULL;

          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
            text = g_strdup (json_node_get_string (value));
          else if (easel_json_node_get_number (value, &number))
            text = easel_json_format_number (number);

          if (text == NULL || !g_strv_contains ((const char * const *) self->choices, text))
            {
              g_autofree char *list = g_strjoinv (", ", self->choices);

              /* Translators: %s is a list of allowed values */
              reason = g_strdup_printf (_("must be one of %s"), list);
              return fail (error, self, reason);
            }
        }
      return TRUE;

    case EASEL_PARAM_ASPECT_RATIO:
      {
        const char *text;
        guint64 w = 0, h = 0;
        g_auto(GStrv) parts = NULL;

        if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
          return fail (error, self, _("must be a ratio such as 16:9"));
        text = json_node_get_string (value);
        parts = g_strsplit (text, ":", 3);
        if (g_strv_length (parts) != 2 ||
            !g_ascii_string_to_unsigned (parts[0], 10, 1, 100000, &w, NULL) ||
            !g_ascii_string_to_unsigned (parts[1], 10, 1, 100000, &h, NULL))
          return fail (error, self, _("must be a ratio of whole numbers such as 16:9"));
        return TRUE;
      }

    case EASEL_PARAM_JSON:
      /* The schema says nothing this client understands: the model judges. */
      return TRUE;

    case EASEL_PARAM_STRING:
    case EASEL_PARAM_TEXT:
    case EASEL_PARAM_IMAGE:
    default:
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return fail (error, self, _("must be text"));
      if (!g_utf8_validate (json_node_get_string (value), -1, NULL))
        return fail (error, self, _("is not valid text"));
      return TRUE;
    }
}

/* Serialisation, for the schema cache. Types are written as words, not
 * numbers, so that reordering the enumeration never misreads a cache. */

static const char * const type_names[] = {
  [EASEL_PARAM_STRING] = "string",
  [EASEL_PARAM_TEXT] = "text",
  [EASEL_PARAM_INTEGER] = "integer",
  [EASEL_PARAM_NUMBER] = "number",
  [EASEL_PARAM_BOOLEAN] = "boolean",
  [EASEL_PARAM_ENUM] = "enum",
  [EASEL_PARAM_IMAGE] = "image",
  [EASEL_PARAM_ASPECT_RATIO] = "aspect-ratio",
};

/**
 * easel_params_to_json:
 * @params: (element-type EaselParam): parameter descriptions
 *
 * Writes @params as a JSON array that easel_params_from_json() reads back
 * unchanged, in the same order.
 *
 * Returns: (transfer full): a JSON array
 */
JsonNode *
easel_params_to_json (GPtrArray *params)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (params != NULL, NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < params->len; i++)
    {
      const EaselParam *param = g_ptr_array_index (params, i);

      g_assert ((guint) param->type < G_N_ELEMENTS (type_names));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, param->name);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, param->title);
      if (param->help != NULL)
        {
          json_builder_set_member_name (builder, "help");
          json_builder_add_string_value (builder, param->help);
        }
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, type_names[param->type]);
      json_builder_set_member_name (builder, "required");
      json_builder_add_boolean_value (builder, param->required);
      if (param->has_minimum)
        {
          json_builder_set_member_name (builder, "minimum");
          json_builder_add_double_value (builder, param->minimum);
        }
      if (param->has_maximum)
        {
          json_builder_set_member_name (builder, "maximum");
          json_builder_add_double_value (builder, param->maximum);
        }
      if (param->choices != NULL)
        {
          json_builder_set_member_name (builder, "choices");
          json_builder_begin_array (builder);
          for (guint j = 0; param->choices[j] != NULL; j++)
            json_builder_add_string_value (builder, param->choices[j]);
          json_builder_end_array (builder);
        }
      if (param->default_value != NULL)
        {
          json_builder_set_member_name (builder, "default");
          json_builder_add_value (builder, json_node_copy (param->default_value));
        }
      json_builder_set_member_name (builder, "order");
      json_builder_add_int_value (builder, param->order);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static EaselParam *
param_from_object (JsonObject  *object,
                   GError     **error)
{
  g_autoptr(EaselParam) param = NULL;
  const char *name = NULL, *title = NULL, *help = NULL, *type = NULL;
  gboolean required = FALSE;
  gint64 order = 0;
  JsonArray *choices;
  JsonNode *default_value;
  guint type_index;

  if (!easel_json_get_string (object, "name", TRUE, &name, error) ||
      !easel_json_get_string (object, "title", FALSE, &title, error) ||
      !easel_json_get_string (object, "help", FALSE, &help, error) ||
      !easel_json_get_string (object, "type", TRUE, &type, error) ||
      !easel_json_get_bool (object, "required", &required, error) ||
      !easel_json_get_int (object, "order", G_MININT, G_MAXINT, &order, error))
    return NULL;

  for (type_index = 0; type_index < G_N_ELEMENTS (type_names); type_index++)
    {
      if (g_str_equal (type_names[type_index], type))
        break;
    }
  if (type_index == G_N_ELEMENTS (type_names) || name[0] == '\0')
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                   "“%s” is not a parameter type", type);
      return NULL;
    }

  param = easel_param_new (name, (EaselParamType) type_index);
  if (title != NULL)
    {
      g_free (param->title);
      param->title = g_strdup (title);
    }
  param->help = g_strdup (help);
  param->required = required;
  param->order = (int) order;

  if (json_object_has_member (object, "minimum"))
    {
      if (!easel_json_get_number (object, "minimum", &param->minimum, error))
        return NULL;
      param->has_minimum = TRUE;
    }
  if (json_object_has_member (object, "maximum"))
    {
      if (!easel_json_get_number (object, "maximum", &param->maximum, error))
        return NULL;
      param->has_maximum = TRUE;
    }

  if (json_object_has_member (object, "choices"))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      choices = easel_json_get_array (object, "choices", error);
      if (choices == NULL)
        return NULL;
      for (guint i = 0; i < json_array_get_length (choices); i++)
        {
          JsonNode *choice = json_array_get_element (choices, i);

          if (!JSON_NODE_HOLDS_VALUE (choice) || json_node_get_value_type (choice) != G_TYPE_STRING ||
              !g_utf8_validate (json_node_get_string (choice), -1, NULL))
            {
              g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                                   "“choices” holds something other than text");
              return NULL;
            }
          g_strv_builder_add (builder, json_node_get_string (choice));
        }
      param->choices = g_strv_builder_end (builder);
    }

  default_value = json_object_get_member (object, "default");
  if (default_value != NULL && !JSON_NODE_HOLDS_NULL (default_value))
    param->default_value = json_node_copy (default_value);

  return g_steal_pointer (&param);
}

/**
 * easel_params_from_json:
 * @node: what easel_params_to_json() wrote
 * @error: return location for a #GError
 *
 * Reads parameter descriptions back, checking every member's type: the
 * JSON may come from a damaged cache.
 *
 * Returns: (transfer full) (element-type EaselParam): the parameters, or
 *   %NULL with %EASEL_ERROR_INVALID_RESPONSE
 */
GPtrArray *
easel_params_from_json (JsonNode  *node,
                        GError   **error)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_param_free);
  g_autoptr(GError) local_error = NULL;
  JsonArray *array;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                           "Parameter descriptions: not a JSON array");
      return NULL;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      EaselParam *param;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                       "Parameter description %u: not a JSON object", i);
          return NULL;
        }
      param = param_from_object (json_node_get_object (element), &local_error);
      if (param == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "Parameter description %u: ", i);
          return NULL;
        }
      g_ptr_array_add (params, param);
    }

  return g_steal_pointer (&params);
}

/**
 * easel_params_find:
 * @params: (element-type EaselParam): parameter descriptions
 * @name: a parameter name
 *
 * Looks a parameter up by the name the provider knows it by. This is also
 * how the editor learns what a model takes: a model has a negative prompt
 * exactly when easel_params_find (params, "negative_prompt") finds one.
 *
 * Returns: (transfer none) (nullable): the parameter called @name
 */
EaselParam *
easel_params_find (GPtrArray  *params,
                   const char *name)
{
  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < params->len; i++)
    {
      EaselParam *param = g_ptr_array_index (params, i);

      if (g_str_equal (param->name, name))
        return param;
    }
  return NULL;
}
