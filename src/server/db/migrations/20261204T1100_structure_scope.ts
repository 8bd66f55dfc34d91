import { type Kysely, sql } from 'kysely';

/**
 * Privacy and tenancy of the register (issue 15, items 2–4).
 *
 * 1. `registration_draft.ej_finess` / `eg_scope`: a draft belongs to the structure it was started
 *    in, not to the account that started it. `eg_scope` lists the EG the draft may end up in (the
 *    creator's EG within that EJ, narrowed to the chosen EG at the situation step); a caller sees
 *    the draft only while his current scope covers all of them. Backfill: the EG of the draft's
 *    situation step when filled; else the owner's live gestionnaire/RL roles when they name one
 *    single EJ; drafts of operators stay theirs (empty scope). The other drafts (owner with no
 *    role left, or roles in several EJ and no EG chosen) cannot be given to a structure: they are
 *    deleted (they hold personal data nobody may resume).
 * 2. `person.contact_ej_finess`: the structure (EJ) the e-mail and mobile were entered for (the
 *    situation created with the person). Others see the contact masked. Backfill: the EJ of the
 *    person's first situation.
 * 3. `identity_check_quota`: per account / API key counters of identity checks (duplicate search,
 *    identification), shared by every app instance, and the lock after failed identifications.
 * 4. `situation_report`: the "ce n'est pas moi" link mailed to a professional when a new
 *    structure adds a situation to his record (token stored hashed), and his claim once made.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('registration_draft')
    .addColumn('ej_finess', 'text')
    .addColumn('eg_scope', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute();
  await sql`
    UPDATE registration_draft d SET eg_scope = ARRAY[s.finess], ej_finess = s.ej_finess
    FROM structure s
    WHERE s.kind = 'EG' AND s.finess = d.situation->>'egFiness'`.execute(db);
  // The owner's live register roles (RL and EJ-wide gestionnaire: every EG of the EJ).
  await sql`
    WITH roles AS (
      SELECT 'account:' || a.id AS owner, r.ej_finess, r.eg_finess
      FROM account a JOIN staff_role r ON r.idnps = a.idnps AND r.revoked_at IS NULL
      WHERE r.role IN ('gestionnaire', 'legal_representative') AND r.ej_finess IS NOT NULL
    ), single AS (
      SELECT owner, min(ej_finess) AS ej_finess FROM roles GROUP BY owner HAVING count(DISTINCT ej_finess) = 1
    ), egs AS (
      SELECT single.owner, single.ej_finess, array_agg(DISTINCT s.finess ORDER BY s.finess) AS egs
      FROM single
      JOIN roles ON roles.owner = single.owner
      JOIN structure s ON s.kind = 'EG' AND s.ej_finess = single.ej_finess AND (roles.eg_finess IS NULL OR roles.eg_finess = s.finess)
      GROUP BY single.owner, single.ej_finess
    )
    UPDATE registration_draft d SET eg_scope = egs.egs, ej_finess = egs.ej_finess
    FROM egs WHERE d.owner_id = egs.owner AND cardinality(d.eg_scope) = 0`.execute(db);
  await sql`
    DELETE FROM registration_draft d
    WHERE cardinality(d.eg_scope) = 0
      AND NOT EXISTS (
        SELECT 1 FROM account a JOIN staff_role r ON r.idnps = a.idnps AND r.revoked_at IS NULL
        WHERE d.owner_id = 'account:' || a.id AND r.role = 'operator')`.execute(db);
  await db.schema.createIndex('registration_draft_ej_idx').on('registration_draft').columns(['ej_finess', 'updated_at']).execute();

  await db.schema.alterTable('person').addColumn('contact_ej_finess', 'text').execute();
  await sql`
    UPDATE person p SET contact_ej_finess = (
      SELECT s.ej_finess FROM situation x JOIN structure s ON s.finess = x.eg_finess
      WHERE x.person_id = p.id ORDER BY x.created_at, x.id LIMIT 1)`.execute(db);

  await db.schema
    .createTable('identity_check_quota')
    .addColumn('subject', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('checks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_identifications', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('situation_report')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('person_id', 'uuid', (c) => c.notNull().references('person.id'))
    .addColumn('situation_id', 'uuid', (c) => c.notNull().references('situation.id'))
    .addColumn('ej_finess', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reported_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('situation_report_person_idx').on('situation_report').column('person_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('situation_report').execute();
  await db.schema.dropTable('identity_check_quota').execute();
  await db.schema.alterTable('person').dropColumn('contact_ej_finess').execute();
  await db.schema.dropIndex('registration_draft_ej_idx').execute();
  await db.schema.alterTable('registration_draft').dropColumn('ej_finess').dropColumn('eg_scope').execute();
}
