import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutPreviousRelease, type PreviousRelease } from '../../scripts/previous-release.ts';
import { toCsv, validRow } from '../../src/server/modules/bulk-import/testing.ts';
import { multipart } from '../../src/server/modules/onboarding/testing.ts';
import { createAgent, csrfOf, signIn } from '../support/auth.ts';
import { dropDatabase } from '../support/drop-database.ts';
import { type ReceivedMail, startSmtp, stopSmtp } from '../support/smtp.ts';
import { until } from '../support/until.ts';

/**
 * Migrations without downtime (docs/operations.md#migrations): the previous release's code
 * (deploy/previous-release, extracted with git archive) runs on the schema of this one.
 *
 * 1. The previous release starts on an empty database (its own migrations) and serves a smoke
 *    journey: ready, sign-in through the embedded identity provider, a registration (bulk import
 *    job), the directory and FHIR reads after the publication job, the registration mail.
 * 2. The current code starts beside it and migrates that database while the previous release
 *    keeps serving (no failed request meanwhile): the expand step of a rolling deployment.
 * 3. The current code serves the same journey on the migrated database.
 * 4. The current process stops (a rollback): the previous release, alone and the only job
 *    worker, serves the journey again on the new schema, then a fresh start of it on that schema
 *    does not migrate and serves too.
 *
 * Needs DATABASE_URL (a role that may create databases): `.ci/run` gives it on the PostgreSQL leg.
 */
const adminUrl = process.env.DATABASE_URL;
const name = `rpps_prev_${randomBytes(4).toString('hex')}`;
const dbUrl = (() => {
  if (!adminUrl) return '';
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
})();
const root = path.resolve(import.meta.dirname, '../..');
const ports = { previous: Number(process.env.PREVIOUS_RELEASE_PORT ?? 3181), current: Number(process.env.PREVIOUS_RELEASE_PORT ?? 3181) + 1 };
const logDir = path.join(os.tmpdir(), 'rpps-previous-release-logs');

let release: PreviousRelease;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const received: ReceivedMail[] = [];
const children = new Set<ChildProcess>();
let admin: pg.Client;
let db: pg.Client;
let row = 0;

interface Server {
  url: string;
  child: ChildProcess;
  output: () => string;
}

async function startServer(which: 'previous' | 'current', extra: Record<string, string> = {}): Promise<Server> {
  const port = ports[which];
  const url = `http://127.0.0.1:${port}`;
  const cwd = which === 'previous' ? release.dir : root;
  const args = which === 'previous' ? release.startArgs : ['src/server/main.ts'];
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `previous-release-${which}-${Date.now()}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, args, {
    cwd,
    stdio: ['ignore', out, out],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      DATABASE_URL: dbUrl,
      DATA_DIR: path.join(release.dir, `.data-${which}`), // unused on PostgreSQL
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      BULK_IMPORT_BATCH_SIZE: '20',
      // The readers below poll as fast as the machine allows: a quiet machine passes the public
      // budget (600/min) within the migration, and a 429 is not what this test looks for.
      RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000',
      ...extra,
    },
  });
  fs.closeSync(out);
  children.add(child);
  child.once('exit', () => children.delete(child));
  const output = () => fs.readFileSync(logFile, 'utf8');
  await until(
    async () => {
      if (child.exitCode !== null) throw new Error(`${which} server exited ${child.exitCode}: ${output().slice(-2000)}`);
      return (await fetch(`${url}/health/ready`).catch(() => undefined))?.status === 200 ? true : undefined;
    },
    { timeoutMs: 180_000, intervalMs: 250, what: `the ${which} server` },
  );
  return { url, child, output };
}

async function stopServer(server: Server) {
  if (server.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  server.child.kill('SIGTERM');
  await exited;
}

/** `app.inject` over real HTTP, so the test agent (cookie jar, redirects) walks a real process. */
const overHttp = (base: string) =>
  ({
    async inject(o: { method: string; url: string; headers?: Record<string, string>; payload?: string | Buffer }) {
      const { host: _host, ...headers } = o.headers ?? {};
      const body = typeof o.payload === 'string' || o.payload === undefined ? o.payload : new Uint8Array(o.payload);
      const res = await fetch(base + o.url, { method: o.method, headers, body, redirect: 'manual' });
      const out: Record<string, string | string[]> = {};
      res.headers.forEach((v, k) => (out[k] = v));
      out['set-cookie'] = res.headers.getSetCookie();
      return { statusCode: res.status, headers: out, body: await res.text() };
    },
  }) as unknown as FastifyInstance;

/**
 * What every release must keep serving: ready; sign-in through the embedded provider; a
 * registration (bulk import, a job); the person in the directory and FHIR (the publication job);
 * the registration mail (the mail job). Returns the new RPPS number.
 */
async function smokeJourney(server: Server): Promise<string> {
  expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);

  const agent = createAgent(overHttp(server.url), server.url);
  await signIn(agent, 'psc', 'gestionnaire-ej');
  const session = await agent.request('GET', '/api/session');
  expect(session.statusCode).toBe(200);
  expect(session.body).toContain('gestionnaire');

  const n = 90_000 + ++row;
  const person = validRow(n, '690800206');
  const form = multipart({ ejFiness: '690800123', mode: 'commit', declarations: ['accurateAndInformed', 'metInPerson'] }, { file: { name: 'equipe.csv', content: toCsv([person]), type: 'text/csv' } });
  const posted = await agent.request('POST', '/api/bulk-imports/', { payload: form.payload, headers: { ...form.headers, 'x-csrf-token': csrfOf(agent) } });
  expect(posted.statusCode, posted.body).toBe(202);
  const id = (JSON.parse(posted.body) as { id: string }).id;
  const done = await until(
    async () => {
      const p = JSON.parse((await agent.request('GET', `/api/bulk-imports/${id}`)).body) as { status: string; imported: number; failed: number };
      return p.status === 'done' ? p : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 250, what: 'the bulk import job' },
  );
  expect(done).toMatchObject({ imported: 1, failed: 0 });
  const { rows } = await db.query<{ rpps: string }>(`select rpps from registration_submission where idempotency_key like $1`, [`bulk-import:${id}:%`]);
  const rpps = rows[0]!.rpps;
  expect(rpps).toMatch(/^\d{11}$/);

  await until(async () => ((await fetch(`${server.url}/api/directory/practitioners/${rpps}`)).status === 200 ? true : undefined), {
    timeoutMs: 60_000,
    intervalMs: 250,
    what: 'the publication job',
  });
  const fhir = await fetch(`${server.url}/fhir/Practitioner?identifier=${rpps}`);
  expect(fhir.status).toBe(200);
  expect(await fhir.text()).toContain(rpps);

  await until(async () => (received.some((m) => m.to.includes(person.email!)) ? true : undefined), { timeoutMs: 60_000, intervalMs: 250, what: 'the registration mail' });
  return rpps;
}

beforeAll(async () => {
  if (!adminUrl) return;
  release = checkoutPreviousRelease({ log: (line) => process.stdout.write(`previous-release: ${line}\n`) });
  process.stdout.write(`previous-release: ${release.ref.slice(0, 12)} in ${release.dir} (dependencies ${release.dependencies})\n`);
  smtp = await startSmtp(received);
  admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
});

afterAll(async () => {
  await Promise.all(
    [...children].map(
      (c) =>
        new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
  await db?.end();
  if (admin) {
    await dropDatabase(admin, name);
    await admin.end();
  }
  if (smtp) await stopSmtp(smtp.server);
  release?.remove();
});

describe.skipIf(!adminUrl)('the previous release on the current schema (expand/contract)', () => {
  it('serves before, during and after the current code migrates, and after a rollback', async () => {
    const migrationsOf = async () => (await db.query<{ name: string }>('select name from kysely_migration order by name')).rows.map((r) => r.name);

    // 1. The previous release on its own schema, with the demo structures and identities.
    const previous = await startServer('previous', { DEMO_DATA: 'true' });
    const before = await migrationsOf();
    await smokeJourney(previous);

    // 2. The current code migrates the database while the previous release serves reads.
    let reading = true;
    let reads = 0;
    const failures: string[] = [];
    const reader = (async () => {
      while (reading) {
        for (const url of ['/health/ready', '/api/directory/practitioners', '/fhir/Practitioner?_count=5']) {
          try {
            const res = await fetch(previous.url + url);
            await res.arrayBuffer();
            if (res.status === 200) reads++;
            else failures.push(`${url} ${res.status}`);
          } catch (err) {
            failures.push(`${url} ${(err as Error).message}`);
          }
        }
      }
    })();
    let current: Server;
    try {
      current = await startServer('current');
    } finally {
      reading = false;
      await reader;
    }
    const after = await migrationsOf();
    expect(after.length).toBeGreaterThanOrEqual(before.length);
    process.stdout.write(`previous-release: the current code ran ${after.length - before.length} migration(s) the previous release does not have: ${after.filter((m) => !before.includes(m)).join(', ') || 'none'}\n`);
    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(0);

    // 3. The current code on the migrated database; the previous release reads what it wrote.
    const byCurrent = await smokeJourney(current);
    expect((await fetch(`${previous.url}/api/directory/practitioners/${byCurrent}`)).status).toBe(200);

    // 4. Rollback: the current process stops; the previous release alone (its jobs too) on the new schema.
    await stopServer(current);
    await smokeJourney(previous);
    await stopServer(previous);
    const restarted = await startServer('previous');
    expect(await migrationsOf()).toEqual(after);
    if (after.length > before.length) expect(restarted.output()).toContain('migrated by a newer release');
    await smokeJourney(restarted);
    await stopServer(restarted);
  }, 420_000);
});
