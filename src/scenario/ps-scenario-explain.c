/* ps-scenario-explain.c: the load a scenario offers, from its numbers
 *
 * Per client: the arrival process's mean rate; the quota's long-run rate
 * (the tightest of its stacked policies, limit / window; bursts only
 * change the start); the concurrency cap, concurrency / (service + two
 * network latencies), which is Little's law for a client that never has
 * more than that many requests out.  The pool sees the sum of what gets
 * through, and the M/M/c/K model (Poisson arrivals, exponential service,
 * c workers, K queue places) estimates how often an arrival is refused
 * or waits.
 */
#include "ps-scenario-explain.h"

#include <math.h>

void
ps_explain_free (PsExplain *e)
{
  if (e == NULL)
    return;
  for (guint g = 0; g < e->n_groups; g++)
    g_free (e->groups[g].quota_text);
  g_free (e->groups);
  g_clear_pointer (&e->warnings, g_ptr_array_unref);
  g_free (e);
}

/**
 * ps_mmck_blocking:
 * @out_waiting: (optional): P(an arrival waits for a worker)
 *
 * M/M/c/K with c = @servers, K = @queue: p_n ∝ a^n / n! for n <= c and
 * p_c ρ^(n−c) above.  Blocking is p_{c+K} (Erlang B when K = 0).
 * Computed with terms relative to p_0 scaled as they go, so large c and
 * a neither overflow nor lose precision.
 */
double
ps_mmck_blocking (guint servers, guint queue, double a, double *out_waiting)
{
  double term = 1, sum = 1, waiting = 0, last = 1;
  double rho = a / servers;

  for (guint n = 1; n <= servers + queue; n++)
    {
      term *= n <= servers ? a / n : rho;
      sum += term;
      if (n >= servers && n < servers + queue)
        waiting += term;
      last = term;
      if (sum > 1e250)                     /* rescale: only ratios matter */
        {
          term /= 1e250, sum /= 1e250, waiting /= 1e250, last /= 1e250;
        }
    }
  if (out_waiting != NULL)
    *out_waiting = queue > 0 ? waiting / sum : 0;
  return last / sum;
}

/* "12.5/s", "0.2/s", "1/min" for small rates. */
char *
ps_explain_format_rate (double per_s)
{
  if (isinf (per_s))
    return g_strdup ("unlimited");
  if (per_s > 0 && per_s < 0.1)
    return g_strdup_printf ("%.3g/min", per_s * 60);
  if (per_s >= 1000)
    return g_strdup_printf ("%.0f/s", per_s);
  return g_strdup_printf ("%.3g/s", per_s);
}

static char *
format_window (PsTime window)
{
  if (window % PS_TIME_FROM_SEC (3600) == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h", window / PS_TIME_FROM_SEC (3600));
  if (window % PS_TIME_FROM_SEC (60) == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m", window / PS_TIME_FROM_SEC (60));
  return g_strdup_printf ("%gs", (double) window / 1e6);
}

static void
explain_quota (const PsScenario *sc, guint g, PsExplainGroup *out)
{
  guint n = 0;
  const PsQuotaPolicy *p = ps_scenario_quota_for (sc, g, ps_client_group_address (&sc->groups[g], 0), &n);
  GString *text = g_string_new (NULL);

  out->quota_rate = INFINITY;
  out->quota_override = p != sc->quota;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *window = format_window (p[i].window);

      out->quota_rate = MIN (out->quota_rate, (double) p[i].limit / ((double) p[i].window / 1e6));
      g_string_append_printf (text, "%s%u per %s (%s)", i ? " + " : "", p[i].limit, window,
                              ps_quota_algorithm_to_string (p[i].algorithm));
    }
  out->quota_text = g_string_free (text, FALSE);
}

static void
warn (PsExplain *e, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
warn (PsExplain *e, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (e->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
check_priorities (PsExplain *e, const PsClientGroup *group)
{
  double sum = 0;
  GString *shares;

  for (guint i = 0; i < group->n_priorities; i++)
    sum += group->priorities[i];
  if (group->n_priorities < 2 || fabs (sum - 1) < 1e-9)
    return;
  shares = g_string_new (NULL);
  for (guint i = 0; i < group->n_priorities; i++)
    g_string_append_printf (shares, "%s%.3g", i ? ", " : "", group->priorities[i] / sum);
  warn (e, "group \"%s\": priorities add up to %g, not 1; they are read as weights, "
        "so the shares of priorities 0..%u are %s", group->name, sum,
        group->n_priorities - 1, shares->str);
  g_string_free (shares, TRUE);
}

/**
 * ps_scenario_explain:
 *
 * Returns: (transfer full): the estimates, with warnings for a pool the
 * load cannot fit in and for clients whose concurrency cannot carry
 * their own arrival rate.
 */
PsExplain *
ps_scenario_explain (const PsScenario *sc)
{
  PsExplain *e = g_new0 (PsExplain, 1);
  double work = 0;                 /* Σ admitted × service, Erlangs */

  e->warnings = g_ptr_array_new_with_free_func (g_free);
  e->n_groups = sc->n_groups;
  e->groups = g_new0 (PsExplainGroup, sc->n_groups);
  for (guint g = 0; g < sc->n_groups; g++)
    {
      const PsClientGroup *group = &sc->groups[g];
      PsExplainGroup *x = &e->groups[g];
      guint concurrency = group->policy.concurrency;

      x->name = group->name;
      x->clients = group->count;
      x->rate = ps_arrival_mean_rate (&group->arrival);
      explain_quota (sc, g, x);
      x->service_s = ps_dist_mean (ps_client_group_work (sc, g)) / 1e6;
      x->latency_s = ps_scenario_has_latency (sc) ? ps_dist_mean (&sc->network_latency) / 1e6 : 0;
      x->concurrency_cap = concurrency == 0 ? INFINITY
                           : concurrency / (x->service_s + 2 * x->latency_s);
      x->admitted = MIN (x->rate, MIN (x->quota_rate, x->concurrency_cap));
      e->offered += x->rate * x->clients;
      e->admitted += x->admitted * x->clients;
      work += x->admitted * x->clients * x->service_s;
      if (x->concurrency_cap < x->rate)
        {
          g_autofree char *rate = ps_explain_format_rate (x->rate);
          g_autofree char *cap = ps_explain_format_rate (x->concurrency_cap);

          warn (e, "group \"%s\": each client sends %s, but concurrency %u with %.3g s per "
                "request caps it at %s; requests will pile up in the clients' queues",
                group->name, rate, concurrency, x->service_s + 2 * x->latency_s, cap);
        }
      check_priorities (e, group);
    }
  e->erlangs = work;
  e->rho = work / sc->workers;
  e->blocking = ps_mmck_blocking (sc->workers, sc->queue, work, &e->waiting);
  if (e->rho >= 1)
    warn (e, "the pool is offered %.3g Erlangs of work for %u workers (load %.2f): it "
          "cannot keep up, so about %.0f%% of attempts will be answered 503 or wait",
          work, sc->workers, e->rho, 100 * (1 - 1 / e->rho));
  return e;
}

/**
 * ps_scenario_memory_estimate:
 *
 * The memory a run of @scenario needs at its peak, in bytes, from what
 * was measured (release build): about 480 bytes per client (its state,
 * streams, address, counters and record) and 160 per request held at
 * once by an initial backlog (the request, its queue entry, the table's
 * growth), over an 8 MiB base.  Requests that arrive over time are not
 * counted: memory grows with those in flight, which a run bounds.
 */
guint64
ps_scenario_memory_estimate (const PsScenario *sc)
{
  guint64 bytes = G_GUINT64_CONSTANT (8) << 20;

  for (guint g = 0; g < sc->n_groups; g++)
    bytes += (guint64) sc->groups[g].count * (480 + 160 * (guint64) sc->groups[g].initial_backlog);
  return bytes;
}
