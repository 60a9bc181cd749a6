/* easel-emulator-png.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Deterministic "generated" images. A key (model, prompt, seed) picks a
 * palette and a handful of shapes over a gradient; the variant (output
 * index, grid cell) varies the layout but keeps the palette, the way the
 * four cells of a Midjourney grid share a look. Everything is drawn in
 * coordinates relative to the image, so a cell drawn small in a grid and
 * the same cell drawn on its own ("upscaled") look alike. Own hash and
 * PRNG (FNV-1a, splitmix64) keep the bytes identical across GLib versions.
 */

#include "config.h"

#include "easel-emulator-private.h"

#include <math.h>
#include <string.h>

guint64
emu_hash64 (const char *text,
            guint64     salt)
{
  guint64 h = 0xcbf29ce484222325ULL ^ salt;

  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      h ^= *p;
      h *= 0x100000001b3ULL;
    }

  /* splitmix64 finaliser, so nearby keys give unrelated pictures */
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

typedef struct
{
  guint64 state;
} Rng;

static guint64
rng_next (Rng *rng)
{
  guint64 z = (rng->state += 0x9e3779b97f4a7c15ULL);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static double
rng_unit (Rng *rng)
{
  return (double) (rng_next (rng) >> 11) / (double) (1ULL << 53);
}

typedef struct
{
  double r, g, b;
} Rgb;

static Rgb
hsv (double h,
     double s,
     double v)
{
  double f, p, q, t;
  int i;

  h = fmod (h, 1.0);
  if (h < 0)
    h += 1.0;
  h *= 6.0;
  i = (int) floor (h);
  f = h - i;
  p = v * (1 - s);
  q = v * (1 - s * f);
  t = v * (1 - s * (1 - f));

  switch (i % 6)
    {
    case 0: return (Rgb) { v, t, p };
    case 1: return (Rgb) { q, v, p };
    case 2: return (Rgb) { p, v, t };
    case 3: return (Rgb) { p, q, v };
    case 4: return (Rgb) { t, p, v };
    default: return (Rgb) { v, p, q };
    }
}

static Rgb
mix (Rgb    a,
     Rgb    b,
     double t)
{
  return (Rgb) { a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t };
}

typedef enum
{
  SHAPE_DISC,
  SHAPE_RING,
  SHAPE_BOX,
  SHAPE_STRIPE,
} ShapeKind;

typedef struct
{
  ShapeKind kind;
  double    x, y;        /* centre, relative to the image */
  double    size;        /* relative to the shorter side */
  double    angle;
  double    alpha;
  Rgb       colour;
} Shape;

#define MAX_SHAPES 8

typedef struct
{
  Rgb   top;
  Rgb   bottom;
  double angle;
  Shape shapes[MAX_SHAPES];
  guint n_shapes;
} Scene;

static void
scene_init (Scene      *scene,
            const char *key,
            guint       variant)
{
  Rng palette = { emu_hash64 (key, 0) };
  Rng layout = { emu_hash64 (key, 0x51ed270b27a3f5c1ULL * (variant + 1)) };
  double hue = rng_unit (&palette);
  double spread = 0.08 + 0.3 * rng_unit (&palette);

  scene->top = hsv (hue + 0.03 * variant, 0.35 + 0.3 * rng_unit (&palette), 0.95);
  scene->bottom = hsv (hue + 0.5, 0.6 + 0.3 * rng_unit (&palette), 0.25 + 0.2 * rng_unit (&palette));
  scene->angle = rng_unit (&layout) * 2 * G_PI;
  scene->n_shapes = 3 + (guint) (rng_next (&layout) % (MAX_SHAPES - 2));

  for (guint i = 0; i < scene->n_shapes; i++)
    {
      Shape *shape = &scene->shapes[i];

      shape->kind = (ShapeKind) (rng_next (&layout) % 4);
      shape->x = rng_unit (&layout);
      shape->y = rng_unit (&layout);
      shape->size = 0.08 + 0.3 * rng_unit (&layout);
      shape->angle = rng_unit (&layout) * G_PI;
      shape->alpha = 0.45 + 0.5 * rng_unit (&layout);
      shape->colour = hsv (hue + spread * (rng_unit (&palette) - 0.5) + (i % 2 ? 0.5 : 0.0),
                           0.5 + 0.5 * rng_unit (&layout), 0.4 + 0.6 * rng_unit (&layout));
    }
}

static gboolean
shape_covers (const Shape *shape,
              double       dx,
              double       dy)
{
  double c = cos (shape->angle);
  double s = sin (shape->angle);
  double u = dx * c + dy * s;
  double v = -dx * s + dy * c;
  double d2 = dx * dx + dy * dy;
  double r = shape->size;

  switch (shape->kind)
    {
    case SHAPE_DISC:
      return d2 <= r * r;
    case SHAPE_RING:
      return d2 <= r * r && d2 >= (0.7 * r) * (0.7 * r);
    case SHAPE_BOX:
      return fabs (u) <= r && fabs (v) <= 0.6 * r;
    case SHAPE_STRIPE:
      return fabs (v) <= 0.12 * r;
    default:
      return FALSE;
    }
}

static void
scene_paint (const Scene *scene,
             guchar      *pixels,
             int          rowstride,
             int          n_channels,
             int          width,
             int          height)
{
  double short_side = MIN (width, height);
  double ca = cos (scene->angle);
  double sa = sin (scene->angle);

  for (int y = 0; y < height; y++)
    {
      guchar *row = pixels + (gsize) y * rowstride;
      double py = (y + 0.5) / height;

      for (int x = 0; x < width; x++)
        {
          double px = (x + 0.5) / width;
          double t = CLAMP (((px - 0.5) * ca + (py - 0.5) * sa) * 1.2 + 0.5, 0.0, 1.0);
          Rgb colour = mix (scene->top, scene->bottom, t);

          for (guint i = 0; i < scene->n_shapes; i++)
            {
              const Shape *shape = &scene->shapes[i];
              double dx = (px - shape->x) * width / short_side;
              double dy = (py - shape->y) * height / short_side;

              if (shape_covers (shape, dx, dy))
                colour = mix (colour, shape->colour, shape->alpha);
            }

          row[x * n_channels + 0] = (guchar) CLAMP (colour.r * 255.0 + 0.5, 0, 255);
          row[x * n_channels + 1] = (guchar) CLAMP (colour.g * 255.0 + 0.5, 0, 255);
          row[x * n_channels + 2] = (guchar) CLAMP (colour.b * 255.0 + 0.5, 0, 255);
        }
    }
}

/* Scales a nominal size down so its longer side is at most EMU_MAX_SIDE. */
void
emu_image_fit (guint  nominal_width,
               guint  nominal_height,
               guint *width,
               guint *height)
{
  guint longest = MAX (MAX (nominal_width, nominal_height), 1);

  if (longest <= EMU_MAX_SIDE)
    {
      *width = MAX (nominal_width, 1);
      *height = MAX (nominal_height, 1);
      return;
    }

  *width = MAX ((guint) floor ((double) nominal_width * EMU_MAX_SIDE / longest + 0.5), 1);
  *height = MAX ((guint) floor ((double) nominal_height * EMU_MAX_SIDE / longest + 0.5), 1);
}

static void
paint_region (GdkPixbuf  *pixbuf,
              const char *key,
              guint       variant,
              int         x,
              int         y,
              int         width,
              int         height)
{
  Scene scene;
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);

  if (width <= 0 || height <= 0)
    return;
  scene_init (&scene, key, variant);
  scene_paint (&scene, pixels + (gsize) y * rowstride + (gsize) x * n_channels,
               rowstride, n_channels, width, height);
}

GdkPixbuf *
emu_image_draw (const char *key,
                guint       variant,
                guint       width,
                guint       height)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, (int) width, (int) height);

  paint_region (pixbuf, key, variant, 0, 0, (int) width, (int) height);
  return pixbuf;
}

/* A 2×2 grid of variants 0–3, like a Midjourney grid. */
GdkPixbuf *
emu_image_draw_grid (const char *key,
                     guint       width,
                     guint       height)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, (int) width, (int) height);
  int left = (int) width / 2;
  int top = (int) height / 2;

  paint_region (pixbuf, key, 0, 0, 0, left, top);
  paint_region (pixbuf, key, 1, left, 0, (int) width - left, top);
  paint_region (pixbuf, key, 2, 0, top, left, (int) height - top);
  paint_region (pixbuf, key, 3, left, top, (int) width - left, (int) height - top);
  return pixbuf;
}

GBytes *
emu_image_encode (GdkPixbuf      *pixbuf,
                  EmuImageFormat  format)
{
  g_autoptr(GError) error = NULL;
  gchar *buffer = NULL;
  gsize length = 0;
  gboolean ok;

  if (format == EMU_IMAGE_JPEG)
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "jpeg", &error,
                                    "quality", "88", NULL);
  else
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", &error, NULL);

  if (!ok)
    {
      g_warning ("Could not encode an emulator image: %s", error->message);
      return NULL;
    }
  return g_bytes_new_take (buffer, length);
}

const char *
emu_image_mime (EmuImageFormat format)
{
  return format == EMU_IMAGE_JPEG ? "image/jpeg" : "image/png";
}
