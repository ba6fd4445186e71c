/* ps-live-api-json.c: the API's JSON response bodies
 *
 * Compact one-line JSON and a newline, built in a GString; strings are
 * escaped by the project's JSON writer (ps_json_append_string), times
 * printed from integers, other numbers locale-proof.
 */
#include "ps-live-api.h"

#include <math.h>

#include "ps-ipv4.h"
#include "ps-json-writer.h"
#include "ps-record.h"

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

  ps_json_append_string (out, ps_ipv4_format (ip, buf));
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

  ps_json_append_string (out, error);
  g_string_append (out, ",\"message\":");
  ps_json_append_string (out, message);
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
      ps_json_append_string (out, "over quota: retry after the number of seconds in Retry-After");
      g_string_append (out, ",\"policy\":");
      ps_json_append_string (out, policy_name != NULL ? policy_name : "");
    }
  else
    {
      g_string_append (out, "{\"error\":\"overloaded\",\"message\":");
      ps_json_append_string (out, "every worker is busy and the server queue is full");
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
  g_string_append_printf (out, "},\"connections_swept\":%" G_GUINT64_FORMAT
                          ",\"connections\":{\"open\":%" G_GUINT64_FORMAT
                          ",\"accepted\":%" G_GUINT64_FORMAT ",\"refused\":%" G_GUINT64_FORMAT
                          ",\"swept\":%" G_GUINT64_FORMAT ",\"timed_out\":%" G_GUINT64_FORMAT
                          ",\"idle_closed\":%" G_GUINT64_FORMAT ",\"accept_errors\":%"
                          G_GUINT64_FORMAT "}}\n",
                          c->connections_swept, c->connections_open, c->connections_accepted,
                          c->connections_refused, c->connections_swept,
                          c->connections_timed_out, c->connections_idle, c->accept_errors);
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
      ps_json_append_string (out, named.name);
      g_string_append (out, ",\"algorithm\":");
      ps_json_append_string (out, ps_quota_algorithm_to_string (p->algorithm));
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
