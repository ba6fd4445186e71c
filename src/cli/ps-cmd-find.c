/* ps-cmd-find.c: `poolsim find` — where along one key a target is met
 */
#include "ps-cmd.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "ps-sweep.h"

static void
show_probe (guint done, guint total, gpointer data)
{
  g_printerr ("\r  probes evaluated: %u   ", done);
  *(gboolean *) data = TRUE;
}

static void
print_probe (const PsSweepPlan *plan, const char *what, const PsFindProbe *p)
{
  const PsSweepAxis *axis = plan->axes->pdata[0];

  printf ("  %-10s %s = %-10s mean %.6g ± %.2g (95%%, n = %u)%s\n", what, axis->key,
          (const char *) axis->values->pdata[p->value], p->moments.mean, p->ci95,
          p->moments.n, p->meets ? "  meets" : "  does not meet");
}

gboolean
ps_cmd_find (int argc, char **argv, GError **error)
{
  g_auto(PsCmdOptions) o = PS_CMD_OPTIONS_INIT;
  g_auto(GStrv) varies = NULL;
  g_autofree char *reps = NULL;
  g_autofree char *target_text = NULL;
  g_autofree char *dir = NULL;
  gboolean maximize = FALSE, shown = FALSE;
  int jobs = 1;
  const GOptionEntry entries[] = {
    { "vary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &varies,
      "The key to search and its range (one)", "KEY=FROM:TO[:STEP]" },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target_text,
      "What the replicated mean must meet: METRIC<X (or <=, >, >=)", "'METRIC<X'" },
    { "maximize", 0, 0, G_OPTION_ARG_NONE, &maximize,
      "Find the largest value that meets the target, not the smallest", NULL },
    { "reps", 0, 0, G_OPTION_ARG_STRING, &reps, "Replications per probe (default 10)", "N" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Run N simulations at once (default 1)", "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("SCENARIO.json");
  g_autoptr(PsSweepPlan) plan = NULL;
  PsSweepTarget target = { 0 };
  PsFindResult result = { 0 };
  PsSweepRequest request = { 0 };
  PsSweepOptions options = { 0 };
  gboolean ok;

  g_option_context_set_summary (ctx,
    "Search one numeric key, by bisection, for the smallest value (or the\n"
    "largest, --maximize) whose replicated mean meets --target, assuming the\n"
    "metric is monotone in the key.  Writes find.json.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  ps_cmd_add_options (ctx, &o, PS_CMD_OUTPUT | PS_CMD_SCENARIO);
  if (!g_option_context_parse (ctx, &argc, &argv, error)
      || !ps_cmd_one_argument (argc, argv, "scenario file", error))
    return FALSE;
  if (varies == NULL || g_strv_length (varies) != 1)
    return g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "find searches one key: give exactly one --vary KEY=FROM:TO"), FALSE;
  if (target_text == NULL)
    return g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "missing --target 'METRIC<X' (see --help)"), FALSE;
  if (jobs < 1 || jobs > 256)
    return g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "-j %d: expected 1 to 256", jobs), FALSE;
  if (!ps_sweep_target_parse (target_text, &target, error))
    return FALSE;
  request = (PsSweepRequest) {
    .scenario = argv[1], .sets = (const char *const *) o.sets, .seed = o.seed,
    .varies = (const char *const *) varies, .reps = reps, .ranges_only = TRUE,
    .extra_metric = target.metric,
  };
  plan = ps_sweep_prepare (&request, error);
  if (plan != NULL && !((PsSweepAxis *) plan->axes->pdata[0])->numeric)
    {
      g_set_error (error, PS_SWEEP_ERROR, PS_SWEEP_ERROR_INVALID,
                   "--vary %s: find needs numbers or durations", varies[0]);
      g_clear_pointer (&plan, ps_sweep_plan_free);
    }
  if (plan == NULL)
    {
      ps_sweep_target_clear (&target);
      return FALSE;
    }
  dir = o.output ? g_strdup (o.output) : g_strdup_printf ("out/%s-find", plan->scenario_name);
  options.jobs = (guint) jobs;
  options.dir = dir;
  if (!o.quiet && isatty (STDERR_FILENO))
    {
      options.progress = show_probe;
      options.progress_data = &shown;
    }
  ok = ps_find (plan, &target, maximize, &options, &result, error)
       && ps_find_write (dir, plan, &target, maximize, &result, error);
  if (shown)
    g_printerr ("\r%*s\r", 40, "");
  if (ok && !o.quiet)
    {
      printf ("%s: the %s %s with %s (%u replications per probe)\n", plan->scenario_name,
              maximize ? "largest" : "smallest",
              ((PsSweepAxis *) plan->axes->pdata[0])->key, target.text, plan->reps);
      if (result.answer >= 0)
        print_probe (plan, "answer", &g_array_index (result.probes, PsFindProbe, result.answer));
      if (result.neighbour >= 0)
        print_probe (plan, "neighbour",
                     &g_array_index (result.probes, PsFindProbe, result.neighbour));
      printf ("  %u probes; find.json in %s/\n", result.probes->len, dir);
    }
  for (guint i = 0; ok && i < result.warnings->len; i++)
    g_printerr ("poolsim: warning: %s\n", (const char *) result.warnings->pdata[i]);
  if (ok && result.answer < 0)
    {
      g_set_error (error, PS_SWEEP_ERROR, PS_SWEEP_ERROR_RUN,
                   "no value in the range meets %s", target.text);
      ok = FALSE;
    }
  ps_find_result_clear (&result);
  ps_sweep_target_clear (&target);
  return ok;
}
