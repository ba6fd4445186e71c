/* replay-main.c: the normal suite's driver for one fuzz entry point
 *
 * Built with any compiler and without libFuzzer, linked with the same
 * LLVMFuzzerTestOneInput source as the fuzzer (PS_FUZZ_TARGET names it).
 * It feeds that entry point every file of tests/fuzz/regressions/TARGET/
 * (inputs that once crashed) and tests/fuzz/seeds/TARGET/, then a few
 * known nasty inputs made here because they are too big to commit.  A
 * case passes when the entry point returns: the sanitizer build turns a
 * memory error or a leak into a failure.
 */
#include "fuzz-common.h"

#include <string.h>

#ifndef PS_FUZZ_TARGET
#error "PS_FUZZ_TARGET names the entry point this driver replays"
#endif

/* Values in the 26M-element array of issue 12 (a 50 MB scenario). */
#define HUGE_ARRAY_ELEMENTS (26 * 1000 * 1000)

typedef GBytes *(*MakeFunc) (void);

typedef struct
{
  const char *target;           /* the entry point it is for */
  const char *name;
  MakeFunc    make;
} Generated;

static GBytes *
take (GString *text)
{
  gsize length = text->len;

  return g_bytes_new_take (g_string_free (text, FALSE), length);
}

static GBytes *
repeat (const char *prefix, const char *unit, guint n, const char *suffix)
{
  GString *text = g_string_new (prefix);

  for (guint i = 0; i < n; i++)
    g_string_append (text, unit);
  g_string_append (text, suffix);
  return take (text);
}

/* A string literal's bytes, NULs inside included, the final one not. */
#define LITERAL(text) g_bytes_new_static (text, sizeof (text) - 1)

/* "[0,0,...,0]" with HUGE_ARRAY_ELEMENTS zeros, inside @prefix/@suffix. */
static GBytes *
huge_array (const char *prefix, const char *suffix)
{
  GString *text = g_string_sized_new (2 * HUGE_ARRAY_ELEMENTS + 64);

  g_string_append (text, prefix);
  g_string_append_c (text, '[');
  for (guint i = 0; i < HUGE_ARRAY_ELEMENTS; i++)
    g_string_append (text, i == 0 ? "0" : ",0");
  g_string_append_c (text, ']');
  g_string_append (text, suffix);
  return take (text);
}

static GBytes *deep_brackets (void) { return repeat ("", "[", 100000, ""); }
static GBytes *deep_objects (void) { return repeat ("", "{\"a\":", 100000, ""); }
static GBytes *deep_closed (void) { return repeat ("{\"clients\":", "[", 100000, ""); }

static GBytes *
nul_raw (void)
{
  return LITERAL ("{\"clients\":[{}],\"description\":\"a\0b\"}");
}

static GBytes *
nul_escaped (void)
{
  return LITERAL ("{\"clients\":[{}],\"description\":\"a\\u0000b\"}");
}

static GBytes *
octal_escape (void)
{
  return LITERAL ("{\"clients\":[{}],\"description\":\"caf\\351\"}");
}

static GBytes *
huge_priorities (void)
{
  return huge_array ("{\"clients\":[{\"priorities\":", "}]}");
}

static GBytes *set_deep (void) { return repeat ("clients[0].priorities=", "[", 100000, ""); }
static GBytes *set_nul (void) { return LITERAL ("description=\"a\\u0000b\""); }
static GBytes *set_octal (void) { return LITERAL ("description=\"caf\\351\""); }
static GBytes *set_huge (void) { return huge_array ("clients[0].priorities=", ""); }

static GBytes *body_deep (void) { return repeat ("", "[", 64 * 1024, ""); }
static GBytes *body_nul (void) { return LITERAL ("{\"priority\":0}\0"); }
static GBytes *body_nul_escaped (void) { return LITERAL ("{\"a\\u0000b\":0}"); }
static GBytes *body_octal (void) { return LITERAL ("{\"caf\\351\":0}"); }

/* Over the 1 MiB input cap the entry points set. */
static GBytes *trace_long_line (void) { return repeat ("time_s,client,priority\n", "9", 1 << 20, ",a,0\n"); }
static GBytes *trace_nul (void) { return LITERAL ("time_s,client,priority\n1,a\0b,0\n"); }

static GBytes *
log_nul (void)
{
  return LITERAL ("1.2.3.4 - - [14/Mar/2026:09:58:01 +0200] \"GET /\0 HTTP/1.1\" 200 1\n");
}

static GBytes *
log_far_year (void)
{
  return LITERAL ("1.2.3.4 - - [31/Dec/99999999999999:23:59:59 -2359] \"GET / HTTP/1.1\" "
                  "200 1 \"-\" \"-\"\n");
}

static const Generated generated[] = {
  { "scenario", "deep-brackets", deep_brackets },
  { "scenario", "deep-objects", deep_objects },
  { "scenario", "deep-after-key", deep_closed },
  { "scenario", "nul-raw", nul_raw },
  { "scenario", "nul-escaped", nul_escaped },
  { "scenario", "octal-escape", octal_escape },
  { "scenario", "26M-priorities", huge_priorities },
  { "set", "deep-brackets", set_deep },
  { "set", "nul-escaped", set_nul },
  { "set", "octal-escape", set_octal },
  { "set", "26M-priorities", set_huge },
  { "body", "deep-brackets", body_deep },
  { "body", "nul-raw", body_nul },
  { "body", "nul-escaped-key", body_nul_escaped },
  { "body", "octal-escape", body_octal },
  { "trace", "over-input-cap", trace_long_line },
  { "trace", "nul-raw", trace_nul },
  { "access-log", "nul-raw", log_nul },
  { "access-log", "far-year", log_far_year },
};

static void
feed (GBytes *bytes)
{
  gsize size;
  const uint8_t *data = g_bytes_get_data (bytes, &size);

  g_assert_cmpint (LLVMFuzzerTestOneInput (data, size), ==, 0);
}

static void
test_file (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;
  g_autoptr(GBytes) bytes = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new_take (contents, length);
  feed (bytes);
}

static void
test_generated (gconstpointer data)
{
  const Generated *g = data;
  g_autoptr(GBytes) bytes = g->make ();

  feed (bytes);
}

/* One case per file of @kind/TARGET/, in name order; the paths live as
 * long as the process (they are the cases' data). */
static guint
add_files (const char *kind)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "fuzz", kind,
                                                     PS_FUZZ_TARGET, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.' && strcmp (name, "README") != 0)
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("/fuzz/%s/%s/%s", PS_FUZZ_TARGET,
                                                    kind, file);

      g_test_add_data_func_full (test_path, g_build_filename (dir_path, file, NULL),
                                 test_file, g_free);
    }
  return names->len;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_summary ("Every input that once crashed " PS_FUZZ_TARGET "'s fuzz entry point, "
                  "its seeds and known nasty inputs return normally.");
  ps_fuzz_init ();
  add_files ("regressions");
  add_files ("seeds");
  for (guint i = 0; i < G_N_ELEMENTS (generated); i++)
    if (strcmp (generated[i].target, PS_FUZZ_TARGET) == 0)
      {
        g_autofree char *test_path = g_strdup_printf ("/fuzz/%s/generated/%s",
                                                      PS_FUZZ_TARGET, generated[i].name);

        g_test_add_data_func (test_path, &generated[i], test_generated);
      }
  return g_test_run ();
}
