/* easel-param-form.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The parameter form: one "field" per control. A field edits one
 * parameter, or for Midjourney several that are one choice to the user
 * (--version and --niji are one model picker, --relax/--fast/--turbo one
 * speed picker).
 *
 * The values the form holds live in one JSON object, name → value, and
 * the controls are views of it. A value the control cannot show (set
 * through easel_param_form_set_values(): 150 for a 0–100 spin button, a
 * word that is not one of the choices, both --version and --niji) stays in
 * the object, so nothing is dropped; it fails validation, and its row says
 * why and what the value was. A number typed out of range is kept the same
 * way and shown as typed, rather than clamped behind the user's back.
 *
 * Validation runs on every change. Replicate's values are each checked
 * against their description. Midjourney's are checked as a whole by the
 * provider's validator, which also knows the rules between parameters; its
 * message names no row, so the rows it concerns are found by taking one
 * value out at a time and seeing whether that problem goes away. */

#include "config.h"

#include "easel-param-form.h"

#include <math.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "easel-json.h"
#include "easel-midjourney-params.h"
#include "easel-param.h"

/* More optional rows than this and the rest go under "Advanced". */
#define MAX_MAIN_OPTIONAL 6
/* The range of a spin button for a number without bounds. */
#define WIDE_RANGE 1e15

typedef enum
{
  FIELD_ENUM,
  FIELD_NUMBER,
  FIELD_SWITCH,
  FIELD_ENTRY,
  FIELD_TEXT,
  FIELD_JSON,
  FIELD_RATIO,
  FIELD_MJ_VERSION,
  FIELD_MJ_SPEED,
  FIELD_MJ_STYLE,
} FieldKind;

/* One item of a drop-down: which parameter it sets to what, or nothing. */
typedef struct
{
  const EaselParam *param;  /* NULL: sets nothing */
  char             *value;
} Choice;

typedef struct
{
  EaselParamForm *form;
  FieldKind       kind;
  GPtrArray      *params;        /* borrowed EaselParam *, from form->params */
  gboolean        advanced;

  GtkWidget      *row;
  GtkWidget      *control;       /* spin button, switch, text view or entry row */
  GtkWidget      *custom_row;    /* FIELD_RATIO: the width and height row */
  GtkWidget      *width_spin;
  GtkWidget      *height_spin;
  GtkWidget      *reset_button;
  GtkWidget      *error_row;
  GtkWidget      *error_label;

  GArray         *choices;       /* Choice, for the drop-downs */
  guint           n_presets;     /* FIELD_RATIO: the custom item comes after them */

  JsonNode       *typed;         /* FIELD_NUMBER: a value the spin button shows as text */
  gboolean        unset;         /* FIELD_NUMBER: nothing set and no default to show */
  char           *style_word;    /* FIELD_MJ_STYLE: the style the switch turns on */

  gboolean        shows_value;   /* FALSE while the control cannot show the stored value */
  char           *error;
} Field;

struct _EaselParamForm
{
  AdwBin      parent_instance;

  char       *provider_id;
  GPtrArray  *params;        /* EaselParam, owned copies */
  GPtrArray  *fields;        /* Field, in the order shown */
  JsonObject *values;        /* what is set, name → value */
  JsonObject *image_values;  /* the reference tray's, for the combination rules */

  GtkWidget  *box;
  GtkWidget  *advanced_row;
  GtkWidget  *reset_all_button;

  guint       updating;      /* > 0 while the form itself writes to controls */
  gboolean    valid;
  char       *error;
};

G_DEFINE_FINAL_TYPE (EaselParamForm, easel_param_form, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_VALID,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void field_store      (Field *field);
static void field_show       (Field *field);
static void revalidate       (EaselParamForm *self);

/* Values ---------------------------------------------------------------- */

static const char *
node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A value as the user would write it. */
static char *
node_to_text (JsonNode *node)
{
  const char *text = node_string (node);
  double number;

  if (text != NULL)
    return g_strdup (text);
  if (easel_json_node_get_number (node, &number))
    return easel_json_format_number (number);
  return json_to_string (node, FALSE);
}

/* Equal as values: 2, 2.0 and "2" are the same choice. */
static gboolean
values_equal (JsonNode *a,
              JsonNode *b)
{
  double x, y;

  if (a == NULL || b == NULL)
    return a == b;
  if (easel_json_node_get_number (a, &x) && easel_json_node_get_number (b, &y))
    return x == y;
  if ((easel_json_node_get_number (a, &x) && node_string (b) != NULL) ||
      (easel_json_node_get_number (b, &x) && node_string (a) != NULL))
    {
      g_autofree char *formatted = easel_json_format_number (x);

      return g_strcmp0 (formatted, node_string (node_string (a) != NULL ? a : b)) == 0;
    }
  return json_node_equal (a, b);
}

/* Whether sending @node is the same as sending nothing. */
static gboolean
is_default (const EaselParam *param,
            JsonNode         *node)
{
  if (node == NULL)
    return TRUE;
  if (param->default_value != NULL)
    return values_equal (node, param->default_value);
  /* A switch without a default is off unless turned on. */
  return param->type == EASEL_PARAM_BOOLEAN && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && !json_node_get_boolean (node);
}

static JsonNode *
new_string_node (const char *text)
{
  return json_node_init_string (json_node_alloc (), text);
}

static gboolean
is_midjourney (EaselParamForm *self)
{
  return g_strcmp0 (self->provider_id, "midjourney") == 0;
}

static const EaselParam *
find_param (EaselParamForm *self,
            const char     *name)
{
  for (guint i = 0; self->params != NULL && i < self->params->len; i++)
    {
      const EaselParam *param = g_ptr_array_index (self->params, i);

      if (g_str_equal (param->name, name))
        return param;
    }
  return NULL;
}

static Field *
find_field (EaselParamForm *self,
            const char     *name)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      for (guint j = 0; j < field->params->len; j++)
        {
          const EaselParam *param = g_ptr_array_index (field->params, j);

          if (g_str_equal (param->name, name))
            return field;
        }
    }
  return NULL;
}

/* Fields ---------------------------------------------------------------- */

static void
choice_clear (gpointer data)
{
  Choice *choice = data;

  g_free (choice->value);
}

static void
field_free (gpointer data)
{
  Field *field = data;

  g_ptr_array_unref (field->params);
  g_clear_pointer (&field->choices, g_array_unref);
  g_clear_pointer (&field->typed, json_node_unref);
  g_free (field->style_word);
  g_free (field->error);
  g_free (field);
}

static const EaselParam *
field_param (Field *field)
{
  return g_ptr_array_index (field->params, 0);
}

static gboolean
field_has_value (Field *field)
{
  for (guint i = 0; i < field->params->len; i++)
    {
      const EaselParam *param = g_ptr_array_index (field->params, i);

      if (!is_default (param, json_object_get_member (field->form->values, param->name)))
        return TRUE;
    }
  return FALSE;
}

static void
add_choice (Field            *field,
            const EaselParam *param,
            const char       *value)
{
  Choice choice = { param, g_strdup (value) };

  g_array_append_val (field->choices, choice);
}

static JsonNode *
choice_node (const Choice *choice)
{
  JsonNode *def = choice->param->default_value;
  double number;
  char *end = NULL;

  /* Choices are text; a drop-down whose default is a number sends numbers. */
  if (def != NULL && easel_json_node_get_number (def, &number))
    {
      number = g_ascii_strtod (choice->value, &end);
      if (end != NULL && *end == '\0' && end != choice->value)
        {
          if (json_node_get_value_type (def) == G_TYPE_INT64 && number == floor (number))
            return json_node_init_int (json_node_alloc (), (gint64) number);
          return json_node_init_double (json_node_alloc (), number);
        }
    }

  return new_string_node (choice->value);
}

static guint
combo_selected (Field *field)
{
  return adw_combo_row_get_selected (ADW_COMBO_ROW (field->row));
}

/* Writes what the control shows into @out: one member per parameter set. */
static void
field_read (Field      *field,
            JsonObject *out)
{
  const EaselParam *param = field_param (field);
  g_autofree char *text = NULL;
  guint selected;

  switch (field->kind)
    {
    case FIELD_ENUM:
    case FIELD_MJ_VERSION:
    case FIELD_MJ_SPEED:
      selected = combo_selected (field);
      if (selected < field->choices->len)
        {
          const Choice *choice = &g_array_index (field->choices, Choice, selected);

          if (choice->param == NULL)
            break;
          if (field->kind == FIELD_MJ_SPEED)
            json_object_set_boolean_member (out, choice->param->name, TRUE);
          else
            json_object_set_member (out, choice->param->name, choice_node (choice));
        }
      break;

    case FIELD_RATIO:
      selected = combo_selected (field);
      if (selected < field->n_presets)
        {
          const Choice *choice = &g_array_index (field->choices, Choice, selected);

          if (choice->param != NULL)
            json_object_set_string_member (out, param->name, choice->value);
        }
      else
        {
          text = g_strdup_printf ("%d:%d",
                                  gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (field->width_spin)),
                                  gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (field->height_spin)));
          json_object_set_string_member (out, param->name, text);
        }
      break;

    case FIELD_NUMBER:
      if (field->typed != NULL)
        json_object_set_member (out, param->name, json_node_copy (field->typed));
      else if (!field->unset)
        {
          double value = gtk_spin_button_get_value (GTK_SPIN_BUTTON (field->control));

          if (param->type == EASEL_PARAM_INTEGER)
            json_object_set_int_member (out, param->name, (gint64) llround (value));
          else
            json_object_set_double_member (out, param->name, value);
        }
      break;

    case FIELD_SWITCH:
      if (gtk_switch_get_active (GTK_SWITCH (field->control)) || param->default_value != NULL)
        json_object_set_boolean_member (out, param->name,
                                        gtk_switch_get_active (GTK_SWITCH (field->control)));
      break;

    case FIELD_MJ_STYLE:
      if (gtk_switch_get_active (GTK_SWITCH (field->control)))
        json_object_set_string_member (out, param->name, field->style_word);
      break;

    case FIELD_ENTRY:
      if (gtk_editable_get_text (GTK_EDITABLE (field->row))[0] != '\0')
        json_object_set_string_member (out, param->name, gtk_editable_get_text (GTK_EDITABLE (field->row)));
      break;

    case FIELD_JSON:
      {
        const char *entry_text = gtk_editable_get_text (GTK_EDITABLE (field->row));
        g_autoptr(JsonParser) parser = json_parser_new ();

        if (entry_text[0] == '\0')
          break;
        if (json_parser_load_from_data (parser, entry_text, -1, NULL) &&
            json_parser_get_root (parser) != NULL)
          json_object_set_member (out, param->name, json_node_copy (json_parser_get_root (parser)));
        else
          json_object_set_string_member (out, param->name, entry_text);
      }
      break;

    case FIELD_TEXT:
      {
        GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->control));
        GtkTextIter start, end;

        gtk_text_buffer_get_bounds (buffer, &start, &end);
        text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
        if (text[0] != '\0')
          json_object_set_string_member (out, param->name, text);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Whether the control shows exactly what is stored. */
static gboolean
field_shows_stored (Field *field)
{
  g_autoptr(JsonObject) shown = json_object_new ();

  field_read (field, shown);
  for (guint i = 0; i < field->params->len; i++)
    {
      const EaselParam *param = g_ptr_array_index (field->params, i);
      JsonNode *stored = json_object_get_member (field->form->values, param->name);
      JsonNode *seen = json_object_get_member (shown, param->name);

      if (!values_equal (stored, seen) && !(is_default (param, stored) && is_default (param, seen)))
        return FALSE;
    }
  return TRUE;
}

static void
update_reset_buttons (EaselParamForm *self)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      gboolean has_value = field_has_value (field);

      if (field->reset_button != NULL)
        gtk_widget_set_visible (field->reset_button, has_value);
      any |= has_value;
    }

  if (self->reset_all_button != NULL)
    gtk_widget_set_sensitive (self->reset_all_button, any);
}

/* The user changed a control: its value becomes the stored one. */
static void
field_store (Field *field)
{
  EaselParamForm *self = field->form;
  g_autoptr(JsonObject) shown = json_object_new ();
  gboolean changed = FALSE;

  if (self->updating > 0)
    return;

  field_read (field, shown);
  for (guint i = 0; i < field->params->len; i++)
    {
      const EaselParam *param = g_ptr_array_index (field->params, i);
      JsonNode *before = json_object_get_member (self->values, param->name);
      JsonNode *after = json_object_get_member (shown, param->name);

      if (is_default (param, after))
        after = NULL;
      if (before == NULL && after == NULL)
        continue;
      if (before != NULL && after != NULL && json_node_equal (before, after))
        continue;

      changed = TRUE;
      if (after != NULL)
        json_object_set_member (self->values, param->name, json_node_copy (after));
      else
        json_object_remove_member (self->values, param->name);
    }

  field->shows_value = TRUE;
  if (!changed)
    return;

  update_reset_buttons (self);
  revalidate (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
select_choice (Field    *field,
               JsonNode *node,
               const EaselParam *param)
{
  for (guint i = 0; i < field->choices->len; i++)
    {
      const Choice *choice = &g_array_index (field->choices, Choice, i);
      g_autoptr(JsonNode) value = NULL;

      if (choice->param != param)
        continue;
      if (param == NULL)
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (field->row), i);
          return;
        }
      value = new_string_node (choice->value);
      if (values_equal (value, node))
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (field->row), i);
          return;
        }
    }
}

static void
set_number (Field  *field,
            double  value)
{
  /* Emits ::output even when the value does not change, so the text
   * follows field->typed and field->unset. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->control), value);
}

/* Makes the control show the stored value, as far as it can. */
static void
field_show (Field *field)
{
  EaselParamForm *self = field->form;
  const EaselParam *param = field_param (field);
  JsonNode *node = json_object_get_member (self->values, param->name);
  JsonNode *shown = node != NULL ? node : param->default_value;
  g_autofree char *text = NULL;
  double number;

  self->updating++;

  switch (field->kind)
    {
    case FIELD_ENUM:
      if (shown == NULL)
        select_choice (field, NULL, NULL);
      else
        {
          select_choice (field, param->default_value, param);
          select_choice (field, shown, param);
        }
      break;

    case FIELD_MJ_VERSION:
    case FIELD_MJ_SPEED:
      select_choice (field, NULL, NULL);
      for (guint i = 0; i < field->params->len; i++)
        {
          const EaselParam *p = g_ptr_array_index (field->params, i);
          JsonNode *value = json_object_get_member (self->values, p->name);

          if (value == NULL)
            continue;
          if (field->kind == FIELD_MJ_SPEED)
            {
              if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN &&
                  json_node_get_boolean (value))
                {
                  g_autoptr(JsonNode) word = new_string_node (p->name);

                  select_choice (field, word, p);
                }
            }
          else
            select_choice (field, value, p);
        }
      break;

    case FIELD_RATIO:
      {
        const char *ratio = node_string (shown);
        guint i = 0;

        /* Nothing: the unset item, or failing that the first preset. */
        for (i = 0; ratio != NULL && i < field->n_presets; i++)
          {
            const Choice *choice = &g_array_index (field->choices, Choice, i);

            if (choice->param != NULL && g_str_equal (choice->value, ratio))
              break;
          }
        if (ratio == NULL)
          i = 0;
        if (i >= field->n_presets && ratio != NULL)
          {
            g_auto(GStrv) parts = g_strsplit (ratio, ":", 2);

            if (g_strv_length (parts) == 2)
              {
                gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->width_spin), g_ascii_strtod (parts[0], NULL));
                gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->height_spin), g_ascii_strtod (parts[1], NULL));
              }
          }
        adw_combo_row_set_selected (ADW_COMBO_ROW (field->row), MIN (i, field->n_presets));
        gtk_widget_set_visible (field->custom_row, i >= field->n_presets);
      }
      break;

    case FIELD_NUMBER:
      {
        GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (field->control));

        g_clear_pointer (&field->typed, json_node_unref);
        field->unset = shown == NULL;
        if (shown == NULL)
          number = CLAMP (0, gtk_adjustment_get_lower (adjustment), gtk_adjustment_get_upper (adjustment));
        else if (!easel_json_node_get_number (shown, &number) ||
                 number < gtk_adjustment_get_lower (adjustment) ||
                 number > gtk_adjustment_get_upper (adjustment) ||
                 (param->type == EASEL_PARAM_INTEGER && number != floor (number)))
          {
            field->typed = json_node_copy (shown);
            number = gtk_adjustment_get_value (adjustment);
          }
        set_number (field, number);
      }
      break;

    case FIELD_SWITCH:
      gtk_switch_set_active (GTK_SWITCH (field->control),
                             shown != NULL && JSON_NODE_HOLDS_VALUE (shown) &&
                             json_node_get_value_type (shown) == G_TYPE_BOOLEAN &&
                             json_node_get_boolean (shown));
      break;

    case FIELD_MJ_STYLE:
      {
        const char *word = node_string (node);

        g_free (field->style_word);
        field->style_word = g_strdup (word != NULL ? word : "raw");
        text = g_strdup_printf ("--style %s", field->style_word);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (field->row), text);
        gtk_switch_set_active (GTK_SWITCH (field->control), word != NULL);
      }
      break;

    case FIELD_ENTRY:
      text = node != NULL ? node_to_text (node) : g_strdup ("");
      gtk_editable_set_text (GTK_EDITABLE (field->row), text);
      break;

    case FIELD_JSON:
      {
        const char *string = node_string (node);
        g_autoptr(JsonParser) parser = json_parser_new ();

        /* A string that would read back as JSON is shown quoted. */
        if (node == NULL)
          text = g_strdup ("");
        else if (string != NULL && !json_parser_load_from_data (parser, string, -1, NULL))
          text = g_strdup (string);
        else
          text = json_to_string (node, FALSE);
        gtk_editable_set_text (GTK_EDITABLE (field->row), text);
      }
      break;

    case FIELD_TEXT:
      text = node != NULL ? node_to_text (node) : g_strdup ("");
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->control)), text, -1);
      break;

    default:
      g_assert_not_reached ();
    }

  self->updating--;
  field->shows_value = field_shows_stored (field);
}

/* Controls -------------------------------------------------------------- */

static void
changed_cb (Field *field)
{
  field_store (field);
}

static void
ratio_selected_cb (Field *field)
{
  if (field->form->updating == 0)
    gtk_widget_set_visible (field->custom_row, combo_selected (field) >= field->n_presets);
  field_store (field);
}

static int
spin_output_cb (GtkSpinButton *spin,
                Field         *field)
{
  g_autofree char *text = NULL;

  if (field->typed != NULL)
    text = node_to_text (field->typed);
  else if (field->unset)
    text = g_strdup ("");
  else
    return FALSE;

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

/* Reads what was typed. A value the spin button would clamp or round is
 * kept as typed and marked, instead. */
static int
spin_input_cb (GtkSpinButton *spin,
               double        *new_value,
               Field         *field)
{
  const EaselParam *param = field_param (field);
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (spin);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));
  double value;
  char *end = NULL;

  if (field->form->updating > 0)
    return FALSE;

  *new_value = gtk_adjustment_get_value (adjustment);

  /* Leaving the spin button reads its text again: the text it shows for
   * its value is not an edit, even where it is rounded. */
  if (field->typed == NULL && !field->unset)
    {
      g_autofree char *shown = g_strdup_printf ("%0.*f", gtk_spin_button_get_digits (spin), *new_value);

      if (g_str_equal (shown, text))
        return TRUE;
    }

  g_clear_pointer (&field->typed, json_node_unref);

  if (text[0] == '\0')
    {
      /* Emptied: back to the default, or to nothing. */
      field->unset = param->default_value == NULL;
      if (param->default_value != NULL && easel_json_node_get_number (param->default_value, &value))
        *new_value = value;
      gtk_adjustment_set_value (adjustment, *new_value);
      field_store (field);
      return TRUE;
    }

  value = g_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value))
    field->typed = new_string_node (text);
  else if (value < gtk_adjustment_get_lower (adjustment) ||
           value > gtk_adjustment_get_upper (adjustment) ||
           (param->type == EASEL_PARAM_INTEGER && value != floor (value)))
    {
      if (value == floor (value) && fabs (value) < 9e15)
        field->typed = json_node_init_int (json_node_alloc (), (gint64) value);
      else
        field->typed = json_node_init_double (json_node_alloc (), value);
    }
  else
    {
      field->unset = FALSE;
      *new_value = value;
      gtk_adjustment_set_value (adjustment, value);
    }

  field_store (field);
  return TRUE;
}

static void
spin_value_changed_cb (GtkSpinButton *spin,
                       Field         *field)
{
  if (field->form->updating > 0)
    return;
  g_clear_pointer (&field->typed, json_node_unref);
  field->unset = FALSE;
  field_store (field);
}

static void
reset_clicked_cb (GtkButton *button,
                  Field     *field)
{
  EaselParamForm *self = field->form;

  for (guint i = 0; i < field->params->len; i++)
    json_object_remove_member (self->values, ((EaselParam *) g_ptr_array_index (field->params, i))->name);

  field_show (field);
  update_reset_buttons (self);
  revalidate (self);
  g_signal_emit (self, signals[CHANGED], 0);

  /* The button hides itself: keep the focus in the row. */
  gtk_widget_grab_focus (field->control != NULL ? field->control : field->row);
}

static GtkWidget *
new_spin_button (double    lower,
                 double    upper,
                 double    step,
                 guint     digits)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), FALSE);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  return spin;
}

/* Titles ---------------------------------------------------------------- */

static const struct {
  const char *name;
  const char *title;
} midjourney_titles[] = {
  { "ar", N_("Aspect Ratio") },
  { "quality", N_("Quality") },
  { "chaos", N_("Chaos") },
  { "stylize", N_("Stylize") },
  { "weird", N_("Weird") },
  { "exp", N_("Experimental Aesthetics") },
  { "raw", N_("Raw") },
  { "draft", N_("Draft Mode") },
  { "personalize", N_("Personalization") },
  { "iw", N_("Image Weight") },
  { "sw", N_("Style Weight") },
  { "sv", N_("Style Reference Version") },
  { "cw", N_("Character Weight") },
  { "ow", N_("Omni-Reference Weight") },
  { "seed", N_("Seed") },
  { "stop", N_("Stop") },
  { "tile", N_("Tile") },
  { "repeat", N_("Repeat") },
  { "no", N_("Leave Out") },
  { "video", N_("Video") },
  { "motion", N_("Motion") },
  { "loop", N_("Loop") },
  { "bs", N_("Videos") },
  { "stealth", N_("Stealth") },
  { "public", N_("Public") },
};

/* Midjourney's rarely used parameters, under "Advanced". */
static const char *const midjourney_advanced[] = {
  "weird", "exp", "raw", "draft", "personalize", "iw", "sw", "sv", "cw", "ow", "seed",
  "stop", "tile", "repeat", "loop", "bs", "stealth", "public", NULL
};

/* Replicate inputs most people leave alone. */
static const char *const replicate_advanced[] = {
  "seed", "disable_safety_checker", "output_quality", "go_fast", "lora_scale",
  "high_noise_frac", "safety_tolerance", "apply_watermark", "prompt_upsampling", NULL
};

static char *
field_title (EaselParamForm   *self,
             const EaselParam *param)
{
  g_autofree char *spaced = NULL;

  if (is_midjourney (self))
    {
      for (guint i = 0; i < G_N_ELEMENTS (midjourney_titles); i++)
        {
          if (g_str_equal (midjourney_titles[i].name, param->name))
            return g_strdup (_(midjourney_titles[i].title));
        }
    }

  if (param->title != NULL && g_strcmp0 (param->title, param->name) != 0)
    return g_strdup (param->title);

  /* "aspect_ratio" reads better as "Aspect ratio". */
  spaced = g_strdelimit (g_strdup (param->name), "_-", ' ');
  return g_strconcat ((char[]) { g_ascii_toupper (spaced[0]), '\0' }, spaced + 1, NULL);
}

/* The help, and for Midjourney the parameter as it is written. */
static char *
field_help (EaselParamForm   *self,
            const EaselParam *param)
{
  if (is_midjourney (self))
    {
      g_autofree char *flag = g_strconcat ("--", param->name, NULL);

      if (param->help == NULL)
        return g_steal_pointer (&flag);
      /* Translators: a Midjourney parameter such as --chaos, and its help */
      return g_strdup_printf (_("%s · %s"), flag, param->help);
    }

  return g_strdup (param->help);
}

/* Building -------------------------------------------------------------- */

static Field *
field_new (EaselParamForm *self,
           FieldKind       kind)
{
  Field *field = g_new0 (Field, 1);

  field->form = self;
  field->kind = kind;
  field->params = g_ptr_array_new ();
  field->shows_value = TRUE;
  return field;
}

static GtkWidget *
new_action_row (const char *title,
                const char *help)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (help != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), help);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      gtk_widget_set_tooltip_text (row, help);
    }
  return row;
}

static GtkWidget *
new_combo_row (Field      *field,
               const char *title,
               const char *help,
               GPtrArray  *labels)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; i < labels->len; i++)
    gtk_string_list_append (model, g_ptr_array_index (labels, i));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (help != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), help);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      gtk_widget_set_tooltip_text (row, help);
    }
  g_signal_connect_swapped (row, "notify::selected",
                            G_CALLBACK (field->kind == FIELD_RATIO ? ratio_selected_cb : changed_cb),
                            field);
  return row;
}

static void
build_enum (Field            *field,
            const char       *title,
            const char       *help,
            const EaselParam *param)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  /* Without a default, the first item sends nothing. */
  if (param->default_value == NULL)
    {
      add_choice (field, NULL, NULL);
      g_ptr_array_add (labels, (gpointer) (param->required ? _("Choose…") : _("Default")));
    }
  for (guint i = 0; param->choices != NULL && param->choices[i] != NULL; i++)
    {
      add_choice (field, param, param->choices[i]);
      g_ptr_array_add (labels, param->choices[i]);
    }
  field->row = new_combo_row (field, title, help, labels);
}

static const char *const ratio_presets[] = {
  "1:1", "4:3", "3:2", "16:9", "21:9", "3:4", "2:3", "9:16", "4:5", "5:4",
};

static void
build_ratio (Field            *field,
             const char       *title,
             const char       *help,
             const EaselParam *param)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GtkWidget *box, *colon;

  /* Without a default, the first item sends nothing. */
  if (param->default_value == NULL)
    {
      add_choice (field, NULL, NULL);
      g_ptr_array_add (labels, (gpointer) _("Default"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (ratio_presets); i++)
    {
      add_choice (field, param, ratio_presets[i]);
      g_ptr_array_add (labels, (gpointer) ratio_presets[i]);
    }
  field->n_presets = field->choices->len;
  g_ptr_array_add (labels, (gpointer) C_("aspect ratio", "Custom"));
  field->row = new_combo_row (field, title, help, labels);

  field->custom_row = new_action_row (_("Custom Ratio"), _("Width and height, in whole numbers"));
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  field->width_spin = new_spin_button (1, 10000, 1, 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (field->width_spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Width"), -1);
  field->height_spin = new_spin_button (1, 10000, 1, 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (field->height_spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Height"), -1);
  colon = gtk_label_new (":");
  gtk_box_append (GTK_BOX (box), field->width_spin);
  gtk_box_append (GTK_BOX (box), colon);
  gtk_box_append (GTK_BOX (box), field->height_spin);
  adw_action_row_add_suffix (ADW_ACTION_ROW (field->custom_row), box);
  gtk_widget_set_visible (field->custom_row, FALSE);
  g_signal_connect_swapped (field->width_spin, "value-changed", G_CALLBACK (changed_cb), field);
  g_signal_connect_swapped (field->height_spin, "value-changed", G_CALLBACK (changed_cb), field);
}

static void
build_number (Field            *field,
              const char       *title,
              const char       *help,
              const EaselParam *param)
{
  gboolean integer = param->type == EASEL_PARAM_INTEGER;
  double lower = param->has_minimum ? param->minimum : -WIDE_RANGE;
  double upper = param->has_maximum ? param->maximum : WIDE_RANGE;
  double step = 1;
  guint digits = 0;
  int width;

  if (!integer)
    {
      /* Two decimals, and a step of about a hundredth of the range. */
      digits = 2;
      step = (param->has_minimum && param->has_maximum && upper - lower <= 10) ? 0.01 : 0.1;
    }
  if (lower > upper)
    upper = lower;

  field->row = new_action_row (title, help);
  field->control = new_spin_button (lower, upper, step, digits);
  width = (param->has_minimum && param->has_maximum && upper < 100000 && lower > -10000) ? 5 : 10;
  gtk_editable_set_width_chars (GTK_EDITABLE (field->control), width);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (field->control), width);
  gtk_accessible_update_property (GTK_ACCESSIBLE (field->control),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_signal_connect (field->control, "input", G_CALLBACK (spin_input_cb), field);
  g_signal_connect (field->control, "output", G_CALLBACK (spin_output_cb), field);
  g_signal_connect (field->control, "value-changed", G_CALLBACK (spin_value_changed_cb), field);
}

static void
build_switch (Field      *field,
              const char *title,
              const char *help)
{
  field->row = new_action_row (title, help);
  field->control = gtk_switch_new ();
  gtk_widget_set_valign (field->control, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (field->control),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (field->row), field->control);
  g_signal_connect_swapped (field->control, "notify::active", G_CALLBACK (changed_cb), field);
}

static void
build_entry (Field      *field,
             const char *title,
             const char *help)
{
  field->row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), title);
  if (help != NULL)
    gtk_widget_set_tooltip_text (field->row, help);
  g_signal_connect_swapped (field->row, "changed", G_CALLBACK (changed_cb), field);
}

static void
build_text (Field      *field,
            const char *title,
            const char *help)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *frame = gtk_frame_new (NULL);

  field->row = adw_preferences_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), title);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (field->row), FALSE);
  if (help != NULL)
    gtk_widget_set_tooltip_text (field->row, help);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "title");
  gtk_box_append (GTK_BOX (box), label);

  field->control = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (field->control), GTK_WRAP_WORD_CHAR);
  /* Tab leaves the text, as everywhere else in the form. */
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (field->control), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (field->control), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (field->control), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (field->control), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (field->control), 6);
  gtk_widget_set_size_request (field->control, -1, 72);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (field->control),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_frame_set_child (GTK_FRAME (frame), field->control);
  gtk_box_append (GTK_BOX (box), frame);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (field->row), box);

  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->control)), "changed",
                            G_CALLBACK (changed_cb), field);
}

static void
build_midjourney_version (Field *field)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  add_choice (field, NULL, NULL);
  g_ptr_array_add (labels, g_strdup (_("Account Setting")));
  for (guint p = 0; p < field->params->len; p++)
    {
      const EaselParam *param = g_ptr_array_index (field->params, p);
      guint n = param->choices != NULL ? g_strv_length (param->choices) : 0;

      /* Newest first. */
      for (guint i = n; i > 0; i--)
        {
          const char *value = param->choices[i - 1];

          add_choice (field, param, value);
          if (g_str_equal (param->name, "niji"))
            g_ptr_array_add (labels, g_strdup_printf (_("Niji %s"), value));
          else
            g_ptr_array_add (labels, g_strdup_printf (_("Version %s"), value));
        }
    }

  field->row = new_combo_row (field, _("Model Version"),
                              _("--version or --niji · The model that makes the images"),
                              labels);
}

static void
build_midjourney_speed (Field *field)
{
  static const struct {
    const char *name;
    const char *label;
  } speeds[] = {
    { "relax", N_("Relax") },
    { "fast", N_("Fast") },
    { "turbo", N_("Turbo") },
  };
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  add_choice (field, NULL, NULL);
  g_ptr_array_add (labels, _("Account Setting"));
  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    {
      for (guint p = 0; p < field->params->len; p++)
        {
          const EaselParam *param = g_ptr_array_index (field->params, p);

          if (g_str_equal (param->name, speeds[i].name))
            {
              add_choice (field, param, param->name);
              g_ptr_array_add (labels, (gpointer) _(speeds[i].label));
            }
        }
    }

  field->row = new_combo_row (field, _("Speed"),
                              _("--relax, --fast or --turbo · Turbo is faster at twice the cost"),
                              labels);
}

static Field *
build_field (EaselParamForm   *self,
             FieldKind         kind,
             const EaselParam *param)
{
  g_autofree char *title = field_title (self, param);
  g_autofree char *help = field_help (self, param);
  Field *field = field_new (self, kind);

  g_ptr_array_add (field->params, (gpointer) param);
  if (kind == FIELD_ENUM || kind == FIELD_RATIO)
    field->choices = g_array_new (FALSE, TRUE, sizeof (Choice));
  if (field->choices != NULL)
    g_array_set_clear_func (field->choices, choice_clear);

  switch (kind)
    {
    case FIELD_ENUM:
      build_enum (field, title, help, param);
      break;
    case FIELD_RATIO:
      build_ratio (field, title, help, param);
      break;
    case FIELD_NUMBER:
      build_number (field, title, help, param);
      break;
    case FIELD_SWITCH:
      build_switch (field, title, help);
      break;
    case FIELD_MJ_STYLE:
      build_switch (field, _("Raw Style"), NULL);
      gtk_widget_set_tooltip_text (field->row, help);
      field->style_word = g_strdup ("raw");
      break;
    case FIELD_ENTRY:
      build_entry (field, title, help);
      break;
    case FIELD_JSON:
      {
        g_autofree char *hint = NULL;

        build_entry (field, title, NULL);
        /* Translators: tooltip of a parameter whose type the editor does not know */
        hint = g_strdup_printf (_("%s\n\nWritten as JSON, such as [\"a\", \"b\"], or as plain text."),
                                help != NULL ? help : title);
        gtk_widget_set_tooltip_text (field->row, hint);
      }
      break;
    case FIELD_TEXT:
      build_text (field, title, help);
      break;
    case FIELD_MJ_VERSION:
    case FIELD_MJ_SPEED:
    default:
      g_assert_not_reached ();
    }

  return field;
}

static FieldKind
kind_for (const EaselParam *param)
{
  switch (param->type)
    {
    case EASEL_PARAM_ENUM:
      return FIELD_ENUM;
    case EASEL_PARAM_INTEGER:
    case EASEL_PARAM_NUMBER:
      return FIELD_NUMBER;
    case EASEL_PARAM_BOOLEAN:
      return FIELD_SWITCH;
    case EASEL_PARAM_STRING:
      return FIELD_ENTRY;
    case EASEL_PARAM_TEXT:
      return FIELD_TEXT;
    case EASEL_PARAM_ASPECT_RATIO:
      return FIELD_RATIO;
    case EASEL_PARAM_JSON:
    case EASEL_PARAM_IMAGE:
    default:
      /* Anything this form does not know is text. */
      return FIELD_JSON;
    }
}

static gboolean
is_shown (const EaselParam *param)
{
  return param->type != EASEL_PARAM_IMAGE &&
         !g_str_equal (param->name, "prompt") &&
         !g_str_equal (param->name, "negative_prompt");
}

static void
finish_field (EaselParamForm *self,
              Field          *field)
{
  GtkWidget *suffix_target = field->row;

  /* The reset button comes before the control, so controls line up. A
   * drop-down has none: its default is one of its items, and a button
   * beside its arrow, or before its title, would break the alignment. */
  if (ADW_IS_COMBO_ROW (suffix_target))
    goto error_row;

  field->reset_button = gtk_button_new_from_icon_name ("edit-undo-symbolic");
  gtk_widget_set_valign (field->reset_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (field->reset_button, "flat");
  gtk_widget_add_css_class (field->reset_button, "circular");
  gtk_widget_set_tooltip_text (field->reset_button, _("Reset to Default"));
  gtk_widget_set_visible (field->reset_button, FALSE);
  g_signal_connect (field->reset_button, "clicked", G_CALLBACK (reset_clicked_cb), field);

  if (ADW_IS_ENTRY_ROW (suffix_target))
    adw_entry_row_add_suffix (ADW_ENTRY_ROW (suffix_target), field->reset_button);
  else if (ADW_IS_ACTION_ROW (suffix_target))
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (suffix_target), field->reset_button);
      if (field->control != NULL)
        adw_action_row_add_suffix (ADW_ACTION_ROW (suffix_target), field->control);
    }
  else
    {
      /* The multi-line row: the button goes beside its title. */
      GtkWidget *box = gtk_widget_get_first_child (field->row);
      GtkWidget *label = gtk_widget_get_first_child (box);
      GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

      g_object_ref (label);
      gtk_box_remove (GTK_BOX (box), label);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (header), label);
      gtk_box_append (GTK_BOX (header), field->reset_button);
      gtk_box_prepend (GTK_BOX (box), header);
      g_object_unref (label);
    }

error_row:
  field->error_row = adw_preferences_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (field->error_row), FALSE);
  gtk_widget_set_focusable (field->error_row, FALSE);
  gtk_widget_add_css_class (field->error_row, "easel-param-error");
  field->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (field->error_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (field->error_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (field->error_label), 0);
  gtk_widget_add_css_class (field->error_label, "error");
  gtk_widget_add_css_class (field->error_label, "caption");
  gtk_widget_set_margin_start (field->error_label, 12);
  gtk_widget_set_margin_end (field->error_label, 12);
  gtk_widget_set_margin_top (field->error_label, 8);
  gtk_widget_set_margin_bottom (field->error_label, 8);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (field->error_row), field->error_label);
  gtk_widget_set_visible (field->error_row, FALSE);

  g_ptr_array_add (self->fields, field);
}

static void
add_rows (GtkWidget *container,
          Field     *field)
{
  GtkWidget *rows[] = { field->row, field->custom_row, field->error_row };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      if (rows[i] == NULL)
        continue;
      if (ADW_IS_EXPANDER_ROW (container))
        adw_expander_row_add_row (ADW_EXPANDER_ROW (container), rows[i]);
      else
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (container), rows[i]);
    }
}

static void
reset_all_clicked_cb (EaselParamForm *self)
{
  easel_param_form_reset (self);
}

static int
compare_required_first (gconstpointer a,
                        gconstpointer b)
{
  const EaselParam *pa = *(EaselParam **) a;
  const EaselParam *pb = *(EaselParam **) b;

  /* Each copy's order is its position (see easel_param_form_set_params),
   * so this is total and keeps the given order among equals. */
  if (pa->required != pb->required)
    return pa->required ? -1 : 1;
  if (pa->order != pb->order)
    return pa->order < pb->order ? -1 : 1;
  return 0;
}

static void
build (EaselParamForm *self)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  gboolean midjourney = is_midjourney (self);
  Field *version = NULL, *speed = NULL;
  GtkWidget *main_group, *advanced_group = NULL;
  guint n_optional = 0, n_advanced = 0;

  for (guint i = 0; self->params != NULL && i < self->params->len; i++)
    {
      EaselParam *param = g_ptr_array_index (self->params, i);

      if (is_shown (param))
        g_ptr_array_add (shown, param);
    }
  g_ptr_array_sort (shown, compare_required_first);

  for (guint i = 0; i < shown->len; i++)
    {
      const EaselParam *param = g_ptr_array_index (shown, i);
      Field *field;

      if (midjourney && (g_str_equal (param->name, "version") || g_str_equal (param->name, "niji")))
        {
          if (version == NULL)
            {
              version = field_new (self, FIELD_MJ_VERSION);
              version->choices = g_array_new (FALSE, TRUE, sizeof (Choice));
              g_array_set_clear_func (version->choices, choice_clear);
              g_ptr_array_add (self->fields, version);
            }
          g_ptr_array_add (version->params, (gpointer) param);
          continue;
        }
      if (midjourney && (g_str_equal (param->name, "relax") || g_str_equal (param->name, "fast") ||
                         g_str_equal (param->name, "turbo")))
        {
          if (speed == NULL)
            {
              speed = field_new (self, FIELD_MJ_SPEED);
              speed->choices = g_array_new (FALSE, TRUE, sizeof (Choice));
              g_array_set_clear_func (speed->choices, choice_clear);
              g_ptr_array_add (self->fields, speed);
            }
          g_ptr_array_add (speed->params, (gpointer) param);
          continue;
        }

      if (midjourney && g_str_equal (param->name, "style"))
        field = build_field (self, FIELD_MJ_STYLE, param);
      else
        field = build_field (self, kind_for (param), param);

      if (midjourney)
        field->advanced = g_strv_contains (midjourney_advanced, param->name);
      else if (!param->required)
        field->advanced = g_strv_contains (replicate_advanced, param->name) ||
                          n_optional++ >= MAX_MAIN_OPTIONAL;
      finish_field (self, field);
    }

  /* The combined fields were placed where their first parameter was;
   * their widgets can be built now that all their parameters are known. */
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (field->row != NULL)
        continue;
      g_ptr_array_steal_index (self->fields, i);
      if (field->kind == FIELD_MJ_VERSION)
        build_midjourney_version (field);
      else
        build_midjourney_speed (field);
      /* finish_field appends: move it back to its place. */
      finish_field (self, field);
      g_ptr_array_steal_index (self->fields, self->fields->len - 1);
      g_ptr_array_insert (self->fields, i, field);
    }

  main_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (main_group), _("Parameters"));
  self->reset_all_button = gtk_button_new_with_label (_("Reset All"));
  gtk_widget_add_css_class (self->reset_all_button, "flat");
  gtk_widget_set_valign (self->reset_all_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->reset_all_button, _("Set every parameter back to its default"));
  gtk_widget_set_sensitive (self->reset_all_button, FALSE);
  g_signal_connect_swapped (self->reset_all_button, "clicked", G_CALLBACK (reset_all_clicked_cb), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (main_group), self->reset_all_button);
  gtk_box_append (GTK_BOX (self->box), main_group);

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (field->advanced)
        {
          n_advanced++;
          continue;
        }
      add_rows (main_group, field);
    }

  if (n_advanced > 0)
    {
      g_autofree char *subtitle = NULL;

      advanced_group = adw_preferences_group_new ();
      self->advanced_row = adw_expander_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->advanced_row), _("Advanced"));
      subtitle = g_strdup_printf (ngettext ("%u more parameter", "%u more parameters", n_advanced),
                                  n_advanced);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self->advanced_row), subtitle);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (advanced_group), self->advanced_row);
      gtk_box_append (GTK_BOX (self->box), advanced_group);

      for (guint i = 0; i < self->fields->len; i++)
        {
          Field *field = g_ptr_array_index (self->fields, i);

          if (field->advanced)
            add_rows (self->advanced_row, field);
        }
    }

  if (self->fields->len == 0)
    {
      GtkWidget *label = gtk_label_new (_("This model has no further parameters."));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (main_group), label);
      gtk_widget_set_visible (self->reset_all_button, FALSE);
    }

  for (guint i = 0; i < self->fields->len; i++)
    field_show (g_ptr_array_index (self->fields, i));
}

/* Validation ------------------------------------------------------------ */

static void
set_field_error (Field      *field,
                 const char *message)
{
  if (field->error == NULL)
    field->error = g_strdup (message);
}

static JsonObject *
object_without (JsonObject *object,
                GHashTable *left_out)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (!g_hash_table_contains (left_out, name))
        json_object_set_member (copy, name, json_node_copy (node));
    }
  return copy;
}

static char *
midjourney_problem (JsonObject *params)
{
  g_autoptr(GError) error = NULL;

  if (easel_midjourney_params_validate (params, &error))
    return NULL;
  return g_strdup (error->message);
}

/* Runs Midjourney's validator and finds the rows each problem concerns:
 * those whose value, taken out, makes that problem go away. */
static char *
validate_midjourney (EaselParamForm *self)
{
  g_autoptr(JsonObject) values = easel_param_form_get_values (self);
  g_autoptr(GHashTable) settled = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *unplaced = NULL;
  g_autoptr(GList) names = NULL;

  if (self->image_values != NULL)
    {
      g_autoptr(GList) image_names = json_object_get_members (self->image_values);

      for (const GList *l = image_names; l != NULL; l = l->next)
        {
          if (!json_object_has_member (values, l->data))
            json_object_set_member (values, l->data,
                                    json_node_copy (json_object_get_member (self->image_values, l->data)));
        }
    }

  names = json_object_get_members (values);
  for (guint round = 0; round <= g_list_length (names); round++)
    {
      g_autoptr(JsonObject) remaining = object_without (values, settled);
      g_autofree char *problem = midjourney_problem (remaining);
      g_autoptr(GPtrArray) culprits = g_ptr_array_new ();

      if (problem == NULL)
        break;

      for (const GList *l = names; l != NULL; l = l->next)
        {
          g_autoptr(GHashTable) without = NULL;
          g_autoptr(JsonObject) reduced = NULL;
          g_autofree char *other = NULL;

          if (g_hash_table_contains (settled, l->data))
            continue;
          without = g_hash_table_new (g_str_hash, g_str_equal);
          g_hash_table_add (without, l->data);
          reduced = object_without (remaining, without);
          other = midjourney_problem (reduced);
          if (g_strcmp0 (other, problem) != 0)
            g_ptr_array_add (culprits, l->data);
        }

      if (culprits->len == 0)
        {
          if (unplaced == NULL)
            unplaced = g_steal_pointer (&problem);
          break;
        }

      {
        gboolean placed = FALSE;

        for (guint i = 0; i < culprits->len; i++)
          {
            Field *field = find_field (self, g_ptr_array_index (culprits, i));

            g_hash_table_add (settled, g_ptr_array_index (culprits, i));
            if (field != NULL)
              {
                set_field_error (field, problem);
                placed = TRUE;
              }
          }
        /* A problem of the reference images alone, say. */
        if (!placed && unplaced == NULL)
          unplaced = g_steal_pointer (&problem);
      }
    }

  return g_steal_pointer (&unplaced);
}

static char *
missing_required (EaselParamForm *self)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      for (guint j = 0; j < field->params->len; j++)
        {
          const EaselParam *param = g_ptr_array_index (field->params, j);
          g_autoptr(GError) error = NULL;

          if (param->required && param->default_value == NULL &&
              !json_object_has_member (self->values, param->name) &&
              !easel_param_check (param, NULL, &error))
            return g_strdup (error->message);
        }
    }
  return NULL;
}

static void
revalidate (EaselParamForm *self)
{
  g_autofree char *form_problem = NULL;
  g_autofree char *first = NULL;
  gboolean advanced_error = FALSE;
  gboolean valid;

  for (guint i = 0; i < self->fields->len; i++)
    g_clear_pointer (&((Field *) g_ptr_array_index (self->fields, i))->error, g_free);

  if (is_midjourney (self))
    form_problem = validate_midjourney (self);
  else
    {
      for (guint i = 0; i < self->fields->len; i++)
        {
          Field *field = g_ptr_array_index (self->fields, i);

          for (guint j = 0; j < field->params->len; j++)
            {
              const EaselParam *param = g_ptr_array_index (field->params, j);
              JsonNode *node = json_object_get_member (self->values, param->name);
              g_autoptr(GError) error = NULL;

              if (node != NULL && !easel_param_check (param, node, &error))
                set_field_error (field, error->message);
            }
        }
    }

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      g_autofree char *shown = NULL;

      /* Something the control cannot show that passes the checks (a
       * value of the wrong type that happens to read the same) still
       * must not go out unseen. */
      if (field->error == NULL && !field->shows_value)
        set_field_error (field, _("This value cannot be shown here; change or reset it."));

      if (field->error != NULL && !field->shows_value)
        {
          g_autoptr(GString) given = g_string_new (NULL);

          for (guint j = 0; j < field->params->len; j++)
            {
              const EaselParam *param = g_ptr_array_index (field->params, j);
              JsonNode *node = json_object_get_member (self->values, param->name);
              g_autofree char *text = NULL;

              if (node == NULL)
                continue;
              text = node_to_text (node);
              if (given->len > 0)
                g_string_append (given, ", ");
              if (field->params->len > 1)
                g_string_append_printf (given, "--%s %s", param->name, text);
              else
                g_string_append (given, text);
            }
          /* Translators: a problem, then the value that has it */
          shown = g_strdup_printf (_("%s (given: %s)"), field->error, given->str);
        }

      gtk_label_set_text (GTK_LABEL (field->error_label),
                          shown != NULL ? shown : field->error != NULL ? field->error : "");
      gtk_widget_set_visible (field->error_row, field->error != NULL);
      if (field->error != NULL)
        gtk_widget_add_css_class (field->row, "error");
      else
        gtk_widget_remove_css_class (field->row, "error");

      if (field->error != NULL && first == NULL)
        first = g_strdup (shown != NULL ? shown : field->error);
      advanced_error |= field->error != NULL && field->advanced;
    }

  /* A problem nobody can see is no help. */
  if (advanced_error && self->advanced_row != NULL)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self->advanced_row), TRUE);

  if (first == NULL)
    first = g_steal_pointer (&form_problem);
  if (first == NULL)
    first = missing_required (self);

  valid = first == NULL;
  g_free (self->error);
  self->error = g_steal_pointer (&first);
  if (valid != self->valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }
}

/* GObject --------------------------------------------------------------- */

static void
clear_fields (EaselParamForm *self)
{
  /* Controls may notify while they are torn down. */
  self->updating++;
  if (self->box != NULL)
    adw_bin_set_child (ADW_BIN (self), NULL);
  self->updating--;
  self->box = NULL;
  self->advanced_row = NULL;
  self->reset_all_button = NULL;
  g_ptr_array_set_size (self->fields, 0);
}

static void
easel_param_form_dispose (GObject *object)
{
  EaselParamForm *self = EASEL_PARAM_FORM (object);

  clear_fields (self);

  G_OBJECT_CLASS (easel_param_form_parent_class)->dispose (object);
}

static void
easel_param_form_finalize (GObject *object)
{
  EaselParamForm *self = EASEL_PARAM_FORM (object);

  g_ptr_array_unref (self->fields);
  g_clear_pointer (&self->params, g_ptr_array_unref);
  g_clear_pointer (&self->values, json_object_unref);
  g_clear_pointer (&self->image_values, json_object_unref);
  g_free (self->provider_id);
  g_free (self->error);

  G_OBJECT_CLASS (easel_param_form_parent_class)->finalize (object);
}

static void
easel_param_form_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EaselParamForm *self = EASEL_PARAM_FORM (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_param_form_class_init (EaselParamFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = easel_param_form_dispose;
  object_class->finalize = easel_param_form_finalize;
  object_class->get_property = easel_param_form_get_property;

  /**
   * EaselParamForm:valid:
   *
   * Whether every value is acceptable and every required one is given.
   */
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EaselParamForm::changed:
   *
   * Emitted whenever a value changes, by the user or through the API.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
easel_param_form_init (EaselParamForm *self)
{
  self->fields = g_ptr_array_new_with_free_func (field_free);
  self->values = json_object_new ();
  self->valid = TRUE;
  gtk_widget_add_css_class (GTK_WIDGET (self), "easel-param-form");
}

/**
 * easel_param_form_new:
 *
 * Returns: (transfer floating): a new, empty parameter form
 */
GtkWidget *
easel_param_form_new (void)
{
  return g_object_new (EASEL_TYPE_PARAM_FORM, NULL);
}

/**
 * easel_param_form_set_params:
 * @self: a parameter form
 * @provider_id: (nullable): the provider the parameters are for, such as
 *   "midjourney" or "replicate"; Midjourney gets its own layout and
 *   combination rules
 * @params: (nullable) (transfer none) (element-type EaselParam): the
 *   parameters, as easel_provider_describe_params_finish() gives them, or
 *   %NULL for none
 *
 * Rebuilds the form for @params with every value at its default. Required
 * parameters come first; rarely used ones go under "Advanced".
 */
void
easel_param_form_set_params (EaselParamForm *self,
                             const char     *provider_id,
                             GPtrArray      *params)
{
  gboolean had_values;

  g_return_if_fail (EASEL_IS_PARAM_FORM (self));

  clear_fields (self);
  g_clear_pointer (&self->params, g_ptr_array_unref);
  g_free (self->provider_id);
  self->provider_id = g_strdup (provider_id);

  self->params = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_param_free);
  for (guint i = 0; params != NULL && i < params->len; i++)
    {
      EaselParam *copy = easel_param_copy (g_ptr_array_index (params, i));

      /* Ties in order keep the given order (see compare_required_first). */
      copy->order = (int) i;
      g_ptr_array_add (self->params, copy);
      /* The title goes into easel_param_check()'s messages too. */
      if (g_strcmp0 (copy->title, copy->name) == 0)
        {
          char *title = field_title (self, copy);

          g_free (copy->title);
          copy->title = title;
        }
    }

  had_values = json_object_get_size (self->values) > 0;
  g_clear_pointer (&self->values, json_object_unref);
  self->values = json_object_new ();

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  adw_bin_set_child (ADW_BIN (self), self->box);
  build (self);
  revalidate (self);

  if (had_values)
    g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * easel_param_form_get_values:
 * @self: a parameter form
 *
 * Returns: (transfer full): the values set, name → value; values equal to
 *   their default are left out, since sending them changes nothing
 */
JsonObject *
easel_param_form_get_values (EaselParamForm *self)
{
  JsonObject *out;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_return_val_if_fail (EASEL_IS_PARAM_FORM (self), NULL);

  out = json_object_new ();
  json_object_iter_init (&iter, self->values);
  while (json_object_iter_next (&iter, &name, &node))
    {
      const EaselParam *param = find_param (self, name);

      if (param != NULL && is_default (param, node))
        continue;
      json_object_set_member (out, name, json_node_copy (node));
    }
  return out;
}

/**
 * easel_param_form_set_values:
 * @self: a parameter form
 * @values: (nullable): values, name → value, such as saved settings or
 *   easel_midjourney_parse_prompt()'s parameters
 *
 * Sets the form to @values, every other parameter to its default. Names
 * the form does not show are ignored. A value no control can show, or one
 * that is not acceptable, is kept as it is and its row marked invalid: it
 * is never dropped silently.
 */
void
easel_param_form_set_values (EaselParamForm *self,
                             JsonObject     *values)
{
  g_autoptr(JsonObject) before = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_return_if_fail (EASEL_IS_PARAM_FORM (self));

  before = self->values;
  self->values = json_object_new ();

  if (values != NULL)
    {
      json_object_iter_init (&iter, values);
      while (json_object_iter_next (&iter, &name, &node))
        {
          if (find_field (self, name) != NULL)
            json_object_set_member (self->values, name, json_node_copy (node));
        }
    }

  for (guint i = 0; i < self->fields->len; i++)
    field_show (g_ptr_array_index (self->fields, i));

  update_reset_buttons (self);
  revalidate (self);
  if (!json_object_equal (before, self->values))
    g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * easel_param_form_set_image_values:
 * @self: a parameter form
 * @values: (nullable): the values of the image parameters, which the
 *   editor's reference tray holds (Midjourney: `sref`, `cref`, `oref`,
 *   `end`)
 *
 * Tells the form what the image parameters are set to, so that the rules
 * between parameters take them into account: Midjourney's --ow needs
 * --oref, --cw needs --cref. They are neither shown nor returned by
 * easel_param_form_get_values().
 */
void
easel_param_form_set_image_values (EaselParamForm *self,
                                   JsonObject     *values)
{
  g_return_if_fail (EASEL_IS_PARAM_FORM (self));

  g_clear_pointer (&self->image_values, json_object_unref);
  if (values != NULL)
    self->image_values = json_object_ref (values);
  revalidate (self);
}

/**
 * easel_param_form_reset:
 * @self: a parameter form
 *
 * Sets every parameter back to its default.
 */
void
easel_param_form_reset (EaselParamForm *self)
{
  g_return_if_fail (EASEL_IS_PARAM_FORM (self));

  easel_param_form_set_values (self, NULL);
}

/**
 * easel_param_form_is_valid:
 * @self: a parameter form
 *
 * Returns: whether the values may be sent, see #EaselParamForm:valid
 */
gboolean
easel_param_form_is_valid (EaselParamForm *self)
{
  g_return_val_if_fail (EASEL_IS_PARAM_FORM (self), FALSE);

  return self->valid;
}

/**
 * easel_param_form_get_error:
 * @self: a parameter form
 *
 * Returns: (transfer full) (nullable): the first problem, in the order of
 *   the rows, for a tooltip on the disabled submit button; %NULL when the
 *   form is valid
 */
char *
easel_param_form_get_error (EaselParamForm *self)
{
  g_return_val_if_fail (EASEL_IS_PARAM_FORM (self), NULL);

  return g_strdup (self->error);
}
