/* easel-query.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define EASEL_QUERY_ERROR (easel_query_error_quark ())

/**
 * EaselQueryError:
 * @EASEL_QUERY_ERROR_INVALID: the text is not a valid query: an unknown
 *   field, an empty or malformed value, text that is not UTF-8, or a query
 *   over the size limits
 * @EASEL_QUERY_ERROR_UNSUPPORTED: the query uses a field that this version
 *   of Easel parses but cannot answer yet (none at the moment)
 *
 * Error codes of the %EASEL_QUERY_ERROR domain. Every error carries the
 * place of the problem in the text: see easel_query_error_get_offset().
 */
typedef enum
{
  EASEL_QUERY_ERROR_INVALID,
  EASEL_QUERY_ERROR_UNSUPPORTED,
} EaselQueryError;

/**
 * EaselSort:
 * @EASEL_SORT_NEWEST: newest first
 * @EASEL_SORT_OLDEST: oldest first
 * @EASEL_SORT_RATING: highest rating first, then newest first
 *
 * The order of a query's results. Images created at the same microsecond
 * keep a fixed order among themselves, so paging is stable.
 */
typedef enum
{
  EASEL_SORT_NEWEST,
  EASEL_SORT_OLDEST,
  EASEL_SORT_RATING,
} EaselSort;

#define EASEL_TYPE_SORT (easel_sort_get_type ())
#define EASEL_TYPE_QUERY (easel_query_get_type ())

GType easel_sort_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (EaselQuery, easel_query, EASEL, QUERY, GObject)

GQuark       easel_query_error_quark       (void);
int          easel_query_error_get_offset  (const GError  *error);
int          easel_query_error_get_length  (const GError  *error);

EaselQuery  *easel_query_parse             (const char    *text,
                                            GError       **error);
const char  *easel_query_get_text          (EaselQuery    *self);
gboolean     easel_query_is_empty          (EaselQuery    *self);
gboolean     easel_query_has_text          (EaselQuery    *self);
EaselSort    easel_query_get_sort          (EaselQuery    *self);
void         easel_query_set_sort          (EaselQuery    *self,
                                            EaselSort      sort);
gboolean     easel_query_get_show_trashed  (EaselQuery    *self);
void         easel_query_set_show_trashed  (EaselQuery    *self,
                                            gboolean       show_trashed);
EaselQuery  *easel_query_copy              (EaselQuery    *self);

char        *easel_query_normalize_tag     (const char    *tag,
                                            GError       **error);

G_END_DECLS
