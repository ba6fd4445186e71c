/* ps-summary.h: summary.json from a run's summary record */
#pragma once

#include <glib.h>

#include "ps-record.h"

G_BEGIN_DECLS

char    *ps_summary_to_json  (const PsRunSummary *summary);

G_END_DECLS
