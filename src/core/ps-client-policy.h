/* ps-client-policy.h: how a group of clients behaves, as configured
 *
 * Plain values shared by every client of a group; the scenario fills them,
 * ps-client.c acts on them.
 */
#pragma once

#include <glib.h>

#include "ps-time.h"

G_BEGIN_DECLS

typedef enum
{
  PS_ON_429_WAIT_RESET,   /* requeue, pause until Retry-After has passed */
  PS_ON_429_BACKOFF,      /* requeue, exponential backoff with full jitter */
  PS_ON_429_DROP,         /* give the request up: outcome "rejected" */
  PS_ON_429_SELF_THROTTLE,/* hold requests while the RateLimit header says
                           * none remain; on a 429 anyway, as wait_reset */
} PsOn429;

typedef enum
{
  PS_ON_503_BACKOFF,
  PS_ON_503_DROP,
} PsOn503;

/* What a client does when an answer does not come within request_timeout. */
typedef enum
{
  PS_ON_TIMEOUT_RETRY,    /* requeue and send again at once */
  PS_ON_TIMEOUT_BACKOFF,  /* requeue, send again after the backoff delay */
  PS_ON_TIMEOUT_DROP,     /* give the request up: outcome "dropped" */
} PsOnTimeout;

/* How the backoff delay is drawn from its ceiling c = min(cap, base*2^(n-1)):
 * AWS's "Exponential Backoff And Jitter" formulas. */
typedef enum
{
  PS_JITTER_FULL,         /* uniform in [0, c] */
  PS_JITTER_EQUAL,        /* c/2 + uniform in [0, c/2] */
  PS_JITTER_DECORRELATED, /* min(cap, uniform in [base, 3 * previous delay]) */
} PsJitter;

typedef enum
{
  PS_BUDGET_NONE,
  PS_BUDGET_TOKENS,       /* the AWS SDKs' standard retry quota */
  PS_BUDGET_RATIO,        /* Envoy's / Linkerd's retry budget */
} PsBudgetKind;

/* A client's retry budget: a retry it cannot pay for is not made. */
typedef struct
{
  PsBudgetKind kind;
  guint        tokens;          /* TOKENS: capacity; the bucket starts full */
  guint        retry_cost;      /* ... taken by a retry after a refusal */
  guint        timeout_cost;    /* ... taken by a retry after a timeout */
  guint        success_refill;  /* ... given back by a first-attempt success */
  double       ratio;           /* RATIO: retries per first attempt, */
  PsTime       window;          /* ... over this sliding window, */
  double       min_per_s;       /* ... plus this many retries a second */
} PsRetryBudgetSpec;

/* Google SRE client-side adaptive throttling. */
typedef struct
{
  gboolean enabled;
  double   k;                   /* accepts multiplier, > 0 */
  PsTime   window;              /* requests and accepts are counted over it */
} PsThrottleSpec;

typedef struct
{
  guint    concurrency;   /* outstanding requests at most; 0 = no limit */
  PsOn429  on_429;
  PsOn503  on_503;
  guint    queue_limit;   /* requests waiting at the client; 0 = no limit */
  PsTime   timeout;       /* longest wait in the client queue; 0 = none */
  PsTime   backoff_base;  /* first backoff ceiling, > 0 */
  PsTime   backoff_cap;   /* largest backoff ceiling, >= base */

  /* Retries, timeouts and throttling; all off by default, and then no
   * random number is drawn for them. */
  PsJitter          jitter;
  gboolean          honour_retry_after;   /* a 503 waits at least Retry-After */
  PsTime            wait_reset_jitter;    /* wait_reset adds uniform [0, this] */
  PsTime            request_timeout;      /* wait for an answer; 0 = forever */
  PsOnTimeout       on_timeout;
  guint             max_attempts;         /* per request; 0 = no limit */
  PsRetryBudgetSpec budget;
  PsThrottleSpec    throttle;
} PsClientPolicy;

const char  *ps_on_429_to_string   (PsOn429     on_429);
gboolean     ps_on_429_from_string (const char *name,
                                    PsOn429    *out);
const char *const *ps_on_429_names (void);
const char  *ps_on_503_to_string   (PsOn503     on_503);
gboolean     ps_on_503_from_string (const char *name,
                                    PsOn503    *out);
const char *const *ps_on_503_names (void);
gboolean     ps_on_timeout_from_string (const char *name,
                                    PsOnTimeout *out);
const char *const *ps_on_timeout_names (void);
const char  *ps_on_timeout_to_string (PsOnTimeout on_timeout);
gboolean     ps_jitter_from_string (const char *name,
                                    PsJitter   *out);
const char *const *ps_jitter_names (void);
const char  *ps_jitter_to_string   (PsJitter    jitter);

/* Whether a client of this policy keeps state beyond the seed's model: a
 * budget, a throttle or the previous decorrelated delay.  Clients without
 * it carry none, so plain scenarios cost what they did. */
static inline gboolean
ps_client_policy_has_retry_state (const PsClientPolicy *policy)
{
  return policy->budget.kind != PS_BUDGET_NONE || policy->throttle.enabled
         || policy->jitter == PS_JITTER_DECORRELATED;
}

G_END_DECLS
