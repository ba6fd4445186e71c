/* ps-scenario-dist.h: reading a distribution ({"dist": ...} or a bare duration)
 */
#pragma once

#include "ps-field.h"

G_BEGIN_DECLS

gboolean   ps_scenario_dist_load             (PsLoad        *load,
                                              const PsField *field,
                                              PsDist        *out,
                                              GError       **error);

void       ps_scenario_dist_warn_seconds     (PsLoad        *load,
                                              const PsField *field,
                                              const PsDist  *dist);

G_END_DECLS
