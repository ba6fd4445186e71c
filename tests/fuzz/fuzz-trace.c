/* fuzz-trace.c: a trace CSV (time_s,client,priority[,work_s]) replayed by
 * a `trace` arrival
 *
 * The input is the CSV file; it goes through the whole loader (the file is
 * read from the private temporary directory, as a scenario's "file" key
 * names it), so row checks and the warnings after them run too.
 */
#include "fuzz-common.h"

#include "ps-scenario.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsScenario) scenario = NULL;
  g_autofree char *document = NULL;
  const char *path;

  ps_fuzz_init ();
  path = ps_fuzz_write_temp ("trace.csv", data, size);
  document = g_strdup_printf (
    "{\"duration\":\"60s\",\"server\":{\"workers\":2},"
    "\"clients\":[{\"group\":\"t\",\"ip\":\"127.20.0.0/16\","
    "\"arrival\":{\"process\":\"trace\",\"file\":\"%s\"},\"priorities\":[0.5,0.5]}]}",
    path);
  scenario = ps_scenario_load_data (document, -1, "trace.json", NULL, &error);
  g_assert (scenario != NULL || error != NULL);
  return 0;
}
