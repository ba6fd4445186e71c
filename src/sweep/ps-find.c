/* ps-find.c: the smallest (or largest) value of one key that meets a target
 *
 * Bisection over the key's values, in numeric order, assuming the metric
 * is monotone in the key: each probe is one point run with the plan's
 * replications (common random numbers across probes), and "meets" is
 * decided on the replicated mean.  What bisection cannot know is whether
 * the mean is right, so the answer's and its neighbour's intervals are
 * compared with the target, and an overlap is reported as uncertainty.
 */
#include "ps-sweep.h"

#include <errno.h>
#include <math.h>

#include "ps-sweep-exec.h"

typedef struct
{
  const PsSweepPlan   *plan;
  const PsSweepTarget *target;
  const PsSweepOptions *options;
  guint               *order;        /* value indices by numeric value */
  gint                *probe_of;     /* value index -> probe, or -1 */
  PsFindResult        *result;
} Search;

static void
keep_run (PsSweepRun *run, gpointer data)
{
  g_ptr_array_add (data, run);
}

/* Runs the value at sorted position @pos, once; returns its probe. */
static const PsFindProbe *
probe (Search *s, guint pos, GError **error)
{
  guint value = s->order[pos];
  g_autoptr(GPtrArray) todo = g_ptr_array_new ();
  g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_sweep_run_free);
  PsSweepExec exec = { s->options->jobs, NULL, keep_run, done };
  PsSweepTable t;
  PsFindProbe p = { value };

  if (s->probe_of[value] >= 0)
    return &g_array_index (s->result->probes, PsFindProbe, s->probe_of[value]);
  for (guint r = 0; r < s->plan->reps; r++)
    g_ptr_array_add (todo, ps_sweep_run_new (value, r, s->plan->metrics->len));
  if (!ps_sweep_exec_batch (s->plan, &exec, todo, error))
    return NULL;
  g_ptr_array_sort (done, ps_sweep_run_compare);
  ps_sweep_table_init (&t, s->plan, done);
  p.moments = ps_sweep_table_moments (&t, value, 0);
  ps_sweep_table_clear (&t);
  p.ci95 = ps_moments_ci_half (&p.moments, 0.95);
  p.meets = !isnan (p.moments.mean) && ps_sweep_target_met (s->target, p.moments.mean);
  g_array_append_val (s->result->probes, p);
  s->probe_of[value] = (gint) s->result->probes->len - 1;
  if (s->options->progress != NULL)
    s->options->progress (s->result->probes->len, 0, s->options->progress_data);
  return &g_array_index (s->result->probes, PsFindProbe, s->result->probes->len - 1);
}

static const PsSweepAxis *
axis_of (const PsSweepPlan *plan)
{
  return plan->axes->pdata[0];
}

static gint
by_number (gconstpointer a, gconstpointer b, gpointer data)
{
  const double *numbers = data;
  double x = numbers[*(const guint *) a], y = numbers[*(const guint *) b];

  return x < y ? -1 : x > y;
}

static gboolean
overlaps (const PsSweepTarget *t, const PsFindProbe *p)
{
  return !isnan (p->ci95) && fabs (p->moments.mean - t->value) <= p->ci95;
}

/* A warning, and not certain, when @probe's interval holds the target;
 * @may_be: the value the answer could then be, or NULL. */
static void
warn_if_uncertain (PsFindResult *out, const PsSweepTarget *target, const PsSweepAxis *axis,
                   gint probe, const char *what, const char *may_be)
{
  const PsFindProbe *p = &g_array_index (out->probes, PsFindProbe, probe);
  g_autofree char *tail = may_be != NULL ? g_strdup_printf ("the answer may be %s", may_be)
                                         : g_strdup ("more replications would tell");

  if (!overlaps (target, p))
    return;
  out->certain = FALSE;
  g_ptr_array_add (out->warnings,
                   g_strdup_printf ("the 95%% interval at the %s, %s = %s (%.4g ± %.2g), "
                                    "overlaps the target %s: %s", what, axis->key,
                                    (char *) axis->values->pdata[p->value], p->moments.mean,
                                    p->ci95, target->text, tail));
}

/**
 * ps_find:
 * @maximize: the largest value that meets the target, not the smallest
 *
 * The plan has one numeric axis and the target's metric as its first.
 */
gboolean
ps_find (const PsSweepPlan *plan, const PsSweepTarget *target, gboolean maximize,
         const PsSweepOptions *options, PsFindResult *out, GError **error)
{
  const PsSweepAxis *axis = axis_of (plan);
  guint n = axis->values->len;
  g_autofree guint *order = g_new (guint, n);
  g_autofree gint *probe_of = g_new (gint, n);
  Search s = { plan, target, options, order, probe_of, out };
  const PsFindProbe *p;
  guint lo, hi, answer, neighbour;
  gboolean have_neighbour = TRUE;

  out->probes = g_array_new (FALSE, TRUE, sizeof (PsFindProbe));
  out->warnings = g_ptr_array_new_with_free_func (g_free);
  out->answer = out->neighbour = -1;
  for (guint i = 0; i < n; i++)
    order[i] = i, probe_of[i] = -1;
  g_qsort_with_data (order, (gint) n, sizeof (guint), by_number, axis->numbers);

  /* The end that must meet the target when anything does. */
  if ((p = probe (&s, maximize ? 0 : n - 1, error)) == NULL)
    return FALSE;
  if (!p->meets)
    {
      g_ptr_array_add (out->warnings,
                       g_strdup_printf ("no value of %s from %s to %s meets %s (at %s the "
                                        "mean is %g)", axis->key,
                                        (char *) axis->values->pdata[order[0]],
                                        (char *) axis->values->pdata[order[n - 1]],
                                        target->text,
                                        (char *) axis->values->pdata[p->value],
                                        p->moments.mean));
      return TRUE;
    }
  if ((p = probe (&s, maximize ? n - 1 : 0, error)) == NULL)
    return FALSE;
  if (p->meets)
    {
      answer = maximize ? n - 1 : 0;
      have_neighbour = FALSE;
      neighbour = answer;
    }
  else
    {
      /* Invariant: the value at "fail" does not meet it, at "pass" it does. */
      guint fail = maximize ? n - 1 : 0, pass = maximize ? 0 : n - 1;

      lo = MIN (fail, pass);
      hi = MAX (fail, pass);
      while (hi - lo > 1)
        {
          guint mid = lo + (hi - lo) / 2;

          if ((p = probe (&s, mid, error)) == NULL)
            return FALSE;
          if (p->meets == !maximize)
            hi = mid;
          else
            lo = mid;
        }
      answer = maximize ? lo : hi;
      neighbour = maximize ? hi : lo;
    }
  out->answer = probe_of[order[answer]];
  out->neighbour = have_neighbour ? probe_of[order[neighbour]] : -1;
  out->certain = TRUE;
  warn_if_uncertain (out, target, axis, out->answer, "answer", NULL);
  if (out->neighbour >= 0)
    warn_if_uncertain (out, target, axis, out->neighbour, "neighbour",
                       axis->values->pdata[g_array_index (out->probes, PsFindProbe,
                                                          out->neighbour).value]);
  return TRUE;
}

void
ps_find_result_clear (PsFindResult *r)
{
  g_clear_pointer (&r->probes, g_array_unref);
  g_clear_pointer (&r->warnings, g_ptr_array_unref);
}

static void
add_probe (JsonBuilder *b, const PsSweepPlan *plan, const PsFindProbe *p)
{
  const PsSweepAxis *axis = axis_of (plan);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "value");
  json_builder_add_double_value (b, axis->numbers[p->value]);
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, p->moments.n);
  json_builder_set_member_name (b, "mean");
  isnan (p->moments.mean) ? json_builder_add_null_value (b)
                          : json_builder_add_double_value (b, p->moments.mean);
  json_builder_set_member_name (b, "sd");
  isnan (p->moments.sd) ? json_builder_add_null_value (b)
                        : json_builder_add_double_value (b, p->moments.sd);
  json_builder_set_member_name (b, "ci95");
  isnan (p->ci95) ? json_builder_add_null_value (b) : json_builder_add_double_value (b, p->ci95);
  json_builder_set_member_name (b, "meets");
  json_builder_add_boolean_value (b, p->meets);
  json_builder_end_object (b);
}

/* find.json: the answer, the metric there and at the neighbour, every probe. */
gboolean
ps_find_write (const char *dir, const PsSweepPlan *plan, const PsSweepTarget *target,
               gboolean maximize, const PsFindResult *r, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = g_build_filename (dir, "find.json", NULL);
  g_autofree char *full = NULL;
  const PsSweepAxis *axis = axis_of (plan);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, axis->key);
  json_builder_set_member_name (b, "target");
  json_builder_add_string_value (b, target->text);
  json_builder_set_member_name (b, "metric");
  json_builder_add_string_value (b, target->metric);
  json_builder_set_member_name (b, "goal");
  json_builder_add_string_value (b, maximize ? "largest" : "smallest");
  json_builder_set_member_name (b, "reps");
  json_builder_add_int_value (b, plan->reps);
  json_builder_set_member_name (b, "answer");
  if (r->answer >= 0)
    json_builder_add_double_value (b, axis->numbers[g_array_index (r->probes, PsFindProbe,
                                                                   r->answer).value]);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "certain");
  json_builder_add_boolean_value (b, r->answer >= 0 && r->certain);
  json_builder_set_member_name (b, "at_answer");
  if (r->answer >= 0)
    add_probe (b, plan, &g_array_index (r->probes, PsFindProbe, r->answer));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "at_neighbour");
  if (r->neighbour >= 0)
    add_probe (b, plan, &g_array_index (r->probes, PsFindProbe, r->neighbour));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "probes");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->probes->len; i++)
    add_probe (b, plan, &g_array_index (r->probes, PsFindProbe, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->warnings->len; i++)
    json_builder_add_string_value (b, r->warnings->pdata[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "definition");
  json_builder_add_value (b, ps_sweep_plan_definition (plan));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, TRUE);
  full = g_strconcat (text, "\n", NULL);
  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot create %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  return g_file_set_contents (path, full, -1, error);
}
