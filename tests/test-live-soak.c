/* test-live-soak.c: the server under a minute of mixed valid and malformed
 * load, with connections opened and closed all along
 *
 * Three client threads: kept-alive connections posting valid requests;
 * new connections sending malformed requests (bad heads, bad bodies,
 * heads cut off by a close); connections opened, used once or left idle,
 * and closed.  The main thread probes /healthz every 50 ms and samples
 * RSS.  At the end: /healthz's p99 under 50 ms, descriptors back to the
 * baseline, RSS after the first 10 s grown under 10%, and the server's
 * counters equal to what the clients saw, status by status.
 * POOLSIM_SOAK_SECONDS shortens it (default 60).
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ps-live-api.h"
#include "ps-live-server.h"
#include "ps-test-socket.h"
#include "ps-test-util.h"

#define SCENARIO \
  "{ \"name\": \"soak\", \"duration\": \"1h\"," \
  "  \"server\": { \"workers\": 8, \"queue\": 8, \"service_time\": \"2ms\"," \
  "    \"quota\": { \"limit\": 1000000, \"window\": \"1m\" } }," \
  "  \"clients\": [ { \"group\": \"c\", \"arrival\": { \"process\": \"poisson\", \"rate\": 1 } } ] }"

typedef struct
{
  guint          port;
  gint64         until;
  GMutex         lock;
  guint64        seen[PS_LIVE_N_STATUS];   /* answers the clients read, by status */
  guint64        posted;                    /* valid POSTs sent */
  guint64        opened;                    /* connections */
  guint64        cut;                       /* heads cut off by a close */
} Soak;

/* One answer on a kept-alive connection (head, then Content-Length bytes);
 * its status, or 0 if the connection failed. */
static guint
read_answer (int fd)
{
  char buf[8192];
  gsize got = 0;
  const char *end = NULL, *cl;
  gsize body;
  guint status;

  while (end == NULL)
    {
      ssize_t n;

      if (got == sizeof buf - 1)
        return 0;
      n = recv (fd, buf + got, sizeof buf - 1 - got, 0);
      if (n <= 0)
        return 0;
      got += (gsize) n;
      buf[got] = '\0';
      end = strstr (buf, "\r\n\r\n");
    }
  cl = g_strstr_len (buf, end - buf, "Content-Length: ");
  body = cl != NULL ? (gsize) g_ascii_strtoull (cl + 16, NULL, 10) : 0;
  status = (guint) g_ascii_strtoull (buf + 9, NULL, 10);
  for (gsize have = got - (gsize) (end + 4 - buf); have < body;)
    {
      ssize_t n = recv (fd, buf, MIN (sizeof buf, body - have), 0);

      if (n <= 0)
        return 0;
      have += (gsize) n;
    }
  return status;
}

static void
saw (Soak *s, guint status)
{
  g_mutex_lock (&s->lock);
  s->seen[ps_live_status_class (status)]++;
  g_mutex_unlock (&s->lock);
}

/* ---- valid load on kept-alive connections ------------------------------- */

static gpointer
valid_load (gpointer data)
{
  Soak *s = data;
  enum { CONNS = 16 };
  int fds[CONNS];
  const char *body = "{\"priority\":0,\"work_ms\":2}";
  g_autofree char *req = g_strdup_printf ("POST /v1/requests HTTP/1.1\r\nHost: t\r\n"
                                          "Content-Type: application/json\r\n"
                                          "Content-Length: %zu\r\n\r\n%s",
                                          strlen (body), body);

  for (guint i = 0; i < CONNS; i++)
    fds[i] = ps_test_connect (s->port);
  g_atomic_pointer_add (&s->opened, CONNS);
  for (guint round = 0; g_get_monotonic_time () < s->until; round++)
    {
      /* every connection sends, then all answers are read: some overlap */
      for (guint i = 0; i < CONNS; i++)
        g_assert_true (ps_test_send_all (fds[i], req, strlen (req)));
      g_mutex_lock (&s->lock);
      s->posted += CONNS;
      g_mutex_unlock (&s->lock);
      for (guint i = 0; i < CONNS; i++)
        {
          guint status = read_answer (fds[i]);

          g_assert_cmpuint (status, !=, 0);
          saw (s, status);
        }
      g_usleep (20000);
    }
  for (guint i = 0; i < CONNS; i++)
    close (fds[i]);
  return NULL;
}

/* ---- malformed requests on new connections ------------------------------ */

static const char *const malformed[] = {
  "POST /v1/requests HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n",
  "POST /v1/requests HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
  "POST /v1/requests HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n",
  "POST /v1/requests HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n",
  "POST /v1/requests HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999999\r\n\r\n",
  "GARBAGE\r\n\r\n",
  "GET / HTTP/9.9\r\n\r\n",
  "POST /v1/requests HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\n[[[[[",
  "POST /v1/requests HTTP/1.1\r\nHost: t\r\nContent-Length: 14\r\n\r\n{\"work_ms\":-5}",
  "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n",
  "DELETE /v1/requests HTTP/1.1\r\nHost: t\r\n\r\n",
};

static gpointer
malformed_load (gpointer data)
{
  Soak *s = data;

  for (guint i = 0; g_get_monotonic_time () < s->until; i++)
    {
      int fd = ps_test_connect (s->port);

      g_atomic_pointer_add (&s->opened, 1);
      if (i % 7 == 6)
        {
          /* a head cut off by a close: no answer on either side */
          ps_test_send_all (fd, "POST /v1/requests HTTP/1.1\r\nHost: t\r\nContent-Le", 47);
          g_atomic_pointer_add (&s->cut, 1);
        }
      else
        {
          const char *req = malformed[i % G_N_ELEMENTS (malformed)];
          guint status;

          ps_test_send_all (fd, req, strlen (req));
          status = read_answer (fd);
          g_assert_cmpuint (status, >=, 400);
          saw (s, status);
        }
      close (fd);
      g_usleep (15000);
    }
  return NULL;
}

/* ---- connections opened and closed ------------------------------------- */

static gpointer
churn (gpointer data)
{
  Soak *s = data;
  enum { IDLE = 40 };
  int idle[IDLE];

  for (guint i = 0; i < IDLE; i++)
    idle[i] = -1;
  for (guint i = 0; g_get_monotonic_time () < s->until; i++)
    {
      int fd = ps_test_connect (s->port);
      const char *req = "GET /v1/stats HTTP/1.1\r\nHost: t\r\n\r\n";

      g_atomic_pointer_add (&s->opened, 1);
      if (i % 2 == 0)
        {
          g_assert_true (ps_test_send_all (fd, req, strlen (req)));
          g_assert_cmpuint (read_answer (fd), ==, 200);
        }
      /* kept idle for a while, then closed by the client */
      if (idle[i % IDLE] >= 0)
        close (idle[i % IDLE]);
      idle[i % IDLE] = fd;
      g_usleep (50000);
    }
  for (guint i = 0; i < IDLE; i++)
    if (idle[i] >= 0)
      close (idle[i]);
  return NULL;
}

/* ---- the probe and the figures ------------------------------------------ */

static int
cmp_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
test_soak (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (SCENARIO, NULL);
  PsLiveServerOptions o = { .listen = "127.0.0.1:0", .sweep_ms = 100 };
  const char *env = g_getenv ("POOLSIM_SOAK_SECONDS");
  double seconds = env != NULL ? g_ascii_strtod (env, NULL) : 60;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) probe_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  PsLiveServer *server;
  Soak s = { 0 };
  GThread *threads[3];
  guint fds_base, fds_end = 0;
  guint64 rss_10s = 0, rss_end, rss_max = 0;
  gint64 start, p99;
  PsLiveServerCounters c;
  PsLivePoolStats p;

  g_test_summary ("A minute of valid and malformed load, with connections opened and "
                  "closed: /healthz p99 under 50 ms, descriptors back to the baseline, "
                  "RSS after the first 10 s grown under 10%, conservation exact, the "
                  "server's counters equal to what the clients saw.");
  g_assert_cmpfloat (seconds, >=, 12);
  ps_live_clock_init (&o.clock, 1.0);
  server = ps_live_server_new (sc, &o, &error);
  g_assert_no_error (error);
  fds_base = ps_test_count_fds ();
  g_mutex_init (&s.lock);
  s.port = ps_live_server_get_port (server);
  start = g_get_monotonic_time ();
  s.until = start + (gint64) (seconds * G_USEC_PER_SEC);
  threads[0] = g_thread_new ("valid", valid_load, &s);
  threads[1] = g_thread_new ("malformed", malformed_load, &s);
  threads[2] = g_thread_new ("churn", churn, &s);

  while (g_get_monotonic_time () < s.until)
    {
      const char *req = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";
      gint64 t0 = g_get_monotonic_time ();
      int fd = ps_test_connect (s.port);
      gint64 took;

      g_assert_true (ps_test_send_all (fd, req, strlen (req)));
      g_assert_cmpuint (read_answer (fd), ==, 200);
      took = g_get_monotonic_time () - t0;
      close (fd);
      g_array_append_val (probe_us, took);
      if (rss_10s == 0 && t0 - start >= 10 * G_USEC_PER_SEC)
        rss_10s = ps_test_rss_kb ();
      rss_max = MAX (rss_max, ps_test_rss_kb ());
      g_usleep (50000);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  for (guint tries = 0; tries < 100; tries++)                 /* 5 s at most */
    {
      fds_end = ps_test_count_fds ();
      ps_live_server_get_counters (server, &c);
      if (fds_end <= fds_base && c.connections_open == 0 && c.in_flight == 0)
        break;
      g_usleep (50000);
    }
  rss_end = ps_test_rss_kb ();
  g_array_sort (probe_us, cmp_gint64);
  p99 = g_array_index (probe_us, gint64, probe_us->len * 99 / 100);
  ps_live_server_get_counters (server, &c);
  ps_live_admission_stats (ps_live_server_get_admission (server), &p);

  g_test_message ("%.0f s: %" G_GUINT64_FORMAT " valid POSTs (%" G_GUINT64_FORMAT " x 200, %"
                  G_GUINT64_FORMAT " x 503), %" G_GUINT64_FORMAT " connections, %"
                  G_GUINT64_FORMAT " heads cut off; /healthz p50 %.2f ms p99 %.2f ms max "
                  "%.2f ms over %u probes",
                  seconds, s.posted, s.seen[PS_LIVE_STATUS_200], s.seen[PS_LIVE_STATUS_503],
                  s.opened, s.cut,
                  g_array_index (probe_us, gint64, probe_us->len / 2) / 1e3, p99 / 1e3,
                  g_array_index (probe_us, gint64, probe_us->len - 1) / 1e3, probe_us->len);
  g_test_message ("fds %u at start, %u at the end; RSS %" G_GUINT64_FORMAT " kB at 10 s, %"
                  G_GUINT64_FORMAT " kB at the end (max %" G_GUINT64_FORMAT ")",
                  fds_base, fds_end, rss_10s, rss_end, rss_max);
  for (guint k = 0; k < PS_LIVE_N_STATUS; k++)
    if (c.responses[k] + s.seen[k] > 0)
      g_test_message ("status %u: server %" G_GUINT64_FORMAT ", clients %" G_GUINT64_FORMAT,
                      ps_live_status_code (k), c.responses[k], s.seen[k]);

  g_assert_cmpint (p99, <, 50000);
  g_assert_cmpuint (fds_end, <=, fds_base);
  g_assert_cmpuint (c.connections_open, ==, 0);
#if !defined(__SANITIZE_ADDRESS__)
  /* (under AddressSanitizer freed memory stays in quarantine) */
  g_assert_cmpuint (rss_end, <, rss_10s + rss_10s / 10);
#endif
  /* conservation: each valid POST admitted (and answered 200) or refused */
  g_assert_cmpuint (c.in_flight, ==, 0);
  g_assert_cmpuint (p.admitted + p.rejected_429 + p.rejected_503, ==, s.posted);
  g_assert_cmpuint (p.admitted, ==, c.responses[PS_LIVE_STATUS_200]);
  g_assert_cmpuint (p.rejected_503, ==, c.responses[PS_LIVE_STATUS_503]);
  /* the server's answers are the clients' answers (the GETs' 200s aside) */
  for (guint k = 0; k < PS_LIVE_N_STATUS; k++)
    g_assert_cmpuint (c.responses[k], ==, s.seen[k]);
  ps_live_pool_stats_clear (&p);
  ps_live_server_stop (server, 0);
  ps_live_server_free (server);
  g_mutex_clear (&s.lock);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);
  g_test_add_func ("/live/soak/mixed-minute", test_soak);
  return g_test_run ();
}
