/* easel-library.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The image library as the gallery and `easel search` see it: queries,
 * pages of EaselImage, and edits, all run on the store's thread.
 *
 * How a query runs. Migration 2 gives every filter an index that leads
 * with the filtered column and goes on with trashed_at and created_at, so
 * a filter alone is counted from an index and its first page is read in
 * index order; it also pins SQLite's statistics so that the planner picks
 * those indexes on any library, large or small, analysed or not
 * (test-library.c checks the plans). Free text is answered by images_fts,
 * whose rowids are the images' rowids, negated in the trash: "not in the
 * trash" costs FTS5 nothing, and a text search without filters is counted
 * by FTS5 alone.
 *
 * Text and filters together have two good plans, and SQLite cannot tell
 * which is which because it does not know how many rows a MATCH gives. So
 * the library counts the text matches first (cheap: FTS5 reads its own
 * doclists, a few milliseconds even for a one-letter prefix, and the count
 * is kept for the next call until something is written) and chooses by
 * estimated cost (COST_* below):
 *
 *  - few matches: read them from images_fts and look their rows up by
 *    rowid (the "join" plan), sorting what is left;
 *  - many matches: walk the filters' index in the order asked for and test
 *    each row against the set of matches (the "set" plan), which stops as
 *    soon as the page is full.
 *
 * Pages are read in two steps: the rowids of the page first, from indexes
 * where possible, then the full rows of those rowids only, so a deep
 * offset skips index entries rather than rows.
 *
 * Statements whose text depends on the query are prepared for the call
 * and finalized after it (their text is built from constants only, see
 * easel-query.c); constant ones come from the connection's cache. A
 * cancelled read is interrupted mid-statement through SQLite's progress
 * handler, so a search overtaken by the next key press stops at once. An
 * edit is never interrupted: once it has started, its result is the truth.
 *
 * Edits run in one transaction each and report the hashes of the images
 * that really changed; the library then emits ::changed with them on the
 * thread that asked, before the edit's callback runs. */

#include "config.h"

#include "easel-library.h"

#include <string.h>

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "easel-library-private.h"
#include "easel-query-private.h"

/* What a row costs each plan, in about a microsecond, as measured at
 * 100,000 images (tests/bench-library.c): a text match looked up by rowid
 * and sorted for a page, or only tested for a count; a text match added
 * to the set; an index entry read and tested against the set. Only their
 * ratios matter. */
#define COST_JOIN_PAGE_ROW 2.0
#define COST_JOIN_COUNT_ROW 0.8
#define COST_SET_ROW 0.2
#define COST_SCAN_ROW 0.1
/* SQLite virtual machine steps between checks for cancellation. */
#define PROGRESS_STEPS 1000
/* The connection's page cache, in KiB: the rows a search looks up one by
 * one (tags, few text matches) come from all over a 100 MB library, and
 * SQLite's default of 2 MB makes most of them system calls (bench-library.c
 * measures the difference: a tag's count takes half the time). */
#define CACHE_KIB 32768

#define IMAGE_COLUMNS \
  "i.hash, i.path, i.width, i.height, i.mime, i.bytes, i.created_at, i.job_id, i.provider, " \
  "i.model, i.prompt, i.params, i.seed, i.rating, i.favourite, i.trashed_at IS NOT NULL, " \
  "(SELECT group_concat (t.name, char (31)) FROM image_tags it JOIN tags t ON t.id = it.tag_id " \
  "WHERE it.image_hash = i.hash)"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* The last count of text matches, so that the count and the pages of one
 * search ask FTS5 once. It is only used on the store's thread, and stays
 * valid while nothing was written: by this connection (its total of
 * changes) or by another one (PRAGMA data_version). */
typedef struct
{
  char     *match;
  gboolean  trashed;
  gint64    changes;
  gint64    data_version;
  gint64    count;
} TextCount;

static void
text_count_clear (gpointer data)
{
  TextCount *text_count = data;

  g_free (text_count->match);
}

struct _EaselLibrary
{
  GObject           parent_instance;

  EaselStore       *store;
  EaselImageStore  *images;
  EaselLibraryPlan  plan;
  TextCount        *text_count;   /* atomic reference counted, store thread only */
};

G_DEFINE_FINAL_TYPE (EaselLibrary, easel_library, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_IMAGE_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Work handed to the store's thread: copies only, plus references to
 * objects that are immutable (the image store's root) or only used there
 * (the text count). */
typedef struct
{
  TextCount        *text_count;
  EaselImageStore  *images;
  EaselQuerySql    *sql;
  GCancellable     *cancellable;
  char             *hash;
  guint             offset;
  guint             limit;
  EaselLibraryPlan  plan;
} Request;

typedef enum
{
  EDIT_RATING,
  EDIT_FAVOURITE,
  EDIT_TRASHED,
  EDIT_ADD_TAG,
  EDIT_REMOVE_TAG,
} EditKind;

typedef struct
{
  EditKind  kind;
  GStrv     hashes;
  int       value;
  char     *tag;
} Edit;

/* What the store's thread gives back. */
typedef struct
{
  gint64      number;
  GPtrArray  *images;    /* EaselImage */
  GStrv       strv;      /* changed hashes, tags */
} Reply;

static void
request_free (Request *request)
{
  g_atomic_rc_box_release_full (request->text_count, text_count_clear);
  g_clear_object (&request->images);
  g_clear_pointer (&request->sql, easel_query_sql_free);
  g_clear_object (&request->cancellable);
  g_free (request->hash);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
edit_free (Edit *edit)
{
  g_strfreev (edit->hashes);
  g_free (edit->tag);
  g_free (edit);
}

static Reply *
reply_new (void)
{
  return g_new0 (Reply, 1);
}

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->images, g_ptr_array_unref);
  g_clear_pointer (&reply->strv, g_strfreev);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static Request *
request_new (EaselLibrary *self,
             EaselQuery   *query,
             GCancellable *cancellable)
{
  Request *request = g_new0 (Request, 1);

  request->text_count = g_atomic_rc_box_acquire (self->text_count);
  request->images = g_object_ref (self->images);
  request->sql = query != NULL ? easel_query_compile (query) : NULL;
  request->plan = self->plan;
  g_set_object (&request->cancellable, cancellable);
  return request;
}

/* Reading */

static int
progress_cb (void *user_data)
{
  return g_cancellable_is_cancelled (user_data);
}

static void
begin_read (EaselDb      *db,
            GCancellable *cancellable)
{
  /* Idempotent and cheap; the connection is the store's, so the library
   * does not know whether it was set before. */
  sqlite3_exec (easel_db_get_handle (db), "PRAGMA cache_size = -" G_STRINGIFY (CACHE_KIB), NULL, NULL, NULL);

  if (cancellable != NULL)
    sqlite3_progress_handler (easel_db_get_handle (db), PROGRESS_STEPS, progress_cb, cancellable);
}

/* Ends what begin_read() began; a failure caused by the cancellation
 * becomes G_IO_ERROR_CANCELLED. */
static void
end_read (EaselDb       *db,
          GCancellable  *cancellable,
          GError       **error)
{
  sqlite3_progress_handler (easel_db_get_handle (db), 0, NULL, NULL);

  if (error != NULL && *error != NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (error);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The search was cancelled"));
    }
}

static sqlite3_stmt *
prepare_once (EaselDb     *db,
              const char  *sql,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (easel_db_get_handle (db), sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      easel_db_set_error (db, rc, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

/* Tags in the order of easel_library_list_tags_finish(). */
static int
compare_tags (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const char *tag_a = *(const char * const *) a;
  const char *tag_b = *(const char * const *) b;
  int result = g_ascii_strcasecmp (tag_a, tag_b);

  return result != 0 ? result : strcmp (tag_a, tag_b);
}

static void
split_tags (const char  *text,
            GStrv       *tags)
{
  g_auto(GStrv) split = NULL;
  guint n;

  if (text == NULL || text[0] == '\0')
    {
      *tags = NULL;
      return;
    }
  split = g_strsplit (text, "\x1f", -1);
  n = g_strv_length (split);
  g_qsort_with_data (split, n, sizeof (char *), compare_tags, NULL);
  *tags = g_steal_pointer (&split);
}

/* An EaselImage from a row of IMAGE_COLUMNS. */
static EaselImage *
image_from_row (sqlite3_stmt    *stmt,
                EaselImageStore *images)
{
  EaselImage *image = easel_image_new ((const char *) sqlite3_column_text (stmt, 0));
  g_autofree char *path = easel_image_store_dup_path (images, (const char *) sqlite3_column_text (stmt, 1));
  g_auto(GStrv) tags = NULL;

  easel_image_set_path (image, path);
  easel_image_set_width (image, MAX (sqlite3_column_int (stmt, 2), 0));
  easel_image_set_height (image, MAX (sqlite3_column_int (stmt, 3), 0));
  easel_image_set_mime (image, (const char *) sqlite3_column_text (stmt, 4));
  easel_image_set_bytes (image, sqlite3_column_int64 (stmt, 5));
  easel_image_set_created_at (image, sqlite3_column_int64 (stmt, 6));
  easel_image_set_job_id (image, sqlite3_column_int64 (stmt, 7));
  easel_image_set_provider (image, (const char *) sqlite3_column_text (stmt, 8));
  easel_image_set_model (image, (const char *) sqlite3_column_text (stmt, 9));
  easel_image_set_prompt (image, (const char *) sqlite3_column_text (stmt, 10));
  easel_image_set_params (image, (const char *) sqlite3_column_text (stmt, 11));
  easel_image_set_seed (image, sqlite3_column_type (stmt, 12) == SQLITE_NULL
                               ? -1 : sqlite3_column_int64 (stmt, 12));
  easel_image_set_rating (image, CLAMP (sqlite3_column_int (stmt, 13), 0, 5));
  easel_image_set_favourite (image, sqlite3_column_int (stmt, 14) != 0);
  easel_image_set_trashed (image, sqlite3_column_int (stmt, 15) != 0);
  split_tags ((const char *) sqlite3_column_text (stmt, 16), &tags);
  easel_image_set_tags (image, (const char * const *) tags);
  return image;
}

static gboolean
query_int64 (EaselDb       *db,
             sqlite3_stmt  *stmt,
             gint64        *value,
             GError       **error)
{
  if (stmt == NULL || easel_db_step (db, stmt, error) != SQLITE_ROW)
    return FALSE;
  *value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

/* How many images_fts rows match the text, in the library or the trash. */
static gboolean
count_text_matches (EaselDb  *db,
                    Request  *request,
                    gint64   *count,
                    GError  **error)
{
  EaselQuerySql *sql = request->sql;
  TextCount *cached = request->text_count;
  gint64 changes = sqlite3_total_changes64 (easel_db_get_handle (db));
  gint64 data_version;
  sqlite3_stmt *stmt;

  if (!query_int64 (db, easel_db_prepare (db, "PRAGMA data_version", error), &data_version, error))
    return FALSE;
  if (g_strcmp0 (cached->match, sql->match) == 0 && cached->trashed == sql->trashed &&
      cached->changes == changes && cached->data_version == data_version)
    {
      *count = cached->count;
      return TRUE;
    }

  stmt = easel_db_prepare (db, sql->trashed
                           ? "SELECT count(*) FROM images_fts "
                             "WHERE images_fts MATCH ? AND images_fts.rowid < 0"
                           : "SELECT count(*) FROM images_fts "
                             "WHERE images_fts MATCH ? AND images_fts.rowid > 0",
                           error);
  if (stmt == NULL)
    return FALSE;
  easel_db_bind_text (stmt, 1, sql->match);
  if (!query_int64 (db, stmt, count, error))
    return FALSE;

  g_free (cached->match);
  cached->match = g_strdup (sql->match);
  cached->trashed = sql->trashed;
  cached->changes = changes;
  cached->data_version = data_version;
  cached->count = *count;
  return TRUE;
}

/* About how many images there are: cheap, and enough to choose a plan. */
static gboolean
estimate_images (EaselDb  *db,
                 gint64   *count,
                 GError  **error)
{
  return query_int64 (db, easel_db_prepare (db, "SELECT max(rowid) FROM images", error), count, error);
}

typedef enum
{
  PLAN_FILTERS,     /* no free text */
  PLAN_JOIN,        /* text matches first, rows looked up by rowid */
  PLAN_SET,         /* rows in index order, tested against the matches */
} Plan;

static Plan
choose_plan (EaselLibraryPlan forced,
             gboolean         join)
{
  switch (forced)
    {
    case EASEL_LIBRARY_PLAN_JOIN:
      return PLAN_JOIN;
    case EASEL_LIBRARY_PLAN_SET:
      return PLAN_SET;
    case EASEL_LIBRARY_PLAN_AUTO:
    default:
      return join ? PLAN_JOIN : PLAN_SET;
    }
}

/* Whether looking up and sorting all @matches costs less than building
 * their set and walking the index until the page is full, which takes
 * about (offset + limit) × images / matches entries. */
static gboolean
join_is_cheaper_for_page (gint64 matches,
                          gint64 images,
                          guint  offset,
                          guint  limit)
{
  double join = COST_JOIN_PAGE_ROW * matches;
  double set = COST_SET_ROW * matches +
               COST_SCAN_ROW * ((double) offset + limit) * MAX (images, matches) / MAX (matches, 1);

  return join <= set;
}

/* Whether testing the rows of all @matches costs less than building their
 * set and walking the filters' index, taken to be the whole library (the
 * filters' selectivity is not known, and this errs towards the set). */
static gboolean
join_is_cheaper_for_count (gint64 matches,
                           gint64 images)
{
  return COST_JOIN_COUNT_ROW * matches <= COST_SET_ROW * matches + COST_SCAN_ROW * MAX (images, matches);
}

/* The rows before an image in a query's order, for its position. */
typedef struct
{
  gint64 rowid;
  gint64 created_at;
  gint64 rating;
} Keyset;

static const char *
keyset_condition (EaselQuerySql *sql)
{
  switch (sql->sort)
    {
    case EASEL_SORT_OLDEST:
      return "(i.created_at, i.rowid) < (?, ?)";
    case EASEL_SORT_RATING:
      return "(i.rating, i.created_at, i.rowid) > (?, ?, ?)";
    case EASEL_SORT_NEWEST:
    default:
      return "(i.created_at, i.rowid) > (?, ?)";
    }
}

static int
bind_keyset (EaselQuerySql *sql,
             const Keyset  *keyset,
             sqlite3_stmt  *stmt,
             int            index)
{
  if (sql->sort == EASEL_SORT_RATING)
    easel_db_bind_int64 (stmt, index++, keyset->rating);
  easel_db_bind_int64 (stmt, index++, keyset->created_at);
  easel_db_bind_int64 (stmt, index++, keyset->rowid);
  return index;
}

/* "FROM … WHERE …" of @plan, and its binding. */
static char *
build_from_where (EaselQuerySql *sql,
                  Plan           plan,
                  const Keyset  *keyset)
{
  g_autofree char *where = NULL;
  const char *and_keyset = keyset != NULL ? " AND " : "";
  const char *keyset_sql = keyset != NULL ? keyset_condition (sql) : "";

  switch (plan)
    {
    case PLAN_JOIN:
      return g_strconcat ("FROM images_fts CROSS JOIN images i ON i.rowid = ",
                          easel_query_sql_get_fts_rowid (sql),
                          " WHERE images_fts MATCH ? AND ", easel_query_sql_get_fts_range (sql),
                          " AND ", sql->filters, and_keyset, keyset_sql, NULL);
    case PLAN_SET:
    case PLAN_FILTERS:
    default:
      where = easel_query_sql_dup_where (sql);
      return g_strconcat ("FROM images i WHERE ", where, and_keyset, keyset_sql, NULL);
    }
}

static int
bind_from_where (EaselQuerySql *sql,
                 Plan           plan,
                 const Keyset  *keyset,
                 sqlite3_stmt  *stmt,
                 int            index)
{
  if (plan == PLAN_JOIN)
    easel_db_bind_text (stmt, index++, sql->match);
  index = easel_query_sql_bind_filters (sql, stmt, index);
  if (plan == PLAN_SET)
    easel_db_bind_text (stmt, index++, sql->match);
  if (keyset != NULL)
    index = bind_keyset (sql, keyset, stmt, index);
  return index;
}

/* Counts the images of @sql, or only those before @keyset. */
static gboolean
count_images (EaselDb       *db,
              Request       *request,
              const Keyset  *keyset,
              gint64        *count,
              GError       **error)
{
  EaselQuerySql *sql = request->sql;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *from_where = NULL;
  g_autofree char *text = NULL;
  Plan plan = PLAN_FILTERS;

  if (sql->match != NULL)
    {
      gint64 matches, images;

      if (!count_text_matches (db, request, &matches, error))
        return FALSE;
      if (matches == 0 || (sql->n_filters == 0 && keyset == NULL))
        {
          *count = matches;
          return TRUE;
        }
      if (!estimate_images (db, &images, error))
        return FALSE;
      plan = choose_plan (request->plan, join_is_cheaper_for_count (matches, images));
    }

  from_where = build_from_where (sql, plan, keyset);
  text = g_strconcat ("SELECT count(*) ", from_where, NULL);
  stmt = prepare_once (db, text, error);
  if (stmt == NULL)
    return FALSE;
  bind_from_where (sql, plan, keyset, stmt, 1);
  if (easel_db_step (db, stmt, error) != SQLITE_ROW)
    return FALSE;
  *count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gpointer
count_func (EaselDb   *db,
            gpointer   data,
            GError   **error)
{
  Request *request = data;
  g_autoptr(Reply) reply = reply_new ();
  gboolean ok;

  begin_read (db, request->cancellable);
  ok = count_images (db, request, NULL, &reply->number, error);
  end_read (db, request->cancellable, error);
  return ok ? g_steal_pointer (&reply) : NULL;
}

static gboolean
fetch_images (EaselDb    *db,
              Request    *request,
              GPtrArray  *images,
              GError    **error)
{
  EaselQuerySql *sql = request->sql;
  const char *order_by = easel_query_sql_get_order_by (sql);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *from_where = NULL;
  g_autofree char *text = NULL;
  Plan plan = PLAN_FILTERS;
  int index;
  int rc;

  if (request->limit == 0)
    return TRUE;

  if (sql->match != NULL)
    {
      gint64 matches, total;

      if (!count_text_matches (db, request, &matches, error))
        return FALSE;
      if (matches <= request->offset)
        return TRUE;
      if (!estimate_images (db, &total, error))
        return FALSE;
      plan = choose_plan (request->plan,
                          join_is_cheaper_for_page (matches, total, request->offset, request->limit));
    }

  /* The page's rowids first, then its rows. */
  from_where = build_from_where (sql, plan, NULL);
  text = g_strconcat ("SELECT " IMAGE_COLUMNS " FROM (SELECT i.rowid AS id ", from_where,
                      " ORDER BY ", order_by, " LIMIT ? OFFSET ?) AS page "
                      "CROSS JOIN images i ON i.rowid = page.id ORDER BY ", order_by, NULL);
  stmt = prepare_once (db, text, error);
  if (stmt == NULL)
    return FALSE;
  index = bind_from_where (sql, plan, NULL, stmt, 1);
  easel_db_bind_int64 (stmt, index++, request->limit);
  easel_db_bind_int64 (stmt, index++, request->offset);

  while ((rc = easel_db_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (images, image_from_row (stmt, request->images));
  return rc == SQLITE_DONE;
}

static gpointer
fetch_func (EaselDb   *db,
            gpointer   data,
            GError   **error)
{
  Request *request = data;
  g_autoptr(Reply) reply = reply_new ();
  gboolean ok;

  reply->images = g_ptr_array_new_with_free_func (g_object_unref);
  begin_read (db, request->cancellable);
  ok = fetch_images (db, request, reply->images, error);
  end_read (db, request->cancellable, error);
  return ok ? g_steal_pointer (&reply) : NULL;
}

static gpointer
lookup_func (EaselDb   *db,
             gpointer   data,
             GError   **error)
{
  Request *request = data;
  sqlite3_stmt *stmt = easel_db_prepare (db, "SELECT " IMAGE_COLUMNS " FROM images i WHERE i.hash = ?",
                                         error);
  g_autoptr(Reply) reply = reply_new ();
  int rc;

  if (stmt == NULL)
    return NULL;
  easel_db_bind_text (stmt, 1, request->hash);
  rc = easel_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_NOT_FOUND,
                   _("The image %.12s… is not in the library"), request->hash);
      return NULL;
    }

  reply->images = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (reply->images, image_from_row (stmt, request->images));
  sqlite3_reset (stmt);
  return g_steal_pointer (&reply);
}

/* Whether the image @hash matches @sql, and where it sorts. */
static gboolean
find_image (EaselDb        *db,
            EaselQuerySql  *sql,
            const char     *hash,
            Keyset         *keyset,
            gboolean       *found,
            GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *text = NULL;
  int index;
  int rc;

  *found = FALSE;
  text = g_strconcat ("SELECT i.rowid, i.created_at, i.rating FROM images i WHERE i.hash = ? AND ",
                      sql->filters, NULL);
  stmt = prepare_once (db, text, error);
  if (stmt == NULL)
    return FALSE;
  easel_db_bind_text (stmt, 1, hash);
  index = easel_query_sql_bind_filters (sql, stmt, 2);
  g_assert (index == sqlite3_bind_parameter_count (stmt) + 1);
  rc = easel_db_step (db, stmt, error);
  if (rc != SQLITE_ROW)
    return rc == SQLITE_DONE;

  keyset->rowid = sqlite3_column_int64 (stmt, 0);
  keyset->created_at = sqlite3_column_int64 (stmt, 1);
  keyset->rating = sqlite3_column_int64 (stmt, 2);

  if (sql->match != NULL)
    {
      sqlite3_stmt *match = easel_db_prepare (db, "SELECT 1 FROM images_fts "
                                                  "WHERE images_fts MATCH ? AND images_fts.rowid = ?",
                                              error);

      if (match == NULL)
        return FALSE;
      easel_db_bind_text (match, 1, sql->match);
      easel_db_bind_int64 (match, 2, sql->trashed ? -keyset->rowid : keyset->rowid);
      rc = easel_db_step (db, match, error);
      sqlite3_reset (match);
      if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE;
    }

  *found = TRUE;
  return TRUE;
}

static gpointer
position_func (EaselDb   *db,
               gpointer   data,
               GError   **error)
{
  Request *request = data;
  g_autoptr(Reply) reply = reply_new ();
  Keyset keyset = { 0 };
  gboolean found = FALSE;
  gboolean ok;

  begin_read (db, request->cancellable);
  ok = find_image (db, request->sql, request->hash, &keyset, &found, error);
  if (ok && found)
    ok = count_images (db, request, &keyset, &reply->number, error);
  else
    reply->number = -1;
  end_read (db, request->cancellable, error);
  return ok ? g_steal_pointer (&reply) : NULL;
}

static gpointer
list_tags_func (EaselDb   *db,
                gpointer   data,
                GError   **error)
{
  sqlite3_stmt *stmt = easel_db_prepare (db, "SELECT name FROM tags ORDER BY name COLLATE NOCASE, name",
                                         error);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(Reply) reply = reply_new ();
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = easel_db_step (db, stmt, error)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (rc < 0)
    return NULL;
  reply->strv = g_strv_builder_end (builder);
  return g_steal_pointer (&reply);
}

/* Editing */

static gboolean
step_done (EaselDb       *db,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  return easel_db_step (db, stmt, error) == SQLITE_DONE;
}

/* The id of the tag @name, created if @create; 0 if there is none. */
static gboolean
find_tag (EaselDb     *db,
          const char  *name,
          gboolean     create,
          gint64      *id,
          GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (create)
    {
      stmt = easel_db_prepare (db, "INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
                               error);
      if (stmt == NULL)
        return FALSE;
      easel_db_bind_text (stmt, 1, name);
      if (!step_done (db, stmt, error))
        return FALSE;
    }

  stmt = easel_db_prepare (db, "SELECT id FROM tags WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  easel_db_bind_text (stmt, 1, name);
  rc = easel_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  *id = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return TRUE;
}

/* A tag no image has any more is forgotten, so it stops being offered. */
static gboolean
forget_tag_if_unused (EaselDb  *db,
                      gint64    id,
                      GError  **error)
{
  sqlite3_stmt *stmt = easel_db_prepare (db, "DELETE FROM tags WHERE id = ?1 AND "
                                             "NOT EXISTS (SELECT 1 FROM image_tags WHERE tag_id = ?1)",
                                         error);

  if (stmt == NULL)
    return FALSE;
  easel_db_bind_int64 (stmt, 1, id);
  return step_done (db, stmt, error);
}

static const char *
edit_sql (Edit *edit)
{
  switch (edit->kind)
    {
    case EDIT_RATING:
      return "UPDATE images SET rating = ?2 WHERE hash = ?1 AND rating <> ?2";
    case EDIT_FAVOURITE:
      return "UPDATE images SET favourite = ?2 WHERE hash = ?1 AND favourite <> ?2";
    case EDIT_TRASHED:
      return edit->value
             ? "UPDATE images SET trashed_at = ?2 WHERE hash = ?1 AND trashed_at IS NULL"
             : "UPDATE images SET trashed_at = NULL WHERE hash = ?1 AND trashed_at IS NOT NULL";
    case EDIT_ADD_TAG:
      return "INSERT INTO image_tags (image_hash, tag_id) SELECT ?1, ?2 "
             "WHERE EXISTS (SELECT 1 FROM images WHERE hash = ?1) ON CONFLICT DO NOTHING";
    case EDIT_REMOVE_TAG:
    default:
      return "DELETE FROM image_tags WHERE image_hash = ?1 AND tag_id = ?2";
    }
}

static gpointer
edit_func (EaselDb   *db,
           gpointer   data,
           GError   **error)
{
  Edit *edit = data;
  g_autoptr(GStrvBuilder) changed = g_strv_builder_new ();
  g_autoptr(Reply) reply = reply_new ();
  gint64 value = edit->value;
  gint64 tag_id = 0;

  if (!easel_db_begin (db, error))
    return NULL;

  if (edit->kind == EDIT_ADD_TAG || edit->kind == EDIT_REMOVE_TAG)
    {
      if (!find_tag (db, edit->tag, edit->kind == EDIT_ADD_TAG, &tag_id, error))
        goto rollback;
      value = tag_id;
    }
  else if (edit->kind == EDIT_TRASHED)
    value = g_get_real_time ();

  /* Removing a tag nobody has changes nothing. */
  for (guint i = 0; edit->hashes[i] != NULL && !(edit->kind == EDIT_REMOVE_TAG && tag_id == 0); i++)
    {
      sqlite3_stmt *stmt = easel_db_prepare (db, edit_sql (edit), error);

      if (stmt == NULL)
        goto rollback;
      easel_db_bind_text (stmt, 1, edit->hashes[i]);
      if (sqlite3_bind_parameter_count (stmt) >= 2)
        easel_db_bind_int64 (stmt, 2, value);
      if (!step_done (db, stmt, error))
        goto rollback;
      if (easel_db_changes (db) > 0)
        g_strv_builder_add (changed, edit->hashes[i]);
    }

  if (tag_id != 0 && !forget_tag_if_unused (db, tag_id, error))
    goto rollback;

  if (!easel_db_commit (db, error))
    goto rollback;

  reply->strv = g_strv_builder_end (changed);
  return g_steal_pointer (&reply);

rollback:
  easel_db_rollback (db);
  return NULL;
}

/* The main thread */

static void
store_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EaselLibrary *self = g_task_get_source_object (task);
  GError *error = NULL;
  Reply *reply = easel_store_run_finish (EASEL_STORE (source), result, &error);

  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* An edit's listeners hear about it before its caller does. */
  if (g_task_get_task_data (task) != NULL && reply->strv != NULL && reply->strv[0] != NULL)
    g_signal_emit (self, signals[CHANGED], 0, reply->strv);

  g_task_return_pointer (task, reply, (GDestroyNotify) reply_free);
}

static void
run_async (EaselLibrary        *self,
           EaselStoreFunc       func,
           gpointer             data,
           GDestroyNotify       data_destroy,
           gboolean             is_edit,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data,
           gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (is_edit)
    {
      /* A write that happened is reported, even if cancelled meanwhile. */
      g_task_set_check_cancellable (task, FALSE);
      g_task_set_task_data (task, GINT_TO_POINTER (TRUE), NULL);
    }
  easel_store_run_full_async (self->store, func, data, data_destroy, (GDestroyNotify) reply_free,
                              cancellable, store_done_cb, task);
}

static Reply *
finish (EaselLibrary  *self,
        GAsyncResult  *result,
        gpointer       source_tag,
        GError       **error)
{
  g_return_val_if_fail (EASEL_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* EaselLibrary */

static void
easel_library_dispose (GObject *object)
{
  EaselLibrary *self = EASEL_LIBRARY (object);

  g_clear_object (&self->store);
  g_clear_object (&self->images);

  G_OBJECT_CLASS (easel_library_parent_class)->dispose (object);
}

static void
easel_library_finalize (GObject *object)
{
  EaselLibrary *self = EASEL_LIBRARY (object);

  g_atomic_rc_box_release_full (self->text_count, text_count_clear);

  G_OBJECT_CLASS (easel_library_parent_class)->finalize (object);
}

static void
easel_library_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  EaselLibrary *self = EASEL_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_IMAGE_STORE:
      g_value_set_object (value, self->images);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_library_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  EaselLibrary *self = EASEL_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_IMAGE_STORE:
      self->images = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_library_class_init (EaselLibraryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = easel_library_dispose;
  object_class->finalize = easel_library_finalize;
  object_class->get_property = easel_library_get_property;
  object_class->set_property = easel_library_set_property;

  /**
   * EaselLibrary:store:
   *
   * The database.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         EASEL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselLibrary:image-store:
   *
   * The originals, to make the images' paths absolute.
   */
  properties[PROP_IMAGE_STORE] =
    g_param_spec_object ("image-store", NULL, NULL,
                         EASEL_TYPE_IMAGE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EaselLibrary::changed:
   * @self: the library
   * @hashes: the hashes of the images that changed
   *
   * Emitted after an edit changed images (rating, favourite, trash,
   * tags), on the thread that asked for the edit and before the edit's
   * callback runs. Images that already were as asked are not listed; an
   * edit that changed nothing emits nothing.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRV);

  /**
   * EaselLibrary::added:
   * @self: the library
   * @hashes: the hashes of the new images
   *
   * Emitted by easel_library_images_added(), when the job queue has saved
   * new images.
   */
  signals[ADDED] =
    g_signal_new ("added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRV);
}

static void
easel_library_init (EaselLibrary *self)
{
  self->text_count = g_atomic_rc_box_new0 (TextCount);
}

/**
 * easel_library_new:
 * @store: the database, opened or about to be
 * @images: the image store, for the images' paths
 *
 * Returns: (transfer full): a new #EaselLibrary
 */
EaselLibrary *
easel_library_new (EaselStore      *store,
                   EaselImageStore *images)
{
  g_return_val_if_fail (EASEL_IS_STORE (store), NULL);
  g_return_val_if_fail (EASEL_IS_IMAGE_STORE (images), NULL);

  return g_object_new (EASEL_TYPE_LIBRARY, "store", store, "image-store", images, NULL);
}

/**
 * easel_library_get_store:
 * @self: a library
 *
 * Returns: (transfer none): the database
 */
EaselStore *
easel_library_get_store (EaselLibrary *self)
{
  g_return_val_if_fail (EASEL_IS_LIBRARY (self), NULL);

  return self->store;
}

/**
 * easel_library_get_image_store:
 * @self: a library
 *
 * Returns: (transfer none): the image store
 */
EaselImageStore *
easel_library_get_image_store (EaselLibrary *self)
{
  g_return_val_if_fail (EASEL_IS_LIBRARY (self), NULL);

  return self->images;
}

/**
 * easel_library_count_async:
 * @self: a library
 * @query: the query; later changes to it do not affect this call
 * @cancellable: (nullable): a #GCancellable; cancelling interrupts the
 *   count even once it has started
 * @callback: called with the count
 * @user_data: data for @callback
 *
 * Counts the images that match @query.
 */
void
easel_library_count_async (EaselLibrary        *self,
                           EaselQuery          *query,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_LIBRARY (self));
  g_return_if_fail (EASEL_IS_QUERY (query));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_async (self, count_func, request_new (self, query, cancellable), (GDestroyNotify) request_free,
             FALSE, cancellable, callback, user_data, easel_library_count_async);
}

/**
 * easel_library_count_finish:
 * @self: a library
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: the number of matching images, or 0 with @error set
 */
guint
easel_library_count_finish (EaselLibrary  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(Reply) reply = finish (self, result, easel_library_count_async, error);

  return reply != NULL ? (guint) CLAMP (reply->number, 0, G_MAXUINT) : 0;
}

/**
 * easel_library_count_sync:
 * @self: a library
 * @query: the query
 * @error: return location for a #GError
 *
 * Like easel_library_count_async(), blocking: for the command line and
 * tests, never for the main loop of the window.
 *
 * Returns: the number of matching images, or 0 with @error set
 */
guint
easel_library_count_sync (EaselLibrary  *self,
                          EaselQuery    *query,
                          GError       **error)
{
  g_autoptr(Request) request = NULL;
  g_autoptr(Reply) reply = NULL;

  g_return_val_if_fail (EASEL_IS_LIBRARY (self), 0);
  g_return_val_if_fail (EASEL_IS_QUERY (query), 0);

  request = request_new (self, query, NULL);
  reply = easel_store_run_sync (self->store, count_func, request, error);
  return reply != NULL ? (guint) CLAMP (reply->number, 0, G_MAXUINT) : 0;
}

/**
 * easel_library_fetch_async:
 * @self: a library
 * @query: the query; later changes to it do not affect this call
 * @offset: the position of the first image wanted in the results
 * @limit: how many images at most
 * @cancellable: (nullable): a #GCancellable; cancelling interrupts the
 *   fetch even once it has started
 * @callback: called with the images
 * @user_data: data for @callback
 *
 * Reads a page of the images that match @query, in its order. New objects
 * are made each time: a model that keeps its objects refreshes them with
 * easel_image_update_from().
 */
void
easel_library_fetch_async (EaselLibrary        *self,
                           EaselQuery          *query,
                           guint                offset,
                           guint                limit,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  Request *request;

  g_return_if_fail (EASEL_IS_LIBRARY (self));
  g_return_if_fail (EASEL_IS_QUERY (query));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  request = request_new (self, query, cancellable);
  request->offset = offset;
  request->limit = limit;
  run_async (self, fetch_func, request, (GDestroyNotify) request_free,
             FALSE, cancellable, callback, user_data, easel_library_fetch_async);
}

/**
 * easel_library_fetch_finish:
 * @self: a library
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type EaselImage): the images, in
 *   the query's order (fewer than asked at the end of the results), or
 *   %NULL with @error set
 */
GPtrArray *
easel_library_fetch_finish (EaselLibrary  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(Reply) reply = finish (self, result, easel_library_fetch_async, error);

  return reply != NULL ? g_steal_pointer (&reply->images) : NULL;
}

/**
 * easel_library_fetch_sync:
 * @self: a library
 * @query: the query
 * @offset: the position of the first image wanted
 * @limit: how many images at most
 * @error: return location for a #GError
 *
 * Like easel_library_fetch_async(), blocking: for the command line and
 * tests, never for the main loop of the window.
 *
 * Returns: (transfer container) (element-type EaselImage): the images, or
 *   %NULL with @error set
 */
GPtrArray *
easel_library_fetch_sync (EaselLibrary  *self,
                          EaselQuery    *query,
                          guint          offset,
                          guint          limit,
                          GError       **error)
{
  g_autoptr(Request) request = NULL;
  g_autoptr(Reply) reply = NULL;

  g_return_val_if_fail (EASEL_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (EASEL_IS_QUERY (query), NULL);

  request = request_new (self, query, NULL);
  request->offset = offset;
  request->limit = limit;
  reply = easel_store_run_sync (self->store, fetch_func, request, error);
  return reply != NULL ? g_steal_pointer (&reply->images) : NULL;
}

/**
 * easel_library_lookup_async:
 * @self: a library
 * @hash: an image's hash
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the image
 * @user_data: data for @callback
 *
 * Reads one image, in the trash or not.
 */
void
easel_library_lookup_async (EaselLibrary        *self,
                            const char          *hash,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Request *request;

  g_return_if_fail (EASEL_IS_LIBRARY (self));
  g_return_if_fail (hash != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  request = request_new (self, NULL, cancellable);
  request->hash = g_strdup (hash);
  run_async (self, lookup_func, request, (GDestroyNotify) request_free,
             FALSE, cancellable, callback, user_data, easel_library_lookup_async);
}

/**
 * easel_library_lookup_finish:
 * @self: a library
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the image, or %NULL with @error set
 *   (%EASEL_STORE_ERROR_NOT_FOUND if there is no such image)
 */
EaselImage *
easel_library_lookup_finish (EaselLibrary  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_autoptr(Reply) reply = finish (self, result, easel_library_lookup_async, error);

  return reply != NULL ? g_object_ref (g_ptr_array_index (reply->images, 0)) : NULL;
}

/**
 * easel_library_position_async:
 * @self: a library
 * @query: the query; later changes to it do not affect this call
 * @hash: an image's hash
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the position
 * @user_data: data for @callback
 *
 * Finds where an image is in the results of @query, so that a model can
 * insert a new image, or move a changed one, at the right place.
 */
void
easel_library_position_async (EaselLibrary        *self,
                              EaselQuery          *query,
                              const char          *hash,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Request *request;

  g_return_if_fail (EASEL_IS_LIBRARY (self));
  g_return_if_fail (EASEL_IS_QUERY (query));
  g_return_if_fail (hash != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  request = request_new (self, query, cancellable);
  request->hash = g_strdup (hash);
  run_async (self, position_func, request, (GDestroyNotify) request_free,
             FALSE, cancellable, callback, user_data, easel_library_position_async);
}

/**
 * easel_library_position_finish:
 * @self: a library
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: the index of the image in the results, -1 if it does not match
 *   the query (or does not exist), or -1 with @error set
 */
int
easel_library_position_finish (EaselLibrary  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_autoptr(Reply) reply = finish (self, result, easel_library_position_async, error);

  return reply != NULL ? (int) CLAMP (reply->number, -1, G_MAXINT) : -1;
}

static void
edit_async (EaselLibrary        *self,
            EditKind             kind,
            const char * const  *hashes,
            int                  value,
            char                *tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  Edit *edit = g_new0 (Edit, 1);

  edit->kind = kind;
  edit->hashes = g_strdupv ((char **) hashes);
  edit->value = value;
  edit->tag = tag;
  run_async (self, edit_func, edit, (GDestroyNotify) edit_free, TRUE,
             cancellable, callback, user_data, source_tag);
}

static gboolean
edit_finish (EaselLibrary  *self,
             GAsyncResult  *result,
             gpointer       source_tag,
             GError       **error)
{
  g_autoptr(Reply) reply = finish (self, result, source_tag, error);

  return reply != NULL;
}

/**
 * easel_library_set_rating_async:
 * @self: a library
 * @hashes: the images' hashes; unknown ones are skipped
 * @rating: from 0 (no rating) to 5
 * @cancellable: (nullable): a #GCancellable; it only prevents an edit that
 *   has not started
 * @callback: called when the edit is saved
 * @user_data: data for @callback
 *
 * Rates images, in one transaction, then emits #EaselLibrary::changed.
 */
void
easel_library_set_rating_async (EaselLibrary        *self,
                                const char * const  *hashes,
                                int                  rating,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_LIBRARY (self));
  g_return_if_fail (hashes != NULL);
  g_return_if_fail (rating >= 0 && rating <= 5);

  edit_async (self, EDIT_RATING, hashes, rating, NULL,
              cancellable, callback, user_data, easel_library_set_rating_async);
}

/**
 * easel_library_set_rating_finish:
 * @self: a library
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the edit was saved
 */
gboolean
easel_library_set_rating_finish (EaselLibrary  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return edit_finish (self, result, easel_library_set_rating_async, error);
}

/**
 * easel_library_set_favourite_async:
 * @self: a library
 * @hashes: the images' hashes; unknown ones are skipped
 * @favourite: whether they are favourites
 * @cancellable: (nullable): a #GCancellable; it only prevents an edit that
 *   has not started
 * @callback: called when the edit is saved
 * @user_data: data for @callback
 *
 * Marks images as favourites or not, in one transaction, then emits
 * #EaselLibrary::changed.
 */
void
easel_library_set_favourite_async (EaselLibrary        *self,
                                   const char * const  *hashes,
                                   gboolean             favourite,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_LIBRARY (self));
  g_return_if_fail (hashes != NULL);

  edit_async (self, EDIT_FAVOURITE, hashes, !!favourite, NULL,
              cancellable, callback, user_data, easel_library_set_favourite_async);
}

/**
 * easel_library_set_favourite_finish:
 * @self: a library
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the edit was saved
 */
gboolean
easel_library_set_favourite_finish (EaselLibrary  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return edit_finish (self, result, easel_library_set_favourite_async, error);
}

/**
 * easel_library_set_trashed_async:
 * @self: a library
 * @hashes: the images' hashes; unknown ones are skipped
 * @trashed: %TRUE to move them to the trash, %FALSE to restore them (the
 *   undo of moving them)
 * @cancellable: (nullable): a #GCancellable; it only prevents an edit that
 *   has not started
 * @callback: called when the edit is saved
 * @user_data: data for @callback
 *
 * Moves images to the trash or out of it, in one transaction, then emits
 * #EaselLibrary::changed. Files are not touched.
 */
void
easel_library_set_trashed_async (EaselLibrary        *self,
                                 const char * const  *hashes,
                                 gboolean             trashed,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_LIBRARY (self));
  g_return_if_fail (hashes != NULL);

  edit_async (self, EDIT_TRASHED, hashes, !!trashed, NULL,
              cancellable, callback, user_data, easel_library_set_trashed_async);
}

/**
 * easel_library_set_trashed_finish:
 * @self: a library
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the edit was saved
 */
gboolean
easel_library_set_trashed_finish (EaselLibrary  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return edit_finish (self, result, easel_library_set_trashed_async, error);
}

static void
tag_edit_async (EaselLibrary        *self,
                EditKind             kind,
                const char * const  *hashes,
                const char          *tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  g_autoptr(GError) error = NULL;
  char *normal = easel_query_normalize_tag (tag, &error);

  if (normal == NULL)
    {
      g_task_report_error (self, callback, user_data, source_tag, g_steal_pointer (&error));
      return;
    }
  edit_async (self, kind, hashes, 0, normal, cancellable, callback, user_data, source_tag);
}

/**
 * easel_library_add_tag_async:
 * @self: a library
 * @hashes: the images' hashes; unknown ones are skipped
 * @tag: the tag (see easel_query_normalize_tag())
 * @cancellable: (nullable): a #GCancellable; it only prevents an edit that
 *   has not started
 * @callback: called when the edit is saved
 * @user_data: data for @callback
 *
 * Tags images, in one transaction, then emits #EaselLibrary::changed. A
 * tag that differs from an existing one only in ASCII case is that tag.
 */
void
easel_library_add_tag_async (EaselLibrary        *self,
                             const char * const  *hashes,
                             const char          *tag,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_LIBRARY (self));
  g_return_if_fail (hashes != NULL);
  g_return_if_fail (tag != NULL);

  tag_edit_async (self, EDIT_ADD_TAG, hashes, tag, cancellable, callback, user_data,
                  easel_library_add_tag_async);
}

/**
 * easel_library_add_tag_finish:
 * @self: a library
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the edit was saved; %FALSE with
 *   %EASEL_QUERY_ERROR_INVALID for a tag that cannot be one
 */
gboolean
easel_library_add_tag_finish (EaselLibrary  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return edit_finish (self, result, easel_library_add_tag_async, error);
}

/**
 * easel_library_remove_tag_async:
 * @self: a library
 * @hashes: the images' hashes; unknown ones are skipped
 * @tag: the tag
 * @cancellable: (nullable): a #GCancellable; it only prevents an edit that
 *   has not started
 * @callback: called when the edit is saved
 * @user_data: data for @callback
 *
 * Removes a tag from images, in one transaction, then emits
 * #EaselLibrary::changed. A tag left on no image is forgotten.
 */
void
easel_library_remove_tag_async (EaselLibrary        *self,
                                const char * const  *hashes,
                                const char          *tag,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_LIBRARY (self));
  g_return_if_fail (hashes != NULL);
  g_return_if_fail (tag != NULL);

  tag_edit_async (self, EDIT_REMOVE_TAG, hashes, tag, cancellable, callback, user_data,
                  easel_library_remove_tag_async);
}

/**
 * easel_library_remove_tag_finish:
 * @self: a library
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the edit was saved
 */
gboolean
easel_library_remove_tag_finish (EaselLibrary  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return edit_finish (self, result, easel_library_remove_tag_async, error);
}

/**
 * easel_library_list_tags_async:
 * @self: a library
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the tags
 * @user_data: data for @callback
 *
 * Reads every tag in use, for completion.
 */
void
easel_library_list_tags_async (EaselLibrary        *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_LIBRARY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_async (self, list_tags_func, NULL, NULL, FALSE, cancellable, callback, user_data,
             easel_library_list_tags_async);
}

/**
 * easel_library_list_tags_finish:
 * @self: a library
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the tags, sorted without regard to case, or
 *   %NULL with @error set
 */
GStrv
easel_library_list_tags_finish (EaselLibrary  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_autoptr(Reply) reply = finish (self, result, easel_library_list_tags_async, error);

  return reply != NULL ? g_steal_pointer (&reply->strv) : NULL;
}

/**
 * easel_library_force_plan:
 * @self: a library
 * @plan: the plan for every text search, or %EASEL_LIBRARY_PLAN_AUTO
 *
 * For tests and benchmarks only.
 */
void
easel_library_force_plan (EaselLibrary     *self,
                          EaselLibraryPlan  plan)
{
  g_return_if_fail (EASEL_IS_LIBRARY (self));

  self->plan = plan;
}

/**
 * easel_library_images_added:
 * @self: a library
 * @hashes: the hashes of the images just saved
 *
 * Tells the library's users that images were added (the application
 * calls this when the job queue has saved images): emits
 * #EaselLibrary::added.
 */
void
easel_library_images_added (EaselLibrary       *self,
                            const char * const *hashes)
{
  g_return_if_fail (EASEL_IS_LIBRARY (self));
  g_return_if_fail (hashes != NULL);

  if (hashes[0] == NULL)
    return;
  g_signal_emit (self, signals[ADDED], 0, hashes);
}
