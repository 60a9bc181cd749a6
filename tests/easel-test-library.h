/* easel-test-library.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A generator of library rows for tests and benchmarks: varied, realistic
 * prompts from word lists, providers, models, sizes, ratings, favourites,
 * tags, the trash and dates over a year, all from a seed, so a test can
 * compute what a query should return from the same rows it inserted. Rows
 * only: no image files. */

#pragma once

#include <string.h>

#include <glib.h>

#include "easel-db.h"
#include "easel-image-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  rowid;
  char   *hash;
  char   *path;
  int     width;
  int     height;
  gint64  bytes;
  gint64  created_at;
  gint64  job_id;       /* 0: none */
  char   *provider;     /* NULL for an imported image without metadata */
  char   *model;
  char   *prompt;
  gint64  seed;         /* -1: none */
  int     rating;
  int     favourite;
  gint64  trashed_at;   /* 0: not in the trash */
  GStrv   tags;
} EaselTestImage;

static const char * const easel_test_adjectives[] = {
  "red", "golden", "misty", "ancient", "futuristic", "cozy", "dark", "vibrant", "serene", "neon",
  "rusty", "frozen", "glowing", "tiny", "enormous", "melancholic", "whimsical", "ornate",
  "minimalist", "surreal", "lonely", "crumbling", "luminous", "weathered", "Crème", "brûlée",
};

static const char * const easel_test_subjects[] = {
  "lighthouse", "fox", "castle", "dragon", "robot", "astronaut", "cat", "owl", "forest", "city",
  "mountain", "ocean", "portrait", "warrior", "wizard", "garden", "cottage", "spaceship",
  "samurai", "knight", "princess", "tiger", "wolf", "whale", "bridge", "train", "library",
  "cathedral", "market", "desert", "island", "café", "lantern", "harbour", "東京", "שלום",
};

static const char * const easel_test_extras[] = {
  "at sunset", "under the stars", "in the rain", "by the sea", "on a hill", "with dramatic clouds",
  "during winter", "at dawn", "in autumn leaves", "highly detailed", "8k", "trending on artstation",
  "soft light", "golden hour", "volumetric fog", "shallow depth of field", "wide angle",
  "reflections on wet cobblestones", "seen from above", "in a snow globe",
};

static const char * const easel_test_styles[] = {
  "watercolor", "oil painting", "photograph", "cinematic lighting", "octane render",
  "studio ghibli style", "art nouveau", "ukiyo-e", "pixel art", "charcoal sketch",
  "impressionist", "baroque", "cyberpunk", "steampunk", "low-poly", "isometric", "sci-fi concept art",
  "film grain", "bokeh", "35mm",
};

static const struct
{
  const char *provider;
  const char *model;
} easel_test_models[] = {
  { "replicate", "black-forest-labs/flux-schnell" },
  { "replicate", "black-forest-labs/flux-dev" },
  { "replicate", "stability-ai/sdxl" },
  { "replicate", "ideogram-ai/ideogram-v2" },
  { "midjourney", "midjourney" },
};

static const char * const easel_test_tags[] = {
  "fox", "wip", "final", "print", "wallpaper", "reference", "lora-training", "client a",
  "client b", "portfolio", "Favourites 2025", "sketch",
};

/* Sizes clear of the 3 % aspect tolerance edges. */
static const int easel_test_sizes[][2] = {
  { 1024, 1024 }, { 1344, 768 }, { 768, 1344 }, { 1456, 816 }, { 832, 1216 }, { 1216, 832 },
  { 1024, 1536 }, { 1536, 1024 }, { 2048, 2048 },
};

static inline void
easel_test_image_free (EaselTestImage *image)
{
  g_free (image->hash);
  g_free (image->path);
  g_free (image->provider);
  g_free (image->model);
  g_free (image->prompt);
  g_strfreev (image->tags);
  g_free (image);
}

#define EASEL_TEST_PICK(rand, array) ((array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

/* @n images created between @start and @start + @span (µs), in the order
 * they would have been saved (rowid order), with ties: about one in ten
 * shares its predecessor's time. Rowids are 1…n. */
static inline GPtrArray *
easel_test_images_generate (guint   n,
                            guint32 seed,
                            gint64  start,
                            gint64  span)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GPtrArray *images = g_ptr_array_new_full (n, (GDestroyNotify) easel_test_image_free);
  gint64 time = start;

  for (guint i = 0; i < n; i++)
    {
      EaselTestImage *image = g_new0 (EaselTestImage, 1);
      g_autofree char *name = g_strdup_printf ("easel-test-image-%u-%u", seed, i);
      guint model = g_rand_int_range (rand, 0, G_N_ELEMENTS (easel_test_models));
      guint size = g_rand_int_range (rand, 0, G_N_ELEMENTS (easel_test_sizes));
      g_autoptr(GString) prompt = g_string_new (NULL);
      g_autoptr(GStrvBuilder) tags = g_strv_builder_new ();
      guint n_extras = g_rand_int_range (rand, 1, 5);

      image->rowid = i + 1;
      image->hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, name, -1);
      image->path = easel_image_store_build_relative_path (image->hash, "png");
      image->width = easel_test_sizes[size][0];
      image->height = easel_test_sizes[size][1];
      image->bytes = g_rand_int_range (rand, 100000, 4000000);

      /* Times go forward with a tie now and then, and sometimes back (an
       * image saved late by a resumed job). */
      if (i > 0 && g_rand_int_range (rand, 0, 10) != 0)
        time += (gint64) g_rand_double_range (rand, 1, 2.0 * span / MAX (n, 1));
      image->created_at = g_rand_int_range (rand, 0, 50) == 0 ? time - span / 10 : time;

      image->job_id = g_rand_int_range (rand, 0, 20) == 0 ? 0 : i / 4 + 1;
      image->rating = g_rand_int_range (rand, 0, 3) == 0 ? g_rand_int_range (rand, 1, 6) : 0;
      image->favourite = g_rand_int_range (rand, 0, 20) == 0;
      image->trashed_at = g_rand_int_range (rand, 0, 30) == 0 ? image->created_at + 1 : 0;
      image->seed = g_rand_int_range (rand, 0, 4) == 0 ? -1 : g_rand_int (rand);

      /* One in fifty is an import without metadata. */
      if (g_rand_int_range (rand, 0, 50) != 0)
        {
          image->provider = g_strdup (easel_test_models[model].provider);
          image->model = g_strdup (easel_test_models[model].model);
          g_string_append_printf (prompt, "a %s %s", EASEL_TEST_PICK (rand, easel_test_adjectives),
                                  EASEL_TEST_PICK (rand, easel_test_subjects));
          for (guint k = 0; k < n_extras; k++)
            g_string_append_printf (prompt, " %s", EASEL_TEST_PICK (rand, easel_test_extras));
          g_string_append_printf (prompt, ", %s, %s", EASEL_TEST_PICK (rand, easel_test_styles),
                                  EASEL_TEST_PICK (rand, easel_test_styles));
          image->prompt = g_strdup (prompt->str);
        }

      if (g_rand_int_range (rand, 0, 4) == 0)
        {
          guint first = g_rand_int_range (rand, 0, G_N_ELEMENTS (easel_test_tags));
          guint count = g_rand_int_range (rand, 1, 4);

          for (guint k = 0; k < count; k++)
            g_strv_builder_add (tags, easel_test_tags[(first + k * 5) % G_N_ELEMENTS (easel_test_tags)]);
        }
      image->tags = g_strv_builder_end (tags);
      g_ptr_array_add (images, image);
    }
  return images;
}

/* Inserts @images (with their tags) in one transaction, on the store's
 * thread or a connection of the caller's own. */
static inline gboolean
easel_test_images_insert (EaselDb    *db,
                          GPtrArray  *images,
                          GError    **error)
{
  const char *image_sql =
    "INSERT INTO images (rowid, hash, path, width, height, mime, bytes, created_at, job_id, "
    "provider, model, prompt, params, seed, rating, favourite, trashed_at) "
    "VALUES (?, ?, ?, ?, ?, 'image/png', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  const char *job_sql =
    "INSERT INTO jobs (id, uuid, provider, model, prompt, spec, state, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, '', json_object ('local_id', ?2, 'model', ?4, 'prompt', ''), 'succeeded', 0, 0) ON CONFLICT DO NOTHING";
  const char *tag_sql = "INSERT INTO tags (name) VALUES (?) ON CONFLICT DO NOTHING";
  const char *image_tag_sql =
    "INSERT INTO image_tags (image_hash, tag_id) SELECT ?, id FROM tags WHERE name = ?";

  if (!easel_db_begin (db, error))
    return FALSE;

  for (guint i = 0; i < images->len; i++)
    {
      EaselTestImage *image = g_ptr_array_index (images, i);
      g_autofree char *params = g_strdup_printf ("{\"aspect_ratio\":\"%d:%d\",\"num_outputs\":4}",
                                                 image->width, image->height);
      g_autofree char *uuid = g_strdup_printf ("job-%" G_GINT64_FORMAT, image->job_id);
      sqlite3_stmt *stmt;
      int index = 1;

      if (image->job_id > 0)
        {
          stmt = easel_db_prepare (db, job_sql, error);
          if (stmt == NULL)
            goto fail;
          easel_db_bind_int64 (stmt, 1, image->job_id);
          easel_db_bind_text (stmt, 2, uuid);
          easel_db_bind_text (stmt, 3, image->provider != NULL ? image->provider : "replicate");
          easel_db_bind_text (stmt, 4, image->model != NULL ? image->model : "unknown");
          if (easel_db_step (db, stmt, error) != SQLITE_DONE)
            goto fail;
        }

      stmt = easel_db_prepare (db, image_sql, error);
      if (stmt == NULL)
        goto fail;
      easel_db_bind_int64 (stmt, index++, image->rowid);
      easel_db_bind_text (stmt, index++, image->hash);
      easel_db_bind_text (stmt, index++, image->path);
      easel_db_bind_int64 (stmt, index++, image->width);
      easel_db_bind_int64 (stmt, index++, image->height);
      easel_db_bind_int64 (stmt, index++, image->bytes);
      easel_db_bind_int64 (stmt, index++, image->created_at);
      if (image->job_id > 0)
        easel_db_bind_int64 (stmt, index++, image->job_id);
      else
        easel_db_bind_null (stmt, index++);
      easel_db_bind_text (stmt, index++, image->provider);
      easel_db_bind_text (stmt, index++, image->model);
      easel_db_bind_text (stmt, index++, image->prompt);
      easel_db_bind_text (stmt, index++, image->provider != NULL ? params : NULL);
      if (image->seed >= 0)
        easel_db_bind_int64 (stmt, index++, image->seed);
      else
        easel_db_bind_null (stmt, index++);
      easel_db_bind_int64 (stmt, index++, image->rating);
      easel_db_bind_int64 (stmt, index++, image->favourite);
      if (image->trashed_at > 0)
        easel_db_bind_int64 (stmt, index++, image->trashed_at);
      else
        easel_db_bind_null (stmt, index++);
      if (easel_db_step (db, stmt, error) != SQLITE_DONE)
        goto fail;

      for (guint k = 0; image->tags[k] != NULL; k++)
        {
          stmt = easel_db_prepare (db, tag_sql, error);
          if (stmt == NULL)
            goto fail;
          easel_db_bind_text (stmt, 1, image->tags[k]);
          if (easel_db_step (db, stmt, error) != SQLITE_DONE)
            goto fail;
          stmt = easel_db_prepare (db, image_tag_sql, error);
          if (stmt == NULL)
            goto fail;
          easel_db_bind_text (stmt, 1, image->hash);
          easel_db_bind_text (stmt, 2, image->tags[k]);
          if (easel_db_step (db, stmt, error) != SQLITE_DONE)
            goto fail;
        }
    }

  return easel_db_commit (db, error);

fail:
  easel_db_rollback (db);
  return FALSE;
}

/* easel_test_images_insert() as a function for easel_store_run_sync(). */
static inline gpointer
easel_test_images_insert_func (EaselDb   *db,
                               gpointer   data,
                               GError   **error)
{
  return easel_test_images_insert (db, data, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

G_END_DECLS
