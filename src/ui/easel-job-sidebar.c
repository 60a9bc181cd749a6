/* easel-job-sidebar.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The job sidebar: running and finished jobs with their progress and cost.
 * It shows its empty state until the job engine exists. */

#include "config.h"

#include "easel-job-sidebar.h"

struct _EaselJobSidebar
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (EaselJobSidebar, easel_job_sidebar, ADW_TYPE_BIN)

static void
easel_job_sidebar_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), EASEL_TYPE_JOB_SIDEBAR);

  G_OBJECT_CLASS (easel_job_sidebar_parent_class)->dispose (object);
}

static void
easel_job_sidebar_class_init (EaselJobSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = easel_job_sidebar_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/easel-job-sidebar.ui");
}

static void
easel_job_sidebar_init (EaselJobSidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
