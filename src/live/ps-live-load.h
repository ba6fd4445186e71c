/* ps-live-load.h: `poolsim load`: the scenario's clients on real time
 *
 * Client threads (a few), each with its own GMainContext, drive many
 * clients with libsoup's async API; each client has its own SoupSession
 * bound to its scenario address (local-address, in 127.0.0.0/8), so the
 * server sees distinct client IPs.  The client logic is core's
 * (ps-client.h), driven by real answers and real Retry-After headers,
 * exactly as the simulator drives it.  Records reach the caller's sink
 * from the client threads under one lock (requests.csv then lists
 * requests in the order they finished); bins, clients and the summary
 * come from ps_live_load_finish() on the calling thread.
 *
 * Pool occupancy: a client only learns a request's service interval from
 * its answer, so by default the pool column is rebuilt from answers.
 * When the server runs in the same process, a pool probe samples the
 * pool itself at every bin's end (exact, and never above capacity).
 *
 * The controlling thread calls every function here; ps_live_load_stop()
 * may be called from it at any time (a signal handler's callback).
 */
#pragma once

#include <glib.h>

#include "ps-live.h"
#include "ps-record.h"
#include "ps-scenario.h"

G_BEGIN_DECLS

typedef struct _PsLiveLoad PsLiveLoad;

typedef struct
{
  const char  *target;           /* "http://127.0.0.1:8080" */
  PsLiveClock  clock;            /* t = 0 and the time scale */
  guint        threads;          /* client threads; 0: 2 */
  gint64       grace_us;         /* real time answers get after the end; < 0: 2 s */
  /* the second interrupt quits at once: this runs first (on the
   * controlling thread), to remove what the run wrote */
  void       (*on_quit) (gpointer user_data);
  gpointer     on_quit_data;
} PsLiveLoadOptions;

/* Called on the controlling thread's context when every client thread
 * has finished (the run is over and ps_live_load_finish() won't wait). */
typedef void (*PsLiveLoadDoneFunc) (gpointer user_data);

/* The pool's busy integral (request-µs since t = 0) at scenario time
 * *@out_now, and the most requests ever in service at once. */
typedef double (*PsLivePoolProbeFunc) (gpointer  user_data,
                                       PsTime   *out_now,
                                       guint    *out_max_busy);

PsLiveLoad          *ps_live_load_new          (const PsScenario        *scenario,
                                                const PsLiveLoadOptions *options,
                                                const PsRecordSink      *sink,
                                                GError                 **error);
void                 ps_live_load_free         (PsLiveLoad              *load);
void                 ps_live_load_set_pool_probe (PsLiveLoad            *load,
                                                PsLivePoolProbeFunc      probe,
                                                gpointer                 user_data);

gboolean             ps_live_load_start        (PsLiveLoad              *load,
                                                PsLiveLoadDoneFunc       done,
                                                gpointer                 user_data,
                                                GError                 **error);
void                 ps_live_load_stop         (PsLiveLoad              *load);
gboolean             ps_live_load_finish       (PsLiveLoad              *load,
                                                GError                 **error);
gboolean             ps_live_load_run          (PsLiveLoad              *load,
                                                gboolean                 catch_signals,
                                                GError                 **error);

const PsRunSummary  *ps_live_load_get_summary  (const PsLiveLoad        *load);
guint64              ps_live_load_get_errors   (const PsLiveLoad        *load,
                                                char                   **out_first);
gboolean             ps_live_load_was_stopped  (const PsLiveLoad        *load);

gboolean             ps_live_check_scenario    (const PsScenario        *scenario,
                                                GError                 **error);
gboolean             ps_live_check_target      (const char              *target,
                                                GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsLiveLoad, ps_live_load_free)

G_END_DECLS
