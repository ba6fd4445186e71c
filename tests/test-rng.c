/* test-rng.c: the random streams are reproducible, independent and uniform */
#include <math.h>

#include "ps-rng.h"
#include "ps-time.h"

static void
test_reproducible (void)
{
  PsRng a, b;

  ps_rng_init (&a, 42, 7);
  ps_rng_init (&b, 42, 7);
  for (int i = 0; i < 1000; i++)
    g_assert_cmpuint (ps_rng_next (&a), ==, ps_rng_next (&b));
}

static void
test_streams_differ (void)
{
  PsRng a, b, c;

  ps_rng_init (&a, 42, 7);
  ps_rng_init (&b, 42, 8);
  ps_rng_init (&c, 43, 7);
  g_assert_cmpuint (ps_rng_next (&a), !=, ps_rng_next (&b));
  ps_rng_init (&a, 42, 7);
  g_assert_cmpuint (ps_rng_next (&a), !=, ps_rng_next (&c));
}

/* Reference output of xoshiro256** from the state {1, 2, 3, 4}. */
static void
test_reference_vector (void)
{
  PsRng r = { { 1, 2, 3, 4 } };
  const guint64 expected[] = {
    G_GUINT64_CONSTANT (11520), G_GUINT64_CONSTANT (0),
    G_GUINT64_CONSTANT (1509978240), G_GUINT64_CONSTANT (1215971899390074240),
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (ps_rng_next (&r), ==, expected[i]);
}

/* Mean of 10^6 uniforms: sd of the mean is sqrt(1/12/1e6) = 2.9e-4, so a
 * tolerance of 2e-3 is about 7 sd. */
static void
test_uniform_mean (void)
{
  PsRng r;
  double sum = 0;
  const int n = 1000000;

  ps_rng_init (&r, 1, 1);
  for (int i = 0; i < n; i++)
    {
      double u = ps_rng_double (&r);
      g_assert_cmpfloat (u, >=, 0.0);
      g_assert_cmpfloat (u, <, 1.0);
      sum += u;
    }
  g_assert_cmpfloat (fabs (sum / n - 0.5), <, 2e-3);
}

static void
test_below_bounds (void)
{
  PsRng r;
  guint counts[7] = { 0 };

  ps_rng_init (&r, 5, 5);
  for (int i = 0; i < 70000; i++)
    counts[ps_rng_below (&r, 7)]++;
  /* Each count ~ Binomial(70000, 1/7): mean 10000, sd 92; 600 is 6.5 sd. */
  for (int i = 0; i < 7; i++)
    g_assert_cmpuint (ABS ((int) counts[i] - 10000), <, 600);
}

static void
test_stream_id_by_name (void)
{
  g_assert_cmpuint (ps_rng_stream_id ("public", 3), ==, ps_rng_stream_id ("public", 3));
  g_assert_cmpuint (ps_rng_stream_id ("public", 3), !=, ps_rng_stream_id ("public", 4));
  g_assert_cmpuint (ps_rng_stream_id ("public", 3), !=, ps_rng_stream_id ("partner", 3));
}

/* ps_time_round_us() is llround() for every value it is given: halves,
 * the doubles either side of them, values past 2^52, and many samples. */
static void
test_round_us_is_llround (void)
{
  static const double edge[] = {
    0, 0.5, 1.5, 2.5, 0.49999999999999994, 1e-300, 4503599627370495.5,
    4503599627370496.0, 9007199254740993.0, 4.6e18, 9.2e18, 123456.5, 7.0,
  };
  PsRng rng;

  for (guint i = 0; i < G_N_ELEMENTS (edge); i++)
    {
      double x = edge[i];

      g_assert_cmpint (ps_time_round_us (x), ==, llround (x));
      g_assert_cmpint (ps_time_round_us (nextafter (x, 0)), ==, llround (nextafter (x, 0)));
      if (x < 9.2e18)
        g_assert_cmpint (ps_time_round_us (nextafter (x, 1e19)), ==,
                         llround (nextafter (x, 1e19)));
    }
  ps_rng_init (&rng, 5, 0);
  for (guint i = 0; i < 1000000; i++)
    {
      double x = -2e5 * log (ps_rng_double_open (&rng));
      double half = floor (x) + 0.5;

      g_assert_cmpint (ps_time_round_us (x), ==, llround (x));
      g_assert_cmpint (ps_time_round_us (half), ==, llround (half));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rng/reproducible", test_reproducible);
  g_test_add_func ("/rng/streams-differ", test_streams_differ);
  g_test_add_func ("/rng/reference-vector", test_reference_vector);
  g_test_add_func ("/rng/uniform-mean", test_uniform_mean);
  g_test_add_func ("/rng/below-is-uniform", test_below_bounds);
  g_test_add_func ("/rng/stream-id-by-name", test_stream_id_by_name);
  g_test_add_func ("/rng/round-us-is-llround", test_round_us_is_llround);
  return g_test_run ();
}
