/* ps-request-queue.c: array-backed binary min-heap on (priority, id)
 *
 * A pop is lazy: the root is only marked taken, and really removed at the
 * next operation.  A request that is refused at once goes straight back
 * with its old key, which is still the smallest, so the push that follows
 * such a pop just puts it back at the root: no sifting either way.  That
 * is the common case for a client in backoff (take, 503, put back).
 */
#include "ps-request-queue.h"

void
ps_request_queue_clear (PsRequestQueue *queue)
{
  g_clear_pointer (&queue->items, g_free);
  queue->len = queue->cap = 0;
  queue->taken = FALSE;
}

static void
sift_down (PsRequestQueue *queue, guint32 i, PsQueueEntry entry)
{
  for (;;)
    {
      guint32 child = 2 * i + 1;

      if (child >= queue->len)
        break;
      if (child + 1 < queue->len
          && queue->items[child + 1].key < queue->items[child].key)
        child++;
      if (entry.key <= queue->items[child].key)
        break;
      queue->items[i] = queue->items[child];
      i = child;
    }
  queue->items[i] = entry;
}

/* Really removes a taken root. */
static void
settle (PsRequestQueue *queue)
{
  if (!queue->taken)
    return;
  queue->taken = FALSE;
  if (--queue->len > 0)
    sift_down (queue, 0, queue->items[queue->len]);
  else if (queue->cap > 64)                     /* give back a burst's memory */
    ps_request_queue_clear (queue);
}

void
ps_request_queue_push (PsRequestQueue *queue, guint priority, guint64 id,
                       guint32 slot)
{
  PsQueueEntry entry = { (guint64) priority << 56 | id, slot, 0 };
  guint32 i;

  g_return_if_fail (priority < 256);
  g_return_if_fail (id < (G_GUINT64_CONSTANT (1) << 56));

  if (queue->taken)                             /* reuse the taken root */
    {
      queue->taken = FALSE;
      sift_down (queue, 0, entry);
      return;
    }
  if (queue->len == queue->cap)
    {
      queue->cap = queue->cap ? queue->cap * 2 : 4;
      queue->items = g_renew (PsQueueEntry, queue->items, queue->cap);
    }
  i = queue->len++;
  while (i > 0)                                  /* sift up */
    {
      guint32 parent = (i - 1) / 2;

      if (queue->items[parent].key <= entry.key)
        break;
      queue->items[i] = queue->items[parent];
      i = parent;
    }
  queue->items[i] = entry;
}

gboolean
ps_request_queue_peek (PsRequestQueue *queue, PsQueueEntry *out)
{
  settle (queue);
  if (queue->len == 0)
    return FALSE;
  *out = queue->items[0];
  return TRUE;
}

gboolean
ps_request_queue_pop (PsRequestQueue *queue, PsQueueEntry *out)
{
  settle (queue);
  if (queue->len == 0)
    return FALSE;
  *out = queue->items[0];
  queue->taken = TRUE;
  return TRUE;
}
