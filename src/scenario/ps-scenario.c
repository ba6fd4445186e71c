/* ps-scenario.c: a loaded scenario: the error domain, freeing, look-ups
 *
 * Loading is in ps-scenario-load.c and its helpers; this file owns the
 * error domain and answers the questions drivers ask of a loaded
 * scenario.  A PsScenario never changes after loading, so the
 * queries are safe from any thread.
 */
#include "ps-scenario.h"

#include <json-glib/json-glib.h>

#include "ps-scenario-clients.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (ps-scenario-error-quark, ps_scenario_error)

/* Frees @scenario and everything it holds; NULL is a no-op. */
void
ps_scenario_free (PsScenario *scenario)
{
  if (scenario == NULL)
    return;
  for (guint i = 0; i < scenario->n_overrides; i++)
    g_free (scenario->overrides[i].group);
  for (guint i = 0; i < scenario->n_groups; i++)
    {
      g_free (scenario->groups[i].name);
      g_free (scenario->groups[i].priorities);
      g_free (scenario->groups[i].addresses);
      g_free (scenario->groups[i].address_order);
      g_free (scenario->groups[i].original_addresses);
      ps_arrival_spec_clear (&scenario->groups[i].arrival);
    }
  g_free (scenario->overrides);
  g_free (scenario->trusted_proxies);
  g_free (scenario->faults);
  g_free (scenario->groups);
  g_strfreev (scenario->warnings);
  g_free (scenario->description);
  g_free (scenario->name);
  g_free (scenario->path);
  g_clear_pointer (&scenario->document, json_node_unref);
  g_free (scenario);
}

/* --seed: the run's seed, in the scenario and in its document. */
void
ps_scenario_set_seed (PsScenario *scenario, guint64 seed)
{
  scenario->seed = seed;
  if (scenario->document != NULL && JSON_NODE_HOLDS_OBJECT (scenario->document))
    json_object_set_int_member (json_node_get_object (scenario->document), "seed",
                                (gint64) seed);
}

/**
 * ps_scenario_to_json:
 *
 * The scenario as it ran, for a run directory's scenario.json: running
 * that file again (with no --set) repeats the run.  Relative data file
 * paths are as the original file gave them.
 *
 * Returns: (transfer full): pretty-printed JSON, ending in a newline.
 */
char *
ps_scenario_to_json (const PsScenario *scenario)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  if (scenario->document == NULL)
    return g_strdup ("{}\n");
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, scenario->document);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

/* Clients over all groups (at most 16 million). */
guint64
ps_scenario_n_clients (const PsScenario *scenario)
{
  guint64 n = 0;

  g_return_val_if_fail (scenario != NULL, 0);
  for (guint i = 0; i < scenario->n_groups; i++)
    n += scenario->groups[i].count;
  return n;
}

/* The index in @group's address order of the first client at @ip, or
 * @group->count. */
static guint32
find_listed (const PsClientGroup *group, guint32 ip)
{
  guint32 lo = 0, hi = group->count;

  while (lo < hi)
    {
      guint32 mid = lo + (hi - lo) / 2;

      if (group->addresses[group->address_order[mid]] < ip)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/**
 * ps_scenario_quota_for:
 * @group: index into @scenario->groups
 * @ip: the client's address
 * @out_n_policies: (out): how many policies the result holds
 *
 * The policies limiting a client of @group at @ip: those of the first
 * override naming @group or whose CIDR holds @ip, else the default quota.
 *
 * Returns: (transfer none) (array length=out_n_policies): owned by @scenario.
 */
const PsQuotaPolicy *
ps_scenario_quota_for (const PsScenario *scenario, guint group, guint32 ip,
                       guint *out_n_policies)
{
  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (group < scenario->n_groups, NULL);
  g_return_val_if_fail (out_n_policies != NULL, NULL);

  if (scenario->groups[group].original_addresses != NULL)
    {
      /* mapped into loopback: overrides match the addresses as given */
      const PsClientGroup *g = &scenario->groups[group];
      guint32 at = find_listed (g, ip);

      if (at < g->count && g->addresses[g->address_order[at]] == ip)
        ip = g->original_addresses[g->address_order[at]];
    }
  for (guint i = 0; i < scenario->n_overrides; i++)
    {
      const PsQuotaOverride *o = &scenario->overrides[i];

      if ((o->group != NULL && strcmp (o->group, scenario->groups[group].name) == 0)
          || (o->has_cidr && ps_cidr_contains (&o->cidr, ip)))
        {
          *out_n_policies = o->n_policies;
          return o->policies;
        }
    }
  *out_n_policies = scenario->n_quota;
  return scenario->quota;
}


/**
 * ps_scenario_lookup_address:
 * @ip: a client address
 * @out_group: (out) (optional): the group of the first client at @ip
 * @out_index: (out) (optional): that client's index in its group
 *
 * Finds the client at an address (the first, in group then index order,
 * when groups share it).  O(groups × log clients).
 *
 * Returns: TRUE if a client of the scenario has address @ip.
 */
gboolean
ps_scenario_lookup_address (const PsScenario *scenario, guint32 ip,
                            guint *out_group, guint32 *out_index)
{
  g_return_val_if_fail (scenario != NULL, FALSE);

  for (guint g = 0; g < scenario->n_groups; g++)
    {
      const PsClientGroup *group = &scenario->groups[g];
      guint64 index;

      if (group->addresses != NULL)
        {
          guint32 at = find_listed (group, ip);

          if (at == group->count || group->addresses[group->address_order[at]] != ip)
            continue;
          index = group->address_order[at];
        }
      else
        {
          if (!ps_cidr_contains (&group->ip, ip) || ps_cidr_usable (&group->ip) == 0
              || ip < ps_cidr_host (&group->ip, 0))
            continue;
          index = ip - ps_cidr_host (&group->ip, 0);
          if (index < group->ip_offset || index - group->ip_offset >= group->count)
            continue;
          index -= group->ip_offset;
        }
      if (out_group != NULL)
        *out_group = g;
      if (out_index != NULL)
        *out_index = (guint32) index;
      return TRUE;
    }
  return FALSE;
}

/* TRUE when network.latency is anything but the default constant 0. */
gboolean
ps_scenario_has_latency (const PsScenario *scenario)
{
  const PsDist *d;

  g_return_val_if_fail (scenario != NULL, FALSE);
  d = &scenario->network_latency;
  return !(d->kind == PS_DIST_CONSTANT && d->a == 0);
}

/* The scenario's faults, as core reads them. */
PsFaultSet
ps_scenario_fault_set (const PsScenario *scenario)
{
  return (PsFaultSet) { scenario->faults, scenario->n_faults };
}

gboolean
ps_scenario_has_fault (const PsScenario *scenario, PsFaultKind kind)
{
  for (guint i = 0; i < scenario->n_faults; i++)
    if (scenario->faults[i].kind == kind)
      return TRUE;
  return FALSE;
}

/* Whether some client stops waiting for answers (request_timeout). */
gboolean
ps_scenario_has_timeouts (const PsScenario *scenario)
{
  for (guint g = 0; g < scenario->n_groups; g++)
    if (scenario->groups[g].policy.request_timeout > 0)
      return TRUE;
  return FALSE;
}

/**
 * ps_client_group_address:
 * @index: < @group->count
 *
 * Returns: the address of the group's client @index: from its list (or
 * log) when it has one, else the (@ip_offset + @index)-th host of @ip.
 */
guint32
ps_client_group_address (const PsClientGroup *group, guint32 index)
{
  g_return_val_if_fail (group != NULL && index < group->count, 0);

  if (group->addresses != NULL)
    return group->addresses[index];
  return ps_cidr_host (&group->ip, group->ip_offset + index);
}

/**
 * ps_client_group_work:
 * @group: index into @scenario->groups
 *
 * Returns: (transfer none): the service time of @group's requests: its
 * own "work", else the server's service_time.  A trace row's work_s, when
 * given, overrides both.
 */
const PsDist *
ps_client_group_work (const PsScenario *scenario, guint group)
{
  g_return_val_if_fail (scenario != NULL && group < scenario->n_groups, NULL);

  if (scenario->groups[group].has_work)
    return &scenario->groups[group].work;
  return &scenario->service_time;
}

/* The address the scenario gave client @index of @group (before any
 * mapping into loopback). */
guint32
ps_client_group_original_address (const PsClientGroup *group, guint32 index)
{
  if (group->original_addresses != NULL && index < group->count)
    return group->original_addresses[index];
  return ps_client_group_address (group, index);
}

static gboolean
is_loopback_block (const PsCidr *cidr)
{
  return cidr->prefix >= 8 && (cidr->base >> 24) == 127;
}

/**
 * ps_scenario_map_addresses:
 * @into: a block inside 127.0.0.0/8
 * @out_n_mapped: (out) (optional): distinct addresses mapped
 *
 * Live mode binds each client to its own loopback address.  This maps the
 * addresses of every group that is not on loopback (a replayed access
 * log's, a list of real addresses) one to one onto hosts of @into, in
 * group then client order; clients that shared an address still do.
 * Quota overrides keep matching the addresses as the scenario gave them.
 *
 * Returns: FALSE with PS_SCENARIO_ERROR_CONFLICT when @into is not on
 * loopback, is too small, or overlaps a group that stays where it is.
 */
gboolean
ps_scenario_map_addresses (PsScenario *sc, const PsCidr *into, guint *out_n_mapped,
                           GError **error)
{
  g_autoptr(GHashTable) map = g_hash_table_new (NULL, NULL);
  guint64 capacity = ps_cidr_usable (into), next = 0;
  char text[PS_IPV4_STR_LEN];

  if (!is_loopback_block (into))
    {
      g_set_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_CONFLICT,
                   "--map-addresses %s/%u: not inside 127.0.0.0/8 (expected a loopback "
                   "block such as 127.64.0.0/10)", ps_ipv4_format (into->base, text),
                   into->prefix);
      return FALSE;
    }
  for (guint g = 0; g < sc->n_groups; g++)
    if (is_loopback_block (&sc->groups[g].ip) && ps_cidr_overlap (&sc->groups[g].ip, into))
      {
        g_set_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_CONFLICT,
                     "--map-addresses %s/%u overlaps the addresses of group \"%s\" "
                     "(expected a loopback block no group uses)",
                     ps_ipv4_format (into->base, text), into->prefix, sc->groups[g].name);
        return FALSE;
      }
  for (guint g = 0; g < sc->n_groups; g++)
    {
      PsClientGroup *group = &sc->groups[g];
      guint32 *original, *mapped;

      if (is_loopback_block (&group->ip))
        continue;
      original = g_new (guint32, group->count);
      mapped = g_new (guint32, group->count);
      for (guint32 i = 0; i < group->count; i++)
        {
          gpointer found;

          original[i] = ps_client_group_address (group, i);
          if (!g_hash_table_lookup_extended (map, GUINT_TO_POINTER (original[i]), NULL, &found))
            {
              if (next >= capacity)
                {
                  g_free (original);
                  g_free (mapped);
                  g_set_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_CONFLICT,
                               "--map-addresses %s/%u: %" G_GUINT64_FORMAT " addresses do "
                               "not hold the scenario's (expected a larger block)",
                               ps_ipv4_format (into->base, text), into->prefix, capacity);
                  return FALSE;
                }
              found = GUINT_TO_POINTER (ps_cidr_host (into, next++));
              g_hash_table_insert (map, GUINT_TO_POINTER (original[i]), found);
            }
          mapped[i] = GPOINTER_TO_UINT (found);
        }
      g_free (group->addresses);
      g_free (group->address_order);
      group->addresses = mapped;
      group->original_addresses = original;
      ps_scenario_clients_index_addresses (group);
    }
  if (out_n_mapped != NULL)
    *out_n_mapped = (guint) next;
  return TRUE;
}
