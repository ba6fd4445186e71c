/* ps-large-array.c: zeroed arrays, large ones advised to huge pages */
#include "ps-large-array.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE (2u << 20)

/**
 * ps_large_array_new0:
 *
 * Returns: (transfer full): @n zeroed elements; free with
 *   ps_large_array_free()
 */
gpointer
ps_large_array_new0 (gsize n, gsize element_size)
{
  gsize size;
  gpointer p = NULL;

  if (n == 0 || element_size == 0 || !g_size_checked_mul (&size, n, element_size))
    return n == 0 || element_size == 0 ? g_malloc0 (1) : g_malloc0_n (n, element_size);
  if (size < HUGE_PAGE)
    return g_malloc0 (size);
  size = (size + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
  if (posix_memalign (&p, HUGE_PAGE, size) != 0)
    g_error ("out of memory: %" G_GSIZE_FORMAT " bytes", size);
#ifdef MADV_HUGEPAGE
  madvise (p, size, MADV_HUGEPAGE);       /* before the first touch */
#endif
  memset (p, 0, size);
  return p;
}

void
ps_large_array_free (gpointer array)
{
  free (array);                           /* posix_memalign's, or g_malloc's */
}
