/* ps-event-queue.c: a calendar of 1 ms buckets in front of a 4-ary heap
 *
 * A discrete-event run spends much of its time in its event set, and a
 * heap of tens of thousands of events misses the cache on every level it
 * walks.  Here most events go into a calendar: a ring of CAL_N buckets of
 * CAL_WIDTH microseconds each, covering the next CAL_N x CAL_WIDTH of
 * simulated time from the current bucket; a bucket holds up to CAL_SLOTS
 * events inline.  Pushing is one write into one bucket; popping scans a
 * byte array of bucket counts forward and picks the least of a few events.
 * Events that do not fit (too far ahead, behind the calendar's current
 * bucket, or in a full bucket) go to a 4-ary heap.  A pop takes the least
 * of the calendar's first event and the heap's, so the order is exactly
 * the total order (time, order) whatever the structure: the width and
 * sizes change only the speed.
 *
 * Invariant: every calendar event lies in a bucket in [cur, cur + CAL_N),
 * and bucket b holds only events with time / CAL_WIDTH == b.
 */
#include "ps-event-queue.h"

#include <string.h>

#define ARITY      4
#define CAL_BITS   15
#define CAL_N      (1u << CAL_BITS)
#define CAL_MASK   (CAL_N - 1)
#define CAL_WIDTH  1000                  /* µs per bucket */
#define CAL_SLOTS  4

typedef struct
{
  PsEvent *items;
  gsize    len;
  gsize    cap;
} Heap;

typedef struct
{
  PsEvent ev[CAL_SLOTS];
} Bucket;

struct _PsEventQueue
{
  Bucket  *buckets;              /* CAL_N */
  guint8  *count;                /* events in each bucket */
  gint64   cur;                  /* absolute number of the current bucket */
  gsize    n_cal;                /* events in the calendar */
  Heap     heap;                 /* the rest */
  guint64  seq;
};

static inline gboolean
before (const PsEvent *a, const PsEvent *b)
{
  return a->time < b->time || (a->time == b->time && a->order < b->order);
}

/* ---- the heap ------------------------------------------------------------ */

static void
heap_sift_down_from_root (Heap *heap, PsEvent ev)
{
  PsEvent *items = heap->items;
  gsize i = 0;

  for (;;)
    {
      gsize first = ARITY * i + 1;
      gsize end = MIN (first + ARITY, heap->len);
      gsize best = first;

      if (first >= heap->len)
        break;
      for (gsize c = first + 1; c < end; c++)
        if (before (&items[c], &items[best]))
          best = c;
      if (!before (&items[best], &ev))
        break;
      items[i] = items[best];
      i = best;
    }
  items[i] = ev;
}

static void
heap_push (Heap *heap, const PsEvent *ev)
{
  gsize i;

  if (heap->len == heap->cap)
    {
      heap->cap = heap->cap ? heap->cap * 2 : 256;
      heap->items = g_renew (PsEvent, heap->items, heap->cap);
    }
  i = heap->len++;
  while (i > 0)
    {
      gsize parent = (i - 1) / ARITY;

      if (!before (ev, &heap->items[parent]))
        break;
      heap->items[i] = heap->items[parent];
      i = parent;
    }
  heap->items[i] = *ev;
}

static void
heap_remove_root (Heap *heap)
{
  heap->len--;
  if (heap->len > 0)
    heap_sift_down_from_root (heap, heap->items[heap->len]);
}

/* ---- the calendar ------------------------------------------------------ */

/* The least calendar event: its bucket index and slot, or FALSE.  Moves
 * @cur forward over empty buckets, but never past the heap's least event,
 * so that an event pushed while that one is handled still finds its
 * bucket ahead of @cur. */
static gboolean
calendar_first (PsEventQueue *q, guint *out_bucket, guint *out_slot)
{
  gint64 stop = q->heap.len > 0 ? q->heap.items[0].time / CAL_WIDTH : G_MAXINT64;
  const Bucket *b;
  guint best = 0;

  if (q->n_cal == 0)
    return FALSE;
  while (q->count[q->cur & CAL_MASK] == 0)
    {
      if (q->cur >= stop)
        return FALSE;                     /* the heap's event comes first */
      q->cur++;
    }
  b = &q->buckets[q->cur & CAL_MASK];
  for (guint s = 1; s < q->count[q->cur & CAL_MASK]; s++)
    if (before (&b->ev[s], &b->ev[best]))
      best = s;
  *out_bucket = (guint) (q->cur & CAL_MASK);
  *out_slot = best;
  return TRUE;
}

static void
calendar_remove (PsEventQueue *q, guint bucket, guint slot)
{
  guint last = --q->count[bucket];

  q->buckets[bucket].ev[slot] = q->buckets[bucket].ev[last];
  q->n_cal--;
}

/* Where the least event is: the calendar (bucket, slot) or the heap. */
static gboolean
locate_first (PsEventQueue *q, gboolean *in_calendar, guint *bucket, guint *slot)
{
  gboolean cal = calendar_first (q, bucket, slot);

  if (!cal && q->heap.len == 0)
    return FALSE;
  *in_calendar = cal && (q->heap.len == 0
                         || before (&q->buckets[*bucket].ev[*slot], &q->heap.items[0]));
  return TRUE;
}

/* ---- the interface ----------------------------------------------------- */

PsEventQueue *
ps_event_queue_new (void)
{
  PsEventQueue *q = g_new0 (PsEventQueue, 1);

  q->buckets = g_new (Bucket, CAL_N);
  q->count = g_new0 (guint8, CAL_N);
  return q;
}

void
ps_event_queue_free (PsEventQueue *queue)
{
  if (queue == NULL)
    return;
  g_free (queue->buckets);
  g_free (queue->count);
  g_free (queue->heap.items);
  g_free (queue);
}

/**
 * ps_event_queue_push:
 * @klass: 0..255, lower runs first among events at the same @time
 * @hint: a slot the handler will read, for prefetching
 */
void
ps_event_queue_push (PsEventQueue *queue, PsTime time, guint klass,
                     guint kind, guint32 target, guint32 hint)
{
  PsEvent ev = { time, (guint64) klass << 56 | queue->seq++ << 4 | kind, target, hint };
  gint64 bucket = time / CAL_WIDTH;
  guint8 *count;

  g_return_if_fail (klass < 256);
  g_return_if_fail (kind < PS_EVENT_MAX_KINDS);
  g_return_if_fail (queue->seq < G_GUINT64_CONSTANT (1) << 52);
  g_return_if_fail (time >= 0);

  if (queue->n_cal == 0 && bucket > queue->cur)
    queue->cur = MIN (bucket, queue->heap.len > 0
                                ? queue->heap.items[0].time / CAL_WIDTH : bucket);
  count = &queue->count[bucket & CAL_MASK];
  if (bucket >= queue->cur && bucket - queue->cur < CAL_N && *count < CAL_SLOTS)
    {
      queue->buckets[bucket & CAL_MASK].ev[(*count)++] = ev;
      queue->n_cal++;
      return;
    }
  heap_push (&queue->heap, &ev);
}

gboolean
ps_event_queue_peek (const PsEventQueue *queue, PsEvent *out)
{
  PsEventQueue *q = (PsEventQueue *) queue;       /* peeking may skip empty buckets */
  gboolean in_calendar;
  guint bucket, slot;

  if (!locate_first (q, &in_calendar, &bucket, &slot))
    return FALSE;
  *out = in_calendar ? q->buckets[bucket].ev[slot] : q->heap.items[0];
  return TRUE;
}

gboolean
ps_event_queue_pop (PsEventQueue *queue, PsEvent *out)
{
  gboolean in_calendar;
  guint bucket, slot;

  if (!locate_first (queue, &in_calendar, &bucket, &slot))
    return FALSE;
  if (in_calendar)
    {
      *out = queue->buckets[bucket].ev[slot];
      calendar_remove (queue, bucket, slot);
    }
  else
    {
      *out = queue->heap.items[0];
      heap_remove_root (&queue->heap);
    }
  return TRUE;
}

gsize
ps_event_queue_len (const PsEventQueue *queue)
{
  return queue->n_cal + queue->heap.len;
}
