/* ps-live-guard.c: a request head checked byte by byte, before libsoup */
#include "ps-live-guard.h"

#include <string.h>

enum
{
  STATE_IDLE,                 /* between requests: nothing of the next one yet */
  STATE_REQUEST_LINE,
  STATE_HEADERS,
  STATE_BODY,
};

enum
{
  FIELD_OTHER,
  FIELD_CONTENT_LENGTH,
  FIELD_TRANSFER_ENCODING,
  FIELD_EXPECT,
};

void
ps_live_guard_init (PsLiveGuard *guard, guint64 max_body)
{
  memset (guard, 0, sizeof *guard);
  guard->max_body = max_body;
  guard->state = STATE_IDLE;
}

/* TRUE while part of a request has arrived and the rest has not. */
gboolean
ps_live_guard_reading (const PsLiveGuard *guard)
{
  return guard->state != STATE_IDLE;
}

/* Requests read whole (head and body) so far. */
guint
ps_live_guard_requests (const PsLiveGuard *guard)
{
  return guard->requests;
}

static gboolean
refuse (PsLiveGuardRefusal *out, guint status, const char *phrase, const char *code,
        const char *format, ...) G_GNUC_PRINTF (5, 6);

static gboolean
refuse (PsLiveGuardRefusal *out, guint status, const char *phrase, const char *code,
        const char *format, ...)
{
  va_list args;

  out->status = status;
  out->phrase = phrase;
  out->code = code;
  va_start (args, format);
  g_vsnprintf (out->message, sizeof out->message, format, args);
  va_end (args);
  return FALSE;
}

static void
start_line (PsLiveGuard *g)
{
  g->bad_char = FALSE;
  g->line_len = 0;
  g->name_len = 0;
  g->in_value = FALSE;
  g->field = FIELD_OTHER;
  g->value_len = 0;
  g->value_too_long = FALSE;
}

static void
start_request (PsLiveGuard *g)
{
  g->state = STATE_REQUEST_LINE;
  g->rl_part = 0;
  g->rl_part_len = 0;
  g->rl_bad = FALSE;
  g->version[0] = '\0';
  g->head_len = 0;
  g->n_headers = 0;
  g->cr = FALSE;
  g->has_length = FALSE;
  g->length = 0;
  g->has_encoding = FALSE;
  g->encoding[0] = '\0';
  g->has_expect = FALSE;
  g->expect[0] = '\0';
  start_line (g);
}

static void
end_request (PsLiveGuard *g)
{
  g->requests++;
  g->state = STATE_IDLE;
}

/* The kept value, without the optional white space around it. */
static char *
trimmed_value (PsLiveGuard *g)
{
  g->value[g->value_len] = '\0';
  return g_strstrip (g->value);
}

/* One Content-Length element: digits only, at most 2^63 - 1. */
static gboolean
parse_length (const char *text, guint64 *out)
{
  guint64 v = 0;

  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p) || v > (G_MAXINT64 - (guint64) (*p - '0')) / 10)
        return FALSE;
      v = v * 10 + (guint64) (*p - '0');
    }
  *out = v;
  return TRUE;
}

/* Content-Length: a length, or a list of the same length ("5, 5"). */
static gboolean
content_length (PsLiveGuard *g, PsLiveGuardRefusal *out)
{
  char *value = trimmed_value (g);
  g_auto(GStrv) parts = NULL;

  if (g->value_too_long)
    return refuse (out, 400, "Bad Request", "bad_request",
                   "Content-Length is not a length (longer than %d bytes)",
                   PS_LIVE_GUARD_VALUE);
  if (*value == '\0')
    return refuse (out, 400, "Bad Request", "bad_request",
                   "Content-Length: \"\" is not a length (expected digits)");
  parts = g_strsplit (value, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 length;

      if (!parse_length (g_strstrip (parts[i]), &length))
        return refuse (out, 400, "Bad Request", "bad_request",
                       "Content-Length: \"%s\" is not a length (expected digits, at most "
                       "2^63 - 1)", value);
      if (g->has_length && length != g->length)
        return refuse (out, 400, "Bad Request", "bad_request",
                       "two different Content-Lengths (%" G_GUINT64_FORMAT " and %"
                       G_GUINT64_FORMAT ")", g->length, length);
      g->has_length = TRUE;
      g->length = length;
    }
  return TRUE;
}

static gboolean
end_header_line (PsLiveGuard *g, PsLiveGuardRefusal *out)
{
  if (!g->in_value)
    return refuse (out, 400, "Bad Request", "bad_request", "a header line without a colon");
  if (g->bad_char)
    return refuse (out, 400, "Bad Request", "bad_request",
                   "a header name that is not a token, or a control character in a value");
  if (++g->n_headers > PS_LIVE_GUARD_MAX_HEADERS)
    return refuse (out, 431, "Request Header Fields Too Large", "headers_too_large",
                   "more than %d header lines", PS_LIVE_GUARD_MAX_HEADERS);
  if (g->field == FIELD_CONTENT_LENGTH)
    return content_length (g, out);
  if (g->field == FIELD_TRANSFER_ENCODING)
    {
      g->has_encoding = TRUE;
      g_strlcpy (g->encoding, trimmed_value (g), sizeof g->encoding);
    }
  if (g->field == FIELD_EXPECT)
    {
      g->has_expect = TRUE;
      g_strlcpy (g->expect, trimmed_value (g), sizeof g->expect);
    }
  return TRUE;
}

/* The blank line: what the head announces must be acceptable. */
static gboolean
end_head (PsLiveGuard *g, PsLiveGuardRefusal *out)
{
  if (g->has_encoding && g_ascii_strcasecmp (g->encoding, "chunked") == 0)
    return refuse (out, 411, "Length Required", "length_required",
                   "chunked request bodies are not accepted: send Content-Length");
  if (g->has_encoding)
    return refuse (out, 501, "Not Implemented", "not_implemented",
                   "Transfer-Encoding \"%s\" is not supported: send Content-Length",
                   g->encoding);
  /* libsoup answers any other expectation 417 on its own, uncounted */
  if (g->has_expect && g_ascii_strcasecmp (g->expect, "100-continue") != 0)
    return refuse (out, 417, "Expectation Failed", "expectation_failed",
                   "Expect: \"%s\" is not supported (only 100-continue)", g->expect);
  if (g->has_length && g->length > g->max_body)
    return refuse (out, 413, "Payload Too Large", "too_large",
                   "the body is %" G_GUINT64_FORMAT " bytes; at most %" G_GUINT64_FORMAT
                   " are accepted", g->length, g->max_body);
  g->body_left = g->has_length ? g->length : 0;
  if (g->body_left > 0)
    g->state = STATE_BODY;
  else
    end_request (g);
  return TRUE;
}

/* A token character (RFC 9110, 5.6.2): what a method is made of. */
static gboolean
is_tchar (guint8 c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/* METHOD SP TARGET SP HTTP/1.x, checked as it arrives: libsoup answers a
 * line it cannot parse itself, without telling its signals, so such
 * answers were never counted. */
static void
request_line_byte (PsLiveGuard *g, guint8 c)
{
  if (c == ' ')
    {
      if (g->rl_part_len == 0 || ++g->rl_part > 2)
        g->rl_bad = TRUE;
      g->rl_part_len = 0;
      return;
    }
  g->rl_part_len++;
  if (g->rl_part == 0 && !is_tchar (c))
    g->rl_bad = TRUE;
  else if (g->rl_part == 1 && (c < 0x21 || c == 0x7f))
    g->rl_bad = TRUE;
  else if (g->rl_part == 2)
    {
      if (g->rl_part_len < sizeof g->version)
        {
          g->version[g->rl_part_len - 1] = (char) c;
          g->version[g->rl_part_len] = '\0';
        }
      else
        g->rl_bad = TRUE;
    }
}

static gboolean
end_request_line (PsLiveGuard *g, PsLiveGuardRefusal *out)
{
  if (g->rl_bad || g->rl_part != 2 || g->rl_part_len == 0
      || !g_str_has_prefix (g->version, "HTTP/"))
    return refuse (out, 400, "Bad Request", "bad_request",
                   "the request line is not METHOD TARGET HTTP/1.1");
  if (strcmp (g->version, "HTTP/1.1") != 0 && strcmp (g->version, "HTTP/1.0") != 0)
    return refuse (out, 505, "HTTP Version Not Supported", "version_not_supported",
                   "%s is not supported (HTTP/1.1 and HTTP/1.0 are)", g->version);
  g->state = STATE_HEADERS;
  return TRUE;
}

static gboolean
end_line (PsLiveGuard *g, PsLiveGuardRefusal *out)
{
  gboolean ok = TRUE;

  if (g->state == STATE_REQUEST_LINE)
    ok = end_request_line (g, out);
  else if (g->line_len == 0)
    return end_head (g, out);
  else
    ok = end_header_line (g, out);
  start_line (g);
  return ok;
}

static void
header_byte (PsLiveGuard *g, guint8 c)
{
  /* libsoup refuses these itself (a NUL, say), without telling */
  if ((c < 0x20 && c != '\t') || c == 0x7f)
    g->bad_char = TRUE;
  if (!g->in_value)
    {
      if (c != ':' && !is_tchar (c))
        g->bad_char = TRUE;
      if (c == ':')
        {
          g->in_value = TRUE;
          g->name[MIN (g->name_len, sizeof g->name - 1)] = '\0';
          if (g->name_len < sizeof g->name && strcmp (g->name, "content-length") == 0)
            g->field = FIELD_CONTENT_LENGTH;
          else if (g->name_len < sizeof g->name && strcmp (g->name, "transfer-encoding") == 0)
            g->field = FIELD_TRANSFER_ENCODING;
          else if (g->name_len < sizeof g->name && strcmp (g->name, "expect") == 0)
            g->field = FIELD_EXPECT;
        }
      else if (g->name_len < sizeof g->name)
        g->name[g->name_len++] = g_ascii_tolower ((char) c);
      return;
    }
  if (g->field == FIELD_OTHER)
    return;
  if (g->value_len < PS_LIVE_GUARD_VALUE)
    g->value[g->value_len++] = (char) c;
  else
    g->value_too_long = TRUE;
}

/* One byte of a head. */
static gboolean
head_byte (PsLiveGuard *g, guint8 c, PsLiveGuardRefusal *out)
{
  if (++g->head_len > PS_LIVE_GUARD_MAX_HEAD)
    return refuse (out, 431, "Request Header Fields Too Large", "headers_too_large",
                   "the request head is longer than %d bytes", PS_LIVE_GUARD_MAX_HEAD);
  if (c == '\n')
    {
      g->cr = FALSE;
      return end_line (g, out);
    }
  if (g->cr)
    return refuse (out, 400, "Bad Request", "bad_request", "a CR not followed by LF");
  if (c == '\r')
    {
      g->cr = TRUE;
      return TRUE;
    }
  if (++g->line_len > PS_LIVE_GUARD_MAX_LINE)
    {
      if (g->state == STATE_REQUEST_LINE)
        return refuse (out, 414, "URI Too Long", "uri_too_long",
                       "the request line is longer than %d bytes", PS_LIVE_GUARD_MAX_LINE);
      return refuse (out, 431, "Request Header Fields Too Large", "headers_too_large",
                     "a header line is longer than %d bytes", PS_LIVE_GUARD_MAX_LINE);
    }
  if (g->state == STATE_REQUEST_LINE)
    request_line_byte (g, c);
  else
    {
      /* obsolete line folding: RFC 9112 lets a server refuse it */
      if (g->line_len == 1 && (c == ' ' || c == '\t'))
        return refuse (out, 400, "Bad Request", "bad_request",
                       "a folded header line (obsolete line folding is not accepted)");
      header_byte (g, c);
    }
  return TRUE;
}

/**
 * ps_live_guard_feed:
 * @data: the next @length bytes the client sent
 * @out_refusal: (out): set when this returns FALSE
 *
 * Returns: FALSE at the first thing that must be refused; the connection
 * then gets @out_refusal's status (after the answers to the requests
 * before it: @out_refusal->offset bytes of @data) and is closed, and is
 * fed no more.
 */
gboolean
ps_live_guard_feed (PsLiveGuard *guard, const guint8 *data, gsize length,
                    PsLiveGuardRefusal *out_refusal)
{
  gsize i = 0;

  guard->start = 0;             /* a request begun in an earlier chunk */
  while (i < length)
    {
      if (guard->state == STATE_BODY)
        {
          gsize n = (gsize) MIN ((guint64) (length - i), guard->body_left);

          guard->body_left -= n;
          i += n;
          if (guard->body_left == 0)
            end_request (guard);
          continue;
        }
      if (guard->state == STATE_IDLE)
        {
          /* RFC 9112: empty lines before a request line are ignored */
          if (data[i] == '\r' || data[i] == '\n')
            {
              i++;
              continue;
            }
          start_request (guard);
          guard->start = i;
        }
      if (!head_byte (guard, data[i], out_refusal))
        {
          out_refusal->offset = guard->start;
          return FALSE;
        }
      i++;
    }
  return TRUE;
}
