/* ps-scenario-clients.c: client groups, and the addresses their clients get
 *
 * A group with "ip" takes the first count usable hosts of its block; blocks
 * of two groups may not overlap.  Groups without "ip" share 127.0.0.0/8:
 * they take consecutive addresses from 127.1.0.1 in group order, jumping
 * over every explicit block (whatever its position in the list), so that
 * live mode can bind each client to its own loopback address.
 */
#include "ps-scenario-private.h"

#include "ps-duration.h"

#include <string.h>

#define GROUP_NAME_CHARS "_.-"
#define LOOPBACK_BASE    G_GUINT64_CONSTANT (0x7F000000)   /* 127.0.0.0/8 */
#define LOOPBACK_FIRST   G_GUINT64_CONSTANT (0x7F010001)   /* 127.1.0.1 */
#define LOOPBACK_LAST    G_GUINT64_CONSTANT (0x7FFFFFFE)   /* 127.255.255.254 */

typedef struct
{
  JsonNode *node;           /* the group's object */
  gboolean  has_ip;
  guint64   total_before;   /* clients of the groups before it */
} GroupSite;

static gboolean
on_429_lookup (const char *name, guint *out)
{
  PsOn429 v;

  if (!ps_on_429_from_string (name, &v))
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
on_503_lookup (const char *name, guint *out)
{
  PsOn503 v;

  if (!ps_on_503_from_string (name, &v))
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
get (PsLoad *load, const PsField *client, guint index, PsField *out, GError **error)
{
  return ps_field_get (load, client->node, client->path, &ps_schema_client[index],
                       out, error);
}

static gboolean
load_name (PsLoad *load, const PsField *client, const char *clients_path,
           const PsScenario *scenario, PsClientGroup *group, GError **error)
{
  g_auto (PsField) field = { 0 };
  guint index = scenario->n_groups - 1;
  const char *text;

  if (!get (load, client, PS_SK_CLIENT_GROUP, &field, error))
    return FALSE;
  if (field.node == NULL)
    group->name = g_strdup_printf ("group%u", index);
  else if (ps_field_name (load, &field, GROUP_NAME_CHARS, PS_SCENARIO_GROUP_MAX,
                          &text, error))
    group->name = g_strdup (text);
  else
    return FALSE;
  /* O(groups²) with the overlap check below: scenarios have tens of groups. */
  for (guint j = 0; j < index; j++)
    if (strcmp (scenario->groups[j].name, group->name) == 0)
      return ps_load_fail (load, error, PS_SCENARIO_ERROR_CONFLICT,
                           field.node != NULL ? field.node : client->node,
                           field.path, "\"%s\"%s%s%s is already the name of "
                           "%s[%u] (expected unique group names)", group->name,
                           field.node != NULL ? "" : ", the name of a group without \"",
                           field.node != NULL ? "" : field.key->name,
                           field.node != NULL ? "" : "\",", clients_path, j);
  return TRUE;
}

static gboolean
load_count (PsLoad *load, const PsField *client, guint64 total_before,
            PsClientGroup *group, GError **error)
{
  g_auto (PsField) field = { 0 };

  if (!get (load, client, PS_SK_CLIENT_COUNT, &field, error)
      || !ps_field_uint (load, &field, &group->count, error))
    return FALSE;
  if (total_before + group->count > PS_SCENARIO_MAX_CLIENTS)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field.node, field.path,
                         "brings the number of clients to %" G_GUINT64_FORMAT
                         " (expected at most %d clients over all groups)",
                         total_before + group->count, PS_SCENARIO_MAX_CLIENTS);
  return TRUE;
}

/* An explicit block: big enough for count, and clear of earlier blocks. */
static gboolean
load_ip (PsLoad *load, const PsField *client, const char *clients_path,
         const PsScenario *scenario, const GroupSite *sites, PsClientGroup *group,
         gboolean *out_has_ip, GError **error)
{
  g_auto (PsField) field = { 0 };
  char buf[PS_IPV4_STR_LEN], other[PS_IPV4_STR_LEN];
  guint index = scenario->n_groups - 1;

  *out_has_ip = FALSE;
  if (!get (load, client, PS_SK_CLIENT_IP, &field, error))
    return FALSE;
  if (field.node == NULL)
    return TRUE;
  if (!ps_field_cidr (load, &field, &group->ip, error))
    return FALSE;
  ps_ipv4_format (group->ip.base, buf);
  if (ps_cidr_usable (&group->ip) < group->count)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field.node, field.path,
                         "%s/%u has %" G_GUINT64_FORMAT " usable addresses but "
                         "count needs %u (expected a block with at least %u "
                         "usable hosts)", buf, group->ip.prefix,
                         ps_cidr_usable (&group->ip), group->count, group->count);
  for (guint j = 0; j < index; j++)
    if (sites[j].has_ip && ps_cidr_overlap (&scenario->groups[j].ip, &group->ip))
      return ps_load_fail (load, error, PS_SCENARIO_ERROR_CONFLICT, field.node,
                           field.path, "%s/%u overlaps %s[%u].%s %s/%u "
                           "(expected address blocks that do not overlap)",
                           buf, group->ip.prefix, clients_path, j, field.key->name,
                           ps_ipv4_format (scenario->groups[j].ip.base, other),
                           scenario->groups[j].ip.prefix);
  group->ip_offset = 0;
  *out_has_ip = TRUE;
  return TRUE;
}

static gboolean
load_priorities (PsLoad *load, const PsField *client, PsClientGroup *group,
                 GError **error)
{
  g_auto (PsField) field = { 0 };
  double sum = 0;
  guint n;

  if (!get (load, client, PS_SK_CLIENT_PRIORITIES, &field, error)
      || !ps_field_array (load, &field, &n, error))
    return FALSE;
  group->priorities = g_new0 (double, n);
  group->n_priorities = n;
  for (guint i = 0; i < n; i++)
    {
      g_auto (PsField) weight = { 0 };

      ps_field_element (&field, i, &weight);
      if (!ps_field_number (load, &weight, &group->priorities[i], error))
        return FALSE;
      sum += group->priorities[i];
    }
  if (sum <= 0)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field.node, field.path,
                         "weights sum to 0 (expected at least one weight > 0)");
  return TRUE;
}

static gboolean
load_backoff (PsLoad *load, const PsField *client, PsClientPolicy *policy,
              GError **error)
{
  g_auto (PsField) field = { 0 };
  g_auto (PsField) base = { 0 };
  g_auto (PsField) cap = { 0 };
  char buf[PS_DURATION_STR_LEN], cap_buf[PS_DURATION_STR_LEN];

  if (!get (load, client, PS_SK_CLIENT_BACKOFF, &field, error)
      || !ps_field_object (load, &field, error)
      || !ps_field_get (load, field.node, field.path,
                        &ps_schema_backoff[PS_SK_BACKOFF_BASE], &base, error)
      || !ps_field_duration (load, &base, &policy->backoff_base, error)
      || !ps_field_get (load, field.node, field.path,
                        &ps_schema_backoff[PS_SK_BACKOFF_CAP], &cap, error)
      || !ps_field_duration (load, &cap, &policy->backoff_cap, error))
    return FALSE;
  if (policy->backoff_cap < policy->backoff_base)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, cap.node, cap.path,
                         "%s%s is less than base %s (expected a duration >= base)",
                         cap.defaulted ? "the default " : "",
                         ps_duration_format (policy->backoff_cap, cap_buf),
                         ps_duration_format (policy->backoff_base, buf));
  return TRUE;
}

static gboolean
load_behaviour (PsLoad *load, const PsField *client, PsClientPolicy *policy,
                GError **error)
{
  g_auto (PsField) concurrency = { 0 };
  g_auto (PsField) on_429 = { 0 };
  g_auto (PsField) on_503 = { 0 };
  g_auto (PsField) queue_limit = { 0 };
  g_auto (PsField) timeout = { 0 };
  const char *names_429[PS_ON_429_DROP + 2] = { NULL };
  const char *names_503[PS_ON_503_DROP + 2] = { NULL };
  guint v429, v503;

  for (guint i = 0; i <= PS_ON_429_DROP; i++)
    names_429[i] = ps_on_429_to_string ((PsOn429) i);
  for (guint i = 0; i <= PS_ON_503_DROP; i++)
    names_503[i] = ps_on_503_to_string ((PsOn503) i);
  if (!get (load, client, PS_SK_CLIENT_CONCURRENCY, &concurrency, error)
      || !ps_field_uint (load, &concurrency, &policy->concurrency, error)
      || !get (load, client, PS_SK_CLIENT_ON_429, &on_429, error)
      || !ps_field_enum (load, &on_429, "on_429 strategy", on_429_lookup,
                         names_429, &v429, error)
      || !get (load, client, PS_SK_CLIENT_ON_503, &on_503, error)
      || !ps_field_enum (load, &on_503, "on_503 strategy", on_503_lookup,
                         names_503, &v503, error)
      || !get (load, client, PS_SK_CLIENT_QUEUE_LIMIT, &queue_limit, error)
      || !ps_field_uint (load, &queue_limit, &policy->queue_limit, error)
      || !get (load, client, PS_SK_CLIENT_TIMEOUT, &timeout, error)
      || !ps_field_duration (load, &timeout, &policy->timeout, error))
    return FALSE;
  policy->on_429 = (PsOn429) v429;
  policy->on_503 = (PsOn503) v503;
  return load_backoff (load, client, policy, error);
}

/* clients[i], appended to @scenario->groups. */
static gboolean
load_group (PsLoad *load, const PsField *client, const char *clients_path,
            PsScenario *scenario, GroupSite *sites, GError **error)
{
  PsClientGroup *group = &scenario->groups[scenario->n_groups++];
  GroupSite *site = &sites[scenario->n_groups - 1];
  g_auto (PsField) arrival = { 0 };

  site->node = client->node;
  return ps_field_object (load, client, error)
         && load_name (load, client, clients_path, scenario, group, error)
         && load_count (load, client, site->total_before, group, error)
         && load_ip (load, client, clients_path, scenario, sites, group,
                     &site->has_ip, error)
         && get (load, client, PS_SK_CLIENT_ARRIVAL, &arrival, error)
         && ps_field_object (load, &arrival, error)
         && ps_load_arrival (load, &arrival, &group->arrival, error)
         && load_priorities (load, client, group, error)
         && load_behaviour (load, client, &group->policy, error);
}

/* First address at or after @start where @count consecutive addresses
 * miss every explicit block. */
static guint64
skip_blocks (const PsScenario *scenario, const GroupSite *sites, guint64 start,
             guint count)
{
  gboolean moved = TRUE;

  while (moved)
    {
      moved = FALSE;
      for (guint g = 0; g < scenario->n_groups; g++)
        {
          const PsCidr *ip = &scenario->groups[g].ip;
          guint64 lo = ip->base, hi = lo + ps_cidr_size (ip) - 1;

          if (sites[g].has_ip && start <= hi && start + count - 1 >= lo)
            {
              start = hi + 1;
              moved = TRUE;
            }
        }
    }
  return start;
}

static gboolean
allocate_loopback (PsLoad *load, PsScenario *scenario, const GroupSite *sites,
                   const char *clients_path, GError **error)
{
  guint64 next = LOOPBACK_FIRST;

  for (guint g = 0; g < scenario->n_groups; g++)
    {
      PsClientGroup *group = &scenario->groups[g];
      guint64 start;
      char buf[PS_IPV4_STR_LEN];

      if (sites[g].has_ip)
        continue;
      start = skip_blocks (scenario, sites, next, group->count);
      if (start + group->count - 1 > LOOPBACK_LAST)
        {
          g_autofree char *path = g_strdup_printf ("%s[%u]", clients_path, g);

          return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, sites[g].node,
                               path, "127.0.0.0/8 has no room for %u more clients "
                               "from %s (expected an explicit \"%s\" block for "
                               "this group)", group->count,
                               start > LOOPBACK_LAST ? "its end"
                               : ps_ipv4_format ((guint32) start, buf),
                               ps_schema_client[PS_SK_CLIENT_IP].name);
        }
      group->ip.base = (guint32) LOOPBACK_BASE;
      group->ip.prefix = 8;
      group->ip_offset = start - (LOOPBACK_BASE + 1);
      next = start + group->count;
    }
  return TRUE;
}

/**
 * ps_load_clients:
 * @field: the "clients" array
 *
 * Fills @scenario->groups with every group and its addresses.
 */
gboolean
ps_load_clients (PsLoad *load, const PsField *field, PsScenario *scenario,
                 GError **error)
{
  g_autofree GroupSite *sites = NULL;
  guint64 total = 0;
  guint n;

  if (!ps_field_array (load, field, &n, error))
    return FALSE;
  scenario->groups = g_new0 (PsClientGroup, n);
  sites = g_new0 (GroupSite, n);
  for (guint i = 0; i < n; i++)
    {
      g_auto (PsField) client = { 0 };

      ps_field_element (field, i, &client);
      sites[i].total_before = total;
      if (!load_group (load, &client, field->path, scenario, sites, error))
        return FALSE;
      total += scenario->groups[i].count;
    }
  return allocate_loopback (load, scenario, sites, field->path, error);
}
