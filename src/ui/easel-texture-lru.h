/* easel-texture-lru.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _EaselTextureLru EaselTextureLru;

EaselTextureLru *easel_texture_lru_new    (guint             max_textures);
void             easel_texture_lru_free   (EaselTextureLru  *self);
GdkTexture      *easel_texture_lru_lookup (EaselTextureLru  *self,
                                           const char       *key);
void             easel_texture_lru_insert (EaselTextureLru  *self,
                                           const char       *key,
                                           GdkTexture       *texture);

GdkPixbuf       *easel_pixbuf_middle_square (GdkPixbuf      *pixbuf);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaselTextureLru, easel_texture_lru_free)

G_END_DECLS
