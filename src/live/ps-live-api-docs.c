/* ps-live-api-docs.c: the OpenAPI document and the /docs page made from it
 *
 * The document is compiled in as a GResource; /docs renders its
 * operations and schemas as one self-contained HTML page.
 */
#include "ps-live-api.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "ps-live-resources.h"

#define OPENAPI_PATH "/org/poolsim/live/openapi.json"

/* Returns: (transfer full): the OpenAPI 3.1 document, as compiled in. */
GBytes *
ps_live_openapi_bytes (void)
{
  GBytes *bytes = g_resource_lookup_data (ps_live_get_resource (), OPENAPI_PATH,
                                          G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  g_assert (bytes != NULL);             /* compiled in: cannot be missing */
  return bytes;
}

static void
append_html (GString *out, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  g_string_append (out, escaped);
}

static const char *
member_string (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static JsonObject *
member_object (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* A schema as one line of text: its $ref name, or its type and members. */
static void
append_schema (GString *out, JsonObject *schema)
{
  const char *ref = member_string (schema, "$ref");
  JsonObject *props = member_object (schema, "properties");

  if (ref != NULL)
    {
      const char *slash = strrchr (ref, '/');

      g_string_append (out, "<a href=\"#schema-");
      append_html (out, slash ? slash + 1 : ref);
      g_string_append (out, "\">");
      append_html (out, slash ? slash + 1 : ref);
      g_string_append (out, "</a>");
      return;
    }
  append_html (out, member_string (schema, "type"));
  if (props != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (props);

      g_string_append (out, " {");
      for (GList *l = names; l != NULL; l = l->next)
        {
          g_string_append (out, l == names ? " " : ", ");
          g_string_append (out, "<code>");
          append_html (out, l->data);
          g_string_append (out, "</code>");
        }
      g_string_append (out, " }");
    }
}

static void
append_operation (GString *out, const char *path, const char *method, JsonObject *op)
{
  JsonObject *responses = member_object (op, "responses");
  JsonObject *body = member_object (member_object (member_object (member_object (
                       op, "requestBody"), "content"), "application/json"), "schema");
  g_autoptr(GList) codes = responses ? json_object_get_members (responses) : NULL;
  g_autofree char *upper = g_ascii_strup (method, -1);

  g_string_append (out, "<section class=\"op\"><h3><span class=\"method\">");
  append_html (out, upper);
  g_string_append (out, "</span> <code>");
  append_html (out, path);
  g_string_append (out, "</code></h3>\n<p><b>");
  append_html (out, member_string (op, "summary"));
  g_string_append (out, "</b></p>\n<p>");
  append_html (out, member_string (op, "description"));
  g_string_append (out, "</p>\n");
  if (body != NULL)
    {
      g_string_append (out, "<p>Request body (application/json): ");
      append_schema (out, body);
      g_string_append (out, "</p>\n");
    }
  g_string_append (out, "<table><tr><th>Status</th><th>Meaning</th></tr>\n");
  for (GList *l = codes; l != NULL; l = l->next)
    {
      JsonObject *resp = member_object (responses, l->data);

      g_string_append (out, "<tr><td>");
      append_html (out, l->data);
      g_string_append (out, "</td><td>");
      append_html (out, member_string (resp, "description"));
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "</table></section>\n");
}

static void
append_schemas (GString *out, JsonObject *schemas)
{
  g_autoptr(GList) names = schemas ? json_object_get_members (schemas) : NULL;

  g_string_append (out, "<h2>Schemas</h2>\n");
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *schema = member_object (schemas, l->data);
      JsonObject *props = member_object (schema, "properties");
      g_autoptr(GList) fields = props ? json_object_get_members (props) : NULL;

      g_string_append (out, "<section class=\"schema\" id=\"schema-");
      append_html (out, l->data);
      g_string_append (out, "\"><h3>");
      append_html (out, l->data);
      g_string_append (out, "</h3>\n<p>");
      append_html (out, member_string (schema, "description"));
      g_string_append (out, "</p>\n<table><tr><th>Field</th><th>Type</th><th>Meaning</th></tr>\n");
      for (GList *f = fields; f != NULL; f = f->next)
        {
          JsonObject *field = member_object (props, f->data);

          g_string_append (out, "<tr><td><code>");
          append_html (out, f->data);
          g_string_append (out, "</code></td><td>");
          append_schema (out, field);
          g_string_append (out, "</td><td>");
          append_html (out, member_string (field, "description"));
          g_string_append (out, "</td></tr>\n");
        }
      g_string_append (out, "</table></section>\n");
    }
}

/**
 * ps_live_docs_html:
 *
 * A self-contained HTML page (inline CSS, no scripts, no fonts to fetch)
 * listing every operation of the OpenAPI document, then its schemas.
 *
 * Returns: (transfer full): the page, or NULL if the document is broken.
 */
char *
ps_live_docs_html (GError **error)
{
  g_autoptr(GBytes) bytes = ps_live_openapi_bytes ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  JsonObject *doc, *info, *paths;
  g_autoptr(GList) path_names = NULL;
  GString *out;

  if (!json_parser_load_from_data (parser, data, (gssize) size, error))
    return NULL;
  doc = json_node_get_object (json_parser_get_root (parser));
  info = member_object (doc, "info");
  paths = member_object (doc, "paths");
  path_names = paths ? json_object_get_members (paths) : NULL;

  out = g_string_new ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>");
  append_html (out, member_string (info, "title"));
  g_string_append (out, "</title>\n<style>\n"
                   "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;"
                   "line-height:1.4;color:#222}\n"
                   "code{background:#f3f3f3;padding:0 .2em}\n"
                   ".op,.schema{border-top:1px solid #ccc;padding-top:.5em}\n"
                   ".method{display:inline-block;min-width:4em;color:#fff;background:#2a6;"
                   "padding:0 .4em;border-radius:3px}\n"
                   "table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;"
                   "text-align:left;vertical-align:top}\n"
                   "</style></head><body>\n<h1>");
  append_html (out, member_string (info, "title"));
  g_string_append (out, " <small>");
  append_html (out, member_string (info, "version"));
  g_string_append (out, "</small></h1>\n<p>");
  append_html (out, member_string (info, "description"));
  g_string_append (out, "</p>\n<p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a> "
                   "(OpenAPI ");
  append_html (out, member_string (doc, "openapi"));
  g_string_append (out, ").</p>\n<h2>Operations</h2>\n");
  for (GList *l = path_names; l != NULL; l = l->next)
    {
      JsonObject *item = member_object (paths, l->data);
      g_autoptr(GList) methods = item ? json_object_get_members (item) : NULL;

      for (GList *m = methods; m != NULL; m = m->next)
        if (member_object (item, m->data) != NULL)
          append_operation (out, l->data, m->data, member_object (item, m->data));
    }
  append_schemas (out, member_object (member_object (doc, "components"), "schemas"));
  g_string_append (out, "</body></html>\n");
  return g_string_free (out, FALSE);
}
