/* ps-ipv4.c: strict dotted-quad and CIDR parsing
 *
 * Strict on purpose: "127.1" or "010.0.0.1" are accepted by inet_aton with
 * surprising meanings, so we accept exactly four decimal octets.
 */
#include "ps-ipv4.h"

#include <stdlib.h>
#include <string.h>

static const char *
parse_octet (const char *p, guint *out)
{
  guint v = 0;
  int digits = 0;

  while (*p >= '0' && *p <= '9' && digits < 4)
    {
      v = v * 10 + (guint) (*p - '0');
      p++;
      digits++;
    }
  if (digits == 0 || digits > 3 || v > 255)
    return NULL;
  *out = v;
  return p;
}

gboolean
ps_ipv4_parse (const char *text, guint32 *out_addr)
{
  guint32 addr = 0;
  const char *p = text;

  g_return_val_if_fail (text != NULL, FALSE);

  for (int i = 0; i < 4; i++)
    {
      guint octet;

      if (i > 0 && *p++ != '.')
        return FALSE;
      if ((p = parse_octet (p, &octet)) == NULL)
        return FALSE;
      addr = (addr << 8) | octet;
    }
  if (*p != '\0')
    return FALSE;
  if (out_addr)
    *out_addr = addr;
  return TRUE;
}

const char *
ps_ipv4_format (guint32 addr, char buf[PS_IPV4_STR_LEN])
{
  /* by hand, not g_snprintf(): requests.csv has an address on every row */
  char *p = buf;

  for (int shift = 24; shift >= 0; shift -= 8)
    {
      guint octet = (addr >> shift) & 255;

      if (octet >= 100)
        *p++ = (char) ('0' + octet / 100);
      if (octet >= 10)
        *p++ = (char) ('0' + octet / 10 % 10);
      *p++ = (char) ('0' + octet % 10);
      *p++ = shift > 0 ? '.' : '\0';
    }
  return buf;
}

/* "A.B.C.D/N" or a bare "A.B.C.D" (= /32).  Host bits must be zero. */
gboolean
ps_cidr_parse (const char *text, PsCidr *out_cidr)
{
  g_autofree char *copy = g_strdup (text);
  char *slash = strchr (copy, '/');
  guint prefix = 32;
  guint32 addr;
  guint32 mask;

  if (slash != NULL)
    {
      char *end;
      unsigned long n;

      *slash = '\0';
      if (slash[1] < '0' || slash[1] > '9')
        return FALSE;
      n = strtoul (slash + 1, &end, 10);
      if (*end != '\0' || n > 32)
        return FALSE;
      prefix = (guint) n;
    }
  if (!ps_ipv4_parse (copy, &addr))
    return FALSE;
  mask = prefix == 0 ? 0 : ~(guint32) 0 << (32 - prefix);
  if ((addr & ~mask) != 0)
    return FALSE;
  if (out_cidr)
    {
      out_cidr->base = addr;
      out_cidr->prefix = prefix;
    }
  return TRUE;
}

gboolean
ps_cidr_contains (const PsCidr *cidr, guint32 addr)
{
  guint32 mask = cidr->prefix == 0 ? 0 : ~(guint32) 0 << (32 - cidr->prefix);

  return (addr & mask) == cidr->base;
}

guint64
ps_cidr_size (const PsCidr *cidr)
{
  return G_GUINT64_CONSTANT (1) << (32 - cidr->prefix);
}

/* Hosts a block offers clients: its network and broadcast addresses are
 * skipped, except in /31 and /32 where every address is a host. */
guint64
ps_cidr_usable (const PsCidr *cidr)
{
  guint64 size = ps_cidr_size (cidr);

  return cidr->prefix >= 31 ? size : size - 2;
}

/* The @index-th usable host of @cidr, counting from 0. */
guint32
ps_cidr_host (const PsCidr *cidr, guint64 index)
{
  g_return_val_if_fail (index < ps_cidr_usable (cidr), cidr->base);
  return cidr->base + (guint32) index + (cidr->prefix >= 31 ? 0 : 1);
}

gboolean
ps_cidr_overlap (const PsCidr *a, const PsCidr *b)
{
  return ps_cidr_contains (a, b->base) || ps_cidr_contains (b, a->base);
}
