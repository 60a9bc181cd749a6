/* easel-test-async.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Waiting for one asynchronous result with a deadline, quick retries, a
 * store of the test's own and direct SQL: what the tests of the
 * store-backed editor services and the OpenRouter prompt helper share. */

#pragma once

#include <gio/gio.h>

#include "easel-db.h"
#include "easel-store.h"
#include "easel-test-dirs.h"

G_BEGIN_DECLS

#define EASEL_TEST_DEADLINE_SECONDS 30

/* A GAsyncReadyCallback that keeps the result in the GAsyncResult pointer
 * given as user data, which must be %NULL. */
static inline void
easel_test_result_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static inline gboolean
easel_test_deadline_cb (gpointer user_data)
{
  g_error ("Timed out after %d s", EASEL_TEST_DEADLINE_SECONDS);
  return G_SOURCE_REMOVE;
}

/* Spins the main context until easel_test_result_cb() filled @slot. */
static inline GAsyncResult *
easel_test_wait_result (GAsyncResult **slot)
{
  guint id = g_timeout_add_seconds (EASEL_TEST_DEADLINE_SECONDS, easel_test_deadline_cb, NULL);

  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return *slot;
}

/* An EaselHttpSleepFunc that waits 2 ms whatever the backoff asked for,
 * counting the sleeps in the guint given as user data, if any. */
/* Spins the main context until *@flag, failing after the deadline. */
static inline void
easel_test_wait_for (const gboolean *flag)
{
  guint id = g_timeout_add_seconds (EASEL_TEST_DEADLINE_SECONDS, easel_test_deadline_cb, NULL);

  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

/* An async call's result, and whether it came (for tests that wait on
 * several calls and on other flags). */
typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} EaselTestWait;

static inline void
easel_test_wait_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  EaselTestWait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static inline GAsyncResult *
easel_test_wait_done (EaselTestWait *wait)
{
  easel_test_wait_for (&wait->done);
  return wait->result;
}

static inline void
easel_test_wait_clear (EaselTestWait *wait)
{
  g_clear_object (&wait->result);
  wait->done = FALSE;
}

static inline void
easel_test_fast_sleep (guint       delay_ms,
                       GSourceFunc wake,
                       gpointer    wake_data,
                       gpointer    user_data)
{
  guint *sleeps = user_data;

  if (sleeps != NULL)
    (*sleeps)++;
  g_timeout_add (2, wake, wake_data);
}

/* Runs @sql on a connection of the test's own, beside the store's. */
static inline void
easel_test_exec_sql (const char *db_path,
                     const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselDb) db = easel_db_open (db_path, &error);

  g_assert_no_error (error);
  g_assert_true (easel_db_exec (db, sql, &error));
  g_assert_no_error (error);
}

/* A new, open store in a fresh folder of the test's; its file in @db_path. */
static inline EaselStore *
easel_test_open_store (const char  *prefix,
                       char       **db_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = easel_test_make_dir (prefix);
  EaselStore *store;

  *db_path = g_build_filename (dir, "library.db", NULL);
  store = easel_store_new (*db_path);
  g_assert_true (easel_store_open_sync (store, &error));
  g_assert_no_error (error);
  return store;
}

/* Closes @store and checks that nothing else holds it. */
static inline void
easel_test_close_store (EaselStore *store)
{
  easel_store_close (store);
  g_assert_finalize_object (store);
}

G_END_DECLS
