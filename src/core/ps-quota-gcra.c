/* ps-quota-gcra.c: generic cell rate algorithm, one theoretical arrival time
 *
 * Emission interval T = window / limit, tolerance tau = (burst - 1) * T.
 * A request at t conforms iff t >= TAT - tau, and then TAT = max(TAT, t) + T
 * (the virtual-scheduling form).  One number per client, no refill loop.
 * Exact in integers: TAT is kept as a + b/limit microseconds with
 * 0 <= b < limit, so adding T = window/limit never rounds.  A zeroed cell
 * has TAT = 0, so a fresh client may send a burst at once.
 *
 * Same admissions as the token bucket with the same limit, window and
 * burst, by construction: TAT - t in units of 1/limit microsecond is the
 * bucket's missing tokens in units of 1/window token (test-quota.c checks
 * it on random traffic).  limit * window and burst * window must be at
 * most G_MAXINT64 / 4 (checked: evaluate answers NEVER otherwise).
 */
#include "ps-quota-private.h"

static inline gboolean
gcra_fits (const PsQuotaPolicy *policy)
{
  guint64 most = MAX (policy->limit, ps_quota_policy_burst (policy));

  return most <= (guint64) (G_MAXINT64 / 4) / (guint64) policy->window;
}

static inline gint64
div_ceil (gint64 x, gint64 y)
{
  return x / y + (x % y != 0);
}

/* How far TAT is ahead of @t, in units of 1/limit µs; 0 when behind. */
static gint64
backlog_at (const PsQuotaCell *cell, const PsQuotaPolicy *policy, PsTime t)
{
  if (cell->a < t)
    return 0;                           /* TAT < a + 1 <= t */
  return (cell->a - t) * policy->limit + cell->b;
}

/* Fills @out with the token bucket's figures (see there): a request
 * conforms while the backlog is at most tau, that is (burst-1) * window
 * units; remaining is how many more T fit under tau; reset is when TAT
 * falls back to t; retry_after when it falls back to t + tau. */
static void
gcra_evaluate (const PsQuotaCell *cell, const PsQuotaPolicy *policy,
               PsTime now, PsQuotaResult *out)
{
  gint64 interval, tolerance, backlog;

  out->limit = policy->limit;
  out->verdict = PS_QUOTA_NEVER;        /* if the policy is out of range */
  g_return_if_fail (gcra_fits (policy));

  interval = policy->window;            /* T, in units of 1/limit µs */
  tolerance = (gint64) (ps_quota_policy_burst (policy) - 1) * interval;
  backlog = backlog_at (cell, policy, now);
  if (backlog <= tolerance)
    {
      out->verdict = PS_QUOTA_ALLOW;
      out->remaining = (guint32) ((tolerance - backlog) / interval);
      out->reset = div_ceil (backlog + interval, policy->limit);
      out->retry_after = 0;
    }
  else
    {
      out->verdict = PS_QUOTA_DENY;
      out->remaining = 0;
      out->reset = div_ceil (backlog, policy->limit);
      out->retry_after = div_ceil (backlog - tolerance, policy->limit);
    }
}

/* TAT = max(TAT, now) + T, carrying the fraction. */
static void
gcra_charge (PsQuotaCell *cell, const PsQuotaPolicy *policy, PsTime now)
{
  if (cell->a < now)
    {
      cell->a = now;
      cell->b = 0;
    }
  cell->a += policy->window / policy->limit;
  cell->b += policy->window % policy->limit;
  if (cell->b >= policy->limit)
    {
      cell->b -= policy->limit;
      cell->a++;
    }
}

const PsQuotaClass ps_quota_gcra_class = {
  .name = "gcra",
  .evaluate = gcra_evaluate,
  .charge = gcra_charge,
  .clear = NULL,
};
