/* ps-live-admission.h: the live server's admission state behind one lock
 *
 * Quota subjects keyed by client IPv4 address (created on first sight,
 * tiered by the scenario's overrides), the pool with its server queue,
 * the server's random stream, and the requests now in the pool.  Every
 * function takes the lock, reads the live clock once, calls core, and
 * returns values: no I/O and no logging under the lock (nginx's shmtx
 * around lookup).  Thread-safe: the server thread admits, worker threads
 * finish, and any thread may take a snapshot.
 */
#pragma once

#include <glib.h>

#include "ps-live.h"
#include "ps-scenario.h"
#include "ps-server.h"

G_BEGIN_DECLS

typedef struct _PsLiveAdmission PsLiveAdmission;

/* One admitted request, as /v1/pool shows it. */
typedef struct
{
  guint64  id;
  guint32  ip;
  guint    priority;
  PsTime   work;                 /* service it asks for */
  PsTime   admitted;
  PsTime   started;              /* -1: waiting in the server queue */
} PsLivePoolEntry;

/* The answer to one admission attempt. */
typedef struct
{
  PsAdmission   admission;
  guint64       id;              /* when admitted: the request's number */
  guint32       handle;          /* when admitted: for ps_live_admission_finish() */
  PsTime        now;
  PsTime        work;            /* the service it will get */
  guint         busy;            /* requests in service after this one started */
  PsQuotaPolicy policies[PS_QUOTA_MAX_POLICIES];   /* the client's, for headers */
  guint         n_policies;
} PsLiveTicket;

/* What a worker learns when it finishes a request. */
typedef struct
{
  PsTime   admitted;
  PsTime   started;
  PsTime   finished;
  gboolean has_next;             /* a queued request now starts: */
  gpointer next_data;            /* ... its data, */
  guint32  next_handle;          /* ... its handle, */
  PsTime   next_work;            /* ... its service, */
  guint    next_busy;            /* ... and the pool's size then */
} PsLiveFinish;

/* A client address's quota as /v1/clients/{ip} shows it. */
typedef struct
{
  guint32         ip;
  gboolean        known_client;  /* one of the scenario's client addresses */
  guint64         admitted;
  guint64         rejected_429;
  guint64         rejected_503;
  PsTime          now;
  PsQuotaDecision decision;      /* for one more request now */
  PsQuotaPolicy   policies[PS_QUOTA_MAX_POLICIES];
  guint           n_policies;
} PsLiveSubjectInfo;

/* Answers by client group (labels of /metrics). */
typedef struct
{
  const char *name;              /* the scenario's, or "unknown" */
  guint64     admitted;
  guint64     rejected_429;
  guint64     rejected_503;
} PsLiveGroupCounts;

/* 429s by the name of the policy that refused. */
typedef struct
{
  char    name[PS_QUOTA_NAME_LEN];
  guint64 rejected_429;
} PsLivePolicyCounts;

/* The pool's figures, for /v1/stats and /metrics. */
typedef struct
{
  PsTime  now;
  guint   workers;
  guint   queue_limit;
  guint   busy;
  guint   queued;
  guint   max_busy;
  double  busy_integral;         /* request-microseconds since t = 0 */
  guint   subjects;              /* distinct client addresses seen */
  guint64 admitted;
  guint64 rejected_429;
  guint64 rejected_503;
  PsLiveGroupCounts  *groups;      /* copies: ps_live_pool_stats_clear() */
  guint               n_groups;
  PsLivePolicyCounts *policies;
  guint               n_policies;
} PsLivePoolStats;

PsLiveAdmission *ps_live_admission_new       (const PsScenario   *scenario,
                                              const PsLiveClock  *clock);
void             ps_live_admission_free      (PsLiveAdmission    *admission);

PsAdmitVerdict   ps_live_admission_try       (PsLiveAdmission    *admission,
                                              guint32             ip,
                                              guint               priority,
                                              PsTime              work,
                                              gpointer            data,
                                              PsLiveTicket       *out_ticket);
void             ps_live_admission_finish    (PsLiveAdmission    *admission,
                                              guint32             handle,
                                              PsLiveFinish       *out_finish);

PsTime           ps_live_admission_now       (PsLiveAdmission    *admission);
GArray          *ps_live_admission_pool      (PsLiveAdmission    *admission,
                                              PsTime             *out_now);
void             ps_live_admission_stats     (PsLiveAdmission    *admission,
                                              PsLivePoolStats    *out_stats);
void             ps_live_pool_stats_clear    (PsLivePoolStats    *stats);
double           ps_live_admission_probe     (gpointer            admission,
                                              PsTime             *out_now,
                                              guint              *out_max_busy);
gboolean         ps_live_admission_subject   (PsLiveAdmission    *admission,
                                              guint32             ip,
                                              PsLiveSubjectInfo  *out_info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsLiveAdmission, ps_live_admission_free)

G_END_DECLS
