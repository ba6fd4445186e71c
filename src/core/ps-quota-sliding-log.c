/* ps-quota-sliding-log.c: at most @limit admissions in any window (t-window, t]
 *
 * The definition, kept literally: a log of admission times, oldest first,
 * and a request at t is admitted iff fewer than @limit of them are later
 * than t - window.  Exact, no boundary effects, and the only algorithm whose
 * memory grows with @limit: 8 bytes per admission still inside the window.
 *
 * Cell: ext = a Log ring, allocated on the first charge, grown by doubling
 * up to @limit slots, freed in clear; a and b are unused.  Invariant: the
 * ring is sorted, and charge drops the times that have left the window for
 * good before appending, so it never needs more than @limit slots.  Cost:
 * O(log n) per evaluate (binary search), amortised O(1) per charge.
 */
#include "ps-quota-private.h"

#define FIRST_CAPACITY 4u

typedef struct
{
  guint32 capacity;
  guint32 head;                         /* slot of the oldest time */
  guint32 len;
  PsTime  at[];                         /* nondecreasing from head */
} Log;

/* The @i-th oldest time, 0 <= @i < len. */
static inline PsTime
log_at (const Log *log, guint32 i)
{
  guint64 slot = (guint64) log->head + i;

  if (slot >= log->capacity)
    slot -= log->capacity;
  return log->at[slot];
}

/* Index of the oldest time later than @t; len if none. */
static guint32
log_first_after (const Log *log, PsTime t)
{
  guint32 lo = 0, hi = log->len;

  while (lo < hi)
    {
      guint32 mid = lo + (hi - lo) / 2;

      if (log_at (log, mid) > t)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

/* Returns: (transfer full): a ring of @capacity slots holding @old's times
 * in order (@old is freed), or an empty one when @old is NULL. */
static Log *
log_resize (Log *old, guint32 capacity)
{
  Log *log = g_malloc (sizeof (Log) + (gsize) capacity * sizeof (PsTime));

  log->capacity = capacity;
  log->head = 0;
  log->len = 0;
  if (old != NULL)
    {
      g_assert (old->len <= capacity);
      for (guint32 i = 0; i < old->len; i++)
        log->at[i] = log_at (old, i);
      log->len = old->len;
      g_free (old);
    }
  return log;
}

/* Requests are timed at the latest logged admission or later: an earlier
 * @now (live threads can read the clock out of order) counts as that. */
static inline PsTime
effective_now (const Log *log, PsTime now)
{
  if (log == NULL || log->len == 0)
    return now;
  return MAX (now, log_at (log, log->len - 1));
}

/* Fills @out: remaining counts the admissions still possible at @now after
 * this one; reset is when the newest admission (this one, if allowed)
 * leaves the window; retry_after is when the oldest one in it does. */
static void
sliding_log_evaluate (const PsQuotaCell *cell, const PsQuotaPolicy *policy,
                      PsTime now, PsQuotaResult *out)
{
  const Log *log = cell->ext;
  PsTime t = effective_now (log, now);
  guint32 len = log != NULL ? log->len : 0;
  guint32 first = len > 0 ? log_first_after (log, t - policy->window) : 0;
  guint32 in_window = len - first;

  out->limit = policy->limit;
  if (in_window < policy->limit)
    {
      out->verdict = PS_QUOTA_ALLOW;
      out->remaining = policy->limit - in_window - 1;
      out->reset = (t - now) + policy->window;
      out->retry_after = 0;
    }
  else
    {
      /* in_window == limit: the oldest of them must leave first; it is
       * later than t - window, so retry_after > 0. */
      out->verdict = PS_QUOTA_DENY;
      out->remaining = 0;
      out->reset = (log_at (log, len - 1) - now) + policy->window;
      out->retry_after = (log_at (log, first) - now) + policy->window;
    }
}

static void
sliding_log_charge (PsQuotaCell *cell, const PsQuotaPolicy *policy, PsTime now)
{
  Log *log = cell->ext;
  PsTime t = effective_now (log, now);
  guint64 slot;

  if (log == NULL)
    log = cell->ext = log_resize (NULL, MIN (policy->limit, FIRST_CAPACITY));

  /* Later requests come at t or after: these have left for good. */
  while (log->len > 0 && log_at (log, 0) <= t - policy->window)
    {
      log->head = log->head + 1 == log->capacity ? 0 : log->head + 1;
      log->len--;
    }
  if (log->len == log->capacity)
    {
      /* Full with every time still in the window: evaluate would have
       * refused unless capacity < limit. */
      g_assert (log->capacity < policy->limit);
      log = cell->ext =
        log_resize (log, (guint32) MIN ((guint64) policy->limit,
                                        2 * (guint64) log->capacity));
    }
  slot = (guint64) log->head + log->len;
  if (slot >= log->capacity)
    slot -= log->capacity;
  log->at[slot] = t;
  log->len++;
}

static void
sliding_log_clear (PsQuotaCell *cell)
{
  g_clear_pointer (&cell->ext, g_free);
}

const PsQuotaClass ps_quota_sliding_log_class = {
  .name = "sliding_log",
  .evaluate = sliding_log_evaluate,
  .charge = sliding_log_charge,
  .clear = sliding_log_clear,
};
