/* easel-db.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define EASEL_STORE_ERROR (easel_store_error_quark ())

/**
 * EaselStoreError:
 * @EASEL_STORE_ERROR_FAILED: any other database error (including SQL errors,
 *   which are programming errors)
 * @EASEL_STORE_ERROR_CORRUPT: the database file is damaged or is not a
 *   database (`SQLITE_CORRUPT`, `SQLITE_NOTADB`)
 * @EASEL_STORE_ERROR_TOO_NEW: the database was written by a newer Easel whose
 *   schema this build does not know
 * @EASEL_STORE_ERROR_BUSY: another connection holds a lock for longer than
 *   the busy timeout (`SQLITE_BUSY`, `SQLITE_LOCKED`)
 * @EASEL_STORE_ERROR_CONSTRAINT: a `UNIQUE`, `NOT NULL`, `CHECK` or foreign
 *   key constraint refused the change (`SQLITE_CONSTRAINT`)
 * @EASEL_STORE_ERROR_FULL: the disk is full (`SQLITE_FULL`)
 * @EASEL_STORE_ERROR_READONLY: the database or its folder cannot be written
 *   (`SQLITE_READONLY`, `SQLITE_PERM`, `SQLITE_AUTH`)
 * @EASEL_STORE_ERROR_NOT_FOUND: the row asked for does not exist (set by
 *   callers, never by SQLite)
 *
 * Error codes of the %EASEL_STORE_ERROR domain. Every SQLite result code
 * maps to one of them; the message starts with a short sentence for the user
 * and ends with SQLite's own words.
 */
typedef enum
{
  EASEL_STORE_ERROR_FAILED,
  EASEL_STORE_ERROR_CORRUPT,
  EASEL_STORE_ERROR_TOO_NEW,
  EASEL_STORE_ERROR_BUSY,
  EASEL_STORE_ERROR_CONSTRAINT,
  EASEL_STORE_ERROR_FULL,
  EASEL_STORE_ERROR_READONLY,
  EASEL_STORE_ERROR_NOT_FOUND,
} EaselStoreError;

/**
 * EaselDb:
 *
 * One SQLite connection with a cache of prepared statements. Not
 * thread-safe: it lives on the #EaselStore worker thread and is only used
 * there (tests may use one on their own thread).
 */
typedef struct _EaselDb EaselDb;

GQuark         easel_store_error_quark     (void);

EaselDb       *easel_db_open               (const char    *path,
                                            GError       **error);
void           easel_db_free               (EaselDb       *self);
const char    *easel_db_get_path           (EaselDb       *self);
sqlite3       *easel_db_get_handle         (EaselDb       *self);

gboolean       easel_db_exec               (EaselDb       *self,
                                            const char    *sql,
                                            GError       **error);
sqlite3_stmt  *easel_db_prepare            (EaselDb       *self,
                                            const char    *sql,
                                            GError       **error);
int            easel_db_step               (EaselDb       *self,
                                            sqlite3_stmt  *stmt,
                                            GError       **error);
void           easel_db_release_statements (EaselDb       *self);
void           easel_db_set_error          (EaselDb       *self,
                                            int            rc,
                                            GError       **error);

gboolean       easel_db_begin              (EaselDb       *self,
                                            GError       **error);
gboolean       easel_db_commit             (EaselDb       *self,
                                            GError       **error);
void           easel_db_rollback           (EaselDb       *self);
gboolean       easel_db_in_transaction     (EaselDb       *self);

gint64         easel_db_last_insert_rowid  (EaselDb       *self);
gint64         easel_db_changes            (EaselDb       *self);

void           easel_db_bind_text          (sqlite3_stmt  *stmt,
                                            int            index,
                                            const char    *value);
void           easel_db_bind_int64         (sqlite3_stmt  *stmt,
                                            int            index,
                                            gint64         value);
void           easel_db_bind_double        (sqlite3_stmt  *stmt,
                                            int            index,
                                            double         value);
void           easel_db_bind_null          (sqlite3_stmt  *stmt,
                                            int            index);

char          *easel_db_column_text_dup    (sqlite3_stmt  *stmt,
                                            int            column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselDb, easel_db_free)

G_END_DECLS
