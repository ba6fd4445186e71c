/* ps-plot-private.h: what the chart modules share
 *
 * ps-plot-summary.c reads summary.json, ps-plot-data.c reads and
 * accumulates the CSVs, ps-plot-files.c writes the derived files the
 * gnuplot scripts read, ps-plot.c runs gnuplot.  Memory grows with
 * clients, priorities and windows, never with requests.  ps-plot-sweep.c
 * draws a sweep directory's charts with the same derived-file writer and
 * the same gnuplot runner.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ps-csv.h"
#include "ps-csv-reader.h"
#include "ps-histogram.h"
#include "ps-plot.h"
#include "ps-ipv4.h"
#include "ps-request.h"

G_BEGIN_DECLS

#define LAT_BINS_PER_DECADE 100   /* CDF steps of 2.3 %: finer than a pixel */
#define LAT_DECADES         14    /* 1 µs .. 10^8 s */
#define LAT_N_BINS          (LAT_BINS_PER_DECADE * LAT_DECADES)
#define MAX_PRIORITY        1023
#define QUOTA_MAX_CLIENTS   8
#define QUOTA_MAX_UNTHROTTLED 4
#define QUOTA_MAX_BARS      120   /* bars per panel before windows are grouped */
#define QUOTA_MAX_WINDOWS   (1 << 20)
#define US_PER_S            G_GINT64_CONSTANT (1000000)
#define PLOT_N_OUTCOMES       (PS_OUTCOME_PENDING + 1)

typedef enum
{
  CHART_TIMESERIES,
  CHART_LATENCY_CDF,
  CHART_CLIENTS,
  CHART_QUOTA,
  CHART_STABILITY,            /* only for a run with faults: stability.csv */
  N_CHARTS,
} Chart;

extern const char * const ps_plot_chart_names[N_CHARTS + 1];

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
  JsonObject *groups;         /* (transfer none) groups */
  GArray     *tiers;          /* PlotTier: config.overrides, first match wins */
} RunInfo;

/* A quota tier other than the default, as summary.json gives it: its
 * first policy's limit and window. */
typedef struct
{
  char       *group;          /* or NULL */
  gboolean    has_cidr;
  PsCidr      cidr;
  gint64      limit;
  gint64      window_us;
} PlotTier;

typedef struct
{
  const char *name;           /* in PlotData.strings */
  const char *group;
  guint       group_index;    /* groups in order of first appearance */
  guint32     ip;             /* 0 when clients.csv's cell is not an address */
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
  guint64  outcomes[PLOT_N_OUTCOMES];
  guint64  hist[LAT_N_BINS];  /* completed requests by log-latency bin */
  int      first_bin;
  int      last_bin;
  PsHistogram *latency;       /* requests.csv's latencies, until binned */
} PriorityStats;

/* Per-window counts of one sampled client, for the quota chart. */
typedef struct
{
  const ClientRow *client;
  double           limit;     /* its own limit, per window of the chart */
  GArray          *admitted;  /* (element-type guint32) by window index */
  GArray          *created;
  guint            from_window; /* the first window counted in full (charts.json) */
} QuotaSlot;

typedef struct
{
  RunInfo        info;
  GStringChunk  *strings;
  GArray        *clients;     /* (element-type ClientRow) in file order */
  GPtrArray     *priorities;  /* (element-type PriorityStats) indexed by priority, sparse */
  GPtrArray     *groups;      /* (element-type PriorityStats) by group index; .priority = index */
  GPtrArray     *group_names; /* (element-type utf8) (transfer none) by group index */
  GHashTable    *client_group; /* client name -> group index + 1 */
  gboolean       latency_by_group; /* one priority, several groups: curves by group */
  QuotaSlot      slots[QUOTA_MAX_CLIENTS];
  guint          n_slots;
  gboolean       quota_throttled; /* the slots got a 429; else the busiest */
  gboolean       quota_overflow;
  guint          quota_max_windows; /* what overflowed: QUOTA_MAX_WINDOWS or charts.json's */
  guint64        n_bins;      /* rows of timeseries.csv */
  gint64         last_bin_us;
  gboolean       has_requests;
  gboolean       has_charts;  /* charts.json: read instead of requests.csv */
  gboolean       has_stability;
  gboolean       drawable[N_CHARTS];
} PlotData;

/* A derived CSV file, written through the project's CSV writer under a
 * temporary name and renamed into place only when complete. */
typedef struct
{
  PsCsv *csv;
  char  *path;
  char  *tmp_path;
} PsPlotOutFile;

/* ps-plot.c */
char     *ps_plot_find_gnuplot          (const char          *requested);
char     *ps_plot_draw_chart            (const char          *dir,
                                         const char          *chart,
                                         PsPlotFormat         formats,
                                         const char          *program);

/* ps-plot-summary.c */
void      ps_plot_read_summary          (const char          *run_dir,
                                         RunInfo             *info,
                                         GPtrArray           *notes);
void      ps_plot_run_info_clear        (RunInfo             *info);
double    ps_plot_json_lookup_double    (JsonNode            *root,
                                         const char          *path);

/* ps-plot-data.c */
PlotData *ps_plot_prepare               (const char          *run_dir,
                                         GPtrArray           *notes,
                                         GError             **error);
void      ps_plot_data_free             (PlotData            *data);
int       ps_plot_compare_by_throttling (gconstpointer        a,
                                         gconstpointer        b);
double    ps_plot_own_limit             (const RunInfo       *info,
                                         const ClientRow     *row);
int       ps_plot_latency_bin           (gint64               latency_us);
PriorityStats *ps_plot_series_stats     (GPtrArray           *series,
                                         int                  key);
void      ps_plot_count_latency         (PriorityStats       *stats,
                                         gint64               low_us,
                                         gint64               width_us,
                                         guint64              n,
                                         gint64               min_us,
                                         gint64               max_us);

/* ps-plot-charts.c */
gboolean  ps_plot_read_charts           (const char          *run_dir,
                                         PlotData            *data,
                                         GError             **error);
double    ps_plot_bin_edge_s            (int                  bin);

/* ps-plot-files.c */
gboolean  ps_plot_out_file_open         (PsPlotOutFile       *out,
                                         const char          *run_dir,
                                         const char          *name,
                                         const char          *header,
                                         GError             **error);
gboolean  ps_plot_out_file_close        (PsPlotOutFile       *out,
                                         GError             **error);
char     *ps_plot_json_text             (JsonNode            *node);
char     *ps_plot_dir_name              (const char          *dir);
void      ps_plot_meta_number           (GString             *out,
                                         const char          *name,
                                         double               value);
void      ps_plot_meta_text             (GString             *out,
                                         const char          *name,
                                         const char          *value);
const char *ps_plot_fmt_double          (char                *buf,
                                         double               value);
void      ps_plot_gp_string             (GString             *out,
                                         const char          *text);
gboolean  ps_plot_has_completed         (const PriorityStats *stats);
gboolean  ps_plot_write_meta            (const char          *run_dir,
                                         PlotData            *data,
                                         GError             **error);
gboolean  ps_plot_write_clients         (const char          *run_dir,
                                         PlotData            *data,
                                         GError             **error);
gboolean  ps_plot_write_latency         (const char          *run_dir,
                                         PlotData            *data,
                                         GError             **error);
gboolean  ps_plot_write_quota           (const char          *run_dir,
                                         PlotData            *data,
                                         GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlotData, ps_plot_data_free)

G_END_DECLS
