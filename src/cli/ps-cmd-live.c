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

static void
print_result (const PsScenario *sc, const PsRunSummary *s, const char *dir,
              PsLiveLoad *load)
{
  g_autofree char *first = NULL;
  guint64 errors = ps_live_load_get_errors (load, &first);

  ps_cmd_print_totals (sc, s);
  printf ("  live%s: %.1f scenario s in %.2f real s; results in %s/\n",
          ps_live_load_was_stopped (load) ? " (stopped early)" : "",
          (double) s->duration / 1e6, s->wall_s, dir);
  if (errors > 0)
    g_printerr ("poolsim: warning: %" G_GUINT64_FORMAT " exchanges failed or got another "
                "status and were counted as 503 (first: %s)\n", errors, first);
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
  writer = ps_cmd_open_run_writer (sc, dir, error);
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
  g_auto(PsCmdOptions) o = PS_CMD_OPTIONS_INIT;
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
  ps_cmd_add_options (ctx, &o, PS_CMD_OUTPUT | PS_CMD_LIVE | PS_CMD_SCENARIO);
  if (!g_option_context_parse (ctx, &argc, &argv, error))
    return FALSE;
  sc = ps_cmd_load_scenario (&o, argc, argv, error);
  if (sc == NULL || !ps_live_check_scenario (sc, error))
    return FALSE;
  ps_cmd_print_heading (sc, &o);

  ps_live_clock_init (&so.clock, o.time_scale);
  server = ps_live_server_new (sc, &so, error);
  if (server == NULL)
    return FALSE;
  ok = run_load (sc, &o, ps_live_server_get_url (server), &so.clock,
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
