/* bench-thumbnailer.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Thumbnail throughput: N originals of 512 × 512 pixels (PNG, with the
 * fine noise of AI images, so they are as large as real ones) in an image
 * store in a temp folder, all requested at once as a gallery page would,
 * cold (made from the originals) and warm (read from the cache), at both
 * sizes. Prints figures, not verdicts. Usage: bench-thumbnailer [N] */

#include "config.h"

#include <stdlib.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "easel-image-store.h"
#include "easel-test-dirs.h"
#include "easel-thumbnailer.h"

typedef struct
{
  guint done;
  guint failed;
} Count;

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Count *count = user_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  pixbuf = easel_thumbnailer_load_finish (EASEL_THUMBNAILER (object), result, &error);
  if (pixbuf == NULL)
    {
      g_printerr ("%s\n", error->message);
      count->failed++;
    }
  count->done++;
}

static GBytes *
make_original (GRand *rand,
               guint  seed)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 512, 512);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  char *buffer = NULL;
  gsize length = 0;

  for (int y = 0; y < 512; y++)
    for (int x = 0; x < 512; x++)
      {
        guint8 *p = pixels + (gsize) y * stride + (gsize) x * 3;
        int noise = g_rand_int_range (rand, -12, 13);

        p[0] = (guint8) CLAMP (x / 2 + (int) seed + noise, 0, 255);
        p[1] = (guint8) CLAMP (y / 2 + noise, 0, 255);
        p[2] = (guint8) CLAMP ((x + y) / 4 + (int) (seed * 3) + noise, 0, 255);
      }

  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", NULL, NULL));
  return g_bytes_new_take (buffer, length);
}

static double
run (EaselThumbnailer   *thumbnailer,
     GPtrArray          *hashes,
     GPtrArray          *paths,
     EaselThumbnailSize  size)
{
  Count count = { 0, 0 };
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < hashes->len; i++)
    easel_thumbnailer_load_async (thumbnailer, g_ptr_array_index (hashes, i), g_ptr_array_index (paths, i),
                                  size, NULL, loaded_cb, &count);
  while (count.done < hashes->len)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (count.failed, ==, 0);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static guint64
dir_size (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint64 total = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      GStatBuf st;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        total += dir_size (child);
      else if (g_stat (child, &st) == 0)
        total += (guint64) st.st_size;
    }
  return total;
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 300;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("easel-bench-thumbnailer-XXXXXX", &error);
  g_autofree char *root = NULL;
  g_autofree char *cache = NULL;
  g_autoptr(EaselImageStore) images = NULL;
  g_autoptr(EaselThumbnailer) thumbnailer = NULL;
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint64 original_bytes = 0;
  double seconds;

  g_assert_no_error (error);
  root = g_build_filename (tmp, "images", NULL);
  cache = g_build_filename (tmp, "cache", NULL);
  images = easel_image_store_new (root);
  thumbnailer = easel_thumbnailer_new (images, cache);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GBytes) bytes = make_original (rand, i);
      char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
      char *relative = easel_image_store_import_bytes (images, bytes, hash, "png", NULL, &error);

      g_assert_no_error (error);
      original_bytes += g_bytes_get_size (bytes);
      g_ptr_array_add (hashes, hash);
      g_ptr_array_add (paths, relative);
    }

  g_print ("%u originals of 512 × 512 PNG, %.0f KB on average; %u processors\n",
           n, original_bytes / 1024.0 / n, g_get_num_processors ());

  for (EaselThumbnailSize size = EASEL_THUMBNAIL_SMALL; size <= EASEL_THUMBNAIL_LARGE; size++)
    {
      g_autofree char *side = g_strdup_printf ("%u", easel_thumbnail_size_get_pixels (size));
      g_autofree char *side_dir = g_build_filename (cache, side, NULL);

      seconds = run (thumbnailer, hashes, paths, size);
      g_print ("%s px, cold (made from the originals): %.1f thumbnails/s (%.2f s), %.1f KB each\n",
               side, n / seconds, seconds, dir_size (side_dir) / 1024.0 / n);
      seconds = run (thumbnailer, hashes, paths, size);
      g_print ("%s px, warm (read from the cache):     %.1f thumbnails/s (%.2f s)\n",
               side, n / seconds, seconds);
    }

  g_clear_object (&thumbnailer);
  /* Let the pool's last jobs let go of the thumbnailer. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  easel_test_remove_tree (tmp);
  return 0;
}
