import { describe, expect, it } from 'vitest';
import { matchIdentity } from './duplicates.ts';
import { duplicateQualityGoals, identityPairs, tally, traitsOf } from './identity-pairs.ts';

/**
 * Issue 16, identity quality: on the labelled pairs, recall ≥ 99 %, false alarms ≤ 1 %, and no
 * pair of two persons judged the same identity. The bench prints the same figures through the
 * database query (bench/duplicate-quality.bench.ts).
 */
describe('duplicate detection quality on the labelled pairs', () => {
  const result = tally(identityPairs.map((pair) => ({ pair, kind: matchIdentity(traitsOf(pair.typed), traitsOf(pair.registered)) })));

  it('has at least 200 pairs, both labels well represented', () => {
    expect(result.pairs).toBeGreaterThanOrEqual(200);
    expect(result.same).toBeGreaterThanOrEqual(100);
    expect(result.different).toBeGreaterThanOrEqual(100);
  });

  it('catches at least 99 % of the same persons', () => {
    expect(result.missed).toEqual([]);
    expect(result.recall).toBeGreaterThanOrEqual(duplicateQualityGoals.minRecall);
  });

  it('flags at most 1 % of the different persons, and never as the same identity', () => {
    expect(result.flagged).toEqual([]);
    expect(result.falseAlarmRate).toBeLessThanOrEqual(duplicateQualityGoals.maxFalseAlarmRate);
    expect(result.silentMerges).toBe(0);
  });

  it('holds real dates only', () => {
    const real = (d: string) => new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
    for (const p of identityPairs) expect(real(p.typed.birthDate!), p.label).toBe(true);
  });

  it('covers the patterns of the issue', () => {
    const patterns = new Set(identityPairs.map((p) => p.pattern));
    for (const p of [
      'married name typed as birth name',
      'birth date: day digits transposed',
      'birth date: last digit of the month mistyped',
      'twin of the other sexe, first name one letter away',
      'parent or child: same names and birthday, other year',
      'accents and ligatures dropped',
      'particles and spaces run together',
      'town abroad spelled otherwise',
    ]) {
      expect(patterns).toContain(p);
    }
  });
});
