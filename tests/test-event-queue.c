/* test-event-queue.c: the future-event set against a sorted reference
 *
 * Random programs of pushes, peeks and pops (a pop followed by the pushes
 * its handler would make) run on the queue and on a plain array kept
 * sorted by (time, order); every event must come out in the same order.
 * The seed is in the test path, so a failure says how to rerun it.
 */
#include "ps-event-queue.h"
#include "ps-rng.h"

typedef struct
{
  PsTime  time;
  guint   klass;
  guint64 seq;
  guint32 target;
} Ref;

static int
ref_cmp (gconstpointer a, gconstpointer b)
{
  const Ref *x = a, *y = b;

  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  if (x->klass != y->klass)
    return x->klass < y->klass ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
ref_push (GArray *ref, PsEventQueue *q, guint64 *seq, PsTime time, guint klass, guint32 target)
{
  Ref r = { time, klass, (*seq)++, target };

  g_array_append_val (ref, r);
  g_array_sort (ref, ref_cmp);
  ps_event_queue_push (q, time, klass, 7, target, 0);
}

static void
check_next (GArray *ref, const PsEvent *ev)
{
  const Ref *r = &g_array_index (ref, Ref, 0);

  g_assert_cmpint (ev->time, ==, r->time);
  g_assert_cmpuint (ev->target, ==, r->target);
  g_assert_cmpuint (ps_event_kind (ev), ==, 7);
  g_array_remove_index (ref, 0);
}

/* Seeds 1-8 schedule within a few microseconds (one epoch, ties); seeds
 * 9-16 up to 100 s ahead (many epochs); seeds 17-24 up to 20 h ahead
 * (past the ring's reach, and jumps over empty epochs). */
static void
test_random_program (gconstpointer data)
{
  guint seed = GPOINTER_TO_UINT (data);
  guint64 spread = seed <= 8 ? 4 : seed <= 16 ? 100000 : 72000;
  PsTime unit = seed <= 8 ? 5 : seed <= 16 ? 1000 : 1000000;
  g_autoptr(PsEventQueue) q = ps_event_queue_new ();
  g_autoptr(GArray) ref = g_array_new (FALSE, FALSE, sizeof (Ref));
  guint64 seq = 0;
  guint32 next_target = 0;
  PsTime now = 0;
  PsRng rng;
  PsEvent ev;

  ps_rng_init (&rng, seed, 0);
  for (int step = 0; step < 4000; step++)
    {
      guint op = (guint) ps_rng_below (&rng, 10);

      if (op < 4 || ref->len == 0)                   /* push, often at "now" */
        ref_push (ref, q, &seq, now + (PsTime) ps_rng_below (&rng, spread) * unit,
                  (guint) ps_rng_below (&rng, 3), next_target++);
      else if (op < 6)                               /* plain pop */
        {
          g_assert_true (ps_event_queue_pop (q, &ev));
          check_next (ref, &ev);
          now = ev.time;
        }
      else                                           /* peek, pop, 0-2 pushes */
        {
          guint pushes = (guint) ps_rng_below (&rng, 3);
          PsEvent peeked, soon;
          gboolean from_heap;

          /* the cheap hint is the next event, or one after it (when far's
           * root comes first), never one before it */
          if (ps_event_queue_peek_soon (q, &soon, &from_heap))
            {
              g_assert_true (ps_event_queue_peek (q, &peeked));
              g_assert_true (soon.time > peeked.time
                             || (soon.time == peeked.time && soon.order >= peeked.order));
            }
          g_assert_true (ps_event_queue_peek (q, &peeked));
          g_assert_true (ps_event_queue_pop (q, &ev));
          g_assert_cmpint (peeked.time, ==, ev.time);
          g_assert_cmpuint (peeked.order, ==, ev.order);
          check_next (ref, &ev);
          now = ev.time;
          for (guint i = 0; i < pushes; i++)
            ref_push (ref, q, &seq, now + (PsTime) ps_rng_below (&rng, spread) * unit,
                      (guint) ps_rng_below (&rng, 3), next_target++);
        }
      g_assert_cmpuint (ps_event_queue_len (q), ==, ref->len);
    }
  while (ps_event_queue_pop (q, &ev))
    check_next (ref, &ev);
  g_assert_cmpuint (ref->len, ==, 0);
}

/* At one instant, lower classes first, then the order of scheduling. */
static void
test_same_instant_order (void)
{
  g_autoptr(PsEventQueue) q = ps_event_queue_new ();
  PsEvent ev;
  const guint32 expected[] = { 3, 5, 1, 4, 0, 2 };

  ps_event_queue_push (q, 10, 2, 0, 0, 0);
  ps_event_queue_push (q, 10, 1, 0, 1, 0);
  ps_event_queue_push (q, 10, 2, 0, 2, 0);
  ps_event_queue_push (q, 10, 0, 0, 3, 0);
  ps_event_queue_push (q, 10, 1, 0, 4, 0);
  ps_event_queue_push (q, 10, 0, 0, 5, 0);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_true (ps_event_queue_pop (q, &ev));
      g_assert_cmpuint (ev.target, ==, expected[i]);
    }
  g_assert_false (ps_event_queue_pop (q, &ev));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/event-queue/same-instant-order", test_same_instant_order);
  for (guint seed = 1; seed <= 24; seed++)
    {
      g_autofree char *path = g_strdup_printf ("/event-queue/random/seed:%u", seed);
      g_test_add_data_func (path, GUINT_TO_POINTER (seed), test_random_program);
    }
  return g_test_run ();
}
