/* easel-library-private.h
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* For tests and benchmarks: run every text search with one plan, so that
 * both are checked against the same reference (see easel-library.c). */

#pragma once

#include "easel-library.h"

G_BEGIN_DECLS

typedef enum
{
  EASEL_LIBRARY_PLAN_AUTO,
  EASEL_LIBRARY_PLAN_JOIN,
  EASEL_LIBRARY_PLAN_SET,
} EaselLibraryPlan;

void easel_library_force_plan (EaselLibrary     *self,
                               EaselLibraryPlan  plan);

G_END_DECLS
