/* ps-scenario-load.c: from bytes to a validated PsScenario
 *
 * Order of checks, so the first error reported is the most basic one:
 * UTF-8, JSON syntax, empty document, text after the document, duplicate
 * keys, top-level type; then the --set values are written in and every key
 * is read through the schema, top to bottom, defaults filled in as it goes.
 */
#include "ps-scenario-clients.h"
#include "ps-scenario-dist.h"
#include "ps-scenario-faults.h"
#include "ps-scenario-quota.h"
#include "ps-scenario-retry.h"
#include "ps-scenario-set.h"

#include "ps-duration.h"
#include "ps-json-positions.h"

#include "ps-json-strict.h"

#include <stdlib.h>
#include <string.h>

static gboolean
check_utf8 (PsLoad *load, const char *data, gsize length, GError **error)
{
  const char *end;
  guint line, col;

  if (g_utf8_validate_len (data, length, &end))
    return TRUE;
  ps_json_line_col (data, (gsize) (end - data), &line, &col);
  g_set_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_SYNTAX,
               "%s:%u:%u: syntax error: %s (expected UTF-8 encoded JSON)",
               load->file, line, col,
               *end == '\0' ? "a NUL byte" : "bytes that are not UTF-8");
  return FALSE;
}

/* Strict JSON, nested at most PS_JSON_MAX_DEPTH deep and with at most
 * ps_load_max_json_values() values, before json-glib (which takes more
 * than JSON, recurses per level and spends memory per value). */
static gboolean
check_strict (PsLoad *load, const char *data, gsize length, GError **error)
{
  guint64 max_values = ps_load_max_json_values ();
  gsize offset;
  const char *what;
  guint line, col;

  if (ps_json_strict_check (data, length, PS_JSON_MAX_DEPTH, max_values, &offset, &what))
    return TRUE;
  ps_json_line_col (data, offset, &line, &col);
  if (strcmp (what, PS_JSON_FAULT_VALUES) == 0)
    g_set_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_RANGE,
                 "%s:%u:%u: too many values: more than %" G_GUINT64_FORMAT " JSON values "
                 "(numbers, strings, arrays, objects) in the document (expected at most %"
                 G_GUINT64_FORMAT "; set POOLSIM_MAX_JSON_VALUES to raise it)",
                 load->file, line, col, max_values, max_values);
  else
    g_set_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_SYNTAX,
                 "%s:%u:%u: syntax error: %s%s", load->file, line, col, what,
                 strcmp (what, PS_JSON_FAULT_DEPTH) == 0
                 ? " (expected at most " G_STRINGIFY (PS_JSON_MAX_DEPTH)
                   " levels of objects and arrays)" : "");
  return FALSE;
}

/* Rewrites json-glib's "<data>:2:8: Parse error: unexpected ..." as
 * "FILE:2:8: syntax error: unexpected ...". */
static gboolean
syntax_error (PsLoad *load, const GError *parse_error, GError **error)
{
  const char *text = parse_error->message;
  const char *colon = strstr (text, ">:");
  const char *detail;
  char *end;
  unsigned long line = 0, col = 0;

  if (colon != NULL)
    {
      line = strtoul (colon + 2, &end, 10);
      if (*end == ':')
        col = strtoul (end + 1, &end, 10);
      if (*end == ':')
        {
          detail = end + 1 + strspn (end + 1, " ");
          if (g_str_has_prefix (detail, "Parse error: "))
            detail += strlen ("Parse error: ");
          g_set_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_SYNTAX,
                       "%s:%lu:%lu: syntax error: %s", load->file, line, col, detail);
          return FALSE;
        }
    }
  g_set_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_SYNTAX,
               "%s: syntax error: %s", load->file, text);
  return FALSE;
}

/* json-glib stops after the first value and ignores the rest ("{} {}"). */
static gboolean
check_trailing (PsLoad *load, const char *data, gsize length, GError **error)
{
  guint line, col;
  gsize garbage;

  if (!ps_json_positions_get_end (load->positions, &line, &col)
      || ps_json_only_blanks_after (data, length,
                                    ps_json_offset_of (data, length, line, col),
                                    &garbage))
    return TRUE;
  ps_json_line_col (data, garbage, &line, &col);
  g_set_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_SYNTAX,
               "%s:%u:%u: syntax error: text after the end of the document "
               "(expected a single JSON object)", load->file, line, col);
  return FALSE;
}

static gboolean
check_duplicates (PsLoad *load, JsonNode *root, GError **error)
{
  g_autofree char *path = NULL;
  guint line, col;

  if (!ps_json_positions_find_duplicate (load->positions, root, &path, &line, &col))
    return TRUE;
  g_set_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_DUPLICATE_KEY,
               "%s:%u:%u: %s: key appears twice in one object (expected each "
               "key once)", load->file, line, col, path);
  return FALSE;
}

/* Parses @data into load->parser, with positions; the root is an object. */
static gboolean
parse_document (PsLoad *load, const char *data, gsize length, GError **error)
{
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;

  /* json-glib skips a byte-order mark without counting it in columns;
   * skipping it here keeps our offsets on the same footing. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  if (!check_utf8 (load, data, length, error) || !check_strict (load, data, length, error))
    return FALSE;
  load->parser = json_parser_new ();
  load->positions = ps_json_positions_new (load->parser);
  if (!json_parser_load_from_data (load->parser, data, (gssize) length, &parse_error))
    return syntax_error (load, parse_error, error);
  root = json_parser_get_root (load->parser);
  if (root == NULL)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_EMPTY, NULL, "",
                         "the document is empty (expected a JSON object with at "
                         "least \"clients\")");
  if (!check_trailing (load, data, length, error)
      || !check_duplicates (load, root, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      PsField document = { &ps_schema_document, root, NULL, (char *) "", FALSE };

      return ps_field_type_error (load, &document, error);
    }
  return TRUE;
}

static char *
name_from_file (const char *file)
{
  g_autofree char *base = NULL;

  if (file == NULL)
    return g_strdup ("scenario");
  base = g_path_get_basename (file);
  if (g_str_has_suffix (base, ".json"))
    base[strlen (base) - strlen (".json")] = '\0';
  if (base[0] == '\0' || strcmp (base, ".") == 0 || strcmp (base, "..") == 0
      || strcmp (base, G_DIR_SEPARATOR_S) == 0)
    return g_strdup ("scenario");
  return g_steal_pointer (&base);
}

/* name: becomes the output directory out/<name>/, so it must be one
 * harmless path component. */
static gboolean
load_name (PsLoad *load, const PsField *top, const char *file,
           PsScenario *scenario, GError **error)
{
  g_auto (PsField) field = { 0 };
  g_autofree char *expected = NULL;
  const char *text;

  if (!ps_field_member (load, top->node, top->path, &ps_schema_top[PS_SK_TOP_NAME],
                        &field, error))
    return FALSE;
  if (field.node == NULL)
    {
      scenario->name = name_from_file (file);
      return TRUE;
    }
  if (!ps_field_string (load, &field, &text, error))
    return FALSE;
  expected = ps_schema_key_expected (field.key);
  if (text[0] == '\0' || strlen (text) > PS_SCENARIO_NAME_MAX || strchr (text, '/')
      || strchr (text, '\\') || strcmp (text, ".") == 0 || strcmp (text, "..") == 0)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_VALUE, field.node, field.path,
                         "\"%s\" cannot be a directory name (expected %s)",
                         text, expected);
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return ps_load_fail (load, error, PS_SCENARIO_ERROR_VALUE, field.node,
                           field.path, "has a control character (expected %s)",
                           expected);
  scenario->name = g_strdup (text);
  return TRUE;
}

static gboolean
get (PsLoad *load, const PsField *object, const PsSchemaKey *key, PsField *out,
     GError **error)
{
  return ps_field_get (load, object->node, object->path, key, out, error);
}

static gboolean
load_basics (PsLoad *load, const PsField *top, PsScenario *scenario,
             GError **error)
{
  g_auto (PsField) description = { 0 };
  g_auto (PsField) seed = { 0 };
  g_auto (PsField) duration = { 0 };
  const char *text;
  gint64 v;

  if (!get (load, top, &ps_schema_top[PS_SK_TOP_DESCRIPTION], &description, error)
      || !ps_field_string (load, &description, &text, error))
    return FALSE;
  scenario->description = g_strdup (text);
  if (!get (load, top, &ps_schema_top[PS_SK_TOP_SEED], &seed, error)
      || !ps_field_int (load, &seed, &v, error))
    return FALSE;
  scenario->seed = (guint64) v;
  return get (load, top, &ps_schema_top[PS_SK_TOP_DURATION], &duration, error)
         && ps_field_duration (load, &duration, &scenario->duration, error);
}

static gboolean
load_proxies (PsLoad *load, const PsField *field, PsScenario *scenario,
              GError **error)
{
  guint n;

  if (!ps_field_array (load, field, &n, error))
    return FALSE;
  scenario->trusted_proxies = g_new0 (PsCidr, n);
  for (guint i = 0; i < n; i++)
    {
      g_auto (PsField) element = { 0 };

      ps_field_element (field, i, &element);
      if (!ps_field_cidr (load, &element, &scenario->trusted_proxies[i], error))
        return FALSE;
      scenario->n_trusted_proxies++;
    }
  return TRUE;
}

static gboolean
load_server (PsLoad *load, const PsField *top, PsScenario *scenario,
             GError **error)
{
  g_auto (PsField) server = { 0 };
  g_auto (PsField) workers = { 0 };
  g_auto (PsField) queue = { 0 };
  g_auto (PsField) service_time = { 0 };
  g_auto (PsField) quota = { 0 };
  g_auto (PsField) overrides = { 0 };
  g_auto (PsField) proxies = { 0 };
  guint named;

  return get (load, top, &ps_schema_top[PS_SK_TOP_SERVER], &server, error)
         && ps_field_object (load, &server, error)
         && get (load, &server, &ps_schema_server[PS_SK_SERVER_WORKERS], &workers, error)
         && ps_field_uint (load, &workers, &scenario->workers, error)
         && get (load, &server, &ps_schema_server[PS_SK_SERVER_QUEUE], &queue, error)
         && ps_field_uint (load, &queue, &scenario->queue, error)
         && get (load, &server, &ps_schema_server[PS_SK_SERVER_SERVICE_TIME],
                 &service_time, error)
         && ps_scenario_dist_load (load, &service_time, &scenario->service_time, error)
         && (ps_scenario_dist_warn_seconds (load, &service_time, &scenario->service_time), TRUE)
         && get (load, &server, &ps_schema_server[PS_SK_SERVER_QUOTA], &quota, error)
         && ps_scenario_quota_load_policies (load, &quota, NULL, 0, 0, scenario->quota,
                              &scenario->n_quota, &named, error)
         && get (load, &server, &ps_schema_server[PS_SK_SERVER_OVERRIDES],
                 &overrides, error)
         && ps_scenario_quota_load_overrides (load, &overrides, named, scenario, error)
         && get (load, &server, &ps_schema_server[PS_SK_SERVER_TRUSTED_PROXIES],
                 &proxies, error)
         && load_proxies (load, &proxies, scenario, error);
}

static gboolean
compress_from_string (const char *name, guint *out)
{
  if (g_strcmp0 (name, "none") == 0 || g_strcmp0 (name, "gzip") == 0)
    {
      *out = g_strcmp0 (name, "gzip") == 0;
      return TRUE;
    }
  return FALSE;
}

static gboolean
load_output (PsLoad *load, const PsField *top, PsScenario *scenario,
             GError **error)
{
  g_auto (PsField) output = { 0 };
  g_auto (PsField) bin = { 0 };
  g_auto (PsField) requests = { 0 };
  g_auto (PsField) attempts = { 0 };
  g_auto (PsField) compress = { 0 };
  static const char *const compress_names[] = { "none", "gzip", NULL };
  guint compress_value = 0;
  char buf[PS_DURATION_STR_LEN], bin_buf[PS_DURATION_STR_LEN];
  gint64 bins;

  if (!get (load, top, &ps_schema_top[PS_SK_TOP_OUTPUT], &output, error)
      || !ps_field_object (load, &output, error)
      || !get (load, &output, &ps_schema_output[PS_SK_OUTPUT_BIN], &bin, error)
      || !ps_field_duration (load, &bin, &scenario->bin, error))
    return FALSE;
  bins = scenario->duration / scenario->bin
         + (scenario->duration % scenario->bin != 0 ? 1 : 0);
  if (bins > PS_SCENARIO_MAX_BINS)
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_RANGE, bin.node, bin.path,
                         "%s makes %" G_GINT64_FORMAT " bins over a duration of %s "
                         "(expected at most %d bins: a longer bin)",
                         ps_duration_format (scenario->bin, bin_buf), bins,
                         ps_duration_format (scenario->duration, buf),
                         PS_SCENARIO_MAX_BINS);
  return get (load, &output, &ps_schema_output[PS_SK_OUTPUT_REQUESTS], &requests,
              error)
         && ps_field_bool (load, &requests, &scenario->write_requests, error)
         && get (load, &output, &ps_schema_output[PS_SK_OUTPUT_ATTEMPTS], &attempts,
                 error)
         && ps_field_bool (load, &attempts, &scenario->write_attempts, error)
         && get (load, &output, &ps_schema_output[PS_SK_OUTPUT_COMPRESS], &compress,
                 error)
         && ps_field_enum (load, &compress, "compression", compress_from_string,
                           compress_names, &compress_value, error)
         && (scenario->compress_gzip = compress_value == 1, TRUE);
}

/* network.latency: a one-way delay, drawn per request and per response. */
static gboolean
load_network (PsLoad *load, const PsField *top, PsScenario *scenario,
              GError **error)
{
  g_auto (PsField) network = { 0 };
  g_auto (PsField) latency = { 0 };

  return get (load, top, &ps_schema_top[PS_SK_TOP_NETWORK], &network, error)
         && ps_field_object (load, &network, error)
         && get (load, &network, &ps_schema_network[PS_SK_NETWORK_LATENCY], &latency,
                 error)
         && ps_scenario_dist_load (load, &latency, &scenario->network_latency, error);
}

static gboolean
load_document (PsLoad *load, const char *file, PsScenario *scenario,
               GError **error)
{
  PsField top = { &ps_schema_document, json_parser_get_root (load->parser), NULL,
                  (char *) "", FALSE };
  g_auto (PsField) clients = { 0 };

  if (!ps_field_object (load, &top, error)
      || !load_name (load, &top, file, scenario, error)
      || !load_basics (load, &top, scenario, error)
      || !load_server (load, &top, scenario, error)
      || !get (load, &top, &ps_schema_top[PS_SK_TOP_CLIENTS], &clients, error)
      || !ps_scenario_clients_load (load, &clients, scenario, error)
      || !load_output (load, &top, scenario, error)
      || !load_network (load, &top, scenario, error)
      || !ps_scenario_faults_load (load, &top, scenario, error))
    return FALSE;
  ps_scenario_retry_warn_latency (load, &clients, scenario);
  return ps_scenario_quota_check_overrides (load, scenario, error);
}

/* The tree as validated, with the name and seed it ran under, so that a
 * run directory can say exactly what ran. */
static void
keep_document (PsLoad *load, PsScenario *scenario)
{
  JsonNode *root = json_parser_get_root (load->parser);
  JsonObject *top = json_node_get_object (root);

  json_object_set_string_member (top, "name", scenario->name);
  json_object_set_int_member (top, "seed", (gint64) scenario->seed);
  scenario->document = json_node_ref (root);
}

/**
 * load_scenario:
 * @sets: from ps_scenario_set_parse()
 * @file: (nullable): the path as the caller gave it
 *
 * Returns: (transfer full) (nullable): the scenario, or NULL with @error.
 */
static PsScenario *
load_scenario (PsLoad *load, GPtrArray *sets, const char *file,
                  const char *data, gsize length, GError **error)
{
  g_autoptr(PsScenario) scenario = g_new0 (PsScenario, 1);

  scenario->path = g_strdup (load->file);
  if (!parse_document (load, data, length, error)
      || !ps_scenario_set_apply (load, sets, error)
      || !load_document (load, file, scenario, error))
    return NULL;
  keep_document (load, scenario);
  g_ptr_array_add (load->warnings, NULL);
  scenario->warnings = (GStrv) g_ptr_array_steal (load->warnings, NULL);
  return g_steal_pointer (&scenario);
}

/**
 * ps_scenario_read_file:
 * @out_data: (out) (transfer full): NUL-terminated
 *
 * A scenario file's bytes, as ps_scenario_load_file() reads them (bounded:
 * POOLSIM_MAX_INPUT_MB), for callers that load it many times.
 */
gboolean
ps_scenario_read_file (const char *path, char **out_data, gsize *out_length, GError **error)
{
  int saved_errno = 0;

  if (!ps_load_read_file (path, out_data, out_length, &saved_errno))
    {
      g_autofree char *why = ps_load_read_error (saved_errno);

      g_set_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_IO,
                   "%s: cannot read the file: %s", path, why);
      return FALSE;
    }
  return TRUE;
}

/**
 * ps_scenario_load_file:
 * @path: the scenario file; messages name it as given
 * @sets: (array zero-terminated=1) (nullable): "key.path=VALUE" overrides,
 *   applied to the document before validation, later ones winning
 * @error: PS_SCENARIO_ERROR, message "FILE:LINE:COL: key.path: what (expected …)"
 *
 * The --set paths are checked first, then the file is read and validated.
 *
 * Returns: (transfer full) (nullable): the scenario, every default filled.
 */
PsScenario *
ps_scenario_load_file (const char *path, const char *const *sets, GError **error)
{
  g_autoptr(PsLoad) load = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  int saved_errno = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  load = ps_load_new (path);
  if ((ops = ps_scenario_set_parse (load, sets, "--set", NULL, error)) == NULL)
    return NULL;
  if (!ps_load_read_file (path, &data, &length, &saved_errno))
    {
      g_autofree char *why = ps_load_read_error (saved_errno);

      g_set_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_IO,
                   "%s: cannot read the file: %s", path, why);
      return NULL;
    }
  return load_scenario (load, ops, path, data, length, error);
}

/**
 * ps_scenario_load_data:
 * @data: the document, UTF-8
 * @length: bytes in @data, or -1 if NUL-terminated
 * @path: (nullable): the name messages give the document ("<data>" when
 *   NULL); the scenario name defaults to its base name without ".json",
 *   or to "scenario" when NULL
 * @sets: (array zero-terminated=1) (nullable): as for ps_scenario_load_file()
 *
 * Returns: (transfer full) (nullable): the scenario, or NULL with @error.
 */
PsScenario *
ps_scenario_load_data (const char *data, gssize length, const char *path,
                       const char *const *sets, GError **error)
{
  return ps_scenario_load_varied (data, length, path, sets, NULL, error);
}

/**
 * ps_scenario_load_varied:
 * @varies: (array zero-terminated=1) (nullable): more "key.path=VALUE"
 *   overrides, applied after @sets; messages call them --vary
 *
 * As ps_scenario_load_data(), for one point of a sweep.
 */
PsScenario *
ps_scenario_load_varied (const char *data, gssize length, const char *path,
                         const char *const *sets, const char *const *varies,
                         GError **error)
{
  g_autoptr(PsLoad) load = NULL;
  g_autoptr(GPtrArray) ops = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  load = ps_load_new (path);
  if ((ops = ps_scenario_set_parse (load, sets, "--set", NULL, error)) == NULL
      || ps_scenario_set_parse (load, varies, "--vary", ops, error) == NULL)
    return NULL;
  return load_scenario (load, ops, path, data != NULL ? data : "",
                           length < 0 ? strlen (data) : (gsize) length, error);
}
