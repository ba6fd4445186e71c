/* fuzz-scenario.c: a scenario document from bytes, as `poolsim check` reads it
 *
 * Loads the input as a scenario file's contents; a valid one is also
 * written back as JSON (what a run directory's scenario.json holds).
 */
#include "fuzz-common.h"

#include "ps-scenario.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) scenario = NULL;
  g_autofree char *json = NULL;

  ps_fuzz_init ();
  scenario = ps_scenario_load_data ((const char *) data, (gssize) size, "fuzz.json", NULL,
                                    &error);
  if (scenario == NULL)
    {
      g_assert (error != NULL);       /* refused, and says why */
      return 0;
    }
  json = ps_scenario_to_json (scenario);
  return 0;
}
