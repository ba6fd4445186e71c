/* ps-cmd-interrupt.c: an interrupt while a run directory is written
 * removes what the run wrote, however many interrupts come
 *
 * `poolsim run` has no graceful stop: an interrupt abandons the run.  By
 * default SIGINT killed it where it stood, leaving ".NAME.partial-PID"
 * beside the previous run.  Once armed, SIGINT, SIGTERM and SIGHUP are
 * blocked in every thread and taken by one watcher thread with sigwait():
 * it removes the directory being written (if any), says that the previous
 * one was left as it was, and ends the process by the same signal.  A
 * second interrupt stays pending meanwhile, so it cannot cut the cleanup
 * short.  The lock orders the watcher against a commit's renames: an
 * interrupt during a commit waits for it, and then leaves the complete
 * run in place.
 *
 * The state is process-wide because signals are; it is touched only under
 * the lock, by the main thread and the watcher.
 */
#include "ps-cmd.h"

#include <signal.h>
#include <pthread.h>
#include <unistd.h>

#include <glib/gstdio.h>

static GMutex lock;
static gboolean armed;
static char *watched_tmp;       /* being written: removed on an interrupt */
static char *watched_final;     /* where the run goes: named in the message */

static void
interrupt_signals (sigset_t *set)
{
  sigemptyset (set);
  sigaddset (set, SIGINT);
  sigaddset (set, SIGTERM);
  sigaddset (set, SIGHUP);
}

static gpointer
watch_cb (gpointer data)
{
  sigset_t set;
  int signum = SIGINT;

  interrupt_signals (&set);
  while (sigwait (&set, &signum) != 0)
    ;
  g_mutex_lock (&lock);         /* kept: nothing may commit or write after this */
  if (watched_tmp != NULL)
    {
      /* the main thread may still create a file in it: remove until empty */
      for (guint i = 0; i < 100 && !ps_cmd_remove_tree (watched_tmp); i++)
        ;
      /* on a terminal, past the "^C" and any progress line */
      g_printerr ("%spoolsim: interrupted: %s was left as it was (%s)\n",
                  isatty (STDERR_FILENO) ? "\n" : "", watched_final,
                  g_file_test (watched_final, G_FILE_TEST_EXISTS) ? "the previous run"
                                                                  : "no run directory");
    }
  signal (signum, SIG_DFL);
  pthread_sigmask (SIG_UNBLOCK, &set, NULL);
  raise (signum);               /* ends the process, as the signal would have */
  _exit (128 + signum);
}

/**
 * ps_cmd_interrupt_arm:
 *
 * From now on an interrupt removes the watched directory before the
 * process ends.  Call it in the main thread before any other thread is
 * started (threads inherit the blocked signals); a second call does
 * nothing.
 */
void
ps_cmd_interrupt_arm (void)
{
  sigset_t set;

  g_mutex_lock (&lock);
  if (!armed)
    {
      interrupt_signals (&set);
      pthread_sigmask (SIG_BLOCK, &set, NULL);
      g_thread_unref (g_thread_new ("ps-interrupt", watch_cb, NULL));
      armed = TRUE;
    }
  g_mutex_unlock (&lock);
}

/* Holds interrupts off (they wait) while the watched directory changes. */
void
ps_cmd_interrupt_hold (void)
{
  g_mutex_lock (&lock);
}

/**
 * ps_cmd_interrupt_release:
 * @tmp: (nullable): the directory an interrupt removes from now on; NULL
 *   when there is none (the run is in place, or gone)
 * @final: (nullable): where the run would go, for the message
 *
 * Ends a ps_cmd_interrupt_hold().  With @tmp NULL the calling thread takes
 * signals again, so that the programs it starts (gnuplot) do too.
 */
void
ps_cmd_interrupt_release (const char *tmp, const char *final)
{
  gboolean unblock = armed && tmp == NULL;
  sigset_t set;

  g_free (watched_tmp);
  g_free (watched_final);
  watched_tmp = g_strdup (tmp);
  watched_final = g_strdup (final);
  g_mutex_unlock (&lock);
  if (unblock)
    {
      interrupt_signals (&set);
      pthread_sigmask (SIG_UNBLOCK, &set, NULL);
    }
}
