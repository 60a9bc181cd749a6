/* easel-preferences-window.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Preferences: Accounts, Spending, Library, Network and Behaviour. Rows
 * that are settings are bound to their GSettings key, so a change applies
 * at once and there is no Apply button; endpoints are checked first
 * (https, or http to loopback only). Accounts, the ledger and the library
 * check go through the core's asynchronous APIs: nothing here waits on the
 * disk, the keyring or the network. */

#include "config.h"

#include "easel-preferences-window.h"

#include <glib/gi18n.h>

#include "easel-account-form.h"
#include "easel-budget.h"
#include "easel-error.h"
#include "easel-http-client.h"
#include "easel-spending-chart.h"
#include "easel-spending-report.h"
#include "easel-useapi-provider.h"
#include "easel-verify.h"

struct _EaselPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  EaselAccounts        *accounts;
  EaselStore           *store;
  EaselImageStore      *images;
  EaselThumbnailer     *thumbnailer;
  GCancellable         *cancellable;
  GPtrArray            *account_rows;   /* rows added to accounts_group */
  GPtrArray            *channel_rows;   /* rows added to channels_group */
  gboolean              verifying;

  /* Template widgets */
  AdwPreferencesGroup  *keyring_group;
  GtkLabel             *keyring_reason_label;
  AdwPreferencesGroup  *accounts_group;
  AdwActionRow         *no_accounts_row;
  EaselAccountForm     *add_form;
  GtkButton            *add_button;
  GtkSpinButton        *replicate_concurrency_spin;
  GtkSpinButton        *midjourney_concurrency_spin;
  GtkSpinButton        *midjourney_video_spin;
  AdwPreferencesGroup  *channels_group;
  GtkButton            *channels_button;
  AdwActionRow         *channels_status_row;
  AdwActionRow         *spent_today_row;
  AdwActionRow         *spent_month_row;
  EaselSpendingChart   *chart;
  AdwPreferencesGroup  *budgets_group;
  AdwActionRow         *database_row;
  AdwActionRow         *images_row;
  GtkButton            *open_images_button;
  AdwComboRow          *cache_size_row;
  AdwActionRow         *verify_row;
  GtkButton            *verify_button;
  GtkProgressBar       *verify_progress;
  AdwEntryRow          *replicate_url_row;
  AdwEntryRow          *useapi_url_row;
  AdwEntryRow          *openrouter_url_row;
  GtkLabel             *endpoint_label;
  GtkSpinButton        *timeout_spin;
  AdwComboRow          *style_row;
  GtkSwitch            *notify_switch;
  GtkSpinButton        *batch_confirm_spin;
};

G_DEFINE_FINAL_TYPE (EaselPreferencesWindow, easel_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const style_nicks[] = { "default", "force-light", "force-dark" };
static const guint64 cache_sizes[] = {
  0, 256 * 1024 * 1024ull, 512 * 1024 * 1024ull, 1024 * 1024 * 1024ull,
  2048 * 1024 * 1024ull, 4096 * 1024 * 1024ull, 8192 * 1024 * 1024ull,
};

static void
toast (EaselPreferencesWindow *self,
       const char             *message)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
}

static void
toast_error (EaselPreferencesWindow *self,
             const GError           *error)
{
  g_autofree char *message = easel_account_form_describe_error (error);

  toast (self, message);
}

/* Mappings */

static gboolean
style_get_mapping (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (style_nicks); i++)
    {
      if (g_str_equal (nick, style_nicks[i]))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }
  return FALSE;
}

static GVariant *
style_set_mapping (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (style_nicks))
    return NULL;
  return g_variant_new_string (style_nicks[selected]);
}

static gboolean
cache_size_get_mapping (GValue   *value,
                        GVariant *variant,
                        gpointer  user_data)
{
  guint64 size = g_variant_get_uint64 (variant);
  guint best = 0;

  /* A size set by hand shows as the next larger choice. */
  for (guint i = G_N_ELEMENTS (cache_sizes); i-- > 1;)
    {
      if (size > 0 && size <= cache_sizes[i])
        best = i;
    }
  if (size > cache_sizes[G_N_ELEMENTS (cache_sizes) - 1])
    best = G_N_ELEMENTS (cache_sizes) - 1;
  g_value_set_uint (value, best);
  return TRUE;
}

static GVariant *
cache_size_set_mapping (const GValue       *value,
                        const GVariantType *expected_type,
                        gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (cache_sizes))
    return NULL;
  return g_variant_new_uint64 (cache_sizes[selected]);
}

static gboolean
micros_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_int64 (variant) / 1e6);
  return TRUE;
}

static GVariant *
micros_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  return g_variant_new_int64 ((gint64) (g_value_get_double (value) * 1e6 + 0.5));
}

static gboolean
uint_get_mapping (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant));
  return TRUE;
}

static GVariant *
uint_set_mapping (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  return g_variant_new_uint32 ((guint32) g_value_get_double (value));
}

static void
bind_uint_spin (EaselPreferencesWindow *self,
                const char             *key,
                GtkSpinButton          *spin)
{
  g_settings_bind_with_mapping (self->settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT,
                                uint_get_mapping, uint_set_mapping, NULL, NULL);
}

/* Accounts */

static char *
account_subtitle (EaselAccount *account)
{
  g_autoptr(GString) text = g_string_new (easel_accounts_provider_name (easel_account_get_provider (account)));

  switch (easel_account_get_source (account))
    {
    case EASEL_ACCOUNT_SOURCE_KEYRING:
      g_string_append_printf (text, " · %s", _("in the keyring"));
      break;
    case EASEL_ACCOUNT_SOURCE_MEMORY:
      g_string_append_printf (text, " · %s", _("for this session only"));
      break;
    case EASEL_ACCOUNT_SOURCE_ENVIRONMENT:
      g_string_append_printf (text, " · %s", _("from environment"));
      break;
    default:
      g_assert_not_reached ();
    }
  if (easel_account_get_is_default (account))
    g_string_append_printf (text, " · %s", _("default"));
  if (easel_account_get_source (account) != EASEL_ACCOUNT_SOURCE_ENVIRONMENT)
    {
      guint max_jobs = easel_account_get_max_jobs (account);

      if (max_jobs == 0)
        g_string_append_printf (text, " · %s", _("jobs at once: the provider’s setting"));
      else
        {
          g_string_append (text, " · ");
          /* Translators: the account's own limit of jobs running together */
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u job at once", "up to %u jobs at once",
                                                     max_jobs), max_jobs);
        }
    }
  if (easel_account_get_problem (account) != NULL)
    g_string_append_printf (text, "\n%s", easel_account_get_problem (account));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

typedef struct
{
  EaselPreferencesWindow *self;
  char                   *name;
} RowOp;

static void
row_op_free (RowOp *op)
{
  g_object_unref (op->self);
  g_free (op->name);
  g_free (op);
}

static RowOp *
row_op_new (EaselPreferencesWindow *self,
            GtkWidget              *widget)
{
  RowOp *op = g_new0 (RowOp, 1);

  op->self = g_object_ref (self);
  op->name = g_strdup (g_object_get_data (G_OBJECT (widget), "easel-account"));
  return op;
}

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  RowOp *op = user_data;
  g_autoptr(GError) error = NULL;

  if (easel_accounts_test_finish (EASEL_ACCOUNTS (object), result, &error))
    {
      /* Translators: an account name */
      g_autofree char *message = g_strdup_printf (_("“%s” works"), op->name);

      toast (op->self, message);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast_error (op->self, error);
  row_op_free (op);
}

static void
test_clicked_cb (GtkButton              *button,
                 EaselPreferencesWindow *self)
{
  RowOp *op = row_op_new (self, GTK_WIDGET (button));

  easel_accounts_test_async (self->accounts, op->name, self->cancellable, tested_cb, op);
}

static void
changed_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RowOp *op = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (G_TASK (result)) == easel_accounts_remove_async)
    ok = easel_accounts_remove_finish (EASEL_ACCOUNTS (object), result, &error);
  else if (g_task_get_source_tag (G_TASK (result)) == easel_accounts_set_default_async)
    ok = easel_accounts_set_default_finish (EASEL_ACCOUNTS (object), result, &error);
  else
    ok = easel_accounts_set_max_jobs_finish (EASEL_ACCOUNTS (object), result, &error);
  if (!ok)
    toast_error (op->self, error);
  row_op_free (op);
}

static void
default_clicked_cb (GtkButton              *button,
                    EaselPreferencesWindow *self)
{
  RowOp *op = row_op_new (self, GTK_WIDGET (button));

  easel_accounts_set_default_async (self->accounts, op->name, NULL, changed_done_cb, op);
}

static void
max_jobs_changed_cb (GtkSpinButton          *spin,
                     EaselPreferencesWindow *self)
{
  RowOp *op = row_op_new (self, GTK_WIDGET (spin));
  EaselAccount *account = easel_accounts_find (self->accounts, op->name);
  guint value = (guint) gtk_spin_button_get_value_as_int (spin);

  if (account == NULL || easel_account_get_max_jobs (account) == value)
    {
      row_op_free (op);
      return;
    }
  easel_accounts_set_max_jobs_async (self->accounts, op->name, value, NULL, changed_done_cb, op);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    RowOp            *op)
{
  if (g_str_equal (response, "remove"))
    easel_accounts_remove_async (op->self->accounts, op->name, NULL, changed_done_cb, op);
  else
    row_op_free (op);
}

static void
remove_clicked_cb (GtkButton              *button,
                   EaselPreferencesWindow *self)
{
  RowOp *op = row_op_new (self, GTK_WIDGET (button));
  AdwMessageDialog *dialog;

  /* Translators: an account name */
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL));
  adw_message_dialog_format_heading (dialog, _("Remove “%s”?"), op->name);
  adw_message_dialog_set_body (dialog, _("Its token is deleted from the keyring. Jobs already "
                                         "sent are not affected."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (remove_response_cb), op);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
row_button (EaselPreferencesWindow *self,
            EaselAccount           *account,
            const char             *label,
            const char             *icon_name,
            const char             *tooltip,
            GCallback               callback)
{
  GtkWidget *button = icon_name ? gtk_button_new_from_icon_name (icon_name)
                                : gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (tooltip != NULL)
    gtk_widget_set_tooltip_text (button, tooltip);
  if (icon_name != NULL)
    {
      gtk_widget_add_css_class (button, "flat");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
    }
  g_object_set_data_full (G_OBJECT (button), "easel-account",
                          g_strdup (easel_account_get_name (account)), g_free);
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

/* 0 jobs at once means the provider's setting: the spin button says so
 * ("Default") rather than showing a bare 0, and takes the word back. */
static gboolean
max_jobs_output_cb (GtkSpinButton *spin)
{
  int value = gtk_spin_button_get_value_as_int (spin);
  g_autofree char *text = value == 0 ? g_strdup (C_("jobs at once", "Default"))
                                     : g_strdup_printf ("%d", value);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
max_jobs_input_cb (GtkSpinButton *spin,
                   double        *new_value)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));
  char *end = NULL;
  gint64 value;

  if (text[0] == '\0' || g_utf8_collate (text, C_("jobs at once", "Default")) == 0)
    {
      *new_value = 0;
      return TRUE;
    }
  value = g_ascii_strtoll (text, &end, 10);
  if (end == text || *end != '\0')
    return GTK_INPUT_ERROR;
  *new_value = value;
  return TRUE;
}

static GtkWidget *
account_row (EaselPreferencesWindow *self,
             EaselAccount           *account)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = account_subtitle (account);
  gboolean stored = easel_account_get_source (account) != EASEL_ACCOUNT_SOURCE_ENVIRONMENT;

  /* Names and problems are the user's text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), easel_account_get_name (account));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  g_object_set_data_full (G_OBJECT (row), "easel-account", g_strdup (easel_account_get_name (account)), g_free);

  if (stored)
    {
      GtkWidget *spin = gtk_spin_button_new_with_range (0, 50, 1);

      /* new_with_range() makes it numeric, which would refuse the word. */
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), FALSE);
      g_signal_connect (spin, "output", G_CALLBACK (max_jobs_output_cb), NULL);
      g_signal_connect (spin, "input", G_CALLBACK (max_jobs_input_cb), NULL);
      gtk_editable_set_width_chars (GTK_EDITABLE (spin),
                                    MAX (2, g_utf8_strlen (C_("jobs at once", "Default"), -1)));
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), easel_account_get_max_jobs (account));
      max_jobs_output_cb (GTK_SPIN_BUTTON (spin));
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (spin, _("Jobs at once for this account. “Default” uses the "
                                           "provider’s setting under Jobs at Once."));
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Jobs at once"), -1);
      g_object_set_data_full (G_OBJECT (spin), "easel-account",
                              g_strdup (easel_account_get_name (account)), g_free);
      g_signal_connect (spin, "value-changed", G_CALLBACK (max_jobs_changed_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button (self, account, _("_Test"), NULL, _("Test the connection"),
                                         G_CALLBACK (test_clicked_cb)));
  if (stored && !easel_account_get_is_default (account))
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               row_button (self, account, NULL, "emblem-default-symbolic",
                                           _("Make Default"), G_CALLBACK (default_clicked_cb)));
  if (stored)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               row_button (self, account, NULL, "user-trash-symbolic",
                                           _("Remove Account"), G_CALLBACK (remove_clicked_cb)));
  return row;
}

static void
rebuild_accounts (EaselPreferencesWindow *self)
{
  guint n;

  for (guint i = 0; i < self->account_rows->len; i++)
    adw_preferences_group_remove (self->accounts_group, g_ptr_array_index (self->account_rows, i));
  g_ptr_array_set_size (self->account_rows, 0);

  n = self->accounts ? g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EaselAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
      GtkWidget *row = account_row (self, account);

      adw_preferences_group_add (self->accounts_group, row);
      g_ptr_array_add (self->account_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->no_accounts_row), n == 0);
}

/* A new limit or problem changes the row's subtitle only: rebuilding would
 * destroy the spin button being clicked, and its focus with it. */
static void
account_notify_cb (EaselAccount           *account,
                   GParamSpec             *pspec,
                   EaselPreferencesWindow *self)
{
  const char *name = easel_account_get_name (account);

  if (g_str_equal (pspec->name, "max-jobs") || g_str_equal (pspec->name, "problem"))
    {
      for (guint i = 0; i < self->account_rows->len; i++)
        {
          GtkWidget *row = g_ptr_array_index (self->account_rows, i);

          if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "easel-account"), name) == 0)
            {
              g_autofree char *subtitle = account_subtitle (account);

              adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
              return;
            }
        }
    }
  rebuild_accounts (self);
}

static void
accounts_changed_cb (EaselPreferencesWindow *self,
                     guint                   position,
                     guint                   removed,
                     guint                   added,
                     GListModel             *model)
{
  /* Rows follow their account's default flag and problem too. */
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EaselAccount) account = g_list_model_get_item (model, i);

      g_signal_connect_object (account, "notify", G_CALLBACK (account_notify_cb), self, 0);
    }
  rebuild_accounts (self);
}

static void
update_keyring (EaselPreferencesWindow *self)
{
  EaselSecrets *secrets = self->accounts ? easel_accounts_get_secrets (self->accounts) : NULL;
  g_autofree char *text = NULL;

  if (secrets == NULL || !easel_secrets_get_in_memory (secrets))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->keyring_group), FALSE);
      return;
    }
  /* Translators: why the keyring cannot be used, under the advice */
  text = g_strdup_printf (_("Reason: %s"), easel_secrets_get_problem (secrets));
  gtk_label_set_text (self->keyring_reason_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->keyring_group), TRUE);
}

static void
added_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(EaselPreferencesWindow) self = user_data;
  g_autoptr(EaselAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  account = easel_account_form_add_finish (EASEL_ACCOUNT_FORM (object), result, &error);
  if (account == NULL)
    {
      toast_error (self, error);
      return;
    }
  message = easel_account_form_describe_added (account);
  toast (self, message);
}

static void
add_clicked_cb (EaselPreferencesWindow *self)
{
  easel_account_form_add_async (self->add_form, NULL, added_cb, g_object_ref (self));
}

/* Midjourney channels */

static void
clear_channels (EaselPreferencesWindow *self)
{
  for (guint i = 0; i < self->channel_rows->len; i++)
    adw_preferences_group_remove (self->channels_group, g_ptr_array_index (self->channel_rows, i));
  g_ptr_array_set_size (self->channel_rows, 0);
}

typedef struct
{
  EaselPreferencesWindow *self;
  EaselProvider          *provider;
  char                   *account;
  char                   *channel;
  GtkWidget              *button;   /* the Reset button, while resetting */
} ChannelOp;

static void
channel_op_free (ChannelOp *op)
{
  g_object_unref (op->self);
  g_object_unref (op->provider);
  g_free (op->account);
  g_free (op->channel);
  g_clear_object (&op->button);
  g_free (op);
}

static void load_channels (EaselPreferencesWindow *self);

static void
channel_reset_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ChannelOp *op = user_data;
  g_autoptr(GError) error = NULL;

  if (easel_useapi_provider_reset_channel_finish (EASEL_USEAPI_PROVIDER (object), result, &error))
    {
      toast (op->self, _("The Midjourney channel is back in rotation"));
      load_channels (op->self);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The channel is still out of rotation: the button can try again. */
      gtk_widget_set_sensitive (op->button, TRUE);
      toast_error (op->self, error);
    }
  channel_op_free (op);
}

static void
reset_clicked_cb (GtkButton *button,
                  ChannelOp *op)
{
  ChannelOp *copy = g_new0 (ChannelOp, 1);

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  copy->self = g_object_ref (op->self);
  copy->provider = g_object_ref (op->provider);
  copy->channel = g_strdup (op->channel);
  copy->button = GTK_WIDGET (g_object_ref (button));
  easel_useapi_provider_reset_channel_async (EASEL_USEAPI_PROVIDER (op->provider), op->channel,
                                             op->self->cancellable, channel_reset_cb, copy);
}

static void
channels_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ChannelOp *op = user_data;
  EaselPreferencesWindow *self = op->self;
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GError) error = NULL;

  channels = easel_useapi_provider_list_channels_finish (EASEL_USEAPI_PROVIDER (object), result, &error);
  if (channels == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->channels_status_row),
                                         _("Cannot load the channels"));
          adw_action_row_set_subtitle (self->channels_status_row, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->channels_status_row), TRUE);
        }
      channel_op_free (op);
      return;
    }

  for (guint i = 0; i < channels->len; i++)
    {
      EaselUseapiChannel *channel = g_ptr_array_index (channels, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), channel->channel);
      if (channel->error != NULL)
        {
          /* Translators: an account name; the channel waits for the user (596) */
          subtitle = g_strdup_printf (_("%s · out of rotation. Clear Midjourney’s notice or CAPTCHA in "
                                        "Discord, then reset the channel."), op->account);
          /* UseAPI.net's own words, in full, where the subtitle has no room. */
          gtk_widget_set_tooltip_text (row, channel->error);
        }
      else
        /* Translators: an account name, then Midjourney's limits of one channel */
        subtitle = g_strdup_printf (_("%s · %d jobs at once (%d images, %d videos)"), op->account,
                                    channel->max_jobs, channel->max_image_jobs, channel->max_video_jobs);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      if (channel->error != NULL)
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (_("_Reset"));
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
          ChannelOp *reset = g_new0 (ChannelOp, 1);

          reset->self = g_object_ref (self);
          reset->provider = g_object_ref (op->provider);
          reset->channel = g_strdup (channel->channel);
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (button, _("Put the channel back in rotation at UseAPI.net"));
          gtk_widget_add_css_class (icon, "warning");
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          g_signal_connect_data (button, "clicked", G_CALLBACK (reset_clicked_cb), reset,
                                 (GClosureNotify) (void (*) (void)) channel_op_free, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      adw_preferences_group_add (self->channels_group, row);
      g_ptr_array_add (self->channel_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->channels_status_row), self->channel_rows->len == 0);
  if (self->channel_rows->len == 0)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->channels_status_row),
                                     _("No channels configured at UseAPI.net"));
      adw_action_row_set_subtitle (self->channels_status_row,
                                   _("Add your Midjourney account on UseAPI.net first"));
    }
  channel_op_free (op);
}

static void
load_channels (EaselPreferencesWindow *self)
{
  guint n = self->accounts ? g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) : 0;
  gboolean any = FALSE;

  clear_channels (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EaselAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
      g_autoptr(EaselProvider) provider = NULL;
      ChannelOp *op;

      if (!g_str_equal (easel_account_get_provider (account), "midjourney"))
        continue;
      provider = easel_accounts_lookup ("midjourney", easel_account_get_name (account), self->accounts, NULL);
      if (provider == NULL)
        continue;
      any = TRUE;
      op = g_new0 (ChannelOp, 1);
      op->self = g_object_ref (self);
      op->provider = g_steal_pointer (&provider);
      op->account = g_strdup (easel_account_get_name (account));
      easel_useapi_provider_list_channels_async (EASEL_USEAPI_PROVIDER (op->provider), self->cancellable,
                                                 channels_listed_cb, op);
    }
  if (!any)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->channels_status_row),
                                     _("No UseAPI.net account"));
      adw_action_row_set_subtitle (self->channels_status_row,
                                   _("Add a Midjourney (UseAPI.net) account above to see its channels"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->channels_status_row), TRUE);
}

static void
channels_clicked_cb (EaselPreferencesWindow *self)
{
  load_channels (self);
}

/* Spending */

static char *
spent_text (EaselPreferencesWindow *self,
            EaselSpendingReport    *report,
            EaselBudgetPeriod       period)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 *values = period == EASEL_BUDGET_DAY ? report->day : report->month;
  const char *limit_key = period == EASEL_BUDGET_DAY ? "budget-daily" : "budget-monthly";
  gint64 limit = g_settings_get_int64 (self->settings, limit_key);
  g_autofree char *total = easel_format_money (values[EASEL_SPENDING_REPORT_N_PROVIDERS]);

  if (limit > 0)
    {
      g_autofree char *of = easel_format_money (limit);

      /* Translators: money spent, then the budget */
      g_string_append_printf (text, _("%s of %s"), total, of);
    }
  else
    g_string_append (text, total);
  for (guint i = 0; i < EASEL_SPENDING_REPORT_N_PROVIDERS; i++)
    {
      g_autofree char *part = easel_format_money (values[i]);

      g_string_append_printf (text, " · %s %s", easel_accounts_provider_name (report->providers[i]), part);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
spending_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(EaselPreferencesWindow) self = user_data;
  g_autoptr(EaselSpendingReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = easel_spending_report_load_finish (EASEL_STORE (object), result, &error);
  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_action_row_set_subtitle (self->spent_today_row, error->message);
    }
  else if (self->settings != NULL)
    {
      g_autofree char *today = spent_text (self, report, EASEL_BUDGET_DAY);
      g_autofree char *month = spent_text (self, report, EASEL_BUDGET_MONTH);

      adw_action_row_set_subtitle (self->spent_today_row, today);
      adw_action_row_set_subtitle (self->spent_month_row, month);
      easel_spending_chart_set_days (self->chart, (gint64 *) report->days->data, report->days->len,
                                     report->today, g_settings_get_int64 (self->settings, "budget-daily"));
    }
}

static void
load_spending (EaselPreferencesWindow *self)
{
  if (self->store != NULL)
    easel_spending_report_load_async (self->store, TRUE, self->cancellable, spending_loaded_cb,
                                      g_object_ref (self));
}

static void
budget_changed_cb (EaselPreferencesWindow *self,
                   const char             *key)
{
  if (g_str_has_prefix (key, "budget-") || g_str_equal (key, "provider-budgets"))
    load_spending (self);
}

static GtkWidget *
money_row (const char *title,
           GtkWidget **spin_out)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, 1000000, 1);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 2);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  *spin_out = spin;
  return row;
}

static void
provider_budget_changed_cb (GtkSpinButton          *spin,
                            EaselPreferencesWindow *self)
{
  const char *provider = g_object_get_data (G_OBJECT (spin), "easel-provider");
  gboolean monthly = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (spin), "easel-monthly"));
  g_autoptr(GVariant) old = g_settings_get_value (self->settings, "provider-budgets");
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{s(xx)}"));
  gint64 micros = (gint64) (gtk_spin_button_get_value (spin) * 1e6 + 0.5);
  gint64 day = 0, month = 0;
  GVariantIter iter;
  const char *key;
  gint64 d, m;

  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s(xx)}", &key, &d, &m))
    {
      if (g_str_equal (key, provider))
        {
          day = d;
          month = m;
        }
      else
        g_variant_builder_add (&builder, "{s(xx)}", key, d, m);
    }
  if (monthly)
    month = micros;
  else
    day = micros;
  g_variant_builder_add (&builder, "{s(xx)}", provider, day, month);
  g_settings_set_value (self->settings, "provider-budgets", g_variant_builder_end (&builder));
}

static void
build_budgets (EaselPreferencesWindow *self)
{
  static const char *providers[] = { "replicate", "midjourney" };
  g_autoptr(GVariant) budgets = g_settings_get_value (self->settings, "provider-budgets");
  GtkWidget *spin;

  adw_preferences_group_add (self->budgets_group, money_row (_("All Providers, per Day"), &spin));
  g_settings_bind_with_mapping (self->settings, "budget-daily", spin, "value", G_SETTINGS_BIND_DEFAULT,
                                micros_get_mapping, micros_set_mapping, NULL, NULL);
  adw_preferences_group_add (self->budgets_group, money_row (_("All Providers, per Month"), &spin));
  g_settings_bind_with_mapping (self->settings, "budget-monthly", spin, "value", G_SETTINGS_BIND_DEFAULT,
                                micros_get_mapping, micros_set_mapping, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      gint64 day = 0, month = 0;

      g_variant_lookup (budgets, providers[i], "(xx)", &day, &month);
      for (int monthly = 0; monthly <= 1; monthly++)
        {
          /* Translators: a provider name */
          g_autofree char *title = g_strdup_printf (monthly ? _("%s, per Month") : _("%s, per Day"),
                                                    easel_accounts_provider_name (providers[i]));

          adw_preferences_group_add (self->budgets_group, money_row (title, &spin));
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), (monthly ? month : day) / 1e6);
          g_object_set_data (G_OBJECT (spin), "easel-provider", (gpointer) providers[i]);
          g_object_set_data (G_OBJECT (spin), "easel-monthly", GINT_TO_POINTER (monthly));
          g_signal_connect (spin, "value-changed", G_CALLBACK (provider_budget_changed_cb), self);
        }
    }
}

/* Library */

static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EaselPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    toast (self, error->message);
}

static void
open_images_clicked_cb (EaselPreferencesWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;

  if (self->images == NULL)
    return;
  file = g_file_new_for_path (easel_image_store_get_root (self->images));
  uri = g_file_get_uri (file);
  g_app_info_launch_default_for_uri_async (uri, NULL, self->cancellable, launched_cb, g_object_ref (self));
}

static void
cache_size_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(EaselPreferencesWindow) self = user_data;
  guint64 size = 0;

  if (easel_thumbnailer_get_cache_size_finish (EASEL_THUMBNAILER (object), result, &size, NULL))
    {
      g_autofree char *used = g_format_size (size);
      /* Translators: disk space, such as "12.3 MB" */
      g_autofree char *subtitle = g_strdup_printf (_("%s in use now"), used);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->cache_size_row), subtitle);
    }
}

static void
verify_progress_cb (guint64  checked,
                    guint64  total,
                    gpointer user_data)
{
  EaselPreferencesWindow *self = user_data;
  /* Translators: images checked, then all images */
  g_autofree char *text = g_strdup_printf (_("%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " images"),
                                           checked, total);

  gtk_progress_bar_set_fraction (self->verify_progress, total > 0 ? (double) checked / total : 1.0);
  gtk_progress_bar_set_text (self->verify_progress, text);
}

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EaselPreferencesWindow) self = user_data;
  g_autoptr(EaselVerifyReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  self->verifying = FALSE;
  report = easel_verify_run_finish (result, &error);
  if (report == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->verify_button), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->verify_progress), FALSE);
  if (report == NULL)
    text = g_strdup (error->message);
  else if (easel_verify_report_is_clean (report))
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The image is intact",
                                         "All %" G_GUINT64_FORMAT " images are intact", report->checked),
                            report->checked);
  else
    /* Translators: counts of images; the command repairs what it can */
    text = g_strdup_printf (_("%u missing, %u damaged of %" G_GUINT64_FORMAT " images. Run “easel verify "
                              "--repair” to restore what can be restored."),
                            report->missing->len, report->corrupt->len, report->checked);
  adw_action_row_set_subtitle (self->verify_row, text);
}

static void
verify_clicked_cb (EaselPreferencesWindow *self)
{
  if (self->store == NULL || self->images == NULL || self->verifying)
    return;
  self->verifying = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->verify_button), FALSE);
  gtk_progress_bar_set_fraction (self->verify_progress, 0);
  gtk_progress_bar_set_text (self->verify_progress, _("Starting…"));
  gtk_widget_set_visible (GTK_WIDGET (self->verify_progress), TRUE);
  adw_action_row_set_subtitle (self->verify_row, _("Checking every image file against its hash…"));
  easel_verify_run_async (self->store, self->images, FALSE, verify_progress_cb, self,
                          self->cancellable, verified_cb, g_object_ref (self));
}

/* Network */

static const char *
endpoint_key (EaselPreferencesWindow *self,
              AdwEntryRow            *row)
{
  if (row == self->replicate_url_row)
    return "replicate-url";
  if (row == self->useapi_url_row)
    return "useapi-url";
  return "openrouter-url";
}

static void
endpoint_apply_cb (EaselPreferencesWindow *self,
                   AdwEntryRow            *row)
{
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autoptr(GError) error = NULL;

  if (url[0] != '\0' && !easel_http_check_url (url, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_label_set_text (self->endpoint_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->endpoint_label), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->endpoint_label), TRUE);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->endpoint_label), FALSE);
  g_settings_set_string (self->settings, endpoint_key (self, row), url);
  toast (self, url[0] != '\0' ? _("Endpoint saved") : _("Using the official endpoint"));
}

static void
load_endpoints (EaselPreferencesWindow *self)
{
  AdwEntryRow *rows[] = { self->replicate_url_row, self->useapi_url_row, self->openrouter_url_row };
  const char *variables[] = { "EASEL_REPLICATE_URL", "EASEL_USEAPI_URL", "EASEL_OPENROUTER_URL" };
  g_autoptr(GString) overridden = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *url = g_settings_get_string (self->settings, endpoint_key (self, rows[i]));

      gtk_editable_set_text (GTK_EDITABLE (rows[i]), url);
      if (g_getenv (variables[i]) != NULL)
        g_string_append_printf (overridden, "%s%s", overridden->len ? ", " : "", variables[i]);
    }
  if (overridden->len > 0)
    {
      /* Translators: environment variable names */
      g_autofree char *text = g_strdup_printf (_("%s in the environment override these settings."),
                                               overridden->str);

      gtk_label_set_text (self->endpoint_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->endpoint_label), TRUE);
    }
}

/* Public */

/**
 * easel_preferences_window_new:
 * @settings: the application's settings
 *
 * Returns: (transfer full): a new #EaselPreferencesWindow; give it the
 *   engine with easel_preferences_window_set_engine()
 */
EaselPreferencesWindow *
easel_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (EASEL_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}

/**
 * easel_preferences_window_set_engine:
 * @self: the preferences
 * @accounts: (nullable): the accounts
 * @store: (nullable): the store, for the ledger and the library check
 * @images: (nullable): the image store
 * @thumbnailer: (nullable): the thumbnailer, for its cache size
 *
 * Gives the pages what they show; all %NULL while the library is still
 * opening (the pages then show settings only).
 */
void
easel_preferences_window_set_engine (EaselPreferencesWindow *self,
                                     EaselAccounts          *accounts,
                                     EaselStore             *store,
                                     EaselImageStore        *images,
                                     EaselThumbnailer       *thumbnailer)
{
  g_return_if_fail (EASEL_IS_PREFERENCES_WINDOW (self));

  if (g_set_object (&self->accounts, accounts) && accounts != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (accounts));

      g_signal_connect_object (accounts, "items-changed", G_CALLBACK (accounts_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (easel_accounts_get_secrets (accounts), "notify::in-memory",
                               G_CALLBACK (update_keyring), self, G_CONNECT_SWAPPED);
      accounts_changed_cb (self, 0, 0, n, G_LIST_MODEL (accounts));
    }
  g_set_object (&self->store, store);
  g_set_object (&self->images, images);
  g_set_object (&self->thumbnailer, thumbnailer);

  update_keyring (self);
  easel_account_form_set_accounts (self->add_form, accounts);
  gtk_widget_set_sensitive (GTK_WIDGET (self->verify_button), store != NULL && images != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->open_images_button), images != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->channels_group), accounts != NULL);
  adw_action_row_set_subtitle (self->database_row, store ? easel_store_get_path (store) : _("Opening…"));
  adw_action_row_set_subtitle (self->images_row, images ? easel_image_store_get_root (images) : _("Opening…"));
  if (thumbnailer != NULL)
    easel_thumbnailer_get_cache_size_async (thumbnailer, self->cancellable, cache_size_cb, g_object_ref (self));
  load_spending (self);
}

/* GObject */

static void
easel_preferences_window_constructed (GObject *object)
{
  EaselPreferencesWindow *self = EASEL_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (easel_preferences_window_parent_class)->constructed (object);

  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                style_get_mapping, style_set_mapping,
                                NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "thumbnail-cache-size",
                                self->cache_size_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                cache_size_get_mapping, cache_size_set_mapping,
                                NULL, NULL);
  g_settings_bind (self->settings, "notify-finished", self->notify_switch, "active", G_SETTINGS_BIND_DEFAULT);
  bind_uint_spin (self, "batch-confirm-size", self->batch_confirm_spin);
  bind_uint_spin (self, "request-timeout", self->timeout_spin);
  bind_uint_spin (self, "replicate-concurrency", self->replicate_concurrency_spin);
  bind_uint_spin (self, "midjourney-concurrency", self->midjourney_concurrency_spin);
  bind_uint_spin (self, "midjourney-video-concurrency", self->midjourney_video_spin);
  build_budgets (self);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (budget_changed_cb), self,
                           G_CONNECT_SWAPPED);
  load_endpoints (self);
  easel_preferences_window_set_engine (self, NULL, NULL, NULL, NULL);
}

static void
easel_preferences_window_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  EaselPreferencesWindow *self = EASEL_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_preferences_window_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  EaselPreferencesWindow *self = EASEL_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_preferences_window_dispose (GObject *object)
{
  EaselPreferencesWindow *self = EASEL_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), EASEL_TYPE_PREFERENCES_WINDOW);
  g_clear_pointer (&self->account_rows, g_ptr_array_unref);
  g_clear_pointer (&self->channel_rows, g_ptr_array_unref);
  g_clear_object (&self->accounts);
  g_clear_object (&self->store);
  g_clear_object (&self->images);
  g_clear_object (&self->thumbnailer);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (easel_preferences_window_parent_class)->dispose (object);
}

static void
easel_preferences_window_finalize (GObject *object)
{
  EaselPreferencesWindow *self = EASEL_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (easel_preferences_window_parent_class)->finalize (object);
}

static void
easel_preferences_window_class_init (EaselPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = easel_preferences_window_constructed;
  object_class->dispose = easel_preferences_window_dispose;
  object_class->finalize = easel_preferences_window_finalize;
  object_class->get_property = easel_preferences_window_get_property;
  object_class->set_property = easel_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (EASEL_TYPE_ACCOUNT_FORM);
  g_type_ensure (EASEL_TYPE_SPENDING_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-preferences-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, EaselPreferencesWindow, name)
  BIND (keyring_group);
  BIND (keyring_reason_label);
  BIND (accounts_group);
  BIND (no_accounts_row);
  BIND (add_form);
  BIND (add_button);
  BIND (replicate_concurrency_spin);
  BIND (midjourney_concurrency_spin);
  BIND (midjourney_video_spin);
  BIND (channels_group);
  BIND (channels_button);
  BIND (channels_status_row);
  BIND (spent_today_row);
  BIND (spent_month_row);
  BIND (chart);
  BIND (budgets_group);
  BIND (database_row);
  BIND (images_row);
  BIND (open_images_button);
  BIND (cache_size_row);
  BIND (verify_row);
  BIND (verify_button);
  BIND (verify_progress);
  BIND (replicate_url_row);
  BIND (useapi_url_row);
  BIND (openrouter_url_row);
  BIND (endpoint_label);
  BIND (timeout_spin);
  BIND (style_row);
  BIND (notify_switch);
  BIND (batch_confirm_spin);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, channels_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_images_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, verify_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, endpoint_apply_cb);
}

static void
easel_preferences_window_init (EaselPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->account_rows = g_ptr_array_new ();
  self->channel_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
