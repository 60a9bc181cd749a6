/* easel-image-details.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The viewer's metadata panel: the prompt (selectable, with a copy
 * button), the rating and tags (editable), provider, model, size, seed,
 * cost, date and job, the generation parameters, and the Midjourney
 * buttons of the image's job.
 *
 * The panel edits nothing itself: its buttons activate the gallery's
 * actions (gallery.rate, gallery.add-tag, gallery.remove-tag,
 * gallery.run-job-button), which act on the image the viewer shows. The
 * library reports the change, the gallery model refreshes the image
 * object in place, and the panel follows its notifications.
 *
 * "Reuse settings" belongs to the prompt editor: the button shows only
 * when the window has a win.reuse-settings action, so it never does
 * nothing. */

#include "config.h"

#include "easel-image-details.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "easel-budget.h"
#include "easel-gallery-model.h"
#include "easel-provider-registry.h"
#include "easel-ui-util.h"

#define PANEL_WIDTH 360

struct _EaselImageDetails
{
  AdwBin          parent_instance;

  EaselImage     *image;
  EaselJobQueue  *queue;
  gulong          notify_handler;

  /* Template widgets */
  GtkButton      *reuse_button;
  GtkLabel       *prompt_label;
  GtkBox         *rating_box;
  GtkFlowBox     *tags_box;
  GtkEntry       *tag_entry;
  AdwActionRow   *provider_row;
  AdwActionRow   *model_row;
  AdwActionRow   *size_row;
  AdwActionRow   *seed_row;
  AdwActionRow   *cost_row;
  AdwActionRow   *created_row;
  AdwActionRow   *job_row;
  GtkWidget      *params_group;
  GtkListBox     *params_list;
  GtkWidget      *buttons_group;
  GtkFlowBox     *buttons_box;

  GtkButton      *stars[5];
  GtkButton      *job_button;
};

G_DEFINE_FINAL_TYPE (EaselImageDetails, easel_image_details, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_IMAGE,
  PROP_QUEUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Midjourney buttons whose labels are emoji get a symbolic icon and a
 * name (emoji fonts are not a given). */
static const struct
{
  const char *button;
  const char *icon;
  const char *name;
} button_icons[] = {
  { "🔄", "media-playlist-shuffle-symbolic", N_("Reroll") },
  { "⬅️", "go-previous-symbolic", N_("Pan Left") },
  { "➡️", "go-next-symbolic", N_("Pan Right") },
  { "⬆️", "go-up-symbolic", N_("Pan Up") },
  { "⬇️", "go-down-symbolic", N_("Pan Down") },
};

static void
set_row (AdwActionRow *row,
         const char   *value)
{
  gboolean shown = value != NULL && *value != '\0';

  adw_action_row_set_subtitle (row, shown ? value : "");
  gtk_widget_set_visible (GTK_WIDGET (row), shown);
}

static char *
prompt_text_cb (gpointer    unused,
                const char *prompt)
{
  return g_strdup (prompt != NULL && *prompt != '\0' ? prompt : _("No prompt"));
}

static char *
format_date (gint64 micros)
{
  g_autoptr(GDateTime) date = NULL;

  if (micros <= 0)
    return NULL;

  date = g_date_time_new_from_unix_local (micros / G_USEC_PER_SEC);
  /* Translators: the date an image was made, see g_date_time_format() */
  return date ? g_date_time_format (date, _("%-d %B %Y, %H:%M")) : NULL;
}

static char *
format_size (EaselImage *image)
{
  g_autofree char *bytes = NULL;
  const char *mime = easel_image_get_mime (image);
  const char *subtype = mime ? strchr (mime, '/') : NULL;
  g_autofree char *format = subtype ? g_ascii_strup (subtype + 1, -1) : NULL;

  if (easel_image_get_width (image) <= 0)
    return NULL;

  bytes = g_format_size (easel_image_get_bytes (image));
  /* Translators: width × height in pixels, file format and file size */
  return g_strdup_printf (_("%d × %d · %s · %s"),
                          easel_image_get_width (image), easel_image_get_height (image),
                          format ? format : "?", bytes);
}

static EaselJob *
lookup_job (EaselImageDetails *self)
{
  gint64 job_id = self->image ? easel_image_get_job_id (self->image) : 0;

  if (self->queue == NULL || job_id <= 0)
    return NULL;
  return easel_job_queue_lookup (self->queue, job_id);
}

static char *
format_cost (EaselJob *job)
{
  g_autofree char *money = NULL;
  const char * const *outputs;
  guint n_outputs;

  if (job == NULL || easel_job_get_cost (job) < 0)
    return NULL;

  money = easel_format_money (easel_job_get_cost (job));
  outputs = easel_job_get_outputs (job);
  n_outputs = outputs ? g_strv_length ((char **) outputs) : 0;
  if (n_outputs <= 1)
    return g_steal_pointer (&money);

  /* Translators: the cost of a job, and how many images it made */
  return g_strdup_printf (ngettext ("%s for %u image", "%s for %u images", n_outputs),
                          money, n_outputs);
}

static void
update_rating (EaselImageDetails *self)
{
  int rating = self->image ? easel_image_get_rating (self->image) : 0;

  for (int i = 0; i < 5; i++)
    gtk_button_set_icon_name (self->stars[i], i < rating ? "starred-symbolic" : "non-starred-symbolic");
}

static void
remove_children (GtkWidget *container)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (container)) != NULL)
    {
      if (GTK_IS_FLOW_BOX (container))
        gtk_flow_box_remove (GTK_FLOW_BOX (container), child);
      else if (GTK_IS_LIST_BOX (container))
        gtk_list_box_remove (GTK_LIST_BOX (container), child);
      else
        gtk_widget_unparent (child);
    }
}

static void
update_tags (EaselImageDetails *self)
{
  const char * const *tags = self->image ? easel_image_get_tags (self->image) : NULL;

  remove_children (GTK_WIDGET (self->tags_box));
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    {
      GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      GtkWidget *label = gtk_label_new (tags[i]);
      GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
      g_autofree char *tooltip = g_strdup_printf (_("Remove Tag “%s”"), tags[i]);

      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
      gtk_widget_set_tooltip_text (remove, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_add_css_class (remove, "circular");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "gallery.remove-tag");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", tags[i]);
      gtk_widget_add_css_class (chip, "easel-tag-chip");
      gtk_box_append (GTK_BOX (chip), label);
      gtk_box_append (GTK_BOX (chip), remove);
      gtk_flow_box_append (self->tags_box, chip);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tags_box), tags != NULL && tags[0] != NULL);
}

static char *
format_param (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_DOUBLE)
        return g_strdup_printf ("%g", json_node_get_double (node));
    }
  if (JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return json_to_string (node, FALSE);
}

static void
update_params (EaselImageDetails *self)
{
  const char *params = self->image ? easel_image_get_params (self->image) : NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  guint shown = 0;

  remove_children (GTK_WIDGET (self->params_list));

  if (params != NULL && *params != '\0')
    root = json_from_string (params, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      gtk_widget_set_visible (self->params_group, FALSE);
      return;
    }

  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *value = NULL;
      GtkWidget *row;

      /* Shown above already. */
      if (g_str_equal (l->data, "prompt") || g_str_equal (l->data, "seed"))
        continue;

      value = format_param (json_object_get_member (object, l->data));
      if (value == NULL || *value == '\0')
        continue;

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), l->data);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
      gtk_widget_add_css_class (row, "easel-property");
      gtk_list_box_append (self->params_list, row);
      shown++;
    }
  gtk_widget_set_visible (self->params_group, shown > 0);
}

static void
update_buttons (EaselImageDetails *self,
                EaselJob          *job)
{
  const char * const *buttons = job ? easel_job_get_buttons (job) : NULL;

  remove_children (GTK_WIDGET (self->buttons_box));
  for (guint i = 0; buttons != NULL && buttons[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new ();
      const char *icon = NULL, *name = NULL;

      for (guint j = 0; j < G_N_ELEMENTS (button_icons); j++)
        if (g_str_equal (button_icons[j].button, buttons[i]))
          {
            icon = button_icons[j].icon;
            name = _(button_icons[j].name);
          }

      if (icon != NULL)
        {
          gtk_button_set_icon_name (GTK_BUTTON (button), icon);
          gtk_widget_set_tooltip_text (button, name);
          gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
        }
      else
        gtk_button_set_label (GTK_BUTTON (button), buttons[i]);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "gallery.run-job-button");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(xs)",
                                        easel_job_get_id (job), buttons[i]);
      gtk_flow_box_append (self->buttons_box, button);
    }
  gtk_widget_set_visible (self->buttons_group, buttons != NULL && buttons[0] != NULL);
}

static void
update_reuse (EaselImageDetails *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->reuse_button),
                          self->image != NULL &&
                          easel_widget_has_window_action (GTK_WIDGET (self), "reuse-settings"));
}

static void
update (EaselImageDetails *self)
{
  g_autofree char *size = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *created = NULL;
  g_autofree char *job_text = NULL;
  const EaselProviderInfo *info = NULL;
  const char *provider = NULL;
  EaselJob *job = NULL;

  if (self->image != NULL)
    {
      provider = easel_image_get_provider (self->image);
      info = provider ? easel_provider_registry_lookup (provider) : NULL;
      size = format_size (self->image);
      if (easel_image_get_seed (self->image) >= 0)
        seed = g_strdup_printf ("%" G_GINT64_FORMAT, easel_image_get_seed (self->image));
      created = format_date (easel_image_get_created_at (self->image));
      if (easel_image_get_job_id (self->image) > 0)
        job_text = g_strdup_printf ("#%" G_GINT64_FORMAT, easel_image_get_job_id (self->image));
      job = lookup_job (self);
      cost = format_cost (job);
    }

  set_row (self->provider_row, info ? info->display_name : provider);
  set_row (self->model_row, self->image ? easel_image_get_model (self->image) : NULL);
  set_row (self->size_row, size);
  set_row (self->seed_row, seed);
  set_row (self->cost_row, cost);
  set_row (self->created_row, created);
  set_row (self->job_row, job_text);
  gtk_widget_set_visible (GTK_WIDGET (self->job_button),
                          job_text != NULL &&
                          easel_widget_has_window_action (GTK_WIDGET (self), "show-job"));

  update_rating (self);
  update_tags (self);
  update_params (self);
  update_buttons (self, job);
  update_reuse (self);
}

static void
image_notify_cb (EaselImageDetails *self,
                 GParamSpec        *pspec,
                 EaselImage        *image)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "rating"))
    update_rating (self);
  else if (g_str_equal (name, "tags"))
    update_tags (self);
  else if (!g_str_equal (name, "favourite") && !g_str_equal (name, "trashed"))
    update (self);
}

/**
 * easel_image_details_get_image:
 * @self: a metadata panel
 *
 * Returns: (transfer none) (nullable): the image shown
 */
EaselImage *
easel_image_details_get_image (EaselImageDetails *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE_DETAILS (self), NULL);

  return self->image;
}

/**
 * easel_image_details_set_image:
 * @self: a metadata panel
 * @image: (nullable): the image to describe
 */
void
easel_image_details_set_image (EaselImageDetails *self,
                               EaselImage        *image)
{
  g_return_if_fail (EASEL_IS_IMAGE_DETAILS (self));
  g_return_if_fail (image == NULL || EASEL_IS_IMAGE (image));

  if (self->image == image)
    return;

  if (self->image != NULL)
    g_clear_signal_handler (&self->notify_handler, self->image);
  g_set_object (&self->image, image);
  if (image != NULL)
    self->notify_handler = g_signal_connect_object (image, "notify", G_CALLBACK (image_notify_cb),
                                                    self, G_CONNECT_SWAPPED);
  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
  update (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE]);
}

/**
 * easel_image_details_get_queue:
 * @self: a metadata panel
 *
 * Returns: (transfer none) (nullable): the job queue
 */
EaselJobQueue *
easel_image_details_get_queue (EaselImageDetails *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE_DETAILS (self), NULL);

  return self->queue;
}

/**
 * easel_image_details_set_queue:
 * @self: a metadata panel
 * @queue: (nullable): the job queue, for the cost and buttons of jobs
 */
void
easel_image_details_set_queue (EaselImageDetails *self,
                               EaselJobQueue     *queue)
{
  g_return_if_fail (EASEL_IS_IMAGE_DETAILS (self));
  g_return_if_fail (queue == NULL || EASEL_IS_JOB_QUEUE (queue));

  if (!g_set_object (&self->queue, queue))
    return;

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUE]);
}

static void
copy_prompt_clicked_cb (EaselImageDetails *self)
{
  const char *prompt = self->image ? easel_image_get_prompt (self->image) : NULL;

  if (prompt == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), prompt);
  easel_widget_show_toast (GTK_WIDGET (self), _("Prompt copied"));
}

static void
reuse_clicked_cb (EaselImageDetails *self)
{
  GActionGroup *window = G_ACTION_GROUP (gtk_widget_get_root (GTK_WIDGET (self)));
  const GVariantType *type;
  const char *hash;

  if (self->image == NULL || !easel_widget_has_window_action (GTK_WIDGET (self), "reuse-settings"))
    return;

  hash = easel_gallery_model_get_image_hash (self->image);
  type = g_action_group_get_action_parameter_type (window, "reuse-settings");
  if (type == NULL)
    g_action_group_activate_action (window, "reuse-settings", NULL);
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_STRING) && hash != NULL)
    g_action_group_activate_action (window, "reuse-settings", g_variant_new_string (hash));
}

static void
add_tag (EaselImageDetails *self)
{
  g_autofree char *tag = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tag_entry))));

  if (*tag == '\0')
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "gallery.add-tag", "s", tag);
  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
}

static void
tag_entry_activate_cb (EaselImageDetails *self)
{
  add_tag (self);
}

static void
tag_entry_icon_release_cb (EaselImageDetails    *self,
                           GtkEntryIconPosition  position)
{
  add_tag (self);
}

static void
star_clicked_cb (GtkButton         *star,
                 EaselImageDetails *self)
{
  int value = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (star), "rating"));

  /* Clicking the current rating again clears it. */
  if (self->image != NULL && easel_image_get_rating (self->image) == value)
    value = 0;
  gtk_widget_activate_action (GTK_WIDGET (self), "gallery.rate", "i", value);
}

static void
job_button_clicked_cb (EaselImageDetails *self)
{
  if (self->image != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-job", "x",
                                easel_image_get_job_id (self->image));
}

/* As wide as asked, not as wide as the longest prompt would like: the
 * panel sits beside the image. */
static void
easel_image_details_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  GTK_WIDGET_CLASS (easel_image_details_parent_class)->measure (widget, orientation, for_size,
                                                                minimum, natural,
                                                                minimum_baseline, natural_baseline);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = MAX (*minimum, MIN (*natural, PANEL_WIDTH));
}

static void
easel_image_details_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (easel_image_details_parent_class)->root (widget);

  /* The window's actions are known from now on. */
  update (EASEL_IMAGE_DETAILS (widget));
}

static void
easel_image_details_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EaselImageDetails *self = EASEL_IMAGE_DETAILS (object);

  switch (prop_id)
    {
    case PROP_IMAGE:
      g_value_set_object (value, self->image);
      break;
    case PROP_QUEUE:
      g_value_set_object (value, self->queue);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_image_details_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EaselImageDetails *self = EASEL_IMAGE_DETAILS (object);

  switch (prop_id)
    {
    case PROP_IMAGE:
      easel_image_details_set_image (self, g_value_get_object (value));
      break;
    case PROP_QUEUE:
      easel_image_details_set_queue (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_image_details_dispose (GObject *object)
{
  EaselImageDetails *self = EASEL_IMAGE_DETAILS (object);

  if (self->image != NULL)
    g_clear_signal_handler (&self->notify_handler, self->image);
  g_clear_object (&self->image);
  g_clear_object (&self->queue);
  gtk_widget_dispose_template (GTK_WIDGET (self), EASEL_TYPE_IMAGE_DETAILS);

  G_OBJECT_CLASS (easel_image_details_parent_class)->dispose (object);
}

static void
easel_image_details_class_init (EaselImageDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = easel_image_details_get_property;
  object_class->set_property = easel_image_details_set_property;
  object_class->dispose = easel_image_details_dispose;

  widget_class->root = easel_image_details_root;
  widget_class->measure = easel_image_details_measure;

  properties[PROP_IMAGE] =
    g_param_spec_object ("image", NULL, NULL,
                         EASEL_TYPE_IMAGE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUEUE] =
    g_param_spec_object ("queue", NULL, NULL,
                         EASEL_TYPE_JOB_QUEUE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-image-details.ui");
  gtk_widget_class_bind_template_child (widget_class, EaselImageDetails, reuse_button);
  gtk_widget_class_bind_template_child (widget_class, EaselImageDetails, prompt_label);
  gtk_widget_class_bind_template_child (widget_class, EaselImageDetails, rating_box);
  gtk_widget_class_bind_template_child (widget_class, EaselImageDetails, tags_box);
  gtk_widget_class_bind_template_child (widget_class, EaselImageDetails, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, EaselImageDetails, provider_row);
  gtk_widget_class_bind_template_child (widget_class, EaselImageDetails, model_row);
  gtk_widget_class_bind_template_child (widget_class, EaselImageDetails, size_row);
  gtk_widget_class_bind_template_child (widget_class, EaselImageDetails, seed_row);
  gtk_widget_class_bind_template_child (widget_class, EaselImageDetails, cost_row);
  gtk_widget_class_bind_template_child (widget_class, EaselImageDetails, created_row);
  gtk_widget_class_bind_template_child (widget_class, EaselImageDetails, job_row);
  gtk_widget_class_bind_template_child (widget_class, EaselImageDetails, params_group);
  gtk_widget_class_bind_template_child (widget_class, EaselImageDetails, params_list);
  gtk_widget_class_bind_template_child (widget_class, EaselImageDetails, buttons_group);
  gtk_widget_class_bind_template_child (widget_class, EaselImageDetails, buttons_box);
  gtk_widget_class_bind_template_callback (widget_class, prompt_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_prompt_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reuse_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_icon_release_cb);
}

static void
easel_image_details_init (EaselImageDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (int i = 0; i < 5; i++)
    {
      g_autofree char *label = g_strdup_printf (ngettext ("Rate %d Star", "Rate %d Stars", i + 1), i + 1);
      GtkWidget *star = gtk_button_new_from_icon_name ("non-starred-symbolic");

      gtk_widget_add_css_class (star, "flat");
      gtk_widget_add_css_class (star, "circular");
      gtk_widget_add_css_class (star, "easel-star");
      gtk_widget_set_tooltip_text (star, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (star), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_object_set_data (G_OBJECT (star), "rating", GINT_TO_POINTER (i + 1));
      g_signal_connect (star, "clicked", G_CALLBACK (star_clicked_cb), self);
      gtk_box_append (self->rating_box, star);
      self->stars[i] = GTK_BUTTON (star);
    }

  self->job_button = GTK_BUTTON (gtk_button_new_from_icon_name ("edit-find-symbolic"));
  gtk_widget_set_valign (GTK_WIDGET (self->job_button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->job_button), "flat");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->job_button), _("Show the Job’s Images"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->job_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Show the Job’s Images"), -1);
  g_signal_connect_swapped (self->job_button, "clicked", G_CALLBACK (job_button_clicked_cb), self);
  adw_action_row_add_suffix (self->job_row, GTK_WIDGET (self->job_button));

  update (self);
}
