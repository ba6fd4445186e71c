/* ps-json-writer.c: a small streaming JSON emitter with two-space indent
 *
 * @key is NULL inside arrays and for the root.  The writer tracks only
 * whether the current container already has a member, for the commas.
 */
#include "ps-json-writer.h"

#include <math.h>
#include <string.h>

struct _PsJsonWriter
{
  GString *out;
  guint    depth;
  guint64  has_member;            /* bit d: container at depth d is non-empty */
};

PsJsonWriter *
ps_json_writer_new (void)
{
  PsJsonWriter *w = g_new0 (PsJsonWriter, 1);

  w->out = g_string_new (NULL);
  return w;
}

void
ps_json_writer_free (PsJsonWriter *w)
{
  if (w == NULL)
    return;
  if (w->out != NULL)               /* NULL once stolen */
    g_string_free (w->out, TRUE);
  g_free (w);
}

/* Returns: (transfer full): the text, with a final newline. */
char *
ps_json_writer_steal (PsJsonWriter *w)
{
  g_string_append_c (w->out, '\n');
  return g_string_free (g_steal_pointer (&w->out), FALSE);
}

static void
escape (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p; p++)
    switch (*p)
      {
      case '"':
        g_string_append (out, "\\\"");
        break;
      case '\\':
        g_string_append (out, "\\\\");
        break;
      case '\n':
        g_string_append (out, "\\n");
        break;
      case '\t':
        g_string_append (out, "\\t");
        break;
      case '\r':
        g_string_append (out, "\\r");
        break;
      default:
        if (*p < 0x20)
          g_string_append_printf (out, "\\u%04x", *p);
        else
          g_string_append_c (out, (char) *p);
      }
  g_string_append_c (out, '"');
}

static void
member (PsJsonWriter *w, const char *key)
{
  if (w->depth > 0)
    {
      if (w->has_member & (G_GUINT64_CONSTANT (1) << w->depth))
        g_string_append_c (w->out, ',');
      w->has_member |= G_GUINT64_CONSTANT (1) << w->depth;
      g_string_append_c (w->out, '\n');
      for (guint i = 0; i < w->depth; i++)
        g_string_append (w->out, "  ");
    }
  if (key != NULL)
    {
      escape (w->out, key);
      g_string_append (w->out, ": ");
    }
}

static void
open_container (PsJsonWriter *w, const char *key, char bracket)
{
  g_return_if_fail (w->depth < 63);
  member (w, key);
  g_string_append_c (w->out, bracket);
  w->depth++;
  w->has_member &= ~(G_GUINT64_CONSTANT (1) << w->depth);
}

static void
close_container (PsJsonWriter *w, char bracket)
{
  gboolean had = (w->has_member & (G_GUINT64_CONSTANT (1) << w->depth)) != 0;

  g_return_if_fail (w->depth > 0);
  w->depth--;
  if (had)
    {
      g_string_append_c (w->out, '\n');
      for (guint i = 0; i < w->depth; i++)
        g_string_append (w->out, "  ");
    }
  g_string_append_c (w->out, bracket);
}

void
ps_json_begin_object (PsJsonWriter *w, const char *key)
{
  open_container (w, key, '{');
}

void
ps_json_end_object (PsJsonWriter *w)
{
  close_container (w, '}');
}

void
ps_json_begin_array (PsJsonWriter *w, const char *key)
{
  open_container (w, key, '[');
}

void
ps_json_end_array (PsJsonWriter *w)
{
  close_container (w, ']');
}

void
ps_json_string (PsJsonWriter *w, const char *key, const char *value)
{
  member (w, key);
  escape (w->out, value);
}

void
ps_json_u64 (PsJsonWriter *w, const char *key, guint64 value)
{
  member (w, key);
  g_string_append_printf (w->out, "%" G_GUINT64_FORMAT, value);
}

/* At most @decimals decimals, trailing zeros trimmed but one kept: 0.1, 2.0. */
void
ps_json_double (PsJsonWriter *w, const char *key, double value, int decimals)
{
  char fmt[8];
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 32];
  gsize len;

  if (!isfinite (value))
    {
      ps_json_null (w, key);
      return;
    }
  g_snprintf (fmt, sizeof fmt, "%%.%df", CLAMP (decimals, 1, 12));
  g_ascii_formatd (buf, sizeof buf, fmt, value);
  len = strlen (buf);
  while (len > 2 && buf[len - 1] == '0' && buf[len - 2] != '.')
    buf[--len] = '\0';
  if (strcmp (buf, "-0.0") == 0)
    strcpy (buf, "0.0");
  member (w, key);
  g_string_append (w->out, buf);
}

/* An array of @n counts on one line: long series stay readable. */
void
ps_json_u64_row (PsJsonWriter *w, const char *key, const guint64 *values, gsize n)
{
  member (w, key);
  g_string_append_c (w->out, '[');
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (w->out, i > 0 ? ", %" G_GUINT64_FORMAT : "%" G_GUINT64_FORMAT,
                            values[i]);
  g_string_append_c (w->out, ']');
}

void
ps_json_null (PsJsonWriter *w, const char *key)
{
  member (w, key);
  g_string_append (w->out, "null");
}

void
ps_json_bool (PsJsonWriter *w, const char *key, gboolean value)
{
  member (w, key);
  g_string_append (w->out, value ? "true" : "false");
}

/* @value as a quoted JSON string, escaped as the writer does, appended to
 * @out: for compact text built outside a writer. */
void
ps_json_append_string (GString *out, const char *value)
{
  escape (out, value);
}
