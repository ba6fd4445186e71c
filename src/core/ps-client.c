/* ps-client.c: the client's decisions
 *
 * Invariants: @queued counts the entries of @queue whose request is still
 * QUEUED with the same id (others are stale and skipped when popped);
 * @outstanding counts SENT requests; a request is in exactly one place.
 */
#include "ps-client.h"

#include <string.h>

void
ps_client_init (PsClient *client, guint32 id, const PsClientPolicy *policy,
                guint64 seed, guint64 stream)
{
  *client = (PsClient) { .id = id, .policy = policy, .known_remaining = G_MAXUINT32 };
  ps_rng_init (&client->traffic, seed, stream);
  ps_rng_init (&client->behaviour, seed, stream ^ G_GUINT64_CONSTANT (0x5bd1e9955bd1e995));
  client->next_checked = policy->throttle.enabled || policy->budget.kind == PS_BUDGET_RATIO;
  client->retries_limited = policy->max_attempts != 0 || policy->budget.kind != PS_BUDGET_NONE;
  client->keeps_retry_state = ps_client_policy_has_retry_state (policy);
  if (client->keeps_retry_state)
    {
      client->retry = g_new0 (PsClientRetry, 1);
      ps_retry_budget_init (&client->retry->budget, &policy->budget);
      if (policy->throttle.enabled)
        ps_throttle_init (&client->retry->throttle, &policy->throttle);
    }
}

void
ps_client_clear (PsClient *client)
{
  ps_request_queue_clear (&client->queue);
  g_clear_pointer (&client->retry, g_free);
}

/* @req leaves the client's queue for the server. */
static inline void
mark_sent (PsClient *client, PsRequest *req, PsTime now)
{
  client->queued--;
  client->outstanding++;
  client->attempts++;
  req->state = PS_REQUEST_SENT;
  req->attempts++;
  if (req->first_sent < 0)
    req->first_sent = now;
  if (client->known_remaining != 0 && client->known_remaining != G_MAXUINT32)
    client->known_remaining--;           /* our own count until the next header */
}

static void
push (PsClient *client, PsRequest *req, guint32 slot)
{
  req->state = PS_REQUEST_QUEUED;
  ps_request_queue_push (&client->queue, req->priority, req->id, slot);
  client->queued++;
}

/**
 * ps_client_enqueue:
 * @slot: a new request of this client, fields set, state FREE
 *
 * Counts the request as generated and queues it, unless the queue is at
 * its limit: then the request is dropped (outcome set, state DONE).
 * Returns: TRUE if queued.
 */
gboolean
ps_client_enqueue (PsClient *client, PsRequestTable *table, guint32 slot)
{
  PsRequest *req = ps_request_table_get (table, slot);

  client->generated++;
  if (client->policy->queue_limit != 0
      && client->queued >= client->policy->queue_limit)
    {
      req->state = PS_REQUEST_DONE;
      req->outcome = PS_OUTCOME_DROPPED;
      client->dropped++;
      return FALSE;
    }
  push (client, req, slot);
  return TRUE;
}

gboolean
ps_client_is_paused (const PsClient *client, PsTime now)
{
  return client->paused && now < client->paused_until;
}

/* self_throttle: with nothing left in the window it was told about, the
 * client holds its requests until that window resets, instead of sending
 * one to hear 429.  Returns: TRUE if it holds now. */
static gboolean
self_throttle_holds (PsClient *client, PsTime now)
{
  if (client->policy->on_429 != PS_ON_429_SELF_THROTTLE || client->known_remaining != 0)
    return FALSE;
  if (now >= client->known_reset_at)
    {
      client->known_remaining = G_MAXUINT32;   /* a new window: unknown again */
      return FALSE;
    }
  client->hold_unreported = client->paused ? 1 : 2;
  client->paused = TRUE;
  client->paused_until = client->known_reset_at;
  return TRUE;
}

/**
 * ps_client_next:
 *
 * Takes the next request to send now, if the client may send one: not
 * paused, under its concurrency, something queued.  The request is marked
 * SENT and its attempt counted.  Returns: its slot, or %PS_NO_SLOT.
 */
static PsReaction local_rejection (PsClient *client, PsRequest *req, guint32 slot,
                                   PsTime now);

/**
 * ps_client_next:
 *
 * Takes the next request to send now, if the client may send one: not
 * paused, under its concurrency, something queued.  The request is marked
 * SENT and its attempt counted.  For a client with a throttle or a ratio
 * budget (@next_checked), use ps_client_next_checked().  Returns: its
 * slot, or %PS_NO_SLOT.
 */
guint32
ps_client_next (PsClient *client, PsRequestTable *table, PsTime now)
{
  PsQueueEntry entry;

  if (ps_client_is_paused (client, now) || client->queued == 0)
    return PS_NO_SLOT;
  if (client->policy->concurrency != 0
      && client->outstanding >= client->policy->concurrency)
    return PS_NO_SLOT;
  if (self_throttle_holds (client, now))
    return PS_NO_SLOT;

  while (ps_request_queue_pop (&client->queue, &entry))
    {
      PsRequest *req = ps_request_table_get (table, entry.slot);

      if (req->state != PS_REQUEST_QUEUED || req->id != ps_queue_entry_id (&entry))
        continue;                        /* stale: dropped by a timeout */
      mark_sent (client, req, now);
      return entry.slot;
    }
  g_assert_not_reached ();               /* queued > 0 promised an entry */
}

/**
 * ps_client_next_checked:
 * @out_local: (out): a request the client's throttle refused instead:
 *   its slot (PS_NO_SLOT: none) and the client's reaction
 *
 * ps_client_next() for a client whose throttle may refuse the request it
 * takes, or whose ratio budget counts first attempts.  Kept apart so that
 * the plain client's path is what it always was.  Returns: the slot to
 * send, or %PS_NO_SLOT (and then maybe a local rejection: call again
 * after it).
 */
guint32
ps_client_next_checked (PsClient *client, PsRequestTable *table, PsTime now,
                        PsLocalRejection *out_local)
{
  PsQueueEntry entry;
  PsRequest *req;
  guint32 slot;

  out_local->slot = PS_NO_SLOT;
  if (ps_client_is_paused (client, now) || client->queued == 0)
    return PS_NO_SLOT;
  if (client->policy->concurrency != 0
      && client->outstanding >= client->policy->concurrency)
    return PS_NO_SLOT;
  if (self_throttle_holds (client, now))
    return PS_NO_SLOT;
  /* the first live entry; whether it is sent, the throttle decides */
  do
    {
      if (!ps_request_queue_pop (&client->queue, &entry))
        g_assert_not_reached ();         /* queued > 0 promised an entry */
      req = ps_request_table_get (table, entry.slot);
    }
  while (req->state != PS_REQUEST_QUEUED || req->id != ps_queue_entry_id (&entry));
  slot = entry.slot;
  if (client->policy->throttle.enabled
      && !ps_throttle_admit (&client->retry->throttle, &client->behaviour, now))
    {
      out_local->slot = slot;
      out_local->reaction = local_rejection (client, req, slot, now);
      return PS_NO_SLOT;
    }
  mark_sent (client, req, now);
  if (req->attempts + req->local_rejections == 1)
    ps_retry_budget_on_first (&client->retry->budget, now);
  return slot;
}

/* The ceiling of the n-th failure's delay: min(cap, base*2^(n-1)). */
static inline PsTime
backoff_ceiling (const PsClient *client)
{
  const PsClientPolicy *p = client->policy;
  guint shift = MIN (client->failures - 1, 40u);
  PsTime ceiling = p->backoff_base;

  while (shift-- > 0 && ceiling < p->backoff_cap)
    ceiling *= 2;
  return MIN (ceiling, p->backoff_cap);
}

/* The equal and decorrelated variants: apart, so that full jitter, the
 * default, stays small enough to inline. */
static G_NO_INLINE PsTime
jittered_delay (PsClient *client, PsTime ceiling)
{
  const PsClientPolicy *p = client->policy;

  if (p->jitter == PS_JITTER_EQUAL)
    return ceiling / 2
           + (PsTime) ps_rng_below (&client->behaviour, (guint64) (ceiling - ceiling / 2) + 1);
  else
    {
      PsTime previous = client->retry->previous_delay > 0
                        ? client->retry->previous_delay : p->backoff_base;
      PsTime top = MAX (MIN (p->backoff_cap, 3 * previous), p->backoff_base);
      PsTime d = p->backoff_base
                 + (PsTime) ps_rng_below (&client->behaviour,
                                          (guint64) (top - p->backoff_base) + 1);

      client->retry->previous_delay = d;
      return d;
    }
}

/* Exponential backoff after n failures in a row, jittered as the policy
 * says (ps-client-policy.h): full jitter is uniform in [0, ceiling]. */
static inline PsTime
backoff_delay (PsClient *client)
{
  PsTime ceiling = backoff_ceiling (client);

  if (G_LIKELY (client->policy->jitter == PS_JITTER_FULL))
    return (PsTime) ps_rng_below (&client->behaviour, (guint64) ceiling + 1);
  return jittered_delay (client, ceiling);
}

/* 503: the backoff, but never sooner than Retry-After when honoured. */
static PsTime
delay_after_503 (PsClient *client, gint64 retry_after_s)
{
  PsTime d = backoff_delay (client);

  if (client->policy->honour_retry_after)
    d = MAX (d, PS_TIME_FROM_SEC (MAX (retry_after_s, 0)));
  return d;
}

static void
pause_until (PsClient *client, PsTime until, PsReaction *reaction)
{
  /* The flag, not the clock: the driver counts a pause from its start to
   * the ps_client_resume() that ends it. */
  reaction->began_pause = !client->paused;
  if (!client->paused || until > client->paused_until)
    client->paused_until = until;
  client->paused = TRUE;
  reaction->resume_at = client->paused_until;
}

/* The policy's limits on another attempt: max_attempts and the budget
 * (which this pays, if it allows).  Returns: TRUE if it may be made. */
static G_NO_INLINE gboolean
may_retry (PsClient *client, PsRequest *req, gboolean after_timeout, PsTime now)
{
  const PsClientPolicy *p = client->policy;
  guint cost;

  if (p->max_attempts != 0
      && req->attempts + req->local_rejections >= p->max_attempts)
    return FALSE;
  if (p->budget.kind == PS_BUDGET_NONE)
    return TRUE;
  if (!ps_retry_budget_take (&client->retry->budget, after_timeout, now, &cost))
    return FALSE;
  req->budget_cost = (guint16) MIN (cost, G_MAXUINT16);
  return TRUE;
}

/* The request ends here, as @outcome (rejected or dropped). */
static G_NO_INLINE PsReaction
give_up (PsClient *client, PsRequest *req, PsOutcome outcome)
{
  PsReaction reaction = { PS_REACTION_REJECTED, FALSE, -1 };

  req->state = PS_REQUEST_DONE;
  req->outcome = outcome;
  if (outcome == PS_OUTCOME_DROPPED)
    {
      client->dropped++;
      reaction.kind = PS_REACTION_DROPPED;
    }
  else
    client->rejected++;
  return reaction;
}

/* A 429 or 503 (or a local rejection): give up, or requeue and pause for
 * @wait, if the request's wait in the queue is not over and the policy's
 * limits allow another attempt. */
static G_ALWAYS_INLINE inline PsReaction
refused (PsClient *client, PsRequest *req, guint32 slot, gboolean give_up_now,
         PsTime wait, PsTime now)
{
  PsReaction reaction = { PS_REACTION_REQUEUED, FALSE, -1 };

  if (give_up_now)
    {
      req->state = PS_REQUEST_DONE;
      req->outcome = PS_OUTCOME_REJECTED;
      client->rejected++;
      reaction.kind = PS_REACTION_REJECTED;
      return reaction;
    }
  if (client->policy->timeout != 0 && now >= req->created + client->policy->timeout)
    {
      req->state = PS_REQUEST_DONE;      /* its wait is over: drop, not retry */
      req->outcome = PS_OUTCOME_DROPPED;
      client->dropped++;
      reaction.kind = PS_REACTION_DROPPED;
      return reaction;
    }
  if (G_UNLIKELY (client->retries_limited) && !may_retry (client, req, FALSE, now))
    return give_up (client, req, PS_OUTCOME_REJECTED);
  push (client, req, slot);
  pause_until (client, now + wait, &reaction);
  return reaction;
}

/* A timeout: as refused(), but with the timeout's cost, the outcome
 * "dropped" when on_timeout gives up, and no pause for @wait 0. */
static PsReaction
timed_out (PsClient *client, PsRequest *req, guint32 slot, gboolean give_up_now,
           PsTime wait, PsTime now)
{
  PsReaction reaction = { PS_REACTION_REQUEUED, FALSE, -1 };

  if (give_up_now)
    return give_up (client, req, PS_OUTCOME_DROPPED);
  if (client->policy->timeout != 0 && now >= req->created + client->policy->timeout)
    return give_up (client, req, PS_OUTCOME_DROPPED);   /* its wait is over */
  if (client->retries_limited && !may_retry (client, req, TRUE, now))
    return give_up (client, req, PS_OUTCOME_REJECTED);
  push (client, req, slot);
  if (wait > 0)
    pause_until (client, now + wait, &reaction);
  return reaction;
}

/* The throttle refused @req (just taken from the queue): the client
 * reacts as to a 503, which is what an overloaded server would say. */
static PsReaction
local_rejection (PsClient *client, PsRequest *req, guint32 slot, PsTime now)
{
  gboolean drop = client->policy->on_503 == PS_ON_503_DROP;

  client->queued--;
  client->failures++;
  req->local_rejections++;
  return refused (client, req, slot, drop, drop ? 0 : backoff_delay (client), now);
}

/**
 * ps_client_defer_hold:
 * @began: the client was not paused before
 *
 * A pause begun inside ps_client_next_checked() (a local rejection) is
 * reported like a self-throttle hold, through ps_client_take_hold().
 */
void
ps_client_defer_hold (PsClient *client, gboolean began)
{
  client->hold_unreported = MAX (client->hold_unreported, began ? 2 : 1);
}

/**
 * ps_client_on_timeout:
 * @slot: a SENT request of this client whose request_timeout has come
 *
 * The client stops waiting for this attempt's answer (the server is not
 * told: whatever it does with the attempt now is wasted) and retries at
 * once, backs off, or gives up, as on_timeout says.
 */
PsReaction
ps_client_on_timeout (PsClient *client, PsRequestTable *table, guint32 slot, PsTime now)
{
  PsRequest *req = ps_request_table_get (table, slot);
  const PsClientPolicy *p = client->policy;
  PsReaction none = { PS_REACTION_REQUEUED, FALSE, -1 };

  g_return_val_if_fail (req->state == PS_REQUEST_SENT, none);
  g_return_val_if_fail (client->outstanding > 0, none);

  client->outstanding--;
  client->failures++;
  switch (p->on_timeout)
    {
    case PS_ON_TIMEOUT_RETRY:
      return timed_out (client, req, slot, FALSE, 0, now);
    case PS_ON_TIMEOUT_BACKOFF:
      return timed_out (client, req, slot, FALSE, MAX (backoff_delay (client), 1), now);
    case PS_ON_TIMEOUT_DROP:
      return timed_out (client, req, slot, TRUE, 0, now);
    default:
      g_assert_not_reached ();
    }
}

/* A 200: what a budget and a throttle learn from it. */
static void
note_success (PsClient *client, PsRequest *req, PsTime now)
{
  PsClientRetry *retry = client->retry;

  retry->previous_delay = 0;
  ps_retry_budget_on_success (&retry->budget, req->budget_cost,
                              req->attempts + req->local_rejections > 1);
  if (client->policy->throttle.enabled)
    ps_throttle_on_accept (&retry->throttle, now);
}

/**
 * ps_client_on_response:
 * @slot: a SENT request of this client
 * @status: 200, 429 or 503
 * @retry_after_s: the Retry-After the server sent, in whole seconds
 *
 * Applies the answer.  On 429 with wait_reset the client pauses until
 * Retry-After has passed, as a real client reading the header would.
 */
PsReaction
ps_client_on_response (PsClient *client, PsRequestTable *table, guint32 slot,
                       guint status, gint64 retry_after_s, PsTime now)
{
  PsRequest *req = ps_request_table_get (table, slot);
  PsReaction done = { PS_REACTION_COMPLETED, FALSE, -1 };

  g_return_val_if_fail (req->state == PS_REQUEST_SENT, done);
  g_return_val_if_fail (client->outstanding > 0, done);

  client->outstanding--;
  switch (status)
    {
    case 200:
      req->state = PS_REQUEST_DONE;
      req->outcome = PS_OUTCOME_COMPLETED;
      client->completed++;
      client->latency_sum += now - req->created;
      client->failures = 0;
      if (G_UNLIKELY (client->keeps_retry_state))
        note_success (client, req, now);
      return done;
    case 429:
      req->n429++;
      client->n429++;
      client->failures++;
      switch (client->policy->on_429)
        {
        case PS_ON_429_SELF_THROTTLE:
          client->known_remaining = 0;   /* the estimate was wrong: trust the 429 */
          client->known_reset_at = now + PS_TIME_FROM_SEC (MAX (retry_after_s, 1));
          G_GNUC_FALLTHROUGH;
        case PS_ON_429_WAIT_RESET:
          {
            PsTime wait = PS_TIME_FROM_SEC (MAX (retry_after_s, 1));

            /* so that clients told the same reset do not all come back
             * at that one instant */
            if (client->policy->wait_reset_jitter > 0)
              wait += (PsTime) ps_rng_below (&client->behaviour,
                                             (guint64) client->policy->wait_reset_jitter + 1);
            return refused (client, req, slot, FALSE, wait, now);
          }
        case PS_ON_429_BACKOFF:
          return refused (client, req, slot, FALSE, backoff_delay (client), now);
        case PS_ON_429_DROP:
          return refused (client, req, slot, TRUE, 0, now);
        default:
          g_assert_not_reached ();
        }
    case 503:
      req->n503++;
      client->n503++;
      client->failures++;
      switch (client->policy->on_503)
        {
        case PS_ON_503_BACKOFF:
          return refused (client, req, slot, FALSE, delay_after_503 (client, retry_after_s), now);
        case PS_ON_503_DROP:
          return refused (client, req, slot, TRUE, 0, now);
        default:
          g_assert_not_reached ();
        }
    default:
      g_return_val_if_reached (done);
    }
}

/**
 * ps_client_note_quota:
 * @remaining: the RateLimit header's r: admissions left in the window
 * @reset_s: its t: seconds until the window resets
 *
 * What a self-throttling client learns from an answer's RateLimit header.
 */
void
ps_client_note_quota (PsClient *client, guint32 remaining, gint64 reset_s, PsTime now)
{
  client->known_remaining = remaining;
  client->known_reset_at = now + PS_TIME_FROM_SEC (MAX (reset_s, 0));
}

/**
 * ps_client_take_hold:
 * @out_until: (out): when the hold ends: call ps_client_resume() then
 * @out_began: (out): TRUE if the client was not paused before
 *
 * Reports, once, a self-throttle hold that ps_client_next() began, so the
 * driver can wake the client.  Returns: TRUE if there was one.
 */
gboolean
ps_client_take_hold (PsClient *client, PsTime *out_until, gboolean *out_began)
{
  if (client->hold_unreported == 0)
    return FALSE;
  *out_began = client->hold_unreported == 2;
  *out_until = client->paused_until;
  client->hold_unreported = 0;
  return TRUE;
}

/**
 * ps_client_expire:
 * @request: a request of this client whose timeout has come
 *
 * Drops @request if it is still waiting in the queue (one already at the
 * server is the server's until it answers).  Returns: TRUE if dropped.
 */
gboolean
ps_client_expire (PsClient *client, PsRequest *request)
{
  if (request->state != PS_REQUEST_QUEUED)
    return FALSE;
  request->state = PS_REQUEST_DONE;
  request->outcome = PS_OUTCOME_DROPPED;
  client->queued--;
  client->dropped++;
  return TRUE;                           /* its queue entry is now stale */
}

/* Ends the pause if its time has come.  Returns: TRUE if it ended now. */
gboolean
ps_client_resume (PsClient *client, PsTime now)
{
  if (!client->paused || now < client->paused_until)
    return FALSE;
  client->paused = FALSE;
  return TRUE;
}

/* A client's name in every output: "<group>-<index>", e.g. "public-17". */
const char *
ps_client_format_name (const PsClient *client, const char *group, char *buf, gsize len)
{
  /* by hand, not g_snprintf(): requests.csv names a client on every row */
  char digits[12];
  char *d = digits + sizeof digits;
  gsize n = strlen (group), nd;
  guint v = client->index;

  do
    *--d = (char) ('0' + v % 10);
  while ((v /= 10) != 0);
  nd = (gsize) (digits + sizeof digits - d);
  g_return_val_if_fail (len > 0, buf);
  if (n + 1 + nd >= len)
    {
      g_snprintf (buf, len, "%s-%u", group, client->index);     /* truncated alike */
      return buf;
    }
  memcpy (buf, group, n);
  buf[n] = '-';
  memcpy (buf + n + 1, d, nd);
  buf[n + 1 + nd] = '\0';
  return buf;
}
