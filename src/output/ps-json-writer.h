/* ps-json-writer.h: pretty, stable JSON text for summaries
 *
 * json-glib's generator prints 0.1 as 0.10000000000000001; a summary is
 * read by people and byte-compared by tests, so numbers are written here
 * with a fixed number of decimals (trailing zeros trimmed), locale-proof.
 * Non-finite numbers are written as null.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PsJsonWriter PsJsonWriter;

PsJsonWriter *ps_json_writer_new          (void);
void          ps_json_writer_free         (PsJsonWriter *w);
char         *ps_json_writer_steal        (PsJsonWriter *w);

void          ps_json_begin_object        (PsJsonWriter *w,
                                           const char   *key);
void          ps_json_end_object          (PsJsonWriter *w);
void          ps_json_begin_array         (PsJsonWriter *w,
                                           const char   *key);
void          ps_json_end_array           (PsJsonWriter *w);
void          ps_json_string              (PsJsonWriter *w,
                                           const char   *key,
                                           const char   *value);
void          ps_json_u64                 (PsJsonWriter *w,
                                           const char   *key,
                                           guint64       value);
void          ps_json_u64_row             (PsJsonWriter  *w,
                                           const char    *key,
                                           const guint64 *values,
                                           gsize          n);
void          ps_json_double              (PsJsonWriter *w,
                                           const char   *key,
                                           double        value,
                                           int           decimals);
void          ps_json_bool                (PsJsonWriter *w,
                                           const char   *key,
                                           gboolean      value);
void          ps_json_null                (PsJsonWriter *w,
                                           const char   *key);

void          ps_json_append_string       (GString      *out,
                                           const char   *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsJsonWriter, ps_json_writer_free)

G_END_DECLS
