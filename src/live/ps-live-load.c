/* ps-live-load.c: client threads, timers, sessions, answers
 *
 * Client c belongs to thread c % n_threads for the whole run: its PsClient,
 * its SoupSession and its requests are touched by that thread only, so
 * core's client logic needs no lock.  Each thread is one lane of the run
 * layer (src/run: its request table and PsRunStats, the bookkeeping the
 * simulator does too) and has its own timers; the controlling thread
 * merges the stats after joining the threads.  Request ids come from one
 * atomic counter, so they are unique and in creation order across threads.
 *
 * A thread's life: RUNNING (arrivals, sends, resumes, timeouts) until the
 * scenario's end or a stop; DRAINING: nothing new is sent, answers to what
 * is in flight still count, for a grace period of real time; STOPPING:
 * the rest is cancelled and stays pending; DONE when nothing is in flight.
 * This mirrors the simulator, which stops every event at the end of the
 * scenario: what was queued or at the server then is pending.
 *
 * With request_timeout, a client stops waiting for an attempt when its
 * timer fires; the HTTP exchange goes on (the server is not told), and
 * its answer, when it comes, is discarded.  In fact the client cancels
 * the exchange, as an HTTP client whose timeout fires closes its request:
 * the server finishes the work all the same (its disconnected jobs keep
 * their worker), and an exchange libsoup had not sent yet, waiting for
 * one of the session's connections, never goes; without this, such a
 * backlog of dead attempts would keep delaying every new one, a queue
 * the model does not have.  Orphaned worker time is then what the pool
 * was busy with beyond the useful service the answers report.  A latency fault delays each send by the fault's extra
 * delay for both legs, the only network delay live mode can add.
 */
#include "ps-live-load.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <libsoup/soup.h>

#include "ps-ipv4.h"
#include "ps-live-answer.h"
#include "ps-live-pool-sampler.h"
#include "ps-live-timers.h"
#include "ps-population.h"
#include "ps-run-end.h"
#include "ps-run-lane.h"

#define DEFAULT_THREADS 2
#define DEFAULT_GRACE_US (2 * G_USEC_PER_SEC)

enum                                   /* timer kinds */
{
  EV_BACKLOG,                          /* a client's initial requests, at t=0 */
  EV_ARRIVAL,
  EV_RESUME,
  EV_TIMEOUT,
  EV_END,
  EV_GRACE,
  EV_REQUEST_TIMEOUT,                  /* an attempt's request_timeout */
  EV_SEND,                             /* an attempt held back by a latency fault */
};

/* A timer's ref for one attempt: its request's id and attempt number. */
#define ATTEMPT_BITS 20
#define ATTEMPT_REF(id, attempt) ((guint64) (id) << ATTEMPT_BITS | ((attempt) & 0xfffffu))
#define ATTEMPT_REF_ID(ref) ((ref) >> ATTEMPT_BITS)
#define ATTEMPT_REF_NUMBER(ref) ((guint32) ((ref) & 0xfffffu))

typedef enum
{
  PHASE_RUNNING,
  PHASE_DRAINING,
  PHASE_STOPPING,
  PHASE_DONE,
} Phase;

typedef struct
{
  PsLiveLoad     *load;
  guint           index;
  GThread        *thread;
  GMainContext   *ctx;
  GMainLoop      *loop;
  PsLiveTimers   *timers;
  PsRunLane       lane;                /* its requests and counters */
  SoupSession   **sessions;            /* by client id / n_threads; lazily */
  GCancellable   *cancel;
  PsTime          last_now;
  guint           in_flight;           /* HTTP exchanges not answered yet */
  Phase           phase;
  guint64         errors;              /* answers that were not 200/429/503 */
  char           *first_error;
  PsHistogram    *lag;                 /* how late its timers fired (scenario µs) */
  GHashTable     *exchanges;           /* ref -> Sent *: those with a request_timeout */
} ClientThread;

/* One HTTP exchange in flight. */
typedef struct
{
  ClientThread *thread;
  guint32       client;
  guint32       slot;
  guint64       id;
  guint32       attempt;                /* its request's attempts when sent */
  guint64       ref;                    /* ATTEMPT_REF: key of thread->exchanges */
  GCancellable *own;                    /* with request_timeout: its own, */
  gulong        parent_handler;         /* ... cancelled with the thread's */
} Sent;

struct _PsLiveLoad
{
  const PsScenario   *scenario;
  PsFaultSet          faults;
  PsLiveClock         clock;
  gint64              grace_us;
  void              (*on_quit) (gpointer user_data);
  gpointer            on_quit_data;
  GUri               *requests_uri;     /* {target}/v1/requests */
  char               *target;

  PsRecordSink        sink;
  GMutex              sink_lock;        /* the sink is one writer */

  PsPopulation       *pop;
  PsClient           *clients;          /* pop->clients */
  guint32             n_clients;
  ClientThread       *threads;
  guint               n_threads;
  guint64             next_request_id;  /* atomic */

  gint                running;          /* atomic: threads not done */
  PsLiveLoadDoneFunc  done;
  gpointer            done_data;
  GMainContext       *done_ctx;
  gboolean            started;
  gboolean            stopped;          /* ps_live_load_stop() was called */
  PsTime              stop_at;          /* written before the stop is posted */
  PsTime              last_now;         /* controlling thread's clamp */

  PsLivePoolProbeFunc probe;            /* nullable */
  gpointer            probe_data;
  PsLivePoolSampler  *sampler;          /* with a probe, once started */

  PsRunStats         *stats;            /* merged, after finish */
  PsHistogram        *lag;              /* merged, after finish */
  PsRunSummary        summary;
  gint64              wall_start;
};

/* ---- set-up ----------------------------------------------------------- */

/**
 * ps_live_check_scenario:
 *
 * Live mode binds each client to its own address, so every client address
 * must be on the loopback network 127.0.0.0/8.
 */
gboolean
ps_live_check_scenario (const PsScenario *sc, GError **error)
{
  for (guint g = 0; g < sc->n_groups; g++)
    {
      const PsCidr *cidr = &sc->groups[g].ip;
      char text[PS_IPV4_STR_LEN];

      if (cidr->prefix < 8 || (cidr->base >> 24) != 127)
        {
          g_set_error (error, PS_LIVE_ERROR, PS_LIVE_ERROR_SCENARIO,
                       "%s: clients group \"%s\": addresses %s/%u are not all in "
                       "127.0.0.0/8 (live mode binds each client to its own loopback "
                       "address; --map-addresses 127.64.0.0/10 maps them into it one to "
                       "one)", sc->path ? sc->path : "scenario", sc->groups[g].name,
                       ps_ipv4_format (cidr->base, text), cidr->prefix);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
parse_target (PsLiveLoad *load, const char *target, GError **error)
{
  g_autoptr(GUri) base = g_uri_parse (target, G_URI_FLAGS_NONE, NULL);

  if (base == NULL || g_strcmp0 (g_uri_get_scheme (base), "http") != 0
      || g_uri_get_host (base) == NULL || *g_uri_get_host (base) == '\0')
    {
      g_set_error (error, PS_LIVE_ERROR, PS_LIVE_ERROR_TARGET,
                   "--target: \"%s\" is not an http:// URL (expected "
                   "http://127.0.0.1:PORT)", target);
      return FALSE;
    }
  load->requests_uri = g_uri_parse_relative (base, "/v1/requests", G_URI_FLAGS_NONE, error);
  load->target = g_strdup (target);
  return load->requests_uri != NULL;
}

/**
 * ps_live_load_new:
 * @scenario: (transfer none): must outlive the load
 * @sink: (transfer none): copied; called from the client threads (under
 *   one lock) and from ps_live_load_finish()
 */
PsLiveLoad *
ps_live_load_new (const PsScenario *scenario, const PsLiveLoadOptions *options,
                  const PsRecordSink *sink, GError **error)
{
  g_autoptr(PsLiveLoad) load = NULL;

  if (!ps_live_check_scenario (scenario, error))
    return NULL;
  load = g_new0 (PsLiveLoad, 1);
  load->scenario = scenario;
  load->faults = ps_scenario_fault_set (scenario);
  load->clock = options->clock;
  load->grace_us = options->grace_us >= 0 ? options->grace_us : DEFAULT_GRACE_US;
  load->on_quit = options->on_quit;
  load->on_quit_data = options->on_quit_data;
  load->sink = *sink;
  g_mutex_init (&load->sink_lock);
  if (!parse_target (load, options->target, error))
    return NULL;
  load->pop = ps_population_new (scenario);
  load->clients = load->pop->clients;
  load->n_clients = load->pop->n_clients;
  load->n_threads = MIN (options->threads ? options->threads : DEFAULT_THREADS,
                         load->n_clients);
  load->threads = g_new0 (ClientThread, load->n_threads);
  for (guint i = 0; i < load->n_threads; i++)
    {
      ClientThread *t = &load->threads[i];

      t->load = load;
      t->index = i;
      t->ctx = g_main_context_new ();
      t->loop = g_main_loop_new (t->ctx, FALSE);
      /* live mode's network is the real one; the modelled latency's draws
       * are still taken (the population's), so the traffic streams stay
       * those of the simulator */
      ps_run_lane_init (&t->lane, load->pop, &load->sink, &load->sink_lock,
                        &load->next_request_id);
      t->sessions = g_new0 (SoupSession *, load->n_clients / load->n_threads + 1);
      t->cancel = g_cancellable_new ();
      t->lag = ps_histogram_new ();
      t->exchanges = g_hash_table_new (g_int64_hash, g_int64_equal);
    }
  return g_steal_pointer (&load);
}

void
ps_live_load_free (PsLiveLoad *load)
{
  if (load == NULL)
    return;
  if (load->started)
    {
      ps_live_load_stop (load);
      for (guint i = 0; i < load->n_threads; i++)
        if (load->threads[i].thread != NULL)
          g_thread_join (g_steal_pointer (&load->threads[i].thread));
    }
  for (guint i = 0; load->threads != NULL && i < load->n_threads; i++)
    {
      ClientThread *t = &load->threads[i];

      g_main_loop_unref (t->loop);
      g_main_context_unref (t->ctx);
      ps_run_lane_clear (&t->lane);
      g_free (t->sessions);
      g_object_unref (t->cancel);
      g_hash_table_unref (t->exchanges);
      g_free (t->first_error);
      ps_histogram_free (t->lag);
    }
  g_free (load->threads);
  ps_population_free (load->pop);
  g_clear_pointer (&load->requests_uri, g_uri_unref);
  g_free (load->target);
  g_clear_pointer (&load->done_ctx, g_main_context_unref);
  ps_live_pool_sampler_free (load->sampler);
  ps_run_stats_free (load->stats);
  ps_histogram_free (load->lag);
  g_mutex_clear (&load->sink_lock);
  g_free (load);
}

/* ---- the pool probe (controlling thread) ------------------------------- */

/**
 * ps_live_load_set_pool_probe:
 * @probe: (nullable): called on the controlling thread at each bin's end
 *   and at the finish; must be thread-safe (the server runs meanwhile)
 *
 * Before ps_live_load_start().
 */
void
ps_live_load_set_pool_probe (PsLiveLoad *load, PsLivePoolProbeFunc probe, gpointer user_data)
{
  g_return_if_fail (!load->started);

  load->probe = probe;
  load->probe_data = user_data;
}

/* ---- sending ---------------------------------------------------------- */

static SoupSession *
session_for (ClientThread *t, const PsClient *client)
{
  SoupSession **slot = &t->sessions[client->id / t->load->n_threads];
  g_autoptr(GSocketAddress) local = NULL;
  char ip[PS_IPV4_STR_LEN];
  guint conns;

  if (*slot != NULL)
    return *slot;
  /* local-address is construct-only: a session per client, created on
   * this thread, whose context is pushed (docs/libsoup-notes.md, "One thread, one context") */
  local = g_inet_socket_address_new_from_string (ps_ipv4_format (client->ip, ip), 0);
  conns = client->policy->concurrency ? MIN (client->policy->concurrency, 64u) : 16u;
  *slot = soup_session_new_with_options ("local-address", local,
                                         "max-conns", conns,
                                         "max-conns-per-host", conns,
                                         "timeout", 0,
                                         "user-agent", "poolsim-load/" PS_VERSION,
                                         NULL);
  return *slot;
}

static void on_answer_cb (GObject *source, GAsyncResult *result, gpointer data);

/* libsoup may write a request's headers and its body separately; without
 * TCP_NODELAY, Nagle's algorithm could hold the body back until the
 * server's delayed ACK.  One setsockopt per connection; no difference was
 * measurable once connections are reused (see SOUP_MESSAGE_IDEMPOTENT). */
static void
on_network_event (SoupMessage *msg, GSocketClientEvent event, GIOStream *connection,
                  gpointer data)
{
  if (event == G_SOCKET_CLIENT_CONNECTED && G_IS_SOCKET_CONNECTION (connection))
    g_socket_set_option (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection)),
                         IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

/* The thread's cancellable fired: so does an exchange's own. */
static void
cancel_child (GCancellable *parent, gpointer child)
{
  g_cancellable_cancel (child);
}

static void
send_request (ClientThread *t, PsClient *client, guint32 slot, PsTime now)
{
  const PsRequest *req = ps_request_table_get (t->lane.requests, slot);
  g_autoptr(SoupMessage) msg = soup_message_new_from_uri ("POST", t->load->requests_uri);
  g_autoptr(GBytes) body = NULL;
  Sent *sent = g_new (Sent, 1);
  guint64 work = (guint64) MAX (req->work, 0);
  char *text;

  text = g_strdup_printf ("{\"priority\":%u,\"work_ms\":%" G_GUINT64_FORMAT
                          ".%03" G_GUINT64_FORMAT "}",
                          req->priority, work / 1000, work % 1000);
  body = g_bytes_new_take (text, strlen (text));
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  g_signal_connect (msg, "network-event", G_CALLBACK (on_network_event), NULL);
  /* libsoup never sends a non-idempotent request (a POST) on an idle
   * kept-alive connection: without this flag every request opened a new
   * connection, and default.json at --time-scale 20 took 150-280 ms of real
   * time from send to answer (connection churn, the server sweeping one
   * closed connection per request) against 76 ms with it, where two cores
   * are then the limit (1.5 ms at --time-scale 5).  Resending
   * one of ours after a connection died unanswered is what the client
   * would do anyway. */
  soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  *sent = (Sent) { t, client->id, slot, req->id, req->attempts,
                   ATTEMPT_REF (req->id, req->attempts), NULL, 0 };
  if (client->policy->request_timeout > 0)
    {
      sent->own = g_cancellable_new ();
      sent->parent_handler = g_cancellable_connect (t->cancel, G_CALLBACK (cancel_child),
                                                    sent->own, NULL);
      g_hash_table_insert (t->exchanges, &sent->ref, sent);
    }
  t->in_flight++;
  soup_session_send_and_read_async (session_for (t, client), msg, G_PRIORITY_DEFAULT,
                                    sent->own != NULL ? sent->own : t->cancel,
                                    on_answer_cb, sent);
}

/* The client still waits for the answer to attempt @attempt of request
 * @id, which is in @slot if it is still there. */
static gboolean
awaited (ClientThread *t, guint32 slot, guint64 id, guint32 attempt)
{
  const PsRequest *req;

  if (slot >= ps_request_table_n_slots (t->lane.requests))
    return FALSE;
  req = ps_request_table_get (t->lane.requests, slot);
  return req->id == id && req->state == PS_REQUEST_SENT
         && (req->attempts & 0xfffffu) == (attempt & 0xfffffu);
}

/* An attempt leaves the client: its timeout starts now, and its HTTP
 * request goes now or, in a latency fault, after the fault's delay. */
static void
send_attempt (ClientThread *t, PsClient *client, guint32 slot, PsTime now)
{
  const PsRequest *req = ps_request_table_get (t->lane.requests, slot);
  guint64 ref = ATTEMPT_REF (req->id, req->attempts);
  PsTime extra = t->load->faults.n_faults > 0
                 ? ps_fault_set_extra_latency (&t->load->faults, now) : 0;

  if (client->policy->request_timeout > 0)
    ps_live_timers_add (t->timers, now + client->policy->request_timeout,
                        EV_REQUEST_TIMEOUT, slot, ref);
  if (extra > 0)
    ps_live_timers_add (t->timers, now + 2 * extra, EV_SEND, slot, ref);
  else
    send_request (t, client, slot, now);
}

/* Sends what the client may send now. */
static void
pump (ClientThread *t, PsClient *client, PsTime now)
{
  guint32 slot;
  PsTime until;

  if (t->phase != PHASE_RUNNING)
    return;
  while ((slot = ps_run_lane_next_to_send (&t->lane, client, now)) != PS_NO_SLOT)
    send_attempt (t, client, slot, now);
  if (ps_run_lane_take_hold (&t->lane, client, &until))      /* self_throttle */
    ps_live_timers_add (t->timers, until, EV_RESUME, client->id, 0);
}

/* ---- answers ---------------------------------------------------------- */

static void
maybe_done (ClientThread *t)
{
  if (t->phase >= PHASE_DRAINING && t->in_flight == 0 && t->phase != PHASE_DONE)
    {
      t->phase = PHASE_DONE;
      g_main_loop_quit (t->loop);
    }
}

/* Where and how busy the server says the request was: admission time and
 * service interval on this thread's clock (durations, not instants, cross
 * the wire, so the two processes need not share a clock). */
static void
place_service (ClientThread *t, PsRequest *req, const PsLiveAnswer *a, PsTime now)
{
  PsTime service, in_server;

  if (!a->has_service)
    {
      req->admitted = now;              /* not our server: all we know */
      ps_run_stats_on_admitted (t->lane.stats, now);
      return;
    }
  service = (PsTime) (a->service_ms * 1000.0 + 0.5);
  in_server = (PsTime) ((a->queued_ms + a->service_ms) * 1000.0 + 0.5);
  req->admitted = CLAMP (now - in_server, req->created, now);
  ps_run_stats_on_admitted (t->lane.stats, req->admitted);
  ps_run_stats_add_busy (t->lane.stats, MAX (now - service, req->admitted), now,
                         (guint) a->pool_busy);
}

static void
note_error (ClientThread *t, guint status, const GError *error)
{
  t->errors++;
  if (t->first_error != NULL)
    return;
  t->first_error = error != NULL ? g_strdup (error->message)
                                 : g_strdup_printf ("HTTP status %u", status);
}

static void
react (ClientThread *t, PsClient *client, guint32 slot, guint status, gint64 retry_after_s,
       const char *policy, PsTime now)
{
  PsReaction r;

  ps_run_stats_on_answer (t->lane.stats, now, status, policy);
  r = ps_run_lane_respond (&t->lane, client, slot, status, retry_after_s, now);
  if (r.kind == PS_REACTION_REQUEUED)
    ps_live_timers_add (t->timers, r.resume_at, EV_RESUME, client->id, 0);
}

static void
on_answer (ClientThread *t, const Sent *sent, SoupMessage *msg, GBytes *body,
           const GError *error, PsTime now)
{
  PsClient *client = &t->load->clients[sent->client];
  PsRequest *req;
  g_auto(PsLiveAnswer) a = { 0 };
  guint model_status;

  ps_live_answer_read (&a, error == NULL ? msg : NULL, body);
  if (!awaited (t, sent->slot, sent->id, sent->attempt))
    {
      /* the client timed out on it: discarded, its service wasted */
      ps_run_stats_on_late_answer (t->lane.stats);
      if (a.status == 200 && a.has_service)
        ps_run_stats_on_service (t->lane.stats, now - (PsTime) (a.service_ms * 1000.0 + 0.5),
                                 (PsTime) (a.service_ms * 1000.0 + 0.5), TRUE);
      ps_run_lane_record_answer (&t->lane, sent->id, sent->client, now, a.status,
                                 a.retry_after_s);
      return;
    }
  req = ps_request_table_get (t->lane.requests, sent->slot);
  if (a.status == 200 && a.has_service)
    ps_run_stats_on_service (t->lane.stats, now - (PsTime) (a.service_ms * 1000.0 + 0.5),
                             (PsTime) (a.service_ms * 1000.0 + 0.5), FALSE);
  model_status = a.status;
  if (a.status != 200 && a.status != 429 && a.status != 503)
    {
      note_error (t, a.status, error);  /* a failure the model has no word for: */
      model_status = 503;               /* the server could not serve it */
    }
  if (a.status == 200)
    place_service (t, req, &a, now);
  if (a.has_ratelimit && client->policy->on_429 == PS_ON_429_SELF_THROTTLE)
    ps_client_note_quota (client, a.remaining, a.reset_s, now);
  ps_run_lane_record_attempt (&t->lane, req, now, a.status, a.retry_after_s);
  /* only a refusal names its policy */
  react (t, client, sent->slot, model_status, a.retry_after_s,
         a.status == 429 ? a.policy : NULL, now);
  pump (t, client, now);
}

static void
on_answer_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Sent *sent = data;
  ClientThread *t = sent->thread;
  SoupSession *session = SOUP_SESSION (source);
  SoupMessage *msg = soup_session_get_async_result_message (session, result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  if (msg != NULL)
    g_object_ref (msg);
  body = soup_session_send_and_read_finish (session, result, &error);
  t->in_flight--;
  if (sent->own != NULL)
    {
      g_hash_table_remove (t->exchanges, &sent->ref);
      g_cancellable_disconnect (t->cancel, sent->parent_handler);
      g_clear_object (&sent->own);
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      PsTime now = ps_live_clock_now (&t->load->clock, &t->last_now);

      ps_run_stats_advance (t->lane.stats, now);
      ps_run_stats_count_event (t->lane.stats);
      on_answer (t, sent, msg, body, error, now);
    }                                   /* cancelled at the end: stays pending */
  g_clear_object (&msg);
  g_free (sent);
  maybe_done (t);
}

/* ---- timers ----------------------------------------------------------- */

/* A new request of @client, created at @at (its intended instant, so a
 * late timer does not hide queueing at the client). */
static void
create_request (ClientThread *t, PsClient *client, PsTime at, const PsReplayRow *row)
{
  guint32 slot = ps_run_lane_create_request (&t->lane, client, at, row, NULL);

  if (slot != PS_NO_SLOT && client->policy->timeout > 0)
    ps_live_timers_add (t->timers, at + client->policy->timeout, EV_TIMEOUT, slot,
                        ps_request_table_get (t->lane.requests, slot)->id);
}

static void
on_arrival (ClientThread *t, PsClient *client, PsTime at, PsTime now)
{
  const PsArrivalSpec *arrival = &t->load->pop->groups[client->group].spec->arrival;
  PsTime next;

  create_request (t, client, at, ps_arrival_current_row (arrival, &client->arrival));
  next = ps_run_lane_draw_next_arrival (&t->lane, client, at);
  if (next != PS_TIME_NEVER)
    ps_live_timers_add (t->timers, next, EV_ARRIVAL, client->id, 0);
  pump (t, client, now);
}

static void
on_backlog (ClientThread *t, PsClient *client, PsTime now)
{
  for (guint i = 0; i < t->load->pop->groups[client->group].spec->initial_backlog; i++)
    create_request (t, client, 0, NULL);
  pump (t, client, now);
}

static void
on_timeout (ClientThread *t, guint32 slot, guint64 id, PsTime now)
{
  PsRequest *req;

  if (slot >= ps_request_table_n_slots (t->lane.requests))
    return;
  req = ps_request_table_get (t->lane.requests, slot);
  if (req->id != id || req->state != PS_REQUEST_QUEUED)
    return;                             /* sent, finished, or slot reused */
  ps_run_lane_expire (&t->lane, slot, now);
}

/* An attempt's request_timeout came: the client stops waiting for it,
 * unless its answer came first. */
static void
on_request_timeout (ClientThread *t, guint32 slot, guint64 ref, PsTime now)
{
  PsClient *client;
  PsReaction r;
  Sent *sent;

  if (!awaited (t, slot, ATTEMPT_REF_ID (ref), ATTEMPT_REF_NUMBER (ref)))
    return;
  client = &t->load->clients[ps_request_table_get (t->lane.requests, slot)->client];
  r = ps_run_lane_time_out (&t->lane, client, slot, now);
  if (r.kind == PS_REACTION_REQUEUED && r.resume_at >= 0)
    ps_live_timers_add (t->timers, r.resume_at, EV_RESUME, client->id, 0);
  sent = g_hash_table_lookup (t->exchanges, &ref);
  if (sent != NULL)
    g_cancellable_cancel (sent->own);    /* the client hangs up; the server works on */
  pump (t, client, now);
}

/* The send a latency fault held back; an attempt that timed out
 * meanwhile is not sent at all. */
static void
on_delayed_send (ClientThread *t, guint32 slot, guint64 ref, PsTime now)
{
  if (!awaited (t, slot, ATTEMPT_REF_ID (ref), ATTEMPT_REF_NUMBER (ref)))
    return;
  send_request (t, &t->load->clients[ps_request_table_get (t->lane.requests, slot)->client],
                slot, now);
}

/* The scenario is over (or stopped): send nothing more, wait for answers. */
static void
begin_drain (ClientThread *t, PsTime now)
{
  t->phase = PHASE_DRAINING;
  ps_live_timers_add (t->timers,
                      now + (PsTime) ((double) t->load->grace_us * t->load->clock.scale),
                      EV_GRACE, 0, 0);
  maybe_done (t);
}

static void
on_timer (const PsLiveTimer *timer, gpointer data)
{
  ClientThread *t = data;
  PsLiveLoad *load = t->load;
  PsTime now = ps_live_clock_now (&load->clock, &t->last_now);

  /* How late the schedule ran: what the client does at an arrival, a
   * backlog or the end of a pause, it does this much after it should. */
  if (timer->kind == EV_ARRIVAL || timer->kind == EV_BACKLOG || timer->kind == EV_RESUME)
    ps_histogram_add (t->lag, MAX (now - timer->time, 0));
  now = MAX (now, timer->time);         /* rounding: never before its time */
  t->last_now = now;
  if (timer->kind == EV_GRACE)
    {
      if (t->phase == PHASE_DRAINING)
        {
          t->phase = PHASE_STOPPING;
          g_cancellable_cancel (t->cancel);
          maybe_done (t);
        }
      return;
    }
  if (t->phase != PHASE_RUNNING)
    return;                             /* the simulator stops every event too */
  ps_run_stats_advance (t->lane.stats, now);
  ps_run_stats_count_event (t->lane.stats);
  switch (timer->kind)
    {
    case EV_BACKLOG:
      on_backlog (t, &load->clients[timer->target], now);
      break;
    case EV_ARRIVAL:
      on_arrival (t, &load->clients[timer->target], timer->time, now);
      break;
    case EV_RESUME:
      ps_run_lane_resume (&t->lane, &load->clients[timer->target], now);
      pump (t, &load->clients[timer->target], now);
      break;
    case EV_TIMEOUT:
      on_timeout (t, timer->target, timer->ref, now);
      break;
    case EV_REQUEST_TIMEOUT:
      on_request_timeout (t, timer->target, timer->ref, now);
      break;
    case EV_SEND:
      on_delayed_send (t, timer->target, timer->ref, now);
      break;
    case EV_END:
      begin_drain (t, now);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ---- the client thread ------------------------------------------------ */

static gboolean
stop_cb (gpointer data)
{
  ClientThread *t = data;
  PsTime now;

  if (t->phase != PHASE_RUNNING)
    return G_SOURCE_REMOVE;
  now = ps_live_clock_now (&t->load->clock, &t->last_now);
  ps_run_stats_advance (t->lane.stats, t->load->stop_at);
  ps_run_stats_truncate (t->lane.stats, t->load->stop_at);
  begin_drain (t, now);
  return G_SOURCE_REMOVE;
}

static gboolean
notify_done_cb (gpointer data)
{
  PsLiveLoad *load = data;

  load->done (load->done_data);
  return G_SOURCE_REMOVE;
}

/* After the loop: cancel what is left, let its callbacks run (they free
 * their Sent and keep the request pending), then free the sessions on
 * this thread, their owner. */
static void
wrap_up (ClientThread *t)
{
  guint32 per_thread = t->load->n_clients / t->load->n_threads + 1;
  gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;

  ps_run_stats_advance (t->lane.stats, PS_TIME_NEVER);   /* final gauges in every bin */
  if (t->phase != PHASE_DONE)
    t->phase = PHASE_STOPPING;
  g_cancellable_cancel (t->cancel);
  for (guint32 i = 0; i < per_thread; i++)
    if (t->sessions[i] != NULL)
      soup_session_abort (t->sessions[i]);
  while (t->in_flight > 0 && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (t->ctx, FALSE))
      g_usleep (1000);
  for (guint32 i = 0; i < per_thread; i++)
    g_clear_object (&t->sessions[i]);
  while (g_main_context_pending (t->ctx))   /* let libsoup release what it holds */
    g_main_context_iteration (t->ctx, FALSE);
  g_clear_pointer (&t->timers, ps_live_timers_free);
}

static gpointer
client_thread (gpointer data)
{
  ClientThread *t = data;
  PsLiveLoad *load = t->load;

  g_main_context_push_thread_default (t->ctx);     /* before any session */
  t->timers = ps_live_timers_new (&load->clock, t->ctx, on_timer, t);
  /* backlogs first: at t=0 they come before any arrival, as in the sim */
  for (guint32 c = t->index; c < load->n_clients; c += load->n_threads)
    if (load->pop->groups[load->clients[c].group].spec->initial_backlog > 0)
      ps_live_timers_add (t->timers, 0, EV_BACKLOG, c, 0);
  for (guint32 c = t->index; c < load->n_clients; c += load->n_threads)
    {
      PsTime first = ps_population_first_arrival (load->pop, &load->clients[c]);

      if (first != PS_TIME_NEVER)
        ps_live_timers_add (t->timers, first, EV_ARRIVAL, c, 0);
    }
  ps_live_timers_add (t->timers, load->scenario->duration, EV_END, 0, 0);
  g_main_loop_run (t->loop);
  wrap_up (t);
  g_main_context_pop_thread_default (t->ctx);
  if (g_atomic_int_dec_and_test (&load->running) && load->done != NULL)
    g_main_context_invoke (load->done_ctx, notify_done_cb, load);
  return NULL;
}

/* ---- the controlling thread ------------------------------------------- */

/**
 * ps_live_check_target:
 * @target: a server's base URL
 *
 * One GET /healthz, so that a wrong --target fails at once and clearly,
 * before anything is written.
 */
gboolean
ps_live_check_target (const char *target, GError **error)
{
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GMainContextPusher) pusher = g_main_context_pusher_new (ctx);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 5, NULL);
  g_autoptr(GUri) base = g_uri_parse (target, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) health = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local = NULL;

  if (base == NULL || g_strcmp0 (g_uri_get_scheme (base), "http") != 0
      || g_uri_get_host (base) == NULL || *g_uri_get_host (base) == '\0')
    {
      g_set_error (error, PS_LIVE_ERROR, PS_LIVE_ERROR_TARGET,
                   "--target: \"%s\" is not an http:// URL (expected "
                   "http://127.0.0.1:PORT)", target);
      return FALSE;
    }
  health = g_uri_parse_relative (base, "/healthz", G_URI_FLAGS_NONE, NULL);
  msg = soup_message_new_from_uri ("GET", health);
  body = soup_session_send_and_read (session, msg, NULL, &local);
  if (body == NULL || soup_message_get_status (msg) != 200)
    {
      g_set_error (error, PS_LIVE_ERROR, PS_LIVE_ERROR_TARGET,
                   "cannot reach a poolsim server at %s: %s", target,
                   local != NULL ? local->message : "GET /healthz did not answer 200");
      return FALSE;
    }
  return TRUE;
}

/**
 * ps_live_load_start:
 * @done: (nullable): called on the calling thread's thread-default context
 *   once every client thread has finished
 *
 * Checks the target, then starts the client threads.
 */
gboolean
ps_live_load_start (PsLiveLoad *load, PsLiveLoadDoneFunc done, gpointer user_data,
                    GError **error)
{
  g_return_val_if_fail (!load->started, FALSE);

  if (!ps_live_check_target (load->target, error))
    return FALSE;
  load->done = done;
  load->done_data = user_data;
  load->done_ctx = g_main_context_ref_thread_default ();
  load->wall_start = g_get_monotonic_time ();
  load->running = (gint) load->n_threads;
  load->started = TRUE;
  if (load->probe != NULL)
    load->sampler = ps_live_pool_sampler_start (load->probe, load->probe_data, &load->clock,
                                                load->scenario->bin,
                                                load->scenario->duration, load->done_ctx);
  for (guint i = 0; i < load->n_threads; i++)
    {
      char name[16];

      g_snprintf (name, sizeof name, "ps-client-%u", i);
      g_autoptr(GError) local = NULL;

      load->threads[i].thread = g_thread_try_new (name, client_thread, &load->threads[i], &local);
      if (load->threads[i].thread == NULL)
        {
          g_set_error (error, PS_LIVE_ERROR, PS_LIVE_ERROR_THREADS,
                       "cannot start client threads: %s", local->message);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * ps_live_load_stop:
 *
 * Ends the run now, as if the scenario's duration were over: no new
 * arrivals or sends, answers in flight get the grace period.  Idempotent.
 */
void
ps_live_load_stop (PsLiveLoad *load)
{
  if (load->stopped || !load->started)
    return;
  load->stopped = TRUE;
  if (load->sampler != NULL)
    ps_live_pool_sampler_stop (load->sampler);
  load->stop_at = MAX (ps_live_clock_now (&load->clock, &load->last_now), 1);
  for (guint i = 0; i < load->n_threads; i++)
    g_main_context_invoke (load->threads[i].ctx, stop_cb, &load->threads[i]);
}

gboolean
ps_live_load_was_stopped (const PsLiveLoad *load)
{
  return load->stopped;
}

static void
fill_summary (PsLiveLoad *load)
{
  PsRunSummary *s = &load->summary;

  s->jain = ps_population_report_clients (load->pop, &load->sink);
  ps_run_summarize (s, load->pop, load->stats, "live");
  s->time_scale = load->clock.scale;
  s->schedule_lag = load->lag;
  s->wall_s = (double) (g_get_monotonic_time () - load->wall_start) / 1e6;
  s->fingerprint = 0;                   /* live runs are not reproducible */
}

/**
 * ps_live_load_finish:
 *
 * Waits for the client threads, then reports what only the end can say,
 * in the simulator's order: pending requests by id, the time-series bins,
 * the clients by id, the summary.  Fails if conservation does not hold.
 */
gboolean
ps_live_load_finish (PsLiveLoad *load, GError **error)
{
  const PsScenario *sc = load->scenario;
  PsTime end = load->stopped ? load->stop_at : sc->duration;
  g_autofree PsRunLane *lanes = NULL;

  g_return_val_if_fail (load->started && load->stats == NULL, FALSE);

  for (guint i = 0; i < load->n_threads; i++)
    if (load->threads[i].thread != NULL)
      g_thread_join (g_steal_pointer (&load->threads[i].thread));
  load->started = FALSE;                /* joined: nothing left to stop */

  load->stats = ps_run_stats_new (sc->duration, sc->bin, load->pop->n_priorities);
  if (sc->n_faults > 0)
    {
      PsTime start, stop;

      ps_fault_set_span (&load->faults, &start, &stop);
      ps_run_stats_watch_stability (load->stats, start, stop);
    }
  if (end < sc->duration)
    ps_run_stats_truncate (load->stats, end);
  for (guint i = 0; i < load->n_threads; i++)
    {
      PsRunStats *stats = load->threads[i].lane.stats;

      if (ps_run_stats_get_duration (stats) != ps_run_stats_get_duration (load->stats))
        ps_run_stats_truncate (stats, end);   /* stopped before it began */
      ps_run_stats_merge (load->stats, stats);
    }
  if (load->sampler != NULL)
    {
      ps_live_pool_sampler_apply (load->sampler, load->stats);
      ps_run_stats_infer_orphaned (load->stats);
    }
  lanes = g_new (PsRunLane, load->n_threads);
  for (guint i = 0; i < load->n_threads; i++)
    lanes[i] = load->threads[i].lane;
  ps_run_finish_pending (lanes, load->n_threads, load->stats);
  ps_run_stats_emit_bins (load->stats, PS_TIME_NEVER, &load->sink);
  load->lag = ps_histogram_new ();
  for (guint i = 0; i < load->n_threads; i++)
    ps_histogram_merge (load->lag, load->threads[i].lag);
  fill_summary (load);
  return ps_run_conclude (&load->summary, &load->sink, error);
}

const PsRunSummary *
ps_live_load_get_summary (const PsLiveLoad *load)
{
  return &load->summary;
}

/**
 * ps_live_load_get_errors:
 * @out_first: (out) (optional) (transfer full): the first one's message
 *
 * Returns: how many exchanges failed or had a status other than 200, 429
 * and 503 (each was treated as a 503).
 */
guint64
ps_live_load_get_errors (const PsLiveLoad *load, char **out_first)
{
  guint64 n = 0;

  if (out_first != NULL)
    *out_first = NULL;
  for (guint i = 0; i < load->n_threads; i++)
    {
      n += load->threads[i].errors;
      if (out_first != NULL && *out_first == NULL && load->threads[i].first_error != NULL)
        *out_first = g_strdup (load->threads[i].first_error);
    }
  return n;
}

/* ---- running with signals --------------------------------------------- */

typedef struct
{
  PsLiveLoad *load;
  GMainLoop  *loop;
  guint       signals;
} Runner;

static void
runner_done (gpointer data)
{
  g_main_loop_quit (((Runner *) data)->loop);
}

/* First SIGINT/SIGTERM: stop arrivals, drain; the second: exit now. */
static gboolean
on_signal (gpointer data)
{
  Runner *r = data;

  if (r->signals++ == 0)
    {
      g_printerr ("poolsim: stopping: no new requests; waiting up to %.1f s for answers "
                  "(interrupt again to quit at once)\n",
                  (double) r->load->grace_us / 1e6);
      ps_live_load_stop (r->load);
      return G_SOURCE_CONTINUE;
    }
  if (r->load->on_quit != NULL)
    r->load->on_quit (r->load->on_quit_data);
  else
    g_printerr ("poolsim: interrupted: quitting without writing the summary\n");
  _exit (130);
}

static GSource *
watch_signal (GMainContext *ctx, int signum, Runner *runner)
{
  GSource *source = g_unix_signal_source_new (signum);

  g_source_set_callback (source, on_signal, runner, NULL);
  g_source_attach (source, ctx);
  return source;
}

/**
 * ps_live_load_run:
 * @catch_signals: stop on the first SIGINT/SIGTERM, exit on the second
 *
 * Starts, waits for the end on a private main context, finishes.
 */
gboolean
ps_live_load_run (PsLiveLoad *load, gboolean catch_signals, GError **error)
{
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (ctx, FALSE);
  Runner runner = { load, loop, 0 };
  GSource *sources[2] = { NULL, NULL };
  gboolean ok;

  g_main_context_push_thread_default (ctx);
  if (catch_signals)
    {
      sources[0] = watch_signal (ctx, SIGINT, &runner);
      sources[1] = watch_signal (ctx, SIGTERM, &runner);
    }
  ok = ps_live_load_start (load, runner_done, &runner, error);
  if (ok)
    g_main_loop_run (loop);
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    if (sources[i] != NULL)
      {
        g_source_destroy (sources[i]);
        g_source_unref (sources[i]);
      }
  if (ok)
    ok = ps_live_load_finish (load, error);
  while (g_main_context_pending (ctx))
    g_main_context_iteration (ctx, FALSE);
  g_main_context_pop_thread_default (ctx);
  return ok;
}
