/* ps-stats.c: Student-t intervals for replicated runs
 *
 * The t distribution's CDF comes from the regularized incomplete beta
 * function, I_x(a, b), evaluated by its continued fraction (modified
 * Lentz); the quantile inverts the CDF by bisection.  Bisection is slow
 * by numerical standards (a hundred CDF evaluations) but it is used a few
 * times per table, always converges, and gives the same bits everywhere.
 */
#include "ps-stats.h"

#include <math.h>

/* The continued fraction of I_x(a, b), for x < (a + 1) / (a + b + 2). */
static double
beta_fraction (double a, double b, double x)
{
  const double tiny = 1e-300;
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);
  double h;

  d = fabs (d) < tiny ? tiny : d;
  d = 1.0 / d;
  h = d;
  for (int m = 1; m <= 300; m++)
    {
      double m2 = 2.0 * m;
      double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
      double delta;

      d = 1.0 + num * d;
      d = fabs (d) < tiny ? tiny : d;
      c = 1.0 + num / c;
      c = fabs (c) < tiny ? tiny : c;
      d = 1.0 / d;
      h *= d * c;
      num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
      d = 1.0 + num * d;
      d = fabs (d) < tiny ? tiny : d;
      c = 1.0 + num / c;
      c = fabs (c) < tiny ? tiny : c;
      d = 1.0 / d;
      delta = d * c;
      h *= delta;
      if (fabs (delta - 1.0) < 1e-15)
        break;
    }
  return h;
}

/* I_x(a, b), the regularized incomplete beta function. */
static double
incomplete_beta (double a, double b, double x)
{
  double front;

  if (x <= 0)
    return 0;
  if (x >= 1)
    return 1;
  front = exp (lgamma (a + b) - lgamma (a) - lgamma (b)
               + a * log (x) + b * log1p (-x));
  if (x < (a + 1.0) / (a + b + 2.0))
    return front * beta_fraction (a, b, x) / a;
  return 1.0 - front * beta_fraction (b, a, 1.0 - x) / b;
}

/* P(T <= t) for Student's t with @df degrees of freedom (df > 0). */
double
ps_student_t_cdf (double t, double df)
{
  double tail;

  if (isnan (t) || !(df > 0))
    return NAN;
  tail = 0.5 * incomplete_beta (df / 2.0, 0.5, df / (df + t * t));
  return t >= 0 ? 1.0 - tail : tail;
}

/* The t with P(T <= t) = @p, for 0 < p < 1. */
double
ps_student_t_quantile (double p, double df)
{
  double lo = 0, hi = 1;
  double q = p < 0.5 ? 1.0 - p : p;

  if (!(p > 0 && p < 1) || !(df > 0))
    return NAN;
  if (p == 0.5)
    return 0;
  while (ps_student_t_cdf (hi, df) < q && hi < 1e12)
    hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-14 * hi; i++)
    {
      double mid = 0.5 * (lo + hi);

      if (ps_student_t_cdf (mid, df) < q)
        lo = mid;
      else
        hi = mid;
    }
  return p < 0.5 ? -0.5 * (lo + hi) : 0.5 * (lo + hi);
}

/* Mean and sample sd of the values that are not NAN (two passes). */
PsMoments
ps_moments_of (const double *values, gsize n)
{
  PsMoments m = { 0, NAN, NAN };
  double sum = 0, squares = 0;

  for (gsize i = 0; i < n; i++)
    if (!isnan (values[i]))
      {
        sum += values[i];
        m.n++;
      }
  if (m.n == 0)
    return m;
  m.mean = sum / m.n;
  if (m.n < 2)
    return m;
  for (gsize i = 0; i < n; i++)
    if (!isnan (values[i]))
      squares += (values[i] - m.mean) * (values[i] - m.mean);
  m.sd = sqrt (squares / (m.n - 1));
  return m;
}

/* Half-width of the two-sided @level confidence interval of the mean:
 * t(1 - (1 - level) / 2, n - 1) · sd / √n; NAN when n < 2. */
double
ps_moments_ci_half (const PsMoments *m, double level)
{
  if (m->n < 2)
    return NAN;
  return ps_student_t_quantile (1.0 - (1.0 - level) / 2.0, m->n - 1)
         * m->sd / sqrt ((double) m->n);
}

/* Half-width of the @level prediction interval for one more value:
 * t · sd · √(1 + 1/n); NAN when n < 2. */
double
ps_moments_prediction_half (const PsMoments *m, double level)
{
  if (m->n < 2)
    return NAN;
  return ps_student_t_quantile (1.0 - (1.0 - level) / 2.0, m->n - 1)
         * m->sd * sqrt (1.0 + 1.0 / m->n);
}
