/* ps-duration.h: scenario durations ("250ms", "1.5h", or seconds) as exact µs
 *
 * A duration is written as a number of seconds or as <decimal><unit> with
 * unit us, ms, s, m or h.  Strings are converted digit by digit, never
 * through a double, so "0.1s" is exactly 100000 µs.  Pure functions.
 */
#pragma once

#include <glib.h>

#include "ps-time.h"

G_BEGIN_DECLS

/* The longest duration a scenario may give: 10 years of 365 days. */
#define PS_DURATION_MAX (PS_TIME_FROM_SEC (G_GINT64_CONSTANT (3650) * 86400))

/* Enough for "315360000000000us" and the terminator. */
#define PS_DURATION_STR_LEN 32

typedef enum
{
  PS_DURATION_OK,
  PS_DURATION_MALFORMED,     /* not <number><unit> */
  PS_DURATION_NEGATIVE,
  PS_DURATION_TOO_LONG,      /* over PS_DURATION_MAX */
  PS_DURATION_TOO_FINE,      /* not a whole number of microseconds */
} PsDurationStatus;

PsDurationStatus  ps_duration_parse         (const char *text,
                                             PsTime     *out);
PsDurationStatus  ps_duration_from_seconds  (double      seconds,
                                             PsTime     *out);
PsDurationStatus  ps_duration_from_int_seconds (gint64   seconds,
                                             PsTime     *out);
const char       *ps_duration_format        (PsTime      duration,
                                             char        buf[PS_DURATION_STR_LEN]);

G_END_DECLS
