/* test-param-form.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The parameter form: Replicate schemas served by the emulator and
 * Midjourney's table, both through the real describe_params path, mapped
 * to rows; values in and out; invalid values marked on their rows; every
 * Midjourney range and combination rule of providers.md §2 through the
 * form; keyboard reach; screenshots to $EASEL_TEST_SCREENSHOT_DIR. */

#include "config.h"

#include <adwaita.h>

#include "easel-emulator.h"
#include "easel-param-form.h"
#include "easel-param.h"
#include "easel-provider-registry.h"
#include "easel-test-json.h"
#include "easel-test-util.h"

#define REPLICATE_TOKEN "r8_formtest0001"
#define USEAPI_TOKEN "user:4242-formtest0002"

static EaselEmulator *emulator;

/* Helpers ---------------------------------------------------------------- */

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
has_result (gpointer user_data)
{
  return ((Wait *) user_data)->result != NULL;
}

/* The parameters as the editor gets them: from the provider, which fetches
 * Replicate's schema from the emulator. */
static GPtrArray *
describe (const char *provider_id,
          const char *model)
{
  g_autofree char *origin = easel_emulator_dup_origin (emulator);
  gboolean replicate = g_str_equal (provider_id, "replicate");
  g_autofree char *url = g_strconcat (origin, replicate ? "/v1" : "/v3/midjourney", NULL);
  g_autoptr(EaselProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *params;
  Wait wait = { NULL };

  provider = easel_provider_registry_create (provider_id, url,
                                             replicate ? REPLICATE_TOKEN : USEAPI_TOKEN, &error);
  g_assert_no_error (error);
  easel_provider_describe_params_async (provider, model, NULL, result_cb, &wait);
  g_assert_true (easel_test_spin_until (has_result, &wait, 10000));
  params = easel_provider_describe_params_finish (provider, wait.result, &error);
  g_assert_no_error (error);
  g_object_unref (wait.result);
  g_object_run_dispose (G_OBJECT (provider));
  return params;
}

static EaselParamForm *
new_form (const char *provider_id,
          const char *model)
{
  g_autoptr(GPtrArray) params = describe (provider_id, model);
  EaselParamForm *form = EASEL_PARAM_FORM (easel_param_form_new ());

  g_object_ref_sink (form);
  easel_param_form_set_params (form, provider_id, params);
  return form;
}

static void
free_form (EaselParamForm *form)
{
  g_assert_finalize_object (form);
}

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (root) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
row (EaselParamForm *form,
     const char     *title)
{
  GtkWidget *found = find_row (GTK_WIDGET (form), title);

  if (found == NULL)
    g_error ("no row titled “%s”", title);
  return found;
}

static GtkWidget *
control (EaselParamForm *form,
         const char     *title,
         GType           type)
{
  GtkWidget *found = find_type (row (form, title), type);

  if (found == NULL)
    g_error ("row “%s” has no %s", title, g_type_name (type));
  return found;
}

/* The message shown under a row, or NULL. */
static const char *
row_error (EaselParamForm *form,
           const char     *title)
{
  GtkWidget *field = row (form, title);

  for (GtkWidget *next = gtk_widget_get_next_sibling (field); next != NULL;
       next = gtk_widget_get_next_sibling (next))
    {
      if (gtk_widget_has_css_class (next, "easel-param-error"))
        {
          g_assert_cmpint (gtk_widget_get_visible (next), ==, gtk_widget_has_css_class (field, "error"));
          if (!gtk_widget_get_visible (next))
            return NULL;
          return gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (next))));
        }
    }
  g_error ("row “%s” has no error row", title);
}

static JsonObject *
json_object (const char *text)
{
  g_autoptr(JsonNode) node = easel_test_json (text);

  return json_object_ref (json_node_get_object (node));
}

static void
assert_values (EaselParamForm *form,
               const char     *expected)
{
  g_autoptr(JsonObject) values = easel_param_form_get_values (form);
  g_autoptr(JsonObject) wanted = json_object (expected);

  if (!json_object_equal (values, wanted))
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), values);
      g_autofree char *text = json_to_string (node, FALSE);

      g_error ("values are %s, expected %s", text, expected);
    }
}

static void
count_cb (EaselParamForm *form,
          guint          *count)
{
  (*count)++;
}

static void
count_notify_cb (EaselParamForm *form,
                 GParamSpec     *pspec,
                 guint          *count)
{
  (*count)++;
}

static GtkWindow *
present (EaselParamForm *form,
         int             height)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  easel_test_load_style (FALSE);
  g_object_ref (window);
  gtk_widget_set_margin_start (GTK_WIDGET (form), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (form), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (form), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (form), 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (form));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_add_css_class (scrolled, "easel-side-pane");
  gtk_window_set_child (window, scrolled);
  gtk_window_set_default_size (window, 400, height);
  gtk_window_present (window);
  easel_test_wait_painted (GTK_WIDGET (form));
  return window;
}

static void
close_window (GtkWindow *window)
{
  gtk_window_destroy (window);
  g_assert_finalize_object (window);
}

/* Replicate -------------------------------------------------------------- */

/* The emulator's test model has one input of every kind. */
static void
test_replicate_mapping (void)
{
  EaselParamForm *form = new_form ("replicate", "easel-tests/every-input");
  GtkWidget *first_row, *spin;
  GtkAdjustment *adjustment;
  g_autofree char *error = NULL;

  /* Prompts are the editor's own, images the reference tray's. */
  g_assert_null (find_row (GTK_WIDGET (form), "Prompt"));
  g_assert_null (find_row (GTK_WIDGET (form), "Negative Prompt"));
  g_assert_null (find_row (GTK_WIDGET (form), "Image"));

  /* Required first, though the schema lists it last. */
  first_row = find_type (GTK_WIDGET (form), ADW_TYPE_PREFERENCES_ROW);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first_row)), ==, "Variant");
  g_assert_true (ADW_IS_ENTRY_ROW (first_row));

  /* enum → drop-down, its default selected; the enum has no title of its
   * own, so its name is made readable. */
  g_assert_true (ADW_IS_COMBO_ROW (row (form, "Style")));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row (form, "Style"))), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (row (form, "Style")))), ==, 3);

  /* integer with bounds → spin button with those bounds, at the default */
  spin = control (form, "Steps", GTK_TYPE_SPIN_BUTTON);
  adjustment = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (spin));
  g_assert_cmpfloat (gtk_adjustment_get_lower (adjustment), ==, 1);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), ==, 50);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 20);
  g_assert_cmpuint (gtk_spin_button_get_digits (GTK_SPIN_BUTTON (spin)), ==, 0);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row (form, "Steps"))), ==,
                   "Number of denoising steps");

  /* number with bounds → spin button with decimals */
  spin = control (form, "Strength", GTK_TYPE_SPIN_BUTTON);
  adjustment = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (spin));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), ==, 1);
  g_assert_cmpuint (gtk_spin_button_get_digits (GTK_SPIN_BUTTON (spin)), >, 0);

  /* integer without bounds → a wide spin button, empty until set */
  spin = control (form, "Seed", GTK_TYPE_SPIN_BUTTON);
  adjustment = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (spin));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >=, 4294967295.0);
  g_assert_cmpfloat (gtk_adjustment_get_lower (adjustment), <, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "");

  /* boolean → switch; string → entry; unknown types → entry */
  g_assert_nonnull (control (form, "Upscale", GTK_TYPE_SWITCH));
  g_assert_true (ADW_IS_ENTRY_ROW (row (form, "Caption")));
  g_assert_true (ADW_IS_ENTRY_ROW (row (form, "Tags")));
  g_assert_true (ADW_IS_ENTRY_ROW (row (form, "Extra")));

  /* Rarely used ones go under "Advanced". */
  g_assert_true (ADW_IS_EXPANDER_ROW (gtk_widget_get_ancestor (row (form, "Seed"), ADW_TYPE_EXPANDER_ROW)));
  g_assert_null (gtk_widget_get_ancestor (row (form, "Steps"), ADW_TYPE_EXPANDER_ROW));

  /* The required input is missing: not valid, but nothing is red yet. */
  g_assert_false (easel_param_form_is_valid (form));
  error = easel_param_form_get_error (form);
  g_assert_nonnull (strstr (error, "Variant"));
  g_assert_null (row_error (form, "Variant"));

  gtk_editable_set_text (GTK_EDITABLE (row (form, "Variant")), "turbo");
  g_assert_true (easel_param_form_is_valid (form));
  g_clear_pointer (&error, g_free);
  g_assert_null ((error = easel_param_form_get_error (form)));
  assert_values (form, "{\"variant\": \"turbo\"}");

  /* The unknown types read JSON, and text that is not JSON as text. */
  gtk_editable_set_text (GTK_EDITABLE (row (form, "Tags")), "[\"fox\", \"rain\"]");
  gtk_editable_set_text (GTK_EDITABLE (row (form, "Extra")), "not json");
  assert_values (form, "{\"variant\": \"turbo\", \"tags\": [\"fox\", \"rain\"], \"extra\": \"not json\"}");

  free_form (form);
}

/* Every EaselParamType, and a type the form has never heard of. */
static void
test_types (void)
{
  static const struct {
    EaselParamType  type;
    GType         (*row_type) (void);
    GType         (*control_type) (void);
  } cases[] = {
    { EASEL_PARAM_STRING, adw_entry_row_get_type, NULL },
    { EASEL_PARAM_TEXT, adw_preferences_row_get_type, gtk_text_view_get_type },
    { EASEL_PARAM_INTEGER, adw_action_row_get_type, gtk_spin_button_get_type },
    { EASEL_PARAM_NUMBER, adw_action_row_get_type, gtk_spin_button_get_type },
    { EASEL_PARAM_BOOLEAN, adw_action_row_get_type, gtk_switch_get_type },
    { EASEL_PARAM_ENUM, adw_combo_row_get_type, NULL },
    { EASEL_PARAM_IMAGE, NULL, NULL },
    { EASEL_PARAM_ASPECT_RATIO, adw_combo_row_get_type, NULL },
    { EASEL_PARAM_JSON, adw_entry_row_get_type, NULL },
    { (EaselParamType) 99, adw_entry_row_get_type, NULL },
  };
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_param_free);
  EaselParamForm *form = EASEL_PARAM_FORM (g_object_ref_sink (easel_param_form_new ()));
  g_autoptr(JsonObject) values = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("p%u", i);
      EaselParam *param = easel_param_new (name, cases[i].type);

      if (cases[i].type == EASEL_PARAM_ENUM)
        param->choices = g_strsplit ("a b c", " ", -1);
      g_ptr_array_add (params, param);
    }
  easel_param_form_set_params (form, "replicate", params);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *title = g_strdup_printf ("P%u", i);
      GtkWidget *found = find_row (GTK_WIDGET (form), title);

      if (cases[i].row_type == NULL)
        {
          g_assert_null (found);
          continue;
        }
      g_assert_nonnull (found);
      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (found, cases[i].row_type ()));
      if (cases[i].control_type != NULL)
        g_assert_nonnull (find_type (found, cases[i].control_type ()));
    }

  /* The ratio row offers presets, and a custom W:H row once asked. */
  {
    AdwComboRow *ratio = ADW_COMBO_ROW (row (form, "P7"));
    GtkWidget *custom = row (form, "Custom Ratio");
    GListModel *model = adw_combo_row_get_model (ratio);
    g_autofree char *last = NULL;
    g_autoptr(GtkStringObject) item = NULL;
    GtkWidget *width;

    g_assert_cmpuint (g_list_model_get_n_items (model), >=, 9);
    item = g_list_model_get_item (model, g_list_model_get_n_items (model) - 1);
    g_assert_cmpstr (gtk_string_object_get_string (item), ==, "Custom");
    g_assert_false (gtk_widget_get_visible (custom));
    adw_combo_row_set_selected (ratio, g_list_model_get_n_items (model) - 1);
    g_assert_true (gtk_widget_get_visible (custom));
    width = find_type (custom, GTK_TYPE_SPIN_BUTTON);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (width), 7);
    assert_values (form, "{\"p7\": \"7:1\"}");
    /* Without a default, the first item sends nothing. */
    adw_combo_row_set_selected (ratio, 0);
    assert_values (form, "{}");
    adw_combo_row_set_selected (ratio, 4);
    assert_values (form, "{\"p7\": \"16:9\"}");
  }

  /* A value for each through the API comes back the same. */
  values = json_object ("{\"p0\": \"line\", \"p1\": \"two\\nlines\", \"p2\": -7, \"p3\": 2.5,"
                        " \"p4\": true, \"p5\": \"b\", \"p7\": \"5:7\", \"p8\": {\"k\": [1, 2]},"
                        " \"p9\": \"x\", \"p6\": \"https://example.org/a.png\", \"unknown\": 1}");
  easel_param_form_set_values (form, values);
  assert_values (form, "{\"p0\": \"line\", \"p1\": \"two\\nlines\", \"p2\": -7, \"p3\": 2.5,"
                       " \"p4\": true, \"p5\": \"b\", \"p7\": \"5:7\", \"p8\": {\"k\": [1, 2]},"
                       " \"p9\": \"x\"}");
  g_assert_true (easel_param_form_is_valid (form));
  g_assert_true (gtk_widget_get_visible (row (form, "Custom Ratio")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (form, "P8"))), ==, "{\"k\":[1,2]}");

  /* A string that reads as JSON stays a string. */
  values = (json_object_unref (values), json_object ("{\"p8\": \"5\"}"));
  easel_param_form_set_values (form, values);
  assert_values (form, "{\"p8\": \"5\"}");

  easel_param_form_reset (form);
  assert_values (form, "{}");

  free_form (form);
}

static void
test_round_trip (void)
{
  EaselParamForm *form = new_form ("replicate", "black-forest-labs/flux-dev");
  g_autoptr(JsonObject) values = NULL;
  guint changes = 0;

  g_signal_connect (form, "changed", G_CALLBACK (count_cb), &changes);

  values = json_object ("{\"aspect_ratio\": \"16:9\", \"num_outputs\": 3, \"guidance\": 4.5,"
                        " \"go_fast\": false, \"seed\": 42, \"output_format\": \"png\"}");
  easel_param_form_set_values (form, values);
  assert_values (form, "{\"aspect_ratio\": \"16:9\", \"num_outputs\": 3, \"guidance\": 4.5,"
                       " \"go_fast\": false, \"seed\": 42, \"output_format\": \"png\"}");
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row (form, "Aspect ratio"))), ==, 1);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (control (form, "Guidance", GTK_TYPE_SPIN_BUTTON))), ==, 4.5);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (control (form, "Go Fast", GTK_TYPE_SWITCH))));

  /* Defaults are not reported, whether set through the API or by hand. */
  json_object_unref (values);
  values = json_object ("{\"aspect_ratio\": \"1:1\", \"num_outputs\": 1, \"go_fast\": true,"
                        " \"guidance\": 3.0, \"output_quality\": 80}");
  easel_param_form_set_values (form, values);
  assert_values (form, "{}");
  g_assert_cmpuint (changes, ==, 2);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control (form, "Num Outputs", GTK_TYPE_SPIN_BUTTON)), 2);
  assert_values (form, "{\"num_outputs\": 2}");
  g_assert_cmpuint (changes, ==, 3);
  g_assert_true (gtk_widget_get_visible (find_type (row (form, "Num Outputs"), GTK_TYPE_BUTTON)));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control (form, "Num Outputs", GTK_TYPE_SPIN_BUTTON)), 1);
  assert_values (form, "{}");

  /* The per-row reset. */
  gtk_switch_set_active (GTK_SWITCH (control (form, "Go Fast", GTK_TYPE_SWITCH)), FALSE);
  assert_values (form, "{\"go_fast\": false}");
  {
    GtkWidget *reset = find_type (row (form, "Go Fast"), GTK_TYPE_BUTTON);

    g_assert_true (gtk_widget_get_visible (reset));
    g_signal_emit_by_name (reset, "clicked");
  }
  assert_values (form, "{}");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (control (form, "Go Fast", GTK_TYPE_SWITCH))));

  /* Typing into a spin button: a value in range is taken as typed. */
  {
    GtkSpinButton *seed = GTK_SPIN_BUTTON (control (form, "Seed", GTK_TYPE_SPIN_BUTTON));

    gtk_editable_set_text (GTK_EDITABLE (seed), "0");
    gtk_spin_button_update (seed);
    assert_values (form, "{\"seed\": 0}");
    gtk_editable_set_text (GTK_EDITABLE (seed), "");
    gtk_spin_button_update (seed);
    assert_values (form, "{}");
  }

  free_form (form);
}

static void
test_invalid (void)
{
  EaselParamForm *form = new_form ("replicate", "black-forest-labs/flux-dev");
  g_autoptr(JsonObject) values = NULL;
  g_autofree char *error = NULL;
  GtkSpinButton *steps;
  guint notifies = 0;

  g_signal_connect (form, "notify::valid", G_CALLBACK (count_notify_cb), &notifies);

  /* Out of range, not a choice, the wrong type: kept, and marked. */
  values = json_object ("{\"num_outputs\": 9, \"output_format\": \"gif\", \"guidance\": \"high\"}");
  easel_param_form_set_values (form, values);
  g_assert_false (easel_param_form_is_valid (form));
  g_assert_cmpuint (notifies, ==, 1);
  assert_values (form, "{\"num_outputs\": 9, \"output_format\": \"gif\", \"guidance\": \"high\"}");

  g_assert_cmpstr (row_error (form, "Num Outputs"), ==, "“Num Outputs”: must be from 1 to 4");
  g_assert_true (gtk_widget_has_css_class (row (form, "Num Outputs"), "error"));
  /* The spin button shows what was given, not a clamped number. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (control (form, "Num Outputs", GTK_TYPE_SPIN_BUTTON))), ==, "9");
  /* The drop-down cannot show "gif": the message says what it was. */
  g_assert_cmpstr (row_error (form, "Output format"), ==,
                   "“Output format”: must be one of webp, jpg, png (given: gif)");
  g_assert_cmpstr (row_error (form, "Guidance"), ==, "“Guidance”: must be a number");
  error = easel_param_form_get_error (form);
  g_assert_cmpstr (error, ==, "“Num Outputs”: must be from 1 to 4");

  /* Fixing them one by one. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control (form, "Num Outputs", GTK_TYPE_SPIN_BUTTON)), 4);
  g_assert_null (row_error (form, "Num Outputs"));
  g_assert_false (gtk_widget_has_css_class (row (form, "Num Outputs"), "error"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (form, "Output format")), 2);
  gtk_editable_set_text (GTK_EDITABLE (control (form, "Guidance", GTK_TYPE_SPIN_BUTTON)), "5");
  gtk_spin_button_update (GTK_SPIN_BUTTON (control (form, "Guidance", GTK_TYPE_SPIN_BUTTON)));
  g_assert_true (easel_param_form_is_valid (form));
  g_assert_cmpuint (notifies, ==, 2);
  assert_values (form, "{\"num_outputs\": 4, \"output_format\": \"png\", \"guidance\": 5.0}");

  /* Typed out of range or not whole: shown as typed, and refused. */
  steps = GTK_SPIN_BUTTON (control (form, "Num Inference Steps", GTK_TYPE_SPIN_BUTTON));
  gtk_editable_set_text (GTK_EDITABLE (steps), "80");
  gtk_spin_button_update (steps);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (steps)), ==, "80");
  g_assert_cmpstr (row_error (form, "Num Inference Steps"), ==, "“Num Inference Steps”: must be from 1 to 50");
  g_assert_false (easel_param_form_is_valid (form));
  gtk_editable_set_text (GTK_EDITABLE (steps), "12.5");
  gtk_spin_button_update (steps);
  g_assert_cmpstr (row_error (form, "Num Inference Steps"), ==, "“Num Inference Steps”: must be a whole number");
  gtk_editable_set_text (GTK_EDITABLE (steps), "12");
  gtk_spin_button_update (steps);
  g_assert_null (row_error (form, "Num Inference Steps"));
  g_assert_true (easel_param_form_is_valid (form));

  /* An invalid value under "Advanced" opens it, so its message is seen. */
  json_object_unref (values);
  values = json_object ("{\"output_quality\": 101}");
  easel_param_form_set_values (form, values);
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (gtk_widget_get_ancestor (row (form, "Output Quality"),
                                                                                             ADW_TYPE_EXPANDER_ROW))));
  g_assert_nonnull (row_error (form, "Output Quality"));

  free_form (form);
}

/* Midjourney ------------------------------------------------------------- */

static void
test_midjourney_layout (void)
{
  EaselParamForm *form = new_form ("midjourney", "midjourney");
  GListModel *model;
  g_autoptr(GtkStringObject) item = NULL;

  /* Version and Niji are one drop-down, the speeds another. */
  model = adw_combo_row_get_model (ADW_COMBO_ROW (row (form, "Model Version")));
  item = g_list_model_get_item (model, 0);
  g_assert_cmpstr (gtk_string_object_get_string (item), ==, "Account Setting");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1 + 12 + 4);
  model = adw_combo_row_get_model (ADW_COMBO_ROW (row (form, "Speed")));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);

  g_assert_true (ADW_IS_COMBO_ROW (row (form, "Aspect Ratio")));
  g_assert_nonnull (control (form, "Raw Style", GTK_TYPE_SWITCH));
  g_assert_true (ADW_IS_ENTRY_ROW (row (form, "Leave Out")));
  g_assert_nonnull (control (form, "Video", GTK_TYPE_SWITCH));
  g_assert_true (ADW_IS_COMBO_ROW (row (form, "Motion")));
  g_assert_nonnull (control (form, "Chaos", GTK_TYPE_SPIN_BUTTON));
  g_assert_true (ADW_IS_COMBO_ROW (row (form, "Quality")));
  /* Image parameters belong to the reference tray. */
  g_assert_null (find_row (GTK_WIDGET (form), "--sref"));
  g_assert_null (find_row (GTK_WIDGET (form), "--oref"));
  /* The help says how the parameter is written. */
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row (form, "Chaos"))), "--chaos · "));
  /* Rare ones are under "Advanced". */
  g_assert_nonnull (gtk_widget_get_ancestor (row (form, "Tile"), ADW_TYPE_EXPANDER_ROW));
  g_assert_nonnull (gtk_widget_get_ancestor (row (form, "Seed"), ADW_TYPE_EXPANDER_ROW));
  g_assert_null (gtk_widget_get_ancestor (row (form, "Chaos"), ADW_TYPE_EXPANDER_ROW));

  /* The controls write Midjourney's values. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (form, "Model Version")), 3);   /* Version 7 */
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (form, "Speed")), 3);           /* Turbo */
  gtk_switch_set_active (GTK_SWITCH (control (form, "Raw Style", GTK_TYPE_SWITCH)), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row (form, "Leave Out")), "cats, dogs");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control (form, "Chaos", GTK_TYPE_SPIN_BUTTON)), 30);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (form, "Aspect Ratio")), 3);    /* 16:9 */
  assert_values (form, "{\"version\": \"7\", \"turbo\": true, \"style\": \"raw\", \"no\": \"cats, dogs\","
                       " \"chaos\": 30, \"ar\": \"16:9\"}");
  g_assert_true (easel_param_form_is_valid (form));

  /* Niji from the same drop-down replaces the version. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (form, "Model Version")), 14);   /* Niji 6 */
  assert_values (form, "{\"niji\": \"6\", \"turbo\": true, \"style\": \"raw\", \"no\": \"cats, dogs\","
                       " \"chaos\": 30, \"ar\": \"16:9\"}");

  /* Parsed prompts give numbers and other style words: shown and kept. */
  {
    g_autoptr(JsonObject) values = json_object ("{\"version\": 6.1, \"style\": \"cute\", \"quality\": 2.0}");

    easel_param_form_set_values (form, values);
    assert_values (form, "{\"version\": 6.1, \"style\": \"cute\", \"quality\": 2.0}");
    g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row (form, "Model Version"))), ==, 4);
    g_assert_true (gtk_switch_get_active (GTK_SWITCH (control (form, "Raw Style", GTK_TYPE_SWITCH))));
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row (form, "Raw Style"))), ==, "--style cute");
  }

  /* Defaults are not reported. */
  {
    g_autoptr(JsonObject) values = json_object ("{\"chaos\": 0, \"stylize\": 100, \"quality\": \"1\","
                                                " \"ar\": \"1:1\", \"iw\": 1.0, \"tile\": false}");

    easel_param_form_set_values (form, values);
    assert_values (form, "{}");
    g_assert_true (easel_param_form_is_valid (form));
  }

  free_form (form);
}

typedef struct
{
  const char *values;
  const char *images;        /* the reference tray's, or NULL */
  const char *rows[3];       /* the rows marked, NULL-terminated; none: valid */
  const char *message;       /* part of the message shown */
} RuleCase;

/* providers.md §2, row by row, then the rules between parameters. */
static const RuleCase rule_cases[] = {
  /* --ar: whole numbers only */
  { "{\"ar\": \"139:100\"}", NULL, { NULL } },
  { "{\"ar\": \"1.39:1\"}", NULL, { "Aspect Ratio" }, "width:height" },
  /* --chaos 0–100 */
  { "{\"chaos\": 100}", NULL, { NULL } },
  { "{\"chaos\": 101}", NULL, { "Chaos" }, "from 0 to 100" },
  { "{\"chaos\": -1}", NULL, { "Chaos" }, "from 0 to 100" },
  /* --stylize 0–1000 */
  { "{\"stylize\": 1000}", NULL, { NULL } },
  { "{\"stylize\": 1001}", NULL, { "Stylize" }, "from 0 to 1000" },
  /* --weird 0–3000, V5+ and Niji 5/6 */
  { "{\"weird\": 3000}", NULL, { NULL } },
  { "{\"weird\": 3001}", NULL, { "Weird" }, "from 0 to 3000" },
  { "{\"weird\": 10, \"version\": \"4\"}", NULL, { "Weird", "Model Version" }, "--weird is not available with --version 4" },
  { "{\"weird\": 10, \"niji\": \"5\"}", NULL, { NULL } },
  /* --version and --niji: the documented values, not both */
  { "{\"version\": \"5.2\"}", NULL, { NULL } },
  { "{\"version\": 9}", NULL, { "Model Version" }, "use one of" },
  { "{\"niji\": 3}", NULL, { "Model Version" }, "use one of" },
  { "{\"version\": \"6\", \"niji\": \"6\"}", NULL, { "Model Version" }, "cannot be used together" },
  /* --quality by version */
  { "{\"quality\": 3}", NULL, { "Quality" }, "use one of" },
  { "{\"quality\": \"2\", \"version\": \"6.1\"}", NULL, { NULL } },
  { "{\"quality\": \"2\", \"version\": \"6\"}", NULL, { "Quality", "Model Version" }, "0.25, 0.5, 1" },
  { "{\"quality\": \"2\", \"version\": \"5.2\"}", NULL, { "Quality", "Model Version" }, "0.25, 0.5, 1" },
  { "{\"quality\": \"0.5\", \"niji\": \"5\"}", NULL, { NULL } },
  { "{\"quality\": \"4\", \"version\": \"7\"}", NULL, { NULL } },
  { "{\"quality\": \"0.5\", \"version\": \"7\"}", NULL, { "Quality", "Model Version" }, "1, 2, 4" },
  { "{\"quality\": \"4\", \"version\": \"7\"}", "{\"oref\": \"https://example.org/me.png\"}",
    { "Quality" }, "cannot be used together" },
  /* --stop 10–100 */
  { "{\"stop\": 10}", NULL, { NULL } },
  { "{\"stop\": 9}", NULL, { "Stop" }, "from 10 to 100" },
  /* --tile: not V4 */
  { "{\"tile\": true, \"version\": \"6\"}", NULL, { NULL } },
  { "{\"tile\": true, \"version\": \"4\"}", NULL, { "Tile", "Model Version" }, "not available" },
  /* --seed 0–4294967295 */
  { "{\"seed\": 4294967295}", NULL, { NULL } },
  { "{\"seed\": 4294967296}", NULL, { "Seed" }, "from 0 to 4294967295" },
  { "{\"seed\": 1.5}", NULL, { "Seed" }, "whole number" },
  /* --no */
  { "{\"no\": \"cats, dogs\"}", NULL, { NULL } },
  { "{\"no\": \"cats --ar 2:1\"}", NULL, { "Leave Out" }, "another parameter" },
  /* --iw: 0–3, 0–2 for V4 and Niji 5/6 */
  { "{\"iw\": 3}", NULL, { NULL } },
  { "{\"iw\": 3.5}", NULL, { "Image Weight" }, "from 0 to 3" },
  { "{\"iw\": 2.5, \"version\": \"4\"}", NULL, { "Image Weight", "Model Version" }, "from 0 to 2" },
  { "{\"iw\": 2.5, \"niji\": \"6\"}", NULL, { "Image Weight", "Model Version" }, "from 0 to 2" },
  /* --sw 0–1000, V6+ */
  { "{\"sw\": 1001}", NULL, { "Style Weight" }, "from 0 to 1000" },
  { "{\"sw\": 10, \"version\": \"5\"}", NULL, { "Style Weight", "Model Version" }, "not available" },
  /* --sv: 1–4 for V6, up to 6 for V7 */
  { "{\"sv\": 6, \"version\": \"7\"}", NULL, { NULL } },
  { "{\"sv\": 5, \"version\": \"6\"}", NULL, { "Style Reference Version", "Model Version" }, "from 1 to 4" },
  { "{\"sv\": 7}", NULL, { "Style Reference Version" }, "from 1 to 6" },
  /* --cw 0–100 needs --cref, V6 only */
  { "{\"cw\": 50}", NULL, { "Character Weight" }, "only works together with --cref" },
  { "{\"cw\": 50}", "{\"cref\": \"https://example.org/c.png\"}", { NULL } },
  { "{\"cw\": 101}", "{\"cref\": \"https://example.org/c.png\"}", { "Character Weight" }, "from 0 to 100" },
  { "{\"cw\": 50, \"version\": \"7\"}", "{\"cref\": \"https://example.org/c.png\"}",
    { "Character Weight", "Model Version" }, "not available" },
  /* --ow 1–1000 needs --oref, V7 only */
  { "{\"ow\": 500}", NULL, { "Omni-Reference Weight" }, "only works together with --oref" },
  { "{\"ow\": 500, \"version\": \"7\"}", "{\"oref\": \"https://example.org/me.png\"}", { NULL } },
  { "{\"ow\": 0}", "{\"oref\": \"https://example.org/me.png\"}", { "Omni-Reference Weight" }, "from 1 to 1000" },
  { "{\"version\": \"6\"}", "{\"oref\": \"https://example.org/me.png\"}", { "Model Version" }, "--oref is not available" },
  /* --style: raw from V5.1 */
  { "{\"style\": \"raw\", \"version\": \"5.1\"}", NULL, { NULL } },
  { "{\"style\": \"raw\", \"version\": \"5\"}", NULL, { "Raw Style", "Model Version" }, "not available" },
  /* --exp 0–100, --draft, --raw: V7 */
  { "{\"exp\": 100, \"version\": \"7\"}", NULL, { NULL } },
  { "{\"exp\": 101}", NULL, { "Experimental Aesthetics" }, "from 0 to 100" },
  { "{\"exp\": 10, \"version\": \"6.1\"}", NULL, { "Experimental Aesthetics", "Model Version" }, "not available" },
  { "{\"draft\": true, \"version\": \"6\"}", NULL, { "Draft Mode", "Model Version" }, "not available" },
  { "{\"raw\": true, \"version\": \"6\"}", NULL, { "Raw", "Model Version" }, "not available" },
  /* speeds: one at a time; --repeat 2–40 in Fast and Turbo only */
  { "{\"relax\": true, \"fast\": true}", NULL, { "Speed" }, "cannot be used together" },
  { "{\"fast\": true, \"turbo\": true}", NULL, { "Speed" }, "cannot be used together" },
  { "{\"repeat\": 40, \"fast\": true}", NULL, { NULL } },
  { "{\"repeat\": 41}", NULL, { "Repeat" }, "from 2 to 40" },
  { "{\"repeat\": 1}", NULL, { "Repeat" }, "from 2 to 40" },
  { "{\"repeat\": 4, \"relax\": true}", NULL, { "Repeat", "Speed" }, "cannot be used together" },
  /* --stealth and --public */
  { "{\"stealth\": true, \"public\": true}", NULL, { "Stealth", "Public" }, "cannot be used together" },
  /* video: --motion low/high, --loop, --bs 1/2/4, all need --video */
  { "{\"video\": true, \"motion\": \"high\", \"loop\": true, \"bs\": \"4\"}", NULL, { NULL } },
  { "{\"motion\": \"high\"}", NULL, { "Motion" }, "only works together with --video" },
  { "{\"video\": true, \"motion\": \"medium\"}", NULL, { "Motion" }, "low, high" },
  { "{\"loop\": true}", NULL, { "Loop" }, "only works together with --video" },
  { "{\"video\": true, \"bs\": 3}", NULL, { "Videos" }, "1, 2, 4" },
  { "{\"bs\": \"2\"}", NULL, { "Videos" }, "only works together with --video" },
  { "{\"video\": true}", "{\"end\": \"https://example.org/last.png\"}", { NULL } },
  /* --p with codes */
  { "{\"personalize\": \"abc123\", \"version\": \"6.1\"}", NULL, { NULL } },
  { "{\"personalize\": \"a/b\"}", NULL, { "Personalization" }, "codes of letters and digits" },
  /* Two unrelated problems: both rows say so. */
  { "{\"chaos\": 200, \"stop\": 5}", NULL, { "Chaos", "Stop" }, "out of range" },
};

static void
test_midjourney_rules (void)
{
  EaselParamForm *form = new_form ("midjourney", "midjourney");
  static const char *const all_rows[] = {
    "Aspect Ratio", "Model Version", "Quality", "Chaos", "Stylize", "Weird", "Experimental Aesthetics",
    "Raw Style", "Raw", "Draft Mode", "Personalization", "Image Weight", "Style Weight",
    "Style Reference Version", "Character Weight", "Omni-Reference Weight", "Seed", "Stop", "Tile",
    "Repeat", "Leave Out", "Video", "Motion", "Loop", "Videos", "Speed", "Stealth", "Public",
  };

  for (guint i = 0; i < G_N_ELEMENTS (rule_cases); i++)
    {
      const RuleCase *c = &rule_cases[i];
      g_autoptr(JsonObject) values = json_object (c->values);
      g_autoptr(JsonObject) images = c->images != NULL ? json_object (c->images) : NULL;
      g_autoptr(JsonObject) got = NULL;
      g_autofree char *error = NULL;
      gboolean expect_valid = c->rows[0] == NULL;

      g_test_message ("case %u: %s %s", i, c->values, c->images ? c->images : "");
      easel_param_form_set_image_values (form, images);
      easel_param_form_set_values (form, values);

      /* Nothing is dropped, valid or not. */
      got = easel_param_form_get_values (form);
      g_assert_true (json_object_equal (got, values));

      g_assert_cmpint (easel_param_form_is_valid (form), ==, expect_valid);
      error = easel_param_form_get_error (form);
      if (expect_valid)
        {
          g_assert_null (error);
          for (guint r = 0; r < G_N_ELEMENTS (all_rows); r++)
            g_assert_null (row_error (form, all_rows[r]));
          continue;
        }

      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error, c->message));
      for (guint r = 0; r < G_N_ELEMENTS (all_rows); r++)
        {
          const char *shown = row_error (form, all_rows[r]);
          gboolean expected = g_strv_contains (c->rows, all_rows[r]);

          if (expected && shown == NULL)
            g_error ("case %u: row “%s” is not marked", i, all_rows[r]);
          if (!expected && shown != NULL)
            g_error ("case %u: row “%s” is marked: %s", i, all_rows[r], shown);
          if (expected && strstr (shown, c->message) == NULL && c->rows[1] == NULL)
            g_error ("case %u: row “%s” says “%s”", i, all_rows[r], shown);
        }
    }

  easel_param_form_set_image_values (form, NULL);
  easel_param_form_reset (form);
  g_assert_true (easel_param_form_is_valid (form));

  free_form (form);
}

/* The same rules when the user makes the mistake with the controls. */
static void
test_midjourney_interactive (void)
{
  EaselParamForm *form = new_form ("midjourney", "midjourney");
  GtkSpinButton *weird = GTK_SPIN_BUTTON (control (form, "Weird", GTK_TYPE_SPIN_BUTTON));
  g_autofree char *error = NULL;

  gtk_spin_button_set_value (weird, 250);
  g_assert_true (easel_param_form_is_valid (form));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (form, "Model Version")), 9);   /* Version 4 */
  g_assert_false (easel_param_form_is_valid (form));
  g_assert_cmpstr (row_error (form, "Weird"), ==, "--weird is not available with --version 4.");
  g_assert_cmpstr (row_error (form, "Model Version"), ==, "--weird is not available with --version 4.");
  error = easel_param_form_get_error (form);
  g_assert_cmpstr (error, ==, "--weird is not available with --version 4.");

  /* Typed out of range: kept as typed. */
  gtk_editable_set_text (GTK_EDITABLE (control (form, "Chaos", GTK_TYPE_SPIN_BUTTON)), "150");
  gtk_spin_button_update (GTK_SPIN_BUTTON (control (form, "Chaos", GTK_TYPE_SPIN_BUTTON)));
  g_assert_cmpstr (row_error (form, "Chaos"), ==, "--chaos 150 is out of range: use a whole number from 0 to 100.");

  /* The version back to the account's: only chaos is left. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (form, "Model Version")), 0);
  g_assert_null (row_error (form, "Weird"));
  g_assert_null (row_error (form, "Model Version"));
  g_assert_nonnull (row_error (form, "Chaos"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control (form, "Chaos", GTK_TYPE_SPIN_BUTTON)), 100);
  g_assert_true (easel_param_form_is_valid (form));
  assert_values (form, "{\"weird\": 250, \"chaos\": 100}");

  free_form (form);
}

/* Keyboard --------------------------------------------------------------- */

/* Tab from the start reaches every control and comes back round. */
static void
test_keyboard (void)
{
  EaselParamForm *form = new_form ("replicate", "easel-tests/every-input");
  GtkWindow *window;
  g_autoptr(GHashTable) reached = g_hash_table_new (NULL, NULL);
  const char *titles[] = { "Variant", "Style", "Steps", "Strength", "Upscale", "Caption", "Tags",
                           "Extra", "Seed" };
  GtkWidget *first = NULL;
  guint steps;

  window = present (form, 900);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (gtk_widget_get_ancestor (row (form, "Seed"),
                                                                             ADW_TYPE_EXPANDER_ROW)), TRUE);
  easel_test_wait_painted (GTK_WIDGET (form));

  for (steps = 0; steps < 200; steps++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        {
          /* The end: the window wraps round to the start, as GTK does. */
          gtk_root_set_focus (GTK_ROOT (window), NULL);
          g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
        }
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      if (first == NULL)
        first = focus;
      else if (focus == first)
        break;

      for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
        {
          if (gtk_widget_is_ancestor (focus, row (form, titles[i])) || focus == row (form, titles[i]))
            g_hash_table_add (reached, (gpointer) titles[i]);
        }
    }

  g_assert_cmpuint (steps, <, 200);
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      if (!g_hash_table_contains (reached, titles[i]))
        g_error ("Tab never reaches “%s”", titles[i]);
    }

  close_window (window);
  free_form (form);
}

/* Screenshots ------------------------------------------------------------ */

static void
test_screenshots (void)
{
  EaselParamForm *form = new_form ("midjourney", "midjourney");
  g_autoptr(JsonObject) values = json_object ("{\"ar\": \"16:9\", \"version\": \"4\", \"chaos\": 25,"
                                              " \"weird\": 300, \"no\": \"text, watermark\","
                                              " \"style\": \"raw\", \"fast\": true}");
  GtkWindow *window;
  g_autofree char *path = NULL;

  easel_param_form_set_values (form, values);
  window = present (form, 1500);
  path = easel_test_save_screenshot (GTK_WIDGET (window), "param-form-midjourney");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  close_window (window);
  free_form (form);

  form = new_form ("replicate", "black-forest-labs/flux-dev");
  json_object_unref (values);
  values = json_object ("{\"aspect_ratio\": \"3:2\", \"num_outputs\": 6, \"guidance\": 3.5}");
  easel_param_form_set_values (form, values);
  window = present (form, 900);
  g_clear_pointer (&path, g_free);
  path = easel_test_save_screenshot (GTK_WIDGET (window), "param-form-flux-dev");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  close_window (window);
  free_form (form);

  form = new_form ("replicate", "easel-tests/every-input");
  window = present (form, 900);
  g_clear_pointer (&path, g_free);
  path = easel_test_save_screenshot (GTK_WIDGET (window), "param-form-every-input");
  close_window (window);
  free_form (form);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  if (!easel_test_init_ui (&argc, &argv))
    return 0;

  emulator = easel_emulator_new ();
  easel_emulator_set_job_duration (emulator, 20, 80);
  easel_emulator_listen (emulator, 0, &error);
  g_assert_no_error (error);

  g_test_add_func ("/Easel/ParamForm/replicate-mapping", test_replicate_mapping);
  g_test_add_func ("/Easel/ParamForm/types", test_types);
  g_test_add_func ("/Easel/ParamForm/round-trip", test_round_trip);
  g_test_add_func ("/Easel/ParamForm/invalid", test_invalid);
  g_test_add_func ("/Easel/ParamForm/midjourney/layout", test_midjourney_layout);
  g_test_add_func ("/Easel/ParamForm/midjourney/rules", test_midjourney_rules);
  g_test_add_func ("/Easel/ParamForm/midjourney/interactive", test_midjourney_interactive);
  g_test_add_func ("/Easel/ParamForm/keyboard", test_keyboard);
  g_test_add_func ("/Easel/ParamForm/screenshots", test_screenshots);

  status = g_test_run ();
  g_clear_object (&emulator);
  return status;
}
