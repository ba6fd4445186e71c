/* ps-load.c: a load in progress: its files, and how it reports problems
 *
 * A message locates its value by walking up from the node: the first
 * ancestor that came from a --set names that --set, the first that was
 * parsed from the file gives its line and column.  Defaults are parented
 * to the object they fill in, so a bad default points at that object.
 */
#include "ps-load.h"

#include "ps-json-strict.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

PsLoad *
ps_load_new (const char *file)
{
  PsLoad *load = g_new0 (PsLoad, 1);

  load->file = g_strdup (file != NULL ? file : "<data>");
  load->origins = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  load->keep = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  load->warnings = g_ptr_array_new_with_free_func (g_free);
  load->override_sites = g_ptr_array_new_with_free_func (g_free);
  load->base_dir = file != NULL ? g_path_get_dirname (file) : g_strdup (".");
  return load;
}

void
ps_load_free (PsLoad *load)
{
  if (load == NULL)
    return;
  g_clear_pointer (&load->positions, ps_json_positions_free);
  g_ptr_array_unref (load->override_sites);
  g_ptr_array_unref (load->keep);
  g_hash_table_unref (load->origins);
  g_ptr_array_unref (load->warnings);
  g_clear_object (&load->parser);
  g_free (load->file);
  g_free (load->base_dir);
  g_free (load);
}

/* Returns: (transfer full): "FILE:LINE:COL", "FILE: --set k=v" or "FILE". */
char *
ps_load_where (PsLoad *load, JsonNode *node)
{
  for (JsonNode *n = node; n != NULL; n = json_node_get_parent (n))
    {
      const char *origin = g_hash_table_lookup (load->origins, n);
      guint line, col;

      if (origin != NULL)
        return g_strdup_printf ("%s: %s", load->file, origin);
      if (load->positions != NULL
          && ps_json_positions_lookup (load->positions, n, &line, &col))
        return g_strdup_printf ("%s:%u:%u", load->file, line, col);
    }
  return g_strdup (load->file);
}

static char *
format_message (const char *where, const char *path, const char *format,
                va_list args)
{
  g_autofree char *what = g_strdup_vprintf (format, args);

  return g_strdup_printf ("%s: %s: %s", where,
                          path != NULL && path[0] != '\0' ? path : "(top level)",
                          what);
}

/**
 * ps_load_fail:
 * @node: (nullable): the offending value, or the object missing a key
 * @path: key path such as "server.quota[0].window"; "" for the document
 *
 * Sets @error to "WHERE: PATH: MESSAGE".
 *
 * Returns: FALSE, always, so callers can `return ps_load_fail (...)`.
 */
gboolean
ps_load_fail (PsLoad *load, GError **error, PsScenarioError code,
              JsonNode *node, const char *path, const char *format, ...)
{
  va_list args;
  g_autofree char *where = ps_load_where (load, node);
  g_autofree char *message = NULL;

  va_start (args, format);
  message = format_message (where, path, format, args);
  va_end (args);
  g_set_error_literal (error, PS_SCENARIO_ERROR, code, message);
  return FALSE;
}

/* ps_load_fail() for a --set that is not in the tree: "FILE: @origin: ...". */
gboolean
ps_load_fail_origin (PsLoad *load, GError **error, PsScenarioError code,
                     const char *origin, const char *path, const char *format, ...)
{
  va_list args;
  g_autofree char *where = g_strdup_printf ("%s: %s", load->file, origin);
  g_autofree char *message = NULL;

  va_start (args, format);
  message = format_message (where, path, format, args);
  va_end (args);
  g_set_error_literal (error, PS_SCENARIO_ERROR, code, message);
  return FALSE;
}

/* Adds a line to the scenario's warnings, in the same shape as errors. */
void
ps_load_warn (PsLoad *load, JsonNode *node, const char *path,
              const char *format, ...)
{
  va_list args;
  g_autofree char *where = ps_load_where (load, node);

  va_start (args, format);
  g_ptr_array_add (load->warnings, format_message (where, path, format, args));
  va_end (args);
}

/**
 * ps_load_parse_fragment:
 * @text: a default or a --set value
 * @max_values: values @text may have (ps_load_max_json_values() for a
 *   --set; the schema's own defaults are not limited)
 * @out_duplicate: (out) (optional) (transfer full): a key given twice
 *
 * Parses @text as one JSON value with nothing after it.
 *
 * Returns: (transfer full) (nullable): its root, with no parent; NULL when
 * @text is not exactly one JSON value.
 */
JsonNode *
ps_load_parse_fragment (const char *text, guint64 max_values, char **out_duplicate)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PsJsonPositions) positions = ps_json_positions_new (parser);
  gsize length = strlen (text), garbage;
  guint line, col;
  g_autofree char *duplicate = NULL;

  gsize fault;
  const char *what;

  /* not strict JSON, too deep for json-glib's recursion or too big: not a value */
  if (!ps_json_strict_check (text, length, PS_JSON_MAX_DEPTH, max_values, &fault, &what)
      || !json_parser_load_from_data (parser, text, (gssize) length, NULL)
      || json_parser_get_root (parser) == NULL
      || !ps_json_positions_get_end (positions, &line, &col)
      || !ps_json_only_blanks_after (text, length,
                                     ps_json_offset_of (text, length, line, col),
                                     &garbage))
    return NULL;
  if (out_duplicate != NULL
      && ps_json_positions_find_duplicate (positions, json_parser_get_root (parser),
                                           &duplicate, &line, &col))
    *out_duplicate = g_steal_pointer (&duplicate);
  return json_parser_steal_root (parser);
}

/* Keeps @node (transfer full) alive until the load ends.
 * Returns: (transfer none): @node. */
JsonNode *
ps_load_keep (PsLoad *load, JsonNode *node)
{
  g_ptr_array_add (load->keep, node);
  return node;
}

/* Returns: (transfer full): @parent + "." + @key, or @key at the top. */
char *
ps_load_child_path (const char *parent, const char *key)
{
  if (parent == NULL || parent[0] == '\0')
    return g_strdup (key);
  return g_strdup_printf ("%s.%s", parent, key);
}

/* Returns: (transfer full): "a, b, c". */
char *
ps_load_names_list (const char *const *names)
{
  return g_strjoinv (", ", (char **) names);
}

/* The most bytes an input file may have: POOLSIM_MAX_INPUT_MB, default 256. */
gsize
ps_load_max_input (void)
{
  const char *env = g_getenv ("POOLSIM_MAX_INPUT_MB");
  guint64 mb = 256;

  if (env != NULL && *env != '\0')
    g_ascii_string_to_unsigned (env, 10, 1, 1 << 20, &mb, NULL);
  return (gsize) mb << 20;
}

/* The most values a JSON document may have before json-glib builds it:
 * POOLSIM_MAX_JSON_VALUES, default PS_JSON_MAX_VALUES. */
guint64
ps_load_max_json_values (void)
{
  const char *env = g_getenv ("POOLSIM_MAX_JSON_VALUES");
  guint64 n = PS_JSON_MAX_VALUES;

  if (env != NULL && *env != '\0')
    g_ascii_string_to_unsigned (env, 10, 1, G_MAXUINT64, &n, NULL);
  return n;
}

/* Whole file into memory; errno explains a failure (EFBIG: over
 * ps_load_max_input(), checked as it reads, so /dev/zero or a runaway
 * pipe stops there).  Scenario files and the data files they name
 * (traces, logs) are read through here. */
gboolean
ps_load_read_file (const char *path, char **out_data, gsize *out_length,
                   int *out_errno)
{
  g_autoptr(GString) data = g_string_new (NULL);
  FILE *f = fopen (path, "rb");
  gsize limit = ps_load_max_input ();
  char buf[65536];
  size_t n;

  if (f == NULL)
    {
      *out_errno = errno;
      return FALSE;
    }
  while ((n = fread (buf, 1, sizeof buf, f)) > 0)
    {
      if (data->len + n > limit)
        {
          fclose (f);
          *out_errno = EFBIG;
          return FALSE;
        }
      g_string_append_len (data, buf, (gssize) n);
    }
  if (ferror (f))
    {
      *out_errno = errno;
      fclose (f);
      return FALSE;
    }
  fclose (f);
  *out_length = data->len;
  *out_data = g_string_free (g_steal_pointer (&data), FALSE);
  return TRUE;
}

/* Why a file could not be read, for messages: the limit named for EFBIG. */
char *
ps_load_read_error (int saved_errno)
{
  if (saved_errno == EFBIG)
    return g_strdup_printf ("larger than the %" G_GSIZE_FORMAT " MiB limit for input "
                            "files (set POOLSIM_MAX_INPUT_MB to raise it)",
                            ps_load_max_input () >> 20);
  return g_strdup (g_strerror (saved_errno));
}

/* Returns: (transfer full): @file as found from the scenario file's
 * directory (the current one for a scenario given as data). */
char *
ps_load_data_path (PsLoad *load, const char *file)
{
  if (g_path_is_absolute (file) || strcmp (load->base_dir, ".") == 0)
    return g_strdup (file);
  return g_build_filename (load->base_dir, file, NULL);
}
