/* ps-histogram.h: latency distribution in fixed memory
 *
 * Log-linear buckets over microseconds (128 per power of two): exact below
 * 256 µs, within 0.4% above, whatever the number of samples.  Mean and max
 * are exact.  Quantiles use the nearest-rank definition and report the
 * middle of the bucket holding that rank, clamped to the observed range.
 */
#pragma once

#include <glib.h>

#include "ps-time.h"

G_BEGIN_DECLS

typedef struct _PsHistogram PsHistogram;

PsHistogram  *ps_histogram_new       (void);
void          ps_histogram_free      (PsHistogram       *hist);
void          ps_histogram_add       (PsHistogram       *hist,
                                      PsTime             value);
void          ps_histogram_merge     (PsHistogram       *into,
                                      const PsHistogram *from);
guint64       ps_histogram_count     (const PsHistogram *hist);
PsTime        ps_histogram_min       (const PsHistogram *hist);
PsTime        ps_histogram_max       (const PsHistogram *hist);
double        ps_histogram_mean      (const PsHistogram *hist);
PsTime        ps_histogram_quantile  (const PsHistogram *hist,
                                      double             q);
guint64       ps_histogram_count_le  (const PsHistogram *hist,
                                      PsTime             value);

gboolean      ps_histogram_next_bucket (const PsHistogram *hist,
                                      guint             *iter,
                                      PsTime            *low,
                                      PsTime            *width,
                                      guint64           *count);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsHistogram, ps_histogram_free)

G_END_DECLS
