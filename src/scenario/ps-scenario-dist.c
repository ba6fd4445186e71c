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
