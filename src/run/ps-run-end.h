/* ps-run-end.h: what only the end of a run can say, alike for both drivers
 *
 * In this order: the requests still pending (by id), the client records,
 * the summary; then conservation is checked before the summary is
 * reported, so no run ever writes a summary that loses a request.
 */
#pragma once

#include <glib.h>

#include "ps-run-lane.h"

G_BEGIN_DECLS

#define PS_RUN_ERROR (ps_run_error_quark ())

typedef enum
{
  PS_RUN_ERROR_CONSERVATION,             /* a request went missing: a bug */
} PsRunError;

GQuark    ps_run_error_quark       (void);

void      ps_run_finish_pending    (PsRunLane          *lanes,
                                    guint               n_lanes,
                                    PsRunStats         *into);
void      ps_run_summarize         (PsRunSummary       *summary,
                                    const PsPopulation *pop,
                                    const PsRunStats   *stats,
                                    const char         *mode);
gboolean  ps_run_conclude          (const PsRunSummary *summary,
                                    const PsRecordSink *sink,
                                    GError            **error);

G_END_DECLS
