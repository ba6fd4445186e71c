/* ps-run-writer.c: the sink callbacks, one CSV each
 *
 * Column lists are an interface (docs/design.md, "The run directory").
 */
#include "ps-run-writer.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "ps-chart-data.h"
#include "ps-csv.h"
#include "ps-ipv4.h"
#include "ps-row-pipe.h"
#include "ps-summary.h"

G_DEFINE_QUARK (ps-output-error-quark, ps_output_error)

struct _PsRunWriter
{
  char     *dir;
  PsRowPipe *requests;            /* NULL when not asked for */
  PsRowPipe *attempts;            /* NULL when not asked for */
  PsCsv    *timeseries;
  PsCsv    *clients;
  PsCsv    *stability;            /* with faults only */
  PsTime    fault_start;          /* ... the span stability.csv marks */
  PsTime    fault_end;
  PsTime    bin;
  char     *summary_json;         /* set by the summary callback */
  char     *charts_json;          /* ... and this, when it has a tally */
  char     *command;              /* for summary.json; may be NULL */
  char     *scenario_json;        /* scenario.json; may be NULL */
};

static PsCsv *
open_csv (PsRunWriter *w, const char *name, const char *header, GError **error)
{
  g_autofree char *path = g_build_filename (w->dir, name, NULL);

  return ps_csv_open (path, header, error);
}

/* What a row of requests.csv needs, copied as the request ends: the row
 * is formatted on the pipe's thread. */
typedef struct
{
  PsRequest request;
  PsTime    ended;                      /* completed_s, for a completed one */
  guint32   ip;
  char      client[PS_RUN_WRITER_NAME_MAX];
} RequestRecord;

typedef struct
{
  PsTime    t;
  guint64   request_id;
  gint64    retry_after_s;
  guint     status;
  char      client[PS_RUN_WRITER_NAME_MAX];
} AttemptRecord;

static void format_request (PsCsv *csv, gconstpointer record);
static void format_attempt (PsCsv *csv, gconstpointer record);

/* A file of per-request or per-answer rows, written through a pipe. */
static PsRowPipe *
open_pipe (PsRunWriter *w, const char *name, PsRunWriterFiles files, const char *header,
           gsize record_size, PsRowFormatFunc format, GError **error)
{
  gboolean gzip = (files & PS_RUN_WRITER_GZIP) != 0;
  g_autofree char *path = g_build_filename (w->dir, name, NULL);
  PsCsv *csv = gzip ? ps_csv_open_gzip (path, header, error)
                    : ps_csv_open (path, header, error);

  return csv != NULL ? ps_row_pipe_new (csv, record_size, format,
                                        !(files & PS_RUN_WRITER_INLINE)) : NULL;
}

/**
 * ps_run_writer_new:
 * @dir: created if missing
 * @files: the optional files to write
 *
 * Returns: (transfer full): a writer, or NULL when @dir cannot be written.
 */
PsRunWriter *
ps_run_writer_new (const char *dir, PsRunWriterFiles files, GError **error)
{
  gboolean gzip = (files & PS_RUN_WRITER_GZIP) != 0;
  g_autoptr(PsRunWriter) w = g_new0 (PsRunWriter, 1);

  w->dir = g_strdup (dir);
  if (g_mkdir_with_parents (dir, 0777) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot create output directory %s: %s", dir, g_strerror (saved));
      return NULL;
    }
  if ((files & PS_RUN_WRITER_REQUESTS)
      && (w->requests = open_pipe (w, gzip ? "requests.csv.gz" : "requests.csv", files,
                                   "id,client,ip,priority,created_s,first_sent_s,admitted_s,"
                                   "completed_s,attempts,n429,n503,outcome",
                                   sizeof (RequestRecord), format_request, error)) == NULL)
    return NULL;
  if ((files & PS_RUN_WRITER_ATTEMPTS)
      && (w->attempts = open_pipe (w, gzip ? "attempts.csv.gz" : "attempts.csv", files,
                                   "t_s,request_id,client,status,retry_after_s",
                                   sizeof (AttemptRecord), format_attempt, error)) == NULL)
    return NULL;
  if ((w->timeseries = open_csv (w, "timeseries.csv",
                                 "t_s,generated,sent,admitted,completed,rejected_429,"
                                 "rejected_503,dropped,pool,queued_at_clients,paused_clients",
                                 error)) == NULL)
    return NULL;
  if ((w->clients = open_csv (w, "clients.csv",
                              "client,ip,group,generated,completed,rejected,dropped,"
                              "n429,n503,mean_latency_s", error)) == NULL)
    return NULL;
  return g_steal_pointer (&w);
}

/**
 * ps_run_writer_track_stability:
 * @bin: the scenario's time-series bin
 *
 * For a run with faults: stability.csv, one row per bin, with the fault
 * span [@fault_start, @fault_end) marked.
 */
gboolean
ps_run_writer_track_stability (PsRunWriter *w, PsTime fault_start, PsTime fault_end,
                               PsTime bin, GError **error)
{
  w->fault_start = fault_start;
  w->fault_end = fault_end;
  w->bin = bin;
  w->stability = open_csv (w, "stability.csv",
                           "t_s,generated,attempts,goodput,timeouts,throttled,"
                           "busy_workers,orphaned_workers,in_fault", error);
  return w->stability != NULL;
}

void
ps_run_writer_free (PsRunWriter *w)
{
  if (w == NULL)
    return;
  ps_row_pipe_free (w->requests);
  ps_row_pipe_free (w->attempts);
  ps_csv_free (w->timeseries);
  ps_csv_free (w->clients);
  ps_csv_free (w->stability);
  g_free (w->summary_json);
  g_free (w->charts_json);
  g_free (w->command);
  g_free (w->scenario_json);
  g_free (w->dir);
  g_free (w);
}

static void
format_request (PsCsv *csv, gconstpointer record)
{
  const RequestRecord *rec = record;
  const PsRequest *r = &rec->request;
  char ip_text[PS_IPV4_STR_LEN];

  ps_csv_u64 (csv, r->id);
  ps_csv_str (csv, rec->client);
  ps_csv_str (csv, ps_ipv4_format (rec->ip, ip_text));
  ps_csv_u64 (csv, r->priority);
  ps_csv_time (csv, r->created);
  ps_csv_time_or_empty (csv, r->first_sent);
  ps_csv_time_or_empty (csv, r->admitted);
  ps_csv_time_or_empty (csv, r->outcome == PS_OUTCOME_COMPLETED ? rec->ended : -1);
  ps_csv_u64 (csv, r->attempts);
  ps_csv_u64 (csv, r->n429);
  ps_csv_u64 (csv, r->n503);
  ps_csv_str (csv, ps_outcome_to_string (r->outcome));
  ps_csv_end_row (csv);
}

static void
on_request (gpointer data, const PsRequest *r, PsTime ended, const char *client, guint32 ip)
{
  PsRunWriter *w = data;
  RequestRecord *rec;

  if (w->requests == NULL)
    return;
  rec = ps_row_pipe_next (w->requests);
  rec->request = *r;
  rec->ended = ended;
  rec->ip = ip;
  g_strlcpy (rec->client, client, sizeof rec->client);
}

static void
format_attempt (PsCsv *csv, gconstpointer record)
{
  const AttemptRecord *rec = record;

  ps_csv_time (csv, rec->t);
  ps_csv_u64 (csv, rec->request_id);
  ps_csv_str (csv, rec->client);
  ps_csv_u64 (csv, rec->status);
  if (rec->status == 200)
    ps_csv_empty (csv);
  else
    ps_csv_i64 (csv, rec->retry_after_s);
  ps_csv_end_row (csv);
}

static void
on_attempt (gpointer data, PsTime t, guint64 request_id, const char *client,
            guint status, gint64 retry_after_s)
{
  PsRunWriter *w = data;
  AttemptRecord *rec;

  if (w->attempts == NULL)
    return;
  rec = ps_row_pipe_next (w->attempts);
  *rec = (AttemptRecord) { t, request_id, retry_after_s, status, "" };
  g_strlcpy (rec->client, client, sizeof rec->client);
}

/* stability.csv: what the stability chart draws, per bin; orphaned work
 * becomes workers by dividing by the timeseries' bin length. */
static void
on_stability_bin (PsRunWriter *w, const PsBinRecord *b)
{
  PsCsv *csv = w->stability;
  double length = (double) w->bin;
  PsTime end = b->start + w->bin;

  ps_csv_time (csv, b->start);
  ps_csv_u64 (csv, b->generated);
  ps_csv_u64 (csv, b->sent);
  ps_csv_u64 (csv, b->completed);
  ps_csv_u64 (csv, b->timeouts);
  ps_csv_u64 (csv, b->throttled);
  ps_csv_double (csv, b->pool, 3);
  ps_csv_double (csv, b->orphaned / length, 3);
  ps_csv_u64 (csv, b->start < w->fault_end && end > w->fault_start);
  ps_csv_end_row (csv);
}

static void
on_bin (gpointer data, const PsBinRecord *b)
{
  PsCsv *csv = ((PsRunWriter *) data)->timeseries;

  ps_csv_time (csv, b->start);
  ps_csv_u64 (csv, b->generated);
  ps_csv_u64 (csv, b->sent);
  ps_csv_u64 (csv, b->admitted);
  ps_csv_u64 (csv, b->completed);
  ps_csv_u64 (csv, b->rejected_429);
  ps_csv_u64 (csv, b->rejected_503);
  ps_csv_u64 (csv, b->dropped);
  ps_csv_double (csv, b->pool, 3);
  ps_csv_u64 (csv, b->queued_at_clients);
  ps_csv_u64 (csv, b->paused_clients);
  ps_csv_end_row (csv);
  if (((PsRunWriter *) data)->stability != NULL)
    on_stability_bin (data, b);
}

static void
on_client (gpointer data, const PsClientRecord *c)
{
  PsCsv *csv = ((PsRunWriter *) data)->clients;
  char ip_text[PS_IPV4_STR_LEN];

  ps_csv_str (csv, c->name);
  ps_csv_str (csv, ps_ipv4_format (c->ip, ip_text));
  ps_csv_str (csv, c->group);
  ps_csv_u64 (csv, c->generated);
  ps_csv_u64 (csv, c->completed);
  ps_csv_u64 (csv, c->rejected);
  ps_csv_u64 (csv, c->dropped);
  ps_csv_u64 (csv, c->n429);
  ps_csv_u64 (csv, c->n503);
  ps_csv_double (csv, c->mean_latency_s, 6);
  ps_csv_end_row (csv);
}

static void
on_summary (gpointer data, const PsRunSummary *s)
{
  PsRunWriter *w = data;
  PsRunSummary with_command = *s;

  with_command.command = w->command;
  g_free (w->summary_json);
  w->summary_json = ps_summary_to_json (&with_command);
  g_free (w->charts_json);
  w->charts_json = s->charts != NULL ? ps_chart_data_to_json (s) : NULL;
}

/**
 * ps_run_writer_set_provenance:
 * @command: (nullable): the command line, for summary.json
 * @scenario_json: (nullable): the scenario as run, written as scenario.json
 *
 * What a reader of the directory needs to know how it was made.
 */
void
ps_run_writer_set_provenance (PsRunWriter *w, const char *command,
                              const char *scenario_json)
{
  g_free (w->command);
  w->command = g_strdup (command);
  g_free (w->scenario_json);
  w->scenario_json = g_strdup (scenario_json);
}

void
ps_run_writer_get_sink (PsRunWriter *w, PsRecordSink *out)
{
  /* No callback for a file not asked for: the driver then skips the work
   * of building its rows (client names, the final sort of pending ones). */
  *out = (PsRecordSink) {
    .user_data = w,
    .request = w->requests != NULL ? on_request : NULL,
    .attempt = w->attempts != NULL ? on_attempt : NULL,
    .bin = on_bin,
    .client = on_client,
    .summary = on_summary,
  };
}

static gboolean
close_pipe (PsRowPipe **pipe, GError **error)
{
  gboolean ok = *pipe == NULL || ps_row_pipe_close (*pipe, error);

  g_clear_pointer (pipe, ps_row_pipe_free);
  return ok;
}

static gboolean
close_csv (PsCsv **csv, GError **error)
{
  gboolean ok = *csv == NULL || ps_csv_close (*csv, error);

  g_clear_pointer (csv, ps_csv_free);
  return ok;
}

/* Closes every file and writes scenario.json and summary.json; reports
 * the first failure. */
gboolean
ps_run_writer_finish (PsRunWriter *w, GError **error)
{
  g_autofree char *path = g_build_filename (w->dir, "summary.json", NULL);
  g_autofree char *scenario_path = g_build_filename (w->dir, "scenario.json", NULL);
  g_autofree char *charts_path = g_build_filename (w->dir, "charts.json", NULL);

  if (!close_pipe (&w->requests, error) || !close_pipe (&w->attempts, error)
      || !close_csv (&w->timeseries, error) || !close_csv (&w->clients, error)
      || !close_csv (&w->stability, error))
    return FALSE;
  if (w->summary_json == NULL)
    {
      g_set_error (error, PS_OUTPUT_ERROR, PS_OUTPUT_ERROR_NO_SUMMARY,
                   "the run ended without a summary");
      return FALSE;
    }
  if (w->scenario_json != NULL
      && !g_file_set_contents (scenario_path, w->scenario_json, -1, error))
    return FALSE;
  if (w->charts_json != NULL
      && !g_file_set_contents (charts_path, w->charts_json, -1, error))
    return FALSE;
  return g_file_set_contents (path, w->summary_json, -1, error);
}
