/* easel-file-content.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What a drag of gallery images offers: the original files (a GdkFileList,
 * which GTK serialises as text/uri-list and for the file transfer portal)
 * and, for a single image, the image itself under its own MIME type, so
 * that an image editor or a chat window gets the picture and GTK
 * applications can drop it as a texture.
 *
 * The image is not decoded for that: the original file already is an
 * image/png (or JPEG, WebP…) and its bytes are copied to the receiver
 * asynchronously, only if the receiver asks for that type. */

#include "config.h"

#include "easel-file-content.h"

#define EASEL_TYPE_FILE_BYTES_PROVIDER (easel_file_bytes_provider_get_type ())

G_DECLARE_FINAL_TYPE (EaselFileBytesProvider, easel_file_bytes_provider,
                      EASEL, FILE_BYTES_PROVIDER, GdkContentProvider)

struct _EaselFileBytesProvider
{
  GdkContentProvider  parent_instance;

  GFile              *file;
  char               *mime_type;
};

G_DEFINE_FINAL_TYPE (EaselFileBytesProvider, easel_file_bytes_provider, GDK_TYPE_CONTENT_PROVIDER)

static GdkContentFormats *
easel_file_bytes_provider_ref_formats (GdkContentProvider *provider)
{
  EaselFileBytesProvider *self = EASEL_FILE_BYTES_PROVIDER (provider);

  return gdk_content_formats_new ((const char *[]) { self->mime_type }, 1);
}

static void
spliced_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (object), result, &error) < 0)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GFileInputStream) input = NULL;
  GError *error = NULL;

  input = g_file_read_finish (G_FILE (object), result, &error);
  if (input == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_output_stream_splice_async (g_task_get_task_data (task), G_INPUT_STREAM (input),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE,
                                g_task_get_priority (task),
                                g_task_get_cancellable (task),
                                spliced_cb, g_object_ref (task));
}

static void
easel_file_bytes_provider_write_mime_type_async (GdkContentProvider  *provider,
                                                 const char          *mime_type,
                                                 GOutputStream       *stream,
                                                 int                  io_priority,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data)
{
  EaselFileBytesProvider *self = EASEL_FILE_BYTES_PROVIDER (provider);
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_file_bytes_provider_write_mime_type_async);
  g_task_set_priority (task, io_priority);
  g_task_set_task_data (task, g_object_ref (stream), g_object_unref);

  if (g_strcmp0 (mime_type, self->mime_type) != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "Cannot provide the image as %s", mime_type);
      return;
    }

  g_file_read_async (self->file, io_priority, cancellable, read_cb, g_steal_pointer (&task));
}

static gboolean
easel_file_bytes_provider_write_mime_type_finish (GdkContentProvider  *provider,
                                                  GAsyncResult        *result,
                                                  GError             **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
easel_file_bytes_provider_finalize (GObject *object)
{
  EaselFileBytesProvider *self = EASEL_FILE_BYTES_PROVIDER (object);

  g_clear_object (&self->file);
  g_free (self->mime_type);

  G_OBJECT_CLASS (easel_file_bytes_provider_parent_class)->finalize (object);
}

static void
easel_file_bytes_provider_class_init (EaselFileBytesProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GdkContentProviderClass *provider_class = GDK_CONTENT_PROVIDER_CLASS (klass);

  object_class->finalize = easel_file_bytes_provider_finalize;

  provider_class->ref_formats = easel_file_bytes_provider_ref_formats;
  provider_class->write_mime_type_async = easel_file_bytes_provider_write_mime_type_async;
  provider_class->write_mime_type_finish = easel_file_bytes_provider_write_mime_type_finish;
}

static void
easel_file_bytes_provider_init (EaselFileBytesProvider *self)
{
}

/**
 * easel_file_content_new:
 * @files: (array length=n_files): the original files
 * @n_files: how many
 * @mime_type: (nullable): the MIME type of the only file, to offer its
 *   bytes as that type too
 *
 * Returns: (transfer full): what a drag of @files offers
 */
GdkContentProvider *
easel_file_content_new (GFile * const *files,
                        guint          n_files,
                        const char    *mime_type)
{
  GdkFileList *list;
  GdkContentProvider *providers[2];
  guint n_providers = 0;

  g_return_val_if_fail (files != NULL || n_files == 0, NULL);

  /* GdkFileList is a boxed type without an autoptr in GTK 4.8. */
  list = gdk_file_list_new_from_array ((GFile **) files, n_files);
  providers[n_providers++] = gdk_content_provider_new_typed (GDK_TYPE_FILE_LIST, list);
  g_boxed_free (GDK_TYPE_FILE_LIST, list);

  if (n_files == 1 && mime_type != NULL && g_str_has_prefix (mime_type, "image/"))
    {
      EaselFileBytesProvider *bytes = g_object_new (EASEL_TYPE_FILE_BYTES_PROVIDER, NULL);

      bytes->file = g_object_ref (files[0]);
      bytes->mime_type = g_strdup (mime_type);
      providers[n_providers++] = GDK_CONTENT_PROVIDER (bytes);
    }

  return gdk_content_provider_new_union (providers, n_providers);
}
