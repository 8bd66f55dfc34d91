import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { AppContext } from '../context.ts';
import type { OidcProviderName } from '../config.ts';
import { attachDerivedValues, type PersonActor, type StaffRole } from './actor.ts';
import { type CachedSession, createSessionCache } from './session-cache.ts';
import { randomToken, sha256Hex } from './tokens.ts';

/** Writing `last_seen_at` on every request would turn reads into writes: once a minute is enough. */
const touchEveryMs = 60_000;
/** Sessions kept by the cache of one process at most (the oldest leave first). */
const cacheMaxEntries = 10_000;

/** Session, account and live roles, as one query reads them (and the cache keeps them). */
interface SessionRow extends CachedSession {
  provider: OidcProviderName;
  csrfToken: string;
  lastSeenAt: number;
  expiresAt: number;
  idToken: string | null;
  identity: Record<string, unknown>;
  familyName: string;
  givenName: string;
  disabledAt: unknown;
  roles: StaffRole[];
}

export interface NewSession {
  accountId: string;
  provider: OidcProviderName;
  idToken: string | null;
  identity: Record<string, unknown>;
}

/**
 * Server-side sessions in PostgreSQL, shared by every instance. The browser holds a random
 * token; the table holds its SHA-256. Idle and absolute timeouts are checked on every read.
 */
export function createSessionStore({ db, clock, config }: AppContext) {
  const { sessionIdleMs, sessionAbsoluteMs } = config.auth;
  const resolvedIdentity = new WeakMap<PersonActor, { idToken: string | null; identity: Record<string, unknown> }>();
  const cache = createSessionCache<SessionRow>({ ttlMs: config.auth.sessionCacheMs, maxEntries: cacheMaxEntries });
  /** Per session row (the cache keeps the same row object while it keeps the entry): values derived from it (actor.ts). */
  const derivedOfRow = new WeakMap<SessionRow, Map<string, unknown>>();

  const actorOf = (id: string, row: SessionRow): PersonActor => {
    const actor: PersonActor = {
      kind: 'person',
      accountId: row.accountId,
      sessionId: id,
      provider: row.provider,
      idnps: row.idnps,
      familyName: row.familyName,
      givenName: row.givenName,
      roles: row.idnps ? row.roles.map((r) => ({ ...r })) : [],
      csrfToken: row.csrfToken,
    };
    // Kept beside the actor, not on it: the identity (état civil) must not travel with the actor into logs.
    resolvedIdentity.set(actor, { idToken: row.idToken, identity: row.identity });
    let derived = derivedOfRow.get(row);
    if (!derived) derivedOfRow.set(row, (derived = new Map()));
    attachDerivedValues(actor, derived);
    return actor;
  };

  const read = async (id: string): Promise<SessionRow | undefined> => {
    const row = await db
      .selectFrom('session')
      .innerJoin('account', 'account.id', 'session.accountId')
      .select((eb) => [
        'session.accountId',
        'session.provider',
        'session.csrfToken',
        'session.lastSeenAt',
        'session.expiresAt',
        'session.idToken',
        'session.identity',
        'account.idnps',
        'account.familyName',
        'account.givenName',
        'account.disabledAt',
        jsonArrayFrom(
          eb
            .selectFrom('staffRole')
            .select(['staffRole.role', 'staffRole.ejFiness', 'staffRole.egFiness'])
            .whereRef('staffRole.idnps', '=', 'account.idnps')
            .where('staffRole.revokedAt', 'is', null)
            .orderBy('staffRole.id'),
        ).as('roles'),
      ])
      .where('session.id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      ...row,
      lastSeenAt: new Date(row.lastSeenAt).getTime(),
      expiresAt: new Date(row.expiresAt).getTime(),
      identity: row.identity as Record<string, unknown>,
      roles: row.roles as StaffRole[],
    };
  };

  return {
    /** The per-process cache of sessions and roles (used only while listening: session-cache.ts). */
    cache,

    /**
     * Opens a session; `replacing` (the cookie the browser had) is destroyed in the same
     * transaction, so a login always rotates the session id (no session fixation).
     */
    async create(input: NewSession, replacing?: string): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
      const now = clock.now();
      const token = randomToken();
      const csrfToken = randomToken();
      const expiresAt = new Date(now.getTime() + sessionAbsoluteMs);
      await db.transaction().execute(async (trx) => {
        if (replacing) await trx.deleteFrom('session').where('id', '=', sha256Hex(replacing)).execute();
        await trx
          .insertInto('session')
          .values({
            id: sha256Hex(token),
            accountId: input.accountId,
            provider: input.provider,
            csrfToken,
            idToken: input.idToken,
            identity: JSON.stringify(input.identity),
            createdAt: now,
            lastSeenAt: now,
            expiresAt,
          })
          .execute();
      });
      return { token, csrfToken, expiresAt };
    },

    /**
     * The person behind a session cookie, with his live roles; undefined when invalid. One query
     * (session, account and roles together), or none when this process's cache holds the session:
     * it does only while this process listens to the change notifications, which every change of
     * a session, account or role sends in its own transaction (session-cache.ts), so a revocation
     * made on any instance is refused by every instance at once.
     */
    async resolve(token: string): Promise<PersonActor | undefined> {
      const id = sha256Hex(token);
      const now = clock.now().getTime();
      const cached = cache.get(id);
      // A cached session is answered only while it needs no write (expiry, idle end, touch).
      if (cached && !cached.disabledAt && now - cached.lastSeenAt <= touchEveryMs && now < cached.expiresAt) return actorOf(id, cached);
      const since = cache.generation();
      const row = await read(id);
      if (!row) return undefined;
      const idle = now - row.lastSeenAt > sessionIdleMs;
      if (row.disabledAt || idle || now >= row.expiresAt) {
        await db.deleteFrom('session').where('id', '=', id).execute();
        return undefined;
      }
      if (now - row.lastSeenAt > touchEveryMs) {
        await db.updateTable('session').set({ lastSeenAt: new Date(now) }).where('id', '=', id).execute();
        row.lastSeenAt = now;
      }
      cache.set(id, row, since);
      return actorOf(id, row);
    },

    /** The stored identity of the session `resolve` returned `actor` for, read with it (no query). */
    async identityOf(actor: PersonActor): Promise<{ idToken: string | null; identity: Record<string, unknown> } | undefined> {
      return resolvedIdentity.get(actor) ?? db.selectFrom('session').select(['idToken', 'identity']).where('id', '=', actor.sessionId).executeTakeFirst();
    },

    async identity(sessionId: string): Promise<{ idToken: string | null; identity: Record<string, unknown> } | undefined> {
      return db.selectFrom('session').select(['idToken', 'identity']).where('id', '=', sessionId).executeTakeFirst();
    },

    /** Logout: the session is gone server-side, whatever the browser keeps. */
    async destroy(sessionId: string): Promise<void> {
      await db.deleteFrom('session').where('id', '=', sessionId).execute();
    },

    async purgeExpired(): Promise<number> {
      const now = clock.now();
      const res = await db
        .deleteFrom('session')
        .where((eb) =>
          eb.or([eb('expiresAt', '<=', now), eb('lastSeenAt', '<', new Date(now.getTime() - sessionIdleMs))]),
        )
        .executeTakeFirst();
      await db.deleteFrom('authTransaction').where('expiresAt', '<=', now).execute();
      return Number(res.numDeletedRows);
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
