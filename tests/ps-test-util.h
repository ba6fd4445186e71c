/* ps-test-util.h: helpers shared by the tests that run whole scenarios */
#pragma once

#include <glib.h>

#include "ps-record.h"
#include "ps-scenario.h"
#include "ps-stability.h"

G_BEGIN_DECLS

PsScenario  *ps_test_scenario          (const char        *json,
                                        const char *const *sets);
gboolean     ps_test_run_to_dir        (const PsScenario  *scenario,
                                        const char        *dir,
                                        PsRunSummary      *out_summary,
                                        GError           **error);
gboolean     ps_test_run_to_dir_full   (const PsScenario  *scenario,
                                        const char        *dir,
                                        PsRunSummary      *out_summary,
                                        PsStabilitySummary *out_stability,
                                        PsGroupSummary    *out_groups,
                                        GError           **error);
char        *ps_test_tmpdir            (void);
void         ps_test_rmdir             (const char        *dir);
char        *ps_test_read              (const char        *dir,
                                        const char        *name);
char        *ps_test_strip_wall_clock  (const char        *summary_json);

/* What a `poolsim ...` process did. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} PsTestResult;

void         ps_test_result_clear      (PsTestResult      *result);
void         ps_test_poolsim           (PsTestResult      *result,
                                        ...) G_GNUC_NULL_TERMINATED;
void         ps_test_poolsim_argv      (PsTestResult      *result,
                                        const char *const *args);
char        *ps_test_scenario_path     (const char        *name);
double       ps_test_erlang_b          (guint              servers,
                                        double             erlangs);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PsTestResult, ps_test_result_clear)

G_END_DECLS
