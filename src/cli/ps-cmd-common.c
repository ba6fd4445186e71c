/* ps-cmd-common.c: what every subcommand that runs a scenario does alike
 *
 * One option table (in one order, so every --help lists the shared
 * options alike), one way to load a scenario with --seed and --set and
 * report its warnings, one totals line.
 */
#include "ps-cmd.h"

#include "ps-stability.h"

#include "ps-live.h"
#include "ps-plot.h"
#include "ps-run-writer.h"
#include "ps-shell.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIME_SCALE_HELP \
  "Run K scenario seconds per real second (default 1). Windows, Retry-After " \
  "and service times stay in scenario seconds; with K = 1 they are real seconds"

void
ps_cmd_options_clear (PsCmdOptions *o)
{
  g_clear_pointer (&o->output, g_free);
  g_clear_pointer (&o->seed, g_free);
  g_clear_pointer (&o->sets, g_strfreev);
  g_clear_pointer (&o->time_scale_text, g_free);
  g_clear_pointer (&o->map_addresses, g_free);
}

/**
 * ps_cmd_add_options:
 * @options: (transfer none): must outlive the parse
 *
 * Adds the shared options @flags asks for to @ctx's main group, after
 * the entries the command added itself.
 */
void
ps_cmd_add_options (GOptionContext *ctx, PsCmdOptions *o, PsCmdOptionFlags flags)
{
  gboolean server = (flags & PS_CMD_AS_SERVER) != 0;
  const GOptionEntry all[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output,
      "Write the run directory here (default: out/NAME)", "DIR" },
    { "time-scale", 0, 0, G_OPTION_ARG_STRING, &o->time_scale_text,
      server ? TIME_SCALE_HELP "; give load the same one"
             : flags & PS_CMD_AS_LOAD ? TIME_SCALE_HELP "; give the server the same one"
                                      : TIME_SCALE_HELP, "K" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &o->threads,
      "Client threads (default 2)", "N" },
    { "grace", 0, 0, G_OPTION_ARG_DOUBLE, &o->grace_s,
      server ? "Real seconds requests in flight get when stopping (default 2)"
             : "Real seconds answers in flight get at the end (default 2)", "S" },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &o->strict,
      "Fail (exit 1) when the load fell behind its schedule", NULL },
    { "map-addresses", 0, 0, G_OPTION_ARG_STRING, &o->map_addresses,
      "Map client addresses outside 127.0.0.0/8 (a replayed log's) one to one into "
      "this loopback block", "CIDR" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &o->seed,
      server ? "Use this seed instead of the scenario's (service times drawn by the server)"
             : "Use this seed instead of the scenario's", "N" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->sets,
      "Override one scenario value (repeatable)", "KEY.PATH=VALUE" },
    { "no-plots", 0, 0, G_OPTION_ARG_NONE, &o->no_plots,
      "Do not draw the charts", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet,
      "Print nothing but errors", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &o->version, "Print the version", NULL },
  };
  const PsCmdOptionFlags needs[] = {
    PS_CMD_OUTPUT, PS_CMD_LIVE, PS_CMD_LIVE, PS_CMD_LIVE, PS_CMD_LIVE, PS_CMD_LIVE,
    PS_CMD_SCENARIO,
    PS_CMD_SCENARIO, PS_CMD_OUTPUT, PS_CMD_SCENARIO, PS_CMD_VERSION,
  };
  GOptionEntry chosen[G_N_ELEMENTS (all) + 1] = { { NULL } };
  guint n = 0;

  G_STATIC_ASSERT (G_N_ELEMENTS (all) == G_N_ELEMENTS (needs));
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      if (!(flags & needs[i]))
        continue;
      if (server && (strcmp (all[i].long_name, "threads") == 0
                     || strcmp (all[i].long_name, "strict") == 0))
        continue;                       /* the server has workers, not clients */
      if ((flags & PS_CMD_AS_SERVER) == 0 && (flags & PS_CMD_LIVE) == 0
          && strcmp (all[i].long_name, "map-addresses") == 0)
        continue;                       /* the server has workers, not clients */
      chosen[n++] = all[i];
    }
  g_option_context_add_main_entries (ctx, chosen, NULL);   /* copies them */
}

/* The live options' values, checked. */
static gboolean
check_live_options (PsCmdOptions *o, GError **error)
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

/**
 * ps_cmd_load_scenario:
 * @argv: [command, SCENARIO] after option parsing
 *
 * Checks the options, loads and validates the scenario with every --set,
 * applies --seed, and prints the scenario's warnings.  Nothing is
 * written before this has succeeded.
 */
PsScenario *
ps_cmd_load_scenario (PsCmdOptions *o, int argc, char **argv, GError **error)
{
  g_autoptr(PsScenario) sc = NULL;

  if (!check_live_options (o, error)
      || !ps_cmd_one_argument (argc, argv, "scenario file", error))
    return NULL;
  sc = ps_scenario_load_file (argv[1], (const char *const *) o->sets, error);
  if (sc == NULL || !ps_cmd_check_memory (sc, error))
    return NULL;
  if (o->seed != NULL)
    {
      guint64 seed;

      if (!ps_cmd_parse_seed (o->seed, &seed, error))
        return NULL;
      ps_scenario_set_seed (sc, seed);
    }
  for (char **w = sc->warnings; w && *w; w++)
    g_printerr ("poolsim: warning: %s\n", *w);
  if (o->map_addresses != NULL)
    {
      PsCidr into;
      guint n = 0;

      if (!ps_cidr_parse (o->map_addresses, &into))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--map-addresses: \"%s\" is not a CIDR block (expected such as "
                       "127.64.0.0/10)", o->map_addresses);
          return NULL;
        }
      if (!ps_scenario_map_addresses (sc, &into, &n, error))
        return NULL;
      if (!o->quiet && n > 0)
        g_printerr ("poolsim: note: %u client addresses mapped into %s\n", n,
                    o->map_addresses);
    }
  return g_steal_pointer (&sc);
}

static char *command_line;

/* main() records how poolsim was called, for summary.json. */
void
ps_cmd_set_command_line (int argc, char **argv)
{
  g_autoptr(GString) line = g_string_new ("poolsim");

  for (int i = 1; i < argc; i++)
    ps_shell_append_word (line, argv[i]);
  g_free (command_line);
  command_line = g_string_free (g_steal_pointer (&line), FALSE);
}

const char *
ps_cmd_command_line (void)
{
  return command_line;
}

/**
 * ps_cmd_open_run_writer:
 *
 * @extra: PS_RUN_WRITER_INLINE for live mode, else 0
 *
 * A run directory that also records the command line and the scenario
 * as run (scenario.json).
 */
PsRunWriter *
ps_cmd_open_run_writer (const PsScenario *sc, const char *dir, guint extra,
                        GError **error)
{
  PsRunWriter *writer = ps_run_writer_new (dir, ps_run_writer_files (sc->write_requests,
                                                                     sc->write_attempts,
                                                                     sc->compress_gzip)
                                                | (PsRunWriterFiles) extra,
                                           error);
  g_autofree char *scenario_json = NULL;

  if (writer == NULL)
    return NULL;
  if (sc->n_faults > 0)
    {
      PsFaultSet faults = ps_scenario_fault_set (sc);
      PsTime start, end;

      ps_fault_set_span (&faults, &start, &end);
      if (!ps_run_writer_track_stability (writer, start, end, sc->bin, error))
        {
          ps_run_writer_free (writer);
          return NULL;
        }
    }
  scenario_json = ps_scenario_to_json (sc);
  ps_run_writer_set_provenance (writer, command_line, scenario_json);
  return writer;
}

/* "name: description", unless --quiet. */
void
ps_cmd_print_heading (const PsScenario *sc, const PsCmdOptions *o)
{
  if (!o->quiet)
    printf ("%s: %s\n", sc->name, *sc->description ? sc->description : "(no description)");
}

/* The line every run ends with: where its requests went. */
void
ps_cmd_print_totals (const PsScenario *sc, const PsRunSummary *s)
{
  const PsTotals *t = &s->totals;

  printf ("%s: %" G_GUINT64_FORMAT " requests: %" G_GUINT64_FORMAT " completed, %"
          G_GUINT64_FORMAT " rejected, %" G_GUINT64_FORMAT " dropped, %" G_GUINT64_FORMAT
          " pending; %" G_GUINT64_FORMAT " answers 429, %" G_GUINT64_FORMAT " answers 503\n",
          sc->name, t->generated, t->completed, t->rejected, t->dropped, t->pending,
          t->responses_429, t->responses_503);
}

/* With faults: one line with the recovery verdict and its figures. */
void
ps_cmd_print_stability (const PsRunSummary *s)
{
  const PsStabilitySummary *st = s->stability;
  g_autofree char *when = NULL;

  if (st == NULL)
    return;
  when = st->recovered ? g_strdup_printf ("recovered %.0f s after the fault", st->recovery_s)
                       : g_strdup ("did NOT recover by the end of the run");
  printf ("stability: %s; goodput %.1f/s before, %.1f/s during, %.1f/s after; "
          "%.2f/%.2f/%.2f attempts per request; %.1f%% of worker time orphaned; "
          "%" G_GUINT64_FORMAT " attempts throttled locally\n",
          when, st->goodput_before, st->goodput_during, st->goodput_after,
          st->amplification_before, st->amplification_during, st->amplification_after,
          100 * st->orphaned_share, st->throttled_locally);
}

/* -o DIR, or out/NAME. */
char *
ps_cmd_output_dir (const PsCmdOptions *o, const PsScenario *sc)
{
  return o->output ? g_strdup (o->output) : g_build_filename ("out", sc->name, NULL);
}

gboolean
ps_cmd_parse_seed (const char *text, guint64 *out_seed, GError **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--seed: \"%s\" is not a seed (expected an integer 0..%" G_GINT64_FORMAT ")",
                   text, G_MAXINT64);
      return FALSE;
    }
  *out_seed = value;
  return TRUE;
}

/* After option parsing argv is [command, ARG]: exactly one positional. */
gboolean
ps_cmd_one_argument (int argc, char **argv, const char *what, GError **error)
{
  if (argc == 2)
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               argc < 2 ? "missing %s (see --help)" : "expected one %s, got more (see --help)",
               what);
  return FALSE;
}

gboolean
ps_cmd_print_version (void)
{
  printf ("poolsim %s\n", PS_VERSION);
  return TRUE;
}

/**
 * ps_cmd_draw_charts:
 *
 * Draws a run directory's charts, or a sweep directory's (one with a
 * sweep.json).  A chart gnuplot could not draw is a warning, not a
 * failure: the CSVs and the summary are the run's result.
 * Returns: FALSE only when @dir is not a readable run or sweep directory.
 */
gboolean
ps_cmd_draw_charts (const char *dir, gboolean quiet, GError **error)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  gboolean sweep = ps_plot_is_sweep_dir (dir);

  if (sweep ? !ps_plot_sweep_draw_all (dir, PS_PLOT_BOTH, NULL, warnings, notes, error)
            : !ps_plot_draw_all (dir, PS_PLOT_BOTH, NULL, warnings, notes, error))
    return FALSE;
  for (guint i = 0; i < warnings->len; i++)
    g_printerr ("poolsim: warning: %s\n", (const char *) warnings->pdata[i]);
  for (guint i = 0; !quiet && i < notes->len; i++)
    g_printerr ("poolsim: note: %s\n", (const char *) notes->pdata[i]);
  return TRUE;
}
