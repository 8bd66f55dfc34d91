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

/**
 * A key is bound to one structure (`ejFiness`) or national. Bound, its `registrations:bulk` scope
 * imports only into the EG of its EJ and follows only that EJ's imports; the directory, access
 * decisions and MSSanté scopes read national data whatever the binding. `registrations:bulk`
 * needs a choice at creation (an EJ, or `national: true` for an ANS operator's own tool), and
 * `structures:import` (the national FINESS referential) is never given to a structure's key.
 */
const structureScoped: readonly ApiScope[] = ['registrations:bulk'];
const nationalOnly: readonly ApiScope[] = ['structures:import'];

/** `rpps_<prefix>_<secret>`: the prefix finds the row, the SHA-256 of the whole key proves it. */
const keyPattern = /^rpps_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;
const touchEveryMs = 60_000;
/**
 * A verified key is remembered this long for routes that check the key again in their own query
 * (`apiKeyRecheckedByRoute`): the decision's situations query says whether the key is still valid,
 * so a revocation still refuses the very next decision (issue 18: one round trip less per decision).
 */
const recheckedCacheMs = 60_000;
const recheckedCacheMax = 10_000;

export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  /** The EJ the key acts for; null: national. */
  ejFiness: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export function createApiKeyService({ db, clock }: Pick<AppContext, 'db' | 'clock'>) {
  const verified = new Map<string, { hash: string; machine: MachineActor; expiresAt: Date | null; at: number }>();
  return {
    /** Returns the key in clear exactly once; only its hash is stored. */
    async create(input: { name: string; scopes: string[]; ejFiness?: string | null; national?: boolean; createdBy?: string | null; expiresAt?: Date | null }) {
      const unknown = input.scopes.filter((s) => !isApiScope(s));
      if (input.scopes.length === 0 || unknown.length > 0) {
        throw new ValidationError('Portées de clé d’API non valides.', [
          { pointer: '/body/scopes', detail: `Portées connues : ${Object.keys(apiScopes).join(', ')}.` },
        ]);
      }
      if (input.expiresAt && input.expiresAt.getTime() <= clock.now().getTime()) {
        throw new ValidationError('La date d’expiration de la clé est déjà passée.', [{ pointer: '/body/expiresAt', detail: 'Indiquez une date à venir, ou aucune.' }]);
      }
      const ejFiness = input.ejFiness ?? null;
      if (ejFiness !== null) {
        if (input.national) throw new ValidationError('Une clé d’API est nationale ou rattachée à une structure, pas les deux.', [{ pointer: '/body/national', detail: 'Retirez « national » ou l’entité juridique.' }]);
        const ej = await db.selectFrom('structure').select('finess').where('finess', '=', ejFiness).where('kind', '=', 'EJ').executeTakeFirst();
        if (!ej) throw new ValidationError('Entité juridique inconnue.', [{ pointer: '/body/ejFiness', detail: 'Numéro FINESS d’une entité juridique attendu.' }]);
        const national = input.scopes.filter((s) => nationalOnly.includes(s as ApiScope));
        if (national.length > 0) {
          throw new ValidationError('Portée réservée aux clés nationales.', [{ pointer: '/body/scopes', detail: `${national.join(', ')} : jamais donnée à la clé d’une structure.` }]);
        }
      } else if (!input.national && input.scopes.some((s) => structureScoped.includes(s as ApiScope))) {
        throw new ValidationError('Rattachez la clé à une entité juridique.', [
          { pointer: '/body/ejFiness', detail: `${structureScoped.join(', ')} : indiquez l’entité juridique pour laquelle la clé importe, ou « national » pour un outil de l’ANS.` },
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
          ejFiness,
          createdBy: input.createdBy ?? null,
          createdAt: clock.now(),
          expiresAt: input.expiresAt ?? null,
        })
        .returning(['id', 'name', 'prefix', 'scopes', 'ejFiness', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt'])
        .executeTakeFirstOrThrow();
      return { key, apiKey: row satisfies ApiKeySummary };
    },

    async list(): Promise<ApiKeySummary[]> {
      return db
        .selectFrom('apiKey')
        .select(['id', 'name', 'prefix', 'scopes', 'ejFiness', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt'])
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

    /**
     * The machine behind a presented key, or undefined (unknown, malformed, revoked, expired).
     * `recheckedByRoute`: the route checks the key's validity again in its own query before it
     * answers (access decisions), so a key verified in the last minute is taken from memory.
     */
    async authenticate(key: string, options: { recheckedByRoute?: boolean } = {}): Promise<MachineActor | undefined> {
      const match = keyPattern.exec(key);
      if (!match) return undefined;
      const hash = sha256Hex(key);
      if (options.recheckedByRoute) {
        const hit = verified.get(match[1]!);
        const now = clock.now();
        if (hit && Date.now() - hit.at < recheckedCacheMs && safeEqual(hit.hash, hash) && !(hit.expiresAt && hit.expiresAt <= now)) return hit.machine;
      }
      const row = await db
        .selectFrom('apiKey')
        .select(['id', 'name', 'scopes', 'ejFiness', 'secretHash', 'revokedAt', 'expiresAt', 'lastUsedAt'])
        .where('prefix', '=', match[1]!)
        .executeTakeFirst();
      if (!row || !safeEqual(row.secretHash, hash)) return undefined;
      const now = clock.now();
      if (row.revokedAt || (row.expiresAt && new Date(row.expiresAt) <= now)) return undefined;
      if (!row.lastUsedAt || now.getTime() - new Date(row.lastUsedAt).getTime() > touchEveryMs) {
        await db.updateTable('apiKey').set({ lastUsedAt: now }).where('id', '=', row.id).execute();
      }
      const machine: MachineActor = { kind: 'machine', apiKeyId: row.id, name: row.name, scopes: row.scopes, ejFiness: row.ejFiness };
      if (options.recheckedByRoute) {
        if (verified.size >= recheckedCacheMax) verified.clear();
        verified.set(match[1]!, { hash, machine, expiresAt: row.expiresAt ? new Date(row.expiresAt) : null, at: Date.now() });
      }
      return machine;
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
