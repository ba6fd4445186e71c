/* ps-large-array.h: arrays of a large population, on huge pages
 *
 * A million clients are half a gigabyte touched in random order: with
 * 4 KB pages, setting them up is mostly page faults (a million-client
 * set-up took 1.1 s, 0.4 s on 2 MB pages) and the run pays a TLB miss on
 * most client it touches.  Arrays over 2 MB are allocated aligned and
 * advised to transparent huge pages where the kernel offers them
 * (madvise mode); elsewhere this is a plain zeroed allocation.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gpointer  ps_large_array_new0   (gsize     n,
                                 gsize     element_size);
void      ps_large_array_free   (gpointer  array);

G_END_DECLS
