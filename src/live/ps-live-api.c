/* ps-live-api.c: the HTTP API's routes and status classes
 *
 * Which route a path is, the method it answers, and the classes the
 * server counts its responses by.  The rest of ps-live-api.h lives in
 * ps-live-api-body.c (request bodies), ps-live-api-json.c (response
 * bodies) and ps-live-api-docs.c (the OpenAPI document and /docs).
 */
#include "ps-live-api.h"

#include <string.h>

/* ---- routes ----------------------------------------------------------- */

/**
 * ps_live_route:
 * @out_tail: (out) (optional): for PS_ROUTE_CLIENT, the {ip} part
 *
 * Which route @path is (exact match; a trailing slash is another path).
 */
PsRoute
ps_live_route (const char *path, const char **out_tail)
{
  static const struct { const char *path; PsRoute route; } fixed[] = {
    { "/v1/requests", PS_ROUTE_REQUESTS },
    { "/v1/pool", PS_ROUTE_POOL },
    { "/v1/stats", PS_ROUTE_STATS },
    { "/metrics", PS_ROUTE_METRICS },
    { "/openapi.json", PS_ROUTE_OPENAPI },
    { "/docs", PS_ROUTE_DOCS },
    { "/healthz", PS_ROUTE_HEALTHZ },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    if (strcmp (path, fixed[i].path) == 0)
      return fixed[i].route;
  if (g_str_has_prefix (path, "/v1/clients/") && path[strlen ("/v1/clients/")] != '\0'
      && strchr (path + strlen ("/v1/clients/"), '/') == NULL)
    {
      if (out_tail != NULL)
        *out_tail = path + strlen ("/v1/clients/");
      return PS_ROUTE_CLIENT;
    }
  return PS_ROUTE_NONE;
}

/* The one method a route answers (GET routes answer HEAD too). */
const char *
ps_live_route_method (PsRoute route)
{
  switch (route)
    {
    case PS_ROUTE_REQUESTS:
      return "POST";
    case PS_ROUTE_POOL:
    case PS_ROUTE_STATS:
    case PS_ROUTE_CLIENT:
    case PS_ROUTE_METRICS:
    case PS_ROUTE_OPENAPI:
    case PS_ROUTE_DOCS:
    case PS_ROUTE_HEALTHZ:
      return "GET";
    case PS_ROUTE_NONE:
      return NULL;
    default:
      g_assert_not_reached ();
    }
}

PsLiveStatusClass
ps_live_status_class (guint status)
{
  switch (status)
    {
    case 200: return PS_LIVE_STATUS_200;
    case 400: return PS_LIVE_STATUS_400;
    case 404: return PS_LIVE_STATUS_404;
    case 405: return PS_LIVE_STATUS_405;
    case 408: return PS_LIVE_STATUS_408;
    case 411: return PS_LIVE_STATUS_411;
    case 413: return PS_LIVE_STATUS_413;
    case 414: return PS_LIVE_STATUS_414;
    case 417: return PS_LIVE_STATUS_417;
    case 429: return PS_LIVE_STATUS_429;
    case 431: return PS_LIVE_STATUS_431;
    case 501: return PS_LIVE_STATUS_501;
    case 503: return PS_LIVE_STATUS_503;
    case 505: return PS_LIVE_STATUS_505;
    default: return PS_LIVE_STATUS_OTHER;
    }
}

/* The status code of a class; 0 for OTHER. */
guint
ps_live_status_code (PsLiveStatusClass klass)
{
  static const guint codes[PS_LIVE_N_STATUS] = { 200, 400, 404, 405, 408, 411, 413, 414, 417, 429, 431, 501, 503, 505, 0 };

  g_return_val_if_fail (klass < PS_LIVE_N_STATUS, 0);
  return codes[klass];
}
