/* ps-chart-data.h: charts.json, written from a run's chart tally */
#pragma once

#include <glib.h>

#include "ps-record.h"

G_BEGIN_DECLS

char *ps_chart_data_to_json (const PsRunSummary *summary);

G_END_DECLS
