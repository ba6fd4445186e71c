/* ps-scenario-quota.c: quota policies, their lists, and per-client overrides
 *
 * A policy key that an override leaves out is inherited from the default
 * policy at the same index (index 0 for the object form; built-in defaults
 * past the end of the default list).  A name is inherited only when the
 * default's name was written out: a name derived from the window ("minute")
 * is derived again from the override's own window.  Names are filled in
 * before uniqueness is checked, so two unnamed 1m policies collide.
 */
#include "ps-scenario-quota.h"

#include "ps-suggest.h"

#include <string.h>

#define POLICY_NAME_CHARS "_-"

/* Where each override's group or cidr sits, for the matches-nothing check. */
typedef struct
{
  JsonNode *node;
  char      path[];
} Site;

static gboolean
algorithm_lookup (const char *name, guint *out)
{
  PsQuotaAlgorithm algorithm;

  if (!ps_quota_algorithm_from_string (name, &algorithm))
    return FALSE;
  *out = algorithm;
  return TRUE;
}

static gboolean
allows_burst (PsQuotaAlgorithm algorithm)
{
  return algorithm == PS_QUOTA_TOKEN_BUCKET || algorithm == PS_QUOTA_GCRA;
}

/* Present key, else the inherited value when there is a base, else the
 * schema default: @out->node is NULL only when inheriting. */
static gboolean
get_key (PsLoad *load, const PsField *policy, guint index, gboolean inherit,
         PsField *out, GError **error)
{
  const PsSchemaKey *key = &ps_schema_policy[index];

  if (inherit)
    return ps_field_member (load, policy->node, policy->path, key, out, error);
  return ps_field_get (load, policy->node, policy->path, key, out, error);
}

static gboolean
load_algorithm (PsLoad *load, const PsField *policy, const PsQuotaPolicy *base,
                PsQuotaPolicy *out, GError **error)
{
  g_auto (PsField) field = { 0 };
  guint algorithm;

  if (!get_key (load, policy, PS_SK_POLICY_ALGORITHM, base != NULL, &field, error))
    return FALSE;
  if (field.node == NULL)
    {
      out->algorithm = base->algorithm;
      return TRUE;
    }
  if (!ps_field_enum (load, &field, "algorithm", algorithm_lookup,
                      ps_quota_algorithm_names (), &algorithm, error))
    return FALSE;
  out->algorithm = (PsQuotaAlgorithm) algorithm;
  return TRUE;
}

static gboolean
load_limit_window (PsLoad *load, const PsField *policy, const PsQuotaPolicy *base,
                   PsQuotaPolicy *out, GError **error)
{
  g_auto (PsField) limit = { 0 };
  g_auto (PsField) window = { 0 };
  gint64 v;

  if (!get_key (load, policy, PS_SK_POLICY_LIMIT, base != NULL, &limit, error))
    return FALSE;
  if (limit.node == NULL)
    out->limit = base->limit;
  else if (ps_field_int (load, &limit, &v, error))
    out->limit = (guint32) v;
  else
    return FALSE;
  if (!get_key (load, policy, PS_SK_POLICY_WINDOW, base != NULL, &window, error))
    return FALSE;
  if (window.node == NULL)
    out->window = base->window;
  else if (!ps_field_duration (load, &window, &out->window, error))
    return FALSE;
  return TRUE;
}

/* burst: only token_bucket and gcra have one; an inherited burst is
 * dropped when the override picks an algorithm without bursts. */
static gboolean
load_burst (PsLoad *load, const PsField *policy, const PsQuotaPolicy *base,
            PsQuotaPolicy *out, GError **error)
{
  g_auto (PsField) burst = { 0 };
  gint64 v;

  if (!ps_field_member (load, policy->node, policy->path,
                        &ps_schema_policy[PS_SK_POLICY_BURST], &burst, error))
    return FALSE;
  if (burst.node == NULL)
    {
      out->burst = base != NULL && allows_burst (out->algorithm) ? base->burst : 0;
      return TRUE;
    }
  if (!ps_field_int (load, &burst, &v, error))
    return FALSE;
  if (!allows_burst (out->algorithm))
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_CONFLICT, burst.node,
                         burst.path, "%s does not apply to algorithm \"%s\" "
                         "(expected \"%s\" only with %s or %s)", burst.key->name,
                         ps_quota_algorithm_to_string (out->algorithm),
                         burst.key->name,
                         ps_quota_algorithm_to_string (PS_QUOTA_TOKEN_BUCKET),
                         ps_quota_algorithm_to_string (PS_QUOTA_GCRA));
  out->burst = (guint32) v;
  return TRUE;
}

static gboolean
load_name (PsLoad *load, const PsField *policy, const PsQuotaPolicy *base,
           gboolean base_named, PsQuotaPolicy *out, gboolean *out_named,
           GError **error)
{
  g_auto (PsField) name = { 0 };
  const char *text;

  if (!ps_field_member (load, policy->node, policy->path,
                        &ps_schema_policy[PS_SK_POLICY_NAME], &name, error))
    return FALSE;
  *out_named = TRUE;
  if (name.node != NULL)
    {
      if (!ps_field_name (load, &name, POLICY_NAME_CHARS, PS_QUOTA_NAME_LEN - 1,
                          &text, error))
        return FALSE;
      g_strlcpy (out->name, text, sizeof out->name);
    }
  else if (base != NULL && base_named)
    g_strlcpy (out->name, base->name, sizeof out->name);
  else
    {
      *out_named = FALSE;
      out->name[0] = '\0';
      ps_quota_policy_default_name (out);
    }
  return TRUE;
}

/* The algorithms work in exact integers scaled by the window, so
 * max(limit, burst) x window (in µs) must stay below 2^61: about 26
 * million per day.  Beyond that a request could never be decided right. */
static gboolean
check_scale (PsLoad *load, const PsField *policy, const PsQuotaPolicy *out,
             GError **error)
{
  guint64 biggest = MAX (out->limit, ps_quota_policy_burst (out));
  guint64 most = (guint64) (G_MAXINT64 / 4) / (guint64) out->window;

  if (biggest <= most)
    return TRUE;
  return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, policy->node, policy->path,
                       "%" G_GUINT64_FORMAT " per window of %" G_GINT64_FORMAT
                       " s is beyond exact arithmetic (expected at most %" G_GUINT64_FORMAT
                       " per window this long; use a shorter window)",
                       biggest, out->window / G_USEC_PER_SEC, most);
}

/* One policy object; @base: (nullable): the policy it inherits from. */
static gboolean
load_policy (PsLoad *load, const PsField *policy, const PsQuotaPolicy *base,
             gboolean base_named, PsQuotaPolicy *out, gboolean *out_named,
             GError **error)
{
  memset (out, 0, sizeof *out);
  return ps_field_object (load, policy, error)
         && load_algorithm (load, policy, base, out, error)
         && load_limit_window (load, policy, base, out, error)
         && load_burst (load, policy, base, out, error)
         && check_scale (load, policy, out, error)
         && load_name (load, policy, base, base_named, out, out_named, error);
}

/* Two policies of one list must not share a name: the RateLimit headers
 * tell them apart by it. */
static gboolean
check_unique (PsLoad *load, const PsField *policy, const PsQuotaPolicy *list,
              guint index, gboolean named, const char *list_path, gboolean is_array,
              GError **error)
{
  g_auto (PsField) name = { 0 };

  for (guint j = 0; j < index; j++)
    {
      if (strcmp (list[j].name, list[index].name) != 0)
        continue;
      ps_field_member (load, policy->node, policy->path,
                       &ps_schema_policy[PS_SK_POLICY_NAME], &name, NULL);
      if (is_array && name.node != NULL)
        return ps_load_fail (load, error, PS_SCENARIO_ERROR_CONFLICT, name.node,
                             name.path, "\"%s\" is already the name of %s[%u] "
                             "(expected unique policy names)",
                             list[index].name, list_path, j);
      return ps_load_fail (load, error, PS_SCENARIO_ERROR_CONFLICT, policy->node,
                           policy->path, "is also named \"%s\"%s, like %s[%u] "
                           "(expected unique policy names: give one a \"%s\")",
                           list[index].name, named ? "" : " after its window",
                           list_path, j, ps_schema_policy[PS_SK_POLICY_NAME].name);
    }
  return TRUE;
}

/**
 * ps_scenario_quota_load_policies:
 * @field: a ONE_OR_MANY quota key
 * @base: (array length=n_base) (nullable): policies to inherit from
 * @base_named: bit i set when @base[i]'s name was written out
 * @out: (out caller-allocates) (array fixed-size=8)
 * @out_named: (out): bit i set when @out[i]'s name was written out or inherited
 */
gboolean
ps_scenario_quota_load_policies (PsLoad *load, const PsField *field, const PsQuotaPolicy *base,
                  guint n_base, guint base_named, PsQuotaPolicy *out,
                  guint *out_n, guint *out_named, GError **error)
{
  gboolean is_array = JSON_NODE_HOLDS_ARRAY (field->node);
  guint n = 1;

  if (!is_array && !JSON_NODE_HOLDS_OBJECT (field->node))
    return ps_field_type_error (load, field, error);
  if (is_array && !ps_field_array (load, field, &n, error))
    return FALSE;
  *out_named = 0;
  for (guint i = 0; i < n; i++)
    {
      g_auto (PsField) policy = { 0 };
      const PsQuotaPolicy *inherit = base != NULL && i < n_base ? &base[i] : NULL;
      gboolean named = FALSE;

      if (is_array)
        ps_field_element (field, i, &policy);
      else
        policy = (PsField) { field->key->element, field->node, field->parent,
                             g_strdup (field->path), field->defaulted };
      if (!load_policy (load, &policy, inherit, (base_named >> i) & 1, &out[i],
                        &named, error)
          || !check_unique (load, &policy, out, i, named, field->path, is_array, error))
        return FALSE;
      *out_named |= (guint) named << i;
    }
  *out_n = n;
  return TRUE;
}

static void
add_site (PsLoad *load, const PsField *field)
{
  gsize size = strlen (field->path) + 1;
  Site *site = g_malloc (sizeof (Site) + size);

  site->node = field->node;
  memcpy (site->path, field->path, size);
  g_ptr_array_add (load->override_sites, site);
}

/* group or cidr, exactly one. */
static gboolean
load_match (PsLoad *load, const PsField *field, PsQuotaOverride *out,
            GError **error)
{
  g_auto (PsField) group = { 0 };
  g_auto (PsField) cidr = { 0 };
  const char *text;

  if (!ps_field_member (load, field->node, field->path,
                        &ps_schema_override[PS_SK_OVERRIDE_GROUP], &group, error)
      || !ps_field_member (load, field->node, field->path,
                           &ps_schema_override[PS_SK_OVERRIDE_CIDR], &cidr, error))
    return FALSE;
  if ((group.node == NULL) == (cidr.node == NULL))
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_CONFLICT,
                         group.node != NULL ? cidr.node : field->node, field->path,
                         "has %s \"%s\" %s \"%s\" (expected exactly one of "
                         "\"%s\" or \"%s\")",
                         group.node != NULL ? "both" : "neither", group.key->name,
                         group.node != NULL ? "and" : "nor", cidr.key->name,
                         group.key->name, cidr.key->name);
  if (group.node != NULL)
    {
      if (!ps_field_string (load, &group, &text, error))
        return FALSE;
      out->group = g_strdup (text);
      add_site (load, &group);
      return TRUE;
    }
  if (!ps_field_cidr (load, &cidr, &out->cidr, error))
    return FALSE;
  out->has_cidr = TRUE;
  add_site (load, &cidr);
  return TRUE;
}

/**
 * ps_scenario_quota_load_overrides:
 * @field: server.overrides
 * @quota_named: which of @scenario's default policies have written names
 *
 * Fills @scenario->overrides, after @scenario->quota.
 */
gboolean
ps_scenario_quota_load_overrides (PsLoad *load, const PsField *field, guint quota_named,
                   PsScenario *scenario, GError **error)
{
  guint n;

  if (!ps_field_array (load, field, &n, error))
    return FALSE;
  scenario->overrides = g_new0 (PsQuotaOverride, n);
  for (guint i = 0; i < n; i++)
    {
      PsQuotaOverride *o = &scenario->overrides[scenario->n_overrides++];
      g_auto (PsField) element = { 0 };
      g_auto (PsField) quota = { 0 };
      guint named;

      ps_field_element (field, i, &element);
      if (!ps_field_object (load, &element, error)
          || !load_match (load, &element, o, error)
          || !ps_field_get (load, element.node, element.path,
                            &ps_schema_override[PS_SK_OVERRIDE_QUOTA], &quota, error)
          || !ps_scenario_quota_load_policies (load, &quota, scenario->quota, scenario->n_quota,
                                quota_named, o->policies, &o->n_policies, &named,
                                error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
group_exists (const PsScenario *scenario, const char *name)
{
  for (guint g = 0; g < scenario->n_groups; g++)
    if (strcmp (scenario->groups[g].name, name) == 0)
      return TRUE;
  return FALSE;
}

/* Does a listed address of @group (ip list, access log) lie in lo..hi?
 * A binary search of its addresses in order. */
static gboolean
listed_in (const PsClientGroup *group, guint64 lo, guint64 hi)
{
  guint32 a = 0, b = group->count;

  while (a < b)
    {
      guint32 mid = a + (b - a) / 2;

      if (group->addresses[group->address_order[mid]] < lo)
        a = mid + 1;
      else
        b = mid;
    }
  return a < group->count && group->addresses[group->address_order[a]] <= hi;
}

/* Does @cidr hold the address of some client?  A group's addresses from
 * a block are consecutive, so that is one interval test; listed ones are
 * searched. */
static gboolean
cidr_has_client (const PsScenario *scenario, const PsCidr *cidr)
{
  guint64 lo = cidr->base, hi = lo + ps_cidr_size (cidr) - 1;

  for (guint g = 0; g < scenario->n_groups; g++)
    {
      const PsClientGroup *group = &scenario->groups[g];
      guint64 first, last;

      if (group->addresses != NULL)
        {
          if (listed_in (group, lo, hi))
            return TRUE;
          continue;
        }
      first = ps_cidr_host (&group->ip, group->ip_offset);
      last = ps_cidr_host (&group->ip, group->ip_offset + group->count - 1);
      if (first <= hi && last >= lo)
        return TRUE;
    }
  return FALSE;
}

/* Overrides that can never apply: naming no group is an error, a CIDR
 * with no client in it a warning.  Needs groups and addresses. */
gboolean
ps_scenario_quota_check_overrides (PsLoad *load, const PsScenario *scenario,
                                   GError **error)
{
  g_assert (load->override_sites->len == scenario->n_overrides);
  for (guint i = 0; i < scenario->n_overrides; i++)
    {
      const PsQuotaOverride *o = &scenario->overrides[i];
      const Site *site = g_ptr_array_index (load->override_sites, i);
      char buf[PS_IPV4_STR_LEN];

      if (o->group != NULL && !group_exists (scenario, o->group))
        {
          /* An override that names no group would leave the group it was
           * meant for on the default quota, silently: an error. */
          g_autofree const char **names = g_new0 (const char *, scenario->n_groups + 1);
          g_autofree char *known = NULL;
          const char *nearest;

          for (guint g = 0; g < scenario->n_groups; g++)
            names[g] = scenario->groups[g].name;
          nearest = ps_suggest_nearest (o->group, names);
          known = ps_load_names_list (names);
          if (nearest != NULL)
            return ps_load_fail (load, error, PS_SCENARIO_ERROR_VALUE, site->node, site->path,
                                 "\"%s\" matches no client group (did you mean \"%s\"?)",
                                 o->group, nearest);
          return ps_load_fail (load, error, PS_SCENARIO_ERROR_VALUE, site->node, site->path,
                               "\"%s\" matches no client group (expected one of %s)",
                               o->group, known);
        }
      if (o->has_cidr && !cidr_has_client (scenario, &o->cidr))
        ps_load_warn (load, site->node, site->path,
                      "%s/%u contains no client address",
                      ps_ipv4_format (o->cidr.base, buf), o->cidr.prefix);
    }
  return TRUE;
}
