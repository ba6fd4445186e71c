/* ps-scenario-private.h: what the scenario loader's files share
 *
 * PsLoad is one load in progress: the parsed tree with its positions, the
 * origins of --set values, and the warnings so far.  PsField is one value
 * being read: the node (from the file, a --set, or the schema default),
 * its schema entry and its key path.  Every failure goes through
 * ps_load_fail(), which writes "FILE:LINE:COL: key.path: what (expected …)".
 * Not for other layers; not thread-safe (one load per thread).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ps-json-positions.h"
#include "ps-scenario.h"
#include "ps-scenario-schema.h"

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

typedef struct
{
  const PsSchemaKey *key;
  JsonNode          *node;         /* (nullable): absent optional key */
  JsonNode          *parent;       /* the enclosing object or array */
  char              *path;         /* "clients[0].count" */
  gboolean           defaulted;    /* node is the schema default */
} PsField;

typedef gboolean (*PsEnumLookupFunc) (const char *name,
                                      guint      *out_value);

/* ps-scenario-report.c */
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
                                     char         **out_duplicate);
JsonNode  *ps_load_keep             (PsLoad        *load,
                                     JsonNode      *node);
char      *ps_load_child_path       (const char    *parent,
                                     const char    *key);
char      *ps_load_names_list       (const char *const *names);

/* ps-scenario-field.c */
void       ps_field_clear           (PsField       *field);
gboolean   ps_field_member          (PsLoad        *load,
                                     JsonNode      *object,
                                     const char    *object_path,
                                     const PsSchemaKey *key,
                                     PsField       *out,
                                     GError       **error);
gboolean   ps_field_get             (PsLoad        *load,
                                     JsonNode      *object,
                                     const char    *object_path,
                                     const PsSchemaKey *key,
                                     PsField       *out,
                                     GError       **error);
void       ps_field_element         (const PsField *array,
                                     guint          index,
                                     PsField       *out);
const char *ps_field_json_kind      (JsonNode      *node);
gboolean   ps_field_type_error      (PsLoad        *load,
                                     const PsField *field,
                                     GError       **error);
gboolean   ps_field_object          (PsLoad        *load,
                                     const PsField *field,
                                     GError       **error);
gboolean   ps_field_variant_members (PsLoad        *load,
                                     const PsField *field,
                                     guint          variant,
                                     GError       **error);
gboolean   ps_field_array           (PsLoad        *load,
                                     const PsField *field,
                                     guint         *out_length,
                                     GError       **error);
gboolean   ps_field_int             (PsLoad        *load,
                                     const PsField *field,
                                     gint64        *out,
                                     GError       **error);
gboolean   ps_field_uint            (PsLoad        *load,
                                     const PsField *field,
                                     guint         *out,
                                     GError       **error);
gboolean   ps_field_number          (PsLoad        *load,
                                     const PsField *field,
                                     double        *out,
                                     GError       **error);
gboolean   ps_field_bool            (PsLoad        *load,
                                     const PsField *field,
                                     gboolean      *out,
                                     GError       **error);
gboolean   ps_field_string          (PsLoad        *load,
                                     const PsField *field,
                                     const char   **out,
                                     GError       **error);
gboolean   ps_field_duration        (PsLoad        *load,
                                     const PsField *field,
                                     PsTime        *out,
                                     GError       **error);
gboolean   ps_field_cidr            (PsLoad        *load,
                                     const PsField *field,
                                     PsCidr        *out,
                                     GError       **error);
gboolean   ps_field_enum            (PsLoad        *load,
                                     const PsField *field,
                                     const char    *what,
                                     PsEnumLookupFunc lookup,
                                     const char *const *names,
                                     guint         *out,
                                     GError       **error);
gboolean   ps_field_name            (PsLoad        *load,
                                     const PsField *field,
                                     const char    *extra_chars,
                                     gsize          max_length,
                                     const char   **out,
                                     GError       **error);
gboolean   ps_field_selector        (PsLoad        *load,
                                     const PsField *object,
                                     const char    *what,
                                     PsEnumLookupFunc lookup,
                                     const char *const *names,
                                     guint         *out,
                                     GError       **error);
gboolean   ps_field_get_duration    (PsLoad        *load,
                                     const PsField *object,
                                     const PsSchemaKey *key,
                                     PsTime        *out,
                                     GError       **error);

/* ps-scenario-dist.c */
gboolean   ps_load_dist             (PsLoad        *load,
                                     const PsField *field,
                                     PsDist        *out,
                                     GError       **error);

/* ps-scenario-arrival.c */
gboolean   ps_load_arrival          (PsLoad        *load,
                                     const PsField *field,
                                     const PsScenario *scenario,
                                     PsArrivalSpec *out,
                                     guint32      **out_addresses,
                                     GError       **error);

/* ps-scenario-replay.c */
typedef enum
{
  PS_LOG_COMBINED,                 /* NCSA combined: common + referer, agent */
  PS_LOG_COMMON,                   /* NCSA common */
} PsLogFormat;

typedef struct
{
  PsLogFormat format;
  double      speed;               /* > 0: time is divided by it */
  gboolean    strict;              /* a malformed line is an error */
} PsLogOptions;

char      *ps_load_data_path        (PsLoad        *load,
                                     const char    *file);
gboolean   ps_load_trace            (PsLoad        *load,
                                     const PsField *file,
                                     const PsScenario *scenario,
                                     PsReplay     **out,
                                     GError       **error);
gboolean   ps_load_access_log       (PsLoad        *load,
                                     const PsField *file,
                                     const PsLogOptions *options,
                                     const PsScenario *scenario,
                                     PsReplay     **out,
                                     guint32      **out_addresses,
                                     GError       **error);
const char *ps_log_format_to_string (PsLogFormat    format);
gboolean   ps_log_format_from_string (const char   *name,
                                     guint         *out);

/* ps-scenario-quota.c */
gboolean   ps_load_policies         (PsLoad        *load,
                                     const PsField *field,
                                     const PsQuotaPolicy *base,
                                     guint          n_base,
                                     guint          base_named,
                                     PsQuotaPolicy *out,
                                     guint         *out_n,
                                     guint         *out_named,
                                     GError       **error);
gboolean   ps_load_overrides        (PsLoad        *load,
                                     const PsField *field,
                                     guint          quota_named,
                                     PsScenario    *scenario,
                                     GError       **error);
void       ps_load_check_overrides  (PsLoad        *load,
                                     const PsScenario *scenario);

/* ps-scenario-clients.c */
gboolean   ps_load_clients          (PsLoad        *load,
                                     const PsField *field,
                                     PsScenario    *scenario,
                                     GError       **error);

/* ps-scenario-set.c */
GPtrArray *ps_load_sets_parse       (PsLoad        *load,
                                     const char *const *sets,
                                     GError       **error);
gboolean   ps_load_sets_apply       (PsLoad        *load,
                                     GPtrArray     *sets,
                                     GError       **error);

/* ps-scenario.c */
gboolean   ps_load_read_file        (const char    *path,
                                     char         **out_data,
                                     gsize         *out_length,
                                     int           *out_errno);

/* ps-scenario-load.c */
PsScenario *ps_load_scenario        (PsLoad        *load,
                                     GPtrArray     *sets,
                                     const char    *file,
                                     const char    *data,
                                     gsize          length,
                                     GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsLoad, ps_load_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PsField, ps_field_clear)

G_END_DECLS
