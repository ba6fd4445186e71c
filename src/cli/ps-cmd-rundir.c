/* ps-cmd-rundir.c: a run directory is complete or absent
 *
 * A run writes into a hidden sibling of its directory (".NAME.partial-PID")
 * and moves it into place only when everything, summary.json last, has
 * been written; a previous directory of that name is replaced then, not
 * before.  A run that fails leaves the previous directory as it was (or
 * none) and removes what it wrote; so does an interrupted one, when the
 * command armed ps-cmd-interrupt.c, which is told which directory is
 * being written and is held off while it changes.
 */
#include "ps-cmd.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gstdio.h>

/* rm -r, for the run's own temporary directories only.
 * Returns: TRUE when @path is gone. */
gboolean
ps_cmd_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          ps_cmd_remove_tree (child);
        else
          g_unlink (child);
      }
  return g_rmdir (path) == 0 || errno == ENOENT;
}

static char *
sibling (const char *final, const char *what)
{
  g_autofree char *parent = g_path_get_dirname (final);
  g_autofree char *base = g_path_get_basename (final);
  g_autofree char *name = g_strdup_printf (".%s.%s-%d", base, what, (int) getpid ());

  return g_build_filename (parent, name, NULL);
}

static gboolean
io_error (GError **error, const char *what, const char *path)
{
  int saved = errno;

  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "cannot %s %s: %s",
               what, path, g_strerror (saved));
  return FALSE;
}

/* Creates the temporary directory the run writes into (d->tmp). */
gboolean
ps_cmd_run_dir_begin (PsCmdRunDir *d, const char *final, GError **error)
{
  g_autofree char *parent = g_path_get_dirname (final);
  gboolean ok;

  d->final = g_strdup (final);
  d->tmp = sibling (final, "partial");
  ps_cmd_interrupt_hold ();
  if (g_mkdir_with_parents (parent, 0777) != 0)
    ok = io_error (error, "create output directory", parent);
  else
    {
      ps_cmd_remove_tree (d->tmp);      /* a leftover of this very pid */
      ok = g_mkdir (d->tmp, 0777) == 0 || io_error (error, "create output directory", d->tmp);
    }
  ps_cmd_interrupt_release (ok ? d->tmp : NULL, d->final);
  return ok;
}

/* The renames of a commit; interrupts are held off around them. */
static gboolean
move_into_place (PsCmdRunDir *d, GError **error)
{
  g_autofree char *old = sibling (d->final, "old");
  gboolean had_old = g_file_test (d->final, G_FILE_TEST_EXISTS);

  if (had_old && g_rename (d->final, old) != 0)
    return io_error (error, "replace", d->final);
  if (g_rename (d->tmp, d->final) != 0)
    {
      gboolean ok = io_error (error, "move the run into", d->final);

      if (had_old)
        g_rename (old, d->final);       /* put the previous one back */
      return ok;
    }
  g_clear_pointer (&d->tmp, g_free);
  if (had_old)
    ps_cmd_remove_tree (old);
  return TRUE;
}

/* Moves the complete run into place, replacing a previous one. */
gboolean
ps_cmd_run_dir_commit (PsCmdRunDir *d, GError **error)
{
  gboolean ok;

  ps_cmd_interrupt_hold ();
  ok = move_into_place (d, error);
  ps_cmd_interrupt_release (d->tmp, d->final);    /* NULL once in place */
  return ok;
}

/* A run that did not complete: its files go, the previous directory stays. */
void
ps_cmd_run_dir_clear (PsCmdRunDir *d)
{
  ps_cmd_interrupt_hold ();
  if (d->tmp != NULL)
    {
      ps_cmd_remove_tree (d->tmp);
      if (d->final != NULL)
        g_printerr ("poolsim: note: %s was left as it was (%s)\n", d->final,
                    g_file_test (d->final, G_FILE_TEST_EXISTS) ? "the previous run"
                                                               : "no run directory");
    }
  g_clear_pointer (&d->tmp, g_free);
  g_clear_pointer (&d->final, g_free);
  ps_cmd_interrupt_release (NULL, NULL);
}
