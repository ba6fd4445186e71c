/* ps-record.h: what a run reports, and the sink it reports to
 *
 * Both drivers (sim, live) emit the same records through a PsRecordSink;
 * the output layer implements the sink and never sees a driver.  Records
 * are emitted in a deterministic order: requests when they reach their
 * final state (pending ones at the end, by id), bins in time order,
 * clients by id, then one summary.
 */
#pragma once

#include <glib.h>

#include "ps-chart-tally.h"
#include "ps-histogram.h"
#include "ps-ipv4.h"
#include "ps-quota.h"
#include "ps-request.h"
#include "ps-time.h"

G_BEGIN_DECLS

#define PS_MAX_PRIORITIES 16
#define PS_MAX_POLICY_NAMES 32

typedef struct
{
  PsTime  start;
  guint64 generated;
  guint64 sent;
  guint64 admitted;
  guint64 completed;
  guint64 rejected_429;
  guint64 rejected_503;
  guint64 dropped;
  double  pool;                  /* mean requests in service over the bin */
  guint64 queued_at_clients;     /* at the end of the bin */
  guint64 paused_clients;        /* at the end of the bin */
  /* retries and faults (stability.csv; not in timeseries.csv) */
  guint64 timeouts;              /* attempts whose client stopped waiting */
  guint64 throttled;             /* attempts refused by their client's throttle */
  double  orphaned;              /* request-µs of service finished for nobody */
} PsBinRecord;

typedef struct
{
  const char *name;              /* "public-17" */
  guint32     ip;
  const char *group;
  guint64     generated;
  guint64     completed;
  guint64     rejected;
  guint64     dropped;
  guint64     n429;
  guint64     n503;
  double      mean_latency_s;    /* NAN when nothing completed */
} PsClientRecord;

typedef struct
{
  guint64 generated;
  guint64 completed;
  guint64 rejected;
  guint64 dropped;
  guint64 pending;
  guint64 attempts;
  guint64 responses_200;
  guint64 responses_429;
  guint64 responses_503;
  guint64 timeouts;              /* attempts the client stopped waiting for */
  guint64 throttled_locally;     /* attempts refused by the client's throttle */
  guint64 late_answers;          /* answers to those, discarded */
  guint64 answered;              /* answers a waiting client got */
  guint64 in_flight;             /* attempts still awaited at the end */
  /* Worker time, request-µs: service whose answer a waiting client got
   * (or, at the end, still waits for), and service for nobody. */
  double  busy_useful;
  double  busy_orphaned;
} PsTotals;

/* One client group's figures.  Counts come from its clients' own
 * counters, so 429s and 503s are those the clients received (with
 * network latency, an answer still on its way at the end is in the run's
 * totals but not in its group's). */
typedef struct
{
  const char        *name;
  guint64            clients;
  guint64            generated;
  guint64            completed;
  guint64            rejected;
  guint64            dropped;
  guint64            pending;
  guint64            attempts;
  guint64            responses_429;
  guint64            responses_503;
  const PsHistogram *latency;          /* its completed requests */
} PsGroupSummary;

/* A quota tier other than the default: the policies of a client group, or
 * of the clients whose address is in a block (first match wins). */
typedef struct
{
  const char          *group;          /* or NULL */
  gboolean             has_cidr;
  PsCidr               cidr;
  const PsQuotaPolicy *policies;
  guint                n_policies;
} PsTierRecord;

/* Everything summary.json says, gathered by the driver. */
typedef struct
{
  const char          *scenario;
  const char          *description;
  const char          *mode;           /* "sim" or "live" */
  const char          *command;        /* the command line; NULL: unknown */
  guint64              seed;
  PsTime               duration;
  guint                workers;
  guint                queue;
  const PsQuotaPolicy *quota;          /* the default tier */
  guint                n_quota;
  const PsTierRecord  *overrides;      /* the other tiers, in match order */
  guint                n_overrides;
  PsTime               bin;
  guint64              n_clients;

  PsTotals             totals;
  /* 429s by the name of the policy that refused (the binding one) */
  const char          *policy_names[PS_MAX_POLICY_NAMES];
  guint64              policy_429[PS_MAX_POLICY_NAMES];
  guint                n_policy_names;
  const PsHistogram   *latency_all;
  const PsHistogram   *latency_by_priority[PS_MAX_PRIORITIES];
  guint                n_priorities;
  const PsGroupSummary *groups;        /* by scenario group, in order */
  guint                n_groups;

  double               pool_mean;
  double               busy_total;     /* request-µs of service (sim: exact) */
  guint                pool_max;
  double               jain;           /* over served shares; NAN: nobody served */

  guint64              events;
  double               wall_s;
  guint64              fingerprint;

  /* with faults: the recovery verdict (ps-stability.h); else NULL */
  const struct _PsStabilitySummary *stability;

  /* what the charts draw (charts.json): the tally, and the names of the
   * clients it followed, by its entries' order */
  const PsChartTally  *charts;
  const char * const  *chart_names;

  /* live only (NULL, 0 in sim): how late the load ran its schedule */
  const PsHistogram   *schedule_lag;
  double               time_scale;
} PsRunSummary;

typedef struct
{
  gpointer user_data;
  /* @ended: the instant @request became final, which for a completed
   * one is when it completed; -1 for one pending at the end */
  void (*request) (gpointer         user_data,
                   const PsRequest *request,
                   PsTime           ended,
                   const char      *client_name,
                   guint32          ip);
  void (*attempt) (gpointer         user_data,
                   PsTime           t,
                   guint64          request_id,
                   const char      *client_name,
                   guint            status,
                   gint64           retry_after_s);
  void (*bin)     (gpointer            user_data,
                   const PsBinRecord  *bin);
  void (*client)  (gpointer               user_data,
                   const PsClientRecord  *client);
  void (*summary) (gpointer              user_data,
                   const PsRunSummary   *summary);
} PsRecordSink;

/* Checks generated = completed + rejected + dropped + pending. */
static inline gboolean
ps_totals_conserved (const PsTotals *t)
{
  return t->generated == t->completed + t->rejected + t->dropped + t->pending;
}

/* Checks that every attempt sent was answered to its waiting client,
 * timed out at it, or was still awaited at the end (attempts refused by
 * a client's throttle are never sent, and counted apart). */
static inline gboolean
ps_totals_attempts_conserved (const PsTotals *t)
{
  return t->attempts == t->answered + t->timeouts + t->in_flight;
}

double       ps_jain_index_served  (const guint64 *completed,
                                    const guint64 *generated,
                                    gsize          n);
double       ps_jain_index         (const guint64 *values,
                                    gsize          n);

G_END_DECLS
