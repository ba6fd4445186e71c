/* ps-live-server.h: `poolsim serve`: the scenario's server on a real socket
 *
 * A libsoup server in its own thread and GMainContext, a GThreadPool of
 * `workers` exclusive threads that hold each admitted request for its
 * service time, admission through PsLiveAdmission.  The HTTP API is the
 * one of docs/design.md; ps-live-api.h renders its bodies.  Functions here are
 * called from one controlling thread (main, or a test); the server thread
 * and the workers are internal.  libsoup objects are touched only on the
 * server thread (docs/libsoup-notes.md).
 */
#pragma once

#include <glib.h>

#include "ps-live.h"
#include "ps-live-admission.h"
#include "ps-live-api.h"
#include "ps-scenario.h"

G_BEGIN_DECLS

typedef struct _PsLiveServer PsLiveServer;

typedef struct
{
  const char        *listen;         /* "127.0.0.1:8080"; port 0 picks a free one */
  PsLiveClock        clock;          /* scenario t = 0 and the time scale */
  gsize              max_body;       /* 0: PS_LIVE_MAX_BODY */
  guint              sweep_ms;       /* connection sweep period; 0: 500 */
  guint              max_connections;  /* 0: sized from the descriptor limit */
  gint64             header_timeout_us; /* a request must arrive whole; 0: 10 s, <0: none */
  gint64             idle_timeout_us;   /* between requests; 0: 60 s, <0: none */
} PsLiveServerOptions;

PsLiveServer     *ps_live_server_new            (const PsScenario          *scenario,
                                                 const PsLiveServerOptions *options,
                                                 GError                   **error);
void              ps_live_server_free           (PsLiveServer              *server);

const char       *ps_live_server_get_url        (const PsLiveServer        *server);
guint             ps_live_server_get_port       (const PsLiveServer        *server);
PsLiveAdmission  *ps_live_server_get_admission  (PsLiveServer              *server);
void              ps_live_server_get_counters   (PsLiveServer              *server,
                                                 PsLiveServerCounters      *out_counters);
guint             ps_live_server_get_in_flight  (PsLiveServer              *server);
guint             ps_live_server_get_max_connections (const PsLiveServer   *server);

void              ps_live_server_stop           (PsLiveServer              *server,
                                                 gint64                     grace_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsLiveServer, ps_live_server_free)

G_END_DECLS
