/* ps-quota.h: per-client admission quota, one interface for every algorithm
 *
 * A PsQuota answers one question: may subject @id (a client address) have
 * one more request admitted at time @now?  Asking never changes state
 * (ps_quota_evaluate); recording an admission does (ps_quota_charge).  The
 * split lets the server answer 503 when the pool is full without spending
 * the client's quota, and makes a rejection (429 or 503) change nothing.
 *
 * A subject is limited by a tier: a list of one or more policies, all of
 * which must allow a request, and all of which are charged for it.
 *
 * Time is passed in; nothing here reads a clock, so the simulator and the
 * live server run this same code.  All state is integer.  Not thread-safe:
 * live mode calls it under one lock.
 */
#pragma once

#include <glib.h>

#include "ps-time.h"

G_BEGIN_DECLS

typedef struct _PsQuota PsQuota;
typedef guint32 PsQuotaSubject;         /* dense, in order of creation */

#define PS_QUOTA_MAX_POLICIES 8
#define PS_QUOTA_NAME_LEN     24

typedef enum
{
  PS_QUOTA_FIXED_WINDOW,
  PS_QUOTA_SLIDING_LOG,
  PS_QUOTA_SLIDING_WINDOW,
  PS_QUOTA_TOKEN_BUCKET,
  PS_QUOTA_GCRA,
  PS_QUOTA_N_ALGORITHMS,
} PsQuotaAlgorithm;

typedef struct
{
  PsQuotaAlgorithm algorithm;
  guint32          limit;               /* admissions per window, >= 1 */
  PsTime           window;              /* > 0 */
  guint32          burst;               /* token_bucket, gcra: 0 = limit */
  char             name[PS_QUOTA_NAME_LEN];   /* for RateLimit headers */
} PsQuotaPolicy;

typedef enum
{
  PS_QUOTA_ALLOW,
  PS_QUOTA_DENY,
  PS_QUOTA_NEVER,                       /* cannot be admitted, ever */
} PsQuotaVerdict;

/* One policy's view of a request: what its RateLimit header says. */
typedef struct
{
  PsQuotaVerdict verdict;
  guint32        limit;
  guint32        remaining;             /* after this request if allowed */
  PsTime         reset;                 /* from now until fully restored */
  PsTime         retry_after;           /* exact; 0 when allowed */
} PsQuotaResult;

/* Everything the server needs for a 429 and the RateLimit headers. */
typedef struct
{
  PsQuotaVerdict verdict;
  guint          policy;                /* the binding policy's index */
  guint32        limit;                 /* ... and its figures */
  guint32        remaining;
  PsTime         reset;
  PsTime         retry_after;           /* largest among refusing policies */
  guint          n_policies;
  PsQuotaResult  per_policy[PS_QUOTA_MAX_POLICIES];
} PsQuotaDecision;

PsQuota               *ps_quota_new                   (void);
void                   ps_quota_free                  (PsQuota             *quota);

guint                  ps_quota_add_tier              (PsQuota             *quota,
                                                       const PsQuotaPolicy *policies,
                                                       guint                n_policies);
PsQuotaSubject         ps_quota_add_subject           (PsQuota             *quota,
                                                       guint                tier);
guint                  ps_quota_get_n_subjects        (const PsQuota       *quota);
void                   ps_quota_prefetch              (const PsQuota       *quota,
                                                       PsQuotaSubject       id);
const PsQuotaPolicy   *ps_quota_get_policies          (const PsQuota       *quota,
                                                       PsQuotaSubject       id,
                                                       guint               *out_n);

PsQuotaVerdict         ps_quota_evaluate              (const PsQuota       *quota,
                                                       PsQuotaSubject       id,
                                                       PsTime               now,
                                                       PsQuotaDecision     *out_decision);
void                   ps_quota_charge                (PsQuota             *quota,
                                                       PsQuotaSubject       id,
                                                       PsTime               now);

gint64                 ps_quota_retry_after_s         (const PsQuotaDecision *decision);
guint32                ps_quota_policy_burst          (const PsQuotaPolicy *policy);
void                   ps_quota_policy_default_name   (PsQuotaPolicy       *policy);

const char            *ps_quota_algorithm_to_string   (PsQuotaAlgorithm     algorithm);
gboolean               ps_quota_algorithm_from_string (const char          *name,
                                                       PsQuotaAlgorithm    *out_algorithm);
const char *const     *ps_quota_algorithm_names       (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsQuota, ps_quota_free)

G_END_DECLS
