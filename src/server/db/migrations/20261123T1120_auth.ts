import { type Kysely, sql } from 'kysely';

/**
 * Sign-in (issue 4).
 * - `account`: one row per identity-provider subject (provider + sub). `idnps` links a PSC
 *   account to the national person identifier; FranceConnect accounts have none.
 * - `staff_role`: what a person may do, keyed by IDNPS so it follows the person whatever card
 *   or e-CPS he signs in with. Minimal on purpose: the contracts / "Mes Habilitations" issue owns
 *   how rows get here (and their history); sign-in only reads the live ones on every request,
 *   so a revocation (`revoked_at`) takes effect on the next request.
 * - `session`: server-side sessions shared by every app instance. The primary key is the
 *   SHA-256 of the cookie value, so a database dump does not hand out live sessions.
 * - `auth_transaction`: the state/nonce/PKCE verifier of a sign-in in progress, consumed once
 *   by the callback (a replayed callback finds nothing).
 * - `api_key`: machine clients; only the SHA-256 of the secret is stored.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('account')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('provider', 'text', (c) => c.notNull().check(sql`provider in ('psc', 'franceconnect')`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('idnps', 'text')
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_login_at', 'timestamptz')
    .addColumn('disabled_at', 'timestamptz')
    .addUniqueConstraint('account_provider_subject_key', ['provider', 'subject'])
    .execute();
  await db.schema.createIndex('account_idnps_idx').on('account').column('idnps').execute();

  await db.schema
    .createTable('staff_role')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('idnps', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('operator', 'legal_representative', 'mandataire', 'gestionnaire')`),
    )
    .addColumn('ej_finess', 'text')
    .addColumn('eg_finess', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    // An operator works nationally; every other role is tied to an EJ (and maybe one EG).
    .addCheckConstraint('staff_role_scope_check', sql`(role = 'operator') = (ej_finess is null)`)
    .execute();
  await db.schema.createIndex('staff_role_idnps_idx').on('staff_role').column('idnps').execute();

  await db.schema
    .createTable('session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('account.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('id_token', 'text')
    .addColumn('identity', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('session_account_id_idx').on('session').column('account_id').execute();
  await db.schema.createIndex('session_expires_at_idx').on('session').column('expires_at').execute();

  await db.schema
    .createTable('auth_transaction')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_transaction_expires_at_idx').on('auth_transaction').column('expires_at').execute();

  await db.schema
    .createTable('api_key')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull().unique())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('account.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('api_key_created_by_idx').on('api_key').column('created_by').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['api_key', 'auth_transaction', 'session', 'staff_role', 'account']) {
    await db.schema.dropTable(table).execute();
  }
}
