/* test-cli.c: the poolsim command as a user meets it: exit statuses,
 * messages, and what is (not) left on disk
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-test-util.h"

static void
test_usage (void)
{
  g_auto(PsTestResult) none = { 0 }, help = { 0 }, unknown = { 0 }, version = { 0 }, run_help = { 0 };

  ps_test_poolsim (&none, NULL);
  g_assert_cmpint (none.status, ==, 2);
  ps_test_poolsim (&help, "--help", NULL);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "run"));
  ps_test_poolsim (&unknown, "frobnicate", NULL);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "unknown command"));
  ps_test_poolsim (&version, "--version", NULL);
  g_assert_cmpint (version.status, ==, 0);
  g_assert_true (g_str_has_prefix (version.out, "poolsim "));
  ps_test_poolsim (&run_help, "run", "--help", NULL);
  g_assert_cmpint (run_help.status, ==, 0);
  g_assert_nonnull (strstr (run_help.out, "--seed"));
  g_assert_nonnull (strstr (run_help.out, "--no-plots"));
}

static void
test_check_ok (void)
{
  g_autofree char *path = ps_test_scenario_path ("default.json");
  g_auto(PsTestResult) r = { 0 };

  ps_test_poolsim (&r, "check", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "ok"));
}

/* A mistake: exit 2, "poolsim: FILE:LINE:COL: key: ...", nothing created. */
static void
test_bad_scenario (void)
{
  g_autofree char *dir = ps_test_tmpdir ();
  g_autofree char *file = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *prefix = g_strdup_printf ("poolsim: %s:4:16: server.workers: ", file);
  g_auto(PsTestResult) r = { 0 }, c = { 0 };

  g_file_set_contents (file, "{\n  \"duration\": \"1m\",\n  \"server\": {\n    \"workers\": 0 },\n"
                       "  \"clients\": [ {} ]\n}\n", -1, NULL);
  ps_test_poolsim (&r, "run", file, "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_true (g_str_has_prefix (r.err, prefix));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  ps_test_poolsim (&c, "check", file, NULL);
  g_assert_cmpint (c.status, ==, 2);
  g_assert_true (g_str_has_prefix (c.err, prefix));
  ps_test_rmdir (dir);
}

/* The shipped example of a mistake says exactly where it is. */
static void
test_shipped_broken_example (void)
{
  g_autofree char *path = ps_test_scenario_path ("broken.json");
  g_autofree char *expected = g_strdup_printf (
    "poolsim: %s:14:21: clients[0].concurency: unknown key (did you mean \"concurrency\"?)\n", path);
  g_auto(PsTestResult) r = { 0 };

  ps_test_poolsim (&r, "check", path, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.err, ==, expected);
}

static void
test_missing_file (void)
{
  g_auto(PsTestResult) r = { 0 };

  ps_test_poolsim (&r, "run", "/nonexistent/scenario.json", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "/nonexistent/scenario.json"));
}

static void
test_bad_options (void)
{
  g_autofree char *path = ps_test_scenario_path ("default.json");
  g_auto(PsTestResult) seed = { 0 }, set = { 0 }, extra = { 0 }, opt = { 0 };

  ps_test_poolsim (&seed, "run", path, "--seed", "abc", NULL);
  g_assert_cmpint (seed.status, ==, 2);
  g_assert_nonnull (strstr (seed.err, "--seed"));
  ps_test_poolsim (&set, "run", path, "--set", "server.wrkers=3", NULL);
  g_assert_cmpint (set.status, ==, 2);
  g_assert_nonnull (strstr (set.err, "workers"));
  ps_test_poolsim (&extra, "run", path, path, NULL);
  g_assert_cmpint (extra.status, ==, 2);
  ps_test_poolsim (&opt, "run", path, "--no-such-option", NULL);
  g_assert_cmpint (opt.status, ==, 2);
}

/* An output directory that cannot be created: exit 1, a clear message. */
static void
test_unwritable_output (void)
{
  g_autofree char *path = ps_test_scenario_path ("default.json");
  g_auto(PsTestResult) r = { 0 };

  ps_test_poolsim (&r, "run", path, "-o", "/dev/null/run", "--no-plots", "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "/dev/null/run"));
}

/* --seed and --set reach the run; the same command gives the same bytes. */
static void
test_run_overrides_and_repeat (void)
{
  g_autofree char *path = ps_test_scenario_path ("default.json");
  g_autofree char *dir = ps_test_tmpdir ();
  g_autofree char *o1 = g_build_filename (dir, "one", NULL);
  g_autofree char *o2 = g_build_filename (dir, "two", NULL);
  g_auto(PsTestResult) r1 = { 0 }, r2 = { 0 };
  g_autofree char *summary = NULL, *a = NULL, *b = NULL;

  ps_test_poolsim (&r1, "run", path, "-o", o1, "--seed", "9", "--set", "server.workers=20",
       "--set", "duration=2m", "--no-plots", "--quiet", NULL);
  g_assert_cmpint (r1.status, ==, 0);
  g_assert_cmpstr (r1.out, ==, "");
  ps_test_poolsim (&r2, "run", path, "-o", o2, "--seed", "9", "--set", "server.workers=20",
       "--set", "duration=2m", "--no-plots", "--quiet", NULL);
  g_assert_cmpint (r2.status, ==, 0);
  summary = ps_test_read (o1, "summary.json");
  g_assert_nonnull (strstr (summary, "\"seed\": 9,"));
  g_assert_nonnull (strstr (summary, "\"workers\": 20,"));
  g_assert_nonnull (strstr (summary, "\"duration_s\": 120.0,"));
  a = ps_test_read (o1, "requests.csv");
  b = ps_test_read (o2, "requests.csv");
  g_assert_cmpstr (a, ==, b);
  ps_test_rmdir (dir);
}

static void
limit_file_size (gpointer data)
{
  struct rlimit limit = { 1 << 20, 1 << 20 };            /* 1 MiB per file */

  setrlimit (RLIMIT_FSIZE, &limit);
}

/* A run that fails half-way (its files hit the size limit) leaves the
 * previous run directory as it was, and nothing of its own. */
static void
test_run_dir_atomic (void)
{
  g_autofree char *tmp = ps_test_tmpdir ();
  g_autofree char *dir = g_build_filename (tmp, "run", NULL);
  g_autofree char *scenario = ps_test_scenario_path ("default.json");
  const char *bin = g_getenv ("POOLSIM");
  const char *argv[] = { bin, "run", scenario, "-o", dir, "--no-plots", "--quiet",
                         "--seed", "5", "--set", "duration=1h", NULL };
  g_auto(PsTestResult) first = { 0 };
  g_autofree char *err = NULL, *summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  int status = 0;
  guint entries = 0;

  ps_test_poolsim (&first, "run", scenario, "-o", dir, "--no-plots", "--quiet", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, limit_file_size, NULL,
                NULL, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (err, "was left as it was (the previous run)"));
  summary = ps_test_read (dir, "summary.json");
  g_assert_nonnull (strstr (summary, "\"seed\": 42,"));      /* the first run's */
  listing = g_dir_open (tmp, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    entries++;
  g_assert_cmpuint (entries, ==, 1);                          /* no partial left */
  ps_test_rmdir (tmp);
}

static void
default_interrupt (gpointer data)
{
  signal (SIGINT, SIG_DFL);             /* a shell's background job ignores it */
}

/* Waits up to @seconds for @pid; kills it in any case.  Returns: its status. */
static int
reap_within (GPid pid, double seconds)
{
  int status = 0;

  for (int i = 0; i < (int) (seconds * 100); i++)
    {
      if (waitpid (pid, &status, WNOHANG) == pid)
        return status;
      g_usleep (10000);
    }
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
  g_assert_not_reached ();              /* it did not end by itself */
}

/* Two interrupts in quick succession, while a long run is writing its
 * directory: the run's temporary directory is removed, the previous run
 * is left as it was, the message says so, and the process ends by SIGINT
 * (so a shell or make stops too). */
static void
test_run_double_interrupt (void)
{
  g_autofree char *tmp = ps_test_tmpdir ();
  g_autofree char *dir = g_build_filename (tmp, "run", NULL);
  g_autofree char *scenario = ps_test_scenario_path ("default.json");
  const char *bin = g_getenv ("POOLSIM");
  const char *argv[] = { bin, "run", scenario, "-o", dir, "--no-plots", "--quiet",
                         "--seed", "5", "--set", "duration=100h", NULL };
  g_auto(PsTestResult) first = { 0 };
  g_autofree char *partial = NULL, *summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) err_channel = NULL;
  g_autoptr(GDir) listing = NULL;
  g_autofree char *err = NULL;
  int err_fd = -1, status;
  guint entries = 0;
  GPid pid;

  ps_test_poolsim (&first, "run", scenario, "-o", dir, "--no-plots", "--quiet", NULL);
  g_assert_cmpint (first.status, ==, 0);
  g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                            default_interrupt, NULL, &pid, NULL, NULL, &err_fd, &error);
  g_assert_no_error (error);
  partial = g_strdup_printf ("%s/.run.partial-%d", tmp, (int) pid);
  for (int i = 0; i < 1000 && !g_file_test (partial, G_FILE_TEST_IS_DIR); i++)
    g_usleep (10000);                   /* at most 10 s to start writing */
  g_usleep (200000);                    /* well into the run */
  g_assert_true (g_file_test (partial, G_FILE_TEST_IS_DIR));
  kill (pid, SIGINT);
  g_usleep (20000);
  kill (pid, SIGINT);
  status = reap_within (pid, 20);
  err_channel = g_io_channel_unix_new (err_fd);
  g_io_channel_set_close_on_unref (err_channel, TRUE);
  g_io_channel_read_to_end (err_channel, &err, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGINT);
  g_assert_nonnull (strstr (err, "poolsim: interrupted: "));
  g_assert_nonnull (strstr (err, "run was left as it was (the previous run)"));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  summary = ps_test_read (dir, "summary.json");
  g_assert_nonnull (strstr (summary, "\"seed\": 42,"));      /* the first run's */
  listing = g_dir_open (tmp, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    entries++;
  g_assert_cmpuint (entries, ==, 1);                          /* only "run" */
  g_spawn_close_pid (pid);
  ps_test_rmdir (tmp);
}

static void
limit_address_space (gpointer data)
{
  struct rlimit limit = { (rlim_t) 2 << 30, (rlim_t) 2 << 30 };  /* 2 GiB */

  setrlimit (RLIMIT_AS, &limit);
}

/* A scenario the machine cannot hold is refused before anything is
 * allocated, with the estimate (100 million requests of backlog). */
static void
test_memory_refused (void)
{
  g_autofree char *tmp = ps_test_tmpdir ();
  g_autofree char *file = g_build_filename (tmp, "big.json", NULL);
  const char *bin = g_getenv ("POOLSIM");
  const char *argv[] = { bin, "check", file, NULL };
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

#if defined(__SANITIZE_ADDRESS__)
  g_test_skip ("AddressSanitizer reserves more address space than the limit");
  return;
#endif
  g_file_set_contents (file, "{\"duration\":\"1s\",\"clients\":[{\"count\":1000,"
                       "\"initial_backlog\":100000}]}", -1, &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, limit_address_space,
                NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "a run would need about 15267 MiB (1000 clients"));
  g_assert_nonnull (strstr (err, "more than this machine's 2048 MiB can hold"));
  ps_test_rmdir (tmp);
}

/* Input files are bounded as they are read: /dev/zero, as a scenario or
 * as a trace, stops at the limit with a message naming it; a document's
 * number of values is bounded too. */
static void
test_bounded_input (void)
{
  g_autofree char *dir = ps_test_tmpdir ();
  g_autofree char *trace = g_build_filename (dir, "trace.json", NULL);
  g_autofree char *many = g_build_filename (dir, "many.json", NULL);
  g_auto(PsTestResult) zero = { 0 }, via_trace = { 0 }, values = { 0 };
  g_autoptr(GError) error = NULL;

  g_file_set_contents (trace, "{\"clients\":[{\"arrival\":{\"process\":\"trace\","
                       "\"file\":\"/dev/zero\"}}]}", -1, &error);
  g_assert_no_error (error);
  g_setenv ("POOLSIM_MAX_INPUT_MB", "4", TRUE);
  ps_test_poolsim (&zero, "check", "/dev/zero", NULL);
  ps_test_poolsim (&via_trace, "check", trace, NULL);
  g_unsetenv ("POOLSIM_MAX_INPUT_MB");
  g_assert_cmpint (zero.status, ==, 2);
  g_assert_nonnull (strstr (zero.err, "/dev/zero: cannot read the file: larger than the 4 MiB "
                                      "limit for input files (set POOLSIM_MAX_INPUT_MB"));
  g_assert_cmpint (via_trace.status, ==, 2);
  g_assert_nonnull (strstr (via_trace.err, "clients[0].arrival.file: cannot read "
                                           "\"/dev/zero\": larger than the 4 MiB limit"));

  /* and so is the number of JSON values, before json-glib reads them */
  g_file_set_contents (many, "{\"clients\":[{\"priorities\":[1,1,1]}]}", -1, &error);
  g_assert_no_error (error);
  g_setenv ("POOLSIM_MAX_JSON_VALUES", "5", TRUE);
  ps_test_poolsim (&values, "check", many, NULL);
  g_unsetenv ("POOLSIM_MAX_JSON_VALUES");
  g_assert_cmpint (values.status, ==, 2);
  g_assert_nonnull (strstr (values.err, "many.json:1:30: too many values: more than 5 JSON "
                                        "values"));
  g_assert_nonnull (strstr (values.err, "set POOLSIM_MAX_JSON_VALUES to raise it"));
  ps_test_rmdir (dir);
}

/* check explains the load and points out what cannot work. */
static void
test_check_explains (void)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *file = g_build_filename (srcdir ? srcdir : ".", "data",
                                            "check-overcommitted.json", NULL);
  g_auto(PsTestResult) typo = { 0 }, fixed = { 0 };

  ps_test_poolsim (&typo, "check", file, NULL);
  g_assert_cmpint (typo.status, ==, 2);
  g_assert_nonnull (strstr (typo.err, "server.overrides[0].group: \"partner\" matches no "
                            "client group (did you mean \"partners\"?)"));
  ps_test_poolsim (&fixed, "check", file, "--set", "server.overrides[0].group=partners", NULL);
  g_assert_cmpint (fixed.status, ==, 0);
  g_assert_nonnull (strstr (fixed.out, "pool: 209 Erlangs of work for 64 workers (load 3.27)"));
  g_assert_nonnull (strstr (fixed.out, "override: 3000 per 1m (fixed_window)"));
  /* 80 ms of service and twice the default 0.5 ms of network latency */
  g_assert_nonnull (strstr (fixed.err, "concurrency 1 with 0.081 s per request caps it at 12.3/s"));
  g_assert_nonnull (strstr (fixed.err, "it cannot keep up"));
}

/* The whole of a gzip file, decompressed. */
static char *
gunzip_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  g_autoptr(GZlibDecompressor) zlib = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) plain = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (in);
  plain = g_converter_input_stream_new (G_INPUT_STREAM (in), G_CONVERTER (zlib));
  g_assert_cmpint (g_output_stream_splice (out, plain, G_OUTPUT_STREAM_SPLICE_NONE,
                                           NULL, &error), >=, 0);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));   /* a string */
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

/* output.compress "gzip": the per-request files as .csv.gz, holding the
 * same bytes as the plain run's; a misspelt value is refused. */
static void
test_run_gzip (void)
{
  g_autofree char *path = ps_test_scenario_path ("noisy-neighbour.json");
  g_autofree char *dir = ps_test_tmpdir ();
  g_autofree char *plain = g_build_filename (dir, "plain", NULL);
  g_autofree char *packed = g_build_filename (dir, "packed", NULL);
  g_autofree char *plain_csv = g_build_filename (plain, "requests.csv", NULL);
  g_autofree char *packed_csv = g_build_filename (packed, "requests.csv", NULL);
  g_auto(PsTestResult) r1 = { 0 }, r2 = { 0 }, r3 = { 0 };
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

  ps_test_poolsim (&r1, "run", path, "-o", plain, "--set", "duration=1m",
                   "--set", "output.attempts=true", "--no-plots", "--quiet", NULL);
  g_assert_cmpint (r1.status, ==, 0);
  ps_test_poolsim (&r2, "run", path, "-o", packed, "--set", "duration=1m",
                   "--set", "output.attempts=true", "--set", "output.compress=gzip",
                   "--no-plots", "--quiet", NULL);
  g_assert_cmpint (r2.status, ==, 0);
  g_assert_false (g_file_test (packed_csv, G_FILE_TEST_EXISTS));
  a = ps_test_read (plain, "requests.csv");
  b = gunzip_file (packed, "requests.csv.gz");
  g_assert_cmpuint (strlen (a), >, 10000);
  g_assert_cmpstr (a, ==, b);
  c = ps_test_read (plain, "attempts.csv");
  d = gunzip_file (packed, "attempts.csv.gz");
  g_assert_cmpstr (c, ==, d);
  g_assert_true (g_file_test (plain_csv, G_FILE_TEST_IS_REGULAR));

  ps_test_poolsim (&r3, "check", path, "--set", "output.compress=zip", NULL);
  g_assert_cmpint (r3.status, ==, 2);
  g_assert_nonnull (strstr (r3.err, "output.compress: unknown compression \"zip\""));
  ps_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/check/ok", test_check_ok);
  g_test_add_func ("/cli/bad-scenario", test_bad_scenario);
  g_test_add_func ("/cli/shipped-broken-example", test_shipped_broken_example);
  g_test_add_func ("/cli/missing-file", test_missing_file);
  g_test_add_func ("/cli/bad-options", test_bad_options);
  g_test_add_func ("/cli/unwritable-output", test_unwritable_output);
  g_test_add_func ("/cli/run/overrides-and-repeat", test_run_overrides_and_repeat);
  g_test_add_func ("/cli/run/gzip", test_run_gzip);
  g_test_add_func ("/cli/check-explains", test_check_explains);
  g_test_add_func ("/cli/bounded-input", test_bounded_input);
  g_test_add_func ("/cli/run-dir-atomic", test_run_dir_atomic);
  g_test_add_func ("/cli/run-double-interrupt", test_run_double_interrupt);
  g_test_add_func ("/cli/memory-refused", test_memory_refused);
  return g_test_run ();
}
