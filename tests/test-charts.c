/* test-charts.c: the chart tally, charts.json, and plot reading it */
#include <glib/gstdio.h>
#include <string.h>

#include "ps-chart-tally.h"
#include "ps-plot.h"
#include "ps-rng.h"
#include "ps-test-util.h"

#define WINDOW G_GINT64_CONSTANT (10000000)     /* 10 s */

/* A final request of @client, its counters moved as a run moves them. */
static void
finish (PsChartTally *tally, PsClient *client, guint64 id, guint priority, PsOutcome outcome,
        PsTime created, PsTime admitted, PsTime completed, gboolean got_429)
{
  PsRequest r = {
    .id = id, .client = client->id, .priority = (guint8) priority,
    .outcome = (guint8) outcome, .created = created, .admitted = admitted,
    .first_sent = created,
  };

  client->generated++;
  client->n429 += got_429;
  client->completed += outcome == PS_OUTCOME_COMPLETED;
  client->rejected += outcome == PS_OUTCOME_REJECTED;
  client->dropped += outcome == PS_OUTCOME_DROPPED;
  ps_chart_tally_on_request (tally, &r, client, MAX (MAX (created, admitted), completed));
}

static const PsChartClient *
entry_of (const PsChartTally *tally, guint32 client)
{
  for (guint i = 0; i < ps_chart_tally_n_clients (tally); i++)
    if (ps_chart_tally_client (tally, i)->client == client)
      return ps_chart_tally_client (tally, i);
  return NULL;
}

static guint32
count_at (GArray *counts, guint window)
{
  return window < counts->len ? g_array_index (counts, guint32, window) : 0;
}

static void
test_tally_small_population (void)
{
  enum { N_CLIENTS = 40, N_REQUESTS = 20000, N_WINDOWS = 30 };
  g_autoptr(PsChartTally) tally = ps_chart_tally_new (3, 2, WINDOW);
  g_autofree PsClient *clients = g_new0 (PsClient, N_CLIENTS);
  g_autofree guint32 *created = g_new0 (guint32, N_CLIENTS * N_WINDOWS);
  g_autofree guint32 *admitted = g_new0 (guint32, N_CLIENTS * N_WINDOWS);
  guint64 outcomes[3][PS_CHART_N_OUTCOMES] = { { 0 } };
  guint64 completed[2] = { 0 };
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (PsRequest));
  PsRng rng;

  g_test_summary ("With no more clients than the tally follows, every client's "
                  "per-window counts and every outcome count are exact, in "
                  "whatever order the requests end (pending ones last).");
  ps_rng_init (&rng, 7, 1);
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      clients[i].id = i;
      clients[i].group = i % 2;
    }
  for (guint64 id = 0; id < N_REQUESTS; id++)
    {
      guint c = (guint) ps_rng_below (&rng, N_CLIENTS);
      guint p = (guint) ps_rng_below (&rng, 3);
      PsOutcome o = (PsOutcome) ps_rng_below (&rng, PS_CHART_N_OUTCOMES);
      PsTime t = (PsTime) ps_rng_below (&rng, (guint64) N_WINDOWS * WINDOW);
      PsTime adm = -1;

      if (o == PS_OUTCOME_COMPLETED || (o == PS_OUTCOME_PENDING && id % 3 == 0))
        {
          adm = t + (PsTime) ps_rng_below (&rng, 2 * WINDOW);
          adm = MIN (adm, (PsTime) N_WINDOWS * WINDOW - 1);
          admitted[c * N_WINDOWS + adm / WINDOW]++;
        }
      created[c * N_WINDOWS + t / WINDOW]++;
      outcomes[p][o]++;
      completed[clients[c].group] += o == PS_OUTCOME_COMPLETED;
      if (o == PS_OUTCOME_PENDING)              /* reported at the end, as a run does */
        {
          PsRequest r = { .id = id, .client = c, .priority = (guint8) p,
                          .outcome = (guint8) o, .created = t, .admitted = adm };

          g_array_append_val (pending, r);
          clients[c].generated++;
          continue;
        }
      finish (tally, &clients[c], id, p, o, t, adm,
              o == PS_OUTCOME_COMPLETED ? adm + 1000 : -1, o == PS_OUTCOME_REJECTED);
    }
  for (guint i = 0; i < pending->len; i++)
    {
      PsRequest *r = &g_array_index (pending, PsRequest, i);

      ps_chart_tally_on_request (tally, r, &clients[r->client], -1);
    }
  g_assert_cmpuint (ps_chart_tally_n_clients (tally), ==, N_CLIENTS);
  g_assert_false (ps_chart_tally_overflow (tally));
  for (guint c = 0; c < N_CLIENTS; c++)
    {
      const PsChartClient *e = entry_of (tally, c);

      g_assert_nonnull (e);
      g_assert_true (e->complete);
      g_assert_cmpuint (e->from_window, ==, 0);
      g_assert_cmpuint (e->n429, ==, clients[c].n429);
      for (guint w = 0; w < N_WINDOWS; w++)
        {
          g_assert_cmpuint (count_at (e->created, w), ==, created[c * N_WINDOWS + w]);
          g_assert_cmpuint (count_at (e->admitted, w), ==, admitted[c * N_WINDOWS + w]);
        }
    }
  for (guint p = 0; p < 3; p++)
    for (guint o = 0; o < PS_CHART_N_OUTCOMES; o++)
      g_assert_cmpuint (ps_chart_tally_priority (tally, p)->outcomes[o], ==, outcomes[p][o]);
  for (guint g = 0; g < 2; g++)
    g_assert_cmpuint (ps_chart_tally_group (tally, g)->outcomes[PS_OUTCOME_COMPLETED], ==,
                      completed[g]);
}

static void
test_tally_heavy_hitter (void)
{
  enum { N_CLIENTS = PS_CHART_TRACKED + 45 };
  g_autoptr(PsChartTally) tally = ps_chart_tally_new (1, 1, WINDOW);
  g_autofree PsClient *clients = g_new0 (PsClient, N_CLIENTS);
  guint32 late = N_CLIENTS - 1, idle = N_CLIENTS - 2;
  const PsChartClient *e;
  guint64 id = 0;

  g_test_summary ("Once the table is full, a client that overtakes the least "
                  "followed one (twice its 429s) takes its place, marked "
                  "incomplete, counted in full from the window after it "
                  "entered; a pending request never makes its client enter.");
  for (guint i = 0; i < N_CLIENTS; i++)
    clients[i].id = i;
  /* every client but the last two ends one request in window 0, with one 429 */
  for (guint i = 0; i < N_CLIENTS - 2; i++)
    finish (tally, &clients[i], id++, 0, PS_OUTCOME_REJECTED, 1000, -1, -1, TRUE);
  g_assert_cmpuint (ps_chart_tally_n_clients (tally), ==, PS_CHART_TRACKED);
  g_assert_null (entry_of (tally, N_CLIENTS - 3));     /* came too late, no more 429s */

  /* pending at the end, with many 429s: counted, never followed */
  clients[idle].n429 = 100;
  finish (tally, &clients[idle], id++, 0, PS_OUTCOME_PENDING, 5 * WINDOW, -1, -1, FALSE);
  g_assert_null (entry_of (tally, idle));
  g_assert_cmpuint (ps_chart_tally_priority (tally, 0)->outcomes[PS_OUTCOME_PENDING], ==, 1);

  /* two 429s tie with twice one: not enough; three overtake */
  finish (tally, &clients[late], id++, 0, PS_OUTCOME_REJECTED, 3 * WINDOW, -1, -1, TRUE);
  finish (tally, &clients[late], id++, 0, PS_OUTCOME_REJECTED, 3 * WINDOW + 1, -1, -1, TRUE);
  g_assert_null (entry_of (tally, late));
  finish (tally, &clients[late], id++, 0, PS_OUTCOME_COMPLETED, 4 * WINDOW, 4 * WINDOW + 5,
          4 * WINDOW + 9, TRUE);
  e = entry_of (tally, late);
  g_assert_nonnull (e);
  g_assert_false (e->complete);
  g_assert_cmpuint (e->from_window, ==, 5);   /* taken on in window 4 */
  g_assert_cmpuint (count_at (e->created, 4), ==, 1);
  g_assert_cmpuint (count_at (e->admitted, 4), ==, 1);
  g_assert_cmpuint (count_at (e->created, 3), ==, 0);
  g_assert_cmpuint (ps_chart_tally_n_clients (tally), ==, PS_CHART_TRACKED);
  g_assert_cmpuint (clients[late].chart_entry, !=, 0);
  /* the one it replaced is the least ranked: the highest id among equals */
  g_assert_cmpuint (clients[PS_CHART_TRACKED - 1].chart_entry, ==, 0);
}

static void
test_tally_late_heavy_hitters (void)
{
  enum { N_QUIET = PS_CHART_TRACKED, N_HEAVY = 10 };
  g_autoptr(PsChartTally) tally = ps_chart_tally_new (1, 1, WINDOW);
  g_autofree PsClient *clients = g_new0 (PsClient, N_QUIET + N_HEAVY);
  guint64 id = 0;

  g_test_summary ("Several heavy hitters arriving once the table is full all "
                  "get in: each newcomer is held against the least followed "
                  "client, not against the one that came in last.");
  for (guint i = 0; i < N_QUIET + N_HEAVY; i++)
    clients[i].id = i;
  for (guint i = 0; i < N_QUIET; i++)
    finish (tally, &clients[i], id++, 0, PS_OUTCOME_COMPLETED, 1000, 1000, 2000, FALSE);
  for (guint h = 0; h < N_HEAVY; h++)
    {
      PsClient *c = &clients[N_QUIET + h];

      for (guint k = 0; k < 50 + h; k++)
        finish (tally, c, id++, 0, PS_OUTCOME_REJECTED, 2 * WINDOW + k, -1, -1, TRUE);
    }
  for (guint h = 0; h < N_HEAVY; h++)
    g_assert_nonnull (entry_of (tally, N_QUIET + h));
  g_assert_cmpuint (ps_chart_tally_n_clients (tally), ==, PS_CHART_TRACKED);
}

static void
test_tally_window_overflow (void)
{
  g_autoptr(PsChartTally) tally = ps_chart_tally_new (1, 1, 1000);
  PsClient client = { .id = 0 };

  g_test_summary ("A request past the last window followed says so; the windows "
                  "before it stay counted.");
  finish (tally, &client, 0, 0, PS_OUTCOME_COMPLETED, 10, 20, 30, FALSE);
  g_assert_false (ps_chart_tally_overflow (tally));
  finish (tally, &client, 1, 0, PS_OUTCOME_COMPLETED,
          (PsTime) PS_CHART_MAX_WINDOWS * 1000, -1, -1, FALSE);
  g_assert_true (ps_chart_tally_overflow (tally));
  g_assert_cmpuint (count_at (entry_of (tally, 0)->created, 0), ==, 1);
}

/* ---- charts.json and plot ------------------------------------------- */

static const char *const plot_files[] = {
  "plot-meta.gp", "plot-clients.csv", "plot-latency.csv", "plot-latency-marks.csv",
  "plot-quota.csv", NULL,
};

/* Runs the shipped scenario @name, with @sets, into @dir. */
static void
run_scenario (const char *name, const char *const *sets, const char *dir)
{
  g_autofree char *path = ps_test_scenario_path (name);
  g_autofree char *json = NULL;
  g_autoptr(PsScenario) sc = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &json, NULL, NULL));
  sc = ps_test_scenario (json, sets);
  g_assert_true (ps_test_run_to_dir (sc, dir, NULL, &error));
  g_assert_no_error (error);
}

/* The derived files of @dir, written by ps_plot_write_data(), as text. */
static GPtrArray *
derived_files (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (ps_plot_write_data (dir, notes, &error));
  g_assert_no_error (error);
  for (guint i = 0; plot_files[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, plot_files[i], NULL);
      char *text = NULL;

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      g_ptr_array_add (texts, text);
      g_unlink (path);
    }
  return texts;
}

static void
test_plot_same_both_ways (gconstpointer data)
{
  const char *name = data;
  g_autofree char *dir = ps_test_tmpdir ();
  g_autofree char *charts = g_build_filename (dir, "charts.json", NULL);
  g_autoptr(GPtrArray) tallied = NULL, streamed = NULL;
  g_autoptr(GError) error = NULL;
  const char *sets[] = { "duration=3m", "output.requests=true", NULL };

  g_test_summary ("charts.json and a pass over requests.csv give the same derived "
                  "files, byte for byte: latency CDFs per priority or group, "
                  "marks, quota windows of the most throttled clients.");
  run_scenario (name, sets, dir);
  g_assert_true (g_file_test (charts, G_FILE_TEST_IS_REGULAR));
  tallied = derived_files (dir);
  g_assert_cmpint (g_unlink (charts), ==, 0);
  streamed = derived_files (dir);
  for (guint i = 0; plot_files[i] != NULL; i++)
    {
      g_autoptr(GString) text = g_string_new (g_ptr_array_index (tallied, i));

      /* the one line that says which way the data came */
      g_string_replace (text, "\nhas_charts = 1\n", "\nhas_charts = 0\n", 1);
      if (strcmp (text->str, g_ptr_array_index (streamed, i)) != 0)
        g_error ("%s: %s differs: from charts.json:\n%s\nfrom requests.csv:\n%s", name,
                 plot_files[i], text->str, (char *) g_ptr_array_index (streamed, i));
    }
  g_assert_cmpuint (strlen (g_ptr_array_index (tallied, 4)), >, 100); /* a quota chart */
  ps_test_rmdir (dir);
}

static void
test_plot_without_requests_csv (void)
{
  g_autofree char *dir = ps_test_tmpdir ();
  g_autofree char *requests = g_build_filename (dir, "requests.csv", NULL);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *quota = NULL, *meta = NULL;
  const char *sets[] = { "duration=2m", "output.requests=false", NULL };

  g_test_summary ("A run without requests.csv still has its latency and quota "
                  "charts' data, from charts.json.");
  run_scenario ("default.json", sets, dir);
  g_assert_false (g_file_test (requests, G_FILE_TEST_EXISTS));
  g_assert_true (ps_plot_write_data (dir, notes, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < notes->len; i++)
    g_test_message ("note: %s", (char *) g_ptr_array_index (notes, i));
  g_assert_cmpuint (notes->len, ==, 0);
  quota = ps_test_read (dir, "plot-quota.csv");
  g_assert_true (g_str_has_prefix (quota, "slot,client,window,window_start_s,admitted,created,limit\n1,"));
  meta = ps_test_read (dir, "plot-meta.gp");
  g_assert_nonnull (strstr (meta, "\nhas_requests = 0\nhas_charts = 1\n"));
  g_assert_nonnull (strstr (meta, "\nn_priorities = 3\n"));    /* what the scripts read */
  g_assert_nonnull (strstr (meta, "\nquota_n = "));
  ps_test_rmdir (dir);
}

static void
test_plot_many_windows (void)
{
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *charts = NULL;
  const char *sets[] = { "duration=3m", "server.quota.window=10ms",
                         "output.requests=true", NULL };

  g_test_summary ("More quota windows than the run follows (18000): charts.json "
                  "says so, and plot draws the quota chart from requests.csv.");
  run_scenario ("default.json", sets, dir);
  charts = ps_test_read (dir, "charts.json");
  g_assert_nonnull (strstr (charts, "\"overflow\": true"));
  g_assert_true (ps_plot_write_data (dir, notes, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < notes->len; i++)
    g_error ("unexpected note: %s", (char *) g_ptr_array_index (notes, i));
  ps_test_rmdir (dir);
}

static void
test_plot_bad_charts_json (void)
{
  static const struct
  {
    const char *text;
    const char *message;
  } cases[] = {
    { "{\"by_priority\": [", "charts.json: cannot be read: *" },
    { "[]", "charts.json: the top: not an object" },
    { "{\"by_priority\": [1], \"by_group\": []}", "charts.json: by_priority[0]: not an object" },
    { "{\"by_priority\": [{\"priority\": 0, \"completed\": 1, \"rejected\": 0,"
      " \"dropped\": 0, \"pending\": 0, \"latency_min_us\": 5, \"latency_max_us\": 5,"
      " \"latency_us\": [[9223372036854775807, 9223372036854775807, 1]]}], \"by_group\": []}",
      "charts.json: by_priority[0].latency_us: a bucket is not [low_us, width_us, count]" },
    { "{\"by_priority\": [{\"priority\": 0, \"completed\": 1, \"rejected\": 0,"
      " \"dropped\": 0, \"pending\": 0, \"latency_min_us\": 9, \"latency_max_us\": 5,"
      " \"latency_us\": []}], \"by_group\": []}",
      "charts.json: by_priority[0]: latency_min_us and latency_max_us out of order or range" },
    { "{\"by_group\": []}", "charts.json: by_priority: missing" },
    { "{\"by_priority\": [{\"priority\": 0}], \"by_group\": []}",
      "charts.json: by_priority[0].completed: missing, or not a count" },
    { "{\"by_priority\": [{\"priority\": 0, \"completed\": 1, \"rejected\": 0,"
      " \"dropped\": 0, \"pending\": 0, \"latency_min_us\": 5, \"latency_max_us\": 5,"
      " \"latency_us\": [[5, 1]]}], \"by_group\": []}",
      "charts.json: by_priority[0].latency_us: a bucket is not [low_us, width_us, count]" },
    { "{\"by_priority\": [], \"by_group\": [], \"quota\": {\"max_windows\": 9,"
      " \"clients\": [{\"from_window\": 0}]}}",
      "charts.json: quota.clients[0]: no client name" },
  };
  g_autofree char *dir = ps_test_tmpdir ();
  g_autofree char *charts = g_build_filename (dir, "charts.json", NULL);
  g_autoptr(GError) error = NULL;
  const char *sets[] = { "duration=30s", "output.requests=false", NULL };

  g_test_summary ("A damaged charts.json is an error that names the file and the "
                  "member, never a crash or a silent chart.");
  run_scenario ("default.json", sets, dir);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_true (g_file_set_contents (charts, cases[i].text, -1, NULL));
      g_assert_false (ps_plot_write_data (dir, NULL, &error));
      g_assert_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA);
      if (!g_pattern_match_simple (cases[i].message, error->message))
        g_error ("case %u: %s", i, error->message);
      g_clear_error (&error);
    }
  ps_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  static const char *const scenarios[] = {
    "default.json", "noisy-neighbour.json", "retry-storm.json", "compare-token-bucket.json",
    "flash-crowd.json",
  };

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/charts/tally/small-population", test_tally_small_population);
  g_test_add_func ("/charts/tally/heavy-hitter", test_tally_heavy_hitter);
  g_test_add_func ("/charts/tally/late-heavy-hitters", test_tally_late_heavy_hitters);
  g_test_add_func ("/charts/tally/window-overflow", test_tally_window_overflow);
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autofree char *test_path = g_strdup_printf ("/charts/plot/same-both-ways/%s",
                                                    scenarios[i]);

      g_test_add_data_func (test_path, scenarios[i], test_plot_same_both_ways);
    }
  g_test_add_func ("/charts/plot/without-requests-csv", test_plot_without_requests_csv);
  g_test_add_func ("/charts/plot/many-windows", test_plot_many_windows);
  g_test_add_func ("/charts/plot/bad-charts-json", test_plot_bad_charts_json);
  return g_test_run ();
}
