/* test-run.c: the run layer that both drivers share
 *
 * Each case pins a rule the simulator and live mode once each had their
 * own copy of: how the population and its quota tiers are built, how
 * 429s by policy are folded, which bin a count lands in, that a request
 * ends in exactly one record, and that pending ones come out by id
 * whichever thread held them.
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "ps-population.h"
#include "ps-run-end.h"
#include "ps-run-lane.h"
#include "ps-test-util.h"

static const char two_groups[] =
  "{ \"duration\": \"1m\", \"seed\": 7,"
  "  \"server\": { \"workers\": 2, \"service_time\": \"10ms\","
  "    \"quota\": { \"limit\": 60, \"window\": \"1m\" },"
  "    \"overrides\": [ { \"group\": \"partners\", \"quota\": { \"limit\": 600 } } ] },"
  "  \"clients\": ["
  "   { \"group\": \"public\", \"count\": 3, \"ip\": \"127.2.0.0/24\","
  "     \"arrival\": { \"process\": \"constant\", \"interval\": \"1s\" },"
  "     \"priorities\": [1, 1, 1] },"
  "   { \"group\": \"office\", \"count\": 2, \"ip\": [\"127.2.1.9\", \"127.2.1.9\"],"
  "     \"shared_ip\": true, \"arrival\": { \"process\": \"constant\", \"interval\": \"1s\" },"
  "     \"queue_limit\": 1 },"
  "   { \"group\": \"partners\", \"count\": 1, \"ip\": \"127.2.2.0/24\","
  "     \"arrival\": { \"process\": \"constant\", \"interval\": \"1s\" } } ] }";

/* Records a sink saw. */
typedef struct
{
  GPtrArray *requests;                  /* "id name outcome" */
  guint      summaries;
} Seen;

static void
seen_request (gpointer data, const PsRequest *req, PsTime ended, const char *name,
              guint32 ip)
{
  Seen *seen = data;

  g_ptr_array_add (seen->requests, g_strdup_printf ("%" G_GUINT64_FORMAT " %s %d",
                                                    req->id, name, req->outcome));
}

static void
seen_summary (gpointer data, const PsRunSummary *summary)
{
  ((Seen *) data)->summaries++;
}

static void
test_population (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (two_groups, NULL);
  g_autoptr(PsPopulation) pop = ps_population_new (sc);
  char name[96];

  g_test_summary ("Clients get dense ids in scenario order, their group's name and "
                  "addresses, and the largest priority count of any group");
  g_assert_cmpuint (pop->n_clients, ==, 6);
  g_assert_cmpuint (pop->n_priorities, ==, 3);
  g_assert_null (pop->latency);
  g_assert_cmpstr (ps_population_client_name (pop, &pop->clients[0], name, sizeof name),
                   ==, "public-0");
  g_assert_cmpstr (ps_population_client_name (pop, &pop->clients[4], name, sizeof name),
                   ==, "office-1");
  for (guint32 id = 0; id < pop->n_clients; id++)
    g_assert_cmpuint (pop->clients[id].id, ==, id);
  g_assert_cmpuint (pop->clients[3].ip, ==, pop->clients[4].ip);
  g_assert_cmpuint (pop->clients[0].ip, !=, pop->clients[1].ip);
}

static void
test_subjects_and_tiers (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (two_groups, NULL);
  g_autoptr(PsPopulation) pop = ps_population_new (sc);
  g_autoptr(PsQuota) quota = ps_quota_new ();
  const PsQuotaPolicy *policies;
  guint n;

  g_test_summary ("One quota subject per address (shared addresses share it), and "
                  "an override's group gets its own tier: the one rule sim and the "
                  "live server both use");
  ps_population_assign_subjects (pop, quota);
  g_assert_cmpuint (pop->clients[3].subject, ==, pop->clients[4].subject);
  g_assert_cmpuint (pop->clients[0].subject, !=, pop->clients[1].subject);
  g_assert_cmpuint (pop->clients[1].subject, !=, pop->clients[2].subject);
  policies = ps_quota_get_policies (quota, pop->clients[0].subject, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (policies[0].limit, ==, 60);
  policies = ps_quota_get_policies (quota, pop->clients[5].subject, &n);
  g_assert_cmpuint (policies[0].limit, ==, 600);

  {
    /* the live server meets the same addresses one by one: same answers */
    g_autoptr(PsQuota) live_quota = ps_quota_new ();
    g_autoptr(PsSubjectMap) map = ps_subject_map_new (live_quota);
    guint32 ip = pop->clients[3].ip;
    const PsQuotaPolicy *list = ps_scenario_quota_for (sc, 1, ip, &n);
    PsQuotaSubject a = ps_subject_map_get (map, ip, list, n);

    g_assert_cmpuint (ps_subject_map_get (map, ip, list, n), ==, a);
    g_assert_cmpuint (ps_subject_map_get (map, ip + 1, list, n), !=, a);
  }
}

static void
test_policy_names_fold (void)
{
  g_autoptr(PsRunStats) stats = ps_run_stats_new (G_USEC_PER_SEC, G_USEC_PER_SEC, 1);
  PsRunSummary s = { 0 };
  guint64 sum = 0;

  g_test_summary ("429s of more than 32 policy names: 31 named, the rest summed under "
                  "\"other\", none lost (live mode once dropped them)");
  for (guint i = 0; i < 40; i++)
    {
      char name[16];

      g_snprintf (name, sizeof name, "p%u", i);
      ps_run_stats_on_answer (stats, 0, 429, name);
      if (i < 3)
        ps_run_stats_on_answer (stats, 0, 429, name);
    }
  ps_run_stats_fill_summary (stats, &s);
  g_assert_cmpuint (s.n_policy_names, ==, PS_MAX_POLICY_NAMES);
  g_assert_cmpstr (s.policy_names[0], ==, "p0");
  g_assert_cmpuint (s.policy_429[0], ==, 2);
  g_assert_cmpstr (s.policy_names[30], ==, "p30");
  g_assert_cmpstr (s.policy_names[31], ==, "other");
  g_assert_cmpuint (s.policy_429[31], ==, 9);
  for (guint i = 0; i < s.n_policy_names; i++)
    sum += s.policy_429[i];
  g_assert_cmpuint (sum, ==, 43);
}

static void
collect_bin (gpointer data, const PsBinRecord *bin)
{
  g_array_append_val ((GArray *) data, *bin);
}

static void
test_bins_at_edges (void)
{
  g_autoptr(PsRunStats) stats = ps_run_stats_new (3 * G_USEC_PER_SEC + 500000,
                                                  G_USEC_PER_SEC, 1);
  g_autoptr(GArray) bins = g_array_new (FALSE, FALSE, sizeof (PsBinRecord));
  PsRecordSink sink = { .user_data = bins, .bin = collect_bin };
  static const PsTime at[] = { 0, 999999, 1000000, 1999999, 0, 2500000, 3499999,
                               3500000, 9000000, 1000000 };

  g_test_summary ("Counts land in the bin holding their instant, also just before "
                  "and at an edge, back in an earlier bin, and past the end (the "
                  "last bin); closing bins as the simulator does keeps them");
  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    ps_run_stats_on_admitted (stats, at[i]);
  ps_run_stats_close_bin (stats, 0.5 * G_USEC_PER_SEC, &sink);
  ps_run_stats_on_admitted (stats, 0);             /* bin 0 is gone: the oldest open */
  while (ps_run_stats_open_end (stats) != PS_TIME_NEVER)
    ps_run_stats_close_bin (stats, 0, &sink);
  g_assert_cmpuint (bins->len, ==, 4);
  g_assert_cmpuint (g_array_index (bins, PsBinRecord, 0).admitted, ==, 3);
  g_assert_cmpfloat (g_array_index (bins, PsBinRecord, 0).pool, ==, 0.5);
  g_assert_cmpuint (g_array_index (bins, PsBinRecord, 1).admitted, ==, 4);
  g_assert_cmpuint (g_array_index (bins, PsBinRecord, 2).admitted, ==, 1);
  g_assert_cmpuint (g_array_index (bins, PsBinRecord, 3).admitted, ==, 3);
  g_assert_cmpint (g_array_index (bins, PsBinRecord, 3).start, ==, 3 * G_USEC_PER_SEC);
}

static void
test_lane_conservation (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (two_groups, NULL);
  g_autoptr(PsPopulation) pop = ps_population_new (sc);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  Seen seen = { rows, 0 };
  PsRecordSink sink = { .user_data = &seen, .request = seen_request,
                        .summary = seen_summary };
  guint64 next_id = 0;
  PsRunLane lane;
  PsClient *office = &pop->clients[3];
  PsRunSummary s = { 0 };
  g_autoptr(GError) error = NULL;
  guint32 first, slot;
  PsReaction r;

  g_test_summary ("A request ends in one record: dropped on a full queue at once, "
                  "completed on a 200, pending at the end; the totals conserve");
  ps_run_lane_init (&lane, pop, &sink, NULL, &next_id);
  first = ps_run_lane_create_request (&lane, office, 10, NULL, NULL);
  g_assert_cmpuint (first, !=, PS_NO_SLOT);
  g_assert_cmpuint (ps_run_lane_create_request (&lane, office, 20, NULL, NULL), ==, PS_NO_SLOT);
  g_assert_cmpuint (rows->len, ==, 1);                      /* the drop */
  g_assert_cmpuint (ps_run_lane_next_to_send (&lane, office, 30), ==, first);
  ps_run_stats_on_answer (lane.stats, 40, 200, NULL);
  r = ps_run_lane_respond (&lane, office, first, 200, 0, 40);
  g_assert_cmpint (r.kind, ==, PS_REACTION_COMPLETED);
  g_assert_cmpuint (rows->len, ==, 2);
  slot = ps_run_lane_create_request (&lane, &pop->clients[0], 50, NULL, NULL);
  g_assert_cmpuint (slot, !=, PS_NO_SLOT);
  ps_run_finish_pending (&lane, 1, lane.stats);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (rows, 2), ==, "2 public-0 3");
  ps_run_summarize (&s, pop, lane.stats, "sim");
  g_assert_cmpuint (s.totals.generated, ==, 3);
  g_assert_cmpuint (s.totals.completed, ==, 1);
  g_assert_cmpuint (s.totals.dropped, ==, 1);
  g_assert_cmpuint (s.totals.pending, ==, 1);
  g_assert_true (ps_run_conclude (&s, &sink, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen.summaries, ==, 1);

  s.totals.completed = 0;                                  /* a lost request */
  g_assert_false (ps_run_conclude (&s, &sink, &error));
  g_assert_error (error, PS_RUN_ERROR, PS_RUN_ERROR_CONSERVATION);
  g_assert_cmpuint (seen.summaries, ==, 1);                /* no summary for it */
  ps_run_lane_clear (&lane);
}

static void
test_pending_by_id_across_lanes (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (two_groups, NULL);
  g_autoptr(PsPopulation) pop = ps_population_new (sc);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  Seen seen = { rows, 0 };
  PsRecordSink sink = { .user_data = &seen, .request = seen_request };
  g_autoptr(PsRunStats) total = ps_run_stats_new (sc->duration, sc->bin, 1);
  GMutex lock;
  guint64 next_id = 0;
  PsRunLane lanes[2];

  g_test_summary ("Pending requests of several client threads come out by id");
  g_mutex_init (&lock);
  for (guint i = 0; i < 2; i++)
    ps_run_lane_init (&lanes[i], pop, &sink, &lock, &next_id);
  for (guint k = 0; k < 6; k++)                 /* ids 0..5, alternating lanes */
    ps_run_lane_create_request (&lanes[k % 2], &pop->clients[k % 2], k, NULL, NULL);
  ps_run_finish_pending (lanes, 2, total);
  g_assert_cmpuint (rows->len, ==, 6);
  for (guint k = 0; k < 6; k++)
    {
      g_autofree char *want = g_strdup_printf ("%u public-%u 3", k, k % 2);

      g_assert_cmpstr (g_ptr_array_index (rows, k), ==, want);
    }
  g_assert_cmpuint (ps_run_stats_get_totals (total)->pending, ==, 6);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpuint (ps_request_table_n_live (lanes[i].requests), ==, 0);
      ps_run_lane_clear (&lanes[i]);
    }
  g_mutex_clear (&lock);
}

static gint64
member_int (JsonObject *o, const char *key)
{
  return json_object_get_int_member (o, key);
}

static void
test_group_figures (void)
{
  g_autoptr(PsScenario) sc = ps_test_scenario (two_groups, NULL);
  g_autofree char *dir = ps_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = NULL;
  JsonObject *root, *requests, *groups;
  const char *const names[] = { "public", "office", "partners" };
  const char *const counted[] = { "generated", "completed", "rejected", "dropped",
                                  "pending" };
  PsRunSummary s;

  g_test_summary ("summary.json has every group's figures; they add up to the run's, "
                  "and its rates are shares of its attempts");
  g_assert_true (ps_test_run_to_dir (sc, dir, &s, &error));
  path = g_build_filename (dir, "summary.json", NULL);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  requests = json_object_get_object_member (root, "requests");
  groups = json_object_get_object_member (root, "groups");
  g_assert_cmpuint (json_object_get_size (groups), ==, 3);
  for (guint k = 0; k < G_N_ELEMENTS (counted); k++)
    {
      gint64 sum = 0;

      for (guint g = 0; g < G_N_ELEMENTS (names); g++)
        sum += member_int (json_object_get_object_member (groups, names[g]), counted[k]);
      g_assert_cmpint (sum, ==, member_int (requests, counted[k]));
    }
  for (guint g = 0; g < G_N_ELEMENTS (names); g++)
    {
      JsonObject *o = json_object_get_object_member (groups, names[g]);
      double attempts = (double) member_int (o, "attempts");

      g_assert_cmpint (member_int (o, "attempts"), >, 0);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "rate_429"),
                                      member_int (o, "responses_429") / attempts, 1e-6);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "served"),
                                      (double) member_int (o, "completed")
                                      / (double) member_int (o, "generated"), 1e-6);
      g_assert_true (json_object_has_member (json_object_get_object_member (o, "latency_s"),
                                             "p99"));
    }
  /* the office's two clients share one address's 60 per minute, and its
   * queue holds one request: most of its traffic is dropped or refused */
  g_assert_cmpint (member_int (json_object_get_object_member (groups, "office"),
                               "responses_429"), >, 0);
  g_assert_cmpint (member_int (json_object_get_object_member (groups, "partners"),
                               "responses_429"), ==, 0);
  ps_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/run/population", test_population);
  g_test_add_func ("/run/subjects-and-tiers", test_subjects_and_tiers);
  g_test_add_func ("/run/policy-names-fold", test_policy_names_fold);
  g_test_add_func ("/run/bins-at-edges", test_bins_at_edges);
  g_test_add_func ("/run/lane-conservation", test_lane_conservation);
  g_test_add_func ("/run/pending-by-id-across-lanes", test_pending_by_id_across_lanes);
  g_test_add_func ("/run/group-figures", test_group_figures);
  return g_test_run ();
}
