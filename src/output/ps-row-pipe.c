/* ps-row-pipe.c: chunks of records, a queue each way, one writer thread */
#include "ps-row-pipe.h"

#define CHUNK_BYTES (256 * 1024)

typedef struct
{
  guint8 *records;
  guint   n;                             /* records filled; 0 ends the writer */
} Chunk;

struct _PsRowPipe
{
  PsCsv           *csv;                  /* (transfer full) the writer's once started */
  gsize            record_size;
  guint            per_chunk;
  PsRowFormatFunc  format;
  GAsyncQueue     *full;                 /* Chunk *, to the writer, in order */
  GAsyncQueue     *empty;                /* Chunk *, back from it */
  guint            n_chunks;             /* made so far, <= PS_ROW_PIPE_CHUNKS */
  Chunk           *current;              /* being filled by the run */
  GThread         *thread;
  gint             discard;              /* atomic: freed unclosed, write no more */
};

static Chunk *
chunk_new (PsRowPipe *pipe)
{
  Chunk *chunk = g_new0 (Chunk, 1);

  chunk->records = g_malloc (pipe->record_size * pipe->per_chunk);
  pipe->n_chunks++;
  return chunk;
}

static void
chunk_free (gpointer data)
{
  Chunk *chunk = data;

  g_free (chunk->records);
  g_free (chunk);
}

static gpointer
writer (gpointer data)
{
  PsRowPipe *pipe = data;

  for (;;)
    {
      Chunk *chunk = g_async_queue_pop (pipe->full);
      guint n = chunk->n;

      for (guint i = 0; i < n && !g_atomic_int_get (&pipe->discard); i++)
        pipe->format (pipe->csv, chunk->records + i * pipe->record_size);
      chunk->n = 0;
      g_async_queue_push (pipe->empty, chunk);
      if (n == 0)
        return NULL;
    }
}

/**
 * ps_row_pipe_new:
 * @csv: (transfer full): the file the rows go to
 * @format: writes one row of @csv from a record, on the writer thread
 * @threaded: FALSE to format each chunk on the caller's thread when it
 *   fills (live mode, whose threads must keep their schedule on a machine
 *   with few cores: a writer thread would compete with them)
 *
 * Returns: (transfer full): a pipe, its writer thread running if @threaded.
 */
PsRowPipe *
ps_row_pipe_new (PsCsv *csv, gsize record_size, PsRowFormatFunc format, gboolean threaded)
{
  PsRowPipe *pipe;

  g_assert (record_size > 0 && record_size <= CHUNK_BYTES);
  pipe = g_new0 (PsRowPipe, 1);
  pipe->csv = csv;
  pipe->record_size = record_size;
  pipe->per_chunk = (guint) (CHUNK_BYTES / record_size);
  pipe->format = format;
  pipe->full = g_async_queue_new ();
  pipe->empty = g_async_queue_new ();
  pipe->current = chunk_new (pipe);
  if (threaded)
    pipe->thread = g_thread_new ("poolsim-rows", writer, pipe);
  return pipe;
}

/* Hands the current chunk to the writer and takes an empty one: a new one
 * while fewer than PS_ROW_PIPE_CHUNKS exist, else one the writer is done
 * with (waiting for it). */
static void
pass_on (PsRowPipe *pipe)
{
  if (pipe->thread == NULL)             /* unthreaded: format it here, reuse it */
    {
      for (guint i = 0; i < pipe->current->n; i++)
        pipe->format (pipe->csv, pipe->current->records + i * pipe->record_size);
      pipe->current->n = 0;
      return;
    }
  g_async_queue_push (pipe->full, pipe->current);
  pipe->current = g_async_queue_try_pop (pipe->empty);
  if (pipe->current == NULL)
    pipe->current = pipe->n_chunks < PS_ROW_PIPE_CHUNKS
                    ? chunk_new (pipe) : g_async_queue_pop (pipe->empty);
}

/**
 * ps_row_pipe_next:
 *
 * Returns: (transfer none): room for the next record, to fill before the
 *   next call; its row is written after every earlier one.
 */
gpointer
ps_row_pipe_next (PsRowPipe *pipe)
{
  if (pipe->current->n == pipe->per_chunk)
    pass_on (pipe);
  return pipe->current->records + (pipe->current->n++) * pipe->record_size;
}

/* Writes what is left, stops the writer, returns its chunks. */
static void
drain (PsRowPipe *pipe)
{
  if (pipe->current == NULL)
    return;
  if (pipe->thread == NULL)
    {
      if (!g_atomic_int_get (&pipe->discard))
        pass_on (pipe);
      g_clear_pointer (&pipe->current, chunk_free);
      return;
    }
  if (pipe->current->n > 0)
    pass_on (pipe);
  g_async_queue_push (pipe->full, pipe->current);   /* n == 0: the end */
  pipe->current = NULL;
  g_thread_join (g_steal_pointer (&pipe->thread));
}

/**
 * ps_row_pipe_close:
 *
 * Writes every row given, then closes the file.  Returns: FALSE with
 * @error set when a write failed (ps_csv_close()).
 */
gboolean
ps_row_pipe_close (PsRowPipe *pipe, GError **error)
{
  gboolean ok;

  drain (pipe);
  ok = ps_csv_close (pipe->csv, error);
  g_clear_pointer (&pipe->csv, ps_csv_free);
  return ok;
}

void
ps_row_pipe_free (PsRowPipe *pipe)
{
  Chunk *chunk;

  if (pipe == NULL)
    return;
  g_atomic_int_set (&pipe->discard, 1);  /* not closed: an error path, no rows wanted */
  drain (pipe);
  while ((chunk = g_async_queue_try_pop (pipe->empty)) != NULL)
    chunk_free (chunk);
  g_async_queue_unref (pipe->full);
  g_async_queue_unref (pipe->empty);
  ps_csv_free (pipe->csv);
  g_free (pipe);
}
