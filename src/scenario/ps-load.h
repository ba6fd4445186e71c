/* ps-load.h: one scenario load in progress, and how it reports
 *
 * PsLoad holds the parsed tree with its positions, the origins of --set
 * values and the warnings so far.  Every failure goes through
 * ps_load_fail(), which writes "FILE:LINE:COL: key.path: what (expected
 * …)".  The files a scenario names (traces, logs) are read through here
 * too.  Not for other layers; not thread-safe (one load per thread).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ps-json-positions.h"
#include "ps-scenario.h"

G_BEGIN_DECLS

typedef struct
{
  char            *file;           /* as given, or "<data>" */
  JsonParser      *parser;         /* owns the document tree */
  PsJsonPositions *positions;      /* of the document */
  GHashTable      *origins;        /* JsonNode * -> "--set a.b=v" */
  GPtrArray       *keep;           /* JsonNode refs: defaults, replaced values */
  GPtrArray       *warnings;       /* char * */
  GPtrArray       *override_sites; /* where each override's group/cidr is */
  char            *base_dir;       /* relative data files are found here */
} PsLoad;

PsLoad    *ps_load_new              (const char    *file);
void       ps_load_free             (PsLoad        *load);
char      *ps_load_where            (PsLoad        *load,
                                     JsonNode      *node);
gboolean   ps_load_fail             (PsLoad          *load,
                                     GError         **error,
                                     PsScenarioError  code,
                                     JsonNode        *node,
                                     const char      *path,
                                     const char      *format,
                                     ...) G_GNUC_PRINTF (6, 7);
gboolean   ps_load_fail_origin      (PsLoad          *load,
                                     GError         **error,
                                     PsScenarioError  code,
                                     const char      *origin,
                                     const char      *path,
                                     const char      *format,
                                     ...) G_GNUC_PRINTF (6, 7);
void       ps_load_warn             (PsLoad        *load,
                                     JsonNode      *node,
                                     const char    *path,
                                     const char    *format,
                                     ...) G_GNUC_PRINTF (4, 5);
JsonNode  *ps_load_parse_fragment   (const char    *text,
                                     guint64        max_values,
                                     char         **out_duplicate);
JsonNode  *ps_load_keep             (PsLoad        *load,
                                     JsonNode      *node);
char      *ps_load_child_path       (const char    *parent,
                                     const char    *key);
char      *ps_load_names_list       (const char *const *names);

gboolean   ps_load_read_file        (const char    *path,
                                     char         **out_data,
                                     gsize         *out_length,
                                     int           *out_errno);

gsize      ps_load_max_input        (void);
guint64    ps_load_max_json_values  (void);
char      *ps_load_read_error       (int            saved_errno);
char      *ps_load_data_path        (PsLoad        *load,
                                     const char    *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsLoad, ps_load_free)

G_END_DECLS
