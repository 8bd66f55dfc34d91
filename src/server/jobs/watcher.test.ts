import { describe, expect, it } from 'vitest';
import { createWatcher } from './watcher.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('outbox watcher', () => {
  it('handles pending work one round at a time, logs a failed round without data and retries it', async () => {
    const warnings: unknown[] = [];
    let pending = 3;
    let running = 0;
    let maxRunning = 0;
    let failOnce = true;
    const watcher = createWatcher({
      hasPending: async () => pending > 0,
      handle: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await sleep(30);
        running--;
        if (failOnce) {
          failOnce = false;
          throw Object.assign(new Error('secret row content'), { code: '40001' });
        }
        pending--;
      },
      failureEvent: 'test.watch_failed',
      intervalMs: 5,
      log: { info() {}, warn: (o: unknown, m: string) => warnings.push([o, m]), error() {} },
    });
    watcher.start();
    for (let i = 0; i < 100 && pending > 0; i++) await sleep(20);
    await watcher.stop();
    expect(pending).toBe(0);
    expect(maxRunning).toBe(1);
    expect(warnings).toEqual([[{ error: 'Error', code: '40001' }, 'test.watch_failed']]);
  });

  it('does nothing when nothing is pending, and stops waiting for the running round', async () => {
    let handled = 0;
    let finished = false;
    const watcher = createWatcher({
      hasPending: async () => handled === 0,
      handle: async () => {
        handled++;
        await sleep(60);
        finished = true;
      },
      failureEvent: 'test.watch_failed',
      intervalMs: 5,
    });
    watcher.start();
    await sleep(20);
    await watcher.stop();
    expect(finished).toBe(true);
    await sleep(30);
    expect(handled).toBe(1);
  });
});
