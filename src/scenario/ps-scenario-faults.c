/* ps-scenario-faults.c: faults, each a window of the run with one change
 *
 * A fault is {"at", "for"} and exactly one of workers, service_factor,
 * outage (true), latency.  Its window must lie inside the run (a fault
 * ending at the very end leaves nothing to judge recovery by: a
 * warning), and two faults of one kind may not overlap: which of them
 * would hold is not something to guess.
 */
#include "ps-scenario-faults.h"

#include "ps-duration.h"

static const guint kind_keys[] = {
  [PS_FAULT_WORKERS] = PS_SK_FAULT_WORKERS,
  [PS_FAULT_SERVICE_FACTOR] = PS_SK_FAULT_SERVICE_FACTOR,
  [PS_FAULT_OUTAGE] = PS_SK_FAULT_OUTAGE,
  [PS_FAULT_LATENCY] = PS_SK_FAULT_LATENCY,
};

/* Which change the fault makes: the one kind key it has. */
static gboolean
load_kind (PsLoad *load, const PsField *fault, PsFault *out, PsField *kind_field,
           GError **error)
{
  guint found = 0;

  for (guint k = 0; k < G_N_ELEMENTS (kind_keys); k++)
    {
      g_auto (PsField) field = { 0 };

      if (!ps_field_member (load, fault->node, fault->path,
                            &ps_schema_fault[kind_keys[k]], &field, error))
        return FALSE;
      if (field.node == NULL)
        continue;
      if (found++ > 0)
        return ps_load_fail (load, error, PS_SCENARIO_ERROR_CONFLICT, field.node,
                             field.path, "is a second change in one fault, besides \"%s\" "
                             "(expected one of workers, service_factor, outage, "
                             "latency per fault: give each its own entry)",
                             ps_fault_kind_to_string (out->kind));
      out->kind = (PsFaultKind) k;
      ps_field_clear (kind_field);
      *kind_field = field;
      field = (PsField) { 0 };
    }
  if (found == 0)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_MISSING_KEY, fault->node,
                         fault->path, "says nothing goes wrong (expected one of "
                         "\"workers\", \"service_factor\", \"outage\", \"latency\")");
  switch (out->kind)
    {
    case PS_FAULT_WORKERS:
      return ps_field_uint (load, kind_field, &out->workers, error);
    case PS_FAULT_SERVICE_FACTOR:
      return ps_field_number (load, kind_field, &out->factor, error);
    case PS_FAULT_OUTAGE:
      {
        gboolean on;

        if (!ps_field_bool (load, kind_field, &on, error))
          return FALSE;
        if (!on)
          return ps_load_fail (load, error, PS_SCENARIO_ERROR_VALUE, kind_field->node,
                               kind_field->path, "false is no fault (expected true, "
                               "or no such entry)");
        return TRUE;
      }
    case PS_FAULT_LATENCY:
      return ps_field_duration (load, kind_field, &out->latency, error);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
load_fault (PsLoad *load, const PsField *fault, const PsScenario *scenario, PsFault *out,
            GError **error)
{
  g_auto (PsField) at = { 0 };
  g_auto (PsField) length = { 0 };
  g_auto (PsField) kind = { 0 };
  char buf[PS_DURATION_STR_LEN], end_buf[PS_DURATION_STR_LEN];
  PsTime span;

  if (!ps_field_object (load, fault, error)
      || !ps_field_get (load, fault->node, fault->path, &ps_schema_fault[PS_SK_FAULT_AT],
                        &at, error)
      || !ps_field_duration (load, &at, &out->at, error)
      || !ps_field_get (load, fault->node, fault->path, &ps_schema_fault[PS_SK_FAULT_FOR],
                        &length, error)
      || !ps_field_duration (load, &length, &span, error)
      || !load_kind (load, fault, out, &kind, error))
    return FALSE;
  if (out->at >= scenario->duration)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, at.node, at.path,
                         "%s is not within the run's duration of %s (expected a start "
                         "before the end)", ps_duration_format (out->at, buf),
                         ps_duration_format (scenario->duration, end_buf));
  out->end = out->at + span;
  if (span > scenario->duration - out->at)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, length.node, length.path,
                         "ends the fault at %s, after the run's end at %s (expected a "
                         "window inside the run)", ps_duration_format (out->at + MIN (span, G_MAXINT64 / 2), buf),
                         ps_duration_format (scenario->duration, end_buf));
  if (out->end == scenario->duration)
    ps_load_warn (load, length.node, length.path, "ends the fault with the run: "
                  "nothing after it tells whether the system recovers");
  return TRUE;
}

/**
 * ps_scenario_faults_load:
 * @top: the document
 *
 * Fills @scenario->faults; the duration must be loaded.
 */
gboolean
ps_scenario_faults_load (PsLoad *load, const PsField *top, PsScenario *scenario,
                         GError **error)
{
  g_auto (PsField) faults = { 0 };
  guint n;

  if (!ps_field_get (load, top->node, top->path, &ps_schema_top[PS_SK_TOP_FAULTS], &faults,
                     error)
      || !ps_field_array (load, &faults, &n, error))
    return FALSE;
  scenario->faults = g_new0 (PsFault, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      g_auto (PsField) fault = { 0 };
      PsFault *f = &scenario->faults[i];

      ps_field_element (&faults, i, &fault);
      if (!load_fault (load, &fault, scenario, f, error))
        return FALSE;
      for (guint j = 0; j < i; j++)
        {
          const PsFault *other = &scenario->faults[j];

          if (other->kind == f->kind && f->at < other->end && other->at < f->end)
            return ps_load_fail (load, error, PS_SCENARIO_ERROR_CONFLICT, fault.node,
                                 fault.path, "overlaps %s[%u], another %s fault "
                                 "(expected faults of one kind at disjoint times)",
                                 faults.path, j, ps_fault_kind_to_string (f->kind));
        }
      scenario->n_faults++;
    }
  return TRUE;
}
