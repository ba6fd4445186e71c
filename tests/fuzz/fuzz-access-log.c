/* fuzz-access-log.c: an NCSA access log replayed by an `access_log` arrival
 *
 * The input is the log file, read twice through the whole loader: as
 * "combined" with malformed lines skipped (and reported as warnings), and
 * as "common" with "strict": true (the first malformed line is an error).
 */
#include "fuzz-common.h"

#include "ps-scenario.h"

static void
load (const char *path, const char *format, const char *strict)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) scenario = NULL;
  g_autofree char *document = g_strdup_printf (
    "{\"duration\":\"10m\",\"server\":{\"workers\":2},"
    "\"clients\":[{\"group\":\"log\",\"arrival\":{\"process\":\"access_log\","
    "\"file\":\"%s\",\"format\":\"%s\",\"strict\":%s,\"speed\":2}}]}",
    path, format, strict);

  scenario = ps_scenario_load_data (document, -1, "log.json", NULL, &error);
  g_assert (scenario != NULL || error != NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *path;

  ps_fuzz_init ();
  path = ps_fuzz_write_temp ("access.log", data, size);
  load (path, "combined", "false");
  load (path, "common", "true");
  return 0;
}
