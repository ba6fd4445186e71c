/* ps-plot.h: the charts of a run directory, drawn by gnuplot
 *
 * A run directory holds timeseries.csv, clients.csv, summary.json and,
 * unless the scenario turned it off, requests.csv.  ps_plot_draw_all()
 * reads them once, streaming (memory grows with clients and priorities,
 * never with requests), writes small derived files named plot-* beside
 * them, then feeds each embedded plots/<chart>.gp script to gnuplot.
 *
 * Charts: timeseries, latency_cdf, clients, quota; each as <chart>.png
 * and/or <chart>.svg.  A chart that cannot be drawn (no gnuplot, a script
 * error) is a warning, never an error, and leaves no image behind; only a
 * directory that is not a run directory is an error.  Not thread-safe for
 * one directory; distinct directories may be drawn concurrently.
 *
 * A sweep directory (sweep.json, points.csv, compare.csv, as `poolsim
 * sweep` writes it) has its own two charts, sweep_metrics and
 * sweep_compare, drawn by ps_plot_sweep_draw_all() alike, from derived
 * files named plot-sweep-*.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PS_PLOT_ERROR (ps_plot_error_quark ())

typedef enum
{
  PS_PLOT_ERROR_NOT_RUN_DIR,   /* missing directory, or no timeseries.csv / clients.csv
                                * (a sweep: no sweep.json or points.csv) */
  PS_PLOT_ERROR_BAD_DATA,      /* a CSV without a needed column, or a malformed row */
  PS_PLOT_ERROR_IO,            /* a derived file could not be written */
} PsPlotError;

typedef enum
{
  PS_PLOT_PNG  = 1 << 0,
  PS_PLOT_SVG  = 1 << 1,
  PS_PLOT_BOTH = PS_PLOT_PNG | PS_PLOT_SVG,
} PsPlotFormat;

GQuark              ps_plot_error_quark        (void);

gboolean            ps_plot_draw_all           (const char    *run_dir,
                                                PsPlotFormat   formats,
                                                const char    *gnuplot,
                                                GPtrArray     *warnings,
                                                GPtrArray     *notes,
                                                GError       **error);
gboolean            ps_plot_write_data         (const char    *run_dir,
                                                GPtrArray     *notes,
                                                GError       **error);

gboolean            ps_plot_is_sweep_dir       (const char    *dir);
gboolean            ps_plot_sweep_draw_all     (const char    *sweep_dir,
                                                PsPlotFormat   formats,
                                                const char    *gnuplot,
                                                GPtrArray     *warnings,
                                                GPtrArray     *notes,
                                                GError       **error);
gboolean            ps_plot_sweep_write_data   (const char    *sweep_dir,
                                                GPtrArray     *notes,
                                                GError       **error);

const char * const *ps_plot_get_chart_names    (void);
GBytes             *ps_plot_dup_script         (const char    *chart);
gboolean            ps_plot_format_from_string (const char    *name,
                                                PsPlotFormat  *out_format);

G_END_DECLS
