/* ps-sweep-run.h: one run of a sweep, simulated in this process
 *
 * A run loads its point from the plan's scenario bytes (with the --set
 * and the point's values), sets its replication's seed, simulates, and
 * keeps the metrics of its summary.  Runs share nothing, so any number
 * can run at once on different threads.
 */
#pragma once

#include "ps-sweep-plan.h"

G_BEGIN_DECLS

typedef struct
{
  guint    point;
  guint    rep;
  guint64  seed;
  guint64  events;
  guint64  generated;
  double  *values;          /* one per plan metric; NAN: missing */
} PsSweepRun;

PsSweepRun *ps_sweep_run_new        (guint              point,
                                     guint              rep,
                                     guint              n_metrics);
void        ps_sweep_run_free       (PsSweepRun        *run);
gint        ps_sweep_run_compare    (gconstpointer      a,
                                     gconstpointer      b);
gboolean    ps_sweep_run_simulate   (const PsSweepPlan *plan,
                                     PsSweepRun        *run,
                                     const char        *keep_dir,
                                     GError           **error);
JsonNode   *ps_sweep_probe_summary  (const PsSweepPlan *plan,
                                     GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsSweepRun, ps_sweep_run_free)

G_END_DECLS
