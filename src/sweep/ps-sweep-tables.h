/* ps-sweep-tables.h: a sweep's results as tables: runs, points, paired
 * comparisons, and sweep.json
 *
 * Built from the runs alone (sorted by point and replication), so an
 * unsharded sweep, a resumed one and a merge of shards write the same
 * bytes.
 */
#pragma once

#include "ps-stats.h"
#include "ps-sweep-run.h"

G_BEGIN_DECLS

typedef struct
{
  const PsSweepPlan *plan;
  GPtrArray         *runs;          /* sorted, not owned */
  guint             *start;         /* runs of point p: [start[p], start[p+1]) */
} PsSweepTable;

void       ps_sweep_table_init       (PsSweepTable      *table,
                                      const PsSweepPlan *plan,
                                      GPtrArray         *runs);
void       ps_sweep_table_clear      (PsSweepTable      *table);
PsMoments  ps_sweep_table_moments    (const PsSweepTable *table,
                                      guint              point,
                                      guint              metric);
PsMoments  ps_sweep_table_paired     (const PsSweepTable *table,
                                      guint              point,
                                      guint              metric);
guint      ps_sweep_table_n          (const PsSweepTable *table,
                                      guint              point);
gboolean   ps_sweep_write_tables     (const char        *dir,
                                      const PsSweepTable *table,
                                      GError           **error);

G_END_DECLS
