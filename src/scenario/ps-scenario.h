/* ps-scenario.h: a validated scenario, as plain values
 *
 * What a scenario file says once ps_scenario_load_file() has checked every
 * key, type and range and filled in the defaults of docs/design.md.  Durations
 * are PsTime (microseconds).  Both drivers (sim, live) read it; nothing
 * changes it after loading.
 */
#pragma once

#include <glib.h>

#include "ps-arrival.h"
#include "ps-client-policy.h"
#include "ps-dist.h"
#include "ps-fault.h"
#include "ps-ipv4.h"
#include "ps-quota.h"

G_BEGIN_DECLS

#define PS_SCENARIO_ERROR (ps_scenario_error_quark ())

typedef enum
{
  PS_SCENARIO_ERROR_IO,            /* cannot read the file */
  PS_SCENARIO_ERROR_SYNTAX,        /* not JSON */
  PS_SCENARIO_ERROR_EMPTY,         /* no document */
  PS_SCENARIO_ERROR_DUPLICATE_KEY,
  PS_SCENARIO_ERROR_UNKNOWN_KEY,
  PS_SCENARIO_ERROR_MISSING_KEY,
  PS_SCENARIO_ERROR_TYPE,          /* wrong JSON type */
  PS_SCENARIO_ERROR_RANGE,         /* right type, value out of range */
  PS_SCENARIO_ERROR_VALUE,         /* malformed string: duration, CIDR, name */
  PS_SCENARIO_ERROR_CONFLICT,      /* values that cannot hold together */
  PS_SCENARIO_ERROR_SET,           /* a --set that names no key or is malformed */
} PsScenarioError;

typedef struct
{
  char         *group;             /* match by group name, or NULL */
  gboolean      has_cidr;          /* ... or by client address */
  PsCidr        cidr;
  PsQuotaPolicy policies[PS_QUOTA_MAX_POLICIES];   /* defaults inherited */
  guint         n_policies;
} PsQuotaOverride;

typedef struct
{
  char           *name;            /* "group", unique */
  guint           count;           /* clients, >= 1 */
  PsCidr          ip;              /* block the clients' addresses come from */
  guint64         ip_offset;       /* client k has usable host ip_offset + k */
  PsArrivalSpec   arrival;
  double         *priorities;      /* weights, >= 0, positive sum */
  guint           n_priorities;    /* >= 1; priority 0 is most urgent */
  PsClientPolicy  policy;

  /* Explicit addresses, client k's at [k], from an "ip" list or an access
   * log; NULL when they come from @ip and @ip_offset.  With a list, @ip is
   * the smallest block holding them all and @ip_offset 0: use
   * ps_client_group_address(), not ps_cidr_host(), to get one. */
  guint32        *addresses;
  guint32        *address_order;   /* client indices by address (lookup) */
  gboolean        shared_ip;       /* may share addresses with other groups */
  gboolean        has_work;        /* else requests take service_time */
  PsDist          work;            /* service time of this group's requests */
  guint           initial_backlog; /* requests each client holds at t=0 */
  /* After ps_scenario_map_addresses(): the addresses the scenario gave,
   * client k's at [k], which quota overrides are matched on; else NULL. */
  guint32        *original_addresses;
} PsClientGroup;

typedef struct
{
  char            *path;           /* as given, for messages */
  char            *name;           /* default: file name without .json */
  char            *description;    /* may be "" */
  guint64          seed;
  PsTime           duration;

  guint            workers;        /* >= 1 */
  guint            queue;          /* server queue, 0 = none */
  PsDist           service_time;
  PsQuotaPolicy    quota[PS_QUOTA_MAX_POLICIES];
  guint            n_quota;        /* >= 1 */
  PsQuotaOverride *overrides;
  guint            n_overrides;
  PsCidr          *trusted_proxies;
  guint            n_trusted_proxies;

  PsClientGroup   *groups;
  guint            n_groups;       /* >= 1 */

  PsTime           bin;            /* timeseries bin, > 0 */
  gboolean         write_requests;
  gboolean         write_attempts;
  gboolean         compress_gzip;  /* output.compress: the per-request files as .csv.gz */

  GStrv            warnings;       /* legal but suspicious: for the user */

  PsDist           network_latency;   /* one way, per request and response */

  PsFault         *faults;         /* in file order; kinds never overlap */
  guint            n_faults;

  /* The document as run: the file after every --set, with its name and
   * seed filled in; ps_scenario_to_json() writes it. */
  struct _JsonNode *document;
} PsScenario;

GQuark       ps_scenario_error_quark  (void);

PsScenario  *ps_scenario_load_file    (const char        *path,
                                       const char *const *sets,
                                       GError           **error);
PsScenario  *ps_scenario_load_data    (const char        *data,
                                       gssize             length,
                                       const char        *path,
                                       const char *const *sets,
                                       GError           **error);
gboolean     ps_scenario_read_file    (const char        *path,
                                       char             **out_data,
                                       gsize             *out_length,
                                       GError           **error);
PsScenario  *ps_scenario_load_varied  (const char        *data,
                                       gssize             length,
                                       const char        *path,
                                       const char *const *sets,
                                       const char *const *varies,
                                       GError           **error);
void         ps_scenario_free         (PsScenario        *scenario);
gboolean     ps_scenario_map_addresses (PsScenario       *scenario,
                                       const PsCidr      *into,
                                       guint             *out_n_mapped,
                                       GError           **error);
guint32      ps_client_group_original_address (const PsClientGroup *group,
                                       guint32            index);
void         ps_scenario_set_seed     (PsScenario        *scenario,
                                       guint64            seed);
char        *ps_scenario_to_json      (const PsScenario  *scenario);

guint64      ps_scenario_n_clients    (const PsScenario  *scenario);
const PsQuotaPolicy *
             ps_scenario_quota_for    (const PsScenario  *scenario,
                                       guint              group,
                                       guint32            ip,
                                       guint             *out_n_policies);
gboolean     ps_scenario_lookup_address (const PsScenario *scenario,
                                       guint32            ip,
                                       guint             *out_group,
                                       guint32           *out_index);
gboolean     ps_scenario_has_latency  (const PsScenario  *scenario);
PsFaultSet   ps_scenario_fault_set    (const PsScenario  *scenario);
gboolean     ps_scenario_has_fault    (const PsScenario  *scenario,
                                       PsFaultKind        kind);
gboolean     ps_scenario_has_timeouts (const PsScenario  *scenario);

guint32      ps_client_group_address  (const PsClientGroup *group,
                                       guint32            index);
const PsDist *
             ps_client_group_work     (const PsScenario  *scenario,
                                       guint              group);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsScenario, ps_scenario_free)

G_END_DECLS
