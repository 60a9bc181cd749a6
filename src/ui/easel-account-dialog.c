/* easel-account-dialog.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The first-run dialog that adds one account of a given provider: where to
 * find a token, the account form, an optional connection test of the typed
 * token (before anything is saved), and Add. Once added, the dialog closes
 * and tells its parent window through "win.show-toast" where the token
 * went; a failure stays in the dialog with what was typed. */

#include "config.h"

#include "easel-account-dialog.h"

#include <glib/gi18n.h>

#include "easel-account-form.h"

struct _EaselAccountDialog
{
  AdwWindow         parent_instance;

  GCancellable     *cancellable;
  GtkWindow        *parent;        /* weak */
  EaselAccountForm *form;
  GtkWidget        *add_button;
  GtkWidget        *test_button;
  GtkLabel         *status_label;
};

G_DEFINE_FINAL_TYPE (EaselAccountDialog, easel_account_dialog, ADW_TYPE_WINDOW)

static void
set_status (EaselAccountDialog *self,
            const char         *text,
            const char         *css_class)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), css_class);
  gtk_label_set_text (self->status_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(EaselAccountDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  gtk_widget_set_sensitive (self->test_button, TRUE);
  if (easel_account_form_test_finish (EASEL_ACCOUNT_FORM (object), result, &error))
    set_status (self, _("The connection works: the provider accepted the token."), "success");
  else
    {
      g_autofree char *text = easel_account_form_describe_error (error);

      set_status (self, text, "error");
    }
}

static void
test_clicked_cb (EaselAccountDialog *self)
{
  gtk_widget_set_sensitive (self->test_button, FALSE);
  set_status (self, _("Testing the connection…"), "dim-label");
  easel_account_form_test_async (self->form, self->cancellable, tested_cb, g_object_ref (self));
}

static void
added_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(EaselAccountDialog) self = user_data;
  g_autoptr(EaselAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  account = easel_account_form_add_finish (EASEL_ACCOUNT_FORM (object), result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (account == NULL)
    {
      g_autofree char *text = easel_account_form_describe_error (error);

      set_status (self, text, "error");
      return;
    }
  message = easel_account_form_describe_added (account);
  if (self->parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->parent), "win.show-toast", "s", message);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
add_clicked_cb (EaselAccountDialog *self)
{
  set_status (self, NULL, NULL);
  easel_account_form_add_async (self->form, self->cancellable, added_cb, g_object_ref (self));
}

static void
form_changed_cb (EaselAccountDialog *self)
{
  gboolean ready = easel_account_form_get_ready (self->form);

  gtk_widget_set_sensitive (self->add_button, ready);
}

static GtkWidget *
token_help (const char *provider)
{
  GtkWidget *label = gtk_label_new (NULL);

  if (g_str_equal (provider, "replicate"))
    gtk_label_set_markup (GTK_LABEL (label),
                          _("Create a token on your Replicate account page, under "
                            "<a href=\"https://replicate.com/account/api-tokens\">API tokens</a>. "
                            "It starts with “r8_”."));
  else
    gtk_label_set_markup (GTK_LABEL (label),
                          _("Copy your token from your <a href=\"https://useapi.net\">UseAPI.net</a> "
                            "account. Connect your Midjourney account to UseAPI.net first; Easel "
                            "then uses the channels you set up there."));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  return label;
}

/**
 * easel_account_dialog_new:
 * @parent: (nullable): the window it is for
 * @accounts: where the account is added
 * @provider: the provider id, "replicate" or "midjourney"
 *
 * Returns: (transfer none): a new modal dialog, not shown yet, owned by
 *   GTK's window list
 */
EaselAccountDialog *
easel_account_dialog_new (GtkWindow     *parent,
                          EaselAccounts *accounts,
                          const char    *provider)
{
  EaselAccountDialog *self;
  GtkWidget *box, *header, *cancel, *clamp, *content, *test_box;
  g_autofree char *title = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (EASEL_IS_ACCOUNTS (accounts), NULL);
  g_return_val_if_fail (provider != NULL, NULL);

  self = g_object_new (EASEL_TYPE_ACCOUNT_DIALOG,
                       "modal", TRUE,
                       "transient-for", parent,
                       "default-width", 520,
                       "destroy-with-parent", TRUE,
                       NULL);
  g_set_weak_pointer (&self->parent, parent);

  /* Translators: a provider name */
  title = g_strdup_printf (_("Add %s Account"), easel_accounts_provider_name (provider));
  gtk_window_set_title (GTK_WINDOW (self), title);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->add_button = gtk_button_new_with_mnemonic (_("_Add"));
  gtk_widget_add_css_class (self->add_button, "suggested-action");
  g_signal_connect_swapped (self->add_button, "clicked", G_CALLBACK (add_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->add_button);
  gtk_box_append (GTK_BOX (box), header);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_top (content, 24);
  gtk_widget_set_margin_bottom (content, 24);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_box_append (GTK_BOX (content), token_help (provider));

  self->form = EASEL_ACCOUNT_FORM (easel_account_form_new ());
  easel_account_form_set_provider (self->form, provider);
  easel_account_form_set_accounts (self->form, accounts);
  g_signal_connect_object (self->form, "notify::ready", G_CALLBACK (form_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->form));

  test_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->test_button = gtk_button_new_with_mnemonic (_("_Test Connection"));
  gtk_widget_set_valign (self->test_button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (self->test_button, _("Check the token with the provider before saving it; nothing is billed"));
  g_signal_connect_swapped (self->test_button, "clicked", G_CALLBACK (test_clicked_cb), self);
  gtk_box_append (GTK_BOX (test_box), self->test_button);
  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_label_set_xalign (self->status_label, 0);
  gtk_label_set_selectable (self->status_label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->status_label), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->status_label), GTK_ALIGN_CENTER);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
  gtk_box_append (GTK_BOX (test_box), GTK_WIDGET (self->status_label));
  gtk_box_append (GTK_BOX (content), test_box);

  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 480);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_box_append (GTK_BOX (box), clamp);
  adw_window_set_content (ADW_WINDOW (self), box);

  gtk_window_set_default_widget (GTK_WINDOW (self), self->add_button);
  form_changed_cb (self);
  return self;
}

/**
 * easel_account_dialog_get_form:
 * @self: the dialog
 *
 * Returns: (transfer none): its #EaselAccountForm
 */
GtkWidget *
easel_account_dialog_get_form (EaselAccountDialog *self)
{
  g_return_val_if_fail (EASEL_IS_ACCOUNT_DIALOG (self), NULL);

  return GTK_WIDGET (self->form);
}

static void
easel_account_dialog_dispose (GObject *object)
{
  EaselAccountDialog *self = EASEL_ACCOUNT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->parent);

  G_OBJECT_CLASS (easel_account_dialog_parent_class)->dispose (object);
}

static void
easel_account_dialog_finalize (GObject *object)
{
  EaselAccountDialog *self = EASEL_ACCOUNT_DIALOG (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (easel_account_dialog_parent_class)->finalize (object);
}

static void
easel_account_dialog_class_init (EaselAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = easel_account_dialog_dispose;
  object_class->finalize = easel_account_dialog_finalize;

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
easel_account_dialog_init (EaselAccountDialog *self)
{
  self->cancellable = g_cancellable_new ();
}
