/* ps-retry-budget.c: the token bucket and the ratio budget */
#include "ps-retry-budget.h"

#include <math.h>

void
ps_retry_budget_init (PsRetryBudget *budget, const PsRetryBudgetSpec *spec)
{
  *budget = (PsRetryBudget) { .spec = spec, .tokens = spec->tokens };
  if (spec->kind == PS_BUDGET_RATIO)
    ps_window_counter_init (&budget->window, spec->window);
}

/**
 * ps_retry_budget_take:
 * @after_timeout: the attempt before it timed out (TOKENS: timeout_cost)
 * @out_cost: (out): tokens taken, for ps_retry_budget_on_success()
 *
 * Pays for one retry now, if the budget allows it.
 * Returns: TRUE if the retry may be made.
 */
gboolean
ps_retry_budget_take (PsRetryBudget *budget, gboolean after_timeout, PsTime now,
                      guint *out_cost)
{
  const PsRetryBudgetSpec *spec = budget->spec;

  *out_cost = 0;
  switch (spec->kind)
    {
    case PS_BUDGET_NONE:
      return TRUE;
    case PS_BUDGET_TOKENS:
      {
        guint cost = after_timeout ? spec->timeout_cost : spec->retry_cost;

        if (budget->tokens < cost)
          return FALSE;
        budget->tokens -= cost;
        *out_cost = cost;
        return TRUE;
      }
    case PS_BUDGET_RATIO:
      {
        guint64 firsts = ps_window_counter_sum (&budget->window, 0, now);
        guint64 retries = ps_window_counter_sum (&budget->window, 1, now);
        /* floor, so that "0.2 of 10 first attempts" allows 2 and not 2.0000001 */
        double allowed = floor (spec->ratio * (double) firsts
                                + spec->min_per_s * (double) spec->window / 1e6 + 1e-9);

        if ((double) retries + 1 > allowed)
          return FALSE;
        ps_window_counter_add (&budget->window, 1, now);
        return TRUE;
      }
    default:
      g_assert_not_reached ();
    }
}

/* A first attempt was sent (RATIO counts them). */
void
ps_retry_budget_on_first (PsRetryBudget *budget, PsTime now)
{
  if (budget->spec->kind == PS_BUDGET_RATIO)
    ps_window_counter_add (&budget->window, 0, now);
}

/**
 * ps_retry_budget_on_success:
 * @cost_taken: what the retry that succeeded took (0 if none)
 * @was_retry: the success came on a retry
 *
 * TOKENS: the refill.  AWS gives a retry's cost back when it succeeds
 * and success_refill for a success at the first attempt.
 */
void
ps_retry_budget_on_success (PsRetryBudget *budget, guint cost_taken, gboolean was_retry)
{
  const PsRetryBudgetSpec *spec = budget->spec;

  if (spec->kind != PS_BUDGET_TOKENS)
    return;
  budget->tokens += was_retry ? cost_taken : spec->success_refill;
  budget->tokens = MIN (budget->tokens, (guint64) spec->tokens);
}
