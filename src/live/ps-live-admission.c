/* ps-live-admission.c: quota + pool under one GMutex
 *
 * Why a lock when the server thread makes every admission: workers finish
 * requests and start the next queued one themselves, without a round trip
 * through the server thread, and snapshots (/v1/pool, the summary) may
 * come from any thread.  The lock is held for a hash lookup and one core
 * call, well under a microsecond, against ~46 µs of libsoup work per
 * request (bench/bench-live.sh measures it): contention cannot show.
 *
 * Subjects: one per distinct address, as in the simulator.  An address
 * that is one of the scenario's clients gets its group's tier (group and
 * CIDR overrides); any other address gets the first CIDR override holding
 * it, else the default quota (group overrides cannot apply to it).
 *
 * Faults are applied at each admission and each finish, on the live
 * clock: the pool takes the size a workers fault gives it (so a worker
 * finishing in a smaller pool hands nothing on), an outage answers 503,
 * a service factor scales the service of requests starting then.  When
 * the pool grows back, new arrivals take the free workers at once and
 * queued requests as workers finish: the simulator starts the queued
 * ones at the fault's end; the difference is a few requests' order.
 */
#include "ps-live-admission.h"

#include <string.h>

#include "ps-dist.h"
#include "ps-population.h"

typedef struct
{
  PsQuotaSubject subject;
  gboolean       known_client;
  guint          group;                /* when known_client */
  guint64        admitted;
  guint64        rejected_429;
  guint64        rejected_503;
} Subject;

typedef struct
{
  PsLivePoolEntry pub;
  gpointer        data;
} Entry;

struct _PsLiveAdmission
{
  GMutex            lock;
  const PsScenario *scenario;
  PsLiveClock       clock;
  PsTime            last_now;          /* clamp: time never goes back */

  PsServer         *server;
  GHashTable       *subjects;          /* ip -> Subject * */
  PsSubjectMap     *quota_subjects;    /* ip -> quota subject, as the sim's */
  GHashTable       *entries;           /* handle -> Entry *: in the pool */
  PsRng             rng;               /* the server's stream: service times */
  PsFaultSet        faults;
  guint64           next_id;
  guint64           admitted;
  guint64           rejected_429;
  guint64           rejected_503;
  PsLiveGroupCounts *by_group;         /* n_groups + 1: the last is "unknown" */
  GArray           *by_policy;         /* PsLivePolicyCounts: 429s by refusing policy */
};

/**
 * ps_live_admission_new:
 * @scenario: (transfer none): must outlive the admission
 * @clock: copied
 */
PsLiveAdmission *
ps_live_admission_new (const PsScenario *scenario, const PsLiveClock *clock)
{
  PsLiveAdmission *adm = g_new0 (PsLiveAdmission, 1);

  g_mutex_init (&adm->lock);
  adm->scenario = scenario;
  adm->faults = ps_scenario_fault_set (scenario);
  adm->clock = *clock;
  adm->server = ps_server_new (ps_quota_new (),
                               ps_pool_new (scenario->workers, scenario->queue), 1);
  adm->subjects = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  adm->quota_subjects = ps_subject_map_new (ps_server_get_quota (adm->server));
  adm->entries = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  ps_rng_init (&adm->rng, scenario->seed, ps_rng_stream_id ("server", 0));
  adm->by_group = g_new0 (PsLiveGroupCounts, scenario->n_groups + 1);
  for (guint g = 0; g < scenario->n_groups; g++)
    adm->by_group[g].name = scenario->groups[g].name;
  adm->by_group[scenario->n_groups].name = "unknown";
  adm->by_policy = g_array_new (FALSE, TRUE, sizeof (PsLivePolicyCounts));
  return adm;
}

void
ps_live_admission_free (PsLiveAdmission *adm)
{
  if (adm == NULL)
    return;
  ps_server_free (adm->server);
  g_hash_table_unref (adm->subjects);
  ps_subject_map_free (adm->quota_subjects);
  g_hash_table_unref (adm->entries);
  g_free (adm->by_group);
  g_array_unref (adm->by_policy);
  g_mutex_clear (&adm->lock);
  g_free (adm);
}

/* The policies for an address that is no scenario client. */
static const PsQuotaPolicy *
quota_for_stranger (const PsScenario *sc, guint32 ip, guint *out_n)
{
  for (guint i = 0; i < sc->n_overrides; i++)
    {
      const PsQuotaOverride *o = &sc->overrides[i];

      if (o->has_cidr && ps_cidr_contains (&o->cidr, ip))
        {
          *out_n = o->n_policies;
          return o->policies;
        }
    }
  *out_n = sc->n_quota;
  return sc->quota;
}

static Subject *
subject_for (PsLiveAdmission *adm, guint32 ip)
{
  Subject *s = g_hash_table_lookup (adm->subjects, GUINT_TO_POINTER (ip));
  const PsQuotaPolicy *policies;
  guint group = 0, n;
  guint32 index;

  if (s != NULL)
    return s;
  s = g_new0 (Subject, 1);
  s->known_client = ps_scenario_lookup_address (adm->scenario, ip, &group, &index);
  s->group = group;
  policies = s->known_client
    ? ps_scenario_quota_for (adm->scenario, group, ip, &n)
    : quota_for_stranger (adm->scenario, ip, &n);
  s->subject = ps_subject_map_get (adm->quota_subjects, ip, policies, n);
  g_hash_table_insert (adm->subjects, GUINT_TO_POINTER (ip), s);
  return s;
}

/* A scenario client's requests take its group's work; others the
 * scenario's service time. */
static const PsDist *
work_of (PsLiveAdmission *adm, const Subject *s)
{
  return s->known_client ? ps_client_group_work (adm->scenario, s->group)
                         : &adm->scenario->service_time;
}

static void
copy_policies (PsLiveAdmission *adm, PsQuotaSubject subject,
               PsQuotaPolicy *out, guint *out_n)
{
  const PsQuotaPolicy *policies =
    ps_quota_get_policies (ps_server_get_quota (adm->server), subject, out_n);

  memcpy (out, policies, *out_n * sizeof *policies);
}

static PsLiveGroupCounts *
group_of (PsLiveAdmission *adm, const Subject *s)
{
  return &adm->by_group[s->known_client ? s->group : adm->scenario->n_groups];
}

/* A 429 counted under the refusing policy's name: at most
 * PS_MAX_POLICY_NAMES names, then "other" (as the run's summary does). */
static void
count_refusal (PsLiveAdmission *adm, const char *name)
{
  PsLivePolicyCounts *c;

  for (guint i = 0; i < adm->by_policy->len; i++)
    {
      c = &g_array_index (adm->by_policy, PsLivePolicyCounts, i);
      if (strcmp (c->name, name) == 0)
        {
          c->rejected_429++;
          return;
        }
    }
  if (adm->by_policy->len + 1 >= PS_MAX_POLICY_NAMES)
    name = "other";
  g_array_set_size (adm->by_policy, adm->by_policy->len + 1);
  c = &g_array_index (adm->by_policy, PsLivePolicyCounts, adm->by_policy->len - 1);
  g_strlcpy (c->name, name, sizeof c->name);
  c->rejected_429 = 1;
}

/* The pool's size as the faults say it is at @now (under the lock). */
static void
apply_workers_fault (PsLiveAdmission *adm, PsTime now)
{
  ps_pool_set_workers (ps_server_get_pool (adm->server),
                       ps_fault_set_workers (&adm->faults, adm->scenario->workers, now));
}

/**
 * ps_live_admission_try:
 * @ip: the client's address (host order)
 * @work: the service the request asks for, or -1 to draw one with the
 *   server's stream (from the client's group's work, else the scenario's
 *   service time)
 * @data: handed back by ps_live_admission_finish() when this request
 *   leaves the server queue for a worker
 * @out_ticket: (out): the verdict, its quota figures, the client's policies
 *
 * One admission decision (ps_server_offer()) at the live clock's now.
 * On STARTED the caller starts the work at once; on QUEUED a worker
 * finishing another request will get @data back.
 */
PsAdmitVerdict
ps_live_admission_try (PsLiveAdmission *adm, guint32 ip, guint priority,
                       PsTime work, gpointer data, PsLiveTicket *out_ticket)
{
  PsLiveTicket *t = out_ticket;
  PsAdmitVerdict verdict;
  Subject *s;

  g_mutex_lock (&adm->lock);
  t->now = ps_live_clock_now (&adm->clock, &adm->last_now);
  s = subject_for (adm, ip);
  t->handle = (guint32) adm->next_id;  /* unique among the few in the pool */
  if (adm->faults.n_faults > 0)
    apply_workers_fault (adm, t->now);
  if (adm->faults.n_faults > 0 && ps_fault_set_outage (&adm->faults, t->now))
    {
      memset (&t->admission, 0, sizeof t->admission);
      verdict = t->admission.verdict = PS_ADMIT_REJECT_503;
      t->admission.retry_after_s = 1;
    }
  else
    verdict = ps_server_offer (adm->server, s->subject, t->handle, t->now, &t->admission);
  copy_policies (adm, s->subject, t->policies, &t->n_policies);
  switch (verdict)
    {
    case PS_ADMIT_STARTED:
    case PS_ADMIT_QUEUED:
      {
        Entry *e = g_new (Entry, 1);

        t->id = adm->next_id++;
        t->work = work >= 0 ? work : ps_dist_sample (work_of (adm, s), &adm->rng);
        if (verdict == PS_ADMIT_STARTED && adm->faults.n_faults > 0)
          t->work = ps_fault_set_scale_work (&adm->faults, t->work, t->now);
        t->busy = ps_pool_get_busy (ps_server_get_pool (adm->server));
        e->pub = (PsLivePoolEntry) { t->id, ip, priority, t->work, t->now,
                                     verdict == PS_ADMIT_STARTED ? t->now : -1 };
        e->data = data;
        g_hash_table_insert (adm->entries, GUINT_TO_POINTER (t->handle), e);
        s->admitted++;
        adm->admitted++;
        group_of (adm, s)->admitted++;
        break;
      }
    case PS_ADMIT_REJECT_429:
      s->rejected_429++;
      adm->rejected_429++;
      group_of (adm, s)->rejected_429++;
      if (t->admission.quota.policy < t->n_policies)
        count_refusal (adm, t->policies[t->admission.quota.policy].name);
      break;
    case PS_ADMIT_REJECT_503:
      s->rejected_503++;
      adm->rejected_503++;
      group_of (adm, s)->rejected_503++;
      break;
    default:
      g_assert_not_reached ();
    }
  g_mutex_unlock (&adm->lock);
  return verdict;
}

/**
 * ps_live_admission_finish:
 * @handle: an admitted request's ticket handle, now done with its service
 * @out_finish: (out): its times, and the queued request that starts now
 *
 * Frees the request's worker, or hands it to the next queued request.
 */
void
ps_live_admission_finish (PsLiveAdmission *adm, guint32 handle, PsLiveFinish *out_finish)
{
  PsLiveFinish *f = out_finish;
  PsPool *pool = ps_server_get_pool (adm->server);
  Entry *e;
  guint32 next;

  g_mutex_lock (&adm->lock);
  *f = (PsLiveFinish) { .finished = ps_live_clock_now (&adm->clock, &adm->last_now) };
  if (adm->faults.n_faults > 0)
    apply_workers_fault (adm, f->finished);
  e = g_hash_table_lookup (adm->entries, GUINT_TO_POINTER (handle));
  g_assert (e != NULL && e->pub.started >= 0);
  f->admitted = e->pub.admitted;
  f->started = e->pub.started;
  g_hash_table_remove (adm->entries, GUINT_TO_POINTER (handle));
  if (ps_server_finish (adm->server, f->finished, &next))
    {
      e = g_hash_table_lookup (adm->entries, GUINT_TO_POINTER (next));
      g_assert (e != NULL);
      e->pub.started = f->finished;
      f->has_next = TRUE;
      f->next_data = e->data;
      f->next_handle = next;
      if (adm->faults.n_faults > 0)
        e->pub.work = ps_fault_set_scale_work (&adm->faults, e->pub.work, f->finished);
      f->next_work = e->pub.work;
      f->next_busy = ps_pool_get_busy (pool);
    }
  g_mutex_unlock (&adm->lock);
}

/* The live clock's now, as the admission sees it. */
PsTime
ps_live_admission_now (PsLiveAdmission *adm)
{
  PsTime now;

  g_mutex_lock (&adm->lock);
  now = ps_live_clock_now (&adm->clock, &adm->last_now);
  g_mutex_unlock (&adm->lock);
  return now;
}

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  guint64 ia = ((const PsLivePoolEntry *) a)->id, ib = ((const PsLivePoolEntry *) b)->id;

  return ia < ib ? -1 : ia > ib;
}

/**
 * ps_live_admission_pool:
 *
 * Returns: (transfer full): the requests in the pool (in service or in
 * the server queue), PsLivePoolEntry by id: copied under the lock.
 */
GArray *
ps_live_admission_pool (PsLiveAdmission *adm, PsTime *out_now)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (PsLivePoolEntry));
  GHashTableIter it;
  gpointer value;

  g_mutex_lock (&adm->lock);
  *out_now = ps_live_clock_now (&adm->clock, &adm->last_now);
  g_hash_table_iter_init (&it, adm->entries);
  while (g_hash_table_iter_next (&it, NULL, &value))
    g_array_append_val (out, ((Entry *) value)->pub);
  g_mutex_unlock (&adm->lock);
  g_array_sort (out, compare_entries);    /* never hash order in output */
  return out;
}

void
ps_live_admission_stats (PsLiveAdmission *adm, PsLivePoolStats *out)
{
  PsPool *pool = ps_server_get_pool (adm->server);

  g_mutex_lock (&adm->lock);
  out->now = ps_live_clock_now (&adm->clock, &adm->last_now);
  out->workers = ps_pool_get_workers (pool);
  out->queue_limit = adm->scenario->queue;
  out->busy = ps_pool_get_busy (pool);
  out->queued = ps_pool_get_queued (pool);
  out->max_busy = ps_pool_get_max_busy (pool);
  out->busy_integral = ps_pool_busy_integral (pool, out->now);
  out->subjects = g_hash_table_size (adm->subjects);
  out->admitted = adm->admitted;
  out->rejected_429 = adm->rejected_429;
  out->rejected_503 = adm->rejected_503;
  out->groups = g_memdup2 (adm->by_group,
                           (adm->scenario->n_groups + 1) * sizeof (PsLiveGroupCounts));
  out->n_groups = adm->scenario->n_groups + 1;
  out->policies = g_memdup2 (adm->by_policy->data,
                             MAX (adm->by_policy->len, 1) * sizeof (PsLivePolicyCounts));
  out->n_policies = adm->by_policy->len;
  g_mutex_unlock (&adm->lock);
}

/* Frees what ps_live_admission_stats() copied. */
void
ps_live_pool_stats_clear (PsLivePoolStats *stats)
{
  g_clear_pointer (&stats->groups, g_free);
  g_clear_pointer (&stats->policies, g_free);
}

/**
 * ps_live_admission_probe:
 * @admission: a PsLiveAdmission (gpointer: a PsLivePoolProbeFunc)
 *
 * Returns: the pool's busy integral now, in request-microseconds.
 */
double
ps_live_admission_probe (gpointer admission, PsTime *out_now, guint *out_max_busy)
{
  PsLivePoolStats stats;

  ps_live_admission_stats (admission, &stats);
  ps_live_pool_stats_clear (&stats);
  *out_now = stats.now;
  *out_max_busy = stats.max_busy;
  return stats.busy_integral;
}

/**
 * ps_live_admission_subject:
 * @out_info: (out): the address's counters and its quota for one more
 *   request now (evaluated, not charged)
 *
 * Returns: FALSE if no request came from @ip yet.
 */
gboolean
ps_live_admission_subject (PsLiveAdmission *adm, guint32 ip, PsLiveSubjectInfo *out_info)
{
  Subject *s;

  g_mutex_lock (&adm->lock);
  s = g_hash_table_lookup (adm->subjects, GUINT_TO_POINTER (ip));
  if (s != NULL)
    {
      out_info->ip = ip;
      out_info->known_client = s->known_client;
      out_info->admitted = s->admitted;
      out_info->rejected_429 = s->rejected_429;
      out_info->rejected_503 = s->rejected_503;
      out_info->now = ps_live_clock_now (&adm->clock, &adm->last_now);
      ps_quota_evaluate (ps_server_get_quota (adm->server), s->subject,
                         out_info->now, &out_info->decision);
      copy_policies (adm, s->subject, out_info->policies, &out_info->n_policies);
    }
  g_mutex_unlock (&adm->lock);
  return s != NULL;
}
