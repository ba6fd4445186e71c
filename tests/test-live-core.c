/* test-live-core.c: what live mode adds without a socket: the shared core
 * helpers (ps-traffic, ps-run-stats), request-body parsing, the timers
 */
#include <math.h>
#include <string.h>

#include "ps-live-api.h"
#include "ps-live-guard.h"
#include "ps-live-timers.h"
#include "ps-run-stats.h"
#include "ps-test-util.h"
#include "ps-traffic.h"

/* ---- ps-traffic ------------------------------------------------------- */

static void
test_priority_mix (void)
{
  const double one[] = { 3 };
  const double three[] = { 0, 1, 3 };
  PsPriorityMix mix;
  PsRng a, b;
  guint counts[3] = { 0 };

  g_test_summary ("One priority draws nothing from the stream; weights are honoured.");
  ps_rng_init (&a, 1, 2);
  b = a;
  ps_priority_mix_init (&mix, one, 1);
  g_assert_cmpuint (ps_priority_mix_draw (&mix, &a), ==, 0);
  g_assert_cmpuint (ps_rng_next (&a), ==, ps_rng_next (&b));   /* untouched */

  ps_priority_mix_init (&mix, three, 3);
  for (guint i = 0; i < 40000; i++)
    counts[ps_priority_mix_draw (&mix, &a)]++;
  g_assert_cmpuint (counts[0], ==, 0);
  g_assert_cmpfloat (fabs ((double) counts[2] / 40000 - 0.75), <, 0.01);
}

static void
test_new_request_order_of_draws (void)
{
  const double w[] = { 1, 1 };
  PsClientPolicy policy = { .backoff_base = 1, .backoff_cap = 1 };
  PsDist dist = { PS_DIST_EXPONENTIAL, 1000, 0 };
  PsPriorityMix mix;
  PsClient client;
  PsRng copy;
  PsRequest req = { 0 };
  guint p;
  PsTime work;

  g_test_summary ("A request's priority is drawn before its work, from the "
                  "client's traffic stream: the simulator's order.");
  ps_priority_mix_init (&mix, w, 2);
  ps_client_init (&client, 7, &policy, 42, 3);
  copy = client.traffic;
  p = ps_priority_mix_draw (&mix, &copy);
  work = ps_dist_sample (&dist, &copy);
  g_assert_cmpint (ps_traffic_new_request (&req, 99, &client, 1234, &mix, &dist, NULL, NULL),
                   ==, 0);
  g_assert_cmpuint (req.id, ==, 99);
  g_assert_cmpuint (req.client, ==, 7);
  g_assert_cmpint (req.created, ==, 1234);
  g_assert_cmpuint (req.priority, ==, p);
  g_assert_cmpint (req.work, ==, work);
  g_assert_cmpuint (ps_rng_next (&client.traffic), ==, ps_rng_next (&copy));
  ps_client_clear (&client);
}

/* ---- ps-run-stats ----------------------------------------------------- */

typedef struct
{
  GArray *bins;
} Collected;

static void
collect_bin (gpointer data, const PsBinRecord *bin)
{
  g_array_append_val (((Collected *) data)->bins, *bin);
}

static void
test_stats_bins_and_gauges (void)
{
  g_autoptr(PsRunStats) stats = ps_run_stats_new (3500000, 1000000, 2);
  g_autoptr(GArray) bins = g_array_new (FALSE, FALSE, sizeof (PsBinRecord));
  Collected c = { bins };
  PsRecordSink sink = { .user_data = &c, .bin = collect_bin };
  PsReaction requeued = { PS_REACTION_REQUEUED, TRUE, 2000000 };

  g_test_summary ("Counts land in the bin of their instant; gauges are the values "
                  "at each bin's end; the last bin is cut at the duration.");
  ps_run_stats_on_generated (stats, 100, TRUE);          /* queued 1 */
  ps_run_stats_on_generated (stats, 200, FALSE);         /* dropped at once */
  ps_run_stats_advance (stats, 1500000);                 /* bin 0 ends: queued 1 */
  ps_run_stats_on_sent (stats, 1500000);                 /* queued 0 */
  ps_run_stats_on_answer (stats, 1500000, 429, "minute");
  ps_run_stats_on_reaction (stats, &requeued, NULL, 1500000);   /* queued 1, paused 1 */
  ps_run_stats_add_busy (stats, 500000, 1500000, 3);
  ps_run_stats_on_admitted (stats, 500000);
  ps_run_stats_advance (stats, PS_TIME_NEVER);
  ps_run_stats_emit_bins (stats, PS_TIME_NEVER, &sink);

  g_assert_cmpuint (bins->len, ==, 4);
  g_assert_cmpuint (g_array_index (bins, PsBinRecord, 0).generated, ==, 2);
  g_assert_cmpuint (g_array_index (bins, PsBinRecord, 0).dropped, ==, 1);
  g_assert_cmpuint (g_array_index (bins, PsBinRecord, 0).admitted, ==, 1);
  g_assert_cmpuint (g_array_index (bins, PsBinRecord, 0).queued_at_clients, ==, 1);
  g_assert_cmpfloat (g_array_index (bins, PsBinRecord, 0).pool, ==, 0.5);
  g_assert_cmpfloat (g_array_index (bins, PsBinRecord, 1).pool, ==, 0.5);
  g_assert_cmpuint (g_array_index (bins, PsBinRecord, 1).sent, ==, 1);
  g_assert_cmpuint (g_array_index (bins, PsBinRecord, 1).rejected_429, ==, 1);
  g_assert_cmpuint (g_array_index (bins, PsBinRecord, 1).paused_clients, ==, 1);
  g_assert_cmpuint (g_array_index (bins, PsBinRecord, 3).queued_at_clients, ==, 1);
  g_assert_cmpint (g_array_index (bins, PsBinRecord, 3).start, ==, 3000000);
  g_assert_cmpuint (ps_run_stats_get_totals (stats)->responses_429, ==, 1);

  /* a self-throttle hold counts as a pause only when it begins one */
  ps_run_stats_on_held (stats, FALSE);
  g_assert_cmpuint (ps_run_stats_get_paused (stats), ==, 1);
  ps_run_stats_on_held (stats, TRUE);
  g_assert_cmpuint (ps_run_stats_get_paused (stats), ==, 2);
  ps_run_stats_on_resumed (stats);
  g_assert_cmpuint (ps_run_stats_get_paused (stats), ==, 1);
}

static void
test_stats_merge_and_truncate (void)
{
  g_autoptr(PsRunStats) a = ps_run_stats_new (10000000, 1000000, 1);
  g_autoptr(PsRunStats) b = ps_run_stats_new (10000000, 1000000, 1);
  g_autoptr(PsRunStats) all = ps_run_stats_new (10000000, 1000000, 1);
  g_autoptr(GArray) bins = g_array_new (FALSE, FALSE, sizeof (PsBinRecord));
  Collected c = { bins };
  PsRecordSink sink = { .user_data = &c, .bin = collect_bin };
  PsRequest req = { .created = 0, .priority = 0 };
  PsReaction done = { PS_REACTION_COMPLETED, FALSE, -1 };
  PsRunSummary summary = { 0 };

  g_test_summary ("Threads' stats add up (totals, bins, gauges, 429s by policy, "
                  "latency); a stopped run is cut short with nothing lost.");
  ps_run_stats_on_generated (a, 500000, TRUE);
  ps_run_stats_on_sent (a, 600000);
  ps_run_stats_on_answer (a, 700000, 200, NULL);
  ps_run_stats_on_reaction (a, &done, &req, 700000);
  ps_run_stats_on_generated (b, 2500000, TRUE);
  ps_run_stats_on_answer (b, 2600000, 429, "hour");
  ps_run_stats_on_answer (b, 2600000, 429, "minute");
  ps_run_stats_on_generated (b, 4500000, TRUE);          /* past the stop below */
  ps_run_stats_truncate (a, 3500000);
  ps_run_stats_truncate (b, 3500000);
  ps_run_stats_truncate (all, 3500000);
  ps_run_stats_advance (a, PS_TIME_NEVER);
  ps_run_stats_advance (b, PS_TIME_NEVER);
  ps_run_stats_merge (all, a);
  ps_run_stats_merge (all, b);
  ps_run_stats_on_pending (all);
  ps_run_stats_on_pending (all);
  ps_run_stats_emit_bins (all, PS_TIME_NEVER, &sink);
  ps_run_stats_fill_summary (all, &summary);

  g_assert_cmpint (ps_run_stats_get_duration (all), ==, 3500000);
  g_assert_cmpuint (bins->len, ==, 4);
  g_assert_cmpuint (g_array_index (bins, PsBinRecord, 3).generated, ==, 1);  /* folded in */
  g_assert_cmpuint (g_array_index (bins, PsBinRecord, 3).queued_at_clients, ==, 2);
  g_assert_cmpuint (summary.totals.generated, ==, 3);
  g_assert_cmpuint (summary.totals.completed, ==, 1);
  g_assert_cmpuint (summary.totals.pending, ==, 2);
  g_assert_true (ps_totals_conserved (&summary.totals));
  g_assert_cmpuint (summary.n_policy_names, ==, 2);
  g_assert_cmpstr (summary.policy_names[0], ==, "hour");
  g_assert_cmpuint (summary.policy_429[1], ==, 1);
  g_assert_cmpuint (ps_histogram_count (summary.latency_all), ==, 1);
  g_assert_cmpint (ps_histogram_max (summary.latency_all), ==, 700000);
  g_assert_cmpint (summary.duration, ==, 0);             /* the driver's to set */
}

/* ---- request bodies --------------------------------------------------- */

typedef struct
{
  const char *body;
  gboolean    ok;
  guint       priority;
  PsTime      work;
  const char *message;             /* expected prefix when not ok */
} BodyCase;

static const BodyCase body_cases[] = {
  { "{}", TRUE, 0, -1, NULL },
  { "{\"priority\":3,\"work_ms\":120}", TRUE, 3, 120000, NULL },
  { "{\"work_ms\":0.0015}", TRUE, 0, 2, NULL },
  { " {\"work_ms\": 2.25}\n", TRUE, 0, 2250, NULL },
  { "{ \"work_ms\" : 1e3 , \"priority\" : 15 }", TRUE, 15, 1000000, NULL },
  { "{\"\\u0070riority\":2}", TRUE, 2, -1, NULL },      /* not the fast path */
  { "{\"priority\":1e0}", FALSE, 0, 0, "body:1:15: priority: expected an integer" },
  { "{\"priority\":1,\n\"work_ms\" 5}", FALSE, 0, 0, "body:" },
  { "{\"priority\":-1}", FALSE, 0, 0, "body:1:14: priority: -1 is out of range" },
  { "{\"priority\":1.5}", FALSE, 0, 0, "body:1:15: priority: expected an integer" },
  { "{\"work_ms\":3600001}", FALSE, 0, 0, "body:1:18: work_ms: out of range" },
  { "{\"work_ms\":\"5\"}", FALSE, 0, 0, "body:1:14: work_ms: expected a number" },
  { "{\"work_ms\":null}", FALSE, 0, 0, "body:1:15: work_ms: expected a number" },
  { "{\"work_ms\":9223372036854775808}", FALSE, 0, 0, "body:1:30: work_ms: out of range" },
  { "\"x\"", FALSE, 0, 0, "body:1:1: expected a JSON object" },
  { "", FALSE, 0, 0, "body: empty" },
  { "   ", FALSE, 0, 0, "body: empty" },
  { "{}x", FALSE, 0, 0, "body:1:3: syntax error: " },
  { "{} {}", FALSE, 0, 0, "body:1:4: syntax error: text after the end" },
  { "{\"a\":1}", FALSE, 0, 0, "body:1:6: unknown key \"a\"" },
  { "{\"priority\":1,\"priority\":1}", FALSE, 0, 0, "body:1:" },
  { "{\"priority\":1}\xff", FALSE, 0, 0, "body:1:15: syntax error: bytes that are not UTF-8" },
  /* strict JSON, and nesting bounded before json-glib recurses */
  { "{\"priority\":1 /* c */}", FALSE, 0, 0, "body:1:15: syntax error: expected ',' or '}'" },
  { "{'priority':1}", FALSE, 0, 0, "body:1:2: syntax error: a single-quoted key" },
  { "{\"priority\":01}", FALSE, 0, 0, "body:1:13: syntax error: a number with a leading 0" },
  { "{\"a\":\"x\\u0000\"}", FALSE, 0, 0, "body:1:8: syntax error: a NUL character" },
  { "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]"
    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}", FALSE, 0, 0,
    "body:1:69: syntax error: nesting deeper than the limit" },
};

static void
test_parse_body (gconstpointer data)
{
  const BodyCase *c = data;
  g_autofree char *message = NULL;
  guint priority;
  PsTime work;
  gboolean ok = ps_live_parse_request_body (c->body, strlen (c->body), &priority, &work,
                                            &message);

  g_assert_cmpint (ok, ==, c->ok);
  if (ok)
    {
      g_assert_null (message);
      g_assert_cmpuint (priority, ==, c->priority);
      g_assert_cmpint (work, ==, c->work);
    }
  else
    {
      g_test_message ("%s", message);
      g_assert_true (g_str_has_prefix (message, c->message));
    }
}

static void
test_routes (void)
{
  const char *tail = NULL;

  g_assert_cmpint (ps_live_route ("/v1/requests", NULL), ==, PS_ROUTE_REQUESTS);
  g_assert_cmpint (ps_live_route ("/v1/requests/", NULL), ==, PS_ROUTE_NONE);
  g_assert_cmpint (ps_live_route ("/v1/clients/127.0.0.1", &tail), ==, PS_ROUTE_CLIENT);
  g_assert_cmpstr (tail, ==, "127.0.0.1");
  g_assert_cmpint (ps_live_route ("/v1/clients/", NULL), ==, PS_ROUTE_NONE);
  g_assert_cmpint (ps_live_route ("/v1/clients/a/b", NULL), ==, PS_ROUTE_NONE);
  g_assert_cmpstr (ps_live_route_method (PS_ROUTE_REQUESTS), ==, "POST");
  g_assert_cmpstr (ps_live_route_method (PS_ROUTE_METRICS), ==, "GET");
}

static void
test_docs_from_openapi (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *html = ps_live_docs_html (&error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (html, "<!DOCTYPE html>"));
  g_assert_nonnull (strstr (html, "/v1/clients/{ip}"));
  g_assert_nonnull (strstr (html, "id=\"schema-RequestBody\""));
  g_assert_null (strstr (html, "<script"));
}

/* ---- timers ----------------------------------------------------------- */

typedef struct
{
  GArray    *fired;                /* guint32 targets */
  GMainLoop *loop;
  guint      expect;
} Fired;

static void
on_fire (const PsLiveTimer *timer, gpointer data)
{
  Fired *f = data;

  g_array_append_val (f->fired, timer->target);
  if (f->fired->len == f->expect)
    g_main_loop_quit (f->loop);
}

static gboolean
give_up (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
test_timers_order (void)
{
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (ctx, FALSE);
  g_autoptr(GArray) fired = g_array_new (FALSE, FALSE, sizeof (guint32));
  Fired f = { fired, loop, 5 };
  PsLiveClock clock;
  PsLiveTimers *timers;
  GSource *limit = g_timeout_source_new (5000);

  g_test_summary ("Timers fire in (time, order added) order, on the scaled clock.");
  ps_live_clock_init (&clock, 100);                      /* 100 scenario s per s */
  timers = ps_live_timers_new (&clock, ctx, on_fire, &f);
  ps_live_timers_add (timers, 3000000, 0, 3, 0);         /* 30 ms real */
  ps_live_timers_add (timers, 1000000, 0, 1, 0);
  ps_live_timers_add (timers, 3000000, 0, 4, 0);
  ps_live_timers_add (timers, 0, 0, 0, 0);
  ps_live_timers_add (timers, 2000000, 0, 2, 0);
  g_source_set_callback (limit, give_up, loop, NULL);
  g_source_attach (limit, ctx);
  g_main_loop_run (loop);
  g_source_destroy (limit);
  g_source_unref (limit);
  g_assert_cmpuint (fired->len, ==, 5);
  for (guint32 i = 0; i < 5; i++)
    g_assert_cmpuint (g_array_index (fired, guint32, i), ==, i);
  g_assert_cmpuint (ps_live_timers_size (timers), ==, 0);
  ps_live_timers_free (timers);
}


/* ---- ps-live-guard: heads refused before libsoup parses them ---------- */

typedef struct
{
  const char *name;
  const char *head;          /* NULL: built by the case */
  guint       status;        /* 0: accepted */
  const char *in_message;
} GuardCase;

#define POST "POST /v1/requests HTTP/1.1\r\nHost: t\r\n"

static const GuardCase guard_cases[] = {
  { "plain", POST "Content-Length: 2\r\n\r\n{}", 0, NULL },
  { "no-body", "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n", 0, NULL },
  { "http-1.0", "GET /healthz HTTP/1.0\r\n\r\n", 0, NULL },
  { "same-length-twice", POST "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}", 0, NULL },
  { "length-list", POST "Content-Length: 2, 2\r\n\r\n{}", 0, NULL },
  { "length-ows", POST "Content-Length:   2  \r\n\r\n{}", 0, NULL },
  { "leading-empty-lines", "\r\n\r\nGET / HTTP/1.1\r\n\r\n", 0, NULL },
  { "length-negative", POST "Content-Length: -1\r\n\r\n", 400, "\"-1\" is not a length" },
  { "length-2^64", POST "Content-Length: 18446744073709551616\r\n\r\n", 400, "not a length" },
  { "length-2^63", POST "Content-Length: 9223372036854775808\r\n\r\n", 400, "not a length" },
  { "length-empty", POST "Content-Length: \r\n\r\n", 400, "not a length" },
  { "length-hex", POST "Content-Length: 0x10\r\n\r\n", 400, "not a length" },
  { "length-two-values", POST "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", 400,
    "two different Content-Lengths (5 and 6)" },
  { "length-list-differs", POST "Content-Length: 5, 6\r\n\r\n", 400, "two different" },
  { "length-over-limit", POST "Content-Length: 70000\r\n\r\n", 413, "at most 65536" },
  { "length-2^63-1", POST "Content-Length: 9223372036854775807\r\n\r\n", 413, "at most" },
  { "chunked", POST "Transfer-Encoding: chunked\r\n\r\n", 411, "send Content-Length" },
  { "chunked-case", POST "transfer-encoding:  Chunked\r\n\r\n", 411, "send Content-Length" },
  { "gzip", POST "Transfer-Encoding: gzip\r\n\r\n", 501, "\"gzip\" is not supported" },
  { "identity", POST "Transfer-Encoding: identity\r\n\r\n", 501, "not supported" },
  { "no-colon", POST "Broken header\r\n\r\n", 400, "without a colon" },
  { "folded", POST "X-A: 1\r\n continued\r\n\r\n", 400, "folded" },
  { "bare-cr", "GET / HTTP/1.1\rX\r\n\r\n", 400, "CR not followed by LF" },
  { "garbage", "GARBAGE\r\n\r\n", 400, "METHOD TARGET HTTP/1.1" },
  { "two-spaces", "GET  / HTTP/1.1\r\n\r\n", 400, "METHOD TARGET" },
  { "not-http", "GET / FTP/1.1\r\n\r\n", 400, "METHOD TARGET" },
  { "bad-method", "G(T / HTTP/1.1\r\n\r\n", 400, "METHOD TARGET" },
  { "http-2", "GET / HTTP/2.0\r\n\r\n", 505, "HTTP/2.0 is not supported" },
  { "expect-continue", POST "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n{}", 0, NULL },
  { "expect-other", POST "Expect: foo\r\n\r\n", 417, "\"foo\" is not supported" },
  { "control-in-value", POST "X-A: a\001b\r\n\r\n", 400, "control character" },
  { "space-in-name", POST "Host : t\r\n\r\n", 400, "not a token" },
  { "tab-in-value", POST "X-A: a\tb\r\n\r\n", 0, NULL },
  { "long-uri", NULL, 414, "request line is longer than 8192" },
  { "long-header", NULL, 431, "a header line is longer than 8192" },
  { "many-headers", NULL, 431, "more than 100 header lines" },
  { "long-head", NULL, 431, "head is longer than 32768" },
};

static char *
guard_case_head (const GuardCase *c)
{
  GString *s;

  if (c->head != NULL)
    return g_strdup (c->head);
  s = g_string_new (NULL);
  if (strcmp (c->name, "long-uri") == 0)
    {
      g_string_append (s, "GET /");
      for (guint i = 0; i < 100000; i++)
        g_string_append_c (s, 'a');
      g_string_append (s, " HTTP/1.1\r\n\r\n");
    }
  else if (strcmp (c->name, "long-header") == 0)
    {
      g_string_append (s, POST "X-Big: ");
      for (guint i = 0; i < 70000; i++)
        g_string_append_c (s, 'b');
      g_string_append (s, "\r\n\r\n");
    }
  else if (strcmp (c->name, "many-headers") == 0)
    {
      g_string_append (s, POST);
      for (guint i = 0; i < 10000; i++)
        g_string_append_printf (s, "X-%u: y\r\n", i);
      g_string_append (s, "\r\n");
    }
  else
    {
      g_string_append (s, POST);
      for (guint i = 0; i < 90; i++)
        {
          g_string_append_printf (s, "X-%u: ", i);
          for (guint k = 0; k < 400; k++)
            g_string_append_c (s, 'c');
          g_string_append (s, "\r\n");
        }
      g_string_append (s, "\r\n");
    }
  return g_string_free (s, FALSE);
}

/* Fed whole and fed a byte at a time, the same verdict. */
static void
test_guard_case (gconstpointer data)
{
  const GuardCase *c = data;
  g_autofree char *head = guard_case_head (c);
  gsize len = strlen (head);

  for (guint split = 0; split < 2; split++)
    {
      PsLiveGuard g;
      PsLiveGuardRefusal r = { 0 };
      gboolean ok = TRUE;

      ps_live_guard_init (&g, 65536);
      if (split == 0)
        ok = ps_live_guard_feed (&g, (const guint8 *) head, len, &r);
      else
        for (gsize i = 0; i < len && ok; i++)
          ok = ps_live_guard_feed (&g, (const guint8 *) head + i, 1, &r);
      g_test_message ("%s (%s): %u %s", c->name, split ? "bytewise" : "whole", r.status,
                      r.message);
      if (c->status == 0)
        {
          g_assert_true (ok);
          g_assert_cmpuint (ps_live_guard_requests (&g), ==, 1);
          g_assert_false (ps_live_guard_reading (&g));
        }
      else
        {
          g_assert_false (ok);
          g_assert_cmpuint (r.status, ==, c->status);
          g_assert_nonnull (strstr (r.message, c->in_message));
          g_assert_nonnull (r.phrase);
          g_assert_nonnull (r.code);
        }
    }
}

static void
test_guard_pipelined (void)
{
  const char *two = POST "Content-Length: 5\r\n\r\nGET /\r\n\r\n"   /* a body that looks like a head */
                    "GET /healthz HTTP/1.1\r\n\r\n";
  PsLiveGuard g;
  PsLiveGuardRefusal r;

  g_test_summary ("Bodies are skipped by their length, so the next head is found; "
                  "'reading' is TRUE only inside a request.");
  ps_live_guard_init (&g, 65536);
  g_assert_false (ps_live_guard_reading (&g));
  g_assert_true (ps_live_guard_feed (&g, (const guint8 *) two, 20, &r));
  g_assert_true (ps_live_guard_reading (&g));
  g_assert_true (ps_live_guard_feed (&g, (const guint8 *) two + 20, strlen (two) - 20, &r));
  g_assert_cmpuint (ps_live_guard_requests (&g), ==, 2);
  g_assert_false (ps_live_guard_reading (&g));
  /* the third one is bad: refused, after two good ones */
  g_assert_false (ps_live_guard_feed (&g, (const guint8 *) "BAD\r\n\r\n", 7, &r));
  g_assert_cmpuint (r.status, ==, 400);
  g_assert_cmpuint (r.offset, ==, 0);

  /* a good request and a bad one in one chunk: the offset is where the
   * bad one begins, so the good one still reaches libsoup */
  {
    const char *both = "GET /healthz HTTP/1.1\r\n\r\n" POST "Transfer-Encoding: chunked\r\n\r\n";

    ps_live_guard_init (&g, 65536);
    g_assert_false (ps_live_guard_feed (&g, (const guint8 *) both, strlen (both), &r));
    g_assert_cmpuint (r.status, ==, 411);
    g_assert_cmpuint (r.offset, ==, strlen ("GET /healthz HTTP/1.1\r\n\r\n"));
    g_assert_cmpuint (ps_live_guard_requests (&g), ==, 1);
  }
  /* a NUL in a value, which libsoup refuses without telling */
  {
    static const char nul[] = POST "X-A: a\0b\r\n\r\n";

    ps_live_guard_init (&g, 65536);
    g_assert_false (ps_live_guard_feed (&g, (const guint8 *) nul, sizeof nul - 1, &r));
    g_assert_cmpuint (r.status, ==, 400);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/live-core/traffic/priority-mix", test_priority_mix);
  g_test_add_func ("/live-core/traffic/order-of-draws", test_new_request_order_of_draws);
  g_test_add_func ("/live-core/run-stats/bins-and-gauges", test_stats_bins_and_gauges);
  g_test_add_func ("/live-core/run-stats/merge-and-truncate", test_stats_merge_and_truncate);
  for (guint i = 0; i < G_N_ELEMENTS (body_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/live-core/body/%u", i);

      g_test_add_data_func (path, &body_cases[i], test_parse_body);
    }
  g_test_add_func ("/live-core/api/routes", test_routes);
  g_test_add_func ("/live-core/api/docs", test_docs_from_openapi);
  g_test_add_func ("/live-core/timers/order", test_timers_order);
  for (guint i = 0; i < G_N_ELEMENTS (guard_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/live-core/guard/%s", guard_cases[i].name);

      g_test_add_data_func (path, &guard_cases[i], test_guard_case);
    }
  g_test_add_func ("/live-core/guard/pipelined", test_guard_pipelined);
  return g_test_run ();
}
