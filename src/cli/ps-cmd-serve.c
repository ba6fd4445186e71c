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
  guint64 errors = 0;

  ps_live_server_get_counters (server, &c);
  ps_live_admission_stats (ps_live_server_get_admission (server), &p);
  for (guint k = 0; k < PS_LIVE_N_STATUS; k++)
    if (k != PS_LIVE_STATUS_200 && k != PS_LIVE_STATUS_429 && k != PS_LIVE_STATUS_503)
      errors += c.responses[k];
  printf ("poolsim: served %" G_GUINT64_FORMAT " x 200, %" G_GUINT64_FORMAT " x 429, %"
          G_GUINT64_FORMAT " x 503, %" G_GUINT64_FORMAT " other errors from %u client "
          "address(es) in %.1f s; %" G_GUINT64_FORMAT " connections (%" G_GUINT64_FORMAT
          " refused over the limit or without a descriptor, %" G_GUINT64_FORMAT
          " timed out)\n",
          c.responses[PS_LIVE_STATUS_200], c.responses[PS_LIVE_STATUS_429],
          c.responses[PS_LIVE_STATUS_503], errors, p.subjects, c.uptime_s,
          c.connections_accepted, c.connections_refused,
          c.connections_timed_out + c.connections_idle);
  ps_live_pool_stats_clear (&p);
}

/* A timeout option in seconds: unset (-1) keeps the default, 0 turns it
 * off (-1 µs for the server). */
static gboolean
timeout_option (const char *name, double seconds, gint64 *out_us, GError **error)
{
  if (seconds == -1)
    return TRUE;
  if (!(seconds >= 0 && seconds <= 86400))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s: %g is out of range (expected 0 to 86400 seconds; 0 turns it off)",
                   name, seconds);
      return FALSE;
    }
  *out_us = seconds == 0 ? -1 : MAX ((gint64) (seconds * 1e6), (gint64) 1);
  return TRUE;
}

gboolean
ps_cmd_serve (int argc, char **argv, GError **error)
{
  g_auto(PsCmdOptions) o = PS_CMD_OPTIONS_INIT;
  g_autofree char *listen = NULL;
  gint max_connections = 0;
  double header_timeout = -1, idle_timeout = -1;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      "Listen on this address (default 127.0.0.1:8080; port 0 picks a free one)",
      "HOST:PORT" },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections,
      "Connections open at once; more are answered 503 and closed (default: the "
      "descriptor limit less 64, at most 50000)", "N" },
    { "header-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &header_timeout,
      "Seconds a request may take to arrive whole from its first byte, or get 408 and "
      "a close (default 10; 0: no limit)", "SECONDS" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &idle_timeout,
      "Seconds a kept-alive connection may wait for its next request (default 60; "
      "0: no limit)", "SECONDS" },
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
  if (max_connections < 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--max-connections: %d is out of range (expected at least 1)",
                   max_connections);
      return FALSE;
    }
  if (!timeout_option ("--header-timeout", header_timeout, &so.header_timeout_us, error)
      || !timeout_option ("--idle-timeout", idle_timeout, &so.idle_timeout_us, error))
    return FALSE;
  so.max_connections = (guint) max_connections;
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
