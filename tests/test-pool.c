/* test-pool.c: workers, the server queue, and the admission order */
#include "ps-pool.h"
#include "ps-quota.h"
#include "ps-server.h"

static void
test_fill_then_queue_then_full (void)
{
  g_autoptr(PsPool) pool = ps_pool_new (2, 1);
  guint32 next = 0;

  g_assert_cmpint (ps_pool_offer (pool, 10, 0), ==, PS_POOL_STARTED);
  g_assert_cmpint (ps_pool_offer (pool, 11, 0), ==, PS_POOL_STARTED);
  g_assert_cmpint (ps_pool_offer (pool, 12, 0), ==, PS_POOL_QUEUED);
  g_assert_false (ps_pool_has_room (pool));
  g_assert_cmpint (ps_pool_offer (pool, 13, 0), ==, PS_POOL_FULL);
  g_assert_cmpuint (ps_pool_get_busy (pool), ==, 2);
  g_assert_cmpuint (ps_pool_get_queued (pool), ==, 1);

  g_assert_true (ps_pool_finish (pool, 5, &next));   /* handed to the queued one */
  g_assert_cmpuint (next, ==, 12);
  g_assert_cmpuint (ps_pool_get_busy (pool), ==, 2);
  g_assert_false (ps_pool_finish (pool, 6, &next));
  g_assert_cmpuint (ps_pool_get_busy (pool), ==, 1);
  g_assert_cmpuint (ps_pool_get_max_busy (pool), ==, 2);
}

static void
test_queue_is_fifo (void)
{
  g_autoptr(PsPool) pool = ps_pool_new (1, 100);
  guint32 next;

  ps_pool_offer (pool, 0, 0);
  for (guint32 h = 1; h <= 100; h++)
    g_assert_cmpint (ps_pool_offer (pool, h, 0), ==, PS_POOL_QUEUED);
  for (guint32 h = 1; h <= 100; h++)
    {
      g_assert_true (ps_pool_finish (pool, h, &next));
      g_assert_cmpuint (next, ==, h);
      if (h % 3 == 0)                    /* refill to wrap the ring */
        g_assert_cmpint (ps_pool_offer (pool, 1000 + h, h), ==, PS_POOL_QUEUED);
    }
  for (guint32 h = 3; h <= 99; h += 3)
    {
      g_assert_true (ps_pool_finish (pool, 200, &next));
      g_assert_cmpuint (next, ==, 1000 + h);
    }
}

/* Occupancy integral: 1 request for 10 µs, then 2 for 5 µs = 20. */
static void
test_busy_integral (void)
{
  g_autoptr(PsPool) pool = ps_pool_new (4, 0);
  guint32 next;

  ps_pool_offer (pool, 1, 0);
  ps_pool_offer (pool, 2, 10);
  g_assert_cmpfloat (ps_pool_busy_integral (pool, 15), ==, 20.0);
  ps_pool_finish (pool, 15, &next);
  ps_pool_finish (pool, 15, &next);
  g_assert_cmpfloat (ps_pool_busy_integral (pool, 1000), ==, 20.0);
}

static PsServer *
make_server (guint workers, guint queue, guint32 limit)
{
  PsQuotaPolicy policy = { PS_QUOTA_FIXED_WINDOW, limit, PS_TIME_FROM_SEC (60), 0, "minute" };
  PsQuota *quota = ps_quota_new ();
  guint tier = ps_quota_add_tier (quota, &policy, 1);

  ps_quota_add_subject (quota, tier);
  ps_quota_add_subject (quota, tier);
  return ps_server_new (quota, ps_pool_new (workers, queue), 1);
}

/* A 503 must not spend quota; a 429 wins over a 503. */
static void
test_server_rejections_charge_nothing (void)
{
  g_autoptr(PsServer) server = make_server (1, 0, 2);
  PsAdmission adm;
  guint32 next;

  g_assert_cmpint (ps_server_offer (server, 0, 1, 0, &adm), ==, PS_ADMIT_STARTED);
  g_assert_cmpuint (adm.quota.remaining, ==, 1);
  g_assert_cmpint (ps_server_offer (server, 0, 2, 1, &adm), ==, PS_ADMIT_REJECT_503);
  g_assert_cmpint (adm.retry_after_s, ==, 1);
  g_assert_cmpint (ps_server_offer (server, 0, 3, 2, &adm), ==, PS_ADMIT_REJECT_503);
  ps_server_finish (server, 3, &next);
  /* Two 503s later the second request of the window is still admitted. */
  g_assert_cmpint (ps_server_offer (server, 0, 4, 4, &adm), ==, PS_ADMIT_STARTED);
  g_assert_cmpuint (adm.quota.remaining, ==, 0);
  /* Over quota and pool full: 429, with the time to the window's end. */
  g_assert_cmpint (ps_server_offer (server, 0, 5, PS_TIME_FROM_SEC (59) + 1, &adm),
                   ==, PS_ADMIT_REJECT_429);
  g_assert_cmpint (adm.retry_after_s, ==, 1);
  g_assert_cmpint (adm.quota.retry_after, ==, PS_TIME_FROM_SEC (1) - 1);
  /* The other subject is unaffected by this one's quota. */
  ps_server_finish (server, PS_TIME_FROM_SEC (59) + 2, &next);
  g_assert_cmpint (ps_server_offer (server, 1, 6, PS_TIME_FROM_SEC (59) + 3, &adm),
                   ==, PS_ADMIT_STARTED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pool/fill-queue-full", test_fill_then_queue_then_full);
  g_test_add_func ("/pool/queue-is-fifo", test_queue_is_fifo);
  g_test_add_func ("/pool/busy-integral", test_busy_integral);
  g_test_add_func ("/server/rejections-charge-nothing", test_server_rejections_charge_nothing);
  return g_test_run ();
}
