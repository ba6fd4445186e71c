/* ps-quota-fixed-window.c: at most @limit admissions per aligned window
 *
 * Windows are half-open [k*window, (k+1)*window), aligned to the run's t=0.
 * Cell: a = index of the window last charged, b = admissions in it.  The
 * reference algorithm: simple, and it lets up to 2*limit through across a
 * boundary, which is what users compare the others against.
 */
#include "ps-quota-private.h"

static void
fixed_window_evaluate (const PsQuotaCell *cell, const PsQuotaPolicy *policy,
                       PsTime now, PsQuotaResult *out)
{
  gint64 index = now / policy->window;
  gint64 used = cell->a == index ? cell->b : 0;
  PsTime window_end = (index + 1) * policy->window;

  out->limit = policy->limit;
  out->reset = window_end - now;
  if (used < policy->limit)
    {
      out->verdict = PS_QUOTA_ALLOW;
      out->remaining = (guint32) (policy->limit - used - 1);
      out->retry_after = 0;
    }
  else
    {
      out->verdict = PS_QUOTA_DENY;
      out->remaining = 0;
      out->retry_after = window_end - now;     /* > 0: windows are half-open */
    }
}

static void
fixed_window_charge (PsQuotaCell *cell, const PsQuotaPolicy *policy, PsTime now)
{
  gint64 index = now / policy->window;

  if (cell->a != index || cell->b == 0)
    {
      cell->a = index;
      cell->b = 0;
    }
  cell->b++;
}

const PsQuotaClass ps_quota_fixed_window_class = {
  .name = "fixed_window",
  .evaluate = fixed_window_evaluate,
  .charge = fixed_window_charge,
  .clear = NULL,
};
