/* ps-arrival.h: when a client generates its requests
 *
 * An arrival process is a recipe for the gap between one request and the
 * next, drawn from the client's own traffic stream, so the arrivals of one
 * client never depend on another client or on the server's answers.
 */
#pragma once

#include <glib.h>

#include "ps-rng.h"
#include "ps-time.h"

G_BEGIN_DECLS

typedef enum
{
  PS_ARRIVAL_POISSON,     /* rate */
  PS_ARRIVAL_CONSTANT,    /* interval, jitter */
} PsArrivalProcess;

typedef struct
{
  PsArrivalProcess process;
  double           rate;        /* poisson: requests per second, > 0 */
  PsTime           interval;    /* constant: > 0 */
  PsTime           jitter;      /* constant: each gap +- uniform(jitter) */
} PsArrivalSpec;

PsTime       ps_arrival_first              (const PsArrivalSpec *spec,
                                            PsRng               *rng);
PsTime       ps_arrival_gap                (const PsArrivalSpec *spec,
                                            PsRng               *rng);
double       ps_arrival_mean_rate          (const PsArrivalSpec *spec);

const char  *ps_arrival_process_to_string  (PsArrivalProcess     process);

G_END_DECLS
