/* ps-replay.h: recorded arrivals (a trace CSV, an access log) per client
 *
 * A PsReplay holds every recorded request of a client group: its time,
 * and optionally its priority and its work.  It is built row by row in
 * file order, then finished: rows are stably sorted by (client, time), so
 * each client's rows are contiguous, in time order, and rows of one client
 * at the same instant keep their file order.  Clients are dense indices
 * 0..n_clients-1, numbered by the caller (in order of first appearance).
 * Finished, it never changes: any thread may read it.  Pure data, no I/O.
 */
#pragma once

#include <glib.h>

#include "ps-time.h"

G_BEGIN_DECLS

#define PS_REPLAY_NO_PRIORITY 0xff      /* draw it from the group's weights */
#define PS_REPLAY_NO_WORK     (-1)      /* draw it from the work distribution */

typedef struct
{
  PsTime  time;                         /* from the run's t=0, >= 0 */
  PsTime  work;                         /* service time, or PS_REPLAY_NO_WORK */
  guint32 client;                       /* dense index in the group */
  guint8  priority;                     /* 0..15, or PS_REPLAY_NO_PRIORITY */
} PsReplayRow;

typedef struct _PsReplay PsReplay;

PsReplay           *ps_replay_new              (void);
void                ps_replay_free             (PsReplay        *replay);

void                ps_replay_add              (PsReplay        *replay,
                                                guint32          client,
                                                PsTime           time,
                                                guint            priority,
                                                PsTime           work);
void                ps_replay_finish           (PsReplay        *replay);

guint32             ps_replay_get_n_clients    (const PsReplay  *replay);
guint32             ps_replay_get_n_rows       (const PsReplay  *replay);
const PsReplayRow  *ps_replay_get_row          (const PsReplay  *replay,
                                                guint32          index);
void                ps_replay_get_client_rows  (const PsReplay  *replay,
                                                guint32          client,
                                                guint32         *out_start,
                                                guint32         *out_end);
guint               ps_replay_get_n_priorities (const PsReplay  *replay);
PsTime              ps_replay_get_last_time    (const PsReplay  *replay);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsReplay, ps_replay_free)

G_END_DECLS
