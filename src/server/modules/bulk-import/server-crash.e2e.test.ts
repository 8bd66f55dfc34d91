import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/db.ts';
import { createApiKeyService } from '../../auth/api-keys.ts';
import { openDatabase } from '../../db/database.ts';
import { multipart } from '../onboarding/testing.ts';
import { toCsv, validRow } from './testing.ts';

/**
 * Issue 10, acceptance 2: the server is killed (SIGKILL) during a commit; after a restart the
 * import finishes by itself and every valid row is registered exactly once. 2,000 rows by default
 * (BULK_CRASH_ROWS=10000 for the acceptance size).
 */
// eslint-disable-next-line no-restricted-properties -- test size knob, not application configuration
const size = Number(process.env.BULK_CRASH_ROWS ?? 2000);
const root = path.resolve(import.meta.dirname, '../../../..');
let t: TestDatabase | undefined;
let dir: string;
let env: NodeJS.ProcessEnv;
let key: string;
let baseUrl: string;

async function withDb<T>(run: (db: TestDatabase['db']) => Promise<T>): Promise<T> {
  if (t) return run(t.db);
  const handle = await openDatabase({ databaseUrl: undefined, dataDir: path.join(dir, 'data') });
  try {
    return await run(handle.db);
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpps-bulk-crash-'));
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  baseUrl = `http://127.0.0.1:${port}`;
  // eslint-disable-next-line no-restricted-properties -- the child server inherits PATH (pinned Node) and the test settings
  env = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: String(port), DATA_DIR: path.join(dir, 'data'), BULK_IMPORT_BATCH_SIZE: '50', DEMO_DATA: 'false' };
  const templateDir = inject('templateDir');
  if (templateDir) {
    fs.cpSync(templateDir, path.join(dir, 'data'), { recursive: true });
    delete env.DATABASE_URL;
  } else {
    t = await createTestDatabase();
    env.DATABASE_URL = t.config.databaseUrl;
  }
  key = await withDb(async (db) => (await createApiKeyService({ db, clock: { now: () => new Date() } }).create({ name: 'SI RH', scopes: ['registrations:bulk'] })).key);
}, 60_000);
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function startServer() {
  const child = spawn('npx', ['tsx', 'src/server/main.ts'], { cwd: root, env, detached: true, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, exited };
}

async function until<T>(probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const api = (url: string, init: RequestInit = {}) => fetch(`${baseUrl}/api/bulk-imports/machine${url}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${key}` } });
const progress = async (id: string) => (await (await api(`/${id}`)).json()) as { status: string; imported: number; failed: number; pending: number };

it('SIGKILL during a commit, restart: the import finishes, every row registered once', async () => {
  let server = startServer();
  await until(async () => ((await fetch(`${baseUrl}/health/live`)).status < 500 ? true : undefined), 60_000);
  const rows = Array.from({ length: size }, (_, i) => validRow(40_000 + i, i % 2 ? '690800206' : '690800388'));
  const form = multipart({ ejFiness: '690800123', mode: 'commit', declarations: 'true' }, { file: { name: 'equipe.csv', content: toCsv(rows), type: 'text/csv' } });
  const res = await api('/', { method: 'POST', body: new Uint8Array(form.payload), headers: form.headers });
  expect(res.status, await res.clone().text()).toBe(202);
  const id = ((await res.json()) as { id: string }).id;
  await until(async () => ((await progress(id)).imported >= 100 ? true : undefined), 120_000);
  process.kill(-server.child.pid!, 'SIGKILL');
  await server.exited;
  // Let the killed process be reaped (it holds the PGlite directory lock until then).
  await new Promise((r) => setTimeout(r, 1000));

  server = startServer();
  try {
    const done = await until(async () => {
      const p = await progress(id);
      return p.status === 'done' ? p : undefined;
    }, 600_000);
    expect(done).toMatchObject({ imported: size, failed: 0, pending: 0 });
  } finally {
    process.kill(-server.child.pid!, 'SIGTERM');
    await server.exited;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const counts = await withDb(async (db) => {
    const keys = await db.selectFrom('registrationSubmission').select('rpps').where('idempotencyKey', 'like', `bulk-import:${id}:%`).execute();
    const persons = await db.selectFrom('person').select((eb) => eb.fn.countAll().as('n')).where('rpps', 'in', keys.map((k) => k.rpps!)).executeTakeFirstOrThrow();
    return { keys: keys.length, distinct: new Set(keys.map((k) => k.rpps)).size, persons: Number(persons.n) };
  });
  expect(counts).toEqual({ keys: size, distinct: size, persons: size });
}, 900_000);
