/* ps-sweep-journal.c: the shards' records of finished runs
 *
 * Values are written with 17 significant digits, so a merged table is
 * built from exactly the numbers an unsharded sweep held in memory.
 */
#include "ps-sweep-journal.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <unistd.h>

struct _PsSweepJournal
{
  char  *path;
  FILE  *file;
  guint  n_metrics;
  int    error_errno;         /* the first write error */
};

static gboolean
io_failed (GError **error, const char *what, const char *path, int saved)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "cannot %s %s: %s",
               what, path, g_strerror (saved));
  return FALSE;
}

/* Run i = point · reps + rep belongs to shard (i mod N) + 1: every shard
 * gets the same number of runs, give or take one, spread over the points. */
gboolean
ps_sweep_shard_owns (const PsSweepPlan *plan, guint point, guint rep, guint shard,
                     guint n_shards)
{
  guint64 i = (guint64) point * plan->reps + rep;

  return i % n_shards == shard - 1;
}

static char *
definition_text (const PsSweepPlan *plan)
{
  g_autoptr(JsonNode) def = ps_sweep_plan_definition (plan);

  return json_to_string (def, FALSE);
}

static char *
shard_path (const char *dir, guint shard, guint n_shards, const char *ext)
{
  g_autofree char *name = g_strdup_printf ("%u-of-%u.%s", shard, n_shards, ext);

  return g_build_filename (dir, "shards", name, NULL);
}

static char *
header (const PsSweepPlan *plan)
{
  GString *h = g_string_new ("point,rep,seed,events,generated");

  for (guint i = 0; i < plan->metrics->len; i++)
    g_string_append_printf (h, ",%s", (const char *) plan->metrics->pdata[i]);
  return g_string_free (h, FALSE);
}

static gboolean
parse_u64 (const char *text, guint64 max, guint64 *out)
{
  return g_ascii_string_to_unsigned (text, 10, 0, max, out, NULL);
}

/* One journal line into a run; FALSE when it is not one. */
static PsSweepRun *
parse_line (const PsSweepPlan *plan, const char *line)
{
  g_auto(GStrv) f = g_strsplit (line, ",", -1);
  guint64 point, rep, seed, events, generated;
  g_autoptr(PsSweepRun) run = NULL;

  if (g_strv_length (f) != 5 + plan->metrics->len
      || !parse_u64 (f[0], plan->n_points - 1, &point)
      || !parse_u64 (f[1], PS_SWEEP_MAX_REPS, &rep)
      || !parse_u64 (f[2], G_MAXUINT64, &seed) || !parse_u64 (f[3], G_MAXUINT64, &events)
      || !parse_u64 (f[4], G_MAXUINT64, &generated))
    return NULL;
  run = ps_sweep_run_new ((guint) point, (guint) rep, plan->metrics->len);
  run->seed = seed;
  run->events = events;
  run->generated = generated;
  for (guint i = 0; i < plan->metrics->len; i++)
    {
      char *end = NULL;

      if (f[5 + i][0] == '\0')
        continue;
      errno = 0;
      run->values[i] = g_ascii_strtod (f[5 + i], &end);
      if (errno != 0 || *end != '\0')
        return NULL;
    }
  return g_steal_pointer (&run);
}

/* The complete lines of a journal: a last line cut short by an interrupt
 * is dropped.  *out_valid: how many bytes hold whole lines. */
static gboolean
read_runs (const PsSweepPlan *plan, const char *path, GPtrArray *out, gsize *out_valid,
           GError **error)
{
  g_autofree char *data = NULL;
  g_autofree char *expected = header (plan);
  gsize length = 0, at;
  g_autoptr(GError) local = NULL;
  char *nl;

  if (!g_file_get_contents (path, &data, &length, &local))
    return ps_sweep_invalid (error, "%s: %s", path, local->message);
  nl = memchr (data, '\n', length);
  if (nl == NULL || (gsize) (nl - data) != strlen (expected)
      || memcmp (data, expected, strlen (expected)) != 0)
    return ps_sweep_invalid (error, "%s: not this sweep's journal (its header differs)", path);
  at = (gsize) (nl - data) + 1;
  while (at < length)
    {
      char *end = memchr (data + at, '\n', length - at);
      PsSweepRun *run;

      if (end == NULL)
        break;                          /* cut short: not finished */
      *end = '\0';
      run = parse_line (plan, data + at);
      if (run == NULL)
        return ps_sweep_invalid (error, "%s: line \"%s\" is not a run of this sweep", path, data + at);
      g_ptr_array_add (out, run);
      at = (gsize) (end - data) + 1;
    }
  if (out_valid != NULL)
    *out_valid = at;
  return TRUE;
}

/* The definition a shard file records, checked against @expected_text. */
static gboolean
read_shard_definition (const char *path, guint *out_shard, guint *out_n, char **out_text,
                       JsonNode **out_definition, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  JsonObject *o;
  JsonNode *def;

  if (!json_parser_load_from_file (parser, path, &local))
    return ps_sweep_invalid (error, "%s: %s", path, local->message);
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return ps_sweep_invalid (error, "%s: not a shard record", path);
  o = json_node_get_object (json_parser_get_root (parser));
  def = json_object_get_member (o, "definition");
  if (def == NULL || !json_object_has_member (o, "shard") || !json_object_has_member (o, "shards"))
    return ps_sweep_invalid (error, "%s: not a shard record", path);
  *out_shard = (guint) json_object_get_int_member (o, "shard");
  *out_n = (guint) json_object_get_int_member (o, "shards");
  *out_text = json_to_string (def, FALSE);
  if (out_definition != NULL)
    *out_definition = json_node_copy (def);
  return TRUE;
}

static gboolean
write_shard_record (const char *path, const PsSweepPlan *plan, guint shard, guint n_shards,
                    GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "shard");
  json_builder_add_int_value (b, shard);
  json_builder_set_member_name (b, "shards");
  json_builder_add_int_value (b, n_shards);
  json_builder_set_member_name (b, "definition");
  json_builder_add_value (b, ps_sweep_plan_definition (plan));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, TRUE);
  return g_file_set_contents (path, text, -1, error);
}

/**
 * ps_sweep_journal_open:
 * @out_done: (nullable): with @resume, the runs the journal already has
 *
 * Starts the journal of shard @shard of @n_shards in @dir.  With @resume,
 * an existing journal of the same sweep is continued (a different sweep
 * there is an error); without, any earlier journal of this shard is
 * replaced.
 */
PsSweepJournal *
ps_sweep_journal_open (const char *dir, const PsSweepPlan *plan, guint shard,
                       guint n_shards, gboolean resume, GPtrArray *out_done, GError **error)
{
  g_autofree char *shards = g_build_filename (dir, "shards", NULL);
  g_autofree char *record = shard_path (dir, shard, n_shards, "json");
  g_autofree char *path = shard_path (dir, shard, n_shards, "csv");
  g_autofree char *head = header (plan);
  g_autoptr(PsSweepJournal) j = g_new0 (PsSweepJournal, 1);
  gboolean resuming = resume && g_file_test (record, G_FILE_TEST_EXISTS)
                      && g_file_test (path, G_FILE_TEST_EXISTS);
  gsize valid = 0;

  j->path = g_strdup (path);
  j->n_metrics = plan->metrics->len;
  if (g_mkdir_with_parents (shards, 0777) != 0)
    return io_failed (error, "create", shards, errno), NULL;
  if (resuming)
    {
      g_autofree char *mine = definition_text (plan);
      g_autofree char *theirs = NULL;
      guint k, n;

      if (!read_shard_definition (record, &k, &n, &theirs, NULL, error))
        return NULL;
      if (strcmp (mine, theirs) != 0)
        return ps_sweep_invalid (error, "--resume: %s holds a different sweep (its scenario, "
                        "--set, --vary, --reps or --metric differ); give another -o "
                        "or run without --resume to start again", dir), NULL;
      if (!read_runs (plan, path, out_done, &valid, error))
        return NULL;
      if (truncate (path, (off_t) valid) != 0)
        return io_failed (error, "truncate", path, errno), NULL;
      j->file = g_fopen (path, "ab");
    }
  else
    {
      if (!write_shard_record (record, plan, shard, n_shards, error))
        return NULL;
      j->file = g_fopen (path, "wb");
      if (j->file != NULL)
        fprintf (j->file, "%s\n", head);
    }
  if (j->file == NULL || fflush (j->file) != 0)
    return io_failed (error, "write", path, errno), NULL;
  return g_steal_pointer (&j);
}

/* One line, flushed: a run is either in the journal or not. */
gboolean
ps_sweep_journal_append (PsSweepJournal *j, const PsSweepRun *run)
{
  GString *line = g_string_sized_new (128);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (line, "%u,%u,%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
                          ",%" G_GUINT64_FORMAT, run->point, run->rep, run->seed,
                          run->events, run->generated);
  for (guint i = 0; i < j->n_metrics; i++)
    {
      g_string_append_c (line, ',');
      if (!isnan (run->values[i]))
        g_string_append (line, g_ascii_formatd (buf, sizeof buf, "%.17g", run->values[i]));
    }
  g_string_append_c (line, '\n');
  if (fwrite (line->str, 1, line->len, j->file) != line->len || fflush (j->file) != 0)
    j->error_errno = j->error_errno ? j->error_errno : errno;
  g_string_free (line, TRUE);
  return j->error_errno == 0;
}

gboolean
ps_sweep_journal_close (PsSweepJournal *j, GError **error)
{
  int saved = j->error_errno;

  if (j->file != NULL && fclose (j->file) != 0 && saved == 0)
    saved = errno;
  j->file = NULL;
  if (saved != 0)
    return io_failed (error, "write", j->path, saved);
  return TRUE;
}

void
ps_sweep_journal_free (PsSweepJournal *j)
{
  if (j == NULL)
    return;
  if (j->file != NULL)
    fclose (j->file);
  g_free (j->path);
  g_free (j);
}

/* Shard records in @dir/shards, sorted by name. */
static GPtrArray *
list_records (const char *dir, GError **error)
{
  g_autofree char *shards = g_build_filename (dir, "shards", NULL);
  g_autoptr(GDir) d = g_dir_open (shards, 0, NULL);
  GPtrArray *out;
  const char *name;

  if (d == NULL)
    return ps_sweep_invalid (error, "%s: no shards/ here (not a sweep directory)", dir), NULL;
  out = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (out, g_build_filename (shards, name, NULL));
  g_ptr_array_sort (out, (GCompareFunc) g_strcmp0);
  return out;
}

/**
 * ps_sweep_journal_merge:
 *
 * Reads every shard of the sweep in @dir: they must be shards of one
 * sweep, all N of them, each with all of its runs.
 * Returns: the plan (from the shards' definition) and the runs, sorted.
 */
gboolean
ps_sweep_journal_merge (const char *dir, PsSweepPlan **out_plan, GPtrArray **out_runs,
                        GError **error)
{
  g_autoptr(GPtrArray) records = list_records (dir, error);
  g_autoptr(PsSweepPlan) plan = NULL;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_sweep_run_free);
  g_autofree char *first = NULL;
  g_autofree gboolean *seen = NULL;
  g_autofree guint8 *have = NULL;
  guint n_shards = 0;

  if (records == NULL)
    return FALSE;
  if (records->len == 0)
    return ps_sweep_invalid (error, "%s: no shard records in %s/shards", dir, dir);
  for (guint i = 0; i < records->len; i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(JsonNode) def = NULL;
      guint k, n;

      if (!read_shard_definition (records->pdata[i], &k, &n, &text, &def, error))
        return FALSE;
      if (first == NULL)
        {
          first = g_strdup (text);
          n_shards = n;
          if (n == 0 || (plan = ps_sweep_plan_from_definition (def, error)) == NULL)
            return FALSE;
          seen = g_new0 (gboolean, n);
        }
      else if (strcmp (first, text) != 0 || n != n_shards)
        return ps_sweep_invalid (error, "merge: %s is a shard of a different sweep than %s "
                        "(their definitions or shard counts differ)",
                        (const char *) records->pdata[i], (const char *) records->pdata[0]);
      if (k < 1 || k > n_shards || seen[k - 1])
        return ps_sweep_invalid (error, "merge: %s: shard %u of %u is not expected here",
                        (const char *) records->pdata[i], k, n_shards);
      seen[k - 1] = TRUE;
    }
  for (guint k = 1; k <= n_shards; k++)
    if (!seen[k - 1])
      return ps_sweep_invalid (error, "merge: shard %u of %u is missing in %s/shards (run it with "
                      "--shard %u/%u, same options, same -o)", k, n_shards, dir, k, n_shards);
  have = g_new0 (guint8, (gsize) plan->n_points * plan->reps);
  for (guint k = 1; k <= n_shards; k++)
    {
      g_autofree char *path = shard_path (dir, k, n_shards, "csv");
      guint before = runs->len;

      if (!read_runs (plan, path, runs, NULL, error))
        return FALSE;
      for (guint i = before; i < runs->len; i++)
        {
          const PsSweepRun *r = runs->pdata[i];
          gsize at = (gsize) r->point * plan->reps + r->rep;

          if (r->rep >= plan->reps || !ps_sweep_shard_owns (plan, r->point, r->rep, k, n_shards)
              || have[at]++)
            return ps_sweep_invalid (error, "merge: %s has a run (point %u, replication %u) that "
                            "is not its own or is there twice", path, r->point, r->rep);
        }
    }
  for (guint k = 1; k <= n_shards; k++)
    {
      guint missing = 0;

      for (guint p = 0; p < plan->n_points; p++)
        for (guint r = 0; r < plan->reps; r++)
          missing += ps_sweep_shard_owns (plan, p, r, k, n_shards)
                     && !have[(gsize) p * plan->reps + r];
      if (missing > 0)
        return ps_sweep_invalid (error, "merge: shard %u of %u has not finished (%u of its runs "
                        "missing; run it again with --resume)", k, n_shards, missing);
    }
  g_ptr_array_sort (runs, ps_sweep_run_compare);
  *out_plan = g_steal_pointer (&plan);
  *out_runs = g_steal_pointer (&runs);
  return TRUE;
}
