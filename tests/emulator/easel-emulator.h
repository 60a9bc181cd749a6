/* easel-emulator.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define EASEL_EMULATOR_ERROR (easel_emulator_error_quark ())

/**
 * EaselEmulatorError:
 * @EASEL_EMULATOR_ERROR_INVALID_FAULTS: a fault specification did not parse
 * @EASEL_EMULATOR_ERROR_LISTEN: the server could not listen
 *
 * Errors of the emulator's own API (never sent over the wire).
 */
typedef enum
{
  EASEL_EMULATOR_ERROR_INVALID_FAULTS,
  EASEL_EMULATOR_ERROR_LISTEN,
} EaselEmulatorError;

/* The channel every emulator starts with (3 jobs, 3 image jobs, 3 video jobs). */
#define EASEL_EMULATOR_DEFAULT_CHANNEL "1234567890123456789"

#define EASEL_TYPE_EMULATOR (easel_emulator_get_type ())

G_DECLARE_FINAL_TYPE (EaselEmulator, easel_emulator, EASEL, EMULATOR, GObject)

GQuark         easel_emulator_error_quark       (void);

EaselEmulator *easel_emulator_new               (void);
gboolean       easel_emulator_listen            (EaselEmulator  *self,
                                                 guint           port,
                                                 GError        **error);
char          *easel_emulator_dup_origin        (EaselEmulator  *self);

void           easel_emulator_set_job_duration  (EaselEmulator  *self,
                                                 guint           queued_ms,
                                                 guint           running_ms);
gboolean       easel_emulator_set_faults        (EaselEmulator  *self,
                                                 const char     *spec,
                                                 GError        **error);
void           easel_emulator_set_latency       (EaselEmulator  *self,
                                                 guint           min_ms,
                                                 guint           max_ms);
void           easel_emulator_set_page_size     (EaselEmulator  *self,
                                                 guint           n);
void           easel_emulator_set_output_ttl    (EaselEmulator  *self,
                                                 guint           seconds);
void           easel_emulator_add_channel       (EaselEmulator  *self,
                                                 const char     *channel,
                                                 guint           max_jobs,
                                                 guint           max_image_jobs,
                                                 guint           max_video_jobs);

void           easel_emulator_set_manual_clock  (EaselEmulator  *self,
                                                 gboolean        manual);
void           easel_emulator_advance           (EaselEmulator  *self,
                                                 guint64         ms);

guint          easel_emulator_get_request_count (EaselEmulator  *self,
                                                 const char     *key);
guint          easel_emulator_get_submit_count  (EaselEmulator  *self,
                                                 const char     *key);
guint          easel_emulator_get_total_requests (EaselEmulator *self);
void           easel_emulator_reset_counts      (EaselEmulator  *self);

void           easel_emulator_set_verbose       (EaselEmulator  *self,
                                                 gboolean        verbose);

G_END_DECLS
