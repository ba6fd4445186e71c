/* ps-sweep-exec.h: a batch of runs on N threads
 *
 * Runs are handed out in the order given; each finished run is passed to
 * @done (one at a time, in the order they finish).  The results do not
 * depend on the number of threads or on timing: each run's are a
 * function of its (point, rep) alone.  The first failure stops the batch:
 * runs in progress finish, no new one starts.
 */
#pragma once

#include "ps-sweep-run.h"

G_BEGIN_DECLS

typedef void (*PsSweepDoneFunc) (PsSweepRun *run,
                                 gpointer    user_data);

typedef struct
{
  guint            jobs;            /* threads; 0 = 1 */
  const char      *keep_root;       /* --keep-runs: run directories here */
  PsSweepDoneFunc  done;            /* takes the run */
  gpointer         done_data;
} PsSweepExec;

gboolean  ps_sweep_exec_batch    (const PsSweepPlan *plan,
                                  const PsSweepExec *exec,
                                  GPtrArray         *runs,
                                  GError           **error);
char     *ps_sweep_run_dir_name  (const PsSweepPlan *plan,
                                  guint              point,
                                  guint              rep);

G_END_DECLS
