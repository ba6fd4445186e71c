/* ps-quota-sliding-window.c: two aligned counters approximate a sliding log
 *
 * Counts admissions per aligned window [k*window, (k+1)*window) and weighs
 * the previous window by the share of it still inside (t - window, t]: with
 * cur and prev the counts of the current and previous windows and elapsed
 * = t - k*window, a request is admitted iff
 *   floor(prev * (window - elapsed) / window) + cur + 1 <= limit
 * (docs/design.md, "Quota algorithms"), in integers.  O(1) memory and time.
 *
 * Cell: a = k, the window counted in cur; b = prev << 32 | cur, both
 * <= limit.  A zeroed cell is window 0 with nothing admitted.  Products
 * stay below limit * window, which must be at most G_MAXINT64 / 4
 * (checked: evaluate answers NEVER with a critical otherwise).
 */
#include "ps-quota-private.h"

/* The counters as seen from one instant. */
typedef struct
{
  gint64  index;                        /* window k of the instant */
  PsTime  elapsed;                      /* since k * window, >= 0 */
  guint64 cur;
  guint64 prev;
} View;

/* limit * window fits with room to spare. */
static inline gboolean
sliding_window_fits (const PsQuotaPolicy *policy)
{
  return (guint64) policy->limit
         <= (guint64) (G_MAXINT64 / 4) / (guint64) policy->window;
}

/* An instant earlier than the window last charged (clock read out of
 * order) counts as the start of that window. */
static void
view_at (const PsQuotaCell *cell, const PsQuotaPolicy *policy, PsTime now,
         View *v)
{
  guint64 cur = (guint64) cell->b & G_MAXUINT32;
  guint64 prev = (guint64) cell->b >> 32;

  v->index = MAX (now / policy->window, cell->a);
  v->elapsed = MAX (now - v->index * policy->window, 0);
  v->cur = v->index == cell->a ? cur : 0;
  v->prev = v->index == cell->a ? prev : v->index == cell->a + 1 ? cur : 0;
}

/* floor(prev * (window - elapsed) / window): the previous window's weight. */
static inline guint64
weight (guint64 prev, PsTime elapsed, PsTime window)
{
  return prev * (guint64) (window - elapsed) / (guint64) window;
}

/* The earliest elapsed time e in a window whose previous window holds
 * @prev at which weight(prev, e) <= @allowed; @window if there is none,
 * which is where the next window starts, so callers may add it blindly.
 * weight <= a  <=>  prev*(window-e) < (a+1)*window
 *              <=>  window - e <= ((a+1)*window - 1) / prev. */
static PsTime
first_elapsed (guint64 prev, guint64 allowed, PsTime window)
{
  guint64 span;

  if (prev <= allowed)
    return 0;
  span = ((allowed + 1) * (guint64) window - 1) / prev;   /* < window */
  return window - (PsTime) span;
}

/* Microseconds from @now until the instant, at or after the view's, at
 * which the weight and the count are both zero, @cur being the count of
 * the view's window by then. */
static PsTime
until_restored (const View *v, guint64 cur, PsTime window, PsTime now)
{
  PsTime start = v->index * window;

  if (cur == 0)                         /* then prev = 0 from the next one */
    return start + first_elapsed (v->prev, 0, window) - now;
  return start + window + first_elapsed (cur, 0, window) - now;
}

/* Microseconds from @now until the earliest instant admitting one more
 * request, the view's refusing it.  The answer only improves with time:
 * the weight falls within a window, and at a boundary cur + 1 <= limit
 * turns into the new weight at elapsed 0. */
static PsTime
until_admitted (const View *v, guint64 limit, PsTime window, PsTime now)
{
  PsTime start = v->index * window;
  PsTime e;

  if (v->cur < limit)
    {
      e = first_elapsed (v->prev, limit - 1 - v->cur, window);
      if (e < window)
        return start + e - now;
    }
  return start + window + first_elapsed (v->cur, limit - 1, window) - now;
}

static void
sliding_window_evaluate (const PsQuotaCell *cell, const PsQuotaPolicy *policy,
                         PsTime now, PsQuotaResult *out)
{
  View v;
  guint64 used;

  out->limit = policy->limit;
  out->verdict = PS_QUOTA_NEVER;        /* if the policy is out of range */
  g_return_if_fail (sliding_window_fits (policy));

  view_at (cell, policy, now, &v);
  used = weight (v.prev, v.elapsed, policy->window) + v.cur;
  if (used + 1 <= policy->limit)
    {
      out->verdict = PS_QUOTA_ALLOW;
      out->remaining = (guint32) (policy->limit - used - 1);
      out->reset = until_restored (&v, v.cur + 1, policy->window, now);
      out->retry_after = 0;
    }
  else
    {
      out->verdict = PS_QUOTA_DENY;
      out->remaining = 0;
      out->reset = until_restored (&v, v.cur, policy->window, now);
      out->retry_after = until_admitted (&v, policy->limit, policy->window,
                                         now);
    }
}

static void
sliding_window_charge (PsQuotaCell *cell, const PsQuotaPolicy *policy,
                       PsTime now)
{
  View v;

  view_at (cell, policy, now, &v);
  cell->a = v.index;
  cell->b = (gint64) ((v.prev << 32) | (v.cur + 1));
}

const PsQuotaClass ps_quota_sliding_window_class = {
  .name = "sliding_window",
  .evaluate = sliding_window_evaluate,
  .charge = sliding_window_charge,
  .clear = NULL,
};
