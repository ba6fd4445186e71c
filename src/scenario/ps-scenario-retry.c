/* ps-scenario-retry.c: how a client group retries, times out and throttles
 *
 * Everything here is off unless the scenario asks for it: no
 * request_timeout, no retry limit, no budget, no throttle, full jitter.
 * A budget is the token form (the AWS SDKs' defaults: 500 tokens, 5 a
 * retry, 10 a retry after a timeout, 1 back per first-attempt success)
 * unless it has "ratio", and then it is the ratio form (window 10 s,
 * min_per_s 1 by default); keys of both forms in one budget are refused.
 */
#include "ps-scenario-retry.h"

#include "ps-duration.h"

static gboolean
on_timeout_lookup (const char *name, guint *out)
{
  PsOnTimeout v;

  if (!ps_on_timeout_from_string (name, &v))
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
jitter_lookup (const char *name, guint *out)
{
  PsJitter v;

  if (!ps_jitter_from_string (name, &v))
    return FALSE;
  *out = v;
  return TRUE;
}

/* An optional integer key of @object, or @def when absent. */
static gboolean
optional_uint (PsLoad *load, const PsField *object, guint index, guint def, guint *out,
               PsField *field, GError **error)
{
  if (!ps_field_get (load, object->node, object->path, &ps_schema_budget[index], field,
                     error))
    return FALSE;
  if (field->node == NULL)
    {
      *out = def;
      return TRUE;
    }
  return ps_field_uint (load, field, out, error);
}

static gboolean
load_token_budget (PsLoad *load, const PsField *budget, PsRetryBudgetSpec *spec,
                   GError **error)
{
  g_auto (PsField) tokens = { 0 };
  g_auto (PsField) retry_cost = { 0 };
  g_auto (PsField) timeout_cost = { 0 };
  g_auto (PsField) refill = { 0 };

  spec->kind = PS_BUDGET_TOKENS;
  if (!optional_uint (load, budget, PS_SK_BUDGET_TOKENS, 500, &spec->tokens, &tokens, error)
      || !optional_uint (load, budget, PS_SK_BUDGET_RETRY_COST, 5, &spec->retry_cost,
                         &retry_cost, error)
      || !optional_uint (load, budget, PS_SK_BUDGET_TIMEOUT_COST, 10, &spec->timeout_cost,
                         &timeout_cost, error)
      || !optional_uint (load, budget, PS_SK_BUDGET_SUCCESS_REFILL, 1, &spec->success_refill,
                         &refill, error))
    return FALSE;
  if (spec->retry_cost > spec->tokens || spec->timeout_cost > spec->tokens)
    {
      gboolean retry = spec->retry_cost > spec->tokens;
      const PsField *f = retry ? &retry_cost : &timeout_cost;

      return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE,
                           f->node != NULL ? f->node : budget->node, f->path,
                           "%s%u is more than the bucket's %u tokens: no such retry "
                           "could ever be paid for (expected a cost <= tokens)",
                           f->node != NULL ? "" : "the default ",
                           retry ? spec->retry_cost : spec->timeout_cost, spec->tokens);
    }
  return TRUE;
}

static gboolean
load_ratio_budget (PsLoad *load, const PsField *budget, PsRetryBudgetSpec *spec,
                   GError **error)
{
  g_auto (PsField) ratio = { 0 };
  g_auto (PsField) window = { 0 };
  g_auto (PsField) min_per_s = { 0 };
  static const guint token_keys[] = { PS_SK_BUDGET_TOKENS, PS_SK_BUDGET_RETRY_COST,
                                      PS_SK_BUDGET_TIMEOUT_COST,
                                      PS_SK_BUDGET_SUCCESS_REFILL };
  JsonObject *object = json_node_get_object (budget->node);

  for (guint i = 0; i < G_N_ELEMENTS (token_keys); i++)
    {
      const char *name = ps_schema_budget[token_keys[i]].name;
      JsonNode *node = json_object_get_member (object, name);

      if (node != NULL)
        {
          g_autofree char *path = ps_load_child_path (budget->path, name);

          return ps_load_fail (load, error, PS_SCENARIO_ERROR_CONFLICT, node, path,
                               "belongs to a token budget, but this one has \"ratio\" "
                               "(expected either tokens, retry_cost, timeout_cost, "
                               "success_refill or ratio, window, min_per_s)");
        }
    }
  spec->kind = PS_BUDGET_RATIO;
  spec->window = PS_TIME_FROM_SEC (10);
  spec->min_per_s = 1;
  if (!ps_field_get (load, budget->node, budget->path, &ps_schema_budget[PS_SK_BUDGET_RATIO],
                     &ratio, error)
      || !ps_field_number (load, &ratio, &spec->ratio, error)
      || !ps_field_get (load, budget->node, budget->path,
                        &ps_schema_budget[PS_SK_BUDGET_WINDOW], &window, error)
      || (window.node != NULL && !ps_field_duration (load, &window, &spec->window, error))
      || !ps_field_get (load, budget->node, budget->path,
                        &ps_schema_budget[PS_SK_BUDGET_MIN_PER_S], &min_per_s, error)
      || (min_per_s.node != NULL && !ps_field_number (load, &min_per_s, &spec->min_per_s,
                                                      error)))
    return FALSE;
  if (spec->ratio == 0 && spec->min_per_s * (double) spec->window / 1e6 < 1)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, ratio.node, ratio.path,
                         "0 with min_per_s %g over a window of %g s allows no retry "
                         "at all (expected a ratio > 0, or min_per_s × window >= 1)",
                         spec->min_per_s, (double) spec->window / 1e6);
  return TRUE;
}

static gboolean
load_retry (PsLoad *load, const PsField *client, PsClientPolicy *policy, GError **error)
{
  g_auto (PsField) retry = { 0 };
  g_auto (PsField) max_attempts = { 0 };
  g_auto (PsField) on_timeout = { 0 };
  g_auto (PsField) budget = { 0 };
  guint v;

  if (!ps_field_get (load, client->node, client->path,
                     &ps_schema_client[PS_SK_CLIENT_RETRY], &retry, error))
    return FALSE;
  if (retry.node == NULL)
    return TRUE;                         /* unlimited, retry at once, no budget */
  if (!ps_field_object (load, &retry, error)
      || !ps_field_get (load, retry.node, retry.path,
                        &ps_schema_retry[PS_SK_RETRY_MAX_ATTEMPTS], &max_attempts, error)
      || !ps_field_uint (load, &max_attempts, &policy->max_attempts, error)
      || !ps_field_get (load, retry.node, retry.path,
                        &ps_schema_retry[PS_SK_RETRY_ON_TIMEOUT], &on_timeout, error)
      || !ps_field_enum (load, &on_timeout, "on_timeout strategy", on_timeout_lookup,
                         ps_on_timeout_names (), &v, error)
      || !ps_field_get (load, retry.node, retry.path,
                        &ps_schema_retry[PS_SK_RETRY_BUDGET], &budget, error))
    return FALSE;
  policy->on_timeout = (PsOnTimeout) v;
  if (budget.node == NULL)
    return TRUE;
  if (!ps_field_object (load, &budget, error))
    return FALSE;
  if (json_object_has_member (json_node_get_object (budget.node),
                              ps_schema_budget[PS_SK_BUDGET_RATIO].name))
    return load_ratio_budget (load, &budget, &policy->budget, error);
  return load_token_budget (load, &budget, &policy->budget, error);
}

static gboolean
load_throttle (PsLoad *load, const PsField *client, PsClientPolicy *policy, GError **error)
{
  g_auto (PsField) throttle = { 0 };
  g_auto (PsField) k = { 0 };
  g_auto (PsField) window = { 0 };

  if (!ps_field_get (load, client->node, client->path,
                     &ps_schema_client[PS_SK_CLIENT_THROTTLE], &throttle, error))
    return FALSE;
  if (throttle.node == NULL)
    return TRUE;
  policy->throttle.enabled = TRUE;
  return ps_field_object (load, &throttle, error)
         && ps_field_get (load, throttle.node, throttle.path,
                          &ps_schema_throttle[PS_SK_THROTTLE_K], &k, error)
         && ps_field_number (load, &k, &policy->throttle.k, error)
         && ps_field_get (load, throttle.node, throttle.path,
                          &ps_schema_throttle[PS_SK_THROTTLE_WINDOW], &window, error)
         && ps_field_duration (load, &window, &policy->throttle.window, error);
}

/**
 * ps_scenario_retry_load:
 * @client: a clients[] object
 * @backoff: its "backoff" object, already checked
 *
 * Fills @policy's timeout, retry, throttle and jitter fields.
 */
gboolean
ps_scenario_retry_load (PsLoad *load, const PsField *client, const PsField *backoff,
                        PsClientPolicy *policy, GError **error)
{
  g_auto (PsField) request_timeout = { 0 };
  g_auto (PsField) jitter = { 0 };
  g_auto (PsField) honour = { 0 };
  g_auto (PsField) wait_jitter = { 0 };
  guint v;

  if (!ps_field_get (load, backoff->node, backoff->path,
                     &ps_schema_backoff[PS_SK_BACKOFF_JITTER], &jitter, error)
      || !ps_field_enum (load, &jitter, "backoff jitter", jitter_lookup,
                         ps_jitter_names (), &v, error)
      || !ps_field_get (load, backoff->node, backoff->path,
                        &ps_schema_backoff[PS_SK_BACKOFF_HONOUR_RETRY_AFTER], &honour, error)
      || !ps_field_bool (load, &honour, &policy->honour_retry_after, error)
      || !ps_field_get (load, client->node, client->path,
                        &ps_schema_client[PS_SK_CLIENT_REQUEST_TIMEOUT], &request_timeout,
                        error)
      || !ps_field_duration (load, &request_timeout, &policy->request_timeout, error)
      || !ps_field_get (load, client->node, client->path,
                        &ps_schema_client[PS_SK_CLIENT_WAIT_RESET_JITTER], &wait_jitter,
                        error)
      || !ps_field_duration (load, &wait_jitter, &policy->wait_reset_jitter, error))
    return FALSE;
  policy->jitter = (PsJitter) v;
  return load_retry (load, client, policy, error) && load_throttle (load, client, policy, error);
}

/* The shortest one-way delay @d can give. */
static double
least_delay (const PsDist *d)
{
  switch (d->kind)
    {
    case PS_DIST_CONSTANT:
    case PS_DIST_UNIFORM:
      return d->a;
    case PS_DIST_EXPONENTIAL:
    case PS_DIST_LOGNORMAL:
    default:
      return 0;
    }
}

/**
 * ps_scenario_retry_warn_latency:
 * @clients: the "clients" array, loaded
 *
 * A request_timeout no longer than the network's shortest round trip can
 * never be met: every attempt times out.  Legal, so a warning.
 */
void
ps_scenario_retry_warn_latency (PsLoad *load, const PsField *clients, const PsScenario *scenario)
{
  double round_trip = 2 * least_delay (&scenario->network_latency);

  for (guint g = 0; g < scenario->n_groups; g++)
    {
      PsTime timeout = scenario->groups[g].policy.request_timeout;
      const char *key = ps_schema_client[PS_SK_CLIENT_REQUEST_TIMEOUT].name;
      g_auto (PsField) client = { 0 };
      g_autofree char *path = NULL;
      char buf[PS_DURATION_STR_LEN], rt[PS_DURATION_STR_LEN];

      if (timeout == 0 || (double) timeout > round_trip)
        continue;
      ps_field_element (clients, g, &client);
      path = ps_load_child_path (client.path, key);
      ps_load_warn (load, json_object_get_member (json_node_get_object (client.node), key),
                    path, "%s is no longer than the network's shortest round trip "
                    "(%s): every attempt will time out",
                    ps_duration_format (timeout, buf),
                    ps_duration_format ((PsTime) round_trip, rt));
    }
}
