/* ps-run-summary.c: figures of a run that both drivers compute alike
 *
 * Jain's fairness index, (sum x)^2 / (n * sum x^2):
 *
 * 1 when every client got the same, 1/n when one got everything.  Long
 * double sums: a million clients with a million requests each fit exactly.
 */
#include "ps-record.h"

#include <math.h>

double
ps_jain_index (const guint64 *values, gsize n)
{
  long double sum = 0, sum_sq = 0;

  for (gsize i = 0; i < n; i++)
    {
      sum += values[i];
      sum_sq += (long double) values[i] * values[i];
    }
  if (n == 0 || sum_sq == 0)
    return NAN;
  return (double) (sum * sum / ((long double) n * sum_sq));
}
