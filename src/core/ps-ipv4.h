/* ps-ipv4.h: IPv4 addresses and CIDR blocks as host-order integers
 *
 * Pure parsing and formatting; no sockets.  Clients are keyed by address,
 * and client address blocks default to 127.0.0.0/8 so that live mode can
 * bind every client to its own loopback source address.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PS_IPV4_STR_LEN 16

typedef struct
{
  guint32 base;      /* network address, host bits cleared */
  guint   prefix;    /* 0..32 */
} PsCidr;

gboolean     ps_ipv4_parse          (const char *text,
                                     guint32    *out_addr);
const char  *ps_ipv4_format         (guint32     addr,
                                     char        buf[PS_IPV4_STR_LEN]);
gboolean     ps_cidr_parse          (const char *text,
                                     PsCidr     *out_cidr);
gboolean     ps_cidr_contains       (const PsCidr *cidr,
                                     guint32       addr);
guint64      ps_cidr_size           (const PsCidr *cidr);
guint64      ps_cidr_usable         (const PsCidr *cidr);
guint32      ps_cidr_host           (const PsCidr *cidr,
                                     guint64       index);
gboolean     ps_cidr_overlap        (const PsCidr *a,
                                     const PsCidr *b);

G_END_DECLS
