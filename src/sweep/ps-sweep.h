/* ps-sweep.h: sweeps and searches over many simulated runs
 *
 * ps_sweep_prepare() builds and checks a plan before anything is written:
 * every varied value is loaded as a --set would be, and every metric path
 * is looked up in a summary of the scenario.  ps_sweep_execute() runs a
 * plan (or one shard of it) and writes the sweep directory;
 * ps_sweep_merge() writes it from the shards of a sweep that ran in
 * pieces.  ps_find() searches one numeric key for where a target is met.
 */
#pragma once

#include "ps-sweep-metrics.h"
#include "ps-sweep-plan.h"
#include "ps-sweep-tables.h"

G_BEGIN_DECLS

typedef void (*PsSweepProgressFunc) (guint    done,
                                     guint    total,
                                     gpointer user_data);

typedef struct
{
  const char         *scenario;     /* the file */
  const char *const  *sets;         /* --set */
  const char         *seed;         /* --seed, or NULL */
  const char *const  *varies;       /* --vary */
  const char *const  *metrics;      /* --metric, or NULL for the default set */
  const char         *baseline;     /* --baseline, or NULL */
  const char         *reps;         /* --reps N or "auto"; NULL = 10 */
  const char         *precision;    /* --precision, with --reps auto */
  guint               reps_max;     /* --reps-max; 0 = 100 */
  gboolean            ranges_only;  /* find */
  gboolean            one_point;    /* agree: no --vary, the scenario itself */
  const char         *extra_metric; /* find's --target metric */
} PsSweepRequest;

typedef struct
{
  const char          *dir;
  guint                jobs;
  guint                shard;       /* 1-based; 0 or 1 of 1: the whole sweep */
  guint                n_shards;
  gboolean             resume;
  gboolean             keep_runs;
  PsSweepProgressFunc  progress;
  gpointer             progress_data;
} PsSweepOptions;

PsSweepPlan *ps_sweep_prepare    (const PsSweepRequest *request,
                                  GError              **error);
gboolean     ps_sweep_parse_shard (const char          *text,
                                  guint                *out_shard,
                                  guint                *out_n_shards,
                                  GError              **error);
gboolean     ps_sweep_execute    (const PsSweepPlan    *plan,
                                  const PsSweepOptions *options,
                                  GPtrArray           **out_runs,
                                  GError              **error);
gboolean     ps_sweep_merge      (const char           *dir,
                                  PsSweepPlan         **out_plan,
                                  GPtrArray           **out_runs,
                                  GError              **error);

typedef struct
{
  guint     value;                 /* index into the axis */
  PsMoments moments;
  double    ci95;
  gboolean  meets;
} PsFindProbe;

typedef struct
{
  GArray   *probes;                /* PsFindProbe, in the order evaluated */
  gint      answer;                /* probe index, or -1: no value meets it */
  gint      neighbour;             /* probe index, or -1 */
  gboolean  certain;               /* no interval there overlaps the target */
  GPtrArray *warnings;             /* char * */
} PsFindResult;

gboolean     ps_find             (const PsSweepPlan    *plan,
                                  const PsSweepTarget  *target,
                                  gboolean              maximize,
                                  const PsSweepOptions *options,
                                  PsFindResult         *out,
                                  GError              **error);
void         ps_find_result_clear (PsFindResult        *result);
gboolean     ps_find_write       (const char           *dir,
                                  const PsSweepPlan    *plan,
                                  const PsSweepTarget  *target,
                                  gboolean              maximize,
                                  const PsFindResult   *result,
                                  GError              **error);

G_END_DECLS
