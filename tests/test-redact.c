/* test-redact.c
 *
 * Copyright 2026 The Easel developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "easel-redact.h"

static void
test_text (void)
{
  const struct { const char *text; const char *secret; } cases[] = {
    { "Authorization: Bearer r8_abcdefghijklmnop", "r8_abcdefghijklmnop" },
    { "token=user:12345-AbCdEfGh", "user:12345-AbCdEfGh" },
    { "key sk-or-v1-0123456789abcdef0123", "sk-or-v1-0123456789abcdef0123" },
    { "{\"discord\": \"MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz12345\"}",
      "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz12345" },
    { "GET /v3/midjourney/jobs/j1101093015123456789i-u12345-c1234567890123456789-bot:midjourney",
      "u12345-c1234567890123456789" },
    { "saved https://cdn.discordapp.com/attachments/111/222/alice_a_fox_uuid.png?ex=1&hm=2 ok", "alice_a_fox" },
    { "cell https://cdn.midjourney.com/0f1e2d3c-uuid/0_1.jpeg", "0f1e2d3c" },
    { "secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *redacted = easel_redact_text (cases[i].text);

      if (strstr (redacted, cases[i].secret) != NULL)
        g_error ("“%s” survived in “%s”", cases[i].secret, redacted);
      g_assert_nonnull (strstr (redacted, "«#"));
    }
}

static void
test_stable_hash (void)
{
  g_autofree char *a = easel_redact_text ("job j1i-u1-c2-bot:midjourney done");
  g_autofree char *b = easel_redact_text ("job j1i-u1-c2-bot:midjourney again");
  g_autofree char *h = easel_redact_hash ("x");

  /* The same value gives the same stand-in, so log lines can be matched. */
  g_assert_cmpint (strncmp (a, b, strlen ("job «#12345678»")), ==, 0);
  g_assert_cmpuint (strlen (h), ==, strlen ("«#12345678»"));
}

static void
test_plain_text_kept (void)
{
  g_autofree char *r = easel_redact_text ("POST https://api.replicate.com/v1/predictions → 201 (12 ms)");

  g_assert_cmpstr (r, ==, "POST https://api.replicate.com/v1/predictions → 201 (12 ms)");
  g_assert_null (easel_redact_text (NULL));
}

static void
test_url (void)
{
  g_autofree char *a = easel_redact_url ("https://api.replicate.com/v1/files/abc?token=r8_zzzzzzzz&x=1");
  g_autofree char *b = easel_redact_url ("https://cdn.discordapp.com/attachments/1/2/bob_x.png?ex=a&is=b&hm=c");
  g_autofree char *c = easel_redact_url ("http://127.0.0.1:1/v3/midjourney/jobs/j1i-u9-c9-bot:midjourney");

  g_assert_cmpstr (a, ==, "https://api.replicate.com/v1/files/abc?…");
  g_assert_null (strstr (b, "bob_x"));
  g_assert_null (strstr (b, "hm="));
  g_assert_null (strstr (c, "u9-c9"));
}

static void
test_invalid_utf8 (void)
{
  g_autofree char *r = easel_redact_text ("r8_abc\xff\xfe");

  g_assert_null (strstr (r, "r8_abc"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/Easel/Redact/text", test_text);
  g_test_add_func ("/Easel/Redact/stable-hash", test_stable_hash);
  g_test_add_func ("/Easel/Redact/plain-text-kept", test_plain_text_kept);
  g_test_add_func ("/Easel/Redact/url", test_url);
  g_test_add_func ("/Easel/Redact/invalid-utf8", test_invalid_utf8);

  return g_test_run ();
}
