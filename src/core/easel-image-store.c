/* easel-image-store.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The library's originals, content-addressed: a file is named by the
 * SHA-256 of its bytes, under a two-level fan-out ("ab/cd/abcd….png") so
 * that no folder grows past a few thousand entries at 100,000+ images. The
 * extension comes from the sniffed content, never from a server.
 *
 * Writing follows DESIGN.md rule 2: the bytes go to a temp file in the root
 * (the same filesystem as their final place), are fsync'd, and the file is
 * renamed into place, after which its folder is fsync'd too. A crash at any
 * moment leaves either no file or a complete one (at worst a stray
 * ".incoming-*" temp file in the root, never a half-written image under a
 * hash name). Importing bytes that are already stored is a no-op.
 *
 * The blocking functions are for worker threads: they touch nothing but
 * the immutable root and the file system, so any number may run at once. */

#include "config.h"

#include "easel-image-store.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "easel-error.h"

#define SHA256_HEX_LENGTH 64
#define MAX_EXTENSION_LENGTH 8
#define WRITE_CHUNK (1024 * 1024)
#define TEMP_TEMPLATE ".incoming-XXXXXX"

struct _EaselImageStore
{
  GObject  parent_instance;

  char    *root;
};

enum {
  PROP_0,
  PROP_ROOT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (EaselImageStore, easel_image_store, G_TYPE_OBJECT)

/* Names */

static gboolean
is_sha256_hex (const char *text,
               gsize       length)
{
  if (length != SHA256_HEX_LENGTH)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
      return FALSE;
  return TRUE;
}

static gboolean
is_extension (const char *text,
              gsize       length)
{
  if (length == 0 || length > MAX_EXTENSION_LENGTH)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]) && !g_ascii_islower (text[i]))
      return FALSE;
  return TRUE;
}

/**
 * easel_image_store_is_hash:
 * @text: (nullable): a string, say from a stored job spec
 *
 * Returns: whether @text is a SHA-256 as the store names files by: 64
 *   lowercase hex digits
 */
gboolean
easel_image_store_is_hash (const char *text)
{
  return text != NULL && is_sha256_hex (text, strlen (text));
}

/**
 * easel_image_store_build_relative_path:
 * @sha256_hex: the SHA-256 of the file's bytes, as 64 lowercase hex digits
 * @extension: the extension of the sniffed type ("png"), lowercase letters
 *   and digits only
 *
 * Returns: (transfer full): the path of that file below the root, such as
 *   "ab/cd/abcd….png"
 */
char *
easel_image_store_build_relative_path (const char *sha256_hex,
                                       const char *extension)
{
  g_return_val_if_fail (sha256_hex != NULL && is_sha256_hex (sha256_hex, strlen (sha256_hex)), NULL);
  g_return_val_if_fail (extension != NULL && is_extension (extension, strlen (extension)), NULL);

  return g_strdup_printf ("%.2s/%.2s/%s.%s", sha256_hex, sha256_hex + 2, sha256_hex, extension);
}

/**
 * easel_image_store_is_relative_path:
 * @relative: (nullable): a path below the root, say from the database
 *
 * Whether @relative is exactly what easel_image_store_build_relative_path()
 * makes. Everything else — absolute paths, "..", other folders, upper
 * case, missing or odd extensions — is refused, so a corrupt or hostile
 * value can never name a file outside the store.
 *
 * Returns: %TRUE if @relative is a store path
 */
gboolean
easel_image_store_is_relative_path (const char *relative)
{
  const char *hash;
  const char *dot;

  if (relative == NULL)
    return FALSE;

  /* "ab/cd/" + 64 hex digits + "." + extension */
  if (strlen (relative) < 6 + SHA256_HEX_LENGTH + 2 ||
      relative[2] != '/' || relative[5] != '/')
    return FALSE;

  hash = relative + 6;
  dot = hash + SHA256_HEX_LENGTH;
  return is_sha256_hex (hash, SHA256_HEX_LENGTH) &&
         *dot == '.' &&
         is_extension (dot + 1, strlen (dot + 1)) &&
         memcmp (relative, hash, 2) == 0 &&
         memcmp (relative + 3, hash + 2, 2) == 0;
}

/* The store */

/**
 * easel_image_store_new:
 * @root: (nullable): the folder of the originals; %NULL for
 *   `$XDG_DATA_HOME/easel/images`
 *
 * Creates a store. Nothing is created on disk until the first import,
 * which makes the root (mode 0700) if it is missing.
 *
 * Returns: (transfer full): a store
 */
EaselImageStore *
easel_image_store_new (const char *root)
{
  return g_object_new (EASEL_TYPE_IMAGE_STORE, "root", root, NULL);
}

/**
 * easel_image_store_get_root:
 * @self: a store
 *
 * Returns: the absolute path of the root folder
 */
const char *
easel_image_store_get_root (EaselImageStore *self)
{
  g_return_val_if_fail (EASEL_IS_IMAGE_STORE (self), NULL);

  return self->root;
}

/**
 * easel_image_store_dup_path:
 * @self: a store
 * @relative: (nullable): a path made by easel_image_store_build_relative_path()
 *
 * Returns: (transfer full) (nullable): the absolute path of the file, or
 *   %NULL when @relative is not a store path (see
 *   easel_image_store_is_relative_path())
 */
char *
easel_image_store_dup_path (EaselImageStore *self,
                            const char      *relative)
{
  g_return_val_if_fail (EASEL_IS_IMAGE_STORE (self), NULL);

  if (!easel_image_store_is_relative_path (relative))
    return NULL;
  return g_build_filename (self->root, relative, NULL);
}

static gboolean
set_io_error (GError     **error,
              int          saved_errno,
              const char  *path)
{
  /* Translators: the first %s is a file or folder, the second the system's reason */
  g_set_error (error, EASEL_ERROR, EASEL_ERROR_FAILED, _("Cannot save the image in “%s”: %s"),
               path, g_strerror (saved_errno));
  return FALSE;
}

/* Creates @path (0700) if it is missing. Returns whether it had to. */
static gboolean
ensure_dir (const char  *path,
            gboolean    *created,
            GError     **error)
{
  if (g_mkdir (path, 0700) == 0)
    {
      *created = TRUE;
      return TRUE;
    }
  if (errno == EEXIST && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      *created = FALSE;
      return TRUE;
    }
  return set_io_error (error, errno, path);
}

static gboolean
ensure_root (EaselImageStore  *self,
             GError          **error)
{
  if (g_mkdir_with_parents (self->root, 0700) != 0)
    return set_io_error (error, errno, self->root);
  return TRUE;
}

/* A rename is durable only once the folder holding the new name is on
 * disk too. Some file systems cannot fsync a folder; that is not worth
 * failing an import for. */
static void
sync_dir (const char *path)
{
  int fd = g_open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    return;
  if (fsync (fd) != 0)
    g_debug ("Cannot sync the folder %s: %s", path, g_strerror (errno));
  close (fd);
}

static gboolean
write_all (int            fd,
           const guint8  *data,
           gsize          length,
           GCancellable  *cancellable,
           GError       **error)
{
  while (length > 0)
    {
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      n = write (fd, data, MIN (length, (gsize) WRITE_CHUNK));
      if (n < 0 && errno == EINTR)
        continue;
      if (n == 0)
        errno = ENOSPC;
      if (n <= 0)
        return FALSE;
      data += n;
      length -= (gsize) n;
    }
  return TRUE;
}

/**
 * easel_image_store_write_temp:
 * @self: a store
 * @bytes: the content
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes @bytes to a new temp file in the root (mode 0600) and flushes it
 * to disk. On any error or cancellation the temp file is removed. Blocks:
 * call it from a worker thread.
 *
 * Returns: (transfer full): the temp file, for
 *   easel_image_store_import_file()
 */
GFile *
easel_image_store_write_temp (EaselImageStore  *self,
                              GBytes           *bytes,
                              GCancellable     *cancellable,
                              GError          **error)
{
  g_autofree char *path = NULL;
  GError *local_error = NULL;
  gsize length;
  const guint8 *data;
  int fd;

  g_return_val_if_fail (EASEL_IS_IMAGE_STORE (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  if (!ensure_root (self, error))
    return NULL;

  path = g_build_filename (self->root, TEMP_TEMPLATE, NULL);
  fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_io_error (error, errno, self->root);
      return NULL;
    }

  data = g_bytes_get_data (bytes, &length);
  if (!write_all (fd, data, length, cancellable, &local_error) || fsync (fd) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (path);
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        set_io_error (error, saved_errno, self->root);
      return NULL;
    }

  if (close (fd) != 0)
    {
      set_io_error (error, errno, self->root);
      g_unlink (path);
      return NULL;
    }

  return g_file_new_for_path (path);
}

/* Makes "ab" and "ab/cd" below the root, and syncs every folder that got a
 * new entry. */
static gboolean
ensure_fanout (EaselImageStore  *self,
               const char       *relative,
               char            **out_dir,
               GError          **error)
{
  g_autofree char *first = g_strndup (relative, 2);
  g_autofree char *second = g_strndup (relative + 3, 2);
  g_autofree char *first_path = g_build_filename (self->root, first, NULL);
  g_autofree char *second_path = g_build_filename (first_path, second, NULL);
  gboolean created_first, created_second;

  if (!ensure_root (self, error) ||
      !ensure_dir (first_path, &created_first, error) ||
      !ensure_dir (second_path, &created_second, error))
    return FALSE;

  if (created_first)
    sync_dir (self->root);
  if (created_second)
    sync_dir (first_path);

  *out_dir = g_steal_pointer (&second_path);
  return TRUE;
}

/**
 * easel_image_store_import_file:
 * @self: a store
 * @temp_file: a complete, flushed file directly in the root, such as
 *   easel_image_store_write_temp() makes
 * @sha256_hex: the SHA-256 of its bytes, as the caller verified them
 * @extension: the extension of its sniffed type
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Moves @temp_file to its content address with one rename on the same file
 * system. When a file of that hash and size is already stored, @temp_file
 * is dropped instead: the store already holds those bytes. On error or
 * cancellation @temp_file is removed and nothing else changes. Blocks:
 * call it from a worker thread, or use
 * easel_image_store_import_file_async().
 *
 * Returns: (transfer full): the relative path of the stored file
 */
char *
easel_image_store_import_file (EaselImageStore  *self,
                               GFile            *temp_file,
                               const char       *sha256_hex,
                               const char       *extension,
                               GCancellable     *cancellable,
                               GError          **error)
{
  g_autofree char *relative = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *temp_dir = NULL;
  g_autofree char *target = NULL;
  const char *temp_path;
  GStatBuf temp_stat, target_stat;

  g_return_val_if_fail (EASEL_IS_IMAGE_STORE (self), NULL);
  g_return_val_if_fail (G_IS_FILE (temp_file), NULL);
  g_return_val_if_fail (g_file_peek_path (temp_file) != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  relative = easel_image_store_build_relative_path (sha256_hex, extension);
  g_return_val_if_fail (relative != NULL, NULL);

  temp_path = g_file_peek_path (temp_file);
  temp_dir = g_path_get_dirname (temp_path);
  if (!g_str_equal (temp_dir, self->root))
    {
      /* Not ours to remove; and a rename from elsewhere may cross file systems. */
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_FAILED,
                   _("Cannot import “%s”: it is not in the image folder"), temp_path);
      return NULL;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !ensure_fanout (self, relative, &dir, error))
    goto fail;

  if (g_stat (temp_path, &temp_stat) != 0)
    {
      set_io_error (error, errno, temp_path);
      goto fail;
    }

  target = g_build_filename (self->root, relative, NULL);
  if (g_lstat (target, &target_stat) == 0 && S_ISREG (target_stat.st_mode) &&
      target_stat.st_size == temp_stat.st_size)
    {
      /* Content addressing: the same name means the same bytes. */
      g_unlink (temp_path);
      return g_steal_pointer (&relative);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;

  /* Replaces a damaged file of the wrong size, if there is one. */
  if (g_rename (temp_path, target) != 0)
    {
      set_io_error (error, errno, dir);
      goto fail;
    }
  sync_dir (dir);
  return g_steal_pointer (&relative);

fail:
  g_unlink (temp_path);
  return NULL;
}

/**
 * easel_image_store_import_bytes:
 * @self: a store
 * @bytes: verified content
 * @sha256_hex: the SHA-256 of @bytes
 * @extension: the extension of their sniffed type
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * easel_image_store_write_temp() then easel_image_store_import_file().
 * Blocks: call it from a worker thread.
 *
 * Returns: (transfer full): the relative path of the stored file
 */
char *
easel_image_store_import_bytes (EaselImageStore  *self,
                                GBytes           *bytes,
                                const char       *sha256_hex,
                                const char       *extension,
                                GCancellable     *cancellable,
                                GError          **error)
{
  g_autoptr(GFile) temp = NULL;

  g_return_val_if_fail (EASEL_IS_IMAGE_STORE (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  temp = easel_image_store_write_temp (self, bytes, cancellable, error);
  if (temp == NULL)
    return NULL;
  return easel_image_store_import_file (self, temp, sha256_hex, extension, cancellable, error);
}

typedef struct
{
  GFile *temp_file;
  char  *sha256_hex;
  char  *extension;
} ImportData;

static void
import_data_free (gpointer data)
{
  ImportData *import = data;

  g_object_unref (import->temp_file);
  g_free (import->sha256_hex);
  g_free (import->extension);
  g_free (import);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *import = task_data;
  GError *error = NULL;
  char *relative;

  relative = easel_image_store_import_file (source_object, import->temp_file, import->sha256_hex,
                                            import->extension, cancellable, &error);
  if (relative == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, relative, g_free);
}

/**
 * easel_image_store_import_file_async:
 * @self: a store
 * @temp_file: see easel_image_store_import_file()
 * @sha256_hex: the SHA-256 of its bytes
 * @extension: the extension of its sniffed type
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Runs easel_image_store_import_file() on a worker thread.
 */
void
easel_image_store_import_file_async (EaselImageStore     *self,
                                     GFile               *temp_file,
                                     const char          *sha256_hex,
                                     const char          *extension,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *import;

  g_return_if_fail (EASEL_IS_IMAGE_STORE (self));
  g_return_if_fail (G_IS_FILE (temp_file));
  g_return_if_fail (sha256_hex != NULL && is_sha256_hex (sha256_hex, strlen (sha256_hex)));
  g_return_if_fail (extension != NULL && is_extension (extension, strlen (extension)));

  import = g_new0 (ImportData, 1);
  import->temp_file = g_object_ref (temp_file);
  import->sha256_hex = g_strdup (sha256_hex);
  import->extension = g_strdup (extension);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_image_store_import_file_async);
  g_task_set_task_data (task, import, import_data_free);
  /* Once the file is in place, report it even if cancelled meanwhile. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, import_thread);
}

/**
 * easel_image_store_import_file_finish:
 * @self: a store
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the relative path of the stored file
 */
char *
easel_image_store_import_file_finish (EaselImageStore  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (EASEL_IS_IMAGE_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
easel_image_store_finalize (GObject *object)
{
  EaselImageStore *self = EASEL_IMAGE_STORE (object);

  g_free (self->root);

  G_OBJECT_CLASS (easel_image_store_parent_class)->finalize (object);
}

static void
easel_image_store_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EaselImageStore *self = EASEL_IMAGE_STORE (object);

  switch (prop_id)
    {
    case PROP_ROOT:
      g_value_set_string (value, self->root);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_image_store_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EaselImageStore *self = EASEL_IMAGE_STORE (object);

  switch (prop_id)
    {
    case PROP_ROOT:
      /* Absolute and without "." or "..", so the temp files' folder can be
       * compared with it as a string. */
      {
        g_autofree char *root = g_value_dup_string (value);

        if (root == NULL)
          root = g_build_filename (g_get_user_data_dir (), "easel", "images", NULL);
        self->root = g_canonicalize_filename (root, NULL);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_image_store_class_init (EaselImageStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = easel_image_store_finalize;
  object_class->get_property = easel_image_store_get_property;
  object_class->set_property = easel_image_store_set_property;

  /**
   * EaselImageStore:root:
   *
   * The folder of the originals; %NULL at construction for
   * `$XDG_DATA_HOME/easel/images`.
   */
  properties[PROP_ROOT] =
    g_param_spec_string ("root", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
easel_image_store_init (EaselImageStore *self)
{
}
