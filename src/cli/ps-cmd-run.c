/* ps-cmd-run.c: `poolsim run SCENARIO` — simulate, write the run directory
 *
 * Order matters for the user: the scenario is validated completely before
 * anything is created, so a mistake leaves no half-written directory.
 */
#include "ps-cmd.h"

#include <stdio.h>
#include <unistd.h>

#include "ps-run-writer.h"
#include "ps-scenario.h"
#include "ps-sim.h"

typedef struct
{
  char    *output;
  char    *seed;
  GStrv    sets;
  gboolean no_plots;
  gboolean quiet;
  gboolean version;
} RunOptions;

typedef struct
{
  gint64   wall_start;
  gint64   last_print;
  gboolean printed;
} Progress;

static void
run_options_clear (RunOptions *o)
{
  g_free (o->output);
  g_free (o->seed);
  g_strfreev (o->sets);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RunOptions, run_options_clear)

/* On a terminal, after the first second: where the run is and how fast. */
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
  g_printerr ("\r  simulated %.0f of %.0f s (%2.0f%%), %.2f M events/s, ETA %.0f s   ",
              (double) now / 1e6, (double) duration / 1e6, 100 * done,
              (double) events / elapsed / 1e6,
              done > 0 ? elapsed * (1 - done) / done : 0.0);
}

static void
print_result (const PsScenario *sc, const PsRunSummary *s, const char *dir)
{
  const PsTotals *t = &s->totals;

  printf ("%s: %" G_GUINT64_FORMAT " requests: %" G_GUINT64_FORMAT " completed, %"
          G_GUINT64_FORMAT " rejected, %" G_GUINT64_FORMAT " dropped, %" G_GUINT64_FORMAT
          " pending; %" G_GUINT64_FORMAT " answers 429, %" G_GUINT64_FORMAT " answers 503\n",
          sc->name, t->generated, t->completed, t->rejected, t->dropped, t->pending,
          t->responses_429, t->responses_503);
  printf ("  %" G_GUINT64_FORMAT " events in %.2f s; results in %s/\n",
          s->events, s->wall_s, dir);
}

static gboolean
simulate (const PsScenario *sc, const char *dir, const RunOptions *o, GError **error)
{
  g_autoptr(PsRunWriter) writer = NULL;
  g_autoptr(PsSim) sim = NULL;
  PsRecordSink sink;
  Progress progress = { g_get_monotonic_time (), 0, FALSE };

  writer = ps_run_writer_new (dir, sc->write_requests, sc->write_attempts, error);
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
  if (!ps_run_writer_finish (writer, error))
    return FALSE;
  if (!o->quiet)
    print_result (sc, ps_sim_get_summary (sim), dir);
  return o->no_plots || ps_cmd_draw_charts (dir, o->quiet, error);
}

gboolean
ps_cmd_run (int argc, char **argv, GError **error)
{
  g_auto(RunOptions) o = { 0 };
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
      "Write the run directory here (default: out/NAME)", "DIR" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &o.seed,
      "Use this seed instead of the scenario's", "N" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.sets,
      "Override one scenario value (repeatable)", "KEY.PATH=VALUE" },
    { "no-plots", 0, 0, G_OPTION_ARG_NONE, &o.no_plots,
      "Do not draw the charts", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet,
      "Print nothing but errors", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &o.version, "Print the version", NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("SCENARIO.json");
  g_autoptr(PsScenario) sc = NULL;
  g_autofree char *dir = NULL;

  g_option_context_set_summary (ctx,
    "Simulate a scenario on a virtual clock and write requests.csv,\n"
    "timeseries.csv, clients.csv, summary.json and charts into a run directory.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, error))
    return FALSE;
  if (o.version)
    return ps_cmd_print_version ();
  if (!ps_cmd_one_argument (argc, argv, "scenario file", error))
    return FALSE;

  sc = ps_scenario_load_file (argv[1], (const char *const *) o.sets, error);
  if (sc == NULL)
    return FALSE;
  if (o.seed != NULL && !ps_cmd_parse_seed (o.seed, &sc->seed, error))
    return FALSE;
  for (char **w = sc->warnings; w && *w; w++)
    g_printerr ("poolsim: warning: %s\n", *w);
  if (!o.quiet)
    printf ("%s: %s\n", sc->name, *sc->description ? sc->description : "(no description)");

  dir = o.output ? g_strdup (o.output) : ps_cmd_default_output_dir (sc->name);
  return simulate (sc, dir, &o, error);
}
