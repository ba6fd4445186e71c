/* ps-live-timers.c: heap + one GSource with a ready time
 *
 * The source has no prepare/check: GLib dispatches it when its ready time
 * (monotonic µs) passes.  Dispatch fires every due timer, at most
 * MAX_PER_DISPATCH of them, so a backlog cannot starve the thread's I/O;
 * then sets the ready time to the new top's deadline, or -1 when empty.
 */
#include "ps-live-timers.h"

#define MAX_PER_DISPATCH 4096

typedef struct
{
  GSource       source;
  PsLiveTimers *timers;
} TimerSource;

struct _PsLiveTimers
{
  PsLiveClock      clock;
  GArray          *heap;          /* PsLiveTimer, min-heap on (time, seq) */
  guint64          next_seq;
  GSource         *source;
  PsLiveTimerFunc  func;
  gpointer         user_data;
};

static gboolean
before (const PsLiveTimer *a, const PsLiveTimer *b)
{
  return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

#define AT(heap, i) (&g_array_index ((heap), PsLiveTimer, (i)))

static void
sift_up (GArray *heap, guint i)
{
  PsLiveTimer t = *AT (heap, i);

  while (i > 0 && before (&t, AT (heap, (i - 1) / 2)))
    {
      *AT (heap, i) = *AT (heap, (i - 1) / 2);
      i = (i - 1) / 2;
    }
  *AT (heap, i) = t;
}

static void
sift_down (GArray *heap, guint i)
{
  PsLiveTimer t = *AT (heap, i);
  guint n = heap->len;

  for (;;)
    {
      guint child = 2 * i + 1;

      if (child >= n)
        break;
      if (child + 1 < n && before (AT (heap, child + 1), AT (heap, child)))
        child++;
      if (!before (AT (heap, child), &t))
        break;
      *AT (heap, i) = *AT (heap, child);
      i = child;
    }
  *AT (heap, i) = t;
}

static void
pop (GArray *heap, PsLiveTimer *out)
{
  *out = *AT (heap, 0);
  *AT (heap, 0) = *AT (heap, heap->len - 1);
  g_array_set_size (heap, heap->len - 1);
  if (heap->len > 0)
    sift_down (heap, 0);
}

static void
rearm (PsLiveTimers *timers)
{
  if (timers->heap->len == 0)
    g_source_set_ready_time (timers->source, -1);
  else
    g_source_set_ready_time (timers->source,
                             ps_live_clock_real_at (&timers->clock, AT (timers->heap, 0)->time));
}

static gboolean
dispatch (GSource *source, GSourceFunc callback, gpointer data)
{
  PsLiveTimers *timers = ((TimerSource *) source)->timers;
  gint64 real = g_get_monotonic_time ();

  for (guint n = 0; n < MAX_PER_DISPATCH && timers->heap->len > 0; n++)
    {
      PsLiveTimer t;

      if (ps_live_clock_real_at (&timers->clock, AT (timers->heap, 0)->time) > real)
        break;
      pop (timers->heap, &t);
      timers->func (&t, timers->user_data);   /* may add timers */
    }
  rearm (timers);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs timer_funcs = { NULL, NULL, dispatch, NULL, NULL, NULL };

/**
 * ps_live_timers_new:
 * @context: the owning thread's context; the source is attached to it
 * @func: called for each due timer
 */
PsLiveTimers *
ps_live_timers_new (const PsLiveClock *clock, GMainContext *context,
                    PsLiveTimerFunc func, gpointer user_data)
{
  PsLiveTimers *timers = g_new0 (PsLiveTimers, 1);

  timers->clock = *clock;
  timers->heap = g_array_new (FALSE, FALSE, sizeof (PsLiveTimer));
  timers->func = func;
  timers->user_data = user_data;
  timers->source = g_source_new (&timer_funcs, sizeof (TimerSource));
  ((TimerSource *) timers->source)->timers = timers;
  g_source_set_name (timers->source, "ps-live-timers");
  g_source_set_ready_time (timers->source, -1);
  g_source_attach (timers->source, context);
  return timers;
}

void
ps_live_timers_free (PsLiveTimers *timers)
{
  if (timers == NULL)
    return;
  g_source_destroy (timers->source);
  g_source_unref (timers->source);
  g_array_unref (timers->heap);
  g_free (timers);
}

void
ps_live_timers_add (PsLiveTimers *timers, PsTime time, guint kind, guint32 target,
                    guint64 ref)
{
  PsLiveTimer t = { time, timers->next_seq++, kind, target, ref };

  g_array_append_val (timers->heap, t);
  sift_up (timers->heap, timers->heap->len - 1);
  if (AT (timers->heap, 0)->seq == t.seq)
    rearm (timers);
}

guint
ps_live_timers_size (const PsLiveTimers *timers)
{
  return timers->heap->len;
}
