/* ps-scenario-set.c: --set key.path=VALUE, written into the tree before validation
 *
 * Two passes.  ps_scenario_set_parse() runs before the file is read: it
 * checks each set's shape and walks its path through the schema, so an
 * unknown key fails first, with a suggestion.  ps_scenario_set_apply() writes
 * each value into the parsed tree, creating missing objects from their
 * schema default; the values are then validated exactly like file values,
 * and messages about them name the --set instead of a line.  A replaced
 * node is kept alive: the position map is keyed by node addresses, which a
 * new node must not inherit.
 */
#include "ps-scenario-set.h"

#include "ps-field.h"

#include <string.h>

typedef struct
{
  char              *key;      /* NULL: an array index */
  guint              index;
  char              *path;     /* normalized path up to here: "clients[0]" */
  const PsSchemaKey *schema;   /* what the value at this path is */
} Segment;

typedef struct
{
  char   *origin;              /* "--set server.workers=0" */
  char   *value;
  GArray *segments;            /* Segment */
} SetOp;

static void
segment_clear (gpointer data)
{
  Segment *segment = data;

  g_free (segment->key);
  g_free (segment->path);
}

static void
set_op_free (gpointer data)
{
  SetOp *op = data;

  g_free (op->origin);
  g_free (op->value);
  g_array_unref (op->segments);
  g_free (op);
}

static const char *
last_path (const SetOp *op, guint before)
{
  return before == 0 ? "" : g_array_index (op->segments, Segment, before - 1).path;
}

static gboolean
parse_index (const char *text, gsize length, guint *out)
{
  guint64 v = 0;

  if (length == 0)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      v = v * 10 + (guint64) (text[i] - '0');
      if (v > G_MAXUINT)
        return FALSE;
    }
  *out = (guint) v;
  return TRUE;
}

static void
add_segment (SetOp *op, const char *key, gsize key_length, guint index)
{
  Segment segment = { NULL, index, NULL, NULL };
  const char *prefix = last_path (op, op->segments->len);

  if (key != NULL)
    {
      segment.key = g_strndup (key, key_length);
      segment.path = ps_load_child_path (prefix, segment.key);
    }
  else
    segment.path = g_strdup_printf ("%s[%u]", prefix, index);
  g_array_append_val (op->segments, segment);
}

/* One dot-separated piece: "count", "0", or "clients[0][1]". */
static gboolean
parse_piece (SetOp *op, const char *piece)
{
  const char *bracket = strchr (piece, '[');
  gsize key_length = bracket != NULL ? (gsize) (bracket - piece) : strlen (piece);
  guint index;

  if (key_length == 0 || (bracket == NULL && strchr (piece, ']') != NULL))
    return FALSE;
  if (parse_index (piece, key_length, &index))
    add_segment (op, NULL, 0, index);
  else
    add_segment (op, piece, key_length, 0);
  while (bracket != NULL)
    {
      const char *close = strchr (bracket, ']');

      if (close == NULL
          || !parse_index (bracket + 1, (gsize) (close - bracket - 1), &index))
        return FALSE;
      add_segment (op, NULL, 0, index);
      if (close[1] == '\0')
        break;
      if (close[1] != '[')
        return FALSE;
      bracket = close + 1;
    }
  return TRUE;
}

static gboolean
parse_path (SetOp *op, const char *path)
{
  g_auto (GStrv) pieces = g_strsplit (path, ".", -1);

  for (guint i = 0; pieces[i] != NULL; i++)
    if (!parse_piece (op, pieces[i]))
      return FALSE;
  return op->segments->len > 0;
}

/* The key in @schema's object called @name, or UNKNOWN_KEY. */
static gboolean
lookup_key (PsLoad *load, const SetOp *op, guint i, const PsSchemaKey *schema,
            GError **error)
{
  Segment *segment = &g_array_index (op->segments, Segment, i);
  const PsSchemaObject *object = schema->type == PS_SCHEMA_ONE_OR_MANY
                                 ? schema->element->object : schema->object;
  const char *suggestion;
  g_autofree char *known = NULL;

  segment->schema = ps_schema_object_lookup (object, segment->key);
  if (segment->schema != NULL)
    return TRUE;
  suggestion = ps_schema_object_suggest (object, segment->key, 0);
  if (suggestion != NULL)
    return ps_load_fail_origin (load, error, PS_SCENARIO_ERROR_UNKNOWN_KEY,
                                op->origin, segment->path,
                                "unknown key (did you mean \"%s\"?)", suggestion);
  known = ps_schema_object_list (object, 0);
  return ps_load_fail_origin (load, error, PS_SCENARIO_ERROR_UNKNOWN_KEY,
                              op->origin, segment->path,
                              "unknown key (expected one of: %s)", known);
}

/* Walks @op's path through the schema, recording what each step names. */
static gboolean
check_path (PsLoad *load, SetOp *op, GError **error)
{
  const PsSchemaKey *schema = &ps_schema_document;

  for (guint i = 0; i < op->segments->len; i++)
    {
      Segment *segment = &g_array_index (op->segments, Segment, i);
      const char *prefix = last_path (op, i);
      gboolean keyed = segment->key != NULL;

      switch (schema->type)
        {
        case PS_SCHEMA_OBJECT:
        case PS_SCHEMA_DIST:
          if (!keyed)
            return ps_load_fail_origin (load, error, PS_SCENARIO_ERROR_SET,
                                        op->origin, prefix, "is an object, not an "
                                        "array (expected a key after \"%s\")", prefix);
          if (!lookup_key (load, op, i, schema, error))
            return FALSE;
          break;
        case PS_SCHEMA_ARRAY:
          if (keyed)
            return ps_load_fail_origin (load, error, PS_SCENARIO_ERROR_SET,
                                        op->origin, prefix, "is an array (expected "
                                        "an index, such as %s[0])", prefix);
          segment->schema = schema->element;
          break;
        case PS_SCHEMA_ONE_OR_MANY:
          if (!keyed)
            segment->schema = schema->element;
          else if (!lookup_key (load, op, i, schema, error))
            return FALSE;
          break;
        case PS_SCHEMA_ADDRESSES:
          if (keyed)
            return ps_load_fail_origin (load, error, PS_SCENARIO_ERROR_SET,
                                        op->origin, prefix, "is %s, which has no "
                                        "keys (expected an index, such as %s[0], "
                                        "or the path to end here)",
                                        ps_schema_type_noun (schema->type), prefix);
          segment->schema = schema->element;
          break;
        case PS_SCHEMA_STRING:
        case PS_SCHEMA_INT:
        case PS_SCHEMA_NUMBER:
        case PS_SCHEMA_BOOL:
        case PS_SCHEMA_DURATION:
        case PS_SCHEMA_CIDR:
          return ps_load_fail_origin (load, error, PS_SCENARIO_ERROR_SET,
                                      op->origin, prefix, "is %s, which has no "
                                      "keys or elements (expected the path to end "
                                      "here)", ps_schema_type_noun (schema->type));
        default:
          g_assert_not_reached ();
        }
      schema = segment->schema;
    }
  return TRUE;
}

/* Fills @op from @raw: shape, then the path against the schema. */
static gboolean
parse_op (PsLoad *load, SetOp *op, const char *option, const char *raw,
          GError **error)
{
  g_autofree char *text = g_utf8_make_valid (raw, -1);
  const char *equals = strchr (text, '=');
  g_autofree char *path = NULL;

  /* a message names the set; a huge value is shown by its start */
  if (g_utf8_strlen (text, -1) > 120)
    {
      g_autofree char *start = g_utf8_substring (text, 0, 120);

      op->origin = g_strdup_printf ("%s %s…", option, start);
    }
  else
    op->origin = g_strdup_printf ("%s %s", option, text);
  if (!g_utf8_validate (raw, -1, NULL))
    return ps_load_fail_origin (load, error, PS_SCENARIO_ERROR_SET, op->origin,
                                text, "is not valid UTF-8 (expected UTF-8 text)");
  if (equals == NULL)
    return ps_load_fail_origin (load, error, PS_SCENARIO_ERROR_SET, op->origin,
                                text, "has no \"=\" (expected key.path=VALUE)");
  path = g_strndup (text, (gsize) (equals - text));
  op->value = g_strdup (equals + 1);
  if (!parse_path (op, path))
    return ps_load_fail_origin (load, error, PS_SCENARIO_ERROR_SET, op->origin,
                                path, "is not a key path (expected keys separated "
                                "by \".\" and indexes as [0] or .0, such as "
                                "clients[0].count)");
  return check_path (load, op, error);
}

/**
 * ps_scenario_set_parse:
 * @sets: (array zero-terminated=1) (nullable): "key.path=VALUE" strings
 * @option: what messages call them: "--set", "--vary"
 * @ops_so_far: (nullable) (transfer none): parsed sets to add to, from
 *   an earlier call
 *
 * Returns: (nullable): the parsed sets, for ps_scenario_set_apply(): a new
 * array, or @ops_so_far; NULL with @error set (SET or UNKNOWN_KEY).
 */
GPtrArray *
ps_scenario_set_parse (PsLoad *load, const char *const *sets, const char *option,
                       GPtrArray *ops_so_far, GError **error)
{
  g_autoptr(GPtrArray) fresh = ops_so_far == NULL
                               ? g_ptr_array_new_with_free_func (set_op_free) : NULL;
  GPtrArray *ops = ops_so_far != NULL ? ops_so_far : fresh;

  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      SetOp *op = g_new0 (SetOp, 1);

      op->segments = g_array_new (FALSE, TRUE, sizeof (Segment));
      g_array_set_clear_func (op->segments, segment_clear);
      g_ptr_array_add (ops, op);
      if (!parse_op (load, op, option, sets[i], error))
        return NULL;
    }
  return ops_so_far != NULL ? ops_so_far : g_steal_pointer (&fresh);
}

/* A fresh object for a missing @schema key: its default if that is an
 * object (so setting arrival.rate keeps the default process), else {}. */
static JsonNode *
new_container (const PsSchemaKey *schema)
{
  JsonNode *node = NULL;

  if (schema->def != NULL && schema->def[0] == '{')
    node = ps_load_parse_fragment (schema->def, G_MAXUINT64, NULL);  /* ours: no limit */
  if (node == NULL)
    node = json_node_init_object (json_node_alloc (), json_object_new ());
  return node;
}

static void
adopt (PsLoad *load, const SetOp *op, JsonNode *node, JsonNode *parent)
{
  json_node_set_parent (node, parent);
  g_hash_table_insert (load->origins, node, g_strdup (op->origin));
}

/* Puts @value (transfer full) at @segment of @parent.  The old node, and
 * an old array that is swapped for a copy (JsonArray cannot replace an
 * element), stay alive until the load ends. */
static void
replace_child (PsLoad *load, JsonNode *parent, const Segment *segment,
               JsonNode *value)
{
  if (segment->key != NULL)
    {
      JsonObject *object = json_node_get_object (parent);
      JsonNode *old = json_object_get_member (object, segment->key);

      if (old != NULL)
        ps_load_keep (load, json_node_ref (old));
      json_object_set_member (object, segment->key, value);
    }
  else
    {
      JsonArray *old = json_node_get_array (parent);
      guint length = json_array_get_length (old);
      g_autoptr(JsonArray) fresh = json_array_sized_new (length);

      for (guint i = 0; i < length; i++)
        {
          JsonNode *element = json_array_get_element (old, i);

          if (i == segment->index)
            {
              ps_load_keep (load, json_node_ref (element));
              json_array_add_element (fresh, value);
            }
          else
            json_array_add_element (fresh, json_node_ref (element));
        }
      ps_load_keep (load, json_node_init_array (json_node_alloc (), old));
      json_node_set_array (parent, fresh);
    }
}

/* SET error: the value at segment @i's parent is not the container the
 * path needs. */
static gboolean
wrong_container (PsLoad *load, const SetOp *op, guint i, JsonNode *node,
                 GError **error)
{
  const Segment *segment = &g_array_index (op->segments, Segment, i);
  const char *prefix = last_path (op, i);

  if (JSON_NODE_HOLDS_ARRAY (node))
    return ps_load_fail_origin (load, error, PS_SCENARIO_ERROR_SET, op->origin,
                                prefix, "is an array here (expected an index, "
                                "such as %s[0].%s)", prefix, segment->key);
  if (JSON_NODE_HOLDS_OBJECT (node))
    return ps_load_fail_origin (load, error, PS_SCENARIO_ERROR_SET, op->origin,
                                prefix, "is an object here (expected a key "
                                "instead of [%u])", segment->index);
  return ps_load_fail_origin (load, error, PS_SCENARIO_ERROR_SET, op->origin,
                              prefix, "is %s here, not %s (expected --set %s=VALUE "
                              "to replace it whole)", ps_field_json_kind (node),
                              segment->key != NULL ? "an object" : "an array",
                              prefix);
}

/* Index segment @i of @op: the element of the array @node, or SET. */
static gboolean
step_index (PsLoad *load, const SetOp *op, guint i, JsonNode **node,
            GError **error)
{
  const Segment *segment = &g_array_index (op->segments, Segment, i);
  const char *prefix = last_path (op, i);
  guint length;

  if (!JSON_NODE_HOLDS_ARRAY (*node))
    return wrong_container (load, op, i, *node, error);
  length = json_array_get_length (json_node_get_array (*node));
  if (segment->index >= length)
    return ps_load_fail_origin (load, error, PS_SCENARIO_ERROR_SET, op->origin,
                                segment->path, "index out of range: %s has %u "
                                "element%s (expected an index below %u)", prefix,
                                length, length == 1 ? "" : "s", length);
  *node = json_array_get_element (json_node_get_array (*node), segment->index);
  return TRUE;
}

/* Key segment @i of @op, not the last: the member of the object @node,
 * created when missing, or SET. */
static gboolean
step_key (PsLoad *load, const SetOp *op, guint i, JsonNode **node,
          GError **error)
{
  const Segment *segment = &g_array_index (op->segments, Segment, i);
  const Segment *next = &g_array_index (op->segments, Segment, i + 1);
  JsonNode *child;

  if (!JSON_NODE_HOLDS_OBJECT (*node))
    return wrong_container (load, op, i, *node, error);
  child = json_object_get_member (json_node_get_object (*node), segment->key);
  if (child == NULL && next->key == NULL)
    return ps_load_fail_origin (load, error, PS_SCENARIO_ERROR_SET, op->origin,
                                next->path, "index out of range: %s is not in the "
                                "scenario (expected an existing element)",
                                segment->path);
  if (child == NULL)
    {
      child = new_container (segment->schema);
      adopt (load, op, child, *node);
      json_object_set_member (json_node_get_object (*node), segment->key, child);
    }
  *node = child;
  return TRUE;
}

static gboolean
apply_one (PsLoad *load, const SetOp *op, JsonNode *root, GError **error)
{
  guint last = op->segments->len - 1;
  const Segment *segment = &g_array_index (op->segments, Segment, last);
  JsonNode *node = root;
  JsonNode *value;
  g_autofree char *duplicate = NULL;

  for (guint i = 0; i < last; i++)
    {
      const Segment *at = &g_array_index (op->segments, Segment, i);

      if (!(at->key != NULL ? step_key (load, op, i, &node, error)
                            : step_index (load, op, i, &node, error)))
        return FALSE;
    }
  if (segment->key == NULL)
    {
      JsonNode *element = node;

      if (!step_index (load, op, last, &element, error))
        return FALSE;
    }
  if (segment->key != NULL && !JSON_NODE_HOLDS_OBJECT (node))
    return wrong_container (load, op, last, node, error);
  value = ps_load_parse_fragment (op->value, ps_load_max_json_values (), &duplicate);
  if (value == NULL)
    value = json_node_init_string (json_node_alloc (), op->value);
  if (duplicate != NULL)
    {
      g_autofree char *path = g_strdup_printf ("%s%s%s", segment->path,
                                               duplicate[0] == '[' ? "" : ".",
                                               duplicate);

      json_node_unref (value);
      return ps_load_fail_origin (load, error, PS_SCENARIO_ERROR_DUPLICATE_KEY,
                                  op->origin, path, "key appears twice in one "
                                  "object (expected each key once)");
    }
  adopt (load, op, value, node);
  replace_child (load, node, segment, value);
  return TRUE;
}

/* Writes every set into the document, in order: a later one wins. */
gboolean
ps_scenario_set_apply (PsLoad *load, GPtrArray *sets, GError **error)
{
  JsonNode *root = json_parser_get_root (load->parser);

  for (guint i = 0; i < sets->len; i++)
    if (!apply_one (load, g_ptr_array_index (sets, i), root, error))
      return FALSE;
  return TRUE;
}
