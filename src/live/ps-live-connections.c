/* ps-live-connections.c: a set of connection sockets, swept for dead peers */
#include "ps-live-connections.h"

#include <errno.h>
#include <sys/socket.h>

struct _PsLiveConnections
{
  GHashTable *sockets;                  /* GSocket * (ref) after a finished request */
};

PsLiveConnections *
ps_live_connections_new (void)
{
  PsLiveConnections *conns = g_new (PsLiveConnections, 1);

  conns->sockets = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  return conns;
}

void
ps_live_connections_free (PsLiveConnections *conns)
{
  if (conns == NULL)
    return;
  g_hash_table_unref (conns->sockets);
  g_free (conns);
}

/* TRUE if @socket finished a request before: not a new connection. */
gboolean
ps_live_connections_known (PsLiveConnections *conns, GSocket *socket)
{
  return g_hash_table_contains (conns->sockets, socket);
}

/* Remembers @socket's connection (once), until it closes. */
void
ps_live_connections_add (PsLiveConnections *conns, GSocket *socket)
{
  if (!g_hash_table_contains (conns->sockets, socket))
    g_hash_table_add (conns->sockets, g_object_ref (socket));
}

static gboolean
peer_hung_up (GSocket *socket)
{
  char b;
  ssize_t n;

  if (g_socket_condition_check (socket, G_IO_IN | G_IO_HUP | G_IO_ERR) == 0)
    return FALSE;
  n = recv (g_socket_get_fd (socket), &b, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/* Forgets closed sockets and closes those whose peer has hung up.
 * Returns: how many it closed. */
guint
ps_live_connections_sweep (PsLiveConnections *conns)
{
  GHashTableIter it;
  gpointer key;
  guint swept = 0;

  g_hash_table_iter_init (&it, conns->sockets);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      GSocket *socket = key;

      if (g_socket_is_closed (socket))
        g_hash_table_iter_remove (&it);
      else if (peer_hung_up (socket))
        {
          g_socket_close (socket, NULL);
          swept++;
          g_hash_table_iter_remove (&it);
        }
    }
  return swept;
}

/* Forgets every socket (at shutdown, before the server goes). */
void
ps_live_connections_clear (PsLiveConnections *conns)
{
  g_hash_table_remove_all (conns->sockets);
}
