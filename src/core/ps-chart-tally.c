/* ps-chart-tally.c: outcome counts, followed clients' windows */
#include "ps-chart-tally.h"

struct _PsChartTally
{
  GArray        *priorities;             /* (element-type PsChartSeries) */
  GArray        *groups;                 /* (element-type PsChartSeries) */
  PsTime         window;                 /* 0: no quota windows */
  gboolean       overflow;               /* a window past PS_CHART_MAX_WINDOWS */
  PsChartClient  tracked[PS_CHART_TRACKED];
  guint          n_tracked;
  guint          least;                  /* the least ranked entry when last looked for */
  PsChartClient  least_rank;             /* its n429 and generated then: at most any
                                          * entry's now, since ranks only rise */
};

static GArray *
series_array_new (guint n)
{
  GArray *series = g_array_sized_new (FALSE, TRUE, sizeof (PsChartSeries), n);

  g_array_set_size (series, n);
  return series;
}

/**
 * ps_chart_tally_new:
 * @window: the quota windows' length; 0 for none
 *
 * Returns: (transfer full): an empty tally.  A client it follows has its
 * entry in its PsClient.chart_entry, which must start at 0.
 */
PsChartTally *
ps_chart_tally_new (guint n_priorities, guint n_groups, PsTime window)
{
  PsChartTally *tally = g_new0 (PsChartTally, 1);

  tally->priorities = series_array_new (n_priorities);
  tally->groups = series_array_new (n_groups);
  tally->window = MAX (window, 0);
  return tally;
}

void
ps_chart_tally_free (PsChartTally *tally)
{
  if (tally == NULL)
    return;
  g_array_unref (tally->priorities);
  g_array_unref (tally->groups);
  for (guint i = 0; i < tally->n_tracked; i++)
    {
      g_array_unref (tally->tracked[i].created);
      g_array_unref (tally->tracked[i].admitted);
    }
  g_free (tally);
}

static void
count_in (PsChartSeries *series, const PsRequest *request)
{
  series->outcomes[request->outcome]++;
}

/* TRUE when a client of (@n429, @generated) takes the place of @entry:
 * twice its 429s, or while neither has one, twice its requests.  The
 * factor keeps a population of look-alikes from churning the table. */
static gboolean
overtakes (guint64 n429, guint64 generated, const PsChartClient *entry)
{
  if (entry->n429 > 0 || n429 > 0)
    return n429 > 2 * entry->n429;
  return generated > 2 * entry->generated;
}

static gboolean
ranks_below (const PsChartClient *a, const PsChartClient *b)
{
  if (a->n429 != b->n429)
    return a->n429 < b->n429;
  if (a->generated != b->generated)
    return a->generated < b->generated;
  return a->client > b->client;
}

static void
find_least (PsChartTally *tally)
{
  tally->least = 0;
  for (guint i = 1; i < tally->n_tracked; i++)
    if (ranks_below (&tally->tracked[i], &tally->tracked[tally->least]))
      tally->least = i;
  tally->least_rank = tally->tracked[tally->least];
}

static void
follow (PsChartTally *tally, guint entry, PsClient *client, gboolean complete,
        guint32 from_window)
{
  PsChartClient *c = &tally->tracked[entry];

  if (entry == tally->n_tracked)
    {
      c->created = g_array_new (FALSE, TRUE, sizeof (guint32));
      c->admitted = g_array_new (FALSE, TRUE, sizeof (guint32));
      tally->n_tracked++;
    }
  else
    {
      c->owner->chart_entry = 0;
      g_array_set_size (c->created, 0);
      g_array_set_size (c->admitted, 0);
    }
  c->client = client->id;
  c->owner = client;
  c->n429 = 0;
  c->generated = 0;
  c->complete = complete;
  c->from_window = complete ? 0 : from_window;
  client->chart_entry = (guint8) (entry + 1);
}

static void
count_window (PsChartTally *tally, GArray *counts, PsTime t)
{
  gint64 w = t / tally->window;

  if (w >= PS_CHART_MAX_WINDOWS)
    {
      tally->overflow = TRUE;
      return;
    }
  if ((guint) w >= counts->len)
    g_array_set_size (counts, (guint) w + 1);
  g_array_index (counts, guint32, w)++;
}

/* The client of @request: followed already, made to be, or neither. */
static PsChartClient *
followed (PsChartTally *tally, const PsRequest *request, PsClient *client, PsTime now)
{
  guint64 n429 = client->n429, generated = client->generated;
  guint64 finals = client->completed + client->rejected + client->dropped;
  guint32 from_window;

  if (client->chart_entry != 0)
    return &tally->tracked[client->chart_entry - 1];
  if (request->outcome == PS_OUTCOME_PENDING)
    return NULL;
  /* a client taken on now may have had requests end before: the first
   * window counted in full is the next one (any request created from then
   * on ends later, and is counted) */
  from_window = (guint32) MIN (MAX (now, request->created) / tally->window + 1, G_MAXUINT32);
  if (tally->n_tracked < PS_CHART_TRACKED)
    {
      guint entry = tally->n_tracked;

      follow (tally, entry, client, finals <= 1, from_window);
      find_least (tally);
      return &tally->tracked[entry];
    }
  /* the saved rank of the least entry is at most the least rank now:
   * look again only when the newcomer beats that one */
  if (!overtakes (n429, generated, &tally->least_rank))
    return NULL;
  find_least (tally);
  if (!overtakes (n429, generated, &tally->least_rank))
    return NULL;
  {
    guint entry = tally->least;

    follow (tally, entry, client, FALSE, from_window);
    tally->tracked[entry].n429 = n429;
    tally->tracked[entry].generated = generated;
    find_least (tally);
    return &tally->tracked[entry];
  }
}

/**
 * ps_chart_tally_on_request:
 * @request: a final request (its outcome set), pending ones included
 * @client: its client, whose counters already count @request
 * @now: when it became final (what a client taken on now is counted
 *   from); -1 for a pending one
 *
 * Counts @request once.
 */
void
ps_chart_tally_on_request (PsChartTally *tally, const PsRequest *request, PsClient *client,
                           PsTime now)
{
  guint group = client->group;
  PsChartClient *c;

  if (request->priority < tally->priorities->len)
    count_in (&g_array_index (tally->priorities, PsChartSeries, request->priority),
              request);
  if (group < tally->groups->len)
    count_in (&g_array_index (tally->groups, PsChartSeries, group), request);
  if (tally->window == 0)
    return;
  c = followed (tally, request, client, now);
  if (c == NULL)
    return;
  c->n429 = client->n429;
  c->generated = client->generated;
  count_window (tally, c->created, request->created);
  if (request->admitted >= 0)
    count_window (tally, c->admitted, request->admitted);
}

guint
ps_chart_tally_n_priorities (const PsChartTally *tally)
{
  return tally->priorities->len;
}

const PsChartSeries *
ps_chart_tally_priority (const PsChartTally *tally, guint priority)
{
  g_return_val_if_fail (priority < tally->priorities->len, NULL);
  return &g_array_index (tally->priorities, PsChartSeries, priority);
}

guint
ps_chart_tally_n_groups (const PsChartTally *tally)
{
  return tally->groups->len;
}

const PsChartSeries *
ps_chart_tally_group (const PsChartTally *tally, guint group)
{
  g_return_val_if_fail (group < tally->groups->len, NULL);
  return &g_array_index (tally->groups, PsChartSeries, group);
}

PsTime
ps_chart_tally_window (const PsChartTally *tally)
{
  return tally->window;
}

gboolean
ps_chart_tally_overflow (const PsChartTally *tally)
{
  return tally->overflow;
}

guint
ps_chart_tally_n_clients (const PsChartTally *tally)
{
  return tally->n_tracked;
}

const PsChartClient *
ps_chart_tally_client (const PsChartTally *tally, guint i)
{
  g_return_val_if_fail (i < tally->n_tracked, NULL);
  return &tally->tracked[i];
}
