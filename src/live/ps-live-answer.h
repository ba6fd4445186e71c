/* ps-live-answer.h: what a load client reads from one HTTP answer
 *
 * The status, Retry-After, the binding policy's RateLimit figures, and,
 * from a poolsim server's 200 body, how long the request queued and was
 * served and how busy the pool was.  Pure parsing: no clock, no client.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  guint     status;                     /* 0: no answer (a transport error) */
  gint64    retry_after_s;              /* 0: absent, or an HTTP-date */
  gboolean  has_ratelimit;              /* the RateLimit header: */
  char     *policy;                     /* ... the binding policy's name, */
  guint32   remaining;                  /* ... its r */
  gint64    reset_s;                    /* ... and its t */
  gboolean  has_service;                /* the 200 body of a poolsim server: */
  double    queued_ms;
  double    service_ms;
  double    pool_busy;                  /* 0 when not said */
} PsLiveAnswer;

void  ps_live_answer_read   (PsLiveAnswer *answer,
                             SoupMessage  *msg,
                             GBytes       *body);
void  ps_live_answer_clear  (PsLiveAnswer *answer);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PsLiveAnswer, ps_live_answer_clear)

G_END_DECLS
