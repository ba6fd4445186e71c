/* ps-live-timers.h: a client thread's timers, one GSource for all of them
 *
 * A binary heap of (scenario time, sequence) keyed timers and one GSource
 * on the thread's GMainContext whose ready time is the heap top's real
 * deadline (PsLiveClock): thousands of pending arrivals, resumes and
 * timeouts cost one wakeup each and no GSource apiece.  Timers due at the
 * same instant fire in the order they were added.  Not thread-safe: the
 * thread that owns the context adds and fires.
 */
#pragma once

#include <glib.h>

#include "ps-live.h"

G_BEGIN_DECLS

typedef struct
{
  PsTime  time;                  /* scenario time it is due */
  guint64 seq;                   /* order of adding: breaks ties */
  guint   kind;                  /* the caller's */
  guint32 target;                /* the caller's: a client or a slot */
  guint64 ref;                   /* the caller's: a request id */
} PsLiveTimer;

typedef struct _PsLiveTimers PsLiveTimers;

/* Called for each due timer, with the scenario time now (>= its time). */
typedef void (*PsLiveTimerFunc) (const PsLiveTimer *timer,
                                 gpointer           user_data);

PsLiveTimers *ps_live_timers_new     (const PsLiveClock *clock,
                                      GMainContext      *context,
                                      PsLiveTimerFunc    func,
                                      gpointer           user_data);
void          ps_live_timers_free    (PsLiveTimers      *timers);
void          ps_live_timers_add     (PsLiveTimers      *timers,
                                      PsTime             time,
                                      guint              kind,
                                      guint32            target,
                                      guint64            ref);
guint         ps_live_timers_size    (const PsLiveTimers *timers);

G_END_DECLS
