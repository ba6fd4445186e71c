/* ps-window-counter.h: two counts over a sliding window, in buckets
 *
 * What the SRE throttle (requests, accepts) and the ratio retry budget
 * (first attempts, retries) both need: how many of two kinds of event
 * happened over the last @window.  The window is cut into
 * PS_WINDOW_BUCKETS buckets of window / PS_WINDOW_BUCKETS, aligned to
 * t = 0; the sum covers the current bucket and the PS_WINDOW_BUCKETS - 1
 * before it, so an event leaves the sum between window - bucket and
 * window after it happened.  Memory is fixed whatever the rate; the
 * figures are integers, so the same events give the same sums anywhere.
 */
#pragma once

#include <glib.h>

#include "ps-time.h"

G_BEGIN_DECLS

#define PS_WINDOW_BUCKETS 60

typedef struct
{
  PsTime  bucket;                        /* width, >= 1 */
  gint64  current;                       /* index of the newest bucket */
  guint64 sum[2];
  guint32 counts[PS_WINDOW_BUCKETS][2];
} PsWindowCounter;

void     ps_window_counter_init  (PsWindowCounter *counter,
                                  PsTime           window);
void     ps_window_counter_add   (PsWindowCounter *counter,
                                  guint            which,
                                  PsTime           now);
guint64  ps_window_counter_sum   (PsWindowCounter *counter,
                                  guint            which,
                                  PsTime           now);

G_END_DECLS
