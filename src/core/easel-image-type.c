/* easel-image-type.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Which image formats a file holds, judged by its first bytes only: never
 * by its name, and without the shared MIME database, whose answer depends on
 * the system (and which a sandbox or a test may not have). Only the formats
 * providers accept are recognized. */

#include "config.h"

#include "easel-image-type.h"

#include <string.h>

/**
 * easel_image_type_sniff:
 * @data: the start of a file
 * @length: how many bytes @data holds
 *
 * Returns: (nullable): "image/png", "image/jpeg", "image/webp" or
 *   "image/gif", or %NULL when @data is none of them
 */
const char *
easel_image_type_sniff (const guint8 *data,
                        gsize         length)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 jpeg[] = { 0xff, 0xd8, 0xff };

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length >= sizeof png && memcmp (data, png, sizeof png) == 0)
    return "image/png";
  if (length >= sizeof jpeg && memcmp (data, jpeg, sizeof jpeg) == 0)
    return "image/jpeg";
  if (length >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";
  if (length >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "image/gif";
  return NULL;
}
