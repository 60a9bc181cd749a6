/* easel-template-store.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "easel-store.h"
#include "easel-template.h"

G_BEGIN_DECLS

/**
 * EaselTemplate:
 * @id: the template's id, 0 for one never saved
 * @name: its name, unique without regard to case
 * @version: the version these fields are, from 1
 * @latest_version: the template's newest version (0 for one never saved)
 * @body: the prompt, with `{{variables}}` and `{alternatives}`
 * @negative: the negative prompt, "" for none
 * @variables: (element-type EaselTemplateVariable): its variables
 * @provider: (nullable): the provider id it was written for
 * @model: (nullable): the model it was written for
 * @params: (nullable): the model's parameters
 * @created_at: when the template was first saved, µs since the epoch
 * @updated_at: when this version was saved, µs since the epoch
 * @deleted_at: when it was deleted, 0 if it was not
 *
 * One version of a template, as saved in the store.
 */
typedef struct
{
  gint64      id;
  char       *name;
  int         version;
  int         latest_version;
  char       *body;
  char       *negative;
  GPtrArray  *variables;
  char       *provider;
  char       *model;
  JsonObject *params;
  gint64      created_at;
  gint64      updated_at;
  gint64      deleted_at;
} EaselTemplate;

#define EASEL_TYPE_TEMPLATE (easel_template_get_type ())

GType          easel_template_get_type (void) G_GNUC_CONST;
EaselTemplate *easel_template_new      (const char          *name,
                                        const char          *body);
EaselTemplate *easel_template_copy     (const EaselTemplate *self);
void           easel_template_free     (EaselTemplate       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselTemplate, easel_template_free)

#define EASEL_TYPE_TEMPLATE_STORE (easel_template_store_get_type ())

G_DECLARE_FINAL_TYPE (EaselTemplateStore, easel_template_store, EASEL, TEMPLATE_STORE, GObject)

EaselTemplateStore *easel_template_store_new                  (EaselStore           *store);
EaselStore         *easel_template_store_get_store            (EaselTemplateStore   *self);

void                easel_template_store_list_async           (EaselTemplateStore   *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
GPtrArray          *easel_template_store_list_finish          (EaselTemplateStore   *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void                easel_template_store_load_async           (EaselTemplateStore   *self,
                                                               gint64                id,
                                                               const char           *name,
                                                               int                   version,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
EaselTemplate      *easel_template_store_load_finish          (EaselTemplateStore   *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void                easel_template_store_save_async           (EaselTemplateStore   *self,
                                                               const EaselTemplate  *template_,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
EaselTemplate      *easel_template_store_save_finish          (EaselTemplateStore   *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void                easel_template_store_rename_async         (EaselTemplateStore   *self,
                                                               gint64                id,
                                                               const char           *name,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean            easel_template_store_rename_finish        (EaselTemplateStore   *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void                easel_template_store_delete_async         (EaselTemplateStore   *self,
                                                               gint64                id,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean            easel_template_store_delete_finish        (EaselTemplateStore   *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void                easel_template_store_list_versions_async  (EaselTemplateStore   *self,
                                                               gint64                id,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
GPtrArray          *easel_template_store_list_versions_finish (EaselTemplateStore   *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

G_END_DECLS
