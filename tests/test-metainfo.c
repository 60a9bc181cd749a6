/* test-metainfo.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "easel-metainfo.h"

static const char sample[] =
  "<?xml version='1.0' encoding='UTF-8'?>\n"
  "<component type='desktop-application'>\n"
  "  <id>org.example.App</id>\n"
  "  <name>Example</name>\n"
  "  <name xml:lang='de'>Beispiel</name>\n"
  "  <summary>Does   things\n   well</summary>\n"
  "  <summary xml:lang='de'>Macht Dinge gut</summary>\n"
  "  <description>\n"
  "    <p>Fish &amp; chips &lt;3</p>\n"
  "    <p xml:lang='de'>Fisch</p>\n"
  "    <ul><li>One <em>big</em> thing</li><li>Two</li></ul>\n"
  "  </description>\n"
  "  <developer id='org.example'><name translate='no'>Example Team</name></developer>\n"
  "  <project_license>GPL-3.0-or-later</project_license>\n"
  "  <url type='homepage'>https://example.org/</url>\n"
  "  <url type='bugtracker'>https://example.org/issues</url>\n"
  "  <url type='donation'>https://example.org/donate</url>\n"
  "  <releases>\n"
  "    <release version='2.0' date='2026-02-01'>\n"
  "      <description><p>New</p><ol><li>A</li></ol></description>\n"
  "    </release>\n"
  "    <release version='1.0' date='2025-01-01'>\n"
  "      <description><p>Old</p></description>\n"
  "    </release>\n"
  "  </releases>\n"
  "</component>\n";

static void
test_metainfo_sample (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselMetainfo) info = easel_metainfo_parse (sample, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_cmpstr (info->id, ==, "org.example.App");
  g_assert_cmpstr (info->name, ==, "Example");
  g_assert_cmpstr (info->summary, ==, "Does things well");
  g_assert_cmpstr (info->developer_name, ==, "Example Team");
  g_assert_cmpstr (info->project_license, ==, "GPL-3.0-or-later");
  g_assert_cmpstr (info->homepage, ==, "https://example.org/");
  g_assert_cmpstr (info->bugtracker, ==, "https://example.org/issues");
  g_assert_cmpstr (info->description, ==,
                   "<p>Fish &amp; chips &lt;3</p>"
                   "<ul><li>One <em>big</em> thing</li><li>Two</li></ul>");
  g_assert_cmpstr (info->release_version, ==, "2.0");
  g_assert_cmpstr (info->release_date, ==, "2026-02-01");
  g_assert_cmpstr (info->release_notes, ==, "<p>New</p><ol><li>A</li></ol>");
}

static void
test_metainfo_malformed (void)
{
  const char *bad[] = {
    "",
    "<component><id>x</id>",
    "<component><id>x</id><name>y</name></componen>",
    "<component><name>No id</name></component>",
    "<component><id>no.name</id></component>",
    "<component><id>a</id><name>b</name><description><p>x<script/></p></description></component>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EaselMetainfo) info = easel_metainfo_parse (bad[i], -1, &error);

      g_assert_null (info);
      g_assert_error (error, G_MARKUP_ERROR, error->code);
      g_assert_true (g_str_has_prefix (error->message, "Invalid metainfo"));
    }
}

/* The metainfo we ship parses and carries what the About window shows. */
static void
test_metainfo_bundled (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "..", "data", "easel-metainfo.xml", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EaselMetainfo) info = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  info = easel_metainfo_parse (contents, length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info->id, ==, APP_ID);
  g_assert_cmpstr (info->name, ==, APP_NAME);
  g_assert_cmpstr (info->release_version, ==, PACKAGE_VERSION);
  g_assert_nonnull (info->summary);
  g_assert_nonnull (info->developer_name);
  g_assert_true (g_str_has_prefix (info->homepage, "https://"));
  g_assert_true (g_str_has_prefix (info->bugtracker, "https://"));
  g_assert_true (g_str_has_prefix (info->release_notes, "<p>"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Easel/Metainfo/sample", test_metainfo_sample);
  g_test_add_func ("/Easel/Metainfo/malformed", test_metainfo_malformed);
  g_test_add_func ("/Easel/Metainfo/bundled", test_metainfo_bundled);

  return g_test_run ();
}
