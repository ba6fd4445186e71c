/* fuzz-body.c: a POST /v1/requests body, parsed as the server parses it
 *
 * Calls the one body reader directly, no server.  Bodies over the
 * server's limit never reach it (they get a 413 from their headers), so
 * they are skipped here too.
 */
#include "fuzz-common.h"

#include "ps-live-api.h"
#include "ps-live.h"
#include "ps-record.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *message = NULL;
  guint priority;
  PsTime work;

  ps_fuzz_init ();
  if (size > PS_LIVE_MAX_BODY)
    return 0;
  if (!ps_live_parse_request_body ((const char *) data, size, &priority, &work, &message))
    g_assert (message != NULL);         /* refused, and says where */
  else
    g_assert (message == NULL && priority < PS_MAX_PRIORITIES && work >= -1);
  return 0;
}
