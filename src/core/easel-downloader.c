/* easel-downloader.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Fetches provider outputs into the image store, at once: Replicate deletes
 * them after an hour and Discord links expire in about a day
 * (providers.md §1.9, §3.2).
 *
 * A URL comes from a server, so it is checked before anything is sent:
 * absolute http(s) only, plain http only to loopback, no credentials, no
 * "." or ".." path segments (GUri would quietly resolve them). Nothing the
 * server names — path, query, Content-Disposition — ever becomes a file
 * name: the file is named by the SHA-256 of its bytes and the extension of
 * the type sniffed from them.
 *
 * Each download is an idempotent GET through EaselHttpClient (retries with
 * backoff and Retry-After, a size cap). At most max_concurrent downloads
 * hold a slot, from the request until the file is stored, which also
 * bounds the memory held in bodies; the others wait in FIFO order.
 *
 * The body is then checked on a worker thread, never on the main loop:
 * its type by magic bytes, its structure (a PNG must reach IEND, a JPEG
 * EOI, a WebP its RIFF length, an MP4 must hold a moov box: gdk-pixbuf
 * happily decodes half an image), its pixel count (before decoding, so a
 * small file cannot claim gigabytes), and for images an actual decode with
 * the gdk-pixbuf loader of the sniffed type (by MIME type from the loaders
 * themselves, not from the shared MIME database; see easel-media-check.c,
 * which the thumbnailer and `easel verify` share). Only then is it hashed,
 * written to a temp file in the store's root, fsync'd and renamed into
 * place (see EaselImageStore). Whatever fails leaves nothing behind. */

#include "config.h"

#include "easel-downloader.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>

#include "easel-error.h"
#include "easel-image-type.h"
#include "easel-json.h"
#include "easel-media-check.h"
#include "easel-redact.h"

/* Cloudflare in front of cdn.midjourney.com turns away clients that do not
 * look like browsers (providers.md §1.9). */
#define BROWSER_USER_AGENT \
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"

static const char *const browser_hosts[] = {
  "cdn.midjourney.com",
  "cdn.discordapp.com",
  "media.discordapp.net",
};

/* The emulator mirrors those hosts at http://127.0.0.1:PORT/_emulator/<host>/… */
#define EMULATOR_PREFIX "/_emulator/"

struct _EaselDownloader
{
  GObject          parent_instance;

  EaselImageStore *store;
  EaselHttpClient *client;            /* https:// */
  EaselHttpClient *loopback_client;   /* http(s) to this computer: never proxied */
  guint            max_concurrent;
  gsize            max_size;
  guint            n_active;
  GQueue           waiting;   /* GTask, owned */
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_MAX_CONCURRENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (EaselDownloader, easel_downloader, G_TYPE_OBJECT)

/* Stored files */

G_DEFINE_BOXED_TYPE (EaselStoredFile, easel_stored_file, easel_stored_file_ref, easel_stored_file_unref)

/**
 * easel_stored_file_ref:
 * @self: a stored file
 *
 * Returns: (transfer full): @self
 */
EaselStoredFile *
easel_stored_file_ref (EaselStoredFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * easel_stored_file_unref:
 * @self: (transfer full): a stored file
 */
void
easel_stored_file_unref (EaselStoredFile *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->hash);
  g_free (self->relative_path);
  g_free (self->mime);
  g_free (self);
}

/* URLs */

/* Whether a path segment, once unescaped, is "." or ".." or holds a NUL. */
static gboolean
is_hostile_segment (const char *segment,
                    gsize       length)
{
  g_autofree char *raw = g_strndup (segment, length);
  g_autofree char *unescaped = g_uri_unescape_string (raw, NULL);

  return unescaped == NULL ||   /* an escaped NUL, or a broken escape */
         g_str_equal (unescaped, ".") ||
         g_str_equal (unescaped, "..");
}

static gboolean
has_dot_segments (const char *url)
{
  g_autofree char *path = NULL;
  const char *segment;

  /* g_uri_split() keeps the path as written; g_uri_parse() resolves it. */
  if (!g_uri_split (url, G_URI_FLAGS_ENCODED, NULL, NULL, NULL, NULL, &path, NULL, NULL, NULL))
    return TRUE;

  segment = path;
  while (segment != NULL)
    {
      const char *slash = strchr (segment, '/');
      gsize length = slash ? (gsize) (slash - segment) : strlen (segment);

      if (is_hostile_segment (segment, length))
        return TRUE;
      segment = slash ? slash + 1 : NULL;
    }
  return FALSE;
}

/* The URL as logs and messages may show it: without credentials, query
 * and fragment, account-identifying parts hashed, and short. */
static char *
dup_log_url (const char *url)
{
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autofree char *bare = NULL;
  int port = -1;

  if (g_uri_split (url, G_URI_FLAGS_ENCODED, &scheme, NULL, &host, &port, &path, NULL, NULL, NULL) &&
      scheme != NULL && host != NULL)
    bare = g_uri_join (G_URI_FLAGS_ENCODED, scheme, NULL, host, port, path, NULL, NULL);
  else
    bare = g_utf8_make_valid (url, MIN (strlen (url), (gsize) 64));

  return easel_redact_url (bare);
}

/**
 * easel_downloader_check_url:
 * @url: an address from a server, or one the user gave
 * @error: return location for a #GError
 *
 * Whether Easel may fetch @url: an absolute https:// URL (http:// only to
 * this computer), without a user name or password, whose path has no "."
 * or ".." segments (GUri would quietly resolve them). The messages show
 * the address without its query, so no signature reaches them.
 *
 * Returns: %TRUE if @url may be fetched, else %FALSE with
 *   %EASEL_ERROR_INSECURE_URL
 */
gboolean
easel_downloader_check_url (const char  *url,
                            GError     **error)
{
  g_autofree char *log_url = NULL;

  g_return_val_if_fail (url != NULL, FALSE);

  log_url = dup_log_url (url);
  if (!easel_json_is_http_url (url))
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INSECURE_URL,
                   _("“%s” is not a web address"), log_url);
      return FALSE;
    }
  if (!easel_http_check_url (url, NULL))
    {
      /* Its message would hold the whole URL, signature and all. */
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INSECURE_URL,
                   _("“%s” cannot be used: only https:// addresses without a user name or "
                     "password are allowed (and http:// to this computer)"), log_url);
      return FALSE;
    }
  if (has_dot_segments (url))
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INSECURE_URL,
                   _("The path of “%s” climbs out of its folder"), log_url);
      return FALSE;
    }
  return TRUE;
}

/* Refuses @url before any traffic. Returns its host. */
static char *
check_url (const char  *url,
           GError     **error)
{
  g_autoptr(GUri) uri = NULL;

  if (!easel_downloader_check_url (url, error))
    {
      g_prefix_error (error, _("Refusing to download: "));
      return NULL;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  return g_strdup (g_uri_get_host (uri));
}

static gboolean
wants_browser_headers (const char *url,
                       const char *host)
{
  g_autofree char *emulated = NULL;

  if (easel_http_url_is_loopback (url))
    {
      g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
      const char *path = g_uri_get_path (uri);
      const char *start, *end;

      if (!g_str_has_prefix (path, EMULATOR_PREFIX))
        return FALSE;
      start = path + strlen (EMULATOR_PREFIX);
      end = strchr (start, '/');
      host = emulated = end ? g_strndup (start, (gsize) (end - start)) : g_strdup (start);
    }

  for (guint i = 0; i < G_N_ELEMENTS (browser_hosts); i++)
    if (g_ascii_strcasecmp (host, browser_hosts[i]) == 0)
      return TRUE;
  return FALSE;
}

/* One download */

typedef struct
{
  char              *url;
  char              *log_url;
  char              *host;
  EaselDownloadKind  kind;
  gsize              max_size;
  EaselImageStore   *store;
  GBytes            *body;
  GSource           *cancel_source;   /* while waiting for a slot */
} Fetch;

static void
fetch_free (gpointer data)
{
  Fetch *fetch = data;

  g_free (fetch->url);
  g_free (fetch->log_url);
  g_free (fetch->host);
  g_clear_object (&fetch->store);
  g_clear_pointer (&fetch->body, g_bytes_unref);
  if (fetch->cancel_source != NULL)
    g_source_destroy (fetch->cancel_source);
  g_clear_pointer (&fetch->cancel_source, g_source_unref);
  g_free (fetch);
}

static gboolean
decode (const Fetch  *fetch,
        const char   *mime,
        guint        *width,
        guint        *height,
        GError      **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  GdkPixbufAnimation *animation;

  loader = easel_media_decode (fetch->body, mime, 0, &local_error);
  if (loader == NULL)
    {
      if (g_error_matches (local_error, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                     _("The image from %s cannot be read: %s"), fetch->host, local_error->message);
      return FALSE;
    }

  animation = gdk_pixbuf_loader_get_animation (loader);
  *width = (guint) gdk_pixbuf_animation_get_width (animation);
  *height = (guint) gdk_pixbuf_animation_get_height (animation);
  return TRUE;
}

static EaselStoredFile *
verify_and_store (const Fetch   *fetch,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(EaselStoredFile) stored = NULL;
  const char *mime;
  const guint8 *data;
  gsize length;
  guint width = 0, height = 0;
  gboolean video = fetch->kind == EASEL_DOWNLOAD_KIND_VIDEO;

  data = g_bytes_get_data (fetch->body, &length);
  if (video)
    mime = easel_media_sniff_video (data, length);
  else
    mime = easel_image_type_sniff (data, length);
  if (mime == NULL)
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                   video ? _("The file from %s is not a video") : _("The file from %s is not an image"),
                   fetch->host);
      return NULL;
    }

  if (!easel_media_inspect (mime, data, length, &width, &height))
    {
      g_set_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_RESPONSE,
                   _("The file from %s is damaged or incomplete"), fetch->host);
      return NULL;
    }

  if (video)
    width = height = 0;
  else
    {
      if ((guint64) width * height > EASEL_MEDIA_MAX_PIXELS)
        {
          g_set_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE,
                       _("The image from %s is too large (%u × %u pixels)"),
                       fetch->host, width, height);
          return NULL;
        }
      if (!decode (fetch, mime, &width, &height, error))
        return NULL;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  stored = g_new0 (EaselStoredFile, 1);
  g_atomic_ref_count_init (&stored->ref_count);
  stored->hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, fetch->body);
  stored->mime = g_strdup (mime);
  stored->size = length;
  stored->width = width;
  stored->height = height;
  stored->relative_path = easel_image_store_import_bytes (fetch->store, fetch->body, stored->hash,
                                                          easel_media_get_extension (mime),
                                                          cancellable, error);
  if (stored->relative_path == NULL)
    return NULL;
  return g_steal_pointer (&stored);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  EaselStoredFile *stored;

  stored = verify_and_store (task_data, cancellable, &error);
  if (stored == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, stored, (GDestroyNotify) easel_stored_file_unref);
}

static void pump (EaselDownloader *self);

/* Gives the slot of @task to the next waiting download, then completes
 * @task (taking its reference) with @stored or @error. */
static void
complete (GTask           *task,
          EaselStoredFile *stored,
          GError          *error)
{
  EaselDownloader *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);

  g_assert (self->n_active > 0);
  self->n_active--;
  /* Up to the size cap per slot: not kept for as long as the result is. */
  g_clear_pointer (&fetch->body, g_bytes_unref);
  pump (self);

  if (stored != NULL)
    {
      g_debug ("Downloaded %s: %s, %u × %u, stored as %s", fetch->log_url, stored->mime,
               stored->width, stored->height, stored->relative_path);
      g_task_return_pointer (task, stored, (GDestroyNotify) easel_stored_file_unref);
    }
  else
    {
      g_debug ("Download of %s failed: %s", fetch->log_url, error->message);
      g_task_return_error (task, error);
    }
  g_object_unref (task);
}

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError *error = NULL;
  EaselStoredFile *stored = g_task_propagate_pointer (G_TASK (result), &error);

  complete (user_data, stored, error);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(EaselHttpResponse) response = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autofree char *limit = NULL;
  GError *error = NULL;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (response == NULL)
    {
      if (g_error_matches (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE))
        {
          limit = g_format_size (fetch->max_size);
          g_clear_error (&error);
          g_set_error (&error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE,
                       _("The file from %s is larger than %s"), fetch->host, limit);
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Cannot download the file from %s: "), fetch->host);
      complete (task, NULL, error);
      return;
    }

  fetch->body = response->body ? g_bytes_ref (response->body) : g_bytes_new (NULL, 0);

  /* Without a source object: the worker thread drops its reference on
   * its task only after the result is back on the main loop. */
  worker = g_task_new (NULL, g_task_get_cancellable (task), verify_cb, task);
  g_task_set_source_tag (worker, verify_thread);
  g_task_set_task_data (worker, fetch, NULL);   /* kept alive by @task */
  /* Once the file is in place, report it even if cancelled meanwhile. */
  g_task_set_check_cancellable (worker, FALSE);
  g_task_run_in_thread (worker, verify_thread);
}

static void
start (EaselDownloader *self,
       GTask           *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  EaselHttpRequest *request = easel_http_request_new ("GET", fetch->url);

  self->n_active++;

  easel_http_request_set_flags (request, EASEL_HTTP_IDEMPOTENT | EASEL_HTTP_NO_JSON);
  easel_http_request_set_max_size (request, fetch->max_size);
  easel_http_request_add_header (request, "Accept", "*/*");
  if (wants_browser_headers (fetch->url, fetch->host))
    easel_http_request_add_header (request, "User-Agent", BROWSER_USER_AGENT);

  g_debug ("Downloading %s (%u of at most %u at once)", fetch->log_url,
           self->n_active, self->max_concurrent);
  easel_http_client_send_async (easel_http_url_is_loopback (fetch->url) ? self->loopback_client : self->client,
                                request, g_task_get_cancellable (task), send_cb, task);
}

/* Starts waiting downloads while slots are free. */
static void
pump (EaselDownloader *self)
{
  while (self->n_active < self->max_concurrent && !g_queue_is_empty (&self->waiting))
    {
      GTask *task = g_queue_pop_head (&self->waiting);
      Fetch *fetch = g_task_get_task_data (task);

      if (fetch->cancel_source != NULL)
        {
          g_source_destroy (fetch->cancel_source);
          g_clear_pointer (&fetch->cancel_source, g_source_unref);
        }

      if (g_task_return_error_if_cancelled (task))
        {
          g_object_unref (task);
          continue;
        }
      start (self, task);
    }
}

/* A download cancelled while it waits for a slot leaves at once. */
static gboolean
waiting_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  GTask *task = user_data;
  EaselDownloader *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);

  g_queue_remove (&self->waiting, task);
  g_clear_pointer (&fetch->cancel_source, g_source_unref);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/**
 * easel_downloader_fetch_async:
 * @self: a downloader
 * @url: an output URL from a provider
 * @kind: what the file must be
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Downloads @url into the store (see the design note). A URL that is not
 * an absolute https:// address (or http:// to this computer) fails with
 * %EASEL_ERROR_INSECURE_URL before anything is sent.
 */
void
easel_downloader_fetch_async (EaselDownloader     *self,
                              const char          *url,
                              EaselDownloadKind    kind,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Fetch *fetch;

  g_return_if_fail (EASEL_IS_DOWNLOADER (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (kind == EASEL_DOWNLOAD_KIND_IMAGE || kind == EASEL_DOWNLOAD_KIND_VIDEO);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, easel_downloader_fetch_async);
  /* A file in place is reported even if the caller cancelled meanwhile. */
  g_task_set_check_cancellable (task, FALSE);

  fetch = g_new0 (Fetch, 1);
  fetch->url = g_strdup (url);
  fetch->log_url = dup_log_url (url);
  fetch->kind = kind;
  fetch->max_size = self->max_size;
  fetch->store = g_object_ref (self->store);
  g_task_set_task_data (task, fetch, fetch_free);

  fetch->host = check_url (url, &error);
  if (fetch->host == NULL)
    {
      g_debug ("Not downloading %s: %s", fetch->log_url, error->message);
      g_task_return_error (task, error);
      return;
    }

  if (cancellable != NULL)
    {
      fetch->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_static_name (fetch->cancel_source, "[easel] waiting download");
      g_source_set_callback (fetch->cancel_source, G_SOURCE_FUNC (waiting_cancelled_cb), task, NULL);
      g_source_attach (fetch->cancel_source, g_task_get_context (task));
    }

  g_queue_push_tail (&self->waiting, g_steal_pointer (&task));
  pump (self);
}

/**
 * easel_downloader_fetch_finish:
 * @self: a downloader
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the stored file, or %NULL with @error set in
 *   the %EASEL_ERROR domain (or %G_IO_ERROR_CANCELLED)
 */
EaselStoredFile *
easel_downloader_fetch_finish (EaselDownloader  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (EASEL_IS_DOWNLOADER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The object */

/**
 * easel_downloader_new:
 * @store: where downloads go
 * @max_concurrent: how many downloads may run at once, at least 1
 *
 * Returns: (transfer full): a downloader
 */
EaselDownloader *
easel_downloader_new (EaselImageStore *store,
                      guint            max_concurrent)
{
  g_return_val_if_fail (EASEL_IS_IMAGE_STORE (store), NULL);
  g_return_val_if_fail (max_concurrent >= 1, NULL);

  return g_object_new (EASEL_TYPE_DOWNLOADER,
                       "store", store,
                       "max-concurrent", max_concurrent,
                       NULL);
}

/**
 * easel_downloader_get_store:
 * @self: a downloader
 *
 * Returns: (transfer none): the store downloads go to
 */
EaselImageStore *
easel_downloader_get_store (EaselDownloader *self)
{
  g_return_val_if_fail (EASEL_IS_DOWNLOADER (self), NULL);

  return self->store;
}

/**
 * easel_downloader_get_max_concurrent:
 * @self: a downloader
 *
 * Returns: how many downloads may run at once
 */
guint
easel_downloader_get_max_concurrent (EaselDownloader *self)
{
  g_return_val_if_fail (EASEL_IS_DOWNLOADER (self), 0);

  return self->max_concurrent;
}

/**
 * easel_downloader_set_max_attempts:
 * @self: a downloader
 * @max_attempts: attempts per download, at least 1
 *
 * See easel_http_client_set_max_attempts().
 */
void
easel_downloader_set_max_attempts (EaselDownloader *self,
                                   guint            max_attempts)
{
  g_return_if_fail (EASEL_IS_DOWNLOADER (self));
  g_return_if_fail (max_attempts >= 1);

  easel_http_client_set_max_attempts (self->client, max_attempts);
  easel_http_client_set_max_attempts (self->loopback_client, max_attempts);
}

/**
 * easel_downloader_set_sleep_func:
 * @self: a downloader
 * @func: (nullable): how to wait between attempts; %NULL for a timeout
 * @user_data: data for @func
 *
 * See easel_http_client_set_sleep_func().
 */
void
easel_downloader_set_sleep_func (EaselDownloader    *self,
                                 EaselHttpSleepFunc  func,
                                 gpointer            user_data)
{
  g_return_if_fail (EASEL_IS_DOWNLOADER (self));

  easel_http_client_set_sleep_func (self->client, func, user_data);
  easel_http_client_set_sleep_func (self->loopback_client, func, user_data);
}

/**
 * easel_downloader_set_max_size:
 * @self: a downloader
 * @max_size: the largest file accepted, in bytes
 *
 * Applies to downloads started afterwards. The default is
 * %EASEL_DOWNLOADER_DEFAULT_MAX_SIZE.
 */
void
easel_downloader_set_max_size (EaselDownloader *self,
                               gsize            max_size)
{
  g_return_if_fail (EASEL_IS_DOWNLOADER (self));
  g_return_if_fail (max_size > 0);

  self->max_size = max_size;
}

static void
easel_downloader_constructed (GObject *object)
{
  EaselDownloader *self = EASEL_DOWNLOADER (object);

  G_OBJECT_CLASS (easel_downloader_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  /* Without a base URL the client takes absolute URLs only, and cannot
   * fail. The second one has a loopback base URL only so that, like every
   * client of this computer, it bypasses the system's proxy settings
   * (the emulator, local gateways); it too is given absolute URLs. */
  self->client = easel_http_client_new (_("the server"), NULL, NULL, NULL);
  self->loopback_client = easel_http_client_new (_("the server"), "http://127.0.0.1", NULL, NULL);
}

static void
easel_downloader_finalize (GObject *object)
{
  EaselDownloader *self = EASEL_DOWNLOADER (object);

  /* Every waiting task holds a reference on us. */
  g_assert (g_queue_is_empty (&self->waiting));
  g_clear_object (&self->client);
  g_clear_object (&self->loopback_client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (easel_downloader_parent_class)->finalize (object);
}

static void
easel_downloader_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EaselDownloader *self = EASEL_DOWNLOADER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_MAX_CONCURRENT:
      g_value_set_uint (value, self->max_concurrent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_downloader_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  EaselDownloader *self = EASEL_DOWNLOADER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_MAX_CONCURRENT:
      self->max_concurrent = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
easel_downloader_class_init (EaselDownloaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = easel_downloader_constructed;
  object_class->finalize = easel_downloader_finalize;
  object_class->get_property = easel_downloader_get_property;
  object_class->set_property = easel_downloader_set_property;

  /**
   * EaselDownloader:store:
   *
   * Where downloads go.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         EASEL_TYPE_IMAGE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * EaselDownloader:max-concurrent:
   *
   * How many downloads may run at once; the others wait in order.
   */
  properties[PROP_MAX_CONCURRENT] =
    g_param_spec_uint ("max-concurrent", NULL, NULL,
                       1, G_MAXUINT, 4,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                       G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
easel_downloader_init (EaselDownloader *self)
{
  self->max_size = EASEL_DOWNLOADER_DEFAULT_MAX_SIZE;
  g_queue_init (&self->waiting);
}
