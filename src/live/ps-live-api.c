/* ps-live-api.c: request bodies in, response bodies out
 *
 * Request bodies: the form every client sends, `{"priority":N,
 * "work_ms":X}` in plain JSON with values in range, is read by a strict
 * scanner without allocating; anything else goes through json-glib and is
 * checked the way scenario files are (json-glib 1.6 is lenient,
 * STACK-NOTES §4): UTF-8 first, then syntax, an empty document, text after
 * it, duplicate keys, the top-level type, unknown keys, each value's type
 * and range; every message says where, as body:LINE:COL.  Responses are
 * built with a GString, times printed from integers.
 */
#include "ps-live-api.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "ps-ipv4.h"
#include "ps-json-positions.h"
#include "ps-live-resources.h"
#include "ps-record.h"

#define OPENAPI_PATH "/org/poolsim/live/openapi.json"

/* ---- routes ----------------------------------------------------------- */

/**
 * ps_live_route:
 * @out_tail: (out) (optional): for PS_ROUTE_CLIENT, the {ip} part
 *
 * Which route @path is (exact match; a trailing slash is another path).
 */
PsRoute
ps_live_route (const char *path, const char **out_tail)
{
  static const struct { const char *path; PsRoute route; } fixed[] = {
    { "/v1/requests", PS_ROUTE_REQUESTS },
    { "/v1/pool", PS_ROUTE_POOL },
    { "/v1/stats", PS_ROUTE_STATS },
    { "/metrics", PS_ROUTE_METRICS },
    { "/openapi.json", PS_ROUTE_OPENAPI },
    { "/docs", PS_ROUTE_DOCS },
    { "/healthz", PS_ROUTE_HEALTHZ },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    if (strcmp (path, fixed[i].path) == 0)
      return fixed[i].route;
  if (g_str_has_prefix (path, "/v1/clients/") && path[strlen ("/v1/clients/")] != '\0'
      && strchr (path + strlen ("/v1/clients/"), '/') == NULL)
    {
      if (out_tail != NULL)
        *out_tail = path + strlen ("/v1/clients/");
      return PS_ROUTE_CLIENT;
    }
  return PS_ROUTE_NONE;
}

/* The one method a route answers (GET routes answer HEAD too). */
const char *
ps_live_route_method (PsRoute route)
{
  switch (route)
    {
    case PS_ROUTE_REQUESTS:
      return "POST";
    case PS_ROUTE_POOL:
    case PS_ROUTE_STATS:
    case PS_ROUTE_CLIENT:
    case PS_ROUTE_METRICS:
    case PS_ROUTE_OPENAPI:
    case PS_ROUTE_DOCS:
    case PS_ROUTE_HEALTHZ:
      return "GET";
    case PS_ROUTE_NONE:
      return NULL;
    default:
      g_assert_not_reached ();
    }
}

PsLiveStatusClass
ps_live_status_class (guint status)
{
  switch (status)
    {
    case 200: return PS_LIVE_STATUS_200;
    case 400: return PS_LIVE_STATUS_400;
    case 404: return PS_LIVE_STATUS_404;
    case 405: return PS_LIVE_STATUS_405;
    case 411: return PS_LIVE_STATUS_411;
    case 413: return PS_LIVE_STATUS_413;
    case 429: return PS_LIVE_STATUS_429;
    case 503: return PS_LIVE_STATUS_503;
    default: return PS_LIVE_STATUS_OTHER;
    }
}

/* The status code of a class; 0 for OTHER. */
guint
ps_live_status_code (PsLiveStatusClass klass)
{
  static const guint codes[PS_LIVE_N_STATUS] = { 200, 400, 404, 405, 411, 413, 429, 503, 0 };

  g_return_val_if_fail (klass < PS_LIVE_N_STATUS, 0);
  return codes[klass];
}

/* ---- JSON text -------------------------------------------------------- */

static void
append_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\u%04x", *p);
      else
        g_string_append_c (out, (char) *p);
    }
  g_string_append_c (out, '"');
}

/* Microseconds as milliseconds with 3 decimals, from the integer. */
static void
append_ms (GString *out, PsTime us)
{
  guint64 mag = us < 0 ? (guint64) 0 - (guint64) us : (guint64) us;

  g_string_append_printf (out, "%s%" G_GUINT64_FORMAT ".%03" G_GUINT64_FORMAT,
                          us < 0 ? "-" : "", mag / 1000, mag % 1000);
}

/* Microseconds as seconds with 6 decimals. */
static void
append_s (GString *out, PsTime us)
{
  char buf[PS_TIME_STR_LEN];

  g_string_append (out, ps_time_format_s (us, buf));
}

static void
append_ip (GString *out, guint32 ip)
{
  char buf[PS_IPV4_STR_LEN];

  append_string (out, ps_ipv4_format (ip, buf));
}

static void
append_double (GString *out, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    g_string_append (out, "null");
  else
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6f", value));
}

/* Returns: (transfer full): `{"error":..., "message":...}` and a newline. */
char *
ps_live_error_json (const char *error, const char *message)
{
  GString *out = g_string_new ("{\"error\":");

  append_string (out, error);
  g_string_append (out, ",\"message\":");
  append_string (out, message);
  g_string_append (out, "}\n");
  return g_string_free (out, FALSE);
}

/**
 * ps_live_result_json:
 * @queued: time in the server queue; @service: time with a worker
 *
 * The body of a 200 to POST /v1/requests.  Durations are in scenario
 * milliseconds, so a client can place the request's admission and service
 * on its own clock: admitted = answer - queued - service.
 */
char *
ps_live_result_json (guint64 id, guint32 ip, guint priority, PsTime work,
                     PsTime queued, PsTime service, guint pool_busy)
{
  GString *out = g_string_sized_new (160);

  g_string_append_printf (out, "{\"id\":%" G_GUINT64_FORMAT ",\"client\":", id);
  append_ip (out, ip);
  g_string_append_printf (out, ",\"priority\":%u,\"work_ms\":", priority);
  append_ms (out, work);
  g_string_append (out, ",\"queued_ms\":");
  append_ms (out, queued);
  g_string_append (out, ",\"service_ms\":");
  append_ms (out, service);
  g_string_append_printf (out, ",\"pool_busy\":%u}\n", pool_busy);
  return g_string_free (out, FALSE);
}

/* The body of a 429 or 503; @policy_name for a 429. */
char *
ps_live_refusal_json (guint status, gint64 retry_after_s, const char *policy_name)
{
  GString *out = g_string_new (NULL);

  if (status == 429)
    {
      g_string_append (out, "{\"error\":\"rate_limited\",\"message\":");
      append_string (out, "over quota: retry after the number of seconds in Retry-After");
      g_string_append (out, ",\"policy\":");
      append_string (out, policy_name != NULL ? policy_name : "");
    }
  else
    {
      g_string_append (out, "{\"error\":\"overloaded\",\"message\":");
      append_string (out, "every worker is busy and the server queue is full");
    }
  g_string_append_printf (out, ",\"retry_after_s\":%" G_GINT64_FORMAT "}\n", retry_after_s);
  return g_string_free (out, FALSE);
}

char *
ps_live_pool_json (const PsLivePoolStats *stats, GArray *entries)
{
  GString *out = g_string_new ("{\"now_s\":");

  append_s (out, stats->now);
  g_string_append_printf (out, ",\"workers\":%u,\"busy\":%u,\"queue_limit\":%u,"
                          "\"queued\":%u,\"requests\":[",
                          stats->workers, stats->busy, stats->queue_limit, stats->queued);
  for (guint i = 0; i < entries->len; i++)
    {
      const PsLivePoolEntry *e = &g_array_index (entries, PsLivePoolEntry, i);

      g_string_append_printf (out, "%s{\"id\":%" G_GUINT64_FORMAT ",\"client\":",
                              i ? "," : "", e->id);
      append_ip (out, e->ip);
      g_string_append_printf (out, ",\"priority\":%u,\"state\":\"%s\",\"age_s\":",
                              e->priority, e->started >= 0 ? "in_service" : "queued");
      append_s (out, MAX (stats->now - e->admitted, 0));
      g_string_append (out, ",\"work_ms\":");
      append_ms (out, e->work);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}\n");
  return g_string_free (out, FALSE);
}

char *
ps_live_stats_json (const PsLivePoolStats *stats, const PsLiveServerCounters *c)
{
  GString *out = g_string_new ("{\"now_s\":");

  append_s (out, stats->now);
  g_string_append (out, ",\"time_scale\":");
  append_double (out, c->time_scale);
  g_string_append (out, ",\"uptime_s\":");
  append_double (out, c->uptime_s);
  g_string_append (out, ",\"responses\":{");
  for (guint k = 0; k < PS_LIVE_N_STATUS; k++)
    {
      guint code = ps_live_status_code (k);

      if (code != 0)
        g_string_append_printf (out, "%s\"%u\":%" G_GUINT64_FORMAT, k ? "," : "",
                                code, c->responses[k]);
      else
        g_string_append_printf (out, ",\"other\":%" G_GUINT64_FORMAT, c->responses[k]);
    }
  g_string_append_printf (out, "},\"admitted\":%" G_GUINT64_FORMAT
                          ",\"rejected_429\":%" G_GUINT64_FORMAT
                          ",\"rejected_503\":%" G_GUINT64_FORMAT
                          ",\"in_flight\":%" G_GUINT64_FORMAT
                          ",\"clients_seen\":%u,\"pool\":{\"workers\":%u,\"busy\":%u,"
                          "\"max_busy\":%u,\"queue_limit\":%u,\"queued\":%u,"
                          "\"mean_occupancy\":",
                          stats->admitted, stats->rejected_429, stats->rejected_503,
                          c->in_flight, stats->subjects, stats->workers, stats->busy,
                          stats->max_busy, stats->queue_limit, stats->queued);
  append_double (out, stats->now > 0 ? stats->busy_integral / (double) stats->now : 0);
  g_string_append_printf (out, "},\"connections_swept\":%" G_GUINT64_FORMAT "}\n",
                          c->connections_swept);
  return g_string_free (out, FALSE);
}

char *
ps_live_client_json (const PsLiveSubjectInfo *info)
{
  GString *out = g_string_new ("{\"client\":");
  const PsQuotaDecision *d = &info->decision;

  append_ip (out, info->ip);
  g_string_append_printf (out, ",\"scenario_client\":%s,\"now_s\":",
                          info->known_client ? "true" : "false");
  append_s (out, info->now);
  g_string_append_printf (out, ",\"admitted\":%" G_GUINT64_FORMAT
                          ",\"rejected_429\":%" G_GUINT64_FORMAT
                          ",\"rejected_503\":%" G_GUINT64_FORMAT
                          ",\"allowed_now\":%s,\"retry_after_s\":%" G_GINT64_FORMAT
                          ",\"policies\":[",
                          info->admitted, info->rejected_429, info->rejected_503,
                          d->verdict == PS_QUOTA_ALLOW ? "true" : "false",
                          d->verdict == PS_QUOTA_ALLOW ? 0 : ps_quota_retry_after_s (d));
  for (guint i = 0; i < info->n_policies && i < d->n_policies; i++)
    {
      const PsQuotaPolicy *p = &info->policies[i];
      const PsQuotaResult *r = &d->per_policy[i];
      PsQuotaPolicy named = *p;

      ps_quota_policy_default_name (&named);
      g_string_append (out, i ? ",{\"name\":" : "{\"name\":");
      append_string (out, named.name);
      g_string_append (out, ",\"algorithm\":");
      append_string (out, ps_quota_algorithm_to_string (p->algorithm));
      g_string_append_printf (out, ",\"limit\":%" G_GUINT32_FORMAT ",\"window_s\":", p->limit);
      append_s (out, p->window);
      /* remaining counts this request when allowed: report what is left
       * before it, the figure a client cares about */
      g_string_append_printf (out, ",\"remaining\":%" G_GUINT32_FORMAT ",\"reset_s\":",
                              r->verdict == PS_QUOTA_ALLOW ? r->remaining + 1 : 0);
      append_s (out, r->reset);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}\n");
  return g_string_free (out, FALSE);
}

/* ---- request bodies --------------------------------------------------- */

/* Line and column (1-based, bytes) of @offset. */
static void
line_col (const char *data, gsize offset, guint *out_line, guint *out_col)
{
  guint line = 1;
  gsize start = 0;

  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n')
      {
        line++;
        start = i + 1;
      }
  *out_line = line;
  *out_col = (guint) (offset - start + 1);
}

/* "<data>:2:8: Parse error: unexpected ..." -> "body:2:8: syntax error: ..." */
static char *
syntax_message (const char *text)
{
  const char *colon = strstr (text, ">:");
  unsigned long line, col;
  char *end;

  if (colon != NULL)
    {
      line = strtoul (colon + 2, &end, 10);
      if (*end == ':')
        {
          col = strtoul (end + 1, &end, 10);
          if (*end == ':')
            {
              const char *detail = end + 1 + strspn (end + 1, " ");

              if (g_str_has_prefix (detail, "Parse error: "))
                detail += strlen ("Parse error: ");
              return g_strdup_printf ("body:%lu:%lu: syntax error: %s", line, col, detail);
            }
        }
    }
  return g_strdup_printf ("body: syntax error: %s", text);
}

static const char *
describe (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return "a string";
        case G_TYPE_BOOLEAN:
          return "a boolean";
        case G_TYPE_INT64:
          return "an integer";
        case G_TYPE_DOUBLE:
          return "a number with a fraction";
        default:
          return "a value";
        }
    default:
      return "a value";
    }
}

static char *
where (PsJsonPositions *positions, JsonNode *node)
{
  guint line, col;

  if (positions != NULL && ps_json_positions_lookup (positions, node, &line, &col))
    return g_strdup_printf ("body:%u:%u", line, col);
  return g_strdup ("body");
}

static gboolean
read_priority (PsJsonPositions *positions, JsonNode *node, guint *out, char **message)
{
  g_autofree char *at = where (positions, node);
  gint64 value;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      *message = g_strdup_printf ("%s: priority: expected an integer from 0 to %d, got %s",
                                  at, PS_MAX_PRIORITIES - 1, describe (node));
      return FALSE;
    }
  value = json_node_get_int (node);
  if (value < 0 || value >= PS_MAX_PRIORITIES)
    {
      *message = g_strdup_printf ("%s: priority: %" G_GINT64_FORMAT
                                  " is out of range (expected an integer from 0 to %d)",
                                  at, value, PS_MAX_PRIORITIES - 1);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

static gboolean
read_work (PsJsonPositions *positions, JsonNode *node, PsTime *out, char **message)
{
  g_autofree char *at = where (positions, node);
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_NONE;
  double ms;

  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    {
      *message = g_strdup_printf ("%s: work_ms: expected a number of milliseconds from 0 "
                                  "to %d, got %s", at, PS_LIVE_MAX_WORK_MS, describe (node));
      return FALSE;
    }
  ms = type == G_TYPE_INT64 ? (double) json_node_get_int (node) : json_node_get_double (node);
  /* json-glib turns an integer overflow into INT64_MIN and 1e400 into inf:
   * both fail the range check */
  if (!isfinite (ms) || ms < 0 || ms > PS_LIVE_MAX_WORK_MS)
    {
      *message = g_strdup_printf ("%s: work_ms: out of range (expected a number of "
                                  "milliseconds from 0 to %d)", at, PS_LIVE_MAX_WORK_MS);
      return FALSE;
    }
  *out = (PsTime) llround (ms * 1000.0);
  return TRUE;
}

static gboolean
check_document (const char *data, gsize length, JsonParser *parser,
                PsJsonPositions *positions, char **message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dup_path = NULL;
  JsonNode *root;
  guint line, col;
  gsize garbage;

  if (!json_parser_load_from_data (parser, data, (gssize) length, &error))
    {
      *message = syntax_message (error->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      *message = g_strdup ("body: empty (expected a JSON object such as "
                           "{\"priority\":0,\"work_ms\":120})");
      return FALSE;
    }
  if (ps_json_positions_get_end (positions, &line, &col)
      && !ps_json_only_blanks_after (data, length, ps_json_offset_of (data, length, line, col),
                                     &garbage))
    {
      line_col (data, garbage, &line, &col);
      *message = g_strdup_printf ("body:%u:%u: syntax error: text after the end of the "
                                  "JSON object", line, col);
      return FALSE;
    }
  if (ps_json_positions_find_duplicate (positions, root, &dup_path, &line, &col))
    {
      *message = g_strdup_printf ("body:%u:%u: %s: key appears twice", line, col, dup_path);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      *message = g_strdup_printf ("body:1:1: expected a JSON object such as "
                                  "{\"priority\":0,\"work_ms\":120}, got %s",
                                  describe (root));
      return FALSE;
    }
  return TRUE;
}

/* ---- the fast path: the strict subset every client sends ---------------- */

static const char *
skip_blanks (const char *p, const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

/* A JSON number token at @p: its end, or NULL.  @out_integer: no fraction
 * and no exponent. */
static const char *
number_end (const char *p, const char *end, gboolean *out_integer)
{
  const char *start;

  *out_integer = TRUE;
  if (p < end && *p == '-')
    p++;
  start = p;
  if (p < end && *p == '0')
    p++;
  else
    while (p < end && g_ascii_isdigit (*p))
      p++;
  if (p == start)
    return NULL;
  if (p < end && *p == '.')
    {
      *out_integer = FALSE;
      start = ++p;
      while (p < end && g_ascii_isdigit (*p))
        p++;
      if (p == start)
        return NULL;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      *out_integer = FALSE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      start = p;
      while (p < end && g_ascii_isdigit (*p))
        p++;
      if (p == start)
        return NULL;
    }
  return p;
}

/* One `"key": number` member, in range; FALSE sends the body to the slow
 * path, which then finds and reports what is wrong. */
static gboolean
quick_member (const char **pp, const char *end, gboolean *seen_priority,
              gboolean *seen_work, guint *priority, PsTime *work)
{
  const char *p = *pp;
  gboolean is_priority, integer;
  const char *num;
  char buf[64];
  double value;

  if (end - p >= 10 && memcmp (p, "\"priority\"", 10) == 0 && !*seen_priority)
    {
      is_priority = TRUE;
      *seen_priority = TRUE;
      p += 10;
    }
  else if (end - p >= 9 && memcmp (p, "\"work_ms\"", 9) == 0 && !*seen_work)
    {
      is_priority = FALSE;
      *seen_work = TRUE;
      p += 9;
    }
  else
    return FALSE;                       /* another key, or one seen twice */
  p = skip_blanks (p, end);
  if (p == end || *p++ != ':')
    return FALSE;
  num = skip_blanks (p, end);
  p = number_end (num, end, &integer);
  if (p == NULL || p - num >= (gssize) sizeof buf)
    return FALSE;
  memcpy (buf, num, (gsize) (p - num));
  buf[p - num] = '\0';
  value = g_ascii_strtod (buf, NULL);
  if (is_priority)
    {
      if (!integer || value < 0 || value >= PS_MAX_PRIORITIES)
        return FALSE;
      *priority = (guint) value;
    }
  else
    {
      if (!isfinite (value) || value < 0 || value > PS_LIVE_MAX_WORK_MS)
        return FALSE;
      *work = (PsTime) llround (value * 1000.0);
    }
  *pp = skip_blanks (p, end);
  return TRUE;
}

/* `{"priority": N, "work_ms": X}` in plain JSON, keys once each, values in
 * range: the whole body, with no allocation.  Anything else (errors, and
 * the odd valid body with escapes in keys) goes to json-glib. */
static gboolean
parse_quickly (const char *data, gsize length, guint *priority, PsTime *work)
{
  const char *p = data, *end = data + length;
  gboolean seen_priority = FALSE, seen_work = FALSE;

  p = skip_blanks (p, end);
  if (p == end || *p++ != '{')
    return FALSE;
  p = skip_blanks (p, end);
  if (p < end && *p == '}')
    return skip_blanks (p + 1, end) == end;
  for (;;)
    {
      if (!quick_member (&p, end, &seen_priority, &seen_work, priority, work))
        return FALSE;
      if (p < end && *p == ',')
        {
          p = skip_blanks (p + 1, end);
          continue;
        }
      if (p < end && *p == '}')
        return skip_blanks (p + 1, end) == end;
      return FALSE;
    }
}

/**
 * ps_live_parse_request_body:
 * @out_priority: (out): 0 when absent
 * @out_work: (out): the work asked for in µs, or -1 when absent (the
 *   server then draws it from the scenario)
 * @out_message: (out) (transfer full): on failure, what is wrong and
 *   where (body:LINE:COL: ...)
 *
 * Reads `{"priority": 0..15, "work_ms": 0..3600000}`, both keys optional.
 */
gboolean
ps_live_parse_request_body (const char *data, gsize length, guint *out_priority,
                            PsTime *out_work, char **out_message)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(PsJsonPositions) positions = NULL;
  const char *bad_utf8;
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  *out_priority = 0;
  *out_work = -1;
  *out_message = NULL;
  if (parse_quickly (data, length, out_priority, out_work))
    return TRUE;
  *out_priority = 0;
  *out_work = -1;
  if (!g_utf8_validate_len (data, length, &bad_utf8))
    {
      guint line, col;

      line_col (data, (gsize) (bad_utf8 - data), &line, &col);
      *out_message = g_strdup_printf ("body:%u:%u: syntax error: %s (expected UTF-8 "
                                      "encoded JSON)", line, col,
                                      *bad_utf8 == '\0' ? "a NUL byte" : "bytes that are not UTF-8");
      return FALSE;
    }
  parser = json_parser_new ();
  positions = ps_json_positions_new (parser);
  if (!check_document (data, length, parser, positions, out_message))
    return FALSE;

  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (object, name);

      if (strcmp (name, "priority") == 0)
        {
          if (!read_priority (positions, node, out_priority, out_message))
            return FALSE;
        }
      else if (strcmp (name, "work_ms") == 0)
        {
          if (!read_work (positions, node, out_work, out_message))
            return FALSE;
        }
      else
        {
          g_autofree char *at = where (positions, node);
          GString *msg = g_string_new (NULL);

          g_string_append_printf (msg, "%s: unknown key ", at);
          append_string (msg, name);
          g_string_append (msg, " (expected \"priority\" or \"work_ms\")");
          *out_message = g_string_free (msg, FALSE);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- OpenAPI and /docs ------------------------------------------------ */

/* Returns: (transfer full): the OpenAPI 3.1 document, as compiled in. */
GBytes *
ps_live_openapi_bytes (void)
{
  GBytes *bytes = g_resource_lookup_data (ps_live_get_resource (), OPENAPI_PATH,
                                          G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  g_assert (bytes != NULL);             /* compiled in: cannot be missing */
  return bytes;
}

static void
append_html (GString *out, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  g_string_append (out, escaped);
}

static const char *
member_string (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static JsonObject *
member_object (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* A schema as one line of text: its $ref name, or its type and members. */
static void
append_schema (GString *out, JsonObject *schema)
{
  const char *ref = member_string (schema, "$ref");
  JsonObject *props = member_object (schema, "properties");

  if (ref != NULL)
    {
      const char *slash = strrchr (ref, '/');

      g_string_append (out, "<a href=\"#schema-");
      append_html (out, slash ? slash + 1 : ref);
      g_string_append (out, "\">");
      append_html (out, slash ? slash + 1 : ref);
      g_string_append (out, "</a>");
      return;
    }
  append_html (out, member_string (schema, "type"));
  if (props != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (props);

      g_string_append (out, " {");
      for (GList *l = names; l != NULL; l = l->next)
        {
          g_string_append (out, l == names ? " " : ", ");
          g_string_append (out, "<code>");
          append_html (out, l->data);
          g_string_append (out, "</code>");
        }
      g_string_append (out, " }");
    }
}

static void
append_operation (GString *out, const char *path, const char *method, JsonObject *op)
{
  JsonObject *responses = member_object (op, "responses");
  JsonObject *body = member_object (member_object (member_object (member_object (
                       op, "requestBody"), "content"), "application/json"), "schema");
  g_autoptr(GList) codes = responses ? json_object_get_members (responses) : NULL;
  g_autofree char *upper = g_ascii_strup (method, -1);

  g_string_append (out, "<section class=\"op\"><h3><span class=\"method\">");
  append_html (out, upper);
  g_string_append (out, "</span> <code>");
  append_html (out, path);
  g_string_append (out, "</code></h3>\n<p><b>");
  append_html (out, member_string (op, "summary"));
  g_string_append (out, "</b></p>\n<p>");
  append_html (out, member_string (op, "description"));
  g_string_append (out, "</p>\n");
  if (body != NULL)
    {
      g_string_append (out, "<p>Request body (application/json): ");
      append_schema (out, body);
      g_string_append (out, "</p>\n");
    }
  g_string_append (out, "<table><tr><th>Status</th><th>Meaning</th></tr>\n");
  for (GList *l = codes; l != NULL; l = l->next)
    {
      JsonObject *resp = member_object (responses, l->data);

      g_string_append (out, "<tr><td>");
      append_html (out, l->data);
      g_string_append (out, "</td><td>");
      append_html (out, member_string (resp, "description"));
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "</table></section>\n");
}

static void
append_schemas (GString *out, JsonObject *schemas)
{
  g_autoptr(GList) names = schemas ? json_object_get_members (schemas) : NULL;

  g_string_append (out, "<h2>Schemas</h2>\n");
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *schema = member_object (schemas, l->data);
      JsonObject *props = member_object (schema, "properties");
      g_autoptr(GList) fields = props ? json_object_get_members (props) : NULL;

      g_string_append (out, "<section class=\"schema\" id=\"schema-");
      append_html (out, l->data);
      g_string_append (out, "\"><h3>");
      append_html (out, l->data);
      g_string_append (out, "</h3>\n<p>");
      append_html (out, member_string (schema, "description"));
      g_string_append (out, "</p>\n<table><tr><th>Field</th><th>Type</th><th>Meaning</th></tr>\n");
      for (GList *f = fields; f != NULL; f = f->next)
        {
          JsonObject *field = member_object (props, f->data);

          g_string_append (out, "<tr><td><code>");
          append_html (out, f->data);
          g_string_append (out, "</code></td><td>");
          append_schema (out, field);
          g_string_append (out, "</td><td>");
          append_html (out, member_string (field, "description"));
          g_string_append (out, "</td></tr>\n");
        }
      g_string_append (out, "</table></section>\n");
    }
}

/**
 * ps_live_docs_html:
 *
 * A self-contained HTML page (inline CSS, no scripts, no fonts to fetch)
 * listing every operation of the OpenAPI document, then its schemas.
 *
 * Returns: (transfer full): the page, or NULL if the document is broken.
 */
char *
ps_live_docs_html (GError **error)
{
  g_autoptr(GBytes) bytes = ps_live_openapi_bytes ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  JsonObject *doc, *info, *paths;
  g_autoptr(GList) path_names = NULL;
  GString *out;

  if (!json_parser_load_from_data (parser, data, (gssize) size, error))
    return NULL;
  doc = json_node_get_object (json_parser_get_root (parser));
  info = member_object (doc, "info");
  paths = member_object (doc, "paths");
  path_names = paths ? json_object_get_members (paths) : NULL;

  out = g_string_new ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>");
  append_html (out, member_string (info, "title"));
  g_string_append (out, "</title>\n<style>\n"
                   "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;"
                   "line-height:1.4;color:#222}\n"
                   "code{background:#f3f3f3;padding:0 .2em}\n"
                   ".op,.schema{border-top:1px solid #ccc;padding-top:.5em}\n"
                   ".method{display:inline-block;min-width:4em;color:#fff;background:#2a6;"
                   "padding:0 .4em;border-radius:3px}\n"
                   "table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;"
                   "text-align:left;vertical-align:top}\n"
                   "</style></head><body>\n<h1>");
  append_html (out, member_string (info, "title"));
  g_string_append (out, " <small>");
  append_html (out, member_string (info, "version"));
  g_string_append (out, "</small></h1>\n<p>");
  append_html (out, member_string (info, "description"));
  g_string_append (out, "</p>\n<p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a> "
                   "(OpenAPI ");
  append_html (out, member_string (doc, "openapi"));
  g_string_append (out, ").</p>\n<h2>Operations</h2>\n");
  for (GList *l = path_names; l != NULL; l = l->next)
    {
      JsonObject *item = member_object (paths, l->data);
      g_autoptr(GList) methods = item ? json_object_get_members (item) : NULL;

      for (GList *m = methods; m != NULL; m = m->next)
        if (member_object (item, m->data) != NULL)
          append_operation (out, l->data, m->data, member_object (item, m->data));
    }
  append_schemas (out, member_object (member_object (doc, "components"), "schemas"));
  g_string_append (out, "</body></html>\n");
  return g_string_free (out, FALSE);
}
