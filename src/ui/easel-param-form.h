/* easel-param-form.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * EaselParamForm shows a provider's parameter descriptions (#EaselParam) as
 * rows of a preferences list and keeps the values the user sets.
 *
 * What it does not show, on purpose:
 *
 * - parameters of type %EASEL_PARAM_IMAGE (Replicate's file inputs,
 *   Midjourney's --sref, --cref, --oref, --end): the editor's reference
 *   tray owns image inputs. Hand their values to
 *   easel_param_form_set_image_values() so that rules combining them with
 *   other parameters (Midjourney's --ow needs --oref) are checked;
 * - parameters named `prompt` and `negative_prompt`: the editor has its
 *   own fields for them.
 *
 * Values given for parameters the form does not show are ignored like
 * unknown names. A parameter of a type without a control of its own
 * (%EASEL_PARAM_JSON) is a text entry: its text is sent as JSON when it
 * reads as JSON, as a string otherwise.
 */

#define EASEL_TYPE_PARAM_FORM (easel_param_form_get_type ())

G_DECLARE_FINAL_TYPE (EaselParamForm, easel_param_form, EASEL, PARAM_FORM, AdwBin)

GtkWidget  *easel_param_form_new              (void);
void        easel_param_form_set_params       (EaselParamForm *self,
                                               const char     *provider_id,
                                               GPtrArray      *params);
JsonObject *easel_param_form_get_values       (EaselParamForm *self);
void        easel_param_form_set_values       (EaselParamForm *self,
                                               JsonObject     *values);
void        easel_param_form_set_image_values (EaselParamForm *self,
                                               JsonObject     *values);
void        easel_param_form_reset            (EaselParamForm *self);
gboolean    easel_param_form_is_valid         (EaselParamForm *self);
char       *easel_param_form_get_error        (EaselParamForm *self);

G_END_DECLS
