import { sql, type Kysely } from 'kysely';

/**
 * A person's register EG scope (`registerEgScope`: his EG, and every EG of the EJ he registers
 * for as a whole) is read once per cached session (src/server/auth/actor.ts, issue 18) instead of
 * once per request. It also depends on `structure`: an EG that opens in an EJ, leaves it for
 * another, or is removed changes the scope. Such a change sends `*` on `rpps_auth_changes`, so
 * every instance drops its cached sessions and what it derived from them, as it does for a role
 * (migration 20261205T0240_decisions_auth_change_notify). Statement-level triggers: the FINESS
 * import writes thousands of rows in one statement and notifies at most once, and only when an
 * EG's EJ, kind or number changed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function structure_scope_notify() returns trigger language plpgsql as $$
    declare
      changed boolean;
    begin
      -- One query per operation: a query may name only the transition tables its trigger has.
      if tg_op = 'TRUNCATE' then
        changed := true;
      elsif tg_op = 'INSERT' then
        changed := exists (select 1 from new_rows where kind = 'EG');
      elsif tg_op = 'DELETE' then
        changed := exists (select 1 from old_rows where kind = 'EG');
      else
        changed := exists (
          select 1 from new_rows n full join old_rows o on o.finess = n.finess
           where (n.kind = 'EG' or o.kind = 'EG')
             and (n.finess is null or o.finess is null or n.kind is distinct from o.kind or n.ej_finess is distinct from o.ej_finess));
      end if;
      if changed then perform pg_notify('rpps_auth_changes', '*'); end if;
      return null;
    end
    $$`.execute(db);
  await sql`create trigger structure_scope_insert after insert on structure referencing new table as new_rows for each statement execute function structure_scope_notify()`.execute(db);
  await sql`create trigger structure_scope_update after update on structure referencing old table as old_rows new table as new_rows for each statement execute function structure_scope_notify()`.execute(db);
  await sql`create trigger structure_scope_delete after delete on structure referencing old table as old_rows for each statement execute function structure_scope_notify()`.execute(db);
  await sql`create trigger structure_scope_truncate after truncate on structure for each statement execute function structure_scope_notify()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const op of ['insert', 'update', 'delete', 'truncate']) await sql`drop trigger if exists ${sql.raw(`structure_scope_${op}`)} on structure`.execute(db);
  await sql`drop function if exists structure_scope_notify()`.execute(db);
}
