/* test-client.c: the client's queue discipline and its reactions */
#include "ps-client.h"
#include "ps-request-queue.h"

typedef struct
{
  PsClientPolicy  policy;
  PsClient        client;
  PsRequestTable *table;
  guint64         next_id;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->policy = (PsClientPolicy) {
    .concurrency = 1, .on_429 = PS_ON_429_WAIT_RESET, .on_503 = PS_ON_503_BACKOFF,
    .backoff_base = PS_TIME_FROM_MS (500), .backoff_cap = PS_TIME_FROM_SEC (30),
  };
  ps_client_init (&f->client, 0, &f->policy, 1, 1);
  f->table = ps_request_table_new ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  ps_client_clear (&f->client);
  ps_request_table_free (f->table);
}

static guint32
add (Fixture *f, guint priority, PsTime now)
{
  guint32 slot = ps_request_table_alloc (f->table);
  PsRequest *req = ps_request_table_get (f->table, slot);

  req->id = f->next_id++;
  req->priority = (guint8) priority;
  req->created = now;
  ps_client_enqueue (&f->client, f->table, slot);
  return slot;
}

static guint64
next_id (Fixture *f, PsTime now)
{
  guint32 slot = ps_client_next (&f->client, f->table, now);

  return slot == PS_NO_SLOT ? G_MAXUINT64 : ps_request_table_get (f->table, slot)->id;
}

/* Priority first, FIFO within a priority. */
static void
test_priority_then_fifo (Fixture *f, gconstpointer data)
{
  const guint prio[] = { 2, 0, 1, 0, 2, 1 };
  const guint64 expected[] = { 1, 3, 2, 5, 0, 4 };

  f->policy.concurrency = 0;
  for (guint i = 0; i < G_N_ELEMENTS (prio); i++)
    add (f, prio[i], 0);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (next_id (f, 0), ==, expected[i]);
  g_assert_cmpuint (next_id (f, 0), ==, G_MAXUINT64);
  g_assert_cmpuint (f->client.outstanding, ==, 6);
}

static void
test_concurrency_limit (Fixture *f, gconstpointer data)
{
  guint32 first;

  f->policy.concurrency = 2;
  for (int i = 0; i < 3; i++)
    add (f, 0, 0);
  first = ps_client_next (&f->client, f->table, 0);
  g_assert_cmpuint (first, !=, PS_NO_SLOT);
  g_assert_cmpuint (next_id (f, 0), ==, 1);
  g_assert_cmpuint (next_id (f, 0), ==, G_MAXUINT64);   /* two outstanding */
  ps_client_on_response (&f->client, f->table, first, 200, 0, 10);
  g_assert_cmpuint (next_id (f, 10), ==, 2);
  g_assert_cmpuint (f->client.completed, ==, 1);
  g_assert_cmpint (f->client.latency_sum, ==, 10);
}

/* wait_reset: back in the queue at its old place, pause for Retry-After. */
static void
test_wait_reset (Fixture *f, gconstpointer data)
{
  guint32 s0 = add (f, 1, 0);
  PsReaction r;

  g_assert_cmpuint (ps_client_next (&f->client, f->table, 5), ==, s0);
  add (f, 1, 6);                                       /* newer, same priority */
  r = ps_client_on_response (&f->client, f->table, s0, 429, 37, 7);
  g_assert_cmpint (r.kind, ==, PS_REACTION_REQUEUED);
  g_assert_true (r.began_pause);
  g_assert_cmpint (r.resume_at, ==, 7 + PS_TIME_FROM_SEC (37));
  g_assert_cmpuint (next_id (f, 8), ==, G_MAXUINT64);  /* paused */
  g_assert_false (ps_client_resume (&f->client, r.resume_at - 1));
  g_assert_true (ps_client_resume (&f->client, r.resume_at));
  g_assert_cmpuint (next_id (f, r.resume_at), ==, 0);  /* the old one first */
  g_assert_cmpuint (ps_request_table_get (f->table, s0)->attempts, ==, 2);
  g_assert_cmpuint (ps_request_table_get (f->table, s0)->n429, ==, 1);
  g_assert_cmpint (ps_request_table_get (f->table, s0)->first_sent, ==, 5);
}

static void
test_drop_on_429 (Fixture *f, gconstpointer data)
{
  guint32 s = add (f, 0, 0);
  PsReaction r;

  f->policy.on_429 = PS_ON_429_DROP;
  ps_client_next (&f->client, f->table, 0);
  r = ps_client_on_response (&f->client, f->table, s, 429, 5, 1);
  g_assert_cmpint (r.kind, ==, PS_REACTION_REJECTED);
  g_assert_cmpint (ps_request_table_get (f->table, s)->outcome, ==, PS_OUTCOME_REJECTED);
  g_assert_cmpuint (f->client.rejected, ==, 1);
  g_assert_false (ps_client_is_paused (&f->client, 1));
}

/* Full jitter: each delay within [0, min(cap, base * 2^(n-1))]. */
static void
test_backoff_bounds (Fixture *f, gconstpointer data)
{
  PsTime now = 0;
  PsTime largest = 0;

  add (f, 0, 0);
  for (guint n = 1; n <= 12; n++)
    {
      guint32 s = ps_client_next (&f->client, f->table, now);
      PsReaction r;
      PsTime ceiling = MIN (PS_TIME_FROM_MS (500) << (n - 1), PS_TIME_FROM_SEC (30));

      g_assert_cmpuint (s, !=, PS_NO_SLOT);
      r = ps_client_on_response (&f->client, f->table, s, 503, 1, now);
      g_assert_cmpint (r.kind, ==, PS_REACTION_REQUEUED);
      g_assert_cmpint (r.resume_at - now, >=, 0);
      g_assert_cmpint (r.resume_at - now, <=, ceiling);
      largest = MAX (largest, r.resume_at - now);
      now = r.resume_at;
      ps_client_resume (&f->client, now);
    }
  g_assert_cmpint (largest, >, PS_TIME_FROM_SEC (1));  /* it does grow */
}

static void
test_queue_limit_drops_newest (Fixture *f, gconstpointer data)
{
  guint32 s;

  f->policy.queue_limit = 2;
  add (f, 0, 0);
  add (f, 0, 0);
  s = add (f, 0, 0);
  g_assert_cmpint (ps_request_table_get (f->table, s)->outcome, ==, PS_OUTCOME_DROPPED);
  g_assert_cmpint (ps_request_table_get (f->table, s)->state, ==, PS_REQUEST_DONE);
  g_assert_cmpuint (f->client.generated, ==, 3);
  g_assert_cmpuint (f->client.dropped, ==, 1);
  g_assert_cmpuint (f->client.queued, ==, 2);
}

/* A timed-out request leaves a stale heap entry that is skipped. */
static void
test_expire_skips_stale (Fixture *f, gconstpointer data)
{
  guint32 s0 = add (f, 0, 0);

  add (f, 1, 0);
  g_assert_true (ps_client_expire (&f->client, ps_request_table_get (f->table, s0)));
  g_assert_cmpuint (f->client.queued, ==, 1);
  ps_request_table_release (f->table, s0);
  g_assert_cmpuint (next_id (f, 0), ==, 1);
  g_assert_cmpuint (f->client.dropped, ==, 1);
}

/* Refused after its timeout has passed: dropped, not retried. */
static void
test_refused_after_timeout (Fixture *f, gconstpointer data)
{
  guint32 s = add (f, 0, 0);
  PsReaction r;

  f->policy.timeout = 100;
  ps_client_next (&f->client, f->table, 0);
  r = ps_client_on_response (&f->client, f->table, s, 429, 1, 100);
  g_assert_cmpint (r.kind, ==, PS_REACTION_DROPPED);
  g_assert_cmpuint (f->client.dropped, ==, 1);
}

/* self_throttle: told that nothing remains, the client holds its queue
 * until the reset it was told about, without sending. */
static void
test_self_throttle_holds (Fixture *f, gconstpointer data)
{
  guint32 s0 = add (f, 0, 0);
  PsTime until;
  gboolean began;

  f->policy.on_429 = PS_ON_429_SELF_THROTTLE;
  f->policy.concurrency = 0;
  add (f, 0, 0);
  add (f, 0, 0);
  g_assert_cmpuint (ps_client_next (&f->client, f->table, 0), ==, s0);
  ps_client_on_response (&f->client, f->table, s0, 200, 0, 10);
  ps_client_note_quota (&f->client, 1, 30, 10);          /* r=1, t=30 */
  g_assert_cmpuint (next_id (f, 10), ==, 1);             /* spends the last one */
  g_assert_false (ps_client_take_hold (&f->client, &until, &began));
  g_assert_cmpuint (next_id (f, 11), ==, G_MAXUINT64);   /* holds: none left */
  g_assert_true (ps_client_take_hold (&f->client, &until, &began));
  g_assert_true (began);
  g_assert_cmpint (until, ==, 10 + PS_TIME_FROM_SEC (30));
  g_assert_false (ps_client_take_hold (&f->client, &until, &began));   /* once */
  g_assert_cmpuint (next_id (f, until - 1), ==, G_MAXUINT64);
  g_assert_true (ps_client_resume (&f->client, until));
  g_assert_cmpuint (next_id (f, until), ==, 2);          /* a new window */
}

/* A wrong estimate still meets a 429 correctly: requeue and wait. */
static void
test_self_throttle_429 (Fixture *f, gconstpointer data)
{
  guint32 s0 = add (f, 0, 0);
  PsReaction r;

  f->policy.on_429 = PS_ON_429_SELF_THROTTLE;
  ps_client_next (&f->client, f->table, 0);
  r = ps_client_on_response (&f->client, f->table, s0, 429, 12, 5);
  g_assert_cmpint (r.kind, ==, PS_REACTION_REQUEUED);
  g_assert_cmpint (r.resume_at, ==, 5 + PS_TIME_FROM_SEC (12));
  ps_client_resume (&f->client, r.resume_at);
  g_assert_cmpuint (next_id (f, r.resume_at), ==, 0);
}

static void
test_request_queue_order (void)
{
  PsRequestQueue q = PS_REQUEST_QUEUE_INIT;
  PsQueueEntry e;
  guint64 last = 0;

  for (guint64 i = 0; i < 1000; i++)
    ps_request_queue_push (&q, (guint) ((i * 7919) % 5), i, (guint32) i);
  for (guint i = 0; i < 1000; i++)
    {
      g_assert_true (ps_request_queue_pop (&q, &e));
      if (i > 0)
        g_assert_cmpuint (e.key, >, last);     /* strictly increasing */
      g_assert_cmpuint (e.slot, ==, ps_queue_entry_id (&e));
      last = e.key;
    }
  g_assert_false (ps_request_queue_pop (&q, &e));
  ps_request_queue_clear (&q);
}

static int
cmp_u64 (gconstpointer a, gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* Random pushes, pops and pop-then-push-back (the lazy pop's fast path)
 * against a sorted array of keys. */
/* One priority, as most clients have: new keys at the back, refused ones
 * back at the front, and some put back only later, when others have gone
 * ahead (a retry after a back-off), against a sorted array of keys.  The
 * ring wraps, grows and empties many times over. */
static void
test_request_queue_one_priority (void)
{
  PsRequestQueue q = PS_REQUEST_QUEUE_INIT;
  g_autoptr(GArray) ref = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) held = g_array_new (FALSE, FALSE, sizeof (guint64));
  PsRng rng;
  PsQueueEntry e;
  guint64 next_id = 0;

  ps_rng_init (&rng, 78, 0);
  for (int step = 0; step < 40000; step++)
    {
      guint op = (guint) ps_rng_below (&rng, 6);
      guint64 key;

      if (op <= 1 || ref->len == 0)
        {
          if (op == 1 && held->len > 0)           /* a retry comes back */
            {
              guint i = (guint) ps_rng_below (&rng, held->len);

              key = g_array_index (held, guint64, i);
              g_array_remove_index_fast (held, i);
            }
          else
            key = next_id++;
          ps_request_queue_push (&q, 0, key, (guint32) key);
          g_array_append_val (ref, key);
          g_array_sort (ref, cmp_u64);
          continue;
        }
      g_assert_true (ps_request_queue_pop (&q, &e));
      g_assert_cmpuint (e.key, ==, g_array_index (ref, guint64, 0));
      g_assert_cmpuint (e.slot, ==, (guint32) e.key);
      if (op == 2)                              /* refused: back at once */
        ps_request_queue_push (&q, 0, e.key, e.slot);
      else
        {
          g_array_remove_index (ref, 0);
          if (op == 3 && held->len < 50)
            g_array_append_val (held, e.key);
        }
    }
  while (ref->len > 0)
    {
      g_assert_true (ps_request_queue_peek (&q, &e));
      g_assert_cmpuint (e.key, ==, g_array_index (ref, guint64, 0));
      g_assert_true (ps_request_queue_pop (&q, &e));
      g_assert_cmpuint (e.key, ==, g_array_index (ref, guint64, 0));
      g_array_remove_index (ref, 0);
    }
  g_assert_false (ps_request_queue_pop (&q, &e));
  ps_request_queue_clear (&q);
}

static void
test_request_queue_random (void)
{
  PsRequestQueue q = PS_REQUEST_QUEUE_INIT;
  g_autoptr(GArray) ref = g_array_new (FALSE, FALSE, sizeof (guint64));
  PsRng rng;
  PsQueueEntry e;
  guint64 next_id = 0;

  ps_rng_init (&rng, 77, 0);
  for (int step = 0; step < 20000; step++)
    {
      guint op = (guint) ps_rng_below (&rng, 3);

      if (op == 0 || ref->len == 0)
        {
          guint prio = (guint) ps_rng_below (&rng, 4);
          guint64 key = (guint64) prio << 56 | next_id;

          ps_request_queue_push (&q, prio, next_id++, 0);
          g_array_append_val (ref, key);
          g_array_sort (ref, cmp_u64);
        }
      else
        {
          g_assert_true (ps_request_queue_pop (&q, &e));
          g_assert_cmpuint (e.key, ==, g_array_index (ref, guint64, 0));
          if (op == 2)                          /* refused: back it goes */
            ps_request_queue_push (&q, (guint) (e.key >> 56), ps_queue_entry_id (&e), 0);
          else
            g_array_remove_index (ref, 0);
        }
    }
  while (ref->len > 0)
    {
      g_assert_true (ps_request_queue_pop (&q, &e));
      g_assert_cmpuint (e.key, ==, g_array_index (ref, guint64, 0));
      g_array_remove_index (ref, 0);
    }
  g_assert_false (ps_request_queue_pop (&q, &e));
  ps_request_queue_clear (&q);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/client/priority-then-fifo", test_priority_then_fifo);
  ADD ("/client/concurrency-limit", test_concurrency_limit);
  ADD ("/client/429/wait-reset", test_wait_reset);
  ADD ("/client/429/drop", test_drop_on_429);
  ADD ("/client/503/backoff-bounds", test_backoff_bounds);
  ADD ("/client/queue-limit-drops-newest", test_queue_limit_drops_newest);
  ADD ("/client/timeout/expire-skips-stale", test_expire_skips_stale);
  ADD ("/client/timeout/refused-after-timeout", test_refused_after_timeout);
  ADD ("/client/429/self-throttle-holds", test_self_throttle_holds);
  ADD ("/client/429/self-throttle-meets-429", test_self_throttle_429);
#undef ADD
  g_test_add_func ("/request-queue/order", test_request_queue_order);
  g_test_add_func ("/request-queue/random-with-put-back", test_request_queue_random);
  g_test_add_func ("/request-queue/one-priority", test_request_queue_one_priority);
  return g_test_run ();
}
