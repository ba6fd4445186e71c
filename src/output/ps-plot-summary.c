/* ps-plot-summary.c: what the charts' titles need from summary.json
 *
 * A missing or unreadable summary is not an error: the charts only lose
 * their titles' details, and a note says so.
 */
#include "ps-plot-private.h"

#include <math.h>


void
ps_plot_run_info_clear (RunInfo *info)
{
  g_clear_object (&info->parser);
  g_clear_pointer (&info->scenario, g_free);
  g_clear_pointer (&info->seed, g_free);
  g_clear_pointer (&info->algorithm, g_free);
  if (info->tiers != NULL)
    for (guint i = 0; i < info->tiers->len; i++)
      g_free (g_array_index (info->tiers, PlotTier, i).group);
  g_clear_pointer (&info->tiers, g_array_unref);
}


/* Follows a dotted path ("config.quota.0.limit"); numbers index arrays.
 * Returns (transfer none) (nullable) the node. */
static JsonNode *
json_lookup (JsonNode   *node,
             const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (int i = 0; parts[i] != NULL && node != NULL; i++)
    {
      guint64 index;

      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else if (JSON_NODE_HOLDS_ARRAY (node)
               && g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXUINT,
                                              &index, NULL)
               && index < json_array_get_length (json_node_get_array (node)))
        node = json_array_get_element (json_node_get_array (node), index);
      else
        node = NULL;
    }
  return node;
}

double
ps_plot_json_lookup_double (JsonNode   *root,
                    const char *path)
{
  JsonNode *node = json_lookup (root, path);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NAN;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return (double) json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return json_node_get_double (node);
    default:
      return NAN;
    }
}

/* A scalar as text (strings as they are, numbers printed); NULL if @node
 * is absent or not a scalar. */
char *
ps_plot_json_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      return g_strdup_printf ("%g", json_node_get_double (node));
    default:
      return NULL;
    }
}

static char *
json_lookup_text (JsonNode   *root,
                  const char *path)
{
  return ps_plot_json_text (json_lookup (root, path));
}

/* The directory's own name, for a title when summary.json has none. */
char *
ps_plot_dir_name (const char *dir)
{
  g_autofree char *abs = g_canonicalize_filename (dir, NULL);

  return g_path_get_basename (abs);
}

/* config.overrides (absent in older run directories: no tiers). */
static void
read_tiers (JsonNode *root, RunInfo *info)
{
  JsonNode *overrides = json_lookup (root, "config.overrides");

  info->tiers = g_array_new (FALSE, TRUE, sizeof (PlotTier));
  if (overrides == NULL || !JSON_NODE_HOLDS_ARRAY (overrides))
    return;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (overrides)); i++)
    {
      JsonNode *o = json_array_get_element (json_node_get_array (overrides), i);
      JsonNode *policy = json_lookup (o, "quota.0");
      g_autofree char *cidr = json_lookup_text (o, "cidr");
      double limit = policy ? ps_plot_json_lookup_double (policy, "limit") : NAN;
      double window_s = policy ? ps_plot_json_lookup_double (policy, "window_s") : NAN;
      PlotTier t = { json_lookup_text (o, "group") };

      t.has_cidr = cidr != NULL && ps_cidr_parse (cidr, &t.cidr);
      t.limit = isnan (limit) ? -1 : (gint64) limit;
      t.window_us = window_s > 0 ? (gint64) llround (window_s * 1e6) : 0;
      g_array_append_val (info->tiers, t);
    }
}

/* Reads summary.json into @info.  A missing or unreadable summary is not
 * an error (the charts only lose their titles' details): it adds a note. */
void
ps_plot_read_summary (const char *run_dir,
              RunInfo    *info,
              GPtrArray  *notes)
{
  g_autofree char *path = g_build_filename (run_dir, "summary.json", NULL);
  g_autoptr(GError) local_error = NULL;
  JsonNode *root, *by_priority, *quota;
  double limit, window_s, workers;

  info->quota_limit = -1;
  info->workers = -1;
  info->bin_s = info->duration_s = info->jain = NAN;
  info->parser = json_parser_new ();
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (notes != NULL)
        g_ptr_array_add (notes, g_strdup ("no summary.json: titles lack the "
                                          "run's settings, no quota chart"));
      return;
    }
  if (!json_parser_load_from_file (info->parser, path, &local_error))
    {
      if (notes != NULL)
        g_ptr_array_add (notes,
                         g_strdup_printf ("summary.json unreadable (%s): titles "
                                          "lack the run's settings, no quota "
                                          "chart", local_error->message));
      return;
    }
  root = json_parser_get_root (info->parser);
  info->scenario = json_lookup_text (root, "scenario");
  info->seed = json_lookup_text (root, "seed");
  info->duration_s = ps_plot_json_lookup_double (root, "duration_s");
  info->bin_s = ps_plot_json_lookup_double (root, "config.bin_s");
  info->jain = ps_plot_json_lookup_double (root, "fairness.jain");
  workers = ps_plot_json_lookup_double (root, "config.workers");
  info->workers = isnan (workers) ? -1 : (gint64) workers;

  quota = json_lookup (root, "config.quota");
  if (quota != NULL && JSON_NODE_HOLDS_ARRAY (quota))
    quota = json_lookup (quota, "0");   /* the first policy is the headline */
  limit = quota != NULL ? ps_plot_json_lookup_double (quota, "limit") : NAN;
  window_s = quota != NULL ? ps_plot_json_lookup_double (quota, "window_s") : NAN;
  if (quota != NULL && !isnan (limit) && window_s > 0)
    {
      info->algorithm = json_lookup_text (quota, "algorithm");
      info->quota_limit = (gint64) limit;
      info->window_us = (gint64) llround (window_s * 1e6);
    }

  read_tiers (root, info);

  {
    JsonNode *groups = json_lookup (root, "groups");

    if (groups != NULL && JSON_NODE_HOLDS_OBJECT (groups))
      info->groups = json_node_get_object (groups);
  }
  by_priority = json_lookup (root, "latency_s.by_priority");
  if (by_priority != NULL && JSON_NODE_HOLDS_OBJECT (by_priority))
    info->by_priority = json_node_get_object (by_priority);
}
