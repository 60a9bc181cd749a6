/* test-library.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* EaselLibrary against real databases in temporary folders: migration 2
 * on a version-1 library, the full-text index kept in sync by triggers
 * through every kind of change, real queries over a few hundred generated
 * images checked against a reference computed here in C (with both query
 * plans forced and chosen), sort orders, paging, positions, edits and the
 * signals they emit, odd text, and `easel search` end to end.
 *
 * The reference tokenizer mimics FTS5's unicode61 with remove_diacritics 2
 * for the generator's vocabulary: runs of letters and digits, combining
 * marks dropped, lowercased. */

#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "easel-library.h"
#include "easel-library-private.h"
#include "easel-test-async.h"
#include "easel-test-dirs.h"
#include "easel-test-library.h"

#define N_IMAGES 400
#define SEED 7


/* Test messages go into TAP output, which must stay valid UTF-8 text. */
static void
message_text (const char *text)
{
  g_autofree char *escaped = g_strescape (text, NULL);

  g_test_message ("“%s”", escaped);
}

/* Waiting */

/* The fixture: a store, an image store and a library in a new folder */

typedef struct
{
  char            *dir;
  char            *db_path;
  EaselStore      *store;
  EaselImageStore *images;
  EaselLibrary    *library;
  GPtrArray       *rows;      /* EaselTestImage: the reference */
} Fixture;

static gpointer
exec_func (EaselDb   *db,
           gpointer   data,
           GError   **error)
{
  return easel_db_exec (db, data, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
int_func (EaselDb   *db,
          gpointer   data,
          GError   **error)
{
  sqlite3_stmt *stmt = easel_db_prepare (db, data, error);
  gint64 *value;
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = easel_db_step (db, stmt, error);
  if (rc < 0)
    return NULL;
  value = g_new0 (gint64, 1);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int64 (stmt, 0);
  return value;
}

static void
store_exec (EaselStore *store,
            const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (easel_store_run_sync (store, exec_func, (gpointer) sql, &error));
  g_assert_no_error (error);
}

static gint64
store_int (EaselStore *store,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *value = easel_store_run_sync (store, int_func, (gpointer) sql, &error);

  g_assert_no_error (error);
  return *value;
}

/* Local midnight of 2025-01-01, where the generated year starts. */
static gint64
year_start (void)
{
  g_autoptr(GDateTime) start = g_date_time_new_local (2025, 1, 1, 0, 0, 0);

  return g_date_time_to_unix (start) * G_USEC_PER_SEC;
}

static void
fixture_populate (Fixture *f,
                  guint    n)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&f->rows, g_ptr_array_unref);
  f->rows = easel_test_images_generate (n, SEED, year_start (), G_GINT64_CONSTANT (365) * 24 * 3600 * G_USEC_PER_SEC);
  g_assert_nonnull (easel_store_run_sync (f->store, easel_test_images_insert_func, f->rows, &error));
  g_assert_no_error (error);
  store_exec (f->store,
              "INSERT INTO templates (id, name, current_version, created_at, updated_at) "
              "VALUES (1, 'Fox Study', 1, 1, 1);"
              "INSERT INTO templates (id, name, current_version, created_at, updated_at, deleted_at) "
              "VALUES (2, 'Castles', 2, 1, 1, 5);"
              "UPDATE jobs SET template_id = 1, template_version = 1 WHERE id % 3 = 0;"
              "UPDATE jobs SET template_id = 2, template_version = 2 WHERE id % 3 = 1;"
              "INSERT INTO job_bindings SELECT id, 'subject', CASE WHEN id % 2 = 1 THEN 'red fox' "
              "ELSE 'wolf' END FROM jobs WHERE id % 3 = 0;"
              "INSERT INTO job_bindings SELECT id, 'style', 'ink' FROM jobs WHERE id % 3 = 0;"
              "INSERT INTO job_bindings SELECT id, 'subject', 'castle' FROM jobs WHERE id % 3 = 1;");
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;

  f->dir = g_dir_make_tmp ("easel-library-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "easel.db", NULL);
  root = g_build_filename (f->dir, "images", NULL);
  f->store = easel_store_new (f->db_path);
  g_assert_true (easel_store_open_sync (f->store, &error));
  g_assert_no_error (error);
  f->images = easel_image_store_new (root);
  f->library = easel_library_new (f->store, f->images);
}

static void
fixture_setup_populated (Fixture       *f,
                         gconstpointer  data)
{
  fixture_setup (f, data);
  fixture_populate (f, N_IMAGES);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&f->library));
  easel_store_close (f->store);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  g_assert_finalize_object (g_steal_pointer (&f->images));
  g_clear_pointer (&f->rows, g_ptr_array_unref);
  easel_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
}

/* The library's calls, waited for */

static EaselQuery *
parse (const char *text,
       EaselSort   sort,
       gboolean    trashed)
{
  g_autoptr(GError) error = NULL;
  EaselQuery *query = easel_query_parse (text, &error);

  g_assert_no_error (error);
  easel_query_set_sort (query, sort);
  easel_query_set_show_trashed (query, trashed);
  return query;
}

static guint
count (Fixture    *f,
       EaselQuery *query)
{
  g_autoptr(GError) error = NULL;
  EaselTestWait wait = { 0 };
  guint n;

  easel_library_count_async (f->library, query, NULL, easel_test_wait_cb, &wait);
  n = easel_library_count_finish (f->library, easel_test_wait_done (&wait), &error);
  g_assert_no_error (error);
  easel_test_wait_clear (&wait);
  return n;
}

static GPtrArray *
fetch (Fixture    *f,
       EaselQuery *query,
       guint       offset,
       guint       limit)
{
  g_autoptr(GError) error = NULL;
  EaselTestWait wait = { 0 };
  GPtrArray *images;

  easel_library_fetch_async (f->library, query, offset, limit, NULL, easel_test_wait_cb, &wait);
  images = easel_library_fetch_finish (f->library, easel_test_wait_done (&wait), &error);
  g_assert_no_error (error);
  g_assert_nonnull (images);
  easel_test_wait_clear (&wait);
  return images;
}

static int
position (Fixture    *f,
          EaselQuery *query,
          const char *hash)
{
  g_autoptr(GError) error = NULL;
  EaselTestWait wait = { 0 };
  int n;

  easel_library_position_async (f->library, query, hash, NULL, easel_test_wait_cb, &wait);
  n = easel_library_position_finish (f->library, easel_test_wait_done (&wait), &error);
  g_assert_no_error (error);
  easel_test_wait_clear (&wait);
  return n;
}

/* Every hash of the results, fetched in pages of @page. */
static GPtrArray *
fetch_all (Fixture    *f,
           EaselQuery *query,
           guint       page)
{
  GPtrArray *hashes = g_ptr_array_new_with_free_func (g_free);

  for (guint offset = 0;; offset += page)
    {
      g_autoptr(GPtrArray) images = fetch (f, query, offset, page);

      for (guint i = 0; i < images->len; i++)
        g_ptr_array_add (hashes, g_strdup (easel_image_get_hash (g_ptr_array_index (images, i))));
      g_assert_cmpuint (images->len, <=, page);
      if (images->len < page)
        break;
    }
  return hashes;
}

/* The reference */

static char *
fold_token (const char *token)
{
  g_autofree char *decomposed = g_utf8_normalize (token, -1, G_NORMALIZE_NFD);
  g_autoptr(GString) bare = g_string_new (NULL);

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) != G_UNICODE_NON_SPACING_MARK)
        g_string_append_unichar (bare, c);
    }
  return g_utf8_strdown (bare->str, -1);
}

static gboolean
is_token_char (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_NON_SPACING_MARK:
      return TRUE;
    default:
      return FALSE;
    }
}

static GPtrArray *
tokenize (const char *text)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) token = g_string_new (NULL);

  for (const char *p = text != NULL ? text : ""; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (*p != '\0' && is_token_char (c))
        {
          g_string_append_unichar (token, c);
          continue;
        }
      if (token->len > 0)
        {
          g_ptr_array_add (tokens, fold_token (token->str));
          g_string_truncate (token, 0);
        }
      if (*p == '\0')
        break;
    }
  return tokens;
}

/* Whether @phrase (its last token a prefix if @prefix) occurs in @text. */
static gboolean
phrase_in (const char *phrase,
           gboolean    prefix,
           const char *text)
{
  g_autoptr(GPtrArray) want = tokenize (phrase);
  g_autoptr(GPtrArray) have = tokenize (text);

  g_assert_cmpuint (want->len, >, 0);
  for (guint start = 0; start + want->len <= have->len; start++)
    {
      gboolean all = TRUE;

      for (guint k = 0; k < want->len && all; k++)
        {
          const char *w = g_ptr_array_index (want, k);
          const char *h = g_ptr_array_index (have, start + k);

          if (prefix && k == want->len - 1)
            all = g_str_has_prefix (h, w);
          else
            all = g_str_equal (h, w);
        }
      if (all)
        return TRUE;
    }
  return FALSE;
}

typedef enum
{
  AR_NONE,
  AR_RATIO,
  AR_PORTRAIT,
  AR_LANDSCAPE,
} ArKind;

typedef struct
{
  const char *text;
  const char *terms[4];      /* phrases; a trailing '*' makes the last token a prefix */
  const char *provider;
  const char *model;
  const char *tags[3];
  int         rating_min;    /* 0 for none */
  int         rating_max;    /* 5 for none */
  int         fav;           /* -1: either */
  const char *after;
  const char *before;
  ArKind      ar;
  double      ratio;
  gint64      job;
  int         template_id;   /* 0: any; -1: a name no template has */
  const char *var_name;
  const char *var_value;
} RefQuery;

/* The templates of fixture_populate(): the jobs whose id is a multiple of 3
 * come from "Fox Study" (subject red fox or wolf, style ink), those one
 * above from the deleted "Castles" (subject castle), the rest from none. */
static int
ref_template (gint64 job)
{
  if (job <= 0 || job % 3 == 2)
    return 0;
  return job % 3 == 0 ? 1 : 2;
}

static const char *
ref_binding (gint64      job,
             const char *name)
{
  switch (ref_template (job))
    {
    case 1:
      if (g_str_equal (name, "subject"))
        return job % 2 == 1 ? "red fox" : "wolf";
      return g_str_equal (name, "style") ? "ink" : NULL;
    case 2:
      return g_str_equal (name, "subject") ? "castle" : NULL;
    default:
      return NULL;
    }
}

static gint64
day_start (const char *day)
{
  int y, m, d;
  g_autoptr(GDateTime) time = NULL;

  g_assert_cmpint (sscanf (day, "%d-%d-%d", &y, &m, &d), ==, 3);
  time = g_date_time_new_local (y, m, d, 0, 0, 0);
  return g_date_time_to_unix (time) * G_USEC_PER_SEC;
}

static gboolean
has_tag (EaselTestImage *image,
         const char     *tag)
{
  for (guint i = 0; image->tags[i] != NULL; i++)
    if (g_ascii_strcasecmp (image->tags[i], tag) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
ref_matches (const RefQuery *q,
             EaselTestImage *image,
             gboolean        trashed)
{
  double ratio = (double) image->width / image->height;
  g_autofree char *tags = g_strjoinv (" ", image->tags);

  if ((image->trashed_at != 0) != trashed)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (q->terms) && q->terms[i] != NULL; i++)
    {
      g_autofree char *phrase = g_strdup (q->terms[i]);
      gboolean prefix = g_str_has_suffix (phrase, "*");

      if (prefix)
        phrase[strlen (phrase) - 1] = '\0';
      if (!phrase_in (phrase, prefix, image->prompt) && !phrase_in (phrase, prefix, image->model) &&
          !phrase_in (phrase, prefix, tags))
        return FALSE;
    }

  if (q->provider != NULL && g_strcmp0 (image->provider, q->provider) != 0)
    return FALSE;
  if (q->model != NULL)
    {
      g_autofree char *suffix = g_strconcat ("/", q->model, NULL);

      if (image->model == NULL ||
          (g_ascii_strcasecmp (image->model, q->model) != 0 && !g_str_has_suffix (image->model, suffix)))
        return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (q->tags) && q->tags[i] != NULL; i++)
    if (!has_tag (image, q->tags[i]))
      return FALSE;
  if (image->rating < q->rating_min || image->rating > q->rating_max)
    return FALSE;
  if (q->fav >= 0 && image->favourite != q->fav)
    return FALSE;
  if (q->after != NULL && image->created_at < day_start (q->after))
    return FALSE;
  if (q->before != NULL && image->created_at >= day_start (q->before))
    return FALSE;
  if (q->ar == AR_RATIO && fabs (ratio - q->ratio) > q->ratio * 0.03)
    return FALSE;
  if (q->ar == AR_PORTRAIT && !(ratio < 0.97))
    return FALSE;
  if (q->ar == AR_LANDSCAPE && !(ratio > 1.03))
    return FALSE;
  if (q->job != 0 && image->job_id != q->job)
    return FALSE;
  if (q->template_id != 0 && ref_template (image->job_id) != q->template_id)
    return FALSE;
  if (q->var_name != NULL && g_strcmp0 (ref_binding (image->job_id, q->var_name), q->var_value) != 0)
    return FALSE;
  return TRUE;
}

static int
compare_sort (EaselTestImage *a,
              EaselTestImage *b,
              EaselSort       sort)
{
  if (sort == EASEL_SORT_RATING && a->rating != b->rating)
    return a->rating > b->rating ? -1 : 1;
  if (a->created_at != b->created_at)
    return (a->created_at > b->created_at ? -1 : 1) * (sort == EASEL_SORT_OLDEST ? -1 : 1);
  return (a->rowid > b->rowid ? -1 : 1) * (sort == EASEL_SORT_OLDEST ? -1 : 1);
}

static int
compare_newest (gconstpointer a,
                gconstpointer b)
{
  return compare_sort (*(EaselTestImage **) a, *(EaselTestImage **) b, EASEL_SORT_NEWEST);
}

static int
compare_oldest (gconstpointer a,
                gconstpointer b)
{
  return compare_sort (*(EaselTestImage **) a, *(EaselTestImage **) b, EASEL_SORT_OLDEST);
}

static int
compare_rating (gconstpointer a,
                gconstpointer b)
{
  return compare_sort (*(EaselTestImage **) a, *(EaselTestImage **) b, EASEL_SORT_RATING);
}

/* The hashes @q should give, in order. */
static GPtrArray *
ref_results (GPtrArray      *rows,
             const RefQuery *q,
             EaselSort       sort,
             gboolean        trashed)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  GPtrArray *hashes = g_ptr_array_new_with_free_func (g_free);
  GCompareFunc compare[] = { compare_newest, compare_oldest, compare_rating };

  for (guint i = 0; i < rows->len; i++)
    if (ref_matches (q, g_ptr_array_index (rows, i), trashed))
      g_ptr_array_add (matches, g_ptr_array_index (rows, i));
  g_ptr_array_sort (matches, compare[sort]);
  for (guint i = 0; i < matches->len; i++)
    g_ptr_array_add (hashes, g_strdup (((EaselTestImage *) g_ptr_array_index (matches, i))->hash));
  return hashes;
}

#define ANY .rating_max = 5, .fav = -1

static const RefQuery ref_queries[] = {
  { "", { NULL }, ANY },
  { "🦊 !!!", { NULL }, ANY },
  { "fox", { "fox*" }, ANY },
  { "f", { "f*" }, ANY },
  { "l", { "l*" }, ANY },
  { "li", { "li*" }, ANY },
  { "lighthouse", { "lighthouse*" }, ANY },
  { "red fox", { "red*", "fox*" }, ANY },
  { "\"at sunset\"", { "at sunset" }, ANY },
  { "\"golden ho", { "golden ho*" }, ANY },
  { "sci-fi", { "sci fi*" }, ANY },
  { "cafe", { "cafe*" }, ANY },
  { "CAFÉ", { "cafe*" }, ANY },
  { "creme", { "creme*" }, ANY },
  { "BRÛLÉE", { "brulee*" }, ANY },
  { "Crème a", { "creme*", "a*" }, ANY },
  { "東京", { "東京*" }, ANY },
  { "שלום", { "שלום*" }, ANY },
  { "flux", { "flux*" }, ANY },
  { "lora", { "lora*" }, ANY },
  { "provider:replicate", { NULL }, .provider = "replicate", ANY },
  { "provider:midjourney fox", { "fox*" }, .provider = "midjourney", ANY },
  { "model:flux-schnell", { NULL }, .model = "flux-schnell", ANY },
  { "model:black-forest-labs/flux-dev", { NULL }, .model = "black-forest-labs/flux-dev", ANY },
  { "model:MIDJOURNEY", { NULL }, .model = "midjourney", ANY },
  { "model:flux", { NULL }, .model = "flux", ANY },
  { "tag:wip", { NULL }, .tags = { "wip" }, ANY },
  { "tag:WIP tag:sketch", { NULL }, .tags = { "wip", "sketch" }, ANY },
  { "tag:\"client a\" tag:FINAL", { NULL }, .tags = { "client a", "final" }, ANY },
  { "tag:\"favourites  2025\" a", { "a*" }, .tags = { "Favourites 2025" }, ANY },
  { "rating:>=4", { NULL }, .rating_min = 4, .rating_max = 5, .fav = -1 },
  { "rating:0", { NULL }, .rating_min = 0, .rating_max = 0, .fav = -1 },
  { "rating:<=2 fav:yes", { NULL }, .rating_min = 0, .rating_max = 2, .fav = 1 },
  { "rating:>3 rating:<5", { NULL }, .rating_min = 4, .rating_max = 4, .fav = -1 },
  { "fav:yes", { NULL }, .rating_max = 5, .fav = 1 },
  { "fav:no castle", { "castle*" }, .rating_max = 5, .fav = 0 },
  { "after:2025-03-01 before:2025-06-15", { NULL }, .after = "2025-03-01", .before = "2025-06-15", ANY },
  { "after:2025-11-01 l", { "l*" }, .after = "2025-11-01", ANY },
  { "ar:16:9", { NULL }, .ar = AR_RATIO, .ratio = 16.0 / 9, ANY },
  { "ar:2:3 fox", { "fox*" }, .ar = AR_RATIO, .ratio = 2.0 / 3, ANY },
  { "ar:square", { NULL }, .ar = AR_RATIO, .ratio = 1.0, ANY },
  { "ar:portrait", { NULL }, .ar = AR_PORTRAIT, ANY },
  { "ar:landscape rating:>=1", { NULL }, .ar = AR_LANDSCAPE, .rating_min = 1, .rating_max = 5, .fav = -1 },
  { "job:7", { NULL }, .job = 7, ANY },
  { "l tag:wip", { "l*" }, .tags = { "wip" }, ANY },
  { "fox rating:>=3 provider:replicate", { "fox*" }, .provider = "replicate", .rating_min = 3,
    .rating_max = 5, .fav = -1 },
  { "a provider:replicate", { "a*" }, .provider = "replicate", ANY },
  { "zzzz", { "zzzz*" }, ANY },
  { "zzzz provider:replicate", { "zzzz*" }, .provider = "replicate", ANY },
  { "template:\"fox study\"", { NULL }, .template_id = 1, ANY },
  { "template:CASTLES fox", { "fox*" }, .template_id = 2, ANY },
  { "template:Nothing", { NULL }, .template_id = -1, ANY },
  { "var:subject=\"red fox\"", { NULL }, .var_name = "subject", .var_value = "red fox", ANY },
  { "var:subject=Wolf", { NULL }, .var_name = "subject", .var_value = "Wolf", ANY },
  { "l var:subject=wolf", { "l*" }, .var_name = "subject", .var_value = "wolf", ANY },
  { "var:subject=castle rating:>=1", { NULL }, .var_name = "subject", .var_value = "castle",
    .rating_min = 1, .rating_max = 5, .fav = -1 },
  { "var:style=ink template:\"Fox Study\"", { NULL }, .template_id = 1, .var_name = "style",
    .var_value = "ink", ANY },
};

static void
assert_same_hashes (GPtrArray *got,
                    GPtrArray *expected)
{
  g_assert_cmpuint (got->len, ==, expected->len);
  for (guint i = 0; i < got->len; i++)
    g_assert_cmpstr (g_ptr_array_index (got, i), ==, g_ptr_array_index (expected, i));
}

static void
test_library_queries (Fixture       *f,
                      gconstpointer  data)
{
  static const EaselLibraryPlan plans[] = {
    EASEL_LIBRARY_PLAN_AUTO, EASEL_LIBRARY_PLAN_JOIN, EASEL_LIBRARY_PLAN_SET,
  };
  guint nonempty = 0;

  for (guint p = 0; p < G_N_ELEMENTS (plans); p++)
    {
      easel_library_force_plan (f->library, plans[p]);
      for (guint i = 0; i < G_N_ELEMENTS (ref_queries); i++)
        for (EaselSort sort = EASEL_SORT_NEWEST; sort <= EASEL_SORT_RATING; sort++)
          for (int trashed = 0; trashed <= 1; trashed++)
            {
              g_autoptr(EaselQuery) query = parse (ref_queries[i].text, sort, trashed);
              g_autoptr(GPtrArray) expected = ref_results (f->rows, &ref_queries[i], sort, trashed);
              g_autoptr(GPtrArray) got = NULL;

              g_test_message ("plan %u, “%s”, sort %d, trash %d: %u images", p, ref_queries[i].text,
                              sort, trashed, expected->len);
              g_assert_cmpuint (count (f, query), ==, expected->len);
              got = fetch_all (f, query, 37);
              assert_same_hashes (got, expected);
              if (expected->len > 0)
                nonempty++;
            }
    }

  /* The queries are not all trivially empty. */
  g_assert_cmpuint (nonempty, >, G_N_ELEMENTS (ref_queries) * 3 * 3);
}

/* Pages of any size put together are the whole; beyond the end is empty. */
static void
test_library_paging (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const texts[] = { "", "l", "fox provider:replicate", "tag:wip" };
  static const guint pages[] = { 1, 7, 50, 100, 1000 };

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      g_autoptr(EaselQuery) query = parse (texts[t], EASEL_SORT_NEWEST, FALSE);
      g_autoptr(GPtrArray) whole = fetch_all (f, query, 100000);
      guint total = count (f, query);

      g_assert_cmpuint (whole->len, ==, total);
      for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
        {
          g_autoptr(GPtrArray) paged = fetch_all (f, query, pages[p]);

          assert_same_hashes (paged, whole);
        }

      /* A page that starts inside the results and ends past them. */
      if (total > 3)
        {
          g_autoptr(GPtrArray) tail = fetch (f, query, total - 3, 10);

          g_assert_cmpuint (tail->len, ==, 3);
          g_assert_cmpstr (easel_image_get_hash (g_ptr_array_index (tail, 0)), ==,
                           g_ptr_array_index (whole, total - 3));
        }
      {
        g_autoptr(GPtrArray) beyond = fetch (f, query, total, 10);
        g_autoptr(GPtrArray) none = fetch (f, query, 0, 0);

        g_assert_cmpuint (beyond->len, ==, 0);
        g_assert_cmpuint (none->len, ==, 0);
      }
    }
}

/* An image's position is its index in the results, and -1 outside them. */
static void
test_library_position (Fixture       *f,
                       gconstpointer  data)
{
  static const char * const texts[] = { "", "fox", "l", "tag:wip", "rating:>=2 l", "ar:portrait" };

  for (EaselLibraryPlan plan = EASEL_LIBRARY_PLAN_AUTO; plan <= EASEL_LIBRARY_PLAN_SET; plan++)
    for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
      for (EaselSort sort = EASEL_SORT_NEWEST; sort <= EASEL_SORT_RATING; sort++)
        for (int trashed = 0; trashed <= 1; trashed++)
          {
            g_autoptr(EaselQuery) query = parse (texts[t], sort, trashed);
            g_autoptr(GPtrArray) whole = NULL;
            g_autoptr(GHashTable) in_results = g_hash_table_new (g_str_hash, g_str_equal);
            guint checked_outside = 0;

            easel_library_force_plan (f->library, plan);
            whole = fetch_all (f, query, 100000);

            for (guint i = 0; i < whole->len; i += 1 + whole->len / 15)
              g_assert_cmpint (position (f, query, g_ptr_array_index (whole, i)), ==, i);
            if (whole->len > 0)
              g_assert_cmpint (position (f, query, g_ptr_array_index (whole, whole->len - 1)), ==,
                               whole->len - 1);

            for (guint i = 0; i < whole->len; i++)
              g_hash_table_add (in_results, g_ptr_array_index (whole, i));
            for (guint i = 0; i < f->rows->len && checked_outside < 5; i++)
              {
                EaselTestImage *row = g_ptr_array_index (f->rows, i);

                if (!g_hash_table_contains (in_results, row->hash))
                  {
                    g_assert_cmpint (position (f, query, row->hash), ==, -1);
                    checked_outside++;
                  }
              }
          }

  {
    g_autoptr(EaselQuery) query = parse ("", EASEL_SORT_NEWEST, FALSE);

    g_assert_cmpint (position (f, query, "0000000000000000000000000000000000000000000000000000000000000000"),
                     ==, -1);
  }
}

/* The full-text index */

/* Checks images_fts against images, image_tags and tags. */
static void
assert_fts_in_sync (Fixture *f)
{
  /* One entry per image, with the right sign, prompt and model. */
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM images_fts"), ==,
                   store_int (f->store, "SELECT count(*) FROM images"));
  g_assert_cmpint (store_int (f->store,
                              "SELECT count(*) FROM images i LEFT JOIN images_fts f ON f.rowid = "
                              "CASE WHEN i.trashed_at IS NULL THEN i.rowid ELSE -i.rowid END "
                              "WHERE f.rowid IS NULL OR f.prompt IS NOT i.prompt OR f.model IS NOT i.model"),
                   ==, 0);

  /* The tags: the same names, in any order (a NULL list is no tags). */
  g_assert_cmpint (store_int (f->store,
                              "SELECT count(*) FROM images i JOIN images_fts f ON f.rowid = "
                              "CASE WHEN i.trashed_at IS NULL THEN i.rowid ELSE -i.rowid END "
                              "WHERE coalesce (length (f.tags), 0) <> coalesce ((SELECT sum (length (t.name)) + "
                              "count(*) - 1 FROM image_tags it JOIN tags t ON t.id = it.tag_id "
                              "WHERE it.image_hash = i.hash), 0) OR EXISTS (SELECT 1 FROM image_tags it "
                              "JOIN tags t ON t.id = it.tag_id WHERE it.image_hash = i.hash AND "
                              "instr (' ' || f.tags || ' ', ' ' || t.name || ' ') = 0)"),
                   ==, 0);

  /* And the index agrees with the text it holds. */
  store_exec (f->store, "INSERT INTO images_fts (images_fts) VALUES ('integrity-check')");
}

static gint64
fts_rowid_of (Fixture    *f,
              const char *match)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce ((SELECT rowid FROM images_fts WHERE images_fts "
                                          "MATCH '%s'), 0)", match);

  return store_int (f->store, sql);
}

static void
run_edit (Fixture  *f,
          gboolean (*finish_func) (EaselLibrary *, GAsyncResult *, GError **),
          EaselTestWait *wait)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (finish_func (f->library, easel_test_wait_done (wait), &error));
  g_assert_no_error (error);
  easel_test_wait_clear (wait);
}

static void
test_library_fts_sync (Fixture       *f,
                       gconstpointer  data)
{
  EaselTestImage *a, *b, *c;
  const char *hashes[4] = { NULL };
  EaselTestWait wait = { 0 };

  fixture_populate (f, 60);
  assert_fts_in_sync (f);
  a = g_ptr_array_index (f->rows, 2);
  b = g_ptr_array_index (f->rows, 3);
  c = g_ptr_array_index (f->rows, 4);

  /* Prompts and models change */
  store_exec (f->store, "UPDATE images SET prompt = 'a narwhal in a teacup' WHERE rowid = 3");
  assert_fts_in_sync (f);
  g_assert_cmpint (fts_rowid_of (f, "narwhal"), ==, a->trashed_at ? -3 : 3);
  store_exec (f->store, "UPDATE images SET model = 'someone/quokka-xl' WHERE rowid = 3");
  assert_fts_in_sync (f);
  g_assert_cmpint (fts_rowid_of (f, "quokka"), ==, a->trashed_at ? -3 : 3);
  store_exec (f->store, "UPDATE images SET prompt = NULL, model = NULL WHERE rowid = 3");
  assert_fts_in_sync (f);
  g_assert_cmpint (fts_rowid_of (f, "narwhal"), ==, 0);
  store_exec (f->store, "UPDATE images SET rating = 5, favourite = 1 WHERE rowid = 4");
  assert_fts_in_sync (f);

  /* The trash moves entries to negative rowids and back */
  store_exec (f->store, "UPDATE images SET prompt = 'an axolotl', trashed_at = NULL WHERE rowid IN (4, 5)");
  hashes[0] = b->hash;
  hashes[1] = c->hash;
  easel_library_set_trashed_async (f->library, hashes, TRUE, NULL, easel_test_wait_cb, &wait);
  run_edit (f, easel_library_set_trashed_finish, &wait);
  assert_fts_in_sync (f);
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM images_fts WHERE images_fts MATCH 'axolotl' "
                                        "AND rowid < 0"), ==, 2);
  store_exec (f->store, "UPDATE images SET trashed_at = trashed_at + 1 WHERE rowid = 4");
  assert_fts_in_sync (f);
  hashes[1] = NULL;
  easel_library_set_trashed_async (f->library, hashes, FALSE, NULL, easel_test_wait_cb, &wait);
  run_edit (f, easel_library_set_trashed_finish, &wait);
  assert_fts_in_sync (f);
  g_assert_cmpint (store_int (f->store, "SELECT rowid FROM images_fts WHERE images_fts MATCH 'axolotl' "
                                        "AND rowid > 0"), ==, 4);

  /* Tags, on images in the trash or not */
  hashes[0] = a->hash;
  hashes[1] = b->hash;
  hashes[2] = c->hash;
  easel_library_add_tag_async (f->library, hashes, "Platypus Club", NULL, easel_test_wait_cb, &wait);
  run_edit (f, easel_library_add_tag_finish, &wait);
  assert_fts_in_sync (f);
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM images_fts WHERE images_fts MATCH "
                                        "'tags : platypus'"), ==, 3);
  hashes[2] = NULL;
  easel_library_remove_tag_async (f->library, hashes, "platypus club", NULL, easel_test_wait_cb, &wait);
  run_edit (f, easel_library_remove_tag_finish, &wait);
  assert_fts_in_sync (f);
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM images_fts WHERE images_fts MATCH "
                                        "'tags : platypus'"), ==, 1);

  /* Renaming and deleting tags directly */
  store_exec (f->store, "UPDATE tags SET name = 'echidna' WHERE name = 'wip'");
  assert_fts_in_sync (f);
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM images_fts WHERE images_fts MATCH 'echidna'"),
                   ==, store_int (f->store, "SELECT count(*) FROM image_tags it JOIN tags t "
                                            "ON t.id = it.tag_id WHERE t.name = 'echidna'"));
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM images_fts WHERE images_fts MATCH 'echidna'"),
                   >, 0);
  store_exec (f->store, "DELETE FROM tags WHERE name = 'echidna'");
  assert_fts_in_sync (f);
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM images_fts WHERE images_fts MATCH 'echidna'"),
                   ==, 0);
  store_exec (f->store, "UPDATE image_tags SET tag_id = (SELECT id FROM tags WHERE name = 'final') "
                        "WHERE tag_id = (SELECT id FROM tags WHERE name = 'print') AND image_hash NOT IN "
                        "(SELECT image_hash FROM image_tags WHERE tag_id = (SELECT id FROM tags "
                        "WHERE name = 'final'))");
  assert_fts_in_sync (f);

  /* Images deleted (with their tags, in the trash or not) and inserted
   * straight into the trash */
  store_exec (f->store, "DELETE FROM images WHERE rowid IN (4, 5, 6, 7, 8)");
  assert_fts_in_sync (f);
  store_exec (f->store, "INSERT INTO images (hash, path, width, height, mime, bytes, created_at, prompt, "
                        "trashed_at) VALUES ('" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                        "', 'aa/aa/x.png', 1, 1, 'image/png', 1, 1, 'a wombat', 2)");
  assert_fts_in_sync (f);
  g_assert_cmpint (fts_rowid_of (f, "wombat"), <, 0);

  /* An upsert is an update */
  store_exec (f->store, "INSERT INTO images (hash, path, width, height, mime, bytes, created_at, prompt) "
                        "VALUES ('" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                        "', 'aa/aa/x.png', 1, 1, 'image/png', 1, 1, 'a kiwi') "
                        "ON CONFLICT (hash) DO UPDATE SET prompt = excluded.prompt, trashed_at = NULL");
  assert_fts_in_sync (f);
  g_assert_cmpint (fts_rowid_of (f, "kiwi"), >, 0);
  g_assert_cmpint (fts_rowid_of (f, "wombat"), ==, 0);
}

/* A version-1 library with images is migrated with its index filled. */
static void
test_library_migration (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *dir = g_dir_make_tmp ("easel-library-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "easel.db", NULL);
  g_autoptr(EaselStore) store = NULL;
  EaselDb *db;
  guint trashed = 0;

  g_assert_no_error (error);

  /* Version 1 has no tags: the rows are inserted without them. */
  rows = easel_test_images_generate (120, 3, year_start (), G_GINT64_CONSTANT (86400000000) * 30);
  for (guint i = 0; i < rows->len; i++)
    {
      EaselTestImage *row = g_ptr_array_index (rows, i);

      g_clear_pointer (&row->tags, g_strfreev);
      row->tags = g_new0 (char *, 1);
      trashed += row->trashed_at != 0;
    }
  g_assert_cmpuint (trashed, >, 0);

  db = easel_db_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (easel_store_migrate_to (db, 1, &error));
  g_assert_no_error (error);
  g_assert_true (easel_test_images_insert (db, rows, &error));
  g_assert_no_error (error);
  easel_db_free (db);

  store = easel_store_new (path);
  g_assert_true (easel_store_open_sync (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (easel_store_get_schema_version (store), >=, 2);

  {
    Fixture f = { .store = store };

    assert_fts_in_sync (&f);
    g_assert_cmpint (store_int (store, "SELECT count(*) FROM images_fts WHERE rowid < 0"), ==, trashed);
    g_assert_cmpint (store_int (store, "SELECT count(*) FROM images_fts WHERE images_fts MATCH 'a'"), >, 0);
    g_assert_cmpint (store_int (store, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                                       "('images_trashed_at_created_at', 'images_trashed_at_rating_created_at', "
                                       "'images_provider', 'images_model', 'images_favourite', 'images_job_id', "
                                       "'images_aspect', 'images_hash_trashed_at_created_at', "
                                       "'image_tags_tag_id')"), ==, 9);
    g_assert_cmpint (store_int (store, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND "
                                       "tbl_name IN ('images', 'image_tags', 'tags')"), ==, 7);
  }

  /* And queries work on it. */
  {
    g_autoptr(EaselImageStore) images = easel_image_store_new (dir);
    g_autoptr(EaselLibrary) library = easel_library_new (store, images);
    g_autoptr(EaselQuery) query = parse ("a", EASEL_SORT_NEWEST, FALSE);
    guint expected = 0;

    for (guint i = 0; i < rows->len; i++)
      {
        EaselTestImage *row = g_ptr_array_index (rows, i);
        g_autoptr(GPtrArray) tokens = tokenize (row->prompt);
        g_autoptr(GPtrArray) model_tokens = tokenize (row->model);
        gboolean found = FALSE;

        g_ptr_array_extend_and_steal (tokens, g_steal_pointer (&model_tokens));
        for (guint k = 0; k < tokens->len && !found; k++)
          found = g_str_has_prefix (g_ptr_array_index (tokens, k), "a");
        expected += found && row->trashed_at == 0;
      }
    g_assert_cmpuint (easel_library_count_sync (library, query, &error), ==, expected);
    g_assert_no_error (error);
  }

  easel_store_close (store);
  easel_test_remove_tree (dir);
}

/* Plans */

#include "easel-query-private.h"

typedef struct
{
  const char *sql;
  EaselQuerySql *compiled;
  GString *plan;
} PlanCheck;

static gpointer
plan_func (EaselDb   *db,
           gpointer   data,
           GError   **error)
{
  PlanCheck *check = data;
  g_autofree char *text = g_strconcat ("EXPLAIN QUERY PLAN ", check->sql, NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (easel_db_get_handle (db), text, -1, &stmt, NULL) != SQLITE_OK)
    {
      easel_db_set_error (db, sqlite3_errcode (easel_db_get_handle (db)), error);
      return NULL;
    }
  easel_query_sql_bind_filters (check->compiled, stmt, 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_string_append_printf (check->plan, "%s; ", sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  return GINT_TO_POINTER (rc == SQLITE_DONE);
}

/* What SQLite plans for the filters' SQL (as the library runs it without
 * free text). */
static char *
plan_of (Fixture    *f,
         const char *text,
         gboolean    page)
{
  g_autoptr(EaselQuery) query = parse (text, EASEL_SORT_NEWEST, FALSE);
  g_autoptr(EaselQuerySql) compiled = easel_query_compile (query);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  PlanCheck check = { NULL, compiled, g_string_new (NULL) };

  sql = page ? g_strconcat ("SELECT i.rowid FROM images i WHERE ", compiled->filters, " ORDER BY ",
                            easel_query_sql_get_order_by (compiled), " LIMIT 100", NULL)
             : g_strconcat ("SELECT count(*) FROM images i WHERE ", compiled->filters, NULL);
  check.sql = sql;
  g_assert_nonnull (easel_store_run_sync (f->store, plan_func, &check, &error));
  g_assert_no_error (error);
  return g_string_free (check.plan, FALSE);
}

typedef struct
{
  const char *text;
  const char *count_uses;
  const char *page_uses;
} PlanCase;

/* Every filter has its index, chosen the same on any library: the
 * statistics written by migration 2 pin the plans, and PRAGMA optimize
 * (run when the store closes) leaves them alone. */
static void
test_library_plans (Fixture       *f,
                    gconstpointer  data)
{
  static const PlanCase cases[] = {
    { "", "COVERING INDEX images_trashed_at_", "COVERING INDEX images_trashed_at_created_at (trashed_at=?)" },
    { "fav:yes", "COVERING INDEX images_favourite (favourite=? AND trashed_at=?)",
      "COVERING INDEX images_favourite (favourite=? AND trashed_at=?)" },
    { "provider:replicate", "COVERING INDEX images_provider (provider=? AND trashed_at=?)",
      "COVERING INDEX images_provider (provider=? AND trashed_at=?)" },
    { "model:flux-schnell", "COVERING INDEX images_model (model=? AND trashed_at=?)", "images_" },
    { "tag:wip", "COVERING INDEX images_hash_trashed_at_created_at (hash=? AND trashed_at=?)",
      "COVERING INDEX images_hash_trashed_at_created_at (hash=? AND trashed_at=?)" },
    { "ar:16:9", "images_aspect", "images_aspect" },
    { "ar:portrait", "images_aspect", "images_" },
    { "job:3", "COVERING INDEX images_job_id (job_id=? AND trashed_at=?)",
      "COVERING INDEX images_job_id (job_id=? AND trashed_at=?)" },
    { "template:\"Fox Study\"", "COVERING INDEX images_job_id (job_id=? AND trashed_at=?)", "images_job_id" },
    { "var:subject=fox", "COVERING INDEX images_job_id (job_id=? AND trashed_at=?)", "images_job_id" },
    { "rating:>=4", "COVERING INDEX images_trashed_at_rating_created_at (trashed_at=? AND rating>?)", "images_" },
    { "after:2025-02-01 before:2025-03-01",
      "COVERING INDEX images_trashed_at_created_at (trashed_at=? AND created_at>? AND created_at<?)",
      "COVERING INDEX images_trashed_at_created_at (trashed_at=? AND created_at>? AND created_at<?)" },
  };
  g_autofree char *whole_page = NULL;

  /* Every index of the gallery's tables has its statistics. */
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM sqlite_master m WHERE m.type = 'index' AND "
                                        "m.tbl_name IN ('images', 'image_tags', 'tags') AND NOT EXISTS "
                                        "(SELECT 1 FROM sqlite_stat1 s WHERE s.tbl = m.tbl_name AND "
                                        "(s.idx = m.name OR s.idx = m.tbl_name))"), ==, 0);

  for (guint round = 0; round < 2; round++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          g_autofree char *count_plan = plan_of (f, cases[i].text, FALSE);
          g_autofree char *page_plan = plan_of (f, cases[i].text, TRUE);

          g_test_message ("“%s”: count %s page %s", cases[i].text, count_plan, page_plan);
          g_assert_nonnull (strstr (count_plan, cases[i].count_uses));
          g_assert_nonnull (strstr (page_plan, cases[i].page_uses));
          g_assert_null (strstr (count_plan, "SCAN i"));
        }

      /* Template searches find the jobs through their own indexes first. */
      {
        g_autofree char *by_template = plan_of (f, "template:\"Fox Study\"", TRUE);
        g_autofree char *by_var = plan_of (f, "var:subject=fox", TRUE);

        g_assert_nonnull (strstr (by_template, "SEARCH j USING COVERING INDEX jobs_template_id (template_id=?)"));
        g_assert_nonnull (strstr (by_template, "sqlite_autoindex_templates_1 (name=?)"));
        g_assert_nonnull (strstr (by_var, "SEARCH b USING COVERING INDEX job_bindings_name_value (name=? AND value=?)"));
        g_assert_null (strstr (by_template, "SCAN"));
        g_assert_null (strstr (by_var, "SCAN"));
      }

      /* Close (PRAGMA optimize runs) and open again: the same plans. */
      g_assert_finalize_object (g_steal_pointer (&f->library));
      easel_store_close (f->store);
      g_assert_finalize_object (g_steal_pointer (&f->store));
      f->store = easel_store_new (f->db_path);
      g_assert_true (easel_store_open_sync (f->store, NULL));
      f->library = easel_library_new (f->store, f->images);
    }
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM sqlite_stat1 WHERE idx = "
                                        "'images_trashed_at_created_at' AND stat = '1000000 900000 1'"), ==, 1);

  /* The whole library's first page is read in index order, never sorted. */
  whole_page = plan_of (f, "", TRUE);
  g_assert_null (strstr (whole_page, "TEMP B-TREE"));
}

/* Edits */

typedef struct
{
  GPtrArray *events;     /* GStrv of each ::changed */
  gboolean   callback_seen;
} Events;

static void
changed_cb (EaselLibrary *library,
            GStrv         hashes,
            Events       *events)
{
  /* Listeners hear of the change before the edit's caller. */
  g_assert_false (events->callback_seen);
  g_ptr_array_add (events->events, g_strdupv (hashes));
}

static void
edit_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Events *events = g_object_get_data (source, "events");

  events->callback_seen = TRUE;
  easel_test_wait_cb (source, result, user_data);
}

static EaselImage *
lookup (Fixture    *f,
        const char *hash)
{
  g_autoptr(GError) error = NULL;
  EaselTestWait wait = { 0 };
  EaselImage *image;

  easel_library_lookup_async (f->library, hash, NULL, easel_test_wait_cb, &wait);
  image = easel_library_lookup_finish (f->library, easel_test_wait_done (&wait), &error);
  g_assert_no_error (error);
  easel_test_wait_clear (&wait);
  return image;
}

static void
assert_event (Events     *events,
              const char *first,
              ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) expected = NULL;
  va_list ap;

  va_start (ap, first);
  for (const char *hash = first; hash != NULL; hash = va_arg (ap, const char *))
    g_strv_builder_add (builder, hash);
  va_end (ap);
  expected = g_strv_builder_end (builder);

  g_assert_cmpuint (events->events->len, ==, 1);
  g_assert_true (g_strv_equal ((const char * const *) g_ptr_array_index (events->events, 0),
                               (const char * const *) expected));
  g_ptr_array_set_size (events->events, 0);
  events->callback_seen = FALSE;
}

static void
test_library_edits (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(EaselQuery) library_query = parse ("", EASEL_SORT_NEWEST, FALSE);
  g_autoptr(EaselQuery) trash_query = parse ("", EASEL_SORT_NEWEST, TRUE);
  Events events = { g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev), FALSE };
  g_autoptr(GPtrArray) first = fetch (f, library_query, 0, 3);
  const char *a = easel_image_get_hash (g_ptr_array_index (first, 0));
  const char *b = easel_image_get_hash (g_ptr_array_index (first, 1));
  const char *unknown = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  const char *hashes[] = { a, b, unknown, a, NULL };
  g_autoptr(EaselImage) image = NULL;
  g_autoptr(GError) error = NULL;
  EaselTestWait wait = { 0 };
  guint in_library = count (f, library_query);
  guint in_trash = count (f, trash_query);

  g_object_set_data (G_OBJECT (f->library), "events", &events);
  g_signal_connect (f->library, "changed", G_CALLBACK (changed_cb), &events);

  /* Rating: the changed images are listed once, unknown ones skipped */
  easel_library_set_rating_async (f->library, hashes, 0, NULL, easel_test_wait_cb, &wait);
  run_edit (f, easel_library_set_rating_finish, &wait);
  g_ptr_array_set_size (events.events, 0);
  easel_library_set_rating_async (f->library, hashes, 4, NULL, edit_done_cb, &wait);
  run_edit (f, easel_library_set_rating_finish, &wait);
  assert_event (&events, a, b, NULL);
  image = lookup (f, a);
  g_assert_cmpint (easel_image_get_rating (image), ==, 4);
  g_clear_object (&image);

  /* The same again changes nothing and says nothing */
  easel_library_set_rating_async (f->library, hashes, 4, NULL, edit_done_cb, &wait);
  run_edit (f, easel_library_set_rating_finish, &wait);
  g_assert_cmpuint (events.events->len, ==, 0);
  events.callback_seen = FALSE;

  /* Favourite */
  easel_library_set_favourite_async (f->library, hashes, FALSE, NULL, easel_test_wait_cb, &wait);
  run_edit (f, easel_library_set_favourite_finish, &wait);
  g_ptr_array_set_size (events.events, 0);
  easel_library_set_favourite_async (f->library, hashes, TRUE, NULL, edit_done_cb, &wait);
  run_edit (f, easel_library_set_favourite_finish, &wait);
  assert_event (&events, a, b, NULL);
  image = lookup (f, b);
  g_assert_true (easel_image_get_favourite (image));
  g_clear_object (&image);

  /* Trash, and its undo */
  easel_library_set_trashed_async (f->library, hashes, TRUE, NULL, edit_done_cb, &wait);
  run_edit (f, easel_library_set_trashed_finish, &wait);
  assert_event (&events, a, b, NULL);
  g_assert_cmpuint (count (f, library_query), ==, in_library - 2);
  g_assert_cmpuint (count (f, trash_query), ==, in_trash + 2);
  g_assert_cmpint (position (f, library_query, a), ==, -1);
  g_assert_cmpint (position (f, trash_query, a), >=, 0);
  image = lookup (f, a);
  g_assert_true (easel_image_get_trashed (image));
  g_clear_object (&image);

  easel_library_set_trashed_async (f->library, hashes, FALSE, NULL, edit_done_cb, &wait);
  run_edit (f, easel_library_set_trashed_finish, &wait);
  assert_event (&events, a, b, NULL);
  g_assert_cmpuint (count (f, library_query), ==, in_library);
  g_assert_cmpint (position (f, library_query, a), ==, 0);
  g_assert_cmpint (position (f, library_query, b), ==, 1);

  /* Tags: normalized, shared without regard to ASCII case */
  hashes[2] = NULL;
  easel_library_add_tag_async (f->library, hashes, "  Best   of  2025 ", NULL, edit_done_cb, &wait);
  run_edit (f, easel_library_add_tag_finish, &wait);
  assert_event (&events, a, b, NULL);
  image = lookup (f, a);
  g_assert_true (g_strv_contains (easel_image_get_tags (image), "Best of 2025"));
  g_clear_object (&image);
  hashes[1] = NULL;
  easel_library_add_tag_async (f->library, hashes, "BEST OF 2025", NULL, edit_done_cb, &wait);
  run_edit (f, easel_library_add_tag_finish, &wait);
  g_assert_cmpuint (events.events->len, ==, 0);
  events.callback_seen = FALSE;
  {
    g_autoptr(EaselQuery) tagged = parse ("tag:\"best of 2025\"", EASEL_SORT_NEWEST, FALSE);

    g_assert_cmpuint (count (f, tagged), ==, 2);
  }

  easel_library_remove_tag_async (f->library, hashes, "best of 2025", NULL, edit_done_cb, &wait);
  run_edit (f, easel_library_remove_tag_finish, &wait);
  assert_event (&events, a, NULL);

  /* A tag that cannot be one is refused, and nothing happens */
  easel_library_add_tag_async (f->library, hashes, "   ", NULL, edit_done_cb, &wait);
  g_assert_false (easel_library_add_tag_finish (f->library, easel_test_wait_done (&wait), &error));
  g_assert_error (error, EASEL_QUERY_ERROR, EASEL_QUERY_ERROR_INVALID);
  g_clear_error (&error);
  easel_test_wait_clear (&wait);
  g_assert_cmpuint (events.events->len, ==, 0);

  /* Removing a tag nobody has */
  events.callback_seen = FALSE;
  easel_library_remove_tag_async (f->library, hashes, "never used", NULL, edit_done_cb, &wait);
  run_edit (f, easel_library_remove_tag_finish, &wait);
  g_assert_cmpuint (events.events->len, ==, 0);

  /* ::added is the application's to trigger */
  {
    const char *added[] = { a, NULL };
    gulong id = g_signal_connect (f->library, "added", G_CALLBACK (changed_cb), &events);
    events.callback_seen = FALSE;
    easel_library_images_added (f->library, added);
    assert_event (&events, a, NULL);
    easel_library_images_added (f->library, (const char * const *) &added[1]);
    g_assert_cmpuint (events.events->len, ==, 0);
    g_signal_handler_disconnect (f->library, id);
  }

  g_signal_handlers_disconnect_by_data (f->library, &events);
  g_ptr_array_unref (events.events);
}

static void
test_library_tags (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) tags = NULL;
  g_autoptr(EaselQuery) query = parse ("", EASEL_SORT_NEWEST, FALSE);
  g_autoptr(GPtrArray) first = fetch (f, query, 0, 1);
  const char *hashes[] = { easel_image_get_hash (g_ptr_array_index (first, 0)), NULL };
  EaselTestWait wait = { 0 };

  easel_library_list_tags_async (f->library, NULL, easel_test_wait_cb, &wait);
  tags = easel_library_list_tags_finish (f->library, easel_test_wait_done (&wait), &error);
  g_assert_no_error (error);
  easel_test_wait_clear (&wait);
  g_assert_cmpuint (g_strv_length (tags), ==, G_N_ELEMENTS (easel_test_tags));
  g_assert_cmpstr (tags[0], ==, "client a");
  for (guint i = 1; tags[i] != NULL; i++)
    g_assert_cmpint (g_ascii_strcasecmp (tags[i - 1], tags[i]), <, 0);
  g_clear_pointer (&tags, g_strfreev);

  /* A new tag is offered while an image has it, and forgotten after. */
  easel_library_add_tag_async (f->library, hashes, "zebra", NULL, easel_test_wait_cb, &wait);
  run_edit (f, easel_library_add_tag_finish, &wait);
  easel_library_list_tags_async (f->library, NULL, easel_test_wait_cb, &wait);
  tags = easel_library_list_tags_finish (f->library, easel_test_wait_done (&wait), &error);
  easel_test_wait_clear (&wait);
  g_assert_true (g_strv_contains ((const char * const *) tags, "zebra"));
  g_clear_pointer (&tags, g_strfreev);

  easel_library_remove_tag_async (f->library, hashes, "ZEBRA", NULL, easel_test_wait_cb, &wait);
  run_edit (f, easel_library_remove_tag_finish, &wait);
  easel_library_list_tags_async (f->library, NULL, easel_test_wait_cb, &wait);
  tags = easel_library_list_tags_finish (f->library, easel_test_wait_done (&wait), &error);
  easel_test_wait_clear (&wait);
  g_assert_false (g_strv_contains ((const char * const *) tags, "zebra"));

  /* Tagging only unknown images leaves no tag behind either. */
  {
    const char *unknown[] = { "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", NULL };

    easel_library_add_tag_async (f->library, unknown, "ghost", NULL, easel_test_wait_cb, &wait);
    run_edit (f, easel_library_add_tag_finish, &wait);
    g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM tags WHERE name = 'ghost'"), ==, 0);
  }
}

static void
test_library_lookup (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  EaselTestWait wait = { 0 };

  for (guint i = 0; i < f->rows->len; i += 17)
    {
      EaselTestImage *row = g_ptr_array_index (f->rows, i);
      g_autoptr(EaselImage) image = lookup (f, row->hash);
      g_autofree char *path = easel_image_store_dup_path (f->images, row->path);
      GStrv tags = row->tags;

      g_assert_cmpstr (easel_image_get_hash (image), ==, row->hash);
      g_assert_cmpstr (easel_image_get_path (image), ==, path);
      g_assert_true (g_path_is_absolute (easel_image_get_path (image)));
      g_assert_cmpint (easel_image_get_width (image), ==, row->width);
      g_assert_cmpint (easel_image_get_height (image), ==, row->height);
      g_assert_cmpstr (easel_image_get_mime (image), ==, "image/png");
      g_assert_cmpint (easel_image_get_bytes (image), ==, row->bytes);
      g_assert_cmpint (easel_image_get_created_at (image), ==, row->created_at);
      g_assert_cmpint (easel_image_get_job_id (image), ==, row->job_id);
      g_assert_cmpstr (easel_image_get_provider (image), ==, row->provider);
      g_assert_cmpstr (easel_image_get_model (image), ==, row->model);
      g_assert_cmpstr (easel_image_get_prompt (image), ==, row->prompt);
      g_assert_cmpint (easel_image_get_seed (image), ==, row->seed);
      g_assert_cmpint (easel_image_get_rating (image), ==, row->rating);
      g_assert_cmpint (easel_image_get_favourite (image), ==, row->favourite);
      g_assert_cmpint (easel_image_get_trashed (image), ==, row->trashed_at != 0);
      g_assert_cmpuint (g_strv_length ((char **) easel_image_get_tags (image)), ==, g_strv_length (tags));
      for (guint k = 0; tags[k] != NULL; k++)
        g_assert_true (g_strv_contains (easel_image_get_tags (image), tags[k]));
      if (row->provider != NULL)
        g_assert_true (g_str_has_prefix (easel_image_get_params (image), "{\"aspect_ratio\""));
    }

  easel_library_lookup_async (f->library, "nope", NULL, easel_test_wait_cb, &wait);
  g_assert_null (easel_library_lookup_finish (f->library, easel_test_wait_done (&wait), &error));
  g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_NOT_FOUND);
  easel_test_wait_clear (&wait);
}

static void
test_library_cancel (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(EaselQuery) query = parse ("l", EASEL_SORT_NEWEST, FALSE);
  g_autoptr(GError) error = NULL;
  EaselTestWait wait = { 0 };

  g_cancellable_cancel (cancellable);
  easel_library_count_async (f->library, query, cancellable, easel_test_wait_cb, &wait);
  g_assert_cmpuint (easel_library_count_finish (f->library, easel_test_wait_done (&wait), &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  easel_test_wait_clear (&wait);

  easel_library_fetch_async (f->library, query, 0, 10, cancellable, easel_test_wait_cb, &wait);
  g_assert_null (easel_library_fetch_finish (f->library, easel_test_wait_done (&wait), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  easel_test_wait_clear (&wait);

  /* The store keeps working after. */
  g_assert_cmpuint (count (f, query), >, 0);
}

/* The count of text matches is remembered between calls, and forgotten
 * as soon as anything is written, here or by another connection. */
static void
test_library_text_count (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(EaselQuery) query = parse ("lighthouse", EASEL_SORT_NEWEST, FALSE);
  g_autoptr(EaselQuery) all = parse ("", EASEL_SORT_NEWEST, FALSE);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) whole = NULL;
  g_autoptr(GError) error = NULL;
  const char *hashes[2] = { NULL };
  EaselTestWait wait = { 0 };
  guint before = count (f, query);
  EaselDb *other;

  g_assert_cmpuint (before, >, 1);
  g_assert_cmpuint (count (f, query), ==, before);

  /* Written through the library */
  page = fetch (f, query, 0, 1);
  hashes[0] = easel_image_get_hash (g_ptr_array_index (page, 0));
  easel_library_set_trashed_async (f->library, hashes, TRUE, NULL, easel_test_wait_cb, &wait);
  run_edit (f, easel_library_set_trashed_finish, &wait);
  g_assert_cmpuint (count (f, query), ==, before - 1);

  /* Written by another connection, as `easel generate` in another process */
  other = easel_db_open (f->db_path, &error);
  g_assert_no_error (error);
  sqlite3_busy_timeout (easel_db_get_handle (other), 5000);
  g_assert_true (easel_db_exec (other, "UPDATE images SET prompt = 'a lighthouse keeper' "
                                       "WHERE rowid = (SELECT max (rowid) FROM images WHERE trashed_at IS NULL "
                                       "AND prompt NOT LIKE '%lighthouse%')", &error));
  g_assert_no_error (error);
  easel_db_free (other);
  g_assert_cmpuint (count (f, query), ==, before);
  whole = fetch_all (f, query, 1000);
  g_assert_cmpuint (whole->len, ==, before);
  g_assert_cmpuint (count (f, all), >, before);
}

/* Hostile text that parses runs as plain text and hurts nothing. */
static void
test_library_injection (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const attacks[] = {
    "'; DROP TABLE images; --", "\" OR 1=1", "NEAR(a b)", "NEAR(\"fox\" \"red\", 2)", "*", "^x",
    "fox*", "{prompt model}: fox", "prompt : fox", "- fox", "a AND b OR NOT c", "(fox OR red)",
    "\"\"\"", "tag:\"'; DELETE FROM tags; --\"", "provider:'OR'1'='1", "model:%", "model:_",
    "$1 ?1 :name @x", "x\" OR rowid > 0 OR \"", "\xe2\x80\xae" "fox",
  };
  gint64 images = store_int (f->store, "SELECT count(*) FROM images");
  gint64 tags = store_int (f->store, "SELECT count(*) FROM tags");
  gint64 schema = store_int (f->store, "SELECT count(*) FROM sqlite_master");

  for (guint i = 0; i < G_N_ELEMENTS (attacks); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EaselQuery) query = easel_query_parse (attacks[i], &error);
      g_autoptr(GPtrArray) all = NULL;

      message_text (attacks[i]);
      if (query == NULL)
        continue;
      count (f, query);
      all = fetch_all (f, query, 100);
    }

  /* "model:%" and "model:_" are literal: no model is called that. */
  {
    g_autoptr(EaselQuery) query = parse ("model:%", EASEL_SORT_NEWEST, FALSE);

    g_assert_cmpuint (count (f, query), ==, 0);
  }
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM images"), ==, images);
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM tags"), ==, tags);
  g_assert_cmpint (store_int (f->store, "SELECT count(*) FROM sqlite_master"), ==, schema);
}

/* EaselImage on its own */

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 GPtrArray  *names)
{
  g_ptr_array_add (names, (gpointer) pspec->name);
}

static void
test_library_image (void)
{
  g_autoptr(EaselImage) image = easel_image_new ("ab");
  g_autoptr(EaselImage) fresher = easel_image_new ("ab");
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *tags[] = { "a", "b", NULL };
  g_auto(GStrv) got_tags = NULL;
  gint64 seed;

  g_assert_cmpint (easel_image_get_seed (image), ==, -1);
  g_assert_nonnull (easel_image_get_tags (image));
  g_assert_null (easel_image_get_tags (image)[0]);

  g_signal_connect (image, "notify", G_CALLBACK (count_notify_cb), names);
  easel_image_set_rating (image, 3);
  easel_image_set_rating (image, 3);
  easel_image_set_tags (image, tags);
  easel_image_set_tags (image, tags);
  easel_image_set_tags (image, NULL);
  easel_image_set_tags (image, (const char * const *) &tags[2]);
  g_assert_cmpuint (names->len, ==, 3);
  g_ptr_array_set_size (names, 0);

  /* Updating from a fresher copy notifies once per changed field. */
  easel_image_set_rating (fresher, 3);
  easel_image_set_prompt (fresher, "a fox");
  easel_image_set_seed (fresher, 42);
  easel_image_set_tags (fresher, tags);
  easel_image_set_trashed (fresher, TRUE);
  easel_image_update_from (image, fresher);
  g_assert_cmpuint (names->len, ==, 4);
  g_object_get (image, "seed", &seed, "tags", &got_tags, NULL);
  g_assert_cmpint (seed, ==, 42);
  g_assert_true (g_strv_equal ((const char * const *) got_tags, tags));
  g_assert_cmpstr (easel_image_get_prompt (image), ==, "a fox");
  g_assert_true (easel_image_get_trashed (image));

  g_signal_handlers_disconnect_by_data (image, names);
  g_assert_finalize_object (g_steal_pointer (&image));
  g_assert_finalize_object (g_steal_pointer (&fresher));
}

/* `easel search` */

typedef struct
{
  int   status;
  char *out;
  char *err;
} SearchResult;

static void
search_result_clear (SearchResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

static SearchResult
run_search (const char *data_home,
            const char *first,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  SearchResult result = { 0 };
  int wait_status;
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("EASEL_BINARY"));
  g_ptr_array_add (argv, (char *) "search");
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  env = g_environ_setenv (env, "XDG_DATA_HOME", data_home, TRUE);
  env = g_environ_unsetenv (env, "DISPLAY");
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                &result.out, &result.err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  result.status = WEXITSTATUS (wait_status);
  return result;
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

static void
test_library_cli (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = g_dir_make_tmp ("easel-search-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (data_home, "easel", "easel.db", NULL);
  g_autofree char *image_root = g_build_filename (data_home, "easel", "images", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(EaselStore) store = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  SearchResult r;
  JsonObject *root;
  JsonArray *images;
  const RefQuery l_wip = { "l tag:wip", { "l*" }, .tags = { "wip" }, ANY };
  const RefQuery everything = { "", { NULL }, ANY };

  if (g_getenv ("EASEL_BINARY") == NULL)
    {
      g_test_skip ("EASEL_BINARY is not set");
      return;
    }
  g_assert_no_error (error);

  /* A library where the command line looks for it. */
  store = easel_store_new (db_path);
  g_assert_true (easel_store_open_sync (store, &error));
  g_assert_no_error (error);
  rows = easel_test_images_generate (N_IMAGES, SEED, year_start (), G_GINT64_CONSTANT (365) * 86400000000);
  g_assert_nonnull (easel_store_run_sync (store, easel_test_images_insert_func, rows, &error));
  easel_store_close (store);

  /* JSON: the same images as the reference, in order, with the total */
  expected = ref_results (rows, &l_wip, EASEL_SORT_NEWEST, FALSE);
  g_assert_cmpuint (expected->len, >, 1);
  r = run_search (data_home, "--json", "l", "tag:wip", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "query"), ==, "l tag:wip");
  g_assert_cmpint (json_object_get_int_member (root, "total"), ==, expected->len);
  images = json_object_get_array_member (root, "images");
  g_assert_cmpuint (json_array_get_length (images), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      JsonObject *image = json_array_get_object_element (images, i);

      g_assert_cmpstr (json_object_get_string_member (image, "hash"), ==, g_ptr_array_index (expected, i));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (image, "path"), image_root));
      g_assert_true (json_object_has_member (image, "rating"));
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (image, "params")));
      g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (image, "tags")));
      g_assert_true (json_object_get_boolean_member (image, "trashed") == FALSE);
    }
  search_result_clear (&r);

  /* Text: one line per image, a note on stderr when there are more */
  r = run_search (data_home, "--limit", "3", "--sort", "rating", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (count_lines (r.out), ==, 3);
  g_assert_nonnull (strstr (r.out, "★"));
  g_assert_true (g_str_has_prefix (r.out, image_root));
  {
    g_autoptr(GPtrArray) all = ref_results (rows, &everything, EASEL_SORT_RATING, FALSE);
    g_autofree char *note = g_strdup_printf ("Showing 3 of %u", all->len);
    EaselTestImage *best = NULL;

    g_assert_nonnull (strstr (r.err, note));
    for (guint i = 0; i < rows->len && best == NULL; i++)
      if (g_str_equal (((EaselTestImage *) g_ptr_array_index (rows, i))->hash, g_ptr_array_index (all, 0)))
        best = g_ptr_array_index (rows, i);
    g_assert_nonnull (strstr (r.out, best->hash));
    g_assert_nonnull (strstr (r.out, "★★★★★"));
  }
  search_result_clear (&r);

  /* No results is still a success, and prints nothing */
  r = run_search (data_home, "zzzzqqq", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpstr (r.err, ==, "");
  search_result_clear (&r);

  /* A query error: status 2, the message, a caret under the problem */
  r = run_search (data_home, "red", "rating:9", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, "rating"));
  g_assert_nonnull (strstr (r.err, "\n  red rating:9\n             ^\n"));
  search_result_clear (&r);

  r = run_search (data_home, "café", "flavour:x", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "“flavour:”"));
  g_assert_nonnull (strstr (r.err, "\n  café flavour:x\n       ^~~~~~~~\n"));
  search_result_clear (&r);

  /* Usage errors */
  r = run_search (data_home, "--limit", "0", "fox", NULL);
  g_assert_cmpint (r.status, ==, 2);
  search_result_clear (&r);
  r = run_search (data_home, "--sort", "sideways", "fox", NULL);
  g_assert_cmpint (r.status, ==, 2);
  search_result_clear (&r);

  /* The trash */
  {
    const RefQuery trashed = { "", { NULL }, ANY };
    g_autoptr(GPtrArray) in_trash = ref_results (rows, &trashed, EASEL_SORT_NEWEST, TRUE);

    r = run_search (data_home, "--trash", "--limit", "1000", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpuint (count_lines (r.out), ==, in_trash->len);
    search_result_clear (&r);
  }

  easel_test_remove_tree (data_home);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, setup, func) \
  g_test_add ("/Easel/Library/" path, Fixture, NULL, setup, func, fixture_teardown)

  g_test_add_func ("/Easel/Library/migration", test_library_migration);
  ADD ("fts-sync", fixture_setup, test_library_fts_sync);
  ADD ("queries", fixture_setup_populated, test_library_queries);
  ADD ("paging", fixture_setup_populated, test_library_paging);
  ADD ("position", fixture_setup_populated, test_library_position);
  ADD ("edits", fixture_setup_populated, test_library_edits);
  ADD ("tags", fixture_setup_populated, test_library_tags);
  ADD ("lookup", fixture_setup_populated, test_library_lookup);
  ADD ("cancel", fixture_setup_populated, test_library_cancel);
  ADD ("injection", fixture_setup_populated, test_library_injection);
  ADD ("plans", fixture_setup_populated, test_library_plans);
  ADD ("text-count", fixture_setup_populated, test_library_text_count);
  g_test_add_func ("/Easel/Library/image", test_library_image);
  g_test_add_func ("/Easel/Library/cli", test_library_cli);

#undef ADD

  return g_test_run ();
}
