/* ps-json-strict.c: an RFC 8259 scanner with an explicit stack
 *
 * It checks syntax only (values are json-glib's to build), without
 * recursion: a stack of the open containers, at most @max_depth deep,
 * and a count of the values seen, at most @max_values, so that a document
 * too big to build stops here after reading no more than it allows.
 * The text must be UTF-8 already (the callers check it first).
 */
#include "ps-json-strict.h"

#include <string.h>

typedef struct
{
  const char *p;
  const char *end;
  const char *start;
  const char *what;          /* the first fault */
  const char *at;
  guint64     values;        /* begun so far */
  guint64     max_values;
} Scanner;

static gboolean
fail (Scanner *s, const char *at, const char *what)
{
  s->at = at;
  s->what = what;
  return FALSE;
}

static void
skip_blanks (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
is_hex (char c)
{
  return g_ascii_isxdigit (c);
}

static gboolean
scan_string (Scanner *s)
{
  const char *open = s->p++;

  while (s->p < s->end)
    {
      unsigned char c = (unsigned char) *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return fail (s, s->p, "a control character inside a string (expected it escaped, "
                     "such as \\n)");
      if (c != '\\')
        {
          s->p++;
          continue;
        }
      if (s->p + 1 >= s->end)
        break;
      switch (s->p[1])
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          s->p += 2;
          break;
        case 'u':
          if (s->p + 6 > s->end || !is_hex (s->p[2]) || !is_hex (s->p[3])
              || !is_hex (s->p[4]) || !is_hex (s->p[5]))
            return fail (s, s->p, "a \\u escape without four hex digits");
          if (memcmp (s->p + 2, "0000", 4) == 0)
            return fail (s, s->p, "a NUL character (\\u0000) in a string");
          s->p += 6;
          break;
        default:
          return fail (s, s->p, "an escape JSON does not have (expected \\\" \\\\ \\/ \\b "
                       "\\f \\n \\r \\t or \\uXXXX)");
        }
    }
  return fail (s, open, "a string that does not end");
}

static gboolean
scan_digits (Scanner *s)
{
  const char *from = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return s->p > from;
}

static gboolean
scan_number (Scanner *s)
{
  const char *from = s->p;

  if (*s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    {
      s->p++;
      if (s->p < s->end && (g_ascii_isdigit (*s->p) || *s->p == 'x' || *s->p == 'X'))
        return fail (s, from, "a number with a leading 0 (octal and hex numbers are not JSON)");
    }
  else if (!scan_digits (s))
    return fail (s, from, "a value that is not JSON");
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (!scan_digits (s))
        return fail (s, from, "a number without digits after its point");
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!scan_digits (s))
        return fail (s, from, "a number without digits in its exponent");
    }
  return TRUE;
}

static gboolean
scan_word (Scanner *s, const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) >= n && memcmp (s->p, word, n) == 0)
    {
      s->p += n;
      return TRUE;
    }
  return fail (s, s->p, "a value that is not JSON");
}

/* A member's key and its ':', at @s->p (blanks skipped before). */
static gboolean
scan_key (Scanner *s)
{
  if (s->p >= s->end || *s->p != '"')
    return fail (s, s->p, s->p >= s->end ? "the text ends where a key should be"
                          : *s->p == '\'' ? "a single-quoted key (JSON keys take double quotes)"
                          : *s->p == '}' ? "a ',' before '}' (JSON has no trailing commas)"
                          : "an object key that is not a string");
  if (!scan_string (s))
    return FALSE;
  skip_blanks (s);
  if (s->p >= s->end || *s->p != ':')
    return fail (s, s->p, "a key without ':' after it");
  s->p++;
  return TRUE;
}

/* One scalar, or the opening of a container (pushed). */
static gboolean
scan_value_start (Scanner *s, char *stack, guint *depth, guint max_depth)
{
  skip_blanks (s);
  if (s->p >= s->end)
    return fail (s, s->p, "the text ends where a value should be");
  if (s->values++ >= s->max_values)
    return fail (s, s->p, PS_JSON_FAULT_VALUES);
  switch (*s->p)
    {
    case '{':
    case '[':
      if (*depth >= max_depth)
        return fail (s, s->p, PS_JSON_FAULT_DEPTH);
      stack[(*depth)++] = *s->p++;
      return TRUE;
    case '"':
      return scan_string (s);
    case 't':
      return scan_word (s, "true");
    case 'f':
      return scan_word (s, "false");
    case 'n':
      return scan_word (s, "null");
    case '/':
      return fail (s, s->p, "a comment (JSON has none)");
    case '\'':
      return fail (s, s->p, "a single-quoted string (JSON strings take double quotes)");
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return scan_number (s);
      return fail (s, s->p, "a value that is not JSON");
    }
}

/**
 * ps_json_strict_check:
 * @max_depth: containers open at once, at most
 * @max_values: values in the document (each scalar, array and object
 *   counts one; keys do not), at most
 * @out_offset: (out): on failure, the byte offset of the fault
 * @out_what: (out): on failure, what is wrong there
 *
 * Checks that @data is one JSON value with nothing but blanks around it
 * (blanks only: TRUE, it is for the caller to call that empty).
 */
gboolean
ps_json_strict_check (const char *data, gsize length, guint max_depth, guint64 max_values,
                      gsize *out_offset, const char **out_what)
{
  Scanner s = { data, data + length, data, NULL, NULL, 0, max_values };
  g_autofree char *stack = g_malloc (MAX (max_depth, 1));
  guint depth = 0;
  gboolean need_value = TRUE;    /* at the start, after ':' or ',' */

  skip_blanks (&s);
  if (s.p >= s.end)
    return TRUE;
  for (;;)
    {
      if (need_value)
        {
          guint before = depth;

          if (!scan_value_start (&s, stack, &depth, max_depth))
            break;
          need_value = FALSE;
          if (depth > before)                /* opened a container */
            {
              skip_blanks (&s);
              if (s.p < s.end && *s.p == (stack[depth - 1] == '{' ? '}' : ']'))
                {
                  s.p++;
                  depth--;                  /* empty: closed at once */
                }
              else if (stack[depth - 1] == '{')
                {
                  if (!scan_key (&s))
                    break;
                  need_value = TRUE;
                  continue;
                }
              else
                {
                  need_value = TRUE;
                  continue;
                }
            }
        }
      if (depth == 0)
        {
          skip_blanks (&s);                 /* the value is complete: then nothing */
          if (s.p >= s.end)
            return TRUE;
          fail (&s, s.p, "text after the end of the document");
          break;
        }
      skip_blanks (&s);
      if (s.p >= s.end)
        {
          fail (&s, s.p, "the text ends inside an object or array");
          break;
        }
      if (*s.p == (stack[depth - 1] == '{' ? '}' : ']'))
        {
          s.p++;
          depth--;
          continue;
        }
      if (*s.p != ',')
        {
          fail (&s, s.p, stack[depth - 1] == '{' ? "expected ',' or '}' here"
                                                 : "expected ',' or ']' here");
          break;
        }
      s.p++;
      if (stack[depth - 1] == '{')
        {
          skip_blanks (&s);
          if (!scan_key (&s))
            break;
        }
      else
        {
          skip_blanks (&s);
          if (s.p < s.end && *s.p == ']')
            {
              fail (&s, s.p, "a ',' before ']' (JSON has no trailing commas)");
              break;
            }
        }
      need_value = TRUE;
    }
  *out_offset = (gsize) (s.at - s.start);
  *out_what = s.what;
  return FALSE;
}
