import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ChildProcessDatabase, childProcessDatabase, repoRoot } from '../../../../tests/support/cli.ts';
import { freePort } from '../../../../tests/e2e/support/server.ts';
import { createApiKeyService } from '../../auth/api-keys.ts';
import { multipart } from '../onboarding/testing.ts';
import { toCsv, validRow } from './testing.ts';
import { until as waitUntil } from '../../../../tests/support/until.ts';

// test:clock: not date-sensitive (crash and restart of a child server; minutes long, no date logic of its own).
/**
 * Issue 10, acceptance 2: the server is killed (SIGKILL) during a commit; after a restart the
 * import finishes by itself and every valid row is registered exactly once. 2,000 rows by default
 * (BULK_CRASH_ROWS=10000 for the acceptance size).
 */
// eslint-disable-next-line no-restricted-properties -- test size knob, not application configuration
const size = Number(process.env.BULK_CRASH_ROWS ?? 2000);
let child: ChildProcessDatabase;
let key: string;
let baseUrl: string;

beforeAll(async () => {
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  // Batches of 200: the kill (once 100 rows are in) lands with most of the import still to do.
  // Only the import's batches run (JOBS_ONLY): the mails, identity checks, e-CPS invitations and
  // directory publication its registrations queue are not what this test checks.
  child = await childProcessDatabase('rpps-bulk-crash-', { PORT: String(port), BULK_IMPORT_BATCH_SIZE: '200', DEMO_DATA: 'false', JOBS_ONLY: 'bulk-import' });
  key = await child.withDb(async (db) => (await createApiKeyService({ db, clock: { now: () => new Date() } }).create({ name: 'SI RH', scopes: ['registrations:bulk'], national: true })).key);
}, 60_000);
afterAll(async () => {
  await child?.close();
});

function startServer() {
  const server = spawn(process.execPath, ['src/server/main.ts'], { cwd: repoRoot, env: child.env, detached: true, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => server.on('exit', () => resolve()));
  return { child: server, exited };
}

const until = <T>(probe: () => Promise<T | undefined>, timeoutMs: number) => waitUntil(probe, { timeoutMs, intervalMs: 200, ignoreErrors: true });

const api = (url: string, init: RequestInit = {}) => fetch(`${baseUrl}/api/bulk-imports/machine${url}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${key}` } });
const progress = async (id: string) => (await (await api(`/${id}`)).json()) as { status: string; imported: number; failed: number; pending: number };

it('SIGKILL during a commit, restart: the import finishes, every row registered once', async () => {
  let server = startServer();
  await until(async () => ((await fetch(`${baseUrl}/health/live`)).status < 500 ? true : undefined), 60_000);
  const rows = Array.from({ length: size }, (_, i) => validRow(40_000 + i, i % 2 ? '690800206' : '690800388'));
  const form = multipart({ ejFiness: '690800123', mode: 'commit', declarations: ['accurateAndInformed', 'metInPerson'] }, { file: { name: 'equipe.csv', content: toCsv(rows), type: 'text/csv' } });
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
  const counts = await child.withDb(async (db) => {
    const keys = await db.selectFrom('registrationSubmission').select('rpps').where('idempotencyKey', 'like', `bulk-import:${id}:%`).execute();
    const persons = await db.selectFrom('person').select((eb) => eb.fn.countAll().as('n')).where('rpps', 'in', keys.map((k) => k.rpps!)).executeTakeFirstOrThrow();
    return { keys: keys.length, distinct: new Set(keys.map((k) => k.rpps)).size, persons: Number(persons.n) };
  });
  expect(counts).toEqual({ keys: size, distinct: size, persons: size });
}, 900_000);
