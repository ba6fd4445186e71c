/* ps-scenario-faults.h: reading the scenario's "faults" list
 */
#pragma once

#include "ps-field.h"

G_BEGIN_DECLS

gboolean   ps_scenario_faults_load  (PsLoad        *load,
                                     const PsField *top,
                                     PsScenario    *scenario,
                                     GError       **error);

G_END_DECLS
