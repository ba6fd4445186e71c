/* ps-plot.c: derived plot data from a run directory, and gnuplot driving
 *
 * Two halves.  The first reads the run's files once each, streaming:
 * clients.csv into one small record per client (it must be sorted),
 * requests.csv line by line into fixed-size accumulators (a log-binned
 * latency histogram and outcome counts per priority, per-window counts for
 * at most QUOTA_MAX_CLIENTS clients), so memory grows with clients,
 * priorities and windows, never with requests.  It writes plot-meta.gp and
 * the plot-*.csv files that the plots/ scripts read.  The second half feeds each
 * embedded script to gnuplot on stdin, one process per chart and format,
 * into a temporary name renamed on success: a failed chart leaves nothing.
 *
 * Nothing written holds an absolute path, so a run directory stays
 * relocatable.  Times are parsed into integer microseconds (the CSVs print
 * 6 decimals), so window boundaries are exact.
 */
#include "ps-plot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ps-plot-resources.h"

#define LAT_BINS_PER_DECADE 100   /* CDF steps of 2.3 %: finer than a pixel */
#define LAT_DECADES         14    /* 1 µs .. 10^8 s */
#define LAT_N_BINS          (LAT_BINS_PER_DECADE * LAT_DECADES)
#define MAX_PRIORITY        1023
#define QUOTA_MAX_CLIENTS   8
#define QUOTA_MAX_UNTHROTTLED 4
#define QUOTA_MAX_BARS      120   /* bars per panel before windows are grouped */
#define QUOTA_MAX_WINDOWS   (1 << 20)
#define US_PER_S            G_GINT64_CONSTANT (1000000)

G_DEFINE_QUARK (ps-plot-error-quark, ps_plot_error)

typedef enum
{
  CHART_TIMESERIES,
  CHART_LATENCY_CDF,
  CHART_CLIENTS,
  CHART_QUOTA,
  N_CHARTS,
} Chart;

static const char * const chart_names[N_CHARTS + 1] = {
  "timeseries", "latency_cdf", "clients", "quota", NULL,
};

typedef enum
{
  OUTCOME_COMPLETED,
  OUTCOME_REJECTED,
  OUTCOME_DROPPED,
  OUTCOME_PENDING,
  N_OUTCOMES,
} Outcome;

static const char * const outcome_names[N_OUTCOMES] = {
  "completed", "rejected", "dropped", "pending",
};

/* ---------------------------------------------------------------------- */
/* CSV reading                                                            */
/* ---------------------------------------------------------------------- */

/* One CSV file read line by line; fields point into the line buffer and
 * live until the next csv_reader_next().  RFC 4180 quotes are understood,
 * on a single line (no field of ours holds a newline). */
typedef struct
{
  FILE      *file;
  char      *name;          /* for messages: the file's name in the run dir */
  char      *line;          /* getline()'s buffer */
  size_t     line_size;
  guint64    line_no;
  GPtrArray *fields;        /* (element-type char*) (transfer none) */
  GStrv      header;
  guint      n_columns;     /* of the header */
} CsvReader;

static void
csv_reader_free (CsvReader *csv)
{
  if (csv == NULL)
    return;
  if (csv->file != NULL)
    fclose (csv->file);
  g_free (csv->name);
  free (csv->line);                     /* getline() allocates with malloc */
  g_ptr_array_unref (csv->fields);
  g_strfreev (csv->header);
  g_free (csv);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsvReader, csv_reader_free)

/* Splits csv->line in place into csv->fields. */
static void
split_line (CsvReader *csv)
{
  char *p = csv->line;

  g_ptr_array_set_size (csv->fields, 0);
  p[strcspn (p, "\r\n")] = '\0';
  for (;;)
    {
      char *field = p;

      if (*p == '"')                    /* quoted: unescape "" in place */
        {
          char *out = p;

          for (p++; *p != '\0'; p++)
            {
              if (*p == '"' && p[1] == '"')
                *out++ = *p++;
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                *out++ = *p;
            }
          p += strcspn (p, ",");        /* anything after the closing quote */
          *out = '\0';
        }
      else
        p += strcspn (p, ",");
      g_ptr_array_add (csv->fields, field);
      if (*p != ',')
        break;
      *p++ = '\0';
    }
}

/* Reads the next non-empty line; FALSE at the end of the file. */
static gboolean
read_line (CsvReader *csv)
{
  for (;;)
    {
      if (getline (&csv->line, &csv->line_size, csv->file) < 0)
        return FALSE;
      csv->line_no++;
      if (csv->line[strspn (csv->line, "\r\n")] != '\0')
        return TRUE;
    }
}

static CsvReader *
csv_reader_open (const char  *run_dir,
                 const char  *name,
                 GError     **error)
{
  g_autoptr(CsvReader) csv = g_new0 (CsvReader, 1);
  g_autofree char *path = g_build_filename (run_dir, name, NULL);

  csv->name = g_strdup (name);
  csv->fields = g_ptr_array_new ();
  csv->file = g_fopen (path, "re");
  if (csv->file == NULL)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "%s: %s", name, g_strerror (saved));
      return NULL;
    }
  if (!read_line (csv))
    {
      g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA,
                   "%s: empty file, no header row", name);
      return NULL;
    }
  split_line (csv);
  g_ptr_array_add (csv->fields, NULL);
  csv->header = g_strdupv ((char **) csv->fields->pdata);
  csv->n_columns = g_strv_length (csv->header);
  return g_steal_pointer (&csv);
}

/* The index of column @column in the header, or -1 with @error set. */
static int
csv_reader_column (const CsvReader  *csv,
                   const char       *column,
                   GError          **error)
{
  for (int i = 0; csv->header[i] != NULL; i++)
    if (strcmp (csv->header[i], column) == 0)
      return i;
  g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA,
               "%s: no column \"%s\" in the header", csv->name, column);
  return -1;
}

/* Looks up every name of @columns (NULL-terminated) into @out_index. */
static gboolean
csv_reader_columns (const CsvReader   *csv,
                    const char * const *columns,
                    int               *out_index,
                    GError           **error)
{
  for (int i = 0; columns[i] != NULL; i++)
    if ((out_index[i] = csv_reader_column (csv, columns[i], error)) < 0)
      return FALSE;
  return TRUE;
}

/* Advances to the next row.  FALSE at the end, or with @error set when a
 * row is shorter than the header. */
static gboolean
csv_reader_next (CsvReader  *csv,
                 GError    **error)
{
  if (!read_line (csv))
    {
      if (ferror (csv->file))
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO,
                     "%s: read error", csv->name);
      return FALSE;
    }
  split_line (csv);
  if (csv->fields->len < csv->n_columns)
    {
      g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA,
                   "%s:%" G_GUINT64_FORMAT ": %u fields, the header has %u",
                   csv->name, csv->line_no, csv->fields->len, csv->n_columns);
      return FALSE;
    }
  return TRUE;
}

static const char *
csv_reader_get (const CsvReader *csv,
                int              index)
{
  return g_ptr_array_index (csv->fields, index);
}

static gboolean
bad_value (const CsvReader  *csv,
           int               index,
           GError          **error)
{
  g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA,
               "%s:%" G_GUINT64_FORMAT ": %s: bad value \"%s\"",
               csv->name, csv->line_no, csv->header[index],
               csv_reader_get (csv, index));
  return FALSE;
}

/* A non-negative integer field; an empty cell reads as 0. */
static gboolean
csv_reader_get_u64 (const CsvReader  *csv,
                    int               index,
                    guint64          *out_value,
                    GError          **error)
{
  const char *text = csv_reader_get (csv, index);

  *out_value = 0;
  if (*text == '\0')
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, out_value, NULL))
    return bad_value (csv, index, error);
  return TRUE;
}

/* A time in seconds ("12.345678") as microseconds, without passing through
 * a double.  *out_present is FALSE for an empty cell (it never happened). */
static gboolean
csv_reader_get_time (const CsvReader  *csv,
                     int               index,
                     gint64           *out_us,
                     gboolean         *out_present,
                     GError          **error)
{
  const char *p = csv_reader_get (csv, index);
  gint64 whole = 0, frac = 0;
  int digits = 0;

  *out_us = 0;
  *out_present = (*p != '\0');
  if (!*out_present)
    return TRUE;
  if (!g_ascii_isdigit (*p))
    return bad_value (csv, index, error);
  for (; g_ascii_isdigit (*p); p++)
    {
      if (whole > G_MAXINT64 / 10 / US_PER_S)
        return bad_value (csv, index, error);
      whole = whole * 10 + (*p - '0');
    }
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      if (digits++ < 6)
        frac = frac * 10 + (*p - '0');  /* past µs: truncated */
  if (*p != '\0')
    return bad_value (csv, index, error);
  for (; digits < 6; digits++)
    frac *= 10;
  *out_us = whole * US_PER_S + frac;
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* summary.json                                                           */
/* ---------------------------------------------------------------------- */

/* What the titles and scripts need from summary.json; unknown values are
 * NULL, -1 or NaN. */
typedef struct
{
  JsonParser *parser;
  char       *scenario;
  char       *seed;           /* as written, so any 64-bit seed survives */
  char       *algorithm;      /* NULL: no quota policy */
  gint64      quota_limit;
  gint64      window_us;      /* 0: no quota policy */
  gint64      workers;
  double      bin_s;
  double      duration_s;
  double      jain;
  JsonObject *by_priority;    /* (transfer none) latency_s.by_priority */
} RunInfo;

static void
run_info_clear (RunInfo *info)
{
  g_clear_object (&info->parser);
  g_clear_pointer (&info->scenario, g_free);
  g_clear_pointer (&info->seed, g_free);
  g_clear_pointer (&info->algorithm, g_free);
}

/* Follows a dotted path ("config.quota.0.limit"); numbers index arrays.
 * Returns (transfer none) (nullable) the node. */
static JsonNode *
json_lookup (JsonNode   *node,
             const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (int i = 0; parts[i] != NULL && node != NULL; i++)
    {
      guint64 index;

      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else if (JSON_NODE_HOLDS_ARRAY (node)
               && g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXUINT,
                                              &index, NULL)
               && index < json_array_get_length (json_node_get_array (node)))
        node = json_array_get_element (json_node_get_array (node), index);
      else
        node = NULL;
    }
  return node;
}

static double
json_lookup_double (JsonNode   *root,
                    const char *path)
{
  JsonNode *node = json_lookup (root, path);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NAN;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return (double) json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return json_node_get_double (node);
    default:
      return NAN;
    }
}

/* A scalar as text (strings as they are, numbers printed); NULL if absent. */
static char *
json_lookup_text (JsonNode   *root,
                  const char *path)
{
  JsonNode *node = json_lookup (root, path);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      return g_strdup_printf ("%g", json_node_get_double (node));
    default:
      return NULL;
    }
}

/* Reads summary.json into @info.  A missing or unreadable summary is not
 * an error (the charts only lose their titles' details): it adds a note. */
static void
read_summary (const char *run_dir,
              RunInfo    *info,
              GPtrArray  *notes)
{
  g_autofree char *path = g_build_filename (run_dir, "summary.json", NULL);
  g_autoptr(GError) local_error = NULL;
  JsonNode *root, *by_priority, *quota;
  double limit, window_s, workers;

  info->quota_limit = -1;
  info->workers = -1;
  info->bin_s = info->duration_s = info->jain = NAN;
  info->parser = json_parser_new ();
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (notes != NULL)
        g_ptr_array_add (notes, g_strdup ("no summary.json: titles lack the "
                                          "run's settings, no quota chart"));
      return;
    }
  if (!json_parser_load_from_file (info->parser, path, &local_error))
    {
      if (notes != NULL)
        g_ptr_array_add (notes,
                         g_strdup_printf ("summary.json unreadable (%s): titles "
                                          "lack the run's settings, no quota "
                                          "chart", local_error->message));
      return;
    }
  root = json_parser_get_root (info->parser);
  info->scenario = json_lookup_text (root, "scenario");
  info->seed = json_lookup_text (root, "seed");
  info->duration_s = json_lookup_double (root, "duration_s");
  info->bin_s = json_lookup_double (root, "config.bin_s");
  info->jain = json_lookup_double (root, "fairness.jain");
  workers = json_lookup_double (root, "config.workers");
  info->workers = isnan (workers) ? -1 : (gint64) workers;

  quota = json_lookup (root, "config.quota");
  if (quota != NULL && JSON_NODE_HOLDS_ARRAY (quota))
    quota = json_lookup (quota, "0");   /* the first policy is the headline */
  limit = quota != NULL ? json_lookup_double (quota, "limit") : NAN;
  window_s = quota != NULL ? json_lookup_double (quota, "window_s") : NAN;
  if (quota != NULL && !isnan (limit) && window_s > 0)
    {
      info->algorithm = json_lookup_text (quota, "algorithm");
      info->quota_limit = (gint64) limit;
      info->window_us = (gint64) llround (window_s * 1e6);
    }

  by_priority = json_lookup (root, "latency_s.by_priority");
  if (by_priority != NULL && JSON_NODE_HOLDS_OBJECT (by_priority))
    info->by_priority = json_node_get_object (by_priority);
}

/* ---------------------------------------------------------------------- */
/* Accumulating                                                           */
/* ---------------------------------------------------------------------- */

typedef struct
{
  const char *name;           /* in PlotData.strings */
  const char *group;
  guint64     generated;
  guint64     completed;
  guint64     rejected;
  guint64     dropped;
  guint64     n429;
  guint64     n503;
  guint       order;          /* row in clients.csv, the last tie-breaker */
} ClientRow;

typedef struct
{
  int      priority;
  guint64  outcomes[N_OUTCOMES];
  guint64  hist[LAT_N_BINS];  /* completed requests by log-latency bin */
  int      first_bin;
  int      last_bin;
} PriorityStats;

/* Per-window counts of one sampled client, for the quota chart. */
typedef struct
{
  const ClientRow *client;
  GArray          *admitted;  /* (element-type guint32) by window index */
  GArray          *created;
} QuotaSlot;

typedef struct
{
  RunInfo        info;
  GStringChunk  *strings;
  GArray        *clients;     /* (element-type ClientRow) in file order */
  GPtrArray     *priorities;  /* (element-type PriorityStats) indexed by priority, sparse */
  QuotaSlot      slots[QUOTA_MAX_CLIENTS];
  guint          n_slots;
  gboolean       quota_throttled; /* the slots got a 429; else the busiest */
  gboolean       quota_overflow;
  guint64        n_bins;      /* rows of timeseries.csv */
  gint64         last_bin_us;
  gboolean       has_requests;
  gboolean       drawable[N_CHARTS];
} PlotData;

static void
plot_data_free (PlotData *data)
{
  run_info_clear (&data->info);
  g_clear_pointer (&data->strings, g_string_chunk_free);
  g_clear_pointer (&data->clients, g_array_unref);
  g_clear_pointer (&data->priorities, g_ptr_array_unref);
  for (guint i = 0; i < data->n_slots; i++)
    {
      g_clear_pointer (&data->slots[i].admitted, g_array_unref);
      g_clear_pointer (&data->slots[i].created, g_array_unref);
    }
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlotData, plot_data_free)

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
  g_autoptr(CsvReader) csv = csv_reader_open (run_dir, "timeseries.csv", error);
  GError *local_error = NULL;

  if (csv == NULL || !csv_reader_columns (csv, columns, index, error))
    return FALSE;
  while (csv_reader_next (csv, &local_error))
    {
      gboolean present;

      if (!csv_reader_get_time (csv, index[0], &data->last_bin_us, &present,
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
    "n429", "n503", NULL,
  };
  int index[G_N_ELEMENTS (columns)];
  g_autoptr(CsvReader) csv = csv_reader_open (run_dir, "clients.csv", error);
  GError *local_error = NULL;

  if (csv == NULL || !csv_reader_columns (csv, columns, index, error))
    return FALSE;
  while (csv_reader_next (csv, &local_error))
    {
      ClientRow row = { 0 };
      guint64 *counts[] = {
        &row.generated, &row.completed, &row.rejected, &row.dropped,
        &row.n429, &row.n503,
      };

      row.name = g_string_chunk_insert (data->strings, csv_reader_get (csv, index[0]));
      row.group = g_string_chunk_insert_const (data->strings,
                                               csv_reader_get (csv, index[1]));
      for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
        if (!csv_reader_get_u64 (csv, index[2 + i], counts[i], error))
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

/* Most completed first: the shape of the distribution reads left to right. */
static int
compare_by_completed (gconstpointer a,
                      gconstpointer b)
{
  const ClientRow *x = a, *y = b;

  if (x->completed != y->completed)
    return x->completed > y->completed ? -1 : 1;
  if (x->generated != y->generated)
    return x->generated > y->generated ? -1 : 1;
  return x->order < y->order ? -1 : (x->order > y->order);
}

/* Most 429 responses first, then the busiest. */
static int
compare_by_throttling (gconstpointer a,
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
  g_ptr_array_sort (order, compare_by_throttling);
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
      slot->admitted = g_array_new (FALSE, TRUE, sizeof (guint32));
      slot->created = g_array_new (FALSE, TRUE, sizeof (guint32));
    }
}

static PriorityStats *
priority_stats (PlotData *data,
                int       priority)
{
  PriorityStats *stats;

  if ((guint) priority >= data->priorities->len)
    g_ptr_array_set_size (data->priorities, priority + 1);
  stats = g_ptr_array_index (data->priorities, priority);
  if (stats == NULL)
    {
      stats = g_new0 (PriorityStats, 1);
      stats->priority = priority;
      stats->first_bin = LAT_N_BINS;
      stats->last_bin = -1;
      data->priorities->pdata[priority] = stats;
    }
  return stats;
}

/* The histogram bin of a latency: bin b holds [10^(b/B), 10^((b+1)/B)) µs;
 * latencies under 1 µs go to bin 0. */
static int
latency_bin (gint64 latency_us)
{
  int bin;

  if (latency_us <= 1)
    return 0;
  bin = (int) floor (log10 ((double) latency_us) * LAT_BINS_PER_DECADE);
  return CLAMP (bin, 0, LAT_N_BINS - 1);
}

/* The upper edge of bin @bin - 1, i.e. the lower edge of @bin, in seconds. */
static double
bin_edge_s (int bin)
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
                 const CsvReader  *csv,
                 const int        *index,
                 GError          **error)
{
  const char *outcome_text = csv_reader_get (csv, index[REQ_OUTCOME]);
  gint64 created_us, admitted_us, completed_us;
  gboolean created, admitted, completed;
  guint64 priority;
  PriorityStats *stats;
  QuotaSlot *slot;
  int outcome;

  if (!g_ascii_string_to_unsigned (csv_reader_get (csv, index[REQ_PRIORITY]),
                                   10, 0, MAX_PRIORITY, &priority, NULL))
    return bad_value (csv, index[REQ_PRIORITY], error);
  for (outcome = 0; outcome < N_OUTCOMES; outcome++)
    if (strcmp (outcome_text, outcome_names[outcome]) == 0)
      break;
  if (outcome == N_OUTCOMES)
    return bad_value (csv, index[REQ_OUTCOME], error);
  if (!csv_reader_get_time (csv, index[REQ_CREATED], &created_us, &created, error)
      || !csv_reader_get_time (csv, index[REQ_ADMITTED], &admitted_us, &admitted,
                               error)
      || !csv_reader_get_time (csv, index[REQ_COMPLETED], &completed_us,
                               &completed, error))
    return FALSE;

  stats = priority_stats (data, (int) priority);
  stats->outcomes[outcome]++;
  if (outcome == OUTCOME_COMPLETED && created && completed)
    {
      int bin = latency_bin (MAX (completed_us - created_us, 0));

      stats->hist[bin]++;
      stats->first_bin = MIN (stats->first_bin, bin);
      stats->last_bin = MAX (stats->last_bin, bin);
    }

  slot = data->info.window_us > 0
         ? lookup_slot (data, csv_reader_get (csv, index[REQ_CLIENT])) : NULL;
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
  g_autoptr(CsvReader) csv = NULL;
  GError *local_error = NULL;

  csv = csv_reader_open (run_dir, "requests.csv", error);
  if (csv == NULL || !csv_reader_columns (csv, columns, index, error))
    return FALSE;
  while (csv_reader_next (csv, &local_error))
    if (!account_request (data, csv, index, error))
      return FALSE;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Writing the derived files                                              */
/* ---------------------------------------------------------------------- */

/* A text file written under a temporary name and renamed when complete. */
typedef struct
{
  FILE *file;
  char *path;
  char *tmp_path;
} OutFile;

static gboolean
out_file_open (OutFile     *out,
               const char  *run_dir,
               const char  *name,
               GError     **error)
{
  out->path = g_build_filename (run_dir, name, NULL);
  out->tmp_path = g_strdup_printf ("%s.%d.tmp", out->path, (int) getpid ());
  out->file = g_fopen (out->tmp_path, "we");
  if (out->file == NULL)
    {
      int saved = errno;

      g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_IO,
                   "%s: cannot write: %s", name, g_strerror (saved));
      g_clear_pointer (&out->path, g_free);
      g_clear_pointer (&out->tmp_path, g_free);
      return FALSE;
    }
  return TRUE;
}

/* Closes @out and renames it into place; on any failure removes it. */
static gboolean
out_file_close (OutFile  *out,
                GError  **error)
{
  gboolean ok = !ferror (out->file);

  ok = (fclose (out->file) == 0) && ok;
  if (ok && g_rename (out->tmp_path, out->path) != 0)
    ok = FALSE;
  if (!ok)
    {
      int saved = errno;
      g_autofree char *name = g_path_get_basename (out->path);

      g_unlink (out->tmp_path);
      g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_IO,
                   "%s: cannot write: %s", name, g_strerror (saved));
    }
  g_clear_pointer (&out->path, g_free);
  g_clear_pointer (&out->tmp_path, g_free);
  return ok;
}

/* Appends @text as a CSV field, quoted when it must be. */
static void
csv_field (FILE       *file,
           const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      fputs (text, file);
      return;
    }
  fputc ('"', file);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        fputc ('"', file);
      fputc (*p, file);
    }
  fputc ('"', file);
}

/* A double for gnuplot or CSV, locale-proof; NaN for unknown. */
static const char *
fmt_double (char   *buf,
            double  value)
{
  if (isnan (value) || isinf (value))
    return "NaN";
  return g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.6g", value);
}

/* Appends @text as a gnuplot double-quoted string; control characters
 * become spaces, so a scenario name cannot break the file. */
static void
gp_string (GString    *out,
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

static gboolean
has_completed (const PriorityStats *stats)
{
  return stats != NULL && stats->last_bin >= 0;
}

/* The latency at quantile @q: summary.json's value when it has one (exact),
 * else the upper edge of the histogram bin where the CDF reaches @q. */
static double
latency_quantile (const PlotData      *data,
                  const PriorityStats *stats,
                  const char          *name,
                  double               q)
{
  guint64 n = stats->outcomes[OUTCOME_COMPLETED], seen = 0;
  guint64 target = (guint64) ceil (q * (double) n);

  if (data->info.by_priority != NULL)
    {
      g_autofree char *key = g_strdup_printf ("%d", stats->priority);
      JsonNode *member = json_object_get_member (data->info.by_priority, key);
      double value = member != NULL ? json_lookup_double (member, name) : NAN;

      if (!isnan (value))
        return MAX (value, 1e-6);       /* a log axis has no 0 */
    }
  for (int bin = stats->first_bin; bin <= stats->last_bin; bin++)
    if ((seen += stats->hist[bin]) >= MAX (target, 1))
      return bin_edge_s (bin + 1);
  return bin_edge_s (stats->last_bin + 1);
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
static gboolean
write_latency (const char  *run_dir,
               PlotData    *data,
               GError     **error)
{
  OutFile out = { 0 };
  int lo = LAT_N_BINS, hi = -1;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint p = 0; p < data->priorities->len; p++)
    {
      PriorityStats *stats = g_ptr_array_index (data->priorities, p);

      if (has_completed (stats))
        {
          lo = MIN (lo, stats->first_bin);
          hi = MAX (hi, stats->last_bin);
        }
    }
  if (!out_file_open (&out, run_dir, "plot-latency.csv", error))
    return FALSE;
  fputs ("latency_s", out.file);
  for (guint p = 0; p < data->priorities->len; p++)
    if (has_completed (g_ptr_array_index (data->priorities, p)))
      fprintf (out.file, ",priority_%u", p);
  fputc ('\n', out.file);
  {
    g_autofree guint64 *cumulative = g_new0 (guint64, data->priorities->len);

    for (int bin = lo - 1; bin <= hi; bin++)
      {
        fputs (fmt_double (buf, bin_edge_s (bin + 1)), out.file);
        for (guint p = 0; p < data->priorities->len; p++)
          {
            PriorityStats *stats = g_ptr_array_index (data->priorities, p);

            if (!has_completed (stats))
              continue;
            fputc (',', out.file);
            if (bin >= 0 && bin <= stats->last_bin)
              cumulative[p] += stats->hist[bin];
            if (bin >= stats->first_bin - 1 && bin <= stats->last_bin)
              fprintf (out.file, "%.6f", (double) cumulative[p]
                       / (double) stats->outcomes[OUTCOME_COMPLETED]);
          }
        fputc ('\n', out.file);
      }
  }
  if (!out_file_close (&out, error)
      || !out_file_open (&out, run_dir, "plot-latency-marks.csv", error))
    return FALSE;
  fputs ("priority,quantile,latency_s\n", out.file);
  for (guint p = 0; p < data->priorities->len; p++)
    {
      PriorityStats *stats = g_ptr_array_index (data->priorities, p);

      if (!has_completed (stats))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (quantiles); i++)
        fprintf (out.file, "%u,%.2f,%s\n", p, quantiles[i].q,
                 fmt_double (buf, latency_quantile (data, stats,
                                                    quantiles[i].name,
                                                    quantiles[i].q)));
    }
  return out_file_close (&out, error);
}

/* plot-clients.csv: clients.csv sorted, most completed first, with rank. */
static gboolean
write_clients (const char  *run_dir,
               PlotData    *data,
               GError     **error)
{
  g_autoptr(GArray) sorted = g_array_copy (data->clients);
  OutFile out = { 0 };

  g_array_sort (sorted, compare_by_completed);
  if (!out_file_open (&out, run_dir, "plot-clients.csv", error))
    return FALSE;
  fputs ("rank,client,group,generated,completed,rejected,dropped,pending,"
         "n429,n503\n", out.file);
  for (guint i = 0; i < sorted->len; i++)
    {
      const ClientRow *row = &g_array_index (sorted, ClientRow, i);
      guint64 ended = row->completed + row->rejected + row->dropped;

      fprintf (out.file, "%u,", i);
      csv_field (out.file, row->name);
      fputc (',', out.file);
      csv_field (out.file, row->group);
      fprintf (out.file, ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
               ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
               ",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
               ",%" G_GUINT64_FORMAT "\n",
               row->generated, row->completed, row->rejected, row->dropped,
               row->generated > ended ? row->generated - ended : 0,
               row->n429, row->n503);
    }
  return out_file_close (&out, error);
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
static gboolean
write_quota (const char  *run_dir,
             PlotData    *data,
             GError     **error)
{
  guint group = quota_group (data);
  guint n_windows = quota_n_windows (data);
  OutFile out = { 0 };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!out_file_open (&out, run_dir, "plot-quota.csv", error))
    return FALSE;
  fputs ("slot,client,window,window_start_s,admitted,created\n", out.file);
  for (guint i = 0; i < data->n_slots; i++)
    for (guint w = 0; w < n_windows; w += group)
      {
        double start_s = (double) w * (double) data->info.window_us / 1e6;

        fprintf (out.file, "%u,", i + 1);
        csv_field (out.file, data->slots[i].client->name);
        fprintf (out.file, ",%u,%s,%u,%u\n", w, fmt_double (buf, start_s),
                 window_max (data->slots[i].admitted, w, group),
                 window_max (data->slots[i].created, w, group));
      }
  return out_file_close (&out, error);
}

static double
jain_of_completed (const PlotData *data)
{
  double sum = 0, sum_sq = 0;

  for (guint i = 0; i < data->clients->len; i++)
    {
      double x = (double) g_array_index (data->clients, ClientRow, i).completed;

      sum += x;
      sum_sq += x * x;
    }
  if (sum_sq == 0)
    return NAN;
  return sum * sum / ((double) data->clients->len * sum_sq);
}

static void
meta_number (GString    *out,
             const char *name,
             double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, "%s = %s\n", name, fmt_double (buf, value));
}

static void
meta_text (GString    *out,
           const char *name,
           const char *value)
{
  g_string_append_printf (out, "%s = ", name);
  gp_string (out, value != NULL ? value : "");
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
      g_autofree char *abs = g_canonicalize_filename (run_dir, NULL);
      g_autofree char *base = g_path_get_basename (abs);

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

  for (guint p = 0; p < data->priorities->len; p++)
    {
      const PriorityStats *stats = g_ptr_array_index (data->priorities, p);
      guint64 seen = 0, target;
      int bin;

      if (!has_completed (stats))
        continue;
      target = (stats->outcomes[OUTCOME_COMPLETED] + 99) / 100;
      for (bin = stats->first_bin; (seen += stats->hist[bin]) < target; bin++)
        ;
      lo = MIN (lo, bin);
      hi = MAX (hi, stats->last_bin + 1);
    }
  if (lo > hi)
    lo = hi = 0;
  *out_min = pow (10.0, floor (log10 (bin_edge_s (lo)) + 1e-9));
  *out_max = pow (10.0, ceil (log10 (bin_edge_s (hi)) - 1e-9));
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

  return g_strdup_printf ("priority %d: p50 %s, p95 %s, p99 %s "
                          "(%" G_GUINT64_FORMAT " completed)", stats->priority,
                          p50, p95, p99, stats->outcomes[OUTCOME_COMPLETED]);
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

  for (guint p = 0; p < data->priorities->len; p++)
    {
      const PriorityStats *stats = g_ptr_array_index (data->priorities, p);
      const guint64 *o;
      g_autofree char *title = NULL;

      if (stats == NULL)
        continue;
      o = stats->outcomes;
      /* two priorities a line, under the sentence */
      g_string_append_printf (note, "%spriority %u: %" G_GUINT64_FORMAT
                              " completed, %" G_GUINT64_FORMAT " still pending"
                              " (and %" G_GUINT64_FORMAT " rejected, %"
                              G_GUINT64_FORMAT " dropped)",
                              n_lines % 2 == 0 ? "\\n" : "     ·     ",
                              p, o[OUTCOME_COMPLETED], o[OUTCOME_PENDING],
                              o[OUTCOME_REJECTED], o[OUTCOME_DROPPED]);
      n_lines++;
      if (!has_completed (stats))
        continue;
      title = priority_title (data, stats);
      g_string_append_printf (prios, "%s%u", n ? ", " : "", p);
      g_string_append (titles, n ? ", " : "");
      gp_string (titles, title);
      n++;
    }
  g_string_append_printf (out, "n_priorities = %u\n", n);
  if (n > 0)
    g_string_append_printf (out, "array priority[%u] = [%s]\n"
                            "array latency_title[%u] = [%s]\n",
                            n, prios->str, n, titles->str);
  latency_range (data, &xmin, &xmax);
  meta_number (out, "latency_xmin", xmin);
  meta_number (out, "latency_xmax", xmax);
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
      g_autofree char *title = g_strdup_printf ("%s (%s): %" G_GUINT64_FORMAT
                                                " × 429",
                                                row->name, row->group, row->n429);

      g_string_append (titles, i ? ", " : "");
      gp_string (titles, title);
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
static gboolean
write_meta (const char  *run_dir,
            PlotData    *data,
            GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *title = run_title (run_dir, data);
  g_autofree char *path = g_build_filename (run_dir, "plot-meta.gp", NULL);
  const RunInfo *info = &data->info;
  double bin_s = info->bin_s, duration_s = info->duration_s;
  double jain = isnan (info->jain) ? jain_of_completed (data) : info->jain;
  GError *local_error = NULL;

  if (isnan (bin_s))
    bin_s = 1.0;                        /* the default bin (docs/design.md) */
  if (isnan (duration_s))
    duration_s = (double) data->last_bin_us / 1e6 + bin_s;
  g_string_append (out,
                   "# plot-meta.gp: facts about this run for plots/*.gp, "
                   "written by `poolsim plot`\n"
                   "# from summary.json and the CSV files beside it.\n");
  meta_text (out, "scenario", info->scenario);
  meta_text (out, "run_title", title);
  meta_text (out, "algorithm", info->algorithm);
  meta_number (out, "quota_limit", info->window_us > 0 ? info->quota_limit : NAN);
  meta_number (out, "window_s", (double) info->window_us / 1e6);
  meta_number (out, "workers", info->workers >= 0 ? info->workers : NAN);
  meta_number (out, "bin_s", bin_s);
  meta_number (out, "duration_s", duration_s);
  meta_number (out, "jain", jain);
  g_string_append_printf (out, "n_clients = %u\n", data->clients->len);
  g_string_append_printf (out, "has_requests = %d\n", data->has_requests);
  if (data->has_requests)
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

/* ---------------------------------------------------------------------- */
/* Preparing a run directory                                              */
/* ---------------------------------------------------------------------- */

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
                                             chart_names[chart], why));
}

/* Decides which charts can be drawn, with a note for each that cannot. */
static void
decide_charts (PlotData  *data,
               GPtrArray *notes)
{
  gboolean any_completed = FALSE;

  for (int c = 0; c < N_CHARTS; c++)
    data->drawable[c] = TRUE;
  if (data->n_bins == 0)
    skip (data, CHART_TIMESERIES, notes, "timeseries.csv has no rows");
  if (data->clients->len == 0)
    skip (data, CHART_CLIENTS, notes, "clients.csv has no rows");
  if (!data->has_requests)
    {
      skip (data, CHART_LATENCY_CDF, notes,
            "no requests.csv (the scenario set output.requests to false)");
      skip (data, CHART_QUOTA, notes,
            "no requests.csv (the scenario set output.requests to false)");
      return;
    }
  for (guint p = 0; p < data->priorities->len; p++)
    any_completed |= has_completed (g_ptr_array_index (data->priorities, p));
  if (!any_completed)
    skip (data, CHART_LATENCY_CDF, notes, "no request completed");
  if (data->info.window_us <= 0)
    skip (data, CHART_QUOTA, notes, "summary.json names no quota policy");
  else if (data->quota_overflow)
    skip (data, CHART_QUOTA, notes, "more than 2^20 quota windows to chart");
  else if (data->n_slots == 0)
    skip (data, CHART_QUOTA, notes, "no client generated a request");
}

/* Reads the run directory and writes every derived file; the heart of
 * ps_plot_write_data() and ps_plot_draw_all().  Returns (transfer full). */
static PlotData *
prepare (const char  *run_dir,
         GPtrArray   *notes,
         GError     **error)
{
  g_autoptr(PlotData) data = g_new0 (PlotData, 1);
  g_autofree char *requests = g_build_filename (run_dir, "requests.csv", NULL);

  if (!check_run_dir (run_dir, error))
    return NULL;
  data->strings = g_string_chunk_new (4096);
  data->clients = g_array_new (FALSE, TRUE, sizeof (ClientRow));
  data->priorities = g_ptr_array_new_with_free_func (g_free);
  read_summary (run_dir, &data->info, notes);
  if (!read_timeseries (run_dir, data, error)
      || !read_clients (run_dir, data, error))
    return NULL;
  data->has_requests = g_file_test (requests, G_FILE_TEST_IS_REGULAR);
  if (data->has_requests)
    {
      if (data->info.window_us > 0)
        pick_quota_clients (data);
      if (!read_requests (run_dir, data, error))
        return NULL;
    }
  decide_charts (data, notes);
  if (!write_meta (run_dir, data, error)
      || (data->drawable[CHART_CLIENTS] && !write_clients (run_dir, data, error))
      || (data->drawable[CHART_LATENCY_CDF]
          && !write_latency (run_dir, data, error))
      || (data->drawable[CHART_QUOTA] && !write_quota (run_dir, data, error)))
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

  data = prepare (run_dir, notes, error);
  return data != NULL;
}

/* ---------------------------------------------------------------------- */
/* Running gnuplot                                                        */
/* ---------------------------------------------------------------------- */

/**
 * ps_plot_get_chart_names:
 *
 * Returns: (transfer none): "timeseries", "latency_cdf", "clients",
 *   "quota", NULL-terminated; also the names of the scripts and images.
 */
const char * const *
ps_plot_get_chart_names (void)
{
  return chart_names;
}

/**
 * ps_plot_dup_script:
 * @chart: a name from ps_plot_get_chart_names()
 *
 * Returns: (transfer full) (nullable): the text of plots/@chart.gp as
 *   compiled into poolsim, or NULL for an unknown chart.
 */
GBytes *
ps_plot_dup_script (const char *chart)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (chart != NULL, NULL);

  path = g_strdup_printf ("/org/poolsim/plots/%s.gp", chart);
  return g_resource_lookup_data (ps_plot_scripts_get_resource (), path,
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

/**
 * ps_plot_format_from_string:
 * @name: "png", "svg" or "both"
 * @out_format: (out): the format
 *
 * Returns: FALSE for any other name.
 */
gboolean
ps_plot_format_from_string (const char   *name,
                            PsPlotFormat *out_format)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (out_format != NULL, FALSE);

  if (g_ascii_strcasecmp (name, "png") == 0)
    *out_format = PS_PLOT_PNG;
  else if (g_ascii_strcasecmp (name, "svg") == 0)
    *out_format = PS_PLOT_SVG;
  else if (g_ascii_strcasecmp (name, "both") == 0)
    *out_format = PS_PLOT_BOTH;
  else
    return FALSE;
  return TRUE;
}

/* Appends a gnuplot single-quoted string: only ' needs escaping, as ''. */
static void
gp_single_quoted (GString    *out,
                  const char *text)
{
  g_string_append_c (out, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append_c (out, '\'');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

static gboolean
is_caret_line (const char *line)
{
  return strchr (line, '^') != NULL && line[strspn (line, " \t^")] == '\0';
}

/* gnuplot's stderr as one message: valid UTF-8, blank lines dropped,
 * naming @script_name where it says "/dev/stdin".  gnuplot reports a
 * syntax error as the command, a caret under the fault, then
 * "FILE line N: what"; that last line comes first here, so the message
 * starts with what went wrong, and the two others keep their alignment. */
static char *
stderr_text (GBytes     *bytes,
             const char *script_name)
{
  gsize size = 0;
  const char *raw = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;
  g_autofree char *text = raw != NULL ? g_utf8_make_valid (raw, size)
                                      : g_strdup ("");
  g_auto(GStrv) parts = g_strsplit (text, "\"/dev/stdin\"", -1);
  g_autofree char *named = g_strjoinv (script_name, parts);
  g_auto(GStrv) lines = g_strsplit (named, "\n", -1);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strchomp (lines[i]) != '\0')
      g_ptr_array_add (kept, lines[i]);
  if (kept->len >= 3 && is_caret_line (kept->pdata[kept->len - 2]))
    {
      gpointer last = g_ptr_array_steal_index (kept, kept->len - 1);

      g_ptr_array_insert (kept, kept->len - 2, last);
    }
  g_ptr_array_add (kept, NULL);
  return g_strjoinv ("\n", (char **) kept->pdata);
}

/* Runs gnuplot on @script with dir, fmt and outfile set; TRUE when it
 * exited 0.  *out_stderr receives what it said (possibly "").  @error is
 * set only when gnuplot could not be run at all. */
static gboolean
run_gnuplot (const char  *gnuplot,
             GBytes      *script,
             const char  *script_name,
             const char  *run_dir,
             const char  *fmt,
             const char  *outfile,
             char       **out_stderr,
             GError     **error)
{
  g_autoptr(GString) vars = g_string_new ("dir=");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) err_bytes = NULL;

  gp_single_quoted (vars, run_dir);
  g_string_append_printf (vars, "; fmt='%s'; outfile=", fmt);
  gp_single_quoted (vars, outfile);
  /* The script comes on stdin but is load-ed, not read as interactive
   * input ("-"), which cannot parse a { } block holding continued lines,
   * and goes on after an error; a load stops at the first one, with its
   * line number.  -d: no ~/.gnuplot, which could change our charts. */
  g_string_append (vars, "; load '/dev/stdin'");
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                              | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                              | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              error, gnuplot, "-d", "-e", vars->str, NULL);
  if (process == NULL
      || !g_subprocess_communicate (process, script, NULL, NULL, &err_bytes,
                                    error))
    return FALSE;
  *out_stderr = stderr_text (err_bytes, script_name);
  return g_subprocess_get_if_exited (process)
         && g_subprocess_get_exit_status (process) == 0;
}

/* Draws @chart in one format.  Returns TRUE when the image is in place;
 * *out_message is a failure, or gnuplot's chatter on success (or NULL). */
static gboolean
draw_one (const char  *run_dir,
          const char  *chart,
          const char  *fmt,
          const char  *gnuplot,
          char       **out_message)
{
  g_autofree char *name = g_strdup_printf ("%s.%s", chart, fmt);
  g_autofree char *final = g_build_filename (run_dir, name, NULL);
  g_autofree char *tmp_name = g_strdup_printf (".%s.%d.tmp", name,
                                               (int) getpid ());
  g_autofree char *tmp = g_build_filename (run_dir, tmp_name, NULL);
  g_autofree char *said = NULL;
  g_autofree char *script_name = g_strdup_printf ("%s.gp", chart);
  g_autoptr(GBytes) script = ps_plot_dup_script (chart);
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;

  g_assert (script != NULL);           /* every chart has a compiled script */
  *out_message = NULL;
  if (!run_gnuplot (gnuplot, script, script_name, run_dir, fmt, tmp, &said,
                    &local_error))
    {
      g_unlink (tmp);                   /* gnuplot leaves a 0-byte file */
      if (local_error != NULL)
        *out_message = g_strdup_printf ("%s not drawn: cannot run gnuplot: %s",
                                        name, local_error->message);
      else
        *out_message = g_strdup_printf ("%s not drawn: gnuplot failed: %s",
                                        name, *said ? said : "(no message)");
      return FALSE;
    }
  if (g_stat (tmp, &st) != 0 || st.st_size == 0 || g_rename (tmp, final) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      *out_message = g_strdup_printf ("%s not drawn: gnuplot wrote no image "
                                      "(%s)", name, g_strerror (saved));
      return FALSE;
    }
  if (*said != '\0')
    *out_message = g_strdup_printf ("%s drawn, but gnuplot said: %s", name,
                                    said);
  return TRUE;
}

/* The gnuplot to run: @requested, $POOLSIM_GNUPLOT, or "gnuplot" on PATH. */
static char *
find_gnuplot (const char *requested)
{
  const char *env = g_getenv ("POOLSIM_GNUPLOT");

  if (requested != NULL)
    return g_strdup (requested);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_find_program_in_path ("gnuplot");
}

/* Draws @chart in each of @formats with @program (NULL: not found).
 * Returns (transfer full) (nullable) its one warning: the first failure
 * (after which the other format is not tried: it would fail alike), else
 * the first thing gnuplot said. */
static char *
draw_chart (const char   *run_dir,
            const char   *chart,
            PsPlotFormat  formats,
            const char   *program)
{
  static const struct
  {
    PsPlotFormat flag;
    const char  *ext;
  } exts[] = { { PS_PLOT_PNG, "png" }, { PS_PLOT_SVG, "svg" } };
  char *chatter = NULL;

  if (program == NULL)
    return g_strdup_printf ("%s not drawn: gnuplot not found on PATH "
                            "(install gnuplot-nox, or set POOLSIM_GNUPLOT)",
                            chart);
  for (guint f = 0; f < G_N_ELEMENTS (exts); f++)
    {
      char *said = NULL;

      if (!(formats & exts[f].flag))
        continue;
      if (!draw_one (run_dir, chart, exts[f].ext, program, &said))
        {
          g_free (chatter);
          return said;
        }
      if (chatter == NULL)
        chatter = said;
      else
        g_free (said);
    }
  return chatter;
}

/**
 * ps_plot_draw_all:
 * @run_dir: a run directory (relative or absolute)
 * @formats: PNG, SVG or both
 * @gnuplot: (nullable): the gnuplot program; NULL for $POOLSIM_GNUPLOT,
 *   else "gnuplot" on PATH
 * @warnings: (nullable) (element-type utf8): receives at most one line per
 *   chart that was not drawn ("timeseries.png not drawn: gnuplot failed:
 *   …", with gnuplot's message) or that gnuplot complained about; the
 *   caller's array, with g_free() as its free function
 * @notes: (nullable) (element-type utf8): as for ps_plot_write_data(): a
 *   line per chart the data rule out, which is not a failure
 *
 * Writes the derived files (see ps_plot_write_data()), then draws every
 * chart the data allow into @run_dir as <chart>.png and/or <chart>.svg,
 * 1600×900.  Each image is written under a temporary name and renamed
 * when gnuplot succeeds, so a failed chart leaves no file, not even a
 * 0-byte one, and an older image of it is kept.
 *
 * Returns: TRUE even when some or all charts failed (see @warnings); FALSE
 *   with @error set only as ps_plot_write_data() does.
 */
gboolean
ps_plot_draw_all (const char    *run_dir,
                  PsPlotFormat   formats,
                  const char    *gnuplot,
                  GPtrArray     *warnings,
                  GPtrArray     *notes,
                  GError       **error)
{
  g_autoptr(PlotData) data = NULL;
  g_autofree char *program = NULL;

  g_return_val_if_fail (run_dir != NULL, FALSE);
  g_return_val_if_fail (formats != 0 && (formats & ~PS_PLOT_BOTH) == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = prepare (run_dir, notes, error);
  if (data == NULL)
    return FALSE;
  program = find_gnuplot (gnuplot);
  for (int c = 0; c < N_CHARTS; c++)
    {
      char *warning;

      if (!data->drawable[c])
        continue;
      warning = draw_chart (run_dir, chart_names[c], formats, program);
      if (warning != NULL && warnings != NULL)
        g_ptr_array_add (warnings, warning);
      else
        g_free (warning);
    }
  return TRUE;
}
