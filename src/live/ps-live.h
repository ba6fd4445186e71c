/* ps-live.h: what every part of live mode shares: its error domain and
 * its clock
 *
 * Live mode runs the model on scenario time: now = (monotonic clock - the
 * run's start) * time_scale.  Every real wait (service, arrival gap,
 * pause, timeout) is a scenario duration divided by the time scale, so
 * quota windows and Retry-After values stay in scenario seconds; with a
 * time scale of 1 they are real seconds.  A PsLiveClock is a plain value,
 * read-only once set: any thread may read it.  Each reader keeps its own
 * last reading and never lets its time go back (threads may read the
 * monotonic clock out of order).
 */
#pragma once

#include <glib.h>
#include <math.h>

#include "ps-time.h"

G_BEGIN_DECLS

#define PS_LIVE_ERROR (ps_live_error_quark ())

typedef enum
{
  PS_LIVE_ERROR_LISTEN,          /* bad address, port in use */
  PS_LIVE_ERROR_TARGET,          /* bad --target URL */
  PS_LIVE_ERROR_SCENARIO,        /* valid, but cannot run live */
  PS_LIVE_ERROR_THREADS,         /* could not start threads */
  PS_LIVE_ERROR_CONSERVATION,    /* a request went missing: a bug */
} PsLiveError;

/* Request bodies larger than this are refused with 413 unread. */
#define PS_LIVE_MAX_BODY (64 * 1024)
#define PS_LIVE_MAX_CONNECTIONS   50000             /* default cap, at most */
#define PS_LIVE_HEADER_TIMEOUT_US (10 * G_USEC_PER_SEC)
#define PS_LIVE_IDLE_TIMEOUT_US   (60 * G_USEC_PER_SEC)

/* Time scales allowed: a run cannot go more than 10^6 times faster or
 * slower than real time. */
#define PS_LIVE_MIN_TIME_SCALE 1e-6
#define PS_LIVE_MAX_TIME_SCALE 1e6

typedef struct
{
  gint64 start;                  /* g_get_monotonic_time () at scenario t = 0 */
  double scale;                  /* scenario µs per real µs, > 0 */
} PsLiveClock;

GQuark    ps_live_error_quark       (void);
void      ps_live_clock_init        (PsLiveClock       *clock,
                                     double             scale);
gboolean  ps_live_parse_time_scale  (const char        *text,
                                     double            *out_scale,
                                     GError           **error);

/* Scenario time now, never before *@last (which it updates). */
static inline PsTime
ps_live_clock_now (const PsLiveClock *clock, PsTime *last)
{
  gint64 real = g_get_monotonic_time () - clock->start;
  PsTime now = real <= 0 ? 0 : (PsTime) ((double) real * clock->scale);

  if (now < *last)
    now = *last;
  *last = now;
  return now;
}

/* The monotonic instant at which scenario time @t comes; never early. */
static inline gint64
ps_live_clock_real_at (const PsLiveClock *clock, PsTime t)
{
  return clock->start + (gint64) ceil ((double) t / clock->scale);
}

/* Real microseconds that scenario duration @span lasts. */
static inline gint64
ps_live_clock_real_span (const PsLiveClock *clock, PsTime span)
{
  return span <= 0 ? 0 : (gint64) ceil ((double) span / clock->scale);
}

G_END_DECLS
