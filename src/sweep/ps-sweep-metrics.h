/* ps-sweep-metrics.h: metrics are dotted paths into a run's summary.json
 *
 * "requests.rate_503", "groups.partners.latency_s.p99".  A path names a
 * number (or a boolean, read as 0/1); a null there (a latency when nothing
 * completed) is a missing value, which the statistics skip.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  PS_METRIC_NUMBER,
  PS_METRIC_NULL,
  PS_METRIC_MISSING,        /* no such path */
  PS_METRIC_NOT_NUMBER,     /* a string, an object, an array */
} PsMetricLookup;

typedef enum
{
  PS_TARGET_LT,
  PS_TARGET_LE,
  PS_TARGET_GT,
  PS_TARGET_GE,
} PsTargetOp;

typedef struct
{
  char       *metric;
  PsTargetOp  op;
  double      value;
  char       *text;         /* as given */
} PsSweepTarget;

PsMetricLookup ps_sweep_metric_lookup     (JsonNode          *summary,
                                           const char        *path,
                                           double            *out_value);
gboolean       ps_sweep_metric_check      (JsonNode          *summary,
                                           const char        *path,
                                           const char        *option,
                                           GError           **error);
GPtrArray     *ps_sweep_default_metrics   (JsonNode          *summary);

gboolean       ps_sweep_target_parse      (const char        *text,
                                           PsSweepTarget     *out,
                                           GError           **error);
void           ps_sweep_target_clear      (PsSweepTarget     *target);
gboolean       ps_sweep_target_met        (const PsSweepTarget *target,
                                           double             value);
const char    *ps_sweep_target_op_text    (PsTargetOp         op);

gboolean       ps_sweep_parse_precision   (const char        *text,
                                           char             **out_metric,
                                           double            *out_value,
                                           gboolean          *out_relative,
                                           GError           **error);

G_END_DECLS
