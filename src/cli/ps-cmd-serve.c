/* ps-cmd-serve.c: `poolsim serve SCENARIO` — the scenario's server on a
 * socket, until SIGINT or SIGTERM
 *
 * On the first signal the server answers new requests 503, gives those in
 * flight a grace period, closes every connection and joins its threads;
 * a second signal kills the process at once (default disposition).
 */
#include <signal.h>
#include <stdio.h>

#include <glib-unix.h>

#include "ps-cmd.h"
#include "ps-live-admission.h"
#include "ps-live-server.h"

static gboolean
quit_on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
wait_for_signal (void)
{
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (ctx, FALSE);
  GSource *sources[2] = { g_unix_signal_source_new (SIGINT), g_unix_signal_source_new (SIGTERM) };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_source_set_callback (sources[i], quit_on_signal, loop, NULL);
      g_source_attach (sources[i], ctx);
    }
  g_main_loop_run (loop);
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_source_destroy (sources[i]);
      g_source_unref (sources[i]);
    }
  signal (SIGINT, SIG_DFL);               /* a second interrupt ends it at once */
  signal (SIGTERM, SIG_DFL);
}

static void
print_counters (PsLiveServer *server)
{
  PsLiveServerCounters c;
  PsLivePoolStats p;

  ps_live_server_get_counters (server, &c);
  ps_live_admission_stats (ps_live_server_get_admission (server), &p);
  printf ("poolsim: served %" G_GUINT64_FORMAT " x 200, %" G_GUINT64_FORMAT " x 429, %"
          G_GUINT64_FORMAT " x 503, %" G_GUINT64_FORMAT " x 4xx from %u client "
          "address(es) in %.1f s\n",
          c.responses[PS_LIVE_STATUS_200], c.responses[PS_LIVE_STATUS_429],
          c.responses[PS_LIVE_STATUS_503],
          c.responses[PS_LIVE_STATUS_400] + c.responses[PS_LIVE_STATUS_404]
          + c.responses[PS_LIVE_STATUS_405] + c.responses[PS_LIVE_STATUS_411]
          + c.responses[PS_LIVE_STATUS_413],
          p.subjects, c.uptime_s);
}

gboolean
ps_cmd_serve (int argc, char **argv, GError **error)
{
  g_auto(PsCmdOptions) o = PS_CMD_OPTIONS_INIT;
  g_autofree char *listen = NULL;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      "Listen on this address (default 127.0.0.1:8080; port 0 picks a free one)",
      "HOST:PORT" },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("SCENARIO.json");
  g_autoptr(PsScenario) sc = NULL;
  g_autoptr(PsLiveServer) server = NULL;
  PsLiveServerOptions so = { 0 };

  g_option_context_set_summary (ctx,
    "Serve a scenario's server side over HTTP until interrupted: a pool of\n"
    "`workers` worker threads with its queue, and the quota per client IP.\n"
    "POST /v1/requests {\"priority\":0,\"work_ms\":120}; GET /docs describes the API.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  ps_cmd_add_options (ctx, &o, PS_CMD_LIVE | PS_CMD_SCENARIO | PS_CMD_AS_SERVER);
  if (!g_option_context_parse (ctx, &argc, &argv, error))
    return FALSE;
  sc = ps_cmd_load_scenario (&o, argc, argv, error);
  if (sc == NULL)
    return FALSE;

  so.listen = listen != NULL ? listen : "127.0.0.1:8080";
  ps_live_clock_init (&so.clock, o.time_scale);
  server = ps_live_server_new (sc, &so, error);
  if (server == NULL)
    return FALSE;
  if (!o.quiet)
    {
      printf ("poolsim: serving %s on %s (%u workers, queue %u, time scale %g); "
              "Ctrl-C stops\n", sc->name, ps_live_server_get_url (server), sc->workers,
              sc->queue, o.time_scale);
      fflush (stdout);
    }
  wait_for_signal ();
  ps_live_server_stop (server, (gint64) (o.grace_s * 1e6));
  if (!o.quiet)
    print_counters (server);
  return TRUE;
}
