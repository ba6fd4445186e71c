/* ps-sweep-plan.c: --vary parsing, the points of a sweep and its definition
 *
 * Values are kept as the text a --set would take, so that every value is
 * validated by the scenario loader exactly as --set is (the caller loads
 * each one).  Ranges are computed from their ends, FROM + i·STEP, never by
 * accumulating a step, and durations in whole microseconds.
 */
#include "ps-sweep-plan.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "ps-duration.h"
#include "ps-rng.h"
#include "ps-scenario.h"
#include "ps-shell.h"

G_DEFINE_QUARK (ps-sweep-error-quark, ps_sweep_error)

/* Sets a PS_SWEEP_ERROR_INVALID (bad input: exit status 2); FALSE. */
gboolean
ps_sweep_invalid (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (PS_SWEEP_ERROR,
                                                 PS_SWEEP_ERROR_INVALID, format, args));
  va_end (args);
  return FALSE;
}

void
ps_sweep_axis_free (PsSweepAxis *axis)
{
  if (axis == NULL)
    return;
  g_free (axis->key);
  g_clear_pointer (&axis->values, g_ptr_array_unref);
  g_free (axis->numbers);
  g_free (axis);
}

/* A plain number ("40", "0.5", "-1e3"): TRUE and its value. */
static gboolean
parse_plain_number (const char *text, double *out)
{
  char *end = NULL;
  double v;

  if (*text == '\0' || g_ascii_isspace (*text))
    return FALSE;
  errno = 0;
  v = g_ascii_strtod (text, &end);
  if (errno != 0 || *end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
is_integer_text (const char *text)
{
  const char *p = text + (*text == '-' || *text == '+');

  return *p != '\0' && strspn (p, "0123456789") == strlen (p);
}

/* A value as a number for charts and for `find`: a plain number, or a
 * duration in seconds.  NAN when it is neither. */
static double
value_as_number (const char *text)
{
  double v;
  PsTime t;

  if (parse_plain_number (text, &v))
    return v;
  if (ps_duration_parse (text, &t) == PS_DURATION_OK)
    return (double) t / 1e6;
  return NAN;
}

/* "%.10g", locale-proof. */
static char *
format_number (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.10g", v == 0 ? 0 : v));
}

/* Seconds as the shortest decimal of whole microseconds: "0.25", "60". */
static char *
format_seconds (PsTime us)
{
  g_autofree char *text = g_strdup_printf ("%s%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT,
                                           us < 0 ? "-" : "", ABS (us) / 1000000,
                                           ABS (us) % 1000000);
  gsize len = strlen (text);

  while (text[len - 1] == '0')
    text[--len] = '\0';
  if (text[len - 1] == '.')
    text[--len] = '\0';
  return g_steal_pointer (&text);
}

typedef enum { KIND_INTEGER, KIND_REAL, KIND_DURATION } RangeKind;

typedef struct
{
  double v;              /* integer or real */
  PsTime us;             /* duration */
  gboolean has_unit;
  gboolean integer;
} RangeEnd;

static gboolean
parse_range_end (const char *text, RangeEnd *out)
{
  memset (out, 0, sizeof *out);
  if (parse_plain_number (text, &out->v))
    {
      out->integer = is_integer_text (text) && fabs (out->v) < 1e15;
      return TRUE;
    }
  if (*text != '-' && ps_duration_parse (text, &out->us) == PS_DURATION_OK)
    {
      out->has_unit = TRUE;
      return TRUE;
    }
  if (*text == '-' && ps_duration_parse (text + 1, &out->us) == PS_DURATION_OK)
    {
      out->us = -out->us;
      out->has_unit = TRUE;
      return TRUE;
    }
  return FALSE;
}

/* FROM:TO[:STEP] into @axis->values. */
static gboolean
parse_range (PsSweepAxis *axis, const char *spec, const char *option,
             const char *list, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (list, ":", -1);
  guint n_parts = g_strv_length (parts);
  RangeEnd ends[3];
  RangeKind kind = KIND_INTEGER;
  double from, to, step;
  guint64 count;

  if (n_parts < 2 || n_parts > 3)
    return ps_sweep_invalid (error, "%s %s: a range is FROM:TO or FROM:TO:STEP", option, spec);
  for (guint i = 0; i < n_parts; i++)
    {
      if (!parse_range_end (parts[i], &ends[i]))
        return ps_sweep_invalid (error, "%s %s: \"%s\" is not a number or a duration "
                        "(expected such as 40, 0.5 or 250ms)", option, spec, parts[i]);
      if (ends[i].has_unit)
        kind = KIND_DURATION;
      else if (!ends[i].integer && kind == KIND_INTEGER)
        kind = KIND_REAL;
    }
  if (kind == KIND_DURATION)
    for (guint i = 0; i < n_parts; i++)
      if (!ends[i].has_unit
          && ps_duration_from_seconds (fabs (ends[i].v), &ends[i].us) == PS_DURATION_OK)
        ends[i].us = ends[i].v < 0 ? -ends[i].us : ends[i].us;
  from = kind == KIND_DURATION ? (double) ends[0].us : ends[0].v;
  to = kind == KIND_DURATION ? (double) ends[1].us : ends[1].v;
  if (n_parts == 3)
    step = kind == KIND_DURATION ? (double) ends[2].us : ends[2].v;
  else if (kind == KIND_INTEGER)
    step = to >= from ? 1 : -1;
  else
    return ps_sweep_invalid (error, "%s %s: a range of %s needs a STEP (expected FROM:TO:STEP)",
                    option, spec, kind == KIND_DURATION ? "durations" : "fractional numbers");
  if (step == 0)
    return ps_sweep_invalid (error, "%s %s: the step is 0 (expected a step that goes from %s to %s)",
                    option, spec, parts[0], parts[1]);
  if ((to - from) * step < 0)
    return ps_sweep_invalid (error, "%s %s: the step %s goes away from %s (expected a step of "
                    "the other sign)", option, spec, parts[2], parts[1]);
  count = (guint64) floor ((to - from) / step * (1 + 1e-12) + 1e-9) + 1;
  if (count > PS_SWEEP_MAX_VALUES)
    return ps_sweep_invalid (error, "%s %s: %" G_GUINT64_FORMAT " values (expected at most %d)",
                    option, spec, count, PS_SWEEP_MAX_VALUES);
  for (guint64 i = 0; i < count; i++)
    {
      double v = from + (double) i * step;

      if (kind == KIND_DURATION)
        g_ptr_array_add (axis->values, format_seconds ((PsTime) llround (v)));
      else if (kind == KIND_INTEGER)
        g_ptr_array_add (axis->values, g_strdup_printf ("%.0f", v));
      else
        g_ptr_array_add (axis->values, format_number (v));
    }
  return TRUE;
}

/* Splits at commas outside quotes and brackets, so that JSON values
 * ({"limit":60,"window":"1m"}) can be listed too. */
static GPtrArray *
split_list (const char *list)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  const char *start = list;
  int depth = 0;
  gboolean quoted = FALSE;

  for (const char *p = list;; p++)
    {
      if (*p == '\0' || (*p == ',' && depth == 0 && !quoted))
        {
          g_ptr_array_add (out, g_strndup (start, (gsize) (p - start)));
          if (*p == '\0')
            break;
          start = p + 1;
        }
      else if (*p == '"' && (p == list || p[-1] != '\\'))
        quoted = !quoted;
      else if (!quoted && (*p == '{' || *p == '['))
        depth++;
      else if (!quoted && (*p == '}' || *p == ']'))
        depth--;
    }
  return out;
}

static gboolean
looks_like_range (const char *list)
{
  return strchr (list, ':') != NULL && strpbrk (list, ",{[\"") == NULL;
}

/**
 * ps_sweep_axis_parse:
 * @spec: "KEY=a,b,c" or "KEY=FROM:TO[:STEP]"
 * @option: what messages call it, "--vary"
 * @ranges_only: a list is an error (find searches a range)
 *
 * Parses the shape only; the key and the values are checked by loading
 * the scenario with them.
 */
PsSweepAxis *
ps_sweep_axis_parse (const char *spec, const char *option, gboolean ranges_only,
                     GError **error)
{
  g_autoptr(PsSweepAxis) axis = g_new0 (PsSweepAxis, 1);
  const char *equals = strchr (spec, '=');
  const char *list;

  if (!g_utf8_validate (spec, -1, NULL))
    return ps_sweep_invalid (error, "%s: not valid UTF-8", option), NULL;
  if (equals == NULL || equals == spec)
    return ps_sweep_invalid (error, "%s %s: expected KEY=a,b,c or KEY=FROM:TO:STEP", option, spec),
           NULL;
  axis->key = g_strndup (spec, (gsize) (equals - spec));
  axis->values = g_ptr_array_new_with_free_func (g_free);
  list = equals + 1;
  if (*list == '\0')
    return ps_sweep_invalid (error, "%s %s: no values (expected KEY=a,b,c or KEY=FROM:TO:STEP)",
                    option, spec), NULL;
  if (looks_like_range (list))
    {
      if (!parse_range (axis, spec, option, list, error))
        return NULL;
    }
  else if (ranges_only)
    return ps_sweep_invalid (error, "%s %s: expected a range, KEY=FROM:TO or KEY=FROM:TO:STEP",
                    option, spec), NULL;
  else
    {
      g_autoptr(GPtrArray) items = split_list (list);

      if (items->len > PS_SWEEP_MAX_VALUES)
        return ps_sweep_invalid (error, "%s %s: %u values (expected at most %d)", option, spec,
                        items->len, PS_SWEEP_MAX_VALUES), NULL;
      for (guint i = 0; i < items->len; i++)
        {
          const char *item = items->pdata[i];

          if (*item == '\0')
            return ps_sweep_invalid (error, "%s %s: value %u of the list is empty", option,
                            spec, i + 1), NULL;
          for (guint j = 0; j < i; j++)
            if (strcmp (item, items->pdata[j]) == 0)
              return ps_sweep_invalid (error, "%s %s: \"%s\" is listed twice", option, spec,
                              item), NULL;
          g_ptr_array_add (axis->values, g_strdup (item));
        }
    }
  axis->numbers = g_new (double, axis->values->len);
  axis->numeric = TRUE;
  for (guint i = 0; i < axis->values->len; i++)
    {
      axis->numbers[i] = value_as_number (axis->values->pdata[i]);
      axis->numeric = axis->numeric && !isnan (axis->numbers[i]);
    }
  return g_steal_pointer (&axis);
}

PsSweepPlan *
ps_sweep_plan_new (void)
{
  PsSweepPlan *plan = g_new0 (PsSweepPlan, 1);

  plan->axes = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_sweep_axis_free);
  plan->metrics = g_ptr_array_new_with_free_func (g_free);
  plan->reps = 10;
  plan->reps_max = 100;
  return plan;
}

void
ps_sweep_plan_free (PsSweepPlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->scenario_path);
  g_free (plan->scenario_name);
  g_free (plan->scenario_data);
  g_free (plan->scenario_sha256);
  g_strfreev (plan->sets);
  g_ptr_array_unref (plan->axes);
  g_free (plan->precision_metric);
  g_ptr_array_unref (plan->metrics);
  g_free (plan);
}

/* Reads the scenario file once: every run loads its point from these bytes. */
gboolean
ps_sweep_plan_read_scenario (PsSweepPlan *plan, const char *path, GError **error)
{
  g_clear_pointer (&plan->scenario_data, g_free);
  if (!ps_scenario_read_file (path, &plan->scenario_data, &plan->scenario_length, error))
    return FALSE;
  g_free (plan->scenario_path);
  plan->scenario_path = g_strdup (path);
  g_free (plan->scenario_sha256);
  plan->scenario_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                       (const guchar *) plan->scenario_data,
                                                       plan->scenario_length);
  return TRUE;
}

gboolean
ps_sweep_plan_count_points (PsSweepPlan *plan, GError **error)
{
  guint64 n = 1;

  for (guint i = 0; i < plan->axes->len; i++)
    {
      const PsSweepAxis *axis = plan->axes->pdata[i];

      for (guint j = 0; j < i; j++)
        if (strcmp (((PsSweepAxis *) plan->axes->pdata[j])->key, axis->key) == 0)
          return ps_sweep_invalid (error, "--vary %s: the key is varied twice", axis->key);
      n *= axis->values->len;
      if (n > PS_SWEEP_MAX_POINTS)
        return ps_sweep_invalid (error, "--vary: the keys make more than %d points", PS_SWEEP_MAX_POINTS);
    }
  plan->n_points = (guint) n;
  return TRUE;
}

/* Which value of @axis @point has: mixed radix, the last axis fastest. */
guint
ps_sweep_plan_value_index (const PsSweepPlan *plan, guint point, guint axis)
{
  for (guint i = plan->axes->len; i-- > axis + 1;)
    point /= ((PsSweepAxis *) plan->axes->pdata[i])->values->len;
  return point % ((PsSweepAxis *) plan->axes->pdata[axis])->values->len;
}

const char *
ps_sweep_plan_value (const PsSweepPlan *plan, guint point, guint axis)
{
  const PsSweepAxis *a = plan->axes->pdata[axis];

  return a->values->pdata[ps_sweep_plan_value_index (plan, point, axis)];
}

/* --baseline KEY=VALUE,...: the point with those values (the first value
 * of every key not named). */
gboolean
ps_sweep_plan_set_baseline (PsSweepPlan *plan, const char *spec, GError **error)
{
  g_autoptr(GPtrArray) items = NULL;
  guint index[64] = { 0 };
  guint point = 0;

  plan->baseline = 0;
  if (spec == NULL)
    return TRUE;
  if (plan->axes->len > G_N_ELEMENTS (index))
    return ps_sweep_invalid (error, "--baseline: too many varied keys");
  items = split_list (spec);
  for (guint i = 0; i < items->len; i++)
    {
      const char *item = items->pdata[i];
      const char *equals = strchr (item, '=');
      g_autofree char *key = equals ? g_strndup (item, (gsize) (equals - item)) : NULL;
      gboolean found = FALSE;

      if (equals == NULL)
        return ps_sweep_invalid (error, "--baseline %s: expected KEY=VALUE,...", spec);
      for (guint a = 0; a < plan->axes->len && !found; a++)
        {
          const PsSweepAxis *axis = plan->axes->pdata[a];

          if (strcmp (axis->key, key) != 0)
            continue;
          found = TRUE;
          if (!g_ptr_array_find_with_equal_func (axis->values, equals + 1, g_str_equal,
                                                 &index[a]))
            return ps_sweep_invalid (error, "--baseline %s: %s is not one of the values of %s",
                            spec, equals + 1, key);
        }
      if (!found)
        return ps_sweep_invalid (error, "--baseline %s: %s is not a varied key", spec, key);
    }
  for (guint a = 0; a < plan->axes->len; a++)
    point = point * ((PsSweepAxis *) plan->axes->pdata[a])->values->len + index[a];
  plan->baseline = point;
  return TRUE;
}

/* The point's values as "KEY=VALUE" overrides. */
GStrv
ps_sweep_plan_point_sets (const PsSweepPlan *plan, guint point)
{
  GStrv sets = g_new0 (char *, plan->axes->len + 1);

  for (guint a = 0; a < plan->axes->len; a++)
    sets[a] = g_strdup_printf ("%s=%s", ((PsSweepAxis *) plan->axes->pdata[a])->key,
                               ps_sweep_plan_value (plan, point, a));
  return sets;
}

/* `poolsim run ...` that repeats one run of the sweep on its own. */
char *
ps_sweep_plan_run_command (const PsSweepPlan *plan, guint point, guint64 seed)
{
  GString *line = g_string_new ("poolsim run");
  g_auto(GStrv) sets = ps_sweep_plan_point_sets (plan, point);
  char seed_text[24];

  ps_shell_append_word (line, plan->scenario_path);
  g_snprintf (seed_text, sizeof seed_text, "%" G_GUINT64_FORMAT, seed);
  ps_shell_append_word (line, "--seed");
  ps_shell_append_word (line, seed_text);
  for (char **s = plan->sets; s != NULL && *s != NULL; s++)
    {
      ps_shell_append_word (line, "--set");
      ps_shell_append_word (line, *s);
    }
  for (char **s = sets; *s != NULL; s++)
    {
      ps_shell_append_word (line, "--set");
      ps_shell_append_word (line, *s);
    }
  return g_string_free (line, FALSE);
}

/**
 * ps_sweep_seed:
 *
 * The seed of replication @rep: the scenario's own for rep 0 (so that
 * replication 0 is the plain run), then splitmix64 draws from it, kept
 * within what --seed accepts.
 */
guint64
ps_sweep_seed (guint64 scenario_seed, guint rep)
{
  guint64 state = scenario_seed ^ ((guint64) rep * G_GUINT64_CONSTANT (0xD1B54A32D192ED03));

  if (rep == 0)
    return scenario_seed;
  return ps_rng_splitmix64 (&state) & (guint64) G_MAXINT64;
}

/* The definition, as sweep.json and every shard record it. */
JsonNode *
ps_sweep_plan_definition (const PsSweepPlan *plan)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scenario");
  json_builder_add_string_value (b, plan->scenario_name);
  json_builder_set_member_name (b, "scenario_file");
  json_builder_add_string_value (b, plan->scenario_path);
  json_builder_set_member_name (b, "scenario_sha256");
  json_builder_add_string_value (b, plan->scenario_sha256);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) plan->seed);
  json_builder_set_member_name (b, "sets");
  json_builder_begin_array (b);
  for (char **s = plan->sets; s != NULL && *s != NULL; s++)
    json_builder_add_string_value (b, *s);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "vary");
  json_builder_begin_array (b);
  for (guint a = 0; a < plan->axes->len; a++)
    {
      const PsSweepAxis *axis = plan->axes->pdata[a];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, axis->key);
      json_builder_set_member_name (b, "values");
      json_builder_begin_array (b);
      for (guint i = 0; i < axis->values->len; i++)
        json_builder_add_string_value (b, axis->values->pdata[i]);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "points");
  json_builder_add_int_value (b, plan->n_points);
  json_builder_set_member_name (b, "baseline");
  json_builder_add_int_value (b, plan->baseline);
  json_builder_set_member_name (b, "reps");
  if (plan->reps_auto)
    json_builder_add_string_value (b, "auto");
  else
    json_builder_add_int_value (b, plan->reps);
  if (plan->reps_auto)
    {
      json_builder_set_member_name (b, "reps_first");
      json_builder_add_int_value (b, plan->reps);
      json_builder_set_member_name (b, "reps_max");
      json_builder_add_int_value (b, plan->reps_max);
      json_builder_set_member_name (b, "precision");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "metric");
      json_builder_add_string_value (b, plan->precision_metric);
      json_builder_set_member_name (b, "half_width");
      json_builder_add_double_value (b, plan->precision);
      json_builder_set_member_name (b, "relative");
      json_builder_add_boolean_value (b, plan->precision_relative);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "metrics");
  json_builder_begin_array (b);
  for (guint i = 0; i < plan->metrics->len; i++)
    json_builder_add_string_value (b, plan->metrics->pdata[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static const char *
string_member (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n)
         && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
}

static gboolean
int_member (JsonObject *o, const char *key, gint64 *out)
{
  JsonNode *n = json_object_get_member (o, key);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (n);
  return TRUE;
}

static JsonArray *
array_member (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);

  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static GPtrArray *
strings_of (JsonArray *array)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *n = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
        {
          g_ptr_array_unref (out);
          return NULL;
        }
      g_ptr_array_add (out, g_strdup (json_node_get_string (n)));
    }
  return out;
}

/**
 * ps_sweep_plan_from_definition:
 *
 * The plan a shard recorded, for `merge`: enough to write the tables,
 * without the scenario file.
 */
PsSweepPlan *
ps_sweep_plan_from_definition (JsonNode *definition, GError **error)
{
  g_autoptr(PsSweepPlan) plan = ps_sweep_plan_new ();
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (definition) ? json_node_get_object (definition) : NULL;
  JsonArray *vary = o ? array_member (o, "vary") : NULL;
  g_autoptr(GPtrArray) sets = NULL;
  g_autoptr(GPtrArray) metrics = NULL;
  gint64 seed, points, baseline, reps = 0;
  JsonNode *reps_node = o ? json_object_get_member (o, "reps") : NULL;

  if (o == NULL || vary == NULL || !string_member (o, "scenario")
      || !string_member (o, "scenario_file") || !string_member (o, "scenario_sha256")
      || !int_member (o, "seed", &seed) || !int_member (o, "points", &points)
      || !int_member (o, "baseline", &baseline) || reps_node == NULL
      || (sets = strings_of (array_member (o, "sets"))) == NULL
      || (metrics = strings_of (array_member (o, "metrics"))) == NULL)
    return ps_sweep_invalid (error, "not a sweep definition"), NULL;
  plan->scenario_name = g_strdup (string_member (o, "scenario"));
  plan->scenario_path = g_strdup (string_member (o, "scenario_file"));
  plan->scenario_sha256 = g_strdup (string_member (o, "scenario_sha256"));
  plan->seed = (guint64) seed;
  g_ptr_array_add (sets, NULL);
  plan->sets = (GStrv) g_ptr_array_steal (sets, NULL);
  for (guint i = 0; i < metrics->len; i++)
    g_ptr_array_add (plan->metrics, g_strdup (metrics->pdata[i]));
  for (guint a = 0; a < json_array_get_length (vary); a++)
    {
      JsonNode *n = json_array_get_element (vary, a);
      JsonObject *ao = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      g_autoptr(GPtrArray) values = ao ? strings_of (array_member (ao, "values")) : NULL;
      PsSweepAxis *axis;

      if (ao == NULL || values == NULL || values->len == 0 || !string_member (ao, "key"))
        return ps_sweep_invalid (error, "not a sweep definition (vary)"), NULL;
      axis = g_new0 (PsSweepAxis, 1);
      axis->key = g_strdup (string_member (ao, "key"));
      axis->values = g_ptr_array_ref (values);
      axis->numbers = g_new (double, values->len);
      axis->numeric = TRUE;
      for (guint i = 0; i < values->len; i++)
        {
          axis->numbers[i] = value_as_number (values->pdata[i]);
          axis->numeric = axis->numeric && !isnan (axis->numbers[i]);
        }
      g_ptr_array_add (plan->axes, axis);
    }
  if (!ps_sweep_plan_count_points (plan, error))
    return NULL;
  if (plan->n_points != (guint64) points || baseline < 0 || baseline >= points)
    return ps_sweep_invalid (error, "not a sweep definition (points)"), NULL;
  plan->baseline = (guint) baseline;
  if (JSON_NODE_HOLDS_VALUE (reps_node) && json_node_get_value_type (reps_node) == G_TYPE_INT64)
    reps = json_node_get_int (reps_node);
  if (reps < 1 || reps > PS_SWEEP_MAX_REPS)
    return ps_sweep_invalid (error, "not a sweep definition (reps: merge needs a fixed --reps)"), NULL;
  plan->reps = (guint) reps;
  return g_steal_pointer (&plan);
}
