/* ps-request.h: one generated request, and the table that holds them
 *
 * Requests live in recycled slots of one table, addressed by a guint32
 * slot number; a slot is freed as soon as its request reaches its final
 * state and has been written out, so memory follows the requests in
 * flight, never the number generated.  A request's id (creation order) is
 * unique for the run; a slot number is not, so anything that may outlive
 * a request (a timer, a queue entry) keeps both and checks the id.
 */
#pragma once

#include <glib.h>

#include "ps-time.h"

G_BEGIN_DECLS

#define PS_NO_SLOT G_MAXUINT32

typedef enum
{
  PS_OUTCOME_COMPLETED,
  PS_OUTCOME_REJECTED,           /* the client gave it up after a 429/503 */
  PS_OUTCOME_DROPPED,            /* client queue overflow or timeout */
  PS_OUTCOME_PENDING,            /* still waiting when the run ended */
} PsOutcome;

typedef enum
{
  PS_REQUEST_FREE,               /* slot unused */
  PS_REQUEST_QUEUED,             /* waiting in its client's queue */
  PS_REQUEST_SENT,               /* at the server: in its queue or a worker */
  PS_REQUEST_DONE,               /* final; outcome set */
} PsRequestState;

typedef struct
{
  guint64        id;
  guint32        client;
  guint8         priority;
  guint8         state;          /* PsRequestState */
  guint8         outcome;        /* PsOutcome, once DONE */
  PsTime         created;
  PsTime         first_sent;     /* -1: never */
  PsTime         admitted;       /* -1: never */
  PsTime         work;           /* service time it needs from a worker */
  guint32        attempts;       /* sent to the server */
  guint32        n429;
  guint32        n503;
  guint16        local_rejections;   /* attempts its client's throttle refused */
  guint16        budget_cost;    /* tokens its latest retry took */
} PsRequest;

/* 64 bytes: a large backlog is millions of these.  When it completed is
 * not kept: the request is final then, and the sink is given the instant
 * (PsRecordSink.request's @ended). */
G_STATIC_ASSERT (sizeof (PsRequest) == 64);

typedef struct _PsRequestTable PsRequestTable;

PsRequestTable  *ps_request_table_new       (void);
void             ps_request_table_free      (PsRequestTable *table);
guint32          ps_request_table_alloc     (PsRequestTable *table);
void             ps_request_table_release   (PsRequestTable *table,
                                             guint32         slot);
PsRequest       *ps_request_table_get       (PsRequestTable *table,
                                             guint32         slot);
void             ps_request_table_prefetch  (const PsRequestTable *table,
                                             guint32         slot);
guint32          ps_request_table_n_slots   (const PsRequestTable *table);
guint32          ps_request_table_n_live    (const PsRequestTable *table);

const char      *ps_outcome_to_string       (PsOutcome outcome);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRequestTable, ps_request_table_free)

G_END_DECLS
