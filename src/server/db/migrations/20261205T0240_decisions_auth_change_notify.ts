import { sql, type Kysely } from 'kysely';

/**
 * Every change that can alter who a session is or which roles it carries sends a notification on
 * channel `rpps_auth_changes`, from a trigger, so in the same transaction as the change (a NOTIFY
 * is delivered at commit, never for a rolled-back change) and whichever code makes it. Each
 * instance keeps a few seconds' cache of sessions and roles while it LISTENs on that channel and
 * drops the entries named (src/server/auth/session-cache.ts, docs/authentication.md). Payloads:
 * `s:<session id>` (a session deleted or changed; not its `last_seen_at`), `a:<account id>` (an
 * account disabled, renamed, re-linked or deleted), `i:<idnps>` (a role granted, revoked or
 * deleted), `*` (a table truncated: every entry).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function auth_change_notify() returns trigger language plpgsql as $$
    begin
      if tg_level = 'STATEMENT' then
        perform pg_notify('rpps_auth_changes', '*');
        return null;
      end if;
      if tg_table_name = 'session' then
        perform pg_notify('rpps_auth_changes', 's:' || old.id);
      elsif tg_table_name = 'account' then
        perform pg_notify('rpps_auth_changes', 'a:' || old.id::text);
      elsif tg_table_name = 'staff_role' then
        if tg_op <> 'INSERT' then perform pg_notify('rpps_auth_changes', 'i:' || old.idnps); end if;
        if tg_op <> 'DELETE' then perform pg_notify('rpps_auth_changes', 'i:' || new.idnps); end if;
      end if;
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger session_auth_change after delete or update of id, account_id, provider, csrf_token, id_token, identity, expires_at
    on session for each row execute function auth_change_notify()`.execute(db);
  // A WHEN clause may not read NEW in a DELETE trigger: two triggers.
  await sql`
    create trigger account_auth_change after update on account for each row
    when (old.idnps is distinct from new.idnps or old.disabled_at is distinct from new.disabled_at
      or old.family_name is distinct from new.family_name or old.given_name is distinct from new.given_name)
    execute function auth_change_notify()`.execute(db);
  await sql`create trigger account_auth_delete after delete on account for each row execute function auth_change_notify()`.execute(db);
  await sql`create trigger staff_role_auth_change after insert or update or delete on staff_role for each row execute function auth_change_notify()`.execute(db);
  for (const table of ['session', 'account', 'staff_role']) {
    await sql`create trigger ${sql.raw(`${table}_auth_truncate`)} after truncate on ${sql.table(table)} for each statement execute function auth_change_notify()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['session', 'account', 'staff_role']) {
    await sql`drop trigger if exists ${sql.raw(`${table}_auth_truncate`)} on ${sql.table(table)}`.execute(db);
    await sql`drop trigger if exists ${sql.raw(`${table}_auth_change`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop trigger if exists account_auth_delete on account`.execute(db);
  await sql`drop function if exists auth_change_notify()`.execute(db);
}
