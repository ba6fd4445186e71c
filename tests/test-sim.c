/* test-sim.c: whole runs: determinism, conservation, ordering at an
 * instant, common random numbers, and two results from queueing theory
 */
#include <math.h>
#include <string.h>

#include "ps-test-util.h"

#define SMALL \
  "{ \"name\": \"small\", \"seed\": 5, \"duration\": \"3m\"," \
  "  \"server\": { \"workers\": 4, \"queue\": 3," \
  "    \"service_time\": { \"dist\": \"exponential\", \"mean\": \"300ms\" }," \
  "    \"quota\": { \"limit\": 20, \"window\": \"30s\" } }," \
  "  \"clients\": [" \
  "    { \"group\": \"a\", \"count\": 6, \"arrival\": { \"process\": \"poisson\", \"rate\": 1.5 }," \
  "      \"priorities\": [1, 1, 2], \"concurrency\": 2 }," \
  "    { \"group\": \"b\", \"count\": 3, \"arrival\": { \"process\": \"constant\", \"interval\": \"700ms\", \"jitter\": \"100ms\" }," \
  "      \"on_429\": \"backoff\", \"queue_limit\": 5, \"timeout\": \"20s\" } ]," \
  "  \"output\": { \"attempts\": true } }"

static const char *const run_files[] = {
  "requests.csv", "timeseries.csv", "clients.csv", "attempts.csv",
};

static void
test_same_seed_same_bytes (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (SMALL, NULL);
  g_autofree char *d1 = ps_test_tmpdir ();
  g_autofree char *d2 = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;

  g_assert_true (ps_test_run_to_dir (sc, d1, NULL, &error));
  g_assert_true (ps_test_run_to_dir (sc, d2, NULL, &error));
  for (guint i = 0; i < G_N_ELEMENTS (run_files); i++)
    {
      g_autofree char *a = ps_test_read (d1, run_files[i]);
      g_autofree char *b = ps_test_read (d2, run_files[i]);
      g_assert_cmpstr (a, ==, b);
    }
  {
    g_autofree char *a = ps_test_read (d1, "summary.json");
    g_autofree char *b = ps_test_read (d2, "summary.json");
    g_autofree char *sa = ps_test_strip_wall_clock (a);
    g_autofree char *sb = ps_test_strip_wall_clock (b);
    g_assert_cmpstr (sa, ==, sb);
  }
  ps_test_rmdir (d1);
  ps_test_rmdir (d2);
}

static void
test_other_seed_other_bytes (void)
{
  const char *const sets[] = { "seed=6", NULL };
  g_autoptr(PsScenario) s5 = ps_test_scenario (SMALL, NULL);
  g_autoptr(PsScenario) s6 = ps_test_scenario (SMALL, sets);
  g_autofree char *d1 = ps_test_tmpdir ();
  g_autofree char *d2 = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL;

  g_assert_true (ps_test_run_to_dir (s5, d1, NULL, &error));
  g_assert_true (ps_test_run_to_dir (s6, d2, NULL, &error));
  a = ps_test_read (d1, "requests.csv");
  b = ps_test_read (d2, "requests.csv");
  g_assert_cmpstr (a, !=, b);
  ps_test_rmdir (d1);
  ps_test_rmdir (d2);
}

/* Counts requests.csv rows by outcome and checks them against the summary
 * and the conservation identity. */
static void
check_requests_csv (const char *dir, const PsRunSummary *s)
{
  g_autofree char *text = ps_test_read (dir, "requests.csv");
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint64 n[4] = { 0 };
  guint64 rows = 0;

  for (char **l = lines + 1; *l && **l; l++)
    {
      const char *outcome = strrchr (*l, ',') + 1;

      rows++;
      if (strcmp (outcome, "completed") == 0)
        n[0]++;
      else if (strcmp (outcome, "rejected") == 0)
        n[1]++;
      else if (strcmp (outcome, "dropped") == 0)
        n[2]++;
      else if (strcmp (outcome, "pending") == 0)
        n[3]++;
      else
        g_assert_not_reached ();
    }
  g_assert_cmpuint (rows, ==, s->totals.generated);
  g_assert_cmpuint (n[0], ==, s->totals.completed);
  g_assert_cmpuint (n[1], ==, s->totals.rejected);
  g_assert_cmpuint (n[2], ==, s->totals.dropped);
  g_assert_cmpuint (n[3], ==, s->totals.pending);
  g_assert_true (ps_totals_conserved (&s->totals));
}

/* Every shipped scenario, shortened to 2 minutes, conserves requests. */
static void
test_conservation (gconstpointer data)
{
  const char *path = data;
  const char *const sets[] = { "duration=2m", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) sc = ps_scenario_load_file (path, sets, &error);
  g_autofree char *dir = ps_test_tmpdir ();
  PsRunSummary s;

  g_assert_no_error (error);
  g_assert_true (ps_test_run_to_dir (sc, dir, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.totals.generated, >, 0);
  check_requests_csv (dir, &s);
  ps_test_rmdir (dir);
}

/* A request arriving exactly when the previous one completes finds the
 * worker free: completions run before arrivals at the same instant. */
static void
test_completion_before_arrival (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (
    "{ \"duration\": \"5m\", \"server\": { \"workers\": 1, \"queue\": 0,"
    "  \"service_time\": \"1s\", \"quota\": { \"limit\": 1000 } },"
    "  \"clients\": [ { \"arrival\": { \"process\": \"constant\", \"interval\": \"1s\" },"
    "    \"concurrency\": 0, \"on_503\": \"drop\" } ] }", NULL);
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  PsRunSummary s;

  g_assert_true (ps_test_run_to_dir (sc, dir, &s, &error));
  g_assert_cmpuint (s.totals.generated, >=, 299);
  g_assert_cmpuint (s.totals.responses_503, ==, 0);
  g_assert_cmpuint (s.totals.rejected, ==, 0);
  ps_test_rmdir (dir);
}

/* Rows of requests.csv that belong to clients of @group. */
static char *
rows_of_group (const char *dir, const char *group)
{
  g_autofree char *text = ps_test_read (dir, "requests.csv");
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *needle = g_strdup_printf (",%s-", group);
  GString *out = g_string_new (NULL);

  for (char **l = lines + 1; *l && **l; l++)
    if (strstr (*l, needle) != NULL)
      /* drop the id: ids interleave with the other group's requests */
      g_string_append_printf (out, "%s\n", strchr (*l, ',') + 1);
  return g_string_free (out, FALSE);
}

/* Adding a client group changes nobody else's arrivals (one stream per
 * client, named by group and index), when the server is not the limit. */
static void
test_common_random_numbers (void)
{
  const char *one =
    "{ \"duration\": \"2m\", \"server\": { \"workers\": 1000, \"quota\": { \"limit\": 100000 } },"
    "  \"clients\": [ { \"group\": \"x\", \"count\": 5, \"arrival\": { \"process\": \"poisson\", \"rate\": 2 },"
    "    \"priorities\": [1, 1] } ] }";
  const char *two =
    "{ \"duration\": \"2m\", \"server\": { \"workers\": 1000, \"quota\": { \"limit\": 100000 } },"
    "  \"clients\": [ { \"group\": \"w\", \"count\": 7, \"arrival\": { \"process\": \"poisson\", \"rate\": 3 } },"
    "    { \"group\": \"x\", \"count\": 5, \"arrival\": { \"process\": \"poisson\", \"rate\": 2 },"
    "    \"priorities\": [1, 1] } ] }";
  g_autoptr(PsScenario) s1 = ps_test_scenario (one, NULL);
  g_autoptr(PsScenario) s2 = ps_test_scenario (two, NULL);
  g_autofree char *d1 = ps_test_tmpdir ();
  g_autofree char *d2 = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autofree char *r1 = NULL, *r2 = NULL;

  g_assert_true (ps_test_run_to_dir (s1, d1, NULL, &error));
  g_assert_true (ps_test_run_to_dir (s2, d2, NULL, &error));
  r1 = rows_of_group (d1, "x");
  r2 = rows_of_group (d2, "x");
  /* The addresses differ (x comes second), so compare without them. */
  g_assert_cmpuint (strlen (r1), >, 1000);
  {
    g_auto(GStrv) a = g_strsplit (r1, "\n", -1);
    g_auto(GStrv) b = g_strsplit (r2, "\n", -1);

    g_assert_cmpuint (g_strv_length (a), ==, g_strv_length (b));
    for (guint i = 0; a[i]; i++)
      {
        /* client,ip,rest: skip the ip field */
        const char *ra = strchr (strchr (a[i], ',') ? strchr (a[i], ',') + 1 : a[i], ',');
        const char *rb = strchr (strchr (b[i], ',') ? strchr (b[i], ',') + 1 : b[i], ',');
        g_assert_cmpstr (ra, ==, rb);
      }
  }
  ps_test_rmdir (d1);
  ps_test_rmdir (d2);
}

/* A pool of 10 workers with no queue, Poisson arrivals at 40/s in total,
 * exponential service of mean 200 ms (a = 8 Erlang); clients give up on a
 * 503, so each arrival is offered once: the fraction refused is the
 * blocking probability B(10, 8) = 0.1217.  Over 2 h, n = 288,000 offers;
 * a binomial sd would be sqrt(p(1-p)/n) = 0.0006, and correlation between
 * successive busy periods inflates it by a small factor (about 3 for
 * batches of this size), so 0.006 allows more than 3 inflated sds. */
static void
test_erlang_b (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (
    "{ \"seed\": 11, \"duration\": \"2h\", \"server\": { \"workers\": 10, \"queue\": 0,"
    "  \"service_time\": { \"dist\": \"exponential\", \"mean\": \"200ms\" },"
    "  \"quota\": { \"limit\": 1000000 } },"
    "  \"clients\": [ { \"count\": 100, \"arrival\": { \"process\": \"poisson\", \"rate\": 0.4 },"
    "    \"concurrency\": 0, \"on_503\": \"drop\" } ],"
    "  \"output\": { \"requests\": false } }", NULL);
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  PsRunSummary s;
  double measured, expected = ps_test_erlang_b (10, 8.0);

  g_assert_true (ps_test_run_to_dir (sc, dir, &s, &error));
  measured = (double) s.totals.responses_503 / (double) s.totals.attempts;
  g_test_message ("Erlang B(10, 8): expected %.4f, measured %.4f over %" G_GUINT64_FORMAT
                  " offers", expected, measured, s.totals.attempts);
  g_assert_cmpfloat (fabs (expected - 0.1217), <, 1e-4);
  g_assert_cmpfloat (fabs (measured - expected), <, 0.006);
  /* Little's law on the pool: mean occupancy = accepted rate x service. */
  g_assert_cmpfloat (fabs (s.pool_mean - 8.0 * (1 - expected)), <, 0.1);
  ps_test_rmdir (dir);
}

/* E[min(N, L)] and Var[min(N, L)] for N ~ Poisson(m). */
static void
poisson_min_moments (double m, guint limit, double *mean, double *var)
{
  double p = exp (-m), cdf = 0, e1 = 0, e2 = 0;

  for (guint k = 0; k < limit; k++)
    {
      e1 += k * p;
      e2 += (double) k * k * p;
      cdf += p;
      p *= m / (k + 1);
    }
  e1 += limit * (1 - cdf);
  e2 += (double) limit * limit * (1 - cdf);
  *mean = e1;
  *var = e2 - e1 * e1;
}

/* Fixed window, limit 50 per minute, Poisson arrivals at 1/s, and clients
 * that give up on a 429: in each window min(N, 50) of N ~ Poisson(60) are
 * admitted, so the admitted fraction is E[min(N,50)] / 60 exactly.  200
 * clients x 60 windows = 12,000 independent windows; the tolerance is 5
 * standard deviations of the mean, computed from Var[min(N,50)]. */
static void
test_fixed_window_poisson (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (
    "{ \"seed\": 3, \"duration\": \"1h\", \"server\": { \"workers\": 1000, \"queue\": 0,"
    "  \"service_time\": \"10ms\", \"quota\": { \"limit\": 50, \"window\": \"1m\" } },"
    "  \"clients\": [ { \"count\": 200, \"arrival\": { \"process\": \"poisson\", \"rate\": 1 },"
    "    \"concurrency\": 0, \"on_429\": \"drop\" } ],"
    "  \"output\": { \"requests\": false } }", NULL);
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  PsRunSummary s;
  double mean, var, expected, measured, sd;
  const double windows = 200 * 60;

  poisson_min_moments (60.0, 50, &mean, &var);
  expected = mean / 60.0;
  /* admitted / generated; both vary, but generated's relative sd
   * (1/sqrt(720000) = 0.0012) is already inside the admitted count's. */
  sd = sqrt (var / windows) / 60.0 + expected / sqrt (60.0 * windows);
  g_assert_true (ps_test_run_to_dir (sc, dir, &s, &error));
  g_assert_cmpuint (s.totals.responses_503, ==, 0);
  measured = (double) (s.totals.generated - s.totals.rejected) / (double) s.totals.generated;
  g_test_message ("fixed window 50/min, Poisson 60/min: expected %.5f, measured %.5f, sd %.5f",
                  expected, measured, sd);
  g_assert_cmpfloat (fabs (measured - expected), <, 5 * sd);
  ps_test_rmdir (dir);
}

/* timeseries.csv has exactly @n_bins rows, each with @admitted admitted. */
static void
assert_admitted_per_bin (const char *dir, guint n_bins, const char *admitted)
{
  g_autofree char *ts = ps_test_read (dir, "timeseries.csv");
  g_auto(GStrv) lines = g_strsplit (ts, "\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, n_bins + 2);   /* header, bins, "" */
  for (guint i = 1; i <= n_bins; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      g_assert_cmpstr (f[3], ==, admitted);
    }
}

/* A client that waits for the reset is admitted once Retry-After has
 * passed, never earlier: constant 1 req/s against 10 per 30 s with
 * wait_reset and concurrency 1 admits exactly 10 per window. */
static void
test_wait_reset_admits_limit_per_window (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (
    "{ \"duration\": \"5m\", \"server\": { \"workers\": 10, \"service_time\": \"10ms\","
    "  \"quota\": { \"limit\": 10, \"window\": \"30s\" } },"
    "  \"clients\": [ { \"arrival\": { \"process\": \"constant\", \"interval\": \"1s\" } } ],"
    "  \"output\": { \"bin\": \"30s\" } }", NULL);
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  PsRunSummary s;

  g_assert_true (ps_test_run_to_dir (sc, dir, &s, &error));
  assert_admitted_per_bin (dir, 10, "10");
  /* one 429 per window after the first: then the client pauses */
  g_assert_cmpuint (s.totals.responses_429, ==, 10);
  ps_test_rmdir (dir);
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* The same client with self_throttle reads the RateLimit figures and
 * never hears a 429, yet gets the same 10 admissions per window. */
static void
test_self_throttle_avoids_429 (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (
    "{ \"duration\": \"5m\", \"server\": { \"workers\": 10, \"service_time\": \"10ms\","
    "  \"quota\": { \"limit\": 10, \"window\": \"30s\" } },"
    "  \"clients\": [ { \"arrival\": { \"process\": \"constant\", \"interval\": \"1s\" },"
    "    \"on_429\": \"self_throttle\" } ],"
    "  \"output\": { \"bin\": \"30s\" } }", NULL);
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  PsRunSummary s;

  g_assert_true (ps_test_run_to_dir (sc, dir, &s, &error));
  g_assert_cmpuint (s.totals.responses_429, ==, 0);
  assert_admitted_per_bin (dir, 10, "10");
  ps_test_rmdir (dir);
}

typedef struct
{
  const char *algorithm;
  guint64     first_minute;        /* admissions in [0, 60 s) */
  guint64     first_two_minutes;   /* admissions in [0, 120 s) */
} AlgorithmRow;

/* Known arrival times through every algorithm: 100 requests at t=0, then
 * one a second; limit 60 per minute; a refused request is given up.  The
 * expected admissions follow from the definitions: the windows admit 60 at
 * once and then nothing until the next window (the fixed and the exact
 * sliding one then admit all 60 arrivals of the second minute; the
 * two-counter one still weighs the first minute's 60 at t=60 and admits
 * from t=61); the bucket starts full (60) and refills one a second, so
 * 59 more arrive in time in the first minute, and GCRA decides the same. */
static void
test_algorithms_on_known_arrivals (void)
{
  static const AlgorithmRow rows[] = {
    { "fixed_window", 60, 120 },
    { "sliding_log", 60, 120 },
    { "sliding_window", 60, 119 },
    { "token_bucket", 119, 179 },
    { "gcra", 119, 179 },
  };
  g_autofree char *dir = ps_test_tmpdir ();
  g_autofree char *trace = g_build_filename (dir, "trace.csv", NULL);
  GString *csv = g_string_new ("time_s,client,priority\n");

  for (int i = 0; i < 100; i++)
    g_string_append (csv, "0,c,0\n");
  for (int t = 1; t < 300; t++)
    g_string_append_printf (csv, "%d,c,0\n", t);
  g_file_set_contents (trace, csv->str, -1, NULL);
  g_string_free (csv, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{ \"duration\": \"5m\", \"server\": { \"workers\": 1000, \"service_time\": \"1ms\","
        "  \"quota\": { \"algorithm\": \"%s\", \"limit\": 60, \"window\": \"1m\" } },"
        "  \"clients\": [ { \"group\": \"g\", \"arrival\": { \"process\": \"trace\", \"file\": \"%s\" },"
        "    \"concurrency\": 0, \"on_429\": \"drop\" } ] }", rows[i].algorithm, trace);
      g_autoptr(PsScenario) sc = ps_test_scenario (json, NULL);
      g_autofree char *out = g_build_filename (dir, rows[i].algorithm, NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;
      guint64 in_first = 0, in_two = 0;

      g_assert_true (ps_test_run_to_dir (sc, out, NULL, &error));
      g_assert_no_error (error);
      text = ps_test_read (out, "requests.csv");
      lines = g_strsplit (text, "\n", -1);
      for (char **l = lines + 1; *l && **l; l++)
        {
          g_auto(GStrv) f = g_strsplit (*l, ",", -1);
          double admitted;

          if (*f[6] == '\0')
            continue;                    /* never admitted */
          admitted = g_ascii_strtod (f[6], NULL);
          in_first += admitted < 60;
          in_two += admitted < 120;
        }
      g_test_message ("%s: %" G_GUINT64_FORMAT " in the first minute, %" G_GUINT64_FORMAT
                      " in two", rows[i].algorithm, in_first, in_two);
      g_assert_cmpuint (in_first, ==, rows[i].first_minute);
      g_assert_cmpuint (in_two, ==, rows[i].first_two_minutes);
    }
  ps_test_rmdir (dir);
}

/* Tiers and stacked policies in a whole run.  Clients far over their
 * quota (20/s against at most 100/min) that give refused requests up get
 * exactly their limit per aligned window: 2 windows of 60 for the default
 * tier, 2 of 100 for the group with an override; with 10/s *and* 100/min
 * stacked, the minute binds (100 of the 10 x 60 seconds allow), and both
 * policies refuse some requests, counted under their names. */
static void
test_tiers_and_stacked_policies (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (
    "{ \"duration\": \"2m\", \"server\": { \"workers\": 1000, \"service_time\": \"1ms\","
    "  \"quota\": [ { \"limit\": 60, \"window\": \"1m\" } ],"
    "  \"overrides\": ["
    "    { \"group\": \"gold\", \"quota\": { \"limit\": 100 } },"
    "    { \"group\": \"stacked\", \"quota\": [ { \"limit\": 100, \"window\": \"1m\" },"
    "                                          { \"limit\": 10, \"window\": \"1s\" } ] } ] },"
    "  \"clients\": ["
    "    { \"group\": \"plain\", \"count\": 3, \"arrival\": { \"process\": \"poisson\", \"rate\": 20 },"
    "      \"concurrency\": 0, \"on_429\": \"drop\" },"
    "    { \"group\": \"gold\", \"count\": 3, \"arrival\": { \"process\": \"poisson\", \"rate\": 20 },"
    "      \"concurrency\": 0, \"on_429\": \"drop\" },"
    "    { \"group\": \"stacked\", \"count\": 3, \"arrival\": { \"process\": \"poisson\", \"rate\": 20 },"
    "      \"concurrency\": 0, \"on_429\": \"drop\" } ] }", NULL);
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autofree char *clients = NULL, *summary = NULL;
  g_auto(GStrv) lines = NULL;
  PsRunSummary s;

  g_assert_true (ps_test_run_to_dir (sc, dir, &s, &error));
  clients = ps_test_read (dir, "clients.csv");
  lines = g_strsplit (clients, "\n", -1);
  for (char **l = lines + 1; *l && **l; l++)
    {
      g_auto(GStrv) f = g_strsplit (*l, ",", -1);
      guint64 admitted = g_ascii_strtoull (f[3], NULL, 10) - g_ascii_strtoull (f[5], NULL, 10);

      g_assert_cmpuint (admitted, ==, strcmp (f[2], "plain") == 0 ? 120 : 200);
    }
  summary = ps_test_read (dir, "summary.json");
  g_assert_nonnull (strstr (summary, "\"second\": "));
  g_assert_nonnull (strstr (summary, "\"minute\": "));
  ps_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *scenarios = g_build_filename (srcdir ? srcdir : ".", "..", "scenarios", NULL);
  const char *name;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/determinism/same-seed-same-bytes", test_same_seed_same_bytes);
  g_test_add_func ("/sim/determinism/other-seed-other-bytes", test_other_seed_other_bytes);
  g_test_add_func ("/sim/order/completion-before-arrival", test_completion_before_arrival);
  g_test_add_func ("/sim/common-random-numbers", test_common_random_numbers);
  g_test_add_func ("/sim/wait-reset/limit-per-window", test_wait_reset_admits_limit_per_window);
  g_test_add_func ("/sim/self-throttle/avoids-429", test_self_throttle_avoids_429);
  g_test_add_func ("/sim/quota/algorithms-on-known-arrivals", test_algorithms_on_known_arrivals);
  g_test_add_func ("/sim/quota/tiers-and-stacked-policies", test_tiers_and_stacked_policies);
  g_test_add_func ("/sim/theory/erlang-b", test_erlang_b);
  g_test_add_func ("/sim/theory/fixed-window-poisson", test_fixed_window_poisson);

  dir = g_dir_open (scenarios, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json") && strcmp (name, "broken.json") != 0)
      g_ptr_array_add (paths, g_build_filename (scenarios, name, NULL));
  g_ptr_array_sort (paths, compare_paths);
  for (guint i = 0; i < paths->len; i++)
    {
      g_autofree char *base = g_path_get_basename (paths->pdata[i]);
      g_autofree char *test = g_strdup_printf ("/sim/conservation/%s", base);
      g_test_add_data_func (test, paths->pdata[i], test_conservation);
    }
  return g_test_run ();
}
