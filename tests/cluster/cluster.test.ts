import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../scripts/cluster.ts';
import { createApiKeyService } from '../../src/server/auth/api-keys.ts';
import { type DatabaseHandle, openDatabase } from '../../src/server/db/database.ts';
import { toCsv, validRow } from '../../src/server/modules/bulk-import/testing.ts';
import { multipart } from '../../src/server/modules/onboarding/testing.ts';
import { createAgent, signIn } from '../support/auth.ts';
import { type ReceivedMail, startSmtp, stopSmtp } from '../support/smtp.ts';
import { until } from '../support/until.ts';

/**
 * The cluster of docs/operations.md#cluster, for real: PostgreSQL primary + streaming replica,
 * three app processes (app2 and app3 run the jobs), HAProxy. Run by `npm run test:cluster`.
 */
let cluster: Cluster;
let db: DatabaseHandle;
let key: string;
const received: ReceivedMail[] = [];
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  smtp = await startSmtp(received);
  cluster = await startCluster({
    env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, BULK_IMPORT_BATCH_SIZE: '20' },
    log: () => {},
  });
  db = await openDatabase({ databaseUrl: cluster.primaryUrl, dataDir: '/nonexistent', onIdleClientError: () => {} });
  key = (await createApiKeyService({ db: db.db, clock: { now: () => new Date() } }).create({ name: 'SI RH', scopes: ['registrations:bulk'], national: true })).key;
});
afterAll(async () => {
  await db?.close();
  await cluster?.stop();
  if (smtp) await stopSmtp(smtp.server);
});

/** `app.inject` over real HTTP, so the test agent (cookie jar, redirects) walks a real process. */
const overHttp = (base: string) =>
  ({
    async inject(o: { method: string; url: string; headers?: Record<string, string>; payload?: string }) {
      const { host: _host, ...headers } = o.headers ?? {};
      const res = await fetch(base + o.url, { method: o.method, headers, body: o.payload, redirect: 'manual' });
      const out: Record<string, string | string[]> = {};
      res.headers.forEach((v, k) => (out[k] = v));
      out['set-cookie'] = res.headers.getSetCookie();
      return { statusCode: res.status, headers: out, body: await res.text() };
    },
  }) as unknown as FastifyInstance;

const bulk = (rows: ReturnType<typeof validRow>[]) => {
  const form = multipart({ ejFiness: '690800123', mode: 'commit', declarations: ['accurateAndInformed', 'metInPerson'] }, { file: { name: 'equipe.csv', content: toCsv(rows), type: 'text/csv' } });
  return fetch(`${cluster.url}/api/bulk-imports/machine/`, { method: 'POST', body: new Uint8Array(form.payload), headers: { ...form.headers, authorization: `Bearer ${key}` } });
};
const progress = async (id: string) =>
  (await (await fetch(`${cluster.url}/api/bulk-imports/machine/${id}`, { headers: { authorization: `Bearer ${key}` } })).json()) as { status: string; imported: number; failed: number; pending: number };

describe('a cluster of three processes behind HAProxy', () => {
  it('a person signed in on one process continues on the others (sessions in the database)', async () => {
    const [a, b, c] = cluster.apps;
    const agent = createAgent(overHttp(a!.url), a!.url);
    await signIn(agent, 'psc', 'gestionnaire-ej');
    const cookie = [...agent.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const sessions = await Promise.all([a!, b!, c!].map(async (app) => (await fetch(`${app.url}/api/session`, { headers: { cookie } })).json()));
    expect(JSON.stringify(sessions[0])).toContain('gestionnaire');
    expect(sessions[1]).toEqual(sessions[0]);
    expect(sessions[2]).toEqual(sessions[0]);
  });

  it('sends each mail exactly once and runs each scheduled job once, with two job workers', async () => {
    // The demo data of app1 queued mails; app2 and app3 both run the mail jobs.
    const sent = await until(
      async () => {
        const { rows } = await sql<{ queued: number; sent: number }>`
          select count(*) filter (where status = 'queued')::int as queued, count(*) filter (where status = 'sent')::int as sent from mail_message`.execute(db.db);
        return rows[0]!.queued === 0 && rows[0]!.sent > 0 ? rows[0]!.sent : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(received.length).toBe(sent);
    const ids = received.map((m) => /^message-id:\s*(\S+)/im.exec(m.raw)?.[1]);
    expect(new Set(ids).size).toBe(received.length);
    const { rows: twice } = await sql`
      select name, singleton_key, singleton_on, count(*) from pgboss.job
       where singleton_on is not null group by 1, 2, 3 having count(*) > 1`.execute(db.db);
    expect(twice).toEqual([]);
    const { rows: schedules } = await sql<{ name: string; n: number }>`select name, count(*)::int as n from pgboss.schedule group by name`.execute(db.db);
    for (const s of schedules) expect(s.n, s.name).toBe(1);
  });

  it('a worker killed with kill -9 during a bulk import: the import finishes, every row registered once', async () => {
    const size = 120;
    const res = await bulk(Array.from({ length: size }, (_, i) => validRow(60_000 + i, i % 2 ? '690800206' : '690800388')));
    expect(res.status, await res.clone().text()).toBe(202);
    const id = ((await res.json()) as { id: string }).id;
    await until(async () => ((await progress(id)).imported >= 20 ? true : undefined), { timeoutMs: 120_000, intervalMs: 200 });
    const victim = cluster.apps[1]!;
    await cluster.stopApp(victim, 'SIGKILL');
    // Its supervisor starts it again (systemd Restart=always, the container runtime): the
    // unfinished import is queued again at start-up and any worker finishes it.
    await cluster.start(victim);
    const done = await until(async () => {
      const p = await progress(id);
      return p.status === 'done' ? p : undefined;
    }, { timeoutMs: 180_000, intervalMs: 500, ignoreErrors: true });
    expect(done).toMatchObject({ imported: size, failed: 0, pending: 0 });
    const keys = await db.db.selectFrom('registrationSubmission').select('rpps').where('idempotencyKey', 'like', `bulk-import:${id}:%`).execute();
    expect(keys.length).toBe(size);
    expect(new Set(keys.map((k) => k.rpps)).size).toBe(size);
  });

  it('measures how long a new registration takes to show in the directory through the replica (p95 printed, not asserted)', async () => {
    const samples: number[] = [];
    const one = async (n: number) => {
      const res = await bulk([validRow(80_000 + n, '690800206')]);
      const id = ((await res.json()) as { id: string }).id;
      // Committed on the primary (the row's registration), then read back through a process's replica pool.
      const rpps = await until(async () => {
        const row = await db.db.selectFrom('registrationSubmission').select('rpps').where('idempotencyKey', 'like', `bulk-import:${id}:%`).executeTakeFirst();
        return row?.rpps ?? undefined;
      }, { timeoutMs: 60_000, intervalMs: 25 });
      const committed = performance.now();
      await until(async () => ((await fetch(`${cluster.apps[0]!.url}/api/directory/practitioners/${rpps}`)).status === 200 ? true : undefined), { timeoutMs: 30_000, intervalMs: 25 });
      samples.push(performance.now() - committed);
    };
    for (let batch = 0; batch < 4; batch++) await Promise.all([0, 1, 2, 3, 4].map((i) => one(batch * 5 + i)));
    samples.sort((a, b) => a - b);
    const at = (q: number) => Math.round(samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]!);
    process.stdout.write(`cluster: registration → directory through the replica: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms (${samples.length} registrations)\n`);
    expect(samples.length).toBe(20);
  });

  it('reports the replica lag in seconds and in bytes of WAL (metrics of a process reading the replica)', async () => {
    const text = await (await fetch(`${cluster.apps[0]!.url}/metrics`, { headers: { authorization: `Bearer ${cluster.metricsToken}` } })).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('rpps_db_replica_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(value('rpps_db_replica_lag_seconds')).toBeLessThan(Number.POSITIVE_INFINITY);
    expect(value('rpps_db_replica_lag_bytes')).toBeGreaterThanOrEqual(0);
    expect(value('rpps_db_replica_lag_bytes')).toBeLessThan(Number.POSITIVE_INFINITY);
    expect(value('rpps_metrics_database_up')).toBe(1);
  });

  it('a rolling restart (SIGTERM each process in turn) under steady reads and writes fails no request', async () => {
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    let n = 70_000;
    const reader = async (path: string) => {
      while (!stop) {
        try {
          const res = await fetch(cluster.url + path);
          await res.arrayBuffer();
          if (res.status === 200) ok++;
          else failures.push(`${path} ${res.status}`);
        } catch (err) {
          failures.push(`${path} ${(err as Error).message}`);
        }
      }
    };
    const writer = async () => {
      while (!stop) {
        try {
          const res = await bulk([validRow(n++, '690800206')]);
          await res.arrayBuffer();
          if (res.status === 202) ok++;
          else failures.push(`bulk import ${res.status}`);
        } catch (err) {
          failures.push(`bulk import ${(err as Error).message}`);
        }
      }
    };
    const load = [reader('/api/directory/practitioners'), reader('/fhir/Practitioner?_count=5'), writer()];
    try {
      for (const app of cluster.apps) {
        await cluster.stopApp(app, 'SIGTERM');
        await cluster.start(app);
        // HAProxy takes it back after two good checks.
        await new Promise((resolve) => setTimeout(resolve, 1500));
      }
    } finally {
      stop = true;
      await Promise.all(load);
    }
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(50);
  });
});
