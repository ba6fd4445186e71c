/* ps-scenario-clients.h: reading the client groups and allocating their addresses
 */
#pragma once

#include "ps-field.h"

G_BEGIN_DECLS

gboolean   ps_scenario_clients_load          (PsLoad        *load,
                                              const PsField *field,
                                              PsScenario    *scenario,
                                              GError       **error);

G_END_DECLS
