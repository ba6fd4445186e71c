/* ps-cmd-run.c: `poolsim run SCENARIO` — simulate, write the run directory
 *
 * Order matters for the user: the scenario is validated completely before
 * anything is created, so a mistake leaves no half-written directory.
 */
#include "ps-cmd.h"

#include <stdio.h>
#include <unistd.h>

#include "ps-run-writer.h"
#include "ps-sim.h"

typedef struct
{
  gint64   wall_start;
  gint64   last_print;
  gboolean printed;
} Progress;

/* The process's resident memory now (0 if /proc says nothing). */
static double
resident_mib (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return 0;
  fields = g_strsplit (statm, " ", 3);
  if (fields[0] == NULL || fields[1] == NULL)
    return 0;
  return (double) g_ascii_strtoull (fields[1], NULL, 10) * (double) sysconf (_SC_PAGESIZE)
         / (1024.0 * 1024.0);
}

/* On a terminal, after the first second: where the run is, how fast, and
 * how big. */
static void
show_progress (PsTime now, PsTime duration, guint64 events, gpointer data)
{
  Progress *p = data;
  gint64 wall = g_get_monotonic_time ();
  double elapsed = (double) (wall - p->wall_start) / 1e6;
  double done = (double) now / (double) duration;

  if (elapsed < 1.0 || wall - p->last_print < 200000)
    return;
  p->last_print = wall;
  p->printed = TRUE;
  g_printerr ("\r  simulated %.0f of %.0f s (%2.0f%%), %.2f M events/s, RSS %.0f MiB, "
              "ETA %.0f s   ", (double) now / 1e6, (double) duration / 1e6, 100 * done,
              (double) events / elapsed / 1e6, resident_mib (),
              done > 0 ? elapsed * (1 - done) / done : 0.0);
}

static gboolean
simulate (const PsScenario *sc, const char *dir, const PsCmdOptions *o, GError **error)
{
  g_auto(PsCmdRunDir) run_dir = { 0 };
  g_autoptr(PsRunWriter) writer = NULL;
  g_autoptr(PsSim) sim = NULL;
  PsRecordSink sink;
  Progress progress = { g_get_monotonic_time (), 0, FALSE };

  ps_cmd_interrupt_arm ();              /* an interrupt abandons the run, cleanly */
  if (!ps_cmd_run_dir_begin (&run_dir, dir, error))
    return FALSE;
  writer = ps_cmd_open_run_writer (sc, run_dir.tmp, 0, error);
  if (writer == NULL)
    return FALSE;
  ps_run_writer_get_sink (writer, &sink);
  sim = ps_sim_new (sc, &sink);
  if (!o->quiet && isatty (STDERR_FILENO))
    ps_sim_set_progress (sim, show_progress, &progress);
  if (!ps_sim_run (sim, error))
    return FALSE;
  if (progress.printed)
    g_printerr ("\r%*s\r", 78, "");
  if (!ps_run_writer_finish (writer, error) || !ps_cmd_run_dir_commit (&run_dir, error))
    return FALSE;
  if (!o->quiet)
    {
      const PsRunSummary *s = ps_sim_get_summary (sim);

      ps_cmd_print_totals (sc, s);
      ps_cmd_print_stability (s);
      printf ("  %" G_GUINT64_FORMAT " events in %.2f s; results in %s/\n",
              s->events, s->wall_s, dir);
    }
  return o->no_plots || ps_cmd_draw_charts (dir, o->quiet, error);
}

gboolean
ps_cmd_run (int argc, char **argv, GError **error)
{
  g_auto(PsCmdOptions) o = PS_CMD_OPTIONS_INIT;
  g_autoptr(GOptionContext) ctx = g_option_context_new ("SCENARIO.json");
  g_autoptr(PsScenario) sc = NULL;
  g_autofree char *dir = NULL;
  gboolean explain = FALSE;
  const GOptionEntry entries[] = {
    { "explain", 0, 0, G_OPTION_ARG_NONE, &explain,
      "First print the load the scenario offers, as `poolsim check` does", NULL },
    { NULL },
  };

  g_option_context_set_summary (ctx,
    "Simulate a scenario on a virtual clock and write requests.csv,\n"
    "timeseries.csv, clients.csv, summary.json and charts into a run directory.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  ps_cmd_add_options (ctx, &o, PS_CMD_OUTPUT | PS_CMD_SCENARIO | PS_CMD_VERSION);
  if (!g_option_context_parse (ctx, &argc, &argv, error))
    return FALSE;
  if (o.version)
    return ps_cmd_print_version ();
  sc = ps_cmd_load_scenario (&o, argc, argv, error);
  if (sc == NULL)
    return FALSE;
  ps_cmd_print_heading (sc, &o);
  if (explain)
    ps_cmd_print_explain (sc);

  dir = ps_cmd_output_dir (&o, sc);
  return simulate (sc, dir, &o, error);
}
