/* ps-request-queue.h: a client's queue of waiting requests
 *
 * Highest priority first (0 is most urgent), then oldest request first:
 * entries are ordered by (priority, request id), a total order, so FIFO
 * within a priority holds by construction.  A request sent and refused goes
 * back with its original id and so keeps its place.  A binary heap that
 * allocates nothing until its first push: a million idle clients cost
 * 16 bytes each.  Entries are never removed from the middle; the owner
 * skips stale ones when it pops (see ps-client.c).
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

#define PS_REQUEST_QUEUE_INLINE 2      /* a power of two */

/* A run of entries in key order (a ring) in front of a heap of the rest:
 * see the .c. */
typedef struct
{
  PsQueueEntry *items;           /* the heap */
  guint32       len;             /* entries, counting a taken root */
  guint32       cap;
  gboolean      taken;           /* the root was popped, not yet removed */
  PsQueueEntry *ring;            /* ascending keys, from ring_head; */
  guint32       ring_head;
  guint32       ring_len;
  guint32       ring_cap;        /* 0 or a power of two */
  PsQueueEntry  ring_inline[PS_REQUEST_QUEUE_INLINE];  /* ... here while ring_cap
                                                       * is no larger */
} PsRequestQueue;

#define PS_REQUEST_QUEUE_INIT { NULL, 0, 0, FALSE, NULL, 0, 0, 0, { { 0 } } }

void      ps_request_queue_clear  (PsRequestQueue *queue);
void      ps_request_queue_push   (PsRequestQueue *queue,
                                   guint           priority,
                                   guint64         id,
                                   guint32         slot);
gboolean  ps_request_queue_pop    (PsRequestQueue *queue,
                                   PsQueueEntry   *out);
gboolean  ps_request_queue_peek   (PsRequestQueue *queue,
                                   PsQueueEntry   *out);

static inline guint64
ps_queue_entry_id (const PsQueueEntry *entry)
{
  return entry->key & ((G_GUINT64_CONSTANT (1) << 56) - 1);
}

G_END_DECLS
