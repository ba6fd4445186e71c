/* ps-test-util.c: load a scenario from text, run it into a directory */
#include "ps-test-util.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "ps-run-writer.h"
#include "ps-sim.h"

/* Test scenarios describe exact mechanics: unless one says otherwise (a
 * "network" key, or a --set of it), it has no network latency, not the
 * default measured on loopback. */
PsScenario *
ps_test_scenario (const char *json, const char *const *sets)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  PsScenario *sc;

  if (strstr (json, "\"network\"") == NULL)
    g_ptr_array_add (all, (gpointer) "network.latency=0");
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    g_ptr_array_add (all, (gpointer) sets[i]);
  g_ptr_array_add (all, NULL);
  sc = ps_scenario_load_data (json, -1, "test.json", (const char *const *) all->pdata, &error);
  g_assert_no_error (error);
  return sc;
}

/* Runs @scenario with its output in @dir; copies the summary out (its
 * histogram pointers are not valid after the call). */
gboolean
ps_test_run_to_dir (const PsScenario *scenario, const char *dir,
                    PsRunSummary *out_summary, GError **error)
{
  return ps_test_run_to_dir_full (scenario, dir, out_summary, NULL, NULL, error);
}

/**
 * ps_test_run_to_dir_full:
 * @out_stability: (out) (optional): the verdict, when the scenario has faults
 * @out_groups: (out) (optional): room for the scenario's groups' figures
 *   (their latency histograms left NULL)
 *
 * ps_test_run_to_dir(), keeping what the summary only points to.
 */
gboolean
ps_test_run_to_dir_full (const PsScenario *scenario, const char *dir,
                         PsRunSummary *out_summary, PsStabilitySummary *out_stability,
                         PsGroupSummary *out_groups, GError **error)
{
  g_autoptr(PsRunWriter) writer = NULL;
  g_autoptr(PsSim) sim = NULL;
  PsRecordSink sink;

  writer = ps_run_writer_new (dir, ps_run_writer_files (scenario->write_requests,
                                                        scenario->write_attempts,
                                                        scenario->compress_gzip),
                              error);
  if (writer == NULL)
    return FALSE;
  if (scenario->n_faults > 0)
    {
      PsFaultSet faults = ps_scenario_fault_set (scenario);
      PsTime start, end;

      ps_fault_set_span (&faults, &start, &end);
      if (!ps_run_writer_track_stability (writer, start, end, scenario->bin, error))
        return FALSE;
    }
  ps_run_writer_get_sink (writer, &sink);
  sim = ps_sim_new (scenario, &sink);
  if (!ps_sim_run (sim, error) || !ps_run_writer_finish (writer, error))
    return FALSE;
  if (out_summary != NULL)
    {
      *out_summary = *ps_sim_get_summary (sim);
      out_summary->latency_all = NULL;
      memset (out_summary->latency_by_priority, 0, sizeof out_summary->latency_by_priority);
      out_summary->groups = NULL;        /* the sim's: gone with it */
      out_summary->charts = NULL;
      out_summary->chart_names = NULL;
      out_summary->stability = NULL;
    }
  if (out_stability != NULL && ps_sim_get_summary (sim)->stability != NULL)
    *out_stability = *ps_sim_get_summary (sim)->stability;
  for (guint g = 0; out_groups != NULL && g < scenario->n_groups; g++)
    {
      out_groups[g] = ps_sim_get_summary (sim)->groups[g];
      out_groups[g].latency = NULL;
    }
  return TRUE;
}

char *
ps_test_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("poolsim-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* Removes a run directory: files, then the directory (no subdirectories). */
void
ps_test_rmdir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        ps_test_rmdir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

char *
ps_test_read (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* summary.json with the two machine-dependent values (engine.wall_s and
 * engine.events_per_s) set to 0, so that it can be byte-compared. */
char *
ps_test_strip_wall_clock (const char *summary_json)
{
  g_auto(GStrv) lines = g_strsplit (summary_json, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];

      if (strstr (l, "\"wall_s\":") != NULL || strstr (l, "\"events_per_s\":") != NULL)
        g_string_append_printf (out, "%.*s 0.0%s", (int) (strchr (l, ':') - l + 1), l,
                                g_str_has_suffix (l, ",") ? "," : "");
      else
        g_string_append (out, l);
      if (lines[i + 1] != NULL)
        g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

void
ps_test_result_clear (PsTestResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

/* Runs `$POOLSIM ARGS...` and waits for it; it must exit, not crash. */
void
ps_test_poolsim_argv (PsTestResult *r, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *bin = g_getenv ("POOLSIM");
  int wait_status;

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, (gpointer) bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  ps_test_result_clear (r);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &r->out, &r->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);
}

/* Runs `$POOLSIM ARGS...` (NULL-terminated). */
void
ps_test_poolsim (PsTestResult *r, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, r);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  ps_test_poolsim_argv (r, (const char *const *) args->pdata);
}

/* A shipped scenario, scenarios/NAME. */
char *
ps_test_scenario_path (const char *name)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");

  return g_build_filename (srcdir ? srcdir : ".", "..", "scenarios", name, NULL);
}

/* Erlang B: B(c, a) = (a^c / c!) / sum_{k=0..c} a^k / k!, by the stable
 * recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)). */
double
ps_test_erlang_b (guint c, double a)
{
  double b = 1;

  for (guint k = 1; k <= c; k++)
    b = a * b / (k + a * b);
  return b;
}
