/* ps-row-pipe.h: CSV rows formatted on a thread of their own
 *
 * A run that writes requests.csv spends as long formatting its rows as
 * simulating them.  The simulator is one thread, so the machine's other
 * core can do the formatting (and the compression, with gzip): the
 * run's thread copies each row's fields as a fixed-size record into a
 * chunk, and a writer thread formats full chunks in order into a PsCsv.
 * The order of rows is the order of the records, so the file is the same
 * byte for byte as when it was written directly.  At most
 * PS_ROW_PIPE_CHUNKS chunks exist: a writer that falls behind makes the
 * run wait rather than memory grow.
 */
#pragma once

#include <glib.h>

#include "ps-csv.h"

G_BEGIN_DECLS

#define PS_ROW_PIPE_CHUNKS 4

typedef struct _PsRowPipe PsRowPipe;

typedef void (*PsRowFormatFunc) (PsCsv *csv, gconstpointer record);

PsRowPipe *ps_row_pipe_new    (PsCsv           *csv,
                               gsize            record_size,
                               PsRowFormatFunc  format,
                               gboolean         threaded);
gpointer   ps_row_pipe_next   (PsRowPipe       *pipe);
gboolean   ps_row_pipe_close  (PsRowPipe       *pipe,
                               GError         **error);
void       ps_row_pipe_free   (PsRowPipe       *pipe);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRowPipe, ps_row_pipe_free)

G_END_DECLS
