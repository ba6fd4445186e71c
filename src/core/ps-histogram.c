/* ps-histogram.c: HDR-style bucket index arithmetic
 *
 * Values below 2^(SUB+1) index themselves; above, the top SUB+1 bits of the
 * value pick the bucket within its power-of-two group.
 */
#include "ps-histogram.h"

#include <math.h>

#define SUB       7                             /* 128 sub-buckets */
#define N_BUCKETS ((64 - SUB + 1) << SUB)

struct _PsHistogram
{
  guint64            count;
  unsigned __int128  sum;
  PsTime             min;
  PsTime             max;
  guint64            buckets[N_BUCKETS];
};

static guint
bucket_of (guint64 v)
{
  guint msb;
  guint shift;

  if (v < (G_GUINT64_CONSTANT (1) << (SUB + 1)))
    return (guint) v;
  msb = 63 - (guint) __builtin_clzll (v);
  shift = msb - SUB;
  return ((shift + 1) << SUB) + (guint) ((v >> shift) - (G_GUINT64_CONSTANT (1) << SUB));
}

/* Lowest value of bucket @i, and its width. */
static guint64
bucket_low (guint i, guint64 *width)
{
  guint group = i >> SUB;
  guint64 sub = i & ((1u << SUB) - 1);

  if (group <= 1)
    {
      *width = 1;
      return i;
    }
  *width = G_GUINT64_CONSTANT (1) << (group - 1);
  return ((G_GUINT64_CONSTANT (1) << SUB) + sub) << (group - 1);
}

PsHistogram *
ps_histogram_new (void)
{
  PsHistogram *hist = g_new0 (PsHistogram, 1);

  hist->min = G_MAXINT64;
  return hist;
}

void
ps_histogram_free (PsHistogram *hist)
{
  g_free (hist);
}

void
ps_histogram_add (PsHistogram *hist, PsTime value)
{
  guint64 v = value > 0 ? (guint64) value : 0;

  hist->count++;
  hist->sum += v;
  hist->min = MIN (hist->min, (PsTime) v);
  hist->max = MAX (hist->max, (PsTime) v);
  hist->buckets[bucket_of (v)]++;
}

void
ps_histogram_merge (PsHistogram *into, const PsHistogram *from)
{
  into->count += from->count;
  into->sum += from->sum;
  into->min = MIN (into->min, from->min);
  into->max = MAX (into->max, from->max);
  for (guint i = 0; i < N_BUCKETS; i++)
    into->buckets[i] += from->buckets[i];
}

guint64
ps_histogram_count (const PsHistogram *hist)
{
  return hist->count;
}

PsTime
ps_histogram_min (const PsHistogram *hist)
{
  return hist->count ? hist->min : 0;
}

PsTime
ps_histogram_max (const PsHistogram *hist)
{
  return hist->count ? hist->max : 0;
}

double
ps_histogram_mean (const PsHistogram *hist)
{
  return hist->count ? (double) hist->sum / (double) hist->count : 0;
}

/**
 * ps_histogram_quantile:
 * @q: in [0, 1]
 *
 * Returns: the value of rank ceil(q * count) (at least 1), 0 when empty.
 */
PsTime
ps_histogram_quantile (const PsHistogram *hist, double q)
{
  guint64 rank;
  guint64 seen = 0;

  if (hist->count == 0)
    return 0;
  rank = (guint64) ceil (q * (double) hist->count);
  rank = CLAMP (rank, 1, hist->count);
  for (guint i = 0; i < N_BUCKETS; i++)
    {
      seen += hist->buckets[i];
      if (seen >= rank)
        {
          guint64 width;
          guint64 mid = bucket_low (i, &width) + (width - 1) / 2;

          return CLAMP ((PsTime) mid, hist->min, hist->max);
        }
    }
  return hist->max;
}

/* How many samples are <= @value, to bucket precision. */
guint64
ps_histogram_count_le (const PsHistogram *hist, PsTime value)
{
  guint last = bucket_of (value > 0 ? (guint64) value : 0);
  guint64 n = 0;

  for (guint i = 0; i <= last; i++)
    n += hist->buckets[i];
  return n;
}

/**
 * ps_histogram_next_bucket:
 * @iter: 0 before the first call, then left to this function
 *
 * Walks the non-empty buckets in increasing order: each call gives the
 * next one's lowest value, width and count.  Returns: FALSE after the last.
 */
gboolean
ps_histogram_next_bucket (const PsHistogram *hist, guint *iter, PsTime *low,
                          PsTime *width, guint64 *count)
{
  for (; *iter < N_BUCKETS; (*iter)++)
    if (hist->buckets[*iter] != 0)
      {
        guint64 w;

        *low = (PsTime) bucket_low (*iter, &w);
        *width = (PsTime) w;
        *count = hist->buckets[(*iter)++];
        return TRUE;
      }
  return FALSE;
}
