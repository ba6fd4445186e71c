/* ps-event-queue.c: epochs sorted as they come due, in front of two heaps
 *
 * A large run holds about one future event per client, and a heap of a
 * million events misses the cache on every level of every pop.  Here time
 * is cut into epochs of EPOCH_WIDTH microseconds.  An event due in a later
 * epoch, within the next RING_N of them, is appended to that epoch's
 * array: one write, at the array's end.  When the run reaches an epoch,
 * its array is sorted at once by a radix sort (three passes over a few
 * thousand events that fit in the cache) and then read in order.  The
 * arrays are chains of fixed-size chunks, reused from epoch to epoch.  Events
 * due in the current epoch when they are pushed (a completion 200 ms
 * ahead) go to a small heap, "late", of a few thousand; events beyond the
 * ring go to another heap, "far".  A pop takes the least of the sorted
 * epoch's next event, late's root and far's root, so the order is exactly
 * the total order (time, order) whatever the structure: the widths change
 * only the speed.
 *
 * The radix sort orders by (time, class) and is stable, and an epoch's
 * array receives its events in the order of scheduling, which is the
 * order of the sequence numbers: so the sorted array is in (time, class,
 * sequence) order, the events' own.
 *
 * Invariants: the events of the sorted array and of late lie in epochs up
 * to the current one; those in the ring's array for epoch e lie in e, with
 * cur < e < cur + RING_N; far's may lie anywhere after cur's start.
 */
#include "ps-event-queue.h"

#include <string.h>

#define ARITY        4
#define EPOCH_BITS   18
#define EPOCH_WIDTH  (1 << EPOCH_BITS)   /* µs: 0.26 s, a few thousand events */
#define RING_BITS    14
#define RING_N       (1u << RING_BITS)   /* 71 min of epochs ahead */
#define RING_MASK    (RING_N - 1)
#define CLASS_BITS   2                   /* PS_EVENT_MAX_CLASSES */
#define KEY_BITS     (EPOCH_BITS + CLASS_BITS)
/* The radix sort's digit: three passes of 128 counters.  A pass costs its
 * counters and its events; 128 destinations keep a large epoch's scatter
 * within the L1 cache, where 1024 (two passes) made it slower. */
#define DIGIT_BITS   7
#define DIGITS       (1u << DIGIT_BITS)

typedef struct
{
  PsEvent *items;
  gsize    len;
  gsize    cap;
} Vec;

typedef Vec Heap;

/* An epoch's events, in the order they were pushed, in chunks of one
 * size: freed chunks are reused by any epoch, so memory follows the
 * events, and the allocator never sees a buffer of another size. */
#define CHUNK_EVENTS 64

typedef struct Chunk Chunk;
struct Chunk
{
  Chunk   *next;
  PsEvent  ev[CHUNK_EVENTS];
};

/* Every chunk but the tail is full, so @len alone says where the next
 * event goes: a push reads no chunk, it only writes the event. */
typedef struct
{
  Chunk   *head;
  Chunk   *tail;
  gsize    len;
} Epoch;

struct _PsEventQueue
{
  Epoch    ring[RING_N];         /* by epoch & RING_MASK */
  gsize    n_ring;               /* events in the ring */
  gint64   cur;                  /* the current epoch */
  Vec      run;                  /* the current epoch's, copied, sorted ... */
  gsize    next;                 /* ... and read up to here */
  Vec      spare;                /* the sort's room */
  Chunk   *free_chunks;
  Heap     late;                 /* pushed into the current epoch */
  Heap     far;                  /* beyond the ring */
  guint64  seq;
};

static inline gboolean
before (const PsEvent *a, const PsEvent *b)
{
  return a->time < b->time || (a->time == b->time && a->order < b->order);
}

static inline gint64
epoch_of (PsTime time)
{
  return time >> EPOCH_BITS;
}

static void
vec_reserve (Vec *vec, gsize n)
{
  if (vec->cap >= n)
    return;
  vec->cap = MAX (MAX (vec->cap * 2, n), 64);
  vec->items = g_renew (PsEvent, vec->items, vec->cap);
}

static void
vec_clear (Vec *vec)
{
  g_clear_pointer (&vec->items, g_free);
  vec->len = vec->cap = 0;
}

/* ---- the heaps ----------------------------------------------------------- */

/* Writes an event field by field.  A new event is pushed from its fields:
 * built on the stack and copied, it would be read back as one 16-byte
 * load of what was just stored as two 8-byte halves, which the store
 * buffer cannot forward, and the load would wait for both. */
static inline void
event_set (PsEvent *dst, PsTime time, guint64 order, guint32 target, guint32 hint)
{
  dst->time = time;
  dst->order = order;
  dst->target = target;
  dst->hint = hint;
}

static void
heap_push (Heap *heap, PsTime time, guint64 order, guint32 target, guint32 hint)
{
  gsize i;

  vec_reserve (heap, heap->len + 1);
  i = heap->len++;
  while (i > 0)
    {
      gsize parent = (i - 1) / ARITY;
      const PsEvent *p = &heap->items[parent];

      if (!(time < p->time || (time == p->time && order < p->order)))
        break;
      heap->items[i] = *p;
      i = parent;
    }
  event_set (&heap->items[i], time, order, target, hint);
}

static void
heap_remove_root (Heap *heap)
{
  PsEvent *items = heap->items;
  PsEvent ev;
  gsize i = 0;

  if (--heap->len == 0)
    return;
  ev = items[heap->len];
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

/* ---- epochs -------------------------------------------------------------- */

static inline guint32
radix_key (const PsEvent *ev, gint64 start)
{
  return (guint32) (ev->time - start) << CLASS_BITS | (guint32) (ev->order >> 56);
}

#define PASSES       3

/* Sorts @vec by (time, class), stably, with @tmp as room.  One read of
 * the events counts the digits of all three passes. */
static void
radix_sort (Vec *vec, Vec *tmp, gint64 start)
{
  guint32 count[PASSES][DIGITS] = { { 0 } };
  guint32 first_key;
  PsEvent *src, *dst;

  G_STATIC_ASSERT (PASSES * DIGIT_BITS >= KEY_BITS);
  if (vec->len < 2)
    return;
  vec_reserve (tmp, vec->len);
  src = vec->items;
  dst = tmp->items;
  for (gsize i = 0; i < vec->len; i++)
    {
      guint32 key = radix_key (&src[i], start);

      for (guint p = 0; p < PASSES; p++)
        count[p][key >> (p * DIGIT_BITS) & (DIGITS - 1)]++;
    }
  first_key = radix_key (&src[0], start);
  for (guint p = 0; p < PASSES; p++)
    {
      guint shift = p * DIGIT_BITS;
      guint32 *c = count[p];
      guint32 sum = 0;
      PsEvent *swap;

      if (c[first_key >> shift & (DIGITS - 1)] == vec->len)
        continue;                         /* one digit for all: nothing moves */
      for (guint d = 0; d < DIGITS; d++)
        {
          guint32 n = c[d];

          c[d] = sum;
          sum += n;
        }
      for (gsize i = 0; i < vec->len; i++)
        dst[c[radix_key (&src[i], start) >> shift & (DIGITS - 1)]++] = src[i];
      swap = src;
      src = dst;
      dst = swap;
    }
  if (src != vec->items)                  /* the sorted events are in tmp's */
    {
      PsEvent *items = vec->items;
      gsize cap = vec->cap;

      vec->items = tmp->items;
      vec->cap = tmp->cap;
      tmp->items = items;
      tmp->cap = cap;
    }
}

/* The first epoch after the current one that holds an event, in the ring
 * or in far; FALSE when none does. */
static gboolean
next_epoch (const PsEventQueue *q, gint64 *out_epoch)
{
  gint64 far = q->far.len > 0 ? epoch_of (q->far.items[0].time) : G_MAXINT64;

  if (q->n_ring > 0)
    for (gint64 e = q->cur + 1; e < q->cur + RING_N && e < far; e++)
      if (q->ring[e & RING_MASK].len > 0)
        {
          *out_epoch = e;
          return TRUE;
        }
  *out_epoch = far;
  return far != G_MAXINT64;
}

/* The sorted array and late are used up: moves on to the next epoch that
 * holds an event, and sorts its events.  FALSE when the queue is empty. */
static G_GNUC_NO_INLINE gboolean
advance (PsEventQueue *q)
{
  Epoch *slot;
  gint64 e;

  if (!next_epoch (q, &e))
    return FALSE;
  q->cur = e;
  slot = &q->ring[e & RING_MASK];
  q->run.len = 0;
  q->next = 0;
  vec_reserve (&q->run, slot->len);
  while (slot->head != NULL)
    {
      Chunk *c = slot->head;
      gsize n = MIN (slot->len - q->run.len, CHUNK_EVENTS);

      memcpy (q->run.items + q->run.len, c->ev, n * sizeof (PsEvent));
      q->run.len += n;
      slot->head = c->next;
      c->next = q->free_chunks;
      q->free_chunks = c;
    }
  q->n_ring -= slot->len;
  *slot = (Epoch) { 0 };
  radix_sort (&q->run, &q->spare, e << EPOCH_BITS);
  return TRUE;
}

/* The least event: *@out_ev and where it lies (0 run, 1 late, 2 far), or
 * FALSE when the queue is empty. */
static inline __attribute__ ((always_inline)) gboolean
locate_first (PsEventQueue *q, const PsEvent **out_ev, guint *out_where)
{
  for (;;)
    {
      const PsEvent *best = NULL;
      guint where = 0;

      if (q->next < q->run.len)
        best = &q->run.items[q->next];
      if (q->late.len > 0 && (best == NULL || before (&q->late.items[0], best)))
        {
          best = &q->late.items[0];
          where = 1;
        }
      /* far's root competes once its epoch has come, or when nothing
       * nearer is left and the ring has nothing before it */
      if (q->far.len > 0 && (best == NULL || before (&q->far.items[0], best))
          && (best != NULL || epoch_of (q->far.items[0].time) <= q->cur))
        {
          best = &q->far.items[0];
          where = 2;
        }
      if (best != NULL)
        {
          *out_ev = best;
          *out_where = where;
          return TRUE;
        }
      if (!advance (q))
        return FALSE;
    }
}

/* ---- the interface ----------------------------------------------------- */

PsEventQueue *
ps_event_queue_new (void)
{
  return g_new0 (PsEventQueue, 1);
}

void
ps_event_queue_free (PsEventQueue *queue)
{
  if (queue == NULL)
    return;
  for (guint i = 0; i < RING_N; i++)
    while (queue->ring[i].head != NULL)
      {
        Chunk *c = queue->ring[i].head;

        queue->ring[i].head = c->next;
        g_free (c);
      }
  while (queue->free_chunks != NULL)
    {
      Chunk *c = queue->free_chunks;

      queue->free_chunks = c->next;
      g_free (c);
    }
  vec_clear (&queue->run);
  vec_clear (&queue->spare);
  vec_clear (&queue->late);
  vec_clear (&queue->far);
  g_free (queue);
}

/**
 * ps_event_queue_push:
 * @klass: below PS_EVENT_MAX_CLASSES, lower runs first among events at the
 *   same @time
 * @hint: a slot the handler will read, for prefetching
 */
void
ps_event_queue_push (PsEventQueue *queue, PsTime time, guint klass,
                     guint kind, guint32 target, guint32 hint)
{
  guint64 order = (guint64) klass << 56 | queue->seq++ << 4 | kind;
  gint64 e = epoch_of (time);

  g_return_if_fail (klass < PS_EVENT_MAX_CLASSES);
  g_return_if_fail (kind < PS_EVENT_MAX_KINDS);
  g_return_if_fail (queue->seq < G_GUINT64_CONSTANT (1) << 52);
  g_return_if_fail (time >= 0);

  if (e <= queue->cur)
    heap_push (&queue->late, time, order, target, hint);
  else if (e - queue->cur < RING_N)
    {
      Epoch *slot = &queue->ring[e & RING_MASK];
      gsize i = slot->len % CHUNK_EVENTS;

      if (i == 0)                         /* the tail is full, or there is none */
        {
          Chunk *c = queue->free_chunks;

          if (c != NULL)
            queue->free_chunks = c->next;
          else
            c = g_new (Chunk, 1);
          c->next = NULL;
          if (slot->tail != NULL)
            slot->tail->next = c;
          else
            slot->head = c;
          slot->tail = c;
        }
      event_set (&slot->tail->ev[i], time, order, target, hint);
      slot->len++;
      queue->n_ring++;
    }
  else
    heap_push (&queue->far, time, order, target, hint);
}

gboolean
ps_event_queue_peek (const PsEventQueue *queue, PsEvent *out)
{
  PsEventQueue *q = (PsEventQueue *) queue;       /* peeking may open an epoch */
  const PsEvent *ev;
  guint where;

  if (!locate_first (q, &ev, &where))
    return FALSE;
  *out = *ev;
  return TRUE;
}

gboolean
ps_event_queue_pop (PsEventQueue *queue, PsEvent *out)
{
  const PsEvent *ev;
  guint where;

  if (!locate_first (queue, &ev, &where))
    return FALSE;
  *out = *ev;
  if (where == 0)
    queue->next++;
  else
    heap_remove_root (where == 1 ? &queue->late : &queue->far);
  return TRUE;
}

/**
 * ps_event_queue_peek_ahead:
 * @ahead: 0 for the event after the least one, 1 for the one after, ...
 *
 * An event the run will probably handle soon, for prefetching what its
 * handler reads: the current epoch's, a few places on.  It may not be
 * the exact one (a heap's root may come first), and it is never an error
 * to be wrong: the order does not depend on it.  Returns: FALSE when the
 * epoch has no event that far on.
 */
gboolean
ps_event_queue_peek_ahead (const PsEventQueue *queue, guint ahead, PsEvent *out)
{
  gsize i = queue->next + ahead;

  if (i >= queue->run.len)
    return FALSE;
  *out = queue->run.items[i];
  return TRUE;
}

/**
 * ps_event_queue_peek_soon:
 * @out_from_heap: (out): whether it lies in a heap, where peek_ahead
 *   cannot see it
 *
 * What the next pop will most likely return, found cheaply (the sorted
 * epoch's next event or late's root; far's root and the next epoch are
 * not looked at): for prefetching only.  Returns: FALSE when neither
 * holds an event.
 */
gboolean
ps_event_queue_peek_soon (const PsEventQueue *queue, PsEvent *out, gboolean *out_from_heap)
{
  const PsEvent *best = queue->next < queue->run.len ? &queue->run.items[queue->next] : NULL;

  *out_from_heap = queue->late.len > 0 && (best == NULL || before (&queue->late.items[0], best));
  if (*out_from_heap)
    best = &queue->late.items[0];
  if (best == NULL)
    return FALSE;
  *out = *best;
  return TRUE;
}

gsize
ps_event_queue_len (const PsEventQueue *queue)
{
  return queue->run.len - queue->next + queue->n_ring + queue->late.len
         + queue->far.len;
}
