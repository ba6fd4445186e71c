/* ps-scenario-clients.c: client groups, and the addresses their clients get
 *
 * A group's "ip" is a block, whose first count usable hosts its clients
 * take, or a list with one address per client; an access_log group's
 * clients have the addresses of its log.  These explicit addresses are
 * the group's claim, and two groups' claims may not overlap unless both
 * say "shared_ip": true (clients behind one NAT address: they share its
 * quota).  Groups without "ip" share 127.0.0.0/8: they take consecutive
 * addresses from 127.1.0.1 in group order, jumping over every claim
 * (whatever its group's position in the list), so that live mode can bind
 * each client to its own loopback address.  A replay's count is its
 * number of distinct clients, so a group's arrival is read before its
 * count and addresses.
 */
#include "ps-scenario-clients.h"

#include "ps-scenario-arrival.h"
#include "ps-scenario-dist.h"
#include "ps-scenario-quota.h"
#include "ps-scenario-retry.h"

#include "ps-duration.h"

#include <string.h>

#define GROUP_NAME_CHARS "_.-"
#define LOOPBACK_BASE    G_GUINT64_CONSTANT (0x7F000000)   /* 127.0.0.0/8 */
#define LOOPBACK_FIRST   G_GUINT64_CONSTANT (0x7F010001)   /* 127.1.0.1 */
#define LOOPBACK_LAST    G_GUINT64_CONSTANT (0x7FFFFFFE)   /* 127.255.255.254 */

typedef struct
{
  guint64 lo;                 /* addresses lo..hi, inclusive */
  guint64 hi;
} Span;

typedef struct
{
  JsonNode *node;             /* the group's object */
  JsonNode *ip_node;          /* where its addresses are given: ip or file */
  char     *ip_path;
  gboolean  has_ip;           /* it claims addresses: block, list or log */
  gboolean  is_block;         /* ... as a CIDR block */
  GArray   *claim;            /* Span, sorted, disjoint */
  guint64   total_before;     /* clients of the groups before it */
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
  const PsArrivalSpec *arrival = &group->arrival;

  if (!ps_arrival_is_replay (arrival))
    {
      if (!get (load, client, PS_SK_CLIENT_COUNT, &field, error)
          || !ps_field_uint (load, &field, &group->count, error))
        return FALSE;
    }
  else
    {
      if (!ps_field_member (load, client->node, client->path,
                            &ps_schema_client[PS_SK_CLIENT_COUNT], &field, error))
        return FALSE;
      if (field.node != NULL)
        return ps_load_fail (load, error, PS_SCENARIO_ERROR_CONFLICT, field.node,
                             field.path, "does not apply to a %s group: its %u "
                             "distinct clients make the group (expected no "
                             "\"count\")",
                             ps_arrival_process_to_string (arrival->process),
                             ps_replay_get_n_clients (arrival->replay));
      group->count = ps_replay_get_n_clients (arrival->replay);
    }
  if (total_before + group->count > PS_SCENARIO_MAX_CLIENTS)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE,
                         field.node != NULL ? field.node : client->node,
                         field.path, "brings the number of clients to %" G_GUINT64_FORMAT
                         " (expected at most %d clients over all groups)",
                         total_before + group->count, PS_SCENARIO_MAX_CLIENTS);
  return TRUE;
}

/* ---- claims ---------------------------------------------------------- */

static void
claim_block (GroupSite *site, const PsCidr *block)
{
  Span span = { block->base, block->base + ps_cidr_size (block) - 1 };

  site->claim = g_array_new (FALSE, FALSE, sizeof (Span));
  g_array_append_val (site->claim, span);
  site->has_ip = site->is_block = TRUE;
}

/* Spans of consecutive addresses, from the addresses in @order. */
static void
claim_addresses (GroupSite *site, const PsClientGroup *group)
{
  site->claim = g_array_new (FALSE, FALSE, sizeof (Span));
  for (guint32 i = 0; i < group->count; i++)
    {
      guint64 a = group->addresses[group->address_order[i]];
      Span *last = site->claim->len > 0
                   ? &g_array_index (site->claim, Span, site->claim->len - 1) : NULL;

      if (last != NULL && a <= last->hi + 1)
        last->hi = MAX (last->hi, a);
      else
        {
          Span span = { a, a };

          g_array_append_val (site->claim, span);
        }
    }
  site->has_ip = TRUE;
}

/* The first address in both claims, if any. */
static gboolean
claims_meet (const GArray *a, const GArray *b, guint64 *out_address)
{
  guint i = 0, j = 0;

  while (i < a->len && j < b->len)
    {
      const Span *x = &g_array_index (a, Span, i);
      const Span *y = &g_array_index (b, Span, j);

      if (x->hi < y->lo)
        i++;
      else if (y->hi < x->lo)
        j++;
      else
        {
          *out_address = MAX (x->lo, y->lo);
          return TRUE;
        }
    }
  return FALSE;
}

/* Groups sharing an address share one quota subject, limited by the
 * policies of the first client at that address (ps-sim.c): say so when
 * the later group would have had others. */
static void
warn_shared_quota (PsLoad *load, const PsScenario *scenario, const GroupSite *site,
                   guint index, guint other, guint32 address, const char *clients_path)
{
  guint n;
  char buf[PS_IPV4_STR_LEN];

  if (ps_scenario_quota_for (scenario, other, address, &n)
      == ps_scenario_quota_for (scenario, index, address, &n))
    return;
  ps_load_warn (load, site->ip_node, site->ip_path, "shares %s with %s[%u], whose "
                "quota policies differ: a shared address is limited by those of "
                "its first group", ps_ipv4_format (address, buf), clients_path, other);
}

/* Group @index's claim against every earlier group's. */
static gboolean
check_overlaps (PsLoad *load, const PsScenario *scenario, const GroupSite *sites,
                guint index, const char *clients_path, GError **error)
{
  const GroupSite *site = &sites[index];
  const PsClientGroup *group = &scenario->groups[index];
  char buf[PS_IPV4_STR_LEN], other[PS_IPV4_STR_LEN];
  guint64 address;

  for (guint j = 0; j < index; j++)
    {
      const PsClientGroup *earlier = &scenario->groups[j];

      if (!sites[j].has_ip || !claims_meet (sites[j].claim, site->claim, &address))
        continue;
      if (group->shared_ip && earlier->shared_ip)
        {
          warn_shared_quota (load, scenario, site, index, j, (guint32) address,
                             clients_path);
          continue;
        }
      if (site->is_block && sites[j].is_block)
        return ps_load_fail (load, error, PS_SCENARIO_ERROR_CONFLICT, site->ip_node,
                             site->ip_path, "%s/%u overlaps %s %s/%u (expected "
                             "address blocks that do not overlap, or \"shared_ip\": "
                             "true in both groups)",
                             ps_ipv4_format (group->ip.base, buf), group->ip.prefix,
                             sites[j].ip_path, ps_ipv4_format (earlier->ip.base, other),
                             earlier->ip.prefix);
      return ps_load_fail (load, error, PS_SCENARIO_ERROR_CONFLICT, site->ip_node,
                           site->ip_path, "%s is also an address of %s[%u] (expected "
                           "groups with distinct addresses, or \"shared_ip\": true "
                           "in both groups)", ps_ipv4_format ((guint32) address, buf),
                           clients_path, j);
    }
  return TRUE;
}

/* ---- addresses ------------------------------------------------------- */

static int
compare_by_address (gconstpointer a, gconstpointer b, gpointer addresses)
{
  guint32 ia = *(const guint32 *) a, ib = *(const guint32 *) b;
  guint32 xa = ((const guint32 *) addresses)[ia], xb = ((const guint32 *) addresses)[ib];

  if (xa != xb)
    return xa < xb ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

/* Sorts the group's addresses into address_order; @ip becomes the
 * smallest block that holds them all. */
void
ps_scenario_clients_index_addresses (PsClientGroup *group)
{
  guint32 lo, hi;
  guint prefix = 32;

  group->address_order = g_new (guint32, group->count);
  for (guint32 i = 0; i < group->count; i++)
    group->address_order[i] = i;
  g_qsort_with_data (group->address_order, (gint) group->count, sizeof (guint32),
                     compare_by_address, group->addresses);
  lo = group->addresses[group->address_order[0]];
  hi = group->addresses[group->address_order[group->count - 1]];
  while (prefix > 0 && (lo >> (32 - prefix)) != (hi >> (32 - prefix)))
    prefix--;
  group->ip.prefix = prefix;
  group->ip.base = prefix == 0
                   ? 0 : lo & (guint32) ~((G_GUINT64_CONSTANT (1) << (32 - prefix)) - 1);
  group->ip_offset = 0;
}

/* "ip": ["127.5.0.1", ...]: exactly one address per client. */
static gboolean
load_ip_list (PsLoad *load, const PsField *field, PsClientGroup *group,
              GError **error)
{
  g_autofree char *expected = ps_schema_key_expected (field->key->element);
  guint n;

  if (!ps_field_array (load, field, &n, error))
    return FALSE;
  if (n != group->count)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field->node, field->path,
                         "has %u address%s but the group has %u client%s (expected "
                         "exactly one address per client)", n, n == 1 ? "" : "es",
                         group->count, group->count == 1 ? "" : "s");
  group->addresses = g_new0 (guint32, n);
  for (guint i = 0; i < n; i++)
    {
      g_auto (PsField) element = { 0 };
      const char *text;

      ps_field_element (field, i, &element);
      if (!ps_field_string (load, &element, &text, error))
        return FALSE;
      if (!ps_ipv4_parse (text, &group->addresses[i]))
        return ps_load_fail (load, error, PS_SCENARIO_ERROR_VALUE, element.node,
                             element.path, "\"%s\" is not an IPv4 address (expected %s)",
                             text, expected);
    }
  ps_scenario_clients_index_addresses (group);
  for (guint i = 1; i < n && !group->shared_ip; i++)
    {
      guint32 a = group->address_order[i - 1], b = group->address_order[i];
      g_auto (PsField) element = { 0 };
      char buf[PS_IPV4_STR_LEN];

      if (group->addresses[a] != group->addresses[b])
        continue;
      ps_field_element (field, b, &element);
      return ps_load_fail (load, error, PS_SCENARIO_ERROR_CONFLICT, element.node,
                           element.path, "%s is also %s[%u] (expected one address "
                           "per client, or \"shared_ip\": true)",
                           ps_ipv4_format (group->addresses[b], buf), field->path, a);
    }
  return TRUE;
}

/* A block: big enough for count. */
static gboolean
load_ip_block (PsLoad *load, const PsField *field, PsClientGroup *group,
               GError **error)
{
  char buf[PS_IPV4_STR_LEN];

  if (!ps_field_cidr (load, field, &group->ip, error))
    return FALSE;
  if (ps_cidr_usable (&group->ip) < group->count)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field->node, field->path,
                         "%s/%u has %" G_GUINT64_FORMAT " usable addresses but "
                         "count needs %u (expected a block with at least %u "
                         "usable hosts)", ps_ipv4_format (group->ip.base, buf),
                         group->ip.prefix, ps_cidr_usable (&group->ip), group->count,
                         group->count);
  group->ip_offset = 0;
  return TRUE;
}

/* The group's explicit addresses, if it has any, clear of earlier claims
 * unless shared.  @log_addresses: (inout) (transfer full): an access log's. */
static gboolean
load_ip (PsLoad *load, const PsField *client, const PsField *arrival,
         const char *clients_path, const PsScenario *scenario, GroupSite *sites,
         PsClientGroup *group, guint32 **log_addresses, GError **error)
{
  g_auto (PsField) field = { 0 };
  g_auto (PsField) shared = { 0 };
  const char *file_key = ps_schema_arrival[PS_SK_ARRIVAL_FILE].name;
  guint index = scenario->n_groups - 1;
  GroupSite *site = &sites[index];

  if (!get (load, client, PS_SK_CLIENT_SHARED_IP, &shared, error)
      || !ps_field_bool (load, &shared, &group->shared_ip, error)
      || !get (load, client, PS_SK_CLIENT_IP, &field, error))
    return FALSE;
  if (group->arrival.process == PS_ARRIVAL_ACCESS_LOG)
    {
      if (field.node != NULL)
        return ps_load_fail (load, error, PS_SCENARIO_ERROR_CONFLICT, field.node,
                             field.path, "does not apply to arrival process "
                             "\"access_log\": each client has the address of its "
                             "log lines (expected no \"ip\")");
      group->addresses = g_steal_pointer (log_addresses);
      ps_scenario_clients_index_addresses (group);
      site->ip_path = ps_load_child_path (arrival->path, file_key);
      site->ip_node = json_object_get_member (json_node_get_object (arrival->node),
                                              file_key);
      claim_addresses (site, group);
    }
  else if (field.node == NULL)
    return TRUE;
  else
    {
      site->ip_path = g_strdup (field.path);
      site->ip_node = field.node;
      if (JSON_NODE_HOLDS_ARRAY (field.node))
        {
          if (!load_ip_list (load, &field, group, error))
            return FALSE;
          claim_addresses (site, group);
        }
      else if (load_ip_block (load, &field, group, error))
        claim_block (site, &group->ip);
      else
        return FALSE;
    }
  return check_overlaps (load, scenario, sites, index, clients_path, error);
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
  return ps_scenario_retry_load (load, client, &field, policy, error);
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
  const char *const *names_429 = ps_on_429_names ();
  const char *const *names_503 = ps_on_503_names ();
  guint v429, v503;

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

static gboolean
load_work (PsLoad *load, const PsField *client, PsClientGroup *group,
           GError **error)
{
  g_auto (PsField) field = { 0 };

  if (!get (load, client, PS_SK_CLIENT_WORK, &field, error))
    return FALSE;
  if (field.node == NULL)
    return TRUE;                         /* the server's service_time */
  group->has_work = TRUE;
  if (!ps_scenario_dist_load (load, &field, &group->work, error))
    return FALSE;
  ps_scenario_dist_warn_seconds (load, &field, &group->work);
  return TRUE;
}

static gboolean
load_backlog (PsLoad *load, const PsField *client, const PsScenario *scenario,
              PsClientGroup *group, GError **error)
{
  g_auto (PsField) field = { 0 };
  guint64 total = 0;

  if (!get (load, client, PS_SK_CLIENT_INITIAL_BACKLOG, &field, error)
      || !ps_field_uint (load, &field, &group->initial_backlog, error))
    return FALSE;
  for (guint g = 0; g < scenario->n_groups; g++)
    total += (guint64) scenario->groups[g].count * scenario->groups[g].initial_backlog;
  if (total > PS_SCENARIO_MAX_BACKLOG)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field.node, field.path,
                         "brings the requests held at t=0 to %" G_GUINT64_FORMAT
                         " (expected at most %d over all groups)", total,
                         PS_SCENARIO_MAX_BACKLOG);
  return TRUE;
}

/* clients[i], appended to @scenario->groups. */
static gboolean
load_group (PsLoad *load, const PsField *client, const char *clients_path,
            PsScenario *scenario, GroupSite *sites, GError **error)
{
  PsClientGroup *group = &scenario->groups[scenario->n_groups++];
  GroupSite *site = &sites[scenario->n_groups - 1];
  g_auto (PsField) arrival = { 0 };
  g_autofree guint32 *log_addresses = NULL;

  site->node = client->node;
  return ps_field_object (load, client, error)
         && load_name (load, client, clients_path, scenario, group, error)
         && get (load, client, PS_SK_CLIENT_ARRIVAL, &arrival, error)
         && ps_field_object (load, &arrival, error)
         && ps_scenario_arrival_load (load, &arrival, scenario, &group->arrival,
                             &log_addresses, error)
         && load_count (load, client, site->total_before, group, error)
         && load_ip (load, client, &arrival, clients_path, scenario, sites, group,
                     &log_addresses, error)
         && load_priorities (load, client, group, error)
         && load_behaviour (load, client, &group->policy, error)
         && load_work (load, client, group, error)
         && load_backlog (load, client, scenario, group, error);
}

static int
compare_spans (gconstpointer a, gconstpointer b)
{
  const Span *x = a, *y = b;

  return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Every group's claim, sorted and merged into disjoint spans. */
static GArray *
all_claims (const PsScenario *scenario, const GroupSite *sites)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (Span));
  guint kept = 0;

  for (guint g = 0; g < scenario->n_groups; g++)
    if (sites[g].has_ip)
      g_array_append_vals (spans, sites[g].claim->data, sites[g].claim->len);
  g_array_sort (spans, compare_spans);
  for (guint i = 0; i < spans->len; i++)
    {
      Span *span = &g_array_index (spans, Span, i);
      Span *last = kept > 0 ? &g_array_index (spans, Span, kept - 1) : NULL;

      if (last != NULL && span->lo <= last->hi + 1)
        last->hi = MAX (last->hi, span->hi);
      else
        g_array_index (spans, Span, kept++) = *span;
    }
  g_array_set_size (spans, kept);
  return spans;
}

/* First address at or after @start where @count consecutive addresses
 * miss every claim. */
static guint64
first_fit (const GArray *taken, guint64 start, guint count)
{
  for (guint i = 0; i < taken->len; i++)
    {
      const Span *span = &g_array_index (taken, Span, i);

      if (span->hi < start)
        continue;
      if (span->lo > start + count - 1)
        break;                          /* sorted: no later span is in the way */
      start = span->hi + 1;
    }
  return start;
}

static gboolean
allocate_loopback (PsLoad *load, PsScenario *scenario, const GroupSite *sites,
                   const char *clients_path, GError **error)
{
  g_autoptr(GArray) taken = all_claims (scenario, sites);
  guint64 next = LOOPBACK_FIRST;

  for (guint g = 0; g < scenario->n_groups; g++)
    {
      PsClientGroup *group = &scenario->groups[g];
      guint64 start;
      char buf[PS_IPV4_STR_LEN];

      if (sites[g].has_ip)
        continue;
      start = first_fit (taken, next, group->count);
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

static void
sites_free (GroupSite *sites, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_clear_pointer (&sites[i].claim, g_array_unref);
      g_free (sites[i].ip_path);
    }
  g_free (sites);
}

/**
 * ps_scenario_clients_load:
 * @field: the "clients" array
 *
 * Fills @scenario->groups with every group and its addresses.
 */
gboolean
ps_scenario_clients_load (PsLoad *load, const PsField *field, PsScenario *scenario,
                 GError **error)
{
  GroupSite *sites;
  guint64 total = 0;
  gboolean ok = TRUE;
  guint n;

  if (!ps_field_array (load, field, &n, error))
    return FALSE;
  scenario->groups = g_new0 (PsClientGroup, n);
  sites = g_new0 (GroupSite, n);
  for (guint i = 0; i < n && ok; i++)
    {
      g_auto (PsField) client = { 0 };

      ps_field_element (field, i, &client);
      sites[i].total_before = total;
      ok = load_group (load, &client, field->path, scenario, sites, error);
      total += scenario->groups[i].count;
    }
  ok = ok && allocate_loopback (load, scenario, sites, field->path, error);
  sites_free (sites, n);
  return ok;
}
