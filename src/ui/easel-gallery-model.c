/* easel-gallery-model.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The gallery's list: the results of one query over the library, as a lazy,
 * paged GListModel of EaselImage (the approach of Builder's manuals search
 * model).
 *
 * Paging. The model knows how many results there are from a count, and
 * holds one slot per result. A slot has an item once somebody asked for
 * that position: get_item() on a position whose page is not loaded returns
 * an empty placeholder at once and fetches the page; when the page arrives
 * the placeholder is filled in place, so the grid keeps its widgets and
 * only their contents change. Loaded pages are kept in an LRU; past the
 * limit the oldest page's items are let go, so memory stays bounded however
 * far the user scrolls. An item somebody else still holds (a cell, the
 * viewer) stays findable by its hash until it is finalized, and comes back
 * as the same object when its position is asked for again. A slot keeps
 * the hash of its image (a few bytes), which is what the updates below
 * need to find an image again.
 *
 * Updates. The library says when images were added (from jobs) or changed
 * (rated, tagged, trashed…), with their hashes. For each batch the model
 * asks the library where each image is now in the results (or that it is
 * not there any more), its fresh data, and the new count; it knows where the
 * image was from its slots. Then it removes what left or moved and inserts
 * what arrived or moved, each as a precise items-changed, and updates
 * everything else in place without any items-changed. An image the model
 * never loaded, whose place cannot be known, makes the model check the
 * count: when the numbers do not add up it falls back to a reset.
 *
 * Consistency. All library queries run in order on the store's thread, and
 * the library reports an edit before it delivers the result of any later
 * query. So a query whose result arrives while no report came in meanwhile
 * saw exactly the reported state; one that raced with a report is asked
 * again (an update merges the new report into its batch, a page fetch is
 * fetched again once the update is in, a count is repeated).
 *
 * A query or sort change resets the model with one items-changed. */

#include "config.h"

#include "easel-gallery-model.h"

#include <string.h>

#include "easel-error.h"

#define DEFAULT_PAGE_SIZE 256
#define DEFAULT_MAX_PAGES 48
#define MAX_RESTARTS      16
#define HASH_FETCH_PAGES  8

typedef struct
{
  EaselImage *item;   /* nullable: not asked for yet, or released */
  char       *hash;   /* nullable: not loaded yet */
  guint       key;    /* g_str_hash (hash) */
} Slot;

typedef struct _Update Update;

struct _EaselGalleryModel
{
  GObject       parent_instance;

  EaselLibrary *library;
  EaselQuery   *query;
  GCancellable *cancellable;  /* replaced at every reset */

  GArray       *slots;
  guint         page_size;
  guint         max_pages;

  GHashTable   *resident;     /* page → its link in @lru */
  GQueue        lru;          /* GUINT_TO_POINTER (page), most recent first */
  GHashTable   *wanted;       /* pages to fetch once no update is pending */
  GHashTable   *fetching;     /* pages in flight */
  GHashTable   *released;     /* hash → image the LRU let go of that lives on
                               * elsewhere (a weak reference) */

  guint         generation;   /* bumped by every structural change */
  guint64       seen;         /* library reports received */
  guint64       applied;      /* library reports the slots show */

  gboolean      loading;      /* a reset is counting */
  guint64       reset_seen;
  guint         restarts;
  Update       *update;       /* the batch being worked out */
  guint         update_serial;
  GHashTable   *pending;      /* hashes reported since, not in @update */
  guint         n_fetches;

  gulong        added_id;
  gulong        changed_id;
};

enum {
  PROP_0,
  PROP_LIBRARY,
  PROP_QUERY,
  PROP_N_ITEMS,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void easel_gallery_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EaselGalleryModel, easel_gallery_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      easel_gallery_model_list_model_init))

static void start_reset (EaselGalleryModel *self);
static void start_update (EaselGalleryModel *self);
static void request_page (EaselGalleryModel *self,
                          guint              page);

/* A placeholder is an EaselImage without a hash: easel_image_new() needs
 * the hash, which is not known before the page arrives, and
 * easel_image_update_from() refreshes only an image with the same hash.
 * So a placeholder is filled through the setters, and its hash is kept
 * beside it (see easel_gallery_model_get_image_hash()). */
#define PLACEHOLDER_HASH "easel-gallery-hash"

static gboolean
is_loaded (EaselImage *image)
{
  return easel_gallery_model_get_image_hash (image) != NULL;
}

static void
fill_item (EaselImage *item,
           EaselImage *fresh)
{
  if (easel_image_get_hash (item) != NULL)
    {
      easel_image_update_from (item, fresh);
      return;
    }

  g_object_freeze_notify (G_OBJECT (item));
  if (g_object_get_data (G_OBJECT (item), PLACEHOLDER_HASH) == NULL)
    g_object_set_data_full (G_OBJECT (item), PLACEHOLDER_HASH,
                            g_strdup (easel_image_get_hash (fresh)), g_free);
  easel_image_set_path (item, easel_image_get_path (fresh));
  easel_image_set_width (item, easel_image_get_width (fresh));
  easel_image_set_height (item, easel_image_get_height (fresh));
  easel_image_set_mime (item, easel_image_get_mime (fresh));
  easel_image_set_bytes (item, easel_image_get_bytes (fresh));
  easel_image_set_created_at (item, easel_image_get_created_at (fresh));
  easel_image_set_job_id (item, easel_image_get_job_id (fresh));
  easel_image_set_provider (item, easel_image_get_provider (fresh));
  easel_image_set_model (item, easel_image_get_model (fresh));
  easel_image_set_prompt (item, easel_image_get_prompt (fresh));
  easel_image_set_params (item, easel_image_get_params (fresh));
  easel_image_set_seed (item, easel_image_get_seed (fresh));
  easel_image_set_rating (item, easel_image_get_rating (fresh));
  easel_image_set_favourite (item, easel_image_get_favourite (fresh));
  easel_image_set_trashed (item, easel_image_get_trashed (fresh));
  easel_image_set_tags (item, easel_image_get_tags (fresh));
  g_object_thaw_notify (G_OBJECT (item));
}

/**
 * easel_gallery_model_get_image_hash:
 * @image: an item of a gallery model
 *
 * The hash of an item, also when it was a placeholder filled in place
 * (easel_image_get_hash() returns %NULL for those).
 *
 * Returns: (nullable): the hash, %NULL while the item is not loaded
 */
const char *
easel_gallery_model_get_image_hash (EaselImage *image)
{
  const char *hash;

  g_return_val_if_fail (EASEL_IS_IMAGE (image), NULL);

  hash = easel_image_get_hash (image);
  return hash != NULL ? hash : g_object_get_data (G_OBJECT (image), PLACEHOLDER_HASH);
}

static void
slot_clear (Slot *slot)
{
  g_clear_object (&slot->item);
  g_clear_pointer (&slot->hash, g_free);
}

static void
slot_set_hash (Slot       *slot,
               const char *hash)
{
  if (g_strcmp0 (slot->hash, hash) == 0)
    return;

  g_free (slot->hash);
  slot->hash = g_strdup (hash);
  slot->key = hash ? g_str_hash (hash) : 0;
}

static Slot *
slot_at (EaselGalleryModel *self,
         guint              position)
{
  return &g_array_index (self->slots, Slot, position);
}

static gboolean
updates_pending (EaselGalleryModel *self)
{
  return self->loading || self->update != NULL || self->applied != self->seen;
}

/* Paging */

static void
touch_page (EaselGalleryModel *self,
            guint              page)
{
  GList *link = g_hash_table_lookup (self->resident, GUINT_TO_POINTER (page));

  if (link == NULL || link == self->lru.head)
    return;

  g_queue_unlink (&self->lru, link);
  g_queue_push_head_link (&self->lru, link);
}

/* The LRU lets go of an image. Whoever still holds it (a cell of the
 * grid, the viewer) keeps the same object when the model needs it again:
 * it stays findable by its hash until it is finalized. */
static void
released_gone_cb (gpointer  data,
                  GObject  *where_the_object_was)
{
  EaselGalleryModel *self = data;
  const char *hash = easel_gallery_model_get_image_hash (EASEL_IMAGE (where_the_object_was));

  if (hash != NULL && g_hash_table_lookup (self->released, hash) == (gpointer) where_the_object_was)
    g_hash_table_remove (self->released, hash);
}

static void
release_item (EaselGalleryModel *self,
              Slot              *slot)
{
  g_autoptr(EaselImage) item = g_steal_pointer (&slot->item);

  if (slot->hash != NULL && !g_hash_table_contains (self->released, slot->hash))
    {
      g_hash_table_insert (self->released, g_strdup (slot->hash), item);
      g_object_weak_ref (G_OBJECT (item), released_gone_cb, self);
    }
}

/* Returns: (transfer full) (nullable): the object of @hash the LRU let go
 * of, if it is still alive */
static EaselImage *
reclaim_item (EaselGalleryModel *self,
              const char        *hash)
{
  EaselImage *item = hash ? g_hash_table_lookup (self->released, hash) : NULL;

  if (item == NULL)
    return NULL;

  g_object_weak_unref (G_OBJECT (item), released_gone_cb, self);
  g_hash_table_remove (self->released, hash);
  return g_object_ref (item);
}

static void
forget_released (EaselGalleryModel *self)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->released);
  while (g_hash_table_iter_next (&iter, NULL, &item))
    {
      g_object_weak_unref (item, released_gone_cb, self);
      g_hash_table_iter_remove (&iter);
    }
}

static void
evict_page (EaselGalleryModel *self,
            guint              page)
{
  guint start = page * self->page_size;
  guint end = MIN (start + self->page_size, self->slots->len);

  for (guint i = start; i < end; i++)
    {
      Slot *slot = slot_at (self, i);

      /* Placeholders wait for their page; the hash stays. */
      if (slot->item != NULL && is_loaded (slot->item))
        release_item (self, slot);
    }
}

static void
make_resident (EaselGalleryModel *self,
               guint              page)
{
  if (g_hash_table_contains (self->resident, GUINT_TO_POINTER (page)))
    {
      touch_page (self, page);
      return;
    }

  g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
  g_hash_table_insert (self->resident, GUINT_TO_POINTER (page), self->lru.head);

  while (self->lru.length > self->max_pages)
    {
      guint oldest = GPOINTER_TO_UINT (g_queue_pop_tail (&self->lru));

      g_hash_table_remove (self->resident, GUINT_TO_POINTER (oldest));
      evict_page (self, oldest);
    }
}

/* Images shift across page boundaries when others arrive or leave, so
 * after that some loaded images may sit in pages the LRU does not hold:
 * let those go, to keep the bound. */
static void
release_stray_items (EaselGalleryModel *self)
{
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = slot_at (self, i);

      if (slot->item != NULL && is_loaded (slot->item) &&
          !g_hash_table_contains (self->resident, GUINT_TO_POINTER (i / self->page_size)))
        release_item (self, slot);
    }
}

static void
forget_pages (EaselGalleryModel *self)
{
  g_hash_table_remove_all (self->resident);
  g_queue_clear (&self->lru);
  g_hash_table_remove_all (self->wanted);
  g_hash_table_remove_all (self->fetching);
}

typedef struct
{
  EaselGalleryModel *self;
  guint              page;
  guint              generation;
  guint64            seen;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_object_unref (fetch->self);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

/* Asks again for every page that has a placeholder waiting: after a
 * structural change, pages in flight no longer match the positions. */
static void
request_waiting_pages (EaselGalleryModel *self)
{
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = slot_at (self, i);

      if (slot->item != NULL && !is_loaded (slot->item))
        request_page (self, i / self->page_size);
    }
}

/* Fills the slots of @page from @images. Returns FALSE when what came
 * back does not match what the model holds, which only happens when the
 * library changed without reporting it. */
static gboolean
fill_page (EaselGalleryModel *self,
           guint              page,
           GPtrArray         *images)
{
  guint start = page * self->page_size;
  guint expected = MIN (self->page_size, self->slots->len - MIN (start, self->slots->len));

  if (images->len != expected)
    return FALSE;

  for (guint i = 0; i < images->len; i++)
    {
      Slot *slot = slot_at (self, start + i);
      EaselImage *fresh = g_ptr_array_index (images, i);
      const char *hash = easel_image_get_hash (fresh);

      if (slot->hash != NULL && g_strcmp0 (slot->hash, hash) != 0)
        return FALSE;

      slot_set_hash (slot, hash);
      if (slot->item == NULL)
        slot->item = reclaim_item (self, hash);
      if (slot->item == NULL)
        slot->item = g_object_ref (fresh);
      else
        fill_item (slot->item, fresh);
    }

  make_resident (self, page);
  return TRUE;
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  EaselGalleryModel *self = fetch->self;
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;

  images = easel_library_fetch_finish (EASEL_LIBRARY (object), result, &error);
  self->n_fetches--;

  if (fetch->generation != self->generation)
    return;   /* a reset or a structural change: asked again already */

  g_hash_table_remove (self->fetching, GUINT_TO_POINTER (fetch->page));

  if (images == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot load gallery page %u: %s", fetch->page, error->message);
      return;
    }

  /* A report came in meanwhile: this page may show a state the slots do
   * not, so fetch it again once the report is applied. */
  if (fetch->seen != self->seen || updates_pending (self))
    {
      request_page (self, fetch->page);
      return;
    }

  if (!fill_page (self, fetch->page, images))
    start_reset (self);
}

static void
fetch_page (EaselGalleryModel *self,
            guint              page)
{
  Fetch *fetch;

  g_hash_table_add (self->fetching, GUINT_TO_POINTER (page));
  self->n_fetches++;

  fetch = g_new0 (Fetch, 1);
  fetch->self = g_object_ref (self);
  fetch->page = page;
  fetch->generation = self->generation;
  fetch->seen = self->seen;
  easel_library_fetch_async (self->library, self->query,
                             page * self->page_size, self->page_size,
                             self->cancellable, fetched_cb, fetch);
}

static void
request_page (EaselGalleryModel *self,
              guint              page)
{
  if (self->library == NULL || g_hash_table_contains (self->fetching, GUINT_TO_POINTER (page)))
    return;

  if (updates_pending (self))
    g_hash_table_add (self->wanted, GUINT_TO_POINTER (page));
  else
    fetch_page (self, page);
}

static void
fetch_wanted_pages (EaselGalleryModel *self)
{
  GHashTableIter iter;
  gpointer page;

  if (updates_pending (self))
    return;

  g_hash_table_iter_init (&iter, self->wanted);
  while (g_hash_table_iter_next (&iter, &page, NULL))
    {
      if (GPOINTER_TO_UINT (page) * self->page_size < self->slots->len &&
          !g_hash_table_contains (self->fetching, page))
        fetch_page (self, GPOINTER_TO_UINT (page));
      g_hash_table_iter_remove (&iter);
    }
}

/* Resets */

static void
set_loading (EaselGalleryModel *self,
             gboolean           loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
replace_all (EaselGalleryModel *self,
             guint              n_items)
{
  guint old_n = self->slots->len;

  self->generation++;
  forget_pages (self);
  forget_released (self);
  g_array_set_size (self->slots, 0);
  g_array_set_size (self->slots, n_items);

  if (old_n > 0 || n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, n_items);
  if (old_n != n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

typedef struct
{
  EaselGalleryModel *self;
  GCancellable      *cancellable;
} Count;

static void
count_free (Count *count)
{
  g_object_unref (count->self);
  g_object_unref (count->cancellable);
  g_free (count);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Count, count_free)

static void count_results (EaselGalleryModel *self);

static void
counted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Count) count = user_data;
  EaselGalleryModel *self = count->self;
  g_autoptr(GError) error = NULL;
  guint n_items;

  n_items = easel_library_count_finish (EASEL_LIBRARY (object), result, &error);
  if (count->cancellable != self->cancellable || g_cancellable_is_cancelled (count->cancellable))
    return;

  if (error != NULL)
    {
      g_warning ("Cannot count the gallery's images: %s", error->message);
      n_items = 0;
    }
  else if (self->reset_seen != self->seen && self->restarts++ < MAX_RESTARTS)
    {
      /* Something was reported while counting: count again. */
      count_results (self);
      return;
    }

  self->restarts = 0;
  g_hash_table_remove_all (self->pending);
  self->applied = self->seen;
  replace_all (self, n_items);
  set_loading (self, FALSE);
  fetch_wanted_pages (self);
}

static void
count_results (EaselGalleryModel *self)
{
  Count *count = g_new0 (Count, 1);

  count->self = g_object_ref (self);
  count->cancellable = g_object_ref (self->cancellable);
  self->reset_seen = self->seen;
  easel_library_count_async (self->library, self->query, self->cancellable, counted_cb, count);
}

static void update_free (Update *update);

static void
start_reset (EaselGalleryModel *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->update, update_free);
  self->generation++;
  forget_pages (self);

  if (self->library == NULL)
    {
      self->applied = self->seen;
      replace_all (self, 0);
      set_loading (self, FALSE);
      return;
    }

  self->restarts = 0;
  set_loading (self, TRUE);
  count_results (self);
}

/* Updates */

typedef struct _Entry Entry;

struct _Entry
{
  char       *hash;
  guint       key;
  gint64      old_position;   /* -1: not known to be in the results */
  gint64      new_position;   /* -1: not in the results now */
  gint64      position;       /* where it is while the update is applied */
  EaselImage *fresh;
  EaselImage *item;           /* borrowed from its slot */
  Entry      *next_same_key;
  gboolean    moves;
};

struct _Update
{
  guint              serial;
  GArray            *entries;   /* Entry */
  guint64            seen;
  guint              outstanding;
  gboolean           failed;
  guint              count;
};

typedef struct
{
  EaselGalleryModel *self;
  guint              serial;
  guint              index;
} Call;

static void
entry_clear (Entry *entry)
{
  g_free (entry->hash);
  g_clear_object (&entry->fresh);
}

static void
update_free (Update *update)
{
  g_array_unref (update->entries);
  g_free (update);
}

static void
call_free (Call *call)
{
  g_object_unref (call->self);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static Call *
call_new (EaselGalleryModel *self,
          guint              index)
{
  Call *call = g_new0 (Call, 1);

  call->self = g_object_ref (self);
  call->serial = self->update->serial;
  call->index = index;
  self->update->outstanding++;
  return call;
}

static void finish_update (EaselGalleryModel *self);

/* The update a call belongs to, if it is still being worked out. */
static Update *
call_update (Call *call)
{
  Update *update = call->self->update;

  return update != NULL && update->serial == call->serial ? update : NULL;
}

/* Returns the entry the result is for, or NULL when the update is gone
 * or the result is the count. */
static Entry *
call_done (Call     *call,
           GError   *error)
{
  Update *update = call_update (call);

  if (update == NULL)
    return NULL;

  update->outstanding--;
  if (error != NULL && !g_error_matches (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_NOT_FOUND))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot update the gallery: %s", error->message);
      update->failed = TRUE;
    }

  return call->index == G_MAXUINT ? NULL : &g_array_index (update->entries, Entry, call->index);
}

static void
positioned_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  int position;
  Entry *entry;

  position = easel_library_position_finish (EASEL_LIBRARY (object), result, &error);
  entry = call_done (call, error);
  if (entry != NULL)
    entry->new_position = error ? -1 : position;
  if (entry != NULL && call_update (call)->outstanding == 0)
    finish_update (call->self);
}

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselImage) image = NULL;
  Entry *entry;

  image = easel_library_lookup_finish (EASEL_LIBRARY (object), result, &error);
  entry = call_done (call, error);
  if (entry != NULL)
    entry->fresh = g_steal_pointer (&image);
  if (entry != NULL && call_update (call)->outstanding == 0)
    finish_update (call->self);
}

static void
update_counted_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  Update *update;
  guint n_items;

  n_items = easel_library_count_finish (EASEL_LIBRARY (object), result, &error);
  call_done (call, error);
  update = call_update (call);
  if (update == NULL)
    return;

  update->count = n_items;
  if (update->outstanding == 0)
    finish_update (call->self);
}

static void
add_pending (EaselGalleryModel  *self,
             const char * const *hashes)
{
  for (guint i = 0; hashes != NULL && hashes[i] != NULL; i++)
    g_hash_table_add (self->pending, g_strdup (hashes[i]));
}

static void
start_update (EaselGalleryModel *self)
{
  GHashTableIter iter;
  gpointer hash;
  Update *update;

  g_assert (self->update == NULL);

  update = g_new0 (Update, 1);
  update->serial = ++self->update_serial;
  update->seen = self->seen;
  update->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (update->entries, (GDestroyNotify) entry_clear);

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &hash, NULL))
    {
      Entry entry = { NULL };

      entry.hash = g_strdup (hash);
      entry.key = g_str_hash (hash);
      entry.old_position = -1;
      entry.new_position = -1;
      g_array_append_val (update->entries, entry);
    }
  g_hash_table_remove_all (self->pending);
  self->update = update;

  /* All at once: the store runs them in order anyway. */
  for (guint i = 0; i < update->entries->len; i++)
    {
      Entry *entry = &g_array_index (update->entries, Entry, i);

      easel_library_position_async (self->library, self->query, entry->hash, self->cancellable,
                                    positioned_cb, call_new (self, i));
      easel_library_lookup_async (self->library, entry->hash, self->cancellable,
                                  looked_up_cb, call_new (self, i));
    }
  easel_library_count_async (self->library, self->query, self->cancellable,
                             update_counted_cb, call_new (self, G_MAXUINT));
}

/* Finds where the update's images are in the slots. */
static void
find_old_positions (EaselGalleryModel *self,
                    Update            *update)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < update->entries->len; i++)
    {
      Entry *entry = &g_array_index (update->entries, Entry, i);

      entry->next_same_key = g_hash_table_lookup (by_key, GUINT_TO_POINTER (entry->key));
      g_hash_table_insert (by_key, GUINT_TO_POINTER (entry->key), entry);
    }

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = slot_at (self, i);

      if (slot->hash == NULL)
        continue;

      for (Entry *entry = g_hash_table_lookup (by_key, GUINT_TO_POINTER (slot->key));
           entry != NULL; entry = entry->next_same_key)
        {
          if (entry->old_position < 0 && g_str_equal (entry->hash, slot->hash))
            {
              entry->old_position = i;
              entry->item = slot->item;
              break;
            }
        }
    }
}

static int
compare_position_descending (gconstpointer a,
                             gconstpointer b)
{
  const Entry *x = *(Entry **) a;
  const Entry *y = *(Entry **) b;

  return x->position < y->position ? 1 : x->position > y->position ? -1 : 0;
}

static int
compare_new_position (gconstpointer a,
                      gconstpointer b)
{
  const Entry *x = *(Entry **) a;
  const Entry *y = *(Entry **) b;

  return x->new_position < y->new_position ? -1 : x->new_position > y->new_position ? 1 : 0;
}

/* Removes @leaving (positions descending), one items-changed per run of
 * neighbours. A moving image keeps its object for insert_entries(). */
static void
remove_entries (EaselGalleryModel *self,
                GPtrArray         *leaving)
{
  guint i = 0;

  g_ptr_array_sort (leaving, compare_position_descending);
  while (i < leaving->len)
    {
      guint run = 1;
      guint first;

      while (i + run < leaving->len &&
             ((Entry *) leaving->pdata[i + run])->position ==
             ((Entry *) leaving->pdata[i + run - 1])->position - 1)
        run++;

      first = ((Entry *) leaving->pdata[i + run - 1])->position;
      for (guint j = i; j < i + run; j++)
        {
          Entry *entry = leaving->pdata[j];

          if (entry->moves)
            entry->item = g_steal_pointer (&slot_at (self, entry->position)->item);
        }
      g_array_remove_range (self->slots, first, run);
      g_list_model_items_changed (G_LIST_MODEL (self), first, run, 0);
      i += run;
    }
}

/* Inserts @arriving (new positions ascending), one items-changed per run
 * of neighbours. */
static void
insert_entries (EaselGalleryModel *self,
                GPtrArray         *arriving)
{
  guint i = 0;

  g_ptr_array_sort (arriving, compare_new_position);
  while (i < arriving->len)
    {
      g_autofree Slot *blank = NULL;
      guint run = 1;
      guint first = ((Entry *) arriving->pdata[i])->new_position;

      while (i + run < arriving->len &&
             ((Entry *) arriving->pdata[i + run])->new_position == first + run)
        run++;

      blank = g_new0 (Slot, run);
      g_array_insert_vals (self->slots, first, blank, run);
      make_resident (self, first / self->page_size);
      for (guint j = 0; j < run; j++)
        {
          Entry *entry = arriving->pdata[i + j];
          Slot *slot = slot_at (self, first + j);

          slot_set_hash (slot, entry->hash);
          if (entry->item == NULL)
            entry->item = reclaim_item (self, entry->hash);
          if (entry->item != NULL)
            {
              slot->item = g_steal_pointer (&entry->item);
              if (entry->fresh != NULL)
                fill_item (slot->item, entry->fresh);
            }
          else if (entry->fresh != NULL)
            slot->item = g_object_ref (entry->fresh);
        }
      g_list_model_items_changed (G_LIST_MODEL (self), first, 0, run);
      i += run;
    }
}

/* Gives an image that stays where it is its fresh data: the object in its
 * slot, or the one the LRU let go of that somebody still shows. */
static void
refresh_entry (EaselGalleryModel *self,
               Entry             *entry)
{
  EaselImage *item = entry->item;

  if (item == NULL)
    item = g_hash_table_lookup (self->released, entry->hash);
  if (item != NULL && entry->fresh != NULL)
    fill_item (item, entry->fresh);
}

static gboolean
sorted_by_rating (EaselGalleryModel *self)
{
  return easel_query_get_sort (self->query) == EASEL_SORT_RATING;
}

/* Works out what moved from the old and new positions and applies it.
 * Returns FALSE when the update cannot be told apart from other changes
 * and the model must reset. */
static gboolean
apply_update (EaselGalleryModel *self,
              Update            *update)
{
  g_autoptr(GPtrArray) staying = g_ptr_array_new ();
  g_autoptr(GPtrArray) leaving = g_ptr_array_new ();
  g_autoptr(GPtrArray) arriving = g_ptr_array_new ();
  guint n_items = self->slots->len;
  guint n_left = 0, n_unknown = 0;
  gboolean unknown_arrive;
  guint old_n = n_items;

  find_old_positions (self, update);

  for (guint i = 0; i < update->entries->len; i++)
    {
      Entry *entry = &g_array_index (update->entries, Entry, i);

      if (entry->old_position >= 0 && entry->new_position < 0)
        n_left++;
      else if (entry->old_position < 0 && entry->new_position >= 0)
        n_unknown++;
    }

  /* Images the model did not know of either arrived in the results, or
   * were there at a place it never loaded: the count tells which. In the
   * second case they cannot have moved unless the sort is by rating. */
  if (update->count == n_items - n_left + n_unknown)
    unknown_arrive = TRUE;
  else if (update->count == n_items - n_left && !sorted_by_rating (self))
    unknown_arrive = FALSE;
  else
    return FALSE;

  for (guint i = 0; i < update->entries->len; i++)
    {
      Entry *entry = &g_array_index (update->entries, Entry, i);

      entry->position = entry->old_position;
      if (entry->old_position >= 0 && entry->new_position < 0)
        g_ptr_array_add (leaving, entry);
      else if (entry->old_position >= 0)
        g_ptr_array_add (staying, entry);
      else if (entry->new_position >= 0 && unknown_arrive)
        g_ptr_array_add (arriving, entry);
    }

  /* The images that stay keep their place if as many images outside the
   * update come before them as before, and their own order holds. */
  if (staying->len > 0)
    {
      g_autoptr(GPtrArray) by_old = g_ptr_array_copy (staying, NULL, NULL);
      g_autoptr(GPtrArray) by_new = g_ptr_array_copy (staying, NULL, NULL);
      g_autoptr(GPtrArray) batch_new = g_ptr_array_copy (staying, NULL, NULL);
      gboolean order_holds = TRUE;

      g_ptr_array_extend (batch_new, arriving, NULL, NULL);
      g_ptr_array_sort (by_old, compare_position_descending);
      g_ptr_array_sort (by_new, compare_new_position);
      g_ptr_array_sort (batch_new, compare_new_position);

      for (guint i = 0; i < by_new->len; i++)
        if (by_new->pdata[i] != by_old->pdata[by_old->len - 1 - i])
          order_holds = FALSE;

      for (guint i = 0; i < staying->len; i++)
        {
          Entry *entry = staying->pdata[i];
          gint64 before_old = 0, before_new = 0;

          for (guint j = 0; j < leaving->len; j++)
            if (((Entry *) leaving->pdata[j])->old_position < entry->old_position)
              before_old++;
          for (guint j = 0; j < staying->len; j++)
            if (((Entry *) staying->pdata[j])->old_position < entry->old_position)
              before_old++;
          for (guint j = 0; j < batch_new->len; j++)
            if (((Entry *) batch_new->pdata[j])->new_position < entry->new_position)
              before_new++;

          entry->moves = !order_holds ||
                         entry->old_position - before_old != entry->new_position - before_new;
        }
    }

  if (leaving->len == 0 && arriving->len == 0)
    {
      gboolean any_moves = FALSE;

      for (guint i = 0; i < staying->len; i++)
        any_moves |= ((Entry *) staying->pdata[i])->moves;

      if (!any_moves)
        {
          /* Updated in place: the objects say what changed. */
          for (guint i = 0; i < staying->len; i++)
            refresh_entry (self, staying->pdata[i]);
          return TRUE;
        }
    }

  self->generation++;
  self->applied = update->seen;

  /* Data of the images that keep their place. */
  for (guint i = 0; i < staying->len; i++)
    {
      Entry *entry = staying->pdata[i];

      if (entry->moves)
        {
          g_ptr_array_add (leaving, entry);
          g_ptr_array_add (arriving, entry);
        }
      else
        refresh_entry (self, entry);
    }

  /* Pages in flight no longer line up with the positions; they are asked
   * for again afterwards. */
  g_hash_table_remove_all (self->fetching);

  remove_entries (self, leaving);
  insert_entries (self, arriving);

  for (guint i = 0; i < arriving->len; i++)
    g_clear_object (&((Entry *) arriving->pdata[i])->item);

  release_stray_items (self);

  if (self->slots->len != old_n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  return TRUE;
}

static void
finish_update (EaselGalleryModel *self)
{
  Update *update = g_steal_pointer (&self->update);

  if (update->seen != self->seen && self->restarts++ < MAX_RESTARTS)
    {
      /* More was reported meanwhile: work out the whole lot again. */
      for (guint i = 0; i < update->entries->len; i++)
        g_hash_table_add (self->pending, g_strdup (g_array_index (update->entries, Entry, i).hash));
      update_free (update);
      start_update (self);
      return;
    }

  self->restarts = 0;
  if (update->failed || update->seen != self->seen || !apply_update (self, update))
    {
      update_free (update);
      start_reset (self);
      return;
    }

  self->applied = update->seen;
  update_free (update);
  request_waiting_pages (self);
  fetch_wanted_pages (self);
}

static void
library_report_cb (EaselGalleryModel *self,
                   GStrv              hashes,
                   EaselLibrary      *library)
{
  self->seen++;
  if (self->loading)
    return;   /* the count will be repeated */

  add_pending (self, (const char * const *) hashes);
  if (self->update == NULL)
    start_update (self);
}

/* GListModel */

static GType
easel_gallery_model_get_item_type (GListModel *model)
{
  return EASEL_TYPE_IMAGE;
}

static guint
easel_gallery_model_get_n_items (GListModel *model)
{
  return EASEL_GALLERY_MODEL (model)->slots->len;
}

static gpointer
easel_gallery_model_get_item (GListModel *model,
                              guint       position)
{
  EaselGalleryModel *self = EASEL_GALLERY_MODEL (model);
  guint page = position / self->page_size;
  Slot *slot;

  if (position >= self->slots->len)
    return NULL;

  slot = slot_at (self, position);
  if (slot->item == NULL)
    slot->item = reclaim_item (self, slot->hash);
  if (slot->item == NULL)
    slot->item = g_object_new (EASEL_TYPE_IMAGE, NULL);

  /* A loaded image (also one taken back from whoever held it) keeps its
   * page in the LRU, so the bound holds. */
  if (is_loaded (slot->item))
    make_resident (self, page);
  else
    request_page (self, page);

  return g_object_ref (slot->item);
}

static void
easel_gallery_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = easel_gallery_model_get_item_type;
  iface->get_n_items = easel_gallery_model_get_n_items;
  iface->get_item = easel_gallery_model_get_item;
}

/* Public API */

/**
 * easel_gallery_model_new:
 * @library: (nullable): the library, %NULL for an empty model
 *
 * Returns: (transfer full): a model of every image in @library that is not
 *   in the trash, newest first, until a query is set
 */
EaselGalleryModel *
easel_gallery_model_new (EaselLibrary *library)
{
  g_return_val_if_fail (library == NULL || EASEL_IS_LIBRARY (library), NULL);

  return g_object_new (EASEL_TYPE_GALLERY_MODEL,
                       "library", library,
                       NULL);
}

/**
 * easel_gallery_model_get_library:
 * @self: a gallery model
 *
 * Returns: (transfer none) (nullable): the library
 */
EaselLibrary *
easel_gallery_model_get_library (EaselGalleryModel *self)
{
  g_return_val_if_fail (EASEL_IS_GALLERY_MODEL (self), NULL);

  return self->library;
}

/**
 * easel_gallery_model_get_query:
 * @self: a gallery model
 *
 * Returns: (transfer none): the query
 */
EaselQuery *
easel_gallery_model_get_query (EaselGalleryModel *self)
{
  g_return_val_if_fail (EASEL_IS_GALLERY_MODEL (self), NULL);

  return self->query;
}

/**
 * easel_gallery_model_set_query:
 * @self: a gallery model
 * @query: (nullable): the query, with its sort order; %NULL for every
 *   image not in the trash, newest first
 *
 * Shows the results of @query instead, with one items-changed once they
 * are counted.
 */
void
easel_gallery_model_set_query (EaselGalleryModel *self,
                               EaselQuery        *query)
{
  g_return_if_fail (EASEL_IS_GALLERY_MODEL (self));

  if (query != NULL && self->query == query)
    return;

  if (query != NULL)
    g_set_object (&self->query, query);
  else
    {
      g_clear_object (&self->query);
      self->query = easel_query_parse ("", NULL);
    }
  start_reset (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

/**
 * easel_gallery_model_reload:
 * @self: a gallery model
 *
 * Counts the results again and replaces every item.
 */
void
easel_gallery_model_reload (EaselGalleryModel *self)
{
  g_return_if_fail (EASEL_IS_GALLERY_MODEL (self));

  start_reset (self);
}

/**
 * easel_gallery_model_set_paging:
 * @self: a gallery model
 * @page_size: how many images one fetch loads
 * @max_pages: how many loaded pages to keep
 *
 * Changes the paging (tests use small pages); reloads the model.
 */
void
easel_gallery_model_set_paging (EaselGalleryModel *self,
                                guint              page_size,
                                guint              max_pages)
{
  g_return_if_fail (EASEL_IS_GALLERY_MODEL (self));
  g_return_if_fail (page_size > 0);
  g_return_if_fail (max_pages > 0);

  self->page_size = page_size;
  self->max_pages = max_pages;
  start_reset (self);
}

/**
 * easel_gallery_model_get_loading:
 * @self: a gallery model
 *
 * Returns: whether the results are being counted after a reset; the model
 *   still holds the previous results meanwhile
 */
gboolean
easel_gallery_model_get_loading (EaselGalleryModel *self)
{
  g_return_val_if_fail (EASEL_IS_GALLERY_MODEL (self), FALSE);

  return self->loading;
}

/**
 * easel_gallery_model_is_busy:
 * @self: a gallery model
 *
 * Returns: whether the model still waits for the library: a count, an
 *   update or a page
 */
gboolean
easel_gallery_model_is_busy (EaselGalleryModel *self)
{
  g_return_val_if_fail (EASEL_IS_GALLERY_MODEL (self), FALSE);

  return updates_pending (self) || self->n_fetches > 0 || g_hash_table_size (self->pending) > 0;
}

/**
 * easel_gallery_model_get_n_resident:
 * @self: a gallery model
 *
 * Returns: how many loaded images the model holds (for tests of its
 *   memory bound)
 */
guint
easel_gallery_model_get_n_resident (EaselGalleryModel *self)
{
  guint n = 0;

  g_return_val_if_fail (EASEL_IS_GALLERY_MODEL (self), 0);

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = slot_at (self, i);

      if (slot->item != NULL && is_loaded (slot->item))
        n++;
    }
  return n;
}

/**
 * easel_gallery_model_peek:
 * @self: a gallery model
 * @position: a position
 *
 * Returns: (transfer none) (nullable): the loaded image at @position, or
 *   %NULL if it is not loaded; never fetches anything
 */
EaselImage *
easel_gallery_model_peek (EaselGalleryModel *self,
                          guint              position)
{
  Slot *slot;

  g_return_val_if_fail (EASEL_IS_GALLERY_MODEL (self), NULL);

  if (position >= self->slots->len)
    return NULL;

  slot = slot_at (self, position);
  return slot->item != NULL && is_loaded (slot->item) ? slot->item : NULL;
}

/**
 * easel_gallery_model_find:
 * @self: a gallery model
 * @image: an item of the model
 * @position: (out): where it is
 *
 * Returns: whether @image is an item of the model
 */
gboolean
easel_gallery_model_find (EaselGalleryModel *self,
                          EaselImage        *image,
                          guint             *position)
{
  g_return_val_if_fail (EASEL_IS_GALLERY_MODEL (self), FALSE);
  g_return_val_if_fail (EASEL_IS_IMAGE (image), FALSE);

  for (guint i = 0; i < self->slots->len; i++)
    {
      if (slot_at (self, i)->item == image)
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Collecting the hashes of a selection */

typedef struct
{
  GArray *positions;
  guint   generation;
  guint   outstanding;
} Collect;

static void
collect_free (Collect *collect)
{
  g_array_unref (collect->positions);
  g_free (collect);
}

static void
collect_return (GTask *task)
{
  EaselGalleryModel *self = g_task_get_source_object (task);
  Collect *collect = g_task_get_task_data (task);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < collect->positions->len; i++)
    {
      guint position = g_array_index (collect->positions, guint, i);

      if (collect->generation != self->generation || position >= self->slots->len ||
          slot_at (self, position)->hash == NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                                   "The gallery changed while its selection was collected");
          return;
        }
      g_strv_builder_add (builder, slot_at (self, position)->hash);
    }

  g_task_return_pointer (task, g_strv_builder_end (builder), (GDestroyNotify) g_strfreev);
}

typedef struct
{
  GTask   *task;
  guint    offset;
  guint64  seen;
} CollectFetch;

static void
collected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CollectFetch *fetch = user_data;
  g_autoptr(GTask) task = fetch->task;
  EaselGalleryModel *self = g_task_get_source_object (task);
  Collect *collect = g_task_get_task_data (task);
  g_autoptr(GPtrArray) images = NULL;
  g_autoptr(GError) error = NULL;
  guint offset = fetch->offset;
  guint64 seen = fetch->seen;

  g_free (fetch);
  images = easel_library_fetch_finish (EASEL_LIBRARY (object), result, &error);
  if (g_task_had_error (task))
    return;
  if (images == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Only what matches the slots is taken. */
  if (collect->generation == self->generation && seen == self->seen && !updates_pending (self))
    {
      for (guint i = 0; i < images->len && offset + i < self->slots->len; i++)
        {
          Slot *slot = slot_at (self, offset + i);
          const char *hash = easel_image_get_hash (g_ptr_array_index (images, i));

          if (slot->hash == NULL)
            slot_set_hash (slot, hash);
        }
    }

  if (--collect->outstanding == 0)
    collect_return (task);
}

/**
 * easel_gallery_model_dup_hashes_async:
 * @self: a gallery model
 * @positions: (array length=n_positions): positions, such as a selection's
 * @n_positions: how many
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the hashes
 * @user_data: data for @callback
 *
 * Collects the hashes of the images at @positions, loading the hashes the
 * model does not know yet (but not the images: a large selection does not
 * load the library into memory).
 */
void
easel_gallery_model_dup_hashes_async (EaselGalleryModel   *self,
                                      const guint         *positions,
                                      guint                n_positions,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) chunks = g_hash_table_new (NULL, NULL);
  guint chunk_size;
  Collect *collect;
  GHashTableIter iter;
  gpointer chunk;

  g_return_if_fail (EASEL_IS_GALLERY_MODEL (self));
  g_return_if_fail (positions != NULL || n_positions == 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_gallery_model_dup_hashes_async);
  collect = g_new0 (Collect, 1);
  collect->positions = g_array_sized_new (FALSE, FALSE, sizeof (guint), n_positions);
  g_array_append_vals (collect->positions, positions, n_positions);
  collect->generation = self->generation;
  g_task_set_task_data (task, collect, (GDestroyNotify) collect_free);

  chunk_size = self->page_size * HASH_FETCH_PAGES;
  for (guint i = 0; i < n_positions; i++)
    {
      if (positions[i] < self->slots->len && slot_at (self, positions[i])->hash == NULL)
        g_hash_table_add (chunks, GUINT_TO_POINTER (positions[i] / chunk_size));
    }

  if (g_hash_table_size (chunks) == 0 || self->library == NULL)
    {
      collect_return (task);
      return;
    }

  g_hash_table_iter_init (&iter, chunks);
  while (g_hash_table_iter_next (&iter, &chunk, NULL))
    {
      CollectFetch *fetch = g_new0 (CollectFetch, 1);

      fetch->task = g_object_ref (task);
      fetch->offset = GPOINTER_TO_UINT (chunk) * chunk_size;
      fetch->seen = self->seen;
      collect->outstanding++;
      easel_library_fetch_async (self->library, self->query, fetch->offset, chunk_size,
                                 cancellable, collected_cb, fetch);
    }
}

/**
 * easel_gallery_model_dup_hashes_finish:
 * @self: a gallery model
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the hashes, or %NULL with @error set (for
 *   instance when the results changed meanwhile)
 */
GStrv
easel_gallery_model_dup_hashes_finish (EaselGalleryModel  *self,
                                       GAsyncResult       *result,
                                       GError            **error)
{
  g_return_val_if_fail (EASEL_IS_GALLERY_MODEL (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* GObject */

static void
set_library (EaselGalleryModel *self,
             EaselLibrary      *library)
{
  if (library == NULL)
    return;

  self->library = g_object_ref (library);
  self->added_id = g_signal_connect_swapped (library, "added",
                                             G_CALLBACK (library_report_cb), self);
  self->changed_id = g_signal_connect_swapped (library, "changed",
                                               G_CALLBACK (library_report_cb), self);
}

static void
easel_gallery_model_constructed (GObject *object)
{
  EaselGalleryModel *self = EASEL_GALLERY_MODEL (object);

  G_OBJECT_CLASS (easel_gallery_model_parent_class)->constructed (object);

  if (self->query == NULL)
    self->query = easel_query_parse ("", NULL);
  start_reset (self);
}

static void
easel_gallery_model_dispose (GObject *object)
{
  EaselGalleryModel *self = EASEL_GALLERY_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  if (self->library != NULL)
    {
      g_clear_signal_handler (&self->added_id, self->library);
      g_clear_signal_handler (&self->changed_id, self->library);
    }
  g_clear_pointer (&self->update, update_free);
  g_clear_object (&self->library);
  forget_released (self);

  G_OBJECT_CLASS (easel_gallery_model_parent_class)->dispose (object);
}

static void
easel_gallery_model_finalize (GObject *object)
{
  EaselGalleryModel *self = EASEL_GALLERY_MODEL (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->query);
  g_array_unref (self->slots);
  g_hash_table_destroy (self->resident);
  g_queue_clear (&self->lru);
  g_hash_table_destroy (self->wanted);
  g_hash_table_destroy (self->fetching);
  g_hash_table_destroy (self->pending);
  g_hash_table_destroy (self->released);

  G_OBJECT_CLASS (easel_gallery_model_parent_class)->finalize (object);
}

static void
easel_gallery_model_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EaselGalleryModel *self = EASEL_GALLERY_MODEL (object);

  switch (prop_id)
    {
    case PROP_LIBRARY:
      g_value_set_object (value, self->library);
      break;
    case PROP_QUERY:
      g_value_set_object (value, self->query);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->slots->len);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_gallery_model_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EaselGalleryModel *self = EASEL_GALLERY_MODEL (object);

  switch (prop_id)
    {
    case PROP_LIBRARY:
      set_library (self, g_value_get_object (value));
      break;
    case PROP_QUERY:
      easel_gallery_model_set_query (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_gallery_model_class_init (EaselGalleryModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = easel_gallery_model_constructed;
  object_class->dispose = easel_gallery_model_dispose;
  object_class->finalize = easel_gallery_model_finalize;
  object_class->get_property = easel_gallery_model_get_property;
  object_class->set_property = easel_gallery_model_set_property;

  properties[PROP_LIBRARY] =
    g_param_spec_object ("library", NULL, NULL,
                         EASEL_TYPE_LIBRARY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUERY] =
    g_param_spec_object ("query", NULL, NULL,
                        EASEL_TYPE_QUERY,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
slot_clear_cb (gpointer data)
{
  slot_clear (data);
}

static void
easel_gallery_model_init (EaselGalleryModel *self)
{
  self->page_size = DEFAULT_PAGE_SIZE;
  self->max_pages = DEFAULT_MAX_PAGES;
  self->cancellable = g_cancellable_new ();
  self->slots = g_array_new (FALSE, TRUE, sizeof (Slot));
  g_array_set_clear_func (self->slots, slot_clear_cb);
  self->resident = g_hash_table_new (NULL, NULL);
  g_queue_init (&self->lru);
  self->wanted = g_hash_table_new (NULL, NULL);
  self->fetching = g_hash_table_new (NULL, NULL);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->released = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
