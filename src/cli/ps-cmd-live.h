/* ps-cmd-live.h: the live-mode subcommands: serve, load, live
 *
 * Each parses its own options (one GOptionContext each) and returns FALSE
 * with @error set on failure; main.c maps the error domain to the exit
 * status.  The ps_cmd_live_* helpers are what the three share.
 */
#pragma once

#include <glib.h>

#include "ps-live-admission.h"
#include "ps-live-load.h"
#include "ps-scenario.h"

G_BEGIN_DECLS

gboolean  ps_cmd_serve  (int     argc,
                         char  **argv,
                         GError **error);
gboolean  ps_cmd_load   (int     argc,
                         char  **argv,
                         GError **error);
gboolean  ps_cmd_live   (int     argc,
                         char  **argv,
                         GError **error);

/* Options that serve, load and live share. */
typedef struct
{
  char     *output;
  char     *seed;
  GStrv     sets;
  char     *time_scale_text;
  double    time_scale;
  int       threads;
  double    grace_s;
  gboolean  no_plots;
  gboolean  quiet;
} PsLiveCmdOptions;

void         ps_cmd_live_options_clear  (PsLiveCmdOptions  *options);
PsScenario  *ps_cmd_live_load_scenario  (PsLiveCmdOptions  *options,
                                         int                argc,
                                         char             **argv,
                                         GError           **error);
gboolean     ps_cmd_live_check_options  (PsLiveCmdOptions  *options,
                                         GError           **error);
gboolean     ps_cmd_live_run_load       (const PsScenario  *scenario,
                                         PsLiveCmdOptions  *options,
                                         const char        *target,
                                         const PsLiveClock *clock,
                                         PsLiveAdmission   *admission,
                                         GError           **error);

#define PS_CMD_LIVE_TIME_SCALE_HELP \
  "Run K scenario seconds per real second (default 1). Windows, Retry-After " \
  "and service times stay in scenario seconds; with K = 1 they are real seconds"

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PsLiveCmdOptions, ps_cmd_live_options_clear)

G_END_DECLS
