/* ps-live-server.c: the server thread, the workers, and how they stop
 *
 * Threads.  The server thread owns the SoupServer, its GMainContext and
 * everything libsoup hands out (docs/libsoup-notes.md, "One thread, one
 * context"): the acceptor, handlers, completions and the connection sweep run
 * there.  A handler that
 * admits a request pauses its message and pushes a Job to the GThreadPool;
 * a worker sleeps the service time (scenario time / time scale), asks the
 * admission for the next queued request, posts the finished Job back with
 * g_main_context_invoke(), and goes on with the next one.  Workers never
 * touch a message; the completion sets the response and unpauses, unless
 * the client went away meanwhile (docs/libsoup-notes.md, "Clients that go
 * away while paused").
 *
 * Stopping (docs/libsoup-notes.md, "Shutdown order"): new POSTs get 503
 * at once; the in-flight ones get up to a grace period; then, on the server thread, soup_server_disconnect();
 * then sleeping workers are woken and the pool is drained while the loop
 * still dispatches completions; then the loop quits and the thread is
 * joined.
 *
 * Memory: one Job per admitted request, freed by its completion.
 */
#include "ps-live-server.h"

#include "ps-json-writer.h"

#include <sys/resource.h>

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libsoup/soup.h>

#include "ps-histogram.h"
#include "ps-ipv4.h"
#include "ps-live-acceptor.h"
#include "ps-live-connections.h"
#include "ps-live-stream.h"
#include "ps-live-metrics.h"
#include "ps-ratelimit-headers.h"

#define JSON_TYPE "application/json"

typedef struct
{
  PsLiveServer      *server;
  SoupServerMessage *msg;              /* server thread only */
  gulong             disconnected_id;
  gboolean           gone;             /* server thread only: client went away */
  guint64            id;               /* set by the handler after admission */
  guint32            ip;
  guint              priority;
  guint32            handle;           /* STARTED jobs: for the first worker */
  PsTime             work;             /* STARTED jobs: for the first worker */
  /* written by the worker, read by the completion (work too, for QUEUED) */
  PsTime             queued;
  PsTime             service;
  guint              pool_busy;
} Job;

typedef gboolean (*ServerFunc) (PsLiveServer *server);

struct _PsLiveServer
{
  const PsScenario     *scenario;
  PsLiveClock           clock;
  gsize                 max_body;
  guint                 sweep_ms;
  guint                 max_connections;
  GSocketAddress       *listen_address;
  char                 *url;
  guint                 port;
  gint64                real_start;

  GMainContext         *ctx;
  GMainLoop            *loop;
  GThread              *thread;
  GThreadPool          *workers;
  PsLiveAdmission      *admission;

  /* server thread only */
  SoupServer           *soup;
  PsLiveAcceptor       *acceptor;      /* owns the listening socket */
  GSocket              *keepalive[2];  /* see listen_on() */
  PsHistogram          *in_server;
  PsLiveServerCounters  counters;
  PsLiveConnections    *connections;   /* every open one, swept */
  guint64               refused_no_fd; /* the acceptor's, counted so far */
  GSource              *sweeper;
  gboolean              stopping;

  gint                  in_flight;     /* atomic: admitted, not yet answered */

  /* start-up and synchronous calls into the server thread */
  GMutex                sync_lock;
  GCond                 sync_cond;
  gboolean              sync_done;
  GError               *start_error;

  /* waking sleeping workers when stopping */
  GMutex                wake_lock;
  GCond                 wake_cond;
  gboolean              abort_work;

  gboolean              stopped;       /* controlling thread's view */
};

/* ---- responses (server thread) ---------------------------------------- */

static GQuark
handled_quark (void)
{
  return g_quark_from_static_string ("ps-live-handled");
}

static void
count_response (PsLiveServer *self, guint status)
{
  self->counters.responses[ps_live_status_class (status)]++;
}

static void
set_json (SoupServerMessage *msg, guint status, const char *reason, char *body)
{
  soup_server_message_set_status (msg, status, reason);
  soup_server_message_set_response (msg, JSON_TYPE, SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
set_error (SoupServerMessage *msg, guint status, const char *reason,
           const char *error, const char *message)
{
  set_json (msg, status, reason, ps_live_error_json (error, message));
}

static void
set_ratelimit_headers (SoupServerMessage *msg, const PsLiveTicket *t)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  g_autofree char *policy = ps_ratelimit_policy_header (t->policies, t->n_policies);
  g_autofree char *state = ps_ratelimit_header (&t->admission.quota, t->policies);

  soup_message_headers_replace (h, "RateLimit-Policy", policy);
  soup_message_headers_replace (h, "RateLimit", state);
}

/* ---- jobs ------------------------------------------------------------- */

static void
on_disconnected (SoupServerMessage *msg, gpointer data)
{
  ((Job *) data)->gone = TRUE;
}

static void
job_free (Job *job)
{
  if (job->msg != NULL)
    {
      if (job->disconnected_id != 0)
        g_signal_handler_disconnect (job->msg, job->disconnected_id);
      g_object_unref (job->msg);
    }
  g_free (job);
}

/* On the server thread, after a worker is done with @data's request. */
static gboolean
complete_cb (gpointer data)
{
  Job *job = data;
  PsLiveServer *self = job->server;

  ps_histogram_add (self->in_server, job->queued + job->service);
  if (!job->gone)
    {
      set_json (job->msg, 200, "OK",
                ps_live_result_json (job->id, job->ip, job->priority, job->work,
                                     job->queued, job->service, job->pool_busy));
      count_response (self, 200);
      soup_server_message_unpause (job->msg);
    }
  (void) g_atomic_int_dec_and_test (&self->in_flight);
  job_free (job);
  return G_SOURCE_REMOVE;
}

/* Sleeps @work of scenario time, unless the server is stopping. */
static void
serve_for (PsLiveServer *self, PsTime work)
{
  gint64 until;

  if (work <= 0)
    return;
  until = g_get_monotonic_time () + ps_live_clock_real_span (&self->clock, work);
  g_mutex_lock (&self->wake_lock);
  while (!self->abort_work && g_get_monotonic_time () < until)
    g_cond_wait_until (&self->wake_cond, &self->wake_lock, until);
  g_mutex_unlock (&self->wake_lock);
}

/* A worker: one STARTED job, then every queued job handed to it. */
static void
work_cb (gpointer data, gpointer user_data)
{
  PsLiveServer *self = user_data;
  Job *job = data;
  guint32 handle = job->handle;
  PsTime work = job->work;

  for (;;)
    {
      PsLiveFinish f;

      job->work = work;
      serve_for (self, work);
      ps_live_admission_finish (self->admission, handle, &f);
      job->queued = f.started - f.admitted;
      job->service = f.finished - f.started;
      g_main_context_invoke (self->ctx, complete_cb, job);   /* job is the server's now */
      if (!f.has_next)
        return;
      job = f.next_data;
      handle = f.next_handle;
      work = f.next_work;
      job->pool_busy = f.next_busy;
    }
}

/* ---- POST /v1/requests ------------------------------------------------ */

static gboolean
is_trusted (const PsLiveServer *self, guint32 ip)
{
  for (guint i = 0; i < self->scenario->n_trusted_proxies; i++)
    if (ps_cidr_contains (&self->scenario->trusted_proxies[i], ip))
      return TRUE;
  return FALSE;
}

/* The rightmost address of X-Forwarded-For that is not a trusted proxy
 * (or the leftmost, when all are). */
static gboolean
forwarded_for (const PsLiveServer *self, const char *header, guint32 *ip, char **message)
{
  g_auto(GStrv) parts = g_strsplit (header, ",", -1);
  guint n = g_strv_length (parts);

  for (guint i = n; i-- > 0;)
    {
      guint32 addr;

      g_strstrip (parts[i]);
      if (!ps_ipv4_parse (parts[i], &addr))
        {
          *message = g_strdup_printf ("X-Forwarded-For: \"%s\" is not an IPv4 address",
                                      parts[i]);
          return FALSE;
        }
      *ip = addr;
      if (!is_trusted (self, addr))
        return TRUE;
    }
  return TRUE;
}

/* The client's address: the TCP peer, or what a trusted proxy says. */
static gboolean
client_ip (PsLiveServer *self, SoupServerMessage *msg, guint32 *out_ip, char **message)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  GInetAddress *addr;
  const guint8 *b;
  const char *xff;

  if (remote == NULL || !G_IS_INET_SOCKET_ADDRESS (remote))
    {
      *message = g_strdup ("the connection has no IP address");
      return FALSE;
    }
  addr = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
  if (g_inet_address_get_family (addr) != G_SOCKET_FAMILY_IPV4)
    {
      *message = g_strdup ("only IPv4 clients are supported");
      return FALSE;
    }
  b = g_inet_address_to_bytes (addr);
  *out_ip = (guint32) b[0] << 24 | (guint32) b[1] << 16 | (guint32) b[2] << 8 | b[3];
  xff = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                       "X-Forwarded-For");
  if (xff != NULL && is_trusted (self, *out_ip))
    return forwarded_for (self, xff, out_ip, message);
  return TRUE;
}

static void
refuse (PsLiveServer *self, SoupServerMessage *msg, const PsLiveTicket *t)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  char retry[24];
  const PsAdmission *adm = &t->admission;

  g_snprintf (retry, sizeof retry, "%" G_GINT64_FORMAT, adm->retry_after_s);
  soup_message_headers_replace (h, "Retry-After", retry);
  if (adm->verdict == PS_ADMIT_REJECT_429)
    {
      PsQuotaPolicy named = t->policies[adm->quota.policy];

      ps_quota_policy_default_name (&named);
      set_ratelimit_headers (msg, t);
      /* no phrase for 429 in libsoup 3.2.3 (libsoup-notes.md, "Status lines") */
      set_json (msg, 429, "Too Many Requests",
                ps_live_refusal_json (429, adm->retry_after_s, named.name));
      count_response (self, 429);
    }
  else
    {
      set_json (msg, 503, "Service Unavailable",
                ps_live_refusal_json (503, adm->retry_after_s, NULL));
      count_response (self, 503);
    }
}

static void
admit (PsLiveServer *self, SoupServerMessage *msg, guint32 ip, guint priority, PsTime work)
{
  Job *job = g_new0 (Job, 1);
  PsLiveTicket t;

  job->server = self;
  job->ip = ip;
  job->priority = priority;
  switch (ps_live_admission_try (self->admission, ip, priority, work, job, &t))
    {
    case PS_ADMIT_REJECT_429:
    case PS_ADMIT_REJECT_503:
      g_free (job);
      refuse (self, msg, &t);
      return;
    case PS_ADMIT_STARTED:
    case PS_ADMIT_QUEUED:
      break;
    default:
      g_assert_not_reached ();
    }
  /* A QUEUED job may already be in a worker's hands: from here on only
   * fields that workers never touch are written. */
  job->id = t.id;
  job->msg = g_object_ref (msg);
  job->disconnected_id = g_signal_connect (msg, "disconnected",
                                           G_CALLBACK (on_disconnected), job);
  set_ratelimit_headers (msg, &t);
  soup_server_message_pause (msg);
  g_atomic_int_inc (&self->in_flight);
  if (t.admission.verdict == PS_ADMIT_STARTED)
    {
      job->handle = t.handle;
      job->work = t.work;
      job->pool_busy = t.busy;
      g_thread_pool_push (self->workers, job, NULL);
    }
}

static void
handle_requests (PsLiveServer *self, SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = NULL;
  g_autofree char *message = NULL;
  const char *data;
  gsize length;
  guint priority;
  PsTime work;
  guint32 ip;

  if (self->stopping)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "1");
      set_error (msg, 503, "Service Unavailable", "stopping", "the server is stopping");
      count_response (self, 503);
      return;
    }
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (body, &length);
  if (!ps_live_parse_request_body (data != NULL ? data : "", length, &priority, &work, &message)
      || !client_ip (self, msg, &ip, &message))
    {
      set_error (msg, 400, "Bad Request", "bad_request", message);
      count_response (self, 400);
      return;
    }
  admit (self, msg, ip, priority, work);
}

/* ---- GET routes ------------------------------------------------------- */

static void
handle_client (PsLiveServer *self, SoupServerMessage *msg, const char *tail)
{
  PsLiveSubjectInfo info;
  guint32 ip;

  if (!ps_ipv4_parse (tail, &ip))
    {
      g_autofree char *m = g_strdup_printf ("\"%s\" is not an IPv4 address", tail);

      set_error (msg, 400, "Bad Request", "bad_request", m);
      count_response (self, 400);
    }
  else if (!ps_live_admission_subject (self->admission, ip, &info))
    {
      g_autofree char *m = g_strdup_printf ("no request has come from %s yet", tail);

      set_error (msg, 404, "Not Found", "not_found", m);
      count_response (self, 404);
    }
  else
    set_json (msg, 200, "OK", ps_live_client_json (&info));
}

static void
fill_counters (PsLiveServer *self)
{
  PsLiveClosed closed;

  self->counters.time_scale = self->clock.scale;
  self->counters.uptime_s = (double) (g_get_monotonic_time () - self->real_start) / 1e6;
  self->counters.in_flight = (guint64) g_atomic_int_get (&self->in_flight);
  self->counters.connections_open = ps_live_connections_open (self->connections);
  ps_live_connections_closed (self->connections, &closed);
  self->counters.connections_swept = closed.hung_up;
  self->counters.connections_timed_out = closed.timed_out;
  self->counters.connections_idle = closed.idle;
  self->counters.responses[PS_LIVE_STATUS_408] = closed.timed_out;   /* only these */
  if (self->acceptor != NULL)
    {
      PsLiveAcceptorCounters a;

      ps_live_acceptor_counters (self->acceptor, &a);
      self->counters.accept_errors = a.errors;
      /* answered 503 from the reserve descriptor: counted once each */
      self->counters.connections_refused += a.refused_no_fd - self->refused_no_fd;
      self->counters.responses[PS_LIVE_STATUS_503] += a.refused_no_fd - self->refused_no_fd;
      self->refused_no_fd = a.refused_no_fd;
    }
}

static void
handle_get (PsLiveServer *self, SoupServerMessage *msg, PsRoute route, const char *tail)
{
  PsLivePoolStats stats;

  switch (route)
    {
    case PS_ROUTE_POOL:
      {
        PsTime now;
        g_autoptr(GArray) entries = ps_live_admission_pool (self->admission, &now);

        ps_live_admission_stats (self->admission, &stats);
        stats.now = MAX (stats.now, now);
        set_json (msg, 200, "OK", ps_live_pool_json (&stats, entries));
        ps_live_pool_stats_clear (&stats);
        break;
      }
    case PS_ROUTE_STATS:
      fill_counters (self);
      ps_live_admission_stats (self->admission, &stats);
      set_json (msg, 200, "OK", ps_live_stats_json (&stats, &self->counters));
      ps_live_pool_stats_clear (&stats);
      break;
    case PS_ROUTE_CLIENT:
      handle_client (self, msg, tail);
      break;
    case PS_ROUTE_METRICS:
      {
        char *text;

        fill_counters (self);
        ps_live_admission_stats (self->admission, &stats);
        text = ps_live_metrics_render (&stats, &self->counters, self->in_server);
        ps_live_pool_stats_clear (&stats);
        soup_server_message_set_status (msg, 200, "OK");
        soup_server_message_set_response (msg, PS_LIVE_METRICS_CONTENT_TYPE,
                                          SOUP_MEMORY_TAKE, text, strlen (text));
        break;
      }
    case PS_ROUTE_OPENAPI:
      {
        g_autoptr(GBytes) doc = ps_live_openapi_bytes ();
        gsize size;
        const char *data = g_bytes_get_data (doc, &size);

        soup_server_message_set_status (msg, 200, "OK");
        soup_server_message_set_response (msg, JSON_TYPE, SOUP_MEMORY_COPY, data, size);
        break;
      }
    case PS_ROUTE_DOCS:
      {
        g_autoptr(GError) error = NULL;
        char *html = ps_live_docs_html (&error);

        if (html == NULL)
          {
            set_error (msg, 500, "Internal Server Error", "internal", error->message);
            break;
          }
        soup_server_message_set_status (msg, 200, "OK");
        soup_server_message_set_response (msg, "text/html; charset=utf-8",
                                          SOUP_MEMORY_TAKE, html, strlen (html));
        break;
      }
    case PS_ROUTE_HEALTHZ:
      if (self->stopping)
        set_json (msg, 503, "Service Unavailable", g_strdup ("{\"status\":\"stopping\"}\n"));
      else
        set_json (msg, 200, "OK", g_strdup ("{\"status\":\"ok\"}\n"));
      break;
    case PS_ROUTE_REQUESTS:
    case PS_ROUTE_NONE:
    default:
      g_assert_not_reached ();
    }
}

static void
handler_cb (SoupServer *soup, SoupServerMessage *msg, const char *path,
            GHashTable *query, gpointer data)
{
  PsLiveServer *self = data;
  const char *method = soup_server_message_get_method (msg);
  const char *tail = NULL;
  PsRoute route = ps_live_route (path, &tail);
  const char *allowed = ps_live_route_method (route);

  if (route == PS_ROUTE_NONE)
    {
      g_autofree char *m = g_strdup_printf ("no such path: %s (see /docs)", path);

      set_error (msg, 404, "Not Found", "not_found", m);
      count_response (self, 404);
    }
  else if (strcmp (method, allowed) != 0
           && !(strcmp (allowed, "GET") == 0 && strcmp (method, "HEAD") == 0))
    {
      g_autofree char *m = g_strdup_printf ("%s does not answer %s (only %s)",
                                            path, method, allowed);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    strcmp (allowed, "GET") == 0 ? "GET, HEAD" : allowed);
      set_error (msg, 405, "Method Not Allowed", "method_not_allowed", m);
      count_response (self, 405);
    }
  else if (route == PS_ROUTE_REQUESTS)
    handle_requests (self, msg);
  else
    handle_get (self, msg, route, tail);
}

/* After the headers, before the body.  The guard has already refused
 * what must not reach libsoup (ps-live-guard.h: bodies over the limit,
 * chunked or other encodings, bad lengths, heads too long); what is left
 * here is what libsoup would do on its own. */
static void
early_cb (SoupServer *soup, SoupServerMessage *msg, const char *path,
          GHashTable *query, gpointer data)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);

  /* reached our handlers: counted there, not in request_finished_cb() */
  g_object_set_qdata (G_OBJECT (msg), handled_quark (), GINT_TO_POINTER (1));
  /* libsoup answers Range itself, and "bytes=0-,0-,..." repeated makes a
   * 45 KB request a 119 MB 206 held in memory per connection; the API has
   * no use for partial content, so every answer is whole. */
  soup_message_headers_remove (h, "Range");
}

/* ---- connections ------------------------------------------------------ */

/* The guard refused a head and answered it (ps-live-stream.h). */
static void
refused_cb (guint status, gpointer data)
{
  count_response (data, status);
}

/* An accepted connection: over the limit it is answered 503 and closed at
 * once (a client hears why instead of timing out); otherwise it goes to
 * libsoup through the guard. */
static void
accepted_cb (GSocket *socket, gpointer data)
{
  PsLiveServer *self = data;
  g_autoptr(GSocket) owned = socket;
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) stream = NULL;

  self->counters.connections_accepted++;
  if (remote == NULL || local == NULL)
    return;                                   /* gone already; closed by the unref */
  ps_live_connections_flush (self->connections);   /* those done hold no place */
  if (ps_live_connections_open (self->connections) >= self->max_connections)
    {
      g_autofree char *m = g_strdup_printf ("the server has its limit of %u connections "
                                            "open (--max-connections); try again",
                                            self->max_connections);
      gsize length;
      g_autofree char *answer = ps_live_closing_answer (503, "Service Unavailable",
                                                        "too_many_connections", m, &length);

      g_socket_send_with_blocking (socket, answer, length, FALSE, NULL, NULL);
      ps_live_acceptor_close_answered (self->acceptor, socket);
      self->counters.connections_refused++;
      count_response (self, 503);
      return;
    }
  /* a paused response is written when the worker is done; if its headers
   * and body went out in two writes, Nagle's algorithm could hold the
   * second until the client's delayed ACK */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  connection = g_socket_connection_factory_create_connection (socket);
  stream = ps_live_stream_new (connection, self->max_body, refused_cb, self);
  ps_live_connections_add (self->connections, stream, remote);
  soup_server_accept_iostream (self->soup, stream, local, remote, NULL);
}

static void
request_started_cb (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  ps_live_connections_started (((PsLiveServer *) data)->connections, msg);
}

/* Also counts what libsoup answered on its own (a request line it could
 * not parse, say), which never reached a handler. */
static void
request_finished_cb (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  PsLiveServer *self = data;
  guint status = soup_server_message_get_status (msg);

  ps_live_connections_finished (self->connections, msg);
  if (status != 0 && g_object_get_qdata (G_OBJECT (msg), handled_quark ()) == NULL)
    count_response (self, status);
}

static gboolean
sweep_cb (gpointer data)
{
  PsLiveServer *self = data;

  ps_live_connections_sweep (self->connections, g_get_monotonic_time ());
  return G_SOURCE_CONTINUE;
}

/* ---- the server thread ------------------------------------------------ */

static void
signal_sync (PsLiveServer *self)
{
  g_mutex_lock (&self->sync_lock);
  self->sync_done = TRUE;
  g_cond_signal (&self->sync_cond);
  g_mutex_unlock (&self->sync_lock);
}

/* libsoup keeps a connection alive after a response only while the
 * server has a listener (docs/libsoup-notes.md, "Accepting after
 * EMFILE"), and the server accepts on its own socket: libsoup is given
 * one end of a socket pair as its listener, on which no connection ever
 * arrives. */
static gboolean
add_keepalive_listener (PsLiveServer *self, GError **error)
{
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "socketpair: %s",
                   g_strerror (saved));
      return FALSE;
    }
  self->keepalive[0] = g_socket_new_from_fd (fds[0], error);
  self->keepalive[1] = self->keepalive[0] != NULL ? g_socket_new_from_fd (fds[1], error) : NULL;
  if (self->keepalive[1] == NULL)
    {
      if (self->keepalive[0] == NULL)
        close (fds[0]);
      close (fds[1]);
      return FALSE;
    }
  return soup_server_listen_socket (self->soup, self->keepalive[0], 0, error);
}

static gboolean
listen_on (PsLiveServer *self, GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (g_socket_address_get_family (self->listen_address),
                         G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  /* SoupServer's backlog would be 10 (docs/libsoup-notes.md, "Listen backlog") */
  g_socket_set_listen_backlog (socket, 1024);
  if (!g_socket_bind (socket, self->listen_address, TRUE, error)
      || !g_socket_listen (socket, error)
      || !add_keepalive_listener (self, error))
    return FALSE;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return FALSE;
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->acceptor = ps_live_acceptor_new (socket, self->ctx, accepted_cb, self);
  return TRUE;
}

static gboolean
setup (PsLiveServer *self, GError **error)
{
  GSource *sweeper;

  self->soup = soup_server_new ("server-header", "poolsim/" PS_VERSION " ", NULL);
  soup_server_add_early_handler (self->soup, NULL, early_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (request_finished_cb), self);
  if (!listen_on (self, error))
    return FALSE;
  /* g_timeout_add() would attach to the global default context
   * (docs/libsoup-notes.md, "One thread, one context") */
  sweeper = g_timeout_source_new (self->sweep_ms);
  g_source_set_callback (sweeper, sweep_cb, self, NULL);
  g_source_attach (sweeper, self->ctx);
  self->sweeper = sweeper;
  return TRUE;
}

static gpointer
server_thread (gpointer data)
{
  PsLiveServer *self = data;
  gboolean ok;

  g_main_context_push_thread_default (self->ctx);   /* first: libsoup binds to it */
  ok = setup (self, &self->start_error);
  signal_sync (self);
  if (ok)
    g_main_loop_run (self->loop);

  /* after quit: completions queued late still free their jobs */
  while (g_main_context_pending (self->ctx))
    g_main_context_iteration (self->ctx, FALSE);
  if (self->sweeper != NULL)
    {
      g_source_destroy (self->sweeper);
      g_clear_pointer (&self->sweeper, g_source_unref);
    }
  g_clear_pointer (&self->acceptor, ps_live_acceptor_free);
  ps_live_connections_clear (self->connections);
  g_clear_object (&self->soup);
  for (guint i = 0; i < G_N_ELEMENTS (self->keepalive); i++)
    if (self->keepalive[i] != NULL)
      {
        g_socket_close (self->keepalive[i], NULL);
        g_clear_object (&self->keepalive[i]);
      }
  while (g_main_context_pending (self->ctx))
    g_main_context_iteration (self->ctx, FALSE);
  g_main_context_pop_thread_default (self->ctx);
  return NULL;
}

typedef struct
{
  PsLiveServer *self;
  ServerFunc    func;
} SyncCall;

static gboolean
sync_call_cb (gpointer data)
{
  SyncCall *call = data;

  call->func (call->self);
  signal_sync (call->self);
  return G_SOURCE_REMOVE;
}

/* Runs @func on the server thread and waits for it. */
static void
call_on_server (PsLiveServer *self, ServerFunc func)
{
  SyncCall call = { self, func };

  g_mutex_lock (&self->sync_lock);
  self->sync_done = FALSE;
  g_mutex_unlock (&self->sync_lock);
  g_main_context_invoke (self->ctx, sync_call_cb, &call);
  g_mutex_lock (&self->sync_lock);
  while (!self->sync_done)
    g_cond_wait (&self->sync_cond, &self->sync_lock);
  g_mutex_unlock (&self->sync_lock);
}

/* ---- the controlling thread ------------------------------------------- */

static GSocketAddress *
parse_listen (const char *listen, GError **error)
{
  const char *colon = strrchr (listen, ':');
  g_autofree char *host = NULL;
  guint64 port;
  GSocketAddress *address;

  if (colon == NULL
      || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--listen: \"%s\" is not an address (expected HOST:PORT, such as "
                   "127.0.0.1:8080; port 0 picks a free one)", listen);
      return NULL;
    }
  host = g_strndup (listen, (gsize) (colon - listen));
  if (strcmp (host, "localhost") == 0)
    {
      g_free (host);
      host = g_strdup ("127.0.0.1");
    }
  address = g_inet_socket_address_new_from_string (host, (guint) port);
  if (address == NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--listen: \"%s\" is not an IP address (expected HOST:PORT with a "
                 "numeric host, such as 127.0.0.1:8080)", host);
  return address;
}

/* Every connection is a descriptor, and the soft limit (often 1024) is
 * far below what the hard limit allows: take all of it, once. */
static void
raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

/* Connections are descriptors: leave room under the limit for everything
 * else (the listener, the reserve, output files, the load clients of
 * `poolsim live` in the same process), and keep the memory they may hold
 * (about 12 KB each, idle, measured: 600 MB at the default cap) bounded. */
static guint
default_max_connections (void)
{
  struct rlimit limit;
  rlim_t n = 1024;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    n = limit.rlim_cur;
  n = n > 128 ? n - 64 : n / 2;
  return (guint) MIN (n, (rlim_t) PS_LIVE_MAX_CONNECTIONS);
}

/* 0 picks the default; a negative value turns the timeout off. */
static gint64
timeout_or_default (gint64 us, gint64 fallback)
{
  return us == 0 ? fallback : MAX (us, (gint64) 0);
}

/**
 * ps_live_server_new:
 * @scenario: (transfer none): must outlive the server
 *
 * Starts the server thread and the workers and listens.  Returns once the
 * server accepts connections, or NULL (address in use, bad address, no
 * threads).
 */
PsLiveServer *
ps_live_server_new (const PsScenario *scenario, const PsLiveServerOptions *options,
                    GError **error)
{
  g_autoptr(GSocketAddress) address = parse_listen (options->listen, error);
  PsLiveServer *self;
  g_autofree char *host_text = NULL;

  if (address == NULL)
    return NULL;
  raise_fd_limit ();
  self = g_new0 (PsLiveServer, 1);
  self->scenario = scenario;
  self->clock = options->clock;
  self->max_body = options->max_body ? options->max_body : PS_LIVE_MAX_BODY;
  self->sweep_ms = options->sweep_ms ? options->sweep_ms : 500;
  self->max_connections = options->max_connections ? options->max_connections
                                                   : default_max_connections ();
  self->listen_address = g_steal_pointer (&address);
  self->real_start = g_get_monotonic_time ();
  self->ctx = g_main_context_new ();
  self->loop = g_main_loop_new (self->ctx, FALSE);
  self->admission = ps_live_admission_new (scenario, &self->clock);
  self->in_server = ps_histogram_new ();
  self->connections = ps_live_connections_new (self->ctx,
    timeout_or_default (options->header_timeout_us, PS_LIVE_HEADER_TIMEOUT_US),
    timeout_or_default (options->idle_timeout_us, PS_LIVE_IDLE_TIMEOUT_US));
  g_mutex_init (&self->sync_lock);
  g_cond_init (&self->sync_cond);
  g_mutex_init (&self->wake_lock);
  g_cond_init (&self->wake_cond);

  /* exclusive: exactly `workers` threads, started now
   * (docs/libsoup-notes.md, "Work on worker threads") */
  self->workers = g_thread_pool_new (work_cb, self, (int) scenario->workers, TRUE,
                                     &self->start_error);
  if (self->workers == NULL)
    {
      g_set_error (error, PS_LIVE_ERROR, PS_LIVE_ERROR_THREADS,
                   "cannot start %u worker threads: %s", scenario->workers,
                   self->start_error->message);
      self->stopped = TRUE;
      ps_live_server_free (self);
      return NULL;
    }
  self->thread = g_thread_new ("ps-server", server_thread, self);
  g_mutex_lock (&self->sync_lock);
  while (!self->sync_done)
    g_cond_wait (&self->sync_cond, &self->sync_lock);
  g_mutex_unlock (&self->sync_lock);
  if (self->start_error != NULL)
    {
      g_set_error (error, PS_LIVE_ERROR, PS_LIVE_ERROR_LISTEN, "cannot listen on %s: %s",
                   options->listen, self->start_error->message);
      g_thread_join (g_steal_pointer (&self->thread));
      self->stopped = TRUE;
      ps_live_server_free (self);
      return NULL;
    }
  host_text = g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (self->listen_address)));
  self->url = g_strdup_printf ("http://%s:%u", host_text, self->port);
  return self;
}

const char *
ps_live_server_get_url (const PsLiveServer *self)
{
  return self->url;
}

guint
ps_live_server_get_port (const PsLiveServer *self)
{
  return self->port;
}

PsLiveAdmission *
ps_live_server_get_admission (PsLiveServer *self)
{
  return self->admission;
}

guint
ps_live_server_get_max_connections (const PsLiveServer *self)
{
  return self->max_connections;
}

/* Admitted requests not answered yet; from any thread. */
guint
ps_live_server_get_in_flight (PsLiveServer *self)
{
  return (guint) g_atomic_int_get (&self->in_flight);
}

static gboolean
copy_counters_cb (PsLiveServer *self)
{
  fill_counters (self);
  return TRUE;
}

/**
 * ps_live_server_get_counters:
 * @out_counters: (out): a copy, taken on the server thread while it runs
 */
void
ps_live_server_get_counters (PsLiveServer *self, PsLiveServerCounters *out_counters)
{
  if (!self->stopped)
    call_on_server (self, copy_counters_cb);
  *out_counters = self->counters;
}

static gboolean
begin_stop_cb (PsLiveServer *self)
{
  self->stopping = TRUE;
  return TRUE;
}

static gboolean
disconnect_cb (PsLiveServer *self)
{
  fill_counters (self);                  /* the acceptor's last figures */
  g_clear_pointer (&self->acceptor, ps_live_acceptor_free);   /* no new connections */
  soup_server_disconnect (self->soup);   /* closes its listener and the connections */
  ps_live_connections_clear (self->connections);
  return TRUE;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/**
 * ps_live_server_stop:
 * @grace_us: real time the requests in flight get to finish
 *
 * Stops in the order that does not crash (docs/libsoup-notes.md,
 * "Shutdown order") and joins every thread.  Idempotent.
 */
void
ps_live_server_stop (PsLiveServer *self, gint64 grace_us)
{
  gint64 deadline = g_get_monotonic_time () + MAX (grace_us, 0);

  if (self->stopped)
    return;
  self->stopped = TRUE;
  call_on_server (self, begin_stop_cb);
  while (g_atomic_int_get (&self->in_flight) > 0 && g_get_monotonic_time () < deadline)
    g_usleep (10000);
  call_on_server (self, disconnect_cb);

  g_mutex_lock (&self->wake_lock);
  self->abort_work = TRUE;
  g_cond_broadcast (&self->wake_cond);
  g_mutex_unlock (&self->wake_lock);
  g_thread_pool_free (g_steal_pointer (&self->workers), FALSE, TRUE);
  call_on_server (self, copy_counters_cb);       /* the final figures */

  g_main_context_invoke (self->ctx, quit_cb, self->loop);
  g_thread_join (g_steal_pointer (&self->thread));
}

void
ps_live_server_free (PsLiveServer *self)
{
  if (self == NULL)
    return;
  if (self->thread != NULL && !self->stopped)
    ps_live_server_stop (self, 0);
  else if (self->thread != NULL)
    g_thread_join (g_steal_pointer (&self->thread));
  if (self->workers != NULL)
    g_thread_pool_free (self->workers, FALSE, TRUE);
  g_clear_object (&self->listen_address);
  g_free (self->url);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->ctx, g_main_context_unref);
  ps_live_admission_free (self->admission);
  ps_histogram_free (self->in_server);
  g_clear_pointer (&self->connections, ps_live_connections_free);
  g_clear_error (&self->start_error);
  g_mutex_clear (&self->sync_lock);
  g_cond_clear (&self->sync_cond);
  g_mutex_clear (&self->wake_lock);
  g_cond_clear (&self->wake_cond);
  g_free (self);
}
