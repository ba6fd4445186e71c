/* ps-traffic.c: priority and work of a new request
 *
 * The order of draws is part of the model's reproducibility: priority
 * (only when the group has more than one), then work, then the request
 * leg (only with latency).  Changing it would change every run's numbers.
 */
#include "ps-traffic.h"

/**
 * ps_priority_mix_init:
 * @weights: (array length=n): >= 0, positive sum
 * @n: 1..PS_MAX_PRIORITIES
 */
void
ps_priority_mix_init (PsPriorityMix *mix, const double *weights, guint n)
{
  g_return_if_fail (n >= 1 && n <= PS_MAX_PRIORITIES);

  *mix = (PsPriorityMix) { .n = n };
  for (guint p = 0; p < n; p++)
    {
      mix->total += weights[p];
      mix->cumulative[p] = mix->total;
    }
}

/* Draws a priority; one priority draws nothing from @rng. */
guint
ps_priority_mix_draw (const PsPriorityMix *mix, PsRng *rng)
{
  double u;
  guint p = 0;

  if (mix->n == 1)
    return 0;
  u = ps_rng_double (rng) * mix->total;
  while (p + 1 < mix->n && u >= mix->cumulative[p])
    p++;
  return p;
}

/**
 * ps_traffic_new_request:
 * @request: a freshly allocated slot (ps_request_table_alloc())
 * @id: unique in the run, in creation order
 * @created: the instant the request is generated (scenario time)
 * @work: the group's service-time distribution
 * @row: (nullable): a replayed request: its priority and work, if given,
 *   are taken instead of drawn
 * @latency: (nullable): the scenario's network latency, when it has one
 *
 * Fills @request for @client, drawing from the client's traffic stream in
 * the model's order.  Does not queue it: see ps_client_enqueue().
 *
 * Returns: the request leg's delay drawn from @latency, or 0.
 */
PsTime
ps_traffic_new_request (PsRequest *request, guint64 id, PsClient *client,
                        PsTime created, const PsPriorityMix *mix, const PsDist *work,
                        const PsReplayRow *row, const PsDist *latency)
{
  request->id = id;
  request->client = client->id;
  request->created = created;
  request->priority = (guint8) (row != NULL && row->priority != PS_REPLAY_NO_PRIORITY
                                ? row->priority
                                : ps_priority_mix_draw (mix, &client->traffic));
  request->work = row != NULL && row->work != PS_REPLAY_NO_WORK
                  ? row->work : ps_dist_sample (work, &client->traffic);
  return latency != NULL ? ps_dist_sample (latency, &client->traffic) : 0;
}
