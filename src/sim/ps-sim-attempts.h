/* ps-sim-attempts.h: the simulator's records of attempts sent
 *
 * Once clients may stop waiting (request_timeout) one request can have
 * several attempts at the server at once, and an attempt can outlive its
 * request; the simulator then keeps one record per attempt, from its
 * send until its last event (its answer delivered or discarded).  A
 * record's index is stable while it lives: it is the attempt's pool
 * handle and rides in its events.  Indices are recycled.
 */
#pragma once

#include <glib.h>

#include "ps-time.h"

G_BEGIN_DECLS

typedef struct
{
  guint64 request_id;
  guint32 slot;                          /* its request's, then */
  guint32 client;
  guint32 number;                        /* its request's attempts then */
  PsTime  work;                          /* service asked */
  PsTime  sent_at;
  PsTime  start;                         /* service start; -1: not yet */
  PsTime  service;                       /* service given (faults apply) */
} PsSimAttempt;

typedef struct _PsSimAttempts PsSimAttempts;

/* Called for each live record, in index order. */
typedef void (*PsSimAttemptFunc) (const PsSimAttempt *attempt,
                                  gpointer            user_data);

PsSimAttempts *ps_sim_attempts_new      (void);
void           ps_sim_attempts_free     (PsSimAttempts      *attempts);
guint32        ps_sim_attempts_add      (PsSimAttempts      *attempts,
                                         const PsSimAttempt *attempt);
PsSimAttempt  *ps_sim_attempts_get      (PsSimAttempts      *attempts,
                                         guint32             index);
void           ps_sim_attempts_remove   (PsSimAttempts      *attempts,
                                         guint32             index);
void           ps_sim_attempts_foreach  (PsSimAttempts      *attempts,
                                         PsSimAttemptFunc    func,
                                         gpointer            user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsSimAttempts, ps_sim_attempts_free)

G_END_DECLS
