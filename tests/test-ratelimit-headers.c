/* test-ratelimit-headers.c: exact RateLimit-Policy, RateLimit, Retry-After */
#include <string.h>

#include "ps-quota.h"
#include "ps-ratelimit-headers.h"

#define S(s)  PS_TIME_FROM_SEC (s)
#define MS(m) PS_TIME_FROM_MS (m)

static PsQuotaPolicy
policy_make (PsQuotaAlgorithm algorithm, guint32 limit, PsTime window,
             guint32 burst, const char *name)
{
  PsQuotaPolicy policy;

  memset (&policy, 0, sizeof policy);
  policy.algorithm = algorithm;
  policy.limit = limit;
  policy.window = window;
  policy.burst = burst;
  if (name != NULL)
    g_strlcpy (policy.name, name, sizeof policy.name);
  return policy;
}

/* ------------------------------------------------------------------ */
/* RateLimit-Policy */

typedef struct
{
  const char   *path;
  guint         n;
  PsQuotaPolicy policies[3];
  const char   *expected;
} PolicyCase;

static const PolicyCase policy_cases[] = {
  { "/ratelimit-headers/policy/single-default-name", 1,
    { { PS_QUOTA_FIXED_WINDOW, 60, S (60), 0, "" } },
    "\"minute\";q=60;w=60" },
  { "/ratelimit-headers/policy/named", 1,
    { { PS_QUOTA_SLIDING_LOG, 100, S (10), 0, "default" } },
    "\"default\";q=100;w=10" },
  { "/ratelimit-headers/policy/window-rounds-up", 2,
    { { PS_QUOTA_SLIDING_WINDOW, 5, MS (1500), 0, "" },
      { PS_QUOTA_FIXED_WINDOW, 2, MS (250), 0, "" } },
    "\"1500000us\";q=5;w=2, \"250000us\";q=2;w=1" },
  { "/ratelimit-headers/policy/bucket-burst", 2,
    { { PS_QUOTA_TOKEN_BUCKET, 600, S (3600), 50, "" },
      { PS_QUOTA_GCRA, 10, S (1), 0, "fast" } },
    "\"hour\";q=600;w=3600;poolsim-burst=50, "
    "\"fast\";q=10;w=1;poolsim-burst=10" },
  { "/ratelimit-headers/policy/stacked", 3,
    { { PS_QUOTA_FIXED_WINDOW, 10, S (1), 0, "" },
      { PS_QUOTA_SLIDING_LOG, 600, S (3600), 0, "" },
      { PS_QUOTA_SLIDING_WINDOW, 5000, S (86400), 7, "daily" } },
    "\"second\";q=10;w=1, \"hour\";q=600;w=3600, \"daily\";q=5000;w=86400" },
  { "/ratelimit-headers/policy/name-escaped", 1,
    { { PS_QUOTA_FIXED_WINDOW, 1, S (30), 0, "a\"b\\c\xc3\xa9" } },
    "\"a\\\"b\\\\c??\";q=1;w=30" },
};

static void
test_policy (gconstpointer data)
{
  const PolicyCase *c = data;
  g_autofree char *header = ps_ratelimit_policy_header (c->policies, c->n);

  g_assert_cmpstr (header, ==, c->expected);
}

/* ------------------------------------------------------------------ */
/* RateLimit and Retry-After from real decisions */

typedef struct
{
  PsQuota        *quota;
  PsQuotaSubject  id;
} Fixture;

static void
fixture_init (Fixture *f, const PsQuotaPolicy *policies, guint n)
{
  f->quota = ps_quota_new ();
  f->id = ps_quota_add_subject (f->quota,
                                ps_quota_add_tier (f->quota, policies, n));
}

static void
admit (Fixture *f, PsTime now, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (ps_quota_evaluate (f->quota, f->id, now, NULL), ==,
                       PS_QUOTA_ALLOW);
      ps_quota_charge (f->quota, f->id, now);
    }
}

/* Checks the two response headers for a request at @now. */
static void
assert_headers (Fixture *f, PsTime now, const char *ratelimit,
                const char *retry_after)
{
  PsQuotaDecision d;
  guint n;
  const PsQuotaPolicy *policies = ps_quota_get_policies (f->quota, f->id, &n);
  g_autofree char *rl = NULL;
  g_autofree char *ra = NULL;

  ps_quota_evaluate (f->quota, f->id, now, &d);
  rl = ps_ratelimit_header (&d, policies);
  ra = ps_ratelimit_retry_after_header (&d);
  g_assert_cmpstr (rl, ==, ratelimit);
  g_assert_cmpstr (ra, ==, retry_after);
}

static void
test_single_allowed (void)
{
  PsQuotaPolicy p = policy_make (PS_QUOTA_FIXED_WINDOW, 60, S (60), 0, NULL);
  Fixture f;

  fixture_init (&f, &p, 1);
  admit (&f, 0, 47);
  /* 47 used, this one makes 48: 12 left; the window ends in 37 s. */
  assert_headers (&f, S (23), "\"minute\";r=12;t=37", NULL);
  /* Reset rounds up: 36.5 s left is 37. */
  assert_headers (&f, MS (23500), "\"minute\";r=12;t=37", NULL);
  ps_quota_free (f.quota);
}

static void
test_single_denied (void)
{
  PsQuotaPolicy p = policy_make (PS_QUOTA_FIXED_WINDOW, 3, S (10), 0, "per-ip");
  Fixture f;

  fixture_init (&f, &p, 1);
  admit (&f, 0, 3);
  assert_headers (&f, S (1), "\"per-ip\";r=0;t=9", "9");
  assert_headers (&f, MS (9500), "\"per-ip\";r=0;t=1", "1");
  /* One microsecond left: still 1 s, never 0, in both. */
  assert_headers (&f, S (10) - 1, "\"per-ip\";r=0;t=1", "1");
  assert_headers (&f, S (10), "\"per-ip\";r=2;t=10", NULL);
  ps_quota_free (f.quota);
}

/* The bucket's t is when it is full again: 2 tokens short at 1/s. */
static void
test_token_bucket (void)
{
  PsQuotaPolicy p = policy_make (PS_QUOTA_TOKEN_BUCKET, 10, S (10), 0, NULL);
  Fixture f;

  fixture_init (&f, &p, 1);
  admit (&f, 0, 1);
  assert_headers (&f, 0, "\"10s\";r=8;t=2", NULL);
  admit (&f, 0, 9);
  /* Empty: retry in 1 s, full in 10 s. */
  assert_headers (&f, 0, "\"10s\";r=0;t=10", "1");
  assert_headers (&f, MS (400), "\"10s\";r=0;t=10", "1");
  ps_quota_free (f.quota);
}

/* 2 per second and 5 per 10 s: RateLimit names the binding policy. */
static void
test_stacked (void)
{
  PsQuotaPolicy p[2] = {
    policy_make (PS_QUOTA_SLIDING_LOG, 2, S (1), 0, NULL),
    policy_make (PS_QUOTA_FIXED_WINDOW, 5, S (10), 0, NULL),
  };
  Fixture f;
  const PsQuotaPolicy *policies;
  guint n;
  g_autofree char *policy_header = NULL;

  fixture_init (&f, p, 2);
  policies = ps_quota_get_policies (f.quota, f.id, &n);
  policy_header = ps_ratelimit_policy_header (policies, n);
  g_assert_cmpstr (policy_header, ==, "\"second\";q=2;w=1, \"10s\";q=5;w=10");

  /* Fewest remaining binds: the 1-s policy has 1 left, the 10-s one 4. */
  assert_headers (&f, 0, "\"second\";r=1;t=1", NULL);
  admit (&f, 0, 2);
  /* Only the 1-s policy refuses: 0.5 s to wait, rounded up. */
  assert_headers (&f, MS (500), "\"second\";r=0;t=1", "1");
  admit (&f, S (1), 2);
  /* 4 of 5 used: the 10-s policy binds, with 0 left after this one. */
  assert_headers (&f, S (2), "\"10s\";r=0;t=8", NULL);
  admit (&f, S (2), 1);
  /* Only the 10-s policy refuses, until its window ends. */
  assert_headers (&f, S (2) + 1, "\"10s\";r=0;t=8", "8");
  assert_headers (&f, S (9), "\"10s\";r=0;t=1", "1");
  assert_headers (&f, S (10), "\"second\";r=1;t=1", NULL);
  ps_quota_free (f.quota);
}

/* Hand-made decisions: rounding, and NEVER (no Retry-After helps). */
static void
test_decisions (void)
{
  PsQuotaPolicy p = policy_make (PS_QUOTA_GCRA, 5, S (60), 0, "gcra");
  PsQuotaDecision d;
  g_autofree char *rl = NULL;
  g_autofree char *ra = NULL;
  g_autofree char *rl_never = NULL;

  memset (&d, 0, sizeof d);
  d.n_policies = 1;
  d.verdict = PS_QUOTA_DENY;
  d.limit = 5;
  d.reset = S (2) + 1;
  d.retry_after = S (2) + 1;
  rl = ps_ratelimit_header (&d, &p);
  ra = ps_ratelimit_retry_after_header (&d);
  g_assert_cmpstr (rl, ==, "\"gcra\";r=0;t=3");
  g_assert_cmpstr (ra, ==, "3");

  d.verdict = PS_QUOTA_NEVER;
  d.reset = 0;
  d.retry_after = 0;
  rl_never = ps_ratelimit_header (&d, &p);
  g_assert_cmpstr (rl_never, ==, "\"gcra\";r=0;t=1");
  g_assert_null (ps_ratelimit_retry_after_header (&d));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (policy_cases); i++)
    g_test_add_data_func (policy_cases[i].path, &policy_cases[i], test_policy);
  g_test_add_func ("/ratelimit-headers/ratelimit/single-allowed",
                   test_single_allowed);
  g_test_add_func ("/ratelimit-headers/ratelimit/single-denied",
                   test_single_denied);
  g_test_add_func ("/ratelimit-headers/ratelimit/token-bucket",
                   test_token_bucket);
  g_test_add_func ("/ratelimit-headers/ratelimit/stacked", test_stacked);
  g_test_add_func ("/ratelimit-headers/ratelimit/decisions", test_decisions);

  return g_test_run ();
}
