/* ps-scenario-retry.h: a client group's request_timeout, retry, throttle
 * and backoff jitter keys
 */
#pragma once

#include "ps-field.h"

G_BEGIN_DECLS

gboolean   ps_scenario_retry_load          (PsLoad         *load,
                                            const PsField  *client,
                                            const PsField  *backoff,
                                            PsClientPolicy *policy,
                                            GError        **error);
void       ps_scenario_retry_warn_latency  (PsLoad         *load,
                                            const PsField  *clients,
                                            const PsScenario *scenario);

G_END_DECLS
