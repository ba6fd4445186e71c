/* ps-cmd.h: the subcommands; main.c only dispatches
 *
 * Each command parses its own options (one GOptionContext each) and
 * returns FALSE with @error set on failure.  main.c turns the error's
 * domain into the exit status: 2 for usage and scenario errors, else 1.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  ps_cmd_run    (int     argc,
                         char  **argv,
                         GError **error);
gboolean  ps_cmd_check  (int     argc,
                         char  **argv,
                         GError **error);

/* Shared by commands that take a scenario file. */
char     *ps_cmd_default_output_dir (const char *scenario_name);
gboolean  ps_cmd_parse_seed         (const char *text,
                                     guint64    *out_seed,
                                     GError    **error);
gboolean  ps_cmd_print_version      (void);
gboolean  ps_cmd_draw_charts        (const char *dir,
                                     gboolean    quiet,
                                     GError    **error);
gboolean  ps_cmd_one_argument       (int         argc,
                                     char      **argv,
                                     const char *what,
                                     GError    **error);

G_END_DECLS
