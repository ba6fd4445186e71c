/* ps-cmd-check.c: `poolsim check SCENARIO` — validate, run nothing */
#include "ps-cmd.h"

#include <stdio.h>

#include "ps-scenario.h"

gboolean
ps_cmd_check (int argc, char **argv, GError **error)
{
  g_auto(GStrv) sets = NULL;
  gboolean version = FALSE;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      "Override one value, as the run would", "KEY.PATH=VALUE" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version", NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("SCENARIO.json");
  g_autoptr(PsScenario) sc = NULL;

  g_option_context_set_summary (ctx, "Validate a scenario file, say what it describes and estimate the load it\n"
    "offers: per group, what the quota and concurrency let through, and what\n"
    "that is for the pool.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, error))
    return FALSE;
  if (version)
    return ps_cmd_print_version ();
  if (!ps_cmd_one_argument (argc, argv, "scenario file", error))
    return FALSE;

  sc = ps_scenario_load_file (argv[1], (const char *const *) sets, error);
  if (sc == NULL || !ps_cmd_check_memory (sc, error))
    return FALSE;
  for (char **w = sc->warnings; w && *w; w++)
    g_printerr ("poolsim: warning: %s\n", *w);
  printf ("%s: ok: %s: %s\n", argv[1], sc->name,
          *sc->description ? sc->description : "(no description)");
  printf ("  %" G_GUINT64_FORMAT " clients in %u group(s), %u workers, queue %u, "
          "duration %" G_GINT64_FORMAT " s, seed %" G_GUINT64_FORMAT "\n",
          ps_scenario_n_clients (sc), sc->n_groups, sc->workers, sc->queue,
          sc->duration / G_USEC_PER_SEC, sc->seed);
  ps_cmd_print_explain (sc);
  return TRUE;
}
