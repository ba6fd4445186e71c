/* ps-live-connections.c: open connections, from accept to close */
#include "ps-live-connections.h"

#include <string.h>

#include "ps-live-stream.h"

/* how often counting may walk the set to forget closed connections */
#define FORGET_PERIOD_US 100000

typedef struct
{
  GIOStream         *stream;      /* the PsLiveStream libsoup reads */
  GSocketAddress    *remote;      /* libsoup's messages carry this object */
  SoupServerMessage *msg;         /* the connection's latest message */
  gint64             idle_since;  /* accepted, or its last response finished */
  guint              finished;    /* responses finished */
} Conn;

struct _PsLiveConnections
{
  GHashTable *conns;              /* Conn * set, owned */
  gint64      header_timeout_us;
  gint64      idle_timeout_us;
  gint64      forgot_at;
};

static GQuark
conn_quark (void)
{
  return g_quark_from_static_string ("ps-live-connection");
}

static void
conn_free (gpointer data)
{
  Conn *c = data;

  g_object_set_qdata (G_OBJECT (c->remote), conn_quark (), NULL);
  g_clear_object (&c->msg);
  g_object_unref (c->remote);
  g_object_unref (c->stream);
  g_free (c);
}

PsLiveConnections *
ps_live_connections_new (gint64 header_timeout_us, gint64 idle_timeout_us)
{
  PsLiveConnections *conns = g_new0 (PsLiveConnections, 1);

  conns->conns = g_hash_table_new_full (NULL, NULL, conn_free, NULL);
  conns->header_timeout_us = header_timeout_us;
  conns->idle_timeout_us = idle_timeout_us;
  return conns;
}

void
ps_live_connections_free (PsLiveConnections *conns)
{
  if (conns == NULL)
    return;
  g_hash_table_unref (conns->conns);
  g_free (conns);
}

static void
forget_closed (PsLiveConnections *conns)
{
  GHashTableIter it;
  gpointer key;

  g_hash_table_iter_init (&it, conns->conns);
  while (g_hash_table_iter_next (&it, &key, NULL))
    if (g_io_stream_is_closed (((Conn *) key)->stream))
      g_hash_table_iter_remove (&it);
}

/* How many connections are open; those libsoup closed are forgotten
 * first (a walk at most every 100 ms, so a flood of accepts at the limit
 * does not walk the set for each). */
guint
ps_live_connections_open (PsLiveConnections *conns, gint64 now)
{
  if (now - conns->forgot_at >= FORGET_PERIOD_US)
    {
      forget_closed (conns);
      conns->forgot_at = now;
    }
  return g_hash_table_size (conns->conns);
}

/**
 * ps_live_connections_add:
 * @stream: (transfer none): the stream about to be handed to libsoup
 * @remote: (transfer none): the remote address handed with it; libsoup
 *   gives this same object back from soup_server_message_get_remote_address()
 */
void
ps_live_connections_add (PsLiveConnections *conns, GIOStream *stream, GSocketAddress *remote)
{
  Conn *c = g_new0 (Conn, 1);

  c->stream = g_object_ref (stream);
  c->remote = g_object_ref (remote);
  c->idle_since = g_get_monotonic_time ();
  g_object_set_qdata (G_OBJECT (remote), conn_quark (), c);
  g_hash_table_add (conns->conns, c);
}

static Conn *
conn_of (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_object_get_qdata (G_OBJECT (remote), conn_quark ()) : NULL;
}

/* libsoup began a message on a connection (its next request). */
void
ps_live_connections_started (PsLiveConnections *conns, SoupServerMessage *msg)
{
  Conn *c = conn_of (msg);

  if (c != NULL)
    g_set_object (&c->msg, msg);
}

/* A response was written, or the request aborted. */
void
ps_live_connections_finished (PsLiveConnections *conns, SoupServerMessage *msg)
{
  Conn *c = conn_of (msg);

  if (c != NULL)
    {
      c->finished++;
      c->idle_since = g_get_monotonic_time ();
    }
}

/* Closes @c's connection so that libsoup lets go of it: taken from the
 * message libsoup waits on, its connection object is disconnected and
 * freed; then the descriptor is closed. */
static void
conn_close (Conn *c)
{
  if (!g_io_stream_is_closed (c->stream) && c->msg != NULL)
    {
      g_autoptr(GIOStream) io = soup_server_message_steal_connection (c->msg);
    }
  g_io_stream_close (c->stream, NULL, NULL);
}

/* Why @c must be closed now, or 0. */
static guint
verdict (PsLiveConnections *conns, Conn *c, gint64 now)
{
  PsLiveStreamState s;

  ps_live_stream_state (c->stream, &s);
  if (s.peer_gone || s.refused)
    return 1;
  if (s.reading && conns->header_timeout_us > 0
      && now - s.reading_since > conns->header_timeout_us)
    return 2;
  if (!s.reading && s.requests == c->finished && conns->idle_timeout_us > 0
      && now - c->idle_since > conns->idle_timeout_us)
    return 3;
  return 0;
}

/* Forgets the connections libsoup closed, closes those that must go. */
void
ps_live_connections_sweep (PsLiveConnections *conns, gint64 now, PsLiveSweep *out_sweep)
{
  GHashTableIter it;
  gpointer key;

  memset (out_sweep, 0, sizeof *out_sweep);
  g_hash_table_iter_init (&it, conns->conns);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      Conn *c = key;
      guint why;

      if (g_io_stream_is_closed (c->stream))
        {
          g_hash_table_iter_remove (&it);
          continue;
        }
      why = verdict (conns, c, now);
      if (why == 0)
        continue;
      if (why == 1)
        out_sweep->hung_up++;
      else if (why == 2)
        {
          g_autofree char *m = g_strdup_printf (
            "the request did not arrive whole within %g s of its first byte",
            (double) conns->header_timeout_us / 1e6);

          ps_live_stream_answer (c->stream, 408, "Request Timeout", "request_timeout", m);
          out_sweep->timed_out++;
        }
      else
        out_sweep->idle++;
      conn_close (c);
      g_hash_table_iter_remove (&it);
    }
  conns->forgot_at = now;
}

/* Forgets every connection (at shutdown, after soup_server_disconnect()). */
void
ps_live_connections_clear (PsLiveConnections *conns)
{
  g_hash_table_remove_all (conns->conns);
}
