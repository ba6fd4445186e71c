/* ps-scenario-clients.h: reading the client groups and allocating their addresses
 */
#pragma once

#include "ps-field.h"

G_BEGIN_DECLS

gboolean   ps_scenario_clients_load          (PsLoad        *load,
                                              const PsField *field,
                                              PsScenario    *scenario,
                                              GError       **error);

void       ps_scenario_clients_index_addresses (PsClientGroup *group);

G_END_DECLS
