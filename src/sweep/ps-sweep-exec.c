/* ps-sweep-exec.c: a batch of runs on worker threads
 *
 * Plain GThreads pulling the next run from a shared index: a run is a
 * whole simulation, so there is nothing to gain from finer scheduling.
 */
#include "ps-sweep-exec.h"

#include <string.h>

typedef struct
{
  const PsSweepPlan *plan;
  const PsSweepExec *exec;
  GPtrArray         *runs;          /* PsSweepRun *, taken one by one */
  gint               next;          /* atomic */
  GMutex             lock;
  GError            *error;         /* the first failure */
} Batch;

/* runs/p0003-r0007: where --keep-runs puts a run. */
char *
ps_sweep_run_dir_name (const PsSweepPlan *plan, guint point, guint rep)
{
  return g_strdup_printf ("p%04u-r%04u", point, rep);
}

static char *
describe (const PsSweepPlan *plan, const PsSweepRun *run)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "point %u (", run->point);
  for (guint a = 0; a < plan->axes->len; a++)
    g_string_append_printf (out, "%s%s=%s", a ? ", " : "",
                            ((PsSweepAxis *) plan->axes->pdata[a])->key,
                            ps_sweep_plan_value (plan, run->point, a));
  g_string_append_printf (out, "), replication %u, seed %" G_GUINT64_FORMAT,
                          run->rep, run->seed);
  return g_string_free (out, FALSE);
}

static gpointer
worker (gpointer data)
{
  Batch *b = data;

  for (;;)
    {
      gint i = g_atomic_int_add (&b->next, 1);
      PsSweepRun *run;
      g_autoptr(GError) error = NULL;
      g_autofree char *keep = NULL;
      gboolean stop;

      if (i >= (gint) b->runs->len)
        return NULL;
      g_mutex_lock (&b->lock);
      stop = b->error != NULL;
      g_mutex_unlock (&b->lock);
      if (stop)
        return NULL;
      run = b->runs->pdata[i];
      b->runs->pdata[i] = NULL;
      if (b->exec->keep_root != NULL)
        {
          g_autofree char *name = ps_sweep_run_dir_name (b->plan, run->point, run->rep);

          keep = g_build_filename (b->exec->keep_root, name, NULL);
        }
      if (!ps_sweep_run_simulate (b->plan, run, keep, &error))
        {
          g_autofree char *what = NULL;

          run->seed = ps_sweep_seed (b->plan->seed, run->rep);
          what = describe (b->plan, run);
          g_mutex_lock (&b->lock);
          if (b->error == NULL)
            b->error = g_error_new (PS_SWEEP_ERROR, PS_SWEEP_ERROR_RUN, "%s failed: %s",
                                    what, error->message);
          g_mutex_unlock (&b->lock);
          ps_sweep_run_free (run);
          return NULL;
        }
      g_mutex_lock (&b->lock);
      b->exec->done (run, b->exec->done_data);
      g_mutex_unlock (&b->lock);
    }
}

/**
 * ps_sweep_exec_batch:
 * @runs: (transfer container): PsSweepRun * with point and rep set; each
 *   is handed to @exec->done when it has run, or freed
 */
gboolean
ps_sweep_exec_batch (const PsSweepPlan *plan, const PsSweepExec *exec, GPtrArray *runs,
                     GError **error)
{
  Batch b = { plan, exec, runs, 0, { 0 }, NULL };
  guint jobs = CLAMP (exec->jobs, 1, MAX (runs->len, 1));
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();

  g_mutex_init (&b.lock);
  if (jobs == 1)
    worker (&b);                      /* -j 1 stays on this thread */
  else
    {
      for (guint t = 0; t < jobs; t++)
        g_ptr_array_add (threads, g_thread_new ("sweep", worker, &b));
      for (guint t = 0; t < threads->len; t++)
        g_thread_join (threads->pdata[t]);
    }
  g_mutex_clear (&b.lock);
  for (guint i = 0; i < runs->len; i++)
    if (runs->pdata[i] != NULL)
      ps_sweep_run_free (runs->pdata[i]);
  g_ptr_array_set_size (runs, 0);
  if (b.error != NULL)
    {
      g_propagate_error (error, b.error);
      return FALSE;
    }
  return TRUE;
}
