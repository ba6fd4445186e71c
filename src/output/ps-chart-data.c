/* ps-chart-data.c: charts.json, the chart tally of a run as text
 *
 * What `poolsim plot` reads instead of requests.csv (docs/charts.md,
 * "charts.json"): per priority and per group the outcome counts and the
 * latency histogram's exact extremes and its non-empty buckets as
 * [low_us, width_us, count];
 * per followed client its requests created and admitted per quota
 * window.  Its size grows with priorities, groups and windows only.
 */
#include "ps-chart-data.h"

#include "ps-json-writer.h"

/* @series' outcome counts, and @latency: its completed requests' latency
 * histogram, the one summary.json's percentiles come from. */
static void
write_series (PsJsonWriter *w, const PsChartSeries *series, const PsHistogram *latency)
{
  guint iter = 0;
  PsTime low, width;
  guint64 count;

  for (guint o = 0; o < PS_CHART_N_OUTCOMES; o++)
    ps_json_u64 (w, ps_outcome_to_string ((PsOutcome) o), series->outcomes[o]);
  ps_json_u64 (w, "latency_min_us", (guint64) ps_histogram_min (latency));
  ps_json_u64 (w, "latency_max_us", (guint64) ps_histogram_max (latency));
  ps_json_begin_array (w, "latency_us");
  while (ps_histogram_next_bucket (latency, &iter, &low, &width, &count))
    {
      guint64 bucket[3] = { (guint64) low, (guint64) width, count };

      ps_json_u64_row (w, NULL, bucket, 3);
    }
  ps_json_end_array (w);
}

static void
write_counts (PsJsonWriter *w, const char *key, GArray *counts)
{
  g_autofree guint64 *values = g_new (guint64, MAX (counts->len, 1));

  for (guint i = 0; i < counts->len; i++)
    values[i] = g_array_index (counts, guint32, i);
  ps_json_u64_row (w, key, values, counts->len);
}

static void
write_quota (PsJsonWriter *w, const PsRunSummary *s)
{
  const PsChartTally *tally = s->charts;

  ps_json_begin_object (w, "quota");
  ps_json_double (w, "window_s", (double) ps_chart_tally_window (tally) / 1e6, 6);
  ps_json_u64 (w, "max_clients", PS_CHART_TRACKED);
  ps_json_u64 (w, "max_windows", PS_CHART_MAX_WINDOWS);
  ps_json_bool (w, "overflow", ps_chart_tally_overflow (tally));
  ps_json_begin_array (w, "clients");
  for (guint i = 0; i < ps_chart_tally_n_clients (tally); i++)
    {
      const PsChartClient *c = ps_chart_tally_client (tally, i);

      ps_json_begin_object (w, NULL);
      ps_json_string (w, "client", s->chart_names[i]);
      ps_json_bool (w, "complete", c->complete);
      ps_json_u64 (w, "from_window", c->from_window);
      write_counts (w, "created", c->created);
      write_counts (w, "admitted", c->admitted);
      ps_json_end_object (w);
    }
  ps_json_end_array (w);
  ps_json_end_object (w);
}

/**
 * ps_chart_data_to_json:
 * @s: a summary whose charts are set
 *
 * Returns: (transfer full): charts.json's text.
 */
char *
ps_chart_data_to_json (const PsRunSummary *s)
{
  g_autoptr(PsJsonWriter) w = ps_json_writer_new ();
  const PsChartTally *tally = s->charts;

  g_return_val_if_fail (tally != NULL, NULL);
  ps_json_begin_object (w, NULL);
  ps_json_u64 (w, "version", 1);
  ps_json_begin_array (w, "by_priority");
  for (guint p = 0; p < ps_chart_tally_n_priorities (tally) && p < s->n_priorities; p++)
    {
      ps_json_begin_object (w, NULL);
      ps_json_u64 (w, "priority", p);
      write_series (w, ps_chart_tally_priority (tally, p), s->latency_by_priority[p]);
      ps_json_end_object (w);
    }
  ps_json_end_array (w);
  ps_json_begin_array (w, "by_group");
  for (guint g = 0; g < ps_chart_tally_n_groups (tally) && g < s->n_groups; g++)
    {
      ps_json_begin_object (w, NULL);
      ps_json_string (w, "group", s->groups[g].name);
      write_series (w, ps_chart_tally_group (tally, g), s->groups[g].latency);
      ps_json_end_object (w);
    }
  ps_json_end_array (w);
  if (ps_chart_tally_window (tally) > 0)
    write_quota (w, s);
  ps_json_end_object (w);
  return ps_json_writer_steal (w);
}
