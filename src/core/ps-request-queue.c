/* ps-request-queue.c: a sorted ring in front of a binary min-heap on
 * (priority, id)
 *
 * Most entries come in key order: new requests of one priority take
 * increasing ids.  Those go to the back of a ring that stays sorted, and
 * a request put back after a refusal (its old key, smaller than any left)
 * goes to its front: either is O(1) and reads memory in order, where a
 * heap of a long backlog misses the cache on every level of every pop.
 * Only an entry that fits neither end (another priority, a retry whose
 * turn has passed others) goes to the heap.  A pop takes the smaller of
 * the ring's front and the heap's root, so the order is the keys' order
 * whatever holds them.
 *
 * The heap's pop is lazy: the root is only marked taken, and really
 * removed at the next operation.  A request refused at once goes straight
 * back with its old key, which is still the smallest, so the push that
 * follows such a pop just puts it back at the root: no sifting either way.
 */
#include "ps-request-queue.h"

#define RING_INLINE PS_REQUEST_QUEUE_INLINE

static void
heap_clear (PsRequestQueue *queue)
{
  g_clear_pointer (&queue->items, g_free);
  queue->len = queue->cap = 0;
  queue->taken = FALSE;
}

static void
ring_clear (PsRequestQueue *queue)
{
  if (queue->ring_cap > RING_INLINE)
    g_free (queue->ring);
  queue->ring = NULL;
  queue->ring_head = queue->ring_len = queue->ring_cap = 0;
}

void
ps_request_queue_clear (PsRequestQueue *queue)
{
  heap_clear (queue);
  ring_clear (queue);
}

/* ---- the ring ---------------------------------------------------------- */

/* The ring's front and last key live in the queue itself (see the .h);
 * the entries after the front are in the store: a few inside the
 * owner's record, then an array of their own. */
static inline PsQueueEntry *
store_items (const PsRequestQueue *queue)
{
  return queue->ring_cap <= RING_INLINE ? (PsQueueEntry *) queue->ring_inline : queue->ring;
}

static inline PsQueueEntry *
store_at (const PsRequestQueue *queue, guint32 i)
{
  return &store_items (queue)[(queue->ring_head + i) & (queue->ring_cap - 1)];
}

static void
store_grow (PsRequestQueue *queue)
{
  guint32 cap = queue->ring_cap ? queue->ring_cap * 2 : RING_INLINE;
  guint32 n = queue->ring_len - 1;
  PsQueueEntry *ring;

  if (cap == RING_INLINE)
    {
      queue->ring_cap = cap;
      queue->ring_head = 0;
      return;
    }
  ring = g_new (PsQueueEntry, cap);
  for (guint32 i = 0; i < n; i++)
    ring[i] = *store_at (queue, i);
  if (queue->ring_cap > RING_INLINE)
    g_free (queue->ring);
  queue->ring = ring;
  queue->ring_cap = cap;
  queue->ring_head = 0;
}

/* Puts @entry at an end of the ring if it keeps the ring sorted. */
static gboolean
ring_push (PsRequestQueue *queue, PsQueueEntry entry)
{
  gboolean back;

  if (queue->ring_len == 0)
    {
      queue->front = entry;
      queue->back_key = entry.key;
      queue->ring_len = 1;
      return TRUE;
    }
  back = entry.key > queue->back_key;
  if (!back && entry.key > queue->front.key)
    return FALSE;
  if (queue->ring_len - 1 == queue->ring_cap)
    store_grow (queue);
  if (back)
    {
      *store_at (queue, queue->ring_len - 1) = entry;
      queue->back_key = entry.key;
    }
  else                                  /* before the front: it moves back one */
    {
      queue->ring_head = (queue->ring_head - 1) & (queue->ring_cap - 1);
      *store_at (queue, 0) = queue->front;
      queue->front = entry;
    }
  queue->ring_len++;
  return TRUE;
}

static void
ring_pop_front (PsRequestQueue *queue)
{
  if (--queue->ring_len > 0)
    {
      queue->front = *store_at (queue, 0);
      queue->ring_head = (queue->ring_head + 1) & (queue->ring_cap - 1);
    }
  else if (queue->ring_cap > 64)
    ring_clear (queue);                         /* give back a burst's memory */
}

/* ---- the heap ---------------------------------------------------------- */

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
    heap_clear (queue);
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
  if (ring_push (queue, entry))
    return;
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

/* Whether the least entry is the ring's front (else the heap's root, or
 * none); the heap settled. */
static gboolean
front_in_ring (PsRequestQueue *queue)
{
  settle (queue);
  return queue->ring_len > 0 && (queue->len == 0 || queue->front.key < queue->items[0].key);
}

gboolean
ps_request_queue_peek (PsRequestQueue *queue, PsQueueEntry *out)
{
  if (front_in_ring (queue))
    {
      *out = queue->front;
      return TRUE;
    }
  if (queue->len == 0)
    return FALSE;
  *out = queue->items[0];
  return TRUE;
}

gboolean
ps_request_queue_pop (PsRequestQueue *queue, PsQueueEntry *out)
{
  if (front_in_ring (queue))
    {
      *out = queue->front;
      ring_pop_front (queue);
      return TRUE;
    }
  if (queue->len == 0)
    return FALSE;
  *out = queue->items[0];
  queue->taken = TRUE;
  return TRUE;
}
