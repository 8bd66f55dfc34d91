import type { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';

/** The channel the `auth_change_notify` triggers send on (migration 20261205T0240_decisions_auth_change_notify). */
export const authChangesChannel = 'rpps_auth_changes';

/** What a cache entry must tell for a notification to find it. */
export interface CachedSession {
  accountId: string;
  idnps: string | null;
}

/**
 * A per-process cache of resolved sessions (session, account and live roles), short-lived and
 * bounded. Safe against revocations only because it is **used only while this process LISTENs**
 * on `rpps_auth_changes`: every change of a session, account or role notifies in its own
 * transaction (triggers), and the entries it names are dropped on arrival. When the listening
 * connection is lost the cache is emptied and bypassed (every request reads the database) until
 * it listens again; on listening again it starts empty (notifications sent meanwhile are lost).
 *
 * `generation` guards the race of a read that started before a notification and ends after it:
 * `set` stores only if no notification (nor a change of listening state) arrived since the
 * caller took `generation()` before its query.
 */
export function createSessionCache<T extends CachedSession>(options: { ttlMs: number; maxEntries: number; now?: () => number }) {
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, { value: T; storedAt: number }>();
  let listening = false;
  let generation = 0;

  const invalidate = (payload: string) => {
    generation++;
    const kind = payload.slice(0, 2);
    const key = payload.slice(2);
    if (kind === 's:') entries.delete(key);
    else if (kind === 'a:') {
      for (const [id, e] of entries) if (e.value.accountId === key) entries.delete(id);
    } else if (kind === 'i:') {
      for (const [id, e] of entries) if (e.value.idnps === key) entries.delete(id);
    } else entries.clear();
  };

  return {
    get enabled() {
      return options.ttlMs > 0 && listening;
    },
    get size() {
      return entries.size;
    },
    generation: () => generation,
    get(id: string): T | undefined {
      if (!listening) return undefined;
      const e = entries.get(id);
      if (!e) return undefined;
      if (now() - e.storedAt >= options.ttlMs) {
        entries.delete(id);
        return undefined;
      }
      return e.value;
    },
    /** Stores `value` unless something changed since `since` (a `generation()` taken before the read). */
    set(id: string, value: T, since: number): void {
      if (!listening || options.ttlMs <= 0 || since !== generation) return;
      entries.delete(id);
      entries.set(id, { value, storedAt: now() });
      // Oldest first: Map keeps insertion order.
      while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
    },
    /** A notification from `rpps_auth_changes`. */
    notified: invalidate,
    /** A change made by this process (its notification is still on its way): forget every entry. */
    localChange: () => invalidate('*'),
    /** The listening connection is up (true) or lost (false): either way, start empty. */
    setListening(up: boolean): void {
      listening = up;
      generation++;
      entries.clear();
    },
  };
}

export type SessionCache<T extends CachedSession> = ReturnType<typeof createSessionCache<T>>;

export interface AuthChangeListener {
  stop(): Promise<void>;
}

export interface ListenOptions {
  /** The channel listened to: `rpps_auth_changes` unless another cache gives its own (e.g. the FHIR read cache). */
  channel?: string;
  /** The listening connection's `application_name` (PostgreSQL): `rpps-auth-listener` unless given. */
  applicationName?: string;
  onNotification(payload: string): void;
  onListening(up: boolean): void;
  onError?(err: Error): void;
}

/** Embedded database: PGlite delivers the notifications of its own backend in-process. */
export async function listenPglite(pglite: PGlite, options: ListenOptions): Promise<AuthChangeListener> {
  const unlisten = await pglite.listen(options.channel ?? authChangesChannel, (payload) => options.onNotification(payload));
  options.onListening(true);
  return {
    async stop() {
      options.onListening(false);
      if (!pglite.closed) await unlisten().catch(() => undefined);
    },
  };
}

/**
 * PostgreSQL: a dedicated connection (not from the pool: a pooled connection changes hands) that
 * LISTENs, checked by a `select 1` every `heartbeatMs` (a half-open connection must not pass for
 * listening), reconnected with a growing delay when lost. Listening is reported only once the
 * LISTEN has been acknowledged, and lost at the first error, end or failed heartbeat.
 */
export function listenPostgres(databaseUrl: string, options: ListenOptions & { heartbeatMs?: number; retryMs?: number }): AuthChangeListener {
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const retryMs = options.retryMs ?? 500;
  const channel = options.channel ?? authChangesChannel;
  let stopped = false;
  let current: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let failures = 0;

  const lose = (client: pg.Client, err?: Error) => {
    if (client !== current) return;
    current = undefined;
    clearInterval(heartbeat);
    options.onListening(false);
    if (err) options.onError?.(err);
    client.end().catch(() => undefined);
    if (!stopped) {
      const delay = Math.min(retryMs * 2 ** failures++, 10_000);
      retry = setTimeout(() => void connect(), delay);
      retry.unref();
    }
  };

  const connect = async () => {
    if (stopped) return;
    const client = new pg.Client({ connectionString: databaseUrl, application_name: options.applicationName ?? 'rpps-auth-listener', keepAlive: true, query_timeout: heartbeatMs });
    current = client;
    client.on('notification', (m) => {
      if (client === current && m.channel === channel) options.onNotification(m.payload ?? '*');
    });
    client.on('error', (err) => lose(client, err));
    client.on('end', () => lose(client));
    try {
      await client.connect();
      await client.query(`listen ${channel}`);
    } catch (err) {
      lose(client, err as Error);
      return;
    }
    if (client !== current) return;
    if (stopped) {
      current = undefined;
      await client.end().catch(() => undefined);
      return;
    }
    failures = 0;
    options.onListening(true);
    heartbeat = setInterval(() => {
      client.query('select 1').catch((err: Error) => lose(client, err));
    }, heartbeatMs);
    heartbeat.unref();
  };

  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      clearInterval(heartbeat);
      const client = current;
      current = undefined;
      options.onListening(false);
      await client?.end().catch(() => undefined);
    },
  };
}

/**
 * Feeds a notified cache for the app's life: its own LISTEN connection on PostgreSQL, in-process
 * on PGlite; a lost listener is logged once (`<event>.listen_lost`) and its return
 * (`<event>.listen_restored`); stopped when the app closes. Without a way to listen (no database
 * URL, PGlite not given) nothing listens and the cache stays off.
 */
export async function listenWhileRunning(
  app: FastifyInstance,
  database: { databaseUrl?: string | undefined; pglite?: PGlite | undefined },
  options: Omit<ListenOptions, 'onError'> & { event: string; what: string },
): Promise<void> {
  const { event, what, onListening } = options;
  let lostLogged = false;
  const listenOptions: ListenOptions = {
    ...options,
    onListening: (up) => {
      onListening(up);
      if (up && lostLogged) app.log.info({ event: `${event}.listen_restored` }, `${what}: listening again`);
      lostLogged = !up;
    },
    onError: (err) => app.log.warn({ event: `${event}.listen_lost`, err: err.message }, `${what} bypassed: change notifications lost, reconnecting`),
  };
  let listener: AuthChangeListener | undefined;
  if (database.databaseUrl) listener = listenPostgres(database.databaseUrl, listenOptions);
  else if (database.pglite) listener = await listenPglite(database.pglite, listenOptions);
  if (listener) app.addHook('onClose', async () => listener.stop());
}
