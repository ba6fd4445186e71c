/* ps-stability.c: period sums, and the recovery point from the bins after */
#include "ps-stability.h"

#include <math.h>

typedef struct
{
  guint64 completed;
  guint64 sent;
  guint64 generated;
  PsTime  length;
} Period;

typedef struct
{
  PsTime  start;
  PsTime  length;
  guint64 completed;
} AfterBin;

struct _PsStability
{
  PsTime  fault_start;
  PsTime  fault_end;
  Period  periods[3];                    /* before, during, after */
  GArray *after;                         /* AfterBin */
};

PsStability *
ps_stability_new (PsTime fault_start, PsTime fault_end)
{
  PsStability *st = g_new0 (PsStability, 1);

  st->fault_start = fault_start;
  st->fault_end = fault_end;
  st->after = g_array_new (FALSE, FALSE, sizeof (AfterBin));
  return st;
}

void
ps_stability_free (PsStability *st)
{
  if (st == NULL)
    return;
  g_array_unref (st->after);
  g_free (st);
}

/* One bin [bin->start, @end), in time order. */
void
ps_stability_add_bin (PsStability *st, const PsBinRecord *bin, PsTime end)
{
  Period *p;

  if (end <= st->fault_start)
    p = &st->periods[0];
  else if (bin->start >= st->fault_start && end <= st->fault_end)
    p = &st->periods[1];
  else if (bin->start >= st->fault_end)
    {
      AfterBin a = { bin->start, end - bin->start, bin->completed };

      g_array_append_val (st->after, a);
      p = &st->periods[2];
    }
  else
    return;                              /* straddles a boundary */
  p->completed += bin->completed;
  p->sent += bin->sent;
  p->generated += bin->generated;
  p->length += end - bin->start;
}

static double
rate (const Period *p)
{
  return p->length > 0 ? (double) p->completed / ((double) p->length / 1e6) : NAN;
}

static double
amplification (const Period *p)
{
  return p->generated > 0 ? (double) p->sent / (double) p->generated : NAN;
}

/* The first after-bin from which every smoothed window reaches @target;
 * -1 if the last one does not. */
static gint
recovery_bin (const GArray *after, double target)
{
  guint n = after->len, w;
  PsTime left, bin;
  gint found = -1;

  if (n == 0)
    return -1;
  bin = g_array_index (after, AfterBin, 0).length;
  left = 0;
  for (guint i = 0; i < n; i++)
    left += g_array_index (after, AfterBin, i).length;
  w = (guint) (MIN (PS_STABILITY_SMOOTHING, left / 4) / MAX (bin, 1));
  w = CLAMP (w, 1, n);
  /* from the end backwards: the earliest window of an unbroken run of
   * good windows that reaches the last one */
  for (gint k = (gint) (n - w); k >= 0; k--)
    {
      guint64 completed = 0;
      PsTime length = 0;

      for (guint j = (guint) k; j < (guint) k + w; j++)
        {
          completed += g_array_index (after, AfterBin, j).completed;
          length += g_array_index (after, AfterBin, j).length;
        }
      if ((double) completed / ((double) length / 1e6) < target)
        break;
      found = k;
    }
  return found;
}

void
ps_stability_finish (PsStability *st, const PsTotals *totals, PsStabilitySummary *out)
{
  double busy = totals->busy_useful + totals->busy_orphaned;
  gint k;

  *out = (PsStabilitySummary) {
    .fault_start = st->fault_start,
    .fault_end = st->fault_end,
    .goodput_before = rate (&st->periods[0]),
    .goodput_during = rate (&st->periods[1]),
    .goodput_after = rate (&st->periods[2]),
    .amplification_before = amplification (&st->periods[0]),
    .amplification_during = amplification (&st->periods[1]),
    .amplification_after = amplification (&st->periods[2]),
    .recovery_s = NAN,
    .orphaned_share = busy > 0 ? totals->busy_orphaned / busy : 0,
    .throttled_locally = totals->throttled_locally,
    .timeouts = totals->timeouts,
  };
  if (isnan (out->goodput_before))
    return;                              /* nothing to come back to */
  k = recovery_bin (st->after, PS_STABILITY_RECOVERY_SHARE * out->goodput_before);
  if (k < 0)
    return;
  out->recovered = TRUE;
  out->recovery_s = (double) (g_array_index (st->after, AfterBin, k).start
                              - st->fault_end) / 1e6;
}
