/* ps-plot-files.c: the derived files the gnuplot scripts read
 *
 * plot-meta.gp (titles and ranges) and plot-clients.csv, plot-latency.csv,
 * plot-latency-marks.csv, plot-quota.csv, each written under a temporary
 * name and renamed when complete.  Nothing written holds an absolute
 * path, so a run directory stays relocatable.
 */
#include "ps-plot-private.h"
#include "ps-csv.h"
#include "ps-record.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

/* Opens the derived CSV file @name of @run_dir under a temporary name;
 * ps_plot_out_file_close() renames it into place. */
gboolean
ps_plot_out_file_open (PsPlotOutFile *out,
                       const char    *run_dir,
                       const char    *name,
                       const char    *header,
                       GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  out->path = g_build_filename (run_dir, name, NULL);
  out->tmp_path = g_strdup_printf ("%s.%d.tmp", out->path, (int) getpid ());
  out->csv = ps_csv_open (out->tmp_path, header, &local_error);
  if (out->csv == NULL)
    {
      g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_IO,
                   "%s: cannot write: %s", name, local_error->message);
      g_clear_pointer (&out->path, g_free);
      g_clear_pointer (&out->tmp_path, g_free);
      return FALSE;
    }
  return TRUE;
}

/* Closes @out and renames it into place; on any failure removes it. */
gboolean
ps_plot_out_file_close (PsPlotOutFile  *out,
                        GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = g_path_get_basename (out->path);
  gboolean ok = ps_csv_close (out->csv, &local_error);

  if (ok && g_rename (out->tmp_path, out->path) != 0)
    {
      int saved = errno;

      g_set_error (&local_error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "%s", g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    {
      g_unlink (out->tmp_path);
      g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_IO,
                   "%s: cannot write: %s", name, local_error->message);
    }
  g_clear_pointer (&out->csv, ps_csv_free);
  g_clear_pointer (&out->path, g_free);
  g_clear_pointer (&out->tmp_path, g_free);
  return ok;
}

/* A double for gnuplot or CSV, locale-proof; NaN for unknown.  @buf holds
 * G_ASCII_DTOSTR_BUF_SIZE bytes. */
const char *
ps_plot_fmt_double (char   *buf,
                    double  value)
{
  if (isnan (value) || isinf (value))
    return "NaN";
  return g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.6g", value);
}

/* Appends @text as a gnuplot double-quoted string; control characters
 * become spaces, so a scenario name cannot break the file. */
void
ps_plot_gp_string (GString    *out,
                   const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, (guchar) *p < 0x20 ? ' ' : *p);
    }
  g_string_append_c (out, '"');
}

/* A duration for people: "250 ms", "1.5 s", "2 min". */
static char *
human_seconds (double s)
{
  if (isnan (s))
    return g_strdup ("?");
  if (s < 1e-3)
    return g_strdup_printf ("%.3g µs", s * 1e6);
  if (s < 1.0)
    return g_strdup_printf ("%.3g ms", s * 1e3);
  if (s < 120.0 || fmod (s, 60.0) != 0.0)
    return g_strdup_printf ("%.3g s", s);
  if (s < 7200.0 || fmod (s, 3600.0) != 0.0)
    return g_strdup_printf ("%g min", s / 60.0);
  return g_strdup_printf ("%g h", s / 3600.0);
}

gboolean
ps_plot_has_completed (const PriorityStats *stats)
{
  return stats != NULL && stats->last_bin >= 0;
}

/* The latency chart's curves: by priority, or by client group when the
 * run has one priority and several groups (decided by ps-plot-data.c). */
static GPtrArray *
latency_series (const PlotData *data)
{
  return data->latency_by_group ? data->groups : data->priorities;
}

static const char *
series_kind (const PlotData *data)
{
  return data->latency_by_group ? "group" : "priority";
}

/* "priority 0", or the group's name. */
static char *
series_name (const PlotData *data, const PriorityStats *stats)
{
  if (data->latency_by_group)
    return g_strdup (g_ptr_array_index (data->group_names, stats->priority));
  return g_strdup_printf ("priority %d", stats->priority);
}

/* Where summary.json has this curve's exact quantiles, or NULL. */
static JsonNode *
series_summary (const PlotData *data, const PriorityStats *stats)
{
  if (data->latency_by_group)
    {
      const char *name = g_ptr_array_index (data->group_names, stats->priority);
      JsonNode *group = data->info.groups != NULL
                        ? json_object_get_member (data->info.groups, name) : NULL;

      return group != NULL && JSON_NODE_HOLDS_OBJECT (group)
             ? json_object_get_member (json_node_get_object (group), "latency_s") : NULL;
    }
  if (data->info.by_priority != NULL)
    {
      g_autofree char *key = g_strdup_printf ("%d", stats->priority);

      return json_object_get_member (data->info.by_priority, key);
    }
  return NULL;
}

/* The latency at quantile @q: summary.json's value when it has one (exact),
 * else the upper edge of the histogram bin where the CDF reaches @q. */
static double
latency_quantile (const PlotData      *data,
                  const PriorityStats *stats,
                  const char          *name,
                  double               q)
{
  guint64 n = stats->outcomes[PS_OUTCOME_COMPLETED], seen = 0;
  guint64 target = (guint64) ceil (q * (double) n);

  {
    JsonNode *member = series_summary (data, stats);
    double value = member != NULL ? ps_plot_json_lookup_double (member, name) : NAN;

    if (!isnan (value))
      return MAX (value, 1e-6);         /* a log axis has no 0 */
  }
  for (int bin = stats->first_bin; bin <= stats->last_bin; bin++)
    if ((seen += stats->hist[bin]) >= MAX (target, 1))
      return ps_plot_bin_edge_s (bin + 1);
  return ps_plot_bin_edge_s (stats->last_bin + 1);
}

static const struct
{
  const char *name;
  double      q;
} quantiles[] = {
  { "p50", 0.50 }, { "p95", 0.95 }, { "p99", 0.99 },
};

/* plot-latency.csv: one CDF column per priority, on shared log-spaced
 * edges; a cell is empty outside that priority's own range, so each curve
 * starts at 0 and stops at 1.  plot-latency-marks.csv: p50/p95/p99. */
gboolean
ps_plot_write_latency (const char  *run_dir,
               PlotData    *data,
               GError     **error)
{
  GPtrArray *series = latency_series (data);
  g_autofree char *marks_header = g_strdup_printf ("%s,quantile,latency_s",
                                                   series_kind (data));
  PsPlotOutFile out = { 0 };
  g_autoptr(GString) header = g_string_new ("latency_s");
  int lo = LAT_N_BINS, hi = -1;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint p = 0; p < series->len; p++)
    {
      PriorityStats *stats = g_ptr_array_index (series, p);

      if (ps_plot_has_completed (stats))
        {
          lo = MIN (lo, stats->first_bin);
          hi = MAX (hi, stats->last_bin);
        }
    }
  for (guint p = 0; p < series->len; p++)
    if (ps_plot_has_completed (g_ptr_array_index (series, p)))
      g_string_append_printf (header, ",%s_%u", series_kind (data), p);
  if (!ps_plot_out_file_open (&out, run_dir, "plot-latency.csv", header->str,
                              error))
    return FALSE;
  {
    g_autofree guint64 *cumulative = g_new0 (guint64, series->len);

    for (int bin = lo - 1; bin <= hi; bin++)
      {
        ps_csv_str (out.csv, ps_plot_fmt_double (buf, ps_plot_bin_edge_s (bin + 1)));
        for (guint p = 0; p < series->len; p++)
          {
            PriorityStats *stats = g_ptr_array_index (series, p);

            if (!ps_plot_has_completed (stats))
              continue;
            if (bin >= 0 && bin <= stats->last_bin)
              cumulative[p] += stats->hist[bin];
            if (bin >= stats->first_bin - 1 && bin <= stats->last_bin)
              ps_csv_double (out.csv, (double) cumulative[p]
                             / (double) stats->outcomes[PS_OUTCOME_COMPLETED], 6);
            else
              ps_csv_empty (out.csv);
          }
        ps_csv_end_row (out.csv);
      }
  }
  if (!ps_plot_out_file_close (&out, error)
      || !ps_plot_out_file_open (&out, run_dir, "plot-latency-marks.csv",
                                 marks_header, error))
    return FALSE;
  for (guint p = 0; p < series->len; p++)
    {
      PriorityStats *stats = g_ptr_array_index (series, p);

      if (!ps_plot_has_completed (stats))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (quantiles); i++)
        {
          double latency = latency_quantile (data, stats, quantiles[i].name,
                                             quantiles[i].q);

          ps_csv_u64 (out.csv, p);
          ps_csv_double (out.csv, quantiles[i].q, 2);
          ps_csv_str (out.csv, ps_plot_fmt_double (buf, latency));
          ps_csv_end_row (out.csv);
        }
    }
  return ps_plot_out_file_close (&out, error);
}

/* What plot-clients.csv's order looks at, side by side: a million keys
 * sort in cache, where the rows they stand for would not. */
typedef struct
{
  guint64 completed;
  guint64 generated;
  guint   order;
} ClientKey;

static int
compare_keys_by_completed (gconstpointer a,
                           gconstpointer b)
{
  const ClientKey *x = a, *y = b;

  if (x->completed != y->completed)
    return x->completed > y->completed ? -1 : 1;
  if (x->generated != y->generated)
    return x->generated > y->generated ? -1 : 1;
  return x->order < y->order ? -1 : (x->order > y->order);
}

/* plot-clients.csv: clients.csv sorted, most completed first, with rank. */
gboolean
ps_plot_write_clients (const char  *run_dir,
               PlotData    *data,
               GError     **error)
{
  g_autofree ClientKey *sorted = g_new (ClientKey, MAX (data->clients->len, 1));
  PsPlotOutFile out = { 0 };

  /* most completed first (the shape of the distribution reads left to
   * right), then most generated, then file order */
  for (guint i = 0; i < data->clients->len; i++)
    {
      const ClientRow *row = &g_array_index (data->clients, ClientRow, i);

      sorted[i] = (ClientKey) { row->completed, row->generated, i };
    }
  qsort (sorted, data->clients->len, sizeof *sorted, compare_keys_by_completed);
  if (!ps_plot_out_file_open (&out, run_dir, "plot-clients.csv",
                              "rank,client,group,generated,completed,rejected,"
                              "dropped,pending,n429,n503", error))
    return FALSE;
  for (guint i = 0; i < data->clients->len; i++)
    {
      const ClientRow *row = &g_array_index (data->clients, ClientRow, sorted[i].order);
      guint64 ended = row->completed + row->rejected + row->dropped;

      if (i + 16 < data->clients->len)    /* rows come in random order: fetch ahead */
        {
          const ClientRow *ahead = &g_array_index (data->clients, ClientRow,
                                                   sorted[i + 16].order);

          __builtin_prefetch (ahead);
          __builtin_prefetch ((const char *) ahead + 64);
        }
      if (i + 8 < data->clients->len)
        __builtin_prefetch (g_array_index (data->clients, ClientRow,
                                           sorted[i + 8].order).name);

      ps_csv_u64 (out.csv, i);
      ps_csv_str (out.csv, row->name);
      ps_csv_str (out.csv, row->group);
      ps_csv_u64 (out.csv, row->generated);
      ps_csv_u64 (out.csv, row->completed);
      ps_csv_u64 (out.csv, row->rejected);
      ps_csv_u64 (out.csv, row->dropped);
      ps_csv_u64 (out.csv, row->generated > ended ? row->generated - ended : 0);
      ps_csv_u64 (out.csv, row->n429);
      ps_csv_u64 (out.csv, row->n503);
      ps_csv_end_row (out.csv);
    }
  return ps_plot_out_file_close (&out, error);
}

/* The windows to chart: the run's duration in windows, or more if a
 * request was admitted or created later (it cannot, but the data rule). */
static guint
quota_n_windows (const PlotData *data)
{
  guint n_windows = 0;

  if (!isnan (data->info.duration_s))
    n_windows = (guint) ceil (data->info.duration_s * 1e6
                              / (double) data->info.window_us);
  for (guint i = 0; i < data->n_slots; i++)
    n_windows = MAX (n_windows, MAX (data->slots[i].admitted->len,
                                     data->slots[i].created->len));
  return n_windows;
}

/* How many windows one bar of the quota chart stands for. */
static guint
quota_group (const PlotData *data)
{
  return MAX (1, (quota_n_windows (data) + QUOTA_MAX_BARS - 1) / QUOTA_MAX_BARS);
}

static guint32
window_max (GArray *counts,
            guint   first,
            guint   n)
{
  guint32 best = 0;

  for (guint w = first; w < first + n && w < counts->len; w++)
    best = MAX (best, g_array_index (counts, guint32, w));
  return best;
}

/* plot-quota.csv: one row per (sampled client, window), slot 1..8 in order
 * of throttling.  With more than QUOTA_MAX_BARS windows, a row stands for
 * a group of consecutive windows and holds the busiest window's counts:
 * the one to hold against the limit. */
gboolean
ps_plot_write_quota (const char  *run_dir,
             PlotData    *data,
             GError     **error)
{
  guint group = quota_group (data);
  guint n_windows = quota_n_windows (data);
  PsPlotOutFile out = { 0 };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!ps_plot_out_file_open (&out, run_dir, "plot-quota.csv",
                              "slot,client,window,window_start_s,admitted,created,limit",
                              error))
    return FALSE;
  for (guint i = 0; i < data->n_slots; i++)
    for (guint w = 0; w < n_windows; w += group)
      {
        if (w < data->slots[i].from_window)
          continue;                     /* before the run followed it */
        double start_s = (double) w * (double) data->info.window_us / 1e6;

        ps_csv_u64 (out.csv, i + 1);
        ps_csv_str (out.csv, data->slots[i].client->name);
        ps_csv_u64 (out.csv, w);
        ps_csv_str (out.csv, ps_plot_fmt_double (buf, start_s));
        ps_csv_u64 (out.csv, window_max (data->slots[i].admitted, w, group));
        ps_csv_u64 (out.csv, window_max (data->slots[i].created, w, group));
        ps_csv_str (out.csv, ps_plot_fmt_double (buf, data->slots[i].limit));
        ps_csv_end_row (out.csv);
      }
  return ps_plot_out_file_close (&out, error);
}

/* Jain's index over the clients' served shares, as core computes it for
 * summary.json (for a run directory whose summary lacks it). */
static double
jain_of_served (const PlotData *data)
{
  g_autofree guint64 *completed = g_new (guint64, MAX (data->clients->len, 1));
  g_autofree guint64 *generated = g_new (guint64, MAX (data->clients->len, 1));

  for (guint i = 0; i < data->clients->len; i++)
    {
      completed[i] = g_array_index (data->clients, ClientRow, i).completed;
      generated[i] = g_array_index (data->clients, ClientRow, i).generated;
    }
  return ps_jain_index_served (completed, generated, data->clients->len);
}

/* "NAME = VALUE" lines of plot-meta.gp files (a number; NaN as NaN). */
void
ps_plot_meta_number (GString    *out,
                     const char *name,
                     double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, "%s = %s\n", name, ps_plot_fmt_double (buf, value));
}

/* ... a gnuplot string; NULL as "". */
void
ps_plot_meta_text (GString    *out,
                   const char *name,
                   const char *value)
{
  g_string_append_printf (out, "%s = ", name);
  ps_plot_gp_string (out, value != NULL ? value : "");
  g_string_append_c (out, '\n');
}

/* "fixture · fixed_window 20 per 30 s · 6 workers · seed 42" */
static char *
run_title (const char     *run_dir,
           const PlotData *data)
{
  const RunInfo *info = &data->info;
  GString *title = g_string_new (NULL);

  if (info->scenario != NULL)
    g_string_append (title, info->scenario);
  else
    {
      g_autofree char *base = ps_plot_dir_name (run_dir);

      g_string_append (title, base);
    }
  if (info->window_us > 0)
    {
      g_autofree char *window = human_seconds ((double) info->window_us / 1e6);

      g_string_append_printf (title, " · %s %" G_GINT64_FORMAT " per %s",
                              info->algorithm != NULL ? info->algorithm : "quota",
                              info->quota_limit, window);
    }
  else if (info->parser != NULL && info->scenario != NULL)
    g_string_append (title, " · no quota");
  if (info->workers >= 0)
    g_string_append_printf (title, " · %" G_GINT64_FORMAT " workers",
                            info->workers);
  if (info->seed != NULL)
    g_string_append_printf (title, " · seed %s", info->seed);
  return g_string_free (title, FALSE);
}

/* The latency chart's x range, in whole decades: from where the earliest
 * curve reaches 1 % (below that, a flat foot 5 pixels high that can take
 * half of a log axis) to past the slowest request. */
static void
latency_range (const PlotData *data,
               double         *out_min,
               double         *out_max)
{
  int lo = LAT_N_BINS, hi = 0;

  for (guint p = 0; p < latency_series (data)->len; p++)
    {
      const PriorityStats *stats = g_ptr_array_index (latency_series (data), p);
      guint64 seen = 0, target;
      int bin;

      if (!ps_plot_has_completed (stats))
        continue;
      target = (stats->outcomes[PS_OUTCOME_COMPLETED] + 99) / 100;
      for (bin = stats->first_bin; (seen += stats->hist[bin]) < target; bin++)
        ;
      lo = MIN (lo, bin);
      hi = MAX (hi, stats->last_bin + 1);
    }
  if (lo > hi)
    lo = hi = 0;
  *out_min = pow (10.0, floor (log10 (ps_plot_bin_edge_s (lo)) + 1e-9));
  *out_max = pow (10.0, ceil (log10 (ps_plot_bin_edge_s (hi)) - 1e-9));
  if (*out_max <= *out_min)
    *out_max = *out_min * 10;
}

/* "priority 0: p50 9.67 s, p95 54.9 s, p99 70.5 s (19313 completed)" */
static char *
priority_title (const PlotData      *data,
                const PriorityStats *stats)
{
  g_autofree char *p50 = human_seconds (latency_quantile (data, stats, "p50", 0.50));
  g_autofree char *p95 = human_seconds (latency_quantile (data, stats, "p95", 0.95));
  g_autofree char *p99 = human_seconds (latency_quantile (data, stats, "p99", 0.99));

  g_autofree char *name = series_name (data, stats);

  return g_strdup_printf ("%s: p50 %s, p95 %s, p99 %s "
                          "(%" G_GUINT64_FORMAT " completed)", name,
                          p50, p95, p99, stats->outcomes[PS_OUTCOME_COMPLETED]);
}

/* The latency chart's legend titles and its survivor-bias footnote. */
static void
meta_latency (GString        *out,
              const PlotData *data)
{
  g_autoptr(GString) note = g_string_new ("The curves count completed requests "
                                          "only; those still pending at the end "
                                          "waited longer than the run shows.");
  g_autoptr(GString) titles = g_string_new (NULL);
  g_autoptr(GString) prios = g_string_new (NULL);
  guint n = 0, n_lines = 0;
  double xmin, xmax;

  GPtrArray *series = latency_series (data);

  for (guint p = 0; p < series->len; p++)
    {
      const PriorityStats *stats = g_ptr_array_index (series, p);
      g_autofree char *name = NULL;
      const guint64 *o;
      g_autofree char *title = NULL;

      if (stats == NULL)
        continue;
      o = stats->outcomes;
      name = series_name (data, stats);
      /* two curves a line, under the sentence */
      g_string_append_printf (note, "%s%s: %" G_GUINT64_FORMAT
                              " completed, %" G_GUINT64_FORMAT " still pending"
                              " (and %" G_GUINT64_FORMAT " rejected, %"
                              G_GUINT64_FORMAT " dropped)",
                              n_lines % 2 == 0 ? "\\n" : "     ·     ",
                              name, o[PS_OUTCOME_COMPLETED], o[PS_OUTCOME_PENDING],
                              o[PS_OUTCOME_REJECTED], o[PS_OUTCOME_DROPPED]);
      n_lines++;
      if (!ps_plot_has_completed (stats))
        continue;
      title = priority_title (data, stats);
      g_string_append_printf (prios, "%s%u", n ? ", " : "", p);
      g_string_append (titles, n ? ", " : "");
      ps_plot_gp_string (titles, title);
      n++;
    }
  g_string_append_printf (out, "latency_by = \"%s\"\nn_priorities = %u\n",
                          series_kind (data), n);
  if (n > 0)
    g_string_append_printf (out, "array priority[%u] = [%s]\n"
                            "array latency_title[%u] = [%s]\n",
                            n, prios->str, n, titles->str);
  latency_range (data, &xmin, &xmax);
  ps_plot_meta_number (out, "latency_xmin", xmin);
  ps_plot_meta_number (out, "latency_xmax", xmax);
  /* the note holds deliberate "\n" escapes: written raw, already safe */
  g_string_append_printf (out, "latency_note = \"%s\"\n"
                          "latency_note_lines = %u\n",
                          note->str, 1 + (n_lines + 1) / 2);
}

static void
meta_quota (GString        *out,
            const PlotData *data)
{
  g_autoptr(GString) titles = g_string_new (NULL);
  guint group = quota_group (data);

  for (guint i = 0; i < data->n_slots; i++)
    {
      const ClientRow *row = data->slots[i].client;
      char limit[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *title = g_strdup_printf ("%s (%s): %" G_GUINT64_FORMAT
                                                " × 429, limit %s",
                                                row->name, row->group, row->n429,
                                                ps_plot_fmt_double (limit,
                                                                    data->slots[i].limit));

      if (data->slots[i].from_window > 0)  /* followed only from there: say so */
        {
          g_autofree char *from = human_seconds ((double) data->slots[i].from_window
                                                 * (double) data->info.window_us / 1e6);
          char *with = g_strdup_printf ("%s, counted from %s", title, from);

          g_free (title);
          title = with;
        }
      g_string_append (titles, i ? ", " : "");
      ps_plot_gp_string (titles, title);
    }
  g_string_append_printf (out, "quota_n = %u\nquota_group = %u\n"
                          "quota_throttled = %d\n",
                          data->n_slots, group, data->quota_throttled);
  if (data->n_slots > 0)
    g_string_append_printf (out, "array quota_title[%u] = [%s]\n",
                            data->n_slots, titles->str);
}

/* plot-meta.gp: the run's facts as gnuplot variables, loaded by every
 * script.  Plain gnuplot, meant to be read. */
gboolean
ps_plot_write_meta (const char  *run_dir,
            PlotData    *data,
            GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *title = run_title (run_dir, data);
  g_autofree char *path = g_build_filename (run_dir, "plot-meta.gp", NULL);
  const RunInfo *info = &data->info;
  double bin_s = info->bin_s, duration_s = info->duration_s;
  double jain = isnan (info->jain) ? jain_of_served (data) : info->jain;
  GError *local_error = NULL;

  if (isnan (bin_s))
    bin_s = 1.0;                        /* the default bin (docs/design.md) */
  if (isnan (duration_s))
    duration_s = (double) data->last_bin_us / 1e6 + bin_s;
  g_string_append (out,
                   "# plot-meta.gp: facts about this run for plots/*.gp, "
                   "written by `poolsim plot`\n"
                   "# from summary.json and the CSV files beside it.\n");
  ps_plot_meta_text (out, "scenario", info->scenario);
  ps_plot_meta_text (out, "run_title", title);
  ps_plot_meta_text (out, "algorithm", info->algorithm);
  ps_plot_meta_number (out, "quota_limit", info->window_us > 0 ? info->quota_limit : NAN);
  ps_plot_meta_number (out, "window_s", (double) info->window_us / 1e6);
  ps_plot_meta_number (out, "workers", info->workers >= 0 ? info->workers : NAN);
  ps_plot_meta_number (out, "bin_s", bin_s);
  ps_plot_meta_number (out, "duration_s", duration_s);
  ps_plot_meta_number (out, "jain", jain);
  g_string_append_printf (out, "n_clients = %u\n", data->clients->len);
  g_string_append_printf (out, "has_requests = %d\n", data->has_requests);
  g_string_append_printf (out, "has_charts = %d\n", data->has_charts);
  if (data->has_requests || data->has_charts)
    {
      meta_latency (out, data);
      meta_quota (out, data);
    }
  if (!g_file_set_contents (path, out->str, out->len, &local_error))
    {
      g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_IO,
                   "plot-meta.gp: %s", local_error->message);
      g_error_free (local_error);
      return FALSE;
    }
  return TRUE;
}
