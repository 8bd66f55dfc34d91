import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../config.ts';
import { createTestDatabase, type TestDatabase } from '../../../tests/support/db.ts';
import { testJobRuntime } from '../../../tests/support/jobs.ts';
import { createJobRuntime, defineJob, type JobRuntime, workerKinds } from './index.ts';

declare module './index.ts' {
  interface JobPayloads {
    'test.record': { n: number };
    'test.flaky': { n: number };
    'test.doomed': { n: number };
    'test.shared': { n: number };
    'test.kept': { n: number };
    'test.left': { n: number };
  }
}

const payload = z.object({ n: z.number().int() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let t: TestDatabase;
let runtime: JobRuntime;
const recorded: number[] = [];
const flakyAttempts: number[] = [];
const doomedAttempts: number[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  runtime = testJobRuntime(t, [
      defineJob('test.record', payload, async ({ n }) => {
        recorded.push(n);
      }),
      defineJob(
        'test.flaky',
        payload,
        async (_p, run) => {
          flakyAttempts.push(run.attempt);
          if (run.attempt === 1) throw new Error('first attempt fails');
        },
        { retryLimit: 3, retryDelaySeconds: 1 },
      ),
      defineJob(
        'test.doomed',
        payload,
        async (_p, run) => {
          doomedAttempts.push(run.attempt);
          throw new Error('always fails');
        },
        { retryLimit: 1, retryDelaySeconds: 1 },
      ),
    ]);
  await runtime.start();
});

afterAll(async () => {
  await runtime?.stop();
  await t?.close();
});

describe('job queue', () => {
  it('never runs a job enqueued in a transaction that rolled back', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await runtime.enqueue(trx, 'test.record', { n: 1 });
        throw new Error('business change fails');
      }),
    ).rejects.toThrow('business change fails');
    // A committed job enqueued afterwards runs: the rolled-back one would have run by then.
    await t.db.transaction().execute((trx) => runtime.enqueue(trx, 'test.record', { n: 2 }));
    await vi.waitFor(() => expect(recorded).toContain(2), { timeout: 10_000, interval: 100 });
    await sleep(1000);
    expect(recorded).not.toContain(1);
  });

  it('runs a committed job exactly once', async () => {
    const id = await t.db.transaction().execute((trx) => runtime.enqueue(trx, 'test.record', { n: 3 }));
    expect(id).toEqual(expect.any(String));
    await vi.waitFor(() => expect(recorded).toContain(3), { timeout: 10_000, interval: 100 });
    await sleep(1500);
    expect(recorded.filter((n) => n === 3)).toHaveLength(1);
  });

  it('rejects a payload that does not match the job schema', async () => {
    await expect(
      t.db.transaction().execute((trx) => runtime.enqueue(trx, 'test.record', { n: 'x' } as unknown as { n: number })),
    ).rejects.toThrow();
  });

  it('retries a failing handler with back-off, and keeps jobs that never succeed as dead letters', async () => {
    await t.db.transaction().execute(async (trx) => {
      await runtime.enqueue(trx, 'test.flaky', { n: 1 });
      await runtime.enqueue(trx, 'test.doomed', { n: 42 });
    });
    await vi.waitFor(() => expect(flakyAttempts).toEqual([1, 2]), { timeout: 15_000, interval: 100 });
    await vi.waitFor(
      async () => {
        expect(doomedAttempts).toEqual([1, 2]);
        const dead = await runtime.deadLetters('test.doomed');
        expect(dead.map((d) => d.data)).toEqual([{ n: 42 }]);
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(await runtime.deadLetters('test.flaky')).toEqual([]);
  });
});

describe('a dedicated worker (JOBS_ONLY)', () => {
  it('runs only the kinds it is given; a job of another kind waits for a worker that runs it', async () => {
    const handled: string[] = [];
    const definitions = (['test.kept', 'test.left'] as const).map((name) => defineJob(name, payload, async ({ n }) => void handled.push(`${name}:${n}`)));
    const dedicated = createJobRuntime({
      database: t,
      databaseUrl: t.config.databaseUrl,
      worker: true,
      works: workerKinds(['test.kept'], ['test.kept', 'test.left']),
      pollingIntervalSeconds: 0.5,
      jobs: definitions,
    });
    await dedicated.start();
    try {
      // It still enqueues every kind (its queues exist).
      await t.db.transaction().execute(async (trx) => {
        await dedicated.enqueue(trx, 'test.left', { n: 1 });
        await dedicated.enqueue(trx, 'test.kept', { n: 2 });
      });
      await vi.waitFor(() => expect(handled).toContain('test.kept:2'), { timeout: 10_000, interval: 100 });
      await sleep(1500);
      expect(handled).toEqual(['test.kept:2']);
    } finally {
      await dedicated.stop();
    }
    const everything = createJobRuntime({ database: t, databaseUrl: t.config.databaseUrl, worker: true, pollingIntervalSeconds: 0.5, jobs: definitions });
    await everything.start();
    try {
      await vi.waitFor(() => expect(handled).toContain('test.left:1'), { timeout: 10_000, interval: 100 });
    } finally {
      await everything.stop();
    }
  });
});

describe.skipIf(!loadConfig().databaseUrl)('several app instances on one PostgreSQL', () => {
  it('process each job once', async () => {
    const handled: { n: number; instance: string }[] = [];
    const instances = ['a', 'b'].map((instance) =>
      createJobRuntime({
        database: t,
        databaseUrl: t.config.databaseUrl,
        worker: true,
        pollingIntervalSeconds: 0.5,
        instanceName: instance,
        jobs: [
          defineJob(
            'test.shared',
            payload,
            async ({ n }) => {
              handled.push({ n, instance });
              await sleep(20);
            },
            { concurrency: 3 },
          ),
        ],
      }),
    );
    try {
      await Promise.all(instances.map((i) => i.start()));
      const count = 30;
      await t.db.transaction().execute(async (trx) => {
        for (let n = 0; n < count; n++) await instances[n % 2]!.enqueue(trx, 'test.shared', { n });
      });
      await vi.waitFor(() => expect(handled.length).toBeGreaterThanOrEqual(count), { timeout: 20_000, interval: 100 });
      await sleep(1500);
      expect(handled).toHaveLength(count);
      expect(new Set(handled.map((h) => h.n)).size).toBe(count);
    } finally {
      await Promise.all(instances.map((i) => i.stop()));
    }
  });
});
