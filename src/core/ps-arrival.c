/* ps-arrival.c: the next arrival time of each process
 *
 * Every draw comes from the caller's stream, in a fixed order, so a
 * client's arrivals depend on its seed and nothing else.  Poisson and
 * constant draw exactly what they always drew (one exponential, or one
 * bounded integer, per arrival), so runs recorded before the other
 * processes existed stay byte-identical.
 *
 * A constant process starts at a random phase within its first interval:
 * a thousand clients all firing at t=0 would be an artefact of the model,
 * not a property of the traffic.
 *
 * Exactness: a profile is thinned against its largest multiplier (Lewis
 * and Shedler), and on/off samples the next switch and the next arrival in
 * the current state, restarting the arrival clock after a switch; both are
 * exact for Poisson processes because the exponential is memoryless.  The
 * only approximation is rounding each gap to the microsecond.
 */
#include "ps-arrival.h"

#include <math.h>
#include <string.h>

#include "ps-dist.h"

static const char *const process_names[] = {
  [PS_ARRIVAL_POISSON] = "poisson",
  [PS_ARRIVAL_CONSTANT] = "constant",
  [PS_ARRIVAL_ONOFF] = "onoff",
  [PS_ARRIVAL_TRACE] = "trace",
  [PS_ARRIVAL_ACCESS_LOG] = "access_log",
};

/* A gap in µs, rounded as ps-dist rounds, after @now; PS_TIME_NEVER when
 * it would not fit (a rate of 1e-300 per second is legal). */
static PsTime
after (PsTime now, double gap_us)
{
  PsTime gap;

  if (!(gap_us > 0))
    return now;
  if (gap_us >= (double) (PS_TIME_NEVER - now))
    return PS_TIME_NEVER;
  gap = ps_time_round_us (gap_us);
  return gap >= PS_TIME_NEVER - now ? PS_TIME_NEVER : now + gap;
}

static PsTime
exponential_after (PsTime now, PsRng *rng, double rate_per_s)
{
  return after (now, ps_sample_exponential (rng, 1e6 / rate_per_s));
}

/**
 * ps_arrival_multiplier:
 * @t: time from t=0
 *
 * The profile's multiplier at @t: linear between points, the later value
 * at a step (two points at one instant), the last value after the last
 * point.  1 without a profile.
 */
double
ps_arrival_multiplier (const PsArrivalSpec *spec, PsTime t)
{
  const PsProfilePoint *p = spec->profile;
  guint lo = 0, hi;

  if (p == NULL || spec->n_profile == 0)
    return 1.0;
  hi = spec->n_profile;                 /* find the last point with at <= t */
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (p[mid].at <= t)
        lo = mid;
      else
        hi = mid;
    }
  if (lo + 1 == spec->n_profile || t < p[lo].at)
    return p[lo].multiplier;
  /* p[lo].at <= t < p[lo + 1].at: no division by zero */
  return p[lo].multiplier + (p[lo + 1].multiplier - p[lo].multiplier)
         * (double) (t - p[lo].at) / (double) (p[lo + 1].at - p[lo].at);
}

/* Poisson with a profile: candidates at rate * max, each kept with
 * probability m(t) / max.  Past the last point the rate is constant, so
 * the candidate crossing it is discarded and the process restarts there
 * with direct sampling (memoryless): a long tail costs nothing, and a
 * tail multiplier of 0 ends the arrivals. */
static PsTime
next_profiled (const PsArrivalSpec *spec, PsRng *rng, PsTime now)
{
  const PsProfilePoint *last = &spec->profile[spec->n_profile - 1];
  const double max = spec->profile_max;
  PsTime t = now;

  for (;;)
    {
      if (t >= last->at)
        return last->multiplier > 0
               ? exponential_after (t, rng, spec->rate * last->multiplier)
               : PS_TIME_NEVER;
      t = exponential_after (t, rng, spec->rate * max);
      if (t >= last->at)
        {
          t = last->at;
          continue;
        }
      if (ps_rng_double (rng) * max < ps_arrival_multiplier (spec, t))
        return t;
    }
}

static PsTime
next_constant (const PsArrivalSpec *spec, PsArrivalState *state, PsRng *rng,
               PsTime now)
{
  if (!state->started)
    {
      state->started = 1;
      return now + (PsTime) ps_rng_below (rng, (guint64) spec->interval);
    }
  if (spec->jitter > 0)
    {
      gint64 span = 2 * spec->jitter + 1;
      PsTime gap = spec->interval - spec->jitter
                   + (PsTime) ps_rng_below (rng, (guint64) span);

      return now + MAX (gap, 0);
    }
  return now + spec->interval;
}

static void
enter_state (const PsArrivalSpec *spec, PsArrivalState *state, PsRng *rng,
             PsTime now, gboolean on)
{
  state->on = on;
  state->switch_at = after (now, ps_sample_exponential (
                                   rng, (double) (on ? spec->on_mean : spec->off_mean)));
}

/* On/off: the first call draws the state from the stationary
 * probabilities (on: on_mean / (on_mean + off_mean)) and its residual
 * sojourn, which for an exponential sojourn is again exponential. */
static PsTime
next_onoff (const PsArrivalSpec *spec, PsArrivalState *state, PsRng *rng,
            PsTime now)
{
  PsTime t = now;

  if (!state->started)
    {
      double total = (double) spec->on_mean + (double) spec->off_mean;

      state->started = 1;
      enter_state (spec, state, rng, now,
                   ps_rng_double (rng) * total < (double) spec->on_mean);
    }
  for (;;)
    {
      double rate = state->on ? spec->on_rate : spec->off_rate;

      if (rate > 0)
        {
          PsTime candidate = exponential_after (t, rng, rate);

          if (candidate < state->switch_at)
            return candidate;
        }
      if (state->switch_at == PS_TIME_NEVER)
        return PS_TIME_NEVER;
      t = state->switch_at;
      enter_state (spec, state, rng, t, !state->on);
    }
}

static PsTime
next_replayed (PsArrivalState *state, const PsReplay *replay, PsTime now)
{
  PsTime t;

  if (state->rows.next >= state->rows.end)
    return PS_TIME_NEVER;
  t = ps_replay_get_row (replay, state->rows.next++)->time;
  return MAX (t, now);                  /* rows are sorted: t >= now */
}

/**
 * ps_arrival_state_init:
 * @index: the client's index in its group
 *
 * Prepares @state for the client's first ps_arrival_next().  Needed for
 * trace and access_log (it finds the client's rows); for the others a
 * zeroed state is the same.
 */
void
ps_arrival_state_init (PsArrivalState *state, const PsArrivalSpec *spec,
                       guint32 index)
{
  g_return_if_fail (state != NULL && spec != NULL);

  memset (state, 0, sizeof *state);
  if (ps_arrival_is_replay (spec))
    ps_replay_get_client_rows (spec->replay, index, &state->rows.next,
                               &state->rows.end);
}

/**
 * ps_arrival_next:
 * @state: the client's, from ps_arrival_state_init() (or zeroed)
 * @rng: the client's traffic stream
 * @now: 0 for the first call, then the time the previous call returned
 *
 * Returns: the time of the client's next arrival, >= @now;
 * %PS_TIME_NEVER when there is none (a replay is exhausted, a profile
 * ends at 0).
 */
PsTime
ps_arrival_next (const PsArrivalSpec *spec, PsArrivalState *state, PsRng *rng,
                 PsTime now)
{
  g_return_val_if_fail (spec != NULL && state != NULL, PS_TIME_NEVER);
  g_return_val_if_fail (now >= 0, PS_TIME_NEVER);

  switch (spec->process)
    {
    case PS_ARRIVAL_POISSON:
      if (spec->profile != NULL)
        return next_profiled (spec, rng, now);
      return exponential_after (now, rng, spec->rate);
    case PS_ARRIVAL_CONSTANT:
      return next_constant (spec, state, rng, now);
    case PS_ARRIVAL_ONOFF:
      return next_onoff (spec, state, rng, now);
    case PS_ARRIVAL_TRACE:
    case PS_ARRIVAL_ACCESS_LOG:
      return next_replayed (state, spec->replay, now);
    default:
      g_assert_not_reached ();
    }
}

/**
 * ps_arrival_current_row:
 *
 * Returns: (transfer none) (nullable): for a replay, the row of the
 * arrival ps_arrival_next() returned last (its priority and work); NULL
 * for drawn processes.
 */
const PsReplayRow *
ps_arrival_current_row (const PsArrivalSpec *spec, const PsArrivalState *state)
{
  if (!ps_arrival_is_replay (spec))
    return NULL;
  g_return_val_if_fail (state->rows.next > 0, NULL);
  return ps_replay_get_row (spec->replay, state->rows.next - 1);
}

/* Time of the first arrival, from t=0 (poisson without profile, constant). */
PsTime
ps_arrival_first (const PsArrivalSpec *spec, PsRng *rng)
{
  PsArrivalState state = { .started = 0 };

  g_return_val_if_fail ((spec->process == PS_ARRIVAL_POISSON && spec->profile == NULL)
                        || spec->process == PS_ARRIVAL_CONSTANT, PS_TIME_NEVER);
  return ps_arrival_next (spec, &state, rng, 0);
}

/* Gap from one arrival to the next, >= 0 (poisson without profile, constant). */
PsTime
ps_arrival_gap (const PsArrivalSpec *spec, PsRng *rng)
{
  PsArrivalState state = { .started = 1 };

  g_return_val_if_fail ((spec->process == PS_ARRIVAL_POISSON && spec->profile == NULL)
                        || spec->process == PS_ARRIVAL_CONSTANT, PS_TIME_NEVER);
  return ps_arrival_next (spec, &state, rng, 0);
}

/* Requests per second per client in the long run: after the last point of
 * a profile; over the recorded span for a replay (0 if it has none). */
double
ps_arrival_mean_rate (const PsArrivalSpec *spec)
{
  double on, span_s;

  switch (spec->process)
    {
    case PS_ARRIVAL_POISSON:
      return spec->rate * (spec->profile != NULL
                           ? spec->profile[spec->n_profile - 1].multiplier : 1.0);
    case PS_ARRIVAL_CONSTANT:
      return 1e6 / (double) spec->interval;
    case PS_ARRIVAL_ONOFF:
      on = (double) spec->on_mean / ((double) spec->on_mean + (double) spec->off_mean);
      return on * spec->on_rate + (1 - on) * spec->off_rate;
    case PS_ARRIVAL_TRACE:
    case PS_ARRIVAL_ACCESS_LOG:
      span_s = (double) ps_replay_get_last_time (spec->replay) / 1e6;
      if (span_s <= 0 || ps_replay_get_n_clients (spec->replay) == 0)
        return 0;
      return (double) ps_replay_get_n_rows (spec->replay)
             / ps_replay_get_n_clients (spec->replay) / span_s;
    default:
      g_assert_not_reached ();
    }
}

/* TRUE for trace and access_log: times recorded, not drawn. */
gboolean
ps_arrival_is_replay (const PsArrivalSpec *spec)
{
  return spec->process == PS_ARRIVAL_TRACE || spec->process == PS_ARRIVAL_ACCESS_LOG;
}

/* Frees what @spec owns (profile, replay); the spec stays usable as a
 * poisson or constant one.  Safe to call twice. */
void
ps_arrival_spec_clear (PsArrivalSpec *spec)
{
  g_return_if_fail (spec != NULL);

  g_clear_pointer (&spec->profile, g_free);
  spec->n_profile = 0;
  g_clear_pointer (&spec->replay, ps_replay_free);
}

const char *
ps_arrival_process_to_string (PsArrivalProcess process)
{
  g_return_val_if_fail ((guint) process < G_N_ELEMENTS (process_names), NULL);
  return process_names[process];
}

gboolean
ps_arrival_process_from_string (const char *name, PsArrivalProcess *out_process)
{
  for (guint i = 0; i < G_N_ELEMENTS (process_names); i++)
    if (strcmp (name, process_names[i]) == 0)
      {
        *out_process = (PsArrivalProcess) i;
        return TRUE;
      }
  return FALSE;
}
