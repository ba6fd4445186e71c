/* ps-client.h: what a client does with its requests and the answers
 *
 * The client logic of the model, the same in the simulator and in live
 * mode: a priority queue of waiting requests, at most @concurrency of them
 * outstanding, and a reaction to every answer (200, 429, 503) that may
 * requeue the request and pause the client.  It never reads a clock or
 * schedules anything: it returns the instant it wants to resume, and the
 * driver calls ps_client_resume() then.  Not thread-safe: a client belongs
 * to one thread.
 */
#pragma once

#include <glib.h>

#include "ps-arrival.h"
#include "ps-client-policy.h"
#include "ps-quota.h"
#include "ps-request.h"
#include "ps-request-queue.h"
#include "ps-retry-budget.h"
#include "ps-rng.h"
#include "ps-throttle.h"

G_BEGIN_DECLS

/* What only clients with a budget, a throttle or decorrelated jitter keep. */
typedef struct
{
  PsRetryBudget budget;
  PsThrottle    throttle;
  PsTime        previous_delay;         /* decorrelated jitter; 0: none yet */
} PsClientRetry;

/* Fields are ordered by heat: what every send and answer touches comes
 * first, to share a cache line; identity, streams and counters follow. */
typedef struct
{
  const PsClientPolicy *policy;         /* shared by the group */
  PsRequestQueue        queue;
  guint32               queued;         /* live entries in @queue */
  guint32               outstanding;
  gboolean              paused;
  guint32               failures;       /* consecutive 429/503 answers */
  PsTime                paused_until;
  PsQuotaSubject        subject;        /* its address's quota state */
  guint8                hold_unreported;  /* self_throttle paused in _next():
                                           * 1 = extended, 2 = began */
  /* from the policy, where the hot path reads them (padding before) */
  guint8                next_checked;     /* throttle or ratio budget */
  guint8                retries_limited;  /* max_attempts or a budget */
  guint8                keeps_retry_state;  /* @retry is allocated */
  guint32               known_remaining;  /* self_throttle: last RateLimit r, */
  guint8                chart_entry;      /* its chart tally entry + 1, or 0: in
                                           * a hole, read where the record is hot */
  PsTime                known_reset_at;   /* ... and when it said it resets */

  guint32               id;
  guint32               group;
  guint32               index;          /* within its group */
  guint32               ip;
  PsRng                 traffic;        /* arrivals, priorities, work */
  PsRng                 behaviour;      /* backoff jitter */
  PsArrivalState        arrival;        /* its place in its arrival process */

  guint64               generated;
  guint64               attempts;       /* requests sent, retries included */
  guint64               completed;
  guint64               rejected;
  guint64               dropped;
  guint64               n429;
  guint64               n503;
  PsTime                latency_sum;    /* of completed requests */
  PsClientRetry        *retry;          /* NULL unless its policy needs it */
} PsClient;

/* What happened to a request after an answer (or a timeout, or a
 * local rejection). */
typedef enum
{
  PS_REACTION_COMPLETED,                /* final: outcome completed */
  PS_REACTION_REQUEUED,                 /* back in the queue */
  PS_REACTION_REJECTED,                 /* final: outcome rejected */
  PS_REACTION_DROPPED,                  /* final: timed out while refused */
} PsReactionKind;

typedef struct
{
  PsReactionKind kind;
  gboolean       began_pause;           /* the client was not paused before */
  PsTime         resume_at;             /* call ps_client_resume() then; -1: none */
} PsReaction;

/* An attempt the client's throttle refused before it was sent. */
typedef struct
{
  guint32    slot;                      /* PS_NO_SLOT: none */
  PsReaction reaction;
} PsLocalRejection;

void        ps_client_init          (PsClient             *client,
                                     guint32               id,
                                     const PsClientPolicy *policy,
                                     guint64               seed,
                                     guint64               stream);
void        ps_client_clear         (PsClient             *client);

gboolean    ps_client_enqueue       (PsClient             *client,
                                     PsRequestTable       *table,
                                     guint32               slot);
guint32     ps_client_next          (PsClient             *client,
                                     PsRequestTable       *table,
                                     PsTime                now);
guint32     ps_client_next_checked  (PsClient             *client,
                                     PsRequestTable       *table,
                                     PsTime                now,
                                     PsLocalRejection     *out_local);
PsReaction  ps_client_on_timeout    (PsClient             *client,
                                     PsRequestTable       *table,
                                     guint32               slot,
                                     PsTime                now);
void        ps_client_defer_hold    (PsClient             *client,
                                     gboolean              began);
PsReaction  ps_client_on_response   (PsClient             *client,
                                     PsRequestTable       *table,
                                     guint32               slot,
                                     guint                 status,
                                     gint64                retry_after_s,
                                     PsTime                now);
void        ps_client_note_quota    (PsClient             *client,
                                     guint32               remaining,
                                     gint64                reset_s,
                                     PsTime                now);
gboolean    ps_client_take_hold     (PsClient             *client,
                                     PsTime               *out_until,
                                     gboolean             *out_began);
gboolean    ps_client_expire        (PsClient             *client,
                                     PsRequest            *request);
gboolean    ps_client_resume        (PsClient             *client,
                                     PsTime                now);
gboolean    ps_client_is_paused     (const PsClient       *client,
                                     PsTime                now);
const char *ps_client_format_name   (const PsClient       *client,
                                     const char           *group,
                                     char                 *buf,
                                     gsize                 len);

G_END_DECLS
