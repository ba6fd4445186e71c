/* ps-time.h: time in poolsim is a gint64 count of microseconds
 *
 * The simulator passes its virtual clock, live mode passes the monotonic
 * clock minus the run's start.  Seconds appear only in output, printed from
 * the integer, never through a double, so output is byte-stable.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gint64 PsTime;

#define PS_TIME_NEVER   G_MAXINT64
#define PS_USEC_PER_MS  G_GINT64_CONSTANT (1000)
#define PS_USEC_PER_SEC G_GINT64_CONSTANT (1000000)

#define PS_TIME_FROM_SEC(s) ((PsTime) (s) * PS_USEC_PER_SEC)
#define PS_TIME_FROM_MS(ms) ((PsTime) (ms) * PS_USEC_PER_MS)

/* Enough for "-9223372036854.775808" and the terminator. */
#define PS_TIME_STR_LEN 24

/* Writes @t as seconds with six decimals ("12.000250") into @buf. */
static inline const char *
ps_time_format_s (PsTime t, char buf[PS_TIME_STR_LEN])
{
  guint64 mag = t < 0 ? (guint64) 0 - (guint64) t : (guint64) t;

  g_snprintf (buf, PS_TIME_STR_LEN, "%s%" G_GUINT64_FORMAT ".%06" G_GUINT64_FORMAT,
              t < 0 ? "-" : "", mag / 1000000, mag % 1000000);
  return buf;
}

/* llround (@us) for 0 <= @us < 2^63, inline: every sampled gap and
 * service time goes through it.  Below 2^52 the fraction @us - trunc
 * is exact; above, @us is whole and the fraction 0.  Halves round up,
 * away from zero, as llround's do. */
static inline PsTime
ps_time_round_us (double us)
{
  PsTime whole = (PsTime) us;

  return whole + (us - (double) whole >= 0.5);
}

/* Whole seconds, rounded up: the Retry-After convention. */
static inline gint64
ps_time_ceil_s (PsTime t)
{
  if (t <= 0)
    return 0;
  return (t + PS_USEC_PER_SEC - 1) / PS_USEC_PER_SEC;
}

G_END_DECLS
