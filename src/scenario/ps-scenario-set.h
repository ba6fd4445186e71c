/* ps-scenario-set.h: --set KEY.PATH=VALUE: parsed before loading, applied to the tree
 */
#pragma once

#include "ps-load.h"

G_BEGIN_DECLS

GPtrArray *ps_scenario_set_parse       (PsLoad        *load,
                                        const char *const *sets,
                                        const char    *option,
                                        GPtrArray     *ops_so_far,
                                        GError       **error);
gboolean   ps_scenario_set_apply       (PsLoad        *load,
                                        GPtrArray     *sets,
                                        GError       **error);

G_END_DECLS
