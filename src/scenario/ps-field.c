/* ps-field.c: reading one value through its schema entry
 *
 * json-glib converts silently between types (a double read as an int, a
 * string read as 0), so every reader checks the node's own type first:
 * an integer key takes only a JSON integer, a number key an integer or a
 * finite double.  json-glib turns an integer past 64 bits into G_MININT64
 * and 1e400 into inf; both are reported as out of range.
 */
#include "ps-field.h"

#include "ps-suggest.h"

#include "ps-duration.h"

#include <math.h>
#include <string.h>

void
ps_field_clear (PsField *field)
{
  g_clear_pointer (&field->path, g_free);
  field->node = NULL;
  field->parent = NULL;
  field->key = NULL;
  field->defaulted = FALSE;
}

/**
 * ps_field_member:
 * @object: a node holding an object
 * @out: (out caller-allocates): cleared by the caller with ps_field_clear()
 *
 * The member @key of @object as it is, with no default: @out->node stays
 * NULL when the key is absent and optional.
 *
 * Returns: FALSE (MISSING_KEY, at @object) if absent and required.
 */
gboolean
ps_field_member (PsLoad *load, JsonNode *object, const char *object_path,
                 const PsSchemaKey *key, PsField *out, GError **error)
{
  out->key = key;
  out->parent = object;
  out->path = ps_load_child_path (object_path, key->name);
  out->node = json_object_get_member (json_node_get_object (object), key->name);
  out->defaulted = FALSE;
  if (out->node == NULL && (key->flags & PS_SCHEMA_REQUIRED))
    {
      g_autofree char *expected = ps_schema_key_expected (key);

      return ps_load_fail (load, error, PS_SCENARIO_ERROR_MISSING_KEY, object,
                           out->path, "required key is missing (expected %s)",
                           expected);
    }
  return TRUE;
}

/* Like ps_field_member(), but an absent key with a default gets the
 * default, parsed afresh and parented to @object. */
gboolean
ps_field_get (PsLoad *load, JsonNode *object, const char *object_path,
              const PsSchemaKey *key, PsField *out, GError **error)
{
  JsonNode *node;

  if (!ps_field_member (load, object, object_path, key, out, error))
    return FALSE;
  if (out->node != NULL || key->def == NULL)
    return TRUE;
  node = ps_load_parse_fragment (key->def, G_MAXUINT64, NULL);   /* ours: no limit */
  g_assert (node != NULL);
  json_node_set_parent (node, object);
  out->node = ps_load_keep (load, node);
  out->defaulted = TRUE;
  return TRUE;
}

/* @out: element @index of the array in @array, typed by its element key. */
void
ps_field_element (const PsField *array, guint index, PsField *out)
{
  out->key = array->key->element;
  out->parent = array->node;
  out->node = json_array_get_element (json_node_get_array (array->node), index);
  out->path = g_strdup_printf ("%s[%u]", array->path, index);
  out->defaulted = array->defaulted;
}

/* "an object", "a string", "null": what a JSON value is, for messages. */
const char *
ps_field_json_kind (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT: return "an object";
    case JSON_NODE_ARRAY: return "an array";
    case JSON_NODE_NULL: return "null";
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64: return "an integer";
        case G_TYPE_DOUBLE: return "a number";
        case G_TYPE_BOOLEAN: return "a boolean";
        case G_TYPE_STRING: return "a string";
        default: return "a value";
        }
    default:
      g_assert_not_reached ();
    }
}

/* TYPE error: "got a string (expected an integer 1..100000)". */
gboolean
ps_field_type_error (PsLoad *load, const PsField *field, GError **error)
{
  g_autofree char *expected = ps_schema_key_expected (field->key);

  return ps_load_fail (load, error, PS_SCENARIO_ERROR_TYPE, field->node,
                       field->path, "got %s (expected %s)",
                       ps_field_json_kind (field->node), expected);
}

static gboolean
holds (JsonNode *node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* RANGE error for inf and nan: json-glib reads 1e400 as inf. */
static gboolean
check_finite (PsLoad *load, const PsField *field, GError **error)
{
  g_autofree char *expected = NULL;

  if (!holds (field->node, G_TYPE_DOUBLE)
      || isfinite (json_node_get_double (field->node)))
    return TRUE;
  expected = ps_schema_key_expected (field->key);
  return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field->node,
                       field->path, "number overflows a double (expected %s)", expected);
}

/* Checks that @field is an object with no key outside its schema object;
 * a misspelt key gets the nearest known one as a suggestion. */
gboolean
ps_field_object (PsLoad *load, const PsField *field, GError **error)
{
  const PsSchemaObject *schema = field->key->object;
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (field->node))
    return ps_field_type_error (load, field, error);
  object = json_node_get_object (field->node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      const char *suggestion;
      g_autofree char *path = NULL;
      g_autofree char *known = NULL;

      if (ps_schema_object_lookup (schema, name) != NULL)
        continue;
      path = ps_load_child_path (field->path, name);
      suggestion = ps_schema_object_suggest (schema, name, 0);
      if (suggestion != NULL)
        return ps_load_fail (load, error, PS_SCENARIO_ERROR_UNKNOWN_KEY,
                             json_object_get_member (object, name), path,
                             "unknown key (did you mean \"%s\"?)", suggestion);
      known = ps_schema_object_list (schema, 0);
      return ps_load_fail (load, error, PS_SCENARIO_ERROR_UNKNOWN_KEY,
                           json_object_get_member (object, name), path,
                           "unknown key (expected one of: %s)", known);
    }
  return TRUE;
}

/**
 * ps_field_variant_members:
 * @variant: value of the object's selector key (a PsDistKind, ...)
 *
 * After ps_field_object(): checks that every key present belongs to the
 * variant chosen, so "min" in an exponential distribution is an unknown key.
 */
gboolean
ps_field_variant_members (PsLoad *load, const PsField *field, guint variant,
                          GError **error)
{
  const PsSchemaObject *schema = field->key->object;
  const PsSchemaKey *selector = &schema->keys[schema->selector];
  JsonObject *object = json_node_get_object (field->node);
  const char *chosen = json_object_get_string_member (object, selector->name);
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const PsSchemaKey *key = ps_schema_object_lookup (schema, l->data);
      g_autofree char *path = NULL;
      g_autofree char *known = NULL;

      if (key->variants == 0 || (key->variants & (1u << variant)) != 0)
        continue;
      path = ps_load_child_path (field->path, key->name);
      known = ps_schema_object_list (schema, 1u << variant);
      return ps_load_fail (load, error, PS_SCENARIO_ERROR_UNKNOWN_KEY,
                           json_object_get_member (object, key->name), path,
                           "unknown key for %s \"%s\" (expected one of: %s)",
                           selector->name, chosen, known);
    }
  return TRUE;
}

/* An array of key->min..key->max elements. */
gboolean
ps_field_array (PsLoad *load, const PsField *field, guint *out_length,
                GError **error)
{
  const PsSchemaKey *key = field->key;
  g_autofree char *expected = NULL;
  guint length;

  if (!JSON_NODE_HOLDS_ARRAY (field->node))
    return ps_field_type_error (load, field, error);
  length = json_array_get_length (json_node_get_array (field->node));
  if ((gint64) length >= key->min && (gint64) length <= key->max)
    {
      *out_length = length;
      return TRUE;
    }
  expected = ps_schema_key_expected (key);
  if ((gint64) length < key->min)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field->node,
                         field->path,
                         "has %u elements, needs at least %" G_GINT64_FORMAT
                         " (expected %s)", length, key->min, expected);
  return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field->node,
                       field->path,
                       "has %u elements, at most %" G_GINT64_FORMAT
                       " are allowed (expected %s)", length, key->max, expected);
}

/* A JSON integer in key->min..key->max. */
gboolean
ps_field_int (PsLoad *load, const PsField *field, gint64 *out, GError **error)
{
  const PsSchemaKey *key = field->key;
  g_autofree char *expected = ps_schema_key_expected (key);
  gint64 v;

  if (!check_finite (load, field, error))
    return FALSE;
  if (holds (field->node, G_TYPE_DOUBLE))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      double d = json_node_get_double (field->node);

      /* 1e2 and 100.0 are whole numbers written as JSON reals: take them. */
      if (d != floor (d) || fabs (d) > 9007199254740992.0)
        return ps_load_fail (load, error, PS_SCENARIO_ERROR_TYPE, field->node,
                             field->path, "%s is not an integer (expected %s)",
                             g_ascii_formatd (buf, sizeof buf, "%.15g", d), expected);
      v = (gint64) d;
    }
  else if (!holds (field->node, G_TYPE_INT64))
    return ps_field_type_error (load, field, error);
  else
    v = json_node_get_int (field->node);
  if (v == G_MININT64)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field->node,
                         field->path, "integer does not fit in 64 bits (expected %s)",
                         expected);
  if (v < key->min)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field->node,
                         field->path, "must be at least %" G_GINT64_FORMAT
                         " (expected %s)", key->min, expected);
  if (v > key->max)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field->node,
                         field->path, "must be at most %" G_GINT64_FORMAT
                         " (expected %s)", key->max, expected);
  *out = v;
  return TRUE;
}

/* ps_field_int() for keys whose range fits a guint. */
gboolean
ps_field_uint (PsLoad *load, const PsField *field, guint *out, GError **error)
{
  gint64 v;

  g_assert (field->key->min >= 0 && field->key->max <= G_MAXUINT);
  if (!ps_field_int (load, field, &v, error))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

/* A finite number >= 0 (> 0 if POSITIVE), at most key->number_max. */
gboolean
ps_field_number (PsLoad *load, const PsField *field, double *out, GError **error)
{
  const PsSchemaKey *key = field->key;
  gboolean positive = (key->flags & PS_SCHEMA_POSITIVE) != 0;
  g_autofree char *expected = ps_schema_key_expected (key);
  double v;

  if (!check_finite (load, field, error))
    return FALSE;
  if (holds (field->node, G_TYPE_INT64))
    {
      if (json_node_get_int (field->node) == G_MININT64)
        return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field->node,
                             field->path,
                             "integer does not fit in 64 bits (expected %s)", expected);
      v = (double) json_node_get_int (field->node);
    }
  else if (holds (field->node, G_TYPE_DOUBLE))
    v = json_node_get_double (field->node);
  else
    return ps_field_type_error (load, field, error);
  if (positive ? v <= 0 : v < 0)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field->node,
                         field->path, "must be %s (expected %s)",
                         positive ? "greater than 0" : "at least 0", expected);
  if (key->number_max > 0 && v > key->number_max)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field->node,
                         field->path, "must be at most %g (expected %s)",
                         key->number_max, expected);
  *out = v;
  return TRUE;
}

gboolean
ps_field_bool (PsLoad *load, const PsField *field, gboolean *out, GError **error)
{
  if (!holds (field->node, G_TYPE_BOOLEAN))
    return ps_field_type_error (load, field, error);
  *out = json_node_get_boolean (field->node);
  return TRUE;
}

/* @out: (transfer none): owned by the tree, valid until the load ends. */
gboolean
ps_field_string (PsLoad *load, const PsField *field, const char **out,
                 GError **error)
{
  if (!holds (field->node, G_TYPE_STRING))
    return ps_field_type_error (load, field, error);
  *out = json_node_get_string (field->node);
  return TRUE;
}

static gboolean
duration_fail (PsLoad *load, const PsField *field, PsDurationStatus status,
               GError **error)
{
  gboolean positive = (field->key->flags & PS_SCHEMA_POSITIVE) != 0;
  const char *bound = positive ? "> 0" : ">= 0";
  const char *text = holds (field->node, G_TYPE_STRING)
                     ? json_node_get_string (field->node) : NULL;

  switch (status)
    {
    case PS_DURATION_MALFORMED:
      return ps_load_fail (load, error, PS_SCENARIO_ERROR_VALUE, field->node,
                           field->path,
                           "\"%s\" is not a duration (expected a number of seconds "
                           "or a string such as \"250ms\", \"30s\", \"1m\", \"2h\")",
                           text);
    case PS_DURATION_NEGATIVE:
      return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field->node,
                           field->path, "must not be negative (expected a duration %s)",
                           bound);
    case PS_DURATION_TOO_LONG:
      return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field->node,
                           field->path, "is longer than 10 years (expected a duration "
                           "%s and at most 3650 days)", bound);
    case PS_DURATION_TOO_FINE:
      return ps_load_fail (load, error, PS_SCENARIO_ERROR_VALUE, field->node,
                           field->path, "is not a whole number of microseconds "
                           "(expected a duration %s, to the microsecond)", bound);
    case PS_DURATION_OK:
    default:
      g_assert_not_reached ();
    }
}

/**
 * ps_field_duration:
 * @out: (out): µs
 *
 * A number of seconds (integer or decimal) or a duration string; >= 0, or
 * > 0 when the key is POSITIVE.
 */
gboolean
ps_field_duration (PsLoad *load, const PsField *field, PsTime *out,
                   GError **error)
{
  PsDurationStatus status;
  PsTime v = 0;

  if (!check_finite (load, field, error))
    return FALSE;
  if (holds (field->node, G_TYPE_STRING))
    status = ps_duration_parse (json_node_get_string (field->node), &v);
  else if (holds (field->node, G_TYPE_DOUBLE))
    status = ps_duration_from_seconds (json_node_get_double (field->node), &v);
  else if (holds (field->node, G_TYPE_INT64))
    status = json_node_get_int (field->node) == G_MININT64
             ? PS_DURATION_TOO_LONG
             : ps_duration_from_int_seconds (json_node_get_int (field->node), &v);
  else
    return ps_field_type_error (load, field, error);
  if (status != PS_DURATION_OK)
    return duration_fail (load, field, status, error);
  if (v == 0 && (field->key->flags & PS_SCHEMA_POSITIVE))
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, field->node,
                         field->path, "must be greater than 0 (expected a duration > 0)");
  *out = v;
  return TRUE;
}

gboolean
ps_field_cidr (PsLoad *load, const PsField *field, PsCidr *out, GError **error)
{
  const char *text;
  g_autofree char *expected = ps_schema_key_expected (field->key);

  if (!ps_field_string (load, field, &text, error))
    return FALSE;
  if (!ps_cidr_parse (text, out))
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_VALUE, field->node,
                         field->path, "\"%s\" is not a CIDR block (expected %s)",
                         text, expected);
  return TRUE;
}

/**
 * ps_field_enum:
 * @what: "algorithm": what the value names, for the message
 * @lookup: the owning module's parser of names
 * @names: NULL-terminated, the valid names, listed on failure
 *
 * A string that @lookup knows.
 */
gboolean
ps_field_enum (PsLoad *load, const PsField *field, const char *what,
               PsEnumLookupFunc lookup, const char *const *names, guint *out,
               GError **error)
{
  const char *text;
  const char *nearest;
  g_autofree char *list = NULL;

  if (!ps_field_string (load, field, &text, error))
    return FALSE;
  if (lookup (text, out))
    return TRUE;
  list = ps_load_names_list (names);
  nearest = ps_suggest_nearest (text, names);
  if (nearest != NULL)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_VALUE, field->node,
                         field->path, "unknown %s \"%s\" (did you mean \"%s\"? expected "
                         "one of: %s)", what, text, nearest, list);
  return ps_load_fail (load, error, PS_SCENARIO_ERROR_VALUE, field->node,
                       field->path, "unknown %s \"%s\" (expected one of: %s)",
                       what, text, list);
}

/**
 * ps_field_name:
 * @extra_chars: allowed besides ASCII letters and digits
 * @out: (transfer none)
 *
 * A string of 1..@max_length characters from [A-Za-z0-9] and @extra_chars:
 * group and policy names, which end up in CSV cells and HTTP headers.
 */
gboolean
ps_field_name (PsLoad *load, const PsField *field, const char *extra_chars,
               gsize max_length, const char **out, GError **error)
{
  const char *text;
  gsize length;
  g_autofree char *expected = ps_schema_key_expected (field->key);

  if (!ps_field_string (load, field, &text, error))
    return FALSE;
  length = strlen (text);
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (text[i]) && strchr (extra_chars, text[i]) == NULL)
      return ps_load_fail (load, error, PS_SCENARIO_ERROR_VALUE, field->node,
                           field->path, "\"%s\" has a character that is not "
                           "allowed (expected %s)", text, expected);
  if (length == 0 || length > max_length)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_VALUE, field->node,
                         field->path, "\"%s\" has %zu characters (expected %s)",
                         text, length, expected);
  *out = text;
  return TRUE;
}

/* Reads @key of the variant object @object as a duration in µs. */
gboolean
ps_field_get_duration (PsLoad *load, const PsField *object, const PsSchemaKey *key,
                       PsTime *out, GError **error)
{
  g_auto (PsField) field = { 0 };

  return ps_field_get (load, object->node, object->path, key, &field, error)
         && ps_field_duration (load, &field, out, error);
}

/**
 * ps_field_selector:
 * @object: an object whose schema has a selector key ("dist", "process")
 * @what: "distribution": what the selector names, for messages
 * @names: NULL-terminated, the valid values
 *
 * Checks @object's keys, reads its selector, then checks that every key
 * present belongs to the variant it names.  A missing selector's message
 * lists the valid names.
 */
gboolean
ps_field_selector (PsLoad *load, const PsField *object, const char *what,
                   PsEnumLookupFunc lookup, const char *const *names, guint *out,
                   GError **error)
{
  const PsSchemaObject *schema = object->key->object;
  g_autofree char *list = ps_load_names_list (names);
  g_autofree char *expected = g_strdup_printf ("one of: %s", list);
  PsSchemaKey key = schema->keys[schema->selector];
  g_auto (PsField) selector = { 0 };

  key.expected = expected;
  return ps_field_object (load, object, error)
         && ps_field_get (load, object->node, object->path, &key, &selector, error)
         && ps_field_enum (load, &selector, what, lookup, names, out, error)
         && ps_field_variant_members (load, object, *out, error);
}
