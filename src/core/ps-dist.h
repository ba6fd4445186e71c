/* ps-dist.h: distributions of durations (service times, think times)
 *
 * Parameters are in microseconds, as doubles; a sample is rounded to the
 * nearest microsecond at once and never negative.  Stateless: the caller
 * owns the random stream.
 */
#pragma once

#include <glib.h>

#include "ps-rng.h"
#include "ps-time.h"

G_BEGIN_DECLS

typedef enum
{
  PS_DIST_CONSTANT,      /* a = value */
  PS_DIST_UNIFORM,       /* a = min, b = max */
  PS_DIST_EXPONENTIAL,   /* a = mean */
  PS_DIST_LOGNORMAL,     /* a = mean, b = standard deviation (of the samples) */
} PsDistKind;

typedef struct
{
  PsDistKind kind;
  double     a;
  double     b;
} PsDist;

PsTime       ps_dist_sample          (const PsDist *dist,
                                      PsRng        *rng);
double       ps_dist_mean            (const PsDist *dist);
const char  *ps_dist_kind_to_string  (PsDistKind    kind);
gboolean     ps_dist_kind_from_string (const char  *name,
                                      PsDistKind   *out_kind);

double       ps_sample_exponential   (PsRng        *rng,
                                      double        mean);

G_END_DECLS
