/* ps-cmd-sweep.c: `poolsim sweep` and `poolsim merge`
 *
 * The sweep layer does the work; this file parses options, shows
 * progress on a terminal, and prints the points table.
 */
#include "ps-cmd.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ps-sweep.h"

typedef struct
{
  gint64 start;
  gint64 last;
  gboolean shown;
} Progress;

static void
show_progress (guint done, guint total, gpointer data)
{
  Progress *p = data;
  gint64 now = g_get_monotonic_time ();
  double elapsed = (double) (now - p->start) / 1e6;

  if (now - p->last < 200000 && done < total)
    return;
  p->last = now;
  p->shown = TRUE;
  if (total > 0)
    g_printerr ("\r  runs %u of %u (%3.0f%%), ETA %.0f s   ", done, total,
                100.0 * done / total, done > 0 ? elapsed * (total - done) / done : 0.0);
  else
    g_printerr ("\r  probes %u, %.0f s   ", done, elapsed);
}

void
ps_cmd_progress_end (gpointer data)
{
  Progress *p = data;

  if (p->shown)
    g_printerr ("\r%*s\r", 60, "");
}

/* "0.0123 ± 0.0004" with digits enough for the interval, and "*" where
 * the paired difference from the baseline is significant. */
static void
print_estimate (int width, double mean, double half, gboolean significant)
{
  char text[64];

  if (isnan (mean))
    g_snprintf (text, sizeof text, "-");
  else if (isnan (half))
    g_snprintf (text, sizeof text, "%.4g", mean);
  else
    g_snprintf (text, sizeof text, "%.4g ± %.2g%s", mean, half, significant ? " *" : "");
  /* "±" is two bytes and one column */
  printf ("  %-*s", width + (int) (strstr (text, "±") != NULL), text);
}

static int
key_width (const PsSweepPlan *plan, guint a)
{
  const PsSweepAxis *axis = plan->axes->pdata[a];
  gsize width = strlen (axis->key);

  for (guint i = 0; i < axis->values->len; i++)
    width = MAX (width, strlen (axis->values->pdata[i]));
  return (int) MIN (width, 40);
}

static int
metric_width (const PsSweepPlan *plan, guint m)
{
  return (int) MAX (22, strlen (plan->metrics->pdata[m]));
}

/* The points table on stdout: the first metrics, mean ± 95% half-width. */
void
ps_cmd_print_points (const PsSweepPlan *plan, GPtrArray *runs)
{
  PsSweepTable t;
  guint shown = MIN (plan->metrics->len, 3);

  ps_sweep_table_init (&t, plan, runs);
  for (guint a = 0; a < plan->axes->len; a++)
    printf ("%-*s  ", key_width (plan, a), ((PsSweepAxis *) plan->axes->pdata[a])->key);
  printf ("%4s", "n");
  for (guint m = 0; m < shown; m++)
    printf ("  %-*s", metric_width (plan, m), (const char *) plan->metrics->pdata[m]);
  printf ("\n");
  for (guint p = 0; p < plan->n_points; p++)
    {
      for (guint a = 0; a < plan->axes->len; a++)
        printf ("%-*s  ", key_width (plan, a), ps_sweep_plan_value (plan, p, a));
      printf ("%4u", ps_sweep_table_n (&t, p));
      for (guint m = 0; m < shown; m++)
        {
          PsMoments mo = ps_sweep_table_moments (&t, p, m);
          PsMoments d = ps_sweep_table_paired (&t, p, m);
          double dh = ps_moments_ci_half (&d, 0.95);

          print_estimate (metric_width (plan, m), mo.mean, ps_moments_ci_half (&mo, 0.95),
                          p != plan->baseline && !isnan (dh) && fabs (d.mean) > dh);
        }
      printf ("%s\n", p == plan->baseline ? "  (baseline)" : "");
    }
  if (plan->metrics->len > shown)
    printf ("(%u more metrics in points.csv)\n", plan->metrics->len - shown);
  printf ("mean ± 95%% half-width; * the paired difference from the baseline excludes 0 "
          "(compare.csv)\n");
  ps_sweep_table_clear (&t);
}

static gboolean
draw_sweep_charts (const char *dir, gboolean quiet, GError **error)
{
  return ps_cmd_draw_charts (dir, quiet, error);
}

gboolean
ps_cmd_sweep (int argc, char **argv, GError **error)
{
  g_auto(PsCmdOptions) o = PS_CMD_OPTIONS_INIT;
  g_auto(GStrv) varies = NULL;
  g_auto(GStrv) metrics = NULL;
  g_autofree char *reps = NULL;
  g_autofree char *precision = NULL;
  g_autofree char *baseline = NULL;
  g_autofree char *shard_text = NULL;
  g_autofree char *dir = NULL;
  int reps_max = 0, jobs = 1;
  gboolean resume = FALSE, keep_runs = FALSE;
  const GOptionEntry entries[] = {
    { "vary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &varies,
      "Vary a key over a list or a range (repeatable; the points are every combination)",
      "KEY=a,b,c|FROM:TO:STEP" },
    { "reps", 0, 0, G_OPTION_ARG_STRING, &reps,
      "Replications per point (default 10), or auto with --precision", "N|auto" },
    { "precision", 0, 0, G_OPTION_ARG_STRING, &precision,
      "With --reps auto: add replications until METRIC's 95% half-width is X (or X% of its mean)",
      "METRIC=X[%]" },
    { "reps-max", 0, 0, G_OPTION_ARG_INT, &reps_max,
      "With --reps auto: at most N replications per point (default 100)", "N" },
    { "metric", 0, 0, G_OPTION_ARG_STRING_ARRAY, &metrics,
      "Report this summary.json path (repeatable; default: rates, latency, pool, fairness)",
      "PATH" },
    { "baseline", 0, 0, G_OPTION_ARG_STRING, &baseline,
      "Compare points against this one (default: the first point)", "KEY=VALUE,..." },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Run N simulations at once (default 1)", "N" },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &shard_text,
      "Run only the K-th of N shares of the runs (then `poolsim merge DIR`)", "K/N" },
    { "resume", 0, 0, G_OPTION_ARG_NONE, &resume,
      "Continue the sweep in DIR without redoing finished runs", NULL },
    { "keep-runs", 0, 0, G_OPTION_ARG_NONE, &keep_runs,
      "Keep every run's directory under DIR/runs/", NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("SCENARIO.json");
  g_autoptr(PsSweepPlan) plan = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  Progress progress = { g_get_monotonic_time (), 0, FALSE };
  PsSweepRequest request = { 0 };
  PsSweepOptions options = { 0 };

  g_option_context_set_summary (ctx,
    "Run a scenario over every combination of the --vary values, each point\n"
    "replicated on common random numbers, and write runs.csv, points.csv\n"
    "(means with 95% confidence intervals), compare.csv (paired differences\n"
    "from the baseline point), sweep.json and charts.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  ps_cmd_add_options (ctx, &o, PS_CMD_OUTPUT | PS_CMD_SCENARIO);
  if (!g_option_context_parse (ctx, &argc, &argv, error)
      || !ps_cmd_one_argument (argc, argv, "scenario file", error))
    return FALSE;
  if (jobs < 1 || jobs > 256)
    return g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "-j %d: expected 1 to 256", jobs), FALSE;
  if (reps_max < 0)
    return g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "--reps-max %d: expected a positive number", reps_max), FALSE;
  options.jobs = (guint) jobs;
  options.resume = resume;
  options.keep_runs = keep_runs;
  if (shard_text != NULL
      && !ps_sweep_parse_shard (shard_text, &options.shard, &options.n_shards, error))
    return FALSE;
  request = (PsSweepRequest) {
    .scenario = argv[1], .sets = (const char *const *) o.sets, .seed = o.seed,
    .varies = (const char *const *) varies, .metrics = (const char *const *) metrics,
    .baseline = baseline, .reps = reps, .precision = precision, .reps_max = (guint) reps_max,
  };
  if ((plan = ps_sweep_prepare (&request, error)) == NULL)
    return FALSE;
  dir = o.output ? g_strdup (o.output)
                 : g_strdup_printf ("out/%s-sweep", plan->scenario_name);
  options.dir = dir;
  if (!o.quiet && isatty (STDERR_FILENO))
    {
      options.progress = show_progress;
      options.progress_data = &progress;
    }
  if (!o.quiet)
    printf ("%s: %u points × %s replications%s\n", plan->scenario_name, plan->n_points,
            plan->reps_auto ? "auto" : (reps ? reps : "10"),
            options.n_shards > 1 ? ", this shard's share" : "");
  if (!ps_sweep_execute (plan, &options, &runs, error))
    {
      ps_cmd_progress_end (&progress);
      return FALSE;
    }
  ps_cmd_progress_end (&progress);
  if (options.n_shards > 1)
    {
      if (!o.quiet)
        printf ("shard %u of %u: %u runs in %s/shards/; when every shard has run: "
                "poolsim merge %s\n", options.shard, options.n_shards, runs->len, dir, dir);
      return TRUE;
    }
  if (!o.quiet)
    {
      ps_cmd_print_points (plan, runs);
      printf ("%u runs; results in %s/\n", runs->len, dir);
    }
  return o.no_plots || draw_sweep_charts (dir, o.quiet, error);
}

gboolean
ps_cmd_merge (int argc, char **argv, GError **error)
{
  g_auto(PsCmdOptions) o = PS_CMD_OPTIONS_INIT;
  g_autoptr(GOptionContext) ctx = g_option_context_new ("DIR");
  g_autoptr(PsSweepPlan) plan = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  const GOptionEntry entries[] = {
    { "no-plots", 0, 0, G_OPTION_ARG_NONE, &o.no_plots, "Do not draw the charts", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet, "Print nothing but errors", NULL },
    { NULL },
  };

  g_option_context_set_summary (ctx,
    "Combine the shards of a sweep (`poolsim sweep --shard K/N -o DIR`) into\n"
    "the tables one unsharded run writes, byte for byte.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, error)
      || !ps_cmd_one_argument (argc, argv, "sweep directory", error))
    return FALSE;
  if (!ps_sweep_merge (argv[1], &plan, &runs, error))
    return FALSE;
  if (!o.quiet)
    {
      ps_cmd_print_points (plan, runs);
      printf ("%u runs merged; results in %s/\n", runs->len, argv[1]);
    }
  return o.no_plots || draw_sweep_charts (argv[1], o.quiet, error);
}
