/* ps-scenario-replay.c: trace CSVs and access logs, read into a PsReplay
 *
 * Both files are finite inputs read whole into memory.  A trace CSV has a
 * header naming its columns (time_s, client, priority, optional work_s, in
 * any order); every row must be valid, or loading fails at its line.  An
 * access log (NCSA combined or common, as nginx and Apache write them)
 * gives one client per IPv4 address and one request per line; a line
 * that does not parse is skipped and reported among the scenario's
 * warnings, or is an error with "strict": true.  Times become exact µs:
 * trace seconds are decimal text converted digit by digit (as durations
 * are); log timestamps are whole seconds.  Messages name the scenario's
 * key and the data file's own line: "s.json:9:31: clients[0].arrival.file:
 * data/t.csv:7: ...".  Clients are numbered in order of first appearance.
 */
#include "ps-scenario-replay.h"

#include "ps-duration.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#define MAX_REPORTED  5         /* malformed log lines listed one by one */
#define CELL_SHOWN    40        /* bytes of a bad value quoted in a message */

typedef struct
{
  PsLoad        *load;
  const PsField *field;         /* the "file" key: where messages point */
  char          *path;          /* the data file, as found */
  char          *data;
  gsize          length;
  gsize          pos;           /* the next line starts here */
  guint          line;          /* the line last read, 1-based */
} Source;

static const char *const log_format_names[] = {
  [PS_LOG_COMBINED] = "combined",
  [PS_LOG_COMMON] = "common",
};

const char *
ps_scenario_replay_format_to_string (PsLogFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (log_format_names), NULL);
  return log_format_names[format];
}

gboolean
ps_scenario_replay_format_from_string (const char *name, guint *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (log_format_names); i++)
    if (strcmp (name, log_format_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

static void
source_clear (Source *src)
{
  g_clear_pointer (&src->path, g_free);
  g_clear_pointer (&src->data, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Source, source_clear)

/* Fails at the "file" key with "DATA:LINE: what"; @line 0: no line. */
static gboolean G_GNUC_PRINTF (5, 6)
source_fail (Source *src, GError **error, PsScenarioError code, guint line,
             const char *format, ...)
{
  va_list args;
  g_autofree char *what = NULL;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  if (line == 0)
    return ps_load_fail (src->load, error, code, src->field->node, src->field->path,
                         "%s: %s", src->path, what);
  return ps_load_fail (src->load, error, code, src->field->node, src->field->path,
                       "%s:%u: %s", src->path, line, what);
}

static void G_GNUC_PRINTF (3, 4)
source_warn (Source *src, guint line, const char *format, ...)
{
  va_list args;
  g_autofree char *what = NULL;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  if (line == 0)
    ps_load_warn (src->load, src->field->node, src->field->path, "%s: %s",
                  src->path, what);
  else
    ps_load_warn (src->load, src->field->node, src->field->path, "%s:%u: %s",
                  src->path, line, what);
}

/* Reads the file named by the "file" key; IO error if it cannot. */
static gboolean
source_open (Source *src, PsLoad *load, const PsField *field, GError **error)
{
  const char *file;
  int saved_errno = 0;

  src->load = load;
  src->field = field;
  if (!ps_field_string (load, field, &file, error))
    return FALSE;
  if (file[0] == '\0')
    return ps_load_fail (load, error, PS_SCENARIO_ERROR_VALUE, field->node,
                         field->path, "is empty (expected %s)",
                         field->key->expected);
  src->path = ps_load_data_path (load, file);
  if (!ps_load_read_file (src->path, &src->data, &src->length, &saved_errno))
    {
      g_autofree char *why = ps_load_read_error (saved_errno);

      return ps_load_fail (load, error, PS_SCENARIO_ERROR_IO, field->node, field->path,
                           "cannot read \"%s\": %s (expected %s)", src->path, why,
                           field->key->expected);
    }
  if (src->length >= 3 && memcmp (src->data, "\xEF\xBB\xBF", 3) == 0)
    src->pos = 3;                       /* a byte-order mark is no content */
  return TRUE;
}

/* The next line, without its "\n" or "\r\n"; FALSE at the end. */
static gboolean
next_line (Source *src, const char **out, gsize *out_length)
{
  const char *start, *nl;
  gsize length;

  if (src->pos >= src->length)
    return FALSE;
  start = src->data + src->pos;
  nl = memchr (start, '\n', src->length - src->pos);
  length = nl != NULL ? (gsize) (nl - start) : src->length - src->pos;
  src->pos += length + (nl != NULL ? 1 : 0);
  src->line++;
  if (length > 0 && start[length - 1] == '\r')
    length--;
  *out = start;
  *out_length = length;
  return TRUE;
}

static gboolean
is_blank (const char *line, gsize length)
{
  for (gsize i = 0; i < length; i++)
    if (line[i] != ' ' && line[i] != '\t')
      return FALSE;
  return TRUE;
}

/* Returns: (transfer full): @text, cut to CELL_SHOWN bytes, valid UTF-8. */
static char *
shown (const char *text, gsize length)
{
  g_autofree char *cut = g_strndup (text, MIN (length, CELL_SHOWN));
  g_autofree char *valid = g_utf8_make_valid (cut, -1);

  if (length > CELL_SHOWN)
    return g_strconcat (valid, "...", NULL);
  return g_steal_pointer (&valid);
}

/* ---- trace CSV ---------------------------------------------------------- */

enum { COL_TIME, COL_CLIENT, COL_PRIORITY, COL_WORK, N_COLS };

static const char *const column_names[N_COLS] = {
  "time_s", "client", "priority", "work_s",
};

#define COLUMNS_EXPECTED \
  "a header naming time_s, client, priority and optionally work_s, in any order"

/* Splits a CSV line at commas into @fields (char *, owned).  A field may
 * be quoted, with "" for a quote inside; blanks around fields go.
 * Returns: FALSE on a quote that does not close. */
static gboolean
split_csv (const char *line, gsize length, GPtrArray *fields)
{
  const char *p = line, *end = line + length;

  g_ptr_array_set_size (fields, 0);
  for (;;)
    {
      GString *field = g_string_new (NULL);

      while (p < end && (*p == ' ' || *p == '\t'))
        p++;
      if (p < end && *p == '"')
        {
          for (p++;; p++)
            {
              if (p >= end)
                {
                  g_string_free (field, TRUE);
                  return FALSE;
                }
              if (*p == '"' && p + 1 < end && p[1] == '"')
                g_string_append_c (field, *p++);
              else if (*p == '"')
                break;
              else
                g_string_append_c (field, *p);
            }
          p++;
          while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        }
      else
        {
          const char *start = p;

          while (p < end && *p != ',')
            p++;
          g_string_append_len (field, start, p - start);
          while (field->len > 0 && (field->str[field->len - 1] == ' '
                                    || field->str[field->len - 1] == '\t'))
            g_string_truncate (field, field->len - 1);
        }
      g_ptr_array_add (fields, g_string_free (field, FALSE));
      if (p >= end)
        return TRUE;
      if (*p != ',')
        return FALSE;                   /* text after a closing quote */
      p++;
    }
}

static gboolean
read_header (Source *src, GPtrArray *fields, int column_of[N_COLS], GError **error)
{
  const char *line;
  gsize length;

  for (guint c = 0; c < N_COLS; c++)
    column_of[c] = -1;
  do
    if (!next_line (src, &line, &length))
      return source_fail (src, error, PS_SCENARIO_ERROR_VALUE, 1, "the file is empty "
                          "(expected %s)", COLUMNS_EXPECTED);
  while (is_blank (line, length));
  if (!split_csv (line, length, fields))
    return source_fail (src, error, PS_SCENARIO_ERROR_VALUE, src->line,
                        "a quote does not close (expected %s)", COLUMNS_EXPECTED);
  for (guint i = 0; i < fields->len; i++)
    {
      const char *name = fields->pdata[i];
      guint c = 0;

      while (c < N_COLS && strcmp (name, column_names[c]) != 0)
        c++;
      if (c == N_COLS)
        {
          g_autofree char *text = shown (name, strlen (name));

          return source_fail (src, error, PS_SCENARIO_ERROR_VALUE, src->line,
                              "unknown column \"%s\" (expected %s)", text,
                              COLUMNS_EXPECTED);
        }
      if (column_of[c] >= 0)
        return source_fail (src, error, PS_SCENARIO_ERROR_VALUE, src->line,
                            "column \"%s\" appears twice (expected %s)",
                            column_names[c], COLUMNS_EXPECTED);
      column_of[c] = (int) i;
    }
  for (guint c = 0; c < COL_WORK; c++)
    if (column_of[c] < 0)
      return source_fail (src, error, PS_SCENARIO_ERROR_VALUE, src->line,
                          "the header has no \"%s\" column (expected %s)",
                          column_names[c], COLUMNS_EXPECTED);
  return TRUE;
}

/* Decimal seconds ("12", "0.25") to exact µs, through the duration
 * parser: digits, an optional fraction, nothing else. */
static PsDurationStatus
parse_seconds (const char *text, PsTime *out)
{
  const char *p = text + (text[0] == '-');
  g_autofree char *with_unit = NULL;

  if (!g_ascii_isdigit (*p))
    return PS_DURATION_MALFORMED;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      ;
  if (*p != '\0')
    return PS_DURATION_MALFORMED;
  with_unit = g_strconcat (text, "s", NULL);
  return ps_duration_parse (with_unit, out);
}

static gboolean
seconds_cell (Source *src, const char *column, const char *text, PsTime *out,
              GError **error)
{
  static const char expected[] = "a decimal number of seconds >= 0, such as 12.5, "
                                 "to the microsecond";
  g_autofree char *value = shown (text, strlen (text));

  switch (parse_seconds (text, out))
    {
    case PS_DURATION_OK:
      return TRUE;
    case PS_DURATION_MALFORMED:
      return source_fail (src, error, PS_SCENARIO_ERROR_VALUE, src->line,
                          "%s \"%s\" is not a number of seconds (expected %s)",
                          column, value, expected);
    case PS_DURATION_NEGATIVE:
      return source_fail (src, error, PS_SCENARIO_ERROR_RANGE, src->line,
                          "%s %s is negative (expected %s)", column, value, expected);
    case PS_DURATION_TOO_LONG:
      return source_fail (src, error, PS_SCENARIO_ERROR_RANGE, src->line,
                          "%s %s is more than 10 years (expected %s)", column, value,
                          expected);
    case PS_DURATION_TOO_FINE:
      return source_fail (src, error, PS_SCENARIO_ERROR_VALUE, src->line,
                          "%s %s is finer than a microsecond (expected %s)", column,
                          value, expected);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
priority_cell (Source *src, const char *text, guint *out, GError **error)
{
  g_autofree char *value = shown (text, strlen (text));
  guint v = 0;
  const char *p = text;

  for (; g_ascii_isdigit (*p) && v <= 15; p++)
    v = v * 10 + (guint) (*p - '0');
  if (text[0] == '\0' || *p != '\0' || v > 15)
    return source_fail (src, error, PS_SCENARIO_ERROR_RANGE, src->line,
                        "priority \"%s\" is not an integer 0..15 (expected an "
                        "integer 0..15, 0 the most urgent)", value);
  *out = v;
  return TRUE;
}

/* The client's dense index, given in order of first appearance. */
static guint32
client_index (GHashTable *clients, const char *name)
{
  gpointer value;
  guint32 index;

  if (g_hash_table_lookup_extended (clients, name, NULL, &value))
    return GPOINTER_TO_UINT (value);
  index = g_hash_table_size (clients);
  g_hash_table_insert (clients, g_strdup (name), GUINT_TO_POINTER (index));
  return index;
}

static gboolean
read_row (Source *src, GPtrArray *fields, guint n_columns, const int column_of[N_COLS],
          GHashTable *clients, PsReplay *replay, GError **error)
{
  const char *client, *work_text;
  guint priority = 0;
  PsTime time, work = PS_REPLAY_NO_WORK;

  if (fields->len != n_columns)
    return source_fail (src, error, PS_SCENARIO_ERROR_VALUE, src->line,
                        "%u fields, but the header has %u (expected one value "
                        "per column)", fields->len, n_columns);
  client = fields->pdata[column_of[COL_CLIENT]];
  if (client[0] == '\0')
    return source_fail (src, error, PS_SCENARIO_ERROR_VALUE, src->line,
                        "client is empty (expected a name or number for the client)");
  if (!seconds_cell (src, "time_s", fields->pdata[column_of[COL_TIME]], &time, error)
      || !priority_cell (src, fields->pdata[column_of[COL_PRIORITY]], &priority, error))
    return FALSE;
  work_text = column_of[COL_WORK] >= 0 ? fields->pdata[column_of[COL_WORK]] : "";
  if (work_text[0] != '\0'              /* empty: the distribution's */
      && !seconds_cell (src, "work_s", work_text, &work, error))
    return FALSE;
  if (ps_replay_get_n_rows (replay) == G_MAXUINT32 - 1)
    return source_fail (src, error, PS_SCENARIO_ERROR_RANGE, src->line,
                        "too many rows (expected at most %u)", G_MAXUINT32 - 1);
  ps_replay_add (replay, client_index (clients, client), time, priority, work);
  return TRUE;
}

/* Rows at or after the run's end are legal, and never replayed. */
static void
warn_after_end (Source *src, const PsReplay *replay, const PsScenario *scenario,
                const char *rows)
{
  guint32 n = ps_replay_get_n_rows (replay), late = 0;
  char buf[PS_DURATION_STR_LEN];

  for (guint32 i = 0; i < n; i++)
    if (ps_replay_get_row (replay, i)->time >= scenario->duration)
      late++;
  if (late > 0)
    source_warn (src, 0, "%u of %u %s come at or after the run's end (duration %s) "
                 "and are not replayed", late, n, rows,
                 ps_duration_format (scenario->duration, buf));
}

/**
 * ps_scenario_replay_load_trace:
 * @file: the arrival's "file" key
 * @out: (out) (transfer full): the trace's rows, finished
 *
 * Reads a trace CSV; fails (IO or VALUE/RANGE) naming the file and line.
 */
gboolean
ps_scenario_replay_load_trace (PsLoad *load, const PsField *file, const PsScenario *scenario,
               PsReplay **out, GError **error)
{
  g_auto (Source) src = { 0 };
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) clients = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                         g_free, NULL);
  g_autoptr(PsReplay) replay = ps_replay_new ();
  int column_of[N_COLS];
  guint n_columns;
  const char *line;
  gsize length;

  if (!source_open (&src, load, file, error)
      || !read_header (&src, fields, column_of, error))
    return FALSE;
  n_columns = fields->len;
  while (next_line (&src, &line, &length))
    {
      if (is_blank (line, length))
        continue;
      if (!split_csv (line, length, fields))
        return source_fail (&src, error, PS_SCENARIO_ERROR_VALUE, src.line,
                            "a quote does not close (expected a CSV row)");
      if (!read_row (&src, fields, n_columns, column_of, clients, replay, error))
        return FALSE;
    }
  if (ps_replay_get_n_rows (replay) == 0)
    return source_fail (&src, error, PS_SCENARIO_ERROR_VALUE, src.line + 1,
                        "no rows after the header (expected at least one request)");
  ps_replay_finish (replay);
  warn_after_end (&src, replay, scenario, "rows");
  *out = g_steal_pointer (&replay);
  return TRUE;
}

/* ---- access log --------------------------------------------------------- */

typedef struct
{
  const char *p;
  const char *end;
} Cursor;

typedef struct
{
  guint32 address;
  gint64  epoch_s;                      /* UTC seconds since 1970 */
} LogLine;

static const char *const months[12] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun",
  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static gboolean
take (Cursor *c, char ch)
{
  if (c->p >= c->end || *c->p != ch)
    return FALSE;
  c->p++;
  return TRUE;
}

/* A run of non-space bytes; FALSE if empty. */
static gboolean
take_token (Cursor *c, const char **out_start, gsize *out_length)
{
  const char *start = c->p;

  while (c->p < c->end && *c->p != ' ')
    c->p++;
  *out_start = start;
  *out_length = (gsize) (c->p - start);
  return c->p > start;
}

/* Exactly @n digits. */
static gboolean
take_digits (Cursor *c, guint n, guint *out)
{
  guint v = 0;

  for (guint i = 0; i < n; i++, c->p++)
    {
      if (c->p >= c->end || !g_ascii_isdigit (*c->p))
        return FALSE;
      v = v * 10 + (guint) (*c->p - '0');
    }
  *out = v;
  return TRUE;
}

/* "..." with backslash escapes (Apache writes \", nginx \x22). */
static gboolean
take_quoted (Cursor *c)
{
  if (!take (c, '"'))
    return FALSE;
  for (; c->p < c->end; c->p++)
    {
      if (*c->p == '\\' && c->p + 1 < c->end)
        c->p++;
      else if (*c->p == '"')
        {
          c->p++;
          return TRUE;
        }
    }
  return FALSE;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil). */
static gint64
days_from_civil (gint64 y, int m, int d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static int
days_in_month (guint y, int m)
{
  static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gboolean leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

  return m == 2 && leap ? 29 : days[m - 1];
}

/* "10/Oct/2000:13:55:36 -0700" (the brackets taken by the caller). */
static gboolean
take_date (Cursor *c, gint64 *out_epoch_s)
{
  guint day, year, hour, minute, second, tz_h, tz_m;
  int month = 0, sign;

  if (!take_digits (c, 2, &day) || !take (c, '/') || c->end - c->p < 3)
    return FALSE;
  while (month < 12 && memcmp (c->p, months[month], 3) != 0)
    month++;
  if (month == 12)
    return FALSE;
  month++;
  c->p += 3;
  if (!take (c, '/') || !take_digits (c, 4, &year) || !take (c, ':')
      || !take_digits (c, 2, &hour) || !take (c, ':') || !take_digits (c, 2, &minute)
      || !take (c, ':') || !take_digits (c, 2, &second) || !take (c, ' '))
    return FALSE;
  if (take (c, '+'))
    sign = 1;
  else if (take (c, '-'))
    sign = -1;
  else
    return FALSE;
  if (!take_digits (c, 2, &tz_h) || !take_digits (c, 2, &tz_m))
    return FALSE;
  if (year == 0 || day < 1 || (int) day > days_in_month (year, month) || hour > 23
      || minute > 59 || second > 59 || tz_h > 14 || tz_m > 59)
    return FALSE;
  *out_epoch_s = days_from_civil (year, month, (int) day) * 86400
                 + hour * 3600 + minute * 60 + second
                 - sign * (gint64) (tz_h * 3600 + tz_m * 60);
  return TRUE;
}

/* Parses one line; Returns: NULL, or why it is not a log line. */
static const char *
parse_log_line (const char *line, gsize length, PsLogFormat format, LogLine *out)
{
  Cursor c = { line, line + length };
  const char *start;
  gsize n;
  char host[PS_IPV4_STR_LEN];
  guint status;

  if (!take_token (&c, &start, &n))
    return "no client address";
  if (n >= sizeof host)
    return "the client address is not an IPv4 address";
  memcpy (host, start, n);
  host[n] = '\0';
  if (!ps_ipv4_parse (host, &out->address))
    return "the client address is not an IPv4 address";
  if (!take (&c, ' ') || !take_token (&c, &start, &n) || !take (&c, ' ')
      || !take_token (&c, &start, &n) || !take (&c, ' '))
    return "no identity and user fields after the address";
  if (!take (&c, '['))
    return "no [date] field";
  if (!take_date (&c, &out->epoch_s) || !take (&c, ']'))
    return "the date is not [dd/Mon/yyyy:HH:MM:SS +hhmm]";
  if (!take (&c, ' ') || !take_quoted (&c))
    return "no quoted request after the date";
  if (!take (&c, ' ') || !take_digits (&c, 3, &status))
    return "no 3-digit status after the request";
  if (!take (&c, ' ') || !take_token (&c, &start, &n))
    return "no byte count after the status";
  if (format == PS_LOG_COMBINED
      && (!take (&c, ' ') || !take_quoted (&c) || !take (&c, ' ') || !take_quoted (&c)))
    return "no quoted referer and user agent (the combined format has them; "
           "\"format\": \"common\" does not)";
  if (c.p < c.end && *c.p != ' ')
    return "unexpected text after the last field";
  return NULL;                          /* more fields after a space: allowed */
}

typedef struct
{
  guint       line;
  const char *reason;
} Malformed;

/* All lines of the log; NULL with @error when none parses, or at the
 * first bad line with strict. */
static GArray *
read_log_lines (Source *src, const PsLogOptions *options, GArray *malformed,
                guint *out_n_lines, GError **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (LogLine));
  const char *name = ps_scenario_replay_format_to_string (options->format);
  const char *text;
  gsize length;
  guint n_lines = 0;

  while (next_line (src, &text, &length))
    {
      LogLine parsed;
      Malformed bad = { src->line, NULL };

      if (is_blank (text, length))
        continue;
      n_lines++;
      bad.reason = parse_log_line (text, length, options->format, &parsed);
      if (bad.reason == NULL)
        {
          g_array_append_val (lines, parsed);
          continue;
        }
      if (options->strict)
        {
          source_fail (src, error, PS_SCENARIO_ERROR_VALUE, bad.line, "not a %s log "
                       "line: %s (expected every line in the %s format, as "
                       "\"strict\": true asks)", name, bad.reason, name);
          return NULL;
        }
      g_array_append_val (malformed, bad);
    }
  if (n_lines == 0)
    {
      source_fail (src, error, PS_SCENARIO_ERROR_VALUE, 1, "the file is empty "
                   "(expected lines of a %s access log)", name);
      return NULL;
    }
  if (lines->len == 0)
    {
      Malformed *first = &g_array_index (malformed, Malformed, 0);

      source_fail (src, error, PS_SCENARIO_ERROR_VALUE, first->line, "no line of %u is "
                   "a %s log line; this one: %s (expected lines in the %s format)",
                   n_lines, name, first->reason, name);
      return NULL;
    }
  *out_n_lines = n_lines;
  return g_steal_pointer (&lines);
}

/* One warning for the count, then the first few lines by number. */
static void
warn_malformed (Source *src, const GArray *malformed, guint n_lines,
                PsLogFormat format)
{
  const char *name = ps_scenario_replay_format_to_string (format);

  if (malformed->len == 0)
    return;
  source_warn (src, 0, "%u of %u lines are not %s log lines and are skipped%s",
               malformed->len, n_lines, name,
               malformed->len > MAX_REPORTED ? " (the first 5 follow)" : ":");
  for (guint i = 0; i < MIN (malformed->len, MAX_REPORTED); i++)
    {
      const Malformed *bad = &g_array_index (malformed, Malformed, i);

      source_warn (src, bad->line, "skipped: %s", bad->reason);
    }
}

/* Seconds after the earliest line, divided by @speed, in µs. */
static PsTime
log_time (gint64 seconds, double speed)
{
  double us;

  if (speed == 1.0 && seconds <= PS_DURATION_MAX / PS_USEC_PER_SEC)
    return PS_TIME_FROM_SEC (seconds);
  us = (double) seconds * 1e6 / speed;
  return us >= (double) PS_DURATION_MAX ? PS_DURATION_MAX : (PsTime) llround (us);
}

/**
 * ps_scenario_replay_load_access_log:
 * @file: the arrival's "file" key
 * @out: (out) (transfer full): one row per parsed line, finished
 * @out_addresses: (out) (transfer full): client k's address at [k]
 *
 * Reads an access log.  Times are shifted so that the earliest line (the
 * first, in a log written in order) is at t=0; lines out of order are
 * sorted, ties keeping their order in the file.
 */
gboolean
ps_scenario_replay_load_access_log (PsLoad *load, const PsField *file, const PsLogOptions *options,
                    const PsScenario *scenario, PsReplay **out,
                    guint32 **out_addresses, GError **error)
{
  g_auto (Source) src = { 0 };
  g_autoptr(GArray) malformed = g_array_new (FALSE, FALSE, sizeof (Malformed));
  g_autoptr(GArray) lines = NULL;
  g_autoptr(GArray) addresses = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GHashTable) clients = g_hash_table_new (NULL, NULL);
  g_autoptr(PsReplay) replay = ps_replay_new ();
  gint64 first = G_MAXINT64;
  guint n_lines = 0;

  if (!source_open (&src, load, file, error)
      || (lines = read_log_lines (&src, options, malformed, &n_lines, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < lines->len; i++)
    first = MIN (first, g_array_index (lines, LogLine, i).epoch_s);
  for (guint i = 0; i < lines->len; i++)
    {
      const LogLine *l = &g_array_index (lines, LogLine, i);
      gpointer key = GUINT_TO_POINTER (l->address), value;
      guint32 client;

      if (g_hash_table_lookup_extended (clients, key, NULL, &value))
        client = GPOINTER_TO_UINT (value);
      else
        {
          client = addresses->len;
          g_array_append_val (addresses, l->address);
          g_hash_table_insert (clients, key, GUINT_TO_POINTER (client));
        }
      ps_replay_add (replay, client, log_time (l->epoch_s - first, options->speed),
                     PS_REPLAY_NO_PRIORITY, PS_REPLAY_NO_WORK);
    }
  ps_replay_finish (replay);
  warn_malformed (&src, malformed, n_lines, options->format);
  warn_after_end (&src, replay, scenario, "requests");
  *out = g_steal_pointer (&replay);
  *out_addresses = (guint32 *) g_array_free (g_steal_pointer (&addresses), FALSE);
  return TRUE;
}
