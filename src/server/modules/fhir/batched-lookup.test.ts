import { describe, expect, it } from 'vitest';
import { batchedLookup } from './batched-lookup.ts';

interface Row {
  id: string;
}

/** A loader whose statements end when the test says so; records the keys of each. */
function controlledLoader(known: (id: string) => boolean = () => true) {
  const calls: string[][] = [];
  const pending: (() => void)[] = [];
  const load = (keys: string[]) => {
    calls.push(keys);
    return new Promise<Row[]>((resolve) => pending.push(() => resolve(keys.filter(known).map((id) => ({ id })))));
  };
  const finishOldest = async () => {
    pending.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { calls, load, finishOldest };
}

/** A few turns of the event loop: whatever can be sent has been. */
const sent = async () => {
  for (let i = 0; i < 3; i += 1) await new Promise((r) => setImmediate(r));
};

describe('batchedLookup', () => {
  it('sends a lone key on the next turn, and the keys asked for while the statements run together in the next one, each once', async () => {
    const l = controlledLoader((id) => id !== 'missing');
    const get = batchedLookup(l.load, (r: Row) => r.id, { concurrency: 1 });
    const first = get('a');
    await sent();
    expect(l.calls).toEqual([['a']]);
    const later = [get('b'), get('c'), get('missing'), get('b')];
    await sent();
    expect(l.calls).toHaveLength(1);
    await l.finishOldest();
    expect(await first).toEqual({ id: 'a' });
    await sent();
    expect(l.calls[1]).toEqual(['b', 'c', 'missing']);
    await l.finishOldest();
    expect(await Promise.all(later)).toEqual([{ id: 'b' }, { id: 'c' }, undefined, { id: 'b' }]);
  });

  it('keeps at most `concurrency` statements in flight and splits batches at `maxBatch`', async () => {
    const l = controlledLoader();
    const get = batchedLookup(l.load, (r: Row) => r.id, { concurrency: 2, maxBatch: 2 });
    const all = ['a', 'b', 'c', 'd', 'e', 'f'].map(get);
    await sent();
    expect(l.calls).toEqual([['a', 'b'], ['c', 'd']]);
    await l.finishOldest();
    await sent();
    expect(l.calls[2]).toEqual(['e', 'f']);
    await l.finishOldest();
    await l.finishOldest();
    await sent();
    expect(l.calls).toHaveLength(3);
    expect((await Promise.all(all)).map((r) => r?.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('fails every request of a failed statement, and serves the next ones', async () => {
    let fail = true;
    const get = batchedLookup(
      async (keys: string[]) => {
        if (fail) throw new Error('connection lost');
        return keys.map((id) => ({ id }));
      },
      (r: Row) => r.id,
    );
    await expect(get('a')).rejects.toThrow('connection lost');
    fail = false;
    expect(await get('a')).toEqual({ id: 'a' });
  });
});
