/* ps-shell.c: shell-quoting words of a command line */
#include "ps-shell.h"

#include <string.h>

/* Appends " WORD" to @line, quoted when a shell would split or expand it. */
void
ps_shell_append_word (GString *line, const char *word)
{
  static const char plain_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789-_./:=,+@%";
  gboolean plain = *word != '\0' && strspn (word, plain_chars) == strlen (word);

  if (line->len > 0)
    g_string_append_c (line, ' ');
  if (plain)
    g_string_append (line, word);
  else
    {
      g_autofree char *quoted = g_shell_quote (word);

      g_string_append (line, quoted);
    }
}
