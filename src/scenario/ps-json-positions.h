/* ps-json-positions.h: where each value of a parsed JSON document sits
 *
 * json-glib 1.6 reports positions only while it parses, from inside its
 * signals, and silently keeps the last of two equal keys.  A
 * PsJsonPositions listens to a JsonParser while it loads and remembers, for
 * every node, the line and column json-glib gives for it (the end of the
 * value), every duplicate key, and where the first top-level value ends.
 * Keys are node pointers: keep the parser's tree alive while querying.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _PsJsonPositions PsJsonPositions;

PsJsonPositions *ps_json_positions_new             (JsonParser            *parser);
void             ps_json_positions_free            (PsJsonPositions       *positions);

gboolean         ps_json_positions_lookup          (const PsJsonPositions *positions,
                                                    JsonNode              *node,
                                                    guint                 *out_line,
                                                    guint                 *out_col);
gboolean         ps_json_positions_get_end         (const PsJsonPositions *positions,
                                                    guint                 *out_line,
                                                    guint                 *out_col);
gboolean         ps_json_positions_find_duplicate  (const PsJsonPositions *positions,
                                                    JsonNode              *root,
                                                    char                 **out_path,
                                                    guint                 *out_line,
                                                    guint                 *out_col);
void             ps_json_line_col                  (const char            *data,
                                                    gsize                  offset,
                                                    guint                 *out_line,
                                                    guint                 *out_col);
gsize            ps_json_offset_of                 (const char            *data,
                                                    gsize                  length,
                                                    guint                  line,
                                                    guint                  col);
gboolean         ps_json_only_blanks_after         (const char            *data,
                                                    gsize                  length,
                                                    gsize                  offset,
                                                    gsize                 *out_garbage);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsJsonPositions, ps_json_positions_free)

G_END_DECLS
