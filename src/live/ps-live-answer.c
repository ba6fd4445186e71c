/* ps-live-answer.c: one HTTP answer, read into what the model needs
 *
 * The body is read with json-glib: a poolsim server's 200 says
 * {"queued_ms":…, "service_ms":…, "pool_busy":…}; any other body (not
 * our server) just leaves has_service FALSE.
 */
#include "ps-live-answer.h"

#include <string.h>

#include <json-glib/json-glib.h>

/* The member @key of @object as a number; FALSE if absent or not one. */
static gboolean
json_number (JsonObject *object, const char *key, double *out)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_INT64
          && json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return FALSE;
  *out = json_node_get_double (node);
  return TRUE;
}

static void
read_service (PsLiveAnswer *a, GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *object;

  if (body == NULL
      || !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                      (gssize) g_bytes_get_size (body), NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  object = json_node_get_object (json_parser_get_root (parser));
  a->has_service = json_number (object, "queued_ms", &a->queued_ms)
                   && json_number (object, "service_ms", &a->service_ms);
  if (!json_number (object, "pool_busy", &a->pool_busy))
    a->pool_busy = 0;
}

/* The RateLimit header `"name";r=R;t=T`: the binding policy's name (an
 * sf-string), and its remaining and reset. */
static void
read_ratelimit (PsLiveAnswer *a, SoupMessageHeaders *headers)
{
  const char *h = soup_message_headers_get_one (headers, "RateLimit");
  const char *r, *tt;
  GString *name;

  if (h == NULL || (h = strchr (h, '"')) == NULL)
    return;
  name = g_string_new (NULL);
  for (h++; *h != '\0' && *h != '"'; h++)
    {
      if (*h == '\\' && h[1] != '\0')
        h++;
      g_string_append_c (name, *h);
    }
  a->policy = g_string_free (name, FALSE);
  r = strstr (h, ";r=");
  tt = strstr (h, ";t=");
  a->remaining = r ? (guint32) g_ascii_strtoull (r + 3, NULL, 10) : 0;
  a->reset_s = tt ? g_ascii_strtoll (tt + 3, NULL, 10) : 0;
  a->has_ratelimit = r != NULL && tt != NULL;
}

static gint64
read_retry_after (SoupMessageHeaders *headers)
{
  const char *h = soup_message_headers_get_one (headers, "Retry-After");
  guint64 s;

  if (h == NULL || !g_ascii_string_to_unsigned (h, 10, 0, G_MAXINT32, &s, NULL))
    return 0;                           /* absent or an HTTP-date: the client's default */
  return (gint64) s;
}

/**
 * ps_live_answer_read:
 * @msg: (nullable): the exchange, NULL when it failed without an answer
 * @body: (nullable): the answer's body
 */
void
ps_live_answer_read (PsLiveAnswer *a, SoupMessage *msg, GBytes *body)
{
  SoupMessageHeaders *headers;

  *a = (PsLiveAnswer) { 0 };
  if (msg == NULL)
    return;
  headers = soup_message_get_response_headers (msg);
  a->status = soup_message_get_status (msg);
  a->retry_after_s = read_retry_after (headers);
  read_ratelimit (a, headers);
  if (a->status == 200)
    read_service (a, body);
}

void
ps_live_answer_clear (PsLiveAnswer *a)
{
  g_clear_pointer (&a->policy, g_free);
}
