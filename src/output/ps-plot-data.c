/* ps-plot-data.c: a run directory read once, into the charts' data
 *
 * clients.csv into one small record per client; requests.csv streamed
 * line by line into fixed-size accumulators (a log-binned latency
 * histogram and outcome counts per priority, per-window counts for at
 * most QUOTA_MAX_CLIENTS clients); then which charts can be drawn, and
 * the derived files written (ps-plot-files.c).
 */
#include "ps-plot-private.h"

#include <math.h>
#include <string.h>





void
ps_plot_data_free (PlotData *data)
{
  ps_plot_run_info_clear (&data->info);
  g_clear_pointer (&data->strings, g_string_chunk_free);
  g_clear_pointer (&data->clients, g_array_unref);
  g_clear_pointer (&data->priorities, g_ptr_array_unref);
  g_clear_pointer (&data->groups, g_ptr_array_unref);
  g_clear_pointer (&data->group_names, g_ptr_array_unref);
  g_clear_pointer (&data->client_group, g_hash_table_unref);
  for (guint i = 0; i < data->n_slots; i++)
    {
      g_clear_pointer (&data->slots[i].admitted, g_array_unref);
      g_clear_pointer (&data->slots[i].created, g_array_unref);
    }
  g_free (data);
}


/* timeseries.csv: checks the columns the script uses, counts the bins. */
static gboolean
read_timeseries (const char  *run_dir,
                 PlotData    *data,
                 GError     **error)
{
  static const char * const columns[] = {
    "t_s", "admitted", "rejected_429", "rejected_503", "dropped", "pool",
    "paused_clients", NULL,
  };
  int index[G_N_ELEMENTS (columns)];
  g_autoptr(PsCsvReader) csv = ps_csv_reader_open (run_dir, "timeseries.csv", error);
  GError *local_error = NULL;

  if (csv == NULL || !ps_csv_reader_columns (csv, columns, index, error))
    return FALSE;
  while (ps_csv_reader_next (csv, &local_error))
    {
      gboolean present;

      if (!ps_csv_reader_get_time (csv, index[0], &data->last_bin_us, &present,
                                error))
        return FALSE;
      data->n_bins++;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* clients.csv, whole, one ClientRow per client. */
static gboolean
read_clients (const char  *run_dir,
              PlotData    *data,
              GError     **error)
{
  static const char * const columns[] = {
    "client", "group", "generated", "completed", "rejected", "dropped",
    "n429", "n503", "ip", NULL,
  };
  int index[G_N_ELEMENTS (columns)];
  g_autoptr(PsCsvReader) csv = ps_csv_reader_open (run_dir, "clients.csv", error);
  GError *local_error = NULL;

  if (csv == NULL || !ps_csv_reader_columns (csv, columns, index, error))
    return FALSE;
  while (ps_csv_reader_next (csv, &local_error))
    {
      ClientRow row = { 0 };
      guint64 *counts[] = {
        &row.generated, &row.completed, &row.rejected, &row.dropped,
        &row.n429, &row.n503,
      };

      row.name = g_string_chunk_insert (data->strings, ps_csv_reader_get (csv, index[0]));
      row.group = g_string_chunk_insert_const (data->strings,
                                               ps_csv_reader_get (csv, index[1]));
      if (!ps_ipv4_parse (ps_csv_reader_get (csv, index[8]), &row.ip))
        row.ip = 0;
      if (!g_ptr_array_find_with_equal_func (data->group_names, row.group, g_str_equal,
                                             &row.group_index))
        {
          row.group_index = data->group_names->len;
          g_ptr_array_add (data->group_names, (gpointer) row.group);
        }
      if (data->client_group != NULL)          /* for the requests.csv pass */
        g_hash_table_insert (data->client_group, (gpointer) row.name,
                             GUINT_TO_POINTER (row.group_index + 1));
      for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
        if (!ps_csv_reader_get_u64 (csv, index[2 + i], counts[i], error))
          return FALSE;
      row.order = data->clients->len;
      g_array_append_val (data->clients, row);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* Most 429 responses first, then the busiest. */
int
ps_plot_compare_by_throttling (gconstpointer a,
                       gconstpointer b)
{
  const ClientRow *x = *(const ClientRow * const *) a;
  const ClientRow *y = *(const ClientRow * const *) b;

  if (x->n429 != y->n429)
    return x->n429 > y->n429 ? -1 : 1;
  if (x->generated != y->generated)
    return x->generated > y->generated ? -1 : 1;
  return x->order < y->order ? -1 : (x->order > y->order);
}

/* @row's own limit, in requests per window of the chart: its tier's (the
 * first override matching its group or address), else the default.  A
 * tier with another window is scaled to the chart's, its rate kept. */
double
ps_plot_own_limit (const RunInfo *info, const ClientRow *row)
{
  for (guint i = 0; info->tiers != NULL && i < info->tiers->len; i++)
    {
      const PlotTier *t = &g_array_index (info->tiers, PlotTier, i);

      if ((t->group != NULL && g_strcmp0 (t->group, row->group) == 0)
          || (t->has_cidr && row->ip != 0 && ps_cidr_contains (&t->cidr, row->ip)))
        {
          if (t->limit < 0 || t->window_us <= 0)
            break;
          return (double) t->limit * (double) info->window_us / (double) t->window_us;
        }
    }
  return (double) info->quota_limit;
}

/* Picks the quota chart's clients: up to QUOTA_MAX_CLIENTS of those that
 * got a 429, most first; when none did, the QUOTA_MAX_UNTHROTTLED busiest,
 * to show them under the limit (an O(n log n) sort of pointers; cheap next
 * to reading the CSVs). */
static void
pick_quota_clients (PlotData *data)
{
  g_autoptr(GPtrArray) order = g_ptr_array_sized_new (data->clients->len);
  guint max;

  for (guint i = 0; i < data->clients->len; i++)
    {
      ClientRow *row = &g_array_index (data->clients, ClientRow, i);

      if (row->generated > 0)
        g_ptr_array_add (order, row);
    }
  g_ptr_array_sort (order, ps_plot_compare_by_throttling);
  data->quota_throttled = order->len > 0
                          && ((ClientRow *) order->pdata[0])->n429 > 0;
  max = data->quota_throttled ? QUOTA_MAX_CLIENTS : QUOTA_MAX_UNTHROTTLED;
  for (guint i = 0; i < order->len && i < max; i++)
    {
      QuotaSlot *slot;

      if (data->quota_throttled
          && ((ClientRow *) order->pdata[i])->n429 == 0)
        break;
      slot = &data->slots[data->n_slots++];

      slot->client = g_ptr_array_index (order, i);
      slot->limit = ps_plot_own_limit (&data->info, slot->client);
      slot->admitted = g_array_new (FALSE, TRUE, sizeof (guint32));
      slot->created = g_array_new (FALSE, TRUE, sizeof (guint32));
    }
}

/* The histogram bin of a latency: bin b holds [10^(b/B), 10^((b+1)/B)) µs;
 * latencies under 1 µs go to bin 0. */
int
ps_plot_latency_bin (gint64 latency_us)
{
  int bin;

  if (latency_us <= 1)
    return 0;
  bin = (int) floor (log10 ((double) latency_us) * LAT_BINS_PER_DECADE);
  return CLAMP (bin, 0, LAT_N_BINS - 1);
}

/* The latency series @key of @series (a priority, or a group index). */
PriorityStats *
ps_plot_series_stats (GPtrArray *series,
              int        key)
{
  PriorityStats *stats;

  if ((guint) key >= series->len)
    g_ptr_array_set_size (series, key + 1);
  stats = g_ptr_array_index (series, key);
  if (stats == NULL)
    {
      stats = g_new0 (PriorityStats, 1);
      stats->priority = key;
      stats->first_bin = LAT_N_BINS;
      stats->last_bin = -1;
      series->pdata[key] = stats;
    }
  return stats;
}

/* @n completed requests whose latency is in the bucket [@low_us, @low_us +
 * @width_us) of a latency histogram whose exact extremes are @min_us and
 * @max_us.  They count at the bucket's middle, kept within the extremes
 * (as PsHistogram's quantiles do), so that a run whose latencies are all
 * 100 ms draws them at 100 ms, not 0.4 % below. */
void
ps_plot_count_latency (PriorityStats *stats,
                       gint64         low_us,
                       gint64         width_us,
                       guint64        n,
                       gint64         min_us,
                       gint64         max_us)
{
  gint64 value = CLAMP (low_us + (MAX (width_us, 1) - 1) / 2, min_us, max_us);
  int bin = ps_plot_latency_bin (MAX (value, 0));

  stats->hist[bin] += n;
  stats->first_bin = MIN (stats->first_bin, bin);
  stats->last_bin = MAX (stats->last_bin, bin);
}

/* One request's outcome, and its latency when it completed.  Latencies go
 * into a PsHistogram first, the run's own kind, which is all charts.json
 * keeps of them: both ways give the same charts (see bin_latencies()). */
static void
count_outcome (PriorityStats *stats,
               int            outcome,
               gboolean       has_latency,
               gint64         latency_us)
{
  stats->outcomes[outcome]++;
  if (outcome == PS_OUTCOME_COMPLETED && has_latency)
    {
      if (stats->latency == NULL)
        stats->latency = ps_histogram_new ();
      ps_histogram_add (stats->latency, latency_us);
    }
}

/* The latency histograms of @series into their chart bins. */
static void
bin_latencies (GPtrArray *series)
{
  for (guint i = 0; i < series->len; i++)
    {
      PriorityStats *stats = g_ptr_array_index (series, i);
      PsTime low, width;
      guint64 count;
      guint iter = 0;

      if (stats == NULL || stats->latency == NULL)
        continue;
      while (ps_histogram_next_bucket (stats->latency, &iter, &low, &width, &count))
        ps_plot_count_latency (stats, low, width, count, ps_histogram_min (stats->latency),
                               ps_histogram_max (stats->latency));
      g_clear_pointer (&stats->latency, ps_histogram_free);
    }
}

static void
priority_stats_free (gpointer data)
{
  PriorityStats *stats = data;

  if (stats != NULL)
    ps_histogram_free (stats->latency);
  g_free (stats);
}


/* The upper edge of bin @bin - 1, i.e. the lower edge of @bin, in seconds. */
double
ps_plot_bin_edge_s (int bin)
{
  return pow (10.0, (double) bin / LAT_BINS_PER_DECADE - 6.0);
}

/* Counts one event at @t_us into window slot @counts; FALSE when the run
 * has more windows than the quota chart will hold. */
static gboolean
count_window (GArray *counts,
              gint64  t_us,
              gint64  window_us)
{
  gint64 window = t_us / window_us;

  if (window >= QUOTA_MAX_WINDOWS)
    return FALSE;
  if ((guint) window >= counts->len)
    g_array_set_size (counts, window + 1);
  g_array_index (counts, guint32, window)++;
  return TRUE;
}

/* Which of the sampled clients is @name, or NULL.  At most 8: a scan. */
static QuotaSlot *
lookup_slot (PlotData   *data,
             const char *name)
{
  for (guint i = 0; i < data->n_slots; i++)
    if (strcmp (data->slots[i].client->name, name) == 0)
      return &data->slots[i];
  return NULL;
}

enum
{
  REQ_CLIENT,
  REQ_PRIORITY,
  REQ_CREATED,
  REQ_ADMITTED,
  REQ_COMPLETED,
  REQ_OUTCOME,
  N_REQ_COLUMNS,
};

static gboolean
account_request (PlotData         *data,
                 const PsCsvReader  *csv,
                 const int        *index,
                 GError          **error)
{
  const char *outcome_text = ps_csv_reader_get (csv, index[REQ_OUTCOME]);
  gint64 created_us, admitted_us, completed_us;
  gboolean created, admitted, completed;
  guint64 priority;
  PriorityStats *stats;
  QuotaSlot *slot;
  guint group;
  int outcome;

  if (!g_ascii_string_to_unsigned (ps_csv_reader_get (csv, index[REQ_PRIORITY]),
                                   10, 0, MAX_PRIORITY, &priority, NULL))
    return ps_csv_reader_bad_value (csv, index[REQ_PRIORITY], error);
  for (outcome = 0; outcome < PLOT_N_OUTCOMES; outcome++)
    if (strcmp (outcome_text, ps_outcome_to_string (outcome)) == 0)
      break;
  if (outcome == PLOT_N_OUTCOMES)
    return ps_csv_reader_bad_value (csv, index[REQ_OUTCOME], error);
  if (!ps_csv_reader_get_time (csv, index[REQ_CREATED], &created_us, &created, error)
      || !ps_csv_reader_get_time (csv, index[REQ_ADMITTED], &admitted_us, &admitted,
                               error)
      || !ps_csv_reader_get_time (csv, index[REQ_COMPLETED], &completed_us,
                               &completed, error))
    return FALSE;

  stats = ps_plot_series_stats (data->priorities, (int) priority);
  count_outcome (stats, outcome, created && completed, completed_us - created_us);
  group = GPOINTER_TO_UINT (g_hash_table_lookup (data->client_group,
                                                 ps_csv_reader_get (csv, index[REQ_CLIENT])));
  if (group > 0)
    count_outcome (ps_plot_series_stats (data->groups, (int) group - 1), outcome,
                   created && completed, completed_us - created_us);

  slot = data->info.window_us > 0
         ? lookup_slot (data, ps_csv_reader_get (csv, index[REQ_CLIENT])) : NULL;
  if (slot != NULL && !data->quota_overflow)
    {
      if ((admitted && !count_window (slot->admitted, admitted_us,
                                      data->info.window_us))
          || (created && !count_window (slot->created, created_us,
                                        data->info.window_us)))
        data->quota_overflow = TRUE;
    }
  return TRUE;
}

/* requests.csv, streamed: one pass, nothing kept per request. */
static gboolean
read_requests (const char  *run_dir,
               PlotData    *data,
               GError     **error)
{
  static const char * const columns[N_REQ_COLUMNS + 1] = {
    [REQ_CLIENT] = "client", [REQ_PRIORITY] = "priority",
    [REQ_CREATED] = "created_s", [REQ_ADMITTED] = "admitted_s",
    [REQ_COMPLETED] = "completed_s", [REQ_OUTCOME] = "outcome", NULL,
  };
  int index[N_REQ_COLUMNS];
  g_autoptr(PsCsvReader) csv = NULL;
  GError *local_error = NULL;

  csv = ps_csv_reader_open (run_dir, "requests.csv", error);
  if (csv == NULL || !ps_csv_reader_columns (csv, columns, index, error))
    return FALSE;
  while (ps_csv_reader_next (csv, &local_error))
    if (!account_request (data, csv, index, error))
      return FALSE;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  bin_latencies (data->priorities);
  bin_latencies (data->groups);
  return TRUE;
}


static gboolean
check_run_dir (const char  *run_dir,
               GError     **error)
{
  static const char * const needed[] = { "timeseries.csv", "clients.csv" };

  if (!g_file_test (run_dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_NOT_RUN_DIR,
                   "%s: no such directory", run_dir);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    {
      g_autofree char *path = g_build_filename (run_dir, needed[i], NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_NOT_RUN_DIR,
                       "%s: not a run directory (no %s)", run_dir, needed[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static void
skip (PlotData   *data,
      Chart       chart,
      GPtrArray  *notes,
      const char *why)
{
  data->drawable[chart] = FALSE;
  if (notes != NULL)
    g_ptr_array_add (notes, g_strdup_printf ("%s: skipped: %s",
                                             ps_plot_chart_names[chart], why));
}

/* Latency curves a series would draw: those with completed requests. */
static guint
count_curves (GPtrArray *series)
{
  guint n = 0;

  for (guint i = 0; i < series->len; i++)
    n += ps_plot_has_completed (g_ptr_array_index (series, i));
  return n;
}

/* Decides which charts can be drawn, with a note for each that cannot. */
static void
decide_charts (PlotData  *data,
               GPtrArray *notes)
{
  gboolean any_completed = FALSE;

  for (int c = 0; c < N_CHARTS; c++)
    data->drawable[c] = TRUE;
  /* a run without faults has no stability chart to miss: no note */
  data->drawable[CHART_STABILITY] = data->has_stability && data->n_bins > 0;
  if (data->n_bins == 0)
    skip (data, CHART_TIMESERIES, notes, "timeseries.csv has no rows");
  if (data->clients->len == 0)
    skip (data, CHART_CLIENTS, notes, "clients.csv has no rows");
  if (!data->has_requests && !data->has_charts)
    {
      skip (data, CHART_LATENCY_CDF, notes, "no requests.csv and no charts.json");
      skip (data, CHART_QUOTA, notes, "no requests.csv and no charts.json");
      return;
    }
  for (guint p = 0; p < data->priorities->len; p++)
    any_completed |= ps_plot_has_completed (g_ptr_array_index (data->priorities, p));
  data->latency_by_group = count_curves (data->priorities) <= 1
                           && count_curves (data->groups) > 1;
  if (!any_completed)
    skip (data, CHART_LATENCY_CDF, notes, "no request completed");
  if (data->info.window_us <= 0)
    skip (data, CHART_QUOTA, notes, "summary.json names no quota policy");
  else if (data->quota_overflow)
    {
      g_autofree char *why = g_strdup_printf ("more than %u quota windows to chart",
                                              data->quota_max_windows);

      skip (data, CHART_QUOTA, notes, why);
    }
  else if (data->n_slots == 0)
    skip (data, CHART_QUOTA, notes, "no client generated a request");
}


/* Drops what charts.json gave, to read requests.csv instead. */
static void
forget_tallied (PlotData *data)
{
  g_ptr_array_set_size (data->priorities, 0);
  g_ptr_array_set_size (data->groups, 0);
  for (guint i = 0; i < data->n_slots; i++)
    {
      g_clear_pointer (&data->slots[i].admitted, g_array_unref);
      g_clear_pointer (&data->slots[i].created, g_array_unref);
    }
  memset (data->slots, 0, sizeof data->slots);
  data->n_slots = 0;
  data->quota_overflow = FALSE;
  data->quota_throttled = FALSE;
  data->quota_max_windows = QUOTA_MAX_WINDOWS;
  if (data->client_group == NULL)
    {
      data->client_group = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < data->clients->len; i++)
        {
          const ClientRow *row = &g_array_index (data->clients, ClientRow, i);

          g_hash_table_insert (data->client_group, (gpointer) row->name,
                               GUINT_TO_POINTER (row->group_index + 1));
        }
    }
}

/* Reads the run directory and writes every derived file; the heart of
 * ps_plot_write_data() and ps_plot_draw_all().  Returns (transfer full). */
PlotData *
ps_plot_prepare (const char  *run_dir,
         GPtrArray   *notes,
         GError     **error)
{
  g_autoptr(PlotData) data = g_new0 (PlotData, 1);
  g_autofree char *requests = g_build_filename (run_dir, "requests.csv", NULL);
  g_autofree char *charts = g_build_filename (run_dir, "charts.json", NULL);
  g_autofree char *stability = g_build_filename (run_dir, "stability.csv", NULL);

  if (!check_run_dir (run_dir, error))
    return NULL;
  data->strings = g_string_chunk_new (4096);
  data->clients = g_array_new (FALSE, TRUE, sizeof (ClientRow));
  data->priorities = g_ptr_array_new_with_free_func (priority_stats_free);
  data->groups = g_ptr_array_new_with_free_func (priority_stats_free);
  data->group_names = g_ptr_array_new ();
  data->has_requests = g_file_test (requests, G_FILE_TEST_IS_REGULAR);
  data->has_charts = g_file_test (charts, G_FILE_TEST_IS_REGULAR);
  data->has_stability = g_file_test (stability, G_FILE_TEST_IS_REGULAR);
  if (!data->has_charts && data->has_requests)
    data->client_group = g_hash_table_new (g_str_hash, g_str_equal);
  ps_plot_read_summary (run_dir, &data->info, notes);
  if (!read_timeseries (run_dir, data, error)
      || !read_clients (run_dir, data, error))
    return NULL;
  data->quota_max_windows = QUOTA_MAX_WINDOWS;
  if (data->has_charts)
    {
      /* what the run tallied: no pass over requests.csv */
      if (!ps_plot_read_charts (run_dir, data, error))
        return NULL;
      if (data->quota_overflow && data->has_requests)
        {
          /* more windows than the run followed: requests.csv has them all */
          forget_tallied (data);
          data->has_charts = FALSE;
        }
    }
  if (!data->has_charts && data->has_requests)
    {
      if (data->info.window_us > 0)
        pick_quota_clients (data);
      if (!read_requests (run_dir, data, error))
        return NULL;
    }
  decide_charts (data, notes);
  if (!ps_plot_write_meta (run_dir, data, error)
      || (data->drawable[CHART_CLIENTS] && !ps_plot_write_clients (run_dir, data, error))
      || (data->drawable[CHART_LATENCY_CDF]
          && !ps_plot_write_latency (run_dir, data, error))
      || (data->drawable[CHART_QUOTA] && !ps_plot_write_quota (run_dir, data, error)))
    return NULL;
  return g_steal_pointer (&data);
}

/**
 * ps_plot_write_data:
 * @run_dir: a run directory (relative or absolute)
 * @notes: (nullable) (element-type utf8): receives one line per chart that
 *   the data rule out (say, no requests.csv), and per summary.json problem;
 *   the caller's array, with g_free() as its free function
 *
 * Writes the derived files the chart scripts read: plot-meta.gp and
 * plot-clients.csv, plot-latency.csv, plot-latency-marks.csv,
 * plot-quota.csv (each only when its chart can be drawn).  Streams
 * requests.csv once.
 *
 * Returns: FALSE with @error set (PS_PLOT_ERROR) when @run_dir is not a
 *   run directory, a CSV lacks a needed column or has a malformed row, or
 *   a file cannot be written.
 */
gboolean
ps_plot_write_data (const char  *run_dir,
                    GPtrArray   *notes,
                    GError     **error)
{
  g_autoptr(PlotData) data = NULL;

  g_return_val_if_fail (run_dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = ps_plot_prepare (run_dir, notes, error);
  return data != NULL;
}
