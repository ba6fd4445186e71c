/* test-scenario.c: the scenario loader accepts what docs/design.md allows,
 * fills every default, and rejects everything else with the right code,
 * line:column and key path.
 *
 * Invalid documents are a table (json-glib's tests/invalid.c style), one
 * GTest case per row: each row asserts the error code and the exact start
 * of the message, "FILE:LINE:COL: key.path: ".  Positions are json-glib's:
 * just past the end of the offending value (on the comma when one follows,
 * on the last character of the value otherwise), 1-based bytes.
 */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "ps-duration.h"
#include "ps-scenario.h"
#include "ps-scenario-explain.h"
#include "ps-suggest.h"

#define FILE_NAME "t.json"

typedef struct
{
  const char      *name;
  const char      *json;
  const char      *sets[4];      /* NULL-terminated; all NULL: no --set */
  PsScenarioError  code;
  const char      *prefix;       /* exact start of error->message */
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  /* --- unknown keys ----------------------------------------------------- */
  { "unknown-key/suggestion", "{\"clients\":[{\"concurency\":1}]}", { NULL },
    PS_SCENARIO_ERROR_UNKNOWN_KEY,
    "t.json:1:27: clients[0].concurency: unknown key (did you mean \"concurrency\"?)" },
  { "unknown-key/no-suggestion", "{\"clients\":[{}],\n \"zzzzzzzz\": 1}", { NULL },
    PS_SCENARIO_ERROR_UNKNOWN_KEY,
    "t.json:2:14: zzzzzzzz: unknown key (expected one of: name, description, seed, "
    "duration, server, clients, output, network, faults)" },
  { "unknown-key/transposed", "{\"clients\":[{}],\"server\":{\"wokrers\":3}}", { NULL },
    PS_SCENARIO_ERROR_UNKNOWN_KEY,
    "t.json:1:37: server.wokrers: unknown key (did you mean \"workers\"?)" },
  { "unknown-key/not-in-this-dist",
    "{\"clients\":[{}],\"server\":{\"service_time\":\n"
    "  {\"dist\":\"exponential\",\"mean\":\"1s\",\"min\":\"1s\"}}}", { NULL },
    PS_SCENARIO_ERROR_UNKNOWN_KEY,
    "t.json:2:46: server.service_time.min: unknown key for dist \"exponential\" "
    "(expected one of: dist, mean)" },
  { "unknown-key/not-in-this-process",
    "{\"clients\":[{\"arrival\":{\"process\":\"poisson\",\"rate\":1,\"jitter\":0}}]}",
    { NULL }, PS_SCENARIO_ERROR_UNKNOWN_KEY,
    "t.json:1:63: clients[0].arrival.jitter: unknown key for process \"poisson\"" },
  { "unknown-key/policy", "{\"clients\":[{}],\"server\":{\"quota\":{\"limt\":5}}}",
    { NULL }, PS_SCENARIO_ERROR_UNKNOWN_KEY,
    "t.json:1:43: server.quota.limt: unknown key (did you mean \"limit\"?)" },

  /* --- types ------------------------------------------------------------- */
  { "type/int-from-string", "{\"clients\":[{}],\"server\":{\"workers\":\"ten\"}}",
    { NULL }, PS_SCENARIO_ERROR_TYPE,
    "t.json:1:41: server.workers: got a string (expected an integer 1..100000)" },
  { "type/int-from-double", "{\"clients\":[{}],\"server\":{\"workers\":2.5}}",
    { NULL }, PS_SCENARIO_ERROR_TYPE,
    "t.json:1:39: server.workers: 2.5 is not an integer (expected an integer 1..100000)" },
  { "type/bool", "{\"clients\":[{}],\"output\":{\"requests\":\"yes\"}}", { NULL },
    PS_SCENARIO_ERROR_TYPE,
    "t.json:1:42: output.requests: got a string (expected true or false)" },
  { "type/object", "{\"clients\":[{}],\"server\":[]}", { NULL },
    PS_SCENARIO_ERROR_TYPE, "t.json:1:27: server: got an array (expected an object)" },
  { "type/array", "{\"clients\":{}}", { NULL }, PS_SCENARIO_ERROR_TYPE,
    "t.json:1:13: clients: got an object (expected an array of at least one client "
    "group object)" },
  { "type/string", "{\"clients\":[{}],\"description\":5}", { NULL },
    PS_SCENARIO_ERROR_TYPE,
    "t.json:1:31: description: got an integer (expected a string)" },
  { "type/null", "{\"clients\":[{\"ip\":null}]}", { NULL }, PS_SCENARIO_ERROR_TYPE,
    "t.json:1:22: clients[0].ip: got null (expected an IPv4 block" },
  { "type/number-from-string",
    "{\"clients\":[{\"arrival\":{\"process\":\"poisson\",\"rate\":\"fast\"}}]}",
    { NULL }, PS_SCENARIO_ERROR_TYPE,
    "t.json:1:57: clients[0].arrival.rate: got a string (expected a number of requests "
    "per second > 0 and <= 1000000)" },
  { "type/duration-from-bool",
    "{\"clients\":[{}],\"server\":{\"quota\":{\"window\":true}}}", { NULL },
    PS_SCENARIO_ERROR_TYPE,
    "t.json:1:48: server.quota.window: got a boolean (expected a duration > 0" },
  { "type/quota-string", "{\"clients\":[{}],\"server\":{\"quota\":\"60/m\"}}", { NULL },
    PS_SCENARIO_ERROR_TYPE,
    "t.json:1:40: server.quota: got a string (expected a policy object or an array" },
  { "type/dist-array", "{\"clients\":[{}],\"server\":{\"service_time\":[1]}}",
    { NULL }, PS_SCENARIO_ERROR_TYPE,
    "t.json:1:44: server.service_time: got an array (expected a duration, or an object" },
  { "type/dist-bool", "{\"clients\":[{}],\"server\":{\"service_time\":true}}",
    { NULL }, PS_SCENARIO_ERROR_TYPE,
    "t.json:1:45: server.service_time: got a boolean (expected a duration, or an object "
    "with \"dist\": constant, uniform, exponential or lognormal)" },
  { "type/root-array", "[1, 2]", { NULL }, PS_SCENARIO_ERROR_TYPE,
    "t.json:1:6: (top level): got an array (expected a JSON object" },
  { "type/root-scalar", "  42  ", { NULL }, PS_SCENARIO_ERROR_TYPE,
    "t.json:1:4: (top level): got an integer" },

  /* --- ranges ------------------------------------------------------------ */
  { "range/workers-zero",
    "{\n  \"clients\": [{}],\n  \"server\": {\n    \"queue\": 1,\n"
    "    \"workers\": 0\n  }\n}", { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:5:16: server.workers: must be at least 1 (expected an integer 1..100000)" },
  { "range/workers-max", "{\"clients\":[{}],\"server\":{\"workers\":100001}}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:42: server.workers: must be at most 100000 (expected an integer 1..100000)" },
  { "range/queue-negative", "{\"clients\":[{}],\"server\":{\"queue\":-1}}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:36: server.queue: must be at least 0 (expected an integer 0..10000000)" },
  { "range/count-zero", "{\"clients\":[{},{\"count\":0}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:25: clients[1].count: must be at least 1 (expected an integer 1..16000000)" },
  { "range/limit-times-window",
    "{\"clients\":[{}],\"server\":{\"quota\":{\"limit\":4000000000,\"window\":\"720h\"}}}",
    { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:70: server.quota: 4000000000 per window of 2592000 s is beyond exact arithmetic" },
  { "range/limit-over-32-bits",
    "{\"clients\":[{}],\"server\":{\"quota\":{\"limit\":4294967296}}}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:53: server.quota.limit: must be at most 4294967295" },
  { "range/seed-overflow", "{\"clients\":[{}],\"seed\":9223372036854775808}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:42: seed: integer does not fit in 64 bits (expected an integer "
    "0..9223372036854775807)" },
  { "range/seed-negative", "{\"clients\":[{}],\"seed\":-1}", { NULL },
    PS_SCENARIO_ERROR_RANGE, "t.json:1:25: seed: must be at least 0" },
  { "range/rate-zero",
    "{\"clients\":[{\"arrival\":{\"process\":\"poisson\",\"rate\":0}}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:52: clients[0].arrival.rate: must be greater than 0" },
  { "range/rate-too-high",
    "{\"clients\":[{\"arrival\":{\"process\":\"poisson\",\"rate\":2e6}}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:54: clients[0].arrival.rate: must be at most 1e+06" },
  { "range/rate-inf",
    "{\"clients\":[{\"arrival\":{\"process\":\"poisson\",\"rate\":1e400}}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:56: clients[0].arrival.rate: number overflows a double" },
  { "range/int-inf", "{\"clients\":[{}],\"server\":{\"workers\":1e400}}", { NULL },
    PS_SCENARIO_ERROR_RANGE, "t.json:1:41: server.workers: number overflows a double" },
  { "range/duration-inf", "{\"clients\":[{}],\"duration\":-1e400}", { NULL },
    PS_SCENARIO_ERROR_RANGE, "t.json:1:33: duration: number overflows a double" },
  { "range/priorities-empty", "{\"clients\":[{\"priorities\":[]}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:28: clients[0].priorities: has 0 elements, needs at least 1" },
  { "range/priorities-17",
    "{\"clients\":[{\"priorities\":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:61: clients[0].priorities: has 17 elements, at most 16 are allowed" },
  { "range/priority-negative", "{\"clients\":[{\"priorities\":[1,-0.5]}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:33: clients[0].priorities[1]: must be at least 0" },
  { "range/priorities-zero-sum", "{\"clients\":[{\"priorities\":[0,0.0]}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:33: clients[0].priorities: weights sum to 0" },
  { "range/quota-empty-list", "{\"clients\":[{}],\"server\":{\"quota\":[]}}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:36: server.quota: has 0 elements, needs at least 1" },
  { "range/quota-nine-policies",
    "{\"clients\":[{}],\"server\":{\"quota\":[{\"name\":\"a\"},{\"name\":\"b\"},"
    "{\"name\":\"c\"},{\"name\":\"d\"},{\"name\":\"e\"},{\"name\":\"f\"},{\"name\":\"g\"},"
    "{\"name\":\"h\"},{\"name\":\"i\"}]}}", { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:152: server.quota: has 9 elements, at most 8 are allowed" },
  { "range/clients-empty", "{\"clients\":[]}", { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:13: clients: has 0 elements, needs at least 1" },
  { "range/total-clients",
    "{\"clients\":[{\"count\":16000000,\"ip\":\"10.0.0.0/8\"},{\"count\":1}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:59: clients[1].count: brings the number of clients to 16000001 "
    "(expected at most 16000000 clients over all groups)" },
  { "range/too-many-bins",
    "{\"clients\":[{}],\"duration\":\"10h\",\"output\":{\"bin\":\"1ms\"}}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:54: output.bin: 1ms makes 36000000 bins over a duration of 10h" },
  { "range/uniform-max-below-min",
    "{\"clients\":[{}],\"server\":{\"service_time\":"
    "{\"dist\":\"uniform\",\"min\":\"2s\",\"max\":\"1s\"}}}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:80: server.service_time.max: must be at least min (2s)" },
  { "range/exponential-mean-zero",
    "{\"clients\":[{}],\"server\":{\"service_time\":{\"dist\":\"exponential\",\"mean\":0}}}",
    { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:71: server.service_time.mean: must be greater than 0" },
  { "range/jitter-over-interval",
    "{\"clients\":[{\"arrival\":{\"process\":\"constant\",\"interval\":\"1s\","
    "\"jitter\":\"2s\"}}]}", { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:74: clients[0].arrival.jitter: must be at most interval (1s)" },
  { "range/backoff-cap-below-base",
    "{\"clients\":[{\"backoff\":{\"base\":\"2s\",\"cap\":\"1s\"}}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:46: clients[0].backoff.cap: 1s is less than base 2s" },
  { "range/backoff-default-cap-below-base",
    "{\"clients\":[{\"backoff\":{\"base\":\"1m\"}}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:36: clients[0].backoff.cap: the default 30s is less than base 1m" },
  { "range/cidr-too-small",
    "{\"clients\":[{\"count\":5,\n  \"ip\":\"10.0.0.0/30\"}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:2:20: clients[0].ip: 10.0.0.0/30 has 2 usable addresses but count needs 5" },
  { "range/loopback-exhausted",
    "{\"clients\":[{\"ip\":\"127.0.0.0/8\"},{\"count\":2}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:44: clients[1]: 127.0.0.0/8 has no room for 2 more clients from its end "
    "(expected an explicit \"ip\" block for this group)" },

  /* --- durations --------------------------------------------------------- */
  { "duration/words",
    "{\"clients\":[{}],\n  \"duration\": \"10 minutes\"}", { NULL },
    PS_SCENARIO_ERROR_VALUE,
    "t.json:2:26: duration: \"10 minutes\" is not a duration (expected a number of "
    "seconds or a string such as \"250ms\", \"30s\", \"1m\", \"2h\")" },
  { "duration/no-unit", "{\"clients\":[{}],\"duration\":\"30\"}", { NULL },
    PS_SCENARIO_ERROR_VALUE, "t.json:1:31: duration: \"30\" is not a duration" },
  { "duration/unknown-unit", "{\"clients\":[{}],\"duration\":\"3d\"}", { NULL },
    PS_SCENARIO_ERROR_VALUE, "t.json:1:31: duration: \"3d\" is not a duration" },
  { "duration/negative-string", "{\"clients\":[{}],\"duration\":\"-5s\"}", { NULL },
    PS_SCENARIO_ERROR_RANGE, "t.json:1:32: duration: must not be negative" },
  { "duration/negative-number", "{\"clients\":[{\"timeout\":-1}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE, "t.json:1:25: clients[0].timeout: must not be negative" },
  { "duration/zero", "{\"clients\":[{}],\"duration\":0}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:28: duration: must be greater than 0 (expected a duration > 0)" },
  { "duration/over-ten-years", "{\"clients\":[{}],\"duration\":\"87601h\"}", { NULL },
    PS_SCENARIO_ERROR_RANGE, "t.json:1:35: duration: is longer than 10 years" },
  { "duration/finer-than-us", "{\"clients\":[{}],\"duration\":\"0.0000001s\"}",
    { NULL }, PS_SCENARIO_ERROR_VALUE,
    "t.json:1:39: duration: is not a whole number of microseconds" },
  { "duration/number-finer-than-us", "{\"clients\":[{}],\"duration\":1.0000004}",
    { NULL }, PS_SCENARIO_ERROR_VALUE,
    "t.json:1:36: duration: is not a whole number of microseconds" },

  /* --- malformed strings and enums --------------------------------------- */
  { "cidr/bad-octet", "{\"clients\":[{\"ip\":\"10.0.0.300/8\"}]}", { NULL },
    PS_SCENARIO_ERROR_VALUE,
    "t.json:1:32: clients[0].ip: \"10.0.0.300/8\" is not a CIDR block" },
  { "cidr/host-bits", "{\"clients\":[{}],\"server\":{\"trusted_proxies\":[\"10.0.0.1/8\"]}}",
    { NULL }, PS_SCENARIO_ERROR_VALUE,
    "t.json:1:57: server.trusted_proxies[0]: \"10.0.0.1/8\" is not a CIDR block" },
  { "enum/algorithm", "{\"clients\":[{}],\"server\":{\"quota\":{\"algorithm\":\"fixed\"}}}",
    { NULL }, PS_SCENARIO_ERROR_VALUE,
    "t.json:1:54: server.quota.algorithm: unknown algorithm \"fixed\" (expected one of: "
    "fixed_window" },
  { "enum/dist", "{\"clients\":[{}],\"server\":{\"service_time\":{\"dist\":\"gamma\"}}}",
    { NULL }, PS_SCENARIO_ERROR_VALUE,
    "t.json:1:56: server.service_time.dist: unknown distribution \"gamma\" (expected one "
    "of: constant, uniform, exponential, lognormal)" },
  { "enum/process", "{\"clients\":[{\"arrival\":{\"process\":\"onof\"}}]}", { NULL },
    PS_SCENARIO_ERROR_VALUE,
    "t.json:1:40: clients[0].arrival.process: unknown arrival process \"onof\" "
    "(did you mean \"onoff\"? expected one of: poisson, constant, onoff, trace, access_log)" },
  { "enum/near-on-429", "{\"clients\":[{\"on_429\":\"wait_rest\"}]}", { NULL },
    PS_SCENARIO_ERROR_VALUE,
    "t.json:1:33: clients[0].on_429: unknown on_429 strategy \"wait_rest\" (did you mean "
    "\"wait_reset\"? expected one of: wait_reset, backoff, drop, self_throttle)" },
  { "enum/near-algorithm", "{\"clients\":[{}],\"server\":{\"quota\":{\"algorithm\":\"token-bucket\"}}}",
    { NULL }, PS_SCENARIO_ERROR_VALUE,
    "t.json:1:61: server.quota.algorithm: unknown algorithm \"token-bucket\" (did you mean "
    "\"token_bucket\"?" },
  { "enum/on-429", "{\"clients\":[{\"on_429\":\"retry\"}]}", { NULL },
    PS_SCENARIO_ERROR_VALUE,
    "t.json:1:29: clients[0].on_429: unknown on_429 strategy \"retry\" (expected one of: "
    "wait_reset, backoff, drop, self_throttle)" },
  { "name/group-characters", "{\"clients\":[{\"group\":\"a b\"}]}", { NULL },
    PS_SCENARIO_ERROR_VALUE,
    "t.json:1:26: clients[0].group: \"a b\" has a character that is not allowed" },
  { "name/policy-too-long",
    "{\"clients\":[{}],\"server\":{\"quota\":{\"name\":\"abcdefghijklmnopqrstuvwx\"}}}",
    { NULL }, PS_SCENARIO_ERROR_VALUE,
    "t.json:1:68: server.quota.name: \"abcdefghijklmnopqrstuvwx\" has 24 characters "
    "(expected 1..23 characters of A-Z a-z 0-9 _ -)" },
  { "name/scenario-slash", "{\"name\":\"../etc\",\"clients\":[{}]}", { NULL },
    PS_SCENARIO_ERROR_VALUE,
    "t.json:1:17: name: \"../etc\" cannot be a directory name" },

  /* --- conflicts --------------------------------------------------------- */
  { "conflict/burst-with-fixed-window",
    "{\"clients\":[{}],\"server\":{\"quota\":{\"limit\":10,\"burst\":5}}}", { NULL },
    PS_SCENARIO_ERROR_CONFLICT,
    "t.json:1:55: server.quota.burst: burst does not apply to algorithm \"fixed_window\" "
    "(expected \"burst\" only with token_bucket or gcra)" },
  { "conflict/default-policy-names",
    "{\"clients\":[{}],\"server\":{\"quota\":[{\"limit\":10},\n  {\"limit\":20}]}}",
    { NULL }, PS_SCENARIO_ERROR_CONFLICT,
    "t.json:2:14: server.quota[1]: is also named \"minute\" after its window, like "
    "server.quota[0] (expected unique policy names: give one a \"name\")" },
  { "conflict/explicit-policy-names",
    "{\"clients\":[{}],\"server\":{\"quota\":[{\"name\":\"a\",\"window\":\"1s\"},"
    "{\"name\":\"a\"}]}}", { NULL }, PS_SCENARIO_ERROR_CONFLICT,
    "t.json:1:73: server.quota[1].name: \"a\" is already the name of server.quota[0]" },
  { "conflict/override-neither",
    "{\"clients\":[{}],\"server\":{\"overrides\":[{\"quota\":{}}]}}", { NULL },
    PS_SCENARIO_ERROR_CONFLICT,
    "t.json:1:51: server.overrides[0]: has neither \"group\" nor \"cidr\" (expected "
    "exactly one of \"group\" or \"cidr\")" },
  { "conflict/override-both",
    "{\"clients\":[{}],\"server\":{\"overrides\":[{\"group\":\"a\",\"cidr\":\"10.0.0.0/8\","
    "\"quota\":{}}]}}", { NULL }, PS_SCENARIO_ERROR_CONFLICT,
    "t.json:1:72: server.overrides[0]: has both \"group\" and \"cidr\"" },
  { "conflict/overlapping-cidrs",
    "{\"clients\":[{\"ip\":\"10.0.0.0/16\"},\n  {\"ip\":\"10.0.1.0/24\"}]}", { NULL },
    PS_SCENARIO_ERROR_CONFLICT,
    "t.json:2:21: clients[1].ip: 10.0.1.0/24 overlaps clients[0].ip 10.0.0.0/16" },
  { "conflict/group-names", "{\"clients\":[{\"group\":\"a\"},{\"group\":\"a\"}]}",
    { NULL }, PS_SCENARIO_ERROR_CONFLICT,
    "t.json:1:38: clients[1].group: \"a\" is already the name of clients[0]" },
  { "conflict/default-group-name", "{\"clients\":[{},{\"group\":\"group0\"}]}", { NULL },
    PS_SCENARIO_ERROR_CONFLICT,
    "t.json:1:32: clients[1].group: \"group0\" is already the name of clients[0]" },

  /* --- missing keys: the position is the enclosing object's -------------- */
  { "missing/clients", "{\"seed\": 3}", { NULL }, PS_SCENARIO_ERROR_MISSING_KEY,
    "t.json:1:11: clients: required key is missing (expected an array of at least one "
    "client group object)" },
  { "missing/dist", "{\"clients\":[{}],\"server\":{\"service_time\":{\"mean\":\"1s\"}}}",
    { NULL }, PS_SCENARIO_ERROR_MISSING_KEY,
    "t.json:1:54: server.service_time.dist: required key is missing (expected one of: "
    "constant, uniform, exponential, lognormal)" },
  { "missing/rate", "{\"clients\":[{\"arrival\":{\"process\":\"poisson\"}}]}", { NULL },
    PS_SCENARIO_ERROR_MISSING_KEY,
    "t.json:1:44: clients[0].arrival.rate: required key is missing" },
  { "missing/process", "{\"clients\":[{\"arrival\":{\"rate\":2}}]}", { NULL },
    PS_SCENARIO_ERROR_MISSING_KEY,
    "t.json:1:33: clients[0].arrival.process: required key is missing (expected one of: "
    "poisson, constant, onoff, trace, access_log)" },
  { "missing/override-quota",
    "{\"clients\":[{}],\"server\":{\"overrides\":[{\"group\":\"a\"}]}}", { NULL },
    PS_SCENARIO_ERROR_MISSING_KEY,
    "t.json:1:52: server.overrides[0].quota: required key is missing" },

  /* --- document level ---------------------------------------------------- */
  { "document/duplicate-key", "{\"clients\":[{}],\n \"seed\":1,\n \"seed\":2}", { NULL },
    PS_SCENARIO_ERROR_DUPLICATE_KEY,
    "t.json:3:9: seed: key appears twice in one object (expected each key once)" },
  { "document/duplicate-nested-key", "{\"clients\":[{\"count\":1,\"count\":2}]}",
    { NULL }, PS_SCENARIO_ERROR_DUPLICATE_KEY,
    "t.json:1:32: clients[0].count: key appears twice in one object" },
  { "document/empty", "", { NULL }, PS_SCENARIO_ERROR_EMPTY,
    "t.json: (top level): the document is empty" },
  { "document/whitespace", "  \n\t \n", { NULL }, PS_SCENARIO_ERROR_EMPTY,
    "t.json: (top level): the document is empty" },
  { "document/comment-only", "/* nothing */", { NULL }, PS_SCENARIO_ERROR_SYNTAX,
    "t.json:1:1: syntax error: a comment (JSON has none)" },
  { "strict/trailing-comment", "{\"clients\":[{}]} /* end */\n", { NULL },
    PS_SCENARIO_ERROR_SYNTAX, "t.json:1:18: syntax error: text after the end of the document" },
  { "strict/octal-escape", "{\"description\":\"caf\\351\",\"clients\":[{}]}", { NULL },
    PS_SCENARIO_ERROR_SYNTAX, "t.json:1:20: syntax error: an escape JSON does not have" },
  { "strict/nul-escape", "{\"description\":\"a\\u0000b\",\"clients\":[{}]}", { NULL },
    PS_SCENARIO_ERROR_SYNTAX, "t.json:1:18: syntax error: a NUL character (\\u0000) in a string" },
  { "strict/hex-number", "{\"seed\":0x10,\"clients\":[{}]}", { NULL },
    PS_SCENARIO_ERROR_SYNTAX, "t.json:1:9: syntax error: a number with a leading 0" },
  { "strict/single-quotes", "{'clients':[{}]}", { NULL },
    PS_SCENARIO_ERROR_SYNTAX, "t.json:1:2: syntax error: a single-quoted key" },
  { "document/missing-comma", "{\"clients\": [{}]\n \"seed\": 1}", { NULL },
    PS_SCENARIO_ERROR_SYNTAX, "t.json:2:2: syntax error: expected ',' or '}' h" },
  { "document/trailing-comma", "{\"clients\": [{}],}", { NULL },
    PS_SCENARIO_ERROR_SYNTAX, "t.json:1:18: syntax error: " },
  { "document/trailing-document", "{\"clients\": [{}]}\n{}", { NULL },
    PS_SCENARIO_ERROR_SYNTAX,
    "t.json:2:1: syntax error: text after the end of the document" },
  { "document/trailing-word", "{\"clients\": [{}]} x", { NULL },
    PS_SCENARIO_ERROR_SYNTAX, "t.json:1:19: syntax error: text after the end of" },
  { "document/byte-order-mark", "\xEF\xBB\xBF{\"clients\":[{}],\"seed\":-1} x", { NULL },
    PS_SCENARIO_ERROR_SYNTAX,
    "t.json:1:28: syntax error: text after the end of the document" },
  { "document/byte-order-mark-position", "\xEF\xBB\xBF{\"clients\":[{}],\"seed\":-1}",
    { NULL }, PS_SCENARIO_ERROR_RANGE, "t.json:1:25: seed: must be at least 0" },
  { "document/not-utf8", "{\"clients\": [{\"group\": \"caf\xe9\"}]}", { NULL },
    PS_SCENARIO_ERROR_SYNTAX,
    "t.json:1:28: syntax error: bytes that are not UTF-8 (expected UTF-8 encoded JSON)" },

  /* --- --set ------------------------------------------------------------- */
  { "set/no-equals", "{\"clients\":[{}]}", { "server.workers", NULL },
    PS_SCENARIO_ERROR_SET,
    "t.json: --set server.workers: server.workers: has no \"=\" (expected key.path=VALUE)" },
  { "set/unknown-key", "{\"clients\":[{}]}", { "server.wrkers=3", NULL },
    PS_SCENARIO_ERROR_UNKNOWN_KEY,
    "t.json: --set server.wrkers=3: server.wrkers: unknown key (did you mean \"workers\"?)" },
  { "set/unknown-key-first", "{\"clients\":[{}]}",
    { "server.workers=0", "clients.0.concurency=2", NULL }, PS_SCENARIO_ERROR_UNKNOWN_KEY,
    "t.json: --set clients.0.concurency=2: clients[0].concurency: unknown key (did you "
    "mean \"concurrency\"?)" },
  { "set/unknown-key-before-syntax", "{", { "sed=3", NULL },
    PS_SCENARIO_ERROR_UNKNOWN_KEY,
    "t.json: --set sed=3: sed: unknown key (did you mean \"seed\"?)" },
  { "set/index-out-of-range", "{\"clients\":[{}]}", { "clients[1].count=2", NULL },
    PS_SCENARIO_ERROR_SET,
    "t.json: --set clients[1].count=2: clients[1]: index out of range: clients has 1 "
    "element (expected an index below 1)" },
  { "set/index-into-missing-array", "{\"clients\":[{}]}",
    { "server.overrides[0].group=a", NULL }, PS_SCENARIO_ERROR_SET,
    "t.json: --set server.overrides[0].group=a: server.overrides[0]: index out of range" },
  { "set/bad-path", "{\"clients\":[{}]}", { "clients[x].count=1", NULL },
    PS_SCENARIO_ERROR_SET,
    "t.json: --set clients[x].count=1: clients[x].count: is not a key path" },
  { "set/through-scalar", "{\"clients\":[{}]}", { "duration.unit=1", NULL },
    PS_SCENARIO_ERROR_SET,
    "t.json: --set duration.unit=1: duration: is a duration, which has no keys" },
  { "set/array-without-index", "{\"clients\":[{}]}", { "clients.count=1", NULL },
    PS_SCENARIO_ERROR_SET,
    "t.json: --set clients.count=1: clients: is an array (expected an index, such as "
    "clients[0])" },
  { "set/value-range", "{\"clients\":[{}],\"server\":{\"workers\":4}}",
    { "server.workers=0", NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json: --set server.workers=0: server.workers: must be at least 1 (expected an "
    "integer 1..100000)" },
  { "set/value-type", "{\"clients\":[{}]}", { "server.workers=ten", NULL },
    PS_SCENARIO_ERROR_TYPE,
    "t.json: --set server.workers=ten: server.workers: got a string" },
  { "set/object-value-unknown-key", "{\"clients\":[{}]}",
    { "server={\"wrkers\":1}", NULL }, PS_SCENARIO_ERROR_UNKNOWN_KEY,
    "t.json: --set server={\"wrkers\":1}: server.wrkers: unknown key (did you mean "
    "\"workers\"?)" },
  { "set/object-value-duplicate", "{\"clients\":[{}]}",
    { "output={\"bin\":1,\"bin\":2}", NULL }, PS_SCENARIO_ERROR_DUPLICATE_KEY,
    "t.json: --set output={\"bin\":1,\"bin\":2}: output.bin: key appears twice" },
  { "set/created-object-keeps-default", "{\"clients\":[{}]}",
    { "clients[0].arrival.process=constant", NULL }, PS_SCENARIO_ERROR_UNKNOWN_KEY,
    "t.json: --set clients[0].arrival.process=constant: clients[0].arrival.rate: "
    "unknown key for process \"constant\"" },
  { "set/list-given-a-key", "{\"clients\":[{}],\"server\":{\"quota\":[{}]}}",
    { "server.quota.limit=5", NULL }, PS_SCENARIO_ERROR_SET,
    "t.json: --set server.quota.limit=5: server.quota: is an array here (expected an "
    "index, such as server.quota[0].limit)" },
  { "set/through-file-scalar", "{\"clients\":[{}],\"server\":{\"service_time\":\"20ms\"}}",
    { "server.service_time.mean=1s", NULL }, PS_SCENARIO_ERROR_SET,
    "t.json: --set server.service_time.mean=1s: server.service_time: is a string here, "
    "not an object (expected --set server.service_time=VALUE to replace it whole)" },
  { "set/index-on-object", "{\"clients\":[{}],\"server\":{\"quota\":{}}}",
    { "server.quota[0].limit=5", NULL }, PS_SCENARIO_ERROR_SET,
    "t.json: --set server.quota[0].limit=5: server.quota: is an object here (expected a "
    "key instead of [0])" },

  /* --- arrival processes, addresses, network ------------------------------ */
  { "arrival/profile-on-constant",
    "{\"clients\":[{\"arrival\":{\"process\":\"constant\",\"interval\":\"1s\","
    "\"profile\":[[0,1]]}}]}", { NULL }, PS_SCENARIO_ERROR_UNKNOWN_KEY,
    "t.json:1:78: clients[0].arrival.profile: unknown key for process \"constant\" "
    "(expected one of: process, interval, jitter)" },
  { "arrival/onoff-missing-mean",
    "{\"clients\":[{\"arrival\":{\"process\":\"onoff\",\"on_rate\":2,\"off_mean\":\"1s\"}}]}",
    { NULL }, PS_SCENARIO_ERROR_MISSING_KEY,
    "t.json:1:70: clients[0].arrival.on_mean: required key is missing (expected a "
    "duration > 0" },
  { "arrival/onoff-rate-zero",
    "{\"clients\":[{\"arrival\":{\"process\":\"onoff\",\"on_rate\":0,\"on_mean\":1,"
    "\"off_mean\":1}}]}", { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:54: clients[0].arrival.on_rate: must be greater than 0 (expected a number "
    "of requests per second > 0 and <= 1000000)" },
  { "arrival/onoff-off-rate-negative",
    "{\"clients\":[{\"arrival\":{\"process\":\"onoff\",\"on_rate\":1,\"off_rate\":-1,"
    "\"on_mean\":1,\"off_mean\":1}}]}", { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:68: clients[0].arrival.off_rate: must be at least 0 (expected a number of "
    "requests per second >= 0 and <= 1000000)" },
  { "arrival/profile-first-not-zero",
    "{\"clients\":[{\"arrival\":{\"process\":\"poisson\",\"rate\":1,"
    "\"profile\":[[\"1s\",1]]}}]}", { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:70: clients[0].arrival.profile[0][0]: the first point is at 1s (expected "
    "the first point at 0)" },
  { "arrival/profile-decreasing",
    "{\"clients\":[{\"arrival\":{\"process\":\"poisson\",\"rate\":1,"
    "\"profile\":[[0,1],[\"2m\",1],[\"1m\",2]]}}]}", { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:85: clients[0].arrival.profile[2][0]: 1m comes before the previous "
    "point's 2m (expected times that do not decrease)" },
  { "arrival/profile-all-zero",
    "{\"clients\":[{\"arrival\":{\"process\":\"poisson\",\"rate\":1,"
    "\"profile\":[[0,0],[\"1m\",0.0]]}}]}", { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:81: clients[0].arrival.profile: every multiplier is 0 (expected at least "
    "one multiplier > 0)" },
  { "arrival/profile-triple",
    "{\"clients\":[{\"arrival\":{\"process\":\"poisson\",\"rate\":1,"
    "\"profile\":[[0,1,2]]}}]}", { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:71: clients[0].arrival.profile[0]: has 3 elements, at most 2 are allowed "
    "(expected a [time, multiplier] pair such as [\"2h\", 1.5])" },
  { "arrival/profile-negative",
    "{\"clients\":[{\"arrival\":{\"process\":\"poisson\",\"rate\":1,"
    "\"profile\":[[0,-1]]}}]}", { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:69: clients[0].arrival.profile[0][1]: must be at least 0" },
  { "arrival/profile-time-type",
    "{\"clients\":[{\"arrival\":{\"process\":\"poisson\",\"rate\":1,"
    "\"profile\":[[true,1]]}}]}", { NULL }, PS_SCENARIO_ERROR_TYPE,
    "t.json:1:70: clients[0].arrival.profile[0][0]: got a boolean (expected a duration "
    ">= 0" },
  { "arrival/profile-not-pairs",
    "{\"clients\":[{\"arrival\":{\"process\":\"poisson\",\"rate\":1,"
    "\"profile\":{\"0\":1}}}]}", { NULL }, PS_SCENARIO_ERROR_TYPE,
    "t.json:1:70: clients[0].arrival.profile: got an object (expected an array of "
    "[time, multiplier] points, the first at 0" },
  { "arrival/trace-missing-file",
    "{\"clients\":[{\"arrival\":{\"process\":\"trace\"}}]}", { NULL },
    PS_SCENARIO_ERROR_MISSING_KEY,
    "t.json:1:42: clients[0].arrival.file: required key is missing (expected a file "
    "name, relative to the scenario file's directory)" },
  { "arrival/trace-empty-file-name",
    "{\"clients\":[{\"arrival\":{\"process\":\"trace\",\"file\":\"\"}}]}", { NULL },
    PS_SCENARIO_ERROR_VALUE,
    "t.json:1:51: clients[0].arrival.file: is empty (expected a file name" },
  { "arrival/trace-speed",
    "{\"clients\":[{\"arrival\":{\"process\":\"trace\",\"file\":\"x.csv\",\"speed\":2}}]}",
    { NULL }, PS_SCENARIO_ERROR_UNKNOWN_KEY,
    "t.json:1:66: clients[0].arrival.speed: unknown key for process \"trace\" (expected "
    "one of: process, file)" },
  { "arrival/log-format",
    "{\"clients\":[{\"arrival\":{\"process\":\"access_log\",\"file\":\"x.log\","
    "\"format\":\"json\"}}]}", { NULL }, PS_SCENARIO_ERROR_VALUE,
    "t.json:1:77: clients[0].arrival.format: unknown log format \"json\" (expected one "
    "of: combined, common)" },
  { "arrival/log-speed-zero",
    "{\"clients\":[{\"arrival\":{\"process\":\"access_log\",\"file\":\"x.log\","
    "\"speed\":0}}]}", { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:71: clients[0].arrival.speed: must be greater than 0" },
  { "ip/list-length",
    "{\"clients\":[{\"count\":2,\"ip\":[\"127.5.0.1\"]}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:41: clients[0].ip: has 1 address but the group has 2 clients (expected "
    "exactly one address per client)" },
  { "ip/list-bad-address",
    "{\"clients\":[{\"ip\":[\"127.5.0.300\"]}]}", { NULL }, PS_SCENARIO_ERROR_VALUE,
    "t.json:1:32: clients[0].ip[0]: \"127.5.0.300\" is not an IPv4 address (expected an "
    "IPv4 address such as \"127.5.0.1\")" },
  { "ip/list-duplicate",
    "{\"clients\":[{\"count\":2,\"ip\":[\"127.5.0.1\",\"127.5.0.1\"]}]}", { NULL },
    PS_SCENARIO_ERROR_CONFLICT,
    "t.json:1:52: clients[0].ip[1]: 127.5.0.1 is also clients[0].ip[0] (expected one "
    "address per client, or \"shared_ip\": true)" },
  { "ip/list-in-block",
    "{\"clients\":[{\"ip\":\"127.5.0.0/24\"},\n  {\"ip\":[\"127.5.0.7\"]}]}", { NULL },
    PS_SCENARIO_ERROR_CONFLICT,
    "t.json:2:21: clients[1].ip: 127.5.0.7 is also an address of clients[0] (expected "
    "groups with distinct addresses, or \"shared_ip\": true in both groups)" },
  { "ip/shared-on-one-side",
    "{\"clients\":[{\"ip\":\"10.0.0.0/24\",\"shared_ip\":true},{\"ip\":\"10.0.0.0/24\"}]}",
    { NULL }, PS_SCENARIO_ERROR_CONFLICT,
    "t.json:1:69: clients[1].ip: 10.0.0.0/24 overlaps clients[0].ip 10.0.0.0/24 "
    "(expected address blocks that do not overlap, or \"shared_ip\": true in both "
    "groups)" },
  { "ip/number", "{\"clients\":[{\"ip\":5}]}", { NULL }, PS_SCENARIO_ERROR_TYPE,
    "t.json:1:19: clients[0].ip: got an integer (expected an IPv4 block such as "
    "\"10.1.0.0/16\", host bits zero, or an array of count IPv4 addresses)" },
  { "ip/shared-not-bool", "{\"clients\":[{\"shared_ip\":\"yes\"}]}", { NULL },
    PS_SCENARIO_ERROR_TYPE,
    "t.json:1:30: clients[0].shared_ip: got a string (expected true or false)" },
  { "backlog/negative", "{\"clients\":[{\"initial_backlog\":-1}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:33: clients[0].initial_backlog: must be at least 0 (expected an integer "
    "0..1000000)" },
  { "backlog/total",
    "{\"clients\":[{\"count\":200,\"initial_backlog\":1000000}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json:1:50: clients[0].initial_backlog: brings the requests held at t=0 to "
    "200000000 (expected at most 100000000 over all groups)" },
  { "work/dist", "{\"clients\":[{\"work\":{\"dist\":\"gamma\"}}]}", { NULL },
    PS_SCENARIO_ERROR_VALUE,
    "t.json:1:35: clients[0].work.dist: unknown distribution \"gamma\"" },
  { "work/type", "{\"clients\":[{\"work\":[1]}]}", { NULL }, PS_SCENARIO_ERROR_TYPE,
    "t.json:1:23: clients[0].work: got an array (expected a duration, or an object with "
    "\"dist\": constant, uniform, exponential or lognormal)" },
  { "network/unknown-key", "{\"clients\":[{}],\"network\":{\"latncy\":1}}", { NULL },
    PS_SCENARIO_ERROR_UNKNOWN_KEY,
    "t.json:1:37: network.latncy: unknown key (did you mean \"latency\"?)" },
  { "network/latency-type", "{\"clients\":[{}],\"network\":{\"latency\":true}}",
    { NULL }, PS_SCENARIO_ERROR_TYPE,
    "t.json:1:41: network.latency: got a boolean (expected a duration, or an object" },
  { "network/latency-negative",
    "{\"clients\":[{}],\"network\":{\"latency\":{\"dist\":\"constant\",\"value\":-1}}}",
    { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:66: network.latency.value: must not be negative" },
  { "set/into-ip", "{\"clients\":[{}]}", { "clients[0].ip.x=1", NULL },
    PS_SCENARIO_ERROR_SET,
    "t.json: --set clients[0].ip.x=1: clients[0].ip: is a CIDR block or an array of "
    "addresses, which has no keys (expected an index, such as clients[0].ip[0], or "
    "the path to end here)" },
  { "set/profile-value", "{\"clients\":[{\"arrival\":{\"process\":\"poisson\",\"rate\":1,"
    "\"profile\":[[0,1],[60,2]]}}]}", { "clients[0].arrival.profile[1][0]=30s",
                                        "clients[0].arrival.profile[0][1]=-2", NULL },
    PS_SCENARIO_ERROR_RANGE,
    "t.json: --set clients[0].arrival.profile[0][1]=-2: "
    "clients[0].arrival.profile[0][1]: must be at least 0" },
  /* --- retries, throttling, faults --------------------------------------- */
  { "retry/on-timeout-unknown", "{\"clients\":[{\"retry\":{\"on_timeout\":\"retyr\"}}]}",
    { NULL }, PS_SCENARIO_ERROR_VALUE,
    "t.json:1:42: clients[0].retry.on_timeout: unknown on_timeout strategy \"retyr\" "
    "(did you mean \"retry\"? expected one of: retry, backoff, drop)" },
  { "retry/jitter-unknown", "{\"clients\":[{\"backoff\":{\"jitter\":\"decorelated\"}}]}",
    { NULL }, PS_SCENARIO_ERROR_VALUE,
    "t.json:1:46: clients[0].backoff.jitter: unknown backoff jitter \"decorelated\" "
    "(did you mean \"decorrelated\"? expected one of: full, equal, decorrelated)" },
  { "retry/zero-cost", "{\"clients\":[{\"retry\":{\"budget\":{\"retry_cost\":0}}}]}",
    { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:46: clients[0].retry.budget.retry_cost: must be at least 1" },
  { "retry/negative-cost", "{\"clients\":[{\"retry\":{\"budget\":{\"timeout_cost\":-5}}}]}",
    { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:49: clients[0].retry.budget.timeout_cost: must be at least 1" },
  { "retry/cost-over-capacity", "{\"clients\":[{\"retry\":{\"budget\":{\"tokens\":4}}}]}",
    { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:43: clients[0].retry.budget.retry_cost: the default 5 is more than the "
    "bucket's 4 tokens" },
  { "retry/both-budget-forms", "{\"clients\":[{\"retry\":{\"budget\":{\"ratio\":0.2,\"tokens\":5}}}]}",
    { NULL }, PS_SCENARIO_ERROR_CONFLICT,
    "t.json:1:54: clients[0].retry.budget.tokens: belongs to a token budget, but this "
    "one has \"ratio\"" },
  { "retry/ratio-allows-nothing",
    "{\"clients\":[{\"retry\":{\"budget\":{\"ratio\":0,\"min_per_s\":0}}}]}",
    { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:42: clients[0].retry.budget.ratio: 0 with min_per_s 0 over a window of "
    "10 s allows no retry at all" },
  { "retry/max-attempts-negative", "{\"clients\":[{\"retry\":{\"max_attempts\":-1}}]}",
    { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:39: clients[0].retry.max_attempts: must be at least 0" },
  { "throttle/k-zero", "{\"clients\":[{\"throttle\":{\"k\":0}}]}", { NULL },
    PS_SCENARIO_ERROR_RANGE, "t.json:1:30: clients[0].throttle.k: must be greater than 0" },
  { "faults/start-outside-run",
    "{\"duration\":\"5m\",\"clients\":[{}],\"faults\":[{\"at\":\"6m\",\"for\":\"1m\",\"workers\":2}]}",
    { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:53: faults[0].at: 6m is not within the run's duration of 5m" },
  { "faults/end-outside-run",
    "{\"duration\":\"5m\",\"clients\":[{}],\"faults\":[{\"at\":\"4m\",\"for\":\"2m\",\"workers\":2}]}",
    { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:64: faults[0].for: ends the fault at 6m, after the run's end at 5m" },
  { "faults/overlap-same-kind",
    "{\"duration\":\"5m\",\"clients\":[{}],\"faults\":[{\"at\":\"1m\",\"for\":\"2m\",\"workers\":2},"
    "{\"at\":\"2m\",\"for\":\"1m\",\"workers\":4}]}", { NULL }, PS_SCENARIO_ERROR_CONFLICT,
    "t.json:1:111: faults[1]: overlaps faults[0], another workers fault" },
  { "faults/no-change", "{\"clients\":[{}],\"faults\":[{\"at\":\"1m\",\"for\":\"1m\"}]}",
    { NULL }, PS_SCENARIO_ERROR_MISSING_KEY,
    "t.json:1:48: faults[0]: says nothing goes wrong" },
  { "faults/two-changes",
    "{\"clients\":[{}],\"faults\":[{\"at\":\"1m\",\"for\":\"1m\",\"outage\":true,\"workers\":1}]}",
    { NULL }, PS_SCENARIO_ERROR_CONFLICT,
    "t.json:1:62: faults[0].outage: is a second change in one fault" },
  { "faults/factor-zero",
    "{\"clients\":[{}],\"faults\":[{\"at\":\"1m\",\"for\":\"1m\",\"service_factor\":0}]}",
    { NULL }, PS_SCENARIO_ERROR_RANGE,
    "t.json:1:66: faults[0].service_factor: must be greater than 0" },
};

static void
test_invalid (gconstpointer data)
{
  const InvalidCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) scenario =
    ps_scenario_load_data (c->json, -1, FILE_NAME,
                           c->sets[0] != NULL ? c->sets : NULL, &error);
  g_autofree char *head = NULL;

  g_assert_null (scenario);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_error (error, PS_SCENARIO_ERROR, (int) c->code);
  head = g_strndup (error->message, strlen (c->prefix));
  g_assert_cmpstr (head, ==, c->prefix);
}

/* --- valid documents ------------------------------------------------------ */

static PsScenario *
load_ok (const char *json, const char *const *sets)
{
  g_autoptr(GError) error = NULL;
  PsScenario *scenario = ps_scenario_load_data (json, -1, FILE_NAME, sets, &error);

  g_assert_no_error (error);
  g_assert_nonnull (scenario);
  return scenario;
}

static guint32
addr (const char *text)
{
  guint32 a = 0;

  g_assert_true (ps_ipv4_parse (text, &a));
  return a;
}

static guint32
client_addr (const PsScenario *scenario, guint group, guint64 k)
{
  const PsClientGroup *g = &scenario->groups[group];

  return ps_cidr_host (&g->ip, g->ip_offset + k);
}

static void
test_defaults (void)
{
  g_autoptr(PsScenario) s = load_ok ("{\"clients\":[{}]}", NULL);
  const PsClientGroup *g;

  g_test_summary ("A minimal document gets every default of docs/design.md");
  g_assert_cmpstr (s->path, ==, FILE_NAME);
  g_assert_cmpstr (s->name, ==, "t");
  g_assert_cmpstr (s->description, ==, "");
  g_assert_cmpuint (s->seed, ==, 1);
  g_assert_cmpint (s->duration, ==, PS_TIME_FROM_SEC (600));
  g_assert_cmpuint (s->workers, ==, 10);
  g_assert_cmpuint (s->queue, ==, 0);
  g_assert_cmpint (s->service_time.kind, ==, PS_DIST_EXPONENTIAL);
  g_assert_cmpfloat (s->service_time.a, ==, 200000.0);
  g_assert_cmpuint (s->n_quota, ==, 1);
  g_assert_cmpint (s->quota[0].algorithm, ==, PS_QUOTA_FIXED_WINDOW);
  g_assert_cmpuint (s->quota[0].limit, ==, 60);
  g_assert_cmpint (s->quota[0].window, ==, PS_TIME_FROM_SEC (60));
  g_assert_cmpuint (s->quota[0].burst, ==, 0);
  g_assert_cmpstr (s->quota[0].name, ==, "minute");
  g_assert_cmpuint (s->n_overrides, ==, 0);
  g_assert_cmpuint (s->n_trusted_proxies, ==, 0);
  g_assert_cmpint (s->bin, ==, PS_USEC_PER_SEC);
  g_assert_true (s->write_requests);
  g_assert_false (s->write_attempts);
  g_assert_nonnull (s->warnings);
  g_assert_null (s->warnings[0]);

  g_assert_cmpuint (s->n_groups, ==, 1);
  g = &s->groups[0];
  g_assert_cmpstr (g->name, ==, "group0");
  g_assert_cmpuint (g->count, ==, 1);
  g_assert_cmpuint (client_addr (s, 0, 0), ==, addr ("127.1.0.1"));
  g_assert_cmpint (g->arrival.process, ==, PS_ARRIVAL_POISSON);
  g_assert_cmpfloat (g->arrival.rate, ==, 1.0);
  g_assert_cmpuint (g->n_priorities, ==, 1);
  g_assert_cmpfloat (g->priorities[0], ==, 1.0);
  g_assert_cmpuint (g->policy.concurrency, ==, 1);
  g_assert_cmpint (g->policy.on_429, ==, PS_ON_429_WAIT_RESET);
  g_assert_cmpint (g->policy.on_503, ==, PS_ON_503_BACKOFF);
  g_assert_cmpuint (g->policy.queue_limit, ==, 0);
  g_assert_cmpint (g->policy.timeout, ==, 0);
  g_assert_cmpint (g->policy.backoff_base, ==, PS_TIME_FROM_MS (500));
  g_assert_cmpint (g->policy.backoff_cap, ==, PS_TIME_FROM_SEC (30));
  g_assert_cmpuint (ps_scenario_n_clients (s), ==, 1);
}

static void
test_everything_given (void)
{
  g_autoptr(PsScenario) s = load_ok (
    "{\"name\":\"full\",\"description\":\"d\",\"seed\":9223372036854775807,"
    "\"duration\":0.5,\"server\":{\"workers\":100000,\"queue\":10000000,"
    "\"service_time\":{\"dist\":\"lognormal\",\"mean\":\"20ms\",\"stddev\":0.01},"
    "\"trusted_proxies\":[\"10.0.0.1\",\"192.168.0.0/16\"]},"
    "\"clients\":[{\"group\":\"a.b-c_d\",\"count\":3,\"ip\":\"10.1.0.0/29\","
    "\"arrival\":{\"process\":\"constant\",\"interval\":\"1s\",\"jitter\":\"1s\"},"
    "\"priorities\":[0,2.5,1],\"concurrency\":0,\"on_429\":\"drop\",\"on_503\":\"drop\","
    "\"queue_limit\":7,\"timeout\":\"1.5s\",\"backoff\":{\"base\":\"1s\",\"cap\":\"1s\"}}],"
    "\"output\":{\"bin\":\"100ms\",\"requests\":false,\"attempts\":true}}", NULL);
  const PsClientGroup *g = &s->groups[0];

  g_assert_cmpstr (s->name, ==, "full");
  g_assert_cmpuint (s->seed, ==, G_MAXINT64);
  g_assert_cmpint (s->duration, ==, 500000);
  g_assert_cmpuint (s->workers, ==, 100000);
  g_assert_cmpuint (s->queue, ==, 10000000);
  g_assert_cmpint (s->service_time.kind, ==, PS_DIST_LOGNORMAL);
  g_assert_cmpfloat (s->service_time.a, ==, 20000.0);
  g_assert_cmpfloat (s->service_time.b, ==, 10000.0);
  g_assert_cmpuint (s->n_trusted_proxies, ==, 2);
  g_assert_cmpuint (s->trusted_proxies[0].prefix, ==, 32);
  g_assert_cmpuint (s->trusted_proxies[1].base, ==, addr ("192.168.0.0"));
  g_assert_cmpstr (g->name, ==, "a.b-c_d");
  g_assert_cmpuint (client_addr (s, 0, 0), ==, addr ("10.1.0.1"));
  g_assert_cmpuint (client_addr (s, 0, 1), ==, addr ("10.1.0.2"));
  g_assert_cmpint (g->arrival.process, ==, PS_ARRIVAL_CONSTANT);
  g_assert_cmpint (g->arrival.interval, ==, PS_USEC_PER_SEC);
  g_assert_cmpint (g->arrival.jitter, ==, PS_USEC_PER_SEC);
  g_assert_cmpuint (g->n_priorities, ==, 3);
  g_assert_cmpfloat (g->priorities[1], ==, 2.5);
  g_assert_cmpuint (g->policy.concurrency, ==, 0);
  g_assert_cmpint (g->policy.on_429, ==, PS_ON_429_DROP);
  g_assert_cmpint (g->policy.on_503, ==, PS_ON_503_DROP);
  g_assert_cmpuint (g->policy.queue_limit, ==, 7);
  g_assert_cmpint (g->policy.timeout, ==, 1500000);
  g_assert_cmpint (s->bin, ==, 100000);
  g_assert_false (s->write_requests);
  g_assert_true (s->write_attempts);
}

static void
test_dist_forms (void)
{
  g_autoptr(PsScenario) constant = load_ok (
    "{\"clients\":[{}],\"server\":{\"service_time\":\"50ms\"}}", NULL);
  g_autoptr(PsScenario) number = load_ok (
    "{\"clients\":[{}],\"server\":{\"service_time\":0.25}}", NULL);
  g_autoptr(PsScenario) uniform = load_ok (
    "{\"clients\":[{}],\"server\":{\"service_time\":"
    "{\"dist\":\"uniform\",\"min\":\"1ms\",\"max\":\"1ms\"}}}", NULL);
  g_autoptr(PsScenario) value = load_ok (
    "{\"clients\":[{}],\"server\":{\"service_time\":{\"dist\":\"constant\",\"value\":0}}}",
    NULL);

  g_assert_cmpint (constant->service_time.kind, ==, PS_DIST_CONSTANT);
  g_assert_cmpfloat (constant->service_time.a, ==, 50000.0);
  g_assert_cmpfloat (number->service_time.a, ==, 250000.0);
  g_assert_cmpint (uniform->service_time.kind, ==, PS_DIST_UNIFORM);
  g_assert_cmpfloat (uniform->service_time.a, ==, 1000.0);
  g_assert_cmpfloat (uniform->service_time.b, ==, 1000.0);
  g_assert_cmpint (value->service_time.kind, ==, PS_DIST_CONSTANT);
  g_assert_cmpfloat (value->service_time.a, ==, 0.0);
}

/* --- durations ------------------------------------------------------------ */

typedef struct
{
  const char       *text;
  PsDurationStatus  status;
  PsTime            usec;
} DurationCase;

static void
test_duration_strings (void)
{
  static const DurationCase cases[] = {
    { "0.1s", PS_DURATION_OK, 100000 },
    { "250ms", PS_DURATION_OK, 250000 },
    { "30s", PS_DURATION_OK, 30000000 },
    { "1m", PS_DURATION_OK, 60000000 },
    { "1.5h", PS_DURATION_OK, G_GINT64_CONSTANT (5400000000) },
    { "2h", PS_DURATION_OK, G_GINT64_CONSTANT (7200000000) },
    { "7us", PS_DURATION_OK, 7 },
    { "0s", PS_DURATION_OK, 0 },
    { "0.000001s", PS_DURATION_OK, 1 },
    { "0.001ms", PS_DURATION_OK, 1 },
    { "1.25000000000000s", PS_DURATION_OK, 1250000 },
    { "0.0000001h", PS_DURATION_OK, 360 },
    { "0.33333333333m", PS_DURATION_TOO_FINE, 0 },
    { "87600h", PS_DURATION_OK, PS_DURATION_MAX },
    { "87600.000001h", PS_DURATION_TOO_LONG, 0 },
    { "99999999999999999999999s", PS_DURATION_TOO_LONG, 0 },
    { "0.5us", PS_DURATION_TOO_FINE, 0 },
    { "-1s", PS_DURATION_NEGATIVE, 0 },
    { "1", PS_DURATION_MALFORMED, 0 },
    { "s", PS_DURATION_MALFORMED, 0 },
    { ".5s", PS_DURATION_MALFORMED, 0 },
    { "5.s", PS_DURATION_MALFORMED, 0 },
    { "1 s", PS_DURATION_MALFORMED, 0 },
    { "1e3s", PS_DURATION_MALFORMED, 0 },
    { "1S", PS_DURATION_MALFORMED, 0 },
    { "1d", PS_DURATION_MALFORMED, 0 },
    { "", PS_DURATION_MALFORMED, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PsTime t = -1;

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (ps_duration_parse (cases[i].text, &t), ==, cases[i].status);
      if (cases[i].status == PS_DURATION_OK)
        g_assert_cmpint (t, ==, cases[i].usec);
    }
}

static void
test_duration_numbers (void)
{
  static const struct { double s; PsDurationStatus status; PsTime usec; } cases[] = {
    { 0.1, PS_DURATION_OK, 100000 },
    { 0.3, PS_DURATION_OK, 300000 },
    { 2.675, PS_DURATION_OK, 2675000 },
    { 0.000001, PS_DURATION_OK, 1 },
    { 315359999.999999, PS_DURATION_OK, G_GINT64_CONSTANT (315359999999999) },
    { 0.0000005, PS_DURATION_TOO_FINE, 0 },
    { -0.5, PS_DURATION_NEGATIVE, 0 },
    { 4e8, PS_DURATION_TOO_LONG, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PsTime t = -1;

      g_assert_cmpint (ps_duration_from_seconds (cases[i].s, &t), ==, cases[i].status);
      if (cases[i].status == PS_DURATION_OK)
        g_assert_cmpint (t, ==, cases[i].usec);
    }
}

static void
test_duration_in_scenario (void)
{
  g_autoptr(PsScenario) s = load_ok (
    "{\"duration\":\"0.1s\",\"clients\":[{\"timeout\":0.3,"
    "\"arrival\":{\"process\":\"constant\",\"interval\":30}}],"
    "\"output\":{\"bin\":\"1us\"}}", NULL);

  g_assert_cmpint (s->duration, ==, 100000);
  g_assert_cmpint (s->groups[0].policy.timeout, ==, 300000);
  g_assert_cmpint (s->groups[0].arrival.interval, ==, PS_TIME_FROM_SEC (30));
  g_assert_cmpint (s->bin, ==, 1);
}

static void
test_duration_format (void)
{
  char buf[PS_DURATION_STR_LEN];

  g_assert_cmpstr (ps_duration_format (PS_TIME_FROM_SEC (3600), buf), ==, "1h");
  g_assert_cmpstr (ps_duration_format (PS_TIME_FROM_SEC (90), buf), ==, "90s");
  g_assert_cmpstr (ps_duration_format (PS_TIME_FROM_MS (250), buf), ==, "250ms");
  g_assert_cmpstr (ps_duration_format (1500, buf), ==, "1500us");
  g_assert_cmpstr (ps_duration_format (0, buf), ==, "0h");
}

/* --- quota and overrides -------------------------------------------------- */

static const char overrides_json[] =
  "{\"clients\":["
  "  {\"group\":\"partners\",\"ip\":\"10.0.0.0/24\"},"
  "  {\"group\":\"lab\",\"ip\":\"10.1.0.0/24\"},"
  "  {\"group\":\"public\"}],"
  " \"server\":{"
  "  \"quota\":[{\"limit\":10,\"window\":\"1s\"},"
  "            {\"limit\":600,\"window\":\"1h\",\"name\":\"hourly\"}],"
  "  \"overrides\":["
  "    {\"group\":\"partners\",\"quota\":{\"limit\":100}},"
  "    {\"cidr\":\"10.0.0.0/8\",\"quota\":[{\"limit\":5},{\"limit\":50},"
  "                                       {\"limit\":7,\"window\":\"24h\"}]}]}}";

static void
test_quota_list (void)
{
  g_autoptr(PsScenario) s = load_ok (overrides_json, NULL);

  g_assert_cmpuint (s->n_quota, ==, 2);
  g_assert_cmpstr (s->quota[0].name, ==, "second");
  g_assert_cmpuint (s->quota[0].limit, ==, 10);
  g_assert_cmpstr (s->quota[1].name, ==, "hourly");
  g_assert_cmpint (s->quota[1].window, ==, PS_TIME_FROM_SEC (3600));
}

static void
test_override_inheritance (void)
{
  g_autoptr(PsScenario) s = load_ok (overrides_json, NULL);
  const PsQuotaOverride *by_group = &s->overrides[0];
  const PsQuotaOverride *by_cidr = &s->overrides[1];

  g_test_summary ("Override policies inherit unspecified keys from the default "
                  "policy at the same index, then from the built-in defaults");
  g_assert_cmpuint (s->n_overrides, ==, 2);
  g_assert_cmpstr (by_group->group, ==, "partners");
  g_assert_false (by_group->has_cidr);
  g_assert_cmpuint (by_group->n_policies, ==, 1);
  g_assert_cmpuint (by_group->policies[0].limit, ==, 100);
  g_assert_cmpint (by_group->policies[0].window, ==, PS_USEC_PER_SEC);
  g_assert_cmpstr (by_group->policies[0].name, ==, "second");

  g_assert_null (by_cidr->group);
  g_assert_true (by_cidr->has_cidr);
  g_assert_cmpuint (by_cidr->cidr.base, ==, addr ("10.0.0.0"));
  g_assert_cmpuint (by_cidr->n_policies, ==, 3);
  g_assert_cmpint (by_cidr->policies[0].window, ==, PS_USEC_PER_SEC);
  g_assert_cmpuint (by_cidr->policies[1].limit, ==, 50);
  g_assert_cmpint (by_cidr->policies[1].window, ==, PS_TIME_FROM_SEC (3600));
  g_assert_cmpstr (by_cidr->policies[1].name, ==, "hourly");
  g_assert_cmpint (by_cidr->policies[2].algorithm, ==, PS_QUOTA_FIXED_WINDOW);
  g_assert_cmpuint (by_cidr->policies[2].limit, ==, 7);
  g_assert_cmpint (by_cidr->policies[2].window, ==, PS_TIME_FROM_SEC (86400));
  g_assert_cmpstr (by_cidr->policies[2].name, ==, "day");
}

static void
test_override_window_renames (void)
{
  g_autoptr(PsScenario) s = load_ok (
    "{\"clients\":[{}],\"server\":{\"overrides\":[{\"group\":\"group0\","
    "\"quota\":{\"window\":\"1h\"}}]}}", NULL);

  g_assert_cmpstr (s->quota[0].name, ==, "minute");
  g_assert_cmpuint (s->overrides[0].policies[0].limit, ==, 60);
  g_assert_cmpstr (s->overrides[0].policies[0].name, ==, "hour");
}

static void
test_quota_for_first_match (void)
{
  g_autoptr(PsScenario) s = load_ok (overrides_json, NULL);
  const PsQuotaPolicy *p;
  guint n = 0;

  g_test_summary ("The first override matching by group or by address wins");
  /* partners (10.0.0.x) match both overrides: the group one comes first. */
  p = ps_scenario_quota_for (s, 0, client_addr (s, 0, 0), &n);
  g_assert_true (p == s->overrides[0].policies);
  g_assert_cmpuint (n, ==, 1);
  /* lab (10.1.0.x) matches only the CIDR. */
  p = ps_scenario_quota_for (s, 1, client_addr (s, 1, 0), &n);
  g_assert_true (p == s->overrides[1].policies);
  g_assert_cmpuint (n, ==, 3);
  /* public (127.x) matches neither. */
  p = ps_scenario_quota_for (s, 2, client_addr (s, 2, 0), &n);
  g_assert_true (p == s->quota);
  g_assert_cmpuint (n, ==, 2);
  /* An address decides, not the group's usual block. */
  p = ps_scenario_quota_for (s, 2, addr ("10.9.9.9"), &n);
  g_assert_true (p == s->overrides[1].policies);
}

static void
test_burst_inheritance (void)
{
  g_autoptr(PsScenario) s = NULL;
  PsQuotaAlgorithm algorithm;

  if (!ps_quota_algorithm_from_string ("token_bucket", &algorithm))
    {
      g_test_skip ("token_bucket is not implemented in this tree yet");
      return;
    }
  s = load_ok ("{\"clients\":[{\"group\":\"a\"},{\"group\":\"b\"}],\"server\":{"
               "\"quota\":{\"algorithm\":\"token_bucket\",\"limit\":10,\"burst\":20},"
               "\"overrides\":[{\"group\":\"a\",\"quota\":{\"limit\":5}},"
               "{\"group\":\"b\",\"quota\":{\"algorithm\":\"fixed_window\"}}]}}", NULL);
  g_assert_cmpuint (s->quota[0].burst, ==, 20);
  g_assert_cmpint (s->overrides[0].policies[0].algorithm, ==, PS_QUOTA_TOKEN_BUCKET);
  g_assert_cmpuint (s->overrides[0].policies[0].burst, ==, 20);
  g_assert_cmpuint (s->overrides[0].policies[0].limit, ==, 5);
  g_assert_cmpint (s->overrides[1].policies[0].algorithm, ==, PS_QUOTA_FIXED_WINDOW);
  g_assert_cmpuint (s->overrides[1].policies[0].burst, ==, 0);
}

/* A whole number written as a JSON real (1e3, 100.0) is an integer. */
static void
test_int_from_whole_real (void)
{
  g_autoptr(PsScenario) s = load_ok ("{\"clients\":[{\"count\":1e3}],\"server\":{\"workers\":100.0}}",
                                     NULL);
  const char *sets[] = { "server.workers=1e2", NULL };
  g_autoptr(PsScenario) set = load_ok ("{\"clients\":[{}]}", sets);

  g_assert_cmpuint (s->groups[0].count, ==, 1000);
  g_assert_cmpuint (s->workers, ==, 100);
  g_assert_cmpuint (set->workers, ==, 100);
}

/* A request_timeout the network's round trip always exceeds: a warning. */
static void
test_request_timeout_warning (void)
{
  g_autoptr(PsScenario) s = load_ok (
    "{\"clients\":[{\"request_timeout\":\"1ms\"}],\"network\":{\"latency\":\"5ms\"}}",
    NULL);

  g_assert_cmpuint (g_strv_length (s->warnings), ==, 1);
  g_assert_cmpstr (s->warnings[0], ==, "t.json:1:36: clients[0].request_timeout: 1ms is no "
                   "longer than the network's shortest round trip (10ms): every attempt "
                   "will time out");
  g_assert_cmpint (s->groups[0].policy.request_timeout, ==, 1000);
}

/* Every new key's default, and the two budget forms' defaults. */
static void
test_retry_defaults (void)
{
  g_autoptr(PsScenario) plain = load_ok ("{\"clients\":[{}]}", NULL);
  g_autoptr(PsScenario) tokens = load_ok (
    "{\"clients\":[{\"retry\":{\"budget\":{}},\"throttle\":{}}]}", NULL);
  g_autoptr(PsScenario) ratio = load_ok (
    "{\"clients\":[{\"retry\":{\"max_attempts\":3,\"on_timeout\":\"drop\","
    "\"budget\":{\"ratio\":0.2}}}],"
    "\"faults\":[{\"at\":\"1m\",\"for\":\"30s\",\"latency\":\"200ms\"}]}", NULL);
  const PsClientPolicy *p = &plain->groups[0].policy;

  g_assert_cmpint (p->request_timeout, ==, 0);
  g_assert_cmpuint (p->max_attempts, ==, 0);
  g_assert_cmpint (p->budget.kind, ==, PS_BUDGET_NONE);
  g_assert_false (p->throttle.enabled);
  g_assert_cmpint (p->jitter, ==, PS_JITTER_FULL);
  g_assert_false (ps_client_policy_has_retry_state (p));
  g_assert_cmpuint (plain->n_faults, ==, 0);
  p = &tokens->groups[0].policy;
  g_assert_cmpint (p->budget.kind, ==, PS_BUDGET_TOKENS);
  g_assert_cmpuint (p->budget.tokens, ==, 500);
  g_assert_cmpuint (p->budget.retry_cost, ==, 5);
  g_assert_cmpuint (p->budget.timeout_cost, ==, 10);
  g_assert_cmpuint (p->budget.success_refill, ==, 1);
  g_assert_true (p->throttle.enabled);
  g_assert_cmpfloat (p->throttle.k, ==, 2);
  g_assert_cmpint (p->throttle.window, ==, PS_TIME_FROM_SEC (120));
  p = &ratio->groups[0].policy;
  g_assert_cmpint (p->budget.kind, ==, PS_BUDGET_RATIO);
  g_assert_cmpfloat (p->budget.ratio, ==, 0.2);
  g_assert_cmpint (p->budget.window, ==, PS_TIME_FROM_SEC (10));
  g_assert_cmpfloat (p->budget.min_per_s, ==, 1);
  g_assert_cmpuint (p->max_attempts, ==, 3);
  g_assert_cmpint (p->on_timeout, ==, PS_ON_TIMEOUT_DROP);
  g_assert_cmpuint (ratio->n_faults, ==, 1);
  g_assert_cmpint (ratio->faults[0].kind, ==, PS_FAULT_LATENCY);
  g_assert_cmpint (ratio->faults[0].end, ==, PS_TIME_FROM_SEC (90));
  g_assert_cmpint (ratio->faults[0].latency, ==, 200000);
}

static void
test_override_warnings (void)
{
  g_autoptr(PsScenario) s = load_ok (
    "{\"clients\":[{\"group\":\"public\",\"count\":3}],\n"
    " \"server\":{\"overrides\":[\n"
    "   {\"cidr\":\"10.9.0.0/16\",\"quota\":{\"limit\":1}},\n"
    "   {\"cidr\":\"127.1.0.3/32\",\"quota\":{\"limit\":1}},\n"
    "   {\"group\":\"public\",\"quota\":{\"limit\":1}}]}}", NULL);

  g_assert_cmpuint (g_strv_length (s->warnings), ==, 1);
  g_assert_cmpstr (s->warnings[0], ==, "t.json:3:25: server.overrides[0].cidr: "
                   "10.9.0.0/16 contains no client address");
}

/* An override naming no group would leave the group meant on the default
 * quota without a word: an error, with the nearest name. */
static void
test_override_unknown_group (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) near = ps_scenario_load_data (
    "{\"clients\":[{\"group\":\"public\"},{\"group\":\"partners\"}],\n"
    " \"server\":{\"overrides\":[{\"group\":\"partner\",\"quota\":{\"limit\":1}}]}}",
    -1, "t.json", NULL, &error);
  g_autoptr(PsScenario) far = NULL;

  g_assert_null (near);
  g_assert_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==, "t.json:2:43: server.overrides[0].group: \"partner\" "
                   "matches no client group (did you mean \"partners\"?)");
  g_clear_error (&error);
  far = ps_scenario_load_data (
    "{\"clients\":[{\"group\":\"public\"}],"
    "\"server\":{\"overrides\":[{\"group\":\"zzzzzzzzzzz\",\"quota\":{\"limit\":1}}]}}",
    -1, "t.json", NULL, &error);
  g_assert_null (far);
  g_assert_nonnull (strstr (error->message, "matches no client group (expected one of"));
}

/* --- addresses mapped into loopback for live mode --------------------------- */

static void
test_map_addresses (void)
{
  g_autoptr(PsScenario) s = load_ok (
    "{\"server\":{\"overrides\":[{\"cidr\":\"203.0.113.66/32\",\"quota\":{\"limit\":1}}]},"
    " \"clients\":[{\"group\":\"log\",\"count\":3,\"ip\":[\"198.51.100.7\",\"203.0.113.66\",\"198.51.100.7\"],"
    "   \"shared_ip\":true},"
    "  {\"group\":\"local\",\"count\":2,\"ip\":\"127.1.0.0/16\"}]}", NULL);
  g_autoptr(GError) error = NULL;
  PsCidr into, bad;
  guint n = 0, group = 9, tiers;
  guint32 index = 9;
  const PsQuotaPolicy *p;

  g_assert_true (ps_cidr_parse ("127.64.0.0/10", &into));
  g_assert_true (ps_scenario_map_addresses (s, &into, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);                             /* distinct addresses */
  g_assert_cmpuint (ps_client_group_address (&s->groups[0], 0), ==, ps_cidr_host (&into, 0));
  g_assert_cmpuint (ps_client_group_address (&s->groups[0], 1), ==, ps_cidr_host (&into, 1));
  g_assert_cmpuint (ps_client_group_address (&s->groups[0], 2), ==, ps_cidr_host (&into, 0));
  g_assert_cmpuint (s->groups[0].ip.base >> 24, ==, 127);
  g_assert_true (ps_scenario_lookup_address (s, ps_cidr_host (&into, 1), &group, &index));
  g_assert_cmpuint (group, ==, 0);
  g_assert_cmpuint (index, ==, 1);
  /* the override still finds the scraper by the address the log gave */
  p = ps_scenario_quota_for (s, 0, ps_cidr_host (&into, 1), &tiers);
  g_assert_cmpuint (p[0].limit, ==, 1);
  p = ps_scenario_quota_for (s, 0, ps_cidr_host (&into, 0), &tiers);
  g_assert_cmpuint (p[0].limit, ==, 60);
  g_assert_cmpuint (ps_client_group_original_address (&s->groups[0], 1), ==,
                    (203u << 24) | (113u << 8) | 66u);
  /* the local group stays where it was */
  g_assert_null (s->groups[1].original_addresses);

  g_assert_true (ps_cidr_parse ("10.0.0.0/8", &bad));
  g_assert_false (ps_scenario_map_addresses (s, &bad, NULL, &error));
  g_assert_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (ps_cidr_parse ("127.1.0.0/24", &bad));
  g_assert_false (ps_scenario_map_addresses (s, &bad, NULL, &error));
  g_assert_nonnull (strstr (error->message, "overlaps the addresses of group \"local\""));
}

/* --- what check explains --------------------------------------------------- */

static void
test_explain_queueing_models (void)
{
  double waiting, rho = 0.8;
  guint capacity = 1 + 4;

  /* Erlang B(10, 8) = 0.1217; M/M/1/5: (1 − ρ) ρ^5 / (1 − ρ^6). */
  g_assert_cmpfloat_with_epsilon (ps_mmck_blocking (10, 0, 8.0, &waiting), 0.12166, 1e-5);
  g_assert_cmpfloat (waiting, ==, 0);
  g_assert_cmpfloat_with_epsilon (ps_mmck_blocking (1, 4, rho, &waiting),
                                  (1 - rho) * pow (rho, capacity) / (1 - pow (rho, capacity + 1)),
                                  1e-12);
  g_assert_cmpfloat (waiting, >, 0);
  /* A huge pool neither overflows nor loses the answer. */
  g_assert_cmpfloat (ps_mmck_blocking (5000, 100, 4000.0, NULL), <, 1e-6);
  g_assert_cmpfloat (ps_mmck_blocking (50, 0, 100.0, NULL), >, 0.5);
}

/* The mistakes `check` should point out: a pool 2.5× over capacity, a
 * concurrency that cannot carry the arrival rate, priorities as weights. */
static void
test_explain_warnings (void)
{
  g_autoptr(PsScenario) s = load_ok (
    "{\"server\":{\"workers\":64,\"service_time\":\"80ms\",\"quota\":{\"limit\":100000}},"
    " \"network\":{\"latency\":0},"
    " \"clients\":[{\"group\":\"public\",\"count\":100,\"arrival\":{\"process\":\"poisson\","
    "  \"rate\":20},\"concurrency\":0,\"priorities\":[2,1,1]},"
    "  {\"group\":\"slow\",\"count\":2,\"arrival\":{\"process\":\"poisson\",\"rate\":20},"
    "   \"concurrency\":1}]}", NULL);
  g_autoptr(PsExplain) e = ps_scenario_explain (s);
  g_autofree char *all = NULL;

  g_ptr_array_add (e->warnings, NULL);
  all = g_strjoinv ("\n", (char **) e->warnings->pdata);
  g_ptr_array_remove_index (e->warnings, e->warnings->len - 1);
  g_assert_cmpfloat_with_epsilon (e->offered, 2040, 1e-9);
  g_assert_cmpfloat_with_epsilon (e->groups[1].concurrency_cap, 12.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (e->erlangs, 2000 * 0.08 + 2 * 12.5 * 0.08, 1e-9);
  g_assert_cmpfloat (e->rho, >, 2.5);
  g_assert_nonnull (strstr (all, "cannot keep up"));
  g_assert_nonnull (strstr (all, "group \"slow\": each client sends 20/s, but concurrency 1"));
  g_assert_nonnull (strstr (all, "caps it at 12.5/s"));
  g_assert_nonnull (strstr (all, "shares of priorities 0..2 are 0.5, 0.25, 0.25"));
  g_assert_cmpuint (e->warnings->len, ==, 3);
}

/* --- addresses ------------------------------------------------------------ */

static void
test_addresses_consecutive (void)
{
  g_autoptr(PsScenario) s = load_ok (
    "{\"clients\":[{\"count\":3},{\"count\":2}]}", NULL);

  g_assert_cmpuint (s->groups[0].ip.base, ==, addr ("127.0.0.0"));
  g_assert_cmpuint (s->groups[0].ip.prefix, ==, 8);
  g_assert_cmpuint (client_addr (s, 0, 0), ==, addr ("127.1.0.1"));
  g_assert_cmpuint (client_addr (s, 0, 2), ==, addr ("127.1.0.3"));
  g_assert_cmpuint (client_addr (s, 1, 0), ==, addr ("127.1.0.4"));
  g_assert_cmpuint (client_addr (s, 1, 1), ==, addr ("127.1.0.5"));
}

static void
test_addresses_skip_explicit (void)
{
  g_autoptr(PsScenario) s = load_ok (
    "{\"clients\":[{\"count\":300},{\"ip\":\"127.1.1.0/24\"},{\"count\":2},"
    "{\"ip\":\"10.0.0.0/8\",\"count\":4}]}", NULL);

  g_test_summary ("Groups without ip jump over every explicit block, even a later one");
  /* 300 addresses from 127.1.0.1 would run into 127.1.1.0/24. */
  g_assert_cmpuint (client_addr (s, 0, 0), ==, addr ("127.1.2.0"));
  g_assert_cmpuint (client_addr (s, 0, 299), ==, addr ("127.1.3.43"));
  g_assert_cmpuint (client_addr (s, 1, 0), ==, addr ("127.1.1.1"));
  g_assert_cmpuint (s->groups[1].ip_offset, ==, 0);
  g_assert_cmpuint (client_addr (s, 2, 0), ==, addr ("127.1.3.44"));
  g_assert_cmpuint (client_addr (s, 3, 3), ==, addr ("10.0.0.4"));
  g_assert_cmpuint (ps_scenario_n_clients (s), ==, 307);
}

/* --- traffic: processes, work, backlog, network, address lists ----------- */

static void
test_traffic_defaults (void)
{
  g_autoptr(PsScenario) s = load_ok ("{\"clients\":[{}]}", NULL);
  const PsClientGroup *g = &s->groups[0];

  /* The default one-way latency is the loopback figure (docs/design.md). */
  g_assert_cmpint (s->network_latency.kind, ==, PS_DIST_CONSTANT);
  g_assert_cmpfloat (s->network_latency.a, ==, 500.0);
  g_assert_true (ps_scenario_has_latency (s));
  g_assert_false (g->shared_ip);
  g_assert_false (g->has_work);
  g_assert_true (ps_client_group_work (s, 0) == &s->service_time);
  g_assert_cmpuint (g->initial_backlog, ==, 0);
  g_assert_null (g->addresses);
  g_assert_null (g->arrival.profile);
  g_assert_null (g->arrival.replay);
}

static void
test_traffic_keys (void)
{
  g_autoptr(PsScenario) s = load_ok (
    "{\"network\":{\"latency\":{\"dist\":\"uniform\",\"min\":\"5ms\",\"max\":\"15ms\"}},"
    " \"clients\":["
    "  {\"group\":\"bursty\",\"count\":2,\"initial_backlog\":4,\"work\":\"30ms\","
    "   \"arrival\":{\"process\":\"onoff\",\"on_rate\":8,\"on_mean\":\"3s\","
    "                \"off_mean\":\"1m\"}},"
    "  {\"group\":\"daily\",\"arrival\":{\"process\":\"poisson\",\"rate\":0.5,"
    "   \"profile\":[[0,0.2],[\"2h\",1.0],[\"3h\",3],[\"3h\",0.5],[14400,1]]}}]}", NULL);
  const PsArrivalSpec *onoff = &s->groups[0].arrival;
  const PsArrivalSpec *daily = &s->groups[1].arrival;

  g_test_summary ("onoff, profile, work, initial_backlog and network.latency as given");
  g_assert_true (ps_scenario_has_latency (s));
  g_assert_cmpint (s->network_latency.kind, ==, PS_DIST_UNIFORM);
  g_assert_cmpfloat (s->network_latency.b, ==, 15000.0);
  g_assert_cmpint (onoff->process, ==, PS_ARRIVAL_ONOFF);
  g_assert_cmpfloat (onoff->on_rate, ==, 8.0);
  g_assert_cmpfloat (onoff->off_rate, ==, 0.0);
  g_assert_cmpint (onoff->on_mean, ==, PS_TIME_FROM_SEC (3));
  g_assert_cmpint (onoff->off_mean, ==, PS_TIME_FROM_SEC (60));
  g_assert_true (s->groups[0].has_work);
  g_assert_cmpfloat (ps_client_group_work (s, 0)->a, ==, 30000.0);
  g_assert_cmpuint (s->groups[0].initial_backlog, ==, 4);
  g_assert_cmpint (daily->process, ==, PS_ARRIVAL_POISSON);
  g_assert_cmpuint (daily->n_profile, ==, 5);
  g_assert_cmpfloat (daily->profile_max, ==, 3.0);
  g_assert_cmpint (daily->profile[1].at, ==, PS_TIME_FROM_SEC (7200));
  g_assert_cmpint (daily->profile[4].at, ==, PS_TIME_FROM_SEC (14400));
  g_assert_cmpfloat_with_epsilon (ps_arrival_multiplier (daily, PS_TIME_FROM_SEC (3600)),
                                  0.6, 1e-12);
  g_assert_cmpfloat (ps_arrival_multiplier (daily, PS_TIME_FROM_SEC (10800)), ==, 0.5);
  g_assert_cmpfloat (ps_arrival_mean_rate (daily), ==, 0.5);
}

static void
test_address_lists (void)
{
  g_autoptr(PsScenario) s = load_ok (
    "{\"clients\":["
    "  {\"group\":\"nat\",\"count\":3,\"shared_ip\":true,"
    "   \"ip\":[\"127.5.0.9\",\"127.5.0.1\",\"127.5.0.9\"]},"
    "  {\"group\":\"more\",\"count\":1,\"shared_ip\":true,\"ip\":[\"127.5.0.1\"]},"
    "  {\"group\":\"auto\",\"count\":3},"
    "  {\"group\":\"block\",\"count\":2,\"ip\":\"127.1.0.0/30\"}]}", NULL);
  guint group = 99;
  guint32 index = 99;

  g_test_summary ("ip lists give each client its address; shared addresses are "
                  "allowed when both groups say so; default addresses avoid them");
  g_assert_cmpuint (ps_client_group_address (&s->groups[0], 0), ==, addr ("127.5.0.9"));
  g_assert_cmpuint (ps_client_group_address (&s->groups[0], 1), ==, addr ("127.5.0.1"));
  g_assert_cmpuint (ps_client_group_address (&s->groups[0], 2), ==, addr ("127.5.0.9"));
  /* the smallest block holding the list: 127.5.0.0/28 */
  g_assert_cmpuint (s->groups[0].ip.base, ==, addr ("127.5.0.0"));
  g_assert_cmpuint (s->groups[0].ip.prefix, ==, 28);
  /* 127.1.0.1 and .2 belong to the block: auto starts after it */
  g_assert_cmpuint (ps_client_group_address (&s->groups[2], 0), ==, addr ("127.1.0.4"));
  g_assert_cmpuint (ps_client_group_address (&s->groups[3], 1), ==, addr ("127.1.0.2"));

  g_assert_true (ps_scenario_lookup_address (s, addr ("127.5.0.9"), &group, &index));
  g_assert_cmpuint (group, ==, 0);
  g_assert_cmpuint (index, ==, 0);               /* the first of two */
  g_assert_true (ps_scenario_lookup_address (s, addr ("127.5.0.1"), &group, &index));
  g_assert_cmpuint (group, ==, 0);
  g_assert_cmpuint (index, ==, 1);
  g_assert_true (ps_scenario_lookup_address (s, addr ("127.1.0.5"), &group, &index));
  g_assert_cmpuint (group, ==, 2);
  g_assert_cmpuint (index, ==, 1);
  g_assert_true (ps_scenario_lookup_address (s, addr ("127.1.0.1"), &group, &index));
  g_assert_cmpuint (group, ==, 3);
  g_assert_cmpuint (index, ==, 0);
  g_assert_false (ps_scenario_lookup_address (s, addr ("127.5.0.2"), NULL, NULL));
  g_assert_false (ps_scenario_lookup_address (s, addr ("127.1.0.7"), NULL, NULL));
}

/* An override's block is checked against listed addresses one by one:
 * the list's covering block (127.5.0.9/32 here) says nothing. */
static void
test_override_warnings_lists (void)
{
  g_autoptr(PsScenario) s = load_ok (
    "{\"server\":{\"overrides\":[{\"cidr\":\"127.5.0.8/29\",\"quota\":{\"limit\":1}},\n"
    "  {\"cidr\":\"127.5.0.16/29\",\"quota\":{\"limit\":1}}]},"
    " \"clients\":[{\"count\":2,\"shared_ip\":true,\"ip\":[\"127.5.0.9\",\"127.5.0.9\"]}]}",
    NULL);

  g_assert_cmpuint (g_strv_length (s->warnings), ==, 1);
  g_assert_true (g_str_has_suffix (s->warnings[0], "server.overrides[1].cidr: "
                                   "127.5.0.16/29 contains no client address"));
}

static void
test_shared_quota_warning (void)
{
  g_autoptr(PsScenario) s = load_ok (
    "{\"server\":{\"overrides\":[{\"group\":\"b\",\"quota\":{\"limit\":5}}]},"
    " \"clients\":[{\"group\":\"a\",\"ip\":\"127.6.0.0/24\",\"shared_ip\":true},\n"
    "  {\"group\":\"b\",\"ip\":[\"127.6.0.1\"],\"shared_ip\":true}]}", NULL);

  g_assert_cmpuint (g_strv_length (s->warnings), ==, 1);
  g_assert_cmpstr (s->warnings[0], ==, "t.json:2:34: clients[1].ip: shares 127.6.0.1 "
                   "with clients[0], whose quota policies differ: a shared address is "
                   "limited by those of its first group");
}

static void
test_set_traffic (void)
{
  const char *const sets[] = {
    "clients[0].arrival.profile[1][1]=4",
    "clients[0].ip[1]=127.8.0.2",
    "network.latency=25ms",
    NULL,
  };
  g_autoptr(PsScenario) s = load_ok (
    "{\"clients\":[{\"count\":2,\"ip\":[\"127.8.0.1\",\"127.8.0.9\"],"
    "\"arrival\":{\"process\":\"poisson\",\"rate\":1,\"profile\":[[0,1],[60,2]]}}]}", sets);

  g_assert_cmpfloat (s->groups[0].arrival.profile[1].multiplier, ==, 4.0);
  g_assert_cmpfloat (s->groups[0].arrival.profile_max, ==, 4.0);
  g_assert_cmpuint (ps_client_group_address (&s->groups[0], 1), ==, addr ("127.8.0.2"));
  g_assert_cmpfloat (s->network_latency.a, ==, 25000.0);
}

/* --- --set ---------------------------------------------------------------- */

static void
test_set_create_and_replace (void)
{
  const char *const sets[] = {
    "output.attempts=true",
    "duration=30s",
    "server.quota.algorithm=fixed_window",
    "server.workers=3",
    "clients.0.count=5",
    "clients[0].arrival.rate=2.5",
    "server.service_time.mean=100ms",
    "clients[0].priorities[1]=0.5",
    "name=\"quoted\"",
    "description=a=b",
    NULL,
  };
  g_autoptr(PsScenario) s = load_ok (
    "{\"clients\":[{\"priorities\":[1,2]}],\"server\":{\"workers\":50}}", sets);

  g_test_summary ("--set creates missing objects from their defaults and replaces "
                  "values, before validation");
  g_assert_true (s->write_attempts);
  g_assert_true (s->write_requests);
  g_assert_cmpint (s->duration, ==, PS_TIME_FROM_SEC (30));
  g_assert_cmpuint (s->workers, ==, 3);
  g_assert_cmpuint (s->groups[0].count, ==, 5);
  g_assert_cmpint (s->groups[0].arrival.process, ==, PS_ARRIVAL_POISSON);
  g_assert_cmpfloat (s->groups[0].arrival.rate, ==, 2.5);
  g_assert_cmpint (s->service_time.kind, ==, PS_DIST_EXPONENTIAL);
  g_assert_cmpfloat (s->service_time.a, ==, 100000.0);
  g_assert_cmpfloat (s->groups[0].priorities[0], ==, 1.0);
  g_assert_cmpfloat (s->groups[0].priorities[1], ==, 0.5);
  g_assert_cmpstr (s->name, ==, "quoted");
  g_assert_cmpstr (s->description, ==, "a=b");
}

static void
test_set_json_values (void)
{
  const char *const sets[] = {
    "server.quota=[{\"limit\":1},{\"limit\":2,\"window\":\"1h\"}]",
    "server.quota[1].limit=3",
    "clients[0]={\"group\":\"x\",\"count\":2}",
    NULL,
  };
  g_autoptr(PsScenario) s = load_ok ("{\"clients\":[{\"count\":9}]}", sets);

  g_assert_cmpuint (s->n_quota, ==, 2);
  g_assert_cmpuint (s->quota[0].limit, ==, 1);
  g_assert_cmpuint (s->quota[1].limit, ==, 3);
  g_assert_cmpstr (s->groups[0].name, ==, "x");
  g_assert_cmpuint (s->groups[0].count, ==, 2);
}

static void
test_set_later_wins (void)
{
  const char *const sets[] = { "seed=5", "seed=6", NULL };
  g_autoptr(PsScenario) s = load_ok ("{\"clients\":[{}],\"seed\":4}", sets);

  g_assert_cmpuint (s->seed, ==, 6);
}

/* A --set replacing a file value: an error inside it must not point at the
 * file's old value. */
static void
test_set_error_inside_replacement (void)
{
  const char *const sets[] = { "server={\"workers\":0}", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) s = ps_scenario_load_data (
    "{\"clients\":[{}],\"server\":{\"workers\":5}}", -1, FILE_NAME, sets, &error);

  g_assert_null (s);
  g_assert_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_RANGE);
  g_assert_cmpstr (error->message, ==, "t.json: --set server={\"workers\":0}: "
                   "server.workers: must be at least 1 (expected an integer 1..100000)");
}

/* --- files and odd inputs ------------------------------------------------- */

static void
test_load_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "scenarios",
                                                 "steady.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) s = ps_scenario_load_file (path, NULL, &error);
  guint n = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (s->path, ==, path);
  g_assert_cmpstr (s->name, ==, "steady");
  g_assert_cmpuint (s->seed, ==, 42);
  g_assert_cmpuint (s->workers, ==, 50);
  g_assert_cmpuint (s->n_groups, ==, 2);
  g_assert_cmpuint (client_addr (s, 0, 99), ==, addr ("127.1.0.100"));
  /* partners have no ip: they start after public's explicit 127.1/16. */
  g_assert_cmpuint (client_addr (s, 1, 0), ==, addr ("127.2.0.0"));
  g_assert_cmpint (s->groups[1].arrival.jitter, ==, PS_TIME_FROM_MS (100));
  g_assert_cmpuint (ps_scenario_quota_for (s, 1, client_addr (s, 1, 0), &n)[0].limit,
                    ==, 600);
  g_assert_null (s->warnings[0]);
}

static void
test_load_file_errors (void)
{
  g_autofree char *broken = g_test_build_filename (G_TEST_DIST, "data", "scenarios",
                                                   "invalid", "broken.json", NULL);
  g_autofree char *expected = g_strdup_printf (
    "%s:7:29: server.workers: must be at least 1 (expected an integer 1..100000)", broken);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) io_error = NULL;
  g_autoptr(PsScenario) s = ps_scenario_load_file (broken, NULL, &error);
  g_autoptr(PsScenario) missing = ps_scenario_load_file ("/nonexistent/x.json", NULL,
                                                         &io_error);

  g_assert_null (s);
  g_assert_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_RANGE);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_null (missing);
  g_assert_error (io_error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_IO);
  g_assert_cmpstr (io_error->message, ==,
                   "/nonexistent/x.json: cannot read the file: No such file or directory");
}

static void
test_set_checked_before_reading (void)
{
  const char *const sets[] = { "sed=1", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) s = ps_scenario_load_file ("/nonexistent/x.json", sets, &error);

  g_assert_null (s);
  g_assert_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_UNKNOWN_KEY);
}

/* {"clients":[{"priorities":[1,1,...]}]}: 4 + @n values, the last one at
 * column 28 + 2 (@n - 1). */
static char *
priorities_document (guint n)
{
  GString *text = g_string_new ("{\"clients\":[{\"priorities\":[");

  for (guint i = 0; i < n; i++)
    g_string_append (text, i == 0 ? "1" : ",1");
  g_string_append (text, "]}]}");
  return g_string_free (text, FALSE);
}

/* A document with more values than the limit is refused by the pre-scan,
 * at the first value over it, before json-glib builds anything (a 26M
 * element array took 47 s and 3.6 GB there); the message names the limit
 * and how to raise it.  The default is checked from a file one value
 * over it (2 MB); the boundary itself with a lowered limit. */
static void
test_values_limit (void)
{
  g_autofree char *dir = g_dir_make_tmp ("poolsim-test-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "many.json", NULL);
  g_autofree char *many = priorities_document (1000000 - 3);
  g_autofree char *expected = g_strdup_printf (
    "%s:1:2000020: too many values: more than 1000000 JSON values (numbers, strings, "
    "arrays, objects) in the document (expected at most 1000000; set "
    "POOLSIM_MAX_JSON_VALUES to raise it)", file);
  g_autofree char *at_limit = priorities_document (16);
  g_autofree char *over_limit = priorities_document (17);
  g_autoptr(GError) error = NULL, over_error = NULL;
  g_autoptr(PsScenario) refused = NULL, fits = NULL, over = NULL;

  g_assert_nonnull (dir);
  g_assert_true (g_file_set_contents (file, many, -1, NULL));
  refused = ps_scenario_load_file (file, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_RANGE);
  g_assert_cmpstr (error->message, ==, expected);

  g_setenv ("POOLSIM_MAX_JSON_VALUES", "20", TRUE);
  fits = load_ok (at_limit, NULL);                  /* 20 values: all of them */
  over = ps_scenario_load_data (over_limit, -1, FILE_NAME, NULL, &over_error);
  g_unsetenv ("POOLSIM_MAX_JSON_VALUES");
  g_assert_null (over);
  g_assert_error (over_error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_RANGE);
  g_assert_cmpstr (over_error->message, ==,
                   "t.json:1:60: too many values: more than 20 JSON values (numbers, "
                   "strings, arrays, objects) in the document (expected at most 20; set "
                   "POOLSIM_MAX_JSON_VALUES to raise it)");
  g_assert_cmpint (g_unlink (file), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_odd_inputs (void)
{
  static const char nul[] = "{\"clients\":[{}]}\0";
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) with_nul = ps_scenario_load_data (nul, sizeof nul, "n.json",
                                                          NULL, &error);
  g_autoptr(PsScenario) bom = load_ok ("\xEF\xBB\xBF{\"clients\":[{}]}\n", NULL);
  g_autoptr(PsScenario) unnamed = ps_scenario_load_data ("{\"clients\":[{}]}", -1,
                                                         NULL, NULL, NULL);
  g_autoptr(GError) unnamed_error = NULL;
  g_autoptr(PsScenario) bad_unnamed = ps_scenario_load_data ("{}", 2, NULL, NULL,
                                                             &unnamed_error);

  g_assert_null (with_nul);
  g_assert_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "n.json:1:17: syntax error: a NUL byte "
                   "(expected UTF-8 encoded JSON)");
  g_assert_nonnull (bom);
  g_assert_cmpstr (unnamed->name, ==, "scenario");
  g_assert_cmpstr (unnamed->path, ==, "<data>");
  g_assert_error (unnamed_error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_MISSING_KEY);
  g_assert_true (g_str_has_prefix (unnamed_error->message, "<data>:1:2: clients: "));
}

static void
test_suggest (void)
{
  const char *const words[] = { "workers", "queue", "quota", "concurrency", NULL };

  g_assert_cmpuint (ps_suggest_distance ("", "abc"), ==, 3);
  g_assert_cmpuint (ps_suggest_distance ("kitten", "sitting"), ==, 3);
  g_assert_cmpuint (ps_suggest_distance ("wokrers", "workers"), ==, 1);
  g_assert_cmpstr (ps_suggest_nearest ("concurency", words), ==, "concurrency");
  g_assert_cmpstr (ps_suggest_nearest ("qeue", words), ==, "queue");
  g_assert_null (ps_suggest_nearest ("zzzz", words));
  g_assert_null (ps_suggest_nearest ("x", words));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/scenario/invalid/%s",
                                               invalid_cases[i].name);

      g_test_add_data_func (path, &invalid_cases[i], test_invalid);
    }
  g_test_add_func ("/scenario/valid/defaults", test_defaults);
  g_test_add_func ("/scenario/valid/everything-given", test_everything_given);
  g_test_add_func ("/scenario/valid/dist-forms", test_dist_forms);
  g_test_add_func ("/scenario/duration/strings", test_duration_strings);
  g_test_add_func ("/scenario/duration/numbers", test_duration_numbers);
  g_test_add_func ("/scenario/duration/in-scenario", test_duration_in_scenario);
  g_test_add_func ("/scenario/duration/format", test_duration_format);
  g_test_add_func ("/scenario/quota/list", test_quota_list);
  g_test_add_func ("/scenario/quota/override-inheritance", test_override_inheritance);
  g_test_add_func ("/scenario/quota/override-window-renames", test_override_window_renames);
  g_test_add_func ("/scenario/quota/first-match", test_quota_for_first_match);
  g_test_add_func ("/scenario/quota/burst-inheritance", test_burst_inheritance);
  g_test_add_func ("/scenario/quota/override-warnings", test_override_warnings);
  g_test_add_func ("/scenario/int-from-whole-real", test_int_from_whole_real);
  g_test_add_func ("/scenario/quota/override-unknown-group", test_override_unknown_group);
  g_test_add_func ("/scenario/explain/queueing-models", test_explain_queueing_models);
  g_test_add_func ("/scenario/addresses/map-into-loopback", test_map_addresses);
  g_test_add_func ("/scenario/explain/warnings", test_explain_warnings);
  g_test_add_func ("/scenario/addresses/consecutive", test_addresses_consecutive);
  g_test_add_func ("/scenario/addresses/skip-explicit", test_addresses_skip_explicit);
  g_test_add_func ("/scenario/addresses/lists", test_address_lists);
  g_test_add_func ("/scenario/addresses/shared-quota-warning", test_shared_quota_warning);
  g_test_add_func ("/scenario/addresses/override-warnings", test_override_warnings_lists);
  g_test_add_func ("/scenario/traffic/defaults", test_traffic_defaults);
  g_test_add_func ("/scenario/traffic/keys", test_traffic_keys);
  g_test_add_func ("/scenario/set/traffic", test_set_traffic);
  g_test_add_func ("/scenario/set/create-and-replace", test_set_create_and_replace);
  g_test_add_func ("/scenario/set/json-values", test_set_json_values);
  g_test_add_func ("/scenario/set/later-wins", test_set_later_wins);
  g_test_add_func ("/scenario/set/error-inside-replacement",
                   test_set_error_inside_replacement);
  g_test_add_func ("/scenario/set/checked-before-reading", test_set_checked_before_reading);
  g_test_add_func ("/scenario/file/load", test_load_file);
  g_test_add_func ("/scenario/file/errors", test_load_file_errors);
  g_test_add_func ("/scenario/input/odd", test_odd_inputs);
  g_test_add_func ("/scenario/input/values-limit", test_values_limit);
  g_test_add_func ("/scenario/suggest", test_suggest);
  g_test_add_func ("/scenario/retry/defaults", test_retry_defaults);
  g_test_add_func ("/scenario/retry/request-timeout-warning", test_request_timeout_warning);

  return g_test_run ();
}
