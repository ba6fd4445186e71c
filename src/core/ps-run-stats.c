/* ps-run-stats.c: totals, bins, histograms of one driver thread
 *
 * Bin k covers [k*bin, min((k+1)*bin, duration)); there are
 * ceil(duration / bin) of them.  @bins holds bins first_open.. as
 * PsBinRecord whose @pool field accumulates busy request-microseconds
 * until the bin is emitted, when it becomes the mean occupancy.  Counts
 * at instants past the last bin (live mode's grace period) go to the last
 * bin; counts for a bin already emitted go to the oldest open one.
 */
#include "ps-run-stats.h"

#include "ps-stability.h"

#include <math.h>
#include <string.h>

struct _PsRunStats
{
  PsTime       duration;
  PsTime       bin;
  guint64      n_bins;
  guint        n_priorities;

  PsTotals     totals;
  GArray      *bins;                   /* PsBinRecord, index first_open.. */
  guint64      first_open;
  guint64      snapped;                /* bins < snapped have their gauges */
  guint64      queued;                 /* gauge: requests waiting at clients */
  guint64      paused;                 /* gauge: clients paused */
  guint64      cur_k;                  /* the bin last counted into, ... */
  PsTime       cur_from;               /* ... valid for [cur_from, cur_to); */
  PsTime       cur_to;                 /* empty when the bins moved */

  PsHistogram *latency_all;
  PsHistogram *latency_by_priority[PS_MAX_PRIORITIES];
  GPtrArray   *latency_by_group;       /* PsHistogram *, by group; lazily */
  GPtrArray   *policy_names;           /* char *, owned */
  GArray      *policy_429;             /* guint64, parallel to names */

  double       busy_total;             /* request-microseconds */
  gboolean     pool_sampled;           /* set_pool() replaced add_busy() */
  guint        pool_max;
  guint64      events;

  PsStability        *stability;       /* with faults: fed every bin emitted */
  PsStabilitySummary  stability_summary;
};

/**
 * ps_run_stats_new:
 * @duration: > 0, the end of the last bin
 * @bin: > 0
 * @n_priorities: 1..PS_MAX_PRIORITIES: latency histograms by priority
 */
PsRunStats *
ps_run_stats_new (PsTime duration, PsTime bin, guint n_priorities)
{
  PsRunStats *stats;

  g_return_val_if_fail (duration > 0 && bin > 0, NULL);
  g_return_val_if_fail (n_priorities >= 1 && n_priorities <= PS_MAX_PRIORITIES, NULL);

  stats = g_new0 (PsRunStats, 1);
  stats->duration = duration;
  stats->bin = bin;
  stats->n_bins = (guint64) ((duration + bin - 1) / bin);
  stats->n_priorities = n_priorities;
  stats->bins = g_array_new (FALSE, TRUE, sizeof (PsBinRecord));
  stats->latency_all = ps_histogram_new ();
  for (guint p = 0; p < n_priorities; p++)
    stats->latency_by_priority[p] = ps_histogram_new ();
  stats->latency_by_group = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_histogram_free);
  stats->policy_names = g_ptr_array_new_with_free_func (g_free);
  stats->policy_429 = g_array_new (FALSE, TRUE, sizeof (guint64));
  return stats;
}

void
ps_run_stats_free (PsRunStats *stats)
{
  if (stats == NULL)
    return;
  g_array_unref (stats->bins);
  ps_histogram_free (stats->latency_all);
  for (guint p = 0; p < PS_MAX_PRIORITIES; p++)
    ps_histogram_free (stats->latency_by_priority[p]);
  g_ptr_array_unref (stats->latency_by_group);
  g_ptr_array_unref (stats->policy_names);
  g_array_unref (stats->policy_429);
  ps_stability_free (stats->stability);
  g_free (stats);
}

const PsTotals *
ps_run_stats_get_totals (const PsRunStats *stats)
{
  return &stats->totals;
}

guint64
ps_run_stats_get_queued (const PsRunStats *stats)
{
  return stats->queued;
}

guint64
ps_run_stats_get_paused (const PsRunStats *stats)
{
  return stats->paused;
}

static PsTime
bin_end (const PsRunStats *stats, guint64 k)
{
  return MIN ((PsTime) (k + 1) * stats->bin, stats->duration);
}

/* Bin @k (absolute index, >= first_open), created with its start set. */
static PsBinRecord *
bin_at (PsRunStats *stats, guint64 k)
{
  while (stats->first_open + stats->bins->len <= k)
    {
      PsBinRecord fresh = {
        .start = (PsTime) (stats->first_open + stats->bins->len) * stats->bin,
      };

      g_array_append_val (stats->bins, fresh);
    }
  return &g_array_index (stats->bins, PsBinRecord, k - stats->first_open);
}

/* The open bins were added to or removed from: forget the cached one. */
static void
forget_current (PsRunStats *stats)
{
  stats->cur_from = stats->cur_to = 0;
}

/* The bin holding @t, clamped to the open bins.  Most counts fall in the
 * bin of the count before, which is found without a division. */
PsBinRecord *
ps_run_stats_bin (PsRunStats *stats, PsTime t)
{
  guint64 k;

  if (G_LIKELY (t >= stats->cur_from && t < stats->cur_to))
    return &g_array_index (stats->bins, PsBinRecord, stats->cur_k - stats->first_open);
  k = t <= 0 ? 0 : (guint64) (t / stats->bin);
  k = MIN (k, stats->n_bins - 1);
  k = MAX (k, stats->first_open);
  if (stats->first_open + stats->bins->len <= k)
    {
      bin_at (stats, k);
      forget_current (stats);
    }
  if (k < stats->n_bins - 1 && (PsTime) k * stats->bin <= t)   /* not clamped */
    {
      stats->cur_k = k;
      stats->cur_from = (PsTime) k * stats->bin;
      stats->cur_to = bin_end (stats, k);
    }
  return &g_array_index (stats->bins, PsBinRecord, k - stats->first_open);
}

/* Writes the gauges into every bin that ends at or before @now: they
 * change only at events, so their value at a bin's end is the one before
 * the first event at or past it. */
void
ps_run_stats_advance (PsRunStats *stats, PsTime now)
{
  while (stats->snapped < stats->n_bins && bin_end (stats, stats->snapped) <= now)
    {
      PsBinRecord *b = bin_at (stats, MAX (stats->snapped, stats->first_open));

      b->queued_at_clients = stats->queued;
      b->paused_clients = stats->paused;
      stats->snapped++;
    }
}

/* A request was generated; @queued is FALSE when its client's queue was
 * full and it was dropped at once. */
void
ps_run_stats_on_generated (PsRunStats *stats, PsTime now, gboolean queued)
{
  PsBinRecord *b = ps_run_stats_bin (stats, now);

  stats->totals.generated++;
  b->generated++;
  if (queued)
    {
      stats->queued++;
      return;
    }
  stats->totals.dropped++;
  b->dropped++;
}

/* A request left its client's queue for the server. */
void
ps_run_stats_on_sent (PsRunStats *stats, PsTime now)
{
  g_return_if_fail (stats->queued > 0);

  stats->queued--;
  stats->totals.attempts++;
  ps_run_stats_bin (stats, now)->sent++;
}

void
ps_run_stats_on_admitted (PsRunStats *stats, PsTime when)
{
  ps_run_stats_bin (stats, when)->admitted++;
}

/* Adds @n 429s to @name's count (a few names: linear scan). */
static void
count_policy (PsRunStats *stats, const char *name, guint64 n)
{
  guint i;

  for (i = 0; i < stats->policy_names->len; i++)
    if (strcmp (g_ptr_array_index (stats->policy_names, i), name) == 0)
      break;
  if (i == stats->policy_names->len)
    {
      guint64 zero = 0;

      g_ptr_array_add (stats->policy_names, g_strdup (name));
      g_array_append_val (stats->policy_429, zero);
    }
  g_array_index (stats->policy_429, guint64, i) += n;
}

/**
 * ps_run_stats_on_answer:
 * @status: 200, 429 or 503
 * @policy_name: (nullable): for a 429, the refusing policy; copied
 *
 * Counts a response, before the client reacts to it.
 */
void
ps_run_stats_on_answer (PsRunStats *stats, PsTime now, guint status,
                        const char *policy_name)
{
  switch (status)
    {
    case 200:
      stats->totals.responses_200++;
      break;
    case 429:
      stats->totals.responses_429++;
      ps_run_stats_bin (stats, now)->rejected_429++;
      count_policy (stats, policy_name ? policy_name : "unknown", 1);
      break;
    case 503:
      stats->totals.responses_503++;
      ps_run_stats_bin (stats, now)->rejected_503++;
      break;
    default:
      g_return_if_reached ();
    }
}

/**
 * ps_run_stats_on_reaction:
 * @reaction: what ps_client_on_response() returned for @request
 *
 * Counts the client's reaction; the caller still writes a final request
 * out and schedules the resume of a requeued one.
 */
void
ps_run_stats_on_reaction (PsRunStats *stats, const PsReaction *reaction,
                          const PsRequest *request, PsTime now)
{
  switch (reaction->kind)
    {
    case PS_REACTION_COMPLETED:
      ps_histogram_add (stats->latency_all, now - request->created);
      if (request->priority < stats->n_priorities)
        ps_histogram_add (stats->latency_by_priority[request->priority],
                          now - request->created);
      stats->totals.completed++;
      ps_run_stats_bin (stats, now)->completed++;
      break;
    case PS_REACTION_REQUEUED:
      stats->queued++;
      if (reaction->began_pause)
        stats->paused++;
      break;
    case PS_REACTION_REJECTED:
      stats->totals.rejected++;
      break;
    case PS_REACTION_DROPPED:
      stats->totals.dropped++;
      ps_run_stats_bin (stats, now)->dropped++;
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Group @group's histogram, created (with those before it) on first use. */
static PsHistogram *
group_histogram (PsRunStats *stats, guint group)
{
  while (stats->latency_by_group->len <= group)
    g_ptr_array_add (stats->latency_by_group, ps_histogram_new ());
  return g_ptr_array_index (stats->latency_by_group, group);
}

/* A completed request's latency, for its client's group.  A driver of a
 * one-group run need not call it: see ps_run_stats_group_latency(). */
void
ps_run_stats_on_group_latency (PsRunStats *stats, guint group, PsTime latency)
{
  ps_histogram_add (group_histogram (stats, group), latency);
}

/* The latencies of @group's completed requests: those counted with
 * ps_run_stats_on_group_latency(), or all of them if none was. */
const PsHistogram *
ps_run_stats_group_latency (const PsRunStats *stats, guint group)
{
  if (stats->latency_by_group->len == 0)
    return stats->latency_all;
  return group_histogram ((PsRunStats *) stats, group);
}

/* A self-throttling client holds back (ps_client_take_hold()); @began:
 * it was not paused before. */
void
ps_run_stats_on_held (PsRunStats *stats, gboolean began)
{
  if (began)
    stats->paused++;
}

/* A paused client resumed (ps_client_resume() returned TRUE). */
void
ps_run_stats_on_resumed (PsRunStats *stats)
{
  g_return_if_fail (stats->paused > 0);
  stats->paused--;
}

/* A queued request timed out (ps_client_expire() returned TRUE). */
void
ps_run_stats_on_expired (PsRunStats *stats, PsTime now)
{
  g_return_if_fail (stats->queued > 0);

  stats->queued--;
  stats->totals.dropped++;
  ps_run_stats_bin (stats, now)->dropped++;
}

/* A request still queued or at the server when the run ended. */
void
ps_run_stats_on_pending (PsRunStats *stats)
{
  stats->totals.pending++;
}

/* A client got the answer to the attempt it waited for. */
void
ps_run_stats_on_answered (PsRunStats *stats)
{
  stats->totals.answered++;
}

/* An attempt still awaited when the run ended. */
void
ps_run_stats_on_in_flight (PsRunStats *stats)
{
  stats->totals.in_flight++;
}

/* A client stopped waiting for an attempt (ps_client_on_timeout()); its
 * reaction is counted apart, with ps_run_stats_on_reaction(). */
void
ps_run_stats_on_timeout (PsRunStats *stats, PsTime now)
{
  stats->totals.timeouts++;
  ps_run_stats_bin (stats, now)->timeouts++;
}

/* A client's throttle refused the request it took from its queue; its
 * reaction is counted apart, with ps_run_stats_on_reaction(). */
void
ps_run_stats_on_throttled (PsRunStats *stats, PsTime now)
{
  g_return_if_fail (stats->queued > 0);

  stats->queued--;
  stats->totals.throttled_locally++;
  ps_run_stats_bin (stats, now)->throttled++;
}

/* An answer came for an attempt its client no longer waited for. */
void
ps_run_stats_on_late_answer (PsRunStats *stats)
{
  stats->totals.late_answers++;
}

/**
 * ps_run_stats_on_service:
 * @start: when the attempt's service began
 * @service: request-µs a worker gave one attempt (all of it, or what
 *   there was of it by the end of the run)
 * @orphaned: nobody waited for its answer any more
 *
 * Splits worker time into useful and orphaned; orphaned time is also
 * spread over the bins of [@start, @start + @service) for stability.csv
 * (a bin already emitted gives its share to the oldest open one).
 */
void
ps_run_stats_on_service (PsRunStats *stats, PsTime start, PsTime service, gboolean orphaned)
{
  PsTime from, to;

  if (!orphaned)
    {
      stats->totals.busy_useful += (double) service;
      return;
    }
  stats->totals.busy_orphaned += (double) service;
  from = MAX (start, 0);
  to = MIN (start + service, stats->duration);
  while (from < to)
    {
      PsTime end = MIN (bin_end (stats, (guint64) (from / stats->bin)), to);

      ps_run_stats_bin (stats, from)->orphaned += (double) (end - from);
      from = end;
    }
}

/* For a driver that measures the pool's busy time but hears of useful
 * service only (live mode, whose clients hang up on timed-out attempts):
 * orphaned time is the rest. */
void
ps_run_stats_infer_orphaned (PsRunStats *stats)
{
  stats->totals.busy_orphaned = MAX (0.0, stats->busy_total - stats->totals.busy_useful);
}

/**
 * ps_run_stats_watch_stability:
 * @fault_start: the fault span (ps_fault_set_span())
 *
 * From now on every bin emitted feeds the stability verdict, which the
 * summary then has.  Call before the first bin is emitted.
 */
void
ps_run_stats_watch_stability (PsRunStats *stats, PsTime fault_start, PsTime fault_end)
{
  g_return_if_fail (stats->first_open == 0 && stats->stability == NULL);

  stats->stability = ps_stability_new (fault_start, fault_end);
}

/* Spreads @mean_busy requests in service over [@from, @to) (clamped to
 * the run); returns the busy request-microseconds added. */
static double
spread (PsRunStats *stats, PsTime from, PsTime to, double mean_busy)
{
  double added = 0;

  from = MAX (from, 0);
  to = MIN (to, stats->duration);
  while (from < to)
    {
      PsTime end = MIN (bin_end (stats, (guint64) (from / stats->bin)), to);

      ps_run_stats_bin (stats, from)->pool += mean_busy * (double) (end - from);
      added += mean_busy * (double) (end - from);
      from = end;
    }
  return added;
}

/**
 * ps_run_stats_add_busy:
 * @from: when a request entered service
 * @to: when it left, >= @from
 * @busy_then: requests in service when it entered, itself included
 *
 * One request's service, spread over the bins it overlaps (within
 * [0, duration)); for drivers that learn service intervals afterwards.
 */
void
ps_run_stats_add_busy (PsRunStats *stats, PsTime from, PsTime to, guint busy_then)
{
  stats->pool_max = MAX (stats->pool_max, busy_then);
  stats->busy_total += spread (stats, from, to, 1.0);
}

/**
 * ps_run_stats_set_pool:
 * @mean_busy: requests in service on average over [@from, @to)
 *
 * For a driver that samples the pool itself (live mode, in one process):
 * the first call forgets what ps_run_stats_add_busy() gathered; the
 * samples then give the bins' pool column and the mean occupancy.
 */
void
ps_run_stats_set_pool (PsRunStats *stats, PsTime from, PsTime to, double mean_busy)
{
  if (!stats->pool_sampled)
    {
      for (guint i = 0; i < stats->bins->len; i++)
        g_array_index (stats->bins, PsBinRecord, i).pool = 0;
      stats->busy_total = 0;
      stats->pool_sampled = TRUE;
    }
  stats->busy_total += spread (stats, from, to, mean_busy);
}

/* The most requests in service at once, as the pool itself counted. */
void
ps_run_stats_set_pool_max (PsRunStats *stats, guint max_busy)
{
  stats->pool_max = max_busy;
}

void
ps_run_stats_count_event (PsRunStats *stats)
{
  stats->events++;
}

/**
 * ps_run_stats_truncate:
 * @end: > 0: the run ends here instead (it was interrupted)
 *
 * Shortens the run to @end: later bins disappear, their counts going to
 * the new last bin, which is cut at @end.
 */
void
ps_run_stats_truncate (PsRunStats *stats, PsTime end)
{
  guint64 last;

  forget_current (stats);
  end = CLAMP (end, 1, stats->duration);
  stats->duration = end;
  stats->n_bins = (guint64) ((end + stats->bin - 1) / stats->bin);
  stats->snapped = MIN (stats->snapped, stats->n_bins);
  last = stats->n_bins - 1;
  while (last >= stats->first_open && stats->first_open + stats->bins->len > last + 1)
    {
      guint i = stats->bins->len - 1;
      PsBinRecord extra = g_array_index (stats->bins, PsBinRecord, i);
      PsBinRecord *b;

      g_array_set_size (stats->bins, i);
      b = bin_at (stats, last);
      b->generated += extra.generated;
      b->sent += extra.sent;
      b->admitted += extra.admitted;
      b->completed += extra.completed;
      b->rejected_429 += extra.rejected_429;
      b->rejected_503 += extra.rejected_503;
      b->dropped += extra.dropped;
      b->pool += extra.pool;
      b->timeouts += extra.timeouts;
      b->throttled += extra.throttled;
      b->orphaned += extra.orphaned;
    }
}

PsTime
ps_run_stats_get_duration (const PsRunStats *stats)
{
  return stats->duration;
}

/* Emits every bin whose gauges are written and that ends at or before
 * @up_to, in time order, and forgets it. */
void
ps_run_stats_emit_bins (PsRunStats *stats, PsTime up_to, const PsRecordSink *sink)
{
  guint n = 0;

  while (stats->first_open + n < stats->snapped
         && bin_end (stats, stats->first_open + n) <= up_to)
    {
      PsBinRecord *b = bin_at (stats, stats->first_open + n);
      PsBinRecord out = *b;
      PsTime end = bin_end (stats, stats->first_open + n);

      out.pool = b->pool / (double) (end - b->start);
      if (stats->stability != NULL)
        ps_stability_add_bin (stats->stability, &out, end);
      if (sink != NULL && sink->bin != NULL)
        sink->bin (sink->user_data, &out);
      n++;
    }
  g_array_remove_range (stats->bins, 0, MIN (n, stats->bins->len));
  stats->first_open += n;
  forget_current (stats);
}

/* The end of the oldest bin not yet emitted; PS_TIME_NEVER when all are. */
PsTime
ps_run_stats_open_end (const PsRunStats *stats)
{
  return stats->first_open < stats->n_bins ? bin_end (stats, stats->first_open)
                                           : PS_TIME_NEVER;
}

/**
 * ps_run_stats_close_bin:
 * @busy_area: request-microseconds in service over the bin, as the
 *   driver's own pool integrated them
 *
 * For a driver that closes bins as it goes (the simulator): writes the
 * gauges and the pool into the oldest open bin, emits it and forgets it.
 * Call it before the first event at or past ps_run_stats_open_end().
 */
void
ps_run_stats_close_bin (PsRunStats *stats, double busy_area, const PsRecordSink *sink)
{
  PsBinRecord *b;
  PsTime end;

  g_return_if_fail (stats->first_open < stats->n_bins);

  b = bin_at (stats, stats->first_open);
  end = bin_end (stats, stats->first_open);
  b->queued_at_clients = stats->queued;
  b->paused_clients = stats->paused;
  b->pool = busy_area / (double) (end - b->start);
  stats->busy_total += busy_area;
  if (stats->stability != NULL)
    ps_stability_add_bin (stats->stability, b, end);
  if (sink != NULL && sink->bin != NULL)
    sink->bin (sink->user_data, b);
  g_array_remove_index (stats->bins, 0);
  stats->first_open++;
  stats->snapped = MAX (stats->snapped, stats->first_open);
  forget_current (stats);
}

/**
 * ps_run_stats_merge:
 * @into: stats of the same run (duration, bin), nothing emitted yet
 * @from: another thread's stats; its gauges must be final
 *
 * Adds @from into @into: totals, bins (gauges included), histograms,
 * 429s by policy, busy time, events.
 */
void
ps_run_stats_merge (PsRunStats *into, PsRunStats *from)
{
  g_return_if_fail (into->bin == from->bin && into->duration == from->duration);
  g_return_if_fail (into->first_open == 0 && from->first_open == 0);

  forget_current (into);

  into->totals.generated += from->totals.generated;
  into->totals.completed += from->totals.completed;
  into->totals.rejected += from->totals.rejected;
  into->totals.dropped += from->totals.dropped;
  into->totals.pending += from->totals.pending;
  into->totals.attempts += from->totals.attempts;
  into->totals.responses_200 += from->totals.responses_200;
  into->totals.responses_429 += from->totals.responses_429;
  into->totals.responses_503 += from->totals.responses_503;
  into->totals.timeouts += from->totals.timeouts;
  into->totals.throttled_locally += from->totals.throttled_locally;
  into->totals.late_answers += from->totals.late_answers;
  into->totals.answered += from->totals.answered;
  into->totals.in_flight += from->totals.in_flight;
  into->totals.busy_useful += from->totals.busy_useful;
  into->totals.busy_orphaned += from->totals.busy_orphaned;
  for (guint64 k = 0; k < from->bins->len; k++)
    {
      const PsBinRecord *f = &g_array_index (from->bins, PsBinRecord, k);
      PsBinRecord *b = bin_at (into, k);

      b->generated += f->generated;
      b->sent += f->sent;
      b->admitted += f->admitted;
      b->completed += f->completed;
      b->rejected_429 += f->rejected_429;
      b->rejected_503 += f->rejected_503;
      b->dropped += f->dropped;
      b->pool += f->pool;
      b->queued_at_clients += f->queued_at_clients;
      b->paused_clients += f->paused_clients;
      b->timeouts += f->timeouts;
      b->throttled += f->throttled;
      b->orphaned += f->orphaned;
    }
  into->snapped = MAX (into->snapped, from->snapped);
  into->queued += from->queued;
  into->paused += from->paused;
  ps_histogram_merge (into->latency_all, from->latency_all);
  for (guint p = 0; p < MIN (into->n_priorities, from->n_priorities); p++)
    ps_histogram_merge (into->latency_by_priority[p], from->latency_by_priority[p]);
  for (guint g = 0; g < from->latency_by_group->len; g++)
    ps_histogram_merge (group_histogram (into, g),
                        g_ptr_array_index (from->latency_by_group, g));
  for (guint i = 0; i < from->policy_names->len; i++)
    count_policy (into, g_ptr_array_index (from->policy_names, i),
                  g_array_index (from->policy_429, guint64, i));
  into->busy_total += from->busy_total;
  into->pool_max = MAX (into->pool_max, from->pool_max);
  into->events += from->events;
}

/**
 * ps_run_stats_fill_summary:
 *
 * Sets the summary's totals, latency histograms, 429s by policy, pool
 * figures (from ps_run_stats_add_busy()) and events.  Pointers in
 * @summary borrow from @stats.
 */
void
ps_run_stats_fill_summary (const PsRunStats *stats, PsRunSummary *summary)
{
  summary->totals = stats->totals;
  summary->latency_all = stats->latency_all;
  summary->n_priorities = stats->n_priorities;
  for (guint p = 0; p < stats->n_priorities; p++)
    summary->latency_by_priority[p] = stats->latency_by_priority[p];
  /* the first PS_MAX_POLICY_NAMES - 1 names as they came; past them,
   * the 32nd entry and every later one are summed under "other" */
  summary->n_policy_names = MIN (stats->policy_names->len, PS_MAX_POLICY_NAMES);
  for (guint i = 0; i < stats->policy_names->len; i++)
    {
      guint at = MIN (i, PS_MAX_POLICY_NAMES - 1);

      if (at < i)
        summary->policy_429[at] += g_array_index (stats->policy_429, guint64, i);
      else
        summary->policy_429[at] = g_array_index (stats->policy_429, guint64, i);
      summary->policy_names[at] = at == PS_MAX_POLICY_NAMES - 1 ? "other"
                                  : g_ptr_array_index (stats->policy_names, i);
    }
  summary->pool_mean = stats->busy_total / (double) stats->duration;
  summary->pool_max = stats->pool_max;
  summary->events = stats->events;
  if (stats->stability != NULL)
    {
      /* the verdict is the stats' own, kept where the summary can point */
      PsRunStats *own = (PsRunStats *) stats;

      ps_stability_finish (own->stability, &stats->totals, &own->stability_summary);
      summary->stability = &own->stability_summary;
    }
}
