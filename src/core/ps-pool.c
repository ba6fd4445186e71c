/* ps-pool.c: busy-worker count plus a ring buffer for the server queue
 *
 * Invariant: queued > 0 only when busy >= workers (a waiting request would
 * otherwise have been started).  busy > workers only after a fault shrank
 * the pool: requests in service finish, and none starts until busy is
 * below the new size.  The occupancy integral is kept exactly in
 * 128-bit integer request-microseconds.
 */
#include "ps-pool.h"

struct _PsPool
{
  guint              workers;
  guint              busy;
  guint              max_busy;
  guint              queue_limit;
  guint              queue_len;
  guint              queue_head;
  guint32           *ring;                /* queue_limit entries */
  PsTime             last_change;
  unsigned __int128  busy_us;             /* integral of busy over time */
};

PsPool *
ps_pool_new (guint workers, guint queue_limit)
{
  PsPool *pool;

  g_return_val_if_fail (workers >= 1, NULL);

  pool = g_new0 (PsPool, 1);
  pool->workers = workers;
  pool->queue_limit = queue_limit;
  pool->ring = queue_limit ? g_new (guint32, queue_limit) : NULL;
  return pool;
}

void
ps_pool_free (PsPool *pool)
{
  if (pool == NULL)
    return;
  g_free (pool->ring);
  g_free (pool);
}

static void
advance (PsPool *pool, PsTime now)
{
  if (now > pool->last_change)             /* live clocks may step back: clamp */
    {
      pool->busy_us += (unsigned __int128) pool->busy * (guint64) (now - pool->last_change);
      pool->last_change = now;
    }
}

/**
 * ps_pool_offer:
 * @handle: what to hand back from ps_pool_finish() when it is its turn
 *
 * Admits @handle into service or the queue, or refuses it when both are full.
 */
PsPoolVerdict
ps_pool_offer (PsPool *pool, guint32 handle, PsTime now)
{
  advance (pool, now);
  if (pool->busy < pool->workers)
    {
      pool->busy++;
      pool->max_busy = MAX (pool->max_busy, pool->busy);
      return PS_POOL_STARTED;
    }
  if (pool->queue_len < pool->queue_limit)
    {
      pool->ring[(pool->queue_head + pool->queue_len++) % pool->queue_limit] = handle;
      return PS_POOL_QUEUED;
    }
  return PS_POOL_FULL;
}

gboolean
ps_pool_has_room (const PsPool *pool)
{
  return pool->busy < pool->workers || pool->queue_len < pool->queue_limit;
}

/**
 * ps_pool_finish:
 * @out_next: (out): the queued handle that now starts, if any
 *
 * One request leaves service.  Returns: TRUE when a queued request took
 * the freed worker.
 */
gboolean
ps_pool_finish (PsPool *pool, PsTime now, guint32 *out_next)
{
  g_return_val_if_fail (pool->busy > 0, FALSE);

  advance (pool, now);
  if (pool->queue_len > 0 && pool->busy <= pool->workers)
    {
      *out_next = pool->ring[pool->queue_head];
      pool->queue_head = (pool->queue_head + 1) % pool->queue_limit;
      pool->queue_len--;
      return TRUE;                         /* busy unchanged: handed over */
    }
  pool->busy--;
  return FALSE;
}

/**
 * ps_pool_set_workers:
 * @workers: the pool's size from now on; may be 0
 *
 * A fault shrinks the pool or its end restores it.  Shrinking stops
 * nothing in service; after growing, call ps_pool_start_queued() until
 * it returns FALSE.
 */
void
ps_pool_set_workers (PsPool *pool, guint workers)
{
  pool->workers = workers;
}

/* A waiting request takes a free worker, if there is both.  Returns: TRUE
 * with its handle. */
gboolean
ps_pool_start_queued (PsPool *pool, PsTime now, guint32 *out_handle)
{
  if (pool->queue_len == 0 || pool->busy >= pool->workers)
    return FALSE;
  advance (pool, now);
  *out_handle = pool->ring[pool->queue_head];
  pool->queue_head = (pool->queue_head + 1) % pool->queue_limit;
  pool->queue_len--;
  pool->busy++;
  pool->max_busy = MAX (pool->max_busy, pool->busy);
  return TRUE;
}

guint
ps_pool_get_workers (const PsPool *pool)
{
  return pool->workers;
}

guint
ps_pool_get_busy (const PsPool *pool)
{
  return pool->busy;
}

guint
ps_pool_get_queued (const PsPool *pool)
{
  return pool->queue_len;
}

guint
ps_pool_get_max_busy (const PsPool *pool)
{
  return pool->max_busy;
}

/* Request-microseconds of service up to @now (>= the last change). */
double
ps_pool_busy_integral (const PsPool *pool, PsTime now)
{
  unsigned __int128 total = pool->busy_us;

  if (now > pool->last_change)
    total += (unsigned __int128) pool->busy * (guint64) (now - pool->last_change);
  return (double) total;
}

/* The @n-th waiting handle, 0 = next to start. */
gboolean
ps_pool_queue_nth (const PsPool *pool, guint n, guint32 *out_handle)
{
  if (n >= pool->queue_len)
    return FALSE;
  *out_handle = pool->ring[(pool->queue_head + n) % pool->queue_limit];
  return TRUE;
}
