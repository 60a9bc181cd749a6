/* easel-http-provider.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "easel-http-provider.h"

#include <string.h>

typedef struct
{
  EaselHttpClient *client;
  char            *base_url;
  char            *token;
} EaselHttpProviderPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (EaselHttpProvider, easel_http_provider, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  N_PROPS
};

/**
 * easel_http_provider_get_client:
 * @self: a provider
 *
 * Returns: (transfer none): the account's HTTP client
 */
EaselHttpClient *
easel_http_provider_get_client (EaselHttpProvider *self)
{
  EaselHttpProviderPrivate *priv = easel_http_provider_get_instance_private (self);

  g_return_val_if_fail (EASEL_IS_HTTP_PROVIDER (self), NULL);

  return priv->client;
}

/**
 * easel_http_provider_get_base_url:
 * @self: a provider
 *
 * Returns: the endpoint
 */
const char *
easel_http_provider_get_base_url (EaselHttpProvider *self)
{
  EaselHttpProviderPrivate *priv = easel_http_provider_get_instance_private (self);

  g_return_val_if_fail (EASEL_IS_HTTP_PROVIDER (self), NULL);

  return priv->base_url;
}

static void
easel_http_provider_constructed (GObject *object)
{
  EaselHttpProvider *self = EASEL_HTTP_PROVIDER (object);
  EaselHttpProviderClass *klass = EASEL_HTTP_PROVIDER_GET_CLASS (self);
  EaselHttpProviderPrivate *priv = easel_http_provider_get_instance_private (self);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (easel_http_provider_parent_class)->constructed (object);

  g_assert (klass->client_name != NULL && klass->default_url != NULL);

  if (priv->base_url == NULL)
    priv->base_url = g_strdup (klass->default_url);

  priv->client = easel_http_client_new (klass->client_name, priv->base_url, priv->token, &error);
  if (priv->client == NULL)
    {
      /* The registry checks URLs before constructing; a caller that did
       * not still gets a working object, pointed at the official endpoint. */
      g_warning ("%s", error->message);
      g_free (priv->base_url);
      priv->base_url = g_strdup (klass->default_url);
      priv->client = easel_http_client_new (klass->client_name, priv->base_url, priv->token, NULL);
    }
  easel_http_client_set_classify_func (priv->client, klass->classify, NULL);

  /* The client holds the token now; keep no other copy. */
  if (priv->token != NULL)
    memset (priv->token, 0, strlen (priv->token));
  g_clear_pointer (&priv->token, g_free);
}

static void
easel_http_provider_finalize (GObject *object)
{
  EaselHttpProviderPrivate *priv = easel_http_provider_get_instance_private (EASEL_HTTP_PROVIDER (object));

  g_clear_object (&priv->client);
  g_clear_pointer (&priv->base_url, g_free);
  g_clear_pointer (&priv->token, g_free);

  G_OBJECT_CLASS (easel_http_provider_parent_class)->finalize (object);
}

static void
easel_http_provider_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EaselHttpProviderPrivate *priv = easel_http_provider_get_instance_private (EASEL_HTTP_PROVIDER (object));

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, priv->base_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_http_provider_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EaselHttpProviderPrivate *priv = easel_http_provider_get_instance_private (EASEL_HTTP_PROVIDER (object));

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_free (priv->base_url);
      priv->base_url = g_value_dup_string (value);
      break;
    case PROP_TOKEN:
      g_free (priv->token);
      priv->token = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_http_provider_class_init (EaselHttpProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = easel_http_provider_constructed;
  object_class->finalize = easel_http_provider_finalize;
  object_class->get_property = easel_http_provider_get_property;
  object_class->set_property = easel_http_provider_set_property;

  /* The properties of the EaselProvider interface, implemented here. */
  g_object_class_install_property (object_class, PROP_BASE_URL,
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS)));
  g_object_class_install_property (object_class, PROP_TOKEN,
    g_param_spec_string ("token", NULL, NULL, NULL,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS)));
}

static void
easel_http_provider_init (EaselHttpProvider *self)
{
}
