/* easel-emulator-main.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The emulator as a program, for the offline demo, benchmarks and manual
 * testing: prints its origin as the first line of stdout, then serves until
 * SIGINT or SIGTERM.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <locale.h>
#include <signal.h>

#include <glib-unix.h>

#include "easel-emulator.h"

static const char description[] =
  "Serves Replicate, UseAPI Midjourney v3 and OpenRouter on one loopback origin,\n"
  "under their real paths, for tests and the offline demo. The first line of\n"
  "stdout is the origin (http://127.0.0.1:PORT); point Easel at it with\n"
  "  EASEL_REPLICATE_URL=ORIGIN/v1  EASEL_USEAPI_URL=ORIGIN/v3/midjourney\n"
  "  EASEL_OPENROUTER_URL=ORIGIN/api/v1\n"
  "\n"
  "ENDPOINTS (every API path needs \"Authorization: Bearer TOKEN\")\n"
  "  Replicate   POST /v1/models/{owner}/{name}/predictions   (official models:\n"
  "                black-forest-labs/flux-schnell, flux-dev, flux-1.1-pro,\n"
  "                ideogram-ai/ideogram-v3-quality, recraft-ai/recraft-v3)\n"
  "              POST /v1/predictions {version, input}   (stability-ai/sdxl versions\n"
  "                7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc,\n"
  "                39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b)\n"
  "              headers Prefer: wait[=N] (N <= 60), Cancel-After: 30s | 2m | 1h30m\n"
  "              GET /v1/predictions[?cursor=C]   GET /v1/predictions/{id}\n"
  "              POST /v1/predictions/{id}/cancel   GET /v1/models/{owner}/{name}\n"
  "              POST /v1/files (multipart: content, metadata)   GET /v1/files\n"
  "              GET|DELETE /v1/files/{id}   GET /v1/files/{id}/download   GET /v1/account\n"
  "  UseAPI      POST /v3/midjourney/jobs/imagine|button|blend|describe|seed\n"
  "                (JSON or multipart; stream defaults to true = text/event-stream)\n"
  "              GET /v3/midjourney/jobs   GET|DELETE /v3/midjourney/jobs/{jobid}\n"
  "              GET|POST /v3/midjourney/accounts   GET|DELETE /v3/midjourney/accounts/{channel}\n"
  "              POST /v3/midjourney/accounts/reset/{channel}\n"
  "              Channel 1234567890123456789 (3 jobs, 3 image, 3 video) exists from the start.\n"
  "  OpenRouter  POST /api/v1/chat/completions (stream optional)   GET /api/v1/key\n"
  "              GET /api/v1/models\n"
  "  Outputs     /_emulator/replicate.delivery/...           Replicate outputs (PNG; JPEG for\n"
  "                                                        output_format=jpg; webp gives PNG)\n"
  "              /_emulator/cdn.discordapp.com/attachments/...?ex=&is=&hm=   signed, expiring\n"
  "              /_emulator/media.discordapp.net/...          the same, as proxy_url\n"
  "              /_emulator/cdn.midjourney.com/{uuid}/0_N.jpeg   grid cells; like Cloudflare,\n"
  "                answers 403 unless the User-Agent contains \"Mozilla/\"\n"
  "              Video jobs (--video, Animate, Extend) get PNG poster frames: no video codec.\n"
  "  Control     GET /_emulator/stats   {\"requests\":{\"METHOD /template\":n},\"submits\":{...},\n"
  "                                       \"total_requests\":n}\n"
  "              POST /_emulator/faults (body: SPEC, replaces the rules)\n"
  "              POST /_emulator/reset (zeroes the counts)\n"
  "\n"
  "SPECIAL TOKENS (any other non-empty token is accepted)\n"
  "  containing \"invalid\"      401 in the API's own error shape\n"
  "  containing \"unpaid\"       402 (UseAPI: no subscription; OpenRouter: insufficient\n"
  "                            credits; Replicate: insufficient credit)\n"
  "  containing \"ratelimited\"  429 with Retry-After: 1\n"
  "\n"
  "MARKER WORDS IN PROMPTS\n"
  "  moderate-me   Midjourney job ends \"moderated\"; Replicate prediction fails with\n"
  "                \"NSFW content detected...\"; OpenRouter answers 403 (moderation)\n"
  "  captcha-me    UseAPI submit answers 596 and the channel stays in the pending-\n"
  "                moderation state until POST /v3/midjourney/accounts/reset/{channel}\n"
  "  fail-me       the job / prediction ends \"failed\" with an error message;\n"
  "                OpenRouter returns the error in a 200 body\n"
  "  chatty-me     OpenRouter wraps its answer as chat models often do despite\n"
  "                instructions: a preamble, a quoted bold line, an explanation\n"
  "  ramble-me     OpenRouter answers at great length (cut at max_tokens)\n"
  "  empty-me      OpenRouter answers with white space only\n"
  "  A model name containing \"error-in-body\" makes OpenRouter answer 200 with\n"
  "  {\"error\":{...}} (mid-stream when streaming).\n"
  "  A Midjourney job whose creating SSE stream closes early sticks in \"progress\" and\n"
  "  holds its slot until DELETE or the 14-minute timeout, as UseAPI documents.\n"
  "\n"
  "ENVIRONMENT\n"
  "  EASEL_EMULATOR_FAULTS    fault rules when --faults is not given\n"
  "  EASEL_EMULATOR_VERBOSE   set: log every finished request on stderr (also\n"
  "                           for emulators embedded in tests)\n"
  "\n"
  "FAULTS (--faults SPEC or EASEL_EMULATOR_FAULTS)\n"
  "  SPEC     = RULE { \";\" RULE }\n"
  "  RULE     = \"seed=\" N  |  [SCOPE \":\"] ACTION {MODIFIER}\n"
  "  SCOPE    = [METHOD] PATH | METHOD   shell globs; PATH matches the request path or\n"
  "             the route template (e.g. /v1/predictions/{id}); * also crosses /\n"
  "  ACTION   = 400...599            answer with that status (the API's error body)\n"
  "           | drop               send headers and half the body, then close the socket\n"
  "           | truncate           complete response with the body cut in half\n"
  "           | malformed          complete response whose body is not JSON\n"
  "           | latency MIN[-MAX]  delay before handling (ms, uniform)\n"
  "           | slow-sse MS        at least MS between SSE events\n"
  "  MODIFIER = N%  (probability)  | xN (the next N times only) | after=N (skip N first)\n"
  "           | retry-after=N (seconds; a 429 sends Retry-After: 1 unless told otherwise)\n"
  "  Status rules replace the handling (nothing is created). drop, truncate and\n"
  "  malformed strike after handling, so a POST still creates its job; on SSE\n"
  "  streams they hit the second event. Latency rules add up; of the others the first\n"
  "  that fires wins. Randomness is seeded (seed=N, default 1) and repeatable.\n"
  "  Examples:\n"
  "    \"POST /v1/predictions: 503 x2\"      the next two creates answer 503\n"
  "    \"GET /v1/predictions/*: 500 10%\"    one poll in ten fails\n"
  "    \"/v3/midjourney/*: 429 20% retry-after=5; seed=7\"\n"
  "    \"latency 50-200; GET /_emulator/replicate.delivery/*: drop x1\"\n"
  "    \"POST /v3/midjourney/jobs/imagine: slow-sse 500\"\n";

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_latency (const char *text,
               guint      *min_ms,
               guint      *max_ms)
{
  char *end = NULL;
  guint64 lo, hi;

  lo = g_ascii_strtoull (text, &end, 10);
  if (end == text || lo > 600000)
    return FALSE;
  hi = lo;
  if (*end == '-')
    {
      const char *rest = end + 1;

      hi = g_ascii_strtoull (rest, &end, 10);
      if (end == rest || hi > 600000 || hi < lo)
        return FALSE;
    }
  if (*end != '\0')
    return FALSE;

  *min_ms = (guint) lo;
  *max_ms = (guint) hi;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(EaselEmulator) emulator = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *faults = NULL;
  g_autofree char *latency = NULL;
  g_autofree char *origin = NULL;
  int port = 0;
  int page_size = 20;
  int output_ttl = 3600;
  double job_seconds = -1;
  gboolean verbose = FALSE;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "TCP port on 127.0.0.1 (0: any free one, the default)", "N" },
    { "faults", 'f', 0, G_OPTION_ARG_STRING, &faults, "Fault rules (see below); overrides EASEL_EMULATOR_FAULTS", "SPEC" },
    { "latency", 'l', 0, G_OPTION_ARG_STRING, &latency, "Delay every request by MS, or uniformly MIN-MAX ms", "MS[-MS]" },
    { "job-seconds", 'j', 0, G_OPTION_ARG_DOUBLE, &job_seconds, "How long a job takes, queue included (default 5.5)", "S" },
    { "page-size", 0, 0, G_OPTION_ARG_INT, &page_size, "Predictions per page of GET /v1/predictions (default 20)", "N" },
    { "output-ttl", 0, 0, G_OPTION_ARG_INT, &output_ttl, "Seconds before outputs and signed links expire (default 3600; 0: never)", "S" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Log every finished request on stderr", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("- local provider emulator for Easel");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context, description);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("easel-emulator: %s\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("easel-emulator: unexpected argument \"%s\"\n", argv[1]);
      return 2;
    }
  if (port < 0 || port > 65535 || page_size < 1 || output_ttl < 0 ||
      (job_seconds != -1 && (job_seconds < 0 || job_seconds > 3600)))
    {
      g_printerr ("easel-emulator: --port must be 0-65535, --page-size at least 1, "
                  "--output-ttl at least 0 and --job-seconds 0-3600\n");
      return 2;
    }

  emulator = easel_emulator_new ();
  easel_emulator_set_page_size (emulator, (guint) page_size);
  easel_emulator_set_output_ttl (emulator, (guint) output_ttl);
  easel_emulator_set_verbose (emulator, verbose);

  if (job_seconds >= 0)
    {
      /* The same split as the defaults (1.5 s queued, 4 s running). */
      guint total = (guint) (job_seconds * 1000 + 0.5);
      guint queued = total * 3 / 11;

      easel_emulator_set_job_duration (emulator, queued, total - queued);
    }

  if (latency != NULL)
    {
      guint min_ms, max_ms;

      if (!parse_latency (latency, &min_ms, &max_ms))
        {
          g_printerr ("easel-emulator: --latency wants MS or MIN-MAX (ms, at most 600000), "
                      "not \"%s\"\n", latency);
          return 2;
        }
      easel_emulator_set_latency (emulator, min_ms, max_ms);
    }

  if (faults == NULL)
    faults = g_strdup (g_getenv ("EASEL_EMULATOR_FAULTS"));
  if (!easel_emulator_set_faults (emulator, faults, &error))
    {
      g_printerr ("easel-emulator: %s\n", error->message);
      return 2;
    }

  if (!easel_emulator_listen (emulator, (guint) port, &error))
    {
      g_printerr ("easel-emulator: %s\n", error->message);
      return 1;
    }

  origin = easel_emulator_dup_origin (emulator);
  printf ("%s\n", origin);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  return 0;
}
