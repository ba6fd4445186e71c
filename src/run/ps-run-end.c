/* ps-run-end.c: pending requests, the summary, the conservation check */
#include "ps-run-end.h"

G_DEFINE_QUARK (ps-run-error-quark, ps_run_error)

static int
compare_by_id (gconstpointer a, gconstpointer b)
{
  guint64 ia = ((const PsRequest *) a)->id, ib = ((const PsRequest *) b)->id;

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

  if (n_lanes == 0)
    return;
  if (lanes[0].sink->request == NULL)   /* nobody reads the rows: count them */
    {
      for (guint i = 0; i < n_lanes; i++)
        for (guint64 n = ps_request_table_n_live (lanes[i].requests); n > 0; n--)
          ps_run_stats_on_pending (into);
      return;
    }
  pending = g_array_new (FALSE, FALSE, sizeof (PsRequest));
  for (guint i = 0; i < n_lanes; i++)
    {
      PsRequestTable *table = lanes[i].requests;

      for (guint32 slot = 0; slot < ps_request_table_n_slots (table); slot++)
        {
          PsRequest *req = ps_request_table_get (table, slot);

          if (req->state == PS_REQUEST_FREE)
            continue;
          req->outcome = PS_OUTCOME_PENDING;
          g_array_append_val (pending, *req);
        }
    }
  g_array_sort (pending, compare_by_id);
  for (guint i = 0; i < pending->len; i++)
    {
      const PsRequest *req = &g_array_index (pending, PsRequest, i);
      const PsClient *client = &lanes[0].pop->clients[req->client];
      char name[96];

      ps_run_stats_on_pending (into);
      ps_population_client_name (lanes[0].pop, client, name, sizeof name);
      lanes[0].sink->request (lanes[0].sink->user_data, req, name, client->ip);
    }
  for (guint i = 0; i < n_lanes; i++)
    {
      PsRequestTable *table = lanes[i].requests;

      for (guint32 slot = 0; slot < ps_request_table_n_slots (table); slot++)
        if (ps_request_table_get (table, slot)->state != PS_REQUEST_FREE)
          ps_request_table_release (table, slot);
    }
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
  s->bin = sc->bin;
  s->n_clients = pop->n_clients;
}

/* Checks conservation, then reports the summary.  Fails (and reports
 * nothing) if a request went missing. */
gboolean
ps_run_conclude (const PsRunSummary *s, const PsRecordSink *sink, GError **error)
{
  const PsTotals *t = &s->totals;

  if (!ps_totals_conserved (t))
    {
      g_set_error (error, PS_RUN_ERROR, PS_RUN_ERROR_CONSERVATION,
                   "conservation violated: generated %" G_GUINT64_FORMAT
                   " != completed %" G_GUINT64_FORMAT " + rejected %" G_GUINT64_FORMAT
                   " + dropped %" G_GUINT64_FORMAT " + pending %" G_GUINT64_FORMAT,
                   t->generated, t->completed, t->rejected, t->dropped, t->pending);
      return FALSE;
    }
  if (sink != NULL && sink->summary != NULL)
    sink->summary (sink->user_data, s);
  return TRUE;
}
