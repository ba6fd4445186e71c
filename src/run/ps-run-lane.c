/* ps-run-lane.c: a client's requests from creation to their record
 *
 * Every function here is one move of the model as both drivers make it:
 * core decides (ps-client, ps-traffic), the lane counts and writes.  The
 * driver calls them at the instant the move happens on its clock.
 */
#include "ps-run-lane.h"

/**
 * ps_run_lane_init:
 * @sink: (transfer none): where records go; must outlive the lane
 * @sink_lock: (nullable): taken around every sink call, when lanes run on
 *   several threads
 * @next_id: the run's next request id, shared by its lanes
 */
void
ps_run_lane_init (PsRunLane *lane, PsPopulation *pop, const PsRecordSink *sink,
                  GMutex *sink_lock, guint64 *next_id)
{
  const PsScenario *sc = pop->scenario;

  *lane = (PsRunLane) {
    .pop = pop,
    .requests = ps_request_table_new (),
    .stats = ps_run_stats_new (sc->duration, sc->bin, pop->n_priorities),
    .sink = sink,
    .sink_lock = sink_lock,
    .next_id = next_id,
  };
}

void
ps_run_lane_clear (PsRunLane *lane)
{
  g_clear_pointer (&lane->requests, ps_request_table_free);
  g_clear_pointer (&lane->stats, ps_run_stats_free);
}

static guint64
take_id (PsRunLane *lane)
{
  if (lane->sink_lock == NULL)
    return (*lane->next_id)++;
  return __atomic_fetch_add (lane->next_id, 1, __ATOMIC_RELAXED);
}

/**
 * ps_run_lane_create_request:
 * @at: the instant it is generated (scenario time)
 * @row: (nullable): the replayed request, which may give priority and work
 * @out_uplink: (out) (optional): its request leg's delay, drawn when the
 *   scenario models latency, else 0
 *
 * A new request of @client, drawn from its traffic stream and put in its
 * queue.  Returns: its slot, or PS_NO_SLOT when the client's queue was
 * full: it was dropped and its record written.
 */
guint32
ps_run_lane_create_request (PsRunLane *lane, PsClient *client, PsTime at,
                            const PsReplayRow *row, PsTime *out_uplink)
{
  const PsRunGroup *group = &lane->pop->groups[client->group];
  guint32 slot = ps_request_table_alloc (lane->requests);
  PsRequest *req = ps_request_table_get (lane->requests, slot);
  PsTime uplink;
  gboolean queued;

  uplink = ps_traffic_new_request (req, take_id (lane), client, at, &group->priorities,
                                   group->work, row, lane->pop->latency);
  if (out_uplink != NULL)
    *out_uplink = uplink;
  queued = ps_client_enqueue (client, lane->requests, slot);
  ps_run_stats_on_generated (lane->stats, at, queued);
  if (queued)
    return slot;
  ps_run_lane_finish_request (lane, slot, at);
  return PS_NO_SLOT;
}

/* After the request of @client's arrival at @at: the instant of its next
 * one, or PS_TIME_NEVER when that falls at or past the end of the run. */
PsTime
ps_run_lane_draw_next_arrival (PsRunLane *lane, PsClient *client, PsTime at)
{
  PsTime next = ps_arrival_next (&lane->pop->groups[client->group].spec->arrival,
                                 &client->arrival, &client->traffic, at);

  return next < lane->pop->scenario->duration ? next : PS_TIME_NEVER;
}

/* A request the client's throttle refused: counted, written if final; a
 * pause it began is reported to the driver as a hold (take_hold()). */
static void
rejected_locally (PsRunLane *lane, PsClient *client, const PsLocalRejection *local,
                  PsTime now)
{
  PsReaction r = local->reaction;
  gboolean began = r.began_pause;

  ps_run_stats_on_throttled (lane->stats, now);
  r.began_pause = FALSE;                 /* the hold counts the pause */
  ps_run_stats_on_reaction (lane->stats, &r,
                            ps_request_table_get (lane->requests, local->slot), now);
  if (r.kind != PS_REACTION_REQUEUED)
    ps_run_lane_finish_request (lane, local->slot, now);
  else if (r.resume_at >= 0)
    ps_client_defer_hold (client, began);
}

/* The next request @client may send now, counted as sent; PS_NO_SLOT when
 * it may send nothing.  A throttled client may refuse some first. */
guint32
ps_run_lane_next_to_send (PsRunLane *lane, PsClient *client, PsTime now)
{
  PsLocalRejection local;
  guint32 slot;

  if (G_LIKELY (!client->next_checked))
    {
      slot = ps_client_next (client, lane->requests, now);
      if (slot != PS_NO_SLOT)
        ps_run_stats_on_sent (lane->stats, now);
      return slot;
    }
  for (;;)
    {
      slot = ps_client_next_checked (client, lane->requests, now, &local);
      if (slot != PS_NO_SLOT)
        {
          ps_run_stats_on_sent (lane->stats, now);
          return slot;
        }
      if (local.slot == PS_NO_SLOT)
        return PS_NO_SLOT;
      rejected_locally (lane, client, &local, now);
    }
}

/**
 * ps_run_lane_time_out:
 * @slot: a SENT request of @client whose request_timeout has come (the
 *   caller knows the timer is not stale)
 *
 * The client stops waiting for the attempt.  Returns: its reaction; for
 * PS_REACTION_REQUEUED with a @resume_at the driver wakes the client then,
 * and in any case it may send again now.
 */
PsReaction
ps_run_lane_time_out (PsRunLane *lane, PsClient *client, guint32 slot, PsTime now)
{
  PsReaction r = ps_client_on_timeout (client, lane->requests, slot, now);

  ps_run_stats_on_timeout (lane->stats, now);
  ps_run_stats_on_reaction (lane->stats, &r, ps_request_table_get (lane->requests, slot), now);
  if (r.kind != PS_REACTION_REQUEUED)
    ps_run_lane_finish_request (lane, slot, now);
  return r;
}

/* A self-throttling client holds back until *@out_until: the driver wakes
 * it then (ps_run_lane_resume()).  Returns: FALSE if it does not. */
gboolean
ps_run_lane_take_hold (PsRunLane *lane, PsClient *client, PsTime *out_until)
{
  gboolean began;

  if (!ps_client_take_hold (client, out_until, &began))
    return FALSE;
  ps_run_stats_on_held (lane->stats, began);
  return TRUE;
}

/* A pause's end.  Returns: TRUE if @client was paused and is no longer. */
gboolean
ps_run_lane_resume (PsRunLane *lane, PsClient *client, PsTime now)
{
  if (!ps_client_resume (client, now))
    return FALSE;
  ps_run_stats_on_resumed (lane->stats);
  return TRUE;
}

/**
 * ps_run_lane_respond:
 * @status: 200, 429 or 503, as the model knows them
 *
 * @client has the answer to the request in @slot now.  The answer itself
 * is counted by the caller (ps_run_stats_on_answer()), at the instant its
 * driver says it was given.  A final request's record is written and its
 * slot freed.  Returns: the reaction; for PS_REACTION_REQUEUED the driver
 * wakes the client at its @resume_at.
 */
PsReaction
ps_run_lane_respond (PsRunLane *lane, PsClient *client, guint32 slot, guint status,
                     gint64 retry_after_s, PsTime now)
{
  PsReaction r = ps_client_on_response (client, lane->requests, slot, status,
                                        retry_after_s, now);

  ps_run_stats_on_answered (lane->stats);
  ps_run_stats_on_reaction (lane->stats, &r, ps_request_table_get (lane->requests, slot), now);
  if (r.kind == PS_REACTION_COMPLETED && lane->pop->scenario->n_groups > 1)
    ps_run_stats_on_group_latency (lane->stats, client->group,
                                   now - ps_request_table_get (lane->requests, slot)->created);
  if (r.kind != PS_REACTION_REQUEUED)
    ps_run_lane_finish_request (lane, slot, now);
  return r;
}

/* A queued request's wait in its client's queue ran out (the caller knows
 * the timer is not stale).  Returns: TRUE if it was dropped. */
gboolean
ps_run_lane_expire (PsRunLane *lane, guint32 slot, PsTime now)
{
  PsRequest *req = ps_request_table_get (lane->requests, slot);

  if (!ps_client_expire (&lane->pop->clients[req->client], req))
    return FALSE;
  ps_run_stats_on_expired (lane->stats, now);
  ps_run_lane_finish_request (lane, slot, now);
  return TRUE;
}

/* ---- records ----------------------------------------------------------- */

static void
lock_sink (PsRunLane *lane)
{
  if (lane->sink_lock != NULL)
    g_mutex_lock (lane->sink_lock);
}

static void
unlock_sink (PsRunLane *lane)
{
  if (lane->sink_lock != NULL)
    g_mutex_unlock (lane->sink_lock);
}

/* One row of attempts.csv: the answer request @request_id of client
 * @client got at @now (the request itself may be gone: a late answer). */
void
ps_run_lane_record_answer (PsRunLane *lane, guint64 request_id, guint32 client,
                           PsTime now, guint status, gint64 retry_after_s)
{
  char name[96];

  if (lane->sink->attempt == NULL)
    return;
  ps_population_client_name (lane->pop, &lane->pop->clients[client], name, sizeof name);
  lock_sink (lane);
  lane->sink->attempt (lane->sink->user_data, now, request_id, name, status, retry_after_s);
  unlock_sink (lane);
}

/* One row of attempts.csv: the answer @request got at @now. */
void
ps_run_lane_record_attempt (PsRunLane *lane, const PsRequest *request, PsTime now,
                            guint status, gint64 retry_after_s)
{
  ps_run_lane_record_answer (lane, request->id, request->client, now, status, retry_after_s);
}

/* The request in @slot is final at @now (-1 for one pending at the end):
 * count it for the charts, write its record, free its slot. */
void
ps_run_lane_finish_request (PsRunLane *lane, guint32 slot, PsTime now)
{
  const PsRequest *req = ps_request_table_get (lane->requests, slot);
  PsClient *client = &lane->pop->clients[req->client];
  char name[96];

  if (lane->sink->request != NULL)
    ps_population_client_name (lane->pop, client, name, sizeof name);
  lock_sink (lane);
  ps_chart_tally_on_request (lane->pop->charts, req, client, now);
  if (lane->sink->request != NULL)
    lane->sink->request (lane->sink->user_data, req, now, name, client->ip);
  unlock_sink (lane);
  ps_request_table_release (lane->requests, slot);
}
