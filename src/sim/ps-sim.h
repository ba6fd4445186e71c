/* ps-sim.h: a scenario run on a virtual clock
 *
 * Drives the core model with a discrete-event engine: one thread, no real
 * time, so the same scenario and seed always give the same records in the
 * same order.  Records go to the caller's PsRecordSink as they happen.
 */
#pragma once

#include <glib.h>

#include "ps-record.h"
#include "ps-scenario.h"

G_BEGIN_DECLS

#define PS_SIM_ERROR (ps_sim_error_quark ())

typedef enum
{
  PS_SIM_ERROR_CONSERVATION,     /* a request went missing: a bug */
} PsSimError;

typedef struct _PsSim PsSim;

/* Called now and then with how far the run is; return nothing. */
typedef void (*PsSimProgressFunc) (PsTime   sim_now,
                                   PsTime   duration,
                                   guint64  events,
                                   gpointer user_data);

GQuark        ps_sim_error_quark     (void);

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
