/* test-replay.c: whole runs with recorded and drawn traffic
 *
 * Trace and access-log replay reproduce their files' arrival times,
 * priorities and client addresses exactly in requests.csv (checked
 * against independent readings of the files written here); malformed log
 * lines are reported; clients behind one NAT address share its quota;
 * bad input fails with the data file's name and line; adding a group does
 * not change the others' requests; network latency, initial backlogs and
 * per-group work do what they say.
 */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ps-test-util.h"

enum { F_ID, F_CLIENT, F_IP, F_PRIORITY, F_CREATED, F_FIRST_SENT, F_ADMITTED,
       F_COMPLETED, F_ATTEMPTS, F_N429, F_N503, F_OUTCOME, F_N };

/* --- helpers --------------------------------------------------------------- */

static void
write_file (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* These tests check replayed times exactly: no network latency. */
static const char *const exact[] = { "network.latency=0", NULL };

/* Writes @json as DIR/scenario.json and loads it, so that data files are
 * found relative to DIR, not to the working directory. */
static PsScenario *
load_in (const char *dir, const char *json, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "scenario.json", NULL);

  write_file (dir, "scenario.json", json);
  return ps_scenario_load_file (path, strstr (json, "\"network\"") ? NULL : exact, error);
}

static char *
shipped (const char *dir, const char *name)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");

  return g_build_filename (srcdir ? srcdir : ".", "..", dir, name, NULL);
}

static int
compare_ids (gconstpointer a, gconstpointer b)
{
  guint64 x = g_ascii_strtoull ((*(char ***) a)[F_ID], NULL, 10);
  guint64 y = g_ascii_strtoull ((*(char ***) b)[F_ID], NULL, 10);

  return x < y ? -1 : x > y;
}

/* requests.csv as rows of fields, by id. */
static GPtrArray *
read_requests (const char *dir)
{
  g_autofree char *text = ps_test_read (dir, "requests.csv");
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_assert_cmpstr (lines[0], ==, "id,client,ip,priority,created_s,first_sent_s,"
                   "admitted_s,completed_s,attempts,n429,n503,outcome");
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      char **fields = g_strsplit (lines[i], ",", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, F_N);
      g_ptr_array_add (rows, fields);
    }
  g_ptr_array_sort (rows, compare_ids);
  return rows;
}

/* "12.5" as exact µs; the test's own reading, not the loader's. */
static gint64
usec_of (const char *text)
{
  gint64 whole = 0, frac = 0;
  int digits = 0;
  const char *p = text;

  for (; g_ascii_isdigit (*p); p++)
    whole = whole * 10 + (*p - '0');
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++, digits++)
      frac = frac * 10 + (*p - '0');
  g_assert_cmpint (*p, ==, '\0');
  g_assert_cmpint (digits, <=, 6);
  for (; digits < 6; digits++)
    frac *= 10;
  return whole * 1000000 + frac;
}

static char *
seconds (gint64 us)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT, us / 1000000,
                          us % 1000000);
}

/* Per client name, the "created,priority" of its rows in id order. */
static GHashTable *
arrivals_by (GPtrArray *rows, int key_field)
{
  GHashTable *by = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < rows->len; i++)
    {
      char **f = rows->pdata[i];
      GPtrArray *list = g_hash_table_lookup (by, f[key_field]);

      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (by, g_strdup (f[key_field]), list);
        }
      g_ptr_array_add (list, g_strdup_printf ("%s,%s", f[F_CREATED], f[F_PRIORITY]));
    }
  return by;
}

static void
assert_same_list (GPtrArray *got, GPtrArray *expected, const char *who)
{
  g_assert_nonnull (got);
  g_test_message ("%s: %u arrivals", who, expected->len);
  g_assert_cmpuint (got->len, ==, expected->len);
  for (guint i = 0; i < got->len; i++)
    g_assert_cmpstr (got->pdata[i], ==, expected->pdata[i]);
}

/* --- trace ----------------------------------------------------------------- */

typedef struct
{
  gint64 time;
  guint  priority;
  guint  order;                 /* in the file */
} TraceRow;

static int
compare_trace_rows (gconstpointer a, gconstpointer b)
{
  const TraceRow *x = a, *y = b;

  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  return x->order < y->order ? -1 : 1;  /* ties keep file order */
}

/* A trace with columns in another order, a quoted client name with a
 * comma, CRLF line ends, a blank line, rows out of order, a tie, work_s
 * given and not: every request is created at its row's time with its
 * priority, and its service time is work_s or the group's "work". */
static void
test_trace_exact (void)
{
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) sc = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  static const struct { const char *client, *ip, *created, *completed; guint prio; } want[] = {
    { "trace-0", "127.7.0.9", "0.500000", "2.500000", 1 },
    { "trace-0", "127.7.0.9", "0.500000", "2.500000", 0 },
    { "trace-2", "127.7.0.5", "1.500000", "1.600000", 3 },
    { "trace-0", "127.7.0.9", "1.500000", "3.500000", 2 },
    { "trace-1", "127.7.0.3", "2.000001", "2.250001", 0 },
    { "trace-1", "127.7.0.3", "10.000000", "12.000000", 1 },
  };

  g_test_summary ("Trace rows become requests at their exact times, with their "
                  "priorities, on the clients they name, with work_s as service time");
  write_file (dir, "trace.csv",
              "priority, work_s ,time_s,client\r\n"
              "1,,0.5,alpha\r\n"
              "0,0.25,2.000001,beta\r\n"
              "2,,1.5,alpha\r\n"
              "\r\n"
              "3,0.1,1.5,\"gam,ma\"\r\n"
              "0,,0.5,alpha\r\n"
              "1,,10,beta\r\n");
  sc = load_in (dir,
                "{ \"duration\": \"1m\", \"server\": { \"workers\": 100, \"service_time\": \"1s\","
                "  \"quota\": { \"limit\": 1000 } },"
                "  \"clients\": [ { \"group\": \"trace\", \"work\": \"2s\","
                "    \"ip\": [\"127.7.0.9\", \"127.7.0.3\", \"127.7.0.5\"],"
                "    \"arrival\": { \"process\": \"trace\", \"file\": \"trace.csv\" },"
                "    \"concurrency\": 0 } ] }", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sc->groups[0].count, ==, 3);
  g_assert_true (ps_test_run_to_dir (sc, dir, NULL, &error));
  rows = read_requests (dir);
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < rows->len; i++)
    {
      char **f = rows->pdata[i];
      g_autofree char *prio = g_strdup_printf ("%u", want[i].prio);

      g_assert_cmpstr (f[F_CLIENT], ==, want[i].client);
      g_assert_cmpstr (f[F_IP], ==, want[i].ip);
      g_assert_cmpstr (f[F_PRIORITY], ==, prio);
      g_assert_cmpstr (f[F_CREATED], ==, want[i].created);
      g_assert_cmpstr (f[F_ADMITTED], ==, want[i].created);
      g_assert_cmpstr (f[F_COMPLETED], ==, want[i].completed);
      g_assert_cmpstr (f[F_OUTCOME], ==, "completed");
    }
  ps_test_rmdir (dir);
}

/* The shipped trace: every row before the end of the run, per client in
 * time order (ties in file order), with its priority, on the client's
 * address in the group's block. */
static void
test_trace_shipped (void)
{
  g_autofree char *scenario = shipped ("scenarios", "replay-trace.json");
  g_autofree char *csv = shipped ("data", "sample-trace.csv");
  g_autofree char *text = NULL;
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) sc = ps_scenario_load_file (scenario, exact, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                          (GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) got = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_no_error (error);
  g_file_get_contents (csv, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "client,time_s,priority,work_s");
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      TraceRow row = { usec_of (f[1]), (guint) atoi (f[2]), i };
      GArray *list = g_hash_table_lookup (expected, f[0]);

      if (list == NULL)
        {
          list = g_array_new (FALSE, FALSE, sizeof (TraceRow));
          g_ptr_array_add (names, g_strdup (f[0]));
          g_hash_table_insert (expected, names->pdata[names->len - 1], list);
        }
      if (row.time < sc->duration)
        g_array_append_val (list, row);
    }
  g_assert_true (ps_test_run_to_dir (sc, dir, NULL, &error));
  rows = read_requests (dir);
  got = arrivals_by (rows, F_CLIENT);
  g_assert_cmpuint (g_hash_table_size (got), ==, names->len);
  for (guint k = 0; k < names->len; k++)
    {
      GArray *list = g_hash_table_lookup (expected, names->pdata[k]);
      g_autoptr(GPtrArray) want = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *client = g_strdup_printf ("trace-%u", k);
      g_autofree char *ip = g_strdup_printf ("127.20.0.%u", k + 1);

      g_array_sort (list, compare_trace_rows);
      for (guint i = 0; i < list->len; i++)
        {
          const TraceRow *r = &g_array_index (list, TraceRow, i);
          g_autofree char *s = seconds (r->time);

          g_ptr_array_add (want, g_strdup_printf ("%s,%u", s, r->priority));
        }
      assert_same_list (g_hash_table_lookup (got, client), want, names->pdata[k]);
    }
  for (guint i = 0; i < rows->len; i++)
    {
      char **f = rows->pdata[i];
      g_autofree char *ip = g_strdup_printf ("127.20.0.%d", atoi (f[F_CLIENT] + 6) + 1);

      g_assert_cmpstr (f[F_IP], ==, ip);
    }
  ps_test_rmdir (dir);
}

/* --- access log ------------------------------------------------------------ */

/* The test's own reading of a combined log line, with GRegex and
 * GDateTime: Returns: FALSE if the line is not one. */
static gboolean
read_log_line (GRegex *re, const char *line, char **out_ip, gint64 *out_unix)
{
  g_autoptr(GMatchInfo) m = NULL;
  static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                        "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autofree char *mon = NULL, *zone = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) when = NULL;
  int month = 0, sign, offset;

  if (!g_regex_match (re, line, 0, &m))
    return FALSE;
  mon = g_match_info_fetch (m, 3);
  while (strcmp (months[month], mon) != 0)
    month++;
  zone = g_match_info_fetch (m, 8);
  sign = zone[0] == '-' ? -1 : 1;
  offset = sign * (((zone[1] - '0') * 10 + (zone[2] - '0')) * 3600
                   + ((zone[3] - '0') * 10 + (zone[4] - '0')) * 60);
  tz = g_time_zone_new_offset (offset);
  {
    g_autofree char *d = g_match_info_fetch (m, 2), *y = g_match_info_fetch (m, 4);
    g_autofree char *h = g_match_info_fetch (m, 5), *mi = g_match_info_fetch (m, 6);
    g_autofree char *s = g_match_info_fetch (m, 7);

    when = g_date_time_new (tz, atoi (y), month + 1, atoi (d), atoi (h), atoi (mi),
                            atoi (s));
  }
  *out_ip = g_match_info_fetch (m, 1);
  *out_unix = g_date_time_to_unix (when);
  return TRUE;
}

/* Per address, the expected "created,priority-less" times of a log. */
static GHashTable *
expected_log_times (const char *path, gint64 speed_num, gint64 speed_den,
                    guint *out_malformed)
{
  g_autoptr(GRegex) re = g_regex_new (
    "^(\\d+\\.\\d+\\.\\d+\\.\\d+) \\S+ \\S+ \\[(\\d\\d)/(\\w\\w\\w)/(\\d{4}):(\\d\\d):"
    "(\\d\\d):(\\d\\d) ([+-]\\d{4})\\] \"[^\"]*\" \\d{3} \\S+ \"[^\"]*\" \"[^\"]*\"$",
    0, 0, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) ips = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTable *by = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_ptr_array_unref);
  gint64 first = G_MAXINT64;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  *out_malformed = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *ip;
      gint64 t;

      if (lines[i][0] == '\0')
        continue;
      if (!read_log_line (re, lines[i], &ip, &t))
        {
          (*out_malformed)++;
          continue;
        }
      g_ptr_array_add (ips, ip);
      g_array_append_val (times, t);
      first = MIN (first, t);
    }
  /* stable: per address, by time, ties in file order */
  for (guint i = 0; i < ips->len; i++)
    {
      GPtrArray *list = g_hash_table_lookup (by, ips->pdata[i]);
      gint64 us = (g_array_index (times, gint64, i) - first) * 1000000 * speed_den
                  / speed_num;

      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (by, g_strdup (ips->pdata[i]), list);
        }
      g_ptr_array_add (list, seconds (us));
    }
  return by;
}

static int
compare_times (gconstpointer a, gconstpointer b)
{
  gint64 x = usec_of (*(char **) a), y = usec_of (*(char **) b);

  return x < y ? -1 : x > y;
}

/* Compares a run's rows by address with the expected times by address. */
static void
assert_log_replayed (GPtrArray *rows, GHashTable *expected)
{
  g_autoptr(GHashTable) got = arrivals_by (rows, F_IP);
  GHashTableIter it;
  gpointer ip, list;

  g_assert_cmpuint (g_hash_table_size (got), ==, g_hash_table_size (expected));
  g_hash_table_iter_init (&it, expected);
  while (g_hash_table_iter_next (&it, &ip, &list))
    {
      GPtrArray *want = list;
      GPtrArray *have = g_hash_table_lookup (got, ip);

      g_ptr_array_sort (want, compare_times);     /* stable: equal times equal */
      g_assert_nonnull (have);
      g_assert_cmpuint (have->len, ==, want->len);
      for (guint i = 0; i < have->len; i++)
        {
          g_autofree char *created = g_strndup (have->pdata[i],
                                                strcspn (have->pdata[i], ","));

          g_assert_cmpstr (created, ==, want->pdata[i]);
        }
    }
}

/* The shipped log replays every well-formed line at its time, on its
 * address; its three malformed lines are reported by number; and the
 * quota refuses the scraper, and nobody else. */
static void
test_access_log_shipped (void)
{
  g_autofree char *scenario = shipped ("scenarios", "replay-access-log.json");
  g_autofree char *log = shipped ("data", "sample-access.log");
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) sc = ps_scenario_load_file (scenario, exact, &error);
  g_autoptr(GHashTable) expected = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *clients = NULL;
  g_auto(GStrv) lines = NULL;
  guint malformed, refused_clients = 0;

  g_test_summary ("An access log replays per address at its timestamps; malformed "
                  "lines are reported; clients.csv shows who was throttled");
  g_assert_no_error (error);
  expected = expected_log_times (log, 1, 1, &malformed);
  g_assert_cmpuint (malformed, ==, 3);
  g_assert_cmpuint (g_strv_length (sc->warnings), ==, 4);
  g_assert_nonnull (strstr (sc->warnings[0], "sample-access.log: 3 of 580 lines are "
                            "not combined log lines and are skipped"));
  g_assert_nonnull (strstr (sc->warnings[1], "sample-access.log:38: skipped: the client "
                            "address is not an IPv4 address"));
  g_assert_nonnull (strstr (sc->warnings[2], "sample-access.log:151: skipped: no byte "
                            "count after the status"));
  g_assert_nonnull (strstr (sc->warnings[3], "sample-access.log:302: skipped: "));
  g_assert_true (g_str_has_prefix (sc->warnings[0], scenario));
  g_assert_cmpuint (sc->groups[0].count, ==, g_hash_table_size (expected));

  g_assert_true (ps_test_run_to_dir (sc, dir, NULL, &error));
  rows = read_requests (dir);
  assert_log_replayed (rows, expected);

  clients = ps_test_read (dir, "clients.csv");
  lines = g_strsplit (clients, "\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);

      g_assert_cmpstr (f[0], ==, f[1]);           /* named by their addresses */
      if (strcmp (f[5], "0") != 0)                /* rejected */
        {
          refused_clients++;
          g_assert_cmpstr (f[1], ==, "203.0.113.66");
        }
    }
  g_assert_cmpuint (refused_clients, ==, 1);
  ps_test_rmdir (dir);
}

#define LOG_LINE(ip, when) \
  ip " - - [" when "] \"GET / HTTP/1.1\" 200 5 \"-\" \"test\"\n"

/* Time zones are honoured, the earliest line is t=0 even when it is not
 * the first, speed divides time; with strict a malformed line is an
 * error naming its line. */
static void
test_access_log_speed_strict (void)
{
  static const char scenario[] =
    "{ \"duration\": \"1m\", \"clients\": [ { \"group\": \"web\","
    "  \"arrival\": { \"process\": \"access_log\", \"file\": \"web.log\","
    "                 \"speed\": 2%s } } ] }";
  g_autofree char *dir = ps_test_tmpdir ();
  g_autofree char *log = g_build_filename (dir, "web.log", NULL);
  g_autofree char *lenient = g_strdup_printf (scenario, "");
  g_autofree char *strict = g_strdup_printf (scenario, ", \"strict\": true");
  g_autofree char *expected_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) sc = NULL;
  g_autoptr(PsScenario) refused = NULL;
  g_autoptr(GHashTable) expected = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint malformed;

  write_file (dir, "web.log",
              LOG_LINE ("198.51.100.1", "10/Oct/2000:13:55:36 -0700")
              "198.51.100.9 - - [10/Oct/2000:13:55:37 -0700] \"GET / HTTP/1.1\" 200 5\n"
              LOG_LINE ("198.51.100.2", "10/Oct/2000:21:55:46 +0100")
              LOG_LINE ("198.51.100.1", "10/Oct/2000:20:55:35 +0000")
              LOG_LINE ("198.51.100.2", "29/Feb/2000:00:00:00 +0000"));
  sc = load_in (dir, lenient, &error);
  g_assert_no_error (error);
  expected = expected_log_times (log, 2, 1, &malformed);
  g_assert_cmpuint (malformed, ==, 1);
  g_assert_cmpuint (g_strv_length (sc->warnings), ==, 3);
  g_assert_nonnull (strstr (sc->warnings[1], "web.log:2: skipped: no quoted referer"));
  g_assert_nonnull (strstr (sc->warnings[2], "web.log: 3 of 4 requests come at or "
                            "after the run's end (duration 1m) and are not replayed"));
  /* 29 Feb 2000 is months earlier: it is t=0; the others lie beyond 1m */
  g_assert_true (ps_test_run_to_dir (sc, dir, NULL, &error));
  rows = read_requests (dir);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((char **) rows->pdata[0])[F_CREATED], ==, "0.000000");
  g_assert_cmpstr (((char **) rows->pdata[0])[F_IP], ==, "198.51.100.2");
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&sc, ps_scenario_free);

  /* without the leap-day line: 20:55:35 UTC is t=0, 13:55:36 -0700 is 1 s
   * later, 21:55:46 +0100 11 s later; at speed 2: 0, 0.5 and 5.5 s */
  write_file (dir, "web.log",
              LOG_LINE ("198.51.100.1", "10/Oct/2000:13:55:36 -0700")
              "198.51.100.9 - - [10/Oct/2000:13:55:37 -0700] \"GET / HTTP/1.1\" 200 5\n"
              LOG_LINE ("198.51.100.2", "10/Oct/2000:21:55:46 +0100")
              LOG_LINE ("198.51.100.1", "10/Oct/2000:20:55:35 +0000"));
  g_clear_pointer (&expected, g_hash_table_unref);
  expected = expected_log_times (log, 2, 1, &malformed);
  sc = load_in (dir, lenient, &error);
  g_assert_no_error (error);
  g_assert_true (ps_test_run_to_dir (sc, dir, NULL, &error));
  rows = read_requests (dir);
  g_assert_cmpuint (rows->len, ==, 3);
  assert_log_replayed (rows, expected);
  g_assert_cmpstr (((char **) rows->pdata[2])[F_CREATED], ==, "5.500000");

  refused = load_in (dir, strict, &error);
  g_assert_null (refused);
  g_assert_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_VALUE);
  expected_error = g_strdup_printf ("clients[0].arrival.file: %s:2: not a combined log "
                                    "line: no quoted referer", log);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, expected_error));
  ps_test_rmdir (dir);
}

/* --- shared addresses ------------------------------------------------------ */

/* Three clients in two groups behind one address, 10 per minute: over
 * 5 minutes the address gets 50 admissions in all, not 50 each. */
static void
test_shared_ip_quota (void)
{
  static const char scenario[] =
    "{ \"duration\": \"5m\", \"server\": { \"workers\": 100, \"service_time\": \"10ms\","
    "  \"quota\": { \"limit\": 10, \"window\": \"1m\" } },"
    "  \"clients\": ["
    "   { \"group\": \"office\", \"count\": 2, \"ip\": [\"%s\", \"%s\"], \"shared_ip\": %s,"
    "     \"arrival\": { \"process\": \"constant\", \"interval\": \"1s\" },"
    "     \"concurrency\": 0, \"on_429\": \"drop\" },"
    "   { \"group\": \"phones\", \"count\": 1, \"ip\": [\"%s\"], \"shared_ip\": %s,"
    "     \"arrival\": { \"process\": \"constant\", \"interval\": \"1s\" },"
    "     \"concurrency\": 0, \"on_429\": \"drop\" } ] }";
  g_autofree char *nat = g_strdup_printf (scenario, "127.9.0.1", "127.9.0.1", "true",
                                          "127.9.0.1", "true");
  g_autofree char *apart = g_strdup_printf (scenario, "127.9.0.1", "127.9.0.2", "false",
                                            "127.9.0.3", "false");
  g_autofree char *one_sided = g_strdup_printf (scenario, "127.9.0.1", "127.9.0.1", "true",
                                                "127.9.0.1", "false");
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) shared = ps_test_scenario (nat, NULL);
  g_autoptr(PsScenario) separate = ps_test_scenario (apart, NULL);
  g_autoptr(PsScenario) bad = NULL;
  g_autofree char *clients = NULL;
  PsRunSummary s;

  g_test_summary ("Clients behind one NAT address, in one group or several, share "
                  "the address's quota");
  g_assert_true (ps_test_run_to_dir (shared, dir, &s, &error));
  g_assert_cmpuint (s.totals.completed, ==, 50);
  clients = ps_test_read (dir, "clients.csv");
  g_assert_nonnull (strstr (clients, "office-0,127.9.0.1,"));
  g_assert_nonnull (strstr (clients, "office-1,127.9.0.1,"));
  g_assert_nonnull (strstr (clients, "phones-0,127.9.0.1,"));
  g_assert_true (ps_test_run_to_dir (separate, dir, &s, &error));
  g_assert_cmpuint (s.totals.completed, ==, 150);

  bad = ps_scenario_load_data (one_sided, -1, "t.json", NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "clients[1].ip: 127.9.0.1 is also an "
                            "address of clients[0] (expected groups with distinct "
                            "addresses, or \"shared_ip\": true in both groups)"));
  ps_test_rmdir (dir);
}

/* --- bad input ------------------------------------------------------------- */

typedef struct
{
  const char      *name;
  const char      *process;     /* "trace" or "access_log" */
  const char      *contents;    /* NULL: no file */
  PsScenarioError  code;
  const char      *message;     /* after "FILE", which the test prefixes */
} BadCase;

static const BadCase bad_cases[] = {
  { "trace/missing-file", "trace", NULL, PS_SCENARIO_ERROR_IO,
    "\": No such file or directory (expected a file name, relative to the "
    "scenario file's directory)" },
  { "trace/no-priority-column", "trace", "time_s,client\n1,a\n", PS_SCENARIO_ERROR_VALUE,
    ":1: the header has no \"priority\" column (expected a header naming time_s, "
    "client, priority and optionally work_s, in any order)" },
  { "trace/unknown-column", "trace", "time_s,client,prio\n1,a,0\n",
    PS_SCENARIO_ERROR_VALUE, ":1: unknown column \"prio\"" },
  { "trace/duplicate-column", "trace", "time_s,client,priority,client\n",
    PS_SCENARIO_ERROR_VALUE, ":1: column \"client\" appears twice" },
  { "trace/empty", "trace", "", PS_SCENARIO_ERROR_VALUE,
    ":1: the file is empty (expected a header naming time_s" },
  { "trace/header-only", "trace", "time_s,client,priority\n", PS_SCENARIO_ERROR_VALUE,
    ":2: no rows after the header (expected at least one request)" },
  { "trace/bad-time", "trace", "time_s,client,priority\n1,a,0\n1m,a,0\n",
    PS_SCENARIO_ERROR_VALUE, ":3: time_s \"1m\" is not a number of seconds" },
  { "trace/negative-time", "trace", "time_s,client,priority\n-1,a,0\n",
    PS_SCENARIO_ERROR_RANGE, ":2: time_s -1 is negative" },
  { "trace/finer-than-us", "trace", "time_s,client,priority\n0.0000001,a,0\n",
    PS_SCENARIO_ERROR_VALUE, ":2: time_s 0.0000001 is finer than a microsecond" },
  { "trace/priority-16", "trace", "time_s,client,priority\n1,a,16\n",
    PS_SCENARIO_ERROR_RANGE, ":2: priority \"16\" is not an integer 0..15" },
  { "trace/bad-work", "trace", "time_s,client,priority,work_s\n1,a,0,fast\n",
    PS_SCENARIO_ERROR_VALUE, ":2: work_s \"fast\" is not a number of seconds" },
  { "trace/field-count", "trace", "time_s,client,priority\n\n1,a\n",
    PS_SCENARIO_ERROR_VALUE, ":3: 2 fields, but the header has 3" },
  { "trace/empty-client", "trace", "time_s,client,priority\n1,,0\n",
    PS_SCENARIO_ERROR_VALUE, ":2: client is empty" },
  { "trace/open-quote", "trace", "time_s,client,priority\n1,\"a,0\n",
    PS_SCENARIO_ERROR_VALUE, ":2: a quote does not close" },
  { "log/missing-file", "access_log", NULL, PS_SCENARIO_ERROR_IO,
    "\": No such file or directory" },
  { "log/empty", "access_log", "\n\n", PS_SCENARIO_ERROR_VALUE,
    ":1: the file is empty (expected lines of a combined access log)" },
  { "log/no-parsable-line", "access_log",
    "GET / HTTP/1.1\n203.0.113.5 - - [32/Jan/2026:10:00:00 +0000] \"GET /\" 200 1 \"-\" \"x\"\n",
    PS_SCENARIO_ERROR_VALUE, ":1: no line of 2 is a combined log line; this one: the "
    "client address is not an IPv4 address (expected lines in the combined format)" },
};

/* Each bad data file fails the load with PS_SCENARIO_ERROR (exit status
 * 2), naming the scenario's key and the data file with its line. */
static void
test_bad_input (gconstpointer data)
{
  const BadCase *c = data;
  g_autofree char *dir = ps_test_tmpdir ();
  g_autofree char *file = g_build_filename (dir, "input.dat", NULL);
  g_autofree char *json = g_strdup_printf (
    "{ \"clients\": [ { \"arrival\": { \"process\": \"%s\",\n"
    "    \"file\": \"input.dat\" } } ] }", c->process);
  g_autofree char *head = NULL;
  g_autofree char *tail = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) sc = NULL;
  const char *key;

  if (c->contents != NULL)
    write_file (dir, "input.dat", c->contents);
  sc = load_in (dir, json, &error);
  g_assert_null (sc);
  g_test_message ("%s", error->message);
  g_assert_error (error, PS_SCENARIO_ERROR, (int) c->code);
  head = g_strdup_printf ("%s/scenario.json:2:", dir);
  g_assert_true (g_str_has_prefix (error->message, head));
  key = strstr (error->message, ": clients[0].arrival.file: ");
  g_assert_nonnull (key);
  tail = c->contents == NULL ? g_strdup_printf ("cannot read \"%s%s", file, c->message)
                             : g_strdup_printf ("%s%s", file, c->message);
  g_assert_true (g_str_has_prefix (key + strlen (": clients[0].arrival.file: "), tail));
  ps_test_rmdir (dir);
}

/* The command line turns a bad data file into exit status 2. */
static void
test_bad_input_exit_status (void)
{
  const char *poolsim = g_getenv ("POOLSIM");
  g_autofree char *dir = ps_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "scenario.json", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (poolsim == NULL || !g_file_test (poolsim, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("POOLSIM is not set to the poolsim binary");
      return;
    }
  write_file (dir, "scenario.json", "{ \"clients\": [ { \"arrival\": "
              "{ \"process\": \"trace\", \"file\": \"gone.csv\" } } ] }");
  {
    const char *argv[] = { poolsim, "check", path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                  NULL, &err, &status, &error);
  }
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "gone.csv\": No such file or directory"));
  ps_test_rmdir (dir);
}

/* A replay decides its group's count, and an access log its addresses:
 * saying otherwise is a conflict; a log's addresses are claimed like an
 * "ip" list; rows after the run's end are a warning. */
static void
test_replay_conflicts (void)
{
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) sc = NULL;

  write_file (dir, "t.csv", "time_s,client,priority\n1,a,0\n2,b,0\n90,a,1\n");
  write_file (dir, "w.log", LOG_LINE ("198.51.100.1", "10/Oct/2000:13:55:36 -0700"));
  sc = load_in (dir, "{ \"clients\": [ { \"count\": 2,\n"
                "  \"arrival\": { \"process\": \"trace\", \"file\": \"t.csv\" } } ] }", &error);
  g_assert_null (sc);
  g_assert_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "scenario.json:1:28: clients[0].count: does "
                            "not apply to a trace group: its 2 distinct clients make "
                            "the group (expected no \"count\")"));
  g_clear_error (&error);
  sc = load_in (dir, "{ \"clients\": [ { \"ip\": \"127.3.0.0/24\",\n"
                "  \"arrival\": { \"process\": \"access_log\", \"file\": \"w.log\" } } ] }",
                &error);
  g_assert_null (sc);
  g_assert_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "clients[0].ip: does not apply to arrival "
                            "process \"access_log\""));
  g_clear_error (&error);
  sc = load_in (dir, "{ \"clients\": [ { \"ip\": \"198.51.100.0/24\" },\n"
                "  { \"arrival\": { \"process\": \"access_log\", \"file\": \"w.log\" } } ] }",
                &error);
  g_assert_null (sc);
  g_assert_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "clients[1].arrival.file: 198.51.100.1 is "
                            "also an address of clients[0]"));
  g_clear_error (&error);
  sc = load_in (dir, "{ \"duration\": \"1m\", \"clients\": [ { \"arrival\": "
                "{ \"process\": \"trace\", \"file\": \"t.csv\" } } ] }", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (sc->warnings), ==, 1);
  g_assert_nonnull (strstr (sc->warnings[0], "t.csv: 1 of 3 rows come at or after the "
                            "run's end (duration 1m) and are not replayed"));
  ps_test_rmdir (dir);
}

/* --- independence, latency, backlog, work ---------------------------------- */

/* Rows of @group's clients without id and address (which move when a
 * group is added before them). */
static char *
rows_of_group (const char *dir, const char *group)
{
  g_autoptr(GPtrArray) rows = read_requests (dir);
  g_autofree char *prefix = g_strdup_printf ("%s-", group);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      char **f = rows->pdata[i];

      if (!g_str_has_prefix (f[F_CLIENT], prefix))
        continue;
      g_string_append (out, f[F_CLIENT]);
      for (int k = F_PRIORITY; k < F_N; k++)
        g_string_append_printf (out, ",%s", f[k]);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* Adding a group leaves every other group's requests as they were: each
 * client draws from its own streams, whatever the process, with network
 * latency too, when the server is not the limit. */
static void
test_independence (void)
{
  static const char scenario[] =
    "{ \"duration\": \"10m\", \"seed\": 4,"
    "  \"server\": { \"workers\": 5000, \"quota\": { \"limit\": 100000 } },"
    "  \"network\": { \"latency\": { \"dist\": \"exponential\", \"mean\": \"20ms\" } },"
    "  \"clients\": [ %s"
    "   { \"group\": \"burst\", \"count\": 5, \"priorities\": [1, 2],"
    "     \"arrival\": { \"process\": \"onoff\", \"on_rate\": 4, \"on_mean\": \"5s\","
    "                    \"off_mean\": \"20s\" } },"
    "   { \"group\": \"wave\", \"count\": 5, \"initial_backlog\": 2,"
    "     \"arrival\": { \"process\": \"poisson\", \"rate\": 1,"
    "                    \"profile\": [[0, 0.1], [\"5m\", 2], [\"8m\", 0]] } },"
    "   { \"group\": \"replay\", \"work\": { \"dist\": \"uniform\", \"min\": 0, \"max\": 1 },"
    "     \"arrival\": { \"process\": \"trace\", \"file\": \"t.csv\" } } ] }";
  static const char *const groups[] = { "burst", "wave", "replay" };
  g_autofree char *dir = ps_test_tmpdir ();
  g_autofree char *d1 = g_build_filename (dir, "one", NULL);
  g_autofree char *d2 = g_build_filename (dir, "two", NULL);
  g_autofree char *without = g_strdup_printf (scenario, "");
  g_autofree char *with = g_strdup_printf (scenario,
    "{ \"group\": \"extra\", \"count\": 7, \"arrival\": { \"process\": \"poisson\", "
    "\"rate\": 3 } },");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) s1 = NULL;
  g_autoptr(PsScenario) s2 = NULL;

  g_test_summary ("Adding a client group leaves the other groups' rows of "
                  "requests.csv unchanged, for every arrival process");
  write_file (dir, "t.csv", "time_s,client,priority\n1,x,0\n1,y,1\n2.5,x,2\n7,y,0\n"
              "300,x,1\n");
  s1 = load_in (dir, without, &error);
  g_assert_no_error (error);
  s2 = load_in (dir, with, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (d1, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (d2, 0700), ==, 0);
  g_assert_true (ps_test_run_to_dir (s1, d1, NULL, &error));
  g_assert_true (ps_test_run_to_dir (s2, d2, NULL, &error));
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      g_autofree char *a = rows_of_group (d1, groups[i]);
      g_autofree char *b = rows_of_group (d2, groups[i]);

      g_assert_cmpuint (strlen (a), >, 100);
      g_assert_cmpstr (a, ==, b);
    }
  ps_test_rmdir (dir);
}

/* With a constant one-way delay L and constant service S, and the server
 * never the limit: the server admits a request L after it was sent and
 * the client has the answer L after it was done.  A 429 is decided at the
 * server, L after the send.  Latency 0 given explicitly changes nothing. */
static void
test_latency_legs (void)
{
  static const char scenario[] =
    "{ \"duration\": \"2m\", \"server\": { \"workers\": 100, \"service_time\": \"100ms\","
    "  \"quota\": { \"limit\": 20, \"window\": \"1m\" } }, %s"
    "  \"clients\": [ { \"count\": 3, \"arrival\": { \"process\": \"poisson\", \"rate\": 1 },"
    "    \"concurrency\": 0, \"on_429\": \"drop\" } ],"
    "  \"output\": { \"attempts\": true } }";
  g_autofree char *delayed = g_strdup_printf (scenario,
                                              "\"network\": { \"latency\": \"30ms\" },");
  g_autofree char *zero = g_strdup_printf (scenario, "\"network\": { \"latency\": 0 },");
  g_autofree char *plain = g_strdup_printf (scenario, "");
  g_autoptr(PsScenario) sc = ps_test_scenario (delayed, NULL);
  g_autoptr(PsScenario) s0 = ps_test_scenario (zero, NULL);
  g_autoptr(PsScenario) sp = ps_test_scenario (plain, NULL);
  g_autofree char *dir = ps_test_tmpdir ();
  g_autofree char *d0 = g_build_filename (dir, "zero", NULL);
  g_autofree char *dp = g_build_filename (dir, "plain", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *attempts = NULL;
  g_auto(GStrv) lines = NULL;
  guint completed = 0, refused = 0;

  g_assert_true (ps_test_run_to_dir (sc, dir, NULL, &error));
  rows = read_requests (dir);
  for (guint i = 0; i < rows->len; i++)
    {
      char **f = rows->pdata[i];

      if (strcmp (f[F_OUTCOME], "completed") != 0)
        continue;
      completed++;
      g_assert_cmpint (usec_of (f[F_ADMITTED]) - usec_of (f[F_FIRST_SENT]), ==, 30000);
      g_assert_cmpint (usec_of (f[F_COMPLETED]) - usec_of (f[F_ADMITTED]), ==, 130000);
    }
  g_assert_cmpuint (completed, >, 100);
  attempts = ps_test_read (dir, "attempts.csv");
  lines = g_strsplit (attempts, "\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      char **req;

      if (strcmp (f[3], "429") != 0)
        continue;
      refused++;
      req = rows->pdata[g_ascii_strtoull (f[1], NULL, 10)];
      g_assert_cmpstr (req[F_ID], ==, f[1]);
      g_assert_cmpint (usec_of (f[0]) - usec_of (req[F_FIRST_SENT]), ==, 30000);
      g_assert_cmpstr (req[F_OUTCOME], ==, "rejected");
    }
  g_assert_cmpuint (refused, >, 10);

  g_assert_cmpint (g_mkdir (d0, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (dp, 0700), ==, 0);
  g_assert_true (ps_test_run_to_dir (s0, d0, NULL, &error));
  g_assert_true (ps_test_run_to_dir (sp, dp, NULL, &error));
  {
    g_autofree char *a = ps_test_read (d0, "requests.csv");
    g_autofree char *b = ps_test_read (dp, "requests.csv");
    g_autofree char *c = ps_test_read (d0, "attempts.csv");
    g_autofree char *d = ps_test_read (dp, "attempts.csv");

    g_assert_cmpstr (a, ==, b);
    g_assert_cmpstr (c, ==, d);
  }
  ps_test_rmdir (dir);
}

/* initial_backlog: each client holds its requests at t=0, created before
 * any arrival, ids in client order; a group's "work" is their service. */
static void
test_backlog_and_work (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (
    "{ \"duration\": \"1m\", \"server\": { \"workers\": 1000, \"service_time\": \"1s\","
    "  \"quota\": { \"limit\": 1000 } },"
    "  \"clients\": [ { \"group\": \"g\", \"count\": 4, \"initial_backlog\": 3,"
    "    \"work\": \"250ms\", \"concurrency\": 0, \"priorities\": [1, 1, 1],"
    "    \"arrival\": { \"process\": \"constant\", \"interval\": \"10s\" } },"
    "    { \"group\": \"h\", \"arrival\": { \"process\": \"constant\", \"interval\": \"10s\" },"
    "      \"concurrency\": 0 } ] }", NULL);
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint completed = 0;

  g_assert_true (ps_test_run_to_dir (sc, dir, NULL, &error));
  rows = read_requests (dir);
  for (guint i = 0; i < 12; i++)
    {
      char **f = rows->pdata[i];
      g_autofree char *client = g_strdup_printf ("g-%u", i / 3);

      g_assert_cmpstr (f[F_CLIENT], ==, client);
      g_assert_cmpstr (f[F_CREATED], ==, "0.000000");
    }
  for (guint i = 0; i < rows->len; i++)
    {
      char **f = rows->pdata[i];

      if (strcmp (f[F_OUTCOME], "completed") != 0)
        continue;                        /* started in the last second */
      completed++;
      g_assert_cmpint (usec_of (f[F_COMPLETED]) - usec_of (f[F_ADMITTED]), ==,
                       f[F_CLIENT][0] == 'g' ? 250000 : 1000000);
    }
  /* 10 s apart from a phase in [0, 10 s): exactly 6 arrivals in a minute */
  g_assert_cmpuint (rows->len, ==, 12 + 4 * 6 + 6);
  g_assert_cmpuint (completed, >=, rows->len - 1);
  ps_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/replay/trace/exact", test_trace_exact);
  g_test_add_func ("/replay/trace/shipped", test_trace_shipped);
  g_test_add_func ("/replay/access-log/shipped", test_access_log_shipped);
  g_test_add_func ("/replay/access-log/speed-and-strict", test_access_log_speed_strict);
  g_test_add_func ("/replay/shared-ip/one-quota", test_shared_ip_quota);
  g_test_add_func ("/replay/conflicts", test_replay_conflicts);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/replay/bad-input/%s", bad_cases[i].name);

      g_test_add_data_func (path, &bad_cases[i], test_bad_input);
    }
  g_test_add_func ("/replay/bad-input/exit-status", test_bad_input_exit_status);
  g_test_add_func ("/replay/independence", test_independence);
  g_test_add_func ("/replay/latency/legs", test_latency_legs);
  g_test_add_func ("/replay/backlog-and-work", test_backlog_and_work);
  return g_test_run ();
}
