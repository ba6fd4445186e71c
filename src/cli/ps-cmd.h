/* ps-cmd.h: the subcommands, and what they share; main.c only dispatches
 *
 * Every subcommand parses its own options with GOptionContext, builds its
 * option table from the shared entries below, and reports failures as a
 * GError: G_OPTION_ERROR and PS_SCENARIO_ERROR mean exit status 2, any
 * other domain 1 (main.c).
 */
#pragma once

#include <glib.h>

#include "ps-record.h"
#include "ps-scenario.h"
#include "ps-sweep-plan.h"

G_BEGIN_DECLS

gboolean  ps_cmd_run           (int     argc,
                                char  **argv,
                                GError **error);
gboolean  ps_cmd_check         (int     argc,
                                char  **argv,
                                GError **error);
gboolean  ps_cmd_plot_command  (int     argc,
                                char  **argv,
                                GError **error);
int       ps_cmd_plot          (int     argc,
                                char  **argv);
gboolean  ps_cmd_sweep         (int     argc,
                                char  **argv,
                                GError **error);
gboolean  ps_cmd_merge         (int     argc,
                                char  **argv,
                                GError **error);
gboolean  ps_cmd_agree         (int     argc,
                                char  **argv,
                                GError **error);
gboolean  ps_cmd_find          (int     argc,
                                char  **argv,
                                GError **error);
gboolean  ps_cmd_serve         (int     argc,
                                char  **argv,
                                GError **error);
gboolean  ps_cmd_load          (int     argc,
                                char  **argv,
                                GError **error);
gboolean  ps_cmd_live          (int     argc,
                                char  **argv,
                                GError **error);

/* The options of the commands that run a scenario (run, live, load,
 * serve); each takes the subset its flags ask for. */
typedef struct
{
  char     *output;
  char     *seed;
  GStrv     sets;
  gboolean  no_plots;
  gboolean  quiet;
  gboolean  version;
  char     *time_scale_text;            /* live modes */
  double    time_scale;                 /* ... checked, from the text */
  int       threads;
  double    grace_s;
  gboolean  strict;                     /* live modes: lag is a failure */
  char     *map_addresses;              /* live modes: CIDR for non-loopback clients */
} PsCmdOptions;

typedef enum
{
  PS_CMD_OUTPUT     = 1 << 0,           /* -o DIR, --no-plots */
  PS_CMD_SCENARIO   = 1 << 1,           /* --seed, --set, --quiet */
  PS_CMD_VERSION    = 1 << 2,
  PS_CMD_LIVE       = 1 << 3,           /* --time-scale, --threads, --grace, --strict,
                                         * --map-addresses */
  PS_CMD_AS_SERVER  = 1 << 4,           /* the server's wording; no --threads */
  PS_CMD_AS_LOAD    = 1 << 5,           /* load's wording of --time-scale */
} PsCmdOptionFlags;

#define PS_CMD_OPTIONS_INIT { .grace_s = 2, .time_scale = 1 }

void        ps_cmd_options_clear       (PsCmdOptions      *options);
void        ps_cmd_add_options         (GOptionContext    *ctx,
                                        PsCmdOptions      *options,
                                        PsCmdOptionFlags   flags);
PsScenario *ps_cmd_load_scenario       (PsCmdOptions      *options,
                                        int                argc,
                                        char             **argv,
                                        GError           **error);
void        ps_cmd_print_heading       (const PsScenario  *scenario,
                                        const PsCmdOptions *options);
void        ps_cmd_print_stability     (const PsRunSummary *summary);
void        ps_cmd_print_totals        (const PsScenario  *scenario,
                                        const PsRunSummary *summary);
char       *ps_cmd_output_dir          (const PsCmdOptions *options,
                                        const PsScenario  *scenario);

void        ps_cmd_set_command_line    (int                argc,
                                        char             **argv);
const char *ps_cmd_command_line        (void);
struct _PsRunWriter *
            ps_cmd_open_run_writer     (const PsScenario  *scenario,
                                        const char        *dir,
                                        guint              extra_files,
                                        GError           **error);

void        ps_cmd_print_explain       (const PsScenario  *scenario);
gboolean    ps_cmd_check_memory        (const PsScenario  *scenario,
                                        GError           **error);
gboolean    ps_cmd_live_scenario       (const PsScenario  *scenario,
                                        const PsCmdOptions *options,
                                        GError           **error);

/* Sweeps and searches (ps-cmd-sweep.c). */
void        ps_cmd_print_points        (const PsSweepPlan *plan,
                                        GPtrArray         *runs);
void        ps_cmd_progress_end        (gpointer           progress);

/* A run directory written aside and moved into place (ps-cmd-rundir.c). */
typedef struct
{
  char *final;
  char *tmp;                  /* NULL once committed */
} PsCmdRunDir;

gboolean    ps_cmd_run_dir_begin       (PsCmdRunDir       *dir,
                                        const char        *final,
                                        GError           **error);
gboolean    ps_cmd_run_dir_commit      (PsCmdRunDir       *dir,
                                        GError           **error);
void        ps_cmd_run_dir_clear       (PsCmdRunDir       *dir);
gboolean    ps_cmd_remove_tree         (const char        *path);

/* Interrupts while a run directory is written (ps-cmd-interrupt.c). */
void        ps_cmd_interrupt_arm       (void);
void        ps_cmd_interrupt_hold      (void);
void        ps_cmd_interrupt_release   (const char        *tmp,
                                        const char        *final);

/* Small pieces every subcommand needs alike. */
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

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PsCmdOptions, ps_cmd_options_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PsCmdRunDir, ps_cmd_run_dir_clear)

G_END_DECLS
