/* ps-live-guard.h: what a request's head must be before libsoup parses it
 *
 * libsoup 3.2.3 hangs on some malformed heads and leaks on others
 * (docs/libsoup-notes.md, "Heads libsoup mishandles"): a Content-Length
 * of -1 or of 2^64, two different Content-Lengths, a head over its 64 KB
 * buffer, an unknown Transfer-Encoding (answered 501, leaking the path).
 * The guard reads the bytes of a connection as they arrive, before
 * libsoup does, one request after another (the body is skipped by its
 * Content-Length), and stops at the first thing that must be refused,
 * with the status to answer.  It keeps no copy of the head: a few hundred
 * bytes a connection.  Pure: no sockets, no clock.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PS_LIVE_GUARD_MAX_LINE     8192    /* request line, and each header line */
#define PS_LIVE_GUARD_MAX_HEAD     32768   /* the whole head; libsoup's buffer is 64 KB */
#define PS_LIVE_GUARD_MAX_HEADERS  100
#define PS_LIVE_GUARD_VALUE        64      /* Content-Length and Transfer-Encoding kept */

typedef struct
{
  guint        status;                     /* 400, 411, 413, 414, 417, 431, 501 or 505 */
  gsize        offset;                     /* bytes of the chunk before the refused
                                            * request: earlier requests, whole */
  const char  *phrase;
  const char  *code;                       /* the API's error code */
  char         message[160];
} PsLiveGuardRefusal;

typedef struct
{
  guint64  max_body;

  /* where the stream is */
  guint    state;
  guint64  body_left;
  guint    requests;                       /* heads and bodies read whole */

  /* the head being read */
  guint    rl_part;                        /* request line: method, target, version */
  gsize    rl_part_len;
  gboolean rl_bad;
  char     version[12];
  gsize    line_len;
  gsize    head_len;
  guint    n_headers;
  gboolean cr;                             /* the last byte was a CR */
  char     name[24];                       /* the current header's name, lower case */
  gsize    name_len;
  gboolean in_value;
  guint    field;                          /* which kept value the line fills */
  char     value[PS_LIVE_GUARD_VALUE + 1];
  gsize    value_len;
  gboolean value_too_long;
  gboolean has_length;
  guint64  length;
  gboolean has_encoding;
  char     encoding[PS_LIVE_GUARD_VALUE + 1];
  gboolean has_expect;
  char     expect[PS_LIVE_GUARD_VALUE + 1];
  gboolean bad_char;                       /* a control byte in a header line */
  gsize    start;                          /* where the request began in this chunk */
} PsLiveGuard;

void      ps_live_guard_init     (PsLiveGuard        *guard,
                                  guint64             max_body);
gboolean  ps_live_guard_feed     (PsLiveGuard        *guard,
                                  const guint8       *data,
                                  gsize               length,
                                  PsLiveGuardRefusal *out_refusal);
gboolean  ps_live_guard_reading  (const PsLiveGuard  *guard);
guint     ps_live_guard_requests (const PsLiveGuard  *guard);

G_END_DECLS
