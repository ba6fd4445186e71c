/* test-golden.c: pinned behaviour
 *
 * Each directory under tests/golden/ holds a scenario.json and the run
 * directory it must produce, byte for byte: requests.csv, timeseries.csv,
 * clients.csv, attempts.csv when asked for, and summary.json with its two
 * wall-clock values zeroed.  Every scenario runs twice in this process, so
 * hidden state between runs shows up too.  When the behaviour changes on
 * purpose, regenerate with POOLSIM_UPDATE_GOLDEN=1 and say why in the commit.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "ps-test-util.h"

static const char *const compared[] = {
  "requests.csv", "timeseries.csv", "clients.csv", "attempts.csv", "summary.json",
};

static char *
read_output (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  if (strcmp (name, "summary.json") == 0)
    return ps_test_strip_wall_clock (text);
  return g_steal_pointer (&text);
}

static void
test_golden (gconstpointer data)
{
  const char *golden = data;
  g_autofree char *scenario = g_build_filename (golden, "scenario.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) sc = ps_scenario_load_file (scenario, NULL, &error);
  g_autofree char *d1 = ps_test_tmpdir ();
  g_autofree char *d2 = ps_test_tmpdir ();
  gboolean update = g_strcmp0 (g_getenv ("POOLSIM_UPDATE_GOLDEN"), "1") == 0;

  g_assert_no_error (error);
  g_assert_true (ps_test_run_to_dir (sc, d1, NULL, &error));
  g_assert_true (ps_test_run_to_dir (sc, d2, NULL, &error));
  for (guint i = 0; i < G_N_ELEMENTS (compared); i++)
    {
      g_autofree char *first = read_output (d1, compared[i]);
      g_autofree char *second = read_output (d2, compared[i]);
      g_autofree char *path = g_build_filename (golden, compared[i], NULL);
      g_autofree char *expected = NULL;

      g_assert_cmpstr (first, ==, second);
      if (first == NULL)
        continue;                         /* not written for this scenario */
      if (update)
        {
          g_file_set_contents (path, first, -1, &error);
          g_assert_no_error (error);
          continue;
        }
      g_file_get_contents (path, &expected, NULL, &error);
      g_assert_no_error (error);
      if (strcmp (first, expected) != 0)
        g_error ("%s differs from the golden file; if the change is intended, rerun "
                 "with POOLSIM_UPDATE_GOLDEN=1 and explain it in the commit", path);
    }
  ps_test_rmdir (d1);
  ps_test_rmdir (d2);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

int
main (int argc, char **argv)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *root = g_build_filename (srcdir ? srcdir : ".", "golden", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_open (root, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (root, names->pdata[i], NULL);
      g_autofree char *test = g_strdup_printf ("/golden/%s", (char *) names->pdata[i]);

      if (!g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;
      g_ptr_array_add (paths, g_steal_pointer (&path));
      g_test_add_data_func (test, paths->pdata[paths->len - 1], test_golden);
    }
  return g_test_run ();
}
