/* ps-ratelimit-headers.h: HTTP header values for a quota decision
 *
 * What a live server sends with a response: RateLimit-Policy (the
 * subject's policies), RateLimit (the binding policy's remaining quota and
 * reset) and, on a refusal, Retry-After, in the form of the IETF httpapi
 * draft "RateLimit header fields for HTTP" (draft-ietf-httpapi-ratelimit-
 * headers-10), whose values are HTTP Structured Field lists.  The simulator
 * uses the same strings, so self-throttling clients read identical input in
 * both modes.  Pure functions over their arguments: no I/O, thread-safe.
 */
#pragma once

#include <glib.h>

#include "ps-quota.h"

G_BEGIN_DECLS

char *ps_ratelimit_policy_header      (const PsQuotaPolicy   *policies,
                                       guint                  n_policies);
char *ps_ratelimit_header             (const PsQuotaDecision *decision,
                                       const PsQuotaPolicy   *policies);
char *ps_ratelimit_retry_after_header (const PsQuotaDecision *decision);

G_END_DECLS
