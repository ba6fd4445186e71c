/* ps-sweep-run.c: simulate one (point, replication) and read its metrics
 */
#include "ps-sweep-run.h"

#include <math.h>

#include "ps-run-writer.h"
#include "ps-scenario.h"
#include "ps-sim.h"
#include "ps-summary.h"
#include "ps-sweep-metrics.h"

PsSweepRun *
ps_sweep_run_new (guint point, guint rep, guint n_metrics)
{
  PsSweepRun *run = g_new0 (PsSweepRun, 1);

  run->point = point;
  run->rep = rep;
  run->values = g_new (double, MAX (n_metrics, 1));
  for (guint i = 0; i < n_metrics; i++)
    run->values[i] = NAN;
  return run;
}

void
ps_sweep_run_free (PsSweepRun *run)
{
  if (run == NULL)
    return;
  g_free (run->values);
  g_free (run);
}

/* For g_ptr_array_sort(): by point, then replication. */
gint
ps_sweep_run_compare (gconstpointer a, gconstpointer b)
{
  const PsSweepRun *x = *(PsSweepRun *const *) a;
  const PsSweepRun *y = *(PsSweepRun *const *) b;

  if (x->point != y->point)
    return x->point < y->point ? -1 : 1;
  return x->rep < y->rep ? -1 : x->rep > y->rep;
}

static PsScenario *
load_point (const PsSweepPlan *plan, guint point, GError **error)
{
  g_auto(GStrv) varies = ps_sweep_plan_point_sets (plan, point);

  return ps_scenario_load_varied (plan->scenario_data, (gssize) plan->scenario_length,
                                  plan->scenario_path, (const char *const *) plan->sets,
                                  (const char *const *) varies, error);
}

static void
keep_summary (gpointer data, const PsRunSummary *s)
{
  char **json = data;

  g_free (*json);
  *json = ps_summary_to_json (s);
}

static JsonNode *
parse_summary (const char *json, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, PS_SWEEP_ERROR, PS_SWEEP_ERROR_RUN, "the run ended without a summary");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

/* Simulates @sc into a summary: into @keep_dir as a whole run directory,
 * or with no files at all. */
static JsonNode *
simulate (const PsScenario *sc, const char *keep_dir, const char *command,
          GError **error)
{
  g_autoptr(PsRunWriter) writer = NULL;
  g_autoptr(PsSim) sim = NULL;
  g_autofree char *json = NULL;
  g_autofree char *scenario_json = NULL;
  PsRecordSink sink = { .user_data = &json, .summary = keep_summary };

  if (keep_dir != NULL)
    {
      writer = ps_run_writer_new (keep_dir, ps_run_writer_files (sc->write_requests,
                                                                 sc->write_attempts,
                                                                 sc->compress_gzip),
                                  error);
      if (writer == NULL)
        return NULL;
      scenario_json = ps_scenario_to_json (sc);
      ps_run_writer_set_provenance (writer, command, scenario_json);
      ps_run_writer_get_sink (writer, &sink);
    }
  sim = ps_sim_new (sc, &sink);
  if (!ps_sim_run (sim, error))
    return NULL;
  if (writer != NULL)
    {
      if (!ps_run_writer_finish (writer, error))
        return NULL;
      json = ps_summary_to_json (ps_sim_get_summary (sim));
    }
  return parse_summary (json, error);
}

/**
 * ps_sweep_run_simulate:
 * @run: its point and rep set; seed, counts and values are filled
 * @keep_dir: (nullable): write the whole run directory there
 *
 * Returns: FALSE with the scenario's or the run's error.
 */
gboolean
ps_sweep_run_simulate (const PsSweepPlan *plan, PsSweepRun *run, const char *keep_dir,
                       GError **error)
{
  g_autoptr(PsScenario) sc = load_point (plan, run->point, error);
  g_autoptr(JsonNode) summary = NULL;
  g_autofree char *command = NULL;
  double v;

  if (sc == NULL)
    return FALSE;
  run->seed = ps_sweep_seed (plan->seed, run->rep);
  ps_scenario_set_seed (sc, run->seed);
  if (keep_dir != NULL)
    command = ps_sweep_plan_run_command (plan, run->point, run->seed);
  summary = simulate (sc, keep_dir, command, error);
  if (summary == NULL)
    return FALSE;
  if (ps_sweep_metric_lookup (summary, "engine.events", &v) == PS_METRIC_NUMBER)
    run->events = (guint64) v;
  if (ps_sweep_metric_lookup (summary, "requests.generated", &v) == PS_METRIC_NUMBER)
    run->generated = (guint64) v;
  for (guint i = 0; i < plan->metrics->len; i++)
    ps_sweep_metric_lookup (summary, plan->metrics->pdata[i], &run->values[i]);
  return TRUE;
}

/**
 * ps_sweep_probe_summary:
 *
 * A summary with every path a run of the plan's first point has (a run
 * of one microsecond), to check metric paths before anything runs; also
 * checks that the first point loads.
 */
JsonNode *
ps_sweep_probe_summary (const PsSweepPlan *plan, GError **error)
{
  g_autoptr(PsScenario) sc = load_point (plan, 0, error);

  if (sc == NULL)
    return NULL;
  sc->duration = 1;
  return simulate (sc, NULL, NULL, error);
}
