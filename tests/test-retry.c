/* test-retry.c: retry budgets, the SRE throttle, capped attempts, jitter,
 * request timeouts with orphaned work, faults and the stability verdict
 *
 * Exact vectors where the arithmetic is exact (budgets, worker time),
 * theory with a stated tolerance where it is statistical (the throttle's
 * steady state, attempts per request under a constant refusal rate), and
 * the two retry-storm scenarios pinned.
 */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "ps-client.h"
#include "ps-plot.h"
#include "ps-retry-budget.h"
#include "ps-sim.h"
#include "ps-stability.h"
#include "ps-test-util.h"
#include "ps-throttle.h"

/* ---- the token budget ---------------------------------------------------- */

static const PsRetryBudgetSpec aws_defaults = {
  .kind = PS_BUDGET_TOKENS, .tokens = 500, .retry_cost = 5, .timeout_cost = 10,
  .success_refill = 1,
};

/* 500 tokens at 5 a retry: exactly 100 retries, then none; each success
 * at a first attempt gives one token back, so five of them pay for one
 * more retry; a retry that succeeds gives its own cost back. */
static void
test_tokens_vector (void)
{
  PsRetryBudget b;
  guint cost, n = 0;

  ps_retry_budget_init (&b, &aws_defaults);
  while (ps_retry_budget_take (&b, FALSE, 0, &cost))
    {
      g_assert_cmpuint (cost, ==, 5);
      n++;
    }
  g_assert_cmpuint (n, ==, 100);
  g_assert_cmpuint (b.tokens, ==, 0);
  for (guint i = 0; i < 4; i++)
    ps_retry_budget_on_success (&b, 0, FALSE);
  g_assert_false (ps_retry_budget_take (&b, FALSE, 0, &cost));   /* 4 < 5 */
  ps_retry_budget_on_success (&b, 0, FALSE);
  g_assert_cmpuint (b.tokens, ==, 5);
  g_assert_true (ps_retry_budget_take (&b, FALSE, 0, &cost));
  g_assert_cmpuint (b.tokens, ==, 0);
  ps_retry_budget_on_success (&b, cost, TRUE);                  /* refund of 5 */
  g_assert_cmpuint (b.tokens, ==, 5);
  g_assert_false (ps_retry_budget_take (&b, TRUE, 0, &cost));   /* a timeout costs 10 */
  /* never above capacity */
  ps_retry_budget_init (&b, &aws_defaults);
  ps_retry_budget_on_success (&b, 0, FALSE);
  g_assert_cmpuint (b.tokens, ==, 500);
  /* after timeouts: 50 retries */
  for (n = 0; ps_retry_budget_take (&b, TRUE, 0, &cost); n++)
    ;
  g_assert_cmpuint (n, ==, 50);
}

/* Ratio form: at most floor(ratio * first attempts + min_per_s * window)
 * retries in the window; they leave it a window later. */
static void
test_ratio_vector (void)
{
  const PsRetryBudgetSpec spec = {
    .kind = PS_BUDGET_RATIO, .ratio = 0.2, .window = PS_TIME_FROM_SEC (10), .min_per_s = 1,
  };
  PsRetryBudget b;
  guint cost, n;

  ps_retry_budget_init (&b, &spec);
  for (n = 0; ps_retry_budget_take (&b, FALSE, 0, &cost); n++)
    ;
  g_assert_cmpuint (n, ==, 10);                 /* min_per_s × window, no first attempts */
  for (guint i = 0; i < 50; i++)
    ps_retry_budget_on_first (&b, PS_TIME_FROM_SEC (1));
  for (n = 0; ps_retry_budget_take (&b, FALSE, PS_TIME_FROM_SEC (1), &cost); n++)
    ;
  g_assert_cmpuint (n, ==, 10);                 /* 0.2 × 50 + 10 = 20, 10 taken */
  /* at 10 s the first ten retries (at 0) have left the window */
  for (n = 0; ps_retry_budget_take (&b, FALSE, PS_TIME_FROM_SEC (10), &cost); n++)
    ;
  g_assert_cmpuint (n, ==, 10);
  /* at 21 s everything before has left: ten again */
  for (n = 0; ps_retry_budget_take (&b, FALSE, PS_TIME_FROM_SEC (21), &cost); n++)
    ;
  g_assert_cmpuint (n, ==, 10);
}

/* A whole run through a total outage: the default budget allows exactly
 * 100 retries, then every request ends rejected after its first attempt. */
static void
test_budget_in_outage (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (
    "{ \"duration\": \"10m\", \"network\": { \"latency\": 0 },"
    "  \"server\": { \"workers\": 4, \"quota\": { \"limit\": 100000 } },"
    "  \"clients\": [ { \"arrival\": { \"process\": \"constant\", \"interval\": \"1s\" },"
    "    \"concurrency\": 0, \"backoff\": { \"base\": \"10ms\", \"cap\": \"10ms\" },"
    "    \"retry\": { \"budget\": {} } } ],"
    "  \"faults\": [ { \"at\": 0, \"for\": \"10m\", \"outage\": true } ] }", NULL);
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  PsRunSummary s;

  g_assert_true (ps_test_run_to_dir (sc, dir, &s, &error));
  g_assert_no_error (error);
  g_test_message ("outage: %" G_GUINT64_FORMAT " requests, %" G_GUINT64_FORMAT
                  " attempts: %" G_GUINT64_FORMAT " retries (expected 100)",
                  s.totals.generated, s.totals.attempts,
                  s.totals.attempts - s.totals.generated);
  g_assert_cmpuint (s.totals.attempts - s.totals.generated, ==, 100);
  g_assert_cmpuint (s.totals.completed, ==, 0);
  g_assert_cmpuint (s.totals.rejected + s.totals.pending, ==, s.totals.generated);
  ps_test_rmdir (dir);
}

/* The ratio budget through a total outage: with ratio 0, min_per_s 1 and
 * a 10 s window, 10 retries per window.  One request a second; the first
 * request of each window spends the ten within a few milliseconds (1 ms
 * backoff) and the nine after it are rejected at their first attempt:
 * exactly 60 retries in a minute. */
static void
test_ratio_budget_in_outage (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (
    "{ \"duration\": \"1m\", \"network\": { \"latency\": 0 },"
    "  \"server\": { \"workers\": 4, \"quota\": { \"limit\": 100000 } },"
    "  \"clients\": [ { \"arrival\": { \"process\": \"constant\", \"interval\": \"1s\" },"
    "    \"concurrency\": 0, \"backoff\": { \"base\": \"1ms\", \"cap\": \"1ms\" },"
    "    \"retry\": { \"budget\": { \"ratio\": 0, \"min_per_s\": 1, \"window\": \"10s\" } } } ],"
    "  \"faults\": [ { \"at\": 0, \"for\": \"1m\", \"outage\": true } ] }", NULL);
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  PsRunSummary s;

  g_assert_true (ps_test_run_to_dir (sc, dir, &s, &error));
  g_assert_no_error (error);
  g_test_message ("ratio budget, outage: %" G_GUINT64_FORMAT " requests, %" G_GUINT64_FORMAT
                  " retries (expected 60)", s.totals.generated,
                  s.totals.attempts - s.totals.generated);
  g_assert_cmpuint (s.totals.attempts - s.totals.generated, ==, 60);
  g_assert_cmpuint (s.totals.completed, ==, 0);
  ps_test_rmdir (dir);
}

/* ---- the SRE throttle ---------------------------------------------------- */

/* Against a backend that can accept a fraction @a of what the client
 * asks (a capacity, as the SRE book's overloaded backend has), the share
 * rejected locally settles at max(0, 1 - k*a). */
static double
throttle_share (double a, double k)
{
  const PsThrottleSpec spec = { TRUE, k, PS_TIME_FROM_SEC (120) };
  PsThrottle th;
  PsRng rng;
  double credit = 0;
  guint64 asked = 0, local = 0;

  ps_throttle_init (&th, &spec);
  ps_rng_init (&rng, 42, 7);
  for (PsTime t = 0; t < PS_TIME_FROM_SEC (1200); t += PS_TIME_FROM_MS (10))
    {
      gboolean sent = ps_throttle_admit (&th, &rng, t);

      credit = MIN (credit + a, 2.0);      /* the backend's capacity per request asked */
      if (t >= PS_TIME_FROM_SEC (600))     /* measured over the second half */
        {
          asked++;
          local += !sent;
        }
      if (sent && credit >= 1)
        {
          credit -= 1;
          ps_throttle_on_accept (&th, t);
        }
    }
  return (double) local / (double) asked;
}

static void
test_throttle_steady_state (void)
{
  const double shares[] = { 0.1, 0.25, 0.4, 0.6 };

  for (guint i = 0; i < G_N_ELEMENTS (shares); i++)
    {
      double a = shares[i], expected = MAX (0.0, 1 - 2 * a), got = throttle_share (a, 2);

      g_test_message ("throttle k=2, accepts a=%.2f: locally rejected %.4f, expected %.4f "
                      "(tolerance 0.02)", a, got, expected);
      g_assert_cmpfloat (fabs (got - expected), <, 0.02);
    }
}

/* The same through the simulator: one client asking 10 a second, each
 * request one attempt (on_429 drop), against a token-bucket quota that
 * admits a × 10 a second.  The locally rejected share of all requests
 * (the first two minutes of warm-up included) is max(0, 1 - 2a). */
static void
test_throttle_against_quota (void)
{
  const double shares[] = { 0.1, 0.25, 0.4 };

  for (guint i = 0; i < G_N_ELEMENTS (shares); i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{ \"duration\": \"20m\", \"network\": { \"latency\": 0 },"
        "  \"server\": { \"workers\": 50, \"quota\": { \"algorithm\": \"token_bucket\","
        "    \"limit\": %d, \"window\": \"1m\", \"burst\": 5 } },"
        "  \"clients\": [ { \"arrival\": { \"process\": \"poisson\", \"rate\": 10 },"
        "    \"concurrency\": 0, \"on_429\": \"drop\", \"on_503\": \"drop\","
        "    \"throttle\": {} } ],"
        "  \"output\": { \"requests\": false } }", (int) lround (shares[i] * 600));
      g_autoptr(PsScenario) sc = ps_test_scenario (json, NULL);
      g_autofree char *dir = ps_test_tmpdir ();
      g_autoptr(GError) error = NULL;
      PsRunSummary s;
      double got, expected = MAX (0.0, 1 - 2 * shares[i]);

      g_assert_true (ps_test_run_to_dir (sc, dir, &s, &error));
      g_assert_no_error (error);
      got = (double) s.totals.throttled_locally / (double) s.totals.generated;
      g_test_message ("sim, quota admitting a=%.2f of demand: locally rejected %.4f, "
                      "expected %.4f (tolerance 0.03)", shares[i], got, expected);
      g_assert_cmpfloat (fabs (got - expected), <, 0.03);
      ps_test_rmdir (dir);
    }
}

/* ---- capped attempts ----------------------------------------------------- */

/* A one-worker pool that a "hog" keeps busy 30% (60%) of the time, with
 * every other request taking 1 µs: an attempt at a random instant finds
 * it full with probability p.  Many clients with rare requests, so that
 * hardly any request waits behind another of its client's (one sent
 * right after a success would find the pool free).  Backoff with full jitter up to 10 s, far
 * longer than the hog's 1 s cycle, so successive attempts are
 * independent: attempts per request = (1 - p^n) / (1 - p). */
static void
check_capped (double p, guint n)
{
  g_autofree char *work = g_strdup_printf ("%dms", (int) lround (p * 1000));
  g_autofree char *attempts = g_strdup_printf ("%u", n);
  g_autofree char *json = g_strdup_printf (
    "{ \"duration\": \"1h\", \"network\": { \"latency\": 0 },"
    "  \"server\": { \"workers\": 1, \"queue\": 0, \"quota\": { \"limit\": 1000000 } },"
    "  \"clients\": ["
    "    { \"group\": \"hog\", \"arrival\": { \"process\": \"constant\", \"interval\": \"1s\" },"
    "      \"work\": \"%s\", \"concurrency\": 0, \"on_503\": \"drop\" },"
    "    { \"group\": \"test\", \"count\": 10000, \"arrival\": { \"process\": \"poisson\", \"rate\": 0.001 },"
    "      \"work\": \"1us\", \"concurrency\": 1,"
    "      \"backoff\": { \"base\": \"10s\", \"cap\": \"10s\" },"
    "      \"retry\": { \"max_attempts\": %s } } ],"
    "  \"output\": { \"requests\": false } }", work, attempts);
  g_autoptr(PsScenario) sc = ps_test_scenario (json, NULL);
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  PsRunSummary s;
  PsGroupSummary groups[2];
  const PsGroupSummary *g = &groups[1];
  double got, expected = (1 - pow (p, n)) / (1 - p);

  g_assert_true (ps_test_run_to_dir_full (sc, dir, &s, NULL, groups, &error));
  g_assert_no_error (error);
  got = (double) g->attempts / (double) g->generated;
  g_test_message ("refusal p=%.2f, max_attempts n=%u: %.4f attempts per request, expected "
                  "(1-p^n)/(1-p) = %.4f (tolerance 0.03); %" G_GUINT64_FORMAT " requests",
                  p, n, got, expected, g->generated);
  g_assert_cmpfloat (fabs (got - expected), <, 0.03);
  /* what exhausted its attempts was rejected: about p^n of the requests */
  g_assert_cmpfloat (fabs ((double) g->rejected / (double) g->generated - pow (p, n)), <, 0.02);
  ps_test_rmdir (dir);
}

static void
test_capped_attempts (void)
{
  check_capped (0.3, 3);
  check_capped (0.6, 4);
}

/* ---- jitter -------------------------------------------------------------- */

/* The pause after @failures 503s in a row for each jitter kind. */
static PsTime
pause_after_503 (PsJitter jitter, guint failures, guint64 seed)
{
  PsClientPolicy policy = {
    .concurrency = 1, .on_503 = PS_ON_503_BACKOFF, .jitter = jitter,
    .backoff_base = PS_TIME_FROM_MS (100), .backoff_cap = PS_TIME_FROM_SEC (10),
  };
  PsClient client;
  g_autoptr(PsRequestTable) table = ps_request_table_new ();
  guint32 slot = ps_request_table_alloc (table);
  PsReaction r = { 0 };
  PsTime now = 0;

  ps_client_init (&client, 0, &policy, seed, 1);
  ps_request_table_get (table, slot)->id = 1;
  ps_client_enqueue (&client, table, slot);
  for (guint i = 0; i < failures; i++)
    {
      ps_client_resume (&client, now);
      g_assert_cmpuint (ps_client_next (&client, table, now), ==, slot);
      r = ps_client_on_response (&client, table, slot, 503, 1, now);
      g_assert_cmpint (r.kind, ==, PS_REACTION_REQUEUED);
      if (i + 1 < failures)
        now = r.resume_at;
    }
  ps_client_clear (&client);
  return r.resume_at - now;
}

/* full: [0, c]; equal: [c/2, c]; decorrelated: [base, min(cap, 3 × the
 * previous delay)], c being min(cap, base × 2^(n-1)). */
static void
test_jitter_bounds (void)
{
  for (guint64 seed = 1; seed <= 200; seed++)
    {
      PsTime full = pause_after_503 (PS_JITTER_FULL, 4, seed);
      PsTime equal = pause_after_503 (PS_JITTER_EQUAL, 4, seed);
      PsTime dec = pause_after_503 (PS_JITTER_DECORRELATED, 1, seed);

      g_assert_cmpint (full, >=, 0);
      g_assert_cmpint (full, <=, PS_TIME_FROM_MS (800));
      g_assert_cmpint (equal, >=, PS_TIME_FROM_MS (400));
      g_assert_cmpint (equal, <=, PS_TIME_FROM_MS (800));
      g_assert_cmpint (dec, >=, PS_TIME_FROM_MS (100));
      g_assert_cmpint (dec, <=, PS_TIME_FROM_MS (300));
      dec = pause_after_503 (PS_JITTER_DECORRELATED, 8, seed);
      g_assert_cmpint (dec, >=, PS_TIME_FROM_MS (100));
      g_assert_cmpint (dec, <=, PS_TIME_FROM_SEC (10));
    }
}

/* ---- whole runs ---------------------------------------------------------- */

/* Outcomes in requests.csv against the summary, and conservation. */
static void
check_outcomes (const char *dir, const PsRunSummary *s)
{
  g_autofree char *csv = ps_test_read (dir, "requests.csv");
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  guint64 n[4] = { 0 }, attempts = 0;
  guint rows = 0;

  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      const char *outcome = cells[11];

      rows++;
      attempts += g_ascii_strtoull (cells[8], NULL, 10);
      n[strcmp (outcome, "completed") == 0 ? 0 : strcmp (outcome, "rejected") == 0 ? 1
        : strcmp (outcome, "dropped") == 0 ? 2 : 3]++;
    }
  g_assert_cmpuint (rows, ==, s->totals.generated);
  g_assert_cmpuint (n[0], ==, s->totals.completed);
  g_assert_cmpuint (n[1], ==, s->totals.rejected);
  g_assert_cmpuint (n[2], ==, s->totals.dropped);
  g_assert_cmpuint (n[3], ==, s->totals.pending);
  g_assert_cmpuint (attempts, ==, s->totals.attempts);
  g_assert_true (ps_totals_conserved (&s->totals));
  /* every attempt answered, timed out, or still awaited at the end */
  g_assert_cmpuint (s->totals.attempts, ==,
                    s->totals.answered + s->totals.timeouts + s->totals.in_flight);
}

static const char *const busy_scenarios[] = {
  /* timeouts at the server, immediate retries, a workers fault */
  "{ \"duration\": \"5m\", \"server\": { \"workers\": 5, \"queue\": 50,"
  "  \"service_time\": \"100ms\", \"quota\": { \"limit\": 100000 } },"
  "  \"clients\": [ { \"count\": 20, \"arrival\": { \"process\": \"poisson\", \"rate\": 2 },"
  "    \"concurrency\": 0, \"request_timeout\": \"400ms\" } ],"
  "  \"faults\": [ { \"at\": \"1m\", \"for\": \"1m\", \"workers\": 2 } ] }",
  /* timeouts on the network (latency fault), a slower service, drop on timeout */
  "{ \"duration\": \"5m\", \"network\": { \"latency\": { \"dist\": \"uniform\", \"min\": \"1ms\", \"max\": \"20ms\" } },"
  "  \"server\": { \"workers\": 8, \"queue\": 20, \"quota\": { \"limit\": 100000 } },"
  "  \"clients\": [ { \"count\": 30, \"arrival\": { \"process\": \"poisson\", \"rate\": 1 },"
  "    \"concurrency\": 2, \"request_timeout\": \"600ms\", \"retry\": { \"on_timeout\": \"drop\" } } ],"
  "  \"faults\": [ { \"at\": \"1m\", \"for\": \"30s\", \"latency\": \"400ms\" },"
  "              { \"at\": \"2m\", \"for\": \"1m\", \"service_factor\": 3 } ] }",
  /* throttled clients, backoff on timeout with a ratio budget, an outage */
  "{ \"duration\": \"5m\", \"server\": { \"workers\": 4, \"queue\": 10,"
  "  \"quota\": { \"limit\": 100000 } },"
  "  \"clients\": [ { \"count\": 20, \"arrival\": { \"process\": \"poisson\", \"rate\": 1 },"
  "    \"concurrency\": 0, \"request_timeout\": \"1s\", \"throttle\": {},"
  "    \"backoff\": { \"jitter\": \"decorrelated\", \"honour_retry_after\": true },"
  "    \"retry\": { \"max_attempts\": 5, \"on_timeout\": \"backoff\","
  "                 \"budget\": { \"ratio\": 0.1 } } } ],"
  "  \"faults\": [ { \"at\": \"1m\", \"for\": \"1m\", \"outage\": true } ] }",
};

/* Worker time is exactly useful + orphaned, and requests are conserved,
 * with timeouts, throttling and every kind of fault. */
static void
test_busy_split (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (busy_scenarios); i++)
    {
      g_autoptr(PsScenario) sc = ps_test_scenario (busy_scenarios[i], NULL);
      g_autofree char *dir = ps_test_tmpdir ();
      g_autoptr(GError) error = NULL;
      PsRunSummary s;

      g_assert_true (ps_test_run_to_dir (sc, dir, &s, &error));
      g_assert_no_error (error);
      g_test_message ("scenario %u: busy %.0f = useful %.0f + orphaned %.0f request-us; "
                      "%" G_GUINT64_FORMAT " timeouts, %" G_GUINT64_FORMAT " late answers, %"
                      G_GUINT64_FORMAT " throttled", i, s.busy_total, s.totals.busy_useful,
                      s.totals.busy_orphaned, s.totals.timeouts, s.totals.late_answers,
                      s.totals.throttled_locally);
      g_assert_cmpfloat (s.busy_total, ==, s.totals.busy_useful + s.totals.busy_orphaned);
      g_assert_cmpuint (s.totals.timeouts, >, 0);
      if (i == 2)
        g_assert_cmpuint (s.totals.throttled_locally, >, 0);
      check_outcomes (dir, &s);
      ps_test_rmdir (dir);
    }
}

/* A plain run: no orphaned work, all of it useful. */
static void
test_busy_split_plain (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (
    "{ \"duration\": \"2m\", \"clients\": [ { \"count\": 20 } ] }", NULL);
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  PsRunSummary s;

  g_assert_true (ps_test_run_to_dir (sc, dir, &s, &error));
  g_assert_cmpfloat (s.busy_total, ==, s.totals.busy_useful);
  g_assert_cmpfloat (s.totals.busy_orphaned, ==, 0);
  ps_test_rmdir (dir);
}

/* Column @col of timeseries.csv, bin by bin. */
static GArray *
series (const char *dir, guint col)
{
  g_autofree char *csv = ps_test_read (dir, "timeseries.csv");
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      double v = g_ascii_strtod (cells[col], NULL);

      g_array_append_val (out, v);
    }
  return out;
}

/* Sim applies faults exactly: nothing is admitted in an outage, and once
 * the work in service when the pool shrank is done, no more than the
 * fault's workers are busy. */
static void
test_faults_exact (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (
    "{ \"duration\": \"4m\", \"server\": { \"workers\": 10, \"queue\": 100,"
    "  \"service_time\": \"200ms\", \"quota\": { \"limit\": 100000 } },"
    "  \"clients\": [ { \"count\": 50, \"arrival\": { \"process\": \"poisson\", \"rate\": 0.6 },"
    "    \"concurrency\": 0 } ],"
    "  \"faults\": [ { \"at\": \"1m\", \"for\": \"30s\", \"outage\": true },"
    "              { \"at\": \"2m\", \"for\": \"1m\", \"workers\": 3 } ] }", NULL);
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) admitted = NULL;
  g_autoptr(GArray) pool = NULL;
  PsRunSummary s;

  g_assert_true (ps_test_run_to_dir (sc, dir, &s, &error));
  g_assert_no_error (error);
  admitted = series (dir, 3);
  pool = series (dir, 8);
  for (guint t = 60; t < 90; t++)
    g_assert_cmpfloat (g_array_index (admitted, double, t), ==, 0);
  for (guint t = 121; t < 180; t++)                 /* 200 ms of service drain at 120 s */
    g_assert_cmpfloat (g_array_index (pool, double, t), <=, 3.0);
  g_assert_cmpfloat (g_array_index (pool, double, 100), >, 3.0);
  g_assert_cmpfloat (g_array_index (pool, double, 181), >, 3.0);  /* the queue restarts at once */
  ps_test_rmdir (dir);
}

/* The same scenario and seed give the same bytes with every new feature. */
static void
test_deterministic (void)
{
  g_autofree char *path = ps_test_scenario_path ("retry-storm-budget.json");
  const char *const sets[] = { "duration=3m", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) sc = ps_scenario_load_file (path, sets, &error);
  g_autofree char *a = ps_test_tmpdir ();
  g_autofree char *b = ps_test_tmpdir ();
  const char *const files[] = { "requests.csv", "timeseries.csv", "clients.csv",
                                "stability.csv" };
  PsRunSummary s;

  g_assert_no_error (error);
  g_assert_true (ps_test_run_to_dir (sc, a, &s, &error));
  g_assert_true (ps_test_run_to_dir (sc, b, &s, &error));
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *x = ps_test_read (a, files[i]);
      g_autofree char *y = ps_test_read (b, files[i]);

      g_assert_cmpstr (x, ==, y);
    }
  ps_test_rmdir (a);
  ps_test_rmdir (b);
}

/* ---- the two retry storms, pinned ---------------------------------------- */

static void
run_storm (const char *name, PsRunSummary *s, PsStabilitySummary *st)
{
  g_autofree char *path = ps_test_scenario_path (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) sc = ps_scenario_load_file (path, NULL, &error);
  g_autofree char *dir = ps_test_tmpdir ();

  g_assert_no_error (error);
  st->fault_end = -1;
  g_assert_true (ps_test_run_to_dir_full (sc, dir, s, st, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (st->fault_end, >, 0);
  g_test_message ("%s: recovered %s, recovery_s %.0f, goodput %.2f/%.2f/%.2f per s, "
                  "amplification %.3f/%.3f/%.3f, orphaned share %.4f", name,
                  st->recovered ? "yes" : "no", st->recovery_s, st->goodput_before,
                  st->goodput_during, st->goodput_after, st->amplification_before,
                  st->amplification_during, st->amplification_after, st->orphaned_share);
  ps_test_rmdir (dir);
}

/* Fine before (70/s offered, served, one attempt each); the drop to 4 of
 * 10 workers; then no recovery: goodput stays near 0 while every request
 * is sent over and over and most worker time goes to orphans. */
static void
test_storm_naive (void)
{
  PsRunSummary s;
  PsStabilitySummary st;

  run_storm ("retry-storm.json", &s, &st);
  g_assert_cmpfloat (fabs (st.goodput_before - 70), <, 3.5);
  g_assert_cmpfloat (st.amplification_before, <, 1.01);
  g_assert_false (st.recovered);
  g_assert_true (isnan (st.recovery_s));
  g_assert_cmpfloat (st.goodput_after, <, 0.05 * st.goodput_before);
  g_assert_cmpfloat (st.amplification_after, >, 20);
  g_assert_cmpfloat (st.orphaned_share, >, 0.8);
}

/* The same with the budget: back within 30 s, one attempt per request. */
static void
test_storm_budget (void)
{
  PsRunSummary s;
  PsStabilitySummary st;

  run_storm ("retry-storm-budget.json", &s, &st);
  g_assert_cmpfloat (fabs (st.goodput_before - 70), <, 3.5);
  g_assert_true (st.recovered);
  g_assert_cmpfloat (st.recovery_s, <=, 30);
  g_assert_cmpfloat (st.goodput_after, >=, PS_STABILITY_RECOVERY_SHARE * st.goodput_before);
  g_assert_cmpfloat (st.amplification_during, <, 5);
  g_assert_cmpfloat (st.amplification_after, <, 1.1);
  g_assert_cmpfloat (st.orphaned_share, <, 0.2);
}

/* A run with faults draws stability.png (and a plain run does not). */
static void
test_stability_chart (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (busy_scenarios[0], NULL);
  g_autoptr(PsScenario) plain = ps_test_scenario ("{ \"duration\": \"1m\", \"clients\": [ {} ] }",
                                                  NULL);
  g_autofree char *dir = ps_test_tmpdir ();
  g_autofree char *plain_dir = ps_test_tmpdir ();
  g_autofree char *png = g_build_filename (dir, "stability.png", NULL);
  g_autofree char *plain_png = g_build_filename (plain_dir, "stability.png", NULL);
  g_autofree char *gnuplot = g_find_program_in_path ("gnuplot");
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  if (gnuplot == NULL)
    {
      g_test_skip ("no gnuplot");
      return;
    }
  g_assert_true (ps_test_run_to_dir (sc, dir, NULL, &error));
  g_assert_true (ps_plot_draw_all (dir, PS_PLOT_PNG, NULL, warnings, notes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpint (g_stat (png, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 10000);
  g_assert_true (ps_test_run_to_dir (plain, plain_dir, NULL, &error));
  g_assert_true (ps_plot_draw_all (plain_dir, PS_PLOT_PNG, NULL, warnings, notes, &error));
  g_assert_false (g_file_test (plain_png, G_FILE_TEST_EXISTS));
  ps_test_rmdir (dir);
  ps_test_rmdir (plain_dir);
}

/* ---- the verdict on made-up bins ----------------------------------------- */

static void
feed (PsStability *st, const guint64 *completed, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      PsBinRecord b = { .start = PS_TIME_FROM_SEC (10 * i), .completed = completed[i],
                        .sent = completed[i], .generated = completed[i] };

      ps_stability_add_bin (st, &b, PS_TIME_FROM_SEC (10 * (i + 1)));
    }
}

/* 10 s bins; fault [20 s, 40 s).  After it: a bad bin, then good ones:
 * recovery at the start of the first good bin; one bad bin at the end
 * (with 30 s smoothing the last window must hold) means no recovery. */
static void
test_verdict_vectors (void)
{
  const guint64 good[] = { 100, 100, 10, 10, 30, 95, 100, 100, 100, 100, 100, 100 };
  const guint64 relapse[] = { 100, 100, 10, 10, 100, 100, 100, 100, 100, 100, 100, 10 };
  PsTotals totals = { .busy_useful = 3, .busy_orphaned = 1 };
  PsStabilitySummary out;
  g_autoptr(PsStability) a = ps_stability_new (PS_TIME_FROM_SEC (20), PS_TIME_FROM_SEC (40));
  g_autoptr(PsStability) b = ps_stability_new (PS_TIME_FROM_SEC (20), PS_TIME_FROM_SEC (40));

  feed (a, good, G_N_ELEMENTS (good));
  ps_stability_finish (a, &totals, &out);
  g_assert_cmpfloat (out.goodput_before, ==, 10);
  g_assert_cmpfloat (out.goodput_during, ==, 1);
  g_assert_true (out.recovered);
  g_assert_cmpfloat (out.recovery_s, ==, 10);  /* window 20 s: [50,70) averages 9.75 */
  g_assert_cmpfloat (out.orphaned_share, ==, 0.25);
  feed (b, relapse, G_N_ELEMENTS (relapse));
  ps_stability_finish (b, &totals, &out);
  g_assert_false (out.recovered);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/retry/budget/tokens-vector", test_tokens_vector);
  g_test_add_func ("/retry/budget/ratio-vector", test_ratio_vector);
  g_test_add_func ("/retry/budget/outage-100-retries", test_budget_in_outage);
  g_test_add_func ("/retry/budget/ratio-outage-10-per-window", test_ratio_budget_in_outage);
  g_test_add_func ("/retry/throttle/steady-state", test_throttle_steady_state);
  g_test_add_func ("/retry/throttle/sim-against-quota", test_throttle_against_quota);
  g_test_add_func ("/retry/capped-attempts", test_capped_attempts);
  g_test_add_func ("/retry/jitter/bounds", test_jitter_bounds);
  g_test_add_func ("/retry/orphaned/busy-split-exact", test_busy_split);
  g_test_add_func ("/retry/orphaned/busy-split-plain", test_busy_split_plain);
  g_test_add_func ("/retry/faults/exact", test_faults_exact);
  g_test_add_func ("/retry/deterministic", test_deterministic);
  g_test_add_func ("/retry/stability/verdict-vectors", test_verdict_vectors);
  g_test_add_func ("/retry/stability/chart", test_stability_chart);
  g_test_add_func ("/retry/storm/naive-does-not-recover", test_storm_naive);
  g_test_add_func ("/retry/storm/budget-recovers", test_storm_budget);
  return g_test_run ();
}
