/* ps-csv-reader.h: reading a run's CSV files back, a line at a time
 *
 * The charts read what a run wrote: a header naming the columns, then
 * rows.  Fields point into the line buffer and live until the next
 * ps_csv_reader_next().  RFC 4180 quotes are understood on a single line
 * (no field of ours holds a newline).  Errors are PS_PLOT_ERROR, with the
 * file's name and line number.
 */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/* One CSV file read line by line; fields point into the line buffer and
 * live until the next ps_csv_reader_next().  RFC 4180 quotes are understood,
 * on a single line (no field of ours holds a newline). */
typedef struct
{
  FILE      *file;
  char      *name;          /* for messages: the file's name in the run dir */
  char      *line;          /* getline()'s buffer */
  size_t     line_size;
  guint64    line_no;
  GPtrArray *fields;        /* (element-type char*) (transfer none) */
  GStrv      header;
  guint      n_columns;     /* of the header */
} PsCsvReader;

PsCsvReader *ps_csv_reader_open     (const char         *run_dir,
                                     const char         *name,
                                     GError            **error);
void         ps_csv_reader_free     (PsCsvReader        *csv);
gboolean     ps_csv_reader_columns  (const PsCsvReader  *csv,
                                     const char * const *names,
                                     int                *out_index,
                                     GError            **error);
gboolean     ps_csv_reader_next     (PsCsvReader        *csv,
                                     GError            **error);
const char  *ps_csv_reader_get      (const PsCsvReader  *csv,
                                     int                 index);
gboolean     ps_csv_reader_get_u64  (const PsCsvReader  *csv,
                                     int                 index,
                                     guint64            *out_value,
                                     GError            **error);
gboolean     ps_csv_reader_get_time (const PsCsvReader  *csv,
                                     int                 index,
                                     gint64             *out_us,
                                     gboolean           *out_present,
                                     GError            **error);
gboolean     ps_csv_reader_bad_value (const PsCsvReader *csv,
                                     int                 index,
                                     GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsCsvReader, ps_csv_reader_free)

G_END_DECLS
