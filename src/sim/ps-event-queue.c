/* ps-event-queue.c: binary heap keyed by (time, order)
 *
 * Grows by doubling and never shrinks: its size is the most events ever
 * pending at once (about one per client plus one per request in flight).
 */
#include "ps-event-queue.h"

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
                     guint32 kind, guint32 target, guint64 ref)
{
  PsEvent ev = { time, (guint64) klass << 56 | queue->seq++, kind, target, ref };
  gsize i;

  g_return_if_fail (klass < 256);

  if (queue->len == queue->cap)
    {
      queue->cap = queue->cap ? queue->cap * 2 : 1024;
      queue->items = g_renew (PsEvent, queue->items, queue->cap);
    }
  i = queue->len++;
  while (i > 0)
    {
      gsize parent = (i - 1) / 2;

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
  PsEvent last;
  gsize i = 0;

  if (queue->len == 0)
    return FALSE;
  *out = queue->items[0];
  last = queue->items[--queue->len];
  for (;;)
    {
      gsize child = 2 * i + 1;

      if (child >= queue->len)
        break;
      if (child + 1 < queue->len && before (&queue->items[child + 1], &queue->items[child]))
        child++;
      if (!before (&queue->items[child], &last))
        break;
      queue->items[i] = queue->items[child];
      i = child;
    }
  if (queue->len > 0)
    queue->items[i] = last;
  return TRUE;
}

gsize
ps_event_queue_len (const PsEventQueue *queue)
{
  return queue->len;
}
