/* ps-json-strict.h: strict JSON (RFC 8259), nesting bounded, checked
 * before json-glib sees the text
 *
 * json-glib accepts more than JSON (octal and hex escapes, hex numbers,
 * comments, single quotes), turns "\u0000" into the end of a string, and
 * recurses once per nesting level, so a deep enough document exhausts the
 * stack.  One iterative pass here refuses all of that, with the offset of
 * the first fault, so that every reader of JSON (scenario files, --set
 * values, request bodies) accepts exactly JSON.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PS_JSON_MAX_DEPTH 64

gboolean  ps_json_strict_check  (const char  *data,
                                 gsize        length,
                                 guint        max_depth,
                                 gsize       *out_offset,
                                 const char **out_what);

G_END_DECLS
