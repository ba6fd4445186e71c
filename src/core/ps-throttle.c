/* ps-throttle.c: the SRE formula over a bucketed window */
#include "ps-throttle.h"

void
ps_throttle_init (PsThrottle *throttle, const PsThrottleSpec *spec)
{
  throttle->spec = spec;
  ps_window_counter_init (&throttle->window, spec->window);
}

/* The probability a new attempt would be rejected locally now. */
double
ps_throttle_reject_probability (PsThrottle *throttle, PsTime now)
{
  double requests = (double) ps_window_counter_sum (&throttle->window, 0, now);
  double accepts = (double) ps_window_counter_sum (&throttle->window, 1, now);

  return MAX (0.0, (requests - throttle->spec->k * accepts) / (requests + 1));
}

/**
 * ps_throttle_admit:
 * @rng: drawn from only when the probability is above 0, so a healthy
 *   client's stream is what it would be without a throttle
 *
 * Counts one request and decides it.  Returns: TRUE if it may be sent.
 */
gboolean
ps_throttle_admit (PsThrottle *throttle, PsRng *rng, PsTime now)
{
  double p = ps_throttle_reject_probability (throttle, now);

  ps_window_counter_add (&throttle->window, 0, now);
  return p <= 0 || ps_rng_double (rng) >= p;
}

/* The server accepted an attempt (a 200). */
void
ps_throttle_on_accept (PsThrottle *throttle, PsTime now)
{
  ps_window_counter_add (&throttle->window, 1, now);
}
