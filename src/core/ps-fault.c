/* ps-fault.c: which fault holds at an instant
 *
 * Linear scans: a scenario has a handful of faults.
 */
#include "ps-fault.h"

#include <math.h>

const char *
ps_fault_kind_to_string (PsFaultKind kind)
{
  switch (kind)
    {
    case PS_FAULT_WORKERS: return "workers";
    case PS_FAULT_SERVICE_FACTOR: return "service_factor";
    case PS_FAULT_OUTAGE: return "outage";
    case PS_FAULT_LATENCY: return "latency";
    default: g_assert_not_reached ();
    }
}

gboolean
ps_fault_active (const PsFault *fault, PsTime now)
{
  return now >= fault->at && now < fault->end;
}

static const PsFault *
find (const PsFaultSet *set, PsFaultKind kind, PsTime now)
{
  for (guint i = 0; set != NULL && i < set->n_faults; i++)
    if (set->faults[i].kind == kind && ps_fault_active (&set->faults[i], now))
      return &set->faults[i];
  return NULL;
}

/* The pool's size at @now: a WORKERS fault's, else @normal. */
guint
ps_fault_set_workers (const PsFaultSet *set, guint normal, PsTime now)
{
  const PsFault *f = find (set, PS_FAULT_WORKERS, now);

  return f != NULL ? f->workers : normal;
}

/* The service a request starting at @now gets, for @work asked. */
PsTime
ps_fault_set_scale_work (const PsFaultSet *set, PsTime work, PsTime now)
{
  const PsFault *f = find (set, PS_FAULT_SERVICE_FACTOR, now);

  if (f == NULL)
    return work;
  return (PsTime) llround ((double) work * f->factor);
}

gboolean
ps_fault_set_outage (const PsFaultSet *set, PsTime now)
{
  return find (set, PS_FAULT_OUTAGE, now) != NULL;
}

/* Delay the network adds to a leg that starts at @now. */
PsTime
ps_fault_set_extra_latency (const PsFaultSet *set, PsTime now)
{
  const PsFault *f = find (set, PS_FAULT_LATENCY, now);

  return f != NULL ? f->latency : 0;
}

/**
 * ps_fault_set_span:
 *
 * The trouble as the stability verdict sees it: from the first fault's
 * start to the last one's end.  Returns: FALSE when there is no fault.
 */
gboolean
ps_fault_set_span (const PsFaultSet *set, PsTime *out_start, PsTime *out_end)
{
  if (set == NULL || set->n_faults == 0)
    return FALSE;
  *out_start = set->faults[0].at;
  *out_end = set->faults[0].end;
  for (guint i = 1; i < set->n_faults; i++)
    {
      *out_start = MIN (*out_start, set->faults[i].at);
      *out_end = MAX (*out_end, set->faults[i].end);
    }
  return TRUE;
}
