/* easel-http-provider.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "easel-http-client.h"
#include "easel-provider.h"

G_BEGIN_DECLS

#define EASEL_TYPE_HTTP_PROVIDER (easel_http_provider_get_type ())

G_DECLARE_DERIVABLE_TYPE (EaselHttpProvider, easel_http_provider, EASEL, HTTP_PROVIDER, GObject)

/**
 * EaselHttpProviderClass:
 * @parent_class: the parent class
 * @client_name: the provider's name in messages ("Replicate")
 * @default_url: the official endpoint, used when none is given
 * @classify: the provider's error mapping, or %NULL
 *
 * The base of providers that speak HTTP: it owns the "base-url" and
 * "token" properties of #EaselProvider and the one long-lived
 * #EaselHttpClient of the account. The token goes into the client and is
 * wiped from the object right after construction.
 */
struct _EaselHttpProviderClass
{
  GObjectClass           parent_class;

  const char            *client_name;
  const char            *default_url;
  EaselHttpClassifyFunc  classify;
};

EaselHttpClient *easel_http_provider_get_client   (EaselHttpProvider *self);
const char      *easel_http_provider_get_base_url (EaselHttpProvider *self);

G_END_DECLS
