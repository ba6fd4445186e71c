/* ps-scenario-arrival.h: reading a client group's arrival process
 */
#pragma once

#include "ps-field.h"

G_BEGIN_DECLS

gboolean   ps_scenario_arrival_load          (PsLoad        *load,
                                              const PsField *field,
                                              const PsScenario *scenario,
                                              PsArrivalSpec *out,
                                              guint32      **out_addresses,
                                              GError       **error);

G_END_DECLS
