/* ps-run-end.c: pending requests, the summary, the conservation check */
#include "ps-run-end.h"

G_DEFINE_QUARK (ps-run-error-quark, ps_run_error)

/* A pending request: its id, to sort on without touching the request
 * again, and where it is. */
typedef struct
{
  guint64 id;
  guint32 lane;
  guint32 slot;
} Pending;

static int
compare_by_id (gconstpointer a, gconstpointer b)
{
  guint64 ia = ((const Pending *) a)->id, ib = ((const Pending *) b)->id;

  return ia < ib ? -1 : ia > ib;
}

/**
 * ps_run_finish_pending:
 * @lanes: (array length=n_lanes): every lane of the run; their sink is one
 * @into: the stats that count the pending requests
 *
 * Requests still queued at their client or at the server when the run
 * ended are pending: their records are written by id, whichever lane
 * held them, and their slots freed.
 */
void
ps_run_finish_pending (PsRunLane *lanes, guint n_lanes, PsRunStats *into)
{
  g_autoptr(GArray) pending = NULL;
  guint64 n_live = 0;

  for (guint i = 0; i < n_lanes; i++)
    {
      n_live += ps_request_table_n_live (lanes[i].requests);
      for (guint32 slot = 0; slot < ps_request_table_n_slots (lanes[i].requests); slot++)
        if (ps_request_table_get (lanes[i].requests, slot)->state == PS_REQUEST_SENT)
          ps_run_stats_on_in_flight (into);      /* its attempt is still awaited */
    }
  if (n_lanes == 0 || lanes[0].sink->request == NULL)
    {
      /* nobody reads the rows: no order to keep (the chart tally needs none) */
      for (guint i = 0; i < n_lanes; i++)
        for (guint32 slot = 0; slot < ps_request_table_n_slots (lanes[i].requests); slot++)
          {
            PsRequest *req = ps_request_table_get (lanes[i].requests, slot);

            if (req->state == PS_REQUEST_FREE)
              continue;
            req->outcome = PS_OUTCOME_PENDING;
            ps_run_stats_on_pending (into);
            ps_run_lane_finish_request (&lanes[i], slot, -1);
          }
      return;
    }
  pending = g_array_sized_new (FALSE, FALSE, sizeof (Pending), (guint) n_live);
  for (guint i = 0; i < n_lanes; i++)
    for (guint32 slot = 0; slot < ps_request_table_n_slots (lanes[i].requests); slot++)
      {
        const PsRequest *req = ps_request_table_get (lanes[i].requests, slot);
        Pending p = { req->id, i, slot };

        if (req->state != PS_REQUEST_FREE)
          g_array_append_val (pending, p);
      }
  g_array_sort (pending, compare_by_id);
  for (guint i = 0; i < pending->len; i++)
    {
      const Pending *p = &g_array_index (pending, Pending, i);
      PsRunLane *lane = &lanes[p->lane];

      ps_request_table_get (lane->requests, p->slot)->outcome = PS_OUTCOME_PENDING;
      ps_run_stats_on_pending (into);
      ps_run_lane_finish_request (lane, p->slot, -1);
    }
}

/* Each group's figures: the sums of its clients' counters.  What is
 * neither completed, rejected nor dropped is pending. */
static void
summarize_groups (PsRunSummary *s, PsPopulation *pop, const PsRunStats *stats)
{
  const PsScenario *sc = pop->scenario;

  for (guint g = 0; g < sc->n_groups; g++)
    pop->group_summaries[g] = (PsGroupSummary) {
      .name = sc->groups[g].name,
      .latency = ps_run_stats_group_latency (stats, g),
    };
  for (guint32 id = 0; id < pop->n_clients; id++)
    {
      const PsClient *c = &pop->clients[id];
      PsGroupSummary *gs = &pop->group_summaries[c->group];

      gs->clients++;
      gs->generated += c->generated;
      gs->completed += c->completed;
      gs->rejected += c->rejected;
      gs->dropped += c->dropped;
      gs->pending += c->generated - c->completed - c->rejected - c->dropped;
      gs->attempts += c->attempts;
      gs->responses_429 += c->n429;
      gs->responses_503 += c->n503;
    }
  s->groups = pop->group_summaries;
  s->n_groups = sc->n_groups;
}

/* The names of the clients the chart tally followed. */
static void
name_chart_clients (PsRunSummary *s, PsPopulation *pop)
{
  g_ptr_array_set_size (pop->chart_names, 0);
  for (guint i = 0; i < ps_chart_tally_n_clients (pop->charts); i++)
    {
      const PsChartClient *c = ps_chart_tally_client (pop->charts, i);
      char name[96];

      ps_population_client_name (pop, &pop->clients[c->client], name, sizeof name);
      g_ptr_array_add (pop->chart_names, g_strdup (name));
    }
  g_ptr_array_add (pop->chart_names, NULL);
  s->charts = pop->charts;
  s->chart_names = (const char * const *) pop->chart_names->pdata;
}

/* Checks that the chart tally saw every request once: its groups' outcome
 * counts against the run's totals. */
static gboolean
charts_conserved (const PsRunSummary *s, GError **error)
{
  guint64 sum[PS_CHART_N_OUTCOMES] = { 0 };
  const PsTotals *t = &s->totals;

  if (s->charts == NULL)
    return TRUE;
  for (guint g = 0; g < ps_chart_tally_n_groups (s->charts); g++)
    for (guint o = 0; o < PS_CHART_N_OUTCOMES; o++)
      sum[o] += ps_chart_tally_group (s->charts, g)->outcomes[o];
  if (sum[PS_OUTCOME_COMPLETED] == t->completed && sum[PS_OUTCOME_REJECTED] == t->rejected
      && sum[PS_OUTCOME_DROPPED] == t->dropped && sum[PS_OUTCOME_PENDING] == t->pending)
    return TRUE;
  g_set_error (error, PS_RUN_ERROR, PS_RUN_ERROR_CONSERVATION,
               "the final records do not add up to the run's counts: completed %"
               G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT ", rejected %" G_GUINT64_FORMAT
               "/%" G_GUINT64_FORMAT ", dropped %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
               ", pending %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
               sum[PS_OUTCOME_COMPLETED], t->completed, sum[PS_OUTCOME_REJECTED],
               t->rejected, sum[PS_OUTCOME_DROPPED], t->dropped,
               sum[PS_OUTCOME_PENDING], t->pending);
  return FALSE;
}

/**
 * ps_run_summarize:
 * @mode: "sim" or "live"
 *
 * Fills @summary from the scenario, the population and @stats (the whole
 * run's counters).  Pointers in @summary borrow from its arguments.  The
 * driver then adds what only it knows: pool figures if it measured them
 * better, wall time, fingerprint, Jain's index (from the client report).
 */
void
ps_run_summarize (PsRunSummary *s, const PsPopulation *pop, const PsRunStats *stats,
                  const char *mode)
{
  const PsScenario *sc = pop->scenario;

  ps_run_stats_fill_summary (stats, s);
  s->scenario = sc->name;
  s->description = sc->description;
  s->mode = mode;
  s->seed = sc->seed;
  s->duration = ps_run_stats_get_duration (stats);
  s->workers = sc->workers;
  s->queue = sc->queue;
  s->quota = sc->quota;
  s->n_quota = sc->n_quota;
  s->overrides = pop->tiers;
  s->n_overrides = sc->n_overrides;
  s->bin = sc->bin;
  s->n_clients = pop->n_clients;
  summarize_groups (s, (PsPopulation *) pop, stats);
  name_chart_clients (s, (PsPopulation *) pop);
}

/* Checks conservation, of requests and of attempts, then reports the
 * summary.  Fails (and reports nothing) if a request or an attempt went
 * missing. */
gboolean
ps_run_conclude (const PsRunSummary *s, const PsRecordSink *sink, GError **error)
{
  const PsTotals *t = &s->totals;
  PsTotals sum = { 0 };

  for (guint g = 0; g < s->n_groups; g++)
    {
      sum.generated += s->groups[g].generated;
      sum.completed += s->groups[g].completed;
      sum.rejected += s->groups[g].rejected;
      sum.dropped += s->groups[g].dropped;
      sum.pending += s->groups[g].pending;
    }
  if (s->n_groups > 0
      && (sum.generated != t->generated || sum.completed != t->completed
          || sum.rejected != t->rejected || sum.dropped != t->dropped
          || sum.pending != t->pending))
    {
      g_set_error (error, PS_RUN_ERROR, PS_RUN_ERROR_CONSERVATION,
                   "the groups' counts do not add up to the run's: generated %"
                   G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT ", completed %" G_GUINT64_FORMAT
                   "/%" G_GUINT64_FORMAT ", pending %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT,
                   sum.generated, t->generated, sum.completed, t->completed,
                   sum.pending, t->pending);
      return FALSE;
    }
  if (!ps_totals_conserved (t))
    {
      g_set_error (error, PS_RUN_ERROR, PS_RUN_ERROR_CONSERVATION,
                   "conservation violated: generated %" G_GUINT64_FORMAT
                   " != completed %" G_GUINT64_FORMAT " + rejected %" G_GUINT64_FORMAT
                   " + dropped %" G_GUINT64_FORMAT " + pending %" G_GUINT64_FORMAT,
                   t->generated, t->completed, t->rejected, t->dropped, t->pending);
      return FALSE;
    }
  if (!charts_conserved (s, error))
    return FALSE;
  if (!ps_totals_attempts_conserved (t))
    {
      g_set_error (error, PS_RUN_ERROR, PS_RUN_ERROR_CONSERVATION,
                   "attempts not conserved: %" G_GUINT64_FORMAT " sent != %" G_GUINT64_FORMAT
                   " answered + %" G_GUINT64_FORMAT " timed out + %" G_GUINT64_FORMAT
                   " still awaited", t->attempts, t->answered, t->timeouts, t->in_flight);
      return FALSE;
    }
  if (sink != NULL && sink->summary != NULL)
    sink->summary (sink->user_data, s);
  return TRUE;
}
