/* ps-sim.h: a scenario run on a virtual clock
 *
 * Drives the core model with a discrete-event engine: one thread, no real
 * time, so the same scenario and seed always give the same records in the
 * same order.  Records go to the caller's PsRecordSink as they happen.
 * A run fails only with PS_RUN_ERROR_CONSERVATION (ps-run-end.h): a bug.
 */
#pragma once

#include <glib.h>

#include "ps-record.h"
#include "ps-scenario.h"

G_BEGIN_DECLS

typedef struct _PsSim PsSim;

/* Called now and then with how far the run is; return nothing. */
typedef void (*PsSimProgressFunc) (PsTime   sim_now,
                                   PsTime   duration,
                                   guint64  events,
                                   gpointer user_data);

PsSim        *ps_sim_new             (const PsScenario   *scenario,
                                      const PsRecordSink *sink);
void          ps_sim_free            (PsSim              *sim);
void          ps_sim_set_progress    (PsSim              *sim,
                                      PsSimProgressFunc   func,
                                      gpointer            user_data);
gboolean      ps_sim_run             (PsSim              *sim,
                                      GError            **error);
const PsRunSummary *
              ps_sim_get_summary     (const PsSim        *sim);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsSim, ps_sim_free)

G_END_DECLS
