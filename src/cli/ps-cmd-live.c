/* ps-cmd-live.c: `poolsim live SCENARIO` — serve + load in one process,
 * and what the three live-mode commands share
 *
 * live starts the server on an ephemeral 127.0.0.1 port and the clients
 * against it, both on one clock, so quota windows are aligned to the run's
 * t = 0 as in the simulator.  It writes the same run directory as `run`,
 * with mode "live" in summary.json.
 */
#include "ps-cmd-live.h"

#include <signal.h>
#include <stdio.h>

#include "ps-cmd.h"
#include "ps-live-server.h"
#include "ps-run-writer.h"

void
ps_cmd_live_options_clear (PsLiveCmdOptions *o)
{
  g_free (o->output);
  g_free (o->seed);
  g_strfreev (o->sets);
  g_free (o->time_scale_text);
}

/* The time scale and the thread and grace values, checked. */
gboolean
ps_cmd_live_check_options (PsLiveCmdOptions *o, GError **error)
{
  o->time_scale = 1;
  if (o->time_scale_text != NULL
      && !ps_live_parse_time_scale (o->time_scale_text, &o->time_scale, error))
    return FALSE;
  if (o->threads < 0 || o->threads > 256)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--threads: %d is out of range (expected 1 to 256)", o->threads);
      return FALSE;
    }
  if (!(o->grace_s >= 0 && o->grace_s <= 3600))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--grace: %g is out of range (expected 0 to 3600 seconds)", o->grace_s);
      return FALSE;
    }
  return TRUE;
}

/* argv is [command, SCENARIO] after option parsing. */
PsScenario *
ps_cmd_live_load_scenario (PsLiveCmdOptions *o, int argc, char **argv, GError **error)
{
  g_autoptr(PsScenario) sc = NULL;

  if (!ps_cmd_live_check_options (o, error)
      || !ps_cmd_one_argument (argc, argv, "scenario file", error))
    return NULL;
  sc = ps_scenario_load_file (argv[1], (const char *const *) o->sets, error);
  if (sc == NULL)
    return NULL;
  if (o->seed != NULL && !ps_cmd_parse_seed (o->seed, &sc->seed, error))
    return NULL;
  for (char **w = sc->warnings; w && *w; w++)
    g_printerr ("poolsim: warning: %s\n", *w);
  return g_steal_pointer (&sc);
}

static void
print_result (const PsScenario *sc, const PsRunSummary *s, const char *dir,
              PsLiveLoad *load)
{
  const PsTotals *t = &s->totals;
  g_autofree char *first = NULL;
  guint64 errors = ps_live_load_get_errors (load, &first);

  printf ("%s: %" G_GUINT64_FORMAT " requests: %" G_GUINT64_FORMAT " completed, %"
          G_GUINT64_FORMAT " rejected, %" G_GUINT64_FORMAT " dropped, %" G_GUINT64_FORMAT
          " pending; %" G_GUINT64_FORMAT " answers 429, %" G_GUINT64_FORMAT " answers 503\n",
          sc->name, t->generated, t->completed, t->rejected, t->dropped, t->pending,
          t->responses_429, t->responses_503);
  printf ("  live%s: %.1f scenario s in %.2f real s; results in %s/\n",
          ps_live_load_was_stopped (load) ? " (stopped early)" : "",
          (double) s->duration / 1e6, s->wall_s, dir);
  if (errors > 0)
    g_printerr ("poolsim: warning: %" G_GUINT64_FORMAT " exchanges failed or got another "
                "status and were counted as 503 (first: %s)\n", errors, first);
}

/**
 * ps_cmd_live_run_load:
 * @target: a poolsim server's URL
 * @clock: scenario t = 0 and the time scale
 * @admission: (nullable): the server's, when it runs in this process: the
 *   pool column then comes from the pool itself
 *
 * Runs the scenario's clients against @target into the run directory,
 * stopping on SIGINT/SIGTERM, then draws the charts.
 */
gboolean
ps_cmd_live_run_load (const PsScenario *sc, PsLiveCmdOptions *o, const char *target,
                      const PsLiveClock *clock, PsLiveAdmission *admission,
                      GError **error)
{
  g_autofree char *dir = o->output ? g_strdup (o->output) : ps_cmd_default_output_dir (sc->name);
  g_autoptr(PsRunWriter) writer = NULL;
  g_autoptr(PsLiveLoad) load = NULL;
  PsLiveLoadOptions lo = {
    .target = target,
    .clock = *clock,
    .threads = (guint) o->threads,
    .grace_us = (gint64) (o->grace_s * 1e6),
  };
  PsRecordSink sink;

  if (!ps_live_check_target (target, error))   /* before anything is written */
    return FALSE;
  writer = ps_run_writer_new (dir, sc->write_requests, sc->write_attempts, error);
  if (writer == NULL)
    return FALSE;
  ps_run_writer_get_sink (writer, &sink);
  load = ps_live_load_new (sc, &lo, &sink, error);
  if (load == NULL)
    return FALSE;
  if (admission != NULL)
    ps_live_load_set_pool_probe (load, ps_live_admission_probe, admission);
  if (!ps_live_load_run (load, TRUE, error))
    return FALSE;
  signal (SIGINT, SIG_DFL);               /* from now on, an interrupt ends it */
  signal (SIGTERM, SIG_DFL);
  if (!ps_run_writer_finish (writer, error))
    return FALSE;
  if (!o->no_plots && !ps_cmd_draw_charts (dir, o->quiet, error))
    return FALSE;
  if (!o->quiet)
    print_result (sc, ps_live_load_get_summary (load), dir, load);
  return TRUE;
}

gboolean
ps_cmd_live (int argc, char **argv, GError **error)
{
  g_auto(PsLiveCmdOptions) o = { .grace_s = 2 };
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
      "Write the run directory here (default: out/NAME)", "DIR" },
    { "time-scale", 0, 0, G_OPTION_ARG_STRING, &o.time_scale_text,
      PS_CMD_LIVE_TIME_SCALE_HELP, "K" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &o.threads,
      "Client threads (default 2)", "N" },
    { "grace", 0, 0, G_OPTION_ARG_DOUBLE, &o.grace_s,
      "Real seconds answers in flight get at the end (default 2)", "S" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &o.seed,
      "Use this seed instead of the scenario's", "N" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.sets,
      "Override one scenario value (repeatable)", "KEY.PATH=VALUE" },
    { "no-plots", 0, 0, G_OPTION_ARG_NONE, &o.no_plots, "Do not draw the charts", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet, "Print nothing but errors", NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("SCENARIO.json");
  g_autoptr(PsScenario) sc = NULL;
  g_autoptr(PsLiveServer) server = NULL;
  PsLiveServerOptions so = { .listen = "127.0.0.1:0" };
  gboolean ok;

  g_option_context_set_summary (ctx,
    "Run a scenario live: its server (poolsim serve) on an ephemeral 127.0.0.1\n"
    "port and its clients (poolsim load) against it, in one process, on the real\n"
    "clock. Writes the same run directory as `poolsim run`, with mode \"live\".\n"
    "Ctrl-C stops the clients and keeps what they did; a second one quits at once.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, error))
    return FALSE;
  sc = ps_cmd_live_load_scenario (&o, argc, argv, error);
  if (sc == NULL || !ps_live_check_scenario (sc, error))
    return FALSE;
  if (!o.quiet)
    printf ("%s: %s\n", sc->name, *sc->description ? sc->description : "(no description)");

  ps_live_clock_init (&so.clock, o.time_scale);
  server = ps_live_server_new (sc, &so, error);
  if (server == NULL)
    return FALSE;
  ok = ps_cmd_live_run_load (sc, &o, ps_live_server_get_url (server), &so.clock,
                             ps_live_server_get_admission (server), error);
  ps_live_server_stop (server, 0);
  return ok;
}
