/* ps-server.c: the admission decision, in one place for both drivers */
#include "ps-server.h"

struct _PsServer
{
  PsQuota *quota;                 /* owned */
  PsPool  *pool;                  /* owned */
  gint64   retry_after_503_s;
};

/**
 * ps_server_new:
 * @quota: (transfer full):
 * @pool: (transfer full):
 * @retry_after_503_s: the Retry-After sent with a 503, >= 1
 */
PsServer *
ps_server_new (PsQuota *quota, PsPool *pool, gint64 retry_after_503_s)
{
  PsServer *server = g_new0 (PsServer, 1);

  server->quota = quota;
  server->pool = pool;
  server->retry_after_503_s = MAX (1, retry_after_503_s);
  return server;
}

void
ps_server_free (PsServer *server)
{
  if (server == NULL)
    return;
  ps_quota_free (server->quota);
  ps_pool_free (server->pool);
  g_free (server);
}

PsQuota *
ps_server_get_quota (PsServer *server)
{
  return server->quota;
}

PsPool *
ps_server_get_pool (PsServer *server)
{
  return server->pool;
}

/**
 * ps_server_offer:
 * @handle: the pool's handle for this request
 * @out: (out): the verdict with its quota figures
 *
 * Quota first, so a client over its quota hears 429 even when the pool is
 * also full: the 429 tells it when to come back, a 503 would not.
 * Inlined where a link-time optimiser can: it is the simulator's
 * hottest call, and its callers are few.
 */
G_ALWAYS_INLINE inline PsAdmitVerdict
ps_server_offer (PsServer *server, PsQuotaSubject subject, guint32 handle,
                 PsTime now, PsAdmission *out)
{
  out->retry_after_s = 0;
  if (ps_quota_evaluate (server->quota, subject, now, &out->quota) != PS_QUOTA_ALLOW)
    {
      out->verdict = PS_ADMIT_REJECT_429;
      out->retry_after_s = ps_quota_retry_after_s (&out->quota);
      return out->verdict;
    }
  if (!ps_pool_has_room (server->pool))
    {
      out->verdict = PS_ADMIT_REJECT_503;
      out->retry_after_s = server->retry_after_503_s;
      return out->verdict;
    }
  ps_quota_charge (server->quota, subject, now);
  switch (ps_pool_offer (server->pool, handle, now))
    {
    case PS_POOL_STARTED:
      out->verdict = PS_ADMIT_STARTED;
      break;
    case PS_POOL_QUEUED:
      out->verdict = PS_ADMIT_QUEUED;
      break;
    case PS_POOL_FULL:
    default:
      g_assert_not_reached ();           /* has_room said otherwise */
    }
  return out->verdict;
}

/* A request left service; see ps_pool_finish(). */
gboolean
ps_server_finish (PsServer *server, PsTime now, guint32 *out_next)
{
  return ps_pool_finish (server->pool, now, out_next);
}
