/* ps-live-connections.c: open connections, from accept to close */
#include "ps-live-connections.h"

#include <linux/sockios.h>
#include <sys/ioctl.h>

#include "ps-live-stream.h"

typedef struct
{
  PsLiveConnections *owner;
  gboolean           queued;      /* to be closed by the closer */
  GIOStream         *stream;      /* the PsLiveStream libsoup reads */
  GSocketAddress    *remote;      /* libsoup's messages carry this object */
  SoupServerMessage *msg;         /* the connection's latest message */
  gint64             idle_since;  /* accepted, or its last response finished */
  guint              finished;    /* responses finished */
  int                unsent;      /* bytes in the socket's send queue, last sweep */
  gint64             unsent_since;
} Conn;

struct _PsLiveConnections
{
  GHashTable   *conns;            /* Conn * set, owned */
  GPtrArray    *done;             /* Conn * whose stream reads no more */
  GSource      *closer;           /* closes them, out of libsoup's call */
  GMainContext *context;
  gint64        header_timeout_us;
  gint64        idle_timeout_us;
  PsLiveClosed  closed;
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
  ps_live_stream_on_done (c->stream, NULL, NULL);
  if (c->queued)
    g_ptr_array_remove_fast (c->owner->done, c);
  g_clear_object (&c->msg);
  g_object_unref (c->remote);
  g_object_unref (c->stream);
  g_free (c);
}

/**
 * ps_live_connections_new:
 * @context: the server thread's context, where connections are closed
 */
PsLiveConnections *
ps_live_connections_new (GMainContext *context, gint64 header_timeout_us,
                         gint64 idle_timeout_us)
{
  PsLiveConnections *conns = g_new0 (PsLiveConnections, 1);

  conns->conns = g_hash_table_new_full (NULL, NULL, conn_free, NULL);
  conns->done = g_ptr_array_new ();
  conns->context = g_main_context_ref (context);
  conns->header_timeout_us = header_timeout_us;
  conns->idle_timeout_us = idle_timeout_us;
  return conns;
}

void
ps_live_connections_free (PsLiveConnections *conns)
{
  if (conns == NULL)
    return;
  ps_live_connections_clear (conns);
  g_hash_table_unref (conns->conns);
  g_ptr_array_unref (conns->done);
  g_main_context_unref (conns->context);
  g_free (conns);
}

/* How many connections are open: those whose stream reads no more (the
 * client went, libsoup closed it) wait for the closer, and hold no place. */
guint
ps_live_connections_open (PsLiveConnections *conns)
{
  return g_hash_table_size (conns->conns) - conns->done->len;
}

static void conn_close (Conn *c);

/* Closes the connections whose stream reads no more.  Not from within a
 * libsoup callback. */
void
ps_live_connections_flush (PsLiveConnections *conns)
{
  if (conns->closer != NULL)
    g_source_destroy (conns->closer);
  g_clear_pointer (&conns->closer, g_source_unref);
  while (conns->done->len > 0)
    {
      Conn *c = g_ptr_array_steal_index_fast (conns->done, conns->done->len - 1);

      c->queued = FALSE;
      if (!g_io_stream_is_closed (c->stream))
        {
          conn_close (c);
          conns->closed.hung_up++;
        }
      g_hash_table_remove (conns->conns, c);
    }
}

static gboolean
closer_cb (gpointer data)
{
  ps_live_connections_flush (data);
  return G_SOURCE_REMOVE;
}

/* The stream reads no more: close the connection on the next iteration,
 * so that its descriptor does not wait for a sweep. */
static void
stream_done_cb (gpointer data)
{
  Conn *c = data;
  PsLiveConnections *conns = c->owner;

  if (c->queued)
    return;
  c->queued = TRUE;
  g_ptr_array_add (conns->done, c);
  if (conns->closer == NULL)
    {
      conns->closer = g_idle_source_new ();
      /* before the next accept: a closed connection holds no place */
      g_source_set_priority (conns->closer, G_PRIORITY_HIGH);
      g_source_set_callback (conns->closer, closer_cb, conns, NULL);
      g_source_attach (conns->closer, conns->context);
    }
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

  c->owner = conns;
  c->stream = g_object_ref (stream);
  c->remote = g_object_ref (remote);
  c->idle_since = g_get_monotonic_time ();
  ps_live_stream_on_done (stream, stream_done_cb, c);
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
  /* the message is kept until the next one starts (a connection is taken
   * from libsoup through it), but not its bodies: a 64 KiB request body,
   * kept twice, would stay with every idle connection */
  soup_message_body_truncate (soup_server_message_get_request_body (msg));
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
}

/* Closes @c's connection so that libsoup lets go of it: taken from the
 * message libsoup waits on, its connection object is disconnected and
 * freed; then the descriptor is closed. */
static void
conn_close (Conn *c)
{
  ps_live_stream_on_done (c->stream, NULL, NULL);    /* closed here: not queued */
  if (!g_io_stream_is_closed (c->stream) && c->msg != NULL)
    {
      g_autoptr(GIOStream) io = soup_server_message_steal_connection (c->msg);
    }
  g_io_stream_close (c->stream, NULL, NULL);
}

/* TRUE when an answer has sat unsent, not a byte of it taken by the
 * client, for longer than the idle timeout: a client that never reads
 * would otherwise hold its connection for ever. */
static gboolean
stalled (PsLiveConnections *conns, Conn *c, guint requests, gint64 now)
{
  int unsent = 0;

  if (requests == c->finished || conns->idle_timeout_us <= 0
      || ioctl (g_socket_get_fd (ps_live_stream_socket (c->stream)), SIOCOUTQ, &unsent) != 0
      || unsent == 0)
    {
      c->unsent = 0;
      return FALSE;
    }
  if (unsent != c->unsent)
    {
      c->unsent = unsent;
      c->unsent_since = now;
      return FALSE;
    }
  return now - c->unsent_since > conns->idle_timeout_us;
}

/* Why @c must be closed now, or 0. */
static guint
verdict (PsLiveConnections *conns, Conn *c, gint64 now)
{
  PsLiveStreamState s;

  ps_live_stream_state (c->stream, &s);
  if (stalled (conns, c, s.requests, now))
    return 3;
  if (s.peer_gone || s.refused)
    return 1;
  /* timed from the later of its first byte and the last answer: a request
   * pipelined behind one still in service is not late */
  if (s.reading && s.requests == c->finished && conns->header_timeout_us > 0
      && now - MAX (s.reading_since, c->idle_since) > conns->header_timeout_us)
    return 2;
  if (!s.reading && s.requests == c->finished && conns->idle_timeout_us > 0
      && now - c->idle_since > conns->idle_timeout_us)
    return 3;
  return 0;
}

/* Forgets the connections libsoup closed, closes those that must go. */
void
ps_live_connections_sweep (PsLiveConnections *conns, gint64 now)
{
  GHashTableIter it;
  gpointer key;

  g_hash_table_iter_init (&it, conns->conns);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      Conn *c = key;
      guint why;

      if (c->queued)
        continue;                                /* the closer's */
      if (g_io_stream_is_closed (c->stream))
        {
          g_hash_table_iter_remove (&it);
          continue;
        }
      why = verdict (conns, c, now);
      if (why == 0)
        continue;
      if (why == 1)
        conns->closed.hung_up++;
      else if (why == 2)
        {
          g_autofree char *m = g_strdup_printf (
            "the request did not arrive whole within %g s of its first byte",
            (double) conns->header_timeout_us / 1e6);

          ps_live_stream_answer (c->stream, 408, "Request Timeout", "request_timeout", m);
          conns->closed.timed_out++;
        }
      else
        conns->closed.idle++;
      conn_close (c);
      g_hash_table_iter_remove (&it);
    }
}

/* What the server closed so far, by reason. */
void
ps_live_connections_closed (PsLiveConnections *conns, PsLiveClosed *out_closed)
{
  *out_closed = conns->closed;
}

/* Forgets every connection (at shutdown, after soup_server_disconnect()). */
void
ps_live_connections_clear (PsLiveConnections *conns)
{
  if (conns->closer != NULL)
    g_source_destroy (conns->closer);
  g_clear_pointer (&conns->closer, g_source_unref);
  for (guint i = 0; i < conns->done->len; i++)
    ((Conn *) g_ptr_array_index (conns->done, i))->queued = FALSE;
  g_ptr_array_set_size (conns->done, 0);
  g_hash_table_remove_all (conns->conns);
}
