/* ps-sweep-tables.c: runs.csv, points.csv, compare.csv, sweep.json
 *
 * Every file is written under a temporary name and renamed into place, so
 * a directory holds either the old table or the new one.
 */
#include "ps-sweep-tables.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "ps-csv.h"

void
ps_sweep_table_init (PsSweepTable *t, const PsSweepPlan *plan, GPtrArray *runs)
{
  guint at = 0;

  t->plan = plan;
  t->runs = runs;
  t->start = g_new0 (guint, plan->n_points + 1);
  for (guint p = 0; p <= plan->n_points; p++)
    {
      while (at < runs->len && ((PsSweepRun *) runs->pdata[at])->point < p)
        at++;
      t->start[p] = at;
    }
}

void
ps_sweep_table_clear (PsSweepTable *t)
{
  g_clear_pointer (&t->start, g_free);
}

guint
ps_sweep_table_n (const PsSweepTable *t, guint point)
{
  return t->start[point + 1] - t->start[point];
}

static const PsSweepRun *
run_at (const PsSweepTable *t, guint i)
{
  return t->runs->pdata[i];
}

PsMoments
ps_sweep_table_moments (const PsSweepTable *t, guint point, guint metric)
{
  guint n = ps_sweep_table_n (t, point);
  g_autofree double *v = g_new (double, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    v[i] = run_at (t, t->start[point] + i)->values[metric];
  return ps_moments_of (v, n);
}

/* Differences point − baseline, replication by replication (common random
 * numbers: replication r of both ran on the same seed). */
PsMoments
ps_sweep_table_paired (const PsSweepTable *t, guint point, guint metric)
{
  guint b = t->plan->baseline;
  guint n = ps_sweep_table_n (t, point);
  g_autofree double *d = g_new (double, MAX (n, 1));
  guint i = t->start[point], j = t->start[b], k = 0;

  while (i < t->start[point + 1] && j < t->start[b + 1])
    {
      const PsSweepRun *x = run_at (t, i), *y = run_at (t, j);

      if (x->rep == y->rep)
        {
          d[k++] = x->values[metric] - y->values[metric];
          i++, j++;
        }
      else if (x->rep < y->rep)
        i++;
      else
        j++;
    }
  return ps_moments_of (d, k);
}

static void
key_columns (GString *header, const PsSweepPlan *plan)
{
  for (guint a = 0; a < plan->axes->len; a++)
    g_string_append_printf (header, "%s%s", a ? "," : "",
                            ((PsSweepAxis *) plan->axes->pdata[a])->key);
}

static void
key_values (PsCsv *csv, const PsSweepPlan *plan, guint point)
{
  for (guint a = 0; a < plan->axes->len; a++)
    ps_csv_str (csv, ps_sweep_plan_value (plan, point, a));
}

/* Writes @path through a temporary file, renamed when complete. */
typedef void (*RowsFunc) (PsCsv *csv, const PsSweepTable *t);

static gboolean
write_csv (const char *dir, const char *name, const char *header, RowsFunc rows,
           const PsSweepTable *t, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  PsCsv *csv = ps_csv_open (tmp, header, error);

  if (csv == NULL)
    return FALSE;
  rows (csv, t);
  if (!ps_csv_close (csv, error))
    {
      ps_csv_free (csv);
      g_unlink (tmp);
      return FALSE;
    }
  ps_csv_free (csv);
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot rename %s: %s", tmp, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
runs_rows (PsCsv *csv, const PsSweepTable *t)
{
  for (guint i = 0; i < t->runs->len; i++)
    {
      const PsSweepRun *r = run_at (t, i);

      key_values (csv, t->plan, r->point);
      ps_csv_u64 (csv, r->rep);
      ps_csv_u64 (csv, r->seed);
      for (guint m = 0; m < t->plan->metrics->len; m++)
        ps_csv_number (csv, r->values[m]);
      ps_csv_end_row (csv);
    }
}

static void
points_rows (PsCsv *csv, const PsSweepTable *t)
{
  for (guint p = 0; p < t->plan->n_points; p++)
    {
      key_values (csv, t->plan, p);
      ps_csv_u64 (csv, ps_sweep_table_n (t, p));
      for (guint m = 0; m < t->plan->metrics->len; m++)
        {
          PsMoments mo = ps_sweep_table_moments (t, p, m);

          ps_csv_number (csv, mo.mean);
          ps_csv_number (csv, mo.sd);
          ps_csv_number (csv, ps_moments_ci_half (&mo, 0.95));
        }
      ps_csv_end_row (csv);
    }
}

static void
compare_rows (PsCsv *csv, const PsSweepTable *t)
{
  for (guint p = 0; p < t->plan->n_points; p++)
    {
      guint pairs = 0;

      key_values (csv, t->plan, p);
      for (guint m = 0; m < t->plan->metrics->len; m++)
        pairs = MAX (pairs, ps_sweep_table_paired (t, p, m).n);
      ps_csv_u64 (csv, pairs);
      for (guint m = 0; m < t->plan->metrics->len; m++)
        {
          PsMoments d = ps_sweep_table_paired (t, p, m);
          double half = ps_moments_ci_half (&d, 0.95);

          if (p == t->plan->baseline && d.n > 0)
            half = 0;                   /* the baseline against itself */
          ps_csv_number (csv, d.mean);
          ps_csv_number (csv, half);
          if (isnan (half))
            ps_csv_empty (csv);
          else
            ps_csv_str (csv, fabs (d.mean) > half ? "true" : "false");
        }
      ps_csv_end_row (csv);
    }
}

static char *
metric_header (const PsSweepPlan *plan, const char *first, const char *const *suffixes)
{
  GString *h = g_string_new (NULL);

  key_columns (h, plan);
  g_string_append_printf (h, "%s%s", plan->axes->len ? "," : "", first);
  for (guint m = 0; m < plan->metrics->len; m++)
    for (const char *const *s = suffixes; *s != NULL; s++)
      g_string_append_printf (h, ",%s%s", (const char *) plan->metrics->pdata[m], *s);
  return g_string_free (h, FALSE);
}

static gboolean
write_sweep_json (const char *dir, const PsSweepTable *t, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = g_build_filename (dir, "sweep.json", NULL);
  guint64 events = 0, generated = 0;
  guint min_n = G_MAXUINT, max_n = 0;

  for (guint i = 0; i < t->runs->len; i++)
    {
      events += run_at (t, i)->events;
      generated += run_at (t, i)->generated;
    }
  for (guint p = 0; p < t->plan->n_points; p++)
    {
      min_n = MIN (min_n, ps_sweep_table_n (t, p));
      max_n = MAX (max_n, ps_sweep_table_n (t, p));
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "definition");
  json_builder_add_value (b, ps_sweep_plan_definition (t->plan));
  json_builder_set_member_name (b, "totals");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "points");
  json_builder_add_int_value (b, t->plan->n_points);
  json_builder_set_member_name (b, "runs");
  json_builder_add_int_value (b, t->runs->len);
  json_builder_set_member_name (b, "reps_min");
  json_builder_add_int_value (b, t->plan->n_points ? min_n : 0);
  json_builder_set_member_name (b, "reps_max");
  json_builder_add_int_value (b, max_n);
  json_builder_set_member_name (b, "requests");
  json_builder_add_int_value (b, (gint64) generated);
  json_builder_set_member_name (b, "events");
  json_builder_add_int_value (b, (gint64) events);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "runs.csv");
  json_builder_add_string_value (b, "points.csv");
  json_builder_add_string_value (b, "compare.csv");
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, TRUE);
  {
    g_autofree char *with_newline = g_strconcat (text, "\n", NULL);

    return g_file_set_contents (path, with_newline, -1, error);
  }
}

gboolean
ps_sweep_write_tables (const char *dir, const PsSweepTable *t, GError **error)
{
  static const char *const none[] = { NULL };
  static const char *const stats[] = { ".mean", ".sd", ".ci95", NULL };
  static const char *const diffs[] = { ".diff", ".diff_ci95", ".significant", NULL };
  g_autoptr(GString) runs_header = g_string_new (NULL);
  g_autofree char *points_header = metric_header (t->plan, "n", stats);
  g_autofree char *compare_header = metric_header (t->plan, "n", diffs);
  g_autofree char *runs_tail = metric_header (t->plan, "rep,seed", none);

  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot create %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  g_string_append (runs_header, runs_tail);
  for (guint m = 0; m < t->plan->metrics->len; m++)
    g_string_append_printf (runs_header, ",%s", (const char *) t->plan->metrics->pdata[m]);
  return write_csv (dir, "runs.csv", runs_header->str, runs_rows, t, error)
         && write_csv (dir, "points.csv", points_header, points_rows, t, error)
         && write_csv (dir, "compare.csv", compare_header, compare_rows, t, error)
         && write_sweep_json (dir, t, error);
}
