/* ps-sweep-metrics.c: reading metrics out of summary.json, and targets on them
 */
#include "ps-sweep-metrics.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "ps-suggest.h"
#include "ps-sweep-plan.h"

/* Walks @path in @node.  A key may itself hold dots (a group named
 * "eu.west"): at each level the longest matching member wins. */
static JsonNode *
walk (JsonNode *node, const char *path)
{
  JsonObject *o;
  gsize len = strlen (path);

  if (len == 0)
    return node;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  o = json_node_get_object (node);
  for (gsize cut = len;; cut--)
    {
      if (cut == len || path[cut] == '.')
        {
          g_autofree char *key = g_strndup (path, cut);
          JsonNode *child = json_object_get_member (o, key);
          JsonNode *found;

          if (child != NULL
              && (found = walk (child, cut == len ? "" : path + cut + 1)) != NULL)
            return found;
        }
      if (cut == 0)
        return NULL;
    }
}

PsMetricLookup
ps_sweep_metric_lookup (JsonNode *summary, const char *path, double *out)
{
  JsonNode *node = *path != '\0' ? walk (summary, path) : NULL;

  *out = NAN;
  if (node == NULL)
    return PS_METRIC_MISSING;
  if (JSON_NODE_HOLDS_NULL (node))
    return PS_METRIC_NULL;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return PS_METRIC_NOT_NUMBER;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out = (double) json_node_get_int (node);
      return PS_METRIC_NUMBER;
    case G_TYPE_DOUBLE:
      *out = json_node_get_double (node);
      return PS_METRIC_NUMBER;
    case G_TYPE_BOOLEAN:
      *out = json_node_get_boolean (node) ? 1 : 0;
      return PS_METRIC_NUMBER;
    default:
      return PS_METRIC_NOT_NUMBER;
    }
}

/* Every path to a number or null under @node, for suggestions. */
static void
collect_paths (JsonNode *node, const char *prefix, GPtrArray *out)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *child;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      if (JSON_NODE_HOLDS_NULL (node)
          || (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) != G_TYPE_STRING))
        g_ptr_array_add (out, g_strdup (prefix));
      return;
    }
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &key, &child))
    {
      g_autofree char *path = *prefix ? g_strdup_printf ("%s.%s", prefix, key) : g_strdup (key);

      collect_paths (child, path, out);
    }
}

/**
 * ps_sweep_metric_check:
 * @summary: a summary of the scenario (any run of it has the same paths)
 *
 * FALSE with PS_SWEEP_ERROR_INVALID, naming the nearest known path, when
 * @path names no number in a summary.
 */
gboolean
ps_sweep_metric_check (JsonNode *summary, const char *path, const char *option,
                       GError **error)
{
  double v;
  PsMetricLookup found = ps_sweep_metric_lookup (summary, path, &v);
  g_autoptr(GPtrArray) known = NULL;
  const char *nearest;

  if (found == PS_METRIC_NUMBER || found == PS_METRIC_NULL)
    return TRUE;
  known = g_ptr_array_new_with_free_func (g_free);
  collect_paths (summary, "", known);
  g_ptr_array_add (known, NULL);
  nearest = ps_suggest_nearest (path, (const char *const *) known->pdata);
  g_set_error (error, PS_SWEEP_ERROR, PS_SWEEP_ERROR_INVALID,
               "%s %s: %s in a run's summary.json (expected a path to a number, "
               "such as %s)", option, path,
               found == PS_METRIC_MISSING ? "no such path" : "not a number",
               nearest != NULL ? nearest : "requests.rate_503");
  return FALSE;
}

/* What a sweep reports unless --metric says: the rates, latency, the
 * pool, fairness, and each group's served share when there are several. */
GPtrArray *
ps_sweep_default_metrics (JsonNode *summary)
{
  static const char *const base[] = {
    "requests.rate_429", "requests.rate_503", "latency_s.all.p50", "latency_s.all.p99",
    "pool.utilization", "fairness.jain",
  };
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  JsonNode *groups = walk (summary, "groups");

  for (guint i = 0; i < G_N_ELEMENTS (base); i++)
    g_ptr_array_add (out, g_strdup (base[i]));
  if (groups != NULL && JSON_NODE_HOLDS_OBJECT (groups)
      && json_object_get_size (json_node_get_object (groups)) > 1)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *child;

      json_object_iter_init (&iter, json_node_get_object (groups));
      while (json_object_iter_next (&iter, &name, &child))
        g_ptr_array_add (out, g_strdup_printf ("groups.%s.served", name));
    }
  return out;
}

static gboolean
parse_number_or_percent (const char *text, double *out, gboolean *percent)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  gsize len = strlen (copy);
  char *end = NULL;

  *percent = len > 0 && copy[len - 1] == '%';
  if (*percent)
    copy[--len] = '\0';
  if (len == 0)
    return FALSE;
  errno = 0;
  *out = g_ascii_strtod (copy, &end);
  return errno == 0 && *end == '\0' && isfinite (*out);
}

/* --target 'METRIC<X' (also <=, >, >=). */
gboolean
ps_sweep_target_parse (const char *text, PsSweepTarget *out, GError **error)
{
  const char *op = strpbrk (text, "<>");
  gboolean percent = FALSE;

  memset (out, 0, sizeof *out);
  if (op == NULL || op == text)
    {
      g_set_error (error, PS_SWEEP_ERROR, PS_SWEEP_ERROR_INVALID,
                   "--target %s: expected METRIC<X, METRIC<=X, METRIC>X or METRIC>=X, "
                   "such as 'requests.rate_503<0.01'", text);
      return FALSE;
    }
  out->metric = g_strstrip (g_strndup (text, (gsize) (op - text)));
  out->op = op[0] == '<' ? (op[1] == '=' ? PS_TARGET_LE : PS_TARGET_LT)
                         : (op[1] == '=' ? PS_TARGET_GE : PS_TARGET_GT);
  out->text = g_strdup (text);
  if (!parse_number_or_percent (op + 1 + (op[1] == '='), &out->value, &percent) || percent)
    {
      g_set_error (error, PS_SWEEP_ERROR, PS_SWEEP_ERROR_INVALID,
                   "--target %s: \"%s\" is not a number (expected such as 0.01)", text,
                   op + 1 + (op[1] == '='));
      ps_sweep_target_clear (out);
      return FALSE;
    }
  return TRUE;
}

void
ps_sweep_target_clear (PsSweepTarget *target)
{
  g_clear_pointer (&target->metric, g_free);
  g_clear_pointer (&target->text, g_free);
}

gboolean
ps_sweep_target_met (const PsSweepTarget *t, double v)
{
  switch (t->op)
    {
    case PS_TARGET_LT: return v < t->value;
    case PS_TARGET_LE: return v <= t->value;
    case PS_TARGET_GT: return v > t->value;
    case PS_TARGET_GE: return v >= t->value;
    default: return FALSE;
    }
}

const char *
ps_sweep_target_op_text (PsTargetOp op)
{
  static const char *const text[] = { "<", "<=", ">", ">=" };

  return text[op];
}

/* --precision METRIC=X or METRIC=X% (of the mean). */
gboolean
ps_sweep_parse_precision (const char *text, char **out_metric, double *out_value,
                          gboolean *out_relative, GError **error)
{
  const char *equals = strrchr (text, '=');

  if (equals == NULL || equals == text
      || !parse_number_or_percent (equals + 1, out_value, out_relative)
      || !(*out_value > 0))
    {
      g_set_error (error, PS_SWEEP_ERROR, PS_SWEEP_ERROR_INVALID,
                   "--precision %s: expected METRIC=X or METRIC=X%% with X > 0, such "
                   "as groups.public.latency_s.p99=5%%", text);
      return FALSE;
    }
  if (*out_relative)
    *out_value /= 100;
  *out_metric = g_strndup (text, (gsize) (equals - text));
  return TRUE;
}
