/* ps-live-metrics.h: GET /metrics in the Prometheus text format (0.0.4)
 *
 * Every metric has its # HELP and # TYPE lines; names carry their unit
 * (_seconds, _total).  Durations are scenario seconds (see --time-scale).
 * A pure function of its arguments: the server calls it on its thread.
 */
#pragma once

#include <glib.h>

#include "ps-histogram.h"
#include "ps-live-admission.h"
#include "ps-live-api.h"

G_BEGIN_DECLS

#define PS_LIVE_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

char  *ps_live_metrics_render  (const PsLivePoolStats      *pool,
                                const PsLiveServerCounters *counters,
                                const PsHistogram          *in_server);

G_END_DECLS
