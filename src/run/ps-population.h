/* ps-population.h: the clients of a run, built once from a scenario
 *
 * Both drivers run the same population: its groups (with their priority
 * mix and service time), one PsClient per scenario client with its rng
 * streams, arrival state, address and, for a driver that owns the
 * server's quota, its quota subject.  Client ids are dense, in scenario
 * order (group by group), and never change.  The population does not
 * know which thread touches which client: that is the driver's rule.
 */
#pragma once

#include <glib.h>

#include "ps-chart-tally.h"
#include "ps-client.h"
#include "ps-quota.h"
#include "ps-record.h"
#include "ps-scenario.h"
#include "ps-traffic.h"

G_BEGIN_DECLS

/* A scenario client group as the drivers use it. */
typedef struct
{
  const PsClientGroup *spec;
  const PsDist        *work;             /* its requests' service time */
  PsPriorityMix        priorities;
} PsRunGroup;

typedef struct
{
  const PsScenario *scenario;
  PsRunGroup       *groups;              /* scenario->n_groups */
  PsClient         *clients;
  guint32           n_clients;
  guint             n_priorities;        /* 1..PS_MAX_PRIORITIES */
  const PsDist     *latency;             /* nullable: modelled network delay */
  PsGroupSummary   *group_summaries;     /* by group: filled at the end */
  PsTierRecord     *tiers;               /* scenario->n_overrides, for the summary */
  PsChartTally     *charts;              /* every final request, for the charts */
  GPtrArray        *chart_names;         /* the charts' followed clients: filled at the end */
} PsPopulation;

PsPopulation *ps_population_new              (const PsScenario   *scenario);
void          ps_population_free             (PsPopulation       *pop);

void          ps_population_assign_subjects  (PsPopulation       *pop,
                                              PsQuota            *quota);
const char   *ps_population_client_name      (const PsPopulation *pop,
                                              const PsClient     *client,
                                              char               *buf,
                                              gsize               len);
PsTime        ps_population_first_arrival    (PsPopulation       *pop,
                                              PsClient           *client);
double        ps_population_report_clients   (const PsPopulation *pop,
                                              const PsRecordSink *sink);

void          ps_client_record_fill          (PsClientRecord     *record,
                                              const PsClient     *client,
                                              const char         *name,
                                              const char         *group);

/* Quota subjects and tiers: one subject per distinct address (clients
 * behind one address share its quota), one tier per distinct policy
 * list.  Used by the simulator for its population and by the live server
 * for every address it meets. */
typedef struct _PsSubjectMap PsSubjectMap;

PsSubjectMap  *ps_subject_map_new     (PsQuota             *quota);
void           ps_subject_map_free    (PsSubjectMap        *map);
PsQuotaSubject ps_subject_map_get     (PsSubjectMap        *map,
                                       guint32              ip,
                                       const PsQuotaPolicy *policies,
                                       guint                n_policies);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsPopulation, ps_population_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsSubjectMap, ps_subject_map_free)

G_END_DECLS
