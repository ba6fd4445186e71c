/* ps-population.c: groups, clients, names, quota subjects, client records
 *
 * Everything here happens once per run, at its start or at its end; the
 * drivers' hot paths only read what it built.
 */
#include "ps-population.h"

#include "ps-large-array.h"

#include <math.h>

/**
 * ps_population_new:
 * @scenario: (transfer none): must outlive the population
 *
 * Builds every client with its streams, arrival state and address.  Quota
 * subjects are left unset: see ps_population_assign_subjects().
 */
PsPopulation *
ps_population_new (const PsScenario *sc)
{
  PsPopulation *pop = g_new0 (PsPopulation, 1);
  guint32 id = 0;

  pop->scenario = sc;
  pop->groups = g_new0 (PsRunGroup, sc->n_groups);
  pop->group_summaries = g_new0 (PsGroupSummary, MAX (sc->n_groups, 1));
  pop->n_clients = (guint32) ps_scenario_n_clients (sc);
  pop->clients = ps_large_array_new0 (MAX (pop->n_clients, 1), sizeof (PsClient));
  pop->n_priorities = 1;
  pop->latency = ps_scenario_has_latency (sc) ? &sc->network_latency : NULL;
  for (guint g = 0; g < sc->n_groups; g++)
    {
      const PsClientGroup *spec = &sc->groups[g];
      PsRunGroup *group = &pop->groups[g];
      guint n_priorities = spec->n_priorities;

      group->spec = spec;
      group->work = ps_client_group_work (sc, g);
      ps_priority_mix_init (&group->priorities, spec->priorities, spec->n_priorities);
      if (spec->arrival.process == PS_ARRIVAL_TRACE)     /* rows give theirs */
        n_priorities = MAX (n_priorities, ps_replay_get_n_priorities (spec->arrival.replay));
      /* the histograms by priority are a fixed array: never index past it */
      pop->n_priorities = MAX (pop->n_priorities, MIN (n_priorities, PS_MAX_PRIORITIES));
      for (guint32 k = 0; k < spec->count; k++, id++)
        {
          PsClient *client = &pop->clients[id];

          ps_client_init (client, id, &spec->policy, sc->seed,
                          ps_rng_stream_id (spec->name, k));
          ps_arrival_state_init (&client->arrival, &spec->arrival, k);
          client->group = g;
          client->index = k;
          client->ip = ps_client_group_address (spec, k);
        }
    }
  pop->tiers = g_new0 (PsTierRecord, MAX (sc->n_overrides, 1));
  for (guint i = 0; i < sc->n_overrides; i++)
    pop->tiers[i] = (PsTierRecord) {
      sc->overrides[i].group, sc->overrides[i].has_cidr, sc->overrides[i].cidr,
      sc->overrides[i].policies, sc->overrides[i].n_policies,
    };
  pop->charts = ps_chart_tally_new (pop->n_priorities, sc->n_groups,
                                    sc->n_quota > 0 ? sc->quota[0].window : 0);
  pop->chart_names = g_ptr_array_new_with_free_func (g_free);
  return pop;
}

void
ps_population_free (PsPopulation *pop)
{
  if (pop == NULL)
    return;
  for (guint32 i = 0; i < pop->n_clients; i++)
    ps_client_clear (&pop->clients[i]);
  ps_large_array_free (pop->clients);
  g_free (pop->groups);
  g_free (pop->group_summaries);
  g_free (pop->tiers);
  ps_chart_tally_free (pop->charts);
  g_ptr_array_unref (pop->chart_names);
  g_free (pop);
}

/**
 * ps_population_assign_subjects:
 * @quota: the server's quota, which gains a tier per distinct policy list
 *   and a subject per distinct address
 *
 * For a driver that runs the server itself: gives every client the quota
 * subject of its address, in client order.
 */
void
ps_population_assign_subjects (PsPopulation *pop, PsQuota *quota)
{
  g_autoptr(PsSubjectMap) map = ps_subject_map_new (quota);

  for (guint32 id = 0; id < pop->n_clients; id++)
    {
      PsClient *client = &pop->clients[id];
      const PsQuotaPolicy *policies;
      guint n;

      policies = ps_scenario_quota_for (pop->scenario, client->group, client->ip, &n);
      client->subject = ps_subject_map_get (map, client->ip, policies, n);
    }
}

/* "public-17": a client's name in every file. */
const char *
ps_population_client_name (const PsPopulation *pop, const PsClient *client,
                           char *buf, gsize len)
{
  const PsClientGroup *spec = pop->groups[client->group].spec;

  /* A replayed access log's clients are its addresses: name them so. */
  if (spec->arrival.process == PS_ARRIVAL_ACCESS_LOG && len >= PS_IPV4_STR_LEN)
    return ps_ipv4_format (ps_client_group_original_address (spec, client->index), buf);
  return ps_client_format_name (client, spec->name, buf, len);
}

/* The instant of @client's first arrival, drawn from its traffic stream;
 * PS_TIME_NEVER when it falls at or past the end of the run. */
PsTime
ps_population_first_arrival (PsPopulation *pop, PsClient *client)
{
  PsTime t = ps_arrival_next (&pop->groups[client->group].spec->arrival,
                              &client->arrival, &client->traffic, 0);

  return t < pop->scenario->duration ? t : PS_TIME_NEVER;
}

/* A client's row of clients.csv. */
void
ps_client_record_fill (PsClientRecord *record, const PsClient *client,
                       const char *name, const char *group)
{
  *record = (PsClientRecord) {
    .name = name,
    .ip = client->ip,
    .group = group,
    .generated = client->generated,
    .completed = client->completed,
    .rejected = client->rejected,
    .dropped = client->dropped,
    .n429 = client->n429,
    .n503 = client->n503,
    .mean_latency_s = client->completed
      ? (double) client->latency_sum / (double) client->completed / 1e6 : NAN,
  };
}

/**
 * ps_population_report_clients:
 * @sink: (nullable): where the records go
 *
 * Reports one record per client, in id order, as both drivers do at the
 * end of a run.  Returns: Jain's index over the clients' served shares
 * (ps_jain_index_served()).
 */
double
ps_population_report_clients (const PsPopulation *pop, const PsRecordSink *sink)
{
  g_autofree guint64 *completed = g_new (guint64, MAX (pop->n_clients, 1));
  g_autofree guint64 *generated = g_new (guint64, MAX (pop->n_clients, 1));

  for (guint32 id = 0; id < pop->n_clients; id++)
    {
      const PsClient *c = &pop->clients[id];
      const char *group = pop->groups[c->group].spec->name;
      PsClientRecord rec;
      char name[96];

      ps_client_record_fill (&rec, c, ps_population_client_name (pop, c, name, sizeof name),
                             group);
      completed[id] = c->completed;
      generated[id] = c->generated;
      if (sink != NULL && sink->client != NULL)
        sink->client (sink->user_data, &rec);
    }
  return ps_jain_index_served (completed, generated, pop->n_clients);
}

/* ---- quota subjects ---------------------------------------------------- */

struct _PsSubjectMap
{
  PsQuota    *quota;
  GHashTable *subjects;                 /* ip -> subject */
  GHashTable *tiers;                    /* policy list (by address) -> tier */
};

PsSubjectMap *
ps_subject_map_new (PsQuota *quota)
{
  PsSubjectMap *map = g_new (PsSubjectMap, 1);

  map->quota = quota;
  map->subjects = g_hash_table_new (NULL, NULL);
  map->tiers = g_hash_table_new (NULL, NULL);
  return map;
}

void
ps_subject_map_free (PsSubjectMap *map)
{
  if (map == NULL)
    return;
  g_hash_table_unref (map->subjects);
  g_hash_table_unref (map->tiers);
  g_free (map);
}

/**
 * ps_subject_map_get:
 * @policies: (array length=n_policies): the address's policy list, as
 *   ps_scenario_quota_for() gives it (lists are told apart by address)
 *
 * Returns: the quota subject of @ip, created on first use in the tier of
 * @policies (also created on first use).
 */
PsQuotaSubject
ps_subject_map_get (PsSubjectMap *map, guint32 ip, const PsQuotaPolicy *policies,
                    guint n_policies)
{
  gpointer subject, tier;

  if (g_hash_table_lookup_extended (map->subjects, GUINT_TO_POINTER (ip), NULL, &subject))
    return GPOINTER_TO_UINT (subject);
  if (!g_hash_table_lookup_extended (map->tiers, policies, NULL, &tier))
    {
      tier = GUINT_TO_POINTER (ps_quota_add_tier (map->quota, policies, n_policies));
      g_hash_table_insert (map->tiers, (gpointer) policies, tier);
    }
  subject = GUINT_TO_POINTER (ps_quota_add_subject (map->quota, GPOINTER_TO_UINT (tier)));
  g_hash_table_insert (map->subjects, GUINT_TO_POINTER (ip), subject);
  return GPOINTER_TO_UINT (subject);
}
