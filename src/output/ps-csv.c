/* ps-csv.c: buffered row writer
 *
 * Fields append to a 256 KB buffer, flushed with one fwrite when it fills;
 * a row never straddles a flush boundary mid-field because flushing only
 * happens between fields and rows.
 */
#include "ps-csv.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define BUF_SIZE (256 * 1024)
#define FIELD_MAX 128                    /* longest formatted number */

struct _PsCsv
{
  char    *path;
  FILE    *fp;                           /* or, compressed: */
  GOutputStream *gzip;
  GError  *gzip_error;                   /* its first error */
  char    *buf;
  gsize    len;
  gboolean at_row_start;
  int      error_errno;                  /* 0: no error so far */
};

/* Writes @n bytes of @data to the file, keeping the first error. */
static void
write_out (PsCsv *csv, const char *data, gsize n)
{
  if (n == 0 || csv->error_errno != 0)
    return;
  if (csv->gzip != NULL)
    {
      if (!g_output_stream_write_all (csv->gzip, data, n, NULL, NULL, &csv->gzip_error))
        csv->error_errno = EIO;
    }
  else if (fwrite (data, 1, n, csv->fp) != n)
    csv->error_errno = errno ? errno : EIO;
}

static void
flush (PsCsv *csv)
{
  write_out (csv, csv->buf, csv->len);
  csv->len = 0;
}

static void
reserve (PsCsv *csv, gsize n)
{
  if (csv->len + n > BUF_SIZE)
    flush (csv);
}

static void
put_raw (PsCsv *csv, const char *s, gsize n)
{
  if (n > BUF_SIZE / 2)
    {
      flush (csv);
      write_out (csv, s, n);
      return;
    }
  reserve (csv, n);
  memcpy (csv->buf + csv->len, s, n);
  csv->len += n;
}

static void
separator (PsCsv *csv)
{
  if (!csv->at_row_start)
    put_raw (csv, ",", 1);
  csv->at_row_start = FALSE;
}

/**
 * ps_csv_open:
 * @header: the first line, without the newline
 *
 * Creates (or truncates) @path.  Returns: (transfer full): the writer.
 */
PsCsv *
ps_csv_open (const char *path, const char *header, GError **error)
{
  FILE *fp = g_fopen (path, "wb");
  PsCsv *csv;

  if (fp == NULL)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot create %s: %s", path, g_strerror (saved));
      return NULL;
    }
  csv = g_new0 (PsCsv, 1);
  csv->path = g_strdup (path);
  csv->fp = fp;
  csv->buf = g_malloc (BUF_SIZE);
  csv->at_row_start = TRUE;
  put_raw (csv, header, strlen (header));
  put_raw (csv, "\n", 1);
  return csv;
}

/**
 * ps_csv_open_gzip:
 * @path: conventionally ending in .csv.gz
 *
 * ps_csv_open(), the file gzip-compressed as it is written (GIO's zlib
 * converter, level 1: requests.csv shrinks about threefold even so, at a fraction of
 * the default level's time).  gunzip, pandas, DuckDB and gnuplot (through
 * `< gunzip -c`) read it directly.
 */
PsCsv *
ps_csv_open_gzip (const char *path, const char *header, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GZlibCompressor) zlib = NULL;
  g_autoptr(GError) local_error = NULL;
  PsCsv *csv;

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &local_error);
  if (out == NULL)
    {
      g_set_error (error, G_IO_ERROR, local_error->code, "cannot create %s: %s", path,
                   local_error->message);
      return NULL;
    }
  zlib = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  csv = g_new0 (PsCsv, 1);
  csv->path = g_strdup (path);
  csv->gzip = g_converter_output_stream_new (G_OUTPUT_STREAM (out), G_CONVERTER (zlib));
  csv->buf = g_malloc (BUF_SIZE);
  csv->at_row_start = TRUE;
  put_raw (csv, header, strlen (header));
  put_raw (csv, "\n", 1);
  return csv;
}

/* Flushes and closes; reports the first error met while writing. */
gboolean
ps_csv_close (PsCsv *csv, GError **error)
{
  int err;

  flush (csv);
  if (csv->gzip != NULL)
    {
      if (!g_output_stream_close (csv->gzip, NULL,
                                  csv->error_errno == 0 ? &csv->gzip_error : NULL)
          && csv->error_errno == 0)
        csv->error_errno = EIO;
      g_clear_object (&csv->gzip);
    }
  else if (fclose (csv->fp) != 0 && csv->error_errno == 0)
    csv->error_errno = errno ? errno : EIO;
  csv->fp = NULL;
  err = csv->error_errno;
  if (err != 0 && csv->gzip_error != NULL)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write %s: %s", csv->path,
                 csv->gzip_error->message);
  else if (err != 0)
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                 "cannot write %s: %s", csv->path, g_strerror (err));
  return err == 0;
}

void
ps_csv_free (PsCsv *csv)
{
  if (csv == NULL)
    return;
  if (csv->fp != NULL)
    fclose (csv->fp);
  g_clear_object (&csv->gzip);
  g_clear_error (&csv->gzip_error);
  g_free (csv->buf);
  g_free (csv->path);
  g_free (csv);
}

/* Quotes the value only when it needs it (RFC 4180). */
void
ps_csv_str (PsCsv *csv, const char *value)
{
  separator (csv);
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      put_raw (csv, value, strlen (value));
      return;
    }
  put_raw (csv, "\"", 1);
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        put_raw (csv, "\"", 1);           /* a quote is written twice */
      put_raw (csv, p, 1);
    }
  put_raw (csv, "\"", 1);
}

static char *
format_u64 (char *end, guint64 v)
{
  char *p = end;

  do
    *--p = (char) ('0' + v % 10);
  while ((v /= 10) != 0);
  return p;
}

void
ps_csv_u64 (PsCsv *csv, guint64 value)
{
  char tmp[24];
  char *p = format_u64 (tmp + sizeof tmp, value);

  separator (csv);
  put_raw (csv, p, (gsize) (tmp + sizeof tmp - p));
}

void
ps_csv_i64 (PsCsv *csv, gint64 value)
{
  char tmp[24];
  guint64 mag = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;
  char *p = format_u64 (tmp + sizeof tmp, mag);

  if (value < 0)
    *--p = '-';
  separator (csv);
  put_raw (csv, p, (gsize) (tmp + sizeof tmp - p));
}

/* Seconds with exactly six decimals, from the integer (by hand: this is
 * the hottest formatting of a run that writes requests.csv). */
void
ps_csv_time (PsCsv *csv, PsTime value)
{
  char tmp[PS_TIME_STR_LEN + 2];
  char *end = tmp + sizeof tmp;
  char *p = end;
  guint64 mag = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;
  guint64 frac = mag % 1000000;

  for (int i = 0; i < 6; i++, frac /= 10)
    *--p = (char) ('0' + frac % 10);
  *--p = '.';
  p = format_u64 (p, mag / 1000000);
  if (value < 0)
    *--p = '-';
  separator (csv);
  put_raw (csv, p, (gsize) (end - p));
}

/* As ps_csv_time(), but an empty cell for -1 ("never happened"). */
void
ps_csv_time_or_empty (PsCsv *csv, PsTime value)
{
  if (value < 0)
    ps_csv_empty (csv);
  else
    ps_csv_time (csv, value);
}

/* Fixed decimals; an empty cell for NaN (no value). */
void
ps_csv_double (PsCsv *csv, double value, int decimals)
{
  char fmt[8];
  char tmp[FIELD_MAX];

  if (isnan (value))
    {
      ps_csv_empty (csv);
      return;
    }
  g_snprintf (fmt, sizeof fmt, "%%.%df", CLAMP (decimals, 0, 9));
  g_ascii_formatd (tmp, sizeof tmp, fmt, value);
  separator (csv);
  put_raw (csv, tmp, strlen (tmp));
}

/* A number to ten significant digits ("%.10g"), empty for NAN: for
 * values that are not times, whatever their scale. */
void
ps_csv_number (PsCsv *csv, double value)
{
  char tmp[FIELD_MAX];

  if (isnan (value))
    {
      ps_csv_empty (csv);
      return;
    }
  g_ascii_formatd (tmp, sizeof tmp, "%.10g", value == 0 ? 0.0 : value);
  separator (csv);
  put_raw (csv, tmp, strlen (tmp));
}

void
ps_csv_empty (PsCsv *csv)
{
  separator (csv);
}

void
ps_csv_end_row (PsCsv *csv)
{
  put_raw (csv, "\n", 1);
  csv->at_row_start = TRUE;
}
