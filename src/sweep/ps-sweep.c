/* ps-sweep.c: preparing a sweep, running it (whole, sharded, resumed,
 * with sequential replication) and merging shards
 */
#include "ps-sweep.h"

#include <math.h>
#include <string.h>

#include "ps-scenario.h"
#include "ps-sweep-exec.h"
#include "ps-sweep-journal.h"

static gboolean
parse_count (const char *option, const char *text, guint max, guint *out, GError **error)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (text, 10, 1, max, &v, NULL))
    return ps_sweep_invalid (error, "%s %s: expected a whole number from 1 to %u", option, text, max);
  *out = (guint) v;
  return TRUE;
}

/* Loads the scenario with each varied value on its own, so that a bad key
 * or value is reported as the loader reports a --set; then the first
 * point whole.  Returns the first point's scenario. */
static PsScenario *
check_values (PsSweepPlan *plan, const char *const *sets, GError **error)
{
  g_autoptr(PsScenario) base = NULL;

  for (guint a = 0; a < plan->axes->len; a++)
    {
      const PsSweepAxis *axis = plan->axes->pdata[a];

      for (guint i = 0; i < axis->values->len; i++)
        {
          g_autofree char *set = g_strdup_printf ("%s=%s", axis->key,
                                                  (const char *) axis->values->pdata[i]);
          const char *one[] = { set, NULL };
          g_autoptr(PsScenario) sc = ps_scenario_load_varied (plan->scenario_data,
                                                              (gssize) plan->scenario_length,
                                                              plan->scenario_path, sets, one,
                                                              error);
          if (sc == NULL)
            return NULL;
        }
    }
  {
    g_auto(GStrv) first = ps_sweep_plan_point_sets (plan, 0);

    base = ps_scenario_load_varied (plan->scenario_data, (gssize) plan->scenario_length,
                                    plan->scenario_path, sets, (const char *const *) first,
                                    error);
  }
  return g_steal_pointer (&base);
}

static gboolean
add_metric (PsSweepPlan *plan, JsonNode *summary, const char *path, const char *option,
            GError **error)
{
  if (!ps_sweep_metric_check (summary, path, option, error))
    return FALSE;
  if (!g_ptr_array_find_with_equal_func (plan->metrics, path, g_str_equal, NULL))
    g_ptr_array_add (plan->metrics, g_strdup (path));
  return TRUE;
}

static gboolean
parse_reps (PsSweepPlan *plan, const PsSweepRequest *r, GError **error)
{
  plan->reps_max = r->reps_max ? r->reps_max : 100;
  if (plan->reps_max > PS_SWEEP_MAX_REPS)
    return ps_sweep_invalid (error, "--reps-max %u: expected at most %d", plan->reps_max,
                    PS_SWEEP_MAX_REPS);
  if (r->reps != NULL && strcmp (r->reps, "auto") == 0)
    {
      if (r->precision == NULL)
        return ps_sweep_invalid (error, "--reps auto needs --precision METRIC=X or METRIC=X%%");
      if (!ps_sweep_parse_precision (r->precision, &plan->precision_metric,
                                     &plan->precision, &plan->precision_relative, error))
        return FALSE;
      plan->reps_auto = TRUE;
      plan->reps = MIN (5, plan->reps_max);
      if (plan->reps < 2)
        return ps_sweep_invalid (error, "--reps-max %u: sequential replication needs at least 2",
                        plan->reps_max);
      return TRUE;
    }
  if (r->precision != NULL)
    return ps_sweep_invalid (error, "--precision is for --reps auto");
  if (r->reps != NULL && !parse_count ("--reps", r->reps, PS_SWEEP_MAX_REPS, &plan->reps, error))
    return FALSE;
  return TRUE;
}

/**
 * ps_sweep_prepare:
 *
 * Returns: (transfer full) (nullable): a checked plan, or NULL with a
 * PS_SWEEP_ERROR or PS_SCENARIO_ERROR (both mean bad input).
 */
PsSweepPlan *
ps_sweep_prepare (const PsSweepRequest *r, GError **error)
{
  g_autoptr(PsSweepPlan) plan = ps_sweep_plan_new ();
  g_autoptr(PsScenario) first = NULL;
  g_autoptr(JsonNode) summary = NULL;

  if ((r->varies == NULL || r->varies[0] == NULL) && !r->one_point)
    return ps_sweep_invalid (error, "nothing to vary (expected --vary KEY=a,b,c or "
                    "KEY=FROM:TO:STEP)"), NULL;
  for (guint i = 0; r->varies != NULL && r->varies[i] != NULL; i++)
    {
      PsSweepAxis *axis = ps_sweep_axis_parse (r->varies[i], "--vary", r->ranges_only, error);

      if (axis == NULL)
        return NULL;
      g_ptr_array_add (plan->axes, axis);
    }
  if (!ps_sweep_plan_count_points (plan, error) || !parse_reps (plan, r, error)
      || !ps_sweep_plan_set_baseline (plan, r->baseline, error)
      || !ps_sweep_plan_read_scenario (plan, r->scenario, error))
    return NULL;
  plan->sets = g_strdupv ((char **) r->sets);
  if ((first = check_values (plan, r->sets, error)) == NULL)
    return NULL;
  plan->scenario_name = g_strdup (first->name);
  plan->seed = first->seed;
  if (r->seed != NULL)
    {
      guint64 seed;

      if (!g_ascii_string_to_unsigned (r->seed, 10, 0, G_MAXINT64, &seed, NULL))
        return ps_sweep_invalid (error, "--seed: \"%s\" is not a seed (expected an integer "
                        "0..%" G_GINT64_FORMAT ")", r->seed, G_MAXINT64), NULL;
      plan->seed = seed;
    }
  if ((summary = ps_sweep_probe_summary (plan, error)) == NULL)
    return NULL;
  if (r->extra_metric != NULL && !add_metric (plan, summary, r->extra_metric, "--target", error))
    return NULL;
  if (r->metrics != NULL && r->metrics[0] != NULL)
    {
      for (guint i = 0; r->metrics[i] != NULL; i++)
        if (!add_metric (plan, summary, r->metrics[i], "--metric", error))
          return NULL;
    }
  else if (r->extra_metric == NULL)
    {
      g_autoptr(GPtrArray) defaults = ps_sweep_default_metrics (summary);

      for (guint i = 0; i < defaults->len; i++)
        if (!add_metric (plan, summary, defaults->pdata[i], "--metric", error))
          return NULL;
    }
  if (plan->reps_auto
      && !add_metric (plan, summary, plan->precision_metric, "--precision", error))
    return NULL;
  return g_steal_pointer (&plan);
}

/* --shard K/N, 1 <= K <= N. */
gboolean
ps_sweep_parse_shard (const char *text, guint *out_shard, guint *out_n, GError **error)
{
  const char *slash = strchr (text, '/');
  g_autofree char *k = slash ? g_strndup (text, (gsize) (slash - text)) : NULL;
  guint64 kv, nv;

  if (slash == NULL || !g_ascii_string_to_unsigned (k, 10, 0, G_MAXUINT, &kv, NULL)
      || !g_ascii_string_to_unsigned (slash + 1, 10, 1, 100000, &nv, NULL))
    return ps_sweep_invalid (error, "--shard %s: expected K/N, such as 3/16", text);
  if (kv < 1 || kv > nv)
    return ps_sweep_invalid (error, "--shard %s: K must be from 1 to %" G_GUINT64_FORMAT
                    " (shards are numbered from 1)", text, nv);
  *out_shard = (guint) kv;
  *out_n = (guint) nv;
  return TRUE;
}

typedef struct
{
  PsSweepJournal      *journal;
  GPtrArray           *results;     /* PsSweepRun *, owned */
  guint                done;
  guint                total;
  const PsSweepOptions *options;
  gboolean             write_failed;
} Collect;

static void
on_done (PsSweepRun *run, gpointer data)
{
  Collect *c = data;

  if (!ps_sweep_journal_append (c->journal, run))
    c->write_failed = TRUE;
  g_ptr_array_add (c->results, run);
  c->done++;
  if (c->options->progress != NULL)
    c->options->progress (c->done, c->total, c->options->progress_data);
}

/* Index of finished runs: point · stride + rep. */
static GHashTable *
done_set (GPtrArray *runs)
{
  GHashTable *set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < runs->len; i++)
    {
      PsSweepRun *r = runs->pdata[i];
      gint64 *key = g_new (gint64, 1);

      *key = ((gint64) r->point << 20) | r->rep;
      g_hash_table_add (set, key);
    }
  return set;
}

static gboolean
is_done (GHashTable *set, guint point, guint rep)
{
  gint64 key = ((gint64) point << 20) | rep;

  return g_hash_table_contains (set, &key);
}

/* Runs reps [0, want[p]) of every point that are not done yet. */
static gboolean
run_up_to (const PsSweepPlan *plan, const PsSweepOptions *o, Collect *c, const guint *want,
           const char *keep_root, GError **error)
{
  g_autoptr(GHashTable) set = done_set (c->results);
  g_autoptr(GPtrArray) todo = g_ptr_array_new ();
  PsSweepExec exec = { o->jobs, keep_root, on_done, c };
  guint shard = o->n_shards > 1 ? o->shard : 1, n_shards = MAX (o->n_shards, 1);

  for (guint p = 0; p < plan->n_points; p++)
    for (guint r = 0; r < want[p]; r++)
      if (ps_sweep_shard_owns (plan, p, r, shard, n_shards) && !is_done (set, p, r))
        g_ptr_array_add (todo, ps_sweep_run_new (p, r, plan->metrics->len));
  c->total = c->done + todo->len;
  if (!ps_sweep_exec_batch (plan, &exec, todo, error))
    return FALSE;
  if (c->write_failed)
    return ps_sweep_journal_close (c->journal, error) && FALSE;
  return TRUE;
}

static guint
metric_index (const PsSweepPlan *plan, const char *path)
{
  guint i = 0;

  g_ptr_array_find_with_equal_func (plan->metrics, path, g_str_equal, &i);
  return i;
}

/* Sequential replication: after each round, every point whose precision
 * metric is not yet within the asked half-width gets the replications
 * its spread says it needs (at least one more), up to reps_max.  Rounds
 * depend only on results, never on timing, so -j and --resume give the
 * same runs. */
static gboolean
run_auto (const PsSweepPlan *plan, const PsSweepOptions *o, Collect *c,
          const char *keep_root, GError **error)
{
  g_autofree guint *want = g_new (guint, plan->n_points);
  guint m = metric_index (plan, plan->precision_metric);

  for (guint p = 0; p < plan->n_points; p++)
    want[p] = plan->reps;
  for (;;)
    {
      PsSweepTable t;
      gboolean more = FALSE;

      if (!run_up_to (plan, o, c, want, keep_root, error))
        return FALSE;
      g_ptr_array_sort (c->results, ps_sweep_run_compare);
      ps_sweep_table_init (&t, plan, c->results);
      for (guint p = 0; p < plan->n_points; p++)
        {
          PsMoments mo = ps_sweep_table_moments (&t, p, m);
          double half = ps_moments_ci_half (&mo, 0.95);
          double goal = plan->precision_relative ? plan->precision * fabs (mo.mean)
                                                 : plan->precision;
          double need;

          if (want[p] >= plan->reps_max || mo.n < 2 || isnan (half) || half <= goal)
            continue;                   /* precise, capped, or nothing to measure */
          need = goal > 0 ? ceil (mo.n * (half / goal) * (half / goal)) : plan->reps_max;
          want[p] = (guint) MIN ((double) plan->reps_max, MAX (need, (double) want[p] + 1));
          more = TRUE;
        }
      ps_sweep_table_clear (&t);
      if (!more)
        return TRUE;
    }
}

/**
 * ps_sweep_execute:
 * @out_runs: (out) (optional): the runs of this shard, sorted
 *
 * Runs the plan's runs (this shard's, with --shard), journaling each, and
 * writes the tables when the whole sweep ran here.
 */
gboolean
ps_sweep_execute (const PsSweepPlan *plan, const PsSweepOptions *o, GPtrArray **out_runs,
                  GError **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_sweep_run_free);
  g_autoptr(PsSweepJournal) journal = NULL;
  g_autofree char *keep_root = o->keep_runs ? g_build_filename (o->dir, "runs", NULL) : NULL;
  guint shard = o->n_shards > 1 ? o->shard : 1, n_shards = MAX (o->n_shards, 1);
  Collect c = { NULL, results, 0, 0, o, FALSE };

  if (plan->reps_auto && n_shards > 1)
    return ps_sweep_invalid (error, "--shard needs a fixed --reps N (with --reps auto, which "
                    "runs are needed depends on earlier results)");
  journal = ps_sweep_journal_open (o->dir, plan, shard, n_shards, o->resume, results, error);
  if (journal == NULL)
    return FALSE;
  c.journal = journal;
  c.done = results->len;
  if (plan->reps_auto)
    {
      if (!run_auto (plan, o, &c, keep_root, error))
        return FALSE;
    }
  else
    {
      g_autofree guint *want = g_new (guint, plan->n_points);

      for (guint p = 0; p < plan->n_points; p++)
        want[p] = plan->reps;
      if (!run_up_to (plan, o, &c, want, keep_root, error))
        return FALSE;
    }
  if (!ps_sweep_journal_close (journal, error))
    return FALSE;
  g_ptr_array_sort (results, ps_sweep_run_compare);
  if (n_shards == 1)
    {
      PsSweepTable t;
      gboolean ok;

      ps_sweep_table_init (&t, plan, results);
      ok = ps_sweep_write_tables (o->dir, &t, error);
      ps_sweep_table_clear (&t);
      if (!ok)
        return FALSE;
    }
  if (out_runs != NULL)
    *out_runs = g_steal_pointer (&results);
  return TRUE;
}

/* The tables of a sweep that ran as shards, from their journals. */
gboolean
ps_sweep_merge (const char *dir, PsSweepPlan **out_plan, GPtrArray **out_runs,
                GError **error)
{
  g_autoptr(PsSweepPlan) plan = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  PsSweepTable t;
  gboolean ok;

  if (!ps_sweep_journal_merge (dir, &plan, &runs, error))
    return FALSE;
  ps_sweep_table_init (&t, plan, runs);
  ok = ps_sweep_write_tables (dir, &t, error);
  ps_sweep_table_clear (&t);
  if (!ok)
    return FALSE;
  *out_plan = g_steal_pointer (&plan);
  *out_runs = g_steal_pointer (&runs);
  return TRUE;
}
