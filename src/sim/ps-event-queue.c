/* ps-event-queue.c: a 4-ary min-heap keyed by (time, order)
 *
 * Four children per node halve the depth of a binary heap; popping, the
 * hot operation, then touches about half as many cache lines (a node's
 * children are adjacent: one or two lines of 24-byte events).  Grows by
 * doubling and never shrinks: its size is the most events ever pending at
 * once (about one per client plus one per request in flight).
 */
#include "ps-event-queue.h"

#define ARITY 4

struct _PsEventQueue
{
  PsEvent *items;
  gsize    len;
  gsize    cap;
  guint64  seq;
  gboolean spent;                /* the root was taken; its place is free */
};

static inline gboolean
before (const PsEvent *a, const PsEvent *b)
{
  return a->time < b->time || (a->time == b->time && a->order < b->order);
}

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
  g_free (queue->items);
  g_free (queue);
}

/* Puts @ev where the root was, moving it down to its place. */
static void
sift_down_from_root (PsEventQueue *queue, PsEvent ev)
{
  PsEvent *items = queue->items;
  gsize i = 0;

  for (;;)                                       /* sift the hole down */
    {
      gsize first = ARITY * i + 1;
      gsize end = MIN (first + ARITY, queue->len);
      gsize best = first;

      if (first >= queue->len)
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

/**
 * ps_event_queue_push:
 * @klass: 0..255, lower runs first among events at the same @time
 */
void
ps_event_queue_push (PsEventQueue *queue, PsTime time, guint klass,
                     guint kind, guint32 target, guint32 hint)
{
  PsEvent ev = { time, (guint64) klass << 56 | queue->seq++ << 4 | kind, target, hint };
  gsize i;

  g_return_if_fail (klass < 256);
  g_return_if_fail (kind < PS_EVENT_MAX_KINDS);
  g_return_if_fail (queue->seq < G_GUINT64_CONSTANT (1) << 52);

  if (queue->spent)                              /* reuse the taken root */
    {
      queue->spent = FALSE;
      sift_down_from_root (queue, ev);
      return;
    }
  if (queue->len == queue->cap)
    {
      queue->cap = queue->cap ? queue->cap * 2 : 1024;
      queue->items = g_renew (PsEvent, queue->items, queue->cap);
    }
  i = queue->len++;
  while (i > 0)                                  /* sift the hole up */
    {
      gsize parent = (i - 1) / ARITY;

      if (!before (&ev, &queue->items[parent]))
        break;
      queue->items[i] = queue->items[parent];
      i = parent;
    }
  queue->items[i] = ev;
}

gboolean
ps_event_queue_peek (const PsEventQueue *queue, PsEvent *out)
{
  g_return_val_if_fail (!queue->spent, FALSE);
  if (queue->len == 0)
    return FALSE;
  *out = queue->items[0];
  return TRUE;
}

gboolean
ps_event_queue_pop (PsEventQueue *queue, PsEvent *out)
{
  g_return_val_if_fail (!queue->spent, FALSE);

  if (queue->len == 0)
    return FALSE;
  *out = queue->items[0];
  queue->len--;
  if (queue->len > 0)
    sift_down_from_root (queue, queue->items[queue->len]);
  return TRUE;
}

/**
 * ps_event_queue_take:
 *
 * Takes the root (the event ps_event_queue_peek() just gave) without
 * removing it yet: the first push before ps_event_queue_settle() reuses
 * its place, one sift down instead of a pop's sift down and a push's sift
 * up.  Most events schedule exactly one follow-up (an arrival the next
 * arrival, a resumed client its next resume), so this halves heap work.
 * The order of events is a total order, so it does not change which
 * event comes next, only where the heap keeps it.
 */
void
ps_event_queue_take (PsEventQueue *queue)
{
  g_return_if_fail (queue->len > 0 && !queue->spent);
  queue->spent = TRUE;
}

/* Removes the taken root if no push has reused its place. */
void
ps_event_queue_settle (PsEventQueue *queue)
{
  if (!queue->spent)
    return;
  queue->spent = FALSE;
  queue->len--;
  if (queue->len > 0)
    sift_down_from_root (queue, queue->items[queue->len]);
}

gsize
ps_event_queue_len (const PsEventQueue *queue)
{
  return queue->len;
}

/**
 * ps_event_queue_peek_next:
 *
 * With the root taken: the event that comes after it unless something
 * earlier is pushed meanwhile.  For prefetching only.
 */
gboolean
ps_event_queue_peek_next (const PsEventQueue *queue, PsEvent *out)
{
  gsize end = MIN ((gsize) 1 + ARITY, queue->len);
  gsize best = 1;

  g_return_val_if_fail (queue->spent, FALSE);
  if (queue->len < 2)
    return FALSE;
  for (gsize c = 2; c < end; c++)
    if (before (&queue->items[c], &queue->items[best]))
      best = c;
  *out = queue->items[best];
  return TRUE;
}
