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

/**
 * ps_event_queue_push:
 * @klass: 0..255, lower runs first among events at the same @time
 */
void
ps_event_queue_push (PsEventQueue *queue, PsTime time, guint klass,
                     guint32 kind, guint32 target)
{
  PsEvent ev = { time, (guint64) klass << 56 | queue->seq++, kind, target };
  gsize i;

  g_return_if_fail (klass < 256);

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
  if (queue->len == 0)
    return FALSE;
  *out = queue->items[0];
  return TRUE;
}

gboolean
ps_event_queue_pop (PsEventQueue *queue, PsEvent *out)
{
  PsEvent *items = queue->items;
  PsEvent last;
  gsize i = 0;

  if (queue->len == 0)
    return FALSE;
  *out = items[0];
  last = items[--queue->len];
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
      if (!before (&items[best], &last))
        break;
      items[i] = items[best];
      i = best;
    }
  if (queue->len > 0)
    items[i] = last;
  return TRUE;
}

gsize
ps_event_queue_len (const PsEventQueue *queue)
{
  return queue->len;
}
