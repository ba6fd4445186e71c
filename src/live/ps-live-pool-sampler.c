/* ps-live-pool-sampler.c: readings of the pool probe, one per bin */
#include "ps-live-pool-sampler.h"

/* One reading of the pool probe. */
typedef struct
{
  PsTime t;
  double busy_integral;
} Sample;

struct _PsLivePoolSampler
{
  PsLivePoolProbeFunc probe;
  gpointer            probe_data;
  PsLiveClock         clock;
  PsTime              bin;
  PsTime              duration;
  GMainContext       *ctx;
  GArray             *samples;          /* Sample */
  GSource            *timer;
  guint64             next_bin;
  guint               max_busy;
  gboolean            stopped;
};

static void
take_sample (PsLivePoolSampler *s)
{
  Sample sample;

  sample.busy_integral = s->probe (s->probe_data, &sample.t, &s->max_busy);
  if (s->samples->len == 0
      || sample.t > g_array_index (s->samples, Sample, s->samples->len - 1).t)
    g_array_append_val (s->samples, sample);
}

static void
drop_timer (PsLivePoolSampler *s)
{
  if (s->timer == NULL)
    return;
  g_source_destroy (s->timer);
  g_clear_pointer (&s->timer, g_source_unref);
}

static gboolean timer_cb (gpointer data);

/* Arms the timer for the end of the next bin, if within the run. */
static void
arm (PsLivePoolSampler *s)
{
  PsTime at = MIN ((PsTime) (s->next_bin + 1) * s->bin, s->duration);
  gint64 wait_us = ps_live_clock_real_at (&s->clock, at) - g_get_monotonic_time ();

  drop_timer (s);
  if ((PsTime) s->next_bin * s->bin >= s->duration || s->stopped)
    return;
  /* a source on our context: g_timeout_add() would use the global one */
  s->timer = g_timeout_source_new ((guint) CLAMP ((wait_us + 999) / 1000, 0, G_MAXINT));
  g_source_set_callback (s->timer, timer_cb, s, NULL);
  g_source_attach (s->timer, s->ctx);
}

static gboolean
timer_cb (gpointer data)
{
  PsLivePoolSampler *s = data;

  take_sample (s);
  s->next_bin++;
  arm (s);                              /* replaces this source */
  return G_SOURCE_REMOVE;
}

/**
 * ps_live_pool_sampler_start:
 * @probe: must be thread-safe (the server runs meanwhile)
 * @ctx: the controlling thread's context, which runs the timer
 *
 * Takes the first reading now and one at the end of every bin.
 */
PsLivePoolSampler *
ps_live_pool_sampler_start (PsLivePoolProbeFunc probe, gpointer probe_data,
                            const PsLiveClock *clock, PsTime bin, PsTime duration,
                            GMainContext *ctx)
{
  PsLivePoolSampler *s = g_new0 (PsLivePoolSampler, 1);

  s->probe = probe;
  s->probe_data = probe_data;
  s->clock = *clock;
  s->bin = bin;
  s->duration = duration;
  s->ctx = g_main_context_ref (ctx);
  s->samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  take_sample (s);
  arm (s);
  return s;
}

/* The run was stopped early: the timer already armed still reads, then
 * no more but the last (ps_live_pool_sampler_apply()). */
void
ps_live_pool_sampler_stop (PsLivePoolSampler *s)
{
  s->stopped = TRUE;
}

/* Takes the last reading; the readings become @stats' pool column, mean
 * occupancy and maximum. */
void
ps_live_pool_sampler_apply (PsLivePoolSampler *s, PsRunStats *stats)
{
  take_sample (s);
  for (guint i = 1; i < s->samples->len; i++)
    {
      const Sample *a = &g_array_index (s->samples, Sample, i - 1);
      const Sample *b = &g_array_index (s->samples, Sample, i);

      ps_run_stats_set_pool (stats, a->t, b->t,
                             (b->busy_integral - a->busy_integral) / (double) (b->t - a->t));
    }
  ps_run_stats_set_pool_max (stats, s->max_busy);
}

void
ps_live_pool_sampler_free (PsLivePoolSampler *s)
{
  if (s == NULL)
    return;
  drop_timer (s);
  g_array_unref (s->samples);
  g_main_context_unref (s->ctx);
  g_free (s);
}
