import type { OidcProviderName } from '../config.ts';
import type { Database } from '../db/database.ts';

export interface ProviderIdentity {
  provider: OidcProviderName;
  subject: string;
  idnps: string | null;
  familyName: string;
  givenName: string;
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * What we keep of a sign-in: PSC gives the IDNPS (`SubjectNameID`, also `preferred_username`);
 * FranceConnect gives the pivot identity, kept in the session only (pre-registration reads it).
 */
export function identityFromClaims(provider: OidcProviderName, claims: Record<string, unknown>): ProviderIdentity {
  const idnps = provider === 'psc' ? text(claims.SubjectNameID) || text(claims.preferred_username) || null : null;
  return {
    provider,
    subject: text(claims.sub),
    idnps,
    familyName: text(claims.family_name),
    givenName: text(claims.given_name),
  };
}

/** Find-or-create by (provider, subject); names are refreshed at every sign-in. */
export async function upsertAccount(db: Database, identity: ProviderIdentity, now: Date): Promise<{ id: string; disabled: boolean }> {
  const row = await db
    .insertInto('account')
    .values({ ...identity, createdAt: now, updatedAt: now, lastLoginAt: now })
    .onConflict((oc) =>
      oc.columns(['provider', 'subject']).doUpdateSet({
        idnps: identity.idnps,
        familyName: identity.familyName,
        givenName: identity.givenName,
        updatedAt: now,
        lastLoginAt: now,
      }),
    )
    .returning(['id', 'disabledAt'])
    .executeTakeFirstOrThrow();
  return { id: row.id, disabled: row.disabledAt !== null };
}
