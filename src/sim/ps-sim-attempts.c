/* ps-sim-attempts.c: an array of records with a free list
 *
 * Pointers from ps_sim_attempts_get() are valid until the next add.
 */
#include "ps-sim-attempts.h"

struct _PsSimAttempts
{
  GArray *records;                       /* PsSimAttempt */
  GArray *live;                          /* gboolean, parallel to records */
  GArray *free;                          /* guint32 indices, a stack */
};

PsSimAttempts *
ps_sim_attempts_new (void)
{
  PsSimAttempts *attempts = g_new0 (PsSimAttempts, 1);

  attempts->records = g_array_new (FALSE, FALSE, sizeof (PsSimAttempt));
  attempts->live = g_array_new (FALSE, TRUE, sizeof (gboolean));
  attempts->free = g_array_new (FALSE, FALSE, sizeof (guint32));
  return attempts;
}

void
ps_sim_attempts_free (PsSimAttempts *attempts)
{
  if (attempts == NULL)
    return;
  g_array_unref (attempts->records);
  g_array_unref (attempts->live);
  g_array_unref (attempts->free);
  g_free (attempts);
}

/* Returns: the index of a new record holding a copy of @attempt. */
guint32
ps_sim_attempts_add (PsSimAttempts *attempts, const PsSimAttempt *attempt)
{
  guint32 index;

  if (attempts->free->len > 0)
    {
      index = g_array_index (attempts->free, guint32, attempts->free->len - 1);
      g_array_set_size (attempts->free, attempts->free->len - 1);
    }
  else
    {
      index = attempts->records->len;
      g_array_set_size (attempts->records, index + 1);
      g_array_set_size (attempts->live, index + 1);
    }
  g_array_index (attempts->records, PsSimAttempt, index) = *attempt;
  g_array_index (attempts->live, gboolean, index) = TRUE;
  return index;
}

PsSimAttempt *
ps_sim_attempts_get (PsSimAttempts *attempts, guint32 index)
{
  g_return_val_if_fail (index < attempts->records->len, NULL);
  return &g_array_index (attempts->records, PsSimAttempt, index);
}

/* The record's attempt is over; its index may be reused.  (A record
 * keeps its fields until then, so a stale timer can still read them.) */
void
ps_sim_attempts_remove (PsSimAttempts *attempts, guint32 index)
{
  g_return_if_fail (index < attempts->records->len);
  g_return_if_fail (g_array_index (attempts->live, gboolean, index));

  g_array_index (attempts->live, gboolean, index) = FALSE;
  g_array_append_val (attempts->free, index);
}

void
ps_sim_attempts_foreach (PsSimAttempts *attempts, PsSimAttemptFunc func, gpointer user_data)
{
  for (guint32 i = 0; i < attempts->records->len; i++)
    if (g_array_index (attempts->live, gboolean, i))
      func (&g_array_index (attempts->records, PsSimAttempt, i), user_data);
}
