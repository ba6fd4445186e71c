/* ps-csv-reader.c: a run's CSV files, read back line by line
 *
 * Times are parsed into integer microseconds straight from their text
 * (the files print six decimals), so that window boundaries are exact.
 */
#include "ps-csv-reader.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "ps-plot.h"
#include "ps-time.h"


void
ps_csv_reader_free (PsCsvReader *csv)
{
  if (csv == NULL)
    return;
  if (csv->file != NULL)
    fclose (csv->file);
  g_free (csv->name);
  free (csv->line);                     /* getline() allocates with malloc */
  g_ptr_array_unref (csv->fields);
  g_strfreev (csv->header);
  g_free (csv);
}


/* Splits csv->line in place into csv->fields. */
static void
split_line (PsCsvReader *csv)
{
  char *p = csv->line;

  g_ptr_array_set_size (csv->fields, 0);
  p[strcspn (p, "\r\n")] = '\0';
  for (;;)
    {
      char *field = p;

      if (*p == '"')                    /* quoted: unescape "" in place */
        {
          char *out = p;

          for (p++; *p != '\0'; p++)
            {
              if (*p == '"' && p[1] == '"')
                *out++ = *p++;
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                *out++ = *p;
            }
          p += strcspn (p, ",");        /* anything after the closing quote */
          *out = '\0';
        }
      else
        p += strcspn (p, ",");
      g_ptr_array_add (csv->fields, field);
      if (*p != ',')
        break;
      *p++ = '\0';
    }
}

/* Reads the next non-empty line; FALSE at the end of the file. */
static gboolean
read_line (PsCsvReader *csv)
{
  for (;;)
    {
      if (getline (&csv->line, &csv->line_size, csv->file) < 0)
        return FALSE;
      csv->line_no++;
      if (csv->line[strspn (csv->line, "\r\n")] != '\0')
        return TRUE;
    }
}

PsCsvReader *
ps_csv_reader_open (const char  *run_dir,
                 const char  *name,
                 GError     **error)
{
  g_autoptr(PsCsvReader) csv = g_new0 (PsCsvReader, 1);
  g_autofree char *path = g_build_filename (run_dir, name, NULL);

  csv->name = g_strdup (name);
  csv->fields = g_ptr_array_new ();
  csv->file = g_fopen (path, "re");
  if (csv->file == NULL)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "%s: %s", name, g_strerror (saved));
      return NULL;
    }
  if (!read_line (csv))
    {
      g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA,
                   "%s: empty file, no header row", name);
      return NULL;
    }
  split_line (csv);
  g_ptr_array_add (csv->fields, NULL);
  csv->header = g_strdupv ((char **) csv->fields->pdata);
  csv->n_columns = g_strv_length (csv->header);
  return g_steal_pointer (&csv);
}

/* The index of column @column in the header, or -1 with @error set. */
static int
csv_reader_column (const PsCsvReader  *csv,
                   const char       *column,
                   GError          **error)
{
  for (int i = 0; csv->header[i] != NULL; i++)
    if (strcmp (csv->header[i], column) == 0)
      return i;
  g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA,
               "%s: no column \"%s\" in the header", csv->name, column);
  return -1;
}

/* Looks up every name of @columns (NULL-terminated) into @out_index. */
gboolean
ps_csv_reader_columns (const PsCsvReader   *csv,
                    const char * const *columns,
                    int               *out_index,
                    GError           **error)
{
  for (int i = 0; columns[i] != NULL; i++)
    if ((out_index[i] = csv_reader_column (csv, columns[i], error)) < 0)
      return FALSE;
  return TRUE;
}

/* Advances to the next row.  FALSE at the end, or with @error set when a
 * row is shorter than the header. */
gboolean
ps_csv_reader_next (PsCsvReader  *csv,
                 GError    **error)
{
  if (!read_line (csv))
    {
      if (ferror (csv->file))
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO,
                     "%s: read error", csv->name);
      return FALSE;
    }
  split_line (csv);
  if (csv->fields->len < csv->n_columns)
    {
      g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA,
                   "%s:%" G_GUINT64_FORMAT ": %u fields, the header has %u",
                   csv->name, csv->line_no, csv->fields->len, csv->n_columns);
      return FALSE;
    }
  return TRUE;
}

const char *
ps_csv_reader_get (const PsCsvReader *csv,
                int              index)
{
  return g_ptr_array_index (csv->fields, index);
}

gboolean
ps_csv_reader_bad_value (const PsCsvReader  *csv,
           int               index,
           GError          **error)
{
  g_set_error (error, PS_PLOT_ERROR, PS_PLOT_ERROR_BAD_DATA,
               "%s:%" G_GUINT64_FORMAT ": %s: bad value \"%s\"",
               csv->name, csv->line_no, csv->header[index],
               ps_csv_reader_get (csv, index));
  return FALSE;
}

/* A non-negative integer field; an empty cell reads as 0. */
gboolean
ps_csv_reader_get_u64 (const PsCsvReader  *csv,
                    int               index,
                    guint64          *out_value,
                    GError          **error)
{
  const char *text = ps_csv_reader_get (csv, index);

  *out_value = 0;
  if (*text == '\0')
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, out_value, NULL))
    return ps_csv_reader_bad_value (csv, index, error);
  return TRUE;
}

/* A time in seconds ("12.345678") as microseconds, without passing through
 * a double.  *out_present is FALSE for an empty cell (it never happened). */
gboolean
ps_csv_reader_get_time (const PsCsvReader  *csv,
                     int               index,
                     gint64           *out_us,
                     gboolean         *out_present,
                     GError          **error)
{
  const char *p = ps_csv_reader_get (csv, index);
  gint64 whole = 0, frac = 0;
  int digits = 0;

  *out_us = 0;
  *out_present = (*p != '\0');
  if (!*out_present)
    return TRUE;
  if (!g_ascii_isdigit (*p))
    return ps_csv_reader_bad_value (csv, index, error);
  for (; g_ascii_isdigit (*p); p++)
    {
      if (whole > G_MAXINT64 / 10 / PS_USEC_PER_SEC)
        return ps_csv_reader_bad_value (csv, index, error);
      whole = whole * 10 + (*p - '0');
    }
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      if (digits++ < 6)
        frac = frac * 10 + (*p - '0');  /* past µs: truncated */
  if (*p != '\0')
    return ps_csv_reader_bad_value (csv, index, error);
  for (; digits < 6; digits++)
    frac *= 10;
  *out_us = whole * PS_USEC_PER_SEC + frac;
  return TRUE;
}
