/* ps-server.h: admission = quota, then pool
 *
 * The server's whole decision for one request, shared by the simulator and
 * the live server: over quota is 429 (nothing charged); within quota but
 * with no worker and no queue room is 503 (nothing charged); otherwise the
 * quota is charged and the request starts or waits in the server queue.
 * Not thread-safe: live mode calls it under one lock.
 */
#pragma once

#include <glib.h>

#include "ps-pool.h"
#include "ps-quota.h"

G_BEGIN_DECLS

typedef struct _PsServer PsServer;

typedef enum
{
  PS_ADMIT_STARTED,
  PS_ADMIT_QUEUED,
  PS_ADMIT_REJECT_429,
  PS_ADMIT_REJECT_503,
} PsAdmitVerdict;

typedef struct
{
  PsAdmitVerdict  verdict;
  gint64          retry_after_s;    /* for 429 and 503; 0 otherwise */
  PsQuotaDecision quota;            /* for the RateLimit headers */
} PsAdmission;

PsServer       *ps_server_new          (PsQuota        *quota,
                                        PsPool         *pool,
                                        gint64          retry_after_503_s);
void            ps_server_free         (PsServer       *server);
PsQuota        *ps_server_get_quota    (PsServer       *server);
PsPool         *ps_server_get_pool     (PsServer       *server);

PsAdmitVerdict  ps_server_offer        (PsServer       *server,
                                        PsQuotaSubject  subject,
                                        guint32         handle,
                                        PsTime          now,
                                        PsAdmission    *out);
gboolean        ps_server_finish       (PsServer       *server,
                                        PsTime          now,
                                        guint32        *out_next);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsServer, ps_server_free)

G_END_DECLS
