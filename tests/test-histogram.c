/* test-histogram.c: quantiles within the promised precision, exact stats */
#include <math.h>

#include "ps-histogram.h"
#include "ps-record.h"
#include "ps-rng.h"

static int
cmp_time (gconstpointer a, gconstpointer b)
{
  PsTime x = *(const PsTime *) a, y = *(const PsTime *) b;

  return x < y ? -1 : x > y;
}

/* Against exact nearest-rank quantiles of the same samples: relative error
 * at most 1/256 (half a bucket of 1/128), exact below 256 µs. */
static void
test_against_sorted (gconstpointer data)
{
  guint seed = GPOINTER_TO_UINT (data);
  g_autoptr(PsHistogram) h = ps_histogram_new ();
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (PsTime));
  const double qs[] = { 0.0, 0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0 };
  PsRng rng;
  double sum = 0;

  ps_rng_init (&rng, seed, 0);
  for (int i = 0; i < 20000; i++)
    {
      /* log-uniform from 1 µs to ~20 min */
      PsTime v = (PsTime) exp (ps_rng_double (&rng) * 21.0);
      ps_histogram_add (h, v);
      g_array_append_val (all, v);
      sum += (double) v;
    }
  g_array_sort (all, cmp_time);
  for (guint i = 0; i < G_N_ELEMENTS (qs); i++)
    {
      guint64 rank = (guint64) ceil (qs[i] * all->len);
      PsTime exact = g_array_index (all, PsTime, CLAMP (rank, 1, all->len) - 1);
      PsTime got = ps_histogram_quantile (h, qs[i]);

      if (exact < 256)
        g_assert_cmpint (got, ==, exact);
      else
        g_assert_cmpfloat (fabs ((double) (got - exact)) / (double) exact, <=, 1.0 / 256);
    }
  g_assert_cmpint (ps_histogram_max (h), ==, g_array_index (all, PsTime, all->len - 1));
  g_assert_cmpint (ps_histogram_min (h), ==, g_array_index (all, PsTime, 0));
  g_assert_cmpfloat (fabs (ps_histogram_mean (h) - sum / all->len), <, 1e-6 * sum / all->len);
}

static void
test_empty (void)
{
  g_autoptr(PsHistogram) h = ps_histogram_new ();

  g_assert_cmpuint (ps_histogram_count (h), ==, 0);
  g_assert_cmpint (ps_histogram_quantile (h, 0.5), ==, 0);
  g_assert_cmpint (ps_histogram_max (h), ==, 0);
}

static void
test_jain (void)
{
  const guint64 equal[] = { 5, 5, 5, 5 };
  const guint64 one[] = { 8, 0, 0, 0 };
  const guint64 zero[] = { 0, 0 };

  g_assert_cmpfloat (ps_jain_index (equal, 4), ==, 1.0);
  g_assert_cmpfloat (fabs (ps_jain_index (one, 4) - 0.25), <, 1e-12);
  g_assert_true (isnan (ps_jain_index (zero, 2)));
  {
    /* A group starved while another is served: fair by counts, not by shares. */
    const guint64 completed[] = { 10, 10, 10, 10 }, generated[] = { 10, 10, 1000, 1000 };
    const guint64 all_served[] = { 10, 10, 1000, 1000 }, idle[] = { 0, 0 };

    g_assert_cmpfloat (ps_jain_index (completed, 4), ==, 1.0);
    g_assert_cmpfloat (fabs (ps_jain_index_served (completed, generated, 4) - 0.51), <, 0.001);
    g_assert_cmpfloat (ps_jain_index (all_served, 4), <, 0.6);
    g_assert_cmpfloat (ps_jain_index_served (all_served, generated, 4), ==, 1.0);
    g_assert_true (isnan (ps_jain_index_served (idle, idle, 2)));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint seed = 1; seed <= 5; seed++)
    {
      g_autofree char *path = g_strdup_printf ("/histogram/against-sorted/seed:%u", seed);
      g_test_add_data_func (path, GUINT_TO_POINTER (seed), test_against_sorted);
    }
  g_test_add_func ("/histogram/empty", test_empty);
  g_test_add_func ("/fairness/jain", test_jain);
  return g_test_run ();
}
