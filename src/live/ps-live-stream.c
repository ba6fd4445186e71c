/* ps-live-stream.c: a GIOStream whose input is read through a PsLiveGuard */
#include "ps-live-stream.h"

#include "ps-json-writer.h"

/* ---- the guarded input ------------------------------------------------ */

#define PS_TYPE_GUARD_INPUT (ps_guard_input_get_type ())
G_DECLARE_FINAL_TYPE (PsGuardInput, ps_guard_input, PS, GUARD_INPUT, GFilterInputStream)

struct _PsGuardInput
{
  GFilterInputStream   parent;
  PsLiveGuard          guard;
  PsLiveStreamState    state;
  GSocket             *socket;       /* where refusals are written */
  PsLiveStreamRefused  refused;
  gpointer             user_data;
  PsLiveStreamDone     done;
  gpointer             done_data;
  gboolean             refusal_due;  /* after the requests before it */
  PsLiveGuardRefusal   refusal;
};

static void pollable_iface_init (GPollableInputStreamInterface *iface);

G_DEFINE_TYPE_WITH_CODE (PsGuardInput, ps_guard_input, G_TYPE_FILTER_INPUT_STREAM,
                         G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                pollable_iface_init))

/**
 * ps_live_closing_answer:
 * @out_length: (out): the answer's length
 *
 * A whole HTTP/1.1 answer with a JSON error body, for a connection that
 * is closed right after it.
 */
char *
ps_live_closing_answer (guint status, const char *phrase, const char *code,
                        const char *message, gsize *out_length)
{
  g_autoptr(GString) body = g_string_new ("{\"error\":");
  GString *answer = g_string_new (NULL);

  ps_json_append_string (body, code);
  g_string_append (body, ",\"message\":");
  ps_json_append_string (body, message);
  g_string_append (body, "}\n");
  g_string_append_printf (answer, "HTTP/1.1 %u %s\r\nContent-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n%sConnection: close\r\n\r\n%s",
                          status, phrase, body->len,
                          status == 503 ? "Retry-After: 1\r\n" : "", body->str);
  *out_length = answer->len;
  return g_string_free (answer, FALSE);
}

/* Writes the answer without waiting (it fits any socket buffer) and ends
 * the sending side, so the client reads it and then EOF. */
static void
answer_and_shut (GSocket *socket, guint status, const char *phrase, const char *code,
                 const char *message)
{
  gsize length;
  g_autofree char *answer = ps_live_closing_answer (status, phrase, code, message, &length);

  g_socket_send_with_blocking (socket, answer, length, FALSE, NULL, NULL);
  g_socket_shutdown (socket, FALSE, TRUE, NULL);
}

/* Once the peer is gone or its head refused, libsoup is told nothing:
 * its read would block for ever, and the connection registry takes the
 * connection from it (ps-live-connections.h).  Were libsoup to see the
 * EOF of an idle keep-alive connection, 3.2.3 would drop its message
 * without telling anyone and keep the connection object for good; and
 * soup_server_message_steal_connection() on that state crashes. */
static gboolean
input_done (PsGuardInput *self)
{
  return self->state.peer_gone || self->state.refused;
}

/* The peer went, or its head was refused: said once. */
static void
finish (PsGuardInput *self)
{
  PsLiveStreamDone done = self->done;

  self->done = NULL;
  if (done != NULL)
    done (self->done_data);
}

static gssize
would_block (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "no more input");
  return -1;
}

/* Answers the refused head, and the stream reads no more. */
static gssize
refuse_now (PsGuardInput *self, GError **error)
{
  const PsLiveGuardRefusal *r = &self->refusal;

  self->refusal_due = FALSE;
  self->state.refused = TRUE;
  self->state.reading = FALSE;
  answer_and_shut (self->socket, r->status, r->phrase, r->code, r->message);
  if (self->refused != NULL)
    self->refused (r->status, self->user_data);
  finish (self);
  return would_block (error);
}

/* What a read returned: the guard sees the bytes before the caller does. */
static gssize
after_read (PsGuardInput *self, const void *buffer, gssize n, GError **error)
{
  guint before;

  if (n == 0)
    {
      self->state.peer_gone = TRUE;
      finish (self);
      return would_block (error);
    }
  before = ps_live_guard_requests (&self->guard);
  if (!ps_live_guard_feed (&self->guard, buffer, (gsize) n, &self->refusal))
    {
      if (self->refusal.offset == 0)
        return refuse_now (self, error);
      /* pipelined requests came before it: libsoup gets those, and the
       * refusal comes at its next read, after their answers */
      self->refusal_due = TRUE;
      self->state.requests = ps_live_guard_requests (&self->guard);
      self->state.reading = FALSE;
      return (gssize) self->refusal.offset;
    }
  self->state.requests = ps_live_guard_requests (&self->guard);
  if (ps_live_guard_reading (&self->guard)
      && (!self->state.reading || self->state.requests != before))
    self->state.reading_since = g_get_monotonic_time ();
  self->state.reading = ps_live_guard_reading (&self->guard);
  return n;
}

/* A read error is the peer gone as well (reset, say). */
static gssize
read_failed (PsGuardInput *self, GError *local, GError **error)
{
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      g_propagate_error (error, local);
      return -1;
    }
  g_error_free (local);
  self->state.peer_gone = TRUE;
  finish (self);
  return would_block (error);
}

/* libsoup's server reads without blocking; this is for completeness. */
static gssize
guard_read (GInputStream *stream, void *buffer, gsize count, GCancellable *cancellable,
            GError **error)
{
  PsGuardInput *self = PS_GUARD_INPUT (stream);
  gssize n;

  if (input_done (self))
    return 0;
  if (self->refusal_due)
    {
      refuse_now (self, NULL);
      return 0;
    }
  n = g_input_stream_read (G_FILTER_INPUT_STREAM (self)->base_stream, buffer, count,
                           cancellable, error);
  if (n == 0)
    {
      self->state.peer_gone = TRUE;
      finish (self);
    }
  if (n <= 0)
    return n;
  n = after_read (self, buffer, n, NULL);
  return n < 0 ? 0 : n;
}

static gssize
guard_read_nonblocking (GPollableInputStream *stream, void *buffer, gsize count,
                        GError **error)
{
  PsGuardInput *self = PS_GUARD_INPUT (stream);
  GPollableInputStream *base = G_POLLABLE_INPUT_STREAM (G_FILTER_INPUT_STREAM (self)->base_stream);
  GError *local = NULL;
  gssize n;

  if (input_done (self))
    return would_block (error);
  if (self->refusal_due)
    return refuse_now (self, error);
  n = g_pollable_input_stream_read_nonblocking (base, buffer, count, NULL, &local);
  if (n < 0)
    return read_failed (self, local, error);
  return after_read (self, buffer, n, error);
}

static gboolean
guard_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
guard_is_readable (GPollableInputStream *stream)
{
  PsGuardInput *self = PS_GUARD_INPUT (stream);

  return self->refusal_due
         || (!input_done (self)
             && g_pollable_input_stream_is_readable (
                  G_POLLABLE_INPUT_STREAM (G_FILTER_INPUT_STREAM (self)->base_stream)));
}

static GSource *
guard_create_source (GPollableInputStream *stream, GCancellable *cancellable)
{
  PsGuardInput *self = PS_GUARD_INPUT (stream);
  g_autoptr(GSource) base = NULL;

  if (self->refusal_due)
    {
      /* ready now: the next read answers the refusal */
      g_autoptr(GSource) now = g_timeout_source_new (0);

      return g_pollable_source_new_full (stream, now, cancellable);
    }
  if (input_done (self))
    return g_pollable_source_new_full (stream, NULL, cancellable);   /* never ready */
  base = g_pollable_input_stream_create_source (
    G_POLLABLE_INPUT_STREAM (G_FILTER_INPUT_STREAM (self)->base_stream), NULL);
  return g_pollable_source_new_full (stream, base, cancellable);
}

static void
pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = guard_can_poll;
  iface->is_readable = guard_is_readable;
  iface->create_source = guard_create_source;
  iface->read_nonblocking = guard_read_nonblocking;
}

static void
ps_guard_input_finalize (GObject *object)
{
  g_clear_object (&PS_GUARD_INPUT (object)->socket);
  G_OBJECT_CLASS (ps_guard_input_parent_class)->finalize (object);
}

static void
ps_guard_input_class_init (PsGuardInputClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ps_guard_input_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = guard_read;
}

static void
ps_guard_input_init (PsGuardInput *self)
{
}

/* ---- the stream handed to libsoup -------------------------------------- */

#define PS_TYPE_LIVE_STREAM (ps_live_stream_get_type ())
G_DECLARE_FINAL_TYPE (PsLiveStream, ps_live_stream, PS, LIVE_STREAM, GIOStream)

struct _PsLiveStream
{
  GIOStream     parent;
  GIOStream    *base;          /* the accepted GSocketConnection */
  PsGuardInput *input;
};

G_DEFINE_TYPE (PsLiveStream, ps_live_stream, G_TYPE_IO_STREAM)

static GInputStream *
live_stream_get_input (GIOStream *stream)
{
  return G_INPUT_STREAM (PS_LIVE_STREAM (stream)->input);
}

static GOutputStream *
live_stream_get_output (GIOStream *stream)
{
  return g_io_stream_get_output_stream (PS_LIVE_STREAM (stream)->base);
}

/* Closing the stream closes the connection, and so its descriptor; the
 * registry hears of it at once (a closed connection holds no place). */
static gboolean
live_stream_close (GIOStream *stream, GCancellable *cancellable, GError **error)
{
  PsLiveStream *self = PS_LIVE_STREAM (stream);

  finish (self->input);
  g_input_stream_close (G_INPUT_STREAM (self->input), cancellable, NULL);
  return g_io_stream_close (self->base, cancellable, error);
}

static void
ps_live_stream_dispose (GObject *object)
{
  PsLiveStream *self = PS_LIVE_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->base);
  G_OBJECT_CLASS (ps_live_stream_parent_class)->dispose (object);
}

static void
ps_live_stream_class_init (PsLiveStreamClass *klass)
{
  GIOStreamClass *io = G_IO_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ps_live_stream_dispose;
  io->get_input_stream = live_stream_get_input;
  io->get_output_stream = live_stream_get_output;
  io->close_fn = live_stream_close;
}

static void
ps_live_stream_init (PsLiveStream *self)
{
}

/**
 * ps_live_stream_new:
 * @connection: (transfer none): an accepted connection
 * @refused: (nullable): called with the status of a refused head
 *
 * Returns: (transfer full): the stream to hand to libsoup
 */
GIOStream *
ps_live_stream_new (GSocketConnection *connection, guint64 max_body,
                    PsLiveStreamRefused refused, gpointer user_data)
{
  PsLiveStream *self = g_object_new (PS_TYPE_LIVE_STREAM, NULL);
  GInputStream *base_input = g_io_stream_get_input_stream (G_IO_STREAM (connection));

  self->base = g_object_ref (G_IO_STREAM (connection));
  self->input = g_object_new (PS_TYPE_GUARD_INPUT, "base-stream", base_input, NULL);
  self->input->socket = g_object_ref (g_socket_connection_get_socket (connection));
  self->input->refused = refused;
  self->input->user_data = user_data;
  ps_live_guard_init (&self->input->guard, max_body);
  return G_IO_STREAM (self);
}

/* @done is called (once) when the stream will read no more. */
void
ps_live_stream_on_done (GIOStream *stream, PsLiveStreamDone done, gpointer user_data)
{
  PS_LIVE_STREAM (stream)->input->done = done;
  PS_LIVE_STREAM (stream)->input->done_data = user_data;
}

void
ps_live_stream_state (GIOStream *stream, PsLiveStreamState *out_state)
{
  *out_state = PS_LIVE_STREAM (stream)->input->state;
}

GSocket *
ps_live_stream_socket (GIOStream *stream)
{
  return PS_LIVE_STREAM (stream)->input->socket;
}

/* Answers on the connection now, outside libsoup, and ends sending; the
 * caller then closes the connection. */
void
ps_live_stream_answer (GIOStream *stream, guint status, const char *phrase,
                       const char *code, const char *message)
{
  answer_and_shut (ps_live_stream_socket (stream), status, phrase, code, message);
}
