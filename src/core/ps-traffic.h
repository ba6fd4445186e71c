/* ps-traffic.h: what a client's arrivals carry, drawn alike by both drivers
 *
 * A new request takes its priority, then its work (service time), then,
 * when the scenario models network latency, its request leg's delay, from
 * its client's traffic stream, in that order, before the next arrival is
 * drawn (a replayed row may give priority and work instead); the simulator and live mode both create requests here,
 * so the same seed gives the same requests in both.  Pure functions of
 * their arguments and the caller's stream: no clock, no I/O.
 */
#pragma once

#include <glib.h>

#include "ps-client.h"
#include "ps-dist.h"
#include "ps-record.h"
#include "ps-replay.h"
#include "ps-request.h"

G_BEGIN_DECLS

/* A group's priority weights as a cumulative table. */
typedef struct
{
  guint  n;                               /* 1..PS_MAX_PRIORITIES */
  double cumulative[PS_MAX_PRIORITIES];
  double total;
} PsPriorityMix;

void   ps_priority_mix_init     (PsPriorityMix       *mix,
                                 const double        *weights,
                                 guint                n);
guint  ps_priority_mix_draw     (const PsPriorityMix *mix,
                                 PsRng               *rng);

PsTime ps_traffic_new_request   (PsRequest           *request,
                                 guint64              id,
                                 PsClient            *client,
                                 PsTime               created,
                                 const PsPriorityMix *mix,
                                 const PsDist        *work,
                                 const PsReplayRow   *row,
                                 const PsDist        *latency);

G_END_DECLS
