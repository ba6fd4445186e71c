/* ps-arrival.c: gaps between a client's requests
 *
 * A constant process starts at a random phase within its first interval:
 * a thousand clients all firing at t=0 would be an artefact of the model,
 * not a property of the traffic.
 */
#include "ps-arrival.h"

#include <math.h>

#include "ps-dist.h"

static PsTime
round_us (double x)
{
  return x > 0 ? (PsTime) llround (x) : 0;
}

/* Time of the first arrival, measured from t=0. */
PsTime
ps_arrival_first (const PsArrivalSpec *spec, PsRng *rng)
{
  switch (spec->process)
    {
    case PS_ARRIVAL_POISSON:
      return ps_arrival_gap (spec, rng);    /* memoryless: same as any gap */
    case PS_ARRIVAL_CONSTANT:
      return (PsTime) ps_rng_below (rng, (guint64) spec->interval);
    default:
      g_assert_not_reached ();
    }
}

/* Gap from one arrival to the next, >= 0. */
PsTime
ps_arrival_gap (const PsArrivalSpec *spec, PsRng *rng)
{
  switch (spec->process)
    {
    case PS_ARRIVAL_POISSON:
      return round_us (ps_sample_exponential (rng, 1e6 / spec->rate));
    case PS_ARRIVAL_CONSTANT:
      if (spec->jitter > 0)
        {
          gint64 span = 2 * spec->jitter + 1;
          PsTime gap = spec->interval - spec->jitter
                       + (PsTime) ps_rng_below (rng, (guint64) span);
          return MAX (gap, 0);
        }
      return spec->interval;
    default:
      g_assert_not_reached ();
    }
}

/* Requests per second in the long run. */
double
ps_arrival_mean_rate (const PsArrivalSpec *spec)
{
  switch (spec->process)
    {
    case PS_ARRIVAL_POISSON:
      return spec->rate;
    case PS_ARRIVAL_CONSTANT:
      return 1e6 / (double) spec->interval;
    default:
      g_assert_not_reached ();
    }
}

const char *
ps_arrival_process_to_string (PsArrivalProcess process)
{
  switch (process)
    {
    case PS_ARRIVAL_POISSON:
      return "poisson";
    case PS_ARRIVAL_CONSTANT:
      return "constant";
    default:
      g_assert_not_reached ();
    }
}
