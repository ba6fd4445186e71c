/* ps-cmd-agree.c: `poolsim agree` — does the simulation predict a live run?
 *
 * Runs the scenario live once (time-scaled) and simulated N times on the
 * replication seeds (replication 0 is the live run's own traffic), and for
 * each figure, overall and per group, asks whether the live value lies in
 * the simulation's 99% prediction interval for one more run.
 *
 * The simulation is given live's network: live adds no modelled latency,
 * its latency is loopback's (the 500 µs default, measured), which a time
 * scale of K stretches to K × 500 µs of scenario time.  The interval is
 * widened to live's resolution where the replications alone are too
 * narrow to judge by (docs/live.md, "Agreement").
 */
#include "ps-cmd.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ps-live.h"
#include "ps-live-load.h"
#include "ps-sweep.h"

typedef enum { KIND_COUNT, KIND_SHARE, KIND_SECONDS } Kind;

static const struct
{
  const char *suffix;       /* after "requests." / "groups.G." */
  const char *overall;      /* the path for the whole run */
  const char *label;
  Kind        kind;
} figures[] = {
  { "completed", "requests.completed", "completed", KIND_COUNT },
  { "responses_429", "requests.responses_429", "429s", KIND_COUNT },
  { "responses_503", "requests.responses_503", "503s", KIND_COUNT },
  { "served", "requests.served", "served", KIND_SHARE },
  { "latency_s.p50", "latency_s.all.p50", "p50 latency (s)", KIND_SECONDS },
  { "latency_s.p99", "latency_s.all.p99", "p99 latency (s)", KIND_SECONDS },
};

typedef struct
{
  char     *scope;          /* "all" or the group */
  char     *path;
  const char *label;
  Kind      kind;
  double    live;
  PsMoments sim;
  double    lo, hi;
  gboolean  agrees;
} Row;

static void
row_free (gpointer data)
{
  Row *r = data;

  g_free (r->scope);
  g_free (r->path);
  g_free (r);
}

/* What live cannot resolve, in the figure's unit: one timer tick of K ms
 * of scenario time for latencies, 1% (and 2 requests) for counts, half a
 * point for shares. */
static double
resolution (Kind kind, double mean, double time_scale)
{
  switch (kind)
    {
    case KIND_COUNT:
      return MAX (2.0, 0.01 * fabs (mean));
    case KIND_SHARE:
      return 0.005;
    case KIND_SECONDS:
    default:
      return MAX (0.002 * time_scale, 0.02 * fabs (mean));
    }
}

static GStrv
metric_paths (GPtrArray *rows)
{
  GStrv out = g_new0 (char *, rows->len + 1);

  for (guint i = 0; i < rows->len; i++)
    out[i] = g_strdup (((Row *) g_ptr_array_index (rows, i))->path);
  return out;
}

static void
add_rows (GPtrArray *rows, const char *scope, const char *prefix)
{
  for (guint f = 0; f < G_N_ELEMENTS (figures); f++)
    {
      Row *r = g_new0 (Row, 1);

      r->scope = g_strdup (scope);
      r->path = prefix ? g_strdup_printf ("%s%s", prefix, figures[f].suffix)
                       : g_strdup (figures[f].overall);
      r->label = figures[f].label;
      r->kind = figures[f].kind;
      g_ptr_array_add (rows, r);
    }
}

static JsonNode *
read_summary (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "summary.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_file (parser, path, error))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

static void
print_value (Kind kind, double v)
{
  if (isnan (v))
    printf (" %12s", "-");
  else if (kind == KIND_COUNT)
    printf (" %12.0f", v);
  else
    printf (" %12.4g", v);
}

static void
print_table (GPtrArray *rows, guint reps)
{
  printf ("%-10s %-16s %12s %12s %27s  %s\n", "", "", "live", "sim mean",
          "sim 99% prediction interval", "");
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = g_ptr_array_index (rows, i);
      char interval[64];

      printf ("%-10s %-16s", i == 0 || strcmp (r->scope, ((Row *) rows->pdata[i - 1])->scope)
                             ? r->scope : "", r->label);
      print_value (r->kind, r->live);
      print_value (r->kind, r->sim.mean);
      if (isnan (r->lo))
        g_snprintf (interval, sizeof interval, "-");
      else if (r->kind == KIND_COUNT)
        g_snprintf (interval, sizeof interval, "[%.0f, %.0f]", r->lo, r->hi);
      else
        g_snprintf (interval, sizeof interval, "[%.4g, %.4g]", r->lo, r->hi);
      printf (" %27s  %s\n", interval, r->agrees ? "agrees" : "DIFFERS");
    }
  printf ("(%u simulated replications; intervals at least live's resolution wide)\n", reps);
}

static gboolean
write_agreement (const char *dir, GPtrArray *rows, const PsCmdOptions *o, guint reps,
                 gboolean all_agree, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = g_build_filename (dir, "agreement.json", NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "time_scale");
  json_builder_add_double_value (b, o->time_scale);
  json_builder_set_member_name (b, "reps");
  json_builder_add_int_value (b, reps);
  json_builder_set_member_name (b, "agrees");
  json_builder_add_boolean_value (b, all_agree);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = g_ptr_array_index (rows, i);
      const struct { const char *key; double v; } numbers[] = {
        { "live", r->live }, { "sim_mean", r->sim.mean }, { "sim_sd", r->sim.sd },
        { "pi99_low", r->lo }, { "pi99_high", r->hi },
      };

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "scope");
      json_builder_add_string_value (b, r->scope);
      json_builder_set_member_name (b, "metric");
      json_builder_add_string_value (b, r->path);
      for (guint k = 0; k < G_N_ELEMENTS (numbers); k++)
        {
          json_builder_set_member_name (b, numbers[k].key);
          if (isnan (numbers[k].v))
            json_builder_add_null_value (b);
          else
            json_builder_add_double_value (b, numbers[k].v);
        }
      json_builder_set_member_name (b, "agrees");
      json_builder_add_boolean_value (b, r->agrees);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, TRUE);
  return g_file_set_contents (path, text, -1, error);
}

/* Fills each row's simulated moments, interval and verdict. */
static gboolean
judge (GPtrArray *rows, const PsSweepPlan *plan, GPtrArray *runs, JsonNode *live,
       double time_scale)
{
  PsSweepTable t;
  gboolean all = TRUE;

  ps_sweep_table_init (&t, plan, runs);
  for (guint i = 0; i < rows->len; i++)
    {
      Row *r = g_ptr_array_index (rows, i);
      double half;

      ps_sweep_metric_lookup (live, r->path, &r->live);
      r->sim = ps_sweep_table_moments (&t, 0, i);
      half = ps_moments_prediction_half (&r->sim, 0.99);
      if (!isnan (r->sim.mean))
        half = MAX (isnan (half) ? 0 : half, resolution (r->kind, r->sim.mean, time_scale));
      r->lo = MAX (0.0, r->sim.mean - half);           /* no figure is negative */
      r->hi = r->kind == KIND_SHARE ? MIN (1.0, r->sim.mean + half) : r->sim.mean + half;
      r->agrees = (isnan (r->live) && isnan (r->sim.mean))
                  || (!isnan (r->live) && r->live >= r->lo && r->live <= r->hi);
      all = all && r->agrees;
    }
  ps_sweep_table_clear (&t);
  return all;
}

gboolean
ps_cmd_agree (int argc, char **argv, GError **error)
{
  g_auto(PsCmdOptions) o = PS_CMD_OPTIONS_INIT;
  g_autofree char *reps = NULL;
  int jobs = 2;
  const GOptionEntry entries[] = {
    { "reps", 0, 0, G_OPTION_ARG_STRING, &reps, "Simulated replications (default 10)", "N" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Simulations at once (default 2)", "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("SCENARIO.json");
  g_autoptr(PsScenario) sc = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (row_free);
  g_autoptr(PsSweepPlan) plan = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(JsonNode) live = NULL;
  g_autofree char *dir = NULL, *live_dir = NULL, *sim_dir = NULL, *latency = NULL;
  g_auto(GStrv) metrics = NULL;
  g_autoptr(GPtrArray) sets = g_ptr_array_new ();
  PsCmdOptions live_o;
  PsSweepRequest request = { 0 };
  PsSweepOptions so = { 0 };
  gboolean all;

  g_option_context_set_summary (ctx,
    "Run a scenario live (time-scaled) and simulated N times, and say for each\n"
    "figure, overall and per group, whether the live value lies in the\n"
    "simulation's 99% prediction interval.  Writes agreement.json, the live\n"
    "run directory (live/) and the simulated replications (sim/).  Exit 0 when\n"
    "every row agrees, 1 otherwise.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  ps_cmd_add_options (ctx, &o, PS_CMD_OUTPUT | PS_CMD_LIVE | PS_CMD_SCENARIO);
  if (!g_option_context_parse (ctx, &argc, &argv, error))
    return FALSE;
  if (jobs < 1 || jobs > 256)
    return g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "-j %d: expected 1 to 256", jobs), FALSE;
  sc = ps_cmd_load_scenario (&o, argc, argv, error);
  if (sc == NULL || !ps_live_check_scenario (sc, error))
    return FALSE;

  add_rows (rows, "all", NULL);
  for (guint g = 0; g < sc->n_groups && sc->n_groups > 1; g++)
    {
      g_autofree char *prefix = g_strdup_printf ("groups.%s.", sc->groups[g].name);

      add_rows (rows, sc->groups[g].name, prefix);
    }
  metrics = metric_paths (rows);

  /* The simulated replications first: bad input fails before the live run. */
  latency = g_strdup_printf ("network.latency=%.0fus", 500 * o.time_scale);
  for (char **s = o.sets; s != NULL && *s != NULL; s++)
    g_ptr_array_add (sets, *s);
  g_ptr_array_add (sets, latency);
  g_ptr_array_add (sets, NULL);
  request = (PsSweepRequest) {
    .scenario = argv[1], .sets = (const char *const *) sets->pdata, .seed = o.seed,
    .metrics = (const char *const *) metrics, .reps = reps, .one_point = TRUE,
  };
  if ((plan = ps_sweep_prepare (&request, error)) == NULL)
    return FALSE;
  dir = o.output ? g_strdup (o.output) : g_strdup_printf ("out/%s-agree", sc->name);
  live_dir = g_build_filename (dir, "live", NULL);
  sim_dir = g_build_filename (dir, "sim", NULL);
  so = (PsSweepOptions) { .dir = sim_dir, .jobs = (guint) jobs };
  if (!o.quiet)
    printf ("%s: live at --time-scale %g, then %u simulated replications "
            "(network.latency %.0f µs)\n", sc->name, o.time_scale, plan->reps,
            500 * o.time_scale);

  live_o = o;
  live_o.output = live_dir;
  live_o.no_plots = TRUE;
  live_o.quiet = TRUE;
  if (!ps_cmd_live_scenario (sc, &live_o, error)
      || (live = read_summary (live_dir, error)) == NULL
      || !ps_sweep_execute (plan, &so, &runs, error))
    return FALSE;

  all = judge (rows, plan, runs, live, o.time_scale);
  if (!o.quiet)
    print_table (rows, plan->reps);
  if (!write_agreement (dir, rows, &o, plan->reps, all, error))
    return FALSE;
  if (!o.quiet)
    printf ("%s; agreement.json in %s/\n", all ? "every row agrees" : "some rows differ",
            dir);
  if (!all)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "live and simulated runs differ (agreement.json)");
  return all;
}
