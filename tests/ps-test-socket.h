/* ps-test-socket.h: plain loopback sockets for the live server's tests */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int       ps_test_connect    (guint        port);
gboolean  ps_test_send_all   (int          fd,
                              const char  *data,
                              gsize        length);
guint     ps_test_count_fds  (void);
guint64   ps_test_rss_kb     (void);

G_END_DECLS
