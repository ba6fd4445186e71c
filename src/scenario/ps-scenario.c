/* ps-scenario.c: the public face of a scenario: load, free, look up
 *
 * Loading is in ps-scenario-load.c and its helpers; this file reads the
 * file, owns the error domain, and answers the questions drivers ask of a
 * loaded scenario.  A PsScenario never changes after loading, so the
 * queries are safe from any thread.
 */
#include "ps-scenario.h"
#include "ps-scenario-private.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (ps-scenario-error-quark, ps_scenario_error)

/* Whole file into memory; errno explains a failure. */
static gboolean
read_file (const char *path, char **out_data, gsize *out_length, int *out_errno)
{
  g_autoptr(GString) data = g_string_new (NULL);
  FILE *f = fopen (path, "rb");
  char buf[65536];
  size_t n;

  if (f == NULL)
    {
      *out_errno = errno;
      return FALSE;
    }
  while ((n = fread (buf, 1, sizeof buf, f)) > 0)
    g_string_append_len (data, buf, (gssize) n);
  if (ferror (f))
    {
      *out_errno = errno;
      fclose (f);
      return FALSE;
    }
  fclose (f);
  *out_length = data->len;
  *out_data = g_string_free (g_steal_pointer (&data), FALSE);
  return TRUE;
}

/**
 * ps_scenario_load_file:
 * @path: the scenario file; messages name it as given
 * @sets: (array zero-terminated=1) (nullable): "key.path=VALUE" overrides,
 *   applied to the document before validation, later ones winning
 * @error: PS_SCENARIO_ERROR, message "FILE:LINE:COL: key.path: what (expected …)"
 *
 * The --set paths are checked first, then the file is read and validated.
 *
 * Returns: (transfer full) (nullable): the scenario, every default filled.
 */
PsScenario *
ps_scenario_load_file (const char *path, const char *const *sets, GError **error)
{
  g_autoptr(PsLoad) load = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  int saved_errno = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  load = ps_load_new (path);
  if ((ops = ps_load_sets_parse (load, sets, error)) == NULL)
    return NULL;
  if (!read_file (path, &data, &length, &saved_errno))
    {
      g_set_error (error, PS_SCENARIO_ERROR, PS_SCENARIO_ERROR_IO,
                   "%s: cannot read the file: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  return ps_load_scenario (load, ops, path, data, length, error);
}

/**
 * ps_scenario_load_data:
 * @data: the document, UTF-8
 * @length: bytes in @data, or -1 if NUL-terminated
 * @path: (nullable): the name messages give the document ("<data>" when
 *   NULL); the scenario name defaults to its base name without ".json",
 *   or to "scenario" when NULL
 * @sets: (array zero-terminated=1) (nullable): as for ps_scenario_load_file()
 *
 * Returns: (transfer full) (nullable): the scenario, or NULL with @error.
 */
PsScenario *
ps_scenario_load_data (const char *data, gssize length, const char *path,
                       const char *const *sets, GError **error)
{
  g_autoptr(PsLoad) load = NULL;
  g_autoptr(GPtrArray) ops = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  load = ps_load_new (path);
  if ((ops = ps_load_sets_parse (load, sets, error)) == NULL)
    return NULL;
  return ps_load_scenario (load, ops, path, data != NULL ? data : "",
                           length < 0 ? strlen (data) : (gsize) length, error);
}

/* Frees @scenario and everything it holds; NULL is a no-op. */
void
ps_scenario_free (PsScenario *scenario)
{
  if (scenario == NULL)
    return;
  for (guint i = 0; i < scenario->n_overrides; i++)
    g_free (scenario->overrides[i].group);
  for (guint i = 0; i < scenario->n_groups; i++)
    {
      g_free (scenario->groups[i].name);
      g_free (scenario->groups[i].priorities);
    }
  g_free (scenario->overrides);
  g_free (scenario->trusted_proxies);
  g_free (scenario->groups);
  g_strfreev (scenario->warnings);
  g_free (scenario->description);
  g_free (scenario->name);
  g_free (scenario->path);
  g_free (scenario);
}

/* Clients over all groups (at most 16 million). */
guint64
ps_scenario_n_clients (const PsScenario *scenario)
{
  guint64 n = 0;

  g_return_val_if_fail (scenario != NULL, 0);
  for (guint i = 0; i < scenario->n_groups; i++)
    n += scenario->groups[i].count;
  return n;
}

/**
 * ps_scenario_quota_for:
 * @group: index into @scenario->groups
 * @ip: the client's address
 * @out_n_policies: (out): how many policies the result holds
 *
 * The policies limiting a client of @group at @ip: those of the first
 * override naming @group or whose CIDR holds @ip, else the default quota.
 *
 * Returns: (transfer none) (array length=out_n_policies): owned by @scenario.
 */
const PsQuotaPolicy *
ps_scenario_quota_for (const PsScenario *scenario, guint group, guint32 ip,
                       guint *out_n_policies)
{
  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (group < scenario->n_groups, NULL);
  g_return_val_if_fail (out_n_policies != NULL, NULL);

  for (guint i = 0; i < scenario->n_overrides; i++)
    {
      const PsQuotaOverride *o = &scenario->overrides[i];

      if ((o->group != NULL && strcmp (o->group, scenario->groups[group].name) == 0)
          || (o->has_cidr && ps_cidr_contains (&o->cidr, ip)))
        {
          *out_n_policies = o->n_policies;
          return o->policies;
        }
    }
  *out_n_policies = scenario->n_quota;
  return scenario->quota;
}
