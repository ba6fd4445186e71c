/* ps-cmd-plot.h: `poolsim plot DIR`, (re)drawing the charts of a run
 *
 * Parses its own options and prints its own warnings; main.c dispatches
 * here with argv[0] = the command's name.  Not thread-safe (it prints).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean ps_cmd_plot_command (int      argc,
                              char   **argv,
                              GError **error);
int      ps_cmd_plot         (int      argc,
                              char   **argv);

G_END_DECLS
