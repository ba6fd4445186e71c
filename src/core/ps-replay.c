/* ps-replay.c: recorded rows, grouped by client, in time order
 *
 * Invariant once finished: rows[starts[c] .. starts[c+1]) are client c's,
 * by non-decreasing time, ties in the order they were added.  The sort is
 * g_array_sort(), which GLib guarantees stable (a merge sort) since 2.32.
 * Memory: 24 bytes a row plus 4 a client; the rows are finite inputs.
 */
#include "ps-replay.h"

struct _PsReplay
{
  GArray  *rows;                        /* PsReplayRow */
  guint32 *starts;                      /* n_clients + 1, once finished */
  guint32  n_clients;
  guint    n_priorities;                /* 1 + highest explicit priority; 0: none */
  PsTime   last_time;
  gboolean finished;
};

/* Returns: (transfer full): an empty replay, to fill with ps_replay_add(). */
PsReplay *
ps_replay_new (void)
{
  PsReplay *replay = g_new0 (PsReplay, 1);

  replay->rows = g_array_new (FALSE, FALSE, sizeof (PsReplayRow));
  return replay;
}

void
ps_replay_free (PsReplay *replay)
{
  if (replay == NULL)
    return;
  g_array_unref (replay->rows);
  g_free (replay->starts);
  g_free (replay);
}

/**
 * ps_replay_add:
 * @client: dense index; clients need not come in order
 * @time: >= 0
 * @priority: 0..15, or %PS_REPLAY_NO_PRIORITY
 * @work: >= 0, or %PS_REPLAY_NO_WORK
 *
 * Appends one recorded request, in file order.  Not after ps_replay_finish().
 */
void
ps_replay_add (PsReplay *replay, guint32 client, PsTime time, guint priority,
               PsTime work)
{
  PsReplayRow row = { time, work, client, (guint8) priority };

  g_return_if_fail (replay != NULL && !replay->finished);
  g_return_if_fail (time >= 0);
  g_return_if_fail (priority < 16 || priority == PS_REPLAY_NO_PRIORITY);
  g_return_if_fail (work >= 0 || work == PS_REPLAY_NO_WORK);
  g_return_if_fail (replay->rows->len < G_MAXUINT32);

  g_array_append_val (replay->rows, row);
  replay->n_clients = MAX (replay->n_clients, client + 1);
  if (priority != PS_REPLAY_NO_PRIORITY)
    replay->n_priorities = MAX (replay->n_priorities, priority + 1);
  replay->last_time = MAX (replay->last_time, time);
}

static int
compare_rows (gconstpointer a, gconstpointer b)
{
  const PsReplayRow *ra = a, *rb = b;

  if (ra->client != rb->client)
    return ra->client < rb->client ? -1 : 1;
  return ra->time < rb->time ? -1 : ra->time > rb->time;
}

/* Sorts the rows (stably) and indexes each client's range. */
void
ps_replay_finish (PsReplay *replay)
{
  g_return_if_fail (replay != NULL && !replay->finished);

  g_array_sort (replay->rows, compare_rows);
  replay->starts = g_new0 (guint32, replay->n_clients + 1);
  for (guint32 i = 0; i < replay->rows->len; i++)
    replay->starts[g_array_index (replay->rows, PsReplayRow, i).client + 1]++;
  for (guint32 c = 0; c < replay->n_clients; c++)
    replay->starts[c + 1] += replay->starts[c];
  replay->finished = TRUE;
}

guint32
ps_replay_get_n_clients (const PsReplay *replay)
{
  g_return_val_if_fail (replay != NULL, 0);
  return replay->n_clients;
}

guint32
ps_replay_get_n_rows (const PsReplay *replay)
{
  g_return_val_if_fail (replay != NULL, 0);
  return replay->rows->len;
}

/* Returns: (transfer none): row @index of the finished, sorted replay. */
const PsReplayRow *
ps_replay_get_row (const PsReplay *replay, guint32 index)
{
  g_return_val_if_fail (replay != NULL && replay->finished, NULL);
  g_return_val_if_fail (index < replay->rows->len, NULL);
  return &g_array_index (replay->rows, PsReplayRow, index);
}

/**
 * ps_replay_get_client_rows:
 * @out_start: (out): index of @client's first row
 * @out_end: (out): one past its last row
 */
void
ps_replay_get_client_rows (const PsReplay *replay, guint32 client,
                           guint32 *out_start, guint32 *out_end)
{
  g_return_if_fail (replay != NULL && replay->finished);
  g_return_if_fail (client < replay->n_clients);

  *out_start = replay->starts[client];
  *out_end = replay->starts[client + 1];
}

/* 1 + the highest priority a row gives; 0 when no row gives one. */
guint
ps_replay_get_n_priorities (const PsReplay *replay)
{
  g_return_val_if_fail (replay != NULL, 0);
  return replay->n_priorities;
}

/* The latest row's time; 0 for an empty replay. */
PsTime
ps_replay_get_last_time (const PsReplay *replay)
{
  g_return_val_if_fail (replay != NULL, 0);
  return replay->last_time;
}
