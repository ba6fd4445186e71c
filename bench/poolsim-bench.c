/* poolsim-bench.c: `make bench` — how fast the simulator runs
 *
 * Runs the real `poolsim run` on the two reference workloads, with
 * requests.csv on and off, each in its own process so that its peak RSS is
 * its own (wait4's rusage), and prints one line per run: wall seconds,
 * events, events/s, simulated requests/s and peak RSS.  The scenario
 * files are written to a temporary directory; nothing else is kept.
 *
 * Workload (d) is the large one: 1,000,000 clients for an hour (requests.csv
 * off), and for ten minutes with it off and on; BENCH_LARGE=0 leaves it
 * out.  Next to it, the yardstick: a plain binary heap holding 1,000,000
 * events, doing nothing but pop and push (the hold model), and the ratio
 * of poolsim's engine events/s to the heap's.  BENCH_REPS=N keeps the best
 * of N runs of each line (default 1).  (b) and (d10) also run with
 * output.compress "gzip".
 *
 * Then the charts' data: `poolsim plot` of (b)'s and (d10)'s directories
 * with gnuplot replaced by true(1), from charts.json, and for (b) once
 * more from requests.csv alone, as a run directory of an older poolsim.
 *
 * Then a sweep of 100 runs (10 points × 10 replications) of a small
 * scenario, with -j 1 and -j 2, against the same 100 runs done one by
 * one: their summed simulation time (engine.wall_s, what the runs cost
 * at the least) and as 100 `poolsim run` processes (what a shell loop
 * costs).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>

extern char **environ;

typedef struct
{
  const char *name;
  const char *what;
  guint       clients;
  const char *rate;
  guint       workers;
  const char *service_mean;
  const char *latency;          /* network.latency, as JSON */
  const char *duration;
  gboolean    large;            /* left out with BENCH_LARGE=0 */
  gboolean    csv_off_only;
  gboolean    gzip_row;         /* also with output.compress "gzip" */
} Workload;

/* (a) and (b) are fixed yardsticks: no network latency, so that figures
 * stay comparable across versions; (c) is (b) with the default latency,
 * whose two extra events per exchange are what the default costs. */
static const Workload workloads[] = {
  { "a", "100 clients, Poisson 2/s each, 60/min, 50 workers, exp 200 ms, 1 h, latency 0",
    100, "2.0", 50, "200ms", "0", "1h", FALSE, FALSE, FALSE },
  { "b", "10000 clients, Poisson 0.05/s each, 60/min, 200 workers, exp 500 ms, 1 h, latency 0",
    10000, "0.05", 200, "500ms", "0", "1h", FALSE, FALSE, TRUE },
  { "c", "(b) with the default network latency (500 us each way)",
    10000, "0.05", 200, "500ms", "\"500us\"", "1h", FALSE, FALSE, FALSE },
  { "d", "1000000 clients, Poisson 0.01/s each, 60/min, 2500 workers, exp 200 ms, 1 h, latency 0",
    1000000, "0.01", 2500, "200ms", "0", "1h", TRUE, TRUE, FALSE },
  { "d10", "(d) for 10 minutes",
    1000000, "0.01", 2500, "200ms", "0", "10m", TRUE, FALSE, TRUE },
};

/* How a workload writes requests.csv. */
enum { CSV_OFF, CSV_ON, CSV_GZIP, N_CSV };
static const char *const csv_names[N_CSV] = { "off", "on", "gzip" };

static char *
write_scenario (const char *dir, const Workload *w, int csv)
{
  g_autofree char *name = g_strdup_printf ("bench-%s-%s", w->name, csv_names[csv]);
  char *path = g_strdup_printf ("%s/%s.json", dir, name);
  g_autofree char *text = g_strdup_printf (
    "{ \"name\": \"%s\", \"seed\": 1, \"duration\": \"%s\",\n"
    "  \"server\": { \"workers\": %u, \"queue\": 0,\n"
    "    \"service_time\": { \"dist\": \"exponential\", \"mean\": \"%s\" },\n"
    "    \"quota\": { \"algorithm\": \"fixed_window\", \"limit\": 60, \"window\": \"1m\" } },\n"
    "  \"clients\": [ { \"group\": \"c\", \"count\": %u,\n"
    "    \"arrival\": { \"process\": \"poisson\", \"rate\": %s } } ],\n"
    "  \"network\": { \"latency\": %s },\n"
    "  \"output\": { \"requests\": %s, \"compress\": \"%s\" } }\n",
    name, w->duration, w->workers, w->service_mean, w->clients, w->rate, w->latency,
    csv != CSV_OFF ? "true" : "false", csv == CSV_GZIP ? "gzip" : "none");

  if (!g_file_set_contents (path, text, -1, NULL))
    g_error ("cannot write %s", path);
  return path;
}

/* Runs poolsim with @argv (argv[0] is poolsim); returns its wall seconds
 * and fills its peak RSS (KiB). */
static double
run_argv_to (char **argv, long *rss_kib, gboolean quiet)
{
  const char *poolsim = argv[0];
  struct rusage ru;
  gint64 start;
  pid_t pid;
  int status;
  posix_spawn_file_actions_t actions;

  posix_spawn_file_actions_init (&actions);
  if (quiet)
    {
      posix_spawn_file_actions_addopen (&actions, 1, "/dev/null", O_WRONLY, 0);
      posix_spawn_file_actions_addopen (&actions, 2, "/dev/null", O_WRONLY, 0);
    }
  start = g_get_monotonic_time ();
  if (posix_spawn (&pid, poolsim, &actions, NULL, argv, environ) != 0)
    g_error ("cannot start %s: %s", poolsim, g_strerror (errno));
  if (wait4 (pid, &status, 0, &ru) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("%s %s %s failed", poolsim, argv[1], argv[2]);
  posix_spawn_file_actions_destroy (&actions);
  if (rss_kib != NULL)
    *rss_kib = ru.ru_maxrss;
  return (double) (g_get_monotonic_time () - start) / 1e6;
}

static double
run_argv (char **argv, long *rss_kib)
{
  return run_argv_to (argv, rss_kib, FALSE);
}

/* Best of @reps wall seconds of `poolsim plot DIR` with gnuplot replaced
 * by true(1): what poolsim itself spends on the charts' data. */
static double
plot_data_seconds (const char *poolsim, const char *run_dir, guint reps)
{
  char *argv[] = { (char *) poolsim, "plot", (char *) run_dir, "--gnuplot", "/bin/true",
                   NULL };
  double best = G_MAXDOUBLE;

  for (guint r = 0; r < reps; r++)
    best = MIN (best, run_argv_to (argv, NULL, TRUE));
  return best;
}

/* The charts' data, from charts.json, and for (b) also from requests.csv
 * (a run directory of an older poolsim), in the directories the table's
 * runs left. */
static void
bench_plot (const char *poolsim, const char *b_on, const char *d10_off, guint reps)
{
  g_autofree char *charts = g_build_filename (b_on, "charts.json", NULL);
  g_autofree char *aside = g_strconcat (charts, ".aside", NULL);
  double b_fast = plot_data_seconds (poolsim, b_on, reps), b_slow;

  if (g_rename (charts, aside) != 0)
    g_error ("cannot move %s", charts);
  b_slow = plot_data_seconds (poolsim, b_on, reps);
  if (g_rename (aside, charts) != 0)
    g_error ("cannot move %s back", aside);
  printf ("\ncharts' data (poolsim plot, gnuplot not run; best of %u):\n"
          "  (b) from charts.json %.2f s, from its requests.csv as an older run would be %.2f s\n",
          reps, b_fast, b_slow);
  if (d10_off != NULL)
    printf ("  (d10) 1000000 clients, from charts.json %.2f s\n",
            plot_data_seconds (poolsim, d10_off, reps));
}

static double
run_child (const char *poolsim, const char *scenario, const char *out, long *rss_kib)
{
  char *argv[] = { (char *) poolsim, "run", (char *) scenario, "-o", (char *) out,
                   "--no-plots", "--quiet", NULL };

  return run_argv (argv, rss_kib);
}

static double
summary_double (const char *dir, const char *object, const char *member)
{
  g_autofree char *summary = g_build_filename (dir, "summary.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  if (!json_parser_load_from_file (parser, summary, NULL))
    g_error ("no summary in %s", dir);
  root = json_node_get_object (json_parser_get_root (parser));
  return json_object_get_double_member (json_object_get_object_member (root, object), member);
}

/* The sweep's overhead and its -j 2 speed-up. */
static void
bench_sweep (const char *poolsim, const char *dir)
{
  g_autofree char *scenario = g_build_filename (dir, "bench-sweep.json", NULL);
  g_autofree char *out1 = g_build_filename (dir, "sweep-j1", NULL);
  g_autofree char *out2 = g_build_filename (dir, "sweep-j2", NULL);
  g_autofree char *one = g_build_filename (dir, "one", NULL);
  g_autofree char *runs_csv = g_build_filename (out1, "runs.csv", NULL);
  g_autofree char *runs = NULL;
  g_auto(GStrv) lines = NULL;
  char *j1[] = { (char *) poolsim, "sweep", scenario, "--vary", "server.workers=20:65:5",
                 "--reps", "10", "-j", "1", "-o", out1, "--no-plots", "--quiet", NULL };
  char *j2[] = { (char *) poolsim, "sweep", scenario, "--vary", "server.workers=20:65:5",
                 "--reps", "10", "-j", "2", "-o", out2, "--no-plots", "--quiet", NULL };
  double wall1, wall2, processes = 0, simulated = 0;
  guint n = 0;

  if (!g_file_set_contents (scenario,
        "{ \"name\": \"bench-sweep\", \"seed\": 1, \"duration\": \"5m\",\n"
        "  \"server\": { \"workers\": 50, \"queue\": 0,\n"
        "    \"service_time\": { \"dist\": \"exponential\", \"mean\": \"200ms\" },\n"
        "    \"quota\": { \"algorithm\": \"fixed_window\", \"limit\": 60, \"window\": \"1m\" } },\n"
        "  \"clients\": [ { \"group\": \"c\", \"count\": 100,\n"
        "    \"arrival\": { \"process\": \"poisson\", \"rate\": 2.0 } } ],\n"
        "  \"output\": { \"requests\": false } }\n", -1, NULL))
    g_error ("cannot write %s", scenario);
  wall1 = run_argv (j1, NULL);
  wall2 = run_argv (j2, NULL);
  if (!g_file_get_contents (runs_csv, &runs, NULL, NULL))
    g_error ("no %s", runs_csv);
  lines = g_strsplit (runs, "\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", 4);   /* workers,rep,seed,... */
      g_autofree char *set = g_strdup_printf ("server.workers=%s", f[0]);
      char *argv[] = { (char *) poolsim, "run", scenario, "--seed", f[2], "--set", set,
                       "-o", one, "--no-plots", "--quiet", NULL };

      processes += run_argv (argv, NULL);
      simulated += summary_double (one, "engine", "wall_s");
      n++;
    }
  printf ("\nsweep of %u runs (10 points x 10 replications; 100 clients, 5 min each):\n", n);
  printf ("  -j 1 %7.3f s   -j 2 %7.3f s   speed-up %.2fx on %u cores\n", wall1, wall2,
          wall1 / wall2, g_get_num_processors ());
  printf ("  the same runs one by one as `poolsim run` (each writing its run directory):\n"
          "    their engine time %.3f s (sweep -j 1 against it %+.1f%%), as %u processes %.3f s"
          " (%+.1f%%)\n", simulated, 100 * (wall1 / simulated - 1), n, processes,
          100 * (wall1 / processes - 1));
}

static gint64
summary_int (JsonObject *root, const char *object, const char *member)
{
  return json_object_get_int_member (json_object_get_object_member (root, object), member);
}

/* ---- the yardstick: a plain binary heap under the hold model ---------- */

typedef struct
{
  guint64 time;
  guint64 seq;
} HeapEvent;

static inline gboolean
heap_less (const HeapEvent *a, const HeapEvent *b)
{
  return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void
heap_push (HeapEvent *h, gsize *n, HeapEvent e)
{
  gsize i = (*n)++;

  while (i > 0 && heap_less (&e, &h[(i - 1) / 2]))
    {
      h[i] = h[(i - 1) / 2];
      i = (i - 1) / 2;
    }
  h[i] = e;
}

static HeapEvent
heap_pop (HeapEvent *h, gsize *n)
{
  HeapEvent top = h[0], last = h[--(*n)];
  gsize i = 0;

  for (;;)
    {
      gsize c = 2 * i + 1;

      if (c >= *n)
        break;
      if (c + 1 < *n && heap_less (&h[c + 1], &h[c]))
        c++;
      if (!heap_less (&h[c], &last))
        break;
      h[i] = h[c];
      i = c;
    }
  h[i] = last;
  return top;
}

static guint64
xorshift (guint64 *s)
{
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* Events/s of pop-then-push with @live events held, exponential
 * increments (mean 100 s in µs, as 1,000,000 clients at 0.01/s). */
static double
heap_yardstick (gsize live, guint64 operations)
{
  HeapEvent *h = g_new (HeapEvent, live + 1);
  guint64 rng = 88172645463325252ull, seq = 0;
  gsize n = 0;
  gint64 start;
  double seconds;

  for (gsize i = 0; i < live; i++)
    heap_push (h, &n, (HeapEvent) { xorshift (&rng) % 100000000, seq++ });
  start = g_get_monotonic_time ();
  for (guint64 k = 0; k < operations; k++)
    {
      HeapEvent e = heap_pop (h, &n);
      double u = (double) (xorshift (&rng) >> 11) / 9007199254740992.0;

      e.time += (guint64) (-100e6 * log1p (-u));
      e.seq = seq++;
      heap_push (h, &n, e);
    }
  seconds = (double) (g_get_monotonic_time () - start) / 1e6;
  g_free (h);
  return (double) operations / seconds;
}

int
main (int argc, char **argv)
{
  const char *poolsim = argc > 1 ? argv[1] : POOLSIM_PATH;
  g_autofree char *dir = g_dir_make_tmp ("poolsim-bench-XXXXXX", NULL);
  gboolean large = g_strcmp0 (g_getenv ("BENCH_LARGE"), "0") != 0;
  guint reps = g_getenv ("BENCH_REPS") ? (guint) MAX (atoi (g_getenv ("BENCH_REPS")), 1) : 1;
  double large_engine_eps = 0, large_setup_s = 0;

  printf ("%-4s %-9s %9s %11s %12s %12s %10s\n",
          "wl", "requests", "wall_s", "events", "events/s", "requests/s", "peak_rss");
  for (guint i = 0; i < G_N_ELEMENTS (workloads); i++)
    for (int requests = CSV_OFF; requests < N_CSV; requests++)
      {
        const Workload *w = &workloads[i];
        g_autofree char *scenario = NULL;
        g_autofree char *out = g_strdup_printf ("%s/out-%s-%s", dir, w->name,
                                                csv_names[requests]);
        g_autofree char *summary = g_build_filename (out, "summary.json", NULL);
        double wall = G_MAXDOUBLE, engine = G_MAXDOUBLE;
        long rss = 0;
        gint64 events = 0, generated = 0;

        if ((w->large && !large) || (requests != CSV_OFF && w->csv_off_only)
            || (requests == CSV_GZIP && !w->gzip_row))
          continue;
        scenario = write_scenario (dir, w, requests);
        for (guint r = 0; r < reps; r++)
          {
            g_autoptr(JsonParser) parser = json_parser_new ();
            long rss_r;
            double wall_r = run_child (poolsim, scenario, out, &rss_r);
            JsonObject *root;

            if (!json_parser_load_from_file (parser, summary, NULL))
              g_error ("no summary in %s", out);
            root = json_node_get_object (json_parser_get_root (parser));
            events = summary_int (root, "engine", "events");
            generated = summary_int (root, "requests", "generated");
            engine = MIN (engine, json_object_get_double_member (
                            json_object_get_object_member (root, "engine"), "wall_s"));
            if (wall_r < wall)
              {
                wall = wall_r;
                rss = rss_r;
              }
          }
        printf ("%-4s %-9s %9.3f %11" G_GINT64_FORMAT " %12.0f %12.0f %7.1f MiB\n",
                w->name, csv_names[requests], wall, events,
                (double) events / wall, (double) generated / wall, (double) rss / 1024);
        if (strcmp (w->name, "d") == 0)
          {
            large_engine_eps = (double) events / engine;
            large_setup_s = wall - engine;
          }
      }
  for (guint i = 0; i < G_N_ELEMENTS (workloads); i++)
    printf ("(%s) %s\n", workloads[i].name, workloads[i].what);
  printf ("wall_s includes process start and writing the run directory; best of %u.\n",
          reps);
  if (large)
    {
      double heap = heap_yardstick (1000000, 20000000);

      printf ("\nyardstick: a plain binary heap with 1000000 live events, pop and push "
              "only: %.0f events/s\n"
              "  (d) engine: %.0f events/s = %.2f of the heap's; set-up, output and exit "
              "%.2f s\n", heap, large_engine_eps, large_engine_eps / heap, large_setup_s);
    }
  {
    g_autofree char *b_on = g_build_filename (dir, "out-b-on", NULL);
    g_autofree char *d10_off = g_build_filename (dir, "out-d10-off", NULL);

    bench_plot (poolsim, b_on, large ? d10_off : NULL, reps);
  }
  bench_sweep (poolsim, dir);

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", dir);
  }
  return 0;
}
