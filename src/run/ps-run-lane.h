/* ps-run-lane.h: one thread's share of a run: its requests and counters
 *
 * A lane is the bookkeeping a driver thread does around core's client
 * logic: creating a client's requests from its traffic, counting every
 * move in the lane's PsRunStats, and writing a request's record when it
 * ends.  The simulator has one lane; live mode one per client thread, all
 * writing to one sink under one lock.  The driver keeps what is its own:
 * events or timers, the clock, sockets, and where an answer comes from.
 */
#pragma once

#include <glib.h>

#include "ps-population.h"
#include "ps-request.h"
#include "ps-run-stats.h"

G_BEGIN_DECLS

typedef struct
{
  PsPopulation       *pop;
  PsRequestTable     *requests;          /* owned by the lane */
  PsRunStats         *stats;             /* owned by the lane */
  const PsRecordSink *sink;              /* shared by the lanes of a run */
  GMutex             *sink_lock;         /* nullable: the only lane */
  guint64            *next_id;           /* shared; atomic with a lock */
} PsRunLane;

void        ps_run_lane_init            (PsRunLane          *lane,
                                         PsPopulation       *pop,
                                         const PsRecordSink *sink,
                                         GMutex             *sink_lock,
                                         guint64            *next_id);
void        ps_run_lane_clear           (PsRunLane          *lane);

guint32     ps_run_lane_create_request  (PsRunLane          *lane,
                                         PsClient           *client,
                                         PsTime              at,
                                         const PsReplayRow  *row,
                                         PsTime             *out_uplink);
PsTime      ps_run_lane_draw_next_arrival (PsRunLane        *lane,
                                         PsClient           *client,
                                         PsTime              at);
guint32     ps_run_lane_next_to_send    (PsRunLane          *lane,
                                         PsClient           *client,
                                         PsTime              now);
gboolean    ps_run_lane_take_hold       (PsRunLane          *lane,
                                         PsClient           *client,
                                         PsTime             *out_until);
gboolean    ps_run_lane_resume          (PsRunLane          *lane,
                                         PsClient           *client,
                                         PsTime              now);
PsReaction  ps_run_lane_respond         (PsRunLane          *lane,
                                         PsClient           *client,
                                         guint32             slot,
                                         guint               status,
                                         gint64              retry_after_s,
                                         PsTime              now);
gboolean    ps_run_lane_expire          (PsRunLane          *lane,
                                         guint32             slot,
                                         PsTime              now);
PsReaction  ps_run_lane_time_out        (PsRunLane          *lane,
                                         PsClient           *client,
                                         guint32             slot,
                                         PsTime              now);

void        ps_run_lane_record_attempt  (PsRunLane          *lane,
                                         const PsRequest    *request,
                                         PsTime              now,
                                         guint               status,
                                         gint64              retry_after_s);
void        ps_run_lane_record_answer   (PsRunLane          *lane,
                                         guint64             request_id,
                                         guint32             client,
                                         PsTime              now,
                                         guint               status,
                                         gint64              retry_after_s);
void        ps_run_lane_finish_request  (PsRunLane          *lane,
                                         guint32             slot,
                                         PsTime              now);

G_END_DECLS
