/* ps-run-summary.c: figures of a run that both drivers compute alike
 *
 * Jain's fairness index, (sum x)^2 / (n * sum x^2):
 *
 * 1 when every client got the same, 1/n when one got everything.  Long
 * double sums: a million clients with a million requests each fit exactly.
 */
#include "ps-record.h"

#include <math.h>
#include <string.h>

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

/* Counts a 429 against the policy @policy_name (a few names: linear scan);
 * past PS_MAX_POLICY_NAMES distinct names the rest go under "other". */
void
ps_summary_count_429 (PsRunSummary *summary, const char *policy_name)
{
  guint i;

  for (i = 0; i < summary->n_policy_names; i++)
    if (strcmp (summary->policy_names[i], policy_name) == 0)
      break;
  if (i == summary->n_policy_names)
    {
      if (i == PS_MAX_POLICY_NAMES)
        i = PS_MAX_POLICY_NAMES - 1;
      else
        summary->n_policy_names++;
      summary->policy_names[i] = i == PS_MAX_POLICY_NAMES - 1 ? "other" : policy_name;
    }
  summary->policy_429[i]++;
}
