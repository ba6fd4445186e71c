/* ps-scenario-quota.h: reading quota policies and per-group or per-CIDR overrides
 */
#pragma once

#include "ps-field.h"

G_BEGIN_DECLS

gboolean   ps_scenario_quota_load_policies         (PsLoad        *load,
                                                    const PsField *field,
                                                    const PsQuotaPolicy *base,
                                                    guint          n_base,
                                                    guint          base_named,
                                                    PsQuotaPolicy *out,
                                                    guint         *out_n,
                                                    guint         *out_named,
                                                    GError       **error);
gboolean   ps_scenario_quota_load_overrides        (PsLoad        *load,
                                                    const PsField *field,
                                                    guint          quota_named,
                                                    PsScenario    *scenario,
                                                    GError       **error);
gboolean   ps_scenario_quota_check_overrides  (PsLoad        *load,
                                               const PsScenario *scenario,
                                               GError       **error);

G_END_DECLS
