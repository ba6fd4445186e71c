/* ps-live-api.h: the HTTP API's bodies: what requests may say, what
 * responses say
 *
 * Pure functions from values to text and back; the server calls them on
 * its thread and tests call them directly.  Request bodies are read by
 * json-glib (ps-live-api-body.c), responses written with the JSON writer's
 * string escaping, numbers locale-proof (ps-live-api-json.c).  The OpenAPI
 * document is compiled in as a GResource; /docs is rendered from it
 * (ps-live-api-docs.c).  Routes are in ps-live-api.c.  Thread-safe: no
 * shared state.
 */
#pragma once

#include <glib.h>

#include "ps-live-admission.h"

G_BEGIN_DECLS

/* Largest work_ms a request may ask for: one hour. */
#define PS_LIVE_MAX_WORK_MS 3600000

/* The routes the server answers, for 404/405 and the tests. */
typedef enum
{
  PS_ROUTE_NONE,
  PS_ROUTE_REQUESTS,             /* POST /v1/requests */
  PS_ROUTE_POOL,                 /* GET /v1/pool */
  PS_ROUTE_STATS,                /* GET /v1/stats */
  PS_ROUTE_CLIENT,               /* GET /v1/clients/{ip} */
  PS_ROUTE_METRICS,              /* GET /metrics */
  PS_ROUTE_OPENAPI,              /* GET /openapi.json */
  PS_ROUTE_DOCS,                 /* GET /docs */
  PS_ROUTE_HEALTHZ,              /* GET /healthz */
} PsRoute;

/* Responses by status, kept by the server thread. */
typedef enum
{
  PS_LIVE_STATUS_200,
  PS_LIVE_STATUS_400,
  PS_LIVE_STATUS_404,
  PS_LIVE_STATUS_405,
  PS_LIVE_STATUS_408,
  PS_LIVE_STATUS_411,
  PS_LIVE_STATUS_413,
  PS_LIVE_STATUS_414,
  PS_LIVE_STATUS_417,
  PS_LIVE_STATUS_429,
  PS_LIVE_STATUS_431,
  PS_LIVE_STATUS_501,
  PS_LIVE_STATUS_503,
  PS_LIVE_STATUS_505,
  PS_LIVE_STATUS_OTHER,
  PS_LIVE_N_STATUS,
} PsLiveStatusClass;

typedef struct
{
  double  time_scale;
  double  uptime_s;              /* real seconds since the server started */
  guint64 responses[PS_LIVE_N_STATUS];   /* POST /v1/requests answers, errors of any path */
  guint64 in_flight;             /* requests waiting for their answer */
  guint64 connections_open;
  guint64 connections_accepted;
  guint64 connections_refused;   /* answered 503 and closed: over the limit, no descriptor */
  guint64 connections_swept;     /* closed by the client while idle, cleaned up */
  guint64 connections_timed_out; /* a request not read whole in time: 408 */
  guint64 connections_idle;      /* closed after the idle timeout */
  guint64 accept_errors;
} PsLiveServerCounters;

PsLiveStatusClass  ps_live_status_class  (guint status);
guint              ps_live_status_code   (PsLiveStatusClass klass);

PsRoute   ps_live_route                  (const char              *path,
                                          const char             **out_tail);
const char *ps_live_route_method         (PsRoute                  route);

gboolean  ps_live_parse_request_body     (const char              *data,
                                          gsize                    length,
                                          guint                   *out_priority,
                                          PsTime                  *out_work,
                                          char                   **out_message);

char     *ps_live_error_json             (const char              *error,
                                          const char              *message);
char     *ps_live_result_json            (guint64                  id,
                                          guint32                  ip,
                                          guint                    priority,
                                          PsTime                   work,
                                          PsTime                   queued,
                                          PsTime                   service,
                                          guint                    pool_busy);
char     *ps_live_refusal_json           (guint                    status,
                                          gint64                   retry_after_s,
                                          const char              *policy_name);
char     *ps_live_pool_json              (const PsLivePoolStats   *stats,
                                          GArray                  *entries);
char     *ps_live_stats_json             (const PsLivePoolStats   *stats,
                                          const PsLiveServerCounters *counters);
char     *ps_live_client_json            (const PsLiveSubjectInfo *info);

GBytes   *ps_live_openapi_bytes          (void);
char     *ps_live_docs_html              (GError                 **error);

G_END_DECLS
