/* test-quota.c: every quota algorithm against its definition
 *
 * The oracles keep every admission time and decide each request from the
 * algorithm's definition (docs/design.md), never from a state like the real
 * code's: remaining is found by admitting more requests at the same
 * instant, retry_after by searching forward for the first instant that
 * admits one more request, reset for the first that admits a whole burst.
 * Random traffic compares them with the real code field by field, with the
 * seed in the test path (rerun one with -p).  Exact vectors pin what users
 * compare: window boundaries, equal timestamps, the first instant a refused
 * client succeeds, and stacked policies.
 */
#include <string.h>

#include "ps-quota.h"
#include "ps-rng.h"

#define N_SEEDS          10     /* test cases per algorithm */
#define N_SEQUENCES      250    /* random sequences per seed */
#define SCAN_LIMIT       2048   /* horizons up to this are scanned per µs */

#define S(s)  PS_TIME_FROM_SEC (s)
#define MS(m) PS_TIME_FROM_MS (m)

static guint
n_sequences (void)
{
  return g_test_thorough () ? 10 * N_SEQUENCES : N_SEQUENCES;
}

/* "sliding_log" -> "sliding-log", for test paths. */
static char *
path_name (PsQuotaAlgorithm algorithm)
{
  return g_strdelimit (g_strdup (ps_quota_algorithm_to_string (algorithm)),
                       "_", '-');
}

static PsQuota *
quota_new_single (const PsQuotaPolicy *policy, PsQuotaSubject *out_id)
{
  PsQuota *quota = ps_quota_new ();

  *out_id = ps_quota_add_subject (quota, ps_quota_add_tier (quota, policy, 1));
  return quota;
}

static PsQuotaPolicy
policy_make (PsQuotaAlgorithm algorithm, guint32 limit, PsTime window,
             guint32 burst)
{
  PsQuotaPolicy policy;

  memset (&policy, 0, sizeof policy);
  policy.algorithm = algorithm;
  policy.limit = limit;
  policy.window = window;
  policy.burst = burst;
  return policy;
}

static gboolean
is_bucket (PsQuotaAlgorithm algorithm)
{
  return algorithm == PS_QUOTA_TOKEN_BUCKET || algorithm == PS_QUOTA_GCRA;
}

/* ------------------------------------------------------------------ */
/* The oracle */

typedef struct
{
  PsQuotaPolicy policy;
  GArray       *admitted;               /* PsTime, nondecreasing */
} Oracle;

/* Admissions at times in [@from, @to], scanning back from the newest. */
static guint64
count_between (const Oracle *o, PsTime from, PsTime to)
{
  guint64 n = 0;

  for (guint i = o->admitted->len; i-- > 0;)
    {
      PsTime x = g_array_index (o->admitted, PsTime, i);

      if (x < from)
        break;
      if (x <= to)
        n++;
    }
  return n;
}

/* Token bucket of size B refilled at r = L/W, starting full, by its
 * arrival-curve characterisation: a request at t is admitted iff for
 * every earlier admission time s, A[s, t] + 1 <= B + r * (t - s), with
 * A[s, t] the admissions in [s, t] (and 1 <= B for s = t).  That is the
 * closed form of "refill, cap at B, take one", not a simulation of it. */
static gboolean
bucket_admits (const Oracle *o, PsTime t)
{
  guint64 limit = o->policy.limit, window = o->policy.window;
  guint64 burst = ps_quota_policy_burst (&o->policy);
  guint64 a = 0;

  for (guint i = o->admitted->len; i-- > 0;)
    {
      PsTime s = g_array_index (o->admitted, PsTime, i);
      guint64 refill = limit * (guint64) (t - s);

      a++;
      if ((a + 1) * window > burst * window + refill)
        return FALSE;
      if (refill >= ((guint64) o->admitted->len + 1) * window)
        break;                          /* no earlier s can fail */
    }
  return burst >= 1;
}

/* May one more request be admitted at @t (no earlier than any admission)? */
static gboolean
oracle_admits (const Oracle *o, PsTime t)
{
  const PsQuotaPolicy *p = &o->policy;
  gint64 k = t / p->window;
  PsTime start = k * p->window;

  switch (p->algorithm)
    {
    case PS_QUOTA_FIXED_WINDOW:
      /* at most limit admissions in [k*window, (k+1)*window) */
      return count_between (o, start, start + p->window - 1) + 1 <= p->limit;
    case PS_QUOTA_SLIDING_LOG:
      /* at most limit admissions in (t - window, t] */
      return count_between (o, t - p->window + 1, t) + 1 <= p->limit;
    case PS_QUOTA_SLIDING_WINDOW:
      {
        guint64 cur = count_between (o, start, start + p->window - 1);
        guint64 prev = count_between (o, start - p->window, start - 1);

        return prev * (guint64) (p->window - (t - start)) / (guint64) p->window
               + cur + 1 <= p->limit;
      }
    case PS_QUOTA_TOKEN_BUCKET:
    case PS_QUOTA_GCRA:
      return bucket_admits (o, t);
    case PS_QUOTA_N_ALGORITHMS:
    default:
      g_assert_not_reached ();
    }
}

/* What "fully restored" means: a whole burst at @t would be admitted. */
static guint32
oracle_capacity (const Oracle *o)
{
  return is_bucket (o->policy.algorithm) ? ps_quota_policy_burst (&o->policy)
                                         : o->policy.limit;
}

static gboolean
oracle_restored (Oracle *o, PsTime t)
{
  guint32 n = 0, capacity = oracle_capacity (o);
  gboolean ok = TRUE;

  while (n < capacity && (ok = oracle_admits (o, t)))
    {
      g_array_append_val (o->admitted, t);
      n++;
    }
  g_array_set_size (o->admitted, o->admitted->len - n);
  return ok;
}

typedef gboolean (*Predicate) (Oracle *o, PsTime t);

static gboolean
oracle_admits_pred (Oracle *o, PsTime t)
{
  return oracle_admits (o, t);
}

/* The first instant in [@from, @from + horizon] where @pred holds.  Short
 * horizons are scanned microsecond by microsecond, so they rely on
 * nothing; long ones are bisected, which relies on @pred staying true
 * once true (no state changes, and every algorithm only recovers with
 * time); the scans check that too, at the next instant and the end. */
static PsTime
first_instant (Oracle *o, Predicate pred, PsTime from)
{
  guint64 size = is_bucket (o->policy.algorithm)
                 ? ps_quota_policy_burst (&o->policy) : 0;
  PsTime horizon = (PsTime) (2 + size) * o->policy.window;
  PsTime lo = from, hi = from + horizon;

  if (horizon <= SCAN_LIMIT)
    {
      for (PsTime t = from; t <= hi; t++)
        if (pred (o, t))
          {
            g_assert_true (pred (o, t + 1));
            g_assert_true (pred (o, hi));
            return t;
          }
      g_assert_not_reached ();
    }
  g_assert_true (pred (o, hi));
  while (lo < hi)
    {
      PsTime mid = lo + (hi - lo) / 2;

      if (pred (o, mid))
        hi = mid;
      else
        lo = mid + 1;
    }
  return hi;
}

/* Decides one request at @now from the definition, and records it if
 * admitted. */
static void
oracle_decide (Oracle *o, PsTime now, PsQuotaResult *out)
{
  memset (out, 0, sizeof *out);
  out->limit = o->policy.limit;
  if (oracle_admits (o, now))
    {
      guint32 more = 0;

      out->verdict = PS_QUOTA_ALLOW;
      g_array_append_val (o->admitted, now);
      while (more < oracle_capacity (o) && oracle_admits (o, now))
        {
          g_array_append_val (o->admitted, now);
          more++;
        }
      g_array_set_size (o->admitted, o->admitted->len - more);
      out->remaining = more;
      out->reset = first_instant (o, oracle_restored, now) - now;
    }
  else
    {
      out->verdict = PS_QUOTA_DENY;
      out->retry_after = first_instant (o, oracle_admits_pred, now + 1) - now;
      out->reset = first_instant (o, oracle_restored, now) - now;
    }
}

/* ------------------------------------------------------------------ */
/* Random traffic */

static PsTime
uniform (PsRng *rng, PsTime lo, PsTime hi)
{
  return lo + (PsTime) ps_rng_below (rng, (guint64) (hi - lo) + 1);
}

/* Small windows (1-40 µs) are where boundaries and equal timestamps
 * happen most and the oracle can scan every microsecond; large ones (up
 * to an hour, one prime) check the arithmetic at realistic magnitudes.
 * Window algorithms get a burst too: it must be ignored. */
static PsQuotaPolicy
random_policy (PsRng *rng, PsQuotaAlgorithm algorithm)
{
  static const PsTime large[] = {
    1000, 999983, S (1), S (60), S (3600),
  };
  PsTime window = ps_rng_below (rng, 10) < 7
                  ? uniform (rng, 1, 40)
                  : large[ps_rng_below (rng, G_N_ELEMENTS (large))];
  guint32 limit = (guint32) (ps_rng_below (rng, 4) == 0 ? uniform (rng, 9, 24)
                                                        : uniform (rng, 1, 8));
  guint32 burst = (guint32) (ps_rng_below (rng, 3) == 0 ? 0
                                                        : uniform (rng, 1, 12));

  return policy_make (algorithm, limit, window, burst);
}

typedef enum
{
  TRAFFIC_CLUSTERED,                    /* bursts at one instant */
  TRAFFIC_SPREAD,                       /* near the allowed rate */
  TRAFFIC_MIXED,
  N_TRAFFIC,
} Traffic;

/* The next gap; a client just refused often comes back exactly when
 * told, or a microsecond early or late. */
static PsTime
next_gap (PsRng *rng, Traffic traffic, const PsQuotaPolicy *p,
          const PsQuotaResult *last)
{
  PsTime w = p->window;

  if (last->verdict == PS_QUOTA_DENY && ps_rng_below (rng, 3) == 0)
    return MAX (0, last->retry_after + uniform (rng, -1, 1));
  if (ps_rng_below (rng, 20) == 0)
    return uniform (rng, w, 5 * w);     /* a pause */
  switch (traffic)
    {
    case TRAFFIC_CLUSTERED:                 /* bursts of about limit + 1 */
      if (ps_rng_below (rng, p->limit + 1) != 0)
        return 0;
      return uniform (rng, 1, 2 * w);
    case TRAFFIC_SPREAD:                    /* about the allowed rate */
      return uniform (rng, 0, MAX (1, 2 * w / p->limit));
    case TRAFFIC_MIXED:                     /* about twice that */
      if (ps_rng_below (rng, 10) < 3)
        return 0;
      return uniform (rng, 0, MAX (1, w / p->limit));
    case N_TRAFFIC:
    default:
      g_assert_not_reached ();
    }
}

static void
report_mismatch (const PsQuotaPolicy *p, guint64 seed, guint sequence,
                 const GArray *times, const char *field, gint64 got,
                 gint64 expected)
{
  g_autoptr(GString) s = g_string_new (NULL);

  g_string_append_printf (s, "%s limit=%u window=%" G_GINT64_FORMAT
                          " burst=%u, seed %" G_GUINT64_FORMAT
                          " sequence %u, %s: got %" G_GINT64_FORMAT
                          ", oracle %" G_GINT64_FORMAT "; times:",
                          ps_quota_algorithm_to_string (p->algorithm),
                          p->limit, p->window, p->burst, seed, sequence,
                          field, got, expected);
  for (guint i = 0; i < times->len; i++)
    g_string_append_printf (s, " %" G_GINT64_FORMAT,
                            g_array_index (times, PsTime, i));
  g_test_message ("%s", s->str);
}

#define CHECK_FIELD(field)                                                  \
  G_STMT_START                                                              \
  {                                                                         \
    if ((gint64) got->field != (gint64) want->field)                        \
      {                                                                     \
        report_mismatch (p, seed, sequence, times, #field,                  \
                         (gint64) got->field, (gint64) want->field);        \
        g_assert_cmpint ((gint64) got->field, ==, (gint64) want->field);    \
      }                                                                     \
  }                                                                         \
  G_STMT_END

static void
check_result (const PsQuotaPolicy *p, guint64 seed, guint sequence,
              const GArray *times, const PsQuotaResult *got,
              const PsQuotaResult *want)
{
  CHECK_FIELD (verdict);
  CHECK_FIELD (limit);
  CHECK_FIELD (remaining);
  CHECK_FIELD (reset);
  CHECK_FIELD (retry_after);
}

/* One random sequence: the real code and the oracle, request by request. */
static void
run_sequence (PsQuotaAlgorithm algorithm, guint64 seed, guint sequence)
{
  PsRng rng;
  PsQuotaPolicy policy;
  Oracle oracle;
  g_autoptr(PsQuota) quota = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (PsTime));
  PsQuotaSubject id;
  PsQuotaResult want = { PS_QUOTA_ALLOW, 0, 0, 0, 0 };
  Traffic traffic;
  guint n;
  PsTime now;

  ps_rng_init (&rng, seed, sequence);
  policy = random_policy (&rng, algorithm);
  traffic = (Traffic) ps_rng_below (&rng, N_TRAFFIC);
  n = (guint) uniform (&rng, 10, 40);
  now = uniform (&rng, 0, 3 * policy.window);

  oracle.policy = policy;
  oracle.admitted = g_array_new (FALSE, FALSE, sizeof (PsTime));
  quota = quota_new_single (&policy, &id);
  for (guint i = 0; i < n; i++)
    {
      PsQuotaDecision d;

      if (i > 0)
        now += next_gap (&rng, traffic, &policy, &want);
      g_array_append_val (times, now);
      ps_quota_evaluate (quota, id, now, &d);
      oracle_decide (&oracle, now, &want);
      g_assert_cmpuint (d.n_policies, ==, 1);
      check_result (&policy, seed, sequence, times, &d.per_policy[0], &want);
      if (d.verdict == PS_QUOTA_ALLOW)
        ps_quota_charge (quota, id, now);
    }
  g_array_unref (oracle.admitted);
}

static void
test_oracle (gconstpointer data)
{
  guint packed = GPOINTER_TO_UINT (data);
  PsQuotaAlgorithm algorithm = (PsQuotaAlgorithm) (packed >> 16);
  guint seed = packed & 0xffff;

  for (guint s = 0; s < n_sequences (); s++)
    run_sequence (algorithm, seed, s);
}

/* ------------------------------------------------------------------ */
/* Token bucket and GCRA: same admissions, same figures */

static void
test_bucket_gcra_same (gconstpointer data)
{
  guint seed = GPOINTER_TO_UINT (data);

  for (guint s = 0; s < 20 * n_sequences (); s++)
    {
      PsRng rng;
      PsQuotaPolicy bucket, gcra;
      g_autoptr(PsQuota) qb = NULL;
      g_autoptr(PsQuota) qg = NULL;
      PsQuotaSubject ib, ig;
      PsTime now, mean_gap;

      ps_rng_init (&rng, seed, s);
      bucket = policy_make (PS_QUOTA_TOKEN_BUCKET,
                            (guint32) uniform (&rng, 1, 1000),
                            uniform (&rng, 1, S (3600)),
                            (guint32) uniform (&rng, 0, 2000));
      gcra = bucket;
      gcra.algorithm = PS_QUOTA_GCRA;
      qb = quota_new_single (&bucket, &ib);
      qg = quota_new_single (&gcra, &ig);
      /* Start anywhere up to a year in, so times are large. */
      now = uniform (&rng, 0, S (365 * 86400));
      mean_gap = MAX (1, bucket.window / bucket.limit);
      for (guint i = 0; i < 300; i++)
        {
          PsQuotaDecision db, dg;

          now += ps_rng_below (&rng, 4) == 0
                 ? 0 : uniform (&rng, 0, 2 * mean_gap);
          ps_quota_evaluate (qb, ib, now, &db);
          ps_quota_evaluate (qg, ig, now, &dg);
          g_assert_cmpint (db.verdict, ==, dg.verdict);
          g_assert_cmpuint (db.remaining, ==, dg.remaining);
          g_assert_cmpint (db.reset, ==, dg.reset);
          g_assert_cmpint (db.retry_after, ==, dg.retry_after);
          if (db.verdict == PS_QUOTA_ALLOW)
            {
              ps_quota_charge (qb, ib, now);
              ps_quota_charge (qg, ig, now);
            }
          else
            {
              g_assert_cmpint (db.retry_after, >, 0);
              /* Coming back exactly when told succeeds. */
              if (ps_rng_below (&rng, 2) == 0)
                now += db.retry_after - 1;
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Exact vectors */

#define MAX_REQUESTS 24

typedef struct
{
  const char       *path;
  PsQuotaAlgorithm  algorithm;
  guint32           limit;
  PsTime            window;
  guint32           burst;
  const char       *verdicts;           /* per request: A allowed, D denied */
  PsTime            at[MAX_REQUESTS];
  PsTime            retry[MAX_REQUESTS];    /* retry_after; 0 when allowed */
} Vector;

static const Vector vectors[] = {
  /* fixed_window, 3 per 10 s */
  { "/quota/fixed-window/vector/equal-timestamps",
    PS_QUOTA_FIXED_WINDOW, 3, S (10), 0, "AAAD",
    { 0, 0, 0, 0 }, { 0, 0, 0, S (10) } },
  { "/quota/fixed-window/vector/boundary",
    PS_QUOTA_FIXED_WINDOW, 3, S (10), 0, "AAADA",
    { S (10) - 1, S (10) - 1, S (10) - 1, S (10) - 1, S (10) },
    { 0, 0, 0, 1, 0 } },
  { "/quota/fixed-window/vector/twice-limit-across-boundary",
    PS_QUOTA_FIXED_WINDOW, 3, S (10), 0, "AAAAAAD",
    { S (10) - 1, S (10) - 1, S (10) - 1, S (10), S (10), S (10), S (10) },
    { 0, 0, 0, 0, 0, 0, S (10) } },

  /* sliding_log, 3 per 10 s */
  { "/quota/sliding-log/vector/equal-timestamps",
    PS_QUOTA_SLIDING_LOG, 3, S (10), 0, "AAADDA",
    { 0, 0, 0, 0, S (10) - 1, S (10) },
    { 0, 0, 0, S (10), 1, 0 } },
  { "/quota/sliding-log/vector/no-double-across-boundary",
    PS_QUOTA_SLIDING_LOG, 3, S (10), 0, "AAADDA",
    { S (10) - 1, S (10) - 1, S (10) - 1, S (10), S (20) - 2, S (20) - 1 },
    { 0, 0, 0, S (10) - 1, 1, 0 } },
  { "/quota/sliding-log/vector/first-instant",
    PS_QUOTA_SLIDING_LOG, 3, S (10), 0, "AAADAD",
    { 0, S (1), S (2), S (5), S (10), S (10) },
    { 0, 0, 0, S (5), 0, S (1) } },

  /* sliding_window, 4 per 10 s: the previous window counts with weight
   * (window - elapsed) / window, rounded down */
  { "/quota/sliding-window/vector/weighted-previous",
    PS_QUOTA_SLIDING_WINDOW, 4, S (10), 0, "AAAADDAADA",
    { S (5), S (5), S (5), S (5), S (5), S (10), S (10) + 1, S (15), S (15),
      S (15) + 1 },
    { 0, 0, 0, 0, S (5) + 1, 1, 0, 0, 1, 0 } },
  { "/quota/sliding-window/vector/equal-timestamps",
    PS_QUOTA_SLIDING_WINDOW, 3, S (10), 0, "AAADDA",
    { 0, 0, 0, 0, S (10), S (10) + 1 },
    { 0, 0, 0, S (10) + 1, 1, 0 } },

  /* token_bucket, 10 per 10 s (1/s): starts full, so 19 get through in
   * the first window */
  { "/quota/token-bucket/vector/starts-full",
    PS_QUOTA_TOKEN_BUCKET, 10, S (10), 0, "AAAAAAAAAADADAAAAAAAA",
    { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, S (1), S (1), S (2), S (3), S (4),
      S (5), S (6), S (7), S (8), S (9) },
    { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, S (1), 0, S (1) } },
  { "/quota/token-bucket/vector/exact-fraction",
    PS_QUOTA_TOKEN_BUCKET, 3, S (10), 1, "ADDADA",
    { 0, 0, 3333333, 3333334, 6666667, 6666668 },
    { 0, 3333334, 1, 0, 1, 0 } },
  { "/quota/token-bucket/vector/burst-above-limit",
    PS_QUOTA_TOKEN_BUCKET, 2, S (10), 5, "AAAAADAD",
    { 0, 0, 0, 0, 0, 0, S (5), S (5) },
    { 0, 0, 0, 0, 0, S (5), 0, S (5) } },

  /* gcra: the same rows */
  { "/quota/gcra/vector/starts-full",
    PS_QUOTA_GCRA, 10, S (10), 0, "AAAAAAAAAADADAAAAAAAA",
    { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, S (1), S (1), S (2), S (3), S (4),
      S (5), S (6), S (7), S (8), S (9) },
    { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, S (1), 0, S (1) } },
  { "/quota/gcra/vector/exact-fraction",
    PS_QUOTA_GCRA, 3, S (10), 1, "ADDADA",
    { 0, 0, 3333333, 3333334, 6666667, 6666668 },
    { 0, 3333334, 1, 0, 1, 0 } },
  { "/quota/gcra/vector/burst-above-limit",
    PS_QUOTA_GCRA, 2, S (10), 5, "AAAAADAD",
    { 0, 0, 0, 0, 0, 0, S (5), S (5) },
    { 0, 0, 0, 0, 0, S (5), 0, S (5) } },
};

static void
test_vector (gconstpointer data)
{
  const Vector *v = data;
  PsQuotaPolicy policy = policy_make (v->algorithm, v->limit, v->window,
                                      v->burst);
  g_autoptr(PsQuota) quota = NULL;
  PsQuotaSubject id;

  quota = quota_new_single (&policy, &id);
  g_assert_cmpuint (strlen (v->verdicts), <=, MAX_REQUESTS);
  for (guint i = 0; v->verdicts[i] != '\0'; i++)
    {
      PsQuotaDecision d;
      PsQuotaVerdict verdict = ps_quota_evaluate (quota, id, v->at[i], &d);

      g_test_message ("request %u at %" G_GINT64_FORMAT, i, v->at[i]);
      g_assert_cmpint (verdict, ==, v->verdicts[i] == 'A' ? PS_QUOTA_ALLOW
                                                          : PS_QUOTA_DENY);
      g_assert_cmpint (d.retry_after, ==, v->retry[i]);
      if (verdict == PS_QUOTA_ALLOW)
        ps_quota_charge (quota, id, v->at[i]);
      else
        g_assert_cmpint (ps_quota_retry_after_s (&d), ==,
                         MAX (1, (v->retry[i] + S (1) - 1) / S (1)));
    }
}

/* ------------------------------------------------------------------ */
/* Stacked policies */

typedef struct
{
  PsTime         at;
  PsQuotaVerdict verdict;
  guint          policy;                /* binding */
  guint32        remaining;
  PsTime         retry_after;
} StackStep;

/* 2 per second (sliding log) and 6 per 10 s (fixed window).  The refusal
 * at t=0 is the 1-s policy's alone: the 10-s policy, not charged for it,
 * still admits six in total, the last two at t=2 s. */
static void
test_stacked (void)
{
  static const StackStep steps[] = {
    { 0, PS_QUOTA_ALLOW, 0, 1, 0 },
    { 0, PS_QUOTA_ALLOW, 0, 0, 0 },
    { 0, PS_QUOTA_DENY, 0, 0, S (1) },
    { S (1), PS_QUOTA_ALLOW, 0, 1, 0 },
    { S (1), PS_QUOTA_ALLOW, 0, 0, 0 },
    { MS (1500), PS_QUOTA_DENY, 0, 0, MS (500) },
    { S (2), PS_QUOTA_ALLOW, 0, 1, 0 },   /* 1 and 1 left: first wins */
    { S (2), PS_QUOTA_ALLOW, 0, 0, 0 },
    { S (2), PS_QUOTA_DENY, 1, 0, S (8) },   /* both refuse: longest */
    { S (3), PS_QUOTA_DENY, 1, 0, S (7) },   /* only the 10-s one */
    { S (10), PS_QUOTA_ALLOW, 0, 1, 0 },
  };
  PsQuotaPolicy policies[2] = {
    policy_make (PS_QUOTA_SLIDING_LOG, 2, S (1), 0),
    policy_make (PS_QUOTA_FIXED_WINDOW, 6, S (10), 0),
  };
  g_autoptr(PsQuota) quota = ps_quota_new ();
  PsQuotaSubject id =
    ps_quota_add_subject (quota, ps_quota_add_tier (quota, policies, 2));

  g_test_summary ("Stacked policies: all must allow, all are charged, a "
                  "refusal charges none, Retry-After is the longest wait.");
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      PsQuotaDecision d;

      g_test_message ("step %u", i);
      g_assert_cmpint (ps_quota_evaluate (quota, id, steps[i].at, &d), ==,
                       steps[i].verdict);
      g_assert_cmpuint (d.n_policies, ==, 2);
      g_assert_cmpuint (d.policy, ==, steps[i].policy);
      g_assert_cmpuint (d.limit, ==, policies[steps[i].policy].limit);
      g_assert_cmpuint (d.remaining, ==, steps[i].remaining);
      g_assert_cmpint (d.retry_after, ==, steps[i].retry_after);
      g_assert_cmpint (d.reset, ==, d.per_policy[d.policy].reset);
      if (d.verdict == PS_QUOTA_ALLOW)
        ps_quota_charge (quota, id, steps[i].at);
    }
}

/* Both refuse at once; the binding one is the longer wait, and the header
 * seconds round up. */
static void
test_stacked_retry_after_s (void)
{
  PsQuotaPolicy policies[2] = {
    policy_make (PS_QUOTA_TOKEN_BUCKET, 1, S (1), 0),
    policy_make (PS_QUOTA_GCRA, 1, MS (2500), 0),
  };
  g_autoptr(PsQuota) quota = ps_quota_new ();
  PsQuotaSubject id =
    ps_quota_add_subject (quota, ps_quota_add_tier (quota, policies, 2));
  PsQuotaDecision d;

  g_assert_cmpint (ps_quota_evaluate (quota, id, 0, &d), ==, PS_QUOTA_ALLOW);
  ps_quota_charge (quota, id, 0);
  g_assert_cmpint (ps_quota_evaluate (quota, id, 1, &d), ==, PS_QUOTA_DENY);
  g_assert_cmpint (d.per_policy[0].verdict, ==, PS_QUOTA_DENY);
  g_assert_cmpint (d.per_policy[0].retry_after, ==, S (1) - 1);
  g_assert_cmpint (d.per_policy[1].retry_after, ==, MS (2500) - 1);
  g_assert_cmpuint (d.policy, ==, 1);
  g_assert_cmpint (d.retry_after, ==, MS (2500) - 1);
  g_assert_cmpint (ps_quota_retry_after_s (&d), ==, 3);
  /* One microsecond before the end of the wait: still 1 s, never 0. */
  g_assert_cmpint (ps_quota_evaluate (quota, id, MS (2500) - 1, &d), ==,
                   PS_QUOTA_DENY);
  g_assert_cmpint (d.retry_after, ==, 1);
  g_assert_cmpint (ps_quota_retry_after_s (&d), ==, 1);
  g_assert_cmpint (ps_quota_evaluate (quota, id, MS (2500), &d), ==,
                   PS_QUOTA_ALLOW);
}

/* ------------------------------------------------------------------ */
/* Odds and ends */

static void
test_names (void)
{
  const char *const *names = ps_quota_algorithm_names ();

  g_assert_cmpuint (g_strv_length ((char **) names), ==, PS_QUOTA_N_ALGORITHMS);
  for (guint i = 0; i < PS_QUOTA_N_ALGORITHMS; i++)
    {
      PsQuotaAlgorithm found;

      g_assert_true (ps_quota_algorithm_from_string (names[i], &found));
      g_assert_cmpint (found, ==, i);
    }
}

/* A fresh subject, however late it first shows up, gets the whole
 * capacity: remaining is capacity - 1 for every algorithm. */
static void
test_fresh_subject (void)
{
  for (guint a = 0; a < PS_QUOTA_N_ALGORITHMS; a++)
    {
      PsQuotaPolicy policy = policy_make (a, 60, S (60), 100);
      g_autoptr(PsQuota) quota = NULL;
      PsQuotaSubject id;
      PsQuotaDecision d;

      quota = quota_new_single (&policy, &id);
      g_assert_cmpint (ps_quota_evaluate (quota, id, S (86400) + 7, &d), ==,
                       PS_QUOTA_ALLOW);
      g_assert_cmpuint (d.limit, ==, 60);
      g_assert_cmpuint (d.remaining, ==, is_bucket (a) ? 99 : 59);
    }
}

/* The log grows to 1000 slots and wraps many times; checked against the
 * count in (t - window, t]. */
static void
test_sliding_log_large (void)
{
  PsQuotaPolicy policy = policy_make (PS_QUOTA_SLIDING_LOG, 1000, S (1), 0);
  g_autoptr(PsQuota) quota = NULL;
  g_autoptr(GArray) admitted = g_array_new (FALSE, FALSE, sizeof (PsTime));
  PsQuotaSubject id;
  guint first = 0;
  PsRng rng;

  ps_rng_init (&rng, 7, 7);
  quota = quota_new_single (&policy, &id);
  for (PsTime now = 0; now < S (5); now += (PsTime) ps_rng_below (&rng, 1500))
    {
      PsQuotaDecision d;

      while (first < admitted->len
             && g_array_index (admitted, PsTime, first) <= now - S (1))
        first++;
      ps_quota_evaluate (quota, id, now, &d);
      g_assert_cmpint (d.verdict == PS_QUOTA_ALLOW, ==,
                       admitted->len - first < 1000);
      if (d.verdict == PS_QUOTA_ALLOW)
        {
          g_assert_cmpuint (d.remaining, ==,
                            1000 - (admitted->len - first) - 1);
          ps_quota_charge (quota, id, now);
          g_array_append_val (admitted, now);
        }
      else
        g_assert_cmpint (d.retry_after, ==,
                         g_array_index (admitted, PsTime, first) + S (1) - now);
    }
  g_assert_cmpuint (admitted->len, >, 4000);
}

/* limit * window past 62 bits cannot be represented exactly: refused as
 * NEVER, with a critical, rather than wrong. */
static void
test_out_of_range (void)
{
  static const PsQuotaAlgorithm checked[] = {
    PS_QUOTA_SLIDING_WINDOW, PS_QUOTA_TOKEN_BUCKET, PS_QUOTA_GCRA,
  };

  for (guint i = 0; i < G_N_ELEMENTS (checked); i++)
    {
      PsQuotaPolicy policy = policy_make (checked[i], 4000000000u,
                                          S (10000), 0);
      g_autoptr(PsQuota) quota = NULL;
      PsQuotaSubject id;
      PsQuotaDecision d;

      quota = quota_new_single (&policy, &id);
      g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*fits*");
      g_assert_cmpint (ps_quota_evaluate (quota, id, 0, &d), ==,
                       PS_QUOTA_NEVER);
      g_test_assert_expected_messages ();
      g_assert_cmpint (ps_quota_retry_after_s (&d), ==, 0);
    }
}

/* ------------------------------------------------------------------ */
/* The table in docs/quota-algorithms.md */

/* Most admissions in any (t - span, t], by two pointers. */
static guint
max_in_span (const GArray *admitted, PsTime span)
{
  guint best = 0, first = 0;

  for (guint i = 0; i < admitted->len; i++)
    {
      PsTime t = g_array_index (admitted, PsTime, i);

      while (g_array_index (admitted, PsTime, first) <= t - span)
        first++;
      best = MAX (best, i - first + 1);
    }
  return best;
}

static guint
count_before (const GArray *admitted, PsTime end)
{
  guint n = 0;

  while (n < admitted->len && g_array_index (admitted, PsTime, n) < end)
    n++;
  return n;
}

/* Open-loop traffic (refused requests are not retried) against a fresh
 * subject; @burst requests at t = @offset, then one every @every µs
 * until @end.  Returns the admission times. */
static GArray *
admit_traffic (const PsQuotaPolicy *policy, PsTime offset, guint burst,
               PsTime every, PsTime end)
{
  GArray *admitted = g_array_new (FALSE, FALSE, sizeof (PsTime));
  g_autoptr(PsQuota) quota = NULL;
  PsQuotaSubject id;
  PsTime now = offset;

  quota = quota_new_single (policy, &id);
  for (guint i = 0; now < end; i++)
    {
      if (ps_quota_evaluate (quota, id, now, NULL) == PS_QUOTA_ALLOW)
        {
          ps_quota_charge (quota, id, now);
          g_array_append_val (admitted, now);
        }
      if (i + 1 >= burst)
        now += every;
    }
  return admitted;
}

typedef struct
{
  guint at_zero, first_window, first_two, busiest, worst;
} Row;

static void
doc_row (PsQuotaAlgorithm algorithm, Row *row)
{
  static const PsTime offsets[] = { 0, S (30), MS (59500) };
  PsQuotaPolicy policy = policy_make (algorithm, 60, S (60), 0);
  g_autoptr(GArray) a = admit_traffic (&policy, 0, 100, S (1), S (600));

  row->at_zero = count_before (a, 1);
  row->first_window = count_before (a, S (60));
  row->first_two = count_before (a, S (120));
  row->busiest = max_in_span (a, S (60));
  /* Worst case: a greedy client (one request per ms for 5 minutes),
   * starting at various points of the first window. */
  row->worst = 0;
  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      g_autoptr(GArray) g =
        admit_traffic (&policy, offsets[i], 1, MS (1), offsets[i] + S (300));

      row->worst = MAX (row->worst, max_in_span (g, S (60)));
    }
}

static void
test_doc_table (void)
{
  /* The numbers in docs/quota-algorithms.md; this test is how they were
   * computed and keeps them true. */
  static const Row expected[PS_QUOTA_N_ALGORITHMS] = {
    [PS_QUOTA_FIXED_WINDOW] = { 60, 60, 120, 60, 120 },
    [PS_QUOTA_SLIDING_LOG] = { 60, 60, 120, 60, 60 },
    [PS_QUOTA_SLIDING_WINDOW] = { 60, 60, 119, 60, 120 },
    [PS_QUOTA_TOKEN_BUCKET] = { 60, 119, 179, 119, 119 },
    [PS_QUOTA_GCRA] = { 60, 119, 179, 119, 119 },
  };

  g_test_summary ("Limit 60 per minute; 100 requests at t=0 then 1/s for "
                  "10 min; worst = most admitted in any 60 s by a greedy "
                  "client.");
  g_test_message ("| algorithm | at t=0 | first minute | first 2 minutes "
                  "| busiest 60 s | worst case 60 s |");
  for (guint a = 0; a < PS_QUOTA_N_ALGORITHMS; a++)
    {
      Row row;

      doc_row (a, &row);
      g_test_message ("| %s | %u | %u | %u | %u | %u |",
                      ps_quota_algorithm_to_string (a), row.at_zero,
                      row.first_window, row.first_two, row.busiest, row.worst);
      g_assert_cmpuint (row.at_zero, ==, expected[a].at_zero);
      g_assert_cmpuint (row.first_window, ==, expected[a].first_window);
      g_assert_cmpuint (row.first_two, ==, expected[a].first_two);
      g_assert_cmpuint (row.busiest, ==, expected[a].busiest);
      g_assert_cmpuint (row.worst, ==, expected[a].worst);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint a = 0; a < PS_QUOTA_N_ALGORITHMS; a++)
    {
      g_autofree char *name = path_name (a);

      for (guint seed = 1; seed <= N_SEEDS; seed++)
        {
          g_autofree char *path =
            g_strdup_printf ("/quota/%s/oracle/seed:%u", name, seed);

          g_test_add_data_func (path, GUINT_TO_POINTER (a << 16 | seed),
                                test_oracle);
        }
    }
  for (guint seed = 1; seed <= 4; seed++)
    {
      g_autofree char *path =
        g_strdup_printf ("/quota/gcra/same-as-token-bucket/seed:%u", seed);

      g_test_add_data_func (path, GUINT_TO_POINTER (seed),
                            test_bucket_gcra_same);
    }
  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    g_test_add_data_func (vectors[i].path, &vectors[i], test_vector);
  g_test_add_func ("/quota/stacked/vector", test_stacked);
  g_test_add_func ("/quota/stacked/retry-after-is-longest",
                   test_stacked_retry_after_s);
  g_test_add_func ("/quota/names", test_names);
  g_test_add_func ("/quota/fresh-subject", test_fresh_subject);
  g_test_add_func ("/quota/sliding-log/large-limit", test_sliding_log_large);
  g_test_add_func ("/quota/out-of-range", test_out_of_range);
  g_test_add_func ("/quota/doc-table", test_doc_table);

  return g_test_run ();
}
