/* ps-chart-tally.h: what the charts need, gathered as requests end
 *
 * The latency and quota charts used to read requests.csv back, which
 * costs as much as the run when requests are many.  A tally takes every
 * request once, when its record is final, and keeps in memory that grows
 * with priorities, groups and quota windows but never with requests:
 *
 *  - per priority and per client group: the count of each outcome (the
 *    latency histograms are the run's own, PsRunStats', which count the
 *    same completed requests, completed − created);
 *  - per quota window (the first default policy's window, from t = 0): the
 *    requests created and admitted of at most PS_CHART_TRACKED clients,
 *    those with the most 429 responses (then the most requests) as the run
 *    goes.  A client is followed from its first final request while there
 *    is room; once the table is full, one that overtakes the least
 *    throttled tracked client takes its place, followed from then on:
 *    its series is marked incomplete, with the first window it was
 *    followed through in full (the one after it was taken on).
 *    With PS_CHART_TRACKED clients or fewer every series is complete, and
 *    in a larger population the heavy hitters enter early and stay.
 *
 * The tally is the driver's; it only counts.  Pending requests at the end
 * are counted but never make a client enter the table, so the order in
 * which a driver reports them does not matter.
 */
#pragma once

#include <glib.h>

#include "ps-client.h"
#include "ps-histogram.h"
#include "ps-request.h"
#include "ps-time.h"

G_BEGIN_DECLS

#define PS_CHART_TRACKED     255         /* clients followed per window (a byte each) */
#define PS_CHART_MAX_WINDOWS (1 << 14)   /* quota windows followed: 32 MB at most */
#define PS_CHART_N_OUTCOMES  (PS_OUTCOME_PENDING + 1)

/* One series: a priority or a client group. */
typedef struct
{
  guint64      outcomes[PS_CHART_N_OUTCOMES];
} PsChartSeries;

/* One followed client's requests per quota window. */
typedef struct
{
  guint32  client;
  PsClient *owner;                       /* (transfer none) */
  gboolean complete;                     /* followed since its first request */
  guint32  from_window;                  /* 0 when complete, else the first window
                                          * after the one it was taken on in */
  guint64  n429;                         /* as last seen: its rank */
  guint64  generated;
  GArray  *created;                      /* (element-type guint32) by window */
  GArray  *admitted;
} PsChartClient;

typedef struct _PsChartTally PsChartTally;

PsChartTally        *ps_chart_tally_new          (guint               n_priorities,
                                                  guint               n_groups,
                                                  PsTime              window);
void                 ps_chart_tally_free         (PsChartTally       *tally);
void                 ps_chart_tally_on_request   (PsChartTally       *tally,
                                                  const PsRequest    *request,
                                                  PsClient           *client,
                                                  PsTime              now);

guint                ps_chart_tally_n_priorities (const PsChartTally *tally);
const PsChartSeries *ps_chart_tally_priority     (const PsChartTally *tally,
                                                  guint               priority);
guint                ps_chart_tally_n_groups     (const PsChartTally *tally);
const PsChartSeries *ps_chart_tally_group        (const PsChartTally *tally,
                                                  guint               group);
PsTime               ps_chart_tally_window       (const PsChartTally *tally);
gboolean             ps_chart_tally_overflow     (const PsChartTally *tally);
guint                ps_chart_tally_n_clients    (const PsChartTally *tally);
const PsChartClient *ps_chart_tally_client       (const PsChartTally *tally,
                                                  guint               i);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsChartTally, ps_chart_tally_free)

G_END_DECLS
