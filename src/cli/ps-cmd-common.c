/* ps-cmd-common.c: small pieces every subcommand needs alike */
#include "ps-cmd.h"

#include "ps-plot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

char *
ps_cmd_default_output_dir (const char *scenario_name)
{
  return g_build_filename ("out", scenario_name, NULL);
}

gboolean
ps_cmd_parse_seed (const char *text, guint64 *out_seed, GError **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--seed: \"%s\" is not a seed (expected an integer 0..%" G_GINT64_FORMAT ")",
                   text, G_MAXINT64);
      return FALSE;
    }
  *out_seed = value;
  return TRUE;
}

/* After option parsing argv is [command, ARG]: exactly one positional. */
gboolean
ps_cmd_one_argument (int argc, char **argv, const char *what, GError **error)
{
  if (argc == 2)
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               argc < 2 ? "missing %s (see --help)" : "expected one %s, got more (see --help)",
               what);
  return FALSE;
}

gboolean
ps_cmd_print_version (void)
{
  printf ("poolsim %s\n", PS_VERSION);
  return TRUE;
}

/**
 * ps_cmd_draw_charts:
 *
 * Draws a run directory's charts.  A chart gnuplot could not draw is a
 * warning, not a failure: the CSVs and the summary are the run's result.
 * Returns: FALSE only when @dir is not a readable run directory.
 */
gboolean
ps_cmd_draw_charts (const char *dir, gboolean quiet, GError **error)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);

  if (!ps_plot_draw_all (dir, PS_PLOT_BOTH, NULL, warnings, notes, error))
    return FALSE;
  for (guint i = 0; i < warnings->len; i++)
    g_printerr ("poolsim: warning: %s\n", (const char *) warnings->pdata[i]);
  for (guint i = 0; !quiet && i < notes->len; i++)
    g_printerr ("poolsim: note: %s\n", (const char *) notes->pdata[i]);
  return TRUE;
}
