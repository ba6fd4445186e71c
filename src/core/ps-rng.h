/* ps-rng.h: small, seedable random streams (xoshiro256**)
 *
 * One stream per client (two, in fact: traffic and behaviour) and one for
 * the server, each seeded through splitmix64 from (scenario seed, stream
 * id).  32 bytes of state, so a million clients cost 64 MB at most, and a
 * client's numbers do not depend on any other client's.  Not thread-safe:
 * a stream belongs to one owner.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 s[4];
} PsRng;

void     ps_rng_init           (PsRng      *rng,
                                guint64     seed,
                                guint64     stream);
guint64  ps_rng_next           (PsRng      *rng);
double   ps_rng_double         (PsRng      *rng);
double   ps_rng_double_open    (PsRng      *rng);
guint64  ps_rng_below          (PsRng      *rng,
                                guint64     bound);

guint64  ps_rng_splitmix64     (guint64    *state);
guint64  ps_rng_stream_id      (const char *name,
                                guint64     index);

G_END_DECLS
