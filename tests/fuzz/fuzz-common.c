/* fuzz-common.c: quiet logs, bounded inputs and one private temporary
 * directory for the fuzz entry points
 *
 * A message at warning level or above means poolsim misused an API or hit
 * a case it did not expect; on invalid input that is a bug, so it aborts
 * and the fuzzer reports it.  Lower levels and g_printerr are dropped
 * (g_print is left for the regression driver's TAP output): millions of
 * inputs must not flood the terminal.  The data files a scenario names
 * are capped at 1 MiB (POOLSIM_MAX_INPUT_MB), so an input naming
 * /dev/zero costs a millisecond, not 256 MiB.  Single-threaded, as
 * libFuzzer calls the entry point.
 */
#include "fuzz-common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

/* Process-wide by nature: the entry point has no context argument. */
static char *temp_dir;

static GLogWriterOutput
quiet_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
              gpointer data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_log_writer_standard_streams (level, fields, n_fields, data);
      abort ();
    }
  return G_LOG_WRITER_HANDLED;
}

static void
drop_print (const char *text)
{
}

static void
remove_temp_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (temp_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (temp_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (temp_dir);
  g_clear_pointer (&temp_dir, g_free);
}

/* Idempotent: every entry point calls it first. */
void
ps_fuzz_init (void)
{
  if (temp_dir != NULL)
    return;
  g_log_set_writer_func (quiet_writer, NULL, NULL);
  g_set_printerr_handler (drop_print);
  g_setenv ("POOLSIM_MAX_INPUT_MB", "1", TRUE);
  temp_dir = g_dir_make_tmp ("poolsim-fuzz-XXXXXX", NULL);
  if (temp_dir == NULL)
    abort ();
  atexit (remove_temp_dir);
}

/**
 * ps_fuzz_write_temp:
 * @name: a plain file name
 *
 * Returns: (transfer none): the absolute path of @name in the private
 * temporary directory, now holding exactly @data.
 */
const char *
ps_fuzz_write_temp (const char *name, const uint8_t *data, size_t size)
{
  static char path[4096];
  FILE *f;

  g_snprintf (path, sizeof path, "%s/%s", temp_dir, name);
  f = fopen (path, "wb");
  if (f == NULL || (size > 0 && fwrite (data, 1, size, f) != size) || fclose (f) != 0)
    abort ();
  return path;
}

/* Returns: (transfer full): @data as a C string (up to its first NUL). */
char *
ps_fuzz_strndup (const uint8_t *data, size_t size)
{
  return g_strndup ((const char *) data, size);
}
