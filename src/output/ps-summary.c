/* ps-summary.c: the shape of summary.json
 *
 * Field names are an interface (docs/design.md, "The run directory");
 * other tools, sweeps and the charts read them.  Times are in seconds.
 * Everything but engine.wall_s and engine.events_per_s is a pure function
 * of scenario and seed.
 */
#include "ps-summary.h"

#include "ps-json-writer.h"
#include "ps-stability.h"


/* @part's share of @whole; 0 when @whole is. */
static double
share (guint64 part, guint64 whole)
{
  return whole ? (double) part / (double) whole : 0;
}

/* mean, p50, p95, p99 and max in seconds; null when nothing completed. */
static void
write_latency_fields (PsJsonWriter *w, const PsHistogram *h)
{
  if (ps_histogram_count (h) == 0)
    {
      const char *const fields[] = { "mean", "p50", "p95", "p99", "max" };

      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        ps_json_null (w, fields[i]);
      return;
    }
  ps_json_double (w, "mean", ps_histogram_mean (h) / 1e6, 6);
  ps_json_double (w, "p50", ps_histogram_quantile (h, 0.50) / 1e6, 6);
  ps_json_double (w, "p95", ps_histogram_quantile (h, 0.95) / 1e6, 6);
  ps_json_double (w, "p99", ps_histogram_quantile (h, 0.99) / 1e6, 6);
  ps_json_double (w, "max", ps_histogram_max (h) / 1e6, 6);
}

static void
write_latency (PsJsonWriter *w, const char *key, const PsHistogram *h)
{
  ps_json_begin_object (w, key);
  ps_json_u64 (w, "count", ps_histogram_count (h));
  write_latency_fields (w, h);
  ps_json_end_object (w);
}

/* groups.<name>: what people compare groups and sweep points on. */
static void
write_groups (PsJsonWriter *w, const PsRunSummary *s)
{
  ps_json_begin_object (w, "groups");
  for (guint g = 0; g < s->n_groups; g++)
    {
      const PsGroupSummary *gs = &s->groups[g];

      ps_json_begin_object (w, gs->name);
      ps_json_u64 (w, "clients", gs->clients);
      ps_json_u64 (w, "generated", gs->generated);
      ps_json_u64 (w, "completed", gs->completed);
      ps_json_u64 (w, "rejected", gs->rejected);
      ps_json_u64 (w, "dropped", gs->dropped);
      ps_json_u64 (w, "pending", gs->pending);
      ps_json_u64 (w, "attempts", gs->attempts);
      ps_json_u64 (w, "responses_429", gs->responses_429);
      ps_json_u64 (w, "responses_503", gs->responses_503);
      ps_json_double (w, "rate_429", share (gs->responses_429, gs->attempts), 6);
      ps_json_double (w, "rate_503", share (gs->responses_503, gs->attempts), 6);
      if (gs->generated > 0)
        ps_json_double (w, "served", share (gs->completed, gs->generated), 6);
      else
        ps_json_null (w, "served");
      ps_json_begin_object (w, "latency_s");
      write_latency_fields (w, gs->latency);
      ps_json_end_object (w);
      ps_json_end_object (w);
    }
  ps_json_end_object (w);
}

static void
write_policies (PsJsonWriter *w, const char *key, const PsQuotaPolicy *policies, guint n)
{
  ps_json_begin_array (w, key);
  for (guint i = 0; i < n; i++)
    {
      const PsQuotaPolicy *p = &policies[i];

      ps_json_begin_object (w, NULL);
      ps_json_string (w, "name", p->name);
      ps_json_string (w, "algorithm", ps_quota_algorithm_to_string (p->algorithm));
      ps_json_u64 (w, "limit", p->limit);
      ps_json_double (w, "window_s", (double) p->window / 1e6, 6);
      ps_json_u64 (w, "burst", ps_quota_policy_burst (p));
      ps_json_end_object (w);
    }
  ps_json_end_array (w);
}

static void
write_config (PsJsonWriter *w, const PsRunSummary *s)
{
  ps_json_begin_object (w, "config");
  ps_json_u64 (w, "clients", s->n_clients);
  ps_json_u64 (w, "workers", s->workers);
  ps_json_u64 (w, "queue", s->queue);
  ps_json_double (w, "bin_s", (double) s->bin / 1e6, 6);
  write_policies (w, "quota", s->quota, s->n_quota);
  /* the other tiers, first match wins: what each client's own limit is */
  ps_json_begin_array (w, "overrides");
  for (guint i = 0; i < s->n_overrides; i++)
    {
      const PsTierRecord *t = &s->overrides[i];

      ps_json_begin_object (w, NULL);
      if (t->group != NULL)
        ps_json_string (w, "group", t->group);
      if (t->has_cidr)
        {
          char base[PS_IPV4_STR_LEN];
          g_autofree char *cidr = g_strdup_printf ("%s/%u", ps_ipv4_format (t->cidr.base, base),
                                                   t->cidr.prefix);

          ps_json_string (w, "cidr", cidr);
        }
      write_policies (w, "quota", t->policies, t->n_policies);
      ps_json_end_object (w);
    }
  ps_json_end_array (w);
  ps_json_end_object (w);
}

static void
write_requests (PsJsonWriter *w, const PsRunSummary *s)
{
  const PsTotals *t = &s->totals;

  ps_json_begin_object (w, "requests");
  ps_json_u64 (w, "generated", t->generated);
  ps_json_u64 (w, "completed", t->completed);
  ps_json_u64 (w, "rejected", t->rejected);
  ps_json_u64 (w, "dropped", t->dropped);
  ps_json_u64 (w, "pending", t->pending);
  ps_json_u64 (w, "attempts", t->attempts);
  ps_json_u64 (w, "responses_200", t->responses_200);
  ps_json_u64 (w, "responses_429", t->responses_429);
  ps_json_u64 (w, "responses_503", t->responses_503);
  ps_json_double (w, "rate_429", share (t->responses_429, t->attempts), 6);
  ps_json_double (w, "rate_503", share (t->responses_503, t->attempts), 6);
  if (t->generated > 0)
    ps_json_double (w, "served", share (t->completed, t->generated), 6);
  else
    ps_json_null (w, "served");
  ps_json_begin_object (w, "responses_429_by_policy");
  for (guint i = 0; i < s->n_policy_names; i++)
    ps_json_u64 (w, s->policy_names[i], s->policy_429[i]);
  ps_json_end_object (w);
  ps_json_string (w, "conservation", ps_totals_conserved (t) ? "ok" : "VIOLATED");
  ps_json_end_object (w);
}

static void
write_periods (PsJsonWriter *w, const char *key, double before, double during,
               double after)
{
  ps_json_begin_object (w, key);
  ps_json_double (w, "before", before, 6);
  ps_json_double (w, "during", during, 6);
  ps_json_double (w, "after", after, 6);
  ps_json_end_object (w);
}

/* stability: the verdict of a run with faults (ps-stability.h). */
static void
write_stability (PsJsonWriter *w, const PsStabilitySummary *st)
{
  ps_json_begin_object (w, "stability");
  ps_json_double (w, "fault_start_s", (double) st->fault_start / 1e6, 6);
  ps_json_double (w, "fault_end_s", (double) st->fault_end / 1e6, 6);
  write_periods (w, "goodput_per_s", st->goodput_before, st->goodput_during,
                 st->goodput_after);
  ps_json_bool (w, "recovered", st->recovered);
  ps_json_double (w, "recovery_s", st->recovery_s, 6);
  write_periods (w, "amplification", st->amplification_before, st->amplification_during,
                 st->amplification_after);
  ps_json_double (w, "orphaned_share", st->orphaned_share, 6);
  ps_json_u64 (w, "throttled_locally", st->throttled_locally);
  ps_json_u64 (w, "timeouts", st->timeouts);
  ps_json_end_object (w);
}

/* Returns: (transfer full): the whole document. */
char *
ps_summary_to_json (const PsRunSummary *s)
{
  g_autoptr(PsJsonWriter) w = ps_json_writer_new ();
  char fingerprint[24];

  ps_json_begin_object (w, NULL);
  ps_json_string (w, "scenario", s->scenario);
  ps_json_string (w, "description", s->description ? s->description : "");
  ps_json_u64 (w, "seed", s->seed);
  ps_json_string (w, "mode", s->mode);
  if (s->command != NULL)
    ps_json_string (w, "command", s->command);
  else
    ps_json_null (w, "command");
  ps_json_double (w, "duration_s", (double) s->duration / 1e6, 6);
  write_config (w, s);
  write_requests (w, s);

  ps_json_begin_object (w, "latency_s");
  write_latency (w, "all", s->latency_all);
  ps_json_begin_object (w, "by_priority");
  for (guint p = 0; p < s->n_priorities; p++)
    {
      char key[8];

      g_snprintf (key, sizeof key, "%u", p);
      write_latency (w, key, s->latency_by_priority[p]);
    }
  ps_json_end_object (w);
  ps_json_end_object (w);
  write_groups (w, s);

  ps_json_begin_object (w, "pool");
  ps_json_double (w, "mean_occupancy", s->pool_mean, 6);
  ps_json_u64 (w, "max_occupancy", s->pool_max);
  ps_json_double (w, "utilization", s->workers ? s->pool_mean / s->workers : 0, 6);
  ps_json_end_object (w);

  ps_json_begin_object (w, "fairness");
  ps_json_double (w, "jain", s->jain, 6);
  ps_json_end_object (w);

  if (s->stability != NULL)
    write_stability (w, s->stability);

  if (s->schedule_lag != NULL)
    {
      ps_json_begin_object (w, "live");
      ps_json_double (w, "time_scale", s->time_scale, 6);
      ps_json_begin_object (w, "schedule_lag_s");
      ps_json_u64 (w, "count", ps_histogram_count (s->schedule_lag));
      write_latency_fields (w, s->schedule_lag);
      ps_json_end_object (w);
      ps_json_end_object (w);
    }

  g_snprintf (fingerprint, sizeof fingerprint, "%016" G_GINT64_MODIFIER "x", s->fingerprint);
  ps_json_begin_object (w, "engine");
  ps_json_u64 (w, "events", s->events);
  ps_json_string (w, "fingerprint", fingerprint);
  ps_json_double (w, "wall_s", s->wall_s, 6);
  ps_json_double (w, "events_per_s", s->wall_s > 0 ? (double) s->events / s->wall_s : 0, 1);
  ps_json_end_object (w);
  ps_json_end_object (w);
  return ps_json_writer_steal (w);
}
