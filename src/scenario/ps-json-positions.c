/* ps-json-positions.c: a node -> line:column map built from parser signals
 *
 * Signal order, for `{"a": {"b": 1}}`: object-start (outer), object-start
 * (inner), object-member (inner, "b"), object-end (inner), object-member
 * (outer, "a"), object-end (outer).  So a stack of open objects gives the
 * object each member belongs to, and the depth tells when the first
 * top-level value is complete.  Columns are json-glib's: 1-based bytes.
 *
 * A duplicate's object is referenced so that its address cannot be reused
 * by a later object while we look for it in the final tree.
 */
#include "ps-json-positions.h"

#include <string.h>

typedef struct
{
  guint line;
  guint col;
} Position;

typedef struct
{
  JsonObject *object;      /* holds a reference */
  char       *name;
  Position    at;
} Duplicate;

struct _PsJsonPositions
{
  JsonParser *parser;      /* not owned */
  GHashTable *nodes;       /* JsonNode * -> Position * */
  GHashTable *containers;  /* JsonObject * or JsonArray * -> Position * */
  GPtrArray  *open;        /* GHashTable * of member names, innermost last */
  GPtrArray  *duplicates;  /* Duplicate *, in the order found */
  guint       depth;
  gboolean    has_end;
  Position    end;
};

static void
duplicate_free (gpointer data)
{
  Duplicate *dup = data;

  json_object_unref (dup->object);
  g_free (dup->name);
  g_free (dup);
}

static Position *
current (JsonParser *parser)
{
  Position *at = g_new (Position, 1);

  at->line = json_parser_get_current_line (parser);
  at->col = json_parser_get_current_pos (parser);
  return at;
}

static void
close_value (PsJsonPositions *self, JsonParser *parser)
{
  if (self->depth > 0)
    self->depth--;
  if (self->depth == 0 && !self->has_end)
    {
      self->has_end = TRUE;
      self->end.line = json_parser_get_current_line (parser);
      self->end.col = json_parser_get_current_pos (parser);
    }
}

static void
object_start_cb (JsonParser *parser, gpointer data)
{
  PsJsonPositions *self = data;

  self->depth++;
  g_ptr_array_add (self->open,
                   g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL));
}

static void
object_member_cb (JsonParser *parser, JsonObject *object, const char *name,
                  gpointer data)
{
  PsJsonPositions *self = data;
  JsonNode *node = json_object_get_member (object, name);
  GHashTable *names;

  g_hash_table_insert (self->nodes, node, current (parser));
  if (self->open->len == 0)
    return;
  names = g_ptr_array_index (self->open, self->open->len - 1);
  if (!g_hash_table_add (names, g_strdup (name)))
    {
      Duplicate *dup = g_new0 (Duplicate, 1);
      g_autofree Position *at = current (parser);

      dup->object = json_object_ref (object);
      dup->name = g_strdup (name);
      dup->at = *at;
      g_ptr_array_add (self->duplicates, dup);
    }
}

static void
object_end_cb (JsonParser *parser, JsonObject *object, gpointer data)
{
  PsJsonPositions *self = data;

  g_hash_table_insert (self->containers, object, current (parser));
  if (self->open->len > 0)
    g_ptr_array_remove_index (self->open, self->open->len - 1);
  close_value (self, parser);
}

static void
array_start_cb (JsonParser *parser, gpointer data)
{
  PsJsonPositions *self = data;

  self->depth++;
}

static void
array_element_cb (JsonParser *parser, JsonArray *array, guint index,
                  gpointer data)
{
  PsJsonPositions *self = data;

  g_hash_table_insert (self->nodes, json_array_get_element (array, index),
                       current (parser));
}

static void
array_end_cb (JsonParser *parser, JsonArray *array, gpointer data)
{
  PsJsonPositions *self = data;

  g_hash_table_insert (self->containers, array, current (parser));
  close_value (self, parser);
}

/* A scalar document has no container signal: its end is the parse's end. */
static void
parse_end_cb (JsonParser *parser, gpointer data)
{
  PsJsonPositions *self = data;

  if (!self->has_end && self->depth == 0)
    close_value (self, parser);
}

/**
 * ps_json_positions_new:
 * @parser: not yet loaded; must outlive the result or be loaded no more
 *
 * Returns: (transfer full): a map that fills while @parser loads.
 */
PsJsonPositions *
ps_json_positions_new (JsonParser *parser)
{
  PsJsonPositions *self = g_new0 (PsJsonPositions, 1);

  g_return_val_if_fail (JSON_IS_PARSER (parser), NULL);

  self->parser = parser;
  self->nodes = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->containers = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->open = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  self->duplicates = g_ptr_array_new_with_free_func (duplicate_free);
  g_signal_connect (parser, "object-start", G_CALLBACK (object_start_cb), self);
  g_signal_connect (parser, "object-member", G_CALLBACK (object_member_cb), self);
  g_signal_connect (parser, "object-end", G_CALLBACK (object_end_cb), self);
  g_signal_connect (parser, "array-start", G_CALLBACK (array_start_cb), self);
  g_signal_connect (parser, "array-element", G_CALLBACK (array_element_cb), self);
  g_signal_connect (parser, "array-end", G_CALLBACK (array_end_cb), self);
  g_signal_connect (parser, "parse-end", G_CALLBACK (parse_end_cb), self);
  return self;
}

void
ps_json_positions_free (PsJsonPositions *positions)
{
  if (positions == NULL)
    return;
  g_signal_handlers_disconnect_by_data (positions->parser, positions);
  g_hash_table_unref (positions->nodes);
  g_hash_table_unref (positions->containers);
  g_ptr_array_unref (positions->open);
  g_ptr_array_unref (positions->duplicates);
  g_free (positions);
}

/**
 * ps_json_positions_lookup:
 * @node: a node of the parsed tree
 * @out_line: (out): 1-based
 * @out_col: (out): 1-based, in bytes
 *
 * The position json-glib reported when @node was complete: for a member or
 * an element, just after its value; for the root, its closing bracket (or
 * the end of a scalar document).
 *
 * Returns: FALSE when @node was not parsed by this map's parser.
 */
gboolean
ps_json_positions_lookup (const PsJsonPositions *positions, JsonNode *node,
                          guint *out_line, guint *out_col)
{
  const Position *at = g_hash_table_lookup (positions->nodes, node);

  if (at == NULL && JSON_NODE_HOLDS_OBJECT (node))
    at = g_hash_table_lookup (positions->containers, json_node_get_object (node));
  if (at == NULL && JSON_NODE_HOLDS_ARRAY (node))
    at = g_hash_table_lookup (positions->containers, json_node_get_array (node));
  if (at == NULL && json_node_get_parent (node) == NULL && positions->has_end
      && json_parser_get_root (positions->parser) == node)
    at = &positions->end;
  if (at == NULL)
    return FALSE;
  *out_line = at->line;
  *out_col = at->col;
  return TRUE;
}

/* Where the first top-level value ended: json-glib ignores what follows. */
gboolean
ps_json_positions_get_end (const PsJsonPositions *positions, guint *out_line,
                           guint *out_col)
{
  if (!positions->has_end)
    return FALSE;
  *out_line = positions->end.line;
  *out_col = positions->end.col;
  return TRUE;
}

static gboolean
find_object (JsonNode *node, JsonObject *target, GString *path)
{
  gsize mark = path->len;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = NULL;

      if (object == target)
        return TRUE;
      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_string_append_printf (path, "%s%s", mark > 0 ? "." : "",
                                  (const char *) l->data);
          if (find_object (json_object_get_member (object, l->data), target, path))
            return TRUE;
          g_string_truncate (path, mark);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_string_append_printf (path, "[%u]", i);
          if (find_object (json_array_get_element (array, i), target, path))
            return TRUE;
          g_string_truncate (path, mark);
        }
    }
  return FALSE;
}

/**
 * ps_json_positions_find_duplicate:
 * @root: the parsed tree
 * @out_path: (out) (transfer full): key path of the repeated key, such as
 *   "clients[0].count"
 *
 * Finds the first key given twice in one object whose object is still in
 * the tree (an object dropped because its own key was repeated is skipped:
 * that outer repetition is reported instead).  The position is that of the
 * second occurrence's value.
 */
gboolean
ps_json_positions_find_duplicate (const PsJsonPositions *positions,
                                  JsonNode *root, char **out_path,
                                  guint *out_line, guint *out_col)
{
  for (guint i = 0; i < positions->duplicates->len; i++)
    {
      const Duplicate *dup = g_ptr_array_index (positions->duplicates, i);
      g_autoptr(GString) path = g_string_new (NULL);

      if (!find_object (root, dup->object, path))
        continue;
      g_string_append_printf (path, "%s%s", path->len > 0 ? "." : "", dup->name);
      *out_path = g_string_free (g_steal_pointer (&path), FALSE);
      *out_line = dup->at.line;
      *out_col = dup->at.col;
      return TRUE;
    }
  return FALSE;
}

/* Byte offset of json-glib's (line, col), both 1-based; past @length when
 * the text has fewer lines. */
gsize
ps_json_offset_of (const char *data, gsize length, guint line, guint col)
{
  gsize offset = 0;

  for (guint l = 1; l < line && offset < length; offset++)
    if (data[offset] == '\n')
      l++;
  return offset + (col > 0 ? col : 1);
}

/* TRUE when only whitespace and block comments (which json-glib accepts)
 * follow @offset; otherwise @out_garbage is the first other byte. */
gboolean
ps_json_only_blanks_after (const char *data, gsize length, gsize offset,
                           gsize *out_garbage)
{
  gsize i = offset;

  while (i < length)
    {
      if (strchr (" \t\r\n", data[i]) != NULL && data[i] != '\0')
        i++;
      else if (data[i] == '/' && i + 1 < length && data[i + 1] == '*')
        {
          const char *close = g_strstr_len (data + i + 2,
                                            (gssize) (length - i - 2), "*/");

          if (close == NULL)
            break;
          i = (gsize) (close - data) + 2;
        }
      else
        break;
    }
  if (i >= length)
    return TRUE;
  *out_garbage = i;
  return FALSE;
}

/* Line and column (1-based, bytes) of @offset in @data, as json-glib
 * counts them: for messages about text the parser accepted. */
void
ps_json_line_col (const char *data, gsize offset, guint *out_line, guint *out_col)
{
  guint line = 1;
  gsize start = 0;

  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n')
      {
        line++;
        start = i + 1;
      }
  *out_line = line;
  *out_col = (guint) (offset - start + 1);
}
