/* ps-request-queue.h: a client's queue of waiting requests
 *
 * Highest priority first (0 is most urgent), then oldest request first:
 * entries are ordered by (priority, request id), a total order, so FIFO
 * within a priority holds by construction.  A request sent and refused goes
 * back with its original id and so keeps its place.  A sorted ring in
 * front of a binary heap (see the .c), inside the owner's record: it
 * allocates nothing until a second request waits, so a million idle
 * clients cost only their records.  Entries are never removed from the
 * middle; the owner skips stale ones when it pops (see ps-client.c).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 key;                   /* priority << 56 | request id */
  guint32 slot;
  guint32 reserved;
} PsQueueEntry;

#define PS_REQUEST_QUEUE_INLINE 1      /* a power of two */

/* A run of entries in key order (a ring) in front of a heap of the rest:
 * see the .c.  The ring's first entry and last key are kept here, in the
 * owner's record, so that taking the front and adding at the back read
 * no other memory. */
typedef struct
{
  PsQueueEntry  front;           /* the ring's first entry, while ring_len > 0 */
  guint64       back_key;        /* the ring's last key, while ring_len > 0 */
  PsQueueEntry *items;           /* the heap */
  guint32       len;             /* entries, counting a taken root */
  guint32       cap;
  PsQueueEntry *ring;            /* the ring after its front: ring_len - 1 */
  guint32       ring_head;       /* ascending keys from here */
  guint32       ring_len;        /* the ring's entries, the front included */
  guint32       ring_cap;        /* 0 or a power of two */
  gboolean      taken;           /* the heap's root was popped, not yet removed */
  PsQueueEntry  ring_inline[PS_REQUEST_QUEUE_INLINE];  /* ... here while ring_cap
                                                       * is no larger */
} PsRequestQueue;

#define PS_REQUEST_QUEUE_INIT { .items = NULL }

void      ps_request_queue_clear  (PsRequestQueue *queue);
void      ps_request_queue_push   (PsRequestQueue *queue,
                                   guint           priority,
                                   guint64         id,
                                   guint32         slot);
gboolean  ps_request_queue_pop    (PsRequestQueue *queue,
                                   PsQueueEntry   *out);
gboolean  ps_request_queue_peek   (PsRequestQueue *queue,
                                   PsQueueEntry   *out);

/* For prefetching only: the slot the ring's front names, or @none when
 * the ring is empty (the heap's root may still come first). */
static inline guint32
ps_request_queue_front_hint (const PsRequestQueue *queue, guint32 none)
{
  return queue->ring_len > 0 ? queue->front.slot : none;
}

/* For prefetching only: the entry that follows the front, which a pop
 * moves into the record. */
static inline void
ps_request_queue_prefetch (const PsRequestQueue *queue)
{
  if (queue->ring_len > 1 && queue->ring_cap > PS_REQUEST_QUEUE_INLINE)
    __builtin_prefetch (&queue->ring[queue->ring_head & (queue->ring_cap - 1)]);
}

static inline guint64
ps_queue_entry_id (const PsQueueEntry *entry)
{
  return entry->key & ((G_GUINT64_CONSTANT (1) << 56) - 1);
}

G_END_DECLS
