/* ps-retry-budget.h: may this client retry now?
 *
 * Two kinds, as deployed clients and proxies have them:
 *
 * - TOKENS, the AWS SDKs' standard retry mode: a bucket of @tokens that
 *   starts full.  A retry takes retry_cost (timeout_cost after a timeout);
 *   with fewer tokens left it is not made.  A success gives back what its
 *   own retry took, or success_refill when it needed no retry; the bucket
 *   never holds more than its capacity.
 * - RATIO, Envoy's and Linkerd's retry budget: over the sliding window,
 *   retries may be at most ratio × first attempts + min_per_s × window.
 *
 * Pure arithmetic on integers (and one double product for RATIO), so
 * the same answers give the same decisions in sim and live.
 */
#pragma once

#include <glib.h>

#include "ps-client-policy.h"
#include "ps-window-counter.h"

G_BEGIN_DECLS

typedef struct
{
  const PsRetryBudgetSpec *spec;
  guint64                  tokens;      /* TOKENS: what is left */
  PsWindowCounter          window;      /* RATIO: [0] first attempts, [1] retries */
} PsRetryBudget;

void      ps_retry_budget_init           (PsRetryBudget           *budget,
                                          const PsRetryBudgetSpec *spec);
gboolean  ps_retry_budget_take           (PsRetryBudget           *budget,
                                          gboolean                 after_timeout,
                                          PsTime                   now,
                                          guint                   *out_cost);
void      ps_retry_budget_on_first       (PsRetryBudget           *budget,
                                          PsTime                   now);
void      ps_retry_budget_on_success     (PsRetryBudget           *budget,
                                          guint                    cost_taken,
                                          gboolean                 was_retry);

G_END_DECLS
