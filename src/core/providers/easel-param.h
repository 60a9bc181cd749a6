/* easel-param.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * EaselParamType:
 * @EASEL_PARAM_STRING: a line of text
 * @EASEL_PARAM_TEXT: several lines of text (prompts)
 * @EASEL_PARAM_INTEGER: a whole number, maybe within bounds
 * @EASEL_PARAM_NUMBER: a number, maybe within bounds
 * @EASEL_PARAM_BOOLEAN: on or off
 * @EASEL_PARAM_ENUM: one of #EaselParam.choices
 * @EASEL_PARAM_IMAGE: an image (a file the provider uploads, or a URL)
 * @EASEL_PARAM_ASPECT_RATIO: a ratio of two positive integers, "W:H"
 * @EASEL_PARAM_JSON: any JSON value: a schema type the editor has no
 *   control for (an array, an object, a property without a type); edited
 *   as text
 *
 * The kinds of parameter the editor knows how to render.
 */
typedef enum
{
  EASEL_PARAM_STRING,
  EASEL_PARAM_TEXT,
  EASEL_PARAM_INTEGER,
  EASEL_PARAM_NUMBER,
  EASEL_PARAM_BOOLEAN,
  EASEL_PARAM_ENUM,
  EASEL_PARAM_IMAGE,
  EASEL_PARAM_ASPECT_RATIO,
  EASEL_PARAM_JSON,
} EaselParamType;

/**
 * EaselParam:
 * @name: the name the provider knows the parameter by
 * @title: a title for the editor
 * @help: (nullable): help text
 * @type: the kind of value
 * @required: whether a value must be given
 * @has_minimum: whether @minimum applies
 * @minimum: the smallest allowed value
 * @has_maximum: whether @maximum applies
 * @maximum: the largest allowed value
 * @choices: (nullable): allowed values of an enum, as strings
 * @default_value: (nullable): the default
 * @order: where the editor shows it, smallest first
 *
 * The description of one parameter, built from a provider's documentation
 * or from a model's schema.
 */
typedef struct
{
  char           *name;
  char           *title;
  char           *help;
  EaselParamType  type;
  gboolean        required;
  gboolean        has_minimum;
  double          minimum;
  gboolean        has_maximum;
  double          maximum;
  GStrv           choices;
  JsonNode       *default_value;
  int             order;
} EaselParam;

#define EASEL_TYPE_PARAM (easel_param_get_type ())

GType       easel_param_get_type (void) G_GNUC_CONST;
EaselParam *easel_param_new      (const char       *name,
                                  EaselParamType    type);
EaselParam *easel_param_copy     (const EaselParam *self);
void        easel_param_free     (EaselParam       *self);
gboolean    easel_param_check    (const EaselParam *self,
                                  JsonNode         *value,
                                  GError          **error);

JsonNode   *easel_params_to_json   (GPtrArray        *params);
GPtrArray  *easel_params_from_json (JsonNode         *node,
                                    GError          **error);
EaselParam *easel_params_find      (GPtrArray        *params,
                                    const char       *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselParam, easel_param_free)

G_END_DECLS
