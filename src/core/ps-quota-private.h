/* ps-quota-private.h: the table each quota algorithm fills in
 *
 * For ps-quota.c and the ps-quota-<algorithm>.c files only.  An algorithm
 * keeps its per-(subject, policy) state in one PsQuotaCell, initialised to
 * zero; an algorithm that needs more (a log of timestamps) hangs it off
 * @ext and frees it in @clear.
 */
#pragma once

#include "ps-quota.h"

G_BEGIN_DECLS

typedef struct
{
  gint64   a;
  gint64   b;
  gpointer ext;
} PsQuotaCell;

typedef struct
{
  const char *name;
  /* Fills @out for one more request at @now; must not change @cell. */
  void (*evaluate) (const PsQuotaCell   *cell,
                    const PsQuotaPolicy *policy,
                    PsTime               now,
                    PsQuotaResult       *out);
  /* Records one admission at @now; only called after evaluate allowed it. */
  void (*charge)   (PsQuotaCell         *cell,
                    const PsQuotaPolicy *policy,
                    PsTime               now);
  /* Frees @cell->ext; NULL when the algorithm has none. */
  void (*clear)    (PsQuotaCell         *cell);
} PsQuotaClass;

extern const PsQuotaClass ps_quota_fixed_window_class;
extern const PsQuotaClass ps_quota_sliding_log_class;
extern const PsQuotaClass ps_quota_sliding_window_class;
extern const PsQuotaClass ps_quota_token_bucket_class;
extern const PsQuotaClass ps_quota_gcra_class;

G_END_DECLS
