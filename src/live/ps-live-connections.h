/* ps-live-connections.h: every connection the server has open, and the
 * sweep that closes the ones that must go
 *
 * The server accepts connections itself and hands them to libsoup; this
 * registry holds each one from its accept to its close, so that the
 * server knows how many are open (for --max-connections) and can close:
 *
 * - connections whose client hung up while idle: libsoup 3.2.3 never
 *   notices those (docs/libsoup-notes.md, section 7) and kept the
 *   descriptor and the connection's objects; closing them through
 *   soup_server_message_steal_connection() returns both;
 * - connections whose head the guard refused (answered already);
 *   these two as soon as the stream says so, on the next iteration;
 * - a request that has not arrived whole within the header timeout of its
 *   first byte (slow clients holding connections: answered 408);
 * - connections idle longer than the idle timeout.
 *
 * Server thread only.
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _PsLiveConnections PsLiveConnections;

typedef struct
{
  guint64 hung_up;        /* the peer closed, or its head was refused */
  guint64 timed_out;      /* a request not read whole in time: 408 */
  guint64 idle;           /* idle past the idle timeout */
} PsLiveClosed;

PsLiveConnections *ps_live_connections_new      (GMainContext       *context,
                                                 gint64              header_timeout_us,
                                                 gint64              idle_timeout_us);
void               ps_live_connections_free     (PsLiveConnections  *conns);
guint              ps_live_connections_open     (PsLiveConnections  *conns);
void               ps_live_connections_add      (PsLiveConnections  *conns,
                                                 GIOStream          *stream,
                                                 GSocketAddress     *remote);
void               ps_live_connections_started  (PsLiveConnections  *conns,
                                                 SoupServerMessage  *msg);
void               ps_live_connections_finished (PsLiveConnections  *conns,
                                                 SoupServerMessage  *msg);
void               ps_live_connections_flush    (PsLiveConnections  *conns);
void               ps_live_connections_sweep    (PsLiveConnections  *conns,
                                                 gint64              now);
void               ps_live_connections_closed   (PsLiveConnections  *conns,
                                                 PsLiveClosed       *out_closed);
void               ps_live_connections_clear    (PsLiveConnections  *conns);

G_END_DECLS
