/* ps-cmd-live.c: `poolsim live` and `poolsim load`: a scenario's clients
 * on the real clock, against a server in this process or a running one
 *
 * live starts the server on an ephemeral 127.0.0.1 port and the clients
 * against it, both on one clock, so quota windows are aligned to the run's
 * t = 0 as in the simulator.  load runs the clients only, against
 * --target: its t = 0 is when it starts, so the server's windows are
 * aligned to the server's start instead and fixed-window figures can
 * differ from a simulation by up to one window.  Both write the same run
 * directory as `run`, with mode "live" in summary.json.
 */
#include "ps-cmd.h"

#include <signal.h>
#include <stdio.h>

#include "ps-live-admission.h"
#include "ps-live-load.h"
#include "ps-live-server.h"
#include "ps-run-writer.h"
#include "ps-scenario-explain.h"

/* Requests per real second that live mode's clients and server, on one
 * 2-core machine, keep on schedule (docs/live.md, "Keeping schedule"). */
#define PS_CMD_LIVE_SUSTAINED_RATE 2500

static void
print_result (const PsScenario *sc, const PsRunSummary *s, const char *dir,
              PsLiveLoad *load)
{
  g_autofree char *first = NULL;
  guint64 errors = ps_live_load_get_errors (load, &first);

  ps_cmd_print_totals (sc, s);
  ps_cmd_print_stability (s);
  printf ("  live%s: %.1f scenario s in %.2f real s; results in %s/\n",
          ps_live_load_was_stopped (load) ? " (stopped early)" : "",
          (double) s->duration / 1e6, s->wall_s, dir);
  if (errors > 0)
    g_printerr ("poolsim: warning: %" G_GUINT64_FORMAT " exchanges failed or got another "
                "status and were counted as 503 (first: %s)\n", errors, first);
}

/* Did the load keep its schedule?  Its p99 lag must stay under 1% of the
 * run and under 1 s of scenario time; otherwise the clients sent later
 * (and so less) than the scenario says, and the figures answer another
 * question.  Warns with the largest time scale that would have fitted;
 * FALSE (with --strict) when it fell behind. */
static gboolean
check_schedule (const PsScenario *sc, const PsRunSummary *s, const PsCmdOptions *o,
                GError **error)
{
  g_autoptr(PsExplain) e = NULL;
  double p99, threshold, expected, kept, fit;

  if (s->schedule_lag == NULL || ps_histogram_count (s->schedule_lag) == 0)
    return TRUE;
  p99 = (double) ps_histogram_quantile (s->schedule_lag, 0.99) / 1e6;
  threshold = MIN (0.01 * (double) s->duration / 1e6, 1.0);
  if (p99 <= threshold)
    return TRUE;
  e = ps_scenario_explain (sc);
  expected = e->offered * (double) s->duration / 1e6;
  /* the share of the schedule it kept: arrivals that fired, requests sent */
  kept = expected > 0 ? MIN (1.0, (double) s->totals.generated / expected) : 1.0;
  if (s->totals.generated > 0)
    kept = MIN (kept, (double) s->totals.attempts / (double) s->totals.generated);
  fit = s->time_scale * MIN (kept, threshold / p99) * 0.8;
  g_printerr ("poolsim: warning: live load fell behind schedule (p99 lag %.3g s of scenario "
              "time, max %.3g s; at most %.3g s would keep it comparable); results are not "
              "comparable with the simulation; try --time-scale %.2g\n", p99,
              (double) ps_histogram_max (s->schedule_lag) / 1e6, threshold, fit);
  if (!o->strict)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
               "--strict: the load fell behind its schedule (p99 lag %.3g s)", p99);
  return FALSE;
}

/* Before the run: the real request rate this asks for, against what
 * loopback live sustains on a machine like this one (docs/live.md). */
static void
check_rate (const PsScenario *sc, const PsCmdOptions *o)
{
  g_autoptr(PsExplain) e = ps_scenario_explain (sc);
  double real = e->offered * o->time_scale;

  if (real > PS_CMD_LIVE_SUSTAINED_RATE)
    g_printerr ("poolsim: warning: the clients offer %.0f requests per real second "
                "(%.3g/s × time scale %g), more than live mode sustains on a 2-core "
                "machine (about %d/s); expect it to fall behind (try --time-scale %.2g)\n",
                real, e->offered, o->time_scale, PS_CMD_LIVE_SUSTAINED_RATE,
                o->time_scale * PS_CMD_LIVE_SUSTAINED_RATE / real);
}

/* The second interrupt, while the clients drain: what the run wrote goes,
 * the previous run stays. */
static void
abandon_run (gpointer data)
{
  g_printerr ("poolsim: interrupted: quitting without writing the summary\n");
  ps_cmd_run_dir_clear (data);             /* says what was left */
}

static volatile sig_atomic_t interrupted_late;

static void
note_interrupt (int signum)
{
  interrupted_late = signum;
}

/* Runs the scenario's clients against @target into the run directory,
 * stopping on SIGINT/SIGTERM, then draws the charts.  @admission: the
 * server's, when it runs in this process: the pool column then comes from
 * the pool itself. */
static gboolean
run_load (const PsScenario *sc, const PsCmdOptions *o, const char *target,
          const PsLiveClock *clock, PsLiveAdmission *admission, GError **error)
{
  g_autofree char *dir = ps_cmd_output_dir (o, sc);
  g_auto(PsCmdRunDir) run_dir = { 0 };
  g_autoptr(PsRunWriter) writer = NULL;
  g_autoptr(PsLiveLoad) load = NULL;
  PsLiveLoadOptions lo = {
    .target = target,
    .clock = *clock,
    .threads = (guint) o->threads,
    .grace_us = (gint64) (o->grace_s * 1e6),
  };
  PsRecordSink sink;
  struct sigaction late = { .sa_handler = note_interrupt }, before_int, before_term;

  if (!ps_live_check_target (target, error))   /* before anything is written */
    return FALSE;
  check_rate (sc, o);
  if (!ps_cmd_run_dir_begin (&run_dir, dir, error))
    return FALSE;
  writer = ps_cmd_open_run_writer (sc, run_dir.tmp, PS_RUN_WRITER_INLINE, error);
  if (writer == NULL)
    return FALSE;
  ps_run_writer_get_sink (writer, &sink);
  lo.on_quit = abandon_run;
  lo.on_quit_data = &run_dir;
  load = ps_live_load_new (sc, &lo, &sink, error);
  if (load == NULL)
    return FALSE;
  if (admission != NULL)
    ps_live_load_set_pool_probe (load, ps_live_admission_probe, admission);
  if (!ps_live_load_run (load, TRUE, error))
    return FALSE;
  /* an interrupt while the summary is written abandons the run, once the
   * files are closed: the previous run stays, nothing partial is left */
  sigaction (SIGINT, &late, &before_int);
  sigaction (SIGTERM, &late, &before_term);
  if (!ps_run_writer_finish (writer, error))
    return FALSE;
  if (interrupted_late != 0)
    {
      abandon_run (&run_dir);
      signal (interrupted_late, SIG_DFL);
      raise (interrupted_late);
    }
  if (!ps_cmd_run_dir_commit (&run_dir, error))
    return FALSE;
  signal (SIGINT, SIG_DFL);               /* from now on, an interrupt ends it */
  signal (SIGTERM, SIG_DFL);
  if (!o->no_plots && !ps_cmd_draw_charts (dir, o->quiet, error))
    return FALSE;
  if (!o->quiet)
    print_result (sc, ps_live_load_get_summary (load), dir, load);
  return check_schedule (sc, ps_live_load_get_summary (load), o, error);
}

gboolean
ps_cmd_live (int argc, char **argv, GError **error)
{
  g_auto(PsCmdOptions) o = PS_CMD_OPTIONS_INIT;
  g_autoptr(GOptionContext) ctx = g_option_context_new ("SCENARIO.json");
  g_autoptr(PsScenario) sc = NULL;

  g_option_context_set_summary (ctx,
    "Run a scenario live: its server (poolsim serve) on an ephemeral 127.0.0.1\n"
    "port and its clients (poolsim load) against it, in one process, on the real\n"
    "clock. Writes the same run directory as `poolsim run`, with mode \"live\".\n"
    "Ctrl-C stops the clients and keeps what they did; a second one quits at once.");
  ps_cmd_add_options (ctx, &o, PS_CMD_OUTPUT | PS_CMD_LIVE | PS_CMD_SCENARIO);
  if (!g_option_context_parse (ctx, &argc, &argv, error))
    return FALSE;
  sc = ps_cmd_load_scenario (&o, argc, argv, error);
  if (sc == NULL || !ps_live_check_scenario (sc, error))
    return FALSE;
  ps_cmd_print_heading (sc, &o);
  return ps_cmd_live_scenario (sc, &o, error);
}

/**
 * ps_cmd_live_scenario:
 *
 * The scenario live, in this process: its server on an ephemeral
 * 127.0.0.1 port, its clients against it, into the run directory of @o.
 */
gboolean
ps_cmd_live_scenario (const PsScenario *sc, const PsCmdOptions *o, GError **error)
{
  g_autoptr(PsLiveServer) server = NULL;
  PsLiveServerOptions so = { .listen = "127.0.0.1:0" };
  gboolean ok;

  ps_live_clock_init (&so.clock, o->time_scale);
  server = ps_live_server_new (sc, &so, error);
  if (server == NULL)
    return FALSE;
  ok = run_load (sc, o, ps_live_server_get_url (server), &so.clock,
                 ps_live_server_get_admission (server), error);
  ps_live_server_stop (server, 0);
  return ok;
}

gboolean
ps_cmd_load (int argc, char **argv, GError **error)
{
  g_auto(PsCmdOptions) o = PS_CMD_OPTIONS_INIT;
  g_autofree char *target = NULL;
  GOptionEntry entries[] = {
    { "target", 0, 0, G_OPTION_ARG_STRING, &target,
      "The server's URL, such as http://127.0.0.1:8080 (required)", "URL" },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("SCENARIO.json");
  g_autoptr(PsScenario) sc = NULL;
  PsLiveClock clock;

  g_option_context_set_summary (ctx,
    "Run a scenario's clients on the real clock against a poolsim server:\n"
    "each client sends from its own 127.x.y.z address with its own HTTP\n"
    "session, and reacts to 429/503 and Retry-After as the scenario says.\n"
    "Writes the same run directory as `poolsim run`, with mode \"live\".\n"
    "Ctrl-C stops the clients and keeps what they did; a second one quits at once.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  ps_cmd_add_options (ctx, &o, PS_CMD_OUTPUT | PS_CMD_LIVE | PS_CMD_SCENARIO | PS_CMD_AS_LOAD);
  if (!g_option_context_parse (ctx, &argc, &argv, error))
    return FALSE;
  if (target == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "missing --target URL (the server's, such as http://127.0.0.1:8080)");
      return FALSE;
    }
  sc = ps_cmd_load_scenario (&o, argc, argv, error);
  if (sc == NULL || !ps_live_check_scenario (sc, error))
    return FALSE;
  ps_cmd_print_heading (sc, &o);
  ps_live_clock_init (&clock, o.time_scale);
  return run_load (sc, &o, target, &clock, NULL, error);
}
