/* ps-stability.h: did the run come back after its fault?
 *
 * Fed the run's time-series bins in order, with the fault span (from the
 * first fault's start to the last one's end), it gives the figures of
 * summary.json's "stability": goodput (completions whose client was
 * still waiting, per second) and retry amplification (attempts sent per
 * request generated) before, during and after the span; whether goodput
 * came back to RECOVERY_SHARE of what it was before, and when.  Bins that
 * straddle the span's start or end count in no period.
 *
 * Recovery: goodput after the span, smoothed over a moving window of
 * min(30 s, a quarter of what is left of the run) (at least one bin), must
 * reach RECOVERY_SHARE × the goodput before and stay there to the end of
 * the run; recovery_s is from the span's end to the start of the first
 * window from which that holds.  One bad window at the very end is a
 * relapse, not a recovery.
 */
#pragma once

#include <glib.h>

#include "ps-record.h"

G_BEGIN_DECLS

#define PS_STABILITY_RECOVERY_SHARE 0.9
#define PS_STABILITY_SMOOTHING      PS_TIME_FROM_SEC (30)

typedef struct _PsStabilitySummary
{
  PsTime   fault_start;
  PsTime   fault_end;
  double   goodput_before;               /* per second; NAN: no such bins */
  double   goodput_during;
  double   goodput_after;
  double   amplification_before;         /* NAN: nothing generated then */
  double   amplification_during;
  double   amplification_after;
  gboolean recovered;
  double   recovery_s;                   /* NAN unless recovered */
  double   orphaned_share;               /* of worker busy time */
  guint64  throttled_locally;
  guint64  timeouts;
} PsStabilitySummary;

typedef struct _PsStability PsStability;

PsStability *ps_stability_new       (PsTime                fault_start,
                                     PsTime                fault_end);
void         ps_stability_free      (PsStability          *stability);
void         ps_stability_add_bin   (PsStability          *stability,
                                     const PsBinRecord    *bin,
                                     PsTime                end);
void         ps_stability_finish    (PsStability          *stability,
                                     const PsTotals       *totals,
                                     PsStabilitySummary   *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsStability, ps_stability_free)

G_END_DECLS
