/* ps-fault.h: what goes wrong with the server, and when
 *
 * A scenario's faults, each a window [at, at + length) with one change:
 * the pool shrinks to @workers (requests in service finish), service
 * times of requests that start in it are multiplied, every attempt is
 * refused with 503 (an outage), or the network adds delay to each leg.
 * Faults of one kind never overlap (the scenario loader refuses it), so
 * at any instant each kind has at most one value.  Plain values: the
 * drivers ask what holds at their now and act on it.
 */
#pragma once

#include <glib.h>

#include "ps-time.h"

G_BEGIN_DECLS

typedef enum
{
  PS_FAULT_WORKERS,
  PS_FAULT_SERVICE_FACTOR,
  PS_FAULT_OUTAGE,
  PS_FAULT_LATENCY,
} PsFaultKind;

typedef struct
{
  PsFaultKind kind;
  PsTime      at;
  PsTime      end;                       /* at + for */
  guint       workers;                   /* WORKERS */
  double      factor;                    /* SERVICE_FACTOR, > 0 */
  PsTime      latency;                   /* LATENCY: extra delay each way */
} PsFault;

typedef struct
{
  const PsFault *faults;
  guint          n_faults;
} PsFaultSet;

const char *ps_fault_kind_to_string      (PsFaultKind       kind);
gboolean    ps_fault_active              (const PsFault    *fault,
                                          PsTime            now);
guint       ps_fault_set_workers         (const PsFaultSet *set,
                                          guint             normal,
                                          PsTime            now);
PsTime      ps_fault_set_scale_work      (const PsFaultSet *set,
                                          PsTime            work,
                                          PsTime            now);
gboolean    ps_fault_set_outage          (const PsFaultSet *set,
                                          PsTime            now);
PsTime      ps_fault_set_extra_latency   (const PsFaultSet *set,
                                          PsTime            now);
gboolean    ps_fault_set_span            (const PsFaultSet *set,
                                          PsTime           *out_start,
                                          PsTime           *out_end);

G_END_DECLS
