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

/* Elements of the array in issue 12's 50 MB scenario. */
#define HUGE (26 * 1000 * 1000)

/* An input made here: @head (@head_length bytes, NULs allowed), then
 * @unit @n times, then @tail. */
typedef struct
{
  const char *target;           /* the entry point it is for */
  const char *name;
  const char *head;
  gsize       head_length;
  const char *unit;
  guint       n;
  const char *tail;
} Generated;

/* A string literal and its length, NULs inside included. */
#define BYTES(text) text, sizeof (text) - 1

static const Generated generated[] = {
  { "scenario", "deep-brackets", BYTES (""), "[", 100000, "" },
  { "scenario", "deep-objects", BYTES (""), "{\"a\":", 100000, "" },
  { "scenario", "deep-after-key", BYTES ("{\"clients\":"), "[", 100000, "" },
  { "scenario", "nul-raw", BYTES ("{\"clients\":[{}],\"description\":\"a\0b\"}"), "", 0, "" },
  { "scenario", "nul-escaped", BYTES ("{\"clients\":[{}],\"description\":\"a\\u0000b\"}"), "", 0, "" },
  { "scenario", "octal-escape", BYTES ("{\"clients\":[{}],\"description\":\"caf\\351\"}"), "", 0, "" },
  { "scenario", "26M-priorities", BYTES ("{\"clients\":[{\"priorities\":[0"), ",0", HUGE - 1, "]}]}" },
  { "set", "deep-brackets", BYTES ("clients[0].priorities="), "[", 100000, "" },
  { "set", "nul-escaped", BYTES ("description=\"a\\u0000b\""), "", 0, "" },
  { "set", "octal-escape", BYTES ("description=\"caf\\351\""), "", 0, "" },
  { "set", "26M-priorities", BYTES ("clients[0].priorities=[0"), ",0", HUGE - 1, "]" },
  { "body", "deep-brackets", BYTES (""), "[", 64 * 1024, "" },
  { "body", "nul-raw", BYTES ("{\"priority\":0}\0"), "", 0, "" },
  { "body", "nul-escaped-key", BYTES ("{\"a\\u0000b\":0}"), "", 0, "" },
  { "body", "octal-escape", BYTES ("{\"caf\\351\":0}"), "", 0, "" },
  /* one line past the 1 MiB input cap the entry points set */
  { "trace", "over-input-cap", BYTES ("time_s,client,priority\n"), "9", 1 << 20, ",a,0\n" },
  { "trace", "nul-raw", BYTES ("time_s,client,priority\n1,a\0b,0\n"), "", 0, "" },
  { "access-log", "nul-raw",
    BYTES ("1.2.3.4 - - [14/Mar/2026:09:58:01 +0200] \"GET /\0 HTTP/1.1\" 200 1\n"), "", 0, "" },
  { "access-log", "far-year",
    BYTES ("1.2.3.4 - - [31/Dec/99999999999999:23:59:59 -2359] \"GET / HTTP/1.1\" 200 1 "
           "\"-\" \"-\"\n"), "", 0, "" },
};

static GBytes *
make (const Generated *g)
{
  GString *text = g_string_sized_new (g->head_length + strlen (g->unit) * g->n + 64);
  gsize length;

  g_string_append_len (text, g->head, (gssize) g->head_length);
  for (guint i = 0; i < g->n; i++)
    g_string_append (text, g->unit);
  g_string_append (text, g->tail);
  length = text->len;
  return g_bytes_new_take (g_string_free (text, FALSE), length);
}

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
  g_autoptr(GBytes) bytes = make (data);

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
