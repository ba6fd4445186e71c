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

/**
 * ps_jain_index_served:
 *
 * Jain's index over each client's served share, completed ÷ generated,
 * leaving out clients that generated nothing.  Over raw completed counts
 * a starved group looks fair when the groups' demand differs (a client
 * that asked for 10 and got 10 against one that asked for 1,000 and got
 * 10 "share equally"); over served shares it does not.  1 when every
 * client got the same share of what it asked for; NAN when nobody was
 * served anything.
 */
double
ps_jain_index_served (const guint64 *completed, const guint64 *generated, gsize n)
{
  long double sum = 0, sum_sq = 0;
  gsize counted = 0;

  for (gsize i = 0; i < n; i++)
    {
      long double share;

      if (generated[i] == 0)
        continue;
      share = (long double) completed[i] / generated[i];
      sum += share;
      sum_sq += share * share;
      counted++;
    }
  if (counted == 0 || sum_sq == 0)
    return NAN;
  return (double) (sum * sum / ((long double) counted * sum_sq));
}
