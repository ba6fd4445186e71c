/* ps-cmd-explain.c: the load a scenario offers, as `check` and `run
 * --explain` print it (estimates from ps-scenario-explain.h) */
#include "ps-cmd.h"

#include <math.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>
#include <string.h>

#include "ps-scenario-explain.h"

/* "80 ms", "1.5 s", "250 µs": a time with its unit. */
static char *
format_seconds (double s)
{
  if (s >= 1 || s == 0)
    return g_strdup_printf ("%.3g s", s);
  if (s >= 1e-3)
    return g_strdup_printf ("%.3g ms", s * 1e3);
  return g_strdup_printf ("%.3g µs", s * 1e6);
}

static char *
format_share (double admitted, double rate)
{
  return rate > 0 ? g_strdup_printf ("%.0f%%", 100 * MIN (1.0, admitted / rate)) : g_strdup ("-");
}

/* Per group and for the pool; warnings on stderr. */
void
ps_cmd_print_explain (const PsScenario *sc)
{
  g_autoptr(PsExplain) e = ps_scenario_explain (sc);
  g_autofree char *offered = ps_explain_format_rate (e->offered);
  g_autofree char *admitted = ps_explain_format_rate (e->admitted);

  int name_w = 12, quota_w = 20;

  for (guint g = 0; g < e->n_groups; g++)
    {
      name_w = MAX (name_w, (int) strlen (e->groups[g].name));
      quota_w = MAX (quota_w, (int) strlen (e->groups[g].quota_text)
                              + (e->groups[g].quota_override ? 10 : 0));
    }
  printf ("  %-*s %7s %10s  %-*s %7s %11s %10s\n", name_w, "group", "clients", "sends",
          quota_w, "quota (each client)", "admits", "conc. cap", "service");
  for (guint g = 0; g < e->n_groups; g++)
    {
      const PsExplainGroup *x = &e->groups[g];
      g_autofree char *rate = ps_explain_format_rate (x->rate);
      g_autofree char *quota = g_strdup_printf ("%s%s", x->quota_override ? "override: " : "",
                                                x->quota_text);
      g_autofree char *share = format_share (MIN (x->quota_rate, x->rate), x->rate);
      g_autofree char *cap = ps_explain_format_rate (x->concurrency_cap);
      g_autofree char *service = format_seconds (x->service_s);

      printf ("  %-*s %7u %10s  %-*s %7s %11s %10s\n", name_w, x->name, x->clients, rate,
              quota_w, quota, share, cap, service);
    }
  printf ("  offered %s in all; %s after quotas and concurrency\n", offered, admitted);
  printf ("  pool: %.3g Erlangs of work for %u workers (load %.2f)", e->erlangs, sc->workers,
          e->rho);
  if (sc->queue == 0)
    printf ("; Erlang B: %.2g%% of arrivals refused (503)\n", 100 * e->blocking);
  else
    printf ("; M/M/%u/%u: %.2g%% of arrivals wait, %.2g%% refused (503)\n", sc->workers,
            sc->workers + sc->queue, 100 * e->waiting, 100 * e->blocking);
  printf ("  (long-run estimates: Poisson arrivals, exponential service, no retries)\n");
  printf ("  memory: about %" G_GUINT64_FORMAT " MiB at the peak of a run\n",
          ps_scenario_memory_estimate (sc) >> 20);
  fflush (stdout);                      /* the table, then what it warns of */
  for (guint i = 0; i < e->warnings->len; i++)
    g_printerr ("poolsim: warning: %s\n", (const char *) e->warnings->pdata[i]);
}

/**
 * ps_cmd_check_memory:
 *
 * Refuses (PS_SCENARIO_ERROR, exit status 2) a scenario whose estimated
 * peak memory is over 80% of this machine's, before anything is
 * allocated: it would abort half-way instead.
 */
gboolean
ps_cmd_check_memory (const PsScenario *sc, GError **error)
{
  guint64 need = ps_scenario_memory_estimate (sc);
  long pages = sysconf (_SC_PHYS_PAGES), page = sysconf (_SC_PAGESIZE);
  guint64 have = pages > 0 && page > 0 ? (guint64) pages * (guint64) page : 0;
  struct rlimit limit;

  /* an address-space limit (ulimit -v) is this process's machine */
  if (getrlimit (RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
      && (have == 0 || (guint64) limit.rlim_cur < have))
    have = (guint64) limit.rlim_cur;

  if (have == 0 || need <= have / 10 * 8)
    return TRUE;
  g_set_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_RANGE,
               "%s: a run would need about %" G_GUINT64_FORMAT " MiB (%" G_GUINT64_FORMAT
               " clients, their initial backlogs), more than this machine's %"
               G_GUINT64_FORMAT " MiB can hold (expected fewer clients or a smaller "
               "initial_backlog)", sc->path, need >> 20, ps_scenario_n_clients (sc),
               have >> 20);
  return FALSE;
}
