/* easel-query-private.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The SQL form of an EaselQuery, shared by easel-query.c, which makes it,
 * and easel-library.c, which runs it. Not for the UI. */

#pragma once

#include <sqlite3.h>

#include "easel-query.h"

G_BEGIN_DECLS

typedef enum
{
  EASEL_QUERY_VALUE_INT64,
  EASEL_QUERY_VALUE_DOUBLE,
  EASEL_QUERY_VALUE_TEXT,
} EaselQueryValueType;

typedef struct
{
  EaselQueryValueType  type;
  gint64               int64;
  double               number;
  char                *text;
} EaselQueryValue;

/**
 * EaselQuerySql:
 * @filters: the conditions on `images i` other than full text, including
 *   whether the image is in the trash; SQL made of constants and `?` only
 * @values: (element-type EaselQueryValue): the values of the `?` in
 *   @filters, in order
 * @n_filters: how many conditions the user asked for (0: only the trash
 *   condition)
 * @match: (nullable): the FTS5 query for `images_fts MATCH ?`, made of
 *   quoted tokens only, or %NULL when there is no free text
 * @trashed: whether the query is over the trash
 * @sort: the order
 *
 * A query compiled to SQL: an immutable copy, safe to hand to the store's
 * thread. The full-text part is kept apart so the library can choose how
 * to join it (see easel-library.c); easel_query_sql_dup_where() gives the
 * whole condition as one clause.
 */
typedef struct
{
  char      *filters;
  GArray    *values;
  guint      n_filters;
  char      *match;
  gboolean   trashed;
  EaselSort  sort;
} EaselQuerySql;

EaselQuerySql *easel_query_compile           (EaselQuery     *self);
void           easel_query_sql_free          (EaselQuerySql  *sql);
char          *easel_query_sql_dup_where     (EaselQuerySql  *sql);
const char    *easel_query_sql_get_fts_rowid (EaselQuerySql  *sql);
const char    *easel_query_sql_get_fts_range (EaselQuerySql  *sql);
const char    *easel_query_sql_get_order_by  (EaselQuerySql  *sql);
int            easel_query_sql_bind_filters  (EaselQuerySql  *sql,
                                              sqlite3_stmt   *stmt,
                                              int             index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselQuerySql, easel_query_sql_free)

G_END_DECLS
