/* test-gallery-model.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The gallery's paged model over a real library in a temporary folder,
 * with small pages and a small LRU so that paging and eviction happen:
 *
 *  - random access: placeholders first, filled in place with the right
 *    image, the same object every time while somebody holds it;
 *  - memory: the loaded images stay within the LRU's bound;
 *  - items-changed accounting: a "shadow" list follows every items-changed
 *    the model emits (removing, then asking for the added items); after
 *    each of 1,000 random inserts, trashes, restores, re-ratings,
 *    favourites and tags, under every sort order and some filters, the
 *    shadow must hold the very objects the model holds, in the order the
 *    library gives for the query, with fresh data, and the model must not
 *    have fallen back to a reset;
 *  - bursts of edits without waiting, and reports of images the model
 *    never loaded, still end consistent;
 *  - a query change is one items-changed. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "easel-gallery-model.h"
#include "easel-test-async.h"
#include "easel-test-dirs.h"
#include "easel-test-library.h"

#define DEADLINE_SECONDS 30
#define N_IMAGES 600
#define PAGE_SIZE 32
#define MAX_PAGES 6
#define N_OPERATIONS 1000

typedef struct
{
  char              *dir;
  EaselStore        *store;
  EaselImageStore   *images;
  EaselLibrary      *library;
  EaselGalleryModel *model;
  GPtrArray         *shadow;        /* EaselImage, what items-changed said */
  guint              n_resets;      /* items-changed that replaced everything */
  guint              expected_resets;
  gint64             next_rowid;
  guint              next_seed;
  GRand             *rand;
} Fixture;

/* Waiting */

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

static void
spin_until (Condition  condition,
            gpointer   data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (DEADLINE_SECONDS, deadline_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static gboolean
model_idle (gpointer data)
{
  Fixture *f = data;

  return !easel_gallery_model_is_busy (f->model);
}

static void
wait_idle (Fixture *f)
{
  spin_until (model_idle, f);
}

static gboolean
async_done (gpointer data)
{
  return ((EaselTestWait *) data)->done;
}

/* The fixture */

static void
insert_rows (Fixture   *f,
             GPtrArray *rows)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (easel_store_run_sync (f->store, easel_test_images_insert_func, rows, &error));
  g_assert_no_error (error);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  g_assert_cmpuint (position + removed, <=, f->shadow->len);

  if (position == 0 && removed == f->shadow->len && removed > 1 && added > 1)
    f->n_resets++;

  /* Like a list view, the shadow asks for an item only when it needs it
   * (in verify()); until then it only knows there is one. */
  g_ptr_array_remove_range (f->shadow, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (f->shadow, position + i, NULL);
  g_assert_cmpuint (f->shadow->len, ==, g_list_model_get_n_items (model));
}

static void
unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *root = NULL;

  f->dir = easel_test_make_dir ("gallery-model");
  db_path = g_build_filename (f->dir, "easel.db", NULL);
  root = g_build_filename (f->dir, "images", NULL);
  f->store = easel_store_new (db_path);
  g_assert_true (easel_store_open_sync (f->store, &error));
  g_assert_no_error (error);
  f->images = easel_image_store_new (root);
  f->library = easel_library_new (f->store, f->images);

  rows = easel_test_images_generate (N_IMAGES, 11, G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC,
                                     30 * G_TIME_SPAN_DAY);
  insert_rows (f, rows);
  f->next_rowid = N_IMAGES + 1;
  f->next_seed = 1000;
  f->rand = g_rand_new_with_seed (g_test_rand_int ());

  f->shadow = g_ptr_array_new_with_free_func (unref_nullable);
  f->model = easel_gallery_model_new (f->library);
  easel_gallery_model_set_paging (f->model, PAGE_SIZE, MAX_PAGES);
  g_signal_connect (f->model, "items-changed", G_CALLBACK (items_changed_cb), f);
  wait_idle (f);
  f->n_resets = 0;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->shadow, g_ptr_array_unref);
  g_assert_finalize_object (f->model);
  g_clear_object (&f->library);
  easel_store_close (f->store);
  g_clear_object (&f->store);
  g_clear_object (&f->images);
  g_rand_free (f->rand);
  g_free (f->dir);
}

/* The library's own answer, for comparison */

static EaselQuery *
dup_query (Fixture *f)
{
  return g_object_ref (easel_gallery_model_get_query (f->model));
}

static GPtrArray *
reference (Fixture *f)
{
  g_autoptr(EaselQuery) query = dup_query (f);
  g_autoptr(GError) error = NULL;
  guint n = easel_library_count_sync (f->library, query, &error);
  GPtrArray *images;

  g_assert_no_error (error);
  images = easel_library_fetch_sync (f->library, query, 0, MAX (n, 1), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (images->len, ==, n);
  return images;
}

static void
assert_same_image (EaselImage *item,
                   EaselImage *truth)
{
  g_assert_cmpstr (easel_gallery_model_get_image_hash (item), ==, easel_image_get_hash (truth));
  g_assert_cmpint (easel_image_get_rating (item), ==, easel_image_get_rating (truth));
  g_assert_cmpint (easel_image_get_favourite (item), ==, easel_image_get_favourite (truth));
  g_assert_cmpint (easel_image_get_trashed (item), ==, easel_image_get_trashed (truth));
  g_assert_cmpstr (easel_image_get_prompt (item), ==, easel_image_get_prompt (truth));
  g_assert_cmpstr (easel_image_get_path (item), ==, easel_image_get_path (truth));
  g_assert_true (g_strv_equal (easel_image_get_tags (item), easel_image_get_tags (truth)));
}

/* Every position (or @n_samples random ones): the model gives the shadow's
 * object, and once its page is in, the library's image at that place. */
static void
verify (Fixture *f,
        guint    n_samples)
{
  g_autoptr(GPtrArray) truth = NULL;
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_items;

  wait_idle (f);
  truth = reference (f);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (f->model));
  g_assert_cmpuint (n_items, ==, truth->len);
  g_assert_cmpuint (f->shadow->len, ==, n_items);

  for (guint i = 0; i < n_items; i++)
    {
      guint position = n_samples == 0 ? i : (guint) g_rand_int_range (f->rand, 0, MAX (n_items, 1));

      if (n_samples > 0 && i >= n_samples)
        break;
      g_array_append_val (positions, position);
    }

  /* In slices the LRU can hold, so what is checked is still there. */
  for (guint start = 0; start < positions->len; start += PAGE_SIZE)
    {
      guint end = MIN (start + PAGE_SIZE, positions->len);

      for (guint i = start; i < end; i++)
        {
          guint position = g_array_index (positions, guint, i);
          g_autoptr(EaselImage) item = g_list_model_get_item (G_LIST_MODEL (f->model), position);

          if (f->shadow->pdata[position] == NULL)
            f->shadow->pdata[position] = g_object_ref (item);
          g_assert_true (item == g_ptr_array_index (f->shadow, position));
        }
      wait_idle (f);
      for (guint i = start; i < end; i++)
        {
          guint position = g_array_index (positions, guint, i);

          assert_same_image (g_ptr_array_index (f->shadow, position), g_ptr_array_index (truth, position));
        }
    }
}

/* Random access and memory */

static gboolean
other_idle (gpointer data)
{
  return !easel_gallery_model_is_busy (data);
}

static void
test_random_access (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) truth = reference (f);
  g_autoptr(EaselGalleryModel) model = NULL;
  GListModel *list;
  guint n_items;

  /* A model of its own, that nobody else asks for items. */
  model = easel_gallery_model_new (f->library);
  easel_gallery_model_set_paging (model, PAGE_SIZE, MAX_PAGES);
  list = G_LIST_MODEL (model);
  spin_until (other_idle, model);
  n_items = g_list_model_get_n_items (list);
  g_assert_cmpuint (n_items, ==, truth->len);
  g_assert_cmpuint (n_items, >, N_IMAGES * 9 / 10);   /* the generator trashes a few */
  g_assert_cmpuint (easel_gallery_model_get_n_resident (model), ==, 0);

  /* An unloaded position gives an empty placeholder at once… */
  {
    g_autoptr(EaselImage) item = g_list_model_get_item (list, n_items - 1);
    g_autoptr(EaselImage) again = NULL;

    g_assert_nonnull (item);
    g_assert_null (easel_gallery_model_get_image_hash (item));
    g_assert_null (easel_gallery_model_peek (model, n_items - 1));
    again = g_list_model_get_item (list, n_items - 1);
    g_assert_true (again == item);

    /* …that its page fills in place. */
    spin_until (other_idle, model);
    assert_same_image (item, g_ptr_array_index (truth, n_items - 1));
    g_assert_true (easel_gallery_model_peek (model, n_items - 1) == item);
  }

  g_assert_null (g_list_model_get_item (list, n_items));

  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));

      for (guint i = 0; i < 40; i++)
        {
          guint position = g_rand_int_range (f->rand, 0, n_items);

          g_array_append_val (positions, position);
          g_ptr_array_add (held, g_list_model_get_item (list, position));
        }
      spin_until (other_idle, model);
      for (guint i = 0; i < positions->len; i++)
        {
          guint position = g_array_index (positions, guint, i);
          g_autoptr(EaselImage) again = g_list_model_get_item (list, position);

          assert_same_image (held->pdata[i], truth->pdata[position]);
          /* Held elsewhere, so the same object even if the LRU let go. */
          g_assert_true (again == held->pdata[i]);
        }
    }

  /* A scroll through everything keeps at most the LRU's pages. */
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(EaselImage) item = g_list_model_get_item (list, i);

      if (i % PAGE_SIZE == PAGE_SIZE - 1)
        spin_until (other_idle, model);
    }
  spin_until (other_idle, model);
  g_assert_cmpuint (easel_gallery_model_get_n_resident (model), <=, MAX_PAGES * PAGE_SIZE);
  g_assert_cmpuint (easel_gallery_model_get_n_resident (model), >=, PAGE_SIZE);

  /* The fixture's model, whose items the shadow holds: the same objects
   * throughout, loaded or not. */
  verify (f, 0);
  g_assert_cmpuint (f->n_resets, ==, 0);
}

/* Random operations */

static GStrv
strv_of (const char *hash)
{
  return g_strdupv ((char *[]) { (char *) hash, NULL });
}

static void
wait_edit (EaselTestWait *wait)
{
  spin_until (async_done, wait);
}

static char *
random_hash_in_model (Fixture *f)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (f->model));
  g_autoptr(EaselImage) item = NULL;
  guint position;

  if (n_items == 0)
    return NULL;

  /* As a user would: the image is on screen when it is edited. */
  position = g_rand_int_range (f->rand, 0, n_items);
  item = g_list_model_get_item (G_LIST_MODEL (f->model), position);
  wait_idle (f);
  return g_strdup (easel_gallery_model_get_image_hash (item));
}

static void
insert_new_images (Fixture *f,
                   guint    n)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) hashes = NULL;

  /* At random times, so they land anywhere in the order. */
  rows = easel_test_images_generate (n, f->next_seed++,
                                     G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC + g_rand_int_range (f->rand, 0, 30) * G_TIME_SPAN_DAY,
                                     G_TIME_SPAN_DAY);
  for (guint i = 0; i < rows->len; i++)
    {
      EaselTestImage *row = g_ptr_array_index (rows, i);

      row->rowid = f->next_rowid++;
      row->trashed_at = 0;
      g_strv_builder_add (builder, row->hash);
    }
  insert_rows (f, rows);
  hashes = g_strv_builder_end (builder);
  easel_library_images_added (f->library, (const char * const *) hashes);
}

typedef enum
{
  OP_INSERT,
  OP_TRASH,
  OP_RESTORE,
  OP_RATE,
  OP_FAVOURITE,
  OP_TAG,
  OP_UNTAG,
  N_OPS
} Op;

/* Starts one random edit; returns FALSE if there was nothing to edit. */
static gboolean
start_operation (Fixture       *f,
                 Op             op,
                 GPtrArray     *trashed,
                 EaselTestWait *wait)
{
  g_autofree char *hash = NULL;
  g_auto(GStrv) hashes = NULL;

  if (op == OP_INSERT)
    {
      insert_new_images (f, g_rand_int_range (f->rand, 1, 5));
      wait->done = TRUE;
      return TRUE;
    }

  if (op == OP_RESTORE)
    {
      if (trashed->len == 0)
        return FALSE;
      hash = g_ptr_array_steal_index (trashed, g_rand_int_range (f->rand, 0, trashed->len));
      hashes = strv_of (hash);
      easel_library_set_trashed_async (f->library, (const char * const *) hashes, FALSE, NULL,
                                       easel_test_wait_cb, wait);
      return TRUE;
    }

  hash = random_hash_in_model (f);
  if (hash == NULL)
    return FALSE;
  hashes = strv_of (hash);

  switch (op)
    {
    case OP_TRASH:
      g_ptr_array_add (trashed, g_strdup (hash));
      easel_library_set_trashed_async (f->library, (const char * const *) hashes, TRUE, NULL,
                                       easel_test_wait_cb, wait);
      break;
    case OP_RATE:
      easel_library_set_rating_async (f->library, (const char * const *) hashes,
                                      g_rand_int_range (f->rand, 0, 6), NULL, easel_test_wait_cb, wait);
      break;
    case OP_FAVOURITE:
      easel_library_set_favourite_async (f->library, (const char * const *) hashes,
                                         g_rand_boolean (f->rand), NULL, easel_test_wait_cb, wait);
      break;
    case OP_TAG:
      easel_library_add_tag_async (f->library, (const char * const *) hashes, "fox", NULL,
                                   easel_test_wait_cb, wait);
      break;
    case OP_UNTAG:
    default:
      easel_library_remove_tag_async (f->library, (const char * const *) hashes, "fox", NULL,
                                      easel_test_wait_cb, wait);
      break;
    }
  return TRUE;
}

static void
set_query (Fixture    *f,
           const char *text,
           EaselSort   sort)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselQuery) query = easel_query_parse (text, &error);
  guint before = f->n_resets;

  g_assert_no_error (error);
  easel_query_set_sort (query, sort);
  easel_gallery_model_set_query (f->model, query);
  wait_idle (f);

  /* A new query is one reset, and nothing else. */
  g_assert_cmpuint (f->n_resets - before, <=, 1);
  f->n_resets = before;
}

static void
test_random_operations (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) trashed = g_ptr_array_new_with_free_func (g_free);
  const struct
  {
    const char *text;
    EaselSort   sort;
  } queries[] = {
    { "", EASEL_SORT_NEWEST },
    { "", EASEL_SORT_RATING },
    { "", EASEL_SORT_OLDEST },
    { "fav:yes", EASEL_SORT_NEWEST },
    { "tag:fox", EASEL_SORT_RATING },
    { "rating:>=3", EASEL_SORT_NEWEST },
  };
  guint counts[N_OPS] = { 0 };

  for (guint i = 0; i < N_OPERATIONS; i++)
    {
      EaselTestWait wait = { FALSE, NULL };
      Op op;

      if (i % (N_OPERATIONS / G_N_ELEMENTS (queries)) == 0)
        {
          guint q = i / (N_OPERATIONS / G_N_ELEMENTS (queries));

          if (q < G_N_ELEMENTS (queries))
            {
              set_query (f, queries[q].text, queries[q].sort);
              verify (f, 0);
            }
        }

      op = g_rand_int_range (f->rand, 0, N_OPS);
      if (!start_operation (f, op, trashed, &wait))
        continue;
      counts[op]++;
      wait_edit (&wait);
      g_clear_object (&wait.result);

      verify (f, i % 100 == 99 ? 0 : 8);
      g_assert_cmpuint (f->n_resets, ==, f->expected_resets);
    }

  for (guint op = 0; op < N_OPS; op++)
    g_assert_cmpuint (counts[op], >, N_OPERATIONS / N_OPS / 3);
  g_test_message ("operations: %u inserts, %u trashes, %u restores, %u ratings, %u favourites, "
                  "%u tags, %u untags", counts[OP_INSERT], counts[OP_TRASH], counts[OP_RESTORE],
                  counts[OP_RATE], counts[OP_FAVOURITE], counts[OP_TAG], counts[OP_UNTAG]);
  verify (f, 0);
}

/* Edits in bursts: reports arrive while the model works out the previous
 * ones, and new rows may be visible before their report. */
static void
test_bursts (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) trashed = g_ptr_array_new_with_free_func (g_free);

  set_query (f, "", EASEL_SORT_RATING);
  for (guint burst = 0; burst < 30; burst++)
    {
      EaselTestWait waits[12];
      guint n = g_rand_int_range (f->rand, 2, G_N_ELEMENTS (waits));

      for (guint i = 0; i < n; i++)
        {
          waits[i] = (EaselTestWait) { FALSE, NULL };
          if (!start_operation (f, g_rand_int_range (f->rand, 0, N_OPS), trashed, &waits[i]))
            waits[i].done = TRUE;
        }
      for (guint i = 0; i < n; i++)
        {
          wait_edit (&waits[i]);
          g_clear_object (&waits[i].result);
        }
      verify (f, 0);
    }
}

/* Reports of images the model never loaded (another window's edits). */
static void
test_unseen (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) truth = reference (f);
  guint n_items = truth->len;

  /* Nothing loaded: rate, favour and trash images deep in the results. */
  for (guint i = 0; i < 10; i++)
    {
      EaselImage *image = g_ptr_array_index (truth, n_items - 1 - i * 7);
      g_auto(GStrv) hashes = strv_of (easel_image_get_hash (image));
      EaselTestWait wait = { FALSE, NULL };

      if (i % 3 == 0)
        easel_library_set_trashed_async (f->library, (const char * const *) hashes, TRUE, NULL,
                                         easel_test_wait_cb, &wait);
      else if (i % 3 == 1)
        easel_library_set_rating_async (f->library, (const char * const *) hashes, 5, NULL,
                                        easel_test_wait_cb, &wait);
      else
        easel_library_set_favourite_async (f->library, (const char * const *) hashes, TRUE, NULL,
                                           easel_test_wait_cb, &wait);
      wait_edit (&wait);
      g_clear_object (&wait.result);
      wait_idle (f);
    }
  verify (f, 0);
  /* A new rating or favourite does not move an image in the newest-first
   * order, so it needs nothing; a trashed image the model never loaded
   * cannot be placed, and the model resets. */
  g_assert_cmpuint (f->n_resets, ==, 4);

  /* Under a sort by rating, an unseen image that moves cannot be placed
   * without its old position: the model resets rather than guess. */
  set_query (f, "", EASEL_SORT_RATING);
  f->n_resets = 0;
  {
    g_autoptr(GPtrArray) rated = reference (f);
    EaselImage *last = g_ptr_array_index (rated, rated->len - 1);
    g_auto(GStrv) hashes = strv_of (easel_image_get_hash (last));
    EaselTestWait wait = { FALSE, NULL };

    easel_library_set_rating_async (f->library, (const char * const *) hashes, 5, NULL,
                                    easel_test_wait_cb, &wait);
    wait_edit (&wait);
    g_clear_object (&wait.result);
    verify (f, 0);
    g_assert_cmpuint (f->n_resets, ==, 1);
  }
}

static void
test_query_change (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselQuery) query = easel_query_parse ("provider:midjourney", &error);
  guint before = g_list_model_get_n_items (G_LIST_MODEL (f->model));

  g_assert_no_error (error);
  f->n_resets = 0;
  easel_gallery_model_set_query (f->model, query);
  /* The old results stay until the new ones are counted. */
  g_assert_true (easel_gallery_model_get_loading (f->model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, before);
  wait_idle (f);
  g_assert_false (easel_gallery_model_get_loading (f->model));
  g_assert_cmpuint (f->n_resets, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), <, before);
  verify (f, 0);

  /* A query that matches nothing. */
  g_clear_object (&query);
  query = easel_query_parse ("zzzyyyxxx", &error);
  g_assert_no_error (error);
  easel_gallery_model_set_query (f->model, query);
  wait_idle (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 0);
  verify (f, 0);
}

/* The hashes of a selection that spans pages never loaded. */
static void
test_dup_hashes (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) truth = reference (f);
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto(GStrv) hashes = NULL;
  g_autoptr(GError) error = NULL;
  EaselTestWait wait = { FALSE, NULL };

  for (guint i = 0; i < truth->len; i += 3)
    g_array_append_val (positions, i);

  easel_gallery_model_dup_hashes_async (f->model, (const guint *) positions->data, positions->len,
                                        NULL, easel_test_wait_cb, &wait);
  wait_edit (&wait);
  hashes = easel_gallery_model_dup_hashes_finish (f->model, wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_cmpuint (g_strv_length (hashes), ==, positions->len);
  for (guint i = 0; i < positions->len; i++)
    g_assert_cmpstr (hashes[i], ==,
                     easel_image_get_hash (truth->pdata[g_array_index (positions, guint, i)]));

  /* Memory: the hashes only, no images. */
  g_assert_cmpuint (easel_gallery_model_get_n_resident (f->model), <=, MAX_PAGES * PAGE_SIZE);

  /* Trashing them all is precise, although most were never loaded. */
  {
    guint n_before = g_list_model_get_n_items (G_LIST_MODEL (f->model));

    f->n_resets = 0;
    wait = (EaselTestWait) { FALSE, NULL };
    easel_library_set_trashed_async (f->library, (const char * const *) hashes, TRUE, NULL,
                                     easel_test_wait_cb, &wait);
    wait_edit (&wait);
    g_clear_object (&wait.result);
    verify (f, 0);
    g_assert_cmpuint (f->n_resets, ==, 0);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, n_before - positions->len);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func) \
  g_test_add ("/Easel/GalleryModel/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("random-access", test_random_access);
  ADD ("random-operations", test_random_operations);
  ADD ("bursts", test_bursts);
  ADD ("unseen", test_unseen);
  ADD ("query-change", test_query_change);
  ADD ("dup-hashes", test_dup_hashes);

  return g_test_run ();
}
