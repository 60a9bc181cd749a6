/* test-template-store.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The template library on a real store in a temporary folder: every save
 * a version, loading by name (without regard to case) or id and version,
 * listing, renaming, deleting (soft: the rows stay), names that clash,
 * bad input refused before the store is touched, and ::changed. */

#include "config.h"

#include <string.h>

#include "easel-error.h"
#include "easel-template-store.h"
#include "easel-test-dirs.h"

typedef struct
{
  char               *dir;
  EaselStore         *store;
  EaselTemplateStore *templates;
  guint               changes;
} Fixture;

static void
changed_cb (EaselTemplateStore *templates,
            Fixture            *f)
{
  f->changes++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = easel_test_make_dir ("easel-templates");
  path = g_build_filename (f->dir, "easel.db", NULL);
  f->store = easel_store_new (path);
  g_assert_true (easel_store_open_sync (f->store, &error));
  g_assert_no_error (error);
  f->templates = easel_template_store_new (f->store);
  g_signal_connect (f->templates, "changed", G_CALLBACK (changed_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&f->templates));
  easel_store_close (f->store);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  easel_test_remove_tree (f->dir);
  g_free (f->dir);
}

static gboolean
deadline_cb (gpointer user_data)
{
  g_error ("timed out");
  return G_SOURCE_REMOVE;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait (GAsyncResult **slot)
{
  guint id = g_timeout_add_seconds (30, deadline_cb, NULL);

  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return *slot;
}

static EaselTemplate *
save (Fixture        *f,
      EaselTemplate  *template_,
      GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  easel_template_store_save_async (f->templates, template_, NULL, result_cb, &result);
  return easel_template_store_save_finish (f->templates, wait (&result), error);
}

static EaselTemplate *
load (Fixture     *f,
      gint64       id,
      const char  *name,
      int          version,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  easel_template_store_load_async (f->templates, id, name, version, NULL, result_cb, &result);
  return easel_template_store_load_finish (f->templates, wait (&result), error);
}

static GPtrArray *
list (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *templates;

  easel_template_store_list_async (f->templates, NULL, result_cb, &result);
  templates = easel_template_store_list_finish (f->templates, wait (&result), &error);
  g_assert_no_error (error);
  return templates;
}

static gboolean
rename_ (Fixture     *f,
         gint64       id,
         const char  *name,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  easel_template_store_rename_async (f->templates, id, name, NULL, result_cb, &result);
  return easel_template_store_rename_finish (f->templates, wait (&result), error);
}

static gboolean
delete (Fixture  *f,
        gint64    id,
        GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  easel_template_store_delete_async (f->templates, id, NULL, result_cb, &result);
  return easel_template_store_delete_finish (f->templates, wait (&result), error);
}

static void
test_versions (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(EaselTemplate) template_ = easel_template_new ("  Fox study ", "a {{subject}} {in snow|at night}");
  g_autoptr(EaselTemplate) first = NULL, second = NULL, again = NULL, old = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *values[] = { "fox", "wolf", NULL };

  template_->negative = (g_free (template_->negative), g_strdup ("blurry"));
  template_->provider = g_strdup ("replicate");
  template_->model = g_strdup ("black-forest-labs/flux-dev");
  template_->params = json_object_new ();
  json_object_set_int_member (template_->params, "num_outputs", 2);
  g_ptr_array_add (template_->variables, easel_template_variable_new ("subject", "cat", values));

  first = save (f, template_, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->id, >, 0);
  g_assert_cmpint (first->version, ==, 1);
  g_assert_cmpint (first->latest_version, ==, 1);
  g_assert_cmpstr (first->name, ==, "Fox study");
  g_assert_cmpstr (first->negative, ==, "blurry");
  g_assert_cmpstr (first->model, ==, "black-forest-labs/flux-dev");
  g_assert_cmpint (json_object_get_int_member (first->params, "num_outputs"), ==, 2);
  g_assert_cmpuint (first->variables->len, ==, 1);
  g_assert_cmpstrv (((EaselTemplateVariable *) g_ptr_array_index (first->variables, 0))->values, values);
  g_assert_cmpint (first->created_at, >, 0);
  g_assert_cmpint (first->deleted_at, ==, 0);
  g_assert_cmpuint (f->changes, ==, 1);

  /* Every save is a version. */
  g_free (first->body);
  first->body = g_strdup ("a {{subject}}, ink");
  second = save (f, first, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second->id, ==, first->id);
  g_assert_cmpint (second->version, ==, 2);
  g_assert_cmpint (second->created_at, ==, first->created_at);
  g_assert_cmpint (second->updated_at, >=, first->updated_at);

  /* By name without regard to case: the current version; by id and
   * version: the old one. */
  again = load (f, 0, "FOX STUDY", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->version, ==, 2);
  g_assert_cmpstr (again->body, ==, "a {{subject}}, ink");
  old = load (f, first->id, NULL, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (old->version, ==, 1);
  g_assert_cmpint (old->latest_version, ==, 2);
  g_assert_cmpstr (old->body, ==, "a {{subject}} {in snow|at night}");
  g_clear_pointer (&old, easel_template_free);
  old = load (f, first->id, NULL, 3, &error);
  g_assert_null (old);
  g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  easel_template_store_list_versions_async (f->templates, first->id, NULL, result_cb, &result);
  versions = easel_template_store_list_versions_finish (f->templates, wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 2);
  g_assert_cmpint (((EaselTemplate *) g_ptr_array_index (versions, 0))->version, ==, 2);
  g_assert_cmpint (((EaselTemplate *) g_ptr_array_index (versions, 1))->version, ==, 1);

  /* A copy is deep. */
  {
    g_autoptr(EaselTemplate) copy = easel_template_copy (second);

    g_assert_true (copy->variables != second->variables);
    g_assert_true (copy->params != second->params);
    g_assert_cmpstr (copy->body, ==, second->body);
  }
}

static void
test_names (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(EaselTemplate) a = easel_template_new ("Owls", "an owl");
  g_autoptr(EaselTemplate) b = easel_template_new ("cats", "a cat");
  g_autoptr(EaselTemplate) saved_a = NULL, saved_b = NULL, clash = NULL, back = NULL, gone = NULL;
  g_autoptr(EaselTemplate) renamed = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;

  saved_a = save (f, a, &error);
  g_assert_no_error (error);
  saved_b = save (f, b, &error);
  g_assert_no_error (error);

  /* Sorted by name without regard to case. */
  templates = list (f);
  g_assert_cmpuint (templates->len, ==, 2);
  g_assert_cmpstr (((EaselTemplate *) g_ptr_array_index (templates, 0))->name, ==, "cats");
  g_clear_pointer (&templates, g_ptr_array_unref);

  /* A second "OWLS" is refused, and so is renaming onto it. */
  g_free (b->name);
  b->name = g_strdup ("OWLS");
  clash = save (f, b, &error);
  g_assert_null (clash);
  g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "“Owls” already exists"));
  g_clear_error (&error);
  g_assert_false (rename_ (f, saved_b->id, "owls", &error));
  g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* A change of case of its own name is fine. */
  g_assert_true (rename_ (f, saved_b->id, "Cats", &error));
  g_assert_no_error (error);
  renamed = load (f, saved_b->id, NULL, 0, &error);
  g_assert_cmpstr (renamed->name, ==, "Cats");
  g_assert_cmpint (renamed->version, ==, 1);

  /* Deleted: gone from the list and from names, still there by id. */
  g_assert_true (delete (f, saved_a->id, &error));
  g_assert_no_error (error);
  g_assert_false (delete (f, saved_a->id, &error));
  g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  templates = list (f);
  g_assert_cmpuint (templates->len, ==, 1);
  gone = load (f, 0, "owls", 0, &error);
  g_assert_null (gone);
  g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  gone = load (f, saved_a->id, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gone->deleted_at, >, 0);
  g_assert_cmpstr (gone->body, ==, "an owl");

  /* Its name still belongs to its jobs: renaming onto it is refused... */
  g_assert_false (rename_ (f, saved_b->id, "Owls", &error));
  g_assert_error (error, EASEL_STORE_ERROR, EASEL_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "deleted"));
  g_clear_error (&error);

  /* ...and a new template of that name brings it back as a new version. */
  g_free (a->body);
  a->body = g_strdup ("an owl, again");
  back = save (f, a, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->id, ==, saved_a->id);
  g_assert_cmpint (back->version, ==, 2);
  g_assert_cmpint (back->deleted_at, ==, 0);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  const struct { const char *name; const char *body; const char *message; } cases[] = {
    { "", "x", "from 1 to 100" },
    { "   ", "x", "from 1 to 100" },
    { "a\nb", "x", "control" },
    { "ok", "a {b", "character 3" },
    { "ok", "{{bad name}}", "not a variable name" },
  };
  g_autoptr(GPtrArray) templates = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EaselTemplate) template_ = easel_template_new (cases[i].name, cases[i].body);
      g_autoptr(EaselTemplate) saved = NULL;
      g_autoptr(GError) error = NULL;

      saved = save (f, template_, &error);
      g_assert_null (saved);
      g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }

  {
    g_autoptr(EaselTemplate) template_ = easel_template_new ("twice", "{{a}}");
    g_autoptr(EaselTemplate) saved = NULL;
    g_autoptr(GError) error = NULL;

    g_ptr_array_add (template_->variables, easel_template_variable_new ("a", NULL, NULL));
    g_ptr_array_add (template_->variables, easel_template_variable_new ("a", NULL, NULL));
    saved = save (f, template_, &error);
    g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
    g_assert_nonnull (strstr (error->message, "two variables"));
  }

  /* Nothing was written, nothing announced. */
  templates = list (f);
  g_assert_cmpuint (templates->len, ==, 0);
  g_assert_cmpuint (f->changes, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/Easel/TemplateStore/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("versions", test_versions);
  ADD ("names", test_names);
  ADD ("bad-input", test_bad_input);
#undef ADD

  return g_test_run ();
}
