#define _GNU_SOURCE
/* ps-live-acceptor.c: the accept loop, with a descriptor in reserve */
#include "ps-live-acceptor.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ps-live-stream.h"

#define ACCEPTS_PER_WAKE  64     /* then other sources get their turn */
#define PAUSE_MS          100
#define LINGER_US         (G_USEC_PER_SEC)
#define LINGER_MAX        256      /* refused connections read out at once */

struct _PsLiveAcceptor
{
  GSocket                *listener;
  GMainContext           *context;
  PsLiveAcceptFunc        func;
  gpointer                user_data;
  GSource                *watch;
  GSource                *pause;
  int                     reserve;       /* /dev/null, given up to accept one */
  gboolean                failing;       /* an episode was reported */
  guint64                 failing_refused;
  GHashTable             *lingering;     /* GSource * of refused connections */
  PsLiveAcceptorCounters  counters;
};

static void arm (PsLiveAcceptor *a);

static void
report_failure (PsLiveAcceptor *a, const GError *error)
{
  struct rlimit limit = { 0 };

  if (a->failing)
    return;
  a->failing = TRUE;
  a->failing_refused = a->counters.refused_no_fd;
  getrlimit (RLIMIT_NOFILE, &limit);
  g_printerr ("poolsim: cannot accept a connection: %s (descriptor limit %llu); new "
              "connections are answered 503 and closed until it passes\n",
              error->message, (unsigned long long) limit.rlim_cur);
}

static void
report_recovery (PsLiveAcceptor *a)
{
  if (!a->failing)
    return;
  a->failing = FALSE;
  g_printerr ("poolsim: accepting connections again (%" G_GUINT64_FORMAT " answered 503 "
              "meanwhile)\n", a->counters.refused_no_fd - a->failing_refused);
}

/* Reads what the client sent, so that closing does not reset the
 * connection (a reset can make the client lose the answer unread). */
static gboolean
drain (int fd)
{
  char scratch[4096];
  ssize_t n;

  while ((n = recv (fd, scratch, sizeof scratch, MSG_DONTWAIT)) > 0)
    ;
  return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);    /* the end */
}

static gboolean
linger_cb (GSocket *socket, GIOCondition condition, gpointer data)
{
  PsLiveAcceptor *a = data;
  GSource *source = g_main_current_source ();

  if (!drain (g_socket_get_fd (socket)) && g_get_monotonic_time () < g_source_get_ready_time (source))
    return G_SOURCE_CONTINUE;
  g_socket_close (socket, NULL);
  g_hash_table_remove (a->lingering, source);
  return G_SOURCE_REMOVE;
}

/**
 * ps_live_acceptor_close_answered:
 * @socket: (transfer none): a connection just answered (503), to close
 *
 * Ends sending, then reads what the client sends until it closes, for at
 * most a second, before closing: closing at once, with its request unread,
 * would reset the connection and the client might never read the answer.
 */
void
ps_live_acceptor_close_answered (PsLiveAcceptor *a, GSocket *socket)
{
  GSource *source;

  g_socket_shutdown (socket, FALSE, TRUE, NULL);
  if (drain (g_socket_get_fd (socket)) || g_hash_table_size (a->lingering) >= LINGER_MAX)
    {
      g_socket_close (socket, NULL);
      return;
    }
  source = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (linger_cb), a, NULL);
  g_source_set_ready_time (source, g_get_monotonic_time () + LINGER_US);
  g_source_attach (source, a->context);
  g_hash_table_add (a->lingering, source);      /* holds the socket too */
}

static void
source_destroy (gpointer data)
{
  g_source_destroy (data);
  g_source_unref (data);
}

/* No descriptor is left for the waiting connection: use the reserve for
 * it, to tell its client, and take the reserve back. */
static gboolean
refuse_with_reserve (PsLiveAcceptor *a)
{
  int fd;

  if (a->reserve < 0)
    return FALSE;
  close (a->reserve);
  a->reserve = -1;
  fd = accept4 (g_socket_get_fd (a->listener), NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (fd >= 0)
    {
      gsize length;
      g_autofree char *answer = ps_live_closing_answer (
        503, "Service Unavailable", "no_descriptors",
        "the server has no file descriptors left; try again", &length);

      (void) !send (fd, answer, length, MSG_NOSIGNAL | MSG_DONTWAIT);
      shutdown (fd, SHUT_WR);
      drain (fd);               /* what has come: no lingering, the reserve is needed */
      close (fd);
      a->counters.refused_no_fd++;
    }
  a->reserve = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  return fd >= 0;
}

/* The reserve is taken back whenever it was lost (another thread took the
 * descriptor freed for it). */
static void
keep_reserve (PsLiveAcceptor *a)
{
  if (a->reserve < 0)
    a->reserve = open ("/dev/null", O_RDONLY | O_CLOEXEC);
}

static gboolean
resume_cb (gpointer data)
{
  PsLiveAcceptor *a = data;

  g_clear_pointer (&a->pause, g_source_unref);
  keep_reserve (a);
  arm (a);
  return G_SOURCE_REMOVE;
}

/* Stops watching for PAUSE_MS: the error may pass (descriptors freed). */
static void
pause_accepting (PsLiveAcceptor *a)
{
  g_source_destroy (a->watch);
  g_clear_pointer (&a->watch, g_source_unref);
  a->pause = g_timeout_source_new (PAUSE_MS);
  g_source_set_callback (a->pause, resume_cb, a, NULL);
  g_source_attach (a->pause, a->context);
}

static gboolean
accept_cb (GSocket *listener, GIOCondition condition, gpointer data)
{
  PsLiveAcceptor *a = data;

  for (guint i = 0; i < ACCEPTS_PER_WAKE; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocket *socket = g_socket_accept (listener, NULL, &error);

      if (socket != NULL)
        {
          report_recovery (a);
          keep_reserve (a);
          a->counters.accepted++;
          a->func (socket, a->user_data);
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      a->counters.errors++;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES)
          && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        break;                  /* that connection's own (aborted, say): go on */
      report_failure (a, error);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES)
          && refuse_with_reserve (a))
        continue;
      pause_accepting (a);      /* memory, or no reserve: it may pass */
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
arm (PsLiveAcceptor *a)
{
  a->watch = g_socket_create_source (a->listener, G_IO_IN, NULL);
  g_source_set_callback (a->watch, G_SOURCE_FUNC (accept_cb), a, NULL);
  g_source_attach (a->watch, a->context);
}

/**
 * ps_live_acceptor_new:
 * @listener: (transfer none): a listening socket
 * @func: gets each accepted connection, on @context's thread
 */
PsLiveAcceptor *
ps_live_acceptor_new (GSocket *listener, GMainContext *context, PsLiveAcceptFunc func,
                      gpointer user_data)
{
  PsLiveAcceptor *a = g_new0 (PsLiveAcceptor, 1);

  a->listener = g_object_ref (listener);
  g_socket_set_blocking (listener, FALSE);      /* accept until it would block */
  a->context = g_main_context_ref (context);
  a->func = func;
  a->user_data = user_data;
  a->reserve = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  a->lingering = g_hash_table_new_full (NULL, NULL, source_destroy, NULL);
  arm (a);
  return a;
}

/* Stops accepting and closes the listening socket. */
void
ps_live_acceptor_free (PsLiveAcceptor *a)
{
  if (a == NULL)
    return;
  if (a->watch != NULL)
    g_source_destroy (a->watch);
  g_clear_pointer (&a->watch, g_source_unref);
  if (a->pause != NULL)
    g_source_destroy (a->pause);
  g_clear_pointer (&a->pause, g_source_unref);
  if (a->reserve >= 0)
    close (a->reserve);
  g_hash_table_unref (a->lingering);   /* their sockets close with them */
  g_socket_close (a->listener, NULL);
  g_object_unref (a->listener);
  g_main_context_unref (a->context);
  g_free (a);
}

void
ps_live_acceptor_counters (PsLiveAcceptor *a, PsLiveAcceptorCounters *out_counters)
{
  *out_counters = a->counters;
}
