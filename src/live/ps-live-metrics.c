/* ps-live-metrics.c: the exposition text
 *
 * The duration histogram is cut from a PsHistogram at fixed bounds with
 * ps_histogram_count_le(), so bucket counts are within the histogram's
 * 0.4% bucket width of exact; _sum and _count are exact.
 */
#include "ps-live-metrics.h"

static const double bounds_s[] = {
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
};

static void
header (GString *out, const char *name, const char *type, const char *help)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
sample_u64 (GString *out, const char *name, const char *labels, guint64 value)
{
  g_string_append_printf (out, "%s%s %" G_GUINT64_FORMAT "\n", name, labels, value);
}

static void
sample_double (GString *out, const char *name, const char *labels, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, "%s%s %s\n", name, labels,
                          g_ascii_formatd (buf, sizeof buf, "%.6f", value));
}

static void
responses (GString *out, const PsLiveServerCounters *c)
{
  header (out, "poolsim_responses_total", "counter",
          "Answers by status code: every answer to POST /v1/requests, and the errors of any path and of refused heads.");
  for (guint k = 0; k < PS_LIVE_N_STATUS; k++)
    {
      char labels[32];
      guint code = ps_live_status_code (k);

      if (code != 0)
        g_snprintf (labels, sizeof labels, "{status=\"%u\"}", code);
      else
        g_snprintf (labels, sizeof labels, "{status=\"other\"}");
      sample_u64 (out, "poolsim_responses_total", labels, c->responses[k]);
    }
}

static void
pool (GString *out, const PsLivePoolStats *p, const PsLiveServerCounters *c)
{
  header (out, "poolsim_admitted_total", "counter", "Requests admitted into the pool.");
  sample_u64 (out, "poolsim_admitted_total", "", p->admitted);
  header (out, "poolsim_rejected_total", "counter", "Requests refused, by reason.");
  sample_u64 (out, "poolsim_rejected_total", "{reason=\"quota\"}", p->rejected_429);
  sample_u64 (out, "poolsim_rejected_total", "{reason=\"pool_full\"}", p->rejected_503);
  header (out, "poolsim_pool_workers", "gauge", "Workers in the pool (its capacity).");
  sample_u64 (out, "poolsim_pool_workers", "", p->workers);
  header (out, "poolsim_pool_busy", "gauge", "Requests in service now.");
  sample_u64 (out, "poolsim_pool_busy", "", p->busy);
  header (out, "poolsim_pool_busy_max", "gauge", "Most requests in service at once so far.");
  sample_u64 (out, "poolsim_pool_busy_max", "", p->max_busy);
  header (out, "poolsim_pool_busy_seconds_total", "counter",
          "Integral of requests in service over scenario time (request-seconds).");
  sample_double (out, "poolsim_pool_busy_seconds_total", "", p->busy_integral / 1e6);
  header (out, "poolsim_queue_length", "gauge", "Admitted requests waiting for a worker now.");
  sample_u64 (out, "poolsim_queue_length", "", p->queued);
  header (out, "poolsim_queue_limit", "gauge", "Capacity of the server queue.");
  sample_u64 (out, "poolsim_queue_limit", "", p->queue_limit);
  header (out, "poolsim_in_flight", "gauge", "Admitted requests not answered yet.");
  sample_u64 (out, "poolsim_in_flight", "", c->in_flight);
  header (out, "poolsim_clients_seen", "gauge", "Distinct client addresses seen.");
  sample_u64 (out, "poolsim_clients_seen", "", p->subjects);
  header (out, "poolsim_connections_swept_total", "counter",
          "Idle keep-alive connections closed by their client and cleaned up.");
  sample_u64 (out, "poolsim_connections_swept_total", "", c->connections_swept);
  header (out, "poolsim_connections_open", "gauge", "Connections open now.");
  sample_u64 (out, "poolsim_connections_open", "", c->connections_open);
  header (out, "poolsim_connections_accepted_total", "counter", "Connections accepted.");
  sample_u64 (out, "poolsim_connections_accepted_total", "", c->connections_accepted);
  header (out, "poolsim_connections_closed_total", "counter",
          "Connections the server closed, by reason.");
  sample_u64 (out, "poolsim_connections_closed_total", "{reason=\"refused\"}",
              c->connections_refused);
  sample_u64 (out, "poolsim_connections_closed_total", "{reason=\"header_timeout\"}",
              c->connections_timed_out);
  sample_u64 (out, "poolsim_connections_closed_total", "{reason=\"idle_timeout\"}",
              c->connections_idle);
  header (out, "poolsim_accept_errors_total", "counter", "Failed accept() calls.");
  sample_u64 (out, "poolsim_accept_errors_total", "", c->accept_errors);
}

static void
histogram (GString *out, const PsHistogram *h)
{
  const char *name = "poolsim_request_duration_seconds";
  char labels[48], buf[G_ASCII_DTOSTR_BUF_SIZE];
  guint64 count = ps_histogram_count (h);

  header (out, name, "histogram",
          "Time from admission to answer (server queue and service), scenario seconds.");
  for (guint i = 0; i < G_N_ELEMENTS (bounds_s); i++)
    {
      g_snprintf (labels, sizeof labels, "{le=\"%s\"}",
                  g_ascii_formatd (buf, sizeof buf, "%g", bounds_s[i]));
      sample_u64 (out, "poolsim_request_duration_seconds_bucket", labels,
                  ps_histogram_count_le (h, (PsTime) (bounds_s[i] * 1e6)));
    }
  sample_u64 (out, "poolsim_request_duration_seconds_bucket", "{le=\"+Inf\"}", count);
  sample_double (out, "poolsim_request_duration_seconds_sum", "",
                 count ? ps_histogram_mean (h) * (double) count / 1e6 : 0);
  sample_u64 (out, "poolsim_request_duration_seconds_count", "", count);
}

/* Per client group and per refusing policy: what a dashboard slices by. */
static void
labelled (GString *out, const PsLivePoolStats *p)
{
  static const char *const outcomes[] = { "admitted", "rejected_429", "rejected_503" };

  header (out, "poolsim_group_requests_total", "counter",
          "Requests by the client group of their address (\"unknown\": no scenario "
          "client) and outcome.");
  for (guint g = 0; g < p->n_groups; g++)
    {
      const guint64 values[] = { p->groups[g].admitted, p->groups[g].rejected_429,
                                 p->groups[g].rejected_503 };

      for (guint k = 0; k < G_N_ELEMENTS (outcomes); k++)
        {
          g_autofree char *labels = g_strdup_printf ("{group=\"%s\",outcome=\"%s\"}",
                                                     p->groups[g].name, outcomes[k]);

          sample_u64 (out, "poolsim_group_requests_total", labels, values[k]);
        }
    }
  header (out, "poolsim_quota_rejections_total", "counter",
          "429 answers by the name of the policy that refused.");
  for (guint i = 0; i < p->n_policies; i++)
    {
      g_autofree char *labels = g_strdup_printf ("{policy=\"%s\"}", p->policies[i].name);

      sample_u64 (out, "poolsim_quota_rejections_total", labels, p->policies[i].rejected_429);
    }
}

/* Returns: (transfer full): the whole exposition, ending with a newline. */
char *
ps_live_metrics_render (const PsLivePoolStats *p, const PsLiveServerCounters *c,
                        const PsHistogram *in_server)
{
  GString *out = g_string_sized_new (4096);

  responses (out, c);
  pool (out, p, c);
  labelled (out, p);
  histogram (out, in_server);
  header (out, "poolsim_scenario_time_seconds", "gauge",
          "Scenario seconds since the server started.");
  sample_double (out, "poolsim_scenario_time_seconds", "", (double) p->now / 1e6);
  header (out, "poolsim_time_scale", "gauge", "Scenario seconds per real second.");
  sample_double (out, "poolsim_time_scale", "", c->time_scale);
  return g_string_free (out, FALSE);
}
