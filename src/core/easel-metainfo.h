/* easel-metainfo.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * EaselMetainfo:
 * @id: the component ID
 * @name: the application name
 * @summary: the one-line summary
 * @developer_name: (nullable): the developer's name
 * @project_license: (nullable): the SPDX licence expression of the project
 * @homepage: (nullable): the homepage URL
 * @bugtracker: (nullable): the issue tracker URL
 * @description: (nullable): the description as AppStream description markup
 * @release_version: (nullable): the version of the newest release
 * @release_date: (nullable): the date of the newest release
 * @release_notes: (nullable): the newest release's description as AppStream
 *   description markup (`<p>`, `<ul>`, `<ol>`, `<li>`, `<em>`, `<code>`)
 *
 * What the About window needs from the application's AppStream metainfo.
 * Translatable text is passed through gettext, so a translated catalogue
 * gives translated values.
 */
typedef struct
{
  char *id;
  char *name;
  char *summary;
  char *developer_name;
  char *project_license;
  char *homepage;
  char *bugtracker;
  char *description;
  char *release_version;
  char *release_date;
  char *release_notes;
} EaselMetainfo;

EaselMetainfo *easel_metainfo_parse (const char  *data,
                                     gssize       length,
                                     GError     **error);
void           easel_metainfo_free  (EaselMetainfo *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselMetainfo, easel_metainfo_free)

G_END_DECLS
