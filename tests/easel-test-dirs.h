/* easel-test-dirs.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <glib/gstdio.h>

G_BEGIN_DECLS

/* A fresh directory for one test case, inside the per-test cache directory
 * that G_TEST_OPTION_ISOLATE_DIRS gives it: GLib removes it with the rest
 * when the test ends, so no run leaves anything in /tmp. */
static inline char *
easel_test_make_dir (const char *prefix)
{
  g_autofree char *template = g_strconcat (prefix, "-XXXXXX", NULL);
  char *dir = g_build_filename (g_get_user_cache_dir (), template, NULL);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_nonnull (g_mkdtemp (dir));
  return dir;
}

/* Removes @path and everything below it (for programs without isolated
 * directories, such as the benchmarks); symbolic links are not followed. */
static inline void
easel_test_remove_tree (const char *path)
{
  GStatBuf buf;

  if (g_lstat (path, &buf) != 0)
    return;
  if (S_ISDIR (buf.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          easel_test_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

G_END_DECLS
