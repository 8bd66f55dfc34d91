import { type Kysely, sql } from 'kysely';

/**
 * Issue 16, items 1–6 (docs/onboarding-and-policy.md, docs/support.md):
 * - `support_request`: a request filed through the help section's contact form, with its
 *   reference (RPPS-AAAA-NNNNNN, from `support_request_seq`) and the operator's answer.
 * - `contract`: what the contrat d'adhésion's annex asks (SIRET du siège, adresse, matricule of
 *   the RL's card), the version of the MIE terms of use the RL read before it, and `eg_finess`
 *   for a contract signed at FINESS géographique level (null: the whole EJ). The "one live
 *   contract" rule becomes one per contracting structure (the EJ, or the EG).
 * - `rl_succession`: the designation of a new représentant légal on a live contract.
 * - `cgu_version` on the pre-registration request and the registration draft: the version of
 *   the RPPS+ terms of use the consent was given on.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE SEQUENCE support_request_seq`.execute(db);
  await db.schema
    .createTable('support_request')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('finess', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('account_id', 'uuid')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('support_request_status_idx').on('support_request').columns(['status', 'created_at']).execute();

  await db.schema
    .alterTable('contract')
    .addColumn('eg_finess', 'char(9)', (c) => c.references('structure.finess'))
    .addColumn('siret', 'varchar(14)')
    .addColumn('address', 'text')
    .addColumn('rl_card_matricule', 'text')
    .addColumn('mie_cgu_version', 'text')
    .addColumn('mie_cgu_accepted_at', 'timestamptz')
    .execute();
  await sql`DROP INDEX contract_live_ej_idx`.execute(db);
  await sql`CREATE UNIQUE INDEX contract_live_scope_idx ON contract ((coalesce(eg_finess, ej_finess))) WHERE status IN ('draft', 'submitted', 'active')`.execute(db);
  await db.schema.createIndex('contract_eg_idx').on('contract').column('eg_finess').execute();

  await db.schema
    .createTable('rl_succession')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('contract_id', 'uuid', (c) => c.notNull().references('contract.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rl_civility', 'text', (c) => c.notNull())
    .addColumn('rl_family_name', 'text', (c) => c.notNull())
    .addColumn('rl_given_name', 'text', (c) => c.notNull())
    .addColumn('rl_email', 'text', (c) => c.notNull())
    .addColumn('rl_phone', 'text', (c) => c.notNull())
    .addColumn('rl_idnps', 'text')
    .addColumn('rl_card_matricule', 'text')
    .addColumn('mie_cgu_version', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_reason', 'text')
    .execute();
  await db.schema.createIndex('rl_succession_contract_idx').on('rl_succession').column('contract_id').execute();
  await sql`CREATE UNIQUE INDEX rl_succession_pending_idx ON rl_succession (contract_id) WHERE status = 'pending'`.execute(db);

  await db.schema.alterTable('preregistration').addColumn('cgu_version', 'text').execute();
  await db.schema.alterTable('registration_draft').addColumn('cgu_version', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('registration_draft').dropColumn('cgu_version').execute();
  await db.schema.alterTable('preregistration').dropColumn('cgu_version').execute();
  await db.schema.dropTable('rl_succession').execute();
  await sql`DROP INDEX contract_live_scope_idx`.execute(db);
  await sql`CREATE UNIQUE INDEX contract_live_ej_idx ON contract (ej_finess) WHERE status IN ('draft', 'submitted', 'active')`.execute(db);
  await db.schema
    .alterTable('contract')
    .dropColumn('eg_finess')
    .dropColumn('siret')
    .dropColumn('address')
    .dropColumn('rl_card_matricule')
    .dropColumn('mie_cgu_version')
    .dropColumn('mie_cgu_accepted_at')
    .execute();
  await db.schema.dropTable('support_request').execute();
  await sql`DROP SEQUENCE support_request_seq`.execute(db);
}
