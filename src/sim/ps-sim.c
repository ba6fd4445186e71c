/* ps-sim.c: the discrete-event driver
 *
 * Kinds of event: a client's next ARRIVAL (and its BACKLOG at t=0), a
 * request's COMPLETION by a worker, a client's RESUME after a pause, a
 * request's TIMEOUT in its client's queue; with network latency, a
 * request's SERVER_ARRIVAL after the request leg and the CLIENT_RESPONSE
 * after the response leg.  Each handler calls into core (ps-client,
 * ps-server, ps-arrival) and reports what changed; nothing here decides
 * policy.  At one instant completions run first, then arrivals (backlogs
 * included), then everything else in order of scheduling (DESIGN.md).
 * Time-series bins are closed lazily, before the first event at or past
 * their end.
 *
 * Memory follows clients and requests in flight: a request's slot is
 * released once its record is written.  Stale timers (a TIMEOUT for a
 * request already sent or finished) are recognised by the request id.
 * Without latency (the default) no event of the two network kinds exists
 * and no latency is drawn, so such runs are what they were before them.
 */
#include "ps-sim.h"

#include "ps-client.h"
#include "ps-dist.h"
#include "ps-event-queue.h"
#include "ps-run-stats.h"
#include "ps-server.h"
#include "ps-traffic.h"

G_DEFINE_QUARK (ps-sim-error-quark, ps_sim_error)

enum                             /* event kinds; the values are fingerprinted */
{
  EV_COMPLETION,
  EV_ARRIVAL,
  EV_RESUME,
  EV_TIMEOUT,
  EV_SERVER_ARRIVAL,             /* a sent request reaches the server */
  EV_CLIENT_RESPONSE,            /* an answer reaches its client */
  EV_BACKLOG,                    /* a client's initial requests, at t=0 */
};

enum                             /* classes: order at one instant */
{
  CLASS_COMPLETION = 0,
  CLASS_ARRIVAL = 1,
  CLASS_OTHER = 2,
};

typedef struct
{
  const PsClientGroup *spec;
  const PsDist        *work;             /* its requests' service time */
  PsPriorityMix        priorities;
} Group;

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
  PsRequestTable    *requests;
  PsEventQueue      *events;
  Group             *groups;
  PsClient          *clients;
  guint32            n_clients;
  guint64            next_request_id;
  GArray            *links;              /* Link by slot; NULL: no latency */

  PsTime             now;
  PsBinRecord        bin;
  PsTime             bin_end;
  double             bin_busy_start;     /* pool integral at bin start */
  guint64            queued_total;       /* requests waiting at clients */
  guint64            paused_total;       /* clients paused */

  PsHistogram       *latency_all;
  PsHistogram       *latency_by_priority[PS_MAX_PRIORITIES];
  PsRunSummary       summary;
};

/* ---- set-up ----------------------------------------------------------- */

static void
init_groups (PsSim *sim)
{
  const PsScenario *sc = sim->scenario;

  sim->groups = g_new0 (Group, sc->n_groups);
  for (guint g = 0; g < sc->n_groups; g++)
    {
      Group *group = &sim->groups[g];
      guint n_priorities;

      group->spec = &sc->groups[g];
      group->work = ps_client_group_work (sc, g);
      ps_priority_mix_init (&group->priorities, group->spec->priorities,
                            group->spec->n_priorities);
      n_priorities = group->spec->n_priorities;
      if (group->spec->arrival.process == PS_ARRIVAL_TRACE)   /* rows give theirs */
        n_priorities = MAX (n_priorities,
                            ps_replay_get_n_priorities (group->spec->arrival.replay));
      sim->summary.n_priorities = MAX (sim->summary.n_priorities, n_priorities);
    }
}

/* One quota subject per distinct address, so clients behind one address
 * share its quota; one tier per distinct policy list. */
static void
init_clients (PsSim *sim, PsQuota *quota)
{
  const PsScenario *sc = sim->scenario;
  g_autoptr(GHashTable) subjects = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) tiers = g_hash_table_new (NULL, NULL);
  guint32 id = 0;

  sim->n_clients = (guint32) ps_scenario_n_clients (sc);
  sim->clients = g_new (PsClient, sim->n_clients);
  for (guint g = 0; g < sc->n_groups; g++)
    {
      const PsClientGroup *spec = &sc->groups[g];

      for (guint32 k = 0; k < spec->count; k++, id++)
        {
          PsClient *client = &sim->clients[id];
          guint32 ip = ps_client_group_address (spec, k);
          gpointer subject;

          ps_client_init (client, id, &spec->policy, sc->seed,
                          ps_rng_stream_id (spec->name, k));
          ps_arrival_state_init (&client->arrival, &spec->arrival, k);
          client->group = g;
          client->index = k;
          client->ip = ip;
          if (!g_hash_table_lookup_extended (subjects, GUINT_TO_POINTER (ip), NULL, &subject))
            {
              guint n;
              const PsQuotaPolicy *policies = ps_scenario_quota_for (sc, g, ip, &n);
              gpointer tier;

              if (!g_hash_table_lookup_extended (tiers, policies, NULL, &tier))
                {
                  tier = GUINT_TO_POINTER (ps_quota_add_tier (quota, policies, n));
                  g_hash_table_insert (tiers, (gpointer) policies, tier);
                }
              subject = GUINT_TO_POINTER (ps_quota_add_subject (quota, GPOINTER_TO_UINT (tier)));
              g_hash_table_insert (subjects, GUINT_TO_POINTER (ip), subject);
            }
          client->subject = GPOINTER_TO_UINT (subject);
        }
    }
}

/* Backlogs first, so that at t=0 they come before any arrival and their
 * requests take the first ids, in client order. */
static void
schedule_first_arrivals (PsSim *sim)
{
  for (guint32 id = 0; id < sim->n_clients; id++)
    if (sim->groups[sim->clients[id].group].spec->initial_backlog > 0)
      ps_event_queue_push (sim->events, 0, CLASS_ARRIVAL, EV_BACKLOG, id, PS_NO_SLOT);
  for (guint32 id = 0; id < sim->n_clients; id++)
    {
      PsClient *client = &sim->clients[id];
      PsTime t = ps_arrival_next (&sim->groups[client->group].spec->arrival,
                                  &client->arrival, &client->traffic, 0);

      if (t < sim->scenario->duration)
        ps_event_queue_push (sim->events, t, CLASS_ARRIVAL, EV_ARRIVAL, id, PS_NO_SLOT);
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
  sim->requests = ps_request_table_new ();
  sim->events = ps_event_queue_new ();
  sim->latency_all = ps_histogram_new ();
  if (ps_scenario_has_latency (scenario))
    sim->links = g_array_new (FALSE, TRUE, sizeof (Link));
  init_groups (sim);
  for (guint p = 0; p < sim->summary.n_priorities; p++)
    sim->latency_by_priority[p] = ps_histogram_new ();
  init_clients (sim, quota);
  sim->server = ps_server_new (quota, ps_pool_new (scenario->workers, scenario->queue), 1);
  sim->bin_end = scenario->bin;
  schedule_first_arrivals (sim);
  return sim;
}

void
ps_sim_free (PsSim *sim)
{
  if (sim == NULL)
    return;
  for (guint32 i = 0; i < sim->n_clients; i++)
    ps_client_clear (&sim->clients[i]);
  g_free (sim->clients);
  g_free (sim->groups);
  g_clear_pointer (&sim->links, g_array_unref);
  ps_server_free (sim->server);
  ps_request_table_free (sim->requests);
  ps_event_queue_free (sim->events);
  ps_histogram_free (sim->latency_all);
  for (guint p = 0; p < PS_MAX_PRIORITIES; p++)
    ps_histogram_free (sim->latency_by_priority[p]);
  g_free (sim);
}

void
ps_sim_set_progress (PsSim *sim, PsSimProgressFunc func, gpointer user_data)
{
  sim->progress = func;
  sim->progress_data = user_data;
}

/* ---- records ---------------------------------------------------------- */

static const char *
client_name (const PsSim *sim, const PsClient *client, char *buf, gsize len)
{
  return ps_client_format_name (client, sim->groups[client->group].spec->name, buf, len);
}

/* The request is final (or pending at the end): write it, free its slot. */
static void
finish_request (PsSim *sim, guint32 slot)
{
  PsRequest *req = ps_request_table_get (sim->requests, slot);

  if (sim->sink.request != NULL)
    {
      const PsClient *client = &sim->clients[req->client];
      char name[96];

      sim->sink.request (sim->sink.user_data, req,
                         client_name (sim, client, name, sizeof name), client->ip);
    }
  ps_request_table_release (sim->requests, slot);
}

static void
record_attempt (PsSim *sim, const PsRequest *req, guint status, gint64 retry_after_s)
{
  char name[96];

  if (sim->sink.attempt == NULL)
    return;
  sim->sink.attempt (sim->sink.user_data, sim->now, req->id,
                     client_name (sim, &sim->clients[req->client], name, sizeof name),
                     status, retry_after_s);
}

static void
close_bin (PsSim *sim)
{
  PsPool *pool = ps_server_get_pool (sim->server);
  PsTime end = MIN (sim->bin_end, sim->scenario->duration);
  double busy = ps_pool_busy_integral (pool, end);

  sim->bin.pool = (busy - sim->bin_busy_start) / (double) (end - sim->bin.start);
  sim->bin.queued_at_clients = sim->queued_total;
  sim->bin.paused_clients = sim->paused_total;
  if (sim->sink.bin != NULL)
    sim->sink.bin (sim->sink.user_data, &sim->bin);

  sim->bin = (PsBinRecord) { .start = sim->bin_end };
  sim->bin_busy_start = busy;
  sim->bin_end += sim->scenario->bin;
}

/* ---- the model's moves ------------------------------------------------ */

static void
respond (PsSim *sim, PsClient *client, guint32 slot, const Answer *a)
{
  PsReaction r;
  PsRequest *req;

  if (a->has_quota)
    ps_client_note_quota (client, a->remaining, a->reset_s, sim->now);
  r = ps_client_on_response (client, sim->requests, slot, a->status,
                             a->retry_after_s, sim->now);
  req = ps_request_table_get (sim->requests, slot);

  switch (r.kind)
    {
    case PS_REACTION_COMPLETED:
      ps_histogram_add (sim->latency_all, sim->now - req->created);
      ps_histogram_add (sim->latency_by_priority[req->priority], sim->now - req->created);
      sim->summary.totals.completed++;
      sim->bin.completed++;
      finish_request (sim, slot);
      break;
    case PS_REACTION_REQUEUED:
      sim->queued_total++;
      if (r.began_pause)
        sim->paused_total++;
      ps_event_queue_push (sim->events, r.resume_at, CLASS_OTHER, EV_RESUME, client->id, slot);
      break;
    case PS_REACTION_REJECTED:
      sim->summary.totals.rejected++;
      finish_request (sim, slot);
      break;
    case PS_REACTION_DROPPED:
      sim->summary.totals.dropped++;
      sim->bin.dropped++;
      finish_request (sim, slot);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
start_service (PsSim *sim, guint32 slot)
{
  const PsRequest *req = ps_request_table_get (sim->requests, slot);

  ps_event_queue_push (sim->events, sim->now + req->work, CLASS_COMPLETION,
                       EV_COMPLETION, slot, PS_NO_SLOT);
}

static void
count_429 (PsSim *sim, const PsClient *client, const PsAdmission *adm)
{
  guint n;
  const PsQuotaPolicy *policies =
    ps_quota_get_policies (ps_server_get_quota (sim->server), client->subject, &n);

  ps_summary_count_429 (&sim->summary, policies[adm->quota.policy].name);
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
        gint64 retry_after_s)
{
  Answer a = { status, retry_after_s, FALSE, 0, 0 };

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

      if (delay > 0)
        {
          Link *link = link_of (sim, slot);

          link->answer = a;
          ps_event_queue_push (sim->events, sim->now + delay, CLASS_OTHER,
                               EV_CLIENT_RESPONSE, slot, PS_NO_SLOT);
          return FALSE;
        }
    }
  respond (sim, client, slot, &a);
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
      sim->bin.admitted++;
      start_service (sim, slot);
      break;
    case PS_ADMIT_QUEUED:
      req->admitted = sim->now;
      sim->bin.admitted++;
      break;
    case PS_ADMIT_REJECT_429:
      sim->summary.totals.responses_429++;
      count_429 (sim, client, &adm);
      sim->bin.rejected_429++;
      record_attempt (sim, req, 429, adm.retry_after_s);
      answer (sim, client, slot, 429, adm.retry_after_s);
      break;
    case PS_ADMIT_REJECT_503:
      sim->summary.totals.responses_503++;
      sim->bin.rejected_503++;
      record_attempt (sim, req, 503, adm.retry_after_s);
      answer (sim, client, slot, 503, adm.retry_after_s);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The client sends: the server has it now, or after the request leg. */
static void
send (PsSim *sim, PsClient *client, guint32 slot)
{
  sim->queued_total--;
  sim->summary.totals.attempts++;
  sim->bin.sent++;
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
  gboolean began;

  while ((slot = ps_client_next (client, sim->requests, sim->now)) != PS_NO_SLOT)
    send (sim, client, slot);
  if (ps_client_take_hold (client, &until, &began))   /* self_throttle */
    {
      if (began)
        sim->paused_total++;
      ps_event_queue_push (sim->events, until, CLASS_OTHER, EV_RESUME, client->id, PS_NO_SLOT);
    }
}

/* A new request of @client, created now.  Its priority, its work and,
 * with latency, its request leg are drawn from the client's traffic
 * stream, in that order, unless @row (a replayed request) gives them. */
static void
create_request (PsSim *sim, PsClient *client, const PsReplayRow *row)
{
  const Group *group = &sim->groups[client->group];
  guint32 slot = ps_request_table_alloc (sim->requests);
  PsRequest *req = ps_request_table_get (sim->requests, slot);
  PsTime uplink;

  uplink = ps_traffic_new_request (req, sim->next_request_id++, client, sim->now,
                                   &group->priorities, group->work, row,
                                   sim->links != NULL ? &sim->scenario->network_latency : NULL);
  if (sim->links != NULL)
    link_of (sim, slot)->uplink = uplink;
  sim->summary.totals.generated++;
  sim->bin.generated++;
  if (ps_client_enqueue (client, sim->requests, slot))
    {
      sim->queued_total++;
      if (client->policy->timeout > 0)
        ps_event_queue_push (sim->events, sim->now + client->policy->timeout,
                             CLASS_OTHER, EV_TIMEOUT, slot, PS_NO_SLOT);
    }
  else
    {
      sim->summary.totals.dropped++;
      sim->bin.dropped++;
      finish_request (sim, slot);
    }
}

static void
on_arrival (PsSim *sim, PsClient *client)
{
  const PsArrivalSpec *arrival = &sim->groups[client->group].spec->arrival;
  PsTime next;

  create_request (sim, client, ps_arrival_current_row (arrival, &client->arrival));
  next = ps_arrival_next (arrival, &client->arrival, &client->traffic, sim->now);
  if (next < sim->scenario->duration)
    ps_event_queue_push (sim->events, next, CLASS_ARRIVAL, EV_ARRIVAL, client->id, PS_NO_SLOT);
  pump (sim, client);
}

static void
on_backlog (PsSim *sim, PsClient *client)
{
  for (guint i = 0; i < sim->groups[client->group].spec->initial_backlog; i++)
    create_request (sim, client, NULL);
  pump (sim, client);
}

static void
on_completion (PsSim *sim, guint32 slot)
{
  PsRequest *req = ps_request_table_get (sim->requests, slot);
  PsClient *client = &sim->clients[req->client];
  guint32 next;

  if (ps_server_finish (sim->server, sim->now, &next))
    start_service (sim, next);
  sim->summary.totals.responses_200++;
  record_attempt (sim, req, 200, 0);
  if (answer (sim, client, slot, 200, 0))
    pump (sim, client);
}

static void
on_server_arrival (PsSim *sim, guint32 slot)
{
  PsRequest *req = ps_request_table_get (sim->requests, slot);
  PsClient *client = &sim->clients[req->client];

  g_assert (req->state == PS_REQUEST_SENT);    /* a sent request keeps its slot */
  offer (sim, client, slot);
  pump (sim, client);                    /* a refusal may have come back at once */
}

static void
on_client_response (PsSim *sim, guint32 slot)
{
  PsRequest *req = ps_request_table_get (sim->requests, slot);
  PsClient *client = &sim->clients[req->client];
  const Link *link = link_of (sim, slot);

  g_assert (req->state == PS_REQUEST_SENT);
  respond (sim, client, slot, &link->answer);
  pump (sim, client);
}

static void
on_resume (PsSim *sim, PsClient *client)
{
  if (ps_client_resume (client, sim->now))
    sim->paused_total--;
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
  if (ps_client_expire (client, req))
    {
      sim->queued_total--;
      sim->summary.totals.dropped++;
      sim->bin.dropped++;
      finish_request (sim, slot);
    }
}

/* Memory, not arithmetic, bounds a large run: the next event's client or
 * request was last touched long ago.  Asking for it one event ahead
 * overlaps that wait with the current event's work. */
static void
prefetch (const PsSim *sim, const PsEvent *ev)
{
  switch (ps_event_kind (ev))
    {
    case EV_RESUME:                      /* hint: the request it will retry */
      ps_request_table_prefetch (sim->requests, ev->hint);
      G_GNUC_FALLTHROUGH;
    case EV_ARRIVAL:
    case EV_BACKLOG:
      __builtin_prefetch (&sim->clients[ev->target]);
      break;
    case EV_COMPLETION:
    case EV_TIMEOUT:
    case EV_SERVER_ARRIVAL:
    case EV_CLIENT_RESPONSE:
      ps_request_table_prefetch (sim->requests, ev->target);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
dispatch (PsSim *sim, const PsEvent *ev)
{
  switch (ps_event_kind (ev))
    {
    case EV_COMPLETION:
      on_completion (sim, ev->target);
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
      on_server_arrival (sim, ev->target);
      break;
    case EV_CLIENT_RESPONSE:
      on_client_response (sim, ev->target);
      break;
    case EV_BACKLOG:
      on_backlog (sim, &sim->clients[ev->target]);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ---- the end ---------------------------------------------------------- */

static int
compare_by_id (gconstpointer a, gconstpointer b, gpointer table)
{
  guint64 ia = ps_request_table_get (table, *(const guint32 *) a)->id;
  guint64 ib = ps_request_table_get (table, *(const guint32 *) b)->id;

  return ia < ib ? -1 : ia > ib;
}

/* Requests still queued or at the server are written as pending, by id. */
static void
finish_pending (PsSim *sim)
{
  g_autoptr(GArray) live = g_array_new (FALSE, FALSE, sizeof (guint32));

  if (sim->sink.request == NULL)         /* nobody reads the rows: count them */
    {
      sim->summary.totals.pending += ps_request_table_n_live (sim->requests);
      return;
    }
  for (guint32 slot = 0; slot < ps_request_table_n_slots (sim->requests); slot++)
    if (ps_request_table_get (sim->requests, slot)->state != PS_REQUEST_FREE)
      g_array_append_val (live, slot);
  g_array_sort_with_data (live, compare_by_id, sim->requests);
  for (guint i = 0; i < live->len; i++)
    {
      guint32 slot = g_array_index (live, guint32, i);
      PsRequest *req = ps_request_table_get (sim->requests, slot);

      req->outcome = PS_OUTCOME_PENDING;
      sim->summary.totals.pending++;
      finish_request (sim, slot);
    }
}

static void
report_clients (PsSim *sim)
{
  const char **names = g_newa (const char *, sim->scenario->n_groups);

  for (guint g = 0; g < sim->scenario->n_groups; g++)
    names[g] = sim->groups[g].spec->name;
  sim->summary.jain = ps_client_records_report (sim->clients, sim->n_clients, names, &sim->sink);
}

static void
fill_summary (PsSim *sim)
{
  const PsScenario *sc = sim->scenario;
  PsRunSummary *s = &sim->summary;
  PsPool *pool = ps_server_get_pool (sim->server);

  s->scenario = sc->name;
  s->description = sc->description;
  s->mode = "sim";
  s->seed = sc->seed;
  s->duration = sc->duration;
  s->workers = sc->workers;
  s->queue = sc->queue;
  s->quota = sc->quota;
  s->n_quota = sc->n_quota;
  s->bin = sc->bin;
  s->n_clients = sim->n_clients;
  s->latency_all = sim->latency_all;
  for (guint p = 0; p < s->n_priorities; p++)
    s->latency_by_priority[p] = sim->latency_by_priority[p];
  s->pool_mean = ps_pool_busy_integral (pool, sc->duration) / (double) sc->duration;
  s->pool_max = ps_pool_get_max_busy (pool);
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
  PsEvent ev, next;

  /* The first event past the end is popped and dropped: nothing reads the
   * queue after the loop. */
  while (ps_event_queue_pop (sim->events, &ev) && ev.time < duration)
    {
      if (ps_event_queue_peek (sim->events, &next))
        prefetch (sim, &next);
      while (ev.time >= sim->bin_end)
        close_bin (sim);
      sim->now = ev.time;
      fp = mix (mix (fp, (guint64) ev.time), (guint64) ps_event_kind (&ev) << 32 | ev.target);
      dispatch (sim, &ev);
      if ((++s->events & 0xffff) == 0 && sim->progress != NULL)
        sim->progress (sim->now, duration, s->events, sim->progress_data);
    }
  sim->now = duration;
  while (sim->bin.start < duration)
    close_bin (sim);

  finish_pending (sim);
  report_clients (sim);
  fill_summary (sim);
  s->fingerprint = fp;
  s->wall_s = (double) (g_get_monotonic_time () - wall_start) / 1e6;
  if (!ps_totals_conserved (&s->totals))
    {
      g_set_error (error, PS_SIM_ERROR, PS_SIM_ERROR_CONSERVATION,
                   "conservation violated: generated %" G_GUINT64_FORMAT
                   " != completed %" G_GUINT64_FORMAT " + rejected %" G_GUINT64_FORMAT
                   " + dropped %" G_GUINT64_FORMAT " + pending %" G_GUINT64_FORMAT,
                   s->totals.generated, s->totals.completed, s->totals.rejected,
                   s->totals.dropped, s->totals.pending);
      return FALSE;
    }
  if (sim->sink.summary != NULL)
    sim->sink.summary (sim->sink.user_data, s);
  return TRUE;
}

const PsRunSummary *
ps_sim_get_summary (const PsSim *sim)
{
  return &sim->summary;
}
