/* ps-rng.c: xoshiro256** by Blackman and Vigna, seeded by splitmix64
 *
 * The generator is the public-domain reference algorithm; the seeding makes
 * nearby (seed, stream) pairs give unrelated states, and never all-zero.
 */
#include "ps-rng.h"

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

guint64
ps_rng_splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/**
 * ps_rng_init:
 * @seed: the scenario's seed
 * @stream: which stream; see ps_rng_stream_id()
 *
 * Seeds @rng so that every (seed, stream) pair gives its own sequence.
 */
void
ps_rng_init (PsRng *rng, guint64 seed, guint64 stream)
{
  guint64 mix = seed;
  guint64 salt = ps_rng_splitmix64 (&mix) ^ stream;

  for (int i = 0; i < 4; i++)
    rng->s[i] = ps_rng_splitmix64 (&salt);
  if ((rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]) == 0)
    rng->s[0] = 1;                      /* the one forbidden state */
}

guint64
ps_rng_next (PsRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* Uniform in [0, 1), 53 random bits. */
double
ps_rng_double (PsRng *rng)
{
  return (double) (ps_rng_next (rng) >> 11) * 0x1.0p-53;
}

/* Uniform in (0, 1): safe to take the logarithm of. */
double
ps_rng_double_open (PsRng *rng)
{
  return ((double) (ps_rng_next (rng) >> 11) + 0.5) * 0x1.0p-53;
}

/* Uniform integer in [0, @bound), without modulo bias (Lemire's method). */
guint64
ps_rng_below (PsRng *rng, guint64 bound)
{
  g_return_val_if_fail (bound > 0, 0);

  for (;;)
    {
      unsigned __int128 m = (unsigned __int128) ps_rng_next (rng) * bound;
      guint64 low = (guint64) m;

      if (low >= bound || low >= (0 - bound) % bound)
        return (guint64) (m >> 64);
    }
}

/**
 * ps_rng_stream_id:
 * @name: a stable name, such as a client group's
 * @index: the member's index within @name
 *
 * Derives a stream id from names rather than from positions, so adding a
 * client group does not move any other client onto another stream.
 */
guint64
ps_rng_stream_id (const char *name, guint64 index)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);   /* FNV-1a */

  for (const char *p = name; *p != '\0'; p++)
    h = (h ^ (guchar) *p) * G_GUINT64_CONSTANT (0x100000001b3);
  h ^= index * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  return ps_rng_splitmix64 (&h);
}
