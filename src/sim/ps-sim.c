/* ps-sim.c: the discrete-event driver
 *
 * Kinds of event: a client's next ARRIVAL (and its BACKLOG at t=0), a
 * request's COMPLETION by a worker, a client's RESUME after a pause, a
 * request's TIMEOUT in its client's queue; with network latency, a
 * request's SERVER_ARRIVAL after the request leg and the CLIENT_RESPONSE
 * after the response leg.  Each handler calls into core (ps-client,
 * ps-server, ps-arrival) and reports what changed; nothing here decides
 * policy.  At one instant completions run first, then arrivals (backlogs
 * included), then everything else in order of scheduling
 * (docs/design.md, "Tie order").
 * Time-series bins are closed lazily, before the first event at or past
 * their end.  The population, the per-request bookkeeping and the
 * counters are the run layer's (src/run), shared with live mode: what is
 * here is only the events and the virtual clock.
 *
 * Memory follows clients and requests in flight: a request's slot is
 * released once its record is written.  Stale timers (a TIMEOUT for a
 * request already sent or finished) are recognised by the request id.
 * Without latency (the default) no event of the two network kinds exists
 * and no latency is drawn, so such runs are what they were before them.
 *
 * Attempts (with request_timeout or faults only): once a client may stop
 * waiting, one request can have several attempts at the server at once,
 * and an attempt can outlive its request.  Each sent attempt then gets a
 * record, whose index is its pool handle and rides in the events' hint;
 * the events of an attempt nobody waits for any more still happen (the
 * server does the work: it is orphaned), and their answer is discarded.
 * The record keeps the service the attempt got, so worker time splits
 * exactly into useful and orphaned.  Without those keys there are no
 * records and no new events: such runs are what they were before.
 */
#include "ps-sim.h"

#include "ps-dist.h"
#include "ps-event-queue.h"
#include "ps-population.h"
#include "ps-run-end.h"
#include "ps-run-lane.h"
#include "ps-server.h"
#include "ps-sim-attempts.h"

/* For the functions only runs with request_timeout or faults call: kept
 * out of line, so that what plain runs execute is laid out (and inlined)
 * as it was before those features. */
#define TRACKED_ONLY __attribute__ ((cold, noinline))

enum                             /* event kinds; the values are fingerprinted */
{
  EV_COMPLETION,
  EV_ARRIVAL,
  EV_RESUME,
  EV_TIMEOUT,
  EV_SERVER_ARRIVAL,             /* a sent request reaches the server */
  EV_CLIENT_RESPONSE,            /* an answer reaches its client */
  EV_BACKLOG,                    /* a client's initial requests, at t=0 */
  EV_REQUEST_TIMEOUT,            /* an attempt's request_timeout */
  EV_FAULT,                      /* a workers fault starts or ends */
};

enum                             /* classes: order at one instant */
{
  CLASS_COMPLETION = 0,
  CLASS_ARRIVAL = 1,
  CLASS_OTHER = 2,
};

/* the epochs' sort key has room for no more (ps-event-queue.h) */
G_STATIC_ASSERT (CLASS_OTHER < PS_EVENT_MAX_CLASSES);

/* What travels with a request over the network, by slot: the request
 * leg's delay (drawn once, when the request is created, so it does not
 * depend on the server) and the answer on its way back. */
typedef struct
{
  guint                status;
  gint64               retry_after_s;
  gboolean             has_quota;        /* for self_throttle clients only: */
  guint32              remaining;        /* ... the RateLimit header's r */
  gint64               reset_s;          /* ... and its t */
} Answer;

typedef struct
{
  PsTime               uplink;
  Answer               answer;
} Link;


struct _PsSim
{
  const PsScenario  *scenario;
  PsRecordSink       sink;
  PsSimProgressFunc  progress;
  gpointer           progress_data;

  PsServer          *server;
  PsPopulation      *pop;
  PsClient          *clients;            /* pop->clients */
  PsRunLane          lane;
  PsRequestTable    *requests;           /* lane.requests */
  PsRunStats        *stats;              /* lane.stats */
  PsEventQueue      *events;
  guint64            next_request_id;
  GArray            *links;              /* Link by slot; NULL: no latency */
  PsSimAttempts     *attempts;           /* NULL: attempts not tracked */
  PsFaultSet         faults;

  PsTime             now;
  PsTime             bin_end;            /* of the oldest open bin */
  double             bin_busy_start;     /* pool integral at its start */
  PsRunSummary       summary;
};

/* ---- set-up ----------------------------------------------------------- */

/* Backlogs first, so that at t=0 they come before any arrival and their
 * requests take the first ids, in client order. */
static void
schedule_first_arrivals (PsSim *sim)
{
  PsPopulation *pop = sim->pop;

  for (guint32 id = 0; id < pop->n_clients; id++)
    if (pop->groups[pop->clients[id].group].spec->initial_backlog > 0)
      ps_event_queue_push (sim->events, 0, CLASS_ARRIVAL, EV_BACKLOG, id, PS_NO_SLOT);
  for (guint32 id = 0; id < pop->n_clients; id++)
    {
      PsTime t = ps_population_first_arrival (pop, &pop->clients[id]);

      if (t != PS_TIME_NEVER)
        ps_event_queue_push (sim->events, t, CLASS_ARRIVAL, EV_ARRIVAL, id, PS_NO_SLOT);
    }
}

/* A workers fault's start and end change the pool then. */
static void
schedule_faults (PsSim *sim)
{
  for (guint i = 0; i < sim->faults.n_faults; i++)
    {
      const PsFault *f = &sim->faults.faults[i];

      if (f->kind != PS_FAULT_WORKERS)
        continue;
      ps_event_queue_push (sim->events, f->at, CLASS_OTHER, EV_FAULT, i, 0);
      if (f->end < sim->scenario->duration)
        ps_event_queue_push (sim->events, f->end, CLASS_OTHER, EV_FAULT, i, 1);
    }
}

/**
 * ps_sim_new:
 * @scenario: (transfer none): must outlive the sim
 * @sink: (transfer none): copied; its callbacks may be NULL
 */
PsSim *
ps_sim_new (const PsScenario *scenario, const PsRecordSink *sink)
{
  PsSim *sim = g_new0 (PsSim, 1);
  PsQuota *quota = ps_quota_new ();

  sim->scenario = scenario;
  sim->sink = *sink;
  sim->events = ps_event_queue_new ();
  sim->faults = ps_scenario_fault_set (scenario);
  if (ps_scenario_has_latency (scenario) || ps_scenario_has_fault (scenario, PS_FAULT_LATENCY))
    sim->links = g_array_new (FALSE, TRUE, sizeof (Link));
  if (ps_scenario_has_timeouts (scenario) || scenario->n_faults > 0)
    {
      sim->attempts = ps_sim_attempts_new ();
    }
  sim->pop = ps_population_new (scenario);
  sim->clients = sim->pop->clients;
  ps_population_assign_subjects (sim->pop, quota);
  ps_run_lane_init (&sim->lane, sim->pop, &sim->sink, NULL, &sim->next_request_id);
  sim->requests = sim->lane.requests;
  sim->stats = sim->lane.stats;
  sim->server = ps_server_new (quota, ps_pool_new (scenario->workers, scenario->queue), 1);
  sim->bin_end = ps_run_stats_open_end (sim->stats);
  if (scenario->n_faults > 0)
    {
      PsTime start, end;

      ps_fault_set_span (&sim->faults, &start, &end);
      ps_run_stats_watch_stability (sim->stats, start, end);
    }
  schedule_first_arrivals (sim);
  schedule_faults (sim);
  return sim;
}

void
ps_sim_free (PsSim *sim)
{
  if (sim == NULL)
    return;
  ps_run_lane_clear (&sim->lane);
  ps_population_free (sim->pop);
  g_clear_pointer (&sim->links, g_array_unref);
  g_clear_pointer (&sim->attempts, ps_sim_attempts_free);
  ps_server_free (sim->server);
  ps_event_queue_free (sim->events);
  g_free (sim);
}

void
ps_sim_set_progress (PsSim *sim, PsSimProgressFunc func, gpointer user_data)
{
  sim->progress = func;
  sim->progress_data = user_data;
}

/* ---- records ---------------------------------------------------------- */

static void
close_bin (PsSim *sim)
{
  PsPool *pool = ps_server_get_pool (sim->server);
  PsTime end = MIN (sim->bin_end, sim->scenario->duration);
  double busy = ps_pool_busy_integral (pool, end);

  ps_run_stats_close_bin (sim->stats, busy - sim->bin_busy_start, &sim->sink);
  sim->bin_busy_start = busy;
  sim->bin_end = ps_run_stats_open_end (sim->stats);
}

/* ---- attempts --------------------------------------------------------- */

static PsSimAttempt *
attempt_at (PsSim *sim, guint32 index)
{
  return ps_sim_attempts_get (sim->attempts, index);
}

/* A record for the attempt of @slot's request just sent. */
static TRACKED_ONLY guint32
attempt_new (PsSim *sim, guint32 slot)
{
  const PsRequest *req = ps_request_table_get (sim->requests, slot);
  PsSimAttempt a = {
    .request_id = req->id, .slot = slot, .client = req->client,
    .number = req->attempts, .work = req->work, .sent_at = sim->now, .start = -1,
  };

  return ps_sim_attempts_add (sim->attempts, &a);
}

/* The attempt's client still waits for its answer. */
static TRACKED_ONLY gboolean
attempt_awaited (PsSim *sim, const PsSimAttempt *a)
{
  const PsRequest *req = ps_request_table_get (sim->requests, a->slot);

  return req->state == PS_REQUEST_SENT && req->id == a->request_id
         && req->attempts == a->number;
}

/* The attempt is over: its service (if any) was useful or orphaned. */
static TRACKED_ONLY void
attempt_end (PsSim *sim, guint32 index, gboolean useful)
{
  const PsSimAttempt *a = attempt_at (sim, index);

  if (a->start >= 0)
    ps_run_stats_on_service (sim->stats, a->start, a->service, !useful);
  ps_sim_attempts_remove (sim->attempts, index);
}

/* At the end: service in progress or given to answers still on their way
 * counts as useful if its client still waits, else as orphaned. */
static TRACKED_ONLY void
account_open_attempt (const PsSimAttempt *a, gpointer data)
{
  PsSim *sim = data;

  if (a->start < 0)
    return;
  ps_run_stats_on_service (sim->stats, a->start,
                           MIN (a->start + a->service, sim->now) - a->start,
                           !attempt_awaited (sim, a));
}

/* ---- the model's moves ------------------------------------------------ */

static void
respond (PsSim *sim, PsClient *client, guint32 slot, const Answer *a, guint32 attempt)
{
  PsReaction r;

  if (attempt != PS_NO_SLOT)
    attempt_end (sim, attempt, TRUE);
  if (a->has_quota)
    ps_client_note_quota (client, a->remaining, a->reset_s, sim->now);
  r = ps_run_lane_respond (&sim->lane, client, slot, a->status, a->retry_after_s, sim->now);
  if (r.kind == PS_REACTION_REQUEUED)
    ps_event_queue_push (sim->events, r.resume_at, CLASS_OTHER, EV_RESUME, client->id, slot);
}

/* @handle (a slot, or an attempt when tracked) takes a worker now. */
static G_ALWAYS_INLINE inline void
start_service (PsSim *sim, guint32 handle)
{
  const PsRequest *req;
  PsSimAttempt *a;

  if (sim->attempts == NULL)
    {
      req = ps_request_table_get (sim->requests, handle);
      ps_event_queue_push (sim->events, sim->now + req->work, CLASS_COMPLETION,
                           EV_COMPLETION, handle, PS_NO_SLOT);
      return;
    }
  a = attempt_at (sim, handle);
  a->start = sim->now;
  a->service = ps_fault_set_scale_work (&sim->faults, a->work, sim->now);
  ps_event_queue_push (sim->events, sim->now + a->service, CLASS_COMPLETION,
                       EV_COMPLETION, a->slot, handle);
}

/* The name of the policy that refused @client's request. */
static const char *
refusing_policy (PsSim *sim, const PsClient *client, const PsAdmission *adm)
{
  guint n;
  const PsQuotaPolicy *policies =
    ps_quota_get_policies (ps_server_get_quota (sim->server), client->subject, &n);

  return policies[adm->quota.policy].name;
}

/* @slot's link; the array grows with the request table. */
static Link *
link_of (PsSim *sim, guint32 slot)
{
  if (slot >= sim->links->len)
    g_array_set_size (sim->links, MAX (slot + 1, 2 * sim->links->len));
  return &g_array_index (sim->links, Link, slot);
}

/* The server's answer goes back to the client: at once, or after a
 * response leg drawn from the client's behaviour stream.  The caller
 * pumps the client.  Returns: TRUE if the client has the answer now. */
static gboolean
answer (PsSim *sim, PsClient *client, guint32 slot, guint status,
        gint64 retry_after_s, guint32 attempt)
{
  Answer a = { status, retry_after_s, FALSE, 0, 0 };

  if (attempt != PS_NO_SLOT && !attempt_awaited (sim, attempt_at (sim, attempt)))
    {
      ps_run_stats_on_late_answer (sim->stats);   /* nobody waits: discarded */
      attempt_end (sim, attempt, FALSE);
      return FALSE;
    }
  if (client->policy->on_429 == PS_ON_429_SELF_THROTTLE)
    {
      /* What the RateLimit header of this answer says, as the server sends
       * it now: requests left at this instant, and when the window resets. */
      PsQuotaDecision d;

      ps_quota_evaluate (ps_server_get_quota (sim->server), client->subject, sim->now, &d);
      a.has_quota = TRUE;
      a.remaining = d.verdict == PS_QUOTA_ALLOW ? d.remaining + 1 : 0;
      a.reset_s = ps_time_ceil_s (d.reset);
    }
  if (sim->links != NULL)
    {
      PsTime delay = ps_dist_sample (&sim->scenario->network_latency,
                                     &client->behaviour);

      if (sim->faults.n_faults > 0)
        delay += ps_fault_set_extra_latency (&sim->faults, sim->now);
      if (delay > 0)
        {
          Link *link = link_of (sim, slot);

          link->answer = a;
          ps_event_queue_push (sim->events, sim->now + delay, CLASS_OTHER,
                               EV_CLIENT_RESPONSE, slot, attempt);
          return FALSE;
        }
    }
  respond (sim, client, slot, &a, attempt);
  return TRUE;
}

/* The request is at the server now: admitted, queued or refused. */
static void
offer (PsSim *sim, PsClient *client, guint32 slot)
{
  PsRequest *req = ps_request_table_get (sim->requests, slot);
  PsAdmission adm;

  switch (ps_server_offer (sim->server, client->subject, slot, sim->now, &adm))
    {
    case PS_ADMIT_STARTED:
      req->admitted = sim->now;
      ps_run_stats_on_admitted (sim->stats, sim->now);
      start_service (sim, slot);
      break;
    case PS_ADMIT_QUEUED:
      req->admitted = sim->now;
      ps_run_stats_on_admitted (sim->stats, sim->now);
      break;
    case PS_ADMIT_REJECT_429:
      ps_run_stats_on_answer (sim->stats, sim->now, 429, refusing_policy (sim, client, &adm));
      ps_run_lane_record_attempt (&sim->lane, req, sim->now, 429, adm.retry_after_s);
      answer (sim, client, slot, 429, adm.retry_after_s, PS_NO_SLOT);
      break;
    case PS_ADMIT_REJECT_503:
      ps_run_stats_on_answer (sim->stats, sim->now, 503, NULL);
      ps_run_lane_record_attempt (&sim->lane, req, sim->now, 503, adm.retry_after_s);
      answer (sim, client, slot, 503, adm.retry_after_s, PS_NO_SLOT);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* offer() for a tracked attempt: its pool handle is its record, it may be
 * orphaned already (the server does not know), and faults apply. */
static TRACKED_ONLY void
offer_attempt (PsSim *sim, PsClient *client, guint32 slot, guint32 attempt)
{
  const PsSimAttempt *a = attempt_at (sim, attempt);
  PsRequest *req = attempt_awaited (sim, a) ? ps_request_table_get (sim->requests, slot) : NULL;
  guint64 request_id = a->request_id;
  PsAdmission adm;
  PsAdmitVerdict verdict;

  if (ps_fault_set_outage (&sim->faults, sim->now))
    {
      verdict = adm.verdict = PS_ADMIT_REJECT_503;     /* an outage refuses everything */
      adm.retry_after_s = 1;
    }
  else
    verdict = ps_server_offer (sim->server, client->subject, attempt, sim->now, &adm);
  switch (verdict)
    {
    case PS_ADMIT_STARTED:
    case PS_ADMIT_QUEUED:
      if (req != NULL)
        req->admitted = sim->now;
      ps_run_stats_on_admitted (sim->stats, sim->now);
      if (verdict == PS_ADMIT_STARTED)
        start_service (sim, attempt);
      break;
    case PS_ADMIT_REJECT_429:
      ps_run_stats_on_answer (sim->stats, sim->now, 429, refusing_policy (sim, client, &adm));
      ps_run_lane_record_answer (&sim->lane, request_id, client->id, sim->now, 429,
                                 adm.retry_after_s);
      answer (sim, client, slot, 429, adm.retry_after_s, attempt);
      break;
    case PS_ADMIT_REJECT_503:
      ps_run_stats_on_answer (sim->stats, sim->now, 503, NULL);
      ps_run_lane_record_answer (&sim->lane, request_id, client->id, sim->now, 503,
                                 adm.retry_after_s);
      answer (sim, client, slot, 503, adm.retry_after_s, attempt);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* A tracked attempt leaves its client: a record, a request_timeout
 * timer, and the request leg (a latency fault lengthens it). */
static TRACKED_ONLY void
send_attempt (PsSim *sim, PsClient *client, guint32 slot)
{
  guint32 attempt = attempt_new (sim, slot);
  PsTime timeout = client->policy->request_timeout;
  PsTime uplink = 0;

  if (timeout > 0)
    ps_event_queue_push (sim->events, sim->now + timeout, CLASS_OTHER,
                         EV_REQUEST_TIMEOUT, attempt, slot);
  if (sim->links != NULL)
    uplink = link_of (sim, slot)->uplink + ps_fault_set_extra_latency (&sim->faults, sim->now);
  if (uplink > 0)
    ps_event_queue_push (sim->events, sim->now + uplink, CLASS_OTHER,
                         EV_SERVER_ARRIVAL, slot, attempt);
  else
    offer_attempt (sim, client, slot, attempt);
}

/* The client sends: the server has it now, or after the request leg. */
static void
send (PsSim *sim, PsClient *client, guint32 slot)
{
  if (sim->attempts != NULL)
    {
      send_attempt (sim, client, slot);
      return;
    }
  if (sim->links != NULL && link_of (sim, slot)->uplink > 0)
    {
      ps_event_queue_push (sim->events, sim->now + link_of (sim, slot)->uplink,
                           CLASS_OTHER, EV_SERVER_ARRIVAL, slot, PS_NO_SLOT);
      return;
    }
  offer (sim, client, slot);
}

/* Sends what the client may send now; refusals come back at once. */
static void
pump (PsSim *sim, PsClient *client)
{
  guint32 slot;
  PsTime until;

  while ((slot = ps_run_lane_next_to_send (&sim->lane, client, sim->now)) != PS_NO_SLOT)
    send (sim, client, slot);
  if (ps_run_lane_take_hold (&sim->lane, client, &until))   /* self_throttle */
    ps_event_queue_push (sim->events, until, CLASS_OTHER, EV_RESUME, client->id, PS_NO_SLOT);
}

/* A new request of @client, created now (see ps_run_lane_create_request()),
 * with a timer for its wait in the client's queue. */
static void
create_request (PsSim *sim, PsClient *client, const PsReplayRow *row)
{
  PsTime uplink;
  guint32 slot = ps_run_lane_create_request (&sim->lane, client, sim->now, row, &uplink);

  if (slot == PS_NO_SLOT)
    return;
  if (sim->links != NULL)
    link_of (sim, slot)->uplink = uplink;
  if (client->policy->timeout > 0)
    ps_event_queue_push (sim->events, sim->now + client->policy->timeout,
                         CLASS_OTHER, EV_TIMEOUT, slot, PS_NO_SLOT);
}

static void
on_arrival (PsSim *sim, PsClient *client)
{
  const PsArrivalSpec *arrival = &sim->pop->groups[client->group].spec->arrival;
  PsTime next;

  create_request (sim, client, ps_arrival_current_row (arrival, &client->arrival));
  next = ps_run_lane_draw_next_arrival (&sim->lane, client, sim->now);
  if (next != PS_TIME_NEVER)
    ps_event_queue_push (sim->events, next, CLASS_ARRIVAL, EV_ARRIVAL, client->id, PS_NO_SLOT);
  pump (sim, client);
}

static void
on_backlog (PsSim *sim, PsClient *client)
{
  for (guint i = 0; i < sim->pop->groups[client->group].spec->initial_backlog; i++)
    create_request (sim, client, NULL);
  pump (sim, client);
}

static void
on_completion (PsSim *sim, guint32 slot, guint32 attempt)
{
  PsRequest *req = ps_request_table_get (sim->requests, slot);
  PsClient *client;
  guint64 request_id = req->id;
  guint32 next;

  if (attempt != PS_NO_SLOT)
    {
      const PsSimAttempt *a = attempt_at (sim, attempt);

      client = &sim->clients[a->client];
      request_id = a->request_id;
    }
  else
    client = &sim->clients[req->client];
  if (ps_server_finish (sim->server, sim->now, &next))
    start_service (sim, next);
  ps_run_stats_on_answer (sim->stats, sim->now, 200, NULL);
  ps_run_lane_record_answer (&sim->lane, request_id, client->id, sim->now, 200, 0);
  if (answer (sim, client, slot, 200, 0, attempt))
    pump (sim, client);
}

static void
on_server_arrival (PsSim *sim, guint32 slot, guint32 attempt)
{
  PsRequest *req = ps_request_table_get (sim->requests, slot);
  PsClient *client;

  if (attempt != PS_NO_SLOT)
    {
      client = &sim->clients[attempt_at (sim, attempt)->client];
      offer_attempt (sim, client, slot, attempt);
      pump (sim, client);
      return;
    }
  client = &sim->clients[req->client];
  g_assert (req->state == PS_REQUEST_SENT);    /* a sent request keeps its slot */
  offer (sim, client, slot);
  pump (sim, client);                    /* a refusal may have come back at once */
}

static void
on_client_response (PsSim *sim, guint32 slot, guint32 attempt)
{
  PsRequest *req = ps_request_table_get (sim->requests, slot);
  PsClient *client;
  const Link *link = link_of (sim, slot);

  if (attempt != PS_NO_SLOT && !attempt_awaited (sim, attempt_at (sim, attempt)))
    {
      ps_run_stats_on_late_answer (sim->stats);   /* it timed out on the way */
      attempt_end (sim, attempt, FALSE);
      return;
    }
  client = &sim->clients[req->client];
  g_assert (req->state == PS_REQUEST_SENT);
  respond (sim, client, slot, &link->answer, attempt);
  pump (sim, client);
}

/* An attempt's request_timeout: the client stops waiting, unless the
 * answer came first (or the record now holds a younger attempt). */
static TRACKED_ONLY void
on_request_timeout (PsSim *sim, guint32 attempt)
{
  const PsSimAttempt *a = attempt_at (sim, attempt);
  PsClient *client = &sim->clients[a->client];
  PsReaction r;

  if (a->sent_at + client->policy->request_timeout != sim->now || !attempt_awaited (sim, a))
    return;
  r = ps_run_lane_time_out (&sim->lane, client, a->slot, sim->now);
  if (r.kind == PS_REACTION_REQUEUED && r.resume_at >= 0)
    ps_event_queue_push (sim->events, r.resume_at, CLASS_OTHER, EV_RESUME, client->id,
                         a->slot);
  pump (sim, client);
}

/* A workers fault began or ended: the pool takes its new size, and
 * waiting requests take the workers it gained. */
static TRACKED_ONLY void
on_fault (PsSim *sim)
{
  PsPool *pool = ps_server_get_pool (sim->server);
  guint32 next;

  ps_pool_set_workers (pool, ps_fault_set_workers (&sim->faults, sim->scenario->workers,
                                                   sim->now));
  while (ps_pool_start_queued (pool, sim->now, &next))
    start_service (sim, next);
}

static void
on_resume (PsSim *sim, PsClient *client)
{
  ps_run_lane_resume (&sim->lane, client, sim->now);
  pump (sim, client);
}

static void
on_timeout (PsSim *sim, guint32 slot)
{
  PsRequest *req = ps_request_table_get (sim->requests, slot);
  PsClient *client;

  /* Stale when the request was sent or finished meanwhile, or when its
   * slot now holds a younger request (created later, so not due now). */
  if (req->state != PS_REQUEST_QUEUED)
    return;
  client = &sim->clients[req->client];
  if (req->created + client->policy->timeout != sim->now)
    return;
  ps_run_lane_expire (&sim->lane, slot, sim->now);
}

/* Memory, not arithmetic, bounds a large run: the next event's client or
 * request was last touched long ago, and each record leads to the next
 * (a completion's request to its client, the client to the request it
 * sends next).  So each upcoming event is prefetched in stages, one
 * pointer further at each: its own record PREFETCH_FAR events ahead
 * (prefetch_first()), what that record names PREFETCH_NEAR ahead, when
 * the record has arrived (prefetch_second()), and what the client names
 * one event ahead (prefetch_third()).  Each stage overlaps its wait with
 * the events between.  Only the sorted epoch can be read ahead; an event
 * from a heap gets all three stages at once, one event ahead. */
#define PREFETCH_FAR  8
#define PREFETCH_NEAR 3

/* Every cache line of a client's record: its handler reads them all. */
static inline void
prefetch_client (const PsSim *sim, guint32 id)
{
  guintptr start = (guintptr) &sim->clients[id];

  for (guintptr line = start & ~(guintptr) 63; line < start + sizeof (PsClient); line += 64)
    __builtin_prefetch ((const void *) line);
}

/* The client of a request event, if its record says (it may be stale). */
static inline const PsClient *
client_of_request (const PsSim *sim, guint32 slot)
{
  const PsRequest *req;

  if (slot >= ps_request_table_n_slots (sim->requests))
    return NULL;
  req = ps_request_table_get (sim->requests, slot);
  return req->state != PS_REQUEST_FREE ? &sim->clients[req->client] : NULL;
}

/* What a client about to send reads besides itself: its quota state,
 * the request at its queue's front and the entry after it. */
static inline void
prefetch_sender (const PsSim *sim, const PsClient *client)
{
  ps_quota_prefetch (ps_server_get_quota (sim->server), client->subject);
  ps_request_table_prefetch (sim->requests,
                             ps_request_queue_front_hint (&client->queue, PS_NO_SLOT));
  ps_request_queue_prefetch (&client->queue);
}

static void
prefetch_first (const PsSim *sim, const PsEvent *ev)
{
  switch (ps_event_kind (ev))
    {
    case EV_RESUME:                      /* hint: the request it will retry */
      ps_request_table_prefetch (sim->requests, ev->hint);
      G_GNUC_FALLTHROUGH;
    case EV_ARRIVAL:
    case EV_BACKLOG:
      prefetch_client (sim, ev->target);
      break;
    case EV_COMPLETION:
    case EV_TIMEOUT:
    case EV_SERVER_ARRIVAL:
    case EV_CLIENT_RESPONSE:
      ps_request_table_prefetch (sim->requests, ev->target);
      break;
    case EV_REQUEST_TIMEOUT:
      ps_request_table_prefetch (sim->requests, ev->hint);
      break;
    case EV_FAULT:
      break;
    default:
      g_assert_not_reached ();
    }
}

/* A client event's sender reads; a request event's client. */
static void
prefetch_second (const PsSim *sim, const PsEvent *ev)
{
  const PsClient *client;

  switch (ps_event_kind (ev))
    {
    case EV_ARRIVAL:
    case EV_RESUME:
      prefetch_sender (sim, &sim->clients[ev->target]);
      break;
    case EV_COMPLETION:
    case EV_CLIENT_RESPONSE:
      if ((client = client_of_request (sim, ev->target)) != NULL)
        prefetch_client (sim, (guint32) (client - sim->clients));
      break;
    default:
      break;
    }
}

/* A request event's client's sender reads: after an answer it sends again. */
static void
prefetch_third (const PsSim *sim, const PsEvent *ev)
{
  const PsClient *client;

  switch (ps_event_kind (ev))
    {
    case EV_COMPLETION:
    case EV_CLIENT_RESPONSE:
      if ((client = client_of_request (sim, ev->target)) != NULL)
        prefetch_sender (sim, client);
      break;
    default:
      break;
    }
}

static void
dispatch (PsSim *sim, const PsEvent *ev)
{
  switch (ps_event_kind (ev))
    {
    case EV_COMPLETION:
      on_completion (sim, ev->target, ev->hint);
      break;
    case EV_ARRIVAL:
      on_arrival (sim, &sim->clients[ev->target]);
      break;
    case EV_RESUME:
      on_resume (sim, &sim->clients[ev->target]);
      break;
    case EV_TIMEOUT:
      on_timeout (sim, ev->target);
      break;
    case EV_SERVER_ARRIVAL:
      on_server_arrival (sim, ev->target, ev->hint);
      break;
    case EV_CLIENT_RESPONSE:
      on_client_response (sim, ev->target, ev->hint);
      break;
    case EV_REQUEST_TIMEOUT:
      on_request_timeout (sim, ev->target);
      break;
    case EV_FAULT:
      on_fault (sim);
      break;
    case EV_BACKLOG:
      on_backlog (sim, &sim->clients[ev->target]);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ---- the end ---------------------------------------------------------- */

/* Everything the end says (see ps-run-end.h), with the pool figures
 * from the pool's own exact integral. */
static void
fill_summary (PsSim *sim)
{
  const PsScenario *sc = sim->scenario;
  PsRunSummary *s = &sim->summary;
  PsPool *pool = ps_server_get_pool (sim->server);

  if (sim->attempts != NULL)
    ps_sim_attempts_foreach (sim->attempts, account_open_attempt, sim);
  ps_run_finish_pending (&sim->lane, 1, sim->stats);
  s->jain = ps_population_report_clients (sim->pop, &sim->sink);
  ps_run_summarize (s, sim->pop, sim->stats, "sim");
  s->busy_total = ps_pool_busy_integral (pool, sc->duration);
  s->pool_mean = s->busy_total / (double) sc->duration;
  s->pool_max = ps_pool_get_max_busy (pool);
  if (sim->attempts == NULL)
    s->totals.busy_useful = s->busy_total;   /* nobody stops waiting: all of it */
}

static inline guint64
mix (guint64 h, guint64 v)
{
  h ^= v;
  h *= G_GUINT64_CONSTANT (0x100000001b3);
  return h ^ (h >> 29);
}

/**
 * ps_sim_run:
 *
 * Runs the scenario to its duration and reports every record.  Fails only
 * if the conservation check does not hold, which would be a bug.
 */
gboolean
ps_sim_run (PsSim *sim, GError **error)
{
  const PsTime duration = sim->scenario->duration;
  PsRunSummary *s = &sim->summary;
  gint64 wall_start = g_get_monotonic_time ();
  guint64 fp = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  guint64 events = 0;
  PsEvent ev, next, ahead;
  gboolean from_heap;

  /* The first event past the end is popped and dropped: nothing reads the
   * queue after the loop. */
  while (ps_event_queue_pop (sim->events, &ev) && ev.time < duration)
    {
      if (ps_event_queue_peek_ahead (sim->events, PREFETCH_FAR, &ahead))
        prefetch_first (sim, &ahead);
      if (ps_event_queue_peek_ahead (sim->events, PREFETCH_NEAR, &ahead))
        prefetch_second (sim, &ahead);
      if (ps_event_queue_peek_soon (sim->events, &next, &from_heap))
        {
          if (from_heap)                   /* not seen ahead */
            {
              prefetch_first (sim, &next);
              prefetch_second (sim, &next);
            }
          prefetch_third (sim, &next);
        }
      while (ev.time >= sim->bin_end)
        close_bin (sim);
      sim->now = ev.time;
      fp = mix (mix (fp, (guint64) ev.time), (guint64) ps_event_kind (&ev) << 32 | ev.target);
      dispatch (sim, &ev);
      if ((++events & 0xffff) == 0 && sim->progress != NULL)
        sim->progress (sim->now, duration, events, sim->progress_data);
    }
  sim->now = duration;
  while (sim->bin_end != PS_TIME_NEVER)
    close_bin (sim);

  fill_summary (sim);
  s->events = events;
  s->fingerprint = fp;
  s->wall_s = (double) (g_get_monotonic_time () - wall_start) / 1e6;
  return ps_run_conclude (s, &sim->sink, error);
}

const PsRunSummary *
ps_sim_get_summary (const PsSim *sim)
{
  return &sim->summary;
}
