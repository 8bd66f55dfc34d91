import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { MachineActor } from './actor.ts';
import { randomToken, safeEqual, sha256Hex } from './tokens.ts';

/**
 * Scopes a machine client can be given. Each machine route declares one in its policy
 * (`machine:<scope>`); a key only reaches the routes of its scopes.
 */
export const apiScopes = {
  'structures:import': 'Import FINESS data',
  'registrations:bulk': 'Bulk registration of staff (dry run and import)',
  'directory:read': 'Read the directory extraction',
  'access:decide': 'Ask DMP access decisions (single and batch)',
  'mssante:read': 'Read the MSSanté eligibility of professionals',
} as const;
export type ApiScope = keyof typeof apiScopes;
export const isApiScope = (s: string): s is ApiScope => Object.hasOwn(apiScopes, s);

/** `rpps_<prefix>_<secret>`: the prefix finds the row, the SHA-256 of the whole key proves it. */
const keyPattern = /^rpps_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;
const touchEveryMs = 60_000;

export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export function createApiKeyService({ db, clock }: Pick<AppContext, 'db' | 'clock'>) {
  return {
    /** Returns the key in clear exactly once; only its hash is stored. */
    async create(input: { name: string; scopes: string[]; createdBy?: string | null; expiresAt?: Date | null }) {
      const unknown = input.scopes.filter((s) => !isApiScope(s));
      if (input.scopes.length === 0 || unknown.length > 0) {
        throw new ValidationError('Portées de clé d’API non valides.', [
          { pointer: '/body/scopes', detail: `Portées connues : ${Object.keys(apiScopes).join(', ')}.` },
        ]);
      }
      const prefix = randomBytes(6).toString('hex');
      const key = `rpps_${prefix}_${randomToken()}`;
      const row = await db
        .insertInto('apiKey')
        .values({
          name: input.name,
          prefix,
          secretHash: sha256Hex(key),
          scopes: [...new Set(input.scopes)].sort(),
          createdBy: input.createdBy ?? null,
          createdAt: clock.now(),
          expiresAt: input.expiresAt ?? null,
        })
        .returning(['id', 'name', 'prefix', 'scopes', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt'])
        .executeTakeFirstOrThrow();
      return { key, apiKey: row satisfies ApiKeySummary };
    },

    async list(): Promise<ApiKeySummary[]> {
      return db
        .selectFrom('apiKey')
        .select(['id', 'name', 'prefix', 'scopes', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt'])
        .orderBy('createdAt', 'desc')
        .execute();
    },

    /** Immediate: the next request with this key is refused. */
    async revoke(id: string): Promise<void> {
      const res = await db
        .updateTable('apiKey')
        .set({ revokedAt: clock.now() })
        .where('id', '=', id)
        .where('revokedAt', 'is', null)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) {
        const exists = await db.selectFrom('apiKey').select('id').where('id', '=', id).executeTakeFirst();
        if (!exists) throw new NotFoundError('Aucune clé d’API ne porte cet identifiant.', 'api-key-not-found');
      }
    },

    /** The machine behind a presented key, or undefined (unknown, malformed, revoked, expired). */
    async authenticate(key: string): Promise<MachineActor | undefined> {
      const match = keyPattern.exec(key);
      if (!match) return undefined;
      const row = await db
        .selectFrom('apiKey')
        .select(['id', 'name', 'scopes', 'secretHash', 'revokedAt', 'expiresAt', 'lastUsedAt'])
        .where('prefix', '=', match[1]!)
        .executeTakeFirst();
      if (!row || !safeEqual(row.secretHash, sha256Hex(key))) return undefined;
      const now = clock.now();
      if (row.revokedAt || (row.expiresAt && new Date(row.expiresAt) <= now)) return undefined;
      if (!row.lastUsedAt || now.getTime() - new Date(row.lastUsedAt).getTime() > touchEveryMs) {
        await db.updateTable('apiKey').set({ lastUsedAt: now }).where('id', '=', row.id).execute();
      }
      return { kind: 'machine', apiKeyId: row.id, name: row.name, scopes: row.scopes };
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
