/* ps-ratelimit-headers.c: RateLimit-Policy, RateLimit and Retry-After values
 *
 * Each policy is a Structured Field Item named by a String (the policy's
 * name, or the default one: "minute", "30s"), with Integer parameters.
 * Every number is a whole count of seconds rounded up, so a client that
 * waits as told is never early; a refusal never says 0 seconds.
 */
#include "ps-ratelimit-headers.h"

/* Appends @policy's name as an sf-string.  An sf-string holds printable
 * ASCII only: '"' and '\' are escaped, other bytes become '?'. */
static void
append_name (GString *out, const PsQuotaPolicy *policy)
{
  PsQuotaPolicy named = *policy;

  named.name[sizeof named.name - 1] = '\0';
  ps_quota_policy_default_name (&named);
  g_string_append_c (out, '"');
  for (const char *p = named.name; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p >= 0x20 && *p <= 0x7e ? *p : '?');
    }
  g_string_append_c (out, '"');
}

/**
 * ps_ratelimit_policy_header:
 * @policies: (array length=n_policies): a subject's policies, n >= 1
 *
 * One item per policy, in order: `"minute";q=60;w=60`.  q is the limit and
 * w the window in whole seconds, rounded up.  Token bucket and GCRA also
 * carry `poolsim-burst=N`, their bucket size: the draft allows extra
 * parameters and asks that they carry a vendor prefix.
 *
 * Returns: (transfer full): the RateLimit-Policy value.
 */
char *
ps_ratelimit_policy_header (const PsQuotaPolicy *policies, guint n_policies)
{
  GString *out;

  g_return_val_if_fail (policies != NULL, NULL);
  g_return_val_if_fail (n_policies >= 1, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < n_policies; i++)
    {
      const PsQuotaPolicy *policy = &policies[i];

      if (i > 0)
        g_string_append (out, ", ");
      append_name (out, policy);
      g_string_append_printf (out,
                              ";q=%" G_GUINT32_FORMAT ";w=%" G_GINT64_FORMAT,
                              policy->limit,
                              MAX (1, ps_time_ceil_s (policy->window)));
      switch (policy->algorithm)
        {
        case PS_QUOTA_TOKEN_BUCKET:
        case PS_QUOTA_GCRA:
          g_string_append_printf (out, ";poolsim-burst=%" G_GUINT32_FORMAT,
                                  ps_quota_policy_burst (policy));
          break;
        case PS_QUOTA_FIXED_WINDOW:
        case PS_QUOTA_SLIDING_LOG:
        case PS_QUOTA_SLIDING_WINDOW:
          break;
        case PS_QUOTA_N_ALGORITHMS:
        default:
          g_assert_not_reached ();
        }
    }
  return g_string_free (out, FALSE);
}

/**
 * ps_ratelimit_header:
 * @decision: from ps_quota_evaluate()
 * @policies: (array): the same subject's policies, as from
 *   ps_quota_get_policies(); indexed by @decision->policy
 *
 * The binding policy's service limit: `"minute";r=12;t=37`, r the requests
 * still admissible now after this one (0 when refused), t the seconds until
 * the policy is fully restored, rounded up and at least 1 when refused.
 *
 * Returns: (transfer full): the RateLimit value.
 */
char *
ps_ratelimit_header (const PsQuotaDecision *decision,
                     const PsQuotaPolicy *policies)
{
  GString *out;
  gint64 reset_s;

  g_return_val_if_fail (decision != NULL, NULL);
  g_return_val_if_fail (policies != NULL, NULL);
  g_return_val_if_fail (decision->policy < decision->n_policies, NULL);

  reset_s = ps_time_ceil_s (decision->reset);
  if (decision->verdict != PS_QUOTA_ALLOW)
    reset_s = MAX (1, reset_s);
  out = g_string_new (NULL);
  append_name (out, &policies[decision->policy]);
  g_string_append_printf (out, ";r=%" G_GUINT32_FORMAT ";t=%" G_GINT64_FORMAT,
                          decision->verdict == PS_QUOTA_ALLOW
                          ? decision->remaining : 0,
                          reset_s);
  return g_string_free (out, FALSE);
}

/**
 * ps_ratelimit_retry_after_header:
 * @decision: from ps_quota_evaluate()
 *
 * Whole seconds until the same request would be admitted, rounded up,
 * never 0: ps_quota_retry_after_s().
 *
 * Returns: (transfer full) (nullable): the Retry-After value, or NULL when
 * the decision is not a refusal that waiting can cure (ALLOW, NEVER).
 */
char *
ps_ratelimit_retry_after_header (const PsQuotaDecision *decision)
{
  g_return_val_if_fail (decision != NULL, NULL);

  if (decision->verdict != PS_QUOTA_DENY)
    return NULL;
  return g_strdup_printf ("%" G_GINT64_FORMAT,
                          ps_quota_retry_after_s (decision));
}
