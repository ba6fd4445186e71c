/* ps-sweep-plan.h: what a sweep runs: the scenario, its varied keys, the
 * points they make, replications, seeds and metrics
 *
 * A point is one combination of the varied values, in the order the
 * --vary options were given (the last key changes fastest).  Replication r
 * of every point uses the same seed, ps_sweep_seed (scenario seed, r), so
 * that points are compared on common random numbers.  A run is identified
 * by (point, rep).  The plan's definition (ps_sweep_plan_definition()) is
 * everything that decides a sweep's results; shards and resumed sweeps are
 * matched on it.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PS_SWEEP_ERROR (ps_sweep_error_quark ())

typedef enum
{
  PS_SWEEP_ERROR_INVALID,       /* bad usage or input: exit status 2 */
  PS_SWEEP_ERROR_RUN,           /* a run failed: exit status 1 */
} PsSweepError;

#define PS_SWEEP_MAX_VALUES 10000   /* per varied key */
#define PS_SWEEP_MAX_POINTS 1000000
#define PS_SWEEP_MAX_REPS   100000

typedef struct
{
  char      *key;             /* "server.workers", as given */
  GPtrArray *values;          /* char *, each a --set value */
  double    *numbers;         /* each value as a number, NAN if it is not one */
  gboolean   numeric;         /* every value is a number or a duration */
} PsSweepAxis;

typedef struct
{
  char      *scenario_path;   /* as given */
  char      *scenario_name;
  char      *scenario_data;   /* the file's bytes, read once */
  gsize      scenario_length;
  char      *scenario_sha256;
  GStrv      sets;            /* --set, applied before the varied keys */
  guint64    seed;            /* the scenario's, or --seed */

  GPtrArray *axes;            /* PsSweepAxis * */
  guint      n_points;

  guint      reps;            /* fixed count, or the first round when auto */
  gboolean   reps_auto;
  char      *precision_metric; /* auto: which metric must be precise */
  double     precision;       /* ... to this half-width */
  gboolean   precision_relative; /* ... as a share of |mean| */
  guint      reps_max;

  GPtrArray *metrics;         /* char *, dotted summary.json paths */
  guint      baseline;        /* the point differences are taken against */
} PsSweepPlan;

GQuark       ps_sweep_error_quark        (void);
gboolean     ps_sweep_invalid            (GError           **error,
                                          const char        *format,
                                          ...) G_GNUC_PRINTF (2, 3);

PsSweepAxis *ps_sweep_axis_parse         (const char        *spec,
                                          const char        *option,
                                          gboolean           ranges_only,
                                          GError           **error);
void         ps_sweep_axis_free          (PsSweepAxis       *axis);

PsSweepPlan *ps_sweep_plan_new           (void);
void         ps_sweep_plan_free          (PsSweepPlan       *plan);
gboolean     ps_sweep_plan_read_scenario (PsSweepPlan       *plan,
                                          const char        *path,
                                          GError           **error);
gboolean     ps_sweep_plan_count_points  (PsSweepPlan       *plan,
                                          GError           **error);
gboolean     ps_sweep_plan_set_baseline  (PsSweepPlan       *plan,
                                          const char        *spec,
                                          GError           **error);
guint        ps_sweep_plan_value_index   (const PsSweepPlan *plan,
                                          guint              point,
                                          guint              axis);
const char  *ps_sweep_plan_value         (const PsSweepPlan *plan,
                                          guint              point,
                                          guint              axis);
GStrv        ps_sweep_plan_point_sets    (const PsSweepPlan *plan,
                                          guint              point);
char        *ps_sweep_plan_run_command   (const PsSweepPlan *plan,
                                          guint              point,
                                          guint64            seed);

guint64      ps_sweep_seed               (guint64            scenario_seed,
                                          guint              rep);

JsonNode    *ps_sweep_plan_definition    (const PsSweepPlan *plan);
PsSweepPlan *ps_sweep_plan_from_definition (JsonNode        *definition,
                                          GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsSweepAxis, ps_sweep_axis_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsSweepPlan, ps_sweep_plan_free)

G_END_DECLS
