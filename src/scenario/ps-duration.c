/* ps-duration.c: duration strings and seconds to exact microseconds
 *
 * The fraction is kept as an integer of nine decimal places: the largest
 * unit (1 h = 3.6e9 µs) has 10^8 as a factor but not 10^9, so a fraction
 * with a non-zero tenth decimal can never be a whole number of µs, and
 * nine digits times the unit still fits in 64 bits (< 3.6e18).
 */
#include "ps-duration.h"

#include <float.h>
#include <math.h>
#include <string.h>

#define FRACTION_DIGITS 9
#define FRACTION_SCALE  G_GUINT64_CONSTANT (1000000000)

typedef struct
{
  const char *suffix;
  guint64     usec;
} Unit;

static const Unit units[] = {
  { "us", 1 },
  { "ms", 1000 },
  { "s", G_GUINT64_CONSTANT (1000000) },
  { "m", G_GUINT64_CONSTANT (60000000) },
  { "h", G_GUINT64_CONSTANT (3600000000) },
};

static gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

static const Unit *
lookup_unit (const char *suffix)
{
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (suffix, units[i].suffix) == 0)
      return &units[i];
  return NULL;
}

/* Digits before the point; saturates at G_MAXUINT64 instead of wrapping. */
static const char *
scan_whole (const char *p, guint64 *out)
{
  guint64 v = 0;

  for (; is_digit (*p); p++)
    {
      guint d = (guint) (*p - '0');

      v = v > (G_MAXUINT64 - d) / 10 ? G_MAXUINT64 : v * 10 + d;
    }
  *out = v;
  return p;
}

/* Digits after the point as nine decimal places; @out_finer is set when a
 * later digit is not zero. */
static const char *
scan_fraction (const char *p, guint64 *out, gboolean *out_finer)
{
  guint64 v = 0;
  guint n = 0;

  *out_finer = FALSE;
  for (; is_digit (*p); p++, n++)
    {
      if (n < FRACTION_DIGITS)
        v = v * 10 + (guint64) (*p - '0');
      else if (*p != '0')
        *out_finer = TRUE;
    }
  for (; n < FRACTION_DIGITS; n++)
    v *= 10;
  *out = v;
  return p;
}

/**
 * ps_duration_parse:
 * @text: "<digits>[.<digits>]<unit>", unit one of us, ms, s, m, h
 * @out: (out): the duration in µs, set only on PS_DURATION_OK
 *
 * Checks, in this order: the syntax, the sign, the upper bound, then that
 * the value is a whole number of microseconds.
 */
PsDurationStatus
ps_duration_parse (const char *text, PsTime *out)
{
  const char *p = text;
  gboolean negative = FALSE, finer = FALSE;
  guint64 whole, fraction = 0, total;
  const Unit *unit;

  g_return_val_if_fail (text != NULL, PS_DURATION_MALFORMED);

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (!is_digit (*p))
    return PS_DURATION_MALFORMED;
  p = scan_whole (p, &whole);
  if (*p == '.')
    {
      if (!is_digit (p[1]))
        return PS_DURATION_MALFORMED;
      p = scan_fraction (p + 1, &fraction, &finer);
    }
  if ((unit = lookup_unit (p)) == NULL)
    return PS_DURATION_MALFORMED;
  if (negative)
    return PS_DURATION_NEGATIVE;
  if (whole > (guint64) PS_DURATION_MAX / unit->usec)
    return PS_DURATION_TOO_LONG;
  total = whole * unit->usec + fraction * unit->usec / FRACTION_SCALE;
  if (total > (guint64) PS_DURATION_MAX)
    return PS_DURATION_TOO_LONG;
  if (finer || fraction * unit->usec % FRACTION_SCALE != 0)
    return PS_DURATION_TOO_FINE;
  *out = (PsTime) total;
  return PS_DURATION_OK;
}

/**
 * ps_duration_from_seconds:
 * @seconds: finite
 *
 * A JSON number of seconds.  json-glib has already rounded the text to the
 * nearest double; for any decimal with at most six places below 10 years
 * that double times 10^6 is within 0.1 of the intended integer, so
 * rounding recovers it exactly.  Anything further from an integer than the
 * double's own error was written finer than a microsecond.
 */
PsDurationStatus
ps_duration_from_seconds (double seconds, PsTime *out)
{
  double usec, rounded;

  g_return_val_if_fail (isfinite (seconds), PS_DURATION_TOO_LONG);

  if (seconds < 0)
    return PS_DURATION_NEGATIVE;
  if (seconds > (double) (PS_DURATION_MAX / PS_USEC_PER_SEC))
    return PS_DURATION_TOO_LONG;
  usec = seconds * 1e6;
  rounded = nearbyint (usec);
  if (fabs (usec - rounded) > 1e-3 + usec * 4 * DBL_EPSILON)
    return PS_DURATION_TOO_FINE;
  *out = (PsTime) rounded;
  return PS_DURATION_OK;
}

PsDurationStatus
ps_duration_from_int_seconds (gint64 seconds, PsTime *out)
{
  if (seconds < 0)
    return PS_DURATION_NEGATIVE;
  if (seconds > PS_DURATION_MAX / PS_USEC_PER_SEC)
    return PS_DURATION_TOO_LONG;
  *out = PS_TIME_FROM_SEC (seconds);
  return PS_DURATION_OK;
}

/* Writes @duration in the largest unit that holds it exactly ("90s",
 * "250ms", "1h"), for messages. */
const char *
ps_duration_format (PsTime duration, char buf[PS_DURATION_STR_LEN])
{
  for (guint i = G_N_ELEMENTS (units); i-- > 0;)
    if (duration % (PsTime) units[i].usec == 0 || i == 0)
      {
        g_snprintf (buf, PS_DURATION_STR_LEN, "%" G_GINT64_FORMAT "%s",
                    duration / (PsTime) units[i].usec, units[i].suffix);
        break;
      }
  return buf;
}
