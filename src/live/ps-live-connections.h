/* ps-live-connections.h: the server's kept-alive connections, and closing
 * those whose client hung up while idle
 *
 * libsoup 3.2.3 never notices a client closing an idle keep-alive
 * connection (docs/libsoup-notes.md, section 7; fixed in libsoup 3.3.0):
 * the server remembers the socket of every connection that finished a
 * request, and a periodic sweep closes those whose peer has gone.  Server
 * thread only.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _PsLiveConnections PsLiveConnections;

PsLiveConnections *ps_live_connections_new    (void);
void               ps_live_connections_free   (PsLiveConnections *conns);
gboolean           ps_live_connections_known  (PsLiveConnections *conns,
                                               GSocket           *socket);
void               ps_live_connections_add    (PsLiveConnections *conns,
                                               GSocket           *socket);
guint              ps_live_connections_sweep  (PsLiveConnections *conns);
void               ps_live_connections_clear  (PsLiveConnections *conns);

G_END_DECLS
