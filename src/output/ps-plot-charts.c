/* ps-plot-charts.c: charts.json into the charts' accumulators
 *
 * A run writes charts.json (ps-chart-data.c) from what it tallied as its
 * requests ended; reading it costs the same whatever the number of
 * requests, where requests.csv costs a pass over every one.  It fills
 * the same PriorityStats and QuotaSlots as the requests.csv pass, and
 * gives the same derived files when every client the quota chart shows
 * was followed from its first request.
 */
#include "ps-plot-private.h"

#include <string.h>

/* Bounds that keep sums and midpoints far from overflow: a century in
 * µs, and 2^50 requests. */
#define TIME_MAX_US (G_GINT64_CONSTANT (100) * 365 * 86400 * 1000000)
#define COUNT_MAX   (G_GINT64_CONSTANT (1) << 50)

static gboolean
bad (GError **error, const char *where, const char *what)
{
  g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA,
               "charts.json: %s: %s", where, what);
  return FALSE;
}

/* A member that must be a non-negative integer. */
static gboolean
get_count (JsonObject  *object,
           const char  *member,
           const char  *where,
           guint64     *out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *at = g_strdup_printf ("%s.%s", where, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 0)
    return bad (error, at, "missing, or not a count");
  *out = (guint64) json_node_get_int (node);
  return TRUE;
}

/* Element @i of @array when it is an object, else NULL (json-glib's own
 * accessor complains about a non-object). */
static JsonObject *
object_at (JsonArray *array,
           guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* An array of counts, @where naming it in a message. */
static gboolean
get_counts (JsonArray   *array,
            const char  *where,
            GArray      *into,
            GError     **error)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      guint32 value;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
          || json_node_get_int (node) < 0 || json_node_get_int (node) > G_MAXUINT32)
        return bad (error, where, "not an array of counts");
      value = (guint32) json_node_get_int (node);
      g_array_append_val (into, value);
    }
  return array != NULL || bad (error, where, "missing");
}

/* One series' outcome counts and latency buckets; a series that saw no
 * request is left out, as the requests.csv pass never meets it. */
static gboolean
read_series (JsonObject  *object,
             const char  *where,
             GPtrArray   *series,
             int          key,
             GError     **error)
{
  guint64 outcomes[PLOT_N_OUTCOMES], total = 0, min_us, max_us;
  JsonArray *buckets = get_array (object, "latency_us");
  g_autofree char *at = g_strdup_printf ("%s.latency_us", where);
  PriorityStats *stats;

  for (guint o = 0; o < PLOT_N_OUTCOMES; o++)
    {
      if (!get_count (object, ps_outcome_to_string ((PsOutcome) o), where, &outcomes[o],
                      error))
        return FALSE;
      if (outcomes[o] > COUNT_MAX)
        return bad (error, where, "a count out of range");
      total += outcomes[o];
    }
  if (!get_count (object, "latency_min_us", where, &min_us, error)
      || !get_count (object, "latency_max_us", where, &max_us, error))
    return FALSE;
  if (min_us > max_us || max_us > TIME_MAX_US)
    return bad (error, where, "latency_min_us and latency_max_us out of order or range");
  if (buckets == NULL)
    return bad (error, at, "missing");
  if (total == 0)
    return TRUE;
  if ((guint) key < series->len && g_ptr_array_index (series, key) != NULL)
    return bad (error, where, "a second series of the same key");
  stats = ps_plot_series_stats (series, key);
  memcpy (stats->outcomes, outcomes, sizeof outcomes);
  for (guint i = 0; i < json_array_get_length (buckets); i++)
    {
      JsonNode *node = json_array_get_element (buckets, i);
      gint64 cell[3];

      if (!JSON_NODE_HOLDS_ARRAY (node)
          || json_array_get_length (json_node_get_array (node)) != 3)
        return bad (error, at, "a bucket is not [low_us, width_us, count]");
      for (guint k = 0; k < 3; k++)
        {
          JsonNode *value = json_array_get_element (json_node_get_array (node), k);

          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_INT64
              || (cell[k] = json_node_get_int (value)) < 0
              || cell[k] > (k < 2 ? TIME_MAX_US : COUNT_MAX))
            return bad (error, at, "a bucket is not [low_us, width_us, count]");
        }
      ps_plot_count_latency (stats, cell[0], cell[1], (guint64) cell[2],
                             (gint64) min_us, (gint64) max_us);
    }
  return TRUE;
}

static gboolean
read_latency (JsonObject  *root,
              PlotData    *data,
              GError     **error)
{
  JsonArray *priorities = get_array (root, "by_priority");
  JsonArray *groups = get_array (root, "by_group");

  if (priorities == NULL || groups == NULL)
    return bad (error, priorities == NULL ? "by_priority" : "by_group", "missing");
  for (guint i = 0; i < json_array_get_length (priorities); i++)
    {
      JsonObject *object = object_at (priorities, i);
      g_autofree char *where = g_strdup_printf ("by_priority[%u]", i);
      guint64 priority;

      if (object == NULL)
        return bad (error, where, "not an object");
      if (!get_count (object, "priority", where, &priority, error))
        return FALSE;
      if (priority > MAX_PRIORITY)
        return bad (error, where, "priority out of range");
      if (!read_series (object, where, data->priorities, (int) priority, error))
        return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      JsonObject *object = object_at (groups, i);
      g_autofree char *where = g_strdup_printf ("by_group[%u]", i);
      const char *name = object != NULL ? json_object_get_string_member_with_default (object, "group", NULL) : NULL;
      guint index;

      if (name == NULL)
        return bad (error, where, "no group name");
      /* groups are numbered as clients.csv first shows them */
      for (index = 0; index < data->group_names->len; index++)
        if (strcmp (g_ptr_array_index (data->group_names, index), name) == 0)
          break;
      if (index == data->group_names->len)
        continue;                       /* a group without clients */
      if (!read_series (object, where, data->groups, (int) index, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const ClientRow *row;
  JsonObject      *object;
  guint            entry;
} Candidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *x = a, *y = b;

  return ps_plot_compare_by_throttling (&x->row, &y->row);
}

/* The quota chart's clients, picked as the requests.csv pass picks them
 * but among the clients charts.json followed. */
static gboolean
read_quota (JsonObject  *root,
            PlotData    *data,
            GError     **error)
{
  JsonNode *quota_node = json_object_get_member (root, "quota");
  JsonObject *quota;
  JsonArray *clients;
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  guint64 max_windows;
  guint max;

  if (quota_node == NULL || !JSON_NODE_HOLDS_OBJECT (quota_node))
    return TRUE;                        /* a run without a quota */
  quota = json_node_get_object (quota_node);
  clients = get_array (quota, "clients");
  if (clients == NULL)
    return bad (error, "quota.clients", "missing");
  if (!get_count (quota, "max_windows", "quota", &max_windows, error))
    return FALSE;
  data->quota_max_windows = (guint) MIN (max_windows, G_MAXUINT);
  data->quota_overflow = json_object_get_boolean_member_with_default (quota, "overflow",
                                                                      FALSE);
  for (guint i = 0; i < json_array_get_length (clients); i++)
    {
      JsonObject *object = object_at (clients, i);
      const char *name = object != NULL
                         ? json_object_get_string_member_with_default (object, "client", NULL)
                         : NULL;

      if (name == NULL)
        {
          g_autofree char *where = g_strdup_printf ("quota.clients[%u]", i);

          return bad (error, where, "no client name");
        }
      g_hash_table_insert (by_name, (gpointer) name, GUINT_TO_POINTER (i + 1));
    }
  for (guint r = 0; r < data->clients->len && g_hash_table_size (by_name) > 0; r++)
    {
      const ClientRow *row = &g_array_index (data->clients, ClientRow, r);
      guint entry = GPOINTER_TO_UINT (g_hash_table_lookup (by_name, row->name));
      Candidate c = { row, NULL, entry - 1 };

      if (entry == 0 || row->generated == 0)
        continue;
      c.object = object_at (clients, c.entry);
      g_array_append_val (candidates, c);
      g_hash_table_remove (by_name, row->name);
    }
  g_array_sort (candidates, compare_candidates);
  data->quota_throttled = candidates->len > 0
                          && g_array_index (candidates, Candidate, 0).row->n429 > 0;
  max = data->quota_throttled ? QUOTA_MAX_CLIENTS : QUOTA_MAX_UNTHROTTLED;
  for (guint i = 0; i < candidates->len && data->n_slots < max; i++)
    {
      const Candidate *c = &g_array_index (candidates, Candidate, i);
      g_autofree char *where = g_strdup_printf ("quota.clients[%u]", c->entry);
      QuotaSlot *slot;
      guint64 from_window;

      if (data->quota_throttled && c->row->n429 == 0)
        break;
      slot = &data->slots[data->n_slots++];
      slot->client = c->row;
      slot->limit = ps_plot_own_limit (&data->info, c->row);
      slot->admitted = g_array_new (FALSE, TRUE, sizeof (guint32));
      slot->created = g_array_new (FALSE, TRUE, sizeof (guint32));
      if (!get_count (c->object, "from_window", where, &from_window, error)
          || !get_counts (get_array (c->object, "created"), where, slot->created, error)
          || !get_counts (get_array (c->object, "admitted"), where, slot->admitted, error))
        return FALSE;
      slot->from_window = (guint) MIN (from_window, G_MAXUINT);
    }
  return TRUE;
}

/**
 * ps_plot_read_charts:
 *
 * Fills @data's latency series and quota slots from @run_dir's
 * charts.json; @data's clients (clients.csv) must be read already.
 *
 * Returns: FALSE with @error set (PS_PLOT_ERROR_BAD_DATA) when the file
 *   cannot be parsed or lacks what the charts need.
 */
gboolean
ps_plot_read_charts (const char  *run_dir,
                     PlotData    *data,
                     GError     **error)
{
  g_autofree char *path = g_build_filename (run_dir, "charts.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_mapped_file (parser, path, &local_error))
    return bad (error, "cannot be read", local_error->message);
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return bad (error, "the top", "not an object");
  if (!read_latency (json_node_get_object (root), data, error))
    return FALSE;
  return data->info.window_us <= 0 || read_quota (json_node_get_object (root), data, error);
}
