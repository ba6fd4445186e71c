/* ps-arrival.h: when a client generates its requests
 *
 * An arrival process turns a client's own traffic stream into the absolute
 * times of its requests: ps_arrival_next() returns the next one after
 * @now, so the arrivals of one client never depend on another client or
 * on the server's answers.  Each client keeps a PsArrivalState of 16
 * bytes (a million clients: 16 MB); a PsArrivalSpec is shared by a group
 * and never changes once built.  Poisson (optionally with a rate profile),
 * constant and on/off draw their times; trace and access_log replay
 * recorded ones (ps-replay.h).  No clock, no I/O; a state belongs to one
 * thread, a spec may be read by any.
 */
#pragma once

#include <glib.h>

#include "ps-replay.h"
#include "ps-rng.h"
#include "ps-time.h"

G_BEGIN_DECLS

typedef enum
{
  PS_ARRIVAL_POISSON,     /* rate, optional profile */
  PS_ARRIVAL_CONSTANT,    /* interval, jitter */
  PS_ARRIVAL_ONOFF,       /* on_rate, off_rate, on_mean, off_mean */
  PS_ARRIVAL_TRACE,       /* replay: rows of a CSV trace */
  PS_ARRIVAL_ACCESS_LOG,  /* replay: lines of an access log */
} PsArrivalProcess;

#define PS_ARRIVAL_LAST PS_ARRIVAL_ACCESS_LOG

/* One corner of a piecewise-linear rate multiplier. */
typedef struct
{
  PsTime at;              /* from t=0; non-decreasing along the profile */
  double multiplier;      /* >= 0 */
} PsProfilePoint;

typedef struct
{
  PsArrivalProcess process;
  double           rate;        /* poisson: requests per second, > 0 */
  PsTime           interval;    /* constant: > 0 */
  PsTime           jitter;      /* constant: each gap +- uniform(jitter) */

  /* poisson: the rate at t is rate * m(t), m linear between points, held
   * after the last one; NULL for a constant rate.  Owned by the spec. */
  PsProfilePoint  *profile;
  guint            n_profile;   /* first point at 0 */
  double           profile_max; /* the largest multiplier, > 0 */

  /* onoff: a two-state Markov-modulated Poisson process */
  double           on_rate;     /* requests per second while on, > 0 */
  double           off_rate;    /* ... while off, >= 0 */
  PsTime           on_mean;     /* mean sojourn in each state, > 0 */
  PsTime           off_mean;

  /* trace, access_log: the recorded rows; owned by the spec */
  PsReplay        *replay;
} PsArrivalSpec;

/* A client's progress through its process; all zero is a fresh state for
 * every process but the replays (see ps_arrival_state_init()). */
typedef struct
{
  union
  {
    PsTime   switch_at;         /* onoff: when the current state ends */
    struct
    {
      guint32 next;             /* replay: first row not yet returned */
      guint32 end;              /* ... one past the client's last row */
    } rows;
  };
  guint8     started;           /* constant, onoff: first call done */
  guint8     on;                /* onoff: in the on state */
} PsArrivalState;

void         ps_arrival_state_init         (PsArrivalState      *state,
                                            const PsArrivalSpec *spec,
                                            guint32              index);
PsTime       ps_arrival_next               (const PsArrivalSpec *spec,
                                            PsArrivalState      *state,
                                            PsRng               *rng,
                                            PsTime               now);
const PsReplayRow *
             ps_arrival_current_row        (const PsArrivalSpec *spec,
                                            const PsArrivalState *state);

double       ps_arrival_multiplier         (const PsArrivalSpec *spec,
                                            PsTime               t);
double       ps_arrival_mean_rate          (const PsArrivalSpec *spec);
gboolean     ps_arrival_is_replay          (const PsArrivalSpec *spec);
void         ps_arrival_spec_clear         (PsArrivalSpec       *spec);

/* Poisson without a profile and constant only: kept for callers that
 * schedule by gaps (same draws as ps_arrival_next()). */
PsTime       ps_arrival_first              (const PsArrivalSpec *spec,
                                            PsRng               *rng);
PsTime       ps_arrival_gap                (const PsArrivalSpec *spec,
                                            PsRng               *rng);

const char  *ps_arrival_process_to_string  (PsArrivalProcess     process);
gboolean     ps_arrival_process_from_string (const char         *name,
                                            PsArrivalProcess    *out_process);

G_END_DECLS
