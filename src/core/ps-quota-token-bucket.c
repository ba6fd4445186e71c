/* ps-quota-token-bucket.c: @burst tokens, refilled at @limit per @window
 *
 * The bucket starts full; each admission takes one token; tokens flow back
 * continuously at @limit per @window, up to @burst (default @limit).  Exact
 * in integers: the bucket is counted in units of 1/window token, so a token
 * is `window` units, a full bucket `burst * window`, and each microsecond
 * adds `limit` units.  A fresh client may burst, then gets the long-run
 * rate; unlike the window algorithms, nothing is aligned to t=0.
 *
 * Cell: a = time of the last charge, b = units missing from a full bucket
 * at a, 0 <= b <= burst * window; a zeroed cell is a full bucket.
 * burst * window and limit * window must be at most G_MAXINT64 / 4
 * (checked: evaluate answers NEVER with a critical otherwise).
 */
#include "ps-quota-private.h"

static inline gboolean
token_bucket_fits (const PsQuotaPolicy *policy)
{
  guint64 most = MAX (policy->limit, ps_quota_policy_burst (policy));

  return most <= (guint64) (G_MAXINT64 / 4) / (guint64) policy->window;
}

/* ceil(@x / @y) for @x >= 0, @y > 0, without overflow. */
static inline gint64
div_ceil (gint64 x, gint64 y)
{
  return x / y + (x % y != 0);
}

/* Units missing at @t >= cell->a: what was missing, less the refill. */
static gint64
missing_at (const PsQuotaCell *cell, const PsQuotaPolicy *policy, PsTime t)
{
  PsTime elapsed = t - cell->a;

  if (elapsed >= div_ceil (cell->b, policy->limit))
    return 0;                           /* full again; also avoids overflow */
  return cell->b - elapsed * policy->limit;
}

/* Fills @out.  limit is the policy's refill per window (the q a client
 * reads in RateLimit-Policy), not the bucket size; remaining counts the
 * whole tokens left after this request; reset is when the bucket is full
 * again; retry_after is when it next holds a whole token. */
static void
token_bucket_evaluate (const PsQuotaCell *cell, const PsQuotaPolicy *policy,
                       PsTime now, PsQuotaResult *out)
{
  gint64 token, full, missing;
  PsTime t;

  out->limit = policy->limit;
  out->verdict = PS_QUOTA_NEVER;        /* if the policy is out of range */
  g_return_if_fail (token_bucket_fits (policy));

  token = policy->window;
  full = (gint64) ps_quota_policy_burst (policy) * token;
  t = MAX (now, cell->a);               /* a clock read out of order */
  missing = missing_at (cell, policy, t);
  if (missing <= full - token)
    {
      out->verdict = PS_QUOTA_ALLOW;
      out->remaining = (guint32) ((full - missing - token) / token);
      out->reset = (t - now) + div_ceil (missing + token, policy->limit);
      out->retry_after = 0;
    }
  else
    {
      out->verdict = PS_QUOTA_DENY;
      out->remaining = 0;
      out->reset = (t - now) + div_ceil (missing, policy->limit);
      out->retry_after =
        (t - now) + div_ceil (missing - (full - token), policy->limit);
    }
}

static void
token_bucket_charge (PsQuotaCell *cell, const PsQuotaPolicy *policy,
                     PsTime now)
{
  PsTime t = MAX (now, cell->a);

  cell->b = missing_at (cell, policy, t) + policy->window;
  cell->a = t;
}

const PsQuotaClass ps_quota_token_bucket_class = {
  .name = "token_bucket",
  .evaluate = token_bucket_evaluate,
  .charge = token_bucket_charge,
  .clear = NULL,
};
