/* ps-live-acceptor.h: accepting connections, and going on after accept fails
 *
 * libsoup 3.2.3's listener stops accepting for good the first time
 * accept() fails (docs/libsoup-notes.md, "Accepting after EMFILE"): one
 * episode of descriptor exhaustion left a server that listened, queued
 * connections and never answered again.  The acceptor owns the listening
 * socket instead.  When accept fails for want of descriptors it frees the
 * one it keeps in reserve, accepts the waiting connection, answers it 503
 * and closes it (so clients hear something rather than wait), says so once
 * per episode, and goes on; on other errors it pauses for 100 ms.  Server
 * thread only.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _PsLiveAcceptor PsLiveAcceptor;

/* @socket: (transfer full): an accepted connection */
typedef void (*PsLiveAcceptFunc) (GSocket *socket, gpointer user_data);

typedef struct
{
  guint64 accepted;
  guint64 refused_no_fd;         /* answered 503 from the reserve descriptor */
  guint64 errors;                /* accept() failures */
} PsLiveAcceptorCounters;

PsLiveAcceptor *ps_live_acceptor_new      (GSocket                *listener,
                                           GMainContext           *context,
                                           PsLiveAcceptFunc        func,
                                           gpointer                user_data);
void            ps_live_acceptor_free     (PsLiveAcceptor         *acceptor);
void            ps_live_acceptor_counters (PsLiveAcceptor         *acceptor,
                                           PsLiveAcceptorCounters *out_counters);
void            ps_live_acceptor_close_answered (PsLiveAcceptor   *acceptor,
                                           GSocket                *socket);

G_END_DECLS
