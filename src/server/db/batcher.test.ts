import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('createBatcher', () => {
  it('runs a lone call at once, and gathers the calls made while runs are in flight into the next run', async () => {
    const runs: number[][] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const batcher = createBatcher<number, number>(
      async (inputs) => {
        runs.push(inputs);
        if (runs.length === 1) await gate;
        return inputs.map((n) => n * 10);
      },
      { maxConcurrent: 1 },
    );
    const first = batcher.call(1);
    await tick();
    expect(runs).toEqual([[1]]);
    const others = [2, 3, 4].map((n) => batcher.call(n));
    await tick();
    expect(runs).toHaveLength(1);
    release();
    expect(await Promise.all([first, ...others])).toEqual([10, 20, 30, 40]);
    expect(runs).toEqual([[1], [2, 3, 4]]);
  });

  it('splits a group larger than maxSize', async () => {
    const runs: number[][] = [];
    const batcher = createBatcher<number, number>(async (inputs) => (runs.push(inputs), inputs), { maxSize: 2, maxConcurrent: 1 });
    expect(await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.call(n)))).toEqual([1, 2, 3, 4, 5]);
    expect(runs).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('rejects every call of a failed run, or of a run answering the wrong count, and goes on with the next', async () => {
    let mode: 'fail' | 'short' | 'ok' = 'fail';
    const batcher = createBatcher<number, number>(async (inputs) => {
      if (mode === 'fail') throw new Error('database gone');
      return mode === 'short' ? inputs.slice(1) : inputs;
    });
    const failed = [1, 2].map((n) => batcher.call(n));
    for (const f of failed) await expect(f).rejects.toThrow('database gone');
    mode = 'short';
    const short = [3, 4].map((n) => batcher.call(n));
    for (const f of short) await expect(f).rejects.toThrow(/1 results for 2 calls/);
    mode = 'ok';
    expect(await batcher.call(5)).toBe(5);
  });

  it('runs what waits when closed, a gathering delay notwithstanding', async () => {
    const seen: number[] = [];
    const batcher = createBatcher<number, void>(async (inputs) => inputs.map((n) => void seen.push(n)), { maxDelayMs: 60_000 });
    const pending = batcher.call(7);
    await batcher.close();
    await pending;
    expect(seen).toEqual([7]);
  });
});
