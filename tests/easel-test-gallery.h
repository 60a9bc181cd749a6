/* easel-test-gallery.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Real image files for the rows of easel-test-library.h, for the gallery's
 * tests and benchmark: small PNG "landscapes" (a sky, a sun, two ranges of
 * hills) in colours drawn from a seed, so that a screenshot of the gallery
 * looks like a gallery and every thumbnail differs. Only @distinct files
 * are drawn; the other rows get hard links to them, which makes a library
 * of 100,000 real files in a few seconds. */

#pragma once

#include <errno.h>
#include <math.h>
#include <unistd.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "easel-test-library.h"

G_BEGIN_DECLS

static inline void
easel_test_hsv (double  h,
                double  s,
                double  v,
                guchar *rgb)
{
  double r, g, b;
  double f, p, q, t;
  int i;

  h = fmod (h, 1.0) * 6;
  i = (int) floor (h);
  f = h - i;
  p = v * (1 - s);
  q = v * (1 - s * f);
  t = v * (1 - s * (1 - f));
  switch (i)
    {
    case 0: r = v; g = t; b = p; break;
    case 1: r = q; g = v; b = p; break;
    case 2: r = p; g = v; b = t; break;
    case 3: r = p; g = q; b = v; break;
    case 4: r = t; g = p; b = v; break;
    default: r = v; g = p; b = q; break;
    }
  rgb[0] = (guchar) (r * 255);
  rgb[1] = (guchar) (g * 255);
  rgb[2] = (guchar) (b * 255);
}

/* Draws a landscape of @width × @height from @seed into a PNG at @path. */
static inline void
easel_test_write_art (const char *path,
                      int         width,
                      int         height,
                      guint32     seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  double hue = g_rand_double (rand);
  double sun_x = g_rand_double_range (rand, 0.2, 0.8) * width;
  double sun_y = g_rand_double_range (rand, 0.15, 0.45) * height;
  double sun_r = g_rand_double_range (rand, 0.06, 0.14) * MIN (width, height);
  double phase[2] = { g_rand_double_range (rand, 0, 6.28), g_rand_double_range (rand, 0, 6.28) };
  double waves[2] = { g_rand_double_range (rand, 1.5, 4), g_rand_double_range (rand, 2, 6) };
  guchar top[3], bottom[3], sun[3], near[3], far[3];

  easel_test_hsv (hue, 0.55, 0.55, top);
  easel_test_hsv (hue + 0.08, 0.45, 0.98, bottom);
  easel_test_hsv (hue + 0.12, 0.25, 1.0, sun);
  easel_test_hsv (hue + 0.5, 0.45, 0.45, far);
  easel_test_hsv (hue + 0.55, 0.6, 0.25, near);

  for (int y = 0; y < height; y++)
    {
      double t = (double) y / MAX (height - 1, 1);

      for (int x = 0; x < width; x++)
        {
          guchar *p = pixels + y * stride + x * 3;
          double u = (double) x / MAX (width - 1, 1);
          double far_line = 0.62 + 0.08 * sin (u * waves[0] + phase[0]);
          double near_line = 0.78 + 0.07 * sin (u * waves[1] + phase[1]);
          double d = hypot (x - sun_x, y - sun_y);

          for (int c = 0; c < 3; c++)
            p[c] = top[c] + (bottom[c] - top[c]) * t;
          if (d < sun_r)
            memcpy (p, sun, 3);
          else if (d < sun_r * 1.6)
            {
              double glow = (sun_r * 1.6 - d) / (sun_r * 0.6) * 0.35;

              for (int c = 0; c < 3; c++)
                p[c] = p[c] + (sun[c] - p[c]) * glow;
            }
          if (t > near_line)
            memcpy (p, near, 3);
          else if (t > far_line)
            memcpy (p, far, 3);
        }
    }

  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
}

/* Writes the original of every row below @root: @distinct landscapes of
 * at most @longest pixels (with the row's aspect ratio), and hard links to
 * them for the other rows. */
static inline void
easel_test_write_files (GPtrArray  *rows,
                        const char *root,
                        int         longest,
                        guint       distinct)
{
  g_autoptr(GPtrArray) drawn = g_ptr_array_new_with_free_func (g_free);

  /* Newest first, so that the first page of a gallery shows drawn files
   * with the right aspect ratios. */
  for (guint k = 0; k < rows->len; k++)
    {
      guint i = rows->len - 1 - k;
      EaselTestImage *row = g_ptr_array_index (rows, i);
      g_autofree char *path = g_build_filename (root, row->path, NULL);
      g_autofree char *dir = g_path_get_dirname (path);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      if (distinct == 0 || drawn->len < distinct)
        {
          double scale = (double) longest / MAX (row->width, row->height);

          easel_test_write_art (path, MAX (1, (int) (row->width * scale)),
                                MAX (1, (int) (row->height * scale)), (guint32) i * 7919 + 17);
          g_ptr_array_add (drawn, g_strdup (path));
        }
      else
        {
          const char *source = g_ptr_array_index (drawn, k % distinct);

          if (link (source, path) != 0 && errno != EEXIST)
            g_error ("Cannot link %s: %s", path, g_strerror (errno));
        }
    }
}

G_END_DECLS
