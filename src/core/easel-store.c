/* easel-store.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The library database and the one thread that touches it.
 *
 * Every read and write is a work item on a GAsyncQueue, run in order by a
 * single worker thread that owns the connection, as Epiphany's history
 * service does. One thread, one connection: items run strictly first in,
 * first out, so a write followed by a read sees the write, and there is no
 * locking to get wrong. The thread starts with the first item.
 *
 * Results go back through a GTask completed by an idle on the caller's
 * thread-default main context. The worker never holds a reference to a
 * GTask's last owner, so neither the task nor the store is ever finalized
 * on the worker (disposing the store there would join the thread from
 * itself). The item's data is destroyed on the caller's thread too.
 *
 * Cancelling a GCancellable skips an item that has not started; once it has
 * started it runs to the end and reports what really happened, because
 * saying "cancelled" about a write that was committed would be a lie.
 *
 * Opening reads the header before writing anything: a database from a
 * newer Easel (user_version above the last migration) or a file that is not
 * a database is reported and left exactly as it was. Migrations are SQL
 * scripts in one array; the n-th entry takes the schema from version n-1 to
 * n, in one transaction with the new user_version, so a crash half-way
 * leaves the previous version intact. A later migration appends one entry.
 * (If one ever needs to rebuild a table, SQLite's 12-step procedure
 * requires foreign keys off around the transaction: add that here then.)
 */

#include "config.h"

#include "easel-store.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#define BUSY_TIMEOUT_MS 5000

/* All times are INTEGER microseconds since the Unix epoch, UTC, as
 * g_get_real_time() gives them. JSON is stored as TEXT. */
static const char * const migrations[] = {
  /* 1: jobs and their outputs, the image library, the cost ledger. */
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT"
  ") WITHOUT ROWID;"

  "CREATE TABLE jobs ("
  "  id                INTEGER PRIMARY KEY,"
  "  uuid              TEXT NOT NULL UNIQUE,"    /* Easel's id, the provider's replyRef */
  "  batch             TEXT,"
  "  provider          TEXT NOT NULL,"
  "  account           TEXT NOT NULL DEFAULT '',"
  "  model             TEXT NOT NULL,"
  "  prompt            TEXT NOT NULL DEFAULT '',"
  "  spec              TEXT NOT NULL,"           /* the full job spec, JSON */
  "  state             TEXT NOT NULL CONSTRAINT job_state CHECK (state IN ('queued',"
  "'submitting', 'submitted', 'running', 'downloading', 'succeeded', 'failed', 'cancelled',"
  "'needs-attention')),"
  "  remote_id         TEXT,"
  "  remote_status     TEXT,"
  "  progress          INTEGER,"
  "  buttons           TEXT,"                    /* JSON array */
  "  attempt           INTEGER NOT NULL DEFAULT 1,"
  "  retry_of          INTEGER REFERENCES jobs (id) ON DELETE SET NULL,"
  "  parent_id         INTEGER REFERENCES jobs (id) ON DELETE SET NULL,"
  "  action            TEXT,"                    /* Midjourney button label */
  "  template_id       INTEGER,"
  "  template_version  INTEGER,"
  "  template_bindings TEXT,"                    /* JSON */
  "  requests          INTEGER NOT NULL DEFAULT 0,"
  "  error_code        TEXT,"
  "  error_message     TEXT,"
  "  created_at        INTEGER NOT NULL,"
  "  submitted_at      INTEGER,"
  "  started_at        INTEGER,"
  "  finished_at       INTEGER,"
  "  updated_at        INTEGER NOT NULL"
  ");"
  "CREATE INDEX jobs_state ON jobs (state);"
  "CREATE INDEX jobs_provider_account_state ON jobs (provider, account, state);"
  "CREATE INDEX jobs_remote_id ON jobs (remote_id);"
  "CREATE INDEX jobs_created_at ON jobs (created_at);"
  /* Child keys of foreign keys, so deleting a job does not scan the table. */
  "CREATE INDEX jobs_retry_of ON jobs (retry_of);"
  "CREATE INDEX jobs_parent_id ON jobs (parent_id);"

  "CREATE TABLE images ("
  "  hash       TEXT PRIMARY KEY"                /* SHA-256, lowercase hex */
  "    CONSTRAINT image_hash_sha256 CHECK (length (hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),"
  "  path       TEXT NOT NULL,"                  /* relative to the image store root */
  "  width      INTEGER NOT NULL,"
  "  height     INTEGER NOT NULL,"
  "  mime       TEXT NOT NULL,"
  "  bytes      INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  job_id     INTEGER REFERENCES jobs (id) ON DELETE SET NULL,"
  "  provider   TEXT,"
  "  model      TEXT,"
  "  prompt     TEXT,"
  "  params     TEXT,"                           /* JSON */
  "  seed       INTEGER,"
  "  rating     INTEGER NOT NULL DEFAULT 0 CONSTRAINT image_rating CHECK (rating BETWEEN 0 AND 5),"
  "  favourite  INTEGER NOT NULL DEFAULT 0 CONSTRAINT image_favourite CHECK (favourite IN (0, 1)),"
  "  trashed_at INTEGER"
  ");"
  "CREATE INDEX images_created_at ON images (created_at);"
  "CREATE INDEX images_rating_created_at ON images (rating, created_at);"
  "CREATE INDEX images_job_id ON images (job_id);"

  "CREATE TABLE job_outputs ("
  "  id           INTEGER PRIMARY KEY,"
  "  job_id       INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,"
  "  position     INTEGER NOT NULL,"
  "  url          TEXT NOT NULL,"
  "  width        INTEGER,"
  "  height       INTEGER,"
  "  content_type TEXT,"
  "  image_hash   TEXT REFERENCES images (hash) ON DELETE SET NULL,"
  "  state        TEXT NOT NULL DEFAULT 'pending'"
  "    CONSTRAINT job_output_state CHECK (state IN ('pending', 'done', 'failed')),"
  "  error        TEXT,"
  "  UNIQUE (job_id, position)"
  ");"
  "CREATE INDEX job_outputs_image_hash ON job_outputs (image_hash);"

  /* One 'estimate' row per job at enqueue, one 'actual' at completion: the
   * unique index makes settling twice impossible (NULL job ids, of deleted
   * jobs, never collide). */
  "CREATE TABLE ledger ("
  "  id       INTEGER PRIMARY KEY,"
  "  job_id   INTEGER REFERENCES jobs (id) ON DELETE SET NULL,"
  "  provider TEXT NOT NULL,"
  "  account  TEXT NOT NULL DEFAULT '',"
  "  kind     TEXT NOT NULL CONSTRAINT ledger_kind CHECK (kind IN ('estimate', 'actual')),"
  "  micros   INTEGER NOT NULL,"                 /* millionths of a US dollar */
  "  exact    INTEGER NOT NULL DEFAULT 0 CONSTRAINT ledger_exact CHECK (exact IN (0, 1)),"
  "  basis    TEXT,"                             /* how the amount was worked out */
  "  at       INTEGER NOT NULL"
  ");"
  "CREATE INDEX ledger_at ON ledger (at);"
  "CREATE UNIQUE INDEX ledger_job_id_kind ON ledger (job_id, kind);",

  /* 2: tags, the full-text index and the gallery's indexes.
   *
   * images_fts indexes each image's prompt, model and tags (unicode61
   * folds case and, with remove_diacritics 2, accents; the prefix indexes
   * make type-ahead cheap from the first letter). Its rowid is the image's
   * rowid, negated while the image is in the trash: "not in the trash" is
   * then a rowid range that FTS5 answers from its own index, so a text
   * search counts its results without reading a single images row. The
   * FTS table keeps its own copy of the text (not external content), so a
   * row can be deleted or moved without its old values. Triggers keep it
   * in sync with images, image_tags and tags; nothing else writes to it.
   *
   * The filter indexes lead with the filtered column and go on with
   * trashed_at and created_at, so a filter counts from the index alone and
   * its newest-first page is read in index order. INSERT OR REPLACE on
   * images would leave the replaced row's entry behind (SQLite runs delete
   * triggers for REPLACE only with recursive_triggers on): images are
   * upserted, never replaced. */
  "CREATE TABLE tags ("
  "  id   INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE COLLATE NOCASE"
  ");"

  "CREATE TABLE image_tags ("
  "  image_hash TEXT NOT NULL REFERENCES images (hash) ON DELETE CASCADE,"
  "  tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,"
  "  PRIMARY KEY (image_hash, tag_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX image_tags_tag_id ON image_tags (tag_id);"

  "CREATE VIRTUAL TABLE images_fts USING fts5 ("
  "  prompt, model, tags,"
  "  tokenize = 'unicode61 remove_diacritics 2',"
  "  prefix = '1 2 3'"
  ");"

  "CREATE TRIGGER images_fts_insert AFTER INSERT ON images BEGIN"
  "  INSERT INTO images_fts (rowid, prompt, model, tags) VALUES ("
  "    CASE WHEN new.trashed_at IS NULL THEN new.rowid ELSE -new.rowid END,"
  "    new.prompt, new.model,"
  "    (SELECT group_concat (t.name, ' ') FROM image_tags it JOIN tags t ON t.id = it.tag_id"
  "     WHERE it.image_hash = new.hash));"
  "END;"

  "CREATE TRIGGER images_fts_update AFTER UPDATE OF hash, prompt, model, trashed_at ON images"
  "  WHEN old.hash IS NOT new.hash OR old.prompt IS NOT new.prompt OR old.model IS NOT new.model"
  "    OR (old.trashed_at IS NULL) <> (new.trashed_at IS NULL) BEGIN"
  "  DELETE FROM images_fts"
  "    WHERE rowid = CASE WHEN old.trashed_at IS NULL THEN old.rowid ELSE -old.rowid END;"
  "  INSERT INTO images_fts (rowid, prompt, model, tags) VALUES ("
  "    CASE WHEN new.trashed_at IS NULL THEN new.rowid ELSE -new.rowid END,"
  "    new.prompt, new.model,"
  "    (SELECT group_concat (t.name, ' ') FROM image_tags it JOIN tags t ON t.id = it.tag_id"
  "     WHERE it.image_hash = new.hash));"
  "END;"

  "CREATE TRIGGER images_fts_delete AFTER DELETE ON images BEGIN"
  "  DELETE FROM images_fts"
  "    WHERE rowid = CASE WHEN old.trashed_at IS NULL THEN old.rowid ELSE -old.rowid END;"
  "END;"

  "CREATE TRIGGER image_tags_fts_insert AFTER INSERT ON image_tags BEGIN"
  "  UPDATE images_fts SET tags ="
  "    (SELECT group_concat (t.name, ' ') FROM image_tags it JOIN tags t ON t.id = it.tag_id"
  "     WHERE it.image_hash = new.image_hash)"
  "  WHERE rowid = (SELECT CASE WHEN trashed_at IS NULL THEN rowid ELSE -rowid END"
  "                 FROM images WHERE hash = new.image_hash);"
  "END;"

  "CREATE TRIGGER image_tags_fts_delete AFTER DELETE ON image_tags BEGIN"
  "  UPDATE images_fts SET tags ="
  "    (SELECT group_concat (t.name, ' ') FROM image_tags it JOIN tags t ON t.id = it.tag_id"
  "     WHERE it.image_hash = old.image_hash)"
  "  WHERE rowid = (SELECT CASE WHEN trashed_at IS NULL THEN rowid ELSE -rowid END"
  "                 FROM images WHERE hash = old.image_hash);"
  "END;"

  "CREATE TRIGGER image_tags_fts_update AFTER UPDATE ON image_tags BEGIN"
  "  UPDATE images_fts SET tags ="
  "    (SELECT group_concat (t.name, ' ') FROM image_tags it JOIN tags t ON t.id = it.tag_id"
  "     WHERE it.image_hash = old.image_hash)"
  "  WHERE rowid = (SELECT CASE WHEN trashed_at IS NULL THEN rowid ELSE -rowid END"
  "                 FROM images WHERE hash = old.image_hash);"
  "  UPDATE images_fts SET tags ="
  "    (SELECT group_concat (t.name, ' ') FROM image_tags it JOIN tags t ON t.id = it.tag_id"
  "     WHERE it.image_hash = new.image_hash)"
  "  WHERE rowid = (SELECT CASE WHEN trashed_at IS NULL THEN rowid ELSE -rowid END"
  "                 FROM images WHERE hash = new.image_hash);"
  "END;"

  "CREATE TRIGGER tags_fts_update AFTER UPDATE OF name ON tags BEGIN"
  "  UPDATE images_fts SET tags ="
  "    (SELECT group_concat (t.name, ' ') FROM images i"
  "     JOIN image_tags it ON it.image_hash = i.hash JOIN tags t ON t.id = it.tag_id"
  "     WHERE i.rowid = abs (images_fts.rowid))"
  "  WHERE rowid IN (SELECT CASE WHEN i.trashed_at IS NULL THEN i.rowid ELSE -i.rowid END"
  "                  FROM image_tags it JOIN images i ON i.hash = it.image_hash"
  "                  WHERE it.tag_id = new.id);"
  "END;"

  /* No image has tags yet. */
  "INSERT INTO images_fts (rowid, prompt, model, tags)"
  "  SELECT CASE WHEN trashed_at IS NULL THEN rowid ELSE -rowid END, prompt, model, NULL"
  "  FROM images;"

  /* Every gallery query says whether it wants the trash or the rest. */
  "DROP INDEX images_created_at;"
  "DROP INDEX images_rating_created_at;"
  "DROP INDEX images_job_id;"
  "CREATE INDEX images_trashed_at_created_at ON images (trashed_at, created_at);"
  "CREATE INDEX images_trashed_at_rating_created_at ON images (trashed_at, rating, created_at);"
  "CREATE INDEX images_provider ON images (provider, trashed_at, created_at);"
  "CREATE INDEX images_model ON images (model, trashed_at, created_at);"
  "CREATE INDEX images_favourite ON images (favourite, trashed_at, created_at);"
  "CREATE INDEX images_job_id ON images (job_id, trashed_at, created_at);"
  "CREATE INDEX images_aspect ON images (width * 1.0 / height, trashed_at, created_at);"
  /* Tags name images by hash: this lists a tag's images in order without
   * reading a row. */
  "CREATE INDEX images_hash_trashed_at_created_at ON images (hash, trashed_at, created_at);"

  /* Statistics for the planner, as ANALYZE would write them for a large
   * library. Without them SQLite guesses that "trashed_at IS NULL" picks
   * a few rows and walks that index for every filter; and the ANALYZE
   * that PRAGMA optimize runs with analysis_limit at close samples too
   * few rows to do better (it finds "2 rows per trashed_at"). With a row
   * for every index of these tables and a row count far above the real
   * one, PRAGMA optimize leaves them alone, so the plans are the same on
   * every library. A migration that adds an index to one of these tables
   * adds its row here too (test-library.c checks). */
  "ANALYZE sqlite_schema;"
  "DELETE FROM sqlite_stat1 WHERE tbl IN ('images', 'image_tags', 'tags');"
  "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES"
  "  ('images', 'sqlite_autoindex_images_1', '1000000 1'),"
  "  ('images', 'images_trashed_at_created_at', '1000000 900000 1'),"
  "  ('images', 'images_trashed_at_rating_created_at', '1000000 900000 200000 1'),"
  "  ('images', 'images_provider', '1000000 300000 270000 1'),"
  "  ('images', 'images_model', '1000000 100000 90000 1'),"
  "  ('images', 'images_favourite', '1000000 500000 450000 1'),"
  "  ('images', 'images_job_id', '1000000 4 4 1'),"
  "  ('images', 'images_aspect', '1000000 1000 900 1'),"
  "  ('images', 'images_hash_trashed_at_created_at', '1000000 1 1 1'),"
  "  ('image_tags', 'image_tags', '3000000 3 1'),"
  "  ('image_tags', 'image_tags_tag_id', '3000000 30000'),"
  "  ('tags', 'sqlite_autoindex_tags_1', '1000 1');"
  "ANALYZE sqlite_schema;",

  /* 3: the editor's tables. Templates are versioned: every save adds a
   * version, jobs name the template and version they came from (columns
   * of migration 1) and their variable bindings, one row each so the
   * gallery can find the images of "subject=fox". A deleted template
   * keeps its rows (deleted_at), so its jobs still find it by name.
   * Prompt history holds each distinct prompt once with its last use;
   * model settings are the editor's last parameters per model; model
   * schemas cache what a provider said about a model's inputs. */
  "CREATE TABLE templates ("
  "  id              INTEGER PRIMARY KEY,"
  "  name            TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  current_version INTEGER NOT NULL DEFAULT 1,"
  "  created_at      INTEGER NOT NULL,"
  "  updated_at      INTEGER NOT NULL,"
  "  deleted_at      INTEGER"
  ");"

  "CREATE TABLE template_versions ("
  "  template_id INTEGER NOT NULL REFERENCES templates (id) ON DELETE CASCADE,"
  "  version     INTEGER NOT NULL,"
  "  body        TEXT NOT NULL,"                /* the prompt, with {{variables}} and {alternatives} */
  "  negative    TEXT NOT NULL DEFAULT '',"
  "  variables   TEXT NOT NULL DEFAULT '[]',"   /* JSON: [{"name", "default", "values": []}] */
  "  provider    TEXT,"
  "  model       TEXT,"
  "  params      TEXT,"                         /* JSON object */
  "  created_at  INTEGER NOT NULL,"
  "  PRIMARY KEY (template_id, version)"
  ") WITHOUT ROWID;"

  "CREATE TABLE job_bindings ("
  "  job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,"
  "  name   TEXT NOT NULL,"
  "  value  TEXT NOT NULL,"
  "  PRIMARY KEY (job_id, name)"
  ") WITHOUT ROWID;"
  "CREATE INDEX job_bindings_name_value ON job_bindings (name, value);"
  "CREATE INDEX jobs_template_id ON jobs (template_id, template_version);"

  "CREATE TABLE prompt_history ("
  "  id       INTEGER PRIMARY KEY,"
  "  prompt   TEXT NOT NULL,"
  "  negative TEXT NOT NULL DEFAULT '',"
  "  provider TEXT NOT NULL,"
  "  model    TEXT NOT NULL,"
  "  params   TEXT,"                            /* JSON object */
  "  uses     INTEGER NOT NULL DEFAULT 1,"
  "  used_at  INTEGER NOT NULL,"
  "  UNIQUE (prompt, negative, provider, model)"
  ");"
  "CREATE INDEX prompt_history_used_at ON prompt_history (used_at);"

  "CREATE TABLE model_settings ("
  "  provider   TEXT NOT NULL,"
  "  model      TEXT NOT NULL,"
  "  params     TEXT NOT NULL,"                 /* JSON object */
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (provider, model)"
  ") WITHOUT ROWID;"

  "CREATE TABLE model_schemas ("
  "  provider   TEXT NOT NULL,"
  "  model      TEXT NOT NULL,"
  "  version    TEXT,"
  "  params     TEXT NOT NULL,"                 /* JSON: the parameter descriptions */
  "  fetched_at INTEGER NOT NULL,"
  "  PRIMARY KEY (provider, model)"
  ") WITHOUT ROWID;",

  /* 4: accounts. Only what is not secret: the token of each is in the
   * keyring (EaselSecrets), never here. Names are unique across
   * providers, so a command can name an account alone; at most one
   * account per provider is its default. max_jobs 0 means the provider's
   * setting. */
  "CREATE TABLE accounts ("
  "  name       TEXT PRIMARY KEY COLLATE NOCASE,"
  "  provider   TEXT NOT NULL,"
  "  is_default INTEGER NOT NULL DEFAULT 0 CONSTRAINT account_default CHECK (is_default IN (0, 1)),"
  "  max_jobs   INTEGER NOT NULL DEFAULT 0 CONSTRAINT account_max_jobs CHECK (max_jobs BETWEEN 0 AND 50),"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE UNIQUE INDEX accounts_default ON accounts (provider) WHERE is_default = 1;",
};

#define LATEST_VERSION ((int) G_N_ELEMENTS (migrations))

typedef enum
{
  ITEM_RUN,
  ITEM_OPEN,
  ITEM_QUIT,
} ItemKind;

/* What a caller of a _sync function waits on, on its own stack. */
typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean done;
} SyncWait;

typedef struct
{
  ItemKind        kind;
  EaselStoreFunc  func;
  gpointer        data;
  GDestroyNotify  data_destroy;
  GDestroyNotify  result_destroy;
  GCancellable   *cancellable;
  GTask          *task;          /* async: completed on the task's context */
  SyncWait       *wait;          /* sync: the caller is blocked on it */
  gpointer        result;
  GError         *error;
} WorkItem;

/* The worker's state. The worker never sees the EaselStore itself. */
typedef struct
{
  GAsyncQueue *queue;
  char        *path;
  EaselDb     *db;               /* worker thread only */
  int          schema_version;   /* atomic */
} Worker;

struct _EaselStore
{
  GObject   parent_instance;

  char     *path;
  Worker   *worker;

  GMutex    mutex;               /* guards thread and closed */
  GThread  *thread;
  gboolean  closed;
};

G_DEFINE_FINAL_TYPE (EaselStore, easel_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static WorkItem *
work_item_new (ItemKind        kind,
               EaselStoreFunc  func,
               gpointer        data,
               GDestroyNotify  data_destroy,
               GDestroyNotify  result_destroy,
               GCancellable   *cancellable)
{
  WorkItem *item = g_new0 (WorkItem, 1);

  item->kind = kind;
  item->func = func;
  item->data = data;
  item->data_destroy = data_destroy;
  item->result_destroy = result_destroy;
  g_set_object (&item->cancellable, cancellable);
  return item;
}

static void
work_item_free (WorkItem *item)
{
  if (item->data_destroy != NULL)
    item->data_destroy (item->data);
  if (item->result != NULL && item->result_destroy != NULL)
    item->result_destroy (item->result);
  g_clear_object (&item->cancellable);
  g_clear_object (&item->task);
  g_clear_error (&item->error);
  g_free (item);
}

static void
work_item_discard_result (WorkItem *item)
{
  if (item->result != NULL && item->result_destroy != NULL)
    item->result_destroy (item->result);
  item->result = NULL;
}

/* Migrations */

static gboolean
query_int (EaselDb     *db,
           const char  *sql,
           gint64      *value,
           GError     **error)
{
  sqlite3_stmt *stmt = easel_db_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = easel_db_step (db, stmt, error);
  if (rc < 0)
    return FALSE;
  *value = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return TRUE;
}

/* user_version is a 32-bit integer in the database header. */
static void
set_too_new_error (GError     **error,
                   const char  *path,
                   int          version)
{
  g_set_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_TOO_NEW,
               _("The library “%s” was written by a newer version of Easel "
                 "(database version %d, this version knows up to %d). "
                 "Easel left it unchanged: update Easel to open it."),
               path, version, LATEST_VERSION);
}

/**
 * easel_store_get_n_migrations:
 *
 * Returns: the number of migrations, which is the schema version of a
 *   database this build has opened
 */
guint
easel_store_get_n_migrations (void)
{
  return G_N_ELEMENTS (migrations);
}

/**
 * easel_store_migrate_to:
 * @db: a connection
 * @version: the schema version wanted, from 0 to
 *   easel_store_get_n_migrations()
 * @error: return location for a #GError
 *
 * Applies the migrations that take @db from its current version up to
 * @version, each in its own transaction. It never goes back: a database at
 * @version or above is left as it is. Opening a store does this up to the
 * latest version; tests use it to build databases of earlier versions.
 *
 * Returns: %TRUE if @db is now at @version or above (but not newer than
 *   this build), %FALSE with @error set otherwise
 */
gboolean
easel_store_migrate_to (EaselDb  *db,
                        int       version,
                        GError  **error)
{
  gint64 current;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (version >= 0 && version <= LATEST_VERSION, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!query_int (db, "PRAGMA user_version", &current, error))
    return FALSE;

  if (current > LATEST_VERSION)
    {
      set_too_new_error (error, easel_db_get_path (db), (int) current);
      return FALSE;
    }

  for (int next = current + 1; next <= version; next++)
    {
      /* An integer of ours, not user data: formatting it is safe. */
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", next);

      if (!easel_db_begin (db, error) ||
          !easel_db_exec (db, migrations[next - 1], error) ||
          !easel_db_exec (db, set_version, error) ||
          !easel_db_commit (db, error))
        {
          easel_db_rollback (db);
          g_prefix_error (error, _("Could not upgrade the library to version %d: "), next);
          return FALSE;
        }
    }

  return TRUE;
}

/* The worker thread */

static void
explain_open_error (const char  *path,
                    GError     **error)
{
  char *message;

  if (error == NULL || *error == NULL)
    return;
  if ((*error)->domain == EASEL_STORE_ERROR && (*error)->code == EASEL_STORE_ERROR_TOO_NEW)
    return;

  g_prefix_error (error, _("Could not open the library “%s”: "), path);
  if (!g_error_matches (*error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_CORRUPT))
    return;

  message = g_strdup_printf ("%s. %s", (*error)->message,
                             _("Easel left the file unchanged: move it away to start a new "
                               "library, or restore it from a backup."));
  g_free ((*error)->message);
  (*error)->message = message;
}

static gboolean
worker_open_db (Worker  *worker,
                GError **error)
{
  g_autoptr(EaselDb) db = NULL;
  g_autofree char *dir = g_path_get_dirname (worker->path);
  sqlite3_stmt *stmt;
  gint64 version;
  gint64 foreign_keys;
  int saved_errno;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      saved_errno = errno;
      g_set_error (error, EASEL_STORE_ERROR,
                   saved_errno == EACCES || saved_errno == EPERM || saved_errno == EROFS
                   ? EASEL_STORE_ERROR_READONLY : EASEL_STORE_ERROR_FAILED,
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  db = easel_db_open (worker->path, error);
  if (db == NULL)
    return FALSE;

  sqlite3_busy_timeout (easel_db_get_handle (db), BUSY_TIMEOUT_MS);

  /* Read before anything is written: a file that is not a database fails
   * here, and one from a newer Easel is refused here, both untouched. */
  if (!query_int (db, "PRAGMA user_version", &version, error))
    return FALSE;
  if (version > LATEST_VERSION)
    {
      set_too_new_error (error, worker->path, (int) version);
      return FALSE;
    }

  /* WAL: readers never block the writer and a commit is one append.
   * synchronous=NORMAL is durable across application crashes in WAL mode;
   * only a power cut can lose the last transactions, never corrupt. */
  stmt = easel_db_prepare (db, "PRAGMA journal_mode = WAL", error);
  if (stmt == NULL || easel_db_step (db, stmt, error) < 0)
    return FALSE;
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "wal") != 0)
    g_warning ("%s cannot use write-ahead logging (journal mode %s): "
               "it may be on a network file system",
               worker->path, sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (!easel_db_exec (db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON", error) ||
      !query_int (db, "PRAGMA foreign_keys", &foreign_keys, error))
    return FALSE;
  if (foreign_keys != 1)
    {
      g_set_error_literal (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_FAILED,
                           "This SQLite library was built without foreign key support");
      return FALSE;
    }

  if (!easel_store_migrate_to (db, LATEST_VERSION, error))
    return FALSE;

  g_atomic_int_set (&worker->schema_version, LATEST_VERSION);
  worker->db = g_steal_pointer (&db);
  return TRUE;
}

static void
worker_open (Worker   *worker,
             WorkItem *item)
{
  if (worker->db != NULL || worker_open_db (worker, &item->error))
    item->result = GINT_TO_POINTER (TRUE);
  else
    explain_open_error (worker->path, &item->error);
}

static void
worker_run (Worker   *worker,
            WorkItem *item)
{
  if (worker->db == NULL)
    {
      g_set_error_literal (&item->error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_FAILED,
                           _("The library is not open."));
      return;
    }

  item->result = item->func (worker->db, item->data, &item->error);

  if (item->error != NULL && item->result != NULL)
    {
      g_critical ("An EaselStoreFunc returned a result and set an error: %s",
                  item->error->message);
      work_item_discard_result (item);
    }

  if (easel_db_in_transaction (worker->db))
    {
      if (item->error == NULL)
        {
          g_critical ("An EaselStoreFunc returned without ending its transaction");
          work_item_discard_result (item);
          g_set_error_literal (&item->error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_FAILED,
                               "The change was not saved: its transaction was left open");
        }
      easel_db_rollback (worker->db);
    }

  easel_db_release_statements (worker->db);
}

static void
worker_close (Worker *worker)
{
  g_autoptr(GError) error = NULL;

  if (worker->db == NULL)
    return;

  /* What SQLite advises before closing a long-lived connection; the limit
   * keeps it to milliseconds on a large library. */
  easel_db_release_statements (worker->db);
  if (!easel_db_exec (worker->db, "PRAGMA analysis_limit = 400; PRAGMA optimize", &error))
    g_debug ("PRAGMA optimize on %s: %s", worker->path, error->message);

  g_clear_pointer (&worker->db, easel_db_free);
}

static gboolean
complete_task_cb (gpointer user_data)
{
  WorkItem *item = user_data;
  GTask *task = g_steal_pointer (&item->task);
  GError *error = g_steal_pointer (&item->error);
  gpointer result = g_steal_pointer (&item->result);
  GDestroyNotify result_destroy = item->result_destroy;

  /* Here, on the caller's thread, the data and the task are let go. */
  work_item_free (item);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, result_destroy);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static void
complete_item (WorkItem *item)
{
  if (item->task != NULL)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, g_task_get_priority (item->task));
      g_source_set_callback (source, complete_task_cb, item, NULL);
      g_source_set_static_name (source, "[easel] store result");
      g_source_attach (source, g_task_get_context (item->task));
      g_source_unref (source);
    }
  else if (item->wait != NULL)
    {
      SyncWait *wait = item->wait;

      /* The caller owns the item from here on. */
      g_mutex_lock (&wait->mutex);
      wait->done = TRUE;
      g_cond_signal (&wait->cond);
      g_mutex_unlock (&wait->mutex);
    }
  else
    {
      work_item_free (item);
    }
}

static gpointer
worker_main (gpointer data)
{
  Worker *worker = data;
  gboolean quit = FALSE;

  while (!quit)
    {
      WorkItem *item = g_async_queue_pop (worker->queue);

      if (item->kind == ITEM_QUIT)
        {
          worker_close (worker);
          quit = TRUE;
        }
      else if (g_cancellable_set_error_if_cancelled (item->cancellable, &item->error))
        ;
      else if (item->kind == ITEM_OPEN)
        worker_open (worker, item);
      else
        worker_run (worker, item);

      complete_item (item);
    }

  return NULL;
}

/* Submitting work */

static gboolean
submit (EaselStore  *self,
        WorkItem    *item,
        GError     **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  if (self->closed)
    {
      g_set_error_literal (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_FAILED,
                           _("The library is closed."));
      return FALSE;
    }

  if (self->thread == NULL)
    self->thread = g_thread_try_new ("easel-store", worker_main, self->worker, error);
  if (self->thread == NULL)
    return FALSE;

  g_async_queue_push (self->worker->queue, item);
  return TRUE;
}

static gboolean
is_worker_thread (EaselStore *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  return self->thread != NULL && self->thread == g_thread_self ();
}

static void
submit_async (EaselStore          *self,
              ItemKind             kind,
              EaselStoreFunc       func,
              gpointer             data,
              GDestroyNotify       data_destroy,
              GDestroyNotify       result_destroy,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  WorkItem *item = work_item_new (kind, func, data, data_destroy, result_destroy, cancellable);
  GError *error = NULL;

  item->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (item->task, source_tag);
  /* Report what happened, even if cancelled while it ran: see the top. */
  g_task_set_check_cancellable (item->task, FALSE);

  if (!submit (self, item, &error))
    {
      GTask *task = g_steal_pointer (&item->task);

      work_item_free (item);
      g_task_return_error (task, error);
      g_object_unref (task);
    }
}

static gpointer
submit_sync (EaselStore      *self,
             ItemKind         kind,
             EaselStoreFunc   func,
             gpointer         data,
             GError         **error)
{
  WorkItem *item = work_item_new (kind, func, data, NULL, NULL, NULL);
  SyncWait wait = { 0 };
  gpointer result = NULL;

  g_mutex_init (&wait.mutex);
  g_cond_init (&wait.cond);
  item->wait = &wait;

  if (submit (self, item, error))
    {
      g_mutex_lock (&wait.mutex);
      while (!wait.done)
        g_cond_wait (&wait.cond, &wait.mutex);
      g_mutex_unlock (&wait.mutex);

      result = g_steal_pointer (&item->result);
      if (item->error != NULL)
        g_propagate_error (error, g_steal_pointer (&item->error));
    }

  work_item_free (item);
  g_cond_clear (&wait.cond);
  g_mutex_clear (&wait.mutex);
  return result;
}

/* The _finish of an operation whose item returns GINT_TO_POINTER (TRUE). */
static gboolean
finish_boolean (EaselStore    *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (EASEL_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, source_tag), FALSE);

  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

/* EaselStore */

static void
easel_store_constructed (GObject *object)
{
  EaselStore *self = EASEL_STORE (object);

  G_OBJECT_CLASS (easel_store_parent_class)->constructed (object);

  if (self->path == NULL)
    self->path = g_build_filename (g_get_user_data_dir (), "easel", "easel.db", NULL);

  self->worker = g_new0 (Worker, 1);
  self->worker->queue = g_async_queue_new ();
  self->worker->path = g_strdup (self->path);
}

static void
easel_store_dispose (GObject *object)
{
  easel_store_close (EASEL_STORE (object));

  G_OBJECT_CLASS (easel_store_parent_class)->dispose (object);
}

static void
easel_store_finalize (GObject *object)
{
  EaselStore *self = EASEL_STORE (object);

  /* Closed in dispose: the thread is joined and the queue is empty. */
  g_async_queue_unref (self->worker->queue);
  g_free (self->worker->path);
  g_free (self->worker);
  g_free (self->path);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (easel_store_parent_class)->finalize (object);
}

static void
easel_store_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  EaselStore *self = EASEL_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_store_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  EaselStore *self = EASEL_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_store_class_init (EaselStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = easel_store_constructed;
  object_class->dispose = easel_store_dispose;
  object_class->finalize = easel_store_finalize;
  object_class->get_property = easel_store_get_property;
  object_class->set_property = easel_store_set_property;

  /**
   * EaselStore:path:
   *
   * The database file. %NULL at construction means the default,
   * `$XDG_DATA_HOME/easel/easel.db`.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
easel_store_init (EaselStore *self)
{
  g_mutex_init (&self->mutex);
}

/**
 * easel_store_new:
 * @path: (nullable): the database file, or %NULL for
 *   `$XDG_DATA_HOME/easel/easel.db`
 *
 * Creates a store. Nothing is opened until easel_store_open_async() or
 * easel_store_open_sync().
 *
 * Returns: (transfer full): a new #EaselStore
 */
EaselStore *
easel_store_new (const char *path)
{
  return g_object_new (EASEL_TYPE_STORE, "path", path, NULL);
}

/**
 * easel_store_get_path:
 * @self: an #EaselStore
 *
 * Returns: the database file
 */
const char *
easel_store_get_path (EaselStore *self)
{
  g_return_val_if_fail (EASEL_IS_STORE (self), NULL);

  return self->path;
}

/**
 * easel_store_get_schema_version:
 * @self: an #EaselStore
 *
 * Returns: the schema version of the open database (the latest this build
 *   knows), or 0 until it has been opened
 */
int
easel_store_get_schema_version (EaselStore *self)
{
  g_return_val_if_fail (EASEL_IS_STORE (self), 0);

  return g_atomic_int_get (&self->worker->schema_version);
}

/**
 * easel_store_open_async:
 * @self: an #EaselStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the database is open
 * @user_data: data for @callback
 *
 * Opens the database on the store's thread, creating the file and its
 * folder if needed, switches it to write-ahead logging with foreign keys on
 * and upgrades its schema to the latest version.
 *
 * A database written by a newer Easel fails with
 * %EASEL_STORE_ERROR_TOO_NEW, a file that is not a database with
 * %EASEL_STORE_ERROR_CORRUPT; in both cases the file is not modified.
 * Opening an open store succeeds at once. Work submitted after this call
 * runs after the open.
 */
void
easel_store_open_async (EaselStore          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  submit_async (self, ITEM_OPEN, NULL, NULL, NULL, NULL,
                cancellable, callback, user_data, easel_store_open_async);
}

/**
 * easel_store_open_finish:
 * @self: an #EaselStore
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the database is open
 */
gboolean
easel_store_open_finish (EaselStore    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return finish_boolean (self, result, easel_store_open_async, error);
}

/**
 * easel_store_open_sync:
 * @self: an #EaselStore
 * @error: return location for a #GError
 *
 * Like easel_store_open_async(), but blocks until the database is open.
 * For the command line and tests, never for the main loop of the window.
 *
 * Returns: %TRUE if the database is open
 */
gboolean
easel_store_open_sync (EaselStore  *self,
                       GError     **error)
{
  g_return_val_if_fail (EASEL_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (!is_worker_thread (self), FALSE);

  return submit_sync (self, ITEM_OPEN, NULL, NULL, error) != NULL;
}

/**
 * easel_store_run_full_async:
 * @self: an #EaselStore
 * @func: (scope async): the work, run on the store's thread
 * @data: (nullable): data for @func
 * @data_destroy: (nullable): frees @data, on the calling thread, once done
 * @result_destroy: (nullable): frees a result of @func that is not
 *   collected with easel_store_run_finish()
 * @cancellable: (nullable): a #GCancellable; cancelling skips @func if it
 *   has not started, and does nothing once it has
 * @callback: called with the result on the thread-default main context of
 *   the calling thread
 * @user_data: data for @callback
 *
 * Queues @func behind all the work submitted before it, by any thread.
 * Work runs one item at a time, in the order it was submitted, so a read
 * queued after a write sees the write.
 */
void
easel_store_run_full_async (EaselStore          *self,
                            EaselStoreFunc       func,
                            gpointer             data,
                            GDestroyNotify       data_destroy,
                            GDestroyNotify       result_destroy,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_STORE (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  submit_async (self, ITEM_RUN, func, data, data_destroy, result_destroy,
                cancellable, callback, user_data, easel_store_run_async);
}

/**
 * easel_store_run_async:
 * @self: an #EaselStore
 * @func: (scope async): the work, run on the store's thread
 * @data: (nullable): data for @func
 * @data_destroy: (nullable): frees @data, on the calling thread, once done
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result on the thread-default main context of
 *   the calling thread
 * @user_data: data for @callback
 *
 * easel_store_run_full_async() for a @func whose result needs no freeing,
 * such as `GINT_TO_POINTER (TRUE)`.
 */
void
easel_store_run_async (EaselStore          *self,
                       EaselStoreFunc       func,
                       gpointer             data,
                       GDestroyNotify       data_destroy,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  easel_store_run_full_async (self, func, data, data_destroy, NULL,
                              cancellable, callback, user_data);
}

/**
 * easel_store_run_finish:
 * @self: an #EaselStore
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): what the #EaselStoreFunc returned,
 *   or %NULL with @error set
 */
gpointer
easel_store_run_finish (EaselStore    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (EASEL_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, easel_store_run_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * easel_store_run_sync:
 * @self: an #EaselStore
 * @func: (scope call): the work, run on the store's thread
 * @data: (nullable): data for @func, still the caller's
 * @error: return location for a #GError
 *
 * Queues @func like easel_store_run_async() and blocks until it has run.
 * It waits for the work queued before it, and the callbacks of that work
 * are only called once the calling thread's main context runs again. For
 * the command line and tests; must not be called from an #EaselStoreFunc.
 *
 * Returns: (transfer full) (nullable): what @func returned, or %NULL with
 *   @error set
 */
gpointer
easel_store_run_sync (EaselStore      *self,
                      EaselStoreFunc   func,
                      gpointer         data,
                      GError         **error)
{
  g_return_val_if_fail (EASEL_IS_STORE (self), NULL);
  g_return_val_if_fail (func != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (!is_worker_thread (self), NULL);

  return submit_sync (self, ITEM_RUN, func, data, error);
}

#define MAX_PROBLEMS 20

static gpointer
check_integrity_func (EaselDb  *db,
                      gpointer  data,
                      GError  **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *list = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = easel_db_prepare (db, "PRAGMA integrity_check (" G_STRINGIFY (MAX_PROBLEMS) ")", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = easel_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_ptr_array_add (problems, g_strdup (line));
    }
  if (rc < 0)
    return NULL;

  /* Rows whose foreign keys point nowhere, from a time foreign keys were off. */
  stmt = easel_db_prepare (db, "PRAGMA foreign_key_check", error);
  if (stmt == NULL)
    return NULL;
  while (problems->len < MAX_PROBLEMS && (rc = easel_db_step (db, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (problems,
                     g_strdup_printf ("row %" G_GINT64_FORMAT " of %s refers to "
                                      "a missing row of %s",
                                      (gint64) sqlite3_column_int64 (stmt, 1),
                                      sqlite3_column_text (stmt, 0),
                                      sqlite3_column_text (stmt, 2)));
  if (rc < 0)
    return NULL;

  if (problems->len == 0)
    return GINT_TO_POINTER (TRUE);

  g_ptr_array_add (problems, NULL);
  list = g_strjoinv ("; ", (char **) problems->pdata);
  g_set_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_CORRUPT,
               _("The library database “%s” is damaged: %s"), easel_db_get_path (db), list);
  return NULL;
}

/**
 * easel_store_check_integrity_async:
 * @self: an #EaselStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the check is done
 * @user_data: data for @callback
 *
 * Checks the whole database (`PRAGMA integrity_check` and
 * `PRAGMA foreign_key_check`) on the store's thread. This reads every page,
 * so it takes a while on a large library; other work waits behind it.
 */
void
easel_store_check_integrity_async (EaselStore          *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (EASEL_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  submit_async (self, ITEM_RUN, check_integrity_func, NULL, NULL, NULL,
                cancellable, callback, user_data, easel_store_check_integrity_async);
}

/**
 * easel_store_check_integrity_finish:
 * @self: an #EaselStore
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the database is sound; %FALSE with
 *   %EASEL_STORE_ERROR_CORRUPT and the first problems found, or another
 *   error if the check could not run
 */
gboolean
easel_store_check_integrity_finish (EaselStore    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return finish_boolean (self, result, easel_store_check_integrity_async, error);
}

/**
 * easel_store_close:
 * @self: an #EaselStore
 *
 * Runs the work already queued, closes the database and stops the store's
 * thread, blocking until that is done. The callbacks of the queued work
 * still come, from the main context. Later work fails with
 * %EASEL_STORE_ERROR_FAILED. Closing a closed store does nothing; disposing
 * the store closes it.
 */
void
easel_store_close (EaselStore *self)
{
  GThread *thread;

  g_return_if_fail (EASEL_IS_STORE (self));
  g_return_if_fail (!is_worker_thread (self));

  g_mutex_lock (&self->mutex);
  thread = g_steal_pointer (&self->thread);
  if (!self->closed && thread != NULL)
    g_async_queue_push (self->worker->queue,
                        work_item_new (ITEM_QUIT, NULL, NULL, NULL, NULL, NULL));
  self->closed = TRUE;
  g_mutex_unlock (&self->mutex);

  if (thread != NULL)
    g_thread_join (thread);
}
