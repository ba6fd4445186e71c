/* ps-run-stats.h: the counters of a run, one kind for both drivers
 *
 * Totals, time-series bins, latency histograms and 429s by policy, moved
 * by the model's events (generated, sent, answered, reacted, resumed,
 * expired, pending).  Bins are kept from the oldest not yet emitted: the
 * simulator emits them as it goes (memory stays flat), live mode keeps
 * them all until the end, where the client threads' stats are merged
 * (memory O(duration / bin)).  Two gauges, requests queued at clients and
 * paused clients, are written into each bin when the run passes its end.
 * Not thread-safe: one PsRunStats per thread; merge at the end.
 */
#pragma once

#include <glib.h>

#include "ps-client.h"
#include "ps-record.h"

G_BEGIN_DECLS

typedef struct _PsRunStats PsRunStats;

PsRunStats      *ps_run_stats_new           (PsTime              duration,
                                             PsTime              bin,
                                             guint               n_priorities);
void             ps_run_stats_free          (PsRunStats         *stats);

const PsTotals  *ps_run_stats_get_totals    (const PsRunStats   *stats);
PsBinRecord     *ps_run_stats_bin           (PsRunStats         *stats,
                                             PsTime              t);
guint64          ps_run_stats_get_queued    (const PsRunStats   *stats);
guint64          ps_run_stats_get_paused    (const PsRunStats   *stats);

void             ps_run_stats_advance       (PsRunStats         *stats,
                                             PsTime              now);
void             ps_run_stats_on_generated  (PsRunStats         *stats,
                                             PsTime              now,
                                             gboolean            queued);
void             ps_run_stats_on_sent       (PsRunStats         *stats,
                                             PsTime              now);
void             ps_run_stats_on_admitted   (PsRunStats         *stats,
                                             PsTime              when);
void             ps_run_stats_on_answer     (PsRunStats         *stats,
                                             PsTime              now,
                                             guint               status,
                                             const char         *policy_name);
void             ps_run_stats_on_reaction   (PsRunStats         *stats,
                                             const PsReaction   *reaction,
                                             const PsRequest    *request,
                                             PsTime              now);
void             ps_run_stats_on_group_latency (PsRunStats      *stats,
                                             guint               group,
                                             PsTime              latency);
const PsHistogram *
                 ps_run_stats_group_latency (const PsRunStats   *stats,
                                             guint               group);
void             ps_run_stats_on_held       (PsRunStats         *stats,
                                             gboolean            began);
void             ps_run_stats_on_resumed    (PsRunStats         *stats);
void             ps_run_stats_on_expired    (PsRunStats         *stats,
                                             PsTime              now);
void             ps_run_stats_on_pending    (PsRunStats         *stats);
void             ps_run_stats_on_answered   (PsRunStats         *stats);
void             ps_run_stats_on_in_flight  (PsRunStats         *stats);
void             ps_run_stats_on_timeout    (PsRunStats         *stats,
                                             PsTime              now);
void             ps_run_stats_on_throttled  (PsRunStats         *stats,
                                             PsTime              now);
void             ps_run_stats_on_late_answer (PsRunStats        *stats);
void             ps_run_stats_on_service    (PsRunStats         *stats,
                                             PsTime              start,
                                             PsTime              service,
                                             gboolean            orphaned);
void             ps_run_stats_infer_orphaned (PsRunStats        *stats);
void             ps_run_stats_watch_stability (PsRunStats       *stats,
                                             PsTime              fault_start,
                                             PsTime              fault_end);
void             ps_run_stats_add_busy      (PsRunStats         *stats,
                                             PsTime              from,
                                             PsTime              to,
                                             guint               busy_then);
void             ps_run_stats_set_pool      (PsRunStats         *stats,
                                             PsTime              from,
                                             PsTime              to,
                                             double              mean_busy);
void             ps_run_stats_set_pool_max  (PsRunStats         *stats,
                                             guint               max_busy);
void             ps_run_stats_count_event   (PsRunStats         *stats);
void             ps_run_stats_truncate      (PsRunStats         *stats,
                                             PsTime              end);
PsTime           ps_run_stats_get_duration  (const PsRunStats   *stats);

void             ps_run_stats_emit_bins     (PsRunStats         *stats,
                                             PsTime              up_to,
                                             const PsRecordSink *sink);
PsTime           ps_run_stats_open_end      (const PsRunStats   *stats);
void             ps_run_stats_close_bin     (PsRunStats         *stats,
                                             double              busy_area,
                                             const PsRecordSink *sink);
void             ps_run_stats_merge         (PsRunStats         *into,
                                             PsRunStats         *from);
void             ps_run_stats_fill_summary  (const PsRunStats   *stats,
                                             PsRunSummary       *summary);


G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRunStats, ps_run_stats_free)

G_END_DECLS
