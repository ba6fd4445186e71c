/* ps-request-queue.c: array-backed binary min-heap on (priority, id) */
#include "ps-request-queue.h"

void
ps_request_queue_clear (PsRequestQueue *queue)
{
  g_clear_pointer (&queue->items, g_free);
  queue->len = queue->cap = 0;
}

void
ps_request_queue_push (PsRequestQueue *queue, guint priority, guint64 id,
                       guint32 slot)
{
  guint32 i;

  g_return_if_fail (priority < 256);
  g_return_if_fail (id < (G_GUINT64_CONSTANT (1) << 56));

  if (queue->len == queue->cap)
    {
      queue->cap = queue->cap ? queue->cap * 2 : 4;
      queue->items = g_renew (PsQueueEntry, queue->items, queue->cap);
    }
  i = queue->len++;
  while (i > 0)                                  /* sift up */
    {
      guint32 parent = (i - 1) / 2;
      guint64 key = (guint64) priority << 56 | id;

      if (queue->items[parent].key <= key)
        break;
      queue->items[i] = queue->items[parent];
      i = parent;
    }
  queue->items[i] = (PsQueueEntry) { (guint64) priority << 56 | id, slot, 0 };
}

gboolean
ps_request_queue_peek (const PsRequestQueue *queue, PsQueueEntry *out)
{
  if (queue->len == 0)
    return FALSE;
  *out = queue->items[0];
  return TRUE;
}

gboolean
ps_request_queue_pop (PsRequestQueue *queue, PsQueueEntry *out)
{
  PsQueueEntry last;
  guint32 i = 0;

  if (queue->len == 0)
    return FALSE;
  *out = queue->items[0];
  last = queue->items[--queue->len];
  for (;;)                                       /* sift down */
    {
      guint32 child = 2 * i + 1;

      if (child >= queue->len)
        break;
      if (child + 1 < queue->len
          && queue->items[child + 1].key < queue->items[child].key)
        child++;
      if (last.key <= queue->items[child].key)
        break;
      queue->items[i] = queue->items[child];
      i = child;
    }
  if (queue->len > 0)
    queue->items[i] = last;
  if (queue->len == 0 && queue->cap > 64)        /* give back a burst's memory */
    ps_request_queue_clear (queue);
  return TRUE;
}
