/* ps-window-counter.c: a ring of buckets, advanced lazily to @now */
#include "ps-window-counter.h"

#include <string.h>

void
ps_window_counter_init (PsWindowCounter *counter, PsTime window)
{
  memset (counter, 0, sizeof *counter);
  counter->bucket = MAX (window / PS_WINDOW_BUCKETS, 1);
}

/* Empties the buckets that fell out of the window by @now. */
static void
advance (PsWindowCounter *c, PsTime now)
{
  gint64 k = now / c->bucket;
  gint64 from = MAX (c->current + 1, k - PS_WINDOW_BUCKETS + 1);

  if (k <= c->current)
    return;                              /* a driver's clock never goes back */
  for (gint64 i = from; i <= k; i++)
    {
      guint32 *b = c->counts[i % PS_WINDOW_BUCKETS];

      c->sum[0] -= b[0];
      c->sum[1] -= b[1];
      b[0] = b[1] = 0;
    }
  c->current = k;
}

void
ps_window_counter_add (PsWindowCounter *c, guint which, PsTime now)
{
  g_return_if_fail (which < 2);

  advance (c, now);
  c->counts[c->current % PS_WINDOW_BUCKETS][which]++;
  c->sum[which]++;
}

guint64
ps_window_counter_sum (PsWindowCounter *c, guint which, PsTime now)
{
  g_return_val_if_fail (which < 2, 0);

  advance (c, now);
  return c->sum[which];
}
