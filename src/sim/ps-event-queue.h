/* ps-event-queue.h: the simulator's future-event set
 *
 * Epochs of time, each sorted when the run reaches it, in front of two
 * small 4-ary heaps (see the .c), of event values: buffers are reused, so
 * there is no allocation per event.  Events are totally ordered by
 * (time, class, sequence): at one instant, lower classes run first
 * (completions before arrivals before the rest, as docs/design.md, "Tie
 * order", fixes), and within a class, the order of scheduling.
 * No two events compare equal, so the order never depends on the structure.
 */
#pragma once

#include <glib.h>

#include "ps-time.h"

G_BEGIN_DECLS

/* 24 bytes, so that an epoch of a large run stays in the L2 cache: an
 * event names its target (a client or a request slot) and nothing more;
 * handlers tell a stale event from the target's own state.  The kind
 * rides in the low bits of @order, below the sequence number, so it never
 * decides the order. */
typedef struct
{
  PsTime  time;
  guint64 order;                 /* class << 56 | sequence << 4 | kind */
  guint32 target;
  guint32 hint;                  /* what the handler will read: prefetched */
} PsEvent;

#define PS_EVENT_MAX_KINDS   16
#define PS_EVENT_MAX_CLASSES 4      /* two bits of the epochs' sort key */

static inline guint
ps_event_kind (const PsEvent *event)
{
  return (guint) (event->order & (PS_EVENT_MAX_KINDS - 1));
}

typedef struct _PsEventQueue PsEventQueue;

PsEventQueue  *ps_event_queue_new       (void);
void           ps_event_queue_free      (PsEventQueue       *queue);
void           ps_event_queue_push      (PsEventQueue       *queue,
                                         PsTime              time,
                                         guint               klass,
                                         guint               kind,
                                         guint32             target,
                                         guint32             hint);
gboolean       ps_event_queue_pop       (PsEventQueue       *queue,
                                         PsEvent            *out);
gboolean       ps_event_queue_peek      (const PsEventQueue *queue,
                                         PsEvent            *out);
gboolean       ps_event_queue_peek_ahead (const PsEventQueue *queue,
                                         guint               ahead,
                                         PsEvent            *out);
gboolean       ps_event_queue_peek_soon (const PsEventQueue *queue,
                                         PsEvent            *out,
                                         gboolean           *out_from_heap);
gsize          ps_event_queue_len       (const PsEventQueue *queue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsEventQueue, ps_event_queue_free)

G_END_DECLS
