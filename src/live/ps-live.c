/* ps-live.c: the live error domain, the clock, the --time-scale option */
#include "ps-live.h"

#include <stdlib.h>

G_DEFINE_QUARK (ps-live-error-quark, ps_live_error)

/* Starts the clock now: scenario t = 0 is this instant. */
void
ps_live_clock_init (PsLiveClock *clock, double scale)
{
  g_return_if_fail (scale >= PS_LIVE_MIN_TIME_SCALE && scale <= PS_LIVE_MAX_TIME_SCALE);

  clock->start = g_get_monotonic_time ();
  clock->scale = scale;
}

/* "20", "0.5": how many scenario seconds pass in one real second. */
gboolean
ps_live_parse_time_scale (const char *text, double *out_scale, GError **error)
{
  char *end = NULL;
  double k = g_ascii_strtod (text, &end);

  if (end == text || *end != '\0' || !isfinite (k)
      || k < PS_LIVE_MIN_TIME_SCALE || k > PS_LIVE_MAX_TIME_SCALE)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--time-scale: \"%s\" is not a time scale (expected a number "
                   "from %g to %g, e.g. 20 to run 20 times faster than real time)",
                   text, PS_LIVE_MIN_TIME_SCALE, PS_LIVE_MAX_TIME_SCALE);
      return FALSE;
    }
  *out_scale = k;
  return TRUE;
}
