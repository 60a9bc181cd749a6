/* easel-job-poller.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Adaptive polling of one job for providers without a stream (or whose
 * stream dropped): the first poll comes soon, then the delay grows by half
 * each time up to a ceiling, so a quick job costs one or two requests and a
 * slow one a request every few seconds. Polling ends when the job reaches
 * a terminal state, when a request fails for good (the watch fails with the
 * error; the HTTP client has already retried what could be retried), or
 * when the watch is stopped or dropped. */

#include "config.h"

#include "easel-job-poller.h"

typedef struct
{
  EaselJobWatch     *watch;   /* weak */
  EaselHttpClient   *client;
  char              *path;
  EaselJobParseFunc  parse;
  EaselRemoteJob    *initial;
  guint              delay_ms;
  guint              max_ms;
} Poller;

static void
poller_free (Poller *poller)
{
  g_clear_weak_pointer (&poller->watch);
  g_clear_object (&poller->client);
  g_clear_pointer (&poller->initial, easel_remote_job_unref);
  g_free (poller->path);
  g_free (poller);
}

static gboolean
poller_done (Poller *poller)
{
  if (poller->watch != NULL && !easel_job_watch_get_finished (poller->watch))
    return FALSE;
  poller_free (poller);
  return TRUE;
}

static void poller_schedule (Poller *poller);

static void
poll_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Poller *poller = user_data;
  g_autoptr(EaselHttpResponse) response = NULL;
  g_autoptr(EaselRemoteJob) job = NULL;
  g_autoptr(GError) error = NULL;

  response = easel_http_client_send_finish (EASEL_HTTP_CLIENT (object), result, &error);
  if (poller_done (poller))
    return;

  if (response != NULL)
    {
      for (guint i = 0; i < response->attempts; i++)
        easel_job_watch_count_request (poller->watch);
      job = poller->parse (response->json, &error);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    easel_job_watch_count_request (poller->watch);

  if (job == NULL)
    easel_job_watch_fail (poller->watch, error);
  else
    easel_job_watch_update (poller->watch, job);

  if (poller_done (poller))
    return;

  poller->delay_ms = MIN (poller->delay_ms * 3 / 2, poller->max_ms);
  poller_schedule (poller);
}

static gboolean
poll_now_cb (gpointer user_data)
{
  Poller *poller = user_data;

  if (poller_done (poller))
    return G_SOURCE_REMOVE;

  easel_http_client_send_async (poller->client, easel_http_request_new ("GET", poller->path),
                                easel_job_watch_get_cancellable (poller->watch),
                                poll_cb, poller);
  return G_SOURCE_REMOVE;
}

static void
poller_schedule (Poller *poller)
{
  g_timeout_add (poller->delay_ms, poll_now_cb, poller);
}

static gboolean
initial_cb (gpointer user_data)
{
  Poller *poller = user_data;

  if (poller_done (poller))
    return G_SOURCE_REMOVE;

  if (poller->initial != NULL)
    easel_job_watch_update (poller->watch, poller->initial);
  g_clear_pointer (&poller->initial, easel_remote_job_unref);

  if (!poller_done (poller))
    poller_schedule (poller);
  return G_SOURCE_REMOVE;
}

/**
 * easel_job_poller_start:
 * @watch: the watch to feed; polling stops when it finishes or goes away
 * @client: the provider's HTTP client
 * @path: the job's path below the client's base URL
 * @parse: the provider's job parser
 * @first_ms: the delay before the first poll
 * @max_ms: the longest delay between polls
 * @initial: (nullable): a snapshot to emit first (from an idle, so the
 *   caller can connect to @watch before anything is emitted)
 */
void
easel_job_poller_start (EaselJobWatch     *watch,
                        EaselHttpClient   *client,
                        const char        *path,
                        EaselJobParseFunc  parse,
                        guint              first_ms,
                        guint              max_ms,
                        EaselRemoteJob    *initial)
{
  Poller *poller;

  g_return_if_fail (EASEL_IS_JOB_WATCH (watch));
  g_return_if_fail (EASEL_IS_HTTP_CLIENT (client));
  g_return_if_fail (path != NULL);
  g_return_if_fail (parse != NULL);

  poller = g_new0 (Poller, 1);
  g_set_weak_pointer (&poller->watch, watch);
  poller->client = g_object_ref (client);
  poller->path = g_strdup (path);
  poller->parse = parse;
  poller->initial = initial ? easel_remote_job_ref (initial) : NULL;
  poller->delay_ms = MAX (first_ms, 1);
  poller->max_ms = MAX (max_ms, poller->delay_ms);
  /* Not an idle priority: a busy UI (animations) would starve it. */
  g_idle_add_full (G_PRIORITY_DEFAULT, initial_cb, poller, NULL);
}
