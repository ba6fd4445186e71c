/* ps-live-stream.h: a connection as libsoup reads it, with the guard in front
 *
 * The server accepts connections itself and hands each to libsoup as a
 * PsLiveStream (soup_server_accept_iostream()): a GIOStream over the
 * accepted GSocketConnection whose input runs every byte through a
 * PsLiveGuard before libsoup sees it.  A head the guard refuses is
 * answered on the spot (status, JSON body, Connection: close), the
 * socket shut down, and libsoup's read fails, so libsoup never parses
 * it.  The stream also tells the connection registry what it saw: when a
 * request began to arrive, whether the peer hung up.  Server thread only.
 */
#pragma once

#include <gio/gio.h>

#include "ps-live-guard.h"

G_BEGIN_DECLS

typedef void (*PsLiveStreamRefused) (guint status, gpointer user_data);
/* The stream will read no more (peer gone, or refused): called from
 * within libsoup's read, so the connection may only be closed later. */
typedef void (*PsLiveStreamDone)    (gpointer user_data);

typedef struct
{
  gint64   reading_since;        /* monotonic µs the request being read began */
  gboolean reading;              /* part of a request has arrived */
  guint    requests;             /* requests read whole */
  gboolean peer_gone;            /* EOF or a read error */
  gboolean refused;
} PsLiveStreamState;

GIOStream *ps_live_stream_new       (GSocketConnection   *connection,
                                     guint64              max_body,
                                     PsLiveStreamRefused  refused,
                                     gpointer             user_data);
void       ps_live_stream_on_done   (GIOStream           *stream,
                                     PsLiveStreamDone     done,
                                     gpointer             user_data);
void       ps_live_stream_state     (GIOStream           *stream,
                                     PsLiveStreamState   *out_state);
GSocket   *ps_live_stream_socket    (GIOStream           *stream);
void       ps_live_stream_answer    (GIOStream           *stream,
                                     guint                status,
                                     const char          *phrase,
                                     const char          *code,
                                     const char          *message);

char      *ps_live_closing_answer   (guint                status,
                                     const char          *phrase,
                                     const char          *code,
                                     const char          *message,
                                     gsize               *out_length);

G_END_DECLS
