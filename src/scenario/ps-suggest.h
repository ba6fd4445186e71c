/* ps-suggest.h: the known word nearest to a misspelt one
 *
 * For "unknown key" messages: "concurency" suggests "concurrency".
 * Optimal-string-alignment distance, so a swapped pair counts as one edit.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint        ps_suggest_distance (const char        *a,
                                  const char        *b);
const char  *ps_suggest_nearest  (const char        *word,
                                  const char *const *candidates);

G_END_DECLS
