/* ps-cmd-load.c: `poolsim load SCENARIO --target URL` — the scenario's
 * clients against a running `poolsim serve`
 *
 * The run's t = 0 is when load starts: quota windows on the server are
 * aligned to the server's start instead, so fixed-window figures can
 * differ from a simulation by up to one window (`poolsim live` aligns
 * both).
 */
#include "ps-cmd-live.h"

#include <stdio.h>

#include "ps-cmd.h"

gboolean
ps_cmd_load (int argc, char **argv, GError **error)
{
  g_auto(PsLiveCmdOptions) o = { .grace_s = 2 };
  g_autofree char *target = NULL;
  GOptionEntry entries[] = {
    { "target", 0, 0, G_OPTION_ARG_STRING, &target,
      "The server's URL, such as http://127.0.0.1:8080 (required)", "URL" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output,
      "Write the run directory here (default: out/NAME)", "DIR" },
    { "time-scale", 0, 0, G_OPTION_ARG_STRING, &o.time_scale_text,
      PS_CMD_LIVE_TIME_SCALE_HELP "; give the server the same one", "K" },
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
  PsLiveClock clock;

  g_option_context_set_summary (ctx,
    "Run a scenario's clients on the real clock against a poolsim server:\n"
    "each client sends from its own 127.x.y.z address with its own HTTP\n"
    "session, and reacts to 429/503 and Retry-After as the scenario says.\n"
    "Writes the same run directory as `poolsim run`, with mode \"live\".\n"
    "Ctrl-C stops the clients and keeps what they did; a second one quits at once.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, error))
    return FALSE;
  if (target == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "missing --target URL (the server's, such as http://127.0.0.1:8080)");
      return FALSE;
    }
  sc = ps_cmd_live_load_scenario (&o, argc, argv, error);
  if (sc == NULL || !ps_live_check_scenario (sc, error))
    return FALSE;
  if (!o.quiet)
    printf ("%s: %s\n", sc->name, *sc->description ? sc->description : "(no description)");
  ps_live_clock_init (&clock, o.time_scale);
  return ps_cmd_live_run_load (sc, &o, target, &clock, NULL, error);
}
