/* ps-request.c: a slot table with a free list
 *
 * Pointers returned by ps_request_table_get() are valid only until the next
 * ps_request_table_alloc(), which may move the array.
 */
#include "ps-request.h"

struct _PsRequestTable
{
  PsRequest *slots;
  guint32    n_slots;
  guint32    slots_cap;
  guint32   *free;               /* slot numbers, used as a stack */
  guint32    n_free;
  guint32    free_cap;
};

PsRequestTable *
ps_request_table_new (void)
{
  return g_new0 (PsRequestTable, 1);
}

void
ps_request_table_free (PsRequestTable *table)
{
  if (table == NULL)
    return;
  g_free (table->slots);
  g_free (table->free);
  g_free (table);
}

/* Plain arrays, not GArrays: a slot is taken and given back for every
 * request, and GLib's calls cost more than the rest of it. */
static guint32
grown (guint32 cap)
{
  return cap == 0 ? 64 : cap > G_MAXUINT32 / 2 ? G_MAXUINT32 : cap * 2;
}

/* Returns: a slot whose request is zeroed, times -1, state FREE. */
guint32
ps_request_table_alloc (PsRequestTable *table)
{
  guint32 slot;

  if (table->n_free > 0)
    slot = table->free[--table->n_free];
  else
    {
      g_return_val_if_fail (table->n_slots < PS_NO_SLOT, PS_NO_SLOT);
      if (table->n_slots == table->slots_cap)
        {
          table->slots_cap = grown (table->slots_cap);
          table->slots = g_renew (PsRequest, table->slots, table->slots_cap);
        }
      slot = table->n_slots++;
    }
  table->slots[slot] = (PsRequest) { .first_sent = -1, .admitted = -1 };
  return slot;
}

void
ps_request_table_release (PsRequestTable *table, guint32 slot)
{
  PsRequest *req = ps_request_table_get (table, slot);

  g_return_if_fail (req->state != PS_REQUEST_FREE);
  req->state = PS_REQUEST_FREE;
  if (table->n_free == table->free_cap)
    {
      table->free_cap = grown (table->free_cap);
      table->free = g_renew (guint32, table->free, table->free_cap);
    }
  table->free[table->n_free++] = slot;
}

PsRequest *
ps_request_table_get (PsRequestTable *table, guint32 slot)
{
  g_return_val_if_fail (slot < table->n_slots, NULL);
  return &table->slots[slot];
}

/* A hint that @slot will be read soon (a no-op for a slot out of range):
 * both cache lines its record may span. */
void
ps_request_table_prefetch (const PsRequestTable *table, guint32 slot)
{
  if (slot < table->n_slots)
    {
      const char *req = (const char *) &table->slots[slot];

      __builtin_prefetch (req);
      __builtin_prefetch (req + sizeof (PsRequest) - 1);
    }
}

guint32
ps_request_table_n_slots (const PsRequestTable *table)
{
  return table->n_slots;
}

guint32
ps_request_table_n_live (const PsRequestTable *table)
{
  return table->n_slots - table->n_free;
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
