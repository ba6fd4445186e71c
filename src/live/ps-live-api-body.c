/* ps-live-api-body.c: the one reader of POST /v1/requests bodies
 *
 * `{"priority":N, "work_ms":X}`, both keys optional, read by json-glib and
 * checked the way scenario files are (json-glib 1.6 is lenient: duplicate
 * keys, text after the document and an empty input all parse, see
 * docs/libsoup-notes.md, "Elsewhere in the stack"): UTF-8 first, then syntax, an empty document,
 * text after it, duplicate keys, the top-level type, unknown keys, each
 * value's type and range; every message says where, as body:LINE:COL.
 */
#include "ps-live-api.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "ps-json-positions.h"
#include "ps-json-strict.h"
#include "ps-json-writer.h"
#include "ps-record.h"

/* "<data>:2:8: Parse error: unexpected ..." -> "body:2:8: syntax error: ..." */
static char *
syntax_message (const char *text)
{
  const char *colon = strstr (text, ">:");
  unsigned long line, col;
  char *end;

  if (colon != NULL)
    {
      line = strtoul (colon + 2, &end, 10);
      if (*end == ':')
        {
          col = strtoul (end + 1, &end, 10);
          if (*end == ':')
            {
              const char *detail = end + 1 + strspn (end + 1, " ");

              if (g_str_has_prefix (detail, "Parse error: "))
                detail += strlen ("Parse error: ");
              return g_strdup_printf ("body:%lu:%lu: syntax error: %s", line, col, detail);
            }
        }
    }
  return g_strdup_printf ("body: syntax error: %s", text);
}

static const char *
describe (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return "a string";
        case G_TYPE_BOOLEAN:
          return "a boolean";
        case G_TYPE_INT64:
          return "an integer";
        case G_TYPE_DOUBLE:
          return "a number with a fraction";
        default:
          return "a value";
        }
    default:
      return "a value";
    }
}

static char *
where (PsJsonPositions *positions, JsonNode *node)
{
  guint line, col;

  if (positions != NULL && ps_json_positions_lookup (positions, node, &line, &col))
    return g_strdup_printf ("body:%u:%u", line, col);
  return g_strdup ("body");
}

static gboolean
read_priority (PsJsonPositions *positions, JsonNode *node, guint *out, char **message)
{
  g_autofree char *at = where (positions, node);
  gint64 value;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      *message = g_strdup_printf ("%s: priority: expected an integer from 0 to %d, got %s",
                                  at, PS_MAX_PRIORITIES - 1, describe (node));
      return FALSE;
    }
  value = json_node_get_int (node);
  if (value < 0 || value >= PS_MAX_PRIORITIES)
    {
      *message = g_strdup_printf ("%s: priority: %" G_GINT64_FORMAT
                                  " is out of range (expected an integer from 0 to %d)",
                                  at, value, PS_MAX_PRIORITIES - 1);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

static gboolean
read_work (PsJsonPositions *positions, JsonNode *node, PsTime *out, char **message)
{
  g_autofree char *at = where (positions, node);
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_NONE;
  double ms;

  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    {
      *message = g_strdup_printf ("%s: work_ms: expected a number of milliseconds from 0 "
                                  "to %d, got %s", at, PS_LIVE_MAX_WORK_MS, describe (node));
      return FALSE;
    }
  ms = type == G_TYPE_INT64 ? (double) json_node_get_int (node) : json_node_get_double (node);
  /* json-glib turns an integer overflow into INT64_MIN and 1e400 into inf:
   * both fail the range check */
  if (!isfinite (ms) || ms < 0 || ms > PS_LIVE_MAX_WORK_MS)
    {
      *message = g_strdup_printf ("%s: work_ms: out of range (expected a number of "
                                  "milliseconds from 0 to %d)", at, PS_LIVE_MAX_WORK_MS);
      return FALSE;
    }
  *out = (PsTime) llround (ms * 1000.0);
  return TRUE;
}

static gboolean
check_document (const char *data, gsize length, JsonParser *parser,
                PsJsonPositions *positions, char **message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dup_path = NULL;
  JsonNode *root;
  guint line, col;
  gsize garbage, fault;
  const char *what;

  /* the body limit keeps a body far below the value limit; the constant,
   * not the environment's, so a request never depends on it */
  if (!ps_json_strict_check (data, length, PS_JSON_MAX_DEPTH, PS_JSON_MAX_VALUES, &fault,
                             &what))
    {
      ps_json_line_col (data, fault, &line, &col);
      *message = g_strdup_printf ("body:%u:%u: syntax error: %s", line, col, what);
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) length, &error))
    {
      *message = syntax_message (error->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      *message = g_strdup ("body: empty (expected a JSON object such as "
                           "{\"priority\":0,\"work_ms\":120})");
      return FALSE;
    }
  if (ps_json_positions_get_end (positions, &line, &col)
      && !ps_json_only_blanks_after (data, length, ps_json_offset_of (data, length, line, col),
                                     &garbage))
    {
      ps_json_line_col (data, garbage, &line, &col);
      *message = g_strdup_printf ("body:%u:%u: syntax error: text after the end of the "
                                  "JSON object", line, col);
      return FALSE;
    }
  if (ps_json_positions_find_duplicate (positions, root, &dup_path, &line, &col))
    {
      *message = g_strdup_printf ("body:%u:%u: %s: key appears twice", line, col, dup_path);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      *message = g_strdup_printf ("body:1:1: expected a JSON object such as "
                                  "{\"priority\":0,\"work_ms\":120}, got %s",
                                  describe (root));
      return FALSE;
    }
  return TRUE;
}

/**
 * ps_live_parse_request_body:
 * @out_priority: (out): 0 when absent
 * @out_work: (out): the work asked for in µs, or -1 when absent (the
 *   server then draws it from the scenario)
 * @out_message: (out) (transfer full): on failure, what is wrong and
 *   where (body:LINE:COL: ...)
 *
 * Reads `{"priority": 0..15, "work_ms": 0..3600000}`, both keys optional.
 */
gboolean
ps_live_parse_request_body (const char *data, gsize length, guint *out_priority,
                            PsTime *out_work, char **out_message)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(PsJsonPositions) positions = NULL;
  const char *bad_utf8;
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  *out_priority = 0;
  *out_work = -1;
  *out_message = NULL;
  if (!g_utf8_validate_len (data, length, &bad_utf8))
    {
      guint line, col;

      ps_json_line_col (data, (gsize) (bad_utf8 - data), &line, &col);
      *out_message = g_strdup_printf ("body:%u:%u: syntax error: %s (expected UTF-8 "
                                      "encoded JSON)", line, col,
                                      *bad_utf8 == '\0' ? "a NUL byte" : "bytes that are not UTF-8");
      return FALSE;
    }
  parser = json_parser_new ();
  positions = ps_json_positions_new (parser);
  if (!check_document (data, length, parser, positions, out_message))
    return FALSE;

  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (object, name);

      if (strcmp (name, "priority") == 0)
        {
          if (!read_priority (positions, node, out_priority, out_message))
            return FALSE;
        }
      else if (strcmp (name, "work_ms") == 0)
        {
          if (!read_work (positions, node, out_work, out_message))
            return FALSE;
        }
      else
        {
          g_autofree char *at = where (positions, node);
          GString *msg = g_string_new (NULL);

          g_string_append_printf (msg, "%s: unknown key ", at);
          ps_json_append_string (msg, name);
          g_string_append (msg, " (expected \"priority\" or \"work_ms\")");
          *out_message = g_string_free (msg, FALSE);
          return FALSE;
        }
    }
  return TRUE;
}
