/* ps-scenario-arrival.c: a client group's "arrival" object
 *
 * The selector "process" decides which keys belong: poisson {rate,
 * profile}, constant {interval, jitter}, onoff {on_rate, off_rate,
 * on_mean, off_mean}, trace {file}, access_log {file, format, speed,
 * strict}.  Replays read their file here (ps-scenario-replay.c), so the
 * group's count and addresses are known before the rest of the group is
 * read.  What the spec allocates (profile, replay) it owns.
 */
#include "ps-scenario-arrival.h"

#include "ps-scenario-replay.h"

#include "ps-duration.h"

static gboolean
process_lookup (const char *name, guint *out)
{
  PsArrivalProcess process;

  if (!ps_arrival_process_from_string (name, &process))
    return FALSE;
  *out = process;
  return TRUE;
}

static gboolean
get (PsLoad *load, const PsField *arrival, guint index, PsField *out,
     GError **error)
{
  return ps_field_get (load, arrival->node, arrival->path,
                       &ps_schema_arrival[index], out, error);
}

static gboolean
load_constant (PsLoad *load, const PsField *field, PsArrivalSpec *out,
               GError **error)
{
  g_auto (PsField) jitter = { 0 };
  char buf[PS_DURATION_STR_LEN];

  if (!ps_field_get_duration (load, field, &ps_schema_arrival[PS_SK_ARRIVAL_INTERVAL],
                              &out->interval, error)
      || !get (load, field, PS_SK_ARRIVAL_JITTER, &jitter, error)
      || !ps_field_duration (load, &jitter, &out->jitter, error))
    return FALSE;
  if (out->jitter > out->interval)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, jitter.node,
                         jitter.path, "must be at most interval (%s) (expected "
                         "a duration >= 0 and <= interval)",
                         ps_duration_format (out->interval, buf));
  return TRUE;
}

/* profile[i] = [time, multiplier]: both read through their own schema
 * keys; the first point at 0, times never decreasing. */
static gboolean
load_point (PsLoad *load, const PsField *profile, guint i, PsArrivalSpec *out,
            GError **error)
{
  g_auto (PsField) point = { 0 };
  g_auto (PsField) time = { 0 };
  g_auto (PsField) multiplier = { 0 };
  PsProfilePoint *p = &out->profile[i];
  char buf[PS_DURATION_STR_LEN], prev[PS_DURATION_STR_LEN];
  guint length;

  ps_field_element (profile, i, &point);
  if (!ps_field_array (load, &point, &length, error))
    return FALSE;
  ps_field_element (&point, 0, &time);
  time.key = &ps_schema_profile_time;
  ps_field_element (&point, 1, &multiplier);
  multiplier.key = &ps_schema_profile_multiplier;
  if (!ps_field_duration (load, &time, &p->at, error)
      || !ps_field_number (load, &multiplier, &p->multiplier, error))
    return FALSE;
  if (i == 0 && p->at != 0)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, time.node, time.path,
                         "the first point is at %s (expected the first point "
                         "at 0)", ps_duration_format (p->at, buf));
  if (i > 0 && p->at < out->profile[i - 1].at)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, time.node, time.path,
                         "%s comes before the previous point's %s (expected "
                         "times that do not decrease)", ps_duration_format (p->at, buf),
                         ps_duration_format (out->profile[i - 1].at, prev));
  out->profile_max = MAX (out->profile_max, p->multiplier);
  return TRUE;
}

static gboolean
load_profile (PsLoad *load, const PsField *arrival, PsArrivalSpec *out,
              GError **error)
{
  g_auto (PsField) field = { 0 };
  guint n;

  if (!ps_field_member (load, arrival->node, arrival->path,
                        &ps_schema_arrival[PS_SK_ARRIVAL_PROFILE], &field, error))
    return FALSE;
  if (field.node == NULL)
    return TRUE;
  if (!ps_field_array (load, &field, &n, error))
    return FALSE;
  out->profile = g_new0 (PsProfilePoint, n);
  out->n_profile = n;
  for (guint i = 0; i < n; i++)
    if (!load_point (load, &field, i, out, error))
      return FALSE;
  if (out->profile_max <= 0)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field.node, field.path,
                         "every multiplier is 0 (expected at least one "
                         "multiplier > 0)");
  return TRUE;
}

static gboolean
load_poisson (PsLoad *load, const PsField *field, PsArrivalSpec *out,
              GError **error)
{
  g_auto (PsField) rate = { 0 };

  return get (load, field, PS_SK_ARRIVAL_RATE, &rate, error)
         && ps_field_number (load, &rate, &out->rate, error)
         && load_profile (load, field, out, error);
}

static gboolean
load_onoff (PsLoad *load, const PsField *field, PsArrivalSpec *out,
            GError **error)
{
  g_auto (PsField) on_rate = { 0 };
  g_auto (PsField) off_rate = { 0 };

  return get (load, field, PS_SK_ARRIVAL_ON_RATE, &on_rate, error)
         && ps_field_number (load, &on_rate, &out->on_rate, error)
         && get (load, field, PS_SK_ARRIVAL_OFF_RATE, &off_rate, error)
         && ps_field_number (load, &off_rate, &out->off_rate, error)
         && ps_field_get_duration (load, field,
                                   &ps_schema_arrival[PS_SK_ARRIVAL_ON_MEAN],
                                   &out->on_mean, error)
         && ps_field_get_duration (load, field,
                                   &ps_schema_arrival[PS_SK_ARRIVAL_OFF_MEAN],
                                   &out->off_mean, error);
}

static gboolean
load_log_options (PsLoad *load, const PsField *field, PsLogOptions *options,
                  GError **error)
{
  g_auto (PsField) format = { 0 };
  g_auto (PsField) speed = { 0 };
  g_auto (PsField) strict = { 0 };
  const char *names[] = { ps_scenario_replay_format_to_string (PS_LOG_COMBINED),
                          ps_scenario_replay_format_to_string (PS_LOG_COMMON), NULL };
  guint v;

  if (!get (load, field, PS_SK_ARRIVAL_FORMAT, &format, error)
      || !ps_field_enum (load, &format, "log format", ps_scenario_replay_format_from_string,
                         names, &v, error)
      || !get (load, field, PS_SK_ARRIVAL_SPEED, &speed, error)
      || !ps_field_number (load, &speed, &options->speed, error)
      || !get (load, field, PS_SK_ARRIVAL_STRICT, &strict, error)
      || !ps_field_bool (load, &strict, &options->strict, error))
    return FALSE;
  options->format = (PsLogFormat) v;
  return TRUE;
}

static gboolean
load_replay (PsLoad *load, const PsField *field, const PsScenario *scenario,
             PsArrivalSpec *out, guint32 **out_addresses, GError **error)
{
  g_auto (PsField) file = { 0 };
  PsLogOptions options;

  if (!get (load, field, PS_SK_ARRIVAL_FILE, &file, error))
    return FALSE;
  if (out->process == PS_ARRIVAL_TRACE)
    return ps_scenario_replay_load_trace (load, &file, scenario, &out->replay, error);
  return load_log_options (load, field, &options, error)
         && ps_scenario_replay_load_access_log (load, &file, &options, scenario, &out->replay,
                                out_addresses, error);
}

/**
 * ps_scenario_arrival_load:
 * @field: a client group's "arrival" object
 * @scenario: the scenario so far (its duration is read)
 * @out: (out): the process; on failure it may hold allocations, freed by
 *   ps_arrival_spec_clear() with the scenario
 * @out_addresses: (out) (transfer full): for access_log, each client's
 *   address; NULL otherwise
 */
gboolean
ps_scenario_arrival_load (PsLoad *load, const PsField *field, const PsScenario *scenario,
                 PsArrivalSpec *out, guint32 **out_addresses, GError **error)
{
  const char *names[PS_ARRIVAL_LAST + 2] = { NULL };
  guint process;

  *out_addresses = NULL;
  for (guint i = 0; i <= PS_ARRIVAL_LAST; i++)
    names[i] = ps_arrival_process_to_string ((PsArrivalProcess) i);
  if (!ps_field_selector (load, field, "arrival process", process_lookup, names,
                          &process, error))
    return FALSE;
  *out = (PsArrivalSpec) { .process = (PsArrivalProcess) process };
  switch (out->process)
    {
    case PS_ARRIVAL_POISSON:
      return load_poisson (load, field, out, error);
    case PS_ARRIVAL_CONSTANT:
      return load_constant (load, field, out, error);
    case PS_ARRIVAL_ONOFF:
      return load_onoff (load, field, out, error);
    case PS_ARRIVAL_TRACE:
    case PS_ARRIVAL_ACCESS_LOG:
      return load_replay (load, field, scenario, out, out_addresses, error);
    default:
      g_assert_not_reached ();
    }
}
