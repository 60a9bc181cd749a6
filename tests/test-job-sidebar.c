/* test-job-sidebar.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The job sidebar on a GListStore of jobs in every state, without a queue:
 * what each row says, the order, re-sorting when a job changes, the empty
 * state, the signals the actions emit, the buttons that lead to the window's
 * and application's actions, and that no timer outlives a row. */

#include "config.h"

#include <stdio.h>

#include <glib/gstdio.h>

#include <adwaita.h>

#include "easel-job-row.h"
#include "easel-job-sidebar.h"
#include "easel-test-util.h"
#include "easel-test-dirs.h"

typedef struct
{
  GListStore      *store;
  char            *tmp_dir;
  EaselJob        *running;
  EaselJob        *pulsing;
  EaselJob        *downloading;
  EaselJob        *queued;
  EaselJob        *succeeded;
  EaselJob        *failed;
  EaselJob        *attention;
  EaselJob        *cancelled;
} Jobs;

/* Jobs are queued in id order; finished ones finished a few seconds apart,
 * the highest id last. @run_seconds is how long the job ran (up to now for
 * an active job), or -1 if it never started. */
static EaselJob *
add_job (Jobs          *jobs,
         gint64         id,
         const char    *provider,
         const char    *model,
         const char    *prompt,
         EaselJobState  state,
         gint64         run_seconds)
{
  g_autofree char *uuid = g_strdup_printf ("00000000-0000-4000-8000-%012" G_GINT64_MODIFIER "d", id);
  g_autoptr(EaselJobSpec) spec = easel_job_spec_new (uuid, model, prompt);
  g_autoptr(EaselJob) job = easel_job_new (uuid, provider, "", spec);
  gint64 now = g_get_real_time ();
  gint64 finished = easel_job_state_is_terminal (state) ? now - (60 - id) * G_USEC_PER_SEC : 0;
  gint64 started = run_seconds < 0 ? 0 : (finished ? finished : now) - run_seconds * G_USEC_PER_SEC;

  easel_job_set_id (job, id);
  easel_job_set_state (job, state);
  easel_job_set_times (job, now - (600 - id) * G_USEC_PER_SEC, started, finished);
  g_list_store_append (jobs->store, job);
  return job;
}

static char *
write_png (const char *dir,
           const char *name,
           guint32     from,
           guint32     to)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 192, 128);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);

  /* A diagonal gradient, so the square crop of the thumbnail shows. */
  for (int y = 0; y < 128; y++)
    for (int x = 0; x < 192; x++)
      {
        double t = (x + y) / (192.0 + 128.0);

        for (int c = 0; c < 3; c++)
          {
            int a = (from >> (16 - 8 * c)) & 0xff;
            int b = (to >> (16 - 8 * c)) & 0xff;

            pixels[y * stride + x * 3 + c] = a + (b - a) * t;
          }
      }

  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
  g_assert_no_error (error);
  return path;
}

static void
jobs_init (Jobs *jobs)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  const char *buttons[] = { "U1", "U2", "U3", "U4", "🔄", "V1", "V2", "V3", "V4", NULL };

  jobs->store = g_list_store_new (EASEL_TYPE_JOB);
  jobs->tmp_dir = easel_test_make_dir ("easel-job-sidebar");
  g_assert_no_error (error);

  /* Added in a shuffled order: the sidebar sorts. */
  jobs->succeeded = add_job (jobs, 5, "midjourney", "midjourney",
                             "a lighthouse on a basalt cliff during a thunderstorm, cinematic, "
                             "dramatic clouds --ar 3:2 --v 7",
                             EASEL_JOB_SUCCEEDED, 65);
  jobs->queued = add_job (jobs, 4, "replicate", "black-forest-labs/flux-schnell",
                          "botanical illustration of a fern, ink and wash",
                          EASEL_JOB_QUEUED, -1);
  jobs->failed = add_job (jobs, 6, "replicate", "black-forest-labs/flux-dev",
                          "studio portrait of a tabby cat wearing a tiny knitted scarf",
                          EASEL_JOB_FAILED, -1);
  jobs->running = add_job (jobs, 1, "replicate", "black-forest-labs/flux-schnell",
                           "a red fox in a misty birch forest at dawn, watercolor, soft light",
                           EASEL_JOB_RUNNING, 83);
  jobs->cancelled = add_job (jobs, 8, "replicate", "stability-ai/sdxl:7762fd07",
                             "retro travel poster of Lisbon trams",
                             EASEL_JOB_CANCELLED, 14);
  jobs->downloading = add_job (jobs, 3, "replicate", "recraft-ai/recraft-v3",
                               "product shot of a speckled ceramic mug on linen",
                               EASEL_JOB_DOWNLOADING, 21);
  jobs->attention = add_job (jobs, 7, "midjourney", "midjourney",
                             "isometric cozy reading nook with plants --v 7",
                             EASEL_JOB_NEEDS_ATTENTION, -1);
  jobs->pulsing = add_job (jobs, 2, "midjourney", "midjourney",
                           "ukiyo-e style wave crashing over a neon city\nat night --ar 16:9",
                           EASEL_JOB_RUNNING, 12);

  easel_job_set_progress (jobs->running, 46);
  easel_job_set_cost (jobs->running, -1);
  easel_job_set_waiting_reason (jobs->queued, "Waiting for a free slot");
  easel_job_set_cost (jobs->downloading, 40000);

  first = write_png (jobs->tmp_dir, "first.png", 0x1c71d8, 0xe66100);
  second = write_png (jobs->tmp_dir, "second.png", 0x26a269, 0xf6d32d);
  easel_job_set_outputs (jobs->succeeded, (const char * const[]) { first, second, NULL });
  easel_job_set_buttons (jobs->succeeded, buttons);
  easel_job_set_cost (jobs->succeeded, 32000);

  easel_job_set_error (jobs->failed, "unauthorized",
                       "Replicate refused the token (401 Unauthorized)",
                       "Check the account’s token in Preferences → Accounts; it may have been revoked.");
  easel_job_set_error (jobs->attention, "needs-attention",
                       "Midjourney is waiting for a CAPTCHA in Discord (596)",
                       "Open Discord, acknowledge Midjourney’s moderation notice or solve the CAPTCHA, "
                       "then press Reset for this channel in Preferences → Accounts.");
}

static void
jobs_clear (Jobs *jobs)
{
  g_autoptr(GDir) dir = g_dir_open (jobs->tmp_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (jobs->tmp_dir, name, NULL);

      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (jobs->tmp_dir), ==, 0);
  g_free (jobs->tmp_dir);
  g_assert_finalize_object (jobs->store);
}

static EaselJobSidebar *
present_sidebar (GtkWindow  *window,
                 GListModel *model)
{
  GtkWidget *sidebar = g_object_new (EASEL_TYPE_JOB_SIDEBAR, NULL);

  gtk_widget_add_css_class (sidebar, "easel-side-pane");
  easel_job_sidebar_set_model (EASEL_JOB_SIDEBAR (sidebar), model);
  gtk_window_set_child (window, sidebar);
  gtk_window_set_default_size (window, 360, 900);
  gtk_window_present (window);
  easel_test_wait_painted (sidebar);
  return EASEL_JOB_SIDEBAR (sidebar);
}

static gpointer
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (EASEL_IS_JOB_ROW (widget))
    {
      g_ptr_array_add (rows, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static EaselJobRow *
find_row (EaselJobSidebar *sidebar,
          EaselJob        *job)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (sidebar), rows);
  for (guint i = 0; i < rows->len; i++)
    {
      if (easel_job_row_get_job (rows->pdata[i]) == job)
        return rows->pdata[i];
    }
  return NULL;
}

static const char *
row_label (EaselJobRow *row,
           const char  *name)
{
  return gtk_label_get_label (template_child (row, EASEL_TYPE_JOB_ROW, name));
}

static gboolean
row_shows (EaselJobRow *row,
           const char  *name)
{
  return gtk_widget_get_visible (template_child (row, EASEL_TYPE_JOB_ROW, name));
}

static GListModel *
shown_jobs (EaselJobSidebar *sidebar)
{
  return G_LIST_MODEL (gtk_list_view_get_model (template_child (sidebar, EASEL_TYPE_JOB_SIDEBAR,
                                                                "list_view")));
}

static guint
position_of (EaselJobSidebar *sidebar,
             EaselJob        *job)
{
  GListModel *model = shown_jobs (sidebar);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(EaselJob) item = g_list_model_get_item (model, i);

      if (item == job)
        return i;
    }
  g_assert_not_reached ();
}

/* The row of a job that started @seconds before the test and still runs
 * shows how long it has run, then @suffix. */
static void
assert_running_for (EaselJobRow *row,
                    guint        seconds,
                    const char  *suffix)
{
  const char *meta = row_label (row, "meta_label");
  guint minutes, rest;

  g_assert_cmpint (sscanf (meta, "%u:%u", &minutes, &rest), ==, 2);
  g_assert_cmpuint (minutes * 60 + rest, >=, seconds);
  g_assert_cmpuint (minutes * 60 + rest, <, seconds + 30);
  g_assert_true (g_str_has_suffix (meta, suffix));
}

static gboolean
has_timer (gpointer object)
{
  return g_main_context_find_source_by_user_data (NULL, object) != NULL;
}

typedef struct
{
  GtkImage *images[2];
} Thumbnails;

static gboolean
thumbnails_loaded (gpointer user_data)
{
  Thumbnails *thumbnails = user_data;

  return gtk_image_get_paintable (thumbnails->images[0]) != NULL &&
         gtk_image_get_paintable (thumbnails->images[1]) != NULL;
}

static void
check_thumbnails (EaselJobRow *row)
{
  GtkWidget *box = template_child (row, EASEL_TYPE_JOB_ROW, "thumbnail_box");
  Thumbnails thumbnails;

  g_assert_true (gtk_widget_get_visible (box));
  thumbnails.images[0] = GTK_IMAGE (gtk_widget_get_first_child (box));
  thumbnails.images[1] = GTK_IMAGE (gtk_widget_get_next_sibling (GTK_WIDGET (thumbnails.images[0])));
  g_assert_true (easel_test_spin_until (thumbnails_loaded, &thumbnails, 10000));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (gtk_image_get_paintable (thumbnails.images[0])), ==, 128);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (gtk_image_get_paintable (thumbnails.images[0])), ==, 128);
}

static void
scroll_to_end (EaselJobSidebar *sidebar)
{
  GtkWidget *list_view = template_child (sidebar, EASEL_TYPE_JOB_SIDEBAR, "list_view");
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list_view));

  /* Twice: rows further down are measured as they come into view. */
  for (guint i = 0; i < 2; i++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      easel_test_wait_painted (list_view);
    }
}

static void
test_job_sidebar_states (void)
{
  Jobs jobs;
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  EaselJobSidebar *sidebar;
  g_autofree char *path = NULL;
  GtkLabel *slots;
  const struct
  {
    EaselJob   **job;
    const char  *state;
  } expected[] = {
    { &jobs.running, "Running 46 %" },
    { &jobs.pulsing, "Running" },
    { &jobs.downloading, "Downloading" },
    { &jobs.queued, "Queued" },
    { &jobs.cancelled, "Cancelled" },
    { &jobs.attention, "Needs attention" },
    { &jobs.failed, "Failed" },
    { &jobs.succeeded, "Done" },
  };

  jobs_init (&jobs);
  easel_test_load_style (FALSE);
  g_object_ref (window);
  sidebar = present_sidebar (window, G_LIST_MODEL (jobs.store));

  /* The queue sets the slots in use; without one the header has none. */
  slots = template_child (sidebar, EASEL_TYPE_JOB_SIDEBAR, "slots_label");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (slots)));
  easel_job_sidebar_set_slots_summary (sidebar, "Replicate 2/4 · Midjourney 1/3");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (slots)));
  g_assert_cmpstr (gtk_label_get_label (slots), ==, "Replicate 2/4 · Midjourney 1/3");

  /* Active jobs in the order they were queued, then the queued one, then
   * the finished ones, newest first. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (sidebar, EASEL_TYPE_JOB_SIDEBAR, "stack")),
                   ==, "jobs");
  g_assert_cmpuint (g_list_model_get_n_items (shown_jobs (sidebar)), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      EaselJob *job = *expected[i].job;
      EaselJobRow *row = find_row (sidebar, job);

      g_assert_cmpuint (position_of (sidebar, job), ==, i);
      g_assert_nonnull (row);
      g_assert_cmpstr (row_label (row, "state_label"), ==, expected[i].state);
      g_assert_true (row_shows (row, "cancel_button") == easel_job_get_active (job));
    }

  g_assert_cmpstr (gtk_label_get_label (template_child (sidebar, EASEL_TYPE_JOB_SIDEBAR, "counts_label")),
                   ==, "3 running · 1 queued · 4 finished");

  /* What each kind of row shows. */
  {
    EaselJobRow *row = find_row (sidebar, jobs.running);

    g_assert_cmpstr (row_label (row, "prompt_label"), ==,
                     "a red fox in a misty birch forest at dawn, watercolor, soft light");
    g_assert_cmpstr (row_label (row, "subtitle_label"), ==, "Replicate · flux-schnell");
    assert_running_for (row, 83, "");
    g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (template_child (row, EASEL_TYPE_JOB_ROW, "progress_bar")),
                                    0.46, 0.001);
    g_assert_true (has_timer (row));
  }
  {
    EaselJobRow *row = find_row (sidebar, jobs.pulsing);

    g_assert_cmpstr (row_label (row, "prompt_label"), ==,
                     "ukiyo-e style wave crashing over a neon city at night --ar 16:9");
    g_assert_cmpstr (row_label (row, "subtitle_label"), ==, "Midjourney (UseAPI.net)");
    g_assert_true (row_shows (row, "progress_bar"));
    g_assert_true (has_timer (row));
  }
  {
    EaselJobRow *row = find_row (sidebar, jobs.queued);

    g_assert_false (row_shows (row, "progress_bar"));
    g_assert_cmpstr (row_label (row, "waiting_label"), ==, "Waiting for a free slot");
    g_assert_true (row_shows (row, "waiting_label"));
    g_assert_false (has_timer (row));
  }
  {
    EaselJobRow *row = find_row (sidebar, jobs.downloading);

    assert_running_for (row, 21, " · $0.04");
  }
  {
    EaselJobRow *row = find_row (sidebar, jobs.succeeded);
    GtkWidget *buttons = template_child (row, EASEL_TYPE_JOB_ROW, "button_box");
    guint n_buttons = 0;

    check_thumbnails (row);
    for (GtkWidget *child = gtk_widget_get_first_child (buttons); child; child = gtk_widget_get_next_sibling (child))
      n_buttons++;
    g_assert_cmpuint (n_buttons, ==, 9);
    g_assert_true (gtk_widget_get_visible (buttons));
    g_assert_cmpstr (row_label (row, "meta_label"), ==, "1:05 · $0.03");
    g_assert_false (row_shows (row, "progress_bar"));
    g_assert_false (row_shows (row, "error_box"));
    g_assert_false (row_shows (row, "retry_button"));
    /* No window action to show it with: no button. */
    g_assert_false (row_shows (row, "gallery_button"));
    g_assert_false (has_timer (row));
  }
  {
    EaselJobRow *row = find_row (sidebar, jobs.failed);

    g_assert_true (row_shows (row, "error_box"));
    g_assert_cmpstr (row_label (row, "error_label"), ==, "Replicate refused the token (401 Unauthorized)");
    g_assert_true (row_shows (row, "retry_button"));
    /* No app.preferences in a plain window: the remedy is text only. */
    g_assert_false (row_shows (row, "remedy_button"));
    g_assert_cmpstr (row_label (row, "remedy_label"), ==,
                     "Check the account’s token in Preferences → Accounts; it may have been revoked.");
  }

  path = easel_test_save_screenshot (GTK_WIDGET (window), "job-sidebar");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&path, g_free);

  /* The finished jobs, further down. */
  scroll_to_end (sidebar);
  path = easel_test_save_screenshot (GTK_WIDGET (window), "job-sidebar-finished");

  gtk_window_destroy (window);
  g_assert_finalize_object (window);
  jobs_clear (&jobs);
}

static void
test_job_sidebar_dark (void)
{
  Jobs jobs;
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  EaselJobSidebar *sidebar;
  g_autofree char *path = NULL;

  jobs_init (&jobs);
  easel_test_load_style (TRUE);
  g_object_ref (window);
  sidebar = present_sidebar (window, G_LIST_MODEL (jobs.store));
  g_assert_true (adw_style_manager_get_dark (adw_style_manager_get_default ()));
  check_thumbnails (find_row (sidebar, jobs.succeeded));
  easel_test_wait_painted (GTK_WIDGET (window));

  path = easel_test_save_screenshot (GTK_WIDGET (window), "job-sidebar-dark");

  gtk_window_destroy (window);
  g_assert_finalize_object (window);
  easel_test_load_style (FALSE);
  jobs_clear (&jobs);
}

typedef struct
{
  EaselJobSidebar *sidebar;
  EaselJob        *job;
  guint            position;
} Position;

static gboolean
at_position (gpointer user_data)
{
  Position *p = user_data;

  return position_of (p->sidebar, p->job) == p->position;
}

typedef struct
{
  GtkLabel   *label;
  const char *text;
} LabelText;

static gboolean
label_says (gpointer user_data)
{
  LabelText *l = user_data;

  return g_strcmp0 (gtk_label_get_label (l->label), l->text) == 0;
}

static void
test_job_sidebar_resort (void)
{
  Jobs jobs;
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  EaselJobSidebar *sidebar;
  EaselJobRow *row;
  GtkLabel *counts;

  jobs_init (&jobs);
  g_object_ref (window);
  sidebar = present_sidebar (window, G_LIST_MODEL (jobs.store));
  counts = template_child (sidebar, EASEL_TYPE_JOB_SIDEBAR, "counts_label");
  g_assert_cmpuint (position_of (sidebar, jobs.queued), ==, 3);

  /* The queued job starts: it joins the active ones, after those queued
   * before it; its row says so at once. */
  easel_job_set_state (jobs.queued, EASEL_JOB_RUNNING);
  easel_job_set_progress (jobs.queued, 10);
  row = find_row (sidebar, jobs.queued);
  g_assert_nonnull (row);
  g_assert_cmpstr (row_label (row, "state_label"), ==, "Running 10 %");
  g_assert_false (row_shows (row, "waiting_label"));
  g_assert_true (row_shows (row, "progress_bar"));
  g_assert_true (easel_test_spin_until (label_says, &(LabelText) { counts, "4 running · 4 finished" }, 5000));
  g_assert_cmpuint (position_of (sidebar, jobs.downloading), ==, 2);
  g_assert_cmpuint (position_of (sidebar, jobs.queued), ==, 3);
  g_assert_cmpuint (position_of (sidebar, jobs.cancelled), ==, 4);

  /* The first running job succeeds: it goes to the top of the finished
   * ones, and everything below the active ones moves up. */
  easel_job_set_state (jobs.running, EASEL_JOB_SUCCEEDED);
  g_assert_true (easel_test_spin_until (at_position, &(Position) { sidebar, jobs.running, 3 }, 5000));
  g_assert_cmpuint (position_of (sidebar, jobs.pulsing), ==, 0);
  g_assert_cmpuint (position_of (sidebar, jobs.cancelled), ==, 4);
  g_assert_cmpstr (gtk_label_get_label (counts), ==, "3 running · 5 finished");
  row = find_row (sidebar, jobs.running);
  g_assert_cmpstr (row_label (row, "state_label"), ==, "Done");
  g_assert_false (row_shows (row, "cancel_button"));
  g_assert_false (row_shows (row, "progress_bar"));
  g_assert_false (has_timer (row));

  /* Clearing the finished jobs is for the model's owner (here, nobody has
   * a queue): the action emits the signal. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (sidebar), "jobs.clear-finished", NULL));

  /* Pausing shows in the header. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (sidebar), "jobs.pause", NULL));
  g_assert_true (easel_job_sidebar_get_paused (sidebar));
  g_assert_cmpstr (gtk_label_get_label (counts), ==, "Paused · 3 running · 5 finished");
  g_assert_cmpstr (gtk_button_get_icon_name (template_child (sidebar, EASEL_TYPE_JOB_SIDEBAR, "pause_button")),
                   ==, "media-playback-start-symbolic");

  gtk_window_destroy (window);
  g_assert_finalize_object (window);
  jobs_clear (&jobs);
}

static void
test_job_sidebar_empty (void)
{
  g_autoptr(GListStore) store = g_list_store_new (EASEL_TYPE_JOB);
  g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("uuid", "flux", "a prompt");
  g_autoptr(EaselJob) job = easel_job_new ("uuid", "replicate", "", spec);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  EaselJobSidebar *sidebar;
  GtkStack *stack;

  g_object_ref (window);
  sidebar = present_sidebar (window, G_LIST_MODEL (store));
  stack = template_child (sidebar, EASEL_TYPE_JOB_SIDEBAR, "stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_false (gtk_widget_get_visible (template_child (sidebar, EASEL_TYPE_JOB_SIDEBAR, "counts_label")));
  g_assert_false (gtk_widget_get_sensitive (template_child (sidebar, EASEL_TYPE_JOB_SIDEBAR, "clear_button")));

  g_list_store_append (store, job);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "jobs");
  g_list_store_remove (store, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");

  /* No model at all is empty too. */
  g_list_store_append (store, job);
  easel_job_sidebar_set_model (sidebar, NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");

  gtk_window_destroy (window);
  g_assert_finalize_object (window);
}

typedef struct
{
  EaselJob *job;
  char     *signal;
  char     *argument;
} Emission;

static void
emission_clear (Emission *emission)
{
  emission->job = NULL;
  g_clear_pointer (&emission->signal, g_free);
  g_clear_pointer (&emission->argument, g_free);
}

static void
job_signal_cb (EaselJobSidebar *sidebar,
               EaselJob        *job,
               Emission        *emission)
{
  emission_clear (emission);
  emission->job = job;
  emission->signal = g_strdup (g_signal_name (g_signal_get_invocation_hint (sidebar)->signal_id));
}

static void
job_action_cb (EaselJobSidebar *sidebar,
               EaselJob        *job,
               const char      *action,
               Emission        *emission)
{
  job_signal_cb (sidebar, job, emission);
  emission->argument = g_strdup (action);
}

static void
clear_finished_cb (EaselJobSidebar *sidebar,
                   Emission        *emission)
{
  job_signal_cb (sidebar, NULL, emission);
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
test_job_sidebar_signals (void)
{
  Jobs jobs;
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  EaselJobSidebar *sidebar;
  Emission emission = { NULL };
  GtkWidget *button;

  jobs_init (&jobs);
  g_object_ref (window);
  sidebar = present_sidebar (window, G_LIST_MODEL (jobs.store));
  g_signal_connect (sidebar, "cancel-job", G_CALLBACK (job_signal_cb), &emission);
  g_signal_connect (sidebar, "retry-job", G_CALLBACK (job_signal_cb), &emission);
  g_signal_connect (sidebar, "run-job-action", G_CALLBACK (job_action_cb), &emission);
  g_signal_connect (sidebar, "clear-finished", G_CALLBACK (clear_finished_cb), &emission);

  click (template_child (find_row (sidebar, jobs.running), EASEL_TYPE_JOB_ROW, "cancel_button"));
  g_assert_cmpstr (emission.signal, ==, "cancel-job");
  g_assert_true (emission.job == jobs.running);

  click (template_child (find_row (sidebar, jobs.attention), EASEL_TYPE_JOB_ROW, "retry_button"));
  g_assert_cmpstr (emission.signal, ==, "retry-job");
  g_assert_true (emission.job == jobs.attention);

  /* The fifth Midjourney button is the reroll, shown as an icon. */
  button = gtk_widget_get_first_child (template_child (find_row (sidebar, jobs.succeeded),
                                                       EASEL_TYPE_JOB_ROW, "button_box"));
  for (guint i = 0; i < 4; i++)
    button = gtk_widget_get_next_sibling (button);
  button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (button));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==, "media-playlist-shuffle-symbolic");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Reroll");
  click (button);
  g_assert_cmpstr (emission.signal, ==, "run-job-action");
  g_assert_true (emission.job == jobs.succeeded);
  g_assert_cmpstr (emission.argument, ==, "🔄");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (sidebar), "jobs.clear-finished", NULL));
  g_assert_cmpstr (emission.signal, ==, "clear-finished");

  /* Nothing is finished: nothing to clear. */
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (jobs.store)); i > 0; i--)
    {
      g_autoptr(EaselJob) job = g_list_model_get_item (G_LIST_MODEL (jobs.store), i - 1);

      if (!easel_job_get_active (job))
        g_list_store_remove (jobs.store, i - 1);
    }
  easel_test_wait_painted (GTK_WIDGET (sidebar));
  g_assert_false (gtk_widget_get_sensitive (template_child (sidebar, EASEL_TYPE_JOB_SIDEBAR, "clear_button")));

  gtk_window_destroy (window);
  g_assert_finalize_object (window);
  emission_clear (&emission);
  jobs_clear (&jobs);
}

typedef struct
{
  char     *action;
  GVariant *parameter;
} Activation;

static void
record_activation_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  Activation *activation = user_data;

  g_free (activation->action);
  g_clear_pointer (&activation->parameter, g_variant_unref);
  activation->action = g_strdup (g_action_get_name (G_ACTION (action)));
  activation->parameter = parameter ? g_variant_ref (parameter) : NULL;
}

static void
add_action (GActionMap *map,
            const char *name,
            const char *parameter_type,
            Activation *activation)
{
  g_autoptr(GSimpleAction) action =
    g_simple_action_new (name, parameter_type ? G_VARIANT_TYPE (parameter_type) : NULL);

  g_signal_connect (action, "activate", G_CALLBACK (record_activation_cb), activation);
  g_action_map_add_action (map, G_ACTION (action));
}

static void
test_job_sidebar_forwards (void)
{
  g_autoptr(GtkApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  Activation activation = { NULL };
  Jobs jobs;
  GtkWindow *window;
  EaselJobSidebar *sidebar;
  EaselJobRow *row;
  GtkWidget *remedy;

  /* The application's actions: a registered (non-unique) application. */
  app = gtk_application_new ("io.github.easelstudio.Easel.TestJobSidebar", G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_test_skip (error->message);
      return;
    }
  add_action (G_ACTION_MAP (app), "preferences", NULL, &activation);
  add_action (G_ACTION_MAP (app), "open-billing", "s", &activation);
  add_action (G_ACTION_MAP (app), "reset-channel", "s", &activation);

  jobs_init (&jobs);
  window = GTK_WINDOW (gtk_application_window_new (app));
  add_action (G_ACTION_MAP (window), "show-job", "x", &activation);
  g_object_ref (window);
  sidebar = present_sidebar (window, G_LIST_MODEL (jobs.store));

  scroll_to_end (sidebar);
  g_free (easel_test_save_screenshot (GTK_WIDGET (window), "job-sidebar-remedies"));

  click (template_child (find_row (sidebar, jobs.succeeded), EASEL_TYPE_JOB_ROW, "gallery_button"));
  g_assert_cmpstr (activation.action, ==, "show-job");
  g_assert_cmpint (g_variant_get_int64 (activation.parameter), ==, 5);

  row = find_row (sidebar, jobs.failed);
  remedy = template_child (row, EASEL_TYPE_JOB_ROW, "remedy_button");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (remedy)), ==, "Open Preferences");
  click (remedy);
  g_assert_cmpstr (activation.action, ==, "preferences");
  g_assert_null (activation.parameter);

  /* 596: the note says what to do in Discord; the button resets the
   * job's channel. */
  row = find_row (sidebar, jobs.attention);
  remedy = template_child (row, EASEL_TYPE_JOB_ROW, "remedy_button");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (remedy)), ==, "Reset Channel");
  g_assert_cmpstr (row_label (row, "remedy_label"), ==,
                   "Clear Midjourney’s notice or solve the CAPTCHA in Discord, then reset the channel.");
  click (remedy);
  g_assert_cmpstr (activation.action, ==, "reset-channel");
  g_assert_cmpstr (g_variant_get_string (activation.parameter, NULL), ==, "");

  /* 402: billing, for the job's provider. */
  easel_job_set_error (jobs.failed, "payment-required", "Replicate wants a payment method (402)", NULL);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (template_child (find_row (sidebar, jobs.failed), EASEL_TYPE_JOB_ROW,
                                                                     "remedy_button"))),
                   ==, "Open Billing");
  click (template_child (find_row (sidebar, jobs.failed), EASEL_TYPE_JOB_ROW, "remedy_button"));
  g_assert_cmpstr (activation.action, ==, "open-billing");
  g_assert_cmpstr (g_variant_get_string (activation.parameter, NULL), ==, "replicate");

  /* 429: nothing to press, the queue waits for a free slot by itself. */
  easel_job_set_error (jobs.failed, "rate-limited", "Replicate is busy (429)", "Easel waits and tries again by itself.");
  row = find_row (sidebar, jobs.failed);
  g_assert_false (row_shows (row, "remedy_button"));
  g_assert_cmpstr (row_label (row, "remedy_label"), ==, "Waiting for a free slot; Easel tries again by itself.");

  /* An action that goes away takes its button with it. */
  g_action_map_remove_action (G_ACTION_MAP (app), "open-billing");
  easel_job_set_error (jobs.failed, "payment-required", "Replicate still wants a payment method (402)", NULL);
  g_assert_false (row_shows (find_row (sidebar, jobs.failed), "remedy_button"));

  gtk_window_destroy (window);
  g_assert_finalize_object (window);
  g_free (activation.action);
  g_clear_pointer (&activation.parameter, g_variant_unref);
  jobs_clear (&jobs);
}

static void
test_job_sidebar_recycle (void)
{
  Jobs jobs;
  g_autoptr(EaselJobThumbnails) thumbnails = easel_job_thumbnails_new (128, 8);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  EaselJobRow *row = EASEL_JOB_ROW (easel_job_row_new (thumbnails));

  jobs_init (&jobs);
  g_object_ref (window);
  gtk_window_set_child (window, GTK_WIDGET (row));
  gtk_window_present (window);

  /* A pulsing job: the row pulses and ticks while it is on screen. */
  easel_job_row_set_job (row, jobs.pulsing);
  easel_test_wait_painted (GTK_WIDGET (row));
  g_assert_true (has_timer (row));
  gtk_widget_set_visible (GTK_WIDGET (row), FALSE);
  g_assert_false (has_timer (row));
  gtk_widget_set_visible (GTK_WIDGET (row), TRUE);
  easel_test_wait_painted (GTK_WIDGET (row));
  g_assert_true (has_timer (row));

  /* Recycled for a finished job: nothing of the old one is left. */
  easel_job_row_set_job (row, jobs.failed);
  g_assert_false (has_timer (row));
  g_assert_cmpstr (row_label (row, "state_label"), ==, "Failed");
  g_assert_false (row_shows (row, "progress_bar"));
  easel_job_set_progress (jobs.pulsing, 80);
  easel_job_set_state (jobs.pulsing, EASEL_JOB_DOWNLOADING);
  g_assert_cmpstr (row_label (row, "state_label"), ==, "Failed");
  g_assert_false (has_timer (row));

  /* Unbound: no job, no timers, no handlers. */
  easel_job_row_set_job (row, NULL);
  easel_job_set_state (jobs.failed, EASEL_JOB_QUEUED);
  g_assert_false (has_timer (row));

  gtk_window_destroy (window);
  g_assert_finalize_object (window);
  jobs_clear (&jobs);
}

static void
test_job_sidebar_no_timers_left (void)
{
  Jobs jobs;
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  EaselJobSidebar *sidebar;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  gboolean any_timer = FALSE;

  jobs_init (&jobs);
  g_object_ref (window);
  sidebar = present_sidebar (window, G_LIST_MODEL (jobs.store));
  collect_rows (GTK_WIDGET (sidebar), rows);
  g_assert_cmpuint (rows->len, >=, 8);
  for (guint i = 0; i < rows->len; i++)
    {
      any_timer |= has_timer (rows->pdata[i]);
      g_object_add_weak_pointer (rows->pdata[i], &rows->pdata[i]);
    }
  g_assert_true (any_timer);

  /* The rows go with the window, and their timers with them. */
  gtk_window_destroy (window);
  g_assert_finalize_object (window);
  for (guint i = 0; i < rows->len; i++)
    g_assert_null (rows->pdata[i]);
  g_assert_false (has_timer (sidebar));

  jobs_clear (&jobs);
}

int
main (int   argc,
      char *argv[])
{
  if (!easel_test_init_ui (&argc, &argv))
    return 0;

  g_test_add_func ("/Easel/JobSidebar/states", test_job_sidebar_states);
  g_test_add_func ("/Easel/JobSidebar/dark", test_job_sidebar_dark);
  g_test_add_func ("/Easel/JobSidebar/resort", test_job_sidebar_resort);
  g_test_add_func ("/Easel/JobSidebar/empty", test_job_sidebar_empty);
  g_test_add_func ("/Easel/JobSidebar/signals", test_job_sidebar_signals);
  g_test_add_func ("/Easel/JobSidebar/forwards", test_job_sidebar_forwards);
  g_test_add_func ("/Easel/JobSidebar/recycle", test_job_sidebar_recycle);
  g_test_add_func ("/Easel/JobSidebar/no-timers-left", test_job_sidebar_no_timers_left);

  return g_test_run ();
}
