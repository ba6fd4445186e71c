/* ps-run-writer.h: a run directory, written as the run goes
 *
 * Implements the PsRecordSink of a run: requests.csv, attempts.csv,
 * timeseries.csv and clients.csv stream row by row; summary.json is
 * written at the end.  Memory does not grow with the rows written.
 */
#pragma once

#include <glib.h>

#include "ps-record.h"

G_BEGIN_DECLS

#define PS_OUTPUT_ERROR (ps_output_error_quark ())

typedef enum
{
  PS_OUTPUT_ERROR_NO_SUMMARY,     /* the run ended without a summary */
} PsOutputError;

/* The longest client name a row keeps (the drivers' names are shorter). */
#define PS_RUN_WRITER_NAME_MAX 96

/* Which optional files a run directory has. */
typedef enum
{
  PS_RUN_WRITER_REQUESTS = 1 << 0,  /* requests.csv */
  PS_RUN_WRITER_ATTEMPTS = 1 << 1,  /* attempts.csv */
  PS_RUN_WRITER_GZIP     = 1 << 2,  /* ... both as .csv.gz */
  PS_RUN_WRITER_INLINE   = 1 << 3,  /* rows formatted by the caller's thread, for a
                                     * driver whose threads keep a real-time schedule */
} PsRunWriterFiles;

/* The flags of a scenario's output.requests, .attempts, .compress. */
static inline PsRunWriterFiles
ps_run_writer_files (gboolean requests, gboolean attempts, gboolean gzip)
{
  return (PsRunWriterFiles) ((requests ? PS_RUN_WRITER_REQUESTS : 0)
                             | (attempts ? PS_RUN_WRITER_ATTEMPTS : 0)
                             | (gzip ? PS_RUN_WRITER_GZIP : 0));
}

typedef struct _PsRunWriter PsRunWriter;

GQuark        ps_output_error_quark    (void);

PsRunWriter  *ps_run_writer_new        (const char    *dir,
                                        PsRunWriterFiles files,
                                        GError       **error);
gboolean      ps_run_writer_track_stability (PsRunWriter *writer,
                                             PsTime       fault_start,
                                             PsTime       fault_end,
                                             PsTime       bin,
                                             GError     **error);
void          ps_run_writer_free       (PsRunWriter   *writer);
void          ps_run_writer_set_provenance (PsRunWriter *writer,
                                        const char    *command,
                                        const char    *scenario_json);
void          ps_run_writer_get_sink   (PsRunWriter   *writer,
                                        PsRecordSink  *out_sink);
gboolean      ps_run_writer_finish     (PsRunWriter   *writer,
                                        GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRunWriter, ps_run_writer_free)

G_END_DECLS
