/* ps-json-strict.h: strict JSON (RFC 8259), nesting bounded, checked
 * before json-glib sees the text
 *
 * json-glib accepts more than JSON (octal and hex escapes, hex numbers,
 * comments, single quotes), turns "\u0000" into the end of a string, and
 * recurses once per nesting level, so a deep enough document exhausts the
 * stack.  One iterative pass here refuses all of that, with the offset of
 * the first fault, so that every reader of JSON (scenario files, --set
 * values, request bodies) accepts exactly JSON.  It also counts values:
 * json-glib spends about 140 bytes and 2 µs on each, so a 50 MB array of
 * 26M zeros took 3.6 GB and 47 s before any check could look at it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PS_JSON_MAX_DEPTH 64

/* Values (scalars, arrays and objects) in one document, by default.  The
 * largest shipped scenario has 61 and a request body at most 3; a million
 * costs json-glib about 150 MB. */
#define PS_JSON_MAX_VALUES 1000000

/* The @out_what of the two limits, for callers that name the limit. */
#define PS_JSON_FAULT_DEPTH  "nesting deeper than the limit"
#define PS_JSON_FAULT_VALUES "more values than the limit"

gboolean  ps_json_strict_check  (const char  *data,
                                 gsize        length,
                                 guint        max_depth,
                                 guint64      max_values,
                                 gsize       *out_offset,
                                 const char **out_what);

G_END_DECLS
