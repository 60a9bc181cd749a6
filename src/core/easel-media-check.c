/* easel-media-check.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What a file holds, checked without trusting its name, its server or the
 * shared MIME database (whose answer depends on the system, and which a
 * sandbox or a test may not have): the type by magic bytes, the structure
 * (a PNG must reach IEND, a JPEG EOI, a WebP its RIFF length, an MP4 must
 * hold a moov box: gdk-pixbuf happily decodes half an image), the pixel
 * size its header declares (so a small file cannot claim gigabytes before
 * it is decoded), and an actual decode with the gdk-pixbuf loader of the
 * sniffed type, chosen by MIME type from the loaders themselves.
 *
 * Shared by the downloader (every output is checked before it is stored),
 * the thumbnailer (originals are checked before they are decoded) and
 * `easel verify`. Everything here is pure or works on its arguments only,
 * so it may run on any thread. */

#include "config.h"

#include "easel-media-check.h"

#include <string.h>

#include <glib/gi18n.h>

#include "easel-error.h"
#include "easel-image-type.h"

/* File structure, read defensively: every length is checked against what
 * is there before it is used. Each returns TRUE when the file is complete,
 * and the pixel size its header declares. */

static guint32
read_be16 (const guint8 *p)
{
  return ((guint32) p[0] << 8) | p[1];
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint32
read_le16 (const guint8 *p)
{
  return p[0] | ((guint32) p[1] << 8);
}

static guint32
read_le24 (const guint8 *p)
{
  return read_le16 (p) | ((guint32) p[2] << 16);
}

static guint32
read_le32 (const guint8 *p)
{
  return read_le24 (p) | ((guint32) p[3] << 24);
}

/* Chunks from IHDR to IEND. */
static gboolean
inspect_png (const guint8 *data,
             gsize         length,
             guint        *width,
             guint        *height)
{
  gsize pos = 8;

  while (length - pos >= 12)
    {
      gsize chunk = read_be32 (data + pos);
      const guint8 *type = data + pos + 4;

      if (chunk > length - pos - 12)
        return FALSE;
      if (pos == 8)
        {
          if (memcmp (type, "IHDR", 4) != 0 || chunk != 13)
            return FALSE;
          *width = read_be32 (data + pos + 8);
          *height = read_be32 (data + pos + 12);
        }
      if (memcmp (type, "IEND", 4) == 0)
        return *width > 0 && *height > 0;
      pos += 12 + chunk;
    }
  return FALSE;
}

static gboolean
is_jpeg_sof (guint8 marker)
{
  return marker >= 0xc0 && marker <= 0xcf &&
         marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

static gboolean
is_jpeg_rst (guint8 marker)
{
  return marker >= 0xd0 && marker <= 0xd7;
}

/* Segments from SOI to EOI, through the entropy-coded data of every scan
 * (where 0xFF is followed by 0x00 or a restart marker). */
static gboolean
inspect_jpeg (const guint8 *data,
              gsize         length,
              guint        *width,
              guint        *height)
{
  gsize pos = 2;

  while (pos < length)
    {
      gsize segment;
      guint8 marker;

      if (data[pos] != 0xff)
        return FALSE;
      while (pos < length && data[pos] == 0xff)
        pos++;
      if (pos >= length)
        return FALSE;

      marker = data[pos++];
      if (marker == 0xd9)
        return *width > 0 && *height > 0;
      if (marker == 0x01 || is_jpeg_rst (marker))
        continue;
      if (marker == 0x00 || marker == 0xd8 || length - pos < 2)
        return FALSE;

      segment = read_be16 (data + pos);
      if (segment < 2 || segment > length - pos)
        return FALSE;
      if (is_jpeg_sof (marker))
        {
          if (segment < 8)
            return FALSE;
          *height = read_be16 (data + pos + 3);
          *width = read_be16 (data + pos + 5);
        }
      pos += segment;

      if (marker == 0xda)
        {
          for (;;)
            {
              const guint8 *ff = memchr (data + pos, 0xff, length - pos);

              if (ff == NULL || (gsize) (ff - data) + 1 >= length)
                return FALSE;
              pos = (gsize) (ff - data);
              if (data[pos + 1] != 0x00 && data[pos + 1] != 0xff && !is_jpeg_rst (data[pos + 1]))
                break;
              pos++;
            }
        }
    }
  return FALSE;
}

/* The RIFF length, and the canvas of the first chunk (VP8X, VP8L or VP8),
 * read only within that chunk. */
static gboolean
inspect_webp (const guint8 *data,
              gsize         length,
              guint        *width,
              guint        *height)
{
  const guint8 *payload = data + 20;
  gsize riff, chunk;

  if (length < 20)
    return FALSE;

  riff = read_le32 (data + 4);
  chunk = read_le32 (data + 16);
  if (riff < 12 || riff > length - 8 || chunk > riff - 12)
    return FALSE;

  if (memcmp (data + 12, "VP8X", 4) == 0 && chunk >= 10)
    {
      *width = read_le24 (payload + 4) + 1;
      *height = read_le24 (payload + 7) + 1;
    }
  else if (memcmp (data + 12, "VP8L", 4) == 0 && chunk >= 5 && payload[0] == 0x2f)
    {
      guint32 bits = read_le32 (payload + 1);

      *width = (bits & 0x3fff) + 1;
      *height = ((bits >> 14) & 0x3fff) + 1;
    }
  else if (memcmp (data + 12, "VP8 ", 4) == 0 && chunk >= 10 &&
           payload[3] == 0x9d && payload[4] == 0x01 && payload[5] == 0x2a)
    {
      *width = read_le16 (payload + 6) & 0x3fff;
      *height = read_le16 (payload + 8) & 0x3fff;
    }
  else
    return FALSE;

  return *width > 0 && *height > 0;
}

/* The logical screen, and the trailer. */
static gboolean
inspect_gif (const guint8 *data,
             gsize         length,
             guint        *width,
             guint        *height)
{
  if (length < 14)
    return FALSE;
  *width = read_le16 (data + 6);
  *height = read_le16 (data + 8);
  return data[length - 1] == 0x3b;
}

/* Top-level boxes that exactly fill the file, one of them moov. */
static gboolean
inspect_mp4 (const guint8 *data,
             gsize         length,
             guint        *width,
             guint        *height)
{
  gboolean moov = FALSE;
  gsize pos = 0;

  while (pos < length)
    {
      guint64 box;

      if (length - pos < 8)
        return FALSE;
      box = read_be32 (data + pos);
      if (memcmp (data + pos + 4, "moov", 4) == 0)
        moov = TRUE;
      if (box == 0)
        return moov;   /* the last box runs to the end */
      if (box == 1)
        {
          if (length - pos < 16)
            return FALSE;
          box = ((guint64) read_be32 (data + pos + 8) << 32) | read_be32 (data + pos + 12);
          if (box < 16)
            return FALSE;
        }
      else if (box < 8)
        return FALSE;
      if (box > length - pos)
        return FALSE;
      pos += box;
    }
  return moov;
}

/* WebM's Segment may have an unknown size, so there is nothing to check
 * beyond the signature. */
static gboolean
inspect_webm (const guint8 *data,
              gsize         length,
              guint        *width,
              guint        *height)
{
  return TRUE;
}

typedef gboolean (*InspectFunc) (const guint8 *data,
                                 gsize         length,
                                 guint        *width,
                                 guint        *height);

typedef struct
{
  const char  *mime;
  const char  *extension;
  InspectFunc  inspect;
} Format;

static const Format formats[] = {
  { "image/png", "png", inspect_png },
  { "image/jpeg", "jpg", inspect_jpeg },
  { "image/webp", "webp", inspect_webp },
  { "image/gif", "gif", inspect_gif },
  { "video/mp4", "mp4", inspect_mp4 },
  { "video/webm", "webm", inspect_webm },
};

static const Format *
find_format (const char *mime)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_strcmp0 (formats[i].mime, mime) == 0)
      return &formats[i];
  return NULL;
}

/* Sniffing */

/**
 * easel_media_sniff_video:
 * @data: the start of a file
 * @length: how many bytes @data holds
 *
 * What a file that should be a clip holds: GIF counts as one, since
 * providers send short animations as GIFs.
 *
 * Returns: (nullable): "video/mp4", "video/webm" or "image/gif", or %NULL
 */
const char *
easel_media_sniff_video (const guint8 *data,
                         gsize         length)
{
  static const guint8 ebml[] = { 0x1a, 0x45, 0xdf, 0xa3 };

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length >= 12 && memcmp (data + 4, "ftyp", 4) == 0)
    return "video/mp4";
  /* An EBML header whose DocType is "webm" (Matroska shares the header). */
  if (length >= 8 && memcmp (data, ebml, sizeof ebml) == 0 &&
      g_strstr_len ((const char *) data, MIN (length, 64), "webm") != NULL)
    return "video/webm";
  if (g_strcmp0 (easel_image_type_sniff (data, length), "image/gif") == 0)
    return "image/gif";
  return NULL;
}

/**
 * easel_media_sniff:
 * @data: the start of a file
 * @length: how many bytes @data holds
 *
 * Returns: (nullable): the MIME type of any format the library keeps
 *   (see easel_image_type_sniff() and easel_media_sniff_video()), or %NULL
 */
const char *
easel_media_sniff (const guint8 *data,
                   gsize         length)
{
  const char *mime;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  mime = easel_image_type_sniff (data, length);
  return mime != NULL ? mime : easel_media_sniff_video (data, length);
}

/**
 * easel_media_is_video:
 * @mime: (nullable): a MIME type
 *
 * Returns: whether @mime is a clip that gdk-pixbuf cannot decode (MP4,
 *   WebM); GIF is an image here
 */
gboolean
easel_media_is_video (const char *mime)
{
  return g_strcmp0 (mime, "video/mp4") == 0 || g_strcmp0 (mime, "video/webm") == 0;
}

/**
 * easel_media_get_extension:
 * @mime: (nullable): a MIME type from easel_media_sniff()
 *
 * Returns: (nullable): the extension files of that type get in the image
 *   store ("png", "jpg" …), or %NULL for a type the library does not keep
 */
const char *
easel_media_get_extension (const char *mime)
{
  const Format *format = find_format (mime);

  return format != NULL ? format->extension : NULL;
}

/**
 * easel_media_mime_for_extension:
 * @extension: (nullable): an extension that easel_media_get_extension()
 *   gives, such as the one of a stored file
 *
 * The inverse of easel_media_get_extension(), from Easel's own table: the
 * name of a stored file says what its content was sniffed as.
 *
 * Returns: (nullable): the MIME type, or %NULL for any other extension
 */
const char *
easel_media_mime_for_extension (const char *extension)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_strcmp0 (formats[i].extension, extension) == 0)
      return formats[i].mime;
  return NULL;
}

/**
 * easel_media_inspect:
 * @mime: a MIME type from easel_media_sniff()
 * @data: the whole file
 * @length: its size
 * @width: (out): the width its header declares, 0 for a video
 * @height: (out): the height its header declares, 0 for a video
 *
 * Checks the structure of a file of type @mime without decoding it: every
 * length is checked against what is there before it is used.
 *
 * Returns: %TRUE when the file is complete and consistent
 */
gboolean
easel_media_inspect (const char   *mime,
                     const guint8 *data,
                     gsize         length,
                     guint        *width,
                     guint        *height)
{
  const Format *format = find_format (mime);
  guint w = 0, h = 0;

  g_return_val_if_fail (format != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (width != NULL && height != NULL, FALSE);

  *width = *height = 0;
  /* Every format's signature is longer than this; the readers rely on it. */
  if (length < 8 || g_strcmp0 (easel_media_sniff (data, length), format->mime) != 0)
    return FALSE;
  if (!format->inspect (data, length, &w, &h))
    return FALSE;
  if (!easel_media_is_video (mime))
    {
      *width = w;
      *height = h;
    }
  return TRUE;
}

/* Decoding */

/**
 * easel_media_fit_size:
 * @width: an image's width
 * @height: its height
 * @max_side: the longest side allowed
 * @fit_width: (out): the width scaled to fit
 * @fit_height: (out): the height scaled to fit
 *
 * The size of an image scaled down, keeping its aspect, so that its
 * longest side is @max_side: never up, and at least one pixel either way.
 *
 * Returns: whether the image has to be scaled
 */
gboolean
easel_media_fit_size (int   width,
                      int   height,
                      guint max_side,
                      int  *fit_width,
                      int  *fit_height)
{
  gint64 longest = MAX (width, height);

  g_return_val_if_fail (fit_width != NULL && fit_height != NULL, FALSE);

  *fit_width = width;
  *fit_height = height;
  if (width <= 0 || height <= 0 || longest <= (gint64) max_side)
    return FALSE;
  *fit_width = (int) MAX (1, ((gint64) width * max_side + longest / 2) / longest);
  *fit_height = (int) MAX (1, ((gint64) height * max_side + longest / 2) / longest);
  return TRUE;
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  int fit_width, fit_height;

  /* JPEG scales while it decodes, which is most of the work saved for a
   * thumbnail. */
  if (easel_media_fit_size (width, height, GPOINTER_TO_UINT (user_data), &fit_width, &fit_height))
    gdk_pixbuf_loader_set_size (loader, fit_width, fit_height);
}

/**
 * easel_media_decode:
 * @bytes: a whole image file
 * @mime: its type, from easel_media_sniff()
 * @max_side: 0 for the full size, else the longest side wanted (images are
 *   scaled down while they are decoded, never up)
 * @error: return location for a #GError
 *
 * Decodes @bytes with the gdk-pixbuf loader for @mime. Blocks: call it on
 * a worker thread.
 *
 * Returns: (transfer full): the closed loader, holding the image (and its
 *   animation); %NULL with %EASEL_ERROR_UNSUPPORTED when this computer has
 *   no loader for @mime, or with the loader's own error (in the
 *   %GDK_PIXBUF_ERROR domain, say) when the data is damaged
 */
GdkPixbufLoader *
easel_media_decode (GBytes      *bytes,
                    const char  *mime,
                    guint        max_side,
                    GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (mime != NULL, NULL);
  g_return_val_if_fail (max_side <= G_MAXINT, NULL);

  loader = gdk_pixbuf_loader_new_with_mime_type (mime, &local_error);
  if (loader == NULL)
    {
      /* Translators: the first %s is a MIME type such as image/webp, the second the reason */
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED,
                   _("This computer cannot read %s images: %s"), mime, local_error->message);
      return NULL;
    }

  if (max_side > 0)
    g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb),
                      GUINT_TO_POINTER (max_side));

  if (!gdk_pixbuf_loader_write_bytes (loader, bytes, error))
    {
      gdk_pixbuf_loader_close (loader, NULL);
      return NULL;
    }
  if (!gdk_pixbuf_loader_close (loader, error))
    return NULL;

  if (gdk_pixbuf_loader_get_pixbuf (loader) == NULL)
    {
      g_set_error_literal (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE,
                           _("The file holds no image"));
      return NULL;
    }
  return g_steal_pointer (&loader);
}
