/* ps-client-policy.c: names of the client strategies, as scenarios spell them */
#include "ps-client-policy.h"

#include <string.h>

/* NULL-terminated, so they double as the lists of valid names. */
static const char *const on_429_names[] = {
  [PS_ON_429_WAIT_RESET] = "wait_reset",
  [PS_ON_429_BACKOFF] = "backoff",
  [PS_ON_429_DROP] = "drop",
  [PS_ON_429_SELF_THROTTLE] = "self_throttle",
  NULL,
};

static const char *const on_503_names[] = {
  [PS_ON_503_BACKOFF] = "backoff",
  [PS_ON_503_DROP] = "drop",
  NULL,
};

static const char *const on_timeout_names[] = {
  [PS_ON_TIMEOUT_RETRY] = "retry",
  [PS_ON_TIMEOUT_BACKOFF] = "backoff",
  [PS_ON_TIMEOUT_DROP] = "drop",
  NULL,
};

static const char *const jitter_names[] = {
  [PS_JITTER_FULL] = "full",
  [PS_JITTER_EQUAL] = "equal",
  [PS_JITTER_DECORRELATED] = "decorrelated",
  NULL,
};

static gboolean
lookup (const char *const *names, guint n, const char *name, guint *out)
{
  for (guint i = 0; i < n; i++)
    if (names[i] != NULL && strcmp (names[i], name) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
ps_on_429_to_string (PsOn429 on_429)
{
  g_return_val_if_fail ((guint) on_429 < G_N_ELEMENTS (on_429_names) - 1, NULL);
  return on_429_names[on_429];
}

gboolean
ps_on_429_from_string (const char *name, PsOn429 *out)
{
  guint i;

  if (!lookup (on_429_names, G_N_ELEMENTS (on_429_names) - 1, name, &i))
    return FALSE;
  *out = (PsOn429) i;
  return TRUE;
}

const char *
ps_on_503_to_string (PsOn503 on_503)
{
  g_return_val_if_fail ((guint) on_503 < G_N_ELEMENTS (on_503_names) - 1, NULL);
  return on_503_names[on_503];
}

gboolean
ps_on_503_from_string (const char *name, PsOn503 *out)
{
  guint i;

  if (!lookup (on_503_names, G_N_ELEMENTS (on_503_names) - 1, name, &i))
    return FALSE;
  *out = (PsOn503) i;
  return TRUE;
}

const char *const *
ps_on_429_names (void)
{
  return on_429_names;
}

const char *const *
ps_on_503_names (void)
{
  return on_503_names;
}

gboolean
ps_on_timeout_from_string (const char *name, PsOnTimeout *out)
{
  guint i;

  if (!lookup (on_timeout_names, G_N_ELEMENTS (on_timeout_names) - 1, name, &i))
    return FALSE;
  *out = (PsOnTimeout) i;
  return TRUE;
}

const char *const *
ps_on_timeout_names (void)
{
  return on_timeout_names;
}

const char *
ps_on_timeout_to_string (PsOnTimeout on_timeout)
{
  g_return_val_if_fail ((guint) on_timeout < G_N_ELEMENTS (on_timeout_names) - 1, NULL);
  return on_timeout_names[on_timeout];
}

gboolean
ps_jitter_from_string (const char *name, PsJitter *out)
{
  guint i;

  if (!lookup (jitter_names, G_N_ELEMENTS (jitter_names) - 1, name, &i))
    return FALSE;
  *out = (PsJitter) i;
  return TRUE;
}

const char *const *
ps_jitter_names (void)
{
  return jitter_names;
}

const char *
ps_jitter_to_string (PsJitter jitter)
{
  g_return_val_if_fail ((guint) jitter < G_N_ELEMENTS (jitter_names) - 1, NULL);
  return jitter_names[jitter];
}
