/* test-plot.c: charts and their derived data (src/output/ps-plot*.c) and
 * the `poolsim plot` command (src/cli/ps-cmd-plot.c)
 *
 * Every test works in a fresh directory from g_dir_make_tmp(), removed at
 * the end: either a copy of tests/data/rundir (a small realistic run) or a
 * tiny run or sweep directory written here by hand, whose derived files are
 * checked line by line.  Tests that need gnuplot skip when it is not
 * installed.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "ps-plot.h"

/* The CLI layer is not a library the tests link; its plot command is small
 * and depends on ps-plot only, so it is compiled into this test. */
#include "../src/cli/ps-cmd-plot.c"

/* The charts of a run without faults; "stability" is drawn only for a run
 * with faults (it has stability.csv). */
static const char * const charts[] = { "timeseries", "latency_cdf", "clients", "quota" };

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */
/* ---------------------------------------------------------------------- */

static char *
make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("poolsim-plot-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* Removes @path and everything under it. */
static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_assert_cmpint (g_remove (path), ==, 0);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static char *
read_file (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static gboolean
file_exists (const char *dir,
             const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* A fresh temporary copy of tests/data/rundir. */
static char *
copy_fixture (void)
{
  static const char * const files[] = {
    "requests.csv", "timeseries.csv", "clients.csv", "summary.json",
  };
  char *dir = make_tmp_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *src = g_test_build_filename (G_TEST_DIST, "data",
                                                    "rundir", files[i], NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;

      g_file_get_contents (src, &contents, NULL, &error);
      g_assert_no_error (error);
      write_file (dir, files[i], contents);
    }
  return dir;
}

/* No leftover temporary file ("<name>.<pid>.tmp" or ".<chart>.<fmt>..."). */
static void
assert_no_temporaries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_false (g_str_has_prefix (name, "."));
      g_assert_false (g_str_has_suffix (name, ".tmp"));
    }
}

static char *
need_gnuplot (void)
{
  char *gnuplot = g_find_program_in_path ("gnuplot");

  if (gnuplot == NULL)
    g_test_skip ("gnuplot is not installed");
  return gnuplot;
}

static GPtrArray *
new_lines (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

static void
assert_lines_empty (GPtrArray  *lines,
                    const char *what)
{
  for (guint i = 0; i < lines->len; i++)
    g_test_message ("unexpected %s: %s", what,
                    (char *) g_ptr_array_index (lines, i));
  g_assert_cmpuint (lines->len, ==, 0);
}

static void
assert_png (const char *dir,
            const char *name)
{
  static const guchar signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *contents = NULL;
  gsize size = 0;

  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  g_assert_cmpuint (size, >, 10 * 1024);
  g_assert_cmpmem (contents, 8, signature, 8);
}

static void
assert_svg (const char *dir,
            const char *name)
{
  g_autofree char *contents = read_file (dir, name);

  g_assert_nonnull (strstr (contents, "<svg"));
  g_assert_nonnull (strstr (contents, "</svg>"));
  g_assert_cmpuint (strlen (contents), >, 10 * 1024);
}

/* The tiny hand-made run: window 10 s, limit 2, 30 s, four clients.
 * carol and alice got 429s (carol more); alice has admissions at
 * 9.999999 s and 10.000000 s, either side of a window boundary. */
static char *
make_tiny_run (gboolean with_requests)
{
  char *dir = make_tmp_dir ();
  GString *ts = g_string_new ("t_s,generated,sent,admitted,completed,"
                              "rejected_429,rejected_503,dropped,pool,"
                              "queued_at_clients,paused_clients\n");

  for (int t = 0; t < 30; t++)
    g_string_append_printf (ts, "%d.000000,1,1,1,1,0,0,0,0.500,0,%d\n", t,
                            t % 10 < 3);
  write_file (dir, "timeseries.csv", ts->str);
  g_string_free (ts, TRUE);
  write_file (dir, "clients.csv",
              "client,ip,group,generated,completed,rejected,dropped,n429,n503,mean_latency_s\n"
              "alice,127.0.0.1,public,4,3,0,0,1,0,0.450000\n"
              "bob,127.0.0.2,public,2,2,0,0,0,0,0.200000\n"
              "carol,127.0.0.3,batch,5,3,1,1,4,0,4.233333\n"
              "dave,127.0.0.4,batch,3,3,0,0,0,0,0.100000\n");
  write_file (dir, "summary.json",
              "{\"scenario\": \"tiny_run\", \"seed\": 7, \"mode\": \"sim\","
              " \"duration_s\": 30.0,"
              " \"config\": {\"workers\": 2, \"queue\": 0, \"bin_s\": 1.0,"
              "   \"quota\": [{\"name\": \"q\", \"algorithm\": \"fixed_window\","
              "                \"limit\": 2, \"window_s\": 10.0, \"burst\": 2}]},"
              " \"latency_s\": {\"by_priority\": {\"0\": {\"p50\": 0.5, \"p95\": 1.9,"
              "                                          \"p99\": 1.9}}},"
              " \"fairness\": {\"jain\": 0.95}}");
  if (with_requests)
    write_file (dir, "requests.csv",
                "id,client,ip,priority,created_s,first_sent_s,admitted_s,completed_s,attempts,n429,n503,outcome\n"
                "0,alice,127.0.0.1,0,0.500000,0.500000,0.500000,1.000000,1,0,0,completed\n"
                "1,alice,127.0.0.1,1,9.900000,9.900000,9.999999,10.500000,1,0,0,completed\n"
                "2,alice,127.0.0.1,0,9.950000,9.950000,10.000000,10.200000,2,1,0,completed\n"
                "4,carol,127.0.0.3,0,1.000000,1.000000,1.000000,2.000000,1,0,0,completed\n"
                "5,carol,127.0.0.3,0,1.100000,1.100000,1.200000,3.000000,1,0,0,completed\n"
                "6,carol,127.0.0.3,1,1.200000,1.200000,10.000000,11.000000,3,2,0,completed\n"
                "7,carol,127.0.0.3,1,2.000000,2.000000,,,1,1,0,rejected\n"
                "8,carol,127.0.0.3,1,3.000000,,,,0,0,0,dropped\n"
                "9,bob,127.0.0.2,0,5.000000,5.000000,5.000000,5.200000,1,0,0,completed\n"
                "10,bob,127.0.0.2,0,6.000000,6.000000,6.000000,6.200000,1,0,0,completed\n"
                "11,dave,127.0.0.4,2,20.000000,20.000000,20.000000,20.100000,1,0,0,completed\n"
                "12,dave,127.0.0.4,2,21.000000,21.000000,21.000000,21.100000,1,0,0,completed\n"
                "13,dave,127.0.0.4,2,22.000000,22.000000,22.000000,22.100000,1,0,0,completed\n"
                "3,alice,127.0.0.1,1,25.000000,25.000000,,,1,1,0,pending\n");
  return dir;
}

/* ---------------------------------------------------------------------- */
/* Charts of the fixture                                                  */
/* ---------------------------------------------------------------------- */

static void
test_fixture_draws_all (void)
{
  g_autofree char *gnuplot = need_gnuplot ();
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) warnings = new_lines ();
  g_autoptr(GPtrArray) notes = new_lines ();
  g_autoptr(GError) error = NULL;

  if (gnuplot == NULL)
    return;
  g_test_summary ("Every chart of a realistic run exists in both formats, "
                  "is a real image of some size, and gnuplot says nothing.");
  dir = copy_fixture ();
  g_assert_true (ps_plot_draw_all (dir, PS_PLOT_BOTH, NULL, warnings, notes,
                                   &error));
  g_assert_no_error (error);
  assert_lines_empty (warnings, "warning");
  assert_lines_empty (notes, "note");
  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    {
      g_autofree char *png = g_strdup_printf ("%s.png", charts[i]);
      g_autofree char *svg = g_strdup_printf ("%s.svg", charts[i]);

      assert_png (dir, png);
      assert_svg (dir, svg);
    }
  assert_no_temporaries (dir);
  remove_tree (dir);
}

static void
test_fixture_one_format (void)
{
  g_autofree char *gnuplot = need_gnuplot ();
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) warnings = new_lines ();
  g_autoptr(GError) error = NULL;

  if (gnuplot == NULL)
    return;
  dir = copy_fixture ();
  g_assert_true (ps_plot_draw_all (dir, PS_PLOT_SVG, gnuplot, warnings, NULL,
                                   &error));
  g_assert_no_error (error);
  assert_lines_empty (warnings, "warning");
  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    {
      g_autofree char *png = g_strdup_printf ("%s.png", charts[i]);
      g_autofree char *svg = g_strdup_printf ("%s.svg", charts[i]);

      g_assert_false (file_exists (dir, png));
      assert_svg (dir, svg);
    }
  remove_tree (dir);
}

static void
test_fixture_relocatable (void)
{
  g_autofree char *gnuplot = need_gnuplot ();
  g_autofree char *dir = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *meta = NULL;
  g_autoptr(GPtrArray) warnings = new_lines ();
  g_autoptr(GError) error = NULL;
  GDir *listing;
  const char *name;

  if (gnuplot == NULL)
    return;
  g_test_summary ("Derived files hold no absolute path; a run directory "
                  "moved elsewhere plots again.");
  dir = copy_fixture ();
  g_assert_true (ps_plot_write_data (dir, NULL, &error));
  g_assert_no_error (error);
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "plot-"))
      {
        g_autofree char *contents = read_file (dir, name);

        g_assert_null (strstr (contents, dir));
        g_assert_null (strstr (contents, g_get_tmp_dir ()));
      }
  g_dir_close (listing);

  moved = g_strconcat (dir, "-moved", NULL);
  g_assert_cmpint (g_rename (dir, moved), ==, 0);
  g_assert_true (ps_plot_draw_all (moved, PS_PLOT_PNG, NULL, warnings, NULL,
                                   &error));
  g_assert_no_error (error);
  assert_lines_empty (warnings, "warning");
  assert_png (moved, "timeseries.png");
  meta = read_file (moved, "plot-meta.gp");
  g_assert_nonnull (strstr (meta, "run_title = \"fixture · fixed_window 20 per 30 s"
                                  " · 6 workers · seed 42\""));
  remove_tree (moved);
}

/* @text with the first @from replaced by @to (which must be there). */
static char *
replace_once (const char *text, const char *from, const char *to)
{
  const char *at = strstr (text, from);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

/* ---------------------------------------------------------------------- */
/* Derived data of the tiny run                                           */
/* ---------------------------------------------------------------------- */

static void
test_data_quota_windows (void)
{
  g_autofree char *dir = make_tiny_run (TRUE);
  g_autofree char *quota = NULL;
  g_autofree char *meta = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Per-window admissions and creations of the throttled "
                  "clients only, most throttled first; windows are half-open.");
  g_assert_true (ps_plot_write_data (dir, NULL, &error));
  g_assert_no_error (error);
  quota = read_file (dir, "plot-quota.csv");
  g_assert_cmpstr (quota, ==,
                   "slot,client,window,window_start_s,admitted,created,limit\n"
                   "1,carol,0,0,2,5,2\n"
                   "1,carol,1,10,1,0,2\n"
                   "1,carol,2,20,0,0,2\n"
                   "2,alice,0,0,2,3,2\n"
                   "2,alice,1,10,1,0,2\n"
                   "2,alice,2,20,0,1,2\n");
  meta = read_file (dir, "plot-meta.gp");
  g_assert_nonnull (strstr (meta, "\nquota_n = 2\nquota_group = 1\nquota_throttled = 1\n"));
  g_assert_nonnull (strstr (meta, "array quota_title[2] = [\"carol (batch): 4 × 429, limit 2\", "
                                  "\"alice (public): 1 × 429, limit 2\"]\n"));
  g_assert_nonnull (strstr (meta, "\nquota_limit = 2\nwindow_s = 10\n"));
  remove_tree (dir);
}

/* One priority and two groups: the latency curves are the groups'. */
static void
test_data_latency_by_group (void)
{
  g_autofree char *dir = make_tiny_run (TRUE);
  g_autofree char *requests = read_file (dir, "requests.csv");
  g_auto(GStrv) lines = g_strsplit (requests, "\n", -1);
  g_autoptr(GString) one_priority = g_string_new (NULL);
  g_autofree char *latency = NULL, *marks = NULL, *meta = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);

      if (i > 0)
        {
          g_free (f[3]);
          f[3] = g_strdup ("0");
        }
      g_autofree char *row = g_strjoinv (",", f);
      g_string_append_printf (one_priority, "%s\n", row);
    }
  write_file (dir, "requests.csv", one_priority->str);
  g_assert_true (ps_plot_write_data (dir, NULL, &error));
  g_assert_no_error (error);
  latency = read_file (dir, "plot-latency.csv");
  marks = read_file (dir, "plot-latency-marks.csv");
  meta = read_file (dir, "plot-meta.gp");
  g_assert_true (g_str_has_prefix (latency, "latency_s,group_0,group_1\n"));
  g_assert_true (g_str_has_prefix (marks, "group,quantile,latency_s\n"));
  g_assert_nonnull (strstr (meta, "latency_by = \"group\"\n"));
  g_assert_nonnull (strstr (meta, "\"public: p50 "));
  g_assert_nonnull (strstr (meta, "\"batch: p50 "));
  remove_tree (dir);
}

/* Each client is held against its own limit: an override of its group
 * (scaled to the chart's window when its own differs), or of its address. */
static void
test_data_quota_own_limits (void)
{
  g_autofree char *dir = make_tiny_run (TRUE);
  g_autofree char *summary = NULL;
  g_autofree char *quota = NULL;
  g_autofree char *with_tiers = NULL;
  g_autoptr(GError) error = NULL;

  summary = read_file (dir, "summary.json");
  with_tiers = replace_once (summary, "\"burst\": 2}]},",
    "\"burst\": 2}], \"overrides\": ["
    "{\"cidr\": \"127.0.0.1/32\", \"quota\": [{\"limit\": 7, \"window_s\": 10.0}]},"
    "{\"group\": \"batch\", \"quota\": [{\"limit\": 8, \"window_s\": 20.0}]}]},");
  write_file (dir, "summary.json", with_tiers);
  g_assert_true (ps_plot_write_data (dir, NULL, &error));
  g_assert_no_error (error);
  quota = read_file (dir, "plot-quota.csv");
  g_assert_nonnull (strstr (quota, "1,carol,0,0,2,5,4\n"));   /* 8 per 20 s: 4 per 10 s */
  g_assert_nonnull (strstr (quota, "2,alice,0,0,2,3,7\n"));
  remove_tree (dir);
}

static void
test_data_quota_groups (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *quota = NULL;
  g_autoptr(GString) requests = g_string_new ("id,client,ip,priority,created_s,"
                                              "first_sent_s,admitted_s,"
                                              "completed_s,attempts,n429,n503,"
                                              "outcome\n");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  g_test_summary ("Past 120 windows a row stands for a group of windows "
                  "and holds the busiest one.");
  /* 1 s windows over 300 s: groups of 3.  One admission in windows 0, 1
   * and three in window 2: the first group's busiest window had 3. */
  write_file (dir, "timeseries.csv",
              "t_s,generated,sent,admitted,completed,rejected_429,rejected_503,"
              "dropped,pool,queued_at_clients,paused_clients\n"
              "0.000000,0,0,0,0,0,0,0,0.000,0,0\n");
  write_file (dir, "clients.csv",
              "client,ip,group,generated,completed,rejected,dropped,n429,n503,mean_latency_s\n"
              "solo,127.0.0.1,g,6,6,0,0,9,0,0.1\n");
  write_file (dir, "summary.json",
              "{\"duration_s\": 300, \"config\": {\"quota\": [{\"algorithm\":"
              " \"gcra\", \"limit\": 3, \"window_s\": 1}]}}");
  for (int i = 0; i < 6; i++)
    {
      static const char * const at[] = { "0.5", "1.5", "2.1", "2.2", "2.3", "299.9" };

      g_string_append_printf (requests, "%d,solo,127.0.0.1,0,%s,%s,%s,%s0,1,0,0,"
                              "completed\n", i, at[i], at[i], at[i], at[i]);
    }
  write_file (dir, "requests.csv", requests->str);
  g_assert_true (ps_plot_write_data (dir, NULL, &error));
  g_assert_no_error (error);
  quota = read_file (dir, "plot-quota.csv");
  lines = g_strsplit (quota, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 100 + 1);
  g_assert_cmpstr (lines[1], ==, "1,solo,0,0,3,3,3");
  g_assert_cmpstr (lines[2], ==, "1,solo,3,3,0,0,3");
  g_assert_cmpstr (lines[100], ==, "1,solo,297,297,1,1,3");
  remove_tree (dir);
}

static void
test_data_client_order (void)
{
  g_autofree char *dir = make_tiny_run (TRUE);
  g_autofree char *clients = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Clients sorted by completed requests, ties by generated, "
                  "then file order; pending is what is left.");
  g_assert_true (ps_plot_write_data (dir, NULL, &error));
  g_assert_no_error (error);
  clients = read_file (dir, "plot-clients.csv");
  g_assert_cmpstr (clients, ==,
                   "rank,client,group,generated,completed,rejected,dropped,"
                   "pending,n429,n503\n"
                   "0,carol,batch,5,3,1,1,0,4,0\n"
                   "1,alice,public,4,3,0,0,1,1,0\n"
                   "2,dave,batch,3,3,0,0,0,0,0\n"
                   "3,bob,public,2,2,0,0,0,0,0\n");
  remove_tree (dir);
}

/* The first and last non-empty cells of column @col of a CSV text. */
static void
column_ends (const char  *csv,
             guint        col,
             char       **out_first,
             char       **out_last)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);

  *out_first = *out_last = NULL;
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);

      g_assert_cmpuint (g_strv_length (cells), >, col);
      if (cells[col][0] == '\0')
        continue;
      if (*out_first == NULL)
        *out_first = g_strdup (cells[col]);
      g_free (*out_last);
      *out_last = g_strdup (cells[col]);
    }
}

static void
test_data_latency (void)
{
  g_autofree char *dir = make_tiny_run (TRUE);
  g_autofree char *cdf = NULL;
  g_autofree char *marks = NULL;
  g_autofree char *meta = NULL;
  g_auto(GStrv) mark_lines = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("One CDF per priority from 0 to 1; marks from summary.json "
                  "when it has them, else from the histogram; the footnote "
                  "counts pending requests per priority.");
  g_assert_true (ps_plot_write_data (dir, NULL, &error));
  g_assert_no_error (error);
  cdf = read_file (dir, "plot-latency.csv");
  g_assert_true (g_str_has_prefix (cdf, "latency_s,priority_0,priority_1,priority_2\n"));
  for (guint col = 1; col <= 3; col++)
    {
      g_autofree char *first = NULL;
      g_autofree char *last = NULL;

      column_ends (cdf, col, &first, &last);
      g_assert_cmpstr (first, ==, "0.000000");
      g_assert_cmpstr (last, ==, "1.000000");
    }

  marks = read_file (dir, "plot-latency-marks.csv");
  mark_lines = g_strsplit (marks, "\n", -1);
  g_assert_cmpstr (mark_lines[0], ==, "priority,quantile,latency_s");
  g_assert_cmpstr (mark_lines[1], ==, "0,0.50,0.5");      /* summary.json */
  g_assert_cmpstr (mark_lines[2], ==, "0,0.95,1.9");
  g_assert_cmpstr (mark_lines[3], ==, "0,0.99,1.9");
  g_assert_true (g_str_has_prefix (mark_lines[7], "2,0.50,")); /* histogram */
  {
    double p50 = g_ascii_strtod (mark_lines[7] + strlen ("2,0.50,"), NULL);

    /* 0.1 s, rounded down to the run histogram's bucket (0.4 %), then up
     * to the chart bin's edge (2.3 %) */
    g_assert_cmpfloat (p50, >=, 0.1 * (1 - 1.0 / 256));
    g_assert_cmpfloat (p50, <=, 0.1024);
  }

  meta = read_file (dir, "plot-meta.gp");
  g_assert_nonnull (strstr (meta, "\nn_priorities = 3\narray priority[3] = [0, 1, 2]\n"));
  g_assert_nonnull (strstr (meta, "priority 1: 2 completed, 1 still pending "
                                  "(and 1 rejected, 1 dropped)"));
  g_assert_nonnull (strstr (meta, "\"priority 0: p50 500 ms, p95 1.9 s, p99 1.9 s "
                                  "(6 completed)\""));
  g_assert_nonnull (strstr (meta, "\nrun_title = \"tiny_run · fixed_window 2 per 10 s"
                                  " · 2 workers · seed 7\"\n"));
  g_assert_nonnull (strstr (meta, "\njain = 0.95\n"));
  /* whole decades around the fastest (0.1 s) and slowest (9.8 s) */
  g_assert_nonnull (strstr (meta, "\nlatency_xmin = 0.1\nlatency_xmax = 10\n"));
  remove_tree (dir);
}

static void
test_data_quoted_names (void)
{
  g_autofree char *dir = make_tiny_run (FALSE);
  g_autofree char *clients = NULL;
  g_autofree char *meta = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("CSV quotes are read and written back; a title cannot "
                  "break out of its gnuplot string.");
  write_file (dir, "clients.csv",
              "client,ip,group,generated,completed,rejected,dropped,n429,n503,mean_latency_s\n"
              "\"odd, \"\"quoted\"\" one\",127.0.0.1,g,1,1,0,0,0,0,0.1\n");
  write_file (dir, "summary.json", "{\"scenario\": \"say \\\"hi\\\" \\\\ bye\"}");
  g_assert_true (ps_plot_write_data (dir, NULL, &error));
  g_assert_no_error (error);
  clients = read_file (dir, "plot-clients.csv");
  g_assert_nonnull (strstr (clients, "\n0,\"odd, \"\"quoted\"\" one\",g,1,1,0,0,0,0,0\n"));
  meta = read_file (dir, "plot-meta.gp");
  g_assert_nonnull (strstr (meta, "\nscenario = \"say \\\"hi\\\" \\\\ bye\"\n"));
  remove_tree (dir);
}

/* ---------------------------------------------------------------------- */
/* What is skipped, what fails, what is an error                          */
/* ---------------------------------------------------------------------- */

static void
test_no_requests (void)
{
  g_autofree char *gnuplot = need_gnuplot ();
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) warnings = new_lines ();
  g_autoptr(GPtrArray) notes = new_lines ();
  g_autoptr(GError) error = NULL;

  if (gnuplot == NULL)
    return;
  g_test_summary ("Without requests.csv, latency_cdf and quota are skipped "
                  "with a note, not a warning; the others are drawn.");
  dir = make_tiny_run (FALSE);
  g_assert_true (ps_plot_draw_all (dir, PS_PLOT_PNG, NULL, warnings, notes,
                                   &error));
  g_assert_no_error (error);
  assert_lines_empty (warnings, "warning");
  g_assert_cmpuint (notes->len, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (notes, 0), "latency_cdf: skipped: no requests.csv"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (notes, 1), "quota: skipped: no requests.csv"));
  g_assert_true (file_exists (dir, "timeseries.png"));
  g_assert_true (file_exists (dir, "clients.png"));
  g_assert_false (file_exists (dir, "latency_cdf.png"));
  g_assert_false (file_exists (dir, "quota.png"));
  remove_tree (dir);
}

static void
test_tiny_run_draws (void)
{
  g_autofree char *gnuplot = need_gnuplot ();
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) warnings = new_lines ();
  g_autoptr(GPtrArray) notes = new_lines ();
  g_autoptr(GError) error = NULL;

  if (gnuplot == NULL)
    return;
  dir = make_tiny_run (TRUE);
  g_assert_true (ps_plot_draw_all (dir, PS_PLOT_PNG, NULL, warnings, notes,
                                   &error));
  g_assert_no_error (error);
  assert_lines_empty (warnings, "warning");
  assert_lines_empty (notes, "note");
  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    {
      g_autofree char *png = g_strdup_printf ("%s.png", charts[i]);

      g_assert_true (file_exists (dir, png));
    }
  remove_tree (dir);
}

static void
test_many_clients (void)
{
  g_autofree char *gnuplot = need_gnuplot ();
  g_autofree char *dir = NULL;
  g_autoptr(GString) clients = g_string_new ("client,ip,group,generated,"
                                             "completed,rejected,dropped,n429,"
                                             "n503,mean_latency_s\n");
  g_autoptr(GPtrArray) warnings = new_lines ();
  g_autoptr(GError) error = NULL;

  if (gnuplot == NULL)
    return;
  g_test_summary ("More than 200 clients: the clients chart becomes a "
                  "distribution and still draws cleanly.");
  dir = make_tiny_run (FALSE);
  for (int i = 0; i < 1000; i++)
    g_string_append_printf (clients, "public-%d,127.1.%d.%d,public,%d,%d,%d,%d,"
                            "%d,0,0.5\n", i, i / 256, i % 256, 40 + i % 37,
                            30 + i % 29, i % 3, i % 2, i % 11);
  write_file (dir, "clients.csv", clients->str);
  g_assert_true (ps_plot_draw_all (dir, PS_PLOT_PNG, NULL, warnings, NULL,
                                   &error));
  g_assert_no_error (error);
  assert_lines_empty (warnings, "warning");
  assert_png (dir, "clients.png");
  remove_tree (dir);
}

static void
test_missing_gnuplot (void)
{
  g_autofree char *dir = copy_fixture ();
  g_autoptr(GPtrArray) warnings = new_lines ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("No gnuplot: one warning per chart naming it, success, "
                  "and no image file at all.");
  g_assert_true (ps_plot_draw_all (dir, PS_PLOT_BOTH, "/nonexistent/gnuplot",
                                   warnings, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, G_N_ELEMENTS (charts));
  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    {
      const char *warning = g_ptr_array_index (warnings, i);
      g_autofree char *png = g_strdup_printf ("%s.png", charts[i]);
      g_autofree char *svg = g_strdup_printf ("%s.svg", charts[i]);

      g_assert_true (g_str_has_prefix (warning, png));
      g_assert_nonnull (strstr (warning, "cannot run gnuplot"));
      g_assert_nonnull (strstr (warning, "/nonexistent/gnuplot"));
      g_assert_false (file_exists (dir, png));
      g_assert_false (file_exists (dir, svg));
    }
  assert_no_temporaries (dir);
  /* the derived data is there all the same, for a later run by hand */
  g_assert_true (file_exists (dir, "plot-meta.gp"));
  remove_tree (dir);
}

static void
test_gnuplot_from_env (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = NULL;
      g_autoptr(GPtrArray) warnings = new_lines ();

      /* first thing in a fresh process: no thread yet to race setenv() */
      g_setenv ("POOLSIM_GNUPLOT", "/nonexistent/env-gnuplot", TRUE);
      dir = make_tiny_run (FALSE);
      g_assert_true (ps_plot_draw_all (dir, PS_PLOT_PNG, NULL, warnings, NULL,
                                       NULL));
      for (guint i = 0; i < warnings->len; i++)
        g_print ("%s\n", (char *) g_ptr_array_index (warnings, i));
      remove_tree (dir);
      return;
    }
  g_test_summary ("$POOLSIM_GNUPLOT names the gnuplot when the caller "
                  "does not.");
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("timeseries.png not drawn: cannot run gnuplot: *"
                             "/nonexistent/env-gnuplot*\n"
                             "clients.png not drawn: *\n");
}

/* Draws the tiny run (no requests.csv: timeseries and clients) with a
 * "gnuplot" that runs each script and then @command.  Returns the run
 * directory; *out_warnings receives the warnings. */
static char *
draw_with_extra_command (const char  *gnuplot,
                         const char  *command,
                         PsPlotFormat formats,
                         GPtrArray  **out_warnings)
{
  char *dir = make_tiny_run (FALSE);
  g_autofree char *wrapper = g_build_filename (dir, "wrapped-gnuplot", NULL);
  g_autofree char *script = g_strdup_printf ("#!/bin/sh\n"
                                             "{ cat; echo '%s'; } | '%s' \"$@\"\n",
                                             command, gnuplot);
  g_autoptr(GError) error = NULL;

  *out_warnings = new_lines ();
  g_assert_true (g_file_set_contents (wrapper, script, -1, NULL));
  g_assert_cmpint (g_chmod (wrapper, 0755), ==, 0);
  g_assert_true (ps_plot_draw_all (dir, formats, wrapper, *out_warnings, NULL,
                                   &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_remove (wrapper), ==, 0);
  return dir;
}

static void
test_script_error (void)
{
  g_autofree char *gnuplot = need_gnuplot ();
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) warnings = NULL;

  if (gnuplot == NULL)
    return;
  g_test_summary ("gnuplot failing after it opened the image: one warning "
                  "per chart with gnuplot's message naming the script, and "
                  "no image left behind.");
  dir = draw_with_extra_command (gnuplot, "plot no_such_variable", PS_PLOT_BOTH,
                                 &warnings);
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_true (g_pattern_match_simple ("timeseries.png not drawn: gnuplot failed: "
                                         "timeseries.gp line *: undefined variable: "
                                         "no_such_variable",
                                         g_ptr_array_index (warnings, 0)));
  g_assert_true (g_pattern_match_simple ("clients.png not drawn: gnuplot failed: "
                                         "clients.gp line *: undefined variable: "
                                         "no_such_variable",
                                         g_ptr_array_index (warnings, 1)));
  g_assert_false (file_exists (dir, "timeseries.png"));
  g_assert_false (file_exists (dir, "timeseries.svg"));
  g_assert_false (file_exists (dir, "clients.png"));
  g_assert_false (file_exists (dir, "clients.svg"));
  assert_no_temporaries (dir);
  remove_tree (dir);
}

static void
test_syntax_error_message (void)
{
  g_autofree char *gnuplot = need_gnuplot ();
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_auto(GStrv) lines = NULL;

  if (gnuplot == NULL)
    return;
  g_test_summary ("A syntax error's message starts with what went wrong; "
                  "the echoed command and its caret follow, aligned.");
  dir = draw_with_extra_command (gnuplot, "set key fooo", PS_PLOT_PNG, &warnings);
  g_assert_cmpuint (warnings->len, ==, 2);
  lines = g_strsplit (g_ptr_array_index (warnings, 0), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_pattern_match_simple ("timeseries.png not drawn: gnuplot failed: "
                                         "timeseries.gp line *: unknown key option",
                                         lines[0]));
  g_assert_cmpstr (lines[1], ==, "set key fooo");
  g_assert_cmpstr (lines[2], ==, "        ^");
  remove_tree (dir);
}

static void
test_gnuplot_chatter (void)
{
  g_autofree char *gnuplot = need_gnuplot ();
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) warnings = NULL;

  if (gnuplot == NULL)
    return;
  g_test_summary ("gnuplot succeeding but saying something: the image is "
                  "kept, and what it said is a warning, once per chart.");
  dir = draw_with_extra_command (gnuplot, "print \"watch out\"", PS_PLOT_BOTH,
                                 &warnings);
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (warnings, 0), ==,
                   "timeseries.png drawn, but gnuplot said: watch out");
  g_assert_cmpstr (g_ptr_array_index (warnings, 1), ==,
                   "clients.png drawn, but gnuplot said: watch out");
  assert_png (dir, "timeseries.png");
  g_assert_true (file_exists (dir, "timeseries.svg"));
  remove_tree (dir);
}

static void
test_not_a_run_dir (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *missing = g_build_filename (dir, "nope", NULL);
  g_autoptr(GError) error = NULL;

  g_test_summary ("A missing directory, or one without the CSVs, is the "
                  "one GError; nothing is written into it.");
  g_assert_false (ps_plot_draw_all (missing, PS_PLOT_BOTH, NULL, NULL, NULL,
                                    &error));
  g_assert_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_NOT_RUN_DIR);
  g_clear_error (&error);

  write_file (dir, "timeseries.csv", "t_s,generated\n");
  g_assert_false (ps_plot_draw_all (dir, PS_PLOT_BOTH, NULL, NULL, NULL,
                                    &error));
  g_assert_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_NOT_RUN_DIR);
  g_assert_nonnull (strstr (error->message, "clients.csv"));
  g_assert_false (file_exists (dir, "plot-meta.gp"));
  remove_tree (dir);
}

static void
test_bad_data (void)
{
  g_autofree char *dir = make_tiny_run (TRUE);
  g_autoptr(GError) error = NULL;

  g_test_summary ("A CSV without a needed column, or with a short or "
                  "malformed row, is a GError naming file, line and column.");
  write_file (dir, "timeseries.csv", "t_s,admitted\n0.000000,1\n");
  g_assert_false (ps_plot_write_data (dir, NULL, &error));
  g_assert_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA);
  g_assert_cmpstr (error->message, ==,
                   "timeseries.csv: no column \"rejected_429\" in the header");
  g_clear_error (&error);
  remove_tree (dir);
  g_free (dir);

  dir = make_tiny_run (TRUE);
  write_file (dir, "requests.csv",
              "id,client,ip,priority,created_s,first_sent_s,admitted_s,completed_s,attempts,n429,n503,outcome\n"
              "0,alice,127.0.0.1,0,0.500000,0.500000,0.500000,1.000000,1,0,0,completed\n"
              "1,alice,127.0.0.1,0,0.5\n");
  g_assert_false (ps_plot_write_data (dir, NULL, &error));
  g_assert_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA);
  g_assert_cmpstr (error->message, ==, "requests.csv:3: 5 fields, the header has 12");
  g_clear_error (&error);

  write_file (dir, "requests.csv",
              "id,client,ip,priority,created_s,first_sent_s,admitted_s,completed_s,attempts,n429,n503,outcome\n"
              "0,alice,127.0.0.1,0,0.5s,0.500000,0.500000,1.000000,1,0,0,completed\n");
  g_assert_false (ps_plot_write_data (dir, NULL, &error));
  g_assert_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA);
  g_assert_cmpstr (error->message, ==, "requests.csv:2: created_s: bad value \"0.5s\"");
  g_clear_error (&error);

  write_file (dir, "requests.csv",
              "id,client,ip,priority,created_s,first_sent_s,admitted_s,completed_s,attempts,n429,n503,outcome\n"
              "0,alice,127.0.0.1,0,0.5,0.5,0.5,1.0,1,0,0,finished\n");
  g_assert_false (ps_plot_write_data (dir, NULL, &error));
  g_assert_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA);
  g_assert_cmpstr (error->message, ==, "requests.csv:2: outcome: bad value \"finished\"");
  remove_tree (dir);
}

static void
test_missing_summary (void)
{
  g_autofree char *dir = make_tiny_run (TRUE);
  g_autofree char *path = g_build_filename (dir, "summary.json", NULL);
  g_autofree char *meta = NULL;
  g_autoptr(GPtrArray) notes = new_lines ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("Without summary.json the data is still written: a note, "
                  "a title from the directory name, no quota chart.");
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_true (ps_plot_write_data (dir, notes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (notes, 0), ==,
                   "no summary.json: titles lack the run's settings, no quota chart");
  g_assert_cmpstr (g_ptr_array_index (notes, 1), ==,
                   "quota: skipped: summary.json names no quota policy");
  meta = read_file (dir, "plot-meta.gp");
  g_assert_nonnull (strstr (meta, "\nwindow_s = 0\n"));
  g_assert_nonnull (strstr (meta, "\nduration_s = 30\n"));   /* from the bins */

  g_ptr_array_set_size (notes, 0);
  write_file (dir, "summary.json", "{\"scenario\": ");
  g_assert_true (ps_plot_write_data (dir, notes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (notes, 0), "summary.json unreadable ("));
  remove_tree (dir);
}

/* ---------------------------------------------------------------------- */
/* Sweep directories                                                      */
/* ---------------------------------------------------------------------- */

static const char * const sweep_charts[] = { "sweep_metrics", "sweep_compare" };

/* A sweep of 2 × 3 points: a categorical key, then a numeric one whose
 * values are not in order.  Point 4 has one replication, so no interval.
 * The rows of points.csv are shuffled: they are found by their values. */
static char *
make_tiny_sweep (void)
{
  char *dir = make_tmp_dir ();

  write_file (dir, "sweep.json",
              "{\"definition\": {\"scenario\": \"tiny_sweep\", \"scenario_file\": \"tiny.json\","
              " \"seed\": 7, \"sets\": [\"duration=1m\"],"
              " \"vary\": [{\"key\": \"server.quota.algorithm\","
              "             \"values\": [\"fixed_window\", \"gcra\"]},"
              "            {\"key\": \"server.workers\", \"values\": [\"20\", \"10\", \"30\"]}],"
              " \"points\": 6, \"baseline\": 0, \"reps\": 3,"
              " \"metrics\": [\"requests.rate_429\", \"latency_s.all.p99\"]},"
              " \"totals\": {\"points\": 6, \"runs\": 16},"
              " \"files\": [\"runs.csv\", \"points.csv\", \"compare.csv\"]}\n");
  write_file (dir, "points.csv",
              "server.quota.algorithm,server.workers,n,"
              "requests.rate_429.mean,requests.rate_429.sd,requests.rate_429.ci95,"
              "latency_s.all.p99.mean,latency_s.all.p99.sd,latency_s.all.p99.ci95\n"
              "gcra,30,3,0.08,0.01,0.01,4.5,1,1\n"
              "fixed_window,20,3,0.1,0.01,0.02,5,1,2\n"
              "fixed_window,10,3,0.2,0.01,0.03,8,1,2.5\n"
              "fixed_window,30,3,0.05,0.01,0.01,4,1,1.5\n"
              "gcra,20,3,0.15,0.01,0.02,6,1,2\n"
              "gcra,10,1,0.25,,,9,,\n");
  write_file (dir, "compare.csv",
              "server.quota.algorithm,server.workers,n,"
              "requests.rate_429.diff,requests.rate_429.diff_ci95,requests.rate_429.significant,"
              "latency_s.all.p99.diff,latency_s.all.p99.diff_ci95,latency_s.all.p99.significant\n"
              "fixed_window,20,3,0,0,false,0,0,false\n"
              "fixed_window,10,3,0.1,0.02,true,3,2.5,true\n"
              "fixed_window,30,3,-0.05,0.01,true,-1,1.5,false\n"
              "gcra,20,3,0.05,0.01,true,1,1,false\n"
              "gcra,10,1,0.15,,,4,,\n"
              "gcra,30,3,-0.02,0.01,true,-0.5,0.6,false\n");
  return dir;
}

/* One categorical key, three metrics, the baseline in the middle. */
static char *
make_categorical_sweep (void)
{
  char *dir = make_tmp_dir ();

  write_file (dir, "sweep.json",
              "{\"definition\": {\"scenario\": \"cats\", \"seed\": 42,"
              " \"vary\": [{\"key\": \"server.quota.algorithm\","
              "             \"values\": [\"fixed_window\", \"sliding_window\", \"gcra\"]}],"
              " \"points\": 3, \"baseline\": 1, \"reps\": 4,"
              " \"metrics\": [\"requests.rate_429\", \"latency_s.all.p99\", \"fairness.jain\"]}}\n");
  write_file (dir, "points.csv",
              "server.quota.algorithm,n,"
              "requests.rate_429.mean,requests.rate_429.sd,requests.rate_429.ci95,"
              "latency_s.all.p99.mean,latency_s.all.p99.sd,latency_s.all.p99.ci95,"
              "fairness.jain.mean,fairness.jain.sd,fairness.jain.ci95\n"
              "fixed_window,4,0.01,0.001,0.002,26,1,1.8,0.93,0.01,0.003\n"
              "sliding_window,4,0.25,0.01,0.02,49,2,3,0.92,0.01,0.004\n"
              "gcra,4,0.02,0.001,0.001,17,0.5,0.6,0.9,0.01,0.002\n");
  write_file (dir, "compare.csv",
              "server.quota.algorithm,n,"
              "requests.rate_429.diff,requests.rate_429.diff_ci95,requests.rate_429.significant,"
              "latency_s.all.p99.diff,latency_s.all.p99.diff_ci95,latency_s.all.p99.significant,"
              "fairness.jain.diff,fairness.jain.diff_ci95,fairness.jain.significant\n"
              "fixed_window,4,-0.24,0.02,true,-23,2.5,true,0.01,0.02,false\n"
              "sliding_window,4,0,0,false,0,0,false,0,0,false\n"
              "gcra,4,-0.23,0.02,true,-32,3,true,-0.02,0.005,true\n");
  return dir;
}

static void
assert_contains (const char *text,
                 const char *expected)
{
  if (strstr (text, expected) == NULL)
    g_error ("expected to find\n%s\nin\n%s", expected, text);
}

static void
test_sweep_data_lines (void)
{
  g_autofree char *dir = make_tiny_sweep ();
  g_autofree char *points = NULL;
  g_autofree char *compare = NULL;
  g_autofree char *meta = NULL;
  g_autoptr(GPtrArray) notes = new_lines ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("A numeric key is the x axis, in numeric order, with a "
                  "line per value of the other key; unknown intervals are "
                  "NaN; the compare entries leave out the baseline and are "
                  "grouped by the first key.");
  g_assert_true (ps_plot_is_sweep_dir (dir));
  g_assert_true (ps_plot_sweep_write_data (dir, notes, &error));
  g_assert_no_error (error);
  assert_lines_empty (notes, "note");
  points = read_file (dir, "plot-sweep-points.csv");
  g_assert_cmpstr (points, ==,
                   "series,xi,x,point,n,m1_mean,m1_ci95,m2_mean,m2_ci95\n"
                   "1,0,10,1,3,0.2,0.03,8,2.5\n"
                   "1,1,20,0,3,0.1,0.02,5,2\n"
                   "1,2,30,2,3,0.05,0.01,4,1.5\n"
                   "2,0,10,4,1,0.25,NaN,9,NaN\n"
                   "2,1,20,3,3,0.15,0.02,6,2\n"
                   "2,2,30,5,3,0.08,0.01,4.5,1\n");
  compare = read_file (dir, "plot-sweep-compare.csv");
  g_assert_cmpstr (compare, ==,
                   "entry,point,n,m1_diff,m1_ci95,m1_significant,"
                   "m2_diff,m2_ci95,m2_significant,label\n"
                   "0,1,3,0.1,0.02,1,3,2.5,1,\"fixed_window, 10\"\n"
                   "1,2,3,-0.05,0.01,1,-1,1.5,0,\"fixed_window, 30\"\n"
                   "2,3,3,0.05,0.01,1,1,1,0,\"gcra, 20\"\n"
                   "3,4,1,0.15,NaN,NaN,4,NaN,NaN,\"gcra, 10\"\n"
                   "4,5,3,-0.02,0.01,1,-0.5,0.6,0,\"gcra, 30\"\n");
  meta = read_file (dir, "plot-sweep-meta.gp");
  assert_contains (meta, "\nsweep_title = \"tiny_sweep · 6 points × 1 to 3 replications"
                         " · seed 7 · duration=1m\"\n");
  assert_contains (meta, "\nn_metrics = 2\narray metric[2] = [\"requests.rate_429\", "
                         "\"latency_s.all.p99\"]\ncols = 2\nrows = 1\n");
  assert_contains (meta, "\nlayout_lines = 1\nx_label = \"server.workers\"\n");
  assert_contains (meta, "\nn_x = 3\narray x_pos[3] = [10, 20, 30]\n"
                         "array x_text[3] = [\"10\", \"20\", \"30\"]\n");
  assert_contains (meta, "\nn_series = 2\narray series_title[2] = "
                         "[\"server.quota.algorithm=fixed_window\", "
                         "\"server.quota.algorithm=gcra\"]\n"
                         "array series_colour[2] = [1, 2]\n");
  assert_contains (meta, "\nlegend_rows = 1\n");
  assert_contains (meta, "\nhas_unknown_ci = 1\n");
  /* the y range holds every interval: 0.05 - 0.01 to 0.25 */
  assert_contains (meta, "\narray y_min[2] = [0.0232, ");
  assert_contains (meta, "\nbaseline_title = \"server.quota.algorithm=fixed_window, "
                         "server.workers=20\"\n"
                         "array baseline_mean[2] = [\"0.1\", \"5\"]\n");
  assert_contains (meta, "\nentry_label_title = \"server.workers, in groups by "
                         "server.quota.algorithm\"\n");
  assert_contains (meta, "\nn_entries = 5\narray entry_label[5] = "
                         "[\"10\", \"30\", \"20\", \"10\", \"30\"]\n");
  assert_contains (meta, "\nn_groups = 2\narray group_label[2] = [\"fixed_window\", "
                         "\"gcra\"]\narray group_pos[2] = [0.5, 3]\n"
                         "n_separators = 1\narray separator[1] = [1.5]\n");
  assert_contains (meta, "\nhas_unknown_significance = 1\n");
  /* nothing absolute: a sweep directory can be moved and replotted */
  g_assert_null (strstr (meta, dir));
  remove_tree (dir);
}

static void
test_sweep_data_bars (void)
{
  g_autofree char *dir = make_categorical_sweep ();
  g_autofree char *points = NULL;
  g_autofree char *compare = NULL;
  g_autofree char *meta = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Without a numeric key the first key's values are groups "
                  "of bars whose y axis starts at 0; a baseline that is not "
                  "the first point is left out of the comparison.");
  g_assert_true (ps_plot_sweep_write_data (dir, NULL, &error));
  g_assert_no_error (error);
  points = read_file (dir, "plot-sweep-points.csv");
  g_assert_cmpstr (points, ==,
                   "series,xi,x,point,n,m1_mean,m1_ci95,m2_mean,m2_ci95,m3_mean,m3_ci95\n"
                   "1,0,0,0,4,0.01,0.002,26,1.8,0.93,0.003\n"
                   "1,1,1,1,4,0.25,0.02,49,3,0.92,0.004\n"
                   "1,2,2,2,4,0.02,0.001,17,0.6,0.9,0.002\n");
  compare = read_file (dir, "plot-sweep-compare.csv");
  g_assert_cmpstr (compare, ==,
                   "entry,point,n,m1_diff,m1_ci95,m1_significant,m2_diff,m2_ci95,"
                   "m2_significant,m3_diff,m3_ci95,m3_significant,label\n"
                   "0,0,4,-0.24,0.02,1,-23,2.5,1,0.01,0.02,0,fixed_window\n"
                   "1,2,4,-0.23,0.02,1,-32,3,1,-0.02,0.005,1,gcra\n");
  meta = read_file (dir, "plot-sweep-meta.gp");
  assert_contains (meta, "\ncols = 3\nrows = 1\n");
  assert_contains (meta, "\nlayout_lines = 0\nx_label = \"server.quota.algorithm\"\n");
  assert_contains (meta, "\narray x_pos[3] = [0, 1, 2]\narray x_text[3] = "
                         "[\"fixed_window\", \"sliding_window\", \"gcra\"]\n"
                         "x_min = -0.6\nx_max = 2.6\n");
  assert_contains (meta, "\nn_series = 1\n");
  assert_contains (meta, "\nlegend_rows = 0\narray y_min[3] = [0, 0, 0]\n");
  assert_contains (meta, "\nhas_unknown_ci = 0\n");
  assert_contains (meta, "\nbaseline_title = \"server.quota.algorithm=sliding_window\"\n");
  assert_contains (meta, "\nentry_label_title = \"server.quota.algorithm\"\n");
  assert_contains (meta, "\nn_entries = 2\narray entry_label[2] = [\"fixed_window\", "
                         "\"gcra\"]\n");
  assert_contains (meta, "\nn_groups = 0\nn_separators = 0\n");
  remove_tree (dir);
}

static void
test_sweep_data_durations (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *points = NULL;
  g_autofree char *meta = NULL;
  g_autoptr(GPtrArray) warnings = new_lines ();
  g_autoptr(GPtrArray) notes = new_lines ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("Durations are numbers of seconds on the x axis, labelled "
                  "as written; without compare.csv, a note and no compare "
                  "chart; a missing point is a note and a gap.");
  write_file (dir, "sweep.json",
              "{\"definition\": {\"vary\": [{\"key\": \"server.quota.window\","
              " \"values\": [\"2s\", \"250ms\", \"1s\"]}], \"baseline\": 0,"
              " \"metrics\": [\"requests.rate_429\"]}}");
  write_file (dir, "points.csv",
              "server.quota.window,n,requests.rate_429.mean,requests.rate_429.sd,"
              "requests.rate_429.ci95\n"
              "2s,2,0.5,0.1,0.9\n"
              "250ms,2,0.1,0.01,0.09\n");
  g_assert_true (ps_plot_sweep_draw_all (dir, PS_PLOT_BOTH, "/nonexistent/gnuplot",
                                         warnings, notes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (notes, 0), ==,
                   "sweep_metrics: 1 of 3 points have no row in points.csv "
                   "(an unfinished sweep?)");
  g_assert_cmpstr (g_ptr_array_index (notes, 1), ==, "sweep_compare: skipped: no compare.csv");
  g_assert_cmpuint (warnings->len, ==, 1);     /* sweep_metrics only */
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 0),
                                   "sweep_metrics.png not drawn: cannot run gnuplot"));
  g_assert_false (file_exists (dir, "plot-sweep-compare.csv"));
  points = read_file (dir, "plot-sweep-points.csv");
  g_assert_cmpstr (points, ==,
                   "series,xi,x,point,n,m1_mean,m1_ci95\n"
                   "1,0,0.25,1,2,0.1,0.09\n"
                   "1,1,1,2,0,NaN,NaN\n"
                   "1,2,2,0,2,0.5,0.9\n");
  meta = read_file (dir, "plot-sweep-meta.gp");
  assert_contains (meta, "\nsweep_title = \"");   /* the directory's name */
  assert_contains (meta, " · 3 points × 2 replications\"\n");
  assert_contains (meta, "\nx_label = \"server.quota.window (s)\"\n");
  assert_contains (meta, "\narray x_pos[3] = [0.25, 1, 2]\n"
                         "array x_text[3] = [\"250ms\", \"1s\", \"2s\"]\n");
  assert_contains (meta, "\nn_entries = 0\n");
  remove_tree (dir);
}

static void
test_sweep_many_metrics (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr(GString) json = g_string_new ("{\"definition\": {\"vary\": [{\"key\": \"k\","
                                          " \"values\": [\"a\", \"b\"]}], \"baseline\": 0,"
                                          " \"metrics\": [");
  g_autoptr(GString) points = g_string_new ("k,n");
  g_autoptr(GString) compare = g_string_new ("k,n");
  g_autoptr(GPtrArray) notes = new_lines ();
  g_autoptr(GError) error = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *derived = NULL;
  g_auto(GStrv) lines = NULL;

  g_test_summary ("Nine panels at most, in a 3 x 3 grid; a note names the "
                  "metrics left out.");
  for (int m = 0; m < 11; m++)
    {
      g_string_append_printf (json, "%s\"m.%d\"", m ? ", " : "", m);
      g_string_append_printf (points, ",m.%d.mean,m.%d.sd,m.%d.ci95", m, m, m);
      g_string_append_printf (compare, ",m.%d.diff,m.%d.diff_ci95,m.%d.significant",
                              m, m, m);
    }
  g_string_append (json, "]}}");
  g_string_append (points, "\na,2");
  g_string_append (compare, "\na,2");
  for (int m = 0; m < 11; m++)
    {
      g_string_append_printf (points, ",%d,1,2", m);
      g_string_append (compare, ",0,0,false");
    }
  g_string_append (points, "\nb,2");
  g_string_append (compare, "\nb,2");
  for (int m = 0; m < 11; m++)
    {
      g_string_append_printf (points, ",%d,1,2", 2 * m);
      g_string_append_printf (compare, ",%d,1,%s", m, m > 1 ? "true" : "false");
    }
  g_string_append_c (points, '\n');
  g_string_append_c (compare, '\n');
  write_file (dir, "sweep.json", json->str);
  write_file (dir, "points.csv", points->str);
  write_file (dir, "compare.csv", compare->str);
  g_assert_true (ps_plot_sweep_write_data (dir, notes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (notes, 0), ==,
                   "sweep_metrics, sweep_compare: 2 of 11 metrics left out "
                   "(at most 9 panels): m.9, m.10");
  meta = read_file (dir, "plot-sweep-meta.gp");
  assert_contains (meta, "\nn_metrics = 9\n");
  assert_contains (meta, "\ncols = 3\nrows = 3\n");
  derived = read_file (dir, "plot-sweep-points.csv");
  lines = g_strsplit (derived, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "series,xi,x,point,n,m1_mean,m1_ci95,m2_mean,m2_ci95,"
                                 "m3_mean,m3_ci95,m4_mean,m4_ci95,m5_mean,m5_ci95,"
                                 "m6_mean,m6_ci95,m7_mean,m7_ci95,m8_mean,m8_ci95,"
                                 "m9_mean,m9_ci95");
  g_assert_cmpstr (lines[2], ==, "1,1,1,1,2,0,2,2,2,4,2,6,2,8,2,10,2,12,2,14,2,16,2");
  remove_tree (dir);
}

static void
test_sweep_errors (void)
{
  g_autofree char *dir = make_tiny_sweep ();
  g_autofree char *empty = make_tmp_dir ();
  g_autofree char *path = g_build_filename (empty, "sweep.json", NULL);
  g_autoptr(GError) error = NULL;

  g_test_summary ("No sweep.json or points.csv is NOT_RUN_DIR; a sweep.json "
                  "without what it needs, a value it does not list, a missing "
                  "column or a bad number is BAD_DATA.");
  g_assert_false (ps_plot_is_sweep_dir (empty));
  g_assert_false (ps_plot_sweep_draw_all (empty, PS_PLOT_BOTH, NULL, NULL, NULL, &error));
  g_assert_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_NOT_RUN_DIR);
  g_clear_error (&error);
  g_mkdir (path, 0700);                 /* not a file */
  g_assert_false (ps_plot_is_sweep_dir (empty));
  g_remove (path);
  write_file (empty, "sweep.json", "{\"definition\": {}}");
  g_assert_true (ps_plot_is_sweep_dir (empty));
  g_assert_false (ps_plot_sweep_write_data (empty, NULL, &error));
  g_assert_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA);
  g_clear_error (&error);
  remove_tree (dir);
  g_free (dir);
  dir = make_tiny_sweep ();
  g_free (path);
  path = g_build_filename (dir, "points.csv", NULL);
  g_remove (path);
  g_assert_false (ps_plot_sweep_write_data (dir, NULL, &error));
  g_assert_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_NOT_RUN_DIR);
  g_assert_true (g_str_has_suffix (error->message, ": not a finished sweep (no points.csv)"));
  g_clear_error (&error);

  write_file (dir, "points.csv",
              "server.quota.algorithm,server.workers,n,"
              "requests.rate_429.mean,requests.rate_429.sd,requests.rate_429.ci95,"
              "latency_s.all.p99.mean,latency_s.all.p99.sd,latency_s.all.p99.ci95\n"
              "gcra,40,3,0.08,0.01,0.01,4.5,1,1\n");
  g_assert_false (ps_plot_sweep_write_data (dir, NULL, &error));
  g_assert_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA);
  g_assert_cmpstr (error->message, ==, "points.csv:2: server.workers: \"40\" is not one "
                                       "of its values in sweep.json");
  g_clear_error (&error);

  write_file (dir, "points.csv",
              "server.quota.algorithm,server.workers,n,"
              "requests.rate_429.mean,requests.rate_429.ci95\n");
  g_assert_false (ps_plot_sweep_write_data (dir, NULL, &error));
  g_assert_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA);
  g_assert_cmpstr (error->message, ==,
                   "points.csv: no column \"latency_s.all.p99.mean\" in the header");
  g_clear_error (&error);

  write_file (dir, "points.csv",
              "server.quota.algorithm,server.workers,n,"
              "requests.rate_429.mean,requests.rate_429.ci95,"
              "latency_s.all.p99.mean,latency_s.all.p99.ci95\n"
              "gcra,10,3,0.08,lots,4.5,1\n");
  g_assert_false (ps_plot_sweep_write_data (dir, NULL, &error));
  g_assert_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA);
  g_assert_cmpstr (error->message, ==,
                   "points.csv:2: requests.rate_429.ci95: bad value \"lots\"");
  g_clear_error (&error);

  write_file (dir, "sweep.json", "{\"definition\": {\"vary\": []}}");
  g_assert_false (ps_plot_sweep_write_data (dir, NULL, &error));
  g_assert_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA);
  g_assert_true (g_str_has_prefix (error->message, "sweep.json: definition.vary: "));
  remove_tree (dir);
  remove_tree (empty);
}

static void
test_sweep_draws (void)
{
  g_autofree char *gnuplot = need_gnuplot ();

  if (gnuplot == NULL)
    return;
  g_test_summary ("Both charts of a line sweep and of a bar sweep exist in "
                  "both formats, are real images, and gnuplot says nothing.");
  for (guint kind = 0; kind < 2; kind++)
    {
      g_autofree char *dir = kind == 0 ? make_tiny_sweep () : make_categorical_sweep ();
      g_autoptr(GPtrArray) warnings = new_lines ();
      g_autoptr(GError) error = NULL;

      g_assert_true (ps_plot_sweep_draw_all (dir, PS_PLOT_BOTH, gnuplot, warnings,
                                             NULL, &error));
      g_assert_no_error (error);
      assert_lines_empty (warnings, "warning");
      for (guint i = 0; i < G_N_ELEMENTS (sweep_charts); i++)
        {
          g_autofree char *png = g_strdup_printf ("%s.png", sweep_charts[i]);
          g_autofree char *svg = g_strdup_printf ("%s.svg", sweep_charts[i]);

          assert_png (dir, png);
          assert_svg (dir, svg);
        }
      assert_no_temporaries (dir);
      remove_tree (dir);
    }
}

static void
test_sweep_scripts_embedded (void)
{
  g_test_summary ("The sweep charts' compiled-in scripts are the files in plots/.");
  for (guint i = 0; i < G_N_ELEMENTS (sweep_charts); i++)
    {
      g_autoptr(GBytes) script = ps_plot_dup_script (sweep_charts[i]);
      g_autofree char *name = g_strdup_printf ("%s.gp", sweep_charts[i]);
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "plots",
                                                     name, NULL);
      g_autofree char *on_disk = NULL;
      gsize size = 0;

      g_assert_nonnull (script);
      g_assert_true (g_file_get_contents (path, &on_disk, &size, NULL));
      g_assert_cmpmem (g_bytes_get_data (script, NULL), g_bytes_get_size (script),
                       on_disk, size);
    }
}

static void
test_sweep_cli (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = make_tiny_sweep ();
      char *argv[] = { "plot", dir, "--gnuplot", "/nonexistent/gnuplot", NULL };
      int status = ps_cmd_plot (G_N_ELEMENTS (argv) - 1, argv);

      remove_tree (dir);
      exit (status);
    }
  g_test_summary ("poolsim plot on a sweep directory draws the sweep charts.");
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("poolsim: warning: sweep_metrics.png not drawn: "
                             "cannot run gnuplot*\n"
                             "poolsim: warning: sweep_compare.png not drawn: "
                             "cannot run gnuplot*\n");
}

/* ---------------------------------------------------------------------- */
/* Scripts and the command line                                           */
/* ---------------------------------------------------------------------- */

static void
test_scripts_embedded (void)
{
  static const char * const all[] = { "timeseries", "latency_cdf", "clients", "quota",
                                      "stability" };

  g_test_summary ("The compiled-in scripts are the files in plots/.");
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_autoptr(GBytes) script = ps_plot_dup_script (all[i]);
      g_autofree char *name = g_strdup_printf ("%s.gp", all[i]);
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "plots",
                                                     name, NULL);
      g_autofree char *on_disk = NULL;
      gsize size = 0;

      g_assert_cmpstr (ps_plot_get_chart_names ()[i], ==, all[i]);
      g_assert_nonnull (script);
      g_assert_true (g_file_get_contents (path, &on_disk, &size, NULL));
      g_assert_cmpmem (g_bytes_get_data (script, NULL), g_bytes_get_size (script),
                       on_disk, size);
    }
  g_assert_null (ps_plot_get_chart_names ()[G_N_ELEMENTS (all)]);
  g_assert_null (ps_plot_dup_script ("nope"));
}

static void
test_format_names (void)
{
  PsPlotFormat format = 0;

  g_assert_true (ps_plot_format_from_string ("png", &format));
  g_assert_cmpint (format, ==, PS_PLOT_PNG);
  g_assert_true (ps_plot_format_from_string ("SVG", &format));
  g_assert_cmpint (format, ==, PS_PLOT_SVG);
  g_assert_true (ps_plot_format_from_string ("both", &format));
  g_assert_cmpint (format, ==, PS_PLOT_BOTH);
  g_assert_false (ps_plot_format_from_string ("jpeg", &format));
}

/* One `poolsim plot` invocation and what it must do.  "@DIR" in the
 * arguments stands for a fresh tiny run without requests.csv. */
typedef struct
{
  const char *path;
  const char *args[6];
  int         status;
  const char *stdout_pattern;
  const char *stderr_pattern;
} CliCase;

static const CliCase cli_cases[] = {
  { "/plot/cli/warnings-exit-0", { "@DIR", "--format", "png", "--gnuplot", "/nonexistent/gnuplot" },
    0, "*poolsim: latency_cdf: skipped: no requests.csv*",
    "poolsim: warning: timeseries.png not drawn: cannot run gnuplot*\n"
    "poolsim: warning: clients.png not drawn: cannot run gnuplot*\n" },
  { "/plot/cli/not-a-run-dir", { "@DIR/nope" },
    1, "*", "poolsim: *nope: no such directory\n" },
  { "/plot/cli/usage/no-dir", { NULL }, 2, "*", "poolsim: missing DIR (see --help)\n" },
  { "/plot/cli/usage/two-dirs", { "a", "b" }, 2, "*",
    "poolsim: expected one DIR, got more (see --help)\n" },
  { "/plot/cli/usage/bad-format", { "a", "--format", "gif" }, 2, "*",
    "poolsim: --format: \"gif\": expected png, svg or both\n" },
  { "/plot/cli/usage/bad-option", { "a", "--colour" }, 2, "*", "poolsim: *--colour*\n" },
  { "/plot/cli/help", { "--help" }, 0, "*DIR*--format*--gnuplot*", "" },
};

/* In the child: runs the case and exits with ps_cmd_plot()'s status,
 * printed last on stdout for the parent to check. */
static void
cli_child (const CliCase *cli)
{
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  int status;

  g_ptr_array_add (argv, g_strdup ("plot"));
  for (guint i = 0; cli->args[i] != NULL; i++)
    {
      if (!g_str_has_prefix (cli->args[i], "@DIR"))
        {
          g_ptr_array_add (argv, g_strdup (cli->args[i]));
          continue;
        }
      if (dir == NULL)                  /* only then: --help exits early */
        dir = make_tiny_run (FALSE);
      g_ptr_array_add (argv, g_strconcat (dir, cli->args[i] + 4, NULL));
    }
  g_ptr_array_add (argv, NULL);
  status = ps_cmd_plot ((int) argv->len - 1, (char **) argv->pdata);
  if (dir != NULL)
    remove_tree (dir);
  g_print ("\nexit status %d\n", status);
  exit (status);
}

static void
test_cli (gconstpointer data)
{
  const CliCase *cli = data;
  g_autofree char *status_pattern = NULL;

  if (g_test_subprocess ())
    {
      cli_child (cli);
      return;
    }
  g_test_summary ("poolsim plot: 2 for usage errors, 1 for a directory "
                  "that is not a run, 0 when run even if charts failed; "
                  "warnings on stderr, notes on stdout.");
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  if (cli->status == 0)
    g_test_trap_assert_passed ();
  else
    g_test_trap_assert_failed ();
  if (g_str_equal (cli->path, "/plot/cli/help"))
    g_test_trap_assert_stdout (cli->stdout_pattern);   /* GOption exits 0 itself */
  else
    {
      status_pattern = g_strdup_printf ("%s\nexit status %d\n",
                                        cli->stdout_pattern, cli->status);
      g_test_trap_assert_stdout (status_pattern);
      g_test_trap_assert_stderr (cli->stderr_pattern);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("POOLSIM_GNUPLOT");       /* the tests choose their gnuplot */

  g_test_add_func ("/plot/fixture/draws-all", test_fixture_draws_all);
  g_test_add_func ("/plot/fixture/one-format", test_fixture_one_format);
  g_test_add_func ("/plot/fixture/relocatable", test_fixture_relocatable);
  g_test_add_func ("/plot/data/quota-windows", test_data_quota_windows);
  g_test_add_func ("/plot/data/quota-own-limits", test_data_quota_own_limits);
  g_test_add_func ("/plot/data/latency-by-group", test_data_latency_by_group);
  g_test_add_func ("/plot/data/quota-groups", test_data_quota_groups);
  g_test_add_func ("/plot/data/client-order", test_data_client_order);
  g_test_add_func ("/plot/data/latency", test_data_latency);
  g_test_add_func ("/plot/data/quoted-names", test_data_quoted_names);
  g_test_add_func ("/plot/skip/no-requests", test_no_requests);
  g_test_add_func ("/plot/skip/missing-summary", test_missing_summary);
  g_test_add_func ("/plot/draw/tiny-run", test_tiny_run_draws);
  g_test_add_func ("/plot/draw/many-clients", test_many_clients);
  g_test_add_func ("/plot/fail/missing-gnuplot", test_missing_gnuplot);
  g_test_add_func ("/plot/fail/gnuplot-from-env", test_gnuplot_from_env);
  g_test_add_func ("/plot/fail/script-error", test_script_error);
  g_test_add_func ("/plot/fail/syntax-error-message", test_syntax_error_message);
  g_test_add_func ("/plot/fail/gnuplot-chatter", test_gnuplot_chatter);
  g_test_add_func ("/plot/error/not-a-run-dir", test_not_a_run_dir);
  g_test_add_func ("/plot/error/bad-data", test_bad_data);
  g_test_add_func ("/plot/sweep/data-lines", test_sweep_data_lines);
  g_test_add_func ("/plot/sweep/data-bars", test_sweep_data_bars);
  g_test_add_func ("/plot/sweep/durations", test_sweep_data_durations);
  g_test_add_func ("/plot/sweep/many-metrics", test_sweep_many_metrics);
  g_test_add_func ("/plot/sweep/errors", test_sweep_errors);
  g_test_add_func ("/plot/sweep/draws", test_sweep_draws);
  g_test_add_func ("/plot/sweep/scripts-embedded", test_sweep_scripts_embedded);
  g_test_add_func ("/plot/sweep/cli", test_sweep_cli);
  g_test_add_func ("/plot/scripts/embedded", test_scripts_embedded);
  g_test_add_func ("/plot/scripts/format-names", test_format_names);
  for (guint i = 0; i < G_N_ELEMENTS (cli_cases); i++)
    g_test_add_data_func (cli_cases[i].path, &cli_cases[i], test_cli);
  return g_test_run ();
}
