/* fuzz-set.c: `--set KEY=VALUE` options over a fixed, valid scenario
 *
 * Each line of the input is one --set (at most 8; a NUL ends a line's
 * text, as it would end an argv string).  The base scenario has two
 * groups, a quota list and an override, so paths into arrays and objects
 * all have something to land on.
 */
#include "fuzz-common.h"

#include <string.h>

#include "ps-scenario.h"

#define MAX_SETS 8

static const char base[] =
  "{\"name\":\"fuzz\",\"seed\":1,\"duration\":\"10s\","
  "\"server\":{\"workers\":4,\"queue\":2,"
  "\"service_time\":{\"dist\":\"exponential\",\"mean\":\"100ms\"},"
  "\"quota\":[{\"algorithm\":\"fixed_window\",\"limit\":10,\"window\":\"1s\"},"
  "{\"algorithm\":\"token_bucket\",\"limit\":100,\"window\":\"1m\"}],"
  "\"overrides\":[{\"group\":\"b\",\"quota\":{\"limit\":50}}]},"
  "\"clients\":[{\"group\":\"a\",\"count\":3,\"arrival\":{\"process\":\"poisson\",\"rate\":2},"
  "\"priorities\":[0.5,0.5]},"
  "{\"group\":\"b\",\"count\":1,\"arrival\":{\"process\":\"constant\",\"interval\":\"1s\"}}],"
  "\"output\":{\"bin\":\"1s\"}}";

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) scenario = NULL;
  g_autoptr(GPtrArray) sets = g_ptr_array_new_with_free_func (g_free);
  const uint8_t *p = data, *end = data + size;

  ps_fuzz_init ();
  while (p < end && sets->len < MAX_SETS)
    {
      const uint8_t *nl = memchr (p, '\n', (size_t) (end - p));
      const uint8_t *stop = nl != NULL ? nl : end;

      g_ptr_array_add (sets, ps_fuzz_strndup (p, (size_t) (stop - p)));
      p = nl != NULL ? nl + 1 : end;
    }
  g_ptr_array_add (sets, NULL);
  scenario = ps_scenario_load_data (base, -1, "base.json", (const char *const *) sets->pdata,
                                    &error);
  g_assert (scenario != NULL || error != NULL);
  return 0;
}
