/* ps-csv.h: a fast, locale-proof CSV file writer
 *
 * Rows are built field by field into a buffer and written in large blocks.
 * Numbers are formatted by hand (integers, microsecond times as seconds
 * with six decimals) or with g_ascii_formatd, never through the C locale.
 * The first write error is kept and reported by ps_csv_close().
 */
#pragma once

#include <glib.h>

#include "ps-time.h"

G_BEGIN_DECLS

typedef struct _PsCsv PsCsv;

PsCsv     *ps_csv_open        (const char *path,
                               const char *header,
                               GError    **error);
PsCsv     *ps_csv_open_gzip   (const char *path,
                               const char *header,
                               GError    **error);
gboolean   ps_csv_close       (PsCsv      *csv,
                               GError    **error);
void       ps_csv_free        (PsCsv      *csv);

void       ps_csv_str         (PsCsv      *csv,
                               const char *value);
void       ps_csv_u64         (PsCsv      *csv,
                               guint64     value);
void       ps_csv_i64         (PsCsv      *csv,
                               gint64      value);
void       ps_csv_time        (PsCsv      *csv,
                               PsTime      value);
void       ps_csv_time_or_empty (PsCsv    *csv,
                               PsTime      value);
void       ps_csv_double      (PsCsv      *csv,
                               double      value,
                               int         decimals);
void       ps_csv_number      (PsCsv      *csv,
                               double      value);
void       ps_csv_empty       (PsCsv      *csv);
void       ps_csv_end_row     (PsCsv      *csv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsCsv, ps_csv_free)

G_END_DECLS
