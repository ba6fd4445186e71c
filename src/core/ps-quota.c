/* ps-quota.c: tiers of stacked policies over per-subject state cells
 *
 * Layout: policies of every tier in one array; each subject points at its
 * tier and owns n_policies cells: the first inside its own record, so that
 * a subject under one policy (the usual case) costs one cache line per
 * request, and the others consecutive in one array.  No allocation after
 * the subject is added.
 */
#include "ps-quota.h"
#include "ps-quota-private.h"

#include <string.h>

typedef struct
{
  guint first;                          /* index into policies */
  guint n;
} Tier;

typedef struct
{
  PsQuotaCell first;                    /* the tier's first policy's */
  guint       tier;
  guint       more_cells;               /* index of the second policy's */
} Subject;

struct _PsQuota
{
  GArray *policies;                     /* PsQuotaPolicy */
  GArray *tiers;                        /* Tier */
  GArray *subjects;                     /* Subject */
  GArray *cells;                        /* PsQuotaCell */
};

static const PsQuotaClass *const classes[PS_QUOTA_N_ALGORITHMS] = {
  [PS_QUOTA_FIXED_WINDOW] = &ps_quota_fixed_window_class,
  [PS_QUOTA_SLIDING_LOG] = &ps_quota_sliding_log_class,
  [PS_QUOTA_SLIDING_WINDOW] = &ps_quota_sliding_window_class,
  [PS_QUOTA_TOKEN_BUCKET] = &ps_quota_token_bucket_class,
  [PS_QUOTA_GCRA] = &ps_quota_gcra_class,
};

static const char *const algorithm_names[PS_QUOTA_N_ALGORITHMS + 1] = {
  "fixed_window", "sliding_log", "sliding_window", "token_bucket", "gcra", NULL,
};

/* The state of @subject under its tier's policy @i. */
static inline PsQuotaCell *
cell_of (const PsQuota *quota, const Subject *subject, guint i)
{
  if (i == 0)
    return (PsQuotaCell *) &subject->first;
  return &g_array_index (quota->cells, PsQuotaCell, subject->more_cells + i - 1);
}

PsQuota *
ps_quota_new (void)
{
  PsQuota *quota = g_new0 (PsQuota, 1);

  quota->policies = g_array_new (FALSE, FALSE, sizeof (PsQuotaPolicy));
  quota->tiers = g_array_new (FALSE, FALSE, sizeof (Tier));
  quota->subjects = g_array_new (FALSE, TRUE, sizeof (Subject));
  quota->cells = g_array_new (FALSE, TRUE, sizeof (PsQuotaCell));
  return quota;
}

void
ps_quota_free (PsQuota *quota)
{
  if (quota == NULL)
    return;
  for (guint s = 0; s < quota->subjects->len; s++)
    {
      const Subject *subject = &g_array_index (quota->subjects, Subject, s);
      const Tier *tier = &g_array_index (quota->tiers, Tier, subject->tier);

      for (guint i = 0; i < tier->n; i++)
        {
          const PsQuotaPolicy *policy =
            &g_array_index (quota->policies, PsQuotaPolicy, tier->first + i);
          PsQuotaCell *cell = cell_of (quota, subject, i);

          if (classes[policy->algorithm]->clear != NULL)
            classes[policy->algorithm]->clear (cell);
        }
    }
  g_array_unref (quota->policies);
  g_array_unref (quota->tiers);
  g_array_unref (quota->subjects);
  g_array_unref (quota->cells);
  g_free (quota);
}

/**
 * ps_quota_add_tier:
 * @policies: (array length=n_policies): copied
 *
 * Returns: the new tier's index, for ps_quota_add_subject().
 */
guint
ps_quota_add_tier (PsQuota *quota, const PsQuotaPolicy *policies,
                   guint n_policies)
{
  Tier tier = { quota->policies->len, n_policies };

  g_return_val_if_fail (n_policies >= 1, 0);
  g_return_val_if_fail (n_policies <= PS_QUOTA_MAX_POLICIES, 0);
  for (guint i = 0; i < n_policies; i++)
    {
      g_return_val_if_fail (policies[i].algorithm < PS_QUOTA_N_ALGORITHMS, 0);
      g_return_val_if_fail (classes[policies[i].algorithm] != NULL, 0);
      g_return_val_if_fail (policies[i].limit >= 1, 0);
      g_return_val_if_fail (policies[i].window > 0, 0);
    }
  g_array_append_vals (quota->policies, policies, n_policies);
  g_array_append_val (quota->tiers, tier);
  return quota->tiers->len - 1;
}

PsQuotaSubject
ps_quota_add_subject (PsQuota *quota, guint tier)
{
  Subject subject = { .tier = tier, .more_cells = quota->cells->len };

  g_return_val_if_fail (tier < quota->tiers->len, 0);
  g_array_set_size (quota->cells,
                    quota->cells->len + g_array_index (quota->tiers, Tier, tier).n - 1);
  g_array_append_val (quota->subjects, subject);
  return quota->subjects->len - 1;
}

/* A hint that @id's state will be read soon (a no-op out of range). */
void
ps_quota_prefetch (const PsQuota *quota, PsQuotaSubject id)
{
  if (id < quota->subjects->len)
    __builtin_prefetch (&g_array_index (quota->subjects, Subject, id));
}

guint
ps_quota_get_n_subjects (const PsQuota *quota)
{
  return quota->subjects->len;
}

/**
 * ps_quota_get_policies:
 * @out_n: (out): how many
 *
 * Returns: (transfer none) (array length=out_n): the policies limiting @id.
 */
const PsQuotaPolicy *
ps_quota_get_policies (const PsQuota *quota, PsQuotaSubject id, guint *out_n)
{
  const Subject *subject;
  const Tier *tier;

  g_return_val_if_fail (id < quota->subjects->len, NULL);
  subject = &g_array_index (quota->subjects, Subject, id);
  tier = &g_array_index (quota->tiers, Tier, subject->tier);
  *out_n = tier->n;
  return &g_array_index (quota->policies, PsQuotaPolicy, tier->first);
}

/* Binding policy: when allowed, the one with the fewest remaining; when
 * refused, the refusing one that keeps the client waiting longest.  Ties
 * go to the first listed, so the choice is deterministic. */
static void
summarize (PsQuotaDecision *d)
{
  guint bind = 0;

  d->verdict = PS_QUOTA_ALLOW;
  for (guint i = 0; i < d->n_policies; i++)
    if (d->per_policy[i].verdict > d->verdict)
      d->verdict = d->per_policy[i].verdict;

  for (guint i = 1; i < d->n_policies; i++)
    {
      const PsQuotaResult *r = &d->per_policy[i], *b = &d->per_policy[bind];

      if (d->verdict == PS_QUOTA_ALLOW ? r->remaining < b->remaining
          : r->verdict == d->verdict
            && (b->verdict != d->verdict || r->retry_after > b->retry_after))
        bind = i;
    }
  d->policy = bind;
  d->limit = d->per_policy[bind].limit;
  d->remaining = d->verdict == PS_QUOTA_ALLOW ? d->per_policy[bind].remaining : 0;
  d->reset = d->per_policy[bind].reset;
  d->retry_after = d->verdict == PS_QUOTA_DENY ? d->per_policy[bind].retry_after : 0;
}

/**
 * ps_quota_evaluate:
 * @now: never earlier than a previous @now for @id
 * @out_decision: (out) (optional): per-policy figures, for headers
 *
 * Decides whether @id may have one more request admitted; records nothing.
 */
PsQuotaVerdict
ps_quota_evaluate (const PsQuota *quota, PsQuotaSubject id, PsTime now,
                   PsQuotaDecision *out_decision)
{
  PsQuotaDecision local;
  PsQuotaDecision *d = out_decision ? out_decision : &local;
  const Subject *subject;
  const Tier *tier;

  g_return_val_if_fail (quota != NULL, PS_QUOTA_DENY);
  g_return_val_if_fail (id < quota->subjects->len, PS_QUOTA_DENY);

  subject = &g_array_index (quota->subjects, Subject, id);
  tier = &g_array_index (quota->tiers, Tier, subject->tier);
  d->n_policies = tier->n;
  for (guint i = 0; i < tier->n; i++)
    {
      const PsQuotaPolicy *policy =
        &g_array_index (quota->policies, PsQuotaPolicy, tier->first + i);
      const PsQuotaCell *cell = cell_of (quota, subject, i);

      memset (&d->per_policy[i], 0, sizeof d->per_policy[i]);
      classes[policy->algorithm]->evaluate (cell, policy, now, &d->per_policy[i]);
    }
  summarize (d);
  return d->verdict;
}

/* Charges one admission at @now to every policy of @id's tier. */
void
ps_quota_charge (PsQuota *quota, PsQuotaSubject id, PsTime now)
{
  const Subject *subject;
  const Tier *tier;

  g_return_if_fail (quota != NULL);
  g_return_if_fail (id < quota->subjects->len);

  subject = &g_array_index (quota->subjects, Subject, id);
  tier = &g_array_index (quota->tiers, Tier, subject->tier);
  for (guint i = 0; i < tier->n; i++)
    {
      const PsQuotaPolicy *policy =
        &g_array_index (quota->policies, PsQuotaPolicy, tier->first + i);

      classes[policy->algorithm]->charge (cell_of (quota, subject, i), policy, now);
    }
}

/* Retry-After as sent: whole seconds, rounded up, never 0 while refusing. */
gint64
ps_quota_retry_after_s (const PsQuotaDecision *decision)
{
  if (decision->verdict != PS_QUOTA_DENY)
    return 0;
  return MAX (1, ps_time_ceil_s (decision->retry_after));
}

guint32
ps_quota_policy_burst (const PsQuotaPolicy *policy)
{
  return policy->burst != 0 ? policy->burst : policy->limit;
}

/* Names a policy after its window ("minute", "hour", "30s") unless named. */
void
ps_quota_policy_default_name (PsQuotaPolicy *policy)
{
  static const struct { PsTime window; const char *name; } known[] = {
    { PS_TIME_FROM_SEC (1), "second" },
    { PS_TIME_FROM_SEC (60), "minute" },
    { PS_TIME_FROM_SEC (3600), "hour" },
    { PS_TIME_FROM_SEC (86400), "day" },
  };

  if (policy->name[0] != '\0')
    return;
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (policy->window == known[i].window)
      {
        g_strlcpy (policy->name, known[i].name, sizeof policy->name);
        return;
      }
  if (policy->window % PS_USEC_PER_SEC == 0)
    g_snprintf (policy->name, sizeof policy->name, "%" G_GINT64_FORMAT "s",
                policy->window / PS_USEC_PER_SEC);
  else
    g_snprintf (policy->name, sizeof policy->name, "%" G_GINT64_FORMAT "us",
                policy->window);
}

const char *
ps_quota_algorithm_to_string (PsQuotaAlgorithm algorithm)
{
  g_return_val_if_fail (algorithm < PS_QUOTA_N_ALGORITHMS, NULL);
  return algorithm_names[algorithm];
}

/* Only algorithms that are implemented are found. */
gboolean
ps_quota_algorithm_from_string (const char *name, PsQuotaAlgorithm *out_algorithm)
{
  for (guint i = 0; i < PS_QUOTA_N_ALGORITHMS; i++)
    if (classes[i] != NULL && strcmp (name, algorithm_names[i]) == 0)
      {
        if (out_algorithm)
          *out_algorithm = (PsQuotaAlgorithm) i;
        return TRUE;
      }
  return FALSE;
}

/* Returns: (transfer none): NULL-terminated names of implemented algorithms. */
const char *const *
ps_quota_algorithm_names (void)
{
  static const char *implemented[PS_QUOTA_N_ALGORITHMS + 1];
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      guint n = 0;

      for (guint i = 0; i < PS_QUOTA_N_ALGORITHMS; i++)
        if (classes[i] != NULL)
          implemented[n++] = algorithm_names[i];
      implemented[n] = NULL;
      g_once_init_leave (&done, 1);
    }
  return implemented;
}
