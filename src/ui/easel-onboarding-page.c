/* easel-onboarding-page.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The first-run page: what each provider costs, a button that adds an
 * account of each (through EaselAccountDialog), a way to the gallery for
 * a library that has images but no account, and, in a development build
 * (the one ./build-aux/dev makes from the source tree), the command that
 * runs Easel against the local emulator.
 *
 * "needed" says whether the page should show: the accounts are loaded and
 * none is for an image provider. Tokens from the environment are accounts
 * too, so `./build-aux/dev demo` never shows the page. */

#include "config.h"

#include "easel-onboarding-page.h"

#include <glib/gi18n.h>

#include "easel-account-dialog.h"
#include "easel-provider-registry.h"

struct _EaselOnboardingPage
{
  AdwBin          parent_instance;

  EaselAccounts  *accounts;
  gboolean        needed;

  /* Template widgets */
  GtkWidget      *browse_button;
  GtkWidget      *demo_box;
};

G_DEFINE_FINAL_TYPE (EaselOnboardingPage, easel_onboarding_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_NEEDED,
  N_PROPS
};

enum {
  BROWSE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_needed (EaselOnboardingPage *self)
{
  /* Decided from the listed accounts, without waiting for their tokens. */
  gboolean needed = self->accounts != NULL && easel_accounts_get_listed (self->accounts);
  guint n = self->accounts ? g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) : 0;

  for (guint i = 0; i < n && needed; i++)
    {
      g_autoptr(EaselAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      /* OpenRouter only enhances prompts: it makes no images. */
      if (easel_provider_registry_lookup (easel_account_get_provider (account)) != NULL)
        needed = FALSE;
    }
  if (needed != self->needed)
    {
      self->needed = needed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDED]);
    }
}

/**
 * easel_onboarding_page_new:
 *
 * Returns: (transfer floating): a new page
 */
GtkWidget *
easel_onboarding_page_new (void)
{
  return g_object_new (EASEL_TYPE_ONBOARDING_PAGE, NULL);
}

/**
 * easel_onboarding_page_set_accounts:
 * @self: the page
 * @accounts: (nullable): the accounts, listed or not yet
 *
 * The page follows @accounts: "needed" changes as accounts come and go,
 * and is %FALSE until they are listed.
 */
void
easel_onboarding_page_set_accounts (EaselOnboardingPage *self,
                                    EaselAccounts       *accounts)
{
  g_return_if_fail (EASEL_IS_ONBOARDING_PAGE (self));
  g_return_if_fail (accounts == NULL || EASEL_IS_ACCOUNTS (accounts));

  if (self->accounts == accounts)
    return;
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  g_set_object (&self->accounts, accounts);
  if (accounts != NULL)
    {
      g_signal_connect_swapped (accounts, "items-changed", G_CALLBACK (update_needed), self);
      g_signal_connect_swapped (accounts, "notify::listed", G_CALLBACK (update_needed), self);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "onboarding.add-account", accounts != NULL);
  update_needed (self);
}

/**
 * easel_onboarding_page_get_needed:
 * @self: the page
 *
 * Returns: whether the accounts are listed and none makes images
 */
gboolean
easel_onboarding_page_get_needed (EaselOnboardingPage *self)
{
  g_return_val_if_fail (EASEL_IS_ONBOARDING_PAGE (self), FALSE);

  return self->needed;
}

/**
 * easel_onboarding_page_set_can_browse:
 * @self: the page
 * @can_browse: whether the library has images to browse
 *
 * Shows "Browse the Library Without an Account", which emits
 * #EaselOnboardingPage::browse.
 */
void
easel_onboarding_page_set_can_browse (EaselOnboardingPage *self,
                                      gboolean             can_browse)
{
  g_return_if_fail (EASEL_IS_ONBOARDING_PAGE (self));

  gtk_widget_set_visible (self->browse_button, can_browse);
}

static void
add_account_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  EaselOnboardingPage *self = EASEL_ONBOARDING_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  EaselAccountDialog *dialog;

  if (self->accounts == NULL)
    return;
  dialog = easel_account_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->accounts,
                                     g_variant_get_string (parameter, NULL));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
browse_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[BROWSE], 0);
}

static void
easel_onboarding_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  EaselOnboardingPage *self = EASEL_ONBOARDING_PAGE (object);

  switch (prop_id)
    {
    case PROP_NEEDED:
      g_value_set_boolean (value, self->needed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_onboarding_page_dispose (GObject *object)
{
  EaselOnboardingPage *self = EASEL_ONBOARDING_PAGE (object);

  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  g_clear_object (&self->accounts);
  gtk_widget_dispose_template (GTK_WIDGET (self), EASEL_TYPE_ONBOARDING_PAGE);

  G_OBJECT_CLASS (easel_onboarding_page_parent_class)->dispose (object);
}

static void
easel_onboarding_page_class_init (EaselOnboardingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = easel_onboarding_page_dispose;
  object_class->get_property = easel_onboarding_page_get_property;

  properties[PROP_NEEDED] =
    g_param_spec_boolean ("needed", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EaselOnboardingPage::browse:
   * @self: the page
   *
   * The user wants to see the library without adding an account.
   */
  signals[BROWSE] =
    g_signal_new ("browse", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "onboarding.add-account", "s", add_account_action);
  gtk_widget_class_install_action (widget_class, "onboarding.browse", NULL, browse_action);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-onboarding-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EaselOnboardingPage, browse_button);
  gtk_widget_class_bind_template_child (widget_class, EaselOnboardingPage, demo_box);
}

static void
easel_onboarding_page_init (EaselOnboardingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The bin's own child is not a bound template child, which
   * gtk_widget_dispose_template() would unparent behind AdwBin's back. */
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (adw_bin_get_child (ADW_BIN (self))), APP_ID);
  gtk_widget_set_visible (self->demo_box, DEVELOPMENT_BUILD);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "onboarding.add-account", FALSE);
}
