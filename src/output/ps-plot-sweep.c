/* ps-plot-sweep.c: the charts of a sweep directory, drawn by gnuplot
 *
 * Reads sweep.json (the varied keys and their values, the baseline, the
 * metrics), points.csv and compare.csv; writes plot-sweep-points.csv,
 * plot-sweep-compare.csv and plot-sweep-meta.gp beside them, then draws
 * sweep_metrics and sweep_compare through the run charts' gnuplot runner
 * (ps-plot.c).  The layout (lines or bars, which key is on the x axis,
 * how tick labels and the legend fit) is decided here, in pixels of a
 * 1600×900 image; the scripts place the panels with the same constants.
 */
#include "ps-plot-private.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define SWEEP_MAX_PANELS       9
#define SWEEP_MAX_LINE_SERIES 24    /* 12 colours × point types */
#define SWEEP_MAX_BAR_SERIES  12    /* bars in one group, one colour each */
#define SWEEP_MAX_GROUPS      60    /* groups of bars */
#define SWEEP_MAX_DATA_TICS   16    /* more x values: automatic tics */
#define SWEEP_MAX_ENTRIES    120    /* points on the compare chart */
#define SWEEP_N_COLOURS       12
#define SWEEP_N_POINT_TYPES    6
#define SWEEP_TIC_CHARS       24    /* tick labels are cut to this */
#define SWEEP_LEGEND_CHARS    70

/* Geometry shared with plots/sweep_*.gp, in pixels of a 1600×900 image. */
#define IMAGE_W_PX       1600.0
#define EDGE_PX            20.0     /* left and right of the panel grid */
#define YTICS_PX           80.0     /* left of a panel, for its y tick labels */
#define PANEL_GAP_PX       30.0     /* right of a panel */
#define TIC_FONT           11       /* points, DejaVu Sans */
#define TIC_FONT_SMALL      9       /* when they do not fit otherwise */
#define TIC_CHAR_PX         8.2     /* at TIC_FONT: digits, some capitals */
#define TIC_LINE_PX        17.0
#define KEY_CHAR_PX         8.4     /* DejaVu Sans 12, the legend's names */
#define KEY_SAMPLE_PX      80.0     /* a legend entry's sample and gaps */
#define LABEL_CHAR_PX       8.9     /* DejaVu Sans 12, an axis label */

typedef struct
{
  char      *key;
  GPtrArray *values;          /* (element-type utf8) as in sweep.json */
  double    *numbers;         /* each value as a number; NaN if not */
  gboolean   numeric;         /* every value is a number or a duration */
  gboolean   has_unit;        /* some value is a duration with its unit */
  guint      stride;          /* points from one value to the next */
} Axis;

typedef struct
{
  char      *scenario;
  char      *seed;
  char      *sets;            /* "duration=2m, …" or NULL */
  gboolean   reps_auto;
  GPtrArray *axes;            /* (element-type Axis) */
  GPtrArray *metrics;         /* (element-type utf8) */
  guint      n_points;
  guint      baseline;

  /* points.csv, [point] and [point * n_metrics + metric] */
  gboolean  *has_point;
  guint64   *n;
  double    *mean;
  double    *ci;
  /* compare.csv, alike; significant is 1, 0 or -1 (unknown) */
  gboolean   has_compare;
  guint64   *pairs;
  double    *diff;
  double    *diff_ci;
  gint8     *significant;
} Sweep;

/* How the x tick labels of a chart are drawn. */
typedef struct
{
  int    rotate;              /* degrees */
  int    font;                /* points */
  guint  every;               /* label every k-th tick */
  double px;                  /* room under the axis */
} Tics;

/* What the charts show and where. */
typedef struct
{
  guint      n_panels;        /* metrics drawn: the first ones */
  guint      cols;
  guint      rows;

  gboolean   lines;           /* x is a numeric key; else groups of bars */
  guint      x_axis;
  guint     *x_order;         /* value indices of x_axis, left to right */
  guint      n_x;             /* drawn */
  guint      n_series;        /* drawn */
  guint      series_rest;     /* lines: series per colour, 0 when colours cycle */
  gboolean   has_unknown_ci;

  GArray    *entries;         /* (element-type guint) points on sweep_compare */
  gboolean   has_unknown_significance;
} Layout;

static void
axis_free (gpointer data)
{
  Axis *axis = data;

  g_free (axis->key);
  g_ptr_array_unref (axis->values);
  g_free (axis->numbers);
  g_free (axis);
}

static void
sweep_clear (Sweep *sw)
{
  g_free (sw->scenario);
  g_free (sw->seed);
  g_free (sw->sets);
  g_clear_pointer (&sw->axes, g_ptr_array_unref);
  g_clear_pointer (&sw->metrics, g_ptr_array_unref);
  g_free (sw->has_point);
  g_free (sw->n);
  g_free (sw->mean);
  g_free (sw->ci);
  g_free (sw->pairs);
  g_free (sw->diff);
  g_free (sw->diff_ci);
  g_free (sw->significant);
}

static void
layout_clear (Layout *layout)
{
  g_free (layout->x_order);
  g_clear_pointer (&layout->entries, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sweep, sweep_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Layout, layout_clear)

static gboolean
bad_data (GError    **error,
          const char *format,
          ...) G_GNUC_PRINTF (2, 3);

static gboolean
bad_data (GError    **error,
          const char *format,
          ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (PS_PLOT_ERROR,
                                                PS_PLOT_ERROR_BAD_DATA,
                                                format, args));
  va_end (args);
  return FALSE;
}

static Axis *
axis_at (const Sweep *sw,
         guint        a)
{
  return g_ptr_array_index (sw->axes, a);
}

static const char *
metric_at (const Sweep *sw,
           guint        m)
{
  return g_ptr_array_index (sw->metrics, m);
}

static guint
value_index (const Sweep *sw,
             guint        point,
             guint        a)
{
  const Axis *axis = axis_at (sw, a);

  return point / axis->stride % axis->values->len;
}

static const char *
value_at (const Sweep *sw,
          guint        point,
          guint        a)
{
  return g_ptr_array_index (axis_at (sw, a)->values, value_index (sw, point, a));
}

/* A varied value as a number, as `poolsim sweep` reads one: a plain
 * number, or a duration with its unit, in seconds. */
static gboolean
value_number (const char *text,
              double     *out_value,
              gboolean   *out_unit)
{
  static const struct
  {
    const char *unit;
    double      seconds;
  } units[] = {
    { "us", 1e-6 }, { "ms", 1e-3 }, { "s", 1.0 }, { "m", 60.0 }, { "h", 3600.0 },
  };
  char *end = NULL;
  double v;

  if (*text == '\0' || g_ascii_isspace (*text))
    return FALSE;
  errno = 0;
  v = g_ascii_strtod (text, &end);
  if (end == text || errno != 0 || !isfinite (v))
    return FALSE;
  *out_unit = (*end != '\0');
  if (*end == '\0')
    {
      *out_value = v;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (end, units[i].unit) == 0 && g_ascii_isdigit (*text))
      {
        *out_value = v * units[i].seconds;
        return TRUE;
      }
  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* Reading                                                                */
/* ---------------------------------------------------------------------- */

static char *
member_text (JsonObject *object,
             const char *name)
{
  return ps_plot_json_text (json_object_get_member (object, name));
}

/* A member that must be an array of strings. */
static GPtrArray *
member_strings (JsonObject  *object,
                const char  *name,
                const char  *where,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return bad_data (error, "sweep.json: %s.%s: expected an array of strings",
                     where, name), NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element)
          || json_node_get_value_type (element) != G_TYPE_STRING)
        return bad_data (error, "sweep.json: %s.%s[%u]: expected a string",
                         where, name, i), NULL;
      g_ptr_array_add (out, g_strdup (json_node_get_string (element)));
    }
  return g_steal_pointer (&out);
}

static gboolean
member_count (JsonObject  *object,
              const char  *name,
              guint64      max,
              guint64     *out_value,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 0 || (guint64) json_node_get_int (node) > max)
    return bad_data (error, "sweep.json: definition.%s: expected an integer "
                     "0 to %" G_GUINT64_FORMAT, name, max);
  *out_value = (guint64) json_node_get_int (node);
  return TRUE;
}

static gboolean
read_axes (Sweep       *sw,
           JsonObject  *definition,
           GError     **error)
{
  JsonNode *vary = json_object_get_member (definition, "vary");
  JsonArray *array;
  guint64 n_points = 1;

  if (vary == NULL || !JSON_NODE_HOLDS_ARRAY (vary)
      || json_array_get_length (json_node_get_array (vary)) == 0)
    return bad_data (error, "sweep.json: definition.vary: expected an array "
                     "of the varied keys");
  array = json_node_get_array (vary);
  sw->axes = g_ptr_array_new_with_free_func (axis_free);
  for (guint a = 0; a < json_array_get_length (array); a++)
    {
      JsonNode *node = json_array_get_element (array, a);
      g_autofree char *where = g_strdup_printf ("definition.vary[%u]", a);
      JsonObject *object;
      Axis *axis;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return bad_data (error, "sweep.json: %s: expected an object", where);
      object = json_node_get_object (node);
      axis = g_new0 (Axis, 1);
      g_ptr_array_add (sw->axes, axis);
      axis->key = member_text (object, "key");
      if (axis->key == NULL)
        return bad_data (error, "sweep.json: %s.key: expected a string", where);
      axis->values = member_strings (object, "values", where, error);
      if (axis->values == NULL)
        return FALSE;
      if (axis->values->len == 0)
        return bad_data (error, "sweep.json: %s.values: empty", where);
      n_points *= axis->values->len;
      if (n_points > G_MAXINT32)
        return bad_data (error, "sweep.json: too many points");
      axis->numbers = g_new (double, axis->values->len);
      axis->numeric = TRUE;
      for (guint i = 0; i < axis->values->len; i++)
        {
          gboolean unit = FALSE;

          if (!value_number (axis->values->pdata[i], &axis->numbers[i], &unit))
            {
              axis->numbers[i] = NAN;
              axis->numeric = FALSE;
            }
          axis->has_unit |= unit;
        }
    }
  sw->n_points = (guint) n_points;
  for (guint a = sw->axes->len, stride = 1; a-- > 0;)
    {
      axis_at (sw, a)->stride = stride;
      stride *= axis_at (sw, a)->values->len;
    }
  return TRUE;
}

static gboolean
read_sweep_json (Sweep       *sw,
                 const char  *dir,
                 GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "sweep.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root, *node;
  JsonObject *definition;
  guint64 value;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_NOT_RUN_DIR,
                        "%s: no such directory", dir), FALSE;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_NOT_RUN_DIR,
                        "%s: not a sweep directory (no sweep.json)", dir), FALSE;
  if (!json_parser_load_from_file (parser, path, &local_error))
    return bad_data (error, "sweep.json: %s", local_error->message);
  root = json_parser_get_root (parser);
  node = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
         ? json_object_get_member (json_node_get_object (root), "definition")
         : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return bad_data (error, "sweep.json: no \"definition\" object");
  definition = json_node_get_object (node);
  sw->scenario = member_text (definition, "scenario");
  sw->seed = member_text (definition, "seed");
  {
    g_autofree char *reps = member_text (definition, "reps");

    sw->reps_auto = g_strcmp0 (reps, "auto") == 0;
  }
  if (json_object_has_member (definition, "sets"))
    {
      g_autoptr(GPtrArray) sets = member_strings (definition, "sets",
                                                  "definition", error);

      if (sets == NULL)
        return FALSE;
      if (sets->len > 0)
        {
          g_ptr_array_add (sets, NULL);
          sw->sets = g_strjoinv (", ", (char **) sets->pdata);
        }
    }
  if (!read_axes (sw, definition, error))
    return FALSE;
  sw->metrics = member_strings (definition, "metrics", "definition", error);
  if (sw->metrics == NULL)
    return FALSE;
  if (json_object_has_member (definition, "points"))
    {
      if (!member_count (definition, "points", G_MAXINT32, &value, error))
        return FALSE;
      if (value != sw->n_points)
        return bad_data (error, "sweep.json: definition.points is %" G_GUINT64_FORMAT
                         ", but the varied values make %u", value, sw->n_points);
    }
  if (!member_count (definition, "baseline", sw->n_points - 1, &value, error))
    return FALSE;
  sw->baseline = (guint) value;
  return TRUE;
}

static gboolean
file_exists (const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* A number, or NaN for an empty cell. */
static gboolean
get_double (const PsCsvReader  *csv,
            int                 index,
            double             *out_value,
            GError            **error)
{
  const char *text = ps_csv_reader_get (csv, index);
  char *end = NULL;

  *out_value = NAN;
  if (*text == '\0')
    return TRUE;
  *out_value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
    return ps_csv_reader_bad_value (csv, index, error);
  return TRUE;
}

/* The point a row of points.csv or compare.csv stands for. */
static gboolean
row_point (const Sweep        *sw,
           const PsCsvReader  *csv,
           const int          *key_column,
           guint              *out_point,
           GError            **error)
{
  guint point = 0;

  for (guint a = 0; a < sw->axes->len; a++)
    {
      const Axis *axis = axis_at (sw, a);
      const char *text = ps_csv_reader_get (csv, key_column[a]);
      guint i;

      for (i = 0; i < axis->values->len; i++)
        if (strcmp (text, axis->values->pdata[i]) == 0)
          break;
      if (i == axis->values->len)
        return bad_data (error, "%s:%" G_GUINT64_FORMAT ": %s: \"%s\" is not one "
                         "of its values in sweep.json", csv->name, csv->line_no,
                         axis->key, text);
      point += i * axis->stride;
    }
  *out_point = point;
  return TRUE;
}

/* Opens @name and finds the key columns, "n", then each metric's columns
 * with @suffixes (NULL-terminated) in @out_columns. */
static PsCsvReader *
open_table (const Sweep        *sw,
            const char         *dir,
            const char         *name,
            const char * const *suffixes,
            int                *out_columns,
            GError            **error)
{
  g_autoptr(PsCsvReader) csv = ps_csv_reader_open (dir, name, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (csv == NULL)
    return NULL;
  for (guint a = 0; a < sw->axes->len; a++)
    g_ptr_array_add (names, g_strdup (axis_at (sw, a)->key));
  g_ptr_array_add (names, g_strdup ("n"));
  for (guint m = 0; m < sw->metrics->len; m++)
    for (guint s = 0; suffixes[s] != NULL; s++)
      g_ptr_array_add (names, g_strconcat (metric_at (sw, m), suffixes[s], NULL));
  g_ptr_array_add (names, NULL);
  if (!ps_csv_reader_columns (csv, (const char * const *) names->pdata,
                              out_columns, error))
    return NULL;
  return g_steal_pointer (&csv);
}

static gboolean
read_points (Sweep       *sw,
             const char  *dir,
             GError     **error)
{
  static const char * const suffixes[] = { ".mean", ".ci95", NULL };
  guint n_axes = sw->axes->len, n_metrics = sw->metrics->len;
  g_autofree int *column = g_new (int, n_axes + 1 + 2 * n_metrics);
  g_autoptr(PsCsvReader) csv = NULL;
  g_autoptr(GError) local_error = NULL;

  sw->has_point = g_new0 (gboolean, sw->n_points);
  sw->n = g_new0 (guint64, sw->n_points);
  sw->mean = g_new (double, (gsize) sw->n_points * MAX (n_metrics, 1));
  sw->ci = g_new (double, (gsize) sw->n_points * MAX (n_metrics, 1));
  for (gsize i = 0; i < (gsize) sw->n_points * n_metrics; i++)
    sw->mean[i] = sw->ci[i] = NAN;
  if (!file_exists (dir, "points.csv"))
    return g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_NOT_RUN_DIR,
                        "%s: not a finished sweep (no points.csv)", dir), FALSE;
  csv = open_table (sw, dir, "points.csv", suffixes, column, error);
  if (csv == NULL)
    return FALSE;
  while (ps_csv_reader_next (csv, &local_error))
    {
      guint p;

      if (!row_point (sw, csv, column, &p, error)
          || !ps_csv_reader_get_u64 (csv, column[n_axes], &sw->n[p], error))
        return FALSE;
      sw->has_point[p] = TRUE;
      for (guint m = 0; m < n_metrics; m++)
        if (!get_double (csv, column[n_axes + 1 + 2 * m],
                         &sw->mean[(gsize) p * n_metrics + m], error)
            || !get_double (csv, column[n_axes + 2 + 2 * m],
                            &sw->ci[(gsize) p * n_metrics + m], error))
          return FALSE;
    }
  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
  return TRUE;
}

static gboolean
read_compare (Sweep       *sw,
              const char  *dir,
              GError     **error)
{
  static const char * const suffixes[] = { ".diff", ".diff_ci95", ".significant", NULL };
  guint n_axes = sw->axes->len, n_metrics = sw->metrics->len;
  g_autofree int *column = g_new (int, n_axes + 1 + 3 * n_metrics);
  g_autoptr(PsCsvReader) csv = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize n_cells = (gsize) sw->n_points * MAX (n_metrics, 1);

  if (!file_exists (dir, "compare.csv"))
    return TRUE;                        /* a note says so; not an error */
  sw->has_compare = TRUE;
  sw->pairs = g_new0 (guint64, sw->n_points);
  sw->diff = g_new (double, n_cells);
  sw->diff_ci = g_new (double, n_cells);
  sw->significant = g_new (gint8, n_cells);
  for (gsize i = 0; i < n_cells; i++)
    {
      sw->diff[i] = sw->diff_ci[i] = NAN;
      sw->significant[i] = -1;
    }
  csv = open_table (sw, dir, "compare.csv", suffixes, column, error);
  if (csv == NULL)
    return FALSE;
  while (ps_csv_reader_next (csv, &local_error))
    {
      guint p;

      if (!row_point (sw, csv, column, &p, error)
          || !ps_csv_reader_get_u64 (csv, column[n_axes], &sw->pairs[p], error))
        return FALSE;
      for (guint m = 0; m < n_metrics; m++)
        {
          gsize cell = (gsize) p * n_metrics + m;
          int sig_column = column[n_axes + 3 + 3 * m];
          const char *sig = ps_csv_reader_get (csv, sig_column);

          if (!get_double (csv, column[n_axes + 1 + 3 * m], &sw->diff[cell], error)
              || !get_double (csv, column[n_axes + 2 + 3 * m], &sw->diff_ci[cell],
                              error))
            return FALSE;
          if (strcmp (sig, "true") == 0)
            sw->significant[cell] = 1;
          else if (strcmp (sig, "false") == 0)
            sw->significant[cell] = 0;
          else if (*sig != '\0')
            return ps_csv_reader_bad_value (csv, sig_column, error);
        }
    }
  if (local_error != NULL)
    return g_propagate_error (error, g_steal_pointer (&local_error)), FALSE;
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Layout                                                                 */
/* ---------------------------------------------------------------------- */

static double
mean_at (const Sweep *sw,
         guint        point,
         guint        m)
{
  return sw->mean[(gsize) point * sw->metrics->len + m];
}

static double
ci_at (const Sweep *sw,
       guint        point,
       guint        m)
{
  return sw->ci[(gsize) point * sw->metrics->len + m];
}

/* The points of series @s, in the order of layout->x_order. */
static guint
series_point (const Sweep  *sw,
              const Layout *layout,
              guint         s,
              guint         xi)
{
  guint point = 0;

  for (guint a = sw->axes->len; a-- > 0;)
    {
      const Axis *axis = axis_at (sw, a);

      if (a == layout->x_axis)
        continue;
      point += (s % axis->values->len) * axis->stride;
      s /= axis->values->len;
    }
  return point + layout->x_order[xi] * axis_at (sw, layout->x_axis)->stride;
}

static guint
count_series (const Sweep *sw,
              guint        x_axis)
{
  return sw->n_points / axis_at (sw, x_axis)->values->len;
}

static int
by_number (gconstpointer a,
           gconstpointer b,
           gpointer      data)
{
  const double *numbers = data;
  double x = numbers[*(const guint *) a], y = numbers[*(const guint *) b];

  if (x != y)
    return x < y ? -1 : 1;
  return *(const guint *) a < *(const guint *) b ? -1 : 1;   /* stable */
}

static void
choose_layout (const Sweep *sw,
               Layout      *layout,
               GPtrArray   *notes)
{
  guint n_series, max_series;
  const Axis *x;

  layout->n_panels = MIN (sw->metrics->len, SWEEP_MAX_PANELS);
  layout->cols = layout->n_panels <= 3 ? MAX (layout->n_panels, 1)
                 : layout->n_panels == 4 ? 2 : 3;
  layout->rows = (MAX (layout->n_panels, 1) + layout->cols - 1) / layout->cols;
  if (sw->metrics->len > SWEEP_MAX_PANELS && notes != NULL)
    {
      g_autoptr(GString) left_out = g_string_new (NULL);

      for (guint m = SWEEP_MAX_PANELS; m < sw->metrics->len; m++)
        g_string_append_printf (left_out, "%s%s", m > SWEEP_MAX_PANELS ? ", " : "",
                                metric_at (sw, m));
      g_ptr_array_add (notes, g_strdup_printf ("sweep_metrics, sweep_compare: "
                                               "%u of %u metrics left out (at most "
                                               "%d panels): %s",
                                               sw->metrics->len - SWEEP_MAX_PANELS,
                                               sw->metrics->len, SWEEP_MAX_PANELS,
                                               left_out->str));
    }

  /* x: the first numeric key with two values or more, else the first key */
  layout->lines = FALSE;
  layout->x_axis = 0;
  for (guint a = 0; a < sw->axes->len; a++)
    if (axis_at (sw, a)->numeric && axis_at (sw, a)->values->len >= 2)
      {
        layout->lines = TRUE;
        layout->x_axis = a;
        break;
      }
  x = axis_at (sw, layout->x_axis);
  layout->n_x = x->values->len;
  layout->x_order = g_new (guint, layout->n_x);
  for (guint i = 0; i < layout->n_x; i++)
    layout->x_order[i] = i;
  if (layout->lines)
    g_qsort_with_data (layout->x_order, (gint) layout->n_x, sizeof (guint),
                       by_number, x->numbers);
  else if (layout->n_x > SWEEP_MAX_GROUPS)
    {
      if (notes != NULL)
        g_ptr_array_add (notes, g_strdup_printf ("sweep_metrics: %u of the %u values "
                                                 "of %s left out (at most %d groups "
                                                 "of bars)", layout->n_x - SWEEP_MAX_GROUPS,
                                                 layout->n_x, x->key, SWEEP_MAX_GROUPS));
      layout->n_x = SWEEP_MAX_GROUPS;
    }

  n_series = count_series (sw, layout->x_axis);
  max_series = layout->lines ? SWEEP_MAX_LINE_SERIES : SWEEP_MAX_BAR_SERIES;
  layout->n_series = MIN (n_series, max_series);
  if (n_series > max_series && notes != NULL)
    g_ptr_array_add (notes, g_strdup_printf ("sweep_metrics: %u of %u combinations "
                                             "of the other keys left out (at most "
                                             "%u %s)", n_series - max_series, n_series,
                                             max_series, layout->lines ? "lines" : "bars "
                                             "per group"));
  /* Two other keys or more: a colour for each value of the first of them
   * and a point type for each combination of the rest, when they fit. */
  layout->series_rest = 0;
  if (layout->lines && sw->axes->len >= 3)
    {
      guint first_other = layout->x_axis == 0 ? 1 : 0;
      guint n_colours = axis_at (sw, first_other)->values->len;
      guint rest = n_series / n_colours;

      if (n_colours <= SWEEP_N_COLOURS && rest <= SWEEP_N_POINT_TYPES
          && n_series <= max_series)
        layout->series_rest = rest;
    }

  for (guint s = 0; s < layout->n_series; s++)
    for (guint xi = 0; xi < layout->n_x; xi++)
      for (guint m = 0; m < layout->n_panels; m++)
        {
          guint p = series_point (sw, layout, s, xi);

          if (!isnan (mean_at (sw, p, m)) && isnan (ci_at (sw, p, m)))
            layout->has_unknown_ci = TRUE;
        }

  layout->entries = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint p = 0; p < sw->n_points && sw->has_compare; p++)
    {
      if (p == sw->baseline)
        continue;
      if (layout->entries->len == SWEEP_MAX_ENTRIES)
        {
          if (notes != NULL)
            g_ptr_array_add (notes, g_strdup_printf ("sweep_compare: %u of %u points "
                                                     "left out (at most %d)",
                                                     sw->n_points - 1 - SWEEP_MAX_ENTRIES,
                                                     sw->n_points - 1, SWEEP_MAX_ENTRIES));
          break;
        }
      g_array_append_val (layout->entries, p);
      for (guint m = 0; m < layout->n_panels; m++)
        {
          gsize cell = (gsize) p * sw->metrics->len + m;

          if (!isnan (sw->diff[cell]) && sw->significant[cell] < 0)
            layout->has_unknown_significance = TRUE;
        }
    }
}

/* Width in pixels of one panel's plot area. */
static double
panel_width_px (const Layout *layout)
{
  return (IMAGE_W_PX - 2 * EDGE_PX) / layout->cols - YTICS_PX - PANEL_GAP_PX;
}

/* @text cut to @max characters, with an ellipsis. */
static char *
cut_text (const char *text,
          guint       max)
{
  g_autofree char *head = NULL;

  if (g_utf8_strlen (text, -1) <= (glong) max)
    return g_strdup (text);
  head = g_utf8_substring (text, 0, max - 1);
  return g_strconcat (head, "…", NULL);
}

/* How tick labels, one per slot across @width_px, fit: horizontal, else
 * slanted by 30° or 45°, or upright, in the tick font or a smaller one,
 * else only every *out_every-th of them.  A slanted label reaches left of
 * its tick: no further than the leftmost panel's edge, or the last label
 * of the panel on the left.  out->px is the height they take under the
 * axis. */
static void
fit_tics (GPtrArray *labels,
          double     width_px,
          Tics      *out)
{
  static const int fonts[] = { TIC_FONT, TIC_FONT_SMALL };
  double slot = width_px / MAX (labels->len, 1);
  guint longest = 0;
  double char_px = 0, line_px = 0;

  for (guint i = 0; i < labels->len; i++)
    longest = MAX (longest, (guint) g_utf8_strlen (labels->pdata[i], -1));
  out->every = 1;
  out->rotate = 0;
  out->font = TIC_FONT;
  if (TIC_CHAR_PX * longest + 12 <= slot)
    {
      out->px = TIC_LINE_PX + 16;
      return;
    }
  for (guint f = 0; f < G_N_ELEMENTS (fonts) && out->rotate == 0; f++)
    {
      double reach, room = EDGE_PX + YTICS_PX + slot / 2;

      out->font = fonts[f];
      char_px = TIC_CHAR_PX * fonts[f] / TIC_FONT;
      line_px = TIC_LINE_PX * fonts[f] / TIC_FONT;
      reach = char_px * longest;
      if (slot >= 2.1 * line_px && reach * cos (G_PI / 6) <= room)
        out->rotate = 30;
      else if (slot >= 1.5 * line_px && reach * cos (G_PI / 4) <= room)
        out->rotate = 45;
      else if (slot >= 1.05 * line_px)
        out->rotate = 90;
    }
  if (out->rotate == 0)
    {
      out->rotate = 90;
      out->every = (guint) ceil (1.05 * line_px / slot);
    }
  out->px = char_px * longest * sin (out->rotate * G_PI / 180)
            + line_px * cos (out->rotate * G_PI / 180) + 12;
}

/* The font size of an axis label: 12, or smaller to fit under a panel. */
static int
label_font (const char   *label,
            const Layout *layout)
{
  double width = (IMAGE_W_PX - 2 * EDGE_PX) / layout->cols - 10;
  double px = LABEL_CHAR_PX * (double) g_utf8_strlen (label, -1);

  return px <= width ? 12 : px * 10 / 12 <= width ? 10 : 9;
}

/* ---------------------------------------------------------------------- */
/* Writing                                                                */
/* ---------------------------------------------------------------------- */


/* "array NAME[n] = [...]"; nothing for an empty array, which gnuplot
 * cannot declare. */
static void
meta_texts (GString    *out,
            const char *name,
            GPtrArray  *texts)
{
  if (texts->len == 0)
    return;
  g_string_append_printf (out, "array %s[%u] = [", name, texts->len);
  for (guint i = 0; i < texts->len; i++)
    {
      g_string_append (out, i ? ", " : "");
      ps_plot_gp_string (out, texts->pdata[i]);
    }
  g_string_append (out, "]\n");
}

static void
meta_numbers (GString      *out,
              const char   *name,
              const double *values,
              guint         n)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (n == 0)
    return;
  g_string_append_printf (out, "array %s[%u] = [", name, n);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%s", i ? ", " : "", ps_plot_fmt_double (buf, values[i]));
  g_string_append (out, "]\n");
}

typedef enum
{
  RANGE_DATA,                 /* the data only: lines */
  RANGE_FROM_ZERO,            /* 0 on the border: bars */
  RANGE_AROUND_ZERO,          /* 0 inside, with room: differences */
} RangeKind;

/* A y range around [lo, hi] with some room, never empty. */
static void
pad_range (double     lo,
           double     hi,
           RangeKind  kind,
           double    *out_min,
           double    *out_max)
{
  double span;

  if (lo > hi)
    lo = hi = 0;
  if (kind != RANGE_DATA)
    {
      lo = MIN (lo, 0);
      hi = MAX (hi, 0);
    }
  span = hi - lo;
  if (span <= 0)
    span = hi != 0 ? fabs (hi) * 0.2 : 1;
  *out_min = (kind == RANGE_FROM_ZERO && lo == 0) ? 0 : lo - 0.08 * span;
  *out_max = (kind == RANGE_FROM_ZERO && hi == 0) ? 0 : hi + 0.08 * span;
  if (*out_min == *out_max)
    *out_max = *out_min + 1;
}

static void
widen (double *lo,
       double *hi,
       double  mean,
       double  half)
{
  if (isnan (mean))
    return;
  if (isnan (half))
    half = 0;
  *lo = MIN (*lo, mean - half);
  *hi = MAX (*hi, mean + half);
}

/* "server.quota.algorithm=gcra, server.workers=40" for the keys other
 * than @skip (G_MAXUINT: none) at @point; @values_only: "gcra, 40". */
static char *
point_title (const Sweep *sw,
             guint        point,
             guint        skip,
             gboolean     values_only)
{
  GString *title = g_string_new (NULL);

  for (guint a = 0; a < sw->axes->len; a++)
    {
      if (a == skip)
        continue;
      g_string_append (title, title->len ? ", " : "");
      if (!values_only)
        g_string_append_printf (title, "%s=", axis_at (sw, a)->key);
      g_string_append (title, value_at (sw, point, a));
    }
  return g_string_free (title, FALSE);
}

/* plot-sweep-points.csv: a row per point drawn, series by series, each
 * series in x order. */
static gboolean
write_points (const char   *dir,
              const Sweep  *sw,
              const Layout *layout,
              GError      **error)
{
  g_autoptr(GString) header = g_string_new ("series,xi,x,point,n");
  const Axis *x = axis_at (sw, layout->x_axis);
  PsPlotOutFile out = { 0 };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint m = 1; m <= layout->n_panels; m++)
    g_string_append_printf (header, ",m%u_mean,m%u_ci95", m, m);
  if (!ps_plot_out_file_open (&out, dir, "plot-sweep-points.csv", header->str, error))
    return FALSE;
  for (guint s = 0; s < layout->n_series; s++)
    for (guint xi = 0; xi < layout->n_x; xi++)
      {
        guint p = series_point (sw, layout, s, xi);

        ps_csv_u64 (out.csv, s + 1);
        ps_csv_u64 (out.csv, xi);
        ps_csv_str (out.csv, ps_plot_fmt_double (buf, layout->lines
                                                 ? x->numbers[layout->x_order[xi]]
                                                 : (double) xi));
        ps_csv_u64 (out.csv, p);
        ps_csv_u64 (out.csv, sw->n[p]);
        for (guint m = 0; m < layout->n_panels; m++)
          {
            ps_csv_str (out.csv, ps_plot_fmt_double (buf, mean_at (sw, p, m)));
            ps_csv_str (out.csv, ps_plot_fmt_double (buf, ci_at (sw, p, m)));
          }
        ps_csv_end_row (out.csv);
      }
  return ps_plot_out_file_close (&out, error);
}

/* plot-sweep-compare.csv: a row per point compared with the baseline. */
static gboolean
write_compare (const char   *dir,
               const Sweep  *sw,
               const Layout *layout,
               GError      **error)
{
  g_autoptr(GString) header = g_string_new ("entry,point,n");
  PsPlotOutFile out = { 0 };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint m = 1; m <= layout->n_panels; m++)
    g_string_append_printf (header, ",m%u_diff,m%u_ci95,m%u_significant", m, m, m);
  g_string_append (header, ",label");
  if (!ps_plot_out_file_open (&out, dir, "plot-sweep-compare.csv", header->str, error))
    return FALSE;
  for (guint e = 0; e < layout->entries->len; e++)
    {
      guint p = g_array_index (layout->entries, guint, e);
      g_autofree char *label = point_title (sw, p, G_MAXUINT, TRUE);

      ps_csv_u64 (out.csv, e);
      ps_csv_u64 (out.csv, p);
      ps_csv_u64 (out.csv, sw->pairs[p]);
      for (guint m = 0; m < layout->n_panels; m++)
        {
          gsize cell = (gsize) p * sw->metrics->len + m;
          gint8 sig = sw->significant[cell];

          ps_csv_str (out.csv, ps_plot_fmt_double (buf, sw->diff[cell]));
          ps_csv_str (out.csv, ps_plot_fmt_double (buf, sw->diff_ci[cell]));
          ps_csv_str (out.csv, sig < 0 ? "NaN" : sig ? "1" : "0");
        }
      ps_csv_str (out.csv, label);
      ps_csv_end_row (out.csv);
    }
  return ps_plot_out_file_close (&out, error);
}

/* "default · 15 points × 5 replications · seed 42 · duration=2m" */
static char *
sweep_title (const char  *dir,
             const Sweep *sw)
{
  GString *title = g_string_new (NULL);
  guint64 lo = G_MAXUINT64, hi = 0;

  if (sw->scenario != NULL)
    g_string_append (title, sw->scenario);
  else
    {
      g_autofree char *base = ps_plot_dir_name (dir);

      g_string_append (title, base);
    }
  for (guint p = 0; p < sw->n_points; p++)
    if (sw->has_point[p])
      {
        lo = MIN (lo, sw->n[p]);
        hi = MAX (hi, sw->n[p]);
      }
  g_string_append_printf (title, " · %u point%s", sw->n_points,
                          sw->n_points == 1 ? "" : "s");
  if (hi > 0 && lo == hi)
    g_string_append_printf (title, " × %" G_GUINT64_FORMAT " replication%s", hi,
                            hi == 1 ? "" : "s");
  else if (hi > 0)
    g_string_append_printf (title, " × %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
                            " replications", lo, hi);
  if (sw->reps_auto)
    g_string_append (title, " (until precise enough)");
  if (sw->seed != NULL)
    g_string_append_printf (title, " · seed %s", sw->seed);
  if (sw->sets != NULL)
    g_string_append_printf (title, " · %s", sw->sets);
  return g_string_free (title, FALSE);
}

static void
meta_metrics_chart (GString      *out,
                    const Sweep  *sw,
                    const Layout *layout)
{
  const Axis *x = axis_at (sw, layout->x_axis);
  guint n = layout->n_panels;
  g_autofree double *y_min = g_new (double, MAX (n, 1));
  g_autofree double *y_max = g_new (double, MAX (n, 1));
  g_autofree double *positions = g_new (double, layout->n_x);
  g_autofree double *colours = g_new (double, MAX (layout->n_series, 1));
  g_autofree double *points = g_new (double, MAX (layout->n_series, 1));
  g_autoptr(GPtrArray) x_text = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *x_label = NULL;
  Tics tics = { 0, TIC_FONT, 1, TIC_LINE_PX + 16 };
  guint legend_rows = 0;
  double longest = 0;
  gboolean data_tics = !layout->lines || layout->n_x <= SWEEP_MAX_DATA_TICS;

  for (guint m = 0; m < n; m++)
    {
      double lo = INFINITY, hi = -INFINITY;

      for (guint s = 0; s < layout->n_series; s++)
        for (guint xi = 0; xi < layout->n_x; xi++)
          {
            guint p = series_point (sw, layout, s, xi);

            widen (&lo, &hi, mean_at (sw, p, m), ci_at (sw, p, m));
          }
      pad_range (lo, hi, layout->lines ? RANGE_DATA : RANGE_FROM_ZERO, &y_min[m],
                 &y_max[m]);
    }
  for (guint xi = 0; xi < layout->n_x; xi++)
    {
      guint v = layout->x_order[xi];

      positions[xi] = layout->lines ? x->numbers[v] : xi;
      g_ptr_array_add (x_text, cut_text (x->values->pdata[v], SWEEP_TIC_CHARS));
    }
  if (data_tics)
    fit_tics (x_text, panel_width_px (layout), &tics);
  for (guint s = 0; s < layout->n_series; s++)
    {
      char *title = point_title (sw, series_point (sw, layout, s, 0), layout->x_axis,
                                 FALSE);

      g_ptr_array_add (titles, cut_text (title, SWEEP_LEGEND_CHARS));
      g_free (title);
      longest = MAX (longest, KEY_CHAR_PX * (double) g_utf8_strlen (titles->pdata[s], -1));
      colours[s] = layout->series_rest ? s / layout->series_rest + 1
                   : s % SWEEP_N_COLOURS + 1;
      points[s] = layout->series_rest ? s % layout->series_rest + 1
                  : (s / SWEEP_N_COLOURS) % SWEEP_N_POINT_TYPES + 1;
    }
  /* The legend, column by column: as few rows as fit across. */
  if (layout->n_series > 1)
    {
      guint fit = (guint) CLAMP ((IMAGE_W_PX - 2 * EDGE_PX) / (longest + KEY_SAMPLE_PX),
                                 1, layout->n_series);

      legend_rows = (layout->n_series + fit - 1) / fit;
    }

  x_label = layout->lines && x->has_unit ? g_strdup_printf ("%s (s)", x->key)
                                         : g_strdup (x->key);
  g_string_append (out, "\n# sweep_metrics\n");
  g_string_append_printf (out, "layout_lines = %d\n", layout->lines);
  ps_plot_meta_text (out, "x_label", x_label);
  g_string_append_printf (out, "x_label_font = %d\n", label_font (x_label, layout));
  g_string_append_printf (out, "n_x = %u\n", layout->n_x);
  meta_numbers (out, "x_pos", positions, layout->n_x);
  meta_texts (out, "x_text", x_text);
  if (layout->lines)
    {
      double lo = positions[0], hi = positions[layout->n_x - 1];
      double pad = hi > lo ? 0.04 * (hi - lo) : 1;

      ps_plot_meta_number (out, "x_min", lo - pad);
      ps_plot_meta_number (out, "x_max", hi + pad);
      /* lines nudged apart: at most 4 % of the axis from first to last */
      ps_plot_meta_number (out, "x_dodge", layout->n_series > 1
                   ? (hi - lo) * MIN (0.008, 0.04 / layout->n_series) : 0);
    }
  else
    {
      ps_plot_meta_number (out, "x_min", -0.6);
      ps_plot_meta_number (out, "x_max", layout->n_x - 0.4);
      ps_plot_meta_number (out, "x_dodge", 0);
    }
  g_string_append_printf (out, "x_data_tics = %d\nx_tics_rotate = %d\n"
                          "x_tics_font = %d\nx_tics_every = %u\n", data_tics,
                          tics.rotate, tics.font, tics.every);
  ps_plot_meta_number (out, "x_tics_px", ceil (tics.px));
  g_string_append_printf (out, "n_series = %u\n", layout->n_series);
  meta_texts (out, "series_title", titles);
  meta_numbers (out, "series_colour", colours, layout->n_series);
  meta_numbers (out, "series_point", points, layout->n_series);
  g_string_append_printf (out, "legend_rows = %u\n", legend_rows);
  meta_numbers (out, "y_min", y_min, n);
  meta_numbers (out, "y_max", y_max, n);
  g_string_append_printf (out, "has_unknown_ci = %d\n", layout->has_unknown_ci);
}

static void
meta_compare_chart (GString      *out,
                    const Sweep  *sw,
                    const Layout *layout)
{
  guint n = layout->n_panels, n_entries = layout->entries->len;
  g_autofree double *y_min = g_new (double, MAX (n, 1));
  g_autofree double *y_max = g_new (double, MAX (n, 1));
  g_autoptr(GArray) separators = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) baseline_means = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) key_names = g_ptr_array_new ();
  g_autofree char *baseline = point_title (sw, sw->baseline, G_MAXUINT, FALSE);
  g_autofree char *keys = NULL;
  g_autoptr(GArray) group_start = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) group_labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *group_pos = g_new (double, MAX (n_entries, 1));
  gboolean grouped = sw->axes->len > 1;
  Tics tics = { 0, TIC_FONT, 1, TIC_LINE_PX + 16 };

  for (guint m = 0; m < n; m++)
    {
      double lo = INFINITY, hi = -INFINITY;
      double mean = mean_at (sw, sw->baseline, m);

      for (guint e = 0; e < n_entries; e++)
        {
          gsize cell = (gsize) g_array_index (layout->entries, guint, e)
                       * sw->metrics->len + m;

          widen (&lo, &hi, sw->diff[cell], sw->diff_ci[cell]);
        }
      pad_range (lo, hi, RANGE_AROUND_ZERO, &y_min[m], &y_max[m]);
      g_ptr_array_add (baseline_means, isnan (mean) ? g_strdup ("unknown")
                                                    : g_strdup_printf ("%.4g", mean));
    }
  /* With two keys or more, the entries come in groups, one per value of
   * the first key: each is labelled with the other keys' values, and the
   * group once, under them, when every group's name fits under it. */
  for (guint e = 0; e < n_entries && grouped; e++)
    {
      guint p = g_array_index (layout->entries, guint, e);

      if (e == 0 || value_index (sw, p, 0)
                    != value_index (sw, g_array_index (layout->entries, guint, e - 1), 0))
        g_array_append_val (group_start, e);
    }
  for (guint g = 0; g < group_start->len; g++)
    {
      guint first = g_array_index (group_start, guint, g);
      guint end = g + 1 < group_start->len ? g_array_index (group_start, guint, g + 1)
                                           : n_entries;
      const char *name = value_at (sw, g_array_index (layout->entries, guint, first), 0);
      double room = (double) (end - first) * panel_width_px (layout) / n_entries;

      if (TIC_CHAR_PX * MIN (g_utf8_strlen (name, -1), 8) + 8 > room)
        grouped = FALSE;
      group_pos[g] = (first + end - 1) / 2.0;
      g_ptr_array_add (group_labels, cut_text (name, MAX (3, (guint) (room / TIC_CHAR_PX))));
      if (g > 0)
        {
          double at = first - 0.5;

          g_array_append_val (separators, at);
        }
    }
  if (!grouped)
    {
      g_ptr_array_set_size (group_labels, 0);
      g_array_set_size (separators, 0);
    }
  for (guint e = 0; e < n_entries; e++)
    {
      guint p = g_array_index (layout->entries, guint, e);
      g_autofree char *label = point_title (sw, p, grouped ? 0 : G_MAXUINT, TRUE);

      g_ptr_array_add (labels, cut_text (label, SWEEP_TIC_CHARS));
    }
  if (n_entries > 0)
    fit_tics (labels, panel_width_px (layout), &tics);
  for (guint a = grouped ? 1 : 0; a < sw->axes->len; a++)
    g_ptr_array_add (key_names, axis_at (sw, a)->key);
  g_ptr_array_add (key_names, NULL);
  keys = g_strjoinv (", ", (char **) key_names->pdata);
  if (grouped)
    {
      char *by = g_strdup_printf ("%s, in groups by %s", keys, axis_at (sw, 0)->key);

      g_free (keys);
      keys = by;
    }

  g_string_append (out, "\n# sweep_compare\n");
  ps_plot_meta_text (out, "baseline_title", baseline);
  meta_texts (out, "baseline_mean", baseline_means);
  ps_plot_meta_text (out, "entry_label_title", keys);
  g_string_append_printf (out, "entry_label_font = %d\n",
                          label_font (keys, layout));
  g_string_append_printf (out, "n_entries = %u\n", n_entries);
  meta_texts (out, "entry_label", labels);
  g_string_append_printf (out, "entry_tics_rotate = %d\nentry_tics_font = %d\n"
                          "entry_tics_every = %u\n", tics.rotate, tics.font,
                          tics.every);
  ps_plot_meta_number (out, "entry_tics_px", ceil (tics.px));
  g_string_append_printf (out, "n_groups = %u\n", group_labels->len);
  meta_texts (out, "group_label", group_labels);
  meta_numbers (out, "group_pos", group_pos, group_labels->len);
  g_string_append_printf (out, "n_separators = %u\n", separators->len);
  meta_numbers (out, "separator", (double *) (void *) separators->data, separators->len);
  meta_numbers (out, "cmp_y_min", y_min, n);
  meta_numbers (out, "cmp_y_max", y_max, n);
  g_string_append_printf (out, "has_unknown_significance = %d\n",
                          layout->has_unknown_significance);
}

/* plot-sweep-meta.gp: the sweep's facts and the charts' layout as gnuplot
 * variables, loaded by both scripts.  Plain gnuplot, meant to be read. */
static gboolean
write_meta (const char   *dir,
            const Sweep  *sw,
            const Layout *layout,
            GError      **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *title = sweep_title (dir, sw);
  g_autofree char *path = g_build_filename (dir, "plot-sweep-meta.gp", NULL);
  g_autoptr(GPtrArray) metrics = g_ptr_array_new ();
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GError) local_error = NULL;

  for (guint m = 0; m < layout->n_panels; m++)
    g_ptr_array_add (metrics, g_ptr_array_index (sw->metrics, m));
  for (guint a = 0; a < sw->axes->len; a++)
    g_ptr_array_add (keys, axis_at (sw, a)->key);
  g_string_append (out,
                   "# plot-sweep-meta.gp: facts about this sweep for "
                   "plots/sweep_*.gp, written by\n"
                   "# `poolsim plot` from sweep.json, points.csv and compare.csv.\n");
  ps_plot_meta_text (out, "scenario", sw->scenario);
  ps_plot_meta_text (out, "sweep_title", title);
  g_string_append_printf (out, "n_points = %u\nn_keys = %u\n", sw->n_points,
                          sw->axes->len);
  meta_texts (out, "key_name", keys);
  g_string_append_printf (out, "n_metrics = %u\n", layout->n_panels);
  meta_texts (out, "metric", metrics);
  g_string_append_printf (out, "cols = %u\nrows = %u\n", layout->cols, layout->rows);
  meta_metrics_chart (out, sw, layout);
  meta_compare_chart (out, sw, layout);
  if (!g_file_set_contents (path, out->str, out->len, &local_error))
    return g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_IO,
                        "plot-sweep-meta.gp: %s", local_error->message), FALSE;
  return TRUE;
}

/* Reads the sweep, writes the derived files; *out_compare tells whether
 * sweep_compare can be drawn. */
static gboolean
prepare (const char  *dir,
         GPtrArray   *notes,
         gboolean    *out_compare,
         GError     **error)
{
  g_auto(Sweep) sw = { 0 };
  g_auto(Layout) layout = { 0 };
  guint missing = 0;

  *out_compare = FALSE;
  if (!read_sweep_json (&sw, dir, error)
      || !read_points (&sw, dir, error)
      || !read_compare (&sw, dir, error))
    return FALSE;
  if (sw.metrics->len == 0)
    return bad_data (error, "sweep.json: definition.metrics: empty");
  for (guint p = 0; p < sw.n_points; p++)
    missing += !sw.has_point[p];
  if (missing > 0 && notes != NULL)
    g_ptr_array_add (notes, g_strdup_printf ("sweep_metrics: %u of %u points have no "
                                             "row in points.csv (an unfinished "
                                             "sweep?)", missing, sw.n_points));
  choose_layout (&sw, &layout, notes);
  if (!sw.has_compare && notes != NULL)
    g_ptr_array_add (notes, g_strdup ("sweep_compare: skipped: no compare.csv"));
  else if (sw.n_points == 1 && notes != NULL)
    g_ptr_array_add (notes, g_strdup ("sweep_compare: skipped: the sweep has one "
                                      "point, the baseline"));
  *out_compare = layout.entries->len > 0;
  return write_points (dir, &sw, &layout, error)
         && (!*out_compare || write_compare (dir, &sw, &layout, error))
         && write_meta (dir, &sw, &layout, error);
}

/**
 * ps_plot_is_sweep_dir:
 * @dir: a directory
 *
 * Returns: TRUE when @dir holds a sweep.json, as `poolsim sweep` writes.
 */
gboolean
ps_plot_is_sweep_dir (const char *dir)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (dir != NULL, FALSE);

  path = g_build_filename (dir, "sweep.json", NULL);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/**
 * ps_plot_sweep_write_data:
 * @sweep_dir: a sweep directory
 * @notes: (nullable) (element-type utf8): receives a line for each thing
 *   the charts leave out (metrics past 9, points without a row, no
 *   compare.csv); the caller's array, with g_free() as its free function
 *
 * Reads sweep.json, points.csv and compare.csv and writes
 * plot-sweep-points.csv, plot-sweep-compare.csv (when there is something
 * to compare) and plot-sweep-meta.gp into @sweep_dir.
 *
 * Returns: FALSE with @error set when @sweep_dir is not a sweep directory
 *   (PS_PLOT_ERROR_NOT_RUN_DIR), a file is malformed (BAD_DATA) or a
 *   derived file cannot be written (IO).
 */
gboolean
ps_plot_sweep_write_data (const char  *sweep_dir,
                          GPtrArray   *notes,
                          GError     **error)
{
  gboolean compare;

  g_return_val_if_fail (sweep_dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return prepare (sweep_dir, notes, &compare, error);
}

/**
 * ps_plot_sweep_draw_all:
 * @sweep_dir: a sweep directory (relative or absolute)
 * @formats: PNG, SVG or both
 * @gnuplot: (nullable): as for ps_plot_draw_all()
 * @warnings: (nullable) (element-type utf8): a line per chart not drawn
 *   or that gnuplot complained about, as for ps_plot_draw_all()
 * @notes: (nullable) (element-type utf8): as for ps_plot_sweep_write_data()
 *
 * Writes the derived files (see ps_plot_sweep_write_data()), then draws
 * sweep_metrics and sweep_compare into @sweep_dir as .png and/or .svg,
 * 1600×900, each under a temporary name renamed when gnuplot succeeds.
 *
 * Returns: TRUE even when a chart failed (see @warnings); FALSE with
 *   @error set only as ps_plot_sweep_write_data() does.
 */
gboolean
ps_plot_sweep_draw_all (const char    *sweep_dir,
                        PsPlotFormat   formats,
                        const char    *gnuplot,
                        GPtrArray     *warnings,
                        GPtrArray     *notes,
                        GError       **error)
{
  static const char * const charts[] = { "sweep_metrics", "sweep_compare" };
  g_autofree char *program = NULL;
  gboolean compare;

  g_return_val_if_fail (sweep_dir != NULL, FALSE);
  g_return_val_if_fail (formats != 0 && (formats & ~PS_PLOT_BOTH) == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!prepare (sweep_dir, notes, &compare, error))
    return FALSE;
  program = ps_plot_find_gnuplot (gnuplot);
  for (guint c = 0; c < G_N_ELEMENTS (charts); c++)
    {
      char *warning;

      if (c == 1 && !compare)
        continue;
      warning = ps_plot_draw_chart (sweep_dir, charts[c], formats, program);
      if (warning != NULL && warnings != NULL)
        g_ptr_array_add (warnings, warning);
      else
        g_free (warning);
    }
  return TRUE;
}
