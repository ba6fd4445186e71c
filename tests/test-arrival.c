/* test-arrival.c: every arrival process against its statistics
 *
 * Each statistical test runs many clients, each on its own stream, for a
 * long time, and counts arrivals per interval.  Clients are independent,
 * so per-client estimates (of the rate, of the index of dispersion
 * var/mean of the counts) are independent samples: their spread gives the
 * standard error of their mean, and every tolerance is 5 such standard
 * errors, with a check that the standard error itself is small (a broken
 * generator cannot pass by being noisy).  The compatibility tests pin the
 * draws of poisson and constant to the formulas they always used, which
 * the golden runs depend on.
 */
#include <math.h>
#include <string.h>

#include "ps-arrival.h"
#include "ps-dist.h"
#include "ps-event-queue.h"
#include "ps-test-util.h"

#define SEED 2026

typedef struct
{
  double rate;                 /* mean of per-client rates, per second */
  double rate_se;
  double idc;                  /* var/mean of the counts, by batches */
  double idc_se;
  double first_mean;           /* mean count in the first interval */
  double first_se;
} CountStats;

#define N_BATCHES 50

/* Mean of @n samples and its standard error, from sums and squares. */
static void
mean_se (double s, double s2, guint n, double *out_mean, double *out_se)
{
  *out_mean = s / n;
  *out_se = sqrt (MAX (s2 / n - *out_mean * *out_mean, 0) / (n - 1));
}

/* Runs @n_clients clients of @spec for @horizon and summarises their
 * counts per @interval.  The index of dispersion is estimated per batch
 * of clients as (sum of per-client variances) / (sum of per-client
 * means): a ratio of sums, so that its bias (Jensen's, for a ratio of
 * noisy estimates) shrinks with the batch; the N_BATCHES batches are
 * independent, and their spread gives the standard error. */
static void
count_stats (const PsArrivalSpec *spec, guint n_clients, PsTime horizon,
             PsTime interval, CountStats *out)
{
  guint m = (guint) (horizon / interval), per_batch = n_clients / N_BATCHES;
  g_autofree double *counts = g_new (double, m);
  double s_rate = 0, s2_rate = 0, s_idc = 0, s2_idc = 0, s_first = 0, s2_first = 0;
  double batch_var = 0, batch_mean = 0;

  g_assert_cmpint (horizon % interval, ==, 0);
  g_assert_cmpuint (n_clients % N_BATCHES, ==, 0);
  for (guint c = 0; c < n_clients; c++)
    {
      PsRng rng;
      PsArrivalState state;
      PsTime t = 0;
      double mean, var = 0, total = 0, rate;

      ps_rng_init (&rng, SEED, ps_rng_stream_id ("stats", c));
      ps_arrival_state_init (&state, spec, 0);
      memset (counts, 0, m * sizeof (double));
      while ((t = ps_arrival_next (spec, &state, &rng, t)) < horizon)
        counts[t / interval]++;
      for (guint i = 0; i < m; i++)
        total += counts[i];
      mean = total / m;
      for (guint i = 0; i < m; i++)
        var += (counts[i] - mean) * (counts[i] - mean);
      var /= m - 1;
      rate = total / ((double) horizon / 1e6);
      s_rate += rate;
      s2_rate += rate * rate;
      s_first += counts[0];
      s2_first += counts[0] * counts[0];
      batch_var += var;
      batch_mean += mean;
      if ((c + 1) % per_batch == 0)
        {
          double idc = batch_mean > 0 ? batch_var / batch_mean : 0;

          s_idc += idc;
          s2_idc += idc * idc;
          batch_var = batch_mean = 0;
        }
    }
  mean_se (s_rate, s2_rate, n_clients, &out->rate, &out->rate_se);
  mean_se (s_idc, s2_idc, N_BATCHES, &out->idc, &out->idc_se);
  mean_se (s_first, s2_first, n_clients, &out->first_mean, &out->first_se);
}

static void
assert_within (const char *what, double measured, double expected, double se,
               double max_relative_se)
{
  g_test_message ("%s: expected %.5g, measured %.5g, standard error %.3g",
                  what, expected, measured, se);
  g_assert_cmpfloat (se, <=, max_relative_se * MAX (fabs (expected), 1e-9));
  g_assert_cmpfloat (fabs (measured - expected), <=, 5 * se);
}

/* --- poisson ------------------------------------------------------------- */

/* 500 clients at 2/s for 1 h, counted per minute: a count is Poisson(120),
 * the per-client rate has sd sqrt(7200)/3600 = 0.024, so the mean over 500
 * has a standard error of 0.001; var/mean from 10 clients x 60 counts has
 * sd about sqrt(2/590) = 0.058, the mean of 50 batches a standard error
 * of 0.008. */
static void
test_poisson_statistics (void)
{
  PsArrivalSpec spec = { .process = PS_ARRIVAL_POISSON, .rate = 2.0 };
  CountStats s;

  g_test_summary ("Poisson: mean rate as given, index of dispersion 1");
  count_stats (&spec, 500, PS_TIME_FROM_SEC (3600), PS_TIME_FROM_SEC (60), &s);
  assert_within ("poisson rate", s.rate, 2.0, s.rate_se, 0.005);
  assert_within ("poisson index of dispersion", s.idc, 1.0, s.idc_se, 0.02);
}

/* The draws poisson and constant made before absolute times existed. */
static void
test_draws_unchanged (void)
{
  PsArrivalSpec poisson = { .process = PS_ARRIVAL_POISSON, .rate = 0.7 };
  PsArrivalSpec constant = { .process = PS_ARRIVAL_CONSTANT,
                             .interval = 700000, .jitter = 100000 };
  PsRng a, b;
  PsArrivalState state = { .started = 0 };
  PsTime t = 0, old;

  g_test_summary ("poisson and constant draw exactly what they always drew, in "
                  "the same order: recorded runs stay byte-identical");
  ps_rng_init (&a, 5, 9);
  ps_rng_init (&b, 5, 9);
  old = (PsTime) llround (ps_sample_exponential (&b, 1e6 / 0.7));
  for (int i = 0; i < 10000; i++)
    {
      t = ps_arrival_next (&poisson, &state, &a, t);
      g_assert_cmpint (t, ==, old);
      old += (PsTime) llround (ps_sample_exponential (&b, 1e6 / 0.7));
    }
  ps_rng_init (&a, 5, 9);
  ps_rng_init (&b, 5, 9);
  state = (PsArrivalState) { .started = 0 };
  t = ps_arrival_next (&constant, &state, &a, 0);
  old = (PsTime) ps_rng_below (&b, 700000);
  g_assert_cmpint (t, ==, old);
  for (int i = 0; i < 10000; i++)
    {
      PsTime gap = 700000 - 100000 + (PsTime) ps_rng_below (&b, 200001);

      t = ps_arrival_next (&constant, &state, &a, t);
      old += MAX (gap, 0);
      g_assert_cmpint (t, ==, old);
    }
  /* the thin wrappers kept for gap-based callers draw the same */
  ps_rng_init (&a, 5, 9);
  ps_rng_init (&b, 5, 9);
  state = (PsArrivalState) { .started = 0 };
  g_assert_cmpint (ps_arrival_first (&constant, &a), ==,
                   ps_arrival_next (&constant, &state, &b, 0));
  g_assert_cmpint (ps_arrival_gap (&constant, &a), ==,
                   ps_arrival_next (&constant, &state, &b, 0));
  g_assert_cmpint (ps_arrival_gap (&poisson, &a), ==,
                   ps_arrival_next (&poisson, &state, &b, 0));
}

/* --- constant ------------------------------------------------------------ */

/* Without jitter every minute holds exactly 120 arrivals at 500 ms: the
 * index of dispersion is exactly 0.  With jitter J the gaps have squared
 * coefficient of variation c2 = J(J+1)/3 / interval^2 (the jitter is
 * uniform on the integers -J..J), and renewal theory gives an index of
 * dispersion of counts tending to c2 (0.0133 here) over long intervals;
 * edge effects of a window add O(1/120) at most, hence the 0.01 margin
 * on top of 5 standard errors. */
static void
test_constant_statistics (void)
{
  PsArrivalSpec exact = { .process = PS_ARRIVAL_CONSTANT, .interval = 500000 };
  PsArrivalSpec jittered = { .process = PS_ARRIVAL_CONSTANT, .interval = 500000,
                             .jitter = 100000 };
  double c2 = 100000.0 * 100001.0 / 3 / (500000.0 * 500000.0);
  CountStats s;

  g_test_summary ("constant: rate 1/interval, index of dispersion 0, or the "
                  "renewal value c2 with jitter");
  count_stats (&exact, 200, PS_TIME_FROM_SEC (3600), PS_TIME_FROM_SEC (60), &s);
  g_assert_cmpfloat (s.rate, ==, 2.0);
  g_assert_cmpfloat (s.idc, ==, 0.0);
  g_assert_cmpfloat (s.first_mean, ==, 120.0);

  count_stats (&jittered, 200, PS_TIME_FROM_SEC (3600), PS_TIME_FROM_SEC (60), &s);
  g_test_message ("jittered constant: index of dispersion %.4f (c2 %.4f), se %.4f",
                  s.idc, c2, s.idc_se);
  assert_within ("jittered constant rate", s.rate, 2.0, MAX (s.rate_se, 1e-4), 0.005);
  g_assert_cmpfloat (s.idc_se, <, 0.005);
  g_assert_cmpfloat (fabs (s.idc - c2), <=, 5 * s.idc_se + 0.01);
}

/* --- on/off -------------------------------------------------------------- */

/* The rate is a two-state Markov process: lambda_1 (on) and lambda_2
 * (off), leaving on at r1 = 1/on_mean and off at r2 = 1/off_mean, so
 * pi_on = r2/(r1+r2) and the mean rate is pi_on l1 + pi_off l2.  The
 * count N(T) is Poisson given the rate path, so
 *   Var N(T) = E N(T) + Var (integral of the rate over T),
 * and the rate's covariance is pi_on pi_off (l1-l2)^2 exp(-s|tau|) with
 * s = r1 + r2, whose double integral over [0,T]^2 is
 *   2 pi_on pi_off (l1-l2)^2 (T/s - (1 - exp(-sT))/s^2).
 * Dividing by E N(T) = mean T:
 *   IDC(T) = 1 + 2 pi_on pi_off (l1-l2)^2 / (mean s) (1 - (1-exp(-sT))/(sT)). */
static double
onoff_idc (const PsArrivalSpec *spec, double T)
{
  double r1 = 1e6 / (double) spec->on_mean, r2 = 1e6 / (double) spec->off_mean;
  double s = r1 + r2, pi_on = r2 / s, pi_off = r1 / s;
  double mean = pi_on * spec->on_rate + pi_off * spec->off_rate;
  double d = spec->on_rate - spec->off_rate;

  return 1 + 2 * pi_on * pi_off * d * d / (mean * s) * (1 - (1 - exp (-s * T)) / (s * T));
}

/* on 5/s for 10 s on average, off 0.5/s for 30 s: mean rate 1.625/s and
 * an index of dispersion of 31.67 over a minute.  5000 clients for an
 * hour: the counts are bursty (sd 55 on a mean of 97.5 a minute), so it
 * takes that many for a standard error of 0.25% on the index.  Adjacent
 * minutes are correlated (0.07: the switching time 1/s = 7.5 s is short
 * against a minute), which biases a per-client variance from 60 counts by
 * -0.2%, a third of a standard error.  The first minute of each client
 * tests that a client starts in the stationary mix of states. */
static void
test_onoff_statistics (void)
{
  PsArrivalSpec spec = { .process = PS_ARRIVAL_ONOFF, .on_rate = 5, .off_rate = 0.5,
                         .on_mean = PS_TIME_FROM_SEC (10),
                         .off_mean = PS_TIME_FROM_SEC (30) };
  double expected_idc = onoff_idc (&spec, 60), mean = ps_arrival_mean_rate (&spec);
  CountStats s;

  g_test_summary ("onoff: mean rate pi_on on_rate + pi_off off_rate, index of "
                  "dispersion as the Markov-modulated Poisson theory predicts");
  g_assert_cmpfloat (fabs (mean - 1.625), <, 1e-12);
  g_assert_cmpfloat (fabs (expected_idc - 31.668), <, 0.001);
  count_stats (&spec, 5000, PS_TIME_FROM_SEC (3600), PS_TIME_FROM_SEC (60), &s);
  assert_within ("onoff rate", s.rate, mean, s.rate_se, 0.01);
  assert_within ("onoff first minute", s.first_mean, mean * 60, s.first_se, 0.05);
  assert_within ("onoff index of dispersion", s.idc, expected_idc, s.idc_se, 0.02);
  g_assert_cmpfloat (s.idc, >, 10);
}

/* An off state that never sends, and a client that stays off. */
static void
test_onoff_silent_off (void)
{
  PsArrivalSpec spec = { .process = PS_ARRIVAL_ONOFF, .on_rate = 50, .off_rate = 0,
                         .on_mean = PS_TIME_FROM_SEC (1),
                         .off_mean = PS_TIME_FROM_SEC (100) };
  PsRng rng;
  PsArrivalState state = { .started = 0 };
  PsTime t = 0, horizon = PS_TIME_FROM_SEC (20000), longest = 0, prev = 0;
  guint64 n = 0;

  ps_rng_init (&rng, SEED, 1);
  while ((t = ps_arrival_next (&spec, &state, &rng, t)) < horizon)
    {
      longest = MAX (longest, t - prev);
      prev = t;
      n++;
    }
  /* 1/101 of the time on at 50/s: about 9900 arrivals; sd about 1% of it
   * times the burstiness (sqrt(IDC) ~ 10): 5 sd is half the mean. */
  g_assert_cmpfloat (fabs ((double) n - 20000 * 50 / 101.0), <, 0.5 * 20000 * 50 / 101.0);
  g_assert_cmpint (longest, >, PS_TIME_FROM_SEC (100));     /* silent spells */
}

/* --- profile ------------------------------------------------------------- */

typedef struct
{
  double from_s, to_s;
  double expected;             /* per client: rate x integral of m(t) */
} Segment;

/* A ramp 0.5 -> 2 over 10 min (cut in two halves, to test that the
 * multiplier is linear within a segment), flat 2 for 10 min, a step to 0
 * for 5 min, a step to 1 held after the last point.  Counts of a
 * nonhomogeneous Poisson process over disjoint sets are independent
 * Poisson variables, so the total over 200 clients in a segment has sd
 * sqrt(expected total): 5 sd of 52,500 arrivals is 1,146.  The zero
 * segment must be exactly empty. */
static void
test_profile_segments (void)
{
  PsProfilePoint points[] = {
    { 0, 0.5 }, { PS_TIME_FROM_SEC (600), 2.0 }, { PS_TIME_FROM_SEC (1200), 2.0 },
    { PS_TIME_FROM_SEC (1200), 0.0 }, { PS_TIME_FROM_SEC (1500), 0.0 },
    { PS_TIME_FROM_SEC (1500), 1.0 },
  };
  PsArrivalSpec spec = { .process = PS_ARRIVAL_POISSON, .rate = 1.0,
                         .profile = points, .n_profile = G_N_ELEMENTS (points),
                         .profile_max = 2.0 };
  const Segment segments[] = {
    { 0, 300, 300 * (0.5 + 1.25) / 2 },
    { 300, 600, 300 * (1.25 + 2.0) / 2 },
    { 600, 1200, 600 * 2.0 },
    { 1200, 1500, 0 },
    { 1500, 2400, 900 * 1.0 },
  };
  const guint n_clients = 200;
  double totals[G_N_ELEMENTS (segments)] = { 0 };

  g_test_summary ("A profile's expected count per segment is the integral of "
                  "its rate; a zero segment has none");
  g_assert_cmpfloat (ps_arrival_multiplier (&spec, PS_TIME_FROM_SEC (300)), ==, 1.25);
  g_assert_cmpfloat (ps_arrival_multiplier (&spec, PS_TIME_FROM_SEC (1200) - 1), ==, 2.0);
  g_assert_cmpfloat (ps_arrival_multiplier (&spec, PS_TIME_FROM_SEC (1200)), ==, 0.0);
  g_assert_cmpfloat (ps_arrival_multiplier (&spec, PS_TIME_FROM_SEC (1500)), ==, 1.0);
  g_assert_cmpfloat (ps_arrival_multiplier (&spec, PS_TIME_FROM_SEC (99999)), ==, 1.0);
  for (guint c = 0; c < n_clients; c++)
    {
      PsRng rng;
      PsArrivalState state = { .started = 0 };
      PsTime t = 0;

      ps_rng_init (&rng, SEED, ps_rng_stream_id ("profile", c));
      while ((t = ps_arrival_next (&spec, &state, &rng, t)) < PS_TIME_FROM_SEC (2400))
        for (guint i = 0; i < G_N_ELEMENTS (segments); i++)
          if (t >= PS_TIME_FROM_SEC (segments[i].from_s)
              && t < PS_TIME_FROM_SEC (segments[i].to_s))
            totals[i]++;
    }
  for (guint i = 0; i < G_N_ELEMENTS (segments); i++)
    {
      double expected = segments[i].expected * n_clients;

      g_test_message ("segment %g..%g s: expected %.0f, counted %.0f", segments[i].from_s,
                      segments[i].to_s, expected, totals[i]);
      if (expected == 0)
        g_assert_cmpfloat (totals[i], ==, 0);
      else
        g_assert_cmpfloat (fabs (totals[i] - expected), <=, 5 * sqrt (expected));
    }
}

/* A profile that ends at 0 ends the arrivals: PS_TIME_NEVER, not a loop. */
static void
test_profile_ends (void)
{
  PsProfilePoint points[] = { { 0, 1.0 }, { PS_TIME_FROM_SEC (10), 1.0 },
                              { PS_TIME_FROM_SEC (10), 0.0 } };
  PsArrivalSpec spec = { .process = PS_ARRIVAL_POISSON, .rate = 5.0,
                         .profile = points, .n_profile = 3, .profile_max = 1.0 };
  PsRng rng;
  PsArrivalState state = { .started = 0 };
  PsTime t = 0, last = 0;
  guint n = 0;

  ps_rng_init (&rng, SEED, 3);
  while ((t = ps_arrival_next (&spec, &state, &rng, t)) != PS_TIME_NEVER)
    {
      last = t;
      n++;
    }
  g_assert_cmpint (last, <, PS_TIME_FROM_SEC (10));
  /* Poisson(50): 5 sd is 35 */
  g_assert_cmpuint (n, >, 15);
  g_assert_cmpuint (n, <, 85);
  g_assert_cmpfloat (ps_arrival_mean_rate (&spec), ==, 0.0);
}

/* --- replay -------------------------------------------------------------- */

static void
test_replay_order (void)
{
  g_autoptr(PsReplay) replay = ps_replay_new ();
  PsArrivalSpec spec = { .process = PS_ARRIVAL_TRACE };
  PsArrivalState state;
  PsRng rng;
  const PsReplayRow *row;

  g_test_summary ("Replayed rows come per client in time order, ties in file "
                  "order, each with its priority and work; then PS_TIME_NEVER");
  /* file order: client 1 first, out-of-order times, a tie for client 0 */
  ps_replay_add (replay, 1, 5000, 2, PS_REPLAY_NO_WORK);
  ps_replay_add (replay, 0, 3000, 0, 70);
  ps_replay_add (replay, 0, 1000, 1, PS_REPLAY_NO_WORK);
  ps_replay_add (replay, 0, 3000, 4, 80);
  ps_replay_add (replay, 1, 2000, 3, 90);
  ps_replay_finish (replay);
  spec.replay = replay;
  g_assert_cmpuint (ps_replay_get_n_clients (replay), ==, 2);
  g_assert_cmpuint (ps_replay_get_n_priorities (replay), ==, 5);
  g_assert_cmpint (ps_replay_get_last_time (replay), ==, 5000);

  ps_rng_init (&rng, SEED, 0);
  ps_arrival_state_init (&state, &spec, 0);
  g_assert_cmpint (ps_arrival_next (&spec, &state, &rng, 0), ==, 1000);
  row = ps_arrival_current_row (&spec, &state);
  g_assert_cmpuint (row->priority, ==, 1);
  g_assert_cmpint (row->work, ==, PS_REPLAY_NO_WORK);
  g_assert_cmpint (ps_arrival_next (&spec, &state, &rng, 1000), ==, 3000);
  g_assert_cmpuint (ps_arrival_current_row (&spec, &state)->priority, ==, 0);
  g_assert_cmpint (ps_arrival_current_row (&spec, &state)->work, ==, 70);
  g_assert_cmpint (ps_arrival_next (&spec, &state, &rng, 3000), ==, 3000);
  g_assert_cmpuint (ps_arrival_current_row (&spec, &state)->priority, ==, 4);
  g_assert_cmpint (ps_arrival_next (&spec, &state, &rng, 3000), ==, PS_TIME_NEVER);

  ps_arrival_state_init (&state, &spec, 1);
  g_assert_cmpint (ps_arrival_next (&spec, &state, &rng, 0), ==, 2000);
  g_assert_cmpint (ps_arrival_current_row (&spec, &state)->work, ==, 90);
  g_assert_cmpint (ps_arrival_next (&spec, &state, &rng, 2000), ==, 5000);
  g_assert_cmpint (ps_arrival_next (&spec, &state, &rng, 5000), ==, PS_TIME_NEVER);
  spec.replay = NULL;                    /* owned by the test */
}

/* --- determinism ---------------------------------------------------------- */

static void
test_same_stream_same_times (void)
{
  PsProfilePoint points[] = { { 0, 0.2 }, { PS_TIME_FROM_SEC (60), 3.0 } };
  PsArrivalSpec specs[] = {
    { .process = PS_ARRIVAL_POISSON, .rate = 3 },
    { .process = PS_ARRIVAL_POISSON, .rate = 3, .profile = points, .n_profile = 2,
      .profile_max = 3.0 },
    { .process = PS_ARRIVAL_CONSTANT, .interval = 250000, .jitter = 1000 },
    { .process = PS_ARRIVAL_ONOFF, .on_rate = 9, .off_rate = 0.1,
      .on_mean = 2000000, .off_mean = 5000000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      PsRng a, b, c;
      PsArrivalState sa = { .started = 0 }, sb = { .started = 0 }, sc = { .started = 0 };
      PsTime ta = 0, tb = 0, tc = 0;
      guint same = 0;

      ps_rng_init (&a, SEED, 11);
      ps_rng_init (&b, SEED, 11);
      ps_rng_init (&c, SEED, 12);
      for (int k = 0; k < 2000; k++)
        {
          ta = ps_arrival_next (&specs[i], &sa, &a, ta);
          tb = ps_arrival_next (&specs[i], &sb, &b, tb);
          tc = ps_arrival_next (&specs[i], &sc, &c, tc);
          g_assert_cmpint (ta, ==, tb);
          same += ta == tc;
        }
      g_assert_cmpuint (same, <, 100);   /* another stream, other times */
    }
}

/* --- cost ----------------------------------------------------------------- */

/* Seconds to generate workload (b)'s arrivals for @n_clients clients:
 * the calls the simulator makes per arrival (next time, work), and with
 * @heap also its event-queue traffic (one pending arrival per client,
 * popped in time order), as in ps-sim.c. */
static double
generate_b (gboolean heap, guint64 *out_n)
{
  const PsArrivalSpec spec = { .process = PS_ARRIVAL_POISSON, .rate = 0.05 };
  const PsDist work = { PS_DIST_EXPONENTIAL, 500000, 0 };
  const PsTime end = PS_TIME_FROM_SEC (3600);
  const guint32 n_clients = 10000;
  g_autofree PsRng *rngs = g_new (PsRng, n_clients);
  g_autofree PsArrivalState *states = g_new0 (PsArrivalState, n_clients);
  g_autoptr(PsEventQueue) queue = ps_event_queue_new ();
  gint64 start = g_get_monotonic_time ();
  guint64 n = 0, sink = 0;
  PsEvent ev;

  for (guint32 c = 0; c < n_clients; c++)
    ps_rng_init (&rngs[c], 1, ps_rng_stream_id ("c", c));
  if (!heap)
    for (guint32 c = 0; c < n_clients; c++)
      {
        PsTime t = 0;

        while ((t = ps_arrival_next (&spec, &states[c], &rngs[c], t)) < end)
          {
            sink += (guint64) ps_dist_sample (&work, &rngs[c]);
            n++;
          }
      }
  else
    {
      for (guint32 c = 0; c < n_clients; c++)
        ps_event_queue_push (queue, ps_arrival_next (&spec, &states[c], &rngs[c], 0),
                             1, 1, c, 0);
      while (ps_event_queue_pop (queue, &ev) && ev.time < end)
        {
          PsTime next;

          sink += (guint64) ps_dist_sample (&work, &rngs[ev.target]);
          n++;
          next = ps_arrival_next (&spec, &states[ev.target], &rngs[ev.target], ev.time);
          if (next < end)
            ps_event_queue_push (queue, next, 1, 1, ev.target, 0);
        }
    }
  g_assert_cmpuint (sink, >, 0);       /* the work draws are used */
  *out_n = n;
  return (double) (g_get_monotonic_time () - start) / 1e6;
}

/* Reference workload (b) of the bench: 10,000 clients, Poisson 0.05/s,
 * 1 h, 200 workers, exponential 500 ms, 60/min.  Times the generation of
 * its arrivals alone (best of three) against the whole run (best of two),
 * with and without requests.csv.  A timing, so only with -m perf. */
static void
test_cost_workload_b (void)
{
  static const char scenario[] =
    "{ \"name\": \"bench-b\", \"seed\": 1, \"duration\": \"1h\","
    "  \"server\": { \"workers\": 200, \"queue\": 0,"
    "    \"service_time\": { \"dist\": \"exponential\", \"mean\": \"500ms\" },"
    "    \"quota\": { \"algorithm\": \"fixed_window\", \"limit\": 60, \"window\": \"1m\" } },"
    "  \"clients\": [ { \"group\": \"c\", \"count\": 10000,"
    "    \"arrival\": { \"process\": \"poisson\", \"rate\": 0.05 } } ],"
    "  \"output\": { \"requests\": %s } }";
  double whole[2] = { G_MAXDOUBLE, G_MAXDOUBLE }, alone = G_MAXDOUBLE;
  double with_heap = G_MAXDOUBLE;
  guint64 n = 0;

  if (!g_test_perf ())
    {
      g_test_skip ("a timing: run with -m perf");
      return;
    }
  for (int rep = 0; rep < 3; rep++)
    {
      alone = MIN (alone, generate_b (FALSE, &n));
      with_heap = MIN (with_heap, generate_b (TRUE, &n));
    }
  for (int rep = 0; rep < 2; rep++)
    for (int requests = 0; requests < 2; requests++)
      {
        g_autofree char *json = g_strdup_printf (scenario, requests ? "true" : "false");
        g_autoptr(PsScenario) sc = ps_test_scenario (json, NULL);
        g_autofree char *dir = ps_test_tmpdir ();
        g_autoptr(GError) error = NULL;
        gint64 start = g_get_monotonic_time ();

        g_assert_true (ps_test_run_to_dir (sc, dir, NULL, &error));
        whole[requests] = MIN (whole[requests],
                               (double) (g_get_monotonic_time () - start) / 1e6);
        ps_test_rmdir (dir);
      }
  g_test_message ("workload (b): %" G_GUINT64_FORMAT " arrivals generated in %.3f s "
                  "(%.0f ns each), %.3f s through the event queue; whole run %.3f s "
                  "without requests.csv, %.3f s with it: arrivals cost %.1f%% "
                  "(%.1f%% with the queue) of the run without requests.csv",
                  n, alone, alone / (double) n * 1e9, with_heap, whole[0], whole[1],
                  100 * alone / whole[0], 100 * with_heap / whole[0]);
  g_test_minimized_result (100 * with_heap / whole[0], "arrivals: %.1f%% of the run",
                           100 * with_heap / whole[0]);
  g_assert_cmpfloat (with_heap, <, 0.2 * whole[0]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/arrival/poisson/draws-unchanged", test_draws_unchanged);
  g_test_add_func ("/arrival/poisson/statistics", test_poisson_statistics);
  g_test_add_func ("/arrival/constant/statistics", test_constant_statistics);
  g_test_add_func ("/arrival/onoff/statistics", test_onoff_statistics);
  g_test_add_func ("/arrival/onoff/silent-off", test_onoff_silent_off);
  g_test_add_func ("/arrival/profile/segments", test_profile_segments);
  g_test_add_func ("/arrival/profile/ends", test_profile_ends);
  g_test_add_func ("/arrival/replay/order", test_replay_order);
  g_test_add_func ("/arrival/determinism/same-stream-same-times",
                   test_same_stream_same_times);
  g_test_add_func ("/arrival/cost/workload-b", test_cost_workload_b);
  return g_test_run ();
}
