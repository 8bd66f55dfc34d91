import { type Kysely, sql } from 'kysely';

/**
 * Onboarding of a structure (issue 5, DOMAIN.md "Onboarding of a structure").
 * - `stored_file`: uploaded documents (signed contract, e-learning attestation, later identity
 *   documents) kept in PostgreSQL behind the `FileStore` interface (src/server/files.ts), so one
 *   backup holds everything; the interface can later point at object storage.
 * - `contract`: the contrat d'adhésion of a FINESS EJ (draft → submitted → active / refused →
 *   terminated). At most one live contract (draft, submitted or active) per EJ. Its history is the
 *   `audit_event` trail (entity_type 'contract'), shared with the register.
 * - `card_order`: the card order form records (F101 CDE card of the RL, F301 new CPx card, F502
 *   card already held) — we record them, the card factory is not ours.
 * - `mandataire`: people the RL designates; `habilitation` (+ `habilitation_eg` for EG scopes):
 *   gestionnaires of "Mes Habilitations". Both feed `staff_role` (source `onboarding:<kind>:<id>`),
 *   which sign-in reads on every request, so a revocation applies to the next request.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stored_file')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull().check(sql`content_type in ('application/pdf', 'image/jpeg', 'image/png')`))
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('contract')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('ej_finess', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('draft', 'submitted', 'active', 'refused', 'terminated')`),
    )
    .addColumn('strategy', 'text', (c) => c.notNull().defaultTo('centralized').check(sql`strategy in ('centralized', 'decentralized')`))
    .addColumn('rl_civility', 'text', (c) => c.notNull())
    .addColumn('rl_family_name', 'text', (c) => c.notNull())
    .addColumn('rl_given_name', 'text', (c) => c.notNull())
    .addColumn('rl_email', 'text', (c) => c.notNull())
    .addColumn('rl_phone', 'text', (c) => c.notNull())
    .addColumn('rl_idnps', 'text')
    .addColumn('cde_idnps', 'text')
    .addColumn('signed_on', 'date')
    .addColumn('signed_file_id', 'uuid', (c) => c.references('stored_file.id'))
    .addColumn('decision_reason', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('terminated_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE UNIQUE INDEX contract_live_ej_idx ON contract (ej_finess) WHERE status IN ('draft', 'submitted', 'active')`.execute(db);
  await db.schema.createIndex('contract_ej_idx').on('contract').column('ej_finess').execute();
  await db.schema.createIndex('contract_status_idx').on('contract').columns(['status', 'submitted_at']).execute();
  await db.schema.createIndex('contract_requested_by_idx').on('contract').column('requested_by').execute();
  await db.schema.createIndex('contract_signed_file_idx').on('contract').column('signed_file_id').execute();

  await sql`CREATE SEQUENCE cde_card_seq START WITH 1000`.execute(db);

  await db.schema
    .createTable('habilitation')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('ej_finess', 'text', (c) => c.notNull())
    .addColumn('idnps', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('scope_kind', 'text', (c) => c.notNull().check(sql`scope_kind in ('ej', 'eg')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'revoked')`))
    .addColumn('credential', 'text', (c) => c.notNull().check(sql`credential in ('card', 'ecps')`))
    .addColumn('card_form', 'text', (c) => c.check(sql`card_form in ('F301', 'F502')`))
    .addColumn('card_form_reference', 'text')
    .addColumn('attestation_file_id', 'uuid', (c) => c.notNull().references('stored_file.id'))
    .addColumn('elearning_completed_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_by', 'text')
    .addColumn('revoke_reason', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE UNIQUE INDEX habilitation_active_person_idx ON habilitation (ej_finess, idnps) WHERE status = 'active'`.execute(db);
  await db.schema.createIndex('habilitation_ej_idx').on('habilitation').columns(['ej_finess', 'status']).execute();
  await db.schema.createIndex('habilitation_idnps_idx').on('habilitation').column('idnps').execute();
  await db.schema.createIndex('habilitation_attestation_idx').on('habilitation').column('attestation_file_id').execute();
  await sql`CREATE INDEX habilitation_ends_on_idx ON habilitation (ends_on) WHERE status = 'active' AND ends_on IS NOT NULL`.execute(db);

  await db.schema
    .createTable('habilitation_eg')
    .addColumn('habilitation_id', 'uuid', (c) => c.notNull().references('habilitation.id').onDelete('cascade'))
    .addColumn('eg_finess', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('habilitation_eg_pkey', ['habilitation_id', 'eg_finess'])
    .execute();
  await db.schema.createIndex('habilitation_eg_eg_idx').on('habilitation_eg').column('eg_finess').execute();

  await db.schema
    .createTable('mandataire')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('ej_finess', 'text', (c) => c.notNull())
    .addColumn('idnps', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('designated_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_by', 'text')
    .execute();
  await sql`CREATE UNIQUE INDEX mandataire_active_person_idx ON mandataire (ej_finess, idnps) WHERE revoked_at IS NULL`.execute(db);
  await db.schema.createIndex('mandataire_idnps_idx').on('mandataire').column('idnps').execute();

  await db.schema
    .createTable('card_order')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('ej_finess', 'text', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull().check(sql`form in ('F101', 'F301', 'F502')`))
    .addColumn('card_kind', 'text', (c) => c.notNull().check(sql`card_kind in ('CDE', 'CPS', 'CPE')`))
    .addColumn('holder_idnps', 'text')
    .addColumn('holder_family_name', 'text', (c) => c.notNull())
    .addColumn('holder_given_name', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('contract_id', 'uuid', (c) => c.references('contract.id'))
    .addColumn('habilitation_id', 'uuid', (c) => c.references('habilitation.id'))
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('card_order_ej_idx').on('card_order').column('ej_finess').execute();
  await db.schema.createIndex('card_order_contract_idx').on('card_order').column('contract_id').execute();
  await db.schema.createIndex('card_order_habilitation_idx').on('card_order').column('habilitation_id').execute();

  // Roles fed by this module are found by their source when revoked or re-scoped.
  await db.schema.createIndex('staff_role_source_idx').on('staff_role').column('source').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('staff_role_source_idx').execute();
  for (const table of ['card_order', 'mandataire', 'habilitation_eg', 'habilitation', 'contract', 'stored_file']) {
    await db.schema.dropTable(table).execute();
  }
  await sql`DROP SEQUENCE cde_card_seq`.execute(db);
}
