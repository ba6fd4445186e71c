/* ps-sweep-journal.h: what a sweep has done so far, on disk
 *
 * Each shard K of N of a sweep writes DIR/shards/K-of-N.json (the sweep's
 * definition) and appends one line per finished run to DIR/shards/
 * K-of-N.csv, flushed at once, so that an interrupted sweep loses at most
 * the runs in progress (--resume), and shards that ran anywhere can be
 * merged.  An unsharded sweep is shard 1 of 1.
 */
#pragma once

#include <stdio.h>

#include "ps-sweep-run.h"

G_BEGIN_DECLS

typedef struct _PsSweepJournal PsSweepJournal;

PsSweepJournal *ps_sweep_journal_open    (const char        *dir,
                                          const PsSweepPlan *plan,
                                          guint              shard,
                                          guint              n_shards,
                                          gboolean           resume,
                                          GPtrArray         *out_done,
                                          GError           **error);
gboolean        ps_sweep_journal_append  (PsSweepJournal    *journal,
                                          const PsSweepRun  *run);
gboolean        ps_sweep_journal_close   (PsSweepJournal    *journal,
                                          GError           **error);
void            ps_sweep_journal_free    (PsSweepJournal    *journal);

gboolean        ps_sweep_shard_owns      (const PsSweepPlan *plan,
                                          guint              point,
                                          guint              rep,
                                          guint              shard,
                                          guint              n_shards);
gboolean        ps_sweep_journal_merge   (const char        *dir,
                                          PsSweepPlan      **out_plan,
                                          GPtrArray        **out_runs,
                                          GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsSweepJournal, ps_sweep_journal_free)

G_END_DECLS
