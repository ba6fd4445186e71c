/* ps-scenario-explain.h: what a scenario asks of its server, before a run
 *
 * Long-run rates from the scenario alone: what each group offers, what
 * its quota and its concurrency let through, and what that is for the
 * pool (Erlangs against workers, an M/M/c/K estimate of blocking and
 * waiting).  Estimates, not results: retries, bursts and window resets
 * are what a run is for.  `poolsim check` prints them, as `run --explain`.
 */
#pragma once

#include "ps-scenario.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  guint       clients;
  double      rate;            /* per client, requests/s (mean) */
  double      quota_rate;      /* per client, what the quota admits in the
                                * long run, requests/s; INFINITY: none binds */
  char       *quota_text;      /* "60 per 1m (fixed_window)", "override: ..." */
  gboolean    quota_override;
  double      service_s;       /* mean service time of its requests */
  double      latency_s;       /* mean one-way network latency */
  double      concurrency_cap; /* per client, requests/s; INFINITY: none */
  double      admitted;        /* per client: min (rate, quota, cap) */
} PsExplainGroup;

typedef struct
{
  PsExplainGroup *groups;
  guint           n_groups;
  double          offered;      /* requests/s, all clients */
  double          admitted;     /* ... after quota and concurrency caps */
  double          erlangs;      /* admitted × mean service time */
  double          rho;          /* erlangs / workers */
  double          blocking;     /* M/M/c/K: P(an arrival finds pool and queue full) */
  double          waiting;      /* M/M/c/K: P(an arrival waits in the queue) */
  GPtrArray      *warnings;     /* char * */
} PsExplain;

PsExplain *ps_scenario_explain       (const PsScenario *scenario);
void       ps_explain_free           (PsExplain        *explain);
double     ps_mmck_blocking          (guint             servers,
                                      guint             queue,
                                      double            erlangs,
                                      double           *out_waiting);
char      *ps_explain_format_rate    (double            per_s);
guint64    ps_scenario_memory_estimate (const PsScenario *scenario);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsExplain, ps_explain_free)

G_END_DECLS
