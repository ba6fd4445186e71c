/* ps-live-pool-sampler.h: the pool's occupancy, read at every bin's end
 *
 * When the server runs in the same process, live mode reads the pool's
 * own busy integral at the end of every bin (a timer on the controlling
 * thread's context) instead of estimating it from the answers; at the end
 * the readings become the bins' pool column and the mean occupancy.
 */
#pragma once

#include "ps-live-load.h"
#include "ps-run-stats.h"

G_BEGIN_DECLS

typedef struct _PsLivePoolSampler PsLivePoolSampler;

PsLivePoolSampler *ps_live_pool_sampler_start  (PsLivePoolProbeFunc  probe,
                                                gpointer             probe_data,
                                                const PsLiveClock   *clock,
                                                PsTime               bin,
                                                PsTime               duration,
                                                GMainContext        *ctx);
void               ps_live_pool_sampler_stop   (PsLivePoolSampler   *sampler);
void               ps_live_pool_sampler_apply  (PsLivePoolSampler   *sampler,
                                                PsRunStats          *stats);
void               ps_live_pool_sampler_free   (PsLivePoolSampler   *sampler);

G_END_DECLS
