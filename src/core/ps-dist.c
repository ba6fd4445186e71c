/* ps-dist.c: sampling the duration distributions
 *
 * Inversion for the exponential, Box-Muller for the normal underlying the
 * lognormal (one value per call: a cached second value would be hidden
 * state and break common random numbers between streams).
 */
#include "ps-dist.h"

#include <math.h>
#include <string.h>

static const char *const kind_names[] = {
  [PS_DIST_CONSTANT] = "constant",
  [PS_DIST_UNIFORM] = "uniform",
  [PS_DIST_EXPONENTIAL] = "exponential",
  [PS_DIST_LOGNORMAL] = "lognormal",
};

double
ps_sample_exponential (PsRng *rng, double mean)
{
  return -mean * log (ps_rng_double_open (rng));
}

static double
sample_lognormal (PsRng *rng, double mean, double stddev)
{
  double sigma2 = log1p ((stddev * stddev) / (mean * mean));
  double mu = log (mean) - sigma2 / 2;
  double u1 = ps_rng_double_open (rng);
  double u2 = ps_rng_double (rng);
  double z = sqrt (-2 * log (u1)) * cos (2 * G_PI * u2);

  return exp (mu + sqrt (sigma2) * z);
}

/**
 * ps_dist_sample:
 *
 * Returns: one sample, rounded to the nearest microsecond, >= 0.
 */
PsTime
ps_dist_sample (const PsDist *dist, PsRng *rng)
{
  double x;

  switch (dist->kind)
    {
    case PS_DIST_CONSTANT:
      x = dist->a;
      break;
    case PS_DIST_UNIFORM:
      x = dist->a + (dist->b - dist->a) * ps_rng_double (rng);
      break;
    case PS_DIST_EXPONENTIAL:
      x = ps_sample_exponential (rng, dist->a);
      break;
    case PS_DIST_LOGNORMAL:
      x = dist->a > 0 ? sample_lognormal (rng, dist->a, dist->b) : 0;
      break;
    default:
      g_assert_not_reached ();
    }
  if (!(x > 0))                         /* also catches NaN */
    return 0;
  if (x >= (double) G_MAXINT64 / 2)
    return G_MAXINT64 / 2;
  return ps_time_round_us (x);
}

double
ps_dist_mean (const PsDist *dist)
{
  switch (dist->kind)
    {
    case PS_DIST_CONSTANT:
    case PS_DIST_EXPONENTIAL:
    case PS_DIST_LOGNORMAL:
      return dist->a;
    case PS_DIST_UNIFORM:
      return (dist->a + dist->b) / 2;
    default:
      g_assert_not_reached ();
    }
}

const char *
ps_dist_kind_to_string (PsDistKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
ps_dist_kind_from_string (const char *name, PsDistKind *out_kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (strcmp (name, kind_names[i]) == 0)
      {
        *out_kind = (PsDistKind) i;
        return TRUE;
      }
  return FALSE;
}
