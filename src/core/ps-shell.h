/* ps-shell.h: command lines written so that a shell reads them back
 *
 * summary.json records the command that made a run; a sweep's kept runs
 * record the `poolsim run` that repeats them.  Plain words stay plain;
 * anything else is quoted by g_shell_quote().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void  ps_shell_append_word  (GString    *line,
                             const char *word);

G_END_DECLS
