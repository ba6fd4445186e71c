/* ps-stats.h: what replications say: means, spreads and their intervals
 *
 * Small-sample statistics for comparing runs: the sample mean and
 * standard deviation, the Student-t quantile, and from them confidence
 * and prediction half-widths.  NAN values are missing and are skipped.
 * Everything is computed the same way on every machine (no FMA, fixed
 * iteration counts), so tables built from it are reproducible.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint  n;          /* values that were not NAN */
  double mean;       /* NAN when n = 0 */
  double sd;         /* sample sd (n - 1); NAN when n < 2 */
} PsMoments;

double    ps_student_t_cdf        (double        t,
                                   double        df);
double    ps_student_t_quantile   (double        p,
                                   double        df);
PsMoments ps_moments_of           (const double *values,
                                   gsize         n);
double    ps_moments_ci_half      (const PsMoments *m,
                                   double        level);
double    ps_moments_prediction_half (const PsMoments *m,
                                   double        level);

G_END_DECLS
