/* ps-scenario-schema.h: every key a scenario may hold, in one table
 *
 * Each object of the format (the document, server, a policy, a client
 * group, ...) is a PsSchemaObject listing its keys with their JSON type,
 * range and default.  The loader reads every value through its entry,
 * unknown keys and their suggestions come from it, and --set paths are
 * checked against it: a key is named here and nowhere else.  Loader code
 * refers to an entry by its PS_SK_* index.  Constant data, thread-safe.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PS_SCHEMA_STRING,
  PS_SCHEMA_INT,          /* a JSON integer in min..max */
  PS_SCHEMA_NUMBER,       /* integer or double, >= 0 (> 0 if POSITIVE), <= number_max */
  PS_SCHEMA_BOOL,
  PS_SCHEMA_DURATION,     /* seconds or "250ms"; >= 0 (> 0 if POSITIVE) */
  PS_SCHEMA_CIDR,         /* "A.B.C.D/N" */
  PS_SCHEMA_OBJECT,       /* keys in @object */
  PS_SCHEMA_ARRAY,        /* min..max elements, each like @element */
  PS_SCHEMA_ONE_OR_MANY,  /* one @element object, or an array of min..max */
  PS_SCHEMA_DIST,         /* an @object, or a bare duration (constant) */
  PS_SCHEMA_ADDRESSES,    /* a CIDR string, or an array of min..max @element */
} PsSchemaType;

typedef enum
{
  PS_SCHEMA_REQUIRED = 1 << 0,   /* absent: MISSING_KEY; else default or unset */
  PS_SCHEMA_POSITIVE = 1 << 1,   /* NUMBER, DURATION: strictly above 0 */
} PsSchemaFlags;

typedef struct _PsSchemaKey    PsSchemaKey;
typedef struct _PsSchemaObject PsSchemaObject;

struct _PsSchemaKey
{
  const char           *name;      /* NULL for array elements */
  PsSchemaType          type;
  PsSchemaFlags         flags;
  const char           *def;       /* default, as JSON text; NULL: none */
  gint64                min;       /* INT value; ARRAY, ONE_OR_MANY length */
  gint64                max;
  double                number_max;   /* NUMBER; 0 = no bound */
  guint                 variants;  /* selector values it belongs to, as bits; 0 = all */
  const PsSchemaObject *object;    /* OBJECT, DIST */
  const PsSchemaKey    *element;   /* ARRAY, ONE_OR_MANY */
  const char           *expected;  /* for messages; NULL: derived from the type */
};

struct _PsSchemaObject
{
  const PsSchemaKey *keys;
  guint              n_keys;
  int                selector;     /* key whose value picks the variant, or -1 */
};

enum { PS_SK_TOP_NAME, PS_SK_TOP_DESCRIPTION, PS_SK_TOP_SEED, PS_SK_TOP_DURATION,
       PS_SK_TOP_SERVER, PS_SK_TOP_CLIENTS, PS_SK_TOP_OUTPUT, PS_SK_TOP_NETWORK,
       PS_SK_TOP_FAULTS, PS_SK_TOP_N };

enum { PS_SK_SERVER_WORKERS, PS_SK_SERVER_QUEUE, PS_SK_SERVER_SERVICE_TIME,
       PS_SK_SERVER_QUOTA, PS_SK_SERVER_OVERRIDES, PS_SK_SERVER_TRUSTED_PROXIES,
       PS_SK_SERVER_N };

enum { PS_SK_POLICY_ALGORITHM, PS_SK_POLICY_LIMIT, PS_SK_POLICY_WINDOW,
       PS_SK_POLICY_BURST, PS_SK_POLICY_NAME, PS_SK_POLICY_N };

enum { PS_SK_OVERRIDE_GROUP, PS_SK_OVERRIDE_CIDR, PS_SK_OVERRIDE_QUOTA,
       PS_SK_OVERRIDE_N };

enum { PS_SK_DIST_DIST, PS_SK_DIST_VALUE, PS_SK_DIST_MIN, PS_SK_DIST_MAX,
       PS_SK_DIST_MEAN, PS_SK_DIST_STDDEV, PS_SK_DIST_N };

enum { PS_SK_CLIENT_GROUP, PS_SK_CLIENT_COUNT, PS_SK_CLIENT_IP,
       PS_SK_CLIENT_ARRIVAL, PS_SK_CLIENT_PRIORITIES, PS_SK_CLIENT_CONCURRENCY,
       PS_SK_CLIENT_ON_429, PS_SK_CLIENT_ON_503, PS_SK_CLIENT_QUEUE_LIMIT,
       PS_SK_CLIENT_TIMEOUT, PS_SK_CLIENT_BACKOFF, PS_SK_CLIENT_SHARED_IP,
       PS_SK_CLIENT_WORK, PS_SK_CLIENT_INITIAL_BACKLOG,
       PS_SK_CLIENT_REQUEST_TIMEOUT, PS_SK_CLIENT_RETRY, PS_SK_CLIENT_THROTTLE,
       PS_SK_CLIENT_WAIT_RESET_JITTER, PS_SK_CLIENT_N };

enum { PS_SK_RETRY_MAX_ATTEMPTS, PS_SK_RETRY_ON_TIMEOUT, PS_SK_RETRY_BUDGET,
       PS_SK_RETRY_N };

enum { PS_SK_BUDGET_TOKENS, PS_SK_BUDGET_RETRY_COST, PS_SK_BUDGET_TIMEOUT_COST,
       PS_SK_BUDGET_SUCCESS_REFILL, PS_SK_BUDGET_RATIO, PS_SK_BUDGET_WINDOW,
       PS_SK_BUDGET_MIN_PER_S, PS_SK_BUDGET_N };

enum { PS_SK_THROTTLE_K, PS_SK_THROTTLE_WINDOW, PS_SK_THROTTLE_N };

enum { PS_SK_FAULT_AT, PS_SK_FAULT_FOR, PS_SK_FAULT_WORKERS,
       PS_SK_FAULT_SERVICE_FACTOR, PS_SK_FAULT_OUTAGE, PS_SK_FAULT_LATENCY,
       PS_SK_FAULT_N };

enum { PS_SK_ARRIVAL_PROCESS, PS_SK_ARRIVAL_RATE, PS_SK_ARRIVAL_INTERVAL,
       PS_SK_ARRIVAL_JITTER, PS_SK_ARRIVAL_PROFILE, PS_SK_ARRIVAL_ON_RATE,
       PS_SK_ARRIVAL_OFF_RATE, PS_SK_ARRIVAL_ON_MEAN, PS_SK_ARRIVAL_OFF_MEAN,
       PS_SK_ARRIVAL_FILE, PS_SK_ARRIVAL_FORMAT, PS_SK_ARRIVAL_SPEED,
       PS_SK_ARRIVAL_STRICT, PS_SK_ARRIVAL_N };

enum { PS_SK_BACKOFF_BASE, PS_SK_BACKOFF_CAP, PS_SK_BACKOFF_JITTER,
       PS_SK_BACKOFF_HONOUR_RETRY_AFTER, PS_SK_BACKOFF_N };

enum { PS_SK_OUTPUT_BIN, PS_SK_OUTPUT_REQUESTS, PS_SK_OUTPUT_ATTEMPTS,
       PS_SK_OUTPUT_COMPRESS, PS_SK_OUTPUT_N };

enum { PS_SK_NETWORK_LATENCY, PS_SK_NETWORK_N };

/* Limits that are not a single key's range. */
#define PS_SCENARIO_MAX_CLIENTS  16000000
#define PS_SCENARIO_MAX_BINS     10000000
#define PS_SCENARIO_GROUP_MAX    64
#define PS_SCENARIO_NAME_MAX     128
#define PS_SCENARIO_MAX_BACKLOG  100000000   /* initial requests, all groups */
#define PS_SCENARIO_MAX_PROFILE  100000      /* points in one profile */

extern const PsSchemaKey    ps_schema_document;      /* the top-level object */
extern const PsSchemaKey    ps_schema_top[PS_SK_TOP_N];
extern const PsSchemaKey    ps_schema_server[PS_SK_SERVER_N];
extern const PsSchemaKey    ps_schema_policy[PS_SK_POLICY_N];
extern const PsSchemaKey    ps_schema_override[PS_SK_OVERRIDE_N];
extern const PsSchemaKey    ps_schema_dist[PS_SK_DIST_N];
extern const PsSchemaKey    ps_schema_client[PS_SK_CLIENT_N];
extern const PsSchemaKey    ps_schema_arrival[PS_SK_ARRIVAL_N];
extern const PsSchemaKey    ps_schema_backoff[PS_SK_BACKOFF_N];
extern const PsSchemaKey    ps_schema_output[PS_SK_OUTPUT_N];
extern const PsSchemaKey    ps_schema_retry[PS_SK_RETRY_N];
extern const PsSchemaKey    ps_schema_budget[PS_SK_BUDGET_N];
extern const PsSchemaKey    ps_schema_throttle[PS_SK_THROTTLE_N];
extern const PsSchemaKey    ps_schema_fault[PS_SK_FAULT_N];
extern const PsSchemaKey    ps_schema_network[PS_SK_NETWORK_N];
extern const PsSchemaKey    ps_schema_profile_time;        /* profile[i][0] */
extern const PsSchemaKey    ps_schema_profile_multiplier;  /* profile[i][1] */

const PsSchemaKey *ps_schema_object_lookup   (const PsSchemaObject *object,
                                              const char           *name);
const char        *ps_schema_object_suggest  (const PsSchemaObject *object,
                                              const char           *name,
                                              guint                 variants);
char              *ps_schema_object_list     (const PsSchemaObject *object,
                                              guint                 variants);
char              *ps_schema_key_expected    (const PsSchemaKey    *key);
const char        *ps_schema_type_noun       (PsSchemaType          type);

G_END_DECLS
