import { describe, expect, it } from 'vitest';
import { createNotifiedCache } from './notify-cache.ts';

describe('notified cache bound', () => {
  it('keeps at most maxEntries, drops the oldest first, and keeps every recent one', () => {
    const cache = createNotifiedCache<number>({ maxEntries: 1000 });
    cache.setListening(true);
    for (let i = 0; i < 5000; i++) {
      cache.set(`k${i}`, i, cache.generation());
      expect(cache.size).toBeLessThanOrEqual(1000);
    }
    // Once full it drops a sixteenth at a time: never below 1000 - 1000/16 after a store.
    expect(cache.size).toBeGreaterThanOrEqual(1000 - Math.floor(1000 / 16));
    const kept = Array.from({ length: 5000 }, (_, i) => cache.get(`k${i}`) !== undefined);
    const firstKept = kept.indexOf(true);
    // What is kept is the newest ones, without a gap.
    expect(kept.slice(firstKept).every(Boolean)).toBe(true);
    expect(kept.slice(0, firstKept).some(Boolean)).toBe(false);
    expect(cache.get('k4999')).toBe(4999);
  });

  it('a store of a key already kept moves it to the newest end', () => {
    const cache = createNotifiedCache<number>({ maxEntries: 3 });
    cache.setListening(true);
    for (const k of ['a', 'b', 'c']) cache.set(k, 1, cache.generation());
    cache.set('a', 2, cache.generation());
    cache.set('d', 1, cache.generation());
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(2);
    expect(cache.get('d')).toBe(1);
  });
});
