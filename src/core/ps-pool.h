/* ps-pool.h: the server's workers and its bounded FIFO queue
 *
 * Capacity is @workers requests in service plus @queue_limit admitted
 * requests waiting for a worker.  The pool stores opaque guint32 handles
 * (slot numbers in sim, job numbers in live) and keeps the time integral of
 * its occupancy for utilisation figures; every change takes @now.
 */
#pragma once

#include <glib.h>

#include "ps-time.h"

G_BEGIN_DECLS

typedef struct _PsPool PsPool;

typedef enum
{
  PS_POOL_STARTED,               /* a worker took it at once */
  PS_POOL_QUEUED,                /* waits in the server queue */
  PS_POOL_FULL,                  /* no worker, no queue room: 503 */
} PsPoolVerdict;

PsPool        *ps_pool_new            (guint          workers,
                                       guint          queue_limit);
void           ps_pool_free           (PsPool        *pool);

PsPoolVerdict  ps_pool_offer          (PsPool        *pool,
                                       guint32        handle,
                                       PsTime         now);
gboolean       ps_pool_has_room       (const PsPool  *pool);
gboolean       ps_pool_finish         (PsPool        *pool,
                                       PsTime         now,
                                       guint32       *out_next);

void           ps_pool_set_workers    (PsPool        *pool,
                                       guint          workers);
gboolean       ps_pool_start_queued   (PsPool        *pool,
                                       PsTime         now,
                                       guint32       *out_handle);
guint          ps_pool_get_workers    (const PsPool  *pool);
guint          ps_pool_get_busy       (const PsPool  *pool);
guint          ps_pool_get_queued     (const PsPool  *pool);
guint          ps_pool_get_max_busy   (const PsPool  *pool);
double         ps_pool_busy_integral  (const PsPool  *pool,
                                       PsTime         now);
gboolean       ps_pool_queue_nth      (const PsPool  *pool,
                                       guint          n,
                                       guint32       *out_handle);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsPool, ps_pool_free)

G_END_DECLS
