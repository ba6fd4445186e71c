/* fuzz-common.h: what every fuzz entry point shares
 *
 * The entry points run under libFuzzer (clang, -Dfuzz=true) and under the
 * normal suite's regression driver (replay-main.c, any compiler), so they
 * rely on nothing from libFuzzer.  Invalid input is the expected path:
 * an entry point returns 0 for it, and never prints, leaks or aborts.
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

int         LLVMFuzzerTestOneInput  (const uint8_t *data,
                                     size_t         size);

void        ps_fuzz_init            (void);
const char *ps_fuzz_write_temp      (const char    *name,
                                     const uint8_t *data,
                                     size_t         size);
char       *ps_fuzz_strndup         (const uint8_t *data,
                                     size_t         size);

G_END_DECLS
