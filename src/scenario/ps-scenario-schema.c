/* ps-scenario-schema.c: the scenario format's keys, types, ranges, defaults
 *
 * Leaves first, so each table only points at tables above it.  Variant
 * bits of distribution keys are 1 << PsDistKind, of arrival keys
 * 1 << PsArrivalProcess (a key may belong to several processes).
 * Defaults are JSON text and go through the same checks as values from a
 * file.
 */
#include "ps-scenario-schema.h"

#include "ps-arrival.h"
#include "ps-dist.h"
#include "ps-quota.h"
#include "ps-suggest.h"

#include <string.h>

#define OBJECT_OF(keys) { keys, G_N_ELEMENTS (keys), -1 }
#define VARIANT_OBJECT_OF(keys, selector) { keys, G_N_ELEMENTS (keys), selector }
#define BIT(v) (1u << (v))

/* --- server.quota and overrides[].quota ---------------------------------- */

const PsSchemaKey ps_schema_policy[PS_SK_POLICY_N] = {
  [PS_SK_POLICY_ALGORITHM] = { "algorithm", PS_SCHEMA_STRING,
                               .def = "\"fixed_window\"" },
  [PS_SK_POLICY_LIMIT] = { "limit", PS_SCHEMA_INT, .def = "60",
                           .min = 1, .max = G_MAXUINT32 },
  [PS_SK_POLICY_WINDOW] = { "window", PS_SCHEMA_DURATION, PS_SCHEMA_POSITIVE,
                            .def = "\"1m\"" },
  [PS_SK_POLICY_BURST] = { "burst", PS_SCHEMA_INT, .min = 1, .max = G_MAXUINT32 },
  [PS_SK_POLICY_NAME] = { "name", PS_SCHEMA_STRING,
                          .expected = "1..23 characters of A-Z a-z 0-9 _ -" },
};

static const PsSchemaObject policy_object = OBJECT_OF (ps_schema_policy);

static const PsSchemaKey policy_element = {
  NULL, PS_SCHEMA_OBJECT, .object = &policy_object, .expected = "a policy object",
};

#define QUOTA_KEY(flags_, def_)                                              \
  { "quota", PS_SCHEMA_ONE_OR_MANY, flags_, .def = def_, .min = 1,           \
    .max = PS_QUOTA_MAX_POLICIES, .element = &policy_element,               \
    .expected = "a policy object or an array of 1..8 policy objects" }

const PsSchemaKey ps_schema_override[PS_SK_OVERRIDE_N] = {
  [PS_SK_OVERRIDE_GROUP] = { "group", PS_SCHEMA_STRING },
  [PS_SK_OVERRIDE_CIDR] = { "cidr", PS_SCHEMA_CIDR },
  [PS_SK_OVERRIDE_QUOTA] = QUOTA_KEY (PS_SCHEMA_REQUIRED, NULL),
};

static const PsSchemaObject override_object = OBJECT_OF (ps_schema_override);

static const PsSchemaKey override_element = {
  NULL, PS_SCHEMA_OBJECT, .object = &override_object,
  .expected = "an object with \"group\" or \"cidr\", and \"quota\"",
};

static const PsSchemaKey proxy_element = { NULL, PS_SCHEMA_CIDR };

/* --- distributions -------------------------------------------------------- */

const PsSchemaKey ps_schema_dist[PS_SK_DIST_N] = {
  [PS_SK_DIST_DIST] = { "dist", PS_SCHEMA_STRING, PS_SCHEMA_REQUIRED },
  [PS_SK_DIST_VALUE] = { "value", PS_SCHEMA_DURATION, PS_SCHEMA_REQUIRED,
                         .variants = BIT (PS_DIST_CONSTANT) },
  [PS_SK_DIST_MIN] = { "min", PS_SCHEMA_DURATION, PS_SCHEMA_REQUIRED,
                       .variants = BIT (PS_DIST_UNIFORM) },
  [PS_SK_DIST_MAX] = { "max", PS_SCHEMA_DURATION, PS_SCHEMA_REQUIRED,
                       .variants = BIT (PS_DIST_UNIFORM) },
  [PS_SK_DIST_MEAN] = { "mean", PS_SCHEMA_DURATION,
                        PS_SCHEMA_REQUIRED | PS_SCHEMA_POSITIVE,
                        .variants = BIT (PS_DIST_EXPONENTIAL) | BIT (PS_DIST_LOGNORMAL) },
  [PS_SK_DIST_STDDEV] = { "stddev", PS_SCHEMA_DURATION, PS_SCHEMA_REQUIRED,
                          .variants = BIT (PS_DIST_LOGNORMAL) },
};

static const PsSchemaObject dist_object =
  VARIANT_OBJECT_OF (ps_schema_dist, PS_SK_DIST_DIST);

#define DIST_EXPECTED                                                        \
  "a duration, or an object with \"dist\": constant, uniform, exponential " \
  "or lognormal"

const PsSchemaKey ps_schema_server[PS_SK_SERVER_N] = {
  [PS_SK_SERVER_WORKERS] = { "workers", PS_SCHEMA_INT, .def = "10",
                             .min = 1, .max = 100000 },
  [PS_SK_SERVER_QUEUE] = { "queue", PS_SCHEMA_INT, .def = "0",
                           .min = 0, .max = 10000000 },
  [PS_SK_SERVER_SERVICE_TIME] = {
    "service_time", PS_SCHEMA_DIST,
    .def = "{\"dist\": \"exponential\", \"mean\": \"200ms\"}",
    .object = &dist_object, .expected = DIST_EXPECTED },
  [PS_SK_SERVER_QUOTA] = QUOTA_KEY (0, "{}"),
  [PS_SK_SERVER_OVERRIDES] = { "overrides", PS_SCHEMA_ARRAY, .def = "[]",
                               .min = 0, .max = G_MAXUINT32,
                               .element = &override_element,
                               .expected = "an array of override objects" },
  [PS_SK_SERVER_TRUSTED_PROXIES] = { "trusted_proxies", PS_SCHEMA_ARRAY, .def = "[]",
                                     .min = 0, .max = G_MAXUINT32,
                                     .element = &proxy_element,
                                     .expected = "an array of CIDR strings" },
};

static const PsSchemaObject server_object = OBJECT_OF (ps_schema_server);

/* --- clients -------------------------------------------------------------- */

/* profile: [[time, multiplier], ...]; the reader types each member with
 * the two keys below, the element key only serves --set paths. */
const PsSchemaKey ps_schema_profile_time = {
  NULL, PS_SCHEMA_DURATION,
  .expected = "a duration >= 0, such as \"90s\" or 90, no earlier than the "
              "point before",
};

const PsSchemaKey ps_schema_profile_multiplier = {
  NULL, PS_SCHEMA_NUMBER, .number_max = 1e6,
};

static const PsSchemaKey profile_member = { NULL, PS_SCHEMA_NUMBER };

static const PsSchemaKey profile_point = {
  NULL, PS_SCHEMA_ARRAY, .min = 2, .max = 2, .element = &profile_member,
  .expected = "a [time, multiplier] pair such as [\"2h\", 1.5]",
};

#define RATE_EXPECTED(bound) \
  "a number of requests per second " bound " and <= 1000000"

const PsSchemaKey ps_schema_arrival[PS_SK_ARRIVAL_N] = {
  [PS_SK_ARRIVAL_PROCESS] = { "process", PS_SCHEMA_STRING, PS_SCHEMA_REQUIRED },
  [PS_SK_ARRIVAL_RATE] = {
    "rate", PS_SCHEMA_NUMBER, PS_SCHEMA_REQUIRED | PS_SCHEMA_POSITIVE,
    .number_max = 1e6, .variants = BIT (PS_ARRIVAL_POISSON),
    .expected = RATE_EXPECTED ("> 0") },
  [PS_SK_ARRIVAL_INTERVAL] = { "interval", PS_SCHEMA_DURATION,
                               PS_SCHEMA_REQUIRED | PS_SCHEMA_POSITIVE,
                               .variants = BIT (PS_ARRIVAL_CONSTANT) },
  [PS_SK_ARRIVAL_JITTER] = { "jitter", PS_SCHEMA_DURATION, .def = "0",
                             .variants = BIT (PS_ARRIVAL_CONSTANT) },
  [PS_SK_ARRIVAL_PROFILE] = {
    "profile", PS_SCHEMA_ARRAY, .min = 1, .max = PS_SCENARIO_MAX_PROFILE,
    .element = &profile_point, .variants = BIT (PS_ARRIVAL_POISSON),
    .expected = "an array of [time, multiplier] points, the first at 0, "
                "times non-decreasing, multipliers >= 0 and not all 0" },
  [PS_SK_ARRIVAL_ON_RATE] = {
    "on_rate", PS_SCHEMA_NUMBER, PS_SCHEMA_REQUIRED | PS_SCHEMA_POSITIVE,
    .number_max = 1e6, .variants = BIT (PS_ARRIVAL_ONOFF),
    .expected = RATE_EXPECTED ("> 0") },
  [PS_SK_ARRIVAL_OFF_RATE] = {
    "off_rate", PS_SCHEMA_NUMBER, .def = "0", .number_max = 1e6,
    .variants = BIT (PS_ARRIVAL_ONOFF), .expected = RATE_EXPECTED (">= 0") },
  [PS_SK_ARRIVAL_ON_MEAN] = { "on_mean", PS_SCHEMA_DURATION,
                              PS_SCHEMA_REQUIRED | PS_SCHEMA_POSITIVE,
                              .variants = BIT (PS_ARRIVAL_ONOFF) },
  [PS_SK_ARRIVAL_OFF_MEAN] = { "off_mean", PS_SCHEMA_DURATION,
                               PS_SCHEMA_REQUIRED | PS_SCHEMA_POSITIVE,
                               .variants = BIT (PS_ARRIVAL_ONOFF) },
  [PS_SK_ARRIVAL_FILE] = {
    "file", PS_SCHEMA_STRING, PS_SCHEMA_REQUIRED,
    .variants = BIT (PS_ARRIVAL_TRACE) | BIT (PS_ARRIVAL_ACCESS_LOG),
    .expected = "a file name, relative to the scenario file's directory" },
  [PS_SK_ARRIVAL_FORMAT] = { "format", PS_SCHEMA_STRING, .def = "\"combined\"",
                             .variants = BIT (PS_ARRIVAL_ACCESS_LOG) },
  [PS_SK_ARRIVAL_SPEED] = {
    "speed", PS_SCHEMA_NUMBER, PS_SCHEMA_POSITIVE, .def = "1", .number_max = 1e6,
    .variants = BIT (PS_ARRIVAL_ACCESS_LOG),
    .expected = "a time compression factor > 0 and <= 1000000 (2: twice as fast)" },
  [PS_SK_ARRIVAL_STRICT] = { "strict", PS_SCHEMA_BOOL, .def = "false",
                             .variants = BIT (PS_ARRIVAL_ACCESS_LOG) },
};

static const PsSchemaObject arrival_object =
  VARIANT_OBJECT_OF (ps_schema_arrival, PS_SK_ARRIVAL_PROCESS);

const PsSchemaKey ps_schema_backoff[PS_SK_BACKOFF_N] = {
  [PS_SK_BACKOFF_BASE] = { "base", PS_SCHEMA_DURATION, PS_SCHEMA_POSITIVE,
                           .def = "\"500ms\"" },
  [PS_SK_BACKOFF_CAP] = { "cap", PS_SCHEMA_DURATION, .def = "\"30s\"",
                          .expected = "a duration >= base" },
  [PS_SK_BACKOFF_JITTER] = { "jitter", PS_SCHEMA_STRING, .def = "\"full\"" },
  [PS_SK_BACKOFF_HONOUR_RETRY_AFTER] = { "honour_retry_after", PS_SCHEMA_BOOL,
                                         .def = "false" },
};

/* No defaults here: which keys are given tells the token form from the
 * ratio form, and the loader fills in the defaults of the one chosen. */
const PsSchemaKey ps_schema_budget[PS_SK_BUDGET_N] = {
  [PS_SK_BUDGET_TOKENS] = { "tokens", PS_SCHEMA_INT, .min = 1, .max = 1000000000 },
  [PS_SK_BUDGET_RETRY_COST] = { "retry_cost", PS_SCHEMA_INT, .min = 1, .max = 65535 },
  [PS_SK_BUDGET_TIMEOUT_COST] = { "timeout_cost", PS_SCHEMA_INT, .min = 1, .max = 65535 },
  [PS_SK_BUDGET_SUCCESS_REFILL] = { "success_refill", PS_SCHEMA_INT, .min = 0,
                                    .max = 65535 },
  [PS_SK_BUDGET_RATIO] = { "ratio", PS_SCHEMA_NUMBER, .number_max = 1000,
                           .expected = "retries per first attempt, a number >= 0 "
                                       "and <= 1000" },
  [PS_SK_BUDGET_WINDOW] = { "window", PS_SCHEMA_DURATION, PS_SCHEMA_POSITIVE },
  [PS_SK_BUDGET_MIN_PER_S] = { "min_per_s", PS_SCHEMA_NUMBER, .number_max = 1e6 },
};

static const PsSchemaObject budget_object = OBJECT_OF (ps_schema_budget);

const PsSchemaKey ps_schema_retry[PS_SK_RETRY_N] = {
  [PS_SK_RETRY_MAX_ATTEMPTS] = { "max_attempts", PS_SCHEMA_INT, .def = "0",
                                 .min = 0, .max = 1000000,
                                 .expected = "attempts per request, an integer "
                                             "0..1000000 (0: no limit)" },
  [PS_SK_RETRY_ON_TIMEOUT] = { "on_timeout", PS_SCHEMA_STRING, .def = "\"retry\"" },
  [PS_SK_RETRY_BUDGET] = {
    "budget", PS_SCHEMA_OBJECT, .object = &budget_object,
    .expected = "an object with \"tokens\", \"retry_cost\", \"timeout_cost\", "
                "\"success_refill\", or with \"ratio\", \"window\", \"min_per_s\"" },
};

static const PsSchemaObject retry_object = OBJECT_OF (ps_schema_retry);

const PsSchemaKey ps_schema_throttle[PS_SK_THROTTLE_N] = {
  [PS_SK_THROTTLE_K] = { "k", PS_SCHEMA_NUMBER, PS_SCHEMA_POSITIVE, .def = "2",
                         .number_max = 1000 },
  [PS_SK_THROTTLE_WINDOW] = { "window", PS_SCHEMA_DURATION, PS_SCHEMA_POSITIVE,
                              .def = "\"2m\"" },
};

static const PsSchemaObject throttle_object = OBJECT_OF (ps_schema_throttle);

static const PsSchemaObject backoff_object = OBJECT_OF (ps_schema_backoff);

static const PsSchemaKey weight_element = { NULL, PS_SCHEMA_NUMBER };

static const PsSchemaKey address_element = {
  NULL, PS_SCHEMA_STRING, .expected = "an IPv4 address such as \"127.5.0.1\"",
};

const PsSchemaKey ps_schema_client[PS_SK_CLIENT_N] = {
  [PS_SK_CLIENT_GROUP] = { "group", PS_SCHEMA_STRING,
                           .expected = "1..64 characters of A-Z a-z 0-9 _ . -" },
  [PS_SK_CLIENT_COUNT] = { "count", PS_SCHEMA_INT, .def = "1",
                           .min = 1, .max = PS_SCENARIO_MAX_CLIENTS },
  [PS_SK_CLIENT_IP] = {
    "ip", PS_SCHEMA_ADDRESSES, .min = 1, .max = PS_SCENARIO_MAX_CLIENTS,
    .element = &address_element,
    .expected = "an IPv4 block such as \"10.1.0.0/16\", host bits zero, or an "
                "array of count IPv4 addresses" },
  [PS_SK_CLIENT_ARRIVAL] = {
    "arrival", PS_SCHEMA_OBJECT, .def = "{\"process\": \"poisson\", \"rate\": 1}",
    .object = &arrival_object,
    .expected = "an object with \"process\": poisson, constant, onoff, trace "
                "or access_log" },
  [PS_SK_CLIENT_PRIORITIES] = {
    "priorities", PS_SCHEMA_ARRAY, .def = "[1]", .min = 1, .max = 16,
    .element = &weight_element,
    .expected = "an array of 1..16 weights >= 0 with a positive sum" },
  [PS_SK_CLIENT_CONCURRENCY] = { "concurrency", PS_SCHEMA_INT, .def = "1",
                                 .min = 0, .max = G_MAXUINT32 },
  [PS_SK_CLIENT_ON_429] = { "on_429", PS_SCHEMA_STRING, .def = "\"wait_reset\"" },
  [PS_SK_CLIENT_ON_503] = { "on_503", PS_SCHEMA_STRING, .def = "\"backoff\"" },
  [PS_SK_CLIENT_QUEUE_LIMIT] = { "queue_limit", PS_SCHEMA_INT, .def = "0",
                                 .min = 0, .max = G_MAXUINT32 },
  [PS_SK_CLIENT_TIMEOUT] = { "timeout", PS_SCHEMA_DURATION, .def = "0" },
  [PS_SK_CLIENT_BACKOFF] = { "backoff", PS_SCHEMA_OBJECT, .def = "{}",
                             .object = &backoff_object,
                             .expected = "an object with \"base\" and \"cap\"" },
  [PS_SK_CLIENT_SHARED_IP] = { "shared_ip", PS_SCHEMA_BOOL, .def = "false" },
  [PS_SK_CLIENT_WORK] = { "work", PS_SCHEMA_DIST, .object = &dist_object,
                          .expected = DIST_EXPECTED },
  [PS_SK_CLIENT_INITIAL_BACKLOG] = { "initial_backlog", PS_SCHEMA_INT, .def = "0",
                                     .min = 0, .max = 1000000 },
  [PS_SK_CLIENT_REQUEST_TIMEOUT] = { "request_timeout", PS_SCHEMA_DURATION, .def = "0" },
  [PS_SK_CLIENT_RETRY] = { "retry", PS_SCHEMA_OBJECT, .object = &retry_object,
                           .expected = "an object with \"max_attempts\", "
                                       "\"on_timeout\" and \"budget\"" },
  [PS_SK_CLIENT_THROTTLE] = { "throttle", PS_SCHEMA_OBJECT, .object = &throttle_object,
                              .expected = "an object with \"k\" and \"window\"" },
  [PS_SK_CLIENT_WAIT_RESET_JITTER] = { "wait_reset_jitter", PS_SCHEMA_DURATION,
                                       .def = "0" },
};

static const PsSchemaObject client_object = OBJECT_OF (ps_schema_client);

static const PsSchemaKey client_element = {
  NULL, PS_SCHEMA_OBJECT, .object = &client_object,
  .expected = "a client group object",
};

/* --- output and the document ---------------------------------------------- */

const PsSchemaKey ps_schema_output[PS_SK_OUTPUT_N] = {
  [PS_SK_OUTPUT_BIN] = { "bin", PS_SCHEMA_DURATION, PS_SCHEMA_POSITIVE,
                         .def = "\"1s\"" },
  [PS_SK_OUTPUT_REQUESTS] = { "requests", PS_SCHEMA_BOOL, .def = "true" },
  [PS_SK_OUTPUT_ATTEMPTS] = { "attempts", PS_SCHEMA_BOOL, .def = "false" },
  [PS_SK_OUTPUT_COMPRESS] = { "compress", PS_SCHEMA_STRING, .def = "\"none\"",
                              .expected = "\"none\" or \"gzip\"" },
};

static const PsSchemaObject output_object = OBJECT_OF (ps_schema_output);

const PsSchemaKey ps_schema_network[PS_SK_NETWORK_N] = {
  [PS_SK_NETWORK_LATENCY] = { "latency", PS_SCHEMA_DIST, .def = "\"500us\"",
                              .object = &dist_object, .expected = DIST_EXPECTED },
};

static const PsSchemaObject network_object = OBJECT_OF (ps_schema_network);

const PsSchemaKey ps_schema_fault[PS_SK_FAULT_N] = {
  [PS_SK_FAULT_AT] = { "at", PS_SCHEMA_DURATION, PS_SCHEMA_REQUIRED },
  [PS_SK_FAULT_FOR] = { "for", PS_SCHEMA_DURATION, PS_SCHEMA_REQUIRED | PS_SCHEMA_POSITIVE },
  [PS_SK_FAULT_WORKERS] = { "workers", PS_SCHEMA_INT, .min = 0, .max = 100000 },
  [PS_SK_FAULT_SERVICE_FACTOR] = { "service_factor", PS_SCHEMA_NUMBER, PS_SCHEMA_POSITIVE,
                                   .number_max = 1000 },
  [PS_SK_FAULT_OUTAGE] = { "outage", PS_SCHEMA_BOOL },
  [PS_SK_FAULT_LATENCY] = { "latency", PS_SCHEMA_DURATION, PS_SCHEMA_POSITIVE },
};

static const PsSchemaObject fault_object = OBJECT_OF (ps_schema_fault);

static const PsSchemaKey fault_element = {
  NULL, PS_SCHEMA_OBJECT, .object = &fault_object,
  .expected = "an object with \"at\", \"for\" and one of \"workers\", "
              "\"service_factor\", \"outage\", \"latency\"",
};

const PsSchemaKey ps_schema_top[PS_SK_TOP_N] = {
  [PS_SK_TOP_NAME] = {
    "name", PS_SCHEMA_STRING,
    .expected = "a name usable as a directory: no \"/\", at most 128 bytes" },
  [PS_SK_TOP_DESCRIPTION] = { "description", PS_SCHEMA_STRING, .def = "\"\"" },
  [PS_SK_TOP_SEED] = { "seed", PS_SCHEMA_INT, .def = "1",
                       .min = 0, .max = G_MAXINT64 },
  [PS_SK_TOP_DURATION] = { "duration", PS_SCHEMA_DURATION, PS_SCHEMA_POSITIVE,
                           .def = "\"10m\"" },
  [PS_SK_TOP_SERVER] = { "server", PS_SCHEMA_OBJECT, .def = "{}",
                         .object = &server_object },
  [PS_SK_TOP_CLIENTS] = {
    "clients", PS_SCHEMA_ARRAY, PS_SCHEMA_REQUIRED,
    .min = 1, .max = PS_SCENARIO_MAX_CLIENTS, .element = &client_element,
    .expected = "an array of at least one client group object" },
  [PS_SK_TOP_OUTPUT] = { "output", PS_SCHEMA_OBJECT, .def = "{}",
                         .object = &output_object },
  [PS_SK_TOP_NETWORK] = { "network", PS_SCHEMA_OBJECT, .def = "{}",
                          .object = &network_object,
                          .expected = "an object with \"latency\"" },
  [PS_SK_TOP_FAULTS] = { "faults", PS_SCHEMA_ARRAY, .def = "[]", .min = 0, .max = 1000,
                         .element = &fault_element,
                         .expected = "an array of fault objects" },
};

static const PsSchemaObject top_object = OBJECT_OF (ps_schema_top);

const PsSchemaKey ps_schema_document = {
  NULL, PS_SCHEMA_OBJECT, .object = &top_object,
  .expected = "a JSON object with at least \"clients\"",
};

/* --- queries -------------------------------------------------------------- */

static gboolean
in_variants (const PsSchemaKey *key, guint variants)
{
  return variants == 0 || key->variants == 0 || (key->variants & variants) != 0;
}

/* Returns: (transfer none) (nullable): @object's key called @name. */
const PsSchemaKey *
ps_schema_object_lookup (const PsSchemaObject *object, const char *name)
{
  for (guint i = 0; i < object->n_keys; i++)
    if (strcmp (object->keys[i].name, name) == 0)
      return &object->keys[i];
  return NULL;
}

/**
 * ps_schema_object_suggest:
 * @variants: selector bits keys must belong to; 0 = any key
 *
 * Returns: (transfer none) (nullable): the key of @object a misspelt
 * @name most likely meant.
 */
const char *
ps_schema_object_suggest (const PsSchemaObject *object, const char *name,
                          guint variants)
{
  g_autofree const char **names = g_new0 (const char *, object->n_keys + 1);
  guint n = 0;

  for (guint i = 0; i < object->n_keys; i++)
    if (in_variants (&object->keys[i], variants))
      names[n++] = object->keys[i].name;
  return ps_suggest_nearest (name, names);
}

/* Returns: (transfer full): "dist, mean": @object's keys for @variants. */
char *
ps_schema_object_list (const PsSchemaObject *object, guint variants)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < object->n_keys; i++)
    if (in_variants (&object->keys[i], variants))
      g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "",
                              object->keys[i].name);
  return g_string_free (list, FALSE);
}

/* "an integer", "a duration": what a type is called in messages. */
const char *
ps_schema_type_noun (PsSchemaType type)
{
  switch (type)
    {
    case PS_SCHEMA_STRING: return "a string";
    case PS_SCHEMA_INT: return "an integer";
    case PS_SCHEMA_NUMBER: return "a number";
    case PS_SCHEMA_BOOL: return "true or false";
    case PS_SCHEMA_DURATION: return "a duration";
    case PS_SCHEMA_CIDR: return "a CIDR block";
    case PS_SCHEMA_OBJECT: return "an object";
    case PS_SCHEMA_ARRAY: return "an array";
    case PS_SCHEMA_ONE_OR_MANY: return "an object or an array";
    case PS_SCHEMA_DIST: return "a distribution";
    case PS_SCHEMA_ADDRESSES: return "a CIDR block or an array of addresses";
    default: g_assert_not_reached ();
    }
}

/* Returns: (transfer full): the "(expected ...)" text for @key, such as
 * "an integer 1..100000" or "a duration > 0". */
char *
ps_schema_key_expected (const PsSchemaKey *key)
{
  const char *bound = key->flags & PS_SCHEMA_POSITIVE ? "> 0" : ">= 0";

  if (key->expected != NULL)
    return g_strdup (key->expected);
  switch (key->type)
    {
    case PS_SCHEMA_INT:
      return g_strdup_printf ("an integer %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT,
                              key->min, key->max);
    case PS_SCHEMA_NUMBER:
      if (key->number_max > 0)
        return g_strdup_printf ("a number %s and <= %g", bound, key->number_max);
      return g_strdup_printf ("a number %s", bound);
    case PS_SCHEMA_DURATION:
      return g_strdup_printf ("a duration %s, such as \"250ms\" or 30", bound);
    case PS_SCHEMA_CIDR:
      return g_strdup ("an IPv4 block such as \"10.1.0.0/16\", host bits zero");
    case PS_SCHEMA_STRING:
    case PS_SCHEMA_BOOL:
    case PS_SCHEMA_OBJECT:
    case PS_SCHEMA_ARRAY:
    case PS_SCHEMA_ONE_OR_MANY:
    case PS_SCHEMA_DIST:
    case PS_SCHEMA_ADDRESSES:
      return g_strdup (ps_schema_type_noun (key->type));
    default:
      g_assert_not_reached ();
    }
}
