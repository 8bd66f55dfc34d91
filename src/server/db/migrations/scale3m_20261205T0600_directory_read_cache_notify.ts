import { sql, type Kysely } from 'kysely';

/**
 * Every change of a published resource sends a notification on channel `rpps_directory_changes`,
 * from a trigger, so in the same transaction as the change (delivered at commit, never for a
 * rolled-back change) and whichever code makes it (the publication job, a rebuild, a FINESS
 * import, a seed). Each instance keeps the FHIR resources it has served by id while it LISTENs on
 * that channel and drops the ones named (src/server/modules/fhir/read-cache.ts,
 * docs/directory-and-fhir.md).
 *
 * One notification per statement, not per row (statement-level triggers over the rows it changed):
 * `p:<id>,<id>…` (directory_practitioner), `r:<id>,…` (directory_practitioner_role), `o:<finess>,…`
 * (structure: the Organization), or `*` (more than 100 rows, or a table truncated: every entry).
 * Only updates and deletes: an insert changes no resource already served (absences are not cached).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function directory_read_cache_notify() returns trigger language plpgsql as $$
    declare
      n int;
      keys text;
    begin
      if tg_op = 'TRUNCATE' then
        perform pg_notify('rpps_directory_changes', '*');
        return null;
      end if;
      if tg_table_name = 'structure' then
        select count(*), string_agg(rtrim(k), ',') into n, keys from (select finess as k from changed limit 101) c;
      else
        select count(*), string_agg(k, ',') into n, keys from (select id as k from changed limit 101) c;
      end if;
      if n > 100 then
        perform pg_notify('rpps_directory_changes', '*');
      elsif n > 0 then
        perform pg_notify('rpps_directory_changes', tg_argv[0] || ':' || keys);
      end if;
      return null;
    end
    $$`.execute(db);
  // A trigger with a transition table has one event: one for updates, one for deletes.
  for (const [table, kind] of [['directory_practitioner', 'p'], ['directory_practitioner_role', 'r'], ['structure', 'o']] as const) {
    for (const event of ['update', 'delete'] as const) {
      await sql`
        create trigger ${sql.raw(`${table}_read_cache_${event}`)} after ${sql.raw(event)} on ${sql.table(table)}
        referencing old table as changed for each statement execute function directory_read_cache_notify(${sql.lit(kind)})`.execute(db);
    }
    await sql`
      create trigger ${sql.raw(`${table}_read_cache_truncate`)} after truncate on ${sql.table(table)}
      for each statement execute function directory_read_cache_notify(${sql.lit(kind)})`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['directory_practitioner', 'directory_practitioner_role', 'structure']) {
    for (const event of ['update', 'delete', 'truncate']) {
      await sql`drop trigger if exists ${sql.raw(`${table}_read_cache_${event}`)} on ${sql.table(table)}`.execute(db);
    }
  }
  await sql`drop function if exists directory_read_cache_notify()`.execute(db);
}
