import type { Kysely } from 'kysely';

/**
 * API keys bound to a structure (docs/authentication.md): `ej_finess` set, the key's
 * `registrations:bulk` scope only imports into the EG of this EJ and only follows this EJ's
 * imports. Null: a national key (every key made before this migration, and the keys an ANS
 * operator creates explicitly as national).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_key').addColumn('ej_finess', 'char(9)', (c) => c.references('structure.finess')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_key').dropColumn('ej_finess').execute();
}
