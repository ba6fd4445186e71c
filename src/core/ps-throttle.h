/* ps-throttle.h: Google SRE client-side adaptive throttling
 *
 * ("Handling Overload", Site Reliability Engineering, ch. 21.)  Over the
 * last window the client counts its requests (every attempt it wanted
 * to make, those it rejected itself included) and the accepts (attempts
 * the server answered 200).  A new attempt is rejected locally with
 * probability max(0, (requests - k * accepts) / (requests + 1)): once
 * the server accepts less than 1/k of what is asked, the client sheds
 * the excess itself instead of sending it.  Locally rejected attempts
 * never reach the server.
 */
#pragma once

#include <glib.h>

#include "ps-client-policy.h"
#include "ps-rng.h"
#include "ps-window-counter.h"

G_BEGIN_DECLS

typedef struct
{
  const PsThrottleSpec *spec;
  PsWindowCounter       window;           /* [0] requests, [1] accepts */
} PsThrottle;

void      ps_throttle_init              (PsThrottle           *throttle,
                                         const PsThrottleSpec *spec);
double    ps_throttle_reject_probability (PsThrottle          *throttle,
                                         PsTime                now);
gboolean  ps_throttle_admit             (PsThrottle           *throttle,
                                         PsRng                *rng,
                                         PsTime                now);
void      ps_throttle_on_accept         (PsThrottle           *throttle,
                                         PsTime                now);

G_END_DECLS
