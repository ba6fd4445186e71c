/* ps-scenario-dist.c: distributions (service_time, work, network latency)
 *
 * A distribution is an object whose selector key "dist" decides which
 * other keys belong, or a bare duration (a constant).  The selector is
 * read after the unknown-key check, so a misspelt selector reads as a
 * misspelling, not as a missing key.
 */
#include "ps-scenario-dist.h"

#include "ps-duration.h"

static gboolean
dist_lookup (const char *name, guint *out)
{
  PsDistKind kind;

  if (!ps_dist_kind_from_string (name, &kind))
    return FALSE;
  *out = kind;
  return TRUE;
}

static gboolean
load_uniform (PsLoad *load, const PsField *field, PsDist *out, GError **error)
{
  PsTime min, max;
  g_auto (PsField) max_field = { 0 };
  char buf[PS_DURATION_STR_LEN];

  if (!ps_field_get_duration (load, field, &ps_schema_dist[PS_SK_DIST_MIN], &min,
                              error)
      || !ps_field_get (load, field->node, field->path,
                        &ps_schema_dist[PS_SK_DIST_MAX], &max_field, error)
      || !ps_field_duration (load, &max_field, &max, error))
    return FALSE;
  if (max < min)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, max_field.node,
                         max_field.path, "must be at least min (%s) (expected "
                         "a duration >= min)", ps_duration_format (min, buf));
  out->a = (double) min;
  out->b = (double) max;
  return TRUE;
}

/**
 * ps_scenario_dist_load:
 * @field: a DIST key: a distribution object or a bare duration
 * @out: (out): parameters in µs
 */
gboolean
ps_scenario_dist_load (PsLoad *load, const PsField *field, PsDist *out, GError **error)
{
  const char *names[PS_DIST_LOGNORMAL + 2] = { NULL };
  PsTime a = 0, b = 0;
  guint kind;

  if (JSON_NODE_HOLDS_VALUE (field->node))
    {
      if (!ps_field_duration (load, field, &a, error))
        return FALSE;
      *out = (PsDist) { PS_DIST_CONSTANT, (double) a, 0 };
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (field->node))
    return ps_field_type_error (load, field, error);
  for (guint i = PS_DIST_CONSTANT; i <= PS_DIST_LOGNORMAL; i++)
    names[i] = ps_dist_kind_to_string ((PsDistKind) i);
  if (!ps_field_selector (load, field, "distribution", dist_lookup, names, &kind,
                          error))
    return FALSE;
  out->kind = (PsDistKind) kind;
  out->b = 0;
  switch (out->kind)
    {
    case PS_DIST_CONSTANT:
      if (!ps_field_get_duration (load, field, &ps_schema_dist[PS_SK_DIST_VALUE], &a,
                                  error))
        return FALSE;
      out->a = (double) a;
      return TRUE;
    case PS_DIST_UNIFORM:
      return load_uniform (load, field, out, error);
    case PS_DIST_EXPONENTIAL:
      if (!ps_field_get_duration (load, field, &ps_schema_dist[PS_SK_DIST_MEAN], &a,
                                  error))
        return FALSE;
      out->a = (double) a;
      return TRUE;
    case PS_DIST_LOGNORMAL:
      if (!ps_field_get_duration (load, field, &ps_schema_dist[PS_SK_DIST_MEAN], &a,
                                  error)
          || !ps_field_get_duration (load, field, &ps_schema_dist[PS_SK_DIST_STDDEV],
                                     &b, error))
        return FALSE;
      out->a = (double) a;
      out->b = (double) b;
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

/* A JSON number holding seconds, or NULL. */
static JsonNode *
bare_seconds (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) != G_TYPE_INT64
      && json_node_get_value_type (node) != G_TYPE_DOUBLE)
    return NULL;
  return node;
}

/**
 * ps_scenario_dist_warn_seconds:
 * @field: a service time (server.service_time or a group's work), loaded
 *   into @dist
 *
 * A service time whose mean is over 10 s, given as a bare number, was
 * more likely meant in milliseconds ("mean": 80 is 80 seconds): a warning
 * naming the value and how to write what was probably meant.
 */
void
ps_scenario_dist_warn_seconds (PsLoad *load, const PsField *field, const PsDist *dist)
{
  static const char *const members[] = { "mean", "value", "max" };
  JsonNode *number = bare_seconds (field->node);
  g_autofree char *path = NULL;
  double seconds;

  if (field->defaulted || ps_dist_mean (dist) <= 10e6)
    return;
  for (guint i = 0; number == NULL && i < G_N_ELEMENTS (members); i++)
    if (JSON_NODE_HOLDS_OBJECT (field->node))
      {
        number = bare_seconds (json_object_get_member (json_node_get_object (field->node),
                                                       members[i]));
        if (number != NULL)
          path = ps_load_child_path (field->path, members[i]);
      }
  if (number == NULL)
    return;
  seconds = json_node_get_value_type (number) == G_TYPE_INT64
            ? (double) json_node_get_int (number) : json_node_get_double (number);
  ps_load_warn (load, number, path ? path : field->path,
                "%g is read as %g seconds, a long service time; write \"%gms\" if "
                "milliseconds were meant", seconds, seconds, seconds);
}
