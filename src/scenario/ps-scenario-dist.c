/* ps-scenario-dist.c: distributions (service_time) and arrival processes
 *
 * Both are objects whose selector key ("dist", "process") decides which
 * other keys belong; a bare duration is a constant distribution.  The
 * selector is read after the unknown-key check, so a misspelt selector
 * reads as a misspelling, not as a missing key.
 */
#include "ps-scenario-private.h"

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
process_lookup (const char *name, guint *out)
{
  for (guint i = PS_ARRIVAL_POISSON; i <= PS_ARRIVAL_CONSTANT; i++)
    if (g_strcmp0 (name, ps_arrival_process_to_string ((PsArrivalProcess) i)) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

/* Reads @key of the variant object @object as a duration in µs. */
static gboolean
read_duration (PsLoad *load, const PsField *object, const PsSchemaKey *key,
               PsTime *out, GError **error)
{
  g_auto (PsField) field = { 0 };

  return ps_field_get (load, object->node, object->path, key, &field, error)
         && ps_field_duration (load, &field, out, error);
}

/* Reads the selector of @object, then checks that every key present
 * belongs to the variant it names.  A missing selector's message lists
 * the valid names. */
static gboolean
read_selector (PsLoad *load, const PsField *object, const char *what,
               PsEnumLookupFunc lookup, const char *const *names, guint *out,
               GError **error)
{
  const PsSchemaObject *schema = object->key->object;
  g_autofree char *list = ps_load_names_list (names);
  g_autofree char *expected = g_strdup_printf ("one of: %s", list);
  PsSchemaKey key = schema->keys[schema->selector];
  g_auto (PsField) selector = { 0 };

  key.expected = expected;
  return ps_field_object (load, object, error)
         && ps_field_get (load, object->node, object->path, &key, &selector, error)
         && ps_field_enum (load, &selector, what, lookup, names, out, error)
         && ps_field_variant_members (load, object, *out, error);
}

static gboolean
load_uniform (PsLoad *load, const PsField *field, PsDist *out, GError **error)
{
  PsTime min, max;
  g_auto (PsField) max_field = { 0 };
  char buf[PS_DURATION_STR_LEN];

  if (!read_duration (load, field, &ps_schema_dist[PS_SK_DIST_MIN], &min, error)
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
 * ps_load_dist:
 * @field: a DIST key: a distribution object or a bare duration
 * @out: (out): parameters in µs
 */
gboolean
ps_load_dist (PsLoad *load, const PsField *field, PsDist *out, GError **error)
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
  if (!read_selector (load, field, "distribution", dist_lookup, names, &kind, error))
    return FALSE;
  out->kind = (PsDistKind) kind;
  out->b = 0;
  switch (out->kind)
    {
    case PS_DIST_CONSTANT:
      if (!read_duration (load, field, &ps_schema_dist[PS_SK_DIST_VALUE], &a, error))
        return FALSE;
      out->a = (double) a;
      return TRUE;
    case PS_DIST_UNIFORM:
      return load_uniform (load, field, out, error);
    case PS_DIST_EXPONENTIAL:
      if (!read_duration (load, field, &ps_schema_dist[PS_SK_DIST_MEAN], &a, error))
        return FALSE;
      out->a = (double) a;
      return TRUE;
    case PS_DIST_LOGNORMAL:
      if (!read_duration (load, field, &ps_schema_dist[PS_SK_DIST_MEAN], &a, error)
          || !read_duration (load, field, &ps_schema_dist[PS_SK_DIST_STDDEV], &b, error))
        return FALSE;
      out->a = (double) a;
      out->b = (double) b;
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
load_constant_arrival (PsLoad *load, const PsField *field, PsArrivalSpec *out,
                       GError **error)
{
  g_auto (PsField) jitter = { 0 };
  char buf[PS_DURATION_STR_LEN];

  if (!read_duration (load, field, &ps_schema_arrival[PS_SK_ARRIVAL_INTERVAL],
                      &out->interval, error)
      || !ps_field_get (load, field->node, field->path,
                        &ps_schema_arrival[PS_SK_ARRIVAL_JITTER], &jitter, error)
      || !ps_field_duration (load, &jitter, &out->jitter, error))
    return FALSE;
  if (out->jitter > out->interval)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, jitter.node,
                         jitter.path, "must be at most interval (%s) (expected "
                         "a duration >= 0 and <= interval)",
                         ps_duration_format (out->interval, buf));
  return TRUE;
}

/**
 * ps_load_arrival:
 * @out: (out): poisson {rate} or constant {interval, jitter}
 */
gboolean
ps_load_arrival (PsLoad *load, const PsField *field, PsArrivalSpec *out,
                 GError **error)
{
  const char *names[PS_ARRIVAL_CONSTANT + 2] = { NULL };
  g_auto (PsField) rate = { 0 };
  guint process;

  for (guint i = PS_ARRIVAL_POISSON; i <= PS_ARRIVAL_CONSTANT; i++)
    names[i] = ps_arrival_process_to_string ((PsArrivalProcess) i);
  if (!read_selector (load, field, "arrival process", process_lookup, names,
                      &process, error))
    return FALSE;
  *out = (PsArrivalSpec) { .process = (PsArrivalProcess) process };
  switch (out->process)
    {
    case PS_ARRIVAL_POISSON:
      return ps_field_get (load, field->node, field->path,
                           &ps_schema_arrival[PS_SK_ARRIVAL_RATE], &rate, error)
             && ps_field_number (load, &rate, &out->rate, error);
    case PS_ARRIVAL_CONSTANT:
      return load_constant_arrival (load, field, out, error);
    default:
      g_assert_not_reached ();
    }
}
