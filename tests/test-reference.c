/* test-reference.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reference images: files judged by content and size and kept by hash,
 * addresses checked without fetching them, roles per provider and model,
 * placement in a spec, and the spec's JSON with and without references. */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "easel-error.h"
#include "easel-image-store.h"
#include "easel-param.h"
#include "easel-reference.h"
#include "easel-test-dirs.h"
#include "easel-test-gallery.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = easel_test_make_dir ("easel-reference");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->dir);
}

static gboolean
watchdog_cb (gpointer user_data)
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

static EaselReference *
load (const char  *path,
      GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  guint id = g_timeout_add_seconds (20, watchdog_cb, NULL);

  easel_reference_new_from_file_async (file, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return easel_reference_new_from_file_finish (result, error);
}

static char *
write_bytes (Fixture      *f,
             const char   *name,
             const void   *data,
             gsize         length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, data, (gssize) length, &error);
  g_assert_no_error (error);
  return path;
}

static char *
write_png (Fixture    *f,
           const char *name,
           int         width,
           int         height)
{
  char *path = g_build_filename (f->dir, name, NULL);

  easel_test_write_art (path, width, height, 7);
  return path;
}

static char *
write_jpeg (Fixture    *f,
            const char *name)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 160, 90);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "90", NULL));
  g_assert_no_error (error);
  return path;
}

static void
test_valid_files (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *png = write_png (f, "fox.png", 120, 80);
  g_autofree char *jpeg = write_jpeg (f, "photo.jpg");
  g_autofree char *unnamed = write_png (f, "no-extension", 64, 64);
  g_autofree char *expected_hash = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(EaselReference) reference = NULL;
  g_autoptr(EaselReference) again = NULL;
  g_autoptr(GFile) found = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (png, &contents, &length, NULL));
  expected_hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) contents, length);

  reference = load (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (easel_reference_get_source (reference), ==, EASEL_REFERENCE_FILE);
  g_assert_cmpstr (easel_reference_get_name (reference), ==, "fox.png");
  g_assert_cmpstr (easel_reference_get_hash (reference), ==, expected_hash);
  g_assert_cmpstr (easel_reference_get_mime (reference), ==, "image/png");
  g_assert_cmpuint (easel_reference_get_width (reference), ==, 120);
  g_assert_cmpuint (easel_reference_get_height (reference), ==, 80);
  g_assert_cmpuint (easel_reference_get_size (reference), ==, length);
  g_assert_null (easel_reference_get_url (reference));
  g_assert_null (easel_reference_get_role (reference));

  /* The copy is kept by hash in the references folder, byte for byte. */
  {
    g_autofree char *kept = g_file_get_path (easel_reference_get_file (reference));
    g_autofree char *root = g_build_filename (g_get_user_data_dir (), "easel", "references", NULL);
    g_autofree char *kept_contents = NULL;
    gsize kept_length;

    g_assert_true (g_str_has_prefix (kept, root));
    g_assert_true (g_str_has_suffix (kept, ".png"));
    g_assert_nonnull (strstr (kept, expected_hash));
    g_assert_true (g_file_get_contents (kept, &kept_contents, &kept_length, NULL));
    g_assert_cmpmem (kept_contents, kept_length, contents, length);
  }

  /* The original can go: the kept copy is found by hash. */
  g_assert_cmpint (g_unlink (png), ==, 0);
  found = easel_reference_find_file (expected_hash, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (found, easel_reference_get_file (reference)));

  again = load (jpeg, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (easel_reference_get_mime (again), ==, "image/jpeg");
  g_assert_cmpuint (easel_reference_get_width (again), ==, 160);
  g_assert_cmpuint (easel_reference_get_height (again), ==, 90);
  g_clear_object (&again);

  /* The name plays no part. */
  again = load (unnamed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (easel_reference_get_mime (again), ==, "image/png");

  /* The role is a property. */
  easel_reference_set_role (reference, "image");
  g_assert_cmpstr (easel_reference_get_role (reference), ==, "image");
}

static void
test_oversized (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *huge = g_build_filename (f->dir, "huge.png", NULL);
  g_autofree char *just_over = NULL;
  g_autofree guint8 *buffer = NULL;
  g_autoptr(EaselReference) reference = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  int fd;

  /* 20 GiB that take no room: reading it would take minutes and more
   * memory than there is, so a quick refusal shows it was judged by its
   * size alone. */
  fd = g_open (huge, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 20 * 1024 * 1024 * 1024), ==, 0);
  close (fd);

  start = g_get_monotonic_time ();
  reference = load (huge, &error);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE);
  g_assert_null (reference);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (error->message, "huge.png"));
  g_assert_nonnull (strstr (error->message, "20.0\xc2\xa0GiB"));
  g_assert_nonnull (strstr (error->message, "10.0\xc2\xa0MiB"));
  g_clear_error (&error);

  /* One byte over the limit, a real PNG header and all. */
  buffer = g_malloc0 (EASEL_REFERENCE_MAX_SIZE + 1);
  memcpy (buffer, "\x89PNG\r\n\x1a\n", 8);
  just_over = write_bytes (f, "just-over.png", buffer, EASEL_REFERENCE_MAX_SIZE + 1);
  reference = load (just_over, &error);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_TOO_LARGE);
  g_assert_null (reference);
}

static void
test_not_images (Fixture       *f,
                 gconstpointer  data)
{
  static const char text[] = "This is a shopping list, not a picture.\n";
  g_autofree char *renamed = write_bytes (f, "list.png", text, sizeof text - 1);
  g_autofree char *empty = write_bytes (f, "empty.jpg", "", 0);
  g_autofree char *png = write_png (f, "whole.png", 100, 100);
  g_autofree char *contents = NULL;
  g_autofree char *truncated = NULL;
  g_autofree char *folder = g_build_filename (f->dir, "folder.png", NULL);
  g_autofree char *kept_root = g_build_filename (g_get_user_data_dir (), "easel", "references", NULL);
  g_autoptr(EaselReference) reference = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  reference = load (renamed, &error);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED);
  g_assert_null (reference);
  g_assert_nonnull (strstr (error->message, "list.png"));
  g_assert_nonnull (strstr (error->message, "not a PNG, JPEG, WebP or GIF image"));
  g_clear_error (&error);

  reference = load (empty, &error);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  /* A PNG cut short: the right signature, no IEND. */
  g_assert_true (g_file_get_contents (png, &contents, &length, NULL));
  truncated = write_bytes (f, "truncated.png", contents, length / 2);
  reference = load (truncated, &error);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "damaged or incomplete"));
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  reference = load (folder, &error);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  /* A missing file is an I/O error that names it. */
  g_assert_cmpint (g_unlink (png), ==, 0);
  reference = load (png, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Nothing refused was kept. */
  g_assert_false (g_file_test (kept_root, G_FILE_TEST_EXISTS));
}

static void
test_find_missing (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = easel_reference_find_file ("0000000000000000000000000000000000000000000000000000000000000000",
                                    &error);
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_NOT_FOUND);
  g_assert_null (file);
  g_assert_nonnull (strstr (error->message, "add the image again"));
}

static void
test_urls (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *too_long = NULL;
  g_autoptr(GString) long_url = g_string_new ("https://example.org/");
  const char *hostile[] = {
    "file:///etc/passwd",
    "javascript:alert(1)",
    "data:image/png;base64,iVBORw0KGgo=",
    "http://example.org/image.png",
    "ftp://example.org/image.png",
    "/relative/image.png",
    "https:///no-host.png",
    "",
    "   ",
    "https://user:secret@example.org/x.png",
    "https://example.org/a/../../etc/passwd",
    "https://example.org/a/%2e%2E/x.png",
    "https://example.org/a%00.png",
    "https://example.org/a b.png",
    "https://example.org/a.png\nhttps://example.org/b.png",
    "https://example.org/a.png --no cats",
    "https://example.org/{a,b}.png",
    "https://example.org/\"a\".png",
  };

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(EaselReference) reference = NULL;
      g_autoptr(GError) error = NULL;

      reference = easel_reference_new_from_url (hostile[i], &error);
      if (reference != NULL)
        g_error ("accepted %s", hostile[i]);
      g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INSECURE_URL);
      g_assert_null (strstr (error->message, "secret"));
    }

  while (long_url->len <= EASEL_REFERENCE_MAX_URL_LENGTH)
    g_string_append (long_url, "abcdefghij");
  too_long = g_string_free (g_steal_pointer (&long_url), FALSE);
  {
    g_autoptr(EaselReference) reference = NULL;
    g_autoptr(GError) error = NULL;

    reference = easel_reference_new_from_url (too_long, &error);
    g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INSECURE_URL);
    g_assert_nonnull (strstr (error->message, "too long"));
  }

  /* Good ones, with white space around as a browser may drop them. */
  {
    g_autoptr(EaselReference) reference = NULL;
    g_autoptr(GError) error = NULL;

    reference = easel_reference_new_from_url ("  https://cdn.example.org/art/sunset%20sky.png?sig=abc\r\n",
                                              &error);
    g_assert_no_error (error);
    g_assert_cmpint (easel_reference_get_source (reference), ==, EASEL_REFERENCE_URL);
    g_assert_cmpstr (easel_reference_get_url (reference), ==,
                     "https://cdn.example.org/art/sunset%20sky.png?sig=abc");
    g_assert_cmpstr (easel_reference_get_name (reference), ==, "sunset sky.png");
    g_assert_null (easel_reference_get_hash (reference));
    g_assert_null (easel_reference_get_file (reference));
    g_clear_object (&reference);

    reference = easel_reference_new_from_url ("https://example.org", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (easel_reference_get_name (reference), ==, "example.org");
    g_clear_object (&reference);

    /* Plain http only to this computer, for tests and the emulator. */
    reference = easel_reference_new_from_url ("http://127.0.0.1:8080/x.png", &error);
    g_assert_no_error (error);
  }
}

static EaselParam *
make_param (const char     *name,
            const char     *title,
            EaselParamType  type)
{
  EaselParam *param = easel_param_new (name, type);

  g_free (param->title);
  param->title = g_strdup (title);
  return param;
}

static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) midjourney = easel_reference_roles ("midjourney", NULL);
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) easel_param_free);
  g_autoptr(GPtrArray) replicate = NULL;
  g_autoptr(GPtrArray) no_model = easel_reference_roles ("replicate", NULL);
  g_autoptr(GPtrArray) unknown = easel_reference_roles ("other", NULL);
  g_autoptr(EaselReferenceRole) copy = NULL;
  EaselReferenceRole *role;

  g_assert_cmpuint (midjourney->len, ==, 3);
  role = g_ptr_array_index (midjourney, 0);
  g_assert_cmpstr (role->id, ==, EASEL_REFERENCE_ROLE_IMAGE_PROMPT);
  g_assert_false (role->local_files);
  g_assert_cmpint (role->max, ==, 0);
  role = g_ptr_array_index (midjourney, 1);
  g_assert_cmpstr (role->id, ==, EASEL_REFERENCE_ROLE_SREF);
  g_assert_nonnull (strstr (role->title, "--sref"));
  g_assert_false (role->local_files);
  role = g_ptr_array_index (midjourney, 2);
  g_assert_cmpstr (role->id, ==, EASEL_REFERENCE_ROLE_OREF);
  g_assert_false (role->local_files);
  /* --oref takes one address (see easel-midjourney-params.c). */
  g_assert_cmpint (role->max, ==, 1);

  g_ptr_array_add (params, make_param ("prompt", "Prompt", EASEL_PARAM_TEXT));
  g_ptr_array_add (params, make_param ("image", "Image", EASEL_PARAM_IMAGE));
  g_ptr_array_add (params, make_param ("strength", "Strength", EASEL_PARAM_NUMBER));
  g_ptr_array_add (params, make_param ("mask", "Mask", EASEL_PARAM_IMAGE));
  replicate = easel_reference_roles ("replicate", params);
  g_assert_cmpuint (replicate->len, ==, 2);
  role = g_ptr_array_index (replicate, 0);
  g_assert_cmpstr (role->id, ==, "image");
  g_assert_cmpstr (role->title, ==, "Image");
  g_assert_true (role->local_files);
  g_assert_cmpint (role->max, ==, 1);
  role = g_ptr_array_index (replicate, 1);
  g_assert_cmpstr (role->id, ==, "mask");

  g_assert_cmpuint (no_model->len, ==, 0);
  g_assert_cmpuint (unknown->len, ==, 0);

  copy = easel_reference_role_copy (role);
  g_assert_cmpstr (copy->id, ==, "mask");
  g_assert_cmpstr (copy->title, ==, "Mask");
  g_assert_true (copy->local_files);
}

static void
test_place (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(EaselJobSpec) mj = easel_job_spec_new ("a", "midjourney", "a fox");
  g_autoptr(EaselJobSpec) rep = easel_job_spec_new ("b", "black-forest-labs/flux-dev", "a fox");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) code = json_node_init_string (json_node_alloc (), "123456");
  JsonArray *sref;

  g_assert_true (easel_reference_place ("midjourney", mj, EASEL_REFERENCE_ROLE_IMAGE_PROMPT,
                                        "https://example.org/1.png", &error));
  g_assert_true (easel_reference_place ("midjourney", mj, EASEL_REFERENCE_ROLE_IMAGE_PROMPT,
                                        "https://example.org/2.png", &error));
  g_assert_cmpuint (g_strv_length (mj->image_urls), ==, 2);
  g_assert_cmpstr (mj->image_urls[1], ==, "https://example.org/2.png");

  /* A style code the user typed stays, the address is added. */
  easel_job_spec_set_param (mj, "sref", code);
  g_assert_true (easel_reference_place ("midjourney", mj, EASEL_REFERENCE_ROLE_SREF,
                                        "https://example.org/s.png", &error));
  sref = json_object_get_array_member (mj->params, "sref");
  g_assert_cmpuint (json_array_get_length (sref), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (sref, 0), ==, "123456");
  g_assert_cmpstr (json_array_get_string_element (sref, 1), ==, "https://example.org/s.png");

  g_assert_true (easel_reference_place ("midjourney", mj, EASEL_REFERENCE_ROLE_OREF,
                                        "https://example.org/o.png", &error));
  g_assert_cmpstr (json_object_get_string_member (mj->params, "oref"), ==, "https://example.org/o.png");
  g_assert_false (easel_reference_place ("midjourney", mj, EASEL_REFERENCE_ROLE_OREF,
                                         "https://example.org/other.png", &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_INVALID_PARAMETER);
  g_clear_error (&error);

  g_assert_false (easel_reference_place ("midjourney", mj, "image", "https://example.org/x.png", &error));
  g_assert_error (error, EASEL_ERROR, EASEL_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  g_assert_true (easel_reference_place ("replicate", rep, "image", "https://example.org/r.png", &error));
  g_assert_cmpstr (json_object_get_string_member (rep->params, "image"), ==, "https://example.org/r.png");
  g_assert_null (rep->image_urls);
}

static void
test_spec_json (Fixture       *f,
                gconstpointer  data)
{
  static const char hash[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  static const char *const bad[] = {
    "{\"local_id\": \"x\", \"model\": \"m\", \"references\": {}}",
    "{\"local_id\": \"x\", \"model\": \"m\", \"references\": [1]}",
    "{\"local_id\": \"x\", \"model\": \"m\", \"references\": [{\"hash\": \"" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" "\"}]}",
    "{\"local_id\": \"x\", \"model\": \"m\", \"references\": [{\"role\": \"image\"}]}",
    "{\"local_id\": \"x\", \"model\": \"m\", \"references\": [{\"role\": \"image\", \"hash\": \"../../etc/passwd\"}]}",
    "{\"local_id\": \"x\", \"model\": \"m\", \"references\": [{\"role\": \"\", \"url\": \"https://example.org/a.png\"}]}",
    "{\"local_id\": \"x\", \"model\": \"m\", \"references\": [{\"role\": \"image\", \"url\": 5}]}",
  };
  g_autoptr(EaselJobSpec) spec = easel_job_spec_new ("local", "black-forest-labs/flux-dev", "a fox");
  g_autoptr(EaselJobSpec) plain = easel_job_spec_new ("local", "black-forest-labs/flux-dev", "a fox");
  g_autoptr(EaselJobSpec) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *plain_json = NULL;
  EaselJobSpecReference *reference;

  easel_job_spec_add_reference (spec, "image", hash, NULL);
  easel_job_spec_add_reference (spec, "sref", NULL, "https://example.org/s.png");
  easel_job_spec_add_reference (spec, "mask", hash, "https://example.org/uploaded");
  json = easel_job_spec_to_json (spec);

  back = easel_job_spec_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back->references);
  g_assert_cmpuint (back->references->len, ==, 3);
  reference = g_ptr_array_index (back->references, 0);
  g_assert_cmpstr (reference->role, ==, "image");
  g_assert_cmpstr (reference->hash, ==, hash);
  g_assert_null (reference->url);
  reference = g_ptr_array_index (back->references, 1);
  g_assert_cmpstr (reference->role, ==, "sref");
  g_assert_null (reference->hash);
  g_assert_cmpstr (reference->url, ==, "https://example.org/s.png");
  reference = g_ptr_array_index (back->references, 2);
  g_assert_cmpstr (reference->hash, ==, hash);
  g_assert_cmpstr (reference->url, ==, "https://example.org/uploaded");
  g_clear_pointer (&back, easel_job_spec_unref);

  /* Without references the JSON is what it always was, and old specs
   * (written before references existed) still load. */
  plain_json = easel_job_spec_to_json (plain);
  g_assert_null (strstr (plain_json, "references"));
  back = easel_job_spec_new_from_json ("{\"local_id\": \"old\", \"model\": \"midjourney\", "
                                       "\"prompt\": \"a castle\", \"params\": {\"chaos\": 5}, "
                                       "\"image_urls\": [\"https://example.org/a.png\"]}", &error);
  g_assert_no_error (error);
  g_assert_null (back->references);
  g_assert_cmpstr (back->prompt, ==, "a castle");
  g_assert_cmpstr (back->image_urls[0], ==, "https://example.org/a.png");
  g_clear_pointer (&back, easel_job_spec_unref);

  /* A reference that cannot be read fails the spec: the job must never be
   * sent without it. */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      back = easel_job_spec_new_from_json (bad[i], &error);
      if (back != NULL)
        g_error ("accepted %s", bad[i]);
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/Easel/Reference/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("valid-files", test_valid_files);
  ADD ("oversized", test_oversized);
  ADD ("not-images", test_not_images);
  ADD ("find-missing", test_find_missing);
  ADD ("urls", test_urls);
  ADD ("roles", test_roles);
  ADD ("place", test_place);
  ADD ("spec-json", test_spec_json);
#undef ADD

  return g_test_run ();
}
