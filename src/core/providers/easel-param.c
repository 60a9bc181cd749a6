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
