/* easel-image-type.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *easel_image_type_sniff (const guint8 *data,
                                    gsize         length);

G_END_DECLS
