/* ps-scenario-replay.h: reading the trace and access-log files an arrival replays
 */
#pragma once

#include "ps-field.h"

G_BEGIN_DECLS

typedef enum
{
  PS_LOG_COMBINED,                 /* NCSA combined: common + referer, agent */
  PS_LOG_COMMON,                   /* NCSA common */
} PsLogFormat;

typedef struct
{
  PsLogFormat format;
  double      speed;               /* > 0: time is divided by it */
  gboolean    strict;              /* a malformed line is an error */
} PsLogOptions;

gboolean   ps_scenario_replay_load_trace            (PsLoad        *load,
                                                     const PsField *file,
                                                     const PsScenario *scenario,
                                                     PsReplay     **out,
                                                     GError       **error);
gboolean   ps_scenario_replay_load_access_log       (PsLoad        *load,
                                                     const PsField *file,
                                                     const PsLogOptions *options,
                                                     const PsScenario *scenario,
                                                     PsReplay     **out,
                                                     guint32      **out_addresses,
                                                     GError       **error);
const char *ps_scenario_replay_format_to_string (PsLogFormat    format);
gboolean   ps_scenario_replay_format_from_string (const char   *name,
                                                  guint         *out);

G_END_DECLS
