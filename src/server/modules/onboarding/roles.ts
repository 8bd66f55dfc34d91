import type { Kysely } from 'kysely';
import type { DB, StaffRoleName } from '../../db/schema.ts';

/**
 * The staff roles the onboarding feeds (source `onboarding:<kind>:<id>`): granted on the EJ, or on
 * each listed EG; revoked all at once by source, so the next request of their holder is refused.
 */
export const roleSource = (kind: 'contract' | 'mandataire' | 'habilitation', id: string) => `onboarding:${kind}:${id}`;

export async function grantRoles(trx: Kysely<DB>, at: Date, src: string, idnps: string, role: StaffRoleName, ejFiness: string, egs: string[] | null) {
  const rows = (egs ?? [null]).map((eg) => ({ idnps, role, ejFiness, egFiness: eg, source: src, createdAt: at }));
  await trx.insertInto('staffRole').values(rows).execute();
}

export async function revokeRoles(trx: Kysely<DB>, at: Date, src: string) {
  await trx.updateTable('staffRole').set({ revokedAt: at }).where('source', '=', src).where('revokedAt', 'is', null).execute();
}
