/* easel-emulator-useapi.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* UseAPI.net's Midjourney v3 API (providers.md §1): imagine, button,
 * blend, describe and seed jobs, SSE streams and polling, per-channel
 * capacity (maxJobs, maxImageJobs, maxVideoJobs -> 429), the 596
 * "pending moderation" state and its reset, and the two CDNs a finished
 * job points at: signed, expiring Discord attachment links and
 * cdn.midjourney.com grid cells (which, like Cloudflare, want a browser
 * User-Agent).
 *
 * A job goes created -> started -> progress (15 … 93 %) -> completed, or
 * failed / moderated for the marker words. A stream follows one job; the
 * stream that created a job is its lifeline: if that client goes away
 * before the end, the job sticks in "progress", holding its slot, until
 * UseAPI's 14-minute timeout fails it, as the SSE guide warns, unless the
 * client DELETEs it.
 */

#include "config.h"

#include "easel-emulator-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PROMPT        5000
#define MAX_REPLY_FIELD   1024
#define MAX_IMAGE_BYTES   (10 * 1024 * 1024)
#define STUCK_TIMEOUT_MS  (14 * 60 * 1000)
#define RETENTION_MS      ((gint64) 62 * 24 * 3600 * 1000)
#define KEEPALIVE_MS      2000
#define DISCORD_USER      "emulator"
#define DISCORD_USER_ID   "1020304050607080901"
#define DISCORD_EPOCH_MS  G_GINT64_CONSTANT (1420070400000)

typedef enum
{
  MJ_CREATED,
  MJ_STARTED,
  MJ_PROGRESS,
  MJ_COMPLETED,
  MJ_FAILED,
  MJ_MODERATED,
} MjStatus;

static const char *const status_names[] = {
  "created", "started", "progress", "completed", "failed", "moderated"
};

static const guint progress_steps[] = { 15, 31, 46, 62, 78, 93 };

typedef enum
{
  OUT_GRID,       /* a 2×2 grid, U/V buttons */
  OUT_SINGLE,     /* one image (an upscale) */
  OUT_SEED,       /* the seed and four separate images */
  OUT_DESCRIBE,   /* four prompt suggestions, no image */
  OUT_VIDEO,      /* a clip: here a PNG poster frame */
} OutputKind;

static const char *const grid_buttons[] = {
  "U1", "U2", "U3", "U4", "🔄", "V1", "V2", "V3", "V4", NULL
};
static const char *const upscale_buttons[] = {
  "Upscale (Subtle)", "Upscale (Creative)", "Vary (Subtle)", "Vary (Strong)", "Vary (Region)",
  "Zoom Out 2x", "Zoom Out 1.5x", "Custom Zoom", "⬅️", "➡️", "⬆️", "⬇️",
  "Animate (High motion)", "Animate (Low motion)", NULL
};
static const char *const reupscale_buttons[] = {
  "Redo Upscale (Subtle)", "Redo Upscale (Creative)", "Vary (Subtle)", "Vary (Strong)",
  "Zoom Out 2x", "Zoom Out 1.5x", NULL
};
static const char *const video_buttons[] = {
  "Extend (High motion)", "Extend (Low motion)", NULL
};
static const char *const describe_buttons[] = { "1", "2", "3", "4", NULL };
static const char *const no_buttons[] = { NULL };

/* Buttons whose child is a new grid. */
static const char *const grid_actions[] = {
  "V1", "V2", "V3", "V4", "🔄", "Vary (Strong)", "Vary (Subtle)", "Vary (Region)",
  "Zoom Out 2x", "Zoom Out 1.5x", "Custom Zoom", "⬅️", "➡️", "⬆️", "⬇️", "Make Square",
  "Make Variations", "Remaster", NULL
};
static const char *const upscale_actions[] = {
  "Upscale (Subtle)", "Upscale (Creative)", "Upscale (2x)", "Upscale (4x)",
  "Redo Upscale (Subtle)", "Redo Upscale (Creative)", "Redo Upscale (2x)", "Redo Upscale (4x)",
  NULL
};
static const char *const video_actions[] = {
  "Animate (High motion)", "Animate (Low motion)", "Extend (High motion)", "Extend (Low motion)",
  NULL
};

typedef struct
{
  char  *channel;
  char  *discord;
  guint  max_jobs;
  guint  max_image_jobs;
  guint  max_video_jobs;
  char  *reply_url;
  char  *moderation;     /* set while the channel is in the 596 state */
} Channel;

typedef struct _Job Job;
typedef struct _Watcher Watcher;

typedef struct
{
  char *button;
  char *jobid;
} ChildRef;

struct _Job
{
  char              *jobid;
  const char        *verb;
  gboolean           video;
  MjStatus           status;
  char              *channel;
  gint64             created_ms;
  gint64             updated_ms;
  JsonObject        *request;
  char              *prompt;
  char              *reply_ref;
  guint              progress;
  char              *error;

  OutputKind         kind;
  char              *uuid;
  char              *message_id;
  char              *render_key;
  guint              variant;        /* OUT_SINGLE / OUT_VIDEO: the cell shown */
  guint              cell_width;     /* nominal size of one image */
  guint              cell_height;
  char              *slug;
  const char *const *buttons;
  char              *result_text;    /* describe suggestions / seed message */
  guint64            seed;
  char              *fail_reason;    /* fails once started (marker, bad parameter) */
  gboolean           moderate;

  char              *parent_jobid;
  GPtrArray         *children;       /* ChildRef */
  char              *seed_jobid;     /* the execute-once seed child */

  guint              running_ms;     /* fixed at creation */
  guint              timer;
  guint              step;
  GPtrArray         *watchers;       /* Watcher, not owned */
  Watcher           *origin;         /* the stream that created the job */
};

struct _Watcher
{
  EaselEmulator *self;
  EmuRequest    *req;
  Job           *job;
  guint          seq;
};

struct _EmuUseapi
{
  GPtrArray  *channels;    /* Channel, in configuration order */
  GPtrArray  *jobs;        /* Job, in creation order */
  GHashTable *by_id;       /* jobid -> Job */
  GHashTable *by_uuid;     /* Midjourney UUID -> Job */
  GHashTable *by_message;  /* Discord message id -> Job */
  guint       counter;
};

/* ---- State -------------------------------------------------------------- */

static void
channel_free (gpointer data)
{
  Channel *channel = data;

  g_free (channel->channel);
  g_free (channel->discord);
  g_free (channel->reply_url);
  g_free (channel->moderation);
  g_free (channel);
}

static void
child_ref_free (gpointer data)
{
  ChildRef *ref = data;

  g_free (ref->button);
  g_free (ref->jobid);
  g_free (ref);
}

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->jobid);
  g_free (job->channel);
  g_clear_pointer (&job->request, json_object_unref);
  g_free (job->prompt);
  g_free (job->reply_ref);
  g_free (job->error);
  g_free (job->uuid);
  g_free (job->message_id);
  g_free (job->render_key);
  g_free (job->slug);
  g_free (job->result_text);
  g_free (job->fail_reason);
  g_free (job->parent_jobid);
  g_free (job->seed_jobid);
  g_ptr_array_unref (job->children);
  g_ptr_array_unref (job->watchers);
  g_free (job);
}

EmuUseapi *
emu_useapi_new (EaselEmulator *self)
{
  EmuUseapi *state = g_new0 (EmuUseapi, 1);

  state->channels = g_ptr_array_new_with_free_func (channel_free);
  state->jobs = g_ptr_array_new_with_free_func (job_free);
  state->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  state->by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
  state->by_message = g_hash_table_new (g_str_hash, g_str_equal);

  self->useapi = state;
  emu_useapi_add_channel (self, EASEL_EMULATOR_DEFAULT_CHANNEL, 3, 3, 3);
  return state;
}

void
emu_useapi_free (EmuUseapi *state)
{
  g_hash_table_unref (state->by_id);
  g_hash_table_unref (state->by_uuid);
  g_hash_table_unref (state->by_message);
  g_ptr_array_unref (state->jobs);
  g_ptr_array_unref (state->channels);
  g_free (state);
}

static Channel *
find_channel (EaselEmulator *self,
              const char    *id)
{
  GPtrArray *channels = self->useapi->channels;

  for (guint i = 0; i < channels->len; i++)
    if (g_str_equal (((Channel *) channels->pdata[i])->channel, id))
      return channels->pdata[i];
  return NULL;
}

static Channel *
set_channel (EaselEmulator *self,
             const char    *id,
             const char    *discord,
             guint          max_jobs,
             guint          max_image_jobs,
             guint          max_video_jobs,
             gboolean      *created)
{
  Channel *channel = find_channel (self, id);

  *created = channel == NULL;
  if (channel == NULL)
    {
      channel = g_new0 (Channel, 1);
      channel->channel = g_strdup (id);
      g_ptr_array_add (self->useapi->channels, channel);
    }

  g_free (channel->discord);
  channel->discord = g_strdup (discord);
  channel->max_jobs = max_jobs;
  channel->max_image_jobs = max_image_jobs;
  channel->max_video_jobs = max_video_jobs;
  return channel;
}

void
emu_useapi_add_channel (EaselEmulator *self,
                        const char    *id,
                        guint          max_jobs,
                        guint          max_image_jobs,
                        guint          max_video_jobs)
{
  g_autofree char *discord = g_strdup_printf ("MTI%s.emulator.xyz", id);
  gboolean created;

  set_channel (self, id, discord, max_jobs, max_image_jobs, max_video_jobs, &created);
}

static Job *
lookup_job (EaselEmulator *self,
            const char    *jobid)
{
  return g_hash_table_lookup (self->useapi->by_id, jobid);
}

static gboolean
is_running (const Job *job)
{
  return job->status <= MJ_PROGRESS;
}

static gboolean
is_expired (EaselEmulator *self,
            const Job     *job)
{
  return emu_now_ms (self) - job->created_ms > RETENTION_MS;
}

static gboolean
in_list (const char *const *list,
         const char        *value)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_str_equal (list[i], value))
      return TRUE;
  return FALSE;
}

/* ---- JSON --------------------------------------------------------------- */

/* The link Discord would hand out right now: ex (expiry) and is (issue)
 * as hex epoch seconds, hm an HMAC over path and both. */
static char *
signed_link (EaselEmulator *self,
             const char    *host,
             const Job     *job,
             const char    *filename)
{
  gint64 now = emu_wall_seconds (self, emu_now_ms (self));
  gint64 ttl = self->output_ttl_s > 0 ? self->output_ttl_s : 10 * 365 * 86400;
  g_autofree char *path = g_strdup_printf ("%s/%s/%s", job->channel, job->message_id, filename);
  g_autofree char *query = g_strdup_printf ("ex=%" G_GINT64_MODIFIER "x&is=%" G_GINT64_MODIFIER "x",
                                            now + ttl, now);
  g_autofree char *signed_text = g_strdup_printf ("%s?%s", path, query);
  g_autofree char *hm = g_compute_hmac_for_string (G_CHECKSUM_SHA256,
                                                   (const guchar *) self->hmac_key,
                                                   strlen (self->hmac_key), signed_text, -1);

  return emu_url (self, "/_emulator/%s/attachments/%s?%s&hm=%s", host, path, query, hm);
}

static char *
attachment_name (const Job *job,
                 int        index)
{
  if (index < 0)
    return g_strdup_printf ("%s_%s_%s.png", DISCORD_USER, job->slug, job->uuid);
  return g_strdup_printf ("%s_%s_%s_%d.png", DISCORD_USER, job->slug, job->uuid, index);
}

/* Served sizes: the nominal size fitted to EMU_MAX_SIDE. */
static void
grid_size (const Job *job,
           guint     *width,
           guint     *height)
{
  emu_image_fit (job->cell_width * 2, job->cell_height * 2, width, height);
}

static void
cell_size (const Job *job,
           guint     *width,
           guint     *height)
{
  emu_image_fit (job->cell_width, job->cell_height, width, height);
}

static void
add_attachment (EaselEmulator *self,
                JsonArray     *attachments,
                const Job     *job,
                int            index,
                gboolean       grid)
{
  JsonObject *object = json_object_new ();
  g_autofree char *filename = attachment_name (job, index);
  g_autofree char *url = signed_link (self, "cdn.discordapp.com", job, filename);
  g_autofree char *proxy_url = signed_link (self, "media.discordapp.net", job, filename);
  g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                         g_ascii_strtoull (job->message_id, NULL, 10) + index + 2);
  guint width, height;

  if (grid)
    grid_size (job, &width, &height);
  else
    cell_size (job, &width, &height);

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "url", url);
  json_object_set_string_member (object, "proxy_url", proxy_url);
  json_object_set_string_member (object, "filename", filename);
  json_object_set_string_member (object, "content_type", "image/png");
  json_object_set_int_member (object, "width", width);
  json_object_set_int_member (object, "height", height);
  json_array_add_object_element (attachments, object);
}

/* imageUx: cdn.midjourney.com/<uuid>/0_N.jpeg; videoUx: …/video/<uuid>/N.mp4. */
static JsonArray *
ux_array (EaselEmulator *self,
          const Job     *job,
          guint          n,
          gboolean       video)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < n; i++)
    {
      JsonObject *entry = json_object_new ();
      g_autofree char *url = video
        ? emu_url (self, "/_emulator/cdn.midjourney.com/video/%s/%u.mp4", job->uuid, i)
        : emu_url (self, "/_emulator/cdn.midjourney.com/%s/0_%u.jpeg", job->uuid, i);

      json_object_set_int_member (entry, "id", i + 1);
      json_object_set_string_member (entry, "url", url);
      json_array_add_object_element (array, entry);
    }
  return array;
}

static char *
progress_content (const Job *job)
{
  switch (job->status)
    {
    case MJ_CREATED:
    case MJ_STARTED:
      return g_strdup_printf ("**%s** - <@%s> (Waiting to start)", job->prompt, DISCORD_USER_ID);
    case MJ_PROGRESS:
      return g_strdup_printf ("**%s** - <@%s> (%u%%) (fast)", job->prompt, DISCORD_USER_ID,
                              job->progress);
    case MJ_COMPLETED:
      if (job->result_text != NULL)
        return g_strdup (job->result_text);
      if (job->kind == OUT_SINGLE || job->kind == OUT_VIDEO)
        return g_strdup_printf ("**%s** - Image #%u <@%s>", job->prompt, job->variant + 1,
                                DISCORD_USER_ID);
      return g_strdup_printf ("**%s** - <@%s> (fast)", job->prompt, DISCORD_USER_ID);
    case MJ_FAILED:
    case MJ_MODERATED:
    default:
      return g_strdup_printf ("**%s** - <@%s> (fast)", job->prompt, DISCORD_USER_ID);
    }
}

static JsonObject *
response_json (EaselEmulator *self,
               const Job     *job)
{
  JsonObject *response = json_object_new ();
  g_autofree char *content = progress_content (job);

  if (job->reply_ref != NULL)
    json_object_set_string_member (response, "replyRef", job->reply_ref);
  json_object_set_string_member (response, "content", content);
  if (job->status == MJ_PROGRESS || job->status == MJ_COMPLETED)
    json_object_set_int_member (response, "progress_percent", job->progress);

  if (job->status != MJ_COMPLETED)
    return response;

  if (job->message_id != NULL)
    json_object_set_string_member (response, "messageId", job->message_id);

  /* Discord attachments: the grid, the one image, or the seed's four. */
  if (job->kind != OUT_DESCRIBE)
    {
      JsonArray *attachments = json_array_new ();

      if (job->kind == OUT_SEED)
        for (int i = 0; i < 4; i++)
          add_attachment (self, attachments, job, i, FALSE);
      else
        add_attachment (self, attachments, job, -1, job->kind == OUT_GRID);
      json_object_set_array_member (response, "attachments", attachments);
    }

  if (job->kind == OUT_GRID || job->kind == OUT_SINGLE)
    json_object_set_array_member (response, "imageUx",
                                  ux_array (self, job, job->kind == OUT_GRID ? 4 : 1, FALSE));
  /* UNCONFIRMED videoUx shape; the emulator cannot encode video, so the
   * "clip" is a PNG poster frame (its Content-Type says so). */
  else if (job->kind == OUT_VIDEO)
    json_object_set_array_member (response, "videoUx", ux_array (self, job, 1, TRUE));
  else if (job->kind == OUT_SEED)
    json_object_set_int_member (response, "seed", (gint64) job->seed);

  {
    JsonArray *buttons = json_array_new ();

    for (guint i = 0; job->buttons[i] != NULL; i++)
      json_array_add_string_element (buttons, job->buttons[i]);
    json_object_set_array_member (response, "buttons", buttons);
  }

  return response;
}

static JsonObject *
job_json (EaselEmulator *self,
          const Job     *job)
{
  JsonObject *object = json_object_new ();
  g_autofree char *created = emu_format_time (self, job->created_ms, 3);
  g_autofree char *updated = emu_format_time (self, job->updated_ms, 3);

  json_object_set_string_member (object, "jobid", job->jobid);
  json_object_set_string_member (object, "verb", job->verb);
  json_object_set_string_member (object, "jobType", job->video ? "video" : "image");
  json_object_set_string_member (object, "status", status_names[job->status]);
  json_object_set_string_member (object, "created", created);
  json_object_set_string_member (object, "updated", updated);
  json_object_set_string_member (object, "channel", job->channel);

  /* UNCONFIRMED for v3: parent/child field names as in v2. */
  if (job->parent_jobid != NULL)
    json_object_set_string_member (object, "parentJobId", job->parent_jobid);
  if (job->children->len > 0)
    {
      JsonArray *children = json_array_new ();

      for (guint i = 0; i < job->children->len; i++)
        {
          ChildRef *ref = job->children->pdata[i];
          JsonObject *child = json_object_new ();

          json_object_set_string_member (child, "button", ref->button);
          json_object_set_string_member (child, "jobid", ref->jobid);
          json_array_add_object_element (children, child);
        }
      json_object_set_array_member (object, "children", children);
    }

  json_object_set_object_member (object, "request", json_object_ref (job->request));
  json_object_set_object_member (object, "response", response_json (self, job));
  if (job->error != NULL)
    json_object_set_string_member (object, "error", job->error);
  return object;
}

/* ---- Streams ------------------------------------------------------------ */

static void
send_event (Watcher    *watcher,
            const char *event)
{
  EaselEmulator *self = watcher->self;
  JsonObject *object = json_object_new ();
  g_autofree char *ts = emu_format_clock (self, emu_now_ms (self));
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  json_object_set_string_member (object, "event", event);
  json_object_set_object_member (object, "job", job_json (self, watcher->job));
  json_object_set_int_member (object, "seq", watcher->seq++);
  json_object_set_string_member (object, "ts", ts);
  node = emu_json_object_node (object);
  text = emu_json_to_string (node);
  emu_stream_data (watcher->req->stream, text);
}

static void
send_status_event (Watcher *watcher)
{
  g_autofree char *event = g_strdup_printf ("midjourney_%s", status_names[watcher->job->status]);

  send_event (watcher, event);
  if (!is_running (watcher->job))
    emu_stream_end (watcher->req->stream);
}

static void job_stuck (EaselEmulator *self,
                       Job           *job);

static void
watcher_detach (gpointer data)
{
  Watcher *watcher = data;
  Job *job = watcher->job;

  g_ptr_array_remove (job->watchers, watcher);
  if (job->origin == watcher)
    {
      job->origin = NULL;
      if (is_running (job))
        job_stuck (watcher->self, job);
    }
  g_free (watcher);
}

/* Streams @job on @req: "initialized", then the job's state now, then
 * every change until it ends. */
static void
watch_job (EaselEmulator *self,
           EmuRequest    *req,
           Job           *job,
           gboolean       origin)
{
  Watcher *watcher = g_new0 (Watcher, 1);
  EmuStream *stream = emu_stream_begin (req, 0);
  JsonObject *init = json_object_new ();
  g_autofree char *ts = emu_format_clock (self, emu_now_ms (self));
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  watcher->self = self;
  watcher->req = req;
  watcher->job = job;

  json_object_set_string_member (init, "event", "initialized");
  json_object_set_string_member (init, "message", "Stream initialized");
  json_object_set_string_member (init, "jobId", job->jobid);
  json_object_set_int_member (init, "seq", watcher->seq++);
  json_object_set_string_member (init, "ts", ts);
  node = emu_json_object_node (init);
  text = emu_json_to_string (node);
  emu_stream_data (stream, text);
  emu_stream_comment (stream, "keep-alive");
  emu_stream_keepalive (stream, KEEPALIVE_MS, "keep-alive");

  g_ptr_array_add (job->watchers, watcher);
  if (origin)
    job->origin = watcher;
  emu_request_on_detach (req, watcher_detach, watcher);

  send_status_event (watcher);
}

/* ---- Lifecycle ---------------------------------------------------------- */

static void
job_changed (EaselEmulator *self,
             Job           *job)
{
  g_autoptr(GPtrArray) watchers = NULL;

  job->updated_ms = emu_now_ms (self);

  /* A stream that ends detaches only once libsoup is done with it. */
  watchers = g_ptr_array_copy (job->watchers, NULL, NULL);
  for (guint i = 0; i < watchers->len; i++)
    send_status_event (watchers->pdata[i]);
}

static void
job_finish (EaselEmulator *self,
            Job           *job,
            MjStatus       status,
            const char    *error)
{
  if (!is_running (job))
    return;

  emu_clock_cancel (self, &job->timer);
  job->status = status;
  g_free (job->error);
  job->error = g_strdup (error);
  if (status == MJ_COMPLETED)
    job->progress = 100;
  job_changed (self, job);
}

static void
stuck_timeout_cb (EaselEmulator *self,
                  gpointer       data)
{
  Job *job = data;

  job->timer = 0;
  job_finish (self, job, MJ_FAILED, "Job timed out: no update for 14 minutes");
}

/* The creating stream went away: UseAPI stops following the job, which
 * stays in "progress" and holds its slot until the 14-minute timeout. */
static void
job_stuck (EaselEmulator *self,
           Job           *job)
{
  emu_clock_cancel (self, &job->timer);
  job->status = MJ_PROGRESS;
  job->updated_ms = emu_now_ms (self);
  job->timer = emu_clock_schedule (self, STUCK_TIMEOUT_MS, stuck_timeout_cb, job);
}

static void
step_cb (EaselEmulator *self,
         gpointer       data)
{
  Job *job = data;
  guint n = G_N_ELEMENTS (progress_steps);

  job->timer = 0;

  if (job->step < n)
    {
      job->status = MJ_PROGRESS;
      job->progress = progress_steps[job->step++];
      job_changed (self, job);

      if (job->fail_reason != NULL && job->step == n / 2)
        {
          job_finish (self, job, MJ_FAILED, job->fail_reason);
          return;
        }
      job->timer = emu_clock_schedule (self, job->running_ms / (n + 1), step_cb, job);
      return;
    }

  job_finish (self, job, MJ_COMPLETED, NULL);
}

static void
start_cb (EaselEmulator *self,
          gpointer       data)
{
  Job *job = data;

  job->timer = 0;
  job->status = MJ_STARTED;
  job_changed (self, job);

  if (job->moderate)
    {
      job_finish (self, job, MJ_MODERATED,
                  "Sorry! Our AI moderator thinks this prompt is probably against our community "
                  "standards. Please review our current community standards and try again.");
      return;
    }
  if (job->fail_reason != NULL && g_str_has_prefix (job->fail_reason, "Invalid parameter"))
    {
      job_finish (self, job, MJ_FAILED, job->fail_reason);
      return;
    }

  job->timer = emu_clock_schedule (self, job->running_ms / (G_N_ELEMENTS (progress_steps) + 1),
                                   step_cb, job);
}

/* ---- Prompts ------------------------------------------------------------ */

/* The text part of a prompt: no leading image URLs, no --parameters. */
static char *
prompt_text (const char *prompt)
{
  g_auto(GStrv) words = g_strsplit_set (prompt, " \t\n", -1);
  GString *text = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];

      if (g_str_has_prefix (word, "--") || g_str_has_prefix (word, "—"))
        break;
      if (word[0] == '\0' || g_str_has_prefix (word, "http://") || g_str_has_prefix (word, "https://"))
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, word);
    }
  return g_string_free (text, FALSE);
}

static char *
make_slug (const char *prompt)
{
  g_autofree char *text = prompt_text (prompt);
  GString *slug = g_string_new (NULL);

  for (const char *p = text; *p && slug->len < 40; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, g_ascii_tolower (*p));
      else if (slug->len > 0 && slug->str[slug->len - 1] != '_')
        g_string_append_c (slug, '_');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '_')
    g_string_truncate (slug, slug->len - 1);
  if (slug->len == 0)
    g_string_append (slug, "image");
  return g_string_free (slug, FALSE);
}

/* The value after "--name" (or "—name"), or NULL. */
static char *
prompt_parameter (const char *prompt,
                  const char *name)
{
  g_auto(GStrv) words = g_strsplit_set (prompt, " \t\n", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];

      if (g_str_has_prefix (word, "--"))
        word += 2;
      else if (g_str_has_prefix (word, "—"))
        word += strlen ("—");
      else
        continue;

      if (g_str_equal (word, name))
        {
          for (guint j = i + 1; words[j] != NULL; j++)
            if (words[j][0] != '\0')
              return g_strdup (words[j]);
          return g_strdup ("");
        }
    }
  return NULL;
}

static gboolean
prompt_flag (const char *prompt,
             const char *name)
{
  g_autofree char *value = prompt_parameter (prompt, name);

  return value != NULL;
}

/* Nominal grid-cell size for "--ar W:H": about a megapixel. */
static gboolean
cell_for_ratio (const char *ratio,
                guint      *width,
                guint      *height)
{
  guint64 w = 1, h = 1;
  char *end = NULL;

  if (ratio != NULL)
    {
      w = g_ascii_strtoull (ratio, &end, 10);
      if (end == ratio || *end != ':')
        return FALSE;
      ratio = end + 1;
      h = g_ascii_strtoull (ratio, &end, 10);
      if (end == ratio || *end != '\0' || w == 0 || h == 0 || w > 1000 || h > 1000 ||
          w > 14 * h || h > 14 * w)
        return FALSE;
    }

  *width = (guint) floor (1024.0 * sqrt ((double) w / h) + 0.5);
  *height = (guint) floor (1024.0 * sqrt ((double) h / w) + 0.5);
  return TRUE;
}

/* ---- Jobs --------------------------------------------------------------- */

static guint
user_number (const char *token)
{
  /* UseAPI tokens look like "user:<number>-<secret>". */
  if (token != NULL && g_str_has_prefix (token, "user:") && g_ascii_isdigit (token[5]))
    return (guint) g_ascii_strtoull (token + 5, NULL, 10);
  return 12345;
}

static Job *
job_new (EaselEmulator *self,
         EmuRequest    *req,
         const char    *verb,
         gboolean       video,
         const Channel *channel,
         JsonObject    *request)
{
  EmuUseapi *state = self->useapi;
  Job *job = g_new0 (Job, 1);
  gint64 now = emu_now_ms (self);
  gint64 wall_ms = emu_wall_ms (self, now);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (wall_ms / 1000);
  g_autofree char *stamp = g_date_time_format (dt, "%m%d%H%M%S");

  state->counter++;
  job->jobid = g_strdup_printf ("j%s%03u%06u%c-u%u-c%s-bot:midjourney",
                                stamp, (guint) (wall_ms % 1000), state->counter % 1000000,
                                video ? 'v' : 'i', user_number (req->token), channel->channel);
  job->verb = verb;
  job->video = video;
  job->status = MJ_CREATED;
  job->channel = g_strdup (channel->channel);
  job->created_ms = now;
  job->updated_ms = now;
  job->running_ms = self->running_ms;
  job->request = json_object_ref (request);
  job->reply_ref = g_strdup (emu_json_get_string (request, "replyRef"));
  job->uuid = emu_uuid (self);
  job->message_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                     ((wall_ms - DISCORD_EPOCH_MS) << 22) | (state->counter & 0x3fffff));
  job->cell_width = 1024;
  job->cell_height = 1024;
  job->buttons = no_buttons;
  job->children = g_ptr_array_new_with_free_func (child_ref_free);
  job->watchers = g_ptr_array_new ();

  g_ptr_array_add (state->jobs, job);
  g_hash_table_insert (state->by_id, job->jobid, job);
  g_hash_table_insert (state->by_uuid, job->uuid, job);
  g_hash_table_insert (state->by_message, job->message_id, job);
  return job;
}

static void
job_set_prompt (Job        *job,
                const char *prompt)
{
  g_free (job->prompt);
  job->prompt = g_strdup (prompt);
  g_free (job->slug);
  job->slug = make_slug (prompt);
  job->moderate = emu_has_marker (prompt, EMU_MARK_MODERATE);
  if (emu_has_marker (prompt, EMU_MARK_FAIL) && job->fail_reason == NULL)
    job->fail_reason = g_strdup ("Midjourney reported an error for this job (the prompt "
                                 "contains \"" EMU_MARK_FAIL "\")");
}

/* Starts the lifecycle and answers: a stream, or the job as JSON. */
static void
job_launch (EaselEmulator *self,
            EmuRequest    *req,
            Job           *job,
            gboolean       stream)
{
  emu_count_submit (req);
  job->timer = emu_clock_schedule (self, self->queued_ms, start_cb, job);

  if (stream)
    watch_job (self, req, job, TRUE);
  else
    emu_reply_object (req, 201, job_json (self, job));
}

/* Execute-once repeats (U1–U4, seed) get the existing job back. */
static void
job_repeat (EaselEmulator *self,
            EmuRequest    *req,
            Job           *job,
            gboolean       stream)
{
  if (stream)
    watch_job (self, req, job, FALSE);
  else
    emu_reply_object (req, 200, job_json (self, job));
}

/* ---- Capacity ----------------------------------------------------------- */

static void
count_running (EaselEmulator *self,
               const char    *channel,
               guint         *images,
               guint         *videos)
{
  GPtrArray *jobs = self->useapi->jobs;

  *images = *videos = 0;
  for (guint i = 0; i < jobs->len; i++)
    {
      Job *job = jobs->pdata[i];

      if (!is_running (job) || (channel != NULL && !g_str_equal (job->channel, channel)))
        continue;
      if (job->video)
        (*videos)++;
      else
        (*images)++;
    }
}

static gboolean
has_room (EaselEmulator *self,
          const Channel *channel,
          gboolean       video)
{
  guint images, videos;

  count_running (self, channel->channel, &images, &videos);
  if (images + videos >= channel->max_jobs)
    return FALSE;
  return video ? videos < channel->max_video_jobs : images < channel->max_image_jobs;
}

static void
reply_busy (EaselEmulator *self,
            EmuRequest    *req,
            const Channel *only)
{
  GPtrArray *jobs = self->useapi->jobs;
  JsonObject *object = json_object_new ();
  JsonArray *executing = json_array_new ();

  for (guint i = 0; i < jobs->len; i++)
    {
      Job *job = jobs->pdata[i];

      if (is_running (job) && (only == NULL || g_str_equal (job->channel, only->channel)))
        json_array_add_string_element (executing, job->jobid);
    }

  /* UNCONFIRMED v3 wording; v1 documented executingJobs in the 429. */
  json_object_set_string_member (object, "error",
                                 only != NULL
                                 ? "Channel is at its maximum of concurrent jobs, retry later"
                                 : "All configured channels are at their maximum of concurrent "
                                   "jobs, retry later");
  json_object_set_int_member (object, "code", 429);
  json_object_set_array_member (object, "executingJobs", executing);
  emu_reply_object (req, 429, object);
}

static void
reply_moderation (EmuRequest    *req,
                  const Channel *channel)
{
  emu_reply_error (req, 596, "%s", channel->moderation);
}

static void
flag_channel (Channel *channel)
{
  g_free (channel->moderation);
  channel->moderation = g_strdup_printf (
    "Pending moderation: Midjourney shows a moderation notice or CAPTCHA on channel %s. "
    "Resolve it in Discord, then POST /v3/midjourney/accounts/reset/%s",
    channel->channel, channel->channel);
}

/* Picks the channel a new job runs on (@pinned, or any with room) and
 * answers 404 / 429 / 596 itself when there is none. */
static Channel *
choose_channel (EaselEmulator *self,
                EmuRequest    *req,
                const char    *pinned,
                gboolean       video)
{
  GPtrArray *channels = self->useapi->channels;
  Channel *flagged = NULL;
  gboolean any_usable = FALSE;

  if (pinned != NULL)
    {
      Channel *channel = find_channel (self, pinned);

      if (channel == NULL)
        emu_reply_error (req, 404, "Configuration for channel %s not found. To create "
                         "configuration use POST /accounts", pinned);
      else if (channel->moderation != NULL)
        reply_moderation (req, channel);
      else if (!has_room (self, channel, video))
        reply_busy (self, req, channel);
      else
        return channel;
      return NULL;
    }

  for (guint i = 0; i < channels->len; i++)
    {
      Channel *channel = channels->pdata[i];

      if (channel->moderation != NULL)
        {
          flagged = flagged ? flagged : channel;
          continue;
        }
      any_usable = TRUE;
      if (has_room (self, channel, video))
        return channel;
    }

  if (channels->len == 0)
    emu_reply_error (req, 404, "Configuration not found. To create configuration use POST /accounts");
  else if (!any_usable)
    reply_moderation (req, flagged);
  else
    reply_busy (self, req, NULL);
  return NULL;
}

/* ---- Request parsing ---------------------------------------------------- */

/* The parameters as UseAPI echoes them in "request": every field sent,
 * with file parts described rather than copied. */
static JsonObject *
request_echo (EmuForm *form)
{
  JsonObject *echo = json_object_new ();
  GHashTableIter iter;
  gpointer key, value;
  GList *members = json_object_get_members (form->fields);

  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (echo, l->data,
                            json_node_copy (json_object_get_member (form->fields, l->data)));
  g_list_free (members);

  g_hash_table_iter_init (&iter, form->files);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      EmuFormFile *file = value;
      g_autofree char *text = g_strdup_printf ("%s (%" G_GSIZE_FORMAT " bytes)",
                                               file->filename ? file->filename : "blob",
                                               g_bytes_get_size (file->bytes));

      json_object_set_string_member (echo, key, text);
    }
  return echo;
}

static EmuForm *
read_form (EmuRequest *req)
{
  g_autoptr(GError) error = NULL;
  EmuForm *form = emu_request_form (req, &error);

  if (form == NULL)
    {
      emu_reply_error (req, 400, "Invalid request body: %s", error->message);
      return NULL;
    }

  /* Shared limits of every job endpoint. */
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "replyUrl" : "replyRef";
      const char *value = emu_form_string (form, name);

      if (value != NULL && g_utf8_strlen (value, -1) > MAX_REPLY_FIELD)
        {
          emu_reply_error (req, 400, "Parameter %s is too long (maximum %d characters)",
                           name, MAX_REPLY_FIELD);
          emu_form_free (form);
          return NULL;
        }
    }
  return form;
}

static gboolean
check_image_url (EmuRequest *req,
                 const char *name,
                 const char *url)
{
  if (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://"))
    return TRUE;
  emu_reply_error (req, 400, "Parameter %s (%s) is not a valid image URL", name, url);
  return FALSE;
}

static gboolean
check_blob (EmuRequest  *req,
            const char  *name,
            EmuFormFile *file)
{
  gsize size = g_bytes_get_size (file->bytes);

  if (size == 0)
    {
      emu_reply_error (req, 400, "Parameter %s is empty", name);
      return FALSE;
    }
  if (size > MAX_IMAGE_BYTES)
    {
      emu_reply_error (req, 400, "Parameter %s is %" G_GSIZE_FORMAT " bytes, larger than the "
                       "10 MB limit", name, size);
      return FALSE;
    }
  return TRUE;
}

/* ---- Handlers: jobs ----------------------------------------------------- */

static void
imagine_handler (EaselEmulator *self,
                 EmuRequest    *req)
{
  g_autoptr(EmuForm) form = read_form (req);
  g_autoptr(JsonObject) echo = NULL;
  g_autofree char *ratio = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *text = NULL;
  const char *prompt;
  Channel *channel;
  gboolean video;
  Job *job;

  if (form == NULL)
    return;

  prompt = emu_form_string (form, "prompt");
  if (prompt == NULL || prompt[0] == '\0')
    {
      emu_reply_error (req, 400, "Parameter prompt is required");
      return;
    }
  if (g_utf8_strlen (prompt, -1) > MAX_PROMPT)
    {
      emu_reply_error (req, 400, "Parameter prompt is too long: %ld characters (maximum %d)",
                       g_utf8_strlen (prompt, -1), MAX_PROMPT);
      return;
    }

  video = prompt_flag (prompt, "video");
  channel = choose_channel (self, req, emu_form_string (form, "channel"), video);
  if (channel == NULL)
    return;

  if (emu_has_marker (prompt, EMU_MARK_CAPTCHA))
    {
      flag_channel (channel);
      reply_moderation (req, channel);
      return;
    }

  echo = request_echo (form);
  job = job_new (self, req, "imagine", video, channel, echo);
  job_set_prompt (job, prompt);
  job->kind = video ? OUT_VIDEO : OUT_GRID;
  job->buttons = video ? video_buttons : grid_buttons;

  ratio = prompt_parameter (prompt, "ar");
  if (ratio == NULL)
    ratio = prompt_parameter (prompt, "aspect");
  if (!cell_for_ratio (ratio, &job->cell_width, &job->cell_height))
    job->fail_reason = g_strdup_printf ("Invalid parameter: --ar %s (expected two whole numbers "
                                        "such as 3:2)", ratio);

  seed = prompt_parameter (prompt, "seed");
  job->seed = seed && g_ascii_isdigit (seed[0]) ? g_ascii_strtoull (seed, NULL, 10) & 0xffffffff
                                                : g_rand_int (self->rand);
  text = prompt_text (prompt);
  job->render_key = g_strdup_printf ("midjourney\n%s\n%" G_GUINT64_FORMAT, text, job->seed);

  job_launch (self, req, job, emu_form_boolean (form, "stream", TRUE));
}

static Job *
require_parent (EaselEmulator *self,
                EmuRequest    *req,
                const char    *jobid)
{
  Job *parent;

  if (jobid == NULL || jobid[0] == '\0')
    {
      emu_reply_error (req, 400, "Parameter jobId is required");
      return NULL;
    }
  parent = lookup_job (self, jobid);
  if (parent == NULL)
    {
      emu_reply_error (req, 404, "Job not found");
      return NULL;
    }
  if (is_expired (self, parent))
    {
      emu_reply_error (req, 410, "Job %s has expired", jobid);
      return NULL;
    }
  if (parent->status != MJ_COMPLETED)
    {
      emu_reply_error (req, 400, "Job %s is not completed (status %s)", jobid,
                       status_names[parent->status]);
      return NULL;
    }
  return parent;
}

static const char *
existing_child (Job        *parent,
                const char *button)
{
  for (guint i = 0; i < parent->children->len; i++)
    {
      ChildRef *ref = parent->children->pdata[i];

      if (g_str_equal (ref->button, button))
        return ref->jobid;
    }
  return NULL;
}

static void
add_child (Job        *parent,
           const char *button,
           Job        *child)
{
  ChildRef *ref = g_new0 (ChildRef, 1);

  ref->button = g_strdup (button);
  ref->jobid = g_strdup (child->jobid);
  g_ptr_array_add (parent->children, ref);
  child->parent_jobid = g_strdup (parent->jobid);
}

static void
button_handler (EaselEmulator *self,
                EmuRequest    *req)
{
  g_autoptr(EmuForm) form = read_form (req);
  g_autoptr(JsonObject) echo = NULL;
  const char *button;
  const char *prompt;
  gboolean upscale_cell, video;
  Channel *channel;
  Job *parent;
  Job *job;

  if (form == NULL)
    return;
  if ((parent = require_parent (self, req, emu_form_string (form, "jobId"))) == NULL)
    return;

  button = emu_form_string (form, "button");
  if (button == NULL || button[0] == '\0')
    {
      emu_reply_error (req, 400, "Parameter button is required");
      return;
    }
  if (!in_list (parent->buttons, button))
    {
      g_autofree char *available = g_strjoinv (", ", (GStrv) parent->buttons);

      emu_reply_error (req, 400, "Button %s is not available for job %s (buttons: %s)",
                       button, parent->jobid, available);
      return;
    }

  prompt = emu_form_string (form, "prompt");
  if (g_str_equal (button, "Custom Zoom") && (prompt == NULL || prompt[0] == '\0'))
    {
      emu_reply_error (req, 400, "Parameter prompt is required for Custom Zoom");
      return;
    }
  if (g_str_equal (button, "Vary (Region)") && !emu_form_has (form, "mask"))
    {
      emu_reply_error (req, 400, "Parameter mask is required for Vary (Region)");
      return;
    }

  upscale_cell = button[0] == 'U' && button[1] >= '1' && button[1] <= '4' && button[2] == '\0';
  if (upscale_cell && existing_child (parent, button) != NULL)
    {
      job_repeat (self, req, lookup_job (self, existing_child (parent, button)),
                  emu_form_boolean (form, "stream", TRUE));
      return;
    }

  video = in_list (video_actions, button);
  channel = choose_channel (self, req, parent->channel, video);
  if (channel == NULL)
    return;

  echo = request_echo (form);
  job = job_new (self, req, "button", video, channel, echo);
  job_set_prompt (job, prompt && prompt[0] ? prompt : parent->prompt);
  job->cell_width = parent->cell_width;
  job->cell_height = parent->cell_height;
  job->seed = parent->seed;
  add_child (parent, button, job);

  if (upscale_cell)
    {
      job->kind = OUT_SINGLE;
      job->variant = (guint) (button[1] - '1');
      job->render_key = g_strdup (parent->render_key);
      job->buttons = upscale_buttons;
    }
  else if (in_list (upscale_actions, button))
    {
      job->kind = OUT_SINGLE;
      job->variant = parent->variant;
      job->render_key = g_strdup (parent->render_key);
      job->cell_width = parent->cell_width * 2;
      job->cell_height = parent->cell_height * 2;
      job->buttons = reupscale_buttons;
    }
  else if (video)
    {
      job->kind = OUT_VIDEO;
      job->variant = parent->variant;
      job->render_key = g_strdup (parent->render_key);
      job->buttons = video_buttons;
    }
  else if (parent->kind == OUT_DESCRIBE)
    {
      /* "1"–"4" imagine the chosen suggestion. */
      g_auto(GStrv) lines = g_strsplit (parent->result_text, "\n\n", -1);
      guint n = (guint) (button[0] - '1');
      const char *line = n < g_strv_length (lines) ? lines[n] : parent->prompt;
      const char *space = strchr (line, ' ');

      job_set_prompt (job, space ? space + 1 : line);
      job->kind = OUT_GRID;
      job->render_key = g_strdup_printf ("midjourney\n%s\n%" G_GUINT64_FORMAT, job->prompt, job->seed);
      job->buttons = grid_buttons;
    }
  else
    {
      g_assert (in_list (grid_actions, button));
      job->kind = OUT_GRID;
      job->render_key = g_strdup_printf ("%s|%s|%u", parent->render_key, button,
                                         self->useapi->counter);
      job->buttons = grid_buttons;
    }

  job_launch (self, req, job, emu_form_boolean (form, "stream", TRUE));
}

static void
seed_handler (EaselEmulator *self,
              EmuRequest    *req)
{
  g_autoptr(EmuForm) form = read_form (req);
  g_autoptr(JsonObject) echo = NULL;
  gboolean stream;
  Channel *channel;
  Job *parent;
  Job *job;

  if (form == NULL)
    return;
  if ((parent = require_parent (self, req, emu_form_string (form, "jobId"))) == NULL)
    return;

  stream = emu_form_boolean (form, "stream", TRUE);
  if (parent->video || parent->kind == OUT_DESCRIBE || parent->kind == OUT_SEED)
    {
      emu_reply_error (req, 400, "Job %s is not an image job: seed needs a completed image job",
                       parent->jobid);
      return;
    }
  if (parent->seed_jobid != NULL)
    {
      job_repeat (self, req, lookup_job (self, parent->seed_jobid), stream);
      return;
    }

  channel = choose_channel (self, req, parent->channel, FALSE);
  if (channel == NULL)
    return;

  echo = request_echo (form);
  job = job_new (self, req, "seed", FALSE, channel, echo);
  job_set_prompt (job, parent->prompt);
  job->kind = OUT_SEED;
  job->seed = parent->seed;
  job->render_key = g_strdup (parent->render_key);
  job->cell_width = parent->cell_width;
  job->cell_height = parent->cell_height;
  job->result_text = g_strdup_printf ("**Job ID**: %s\n**seed** %" G_GUINT64_FORMAT,
                                      parent->uuid, parent->seed);
  job->parent_jobid = g_strdup (parent->jobid);
  parent->seed_jobid = g_strdup (job->jobid);

  job_launch (self, req, job, stream);
}

static const char *const describe_subjects[] = {
  "a lighthouse on a cliff", "a fox in a snowy forest", "a neon city street at night",
  "a bowl of ripe fruit", "an astronaut in a meadow", "a cozy cabin under the stars",
  "a koi pond with lanterns", "a vintage car on a desert road",
};
static const char *const describe_styles[] = {
  "oil painting", "watercolor", "cinematic photograph", "isometric illustration",
  "ukiyo-e woodblock print", "low-poly 3D render", "charcoal sketch", "studio portrait",
};
static const char *const describe_moods[] = {
  "soft morning light", "dramatic chiaroscuro", "pastel colors", "moody fog",
  "golden hour glow", "vivid saturated colors",
};

static char *
describe_text (const char *seed_text)
{
  GString *text = g_string_new (NULL);
  static const char *const numbers[] = { "1️⃣", "2️⃣", "3️⃣", "4️⃣" };

  for (guint i = 0; i < 4; i++)
    {
      guint64 h = emu_hash64 (seed_text, i + 1);

      g_string_append_printf (text, "%s%s %s, %s, %s --ar %s",
                              i ? "\n\n" : "", numbers[i],
                              describe_subjects[h % G_N_ELEMENTS (describe_subjects)],
                              describe_styles[(h >> 8) % G_N_ELEMENTS (describe_styles)],
                              describe_moods[(h >> 16) % G_N_ELEMENTS (describe_moods)],
                              (h >> 24) % 2 ? "3:2" : "1:1");
    }
  return g_string_free (text, FALSE);
}

static void
describe_handler (EaselEmulator *self,
                  EmuRequest    *req)
{
  g_autoptr(EmuForm) form = read_form (req);
  g_autoptr(JsonObject) echo = NULL;
  g_autofree char *digest = NULL;
  const char *url;
  EmuFormFile *blob;
  Channel *channel;
  Job *job;

  if (form == NULL)
    return;

  /* UNCONFIRMED field names (third-party client) and limit (as blend). */
  url = emu_form_string (form, "imageUrl");
  blob = g_hash_table_lookup (form->files, "imageBlob");
  if (url == NULL && blob == NULL)
    {
      emu_reply_error (req, 400, "Parameter imageUrl or imageBlob is required");
      return;
    }
  if (url != NULL && blob != NULL)
    {
      emu_reply_error (req, 400, "Use either imageUrl or imageBlob, not both");
      return;
    }
  if (url != NULL && !check_image_url (req, "imageUrl", url))
    return;
  if (blob != NULL && !check_blob (req, "imageBlob", blob))
    return;

  channel = choose_channel (self, req, emu_form_string (form, "channel"), FALSE);
  if (channel == NULL)
    return;

  digest = blob ? g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, blob->bytes) : g_strdup (url);
  echo = request_echo (form);
  job = job_new (self, req, "describe", FALSE, channel, echo);
  job_set_prompt (job, url ? url : "imageBlob");
  job->kind = OUT_DESCRIBE;
  job->buttons = describe_buttons;
  job->result_text = describe_text (digest);
  job->render_key = g_strdup (digest);

  job_launch (self, req, job, emu_form_boolean (form, "stream", TRUE));
}

static void
blend_handler (EaselEmulator *self,
               EmuRequest    *req)
{
  g_autoptr(EmuForm) form = read_form (req);
  g_autoptr(JsonObject) echo = NULL;
  g_autoptr(GString) digest = g_string_new ("blend");
  const char *dimensions;
  guint n_images = 0;
  Channel *channel;
  Job *job;

  if (form == NULL)
    return;

  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *url_name = g_strdup_printf ("imageUrl_%u", i);
      g_autofree char *blob_name = g_strdup_printf ("imageBlob_%u", i);
      const char *url = emu_form_string (form, url_name);
      EmuFormFile *blob = g_hash_table_lookup (form->files, blob_name);

      if (url != NULL && blob != NULL)
        {
          emu_reply_error (req, 400, "Use either %s or %s, not both", url_name, blob_name);
          return;
        }
      if (url == NULL && blob == NULL)
        {
          if (i <= 2)
            {
              emu_reply_error (req, 400, "Parameter %s or %s is required", url_name, blob_name);
              return;
            }
          continue;
        }
      if (url != NULL && !check_image_url (req, url_name, url))
        return;
      if (blob != NULL && !check_blob (req, blob_name, blob))
        return;

      if (blob != NULL)
        {
          g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, blob->bytes);

          g_string_append_printf (digest, "\n%s", sum);
        }
      else
        g_string_append_printf (digest, "\n%s", url);
      n_images++;
    }

  dimensions = emu_form_string (form, "blendDimensions");
  if (dimensions != NULL && !g_str_equal (dimensions, "Square") &&
      !g_str_equal (dimensions, "Portrait") && !g_str_equal (dimensions, "Landscape"))
    {
      emu_reply_error (req, 400, "Parameter blendDimensions (%s) must be Square, Portrait or "
                       "Landscape", dimensions);
      return;
    }

  channel = choose_channel (self, req, emu_form_string (form, "channel"), FALSE);
  if (channel == NULL)
    return;

  echo = request_echo (form);
  job = job_new (self, req, "blend", FALSE, channel, echo);
  {
    g_autofree char *label = g_strdup_printf ("blend of %u images", n_images);

    job_set_prompt (job, label);
  }
  job->kind = OUT_GRID;
  job->buttons = grid_buttons;
  job->seed = g_rand_int (self->rand);
  job->render_key = g_strdup_printf ("%s\n%" G_GUINT64_FORMAT, digest->str, job->seed);
  cell_for_ratio (g_strcmp0 (dimensions, "Portrait") == 0 ? "2:3"
                  : g_strcmp0 (dimensions, "Landscape") == 0 ? "3:2" : "1:1",
                  &job->cell_width, &job->cell_height);

  job_launch (self, req, job, emu_form_boolean (form, "stream", TRUE));
}

static void
jobs_list_handler (EaselEmulator *self,
                   EmuRequest    *req)
{
  EmuUseapi *state = self->useapi;
  JsonObject *object = json_object_new ();
  JsonObject *channels = json_object_new ();
  guint total_images, total_videos;
  gint64 now = emu_now_ms (self);

  count_running (self, NULL, &total_images, &total_videos);
  json_object_set_int_member (object, "total", total_images + total_videos);
  json_object_set_int_member (object, "images", total_images);
  json_object_set_int_member (object, "videos", total_videos);

  /* UNCONFIRMED: idle channels are listed too (total 0), so a client can
   * read every channel's limits here. */
  for (guint c = 0; c < state->channels->len; c++)
    {
      Channel *channel = state->channels->pdata[c];
      JsonObject *entry = json_object_new ();
      JsonArray *jobs = json_array_new ();
      guint images, videos;

      count_running (self, channel->channel, &images, &videos);
      json_object_set_int_member (entry, "total", images + videos);
      json_object_set_int_member (entry, "images", images);
      json_object_set_int_member (entry, "videos", videos);
      json_object_set_int_member (entry, "maxJobs", channel->max_jobs);
      json_object_set_int_member (entry, "maxImageJobs", channel->max_image_jobs);
      json_object_set_int_member (entry, "maxVideoJobs", channel->max_video_jobs);

      for (guint i = 0; i < state->jobs->len; i++)
        {
          Job *job = state->jobs->pdata[i];
          JsonObject *item;
          g_autofree char *created = NULL;
          g_autofree char *elapsed = NULL;
          gint64 seconds;

          if (!is_running (job) || !g_str_equal (job->channel, channel->channel))
            continue;

          seconds = (now - job->created_ms) / 1000;
          created = emu_format_time (self, job->created_ms, 3);
          elapsed = g_strdup_printf ("%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                                     seconds / 60, seconds % 60);
          item = json_object_new ();
          json_object_set_string_member (item, "jobId", job->jobid);
          json_object_set_string_member (item, "channel", job->channel);
          json_object_set_string_member (item, "jobType", job->video ? "video" : "image");
          json_object_set_string_member (item, "created", created);
          json_object_set_string_member (item, "elapsed", elapsed);
          json_array_add_object_element (jobs, item);
        }
      json_object_set_array_member (entry, "jobs", jobs);
      json_object_set_object_member (channels, channel->channel, entry);
    }

  json_object_set_object_member (object, "channels", channels);
  emu_reply_object (req, 200, object);
}

static Job *
require_job (EaselEmulator *self,
             EmuRequest    *req)
{
  Job *job = lookup_job (self, req->params[0]);

  if (job == NULL)
    emu_reply_error (req, 404, "Job not found");
  /* UNCONFIRMED for GET: 410 by analogy with DELETE. */
  else if (is_expired (self, job))
    emu_reply_error (req, 410, "Job %s has expired", job->jobid);
  else
    return job;
  return NULL;
}

static void
job_get_handler (EaselEmulator *self,
                 EmuRequest    *req)
{
  Job *job = require_job (self, req);

  if (job != NULL)
    emu_reply_object (req, 200, job_json (self, job));
}

static void
job_delete_handler (EaselEmulator *self,
                    EmuRequest    *req)
{
  Job *job = require_job (self, req);

  if (job == NULL)
    return;

  /* UNCONFIRMED: a job that is no longer running cannot be cancelled. */
  if (!is_running (job))
    {
      emu_reply_error (req, 400, "Job %s is not running (status %s)", job->jobid,
                       status_names[job->status]);
      return;
    }

  job_finish (self, job, MJ_FAILED, "Job cancelled by user");
  emu_reply_empty (req, 204);
}

/* ---- Handlers: accounts ------------------------------------------------- */

static char *
mask_token (const char *token)
{
  gsize length = strlen (token);

  if (length <= 6)
    return g_strdup ("...");
  return g_strdup_printf ("%.3s...%s", token, token + length - 3);
}

static JsonObject *
channel_json (const Channel *channel)
{
  JsonObject *object = json_object_new ();
  g_autofree char *masked = mask_token (channel->discord);

  json_object_set_string_member (object, "discord", masked);
  json_object_set_string_member (object, "channel", channel->channel);
  json_object_set_int_member (object, "maxJobs", channel->max_jobs);
  json_object_set_int_member (object, "maxImageJobs", channel->max_image_jobs);
  json_object_set_int_member (object, "maxVideoJobs", channel->max_video_jobs);
  if (channel->reply_url != NULL)
    json_object_set_string_member (object, "replyUrl", channel->reply_url);
  /* UNCONFIRMED v3 field; v2 called it pendingModMessage: both are sent. */
  if (channel->moderation != NULL)
    {
      json_object_set_string_member (object, "error", channel->moderation);
      json_object_set_int_member (object, "errorCode", 596);
      json_object_set_string_member (object, "pendingModMessage", channel->moderation);
    }
  return object;
}

static void
accounts_list_handler (EaselEmulator *self,
                       EmuRequest    *req)
{
  GPtrArray *channels = self->useapi->channels;
  JsonObject *object = json_object_new ();

  for (guint i = 0; i < channels->len; i++)
    {
      Channel *channel = channels->pdata[i];

      json_object_set_object_member (object, channel->channel, channel_json (channel));
    }
  emu_reply_object (req, 200, object);
}

static gboolean
read_limit (EmuRequest *req,
            EmuForm    *form,
            const char *name,
            guint       max,
            guint       fallback,
            guint      *value)
{
  JsonNode *node;
  gint64 v;

  if (!json_object_has_member (form->fields, name))
    {
      *value = fallback;
      return TRUE;
    }

  node = json_object_get_member (form->fields, name);
  if (!emu_json_get_int (form->fields, name, &v))
    {
      const char *text = JSON_NODE_HOLDS_VALUE (node) &&
                         json_node_get_value_type (node) == G_TYPE_STRING
                         ? json_node_get_string (node) : NULL;
      char *end = NULL;

      v = text ? g_ascii_strtoll (text, &end, 10) : -1;
      if (text == NULL || end == text || *end != '\0')
        v = -1;
    }

  if (v < 1 || v > max)
    {
      emu_reply_error (req, 400, "Parameter %s must be a number from 1 to %u", name, max);
      return FALSE;
    }
  *value = (guint) v;
  return TRUE;
}

static void
accounts_create_handler (EaselEmulator *self,
                         EmuRequest    *req)
{
  g_autoptr(EmuForm) form = read_form (req);
  g_autofree char *channel_id = NULL;
  const char *discord;
  const char *reply_url;
  guint max_jobs, max_image_jobs, max_video_jobs;
  gboolean created;
  Channel *channel;

  if (form == NULL)
    return;

  discord = emu_form_string (form, "discord");
  if (discord == NULL || discord[0] == '\0')
    {
      emu_reply_error (req, 400, "Required param discord is missing or empty");
      return;
    }

  if (!read_limit (req, form, "maxJobs", 15, 3, &max_jobs) ||
      !read_limit (req, form, "maxImageJobs", 12, MIN (3, max_jobs), &max_image_jobs) ||
      !read_limit (req, form, "maxVideoJobs", 12, MIN (3, max_jobs), &max_video_jobs))
    return;

  if (max_image_jobs > max_jobs || max_video_jobs > max_jobs)
    {
      emu_reply_error (req, 400, "maxImageJobs and maxVideoJobs must not exceed maxJobs (%u)",
                       max_jobs);
      return;
    }

  reply_url = emu_form_string (form, "replyUrl");
  if (reply_url != NULL && strlen (reply_url) > 2048)
    {
      emu_reply_error (req, 400, "Parameter replyUrl is too long (maximum 2048 characters)");
      return;
    }

  /* UseAPI discovers the Midjourney DM channel from the token; here it is
   * a stable 19-digit number derived from it. */
  channel_id = g_strdup_printf ("1%018" G_GUINT64_FORMAT,
                                emu_hash64 (discord, 596) % G_GUINT64_CONSTANT (1000000000000000000));
  channel = set_channel (self, channel_id, discord, max_jobs, max_image_jobs, max_video_jobs,
                         &created);
  g_free (channel->reply_url);
  channel->reply_url = g_strdup (reply_url);

  /* UNCONFIRMED: 200 when an existing configuration was updated. */
  emu_reply_object (req, created ? 201 : 200, channel_json (channel));
}

static Channel *
require_channel (EaselEmulator *self,
                 EmuRequest    *req)
{
  Channel *channel = find_channel (self, req->params[0]);

  if (channel == NULL)
    emu_reply_error (req, 404, "Configuration for channel %s not found", req->params[0]);
  return channel;
}

static void
account_get_handler (EaselEmulator *self,
                     EmuRequest    *req)
{
  Channel *channel = require_channel (self, req);

  if (channel != NULL)
    emu_reply_object (req, 200, channel_json (channel));
}

static void
account_delete_handler (EaselEmulator *self,
                        EmuRequest    *req)
{
  Channel *channel = require_channel (self, req);

  if (channel != NULL)
    {
      g_ptr_array_remove (self->useapi->channels, channel);
      emu_reply_empty (req, 204);
    }
}

static void
account_reset_handler (EaselEmulator *self,
                       EmuRequest    *req)
{
  Channel *channel = require_channel (self, req);

  if (channel != NULL)
    {
      g_clear_pointer (&channel->moderation, g_free);
      emu_reply_empty (req, 204);
    }
}

/* ---- Fake CDNs ---------------------------------------------------------- */

static void
reply_image (EmuRequest     *req,
             GdkPixbuf      *pixbuf,
             EmuImageFormat  format)
{
  g_autoptr(GBytes) bytes = emu_image_encode (pixbuf, format);

  if (bytes == NULL)
    emu_reply_text (req, 500, "Could not encode the image");
  else
    emu_reply_bytes (req, 200, emu_image_mime (format), bytes);
}

static GdkPixbuf *
draw_cell (const Job *job,
           guint      variant)
{
  guint width, height;

  cell_size (job, &width, &height);
  return emu_image_draw (job->render_key, variant, width, height);
}

/* cdn.discordapp.com / media.discordapp.net attachment links: valid only
 * with an unexpired ex and a matching hm, else Discord's 404. */
static void
discord_handler (EaselEmulator *self,
                 EmuRequest    *req)
{
  const char *ex = emu_request_query (req, "ex");
  const char *is = emu_request_query (req, "is");
  const char *hm = emu_request_query (req, "hm");
  Job *job = g_hash_table_lookup (self->useapi->by_message, req->params[1]);
  g_autofree char *signed_text = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  if (ex == NULL || is == NULL || hm == NULL || job == NULL ||
      !g_str_equal (job->channel, req->params[0]) || job->status != MJ_COMPLETED)
    goto gone;

  signed_text = g_strdup_printf ("%s/%s/%s?ex=%s&is=%s", req->params[0], req->params[1],
                                 req->params[2], ex, is);
  expected = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) self->hmac_key,
                                        strlen (self->hmac_key), signed_text, -1);
  if (!g_str_equal (expected, hm) ||
      (gint64) g_ascii_strtoull (ex, NULL, 16) <= emu_wall_seconds (self, emu_now_ms (self)))
    goto gone;

  for (int index = -1; index < 4; index++)
    {
      g_autofree char *name = attachment_name (job, index);

      if (!g_str_equal (name, req->params[2]))
        continue;

      if (index >= 0)
        pixbuf = draw_cell (job, (guint) index);
      else if (job->kind == OUT_GRID)
        {
          guint width, height;

          grid_size (job, &width, &height);
          pixbuf = emu_image_draw_grid (job->render_key, width, height);
        }
      else if (job->kind == OUT_SINGLE || job->kind == OUT_VIDEO)
        pixbuf = draw_cell (job, job->variant);
      break;
    }

  if (pixbuf != NULL)
    {
      reply_image (req, pixbuf, EMU_IMAGE_PNG);
      return;
    }

gone:
  emu_reply_text (req, 404, "This content is no longer available.");
}

/* Cloudflare in front of cdn.midjourney.com turns away clients that do not
 * look like browsers (providers.md §1.9). */
static gboolean
check_browser (EmuRequest *req)
{
  const char *agent = emu_request_header (req, "User-Agent");

  if (agent != NULL && strstr (agent, "Mozilla/") != NULL)
    return TRUE;

  {
    static const char page[] =
      "<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>"
      "<body><h1>Sorry, you have been blocked</h1></body></html>";
    g_autoptr(GBytes) body = g_bytes_new_static (page, strlen (page));

    emu_reply_bytes (req, 403, "text/html; charset=UTF-8", body);
  }
  return FALSE;
}

static Job *
cdn_job (EaselEmulator *self,
         EmuRequest    *req)
{
  Job *job = g_hash_table_lookup (self->useapi->by_uuid, req->params[0]);

  if (job == NULL || job->status != MJ_COMPLETED)
    {
      emu_reply_text (req, 404, "Not Found");
      return NULL;
    }
  return job;
}

static void
midjourney_cdn_handler (EaselEmulator *self,
                        EmuRequest    *req)
{
  const char *file = req->params[1];
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  EmuImageFormat format;
  Job *job;
  guint n;

  if (!check_browser (req) || (job = cdn_job (self, req)) == NULL)
    return;

  if (g_str_has_suffix (file, ".jpeg") || g_str_has_suffix (file, ".jpg"))
    format = EMU_IMAGE_JPEG;
  else if (g_str_has_suffix (file, ".png"))
    format = EMU_IMAGE_PNG;
  else
    {
      emu_reply_text (req, 404, "Not Found");
      return;
    }

  if (!g_str_has_prefix (file, "0_") || !g_ascii_isdigit (file[2]) || file[3] != '.' ||
      (n = (guint) (file[2] - '0')) >= (job->kind == OUT_GRID ? 4u : 1u) ||
      (job->kind != OUT_GRID && job->kind != OUT_SINGLE))
    {
      emu_reply_text (req, 404, "Not Found");
      return;
    }

  pixbuf = draw_cell (job, job->kind == OUT_GRID ? n : job->variant);
  reply_image (req, pixbuf, format);
}

static void
midjourney_video_handler (EaselEmulator *self,
                          EmuRequest    *req)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  Job *job;

  if (!check_browser (req) || (job = cdn_job (self, req)) == NULL)
    return;
  if (job->kind != OUT_VIDEO || !g_str_equal (req->params[1], "0.mp4"))
    {
      emu_reply_text (req, 404, "Not Found");
      return;
    }

  pixbuf = draw_cell (job, job->variant);
  reply_image (req, pixbuf, EMU_IMAGE_PNG);
}

const EmuRoute emu_useapi_routes[] = {
  { "POST", "/v3/midjourney/jobs/imagine", EMU_API_USEAPI, FALSE, imagine_handler },
  { "POST", "/v3/midjourney/jobs/button", EMU_API_USEAPI, FALSE, button_handler },
  { "POST", "/v3/midjourney/jobs/blend", EMU_API_USEAPI, FALSE, blend_handler },
  { "POST", "/v3/midjourney/jobs/describe", EMU_API_USEAPI, FALSE, describe_handler },
  { "POST", "/v3/midjourney/jobs/seed", EMU_API_USEAPI, FALSE, seed_handler },
  { "GET", "/v3/midjourney/jobs", EMU_API_USEAPI, FALSE, jobs_list_handler },
  { "GET", "/v3/midjourney/jobs/{jobid}", EMU_API_USEAPI, FALSE, job_get_handler },
  { "DELETE", "/v3/midjourney/jobs/{jobid}", EMU_API_USEAPI, FALSE, job_delete_handler },
  { "GET", "/v3/midjourney/accounts", EMU_API_USEAPI, FALSE, accounts_list_handler },
  { "POST", "/v3/midjourney/accounts", EMU_API_USEAPI, FALSE, accounts_create_handler },
  { "GET", "/v3/midjourney/accounts/{channel}", EMU_API_USEAPI, FALSE, account_get_handler },
  { "DELETE", "/v3/midjourney/accounts/{channel}", EMU_API_USEAPI, FALSE, account_delete_handler },
  { "POST", "/v3/midjourney/accounts/reset/{channel}", EMU_API_USEAPI, FALSE, account_reset_handler },
  { "GET", "/_emulator/cdn.discordapp.com/attachments/{channel}/{message}/{file}", EMU_API_NONE, TRUE, discord_handler },
  { "GET", "/_emulator/media.discordapp.net/attachments/{channel}/{message}/{file}", EMU_API_NONE, TRUE, discord_handler },
  { "GET", "/_emulator/cdn.midjourney.com/{uuid}/{file}", EMU_API_NONE, TRUE, midjourney_cdn_handler },
  { "GET", "/_emulator/cdn.midjourney.com/video/{uuid}/{file}", EMU_API_NONE, TRUE, midjourney_video_handler },
  { NULL }
};
