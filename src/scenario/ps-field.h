/* ps-field.h: one value of a scenario being read, checked against the schema
 *
 * PsField is the node (from the file, a --set, or the schema default),
 * its schema entry and its key path; the ps_field_*() readers check type
 * and range and fail through ps_load_fail().
 */
#pragma once

#include "ps-load.h"
#include "ps-scenario-schema.h"

G_BEGIN_DECLS

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

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PsField, ps_field_clear)

G_END_DECLS
