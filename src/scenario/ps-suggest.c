/* ps-suggest.c: edit distance and the nearest candidate
 *
 * O(|a|·|b|) time and memory per pair; words are key names, so both are
 * short.  The threshold grows with the word: one edit for short words, at
 * most three for long ones, so unrelated keys are not suggested.
 */
#include "ps-suggest.h"

#include <string.h>

/* Optimal string alignment distance: insertions, deletions, substitutions
 * and transpositions of adjacent characters, each costing one. */
guint
ps_suggest_distance (const char *a, const char *b)
{
  gsize n = strlen (a), m = strlen (b), w = m + 1;
  g_autofree guint *d = g_new (guint, (n + 1) * w);
  guint result;

  for (gsize i = 0; i <= n; i++)
    d[i * w] = (guint) i;
  for (gsize j = 0; j <= m; j++)
    d[j] = (guint) j;
  for (gsize i = 1; i <= n; i++)
    for (gsize j = 1; j <= m; j++)
      {
        guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
        guint best = MIN (d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1);

        best = MIN (best, d[(i - 1) * w + j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          best = MIN (best, d[(i - 2) * w + j - 2] + 1);
        d[i * w + j] = best;
      }
  result = d[n * w + m];
  return result;
}

/**
 * ps_suggest_nearest:
 * @candidates: NULL-terminated
 *
 * Returns: (transfer none) (nullable): the first candidate at the smallest
 * distance from @word, or NULL when none is close enough to be meant.
 */
const char *
ps_suggest_nearest (const char *word, const char *const *candidates)
{
  guint limit = (guint) CLAMP (strlen (word) / 3, 1, 3);
  const char *best = NULL;
  guint best_distance = G_MAXUINT;

  g_return_val_if_fail (word != NULL, NULL);

  for (guint i = 0; candidates != NULL && candidates[i] != NULL; i++)
    {
      guint distance = ps_suggest_distance (word, candidates[i]);

      if (distance <= limit && distance < best_distance)
        {
          best = candidates[i];
          best_distance = distance;
        }
    }
  return best;
}
