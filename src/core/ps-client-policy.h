/* ps-client-policy.h: how a group of clients behaves, as configured
 *
 * Plain values shared by every client of a group; the scenario fills them,
 * ps-client.c acts on them.
 */
#pragma once

#include <glib.h>

#include "ps-time.h"

G_BEGIN_DECLS

typedef enum
{
  PS_ON_429_WAIT_RESET,   /* requeue, pause until Retry-After has passed */
  PS_ON_429_BACKOFF,      /* requeue, exponential backoff with full jitter */
  PS_ON_429_DROP,         /* give the request up: outcome "rejected" */
  PS_ON_429_SELF_THROTTLE,/* hold requests while the RateLimit header says
                           * none remain; on a 429 anyway, as wait_reset */
} PsOn429;

typedef enum
{
  PS_ON_503_BACKOFF,
  PS_ON_503_DROP,
} PsOn503;

typedef struct
{
  guint    concurrency;   /* outstanding requests at most; 0 = no limit */
  PsOn429  on_429;
  PsOn503  on_503;
  guint    queue_limit;   /* requests waiting at the client; 0 = no limit */
  PsTime   timeout;       /* longest wait in the client queue; 0 = none */
  PsTime   backoff_base;  /* first backoff ceiling, > 0 */
  PsTime   backoff_cap;   /* largest backoff ceiling, >= base */
} PsClientPolicy;

const char  *ps_on_429_to_string   (PsOn429     on_429);
gboolean     ps_on_429_from_string (const char *name,
                                    PsOn429    *out);
const char *const *ps_on_429_names (void);
const char  *ps_on_503_to_string   (PsOn503     on_503);
gboolean     ps_on_503_from_string (const char *name,
                                    PsOn503    *out);
const char *const *ps_on_503_names (void);

G_END_DECLS
