/* easel-account-form.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The rows that add an account: provider, name, token and whether it
 * becomes the default, with the token's format warnings as it is typed.
 * The preferences' Accounts page and the first-run dialog both use it; the
 * button that adds belongs to them and follows the "ready" property. */

#include "config.h"

#include "easel-account-form.h"

#include <glib/gi18n.h>

#include "easel-error.h"

struct _EaselAccountForm
{
  AdwBin          parent_instance;

  EaselAccounts  *accounts;
  gboolean        ready;
  gboolean        adding;

  /* Template widgets */
  AdwComboRow    *provider_row;
  AdwEntryRow    *name_row;
  AdwEntryRow    *token_row;
  AdwActionRow   *default_row;
  GtkSwitch      *default_switch;
  GtkLabel       *warning_label;
};

G_DEFINE_FINAL_TYPE (EaselAccountForm, easel_account_form, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* In the order of the provider row's model. */
static const char * const form_providers[] = { "replicate", "midjourney", "openrouter" };

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
changed_cb (EaselAccountForm *self)
{
  const char *name = text_of (self->name_row);
  const char *token = text_of (self->token_row);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) name_error = NULL;
  gboolean name_ok = name[0] != '\0' && easel_accounts_check_name (name, &name_error);
  gboolean ready;

  if (name[0] != '\0' && !name_ok)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
      g_ptr_array_add (lines, g_strdup (name_error->message));
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  if (token[0] != '\0')
    {
      g_auto(GStrv) warnings = easel_accounts_check_token (easel_account_form_get_provider (self), token);

      for (guint i = 0; warnings[i] != NULL; i++)
        g_ptr_array_add (lines, g_strdup (warnings[i]));
    }
  g_ptr_array_add (lines, NULL);
  {
    g_autofree char *text = g_strjoinv ("\n", (char **) lines->pdata);

    gtk_label_set_text (self->warning_label, text);
    gtk_widget_set_visible (GTK_WIDGET (self->warning_label), text[0] != '\0');
  }

  ready = self->accounts != NULL && !self->adding && name_ok && token[0] != '\0';
  if (ready != self->ready)
    {
      self->ready = ready;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }
}

/**
 * easel_account_form_new:
 *
 * Returns: (transfer floating): a new, empty form
 */
GtkWidget *
easel_account_form_new (void)
{
  return g_object_new (EASEL_TYPE_ACCOUNT_FORM, NULL);
}

/**
 * easel_account_form_set_accounts:
 * @self: the form
 * @accounts: (nullable): where accounts are added; %NULL while they load
 */
void
easel_account_form_set_accounts (EaselAccountForm *self,
                                 EaselAccounts    *accounts)
{
  g_return_if_fail (EASEL_IS_ACCOUNT_FORM (self));
  g_return_if_fail (accounts == NULL || EASEL_IS_ACCOUNTS (accounts));

  g_set_object (&self->accounts, accounts);
  changed_cb (self);
}

/**
 * easel_account_form_set_provider:
 * @self: the form
 * @provider: (nullable): a provider id, or %NULL to let the user choose
 *
 * Fixes the provider and hides its picker. A form for one provider is the
 * first-run one: its account becomes the provider's default in any case,
 * so the default switch is hidden too, and the name is filled in with the
 * provider's id, which the user may change.
 */
void
easel_account_form_set_provider (EaselAccountForm *self,
                                 const char       *provider)
{
  g_return_if_fail (EASEL_IS_ACCOUNT_FORM (self));

  gtk_widget_set_visible (GTK_WIDGET (self->provider_row), provider == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->default_row), provider == NULL);
  if (provider == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (form_providers); i++)
    {
      if (g_str_equal (provider, form_providers[i]))
        adw_combo_row_set_selected (self->provider_row, i);
    }
  if (text_of (self->name_row)[0] == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), easel_account_form_get_provider (self));
}

/**
 * easel_account_form_get_provider:
 * @self: the form
 *
 * Returns: the id of the chosen provider
 */
const char *
easel_account_form_get_provider (EaselAccountForm *self)
{
  guint selected;

  g_return_val_if_fail (EASEL_IS_ACCOUNT_FORM (self), NULL);

  selected = adw_combo_row_get_selected (self->provider_row);
  return form_providers[selected < G_N_ELEMENTS (form_providers) ? selected : 0];
}

/**
 * easel_account_form_get_ready:
 * @self: the form
 *
 * Returns: whether the name is valid, a token is typed, the accounts are
 *   there to add it to and no account is being added (format warnings do
 *   not stop it: they may be wrong)
 */
gboolean
easel_account_form_get_ready (EaselAccountForm *self)
{
  g_return_val_if_fail (EASEL_IS_ACCOUNT_FORM (self), FALSE);

  return self->ready;
}

static void
added_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaselAccountForm *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  EaselAccount *account;

  self->adding = FALSE;
  account = easel_accounts_add_finish (EASEL_ACCOUNTS (object), result, &error);
  if (account == NULL)
    {
      if (self->name_row != NULL)
        changed_cb (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->name_row == NULL)
    {
      g_task_return_pointer (task, account, g_object_unref);
      return;   /* disposed meanwhile */
    }
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  gtk_switch_set_active (self->default_switch, FALSE);
  g_task_return_pointer (task, account, g_object_unref);
}

/**
 * easel_account_form_add_async:
 * @self: a ready form
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Adds the account the form describes (its token goes to the keyring) and
 * empties the form once it is added.
 */
void
easel_account_form_add_async (EaselAccountForm    *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EASEL_IS_ACCOUNT_FORM (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_account_form_add_async);
  if (!self->ready)
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                               _("The account needs a valid name and a token"));
      return;
    }
  /* Not ready while adding, so a second click does not add it twice. */
  self->adding = TRUE;
  changed_cb (self);
  easel_accounts_add_async (self->accounts, easel_account_form_get_provider (self),
                            text_of (self->name_row), text_of (self->token_row),
                            gtk_switch_get_active (self->default_switch),
                            cancellable, added_cb, g_steal_pointer (&task));
}

/**
 * easel_account_form_add_finish:
 * @self: the form
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the new account, or %NULL with
 *   @error set (the form then keeps what was typed)
 */
EaselAccount *
easel_account_form_add_finish (EaselAccountForm  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (easel_accounts_test_finish (EASEL_ACCOUNTS (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * easel_account_form_test_async:
 * @self: a form with a token
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Checks the typed token with the provider before it is saved; nothing is
 * billed (see easel_accounts_test_token_async()).
 */
void
easel_account_form_test_async (EaselAccountForm    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EASEL_IS_ACCOUNT_FORM (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_account_form_test_async);
  if (self->accounts == NULL || text_of (self->token_row)[0] == '\0')
    {
      g_task_return_new_error (task, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER,
                               _("Type a token to test"));
      return;
    }
  easel_accounts_test_token_async (self->accounts, easel_account_form_get_provider (self),
                                   text_of (self->token_row), cancellable, tested_cb,
                                   g_steal_pointer (&task));
}

/**
 * easel_account_form_test_finish:
 * @self: the form
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the provider accepted the token
 */
gboolean
easel_account_form_test_finish (EaselAccountForm  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * easel_account_form_describe_added:
 * @account: an account just added
 *
 * Returns: (transfer full): where its token went, for a toast
 */
char *
easel_account_form_describe_added (EaselAccount *account)
{
  g_return_val_if_fail (EASEL_IS_ACCOUNT (account), NULL);

  if (easel_account_get_source (account) == EASEL_ACCOUNT_SOURCE_MEMORY)
    /* Translators: an account name */
    return g_strdup_printf (_("Added “%s” for this session only: there is no keyring"),
                            easel_account_get_name (account));
  /* Translators: an account name */
  return g_strdup_printf (_("Added “%s”; its token is in the keyring"), easel_account_get_name (account));
}

/**
 * easel_account_form_describe_error:
 * @error: an error from adding or testing
 *
 * Returns: (transfer full): the error's message and, when there is one,
 *   its remedy
 */
char *
easel_account_form_describe_error (const GError *error)
{
  const char *remedy;

  g_return_val_if_fail (error != NULL, NULL);

  remedy = easel_error_get_remedy (error);
  return remedy ? g_strdup_printf ("%s %s", error->message, remedy) : g_strdup (error->message);
}

static void
easel_account_form_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EaselAccountForm *self = EASEL_ACCOUNT_FORM (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_account_form_dispose (GObject *object)
{
  EaselAccountForm *self = EASEL_ACCOUNT_FORM (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), EASEL_TYPE_ACCOUNT_FORM);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (easel_account_form_parent_class)->dispose (object);
}

static void
easel_account_form_class_init (EaselAccountFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = easel_account_form_dispose;
  object_class->get_property = easel_account_form_get_property;

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-account-form.ui");
  gtk_widget_class_bind_template_child (widget_class, EaselAccountForm, provider_row);
  gtk_widget_class_bind_template_child (widget_class, EaselAccountForm, name_row);
  gtk_widget_class_bind_template_child (widget_class, EaselAccountForm, token_row);
  gtk_widget_class_bind_template_child (widget_class, EaselAccountForm, default_row);
  gtk_widget_class_bind_template_child (widget_class, EaselAccountForm, default_switch);
  gtk_widget_class_bind_template_child (widget_class, EaselAccountForm, warning_label);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
}

static void
easel_account_form_init (EaselAccountForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
