/* ps-request.c: a slot table with a free list
 *
 * Pointers returned by ps_request_table_get() are valid only until the next
 * ps_request_table_alloc(), which may move the array.
 */
#include "ps-request.h"

struct _PsRequestTable
{
  GArray *slots;                 /* PsRequest */
  GArray *free;                  /* guint32 slot numbers, used as a stack */
};

PsRequestTable *
ps_request_table_new (void)
{
  PsRequestTable *table = g_new0 (PsRequestTable, 1);

  table->slots = g_array_new (FALSE, TRUE, sizeof (PsRequest));
  table->free = g_array_new (FALSE, FALSE, sizeof (guint32));
  return table;
}

void
ps_request_table_free (PsRequestTable *table)
{
  if (table == NULL)
    return;
  g_array_unref (table->slots);
  g_array_unref (table->free);
  g_free (table);
}

/* Returns: a slot whose request is zeroed, times -1, state FREE. */
guint32
ps_request_table_alloc (PsRequestTable *table)
{
  guint32 slot;
  PsRequest *req;

  if (table->free->len > 0)
    {
      slot = g_array_index (table->free, guint32, table->free->len - 1);
      g_array_set_size (table->free, table->free->len - 1);
    }
  else
    {
      g_return_val_if_fail (table->slots->len < PS_NO_SLOT, PS_NO_SLOT);
      slot = table->slots->len;
      g_array_set_size (table->slots, slot + 1);
    }
  req = &g_array_index (table->slots, PsRequest, slot);
  *req = (PsRequest) { .first_sent = -1, .admitted = -1, .completed = -1 };
  return slot;
}

void
ps_request_table_release (PsRequestTable *table, guint32 slot)
{
  PsRequest *req = ps_request_table_get (table, slot);

  g_return_if_fail (req->state != PS_REQUEST_FREE);
  req->state = PS_REQUEST_FREE;
  g_array_append_val (table->free, slot);
}

PsRequest *
ps_request_table_get (PsRequestTable *table, guint32 slot)
{
  g_return_val_if_fail (slot < table->slots->len, NULL);
  return &g_array_index (table->slots, PsRequest, slot);
}

/* A hint that @slot will be read soon (a no-op for a slot out of range):
 * both cache lines, as a record of 72 bytes spans two. */
void
ps_request_table_prefetch (const PsRequestTable *table, guint32 slot)
{
  if (slot < table->slots->len)
    {
      const char *req = (const char *) &g_array_index (table->slots, PsRequest, slot);

      __builtin_prefetch (req);
      __builtin_prefetch (req + sizeof (PsRequest) - 1);
    }
}

guint32
ps_request_table_n_slots (const PsRequestTable *table)
{
  return table->slots->len;
}

guint32
ps_request_table_n_live (const PsRequestTable *table)
{
  return table->slots->len - table->free->len;
}

const char *
ps_outcome_to_string (PsOutcome outcome)
{
  switch (outcome)
    {
    case PS_OUTCOME_COMPLETED:
      return "completed";
    case PS_OUTCOME_REJECTED:
      return "rejected";
    case PS_OUTCOME_DROPPED:
      return "dropped";
    case PS_OUTCOME_PENDING:
      return "pending";
    default:
      g_assert_not_reached ();
    }
}
