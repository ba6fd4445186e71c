/* main.c: `poolsim COMMAND ...` — dispatch, and the exit status
 *
 * The exit status is decided here, once, from the error's domain:
 * 2 for bad usage and invalid scenarios, 1 for failures while running.
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "ps-cmd.h"
#include "ps-live.h"

typedef gboolean (*CommandFunc) (int argc, char **argv, GError **error);

static const struct
{
  const char  *name;
  CommandFunc  func;
  const char  *summary;
} commands[] = {
  { "run", ps_cmd_run, "simulate a scenario and write its run directory" },
  { "check", ps_cmd_check, "validate a scenario file" },
  { "plot", ps_cmd_plot_command, "(re)draw the charts of a run or sweep directory" },
  { "sweep", ps_cmd_sweep, "run a scenario over varied keys, replicated, with intervals" },
  { "find", ps_cmd_find, "the smallest (or largest) value of a key that meets a target" },
  { "merge", ps_cmd_merge, "combine the shards of a sweep into its tables" },
  { "serve", ps_cmd_serve, "serve a scenario's pool and quota over HTTP" },
  { "load", ps_cmd_load, "run a scenario's clients against a server" },
  { "live", ps_cmd_live, "serve + load in one process, write the run directory" },
  { "agree", ps_cmd_agree, "run live and simulated: does the simulation predict live?" },
};

static void
usage (FILE *to)
{
  fprintf (to, "Usage: poolsim COMMAND [OPTION...] ARGS\n\n"
               "Simulate what a rate-limit policy does to a population of clients.\n\n"
               "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (to, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fprintf (to, "\n`poolsim COMMAND --help` describes each command.  `poolsim --version`.\n");
}

static int
exit_status (const GError *error)
{
  if (error->domain == G_OPTION_ERROR || error->domain == PS_SCENARIO_ERROR
      || (error->domain == PS_SWEEP_ERROR && error->code == PS_SWEEP_ERROR_INVALID)
      || (error->domain == PS_LIVE_ERROR && error->code == PS_LIVE_ERROR_SCENARIO))
    return 2;
  return 1;
}

int
main (int argc, char **argv)
{
  g_autofree char *prgname = NULL;
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  signal (SIGPIPE, SIG_IGN);            /* writing to a closed pipe: an error, not death */
  signal (SIGXFSZ, SIG_IGN);            /* over the file size limit: an error, too */
  ps_cmd_set_command_line (argc, argv);

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      ps_cmd_print_version ();
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      {
        prgname = g_strdup_printf ("poolsim %s", commands[i].name);
        g_set_prgname (prgname);
        argv[1] = prgname;
        if (commands[i].func (argc - 1, argv + 1, &error))
          return 0;
        g_printerr ("poolsim: %s\n", error->message);
        return exit_status (error);
      }
  g_printerr ("poolsim: unknown command \"%s\"\n\n", argv[1]);
  usage (stderr);
  return 2;
}
