/* ps-plot.c: the charts of a run directory, drawn by gnuplot
 *
 * The derived files come first (ps-plot-data.c); then each embedded
 * script of plots/ is fed to gnuplot on stdin, one process per chart and
 * format, into a temporary name renamed on success: a failed chart leaves
 * nothing.
 */
#include "ps-plot-private.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "ps-plot-resources.h"

G_DEFINE_QUARK (ps-plot-error-quark, ps_plot_error)

const char * const ps_plot_chart_names[N_CHARTS + 1] = {
  "timeseries", "latency_cdf", "clients", "quota", "stability", NULL,
};


/**
 * ps_plot_get_chart_names:
 *
 * Returns: (transfer none): "timeseries", "latency_cdf", "clients",
 *   "quota", "stability", NULL-terminated; also the names of the scripts
 *   and images.
 */
const char * const *
ps_plot_get_chart_names (void)
{
  return ps_plot_chart_names;
}

/**
 * ps_plot_dup_script:
 * @chart: a name from ps_plot_get_chart_names(), or one of a sweep's
 *   charts, "sweep_metrics" and "sweep_compare"
 *
 * Returns: (transfer full) (nullable): the text of plots/@chart.gp as
 *   compiled into poolsim, or NULL for an unknown chart.
 */
GBytes *
ps_plot_dup_script (const char *chart)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (chart != NULL, NULL);

  path = g_strdup_printf ("/org/poolsim/plots/%s.gp", chart);
  return g_resource_lookup_data (ps_plot_scripts_get_resource (), path,
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

/**
 * ps_plot_format_from_string:
 * @name: "png", "svg" or "both"
 * @out_format: (out): the format
 *
 * Returns: FALSE for any other name.
 */
gboolean
ps_plot_format_from_string (const char   *name,
                            PsPlotFormat *out_format)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (out_format != NULL, FALSE);

  if (g_ascii_strcasecmp (name, "png") == 0)
    *out_format = PS_PLOT_PNG;
  else if (g_ascii_strcasecmp (name, "svg") == 0)
    *out_format = PS_PLOT_SVG;
  else if (g_ascii_strcasecmp (name, "both") == 0)
    *out_format = PS_PLOT_BOTH;
  else
    return FALSE;
  return TRUE;
}

/* Appends a gnuplot single-quoted string: only ' needs escaping, as ''. */
static void
gp_single_quoted (GString    *out,
                  const char *text)
{
  g_string_append_c (out, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append_c (out, '\'');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

static gboolean
is_caret_line (const char *line)
{
  return strchr (line, '^') != NULL && line[strspn (line, " \t^")] == '\0';
}

/* gnuplot's stderr as one message: valid UTF-8, blank lines dropped,
 * naming @script_name where it says "/dev/stdin".  gnuplot reports a
 * syntax error as the command, a caret under the fault, then
 * "FILE line N: what"; that last line comes first here, so the message
 * starts with what went wrong, and the two others keep their alignment. */
static char *
stderr_text (GBytes     *bytes,
             const char *script_name)
{
  gsize size = 0;
  const char *raw = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;
  g_autofree char *text = raw != NULL ? g_utf8_make_valid (raw, size)
                                      : g_strdup ("");
  g_auto(GStrv) parts = g_strsplit (text, "\"/dev/stdin\"", -1);
  g_autofree char *named = g_strjoinv (script_name, parts);
  g_auto(GStrv) lines = g_strsplit (named, "\n", -1);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strchomp (lines[i]) != '\0')
      g_ptr_array_add (kept, lines[i]);
  if (kept->len >= 3 && is_caret_line (kept->pdata[kept->len - 2]))
    {
      gpointer last = g_ptr_array_steal_index (kept, kept->len - 1);

      g_ptr_array_insert (kept, kept->len - 2, last);
    }
  g_ptr_array_add (kept, NULL);
  return g_strjoinv ("\n", (char **) kept->pdata);
}

/* Runs gnuplot on @script with dir, fmt and outfile set; TRUE when it
 * exited 0.  *out_stderr receives what it said (possibly "").  @error is
 * set only when gnuplot could not be run at all. */
static gboolean
run_gnuplot (const char  *gnuplot,
             GBytes      *script,
             const char  *script_name,
             const char  *run_dir,
             const char  *fmt,
             const char  *outfile,
             char       **out_stderr,
             GError     **error)
{
  g_autoptr(GString) vars = g_string_new ("dir=");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) err_bytes = NULL;

  gp_single_quoted (vars, run_dir);
  g_string_append_printf (vars, "; fmt='%s'; outfile=", fmt);
  gp_single_quoted (vars, outfile);
  /* The script comes on stdin but is load-ed, not read as interactive
   * input ("-"), which cannot parse a { } block holding continued lines,
   * and goes on after an error; a load stops at the first one, with its
   * line number.  -d: no ~/.gnuplot, which could change our charts. */
  g_string_append (vars, "; load '/dev/stdin'");
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                              | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                              | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              error, gnuplot, "-d", "-e", vars->str, NULL);
  if (process == NULL
      || !g_subprocess_communicate (process, script, NULL, NULL, &err_bytes,
                                    error))
    return FALSE;
  *out_stderr = stderr_text (err_bytes, script_name);
  return g_subprocess_get_if_exited (process)
         && g_subprocess_get_exit_status (process) == 0;
}

/* Draws @chart in one format.  Returns TRUE when the image is in place;
 * *out_message is a failure, or gnuplot's chatter on success (or NULL). */
static gboolean
draw_one (const char  *run_dir,
          const char  *chart,
          const char  *fmt,
          const char  *gnuplot,
          char       **out_message)
{
  g_autofree char *name = g_strdup_printf ("%s.%s", chart, fmt);
  g_autofree char *final = g_build_filename (run_dir, name, NULL);
  g_autofree char *tmp_name = g_strdup_printf (".%s.%d.tmp", name,
                                               (int) getpid ());
  g_autofree char *tmp = g_build_filename (run_dir, tmp_name, NULL);
  g_autofree char *said = NULL;
  g_autofree char *script_name = g_strdup_printf ("%s.gp", chart);
  g_autoptr(GBytes) script = ps_plot_dup_script (chart);
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;

  g_assert (script != NULL);           /* every chart has a compiled script */
  *out_message = NULL;
  if (!run_gnuplot (gnuplot, script, script_name, run_dir, fmt, tmp, &said,
                    &local_error))
    {
      g_unlink (tmp);                   /* gnuplot leaves a 0-byte file */
      if (local_error != NULL)
        *out_message = g_strdup_printf ("%s not drawn: cannot run gnuplot: %s",
                                        name, local_error->message);
      else
        *out_message = g_strdup_printf ("%s not drawn: gnuplot failed: %s",
                                        name, *said ? said : "(no message)");
      return FALSE;
    }
  if (g_stat (tmp, &st) != 0 || st.st_size == 0 || g_rename (tmp, final) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      *out_message = g_strdup_printf ("%s not drawn: gnuplot wrote no image "
                                      "(%s)", name, g_strerror (saved));
      return FALSE;
    }
  if (*said != '\0')
    *out_message = g_strdup_printf ("%s drawn, but gnuplot said: %s", name,
                                    said);
  return TRUE;
}

/* The gnuplot to run: @requested, $POOLSIM_GNUPLOT, or "gnuplot" on PATH. */
char *
ps_plot_find_gnuplot (const char *requested)
{
  const char *env = g_getenv ("POOLSIM_GNUPLOT");

  if (requested != NULL)
    return g_strdup (requested);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_find_program_in_path ("gnuplot");
}

/* Draws @chart in each of @formats with @program (NULL: not found).
 * Returns (transfer full) (nullable) its one warning: the first failure
 * (after which the other format is not tried: it would fail alike), else
 * the first thing gnuplot said. */
char *
ps_plot_draw_chart (const char   *run_dir,
                    const char   *chart,
                    PsPlotFormat  formats,
                    const char   *program)
{
  static const struct
  {
    PsPlotFormat flag;
    const char  *ext;
  } exts[] = { { PS_PLOT_PNG, "png" }, { PS_PLOT_SVG, "svg" } };
  char *chatter = NULL;

  if (program == NULL)
    return g_strdup_printf ("%s not drawn: gnuplot not found on PATH "
                            "(install gnuplot-nox, or set POOLSIM_GNUPLOT)",
                            chart);
  for (guint f = 0; f < G_N_ELEMENTS (exts); f++)
    {
      char *said = NULL;

      if (!(formats & exts[f].flag))
        continue;
      if (!draw_one (run_dir, chart, exts[f].ext, program, &said))
        {
          g_free (chatter);
          return said;
        }
      if (chatter == NULL)
        chatter = said;
      else
        g_free (said);
    }
  return chatter;
}

/**
 * ps_plot_draw_all:
 * @run_dir: a run directory (relative or absolute)
 * @formats: PNG, SVG or both
 * @gnuplot: (nullable): the gnuplot program; NULL for $POOLSIM_GNUPLOT,
 *   else "gnuplot" on PATH
 * @warnings: (nullable) (element-type utf8): receives at most one line per
 *   chart that was not drawn ("timeseries.png not drawn: gnuplot failed:
 *   …", with gnuplot's message) or that gnuplot complained about; the
 *   caller's array, with g_free() as its free function
 * @notes: (nullable) (element-type utf8): as for ps_plot_write_data(): a
 *   line per chart the data rule out, which is not a failure
 *
 * Writes the derived files (see ps_plot_write_data()), then draws every
 * chart the data allow into @run_dir as <chart>.png and/or <chart>.svg,
 * 1600×900.  Each image is written under a temporary name and renamed
 * when gnuplot succeeds, so a failed chart leaves no file, not even a
 * 0-byte one, and an older image of it is kept.
 *
 * Returns: TRUE even when some or all charts failed (see @warnings); FALSE
 *   with @error set only as ps_plot_write_data() does.
 */
gboolean
ps_plot_draw_all (const char    *run_dir,
                  PsPlotFormat   formats,
                  const char    *gnuplot,
                  GPtrArray     *warnings,
                  GPtrArray     *notes,
                  GError       **error)
{
  g_autoptr(PlotData) data = NULL;
  g_autofree char *program = NULL;

  g_return_val_if_fail (run_dir != NULL, FALSE);
  g_return_val_if_fail (formats != 0 && (formats & ~PS_PLOT_BOTH) == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = ps_plot_prepare (run_dir, notes, error);
  if (data == NULL)
    return FALSE;
  program = ps_plot_find_gnuplot (gnuplot);
  for (int c = 0; c < N_CHARTS; c++)
    {
      char *warning;

      if (!data->drawable[c])
        continue;
      warning = ps_plot_draw_chart (run_dir, ps_plot_chart_names[c], formats,
                                    program);
      if (warning != NULL && warnings != NULL)
        g_ptr_array_add (warnings, warning);
      else
        g_free (warning);
    }
  return TRUE;
}
