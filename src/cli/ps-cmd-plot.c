/* ps-cmd-plot.c: `poolsim plot DIR [--format png|svg|both] [--gnuplot PATH]`
 *
 * Draws the charts of an existing run directory, or of a sweep directory
 * (one with a sweep.json; see ps-plot.h).  Charts that cannot be drawn
 * are warnings on stderr and do not fail the command; charts the data
 * rule out (no requests.csv) are notes on stdout.  Two
 * entry points: ps_cmd_plot_command() has the shape of main.c's command
 * table (errors as GError, G_OPTION_ERROR for usage), ps_cmd_plot() prints
 * the error itself and returns the exit status.
 */
#include "ps-cmd.h"

#include "ps-plot.h"

typedef struct
{
  char *format;               /* "png", "svg" or "both" */
  char *gnuplot;              /* nullable */
} PlotOptions;

static void
plot_options_clear (PlotOptions *options)
{
  g_clear_pointer (&options->format, g_free);
  g_clear_pointer (&options->gnuplot, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PlotOptions, plot_options_clear)

/* Prints each message after @prefix; a message's later lines (gnuplot
 * echoes the failing command and a caret under the fault) are indented. */
static void
print_lines (GPtrArray  *lines,
             const char *prefix,
             gboolean    to_stderr)
{
  for (guint i = 0; i < lines->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (lines, i), "\n", -1);
      g_autofree char *text = g_strjoinv ("\n    ", parts);

      if (to_stderr)
        g_printerr ("%s%s\n", prefix, text);
      else
        g_print ("%s%s\n", prefix, text);
    }
}

/**
 * ps_cmd_plot_command:
 * @argc: arguments after "poolsim", so argv[0] is the command's name
 * @argv: (array length=argc): as for main(); not modified
 *
 * Runs `poolsim plot`, printing warnings and notes.  `--help` prints the
 * options and exits 0, as GOption does.
 *
 * Returns: FALSE with @error set: G_OPTION_ERROR for bad usage (exit
 *   status 2), PS_PLOT_ERROR when DIR is not a usable run or sweep
 *   directory (1).
 *   Charts that failed to draw do not make it FALSE.
 */
gboolean
ps_cmd_plot_command (int      argc,
                     char   **argv,
                     GError **error)
{
  g_auto(PlotOptions) options = { NULL, NULL };
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &options.format,
      "Image format: png, svg or both (default: both)", "FORMAT" },
    { "gnuplot", 0, 0, G_OPTION_ARG_FILENAME, &options.gnuplot,
      "The gnuplot program (default: $POOLSIM_GNUPLOT, else gnuplot on PATH)",
      "PATH" },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("DIR");
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) args = g_new0 (char *, argc + 1);
  PsPlotFormat format = PS_PLOT_BOTH;
  guint n_args;

  g_return_val_if_fail (argc >= 1 && argv != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);       /* parsing consumes a copy */
  g_option_context_set_summary (context,
                                "(Re)draw the charts of a run directory with "
                                "gnuplot: timeseries, latency_cdf,\n"
                                "clients and quota, as DIR/<chart>.png and/or "
                                ".svg; of a sweep directory\n"
                                "(`poolsim sweep`): sweep_metrics and "
                                "sweep_compare.  The scripts are built in;\n"
                                "docs/charts.md tells how to restyle them.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse_strv (context, &args, error))
    return FALSE;
  n_args = g_strv_length (args);
  if (n_args != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   n_args < 2 ? "missing DIR (see --help)"
                              : "expected one DIR, got more (see --help)");
      return FALSE;
    }
  if (options.format != NULL
      && !ps_plot_format_from_string (options.format, &format))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--format: \"%s\": expected png, svg or both",
                   options.format);
      return FALSE;
    }

  if (ps_plot_is_sweep_dir (args[1])
      ? !ps_plot_sweep_draw_all (args[1], format, options.gnuplot, warnings,
                                 notes, error)
      : !ps_plot_draw_all (args[1], format, options.gnuplot, warnings, notes,
                           error))
    return FALSE;
  print_lines (notes, "poolsim: ", FALSE);
  print_lines (warnings, "poolsim: warning: ", TRUE);
  return TRUE;
}

/**
 * ps_cmd_plot:
 * @argc: arguments after "poolsim", so argv[0] is the command's name
 * @argv: (array length=argc): as for main(); not modified
 *
 * ps_cmd_plot_command(), with its error printed as "poolsim: …".
 *
 * Returns: the exit status: 0 drawn (even with warnings), 1 DIR is not a
 *   usable run directory, 2 bad usage.
 */
int
ps_cmd_plot (int    argc,
             char **argv)
{
  g_autoptr(GError) error = NULL;

  if (ps_cmd_plot_command (argc, argv, &error))
    return 0;
  g_printerr ("poolsim: %s\n", error->message);
  return error->domain == G_OPTION_ERROR ? 2 : 1;
}
