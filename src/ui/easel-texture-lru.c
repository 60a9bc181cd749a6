/* easel-texture-lru.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A small cache of textures by key, most recently used first, for the
 * thumbnails of the gallery and of the job sidebar: rows and cells that
 * are recycled while scrolling show their images again without decoding
 * them twice, and memory stays flat. Main thread only. */

#include "config.h"

#include "easel-texture-lru.h"

struct _EaselTextureLru
{
  guint       max_textures;
  GHashTable *links;   /* key → link in @lru */
  GQueue      lru;     /* Entry, most recently used first */
};

typedef struct
{
  char       *key;
  GdkTexture *texture;
} Entry;

static void
entry_free (Entry *entry)
{
  g_free (entry->key);
  g_object_unref (entry->texture);
  g_free (entry);
}

/**
 * easel_texture_lru_new:
 * @max_textures: how many textures to keep
 *
 * Returns: (transfer full): an empty cache
 */
EaselTextureLru *
easel_texture_lru_new (guint max_textures)
{
  EaselTextureLru *self;

  g_return_val_if_fail (max_textures > 0, NULL);

  self = g_new0 (EaselTextureLru, 1);
  self->max_textures = max_textures;
  self->links = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&self->lru);
  return self;
}

/**
 * easel_texture_lru_free:
 * @self: a cache
 *
 * Frees @self and drops its references to the textures.
 */
void
easel_texture_lru_free (EaselTextureLru *self)
{
  g_hash_table_destroy (self->links);
  g_queue_clear_full (&self->lru, (GDestroyNotify) entry_free);
  g_free (self);
}

/**
 * easel_texture_lru_lookup:
 * @self: a cache
 * @key: what the texture was cached under
 *
 * Returns: (transfer full) (nullable): the texture, now the most recently
 *   used one
 */
GdkTexture *
easel_texture_lru_lookup (EaselTextureLru *self,
                          const char      *key)
{
  GList *link = g_hash_table_lookup (self->links, key);

  if (link == NULL)
    return NULL;

  g_queue_unlink (&self->lru, link);
  g_queue_push_head_link (&self->lru, link);
  return g_object_ref (((Entry *) link->data)->texture);
}

/**
 * easel_texture_lru_insert:
 * @self: a cache
 * @key: what to cache @texture under
 * @texture: a texture
 *
 * Caches @texture, unless @key is cached already, and forgets the least
 * recently used textures beyond the limit.
 */
void
easel_texture_lru_insert (EaselTextureLru *self,
                          const char      *key,
                          GdkTexture      *texture)
{
  Entry *entry;

  if (g_hash_table_contains (self->links, key))
    return;

  entry = g_new0 (Entry, 1);
  entry->key = g_strdup (key);
  entry->texture = g_object_ref (texture);
  g_queue_push_head (&self->lru, entry);
  g_hash_table_insert (self->links, entry->key, self->lru.head);

  while (self->lru.length > self->max_textures)
    {
      Entry *oldest = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->links, oldest->key);
      entry_free (oldest);
    }
}

/**
 * easel_pixbuf_middle_square:
 * @pixbuf: an image
 *
 * Returns: (transfer full): the largest square in the middle of @pixbuf,
 *   sharing its pixels
 */
GdkPixbuf *
easel_pixbuf_middle_square (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int side = MIN (width, height);

  return gdk_pixbuf_new_subpixbuf (pixbuf, (width - side) / 2, (height - side) / 2, side, side);
}
